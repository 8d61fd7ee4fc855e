//! The treasury's buckets (`C`, `D`, `M`, `R`), the target allocation, and the transfers
//! between buckets with their costs.
//!
//! This file must not know the sleeve's parameters (rates, LTV ceilings, penalties): it moves
//! money at the cost rates its callers pass, and keeps every bucket at or above zero.

use super::{FLOOR_TOLERANCE, leverage_or_one, unit};

/// The treasury's capital, in USD.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Buckets {
    /// `C`: collateral held by the yield sleeve, USD, `>= 0`.
    pub collateral: f64,
    /// `D`: debt borrowed against the collateral, USD, `>= 0`.
    pub debt: f64,
    /// `M`: PMM inventory across chains, USD, `>= 0`.
    pub pmm: f64,
    /// `R`: external liquidity reserve, USD, `>= 0`.
    pub reserve: f64,
}

/// Target allocation. Out-of-range values are clamped where used, as documented per field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AllocationTargets {
    /// `alpha`: yield sleeve equity as a share of `T`, in [0, 1] (clamped).
    pub alpha: f64,
    /// PMM inventory as a share of the rest `(1 - alpha) T`, in [0, 1] (clamped).
    pub pmm_share: f64,
    /// `L`: sleeve leverage `C / Y`, `>= 1` (below 1, NaN or infinite counts as 1).
    pub leverage: f64,
}

impl AllocationTargets {
    /// Target shares of `T`, `[Y, M, R] = [alpha, (1 - alpha) pmm_share, (1 - alpha)(1 - pmm_share)]`.
    #[inline]
    pub fn weights(&self) -> [f64; 3] {
        let (a, s) = (unit(self.alpha), unit(self.pmm_share));
        [a, (1.0 - a) * s, (1.0 - a) * (1.0 - s)]
    }
}

/// A liquid bucket: PMM inventory `M` or the reserve `R`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liquid {
    /// `M`, PMM inventory.
    Pmm,
    /// `R`, external liquidity reserve.
    Reserve,
}

/// One transfer: `withdrawn = delivered + cost`, all USD, `>= 0`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Transfer {
    /// Equity that left the source bucket, USD.
    pub withdrawn: f64,
    /// Equity that arrived at the destination, USD.
    pub delivered: f64,
    /// Lost on the way (reduces `T`), USD.
    pub cost: f64,
}

impl Buckets {
    /// Buckets at the target weights of `total` (USD), the sleeve at the target leverage.
    pub fn allocate(total: f64, targets: &AllocationTargets) -> Self {
        let [y, m, r] = targets.weights();
        let t = total.max(0.0);
        let l = leverage_or_one(targets.leverage);
        Self {
            collateral: l * y * t,
            debt: (l - 1.0) * y * t,
            pmm: m * t,
            reserve: r * t,
        }
    }

    /// `Y = C - D`, sleeve equity, USD.
    #[inline]
    pub fn equity(&self) -> f64 {
        self.collateral - self.debt
    }

    /// `T = Y + M + R`, USD.
    #[inline]
    pub fn total(&self) -> f64 {
        self.equity() + self.pmm + self.reserve
    }

    /// `L = C / Y`. An empty sleeve (`C = D = 0`) counts as 1 (unlevered); a sleeve with
    /// `Y <= 0` and collateral or debt is infinitely levered.
    #[inline]
    pub fn leverage(&self) -> f64 {
        let y = self.equity();
        if y > 0.0 {
            self.collateral / y
        } else if self.collateral <= 0.0 && self.debt <= 0.0 {
            1.0
        } else {
            f64::INFINITY
        }
    }

    /// `LTV = D / C`; 0 when `C = 0` and `D = 0`, infinite when `C = 0` and `D > 0`.
    #[inline]
    pub fn ltv(&self) -> f64 {
        if self.collateral > 0.0 {
            self.debt / self.collateral
        } else if self.debt > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }

    /// `R < floor * T` beyond the rounding allowance [`FLOOR_TOLERANCE`]. `floor` is a share of
    /// `T`, clamped into [0, 1].
    #[inline]
    pub fn below_floor(&self, floor: f64) -> bool {
        let t = self.total();
        self.reserve < unit(floor) * t - FLOOR_TOLERANCE * t.abs()
    }

    /// Moves up to `amount` USD of equity from the sleeve to `R`, keeping the leverage: sells the
    /// share `amount / Y` of the collateral and repays the same share of the debt, paying
    /// `cost_rate` (clamped into [0, 1]) on the collateral sold, so `R` receives
    /// `amount (1 - cost_rate L)`. Does nothing if `Y <= 0` or `cost_rate L >= 1`.
    #[inline]
    pub fn move_reserve_from_sleeve(&mut self, amount: f64, cost_rate: f64) -> Transfer {
        let t = self.unwind_sleeve(amount, cost_rate);
        self.reserve += t.delivered;
        t
    }

    /// Moves up to `amount` USD from one liquid bucket to the other, paying `cost_rate` (clamped
    /// into [0, 1]) on the amount withdrawn. Nothing happens if `from == to`.
    #[inline]
    pub fn move_between(
        &mut self,
        from: Liquid,
        to: Liquid,
        amount: f64,
        cost_rate: f64,
    ) -> Transfer {
        if from == to {
            return Transfer::default();
        }
        let t = self.take_liquid(from, amount, cost_rate);
        *self.liquid_mut(to) += t.delivered;
        t
    }

    /// Moves up to `amount` USD from a liquid bucket into the sleeve, paying `cost_rate` (clamped
    /// into [0, 1]) on the amount withdrawn; the equity that arrives is levered at `leverage`
    /// (`C += L x`, `D += (L - 1) x`, free). The existing position keeps its leverage.
    #[inline]
    pub fn add_to_sleeve(
        &mut self,
        from: Liquid,
        amount: f64,
        leverage: f64,
        cost_rate: f64,
    ) -> Transfer {
        let t = self.take_liquid(from, amount, cost_rate);
        self.invest_sleeve(t.delivered, leverage);
        t
    }

    #[inline]
    fn liquid_mut(&mut self, which: Liquid) -> &mut f64 {
        match which {
            Liquid::Pmm => &mut self.pmm,
            Liquid::Reserve => &mut self.reserve,
        }
    }

    /// Takes up to `amount` out of a liquid bucket; the delivered cash goes nowhere yet.
    #[inline]
    pub(super) fn take_liquid(&mut self, from: Liquid, amount: f64, cost_rate: f64) -> Transfer {
        let source = self.liquid_mut(from);
        if !(amount > 0.0 && *source > 0.0) {
            return Transfer::default();
        }
        let withdrawn = amount.min(*source);
        *source -= withdrawn;
        let cost = withdrawn * unit(cost_rate);
        Transfer {
            withdrawn,
            delivered: withdrawn - cost,
            cost,
        }
    }

    /// Takes up to `amount` of equity out of the sleeve pro-rata; the cash goes nowhere yet.
    #[inline]
    pub(super) fn unwind_sleeve(&mut self, amount: f64, cost_rate: f64) -> Transfer {
        let y = self.equity();
        let c = unit(cost_rate);
        if !(amount > 0.0 && y > 0.0) || c * self.collateral >= y {
            return Transfer::default();
        }
        let share = (amount / y).min(1.0);
        let sold = self.collateral * share;
        let repaid = self.debt * share;
        if share >= 1.0 {
            self.collateral = 0.0;
            self.debt = 0.0;
        } else {
            self.collateral -= sold;
            self.debt -= repaid;
        }
        let withdrawn = sold - repaid;
        let cost = c * sold;
        Transfer {
            withdrawn,
            delivered: withdrawn - cost,
            cost,
        }
    }

    /// Adds `cash` of equity to the sleeve at `leverage` (borrowing to buy collateral, free).
    #[inline]
    pub(super) fn invest_sleeve(&mut self, cash: f64, leverage: f64) {
        if cash > 0.0 {
            let l = leverage_or_one(leverage);
            self.collateral += l * cash;
            self.debt += (l - 1.0) * cash;
        }
    }

    #[inline]
    pub(super) fn slot(&self, i: usize) -> f64 {
        match i {
            0 => self.equity(),
            1 => self.pmm,
            _ => self.reserve,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn allocate_and_ltv_identity() {
        for l in [1.0, 1.25, 1.5, 2.0, 3.0, 4.0] {
            let b = Buckets::allocate(1e8, &targets(0.5, 0.4, l));
            assert!(close(b.total(), 1e8, EXACT));
            assert!(close(b.equity(), 5e7, EXACT));
            assert!(close(b.pmm, 2e7, EXACT) && close(b.reserve, 3e7, EXACT));
            assert!(close(b.leverage(), l, EXACT));
            assert!((b.ltv() - (b.leverage() - 1.0) / b.leverage()).abs() < EXACT);
        }
        let empty = Buckets::default();
        assert_eq!((empty.leverage(), empty.ltv()), (1.0, 0.0));
        let wiped = Buckets {
            collateral: 0.0,
            debt: 5.0,
            pmm: 1.0,
            reserve: 1.0,
        };
        assert_eq!(
            (wiped.leverage(), wiped.ltv()),
            (f64::INFINITY, f64::INFINITY)
        );
    }

    #[test]
    fn transfers_deliver_net_of_cost_and_never_overdraw() {
        let mut b = Buckets::allocate(1000.0, &targets(0.4, 0.5, 2.0)); // Y 400, M 300, R 300
        let t = b.move_reserve_from_sleeve(100.0, 0.01);
        // Sells 200 of collateral (L = 2), cost 2, R gets 98, leverage kept.
        assert!(close(t.cost, 2.0, EXACT) && close(t.delivered, 98.0, EXACT));
        assert!(close(b.reserve, 398.0, EXACT) && close(b.leverage(), 2.0, EXACT));
        let t = b.move_between(Liquid::Pmm, Liquid::Reserve, 1e9, 0.001);
        assert!(close(t.withdrawn, 300.0, EXACT) && b.pmm == 0.0);
        assert!(close(b.reserve, 398.0 + 299.7, EXACT));
        let t = b.add_to_sleeve(Liquid::Reserve, 100.0, 4.0, 0.0);
        assert!(close(t.delivered, 100.0, EXACT) && close(b.equity(), 400.0, EXACT));
        assert!(close(b.collateral, 600.0 + 400.0, EXACT));
        let t = b.move_reserve_from_sleeve(1e9, 0.0);
        assert!(close(t.withdrawn, 400.0, EXACT));
        assert_eq!((b.collateral, b.debt), (0.0, 0.0));
    }
}
