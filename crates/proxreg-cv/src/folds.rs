//! Fold assignments: K-fold splits (scikit-learn's `KFold`) and user fold ids (glmnet's `foldid`).

use proxreg_core::{Error, Result, Scalar};

/// K-fold splitter, producing the same contiguous folds as scikit-learn's `KFold`: the samples
/// (in order, or permuted when shuffled) are cut into `n_splits` contiguous blocks, the first
/// `n % n_splits` blocks holding one extra sample.
///
/// Shuffling uses proxreg's own seeded generator (SplitMix64 + Fisher–Yates): deterministic for
/// a seed, but not the permutation numpy would draw.
///
/// ```
/// use proxreg_cv::KFold;
/// let folds = KFold::new(3).split(7)?;
/// assert_eq!(folds.test(0), &[0, 1, 2]);
/// assert_eq!(folds.test(1), &[3, 4]);
/// assert_eq!(folds.train(1), vec![0, 1, 2, 5, 6]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KFold {
    /// Number of folds `K >= 2`.
    pub n_splits: usize,
    /// `Some(seed)`: permute the samples (seeded) before cutting them into blocks.
    pub shuffle: Option<u64>,
}

impl Default for KFold {
    /// Five folds, no shuffling (scikit-learn's and the estimators' default).
    fn default() -> Self {
        Self::new(5)
    }
}

impl KFold {
    /// `n_splits` contiguous folds, no shuffling.
    pub fn new(n_splits: usize) -> Self {
        Self {
            n_splits,
            shuffle: None,
        }
    }

    /// Shuffle with this seed before splitting (`None`: no shuffling).
    #[must_use]
    pub fn shuffle(mut self, seed: Option<u64>) -> Self {
        self.shuffle = seed;
        self
    }

    /// The folds of `n_samples` samples.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`n_splits`) when `n_splits < 2` or `n_splits > n_samples`.
    pub fn split(&self, n_samples: usize) -> Result<Folds> {
        let k = self.n_splits;
        if k < 2 {
            return Err(Error::InvalidParameter {
                name: "n_splits",
                value: k as f64,
                expected: ">= 2",
            });
        }
        if k > n_samples {
            return Err(Error::InvalidParameter {
                name: "n_splits",
                value: k as f64,
                expected: "<= the number of samples",
            });
        }
        let mut order: Vec<usize> = (0..n_samples).collect();
        if let Some(seed) = self.shuffle {
            let mut rng = SplitMix64(seed);
            for i in (1..n_samples).rev() {
                let j = rng.below(i + 1);
                order.swap(i, j);
            }
        }
        let (base, extra) = (n_samples / k, n_samples % k);
        let mut tests = Vec::with_capacity(k);
        let mut start = 0;
        for f in 0..k {
            let len = base + usize::from(f < extra);
            let mut t = order[start..start + len].to_vec();
            t.sort_unstable();
            tests.push(t);
            start += len;
        }
        Ok(Folds { n_samples, tests })
    }
}

/// Stratified K-fold splitter for class labels: every fold holds (as nearly as the counts
/// allow) the same share of each class, as scikit-learn's `StratifiedKFold` — the default
/// splitter of its classifiers' cross-validation. Without shuffling the folds are scikit-learn's
/// exactly: classes are numbered in order of first appearance; the per-fold count of each class
/// is that class's count among the sorted class numbers at positions `f, f + K, f + 2K, …`; and
/// each class's samples, in order, fill fold 0 first, then fold 1, …. With a seed, each class's
/// fold assignments are permuted by proxreg's own generator (deterministic for a seed, not
/// numpy's permutation).
///
/// ```
/// use proxreg_cv::StratifiedKFold;
/// let y = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0];
/// let folds = StratifiedKFold::new(2).split(&y)?;
/// // Each fold gets three of the six 0s and two of the four 1s.
/// assert_eq!(folds.test(0), &[0, 1, 2, 4, 5]);
/// assert_eq!(folds.test(1), &[3, 6, 7, 8, 9]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StratifiedKFold {
    /// Number of folds `K >= 2`.
    pub n_splits: usize,
    /// `Some(seed)`: permute each class's fold assignments (seeded).
    pub shuffle: Option<u64>,
}

impl Default for StratifiedKFold {
    /// Five folds, no shuffling (scikit-learn's default for classifiers).
    fn default() -> Self {
        Self::new(5)
    }
}

impl From<KFold> for StratifiedKFold {
    /// The same number of folds and seed, stratified.
    fn from(k: KFold) -> Self {
        Self {
            n_splits: k.n_splits,
            shuffle: k.shuffle,
        }
    }
}

impl StratifiedKFold {
    /// `n_splits` stratified folds, no shuffling.
    pub fn new(n_splits: usize) -> Self {
        Self {
            n_splits,
            shuffle: None,
        }
    }

    /// Shuffle with this seed (`None`: no shuffling).
    #[must_use]
    pub fn shuffle(mut self, seed: Option<u64>) -> Self {
        self.shuffle = seed;
        self
    }

    /// The folds of the samples with these class labels (any values compared for equality:
    /// `0/1`, or the user's two or more labels).
    ///
    /// # Errors
    /// [`Error::Empty`] for no labels; [`Error::NonFinite`] (`y`) for a NaN or infinite label;
    /// [`Error::InvalidParameter`] (`n_splits`) when `n_splits < 2`, or when it exceeds the size
    /// of every class (no fold could hold each class); [`Error::Empty`] when a fold would be
    /// empty.
    #[allow(clippy::needless_range_loop)]
    pub fn split<T: Scalar>(&self, labels: &[T]) -> Result<Folds> {
        let k = self.n_splits;
        if labels.is_empty() {
            return Err(Error::Empty { what: "y" });
        }
        if let Some(i) = labels.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "y",
                index: i,
            });
        }
        if k < 2 {
            return Err(Error::InvalidParameter {
                name: "n_splits",
                value: k as f64,
                expected: ">= 2",
            });
        }
        // Classes numbered by first appearance.
        let mut classes: Vec<T> = Vec::new();
        let code: Vec<usize> = labels
            .iter()
            .map(|&v| match classes.iter().position(|&c| c == v) {
                Some(c) => c,
                None => {
                    classes.push(v);
                    classes.len() - 1
                }
            })
            .collect();
        let n_classes = classes.len();
        let mut counts = vec![0_usize; n_classes];
        for &c in &code {
            counts[c] += 1;
        }
        if counts.iter().all(|&c| c < k) {
            return Err(Error::InvalidParameter {
                name: "n_splits",
                value: k as f64,
                expected: "<= the size of the largest class",
            });
        }
        // allocation[f][c]: how many of class c fold f tests. The sorted class numbers, dealt
        // round-robin to the folds.
        let mut allocation = vec![vec![0_usize; n_classes]; k];
        let mut pos = 0_usize;
        for (c, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                allocation[pos % k][c] += 1;
                pos += 1;
            }
        }
        let mut fold_of = vec![0_usize; labels.len()];
        let mut rng = self.shuffle.map(SplitMix64);
        for c in 0..n_classes {
            let mut assign: Vec<usize> = (0..k)
                .flat_map(|f| std::iter::repeat_n(f, allocation[f][c]))
                .collect();
            if let Some(r) = rng.as_mut() {
                for i in (1..assign.len()).rev() {
                    let j = r.below(i + 1);
                    assign.swap(i, j);
                }
            }
            let mut it = assign.into_iter();
            for (i, _) in code.iter().enumerate().filter(|&(_, &cc)| cc == c) {
                fold_of[i] = it.next().unwrap_or(0);
            }
        }
        if allocation.iter().any(|a| a.iter().sum::<usize>() == 0) {
            return Err(Error::Empty { what: "fold" });
        }
        Folds::from_fold_ids(&fold_of)
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, enough for shuffling.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..m` (`m >= 1`), by rejection (no modulo bias).
    pub(crate) fn below(&mut self, m: usize) -> usize {
        let m = m as u64;
        let zone = u64::MAX - (u64::MAX % m);
        loop {
            let v = self.next();
            if v < zone {
                return (v % m) as usize;
            }
        }
    }
}

/// A partition of `0..n_samples` into `K >= 2` non-empty test folds (the training set of a
/// fold is the rest). Test indices are sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folds {
    n_samples: usize,
    tests: Vec<Vec<usize>>,
}

impl Folds {
    /// Folds from one fold id per sample (glmnet's `foldid`): sample `i` is tested in fold
    /// `fold_ids[i]`; the ids must be `0..K` with every fold non-empty and `K >= 2`.
    ///
    /// ```
    /// let f = proxreg_cv::Folds::from_fold_ids(&[1, 0, 1, 0, 2])?;
    /// assert_eq!(f.n_folds(), 3);
    /// assert_eq!(f.test(1), &[0, 2]);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Empty`] for no samples or a fold id in `0..K` that no sample uses;
    /// [`Error::InvalidParameter`] (`fold_ids`) when fewer than two folds result.
    pub fn from_fold_ids(fold_ids: &[usize]) -> Result<Self> {
        let Some(&max) = fold_ids.iter().max() else {
            return Err(Error::Empty { what: "fold_ids" });
        };
        // A fold id >= n leaves some fold empty; reject it before allocating `max + 1` folds
        // (a bogus id such as usize::MAX must not be an allocation request).
        if max >= fold_ids.len() {
            return Err(Error::Empty {
                what: "a fold (fold ids must use every value 0..K, K <= the number of samples)",
            });
        }
        let k = max + 1;
        if k < 2 {
            return Err(Error::InvalidParameter {
                name: "fold_ids",
                value: k as f64,
                expected: "at least 2 distinct folds",
            });
        }
        let mut tests = vec![Vec::new(); k];
        for (i, &f) in fold_ids.iter().enumerate() {
            tests[f].push(i);
        }
        if tests.iter().any(Vec::is_empty) {
            return Err(Error::Empty {
                what: "a fold (fold ids must use every value 0..K)",
            });
        }
        Ok(Self {
            n_samples: fold_ids.len(),
            tests,
        })
    }

    /// Folds from explicit test index sets (each sorted on return); together they must
    /// partition `0..n_samples`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for fewer than 2 folds; [`Error::Empty`] for an empty fold;
    /// [`Error::IndexOutOfRange`] for an index `>= n_samples`; [`Error::InvalidParameter`]
    /// (`test_folds`) when a sample is in no fold or in several.
    pub fn from_test_sets(n_samples: usize, tests: Vec<Vec<usize>>) -> Result<Self> {
        if tests.len() < 2 {
            return Err(Error::InvalidParameter {
                name: "test_folds",
                value: tests.len() as f64,
                expected: "at least 2 folds",
            });
        }
        // Checks that need no allocation first: a huge `n_samples` with small folds must be an
        // error, not an allocation of `n_samples` entries.
        let mut total = 0usize;
        for t in &tests {
            if t.is_empty() {
                return Err(Error::Empty {
                    what: "a test fold",
                });
            }
            if let Some(&i) = t.iter().find(|&&i| i >= n_samples) {
                return Err(Error::IndexOutOfRange {
                    what: "test fold samples",
                    index: i,
                    len: n_samples,
                });
            }
            total = total.saturating_add(t.len());
        }
        if total != n_samples {
            return Err(Error::InvalidParameter {
                name: "test_folds",
                value: total as f64,
                expected: "each sample in exactly one fold (as many indices as samples)",
            });
        }
        let mut ids = vec![usize::MAX; n_samples];
        for (f, t) in tests.iter().enumerate() {
            for &i in t {
                if ids[i] != usize::MAX {
                    return Err(Error::InvalidParameter {
                        name: "test_folds",
                        value: i as f64,
                        expected: "each sample in exactly one fold",
                    });
                }
                ids[i] = f;
            }
        }
        if let Some(i) = ids.iter().position(|&v| v == usize::MAX) {
            return Err(Error::InvalidParameter {
                name: "test_folds",
                value: i as f64,
                expected: "each sample in exactly one fold",
            });
        }
        Self::from_fold_ids(&ids)
    }

    /// Number of folds `K`.
    pub fn n_folds(&self) -> usize {
        self.tests.len()
    }

    /// Number of samples partitioned.
    pub fn n_samples(&self) -> usize {
        self.n_samples
    }

    /// The sorted test indices of fold `k` (panics if `k >= n_folds()`, a programmer error).
    pub fn test(&self, k: usize) -> &[usize] {
        &self.tests[k]
    }

    /// The sorted training indices of fold `k` (every sample not in `test(k)`).
    pub fn train(&self, k: usize) -> Vec<usize> {
        let t = &self.tests[k];
        let mut out = Vec::with_capacity(self.n_samples - t.len());
        let mut it = t.iter().peekable();
        for i in 0..self.n_samples {
            if it.peek() == Some(&&i) {
                it.next();
            } else {
                out.push(i);
            }
        }
        out
    }

    /// All test folds.
    pub fn tests(&self) -> &[Vec<usize>] {
        &self.tests
    }
}
