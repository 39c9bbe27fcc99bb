//! proxreg-cv's integration tests in one binary: one link and one set of generic instantiations
//! of the CV engine for all of them (six binaries took 107 s of CPU in CI's release build).
//! Each module keeps its own lint allowances and documentation.

mod suite {
    mod cv;
    mod ic;
    mod ridge_eigen;
    mod stability;
    mod stats_cv;
    mod stratified;
}
