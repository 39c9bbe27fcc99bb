//! Data outside the floating-point range: exact power-of-two rescaling.
//!
//! The certificates are built from squared norms (`‖ỹ‖²`, `‖x̃_j‖²`), which overflow for data
//! near `1e155` and underflow near `1e-155` in f64 (`1e19` / `1e-19` in f32). When one does,
//! [`Prepared`](crate::Prepared) solves the same problem on rescaled data instead:
//! `ŷ = y / c` and `x̂_j = x_j / d_j` with `c`, `d_j` powers of two (so the division is exact),
//! in the coefficients `u_j = w_j · d_j / c`. Since `Xw = c · X̂u`, the objective is `c²` times
//!
//! `f̂(u) + α · Σ_j [ l1_j/(c·d_j) · |u_j| + l2_j/(2·d_j²) · u_j² ]`, box `[lo·d_j/c, hi·d_j/c]`,
//!
//! for a penalty whose terms are elastic nets with a box
//! ([`SeparablePenalty::elastic_net_parts_1d`]; rows: [`BlockSeparablePenalty::elastic_net_parts_block`]).
//! With standardization the penalty acts on the standardized coefficients, which the column
//! scales do not change: only `c` enters. The answer maps back exactly: `w_j = u_j · c / d_j`,
//! intercept `c · b̂`. The certificates reported are those of the rescaled problem (as with
//! standardization, the problem solved); the relative duality gap is the same number for both.
//!
//! Without standardization a rescaled column makes the penalty and the box differ per
//! coefficient: [`CoordinateElasticNet`] carries a box per coordinate when needed, and the direct
//! ridge solves the normal equations with a shift per coefficient. Terms below rounding at the
//! fit's alpha are dropped ([`drop_negligible`]): a column far above the range has a coefficient
//! near `1/scale`, so its true penalty is far below the objective's rounding.

use proxreg_core::penalty::{
    block_soft_threshold, soft_threshold, BlockSeparablePenalty, Bounded, ElasticNetParts, Penalty,
    SeparablePenalty,
};
use proxreg_core::{Error, Result, Scalar};

/// `2^e` in chunks that fit every precision (`2^60 < f32::MAX`): exact unless the result leaves
/// the normal range.
pub(crate) fn ldexp<T: Scalar>(mut x: T, mut e: i32) -> T {
    const STEP: i32 = 60;
    let two = T::lit(2.0);
    while e > STEP {
        x *= two.powi(STEP);
        e -= STEP;
    }
    while e < -STEP {
        x *= two.powi(-STEP);
        e += STEP;
    }
    x * two.powi(e)
}

/// The exponent `e` with `2^e ≤ a < 2^(e+1)` for a finite `a > 0` (subnormals included).
pub(crate) fn exponent_of<T: Scalar>(a: T) -> i32 {
    // Bring `a` into [1, 2) by exact power-of-two steps.
    let (mut a, mut e) = (a, 0_i32);
    let big = T::lit(2.0).powi(60);
    while a >= big {
        a *= T::lit(2.0).powi(-60);
        e += 60;
    }
    while a < T::one() / big {
        a *= big;
        e -= 60;
    }
    while a >= T::lit(2.0) {
        a *= T::lit(0.5);
        e += 1;
    }
    while a < T::one() {
        a *= T::lit(2.0);
        e -= 1;
    }
    e
}

/// How a prepared problem's data were rescaled: `ŷ = y · 2^(−ey)`, `x̂_j = x_j · 2^(−ed_j)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rescale {
    pub(crate) ey: i32,
    pub(crate) ed: Vec<i32>,
    /// Whether the column scales enter the penalty (not with standardization).
    pub(crate) pen_cols: bool,
}

impl Rescale {
    /// `2^(ey − ed_j)`: `w_j = u_j · factor`.
    fn coef_exp(&self, j: usize) -> i32 {
        self.ey - self.ed.get(j).copied().unwrap_or(0)
    }

    /// Original-scale coefficients (`p × k`, row-major) to the rescaled problem's.
    pub(crate) fn coef_to_internal<T: Scalar>(&self, w: &[T], k: usize) -> Vec<T> {
        let k = k.max(1);
        w.iter()
            .enumerate()
            .map(|(i, &v)| ldexp(v, -self.coef_exp(i / k)))
            .collect()
    }

    /// Maps a solution of the rescaled problem back in place (coefficients and intercepts).
    ///
    /// # Errors
    /// [`Error::Numerical`] when every coefficient of a nonzero answer falls below the normal
    /// range once scaled back (e.g. `y ≈ 1e-10` against a column at `1e35` in `f32`): the
    /// returned zeros or subnormals would not be the point the certificate was computed at.
    pub(crate) fn to_original<T: Scalar>(
        &self,
        sol: &mut crate::Solution<T>,
        k: usize,
    ) -> Result<()> {
        let k = k.max(1);
        let any_nonzero = sol.coef.iter().any(|&u| u != T::zero());
        let mut largest = T::zero();
        for (i, v) in sol.coef.iter_mut().enumerate() {
            *v = ldexp(*v, self.coef_exp(i / k));
            largest = largest.max(v.abs());
        }
        // Small coefficients beside normal ones lose at most the subnormal spacing, far below
        // the largest's rounding; a whole answer below the normal range is lost.
        if any_nonzero && largest < T::min_positive_value() {
            return Err(Error::Numerical {
                what: "coefficient",
                reason: "the coefficients underflow this precision once the rescaled fit is \
                         scaled back (use f64, or rescale X and y)",
            });
        }
        for b in &mut sol.intercept {
            *b = ldexp(*b, self.ey);
        }
        sol.rescaled = true;
        Ok(())
    }

    /// The exponents `(e1, e2, e_box)` of coordinate `j`: `l1·2^e1`, `l2·2^e2`, `box·2^e_box`.
    fn exps(&self, j: usize) -> (i32, i32, i32) {
        let d = if self.pen_cols {
            self.ed.get(j).copied().unwrap_or(0)
        } else {
            0
        };
        (-self.ey - d, -2 * d, d - self.ey)
    }

    fn transform<T: Scalar>(&self, p: ElasticNetParts<T>, j: usize) -> Result<ElasticNetParts<T>> {
        let (e1, e2, eb) = self.exps(j);
        let scaled = ElasticNetParts {
            l1: ldexp(p.l1, e1),
            l2: ldexp(p.l2, e2),
            lower: ldexp(p.lower, eb),
            upper: ldexp(p.upper, eb),
        };
        let ok = (scaled.l1.is_finite() || !p.l1.is_finite())
            && (scaled.l2.is_finite() || !p.l2.is_finite())
            && scaled.l1 >= T::zero()
            && scaled.l2 >= T::zero();
        if !ok {
            return Err(Error::Numerical {
                what: "rescaling",
                reason: "the penalty of the rescaled coefficients overflows the floating-point \
                         range (a column or y is too far from the others' scale)",
            });
        }
        Ok(scaled)
    }

    /// The penalty of the rescaled coefficients of a separable penalty over `n` coordinates,
    /// `k` per feature (coordinate `i` belongs to column `i / k`).
    ///
    /// # Errors
    /// [`Error::Numerical`] when the penalty does not describe itself as elastic nets with a
    /// box, or when a rescaled penalty weight overflows.
    pub(crate) fn separable<T: Scalar, P: Penalty<T> + ?Sized>(
        &self,
        pen: &P,
        n: usize,
        k: usize,
    ) -> Result<Bounded<CoordinateElasticNet<T>, T>> {
        let mut l1 = Vec::with_capacity(n);
        let mut l2 = Vec::with_capacity(n);
        let mut lower = Vec::with_capacity(n);
        let mut upper = Vec::with_capacity(n);
        for i in 0..n {
            let parts = pen.elastic_net_parts_1d(i).ok_or(UNSUPPORTED)?;
            let s = self.transform(parts, i / k.max(1))?;
            l1.push(s.l1);
            l2.push(s.l2);
            lower.push(s.lower);
            upper.push(s.upper);
        }
        // One box for all coordinates when the rescaling left them equal (y alone rescaled,
        // standardization, or the box [0, ∞) and the like); else a box per coordinate.
        let same = lower.windows(2).all(|w| w[0] == w[1]) && upper.windows(2).all(|w| w[0] == w[1]);
        let inf = T::infinity();
        if same {
            let (lo, hi) = (
                lower.first().copied().unwrap_or(-inf),
                upper.first().copied().unwrap_or(inf),
            );
            let boxes = None;
            Bounded::new(CoordinateElasticNet { l1, l2, boxes }, lo, hi)
        } else {
            let boxes = Some((lower, upper));
            Bounded::new(CoordinateElasticNet { l1, l2, boxes }, -inf, inf)
        }
    }

    /// The penalty of the rescaled coefficients of a row-block penalty (`p` rows of `k`).
    ///
    /// # Errors
    /// As [`Rescale::separable`].
    pub(crate) fn blocks<T: Scalar, P: Penalty<T> + ?Sized>(
        &self,
        pen: &P,
        p: usize,
        k: usize,
    ) -> Result<RowElasticNet<T>> {
        let mut l1 = Vec::with_capacity(p);
        let mut l2 = Vec::with_capacity(p);
        for b in 0..p {
            let parts = pen.elastic_net_parts_block(b).ok_or(UNSUPPORTED)?;
            let s = self.transform(parts, b)?;
            l1.push(s.l1);
            l2.push(s.l2);
        }
        Ok(RowElasticNet { l1, l2, k })
    }

    /// The penalty of the rescaled coefficients for a solver that needs only [`Penalty`]
    /// (FISTA, `alpha_max`): rows when there are several tasks and the penalty describes its
    /// rows, else coordinates.
    ///
    /// # Errors
    /// As [`Rescale::separable`].
    pub(crate) fn any<T: Scalar, P: Penalty<T> + ?Sized>(
        &self,
        pen: &P,
        p: usize,
        k: usize,
    ) -> Result<Internal<T>> {
        if k > 1 && pen.elastic_net_parts_block(0).is_some() {
            Ok(Internal::Rows(self.blocks(pen, p, k)?))
        } else {
            Ok(Internal::Coords(self.separable(pen, p * k, k)?))
        }
    }
}

/// Drops the terms of a rescaled penalty that are below rounding at `alpha`: an `l1` term with
/// `α·l1_j ≤ ε²·g_j` and an `l2` term with `α·l2_j ≤ ε²·‖x̃_j‖²/m`, where
/// `g_j = ‖x̃_j‖·‖ỹ‖/m` bounds the gradient entry of coordinate `j` (Cauchy–Schwarz). Such a term
/// moves the coefficient's optimality condition by less than `ε²` of its gradient's scale — far
/// below the rounding of a computed gradient (`≈ √n·ε·g_j`) — so dropping it changes nothing a
/// certificate can see, while keeping it would make the duality gap uncertifiable: a
/// coordinate whose `ℓ1` threshold lies below its gradient's rounding never looks dual
/// feasible. This is what a column far above the range gets without standardization (its
/// coefficient is near `1/scale`, so the penalty on it is `~1/scale` of the objective); the
/// coordinate is then unpenalized, as with a zero penalty factor (KKT-certified).
fn drop_negligible<T: Scalar>(
    l1: &mut [T],
    l2: &mut [T],
    col: impl Fn(usize) -> usize,
    alpha: T,
    col_sq: &[T],
    y_sq: T,
    m: T,
) {
    let eps2 = T::epsilon() * T::epsilon();
    for i in 0..l1.len().min(l2.len()) {
        let c = col_sq.get(col(i)).copied().unwrap_or(T::zero());
        // Scaled so that neither product leaves the range (both norms are in range here).
        let g = (c / m).sqrt() * (y_sq / m).sqrt();
        if alpha * l1[i] <= eps2 * g {
            l1[i] = T::zero();
        }
        if alpha * l2[i] <= eps2 * (c / m) {
            l2[i] = T::zero();
        }
    }
}

impl Rescale {
    /// [`Rescale::separable`] for a fit at `alpha` on `prep`, without the terms that are below
    /// rounding there (see [`drop_negligible`]).
    ///
    /// # Errors
    /// As [`Rescale::separable`].
    pub(crate) fn separable_at<T: Scalar, P: Penalty<T> + ?Sized>(
        &self,
        pen: &P,
        n: usize,
        k: usize,
        alpha: T,
        prep: &crate::Prepared<'_, T>,
    ) -> Result<Bounded<CoordinateElasticNet<T>, T>> {
        let b = self.separable(pen, n, k)?;
        let mut inner = b.inner().clone();
        let k = k.max(1);
        drop_negligible(
            &mut inner.l1,
            &mut inner.l2,
            |i| i / k,
            alpha,
            &prep.col_sq,
            prep.y_sq,
            prep.m,
        );
        Bounded::new(inner, b.lower(), b.upper())
    }

    /// [`Rescale::blocks`] for a fit at `alpha` on `prep`, without the terms that are below
    /// rounding there.
    ///
    /// # Errors
    /// As [`Rescale::separable`].
    pub(crate) fn blocks_at<T: Scalar, P: Penalty<T> + ?Sized>(
        &self,
        pen: &P,
        p: usize,
        k: usize,
        alpha: T,
        prep: &crate::Prepared<'_, T>,
    ) -> Result<RowElasticNet<T>> {
        let mut r = self.blocks(pen, p, k)?;
        drop_negligible(
            &mut r.l1,
            &mut r.l2,
            |b| b,
            alpha,
            &prep.col_sq,
            prep.y_sq,
            prep.m,
        );
        Ok(r)
    }

    /// [`Rescale::any`] for a fit at `alpha` on `prep`, without the terms that are below
    /// rounding there.
    ///
    /// # Errors
    /// As [`Rescale::separable`].
    pub(crate) fn any_at<T: Scalar, P: Penalty<T> + ?Sized>(
        &self,
        pen: &P,
        p: usize,
        k: usize,
        alpha: T,
        prep: &crate::Prepared<'_, T>,
    ) -> Result<Internal<T>> {
        if k > 1 && pen.elastic_net_parts_block(0).is_some() {
            Ok(Internal::Rows(self.blocks_at(pen, p, k, alpha, prep)?))
        } else {
            Ok(Internal::Coords(self.separable_at(
                pen,
                p * k,
                k,
                alpha,
                prep,
            )?))
        }
    }
}

/// The rescaled penalty of [`Rescale::any`].
#[derive(Debug, Clone)]
pub(crate) enum Internal<T> {
    Coords(Bounded<CoordinateElasticNet<T>, T>),
    Rows(RowElasticNet<T>),
}

impl<T: Scalar> Internal<T> {
    fn get(&self) -> &dyn Penalty<T> {
        match self {
            Internal::Coords(c) => c,
            Internal::Rows(r) => r,
        }
    }
}

impl<T: Scalar> Penalty<T> for Internal<T> {
    fn value(&self, w: &[T]) -> T {
        self.get().value(w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        self.get().prox_in_place(w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        self.get().subdiff_distance(w, grad, alpha, dist)
    }
    fn is_penalized(&self, j: usize) -> bool {
        self.get().is_penalized(j)
    }
    fn in_support(&self, w_j: T) -> bool {
        self.get().in_support(w_j)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        self.get().alpha_max(grad_at_zero)
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        self.get().conjugate(u, alpha)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        self.get().dual_feasible_scale(u, alpha)
    }
}

const UNSUPPORTED: Error = Error::Numerical {
    what: "y or X",
    reason: "a squared norm overflows or underflows in this precision and the penalty does not \
             describe itself as elastic nets (`elastic_net_parts_1d`), so the data cannot be \
             rescaled internally (rescale y, and alpha with it, or X)",
};

/// `c·v` with `0·(±∞) = 0` (an absent term stays absent).
#[inline]
fn times<T: Scalar>(c: T, v: T) -> T {
    if c == T::zero() && !v.is_nan() {
        T::zero()
    } else {
        c * v
    }
}

/// `max(x, 0)` propagating NaN.
#[inline]
fn pos<T: Scalar>(x: T) -> T {
    if x > T::zero() || x.is_nan() {
        x
    } else {
        T::zero()
    }
}

/// `Σ_j l1_j·|w_j| + (l2_j/2)·w_j²`: the separable penalty of rescaled coefficients, with a box
/// per coordinate when the rescaling made the user's one box differ between coordinates (a
/// column rescaled without standardization: its coefficient's box scales with it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CoordinateElasticNet<T> {
    l1: Vec<T>,
    l2: Vec<T>,
    /// `(lower, upper)` per coordinate, each containing 0; `None`: no box here (the wrapping
    /// [`Bounded`] carries the common one).
    boxes: Option<(Vec<T>, Vec<T>)>,
}

impl<T: Scalar> CoordinateElasticNet<T> {
    fn at(&self, j: usize) -> (T, T) {
        (
            self.l1.get(j).copied().unwrap_or(T::zero()),
            self.l2.get(j).copied().unwrap_or(T::zero()),
        )
    }

    /// Coordinate `j` alone, restricted to its own box when there are boxes per coordinate.
    fn boxed(&self, j: usize) -> Option<Bounded<One<'_, T>, T>> {
        let (lo, hi) = self.boxes.as_ref()?;
        let inf = T::infinity();
        let (l, u) = (
            lo.get(j).copied().unwrap_or(-inf),
            hi.get(j).copied().unwrap_or(inf),
        );
        // The boxes were validated (they contain 0) before rescaling by powers of two.
        Bounded::new(One { pen: self, j }, l, u).ok()
    }

    /// `alpha_max` of coordinate `j` without its box (`None`: a pure ridge coordinate).
    fn alpha_max_at(&self, j: usize, g: T) -> Option<T> {
        let (a, b) = self.at(j);
        if a > T::zero() {
            Some(g.abs() / a)
        } else if b > T::zero() {
            None
        } else {
            Some(T::zero())
        }
    }

    /// The dual scale of coordinate `j` without its box: coordinates with a quadratic term have
    /// a finite conjugate; the others need `|s·u_j| ≤ α·l1_j` (unpenalised ones are ignored, as
    /// for a zero penalty factor).
    fn scale_at(&self, j: usize, uj: T, alpha: T) -> T {
        let (a, b) = self.at(j);
        if b == T::zero() && a > T::zero() && uj.abs() > alpha * a {
            alpha * a / uj.abs()
        } else {
            T::one()
        }
    }

    fn prox_at(&self, v: T, step: T, j: usize) -> T {
        let (a, b) = self.at(j);
        soft_threshold(v, times(a, step)) / (T::one() + times(b, step))
    }

    fn distance_at(&self, w_j: T, grad_j: T, alpha: T, j: usize) -> T {
        let (a, b) = self.at(j);
        if w_j == T::zero() {
            pos(grad_j.abs() - alpha * a)
        } else {
            (grad_j + alpha * (a * w_j.signum() + times(b, w_j))).abs()
        }
    }

    fn value_at(&self, w_j: T, j: usize) -> T {
        let (a, b) = self.at(j);
        times(a, w_j.abs()) + times(b, T::lit(0.5) * w_j * w_j)
    }

    fn conjugate_at(&self, u: T, alpha: T, lower: T, upper: T, j: usize) -> Option<T> {
        let (a, b) = self.at(j);
        // The elastic net's own conjugate on the interval, through the public penalty (whose
        // `l1_ratio` is the coordinate's mix) scaled by `a + b`.
        let s = a + b;
        if s == T::zero() {
            // Unpenalised: sup of u·z over the interval.
            let reach = if u > T::zero() { upper } else { -lower };
            return Some(times(u.abs(), reach));
        }
        // An excess `|u| − α·a` within rounding of zero counts as zero, with the relative slack
        // √ε of the ℓ1-type indicators: the term `excess²/(2αb)` would otherwise turn rounding
        // into an arbitrarily large gap when `b ≪ a` (a rescaled y makes the ridge part
        // negligible next to the ℓ1 part).
        let cap = alpha * a;
        let u = if u.abs() > cap && u.abs() <= cap * (T::one() + T::epsilon().sqrt()) {
            cap * u.signum()
        } else {
            u
        };
        let en = proxreg_core::penalty::ElasticNet::new(a / s).ok()?;
        en.conjugate_1d(u, alpha * s, lower, upper, j)
    }
}

/// Coordinate `j` of a [`CoordinateElasticNet`] as a one-coordinate penalty (index 0), so that
/// [`Bounded`]'s box logic applies to it with the coordinate's own box.
#[derive(Debug, Clone, Copy)]
pub(crate) struct One<'a, T> {
    pen: &'a CoordinateElasticNet<T>,
    j: usize,
}

impl<T: Scalar> Penalty<T> for One<'_, T> {
    fn value(&self, w: &[T]) -> T {
        w.first()
            .map_or(T::zero(), |&v| self.pen.value_at(v, self.j))
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        if let Some(v) = w.first_mut() {
            *v = self.pen.prox_at(*v, step, self.j);
        }
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        proxreg_core::penalty::separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn is_penalized(&self, _j: usize) -> bool {
        self.pen.is_penalized(self.j)
    }
    fn alpha_max(&self, g: &[T]) -> Option<T> {
        self.pen
            .alpha_max_at(self.j, g.first().copied().unwrap_or(T::zero()))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let inf = T::infinity();
        let uj = u.first().copied().unwrap_or(T::zero());
        self.pen.conjugate_at(uj, alpha, -inf, inf, self.j)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        let uj = u.first().copied().unwrap_or(T::zero());
        self.pen.scale_at(self.j, uj, alpha)
    }
}

impl<T: Scalar> SeparablePenalty<T> for One<'_, T> {
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        self.pen.prox_at(v, step, self.j)
    }
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        self.pen.distance_at(w_j, grad_j, alpha, self.j)
    }
    fn value_1d(&self, w_j: T, _j: usize) -> T {
        self.pen.value_at(w_j, self.j)
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, _j: usize) -> Option<T> {
        self.pen.conjugate_at(u, alpha, lower, upper, self.j)
    }
}

impl<T: Scalar> Penalty<T> for CoordinateElasticNet<T> {
    fn value(&self, w: &[T]) -> T {
        proxreg_core::penalty::separable::value(w, |x, j| self.value_1d(x, j))
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        proxreg_core::penalty::separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        proxreg_core::penalty::separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn is_penalized(&self, j: usize) -> bool {
        let (a, b) = self.at(j);
        a > T::zero() || b > T::zero()
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        let mut m = T::zero();
        for (j, &g) in grad_at_zero.iter().enumerate() {
            let a = match self.boxed(j) {
                Some(one) => one.alpha_max(&[g]),
                None => self.alpha_max_at(j, g),
            };
            m = m.max(a?);
        }
        Some(m)
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let inf = T::infinity();
        let mut total = T::zero();
        for (j, &uj) in u.iter().enumerate() {
            total += self.conjugate_1d(uj, alpha, -inf, inf, j)?;
        }
        Some(total)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        let mut s = T::one();
        for (j, &uj) in u.iter().enumerate() {
            let sj = match self.boxed(j) {
                Some(one) => one.dual_feasible_scale(&[uj], alpha),
                None => self.scale_at(j, uj, alpha),
            };
            s = s.min(sj);
        }
        s
    }
    fn elastic_net_parts_1d(&self, j: usize) -> Option<ElasticNetParts<T>> {
        let (a, b) = self.at(j);
        let mut parts = ElasticNetParts::unbounded(a, b);
        if let Some((lo, hi)) = &self.boxes {
            parts.lower = lo.get(j).copied().unwrap_or(parts.lower);
            parts.upper = hi.get(j).copied().unwrap_or(parts.upper);
        }
        Some(parts)
    }
}

impl<T: Scalar> SeparablePenalty<T> for CoordinateElasticNet<T> {
    #[inline]
    fn prox_1d(&self, v: T, step: T, j: usize) -> T {
        match self.boxed(j) {
            Some(one) => one.prox_1d(v, step, 0),
            None => self.prox_at(v, step, j),
        }
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, j: usize) -> T {
        match self.boxed(j) {
            Some(one) => one.subdiff_distance_1d(w_j, grad_j, alpha, 0),
            None => self.distance_at(w_j, grad_j, alpha, j),
        }
    }
    #[inline]
    fn value_1d(&self, w_j: T, j: usize) -> T {
        match self.boxed(j) {
            Some(one) => one.value_1d(w_j, 0),
            None => self.value_at(w_j, j),
        }
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, j: usize) -> Option<T> {
        match self.boxed(j) {
            Some(one) => one.conjugate_1d(u, alpha, lower, upper, 0),
            None => self.conjugate_at(u, alpha, lower, upper, j),
        }
    }
    fn quadratic_piece_1d(&self, w_j: T, j: usize) -> Option<(T, T)> {
        // With a box per coordinate the piece could be a bound: as [`Bounded`], none.
        if self.boxes.is_some() {
            return None;
        }
        let (a, b) = self.at(j);
        (w_j != T::zero() && w_j.is_finite()).then(|| (a * w_j.signum(), b))
    }
}

/// `Σ_b l1_b·‖w_b‖₂ + (l2_b/2)·‖w_b‖₂²` over rows of `k`: the row penalty of rescaled
/// coefficients.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RowElasticNet<T> {
    l1: Vec<T>,
    l2: Vec<T>,
    k: usize,
}

impl<T: Scalar> RowElasticNet<T> {
    fn at(&self, b: usize) -> (T, T) {
        (
            self.l1.get(b).copied().unwrap_or(T::zero()),
            self.l2.get(b).copied().unwrap_or(T::zero()),
        )
    }
    fn rows<'a>(&self, w: &'a [T]) -> impl Iterator<Item = &'a [T]> {
        w.chunks(self.k.max(1))
    }
}

impl<T: Scalar> Penalty<T> for RowElasticNet<T> {
    fn value(&self, w: &[T]) -> T {
        self.rows(w)
            .enumerate()
            .map(|(b, r)| self.value_block(r, b))
            .sum()
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        proxreg_core::penalty::separable::prox_in_place_blocks(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        proxreg_core::penalty::separable::subdiff_distance_blocks(self, w, grad, alpha, dist)
    }
    fn is_penalized(&self, j: usize) -> bool {
        let (a, b) = self.at(j / self.k.max(1));
        a > T::zero() || b > T::zero()
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        let mut m = T::zero();
        for (b, r) in self.rows(grad_at_zero).enumerate() {
            let (a, q) = self.at(b);
            if a > T::zero() {
                m = m.max(proxreg_core::penalty::norm2(r) / a);
            } else if q > T::zero() {
                return None;
            }
        }
        Some(m)
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let mut total = T::zero();
        for (b, r) in self.rows(u).enumerate() {
            total += self.conjugate_block(r, alpha, b)?;
        }
        Some(total)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        let mut s = T::one();
        for (b, r) in self.rows(u).enumerate() {
            let (a, q) = self.at(b);
            let nr = proxreg_core::penalty::norm2(r);
            if q == T::zero() && a > T::zero() && nr > alpha * a {
                s = s.min(alpha * a / nr);
            }
        }
        s
    }
    fn elastic_net_parts_block(&self, b: usize) -> Option<ElasticNetParts<T>> {
        let (a, q) = self.at(b);
        Some(ElasticNetParts::unbounded(a, q))
    }
}

impl<T: Scalar> BlockSeparablePenalty<T> for RowElasticNet<T> {
    fn block_size(&self) -> usize {
        self.k
    }
    fn prox_block(&self, v: &mut [T], step: T, b: usize) {
        let (a, q) = self.at(b);
        block_soft_threshold(v, times(a, step));
        let shrink = T::one() / (T::one() + times(q, step));
        v.iter_mut().for_each(|x| *x *= shrink);
    }
    fn subdiff_distance_block(&self, w_b: &[T], grad_b: &[T], alpha: T, b: usize) -> T {
        let (a, q) = self.at(b);
        let nw = proxreg_core::penalty::norm2(w_b);
        if nw == T::zero() {
            return pos(proxreg_core::penalty::norm2(grad_b) - alpha * a);
        }
        let v: Vec<T> = w_b
            .iter()
            .zip(grad_b)
            .map(|(&wi, &gi)| gi + alpha * a * (wi / nw) + alpha * times(q, wi))
            .collect();
        proxreg_core::penalty::norm2(&v)
    }
    fn value_block(&self, w_b: &[T], b: usize) -> T {
        let (a, q) = self.at(b);
        let nr = proxreg_core::penalty::norm2(w_b);
        times(a, nr) + times(q, T::lit(0.5) * nr * nr)
    }
    fn conjugate_block(&self, u_b: &[T], alpha: T, b: usize) -> Option<T> {
        let (a, q) = self.at(b);
        let nr = proxreg_core::penalty::norm2(u_b);
        let excess = nr - alpha * a;
        if q > T::zero() && alpha > T::zero() {
            // Rounding of the norm is not an excess (see `CoordinateElasticNet::conjugate_1d`).
            let within = excess <= alpha * a * T::epsilon().sqrt();
            let e = if within { T::zero() } else { pos(excess) };
            // e·(e/(2αq)), not e²/(2αq): e² underflows for small data.
            return Some(e * (e / (T::lit(2.0) * alpha * q)));
        }
        // The indicator of the ball, with the relative slack of the other l2-type conjugates.
        let slack = T::one() + T::epsilon().sqrt();
        Some(if nr <= alpha * a * slack {
            T::zero()
        } else if nr.is_nan() {
            nr
        } else {
            T::infinity()
        })
    }
    fn zero_subdiff_radius(&self, alpha: T, b: usize) -> Option<T> {
        Some(alpha * self.at(b).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_two_are_exact_across_the_range() {
        for e in [-1022, -600, -61, -60, -1, 0, 1, 59, 60, 61, 600, 1023] {
            let v = ldexp(1.0_f64, e);
            assert_eq!(v, 2.0_f64.powi(e));
            assert_eq!(exponent_of(v), e);
            assert_eq!(exponent_of(1.75 * v.min(2.0_f64.powi(1022))), e.min(1022));
            assert_eq!(ldexp(ldexp(1.25_f64, e), -e), 1.25);
        }
        // The smallest subnormal.
        assert_eq!(ldexp(1.0_f64, -1074), f64::from_bits(1));
        assert_eq!(exponent_of(f64::from_bits(1)), -1074);
        assert_eq!(exponent_of(3.0e-30_f32), -99); // log2(3e-30) = -98.07
        assert_eq!(ldexp(ldexp(1.25_f32, 100), -100), 1.25);
    }
}
