//! Validated parameters of the volatility models (`capitalEfficiency.volatility`): the OU
//! process (`VolatilityParams`), GARCH(1,1) (`GarchParams`) and Merton's jump diffusion
//! (`JumpParams`), one of which a scenario selects (`VolatilityModel`). The dynamics are in
//! `model::volatility`.

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

/// The volatility model a scenario selects with `volatility.model`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VolatilityModel {
    /// `ou` (the default): the floored mean-reverting process of [`VolatilityParams`].
    Ou(VolatilityParams),
    /// `garch`: GARCH(1,1) on the external asset's log-return shocks.
    Garch(GarchParams),
    /// `jump`: Merton's jump diffusion, constant diffusion volatility plus Poisson jumps.
    Jump(JumpParams),
}

impl VolatilityModel {
    /// The model's name as the scenario writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ou(_) => "ou",
            Self::Garch(_) => "garch",
            Self::Jump(_) => "jump",
        }
    }

    /// Whether the model draws jumps (two more overlay draws per epoch).
    pub fn has_jumps(&self) -> bool {
        matches!(self, Self::Jump(_))
    }
}

/// Validated GARCH(1,1) parameters: `h_{t+1} = omega + alpha r_t^2 + beta h_t`, with `h` the
/// per-epoch variance of the external asset's log return and `r_t` the epoch's log-return
/// shock. Build with [`GarchParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GarchParams {
    /// `omega`: constant of the variance recursion, per-epoch variance, finite, `> 0`.
    omega: f64,
    /// `alpha`: weight of last epoch's squared shock, finite, `>= 0`.
    alpha: f64,
    /// `beta`: weight of last epoch's variance, finite, `>= 0`; `alpha + beta < 1`.
    beta: f64,
}

impl GarchParams {
    /// Checks and builds the parameters.
    ///
    /// * `omega` (`omega`): per-epoch variance constant, finite and `> 0` (a zero `omega`
    ///   has no positive stationary variance).
    /// * `alpha` (`alpha`), `beta` (`beta`): finite and `>= 0`, with `alpha + beta < 1` so
    ///   the process has the stationary variance `omega / (1 - alpha - beta)`.
    pub fn new(omega: f64, alpha: f64, beta: f64) -> Result<Self, ParamError> {
        if !(omega.is_finite() && omega > 0.0) {
            return Err(ParamError::new(
                "omega",
                format!("must be finite and > 0 (a per-epoch variance), got {omega}"),
            ));
        }
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(ParamError::new(
                "alpha",
                format!("must be finite and >= 0, got {alpha}"),
            ));
        }
        if !(beta.is_finite() && beta >= 0.0) {
            return Err(ParamError::new(
                "beta",
                format!("must be finite and >= 0, got {beta}"),
            ));
        }
        if alpha + beta >= 1.0 {
            return Err(ParamError::new(
                "beta",
                format!(
                    "alpha + beta must be < 1 for a stationary variance, got {alpha} + {beta} = {}",
                    alpha + beta
                ),
            ));
        }
        Ok(Self { omega, alpha, beta })
    }

    /// `omega`, per-epoch variance.
    pub fn omega(&self) -> f64 {
        self.omega
    }

    /// `alpha`, the weight of the squared shock.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// `beta`, the weight of the previous variance.
    pub fn beta(&self) -> f64 {
        self.beta
    }
}

/// Validated parameters of Merton's jump diffusion for the external asset: diffusion
/// volatility `sigma`, Poisson jumps at `intensity` per year with normal log sizes
/// `N(mean, sd^2)`. Build with [`JumpParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JumpParams {
    /// `sigma`: annualised diffusion volatility, finite, `>= 0`.
    sigma: f64,
    /// `lambda`: jumps per year, finite, in [0, 365].
    intensity: f64,
    /// `mu_J`: mean log jump size, finite, in [-3, 3].
    mean: f64,
    /// `delta`: standard deviation of the log jump size, finite, in [0, 3].
    sd: f64,
}

impl JumpParams {
    /// Checks and builds the parameters.
    ///
    /// * `sigma` (`sigma0`): annualised diffusion volatility, finite, `>= 0`;
    /// * `intensity` (`jumpIntensity`): jumps per year, in [0, 365];
    /// * `mean` (`jumpMean`): mean log jump size, in [-3, 3];
    /// * `sd` (`jumpSd`): standard deviation of the log jump size, in [0, 3].
    pub fn new(sigma: f64, intensity: f64, mean: f64, sd: f64) -> Result<Self, ParamError> {
        let within = |field: &'static str, v: f64, lo: f64, hi: f64| {
            if v.is_finite() && (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(ParamError::new(
                    field,
                    format!("must be in [{lo}, {hi}], got {v}"),
                ))
            }
        };
        within("sigma0", sigma, 0.0, 20.0)?;
        within("jumpIntensity", intensity, 0.0, 365.0)?;
        within("jumpMean", mean, -3.0, 3.0)?;
        within("jumpSd", sd, 0.0, 3.0)?;
        Ok(Self {
            sigma,
            intensity,
            mean,
            sd,
        })
    }

    /// The diffusion volatility, annualised.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// `lambda`, jumps per year.
    pub fn intensity(&self) -> f64 {
        self.intensity
    }

    /// `mu_J`, the mean log jump size.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// `delta`, the standard deviation of the log jump size.
    pub fn sd(&self) -> f64 {
        self.sd
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

    #[test]
    fn garch_rejects_non_stationary_and_non_positive_omega() {
        let field = |r: Result<GarchParams, ParamError>| r.unwrap_err().field;
        assert_eq!(field(GarchParams::new(1e-4, 0.1, 0.9)), "beta");
        assert_eq!(field(GarchParams::new(1e-4, 0.2, 0.85)), "beta");
        assert_eq!(field(GarchParams::new(0.0, 0.1, 0.8)), "omega");
        assert_eq!(field(GarchParams::new(-1e-4, 0.1, 0.8)), "omega");
        assert_eq!(field(GarchParams::new(f64::NAN, 0.1, 0.8)), "omega");
        assert_eq!(field(GarchParams::new(1e-4, -0.1, 0.8)), "alpha");
        assert_eq!(field(GarchParams::new(1e-4, 0.1, -0.8)), "beta");
        assert!(GarchParams::new(1e-4, 0.1, 0.899).is_ok());
    }

    #[test]
    fn jump_rejects_out_of_range() {
        let field = |r: Result<JumpParams, ParamError>| r.unwrap_err().field;
        assert_eq!(field(JumpParams::new(-0.1, 5.0, -0.05, 0.1)), "sigma0");
        assert_eq!(
            field(JumpParams::new(0.6, -1.0, -0.05, 0.1)),
            "jumpIntensity"
        );
        assert_eq!(field(JumpParams::new(0.6, 5.0, f64::NAN, 0.1)), "jumpMean");
        assert_eq!(field(JumpParams::new(0.6, 5.0, -0.05, -0.1)), "jumpSd");
        assert!(JumpParams::new(0.6, 0.0, 0.0, 0.0).is_ok());
    }
}
