use super::*;

fn fd<F: Fn(f64) -> f64>(f: F, x: f64) -> f64 {
    let h = 1e-5 * x.abs().max(1.0);
    (f(x + h) - f(x - h)) / (2.0 * h)
}

fn check_datafit<D: Datafit<f64>>(d: &D, ys: &[f64]) {
    for &y in ys {
        for &eta in &[-30.0, -3.0, -0.7, 0.0, 0.4, 2.5, 30.0] {
            let g = d.deriv(y, eta);
            let g_fd = fd(|e| d.loss(y, e), eta);
            assert!(
                (g - g_fd).abs() <= 1e-6 * (1.0 + g.abs()),
                "{} deriv y={y} eta={eta}",
                d.name()
            );
            let h = d.hessian(y, eta);
            let h_fd = fd(|e| d.deriv(y, e), eta);
            assert!(
                (h - h_fd).abs() <= 1e-6 * (1.0 + h.abs()),
                "{} hessian",
                d.name()
            );
            assert!(h >= 0.0);
            if let Some(b) = d.curvature_bound() {
                assert!(h <= b * (1.0 + 1e-12));
            }
            // Fenchel–Young: zero at v = ℓ'(η), positive elsewhere in the domain.
            let fy = d.fenchel_young(y, eta, g).unwrap();
            assert!(
                fy.abs() <= 1e-9 * (1.0 + d.loss(y, eta).abs()),
                "{} fy {fy}",
                d.name()
            );
            let (lo, hi) = d.dual_domain(y);
            let v2 = (g + 0.1).clamp(lo, hi);
            if v2 != g {
                assert!(d.fenchel_young(y, eta, v2).unwrap() > 0.0);
            }
            // The default (loss + conjugate − v·η) agrees with the stable override.
            let def = d.loss(y, eta) + d.conjugate(y, v2).unwrap() - v2 * eta;
            if eta.abs() < 10.0 {
                let fy2 = d.fenchel_young(y, eta, v2).unwrap();
                assert!(
                    (def - fy2).abs() <= 1e-9 * (1.0 + def.abs()),
                    "{def} vs {fy2}"
                );
            }
        }
    }
}

#[test]
fn quadratic_and_logistic_derivatives_conjugates() {
    check_datafit(&Quadratic, &[-2.0, 0.0, 1.5]);
    check_datafit(&Logistic, &[0.0, 1.0, 0.3]);
}

#[test]
fn logistic_is_stable_at_extremes() {
    let f = Logistic;
    assert_eq!(f.loss(1.0_f64, 800.0), 0.0);
    assert_eq!(f.loss(0.0_f64, 800.0), 800.0);
    assert!(f.loss(0.0_f64, -800.0) == 0.0);
    assert_eq!(sigmoid(-800.0_f64), 0.0);
    assert_eq!(sigmoid(800.0_f64), 1.0);
    assert!(f.loss(1.0_f32, 100.0).is_finite());
    assert_eq!(f.conjugate(1.0_f64, 0.5), Some(f64::INFINITY));
}

#[test]
fn logistic_targets_are_checked() {
    assert!(matches!(
        Logistic.check_target(&[0.0_f64, 2.0]),
        Err(crate::Error::InvalidTarget { index: Some(1), .. })
    ));
    assert!(matches!(
        Logistic.check_target(&[0.0_f64, f64::NAN]),
        Err(crate::Error::NonFinite { index: 1, .. })
    ));
    let e = Logistic.null_eta(&[0.0_f64, 0.0], None).unwrap_err();
    assert!(e.to_string().contains("one class"), "{e}");
    // Weights: the class with weight zero does not count.
    assert!(Logistic
        .null_eta(&[0.0_f64, 1.0], Some(&[1.0, 0.0]))
        .is_err());
    let b = Logistic
        .null_eta(&[0.0_f64, 1.0], Some(&[1.0, 3.0]))
        .unwrap();
    assert!((b - 3f64.ln()).abs() < 1e-15);
}

#[test]
fn poisson_and_huber_derivatives_conjugates() {
    check_datafit(&Poisson, &[0.0, 1.0, 7.0]);
    // y away from the kinks η = y ± δ at the checked η.
    check_datafit(&Huber::new(1.35).unwrap(), &[0.0, 1.7, -2.2]);
}

/// `argmin_c Σ s_i ℓ(y_i, c + o_i)` by a dense grid refined three times: an independent check of
/// the safeguarded Newton iteration.
fn grid_min<D: Datafit<f64>>(d: &D, y: &[f64], s: &[f64], o: &[f64]) -> f64 {
    let phi = |c: f64| -> f64 { (0..y.len()).map(|i| s[i] * d.loss(y[i], c + o[i])).sum() };
    let (mut lo, mut hi) = (-50.0, 50.0);
    for _ in 0..6 {
        let h = (hi - lo) / 1000.0;
        let best = (0..=1000)
            .map(|k| lo + h * k as f64)
            .min_by(|a, b| phi(*a).total_cmp(&phi(*b)))
            .unwrap();
        lo = best - 2.0 * h;
        hi = best + 2.0 * h;
    }
    0.5 * (lo + hi)
}

#[test]
fn null_models_with_offsets_and_weights_minimise_the_loss() {
    let y = [0.0, 3.0, 1.0, 8.0, 2.0, 0.0, 5.0];
    let s = [1.0, 0.5, 2.0, 1.0, 0.0, 3.0, 1.5];
    let o = [0.1, -0.4, 0.9, 1.3, -2.0, 0.0, 0.6];
    // Poisson's closed form, the generic iteration (through a wrapper without the override)
    // and a grid agree.
    struct Generic<D>(D);
    impl<D: Datafit<f64>> Datafit<f64> for Generic<D> {
        fn name(&self) -> &'static str {
            "generic"
        }
        fn loss(&self, y: f64, e: f64) -> f64 {
            self.0.loss(y, e)
        }
        fn deriv(&self, y: f64, e: f64) -> f64 {
            self.0.deriv(y, e)
        }
        fn hessian(&self, y: f64, e: f64) -> f64 {
            self.0.hessian(y, e)
        }
        fn null_eta(&self, y: &[f64], s: Option<&[f64]>) -> crate::Result<f64> {
            self.0.null_eta(y, s)
        }
        fn mean(&self, e: f64) -> f64 {
            self.0.mean(e)
        }
    }
    let closed = Poisson.null_eta_offset(&y, Some(&s), &o).unwrap();
    let generic = Generic(Poisson).null_eta_offset(&y, Some(&s), &o).unwrap();
    let grid = grid_min(&Poisson, &y, &s, &o);
    assert!((closed - generic).abs() < 1e-12, "{closed} {generic}");
    assert!((closed - grid).abs() < 1e-7, "{closed} {grid}");
    // Logistic through the generic iteration.
    let yb = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
    let lb = Logistic.null_eta_offset(&yb, Some(&s), &o).unwrap();
    assert!((lb - grid_min(&Logistic, &yb, &s, &o)).abs() < 1e-7);
    // Huber: the location, robust to the outlier 8 (weights and offsets included).
    let h = Huber::new(1.0).unwrap();
    let hb = h.null_eta_offset(&y, Some(&s), &o).unwrap();
    let phi = |c: f64| -> f64 { (0..7).map(|i| s[i] * h.loss(y[i], c + o[i])).sum() };
    assert!(phi(hb) <= phi(grid_min(&h, &y, &s, &o)) + 1e-12);
    assert!(phi(hb) <= phi(hb + 1e-6) && phi(hb) <= phi(hb - 1e-6));
    // f32.
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let b32 = Poisson.null_eta(&y32, None).unwrap();
    assert!((f64::from(b32) - (19.0_f64 / 7.0).ln()).abs() < 1e-6);
    let h32 = Huber::new(1.0_f32).unwrap().null_eta(&y32, None).unwrap();
    assert!(h32.is_finite());
}

#[test]
fn poisson_and_huber_bad_inputs_are_typed_errors() {
    assert!(matches!(
        Poisson.check_target(&[0.0_f64, -1.0]),
        Err(crate::Error::InvalidTarget { index: Some(1), .. })
    ));
    assert!(matches!(
        Poisson.check_target(&[0.0_f64, f64::NAN]),
        Err(crate::Error::NonFinite { index: 1, .. })
    ));
    assert!(Poisson.null_eta(&[0.0_f64, 0.0], None).is_err());
    assert!(Poisson
        .null_eta_offset(&[0.0_f64, 1.0], Some(&[1.0, 0.0]), &[0.0, 0.0])
        .is_err());
    for d in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            Huber::new(d),
            Err(crate::Error::InvalidParameter { name: "delta", .. })
        ));
    }
    // Poisson's saturated loss: the minimum over η.
    for y in [0.0_f64, 0.5, 3.0] {
        let sat = Poisson.saturated(y);
        let at = if y > 0.0 {
            Poisson.loss(y, y.ln())
        } else {
            0.0
        };
        assert!((sat - at).abs() < 1e-15);
    }
}
