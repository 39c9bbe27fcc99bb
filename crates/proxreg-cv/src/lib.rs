//! # proxreg-cv
//!
//! Cross-validation for proxreg's penalised least squares:
//!
//! - [`KFold`]: contiguous K-fold splits, identical to scikit-learn's `KFold` without shuffling
//!   (the first `n % K` folds get one extra sample), optionally shuffled with a seed;
//! - [`StratifiedKFold`]: stratified K-fold for class labels, identical to scikit-learn's
//!   `StratifiedKFold` without shuffling;
//! - [`Folds::from_fold_ids`]: user fold assignments (glmnet's `foldid`);
//! - [`cv_path`]: the warm-started path of a separable penalty fitted on each fold's training
//!   rows (centering with training rows only), its held-out MSE per alpha and fold, mean,
//!   standard error, and the `index_min` / one-standard-error selections;
//! - [`ridge_curves`]: exact leave-one-out and GCV of ridge for every alpha from one
//!   decomposition (eigen of the smaller Gram, or the SVD), with
//!   the effective degrees of freedom, and [`ridge_kfold`] (one SVD per fold);
//! - [`cv_path_stats`]: the same from per-fold sufficient statistics alone (no rows; e.g.
//!   computed out of core or by another engine), [`ridge_gcv_stats`] (ridge GCV) and
//!   [`information_criteria_stats`] from statistics;
//! - [`ClassMeasure`]: held-out measures of binary predictions (deviance, misclassification,
//!   AUC, Brier score, MAE) for cross-validated logistic regression, whose per-fold curves
//!   are summarised by [`CvPath::from_fold_errors`] as the Gaussian paths are;
//! - [`multitask_cv_path`]: the same for the multi-task Lasso (`L21`);
//! - [`information_criteria`]: AIC and BIC along a Lasso / Elastic Net path;
//! - [`stability_selection`]: selection probabilities along the path from complementary pairs
//!   of half-samples (seeded), the average selected count `q` and the error-control bound,
//!   optionally with randomized penalty factors ([`randomized_stability_selection`]), or with
//!   any path ([`stability_selection_with`]: another datafit, solver or penalty per half).
//!
//! Conventions follow scikit-learn's `LassoCV`/`ElasticNetCV` (grid from the full centered
//! data, plain mean of the per-fold MSEs) and glmnet's `cvsd` (sd over folds / √K).
// docs.rs builds with `--cfg docsrs` on nightly: label feature-gated items with their features.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod class_measure;
mod criteria;
mod folds;
mod measure;
mod multitask;
mod path;
mod ridge;
mod stability;
mod stats;

pub use class_measure::{auc, ClassMeasure};
pub use criteria::{information_criteria, InfoCriteria, NoiseVariance};
pub use folds::{Folds, KFold, StratifiedKFold};
pub use measure::{ErrorMeasure, MeasureFn};
pub use multitask::multitask_cv_path;
pub use path::{cv_path, cv_paths, grid, Alphas, CvData, CvPath, CvSettings};
#[cfg(feature = "rayon")]
pub use path::{par_cv_path, par_cv_paths};
pub use ridge::{
    ridge_alphas, ridge_curves, ridge_curves_and_fit, ridge_curves_with, ridge_default_grid,
    ridge_grid, ridge_kfold, ridge_singular_values, RidgeCurves, RidgeDecomposition,
};
pub use stability::{
    check_threshold, complementary_pairs, randomized_factors, randomized_stability_selection,
    stability_selection, stability_selection_with, StabilityPath, MAX_PAIRS,
};
pub use stats::{cv_path_stats, information_criteria_stats, ridge_gcv_stats, RidgeGcv};
