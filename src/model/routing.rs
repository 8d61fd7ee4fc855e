//! The routing layer of one path and one epoch: the router (up to K cheapest candidate
//! routes per trade, water-filled in chunks), then the arbitrage step, then the inventory
//! bot. It mutates the pools and reports flows; it draws no random numbers (trades come
//! in from `flow`) and keeps no history (the engine accumulates what it reports).

use crate::config::scenario::{ArbSpec, BotSpec, LinkCost, RouterSpec};
use crate::model::graph::{Graph, Hop, amm_output, link_output};
use crate::model::pmm::{PmmPool, PricedPool};

use super::flow::Trade;

/// Per-epoch conditions set by shocks and by the capital overlay's spread policy.
#[derive(Debug, Clone)]
pub struct Conditions {
    /// Per link: down for this epoch.
    pub link_down: Vec<bool>,
    /// Per link: cost multiplier.
    pub link_cost: Vec<f64>,
    /// Per link: latency multiplier.
    pub link_latency: Vec<f64>,
    /// Per pool: fee charged this epoch, fraction of output.
    pub pool_fee: Vec<f64>,
}

impl Conditions {
    /// No shocks, design fees.
    pub fn calm(graph: &Graph) -> Self {
        Self {
            link_down: vec![false; graph.links.len()],
            link_cost: vec![1.0; graph.links.len()],
            link_latency: vec![1.0; graph.links.len()],
            pool_fee: graph.pools.iter().map(|p| p.fee).collect(),
        }
    }
}

/// The mutable state of the routing layer in one path.
#[derive(Debug, Clone)]
pub struct RoutingState {
    pub pools: Vec<PmmPool>,
    /// Background AMM reserves `[a, b]`, reset every epoch.
    pub amms: Vec<[f64; 2]>,
}

impl RoutingState {
    /// Every pool at equilibrium with `I* = depth` on each side.
    pub fn new(graph: &Graph) -> Self {
        let pools = graph
            .pools
            .iter()
            .map(|p| {
                PmmPool::new(p.depth, p.depth, 1.0, p.k)
                    .unwrap_or_else(|_| unreachable_pool(p.depth))
            })
            .collect();
        Self {
            pools,
            amms: vec![[graph.amm_depth; 2]; graph.amms.len()],
        }
    }
}

/// Pool specs are validated (depth > 0, k in [0, 1]) before a graph is built, so
/// `PmmPool::new` cannot fail here; a linear pool is a harmless fallback.
fn unreachable_pool(depth: f64) -> PmmPool {
    PmmPool {
        base: depth,
        quote: depth,
        base_target: depth,
        quote_target: depth,
        i: 1.0,
        k: 0.0,
    }
}

/// What one epoch of routing did. Vectors are indexed like the graph's pools, links and
/// chains; `reset` clears it for reuse without allocating.
#[derive(Debug, Clone, Default)]
pub struct EpochFlows {
    /// Executed trade volume, USD.
    pub volume: f64,
    /// Volume whose route went through at least one of our pools, USD.
    pub captured: f64,
    /// Volume that found no route within the router's cost limit, USD.
    pub stalled: f64,
    /// Chunks routed through more than one of our pools on one chain.
    pub reflexive_routes: u32,
    /// Per pool: sum of |change in quote inventory| from every operation, USD.
    pub pool_abs_change: Vec<f64>,
    /// Per pool: net change of quote inventory from routing alone, USD.
    pub pool_net_routing: Vec<f64>,
    /// Per pool: fees earned, USD.
    pub pool_fees: Vec<f64>,
    /// Per link: volume carried `[a->b, b->a]`, USD.
    pub link_flow: Vec<[f64; 2]>,
    /// Per route id: volume, USD (only routes used this epoch are non-zero).
    pub route_volume: Vec<f64>,
    /// Change of the pools' total value at the oracle price (base + quote) from routing
    /// and arbitrage, USD; the bot's moves are value-neutral and not included.
    pub value_change: f64,
    /// Net cW (our stable) sold into our pools by routed trades, USD (> 0: selling pressure).
    pub net_stable_sold: f64,
    /// Largest |deviation| over pools after routing, before arbitrage.
    pub dev_pre_arb: f64,
    /// ... after arbitrage.
    pub dev_post_arb: f64,
    /// ... after the bot.
    pub dev_post_bot: f64,
    /// Per pool: |deviation| after arbitrage.
    pub pool_dev_post_arb: Vec<f64>,
    pub arb_volume: f64,
    pub arb_profit: f64,
    /// Per chain (graph order): bot injection cost, USD.
    pub inject_cost: Vec<f64>,
    /// Per chain: bot withdrawal cost, USD.
    pub withdraw_cost: Vec<f64>,
    /// Route ids with volume this epoch, in first-use order, and a flag per route id:
    /// `reset` clears only these instead of the whole (thousands long) `route_volume`.
    used_routes: Vec<u32>,
    route_used: Vec<bool>,
}

impl EpochFlows {
    pub fn new(graph: &Graph) -> Self {
        let pools = graph.pools.len();
        let chains = graph.chains.len();
        Self {
            pool_abs_change: vec![0.0; pools],
            pool_net_routing: vec![0.0; pools],
            pool_fees: vec![0.0; pools],
            pool_dev_post_arb: vec![0.0; pools],
            link_flow: vec![[0.0; 2]; graph.links.len()],
            route_volume: vec![0.0; graph.routes.len()],
            route_used: vec![false; graph.routes.len()],
            inject_cost: vec![0.0; chains],
            withdraw_cost: vec![0.0; chains],
            ..Self::default()
        }
    }

    /// Clears every figure, keeping the allocations.
    pub fn reset(&mut self) {
        self.volume = 0.0;
        self.captured = 0.0;
        self.stalled = 0.0;
        self.reflexive_routes = 0;
        self.net_stable_sold = 0.0;
        self.value_change = 0.0;
        self.dev_pre_arb = 0.0;
        self.dev_post_arb = 0.0;
        self.dev_post_bot = 0.0;
        self.arb_volume = 0.0;
        self.arb_profit = 0.0;
        for v in [
            &mut self.pool_abs_change,
            &mut self.pool_net_routing,
            &mut self.pool_fees,
            &mut self.pool_dev_post_arb,
            &mut self.inject_cost,
            &mut self.withdraw_cost,
        ] {
            v.fill(0.0);
        }
        self.link_flow.fill([0.0; 2]);
        for &r in &self.used_routes {
            self.route_volume[r as usize] = 0.0;
            self.route_used[r as usize] = false;
        }
        self.used_routes.clear();
    }

    /// Adds `x` USD to route `route`'s volume.
    #[inline]
    fn add_route_volume(&mut self, route: u32, x: f64) {
        let r = route as usize;
        self.route_volume[r] += x;
        if !self.route_used[r] {
            self.route_used[r] = true;
            self.used_routes.push(route);
        }
    }

    /// The route ids with volume this epoch (every other entry of `route_volume` is 0).
    pub fn used_routes(&self) -> &[u32] {
        &self.used_routes
    }

    /// Total fees earned by our pools this epoch, USD.
    pub fn fees(&self) -> f64 {
        self.pool_fees.iter().sum()
    }

    /// Total intervention (bot) cost this epoch, USD.
    pub fn intervention_cost(&self) -> f64 {
        self.inject_cost.iter().sum::<f64>() + self.withdraw_cost.iter().sum::<f64>()
    }
}

/// The routing layer's fixed settings.
#[derive(Debug, Clone, Copy)]
pub struct RoutingParams {
    pub router: RouterSpec,
    pub arbitrage: ArbSpec,
    pub bot: BotSpec,
}

/// Runs the router, the arbitrage step and the bot for one epoch.
pub struct RoutingLayer<'g> {
    pub graph: &'g Graph,
    pub params: RoutingParams,
    /// Index into graph chains of each pool's chain, and of each chain's hub link.
    pool_chain: Vec<usize>,
    hub_link_of_chain: Vec<Option<usize>>,
    /// Per route: the stateful hops it passes through, as a bit set (see [`touch_mask`]).
    route_touch: Vec<u128>,
}

/// One of a trade's chosen routes, with its one-chunk quote kept while no executed
/// chunk has touched the pools or AMMs it passes through.
#[derive(Debug, Clone, Copy)]
struct Chosen {
    route: u32,
    out: f64,
    touch: u128,
    fresh: bool,
}

/// Per pool, the pool priced at its current balances (see [`PricedPool`]), kept from
/// the first quote through a pool until a chunk executes through it. Valid within one
/// trade only: anything else may move the pools between trades.
#[derive(Debug, Clone, Default)]
struct PriceCache {
    priced: Vec<Option<PricedPool>>,
}

impl PriceCache {
    /// Forgets every price (the start of a trade).
    fn reset(&mut self, pools: usize) {
        self.priced.clear();
        self.priced.resize(pools, None);
    }

    /// Pool `p` priced at the balances in `pools[p]`.
    #[inline(always)]
    fn get(&mut self, pools: &[PmmPool], p: usize) -> &PricedPool {
        self.priced[p].get_or_insert_with(|| PricedPool::new(&pools[p]))
    }

    /// Pool `p` has moved.
    #[inline(always)]
    fn invalidate(&mut self, p: usize) {
        self.priced[p] = None;
    }
}

/// A pool's fee-less output for `x` sold into it (base when `sell_base`), at the
/// current balances.
trait PoolOut {
    fn out(&mut self, pool: usize, sell_base: bool, x: f64) -> f64;
}

/// Prices straight from the pools.
struct Direct<'a>(&'a [PmmPool]);

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
struct Cached<'a>(&'a mut PriceCache, &'a [PmmPool]);

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
fn touch_mask(graph: &Graph, route: usize) -> u128 {
    graph.routes[route]
        .hops
        .iter()
        .fold(0, |mask, hop| match *hop {
            Hop::Pool { pool, .. } => mask | 1u128 << (pool % 64),
            Hop::Amm { amm, .. } => mask | 1u128 << (64 + amm % 64),
            Hop::Link { .. } | Hop::External => mask,
        })
}

impl<'g> RoutingLayer<'g> {
    pub fn new(graph: &'g Graph, params: RoutingParams) -> Self {
        let chain_index = |id: u64| graph.chains.iter().position(|c| *c == id).unwrap_or(0);
        let pool_chain = graph.pools.iter().map(|p| chain_index(p.chain)).collect();
        let hub_link_of_chain = graph
            .chains
            .iter()
            .map(|c| {
                graph
                    .links
                    .iter()
                    .position(|l| l.hub && (l.a == *c || l.b == *c))
            })
            .collect();
        Self {
            graph,
            params,
            pool_chain,
            hub_link_of_chain,
            route_touch: (0..graph.routes.len())
                .map(|r| touch_mask(graph, r))
                .collect(),
        }
    }

    /// One epoch: route `trades`, then arbitrage, then the bot.
    pub fn step(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        trades: &[Trade],
        flows: &mut EpochFlows,
        scratch: &mut RouterScratch,
    ) {
        flows.reset();
        for amm in &mut state.amms {
            *amm = [self.graph.amm_depth; 2];
        }
        let value_before = pool_value(&state.pools);
        for trade in trades {
            self.route_trade(state, cond, *trade, flows, scratch);
        }
        flows.dev_pre_arb = max_deviation(&state.pools);
        self.arbitrage(state, cond, flows);
        flows.value_change = pool_value(&state.pools) - value_before;
        for (d, pool) in flows.pool_dev_post_arb.iter_mut().zip(&state.pools) {
            *d = pool.deviation().abs();
        }
        // The same fold as `max_deviation`, over the same values.
        flows.dev_post_arb = flows.pool_dev_post_arb.iter().copied().fold(0.0, f64::max);
        self.bot(state, cond, flows);
        flows.dev_post_bot = max_deviation(&state.pools);
    }

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

    /// Arbitrageurs trade each pool whose |deviation| exceeds the threshold back to the
    /// threshold (where their edge is gone), up to `maxFractionOfTarget` of `I*` per pool.
    fn arbitrage(&self, state: &mut RoutingState, cond: &Conditions, flows: &mut EpochFlows) {
        for (i, pool) in state.pools.iter_mut().enumerate() {
            // Arbitrageurs move cW between the pool's chain and the hub: a downed hub link
            // stops them, a degraded one raises their threshold by the extra fee and slows
            // them by the latency multiplier.
            let (down, cost_mult, latency_mult, fee) =
                self.hub_link_state(self.pool_chain[i], cond);
            if down {
                continue;
            }
            let threshold = self.params.arbitrage.threshold + (cost_mult - 1.0) * fee;
            let dev = pool.deviation();
            if dev.abs() <= threshold {
                continue;
            }
            let cap = self.params.arbitrage.max_fraction * self.graph.pools[i].depth / latency_mult;
            let sell_base = dev > 0.0;
            let target = if sell_base { threshold } else { -threshold };
            let amount = amount_to_deviation(pool, sell_base, target, cap);
            if amount <= 0.0 {
                continue;
            }
            let before = pool.quote;
            let out = if sell_base {
                pool.sell_base(amount)
            } else {
                pool.sell_quote(amount)
            };
            let fee = out * cond.pool_fee[i];
            flows.pool_fees[i] += fee;
            flows.pool_abs_change[i] += (pool.quote - before).abs();
            flows.arb_volume += amount;
            flows.arb_profit += out - fee - amount;
        }
    }

    /// The operator keeps each pool's quote inventory inside `[lowWater, highWater] x I*`:
    /// below, it injects anchors and takes cW back to the hub; above, the reverse; each
    /// move heads back to `I*`, is capped per epoch (less on a slow link) and pays the
    /// hub link's cost. A pool whose hub link is down cannot be serviced.
    fn bot(&self, state: &mut RoutingState, cond: &Conditions, flows: &mut EpochFlows) {
        let bot = self.params.bot;
        for (i, pool) in state.pools.iter_mut().enumerate() {
            let target = self.graph.pools[i].depth;
            let inventory = pool.quote;
            let inject = inventory < bot.low_water * target;
            let withdraw = inventory > bot.high_water * target;
            if !inject && !withdraw {
                continue;
            }
            let chain = self.pool_chain[i];
            let (down, cost_mult, latency_mult, _) = self.hub_link_state(chain, cond);
            if down {
                continue;
            }
            let cap = bot.max_fraction * target / latency_mult;
            let amount = if inject {
                (target - inventory).min(cap).min(pool.base)
            } else {
                (inventory - target).min(cap)
            };
            if amount <= 0.0 {
                continue;
            }
            let cost_spec = self.hub_link_cost(chain);
            let cost = amount - link_output(&cost_spec, amount, cost_mult, latency_mult);
            if inject {
                pool.set_balances(pool.base - amount, pool.quote + amount);
                flows.inject_cost[chain] += cost;
            } else {
                pool.set_balances(pool.base + amount, pool.quote - amount);
                flows.withdraw_cost[chain] += cost;
            }
            flows.pool_abs_change[i] += amount;
        }
    }
}

impl RoutingLayer<'_> {
    /// `(down, cost multiplier, latency multiplier, base fee)` of the hub link serving
    /// `chain` this epoch; the hub itself has no link (never down, no extra cost).
    fn hub_link_state(&self, chain: usize, cond: &Conditions) -> (bool, f64, f64, f64) {
        match self.hub_link_of_chain[chain] {
            Some(l) => (
                cond.link_down[l],
                cond.link_cost[l],
                cond.link_latency[l],
                self.graph.links[l].cost.fee,
            ),
            None => (false, 1.0, 1.0, 0.0),
        }
    }

    /// The cost of the hub link serving `chain`; hub pools pay a mint/burn link's cost.
    fn hub_link_cost(&self, chain: usize) -> LinkCost {
        let link =
            self.hub_link_of_chain[chain].or_else(|| self.graph.links.iter().position(|l| l.hub));
        link.map_or(
            LinkCost {
                fee: 0.0,
                fixed: 0.0,
                latency_hours: 0.0,
                premium_per_hour: 0.0,
            },
            |l| self.graph.links[l].cost,
        )
    }
}

fn pool_value(pools: &[PmmPool]) -> f64 {
    pools.iter().map(|p| p.base + p.quote).sum()
}

fn max_deviation(pools: &[PmmPool]) -> f64 {
    pools
        .iter()
        .map(|p| p.deviation().abs())
        .fold(0.0, f64::max)
}

/// The trade size (base sold when `sell_base`, else quote sold) that moves the pool's
/// deviation to `target`, found by bisection and capped at `cap`.
fn amount_to_deviation(pool: &PmmPool, sell_base: bool, target: f64, cap: f64) -> f64 {
    // The pool's targets are solved once, not once per probe (same bits either way).
    let priced = PricedPool::new(pool);
    let after = |a: f64| {
        let (p, _) = if sell_base {
            priced.sell_base(a)
        } else {
            priced.sell_quote(a)
        };
        p.deviation()
    };
    let past = |d: f64| if sell_base { d <= target } else { d >= target };
    if !past(after(cap)) {
        return cap;
    }
    // 48 halvings of [0, cap], two at a time: the probe at the midpoint and at both
    // midpoints the next halving could pick are independent, so they run side by side
    // (this is latency-bound); the chosen points are exactly the one-at-a-time ones.
    let (mut lo, mut hi) = (0.0, cap);
    for _ in 0..24 {
        let mid = 0.5 * (lo + hi);
        let (mid_lo, mid_hi) = (0.5 * (lo + mid), 0.5 * (mid + hi));
        let (at_mid, at_lo, at_hi) = (past(after(mid)), past(after(mid_lo)), past(after(mid_hi)));
        if at_mid {
            hi = mid;
            if at_lo {
                hi = mid_lo;
            } else {
                lo = mid_lo;
            }
        } else {
            lo = mid;
            if at_hi {
                hi = mid_hi;
            } else {
                lo = mid_hi;
            }
        }
    }
    lo
}
