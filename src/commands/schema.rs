//! `pmmsim schema`: the JSON Schema (2020-12) of the scorecard, generated from the serde
//! types with schemars. The committed copy is `docs/scorecard.schema.json`; the contract
//! test (`tests/contract.rs`) fails when it is stale and rewrites it with
//! `UPDATE_SCHEMA=1`.

use crate::cli::SchemaArgs;
use crate::error::{Error, Result};
use crate::report::output::emit;
use crate::scorecard::Scorecard;

use super::Outcome;

/// The scorecard's JSON Schema: two-space indent, final newline.
pub fn scorecard_schema() -> Result<String> {
    let schema = schemars::schema_for!(Scorecard);
    let mut text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Error::Internal(format!("cannot serialise the scorecard schema: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// `pmmsim schema`.
pub fn schema(args: &SchemaArgs) -> Result<Outcome> {
    emit(&scorecard_schema()?, args.output.as_deref())?;
    Ok(Outcome::Success)
}
