//! The report contract of docs/REPORT.md: what the CLI prints with `--json`, what npm's `check()`
//! returns and what the dashboard renders.

use serde::Serialize;

use crate::certificate::CertificateInfo;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Fix;
use crate::private_key::PrivateKeyInfo;

/// The overall answer: the worst severity present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing worse than info.
    Ok,
    /// At least one warning, no error.
    Warning,
    /// At least one error: the upload as given would fail or be wrong.
    Error,
}

impl Verdict {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A full report on one input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The destination checked for; `None` for inspect.
    pub destination: Option<&'static str>,
    /// Worst severity present.
    pub verdict: Verdict,
    /// Every certificate that could be read, in input order.
    pub certificates: Vec<CertificateInfo>,
    /// Every private key found (never its material).
    pub private_keys: Vec<PrivateKeyInfo>,
    /// Every diagnostic, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// What would be posted: LF endings, 64 columns, only the certificate blocks.
    pub normalized_pem: Option<String>,
}

impl Report {
    /// The named fixes the diagnostics offer, each once, in the order they should be applied.
    pub fn offered_fixes(&self) -> Vec<Fix> {
        let mut fixes: Vec<Fix> = self.diagnostics.iter().filter_map(|d| d.fix).collect();
        fixes.sort_unstable();
        fixes.dedup();
        fixes
    }

    /// Adds a diagnostic found outside the core (response verification) and raises the verdict
    /// to its severity.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let verdict = match diagnostic.severity {
            Severity::Error => Verdict::Error,
            Severity::Warning => Verdict::Warning,
            Severity::Info => Verdict::Ok,
        };
        self.verdict = self.verdict.max(verdict);
        self.diagnostics.push(diagnostic);
    }

    /// Whether any diagnostic has this code.
    pub fn has(&self, code: &str) -> bool {
        self.diagnostics.iter().any(|d| d.finding.code() == code)
    }
}
