//! The yield sleeve's growth over one epoch (its validated parameters, `SleeveParams`, are
//! built by the config layer).
//!
//! This file must not move money between buckets or change the sleeve's leverage: liquidation
//! and leverage moves live in `leverage.rs`, rebalancing in `rebalance.rs`, the floor in
//! `floor.rs`.

use super::Buckets;
use crate::config::params::SleeveParams;

/// One epoch of sleeve growth. `T` changes by `yield_pnl + market_pnl - interest`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SleeveGrowth {
    /// `C yieldApr dt`, USD.
    pub yield_pnl: f64,
    /// Mark-to-market of the collateral, `C (w r_ext + (1 - w) r_stable)` (less if `C` hit 0), USD.
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

impl SleeveParams {
    /// One epoch: `C *= 1 + yieldApr dt + w r_ext + (1 - w) r_stable` (floored at 0),
    /// `D *= 1 + borrowApr dt`, with `w` the external share of the collateral. `r_ext` is
    /// the external asset's simple return this epoch (crash included), `r_stable` the stable
    /// component's; `dt` the epoch in years. The collateral keeps its mix (a constant-mix
    /// holding, rebalanced within the sleeve at no cost).
    #[inline]
    pub fn grow(&self, b: &mut Buckets, r_ext: f64, r_stable: f64, dt: f64) -> SleeveGrowth {
        let (c0, d0) = (b.collateral, b.debt);
        let w = self.external_share();
        let yield_pnl = c0 * self.yield_apr() * dt;
        let r_c = w * r_ext + (1.0 - w) * r_stable;
        b.collateral = (c0 * (1.0 + self.yield_apr() * dt + r_c)).max(0.0);
        b.debt = d0 * (1.0 + self.borrow_apr() * dt);
        SleeveGrowth {
            yield_pnl,
            market_pnl: b.collateral - c0 - yield_pnl,
            interest: b.debt - d0,
        }
    }

    /// Variance of the collateral's log return over an epoch of `dt` years, with the
    /// external asset at volatility `sigma` and the stable component independent of it.
    #[inline]
    pub fn collateral_variance(&self, sigma: f64, dt: f64) -> f64 {
        let w = self.external_share();
        let s = self.stable_volatility();
        ((w * sigma).powi(2) + ((1.0 - w) * s).powi(2)) * dt
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
            booked += p.grow(&mut b, 0.0, 0.0, DT).net();
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
        let g = p.grow(&mut b, -0.4, 0.0, 1.0);
        // C = 200 (1 + 0.06 - 0.2) = 172, D = 104.
        assert!(close(b.collateral, 172.0, EXACT) && close(b.debt, 104.0, EXACT));
        assert!(close(g.yield_pnl, 12.0, EXACT) && close(g.market_pnl, -40.0, EXACT));
        assert!(close(g.interest, 4.0, EXACT));
        let g = p.grow(&mut b, -3.0, 0.0, 0.0);
        assert_eq!(b.collateral, 0.0);
        assert!(close(g.market_pnl, -172.0, EXACT));
    }
}
