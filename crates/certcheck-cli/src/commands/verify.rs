//! `verify`: the certificate a server or client presents, against the CA that is (or will be)
//! uploaded — the core's `verify_peer`, printed as `check` prints a report, each input's
//! diagnostics under its own name so that positions are unambiguous.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use certcheck::{InputKind, PeerOptions, PeerReport, Verdict, verify_peer};

use super::{clock, read_input, shown_name, style};
use crate::cli::VerifyArgs;
use crate::human;
use crate::output::{Stop, exit_status};

/// Runs `verify`: exit 0 when the vendor would accept the certificate (warnings allowed), 1 when
/// not, 2 for usage and I/O errors.
pub(crate) fn run(args: &VerifyArgs) -> Result<ExitCode, Stop> {
    let certificate = read_input(&args.input)?;
    if args.ca == "-" && args.input == "-" {
        return Err(Stop::Usage("only one of CERT_FILE and --ca can be standard input".to_owned()));
    }
    let ca = read_input(&args.ca)?;
    let mut key = args.key.as_deref().map(read_input).transpose()?;
    if let (Some(name), Some(encrypted)) = (&args.key_passphrase_env, &key) {
        let passphrase = super::new::passphrase_from_env(name)?;
        let plain = certcheck_generate::decrypted_key_pem(encrypted, passphrase.as_bytes())
            .map_err(|error| Stop::Failed(format!("--key: {error}")))?;
        key = Some(plain.as_bytes().to_vec());
    }
    let now = clock(args.common.now);
    let options = PeerOptions {
        destination: args.to,
        tunnel_domain: args.tunnel_domain.clone(),
        hosts: args.hosts.clone(),
        emails: args.emails.clone(),
        now,
    };
    let report = verify_peer(&certificate, &ca, key.as_deref(), &options)
        .map_err(|refusal| Stop::Usage(format!("--to {}: {refusal}", args.to)))?;
    let text = if args.common.json {
        let mut json = serde_json::to_string_pretty(&report)
            .map_err(|error| Stop::Failed(format!("cannot render JSON: {error}")))?;
        json.push('\n');
        json
    } else {
        render(&report, args, &[&certificate, &ca, key.as_deref().unwrap_or_default()], now)
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|error| Stop::Failed(format!("cannot write the report: {error}")))?;
    Ok(exit_status(report.verdict != Verdict::Error))
}

/// The human format: the presented certificate, the path, each input's diagnostics with line
/// excerpts, the verdict.
fn render(report: &PeerReport, args: &VerifyArgs, inputs: &[&[u8]; 3], now: certcheck::UnixTime) -> String {
    let style = style(false);
    let mut out = String::new();
    if let Some(presented) = report.certificates.first() {
        human::certificate(&mut out, presented, now);
    }
    if report.path.is_empty() {
        out.push_str("Path: none found to a given CA\n\n");
    } else {
        out.push_str("Path:\n");
        for step in &report.path {
            let from = match step.input {
                InputKind::Certificate => "presented",
                InputKind::Ca => "CA",
                InputKind::Key => "key",
            };
            let _ = writeln!(out, "    {from} #{}: {} (SHA-256 {})", step.index, step.subject, step.sha256);
        }
        out.push('\n');
    }
    let [certificate, ca, key] = *inputs;
    let names = [
        (InputKind::Certificate, shown_name(&args.input), certificate),
        (InputKind::Ca, shown_name(&args.ca), ca),
        (InputKind::Key, args.key.as_deref().map_or("", shown_name), key),
    ];
    for (kind, name, bytes) in names {
        let list: Vec<certcheck::Diagnostic> =
            report.diagnostics.iter().filter(|d| d.input == Some(kind)).cloned().collect();
        if !list.is_empty() {
            out.push_str(&human::diagnostics(&list, certcheck::decoded_text(bytes).as_deref(), name, style));
        }
    }
    let count = |severity| report.diagnostics.iter().filter(|d| d.severity == severity).count();
    let verdict = match report.verdict {
        Verdict::Ok => style.paint("1;32", "accepted"),
        Verdict::Warning => style.paint("1;33", "accepted with warnings"),
        Verdict::Error => style.paint("1;31", "refused"),
    };
    let _ = writeln!(
        out,
        "Verdict for {}: {verdict} ({} error(s), {} warning(s), {} note(s))",
        report.destination,
        count(certcheck::Severity::Error),
        count(certcheck::Severity::Warning),
        count(certcheck::Severity::Info)
    );
    out
}
