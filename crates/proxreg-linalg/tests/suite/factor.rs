//! Factorizations by reconstruction, for f32 and f64, plus their typed errors.

use super::support::*;
use proxreg_linalg::{
    Cholesky, ColMajor, DesignMatrix, Error, Parallelism, Scalar, SymEigen, ThinSvd,
};

macro_rules! per_scalar {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn f32() {
                super::$body::<f32>();
            }
            #[test]
            fn f64() {
                super::$body::<f64>();
            }
        }
    };
}

const DIMS: [usize; 6] = [1, 2, 5, 16, 33, 64];

/// `BᵀB + I` for a random `B`: symmetric positive definite, well conditioned enough for f32.
fn spd<T: Scalar>(d: usize, seed: u64) -> ColMajor<T> {
    let b = random_matrix::<T>(d + 3, d, seed);
    let mut a = b.gram(Parallelism::Sequential);
    for i in 0..d {
        a.col_mut(i)[i] += T::one();
    }
    a
}

fn size_tol<T: Scalar>(d: usize) -> T {
    T::lit(50.0) * T::epsilon() * T::from_count(d + 1)
}

fn cholesky<T: Scalar>() {
    for (k, &d) in DIMS.iter().enumerate() {
        let a = spd::<T>(d, k as u64);
        let chol = Cholesky::factor(&a).expect("spd");
        assert_eq!(chol.dim(), d);
        let l = chol.l();
        let llt = ColMajor::from_fn(d, d, |i, j| (0..d).map(|t| l.col(t)[i] * l.col(t)[j]).sum());
        let scale = a.as_slice().iter().fold(T::zero(), |m, v| m.max(v.abs()));
        assert!(
            max_diff(&llt, &a) <= size_tol::<T>(d) * scale,
            "A = LLᵀ, d={d}"
        );
        for j in 0..d {
            for i in 0..j {
                assert_eq!(l.col(j)[i], T::zero(), "L is lower triangular");
            }
        }
        // Solve against a known x.
        let x: Vec<T> = Rng::new(99).vec(d);
        let mut b = vec![T::zero(); d];
        a.gemv(T::one(), &x, T::zero(), &mut b);
        chol.solve_in_place(&mut b).expect("length ok");
        // Condition number of BᵀB + I is modest here; allow cond × eps × d.
        let err = b
            .iter()
            .zip(&x)
            .fold(T::zero(), |m, (u, v)| m.max((*u - *v).abs()));
        assert!(
            err <= T::lit(1e3) * size_tol::<T>(d),
            "solve error {err}, d={d}"
        );
        assert!(matches!(
            chol.solve_in_place(&mut vec![T::zero(); d + 1]),
            Err(Error::DimensionMismatch { .. })
        ));
    }
}
per_scalar!(cholesky_reconstructs_and_solves, cholesky);

fn cholesky_errors<T: Scalar>() {
    let not_pd = ColMajor::from_fn(3, 3, |i, j| if i == j { T::lit(-1.0) } else { T::zero() });
    assert!(matches!(
        Cholesky::factor(&not_pd),
        Err(Error::Numerical { .. })
    ));
    let indefinite =
        ColMajor::new(vec![T::one(), T::lit(2.0), T::lit(2.0), T::one()], 2, 2).unwrap();
    assert!(matches!(
        Cholesky::factor(&indefinite),
        Err(Error::Numerical { .. })
    ));
    let rect = ColMajor::<T>::zeros(3, 2);
    assert!(matches!(
        Cholesky::factor(&rect),
        Err(Error::DimensionMismatch { .. })
    ));
    let mut nan = spd::<T>(3, 1);
    nan.col_mut(0)[1] = T::nan();
    assert!(matches!(
        Cholesky::factor(&nan),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        Cholesky::factor(&ColMajor::<T>::zeros(0, 0)),
        Err(Error::Empty { .. })
    ));
}
per_scalar!(cholesky_typed_errors, cholesky_errors);

fn sym_eigen<T: Scalar>() {
    for (k, &d) in DIMS.iter().enumerate() {
        // A random symmetric (indefinite) matrix, given by its lower triangle only: the strict
        // upper triangle holds garbage that must be ignored.
        let r = random_matrix::<T>(d, d, 50 + k as u64);
        let sym = ColMajor::from_fn(d, d, |i, j| {
            let (a, b) = if i >= j { (i, j) } else { (j, i) };
            r.col(b)[a]
        });
        let lower_only = ColMajor::from_fn(
            d,
            d,
            |i, j| if i >= j { sym.col(j)[i] } else { T::lit(7.0) },
        );
        let e = SymEigen::new(&lower_only).expect("symmetric");
        assert_eq!(e.values().len(), d);
        assert!(e.values().windows(2).all(|w| w[0] <= w[1]), "ascending");
        let v = e.vectors();
        let rec = usvt(v, e.values(), v);
        let scale = T::from_count(d);
        assert!(
            max_diff(&rec, &sym) <= size_tol::<T>(d) * scale,
            "A = VΛVᵀ, d={d}"
        );
        assert!(
            orthonormality_error(v) <= size_tol::<T>(d),
            "VᵀV = I, d={d}"
        );
    }
    let rect = ColMajor::<T>::zeros(2, 3);
    assert!(matches!(
        SymEigen::new(&rect),
        Err(Error::DimensionMismatch { .. })
    ));
    let mut nan = spd::<T>(3, 2);
    nan.col_mut(2)[2] = T::infinity();
    assert!(matches!(SymEigen::new(&nan), Err(Error::NonFinite { .. })));
}
per_scalar!(sym_eigen_reconstructs, sym_eigen);

fn svd<T: Scalar>() {
    for &(n, p) in &[(1, 1), (4, 9), (9, 4), (40, 12), (12, 40), (30, 30)] {
        let x = random_matrix::<T>(n, p, (n * 100 + p) as u64);
        let svd = ThinSvd::new(&x).expect("finite");
        let big = size_tol::<T>(n.max(p));
        let smax = svd.s()[0];
        assert!(max_diff(&usvt(svd.u(), svd.s(), svd.v()), &x) <= big * smax);
        assert!(orthonormality_error(svd.u()) <= big && orthonormality_error(svd.v()) <= big);
        assert!(svd.s().windows(2).all(|w| w[0] >= w[1]));
    }
    // Rank deficient: two equal columns and a zero one. Factors stay orthonormal.
    let base = random_matrix::<T>(8, 3, 5);
    let x = ColMajor::from_fn(8, 5, |i, j| match j {
        0..=2 => base.col(j)[i],
        3 => base.col(0)[i],
        _ => T::zero(),
    });
    let svd = ThinSvd::new(&x).expect("finite");
    let big = size_tol::<T>(8);
    assert!(svd.s()[3] <= big * svd.s()[0] && svd.s()[4] <= big * svd.s()[0]);
    assert!(max_diff(&usvt(svd.u(), svd.s(), svd.v()), &x) <= big * svd.s()[0]);
    assert!(orthonormality_error(svd.u()) <= big && orthonormality_error(svd.v()) <= big);
    assert!(matches!(
        ThinSvd::new(&ColMajor::<T>::zeros(3, 0)),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        ThinSvd::from_parts(
            ColMajor::<T>::zeros(3, 2),
            vec![T::one()],
            ColMajor::zeros(2, 2)
        ),
        Err(Error::DimensionMismatch { .. })
    ));
}
per_scalar!(thin_svd_reconstructs, svd);
