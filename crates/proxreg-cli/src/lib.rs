//! The `proxreg` command-line tool as a library: readers ([`io`]), saved models ([`model`]),
//! the subcommands ([`commands`], [`select`]), SVG figures ([`plot`]) and the demo ([`demo`]).
//! `src/main.rs` only parses the arguments and calls [`commands::run`].
//!
//! The byte entry points [`io::parse_csv`], [`io::parse_npy`] and
//! [`model::Model::from_json_str`] return typed errors, never panic, and are fuzzed
//! (`fuzz/fuzz_targets/{csv,npy,model_json}.rs`).

pub mod commands;
pub mod demo;
pub mod io;
pub mod model;
pub mod plot;
pub mod select;
