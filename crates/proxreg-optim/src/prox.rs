//! Proximal SGD: a gradient step on the smooth part, then the prox of a proxreg penalty.

use proxreg_core::penalty::Penalty;
use proxreg_core::{error, Error, Result, Scalar};

use crate::driver::Driver;
use crate::groups::{ParamGroup, ParamGroups};
use crate::schedule::LrSchedule;
use crate::Optimizer;

/// A penalty and its strength, attached to one group.
struct Term<T, P: ?Sized> {
    penalty: Box<P>,
    alpha: T,
}

/// Proximal SGD (forward–backward splitting) with any proxreg [`Penalty`] per group.
///
/// At step `k`, in group `g` with `η = lr_g·m(k)`, weight decay `λ = λ_g` and, if the group has
/// one, penalty `h` with strength `α`:
///
/// ```text
/// w ← w − η·(∇ + λ·w)              (gradient step on loss + (λ/2)‖w‖²)
/// w ← prox_{η·α·h}(w)              (applied to each tensor of the group separately)
/// ```
///
/// With a fixed `η ≤ 1/L` and full-batch gradients this is ISTA on
/// `loss + (λ/2)‖w‖² + α·h(w)`; with `h = L1` the iterates reach exact zeros. The prox is
/// applied per tensor: a tensor is the vector `h` sees (so `h`'s coordinate `j` is the tensor's
/// entry `j`, and a group-lasso `h` acts on a whole tensor).
///
/// `P` is the penalty type: a concrete one (`ProxSgd<f64, L1>`), or the default
/// `dyn Penalty<T>` for different penalties in different groups (`Box::new(L1)` coerces).
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_optim::{Optimizer, ParamGroup, ProxSgd};
/// let mut opt = ProxSgd::params()
///     .lr(0.5)
///     .build(vec![ParamGroup::new("w", &[3])])?
///     .with_penalty(0, Box::new(L1), 0.2)?;
/// let mut w = vec![1.0_f64, 0.05, -0.5];
/// opt.step(&mut [&mut w[..]], &[&[0.0, 0.0, 0.0][..]])?; // soft-threshold by η·α = 0.1
/// assert_eq!(w, vec![0.9, 0.0, -0.4]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
pub struct ProxSgd<T: Scalar, P: Penalty<T> + ?Sized = dyn Penalty<T>> {
    driver: Driver<T>,
    terms: Vec<Option<Term<T, P>>>,
}

impl<T: Scalar, P: Penalty<T> + ?Sized> core::fmt::Debug for ProxSgd<T, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let alphas: Vec<Option<T>> = self
            .terms
            .iter()
            .map(|t| t.as_ref().map(|t| t.alpha))
            .collect();
        f.debug_struct("ProxSgd")
            .field("driver", &self.driver)
            .field("penalty_alphas", &alphas)
            .finish_non_exhaustive()
    }
}

/// Hyper-parameters of [`ProxSgd`]; defaults `lr = 1e-3`, `weight_decay = 0`.
/// Validated by [`build`](Self::build); penalties are attached afterwards, per group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProxSgdParams<T> {
    lr: T,
    weight_decay: T,
}

impl<T: Scalar> Default for ProxSgdParams<T> {
    fn default() -> Self {
        Self {
            lr: T::lit(1e-3),
            weight_decay: T::zero(),
        }
    }
}

impl<T: Scalar> ProxSgdParams<T> {
    /// Default learning rate (step size) of the groups (finite, `> 0`).
    #[must_use]
    pub fn lr(mut self, lr: T) -> Self {
        self.lr = lr;
        self
    }
    /// Default weight decay `λ` of the groups (finite, `>= 0`): a smooth `(λ/2)‖w‖²` term.
    #[must_use]
    pub fn weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// Validates the hyper-parameters and the groups. No group has a penalty yet: attach them
    /// with [`ProxSgd::with_penalty`].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `lr` not finite `> 0` or `weight_decay` not finite
    /// `>= 0` (also per group); [`Error::Empty`] for no groups or a group without tensors.
    pub fn build<P: Penalty<T> + ?Sized>(
        self,
        groups: Vec<ParamGroup<T>>,
    ) -> Result<ProxSgd<T, P>> {
        let lr = error::ensure_positive_finite("lr", self.lr)?;
        let wd = error::ensure_nonneg_finite("weight_decay", self.weight_decay)?;
        let groups = ParamGroups::resolve(groups, lr, wd)?;
        let terms = (0..groups.group_count()).map(|_| None).collect();
        Ok(ProxSgd {
            driver: Driver::new(groups),
            terms,
        })
    }
}

impl<T: Scalar> ProxSgd<T> {
    /// The default hyper-parameters, to adjust and [`build`](ProxSgdParams::build).
    pub fn params() -> ProxSgdParams<T> {
        ProxSgdParams::default()
    }
}

impl<T: Scalar, P: Penalty<T> + ?Sized> ProxSgd<T, P> {
    /// Attaches `alpha · penalty` to group `group` (builder form of
    /// [`set_penalty`](Self::set_penalty)).
    ///
    /// # Errors
    /// As [`set_penalty`](Self::set_penalty).
    pub fn with_penalty(mut self, group: usize, penalty: Box<P>, alpha: T) -> Result<Self> {
        self.set_penalty(group, penalty, alpha)?;
        Ok(self)
    }

    /// Attaches `alpha · penalty` to group `group`, replacing any previous one.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] if `group` is not a group; [`Error::InvalidParameter`] if
    /// `alpha` is not finite `>= 0`.
    pub fn set_penalty(&mut self, group: usize, penalty: Box<P>, alpha: T) -> Result<()> {
        let len = self.terms.len();
        let alpha = error::ensure_nonneg_finite("alpha", alpha)?;
        let slot = self.terms.get_mut(group).ok_or(Error::IndexOutOfRange {
            what: "parameter groups",
            index: group,
            len,
        })?;
        *slot = Some(Term { penalty, alpha });
        Ok(())
    }

    /// Removes the penalty of group `group` (plain SGD there).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] if `group` is not a group.
    pub fn clear_penalty(&mut self, group: usize) -> Result<()> {
        let len = self.terms.len();
        let slot = self.terms.get_mut(group).ok_or(Error::IndexOutOfRange {
            what: "parameter groups",
            index: group,
            len,
        })?;
        *slot = None;
        Ok(())
    }

    /// `α_g · Σ_tensors h_g(tensor)` for every group (`0` for a group without penalty): the
    /// non-smooth part of the objective, for logging.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `params` does not have the groups' layout.
    pub fn penalty_values<S: AsRef<[T]>>(&self, params: &[S]) -> Result<Vec<T>> {
        let groups = &self.driver.groups;
        groups.check_layout(
            params,
            "number of parameter tensors vs parameter groups",
            "parameter tensor length vs parameter groups",
        )?;
        Ok((0..groups.group_count())
            .map(|g| match &self.terms[g] {
                None => T::zero(),
                Some(term) => {
                    let h: T = params[groups.tensors_of(g)]
                        .iter()
                        .map(|t| term.penalty.value(t.as_ref()))
                        .sum();
                    term.alpha * h
                }
            })
            .collect())
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
}

impl<T: Scalar, P: Penalty<T> + ?Sized> Optimizer<T> for ProxSgd<T, P> {
    fn step<Q: AsMut<[T]>, G: AsRef<[T]>>(&mut self, params: &mut [Q], grads: &[G]) -> Result<()> {
        let mult = self.driver.begin(params, grads)?;
        let groups = &self.driver.groups;
        for g in 0..groups.group_count() {
            let lr = groups.lr_of(g) * mult;
            let wd = groups.weight_decay_of(g);
            for i in groups.tensors_of(g) {
                let w = params[i].as_mut();
                for (wj, &gj) in w.iter_mut().zip(grads[i].as_ref()) {
                    let d = gj + wd * *wj;
                    *wj -= lr * d;
                }
                if let Some(term) = &self.terms[g] {
                    term.penalty.prox_in_place(w, lr * term.alpha);
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
    }
}
