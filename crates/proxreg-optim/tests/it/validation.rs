//! Typed, NaN-safe errors; nothing the user passed is modified on error.

use proxreg_core::{Error, Scalar};
use proxreg_optim::{Adam, AdamW, Optimizer, ParamGroup, ProxSgd, Sgd};

use crate::common::scalar_tests;

fn one_group<T: Scalar>() -> Vec<ParamGroup<T>> {
    vec![ParamGroup::new("w", &[2])]
}

fn invalid(r: Result<impl Sized, Error>, name: &str) {
    match r {
        Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
        Err(e) => panic!("expected InvalidParameter({name}), got {e}"),
        Ok(_) => panic!("expected InvalidParameter({name}), got Ok"),
    }
}

fn hyper_parameters_are_validated_nan_safe<T: Scalar>() {
    let bad_pos = [
        T::nan(),
        T::infinity(),
        T::neg_infinity(),
        T::zero(),
        -T::one(),
    ];
    for &x in &bad_pos {
        invalid(Sgd::params().lr(x).build(one_group()), "lr");
        invalid(Adam::params().lr(x).build(one_group()), "lr");
        invalid(AdamW::params().lr(x).build(one_group()), "lr");
        invalid(
            ProxSgd::params()
                .lr(x)
                .build::<proxreg_core::penalty::L1>(one_group()),
            "lr",
        );
        invalid(Adam::params().eps(x).build(one_group()), "eps");
        invalid(
            Sgd::params().build(vec![ParamGroup::new("w", &[2]).lr(x)]),
            "group lr",
        );
    }
    let bad_nonneg = [T::nan(), T::infinity(), -T::lit(1e-30), -T::one()];
    for &x in &bad_nonneg {
        invalid(
            Sgd::params().weight_decay(x).build(one_group()),
            "weight_decay",
        );
        invalid(
            Adam::params().weight_decay(x).build(one_group()),
            "weight_decay",
        );
        invalid(
            AdamW::params().weight_decay(x).build(one_group()),
            "weight_decay",
        );
        invalid(
            ProxSgd::params()
                .weight_decay(x)
                .build::<proxreg_core::penalty::L1>(one_group()),
            "weight_decay",
        );
        invalid(
            AdamW::params().build(vec![ParamGroup::new("w", &[2]).weight_decay(x)]),
            "group weight_decay",
        );
    }
    let bad_unit = [T::nan(), T::one(), T::lit(1.5), -T::lit(0.1), T::infinity()];
    for &x in &bad_unit {
        invalid(Sgd::params().momentum(x).build(one_group()), "momentum");
        invalid(
            Adam::params().betas(x, T::lit(0.9)).build(one_group()),
            "beta1",
        );
        invalid(
            AdamW::params().betas(T::lit(0.9), x).build(one_group()),
            "beta2",
        );
    }
    // the edges that are allowed
    assert!(Sgd::params()
        .momentum(T::zero())
        .weight_decay(-T::zero())
        .build(one_group())
        .is_ok());
    assert!(Adam::params()
        .betas(T::zero(), T::zero())
        .build(one_group())
        .is_ok());
    // empty layouts
    assert_eq!(
        Sgd::<T>::params().build(vec![]).unwrap_err(),
        Error::Empty {
            what: "parameter groups"
        }
    );
    assert!(matches!(
        Adam::<T>::params().build(vec![ParamGroup::new("none", &[])]),
        Err(Error::Empty { .. })
    ));
}

/// Every step error leaves parameters, state and step count as they were.
fn step_errors_modify_nothing<T: Scalar>() {
    let groups = || vec![ParamGroup::new("a", &[2]), ParamGroup::new("b", &[1])];
    let mut opt = AdamW::params().lr(T::lit(0.1)).build(groups()).unwrap();
    let (mut a, mut b) = (vec![T::one(), T::lit(2.0)], vec![T::lit(3.0)]);
    let ga = [T::lit(0.5), T::lit(-0.5)];
    let gb = [T::lit(0.25)];
    opt.step(&mut [&mut a[..], &mut b[..]], &[&ga[..], &gb[..]])
        .unwrap();
    let (a0, b0) = (a.clone(), b.clone());
    let (m0, v0) = (opt.first_moment().to_vec(), opt.second_moment().to_vec());

    let nan_b = [T::nan()];
    let e = opt
        .step(&mut [&mut a[..], &mut b[..]], &[&ga[..], &nan_b[..]])
        .unwrap_err();
    assert_eq!(
        e,
        Error::NonFinite {
            what: "gradient",
            index: 2
        }
    );
    let inf_a = [T::zero(), T::infinity()];
    let e = opt
        .step(&mut [&mut a[..], &mut b[..]], &[&inf_a[..], &gb[..]])
        .unwrap_err();
    assert_eq!(
        e,
        Error::NonFinite {
            what: "gradient",
            index: 1
        }
    );
    let e = opt
        .step(&mut [&mut a[..]], &[&ga[..], &gb[..]])
        .unwrap_err();
    assert!(matches!(
        e,
        Error::DimensionMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));
    let e = opt
        .step(&mut [&mut a[..], &mut b[..]], &[&ga[..]])
        .unwrap_err();
    assert!(matches!(
        e,
        Error::DimensionMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));
    let e = opt
        .step(&mut [&mut a[..], &mut b[..]], &[&ga[..1], &gb[..]])
        .unwrap_err();
    assert!(matches!(
        e,
        Error::DimensionMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));
    let e = opt
        .step(&mut [&mut a[..1], &mut b[..]], &[&ga[..], &gb[..]])
        .unwrap_err();
    assert!(matches!(
        e,
        Error::DimensionMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));
    assert_eq!((&a, &b), (&a0, &b0));
    assert_eq!(opt.steps_taken(), 1);
    assert_eq!(
        (opt.first_moment(), opt.second_moment()),
        (&m0[..], &v0[..])
    );

    // non-finite parameters are reported too (index is flat over tensors)
    let mut bad = [T::nan()];
    let e = opt
        .step(&mut [&mut a[..], &mut bad[..]], &[&ga[..], &gb[..]])
        .unwrap_err();
    assert_eq!(
        e,
        Error::NonFinite {
            what: "parameters",
            index: 2
        }
    );

    // a schedule returning NaN or a negative multiplier: typed error, nothing modified
    for m in [T::nan(), -T::one(), T::infinity()] {
        let mut sgd = Sgd::params()
            .lr(T::lit(0.1))
            .build(groups())
            .unwrap()
            .with_schedule(move |_k: usize| m);
        let e = sgd
            .step(&mut [&mut a[..], &mut b[..]], &[&ga[..], &gb[..]])
            .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidParameter {
                name: "lr schedule multiplier",
                ..
            }
        ));
        assert!(sgd.current_lr(0).is_err());
        assert_eq!(sgd.steps_taken(), 0);
    }
    assert_eq!((&a, &b), (&a0, &b0));
}

scalar_tests!(
    hyper_parameters_are_validated_nan_safe,
    step_errors_modify_nothing
);
