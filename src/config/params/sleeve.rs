//! Validated parameters of the yield sleeve (`capitalEfficiency.sleeve` plus the policy's
//! hard LTV ceiling): `SleeveInputs` names the six numbers, `SleeveParams::new` checks them.
//! The sleeve's growth, liquidation and leverage moves are in `model::capital`.

use super::ParamError;

/// The sleeve's parameters before their check, by name. Pass to [`SleeveParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SleeveInputs {
    /// `yieldApr`: yield on collateral, per year (0.05 = 5%/yr); finite.
    pub yield_apr: f64,
    /// `borrowApr`: interest on debt, per year; finite, `>= 0`.
    pub borrow_apr: f64,
    /// `collateralBeta`: collateral return per unit of external-asset return; finite, `>= 0`.
    pub collateral_beta: f64,
    /// `hardLtv`: liquidation ceiling on `D / C` (0.75 = 75%); in (0, 1).
    pub hard_ltv: f64,
    /// `liquidationPenalty`: share of the collateral sold in a liquidation that is lost;
    /// in [0, 1).
    pub liquidation_penalty: f64,
    /// `unwindCost`: share of the collateral sold when deleveraging or unwinding that is
    /// lost; in [0, 1).
    pub unwind_cost: f64,
}

/// Validated parameters of the yield sleeve. Build with [`SleeveParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SleeveParams {
    inputs: SleeveInputs,
}

impl SleeveParams {
    /// Checks `inputs` against the ranges documented on [`SleeveInputs`]; the error names
    /// the first field out of range by its config key.
    pub fn new(inputs: SleeveInputs) -> Result<Self, ParamError> {
        let SleeveInputs {
            yield_apr,
            borrow_apr,
            collateral_beta,
            hard_ltv,
            liquidation_penalty,
            unwind_cost,
        } = inputs;
        if !yield_apr.is_finite() {
            return Err(ParamError::new(
                "yieldApr",
                format!("must be finite, got {yield_apr}"),
            ));
        }
        for (field, v) in [
            ("borrowApr", borrow_apr),
            ("collateralBeta", collateral_beta),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ParamError::new(
                    field,
                    format!("must be finite and >= 0, got {v}"),
                ));
            }
        }
        if !(hard_ltv > 0.0 && hard_ltv < 1.0) {
            return Err(ParamError::new(
                "hardLtv",
                format!("must be in (0, 1), got {hard_ltv}"),
            ));
        }
        for (field, v) in [
            ("liquidationPenalty", liquidation_penalty),
            ("unwindCost", unwind_cost),
        ] {
            if !(0.0..1.0).contains(&v) {
                return Err(ParamError::new(
                    field,
                    format!("must be in [0, 1), got {v}"),
                ));
            }
        }
        Ok(Self { inputs })
    }

    /// Yield on collateral per year.
    pub fn yield_apr(&self) -> f64 {
        self.inputs.yield_apr
    }

    /// Interest on debt per year.
    pub fn borrow_apr(&self) -> f64 {
        self.inputs.borrow_apr
    }

    /// Collateral return per unit external-asset return.
    pub fn collateral_beta(&self) -> f64 {
        self.inputs.collateral_beta
    }

    /// Liquidation ceiling on `D / C`.
    pub fn hard_ltv(&self) -> f64 {
        self.inputs.hard_ltv
    }

    /// Share of collateral sold lost in a liquidation.
    pub fn liquidation_penalty(&self) -> f64 {
        self.inputs.liquidation_penalty
    }

    /// Share of collateral sold lost when deleveraging or unwinding.
    pub fn unwind_cost(&self) -> f64 {
        self.inputs.unwind_cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: SleeveInputs = SleeveInputs {
        yield_apr: 0.06,
        borrow_apr: 0.04,
        collateral_beta: 0.5,
        hard_ltv: 0.75,
        liquidation_penalty: 0.05,
        unwind_cost: 0.002,
    };

    #[test]
    fn accepts_good_parameters() {
        let p = SleeveParams::new(GOOD).expect("valid");
        assert_eq!(p.yield_apr(), 0.06);
        assert_eq!(p.borrow_apr(), 0.04);
        assert_eq!(p.collateral_beta(), 0.5);
        assert_eq!(p.hard_ltv(), 0.75);
        assert_eq!(p.liquidation_penalty(), 0.05);
        assert_eq!(p.unwind_cost(), 0.002);
    }

    #[test]
    fn rejects_bad_parameters() {
        let field = |inputs: SleeveInputs| SleeveParams::new(inputs).unwrap_err().field;
        let yield_apr = f64::NAN;
        assert_eq!(field(SleeveInputs { yield_apr, ..GOOD }), "yieldApr");
        let borrow_apr = -0.01;
        assert_eq!(field(SleeveInputs { borrow_apr, ..GOOD }), "borrowApr");
        let collateral_beta = -0.5;
        assert_eq!(
            field(SleeveInputs {
                collateral_beta,
                ..GOOD
            }),
            "collateralBeta"
        );
        let hard_ltv = 1.0;
        assert_eq!(field(SleeveInputs { hard_ltv, ..GOOD }), "hardLtv");
        let liquidation_penalty = 1.0;
        assert_eq!(
            field(SleeveInputs {
                liquidation_penalty,
                ..GOOD
            }),
            "liquidationPenalty"
        );
        let unwind_cost = -0.1;
        assert_eq!(
            field(SleeveInputs {
                unwind_cost,
                ..GOOD
            }),
            "unwindCost"
        );
    }
}
