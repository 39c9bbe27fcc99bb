//! The Parquet reader against the in-memory route: statistics per fold equal
//! `SufficientStats::by_fold` on the same rows, cross-validation from them equals the one from
//! the in-memory statistics, the result does not depend on the thread count, and every kind of
//! bad input is a typed error.
#![cfg(feature = "parquet")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::properties::WriterProperties;
use proxreg_core::penalty::ElasticNet;
use proxreg_core::Scalar;
use proxreg_cv::{cv_path_stats, Alphas, CvSettings, KFold};
use proxreg_io::parquet::{Folds, ParquetError, ParquetSource, StatsSpec};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{fold_of_id, CoordinateDescent, SufficientStats};

/// A deterministic generator (splitmix64) for the test data.
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
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unif().max(1e-300), self.unif());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// The rows of the test data set, column by column.
#[derive(Clone)]
struct Rows {
    a: Vec<f64>,
    b: Vec<f32>,
    c: Vec<i64>,
    d: Vec<f64>,
    flag: Vec<bool>,
    y: Vec<f64>,
    w: Vec<f64>,
    id: Vec<i64>,
}

fn rows(n: usize, seed: u64) -> Rows {
    let mut r = Rng(seed);
    let mut out = Rows {
        a: vec![],
        b: vec![],
        c: vec![],
        d: vec![],
        flag: vec![],
        y: vec![],
        w: vec![],
        id: vec![],
    };
    for i in 0..n {
        let a = r.normal();
        let b = (2.0 * r.normal()) as f32;
        let c = (r.next() % 11) as i64 - 5;
        let d = 1000.0 + 0.5 * r.normal();
        let flag = r.next().is_multiple_of(3);
        let y = 1.5 * a - 0.7 * f64::from(b)
            + 0.3 * c as f64
            + 2.0 * (d - 1000.0)
            + if flag { 0.4 } else { 0.0 }
            + 0.5 * r.normal();
        // integer weights with some zeros
        let w = (r.next() % 4) as f64;
        out.a.push(a);
        out.b.push(b);
        out.c.push(c);
        out.d.push(d);
        out.flag.push(flag);
        out.y.push(y);
        out.w.push(w);
        out.id.push(1_000_003 * i as i64 - 77);
    }
    out
}

impl Rows {
    fn len(&self) -> usize {
        self.y.len()
    }
    fn slice(&self, r: std::ops::Range<usize>) -> Rows {
        Rows {
            a: self.a[r.clone()].to_vec(),
            b: self.b[r.clone()].to_vec(),
            c: self.c[r.clone()].to_vec(),
            d: self.d[r.clone()].to_vec(),
            flag: self.flag[r.clone()].to_vec(),
            y: self.y[r.clone()].to_vec(),
            w: self.w[r.clone()].to_vec(),
            id: self.id[r].to_vec(),
        }
    }
    fn batch(&self) -> RecordBatch {
        let name: Vec<String> = (0..self.len()).map(|i| format!("r{i}")).collect();
        RecordBatch::try_from_iter([
            (
                "a",
                Arc::new(Float64Array::from(self.a.clone())) as ArrayRef,
            ),
            ("name", Arc::new(StringArray::from(name)) as ArrayRef),
            (
                "b",
                Arc::new(Float32Array::from(self.b.clone())) as ArrayRef,
            ),
            ("c", Arc::new(Int64Array::from(self.c.clone())) as ArrayRef),
            (
                "y",
                Arc::new(Float64Array::from(self.y.clone())) as ArrayRef,
            ),
            (
                "d",
                Arc::new(Float64Array::from(self.d.clone())) as ArrayRef,
            ),
            (
                "w",
                Arc::new(Float64Array::from(self.w.clone())) as ArrayRef,
            ),
            (
                "flag",
                Arc::new(BooleanArray::from(self.flag.clone())) as ArrayRef,
            ),
            (
                "id",
                Arc::new(Int64Array::from(self.id.clone())) as ArrayRef,
            ),
        ])
        .unwrap()
    }
    /// The features `a, b, c, d, flag` as a column-major matrix in `T`.
    fn x<T: Scalar>(&self) -> ColMajor<T> {
        let n = self.len();
        ColMajor::from_fn(n, 5, |i, j| {
            T::lit(match j {
                0 => self.a[i],
                1 => f64::from(self.b[i]),
                2 => self.c[i] as f64,
                3 => self.d[i],
                _ => f64::from(u8::from(self.flag[i])),
            })
        })
    }
}

const FEATURES: [&str; 5] = ["a", "b", "c", "d", "flag"];

fn write(path: &Path, batch: &RecordBatch, row_group: usize, codec: Compression) {
    let props = WriterProperties::builder()
        .set_compression(codec)
        .set_max_row_group_row_count(Some(row_group))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

/// A directory of three parts (written out of name order, with a non-parquet file beside
/// them), row groups of 37 rows; returns the directory and all rows in reading order.
fn dataset() -> (tempfile::TempDir, Rows) {
    let dir = tempfile::tempdir().unwrap();
    let all = rows(983, 7);
    let cuts = [0, 400, 733, 983];
    let names = [
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ];
    let codecs = [
        Compression::SNAPPY,
        Compression::ZSTD(ZstdLevel::default()),
        Compression::LZ4_RAW,
    ];
    for p in [2, 0, 1] {
        let part = all.slice(cuts[p]..cuts[p + 1]);
        write(&dir.path().join(names[p]), &part.batch(), 37, codecs[p]);
    }
    std::fs::write(dir.path().join("_SUCCESS"), b"").unwrap();
    (dir, all)
}

/// The largest relative difference of two statistics, field by field (each field's
/// difference over the largest magnitude of the reference field).
fn rel_diff<T: Scalar>(a: &SufficientStats<T>, b: &SufficientStats<T>) -> f64 {
    assert_eq!(a.n_samples(), b.n_samples());
    assert_eq!(a.n_features(), b.n_features());
    let d = |u: &[T], v: &[T]| {
        let scale = v.iter().fold(0.0f64, |m, x| m.max(x.as_f64().abs()));
        let diff = u
            .iter()
            .zip(v)
            .fold(0.0f64, |m, (x, y)| m.max((x.as_f64() - y.as_f64()).abs()));
        if scale == 0.0 {
            diff
        } else {
            diff / scale
        }
    };
    [
        d(&[a.weight_sum()], &[b.weight_sum()]),
        d(a.x_mean(), b.x_mean()),
        d(&[a.y_mean()], &[b.y_mean()]),
        d(a.xx().as_slice(), b.xx().as_slice()),
        d(a.xy(), b.xy()),
        d(&[a.yy()], &[b.yy()]),
    ]
    .into_iter()
    .fold(0.0, f64::max)
}

fn fold_rows(all: &Rows, folds: &Folds) -> (Vec<usize>, usize) {
    let n = all.len();
    match folds {
        Folds::None => (vec![0; n], 1),
        Folds::Contiguous(k) => {
            let split = KFold::new(*k).split(n).unwrap();
            let mut f = vec![usize::MAX; n];
            for fold in 0..*k {
                for &i in split.test(fold) {
                    f[i] = fold;
                }
            }
            (f, *k)
        }
        Folds::ById { k, .. } => (
            all.id.iter().map(|&i| fold_of_id(i as u64, *k)).collect(),
            *k,
        ),
        _ => unreachable!(),
    }
}

fn in_memory<T: Scalar>(all: &Rows, folds: &Folds, weighted: bool) -> Vec<SufficientStats<T>> {
    let (f, k) = fold_rows(all, folds);
    let y: Vec<T> = all.y.iter().map(|&v| T::lit(v)).collect();
    let w: Vec<T> = all.w.iter().map(|&v| T::lit(v)).collect();
    SufficientStats::by_fold(&all.x::<T>(), &y, weighted.then_some(&w[..]), &f, k).unwrap()
}

fn spec(folds: Folds, weighted: bool) -> StatsSpec {
    let s = StatsSpec::new("y").features(FEATURES).folds(folds);
    if weighted {
        s.weight("w")
    } else {
        s
    }
}

fn all_folds() -> [Folds; 3] {
    [
        Folds::None,
        Folds::Contiguous(5),
        Folds::ById {
            column: "id".into(),
            k: 5,
        },
    ]
}

#[test]
fn parquet_stats_equal_in_memory_by_fold_f64_and_f32() {
    let (dir, all) = dataset();
    let source = ParquetSource::open(dir.path()).unwrap();
    assert_eq!(source.n_rows(), 983);
    assert_eq!(source.parts().len(), 3);
    assert_eq!(source.n_row_groups(), 11 + 9 + 7);
    let (mut worst64, mut worst32) = (0.0f64, 0.0f64);
    // default batches (one per 37-row group) and 16-row batches (several per row group, and
    // more fold boundaries inside batches)
    for (weighted, batch) in [
        (false, None),
        (true, None),
        (false, Some(16)),
        (true, Some(16)),
    ] {
        for folds in all_folds() {
            let mut s = spec(folds.clone(), weighted);
            if let Some(b) = batch {
                s = s.batch_size(b);
            }
            let last = std::sync::atomic::AtomicU64::new(0);
            let got = source
                .stats::<f64>(&s, |done| {
                    assert!(done > last.swap(done, std::sync::atomic::Ordering::SeqCst));
                })
                .unwrap();
            assert_eq!(last.into_inner(), 983);
            let want = in_memory::<f64>(&all, &folds, weighted);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                let r = rel_diff(g, w);
                assert!(r <= 1e-12, "{folds:?} weighted={weighted}: {r:e}");
                worst64 = worst64.max(r);
            }
            let got = source.stats::<f32>(&s, |_| {}).unwrap();
            let want = in_memory::<f32>(&all, &folds, weighted);
            for (g, w) in got.iter().zip(&want) {
                let r = rel_diff(g, w);
                assert!(r <= 1e-4, "f32 {folds:?} weighted={weighted}: {r:e}");
                worst32 = worst32.max(r);
            }
        }
    }
    println!("max relative difference vs by_fold: f64 {worst64:e}, f32 {worst32:e}");
}

#[test]
fn contiguous_folds_have_kfold_sizes() {
    let (dir, _) = dataset();
    let source = ParquetSource::open(dir.path()).unwrap();
    for k in [2, 3, 5, 7, 37, 983] {
        let got = source
            .stats::<f64>(&spec(Folds::Contiguous(k), false), |_| {})
            .unwrap();
        let split = KFold::new(k).split(983).unwrap();
        let sizes: Vec<usize> = got.iter().map(SufficientStats::n_samples).collect();
        let want: Vec<usize> = (0..k).map(|f| split.test(f).len()).collect();
        assert_eq!(sizes, want, "k = {k}");
    }
}

#[test]
fn result_is_bitwise_identical_for_1_and_3_threads() {
    let (dir, _) = dataset();
    let source = ParquetSource::open(dir.path()).unwrap();
    let run = |threads: usize, s: &StatsSpec| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| source.stats::<f64>(s, |_| {}).unwrap())
    };
    for weighted in [false, true] {
        for folds in all_folds() {
            let s = spec(folds, weighted).batch_size(16);
            let (one, three) = (run(1, &s), run(3, &s));
            assert_eq!(one, three);
            // bit for bit (the derived equality would not tell -0.0 from 0.0)
            assert_eq!(format!("{one:?}"), format!("{three:?}"));
        }
    }
}

#[test]
fn cv_from_parquet_stats_equals_cv_from_in_memory_stats() {
    let (dir, all) = dataset();
    let source = ParquetSource::open(dir.path()).unwrap();
    let settings = CvSettings {
        alphas: Alphas::Auto {
            n_alphas: 30,
            eps: 1e-3,
        },
        fit_intercept: true,
        standardize: true,
        solver: CoordinateDescent::new().tol(1e-12),
        measure: Default::default(),
    };
    let pen = ElasticNet::new(0.7).unwrap();
    let mut worst = 0.0f64;
    for weighted in [false, true] {
        for folds in [
            Folds::Contiguous(5),
            Folds::ById {
                column: "id".into(),
                k: 4,
            },
        ] {
            let got = source
                .stats::<f64>(&spec(folds.clone(), weighted), |_| {})
                .unwrap();
            let want = in_memory::<f64>(&all, &folds, weighted);
            let a = cv_path_stats(&got, &pen, &settings).unwrap();
            let b = cv_path_stats(&want, &pen, &settings).unwrap();
            assert_eq!((a.index_min, a.index_1se), (b.index_min, b.index_1se));
            assert_eq!(a.alphas.len(), b.alphas.len());
            for (x, y) in a.alphas.iter().zip(&b.alphas) {
                assert!((x - y).abs() <= 1e-12 * y.abs());
            }
            for (x, y) in a.mean.iter().zip(&b.mean) {
                let r = (x - y).abs() / y.abs();
                assert!(r <= 1e-10, "{folds:?}: {r:e}");
                worst = worst.max(r);
            }
        }
    }
    println!("max relative difference of the mean CV errors: {worst:e}");
}

#[test]
fn default_features_are_the_other_numeric_columns() {
    let (dir, _) = dataset();
    let source = ParquetSource::open(dir.path()).unwrap();
    assert_eq!(
        source.column_names(),
        ["a", "name", "b", "c", "y", "d", "w", "flag", "id"]
    );
    let s = StatsSpec::new("y").weight("w").folds(Folds::ById {
        column: "id".into(),
        k: 3,
    });
    assert_eq!(source.features(&s).unwrap(), FEATURES);
    // without the fold-id column, `id` is a feature
    let s = StatsSpec::new("y");
    assert_eq!(
        source.features(&s).unwrap(),
        ["a", "b", "c", "d", "w", "flag", "id"]
    );
    let file = source
        .stats_file::<f64>(&StatsSpec::new("y").weight("w"), |_| {})
        .unwrap();
    assert_eq!(file.target_name.as_deref(), Some("y"));
    assert_eq!(file.blocks[0].n_features(), 6);
}

#[test]
fn single_file_and_zero_weight_folds() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = rows(120, 3);
    // fold 1 of 3 contiguous folds (rows 40..80) has weight 0 only
    all.w[40..80].iter_mut().for_each(|w| *w = 0.0);
    let path = dir.path().join("one.parquet");
    write(&path, &all.batch(), 50, Compression::UNCOMPRESSED);
    let source = ParquetSource::open(&path).unwrap();
    let got = source
        .stats::<f64>(&spec(Folds::Contiguous(3), true), |_| {})
        .unwrap();
    let want = in_memory::<f64>(&all, &Folds::Contiguous(3), true);
    assert_eq!(got[1], want[1]);
    assert_eq!((got[1].n_samples(), got[1].weight_sum()), (40, 0.0));
    for f in [0, 2] {
        assert!(rel_diff(&got[f], &want[f]) <= 1e-12);
    }
}

// ---- errors ----------------------------------------------------------------------------

fn one_file(batch: &RecordBatch, codec: Compression) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.parquet");
    write(&path, batch, 37, codec);
    (dir, path)
}

fn xy_batch(x: Vec<Option<f64>>, y: Vec<f64>) -> RecordBatch {
    RecordBatch::try_from_iter([
        ("x", Arc::new(Float64Array::from(x)) as ArrayRef),
        ("y", Arc::new(Float64Array::from(y)) as ArrayRef),
    ])
    .unwrap()
}

fn stats_err(path: &Path, s: &StatsSpec) -> ParquetError {
    ParquetSource::open(path)
        .unwrap()
        .stats::<f64>(s, |_| {})
        .unwrap_err()
}

#[test]
fn missing_column_is_an_error() {
    let (dir, _) = dataset();
    let e = stats_err(dir.path(), &StatsSpec::new("target"));
    assert!(
        matches!(&e, ParquetError::MissingColumn { column, file, .. }
            if column == "target" && file.ends_with("part-00000.parquet")),
        "{e}"
    );
    let e = stats_err(dir.path(), &StatsSpec::new("y").features(["a", "zz"]));
    assert!(matches!(&e, ParquetError::MissingColumn { column, .. } if column == "zz"));
}

#[test]
fn non_numeric_column_is_an_error() {
    let (dir, _) = dataset();
    let e = stats_err(dir.path(), &StatsSpec::new("y").features(["a", "name"]));
    assert!(
        matches!(&e, ParquetError::NonNumeric { column, data_type, .. }
            if column == "name" && data_type == "Utf8"),
        "{e}"
    );
    // a fold-id column must be an integer
    let e = stats_err(
        dir.path(),
        &StatsSpec::new("y").features(["b"]).folds(Folds::ById {
            column: "a".into(),
            k: 3,
        }),
    );
    assert!(
        matches!(&e, ParquetError::NonNumeric { column, .. } if column == "a"),
        "{e}"
    );
}

#[test]
fn null_value_is_an_error_naming_row_group_and_row() {
    let mut x: Vec<Option<f64>> = (0..100).map(|i| Some(i as f64)).collect();
    x[50] = None;
    let (_d, path) = one_file(&xy_batch(x, vec![1.0; 100]), Compression::SNAPPY);
    let e = stats_err(&path, &StatsSpec::new("y"));
    assert!(
        matches!(&e, ParquetError::Null { column, row_group: 1, row: 50, .. } if column == "x"),
        "{e}"
    );
}

#[test]
fn nan_and_infinite_values_are_errors() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut x: Vec<Option<f64>> = (0..100).map(|i| Some(i as f64)).collect();
        x[80] = Some(bad);
        let (_d, path) = one_file(&xy_batch(x, vec![1.0; 100]), Compression::SNAPPY);
        let e = stats_err(&path, &StatsSpec::new("y"));
        assert!(
            matches!(&e, ParquetError::NonFinite { column, row_group: 2, row: 80, .. } if column == "x"),
            "{e}"
        );
        let mut y = vec![1.0; 100];
        y[3] = bad;
        let x = (0..100).map(|i| Some(i as f64)).collect();
        let (_d, path) = one_file(&xy_batch(x, y), Compression::SNAPPY);
        let e = stats_err(&path, &StatsSpec::new("y"));
        assert!(
            matches!(&e, ParquetError::NonFinite { column, row: 3, .. } if column == "y"),
            "{e}"
        );
    }
    // finite in the file, infinite in f32
    let mut x: Vec<Option<f64>> = (0..10).map(|i| Some(i as f64)).collect();
    x[4] = Some(1e39); // > f32::MAX
    let (_d, path) = one_file(&xy_batch(x, vec![1.0; 10]), Compression::SNAPPY);
    let src = ParquetSource::open(&path).unwrap();
    let e = src.stats::<f32>(&StatsSpec::new("y"), |_| {}).unwrap_err();
    assert!(matches!(&e, ParquetError::NonFinite { row: 4, .. }), "{e}");
    assert!(src.stats::<f64>(&StatsSpec::new("y"), |_| {}).is_ok());
}

#[test]
fn negative_or_non_finite_weight_is_an_error() {
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let mut all = rows(90, 5);
        all.w[61] = bad;
        let (_d, path) = one_file(&all.batch(), Compression::SNAPPY);
        let e = stats_err(&path, &spec(Folds::None, true));
        assert!(
            matches!(&e, ParquetError::BadWeight { column, row_group: 1, row: 61, .. } if column == "w"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn corrupt_or_truncated_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.parquet");
    std::fs::write(&path, b"this is not a parquet file at all").unwrap();
    let e = ParquetSource::open(&path).unwrap_err();
    assert!(
        matches!(&e, ParquetError::Corrupt { file, .. } if file.ends_with("junk.parquet")),
        "{e}"
    );
    // a valid file cut in half
    let (_d, good) = one_file(&rows(200, 1).batch(), Compression::SNAPPY);
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        ParquetSource::open(&path),
        Err(ParquetError::Corrupt { .. })
    ));
    // a missing file
    let e = ParquetSource::open(dir.path().join("nope.parquet")).unwrap_err();
    assert!(matches!(e, ParquetError::Io { .. }), "{e}");
}

#[test]
fn damaged_bytes_never_panic() {
    // Overwrite bytes across the data pages and the footer: every outcome is Ok or a typed
    // error, never a panic.
    let (_d, good) = one_file(&rows(150, 2).batch(), Compression::SNAPPY);
    let bytes = std::fs::read(&good).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.parquet");
    let mut rng = Rng(99);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            let at = (rng.next() % b.len() as u64) as usize;
            b[at] = rng.next() as u8;
        }
        std::fs::write(&path, &b).unwrap();
        let r = ParquetSource::open(&path)
            .and_then(|s| s.stats::<f64>(&spec(Folds::None, true), |_| {}));
        match r {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    println!("damaged files: {ok} read, {err} errors");
    assert!(err > 0);
}

#[test]
fn directory_without_parts_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), b"x,y\n1,2\n").unwrap();
    let e = ParquetSource::open(dir.path()).unwrap_err();
    assert!(matches!(e, ParquetError::NoParts { .. }), "{e}");
}

#[test]
fn parts_with_different_columns_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let all = rows(60, 4);
    write(
        &dir.path().join("a.parquet"),
        &all.batch(),
        37,
        Compression::SNAPPY,
    );
    let other = xy_batch((0..10).map(|i| Some(i as f64)).collect(), vec![0.0; 10]);
    write(
        &dir.path().join("b.parquet"),
        &other,
        37,
        Compression::SNAPPY,
    );
    let e = ParquetSource::open(dir.path()).unwrap_err();
    assert!(
        matches!(&e, ParquetError::SchemaMismatch { file, first, .. }
            if file.ends_with("b.parquet") && first.ends_with("a.parquet")),
        "{e}"
    );
    // same names, but a needed column is a string in the second part
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.parquet"),
        &xy_batch(vec![Some(1.0); 5], vec![0.0; 5]),
        37,
        Compression::SNAPPY,
    );
    let b = RecordBatch::try_from_iter([
        ("x", Arc::new(StringArray::from(vec!["1"; 5])) as ArrayRef),
        ("y", Arc::new(Float64Array::from(vec![0.0; 5])) as ArrayRef),
    ])
    .unwrap();
    write(&dir.path().join("b.parquet"), &b, 37, Compression::SNAPPY);
    let e = stats_err(dir.path(), &StatsSpec::new("y").features(["x"]));
    assert!(
        matches!(&e, ParquetError::NonNumeric { file, column, .. }
            if file.ends_with("b.parquet") && column == "x"),
        "{e}"
    );
}

#[test]
fn fewer_rows_than_folds_is_an_error() {
    let (_d, path) = one_file(&rows(4, 1).batch(), Compression::SNAPPY);
    let e = stats_err(&path, &spec(Folds::Contiguous(5), false));
    assert!(
        matches!(e, ParquetError::TooFewRows { rows: 4, k: 5 }),
        "{e}"
    );
    let e = stats_err(&path, &spec(Folds::Contiguous(1), false));
    assert!(matches!(e, ParquetError::Spec(_)), "{e}");
}

#[test]
fn unsupported_compression_is_an_error() {
    let (_d, path) = one_file(
        &rows(50, 1).batch(),
        Compression::GZIP(GzipLevel::default()),
    );
    let e = stats_err(&path, &spec(Folds::None, false));
    assert!(
        matches!(&e, ParquetError::UnsupportedCompression { row_group: 0, codec, .. }
            if codec.contains("GZIP")),
        "{e}"
    );
}

#[test]
fn invalid_specs_are_errors() {
    let (dir, _) = dataset();
    let src = ParquetSource::open(dir.path()).unwrap();
    for s in [
        StatsSpec::new("y").features(["a", "a"]),
        StatsSpec::new("y").features(["a", "y"]),
        StatsSpec::new("y").weight("y"),
        StatsSpec::new("y").features(Vec::<String>::new()),
        StatsSpec::new("y").batch_size(0),
    ] {
        let e = src.stats::<f64>(&s, |_| {}).unwrap_err();
        assert!(matches!(e, ParquetError::Spec(_)), "{s:?}: {e}");
    }
}

#[test]
fn int32_ids_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let n = 200;
    let x: Vec<i32> = (0..n).map(|i| (i * 7 % 13) - 6).collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &v)| 2.0 * f64::from(v) + (i % 3) as f64)
        .collect();
    let id: Vec<i32> = (0..n).map(|i| -i).collect();
    let b = RecordBatch::try_from_iter([
        ("x", Arc::new(Int32Array::from(x.clone())) as ArrayRef),
        ("y", Arc::new(Float64Array::from(y.clone())) as ArrayRef),
        ("id", Arc::new(Int32Array::from(id.clone())) as ArrayRef),
    ])
    .unwrap();
    let path = dir.path().join("i.parquet");
    write(&path, &b, 37, Compression::SNAPPY);
    let s = StatsSpec::new("y").folds(Folds::ById {
        column: "id".into(),
        k: 3,
    });
    let got = ParquetSource::open(&path)
        .unwrap()
        .stats::<f64>(&s, |_| {})
        .unwrap();
    let xm = ColMajor::from_fn(n as usize, 1, |i, _| f64::from(x[i]));
    let folds: Vec<usize> = id
        .iter()
        .map(|&i| fold_of_id(i64::from(i) as u64, 3))
        .collect();
    let want = SufficientStats::by_fold(&xm, &y, None, &folds, 3).unwrap();
    for (g, w) in got.iter().zip(&want) {
        assert!(rel_diff(g, w) <= 1e-12);
    }
}
