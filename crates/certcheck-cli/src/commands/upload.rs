//! `certcheck upload`: check locally, then drive certcheck-api's upload plan ([`Upload`]): it
//! lists first, stops when the certificate is already there or the tunnel is full, posts at most
//! once, verifies the answer, and settles a lost answer by listing again. This module sends what
//! the plan asks for and prints how it ended; it builds no request body and decides nothing.
//!
//! An error verdict prints the report exactly as `check` prints it and ends here (exit 1):
//! nothing is sent. Only `normalized_pem` is posted (and, for an mTLS leaf, the key found in the
//! input that belongs to the leaf).

use std::fmt::Write as _;
use std::process::ExitCode;

use certcheck::{Destination, Diagnostic, Options, Report};
use certcheck_api::{
    Blocked, Difference, Fields, LeafKey, ListError, ListProblem, Lost, Outcome, Reply, Request, Stage, Upload,
    UploadBody,
};
use serde::Serialize;
use serde_json::Value;

use super::{
    answer_record, clock, destination, read_input, record, record_id, report_text, response_diagnostics, style,
};
use crate::cli::UploadArgs;
use crate::http::{Answer, Failure};
use crate::human;
use crate::output::{Refusal, ShownRequest, Stop, exit_status};
use crate::vendor::{Given, Target};

/// The `--json` object: the check report's fields, then the upload's.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    report: &'a Report,
    /// [`Outcome::name`], or `dry_run`, `blocked`.
    outcome: &'static str,
    already_present: bool,
    /// Whether the create request was sent.
    sent: bool,
    /// What was listed and posted to.
    collection: String,
    id: Option<String>,
    verified: Option<bool>,
    response_diagnostics: Vec<Diagnostic>,
    record: Option<Value>,
    error: Option<Refusal>,
    failure: Option<String>,
    /// Anthropic's active certificates when the tunnel is full.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    active: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<ShownRequest>,
    /// The exit status; `None`: 0 when verified, else 1.
    #[serde(skip)]
    exit: Option<u8>,
}

impl<'a> Summary<'a> {
    fn new(report: &'a Report, target: &Target, outcome: &'static str, exit: Option<u8>) -> Self {
        Self {
            report,
            outcome,
            already_present: false,
            sent: false,
            collection: target.describe(),
            id: None,
            verified: None,
            response_diagnostics: Vec::new(),
            record: None,
            error: None,
            failure: None,
            active: Vec::new(),
            request: None,
            exit,
        }
    }

    /// How the plan ended, with its record and verification.
    fn of(report: &'a Report, target: &Target, outcome: &Outcome) -> Self {
        let exit = match outcome {
            Outcome::AlreadyPresent { .. } | Outcome::Uploaded { .. } | Outcome::Landed { .. } => None,
            Outcome::TunnelFull { .. } | Outcome::Refused { .. } => Some(1),
            _ => Some(2),
        };
        let mut summary = Self::new(report, target, outcome.name(), exit);
        summary.sent = outcome.posted();
        summary.already_present = matches!(outcome, Outcome::AlreadyPresent { .. });
        summary.record = match outcome {
            Outcome::AlreadyPresent { record: stored, .. } | Outcome::Landed { record: stored, .. } => {
                Some(record(stored))
            }
            Outcome::Uploaded { answer, .. } => Some(answer_record(answer)),
            _ => None,
        };
        summary.id = summary.record.as_ref().and_then(record_id);
        summary.verified = outcome.verified();
        summary.response_diagnostics = outcome.verification().map(response_diagnostics).unwrap_or_default();
        if let Outcome::Uploaded { verification: Err(error), .. } = outcome {
            summary.failure = Some(format!("the answer could not be verified: {error}"));
        }
        summary
    }

    fn exit(&self) -> ExitCode {
        self.exit.map_or_else(|| exit_status(self.verified == Some(true)), ExitCode::from)
    }
}

/// The words for why nothing may be sent as given.
fn blocked(reason: &Blocked) -> String {
    match reason {
        Blocked::NoName => {
            "Cloudflare Access needs a name and the certificate has no subject to take one from: give --name".to_owned()
        }
        Blocked::NoPrivateKey => "a leaf upload (--no-ca) needs the leaf's private key in the input: Cloudflare presents the certificate to your origin with it".to_owned(),
        Blocked::KeyEncrypted => "the private key is encrypted and Cloudflare needs it in clear: decrypt it (openssl pkey -in key.pem -out clear.pem) and append it to the certificates".to_owned(),
        Blocked::KeyNotPem { kind } => {
            format!("the private key ({kind}) is not a PEM block certcheck can send: convert it to PEM (openssl pkey)")
        }
        Blocked::KeyNotConsented => "the private key may not be sent".to_owned(),
        Blocked::Errors(_) => "the check found errors".to_owned(),
        Blocked::NoCertificate => "the input holds no certificate to send".to_owned(),
        _ => "this destination takes no upload".to_owned(),
    }
}

/// A difference between the stored record and what `--name` and `--hostname` ask for, in words.
fn difference(id: &str, difference: &Difference) -> String {
    match difference {
        Difference::Name { stored, asked } => format!("{id} is stored under the name {stored:?}, not {asked:?}"),
        Difference::Hostnames { missing, stored } => format!(
            "{id} is not associated with {} (it has: {})",
            missing.join(", "),
            if stored.is_empty() { "none".to_owned() } else { stored.join(", ") }
        ),
    }
}

/// `certcheck upload`.
pub(crate) fn run(args: &UploadArgs, given: Given<'_>) -> Result<ExitCode, Stop> {
    let destination = destination(args.to, args.ca)?;
    match destination {
        Destination::CloudflareGateway => {
            return Err(Stop::Usage(
                "Gateway CAs are generated by Cloudflare, not uploaded: use `certcheck create --to cloudflare-gateway --account <ID>`".to_owned(),
            ));
        }
        Destination::AnthropicTunnel if args.name.is_some() => {
            return Err(Stop::Usage(
                "--name applies to cloudflare-access and cloudflare-mtls (tunnel certificates have no name)".to_owned(),
            ));
        }
        Destination::CloudflareAccess => {}
        _ if !args.hostnames.is_empty() => {
            return Err(Stop::Usage("--hostname applies to cloudflare-access".to_owned()));
        }
        _ => {}
    }
    let target = Target::new(destination, &args.place, &args.reach, given)?;
    let input = read_input(&args.input)?;
    let now = clock(args.common.now);
    let json = args.common.json;
    let report = certcheck::check(&input, &Options::new(Some(destination), now));
    let upload = Finish { args, target: &target, report: &report, input: &input, json };
    // Running `upload --no-ca` with the key in the input is the consent to send it.
    let fields = Fields {
        name: args.name.clone().unwrap_or_default(),
        hostnames: args.hostnames.clone(),
        key: LeafKey::FromInput,
        send_key: true,
    };
    let body = match UploadBody::new(destination, &report, &input, &fields) {
        Ok(body) => body,
        Err(reason @ (Blocked::Errors(_) | Blocked::NoCertificate)) => {
            target.out.print(&report_text(json, &report, &input, &args.input, now, false)?)?;
            target.out.note(&format!("not uploaded: {} (nothing was sent)", blocked(&reason)));
            return Ok(ExitCode::from(1));
        }
        Err(reason) => {
            let reason = blocked(&reason);
            let mut result = Summary::new(&report, &target, "blocked", Some(1));
            result.failure = Some(reason.clone());
            return upload.finish(&result, None, Some(&format!("not uploaded: {reason} (nothing was sent)")));
        }
    };
    if args.reach.dry_run {
        let plan =
            Upload::new(target.collection.clone(), target.shown_credentials(), target.options.clone(), body, now);
        let mut result = Summary::new(&report, &target, "dry_run", Some(0));
        let shown = plan.body();
        let shown = (shown.shown() != shown.json()).then(|| shown.shown().to_owned());
        result.request = Some(target.shown(&plan.post(), shown));
        return upload.finish(&result, Some(&plan), None);
    }
    let mut plan =
        Upload::new(target.collection.clone(), target.credentials()?.clone(), target.options.clone(), body, now);
    let sent = drive(&mut plan, &target);
    let Some(outcome) = plan.outcome() else { return Err(Stop::Failed("the upload did not end".to_owned())) };
    let describe = target.describe();
    let base_url = target.http.base_url();
    let refusal = |exchange: &Option<(Request, Answer)>| exchange.as_ref().map(|(r, a)| a.refusal(r, base_url));
    let mut result = Summary::of(&report, &target, outcome);
    let line = match outcome {
        Outcome::AlreadyPresent { record: stored, differences, .. } => {
            for found in differences {
                let line = difference(stored.id(), found);
                target.out.note(&format!("{line}; certcheck does not change a stored certificate"));
            }
            None
        }
        Outcome::TunnelFull { active } => {
            result.active = active.iter().map(|c| serde_json::to_value(c).unwrap_or(Value::Null)).collect();
            let named: Vec<String> = active
                .iter()
                .map(|c| format!("{} (expires {})", c.id, c.expires_at.as_deref().unwrap_or("never")))
                .collect();
            let oldest = active
                .iter()
                .min_by_key(|c| certcheck::UnixTime::parse_rfc3339(&c.created_at).map_or(i64::MAX, |t| t.0))
                .map_or("<ID>", |c| c.id.as_str());
            let tunnel_id = match &target.collection {
                certcheck_api::Collection::Tunnel { tunnel_id, .. } => tunnel_id.as_str(),
                _ => "",
            };
            Some(format!(
                "not uploaded: tunnel {tunnel_id} already has two active certificates, Anthropic's limit: {}. Archive one first (certcheck remove --to anthropic-tunnel --tunnel {tunnel_id} --id {oldest}); nothing was sent",
                named.join(", ")
            ))
        }
        Outcome::Uploaded { .. } => None,
        Outcome::Refused { posted: false, .. } => {
            let refused = refusal(&sent.list);
            let line = refused.as_ref().map(|r| r.line("list")).unwrap_or_default();
            result.error = refused;
            Some(format!("not uploaded: {line}"))
        }
        Outcome::NotListed(problem) => return Err(Stop::Failed(format!("cannot list {describe}: {problem}"))),
        Outcome::NotStored { lost: Lost::NotSent(reason) } => {
            result.failure = Some(reason.clone());
            Some(format!(
                "not uploaded: {reason}; nothing reached the vendor, so running the same command again is safe"
            ))
        }
        Outcome::Refused { posted: true, .. }
        | Outcome::Landed { .. }
        | Outcome::NotStored { .. }
        | Outcome::Unknown { .. } => {
            // The post's answer: a refusal, or one that may hide an action (settled by listing).
            let lost = match outcome {
                Outcome::Landed { lost, .. } | Outcome::NotStored { lost } | Outcome::Unknown { lost, .. } => {
                    Some(lost)
                }
                _ => None,
            };
            let error = refusal(&sent.post);
            let (why, failure) = match lost {
                Some(Lost::NoAnswer(reason)) => (format!("the upload got no answer ({reason})"), Some(reason.clone())),
                _ => (error.as_ref().map(|r| r.line("upload")).unwrap_or_default(), None),
            };
            result.error = error;
            match outcome {
                Outcome::Refused { .. } if lost.is_none() && sent.settled == 0 => Some(why),
                Outcome::Landed { .. } => {
                    result.failure = failure;
                    None
                }
                Outcome::Unknown { list, .. } => {
                    let reason = match list {
                        ListProblem::List(ListError::Vendor(_)) => {
                            refusal(&sent.list).map(|r| r.line("list")).unwrap_or_default()
                        }
                        other => other.to_string(),
                    };
                    result.failure =
                        Some(format!("{} Listing again failed too: {reason}", failure.unwrap_or_default()));
                    Some(format!(
                        "{why}, and listing {describe} failed too: whether it landed is unknown. Run `certcheck list` before running the upload again"
                    ))
                }
                _ => {
                    result.failure = failure;
                    Some(format!(
                        "{why}; listed {describe} again: it does not hold the certificate, so it was not stored and running the same command again is safe"
                    ))
                }
            }
        }
    };
    upload.finish(&result, None, line.as_deref())
}

/// The last exchanges of a run, for rendering a refusal with its headers.
#[derive(Default)]
struct Sent {
    /// The last page of a list asked for, and its answer.
    list: Option<(Request, Answer)>,
    /// The post and its answer.
    post: Option<(Request, Answer)>,
    /// Pages read again after the post.
    settled: usize,
}

/// Sends every request the plan asks for, and hands it what came of each.
fn drive(plan: &mut Upload, target: &Target) -> Sent {
    let mut sent = Sent::default();
    let mut page = 0;
    while let (Some(request), Some(stage)) = (plan.next_request(), plan.stage()) {
        let doing = match stage {
            Stage::Posting => {
                page = 0;
                format!("uploading to {}", target.describe())
            }
            Stage::Listing | Stage::Settling => {
                page += 1;
                if stage == Stage::Settling {
                    sent.settled += 1;
                }
                format!("listing {} (page {page})", target.describe())
            }
        };
        match target.http.send(&request, &doing) {
            Ok(answer) => {
                plan.accept(Reply::Answer { status: answer.status, body: &answer.body });
                if stage == Stage::Posting {
                    sent.post = Some((request, answer));
                } else {
                    sent.list = Some((request, answer));
                }
            }
            Err(Failure::NotSent(reason)) => plan.accept(Reply::NotSent(&reason)),
            Err(Failure::NoAnswer(reason)) => plan.accept(Reply::NoAnswer(&reason)),
        }
    }
    sent
}

/// What finishing an upload needs.
struct Finish<'a> {
    args: &'a UploadArgs,
    target: &'a Target,
    report: &'a Report,
    input: &'a [u8],
    json: bool,
}

impl Finish<'_> {
    /// Prints the result (JSON or text on stdout; `problem` on stderr) and returns its exit status.
    fn finish(&self, result: &Summary<'_>, dry_run: Option<&Upload>, problem: Option<&str>) -> Result<ExitCode, Stop> {
        if self.json {
            self.target.out.json(result)?;
        } else {
            self.target.out.print(&self.text(result, dry_run))?;
        }
        if let Some(problem) = problem {
            self.target.out.note(problem);
        } else if result.verified == Some(false) {
            self.target.out.note("the vendor's record does not match the certificate (see the response diagnostics)");
        }
        Ok(result.exit())
    }

    /// The human format: the check's diagnostics and verdict, then what happened.
    fn text(&self, result: &Summary<'_>, dry_run: Option<&Upload>) -> String {
        let style = style(false);
        let name = super::shown_name(&self.args.input);
        let mut out =
            human::diagnostics(&self.report.diagnostics, certcheck::decoded_text(self.input).as_deref(), name, style);
        out.push_str(&human::verdict(self.report, style));
        let spelling = self.report.certificates.first().map(|c| certcheck_api::spelling(self.target.destination, c));
        let id = result.id.as_deref().unwrap_or("(no id)");
        let collection = &result.collection;
        if let Some(plan) = dry_run {
            let list = plan
                .first_list_request()
                .map(|r| format!(" with GET {}{}", self.target.http.base_url(), r.path_and_query))
                .unwrap_or_default();
            let _ = write!(
                out,
                "\nDry run: nothing was sent. A real run first lists {collection}{list}, stops if the certificate is already there, and otherwise sends:\n\n"
            );
            if let Some(request) = &result.request {
                out.push_str(&request.text());
            }
        }
        match result.outcome {
            "already_present" => {
                let _ = writeln!(out, "Already present: {id} in {collection} is this certificate; nothing was sent.");
            }
            "uploaded" => {
                let _ = writeln!(out, "Uploaded to {collection}: {id}");
            }
            "landed" => {
                let reason = result
                    .failure
                    .as_deref()
                    .map_or_else(|| result.error.as_ref().map(|e| e.line("upload")).unwrap_or_default(), str::to_owned);
                let _ = writeln!(
                    out,
                    "The upload got no usable answer ({reason}); listed {collection} again: it landed as {id}."
                );
            }
            _ => {}
        }
        if matches!(result.outcome, "already_present" | "uploaded" | "landed") {
            match result.verified {
                Some(true) => {
                    let fingerprint = spelling.unwrap_or_default();
                    let _ = writeln!(out, "Verified: the vendor's record matches the certificate ({fingerprint}).");
                }
                _ => {
                    out.push_str("Not verified: the vendor's record differs from the certificate:\n");
                    out.push_str(&human::diagnostics(&result.response_diagnostics, None, name, style));
                    if let Some(failure) = &result.failure {
                        let _ = writeln!(out, "{failure}");
                    }
                }
            }
        }
        out
    }
}
