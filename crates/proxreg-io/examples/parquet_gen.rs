//! Writes a synthetic Gaussian regression data set as a directory of Parquet parts
//! (deterministic for a seed), e.g. to measure the out-of-core statistics pass:
//!
//! ```text
//! cargo run --release -p proxreg-io --features parquet --example parquet_gen -- \
//!     --out /tmp/gauss --rows 2000000 --features 20 --parts 8 --row-group 65536 --seed 1
//! ```
//!
//! Columns: `x0 .. x{p-1}` (Float64, standard normal, column `j` shifted by `j`), `y`
//! (Float64, `y = Σ β_j x_j + N(0, 1)` with `β_j = 1/(j+1)` for even `j`, 0 otherwise), `w`
//! (Float64 sample weights in `{0.5, 1, 1.5, 2}`) and `id` (Int64, the row index). Parts are
//! `part-00000.parquet`, ... with `rows / parts` rows each (the first `rows % parts` one more),
//! Snappy-compressed, row groups of `--row-group` rows.

use std::error::Error;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

struct Args {
    out: String,
    rows: u64,
    features: usize,
    parts: u64,
    row_group: usize,
    seed: u64,
}

fn parse() -> Result<Args, Box<dyn Error>> {
    let mut a = Args {
        out: String::new(),
        rows: 100_000,
        features: 20,
        parts: 4,
        row_group: 65_536,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k}: missing value"))?;
        match k.as_str() {
            "--out" => a.out = v,
            "--rows" => a.rows = v.parse()?,
            "--features" => a.features = v.parse()?,
            "--parts" => a.parts = v.parse()?,
            "--row-group" => a.row_group = v.parse()?,
            "--seed" => a.seed = v.parse()?,
            _ => return Err(format!("unknown option {k}").into()),
        }
    }
    if a.out.is_empty() || a.parts == 0 || a.features == 0 || a.row_group == 0 {
        return Err(
            "usage: parquet_gen --out DIR [--rows N] [--features P] [--parts K] \
                    [--row-group R] [--seed S] (P, K, R >= 1)"
                .into(),
        );
    }
    Ok(a)
}

/// splitmix64 with Box–Muller normals.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unif(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unif(), self.unif());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let a = parse()?;
    std::fs::create_dir_all(&a.out)?;
    let p = a.features;
    let beta: Vec<f64> = (0..p)
        .map(|j| {
            if j.is_multiple_of(2) {
                1.0 / (j + 1) as f64
            } else {
                0.0
            }
        })
        .collect();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(a.row_group))
        .build();
    let (base, extra) = (a.rows / a.parts, a.rows % a.parts);
    let mut first = 0u64;
    let start = std::time::Instant::now();
    for part in 0..a.parts {
        let n = base + u64::from(part < extra);
        // one generator per part: a part's rows do not depend on the other parts
        let mut rng = Rng(a.seed ^ (part + 1).wrapping_mul(0xA24B_AED4_963E_E407));
        let path = std::path::Path::new(&a.out).join(format!("part-{part:05}.parquet"));
        let mut writer: Option<ArrowWriter<std::fs::File>> = None;
        let mut done = 0u64;
        while done < n {
            let m = (n - done).min(a.row_group as u64) as usize;
            let mut cols: Vec<Vec<f64>> = vec![Vec::with_capacity(m); p];
            let mut y = Vec::with_capacity(m);
            let mut w = Vec::with_capacity(m);
            for _ in 0..m {
                let mut yi = rng.normal();
                for (j, c) in cols.iter_mut().enumerate() {
                    let v = rng.normal() + j as f64;
                    yi += beta[j] * v;
                    c.push(v);
                }
                y.push(yi);
                w.push(0.5 * (1 + rng.next() % 4) as f64);
            }
            let id: Vec<i64> = (0..m as u64)
                .map(|i| i64::try_from(first + done + i).unwrap_or(i64::MAX))
                .collect();
            let mut fields: Vec<(String, ArrayRef)> = cols
                .into_iter()
                .enumerate()
                .map(|(j, c)| (format!("x{j}"), Arc::new(Float64Array::from(c)) as ArrayRef))
                .collect();
            fields.push(("y".into(), Arc::new(Float64Array::from(y))));
            fields.push(("w".into(), Arc::new(Float64Array::from(w))));
            fields.push(("id".into(), Arc::new(Int64Array::from(id))));
            let batch = RecordBatch::try_from_iter(fields)?;
            let wr = match &mut writer {
                Some(wr) => wr,
                None => writer.insert(ArrowWriter::try_new(
                    std::fs::File::create(&path)?,
                    batch.schema(),
                    Some(props.clone()),
                )?),
            };
            wr.write(&batch)?;
            done += m as u64;
        }
        if let Some(wr) = writer {
            wr.close()?;
        }
        first += n;
    }
    println!(
        "wrote {} rows x {p} features in {} parts to {} in {:.2} s",
        a.rows,
        a.parts,
        a.out,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
