//! Parameter groups: which tensors share a learning rate and a weight decay, and the per-group
//! norms reported for logging.

use core::ops::Range;

use proxreg_core::penalty::norm2;
use proxreg_core::{error, Error, Result, Scalar};

/// The specification of one parameter group: a name, the lengths of its tensors, and optional
/// overrides of the optimizer's default learning rate and weight decay.
///
/// The optimizer receives its parameters as one flat list of tensors (slices), **in group
/// order**: first the tensors of group 0, then those of group 1, and so on. A group with
/// `lens = [6, 2]` owns the next two tensors, of lengths 6 and 2.
///
/// ```
/// use proxreg_optim::ParamGroup;
/// // the common case: decay on the weight matrix, none on the bias
/// let weights = ParamGroup::<f64>::new("weights", &[3 * 4]).weight_decay(1e-2);
/// let bias = ParamGroup::<f64>::new("bias", &[4]).weight_decay(0.0).lr(1e-2);
/// assert_eq!(bias.lens(), &[4]);
/// # let _ = weights;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ParamGroup<T> {
    name: String,
    lens: Vec<usize>,
    lr: Option<T>,
    weight_decay: Option<T>,
}

impl<T: Scalar> ParamGroup<T> {
    /// A group named `name` owning tensors of lengths `lens`, with the optimizer's defaults.
    pub fn new(name: impl Into<String>, lens: &[usize]) -> Self {
        Self {
            name: name.into(),
            lens: lens.to_vec(),
            lr: None,
            weight_decay: None,
        }
    }

    /// Overrides the optimizer's learning rate for this group (validated when the optimizer is
    /// built: finite and `> 0`).
    #[must_use]
    pub fn lr(mut self, lr: T) -> Self {
        self.lr = Some(lr);
        self
    }

    /// Overrides the optimizer's weight decay for this group (validated when the optimizer is
    /// built: finite and `>= 0`). `0` switches decay off for the group (biases, norms).
    #[must_use]
    pub fn weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = Some(weight_decay);
        self
    }

    /// The group's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The lengths of the group's tensors.
    pub fn lens(&self) -> &[usize] {
        &self.lens
    }
}

/// A read-only view of one resolved group of a [`ParamGroups`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GroupInfo<'a, T> {
    /// The group's name.
    pub name: &'a str,
    /// The base learning rate (before the schedule's multiplier).
    pub lr: T,
    /// The weight decay `λ` of the group.
    pub weight_decay: T,
    /// The indices of the group's tensors in the flat tensor list.
    pub tensors: Range<usize>,
}

/// The norms of one group's parameters, for logging.
///
/// Names follow the workspace convention (`SquaredFrobenius` is `½‖W‖²_F`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct GroupNorm<T> {
    /// `‖W‖_F`: the Euclidean norm of all the group's entries together.
    pub frobenius: T,
    /// `½‖W‖²_F`.
    pub squared_frobenius: T,
    /// `λ·½‖W‖²_F` with the group's weight decay `λ`: the penalty that coupled weight decay
    /// (SGD, Adam) adds to the loss. For AdamW it is only the analogous quantity: decoupled decay
    /// is not the gradient of any term of the loss.
    pub decay_term: T,
}

/// Resolved, validated parameter groups: the tensor layout and each group's base learning rate
/// and weight decay. Held by every optimizer; read it with [`Optimizer::groups`](crate::Optimizer::groups).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamGroups<T> {
    names: Vec<String>,
    lr: Vec<T>,
    weight_decay: Vec<T>,
    /// `group_tensors[g]..group_tensors[g + 1]` are the tensors of group `g`.
    group_tensors: Vec<usize>,
    /// Length of each tensor.
    lens: Vec<usize>,
    /// `offsets[i]` is the flat index of the first entry of tensor `i` (`offsets.len() = tensors + 1`).
    offsets: Vec<usize>,
}

impl<T: Scalar> ParamGroups<T> {
    /// Validates `groups` and fills in the defaults.
    pub(crate) fn resolve(
        groups: Vec<ParamGroup<T>>,
        default_lr: T,
        default_weight_decay: T,
    ) -> Result<Self> {
        if groups.is_empty() {
            return Err(Error::Empty {
                what: "parameter groups",
            });
        }
        let mut out = Self {
            names: Vec::with_capacity(groups.len()),
            lr: Vec::with_capacity(groups.len()),
            weight_decay: Vec::with_capacity(groups.len()),
            group_tensors: vec![0],
            lens: Vec::new(),
            offsets: vec![0],
        };
        let mut flat = 0usize;
        for g in groups {
            if g.lens.is_empty() {
                return Err(Error::Empty {
                    what: "tensor list of a parameter group",
                });
            }
            let lr = error::ensure_positive_finite("group lr", g.lr.unwrap_or(default_lr))?;
            let wd = error::ensure_nonneg_finite(
                "group weight_decay",
                g.weight_decay.unwrap_or(default_weight_decay),
            )?;
            for &len in &g.lens {
                flat = flat.checked_add(len).ok_or(Error::InvalidParameter {
                    name: "tensor lengths",
                    value: f64::INFINITY,
                    expected: "a total that fits in usize",
                })?;
                out.lens.push(len);
                out.offsets.push(flat);
            }
            out.group_tensors.push(out.lens.len());
            out.names.push(g.name);
            out.lr.push(lr);
            out.weight_decay.push(wd);
        }
        Ok(out)
    }

    /// The number of groups.
    pub fn group_count(&self) -> usize {
        self.names.len()
    }

    /// The number of tensors, over all groups.
    pub fn tensor_count(&self) -> usize {
        self.lens.len()
    }

    /// The number of scalar parameters, over all groups.
    pub fn total_len(&self) -> usize {
        self.offsets.last().copied().unwrap_or(0)
    }

    /// Group `g`, or `None` when out of range.
    pub fn get(&self, g: usize) -> Option<GroupInfo<'_, T>> {
        (g < self.group_count()).then(|| GroupInfo {
            name: &self.names[g],
            lr: self.lr[g],
            weight_decay: self.weight_decay[g],
            tensors: self.group_tensors[g]..self.group_tensors[g + 1],
        })
    }

    /// Every group, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = GroupInfo<'_, T>> + '_ {
        (0..self.group_count()).map(|g| GroupInfo {
            name: &self.names[g],
            lr: self.lr[g],
            weight_decay: self.weight_decay[g],
            tensors: self.group_tensors[g]..self.group_tensors[g + 1],
        })
    }

    /// Base learning rate of group `g` (in range, crate-internal).
    #[inline]
    pub(crate) fn lr_of(&self, g: usize) -> T {
        self.lr[g]
    }

    /// Weight decay of group `g` (in range, crate-internal).
    #[inline]
    pub(crate) fn weight_decay_of(&self, g: usize) -> T {
        self.weight_decay[g]
    }

    /// Tensor index range of group `g` (in range, crate-internal).
    #[inline]
    pub(crate) fn tensors_of(&self, g: usize) -> Range<usize> {
        self.group_tensors[g]..self.group_tensors[g + 1]
    }

    /// Flat index range of tensor `i` (in range, crate-internal).
    #[inline]
    pub(crate) fn flat_range(&self, i: usize) -> Range<usize> {
        self.offsets[i]..self.offsets[i + 1]
    }

    /// Checks that `tensors` has this layout (count and lengths); `what` names it in errors.
    pub(crate) fn check_layout<S: AsRef<[T]>>(
        &self,
        tensors: &[S],
        count_what: &'static str,
        len_what: &'static str,
    ) -> Result<()> {
        if tensors.len() != self.tensor_count() {
            return Err(Error::DimensionMismatch {
                what: count_what,
                expected: self.tensor_count(),
                found: tensors.len(),
            });
        }
        for (t, &len) in tensors.iter().zip(&self.lens) {
            let found = t.as_ref().len();
            if found != len {
                return Err(Error::DimensionMismatch {
                    what: len_what,
                    expected: len,
                    found,
                });
            }
        }
        Ok(())
    }

    /// Checks layout and finiteness of the parameters and gradients of a step. The `index` of a
    /// [`Error::NonFinite`] is flat, counted over all tensors in order.
    pub(crate) fn check_step<P: AsMut<[T]>, G: AsRef<[T]>>(
        &self,
        params: &mut [P],
        grads: &[G],
    ) -> Result<()> {
        if params.len() != self.tensor_count() {
            return Err(Error::DimensionMismatch {
                what: "number of parameter tensors vs parameter groups",
                expected: self.tensor_count(),
                found: params.len(),
            });
        }
        for (i, p) in params.iter_mut().enumerate() {
            let p: &[T] = p.as_mut();
            if p.len() != self.lens[i] {
                return Err(Error::DimensionMismatch {
                    what: "parameter tensor length vs parameter groups",
                    expected: self.lens[i],
                    found: p.len(),
                });
            }
            if let Some(index) = p.iter().position(|x| !x.is_finite()) {
                return Err(Error::NonFinite {
                    what: "parameters",
                    index: self.offsets[i] + index,
                });
            }
        }
        self.check_layout(
            grads,
            "number of gradient tensors vs parameter groups",
            "gradient tensor length vs parameter groups",
        )?;
        for (i, g) in grads.iter().enumerate() {
            if let Some(index) = g.as_ref().iter().position(|x| !x.is_finite()) {
                return Err(Error::NonFinite {
                    what: "gradient",
                    index: self.offsets[i] + index,
                });
            }
        }
        Ok(())
    }

    /// The norms of group `g`'s parameters (see [`GroupNorm`]).
    ///
    /// `params` is the flat tensor list, as passed to `step`: `&[&[T]]`, `&[&mut [T]]` and
    /// `&[Vec<T>]` all work. Non-finite entries are not an error here (the norm is then NaN or
    /// infinite, which is what a log should show).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] if `g` is not a group; [`Error::DimensionMismatch`] if
    /// `params` does not have the groups' layout.
    pub fn norm<S: AsRef<[T]>>(&self, g: usize, params: &[S]) -> Result<GroupNorm<T>> {
        if g >= self.group_count() {
            return Err(Error::IndexOutOfRange {
                what: "parameter groups",
                index: g,
                len: self.group_count(),
            });
        }
        self.check_layout(
            params,
            "number of parameter tensors vs parameter groups",
            "parameter tensor length vs parameter groups",
        )?;
        Ok(self.norm_unchecked(g, params))
    }

    /// The norms of every group, in order (see [`GroupNorm`] and [`norm`](Self::norm)).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `params` does not have the groups' layout.
    pub fn norms<S: AsRef<[T]>>(&self, params: &[S]) -> Result<Vec<GroupNorm<T>>> {
        self.check_layout(
            params,
            "number of parameter tensors vs parameter groups",
            "parameter tensor length vs parameter groups",
        )?;
        Ok((0..self.group_count())
            .map(|g| self.norm_unchecked(g, params))
            .collect())
    }

    fn norm_unchecked<S: AsRef<[T]>>(&self, g: usize, params: &[S]) -> GroupNorm<T> {
        // hypot of the per-tensor norms: neither overflows nor underflows.
        let frobenius = params[self.tensors_of(g)]
            .iter()
            .fold(T::zero(), |acc, t| acc.hypot(norm2(t.as_ref())));
        let squared_frobenius = T::lit(0.5) * frobenius * frobenius;
        GroupNorm {
            frobenius,
            squared_frobenius,
            decay_term: self.weight_decay[g] * squared_frobenius,
        }
    }
}
