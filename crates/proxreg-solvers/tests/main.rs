//! Engine tests: invariances, certificates, agreement between solvers and modes.
#![allow(missing_docs, clippy::unwrap_used, clippy::needless_range_loop)]

mod common;
mod extrapolation;
mod families;
mod glm;
mod glm_cd;
mod group_cd;
mod invariances;
mod polish;
mod ridge;
mod ridge_cg;
mod screening;
mod sklearn;
mod sparse;
mod stats;
mod tight;
