//! The solvers' view of a sparse CSC design (issue #20): the caller's arrays, never densified.
//!
//! The engine's column `j` is `x̃_j = e∘v_j − o_j·e`, where `v_j = c_j·x_j` is the stored
//! sparse column times a per-column factor (`1/σ_j` under standardization, else 1), `e` is
//! `√s` (sample weights) or the ones vector, and `o_j` is the column's offset (its weighted
//! mean with an intercept, else 0; kept by the caller). The kernels here touch the stored
//! entries only (`O(nnz_j)`); the offset's dense part `o_j·e` is applied by the callers as one
//! scalar per vector (glmnet's implicit centering), never entry by entry.

use proxreg_core::Scalar;
use proxreg_linalg::{CscIndex, IndexSlice, SparseColumns};

/// Runs `$body` with `$r` bound to the index slice in its own integer type (monomorphic
/// kernels over any of the five index types).
macro_rules! with_rows {
    ($idx:expr, |$r:ident| $body:expr) => {
        match $idx {
            IndexSlice::U32($r) => $body,
            IndexSlice::U64($r) => $body,
            IndexSlice::Usize($r) => $body,
            IndexSlice::I32($r) => $body,
            IndexSlice::I64($r) => $body,
        }
    };
}

/// A sparse design as the solvers read it (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct SparseCols<'a, T> {
    x: SparseColumns<'a, T>,
    /// Per-column factor on the stored values (`1/σ_j`), `None` for ones.
    scale: Option<Vec<T>>,
    /// `√s_i` per row, `None` for ones.
    e: Option<Vec<T>>,
    /// `d_j = Σ_i e_i²·v_ij = ⟨e, e∘v_j⟩` per column.
    d: Vec<T>,
    /// `Σ_i e_i²`.
    e_sq: T,
}

#[inline(always)]
fn dot_k<T: Scalar, I: CscIndex>(rows: &[I], vals: &[T], e: Option<&[T]>, r: &[T]) -> T {
    let mut acc = [T::zero(); 4];
    let split = rows.len() - rows.len() % 4;
    match e {
        None => {
            for (ri, vi) in rows[..split]
                .chunks_exact(4)
                .zip(vals[..split].chunks_exact(4))
            {
                for l in 0..4 {
                    acc[l] += vi[l] * r[ri[l].as_index()];
                }
            }
            let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for (&i, &v) in rows[split..].iter().zip(&vals[split..]) {
                s += v * r[i.as_index()];
            }
            s
        }
        Some(e) => {
            for (ri, vi) in rows[..split]
                .chunks_exact(4)
                .zip(vals[..split].chunks_exact(4))
            {
                for l in 0..4 {
                    let i = ri[l].as_index();
                    acc[l] += vi[l] * e[i] * r[i];
                }
            }
            let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for (&i, &v) in rows[split..].iter().zip(&vals[split..]) {
                let i = i.as_index();
                s += v * e[i] * r[i];
            }
            s
        }
    }
}

#[inline(always)]
fn axpy_k<T: Scalar, I: CscIndex>(rows: &[I], vals: &[T], e: Option<&[T]>, a: T, r: &mut [T]) {
    match e {
        None => {
            for (&i, &v) in rows.iter().zip(vals) {
                r[i.as_index()] += a * v;
            }
        }
        Some(e) => {
            for (&i, &v) in rows.iter().zip(vals) {
                let i = i.as_index();
                r[i] += a * v * e[i];
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn dots_k<T: Scalar, I: CscIndex>(
    cp: &[I],
    ri: &[I],
    vals: &[T],
    e: Option<&[T]>,
    sc: Option<&[T]>,
    r: &[T],
    keep: impl Fn(usize) -> bool,
    mut f: impl FnMut(usize, T),
) {
    for j in 0..cp.len().saturating_sub(1) {
        if !keep(j) {
            continue;
        }
        let (a, b) = (cp[j].as_index(), cp[j + 1].as_index());
        let s = dot_k(&ri[a..b], &vals[a..b], e, r);
        f(j, sc.map_or(T::one(), |c| c[j]) * s);
    }
}

impl<'a, T: Scalar> SparseCols<'a, T> {
    /// The view of `x` with per-row factors `e` (`√s`) and, later, column factors
    /// ([`SparseCols::set_scale`]).
    pub(crate) fn new(x: SparseColumns<'a, T>, e: Option<Vec<T>>) -> Self {
        let n = x.nrows();
        let e_sq = match &e {
            Some(e) => e.iter().map(|&v| v * v).sum(),
            None => T::from_count(n),
        };
        let mut me = Self {
            x,
            scale: None,
            e,
            d: Vec::new(),
            e_sq,
        };
        me.d = (0..x.ncols()).map(|j| me.weighted_sum(j)).collect();
        me
    }

    /// Sets the column factors `c_j` (standardization: `1/σ_j`).
    pub(crate) fn set_scale(&mut self, scale: Vec<T>) {
        for (dj, &c) in self.d.iter_mut().zip(&scale) {
            *dj *= c;
        }
        self.scale = Some(scale);
    }

    /// Number of rows.
    pub(crate) fn nrows(&self) -> usize {
        self.x.nrows()
    }

    /// Number of stored entries.
    pub(crate) fn nnz(&self) -> usize {
        self.x.nnz()
    }

    #[inline(always)]
    fn parts(&self, j: usize) -> (IndexSlice<'a>, &'a [T]) {
        let rg = self.x.col_range(j);
        (self.x.row_idx().slice(rg.clone()), &self.x.values()[rg])
    }

    #[inline(always)]
    fn factor(&self, j: usize) -> T {
        self.scale.as_ref().map_or(T::one(), |s| s[j])
    }

    /// `Σ_i e_i²·x_ij` (without the column factor).
    fn weighted_sum(&self, j: usize) -> T {
        let (rows, vals) = self.parts(j);
        match &self.e {
            None => vals.iter().copied().sum(),
            Some(e) => with_rows!(rows, |r| r
                .iter()
                .zip(vals)
                .map(|(&i, &v)| {
                    let ei = e[i.as_index()];
                    ei * ei * v
                })
                .sum()),
        }
    }

    /// `d_j = ⟨e, e∘v_j⟩`.
    #[inline(always)]
    pub(crate) fn d(&self, j: usize) -> T {
        self.d[j]
    }

    /// `⟨e∘v_j, r⟩` over the stored entries.
    #[inline(always)]
    pub(crate) fn dot(&self, j: usize, r: &[T]) -> T {
        let (rows, vals) = self.parts(j);
        let e = self.e.as_deref();
        self.factor(j) * with_rows!(rows, |ri| dot_k(ri, vals, e, r))
    }

    /// `f(j, ⟨e∘v_j, r⟩)` for every column `j` with `keep(j)`: the same values as
    /// [`SparseCols::dot`], with one dispatch on the index type for the whole pass (a full
    /// gradient over many short columns).
    pub(crate) fn dots_where(
        &self,
        r: &[T],
        keep: impl Fn(usize) -> bool,
        mut f: impl FnMut(usize, T),
    ) {
        let e = self.e.as_deref();
        let sc = self.scale.as_deref();
        let vals = self.x.values();
        macro_rules! typed {
            ($($v:ident),*) => {
                match (self.x.col_ptr(), self.x.row_idx()) {
                    $((IndexSlice::$v(cp), IndexSlice::$v(ri)) => {
                        dots_k(cp, ri, vals, e, sc, r, keep, f)
                    })*
                    _ => {
                        for j in (0..self.x.ncols()).filter(|&j| keep(j)) {
                            f(j, self.dot(j, r));
                        }
                    }
                }
            };
        }
        typed!(U32, U64, Usize, I32, I64);
    }

    /// `r <- r + a·e∘v_j` over the stored entries.
    #[inline(always)]
    pub(crate) fn axpy(&self, j: usize, a: T, r: &mut [T]) {
        let (rows, vals) = self.parts(j);
        let e = self.e.as_deref();
        let a = a * self.factor(j);
        with_rows!(rows, |ri| axpy_k(ri, vals, e, a, r));
    }

    /// `⟨e, r⟩` (`O(n)`).
    pub(crate) fn e_dot(&self, r: &[T]) -> T {
        match &self.e {
            None => r.iter().copied().sum(),
            Some(e) => crate::kernels::dot(e, r),
        }
    }

    /// `r <- r + c·e` (`O(n)`).
    pub(crate) fn add_e(&self, c: T, r: &mut [T]) {
        if c == T::zero() {
            return;
        }
        match &self.e {
            None => r.iter_mut().for_each(|v| *v += c),
            Some(e) => r.iter_mut().zip(e).for_each(|(v, &ei)| *v += c * ei),
        }
    }

    /// The dense column `x̃_j = e∘v_j − o·e` into `out` (`O(n)`).
    pub(crate) fn col_into(&self, j: usize, o: T, out: &mut [T]) {
        match &self.e {
            None => out.iter_mut().for_each(|v| *v = -o),
            Some(e) => out.iter_mut().zip(e).for_each(|(v, &ei)| *v = -o * ei),
        }
        self.axpy(j, T::one(), out);
    }

    /// `‖e∘v_j − o·e‖²` without cancellation: `Σ_stored e_i²(v_ij − o)² + o²·Σ_unstored e_i²`.
    pub(crate) fn sq_norm_off(&self, j: usize, o: T) -> T {
        let (rows, vals) = self.parts(j);
        let c = self.factor(j);
        let (stored, e_stored) = match &self.e {
            None => {
                let s: T = vals
                    .iter()
                    .map(|&v| {
                        let d = c * v - o;
                        d * d
                    })
                    .sum();
                (s, T::from_count(vals.len()))
            }
            Some(e) => with_rows!(rows, |r| r.iter().zip(vals).fold(
                (T::zero(), T::zero()),
                |(s, es), (&i, &v)| {
                    let ei = e[i.as_index()];
                    let d = c * v - o;
                    (s + ei * ei * d * d, es + ei * ei)
                }
            )),
        };
        let rest = (self.e_sq - e_stored).max(T::zero());
        stored + o * o * rest
    }

    /// `Σ_i h_i (v_ij − o)²` for row weights `h` with `h_total = Σ_i h_i`, without
    /// cancellation: `Σ_stored h_i (v_ij − o)² + o²·(h_total − Σ_stored h_i)`.
    pub(crate) fn weighted_sq_off(&self, j: usize, o: T, h: &[T], h_total: T) -> T {
        let (rows, vals) = self.parts(j);
        let c = self.factor(j);
        let (stored, h_stored) = with_rows!(rows, |r| r.iter().zip(vals).fold(
            (T::zero(), T::zero()),
            |(s, hs), (&i, &v)| {
                let hi = h[i.as_index()];
                let d = c * v - o;
                (s + hi * d * d, hs + hi)
            }
        ));
        stored + o * o * (h_total - h_stored).max(T::zero())
    }

    /// `r <- r + a·e∘v_j` over the stored entries, returning `Σ_stored h_i·a·e_i·v_ij` and
    /// adding `a·h_i·e_i·v_ij` to `hr` too (the prox-Newton inner loop's two residuals).
    #[inline(always)]
    pub(crate) fn axpy2(&self, j: usize, a: T, h: &[T], r: &mut [T], hr: &mut [T]) -> T {
        let (rows, vals) = self.parts(j);
        let a = a * self.factor(j);
        with_rows!(rows, |ri| {
            let mut s = T::zero();
            for (&i, &v) in ri.iter().zip(vals) {
                let i = i.as_index();
                let t = a * v;
                r[i] += t;
                let ht = h[i] * t;
                hr[i] += ht;
                s += ht;
            }
            s
        })
    }

    /// Whether column `j` times its factor has a finite, nonzero stored entry other than `o`
    /// on a row of positive weight, or a zero row where `o ≠ 0` (`x̃_j ≠ 0`).
    pub(crate) fn nonzero_off(&self, j: usize, o: T) -> bool {
        let mut t = vec![T::zero(); self.nrows()];
        self.col_into(j, o, &mut t);
        t.iter().any(|&v| v != T::zero())
    }

    /// The centered outer product `X̃X̃ᵀ` (`n × n`, column-major) for the offsets `o`, from
    /// the stored entries (`O(Σ_j nnz_j²)`) and the rank-two offset correction:
    /// `X̃X̃ᵀ = WWᵀ − q·eᵀ − e·qᵀ + ‖o‖²·eeᵀ` with `W = [e∘v_j]` and `q = W·o`.
    pub(crate) fn gram_outer_off(&self, o: &[T]) -> Vec<T> {
        let n = self.nrows();
        let mut g = vec![T::zero(); n * n];
        let mut q = vec![T::zero(); n];
        let e = self.e.as_deref();
        for (j, &oj) in o.iter().enumerate().take(self.x.ncols()) {
            let (rows, vals) = self.parts(j);
            let c = self.factor(j);
            with_rows!(rows, |r| {
                for (&ia, &va) in r.iter().zip(vals) {
                    let ia = ia.as_index();
                    let wa = c * va * e.map_or(T::one(), |e| e[ia]);
                    q[ia] += wa * oj;
                    for (&ib, &vb) in r.iter().zip(vals) {
                        let ib = ib.as_index();
                        g[ib * n + ia] += wa * c * vb * e.map_or(T::one(), |e| e[ib]);
                    }
                }
            });
        }
        let oo: T = o.iter().map(|&v| v * v).sum();
        if oo != T::zero() {
            let ev = |i: usize| e.map_or(T::one(), |e| e[i]);
            for b in 0..n {
                for a in 0..n {
                    g[b * n + a] += -q[a] * ev(b) - ev(a) * q[b] + oo * ev(a) * ev(b);
                }
            }
        }
        g
    }

    /// The raw Gram matrix `Vᵀ diag(e²) V` (`p × p`, column-major), from the stored entries:
    /// one scatter of each column into a dense buffer, then sparse dots (`O(p·nnz)`).
    pub(crate) fn gram(&self) -> Vec<T> {
        let (n, p) = (self.nrows(), self.x.ncols());
        let mut g = vec![T::zero(); p * p];
        let mut buf = vec![T::zero(); n];
        for a in 0..p {
            self.axpy(a, T::one(), &mut buf);
            for b in a..p {
                let v = self.dot(b, &buf);
                g[a * p + b] = v;
                g[b * p + a] = v;
            }
            // Clear only what was written.
            let (rows, _) = self.parts(a);
            with_rows!(rows, |r| r
                .iter()
                .for_each(|&i| buf[i.as_index()] = T::zero()));
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::SparseCols;
    use proxreg_linalg::{ColMajor, CscMatrix, DesignMatrix};

    fn dense_col(x: &ColMajor<f64>, j: usize, c: f64, e: &[f64], o: f64) -> Vec<f64> {
        x.col(j)
            .iter()
            .zip(e)
            .map(|(&v, &ei)| ei * c * v - o * ei)
            .collect()
    }

    #[test]
    #[allow(clippy::needless_range_loop, clippy::unwrap_used)]
    fn kernels_match_the_dense_column() {
        let x = ColMajor::from_fn(7, 3, |i, j| {
            if (i + 2 * j) % 3 == 0 {
                (i as f64) - 2.5 * j as f64 + 0.5
            } else {
                0.0
            }
        });
        let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
        let e: Vec<f64> = (0..7).map(|i| 0.5 + i as f64 / 4.0).collect();
        let mut sp = SparseCols::new(csc.sparse_columns().unwrap(), Some(e.clone()));
        let scale = vec![2.0, 0.5, 3.0];
        sp.set_scale(scale.clone());
        let r: Vec<f64> = (0..7).map(|i| (i as f64).sin()).collect();
        for j in 0..3 {
            let o = 0.3 * j as f64 - 0.2;
            let col = dense_col(&x, j, scale[j], &e, o);
            let exact: f64 = col.iter().zip(&r).map(|(a, b)| a * b).sum();
            let got = sp.dot(j, &r) - o * sp.e_dot(&r);
            assert!((got - exact).abs() < 1e-12, "{got} vs {exact}");
            let sq: f64 = col.iter().map(|v| v * v).sum();
            assert!((sp.sq_norm_off(j, o) - sq).abs() < 1e-12 * sq.max(1.0));
            let d: f64 = e
                .iter()
                .zip(&dense_col(&x, j, scale[j], &e, 0.0))
                .map(|(a, b)| a * b)
                .sum();
            assert!((sp.d(j) - d).abs() < 1e-12);
            let mut t = vec![0.0; 7];
            sp.col_into(j, o, &mut t);
            assert_eq!(t, col);
        }
        let g = sp.gram();
        for a in 0..3 {
            for b in 0..3 {
                let ca = dense_col(&x, a, scale[a], &e, 0.0);
                let cb = dense_col(&x, b, scale[b], &e, 0.0);
                let want: f64 = ca.iter().zip(&cb).map(|(u, v)| u * v).sum();
                assert!((g[a * 3 + b] - want).abs() < 1e-12);
            }
        }
    }
}
