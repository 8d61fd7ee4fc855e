//! Validated parameters of the redemption process (`capitalEfficiency.redemptions`):
//! `RedemptionParams`. The Hawkes process itself is in `model::redemptions`.

use super::ParamError;

/// Validated parameters of the redemption process. Build with [`RedemptionParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RedemptionParams {
    /// `q0`: calm outflow, share of `T` per year; `>= 0`.
    base_rate_apr: f64,
    /// `mu`: baseline intensity of heavy-redemption events, events per year; `>= 0`.
    mu: f64,
    /// `alpha`: jump in intensity per event, per year; `>= 0`, `< decay`.
    excitation: f64,
    /// `beta`: decay rate of the excitation, per year; `> 0`.
    decay: f64,
    /// Share of `T` redeemed per heavy event; in [0, 1].
    event_size: f64,
    /// Intensity multiplier per 1% of peg discount; `>= 0`.
    peg_sensitivity: f64,
}

impl RedemptionParams {
    /// Checks and builds the parameters.
    ///
    /// * `base_rate_apr` (`baseRateApr`): calm outflow `q0`, share of `T` per year, finite, `>= 0`.
    /// * `mu` (`mu`): baseline heavy-event intensity, events per year, finite, `>= 0`.
    /// * `excitation` (`excitation`): `alpha`, intensity jump per event, per year, `>= 0`.
    /// * `decay` (`decay`): `beta`, excitation decay rate, per year, finite, `> 0`; the process is
    ///   stationary only if `excitation / decay < 1`, which is required.
    /// * `event_size` (`eventSize`): share of `T` redeemed per heavy event, in [0, 1].
    /// * `peg_sensitivity` (`pegSensitivity`): intensity factor per 1% peg discount, `>= 0`.
    ///
    /// The discretisation also needs `decay * dt <= 1`; check it with [`Self::check_dt`] once
    /// the epoch length is known.
    pub fn new(
        base_rate_apr: f64,
        mu: f64,
        excitation: f64,
        decay: f64,
        event_size: f64,
        peg_sensitivity: f64,
    ) -> Result<Self, ParamError> {
        let non_negative = |field: &'static str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(ParamError::new(
                    field,
                    format!("must be finite and >= 0, got {v}"),
                ))
            }
        };
        non_negative("baseRateApr", base_rate_apr)?;
        non_negative("mu", mu)?;
        non_negative("excitation", excitation)?;
        non_negative("pegSensitivity", peg_sensitivity)?;
        if !(decay.is_finite() && decay > 0.0) {
            return Err(ParamError::new(
                "decay",
                format!("must be finite and > 0, got {decay}"),
            ));
        }
        if excitation >= decay {
            return Err(ParamError::new(
                "excitation",
                format!(
                    "not stationary: excitation/decay must be < 1, got {excitation}/{decay} = {}",
                    excitation / decay
                ),
            ));
        }
        if !((0.0..=1.0).contains(&event_size)) {
            return Err(ParamError::new(
                "eventSize",
                format!("must be in [0, 1], got {event_size}"),
            ));
        }
        Ok(Self {
            base_rate_apr,
            mu,
            excitation,
            decay,
            event_size,
            peg_sensitivity,
        })
    }

    /// Checks that the epoch length suits the discretisation: `decay * dt <= 1`, so the
    /// excitation decays without changing sign. `dt` in years, finite, `> 0`.
    pub fn check_dt(&self, dt: f64) -> Result<(), ParamError> {
        if !(dt.is_finite() && dt > 0.0) {
            return Err(ParamError::new(
                "epochDays",
                format!("dt must be > 0, got {dt}"),
            ));
        }
        if self.decay * dt > 1.0 {
            return Err(ParamError::new(
                "decay",
                format!("decay * dt must be <= 1, got {} * {dt}", self.decay),
            ));
        }
        Ok(())
    }

    /// `q0`, calm outflow, share of `T` per year.
    pub fn base_rate_apr(&self) -> f64 {
        self.base_rate_apr
    }

    /// `mu`, baseline heavy-event intensity, events per year.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// `alpha`, intensity jump per event, per year.
    pub fn excitation(&self) -> f64 {
        self.excitation
    }

    /// `beta`, excitation decay rate, per year.
    pub fn decay(&self) -> f64 {
        self.decay
    }

    /// Share of `T` redeemed per heavy event.
    pub fn event_size(&self) -> f64 {
        self.event_size
    }

    /// Intensity factor per 1% peg discount.
    pub fn peg_sensitivity(&self) -> f64 {
        self.peg_sensitivity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DT: f64 = 1.0 / 365.0;

    #[test]
    fn rejects_non_stationary_and_bad_parameters() {
        let err = RedemptionParams::new(0.0, 1.0, 10.0, 10.0, 0.01, 0.0).unwrap_err();
        assert_eq!(err.field, "excitation");
        assert!(
            err.message
                .starts_with("not stationary: excitation/decay must be < 1")
        );
        assert!(RedemptionParams::new(0.0, 1.0, 12.0, 10.0, 0.01, 0.0).is_err());
        let field = |r: Result<RedemptionParams, ParamError>| r.unwrap_err().field;
        assert_eq!(
            field(RedemptionParams::new(-0.1, 1.0, 1.0, 10.0, 0.01, 0.0)),
            "baseRateApr"
        );
        assert_eq!(
            field(RedemptionParams::new(0.0, 1.0, 1.0, 0.0, 0.01, 0.0)),
            "decay"
        );
        assert_eq!(
            field(RedemptionParams::new(0.0, 1.0, 1.0, 10.0, 1.5, 0.0)),
            "eventSize"
        );
        let p = RedemptionParams::new(0.0, 1.0, 1.0, 400.0, 0.01, 0.0).unwrap();
        assert_eq!(p.check_dt(DT).unwrap_err().field, "decay");
    }
}
