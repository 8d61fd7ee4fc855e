//! Steps 4-11 of the overlay, after routing: the yield sleeve, PMM inventory,
//! redemptions, the external liquidity floor, rebalancing, the peg, volatility and
//! the time-weighted return and its drawdown, each change of `T` booked under its
//! attribution [`Term`].

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::config::runbook::AllocationMode;
use crate::model::allocation::{
    YieldWindow, dirichlet_weights, endogenous_weights, normalise, targets_from_weights,
};
use crate::model::capital::barrier::crossing_probability;
use crate::model::capital::{AllocationTargets, Buckets};
use crate::model::runbook::{RunbookState, RunbookTally};
use crate::model::shocks::EpochShocks;
use crate::model::volatility::{VolatilityModel, log_return_shock};

use super::{CapitalTally, Overlay, OverlayDraws, OverlayState, RoutingPnl, Term};

impl Overlay<'_> {
    /// Steps 4-11, after routing.
    pub fn settle(
        &self,
        st: &mut OverlayState,
        shocks: &EpochShocks,
        pnl: &RoutingPnl,
        d: &OverlayDraws,
        tally: &mut CapitalTally,
    ) {
        let spec = self.spec;
        let dt = self.dt;
        let t_start = st.buckets.total();
        let rb = &spec.runbook;
        if st.runbook_on {
            // 3b. The runbook's decisions, from the end of the last epoch.
            let drawdown = if tally.twr_peak > 0.0 {
                (tally.twr_peak - tally.twr_index) / tally.twr_peak
            } else {
                0.0
            };
            let ltv = if st.buckets.debt > 0.0 {
                st.buckets.ltv()
            } else {
                0.0
            };
            st.runbook
                .decide(rb, drawdown, st.peg, ltv, &mut tally.runbook);
        }
        let b = &mut st.buckets;
        let a = &mut tally.attribution;
        // 4. Yield sleeve: growth of each collateral component, reserve yield, then a
        //    liquidation if the collateral crossed the barrier within the epoch, else one
        //    epoch of deleveraging if LTV is above the policy's maximum.
        let sleeve = &self.sleeve;
        let s = st.sigma;
        let z_asset = match &self.tilt {
            None => d.z_asset,
            Some(tilt) => {
                tilt.asset_shock(d.z_asset, s, shocks.crash_return != 0.0, &mut tally.log_lr)
            }
        };
        let log_return = match &spec.volatility {
            VolatilityModel::Jump(jumps) => {
                jumps.log_return(spec.drift, s, dt, z_asset, d.u_jump, d.z_jump)
            }
            _ => (spec.drift - 0.5 * s * s) * dt + s * dt.sqrt() * z_asset,
        };
        let r_ext = log_return.exp() - 1.0 + shocks.crash_return;
        let s_c = sleeve.stable_volatility();
        let r_stable = (-0.5 * s_c * s_c * dt + s_c * dt.sqrt() * d.z_stable).exp() - 1.0;
        let c_start = b.collateral;
        let y_start = b.equity();
        let growth = sleeve.grow(b, r_ext, r_stable, dt);
        let reserve_yield = b.reserve * spec.reserve_apr * dt;
        b.reserve += reserve_yield;
        a[Term::Yield.index()] += growth.yield_pnl - growth.interest + reserve_yield;
        a[Term::CollateralMarket.index()] += growth.market_pnl;
        let barrier = if b.debt > 0.0 {
            b.debt / sleeve.hard_ltv()
        } else {
            0.0
        };
        let c_end = b.collateral;
        let crossed = barrier > 0.0
            && (c_end <= barrier
                || d.u_barrier
                    < crossing_probability(
                        c_start,
                        c_end,
                        barrier,
                        sleeve.collateral_variance(s, dt),
                    ));
        if crossed {
            // A gap through the barrier is liquidated at the end-of-epoch value; an intraday
            // touch at the barrier.
            let value = if c_end <= barrier { c_end } else { barrier };
            let liq = sleeve.liquidate(b, value);
            st.liquidated = true;
            tally.liquidations += 1;
            tally.first_liquidation_epoch.get_or_insert(tally.epochs);
            tally.collateral_seized += liq.collateral_seized;
            a[Term::UnwindAndLiquidationCosts.index()] -= liq.loss;
        } else {
            let target = self.effective_targets(st.breaker, st.liquidated);
            let leverage = st.runbook.cap_leverage(rb, target.leverage);
            let target_ltv = (leverage - 1.0) / leverage;
            let cost = sleeve
                .deleverage_step(b, self.operating_ltv, target_ltv)
                .cost;
            a[Term::UnwindAndLiquidationCosts.index()] -= cost;
            if leverage < target.leverage {
                tally.runbook.delever_cost_usd += cost;
            }
        }
        // 5. PMM inventory: market making, volatility drag, intervention cost.
        let scale = b.pmm / self.book;
        let mm = scale * (pnl.fees + pnl.value_change);
        let drag = spec.lvr_coefficient * s * s * dt * b.pmm;
        let intervention = scale * pnl.intervention_cost;
        let m_next = (b.pmm + mm - drag - intervention).max(0.0);
        a[Term::MarketMaking.index()] += m_next - (b.pmm - drag - intervention);
        a[Term::VolatilityDrag.index()] -= drag;
        a[Term::InterventionDrag.index()] -= intervention;
        if let Some(window) = &mut st.yields {
            // The buckets' yields this epoch, annualised: the sleeve's carry on its equity,
            // the PMM's fees net of its drags, the reserve's rate.
            let per_year = |x: f64, base: f64| if base > 0.0 { x / base / dt } else { 0.0 };
            window.push([
                per_year(growth.yield_pnl - growth.interest, y_start),
                per_year(scale * pnl.fees - drag - intervention, b.pmm),
                spec.reserve_apr,
            ]);
        }
        b.pmm = m_next;
        // 6. Redemptions, paid from R, then M, then the sleeve.
        let step = match &self.tilt {
            None => spec.redemptions.step(
                &mut st.hawkes,
                shocks.redemption_multiplier,
                st.peg,
                dt,
                d.u_redeem,
            ),
            Some(tilt) => {
                let step = spec.redemptions.step_drawn_at(
                    &mut st.hawkes,
                    shocks.redemption_multiplier,
                    st.peg,
                    dt,
                    d.u_redeem,
                    |m| tilt.redemption_draw_mean(m),
                );
                tally.log_lr += tilt.redemption_log_lr(step.intensity * dt, step.events);
                step
            }
        };
        let t_before_redemption = b.total();
        let outflow = step.outflow_fraction * t_before_redemption.max(0.0);
        // The redemption throttle's fee: holders redeeming `x` at par receive `x (1 - fee)`;
        // the fee stays in `T`. `retired` is the par amount the cash paid retires.
        let fee = st.runbook.fee;
        let paid = pay(
            b,
            outflow * (1.0 - fee),
            &mut a[Term::UnwindAndLiquidationCosts.index()],
        );
        let retired = if fee > 0.0 { paid / (1.0 - fee) } else { paid };
        tally.runbook.throttle_fees_usd += retired - paid;
        a[Term::Redemptions.index()] -= paid;
        tally.redemptions_paid += paid;
        // 6b. Treasury liquidity deployment into the reserve: an external inflow.
        let arrived = match &rb.treasury_deployment {
            Some(d) => {
                let floor_amount = self.floor * b.total().max(0.0);
                let x =
                    st.runbook
                        .deploy(d, tally.epochs, b.reserve, floor_amount, &mut tally.runbook);
                b.reserve += x;
                x
            }
            None => 0.0,
        };
        // 7. External liquidity floor.
        let clamp = sleeve.clamp_to_floor(b, self.floor, spec.unwind_capacity, spec.transfer_cost);
        a[Term::UnwindAndLiquidationCosts.index()] -= clamp.cost;
        tally.floor_violations += u32::from(clamp.violated);
        tally.floor_unrepaired += u32::from(clamp.still_below);
        // 8. Rebalance toward the effective targets, never below the floor.
        let base = self.effective_targets(st.breaker, st.liquidated);
        let mut targets = self.allocation_targets(b, base, st.sigma, st.yields.as_ref(), d);
        if st.runbook_on {
            targets = self.runbook_targets(b, targets, &st.runbook, &mut tally.runbook);
        }
        let rebalance = sleeve.rebalance(
            b,
            &targets,
            spec.rebalance_rate,
            self.floor,
            spec.transfer_cost,
        );
        a[Term::UnwindAndLiquidationCosts.index()] -= rebalance.cost;
        if st.runbook.delever_on && targets.leverage < base.leverage {
            tally.runbook.delever_cost_usd += rebalance.relever.cost;
        }
        // 9. Peg.
        let liquidity = (b.reserve + b.pmm).max(1.0);
        let selling = scale * pnl.net_stable_sold + spec.redemption_market_share * outflow;
        let cover = spec.peg.reserve_cover(b.reserve, self.floor * b.total());
        st.peg = spec.peg.step(st.peg, -selling / liquidity, cover, d.z_peg);
        tally.peg_deviation_epochs += u32::from((st.peg - 1.0).abs() > self.peg_threshold);
        tally.min_peg = tally.min_peg.min(st.peg);
        // 10. Volatility.
        let shock = log_return_shock(s, dt, z_asset, shocks.crash_return);
        st.sigma = spec.volatility.step(st.sigma, d.z_sigma, shock, dt);
        // 11. Time-weighted return and its drawdown. The epoch splits at the redemption
        //     and the treasury deployment, the external flows: before them, `T` grows from
        //     `t_start` to `t_before_redemption`; after them, from
        //     `t_before_redemption - retired + arrived` (the redemption at par, the deployed
        //     liquidity) to `T_end`, so the cost of meeting the redemption stays in (and a
        //     redemption fee counts as a gain).
        let t = b.total();
        tally.twr_index *= growth_factor(t_start, t_before_redemption)
            * growth_factor(t_before_redemption - retired + arrived, t);
        tally.twr_peak = tally.twr_peak.max(tally.twr_index);
        if tally.twr_peak > 0.0 {
            tally.max_drawdown = tally
                .max_drawdown
                .max((tally.twr_peak - tally.twr_index) / tally.twr_peak);
        }
        tally.liquidated |= st.liquidated;
        tally.epochs_above_max_ltv += u32::from(b.debt > 0.0 && b.ltv() > self.operating_ltv);
        tally.epochs += 1;
    }
}

impl Overlay<'_> {
    /// Step 8's targets before the runbook: the policy's `base` targets in `fixed` mode;
    /// seed 002's yield/risk-weighted or Dirichlet-perturbed shares otherwise, at the base
    /// leverage. The endogenous targets wait for a full window of yields (fixed until then);
    /// while the volatility throttle is on, the sleeve's endogenous share is scaled by the
    /// throttle's alpha factor before renormalising.
    fn allocation_targets(
        &self,
        b: &Buckets,
        base: AllocationTargets,
        sigma: f64,
        yields: Option<&YieldWindow>,
        d: &OverlayDraws,
    ) -> AllocationTargets {
        match self.spec.allocation {
            AllocationMode::Fixed => base,
            AllocationMode::Endogenous {
                volatile_asset_risk,
                ..
            } => match yields {
                Some(window) if window.full() => {
                    let (mean, cv) = window.moments();
                    let exposure = self.sleeve.external_share() * base.leverage;
                    let mut w = endogenous_weights(
                        mean,
                        cv,
                        [volatile_asset_risk * sigma * exposure, 0.0, 0.0],
                    );
                    if base.alpha < self.candidate.alpha && self.candidate.alpha > 0.0 {
                        w[0] *= base.alpha / self.candidate.alpha;
                        w = normalise(w);
                    }
                    targets_from_weights(w, base.leverage)
                }
                _ => base,
            },
            AllocationMode::Dirichlet { concentration } => {
                let mut rng = ChaCha8Rng::seed_from_u64(d.dirichlet_seed);
                let now = [b.equity().max(0.0), b.pmm, b.reserve];
                let w = dirichlet_weights(
                    now,
                    base.weights(),
                    concentration,
                    self.spec.rebalance_rate,
                    &mut rng,
                );
                targets_from_weights(w, base.leverage)
            }
        }
    }

    /// The runbook's restrictions of step 8's targets: the deleverage cap, the throttle's
    /// pause (the reserve is not drawn to invest, the sleeve not re-levered) and the peg
    /// breaker's defence-only rebalancing (nothing added to the PMM).
    fn runbook_targets(
        &self,
        b: &Buckets,
        targets: AllocationTargets,
        state: &RunbookState,
        tally: &mut RunbookTally,
    ) -> AllocationTargets {
        let rb = &self.spec.runbook;
        let total = b.total();
        if total.is_nan() || total <= 0.0 {
            return targets;
        }
        let mut leverage = state.cap_leverage(rb, targets.leverage);
        let now_leverage = b.leverage();
        if state.paused(rb) && now_leverage.is_finite() && now_leverage >= 1.0 {
            leverage = leverage.min(now_leverage);
        }
        let now = [b.equity().max(0.0), b.pmm, b.reserve];
        let (w, withheld) = state.restrict_weights(rb, targets.weights(), now);
        tally.breaker_withheld_usd += withheld * total * self.spec.rebalance_rate;
        targets_from_weights(w, leverage)
    }
}

/// `end / start`, or 1 when nothing was invested over the sub-period (`start <= 0`).
fn growth_factor(start: f64, end: f64) -> f64 {
    if start > 0.0 {
        end.max(0.0) / start
    } else {
        1.0
    }
}

/// Pays `amount` of redemptions from `R`, then `M`, then by unwinding the sleeve (its
/// unwind cost added to `costs`, as a negative). Returns what was paid.
fn pay(b: &mut Buckets, amount: f64, costs: &mut f64) -> f64 {
    let from_reserve = amount.min(b.reserve).max(0.0);
    b.reserve -= from_reserve;
    let from_pmm = (amount - from_reserve).min(b.pmm).max(0.0);
    b.pmm -= from_pmm;
    let mut paid = from_reserve + from_pmm;
    let rest = amount - paid;
    if rest > 0.0 {
        let t = b.move_reserve_from_sleeve(rest, 0.0);
        let from_sleeve = t.delivered.min(b.reserve);
        b.reserve -= from_sleeve;
        *costs -= t.cost;
        paid += from_sleeve;
    }
    paid
}
