//! Learning-rate schedules: a multiplier of every group's base learning rate, per step.
//!
//! Step `k` (counted from `0` for the first call to `step`) uses the learning rate
//! `lr_g · m(k)` in group `g`, where `m` is the optimizer's [`LrSchedule`] (by default
//! [`Constant`], `m(k) = 1`). Any closure `Fn(usize) -> T + Send + Sync` is a schedule.
//! The multiplier is checked at every step (finite and `>= 0`, NaN-safe) before anything is
//! modified.
//!
//! ```
//! use proxreg_optim::schedule::{Cosine, LrSchedule, StepDecay};
//! let step = StepDecay::new(10, 0.5_f64)?;
//! assert_eq!(step.multiplier(9), 1.0);
//! assert_eq!(step.multiplier(10), 0.5);
//! let cos = Cosine::new(100, 0.0_f64)?;
//! assert_eq!(cos.multiplier(0), 1.0);
//! assert!((cos.multiplier(50) - 0.5).abs() < 1e-15);
//! let warmup = |k: usize| ((k + 1) as f64 / 10.0).min(1.0); // a closure is a schedule
//! assert_eq!(LrSchedule::<f64>::multiplier(&warmup, 4), 0.5);
//! # Ok::<(), proxreg_core::Error>(())
//! ```

use proxreg_core::{error, Error, Result, Scalar};

/// A learning-rate schedule: the multiplier `m(k)` of the base learning rates at step `k`.
pub trait LrSchedule<T: Scalar>: Send + Sync {
    /// `m(k)` for step `k` (`0` for the first step). Must be finite and `>= 0`.
    fn multiplier(&self, step: usize) -> T;
}

impl<T: Scalar, F> LrSchedule<T> for F
where
    F: Fn(usize) -> T + Send + Sync,
{
    fn multiplier(&self, step: usize) -> T {
        self(step)
    }
}

/// `m(k) = 1`: the base learning rates, unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Constant;

impl<T: Scalar> LrSchedule<T> for Constant {
    fn multiplier(&self, _step: usize) -> T {
        T::one()
    }
}

/// Step decay, `m(k) = γ^⌊k / s⌋`: the rate is multiplied by `γ` every `s` steps
/// (PyTorch's `StepLR`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepDecay<T> {
    step_size: usize,
    gamma: T,
}

impl<T: Scalar> StepDecay<T> {
    /// Multiply by `gamma` every `step_size` steps.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `step_size == 0` or `gamma` is not finite and `> 0`.
    pub fn new(step_size: usize, gamma: T) -> Result<Self> {
        if step_size == 0 {
            return Err(Error::InvalidParameter {
                name: "step_size",
                value: 0.0,
                expected: "an integer >= 1",
            });
        }
        let gamma = error::ensure_positive_finite("gamma", gamma)?;
        Ok(Self { step_size, gamma })
    }
}

impl<T: Scalar> LrSchedule<T> for StepDecay<T> {
    fn multiplier(&self, step: usize) -> T {
        let e = i32::try_from(step / self.step_size).unwrap_or(i32::MAX);
        self.gamma.powi(e)
    }
}

/// Cosine annealing over `total` steps, then flat:
/// `m(k) = m_min + (1 − m_min)·½(1 + cos(π·min(k, total)/total))`
/// (PyTorch's `CosineAnnealingLR` with `eta_min = m_min · lr`, without restarts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cosine<T> {
    total: usize,
    min_factor: T,
}

impl<T: Scalar> Cosine<T> {
    /// Anneal from `1` to `min_factor` over `total` steps.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `total == 0` or `min_factor` is not in `[0, 1]` (NaN-safe).
    pub fn new(total: usize, min_factor: T) -> Result<Self> {
        if total == 0 {
            return Err(Error::InvalidParameter {
                name: "total",
                value: 0.0,
                expected: "an integer >= 1",
            });
        }
        let ok = min_factor.is_finite() && min_factor >= T::zero() && min_factor <= T::one();
        if !ok {
            return Err(Error::InvalidParameter {
                name: "min_factor",
                value: min_factor.as_f64(),
                expected: "a number in [0, 1]",
            });
        }
        Ok(Self { total, min_factor })
    }
}

impl<T: Scalar> LrSchedule<T> for Cosine<T> {
    fn multiplier(&self, step: usize) -> T {
        let frac = T::from_count(step.min(self.total)) / T::from_count(self.total);
        let c = T::lit(0.5) * (T::one() + (T::lit(core::f64::consts::PI) * frac).cos());
        self.min_factor + (T::one() - self.min_factor) * c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedules<T: Scalar>() {
        let tol = T::lit(8.0) * T::epsilon();
        assert_eq!(LrSchedule::<T>::multiplier(&Constant, 0), T::one());
        assert_eq!(LrSchedule::<T>::multiplier(&Constant, 12345), T::one());

        let s = StepDecay::new(10, T::lit(0.5)).unwrap();
        for k in 0..10 {
            assert_eq!(s.multiplier(k), T::one());
        }
        assert_eq!(s.multiplier(10), T::lit(0.5));
        assert_eq!(s.multiplier(19), T::lit(0.5));
        assert_eq!(s.multiplier(25), T::lit(0.25));
        assert_eq!(s.multiplier(usize::MAX), T::zero()); // 0.5^(huge) underflows, no panic

        let c = Cosine::new(100, T::lit(0.1)).unwrap();
        assert_eq!(c.multiplier(0), T::one());
        assert!((c.multiplier(50) - T::lit(0.55)).abs() <= tol);
        assert!((c.multiplier(100) - T::lit(0.1)).abs() <= tol);
        assert_eq!(c.multiplier(100), c.multiplier(1000));
        // monotone non-increasing over the annealing window
        for k in 0..100 {
            assert!(c.multiplier(k + 1) <= c.multiplier(k));
        }
        // a closure
        let f = |k: usize| T::one() / T::from_count(k + 1);
        assert_eq!(f.multiplier(3), T::lit(0.25));
    }

    #[test]
    fn schedules_f32() {
        schedules::<f32>();
    }

    #[test]
    fn schedules_f64() {
        schedules::<f64>();
    }

    #[test]
    fn schedule_parameters_are_validated_nan_safe() {
        assert!(StepDecay::new(0, 0.5_f64).is_err());
        assert!(StepDecay::new(3, f64::NAN).is_err());
        assert!(StepDecay::new(3, 0.0_f32).is_err());
        assert!(StepDecay::new(3, f32::INFINITY).is_err());
        assert!(Cosine::new(0, 0.0_f64).is_err());
        assert!(Cosine::new(5, f64::NAN).is_err());
        assert!(Cosine::new(5, -0.1_f32).is_err());
        assert!(Cosine::new(5, 1.5_f64).is_err());
        assert!(matches!(
            Cosine::new(5, f64::NAN),
            Err(Error::InvalidParameter {
                name: "min_factor",
                ..
            })
        ));
    }
}
