//! The HTML report's structure, checked without a browser: one self-contained page
//! (the CSP meta tag, no script, no URL), every chart section present with an id, a title
//! and axis labels, drawn with marks where the run has the data and a note saying why
//! where it does not. `tests/browser/render_reports.sh` renders the same pages in
//! headless Chromium in CI.

mod common;

use common::pmmsim;
use pmmsim::report::html::CHART_IDS;

fn report(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.html");
    pmmsim()
        .args(args)
        .args(["--quiet", "-o"])
        .arg(&path)
        .assert()
        .success();
    std::fs::read_to_string(&path).expect("report written")
}

/// The text of chart section `id`, up to its closing tag.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<section class=\"chart-section\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("section {id} missing"));
    let len = page[start..].find("</section>").expect("closed");
    &page[start..start + len]
}

fn drawn(s: &str) -> bool {
    let marks = s.split("<g class=\"marks\">").nth(1).unwrap_or("");
    s.contains("<svg")
        && ["<path", "<rect", "<circle", "<polyline"]
            .iter()
            .any(|m| marks.contains(m))
}

#[test]
fn an_optimizer_run_draws_every_chart_it_has_data_for() {
    let page = report(&[
        "run",
        "leverage_sweep_1x_to_4x",
        "--paths",
        "64",
        "--epochs",
        "12",
    ]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    ));
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("src="));
    for id in CHART_IDS {
        let s = section(&page, id);
        assert!(
            s.contains(&format!("<h2 id=\"{id}-title\">")),
            "{id}: title"
        );
        if id == "chart-liquidation-external-share" {
            // The shipped sweep holds the external share fixed.
            assert!(s.contains("class=\"na\"") && !drawn(s), "{id}: says why");
            continue;
        }
        assert!(drawn(s), "{id}: drawn with marks");
        assert_eq!(
            s.matches("class=\"label\"").count(),
            2,
            "{id}: two axis labels"
        );
        assert!(s.contains("class=\"title\""), "{id}: chart title");
    }
    assert!(section(&page, "chart-frontier").contains("deployable cap 1.5x"));
    assert!(
        page.contains("<section id=\"gates\">") && page.contains("<section id=\"worst-pools\">")
    );
    // The fan chart has a point per epoch and the start.
    let fan = section(&page, "chart-capital-fan");
    let median = fan
        .split("class=\"median\" points=\"")
        .nth(1)
        .expect("median");
    let points = median.split('"').next().expect("points").split(' ').count();
    assert_eq!(points, 13);
}

#[test]
fn a_routing_run_says_why_the_capital_charts_are_missing() {
    let page = report(&[
        "run",
        "hub_only_11",
        "--paths",
        "64",
        "--epochs",
        "5",
        "--format",
        "html",
    ]);
    for id in CHART_IDS {
        let s = section(&page, id);
        if id.starts_with("chart-pool-") {
            assert!(drawn(s), "{id}");
        } else {
            assert!(
                !drawn(s) && s.contains("<p class=\"na\">Not drawn: "),
                "{id}"
            );
        }
    }
}

#[test]
fn the_browser_check_knows_every_chart() {
    let checker = include_str!("browser/check_report.py");
    for id in CHART_IDS {
        assert!(
            checker.contains(&format!("\"{id}\"")),
            "{id} missing from check_report.py"
        );
    }
}
