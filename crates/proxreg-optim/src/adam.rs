//! Adam with coupled L2 ([`Adam`]) and with decoupled weight decay ([`AdamW`]).

use core::marker::PhantomData;

use proxreg_core::{error, Result, Scalar};

use crate::driver::{ensure_unit_open, Driver};
use crate::groups::{ParamGroup, ParamGroups};
use crate::schedule::LrSchedule;
use crate::Optimizer;

/// Where the weight decay enters Adam.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decay {
    /// `g ← g + λw` before the moments (Adam + L2).
    Coupled,
    /// `w ← w(1 − ηλ)` outside the adaptive scaling (AdamW).
    Decoupled,
}

/// The state and update shared by [`Adam`] and [`AdamW`].
#[derive(Debug)]
struct AdamCore<T: Scalar> {
    driver: Driver<T>,
    beta1: T,
    beta2: T,
    eps: T,
    /// First moment `m`, flat over all tensors.
    m: Vec<T>,
    /// Second moment `v`, flat over all tensors.
    v: Vec<T>,
}

impl<T: Scalar> AdamCore<T> {
    fn step<P: AsMut<[T]>, G: AsRef<[T]>>(
        &mut self,
        params: &mut [P],
        grads: &[G],
        decay: Decay,
    ) -> Result<()> {
        let mult = self.driver.begin(params, grads)?;
        let t = i32::try_from(self.driver.steps().saturating_add(1)).unwrap_or(i32::MAX);
        let (b1, b2, eps) = (self.beta1, self.beta2, self.eps);
        let one = T::one();
        let bc1 = one - b1.powi(t);
        let bc2_sqrt = (one - b2.powi(t)).sqrt();
        let groups = &self.driver.groups;
        for g in 0..groups.group_count() {
            let lr = groups.lr_of(g) * mult;
            let wd = groups.weight_decay_of(g);
            let step_size = lr / bc1;
            let shrink = one - lr * wd;
            for i in groups.tensors_of(g) {
                let w = params[i].as_mut();
                let grad = grads[i].as_ref();
                let r = groups.flat_range(i);
                let m = &mut self.m[r.clone()];
                let v = &mut self.v[r];
                for (((wj, &gj), mj), vj) in w.iter_mut().zip(grad).zip(m).zip(v) {
                    let d = match decay {
                        Decay::Coupled => gj + wd * *wj,
                        Decay::Decoupled => {
                            *wj *= shrink;
                            gj
                        }
                    };
                    *mj = b1 * *mj + (one - b1) * d;
                    *vj = b2 * *vj + (one - b2) * d * d;
                    let denom = vj.sqrt() / bc2_sqrt + eps;
                    *wj -= step_size * (*mj / denom);
                }
            }
        }
        self.driver.finish();
        Ok(())
    }

    fn reset(&mut self) {
        self.driver.reset();
        self.m.iter_mut().for_each(|x| *x = T::zero());
        self.v.iter_mut().for_each(|x| *x = T::zero());
    }
}

/// Adam with **coupled** L2 regularization (PyTorch's `Adam(weight_decay=λ)`).
///
/// The decay is added to the gradient, then goes through the adaptive scaling. At step
/// `t = k + 1`, in a group with `η = lr_g·m(k)` and `λ = λ_g`:
///
/// ```text
/// g ← ∇ + λ·w
/// m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
/// w ← w − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
///
/// It is Adam on `loss + (λ/2)‖w‖²`, so the decay of a coordinate is divided by `√v̂` like its
/// gradient: coordinates with large gradients are barely decayed. Compare [`AdamW`]. With
/// `λ = 0` both are plain Adam, bit for bit.
///
/// ```
/// use proxreg_optim::{Adam, Optimizer, ParamGroup};
/// let mut opt = Adam::params().lr(0.1).weight_decay(0.01).build(vec![ParamGroup::new("w", &[1])])?;
/// let mut w = vec![1.0_f64];
/// // zero data gradient: the step is driven by λw alone, and normalised: w moves by ≈ η
/// opt.step(&mut [&mut w[..]], &[&[0.0][..]])?;
/// assert!((w[0] - (1.0 - 0.1 * 0.01 / (0.01 + 1e-8))).abs() < 1e-15);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug)]
pub struct Adam<T: Scalar>(AdamCore<T>);

/// AdamW: Adam with **decoupled** weight decay (Loshchilov & Hutter), PyTorch's convention
/// where the decay is scaled by the learning rate.
///
/// The moments see the data gradient only; the decay shrinks the weights directly. At step
/// `t = k + 1`, in a group with `η = lr_g·m(k)` and `λ = λ_g`:
///
/// ```text
/// w ← w·(1 − η·λ)
/// m ← β₁·m + (1 − β₁)·∇          v ← β₂·v + (1 − β₂)·∇²
/// w ← w − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
///
/// i.e. `w ← w − η·(m̂/(√v̂ + ε) + λ·w)`: every coordinate decays at the same relative rate `ηλ`
/// whatever its gradient history. Keep `η·λ < 1` (otherwise the shrink factor is negative).
///
/// ```
/// use proxreg_optim::{AdamW, Optimizer, ParamGroup};
/// let mut opt = AdamW::params().lr(0.1).weight_decay(0.01).build(vec![ParamGroup::new("w", &[1])])?;
/// let mut w = vec![1.0_f64];
/// opt.step(&mut [&mut w[..]], &[&[0.0][..]])?; // zero gradient: pure decay, w ← w(1 − ηλ)
/// assert_eq!(w[0], 1.0 - 0.1 * 0.01);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug)]
pub struct AdamW<T: Scalar>(AdamCore<T>);

/// Hyper-parameters of [`Adam`] (`O = Adam<T>`) and [`AdamW`] (`O = AdamW<T>`).
///
/// Defaults are PyTorch's: `lr = 1e-3`, `betas = (0.9, 0.999)`, `eps = 1e-8`, and
/// `weight_decay = 0` for Adam, `1e-2` for AdamW. Validated by `build`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamParams<T, O> {
    lr: T,
    beta1: T,
    beta2: T,
    eps: T,
    weight_decay: T,
    _optimizer: PhantomData<fn() -> O>,
}

impl<T: Scalar, O> AdamParams<T, O> {
    fn with_decay(weight_decay: f64) -> Self {
        Self {
            lr: T::lit(1e-3),
            beta1: T::lit(0.9),
            beta2: T::lit(0.999),
            eps: T::lit(1e-8),
            weight_decay: T::lit(weight_decay),
            _optimizer: PhantomData,
        }
    }

    /// Default learning rate of the groups (finite, `> 0`).
    #[must_use]
    pub fn lr(mut self, lr: T) -> Self {
        self.lr = lr;
        self
    }
    /// `(β₁, β₂)`, each in `[0, 1)`.
    #[must_use]
    pub fn betas(mut self, beta1: T, beta2: T) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }
    /// `ε` (finite, `> 0`), added to `√v̂`.
    #[must_use]
    pub fn eps(mut self, eps: T) -> Self {
        self.eps = eps;
        self
    }
    /// Default weight decay `λ` of the groups (finite, `>= 0`).
    #[must_use]
    pub fn weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    fn build_core(self, groups: Vec<ParamGroup<T>>) -> Result<AdamCore<T>> {
        let lr = error::ensure_positive_finite("lr", self.lr)?;
        let wd = error::ensure_nonneg_finite("weight_decay", self.weight_decay)?;
        let beta1 = ensure_unit_open("beta1", self.beta1)?;
        let beta2 = ensure_unit_open("beta2", self.beta2)?;
        let eps = error::ensure_positive_finite("eps", self.eps)?;
        let groups = ParamGroups::resolve(groups, lr, wd)?;
        let n = groups.total_len();
        Ok(AdamCore {
            driver: Driver::new(groups),
            beta1,
            beta2,
            eps,
            m: vec![T::zero(); n],
            v: vec![T::zero(); n],
        })
    }
}

impl<T: Scalar> AdamParams<T, Adam<T>> {
    /// Validates the hyper-parameters and the groups and allocates the moments (once).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter) for `lr` or `eps` not
    /// finite `> 0`, a beta not in `[0, 1)`, `weight_decay` not finite `>= 0` (also per group);
    /// [`Error::Empty`](proxreg_core::Error::Empty) for no groups or a group without tensors.
    pub fn build(self, groups: Vec<ParamGroup<T>>) -> Result<Adam<T>> {
        self.build_core(groups).map(Adam)
    }
}

impl<T: Scalar> AdamParams<T, AdamW<T>> {
    /// Validates the hyper-parameters and the groups and allocates the moments (once).
    ///
    /// # Errors
    /// As [`AdamParams::<T, Adam<T>>::build`](AdamParams::build).
    pub fn build(self, groups: Vec<ParamGroup<T>>) -> Result<AdamW<T>> {
        self.build_core(groups).map(AdamW)
    }
}

macro_rules! adam_common {
    ($ty:ident, $decay:expr, $default_wd:expr) => {
        impl<T: Scalar> $ty<T> {
            /// The default hyper-parameters, to adjust and `build`.
            pub fn params() -> AdamParams<T, $ty<T>> {
                AdamParams::with_decay($default_wd)
            }

            /// Replaces the learning-rate schedule (builder form of `set_schedule`).
            #[must_use]
            pub fn with_schedule(mut self, schedule: impl LrSchedule<T> + 'static) -> Self {
                self.0.driver.set_schedule(schedule);
                self
            }

            /// Replaces the learning-rate schedule; it is evaluated at the current step count.
            pub fn set_schedule(&mut self, schedule: impl LrSchedule<T> + 'static) {
                self.0.driver.set_schedule(schedule);
            }

            /// The first moment `m`, flat over all tensors.
            pub fn first_moment(&self) -> &[T] {
                &self.0.m
            }

            /// The second moment `v`, flat over all tensors.
            pub fn second_moment(&self) -> &[T] {
                &self.0.v
            }
        }

        impl<T: Scalar> Optimizer<T> for $ty<T> {
            fn step<P: AsMut<[T]>, G: AsRef<[T]>>(
                &mut self,
                params: &mut [P],
                grads: &[G],
            ) -> Result<()> {
                self.0.step(params, grads, $decay)
            }

            fn groups(&self) -> &ParamGroups<T> {
                &self.0.driver.groups
            }

            fn steps_taken(&self) -> usize {
                self.0.driver.steps()
            }

            fn current_lr(&self, group: usize) -> Result<T> {
                self.0.driver.current_lr(group)
            }

            fn reset(&mut self) {
                self.0.reset();
            }
        }
    };
}

adam_common!(Adam, Decay::Coupled, 0.0);
adam_common!(AdamW, Decay::Decoupled, 1e-2);
