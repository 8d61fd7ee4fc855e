//! The treasury's capital buckets and every operation that moves money between them.
//!
//! State: the yield sleeve (collateral `C`, debt `D`, equity `Y = C - D`, leverage `L = C / Y`,
//! `LTV = D / C = (L - 1) / L`), PMM inventory `M` and the external liquidity reserve `R`;
//! `T = Y + M + R`. Every operation changes `T` by exactly the cost (or PnL) it reports, so the
//! engine can attribute each change of `T`, and none takes `C`, `D`, `M` or `R` below zero.
//!
//! Cost conventions: unwinding the sleeve (deleveraging, withdrawing equity) pays a rate on the
//! collateral sold; moving money out of `M` or `R` pays a rate on the amount withdrawn; borrowing
//! and buying collateral (levering up, investing in the sleeve) is free.
//!
//! This module must not draw random numbers, pay redemptions, or decide policy: which LTV is the
//! operating ceiling, whether a liquidated path stays unlevered, and when to throttle are the
//! engine's decisions.

use crate::model::ParamError;

/// Rounding allowance, as a share of `T`: `R` counts as below the floor only if
/// `R < floor * T - FLOOR_TOLERANCE * |T|`, so a transfer that lands exactly on the floor is not
/// reported as a violation because of the last bit.
pub const FLOOR_TOLERANCE: f64 = 1e-12;

/// Iteration cap of the rebalancer's cost fixed point; it contracts by the largest cost rate per
/// iteration (below 1%), so it converges to rounding in a handful of steps.
const FIXED_POINT_ITERATIONS: usize = 64;

/// `x` clamped into [0, 1]; NaN counts as 0.
#[inline]
fn unit(x: f64) -> f64 {
    if x > 0.0 { x.min(1.0) } else { 0.0 }
}

/// A leverage `>= 1`; below 1, NaN or infinite counts as 1 (unlevered).
#[inline]
fn leverage_or_one(x: f64) -> f64 {
    if x > 1.0 && x.is_finite() { x } else { 1.0 }
}

/// The rebalancer's rate `rho = min(1, sqrt(dt / rebalance_duration))` (seed 002's rule): the
/// share of the gap to target closed per epoch. `dt` and `rebalance_duration` in years; a
/// non-positive duration means immediate (1).
#[inline]
pub fn rebalance_rate(dt: f64, rebalance_duration: f64) -> f64 {
    if rebalance_duration > 0.0 {
        unit((dt / rebalance_duration).sqrt())
    } else {
        1.0
    }
}

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

/// What a rebalance did. `T` falls by `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RebalanceOutcome {
    /// The move to the target leverage, done first.
    pub relever: LeverageChange,
    /// Net change of the sleeve equity `Y` from transfers, USD.
    pub sleeve_change: f64,
    /// Net change of `M` from transfers, USD.
    pub pmm_change: f64,
    /// Net change of `R` from transfers, USD.
    pub reserve_change: f64,
    /// Gross equity withdrawn from source buckets, USD.
    pub turnover: f64,
    /// Cost of the transfers, USD.
    pub transfer_cost: f64,
    /// Total cost, `relever.cost + transfer_cost`, USD.
    pub cost: f64,
}

/// What the external liquidity floor clamp did. `T` falls by `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FloorClamp {
    /// `R` was below `floor * T` before the clamp.
    pub violated: bool,
    /// Added to `R` by unwinding the sleeve (net of cost), USD.
    pub refilled_from_sleeve: f64,
    /// Added to `R` from PMM inventory (net of cost), USD.
    pub refilled_from_pmm: f64,
    /// Unwind and transfer costs, USD.
    pub cost: f64,
    /// `R` is still below the floor after the clamp.
    pub still_below: bool,
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
    fn take_liquid(&mut self, from: Liquid, amount: f64, cost_rate: f64) -> Transfer {
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
    fn unwind_sleeve(&mut self, amount: f64, cost_rate: f64) -> Transfer {
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
    fn invest_sleeve(&mut self, cash: f64, leverage: f64) {
        if cash > 0.0 {
            let l = leverage_or_one(leverage);
            self.collateral += l * cash;
            self.debt += (l - 1.0) * cash;
        }
    }

    #[inline]
    fn slot(&self, i: usize) -> f64 {
        match i {
            0 => self.equity(),
            1 => self.pmm,
            _ => self.reserve,
        }
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
    hard_ltv: f64,
    /// Share of the collateral sold in a liquidation that is lost; in [0, 1).
    liquidation_penalty: f64,
    /// Share of the collateral sold when deleveraging or unwinding that is lost; in [0, 1).
    unwind_cost: f64,
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

    /// Liquidates if `D > 0` and `LTV >= hardLtv`: sells `D / (1 - penalty)` of collateral to
    /// repay all debt (or all collateral if that is not enough, the shortfall paid from `R`,
    /// then `M`, any rest left as debt). Remaining equity stays as unlevered collateral.
    #[inline]
    pub fn check_liquidation(&self, b: &mut Buckets) -> Option<Liquidation> {
        if !(b.debt > 0.0 && b.ltv() >= self.hard_ltv) {
            return None;
        }
        let debt = b.debt;
        let needed = debt / (1.0 - self.liquidation_penalty);
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
        let proceeds = sold * (1.0 - self.liquidation_penalty);
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
        let denom = 1.0 - self.unwind_cost - m;
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
            let denom = 1.0 - l * self.unwind_cost;
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
        let full = b.debt / (1.0 - self.unwind_cost);
        let x = x.min(b.collateral).min(full);
        if x.is_nan() || x <= 0.0 {
            return LeverageChange::default();
        }
        let repaid = if x >= full {
            b.debt
        } else {
            x * (1.0 - self.unwind_cost)
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

    /// Moves the buckets toward the targets at `rate` (in [0, 1], see [`rebalance_rate`]),
    /// never drawing `R` below `floor * T` (`floor` a share of `T`, in [0, 1]).
    ///
    /// 1. The sleeve moves to the target leverage at once ([`Self::lever_to`]).
    /// 2. Target shares `w = targets.weights()`; if `w_R < floor`, `w_R = floor` and the other two
    ///    are scaled down in proportion.
    /// 3. The endpoint `X*` solves `X*_i = w_i T*`, `T* = T - cost(X - X*)`, by fixed point, so
    ///    that at `rate = 1` each bucket ends exactly on its share of the post-cost total. Costs:
    ///    `unwindCost L` per unit of sleeve equity withdrawn, `cost_rate` (clamped into [0, 1])
    ///    per unit withdrawn from `M` or `R`; inflows are free. Lower bounds hold a bucket where
    ///    its share would go below them, the others sharing the rest by weight: `R >= floor T*`
    ///    (or `R` keeps what it has if it is already below the floor); a sleeve that cannot be
    ///    unwound (`Y <= 0` or `unwindCost L >= 1`) keeps what it has.
    /// 4. Each bucket moves `rate (X*_i - X_i)`: sources pay out, the net cash is shared among
    ///    the sinks in proportion to their planned inflows (into `R` if there is no sink); the
    ///    sleeve invests at the target leverage. If `R` starts on or above the floor, both ends
    ///    of the line from `X` to `X*` satisfy it, so every point on it does, whatever the rate.
    #[inline]
    pub fn rebalance(
        &self,
        b: &mut Buckets,
        targets: &AllocationTargets,
        rate: f64,
        floor: f64,
        cost_rate: f64,
    ) -> RebalanceOutcome {
        let mut out = RebalanceOutcome::default();
        let t0 = b.total();
        if t0.is_nan() || t0 <= 0.0 {
            return out;
        }
        out.relever = self.lever_to(b, targets.leverage);
        let (rho, f, k_liquid) = (unit(rate), unit(floor), unit(cost_rate));
        let t1 = b.total();
        let x = [b.slot(0), b.slot(1), b.slot(2)];
        let k_sleeve = self.unwind_cost * b.leverage();
        let sleeve_can_source = x[0] > 0.0 && k_sleeve < 1.0;
        let reserve_above_floor = x[2] >= f * t1;
        let k = [k_sleeve.min(1.0), k_liquid, k_liquid];
        let w = floored_weights(targets.weights(), f);
        // Lower bounds on the endpoint: a sleeve that cannot be unwound is not a source; `R`
        // keeps the floor, or, if already below it, is not a source.
        let endpoint = |t_star: f64| {
            let lower = [
                if sleeve_can_source {
                    0.0
                } else {
                    x[0].max(0.0)
                },
                0.0,
                if reserve_above_floor {
                    f * t_star
                } else {
                    x[2]
                },
            ];
            bounded_targets(&w, &lower, t_star)
        };
        let cost_to =
            |target: &[f64; 3]| -> f64 { (0..3).map(|i| k[i] * (x[i] - target[i]).max(0.0)).sum() };
        let mut t_star = t1;
        for _ in 0..FIXED_POINT_ITERATIONS {
            let next = t1 - cost_to(&endpoint(t_star));
            let converged = (next - t_star).abs() <= 1e-15 * t1;
            t_star = next;
            if converged {
                break;
            }
        }
        let target = endpoint(t_star);

        let mut pool = 0.0;
        let mut inflow = [0.0; 3];
        for i in 0..3 {
            let gap = rho * (target[i] - x[i]);
            if gap < 0.0 {
                let t = match i {
                    0 => b.unwind_sleeve(-gap, self.unwind_cost),
                    1 => b.take_liquid(Liquid::Pmm, -gap, k_liquid),
                    _ => b.take_liquid(Liquid::Reserve, -gap, k_liquid),
                };
                pool += t.delivered;
                out.turnover += t.withdrawn;
                out.transfer_cost += t.cost;
            } else {
                inflow[i] = gap;
            }
        }
        let planned: f64 = inflow.iter().sum();
        for (i, planned_i) in inflow.iter().enumerate() {
            let share = if planned > 0.0 {
                planned_i / planned
            } else if i == 2 {
                1.0
            } else {
                0.0
            };
            let cash = pool * share;
            match i {
                0 => b.invest_sleeve(cash, targets.leverage),
                1 => b.pmm += cash,
                _ => b.reserve += cash,
            }
        }
        out.sleeve_change = b.slot(0) - x[0];
        out.pmm_change = b.slot(1) - x[1];
        out.reserve_change = b.slot(2) - x[2];
        out.cost = out.relever.cost + out.transfer_cost;
        out
    }

    /// The external liquidity floor. If `R` is below `floor * T` (see [`Buckets::below_floor`]),
    /// refills it: first from the sleeve (pro-rata unwind at `unwindCost` on collateral sold,
    /// at most `unwind_capacity * T` of equity per call), then from `M` at `cost_rate` (clamped
    /// into [0, 1]) on the amount withdrawn. Each leg withdraws `(floor T - R) / (1 - k (1 -
    /// floor))`, which, net of its cost rate `k` per unit withdrawn, lands `R` exactly on the
    /// post-cost floor.
    #[inline]
    pub fn clamp_to_floor(
        &self,
        b: &mut Buckets,
        floor: f64,
        unwind_capacity: f64,
        cost_rate: f64,
    ) -> FloorClamp {
        let mut out = FloorClamp {
            violated: b.below_floor(floor),
            ..FloorClamp::default()
        };
        if !out.violated {
            return out;
        }
        let f = unit(floor);
        let t0 = b.total();
        let k_sleeve = self.unwind_cost * b.leverage();
        if b.equity() > 0.0 && k_sleeve < 1.0 {
            let need = (f * b.total() - b.reserve) / (1.0 - k_sleeve * (1.0 - f));
            let cap = unwind_capacity.max(0.0) * t0.max(0.0);
            let t = b.move_reserve_from_sleeve(need.min(cap), self.unwind_cost);
            out.refilled_from_sleeve = t.delivered;
            out.cost += t.cost;
        }
        if b.below_floor(f) {
            let k = unit(cost_rate);
            let need = (f * b.total() - b.reserve) / (1.0 - k * (1.0 - f));
            let t = b.move_between(Liquid::Pmm, Liquid::Reserve, need, k);
            out.refilled_from_pmm = t.delivered;
            out.cost += t.cost;
        }
        out.still_below = b.below_floor(f);
        out
    }
}

/// Raises the reserve share to the floor `f` if needed, scaling the other two down in proportion.
#[inline]
fn floored_weights(w: [f64; 3], f: f64) -> [f64; 3] {
    if w[2] >= f {
        return w;
    }
    let scale = (1.0 - f) / (1.0 - w[2]);
    [w[0] * scale, w[1] * scale, f]
}

/// Endpoint of a rebalance for a post-cost total `t_star`: `w_i t_star`, except that a bucket
/// whose share would fall below its lower bound `lower[i]` is held there, the rest being shared
/// among the others in proportion to their weights (water-filling). If the bounds exceed
/// `t_star`, the unbounded buckets get 0.
#[inline]
fn bounded_targets(w: &[f64; 3], lower: &[f64; 3], t_star: f64) -> [f64; 3] {
    let mut held = [false; 3];
    let mut target = [0.0; 3];
    // Each pass that changes anything holds one more bucket, so four passes suffice.
    for _ in 0..4 {
        let held_sum: f64 = (0..3).filter(|&i| held[i]).map(|i| lower[i]).sum();
        let free_weight: f64 = (0..3).filter(|&i| !held[i]).map(|i| w[i]).sum();
        let rest = (t_star - held_sum).max(0.0);
        for i in 0..3 {
            target[i] = if held[i] {
                lower[i]
            } else if free_weight > 0.0 {
                rest * w[i] / free_weight
            } else {
                0.0
            };
        }
        let mut changed = false;
        for i in 0..3 {
            if !held[i] && target[i] < lower[i] {
                held[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    /// Relative tolerance of the accounting identities (rounding only).
    const EXACT: f64 = 1e-12;
    /// Relative tolerance of conservation over long random sequences.
    const CONSERVE: f64 = 1e-9;
    const DT: f64 = 1.0 / 365.0;

    fn params() -> SleeveParams {
        SleeveParams::new(0.06, 0.04, 0.5, 0.75, 0.05, 0.002).unwrap()
    }

    fn targets(alpha: f64, pmm_share: f64, leverage: f64) -> AllocationTargets {
        AllocationTargets {
            alpha,
            pmm_share,
            leverage,
        }
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
    }

    fn assert_non_negative(b: &Buckets) {
        assert!(
            b.collateral >= 0.0 && b.debt >= 0.0 && b.pmm >= 0.0 && b.reserve >= 0.0,
            "{b:?}"
        );
    }

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

    #[test]
    fn rebalance_at_rate_one_hits_targets_exactly() {
        let p = params();
        let cases = [
            (
                Buckets::allocate(1e8, &targets(0.2, 0.7, 1.0)),
                targets(0.5, 0.4, 1.5),
            ),
            (
                Buckets::allocate(1e8, &targets(0.8, 0.2, 3.0)),
                targets(0.3, 0.6, 2.0),
            ),
            (
                Buckets {
                    collateral: 9e7,
                    debt: 3e7,
                    pmm: 1e6,
                    reserve: 5e7,
                },
                targets(0.4, 0.5, 1.0),
            ),
        ];
        for (mut b, tgt) in cases {
            let t0 = b.total();
            let out = p.rebalance(&mut b, &tgt, 1.0, 0.2, 0.003);
            let t1 = b.total();
            assert!(out.cost > 0.0);
            assert!(close(t1, t0 - out.cost, EXACT));
            let [wy, wm, wr] = tgt.weights();
            assert!(close(b.equity(), wy * t1, 1e-10), "{b:?}");
            assert!(close(b.pmm, wm * t1, 1e-10), "{b:?}");
            assert!(close(b.reserve, wr * t1, 1e-10), "{b:?}");
            assert!(close(b.leverage(), tgt.leverage, 1e-10));
        }
    }

    #[test]
    fn rebalance_without_costs_moves_a_fixed_share_of_the_gap() {
        let p = SleeveParams::new(0.06, 0.04, 0.5, 0.75, 0.05, 0.0).unwrap();
        let mut b = Buckets::allocate(1e8, &targets(0.2, 0.7, 1.5));
        let (y, m, r, t) = (b.equity(), b.pmm, b.reserve, b.total());
        let tgt = targets(0.5, 0.4, 1.5);
        let [wy, wm, wr] = tgt.weights();
        let rho = rebalance_rate(DT, 30.0 / 365.0);
        assert!((rho - (1.0f64 / 30.0).sqrt()).abs() < 1e-15);
        let out = p.rebalance(&mut b, &tgt, rho, 0.2, 0.0);
        assert_eq!(out.cost, 0.0);
        assert!(close(b.equity(), y + rho * (wy * t - y), EXACT));
        assert!(close(b.pmm, m + rho * (wm * t - m), EXACT));
        assert!(close(b.reserve, r + rho * (wr * t - r), EXACT));
    }

    #[test]
    fn rebalance_respects_the_floor() {
        let p = params();
        // Targets put 5% in R, floor 20%: R lands on the floor, not below.
        let mut b = Buckets::allocate(1e8, &targets(0.3, 0.5, 2.0)); // R = 35%
        let out = p.rebalance(&mut b, &targets(0.7, 0.83, 2.0), 1.0, 0.2, 0.003);
        assert!(out.reserve_change < 0.0);
        assert!(!b.below_floor(0.2));
        assert!(close(b.reserve, 0.2 * b.total(), 1e-10));
        // R already below the floor is not drawn.
        let mut b = Buckets {
            collateral: 6e7,
            debt: 2e7,
            pmm: 5e7,
            reserve: 1e7,
        };
        let r0 = b.reserve;
        p.rebalance(&mut b, &targets(0.9, 1.0, 2.0), 0.5, 0.2, 0.003);
        assert!(b.reserve >= r0);
        // Random targets and rates, starting on or above the floor.
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        for _ in 0..2_000 {
            let mut b = random_buckets(&mut rng);
            let floor = 0.3 * rng.random::<f64>();
            p.clamp_to_floor(&mut b, floor, 1.0, 0.001);
            if b.below_floor(floor) {
                continue;
            }
            let tgt = targets(rng.random(), rng.random(), 1.0 + 3.0 * rng.random::<f64>());
            p.rebalance(
                &mut b,
                &tgt,
                rng.random(),
                floor,
                0.01 * rng.random::<f64>(),
            );
            assert!(!b.below_floor(floor), "{b:?} floor {floor}");
            assert_non_negative(&b);
        }
    }

    #[test]
    fn floor_clamp_refills_from_sleeve_then_pmm() {
        let p = params();
        // T = 100 (Y 60 at 2x, M 30, R 10), floor 20%.
        let base = Buckets {
            collateral: 120.0,
            debt: 60.0,
            pmm: 30.0,
            reserve: 10.0,
        };
        let mut b = base;
        let out = p.clamp_to_floor(&mut b, 0.2, 0.5, 0.001);
        assert!(out.violated && !out.still_below && out.refilled_from_pmm == 0.0);
        assert!(
            close(b.reserve, 0.2 * b.total(), EXACT) && close(b.total(), 100.0 - out.cost, EXACT)
        );
        assert!(close(b.leverage(), 2.0, EXACT));
        // Capacity 3% of T: the sleeve gives 3 of equity, the PMM the rest.
        let mut b = base;
        let out = p.clamp_to_floor(&mut b, 0.2, 0.03, 0.001);
        assert!(close(
            out.refilled_from_sleeve,
            3.0 * (1.0 - 2.0 * 0.002),
            EXACT
        ));
        assert!(out.refilled_from_pmm > 0.0 && !out.still_below);
        assert!(
            close(b.reserve, 0.2 * b.total(), EXACT) && close(b.total(), 100.0 - out.cost, EXACT)
        );
        // No unwind capacity and too little PMM inventory: still below.
        let mut b = Buckets {
            collateral: 100.0,
            debt: 50.0,
            pmm: 5.0,
            reserve: 1.0,
        };
        let out = p.clamp_to_floor(&mut b, 0.5, 0.0, 0.0);
        assert!(out.violated && out.still_below && out.refilled_from_sleeve == 0.0);
        assert!(b.pmm == 0.0 && b.reserve == 6.0);
        // Above the floor: untouched.
        let mut b = base;
        b.reserve = 30.0;
        assert_eq!(
            p.clamp_to_floor(&mut b, 0.2, 1.0, 0.0),
            FloorClamp::default()
        );
    }

    fn random_buckets(rng: &mut ChaCha8Rng) -> Buckets {
        let t = 1e6 * (0.1 + rng.random::<f64>());
        let tgt = targets(rng.random(), rng.random(), 1.0 + 3.0 * rng.random::<f64>());
        let mut b = Buckets::allocate(t, &tgt);
        b.reserve *= 2.0 * rng.random::<f64>();
        b
    }

    #[test]
    fn random_operation_sequences_conserve_capital() {
        let p = params();
        let liquid = [Liquid::Pmm, Liquid::Reserve];
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        for _ in 0..50 {
            let mut b = random_buckets(&mut rng);
            for _ in 0..400 {
                let before = b;
                let t0 = b.total();
                // Rounding scales with the gross positions, not with the (possibly small) total.
                let scale = b.collateral + b.debt + b.pmm + b.reserve;
                let amount = 0.5 * scale * rng.random::<f64>();
                let rate = 0.01 * rng.random::<f64>();
                let from = liquid[rng.random_range(0..2)];
                let to = liquid[rng.random_range(0..2)];
                let tgt = targets(rng.random(), rng.random(), 1.0 + 3.0 * rng.random::<f64>());
                let op = rng.random_range(0..9);
                let change = match op {
                    0 => {
                        let r = 0.05 * rng.sample::<f64, _>(StandardNormal);
                        p.grow(&mut b, r, DT).net()
                    }
                    1 => -p.check_liquidation(&mut b).map_or(0.0, |l| l.penalty),
                    2 => -p.deleverage_to(&mut b, 0.7 * rng.random::<f64>()).cost,
                    3 => -p.lever_to(&mut b, tgt.leverage).cost,
                    4 => -b.move_reserve_from_sleeve(amount, rate).cost,
                    5 => -b.move_between(from, to, amount, rate).cost,
                    6 => -b.add_to_sleeve(from, amount, tgt.leverage, rate).cost,
                    7 => -p.rebalance(&mut b, &tgt, rng.random(), 0.2, rate).cost,
                    _ => -p.clamp_to_floor(&mut b, 0.2, 0.1, rate).cost,
                };
                assert!(
                    (b.total() - (t0 + change)).abs() <= CONSERVE * scale,
                    "op {op}: {before:?} -> {b:?}, change {change}"
                );
                assert_non_negative(&b);
                if b.total().is_nan() || b.total() <= 1e-3 * scale {
                    b = random_buckets(&mut rng);
                }
            }
        }
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
