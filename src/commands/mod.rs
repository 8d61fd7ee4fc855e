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
pub mod run;
pub mod schema;
pub mod validate;

use crate::cli::{Cli, Command};
use crate::error::Result;

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
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::List(args) => list::list(&args),
        Command::Validate(args) => validate::validate(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Diff(args) => diff::diff(&args),
        Command::AlertRules(args) => alert_rules::alert_rules(&args),
        Command::Schema(args) => schema::schema(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => man::man(&args),
    }
}
