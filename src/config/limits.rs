//! The documented limits on what pmmsim reads and spawns: config, scorecard and shard
//! files up to [`MAX_FILE_BYTES`] (checked before reading and again while reading, so a
//! device such as `/dev/zero` fails at once), names and descriptions up to a length, and
//! at most [`THREADS_PER_CORE`] worker threads per core. `docs/reliability.md` lists them.

use std::io::Read;
use std::path::Path;

use super::check::Checker;
use crate::error::{Error, InputError, Result};

/// The largest config, scorecard or shard file pmmsim reads: 16 MiB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The largest shard file `merge` reads: 4 GiB (a compact shard of 10^6 paths of a
/// routing scenario is about 0.3 GB; a sweep's shards hold every candidate's outcomes).
pub const MAX_SHARD_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The longest name (scenario, chain, token, commitment source, address), in characters.
pub const MAX_NAME_CHARS: usize = 128;

/// The longest description or note, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4_096;

/// `--threads` allows at most this many worker threads per core.
pub const THREADS_PER_CORE: usize = 4;

fn too_large(path: &Path, size: Option<u64>, max: u64) -> Error {
    let size = match size {
        Some(bytes) => format!("{bytes} bytes"),
        None => "reading stopped at the limit".into(),
    };
    let limit = if max >= 1 << 30 {
        format!("{} GiB", max >> 30)
    } else {
        format!("{} MiB", max >> 20)
    };
    InputError::new(
        path.display().to_string(),
        format!("the file is larger than {limit} ({size}); pmmsim reads files of at most {limit}"),
    )
    .into()
}

/// The bytes of `path`: at most `max` for a regular file (its size checked before
/// reading), at most [`MAX_FILE_BYTES`] for anything else.
pub fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(
            InputError::new(path.display().to_string(), "is a directory, not a file").into(),
        );
    }
    // Something that is not a regular file (a pipe, a device) has no size to check
    // first, so it gets the small limit.
    let max = if meta.is_file() {
        max
    } else {
        max.min(MAX_FILE_BYTES)
    };
    if meta.is_file() && meta.len() > max {
        return Err(too_large(path, Some(meta.len()), max));
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_large(path, None, max));
    }
    Ok(bytes)
}

/// The text of `path`: at most [`MAX_FILE_BYTES`] of UTF-8. The size of a regular file
/// is checked before anything is read; anything else (a pipe, a device) is read up to
/// the limit and refused past it.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read_bytes(path, MAX_FILE_BYTES)?;
    Ok(decode_text(&bytes, &path.display().to_string())?)
}

/// The text of the bytes read from `file`: UTF-8, at most [`MAX_FILE_BYTES`]. UTF-16 (by
/// its byte order mark) and invalid UTF-8 are refused with a hint; a UTF-8 byte order
/// mark is kept (the JSON reader skips it).
pub fn decode_text(bytes: &[u8], file: &str) -> Result<String, InputError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::new(
            file,
            format!(
                "the file is larger than 16 MiB ({} bytes); pmmsim reads files of at most 16 MiB",
                bytes.len()
            ),
        ));
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(
            InputError::new(file, "is UTF-16 text, not UTF-8").hint("save the file as UTF-8 JSON")
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(InputError::new(
            file,
            format!(
                "is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
        .hint("save the file as UTF-8 JSON")),
    }
}

/// The largest `--threads` on this machine: [`THREADS_PER_CORE`] per core.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores * THREADS_PER_CORE
}

/// Parses `--threads`: 0 (one per core) up to [`max_threads`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|e| format!("expected a whole number of threads: {e}"))?;
    let max = max_threads();
    if n > max {
        return Err(format!(
            "at most {max} threads on this machine ({THREADS_PER_CORE} per core); 0 uses one per core"
        ));
    }
    Ok(n)
}

impl Checker<'_> {
    /// A name: not empty, at most [`MAX_NAME_CHARS`] characters, no control characters.
    pub fn name(&self, path: &str, value: &str) -> Result<(), InputError> {
        if value.trim().is_empty() {
            return Err(self.error(path, "expected a name, got an empty string"));
        }
        self.text(path, value, MAX_NAME_CHARS)?;
        if value.chars().any(char::is_control) {
            return Err(self.error(
                path,
                "a name cannot contain control characters (newlines, tabs, ...)",
            ));
        }
        Ok(())
    }

    /// Free text of at most `max` characters.
    pub fn text(&self, path: &str, value: &str, max: usize) -> Result<(), InputError> {
        let n = value.chars().count();
        if n > max {
            return Err(self.error(
                path,
                format!("too long: {n} characters, at most {max} are allowed"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_up_to_four_per_core() {
        let max = max_threads();
        assert!(max >= THREADS_PER_CORE);
        assert_eq!(parse_threads("0"), Ok(0));
        assert_eq!(parse_threads(&max.to_string()), Ok(max));
        let err = parse_threads(&(max + 1).to_string()).unwrap_err();
        assert!(err.contains("at most"), "{err}");
        assert!(parse_threads("-1").is_err());
        assert!(parse_threads("lots").is_err());
    }

    #[test]
    fn an_endless_file_is_refused_at_the_limit() {
        let err = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("at most 16 MiB"), "{err}");
    }

    #[test]
    fn names_and_texts_have_limits() {
        let c = Checker::new("f.json");
        assert!(c.name("name", "hub_only_11").is_ok());
        assert!(c.name("name", "").is_err());
        assert!(c.name("name", "a\nb").is_err());
        assert!(c.name("name", &"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(
            c.text(
                "d",
                &"x".repeat(MAX_DESCRIPTION_CHARS),
                MAX_DESCRIPTION_CHARS
            )
            .is_ok()
        );
    }
}
