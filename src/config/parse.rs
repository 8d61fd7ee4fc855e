//! Strict JSON parsing with errors a user can act on: the file, the JSON path, the line
//! and column, what was expected, and for an unknown key the nearest valid key.

use serde::de::DeserializeOwned;

use crate::error::InputError;

/// Parses `text` (the contents of `file`) into `T`, reporting the JSON path of any error.
pub fn parse_json<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        describe(&inner, &path, file)
    })?;
    de.end().map_err(|err| describe(&err, ".", file))?;
    Ok(value)
}

fn describe(err: &serde_json::Error, path: &str, file: &str) -> InputError {
    let message = strip_position(&err.to_string());
    let line_col = format!("line {}, column {}", err.line(), err.column());
    let location = if path.is_empty() || path == "." || path == "?" {
        line_col
    } else {
        format!("{path} ({line_col})")
    };
    let mut error = InputError::new(file, message.clone()).at(location);
    if let Some(hint) = unknown_key_hint(&message) {
        error = error.hint(hint);
    }
    error
}

/// serde_json appends " at line L column C"; we report the position separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(idx) => message[..idx].to_string(),
        None => message.to_string(),
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`"), the
/// nearest valid key by edit distance.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    nearest(unknown, &candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate closest to `word` by Levenshtein distance, if any is reasonably close.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&word_lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= c.len().max(word.len()) / 2 + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        trades_per_epoch: u32,
        cross_chain_share: f64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        order_flow: Inner,
    }

    #[test]
    fn unknown_key_names_path_and_nearest_key() {
        let text = "{\"orderFlow\": {\"tradesPerEpok\": 3, \"crossChainShare\": 0.5}}";
        let err = parse_json::<Outer>(text, "s.json").unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("s.json"), "{shown}");
        assert!(shown.contains("orderFlow"), "{shown}");
        assert!(shown.contains("did you mean `tradesPerEpoch`"), "{shown}");
        assert!(shown.contains("line 1"), "{shown}");
    }

    #[test]
    fn type_error_names_the_json_path() {
        let text = "{\"orderFlow\": {\"tradesPerEpoch\": \"many\", \"crossChainShare\": 0.5}}";
        let err = parse_json::<Outer>(text, "s.json").unwrap_err();
        assert!(
            err.location
                .as_deref()
                .unwrap_or("")
                .starts_with("orderFlow.tradesPerEpoch")
        );
    }

    #[test]
    fn syntax_error_gives_line_and_column() {
        let text = "{\n  \"orderFlow\": {\n    \"tradesPerEpoch\": 3,,\n  }\n}";
        let err = parse_json::<Outer>(text, "s.json").unwrap_err();
        assert!(
            err.location.as_deref().unwrap_or("").contains("line 3"),
            "{err}"
        );
    }

    #[test]
    fn nearest_prefers_small_edits() {
        assert_eq!(nearest("paths", &["paths", "epochs"]), Some("paths"));
        assert_eq!(nearest("epoch", &["paths", "epochs"]), Some("epochs"));
        assert_eq!(nearest("zzzzzzzzzz", &["ab"]), None);
    }
}
