//! Validated parameters of the volatility process (`capitalEfficiency.volatility`):
//! `VolatilityParams`. The process itself is in `model::volatility`.

use super::ParamError;

/// Validated parameters of the volatility process. Build with [`VolatilityParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VolatilityParams {
    /// `sigma_bar`: long-run level the process reverts to; annualised volatility (0.6 = 60%/yr).
    /// Finite, `> sigma_floor`.
    sigma_bar: f64,
    /// `kappa`: share of the gap to `sigma_bar` closed per epoch; per epoch, in (0, 2).
    kappa: f64,
    /// `eta`: standard deviation of the per-epoch shock to `sigma`; annualised-vol units per
    /// epoch, finite, `>= 0`.
    eta: f64,
    /// `sigma_floor`: lower bound on `sigma`; annualised volatility, finite, `>= 0`.
    sigma_floor: f64,
}

impl VolatilityParams {
    /// Checks and builds the parameters.
    ///
    /// * `sigma_bar` (`sigmaBar`): long-run annualised volatility, finite, `> sigma_floor`.
    /// * `kappa` (`kappa`): mean-reversion share per epoch, in (0, 2); in (1, 2) the process
    ///   overshoots and oscillates, at 0 or 2 it is not stationary.
    /// * `eta` (`eta`): per-epoch shock standard deviation, finite, `>= 0`.
    /// * `sigma_floor` (`sigmaFloor`): lower bound on `sigma`, finite, `>= 0`.
    pub fn new(sigma_bar: f64, kappa: f64, eta: f64, sigma_floor: f64) -> Result<Self, ParamError> {
        if !(sigma_floor.is_finite() && sigma_floor >= 0.0) {
            return Err(ParamError::new(
                "sigmaFloor",
                format!("must be finite and >= 0, got {sigma_floor}"),
            ));
        }
        if !(sigma_bar.is_finite() && sigma_bar > sigma_floor) {
            return Err(ParamError::new(
                "sigmaBar",
                format!("must be finite and > sigmaFloor ({sigma_floor}), got {sigma_bar}"),
            ));
        }
        if !(kappa > 0.0 && kappa < 2.0) {
            return Err(ParamError::new(
                "kappa",
                format!("must be in (0, 2) per epoch, got {kappa}"),
            ));
        }
        if !(eta.is_finite() && eta >= 0.0) {
            return Err(ParamError::new(
                "eta",
                format!("must be finite and >= 0, got {eta}"),
            ));
        }
        Ok(Self {
            sigma_bar,
            kappa,
            eta,
            sigma_floor,
        })
    }

    /// `sigma_bar`, the long-run annualised volatility.
    pub fn sigma_bar(&self) -> f64 {
        self.sigma_bar
    }

    /// `kappa`, the mean-reversion share per epoch.
    pub fn kappa(&self) -> f64 {
        self.kappa
    }

    /// `eta`, the per-epoch shock standard deviation.
    pub fn eta(&self) -> f64 {
        self.eta
    }

    /// `sigma_floor`, the lower bound on `sigma`.
    pub fn sigma_floor(&self) -> f64 {
        self.sigma_floor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_parameters() {
        let field = |r: Result<VolatilityParams, ParamError>| r.unwrap_err().field;
        assert_eq!(field(VolatilityParams::new(0.6, 0.0, 0.01, 0.0)), "kappa");
        assert_eq!(field(VolatilityParams::new(0.6, 2.0, 0.01, 0.0)), "kappa");
        assert_eq!(
            field(VolatilityParams::new(0.6, f64::NAN, 0.01, 0.0)),
            "kappa"
        );
        assert_eq!(field(VolatilityParams::new(0.6, 0.1, -0.01, 0.0)), "eta");
        assert_eq!(
            field(VolatilityParams::new(0.6, 0.1, 0.01, -0.1)),
            "sigmaFloor"
        );
        assert_eq!(
            field(VolatilityParams::new(0.2, 0.1, 0.01, 0.2)),
            "sigmaBar"
        );
        assert_eq!(
            field(VolatilityParams::new(f64::INFINITY, 0.1, 0.01, 0.0)),
            "sigmaBar"
        );
    }
}
