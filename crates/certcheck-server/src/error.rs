//! Why the server cannot start or keep its state: one error type, with the facts each case
//! needs, rendered once for the terminal.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything that stops `certcheck-server`. Variants are alphabetical.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServerError {
    /// A command-line argument is wrong.
    Argument {
        /// The argument as given (`--listen`, or the unknown word).
        argument: String,
        /// What was wrong with it, or what it needs.
        problem: String,
    },
    /// The outbound HTTP client could not be built.
    Client(String),
    /// The connection limiter closed (the accept loop cannot go on).
    Limiter,
    /// The address could not be bound or read.
    Listen {
        /// The address asked for.
        address: SocketAddr,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The sandbox's state file could not be read or written.
    State {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        problem: StateProblem,
    },
    /// An argument the server does not know.
    UnknownArgument(String),
}

/// What went wrong with the sandbox's state file.
#[derive(Debug)]
#[non_exhaustive]
pub enum StateProblem {
    /// It is not the sandbox's JSON (corrupt, or another file).
    Unreadable(serde_json::Error),
    /// The system refused to read or write it.
    Io(std::io::Error),
    /// The state could not be encoded.
    Encode(serde_json::Error),
    /// It is a symbolic link, and `--follow-state-symlink` was not given.
    Symlink,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Argument { argument, problem } => write!(f, "{argument} {problem}"),
            Self::UnknownArgument(argument) => write!(f, "unknown argument {argument:?}"),
            Self::Client(reason) => write!(f, "cannot build the HTTP client: {reason}"),
            Self::Limiter => f.write_str("the connection limiter closed"),
            Self::Listen { address, source } => write!(f, "cannot listen on {address}: {source}"),
            Self::State { path, problem: StateProblem::Unreadable(error) } => write!(
                f,
                "the sandbox state {} is not readable ({error}); move it away to start afresh",
                path.display()
            ),
            Self::State { path, problem: StateProblem::Io(error) } => {
                write!(f, "cannot read or write the sandbox state {}: {error}", path.display())
            }
            Self::State { path, problem: StateProblem::Encode(error) } => {
                write!(f, "cannot encode the sandbox state for {}: {error}", path.display())
            }
            Self::State { path, problem: StateProblem::Symlink } => write!(
                f,
                "the sandbox state {} is a symbolic link: give --follow-state-symlink to keep the state \
                 where it points, or name the file itself",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ServerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Listen { source, .. } => Some(source),
            Self::State { problem: StateProblem::Io(error), .. } => Some(error),
            Self::State { problem: StateProblem::Unreadable(error) | StateProblem::Encode(error), .. } => Some(error),
            Self::State { problem: StateProblem::Symlink, .. }
            | Self::Argument { .. }
            | Self::Client(_)
            | Self::Limiter
            | Self::UnknownArgument(_) => None,
        }
    }
}

impl ServerError {
    /// A wrong argument.
    pub(crate) fn argument(argument: &str, problem: impl Into<String>) -> Self {
        Self::Argument { argument: argument.to_owned(), problem: problem.into() }
    }
}
