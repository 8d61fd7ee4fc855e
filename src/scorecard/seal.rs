//! What makes a scorecard self-describing: the inputs it was run from (scenario, policy
//! and deployment as resolved, the treasury commitments when the runbook deploys from
//! them, the command-line overrides and run options), and a content digest, SHA-256 of the canonical JSON of the
//! scorecard without `run_info` and without the digest itself. `diff` and `run --from`
//! refuse a scorecard whose digest or inputs hash does not match what it holds.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Scorecard;
use crate::config::{Overrides, ResolvedInputs, canonical_hash};
use crate::error::{Error, InputError, Result};

/// The inputs a scorecard was run from: enough to run it again (`pmmsim run --from`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmbeddedInputs {
    /// The scenario (command-line overrides applied, defaults filled in), the policy, the
    /// deployment status and, when a runbook action deploys treasury liquidity, the
    /// commitments: what `inputs.inputs_hash` covers.
    #[serde(flatten)]
    pub resolved: ResolvedInputs,
    /// The command-line overrides, already applied to `scenario`.
    pub overrides: RecordedOverrides,
    /// How the run was made.
    pub options: RunOptions,
}

/// `--paths`, `--epochs`, `--seed`, `--volume-scale` as given (`null`: not given).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedOverrides {
    pub paths: Option<u64>,
    pub epochs: Option<u32>,
    pub seed: Option<u64>,
    pub volume_scale: Option<f64>,
}

impl From<Overrides> for RecordedOverrides {
    fn from(o: Overrides) -> Self {
        Self {
            paths: o.paths,
            epochs: o.epochs,
            seed: o.seed,
            volume_scale: o.volume_scale,
        }
    }
}

/// The run options a scorecard reflects: the optimizer sweep, importance sampling and
/// a sized run's path plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunOptions {
    /// `--optimizer` (or the scenario's `optimizer.enabled`): the sweep ran.
    pub optimizer: bool,
    /// `--rare-events`: the tail drivers were importance-sampled.
    pub rare_events: bool,
    /// `--precision`: the sized run's first look and path budget.
    pub precision: Option<Precision>,
    /// `--advise`: the runbook procedures answering failed gates were simulated
    /// (written only when true).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advise: bool,
}

/// A sized run's plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Precision {
    pub initial_paths: u64,
    pub max_paths: u64,
}

impl RunOptions {
    /// The options `card` shows it was run with.
    pub fn of(card: &Scorecard) -> Self {
        Self {
            optimizer: card.optimizer.is_some(),
            rare_events: card.rare_events.is_some(),
            precision: card.sizing.as_ref().map(|s| Precision {
                initial_paths: s.looks.first().map_or(0, |l| l.paths),
                max_paths: s.max_paths,
            }),
            advise: card.advice.is_some(),
        }
    }
}

impl EmbeddedInputs {
    /// `resolved` with nothing known yet of overrides or options.
    pub fn new(resolved: ResolvedInputs) -> Self {
        Self {
            resolved,
            overrides: RecordedOverrides::default(),
            options: RunOptions::default(),
        }
    }
}

/// The content digest of a scorecard's JSON: SHA-256 (hex) of its canonical form without
/// `run_info` and `digest`.
pub fn content_digest(card: &Value) -> String {
    let mut content = card.clone();
    if let Some(obj) = content.as_object_mut() {
        obj.remove("run_info");
        obj.remove("digest");
    }
    canonical_hash(&content)
}

impl Scorecard {
    /// Records the run options the scorecard shows and sets its content digest; call it
    /// last, before writing the scorecard out.
    pub fn seal(&mut self) -> Result<()> {
        self.resolved_inputs.options = RunOptions::of(self);
        let value = serde_json::to_value(&*self)
            .map_err(|e| Error::Internal(format!("cannot serialise the scorecard: {e}")))?;
        self.digest = content_digest(&value);
        Ok(())
    }
}

/// Checks a scorecard read from `file` (`value` is its JSON as read): its content digest,
/// and its embedded inputs against `inputs.inputs_hash`. Either mismatch means the file
/// was edited after pmmsim wrote it.
pub fn verify(value: &Value, card: &Scorecard, file: &str) -> Result<()> {
    let digest = content_digest(value);
    if digest != card.digest {
        return Err(InputError::new(
            file,
            format!(
                "the scorecard was edited after pmmsim wrote it: its content digest is {digest}, \
                 not the {} it records",
                if card.digest.is_empty() {
                    "(empty)"
                } else {
                    &card.digest
                }
            ),
        )
        .at("digest")
        .hint("rerun it (`pmmsim run --from` needs an unedited scorecard: rerun the scenario)")
        .into());
    }
    let hash = card.resolved_inputs.resolved.hash();
    if hash != card.inputs.inputs_hash {
        return Err(InputError::new(
            file,
            format!(
                "the embedded inputs were edited: they hash to {hash}, not to inputs_hash {}",
                card.inputs.inputs_hash
            ),
        )
        .at("resolved_inputs")
        .into());
    }
    if card.resolved_inputs.options != RunOptions::of(card) {
        return Err(InputError::new(
            file,
            "the scorecard contradicts itself: its run options do not match its optimizer, \
             rare_events and sizing blocks",
        )
        .at("resolved_inputs.options")
        .into());
    }
    Ok(())
}
