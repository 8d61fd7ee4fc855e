//! `pmmsim list`: the scenarios pmmsim knows, one line each under a header, or as JSON
//! (`--format json`: name, kind, file and description of each).

use serde::Serialize;

use crate::cli::ListArgs;
use crate::config::ConfigSource;
use crate::config::parse::parse_json;
use crate::config::raw::RawScenario;
use crate::error::{Error, Result};
use crate::report::DataFormat;
use crate::report::output::emit;

use super::Outcome;

/// One scenario as `list` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub name: String,
    /// `capital` (the scenario has capital assumptions) or `routing` (routing only).
    pub kind: &'static str,
    /// Where it was read from: a file under `--config-dir` or `<embedded>/config/...`.
    pub file: String,
    pub description: String,
}

/// `list --format json`.
#[derive(Debug, Clone, Serialize)]
struct Listing<'a> {
    scenarios: &'a [Entry],
}

/// Every scenario of `source`, sorted by name.
pub fn entries(source: &ConfigSource) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for name in source.scenario_names() {
        let file = source.scenario_text(&name)?;
        let raw: RawScenario = parse_json(&file.text, &file.display)?;
        let kind = if raw.capital_efficiency.is_some() {
            "capital"
        } else {
            "routing"
        };
        out.push(Entry {
            name,
            kind,
            file: file.display,
            description: raw.description,
        });
    }
    Ok(out)
}

/// Aligned columns under a header; the description runs to the end of the line.
fn table(entries: &[Entry]) -> String {
    let width = entries
        .iter()
        .map(|e| e.name.len())
        .chain(std::iter::once("SCENARIO".len()))
        .max()
        .unwrap_or_default();
    let mut text = format!("{:<width$}  {:<7}  DESCRIPTION\n", "SCENARIO", "KIND");
    for e in entries {
        text.push_str(&format!(
            "{:<width$}  {:<7}  {}\n",
            e.name, e.kind, e.description
        ));
    }
    text
}

fn json(entries: &[Entry]) -> Result<String> {
    let mut text = serde_json::to_string_pretty(&Listing { scenarios: entries })
        .map_err(|e| Error::Internal(format!("cannot serialise the scenario list: {e}")))?;
    text.push('\n');
    Ok(text)
}

pub fn list(args: &ListArgs) -> Result<Outcome> {
    let source = ConfigSource::new(args.config_dir.clone())?;
    let entries = entries(&source)?;
    let text = match args.format {
        DataFormat::Table => table(&entries),
        DataFormat::Json => json(&entries)?,
    };
    emit(&text, None)?;
    Ok(Outcome::Success)
}
