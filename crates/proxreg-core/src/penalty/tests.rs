//! Unit tests of the built-in penalties: constructor errors, edge inputs (empty, NaN, lengths),
//! and closed forms checked by hand-derivable identities. The property tests of every penalty
//! live in `proxreg-testing/tests` (the conformance kit).

use super::*;
use crate::Error;

fn invalid(err: Error) -> &'static str {
    match err {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

macro_rules! per_scalar {
    ($($t:ident),+) => {$(
        mod $t {
            use super::*;
            type T = $t;

            #[test]
            fn elastic_net_rejects_out_of_range_and_nan() {
                assert_eq!(invalid(ElasticNet::<T>::new(1.5).unwrap_err()), "l1_ratio");
                assert_eq!(invalid(ElasticNet::<T>::new(-0.1).unwrap_err()), "l1_ratio");
                assert_eq!(invalid(ElasticNet::<T>::new(T::NAN).unwrap_err()), "l1_ratio");
                assert_eq!(invalid(ElasticNet::<T>::new(T::INFINITY).unwrap_err()), "l1_ratio");
                assert_eq!(ElasticNet::<T>::new(0.0).unwrap().l1_ratio(), 0.0);
                assert_eq!(ElasticNet::<T>::new(1.0).unwrap().l1_ratio(), 1.0);
            }

            #[test]
            fn weighted_rejects_bad_factors() {
                assert_eq!(invalid(Weighted::new(L1, vec![1.0 as T, -0.5]).unwrap_err()), "factors");
                assert_eq!(
                    Weighted::new(L1, vec![1.0 as T, T::NAN]).unwrap_err(),
                    Error::NonFinite { what: "factors", index: 1 }
                );
                assert_eq!(
                    Weighted::new(L1, vec![T::INFINITY]).unwrap_err(),
                    Error::NonFinite { what: "factors", index: 0 }
                );
                assert_eq!(
                    Weighted::<L1, T>::new(L1, vec![]).unwrap_err(),
                    Error::Empty { what: "factors" }
                );
                let l21 = L21::new(2, 2).unwrap();
                assert_eq!(invalid(WeightedBlocks::new(l21, vec![-1.0 as T, 1.0]).unwrap_err()), "factors");
                assert!(WeightedBlocks::new(l21, vec![0.0 as T, 1.0]).is_ok());
            }

            #[test]
            fn bounded_rejects_bad_boxes() {
                assert_eq!(invalid(Bounded::new(L1, 1.0 as T, -1.0).unwrap_err()), "lower");
                assert_eq!(invalid(Bounded::new(L1, T::NAN, 1.0).unwrap_err()), "lower");
                assert_eq!(invalid(Bounded::new(L1, -1.0, T::NAN).unwrap_err()), "upper");
                assert_eq!(invalid(Bounded::new(L1, 0.5 as T, 1.0).unwrap_err()), "lower");
                assert_eq!(invalid(Bounded::new(L1, -1.0 as T, -0.5).unwrap_err()), "upper");
                assert!(Bounded::new(L1, T::NEG_INFINITY, T::INFINITY).is_ok());
                assert!(Bounded::new(L1, 0.0 as T, 0.0).is_ok());
                let nn = Bounded::<L1, T>::nonnegative(L1);
                assert_eq!((nn.lower(), nn.upper()), (0.0, T::INFINITY));
            }

            #[test]
            fn empty_slices_are_fine() {
                let mut e: [T; 0] = [];
                let pens: [&dyn Penalty<T>; 5] = [&L1, &L2, &SquaredL2,
                    &Bounded::nonnegative(L1), &ElasticNet::new(0.5).unwrap()];
                for p in pens {
                    p.prox_in_place(&mut e, 1.0);
                    assert_eq!(p.subdiff_distance(&[], &[], 1.0, &mut []), 0.0);
                    assert_eq!(p.alpha_max(&[]).unwrap_or(0.0), 0.0);
                }
                assert_eq!(Penalty::<T>::value(&L2, &[]), 0.0);
                assert_eq!(L21::new(2, 3).unwrap().dual_norm(&[] as &[T]), 0.0);
            }

            #[test]
            fn nan_propagates_through_prox_and_value() {
                let pens: Vec<Box<dyn Penalty<T>>> = vec![
                    Box::new(L1), Box::new(L2), Box::new(SquaredL2),
                    Box::new(ElasticNet::new(0.3).unwrap()), Box::new(Frobenius::new(1, 3).unwrap()),
                    Box::new(SquaredFrobenius::new(3, 1).unwrap()), Box::new(L21::new(1, 3).unwrap()),
                    Box::new(Weighted::new(L1, vec![1.0, 0.0, 2.0]).unwrap()),
                    Box::new(Bounded::new(ElasticNet::new(0.5).unwrap(), -1.0, 1.0).unwrap()),
                ];
                for p in &pens {
                    let mut w = [T::NAN, 2.0, -3.0];
                    p.prox_in_place(&mut w, 0.5);
                    assert!(w[0].is_nan(), "{w:?}");
                    assert!(p.value(&[T::NAN, 1.0, 1.0]).is_nan());
                    let mut d = [0.0; 3];
                    assert!(p.subdiff_distance(&[0.0, 1.0, 0.0], &[T::NAN, 0.0, 0.0], 1.0, &mut d).is_nan());
                }
                assert!(soft_threshold(T::NAN, 1.0).is_nan());
                assert!(soft_threshold(1.0, T::NAN).is_nan());
            }

            #[test]
            fn input_of_value_and_distance_is_untouched_and_prox_is_idempotent_at_zero() {
                let w: [T; 4] = [1.0, -2.0, 0.0, 3.0];
                let before = w;
                let l21 = L21::new(2, 2).unwrap();
                let _ = l21.value(&w);
                let mut d = [0.0; 4];
                let _ = l21.subdiff_distance(&w, &w, 1.0, &mut d);
                assert_eq!(w, before);
                let mut z = [0.0 as T; 4];
                l21.prox_in_place(&mut z, 3.0);
                assert_eq!(z, [0.0; 4]);
            }

            #[test]
            fn l21_rows_are_contiguous_blocks() {
                let l21 = L21::new(3, 2).unwrap();
                assert_eq!((l21.n_features(), l21.n_tasks(), BlockSeparablePenalty::<T>::block_size(&l21)), (3, 2, 2));
                // rows (3,4), (0,0), (0,1): value 5 + 0 + 1
                let w: [T; 6] = [3.0, 4.0, 0.0, 0.0, 0.0, 1.0];
                assert_eq!(l21.value(&w), 6.0);
                assert_eq!(l21.alpha_max(&w), Some(5.0));
                // distance at w = 0 with grad = w and alpha = 2: rows give 3, 0, 0 (each coordinate)
                let mut d = [0.0; 6];
                let worst = l21.subdiff_distance(&[0.0; 6], &w, 2.0, &mut d);
                assert_eq!(worst, 3.0);
                assert_eq!(d, [3.0, 3.0, 0.0, 0.0, 0.0, 0.0]);
                assert_eq!(invalid(L21::new(0, 2).unwrap_err()), "n_features");
                assert_eq!(invalid(L21::new(2, 0).unwrap_err()), "n_tasks");
                assert_eq!(invalid(L21::new(usize::MAX, 2).unwrap_err()), "n_tasks");
            }

            #[test]
            fn frobenius_shapes() {
                assert_eq!(invalid(Frobenius::new(0, 2).unwrap_err()), "rows");
                assert_eq!(invalid(Frobenius::new(2, 0).unwrap_err()), "cols");
                assert_eq!(invalid(SquaredFrobenius::new(0, 2).unwrap_err()), "rows");
                assert_eq!(invalid(SquaredFrobenius::new(3, 0).unwrap_err()), "cols");
                let f = Frobenius::new(2, 3).unwrap();
                assert_eq!((f.rows(), f.cols()), (2, 3));
                let s = SquaredFrobenius::new(2, 3).unwrap();
                assert_eq!((s.rows(), s.cols()), (2, 3));
            }

            #[cfg(not(debug_assertions))]
            #[test]
            fn mismatched_lengths_do_not_panic_in_release() {
                let f = Frobenius::new(2, 2).unwrap();
                let l21 = L21::new(2, 2).unwrap();
                let w = Weighted::new(L1, vec![1.0 as T, 2.0]).unwrap();
                let mut v: [T; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
                f.prox_in_place(&mut v, 0.1);
                l21.prox_in_place(&mut v, 0.1);
                w.prox_in_place(&mut v, 0.1);
                let mut d = [0.0; 3];
                let _ = l21.subdiff_distance(&v, &v[..4], 1.0, &mut d);
                let _ = f.subdiff_distance(&v, &v[..2], 1.0, &mut d);
                let _ = l21.value(&v) + l21.dual_norm(&v) + w.value(&v);
            }

            #[test]
            fn alpha_max_of_composed_penalties() {
                let en = ElasticNet::<T>::new(0.25).unwrap();
                assert_eq!(en.alpha_max(&[1.0, -2.0]), Some(8.0));
                assert_eq!(ElasticNet::<T>::new(0.0).unwrap().alpha_max(&[1.0]), None);
                assert_eq!(Penalty::<T>::alpha_max(&SquaredL2, &[1.0]), None);
                // weighted: max over penalised of |g_j|/c_j; unpenalised entries ignored
                let w = Weighted::new(L1, vec![0.5 as T, 0.0, 4.0]).unwrap();
                assert_eq!(w.alpha_max(&[1.0, 100.0, 4.0]), Some(2.0));
                assert!(!w.is_penalized(1) && w.is_penalized(0) && w.is_penalized(7));
                // non-negative: only negative gradients count
                let nn = Bounded::nonnegative(L1);
                assert_eq!(nn.alpha_max(&[5.0 as T, -2.0]), Some(2.0));
                assert_eq!(nn.alpha_max(&[5.0 as T, 1.0]), Some(0.0));
                let np = Bounded::new(L1, T::NEG_INFINITY, 0.0).unwrap();
                assert_eq!(np.alpha_max(&[5.0 as T, -2.0]), Some(5.0));
                let wb = WeightedBlocks::new(L21::new(2, 2).unwrap(), vec![2.0 as T, 0.0]).unwrap();
                assert_eq!(wb.alpha_max(&[3.0, 4.0, 100.0, 0.0]), Some(2.5));
            }

            #[test]
            fn bounded_prox_clips_and_distance_uses_the_normal_cone() {
                let b = Bounded::new(L1, -1.0 as T, 2.0).unwrap();
                assert_eq!(b.prox_1d(10.0, 1.0, 0), 2.0);
                assert_eq!(b.prox_1d(-10.0, 1.0, 0), -1.0);
                assert_eq!(b.prox_1d(0.5, 1.0, 0), 0.0);
                // at the upper bound, -grad = 5 points outward: covered by the cone
                assert_eq!(b.subdiff_distance_1d(2.0, -5.0, 1.0, 0), 0.0);
                // at the upper bound, -grad = -3 points inward: distance to [1, inf) is 4
                assert_eq!(b.subdiff_distance_1d(2.0, 3.0, 1.0, 0), 4.0);
                // at the lower bound -1: ∂ = {-1} + (-inf, 0]; -grad = 0.5 is at distance 1.5
                assert_eq!(b.subdiff_distance_1d(-1.0, -0.5, 1.0, 0), 1.5);
                assert_eq!(b.subdiff_distance_1d(-1.0, 7.0, 1.0, 0), 0.0);
                // outside the box: infeasible
                assert_eq!(b.subdiff_distance_1d(3.0, 0.0, 1.0, 0), T::INFINITY);
                assert_eq!(b.value(&[3.0]), T::INFINITY);
                assert_eq!(b.value(&[-1.0, 2.0]), 3.0);
                // a zero box: the cone is the whole line
                let z = Bounded::new(L1, 0.0 as T, 0.0).unwrap();
                assert_eq!(z.subdiff_distance_1d(0.0, 123.0, 1.0, 0), 0.0);
                assert_eq!(z.prox_1d(5.0, 0.1, 0), 0.0);
            }

            #[test]
            fn conjugates_closed_forms() {
                let a: T = 2.0;
                let u: [T; 2] = [3.0, -1.0];
                // ridge: ‖u‖²/(2α)
                assert_eq!(SquaredL2.conjugate(&u, a), Some(2.5));
                assert_eq!(SquaredL2.conjugate(&u, 0.0), Some(T::INFINITY));
                assert_eq!(SquaredL2.conjugate(&[0.0 as T, 0.0], 0.0), Some(0.0));
                // elastic net ρ = 0.5: Σ max(|u|−αρ, 0)² / (2α(1−ρ)) = (2² + 0) / 2
                let en = ElasticNet::new(0.5 as T).unwrap();
                assert_eq!(en.conjugate(&u, a), Some(2.0));
                assert_eq!(en.dual_feasible_scale(&u, a), 1.0);
                let lasso = ElasticNet::new(1.0 as T).unwrap();
                assert_eq!(lasso.conjugate(&u, a), Some(T::INFINITY));
                assert_eq!(lasso.dual_feasible_scale(&u, a), 2.0 / 3.0);
                // non-negative lasso: only positive u_j above α are infeasible
                let nn = Bounded::nonnegative(L1);
                assert_eq!(nn.conjugate(&[-30.0 as T, 1.0], a), Some(0.0));
                assert_eq!(nn.conjugate(&u, a), Some(T::INFINITY));
                assert_eq!(nn.dual_feasible_scale(&[-30.0 as T, 4.0], a), 0.5);
                // box [-1, 2] on L1: sup over the box of u z − α|z| = (3 − 2)·2
                let bx = Bounded::new(L1, -1.0 as T, 2.0).unwrap();
                assert_eq!(bx.conjugate(&u, a), Some(2.0));
                assert_eq!(bx.dual_feasible_scale(&u, a), 1.0);
                // weighted: factors scale the radius
                let w = Weighted::new(L1, vec![2.0 as T, 0.5]).unwrap();
                assert_eq!(w.conjugate(&[1.9 as T, -0.4], 1.0), Some(0.0));
                assert_eq!(w.dual_feasible_scale(&[8.0 as T, -0.25], 1.0), 0.25);
                assert_eq!(w.conjugate(&[0.0 as T, -1.5], 1.0), Some(T::INFINITY));
                // L2 / Frobenius / L21: indicators of their dual balls
                assert_eq!(L2.conjugate(&[3.0 as T, 4.0], 5.0), Some(0.0));
                assert_eq!(L2.dual_feasible_scale(&[3.0 as T, 4.0], 2.5), 0.5);
                let l21 = L21::new(2, 2).unwrap();
                assert_eq!(l21.conjugate(&[3.0 as T, 4.0, 1.0, 0.0], 4.0), Some(T::INFINITY));
                assert_eq!(l21.dual_feasible_scale(&[3.0 as T, 4.0, 1.0, 0.0], 4.0), 0.8);
            }

            #[test]
            fn value_of_each_penalty() {
                let w: [T; 4] = [3.0, -4.0, 0.0, 0.0];
                assert_eq!(L1.value(&w), 7.0);
                assert_eq!(L2.value(&w), 5.0);
                assert_eq!(SquaredL2.value(&w), 12.5);
                assert_eq!(Frobenius::new(2, 2).unwrap().value(&w), 5.0);
                assert_eq!(SquaredFrobenius::new(2, 2).unwrap().value(&w), 12.5);
                assert_eq!(L21::new(2, 2).unwrap().value(&w), 5.0);
                assert_eq!(L21::new(4, 1).unwrap().value(&w), 7.0);
                assert_eq!(ElasticNet::new(0.5 as T).unwrap().value(&w), 3.5 + 6.25);
                assert_eq!(Weighted::new(L1, vec![1.0 as T, 0.5, 1.0, 1.0]).unwrap().value(&w), 5.0);
                assert_eq!(Bounded::nonnegative(L1).value(&w), T::INFINITY);
                let wb = WeightedBlocks::new(L21::new(2, 2).unwrap(), vec![3.0 as T, 1.0]).unwrap();
                assert_eq!(wb.value(&w), 15.0);
            }

            #[test]
            fn zero_factor_keeps_a_box_constraint() {
                let p = Weighted::new(Bounded::nonnegative(L1), vec![0.0 as T]).unwrap();
                assert_eq!(p.value(&[-1.0]), T::INFINITY);
                assert_eq!(p.value(&[1.0]), 0.0);
                assert_eq!(p.prox_1d(-1.0, 1.0, 0), 0.0);
            }

            #[test]
            fn dyn_compatible() {
                let pens: Vec<Box<dyn Penalty<T>>> = vec![Box::new(L1), Box::new(L2)];
                assert_eq!(pens.len(), 2);
                let _: &dyn SeparablePenalty<T> = &Weighted::new(L1, vec![1.0 as T]).unwrap();
                let _: &dyn BlockSeparablePenalty<T> = &L21::new(1, 1).unwrap();
                let _: &dyn Norm<T> = &Frobenius::new(1, 1).unwrap();
            }
        }
    )+};
}

per_scalar!(f32, f64);
