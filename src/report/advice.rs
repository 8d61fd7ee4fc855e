//! The runbook lines of a report: the operator procedure that answers each failed gate
//! and, after `run --advise`, what the posture after it gave on the same paths.

use super::verdict_word;
use crate::gates::{Procedure, Verdict};
use crate::scorecard::Scorecard;
use crate::scorecard::advice::ProcedureAdvice;

/// One line per failed gate (its procedures), or per procedure of the advice when the
/// run was advised; empty when every gate passes and the run was not advised.
pub fn lines(card: &Scorecard) -> Vec<String> {
    if let Some(advice) = &card.advice {
        if advice.is_empty() {
            return vec!["no gate failed: nothing to advise".into()];
        }
        return advice.iter().map(describe).collect();
    }
    let leverage = card.capital.as_ref().map(|c| c.leverage);
    let mut out: Vec<String> = card
        .gates
        .iter()
        .filter(|g| g.verdict == Verdict::Fail)
        .filter_map(|g| {
            let procedures = Procedure::answering(&g.name, leverage);
            let first = procedures.first()?;
            let titles: Vec<&str> = procedures.iter().map(|p| p.title()).collect();
            Some(format!(
                "{} failed: {} ({})",
                g.name,
                titles.join(", then "),
                first.action()
            ))
        })
        .collect();
    if !out.is_empty() {
        out.push(
            "`pmmsim run <scenario> --advise` simulates each procedure on the same paths".into(),
        );
    }
    out
}

/// One procedure's advice in a line.
fn describe(a: &ProcedureAdvice) -> String {
    let head = format!("{} (answers {})", a.procedure.title(), a.answers.join(", "));
    let Some(change) = &a.change else {
        return format!(
            "{head}: not simulated: {}",
            a.not_simulated.as_deref().unwrap_or("no posture to change")
        );
    };
    let moved: Vec<String> = a
        .gates_after
        .iter()
        .filter(|g| g.verdict_before != g.verdict_after || a.answers.contains(&g.gate))
        .map(|g| {
            format!(
                "{} {} -> {}",
                g.gate,
                verdict_word(g.verdict_before),
                verdict_word(g.verdict_after)
            )
        })
        .collect();
    let failing: Vec<String> = a
        .gates_after
        .iter()
        .filter(|g| g.verdict_after != Verdict::Pass)
        .map(|g| format!("{} ({})", g.gate, verdict_word(g.verdict_after)))
        .collect();
    let then = if failing.is_empty() {
        "every gate then passes".to_string()
    } else {
        format!("then not passing: {}", failing.join(", "))
    };
    format!("{head}: {change}; {}; {then}", moved.join(", "))
}
