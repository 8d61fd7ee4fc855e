//! The `validate` report as tables or JSON.

use crate::app::validate::ValidationReport;
use crate::error::Result;

use super::DataFormat;
use super::json::pretty_json;
use super::number::{self, Kind, Notation};
use super::table::new_table;

/// Renders the validation report in `format`.
pub fn render(report: &ValidationReport, format: DataFormat) -> Result<Vec<u8>> {
    match format {
        DataFormat::Json => pretty_json(report, "the validation report"),
        DataFormat::Table => Ok(tables(report).into_bytes()),
    }
}

/// The validation report as tables: configs, bridge rule, gates, evidence, verdict.
fn tables(r: &ValidationReport) -> String {
    let mut out = String::from("Config files\n");
    let mut t = new_table(&["file", "status"]);
    for c in &r.configs {
        t.add_row(vec![
            c.file.clone(),
            if c.ok { "ok" } else { "invalid" }.to_string(),
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str(
        "\n\nBridge buffer rule: bridgeReserve >= peakBridgeOutflow x latency (deployed base)\n",
    );
    let mut b = new_table(&[
        "chain",
        "name",
        "bridge reserve USD",
        "peak outflow USD/epoch (p95)",
        "latency epochs",
        "required USD",
        "result",
    ]);
    let usd = |f: fn(&crate::app::validate::BridgeCheck) -> f64| {
        Notation::for_column(Kind::Usd, r.bridge_rule.iter().map(f))
    };
    let reserve = usd(|c| c.bridge_reserve_usd);
    let outflow = usd(|c| c.peak_bridge_outflow_usd);
    let required = usd(|c| c.required_usd);
    for c in &r.bridge_rule {
        b.add_row(vec![
            c.chain_id.to_string(),
            c.chain.clone(),
            reserve.value(c.bridge_reserve_usd),
            outflow.value(c.peak_bridge_outflow_usd),
            number::value(Kind::Plain, c.latency_epochs),
            required.value(c.required_usd),
            if c.pass { "pass" } else { "FAIL" }.to_string(),
        ]);
    }
    out.push_str(&b.to_string());
    out.push_str(&format!(
        "\n\nPolicy gates ({} paths per scenario)\n",
        r.paths
    ));
    let mut g = new_table(&[
        "scenario",
        "gate",
        "metric",
        "threshold",
        "value",
        "interval",
        "paths",
        "result",
        "to settle",
    ]);
    for s in &r.scenarios {
        for gate in &s.gates {
            g.add_row(vec![
                s.scenario.clone(),
                gate.name.clone(),
                gate.metric.clone(),
                super::gate_threshold(gate),
                number::value(Kind::of_metric(&gate.metric), gate.value),
                super::gate_interval(gate),
                gate.paths.to_string(),
                super::gate_result(gate),
                super::gate_paths_needed(gate),
            ]);
        }
    }
    out.push_str(&g.to_string());
    out.push_str("\n\nEvidence gates (no simulation can clear these)\n");
    let mut e = new_table(&["gate", "status", "evidence"]);
    for ev in &r.evidence_gates {
        e.add_row(vec![
            ev.name.clone(),
            ev.status.clone(),
            ev.evidence.clone().unwrap_or_default(),
        ]);
    }
    out.push_str(&e.to_string());
    let failed: Vec<String> =
        r.scenarios
            .iter()
            .flat_map(|s| {
                s.gates.iter().filter(|g| g.blocks()).map(move |g| {
                    match (g.verdict, g.paths_needed) {
                        (crate::gates::Verdict::Inconclusive, Some(n)) => format!(
                            "{}: {} inconclusive (about {n} paths would settle it)",
                            s.scenario, g.name
                        ),
                        (crate::gates::Verdict::Inconclusive, None) => {
                            format!("{}: {} inconclusive (on its threshold)", s.scenario, g.name)
                        }
                        _ => format!("{}: {}", s.scenario, g.name),
                    }
                })
            })
            .chain(
                r.bridge_rule
                    .iter()
                    .filter(|b| !b.pass)
                    .map(|b| format!("bridge rule: chain {}", b.chain_id)),
            )
            .collect();
    let external = r
        .evidence_gates
        .iter()
        .filter(|e| e.status == "external")
        .count();
    if failed.is_empty() {
        out.push_str(&format!(
            "\n\nResult: PASS. Every simulated gate and rule holds; {external} evidence gate(s) remain external, so the deployable posture stays simulation-only until they are signed.\n"
        ));
    } else {
        out.push_str(&format!(
            "\n\nResult: FAIL ({}): {}\n",
            failed.len(),
            failed.join(", ")
        ));
    }
    out
}
