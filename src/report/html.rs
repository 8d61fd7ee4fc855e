//! The scorecard as one self-contained HTML page for a risk committee: inline SVG charts
//! (`svg.rs`), inline CSS, no scripts and no URLs, under a Content-Security-Policy of
//! `default-src 'none'; style-src 'unsafe-inline'`, so it opens offline and fetches
//! nothing. Every chart is a `<section class="chart-section">` with an `id`, a title and
//! axis labels; a chart that does not apply to the run says why in a `<p class="na">`.
//! Pure rendering: it draws what the scorecard holds and computes no statistic.

use std::fmt::Write as _;

use super::svg::{Chart, escape};
use super::{Renderer, gate_interval, gate_result};
use crate::error::Result;
use crate::scorecard::Scorecard;
use crate::scorecard::distributions::EpochQuantiles;
use crate::stats::Histogram;

/// The ids of every chart section, in page order (the browser test checks each).
pub const CHART_IDS: [&str; 10] = [
    "chart-capital-fan",
    "chart-drawdown-fan",
    "chart-roi-histogram",
    "chart-drawdown-histogram",
    "chart-liquidation-leverage",
    "chart-liquidation-external-share",
    "chart-frontier",
    "chart-pnl-attribution",
    "chart-pool-deviation",
    "chart-pool-churn",
];

/// Renders the scorecard as an HTML page, ending in a newline.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>> {
        Ok(render(card).into_bytes())
    }
}

/// How the page writes numbers for a person; the one place of this file that formats
/// a number.
mod fmt {
    /// A plain number with about four significant digits: `1,234.5`, `0.01234`.
    pub fn num(x: f64) -> String {
        if !x.is_finite() {
            return "n/a".into();
        }
        let a = x.abs();
        if a >= 1000.0 {
            return group(x.round());
        }
        let digits = if a == 0.0 {
            0
        } else {
            (3 - a.log10().floor() as i32).clamp(0, 8) as usize
        };
        let s = format!("{x:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }

    /// An integer with thousands separators.
    fn group(x: f64) -> String {
        let digits = format!("{:.0}", x.abs());
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if x < 0.0 { format!("-{out}") } else { out }
    }

    /// USD with an SI suffix: `$505.1M`, `$12.3k`, `-$4.2B`.
    pub fn usd(x: f64) -> String {
        if !x.is_finite() {
            return "n/a".into();
        }
        let a = x.abs();
        let sign = if x < 0.0 { "-" } else { "" };
        let (v, suffix) = match a {
            a if a >= 1e9 => (a / 1e9, "B"),
            a if a >= 1e6 => (a / 1e6, "M"),
            a if a >= 1e3 => (a / 1e3, "k"),
            a => (a, ""),
        };
        format!("{sign}${}{suffix}", num(v))
    }

    /// A share as a percentage: `5.48%`.
    pub fn pct(x: f64) -> String {
        if !x.is_finite() {
            return "n/a".into();
        }
        format!("{}%", num(x * 100.0))
    }
}

use fmt::{num, pct, usd};

const STYLE: &str = "body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}\
h1{font-size:22px}h2{font-size:16px;margin:0 0 6px}\
.grid-2{display:flex;flex-wrap:wrap;gap:16px}\
section{border:1px solid #ddd;border-radius:6px;padding:10px;margin:0 0 16px}\
.chart-section{width:664px;box-sizing:border-box}\
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}\
.pass{color:#1a7f37}.fail{color:#b42318;font-weight:bold}.inconclusive{color:#9a6700;font-weight:bold}\
.na{color:#666;font-style:italic}\
svg text{font-family:sans-serif;fill:#222}.title{font-size:14px;font-weight:bold}\
.tick{font-size:11px}.label{font-size:12px}.legend{font-size:11px;fill:#444}\
.axis{stroke:#444;stroke-width:1}.grid{stroke:#e5e5e5;stroke-width:1}\
.band-outer{fill:#9ecae1;opacity:.55}.band-inner{fill:#3182bd;opacity:.45}\
.median{fill:none;stroke:#08306b;stroke-width:2}\
.bar{fill:#6baed6}.bar-neg{fill:#fb6a4a}.bar-max{fill:#c6dbef}\
.whisker{stroke:#555;stroke-width:1.5}.pt{fill:#08519c}.pt-no{fill:#fff;stroke:#b42318;stroke-width:2}\
.pt-dim{fill:#bbb}.marker{stroke:#b42318;stroke-width:1.5;stroke-dasharray:5 4}";

fn render(card: &Scorecard) -> String {
    let mut out = String::new();
    let title = format!("pmmsim report: {}", card.scenario);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{}</p>\n",
        escape(&title),
        escape(&title),
        escape(&card.description)
    );
    run_summary(&mut out, card);
    gates(&mut out, card);
    out.push_str("<div class=\"grid-2\">\n");
    let sections: [(&str, &str, Drawn); 10] = [
        (
            CHART_IDS[0],
            "Capital over epochs (p5-p95 across paths)",
            fan_capital(card),
        ),
        (
            CHART_IDS[1],
            "Drawdown over epochs (p5-p95 across paths)",
            fan_drawdown(card),
        ),
        (CHART_IDS[2], "ROI distribution", roi_histogram(card)),
        (
            CHART_IDS[3],
            "Largest drawdown distribution",
            drawdown_histogram(card),
        ),
        (
            CHART_IDS[4],
            "Liquidation probability against leverage",
            liquidation_leverage(card),
        ),
        (
            CHART_IDS[5],
            "Liquidation probability against external collateral share",
            liquidation_external(card),
        ),
        (
            CHART_IDS[6],
            "Optimizer frontier and deployable cap",
            frontier(card),
        ),
        (CHART_IDS[7], "PnL attribution", attribution(card)),
        (
            CHART_IDS[8],
            "Peak deviation by pool (worst pools)",
            pool_deviation(card),
        ),
        (
            CHART_IDS[9],
            "Churn by pool (worst pools)",
            pool_churn(card),
        ),
    ];
    for (id, heading, body) in sections {
        let _ = write!(
            out,
            "<section class=\"chart-section\" id=\"{id}\">\n<h2 id=\"{id}-title\">{}</h2>\n",
            escape(heading)
        );
        match body {
            Ok(svg) => out.push_str(&svg),
            Err(why) => {
                let _ = write!(out, "<p class=\"na\">Not drawn: {}</p>", escape(&why));
            }
        }
        out.push_str("\n</section>\n");
    }
    out.push_str("</div>\n");
    worst_pools(&mut out, card);
    let _ = writeln!(
        out,
        "<p class=\"na\">pmmsim {}; seed {}, {} paths; inputs {}</p>\n</body>\n</html>",
        escape(&card.run_info.tool_version),
        card.inputs.seed,
        card.inputs.paths,
        escape(&card.inputs.inputs_hash)
    );
    out
}

fn run_summary(out: &mut String, card: &Scorecard) {
    let i = &card.inputs;
    let _ = write!(
        out,
        "<section id=\"run\"><h2>Run</h2><table>\
         <tr><th>paths</th><th>epochs</th><th>epoch days</th><th>seed</th><th>graph</th><th>pools</th><th>links</th><th>routes</th></tr>\
         <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td><td>{}</td><td>{}</td><td>{}</td></tr></table></section>",
        num(i.paths as f64),
        i.epochs,
        num(i.epoch_days),
        i.seed,
        escape(&i.graph_mode),
        escape(&i.topology),
        i.pool_count,
        i.link_count,
        i.route_count
    );
    out.push('\n');
}

fn gates(out: &mut String, card: &Scorecard) {
    out.push_str("<section id=\"gates\"><h2>Gates</h2>");
    if card.gates.is_empty() {
        out.push_str("<p class=\"na\">The policy sets no gate for this scenario.</p>");
    } else {
        out.push_str(
            "<table><tr><th>gate</th><th>metric</th><th>threshold</th><th>value</th>\
             <th>interval</th><th>verdict</th></tr>",
        );
        for g in &card.gates {
            let class = match g.verdict {
                crate::gates::Verdict::Pass => "pass",
                crate::gates::Verdict::Fail => "fail",
                crate::gates::Verdict::Inconclusive => "inconclusive",
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td></tr>",
                escape(&g.name),
                escape(&g.metric),
                escape(&super::gate_threshold(g)),
                escape(&super::number::value(
                    super::number::Kind::of_metric(&g.metric),
                    g.value
                )),
                escape(&gate_interval(g)),
                escape(&gate_result(g))
            );
        }
        out.push_str("</table>");
    }
    let runbook = super::advice::lines(card);
    if !runbook.is_empty() {
        out.push_str("<h3>Runbook</h3><ul id=\"runbook\">");
        for line in runbook {
            let _ = write!(out, "<li>{}</li>", escape(&line));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
}

fn worst_pools(out: &mut String, card: &Scorecard) {
    out.push_str("<section id=\"worst-pools\"><h2>Worst pools</h2>");
    let pools = &card.routing.worst_pools;
    if pools.is_empty() {
        out.push_str("<p class=\"na\">No pool in the graph.</p>");
    } else {
        out.push_str(
            "<table><tr><th>pool</th><th>chain</th><th>depth</th><th>peak deviation mean, bps</th>\
             <th>peak deviation max, bps</th><th>churn per epoch</th><th>fees per path</th>\
             <th>half-life, epochs</th></tr>",
        );
        for p in pools {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.pool),
                p.chain_id,
                usd(p.depth_usd),
                num(p.peak_deviation_bps_mean),
                num(p.peak_deviation_bps_max),
                pct(p.churn_per_epoch),
                usd(p.fees),
                p.half_life_epochs.map_or("n/a".into(), num)
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</section>\n");
}

type Drawn = std::result::Result<String, String>;

const NO_CAPITAL: &str = "the scenario has no capitalEfficiency block (routing only)";

/// The epoch axis with the start (epoch 0) in front of the series.
fn epoch_axis(n: usize) -> Vec<f64> {
    (0..=n).map(|e| e as f64).collect()
}

fn fan(
    id: &str,
    title: &str,
    y_label: &str,
    q: &EpochQuantiles,
    start: f64,
    fy: &dyn Fn(f64) -> String,
) -> String {
    let xs = epoch_axis(q.p50.len());
    let with_start = |v: &[f64]| {
        std::iter::once(start)
            .chain(v.iter().copied())
            .collect::<Vec<f64>>()
    };
    let [p05, p25, p50, p75, p95] = q.bands().map(with_start);
    let lo = p05.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = p95.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut c = Chart::new(
        id,
        title,
        ("epoch", y_label),
        (0.0, xs.len().saturating_sub(1) as f64),
        (lo, hi),
        (&|x| num(x), fy),
    );
    c.band(&xs, &p05, &p95, "band-outer");
    c.band(&xs, &p25, &p75, "band-inner");
    c.line(&xs, &p50, "median");
    c.legend(&["light: p5-p95, dark: p25-p75, line: median"]);
    c.finish()
}

fn series(
    card: &Scorecard,
) -> std::result::Result<&crate::scorecard::distributions::EpochSeries, String> {
    let d = card.distributions.as_ref().ok_or_else(|| {
        if card.capital.is_none() {
            NO_CAPITAL.to_string()
        } else {
            "the scorecard carries no distributions section (written by an older pmmsim)".into()
        }
    })?;
    d.epoch_series.as_ref().ok_or_else(|| {
        "an importance-sampled run (--rare-events) keeps no per-epoch quantiles: its paths \
         carry weights that the per-epoch sketches do not"
            .to_string()
    })
}

fn fan_capital(card: &Scorecard) -> Drawn {
    let s = series(card)?;
    let t0 = card.capital.as_ref().map_or(0.0, |c| c.initial_capital_usd);
    Ok(fan(
        CHART_IDS[0],
        "Treasury capital T across paths",
        "capital, USD",
        &s.capital_usd,
        t0,
        &|y| usd(y),
    ))
}

fn fan_drawdown(card: &Scorecard) -> Drawn {
    let s = series(card)?;
    Ok(fan(
        CHART_IDS[1],
        "Drawdown of the time-weighted return across paths",
        "drawdown",
        &s.drawdown,
        0.0,
        &|y| pct(y),
    ))
}

fn histogram_chart(id: &str, title: &str, x_label: &str, h: &Histogram) -> String {
    let lo = h.edges.first().copied().unwrap_or(0.0);
    let hi = h.edges.last().copied().unwrap_or(1.0);
    let top = h.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut c = Chart::new(
        id,
        title,
        (x_label, "paths"),
        (lo, hi),
        (0.0, top),
        (&|x| pct(x), &|y| num(y)),
    );
    for (j, count) in h.counts.iter().enumerate() {
        let (a, b) = (h.edges[j], h.edges[j + 1]);
        let tip = format!("{} to {}: {count} paths", pct(a), pct(b));
        c.bar((a, b), (0.0, *count as f64), "bar", &tip);
    }
    c.finish()
}

fn distributions(
    card: &Scorecard,
) -> std::result::Result<&crate::scorecard::distributions::Distributions, String> {
    card.distributions.as_ref().ok_or_else(|| {
        if card.capital.is_none() {
            NO_CAPITAL.to_string()
        } else {
            "the scorecard carries no distributions section (written by an older pmmsim)".into()
        }
    })
}

fn roi_histogram(card: &Scorecard) -> Drawn {
    let d = distributions(card)?;
    Ok(histogram_chart(
        CHART_IDS[2],
        "Time-weighted return over the horizon, per path",
        "ROI over the horizon",
        &d.roi_histogram,
    ))
}

fn drawdown_histogram(card: &Scorecard) -> Drawn {
    let d = distributions(card)?;
    Ok(histogram_chart(
        CHART_IDS[3],
        "Largest drawdown of each path",
        "largest drawdown",
        &d.max_drawdown_histogram,
    ))
}

const NO_OPTIMIZER: &str =
    "the optimizer did not run: the scenario has no candidate grid (optimizer block)";

fn liquidation_leverage(card: &Scorecard) -> Drawn {
    let o = card.optimizer.as_ref().ok_or(NO_OPTIMIZER)?;
    if o.frontier.is_empty() {
        return Err("the optimizer simulated no candidate".into());
    }
    let xs: Vec<f64> = o.candidates.iter().map(|c| c.leverage).collect();
    let (x_lo, x_hi) = range(&xs);
    let hi = o
        .candidates
        .iter()
        .map(|c| c.liquidation_probability_ci95.hi)
        .fold(0.0, f64::max);
    let mut c = Chart::new(
        CHART_IDS[4],
        "Liquidation probability by leverage (95% intervals)",
        ("leverage, x", "liquidation probability"),
        pad(x_lo, x_hi),
        (0.0, hi.max(1e-3)),
        (&|x| format!("{}x", num(x)), &|y| pct(y)),
    );
    for k in &o.candidates {
        c.point(
            k.leverage,
            k.liquidation_probability,
            (k.liquidation_probability, k.liquidation_probability),
            "pt-dim",
            &format!("candidate #{}: {}", k.rank, pct(k.liquidation_probability)),
        );
    }
    for f in &o.frontier {
        let ci = f.liquidation_probability_ci95;
        c.point(
            f.leverage,
            f.liquidation_probability,
            (ci.lo, ci.hi),
            "pt",
            &format!(
                "{}x (best candidate): {} [{}, {}]",
                num(f.leverage),
                pct(f.liquidation_probability),
                pct(ci.lo),
                pct(ci.hi)
            ),
        );
    }
    if let Some(cap) = o.deployable_cap {
        c.marker(cap, &format!("deployable cap {}x", num(cap)));
    }
    c.legend(&["blue: best candidate at each leverage, grey: every candidate"]);
    Ok(c.finish())
}

fn liquidation_external(card: &Scorecard) -> Drawn {
    let o = card.optimizer.as_ref().ok_or(NO_OPTIMIZER)?;
    let xs: Vec<f64> = o.candidates.iter().map(|c| c.external_share).collect();
    let (x_lo, x_hi) = range(&xs);
    if o.candidates.is_empty() || x_hi <= x_lo {
        return Err(format!(
            "every candidate holds the same external collateral share ({}): the grid does \
             not vary it",
            xs.first().map_or("n/a".into(), |x| pct(*x))
        ));
    }
    let hi = o
        .candidates
        .iter()
        .map(|c| c.liquidation_probability_ci95.hi)
        .fold(0.0, f64::max);
    let mut c = Chart::new(
        CHART_IDS[5],
        "Liquidation probability by external collateral share (95% intervals)",
        ("external collateral share", "liquidation probability"),
        pad(x_lo, x_hi),
        (0.0, hi.max(1e-3)),
        (&|x| pct(x), &|y| pct(y)),
    );
    for k in &o.candidates {
        let ci = k.liquidation_probability_ci95;
        c.point(
            k.external_share,
            k.liquidation_probability,
            (ci.lo, ci.hi),
            "pt",
            &format!(
                "candidate #{} at {}x: {}",
                k.rank,
                num(k.leverage),
                pct(k.liquidation_probability)
            ),
        );
    }
    Ok(c.finish())
}

fn frontier(card: &Scorecard) -> Drawn {
    let o = card.optimizer.as_ref().ok_or(NO_OPTIMIZER)?;
    if o.frontier.is_empty() {
        return Err("the optimizer simulated no candidate".into());
    }
    let xs: Vec<f64> = o.frontier.iter().map(|f| f.leverage).collect();
    let (x_lo, x_hi) = range(&xs);
    let lo = o
        .frontier
        .iter()
        .map(|f| f.score - 1.96 * f.score_se)
        .fold(f64::INFINITY, f64::min);
    let hi = o
        .frontier
        .iter()
        .map(|f| f.score + 1.96 * f.score_se)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut c = Chart::new(
        CHART_IDS[6],
        "Best score at each leverage (95% intervals)",
        ("leverage, x", "score (risk-adjusted ROI)"),
        pad(x_lo, x_hi),
        (lo, hi),
        (&|x| format!("{}x", num(x)), &|y| pct(y)),
    );
    let ys: Vec<f64> = o.frontier.iter().map(|f| f.score).collect();
    c.line(&xs, &ys, "median");
    for f in &o.frontier {
        let class = if f.deployable { "pt" } else { "pt-no" };
        c.point(
            f.leverage,
            f.score,
            (f.score - 1.96 * f.score_se, f.score + 1.96 * f.score_se),
            class,
            &format!(
                "{}x: score {} ± {}, {}",
                num(f.leverage),
                pct(f.score),
                pct(f.score_se),
                if f.deployable {
                    "deployable"
                } else {
                    "not deployable"
                }
            ),
        );
    }
    if let Some(cap) = o.deployable_cap {
        c.marker(cap, &format!("deployable cap {}x", num(cap)));
    }
    c.legend(&["filled: deployable, hollow red: not deployable"]);
    Ok(c.finish())
}

fn attribution(card: &Scorecard) -> Drawn {
    let cap = card.capital.as_ref().ok_or(NO_CAPITAL)?;
    let terms = &cap.pnl_attribution;
    if terms.is_empty() {
        return Err("the scorecard lists no attribution term".into());
    }
    let vals: Vec<f64> = terms.iter().map(|t| t.mean_usd).collect();
    let lo = vals.iter().copied().fold(0.0, f64::min);
    let hi = vals.iter().copied().fold(0.0, f64::max);
    let n = terms.len() as f64;
    let mut c = Chart::new(
        CHART_IDS[7],
        "Mean change of capital by term, per path",
        ("term (see legend order)", "USD per path"),
        (0.0, n),
        (lo, hi),
        (&|_| String::new(), &|y| usd(y)),
    );
    for (i, t) in terms.iter().enumerate() {
        let class = if t.mean_usd < 0.0 { "bar-neg" } else { "bar" };
        let tip = format!(
            "{}: {} ({})",
            t.term,
            usd(t.mean_usd),
            pct(t.roi_contribution)
        );
        c.bar(
            (i as f64 + 0.15, i as f64 + 0.85),
            (0.0, t.mean_usd),
            class,
            &tip,
        );
    }
    let names: Vec<String> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}. {} {}", i + 1, t.term, usd(t.mean_usd)))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    c.legend(&refs);
    Ok(c.finish())
}

fn pool_bars(
    card: &Scorecard,
    id: &str,
    title: &str,
    y_label: &str,
    value: &dyn Fn(&crate::scorecard::PoolDiagnostics) -> (f64, Option<f64>),
    fy: &dyn Fn(f64) -> String,
) -> Drawn {
    let pools = &card.routing.worst_pools;
    if pools.is_empty() {
        return Err("the graph has no pool of ours".into());
    }
    let hi = pools
        .iter()
        .map(|p| {
            let (v, m) = value(p);
            m.unwrap_or(v).max(v)
        })
        .fold(0.0, f64::max);
    let n = pools.len() as f64;
    let mut c = Chart::new(
        id,
        title,
        ("pool (see legend order)", y_label),
        (0.0, n),
        (0.0, hi.max(1e-9)),
        (&|_| String::new(), fy),
    );
    for (i, p) in pools.iter().enumerate() {
        let (v, max) = value(p);
        let x = i as f64;
        if let Some(m) = max {
            c.bar(
                (x + 0.1, x + 0.9),
                (0.0, m),
                "bar-max",
                &format!("{}: max {}", p.pool, fy(m)),
            );
        }
        c.bar(
            (x + 0.25, x + 0.75),
            (0.0, v),
            "bar",
            &format!("{} (chain {}): {}", p.pool, p.chain_id, fy(v)),
        );
    }
    let names: Vec<String> = pools
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}. {} (chain {})", i + 1, p.pool, p.chain_id))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    c.legend(&refs);
    Ok(c.finish())
}

fn pool_deviation(card: &Scorecard) -> Drawn {
    pool_bars(
        card,
        CHART_IDS[8],
        "Post-arbitrage peak deviation: mean over paths (dark), max (light)",
        "peak deviation, bps",
        &|p| (p.peak_deviation_bps_mean, Some(p.peak_deviation_bps_max)),
        &|y| num(y),
    )
}

fn pool_churn(card: &Scorecard) -> Drawn {
    pool_bars(
        card,
        CHART_IDS[9],
        "Inventory churn per epoch (|dI| / I*)",
        "churn per epoch",
        &|p| (p.churn_per_epoch, None),
        &|y| pct(y),
    )
}

fn range(xs: &[f64]) -> (f64, f64) {
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// Half a step of room either side of a range of grid values.
fn pad(lo: f64, hi: f64) -> (f64, f64) {
    let room = if hi > lo { (hi - lo) * 0.08 } else { 0.5 };
    (lo - room, hi + room)
}

#[cfg(test)]
mod tests {
    use super::fmt::{num, pct, usd};

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(usd(505_123_456.0), "$505.1M");
        assert_eq!(usd(-4_200.0), "-$4.2k");
        assert_eq!(num(1_234_567.0), "1,234,567");
        assert_eq!(num(0.012345), "0.01235");
        assert_eq!(pct(0.05483), "5.483%");
        assert_eq!(num(f64::NAN), "n/a");
        assert_eq!(num(0.0), "0");
    }
}
