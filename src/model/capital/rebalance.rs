//! The rebalancer: moves the buckets toward the target weights at a given rate, paying costs,
//! without drawing the reserve below the floor.
//!
//! This file must not choose the targets or the rate (the engine and the optimizer do), nor
//! refill a reserve already below the floor (that is `floor.rs`).

use super::{
    AllocationTargets, Buckets, LeverageChange, Liquid, SleeveParams, leverage_or_one, unit,
};

/// Iteration cap of the rebalancer's cost fixed point; it contracts by the largest cost rate per
/// iteration (below 1%), so it converges to rounding in a handful of steps.
const FIXED_POINT_ITERATIONS: usize = 64;

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

impl SleeveParams {
    /// Moves the buckets toward the targets at `rate` (in [0, 1], see
    /// [`rebalance_rate`](super::rebalance_rate)), never drawing `R` below `floor * T` (`floor` a
    /// share of `T`, in [0, 1]).
    ///
    /// 1. The sleeve's leverage moves toward the target at the same rate, `L += rho (L* - L)`
    ///    ([`Self::lever_to`]): re-levering after losses is gradual, never one step.
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
        let current = leverage_or_one(b.leverage());
        let goal = current + unit(rate) * (leverage_or_one(targets.leverage) - current);
        out.relever = self.lever_to(b, goal);
        let (rho, f, k_liquid) = (unit(rate), unit(floor), unit(cost_rate));
        let t1 = b.total();
        let x = [b.slot(0), b.slot(1), b.slot(2)];
        let k_sleeve = self.unwind_cost() * b.leverage();
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
                    0 => b.unwind_sleeve(-gap, self.unwind_cost()),
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
    use super::super::rebalance_rate;
    use super::super::test_support::*;
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

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
        let p = params_with(|i| i.unwind_cost = 0.0);
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
}
