//! Stability selection (Meinshausen & Bühlmann 2010) with complementary pairs (Shah & Samworth
//! 2013): selection probabilities per feature along the regularization path.

use proxreg_core::penalty::SeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::Problem;

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
/// [`Error::InvalidParameter`] for `n_pairs = 0` or `n < 4` (`n_samples`).
pub fn complementary_pairs(
    n: usize,
    n_pairs: usize,
    seed: u64,
) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    if n_pairs == 0 {
        return Err(Error::InvalidParameter {
            name: "n_pairs",
            value: 0.0,
            expected: ">= 1",
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
    let (n, p) = (x.nrows(), x.ncols());
    if y.len() != n {
        return Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y.len(),
        });
    }
    let pairs = complementary_pairs(n, n_pairs, seed)?;
    let alphas = grid(x, y, penalty, settings)?;
    let mut counts = vec![vec![0usize; p]; alphas.len()];
    let mut not_converged = 0;
    for (a, b) in &pairs {
        for rows in [a, b] {
            let xs = x.select_rows(rows)?;
            let ys: Vec<T> = rows.iter().map(|&i| y[i]).collect();
            let pb = Problem::new(&xs, &ys, penalty, T::zero())
                .fit_intercept(settings.fit_intercept)
                .standardize(settings.standardize);
            let prep = settings.solver.prepare(&pb)?;
            let path = settings
                .solver
                .path_prepared(&prep, penalty, &alphas, None)?;
            for (row, sol) in counts.iter_mut().zip(&path.solutions) {
                if !sol.converged() {
                    not_converged += 1;
                }
                for (c, &w) in row.iter_mut().zip(&sol.coef) {
                    if w != T::zero() {
                        *c += 1;
                    }
                }
            }
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
    })
}
