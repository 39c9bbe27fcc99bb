//! What every optimizer shares: the groups, the schedule, the step counter and the checks made
//! before a step modifies anything.

use proxreg_core::{Error, Result, Scalar};

use crate::groups::ParamGroups;
use crate::schedule::{Constant, LrSchedule};

pub(crate) struct Driver<T: Scalar> {
    pub(crate) groups: ParamGroups<T>,
    schedule: Box<dyn LrSchedule<T>>,
    steps: usize,
}

impl<T: Scalar> core::fmt::Debug for Driver<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Driver")
            .field("groups", &self.groups)
            .field("steps", &self.steps)
            .finish_non_exhaustive()
    }
}

impl<T: Scalar> Driver<T> {
    pub(crate) fn new(groups: ParamGroups<T>) -> Self {
        Self {
            groups,
            schedule: Box::new(Constant),
            steps: 0,
        }
    }

    pub(crate) fn set_schedule(&mut self, schedule: impl LrSchedule<T> + 'static) {
        self.schedule = Box::new(schedule);
    }

    pub(crate) fn steps(&self) -> usize {
        self.steps
    }

    pub(crate) fn reset(&mut self) {
        self.steps = 0;
    }

    /// The schedule's multiplier for the next step, validated.
    pub(crate) fn multiplier(&self) -> Result<T> {
        let m = self.schedule.multiplier(self.steps);
        let ok = m.is_finite() && m >= T::zero();
        if ok {
            Ok(m)
        } else {
            Err(Error::InvalidParameter {
                name: "lr schedule multiplier",
                value: m.as_f64(),
                expected: "a finite number >= 0",
            })
        }
    }

    /// The learning rate group `g` will use at the next step.
    pub(crate) fn current_lr(&self, g: usize) -> Result<T> {
        let info = self.groups.get(g).ok_or(Error::IndexOutOfRange {
            what: "parameter groups",
            index: g,
            len: self.groups.group_count(),
        })?;
        Ok(info.lr * self.multiplier()?)
    }

    /// Every check of a step, before anything is modified; returns the schedule multiplier.
    pub(crate) fn begin<P: AsMut<[T]>, G: AsRef<[T]>>(
        &self,
        params: &mut [P],
        grads: &[G],
    ) -> Result<T> {
        self.groups.check_step(params, grads)?;
        self.multiplier()
    }

    pub(crate) fn finish(&mut self) {
        self.steps += 1;
    }
}

/// Checks `x` is finite and in `[0, 1)` (NaN-safe).
pub(crate) fn ensure_unit_open<T: Scalar>(name: &'static str, x: T) -> Result<T> {
    let ok = x.is_finite() && x >= T::zero() && x < T::one();
    if ok {
        Ok(x)
    } else {
        Err(Error::InvalidParameter {
            name,
            value: x.as_f64(),
            expected: "a finite number in [0, 1)",
        })
    }
}
