//! The inputs hash: SHA-256 of a JSON value's canonical form (object keys sorted, no
//! whitespace), so the same inputs give the same hash whatever the key order on disk.

use sha2::{Digest, Sha256};

/// SHA-256 (hex) of the canonical JSON of `value`: object keys sorted, no whitespace.
pub fn canonical_hash(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    let digest = Sha256::digest(out.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*key).clone()).to_string());
                out.push(':');
                write_canonical(&map[*key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
