//! What one epoch of routing did ([`EpochFlows`]): volumes, per-pool, per-link and
//! per-chain figures, deviations, arbitrage and bot costs, reusable across epochs.

use crate::model::graph::Graph;

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
    /// Chunks routed through more than one of our pools on one chain (a trade sent
    /// whole down one route counts as its `router.chunks` chunks).
    pub reflexive_routes: u32,
    /// Output delivered to the traders, USD: what they received for `volume`.
    pub delivered: f64,
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
        self.delivered = 0.0;
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
    pub(super) fn add_route_volume(&mut self, route: u32, x: f64) {
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
