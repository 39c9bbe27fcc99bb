//! Stochastic gradient descent with momentum and (coupled) weight decay.

use proxreg_core::{error, Result, Scalar};

use crate::driver::{ensure_unit_open, Driver};
use crate::groups::{ParamGroup, ParamGroups};
use crate::schedule::LrSchedule;
use crate::Optimizer;

/// How the momentum buffer enters the update.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MomentumKind {
    /// Heavy ball: `w ← w − η·b` with `b ← μ·b + g`.
    #[default]
    Classical,
    /// Nesterov (PyTorch's form): `w ← w − η·(g + μ·b)` with `b ← μ·b + g`.
    Nesterov,
}

/// SGD with momentum and weight decay, PyTorch's convention (no dampening).
///
/// At step `k`, in group `g` with learning rate `η = lr_g·m(k)` and weight decay `λ = λ_g`, with
/// `∇` the gradient of the data loss:
///
/// ```text
/// d ← ∇ + λ·w                      (weight decay = the gradient of (λ/2)‖w‖²)
/// b ← μ·b + d                      (only if μ > 0; b starts at 0, so the first b is d)
/// d ← b        (Classical)   or   d ← d + μ·b   (Nesterov)
/// w ← w − η·d
/// ```
///
/// So SGD with weight decay `λ` is exactly SGD on `loss + (λ/2)‖w‖²`.
///
/// ```
/// use proxreg_optim::{Optimizer, ParamGroup, Sgd};
/// let mut opt = Sgd::params().lr(0.1).weight_decay(0.5).build(vec![ParamGroup::new("w", &[2])])?;
/// let mut w = vec![1.0_f64, -2.0];
/// opt.step(&mut [&mut w[..]], &[&[0.0, 0.0][..]])?; // w ← w − 0.1·0.5·w
/// assert_eq!(w, vec![0.95, -1.9]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug)]
pub struct Sgd<T: Scalar> {
    driver: Driver<T>,
    momentum: T,
    kind: MomentumKind,
    /// Momentum buffer, one entry per parameter (empty when `momentum == 0`).
    buf: Vec<T>,
}

/// Hyper-parameters of [`Sgd`]; defaults: `lr = 1e-3`, `momentum = 0`, `weight_decay = 0`,
/// [`MomentumKind::Classical`]. Validated by [`build`](Self::build).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SgdParams<T> {
    lr: T,
    momentum: T,
    weight_decay: T,
    kind: MomentumKind,
}

impl<T: Scalar> Default for SgdParams<T> {
    fn default() -> Self {
        Self {
            lr: T::lit(1e-3),
            momentum: T::zero(),
            weight_decay: T::zero(),
            kind: MomentumKind::Classical,
        }
    }
}

impl<T: Scalar> SgdParams<T> {
    /// Default learning rate of the groups (finite, `> 0`).
    #[must_use]
    pub fn lr(mut self, lr: T) -> Self {
        self.lr = lr;
        self
    }
    /// Momentum `μ` in `[0, 1)`.
    #[must_use]
    pub fn momentum(mut self, momentum: T) -> Self {
        self.momentum = momentum;
        self
    }
    /// Default weight decay `λ` of the groups (finite, `>= 0`).
    #[must_use]
    pub fn weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }
    /// Classical (heavy ball) or Nesterov momentum.
    #[must_use]
    pub fn momentum_kind(mut self, kind: MomentumKind) -> Self {
        self.kind = kind;
        self
    }

    /// Validates the hyper-parameters and the groups and allocates the state (once).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter) for `lr` not finite
    /// `> 0`, `momentum` not in `[0, 1)`, `weight_decay` not finite `>= 0` (also per group);
    /// [`Error::Empty`](proxreg_core::Error::Empty) for no groups or a group without tensors.
    pub fn build(self, groups: Vec<ParamGroup<T>>) -> Result<Sgd<T>> {
        let lr = error::ensure_positive_finite("lr", self.lr)?;
        let wd = error::ensure_nonneg_finite("weight_decay", self.weight_decay)?;
        let momentum = ensure_unit_open("momentum", self.momentum)?;
        let groups = ParamGroups::resolve(groups, lr, wd)?;
        let buf = if momentum > T::zero() {
            vec![T::zero(); groups.total_len()]
        } else {
            Vec::new()
        };
        Ok(Sgd {
            driver: Driver::new(groups),
            momentum,
            kind: self.kind,
            buf,
        })
    }
}

impl<T: Scalar> Sgd<T> {
    /// The default hyper-parameters, to adjust and [`build`](SgdParams::build).
    pub fn params() -> SgdParams<T> {
        SgdParams::default()
    }

    /// Replaces the learning-rate schedule (builder form of [`set_schedule`](Self::set_schedule)).
    #[must_use]
    pub fn with_schedule(mut self, schedule: impl LrSchedule<T> + 'static) -> Self {
        self.driver.set_schedule(schedule);
        self
    }

    /// Replaces the learning-rate schedule; it is evaluated at the current step count.
    pub fn set_schedule(&mut self, schedule: impl LrSchedule<T> + 'static) {
        self.driver.set_schedule(schedule);
    }

    /// The momentum buffer `b`, flat over all tensors (empty when `momentum == 0`).
    pub fn momentum_buffer(&self) -> &[T] {
        &self.buf
    }
}

impl<T: Scalar> Optimizer<T> for Sgd<T> {
    fn step<P: AsMut<[T]>, G: AsRef<[T]>>(&mut self, params: &mut [P], grads: &[G]) -> Result<()> {
        let mult = self.driver.begin(params, grads)?;
        let groups = &self.driver.groups;
        let mu = self.momentum;
        for g in 0..groups.group_count() {
            let lr = groups.lr_of(g) * mult;
            let wd = groups.weight_decay_of(g);
            for i in groups.tensors_of(g) {
                let w = params[i].as_mut();
                let grad = grads[i].as_ref();
                if mu > T::zero() {
                    let b = &mut self.buf[groups.flat_range(i)];
                    for ((wj, &gj), bj) in w.iter_mut().zip(grad).zip(b.iter_mut()) {
                        let d = gj + wd * *wj;
                        *bj = mu * *bj + d;
                        let dir = match self.kind {
                            MomentumKind::Classical => *bj,
                            MomentumKind::Nesterov => d + mu * *bj,
                        };
                        *wj -= lr * dir;
                    }
                } else {
                    for (wj, &gj) in w.iter_mut().zip(grad) {
                        let d = gj + wd * *wj;
                        *wj -= lr * d;
                    }
                }
            }
        }
        self.driver.finish();
        Ok(())
    }

    fn groups(&self) -> &ParamGroups<T> {
        &self.driver.groups
    }

    fn steps_taken(&self) -> usize {
        self.driver.steps()
    }

    fn current_lr(&self, group: usize) -> Result<T> {
        self.driver.current_lr(group)
    }

    fn reset(&mut self) {
        self.driver.reset();
        self.buf.iter_mut().for_each(|b| *b = T::zero());
    }
}
