//! # proxreg-optim
//!
//! The same penalties seen from deep learning: weight decay inside an optimizer step. Small,
//! exact optimizers over parameter slices, each step taking the gradient of the **data loss**:
//!
//! | optimizer | update (group learning rate `η`, weight decay `λ`) | equivalent to |
//! | --- | --- | --- |
//! | [`Sgd`] | `d = ∇ + λw`; `b ← μb + d`; `w ← w − η·b` (or Nesterov) | SGD on `loss + (λ/2)‖w‖²` |
//! | [`Adam`] (coupled L2) | `g = ∇ + λw`; `m, v` from `g`; `w ← w − η·m̂/(√v̂ + ε)` | Adam on `loss + (λ/2)‖w‖²` |
//! | [`AdamW`] (decoupled) | `m, v` from `∇`; `w ← w(1 − ηλ) − η·m̂/(√v̂ + ε)` | no penalized loss (Loshchilov & Hutter) |
//! | [`ProxSgd`] | `w ← prox_{ηα·h}(w − η(∇ + λw))` with any proxreg [`Penalty`](proxreg_core::penalty::Penalty) `h` | ISTA on `loss + (λ/2)‖w‖² + α·h(w)` |
//!
//! Conventions are PyTorch's (`torch.optim.SGD` without dampening, `Adam`, `AdamW` where the
//! decay is scaled by the learning rate). Coupled and decoupled decay are **not** the same thing
//! for Adam: with coupled L2 the decay is divided by `√v̂` like the gradient, so a weight with
//! large gradients is barely decayed; AdamW decays every weight at the relative rate `ηλ`.
//! `docs/optim.md` has the formulas and the numbers the tests measure.
//!
//! * **Parameter groups** ([`ParamGroup`]): each with its own learning rate and weight decay
//!   (the common case: decay on weight matrices, none on biases and norms).
//! * **Schedules** ([`schedule`]): a multiplier of the learning rates per step: [`Constant`](schedule::Constant),
//!   [`StepDecay`](schedule::StepDecay), [`Cosine`](schedule::Cosine), or any closure.
//! * **Bookkeeping**: [`ParamGroups::norms`] gives `‖W‖_F`, `½‖W‖²_F` and the decay term
//!   `λ·½‖W‖²_F` of every group, for logging.
//!
//! Parameters are passed as a flat list of tensors in group order (`&mut [&mut [T]]`,
//! `&mut [Vec<T>]`, ...) and gradients likewise (`&[&[T]]`, ...); any backend vector whose
//! storage is a contiguous slice works. State (momentum, moments) is allocated once when the
//! optimizer is built; a step allocates nothing. A step first checks everything (tensor count
//! and lengths, finite parameters and gradients, a finite non-negative schedule multiplier)
//! and, on error, returns a typed [`Error`](proxreg_core::Error) without modifying anything.
//!
//! ```
//! use proxreg_optim::{schedule::Cosine, AdamW, Optimizer, ParamGroup};
//! // a linear model with 3 weights and 1 bias; no decay on the bias
//! let groups = vec![
//!     ParamGroup::new("weights", &[3]).weight_decay(1e-2),
//!     ParamGroup::new("bias", &[1]).weight_decay(0.0),
//! ];
//! let mut opt = AdamW::params().lr(1e-2).build(groups)?.with_schedule(Cosine::new(100, 0.0)?);
//! let (mut w, mut b) = (vec![0.5_f64, -0.2, 0.1], vec![0.0]);
//! let (gw, gb) = (vec![0.1, 0.0, -0.3], vec![0.2]);
//! opt.step(&mut [&mut w[..], &mut b[..]], &[&gw[..], &gb[..]])?;
//! let norms = opt.groups().norms(&[&w[..], &b[..]])?;
//! assert_eq!(norms.len(), 2);
//! assert_eq!(norms[1].decay_term, 0.0); // no decay on the bias group
//! # Ok::<(), proxreg_core::Error>(())
//! ```

mod adam;
mod driver;
mod groups;
mod prox;
pub mod schedule;
mod sgd;

pub use adam::{Adam, AdamParams, AdamW};
pub use groups::{GroupInfo, GroupNorm, ParamGroup, ParamGroups};
pub use prox::{ProxSgd, ProxSgdParams};
pub use sgd::{MomentumKind, Sgd, SgdParams};

use proxreg_core::{Result, Scalar};

/// What every optimizer of this crate does.
///
/// The trait is meant for generic training loops (`fn train<O: Optimizer<f64>>(opt: &mut O)`);
/// its `step` is generic over the slice containers, so it is not dyn-compatible.
pub trait Optimizer<T: Scalar> {
    /// One update of `params` from `grads`, the gradient of the data loss at `params`.
    ///
    /// `params` and `grads` are flat tensor lists in group order (see [`ParamGroup`]).
    ///
    /// # Errors
    /// Nothing is modified on error.
    /// [`Error::DimensionMismatch`](proxreg_core::Error::DimensionMismatch) when the tensor
    /// count or a tensor length differs from the groups' layout;
    /// [`Error::NonFinite`](proxreg_core::Error::NonFinite) when a parameter (`what =
    /// "parameters"`) or a gradient entry (`"gradient"`) is NaN or infinite, with the flat index
    /// over all tensors; [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter) when
    /// the schedule's multiplier is not finite `>= 0`.
    fn step<P: AsMut<[T]>, G: AsRef<[T]>>(&mut self, params: &mut [P], grads: &[G]) -> Result<()>;

    /// The groups: layout, base learning rates, weight decays, and [`ParamGroups::norms`].
    fn groups(&self) -> &ParamGroups<T>;

    /// The number of successful steps so far.
    fn steps_taken(&self) -> usize;

    /// The learning rate group `group` will use at the next step (base rate × schedule).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`](proxreg_core::Error::IndexOutOfRange) if `group` is not a
    /// group; [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter) if the
    /// schedule's multiplier is not finite `>= 0`.
    fn current_lr(&self, group: usize) -> Result<T>;

    /// Forgets the state (momentum, moments) and the step count, as if freshly built.
    fn reset(&mut self);
}
