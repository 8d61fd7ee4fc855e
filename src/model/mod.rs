//! The model pieces, one file each, shaped like `rand_distr`: a struct of validated
//! parameters whose `new()` returns `Result`, and a `step` that takes the RNG (or the
//! random draws) from its caller. No model piece makes its own RNG or reads config files.

pub mod allocation;
pub mod breaker;
pub mod capital;
pub mod flow;
pub mod graph;
pub mod overlay;
pub mod peg;
pub mod pmm;
pub mod redemptions;
pub mod routing;
pub mod runbook;
pub mod shocks;
pub mod volatility;

pub use crate::config::params::ParamError;

/// Shared helpers and tolerances of the model pieces' Monte Carlo unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    /// Monte Carlo tolerance, in standard errors.
    pub const Z_TOL: f64 = 4.0;

    /// Mean and batch-means standard error of a stationary series (batches much longer than
    /// the correlation time, so batch means are close to independent).
    pub fn batch_means(values: &[f64], batches: usize) -> (f64, f64) {
        let len = values.len() / batches;
        let means: Vec<f64> = values
            .chunks_exact(len)
            .map(|c| c.iter().sum::<f64>() / len as f64)
            .collect();
        let n = means.len() as f64;
        let mean = means.iter().sum::<f64>() / n;
        let var = means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    }
}
