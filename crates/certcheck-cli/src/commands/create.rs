//! `certcheck create --to cloudflare-gateway`: Cloudflare generates a Gateway CA; certcheck
//! checks the PEM it returns (Gateway's rules), verifies the answer against that PEM
//! (fingerprint, issuer, expiry) and writes the PEM. Creation is rate-limited and never retried:
//! when the answer is lost, the list is read again and a CA that was not there before is the one
//! that landed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::process::ExitCode;

use certcheck::{Destination, Diagnostic, Options, Report, Verdict};
use certcheck_api::{
    Collection, CreateGatewayCertificate, GATEWAY_VALIDITY_DAYS, RequestOptions, Stored, build, vendor_pem,
    verify_response, verify_stored,
};
use serde::Serialize;
use serde_json::Value;

use super::{answer_record, clock, record, record_id, response_diagnostics, style};
use crate::cli::CreateArgs;
use crate::http::Failure;
use crate::human;
use crate::output::{Refusal, ShownRequest, Stop};
use crate::vendor::{ListFailure, Target, identifier};

/// How a create ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    DryRun,
    /// Created, answer read.
    Created,
    /// The answer was lost; the list shows the new CA.
    Landed,
    /// The vendor refused.
    Refused,
    /// The answer was lost (or nothing was sent) and no new CA is listed: running again is safe.
    NotCreated,
    /// The answer was lost and the list cannot tell (unreadable, or several new CAs).
    Unknown,
}

/// The `--json` object: the check of the returned PEM, then the create's fields.
#[derive(Serialize)]
struct Created<'a> {
    #[serde(flatten)]
    report: Option<&'a Report>,
    outcome: Outcome,
    collection: String,
    id: Option<String>,
    verified: Option<bool>,
    response_diagnostics: Vec<Diagnostic>,
    record: Option<Value>,
    /// Where the PEM was written (`null`: it is in `pem`).
    output: Option<&'a str>,
    pem: Option<String>,
    error: Option<Refusal>,
    failure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<ShownRequest>,
}

/// A Gateway record's PEM, checked for Gateway and verified against the record.
struct Checked {
    report: Report,
    verification: Option<Report>,
    pem: Option<String>,
}

fn checked(stored: &Stored, answer: Option<&[u8]>, now: certcheck::UnixTime) -> Checked {
    let carried = stored.pem().map(|pem| vendor_pem(pem, now)).unwrap_or_default();
    let report = certcheck::check(&carried, &Options::new(Some(Destination::CloudflareGateway), now));
    let verification = match answer {
        Some(body) => verify_response(Destination::CloudflareGateway, body, None, now).ok(),
        None => verify_stored(Destination::CloudflareGateway, stored, None, now).ok(),
    };
    let pem = report.normalized_pem.clone().or_else(|| stored.pem().map(str::to_owned));
    Checked { report, verification, pem }
}

/// `certcheck create`.
pub(crate) fn run(args: &CreateArgs) -> Result<ExitCode, Stop> {
    if args.to != Destination::CloudflareGateway {
        return Err(Stop::Usage(format!(
            "create makes Cloudflare Gateway CAs (--to cloudflare-gateway); to put your own certificate into {}, use `certcheck upload`",
            args.to
        )));
    }
    if let Some(days) = args.validity_days
        && !GATEWAY_VALIDITY_DAYS.contains(&days)
    {
        return Err(Stop::Usage(format!(
            "--validity-days {days} is outside Cloudflare's range {}–{}",
            GATEWAY_VALIDITY_DAYS.start(),
            GATEWAY_VALIDITY_DAYS.end()
        )));
    }
    let account = args.account.as_deref().ok_or_else(|| {
        Stop::Usage(
            "--to cloudflare-gateway needs --account <ID> (or CLOUDFLARE_ACCOUNT_ID in the environment)".to_owned(),
        )
    })?;
    let collection = Collection::Gateway { account_id: identifier("--account", account)? };
    let target = Target::connect(Destination::CloudflareGateway, collection, RequestOptions::default(), &args.reach)?;
    let now = clock(args.common.now);
    let json = args.common.json;
    // The documented curl example sends no body for the default validity.
    let body = args
        .validity_days
        .map(|days| serde_json::to_string(&CreateGatewayCertificate { validity_period_days: Some(days) }))
        .transpose()
        .map_err(|e| Stop::Failed(format!("cannot encode the request: {e}")))?;
    let mut created = Created {
        report: None,
        outcome: Outcome::DryRun,
        collection: target.describe(),
        id: None,
        verified: None,
        response_diagnostics: Vec::new(),
        record: None,
        output: None,
        pem: None,
        error: None,
        failure: None,
        request: None,
    };
    let create = target.collection.create();
    if args.reach.dry_run {
        let request = build(&create, &target.shown_credentials(), body, &target.options);
        created.request = Some(target.shown(&request, None));
        return finish(&target, &created, json, None);
    }
    let request = build(&create, target.credentials()?, body, &target.options);
    let before: BTreeSet<String> = match target.list(false) {
        Ok(items) => items.iter().map(|i| i.id().to_owned()).collect(),
        Err(ListFailure::Refused(refusal)) => {
            let line = format!("not created: {}", refusal.line("list"));
            created.outcome = Outcome::Refused;
            created.error = Some(refusal);
            return finish(&target, &created, json, Some(&line));
        }
        Err(other) => return other.report(&target),
    };
    let (refusal, failure) = match target.http.send(&request, &format!("creating a CA in {}", target.describe())) {
        Ok(answer) if answer.success() => {
            let value = answer_record(&answer.body);
            let Ok(stored) = Stored::from_value(Destination::CloudflareGateway, value.clone()) else {
                created.outcome = Outcome::Created;
                created.id = record_id(&value);
                created.record = Some(value);
                created.verified = Some(false);
                let line = "Cloudflare answered, but not with the documented Gateway certificate".to_owned();
                created.failure = Some(line.clone());
                return finish(&target, &created, json, Some(&line));
            };
            created.outcome = Outcome::Created;
            created.record = Some(value);
            let checked = checked(&stored, Some(&answer.body), now);
            return write(args, &target, created, &stored, &checked);
        }
        Ok(answer) if !answer.outcome_unknown() => {
            let refusal = answer.refusal(&request, target.http.base_url());
            let line = refusal.line("create");
            created.outcome = Outcome::Refused;
            created.error = Some(refusal);
            return finish(&target, &created, json, Some(&line));
        }
        Ok(answer) => (Some(answer.refusal(&request, target.http.base_url())), None),
        Err(Failure::NotSent(reason)) => {
            created.outcome = Outcome::NotCreated;
            created.failure = Some(reason.clone());
            let line = format!("not created: {reason}; nothing reached Cloudflare");
            return finish(&target, &created, json, Some(&line));
        }
        Err(Failure::NoAnswer(reason)) => (None, Some(reason)),
    };
    let why = refusal.as_ref().map_or_else(
        || format!("the create got no answer ({})", failure.clone().unwrap_or_default()),
        |r| r.line("create"),
    );
    created.failure = failure;
    created.error = refusal;
    match target.list(false) {
        Ok(items) => {
            let new: Vec<&Stored> = items.iter().filter(|i| !before.contains(i.id())).collect();
            match new.as_slice() {
                [one] => {
                    created.outcome = Outcome::Landed;
                    created.record = Some(record(one));
                    let checked = checked(one, None, now);
                    target.out.note(&format!("{why}; listed again: the new CA {} landed", one.id()));
                    write(args, &target, created, one, &checked)
                }
                [] => {
                    created.outcome = Outcome::NotCreated;
                    let line = format!("{why}; listed again: no new CA, so none was created and running again is safe");
                    finish(&target, &created, json, Some(&line))
                }
                several => {
                    created.outcome = Outcome::Unknown;
                    let ids: Vec<&str> = several.iter().map(|s| s.id()).collect();
                    let line = format!(
                        "{why}; listed again: several new CAs appeared ({}), so which one is this run's is unknown",
                        ids.join(", ")
                    );
                    finish(&target, &created, json, Some(&line))
                }
            }
        }
        Err(_) => {
            created.outcome = Outcome::Unknown;
            let line = format!(
                "{why}, and listing again failed too: whether a CA was created is unknown; run `certcheck list` before creating again"
            );
            finish(&target, &created, json, Some(&line))
        }
    }
}

/// Writes the CA's PEM (to `-o`, into the JSON, or to stdout) and reports.
fn write<'a>(
    args: &'a CreateArgs,
    target: &Target,
    mut created: Created<'a>,
    stored: &Stored,
    checked: &'a Checked,
) -> Result<ExitCode, Stop> {
    created.report = Some(&checked.report);
    created.id = Some(stored.id().to_owned());
    if let Some(verification) = &checked.verification {
        created.verified = Some(certcheck_api::verified(verification));
        created.response_diagnostics = response_diagnostics(verification);
    } else {
        created.verified = Some(false);
    }
    let pem = checked.pem.clone().unwrap_or_default();
    match &args.output {
        Some(path) => {
            std::fs::write(path, &pem).map_err(|e| Stop::Failed(format!("cannot write {path}: {e}")))?;
            created.output = Some(path);
        }
        None if args.common.json => created.pem = Some(pem),
        None => target.out.print(&pem)?,
    }
    let ok = checked.report.verdict != Verdict::Error && created.verified == Some(true);
    let problem = match (checked.report.verdict == Verdict::Error, created.verified) {
        (true, _) => Some("the CA Cloudflare returned fails the Gateway check (see the report)".to_owned()),
        (false, Some(false)) => {
            Some("Cloudflare's record does not match the CA it returned (see the response diagnostics)".to_owned())
        }
        _ => None,
    };
    let code = finish(target, &created, args.common.json, problem.as_deref())?;
    Ok(if ok { code } else { ExitCode::from(1) })
}

fn finish(target: &Target, created: &Created<'_>, json: bool, problem: Option<&str>) -> Result<ExitCode, Stop> {
    let report = created.report;
    if json {
        target.out.json(created)?;
    } else {
        // The PEM went to stdout when no file was given: the summary goes to stderr then.
        let to_stderr = created.output.is_none() && matches!(created.outcome, Outcome::Created | Outcome::Landed);
        let style = style(to_stderr);
        let mut text = String::new();
        if let Some(report) = report {
            text.push_str(&human::diagnostics(&report.diagnostics, None, "the returned CA", style));
            text.push_str(&human::verdict(report, style));
        }
        let id = created.id.as_deref().unwrap_or("(no id)");
        match created.outcome {
            Outcome::DryRun => {
                text.push_str("Dry run: nothing was sent. A real run lists the Gateway CAs first (to recognise its CA if the answer is lost), then sends:\n\n");
                if let Some(request) = &created.request {
                    text.push_str(&request.text());
                }
            }
            Outcome::Created | Outcome::Landed => {
                let status = created
                    .record
                    .as_ref()
                    .and_then(|r| r.get("binding_status"))
                    .and_then(Value::as_str)
                    .unwrap_or("unknown");
                let _ = writeln!(text, "Created Gateway CA {id} in {} (binding_status {status}).", created.collection);
                if created.verified == Some(true) {
                    let fingerprint = report
                        .and_then(|r| r.certificates.first())
                        .map(|c| certcheck_api::spelling(Destination::CloudflareGateway, c))
                        .unwrap_or_default();
                    let _ = writeln!(text, "Verified: Cloudflare's record matches the CA it returned ({fingerprint}).");
                }
                match created.output {
                    Some(path) => {
                        let _ = writeln!(text, "Wrote the CA's PEM to {path}.");
                    }
                    None => text.push_str("The CA's PEM is on standard output.\n"),
                }
            }
            _ => {}
        }
        if to_stderr {
            eprint!("{}", target.out.scrub(&text));
        } else {
            target.out.print(&text)?;
        }
    }
    if let Some(problem) = problem {
        target.out.note(problem);
    }
    Ok(match created.outcome {
        Outcome::DryRun | Outcome::Created | Outcome::Landed => ExitCode::SUCCESS,
        Outcome::Refused => ExitCode::from(1),
        Outcome::NotCreated if created.error.is_some() => ExitCode::from(1),
        Outcome::NotCreated | Outcome::Unknown => ExitCode::from(2),
    })
}
