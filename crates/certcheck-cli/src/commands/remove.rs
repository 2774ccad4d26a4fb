//! `certcheck remove`: take one certificate out of service, found by id or by fingerprint (any
//! spelling). Anthropic archives (it has no delete); Cloudflare deletes. What the vendor would
//! refuse is refused first, with its reason, from what the list shows: an Access certificate
//! still associated with hostnames, an mTLS certificate a service uses, a Gateway CA that is not
//! inactive. A refusal the vendor makes anyway is shown with its code and request id.

use std::process::ExitCode;

use certcheck::{Algorithm, ParsedFingerprint, parse_fingerprint};
use certcheck_api::model::TunnelCertificate;
use certcheck_api::{Collection, Listing, Removal as Removable, Stored, build, removal};
use serde::Serialize;

use super::clock;
use super::list::{Row, associations};
use crate::cli::RemoveArgs;
use crate::http::Failure;
use crate::output::{Refusal, ShownRequest, Stop};
use crate::vendor::{Given, ListFailure, Target, identifier};

/// How a removal ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    DryRun,
    /// Anthropic: archived now.
    Archived,
    /// Cloudflare: deleted now.
    Deleted,
    /// Anthropic: it was archived already; nothing sent.
    AlreadyArchived,
    /// No certificate has that id or fingerprint.
    NotFound,
    /// Several certificates match the fingerprint: none removed.
    Ambiguous,
    /// certcheck (from the list) or the vendor refused.
    Refused,
    /// The request failed and the list shows the certificate still there: running again is safe.
    NotRemoved,
    /// The request failed and the list could not be read.
    Unknown,
}

/// What `remove` looks for.
enum Wanted {
    Id(String),
    Fingerprint(ParsedFingerprint),
}

/// The `--json` object.
#[derive(Serialize)]
struct Removal {
    destination: &'static str,
    collection: String,
    outcome: Outcome,
    removed: bool,
    id: Option<String>,
    certificate: Option<Row>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    matches: Vec<Row>,
    reason: Option<String>,
    error: Option<Refusal>,
    failure: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requests: Vec<ShownRequest>,
}

impl Removal {
    fn exit(&self) -> ExitCode {
        match self.outcome {
            Outcome::DryRun | Outcome::Archived | Outcome::Deleted | Outcome::AlreadyArchived => ExitCode::SUCCESS,
            Outcome::NotFound | Outcome::Ambiguous | Outcome::Refused => ExitCode::from(1),
            Outcome::NotRemoved if self.error.is_some() => ExitCode::from(1),
            Outcome::NotRemoved | Outcome::Unknown => ExitCode::from(2),
        }
    }
}

/// Whether a record is the certificate with this fingerprint: the vendor's own fingerprint, or
/// the digests of the first certificate of the PEM it returns.
fn fingerprint_matches(item: &Stored, row: &Row, wanted: &ParsedFingerprint) -> bool {
    if item.fingerprint().and_then(|f| parse_fingerprint(f).ok()).as_ref() == Some(wanted) {
        return true;
    }
    let Some(digests) = &row.digests else { return false };
    digests.digests().bytes(wanted.algorithm) == wanted.bytes.as_slice()
}

/// `certcheck remove`.
pub(crate) fn run(args: &RemoveArgs, given: Given<'_>) -> Result<ExitCode, Stop> {
    let target = Target::new(args.to, &args.place, &args.reach, given)?;
    let now = clock(args.common.now);
    let wanted = match (&args.id, &args.fingerprint) {
        (Some(id), _) => Wanted::Id(identifier("--id", id)?),
        (None, Some(text)) => Wanted::Fingerprint(
            parse_fingerprint(text)
                .map_err(|e| Stop::Usage(format!("--fingerprint {text:?} is not a fingerprint: {e}")))?,
        ),
        (None, None) => return Err(Stop::Usage("give --id or --fingerprint".to_owned())),
    };
    if let Wanted::Fingerprint(parsed) = &wanted {
        let only = match target.collection {
            Collection::Tunnel { .. } => {
                Some((Algorithm::Sha256, "Anthropic's records carry only the SHA-256 fingerprint"))
            }
            Collection::Access { .. } => {
                Some((Algorithm::Md5, "Cloudflare Access records carry only the MD5 fingerprint (`MD5 Fingerprint=…`)"))
            }
            _ => None,
        };
        if let Some((algorithm, why)) = only
            && parsed.algorithm != algorithm
        {
            return Err(Stop::Usage(format!(
                "{why} and no certificate: give that digest (`certcheck inspect FILE` shows every spelling)"
            )));
        }
    }
    let mut removal = Removal {
        destination: args.to.name(),
        collection: target.describe(),
        outcome: Outcome::DryRun,
        removed: false,
        id: None,
        certificate: None,
        matches: Vec::new(),
        reason: None,
        error: None,
        failure: None,
        requests: Vec::new(),
    };
    if args.reach.dry_run {
        let credentials = target.shown_credentials();
        let id = match &wanted {
            Wanted::Id(id) => id.clone(),
            Wanted::Fingerprint(_) => {
                let mut options = target.options.clone();
                options.list.include_archived = Some(true);
                let listing = Listing::new(target.collection.clone(), credentials.clone(), options);
                removal.requests.extend(listing.next_request().map(|r| target.shown(&r, None)));
                "{id}".to_owned()
            }
        };
        let request = build(&target.collection.remove(&id), &credentials, None, &target.options);
        removal.requests.push(target.shown(&request, None));
        removal.id = matches!(wanted, Wanted::Id(_)).then_some(id);
        return finish(&target, &removal, args.common.json, None);
    }
    let credentials = target.credentials()?.clone();
    let items = match target.list(true) {
        Ok(items) => items,
        Err(ListFailure::Refused(refusal)) => {
            let line = refusal.line("list");
            removal.outcome = Outcome::Refused;
            removal.error = Some(refusal);
            return finish(&target, &removal, args.common.json, Some(&format!("not removed: {line}")));
        }
        Err(other) => return other.report(&target),
    };
    let rows: Vec<(&Stored, Row)> = items.iter().map(|item| (item, Row::new(item, now))).collect();
    let mut found: Vec<&(&Stored, Row)> = rows
        .iter()
        .filter(|(item, row)| match &wanted {
            Wanted::Id(id) => item.id() == id,
            Wanted::Fingerprint(parsed) => fingerprint_matches(item, row, parsed),
        })
        .collect();
    // An archived copy of a certificate that is also active does not make the match ambiguous.
    if found.iter().any(|(item, _)| !item.archived()) {
        found.retain(|(item, _)| !item.archived());
    }
    let shown_wanted = match (&args.id, &args.fingerprint) {
        (Some(id), _) => format!("id {id}"),
        (_, Some(fingerprint)) => format!("fingerprint {fingerprint}"),
        _ => String::new(),
    };
    let (item, row) = match found.as_slice() {
        [] => {
            removal.outcome = Outcome::NotFound;
            let line = format!("no certificate with {shown_wanted} in {}; nothing was removed", target.describe());
            return finish(&target, &removal, args.common.json, Some(&line));
        }
        [one] => (one.0, one.1.clone()),
        several => {
            removal.outcome = Outcome::Ambiguous;
            removal.matches = several.iter().map(|(_, row)| row.clone()).collect();
            let ids: Vec<&str> = several.iter().map(|(item, _)| item.id()).collect();
            let line = format!(
                "{} certificates match {shown_wanted} in {} ({}): remove one by --id; nothing was removed",
                several.len(),
                target.describe(),
                ids.join(", ")
            );
            return finish(&target, &removal, args.common.json, Some(&line));
        }
    };
    let id = item.id().to_owned();
    removal.id = Some(id.clone());
    removal.certificate = Some(row);
    if item.archived() {
        removal.outcome = Outcome::AlreadyArchived;
        removal.removed = true;
        return finish(&target, &removal, args.common.json, None);
    }
    if let Some(reason) = refusal_reason(&target, item) {
        removal.outcome = Outcome::Refused;
        removal.reason = Some(reason.clone());
        return finish(&target, &removal, args.common.json, Some(&format!("not removed: {reason}")));
    }
    if let Stored::Tunnel(_) = item {
        let active = items.iter().filter(|i| !i.archived()).count();
        if active == 1 {
            target.out.note(&format!(
                "{id} is the tunnel's last active certificate: the tunnel rejects traffic until a new one is added"
            ));
        }
    }

    let request = build(&target.collection.remove(&id), &credentials, None, &target.options);
    let done =
        if matches!(target.collection, Collection::Tunnel { .. }) { Outcome::Archived } else { Outcome::Deleted };
    let (refusal, failure) = match target.http.send(&request, &format!("removing {id}")) {
        Ok(answer) if answer.success() => {
            if let Stored::Tunnel(_) = item {
                let archived =
                    serde_json::from_slice::<TunnelCertificate>(&answer.body).is_ok_and(|c| c.archived_at.is_some());
                if !archived {
                    removal.outcome = Outcome::Refused;
                    removal.reason =
                        Some("Anthropic answered, but its record of the certificate is not archived".to_owned());
                    return finish(&target, &removal, args.common.json, removal.reason.clone().as_deref());
                }
            }
            removal.outcome = done;
            removal.removed = true;
            return finish(&target, &removal, args.common.json, None);
        }
        Ok(answer) if !answer.outcome_unknown() => {
            let refusal = answer.refusal(&request, target.http.base_url());
            let line = refusal.line("removal");
            removal.outcome = Outcome::Refused;
            removal.error = Some(refusal);
            return finish(&target, &removal, args.common.json, Some(&line));
        }
        Ok(answer) => (Some(answer.refusal(&request, target.http.base_url())), None),
        Err(Failure::NotSent(reason)) => {
            removal.outcome = Outcome::NotRemoved;
            removal.failure = Some(reason.clone());
            let line = format!("not removed: {reason}; nothing reached the vendor");
            return finish(&target, &removal, args.common.json, Some(&line));
        }
        Err(Failure::NoAnswer(reason)) => (None, Some(reason)),
    };
    // No usable answer: is it gone (archived)? Read the list again.
    let why = refusal.as_ref().map_or_else(
        || format!("the removal got no answer ({})", failure.clone().unwrap_or_default()),
        |r| r.line("removal"),
    );
    removal.failure = failure;
    removal.error = refusal;
    let line = match target.list(true) {
        Ok(after) => match after.iter().find(|i| i.id() == id) {
            Some(still) if !still.archived() => {
                removal.outcome = Outcome::NotRemoved;
                Some(format!("{why}; listed again: {id} is still there, so running the same command again is safe"))
            }
            _ => {
                removal.outcome = done;
                removal.removed = true;
                None
            }
        },
        Err(_) => {
            removal.outcome = Outcome::Unknown;
            Some(format!("{why}, and listing again failed too: whether {id} was removed is unknown"))
        }
    };
    finish(&target, &removal, args.common.json, line.as_deref())
}

/// Why the vendor would refuse to remove `item` (certcheck-api's [`removal`], from what the list
/// and, for mTLS, the associations show), in words.
fn refusal_reason(target: &Target, item: &Stored) -> Option<String> {
    let id = item.id();
    let associations = match item {
        Stored::Mtls(_) => match associations(target, id) {
            Ok(list) => Some(list),
            Err(reason) => {
                target
                    .out
                    .note(&format!("the associations of {id} could not be read ({reason}); asking Cloudflare anyway"));
                None
            }
        },
        _ => None,
    };
    match removal(item, associations.as_deref()) {
        Removable::Allowed => None,
        Removable::Hostnames(hosts) => Some(format!(
            "Cloudflare refuses to delete an Access certificate still associated with hostnames ({}): remove them from {id} first (PUT associated_hostnames: [])",
            hosts.join(", ")
        )),
        Removable::InUse(list) => {
            let services: Vec<String> = list.iter().map(|a| format!("{} ({})", a.service, a.status)).collect();
            Some(format!(
                "{id} is in use by {}: Cloudflare refuses to delete an mTLS certificate a service uses; remove the association first",
                services.join(", ")
            ))
        }
        Removable::NotInactive { status, in_use } => {
            let in_use = if in_use { " and in use" } else { "" };
            Some(format!(
                "Gateway CA {id} is {status}{in_use}: Cloudflare deletes only inactive Gateway CAs; deactivate it first (POST …/gateway/certificates/{id}/deactivate) once nothing depends on it"
            ))
        }
    }
}

fn finish(target: &Target, removal: &Removal, json: bool, problem: Option<&str>) -> Result<ExitCode, Stop> {
    if json {
        target.out.json(removal)?;
    } else {
        let id = removal.id.as_deref().unwrap_or("(no id)");
        let collection = &removal.collection;
        let text = match removal.outcome {
            Outcome::DryRun => {
                let mut text = String::from("Dry run: nothing was sent. A real run sends:\n\n");
                for request in &removal.requests {
                    text.push_str(&request.text());
                    text.push('\n');
                }
                text
            }
            Outcome::Archived => format!("Archived {id} in {collection}.\n"),
            Outcome::Deleted => format!("Deleted {id} from {collection}.\n"),
            Outcome::AlreadyArchived => format!("Already archived: {id} in {collection}; nothing was sent.\n"),
            _ => String::new(),
        };
        target.out.print(&text)?;
    }
    if let Some(problem) = problem {
        target.out.note(problem);
    }
    Ok(removal.exit())
}
