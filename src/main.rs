//! The `pmmsim` binary: parse arguments, run the library, map errors to exit statuses.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pmmsim::cli::Cli::parse();
    let r = pmmsim::commands::dispatch(cli);
    eprintln!("CNT quotes hops trades arbs epochs arbcap bot exec {:?}", pmmsim::model::routing::CNT);
    match r {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => {
            eprintln!("pmmsim: error: {err:#}");
            ExitCode::from(err.exit_code())
        }
    }
}
