//! # proxreg-cv
//!
//! Cross-validation for proxreg's penalised least squares:
//!
//! - [`KFold`]: contiguous K-fold splits, identical to scikit-learn's `KFold` without shuffling
//!   (the first `n % K` folds get one extra sample), optionally shuffled with a seed;
//! - [`Folds::from_fold_ids`]: user fold assignments (glmnet's `foldid`);
//! - [`cv_path`]: the warm-started path of a separable penalty fitted on each fold's training
//!   rows (centering with training rows only), its held-out MSE per alpha and fold, mean,
//!   standard error, and the `index_min` / one-standard-error selections.
//!
//! Conventions follow scikit-learn's `LassoCV`/`ElasticNetCV` (grid from the full centered
//! data, plain mean of the per-fold MSEs) and glmnet's `cvsd` (sd over folds / √K).

mod folds;
mod path;

pub use folds::{Folds, KFold};
#[cfg(feature = "rayon")]
pub use path::par_cv_path;
pub use path::{cv_path, grid, Alphas, CvPath, CvSettings};
