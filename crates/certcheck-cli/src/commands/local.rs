//! The commands that never touch the network: `check`, `inspect`, `verify-response`, `rules`.

use std::io::Write;
use std::process::ExitCode;

use certcheck::{Options, Profile, RULES, Verdict, apply_fixes, check};

use super::{clock, destination, emit_report, read_input, report_text};
use crate::cli::{CheckArgs, InspectArgs, VerifyResponseArgs};
use crate::output::{Stop, exit_status};

/// `check`: the report for a destination, optionally after fixes.
pub(crate) fn run_check(args: &CheckArgs) -> Result<ExitCode, Stop> {
    let destination = destination(args.to, args.ca)?;
    let mut input = read_input(&args.input)?;
    let now = clock(args.common.now);
    let options = Options::new(Some(destination), now);
    let passphrase = args.key_passphrase_env.as_deref().map(super::new::passphrase_from_env).transpose()?;
    let checked = |input: &[u8]| checked(input, &options, passphrase.as_ref().map(|p| p.as_bytes()));
    let mut report = checked(&input)?;
    let mut fixed_to_stdout = false;
    if let Some(requested) = &args.fix {
        let fixes = if requested.0.is_empty() { report.offered_fixes() } else { requested.0.clone() };
        input = apply_fixes(&input, &fixes, &options);
        report = checked(&input)?;
        match &args.output {
            Some(path) => {
                std::fs::write(path, &input).map_err(|error| Stop::Failed(format!("cannot write {path}: {error}")))?;
            }
            None => {
                std::io::stdout()
                    .write_all(&input)
                    .map_err(|error| Stop::Failed(format!("cannot write the fixed input: {error}")))?;
                fixed_to_stdout = true;
            }
        }
    }
    emit_report(args.common.json, &report, &input, &args.input, now, fixed_to_stdout)?;
    Ok(exit_status(report.verdict != Verdict::Error))
}

/// `check`, with the encrypted keys decrypted by `passphrase` when one is given (each must
/// decrypt: a wrong passphrase stops the command rather than report the key unmatched).
fn checked(input: &[u8], options: &Options, passphrase: Option<&[u8]>) -> Result<certcheck::Report, Stop> {
    let report = check(input, options);
    let Some(passphrase) = passphrase else { return Ok(report) };
    let mut decrypted = Vec::new();
    for (index, key) in report.private_keys.iter().enumerate() {
        let (true, Some(block)) = (key.encrypted, key.block) else { continue };
        let Some(pem) = certcheck::private_key_pem(input, index) else { continue };
        if !pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            continue;
        }
        let der = certcheck_generate::decrypted_key_der(pem.as_bytes(), passphrase).map_err(|error| {
            Stop::failed(format!("--key-passphrase-env: the key at line {}: {error}", key.line.unwrap_or(0)))
        })?;
        decrypted.push((block, der.to_vec()));
    }
    if decrypted.is_empty() {
        return Ok(report);
    }
    Ok(certcheck::check_with_decrypted_keys(input, options, &decrypted))
}

/// `inspect`: the report without destination rules.
pub(crate) fn run_inspect(args: &InspectArgs) -> Result<ExitCode, Stop> {
    let input = read_input(&args.input)?;
    let now = clock(args.common.now);
    let report = check(&input, &Options::new(None, now));
    emit_report(args.common.json, &report, &input, &args.input, now, false)?;
    Ok(exit_status(report.verdict != Verdict::Error))
}

/// `verify-response`: the vendor's answer against the local certificate.
pub(crate) fn run_verify_response(args: &VerifyResponseArgs) -> Result<ExitCode, Stop> {
    let destination = destination(args.to, args.ca)?;
    let response = read_input(&args.input)?;
    let pem = args.pem.as_deref().map(read_input).transpose()?;
    let now = clock(args.common.now);
    let report = certcheck_api::verify_response(destination, &response, pem.as_deref(), now)
        .map_err(|error| Stop::Failed(format!("{}: {error}", args.input)))?;
    let name = args.pem.as_deref().unwrap_or(&args.input);
    let rendered = report_text(args.common.json, &report, pem.as_deref().unwrap_or_default(), name, now, false)?;
    print(&rendered)?;
    Ok(exit_status(report.verdict != Verdict::Error))
}

/// `rules`: every rule with its severity per profile and its source.
pub(crate) fn run_rules() -> Result<ExitCode, Stop> {
    print(&rules_table())?;
    Ok(ExitCode::SUCCESS)
}

fn print(text: &str) -> Result<(), Stop> {
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|error| Stop::Failed(format!("cannot write the report: {error}")))
}

fn rules_table() -> String {
    let mut out = String::from(
        "code                                 inspect anthropic access  mtls-ca mtls-leaf gateway  description\n",
    );
    for rule in RULES {
        let cells: Vec<&str> = [
            Profile::Inspect,
            Profile::Anthropic,
            Profile::Access,
            Profile::MtlsCa,
            Profile::MtlsLeaf,
            Profile::Gateway,
        ]
        .iter()
        .map(|&profile| rule.severity(profile).map_or("-", |s| s.name()))
        .collect();
        let [a, b, c, d, e, f] = cells.as_slice() else { continue };
        out.push_str(&format!(
            "{:<37}{a:<8}{b:<10}{c:<8}{d:<8}{e:<10}{f:<9}{} ({})\n",
            rule.code, rule.description, rule.citation
        ));
    }
    out
}
