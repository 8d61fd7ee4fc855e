//! The router: for each trade, up to K candidate routes ranked by their quote for one
//! chunk, then chunk after chunk sent to whichever route currently pays the most
//! (water-filling), executing each chunk through pools, links and AMMs.

use crate::model::flow::Trade;
use crate::model::graph::{Graph, Hop, amm_output, link_output};

use super::flows::EpochFlows;
use super::layer::RoutingLayer;
use super::price_cache::{Cached, Direct, PoolOut, PriceCache};
use super::state::{Conditions, RoutingState};

/// One of a trade's chosen routes, with its one-chunk quote kept while no executed
/// chunk has touched the pools or AMMs it passes through.
#[derive(Debug, Clone, Copy)]
struct Chosen {
    route: u32,
    out: f64,
    touch: u128,
    fresh: bool,
}

/// Scratch space for one trade's candidate routes.
#[derive(Debug, Clone, Default)]
pub struct RouterScratch {
    chosen: Vec<Chosen>,
    scored: Vec<(f64, u32)>,
    prices: PriceCache,
}

/// The stateful hops of `route` (our pools and the background AMMs; links and the
/// external route are priced from `Conditions` alone) as a bit set: pool `p` sets bit
/// `p % 64`, AMM `a` sets bit `64 + a % 64`. Two routes whose sets are disjoint share no
/// state, so executing one cannot change the other's quote; a shared bit from wrapping
/// only costs an extra re-quote.
pub(super) fn touch_mask(graph: &Graph, route: usize) -> u128 {
    graph.routes[route]
        .hops
        .iter()
        .fold(0, |mask, hop| match *hop {
            Hop::Pool { pool, .. } => mask | 1u128 << (pool % 64),
            Hop::Amm { amm, .. } => mask | 1u128 << (64 + amm % 64),
            Hop::Link { .. } | Hop::External => mask,
        })
}

impl RoutingLayer<'_> {
    /// Quotes `x` along route `route` at the current state without changing it.
    #[inline]
    pub fn quote(&self, state: &RoutingState, cond: &Conditions, route: u32, x: f64) -> f64 {
        self.quote_by(cond, state, route, x, &mut Direct(&state.pools))
    }

    /// The quote loop, with the pools' fee-less outputs from `prices`.
    #[inline(always)]
    fn quote_by(
        &self,
        cond: &Conditions,
        state: &RoutingState,
        route: u32,
        mut x: f64,
        prices: &mut impl PoolOut,
    ) -> f64 {
        for hop in &self.graph.routes[route as usize].hops {
            x = match *hop {
                Hop::Pool { pool, sell_base } => {
                    prices.out(pool, sell_base, x) * (1.0 - cond.pool_fee[pool])
                }
                Hop::Link { link, .. } => {
                    if cond.link_down[link] {
                        return 0.0;
                    }
                    link_output(
                        &self.graph.links[link].cost,
                        x,
                        cond.link_cost[link],
                        cond.link_latency[link],
                    )
                }
                Hop::Amm { amm, forward } => {
                    let r = state.amms[amm];
                    let (r_in, r_out) = if forward { (r[0], r[1]) } else { (r[1], r[0]) };
                    amm_output(r_in, r_out, self.graph.amm_fee, x)
                }
                Hop::External => x * (1.0 - self.graph.external_cost) - self.graph.external_fixed,
            };
            if x <= 0.0 {
                return 0.0;
            }
        }
        x
    }

    /// Executes `x` along `route`, updating pools, AMMs and flows; returns the output.
    fn execute(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        route: u32,
        mut x: f64,
        flows: &mut EpochFlows,
        cache: &mut PriceCache,
    ) -> f64 {
        let input = x;
        let r = &self.graph.routes[route as usize];
        for hop in &r.hops {
            x = match *hop {
                Hop::Pool { pool, sell_base } => {
                    let before = state.pools[pool].quote;
                    let priced = cache.get(&state.pools, pool);
                    let (after, out) = if sell_base {
                        priced.sell_base(x)
                    } else {
                        priced.sell_quote(x)
                    };
                    state.pools[pool] = after;
                    cache.invalidate(pool);
                    let fee = out * cond.pool_fee[pool];
                    let change = after.quote - before;
                    flows.pool_abs_change[pool] += change.abs();
                    flows.pool_net_routing[pool] += change;
                    flows.pool_fees[pool] += fee;
                    flows.net_stable_sold += if sell_base { x } else { -out };
                    out - fee
                }
                Hop::Link { link, forward } => {
                    flows.link_flow[link][usize::from(!forward)] += x;
                    link_output(
                        &self.graph.links[link].cost,
                        x,
                        cond.link_cost[link],
                        cond.link_latency[link],
                    )
                }
                Hop::Amm { amm, forward } => {
                    let res = &mut state.amms[amm];
                    let (i_in, i_out) = if forward { (0, 1) } else { (1, 0) };
                    let out = amm_output(res[i_in], res[i_out], self.graph.amm_fee, x);
                    res[i_in] += x;
                    res[i_out] -= out;
                    out
                }
                Hop::External => {
                    (x * (1.0 - self.graph.external_cost) - self.graph.external_fixed).max(0.0)
                }
            };
        }
        flows.volume += input;
        flows.add_route_volume(route, input);
        if r.pool_count > 0 {
            flows.captured += input;
        }
        if r.reflexive {
            flows.reflexive_routes += 1;
        }
        x
    }

    /// Routes one trade: picks up to K candidates by their current quote for one chunk,
    /// then sends chunk after chunk to whichever currently gives the most output
    /// (water-filling), so the marginal outputs of the used routes end up equal to within
    /// one chunk. A chunk whose best output costs more than `max_cost` stalls.
    ///
    /// A chosen route's quote is recomputed only after a chunk went through a pool or
    /// AMM it shares with the executed route; otherwise the state it reads is unchanged
    /// and so is its quote, bit for bit. Ties go to the earlier chosen route.
    pub fn route_trade(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        trade: Trade,
        flows: &mut EpochFlows,
        scratch: &mut RouterScratch,
    ) {
        if trade.src == trade.dst || trade.size <= 0.0 {
            return;
        }
        let cands = self
            .graph
            .candidates(trade.src as usize, trade.dst as usize);
        let chunks = self.params.router.chunks;
        let chunk = trade.size / chunks as f64;
        let cache = &mut scratch.prices;
        cache.reset(state.pools.len());
        scratch.scored.clear();
        for &route in cands {
            let out = self.quote_by(cond, state, route, chunk, &mut Cached(cache, &state.pools));
            if out > 0.0 {
                scratch.scored.push((out, route));
            }
        }
        scratch
            .scored
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scratch.chosen.clear();
        scratch.chosen.extend(
            scratch
                .scored
                .iter()
                .take(self.params.router.max_paths)
                .map(|&(out, route)| Chosen {
                    route,
                    out,
                    touch: self.route_touch[route as usize],
                    fresh: true,
                }),
        );
        let floor = chunk * (1.0 - self.params.router.max_cost);
        for done in 0..chunks {
            let mut best: Option<Chosen> = None;
            for c in scratch.chosen.iter_mut() {
                if !c.fresh {
                    c.out = self.quote_by(
                        cond,
                        state,
                        c.route,
                        chunk,
                        &mut Cached(cache, &state.pools),
                    );
                    c.fresh = true;
                }
                if c.out > best.map_or(0.0, |b| b.out) {
                    best = Some(*c);
                }
            }
            let Some(best) = best.filter(|b| b.out >= floor) else {
                flows.stalled += chunk * (chunks - done) as f64;
                return;
            };
            self.execute(state, cond, best.route, chunk, flows, cache);
            for c in scratch.chosen.iter_mut() {
                c.fresh &= c.touch & best.touch == 0;
            }
        }
    }
}
