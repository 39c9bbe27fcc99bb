//! Property test of the svmlight reader: whatever sparse matrix and labels are written by
//! [`write`] (zero- or one-based), [`parse`] reads back exactly the same numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proxreg_io::svmlight::{parse, write, SvmlightData, SvmlightOptions, ZeroBased};

/// A finite `f64` of any magnitude, or zero (not stored) most of the time.
fn entry() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => Just(0.0),
        1 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL,
        1 => -1000.0..1000.0f64,
    ]
}

/// `(labels, dense column-major entries, n, p)`.
fn problem() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, usize, usize)> {
    (0usize..9, 1usize..9).prop_flat_map(|(n, p)| {
        (
            prop::collection::vec(prop::num::f64::NORMAL | prop::num::f64::ZERO, n),
            prop::collection::vec(entry(), n * p),
            Just(n),
            Just(p),
        )
    })
}

fn csc(labels: Vec<f64>, dense: &[f64], n: usize, p: usize) -> SvmlightData {
    let mut col_ptr = vec![0];
    let (mut row_idx, mut values) = (Vec::new(), Vec::new());
    for j in 0..p {
        for i in 0..n {
            let v = dense[j * n + i];
            if v != 0.0 {
                row_idx.push(i);
                values.push(v);
            }
        }
        col_ptr.push(values.len());
    }
    SvmlightData {
        nrows: n,
        ncols: p,
        col_ptr,
        row_idx,
        values,
        labels,
        zero_based: false,
        lines: Vec::new(),
    }
}

proptest! {
    #[test]
    fn write_then_parse_gives_the_same_numbers(
        (labels, dense, n, p) in problem(),
        zero_based in any::<bool>(),
    ) {
        let data = csc(labels, &dense, n, p);
        let mut text = Vec::new();
        write(&mut text, &data, zero_based).unwrap();
        let opts = SvmlightOptions {
            zero_based: if zero_based { ZeroBased::Yes } else { ZeroBased::No },
            n_features: Some(p),
            ..SvmlightOptions::default()
        };
        let back = parse(&text, &opts).unwrap();
        prop_assert_eq!(back.nrows, n);
        prop_assert_eq!(back.ncols, p);
        prop_assert_eq!(&back.col_ptr, &data.col_ptr);
        prop_assert_eq!(&back.row_idx, &data.row_idx);
        // bitwise: the shortest round-trip form is exact, -0.0 included
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&back.values), bits(&data.values));
        prop_assert_eq!(bits(&back.labels), bits(&data.labels));
        prop_assert_eq!(back.zero_based, zero_based);
        // auto detection reads the same matrix whenever a zero-based file uses index 0
        let auto = parse(&text, &SvmlightOptions { n_features: Some(p), ..SvmlightOptions::default() }).unwrap();
        let uses_zero = zero_based && data.col_ptr[1] > 0;
        if uses_zero || !zero_based {
            prop_assert_eq!(&auto.values, &back.values);
            prop_assert_eq!(auto.zero_based, zero_based);
        }
    }

    #[test]
    fn arbitrary_text_is_a_result_never_a_panic(s in "[0-9:# .qide+\\-\t\r\nNa]{0,60}") {
        let small = SvmlightOptions { max_features: 1 << 12, ..SvmlightOptions::default() };
        if let Ok(d) = parse(s.as_bytes(), &small) {
            prop_assert_eq!(d.col_ptr.len(), d.ncols + 1);
            prop_assert_eq!(d.labels.len(), d.nrows);
            prop_assert!(d.values.iter().chain(&d.labels).all(|v| v.is_finite()));
            prop_assert!(d.row_idx.iter().all(|&r| r < d.nrows));
        }
    }
}
