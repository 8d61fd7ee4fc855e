//! Where rendered output goes: stdout (a closed pipe is a normal end, not a panic) or a
//! file written atomically, so a failed run never leaves a half-written file behind. The
//! file is a uniquely named temporary file (`tempfile`) in the target's folder, synced,
//! then renamed over the target, and the folder is synced. An existing file keeps its
//! permissions, and a symlink is written through to its target, never replaced. The
//! output format can come from the file's extension (`format_for`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Format;
use crate::error::{Error, Result};

/// Writes `output` (rendered text or bytes) to `target` (`None` or `-` = stdout).
pub fn emit(output: impl AsRef<[u8]>, target: Option<&Path>) -> Result<()> {
    let bytes = output.as_ref();
    match target {
        None => write_stdout(bytes),
        Some(p) if p == Path::new("-") => write_stdout(bytes),
        Some(path) => write_atomic(path, bytes),
    }
}

/// The format a file name asks for by its extension: `.json`, `.md` (or `.markdown`),
/// `.prom`, `.csv` and `.html` (or `.htm`); `None` for any other name.
pub fn format_of_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "md" | "markdown" => Some(Format::Markdown),
        "prom" => Some(Format::Prometheus),
        "csv" => Some(Format::Csv),
        "html" | "htm" => Some(Format::Html),
        _ => None,
    }
}

/// The scorecard format of a command: `--format` when given, else the one the `-o` file's
/// extension names, else the table. A `--format` that disagrees with the extension is a
/// usage error: `-o out.json --format table` would write a table into a `.json` file.
pub fn format_for(flag: Option<Format>, output: Option<&Path>) -> Result<Format> {
    let by_extension = output
        .filter(|p| *p != Path::new("-"))
        .and_then(|p| format_of_extension(p).map(|f| (p, f)));
    match (flag, by_extension) {
        (Some(flag), Some((path, ext))) if flag != ext => Err(Error::Usage(format!(
            "--format {} disagrees with the extension of -o {} ({}); drop --format, or \
             change the file name",
            format_name(flag),
            path.display(),
            format_name(ext)
        ))),
        (Some(flag), _) => Ok(flag),
        (None, Some((_, ext))) => Ok(ext),
        (None, None) => Ok(Format::Table),
    }
}

/// The `--format` word of `format`.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Json => "json",
        Format::Markdown => "markdown",
        Format::Prometheus => "prometheus",
        Format::Csv => "csv",
        Format::Html => "html",
    }
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(bytes).and_then(|()| lock.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Io {
            path: PathBuf::from("<stdout>"),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Symlinks followed at most this many times (as the kernel's `ELOOP` limit).
const MAX_SYMLINKS: usize = 40;

/// The file a write to `path` lands in: `path` with every symlink (also a dangling one)
/// followed to its target.
fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_SYMLINKS} levels of symbolic links"
    )))
}

/// Writes `bytes` to `path` via a uniquely named temporary file in the same directory, a
/// rename and a sync of the directory. A symlink is written through; an existing file
/// keeps its permissions (a new one gets `0666` less the umask, as `>` would give it).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    // A device or pipe (`/dev/null`, `/dev/stdout`, a FIFO) cannot be replaced by a rename:
    // write to it directly.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return std::fs::write(path, bytes).map_err(io_err);
    }
    let target = resolve_symlinks(path).map_err(io_err)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = std::fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(io_err(io::Error::other(
            "is a directory; -o needs a file name",
        )));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pmmsim-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    if !dir.is_dir() {
        return Err(io_err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        )));
    }
    // tempfile's error names the temporary file; the user named the target.
    let mut tmp = builder.tempfile_in(&dir).map_err(|e| {
        io_err(io::Error::new(
            e.kind(),
            format!(
                "cannot create a file in {}: {}",
                dir.display(),
                io::Error::from(e.kind())
            ),
        ))
    })?;
    tmp.write_all(bytes).map_err(io_err)?;
    if let Some(meta) = &existing {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io_err)?;
    }
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(&target).map_err(|e| io_err(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Makes the rename durable. Best effort: some file systems cannot sync a directory, and
/// the file itself is already complete and synced.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_names_the_format() {
        let p = |s: &str| Some(Path::new(s).to_path_buf());
        let f = |flag, out: Option<PathBuf>| format_for(flag, out.as_deref());
        assert_eq!(f(None, p("a.json")).unwrap(), Format::Json);
        assert_eq!(f(None, p("a.MD")).unwrap(), Format::Markdown);
        assert_eq!(f(None, p("a.prom")).unwrap(), Format::Prometheus);
        assert_eq!(f(None, p("a.txt")).unwrap(), Format::Table);
        assert_eq!(f(None, p("-")).unwrap(), Format::Table);
        assert_eq!(f(None, None).unwrap(), Format::Table);
        assert_eq!(f(Some(Format::Json), None).unwrap(), Format::Json);
        assert_eq!(f(Some(Format::Json), p("a.json")).unwrap(), Format::Json);
        assert_eq!(
            f(Some(Format::Markdown), p("a.txt")).unwrap(),
            Format::Markdown
        );
        let err = f(Some(Format::Table), p("a.json")).unwrap_err();
        assert!(err.to_string().contains("disagrees"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_write_keeps_the_mode_and_goes_through_a_symlink() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
    }
}
