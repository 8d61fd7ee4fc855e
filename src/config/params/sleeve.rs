//! Validated parameters of the yield sleeve (`capitalEfficiency.sleeve` plus the policy's
//! hard LTV ceiling): `SleeveInputs` names the six numbers, `SleeveParams::new` checks them.
//! The sleeve's growth, liquidation and leverage moves are in `model::capital`.

use super::ParamError;
use crate::config::policy::LiquidationPolicy;

/// The sleeve's parameters before their check, by name. Pass to [`SleeveParams::new`].
#[derive(Debug, Clone, PartialEq)]
pub struct SleeveInputs {
    /// `yieldApr`: yield on collateral, per year (0.05 = 5%/yr); finite.
    pub yield_apr: f64,
    /// `borrowApr`: interest on debt, per year; finite, `>= 0`.
    pub borrow_apr: f64,
    /// Share of the collateral in the external asset (the rest is the stable component),
    /// in [0, 1].
    pub external_share: f64,
    /// Annualised volatility of the stable component, finite, `>= 0`.
    pub stable_volatility: f64,
    /// `hardLtv`: liquidation ceiling on `D / C` (0.75 = 75%); in (0, 1).
    pub hard_ltv: f64,
    /// The policy's liquidation terms.
    pub liquidation: LiquidationPolicy,
    /// `unwindCost`: share of the collateral sold when deleveraging or unwinding that is
    /// lost; in [0, 1).
    pub unwind_cost: f64,
    /// Most of the collateral one epoch's deleveraging sells, in (0, 1].
    pub max_unwind_share: f64,
    /// USD of the external asset sold that moves its price 2%, `> 0`.
    pub depth_2pct_usd: f64,
}

/// Validated parameters of the yield sleeve. Build with [`SleeveParams::new`].
#[derive(Debug, Clone, PartialEq)]
pub struct SleeveParams {
    inputs: SleeveInputs,
}

impl SleeveParams {
    /// Checks `inputs` against the ranges documented on [`SleeveInputs`]; the error names
    /// the first field out of range by its config key.
    pub fn new(inputs: SleeveInputs) -> Result<Self, ParamError> {
        let i = &inputs;
        if !i.yield_apr.is_finite() {
            return Err(ParamError::new(
                "yieldApr",
                format!("must be finite, got {}", i.yield_apr),
            ));
        }
        for (field, v) in [
            ("borrowApr", i.borrow_apr),
            ("collateral[].volatility", i.stable_volatility),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ParamError::new(
                    field,
                    format!("must be finite and >= 0, got {v}"),
                ));
            }
        }
        if !(0.0..=1.0).contains(&i.external_share) {
            return Err(ParamError::new(
                "collateral",
                format!("external share must be in [0, 1], got {}", i.external_share),
            ));
        }
        if !(i.hard_ltv > 0.0 && i.hard_ltv < 1.0) {
            return Err(ParamError::new(
                "hardLtv",
                format!("must be in (0, 1), got {}", i.hard_ltv),
            ));
        }
        if !(0.0..1.0).contains(&i.unwind_cost) {
            return Err(ParamError::new(
                "unwindCost",
                format!("must be in [0, 1), got {}", i.unwind_cost),
            ));
        }
        if !(i.max_unwind_share > 0.0 && i.max_unwind_share <= 1.0) {
            return Err(ParamError::new(
                "maxUnwindShare",
                format!("must be in (0, 1], got {}", i.max_unwind_share),
            ));
        }
        if !(i.depth_2pct_usd.is_finite() && i.depth_2pct_usd > 0.0) {
            return Err(ParamError::new(
                "depth2PctUsd",
                format!("must be finite and > 0, got {}", i.depth_2pct_usd),
            ));
        }
        Ok(Self { inputs })
    }

    /// The same parameters with another external share of the collateral (a posture
    /// choice the optimizer varies; config checking keeps it in [0, 1], and it is clamped
    /// there).
    pub fn with_external_share(&self, share: f64) -> Self {
        let mut inputs = self.inputs.clone();
        inputs.external_share = if share.is_nan() {
            inputs.external_share
        } else {
            share.clamp(0.0, 1.0)
        };
        Self { inputs }
    }

    /// Yield on collateral per year.
    pub fn yield_apr(&self) -> f64 {
        self.inputs.yield_apr
    }

    /// Interest on debt per year.
    pub fn borrow_apr(&self) -> f64 {
        self.inputs.borrow_apr
    }

    /// Share of the collateral in the external asset.
    pub fn external_share(&self) -> f64 {
        self.inputs.external_share
    }

    /// Annualised volatility of the stable component.
    pub fn stable_volatility(&self) -> f64 {
        self.inputs.stable_volatility
    }

    /// Liquidation ceiling on `D / C`.
    pub fn hard_ltv(&self) -> f64 {
        self.inputs.hard_ltv
    }

    /// The lending market's liquidation terms.
    pub fn liquidation(&self) -> &LiquidationPolicy {
        &self.inputs.liquidation
    }

    /// Share of collateral sold lost when deleveraging or unwinding.
    pub fn unwind_cost(&self) -> f64 {
        self.inputs.unwind_cost
    }

    /// Most of the collateral one epoch's deleveraging sells.
    pub fn max_unwind_share(&self) -> f64 {
        self.inputs.max_unwind_share
    }

    /// USD of the external asset sold that moves its price 2%.
    pub fn depth_2pct_usd(&self) -> f64 {
        self.inputs.depth_2pct_usd
    }
}

/// Example inputs for unit tests across the crate: a 50/50 collateral mix, Aave-style
/// partial liquidation, deep external markets.
#[cfg(test)]
pub(crate) fn example_inputs() -> SleeveInputs {
    use crate::config::policy::LiquidationMode;
    SleeveInputs {
        yield_apr: 0.06,
        borrow_apr: 0.04,
        external_share: 0.5,
        stable_volatility: 0.02,
        hard_ltv: 0.75,
        liquidation: LiquidationPolicy {
            mode: LiquidationMode::Partial,
            close_factor: 0.5,
            full_close_health_factor: 0.95,
            bonus: 0.05,
            source: String::new(),
        },
        unwind_cost: 0.002,
        max_unwind_share: 0.25,
        depth_2pct_usd: 1e8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> SleeveInputs {
        example_inputs()
    }

    #[test]
    fn accepts_good_parameters() {
        let p = SleeveParams::new(good()).expect("valid");
        assert_eq!(p.yield_apr(), 0.06);
        assert_eq!(p.external_share(), 0.5);
        assert_eq!(p.hard_ltv(), 0.75);
        assert_eq!(p.liquidation().bonus, 0.05);
        assert_eq!(p.with_external_share(1.0).external_share(), 1.0);
    }

    #[test]
    fn rejects_bad_parameters() {
        let field = |inputs: SleeveInputs| SleeveParams::new(inputs).unwrap_err().field;
        assert_eq!(
            field(SleeveInputs {
                yield_apr: f64::NAN,
                ..good()
            }),
            "yieldApr"
        );
        assert_eq!(
            field(SleeveInputs {
                borrow_apr: -0.01,
                ..good()
            }),
            "borrowApr"
        );
        assert_eq!(
            field(SleeveInputs {
                external_share: 1.5,
                ..good()
            }),
            "collateral"
        );
        assert_eq!(
            field(SleeveInputs {
                hard_ltv: 1.0,
                ..good()
            }),
            "hardLtv"
        );
        assert_eq!(
            field(SleeveInputs {
                unwind_cost: 1.0,
                ..good()
            }),
            "unwindCost"
        );
        assert_eq!(
            field(SleeveInputs {
                max_unwind_share: 0.0,
                ..good()
            }),
            "maxUnwindShare"
        );
        assert_eq!(
            field(SleeveInputs {
                depth_2pct_usd: 0.0,
                ..good()
            }),
            "depth2PctUsd"
        );
    }
}
