//! The one structured error type of proxreg.

/// Everything that can go wrong in proxreg, with the parameter, shape or location named.
///
/// Messages are lowercase, without a trailing period, and name what is wrong and what was
/// expected. The enum is `#[non_exhaustive]`: match with a wildcard arm.
///
/// ```
/// use proxreg_core::{error::ensure_nonneg_finite, Error};
/// let err = ensure_nonneg_finite("alpha", f64::NAN).unwrap_err();
/// assert!(matches!(err, Error::InvalidParameter { name: "alpha", .. }));
/// assert_eq!(err.to_string(), "invalid parameter `alpha` = NaN: expected a finite number >= 0");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A hyper-parameter is outside its domain (NaN included).
    #[error("invalid parameter `{name}` = {value}: expected {expected}")]
    InvalidParameter {
        /// The parameter's name, as in the API.
        name: &'static str,
        /// The value that was passed, as `f64`.
        value: f64,
        /// The domain that was expected.
        expected: &'static str,
    },
    /// Two sizes that must agree do not.
    #[error("dimension mismatch for {what}: expected {expected}, found {found}")]
    DimensionMismatch {
        /// What was compared, e.g. "y length vs X rows".
        what: &'static str,
        /// The expected size.
        expected: usize,
        /// The size found.
        found: usize,
    },
    /// Data contains NaN or an infinity.
    #[error("{what} contains NaN or infinite values (first at index {index})")]
    NonFinite {
        /// Which input, e.g. "X" or "y".
        what: &'static str,
        /// The first offending (flat) index.
        index: usize,
    },
    /// An input that must not be empty is empty.
    #[error("{what} is empty")]
    Empty {
        /// Which input.
        what: &'static str,
    },
    /// An index is out of range.
    #[error("index {index} out of range for {what} of length {len}")]
    IndexOutOfRange {
        /// What was indexed.
        what: &'static str,
        /// The offending index.
        index: usize,
        /// The valid length.
        len: usize,
    },
    /// Feature groups that do not partition the features: an empty group (`index` is the
    /// group's number), or a feature listed twice or in no group (`index` is the feature).
    /// Indices `>= p` are [`Error::IndexOutOfRange`].
    #[error("invalid feature groups: {what} (index {index})")]
    InvalidGroups {
        /// What is wrong.
        what: &'static str,
        /// The offending group or feature.
        index: usize,
    },
    /// A compressed sparse matrix (CSC) whose index arrays break the format's rules: `col_ptr`
    /// not starting at 0 or decreasing, a negative index or one that does not fit the index
    /// type, row indices of a column not strictly increasing (unsorted or duplicated).
    /// Shape mismatches are [`Error::DimensionMismatch`], row indices `>= nrows`
    /// [`Error::IndexOutOfRange`] and NaN or infinite values [`Error::NonFinite`].
    #[error("invalid sparse matrix: {what} (at position {position})")]
    InvalidSparse {
        /// What is wrong, naming the array (`col_ptr`, `row_idx`).
        what: &'static str,
        /// The offending position in that array.
        position: usize,
    },
    /// The targets do not suit the datafit: a value outside its domain (the logistic datafit's
    /// `y` must lie in `[0, 1]`), or targets without the variation the model needs (a logistic
    /// model with an intercept and one class only has no finite optimum).
    #[error("invalid target for the {datafit} datafit: {reason}{}", at_index(*.index))]
    InvalidTarget {
        /// The datafit's name (`"logistic"`).
        datafit: &'static str,
        /// The first offending (flat) index of `y`, when one entry is at fault.
        index: Option<usize>,
        /// What is wrong and what was expected.
        reason: &'static str,
    },
    /// A solver did not reach its tolerance (only when strict convergence was requested).
    #[error(
        "no convergence after {iterations} iterations (criterion {criterion:.3e} > tol {tol:.3e})"
    )]
    NotConverged {
        /// Iterations performed.
        iterations: usize,
        /// The final stopping criterion.
        criterion: f64,
        /// The tolerance that was asked for.
        tol: f64,
    },
    /// A numerical routine failed (e.g. a matrix that should be positive definite is not).
    #[error("numerical failure in {what}: {reason}")]
    Numerical {
        /// The routine.
        what: &'static str,
        /// Why it failed.
        reason: &'static str,
    },
    /// The operation is not defined for this input (e.g. `alpha_max` of a ridge penalty).
    #[error("{what} is not available: {reason}")]
    Unsupported {
        /// The operation.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A classifier's cross-validation fold lacks a class of the full data: its training rows
    /// (the fold's fit cannot model a class it never sees: a multinomial intercept would tend
    /// to `−∞`) or, for a measure that needs every class (the one-vs-rest AUC), its held-out
    /// rows. Rows of zero weight do not count.
    #[error(
        "cross-validation fold {fold}: its {part} rows hold no sample of positive weight of \
         class {class}; use fewer folds, stratified folds or other fold ids"
    )]
    FoldMissingClass {
        /// The fold (`0..K`, in the order of the folds).
        fold: usize,
        /// `"training"` or `"held-out"`.
        part: &'static str,
        /// The missing class's label.
        class: f64,
    },
}

fn at_index(index: Option<usize>) -> String {
    index.map_or_else(String::new, |i| format!(" (at y[{i}])"))
}

/// `Result` with proxreg's [`Error`] as the default error type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Checks `x` is finite and `>= 0` (NaN-safe; `-0.0` passes).
///
/// # Errors
/// [`Error::InvalidParameter`] naming `name` otherwise.
pub fn ensure_nonneg_finite<T: crate::Scalar>(name: &'static str, x: T) -> Result<T> {
    let ok = x.is_finite() && x >= T::zero();
    if ok {
        Ok(x)
    } else {
        Err(Error::InvalidParameter {
            name,
            value: x.as_f64(),
            expected: "a finite number >= 0",
        })
    }
}

/// Checks `x` is finite and `> 0` (NaN-safe).
///
/// # Errors
/// [`Error::InvalidParameter`] naming `name` otherwise.
pub fn ensure_positive_finite<T: crate::Scalar>(name: &'static str, x: T) -> Result<T> {
    let ok = x.is_finite() && x > T::zero();
    if ok {
        Ok(x)
    } else {
        Err(Error::InvalidParameter {
            name,
            value: x.as_f64(),
            expected: "a finite number > 0",
        })
    }
}

/// Checks every entry of `v` is finite.
///
/// # Errors
/// [`Error::NonFinite`] with the first offending index.
pub fn ensure_all_finite<T: crate::Scalar>(what: &'static str, v: &[T]) -> Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(index) => Err(Error::NonFinite { what, index }),
    }
}

/// Checks a design matrix of shape `n × p` has at least one row and one column.
///
/// # Errors
/// [`Error::Empty`] naming `"X (no rows)"` or `"X (no columns)"`, rows checked first.
///
/// ```
/// use proxreg_core::error::{ensure_nonempty_design, Error};
/// assert!(ensure_nonempty_design(3, 2).is_ok());
/// assert!(matches!(ensure_nonempty_design(0, 2), Err(Error::Empty { what: "X (no rows)" })));
/// assert!(matches!(ensure_nonempty_design(3, 0), Err(Error::Empty { what: "X (no columns)" })));
/// ```
pub fn ensure_nonempty_design(n: usize, p: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::Empty {
            what: "X (no rows)",
        });
    }
    if p == 0 {
        return Err(Error::Empty {
            what: "X (no columns)",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_static() {
        fn ok<E: std::error::Error + Send + Sync + 'static>() {}
        ok::<Error>();
    }

    #[test]
    fn validation_rejects_nan_and_accepts_negative_zero() {
        assert!(ensure_nonneg_finite("alpha", f64::NAN).is_err());
        assert!(ensure_nonneg_finite("alpha", -1e-300_f64).is_err());
        assert!(ensure_nonneg_finite("alpha", f64::INFINITY).is_err());
        assert_eq!(ensure_nonneg_finite("alpha", -0.0_f64), Ok(-0.0));
        assert!(ensure_positive_finite("tol", 0.0_f32).is_err());
        assert!(ensure_positive_finite("tol", f32::NAN).is_err());
        assert_eq!(
            ensure_all_finite("y", &[1.0, f64::NAN, f64::INFINITY]),
            Err(Error::NonFinite {
                what: "y",
                index: 1
            })
        );
    }
}
