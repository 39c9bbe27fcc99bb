//! Parameter groups: a group with decay 0 is untouched by the decay term; per-group norms.

use proxreg_core::Scalar;
use proxreg_optim::{Adam, AdamW, Optimizer, ParamGroup, ProxSgd, Sgd};

use crate::common::{quadratic_grads, scalar_tests};

const H: [f64; 3] = [3.0, 0.5, 1.0];
const C: [f64; 3] = [1.0, -1.0, 2.0];

/// Runs `opt` for 40 steps on the quadratic loss from a fixed start; tensors: group "decayed"
/// owns tensors 0 and 1, group "free" owns tensor 2.
fn run<T: Scalar, O: Optimizer<T>>(opt: &mut O, zero_grad: bool) -> Vec<Vec<T>> {
    let mut params: Vec<Vec<T>> = vec![
        vec![T::lit(0.5), T::lit(-0.25), T::lit(2.0)],
        vec![T::lit(1.5), T::lit(0.75)],
        vec![T::lit(-1.0), T::lit(3.0), T::lit(0.125)],
    ];
    let mut grads: Vec<Vec<T>> = params.iter().map(|p| vec![T::zero(); p.len()]).collect();
    for _ in 0..40 {
        if !zero_grad {
            quadratic_grads(&params, &H, &C, &mut grads);
        }
        opt.step(&mut params, &grads).unwrap();
    }
    params
}

fn groups<T: Scalar>(wd: f64) -> Vec<ParamGroup<T>> {
    vec![
        ParamGroup::new("decayed", &[3, 2]).weight_decay(T::lit(wd)),
        ParamGroup::new("free", &[3]).weight_decay(T::zero()),
    ]
}

/// Each optimizer twice: decay `0.2` on group "decayed", and decay `0` everywhere. The "free"
/// group (decay 0) follows the same trajectory bit for bit in both runs; the decayed group
/// does not. With zero gradients, "free" never moves, and for SGD and AdamW the decayed
/// group is exactly `w₀(1 − ηλ)^k`.
fn decay_zero_group_is_untouched<T: Scalar>() {
    let lr = T::lit(0.05);
    macro_rules! check {
        ($mk:expr, $exact_shrink:expr) => {{
            let with = run::<T, _>(&mut $mk(0.2), false);
            let without = run::<T, _>(&mut $mk(0.0), false);
            assert_eq!(with[2], without[2], "the decay-0 group was touched");
            assert_ne!(with[0], without[0]);
            assert_ne!(with[1], without[1]);
            let still = run::<T, _>(&mut $mk(0.2), true);
            assert_eq!(still[2], vec![T::lit(-1.0), T::lit(3.0), T::lit(0.125)]);
            if $exact_shrink {
                let s = T::one() - lr * T::lit(0.2);
                let mut f = T::one();
                for _ in 0..40 {
                    f *= s;
                }
                // repeated multiplication vs power: equal up to rounding of the factor chain
                let w0 = [T::lit(0.5), T::lit(-0.25), T::lit(2.0)];
                for j in 0..3 {
                    let tol = T::lit(64.0) * T::epsilon() * w0[j].abs();
                    assert!((still[0][j] - w0[j] * f).abs() <= tol);
                }
            } else {
                assert_ne!(still[0][0], T::lit(0.5));
            }
        }};
    }
    check!(
        |wd: f64| Sgd::params()
            .lr(lr)
            .momentum(T::lit(0.9))
            .weight_decay(T::lit(wd))
            .build(groups(wd))
            .unwrap(),
        false
    );
    check!(
        |wd: f64| Sgd::params()
            .lr(lr)
            .weight_decay(T::lit(wd))
            .build(groups(wd))
            .unwrap(),
        true
    );
    check!(
        |wd: f64| Adam::params().lr(lr).build(groups(wd)).unwrap(),
        false
    );
    check!(
        |wd: f64| AdamW::params().lr(lr).build(groups(wd)).unwrap(),
        true
    );
    check!(
        |wd: f64| ProxSgd::params()
            .lr(lr)
            .build::<proxreg_core::penalty::L1>(groups(wd))
            .unwrap(),
        true
    );
}

/// Group norms: `‖W‖_F` over all the group's tensors (overflow-safe), `½‖W‖²_F`, and
/// `λ·½‖W‖²_F`; the resolved groups expose their settings.
fn group_norms_for_logging<T: Scalar>() {
    let opt = Sgd::params()
        .lr(T::lit(0.1))
        .weight_decay(T::lit(0.01))
        .build(vec![
            ParamGroup::new("weights", &[2, 1]),
            ParamGroup::new("bias", &[1])
                .weight_decay(T::zero())
                .lr(T::lit(0.5)),
        ])
        .unwrap();
    let params = vec![
        vec![T::lit(3.0), T::lit(4.0)],
        vec![T::lit(12.0)],
        vec![T::lit(-2.0)],
    ];
    let norms = opt.groups().norms(&params).unwrap();
    assert_eq!(norms.len(), 2);
    assert_eq!(norms[0].frobenius, T::lit(13.0));
    assert_eq!(norms[0].squared_frobenius, T::lit(84.5));
    assert_eq!(norms[0].decay_term, T::lit(0.01) * T::lit(84.5));
    assert_eq!(norms[1].frobenius, T::lit(2.0));
    assert_eq!(norms[1].decay_term, T::zero());
    assert_eq!(opt.groups().norm(1, &params).unwrap(), norms[1]);
    assert!(opt.groups().norm(2, &params).is_err());
    assert!(opt.groups().norms(&params[..2]).is_err());
    // no overflow for huge entries
    let big = T::max_value() / T::lit(4.0);
    let huge = vec![vec![big, big], vec![T::zero()], vec![T::zero()]];
    let n = opt.groups().norms(&huge).unwrap();
    assert!(n[0].frobenius.is_finite());
    assert!((n[0].frobenius / big - T::lit(2.0).sqrt()).abs() <= T::lit(4.0) * T::epsilon());

    let g = opt.groups();
    assert_eq!(
        (g.group_count(), g.tensor_count(), g.total_len()),
        (2, 3, 4)
    );
    let infos: Vec<_> = g.iter().collect();
    assert_eq!(infos[0].name, "weights");
    assert_eq!(infos[0].lr, T::lit(0.1));
    assert_eq!(infos[0].weight_decay, T::lit(0.01));
    assert_eq!(infos[0].tensors, 0..2);
    assert_eq!(infos[1].name, "bias");
    assert_eq!(infos[1].lr, T::lit(0.5));
    assert_eq!(infos[1].weight_decay, T::zero());
    assert_eq!(infos[1].tensors, 2..3);
    assert!(g.get(2).is_none());
}

scalar_tests!(decay_zero_group_is_untouched, group_norms_for_logging);
