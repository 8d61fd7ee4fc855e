//! Pool prices within one trade: a cache of pools priced at their current balances,
//! and the two ways the router reads a pool's fee-less output (straight from the pool
//! or through the cache, bit for bit the same).

use crate::model::pmm::{PmmPool, PricedPool};

/// Per pool, the pool priced at its current balances (see [`PricedPool`]), kept from
/// the first quote through a pool until a chunk executes through it. Valid within one
/// trade only: anything else may move the pools between trades.
#[derive(Debug, Clone, Default)]
pub(super) struct PriceCache {
    priced: Vec<Option<PricedPool>>,
}

impl PriceCache {
    /// Forgets every price (the start of a trade).
    pub(super) fn reset(&mut self, pools: usize) {
        self.priced.clear();
        self.priced.resize(pools, None);
    }

    /// Pool `p` priced at the balances in `pools[p]`.
    #[inline(always)]
    pub(super) fn get(&mut self, pools: &[PmmPool], p: usize) -> &PricedPool {
        self.priced[p].get_or_insert_with(|| PricedPool::new(&pools[p]))
    }

    /// Pool `p` has moved.
    #[inline(always)]
    pub(super) fn invalidate(&mut self, p: usize) {
        self.priced[p] = None;
    }
}

/// A pool's fee-less output for `x` sold into it (base when `sell_base`), at the
/// current balances.
pub(super) trait PoolOut {
    fn out(&mut self, pool: usize, sell_base: bool, x: f64) -> f64;
}

/// Prices straight from the pools.
pub(super) struct Direct<'a>(pub(super) &'a [PmmPool]);

impl PoolOut for Direct<'_> {
    #[inline(always)]
    fn out(&mut self, pool: usize, sell_base: bool, x: f64) -> f64 {
        let p = &self.0[pool];
        if sell_base {
            p.query_sell_base(x)
        } else {
            p.query_sell_quote(x)
        }
    }
}

/// Prices through a trade's [`PriceCache`] (the same bits as [`Direct`]).
pub(super) struct Cached<'a>(pub(super) &'a mut PriceCache, pub(super) &'a [PmmPool]);

impl PoolOut for Cached<'_> {
    #[inline(always)]
    fn out(&mut self, pool: usize, sell_base: bool, x: f64) -> f64 {
        let p = self.0.get(self.1, pool);
        if sell_base {
            p.query_sell_base(x)
        } else {
            p.query_sell_quote(x)
        }
    }
}
