//! `pmmsim validate`: the CI gate. Exit 0 all pass, 1 a gate or rule failed or a critical
//! gate is inconclusive, 2 a config cannot be read or is invalid.

use crate::app::sized::{DEFAULT_INITIAL_PATHS, SizePlan};
use crate::app::validate::{ValidatePaths, ValidateRequest, validate as run_validation};
use crate::cli::{PathCount, ValidateArgs};
use crate::error::Result;
use crate::report::output::emit;
use crate::report::validate as render;

use super::{Outcome, TerminalProgress};

/// `pmmsim validate`.
pub fn validate(args: &ValidateArgs) -> Result<Outcome> {
    let request = ValidateRequest {
        config_dir: args.config_dir.clone(),
        policy: args.policy.clone(),
        paths: match args.paths {
            PathCount::Fixed(n) => ValidatePaths::Fixed(n),
            PathCount::Auto => {
                ValidatePaths::Sized(SizePlan::new(DEFAULT_INITIAL_PATHS, args.max_paths)?)
            }
        },
        threads: args.threads,
    };
    let report = run_validation(&request, &TerminalProgress::new(args.quiet))?;
    emit(render::render(&report, args.format)?, None)?;
    Ok(if report.pass {
        Outcome::Success
    } else {
        Outcome::Findings
    })
}
