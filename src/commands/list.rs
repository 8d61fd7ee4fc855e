//! `pmmsim list`: the scenarios pmmsim knows, with one line each.

use crate::cli::ListArgs;
use crate::config::ConfigSource;
use crate::config::parse::parse_json;
use crate::config::raw::RawScenario;
use crate::error::Result;
use crate::report::output::emit;

use super::Outcome;

pub fn list(args: &ListArgs) -> Result<Outcome> {
    let source = ConfigSource::new(args.config_dir.clone())?;
    let mut text = String::new();
    for name in source.scenario_names() {
        let file = source.scenario_text(&name)?;
        let raw: RawScenario = parse_json(&file.text, &file.display)?;
        let kind = if raw.capital_efficiency.is_some() {
            "capital"
        } else {
            "routing"
        };
        text.push_str(&format!("{name:<40} {kind:<8} {}\n", raw.description));
    }
    emit(&text, None)?;
    Ok(Outcome::Success)
}
