//! `pmmsim diff BASE.json NEW.json`: loads two scorecard files, compares them with
//! `crate::diff`, prints the comparison (`crate::report::diff`) as tables or JSON, and
//! returns 1 when something reaches `--fail-on` (0 otherwise; 2 for an unreadable or
//! foreign file).

use crate::cli::{DiffArgs, FailOn};
use crate::diff::{self, Level};
use crate::error::Result;
use crate::report::{self, output::emit};

use super::Outcome;

/// `pmmsim diff`.
pub fn diff(args: &DiffArgs) -> Result<Outcome> {
    // A shard, or a file that is too large, is refused before the comparison reads it.
    super::read_kind(&args.base, super::FileKind::Scorecard)?;
    super::read_kind(&args.new, super::FileKind::Scorecard)?;
    let (base, new) = diff::load_pair(&args.base, &args.new)?;
    let report = diff::compare(&base, &new)?;
    emit(report::diff::render(&report, args.format)?, None)?;
    Ok(outcome(report.summary.worst, args.fail_on))
}

/// 1 (findings) when `worst` reaches `fail_on`.
pub fn outcome(worst: Level, fail_on: FailOn) -> Outcome {
    let limit = match fail_on {
        FailOn::Critical => Level::Critical,
        FailOn::Warning => Level::Warning,
        FailOn::Never => return Outcome::Success,
    };
    if worst >= limit {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}
