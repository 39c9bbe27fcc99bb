//! Row-block sufficient statistics: Gram-mode preparation of "all rows but one block" (the
//! training set of a cross-validation fold) without copying the training rows or recomputing
//! a Gram matrix per fold.
//!
//! Each block `f` (a set of rows, e.g. a fold's test rows) keeps its own centered statistics:
//! `n_f`, the column means `μ_f`, `ȳ_f`, `C_f = X̃_fᵀX̃_f`, `d_f = X̃_fᵀỹ_f` and `‖ỹ_f‖²`
//! (each block centered with its own means). The statistics of any union `S` of blocks, centered
//! at the reference point `μ` (the union's means with an intercept, 0 without), follow exactly
//! by the parallel-axis (Chan et al.) combination
//!
//! `X̃_SᵀX̃_S = Σ_f C_f + Σ_f n_f (μ_f − μ)(μ_f − μ)ᵀ`, and likewise for `X̃_Sᵀỹ_S` and `‖ỹ_S‖²`,
//!
//! a sum of centered (small) terms: no cancellation of large uncentered sums. With `K` folds,
//! the `K` block Grams cost together one Gram of `X` (instead of `K − 1` Grams of `X` for the
//! `K` training sets), and the training rows are never copied.

use std::sync::OnceLock;

use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix};

use crate::kernels::sq_norm;
use crate::problem::{GramParts, GramRows, Prepared};
use crate::stats::{parallel_axis, SufficientStats};
use crate::CoordinateDescent;

/// The centered statistics of one block of rows (its [`SufficientStats`] and which rows they
/// are), combined with other blocks by the parallel-axis rule into a training set's Gram-mode
/// data (see [`BlockStats`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RowBlock<T> {
    rows: Vec<usize>,
    stats: SufficientStats<T>,
}

impl<T: Scalar> RowBlock<T> {
    /// The statistics of rows `rows` of `(x, y)` (single task): one copy of the block's rows,
    /// centered with the block's own means, and its Gram matrix through the backend (BLAS-3).
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows; [`Error::IndexOutOfRange`] for a row `>= x.nrows()`;
    /// [`Error::DimensionMismatch`] when `y.len() != x.nrows()`; [`Error::NonFinite`] for NaN
    /// or infinite values in the block's rows of `x` or `y`.
    pub fn new<X: DesignMatrix<T> + ?Sized>(x: &X, y: &[T], rows: Vec<usize>) -> Result<Self> {
        let n = x.nrows();
        if y.len() != n {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows",
                expected: n,
                found: y.len(),
            });
        }
        if rows.is_empty() {
            return Err(Error::Empty { what: "row block" });
        }
        if let Some(&bad) = rows.iter().find(|&&i| i >= n) {
            return Err(Error::IndexOutOfRange {
                what: "row block",
                index: bad,
                len: n,
            });
        }
        let stats = SufficientStats::of_rows(x, y, &rows)?;
        Ok(Self { rows, stats })
    }

    /// The block's rows.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The block's sufficient statistics.
    pub fn stats(&self) -> &SufficientStats<T> {
        &self.stats
    }

    /// The sum of squared errors `Σ_{i in block} (y_i − x_iᵀw − b)²` of coefficients `w` and
    /// intercept `b`, from the block's statistics without reading `X`, and the size of its
    /// terms (see [`SufficientStats::sse`]: compare them before trusting the first; in `f32` it
    /// is rarely enough).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `w` does not have one entry per feature.
    pub fn sse(&self, w: &[T], b: T) -> Result<(T, T)> {
        self.stats.sse(w, b)
    }
}

/// Row-block statistics of one data set: prepares the Gram-mode problem of the rows of all
/// blocks but one (a fold's training set) by combining the blocks' statistics.
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{BlockStats, CdMode, CoordinateDescent, RowBlock};
/// let x = ColMajor::from_fn(40, 3, |i, j| ((i * 7 + j * 3) % 11) as f64);
/// let y: Vec<f64> = (0..40).map(|i| (i % 5) as f64).collect();
/// let blocks = vec![
///     RowBlock::new(&x, &y, (0..20).collect())?,
///     RowBlock::new(&x, &y, (20..40).collect())?,
/// ];
/// let stats = BlockStats::new(&x, &y, blocks)?;
/// let cd = CoordinateDescent::new().mode(CdMode::Gram).tol(1e-10);
/// // the problem on rows 20..40 (every block but block 0), with an intercept
/// let prep = stats.prepare(Some(0), true)?;
/// let sol = cd.solve_prepared(&prep, &L1, 0.1, None, &mut ())?;
/// assert!(sol.converged());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug)]
pub struct BlockStats<'a, T, X: ?Sized> {
    x: &'a X,
    y: &'a [T],
    blocks: Vec<RowBlock<T>>,
}

impl<'a, T: Scalar, X: DesignMatrix<T> + Sync + ?Sized> BlockStats<'a, T, X> {
    /// The statistics of `(x, y)` cut into `blocks` (each made by [`RowBlock::new`] from the
    /// same `x` and `y`; at least two, disjoint).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`blocks`) for fewer than two blocks or blocks that overlap;
    /// [`Error::DimensionMismatch`] for blocks of another shape.
    pub fn new(x: &'a X, y: &'a [T], blocks: Vec<RowBlock<T>>) -> Result<Self> {
        let (n, p) = (x.nrows(), x.ncols());
        if blocks.len() < 2 {
            return Err(Error::InvalidParameter {
                name: "blocks",
                value: blocks.len() as f64,
                expected: "at least 2 row blocks",
            });
        }
        let mut seen = vec![false; n];
        for b in &blocks {
            if b.stats.n_features() != p || y.len() != n {
                return Err(Error::DimensionMismatch {
                    what: "row block features vs X columns",
                    expected: p,
                    found: b.stats.n_features(),
                });
            }
            for &i in &b.rows {
                match seen.get_mut(i) {
                    Some(s) if !*s => *s = true,
                    _ => {
                        return Err(Error::InvalidParameter {
                            name: "blocks",
                            value: i as f64,
                            expected: "disjoint blocks of rows of X",
                        })
                    }
                }
            }
        }
        Ok(Self { x, y, blocks })
    }

    /// Number of blocks.
    pub fn n_blocks(&self) -> usize {
        self.blocks.len()
    }

    /// Block `k` (panics if `k >= n_blocks()`, a programmer error).
    pub fn block(&self, k: usize) -> &RowBlock<T> {
        &self.blocks[k]
    }

    /// The prepared single-task problem (no sample weights, no standardization) on the rows of
    /// every block except `exclude` (`None`: every block), with an intercept (centering at the
    /// rows' means) or not, holding its Gram matrix. The training rows are not copied; should
    /// a solver need the columns (naive updates, FISTA), they are gathered on first use.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for `exclude >= n_blocks()`; [`Error::Numerical`] for data
    /// whose squared norms overflow or underflow (as [`Prepared::new`]).
    pub fn prepare(&self, exclude: Option<usize>, fit_intercept: bool) -> Result<Prepared<'a, T>> {
        let kk = self.blocks.len();
        if let Some(e) = exclude.filter(|&e| e >= kk) {
            return Err(Error::IndexOutOfRange {
                what: "excluded block",
                index: e,
                len: kk,
            });
        }
        let used: Vec<&SufficientStats<T>> = (0..kk)
            .filter(|&f| Some(f) != exclude)
            .map(|f| &self.blocks[f].stats)
            .collect();
        let comb = parallel_axis(&used, fit_intercept);
        let (mu, y_mu, g, c) = (comb.x_mean, comb.y_mean, comb.xx, comb.xy);
        let p = self.x.ncols();
        let m = T::from_count(comb.n);
        let col_sq: Vec<T> = (0..p).map(|j| g.as_slice()[j * p + j]).collect();
        let rows: Vec<usize> = (0..kk)
            .filter(|&f| Some(f) != exclude)
            .flat_map(|f| self.blocks[f].rows.iter().copied())
            .collect();
        let y: Vec<T> = rows.iter().map(|&i| self.y[i] - y_mu).collect();
        let grad0: Vec<T> = c.iter().map(|&v| -v / m).collect();
        let x = self.x;
        let make = move || {
            x.select_rows(&rows)
                .map(|s| s.to_col_major())
                .unwrap_or_else(|_| ColMajor::zeros(rows.len(), x.ncols()))
        };
        Prepared::from_gram_parts(GramParts {
            n: y.len(),
            m,
            y_sq: sq_norm(&y),
            rows: Some(GramRows {
                make: Box::new(make),
                y,
            }),
            x_mean: if fit_intercept {
                mu.clone()
            } else {
                vec![T::zero(); p]
            },
            offsets: mu,
            y_mean: y_mu,
            col_sq,
            gram: g,
            grad0,
            x_scale: None,
        })
    }
}

impl<T: Scalar> CoordinateDescent<T> {
    /// Whether this solver uses Gram (covariance) updates on `n_samples × n_features` data with
    /// one task (then [`BlockStats::prepare`] gives it everything it needs).
    pub fn uses_gram_updates(&self, n_samples: usize, n_features: usize) -> bool {
        self.uses_gram(n_samples, n_features, 1)
    }
}

/// Cache of the lazily gathered columns of a [`Prepared`] built from block statistics.
pub(crate) struct LazyCols<'a, T> {
    pub(crate) make: Box<dyn Fn() -> ColMajor<T> + Send + Sync + 'a>,
    pub(crate) cell: OnceLock<ColMajor<T>>,
}

impl<T> core::fmt::Debug for LazyCols<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(if self.cell.get().is_some() {
            "LazyCols(gathered)"
        } else {
            "LazyCols(not gathered)"
        })
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_range_loop
)]
mod tests {
    use super::*;
    use crate::{CdMode, Fista, Problem};
    use proxreg_core::penalty::{ElasticNet, L1};

    /// Correlated data with non-zero column means (so centering matters).
    fn data<T: Scalar>(n: usize, p: usize) -> (ColMajor<T>, Vec<T>) {
        let x = ColMajor::from_fn(n, p, |i, j| {
            let u = ((i * 37 + j * 101 + i * j * 7) % 97) as f64 / 97.0 - 0.3;
            T::lit(u + 0.5 * (j as f64) + 0.2 * ((i + j) % 5) as f64)
        });
        let y: Vec<T> = (0..n)
            .map(|i| {
                let c0 = x.col(0)[i].as_f64();
                let c2 = x.col(2)[i].as_f64();
                T::lit(2.0 * c0 - 1.5 * c2 + ((i * 13) % 7) as f64 / 7.0 + 3.0)
            })
            .collect();
        (x, y)
    }

    fn stats_of<'a, T: Scalar>(
        x: &'a ColMajor<T>,
        y: &'a [T],
        tests: &[Vec<usize>],
    ) -> BlockStats<'a, T, ColMajor<T>> {
        let blocks = tests
            .iter()
            .map(|t| RowBlock::new(x, y, t.clone()).unwrap())
            .collect();
        BlockStats::new(x, y, blocks).unwrap()
    }

    fn blocks_equal_direct<T: Scalar>() {
        let (n, p) = (53, 6);
        let (x, y) = data::<T>(n, p);
        // non-contiguous blocks: a shuffled-like partition
        let tests: Vec<Vec<usize>> = (0..4)
            .map(|f| (0..n).filter(|i| (i * 7 + 3) % 4 == f).collect())
            .collect();
        let st = stats_of(&x, &y, &tests);
        let eps = T::epsilon().as_f64();
        let tol = if eps > 1e-10 {
            T::lit(1e-6)
        } else {
            T::lit(1e-13)
        };
        let cd = CoordinateDescent::new().tol(tol).mode(CdMode::Gram);
        let pen = ElasticNet::new(T::lit(0.6)).unwrap();
        for intercept in [true, false] {
            for k in 0..4 {
                let train: Vec<usize> = (0..n).filter(|i| !tests[k].contains(i)).collect();
                let xt = x.select_rows(&train).unwrap();
                let yt: Vec<T> = train.iter().map(|&i| y[i]).collect();
                let pb = Problem::new(&xt, &yt, &pen, T::zero()).fit_intercept(intercept);
                let direct = Prepared::new(&pb, true).unwrap();
                let fast = st.prepare(Some(k), intercept).unwrap();
                let scale = direct
                    .centered_gram()
                    .as_slice()
                    .iter()
                    .fold(0.0_f64, |m, v| m.max(v.as_f64().abs()));
                for (a, b) in fast
                    .centered_gram()
                    .as_slice()
                    .iter()
                    .zip(direct.centered_gram().as_slice())
                {
                    assert!((a.as_f64() - b.as_f64()).abs() <= 64.0 * eps * scale * n as f64);
                }
                let g0 = direct.gradient_at_zero();
                let gs = g0.iter().fold(0.0_f64, |m, v| m.max(v.as_f64().abs()));
                for (a, b) in fast.gradient_at_zero().iter().zip(&g0) {
                    assert!((a.as_f64() - b.as_f64()).abs() <= 64.0 * eps * gs * n as f64);
                }
                // the fits agree to the tolerance, with Gram updates (no columns needed)
                let a = crate::alpha_max(&direct, &pen).unwrap() * T::lit(0.05);
                let s1 = cd.solve_prepared(&direct, &pen, a, None, &mut ()).unwrap();
                let s2 = cd.solve_prepared(&fast, &pen, a, None, &mut ()).unwrap();
                assert!(s1.converged() && s2.converged());
                let bound = if eps > 1e-10 { 2e-2 } else { 1e-5 };
                let wmax = s1.coef.iter().fold(0.0_f64, |m, v| m.max(v.as_f64().abs()));
                for (u, v) in s1.coef.iter().zip(&s2.coef) {
                    assert!(
                        (u.as_f64() - v.as_f64()).abs() <= bound * wmax,
                        "{u} vs {v}"
                    );
                }
                let (b1, b2) = (s1.intercept[0].as_f64(), s2.intercept[0].as_f64());
                assert!((b1 - b2).abs() <= bound * (1.0 + b1.abs()));
                // held-out SSE from the block statistics equals the direct sum
                let sse_direct: f64 = tests[k]
                    .iter()
                    .map(|&i| {
                        let pred = b2
                            + (0..p)
                                .map(|j| x.col(j)[i].as_f64() * s2.coef[j].as_f64())
                                .sum::<f64>();
                        (y[i].as_f64() - pred).powi(2)
                    })
                    .sum();
                let sse = st
                    .block(k)
                    .sse(&s2.coef, s2.intercept[0])
                    .unwrap()
                    .0
                    .as_f64();
                let ysq: f64 = tests[k].iter().map(|&i| y[i].as_f64().powi(2)).sum();
                assert!(
                    (sse - sse_direct).abs() <= 1e3 * eps * ysq,
                    "{sse} vs {sse_direct}"
                );
                // solvers that need the columns gather them on first use and agree
                let naive = CoordinateDescent::new().tol(tol).mode(CdMode::Naive);
                let s3 = naive.solve_prepared(&fast, &pen, a, None, &mut ()).unwrap();
                let s4 = naive
                    .solve_prepared(&direct, &pen, a, None, &mut ())
                    .unwrap();
                assert!(s3.converged());
                for (u, v) in s3.coef.iter().zip(&s4.coef) {
                    assert!((u.as_f64() - v.as_f64()).abs() <= bound * wmax);
                }
                let f = Fista::new().tol(tol).max_iter(100_000);
                let s5 = f.solve_prepared(&fast, &L1, a, None, &mut ()).unwrap();
                let s6 = f.solve_prepared(&direct, &L1, a, None, &mut ()).unwrap();
                assert_eq!(s5.converged(), s6.converged());
                assert!(
                    (s5.objective.as_f64() - s6.objective.as_f64()).abs()
                        <= bound * s6.objective.as_f64().abs()
                );
            }
        }
    }

    #[test]
    fn block_folds_equal_direct_f64() {
        blocks_equal_direct::<f64>();
    }

    #[test]
    fn block_folds_equal_direct_f32() {
        blocks_equal_direct::<f32>();
    }

    #[test]
    fn typed_errors() {
        let (x, y) = data::<f64>(20, 3);
        assert!(matches!(
            RowBlock::new(&x, &y, vec![]),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            RowBlock::new(&x, &y, vec![0, 20]),
            Err(Error::IndexOutOfRange { .. })
        ));
        assert!(matches!(
            RowBlock::new(&x, &y[..19], vec![0]),
            Err(Error::DimensionMismatch { .. })
        ));
        let mut xn = x.clone();
        xn.col_mut(1)[4] = f64::NAN;
        assert!(matches!(
            RowBlock::new(&xn, &y, vec![3, 4]),
            Err(Error::NonFinite { .. })
        ));
        let b = |r: Vec<usize>| RowBlock::new(&x, &y, r).unwrap();
        assert!(BlockStats::new(&x, &y, vec![b(vec![0, 1])]).is_err());
        assert!(BlockStats::new(&x, &y, vec![b(vec![0, 1]), b(vec![1, 2])]).is_err());
        let st =
            BlockStats::new(&x, &y, vec![b((0..10).collect()), b((10..20).collect())]).unwrap();
        assert!(matches!(
            st.prepare(Some(2), true),
            Err(Error::IndexOutOfRange { .. })
        ));
        assert!(st.block(0).sse(&[1.0], 0.0).is_err());
    }
}
