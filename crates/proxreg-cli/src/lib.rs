//! The `proxreg` command-line tool. The binary (`src/main.rs`) only calls [`run_cli`]; the
//! subcommands (`select` included), the demo and the SVG figures are private to this crate.
//!
//! Two modules stay public because the fuzz targets (`fuzz/fuzz_targets/{csv,npy,model_json}.rs`,
//! a separate crate) drive them: the byte entry points [`io::parse_csv`] and [`io::parse_npy`],
//! and the model files' [`model::Model::from_json_bytes`]. They return typed errors and never
//! panic, whatever the bytes.

//!
//! The `cli` feature (on by default) is the command line itself: without it the crate is only
//! those two modules, which is what the fuzz targets build (a fraction of the compile time).

// Without `cli`, the file readers and the dense/sparse dispatch that only the subcommands call
// are unused.
#![cfg_attr(not(feature = "cli"), allow(dead_code, unused_imports))]

#[cfg(feature = "cli")]
use clap::Parser;

#[cfg(feature = "cli")]
mod commands;
#[cfg(feature = "cli")]
mod demo;
#[cfg(feature = "cli")]
mod group;
pub mod io;
pub mod model;
#[cfg(feature = "cli")]
mod multinomial;
#[cfg(feature = "cli")]
mod plot;
#[cfg(feature = "cli")]
mod relax;
#[cfg(feature = "cli")]
mod select;
#[cfg(feature = "cli")]
mod stats_route;

/// Private helpers that the integration tests (`tests/commands/internals.rs`) check directly:
/// not part of the crate's API. The crate's library has no unit-test target (`test = false`
/// in Cargo.toml): compiling the whole command line a second time as a test harness cost
/// about an eighth of CI's release test build for six tests, which live there instead.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod internals {
    pub use crate::demo::sparse_data;
    pub use crate::multinomial::{label, predict};
}

/// Runs the `proxreg` command line: parses the process's arguments, runs the subcommand with
/// its output on stdout, and prints an error to stderr. Returns the exit code: success, 2 for
/// bad input or arguments, 1 for a fit or write failure.
#[cfg(feature = "cli")]
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
