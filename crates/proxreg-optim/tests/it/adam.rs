//! Adam with coupled L2 vs AdamW with decoupled decay.

use proxreg_core::Scalar;
use proxreg_optim::schedule::Cosine;
use proxreg_optim::{Adam, AdamW, Optimizer, ParamGroup};

use crate::common::{quadratic_grads, scalar_tests, Gauss};

fn close<T: Scalar>(a: T, b: f64, ulps: f64) -> bool {
    (a.as_f64() - b).abs() <= ulps * T::epsilon().as_f64() * b.abs().max(1.0)
}

/// The first step of each, against its closed form. At `t = 1` bias correction gives
/// `m̂ = g`, `v̂ = g²`, so
/// * Adam + L2:  `w₁ = w₀ − η·d/(|d| + ε)` with `d = ∇ + λw₀`;
/// * AdamW:      `w₁ = w₀(1 − ηλ) − η·∇/(|∇| + ε)`.
fn single_step_closed_forms<T: Scalar>() {
    let (lr, lam, eps) = (0.01, 0.05, 1e-8);
    let w0 = [1.0, -2.0, 0.5, 0.0, 3.0];
    let g = [0.3, -0.1, 0.0, 0.0, -1e-3];
    let groups = || vec![ParamGroup::new("w", &[5])];
    let mut adam = Adam::params()
        .lr(T::lit(lr))
        .weight_decay(T::lit(lam))
        .build(groups())
        .unwrap();
    let mut adamw = AdamW::params()
        .lr(T::lit(lr))
        .weight_decay(T::lit(lam))
        .build(groups())
        .unwrap();
    let mut wa: Vec<T> = w0.iter().map(|&v| T::lit(v)).collect();
    let mut ww = wa.clone();
    let gt: Vec<T> = g.iter().map(|&v| T::lit(v)).collect();
    adam.step(&mut [&mut wa[..]], &[&gt[..]]).unwrap();
    adamw.step(&mut [&mut ww[..]], &[&gt[..]]).unwrap();
    for j in 0..5 {
        let d = g[j] + lam * w0[j];
        let ea = w0[j] - lr * d / (d.abs() + eps);
        let ew = w0[j] * (1.0 - lr * lam) - lr * g[j] / (g[j].abs() + eps);
        assert!(
            close(wa[j], ea, 8.0),
            "Adam coordinate {j}: {} vs {ea}",
            wa[j]
        );
        assert!(
            close(ww[j], ew, 8.0),
            "AdamW coordinate {j}: {} vs {ew}",
            ww[j]
        );
    }
    // w = 0, ∇ = 0: both leave it exactly at 0
    assert_eq!(wa[3], T::zero());
    assert_eq!(ww[3], T::zero());
}

/// The concrete run where they differ most plainly: no data gradient, `w₀ = 1`, `η = 0.1`,
/// `λ = 0.01`. Adam normalises the decay gradient `λw` by its own magnitude, so it moves `w` by
/// `≈ η` per step whatever `λ`; AdamW shrinks it by exactly `(1 − ηλ)` per step.
fn zero_gradient_adam_moves_by_lr_adamw_shrinks_by_factor<T: Scalar>() {
    let (lr, lam) = (0.1, 0.01);
    let groups = || vec![ParamGroup::new("w", &[1])];
    let mut adam = Adam::params()
        .lr(T::lit(lr))
        .weight_decay(T::lit(lam))
        .build(groups())
        .unwrap();
    let mut adamw = AdamW::params()
        .lr(T::lit(lr))
        .weight_decay(T::lit(lam))
        .build(groups())
        .unwrap();
    let (mut wa, mut ww) = (vec![T::one()], vec![T::one()]);
    let zero = [T::zero()];
    // first step, closed forms
    adam.step(&mut [&mut wa[..]], &[&zero[..]]).unwrap();
    adamw.step(&mut [&mut ww[..]], &[&zero[..]]).unwrap();
    let ea = 1.0 - lr * lam / (lam + 1e-8);
    assert!(close(wa[0], ea, 8.0), "{} vs {ea}", wa[0]);
    assert_eq!(ww[0], T::one() - T::lit(lr) * T::lit(lam)); // exactly 0.999
                                                            // four more steps: AdamW is exactly repeated multiplication by (1 − ηλ)
    let shrink = T::one() - T::lit(lr) * T::lit(lam);
    let mut expect_w = T::one() * shrink;
    for _ in 0..4 {
        adam.step(&mut [&mut wa[..]], &[&zero[..]]).unwrap();
        adamw.step(&mut [&mut ww[..]], &[&zero[..]]).unwrap();
        expect_w *= shrink;
    }
    assert_eq!(ww[0], expect_w);
    println!(
        "{}: zero gradient, η = {lr}, λ = {lam}, 5 steps: Adam+L2 w = {:.7}, AdamW w = {:.7}",
        std::any::type_name::<T>(),
        wa[0],
        ww[0]
    );
    // Adam's steps are ≈ η each: after 5 steps w ≈ 0.508 (5·η would give 0.5)
    assert!((wa[0].as_f64() - 0.5).abs() < 0.02, "Adam+L2: {}", wa[0]);
    assert!((ww[0].as_f64() - 0.999_f64.powi(5)).abs() < 1e-5);
    assert!((ww[0] - wa[0]).as_f64() > 0.45);
}

/// A full run on `f(w) = ½ Σ h_j (w_j − 1)²` with curvatures `h = (100, 1, 0.01)`, `λ = 0.1`,
/// `η = 0.05` annealed to 0 by a cosine over 3000 steps. Adam + L2 is Adam on
/// `f + (λ/2)‖w‖²` and ends at its minimiser `w* = h/(h + λ)`; AdamW does not minimise that
/// objective and ends elsewhere: on the flat coordinate (`h = 0.01`) Adam + L2 decays `w` to
/// `≈ 0.09`, AdamW leaves it near the data optimum `1`.
fn coupled_and_decoupled_runs_differ<T: Scalar>() {
    let h = [100.0, 1.0, 0.01];
    let c = [1.0, 1.0, 1.0];
    let (lr, lam, steps) = (0.05, 0.1, 3000);
    let groups = || vec![ParamGroup::new("w", &[3])];
    let sched = || Cosine::new(steps, T::zero()).unwrap();
    let mut adam = Adam::params()
        .lr(T::lit(lr))
        .weight_decay(T::lit(lam))
        .build(groups())
        .unwrap()
        .with_schedule(sched());
    let mut adamw = AdamW::params()
        .lr(T::lit(lr))
        .weight_decay(T::lit(lam))
        .build(groups())
        .unwrap()
        .with_schedule(sched());
    let mut wa = vec![vec![T::zero(); 3]];
    let mut ww = wa.clone();
    let mut g = wa.clone();
    for _ in 0..steps {
        quadratic_grads(&wa, &h, &c, &mut g);
        adam.step(&mut wa, &g).unwrap();
        quadratic_grads(&ww, &h, &c, &mut g);
        adamw.step(&mut ww, &g).unwrap();
    }
    let w_star: Vec<f64> = h.iter().map(|&hj| hj / (hj + lam)).collect();
    let err_adam = crate::common::max_abs_diff(&wa[0], &w_star);
    let err_adamw = crate::common::max_abs_diff(&ww[0], &w_star);
    let diff: f64 = (0..3)
        .map(|j| (wa[0][j] - ww[0][j]).as_f64().abs())
        .fold(0.0, f64::max);
    println!(
        "{}: after {steps} steps  Adam+L2 = {:?}  AdamW = {:?}  w* = {w_star:.6?}\n  \
         max|Adam − w*| = {err_adam:.3e}  max|AdamW − w*| = {err_adamw:.3e}  max|Adam − AdamW| = {diff:.4}",
        std::any::type_name::<T>(),
        wa[0],
        ww[0]
    );
    assert!(
        err_adam < 1e-3,
        "Adam + L2 should reach argmin f + (λ/2)‖w‖²: {err_adam:e}"
    );
    assert!(err_adamw > 0.5, "AdamW should not: {err_adamw:e}");
    assert!(diff > 0.5);
    // flat coordinate: coupled decays it to ≈ 0.0909, decoupled keeps it near 1
    assert!((wa[0][2].as_f64() - 0.01 / 0.11).abs() < 1e-3);
    assert!(ww[0][2].as_f64() > 0.9);
}

/// With weight decay 0, Adam and AdamW are the same optimizer, bit for bit, and both equal
/// plain Adam written from the textbook formulas (`m̂ = m/(1 − β₁ᵗ)`, `v̂ = v/(1 − β₂ᵗ)`,
/// `w ← w − η·m̂/(√v̂ + ε)`) to rounding.
fn zero_decay_both_equal_plain_adam<T: Scalar>() {
    let (lr, b1, b2, eps) = (0.01, 0.8, 0.99, 1e-6);
    let mut rng = Gauss::new(3);
    let n = 7;
    let groups = || {
        vec![
            ParamGroup::new("w", &[4]),
            ParamGroup::new("b", &[3]).lr(T::lit(0.02)),
        ]
    };
    let mut adam = Adam::params()
        .lr(T::lit(lr))
        .betas(T::lit(b1), T::lit(b2))
        .eps(T::lit(eps))
        .weight_decay(T::zero())
        .build(groups())
        .unwrap();
    let mut adamw = AdamW::params()
        .lr(T::lit(lr))
        .betas(T::lit(b1), T::lit(b2))
        .eps(T::lit(eps))
        .weight_decay(T::zero())
        .build(groups())
        .unwrap();
    let w0 = rng.vec(n);
    let mut pa = vec![
        crate::common::cast::<T>(&w0[..4]),
        crate::common::cast::<T>(&w0[4..]),
    ];
    let mut pw = pa.clone();
    // plain Adam reference, in f64
    let mut wr = w0.clone();
    let (mut m, mut v) = (vec![0.0; n], vec![0.0; n]);
    for t in 1..=50 {
        let g64 = rng.vec(n);
        let g = vec![
            crate::common::cast::<T>(&g64[..4]),
            crate::common::cast::<T>(&g64[4..]),
        ];
        adam.step(&mut pa, &g).unwrap();
        adamw.step(&mut pw, &g).unwrap();
        assert_eq!(pa, pw, "Adam(λ=0) and AdamW(λ=0) differ at step {t}");
        for j in 0..n {
            // the gradient as rounded to T
            let gj = if j < 4 { g[0][j] } else { g[1][j - 4] }.as_f64();
            let lr_j = if j < 4 { lr } else { 0.02 };
            m[j] = b1 * m[j] + (1.0 - b1) * gj;
            v[j] = b2 * v[j] + (1.0 - b2) * gj * gj;
            let mh = m[j] / (1.0 - b1.powi(t));
            let vh = v[j] / (1.0 - b2.powi(t));
            wr[j] -= lr_j * mh / (vh.sqrt() + eps);
        }
    }
    let flat: Vec<T> = pa.concat();
    let err = crate::common::max_abs_diff(&flat, &wr);
    let tol = 1e3 * T::epsilon().as_f64();
    assert!(err <= tol, "Adam(λ=0) vs textbook Adam: {err:e} > {tol:e}");
}

scalar_tests!(
    single_step_closed_forms,
    zero_gradient_adam_moves_by_lr_adamw_shrinks_by_factor,
    coupled_and_decoupled_runs_differ,
    zero_decay_both_equal_plain_adam,
);
