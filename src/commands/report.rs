//! `pmmsim report SCORECARD.json`: renders a saved scorecard in any output format without
//! simulating, and the `--export-*` files that `run` and `report` write beside their main
//! output (one render per format, each file written atomically).

use std::path::PathBuf;

use crate::cli::ReportArgs;
use crate::error::Result;
use crate::report::output::{emit, format_for};
use crate::report::{self, Format};
use crate::scorecard::Scorecard;

use super::Outcome;

/// `pmmsim report`.
pub fn report(args: &ReportArgs) -> Result<Outcome> {
    let format = format_for(args.format, args.output.as_deref())?;
    // A shard, a file over the size limit or of another kind is refused first, then the
    // scorecard is read with diff's checks (layout version, self-consistent verdicts).
    super::read_kind(&args.scorecard, super::FileKind::Scorecard)?;
    let loaded = crate::diff::load(&args.scorecard)?;
    write_exports(&loaded.card, &args.export.exports())?;
    emit(
        report::render(&loaded.card, format)?,
        args.output.as_deref(),
    )?;
    Ok(Outcome::Success)
}

/// Writes `card` in each (format, file) of `exports`.
pub fn write_exports(card: &Scorecard, exports: &[(Format, PathBuf)]) -> Result<()> {
    for (format, path) in exports {
        emit(report::render(card, *format)?, Some(path))?;
    }
    Ok(())
}
