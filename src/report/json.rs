//! The JSON scorecard: struct field order, two-space indent, final newline.

use crate::scorecard::Scorecard;

/// Pretty JSON with a final newline.
pub fn render(card: &Scorecard) -> String {
    let mut text =
        serde_json::to_string_pretty(card).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
