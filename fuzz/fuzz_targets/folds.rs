//! Fold construction: `KFold::split`, `Folds::from_fold_ids`, `Folds::from_test_sets` on
//! arbitrary sizes, seeds, ids and index sets. Ok or a typed error, never a panic, a hang or an
//! allocation sized by a bogus id; an Ok is a partition of `0..n` into `K >= 2` non-empty,
//! sorted test folds whose training sets are the complements.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use proxreg_cv::{Folds, KFold};

fn check_partition(f: &Folds, n: usize) {
    assert_eq!(f.n_samples(), n);
    assert!(f.n_folds() >= 2);
    let mut seen = vec![false; n];
    for k in 0..f.n_folds() {
        let t = f.test(k);
        assert!(!t.is_empty(), "fold {k} is empty");
        assert!(t.windows(2).all(|w| w[0] < w[1]), "fold {k} not sorted");
        for &i in t {
            assert!(i < n && !seen[i], "sample {i} out of range or repeated");
            seen[i] = true;
        }
        let train = f.train(k);
        assert_eq!(train.len() + t.len(), n);
        assert!(train.iter().all(|i| t.binary_search(i).is_err()));
    }
    assert!(seen.iter().all(|&s| s), "not a partition");
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    match u.int_in_range(0..=2u8)? {
        0 => {
            let n = u.int_in_range(0..=2000usize)?;
            // n_splits anywhere, including 0, 1 and huge.
            let k = if u.arbitrary()? {
                u.arbitrary::<usize>()?
            } else {
                u.int_in_range(0..=40usize)?
            };
            let seed: Option<u64> = u.arbitrary()?;
            if let Ok(f) = KFold::new(k).shuffle(seed).split(n) {
                assert_eq!(f.n_folds(), k);
                check_partition(&f, n);
            }
        }
        1 => {
            let len = u.int_in_range(0..=300usize)?;
            let ids = (0..len)
                .map(|_| -> Result<usize> {
                    Ok(if u.ratio(1u8, 16)? {
                        u.arbitrary()?
                    } else {
                        u.int_in_range(0..=8)?
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            if let Ok(f) = Folds::from_fold_ids(&ids) {
                check_partition(&f, ids.len());
                for (i, &id) in ids.iter().enumerate() {
                    assert!(f.test(id).binary_search(&i).is_ok());
                }
            }
        }
        _ => {
            let n = if u.ratio(1u8, 16)? {
                u.arbitrary()?
            } else {
                u.int_in_range(0..=200usize)?
            };
            let nf = u.int_in_range(0..=8usize)?;
            let mut tests = Vec::with_capacity(nf);
            for _ in 0..nf {
                let len = u.int_in_range(0..=40usize)?;
                let t = (0..len)
                    .map(|_| -> Result<usize> {
                        Ok(if u.ratio(1u8, 32)? {
                            u.arbitrary()?
                        } else {
                            u.int_in_range(0..=200)?
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                tests.push(t);
            }
            if let Ok(f) = Folds::from_test_sets(n, tests) {
                check_partition(&f, n);
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
