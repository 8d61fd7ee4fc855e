//! The external liquidity floor clamp: refills the reserve `R` to `floor * T` from the sleeve,
//! then from PMM inventory.
//!
//! This file must not move money in any other direction or toward any other target: it only
//! refills `R`, and only when `R` is below the floor.

use super::{Buckets, Liquid, SleeveParams, unit};

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

impl SleeveParams {
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
        let k_sleeve = self.unwind_cost() * b.leverage();
        if b.equity() > 0.0 && k_sleeve < 1.0 {
            let need = (f * b.total() - b.reserve) / (1.0 - k_sleeve * (1.0 - f));
            let cap = unwind_capacity.max(0.0) * t0.max(0.0);
            let t = b.move_reserve_from_sleeve(need.min(cap), self.unwind_cost());
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

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
}
