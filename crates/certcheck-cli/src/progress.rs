//! The progress line: one line on stderr, rewritten in place, for anything that waits on the
//! network. Only when stderr is a terminal, so pipelines, logs and tests never see it.

use std::io::{IsTerminal, Write};

/// Shows what is being waited for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Progress {
    enabled: bool,
}

impl Progress {
    /// A progress line on stderr if it is a terminal.
    pub(crate) fn new() -> Self {
        Self { enabled: std::io::stderr().is_terminal() }
    }

    /// Replaces the line with `text…`.
    pub(crate) fn show(self, text: &str) {
        if self.enabled {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K{text}…");
            let _ = stderr.flush();
        }
    }

    /// Erases the line.
    pub(crate) fn clear(self) {
        if self.enabled {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}
