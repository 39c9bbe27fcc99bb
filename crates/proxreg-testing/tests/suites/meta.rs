//! The kit itself catches wrong penalties (each check must be able to fail).

use proxreg_core::penalty::{separable, Norm, Penalty, SeparablePenalty, L1};
use proxreg_core::Scalar;
use proxreg_testing::{checks, suite, Setup};

/// L1 with a prox that thresholds at 0.9·t instead of t, an `alpha_max` 2% too large, and a
/// quadratic piece with a curvature L1 does not have.
struct WrongL1;

impl<T: Scalar> Penalty<T> for WrongL1 {
    fn value(&self, w: &[T]) -> T {
        L1.value(w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        L1.subdiff_distance(w, grad, alpha, dist)
    }
    fn alpha_max(&self, g: &[T]) -> Option<T> {
        L1.alpha_max(g).map(|a| a * T::lit(1.02))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        // Wrong: a radius twice too large.
        L1.conjugate(u, alpha + alpha)
    }
}

impl<T: Scalar> SeparablePenalty<T> for WrongL1 {
    fn prox_1d(&self, v: T, step: T, j: usize) -> T {
        L1.prox_1d(v, step * T::lit(0.9), j)
    }
    fn subdiff_distance_1d(&self, w: T, g: T, alpha: T, j: usize) -> T {
        L1.subdiff_distance_1d(w, g, alpha, j)
    }
    fn quadratic_piece_1d(&self, w: T, _j: usize) -> Option<(T, T)> {
        // Wrong: |v| has no curvature.
        (w != T::zero()).then(|| (w.signum(), T::one()))
    }
}

impl<T: Scalar> Norm<T> for WrongL1 {
    fn dual_norm(&self, v: &[T]) -> T {
        // Wrong: the dual of ℓ1 is ℓ∞, not ℓ2.
        v.iter().map(|&x| x * x).sum::<T>().sqrt() * T::lit(0.5)
    }
}

#[test]
fn each_check_rejects_a_wrong_penalty() {
    let setup = Setup::new(5).cases(64);
    assert!(suite::prox_optimality::<f64, _>(&WrongL1, &setup).is_err());
    assert!(suite::prox_1d_oracle::<f64, _>(&WrongL1, &setup).is_err());
    assert!(suite::moreau::<f64, _>(&WrongL1, &setup).is_err());
    assert!(suite::norm_axioms::<f64, _>(&WrongL1, &setup).is_err());
    assert!(suite::alpha_max::<f32, _>(&WrongL1, &setup).is_err());
    assert!(suite::fenchel_young::<f64, _>(&WrongL1, &setup).is_err());
    assert!(suite::separable_consistency::<f64, _>(&WrongL1, &setup).is_err());
    assert!(suite::separable_consistency::<f64, _>(&L1, &setup).is_ok());
    // and the plain check on a hand-made violation: αg(w) = 2 < ⟨u, w⟩ = 3 with conj = 0
    assert!(checks::check_fenchel_young(&WrongL1, &[1.0, 1.0], &[1.5, 1.5], 1.0, 1e-12).is_err());
    assert!(checks::check_fenchel_young(&L1, &[1.0, 1.0], &[1.5, 1.5], 1.0, 1e-12).is_ok());
}

#[test]
fn firm_nonexpansiveness_rejects_an_expansive_map() {
    // "prox" that doubles its input: expansive.
    struct Doubler;
    impl Penalty<f64> for Doubler {
        fn value(&self, _: &[f64]) -> f64 {
            0.0
        }
        fn prox_in_place(&self, w: &mut [f64], _: f64) {
            w.iter_mut().for_each(|x| *x *= 2.0);
        }
        fn subdiff_distance(&self, _: &[f64], _: &[f64], _: f64, _: &mut [f64]) -> f64 {
            0.0
        }
    }
    assert!(suite::firm_nonexpansive::<f64, _>(&Doubler, &Setup::new(4).cases(32)).is_err());
}
