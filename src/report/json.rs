//! The JSON scorecard: struct field order, two-space indent, final newline.

use super::Renderer;
use crate::error::{Error, Result};
use crate::scorecard::Scorecard;

/// Renders the full scorecard as JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, card: &Scorecard) -> Result<Vec<u8>> {
        pretty_json(card, "the scorecard")
    }
}

/// `value` as pretty JSON with a final newline; a value that cannot be serialised is a
/// failure of pmmsim (`Error::Internal`), named by `what`.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T, what: &str) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::Internal(format!("cannot serialise {what}: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_value_that_cannot_be_serialised_is_an_internal_error() {
        let map: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
        let err = pretty_json(&map, "the map").expect_err("tuple keys are not JSON");
        assert!(matches!(err, Error::Internal(_)), "{err}");
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn json_ends_in_a_newline() {
        assert_eq!(
            pretty_json(&[1], "a list").expect("serialises"),
            b"[\n  1\n]\n"
        );
    }
}
