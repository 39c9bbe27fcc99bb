//! The `proxreg` binary: parses the command line and runs [`proxreg_cli::commands::run`].
//! Errors go to stderr with exit code 2 (bad input or arguments) or 1 (fit / write failure).

use clap::Parser;

fn main() {
    let cli = proxreg_cli::commands::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = proxreg_cli::commands::run(cli, &mut stdout) {
        eprintln!("proxreg: error: {e}");
        std::process::exit(e.exit_code());
    }
}
