//! Feature engineering in SQL, statistics in DataFusion, the fit in proxreg.
//!
//! The diabetes data (crates/proxreg-cli/data/diabetes.csv) is written with a row id into a
//! directory of three CSV files and registered as one table; a SQL view engineers features
//! (an interaction, a logarithm, a square, a CASE indicator); `stats_by_fold` aggregates the
//! view by `proxreg_fold(id, 5)`; `cv_path_stats` cross-validates a Lasso path from the
//! per-fold statistics, and the merged statistics refit at lambda_min and lambda_1se in Gram
//! mode, with their duality gaps. No row reaches proxreg.
//!
//! `cd integrations/proxreg-datafusion && cargo run --example sql_features`

use std::path::Path;

use datafusion::prelude::*;
use proxreg_core::penalty::L1;
use proxreg_cv::{cv_path_stats, Alphas, CvSettings};
use proxreg_datafusion::{fold, register, stats_by_fold};
use proxreg_solvers::{CoordinateDescent, SufficientStats};

const K: usize = 5;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let src =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/proxreg-cli/data/diabetes.csv");
    let text = std::fs::read_to_string(&src)?;
    let mut lines = text.lines();
    let header = lines.next().ok_or("empty csv")?;
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();

    // A table of three files, with a stable row id.
    let dir = std::env::temp_dir().join(format!("proxreg-sql-features-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let per_file = rows.len().div_ceil(3);
    for (f, chunk) in rows.chunks(per_file).enumerate() {
        let mut s = format!("id,{header}\n");
        for (i, line) in chunk.iter().enumerate() {
            s.push_str(&format!("{},{line}\n", f * per_file + i));
        }
        std::fs::write(dir.join(format!("part-{f}.csv")), s)?;
    }

    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(4));
    register(&ctx);
    ctx.register_csv(
        "diabetes",
        dir.to_str().ok_or("path")?,
        CsvReadOptions::new(),
    )
    .await?;
    ctx.sql(
        "CREATE VIEW features AS SELECT
            id, y,
            age, bmi, bp, s1, s2, s3, s4, s5, s6,
            CASE WHEN sex = 2 THEN 1.0 ELSE 0.0 END AS sex2,
            bmi * bp AS bmi_bp,
            bmi * bmi AS bmi_sq,
            ln(s1) AS log_s1,
            CASE WHEN age >= 60 THEN age - 60 ELSE 0 END AS age_over_60
         FROM diabetes",
    )
    .await?;
    let features = [
        "age",
        "bmi",
        "bp",
        "s1",
        "s2",
        "s3",
        "s4",
        "s5",
        "s6",
        "sex2",
        "bmi_bp",
        "bmi_sq",
        "log_s1",
        "age_over_60",
    ];

    let df = ctx.table("features").await?;
    let folds = stats_by_fold(df, "y", &features, None, fold(col("id"), K), K).await?;
    println!(
        "{} rows from {} files, {} engineered features, folds of {:?} rows",
        folds.iter().map(SufficientStats::n_samples).sum::<usize>(),
        rows.chunks(per_file).len(),
        features.len(),
        folds
            .iter()
            .map(SufficientStats::n_samples)
            .collect::<Vec<_>>()
    );

    let settings = CvSettings {
        alphas: Alphas::Auto {
            n_alphas: 50,
            eps: 1e-3,
        },
        fit_intercept: true,
        standardize: true,
        solver: CoordinateDescent::new().tol(1e-10),
        measure: Default::default(),
    };
    let cv = cv_path_stats(&folds, &L1, &settings)?;
    let (lmin, l1se) = (cv.alphas[cv.index_min], cv.alphas[cv.index_1se]);
    println!(
        "lasso {K}-fold CV: lambda_min {lmin:.4} (index {}, MSE {:.1}), lambda_1se {l1se:.4} (index {}, MSE {:.1})",
        cv.index_min, cv.mean[cv.index_min], cv.index_1se, cv.mean[cv.index_1se]
    );

    // Refit on all rows: the merged statistics, Gram-mode coordinate descent.
    let all: Vec<&SufficientStats<f64>> = folds.iter().collect();
    let prep = SufficientStats::combine(&all)?.prepare(true, true)?;
    for (name, alpha) in [("lambda_min", lmin), ("lambda_1se", l1se)] {
        let sol =
            CoordinateDescent::new()
                .tol(1e-12)
                .solve_prepared(&prep, &L1, alpha, None, &mut ())?;
        println!(
            "refit at {name}: converged {}, duality gap {:.2e} (relative {:.2e}), intercept {:.3}",
            sol.converged(),
            sol.duality_gap.unwrap_or(f64::NAN),
            sol.relative_gap.unwrap_or(f64::NAN),
            sol.intercept.first().copied().unwrap_or(f64::NAN)
        );
        let coefs: Vec<String> = features
            .iter()
            .zip(&sol.coef)
            .filter(|(_, c)| **c != 0.0)
            .map(|(f, c)| format!("{f} {c:.4}"))
            .collect();
        println!("  {} nonzero: {}", coefs.len(), coefs.join(", "));
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
