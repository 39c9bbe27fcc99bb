//! Mergeable sufficient statistics of weighted least squares, and fits from them alone (see
//! [`SufficientStats`]).

use proxreg_core::error::{ensure_all_finite, ensure_nonneg_finite};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};

use crate::kernels::{dot, sq_norm};
use crate::problem::{check_sample_weight, GramParts, Prepared};

/// Mergeable sufficient statistics of a (weighted) single-target least-squares problem: row
/// count, weight sum, weighted means and the weighted centred comoments `XᵀX`, `Xᵀy`, `yᵀy`.
/// Multi-target statistics are not supported (yet).
///
/// For the least-squares data term everything a fit needs — the Gram-mode coordinate descent,
/// its duality gap and KKT certificate, `alpha_max`, the path, ridge — depends on the rows only
/// through (with sample weights `s_i ≥ 0`, `W = Σ s_i`)
///
/// - the row count `n` and the weight sum `W`,
/// - the weighted means `μ = Σ s_i x_i / W` and `ȳ = Σ s_i y_i / W`,
/// - the weighted **centred** comoments `M = Σ s_i (x_i − μ)(x_i − μ)ᵀ` (`p × p`),
///   `c = Σ s_i (x_i − μ)(y_i − ȳ)` and `v = Σ s_i (y_i − ȳ)²`.
///
/// Two sets of statistics `A`, `B` of disjoint batches merge exactly by the pairwise update of
/// Chan, Golub and LeVeque (1979/1983): with `δ = μ_B − μ_A` and `f = W_A W_B / W`,
///
/// `μ = μ_A + δ·W_B/W`, `M = M_A + M_B + f·δδᵀ` (and likewise for `c` and `v`),
///
/// a sum of centred terms. The textbook alternative — accumulate the raw moments `Σ s xxᵀ` and
/// subtract `W μμᵀ` at the end — cancels catastrophically when the means are large against the
/// spread (a column with mean `1e8` and unit variance loses every digit in `f64`); the pairwise
/// update keeps the accuracy of the per-batch two-pass sums (see the tests).
///
/// [`SufficientStats::prepare`] turns statistics into a [`Prepared`] problem that holds no rows:
/// [`CoordinateDescent`](crate::CoordinateDescent) solves it in Gram mode (whatever its `mode`
/// setting, except an explicit `CdMode::Naive`, which is an error), with the usual certificates;
/// [`RidgeDirect::solve_prepared`](crate::RidgeDirect::solve_prepared) solves ridge by Cholesky.
/// Solvers that need the rows ([`Fista`](crate::Fista), block coordinate descent, the spectral
/// ridge) return [`Error::Unsupported`] on such a problem.
///
/// **Accuracy of the certificate.** Without rows the squared residual is
/// `‖r‖² = v − 2wᵀc + wᵀMw` (centred form). Its rounding error is a few `ε·(v + 2|wᵀc| + wᵀMw)`,
/// i.e. a few `ε·‖ỹ‖²` near the optimum (where `wᵀMw ≤ v`): the relative duality gap is resolved
/// down to about `10·ε` (`1e-15` in `f64`, `1e-6` in `f32`), the same floor as the in-memory Gram
/// mode. The KKT violation uses the gradient `(Mw − c)/W`, which does not cancel.
///
/// Build them from batches of rows with [`SufficientStats::from_batch`], combine batches with
/// [`SufficientStats::merge`], and fit with [`SufficientStats::prepare`].
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{alpha_max, CoordinateDescent, SufficientStats};
/// let x = ColMajor::from_fn(60, 3, |i, j| ((i * 7 + j * 5) % 13) as f64 + 100.0);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i] + (i % 3) as f64).collect();
/// // two batches (e.g. two files, or two workers), merged
/// let top = ColMajor::from_fn(25, 3, |i, j| x.col(j)[i]);
/// let bottom = ColMajor::from_fn(35, 3, |i, j| x.col(j)[25 + i]);
/// let mut stats = SufficientStats::from_batch(&top, &y[..25], None)?;
/// stats.merge(&SufficientStats::from_batch(&bottom, &y[25..], None)?)?;
/// assert_eq!(stats.n_samples(), 60);
/// // a Lasso fit with intercept from the statistics alone
/// let prep = stats.prepare(true, false)?;
/// let alpha = 0.1 * alpha_max(&prep, &L1)?;
/// let sol = CoordinateDescent::new().tol(1e-12).solve_prepared(&prep, &L1, alpha, None, &mut ())?;
/// assert!(sol.converged() && sol.relative_gap.unwrap() <= 1e-12);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SufficientStats<T> {
    n: usize,
    weight_sum: T,
    x_mean: Vec<T>,
    y_mean: T,
    xx: ColMajor<T>,
    xy: Vec<T>,
    yy: T,
}

impl<T: Scalar> SufficientStats<T> {
    /// The statistics of no rows with `p` features: the identity of [`SufficientStats::merge`]
    /// (an accumulator's starting value). It cannot be prepared for a fit.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(3, 2, |i, j| (i + j) as f64);
    /// let batch = SufficientStats::from_batch(&x, &[1.0, 2.0, 4.0], None)?;
    /// let mut acc = SufficientStats::empty(2);
    /// acc.merge(&batch)?;
    /// assert_eq!(acc, batch);
    /// assert!(SufficientStats::<f64>::empty(2).prepare(true, false).is_err());
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn empty(p: usize) -> Self {
        Self {
            n: 0,
            weight_sum: T::zero(),
            x_mean: vec![T::zero(); p],
            y_mean: T::zero(),
            xx: ColMajor::zeros(p, p),
            xy: vec![T::zero(); p],
            yy: T::zero(),
        }
    }

    /// The statistics of a batch of rows `(x, y)` with optional sample weights (`None`: all 1),
    /// by two passes over a centred, `√s`-weighted copy of the batch and one Gram matrix through
    /// the backend (BLAS-3). Rows of weight 0 count in [`SufficientStats::n_samples`] only.
    ///
    /// # Errors
    /// [`Error::Empty`] for a batch without rows or columns; [`Error::DimensionMismatch`] when
    /// `y` or `weights` does not have one entry per row; [`Error::NonFinite`] for NaN or
    /// infinite values in `x` or `y`; [`Error::InvalidParameter`] (`sample_weight`) for a
    /// negative, NaN or infinite weight or all weights zero; [`Error::Numerical`] when a
    /// statistic overflows.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(4, 1, |i, _| i as f64); // 0, 1, 2, 3
    /// let s = SufficientStats::from_batch(&x, &[1.0, 1.0, 2.0, 2.0], Some(&[1.0, 1.0, 1.0, 0.0]))?;
    /// assert_eq!((s.n_samples(), s.weight_sum()), (4, 3.0));
    /// assert_eq!(s.x_mean(), &[1.0]);                 // the weighted mean of 0, 1, 2
    /// assert_eq!(s.xx().as_slice(), &[2.0]);          // Σ s (x − μ)²
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn from_batch<X: DesignMatrix<T> + ?Sized>(
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
    ) -> Result<Self> {
        Self::accumulate(x, y, weights, None)
    }

    /// The statistics of rows `rows` of `(x, y)` (unweighted; the caller checked the shapes and
    /// that `rows` is a non-empty set of valid row indices).
    pub(crate) fn of_rows<X: DesignMatrix<T> + ?Sized>(
        x: &X,
        y: &[T],
        rows: &[usize],
    ) -> Result<Self> {
        Self::accumulate(x, y, None, Some(rows))
    }

    fn accumulate<X: DesignMatrix<T> + ?Sized>(
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
        rows: Option<&[usize]>,
    ) -> Result<Self> {
        let (n, p) = (x.nrows(), x.ncols());
        check_batch(n, p, y.len(), weights)?;
        let row_of = |i: usize| rows.map_or(i, |r| r[i]);
        let nb = rows.map_or(n, <[usize]>::len);
        let mut xb = match (
            rows,
            (0..p).map(|j| x.col_slice(j)).collect::<Option<Vec<_>>>(),
        ) {
            (Some(rows), Some(cols)) => {
                let mut data = Vec::with_capacity(nb * p);
                for c in cols {
                    data.extend(rows.iter().map(|&i| c[i]));
                }
                ColMajor::new(data, nb, p)?
            }
            (Some(rows), None) => x.select_rows(rows)?.to_col_major(),
            (None, _) => x.to_col_major(),
        };
        let mut yb: Vec<T> = (0..nb).map(|i| y[row_of(i)]).collect();
        let sw: Option<Vec<T>> = weights.map(|s| (0..nb).map(|i| s[row_of(i)]).collect());
        Self::centred(&mut xb, &mut yb, sw.as_deref(), &|j, i| j * n + row_of(i))
    }

    /// [`SufficientStats::from_batch`] that uses the caller's buffers as scratch space instead
    /// of copying the batch: on return (also on error) `x` and `y` hold unspecified values (the
    /// centred, `√s`-weighted batch on success). For streaming readers that convert each batch
    /// into a reusable buffer anyway (`proxreg_io::parquet`); the statistics are bitwise
    /// identical to [`SufficientStats::from_batch`]'s.
    ///
    /// # Errors
    /// As [`SufficientStats::from_batch`].
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(5, 2, |i, j| (i * (j + 2)) as f64);
    /// let y = [1.0, 0.5, 2.0, 3.0, 1.0];
    /// let want = SufficientStats::from_batch(&x, &y, None)?;
    /// let (mut xs, mut ys) = (x.clone(), y.to_vec());
    /// assert_eq!(SufficientStats::from_batch_scratch(&mut xs, &mut ys, None)?, want);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn from_batch_scratch(
        x: &mut ColMajor<T>,
        y: &mut [T],
        weights: Option<&[T]>,
    ) -> Result<Self> {
        let (n, p) = (x.nrows(), x.ncols());
        check_batch(n, p, y.len(), weights)?;
        Self::centred(x, y, weights, &|j, i| j * n + i)
    }

    /// The statistics of the batch `(xb, yb, sw)` (shapes checked), centring and weighting
    /// `xb` and `yb` in place; `index(j, i)` is the reported index of entry `(i, j)`.
    fn centred(
        xb: &mut ColMajor<T>,
        yb: &mut [T],
        sw: Option<&[T]>,
        index: &dyn Fn(usize, usize) -> usize,
    ) -> Result<Self> {
        let (nb, p) = (xb.nrows(), xb.ncols());
        let weight_sum = match sw {
            Some(s) => s.iter().copied().sum::<T>(),
            None => T::from_count(nb),
        };
        if !(weight_sum > T::zero() && weight_sum.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "sample_weight",
                value: weight_sum.as_f64(),
                expected: "at least one weight > 0 (and a finite sum)",
            });
        }
        // The mean in the same arithmetic as the in-memory preparation (`Prepared::new`, and
        // the cross-validation blocks before these statistics existed).
        let inv = T::one() / T::from_count(nb);
        let mean_of = |v: &[T]| -> T {
            match sw {
                Some(s) => v.iter().zip(s).map(|(&a, &b)| a * b).sum::<T>() / weight_sum,
                None => v.iter().copied().sum::<T>() * inv,
            }
        };
        let root: Option<Vec<T>> = sw.map(|s| s.iter().map(|v| v.sqrt()).collect());
        let mut x_mean = vec![T::zero(); p];
        for (j, mj) in x_mean.iter_mut().enumerate() {
            let c = xb.col_mut(j);
            if let Some(i) = c.iter().position(|v| !v.is_finite()) {
                return Err(Error::NonFinite {
                    what: "X",
                    index: index(j, i),
                });
            }
            let mu = mean_of(c);
            match &root {
                Some(r) => c.iter_mut().zip(r).for_each(|(v, &ri)| *v = (*v - mu) * ri),
                None => c.iter_mut().for_each(|v| *v -= mu),
            }
            *mj = mu;
        }
        ensure_all_finite("y", yb)?;
        let y_mean = mean_of(yb);
        match &root {
            Some(r) => yb
                .iter_mut()
                .zip(r)
                .for_each(|(v, &ri)| *v = (*v - y_mean) * ri),
            None => yb.iter_mut().for_each(|v| *v -= y_mean),
        }
        let mut xx = xb.gram(Parallelism::Sequential);
        let mut xy = vec![T::zero(); p];
        for (j, d) in xy.iter_mut().enumerate() {
            let c = xb.col(j);
            *d = dot(c, yb);
            // exact diagonal (the same two-pass sum as Prepared's column norms)
            xx.as_mut_slice()[j * p + j] = sq_norm(c);
        }
        let me = Self {
            n: nb,
            weight_sum,
            x_mean,
            y_mean,
            xx,
            xy,
            yy: sq_norm(yb),
        };
        me.check_finite()?;
        Ok(me)
    }

    /// Statistics from their parts, e.g. computed elsewhere (numpy, Spark) and loaded from a
    /// file: `n` rows, weight sum `weight_sum` (`n` without weights), weighted means `x_mean`
    /// (`p`) and `y_mean`, and the weighted **centred** comoments `xx` (`p × p`), `xy` (`p`)
    /// and `yy` (see [`SufficientStats`]). `xx` must be symmetric up to rounding (it is
    /// symmetrised); `n = 0` with `weight_sum = 0` is the empty statistics.
    ///
    /// # Errors
    /// [`Error::Empty`] for no features; [`Error::DimensionMismatch`] for inconsistent lengths;
    /// [`Error::NonFinite`] for NaN or infinite entries; [`Error::InvalidParameter`] for a
    /// weight sum that is not `> 0` (with rows), a negative `yy` or diagonal of `xx`, or an
    /// `xx` that is not symmetric.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let xx = ColMajor::new(vec![2.0, 0.5, 0.5, 1.0], 2, 2)?;
    /// let s = SufficientStats::from_parts(10, 10.0, vec![1.0, -1.0], 3.0, xx, vec![0.7, 0.2], 4.0)?;
    /// assert_eq!(s.n_features(), 2);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn from_parts(
        n: usize,
        weight_sum: T,
        x_mean: Vec<T>,
        y_mean: T,
        xx: ColMajor<T>,
        xy: Vec<T>,
        yy: T,
    ) -> Result<Self> {
        let p = x_mean.len();
        if p == 0 {
            return Err(Error::Empty {
                what: "statistics without features",
            });
        }
        for (what, found) in [
            ("comoment xx rows vs features", xx.nrows()),
            ("comoment xx columns vs features", xx.ncols()),
            ("comoment xy length vs features", xy.len()),
        ] {
            if found != p {
                return Err(Error::DimensionMismatch {
                    what,
                    expected: p,
                    found,
                });
            }
        }
        ensure_all_finite("x_mean", &x_mean)?;
        ensure_all_finite("xx", xx.as_slice())?;
        ensure_all_finite("xy", &xy)?;
        ensure_all_finite("y_mean", &[y_mean])?;
        ensure_nonneg_finite("yy", yy)?;
        ensure_nonneg_finite("weight_sum", weight_sum)?;
        if n > 0 && weight_sum <= T::zero() {
            return Err(Error::InvalidParameter {
                name: "weight_sum",
                value: weight_sum.as_f64(),
                expected: "> 0 for statistics of at least one row",
            });
        }
        let mut xx = xx;
        let tol = T::epsilon().sqrt();
        let g = xx.as_mut_slice();
        for a in 0..p {
            ensure_nonneg_finite("xx diagonal", g[a * p + a])?;
            for b in 0..a {
                let (u, v) = (g[a * p + b], g[b * p + a]);
                let scale = (g[a * p + a] * g[b * p + b]).sqrt();
                // finite values (checked above): no NaN to compare
                if (u - v).abs() > tol * scale {
                    return Err(Error::InvalidParameter {
                        name: "xx",
                        value: (u - v).as_f64(),
                        expected: "a symmetric matrix (up to rounding)",
                    });
                }
                let mid = (u + v) * T::lit(0.5);
                g[a * p + b] = mid;
                g[b * p + a] = mid;
            }
        }
        Ok(Self {
            n,
            weight_sum,
            x_mean,
            y_mean,
            xx,
            xy,
            yy,
        })
    }

    /// Adds the statistics of another, disjoint set of rows (the pairwise Chan–Golub–LeVeque
    /// update of the centred comoments). Merging is associative and commutative up to rounding:
    /// any order or tree of merges gives the same statistics to a few `ε`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for statistics with another number of features;
    /// [`Error::Numerical`] when the merged statistics overflow (`self` is then unchanged).
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(6, 2, |i, j| (i * (j + 1)) as f64);
    /// let y = [1.0, 0.0, 2.0, 1.0, 3.0, 5.0];
    /// let whole = SufficientStats::from_batch(&x, &y, None)?;
    /// let head = ColMajor::from_fn(2, 2, |i, j| x.col(j)[i]);
    /// let tail = ColMajor::from_fn(4, 2, |i, j| x.col(j)[2 + i]);
    /// let mut s = SufficientStats::from_batch(&tail, &y[2..], None)?;
    /// s.merge(&SufficientStats::from_batch(&head, &y[..2], None)?)?;
    /// assert!((s.yy() - whole.yy()).abs() < 1e-12 && (s.xx().as_slice()[3] - whole.xx().as_slice()[3]).abs() < 1e-12);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        let p = self.x_mean.len();
        if other.x_mean.len() != p {
            return Err(Error::DimensionMismatch {
                what: "features of merged statistics",
                expected: p,
                found: other.x_mean.len(),
            });
        }
        if other.weight_sum <= T::zero() {
            self.n += other.n;
            return Ok(());
        }
        if self.weight_sum <= T::zero() {
            let n = self.n;
            *self = other.clone();
            self.n += n;
            return Ok(());
        }
        let (wa, wb) = (self.weight_sum, other.weight_sum);
        let w = wa + wb;
        let f = wa * wb / w;
        let tb = wb / w;
        let delta: Vec<T> = other
            .x_mean
            .iter()
            .zip(&self.x_mean)
            .map(|(&b, &a)| b - a)
            .collect();
        let dy = other.y_mean - self.y_mean;
        let mut xx = self.xx.clone();
        {
            let g = xx.as_mut_slice();
            for (a, &v) in g.iter_mut().zip(other.xx.as_slice()) {
                *a += v;
            }
            for (col, &dc) in delta.iter().enumerate() {
                let s = f * dc;
                if s != T::zero() {
                    for (a, &d) in g[col * p..(col + 1) * p].iter_mut().zip(&delta) {
                        *a += s * d;
                    }
                }
            }
        }
        let merged = Self {
            n: self.n + other.n,
            weight_sum: w,
            x_mean: self
                .x_mean
                .iter()
                .zip(&delta)
                .map(|(&a, &d)| a + d * tb)
                .collect(),
            y_mean: self.y_mean + dy * tb,
            xx,
            xy: self
                .xy
                .iter()
                .zip(&other.xy)
                .zip(&delta)
                .map(|((&a, &b), &d)| a + b + f * d * dy)
                .collect(),
            yy: self.yy + other.yy + f * dy * dy,
        };
        merged.check_finite()?;
        *self = merged;
        Ok(())
    }

    /// The statistics of the union of `parts` (disjoint sets of rows): the parallel-axis sum
    /// around the union's mean, `M = Σ_f M_f + Σ_f W_f (μ_f − μ)(μ_f − μ)ᵀ` (the `K`-way form
    /// of [`SufficientStats::merge`]; e.g. the training set of a cross-validation fold from the
    /// other folds' statistics).
    ///
    /// # Errors
    /// [`Error::Empty`] for no parts; [`Error::DimensionMismatch`] for parts with different
    /// numbers of features; [`Error::Numerical`] on overflow.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(9, 2, |i, j| ((i * 5 + j) % 7) as f64);
    /// let y: Vec<f64> = (0..9).map(|i| i as f64).collect();
    /// let part = |r: std::ops::Range<usize>| {
    ///     let xb = ColMajor::from_fn(r.len(), 2, |i, j| x.col(j)[r.start + i]);
    ///     SufficientStats::from_batch(&xb, &y[r], None)
    /// };
    /// let (a, b, c) = (part(0..3)?, part(3..5)?, part(5..9)?);
    /// let all = SufficientStats::combine(&[&a, &b, &c])?;
    /// let whole = SufficientStats::from_batch(&x, &y, None)?;
    /// assert!((all.yy() - whole.yy()).abs() < 1e-12 * whole.yy());
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn combine(parts: &[&Self]) -> Result<Self> {
        let first = parts.first().ok_or(Error::Empty {
            what: "statistics to combine",
        })?;
        let p = first.n_features();
        if let Some(bad) = parts.iter().find(|s| s.n_features() != p) {
            return Err(Error::DimensionMismatch {
                what: "features of combined statistics",
                expected: p,
                found: bad.n_features(),
            });
        }
        let c = parallel_axis(parts, true);
        let me = Self {
            n: c.n,
            weight_sum: c.weight,
            x_mean: c.x_mean,
            y_mean: c.y_mean,
            xx: c.xx,
            xy: c.xy,
            yy: c.yy,
        };
        me.check_finite()?;
        Ok(me)
    }

    /// [`Error::Numerical`] naming what overflows, with the messages of the in-memory
    /// preparation (`Prepared::new`): the weights, `X`'s statistics, or `y`'s.
    fn check_finite(&self) -> Result<()> {
        let finite = |v: &[T]| v.iter().all(|a| a.is_finite());
        if !self.weight_sum.is_finite() {
            return Err(Error::Numerical {
                what: "sample_weight",
                reason: "the sum of the weights overflows in this precision (rescale them)",
            });
        }
        if !(finite(&self.x_mean) && finite(self.xx.as_slice())) {
            return Err(Error::Numerical {
                what: "X",
                reason: "a column's squared norm overflows or underflows in this precision \
                         (rescale X)",
            });
        }
        if !(self.yy.is_finite() && self.y_mean.is_finite() && finite(&self.xy)) {
            return Err(Error::Numerical {
                what: "y",
                reason: "its squared norm overflows or underflows in this precision \
                         (rescale y, and alpha with it)",
            });
        }
        Ok(())
    }

    /// Number of rows (zero-weight rows included).
    pub fn n_samples(&self) -> usize {
        self.n
    }

    /// Number of features `p`.
    pub fn n_features(&self) -> usize {
        self.x_mean.len()
    }

    /// The weight sum `W = Σ s_i` (`n` without sample weights).
    pub fn weight_sum(&self) -> T {
        self.weight_sum
    }

    /// The weighted column means `μ`.
    pub fn x_mean(&self) -> &[T] {
        &self.x_mean
    }

    /// The weighted target mean `ȳ`.
    pub fn y_mean(&self) -> T {
        self.y_mean
    }

    /// The weighted centred comoment matrix `M = Σ s_i (x_i − μ)(x_i − μ)ᵀ` (`p × p`, symmetric).
    pub fn xx(&self) -> &ColMajor<T> {
        &self.xx
    }

    /// The weighted centred cross-moment `c = Σ s_i (x_i − μ)(y_i − ȳ)` (`p`).
    pub fn xy(&self) -> &[T] {
        &self.xy
    }

    /// The weighted centred second moment of the target, `v = Σ s_i (y_i − ȳ)²`.
    pub fn yy(&self) -> T {
        self.yy
    }

    /// The weighted sum of squared errors `Σ_i s_i (y_i − x_iᵀw − b)²` of coefficients `w`
    /// and intercept `b` over these rows, in `O(p·nnz(w))`:
    /// `v − 2wᵀc + wᵀMw + W(ȳ − b − μᵀw)²` (clamped at 0), and the size of its terms
    /// `v + 2|wᵀc| + wᵀMw + W(ȳ − b − μᵀw)²`: the rounding error of the first is a small
    /// multiple of `ε` times the second (cancellation when the fit is close).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `w` does not have one entry per feature.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(3, 1, |i, _| i as f64);
    /// let s = SufficientStats::from_batch(&x, &[1.0, 3.0, 5.5], None)?;
    /// let (sse, _) = s.sse(&[2.0], 1.0)?; // residuals 0, 0, 0.5
    /// assert!((sse - 0.25).abs() < 1e-14);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn sse(&self, w: &[T], b: T) -> Result<(T, T)> {
        let p = self.x_mean.len();
        if w.len() != p {
            return Err(Error::DimensionMismatch {
                what: "coefficients vs features",
                expected: p,
                found: w.len(),
            });
        }
        let g = self.xx.as_slice();
        let mut quad = T::zero();
        for (j, &wj) in w.iter().enumerate() {
            if wj != T::zero() {
                let col = &g[j * p..(j + 1) * p];
                let s: T = w.iter().zip(col).map(|(&a, &c)| a * c).sum();
                quad += wj * s;
            }
        }
        let shift = self.y_mean - b - dot(&self.x_mean, w);
        let cross = T::lit(2.0) * dot(w, &self.xy);
        let last = self.weight_sum * shift * shift;
        let v = self.yy - cross + quad + last;
        Ok((v.max(T::zero()), self.yy + cross.abs() + quad.abs() + last))
    }

    /// The prepared problem `minimise (1/(2W)) Σ s_i (y_i − x_iᵀw − b)² + alpha·g(w)` of these
    /// statistics, with an intercept (centring at the weighted means) or not, and standardized
    /// columns or not (as [`Problem::standardize`](crate::Problem::standardize): unit weighted
    /// variance after centring; coefficients are reported on the original scale). It holds the
    /// `p × p` Gram matrix and **no rows**: solve it with
    /// [`CoordinateDescent::solve_prepared`](crate::CoordinateDescent::solve_prepared) /
    /// [`path_prepared`](crate::CoordinateDescent::path_prepared) (Gram updates),
    /// [`alpha_max`](crate::alpha_max), or
    /// [`RidgeDirect::solve_prepared`](crate::RidgeDirect::solve_prepared). The results equal
    /// the in-memory fits on the same rows to rounding.
    ///
    /// # Errors
    /// [`Error::Empty`] for statistics of no rows (or of zero weight); [`Error::Numerical`]
    /// when a statistic overflows or a non-zero one underflows (as [`Prepared::new`]).
    ///
    /// ```
    /// use proxreg_core::penalty::ElasticNet;
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::{alpha_grid, alpha_max, CoordinateDescent, SufficientStats};
    /// let x = ColMajor::from_fn(80, 4, |i, j| ((i * 3 + j * 11) % 17) as f64 * (j + 1) as f64);
    /// let y: Vec<f64> = (0..80).map(|i| x.col(1)[i] - 0.5 * x.col(3)[i]).collect();
    /// let stats = SufficientStats::from_batch(&x, &y, None)?;
    /// // standardized Elastic Net path with intercept, no rows needed
    /// let prep = stats.prepare(true, true)?;
    /// let pen = ElasticNet::new(0.5)?;
    /// let grid = alpha_grid(alpha_max(&prep, &pen)?, 10, 1e-2)?;
    /// let path = CoordinateDescent::new().tol(1e-10).path_prepared(&prep, &pen, &grid, None)?;
    /// assert!(path.all_converged());
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn prepare(&self, fit_intercept: bool, standardize: bool) -> Result<Prepared<'static, T>> {
        if self.n == 0 || self.weight_sum <= T::zero() {
            return Err(Error::Empty {
                what: "sufficient statistics (no rows)",
            });
        }
        let p = self.x_mean.len();
        let m = self.weight_sum;
        let c = parallel_axis(&[self], fit_intercept);
        let (mut g, mut xy) = (c.xx, c.xy);
        let x_scale = if standardize {
            let gs = g.as_mut_slice();
            let scales: Vec<T> = (0..p)
                .map(|j| {
                    let sd = (gs[j * p + j] / m).sqrt();
                    if sd > T::zero() && sd.is_finite() {
                        sd
                    } else {
                        T::one()
                    }
                })
                .collect();
            for (b, &sb) in scales.iter().enumerate() {
                for (a, &sa) in scales.iter().enumerate() {
                    gs[b * p + a] /= sa * sb;
                }
                xy[b] /= sb;
            }
            Some(scales)
        } else {
            None
        };
        let col_sq: Vec<T> = (0..p).map(|j| g.as_slice()[j * p + j]).collect();
        let grad0: Vec<T> = xy.iter().map(|&v| -v / m).collect();
        let x_mean = if fit_intercept {
            self.x_mean.clone()
        } else {
            vec![T::zero(); p]
        };
        Prepared::from_gram_parts(GramParts {
            rows: None,
            n: self.n,
            m,
            y_sq: c.yy,
            offsets: x_mean.clone(),
            x_mean,
            y_mean: if fit_intercept {
                self.y_mean
            } else {
                T::zero()
            },
            col_sq,
            gram: g,
            grad0,
            x_scale,
        })
    }

    /// Splits a batch into one set of statistics per fold: row `i` goes to fold `folds[i]`
    /// (`< k`), e.g. contiguous rows (`i * k / n`) or [`fold_of_id`] of a stable row id. The
    /// training statistics of fold `f` are then [`SufficientStats::combine`] of the others, and
    /// a batch's folds merge fold by fold with the next batch's.
    ///
    /// # Errors
    /// As [`SufficientStats::from_batch`]; [`Error::DimensionMismatch`] when `folds` does not
    /// have one entry per row; [`Error::IndexOutOfRange`] for a fold `>= k`. A fold without
    /// rows (or of zero weight) gets [`SufficientStats::empty`] statistics.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(10, 2, |i, j| (i + j) as f64);
    /// let y: Vec<f64> = (0..10).map(|i| i as f64).collect();
    /// let folds: Vec<usize> = (0..10).map(|i| i * 3 / 10).collect(); // contiguous, 3 folds
    /// let per = SufficientStats::by_fold(&x, &y, None, &folds, 3)?;
    /// let train0 = SufficientStats::combine(&[&per[1], &per[2]])?;
    /// assert_eq!(train0.n_samples(), 6);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn by_fold<X: DesignMatrix<T> + ?Sized>(
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
        folds: &[usize],
        k: usize,
    ) -> Result<Vec<Self>> {
        let (n, p) = (x.nrows(), x.ncols());
        if folds.len() != n {
            return Err(Error::DimensionMismatch {
                what: "fold ids vs X rows",
                expected: n,
                found: folds.len(),
            });
        }
        check_sample_weight(n, weights)?;
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, &f) in folds.iter().enumerate() {
            rows.get_mut(f)
                .ok_or(Error::IndexOutOfRange {
                    what: "fold id",
                    index: f,
                    len: k,
                })?
                .push(i);
        }
        rows.iter()
            .map(|r| {
                let positive = match weights {
                    Some(s) => r.iter().any(|&i| s[i] > T::zero()),
                    None => !r.is_empty(),
                };
                if positive {
                    Self::accumulate(x, y, weights, Some(r))
                } else {
                    let mut e = Self::empty(p);
                    e.n = r.len();
                    Ok(e)
                }
            })
            .collect()
    }
}

/// A stable fold of a row id, the same on every machine and in every run: the top bits of
/// the splitmix64 hash of `id`, reduced to `0..k` (`0` for `k = 0`). Rows keep their fold
/// whatever order or partition they are read in, so per-fold statistics computed by
/// independent workers merge fold by fold.
///
/// ```
/// use proxreg_solvers::fold_of_id;
/// assert_eq!(fold_of_id(12345, 5), fold_of_id(12345, 5));
/// assert!((0..1000).all(|i| fold_of_id(i, 7) < 7));
/// ```
pub fn fold_of_id(id: u64, k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    let mut z = id.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // Multiply-shift reduction (unbiased enough for k ≪ 2^32, and no modulo of low bits).
    ((u128::from(z) * k as u128) >> 64) as usize
}

/// The statistics of a union of blocks around a reference point: the union's weighted means
/// (`centered`) or the origin (no intercept: then `xx`, `xy`, `yy` are the raw weighted
/// products `Σ s xxᵀ`, ... formed from the centred ones by adding positive terms).
pub(crate) struct Around<T> {
    pub(crate) n: usize,
    pub(crate) weight: T,
    pub(crate) x_mean: Vec<T>,
    pub(crate) y_mean: T,
    pub(crate) xx: ColMajor<T>,
    pub(crate) xy: Vec<T>,
    pub(crate) yy: T,
}

/// The parallel-axis combination of `parts` (same number of features) around their union's
/// weighted means (`centered`) or around 0: `Σ_f M_f + Σ_f W_f δ_f δ_fᵀ` with `δ_f` the block's
/// mean minus the reference (and likewise for `xy`, `yy`). Used by [`crate::BlockStats`] with
/// unweighted blocks (the arithmetic is the one it always had).
pub(crate) fn parallel_axis<T: Scalar>(parts: &[&SufficientStats<T>], centered: bool) -> Around<T> {
    let p = parts.first().map_or(0, |s| s.n_features());
    let n: usize = parts.iter().map(|s| s.n).sum();
    let m = parts.iter().fold(T::zero(), |a, s| a + s.weight_sum);
    let mut mu = vec![T::zero(); p];
    let mut y_mu = T::zero();
    if centered && m > T::zero() {
        for b in parts {
            let w = b.weight_sum / m;
            mu.iter_mut().zip(&b.x_mean).for_each(|(a, &v)| *a += w * v);
            y_mu += w * b.y_mean;
        }
    }
    let mut g = ColMajor::zeros(p, p);
    let mut c = vec![T::zero(); p];
    let mut yy = T::zero();
    let mut delta = vec![T::zero(); p];
    {
        let gs = g.as_mut_slice();
        for b in parts {
            let nf = b.weight_sum;
            for ((d, &bm), &m0) in delta.iter_mut().zip(&b.x_mean).zip(&mu) {
                *d = bm - m0;
            }
            let eps_y = b.y_mean - y_mu;
            for (a, &v) in gs.iter_mut().zip(b.xx.as_slice()) {
                *a += v;
            }
            for col in 0..p {
                let s = nf * delta[col];
                if s != T::zero() {
                    for (a, &d) in gs[col * p..(col + 1) * p].iter_mut().zip(&delta) {
                        *a += s * d;
                    }
                }
            }
            for ((ci, &xy), &d) in c.iter_mut().zip(&b.xy).zip(&delta) {
                *ci += xy + nf * d * eps_y;
            }
            yy += b.yy + nf * eps_y * eps_y;
        }
    }
    Around {
        n,
        weight: m,
        x_mean: mu,
        y_mean: y_mu,
        xx: g,
        xy: c,
        yy,
    }
}

/// The shapes of a batch: a non-empty `n × p` design, `y_len == n`, and valid weights.
fn check_batch<T: Scalar>(n: usize, p: usize, y_len: usize, weights: Option<&[T]>) -> Result<()> {
    proxreg_core::error::ensure_nonempty_design(n, p)?;
    if y_len != n {
        return Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y_len,
        });
    }
    check_sample_weight(n, weights)
}
