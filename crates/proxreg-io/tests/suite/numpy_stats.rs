//! Statistics written by numpy (`scripts/write_stats.py --demo-fixture`, committed under
//! `tests/fixtures/stats_numpy` with the rows they came from) load into the statistics proxreg
//! computes from the same rows, and fit to the same model.
#![allow(missing_docs, clippy::unwrap_used)]

use std::path::PathBuf;

use proxreg_core::penalty::L1;
use proxreg_io::{npy, stats};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{alpha_max, CoordinateDescent, Problem, Solver, SufficientStats};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stats_numpy")
}

fn rel(a: &[f64], b: &[f64]) -> f64 {
    let s = b.iter().fold(0.0_f64, |m, v| m.max(v.abs())).max(1e-300);
    a.iter()
        .zip(b)
        .fold(0.0, |m, (u, v)| m.max((u - v).abs() / s))
}

#[test]
fn numpy_statistics_equal_proxreg_statistics_and_fit() {
    let dir = fixture();
    let file: stats::StatsFile<f64> = stats::read(&dir).unwrap();
    assert_eq!(file.blocks.len(), 2);
    assert_eq!(file.target_name.as_deref(), Some("y"));
    let xa = npy::read(&dir.join("X.npy")).unwrap();
    let x = ColMajor::new(xa.data.clone(), xa.nrows(), xa.ncols()).unwrap();
    let y = npy::read(&dir.join("y.npy")).unwrap().data;
    let w = npy::read(&dir.join("w.npy")).unwrap().data;
    let folds: Vec<usize> = npy::read(&dir.join("folds.npy"))
        .unwrap()
        .data
        .iter()
        .map(|&f| f as usize)
        .collect();
    let ours = SufficientStats::by_fold(&x, &y, Some(&w), &folds, 2).unwrap();
    for (a, b) in file.blocks.iter().zip(&ours) {
        assert_eq!(a.n_samples(), b.n_samples());
        assert!(rel(a.x_mean(), b.x_mean()) < 1e-14);
        assert!(rel(a.xx().as_slice(), b.xx().as_slice()) < 1e-12);
        assert!(rel(a.xy(), b.xy()) < 1e-12);
        assert!((a.yy() - b.yy()).abs() < 1e-12 * b.yy());
        assert!((a.y_mean() - b.y_mean()).abs() < 1e-14 * b.y_mean().abs());
    }
    // a weighted Lasso with intercept from the numpy statistics = the in-memory fit
    let prep = file.merged().unwrap().prepare(true, false).unwrap();
    let a = 0.05 * alpha_max(&prep, &L1).unwrap();
    let cd = CoordinateDescent::new().tol(1e-14);
    let s1 = cd.solve_prepared(&prep, &L1, a, None, &mut ()).unwrap();
    let pb = Problem::new(&x, &y, &L1, a)
        .fit_intercept(true)
        .sample_weight(Some(&w));
    let s2 = cd.solve(&pb, None, &mut ()).unwrap();
    assert!(s1.converged() && s2.converged());
    let d = rel(&s1.coef, &s2.coef);
    assert!(d < 1e-10, "{d:e}");
    assert!((s1.intercept[0] - s2.intercept[0]).abs() < 1e-10 * s2.intercept[0].abs());
}
