//! The checks: plain functions returning `Ok(())` or a message saying what failed, with numbers.
//!
//! `tol` is relative (see [`default_tol`](crate::default_tol)); each check documents the
//! magnitude it scales it by. Inputs are never modified.

// `!(a >= b)` is deliberate throughout: it is true for NaN, which must fail a check.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use proxreg_core::penalty::{BlockSeparablePenalty, Norm, Penalty, SeparablePenalty};
use proxreg_core::Scalar;

fn max_abs<T: Scalar>(v: &[T]) -> T {
    v.iter().fold(T::zero(), |m, x| m.max(x.abs()))
}

fn dot<T: Scalar>(a: &[T], b: &[T]) -> T {
    a.iter().zip(b).map(|(&x, &y)| x * y).sum()
}

fn abs_dot<T: Scalar>(a: &[T], b: &[T]) -> T {
    a.iter().zip(b).map(|(&x, &y)| (x * y).abs()).sum()
}

fn nrm<T: Scalar>(v: &[T]) -> T {
    v.iter().map(|&x| x * x).sum::<T>().sqrt()
}

fn prox_of<T: Scalar, P: Penalty<T> + ?Sized>(pen: &P, v: &[T], step: T) -> Vec<T> {
    let mut p = v.to_vec();
    pen.prox_in_place(&mut p, step);
    p
}

fn fail<T: Scalar>(what: &str, got: T, allowed: T, detail: String) -> Result<(), String> {
    if got <= allowed {
        Ok(())
    } else {
        Err(format!(
            "{what}: violation {:e} > allowed {:e} ({detail})",
            got.as_f64(),
            allowed.as_f64()
        ))
    }
}

/// Prox optimality: with `p = prox_{t g}(v)`, `(v − p)/t ∈ ∂g(p)`, i.e.
/// `subdiff_distance(p, (p − v)/t, 1) ≈ 0`. Holds for convex penalties and, with the Fréchet
/// subdifferential, for weakly convex ones whose prox is well defined (MCP with `t < γ`).
///
/// Allowed violation: `tol · (1 + ‖v‖∞/t + ‖p‖∞/t + ‖p‖∞)`.
///
/// # Errors
/// A message with the violation, the step and the vectors.
pub fn check_prox_optimality<T: Scalar, P: Penalty<T> + ?Sized>(
    pen: &P,
    v: &[T],
    step: T,
    tol: T,
) -> Result<(), String> {
    let p = prox_of(pen, v, step);
    let grad: Vec<T> = p.iter().zip(v).map(|(&pj, &vj)| (pj - vj) / step).collect();
    let mut dist = vec![T::zero(); v.len()];
    let d = pen.subdiff_distance(&p, &grad, T::one(), &mut dist);
    let scale = T::one() + (max_abs(v) + max_abs(&p)) / step + max_abs(&p);
    if d.is_nan() {
        return Err(format!(
            "prox optimality: distance is NaN (v={v:?}, t={step:?}, p={p:?})"
        ));
    }
    fail(
        "prox optimality (v − p)/t ∈ ∂g(p)",
        d,
        tol * scale,
        format!("v={v:?}, t={step:?}, p={p:?}, dist={dist:?}"),
    )
}

/// Brute-force oracle for one coordinate of a separable penalty: `prox_1d(v, t, j)` must
/// minimise `F(z) = t·g_j(z) + ½(z − v)²` (with `g_j = value_1d(·, j)`), compared against a dense
/// grid (2001 points) refined by golden-section search, over the interval `|z − v| ≤ r` that
/// must contain the minimiser because `g_j ≥ 0` (`r² = min(v² + 2t·g_j(0), 2t·g_j(v))`).
/// Assumes `g_j ≥ 0`; works for non-convex `g_j` as long as the minimiser is unique.
///
/// Allowed excess `F(prox) − F(oracle)`: `tol · (1 + v² + t·|g_j(prox)|)`.
///
/// # Errors
/// A message with both candidates and their objective values.
pub fn check_prox_1d_oracle<T: Scalar, P: SeparablePenalty<T> + ?Sized>(
    pen: &P,
    v: T,
    step: T,
    j: usize,
    tol: T,
) -> Result<(), String> {
    let half = T::lit(0.5);
    let obj = |z: T| {
        let d = z - v;
        step * pen.value_1d(z, j) + half * d * d
    };
    let p = pen.prox_1d(v, step, j);
    let fp = obj(p);
    if !fp.is_finite() {
        return Err(format!(
            "prox_1d oracle: F(prox) is not finite (v={v:?}, t={step:?}, j={j}, prox={p:?}, F={fp:?})"
        ));
    }
    let r2_zero = v * v + (step + step) * pen.value_1d(T::zero(), j);
    let r2_v = (step + step) * pen.value_1d(v, j);
    let r2 = if r2_v.is_finite() && r2_v < r2_zero {
        r2_v
    } else {
        r2_zero
    };
    let r = r2.sqrt() * T::lit(1.001) + T::epsilon();
    let (lo, hi) = (v - r, v + r);
    let n = 2000usize;
    let h = (hi - lo) / T::from_count(n);
    let mut best = (v, obj(v));
    for cand in [T::zero(), p] {
        let f = obj(cand);
        if f < best.1 {
            best = (cand, f);
        }
    }
    let mut best_i = 0usize;
    let mut best_grid = T::infinity();
    for i in 0..=n {
        let z = lo + h * T::from_count(i);
        let f = obj(z);
        if f < best_grid {
            best_grid = f;
            best_i = i;
        }
    }
    // Golden-section refinement around the best grid point.
    let mut a = lo + h * T::from_count(best_i.saturating_sub(1));
    let mut b = lo + h * T::from_count((best_i + 1).min(n));
    let g = T::lit(0.618_033_988_749_894_8);
    for _ in 0..200 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if obj(c) < obj(d) {
            b = d;
        } else {
            a = c;
        }
    }
    for cand in [a, b, half * (a + b), lo + h * T::from_count(best_i)] {
        let f = obj(cand);
        if f < best.1 {
            best = (cand, f);
        }
    }
    let excess = fp - best.1;
    let scale = T::one() + v * v + step * pen.value_1d(p, j).abs();
    fail(
        "prox_1d vs brute-force minimisation of t·g_j(z) + ½(z − v)²",
        excess,
        tol * scale,
        format!(
            "v={v:?}, t={step:?}, j={j}: prox={p:?} F={fp:?}, oracle z={:?} F={:?}",
            best.0, best.1
        ),
    )
}

/// The vector methods of a separable penalty agree with its 1-D methods: `prox_in_place` equals
/// `prox_1d` coordinate-wise (bit for bit), `subdiff_distance` fills `dist[j]` with
/// `subdiff_distance_1d` and returns their maximum, and `value` is `Σ_j value_1d` within
/// `tol · Σ_j |value_1d|`. Where `quadratic_piece_1d(w_j)` gives `(a, b)`: `b ≥ 0`, the piece
/// reproduces `value_1d` at a point `v` of the same sign as `w_j`, and `−alpha·(a + b·w_j)` is
/// the (sub)gradient there (`subdiff_distance_1d` is zero at it), both within `tol`.
///
/// # Errors
/// A message naming the first disagreement.
pub fn check_separable_consistency<T: Scalar, P: SeparablePenalty<T> + ?Sized>(
    pen: &P,
    w: &[T],
    grad: &[T],
    step: T,
    alpha: T,
    tol: T,
) -> Result<(), String> {
    let p = prox_of(pen, w, step);
    for (j, (&pj, &wj)) in p.iter().zip(w).enumerate() {
        let q = pen.prox_1d(wj, step, j);
        if !(pj == q || (pj.is_nan() && q.is_nan())) {
            return Err(format!(
                "prox_in_place[{j}] = {pj:?} but prox_1d = {q:?} (w={w:?}, t={step:?})"
            ));
        }
    }
    let mut dist = vec![T::zero(); w.len()];
    let worst = pen.subdiff_distance(w, grad, alpha, &mut dist);
    let mut max = T::zero();
    for (j, ((&wj, &gj), &dj)) in w.iter().zip(grad).zip(&dist).enumerate() {
        let d = pen.subdiff_distance_1d(wj, gj, alpha, j);
        if !(d == dj) {
            return Err(format!(
                "subdiff_distance dist[{j}] = {dj:?} but subdiff_distance_1d = {d:?}"
            ));
        }
        max = max.max(d);
    }
    if !(worst == max) {
        return Err(format!(
            "subdiff_distance returned {worst:?}, the maximum of dist is {max:?}"
        ));
    }
    for (j, (&wj, &gj)) in w.iter().zip(grad).enumerate() {
        let Some((a, b)) = pen.quadratic_piece_1d(wj, j) else {
            continue;
        };
        if wj == T::zero() || !(b >= T::zero()) || !a.is_finite() || !b.is_finite() {
            return Err(format!(
                "quadratic_piece_1d({wj:?}, {j}) = ({a:?}, {b:?}): needs w_j != 0, finite a, finite b >= 0"
            ));
        }
        // A point of the same sign: w_j scaled by a factor in [0.25, 1.75] drawn from grad_j.
        let scale = T::lit(0.25) + T::lit(1.5) * gj.abs() / (T::one() + gj.abs());
        let v = wj * scale;
        let lhs = pen.value_1d(v, j) - pen.value_1d(wj, j);
        let lin = a * (v - wj);
        let quad = T::lit(0.5) * b * (v * v - wj * wj);
        let mag = pen.value_1d(v, j).abs() + pen.value_1d(wj, j).abs() + lin.abs() + quad.abs();
        if !((lhs - lin - quad).abs() <= tol * mag) {
            return Err(format!(
                "quadratic_piece_1d({wj:?}, {j}) = ({a:?}, {b:?}) but g_j({v:?}) − g_j({wj:?}) = {lhs:?}, the piece gives {:?}",
                lin + quad
            ));
        }
        let d = pen.subdiff_distance_1d(wj, -alpha * (a + b * wj), alpha, j);
        let dmag = alpha * (a.abs() + (b * wj).abs());
        if !(d <= tol * dmag) {
            return Err(format!(
                "quadratic_piece_1d({wj:?}, {j}) = ({a:?}, {b:?}): the gradient alpha·(a + b·w_j) is at subdifferential distance {d:?}"
            ));
        }
    }
    let total = pen.value(w);
    let terms: Vec<T> = w
        .iter()
        .enumerate()
        .map(|(j, &x)| pen.value_1d(x, j))
        .collect();
    let sum: T = terms.iter().copied().sum();
    let mag: T = terms.iter().map(|x| x.abs()).sum();
    if total == sum {
        return Ok(()); // includes both +inf (outside a constraint set)
    }
    fail(
        "value vs Σ value_1d",
        (total - sum).abs(),
        tol * mag,
        format!("value={total:?}, Σ value_1d={sum:?}"),
    )
}

/// The vector methods of a block-separable penalty agree with its block methods, block `b`
/// being `w[b·k .. (b+1)·k]` with `k = block_size()`: `prox_in_place` equals `prox_block` on each
/// block (bit for bit), `subdiff_distance` writes `subdiff_distance_block` into each coordinate
/// of the block and returns their maximum, and `value` is `Σ_b value_block` within
/// `tol · Σ_b |value_block|`. `w.len()` should be a multiple of `k`.
///
/// # Errors
/// A message naming the first disagreement.
pub fn check_block_consistency<T: Scalar, P: BlockSeparablePenalty<T> + ?Sized>(
    pen: &P,
    w: &[T],
    grad: &[T],
    step: T,
    alpha: T,
    tol: T,
) -> Result<(), String> {
    let k = pen.block_size();
    if k == 0 {
        return Err("block_size() is 0".to_string());
    }
    let p = prox_of(pen, w, step);
    let mut dist = vec![T::zero(); w.len()];
    let worst = pen.subdiff_distance(w, grad, alpha, &mut dist);
    let mut max = T::zero();
    let mut sum = T::zero();
    let mut mag = T::zero();
    for (b, ((wb, gb), (pb, db))) in w
        .chunks(k)
        .zip(grad.chunks(k))
        .zip(p.chunks(k).zip(dist.chunks(k)))
        .enumerate()
    {
        let mut q = wb.to_vec();
        pen.prox_block(&mut q, step, b);
        if q.as_slice() != pb {
            return Err(format!(
                "prox_in_place on block {b} = {pb:?} but prox_block = {q:?} (t={step:?})"
            ));
        }
        let d = pen.subdiff_distance_block(wb, gb, alpha, b);
        if db.iter().any(|&x| !(x == d)) {
            return Err(format!(
                "subdiff_distance on block {b} = {db:?} but subdiff_distance_block = {d:?}"
            ));
        }
        max = max.max(d);
        let v = pen.value_block(wb, b);
        sum += v;
        mag += v.abs();
    }
    if !(worst == max) {
        return Err(format!(
            "subdiff_distance returned {worst:?}, the maximum of the block distances is {max:?}"
        ));
    }
    let total = pen.value(w);
    if total == sum {
        return Ok(());
    }
    fail(
        "value vs Σ value_block",
        (total - sum).abs(),
        tol * mag,
        format!("value={total:?}, Σ value_block={sum:?}"),
    )
}

/// Firm non-expansiveness of the prox of a convex penalty:
/// `‖p(x) − p(y)‖² ≤ ⟨p(x) − p(y), x − y⟩`.
///
/// Allowed excess: `tol · (‖x‖ + ‖y‖) · (‖x − y‖ + ‖p(x) − p(y)‖)`.
///
/// # Errors
/// A message with both sides.
pub fn check_firm_nonexpansive<T: Scalar, P: Penalty<T> + ?Sized>(
    pen: &P,
    x: &[T],
    y: &[T],
    step: T,
    tol: T,
) -> Result<(), String> {
    let px = prox_of(pen, x, step);
    let py = prox_of(pen, y, step);
    let d: Vec<T> = px.iter().zip(&py).map(|(&a, &b)| a - b).collect();
    let e: Vec<T> = x.iter().zip(y).map(|(&a, &b)| a - b).collect();
    let lhs = dot(&d, &d);
    let rhs = dot(&d, &e);
    let scale = (nrm(x) + nrm(y)) * (nrm(&e) + nrm(&d));
    fail(
        "firm non-expansiveness ‖p(x)−p(y)‖² ≤ ⟨p(x)−p(y), x−y⟩",
        lhs - rhs,
        tol * scale,
        format!("lhs={lhs:?}, rhs={rhs:?}, x={x:?}, y={y:?}, t={step:?}"),
    )
}

/// The norm axioms and Hölder's inequality for a [`Norm`] `g` with dual norm `g*`:
/// `g(x) ≥ 0`; `g(0) = 0` and `g(x) > 0` for `x ≠ 0`; `g(c·x) = |c|·g(x)`;
/// `g(x + y) ≤ g(x) + g(y)`; `⟨x, y⟩ ≤ g(y)·g*(x)`, and its aligned case `‖x‖₂² ≤ g(x)·g*(x)`
/// (random `y` is rarely aligned with `x`, so a dual norm that is too small only along `x` would
/// slip through the first form); the same non-negativity and homogeneity for `g*`.
///
/// Allowed violations: `tol` times the magnitude of the compared terms.
///
/// # Errors
/// A message naming the axiom that failed.
pub fn check_norm_axioms<T: Scalar, P: Norm<T> + ?Sized>(
    pen: &P,
    x: &[T],
    y: &[T],
    c: T,
    tol: T,
) -> Result<(), String> {
    let gx = pen.value(x);
    let gy = pen.value(y);
    let zero = vec![T::zero(); x.len()];
    let g0 = pen.value(&zero);
    if !(gx >= T::zero()) || !(gy >= T::zero()) {
        return Err(format!("non-negativity: g(x)={gx:?}, g(y)={gy:?}"));
    }
    if g0 != T::zero() || pen.dual_norm(&zero) != T::zero() {
        return Err(format!(
            "definiteness: g(0)={g0:?}, g*(0)={:?}",
            pen.dual_norm(&zero)
        ));
    }
    if x.iter().any(|&v| v != T::zero()) && !(gx > T::zero() && pen.dual_norm(x) > T::zero()) {
        return Err(format!("definiteness: g(x)={gx:?} for x={x:?} ≠ 0"));
    }
    let cx: Vec<T> = x.iter().map(|&v| c * v).collect();
    let gcx = pen.value(&cx);
    fail(
        "absolute homogeneity g(c·x) = |c|·g(x)",
        (gcx - c.abs() * gx).abs(),
        tol * c.abs() * gx,
        format!("c={c:?}, g(cx)={gcx:?}, g(x)={gx:?}"),
    )?;
    let dx = pen.dual_norm(x);
    let dcx = pen.dual_norm(&cx);
    fail(
        "dual norm homogeneity g*(c·x) = |c|·g*(x)",
        (dcx - c.abs() * dx).abs(),
        tol * c.abs() * dx,
        format!("c={c:?}, g*(cx)={dcx:?}, g*(x)={dx:?}"),
    )?;
    let s: Vec<T> = x.iter().zip(y).map(|(&a, &b)| a + b).collect();
    let gs = pen.value(&s);
    fail(
        "triangle inequality g(x + y) ≤ g(x) + g(y)",
        gs - gx - gy,
        tol * (gx + gy),
        format!("g(x+y)={gs:?}, g(x)={gx:?}, g(y)={gy:?}"),
    )?;
    let inner = dot(x, y);
    let bound = gy * dx;
    fail(
        "Hölder ⟨x, y⟩ ≤ g(y)·g*(x)",
        inner - bound,
        tol * (abs_dot(x, y) + bound),
        format!("⟨x,y⟩={inner:?}, g(y)={gy:?}, g*(x)={dx:?}"),
    )?;
    let sq = dot(x, x);
    let aligned = gx * dx;
    fail(
        "Hölder at y = x: ‖x‖₂² ≤ g(x)·g*(x)",
        sq - aligned,
        tol * (sq + aligned),
        format!("‖x‖₂²={sq:?}, g(x)={gx:?}, g*(x)={dx:?}"),
    )
}

/// The Moreau decomposition for a norm: with `p = prox_{t g}(v)` and `r = v − p` (the projection
/// of `v` on the dual ball of radius `t`), `g*(r) ≤ t` and `⟨r, p⟩ = t·g(p)`.
///
/// Allowed violations: `tol · (t + ‖v‖∞)` and `tol · (Σ_j |r_j p_j| + t·g(p))`.
///
/// # Errors
/// A message with the dual norm or the two sides of the equality.
pub fn check_moreau<T: Scalar, P: Norm<T> + ?Sized>(
    pen: &P,
    v: &[T],
    step: T,
    tol: T,
) -> Result<(), String> {
    let p = prox_of(pen, v, step);
    let r: Vec<T> = v.iter().zip(&p).map(|(&a, &b)| a - b).collect();
    let dn = pen.dual_norm(&r);
    fail(
        "Moreau: dual_norm(v − prox_{tg}(v)) ≤ t",
        dn - step,
        tol * (step + max_abs(v)),
        format!("dual_norm={dn:?}, t={step:?}, v={v:?}, p={p:?}"),
    )?;
    let lhs = dot(&r, &p);
    let rhs = step * pen.value(&p);
    fail(
        "Moreau: ⟨v − p, p⟩ = t·g(p)",
        (lhs - rhs).abs(),
        tol * (abs_dot(&r, &p) + rhs.abs()),
        format!("⟨r,p⟩={lhs:?}, t·g(p)={rhs:?}, v={v:?}, p={p:?}"),
    )
}

/// The Fenchel–Young inequality `α·g(w) + (α g)*(u) ≥ ⟨u, w⟩` (skipped when the penalty
/// provides no conjugate or a side is infinite).
///
/// Allowed violation: `tol · (Σ_j |u_j w_j| + α|g(w)| + |(αg)*(u)|)`.
///
/// # Errors
/// A message with both sides.
pub fn check_fenchel_young<T: Scalar, P: Penalty<T> + ?Sized>(
    pen: &P,
    w: &[T],
    u: &[T],
    alpha: T,
    tol: T,
) -> Result<(), String> {
    let Some(conj) = pen.conjugate(u, alpha) else {
        return Ok(());
    };
    let ag = alpha * pen.value(w);
    if conj.is_nan() || ag.is_nan() {
        return Err(format!("Fenchel–Young: NaN (αg(w)={ag:?}, conj={conj:?})"));
    }
    if conj == T::infinity() || ag == T::infinity() {
        return Ok(());
    }
    let rhs = dot(u, w);
    fail(
        "Fenchel–Young αg(w) + (αg)*(u) ≥ ⟨u, w⟩",
        rhs - ag - conj,
        tol * (abs_dot(u, w) + ag.abs() + conj.abs()),
        format!("αg(w)={ag:?}, conj={conj:?}, ⟨u,w⟩={rhs:?}, α={alpha:?}"),
    )
}

/// Fenchel–Young **equality** at a subgradient, and the dual scaling the engine uses: with
/// `p = prox_{tα g}(v)`, `u = (v − p)/t ∈ α∂g(p)`; `s = dual_feasible_scale(u, α)` must be
/// (up to rounding) 1 and `α·g(p) + (αg)*(s·u) = ⟨s·u, p⟩`. Skipped when no conjugate.
///
/// Allowed violations: `|s − 1| ≤ tol·(1 + ‖v‖∞/(tα))` and
/// `tol · (Σ_j |u_j p_j| + α|g(p)| + |conj| + ‖v‖∞·‖p‖₁/t)`.
///
/// # Errors
/// A message with the scale or both sides.
pub fn check_fenchel_equality<T: Scalar, P: Penalty<T> + ?Sized>(
    pen: &P,
    v: &[T],
    step: T,
    alpha: T,
    tol: T,
) -> Result<(), String> {
    let p = prox_of(pen, v, step * alpha);
    let mut u: Vec<T> = v.iter().zip(&p).map(|(&a, &b)| (a - b) / step).collect();
    let s = pen.dual_feasible_scale(&u, alpha);
    fail(
        "dual_feasible_scale at a subgradient is 1",
        (s - T::one()).abs(),
        tol * (T::one() + max_abs(v) / (step * alpha)),
        format!("s={s:?}, u={u:?}, α={alpha:?}"),
    )?;
    u.iter_mut().for_each(|x| *x *= s);
    let Some(conj) = pen.conjugate(&u, alpha) else {
        return Ok(());
    };
    if !conj.is_finite() {
        return Err(format!(
            "Fenchel equality: conjugate at a (scaled) subgradient is {conj:?} (u={u:?}, α={alpha:?}, p={p:?})"
        ));
    }
    let ag = alpha * pen.value(&p);
    let up = dot(&u, &p);
    let p1: T = p.iter().map(|x| x.abs()).sum();
    let scale = abs_dot(&u, &p) + ag.abs() + conj.abs() + max_abs(v) * p1 / step;
    fail(
        "Fenchel–Young equality αg(p) + (αg)*(u) = ⟨u, p⟩ at u ∈ α∂g(p)",
        (ag + conj - up).abs(),
        tol * scale,
        format!("αg(p)={ag:?}, conj={conj:?}, ⟨u,p⟩={up:?}, v={v:?}, t={step:?}, α={alpha:?}"),
    )
}

/// `dual_feasible_scale(u, α)` is in `(0, 1]`, makes the conjugate finite at `s·u`, and is 1
/// when the conjugate is already finite at `u` (up to `2·sqrt(ε)`: indicator conjugates accept
/// a relative `sqrt(ε)` rounding slack that the scale need not use). Skipped when no conjugate. Entries of `u` on
/// unpenalised coordinates should be 0.
///
/// # Errors
/// A message with the scale and the conjugate values.
pub fn check_dual_feasible_scale<T: Scalar, P: Penalty<T> + ?Sized>(
    pen: &P,
    u: &[T],
    alpha: T,
) -> Result<(), String> {
    let Some(c1) = pen.conjugate(u, alpha) else {
        return Ok(());
    };
    let s = pen.dual_feasible_scale(u, alpha);
    if !(s > T::zero() && s <= T::one()) {
        return Err(format!(
            "dual_feasible_scale {s:?} not in (0, 1] (u={u:?}, α={alpha:?})"
        ));
    }
    let slack = T::one() - T::lit(2.0) * T::epsilon().sqrt();
    if c1.is_finite() && !(s >= slack) {
        return Err(format!(
            "dual_feasible_scale is {s:?} although the conjugate at u is finite ({c1:?})"
        ));
    }
    let su: Vec<T> = u.iter().map(|&x| s * x).collect();
    match pen.conjugate(&su, alpha) {
        Some(c) if c.is_finite() => Ok(()),
        other => Err(format!(
            "conjugate at s·u is {other:?} with s={s:?} (u={u:?}, α={alpha:?})"
        )),
    }
}

/// `alpha_max` is the smallest `α` at which `w = 0` satisfies the KKT conditions given the
/// gradient at zero `g0`: `subdiff_distance(0, g0, α) ≈ 0` at `α = alpha_max` and `2·alpha_max`,
/// and `> tol·alpha_max` at `0.99·alpha_max` when `alpha_max > 0`. Skipped
/// when `alpha_max` is `None`. Entries of `g0` on unpenalised coordinates should be 0.
///
/// Allowed violation at `alpha_max`: `tol · (1 + ‖g0‖∞)`.
///
/// # Errors
/// A message with the distances.
pub fn check_alpha_max<T: Scalar, P: Penalty<T> + ?Sized>(
    pen: &P,
    g0: &[T],
    tol: T,
) -> Result<(), String> {
    let Some(am) = pen.alpha_max(g0) else {
        return Ok(());
    };
    if !(am >= T::zero() && am.is_finite()) {
        return Err(format!("alpha_max = {am:?} for a finite gradient {g0:?}"));
    }
    let zero = vec![T::zero(); g0.len()];
    let mut dist = vec![T::zero(); g0.len()];
    let allowed = tol * (T::one() + max_abs(g0));
    for factor in [1.0, 2.0] {
        let a = am * T::lit(factor);
        let d = pen.subdiff_distance(&zero, g0, a, &mut dist);
        fail(
            "w = 0 is optimal for α ≥ alpha_max",
            d,
            allowed,
            format!("α = {factor}·alpha_max = {a:?}, g0={g0:?}, dist={dist:?}"),
        )?;
    }
    if am > T::zero() {
        let a = am * T::lit(0.99);
        let d = pen.subdiff_distance(&zero, g0, a, &mut dist);
        if !(d > tol * am) {
            return Err(format!(
                "w = 0 still optimal at 0.99·alpha_max = {a:?} (distance {d:?}): alpha_max {am:?} is too large (g0={g0:?})"
            ));
        }
    }
    Ok(())
}
