//! Stability selection (Meinshausen & Bühlmann 2010) with complementary pairs (Shah & Samworth
//! 2013): selection probabilities per feature along the regularization path, the average number
//! of features each half-sample selects over the path (`q`) and the error-control bound on the
//! expected number of false selections; optionally with randomized penalty factors (the
//! "randomized lasso" of Meinshausen & Bühlmann).

use proxreg_core::penalty::{SeparablePenalty, Weighted};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{Path, Problem};

use crate::folds::SplitMix64;
use crate::path::{grid, CvSettings};

/// Selection probabilities along a path from `2B` half-samples.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StabilityPath<T> {
    /// The alphas (decreasing), computed once on the full data.
    pub alphas: Vec<T>,
    /// `probabilities[a][j]`: the fraction of the `2B` half-sample fits at `alphas[a]` whose
    /// coefficient `j` is non-zero.
    pub probabilities: Vec<Vec<T>>,
    /// Number of half-sample fits (`2B`).
    pub n_subsamples: usize,
    /// Half-sample fits (alpha points) that did not reach the tolerance.
    pub n_not_converged: usize,
    /// Per half-sample fit (in the order pair 0 first half, pair 0 second half, pair 1 …): the
    /// number of features with `w_j ≠ 0` at one alpha of the path at least (the selected set
    /// over the whole region of alphas, `Ŝ^Λ` in Meinshausen & Bühlmann).
    pub n_selected: Vec<usize>,
    /// The penalty factors of each half-sample fit (same order as `n_selected`) when the
    /// penalty was randomized ([`randomized_stability_selection`]), else `None`.
    pub penalty_factors: Option<Vec<Vec<T>>>,
}

impl<T: Scalar> StabilityPath<T> {
    /// Per feature, the maximal selection probability over the path.
    pub fn max_probabilities(&self) -> Vec<T> {
        let p = self.probabilities.first().map_or(0, Vec::len);
        (0..p)
            .map(|j| {
                self.probabilities
                    .iter()
                    .map(|row| row[j])
                    .fold(T::zero(), |m, v| if v > m { v } else { m })
            })
            .collect()
    }

    /// `q`: the average over the half-sample fits of the number of features selected at one
    /// alpha of the path at least ([`StabilityPath::n_selected`]).
    pub fn mean_selected(&self) -> T {
        let total: usize = self.n_selected.iter().sum();
        T::from_count(total) / T::from_count(self.n_selected.len().max(1))
    }

    /// The error-control bound on the expected number of falsely selected features of
    /// [`StabilityPath::stable_set`]`(threshold)`: `E[V] <= q²/((2π − 1)·p)` with `q` =
    /// [`StabilityPath::mean_selected`] and `p` the number of features (Meinshausen & Bühlmann
    /// 2010, Theorem 1; with complementary pairs it holds without their exchangeability
    /// assumption, Shah & Samworth 2013).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `threshold` outside `(0.5, 1]` (NaN included).
    pub fn error_bound(&self, threshold: T) -> Result<T> {
        check_threshold(threshold)?;
        let p = T::from_count(self.probabilities.first().map_or(0, Vec::len).max(1));
        let q = self.mean_selected();
        Ok(q * q / ((T::lit(2.0) * threshold - T::one()) * p))
    }

    /// The stable set: features whose maximal selection probability is `>= threshold`.
    pub fn stable_set(&self, threshold: T) -> Vec<usize> {
        self.max_probabilities()
            .iter()
            .enumerate()
            .filter(|(_, &v)| v >= threshold)
            .map(|(j, _)| j)
            .collect()
    }
}

/// Checks a stability threshold `π` is in `(0.5, 1]` (NaN-safe).
///
/// # Errors
/// [`Error::InvalidParameter`] naming `threshold`.
pub fn check_threshold<T: Scalar>(threshold: T) -> Result<()> {
    let ok = threshold > T::lit(0.5) && threshold <= T::one();
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "threshold",
            value: threshold.as_f64(),
            expected: "a number in (0.5, 1]",
        })
    }
}

/// The largest `n_pairs` accepted: `2^20` pairs are two million path fits, far beyond any use;
/// a larger (e.g. mistyped) count is an error instead of an allocation that cannot succeed.
pub const MAX_PAIRS: usize = 1 << 20;

/// `n_pairs` complementary pairs of disjoint half-samples of `0..n` (each of size `⌊n/2⌋`,
/// sorted), from seeded permutations (SplitMix64 + Fisher–Yates; deterministic per seed).
///
/// ```
/// let pairs = proxreg_cv::complementary_pairs(9, 2, 7)?;
/// assert_eq!(pairs.len(), 2);
/// let (a, b) = &pairs[0];
/// assert_eq!((a.len(), b.len()), (4, 4));
/// assert!(a.iter().all(|i| !b.contains(i)));
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] for `n_pairs` 0 or above [`MAX_PAIRS`], or `n < 4`
/// (`n_samples`).
pub fn complementary_pairs(
    n: usize,
    n_pairs: usize,
    seed: u64,
) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    if n_pairs == 0 || n_pairs > MAX_PAIRS {
        return Err(Error::InvalidParameter {
            name: "n_pairs",
            value: n_pairs as f64,
            expected: ">= 1 and <= 2^20",
        });
    }
    if n < 4 {
        return Err(Error::InvalidParameter {
            name: "n_samples",
            value: n as f64,
            expected: ">= 4 (two halves of at least 2 samples)",
        });
    }
    let mut rng = SplitMix64(seed);
    let half = n / 2;
    let mut out = Vec::with_capacity(n_pairs);
    for _ in 0..n_pairs {
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let mut a = order[..half].to_vec();
        let mut b = order[half..2 * half].to_vec();
        a.sort_unstable();
        b.sort_unstable();
        out.push((a, b));
    }
    Ok(out)
}

/// Stability selection: the path of `penalty` (grid of `settings`, from the full data) fitted
/// with warm starts on both halves of `n_pairs` complementary pairs
/// ([`complementary_pairs`]`(n, n_pairs, seed)`); the selection probability of feature `j` at
/// alpha `a` is the fraction of the `2·n_pairs` fits with `w_j ≠ 0`. Sequential and seeded:
/// the same input and seed give the same bits.
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_cv::{stability_selection, Alphas, CvSettings};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::CoordinateDescent;
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..40).map(|i| 3.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 10, eps: 1e-2 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-8),
///     measure: Default::default(),
/// };
/// let st = stability_selection(&x, &y, &L1, &settings, 10, 42)?;
/// assert_eq!(st.n_subsamples, 20);
/// assert!(st.stable_set(0.9).contains(&1));
/// assert!(st.error_bound(0.9)? >= 0.0);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`complementary_pairs`] and [`crate::grid`]; [`Error::DimensionMismatch`] for `y`;
/// solver errors.
pub fn stability_selection<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    settings: &CvSettings<T>,
    n_pairs: usize,
    seed: u64,
) -> Result<StabilityPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    let (pairs, alphas) = setup(x, y, penalty, settings, n_pairs, seed)?;
    let mut st = count(x, y, &pairs, alphas, |_, xs, ys, alphas| {
        half_path(xs, ys, penalty, alphas, settings)
    })?;
    st.penalty_factors = None;
    Ok(st)
}

/// The randomized penalty factors of half-sample fit `k` (in [`StabilityPath::n_selected`]'s
/// order): `1/W_j` with `W_j` drawn uniformly from `[weakness, 1]` (Meinshausen & Bühlmann's
/// randomized lasso: the penalty of feature `j` is `α|w_j|/W_j`), from a SplitMix64 stream
/// seeded by `(seed, k)` only — the same factors whatever order or thread fits them.
///
/// ```
/// let f = proxreg_cv::randomized_factors::<f64>(4, 0.5, 7, 0)?;
/// assert!(f.iter().all(|&c| (1.0..=2.0).contains(&c)));
/// assert_eq!(f, proxreg_cv::randomized_factors::<f64>(4, 0.5, 7, 0)?);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] naming `weakness` outside `(0, 1]` (NaN included).
pub fn randomized_factors<T: Scalar>(p: usize, weakness: T, seed: u64, k: usize) -> Result<Vec<T>> {
    let ok = weakness > T::zero() && weakness <= T::one();
    if !ok {
        return Err(Error::InvalidParameter {
            name: "weakness",
            value: weakness.as_f64(),
            expected: "a number in (0, 1]",
        });
    }
    // A stream per fit: the seed and the fit's index mixed through one SplitMix64 step.
    let mut mix = SplitMix64(seed ^ 0x5DEE_CE66_D1CE_4E5B);
    let base = mix.next();
    let mut rng = SplitMix64(base.wrapping_add((k as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)));
    Ok((0..p)
        .map(|_| {
            let u = T::lit((rng.next() >> 11) as f64 / (1u64 << 53) as f64);
            T::one() / (weakness + (T::one() - weakness) * u)
        })
        .collect())
}

/// [`stability_selection`] with randomized penalty factors: half-sample fit `k` uses
/// `Weighted(penalty, randomized_factors(p, weakness, seed, k))`, i.e. the penalty of feature
/// `j` divided by a weight drawn uniformly from `[weakness, 1]` (`weakness = 1`: no
/// randomization, the same result as [`stability_selection`]). The grid is that of the plain
/// penalty on the full data (the factors are `>= 1`, so every coefficient is still zero at its
/// top). The factors used are returned in [`StabilityPath::penalty_factors`].
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_cv::{randomized_stability_selection, Alphas, CvSettings};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::CoordinateDescent;
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..40).map(|i| 3.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 10, eps: 1e-2 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-8),
///     measure: Default::default(),
/// };
/// let st = randomized_stability_selection(&x, &y, &L1, &settings, 10, 42, 0.5)?;
/// assert_eq!(st.penalty_factors.as_ref().map(Vec::len), Some(20));
/// // The randomization lets correlated features take turns: feature 1 is selected in 85 %.
/// assert_eq!(st.stable_set(0.8), vec![1]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`stability_selection`] and [`randomized_factors`].
pub fn randomized_stability_selection<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    settings: &CvSettings<T>,
    n_pairs: usize,
    seed: u64,
    weakness: T,
) -> Result<StabilityPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + Clone,
{
    let p = x.ncols();
    randomized_factors(p, weakness, seed, 0)?;
    let (pairs, alphas) = setup(x, y, penalty, settings, n_pairs, seed)?;
    let mut factors = Vec::with_capacity(2 * pairs.len());
    let mut st = count(x, y, &pairs, alphas, |k, xs, ys, alphas| {
        let f = randomized_factors(p, weakness, seed, k)?;
        let pen = Weighted::new(penalty.clone(), f.clone())?;
        factors.push(f);
        half_path(xs, ys, &pen, alphas, settings)
    })?;
    st.penalty_factors = Some(factors);
    Ok(st)
}

/// Stability selection with any path: `fit(k, x_half, y_half, alphas)` fits half-sample `k`
/// (in [`StabilityPath::n_selected`]'s order) on the given alphas — another datafit (logistic
/// regression's proximal Newton path), another penalty per half, another solver — and the
/// selection probabilities, `q` and the bound are counted as in [`stability_selection`]. The
/// pairs are [`complementary_pairs`]`(n, n_pairs, seed)`.
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_cv::stability_selection_with;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{CoordinateDescent, Problem};
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..40).map(|i| 3.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let alphas = [2.0, 1.0, 0.5];
/// let cd = CoordinateDescent::new().tol(1e-8);
/// let st = stability_selection_with(&x, &y, alphas.to_vec(), 10, 42, |_, xs, ys, a| {
///     cd.path(&Problem::new(xs, ys, &L1, 0.0), a)
/// })?;
/// assert_eq!(st.n_subsamples, 20);
/// assert!(st.stable_set(0.9).contains(&1));
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`complementary_pairs`]; [`Error::DimensionMismatch`] for `y`; [`Error::Empty`] for no
/// alphas; [`Error::DimensionMismatch`] when a path has another number of points than alphas;
/// the errors of `fit`.
pub fn stability_selection_with<T, X, F>(
    x: &X,
    y: &[T],
    alphas: Vec<T>,
    n_pairs: usize,
    seed: u64,
    fit: F,
) -> Result<StabilityPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    F: FnMut(usize, &X::Owned, &[T], &[T]) -> Result<Path<T>>,
{
    let n = x.nrows();
    if y.len() != n {
        return Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y.len(),
        });
    }
    if alphas.is_empty() {
        return Err(Error::Empty { what: "alphas" });
    }
    let pairs = complementary_pairs(n, n_pairs, seed)?;
    let mut st = count(x, y, &pairs, alphas, fit)?;
    st.penalty_factors = None;
    Ok(st)
}

type Pairs = Vec<(Vec<usize>, Vec<usize>)>;

fn setup<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    settings: &CvSettings<T>,
    n_pairs: usize,
    seed: u64,
) -> Result<(Pairs, Vec<T>)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    let n = x.nrows();
    if y.len() != n {
        return Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y.len(),
        });
    }
    let pairs = complementary_pairs(n, n_pairs, seed)?;
    let alphas = grid(x, y, penalty, settings)?;
    Ok((pairs, alphas))
}

fn half_path<T, X, P>(
    xs: &X,
    ys: &[T],
    penalty: &P,
    alphas: &[T],
    settings: &CvSettings<T>,
) -> Result<Path<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    let pb = Problem::new(xs, ys, penalty, T::zero())
        .fit_intercept(settings.fit_intercept)
        .standardize(settings.standardize);
    let prep = settings.solver.prepare(&pb)?;
    settings.solver.path_prepared(&prep, penalty, alphas, None)
}

/// Fits every half (`fit(k, x_half, y_half, alphas)`, `k` the index of the half) and counts.
fn count<T, X, F>(
    x: &X,
    y: &[T],
    pairs: &Pairs,
    alphas: Vec<T>,
    mut fit: F,
) -> Result<StabilityPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    F: FnMut(usize, &X::Owned, &[T], &[T]) -> Result<Path<T>>,
{
    let p = x.ncols();
    let mut counts = vec![vec![0usize; p]; alphas.len()];
    let mut not_converged = 0;
    let mut n_selected = Vec::with_capacity(2 * pairs.len());
    for (a, b) in pairs {
        for rows in [a, b] {
            let xs = x.select_rows(rows)?;
            let ys: Vec<T> = rows.iter().map(|&i| y[i]).collect();
            let path = fit(n_selected.len(), &xs, &ys, &alphas)?;
            if path.solutions.len() != alphas.len() {
                return Err(Error::DimensionMismatch {
                    what: "path points vs alphas (stability selection)",
                    expected: alphas.len(),
                    found: path.solutions.len(),
                });
            }
            let mut ever = vec![false; p];
            for (row, sol) in counts.iter_mut().zip(&path.solutions) {
                if !sol.converged() {
                    not_converged += 1;
                }
                for ((c, e), &w) in row.iter_mut().zip(ever.iter_mut()).zip(&sol.coef) {
                    if w != T::zero() {
                        *c += 1;
                        *e = true;
                    }
                }
            }
            n_selected.push(ever.iter().filter(|&&e| e).count());
        }
    }
    let total = T::from_count(2 * pairs.len());
    Ok(StabilityPath {
        alphas,
        probabilities: counts
            .iter()
            .map(|row| row.iter().map(|&c| T::from_count(c) / total).collect())
            .collect(),
        n_subsamples: 2 * pairs.len(),
        n_not_converged: not_converged,
        n_selected,
        penalty_factors: None,
    })
}
