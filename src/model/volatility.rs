//! Volatility of the external asset, one of three models a scenario selects:
//!
//! - `ou` (default): a floored AR(1) that mean-reverts once per epoch,
//!   `sigma_next = max(sigma_floor, sigma + kappa (sigma_bar - sigma) + eta z)`;
//! - `garch`: GARCH(1,1) on the per-epoch variance `h = sigma^2 dt` of the asset's log
//!   return, `h_next = omega + alpha r^2 + beta h`, `r` the epoch's log-return shock;
//! - `jump`: Merton's jump diffusion, a constant diffusion `sigma` plus Poisson jumps with
//!   normal log sizes, compensated so the drift stays the expected return.
//!
//! The draws (`z`, the jump uniform and normal) come from the engine (common random
//! numbers). This module must not draw random numbers, make an RNG, or know about shocks: a
//! sigma spike is the engine's job (it overwrites `sigma` for the shocked epochs).

pub use crate::config::params::{GarchParams, JumpParams, VolatilityModel, VolatilityParams};
use crate::model::redemptions::poisson_inverse;

impl VolatilityModel {
    /// Next epoch's annualised sigma from this epoch's `sigma`, the volatility draw
    /// `z_sigma` (used by `ou` only) and the epoch's log-return shock `shock` (used by
    /// `garch` only, see [`log_return_shock`]).
    #[inline]
    pub fn step(&self, sigma: f64, z_sigma: f64, shock: f64, dt: f64) -> f64 {
        match self {
            Self::Ou(p) => p.step(sigma, z_sigma),
            Self::Garch(p) => p.step_sigma(sigma, shock, dt),
            Self::Jump(p) => p.sigma(),
        }
    }

    /// The long-run annualised sigma of the diffusion: `sigma_bar` (OU), the stationary
    /// `sqrt(omega / (1 - alpha - beta) / dt)` (GARCH), the diffusion `sigma` (jump).
    pub fn long_run_sigma(&self, dt: f64) -> f64 {
        match self {
            Self::Ou(p) => p.sigma_bar(),
            Self::Garch(p) => (p.stationary_variance() / dt).sqrt(),
            Self::Jump(p) => p.sigma(),
        }
    }
}

/// The epoch's log-return shock of the external asset that GARCH reads:
/// `r = sigma sqrt(dt) z + ln(1 + crash)`, the diffusion term plus a crash's log return
/// (so a crash raises next epoch's variance). `crash` is above -1 (a drop below 100%).
#[inline]
pub fn log_return_shock(sigma: f64, dt: f64, z: f64, crash: f64) -> f64 {
    let diffusion = sigma * dt.sqrt() * z;
    if crash == 0.0 {
        diffusion
    } else {
        diffusion + crash.ln_1p()
    }
}

impl GarchParams {
    /// One epoch of the per-epoch variance: `omega + alpha r^2 + beta h`.
    #[inline]
    pub fn next_variance(&self, h: f64, r: f64) -> f64 {
        self.omega() + self.alpha() * r * r + self.beta() * h
    }

    /// One epoch on the annualised sigma: `h = sigma^2 dt` steps to
    /// `omega + alpha r^2 + beta h`, returned as `sqrt(h_next / dt)`. A NaN shock lands on
    /// the recursion's floor `sqrt(omega / dt)` rather than propagating.
    #[inline]
    pub fn step_sigma(&self, sigma: f64, r: f64, dt: f64) -> f64 {
        let h = self.next_variance(sigma * sigma * dt, r);
        if h.is_nan() {
            (self.omega() / dt).sqrt()
        } else {
            (h / dt).sqrt()
        }
    }

    /// Stationary (long-run) per-epoch variance of the returns: `omega / (1 - alpha - beta)`.
    pub fn stationary_variance(&self) -> f64 {
        self.omega() / (1.0 - self.alpha() - self.beta())
    }
}

impl JumpParams {
    /// Merton's compensator `k = E[e^Y] - 1 = exp(mu_J + delta^2 / 2) - 1`.
    pub fn compensator(&self) -> f64 {
        (self.mean() + 0.5 * self.sd() * self.sd()).exp_m1()
    }

    /// The jump part of one epoch's log return: `N ~ Poisson(lambda dt)` jumps (inverse
    /// transform of `u`) with total log size `N mu_J + sqrt(N) delta z_jump` (a sum of `N`
    /// normals), less the compensator `lambda k dt`.
    #[inline]
    pub fn jump_term(&self, dt: f64, u: f64, z_jump: f64) -> f64 {
        let n = f64::from(poisson_inverse(self.intensity() * dt, u));
        -self.intensity() * self.compensator() * dt
            + n * self.mean()
            + n.sqrt() * self.sd() * z_jump
    }

    /// One epoch's log return of the external asset at drift `drift` and diffusion
    /// volatility `sigma`: `(drift - sigma^2 / 2 - lambda k) dt + sigma sqrt(dt) z + jumps`.
    /// `E[exp(log return)] = exp(drift dt)`: the drift stays the expected return.
    #[inline]
    pub fn log_return(&self, drift: f64, sigma: f64, dt: f64, z: f64, u: f64, z_jump: f64) -> f64 {
        (drift - 0.5 * sigma * sigma) * dt + sigma * dt.sqrt() * z + self.jump_term(dt, u, z_jump)
    }

    /// Closed-form mean and variance of [`Self::log_return`] over one epoch:
    /// mean `(drift - sigma^2 / 2 - lambda k) dt + lambda dt mu_J`, variance
    /// `sigma^2 dt + lambda dt (mu_J^2 + delta^2)`.
    pub fn log_return_moments(&self, drift: f64, sigma: f64, dt: f64) -> (f64, f64) {
        let l = self.intensity() * dt;
        let mean = (drift - 0.5 * sigma * sigma - self.intensity() * self.compensator()) * dt
            + l * self.mean();
        let var = sigma * sigma * dt + l * (self.mean() * self.mean() + self.sd() * self.sd());
        (mean, var)
    }
}

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

    #[test]
    fn garch_step_is_the_stated_recursion() {
        let p = GarchParams::new(1e-4, 0.1, 0.8).unwrap();
        let dt: f64 = 1.0 / 365.0;
        // h = 0.5^2 / 365; h' = 1e-4 + 0.1 * 0.03^2 + 0.8 h.
        let h = 0.25 * dt;
        let expect = ((1e-4 + 0.1 * 0.0009 + 0.8 * h) / dt).sqrt();
        let model = VolatilityModel::Garch(p);
        assert!((model.step(0.5, 7.0, 0.03, dt) - expect).abs() < 1e-12);
        // The OU draw does not move GARCH; the shock does.
        assert_eq!(
            model.step(0.5, -3.0, 0.03, dt),
            model.step(0.5, 3.0, 0.03, dt)
        );
        assert!(model.step(0.5, 0.0, 0.06, dt) > model.step(0.5, 0.0, 0.03, dt));
        // A crash enters the shock as its log return.
        let r = log_return_shock(0.8, dt, 0.5, -0.4);
        assert!((r - (0.8 * dt.sqrt() * 0.5 + 0.6f64.ln())).abs() < 1e-15);
        assert_eq!(log_return_shock(0.8, dt, 0.5, 0.0), 0.8 * dt.sqrt() * 0.5);
    }

    /// GARCH with no shocks: the long-run variance of the returns `r_t` (the shocks the
    /// overlay feeds back, `sigma_t sqrt(dt) z_t`) is `omega / (1 - alpha - beta)`.
    #[test]
    fn garch_long_run_return_variance_matches_closed_form() {
        // Bitcoin-like daily parameters (persistence 0.95); the fourth moment is finite
        // ((alpha + beta)^2 + 2 alpha^2 = 0.9225 < 1), so batch means have a finite variance.
        let p = GarchParams::new(1e-4, 0.1, 0.85).unwrap();
        let model = VolatilityModel::Garch(p);
        let dt = 1.0 / 365.0;
        let mut rng = ChaCha8Rng::seed_from_u64(16);
        let mut sigma = model.long_run_sigma(dt);
        let mut sq = Vec::with_capacity(2_000_000);
        for i in 0..2_010_000 {
            let z: f64 = rng.sample(StandardNormal);
            let r = log_return_shock(sigma, dt, z, 0.0);
            if i >= 10_000 {
                sq.push(r * r);
            }
            sigma = model.step(sigma, 0.0, r, dt);
        }
        let (var, se) = batch_means(&sq, 200);
        let expect = p.stationary_variance();
        assert!((expect - 2e-3).abs() < 1e-12);
        assert!(
            (var - expect).abs() < Z_TOL * se,
            "long-run variance {var} vs omega / (1 - alpha - beta) = {expect} (se {se})"
        );
        // The test has teeth: omega / (1 - beta) (no ARCH term) or omega / (1 - alpha)
        // would be far outside the interval.
        assert!(Z_TOL * se < 0.1 * expect, "se {se} too wide");
        assert!((var - 1e-4 / 0.15).abs() > Z_TOL * se);
    }

    #[test]
    fn garch_long_run_sigma_is_the_stationary_variance_annualised() {
        let p = GarchParams::new(8e-5, 0.14447, 0.81655).unwrap();
        let dt = 1.0 / 365.0;
        let s = VolatilityModel::Garch(p).long_run_sigma(dt);
        assert!((s * s * dt - 8e-5 / (1.0 - 0.14447 - 0.81655)).abs() < 1e-15);
    }

    /// Jump diffusion: the one-epoch log return's mean and variance match the closed form,
    /// and `E[exp(log return)] = exp(drift dt)` (the compensator).
    #[test]
    fn jump_diffusion_log_return_moments_match_closed_form() {
        // Frequent, large jumps so the jump part dominates the variance: over dt = 1 day,
        // lambda dt = 0.1 and the jump variance 0.1 (0.05^2 + 0.1^2) = 1.25e-3 against the
        // diffusion's 0.36 / 365 = 9.9e-4.
        let p = JumpParams::new(0.6, 36.5, -0.05, 0.1).unwrap();
        let (drift, sigma, dt) = (0.1, 0.6, 1.0 / 365.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1976);
        let n = 2_000_000;
        let xs: Vec<f64> = (0..n)
            .map(|_| {
                let z: f64 = rng.sample(StandardNormal);
                let u: f64 = rng.random();
                let zj: f64 = rng.sample(StandardNormal);
                p.log_return(drift, sigma, dt, z, u, zj)
            })
            .collect();
        let (mean, var) = p.log_return_moments(drift, sigma, dt);
        let (m_hat, m_se) = batch_means(&xs, 100);
        assert!(
            (m_hat - mean).abs() < Z_TOL * m_se,
            "mean {m_hat} vs {mean} (se {m_se})"
        );
        let sq: Vec<f64> = xs.iter().map(|x| (x - mean).powi(2)).collect();
        let (v_hat, v_se) = batch_means(&sq, 100);
        assert!(
            (v_hat - var).abs() < Z_TOL * v_se,
            "variance {v_hat} vs {var} (se {v_se})"
        );
        // Teeth: leaving the jumps' mean out of the variance (lambda dt delta^2 only) or the
        // compensator out of the mean would fail.
        let no_mean_sq = sigma * sigma * dt + 0.1 * 0.01;
        assert!((v_hat - no_mean_sq).abs() > Z_TOL * v_se);
        let uncompensated = mean + 36.5 * p.compensator() * dt;
        assert!((m_hat - uncompensated).abs() > Z_TOL * m_se);
        // The compensator keeps the expected gross return at exp(drift dt).
        let gross: Vec<f64> = xs.iter().map(|x| x.exp()).collect();
        let (g_hat, g_se) = batch_means(&gross, 100);
        assert!(
            (g_hat - (drift * dt).exp()).abs() < Z_TOL * g_se,
            "E[exp r] {g_hat} vs {} (se {g_se})",
            (drift * dt).exp()
        );
    }

    #[test]
    fn jump_model_keeps_its_diffusion_sigma_and_no_jumps_is_plain_diffusion() {
        let p = JumpParams::new(0.7, 0.0, -0.1, 0.2).unwrap();
        let m = VolatilityModel::Jump(p);
        assert_eq!(m.step(1.5, 3.0, 0.2, 1.0 / 365.0), 0.7);
        let dt: f64 = 1.0 / 365.0;
        let plain = (0.05 - 0.5 * 0.49) * dt + 0.7 * dt.sqrt() * 1.3;
        assert!((p.log_return(0.05, 0.7, dt, 1.3, 0.999, 2.0) - plain).abs() < 1e-15);
    }
}
