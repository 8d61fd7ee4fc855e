//! The router: for each trade, up to K candidate routes ranked by their quote for one
//! chunk; then the whole trade down the best route when water-filling would give it
//! every chunk, else chunk after chunk sent to whichever route currently pays the most
//! (water-filling), executing each leg through pools, links and AMMs.
//!
//! The inner loops walk the compiled routes of [`RoutePlan`] and read prices from the
//! epoch's [`EpochPrices`]; both give exactly the bits of pricing each hop from the
//! graph, the pools and the conditions directly ([`RoutingLayer::quote`] still does).

use crate::model::flow::Trade;
use crate::model::graph::{Hop, amm_output, link_output};
use crate::model::pmm::PricedPool;

use super::flows::EpochFlows;
use super::layer::RoutingLayer;
use super::plan::Step;
use super::prices::EpochPrices;
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

/// A part of a trade sent down one route: `amount` USD, counted as `chunks` of the
/// trade's chunks (all of them when the trade goes whole, else one).
#[derive(Debug, Clone, Copy)]
struct Leg {
    route: u32,
    amount: f64,
    chunks: u32,
}

/// Scratch space of one thread's router: the chosen routes of the trade being routed
/// and the epoch's price tables.
#[derive(Debug, Clone, Default)]
pub struct RouterScratch {
    chosen: Vec<Chosen>,
    pub(super) prices: EpochPrices,
}

/// `chosen` ranks before `other`: larger quote first, ties to the smaller route id.
#[inline(always)]
fn ranks_before(out: f64, route: u32, other: &Chosen) -> bool {
    match out.total_cmp(&other.out) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => route < other.route,
        std::cmp::Ordering::Less => false,
    }
}

impl RoutingLayer<'_> {
    /// Quotes `x` along route `route` at the current state without changing it, pricing
    /// every hop from the graph, the pools and the conditions directly (the router's
    /// tables give the same bits).
    pub fn quote(&self, state: &RoutingState, cond: &Conditions, route: u32, mut x: f64) -> f64 {
        for hop in &self.graph.routes[route as usize].hops {
            x = match *hop {
                Hop::Pool { pool, sell_base } => {
                    let p = &state.pools[pool];
                    let out = if sell_base {
                        p.query_sell_base(x)
                    } else {
                        p.query_sell_quote(x)
                    };
                    out * (1.0 - cond.pool_fee[pool])
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

    /// [`RoutingLayer::quote`] from the epoch's tables.
    #[inline(always)]
    fn quote_fast(&self, prices: &EpochPrices, amms: &[[f64; 2]], route: u32, mut x: f64) -> f64 {
        for step in self.plan.steps(route) {
            x = match *step {
                Step::Pool { pool, sell_base } => {
                    let p = pool as usize;
                    let priced = &prices.priced[p];
                    let out = if sell_base {
                        priced.query_sell_base(x)
                    } else {
                        priced.query_sell_quote(x)
                    };
                    out * prices.pool_keep[p]
                }
                Step::Link { link, .. } => {
                    let link = &prices.links[link as usize];
                    if link.down {
                        return 0.0;
                    }
                    link.output(x)
                }
                Step::Amm { amm, forward } => {
                    let r = amms[amm as usize];
                    let (r_in, r_out) = if forward { (r[0], r[1]) } else { (r[1], r[0]) };
                    let x_eff = x * self.amm_keep;
                    r_out * x_eff / (r_in + x_eff)
                }
                Step::External => x * self.external_keep - self.graph.external_fixed,
            };
            if x <= 0.0 {
                return 0.0;
            }
        }
        x
    }

    /// Executes `leg`, updating pools (and their prices), AMMs and flows; returns the
    /// output.
    #[inline(always)]
    fn execute(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        prices: &mut EpochPrices,
        leg: Leg,
        flows: &mut EpochFlows,
    ) -> f64 {
        let Leg {
            route,
            amount,
            chunks,
        } = leg;
        let (input, mut x) = (amount, amount);
        for step in self.plan.steps(route) {
            x = match *step {
                Step::Pool { pool, sell_base } => {
                    let p = pool as usize;
                    let before = state.pools[p].quote;
                    let priced = &mut prices.priced[p];
                    let (after, out) = if sell_base {
                        priced.sell_base(x)
                    } else {
                        priced.sell_quote(x)
                    };
                    state.pools[p] = after;
                    *priced = PricedPool::new(&after);
                    let fee = out * cond.pool_fee[p];
                    let change = after.quote - before;
                    flows.pool_abs_change[p] += change.abs();
                    flows.pool_net_routing[p] += change;
                    flows.pool_fees[p] += fee;
                    flows.net_stable_sold += if sell_base { x } else { -out };
                    out - fee
                }
                Step::Link { link, forward } => {
                    let l = link as usize;
                    flows.link_flow[l][usize::from(!forward)] += x;
                    prices.links[l].output(x)
                }
                Step::Amm { amm, forward } => {
                    let res = &mut state.amms[amm as usize];
                    let (i_in, i_out) = if forward { (0, 1) } else { (1, 0) };
                    let x_eff = x * self.amm_keep;
                    let out = res[i_out] * x_eff / (res[i_in] + x_eff);
                    res[i_in] += x;
                    res[i_out] -= out;
                    out
                }
                Step::External => (x * self.external_keep - self.graph.external_fixed).max(0.0),
            };
        }
        let info = &self.plan.routes[route as usize];
        flows.volume += input;
        flows.add_route_volume(route, input);
        if info.captured {
            flows.captured += input;
        }
        if info.reflexive {
            flows.reflexive_routes += chunks;
        }
        flows.delivered += x;
        x
    }

    /// Whether water-filling would send every chunk of the trade to the best route:
    /// its last chunk still pays at least the runner-up's first chunk and the stall
    /// floor, and the whole trade costs no more than `max_cost`. Outputs are concave in
    /// the amount sent, so every earlier chunk pays more than the last. Then the trade
    /// is executed in one piece, which the PMM curve prices as the sum of its chunks
    /// and which crosses each link once (one fixed cost instead of one per chunk).
    #[inline(always)]
    fn best_takes_all(
        &self,
        prices: &EpochPrices,
        amms: &[[f64; 2]],
        chosen: &[Chosen],
        size: f64,
        chunk: f64,
        floor: f64,
    ) -> bool {
        let Some(best) = chosen.first() else {
            return false;
        };
        let runner_up = chosen.get(1).map_or(0.0, |c| c.out);
        let whole = self.quote_fast(prices, amms, best.route, size);
        if whole < size * (1.0 - self.params.router.max_cost) {
            return false;
        }
        let last = whole - self.quote_fast(prices, amms, best.route, size - chunk);
        last >= runner_up.max(floor)
    }

    /// Routes one trade: picks up to K candidates by their current quote for one chunk.
    /// If water-filling would give the best of them every chunk, sends the trade down
    /// it whole (see `best_takes_all`); otherwise sends chunk after chunk to whichever
    /// currently gives the most output (water-filling), so the marginal outputs of the
    /// used routes end up equal to within one chunk. A chunk whose best output costs
    /// more than `max_cost` stalls.
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
        scratch.prices.prepare(self.graph, state, cond);
        self.route_prepared(state, cond, trade, flows, scratch);
    }

    /// [`RoutingLayer::route_trade`] with `scratch.prices` already prepared for `state`
    /// and `cond` (and kept up to date by every execution since).
    pub(super) fn route_prepared(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        trade: Trade,
        flows: &mut EpochFlows,
        scratch: &mut RouterScratch,
    ) {
        self.route_with(state, cond, trade, flows, scratch, true);
    }

    /// Routes one trade by water-filling alone, executing every chunk one after the
    /// other, even when one route takes them all: the router as it was before trades
    /// could be sent whole. Kept as the reference the router's quality is checked
    /// against (it must never give a trader less).
    pub fn route_trade_chunk_by_chunk(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        trade: Trade,
        flows: &mut EpochFlows,
        scratch: &mut RouterScratch,
    ) {
        scratch.prices.prepare(self.graph, state, cond);
        self.route_with(state, cond, trade, flows, scratch, false);
    }

    /// The router; `single_route` allows sending a trade whole down its best route
    /// when water-filling would give that route every chunk.
    #[inline(always)]
    fn route_with(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        trade: Trade,
        flows: &mut EpochFlows,
        scratch: &mut RouterScratch,
        single_route: bool,
    ) {
        if trade.src == trade.dst || trade.size <= 0.0 {
            return;
        }
        let cands = self
            .graph
            .candidates(trade.src as usize, trade.dst as usize);
        let chunks = self.params.router.chunks;
        let chunk = trade.size / chunks as f64;
        let k = self.params.router.max_paths;
        let RouterScratch { chosen, prices } = scratch;
        // The K best candidates, best first (the order of a full sort).
        chosen.clear();
        for &route in cands {
            let out = self.quote_fast(prices, &state.amms, route, chunk);
            // NaN is no quote either (as `out > 0.0` failing in the full sort's filter).
            if out.is_nan() || out <= 0.0 {
                continue;
            }
            let at = chosen
                .iter()
                .position(|c| ranks_before(out, route, c))
                .unwrap_or(chosen.len());
            if at < k {
                if chosen.len() == k {
                    chosen.pop();
                }
                chosen.insert(
                    at,
                    Chosen {
                        route,
                        out,
                        touch: self.plan.routes[route as usize].touch,
                        fresh: true,
                    },
                );
            }
        }
        let floor = chunk * (1.0 - self.params.router.max_cost);
        if single_route
            && self.best_takes_all(prices, &state.amms, chosen, trade.size, chunk, floor)
        {
            let whole = Leg {
                route: chosen[0].route,
                amount: trade.size,
                chunks: u32::try_from(chunks).unwrap_or(u32::MAX),
            };
            self.execute(state, cond, prices, whole, flows);
            return;
        }
        for done in 0..chunks {
            let mut best: Option<Chosen> = None;
            for c in chosen.iter_mut() {
                if !c.fresh {
                    c.out = self.quote_fast(prices, &state.amms, c.route, chunk);
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
            let leg = Leg {
                route: best.route,
                amount: chunk,
                chunks: 1,
            };
            self.execute(state, cond, prices, leg, flows);
            for c in chosen.iter_mut() {
                c.fresh &= c.touch & best.touch == 0;
            }
        }
    }
}
