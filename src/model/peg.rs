//! The peg `P` of the stable around 1.0: pushed by net selling, pulled back by arbitrage whose
//! strength depends on how well-stocked the external liquidity reserve is.
//!
//! `P_next = max(MIN_PEG, P + beta * imbalance - arb * (P - 1) + noise_sd * z)` with
//! `arb = arb_min + (arb_max - arb_min) * clamp(reserve_cover, 0, 1)`. The caller computes the
//! imbalance (routing plus redemption selling) and passes the standard normal `z`; this module
//! must not draw random numbers, make an RNG, or read the treasury state itself.

pub use crate::config::params::PegParams;

/// Smallest peg the model allows (USD per stable). The linear update can overshoot below zero
/// under an extreme imbalance; a price cannot, so `P` is floored here. At this level the stable
/// has failed and every gate is long since breached, so the exact value does not matter.
pub const MIN_PEG: f64 = 1e-6;

impl PegParams {
    /// How well-stocked the reserve is: `reserve / (reserve_reference * floor_amount)`, where
    /// `floor_amount = floor * T` in USD. Not clamped (values above 1 are allowed;
    /// [`Self::arb_coefficient`] clamps). With no floor (`floor_amount <= 0`) the reserve counts
    /// as fully stocked (1.0).
    #[inline]
    pub fn reserve_cover(&self, reserve: f64, floor_amount: f64) -> f64 {
        let reference = self.reserve_reference() * floor_amount;
        if reference > 0.0 {
            reserve.max(0.0) / reference
        } else {
            1.0
        }
    }

    /// `arb = arb_min + (arb_max - arb_min) * clamp(reserve_cover, 0, 1)`: the share of the
    /// deviation arbitrage removes this epoch. A NaN cover counts as 0 (thin reserve).
    #[inline]
    pub fn arb_coefficient(&self, reserve_cover: f64) -> f64 {
        let cover = if reserve_cover > 0.0 {
            reserve_cover.min(1.0)
        } else {
            0.0
        };
        self.arb_min() + (self.arb_max() - self.arb_min()) * cover
    }

    /// One epoch: `max(MIN_PEG, P + beta * imbalance - arb(reserve_cover) * (P - 1) + noise_sd z)`.
    ///
    /// * `p`: this epoch's peg, USD per stable.
    /// * `imbalance`: net flow pressure, dimensionless; negative = net selling of the stable.
    /// * `reserve_cover`: see [`Self::reserve_cover`].
    /// * `z`: a standard normal draw.
    #[inline]
    pub fn step(&self, p: f64, imbalance: f64, reserve_cover: f64, z: f64) -> f64 {
        let arb = self.arb_coefficient(reserve_cover);
        let next = p + self.beta() * imbalance - arb * (p - 1.0) + self.noise_sd() * z;
        next.max(MIN_PEG)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    use crate::model::test_support::{Z_TOL, batch_means};

    fn params(noise_sd: f64) -> PegParams {
        PegParams::new(0.01, 0.3, 0.05, noise_sd, 1.5).unwrap()
    }

    #[test]
    fn reverts_geometrically_without_imbalance_or_noise() {
        let p = params(0.0);
        for cover in [0.0, 0.4, 1.0, 3.0] {
            let arb = p.arb_coefficient(cover);
            let p0 = 0.97;
            let mut peg = p0;
            for t in 1..=60 {
                peg = p.step(peg, 0.0, cover, 0.0);
                let expected = (1.0 - arb).powi(t) * (p0 - 1.0);
                assert!((peg - 1.0 - expected).abs() < 1e-12, "t={t} cover={cover}");
            }
        }
        assert_eq!(p.arb_coefficient(0.4), 0.05 + 0.25 * 0.4);
        assert_eq!(p.arb_coefficient(3.0), 0.3);
        assert_eq!(p.arb_coefficient(-1.0), 0.05);
        assert_eq!(p.arb_coefficient(f64::NAN), 0.05);
    }

    #[test]
    fn thin_reserve_reverts_slower() {
        let p = params(0.0);
        let (mut thin, mut full) = (1.02, 1.02);
        for _ in 0..10 {
            thin = p.step(thin, 0.0, 0.0, 0.0);
            full = p.step(full, 0.0, 1.0, 0.0);
        }
        // 0.02 * 0.95^10 ~ 0.0120 vs 0.02 * 0.7^10 ~ 0.00056.
        assert!(thin - 1.0 > 10.0 * (full - 1.0), "thin {thin} full {full}");
    }

    #[test]
    fn selling_pushes_the_peg_down_and_it_stays_positive() {
        let p = params(0.0);
        assert!((p.step(1.0, -2.0, 1.0, 0.0) - 0.98).abs() < 1e-15);
        assert_eq!(p.step(0.5, -1e6, 1.0, 0.0), MIN_PEG);
    }

    #[test]
    fn reserve_cover_is_relative_to_the_reference_floor_amount() {
        let p = params(0.0);
        // Floor amount 20, reference 1.5 x 20 = 30.
        assert!((p.reserve_cover(15.0, 20.0) - 0.5).abs() < 1e-15);
        assert_eq!(p.reserve_cover(15.0, 0.0), 1.0);
    }

    #[test]
    fn noise_only_stationary_variance_matches_closed_form() {
        let p = params(0.002);
        let cover = 0.5;
        let arb = p.arb_coefficient(cover); // 0.175, correlation time ~ 6 epochs
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut peg = 1.0;
        let dev: Vec<f64> = (0..400_000)
            .map(|_| {
                peg = p.step(peg, 0.0, cover, rng.sample(StandardNormal));
                (peg - 1.0).powi(2)
            })
            .collect();
        let (var, se) = batch_means(&dev, 100);
        let expected = 0.002f64.powi(2) / (arb * (2.0 - arb));
        assert!(
            (var - expected).abs() < Z_TOL * se,
            "var {var} vs {expected} (se {se})"
        );
        assert!(Z_TOL * se < 0.05 * expected, "test too weak: se {se}");
    }
}
