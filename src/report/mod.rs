//! Renderers: turn a `Scorecard` into text, one file per format. They never run the
//! engine and never compute a statistic that is not in the scorecard.

pub mod alert_rules;
pub mod alert_tests;
pub mod json;
pub mod markdown;
pub mod output;
pub mod prometheus;
pub mod table;
pub mod validate;

use crate::cli::Format;
use crate::scorecard::Scorecard;

/// Renders `card` in `format`.
pub fn render(card: &Scorecard, format: Format) -> String {
    match format {
        Format::Table => table::render(card),
        Format::Json => json::render(card),
        Format::Markdown => markdown::render(card),
        Format::Prometheus => prometheus::render(card),
    }
}
