//! The tasks that need proxreg's engine (filled in once `proxreg-solvers` is on main).

use crate::{Opts, Outcome};

/// Runs `o.task` on `X` (column-major) and `y`.
pub fn run(o: &Opts, _x: proxreg_compare::npy::Array, _y: Vec<f64>) -> Result<Outcome, String> {
    Err(format!(
        "task {}: proxreg's engine (proxreg-solvers) is not on this branch yet",
        o.task
    ))
}
