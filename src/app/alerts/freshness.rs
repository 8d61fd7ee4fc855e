//! The freshness rules: the textfile collector keeps serving a file after the job that
//! writes it stops, so a scenario's metrics look current when they are not. One rule
//! fires when a scenario's scorecard is older than the maximum age (from the run's own
//! start time, `pmmsim_run_started_timestamp_seconds`, so it does not depend on how the
//! file is named), one when no pmmsim scorecard is served at all.

use super::{AlertRule, Check, MaxAge, SCENARIO};
use crate::scorecard::catalog::prometheus_names as names;

/// `for:` of the absence rule: a node_exporter restart or a few failed scrapes are not
/// an outage of the runs.
pub const ABSENT_HOLD: &str = "1h";

/// The freshness rules for scorecards older than `max_age`.
pub(super) fn freshness_rules(max_age: &MaxAge) -> Vec<AlertRule> {
    let stale = AlertRule {
        alert: "PmmsimScorecardStale",
        check: Check::Stale {
            metric: names::RUN_STARTED,
            max_age_seconds: max_age.seconds(),
        },
        // The age only grows until the next run: nothing to hold.
        hold: None,
        severity: "warning",
        summary: format!("{SCENARIO}: the served scorecard is older than {max_age}"),
        description: format!(
            "Scenario {SCENARIO}: the scorecard being served is from a run that started \
             {{{{ $value | humanizeDuration }}}} ago, more than {max_age}: the job that writes \
             it has stopped or fails, and every other pmmsim alert for it reads old data."
        ),
        dashboard: String::new(),
        runbook_steps: String::new(),
        runbook_url: String::new(),
    };
    let absent = AlertRule {
        alert: "PmmsimScorecardsAbsent",
        check: Check::Absent {
            metric: names::RUN_STARTED,
        },
        hold: Some(ABSENT_HOLD),
        severity: "warning",
        summary: "No pmmsim scorecard is being served".into(),
        description: format!(
            "No series of {} for {ABSENT_HOLD}: no pmmsim textfile is in node_exporter's \
             textfile directory, or it cannot be read; no pmmsim alert can fire.",
            names::RUN_STARTED
        ),
        dashboard: String::new(),
        runbook_steps: String::new(),
        runbook_url: String::new(),
    };
    vec![stale, absent]
}
