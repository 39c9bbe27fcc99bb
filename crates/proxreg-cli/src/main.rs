//! The `proxreg` binary: [`proxreg_cli::run_cli`] parses the command line and runs it.
//! Errors go to stderr with exit code 2 (bad input or arguments) or 1 (fit / write failure).

fn main() -> std::process::ExitCode {
    proxreg_cli::run_cli()
}
