//! Redemption pressure: a calm outflow plus self-exciting (Hawkes) heavy-redemption events,
//! discretised once per epoch and amplified by a peg discount.
//!
//! Per epoch of `dt` years:
//! `lambda = (mu * shock_multiplier + E) * (1 + peg_sensitivity * max(0, 1 - P) / 0.01)`,
//! `N ~ Poisson(lambda dt)` (inverse transform of the caller's uniform `u`),
//! `q = min(1, base_rate_apr dt + N event_size)`, `E_next = E (1 - decay dt) + excitation N`.
//! This module must not draw random numbers or make an RNG, and does not move money: it returns
//! the outflow fraction `q` of `T`; paying it out of the reserve is the capital layer's job.

pub use crate::config::params::RedemptionParams;

/// Cap on heavy-redemption events counted in one epoch. The inverse-transform search stops here,
/// so a degenerate intensity cannot loop for long; at 64 events the outflow is capped at all of
/// `T` for any `event_size >= 1/64`, and `P(N > 64)` is below 1e-13 for `lambda dt <= 22`.
pub const MAX_EVENTS_PER_EPOCH: u32 = 64;

/// Self-exciting state carried from epoch to epoch.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HawkesState {
    /// `E`: excess intensity left by past events; events per year, `>= 0`. Starts at 0.
    pub excitation: f64,
}

/// What one epoch of redemptions did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RedemptionStep {
    /// `N`: heavy-redemption events this epoch, `0..=MAX_EVENTS_PER_EPOCH`.
    pub events: u32,
    /// `q`: share of `T` redeemed this epoch, in [0, 1].
    pub outflow_fraction: f64,
    /// `lambda`: heavy-event intensity used this epoch, events per year.
    pub intensity: f64,
}

impl RedemptionParams {
    /// Stationary mean intensity with no shock and the peg at 1: `mu / (1 - alpha / beta)`,
    /// events per year. Exact for the discretised process too (taking expectations of the
    /// `E` update gives `E[E] = alpha mu / (beta - alpha)`), up to the event cap.
    pub fn stationary_mean_intensity(&self) -> f64 {
        self.mu() / (1.0 - self.excitation() / self.decay())
    }

    /// Intensity multiplier from the peg: `1 + peg_sensitivity * max(0, 1 - P) / 0.01`.
    /// A premium (`P > 1`) does not lower redemptions.
    #[inline]
    pub fn peg_factor(&self, peg: f64) -> f64 {
        1.0 + self.peg_sensitivity() * (1.0 - peg).max(0.0) / 0.01
    }

    /// One epoch. Updates `state` and returns the events, outflow share and intensity.
    ///
    /// * `shock_multiplier`: scenario multiplier on `mu` this epoch (1 = no shock), `>= 0`;
    ///   negative or NaN counts as 0.
    /// * `peg`: this epoch's peg `P`, USD.
    /// * `dt`: epoch length in years (see [`Self::check_dt`]).
    /// * `u`: a uniform draw in [0, 1).
    #[inline]
    pub fn step(
        &self,
        state: &mut HawkesState,
        shock_multiplier: f64,
        peg: f64,
        dt: f64,
        u: f64,
    ) -> RedemptionStep {
        self.step_drawn_at(state, shock_multiplier, peg, dt, u, |mean| mean)
    }

    /// [`Self::step`] with the count of heavy days drawn at the mean `draw_mean` gives for
    /// the model's mean `intensity * dt` (an importance-sampling proposal; the identity is the
    /// model itself). `intensity` stays the model's.
    #[inline]
    pub fn step_drawn_at(
        &self,
        state: &mut HawkesState,
        shock_multiplier: f64,
        peg: f64,
        dt: f64,
        u: f64,
        draw_mean: impl FnOnce(f64) -> f64,
    ) -> RedemptionStep {
        let shock = if shock_multiplier > 0.0 {
            shock_multiplier
        } else {
            0.0
        };
        let intensity = (self.mu() * shock + state.excitation) * self.peg_factor(peg);
        let events = poisson_inverse(draw_mean(intensity * dt), u);
        let n = f64::from(events);
        let outflow_fraction = (self.base_rate_apr() * dt + n * self.event_size()).min(1.0);
        // `max(0.0)` only matters if `check_dt` was skipped.
        let keep = (1.0 - self.decay() * dt).max(0.0);
        state.excitation = state.excitation * keep + self.excitation() * n;
        RedemptionStep {
            events,
            outflow_fraction,
            intensity,
        }
    }
}

/// Poisson(`mean`) by inverse transform of the uniform `u` in [0, 1): the smallest `k` with
/// `F(k) > u`, found by sequential search over the pmf (`p_k = p_{k-1} mean / k`). Exact up to
/// rounding; stops at [`MAX_EVENTS_PER_EPOCH`]. A non-positive or NaN mean gives 0.
#[inline]
pub fn poisson_inverse(mean: f64, u: f64) -> u32 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    let mut pmf = (-mean).exp();
    let mut cdf = pmf;
    let mut k = 0;
    while u >= cdf && k < MAX_EVENTS_PER_EPOCH {
        k += 1;
        pmf *= mean / f64::from(k);
        cdf += pmf;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use crate::model::test_support::{Z_TOL, batch_means};
    const DT: f64 = 1.0 / 365.0;

    #[test]
    fn stationary_mean_intensity_matches_closed_form() {
        // mu 3/yr, alpha/beta = 0.6: mean intensity 7.5/yr; excitation memory ~ 1/(beta - alpha)
        // = 1/16 yr ~ 23 epochs, far shorter than a batch (10,000 epochs).
        let p = RedemptionParams::new(0.02, 3.0, 24.0, 40.0, 0.01, 0.0).unwrap();
        p.check_dt(DT).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut state = HawkesState::default();
        for _ in 0..5_000 {
            p.step(&mut state, 1.0, 1.0, DT, rng.random());
        }
        let lambdas: Vec<f64> = (0..1_500_000)
            .map(|_| p.step(&mut state, 1.0, 1.0, DT, rng.random()).intensity)
            .collect();
        let (mean, se) = batch_means(&lambdas, 150);
        let expected = p.stationary_mean_intensity();
        assert!((expected - 7.5).abs() < 1e-12);
        assert!(
            (mean - expected).abs() < Z_TOL * se,
            "mean {mean} vs {expected} (se {se})"
        );
        // Teeth: an error of 5% (e.g. mu alone, or mu / (1 - alpha/beta)^2) would fail.
        assert!(Z_TOL * se < 0.05 * expected, "test too weak: se {se}");
    }

    #[test]
    fn poisson_inverse_has_the_right_mean_and_variance() {
        let m = 0.3;
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = 1_000_000;
        let (mut s1, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let k = f64::from(poisson_inverse(m, rng.random()));
            s1 += k;
            s2 += (k - m) * (k - m);
        }
        let (mean, var) = (s1 / n as f64, s2 / n as f64);
        // Var(N) = m, Var((N - m)^2) = m + 2 m^2 for a Poisson.
        let mean_se = (m / n as f64).sqrt();
        let var_se = ((m + 2.0 * m * m) / n as f64).sqrt();
        assert!((mean - m).abs() < Z_TOL * mean_se, "mean {mean}");
        assert!((var - m).abs() < Z_TOL * var_se, "var {var}");
    }

    #[test]
    fn poisson_inverse_switches_at_the_cdf() {
        let m: f64 = 0.3;
        let f0 = (-m).exp();
        let f1 = f0 * (1.0 + m);
        assert_eq!(poisson_inverse(m, 0.0), 0);
        assert_eq!(poisson_inverse(m, f0 * (1.0 - 1e-12)), 0);
        assert_eq!(poisson_inverse(m, f0 * (1.0 + 1e-12)), 1);
        assert_eq!(poisson_inverse(m, f1 * (1.0 + 1e-12)), 2);
        assert_eq!(poisson_inverse(0.0, 0.99), 0);
        assert_eq!(poisson_inverse(f64::NAN, 0.99), 0);
        assert_eq!(poisson_inverse(1e4, 0.5), MAX_EVENTS_PER_EPOCH);
    }

    #[test]
    fn peg_discount_raises_intensity() {
        let p = RedemptionParams::new(0.0, 5.0, 0.0, 10.0, 0.01, 0.5).unwrap();
        let at_par = p
            .step(&mut HawkesState::default(), 1.0, 1.0, DT, 0.0)
            .intensity;
        // 2% discount: factor 1 + 0.5 * 2 = 2.
        let discounted = p
            .step(&mut HawkesState::default(), 1.0, 0.98, DT, 0.0)
            .intensity;
        let premium = p
            .step(&mut HawkesState::default(), 1.0, 1.02, DT, 0.0)
            .intensity;
        assert!((at_par - 5.0).abs() < 1e-12);
        assert!((discounted - 10.0).abs() < 1e-12);
        assert!((premium - 5.0).abs() < 1e-12);
    }

    #[test]
    fn events_excite_then_decay() {
        let p = RedemptionParams::new(0.0365, 2.0, 20.0, 36.5, 0.05, 0.0).unwrap();
        let mut state = HawkesState { excitation: 10.0 };
        // u just below 1 with lambda dt = 12/365 gives at least one event.
        let step = p.step(&mut state, 1.0, 1.0, DT, 0.999_999);
        let n = f64::from(step.events);
        assert!(step.events >= 1);
        assert!((step.intensity - 12.0).abs() < 1e-12);
        assert!((step.outflow_fraction - (0.0001 + n * 0.05).min(1.0)).abs() < 1e-15);
        assert!((state.excitation - (10.0 * 0.9 + 20.0 * n)).abs() < 1e-12);
        // u = 0: no event, pure decay.
        let before = state.excitation;
        let step = p.step(&mut state, 1.0, 1.0, DT, 0.0);
        assert_eq!(step.events, 0);
        assert!((state.excitation - before * 0.9).abs() < 1e-12);
    }
}
