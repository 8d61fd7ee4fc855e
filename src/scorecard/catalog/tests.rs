//! Tests of the catalog, and a full scorecard (routing, capital, optimizer with a top
//! deployable candidate) for the renderers' tests.

use std::collections::HashSet;

use super::*;

/// The golden sweep scorecard with a `run_info` and its best candidate as the top
/// deployable one, so every section of the catalog is filled.
pub(crate) fn sample_card() -> Scorecard {
    let text = include_str!("../../../tests/golden/leverage_sweep_1x_to_4x.json");
    let mut value: serde_json::Value = serde_json::from_str(text).expect("golden JSON");
    value["run_info"] = serde_json::json!({
        "tool_version": "0.0.0", "started_unix": 1, "duration_secs": 2.5,
        "threads": 1, "host": "test"
    });
    let mut card: Scorecard = serde_json::from_value(value).expect("a scorecard");
    if let Some(o) = &mut card.optimizer {
        o.top_deployable = o.candidates.first().cloned();
    }
    card
}

fn labels(rows: &[&Metric]) -> Vec<&'static str> {
    rows.iter().map(|m| m.label).collect()
}

#[test]
fn the_table_lists_routing_rows_by_topic() {
    let catalog = Catalog::of(&sample_card());
    assert_eq!(
        labels(&catalog.rows(Section::Routing, View::Table)),
        [
            "capture_mean",
            "capture_p95",
            "churn_mean",
            "churn_p95",
            "churn_max",
            "intervention_cost_total",
            "intervention_cost_inject_total",
            "intervention_cost_withdraw_total",
            "intervention_cost_per_1M_volume",
            "volume_total",
            "fees_total",
            "peak_deviation_bps_pre_arb",
            "peak_deviation_bps",
            "peak_deviation_bps_post_bot",
            "peak_deviation_bps_post_bot_p95",
            "arb_volume_total",
            "arb_profit_total",
            "path_concentration_index",
            "reflexive_route_count",
            "stalled_volume_total",
        ]
    );
}

#[test]
fn markdown_rows_are_a_subset_of_the_table_rows_in_the_same_order() {
    let catalog = Catalog::of(&sample_card());
    for section in [Section::Routing, Section::Capital] {
        let table = labels(&catalog.rows(section, View::Table));
        let markdown = labels(&catalog.rows(section, View::Markdown));
        let mut rest = table.iter();
        for label in &markdown {
            assert!(rest.any(|t| t == label), "{label} out of order");
        }
    }
    assert_eq!(
        labels(&catalog.rows(Section::Capital, View::Markdown)),
        [
            "roi_mean",
            "roi_p05",
            "roi_p95",
            "roi_es_95",
            "max_drawdown_p95",
            "liquidation_probability",
            "peg_deviation_frequency",
            "external_liquidity_floor_breach_probability",
            "external_liquidity_floor_violations",
            "volatility_throttle_events",
            "spread_adjustment_events",
        ]
    );
}

#[test]
fn every_metric_is_described_and_identified_once() {
    let catalog = Catalog::of(&sample_card());
    let mut seen = HashSet::new();
    for m in catalog.metrics() {
        assert!(!m.help.is_empty(), "{} has no description", m.key);
        assert!(
            seen.insert((m.key, m.labels.clone())),
            "{} {:?} twice",
            m.key,
            m.labels
        );
    }
    let exported: HashSet<_> = catalog
        .metrics()
        .iter()
        .filter_map(|m| m.export.map(|e| (m.key, e.stem)))
        .collect();
    let stems: HashSet<_> = exported.iter().map(|(_, stem)| stem).collect();
    assert_eq!(stems.len(), exported.len(), "one family per metric");
}

#[test]
fn sections_without_data_have_no_metrics() {
    let mut card = sample_card();
    card.capital = None;
    card.optimizer = None;
    let catalog = Catalog::of(&card);
    assert!(
        catalog
            .metrics()
            .iter()
            .all(|m| !matches!(m.section, Section::Capital | Section::Optimizer))
    );
}
