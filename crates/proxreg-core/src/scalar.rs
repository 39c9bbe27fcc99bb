//! The real scalar type proxreg is generic over.

use num_traits::{Float, FromPrimitive, NumAssign, ToPrimitive};

/// A real floating-point scalar: implemented for `f32` and `f64` by a blanket impl.
///
/// Every crate of the workspace is generic over `T: Scalar`; both precisions are tested.
///
/// ```
/// use proxreg_core::Scalar;
/// fn half<T: Scalar>(x: T) -> T { x * T::lit(0.5) }
/// assert_eq!(half(3.0_f32), 1.5);
/// assert_eq!(half(3.0_f64), 1.5);
/// ```
pub trait Scalar:
    Float
    + NumAssign
    + FromPrimitive
    + ToPrimitive
    + core::iter::Sum
    + core::fmt::Debug
    + core::fmt::Display
    + Default
    + Send
    + Sync
    + 'static
{
    /// Converts an `f64` literal (NaN if it is not representable, which validation then rejects).
    #[inline]
    fn lit(x: f64) -> Self {
        Self::from_f64(x).unwrap_or_else(Self::nan)
    }

    /// Converts a count (`usize`) to the scalar type.
    #[inline]
    fn from_count(n: usize) -> Self {
        Self::from_usize(n).unwrap_or_else(Self::nan)
    }

    /// The value as `f64`, for error messages and reports (NaN if not convertible).
    #[inline]
    fn as_f64(self) -> f64 {
        self.to_f64().unwrap_or(f64::NAN)
    }
}

impl<T> Scalar for T where
    T: Float
        + NumAssign
        + FromPrimitive
        + ToPrimitive
        + core::iter::Sum
        + core::fmt::Debug
        + core::fmt::Display
        + Default
        + Send
        + Sync
        + 'static
{
}
