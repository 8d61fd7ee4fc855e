//! `pmmsim schema [KIND]`: the JSON Schema (2020-12) of an input file (scenario, policy,
//! deployment status, treasury commitments) or of the scorecard, generated with schemars
//! from the serde types: the raw mirrors of `config::raw` for the inputs (strict: unknown
//! keys are refused, as pmmsim refuses them), `Scorecard` for the output.
//!
//! The committed copies are `docs/schemas/<kind>.schema.json` and
//! `docs/scorecard.schema.json`; the contract test (`tests/contract.rs`) fails when one is
//! stale, rewrites them with `UPDATE_SCHEMA=1`, and validates every shipped config
//! against its schema.

use schemars::JsonSchema;

use crate::cli::{SchemaArgs, SchemaKind};
use crate::config::raw::{RawCommitments, RawDeployment, RawPolicy, RawScenario};
use crate::error::{Error, Result};
use crate::report::output::emit;
use crate::scorecard::Scorecard;

use super::Outcome;

/// Every schema kind, inputs first.
pub const KINDS: [SchemaKind; 5] = [
    SchemaKind::Scenario,
    SchemaKind::Policy,
    SchemaKind::Deployment,
    SchemaKind::Commitments,
    SchemaKind::Scorecard,
];

/// The committed copy of a schema, relative to the repository root.
pub fn published_path(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Scenario => "docs/schemas/scenario.schema.json",
        SchemaKind::Policy => "docs/schemas/policy.schema.json",
        SchemaKind::Deployment => "docs/schemas/deployment.schema.json",
        SchemaKind::Commitments => "docs/schemas/commitments.schema.json",
        SchemaKind::Scorecard => "docs/scorecard.schema.json",
    }
}

/// The input file a schema describes (a glob for scenarios), relative to the repository
/// root; `None` for the scorecard.
pub fn config_files(kind: SchemaKind) -> Option<&'static str> {
    match kind {
        SchemaKind::Scenario => Some("config/scenarios/*.json"),
        SchemaKind::Policy => Some("config/capital-efficiency-policy.json"),
        SchemaKind::Deployment => Some("config/deployment-status.json"),
        SchemaKind::Commitments => Some("config/treasury-liquidity-commitments.json"),
        SchemaKind::Scorecard => None,
    }
}

/// `schema` with a title naming the file it describes, as JSON text.
fn text_of<T: JsonSchema>(kind: SchemaKind, title: Option<&str>) -> Result<String> {
    let mut schema = schemars::schema_for!(T);
    if let Some(title) = title {
        schema.insert("title".into(), title.into());
    }
    let mut text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Error::Internal(format!("cannot serialise the {kind:?} schema: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// The JSON Schema of `kind`: two-space indent, final newline.
pub fn schema_text(kind: SchemaKind) -> Result<String> {
    match kind {
        SchemaKind::Scenario => text_of::<RawScenario>(kind, Some("pmmsim scenario")),
        SchemaKind::Policy => text_of::<RawPolicy>(kind, Some("pmmsim policy")),
        SchemaKind::Deployment => text_of::<RawDeployment>(kind, Some("pmmsim deployment status")),
        SchemaKind::Commitments => {
            text_of::<RawCommitments>(kind, Some("pmmsim treasury liquidity commitments"))
        }
        // The scorecard's schema keeps the title schemars gives it (its committed copy
        // predates the input schemas).
        SchemaKind::Scorecard => text_of::<Scorecard>(kind, None),
    }
}

/// The scorecard's JSON Schema.
pub fn scorecard_schema() -> Result<String> {
    schema_text(SchemaKind::Scorecard)
}

/// `pmmsim schema`.
pub fn schema(args: &SchemaArgs) -> Result<Outcome> {
    emit(&schema_text(args.kind)?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
