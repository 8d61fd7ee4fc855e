//! Changes of the sleeve's leverage: the forced one (liquidation at the hard LTV) and the
//! chosen ones (deleveraging to a maximum LTV, levering to a target).
//!
//! This file must not decide when to call them (which LTV is the operating ceiling, whether a
//! liquidated path stays unlevered): that is the engine's policy.

use super::{Buckets, SleeveParams, leverage_or_one};

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

/// A liquidation: all debt repaid by selling collateral at a penalty. `T` falls by `penalty`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Liquidation {
    /// Collateral sold, USD.
    pub collateral_sold: f64,
    /// Debt repaid (from sale proceeds and the other buckets), USD.
    pub debt_repaid: f64,
    /// `liquidationPenalty * collateral_sold`, USD: the cost.
    pub penalty: f64,
    /// Debt the sale could not cover, paid from `R`, USD.
    pub shortfall_from_reserve: f64,
    /// Debt the sale and `R` could not cover, paid from `M`, USD.
    pub shortfall_from_pmm: f64,
    /// Debt nothing could cover; it stays as `D` with `C = 0`, so `T` is negative. USD.
    pub unpaid_debt: f64,
}

impl SleeveParams {
    /// Liquidates if `D > 0` and `LTV >= hardLtv`: sells `D / (1 - penalty)` of collateral to
    /// repay all debt (or all collateral if that is not enough, the shortfall paid from `R`,
    /// then `M`, any rest left as debt). Remaining equity stays as unlevered collateral.
    #[inline]
    pub fn check_liquidation(&self, b: &mut Buckets) -> Option<Liquidation> {
        if !(b.debt > 0.0 && b.ltv() >= self.hard_ltv()) {
            return None;
        }
        let debt = b.debt;
        let needed = debt / (1.0 - self.liquidation_penalty());
        if needed <= b.collateral {
            b.collateral -= needed;
            b.debt = 0.0;
            return Some(Liquidation {
                collateral_sold: needed,
                debt_repaid: debt,
                penalty: needed - debt,
                ..Liquidation::default()
            });
        }
        let sold = b.collateral.max(0.0);
        let proceeds = sold * (1.0 - self.liquidation_penalty());
        let shortfall = debt - proceeds;
        let from_reserve = shortfall.min(b.reserve).max(0.0);
        b.reserve -= from_reserve;
        let from_pmm = (shortfall - from_reserve).min(b.pmm).max(0.0);
        b.pmm -= from_pmm;
        let unpaid = (shortfall - from_reserve - from_pmm).max(0.0);
        b.collateral = 0.0;
        b.debt = unpaid;
        Some(Liquidation {
            collateral_sold: sold,
            debt_repaid: debt - unpaid,
            penalty: sold - proceeds,
            shortfall_from_reserve: from_reserve,
            shortfall_from_pmm: from_pmm,
            unpaid_debt: unpaid,
        })
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
        let full = b.debt / (1.0 - self.unwind_cost());
        let x = x.min(b.collateral).min(full);
        if x.is_nan() || x <= 0.0 {
            return LeverageChange::default();
        }
        let repaid = if x >= full {
            b.debt
        } else {
            x * (1.0 - self.unwind_cost())
        };
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
    fn liquidation_at_hard_ltv_and_not_below() {
        let p = params();
        let mut safe = Buckets {
            collateral: 100.0,
            debt: 74.999_999,
            pmm: 10.0,
            reserve: 20.0,
        };
        assert!(p.check_liquidation(&mut safe).is_none());
        assert_eq!(safe.debt, 74.999_999);

        let mut b = Buckets {
            collateral: 100.0,
            debt: 75.0,
            pmm: 10.0,
            reserve: 20.0,
        };
        let t0 = b.total();
        let liq = p.check_liquidation(&mut b).unwrap();
        let sold = 75.0 / 0.95;
        assert!(close(liq.collateral_sold, sold, EXACT));
        assert!(close(liq.penalty, 0.05 * sold, EXACT));
        assert_eq!(b.debt, 0.0);
        assert!(close(b.collateral, 100.0 - sold, EXACT));
        assert!(close(b.total(), t0 - liq.penalty, EXACT));
        assert_eq!((b.pmm, b.reserve), (10.0, 20.0));
    }

    #[test]
    fn underwater_liquidation_takes_reserve_then_pmm() {
        let p = params();
        // Proceeds 50 * 0.95 = 47.5, shortfall 27.5: 20 from R, 7.5 from M.
        let mut b = Buckets {
            collateral: 50.0,
            debt: 75.0,
            pmm: 10.0,
            reserve: 20.0,
        };
        let t0 = b.total();
        let liq = p.check_liquidation(&mut b).unwrap();
        assert!(close(liq.shortfall_from_reserve, 20.0, EXACT));
        assert!(close(liq.shortfall_from_pmm, 7.5, EXACT));
        assert_eq!(liq.unpaid_debt, 0.0);
        assert_eq!((b.collateral, b.debt, b.reserve), (0.0, 0.0, 0.0));
        assert!(close(b.pmm, 2.5, EXACT));
        assert!(close(b.total(), t0 - liq.penalty, EXACT) && close(liq.penalty, 2.5, EXACT));

        // Nothing left to pay with: the rest stays as debt.
        let mut b = Buckets {
            collateral: 0.0,
            debt: 30.0,
            pmm: 5.0,
            reserve: 10.0,
        };
        let liq = p.check_liquidation(&mut b).unwrap();
        assert!(close(liq.unpaid_debt, 15.0, EXACT) && close(b.debt, 15.0, EXACT));
        assert!(close(b.total(), -15.0, EXACT) && liq.penalty == 0.0);
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
