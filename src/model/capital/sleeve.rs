//! The yield sleeve's validated parameters and its growth over one epoch.
//!
//! This file must not move money between buckets or change the sleeve's leverage: liquidation
//! and leverage moves live in `leverage.rs`, rebalancing in `rebalance.rs`, the floor in
//! `floor.rs`.

use super::Buckets;
use crate::model::ParamError;

/// One epoch of sleeve growth. `T` changes by `yield_pnl + market_pnl - interest`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SleeveGrowth {
    /// `C yieldApr dt`, USD.
    pub yield_pnl: f64,
    /// Mark-to-market of the collateral, `C collateralBeta r_t` (less if `C` hit 0), USD.
    pub market_pnl: f64,
    /// `D borrowApr dt`, USD, added to the debt.
    pub interest: f64,
}

impl SleeveGrowth {
    /// Change of `T`: `yield_pnl + market_pnl - interest`, USD.
    pub fn net(&self) -> f64 {
        self.yield_pnl + self.market_pnl - self.interest
    }
}

/// Validated parameters of the yield sleeve. Build with [`SleeveParams::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SleeveParams {
    /// Yield on collateral, per year (0.05 = 5%/yr); finite.
    yield_apr: f64,
    /// Interest on debt, per year; finite, `>= 0`.
    borrow_apr: f64,
    /// Sensitivity of collateral value to the external asset's return; finite, `>= 0`.
    collateral_beta: f64,
    /// Liquidation LTV ceiling (0.75 = 75%); in (0, 1).
    pub(super) hard_ltv: f64,
    /// Share of the collateral sold in a liquidation that is lost; in [0, 1).
    pub(super) liquidation_penalty: f64,
    /// Share of the collateral sold when deleveraging or unwinding that is lost; in [0, 1).
    pub(super) unwind_cost: f64,
}

impl SleeveParams {
    /// Checks and builds the parameters.
    ///
    /// * `yield_apr` (`yieldApr`): yield on collateral per year, finite.
    /// * `borrow_apr` (`borrowApr`): interest on debt per year, finite, `>= 0`.
    /// * `collateral_beta` (`collateralBeta`): collateral return per unit external-asset
    ///   return, finite, `>= 0`.
    /// * `hard_ltv` (`hardLtv`): liquidation ceiling on `D / C`, in (0, 1).
    /// * `liquidation_penalty` (`liquidationPenalty`): share of collateral sold lost, in [0, 1).
    /// * `unwind_cost` (`unwindCost`): share of collateral sold lost when deleveraging or
    ///   unwinding, in [0, 1).
    pub fn new(
        yield_apr: f64,
        borrow_apr: f64,
        collateral_beta: f64,
        hard_ltv: f64,
        liquidation_penalty: f64,
        unwind_cost: f64,
    ) -> Result<Self, ParamError> {
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
        Ok(Self {
            yield_apr,
            borrow_apr,
            collateral_beta,
            hard_ltv,
            liquidation_penalty,
            unwind_cost,
        })
    }

    /// Yield on collateral per year.
    pub fn yield_apr(&self) -> f64 {
        self.yield_apr
    }

    /// Interest on debt per year.
    pub fn borrow_apr(&self) -> f64 {
        self.borrow_apr
    }

    /// Collateral return per unit external-asset return.
    pub fn collateral_beta(&self) -> f64 {
        self.collateral_beta
    }

    /// Liquidation ceiling on `D / C`.
    pub fn hard_ltv(&self) -> f64 {
        self.hard_ltv
    }

    /// Share of collateral sold lost in a liquidation.
    pub fn liquidation_penalty(&self) -> f64 {
        self.liquidation_penalty
    }

    /// Share of collateral sold lost when deleveraging or unwinding.
    pub fn unwind_cost(&self) -> f64 {
        self.unwind_cost
    }

    /// One epoch: `C *= 1 + yieldApr dt + collateralBeta r_t` (floored at 0),
    /// `D *= 1 + borrowApr dt`. `r_t` is the external asset's simple return this epoch (finite),
    /// `dt` the epoch in years.
    #[inline]
    pub fn grow(&self, b: &mut Buckets, r_t: f64, dt: f64) -> SleeveGrowth {
        let (c0, d0) = (b.collateral, b.debt);
        let yield_pnl = c0 * self.yield_apr * dt;
        b.collateral = (c0 * (1.0 + self.yield_apr * dt + self.collateral_beta * r_t)).max(0.0);
        b.debt = d0 * (1.0 + self.borrow_apr * dt);
        SleeveGrowth {
            yield_pnl,
            market_pnl: b.collateral - c0 - yield_pnl,
            interest: b.debt - d0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn compounding_is_deterministic_and_exact() {
        let p = params();
        let mut b = Buckets::allocate(1e8, &targets(0.6, 0.5, 2.0));
        let (c0, d0, t0) = (b.collateral, b.debt, b.total());
        let mut booked = 0.0;
        let n = 365;
        for _ in 0..n {
            booked += p.grow(&mut b, 0.0, DT).net();
        }
        assert!(close(b.collateral, c0 * (1.0 + 0.06 * DT).powi(n), EXACT));
        assert!(close(b.debt, d0 * (1.0 + 0.04 * DT).powi(n), EXACT));
        assert!(close(b.total(), t0 + booked, EXACT));
    }

    #[test]
    fn grow_attributes_market_pnl_and_floors_collateral() {
        let p = params();
        let mut b = Buckets {
            collateral: 200.0,
            debt: 100.0,
            pmm: 0.0,
            reserve: 0.0,
        };
        let g = p.grow(&mut b, -0.4, 1.0);
        // C = 200 (1 + 0.06 - 0.2) = 172, D = 104.
        assert!(close(b.collateral, 172.0, EXACT) && close(b.debt, 104.0, EXACT));
        assert!(close(g.yield_pnl, 12.0, EXACT) && close(g.market_pnl, -40.0, EXACT));
        assert!(close(g.interest, 4.0, EXACT));
        let g = p.grow(&mut b, -3.0, 0.0);
        assert_eq!(b.collateral, 0.0);
        assert!(close(g.market_pnl, -172.0, EXACT));
    }

    #[test]
    fn rejects_bad_parameters() {
        let field = |r: Result<SleeveParams, ParamError>| r.unwrap_err().field;
        assert_eq!(
            field(SleeveParams::new(f64::NAN, 0.04, 0.5, 0.75, 0.05, 0.002)),
            "yieldApr"
        );
        assert_eq!(
            field(SleeveParams::new(0.06, -0.01, 0.5, 0.75, 0.05, 0.002)),
            "borrowApr"
        );
        assert_eq!(
            field(SleeveParams::new(0.06, 0.04, -0.5, 0.75, 0.05, 0.002)),
            "collateralBeta"
        );
        assert_eq!(
            field(SleeveParams::new(0.06, 0.04, 0.5, 1.0, 0.05, 0.002)),
            "hardLtv"
        );
        assert_eq!(
            field(SleeveParams::new(0.06, 0.04, 0.5, 0.75, 1.0, 0.002)),
            "liquidationPenalty"
        );
        assert_eq!(
            field(SleeveParams::new(0.06, 0.04, 0.5, 0.75, 0.05, -0.1)),
            "unwindCost"
        );
    }
}
