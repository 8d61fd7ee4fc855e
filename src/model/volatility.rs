//! Volatility of the external asset: a floored AR(1) that mean-reverts once per epoch.
//!
//! `sigma_next = max(sigma_floor, sigma + kappa (sigma_bar - sigma) + eta z)`, with `z` a
//! standard normal the engine draws and passes in (common random numbers). This module must not
//! draw random numbers, make an RNG, or know about shocks: a sigma spike is the engine's job
//! (it overwrites `sigma` for the shocked epochs).

pub use crate::config::params::VolatilityParams;

impl VolatilityParams {
    /// One epoch: `max(sigma_floor, sigma + kappa (sigma_bar - sigma) + eta z)`.
    ///
    /// `sigma` is this epoch's annualised volatility, `z` a standard normal draw. A NaN
    /// candidate (from a NaN input) lands on the floor rather than propagating.
    #[inline]
    pub fn step(&self, sigma: f64, z: f64) -> f64 {
        let next = sigma + self.kappa() * (self.sigma_bar() - sigma) + self.eta() * z;
        next.max(self.sigma_floor())
    }

    /// Stationary mean of the unfloored process: `sigma_bar`. The floor only raises it, by a
    /// negligible amount when `sigma_bar - sigma_floor` is many stationary standard deviations.
    pub fn stationary_mean(&self) -> f64 {
        self.sigma_bar()
    }

    /// Stationary variance of the unfloored process: `eta^2 / (kappa (2 - kappa))`, i.e.
    /// `eta^2 / (1 - phi^2)` for the AR(1) coefficient `phi = 1 - kappa`. The floor truncates
    /// the lower tail, so the floored process has a smaller variance.
    pub fn stationary_variance(&self) -> f64 {
        self.eta() * self.eta() / (self.kappa() * (2.0 - self.kappa()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    use crate::model::test_support::{Z_TOL, batch_means};

    fn simulate(p: &VolatilityParams, seed: u64, burn_in: usize, n: usize) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut sigma = p.sigma_bar();
        for _ in 0..burn_in {
            sigma = p.step(sigma, rng.sample(StandardNormal));
        }
        (0..n)
            .map(|_| {
                sigma = p.step(sigma, rng.sample(StandardNormal));
                sigma
            })
            .collect()
    }

    #[test]
    fn step_is_the_stated_recursion() {
        let p = VolatilityParams::new(0.6, 0.1, 0.02, 0.05).unwrap();
        // 0.9 + 0.1 * (0.6 - 0.9) + 0.02 * 1.5 = 0.9 - 0.03 + 0.03 = 0.9
        assert!((p.step(0.9, 1.5) - 0.9).abs() < 1e-15);
        assert!((p.step(0.6, -2.0) - 0.56).abs() < 1e-15);
        // Floored.
        assert_eq!(p.step(0.06, -10.0), 0.05);
    }

    #[test]
    fn stationary_moments_match_closed_form() {
        // phi = 0.95, stationary sd = 0.01 / sqrt(0.0975) ~ 0.032: the floor at 0 is ~19 sd
        // below sigma_bar and never binds, so the closed forms are exact.
        let p = VolatilityParams::new(0.6, 0.05, 0.01, 0.0).unwrap();
        let xs = simulate(&p, 7, 2_000, 1_000_000);
        let (mean, mean_se) = batch_means(&xs, 100);
        let sq: Vec<f64> = xs
            .iter()
            .map(|x| (x - p.stationary_mean()).powi(2))
            .collect();
        let (var, var_se) = batch_means(&sq, 100);

        // The batch-means SE must be of the size AR(1) theory predicts (effective sample size
        // n (1 - phi) / (1 + phi)), otherwise the tolerance would be dishonest.
        let phi: f64 = 1.0 - p.kappa();
        let theory_se = (p.stationary_variance() * (1.0 + phi) / (1.0 - phi) / 1e6).sqrt();
        assert!(
            mean_se > 0.6 * theory_se && mean_se < 1.6 * theory_se,
            "{mean_se} vs {theory_se}"
        );

        assert!(
            (mean - p.stationary_mean()).abs() < Z_TOL * mean_se,
            "mean {mean} vs {} (se {mean_se})",
            p.stationary_mean()
        );
        assert!(
            (var - p.stationary_variance()).abs() < Z_TOL * var_se,
            "var {var} vs {} (se {var_se})",
            p.stationary_variance()
        );
        // The test has teeth: a 5% error in the variance formula would be caught.
        assert!(Z_TOL * var_se < 0.05 * p.stationary_variance());
    }

    #[test]
    fn floor_binds_and_raises_the_mean() {
        // Floor a third of a stationary sd below sigma_bar: it binds often.
        let sd = (0.01f64 * 0.01 / (0.05 * 1.95)).sqrt();
        let p = VolatilityParams::new(0.6, 0.05, 0.01, 0.6 - sd / 3.0).unwrap();
        let xs = simulate(&p, 11, 2_000, 200_000);
        assert!(xs.iter().all(|&s| s >= p.sigma_floor()));
        let at_floor = xs.iter().filter(|&&s| s == p.sigma_floor()).count();
        assert!(at_floor > xs.len() / 20, "floor hit only {at_floor} times");
        let (mean, se) = batch_means(&xs, 100);
        assert!(mean > p.sigma_bar() + Z_TOL * se, "mean {mean} (se {se})");
    }
}
