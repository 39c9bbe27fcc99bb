//! SGD: weight decay is gradient descent on `loss + (λ/2)‖w‖²`, converges to the engine's
//! Ridge, momentum conventions, schedules.

use proxreg_core::Scalar;
use proxreg_optim::schedule::StepDecay;
use proxreg_optim::{MomentumKind, Optimizer, ParamGroup, Sgd};

use crate::common::{max_abs_diff, ridge_reference, scalar_tests, LeastSquares};

/// SGD with `weight_decay = λ`, fed the gradient of the data loss only, produces bit for bit the
/// iterates of gradient descent (and heavy-ball) on `F = loss + (λ/2)‖w‖²` written out by hand;
/// and with a step `≤ 1/L`, `F` decreases at every step (up to rounding once converged).
fn sgd_weight_decay_is_gd_on_penalized_loss<T: Scalar>() {
    let (ls, _, _) = LeastSquares::<T>::gaussian(30, 4, &[1.0, -2.0, 0.5, 0.0], 0.1, 7);
    let lam = T::lit(0.3);
    let lr = T::one() / (ls.lipschitz_bound() + lam);
    let f = |w: &[T]| ls.loss(w) + lam * T::lit(0.5) * w.iter().map(|&v| v * v).sum::<T>();

    for mu in [0.0, 0.9] {
        let mu_t = T::lit(mu);
        let mut opt = Sgd::params()
            .lr(lr)
            .momentum(mu_t)
            .weight_decay(lam)
            .build(vec![ParamGroup::new("w", &[4])])
            .unwrap();
        let mut w = vec![T::zero(); 4];
        let mut w_ref = w.clone();
        let mut b_ref = [T::zero(); 4];
        let mut g = vec![T::zero(); 4];
        let mut f_prev = f(&w);
        for _ in 0..200 {
            ls.grad(&w, &mut g); // data loss only
            opt.step(&mut [&mut w[..]], &[&g[..]]).unwrap();

            // reference: heavy ball (plain GD when mu = 0) on F, gradient ∇loss + λw
            let mut gf = vec![T::zero(); 4];
            ls.grad(&w_ref, &mut gf);
            for j in 0..4 {
                gf[j] += lam * w_ref[j];
                b_ref[j] = mu_t * b_ref[j] + gf[j];
                let dir = if mu == 0.0 { gf[j] } else { b_ref[j] };
                w_ref[j] -= lr * dir;
            }
            assert_eq!(
                w, w_ref,
                "SGD with weight decay != GD on loss + (λ/2)‖w‖² (mu = {mu})"
            );
            if mu == 0.0 {
                let fw = f(&w);
                // decreasing, up to the rounding of F itself once converged
                let slack = T::lit(8.0) * T::epsilon() * f_prev;
                assert!(fw <= f_prev + slack, "F increased: {fw} > {f_prev}");
                f_prev = fw;
            }
        }
    }
}

/// Full-batch SGD with weight decay `λ` and the fixed step `1/L` converges to the engine's Ridge
/// solution. Conventions: SGD minimises `F(w) = (1/(2n))‖y − Xw‖² + (λ/2)‖w‖²`; multiplied by
/// `2n`, that is `‖y − Xw‖² + nλ‖w‖²`, the engine's Ridge objective `‖y − Xw‖² + α‖w‖²` with
/// **`α = n·λ`**. Also with momentum (the fixed point does not depend on it).
fn sgd_weight_decay_converges_to_engine_ridge<T: Scalar>() {
    let (n, p) = (60, 6);
    let (ls, x64, y64) =
        LeastSquares::<T>::gaussian(n, p, &[1.5, -1.0, 0.0, 2.0, 0.3, -0.7], 0.5, 11);
    let lam = 0.1;
    let alpha_engine = n as f64 * lam; // the explicit convention conversion
    let w_ridge = ridge_reference(&x64, &y64, n, p, alpha_engine);

    // the required 1e-6 in f64; f32 is limited by its rounding (cond(XᵀX/n + λI) ≈ 6)
    let tol = 1e-6_f64.max(1e3 * T::epsilon().as_f64());
    let lr = T::one() / (ls.lipschitz_bound() + T::lit(lam));
    for (mu, steps) in [(0.0, 600), (0.5, 600)] {
        let mut opt = Sgd::params()
            .lr(lr)
            .momentum(T::lit(mu))
            .weight_decay(T::lit(lam))
            .build(vec![ParamGroup::new("w", &[p])])
            .unwrap();
        let mut w = vec![T::zero(); p];
        let mut g = vec![T::zero(); p];
        for _ in 0..steps {
            ls.grad(&w, &mut g);
            opt.step(&mut [&mut w[..]], &[&g[..]]).unwrap();
        }
        let err = max_abs_diff(&w, &w_ridge);
        println!(
            "{}: SGD(lr = 1/L, λ = {lam}, μ = {mu}) after {steps} steps: max|w − ridge(α = nλ = {alpha_engine})| = {err:.3e}",
            std::any::type_name::<T>()
        );
        assert!(
            err <= tol,
            "max |w − w_ridge| = {err:e} > {tol:e} (mu = {mu})"
        );
    }
}

/// Nesterov momentum, two steps on `f(w) = ½hw²` with weight decay, against the closed form
/// derived by hand: with `c = h + λ`, `w₁ = w₀(1 − ηc(1 + μ))` and
/// `w₂ = w₁(1 − ηc(1 + μ)) − ημ²c·w₀`.
fn nesterov_two_steps_closed_form<T: Scalar>() {
    let (h, lam, lr, mu, w0) = (2.0, 0.5, 0.1, 0.9, 1.5);
    let mut opt = Sgd::params()
        .lr(T::lit(lr))
        .momentum(T::lit(mu))
        .momentum_kind(MomentumKind::Nesterov)
        .weight_decay(T::lit(lam))
        .build(vec![ParamGroup::new("w", &[1])])
        .unwrap();
    let mut w = [T::lit(w0)];
    let c = h + lam;
    let w1 = w0 * (1.0 - lr * c * (1.0 + mu));
    let w2 = w1 * (1.0 - lr * c * (1.0 + mu)) - lr * mu * mu * c * w0;
    let tol = 16.0 * T::epsilon().as_f64();
    for expected in [w1, w2] {
        let g = [T::lit(h) * w[0]];
        opt.step(&mut [&mut w[..]], &[&g[..]]).unwrap();
        assert!(
            (w[0].as_f64() - expected).abs() <= tol,
            "{} vs {expected}",
            w[0]
        );
    }
    // classical momentum differs from Nesterov after the first step
    let mut cl = Sgd::params()
        .lr(T::lit(lr))
        .momentum(T::lit(mu))
        .weight_decay(T::lit(lam))
        .build(vec![ParamGroup::new("w", &[1])])
        .unwrap();
    let mut v = [T::lit(w0)];
    let g = [T::lit(h) * v[0]];
    cl.step(&mut [&mut v[..]], &[&g[..]]).unwrap();
    assert!((v[0].as_f64() - w0 * (1.0 - lr * c)).abs() <= tol);
    assert_eq!(cl.momentum_buffer().len(), 1);
}

/// The schedule multiplies every group's learning rate at each step: a constant gradient `1`
/// moves `w` by exactly `Σ_k lr·m(k)`; `current_lr` reports the rate of the next step.
fn schedule_drives_the_learning_rate<T: Scalar>() {
    let mut opt = Sgd::params()
        .lr(T::lit(0.1))
        .build(vec![
            ParamGroup::new("a", &[2]),
            ParamGroup::new("b", &[1]).lr(T::lit(0.2)),
        ])
        .unwrap()
        .with_schedule(StepDecay::new(2, T::lit(0.5)).unwrap());
    let (mut a, mut b) = (vec![T::zero(); 2], vec![T::zero()]);
    let ones = [T::one(); 2];
    let mut expect_a = 0.0;
    let mut expect_b = 0.0;
    for k in 0..5 {
        let m = 0.5_f64.powi(k / 2);
        assert_eq!(opt.current_lr(0).unwrap(), T::lit(0.1) * T::lit(m));
        assert_eq!(opt.current_lr(1).unwrap(), T::lit(0.2) * T::lit(m));
        opt.step(&mut [&mut a[..], &mut b[..]], &[&ones[..], &ones[..1]])
            .unwrap();
        expect_a -= 0.1 * m;
        expect_b -= 0.2 * m;
    }
    assert_eq!(opt.steps_taken(), 5);
    let tol = 8.0 * T::epsilon().as_f64();
    assert!((a[0].as_f64() - expect_a).abs() <= tol && (a[0].as_f64() + 0.325).abs() <= tol);
    assert!((b[0].as_f64() - expect_b).abs() <= tol && (b[0].as_f64() + 0.65).abs() <= tol);
    assert!(opt.current_lr(2).is_err());

    // reset: the same run again from the same start gives the same bits
    opt.reset();
    assert_eq!(opt.steps_taken(), 0);
    let (mut a2, mut b2) = (vec![T::zero(); 2], vec![T::zero()]);
    for _ in 0..5 {
        opt.step(&mut [&mut a2[..], &mut b2[..]], &[&ones[..], &ones[..1]])
            .unwrap();
    }
    assert_eq!((a2, b2), (a, b));

    // a closure schedule
    let mut opt = Sgd::params()
        .lr(T::one())
        .build(vec![ParamGroup::new("w", &[1])])
        .unwrap()
        .with_schedule(|k: usize| T::one() / T::from_count(k + 1));
    let mut w = [T::zero()];
    for _ in 0..4 {
        opt.step(&mut [&mut w[..]], &[&ones[..1]]).unwrap();
    }
    let harmonic = 1.0 + 0.5 + 1.0 / 3.0 + 0.25;
    assert!((w[0].as_f64() + harmonic).abs() <= tol);
}

scalar_tests!(
    sgd_weight_decay_is_gd_on_penalized_loss,
    sgd_weight_decay_converges_to_engine_ridge,
    nesterov_two_steps_closed_form,
    schedule_drives_the_learning_rate,
);
