//! Input decoding shared by the fuzz targets (included with `#[path]`).
#![allow(dead_code)]

use arbitrary::{Result, Unstructured};

/// A scalar drawn mostly from "nice" values (multiples of 1/8 in [-16, 16]) and sometimes
/// from every finite bit pattern, so that both the ordinary and the extreme ranges are hit.
pub fn finite_f64(u: &mut Unstructured<'_>) -> Result<f64> {
    let sel: u8 = u.arbitrary()?;
    Ok(match sel {
        0..=199 => f64::from(u.arbitrary::<i8>()?) / 8.0,
        200..=229 => {
            let m = f64::from(u.arbitrary::<i8>()?);
            let e = i32::from(u.arbitrary::<i8>()?) * 2; // 10^(-256..254)
            m * 10f64.powi(e)
        }
        _ => {
            let v = f64::from_bits(u.arbitrary()?);
            if v.is_finite() {
                v
            } else {
                0.0
            }
        }
    })
}

/// Like [`finite_f64`] but may also be NaN or ±inf (hostile data).
pub fn any_f64(u: &mut Unstructured<'_>) -> Result<f64> {
    let sel: u8 = u.arbitrary()?;
    Ok(match sel {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => f64::NEG_INFINITY,
        _ => finite_f64(u)?,
    })
}

/// A finite `f32` (non-finite conversions become 0).
pub fn finite_f32(u: &mut Unstructured<'_>) -> Result<f32> {
    let v = finite_f64(u)? as f32;
    Ok(if v.is_finite() { v } else { 0.0 })
}

/// `len` values drawn with `draw`.
pub fn vec_of<T>(
    u: &mut Unstructured<'_>,
    len: usize,
    mut draw: impl FnMut(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    (0..len).map(|_| draw(u)).collect()
}
