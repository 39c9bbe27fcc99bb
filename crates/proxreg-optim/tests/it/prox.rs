//! Proximal SGD: exact zeros with L1, the Lasso KKT certificate, and a user's own (group)
//! penalty next to L1 in another group.

use proxreg_core::penalty::{block_soft_threshold, norm2, Penalty, L1};
use proxreg_core::Scalar;
use proxreg_optim::{Optimizer, ParamGroup, ProxSgd};

use crate::common::{scalar_tests, LeastSquares};

/// Full-batch proximal SGD (ISTA) with L1 on a least-squares problem, step `1/L`, reaches exact
/// zeros, and its limit is the Lasso solution: the KKT violation
/// `max_j dist(−∇f(w)_j, α·∂|w_j|)` (proxreg-core's `subdiff_distance`) is below tolerance.
/// Objective: `(1/(2n))‖y − Xw‖² + α‖w‖₁`, the Lasso's.
fn prox_sgd_l1_reaches_exact_zeros_and_lasso_kkt<T: Scalar>() {
    let (n, p) = (50, 8);
    let w_true = [2.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.5, 0.0];
    let (ls, _, _) = LeastSquares::<T>::gaussian(n, p, &w_true, 0.3, 5);
    let mut g0 = vec![T::zero(); p];
    ls.grad(&vec![T::zero(); p], &mut g0);
    let alpha_max = L1.alpha_max(&g0).unwrap();
    let alpha = T::lit(0.2) * alpha_max;
    let lr = T::one() / ls.lipschitz_bound();
    let mut opt = ProxSgd::params()
        .lr(lr)
        .build(vec![ParamGroup::new("w", &[p])])
        .unwrap()
        .with_penalty(0, Box::new(L1), alpha)
        .unwrap();
    // start away from zero: the zeros are reached, not inherited
    let mut w = vec![T::one(); p];
    let mut g = vec![T::zero(); p];
    let mut first_exact_zeros = None;
    for k in 0..1500 {
        ls.grad(&w, &mut g);
        opt.step(&mut [&mut w[..]], &[&g[..]]).unwrap();
        if first_exact_zeros.is_none() && w.iter().filter(|&&v| v == T::zero()).count() >= 5 {
            first_exact_zeros = Some(k + 1);
        }
    }
    ls.grad(&w, &mut g);
    let mut dist = vec![T::zero(); p];
    let kkt = L1.subdiff_distance(&w, &g, alpha, &mut dist);
    let zeros: Vec<usize> = (0..p).filter(|&j| w[j] == T::zero()).collect();
    let obj = ls.loss(&w) + alpha * L1.value(&w);
    println!(
        "{}: ProxSgd+L1 α = 0.2·α_max: w = {w:?}, exact zeros at {zeros:?} (all 5 from step {first_exact_zeros:?}), KKT = {:.3e}, objective = {obj}",
        std::any::type_name::<T>(),
        kkt.as_f64()
    );
    // the five irrelevant coordinates end exactly at 0.0 (not merely small), the others not
    assert_eq!(zeros, vec![1, 2, 4, 5, 7], "w = {w:?}");
    assert!(first_exact_zeros.is_some_and(|k| k < 1500));
    let tol = T::lit(100.0) * T::epsilon() * alpha_max;
    assert!(kkt <= tol, "KKT violation {kkt} > {tol}");
    // penalty bookkeeping
    let pv = opt.penalty_values(&[&w[..]]).unwrap();
    assert_eq!(pv, vec![alpha * L1.value(&w)]);
}

/// Weight decay inside `ProxSgd` is the smooth ridge part: with decay `λ` and L1 strength `a`
/// the limit is the Elastic Net solution. In scikit-learn's convention
/// `(1/(2n))‖y − Xw‖² + α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖²`, that is `a = αρ` and `λ = α(1 − ρ)`;
/// certificate: `dist(−(∇loss + λw), a·∂‖w‖₁) ≤ tol`.
fn prox_sgd_with_decay_is_elastic_net<T: Scalar>() {
    let (n, p) = (50, 8);
    let w_true = [2.0, 0.0, 0.0, -1.5, 0.0, 0.0, 0.5, 0.0];
    let (ls, _, _) = LeastSquares::<T>::gaussian(n, p, &w_true, 0.3, 5);
    let (alpha, rho) = (T::lit(0.2), T::lit(0.7));
    let (a, lam) = (alpha * rho, alpha * (T::one() - rho));
    let mut opt = ProxSgd::params()
        .lr(T::one() / (ls.lipschitz_bound() + lam))
        .weight_decay(lam)
        .build(vec![ParamGroup::new("w", &[p])])
        .unwrap()
        .with_penalty(0, Box::new(L1), a)
        .unwrap();
    let mut w = vec![T::one(); p];
    let mut g = vec![T::zero(); p];
    for _ in 0..1000 {
        ls.grad(&w, &mut g);
        opt.step(&mut [&mut w[..]], &[&g[..]]).unwrap();
    }
    ls.grad(&w, &mut g);
    g.iter_mut().zip(&w).for_each(|(gj, &wj)| *gj += lam * wj);
    let mut dist = vec![T::zero(); p];
    let kkt = L1.subdiff_distance(&w, &g, a, &mut dist);
    assert!(
        kkt <= T::lit(100.0) * T::epsilon(),
        "Elastic Net KKT violation {kkt}"
    );
    assert!(
        w.iter().filter(|&&v| v == T::zero()).count() >= 4,
        "w = {w:?}"
    );
}

/// A user's penalty, written outside proxreg: the group lasso `h(w) = ‖w‖₂` on a whole tensor.
struct WholeTensorL2;

impl<T: Scalar> Penalty<T> for WholeTensorL2 {
    fn value(&self, w: &[T]) -> T {
        norm2(w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        block_soft_threshold(w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        let nw = norm2(w);
        let d = if nw == T::zero() {
            (norm2(grad) - alpha).max(T::zero())
        } else {
            let r: Vec<T> = grad
                .iter()
                .zip(w)
                .map(|(&g, &x)| g + alpha * x / nw)
                .collect();
            norm2(&r)
        };
        dist.iter_mut().for_each(|x| *x = d);
        d
    }
}

/// Heterogeneous groups through `dyn Penalty`: a user's group-lasso penalty on a tensor of
/// irrelevant features drives the **whole tensor** to exactly zero, L1 on the relevant tensor,
/// and an unpenalised bias group; each group's KKT certificate holds.
fn heterogeneous_penalties_group_lasso_zeroes_a_tensor<T: Scalar>() {
    let (n, p) = (60, 6);
    // columns 0..3 relevant, 3..6 irrelevant (all-zero true weights)
    let w_true = [1.0, -2.0, 0.5, 0.0, 0.0, 0.0];
    let (ls, _, _) = LeastSquares::<T>::gaussian(n, p, &w_true, 0.2, 9);
    let lr = T::one() / ls.lipschitz_bound();
    let (a1, a2) = (T::lit(0.05), T::lit(0.3));
    let mut opt: ProxSgd<T> = ProxSgd::params()
        .lr(lr)
        .build(vec![
            ParamGroup::new("relevant", &[3]),
            ParamGroup::new("irrelevant", &[3]),
        ])
        .unwrap();
    opt.set_penalty(0, Box::new(L1), a1).unwrap();
    opt.set_penalty(1, Box::new(WholeTensorL2), a2).unwrap();
    let mut params = vec![vec![T::zero(); 3], vec![T::lit(0.5); 3]];
    let mut w = vec![T::zero(); p];
    let mut g = vec![T::zero(); p];
    let mut grads = vec![vec![T::zero(); 3]; 2];
    for _ in 0..1500 {
        w[..3].copy_from_slice(&params[0]);
        w[3..].copy_from_slice(&params[1]);
        ls.grad(&w, &mut g);
        grads[0].copy_from_slice(&g[..3]);
        grads[1].copy_from_slice(&g[3..]);
        opt.step(&mut params, &grads).unwrap();
    }
    assert_eq!(
        params[1],
        vec![T::zero(); 3],
        "group lasso did not zero the tensor"
    );
    assert!(params[0].iter().all(|&v| v != T::zero()));
    w[..3].copy_from_slice(&params[0]);
    w[3..].copy_from_slice(&params[1]);
    ls.grad(&w, &mut g);
    let mut dist = vec![T::zero(); 3];
    let k1 = L1.subdiff_distance(&params[0], &g[..3], a1, &mut dist);
    let k2 = WholeTensorL2.subdiff_distance(&params[1], &g[3..], a2, &mut dist);
    let tol = T::lit(1e3) * T::epsilon();
    assert!(k1 <= tol && k2 <= tol, "KKT: L1 {k1}, group {k2}");
    let pv = opt.penalty_values(&params).unwrap();
    assert_eq!(pv[1], T::zero());
    assert_eq!(pv[0], a1 * L1.value(&params[0]));
    // clearing a penalty turns the group into plain SGD
    opt.clear_penalty(1).unwrap();
    assert_eq!(opt.penalty_values(&params).unwrap()[1], T::zero());
    assert!(opt.set_penalty(2, Box::new(L1), a1).is_err());
    assert!(opt.set_penalty(0, Box::new(L1), T::nan()).is_err());
}

scalar_tests!(
    prox_sgd_l1_reaches_exact_zeros_and_lasso_kkt,
    prox_sgd_with_decay_is_elastic_net,
    heterogeneous_penalties_group_lasso_zeroes_a_tensor,
);
