//! Held-out measures for binary targets (logistic regression).

use proxreg_core::datafit::{sigmoid, softplus};
use proxreg_core::Scalar;

/// How a fold's held-out **binary** predictions are scored, as a loss (lower is better).
///
/// A type of its own rather than more variants of [`ErrorMeasure`](crate::ErrorMeasure):
/// these measures read 0/1 labels and the *linear predictor* `η = Xw + b` (log-odds), not a
/// response and its prediction on the same scale, and they may use sample weights. An
/// [`ErrorMeasure`](crate::ErrorMeasure) applied to `(y, η)` would silently compute something
/// else (the MSE of log-odds), and a class measure makes no sense for a Gaussian fit: keeping
/// the two apart lets the type system reject both mistakes.
///
/// Every measure is a (weighted) mean over the held-out rows, weights `s_i` (1 when absent),
/// `p_i = σ(η_i)`, labels `y_i ∈ {0, 1}`:
///
/// | measure | per row | glmnet's `type.measure` |
/// | --- | --- | --- |
/// | [`Deviance`](Self::Deviance) (default) | `2·[log(1 + e^{η}) − y·η]` | `"deviance"` |
/// | [`Misclassification`](Self::Misclassification) | `1` when the label at `P > ½` (`η > 0`) is wrong | `"class"` |
/// | [`Auc`](Self::Auc) | the loss is `1 − AUC` (see below) | `"auc"` |
/// | [`Mse`](Self::Mse) | `(p − y)²` (the Brier score) | `"mse"` |
/// | [`Mae`](Self::Mae) | `|p − y|` | `"mae"` |
///
/// **AUC** is maximised, so the loss minimised (and stored in the cross-validation curves) is
/// `1 − AUC`; [`ClassMeasure::score`] turns it back. The AUC is the (weighted) share of
/// (positive, negative) pairs ranked correctly by `η`, ties counted half:
/// `Σ_{y_i=1, y_j=0} s_i s_j ([η_i > η_j] + ½[η_i = η_j]) / (Σ_{y=1} s · Σ_{y=0} s)`.
/// It is undefined (NaN) for rows of one class only.
///
/// ```
/// use proxreg_cv::ClassMeasure;
/// let y = [0.0, 0.0, 1.0, 1.0];
/// let eta = [-1.0, 0.5, 0.2, 2.0];
/// // One of the four (positive, negative) pairs is ranked wrong: AUC = 3/4.
/// assert_eq!(ClassMeasure::Auc.eval(&y, &eta, None), 0.25);
/// assert_eq!(ClassMeasure::Auc.score(0.25), 0.75);
/// // The second row is predicted 1 (η > 0) but is 0.
/// assert_eq!(ClassMeasure::Misclassification.eval(&y, &eta, None), 0.25);
/// let dev = ClassMeasure::Deviance.eval(&y, &eta, None);
/// assert!(dev > 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClassMeasure {
    /// Binomial deviance, `2·[log(1 + e^η) − y·η]` per row (the default; twice the mean
    /// negative log-likelihood, scikit-learn's `neg_log_loss` times −2).
    #[default]
    Deviance,
    /// Share of wrong labels when predicting class 1 for `η > 0` (`P > ½`).
    Misclassification,
    /// `1 − AUC`, the area under the ROC curve of `η` (ties half).
    Auc,
    /// Mean squared error of the probabilities against the 0/1 labels (the Brier score).
    Mse,
    /// Mean absolute error of the probabilities against the 0/1 labels.
    Mae,
}

impl ClassMeasure {
    /// The measure's name (glmnet's `type.measure`: `deviance`, `class`, `auc`, `mse`, `mae`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Deviance => "deviance",
            Self::Misclassification => "class",
            Self::Auc => "auc",
            Self::Mse => "mse",
            Self::Mae => "mae",
        }
    }

    /// The loss (lower is better) of linear predictors `eta` for 0/1 labels `y` (same length),
    /// optionally weighted by `weights` (a weighted mean, `Σ s_i·loss_i / Σ s_i`; for AUC the
    /// weighted pair count). `1 − AUC` for [`ClassMeasure::Auc`]. NaN when there is no row
    /// of positive weight (and, for AUC, when one class is absent).
    pub fn eval<T: Scalar>(self, y: &[T], eta: &[T], weights: Option<&[T]>) -> T {
        let w = |i: usize| weights.map_or_else(T::one, |s| s[i]);
        let per_row = |f: &dyn Fn(T, T) -> T| -> T {
            let mut num = T::zero();
            let mut den = T::zero();
            for (i, (&yi, &e)) in y.iter().zip(eta).enumerate() {
                let s = w(i);
                num += s * f(yi, e);
                den += s;
            }
            num / den
        };
        match self {
            Self::Deviance => per_row(&|yi, e| {
                // 2·[softplus(η) − yη] without cancellation for large |η|.
                T::lit(2.0) * (yi * softplus(-e) + (T::one() - yi) * softplus(e))
            }),
            Self::Misclassification => per_row(&|yi, e| {
                let pred = if e > T::zero() { T::one() } else { T::zero() };
                if pred == yi {
                    T::zero()
                } else {
                    T::one()
                }
            }),
            Self::Mse => per_row(&|yi, e| {
                let r = sigmoid(e) - yi;
                r * r
            }),
            Self::Mae => per_row(&|yi, e| (sigmoid(e) - yi).abs()),
            Self::Auc => T::one() - auc(y, eta, weights),
        }
    }

    /// The measure's natural value from its loss: `1 − loss` for AUC (the AUC itself), the
    /// loss unchanged for the others.
    pub fn score<T: Scalar>(self, loss: T) -> T {
        match self {
            Self::Auc => T::one() - loss,
            _ => loss,
        }
    }

    /// Whether the natural value is maximised (AUC) rather than minimised.
    pub fn greater_is_better(self) -> bool {
        matches!(self, Self::Auc)
    }
}

/// The (weighted) area under the ROC curve of scores `eta` for 0/1 labels `y`: the share of
/// (positive, negative) pairs with the positive scored higher, ties counted half, each pair
/// weighted by `s_i·s_j`. NaN when a class has no weight. `O(n log n)`: rows sorted by score,
/// tied scores grouped.
///
/// ```
/// // Ties count half: one tied pair out of two.
/// let a = proxreg_cv::auc(&[0.0, 1.0, 1.0], &[0.3, 0.3, 0.9], None);
/// assert_eq!(a, 0.75);
/// ```
pub fn auc<T: Scalar>(y: &[T], eta: &[T], weights: Option<&[T]>) -> T {
    let w = |i: usize| weights.map_or_else(T::one, |s| s[i]);
    let mut order: Vec<usize> = (0..y.len().min(eta.len())).collect();
    // A stable sort on a total order of the scores: deterministic for NaN too.
    order.sort_by(|&a, &b| {
        eta[a]
            .partial_cmp(&eta[b])
            .unwrap_or_else(|| eta[a].is_nan().cmp(&eta[b].is_nan()))
    });
    let half = T::lit(0.5);
    let (mut neg_below, mut area, mut pos_total) = (T::zero(), T::zero(), T::zero());
    let mut g = 0;
    while g < order.len() {
        let mut end = g;
        let (mut pos, mut neg) = (T::zero(), T::zero());
        while end < order.len() && eta[order[end]] == eta[order[g]] {
            let i = order[end];
            if y[i] > half {
                pos += w(i);
            } else {
                neg += w(i);
            }
            end += 1;
        }
        if end == g {
            // a NaN score (never equal to itself): a group of its own
            let i = order[g];
            if y[i] > half {
                pos += w(i);
            } else {
                neg += w(i);
            }
            end = g + 1;
        }
        area += pos * (neg_below + half * neg);
        neg_below += neg;
        pos_total += pos;
        g = end;
    }
    area / (pos_total * neg_below)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AUC by the O(n²) pair count.
    fn auc_pairs(y: &[f64], eta: &[f64], s: &[f64]) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..y.len() {
            for j in 0..y.len() {
                if y[i] == 1.0 && y[j] == 0.0 {
                    let c = if eta[i] > eta[j] {
                        1.0
                    } else if eta[i] == eta[j] {
                        0.5
                    } else {
                        0.0
                    };
                    num += s[i] * s[j] * c;
                    den += s[i] * s[j];
                }
            }
        }
        num / den
    }

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn auc_equals_the_pair_count_with_ties_and_weights() {
        let mut seed = 7;
        for trial in 0..50 {
            let n = 3 + trial % 17;
            let y: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 3 != 1))).collect();
            // few distinct scores: many ties
            let eta: Vec<f64> = (0..n)
                .map(|_| (lcg(&mut seed) * 5.0).floor() - 2.0)
                .collect();
            let s: Vec<f64> = (0..n).map(|_| 0.1 + lcg(&mut seed)).collect();
            let ones = vec![1.0; n];
            let a = auc(&y, &eta, None);
            assert!((a - auc_pairs(&y, &eta, &ones)).abs() < 1e-14, "{trial}");
            let aw = auc(&y, &eta, Some(&s));
            assert!((aw - auc_pairs(&y, &eta, &s)).abs() < 1e-13, "{trial}");
            let loss = ClassMeasure::Auc.eval(&y, &eta, Some(&s));
            assert!((loss - (1.0 - aw)).abs() < 1e-15);
        }
    }

    #[test]
    fn auc_hand_cases() {
        // perfect, reversed, all tied
        assert_eq!(auc(&[0.0, 1.0], &[1.0, 2.0], None), 1.0);
        assert_eq!(auc(&[0.0, 1.0], &[2.0, 1.0], None), 0.0);
        assert_eq!(auc(&[0.0, 1.0, 0.0, 1.0], &[3.0; 4], None), 0.5);
        // one class: undefined
        assert!(auc(&[1.0_f64, 1.0], &[0.0, 1.0], None).is_nan());
        assert!(ClassMeasure::Auc.greater_is_better());
        assert!(!ClassMeasure::Deviance.greater_is_better());
    }

    #[test]
    fn deviance_misclassification_brier_mae_by_hand() {
        let y = [1.0, 0.0, 1.0];
        let eta = [0.0, 2.0_f64.ln(), -1.0];
        let s = [1.0, 2.0, 3.0];
        // p = 1/2, 2/3, σ(−1)
        let p: Vec<f64> = eta.iter().map(|e| 1.0 / (1.0 + (-e).exp())).collect();
        let nll = |i: usize| -(if y[i] == 1.0 { p[i] } else { 1.0 - p[i] }).ln();
        let dev = (0..3).map(|i| 2.0 * nll(i)).sum::<f64>() / 3.0;
        assert!((ClassMeasure::Deviance.eval(&y, &eta, None) - dev).abs() < 1e-15);
        let devw = (0..3).map(|i| s[i] * 2.0 * nll(i)).sum::<f64>() / 6.0;
        assert!((ClassMeasure::Deviance.eval(&y, &eta, Some(&s)) - devw).abs() < 1e-15);
        // η = 0 predicts 0 (P = ½ is not > ½): rows 0 and 1 and 2 are all wrong
        assert_eq!(ClassMeasure::Misclassification.eval(&y, &eta, None), 1.0);
        let y2 = [1.0, 1.0, 0.0];
        // predictions 0, 1, 0: only row 0 (weight 1 of 6) is wrong
        assert!(
            (ClassMeasure::Misclassification.eval(&y2, &eta, Some(&s)) - 1.0 / 6.0).abs() < 1e-15
        );
        let brier = (0..3).map(|i| (p[i] - y[i]).powi(2)).sum::<f64>() / 3.0;
        assert!((ClassMeasure::Mse.eval(&y, &eta, None) - brier).abs() < 1e-15);
        let mae = (0..3).map(|i| s[i] * (p[i] - y[i]).abs()).sum::<f64>() / 6.0;
        assert!((ClassMeasure::Mae.eval(&y, &eta, Some(&s)) - mae).abs() < 1e-15);
        // large |η| stays finite and exact
        let big = ClassMeasure::Deviance.eval(&[0.0_f64], &[800.0], None);
        assert_eq!(big, 1600.0);
        assert_eq!(ClassMeasure::Deviance.eval(&[1.0_f64], &[800.0], None), 0.0);
    }

    #[test]
    fn names() {
        assert_eq!(ClassMeasure::default(), ClassMeasure::Deviance);
        assert_eq!(ClassMeasure::Misclassification.name(), "class");
        assert_eq!(ClassMeasure::Auc.score(0.2_f64), 0.8);
        assert_eq!(ClassMeasure::Mse.score(0.2_f64), 0.2);
    }
}
