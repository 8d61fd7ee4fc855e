//! `pmmsim alert-rules`: writes the Prometheus alerting rules for the policy in use.

use crate::app::alerts::RuleSettings;
use crate::cli::AlertRulesArgs;
use crate::config::{ConfigSource, POLICY_FILE};
use crate::error::Result;
use crate::report::alert_rules::rules_yaml;
use crate::report::output::emit;

use super::Outcome;

/// The display name of the policy in use.
fn policy_name(source: &ConfigSource, args: &AlertRulesArgs) -> Result<String> {
    Ok(match &args.policy {
        Some(path) => path.display().to_string(),
        None => source.read(POLICY_FILE)?.display,
    })
}

/// `pmmsim alert-rules`.
pub fn alert_rules(args: &AlertRulesArgs) -> Result<Outcome> {
    let source = ConfigSource::new(args.config_dir.clone())?;
    let policy = source.policy(args.policy.as_deref())?;
    let settings = RuleSettings {
        max_age: args.max_age.clone(),
        runbook: args.runbook_url.clone(),
    };
    let text = rules_yaml(&policy, &policy_name(&source, args)?, &settings);
    emit(&text, args.output.as_deref())?;
    Ok(Outcome::Success)
}
