//! Validated parameters of the peg process (`capitalEfficiency.peg`): `PegParams`.
//! The peg's dynamics are in `model::peg`.

use super::ParamError;

/// Validated parameters of the peg process. Build with [`PegParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PegParams {
    /// `beta`: price move per unit of imbalance; USD per unit imbalance per epoch, `>= 0`.
    beta: f64,
    /// `arb_max`: share of the deviation `P - 1` arbitrage removes per epoch with a fully
    /// stocked reserve; in [`arb_min`, 1].
    arb_max: f64,
    /// `arb_min`: share of the deviation removed per epoch with an empty reserve; in [0, `arb_max`].
    arb_min: f64,
    /// `noise_sd`: standard deviation of the per-epoch peg noise; USD, `>= 0`.
    noise_sd: f64,
    /// `reserve_reference`: multiple of the floor amount (`floor * T`) at which the reserve counts
    /// as fully stocked (`reserve_cover = 1`); dimensionless, `> 0`.
    reserve_reference: f64,
}

impl PegParams {
    /// Checks and builds the parameters.
    ///
    /// * `beta` (`beta`): price impact of the imbalance, finite, `>= 0`.
    /// * `arb_max` (`arbMax`): arbitrage strength at full cover, `arb_min <= arb_max <= 1`.
    /// * `arb_min` (`arbMin`): arbitrage strength at zero cover, `0 <= arb_min`.
    /// * `noise_sd` (`noiseSd`): per-epoch noise standard deviation, finite, `>= 0`.
    /// * `reserve_reference` (`reserveReference`): reserve, as a multiple of the floor amount,
    ///   that counts as full cover; finite, `> 0`.
    pub fn new(
        beta: f64,
        arb_max: f64,
        arb_min: f64,
        noise_sd: f64,
        reserve_reference: f64,
    ) -> Result<Self, ParamError> {
        if !(beta.is_finite() && beta >= 0.0) {
            return Err(ParamError::new(
                "beta",
                format!("must be finite and >= 0, got {beta}"),
            ));
        }
        if !((0.0..=1.0).contains(&arb_min)) {
            return Err(ParamError::new(
                "arbMin",
                format!("must be in [0, 1], got {arb_min}"),
            ));
        }
        if !(arb_max >= arb_min && arb_max <= 1.0) {
            return Err(ParamError::new(
                "arbMax",
                format!("must be in [arbMin ({arb_min}), 1], got {arb_max}"),
            ));
        }
        if !(noise_sd.is_finite() && noise_sd >= 0.0) {
            return Err(ParamError::new(
                "noiseSd",
                format!("must be finite and >= 0, got {noise_sd}"),
            ));
        }
        if !(reserve_reference.is_finite() && reserve_reference > 0.0) {
            return Err(ParamError::new(
                "reserveReference",
                format!("must be finite and > 0, got {reserve_reference}"),
            ));
        }
        Ok(Self {
            beta,
            arb_max,
            arb_min,
            noise_sd,
            reserve_reference,
        })
    }

    /// `beta`, the price impact of the imbalance.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// `arb_max`, the arbitrage strength at full reserve cover.
    pub fn arb_max(&self) -> f64 {
        self.arb_max
    }

    /// `arb_min`, the arbitrage strength with an empty reserve.
    pub fn arb_min(&self) -> f64 {
        self.arb_min
    }

    /// `noise_sd`, the per-epoch noise standard deviation.
    pub fn noise_sd(&self) -> f64 {
        self.noise_sd
    }

    /// `reserve_reference`, the multiple of the floor amount that counts as full cover.
    pub fn reserve_reference(&self) -> f64 {
        self.reserve_reference
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_parameters() {
        let field = |r: Result<PegParams, ParamError>| r.unwrap_err().field;
        assert_eq!(field(PegParams::new(-0.1, 0.3, 0.05, 0.0, 1.0)), "beta");
        assert_eq!(field(PegParams::new(0.1, 0.3, -0.05, 0.0, 1.0)), "arbMin");
        assert_eq!(field(PegParams::new(0.1, 0.04, 0.05, 0.0, 1.0)), "arbMax");
        assert_eq!(field(PegParams::new(0.1, 1.1, 0.05, 0.0, 1.0)), "arbMax");
        assert_eq!(
            field(PegParams::new(0.1, 0.3, 0.05, f64::NAN, 1.0)),
            "noiseSd"
        );
        assert_eq!(
            field(PegParams::new(0.1, 0.3, 0.05, 0.0, 0.0)),
            "reserveReference"
        );
    }
}
