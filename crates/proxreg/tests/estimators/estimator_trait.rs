//! The `Estimator` / `Fitted` traits: generic code over every single-fit estimator gives what
//! each estimator's own methods give.

use proxreg::prelude::*;

use super::data;

/// Fits `est` through the traits and checks it against `direct` (the inherent methods' model):
/// same coefficients, report, predictions and score, bit for bit; the path through the trait
/// is the inherent path.
fn check<E, M>(est: &E, direct: &M, x: &ColMajor<f64>, y: &[f64], w: &[f64], alphas: &[f64])
where
    E: Estimator<f64>,
    M: Fitted<f64>,
{
    let m = est.fit_with(x, y, None).unwrap();
    assert_eq!(m.linear_model(), direct.linear_model());
    assert_eq!(m.report(), direct.report());
    assert_eq!(m.predict(x).unwrap(), direct.predict(x).unwrap());
    assert_eq!(m.score(x, y).unwrap(), direct.score(x, y).unwrap());
    assert_eq!(m.classes(), direct.classes());
    let weighted = est.fit_with(x, y, Some(w)).unwrap();
    assert_eq!(
        weighted.linear_model(),
        est.fit_weighted(x, y, w).unwrap().linear_model()
    );
    let path = Estimator::path(est, x, y, Some(w), alphas).unwrap();
    assert_eq!(path.len(), alphas.len());
    // alpha() and warm_start() through the trait: a fit at the path's last alpha from its
    // solution is certified like the path point
    let last = path.last().unwrap();
    let again = est
        .clone()
        .alpha(alphas[alphas.len() - 1])
        .warm_start(last.linear_model().coef().to_vec())
        .fit_with(x, y, Some(w))
        .unwrap();
    assert_eq!(again.linear_model().alpha(), alphas[alphas.len() - 1]);
    assert_eq!(again.report().status, Status::Converged);
}

#[test]
fn every_single_fit_estimator_works_through_the_traits() {
    let (x, y) = data(40, 4, 11);
    let w: Vec<f64> = (0..40).map(|i| 1.0 + (i % 3) as f64).collect();
    let alphas = [0.5, 0.1, 0.02];
    let lasso = Lasso::params().alpha(0.1);
    check(&lasso, &lasso.fit(&x, &y).unwrap(), &x, &y, &w, &alphas);
    let en = ElasticNet::params().alpha(0.1).l1_ratio(0.4);
    check(&en, &en.fit(&x, &y).unwrap(), &x, &y, &w, &alphas);
    let ridge = Ridge::params().alpha(2.0);
    check(
        &ridge,
        &ridge.fit(&x, &y).unwrap(),
        &x,
        &y,
        &w,
        &[20.0, 2.0],
    );
    // two tasks
    let y2: Vec<f64> = y.iter().chain(y.iter().rev()).copied().collect();
    let mtl = MultiTaskLasso::params().alpha(0.1);
    check(&mtl, &mtl.fit(&x, &y2).unwrap(), &x, &y2, &w, &alphas);
    let mten = MultiTaskElasticNet::params().alpha(0.1).l1_ratio(0.6);
    check(&mten, &mten.fit(&x, &y2).unwrap(), &x, &y2, &w, &alphas);
    // a classifier: labels 3 and 7, predictions in those labels, accuracy as the score
    let labels: Vec<f64> = y
        .iter()
        .map(|&v| if v > y[0] { 7.0 } else { 3.0 })
        .collect();
    let logit = LogisticRegression::params().alpha(0.01);
    let direct = logit.fit(&x, &labels).unwrap();
    assert_eq!(Fitted::classes(&direct), Some([3.0, 7.0]));
    check(&logit, &direct, &x, &labels, &w, &[0.05, 0.01]);
}
