//! Turns the engine's per-path outcomes and batch totals into a `Scorecard`: means with
//! standard errors, exact quantiles over paths with order-statistic intervals, and the
//! per-pool, per-chain and per-link tables. Pure: it never runs the engine.

use super::{ChainCost, ChainOutflow, LinkFlow, PoolDiagnostics, PoolHalfLife, RoutingMetrics};
use crate::engine::{BatchResult, BatchTotals, PathOutcome, Setup};
use crate::stats::MeanEstimate;
use crate::stats::weighted::{self, Weights};

/// Worst pools listed in the scorecard.
const WORST_POOLS: usize = 5;

/// Merges batches in order into one list of paths and one set of totals.
pub fn merge_batches<'a>(
    batches: &'a [BatchResult],
    setup: &Setup,
) -> (Vec<&'a PathOutcome>, BatchTotals) {
    let g = &setup.graph;
    let mut totals = BatchTotals::new(g.pools.len(), g.chains.len(), g.links.len());
    let mut paths = Vec::with_capacity(batches.iter().map(|b| b.paths.len()).sum());
    for batch in batches {
        totals.merge(&batch.totals);
        paths.extend(batch.paths.iter());
    }
    (paths, totals)
}

fn est(
    paths: &[&PathOutcome],
    weights: Option<Weights>,
    f: impl Fn(&PathOutcome) -> f64,
) -> MeanEstimate {
    let values: Vec<f64> = paths.iter().map(|p| f(p)).collect();
    weighted::mean(&values, weights)
}

/// The routing metrics of a run. `weights` (one per path) are the importance weights of a
/// `--rare-events` run, `None` plain sampling; `totals` already hold weighted sums then.
/// The maxima over paths (`churn_max`, `peak_deviation_bps_max`, `peak_flow_max_usd`,
/// `max_usd_per_epoch`) and the count `reflexive_route_count` are of the paths simulated,
/// unweighted.
pub fn routing_metrics(
    setup: &Setup,
    paths: &[&PathOutcome],
    totals: &BatchTotals,
    weights: Option<Weights>,
) -> RoutingMetrics {
    let g = &setup.graph;
    let n = paths.len().max(1) as f64;
    let r = |f: fn(&crate::engine::outcome::RoutingOutcome) -> f64| {
        est(paths, weights, move |p| f(&p.routing))
    };
    let capture = r(|o| o.capture_mean);
    let capture95 = r(|o| o.capture_p95);
    let churn = r(|o| o.churn_mean);
    let churn95 = r(|o| o.churn_p95);
    let inject = r(|o| o.inject_cost);
    let withdraw = r(|o| o.withdraw_cost);
    let total = r(|o| o.inject_cost + o.withdraw_cost);
    let volume = r(|o| o.volume);
    let fees = r(|o| o.fees);
    let pre = r(|o| o.peak_dev_pre_arb_bps);
    let post = r(|o| o.peak_dev_post_arb_bps);
    let bot = r(|o| o.peak_dev_post_bot_bps);
    let arb_v = r(|o| o.arb_volume);
    let arb_p = r(|o| o.arb_profit);
    let hhi = r(|o| o.path_concentration);
    let reflexive = r(|o| o.reflexive_routes as f64);
    let costs: Vec<f64> = paths
        .iter()
        .map(|p| p.routing.inject_cost + p.routing.withdraw_cost)
        .collect();
    let volumes: Vec<f64> = paths.iter().map(|p| p.routing.volume).collect();
    let (per_m, per_m_se) = weighted::ratio(&costs, &volumes, weights);
    let post_values: Vec<f64> = paths
        .iter()
        .map(|p| p.routing.peak_dev_post_arb_bps)
        .collect();
    let bot_values: Vec<f64> = paths
        .iter()
        .map(|p| p.routing.peak_dev_post_bot_bps)
        .collect();
    let (post95, post95_ci) = weighted::quantile_with_ci95(&post_values, weights, 0.95);
    let (bot95, bot95_ci) = weighted::quantile_with_ci95(&bot_values, weights, 0.95);
    let half_lives = half_lives(setup, totals, n);
    RoutingMetrics {
        capture_mean: capture.mean,
        capture_mean_se: capture.se,
        capture_p95: capture95.mean,
        capture_p95_se: capture95.se,
        churn_mean: churn.mean,
        churn_mean_se: churn.se,
        churn_p95: churn95.mean,
        churn_p95_se: churn95.se,
        churn_max: paths
            .iter()
            .map(|p| p.routing.churn_max)
            .fold(0.0, f64::max),
        intervention_cost_total: total.mean,
        intervention_cost_total_se: total.se,
        intervention_cost_inject_total: inject.mean,
        intervention_cost_inject_total_se: inject.se,
        intervention_cost_withdraw_total: withdraw.mean,
        intervention_cost_withdraw_total_se: withdraw.se,
        intervention_cost_by_chain: g
            .chains
            .iter()
            .enumerate()
            .map(|(c, id)| ChainCost {
                chain_id: *id,
                chain: chain_name(setup, *id),
                inject: totals.chain_inject[c] / n,
                withdraw: totals.chain_withdraw[c] / n,
                total: (totals.chain_inject[c] + totals.chain_withdraw[c]) / n,
            })
            .collect(),
        intervention_cost_per_1m_volume: per_m * 1e6,
        intervention_cost_per_1m_volume_se: per_m_se * 1e6,
        volume_total: volume.mean,
        volume_total_se: volume.se,
        stalled_volume_total: r(|o| o.stalled).mean,
        fees_total: fees.mean,
        fees_total_se: fees.se,
        peak_deviation_bps_pre_arb: pre.mean,
        peak_deviation_bps_pre_arb_se: pre.se,
        peak_deviation_bps: post.mean,
        peak_deviation_bps_se: post.se,
        peak_deviation_bps_p95: post95,
        peak_deviation_bps_p95_ci95: post95_ci,
        peak_deviation_bps_post_bot: bot.mean,
        peak_deviation_bps_post_bot_se: bot.se,
        peak_deviation_bps_post_bot_p95: bot95,
        peak_deviation_bps_post_bot_p95_ci95: bot95_ci,
        arb_volume_total: arb_v.mean,
        arb_volume_total_se: arb_v.se,
        arb_profit_total: arb_p.mean,
        arb_profit_total_se: arb_p.se,
        worst_pools: worst_pools(setup, totals, &half_lives, n),
        drain_half_life_epochs: half_lives,
        path_concentration_index: hhi.mean,
        path_concentration_index_se: hhi.se,
        reflexive_route_count: paths.iter().map(|p| p.routing.reflexive_routes).sum(),
        reflexive_route_count_per_path: reflexive.mean,
        reflexive_route_count_per_path_se: reflexive.se,
        peak_bridge_outflow: chain_outflows(setup, paths, weights),
        bridge_links: g
            .links
            .iter()
            .enumerate()
            .map(|(l, link)| LinkFlow {
                kind: if link.hub {
                    "mint_burn".into()
                } else {
                    "bridge".into()
                },
                chain_a: link.a,
                chain_b: link.b,
                peak_flow_mean_usd: totals.link_peak_flow_sum[l] / n,
                peak_flow_max_usd: totals.link_peak_flow_max[l],
            })
            .collect(),
    }
}

fn chain_name(setup: &Setup, id: u64) -> String {
    setup
        .scenario
        .graph
        .chains
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

fn pool_label(setup: &Setup, p: usize) -> String {
    let spec = &setup.graph.pools[p];
    format!("{}/{}", spec.base, spec.quote)
}

fn half_lives(setup: &Setup, totals: &BatchTotals, n: f64) -> Vec<PoolHalfLife> {
    setup
        .graph
        .pools
        .iter()
        .enumerate()
        .map(|(p, spec)| {
            let flow = totals.pool_net_flow[p] / n;
            PoolHalfLife {
                chain_id: spec.chain,
                pool: pool_label(setup, p),
                net_flow_per_epoch: flow,
                half_life_epochs: (flow > 0.0).then(|| 0.5 * spec.depth / flow),
            }
        })
        .collect()
}

fn worst_pools(
    setup: &Setup,
    totals: &BatchTotals,
    half: &[PoolHalfLife],
    n: f64,
) -> Vec<PoolDiagnostics> {
    let epochs = f64::from(setup.scenario.monte_carlo.epochs);
    let mut order: Vec<usize> = (0..setup.graph.pools.len()).collect();
    order.sort_by(|a, b| {
        totals.pool_peak_dev_sum[*b]
            .total_cmp(&totals.pool_peak_dev_sum[*a])
            .then(a.cmp(b))
    });
    order
        .into_iter()
        .take(WORST_POOLS)
        .map(|p| PoolDiagnostics {
            chain_id: setup.graph.pools[p].chain,
            pool: pool_label(setup, p),
            depth_usd: setup.graph.pools[p].depth,
            peak_deviation_bps_mean: totals.pool_peak_dev_sum[p] / n,
            peak_deviation_bps_max: totals.pool_peak_dev_max[p],
            churn_per_epoch: totals.pool_churn[p] / n / epochs,
            fees: totals.pool_fees[p] / n,
            half_life_epochs: half[p].half_life_epochs,
        })
        .collect()
}

fn chain_outflows(
    setup: &Setup,
    paths: &[&PathOutcome],
    weights: Option<Weights>,
) -> Vec<ChainOutflow> {
    setup
        .graph
        .chains
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let values: Vec<f64> = paths
                .iter()
                .map(|p| p.routing.chain_peak_outflow.get(c).copied().unwrap_or(0.0))
                .collect();
            let m = weighted::mean(&values, weights);
            let (p95, _) = weighted::quantile_with_ci95(&values, weights, 0.95);
            ChainOutflow {
                chain_id: *id,
                chain: chain_name(setup, *id),
                mean_usd_per_epoch: m.mean,
                p95_usd_per_epoch: p95,
                max_usd_per_epoch: values.iter().copied().fold(0.0, f64::max),
            }
        })
        .collect()
}
