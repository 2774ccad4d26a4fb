//! `certcheck upload`: check locally, then list, then post at most once, then verify.
//!
//! 1. The input is checked for the destination; an error verdict prints the report exactly as
//!    `check` prints it and ends here (exit 1): nothing is sent.
//! 2. Only `normalized_pem` is posted (and, for an mTLS leaf, the key found in the input).
//! 3. The destination's list is read, every page; a record with the same certificate
//!    ([`find_stored`]) means "already present": nothing is posted (exit 0).
//! 4. Anthropic: a tunnel with two active certificates is refused here, naming them.
//! 5. One POST. Its answer is verified against the certificate ([`verify_response`]). When it
//!    gets no answer (reset, timeout, a gateway's 502/504), the list is read again to learn
//!    whether it landed. There is no second POST in any path.

use std::fmt::Write as _;
use std::process::ExitCode;

use certcheck::{Destination, Diagnostic, Options, Report, Verdict};
use certcheck_api::{
    Collection, CreateAccessCertificate, CreateTunnelCertificate, Listing, Stored, UploadMtlsCertificate, build,
    find_stored, tunnel_certificates, tunnel_has_room, verify_response,
};
use serde::Serialize;
use serde_json::Value;

use super::{
    answer_record, clock, destination, read_input, record, record_id, report_text, response_diagnostics, style,
    vendor_spelling, verified,
};
use crate::cli::UploadArgs;
use crate::http::Failure;
use crate::human;
use crate::output::{Refusal, ShownRequest, Stop, exit_status};
use crate::vendor::{Given, ListFailure, Target};

/// How an upload ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    /// `--dry-run`: the request is shown, nothing sent.
    DryRun,
    /// The input passes the check but cannot be sent as it is (an mTLS leaf without its key).
    Blocked,
    /// The destination already holds this certificate: nothing sent.
    AlreadyPresent,
    /// Anthropic: two active certificates already; nothing sent.
    TunnelFull,
    /// Posted, and the answer was read.
    Uploaded,
    /// The post got no answer, and the list shows it landed.
    Landed,
    /// The vendor refused (the list or the post).
    Refused,
    /// The post got no answer (or nothing was sent), and the list shows it is not there:
    /// running the same command again is safe.
    NotStored,
    /// The post got no answer and the list could not be read either.
    Unknown,
}

/// The `--json` object: the check report's fields, then the upload's.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    report: &'a Report,
    outcome: Outcome,
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
}

impl<'a> Summary<'a> {
    fn new(report: &'a Report, target: &Target, outcome: Outcome) -> Self {
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
        }
    }

    /// A record and its verification.
    fn verification(mut self, record: Value, verification: Option<&Report>) -> Self {
        self.id = record_id(&record);
        self.record = Some(record);
        if let Some(report) = verification {
            self.verified = Some(verified(report));
            self.response_diagnostics = response_diagnostics(report);
        }
        self
    }

    fn exit(&self) -> ExitCode {
        match self.outcome {
            Outcome::DryRun => ExitCode::SUCCESS,
            Outcome::AlreadyPresent | Outcome::Uploaded | Outcome::Landed => exit_status(self.verified == Some(true)),
            Outcome::Blocked | Outcome::TunnelFull | Outcome::Refused => ExitCode::from(1),
            Outcome::NotStored | Outcome::Unknown => ExitCode::from(2),
        }
    }
}

/// The JSON body to post, and the same with the private key redacted for `--dry-run`.
struct Body {
    json: String,
    shown: Option<String>,
}

fn to_json(value: &impl Serialize) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("cannot encode the request: {e}"))
}

/// The name an Access upload gets without `--name`: the certificate's common name, else its
/// whole subject (as the dashboard names it).
fn default_name(report: &Report) -> String {
    let Some(first) = report.certificates.first() else { return String::new() };
    certcheck_api::attribute_values(&first.subject, "CN").into_iter().next().unwrap_or_else(|| first.subject.clone())
}

/// The request body for `destination`; `Err` says why the input cannot be sent as it is.
fn body(
    destination: Destination,
    report: &Report,
    input: &[u8],
    pem: String,
    args: &UploadArgs,
) -> Result<Body, String> {
    let name = args.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    match destination {
        Destination::AnthropicTunnel => {
            Ok(Body { json: to_json(&CreateTunnelCertificate { ca_certificate_pem: pem })?, shown: None })
        }
        Destination::CloudflareAccess => {
            let name = name.unwrap_or_else(|| default_name(report));
            if name.is_empty() {
                return Err(
                    "Cloudflare Access needs a name and the certificate has no subject to take one from: give --name"
                        .to_owned(),
                );
            }
            let mut hostnames: Vec<String> = Vec::new();
            for hostname in args.hostnames.iter().map(|h| h.trim()).filter(|h| !h.is_empty()) {
                if !hostnames.iter().any(|h| h.eq_ignore_ascii_case(hostname)) {
                    hostnames.push(hostname.to_owned());
                }
            }
            let request = CreateAccessCertificate {
                certificate: pem,
                name,
                associated_hostnames: (!hostnames.is_empty()).then_some(hostnames),
            };
            Ok(Body { json: to_json(&request)?, shown: None })
        }
        Destination::CloudflareMtls { ca: true } => {
            let request = UploadMtlsCertificate { ca: true, certificates: pem, name, private_key: None };
            Ok(Body { json: to_json(&request)?, shown: None })
        }
        Destination::CloudflareMtls { ca: false } => {
            let index = report
                .private_keys
                .iter()
                .position(|k| k.matches_certificate == Some(0))
                .or_else(|| (!report.private_keys.is_empty()).then_some(0));
            let Some((index, key)) = index.and_then(|i| report.private_keys.get(i).map(|k| (i, k))) else {
                return Err("a leaf upload (--no-ca) needs the leaf's private key in the input: Cloudflare presents the certificate to your origin with it".to_owned());
            };
            if key.kind == "encrypted" {
                return Err("the private key is encrypted and Cloudflare needs it in clear: decrypt it (openssl pkey -in key.pem -out clear.pem) and append it to the certificates".to_owned());
            }
            let Some(private_key) = certcheck::private_key_pem(input, index) else {
                return Err(format!(
                    "the private key ({}) is not a PEM block certcheck can send: convert it to PEM (openssl pkey)",
                    key.kind
                ));
            };
            let mut request =
                UploadMtlsCertificate { ca: false, certificates: pem, name, private_key: Some(private_key) };
            let json = to_json(&request)?;
            request.private_key = Some(format!("<redacted: the {} private key from the input>", key.kind));
            Ok(Body { json, shown: Some(to_json(&request)?) })
        }
        _ => Err("this destination takes no upload".to_owned()),
    }
}

/// How the stored record differs from what `--name` and `--hostname` ask for (an upload that
/// finds its certificate already there sends nothing, so it changes neither).
fn differences(stored: &Stored, args: &UploadArgs) -> Vec<String> {
    let mut differences = Vec::new();
    if let Some(name) = args.name.as_deref().map(str::trim).filter(|n| !n.is_empty())
        && stored.name() != Some(name)
    {
        differences.push(format!(
            "{} is stored under the name {:?}, not {name:?}",
            stored.id(),
            stored.name().unwrap_or_default()
        ));
    }
    if let Stored::Access(record) = stored
        && !args.hostnames.is_empty()
    {
        let have: Vec<String> = record.associated_hostnames.iter().flatten().map(|h| h.to_ascii_lowercase()).collect();
        let missing: Vec<&str> =
            args.hostnames.iter().map(|h| h.trim()).filter(|h| !have.contains(&h.to_ascii_lowercase())).collect();
        if !missing.is_empty() {
            differences.push(format!(
                "{} is not associated with {} (it has: {})",
                stored.id(),
                missing.join(", "),
                if have.is_empty() { "none".to_owned() } else { have.join(", ") }
            ));
        }
    }
    differences
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
    if report.verdict == Verdict::Error {
        target.out.print(&report_text(json, &report, &input, &args.input, now, false)?)?;
        target.out.note("not uploaded: the check found errors (nothing was sent)");
        return Ok(ExitCode::from(1));
    }
    let Some(pem) = report.normalized_pem.clone() else {
        target.out.print(&report_text(json, &report, &input, &args.input, now, false)?)?;
        target.out.note("not uploaded: the input holds no certificate to send (nothing was sent)");
        return Ok(ExitCode::from(1));
    };
    let upload = Upload { args, target: &target, report: &report, input: &input, json };
    let body = match body(destination, &report, &input, pem.clone(), args) {
        Ok(body) => body,
        Err(reason) => {
            let mut result = Summary::new(&report, &target, Outcome::Blocked);
            result.failure = Some(reason.clone());
            return upload.finish(&result, Some(&format!("not uploaded: {reason} (nothing was sent)")));
        }
    };
    let create = target.collection.create();
    if args.reach.dry_run {
        let request = build(&create, &target.shown_credentials(), Some(body.json.clone()), &target.options);
        let mut result = Summary::new(&report, &target, Outcome::DryRun);
        result.request = Some(target.shown(&request, body.shown));
        return upload.finish(&result, None);
    }
    let request = build(&create, target.credentials()?, Some(body.json), &target.options);

    let items = match target.list(false) {
        Ok(items) => items,
        Err(ListFailure::Refused(refusal)) => {
            let line = refusal.line("list");
            let mut result = Summary::new(&report, &target, Outcome::Refused);
            result.error = Some(refusal);
            return upload.finish(&result, Some(&format!("not uploaded: {line}")));
        }
        Err(other) => return other.report(&target),
    };
    if let Some((item, verification)) = find_stored(destination, &items, pem.as_bytes(), now) {
        let mut result =
            Summary::new(&report, &target, Outcome::AlreadyPresent).verification(record(item), Some(&verification));
        result.already_present = true;
        for difference in differences(item, args) {
            target.out.note(&format!("{difference}; certcheck does not change a stored certificate"));
        }
        return upload.finish(&result, None);
    }
    if let Collection::Tunnel { tunnel_id, .. } = &target.collection
        && let Err(active) = tunnel_has_room(tunnel_certificates(&items))
    {
        let mut result = Summary::new(&report, &target, Outcome::TunnelFull);
        result.active = active.iter().map(|c| serde_json::to_value(c).unwrap_or(Value::Null)).collect();
        let named: Vec<String> = active
            .iter()
            .map(|c| format!("{} (expires {})", c.id, c.expires_at.as_deref().unwrap_or("never")))
            .collect();
        let oldest = active
            .iter()
            .min_by_key(|c| certcheck::UnixTime::parse_rfc3339(&c.created_at).map_or(i64::MAX, |t| t.0))
            .map_or("<ID>", |c| c.id.as_str());
        let line = format!(
            "not uploaded: tunnel {tunnel_id} already has two active certificates, Anthropic's limit: {}. Archive one first (certcheck remove --to anthropic-tunnel --tunnel {tunnel_id} --id {oldest}); nothing was sent",
            named.join(", ")
        );
        return upload.finish(&result, Some(&line));
    }

    let sent = target.http.send(&request, &format!("uploading to {}", target.describe()));
    let base_url = target.http.base_url();
    let (refusal, failure) = match sent {
        Ok(answer) if answer.success() => {
            let record = answer_record(&answer.body);
            let mut result = match verify_response(destination, &answer.body, Some(pem.as_bytes()), now) {
                Ok(verification) => {
                    Summary::new(&report, &target, Outcome::Uploaded).verification(record, Some(&verification))
                }
                Err(error) => {
                    let mut result = Summary::new(&report, &target, Outcome::Uploaded).verification(record, None);
                    result.verified = Some(false);
                    result.failure = Some(format!("the answer could not be verified: {error}"));
                    result
                }
            };
            result.sent = true;
            return upload.finish(&result, None);
        }
        Ok(answer) if !answer.outcome_unknown() => {
            let refusal = answer.refusal(&request, base_url);
            let line = refusal.line("upload");
            let mut result = Summary::new(&report, &target, Outcome::Refused);
            result.sent = true;
            result.error = Some(refusal);
            return upload.finish(&result, Some(&line));
        }
        Ok(answer) => (Some(answer.refusal(&request, base_url)), None),
        Err(Failure::NotSent(reason)) => {
            let mut result = Summary::new(&report, &target, Outcome::NotStored);
            result.failure = Some(reason.clone());
            let line = format!(
                "not uploaded: {reason}; nothing reached the vendor, so running the same command again is safe"
            );
            return upload.finish(&result, Some(&line));
        }
        Err(Failure::NoAnswer(reason)) => (None, Some(reason)),
    };

    // No usable answer: did it land? Read the list again; never post again.
    let why = match (&refusal, &failure) {
        (Some(refusal), _) => refusal.line("upload"),
        (None, Some(reason)) => format!("the upload got no answer ({reason})"),
        (None, None) => String::new(),
    };
    let mut result = match target.list(false) {
        Ok(items) => match find_stored(destination, &items, pem.as_bytes(), now) {
            Some((item, verification)) => {
                Summary::new(&report, &target, Outcome::Landed).verification(record(item), Some(&verification))
            }
            None => {
                let outcome = if refusal.is_some() { Outcome::Refused } else { Outcome::NotStored };
                Summary::new(&report, &target, outcome)
            }
        },
        Err(second) => {
            let mut result = Summary::new(&report, &target, Outcome::Unknown);
            let reason = match second {
                ListFailure::Refused(r) => r.line("list"),
                ListFailure::Network(f) => f.reason().to_owned(),
                ListFailure::Shape(s) => s,
            };
            result.failure =
                Some(format!("{} Listing again failed too: {reason}", failure.clone().unwrap_or_default()));
            result
        }
    };
    result.sent = true;
    if result.failure.is_none() {
        result.failure = failure;
    }
    result.error = refusal;
    let line = match result.outcome {
        Outcome::Landed => None,
        Outcome::Unknown => Some(format!(
            "{why}, and listing {} failed too: whether it landed is unknown. Run `certcheck list` before running the upload again",
            target.describe()
        )),
        _ => Some(format!(
            "{why}; listed {} again: it does not hold the certificate, so it was not stored and running the same command again is safe",
            target.describe()
        )),
    };
    upload.finish(&result, line.as_deref())
}

/// What finishing an upload needs.
struct Upload<'a> {
    args: &'a UploadArgs,
    target: &'a Target,
    report: &'a Report,
    input: &'a [u8],
    json: bool,
}

impl Upload<'_> {
    /// Prints the result (JSON or text on stdout; `problem` on stderr) and returns its exit status.
    fn finish(&self, result: &Summary<'_>, problem: Option<&str>) -> Result<ExitCode, Stop> {
        if self.json {
            self.target.out.json(result)?;
        } else {
            self.target.out.print(&self.text(result))?;
        }
        if let Some(problem) = problem {
            self.target.out.note(problem);
        } else if result.verified == Some(false) {
            self.target.out.note("the vendor's record does not match the certificate (see the response diagnostics)");
        }
        Ok(result.exit())
    }

    /// The human format: the check's diagnostics and verdict, then what happened.
    fn text(&self, result: &Summary<'_>) -> String {
        let style = style(false);
        let name = super::shown_name(&self.args.input);
        let mut out =
            human::diagnostics(&self.report.diagnostics, certcheck::decoded_text(self.input).as_deref(), name, style);
        out.push_str(&human::verdict(self.report, style));
        let spelling = self.report.certificates.first().map(|c| vendor_spelling(self.target.destination, c));
        let id = result.id.as_deref().unwrap_or("(no id)");
        let collection = &result.collection;
        match result.outcome {
            Outcome::DryRun => {
                let list = Listing::new(
                    self.target.collection.clone(),
                    self.target.shown_credentials(),
                    self.target.options.clone(),
                )
                .next_request()
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
            Outcome::AlreadyPresent => {
                let _ = writeln!(out, "Already present: {id} in {collection} is this certificate; nothing was sent.");
            }
            Outcome::Uploaded => {
                let _ = writeln!(out, "Uploaded to {collection}: {id}");
            }
            Outcome::Landed => {
                let reason = result
                    .failure
                    .as_deref()
                    .map_or_else(|| result.error.as_ref().map(|e| e.line("upload")).unwrap_or_default(), str::to_owned);
                let _ = writeln!(
                    out,
                    "The upload got no usable answer ({reason}); listed {collection} again: it landed as {id}."
                );
            }
            Outcome::Blocked | Outcome::TunnelFull | Outcome::Refused | Outcome::NotStored | Outcome::Unknown => {}
        }
        if matches!(result.outcome, Outcome::AlreadyPresent | Outcome::Uploaded | Outcome::Landed) {
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
