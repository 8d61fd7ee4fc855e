//! Strict JSON parsing with errors a user can act on: the file, the JSON path, the line
//! and column, what was expected, for an unknown key the nearest valid key, and a hint
//! for what JSON forbids but people write (a trailing comma, NaN, Infinity). A UTF-8 byte
//! order mark is accepted.

use serde::de::DeserializeOwned;

use crate::error::InputError;

/// Parses `text` (the contents of `file`) into `T`, reporting the JSON path of any error.
/// A leading UTF-8 byte order mark is skipped: RFC 8259 lets a parser ignore it, and
/// editors on Windows write one.
pub fn parse_json<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        not_an_object(&inner, file, text).unwrap_or_else(|| describe(&inner, &path, file, text))
    })?;
    de.end().map_err(|err| describe(&err, ".", file, text))?;
    Ok(value)
}

fn describe(err: &serde_json::Error, path: &str, file: &str, text: &str) -> InputError {
    let message = strip_position(&err.to_string());
    let line_col = format!("line {}, column {}", err.line(), err.column());
    let path = shortened(known_path(path));
    let location = if path.is_empty() || path == "." {
        line_col
    } else {
        format!("{path} ({line_col})")
    };
    let mut error = InputError::new(file, message.clone()).at(location);
    if let Some(hint) =
        unknown_key_hint(&message).or_else(|| syntax_hint(&message, text, err.line(), err.column()))
    {
        error = error.hint(hint);
    }
    error
}

/// A well-formed file whose top level is not an object (every pmmsim file is one): say
/// so, rather than the type error serde gives for the first element of an array.
fn not_an_object(err: &serde_json::Error, file: &str, text: &str) -> Option<InputError> {
    if err.classify() != serde_json::error::Category::Data {
        return None;
    }
    let got = match text.trim_start().chars().next()? {
        '{' => return None,
        '[' => "an array",
        '"' => "a string",
        't' | 'f' => "a boolean",
        'n' => "null",
        _ => "a number",
    };
    let blank = text.len() - text.trim_start().len();
    let line = text[..blank].matches('\n').count() + 1;
    Some(
        InputError::new(
            file,
            format!("expected a JSON object {{ ... }} at the top level, got {got}"),
        )
        .at(format!("line {line}")),
    )
}

/// The path up to its first unknown segment: serde_path_to_error writes `?` where the
/// parser had not yet reached a key or index (a trailing comma gives `monteCarlo.?`),
/// and the part before it is the container the error is in.
fn known_path(path: &str) -> &str {
    match path.find('?') {
        Some(idx) => path[..idx].trim_end_matches(['.', '[']),
        None => path,
    }
}

/// Paths longer than this are cut (a file nested hundreds of levels deep).
const MAX_PATH_CHARS: usize = 80;

/// `path`, cut to [`MAX_PATH_CHARS`] with `...` when longer.
fn shortened(path: &str) -> String {
    match path.char_indices().nth(MAX_PATH_CHARS) {
        Some((cut, _)) => format!("{}...", &path[..cut]),
        None => path.to_string(),
    }
}

/// What JSON forbids that people write anyway: a comma after the last item, and the
/// non-finite numbers of JavaScript and Python.
fn syntax_hint(message: &str, text: &str, line: usize, column: usize) -> Option<String> {
    if message == "trailing comma" {
        return Some("JSON allows no comma after the last item of an object or array".into());
    }
    if message == "recursion limit exceeded" {
        return Some("the file nests arrays or objects more than 128 levels deep".into());
    }
    if !["expected value", "invalid number", "expected ident"]
        .iter()
        .any(|m| message.starts_with(m))
    {
        return None;
    }
    let row = text.lines().nth(line.checked_sub(1)?)?;
    let from = column.saturating_sub(2).min(row.len());
    let near: String = row
        .get(from..)
        .or_else(|| row.get(..0))?
        .chars()
        .take(12)
        .collect::<String>()
        .to_lowercase();
    let non_finite = ["nan", "infinity", "inf"].iter().any(|word| {
        near.trim_start_matches(['-', '+', ' ', ':'])
            .starts_with(word)
    });
    non_finite.then(|| {
        "JSON has no NaN or Infinity: write a finite number, or leave the key out where it is \
         optional"
            .into()
    })
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
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}{\"orderFlow\": {\"tradesPerEpoch\": 3, \"crossChainShare\": 0.5}}";
        assert!(parse_json::<Outer>(text, "s.json").is_ok());
    }

    #[test]
    fn a_trailing_comma_names_its_container_and_gets_a_hint() {
        let text = "{\"orderFlow\": {\"tradesPerEpoch\": 3, \"crossChainShare\": 0.5,}}";
        let err = parse_json::<Outer>(text, "s.json").unwrap_err();
        let location = err.location.clone().unwrap_or_default();
        assert!(location.starts_with("orderFlow ("), "{err}");
        assert!(!location.contains('?'), "{err}");
        assert!(
            err.hint.as_deref().unwrap_or("").contains("no comma"),
            "{err}"
        );
    }

    #[test]
    fn nan_and_infinity_get_a_hint() {
        for word in ["NaN", "Infinity", "-Infinity"] {
            let text = format!(
                "{{\"orderFlow\": {{\"tradesPerEpoch\": 3, \"crossChainShare\": {word}}}}}"
            );
            let err = parse_json::<Outer>(&text, "s.json").unwrap_err();
            assert!(
                err.hint
                    .as_deref()
                    .unwrap_or("")
                    .contains("no NaN or Infinity"),
                "{word}: {err}"
            );
        }
    }

    #[test]
    fn a_deep_path_is_shortened() {
        let deep = "a".to_string() + &"[0]".repeat(100);
        let short = shortened(&deep);
        assert!(
            short.ends_with("...") && short.len() == MAX_PATH_CHARS + 3,
            "{short}"
        );
        assert_eq!(shortened("monteCarlo"), "monteCarlo");
    }

    #[test]
    fn known_path_drops_unknown_segments() {
        assert_eq!(known_path("monteCarlo.?"), "monteCarlo");
        assert_eq!(known_path("chains[?]"), "chains");
        assert_eq!(known_path("a.b[2].?"), "a.b[2]");
        assert_eq!(known_path("?"), "");
        assert_eq!(known_path("a.b"), "a.b");
    }

    #[test]
    fn nearest_prefers_small_edits() {
        assert_eq!(nearest("paths", &["paths", "epochs"]), Some("paths"));
        assert_eq!(nearest("epoch", &["paths", "epochs"]), Some("epochs"));
        assert_eq!(nearest("zzzzzzzzzz", &["ab"]), None);
    }
}
