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
