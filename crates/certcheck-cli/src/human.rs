//! The human format: aligned fields like `step certificate inspect`, and each diagnostic with
//! its line excerpt and a caret. Colour only when writing to a terminal.

use std::fmt::Write as _;

use certcheck::{CertificateInfo, Diagnostic, Report, Severity, UnixTime, Verdict};

/// ANSI styling, or none.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub(crate) colour: bool,
}

impl Style {
    pub(crate) fn paint(self, code: &str, text: &str) -> String {
        if self.colour { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    fn severity(self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }
}

fn field(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "    {:<20}{value}", format!("{name}:"));
}

pub(crate) fn certificate(out: &mut String, certificate: &CertificateInfo, now: UnixTime) {
    let _ = writeln!(out, "Certificate #{} (block {})", certificate.index, certificate.block);
    field(out, "Subject", &certificate.subject);
    field(out, "Issuer", &certificate.issuer);
    field(out, "Serial", &certificate.serial);
    let left = now.days_until(certificate.not_after);
    let remaining = if left >= 0 { format!("{left} days left") } else { format!("expired {} days ago", -left) };
    field(out, "Validity", &format!("{} → {} ({remaining})", certificate.not_before, certificate.not_after));
    let path_len = certificate.path_len.map_or_else(|| "none".to_owned(), |p| p.to_string());
    let ca = if certificate.is_ca { format!("yes (path length {path_len})") } else { "no".to_owned() };
    field(out, "CA", &ca);
    field(out, "Self-signed", if certificate.self_signed { "yes" } else { "no" });
    let key = &certificate.key;
    let mut key_text = key.algorithm.clone();
    if let Some(curve) = &key.curve {
        let _ = write!(key_text, " {curve}");
    } else if let Some(bits) = key.bits {
        let _ = write!(key_text, " {bits} bits");
    }
    field(out, "Key", &key_text);
    field(out, "Signature", &certificate.signature_algorithm);
    if let Some(id) = &certificate.subject_key_id {
        field(out, "Subject key ID", id);
    }
    if let Some(id) = &certificate.authority_key_id {
        field(out, "Authority key ID", id);
    }
    if !certificate.san.is_empty() {
        field(out, "Subject alt names", &certificate.san.join(", "));
    }
    if !certificate.key_usage.is_empty() {
        field(out, "Key usage", &certificate.key_usage.join(", "));
    }
    if !certificate.extended_key_usage.is_empty() {
        field(out, "Extended key usage", &certificate.extended_key_usage.join(", "));
    }
    field(out, "SHA-256", &certificate.fingerprints.sha256());
    field(out, "SHA-1", &certificate.fingerprints.sha1());
    field(out, "MD5", &certificate.fingerprints.md5());
    field(out, "Anthropic", &certificate.spellings.anthropic());
    field(out, "Cloudflare Access", &certificate.spellings.cloudflare_access());
    field(out, "Cloudflare Gateway", &certificate.spellings.cloudflare_gateway());
    out.push('\n');
}

/// Renders a report for a person.
pub(crate) fn render(report: &Report, text: Option<&str>, name: &str, now: UnixTime, style: Style) -> String {
    let mut out = String::new();
    for entry in &report.certificates {
        certificate(&mut out, entry, now);
    }
    for key in &report.private_keys {
        let matched = key
            .matches_certificate
            .map_or_else(|| "matches no certificate here".to_owned(), |i| format!("belongs to certificate #{i}"));
        let block = key.block.map_or_else(String::new, |b| format!(" (block {b})"));
        let _ = writeln!(out, "Private key{block}: {}, {matched}\n", key.kind);
    }
    out.push_str(&diagnostics(&report.diagnostics, text, name, style));
    out.push_str(&verdict(report, style));
    out
}

/// Every diagnostic with its place, the line excerpt and a caret, and its fix.
pub(crate) fn diagnostics(list: &[Diagnostic], text: Option<&str>, name: &str, style: Style) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.map(|t| t.split('\n').collect()).unwrap_or_default();
    for diagnostic in list {
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            style.severity(diagnostic.severity),
            diagnostic.finding.code(),
            diagnostic.message
        );
        if let (Some(line), Some(column)) = (diagnostic.line, diagnostic.column) {
            let _ = writeln!(out, "  --> {name}:{line}:{column}");
            let index = usize::try_from(line).unwrap_or(usize::MAX).saturating_sub(1);
            if let Some(source) = lines.get(index) {
                let column = usize::try_from(column).unwrap_or(1).saturating_sub(1);
                let (excerpt, caret_at) = excerpt(source.trim_end_matches('\r'), column);
                let gutter = line.to_string().len();
                let _ = writeln!(out, "{:gutter$} |", "");
                let _ = writeln!(out, "{line} | {excerpt}");
                let _ = writeln!(out, "{:gutter$} | {}{}", "", " ".repeat(caret_at), style.paint("1;31", "^"));
            }
        }
        if let Some(fix) = diagnostic.fix {
            let _ = writeln!(out, "   = fix: {fix} (certcheck check --fix={fix})");
        }
        out.push('\n');
    }
    out
}

/// The closing line: `Verdict for anthropic-tunnel: ok (1 certificate(s), 0 error(s), …)`.
pub(crate) fn verdict(report: &Report, style: Style) -> String {
    let verdict = match report.verdict {
        Verdict::Ok => style.paint("1;32", "ok"),
        Verdict::Warning => style.paint("1;33", "warning"),
        Verdict::Error => style.paint("1;31", "error"),
    };
    let destination = report.destination.map_or_else(|| "inspect".to_owned(), |d| format!("for {d}"));
    let count = |severity| report.diagnostics.iter().filter(|d| d.severity == severity).count();
    format!(
        "Verdict {destination}: {verdict} ({} certificate(s), {} error(s), {} warning(s), {} note(s))\n",
        report.certificates.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    )
}

/// At most 100 characters of a line around a 0-based column, and the caret's place in them.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().map(|c| if c.is_control() { '·' } else { c }).collect();
    let start = if column > 80 { column - 40 } else { 0 };
    let shown: String = chars.iter().skip(start).take(WIDTH).collect();
    if start > 0 { (format!("…{shown}"), column - start + 1) } else { (shown, column) }
}
