//! Typed errors with the exit status each one maps to: 2 for bad input (unreadable or
//! invalid config, scorecard or arguments) and 3 for an internal failure of pmmsim itself.
//! Status 1 is reserved for findings (a failed gate, a regression) and is not an error here.

use std::fmt;
use std::path::PathBuf;

/// A config or scorecard file that cannot be read or is invalid.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file, as the user named it (or `<embedded>/...` for a built-in default).
    pub file: String,
    /// Where in the file: a JSON path (`orderFlow.size.sigma`) and/or `line L, column C`.
    pub location: Option<String>,
    /// What was wrong and what was expected.
    pub message: String,
    /// A suggestion, e.g. the nearest valid key.
    pub hint: Option<String>,
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(location) = &self.location {
            write!(f, ": at {location}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Every error pmmsim reports to a user.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid config, scorecard or scenario name.
    #[error("invalid input: {0}")]
    Input(#[from] InputError),
    /// Bad combination of command-line arguments.
    #[error("invalid arguments: {0}")]
    Usage(String),
    /// A failure of pmmsim itself, not of its input (e.g. a value that cannot be
    /// serialised, a thread pool that cannot start). Please report it.
    #[error("internal error: {0}")]
    Internal(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Internal(_) => 3,
            Error::Input(_) | Error::Usage(_) | Error::Io { .. } => 2,
        }
    }
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
