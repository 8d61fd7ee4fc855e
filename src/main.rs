//! The `pmmsim` binary: parse arguments, run the library, map errors to exit statuses.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pmmsim::cli::Cli::parse();
    match pmmsim::commands::dispatch(cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => {
            eprintln!("pmmsim: error: {err:#}");
            ExitCode::from(err.exit_code())
        }
    }
}
