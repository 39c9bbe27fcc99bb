//! The `proxreg` command-line tool. The binary (`src/main.rs`) only calls [`run_cli`]; the
//! subcommands (`select` included), the demo and the SVG figures are private to this crate.
//!
//! Two modules stay public because the fuzz targets (`fuzz/fuzz_targets/{csv,npy,model_json}.rs`,
//! a separate crate) drive them: the byte entry points [`io::parse_csv`] and [`io::parse_npy`],
//! and the model files' [`model::Model::from_json_bytes`]. They return typed errors and never
//! panic, whatever the bytes.

use clap::Parser;

mod commands;
mod demo;
mod group;
pub mod io;
pub mod model;
mod multinomial;
mod plot;
mod select;

/// Runs the `proxreg` command line: parses the process's arguments, runs the subcommand with
/// its output on stdout, and prints an error to stderr. Returns the exit code: success, 2 for
/// bad input or arguments, 1 for a fit or write failure.
pub fn run_cli() -> std::process::ExitCode {
    let cli = commands::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    match commands::run(cli, &mut stdout) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("proxreg: error: {e}");
            std::process::ExitCode::from(e.exit_code())
        }
    }
}
