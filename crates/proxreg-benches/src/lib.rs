//! Criterion benchmarks of proxreg's backends live in `benches/`; this library is empty.
//!
//! Run them with `cargo bench -p proxreg-benches`.
