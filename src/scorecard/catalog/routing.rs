//! Catalog entries of the routing metrics (model.md section 3), then the per-chain
//! series.

use super::entry::{Export, ExportUnit::*, Row, Topic::*};
use super::{Metric, Section};
use crate::scorecard::RoutingMetrics;

/// The routing metrics, in exposition order.
pub(super) fn routing(r: &RoutingMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Routing, key, v);
    let mut out = vec![
        m("routing.capture_mean", r.capture_mean)
            .se(r.capture_mean_se)
            .about(
                "share of volume",
                "Mean share of routed volume captured by our pools.",
            )
            .export(Export::gauge("capture_mean", Ratio).with_uncertainty())
            .row(Row::both(Capture)),
        m("routing.capture_p95", r.capture_p95)
            .se(r.capture_p95_se)
            .about(
                "share of volume",
                "Per-path 95th percentile of epoch capture, averaged over paths.",
            )
            .export(Export::gauge("capture_p95", Ratio).with_uncertainty())
            .row(Row::both(Capture)),
        m("routing.churn_mean", r.churn_mean)
            .se(r.churn_mean_se)
            .about(
                "per epoch",
                "Mean epoch inventory churn (sum |dI| / sum I*).",
            )
            .export(Export::gauge("churn_mean", Ratio).with_uncertainty())
            .row(Row::both(Churn)),
        m("routing.churn_p95", r.churn_p95)
            .se(r.churn_p95_se)
            .about(
                "per epoch",
                "Per-path 95th percentile of epoch churn, averaged over paths.",
            )
            .export(Export::gauge("churn_p95", Ratio).with_uncertainty())
            .row(Row::both(Churn)),
        m("routing.churn_max", r.churn_max)
            .about("per epoch", "Largest epoch churn in any path.")
            .export(Export::gauge("churn_max", Ratio))
            .row(Row::table(Churn)),
    ];
    out.extend(cost(r));
    out.extend(volumes(r));
    out.extend(deviation(r));
    out.extend(chains(r));
    out
}

fn cost(r: &RoutingMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Routing, key, v);
    vec![
        m("routing.intervention_cost_total", r.intervention_cost_total)
            .se(r.intervention_cost_total_se)
            .about(
                "USD per path",
                "Bot intervention cost per path over the horizon, USD.",
            )
            .export(Export::gauge("intervention_cost_per_path", Usd).with_uncertainty())
            .row(Row::both(Cost)),
        m(
            "routing.intervention_cost_inject_total",
            r.intervention_cost_inject_total,
        )
        .se(r.intervention_cost_inject_total_se)
        .about(
            "USD per path",
            "Bot cost of injecting inventory, per path over the horizon, USD.",
        )
        .row(Row::table(Cost)),
        m(
            "routing.intervention_cost_withdraw_total",
            r.intervention_cost_withdraw_total,
        )
        .se(r.intervention_cost_withdraw_total_se)
        .about(
            "USD per path",
            "Bot cost of withdrawing inventory, per path over the horizon, USD.",
        )
        .row(Row::table(Cost)),
        m(
            "routing.intervention_cost_per_1M_volume",
            r.intervention_cost_per_1m_volume,
        )
        .se(r.intervention_cost_per_1m_volume_se)
        .about("USD", "Intervention cost per USD 1M of routed volume.")
        .export(Export::gauge("intervention_cost_per_1m_volume", Usd).with_uncertainty())
        .row(Row::both(Cost)),
    ]
}

fn volumes(r: &RoutingMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Routing, key, v);
    vec![
        m("routing.volume_total", r.volume_total)
            .se(r.volume_total_se)
            .about("USD per path", "Routed volume per path, USD.")
            .export(Export::gauge("volume_per_path", Usd).with_uncertainty())
            .row(Row::both(Volume)),
        m("routing.stalled_volume_total", r.stalled_volume_total)
            .about(
                "USD per path",
                "Volume per path that found no route within the cost limit, USD.",
            )
            .export(Export::gauge("stalled_volume_per_path", Usd))
            .row(Row::table(Diagnostics)),
        m("routing.fees_total", r.fees_total)
            .se(r.fees_total_se)
            .about("USD per path", "Fees earned by our pools per path, USD.")
            .export(Export::gauge("fees_per_path", Usd).with_uncertainty())
            .row(Row::both(Volume)),
        m("routing.arb_volume_total", r.arb_volume_total)
            .se(r.arb_volume_total_se)
            .about("USD per path", "Arbitrage volume per path, USD.")
            .export(Export::gauge("arb_volume_per_path", Usd).with_uncertainty())
            .row(Row::table(Arbitrage)),
        m("routing.arb_profit_total", r.arb_profit_total)
            .se(r.arb_profit_total_se)
            .about("USD per path", "Arbitrage profit per path, USD.")
            .export(Export::gauge("arb_profit_per_path", Usd).with_uncertainty())
            .row(Row::table(Arbitrage)),
        m(
            "routing.path_concentration_index",
            r.path_concentration_index,
        )
        .se(r.path_concentration_index_se)
        .about(
            "HHI",
            "Herfindahl index of route shares of volume (1 = one route carries all).",
        )
        .export(Export::gauge("path_concentration_index", Ratio).with_uncertainty())
        .row(Row::table(Routes)),
        Metric::count(
            Section::Routing,
            "routing.reflexive_route_count",
            r.reflexive_route_count,
        )
        .per_path(
            r.reflexive_route_count_per_path,
            r.reflexive_route_count_per_path_se,
        )
        .about(
            "routes",
            "Chunks routed through more than one of our pools on one chain, all paths.",
        )
        .export(
            Export::counter("reflexive_routes").with_per_path("Reflexive routes, mean per path."),
        )
        .row(Row::table(Routes)),
    ]
}

fn deviation(r: &RoutingMetrics) -> Vec<Metric> {
    let m = |key, v| Metric::real(Section::Routing, key, v);
    vec![
        m(
            "routing.peak_deviation_bps_pre_arb",
            r.peak_deviation_bps_pre_arb,
        )
        .se(r.peak_deviation_bps_pre_arb_se)
        .about(
            "bps",
            "Peak |pool deviation| before arbitrage, mean over paths, bps.",
        )
        .export(Export::gauge("peak_deviation_pre_arb_mean", Bps).with_uncertainty())
        .row(Row::table(Deviation)),
        m("routing.peak_deviation_bps", r.peak_deviation_bps)
            .se(r.peak_deviation_bps_se)
            .about(
                "bps",
                "Peak |pool deviation| after arbitrage, mean over paths, bps.",
            )
            .export(Export::gauge("peak_deviation_mean", Bps).with_uncertainty())
            .row(Row::both(Deviation)),
        m("routing.peak_deviation_bps_p95", r.peak_deviation_bps_p95)
            .ci95(r.peak_deviation_bps_p95_ci95)
            .about(
                "bps",
                "95th percentile over paths of the post-arbitrage peak deviation, bps.",
            )
            .export(Export::gauge("peak_deviation_p95", Bps)),
        m(
            "routing.peak_deviation_bps_post_bot",
            r.peak_deviation_bps_post_bot,
        )
        .se(r.peak_deviation_bps_post_bot_se)
        .about(
            "bps",
            "Peak |pool deviation| after the bot, mean over paths, bps.",
        )
        .export(Export::gauge("peak_deviation_post_bot_mean", Bps).with_uncertainty())
        .row(Row::table(Deviation)),
        m(
            "routing.peak_deviation_bps_post_bot_p95",
            r.peak_deviation_bps_post_bot_p95,
        )
        .ci95(r.peak_deviation_bps_post_bot_p95_ci95)
        .about(
            "bps",
            "95th percentile over paths of the post-bot peak deviation, bps (gated).",
        )
        .export(Export::gauge("peak_deviation_post_bot_p95", Bps).with_uncertainty())
        .row(Row::both(Deviation)),
    ]
}

/// Per chain: intervention cost, then peak bridge outflow (each labelled by chain).
fn chains(r: &RoutingMetrics) -> Vec<Metric> {
    let costs = r.intervention_cost_by_chain.iter().map(|c| {
        Metric::real(
            Section::Routing,
            "routing.intervention_cost_by_chain.total",
            c.total,
        )
        .labelled("chain_id", c.chain_id.to_string())
        .labelled("chain", c.chain.as_str())
        .about(
            "USD per path",
            "Intervention cost on one chain, mean per path, USD.",
        )
        .export(Export::gauge("chain_intervention_cost_per_path", Usd))
    });
    let outflows = r.peak_bridge_outflow.iter().map(|o| {
        Metric::real(
            Section::Routing,
            "routing.peakBridgeOutflow.p95_usd_per_epoch",
            o.p95_usd_per_epoch,
        )
        .labelled("chain_id", o.chain_id.to_string())
        .labelled("chain", o.chain.as_str())
        .about(
            "USD per epoch",
            "95th percentile over paths of a chain's peak epoch bridge outflow, USD per epoch.",
        )
        .export(Export::gauge("chain_peak_bridge_outflow_p95", Usd))
    });
    costs.chain(outflows).collect()
}
