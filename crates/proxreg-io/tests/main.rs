//! proxreg-io's integration tests in one binary (one link, one set of generic instantiations):
//! the `.npy` statistics reader, the Parquet reader (`parquet` feature), and the svmlight
//! reader against scikit-learn's files and in round trips.

mod suite {
    mod numpy_stats;
    mod parquet;
    mod sklearn_svmlight;
    mod svmlight_roundtrip;
}
