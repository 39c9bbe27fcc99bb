#![allow(missing_docs, clippy::unwrap_used)]
use proxreg_core::penalty::L1;
use proxreg_linalg::ColMajor;
use proxreg_solvers::*;
use std::time::Instant;

fn normal(s: &mut u64) -> f64 {
    let mut u = || {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        ((*s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let (a, b) = (u(), u());
    (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let (n, p, rho, k) = (args[0], args[1], args[2] as f64 / 10.0, args[3]);
    let mut s = 42u64;
    let mut data = vec![0.0; n * p];
    let c = (1.0 - rho * rho).sqrt();
    for i in 0..n {
        let mut prev = normal(&mut s);
        data[i] = prev;
        for j in 1..p {
            prev = rho * prev + c * normal(&mut s);
            data[j * n + i] = prev;
        }
    }
    let x = ColMajor::new(data, n, p).unwrap();
    let mut w = vec![0.0; p];
    for t in 0..k {
        w[(t * 7919) % p] = normal(&mut s);
    }
    let mut y = vec![0.0; n];
    for j in 0..p {
        if w[j] != 0.0 {
            for i in 0..n {
                y[i] += x.col(j)[i] * w[j];
            }
        }
    }
    let pb = Problem::new(&x, &y, &L1, 1.0);
    for mode in [CdMode::Naive, CdMode::Gram, CdMode::Auto] {
        let cd = CoordinateDescent::new().tol(1e-6).mode(mode);
        let t0 = Instant::now();
        let prep = cd.prepare(&pb).unwrap();
        let am = alpha_max(&prep, &L1).unwrap();
        let t1 = Instant::now();
        let sol = cd
            .solve_prepared(&prep, &L1, am / 10.0, None, &mut ())
            .unwrap();
        let t2 = Instant::now();
        println!(
            "{mode:?}: prep {:.1} ms, T1 {:.1} ms, epochs {}, gap {:?}, nnz {}",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            sol.n_iter,
            sol.relative_gap,
            sol.coef.iter().filter(|v| **v != 0.0).count()
        );
        let alphas = alpha_grid(am, 100, 1e-3).unwrap();
        let t3 = Instant::now();
        let path = cd.path_prepared(&prep, &L1, &alphas, None).unwrap();
        println!(
            "   T2 path {:.1} ms, all converged {}, max gap {:?}",
            t3.elapsed().as_secs_f64() * 1e3,
            path.all_converged(),
            path.max_relative_gap()
        );
    }
}
