//! Run-time selection of the vector unit for the hot loops, without `unsafe` in this crate.
//!
//! The solvers' kernels are plain Rust written for auto-vectorisation (independent accumulator
//! lanes, elementwise updates). Compiled for the baseline x86-64 target they use 128-bit SSE2;
//! [`run`] compiles a body a second time with AVX2 enabled (through `pulp`'s safe dispatch,
//! which checks the CPU once) and calls that copy where the CPU has it. The kernels use no
//! fused multiply-add and sum their lanes in a fixed order, so both copies give the same bits:
//! only the speed depends on the CPU. Measured on an AVX2 machine: the 100-point Lasso path of
//! a 200 × 50 problem (Gram updates, data in L1) went from 1.5–1.6 ms to 0.8–1.2 ms (six
//! interleaved pairs; the machine is noisy); naive updates on data larger than the caches are
//! memory-bound and do not change.

/// A body to run with the widest available vector unit.
pub(crate) trait Body {
    /// What the body returns.
    type Output;
    /// The body; must be `#[inline(always)]` so that it is compiled inside the dispatched copy.
    fn call(self) -> Self::Output;
}

#[cfg(target_arch = "x86_64")]
struct Dispatch<B>(B);

#[cfg(target_arch = "x86_64")]
impl<B: Body> pulp::WithSimd for Dispatch<B> {
    type Output = B::Output;
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> B::Output {
        self.0.call()
    }
}

/// Runs `body`, compiled for AVX2 where the CPU has it (x86-64), else as is.
#[inline(always)]
pub(crate) fn run<B: Body>(body: B) -> B::Output {
    #[cfg(target_arch = "x86_64")]
    {
        pulp::Arch::new().dispatch(Dispatch(body))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        body.call()
    }
}

#[cfg(test)]
mod tests {
    use super::{run, Body};
    use crate::kernels::{axpy_off, dot_off};

    /// A few coordinate-descent steps' worth of the kernels: dot products with an offset,
    /// axpys into a residual, and Gram-style elementwise updates.
    struct Steps<'a> {
        x: &'a [f64],
        r: Vec<f64>,
    }

    impl Body for Steps<'_> {
        type Output = (Vec<f64>, Vec<f64>);
        #[inline(always)]
        fn call(self) -> (Vec<f64>, Vec<f64>) {
            let Steps { x, mut r } = self;
            let n = r.len();
            let mut dots = Vec::new();
            for (j, col) in x.chunks_exact(n).enumerate() {
                let mu = 0.01 * j as f64;
                let g = dot_off(col, mu, &r);
                dots.push(g);
                axpy_off(-1e-3 * g, col, mu, &mut r);
                for (ri, &xi) in r.iter_mut().zip(col) {
                    *ri += 0.5 * xi * g;
                }
            }
            (dots, r)
        }
    }

    #[test]
    fn the_dispatched_copy_gives_the_same_bits() {
        let n = 203; // not a multiple of any vector width
        let x: Vec<f64> = (0..n * 7)
            .map(|i| ((i * 7919 % 1013) as f64 / 1013.0 - 0.5) * (1.0 + (i % 5) as f64))
            .collect();
        let r: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
        let plain = Steps {
            x: &x,
            r: r.clone(),
        }
        .call();
        let dispatched = run(Steps { x: &x, r });
        assert_eq!(plain.0.len(), 7);
        for (a, b) in plain.0.iter().zip(&dispatched.0) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        for (a, b) in plain.1.iter().zip(&dispatched.1) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
    }
}
