//! Small helpers for the second parsing stage: range checks that produce an
//! `InputError` naming the file and the JSON path of the offending value.

use crate::error::InputError;

/// Checks values of one file, naming it in every error.
pub struct Checker<'a> {
    pub file: &'a str,
}

impl<'a> Checker<'a> {
    pub fn new(file: &'a str) -> Self {
        Self { file }
    }

    /// An error at `path` with `message`.
    pub fn error(&self, path: &str, message: impl Into<String>) -> InputError {
        InputError::new(self.file, message).at(path)
    }

    /// `value` must be finite and inside `[lo, hi]`.
    pub fn range(&self, path: &str, value: f64, lo: f64, hi: f64) -> Result<f64, InputError> {
        if value.is_finite() && value >= lo && value <= hi {
            Ok(value)
        } else {
            Err(self.error(
                path,
                format!("expected a number in [{lo}, {hi}], got {value}"),
            ))
        }
    }

    /// `value` must be finite and strictly positive.
    pub fn positive(&self, path: &str, value: f64) -> Result<f64, InputError> {
        if value.is_finite() && value > 0.0 {
            Ok(value)
        } else {
            Err(self.error(path, format!("expected a positive number, got {value}")))
        }
    }

    /// `value` must be finite and at least zero.
    pub fn non_negative(&self, path: &str, value: f64) -> Result<f64, InputError> {
        if value.is_finite() && value >= 0.0 {
            Ok(value)
        } else {
            Err(self.error(path, format!("expected a number >= 0, got {value}")))
        }
    }

    /// An integer in `[lo, hi]`.
    pub fn count(&self, path: &str, value: u64, lo: u64, hi: u64) -> Result<u64, InputError> {
        if (lo..=hi).contains(&value) {
            Ok(value)
        } else {
            Err(self.error(
                path,
                format!("expected an integer in [{lo}, {hi}], got {value}"),
            ))
        }
    }

    /// A band `[low, high]` with `lo <= low <= high <= hi`.
    pub fn band(
        &self,
        path: &str,
        band: [f64; 2],
        lo: f64,
        hi: f64,
    ) -> Result<[f64; 2], InputError> {
        self.range(&format!("{path}[0]"), band[0], lo, hi)?;
        self.range(&format!("{path}[1]"), band[1], lo, hi)?;
        if band[0] > band[1] {
            return Err(self.error(
                path,
                format!("expected [low, high] with low <= high, got {band:?}"),
            ));
        }
        Ok(band)
    }

    /// One of the listed words; the error suggests the nearest.
    pub fn choice<'c>(
        &self,
        path: &str,
        value: &str,
        choices: &[&'c str],
    ) -> Result<&'c str, InputError> {
        if let Some(found) = choices.iter().find(|c| **c == value) {
            return Ok(found);
        }
        let mut err = self.error(
            path,
            format!("expected one of {}, got `{value}`", quoted(choices)),
        );
        if let Some(best) = super::parse::nearest(value, choices) {
            err = err.hint(format!("did you mean `{best}`?"));
        }
        Err(err)
    }
}

fn quoted(choices: &[&str]) -> String {
    choices
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
