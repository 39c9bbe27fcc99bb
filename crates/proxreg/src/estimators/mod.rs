//! The estimators: `X::params()` builder → `check()` → `fit(&x, &y)` → fitted model. The
//! single-fit estimators share the [`Estimator`] (hyper-parameters: `fit`, `fit_weighted`,
//! `path`) and [`Fitted`] (models: `predict`, `score`, `report`) traits, so code can be generic
//! over them.
//!
//! Objective conventions (scikit-learn's, so its numbers are reference values):
//!
//! | estimator | objective minimised |
//! | --- | --- |
//! | [`Lasso`] | `(1/(2n))‖y − Xw − b‖² + α‖w‖₁` |
//! | [`ElasticNet`] | `(1/(2n))‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1−ρ)‖w‖²` |
//! | [`Ridge`] | `‖y − Xw − b‖² + α‖w‖²` (equals `ElasticNet(α/n, ρ = 0)`) |
//! | [`MultiTaskLasso`], [`MultiTaskElasticNet`] | `(1/(2n))‖Y − XW − 1bᵀ‖²_F + α·(ρ Σ_j‖W_j,:‖₂ + ½(1−ρ)‖W‖²_F)` |
//! | [`LassoCv`], [`ElasticNetCv`] | as Lasso / Elastic Net, alpha (and ρ) chosen by K-fold cross-validation, then refit |
//! | [`MultiTaskLassoCv`] | as MultiTaskLasso, alpha chosen by K-fold cross-validation, then refit |
//! | [`RidgeCv`] | as Ridge, alpha chosen by exact leave-one-out, GCV or K-fold, then refit |
//! | [`LassoIc`], [`ElasticNetIc`] | as Lasso / Elastic Net, alpha chosen by AIC or BIC along the path, then refit |
//! | [`StabilitySelection`] | Lasso / Elastic Net paths on complementary half-samples: selection probabilities and a stable feature set |
//! | [`LogisticRegression`] | `(1/n)Σ[log(1+e^{η_i}) − y_i η_i] + α·(ρ‖w‖₁ + ½(1−ρ)‖w‖²)`, `η = Xw + b`, `y ∈ {0, 1}` (scikit-learn's `C = 1/(n·α)`) |
//! | [`LogisticRegressionIc`] | as LogisticRegression (lasso), alpha chosen by AIC or BIC (binomial deviance + df) along the path, then refit |
//! | [`LogisticRegressionCv`] | as LogisticRegression, alpha chosen by K-fold cross-validation of a [`ClassMeasure`] (deviance, misclassification, AUC, Brier, MAE), then refit |
//! | [`MultinomialRegression`] | `(1/n)Σ −log softmax(η_i)[y_i] + α·g(W)`, `η_i = Wᵀx_i + b`, `g = ρ‖W‖₁ + ½(1−ρ)‖W‖²_F` or grouped `ρΣ_j‖W_j,:‖₂ + ½(1−ρ)‖W‖²_F` (scikit-learn's `C = 1/(n·α)`; glmnet `type.multinomial = "grouped"`) |
//! | [`MultinomialRegressionCv`] | as MultinomialRegression, alpha (and `l1_ratio`) chosen by stratified K-fold cross-validation of a [`MultinomialMeasure`] (deviance, misclassification, one-vs-rest macro AUC), then refit |
//! | [`GroupLasso`] | `(1/(2n))‖y − Xw − b‖² + α(τ‖w‖₁ + (1−τ) Σ_g c_g ‖w_G‖₂)` over feature groups of any sizes (`τ = l1_ratio`; group lasso `τ = 0`, sparse group lasso `τ > 0`) |
//! | [`LogisticGroupLasso`], [`PoissonGroupLasso`], [`HuberGroupLasso`] | the group lasso / sparse group lasso penalty with the logistic, Poisson (`(1/n)Σ[e^{η_i} − y_i η_i]`) and Huber (`(1/n)Σ h_δ(y_i − η_i)`) datafits |
//! | [`RelaxedLasso`], [`RelaxedLassoCv`] | `γ·w_lasso(α) + (1−γ)·w_refit(α)`: the Lasso blended with the unpenalised least-squares refit on its support (glmnet's `relax = TRUE`, γ = 1 the Lasso); the CV chooses `(α, γ)` jointly |
//! | [`AdaptiveLasso`], [`AdaptiveLassoCv`] | `(1/(2n))‖y − Xw − b‖² + α Σ_j |w_j| / (|w̃_j| + ε)^ν`, `w̃` from a first ridge / OLS fit or given (the CV redoes it in every fold) |
//! | with sample weights `s` | `(1/(2Σs)) Σ s_i r_i²` + penalty (Ridge: `Σ s_i r_i² + α‖w‖²`) |

mod adaptive;
mod adaptive_cv;
mod cv;
mod estimator;
mod families;
mod families_cv;
mod generic;
mod group;
mod group_cv;
mod group_families;
mod linear;
mod logistic;
mod logistic_cv;
mod logistic_group_cv;
mod logistic_ic;
mod lstsq;
mod model;
mod multinomial;
mod multinomial_cv;
mod multitask;
mod options;
mod relaxed;
mod relaxed_cv;
mod ridge_cv;
mod select;

pub use adaptive::{AdaptiveInit, AdaptiveLasso, AdaptiveLassoParams};
pub use adaptive_cv::{AdaptiveLassoCv, AdaptiveLassoCvParams};
pub use cv::{
    CvPath, CvSplit, ElasticNetCv, ElasticNetCvParams, ErrorMeasure, Folds, KFold, LassoCv,
    LassoCvParams, MultiTaskLassoCv, MultiTaskLassoCvParams, Selection, StratifiedKFold,
};
pub use estimator::{Estimator, Fitted};
pub use families::{
    HuberRegression, HuberRegressionParams, PoissonRegression, PoissonRegressionParams,
};
pub use families_cv::{
    HuberRegressionCv, HuberRegressionCvParams, PoissonRegressionCv, PoissonRegressionCvParams,
    RegressionMeasure,
};
pub use generic::{PenalizedLinear, PenalizedLinearParams};
pub use group::{GroupLasso, GroupLassoParams, LogisticGroupLasso, LogisticGroupLassoParams};
pub use group_cv::{GroupLassoCv, GroupLassoCvParams};
pub use group_families::{
    HuberGroupLasso, HuberGroupLassoCv, HuberGroupLassoCvParams, HuberGroupLassoParams,
    PoissonGroupLasso, PoissonGroupLassoCv, PoissonGroupLassoCvParams, PoissonGroupLassoParams,
};
pub use linear::{
    ElasticNet, ElasticNetParams, ElasticNetValidParams, Lasso, LassoParams, LassoValidParams,
    Ridge, RidgeParams, RidgeValidParams,
};
pub use logistic::{LogisticRegression, LogisticRegressionParams, LogisticRegressionValidParams};
pub use logistic_cv::{ClassMeasure, LogisticRegressionCv, LogisticRegressionCvParams};
pub use logistic_group_cv::{LogisticGroupLassoCv, LogisticGroupLassoCvParams};
pub use logistic_ic::{LogisticRegressionIc, LogisticRegressionIcParams};
pub use model::{FitReport, LinearModel, Status};
pub use multinomial::{
    MultinomialRegression, MultinomialRegressionParams, MultinomialRegressionValidParams,
};
pub use multinomial_cv::{
    MultinomialMeasure, MultinomialRegressionCv, MultinomialRegressionCvParams,
};
pub use multitask::{
    MultiTaskElasticNet, MultiTaskElasticNetParams, MultiTaskLasso, MultiTaskLassoParams,
};
pub use options::SolverChoice;
pub use relaxed::{RelaxedLasso, RelaxedLassoParams, RelaxedRefit};
pub use relaxed_cv::{RelaxedLassoCv, RelaxedLassoCvParams};
pub use ridge_cv::{RidgeCv, RidgeCvMode, RidgeCvParams};
pub use select::{
    Criterion, ElasticNetIc, ElasticNetIcParams, InfoCriteria, LassoIc, LassoIcParams,
    StabilityPath, StabilitySelection, StabilitySelectionParams,
};
