//! The subcommands: each turns its arguments into a request, calls the orchestration
//! layer (`app`), renders the result and returns the exit status. `main` only maps errors
//! to statuses.

pub mod alert_rules;
pub mod completions;
pub mod diff;
pub mod list;
pub mod man;
pub mod merge;
mod progress;
pub mod report;
pub mod run;
pub mod schema;
pub mod validate;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::config::limits::read_text;
use crate::config::parse::parse_json;
use crate::error::{Error, InputError, Result};
use crate::report::table::set_color;

use progress::TerminalProgress;

/// Exit status of a command that did not fail with an error: 0, or 1 for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Findings => 1,
        }
    }
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> Result<Outcome> {
    set_color(cli.color);
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::List(args) => list::list(&args),
        Command::Validate(args) => validate::validate(&args),
        Command::Report(args) => report::report(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Diff(args) => diff::diff(&args),
        Command::AlertRules(args) => alert_rules::alert_rules(&args),
        Command::Schema(args) => schema::schema(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => man::man(&args),
    }
}

/// What a JSON file handed to `diff` or `merge` is, judged by its top-level keys, so a
/// file given to the wrong command gets a message saying what it is and what to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    /// A partial result of `run --shard K/N` (`kind: pmmsim-partial-run`).
    Shard,
    /// A scorecard of `run --format json` or `merge`.
    Scorecard,
    /// JSON whose top level is not an object.
    NotAnObject,
    /// Anything else, also text that is not JSON: the reader's own checks report it.
    Other,
}

/// The kind of the JSON `text`.
fn file_kind(text: &str) -> FileKind {
    let top = match parse_json::<serde_json::Value>(text, "") {
        Ok(serde_json::Value::Object(top)) => top,
        Ok(_) => return FileKind::NotAnObject,
        Err(_) => return FileKind::Other,
    };
    if top.get("kind").and_then(|k| k.as_str()) == Some("pmmsim-partial-run") {
        FileKind::Shard
    } else if top.contains_key("schema_version") && top.contains_key("routing") {
        FileKind::Scorecard
    } else {
        FileKind::Other
    }
}

/// Reads a scorecard or shard file (within the size limit) and refuses the wrong kind:
/// `expect` is what the command takes.
fn read_kind(path: &Path, expect: FileKind) -> Result<String> {
    let text = read_text(path)?;
    let file = path.display().to_string();
    match (expect, file_kind(&text)) {
        (FileKind::Scorecard, FileKind::Shard) => Err(Error::Input(
            InputError::new(
                file,
                "this is a shard (a partial result of `pmmsim run --shard K/N`), not a \
                 scorecard",
            )
            .hint("merge all the shards of the run with `pmmsim merge PART... -o run.json`, then diff that"),
        )),
        (FileKind::Shard, FileKind::Scorecard) => Err(Error::Input(
            InputError::new(
                file,
                "this is a scorecard, not a shard: merge combines the partial results of \
                 `pmmsim run SCENARIO --shard K/N`",
            )
            .hint("write the parts with `pmmsim run SCENARIO --shard K/N -o part-K.json`; a scorecard needs no merge"),
        )),
        (FileKind::Shard, FileKind::NotAnObject) => Err(Error::Input(
            InputError::new(
                file,
                "not a pmmsim shard: expected a JSON object at the top level",
            )
            .hint("write the parts with `pmmsim run SCENARIO --shard K/N -o part-K.json`"),
        )),
        _ => Ok(text),
    }
}
