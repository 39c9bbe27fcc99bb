//! Closed-form proximal kernels shared by the built-in penalties.

use crate::Scalar;

/// Soft-thresholding, `sign(v) · max(|v| − t, 0)`: the prox of `t·|·|`. NaN in `v` or `t`
/// gives NaN.
///
/// ```
/// use proxreg_core::penalty::soft_threshold;
/// assert_eq!(soft_threshold(3.0_f64, 1.0), 2.0);
/// assert_eq!(soft_threshold(-0.5_f64, 1.0), 0.0);
/// ```
#[inline]
pub fn soft_threshold<T: Scalar>(v: T, t: T) -> T {
    if v > t {
        v - t
    } else if v < -t {
        v + t
    } else if v.is_nan() || t.is_nan() {
        T::nan()
    } else {
        T::zero()
    }
}

/// Block soft-thresholding, `v · max(1 − t/‖v‖₂, 0)`: the prox of `t·‖·‖₂`, in place.
///
/// ```
/// use proxreg_core::penalty::block_soft_threshold;
/// let mut v = [3.0_f64, 4.0];
/// block_soft_threshold(&mut v, 2.5);
/// assert_eq!(v, [1.5, 2.0]);
/// ```
#[inline]
pub fn block_soft_threshold<T: Scalar>(v: &mut [T], t: T) {
    let nrm = super::norm2(v);
    if nrm <= t {
        v.iter_mut().for_each(|x| *x = T::zero());
    } else {
        let shrink = T::one() - t / nrm;
        v.iter_mut().for_each(|x| *x *= shrink);
    }
}
