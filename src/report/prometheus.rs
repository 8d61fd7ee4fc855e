//! The scorecard in the Prometheus text exposition format (0.0.4), for node_exporter's
//! textfile collector: one `pmmsim_` prefix, `# HELP` and `# TYPE` per family, `_ratio`
//! for shares, `_total` for counts (declared counters; each run starts afresh, which
//! Prometheus reads as a counter reset), `_stderr` for a Monte Carlo standard error,
//! quantiles as separate names (`pmmsim_roi_p05_ratio`, never a `quantile` label), a
//! `scenario` label on every sample, no timestamps, finite values only, a final newline.
//!
//! Pure rendering: it reads the scorecard and never runs the engine. What is exported,
//! under which name and with which `# HELP`, is the metric catalog's
//! (`crate::scorecard::catalog`); this file holds the naming rules and the format. The
//! names are a contract with `pmmsim alert-rules` (see `names`) and
//! `docs/diff-and-dashboard.md`.

use std::fmt::Write as _;

use super::Renderer;
use crate::error::Result;
use crate::scorecard::Scorecard;
use crate::scorecard::catalog::{Alongside, Catalog, Export, ExportKind, Metric, Uncertainty};

/// Metric names the generated alerting rules read (kept in the catalog, below `app`).
pub use crate::scorecard::catalog::prometheus_names as names;

/// One metric family being built: its samples in the order they were added.
struct Family {
    name: String,
    help: String,
    kind: ExportKind,
    samples: Vec<(Vec<(String, String)>, f64)>,
}

/// The families of one scorecard, each sample labelled with the scenario.
struct Exposition {
    scenario: String,
    families: Vec<Family>,
}

impl Exposition {
    fn new(scenario: &str) -> Self {
        Self {
            scenario: scenario.to_string(),
            families: Vec::new(),
        }
    }

    /// Adds a sample with extra labels (after `scenario`) to family `name`.
    fn sample(
        &mut self,
        name: &str,
        help: &str,
        kind: ExportKind,
        labels: &[(&str, String)],
        v: f64,
    ) {
        let mut all = vec![("scenario".to_string(), self.scenario.clone())];
        all.extend(labels.iter().map(|(k, v)| (k.to_string(), v.clone())));
        if let Some(f) = self.families.iter_mut().find(|f| f.name == name) {
            f.samples.push((all, v));
            return;
        }
        self.families.push(Family {
            name: name.to_string(),
            help: help.to_string(),
            kind,
            samples: vec![(all, v)],
        });
    }

    fn gauge(&mut self, name: &str, help: &str, labels: &[(&str, String)], v: f64) {
        self.sample(name, help, ExportKind::Gauge, labels, v);
    }

    /// Adds a catalog metric: its family, then what its export puts beside it.
    fn metric(&mut self, m: &Metric, export: &Export) {
        let labels = &m.labels;
        let (stem, unit) = (export.stem, export.unit.suffix());
        let name = match export.kind {
            ExportKind::Gauge => format!("pmmsim_{stem}{unit}"),
            ExportKind::Counter => format!("pmmsim_{stem}_total"),
        };
        self.sample(&name, m.help, export.kind, labels, m.value.as_f64());
        match (export.alongside, m.uncertainty) {
            (Alongside::Uncertainty, Uncertainty::StdErr(se)) => {
                self.stderr(&format!("pmmsim_{stem}_stderr{unit}"), &name, labels, se);
            }
            (Alongside::Uncertainty, Uncertainty::Ci95(ci) | Uncertainty::Wilson95(ci)) => {
                let end = |which| format!("{which} end of the 95% confidence interval of {name}.");
                let lower = format!("pmmsim_{stem}_ci95_lower{unit}");
                let upper = format!("pmmsim_{stem}_ci95_upper{unit}");
                self.gauge(&lower, &end("Lower"), labels, ci.lo);
                self.gauge(&upper, &end("Upper"), labels, ci.hi);
            }
            (Alongside::PerPath(help), Uncertainty::PerPath { mean, se }) => {
                let per_path = format!("pmmsim_{stem}_per_path");
                self.gauge(&per_path, help, labels, mean);
                self.stderr(&format!("{per_path}_stderr"), &per_path, labels, se);
            }
            _ => {}
        }
    }

    /// `name`: the Monte Carlo standard error of family `of`.
    fn stderr(&mut self, name: &str, of: &str, labels: &[(&str, String)], se: f64) {
        let help = format!("Monte Carlo standard error of {of}.");
        self.gauge(name, &help, labels, se);
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.families {
            let finite: Vec<_> = f.samples.iter().filter(|(_, v)| v.is_finite()).collect();
            if finite.is_empty() {
                continue;
            }
            let kind = match f.kind {
                ExportKind::Gauge => "gauge",
                ExportKind::Counter => "counter",
            };
            let _ = writeln!(out, "# HELP {} {}", f.name, escape_help(&f.help));
            let _ = writeln!(out, "# TYPE {} {kind}", f.name);
            for (labels, v) in finite {
                let _ = writeln!(out, "{}{} {}", f.name, label_set(labels), value(*v));
            }
        }
        out
    }
}

/// Escapes `\` and newlines in HELP text.
fn escape_help(s: &str) -> String {
    s.replace('\\', r"\\").replace('\n', r"\n")
}

/// `{a="x",b="y"}` with `\`, `"` and newlines escaped.
fn label_set(labels: &[(String, String)]) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace('\\', r"\\")
                .replace('"', "\\\"")
                .replace('\n', r"\n");
            format!("{k}=\"{v}\"")
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Shortest round-trip decimal; scientific notation for very large or small magnitudes.
fn value(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if (1e-6..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Renders the scorecard as a Prometheus textfile-collector file: every metric of the
/// catalog that has an export, in catalog order.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrometheusRenderer;

impl Renderer for PrometheusRenderer {
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>> {
        let mut e = Exposition::new(&card.scenario);
        for m in Catalog::of(card).metrics() {
            if let Some(export) = &m.export {
                e.metric(m, export);
            }
        }
        Ok(e.render().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let labels = vec![("scenario".to_string(), "a\"b\\c\nd".to_string())];
        assert_eq!(label_set(&labels), r#"{scenario="a\"b\\c\nd"}"#);
    }

    #[test]
    fn values_are_plain_or_scientific() {
        assert_eq!(value(0.0), "0");
        assert_eq!(value(0.25), "0.25");
        assert_eq!(value(250_000_000.0), "250000000");
        assert_eq!(value(1.5e-9), "1.5e-9");
    }

    #[test]
    fn non_finite_samples_are_dropped_with_their_family() {
        let mut e = Exposition::new("s");
        e.gauge("pmmsim_a_ratio", "A.", &[], f64::NAN);
        e.gauge("pmmsim_b_ratio", "B.", &[], 0.5);
        assert_eq!(
            e.render(),
            "# HELP pmmsim_b_ratio B.\n# TYPE pmmsim_b_ratio gauge\npmmsim_b_ratio{scenario=\"s\"} 0.5\n"
        );
    }

    #[test]
    fn the_names_alert_rules_read_are_exported() {
        let card = crate::scorecard::catalog::tests::sample_card();
        let bytes = PrometheusRenderer.render(&card).expect("renders");
        let text = String::from_utf8(bytes).expect("UTF-8");
        for name in [
            names::MAX_DRAWDOWN_P95,
            names::LIQUIDATION_PROBABILITY,
            names::PEG_DEVIATION_FREQUENCY,
            names::FLOOR_BREACH_PROBABILITY,
            names::ROI_P05,
            names::GATE_PASS,
            names::CHURN_MEAN,
            names::CHURN_MEAN_STDERR,
            names::POST_BOT_PEAK_DEVIATION_P95,
            names::CAPTURE_MEAN,
            names::THROTTLE_EVENTS_PER_PATH,
            names::THROTTLE_EVENTS_PER_PATH_STDERR,
            names::SPREAD_EVENTS_PER_PATH,
            names::SPREAD_EVENTS_PER_PATH_STDERR,
            names::COST_PER_1M,
            names::COST_PER_1M_STDERR,
        ] {
            assert!(text.contains(&format!("\n# TYPE {name} ")), "{name}");
        }
    }
}
