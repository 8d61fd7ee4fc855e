//! Steps 4-11 of the overlay, after routing: the yield sleeve, PMM inventory,
//! redemptions, the external liquidity floor, rebalancing, the peg, volatility and
//! the time-weighted return and its drawdown, each change of `T` booked under its
//! attribution [`Term`].

use crate::model::capital::Buckets;
use crate::model::capital::barrier::crossing_probability;
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
            let target_ltv = (target.leverage - 1.0) / target.leverage;
            a[Term::UnwindAndLiquidationCosts.index()] -= sleeve
                .deleverage_step(b, self.operating_ltv, target_ltv)
                .cost;
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
        let paid = pay(b, outflow, &mut a[Term::UnwindAndLiquidationCosts.index()]);
        a[Term::Redemptions.index()] -= paid;
        tally.redemptions_paid += paid;
        // 7. External liquidity floor.
        let clamp = sleeve.clamp_to_floor(b, self.floor, spec.unwind_capacity, spec.transfer_cost);
        a[Term::UnwindAndLiquidationCosts.index()] -= clamp.cost;
        tally.floor_violations += u32::from(clamp.violated);
        tally.floor_unrepaired += u32::from(clamp.still_below);
        // 8. Rebalance toward the effective targets, never below the floor.
        let targets = self.effective_targets(st.breaker, st.liquidated);
        let rebalance = sleeve.rebalance(
            b,
            &targets,
            spec.rebalance_rate,
            self.floor,
            spec.transfer_cost,
        );
        a[Term::UnwindAndLiquidationCosts.index()] -= rebalance.cost;
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
        // 11. Time-weighted return and its drawdown. The epoch splits at the redemption,
        //     the one external flow: before it, `T` grows from `t_start` to
        //     `t_before_redemption`; after it, from `t_before_redemption - paid` (the flow at
        //     par) to `T_end`, so the cost of meeting the redemption stays in.
        let t = b.total();
        tally.twr_index *= growth_factor(t_start, t_before_redemption)
            * growth_factor(t_before_redemption - paid, t);
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
