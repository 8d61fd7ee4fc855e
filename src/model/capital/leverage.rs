//! Changes of the sleeve's leverage: the forced one (liquidation at the hard LTV) and the
//! chosen ones (deleveraging to a maximum LTV, levering to a target).
//!
//! This file must not decide when to call them (which LTV is the operating ceiling, whether a
//! liquidated path stays unlevered): that is the engine's policy.

use super::{Buckets, SleeveParams, leverage_or_one};
use crate::config::policy::LiquidationMode;

/// A change of the sleeve's leverage: signed changes of `C` and `D`, and the cost (reduces `T`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LeverageChange {
    /// Change of `C`, USD (negative when collateral was sold).
    pub collateral_change: f64,
    /// Change of `D`, USD (negative when debt was repaid).
    pub debt_change: f64,
    /// Unwind cost paid on collateral sold, USD, `>= 0`.
    pub cost: f64,
}

/// A liquidation by the lending market. `T` falls by `loss` (bonus plus slippage).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Liquidation {
    /// Collateral seized, USD at the liquidation price.
    pub collateral_seized: f64,
    /// Debt repaid (from the seized collateral and the other buckets), USD.
    pub debt_repaid: f64,
    /// Liquidation bonus plus slippage: what the seizure cost the treasury, USD.
    pub loss: f64,
    /// Debt the seizure could not cover, paid from `R`, USD.
    pub shortfall_from_reserve: f64,
    /// Debt the seizure and `R` could not cover, paid from `M`, USD.
    pub shortfall_from_pmm: f64,
    /// Debt nothing could cover; it stays as `D` with `C = 0`, so `T` is negative. USD.
    pub unpaid_debt: f64,
}

impl SleeveParams {
    /// Slippage of selling `sold` USD of collateral into the external market: only the
    /// external share pays it, at a linear price impact that reaches 2% after
    /// `depth2PctUsd`, so the average cost is `1%` per `depth2PctUsd` sold. A share of
    /// `sold`, capped at 50%.
    #[inline]
    pub fn slippage_rate(&self, sold: f64) -> f64 {
        (self.external_share() * 0.01 * sold.max(0.0) / self.depth_2pct_usd()).min(0.5)
    }

    /// Liquidates the position when the collateral was worth `value` (its value at the
    /// crossing of the hard ceiling, or after a gap through it; `value > 0`), applied to the
    /// end-of-epoch balance `b`. The market repays `close D` of debt, `close` the policy's
    /// close factor (all of it in `full` mode or below the full-close health factor), and
    /// seizes `close D (1 + bonus) / (1 - slippage)` of collateral at that value, i.e. the
    /// same share of the end-of-epoch collateral. If the collateral does not cover it, all
    /// of it is seized and the shortfall is paid from `R`, then `M`; any rest stays as debt.
    #[inline]
    pub fn liquidate(&self, b: &mut Buckets, value: f64) -> Liquidation {
        let terms = self.liquidation();
        let debt = b.debt;
        if !(debt > 0.0 && value > 0.0) {
            return Liquidation::default();
        }
        let health = self.hard_ltv() * value / debt;
        let close = match terms.mode {
            LiquidationMode::Full => 1.0,
            LiquidationMode::Partial if health < terms.full_close_health_factor => 1.0,
            LiquidationMode::Partial => terms.close_factor,
        };
        let repay = close * debt;
        let gross = repay * (1.0 + terms.bonus);
        let seized = gross / (1.0 - self.slippage_rate(gross));
        if seized <= value {
            let share = seized / value;
            let taken = b.collateral * share;
            b.collateral -= taken;
            b.debt -= repay;
            return Liquidation {
                collateral_seized: taken,
                debt_repaid: repay,
                loss: taken - repay,
                ..Liquidation::default()
            };
        }
        // Underwater at the liquidation price: everything is seized.
        let taken = b.collateral.max(0.0);
        let proceeds = (value * (1.0 - self.slippage_rate(value)) / (1.0 + terms.bonus)).min(repay);
        let shortfall = debt - proceeds;
        let from_reserve = shortfall.min(b.reserve).max(0.0);
        b.reserve -= from_reserve;
        let from_pmm = (shortfall - from_reserve).min(b.pmm).max(0.0);
        b.pmm -= from_pmm;
        let unpaid = (shortfall - from_reserve - from_pmm).max(0.0);
        b.collateral = 0.0;
        b.debt = unpaid;
        Liquidation {
            collateral_seized: taken,
            debt_repaid: debt - unpaid,
            loss: taken - proceeds,
            shortfall_from_reserve: from_reserve,
            shortfall_from_pmm: from_pmm,
            unpaid_debt: unpaid,
        }
    }

    /// One epoch of deleveraging, as the runbook's procedure does it: if `LTV > max_ltv`,
    /// sells collateral to repay debt toward `target_ltv` (`<= max_ltv`), at most
    /// `maxUnwindShare` of the collateral this epoch, paying the unwind cost plus slippage.
    /// It may take several epochs. Nothing when `LTV <= max_ltv`.
    #[inline]
    pub fn deleverage_step(
        &self,
        b: &mut Buckets,
        max_ltv: f64,
        target_ltv: f64,
    ) -> LeverageChange {
        if !(b.debt > 0.0 && b.ltv() > max_ltv) {
            return LeverageChange::default();
        }
        let t = target_ltv.clamp(0.0, max_ltv.max(0.0));
        let cap = self.max_unwind_share() * b.collateral;
        // Selling x at cost rate k repays x (1 - k): LTV lands on t when
        // x = (D - t C) / (1 - k - t). k depends on x through the slippage; one fixed-point
        // step from the unwind cost alone is within a basis point for sales below the depth.
        let solve = |k: f64| {
            let denom = 1.0 - k - t;
            if denom > 0.0 {
                (b.debt - t * b.collateral) / denom
            } else {
                f64::INFINITY
            }
        };
        let first = solve(self.unwind_cost()).min(cap);
        let k = self.unwind_cost() + self.slippage_rate(first);
        let x = solve(k).min(cap);
        self.sell_to_repay_at(b, x, k)
    }

    /// If `LTV > max_ltv`, sells `x = (D - max_ltv C) / (1 - unwindCost - max_ltv)` of
    /// collateral and repays `x (1 - unwindCost)` of debt, which lands exactly on `max_ltv`;
    /// cost `unwindCost x`. If `max_ltv >= 1 - unwindCost` the target is unreachable by selling
    /// and all debt is repaid instead. A NaN `max_ltv` does nothing.
    #[inline]
    pub fn deleverage_to(&self, b: &mut Buckets, max_ltv: f64) -> LeverageChange {
        if !(b.debt > 0.0 && b.ltv() > max_ltv) {
            return LeverageChange::default();
        }
        let m = max_ltv.max(0.0);
        let denom = 1.0 - self.unwind_cost() - m;
        let x = if denom > 0.0 {
            (b.debt - m * b.collateral) / denom
        } else {
            f64::INFINITY
        };
        self.sell_to_repay(b, x)
    }

    /// Moves the sleeve to `C / Y = target_leverage` (`>= 1`; below 1 or NaN counts as 1).
    /// Up: borrows `L Y - C` and buys collateral, free. Down: sells
    /// `x = (C - L Y) / (1 - L unwindCost)` and repays `x (1 - unwindCost)`, cost
    /// `unwindCost x` (if `L unwindCost >= 1` it repays all debt instead). Nothing if `Y <= 0`.
    #[inline]
    pub fn lever_to(&self, b: &mut Buckets, target_leverage: f64) -> LeverageChange {
        let y = b.equity();
        if y.is_nan() || y <= 0.0 {
            return LeverageChange::default();
        }
        let l = leverage_or_one(target_leverage);
        let goal = l * y;
        if goal > b.collateral {
            let borrow = goal - b.collateral;
            b.collateral = goal;
            b.debt += borrow;
            LeverageChange {
                collateral_change: borrow,
                debt_change: borrow,
                cost: 0.0,
            }
        } else if goal < b.collateral {
            let denom = 1.0 - l * self.unwind_cost();
            let x = if denom > 0.0 {
                (b.collateral - goal) / denom
            } else {
                f64::INFINITY
            };
            self.sell_to_repay(b, x)
        } else {
            LeverageChange::default()
        }
    }

    /// Sells `x` of collateral (clamped into [0, min(C, D / (1 - unwindCost))]) and repays debt
    /// with the proceeds `x (1 - unwindCost)`.
    #[inline]
    fn sell_to_repay(&self, b: &mut Buckets, x: f64) -> LeverageChange {
        self.sell_to_repay_at(b, x, self.unwind_cost())
    }

    /// Sells `x` of collateral (clamped into [0, min(C, D / (1 - k))]) and repays debt with
    /// the proceeds `x (1 - k)`; `k` is the cost rate, in [0, 1).
    #[inline]
    fn sell_to_repay_at(&self, b: &mut Buckets, x: f64, k: f64) -> LeverageChange {
        let full = b.debt / (1.0 - k);
        let x = x.min(b.collateral).min(full);
        if x.is_nan() || x <= 0.0 {
            return LeverageChange::default();
        }
        let repaid = if x >= full { b.debt } else { x * (1.0 - k) };
        b.collateral -= x;
        b.debt = if x >= full {
            0.0
        } else {
            (b.debt - repaid).max(0.0)
        };
        LeverageChange {
            collateral_change: -x,
            debt_change: -repaid,
            cost: x - repaid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn partial_liquidation_repays_the_close_factor_and_pays_the_bonus() {
        // Aave-style terms: close factor 0.5, bonus 5%; tiny sale against deep markets.
        let p = params();
        let mut b = Buckets {
            collateral: 100.0,
            debt: 75.0,
            pmm: 10.0,
            reserve: 20.0,
        };
        let t0 = b.total();
        // At the barrier (health factor 1): repay 37.5, seize 37.5 * 1.05 / (1 - slip).
        let liq = p.liquidate(&mut b, 100.0);
        let slip = p.slippage_rate(37.5 * 1.05);
        let seized = 37.5 * 1.05 / (1.0 - slip);
        assert!(close(liq.debt_repaid, 37.5, EXACT));
        assert!(close(liq.collateral_seized, seized, EXACT));
        assert!(close(b.debt, 37.5, EXACT) && close(b.collateral, 100.0 - seized, EXACT));
        // Capital falls by exactly the loss (bonus plus slippage).
        assert!(close(b.total(), t0 - liq.loss, EXACT));
        assert!(close(liq.loss, seized - 37.5, EXACT));
        // The position is healthier afterwards.
        assert!(b.ltv() < 0.75);
    }

    #[test]
    fn deep_breach_and_full_mode_repay_all_the_debt() {
        let p = params();
        // Health factor 0.75 * 90 / 80 = 0.84 < 0.95: everything is closed.
        let mut b = Buckets {
            collateral: 90.0,
            debt: 80.0,
            pmm: 10.0,
            reserve: 20.0,
        };
        let liq = p.liquidate(&mut b, 90.0);
        assert!(close(liq.debt_repaid, 80.0, EXACT) && b.debt == 0.0);
        assert!(b.collateral > 0.0);
        let mut full = params_with(|i| i.liquidation.mode = LiquidationMode::Full);
        let mut c = Buckets {
            collateral: 100.0,
            debt: 75.0,
            pmm: 0.0,
            reserve: 0.0,
        };
        full = full.clone();
        let liq = full.liquidate(&mut c, 100.0);
        assert!(close(liq.debt_repaid, 75.0, EXACT) && c.debt == 0.0);
    }

    #[test]
    fn no_debt_is_never_liquidated() {
        let p = params();
        let mut b = Buckets {
            collateral: 1.0,
            debt: 0.0,
            pmm: 10.0,
            reserve: 20.0,
        };
        assert_eq!(p.liquidate(&mut b, 0.5), Liquidation::default());
        assert_eq!(b.collateral, 1.0);
    }

    #[test]
    fn underwater_liquidation_takes_reserve_then_pmm() {
        let p = params();
        // A gap to 50 of collateral against 80 of debt: all collateral goes, the rest of
        // the debt comes from R, then M.
        let mut b = Buckets {
            collateral: 50.0,
            debt: 80.0,
            pmm: 30.0,
            reserve: 20.0,
        };
        let t0 = b.total();
        let liq = p.liquidate(&mut b, 50.0);
        assert_eq!(b.collateral, 0.0);
        let proceeds = 50.0 * (1.0 - p.slippage_rate(50.0)) / 1.05;
        assert!(close(liq.shortfall_from_reserve, 20.0, EXACT));
        assert!(close(liq.shortfall_from_pmm, 80.0 - proceeds - 20.0, EXACT));
        assert_eq!(b.reserve, 0.0);
        assert!(close(b.total(), t0 - liq.loss, 1e-9));
    }

    #[test]
    fn deleverage_step_is_capped_per_epoch_and_reaches_the_target() {
        let p = params();
        // LTV 0.7 > max 0.65; target 0.5; at most 25% of C per epoch.
        let mut b = Buckets {
            collateral: 1000.0,
            debt: 700.0,
            pmm: 0.0,
            reserve: 0.0,
        };
        let t0 = b.total();
        // Landing on 0.5 needs about 400 of sales; the cap allows 250 this epoch, which is
        // enough to end under the 0.65 maximum.
        let step = p.deleverage_step(&mut b, 0.65, 0.5);
        assert!(close(-step.collateral_change, 250.0, EXACT));
        assert!(b.ltv() < 0.65 && b.ltv() > 0.5);
        // Under a tighter maximum the next epoch sells the rest and lands on the target.
        let next = p.deleverage_step(&mut b, 0.55, 0.5);
        assert!(-next.collateral_change < 0.25 * 750.0);
        assert!(close(b.ltv(), 0.5, 1e-12));
        assert!(close(b.total(), t0 - step.cost - next.cost, EXACT));
        // Below the maximum nothing happens.
        assert_eq!(
            p.deleverage_step(&mut b, 0.65, 0.3),
            LeverageChange::default()
        );
    }

    #[test]
    fn deleverage_lands_exactly_on_max_ltv() {
        let p = params();
        for (c, d, m) in [
            (100.0, 72.0, 0.65),
            (100.0, 70.0, 0.5),
            (400.0, 290.0, 0.0),
            (10.0, 7.0, 0.3),
        ] {
            let mut b = Buckets {
                collateral: c,
                debt: d,
                pmm: 1.0,
                reserve: 1.0,
            };
            let t0 = b.total();
            let ch = p.deleverage_to(&mut b, m);
            assert!((b.ltv() - m).abs() < EXACT, "ltv {} vs {m}", b.ltv());
            assert!(close(ch.cost, -0.002 * ch.collateral_change, EXACT));
            assert!(close(b.total(), t0 - ch.cost, EXACT));
            assert_non_negative(&b);
        }
        // Already below: nothing.
        let mut b = Buckets {
            collateral: 100.0,
            debt: 60.0,
            pmm: 0.0,
            reserve: 0.0,
        };
        assert_eq!(p.deleverage_to(&mut b, 0.65), LeverageChange::default());
    }

    #[test]
    fn lever_to_hits_the_target_both_ways() {
        let p = params();
        let mut b = Buckets::allocate(1e6, &targets(0.5, 0.5, 1.0));
        let y0 = b.equity();
        let up = p.lever_to(&mut b, 3.0);
        assert_eq!(up.cost, 0.0);
        assert!(close(b.leverage(), 3.0, EXACT) && close(b.equity(), y0, EXACT));
        let t0 = b.total();
        let down = p.lever_to(&mut b, 1.5);
        assert!(close(b.leverage(), 1.5, EXACT));
        assert!(close(down.cost, -0.002 * down.collateral_change, EXACT));
        assert!(close(b.total(), t0 - down.cost, EXACT));
        p.lever_to(&mut b, 0.5); // counts as 1: all debt repaid
        assert_eq!(b.debt, 0.0);
    }
}
