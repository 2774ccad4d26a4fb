//! `certcheck list`: every certificate a destination holds, one line (or JSON object) each, with
//! its fingerprint in the vendor's spelling, expiry and days left, state, and whether the
//! vendor's record agrees with the PEM it returns (Gateway, mTLS). A monitor: with
//! `--expiring-within DAYS` it exits 1 when a certificate that is not archived expires within
//! DAYS days, naming them.

use std::fmt::Write as _;
use std::process::ExitCode;

use certcheck::{Diagnostic, UnixTime};
use certcheck_api::model::{Envelope, MtlsAssociation};
use certcheck_api::{Collection, Endpoint, Family, Listing, Record, Stored, build};
use serde::Serialize;
use serde_json::Value;

use super::clock;
use crate::cli::ListArgs;
use crate::output::{Refusal, Stop, exit_status};
use crate::vendor::{Given, ListFailure, Target};

/// One certificate as `list` shows it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    /// From the PEM the vendor returns (Gateway, mTLS); `null` where it returns none.
    pub(crate) subject: Option<String>,
    pub(crate) issuer: Option<String>,
    /// As the vendor spells it (mTLS shows none: SHA-256 computed from its PEM, colon form).
    pub(crate) fingerprint: Option<String>,
    /// SHA-256, lowercase hex, when known (Access stores only MD5 and no PEM).
    pub(crate) sha256: Option<String>,
    pub(crate) not_after: Option<String>,
    pub(crate) days_left: Option<i64>,
    pub(crate) state: String,
    pub(crate) archived: bool,
    /// mTLS: the services using it (`null` when they could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) associations: Option<Vec<MtlsAssociation>>,
    /// Whether the record agrees with its own PEM (`null`: the vendor returns no PEM).
    pub(crate) verified: Option<bool>,
    pub(crate) response_diagnostics: Vec<Diagnostic>,
    pub(crate) expiring: bool,
    /// The vendor's record, as documented.
    pub(crate) record: Value,
    /// For the caller (remove): the first certificate's digests, when the PEM is known.
    #[serde(skip)]
    pub(crate) digests: Option<certcheck::FingerprintHex>,
    /// certcheck-api's view of the record.
    #[serde(skip)]
    pub(crate) view: Record,
}

impl Row {
    /// A stored record as certcheck-api's [`Record`] reads it (its PEM inspected and verified
    /// where the vendor returns one; the expiry by the record's one rule).
    pub(crate) fn new(item: &Stored, now: UnixTime) -> Self {
        let record = Record::new(Family::of(item.destination()), item, None, now);
        let first = record.certificate.as_ref();
        let sha256 = match (first, item.fingerprint()) {
            (Some(c), _) => Some(c.fingerprints.sha256()),
            (None, Some(vendor)) => certcheck::parse_fingerprint(vendor)
                .ok()
                .filter(|p| p.algorithm == certcheck::Algorithm::Sha256)
                .map(|p| certcheck::hex(&p.bytes)),
            (None, None) => None,
        };
        Self {
            id: record.id.clone(),
            name: item.name().map(str::to_owned),
            subject: first.map(|c| c.subject.clone()),
            issuer: first.map(|c| c.issuer.clone()),
            fingerprint: record.fingerprint.clone(),
            sha256,
            not_after: record.not_after.map(UnixTime::to_rfc3339),
            days_left: record.not_after.map(|t| now.days_until(t)),
            state: record.state.clone(),
            archived: record.archived,
            associations: None,
            verified: record.verified,
            response_diagnostics: record.response_diagnostics.clone(),
            expiring: false,
            record: super::record(item),
            digests: first.map(|c| c.fingerprints),
            view: record,
        }
    }

    /// Marks it expiring when it is not archived and expires within `days` days of `now`.
    fn expiring_within(&mut self, days: u32, now: UnixTime) {
        self.expiring = self.view.expiring_within(now, days);
    }
}

/// Reads the services using an mTLS certificate; `Err` says why they are unknown.
pub(crate) fn associations(target: &Target, certificate_id: &str) -> Result<Vec<MtlsAssociation>, String> {
    let Collection::Mtls { account_id } = &target.collection else { return Ok(Vec::new()) };
    let credentials = target.credentials().map_err(|_| "no credentials".to_owned())?;
    let endpoint = Endpoint::MtlsCertificateAssociations {
        account_id: account_id.clone(),
        certificate_id: certificate_id.to_owned(),
    };
    let request = build(&endpoint, credentials, None, &target.options);
    let answer = target
        .http
        .send(&request, &format!("reading the associations of {certificate_id}"))
        .map_err(|f| f.reason().to_owned())?;
    if !answer.success() {
        return Err(answer.refusal(&request, target.http.base_url()).line("associations"));
    }
    let envelope: Envelope<Vec<MtlsAssociation>> = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("the associations are not the documented list: {e}"))?;
    Ok(envelope.result.unwrap_or_default())
}

/// Rows for every item, with mTLS associations read.
pub(crate) fn rows(target: &Target, items: &[Stored], now: UnixTime) -> Vec<Row> {
    items
        .iter()
        .map(|item| {
            let mut row = Row::new(item, now);
            if matches!(item, Stored::Mtls(_)) {
                match associations(target, &row.id) {
                    Ok(list) => {
                        row.state = if list.is_empty() {
                            format!("{}, no associations", row.state)
                        } else {
                            let services: Vec<String> =
                                list.iter().map(|a| format!("{} ({})", a.service, a.status)).collect();
                            format!("{}, used by {}", row.state, services.join(", "))
                        };
                        row.associations = Some(list);
                    }
                    Err(reason) => {
                        target.out.note(&format!("the associations of {} are unknown: {reason}", row.id));
                        row.state = format!("{}, associations unknown", row.state);
                    }
                }
            }
            row
        })
        .collect()
}

#[derive(Serialize)]
struct Listed<'a> {
    destination: &'static str,
    collection: String,
    now: String,
    include_archived: bool,
    count: usize,
    certificates: &'a [Row],
    expiring_within_days: Option<u32>,
    /// Ids of the certificates that expire within the days given.
    expiring: Vec<&'a str>,
    /// Ids of the certificates whose record contradicts their PEM.
    unverified: Vec<&'a str>,
}

#[derive(Serialize)]
struct Refused<'a> {
    destination: &'static str,
    collection: String,
    error: &'a Refusal,
}

/// `certcheck list`.
pub(crate) fn run(args: &ListArgs, given: Given<'_>) -> Result<ExitCode, Stop> {
    let target = Target::new(args.to, &args.place, &args.reach, given)?;
    let now = clock(args.common.now);
    let json = args.common.json;
    if args.reach.dry_run {
        let mut options = target.options.clone();
        if args.include_archived {
            options.list.include_archived = Some(true);
        }
        let listing = Listing::new(target.collection.clone(), target.shown_credentials(), options);
        let shown = listing.next_request().map(|r| target.shown(&r, None));
        if json {
            target
                .out
                .json(&serde_json::json!({ "dry_run": true, "collection": target.describe(), "request": shown }))?;
        } else {
            let text = shown.map(|r| r.text()).unwrap_or_default();
            target.out.print(&format!(
                "Dry run: nothing was sent. A real run reads every page of {}, starting with:\n\n{text}",
                target.describe()
            ))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    target.credentials()?;
    let items = match target.list(args.include_archived) {
        Ok(items) => items,
        Err(ListFailure::Refused(refusal)) => {
            if json {
                target.out.json(&Refused {
                    destination: args.to.name(),
                    collection: target.describe(),
                    error: &refusal,
                })?;
            }
            target.out.note(&format!("cannot list {}: {}", target.describe(), refusal.line("list")));
            return Ok(ExitCode::from(1));
        }
        Err(other) => return other.report(&target),
    };
    let mut rows = rows(&target, &items, now);
    if let Some(days) = args.expiring_within {
        for row in &mut rows {
            row.expiring_within(days, now);
        }
    }
    let expiring: Vec<&Row> = rows.iter().filter(|r| r.expiring).collect();
    let unverified: Vec<&Row> = rows.iter().filter(|r| r.verified == Some(false)).collect();
    if json {
        target.out.json(&Listed {
            destination: args.to.name(),
            collection: target.describe(),
            now: now.to_rfc3339(),
            include_archived: args.include_archived,
            count: rows.len(),
            certificates: &rows,
            expiring_within_days: args.expiring_within,
            expiring: expiring.iter().map(|r| r.id.as_str()).collect(),
            unverified: unverified.iter().map(|r| r.id.as_str()).collect(),
        })?;
    } else {
        let mut text = table(&rows);
        let _ = writeln!(text, "{} certificate(s) in {}", rows.len(), target.describe());
        if let (Some(days), true) = (args.expiring_within, expiring.is_empty()) {
            let _ = writeln!(text, "None expires within {days} days.");
        }
        target.out.print(&text)?;
    }
    if let Some(days) = args.expiring_within
        && !expiring.is_empty()
    {
        let named: Vec<String> = expiring.iter().map(|r| describe_expiry(r)).collect();
        target.out.note(&format!("{} certificate(s) expire within {days} days: {}", expiring.len(), named.join("; ")));
    }
    if !unverified.is_empty() {
        let ids: Vec<&str> = unverified.iter().map(|r| r.id.as_str()).collect();
        target.out.note(&format!("the vendor's record contradicts its own PEM for: {}", ids.join(", ")));
    }
    Ok(exit_status(expiring.is_empty() && unverified.is_empty()))
}

/// `tcrt_… (CN=…, expires 2026-12-01T00:00:00Z, 4 days left)`.
fn describe_expiry(row: &Row) -> String {
    let mut parts = Vec::new();
    if let Some(name) = row.name.as_deref().or(row.subject.as_deref()) {
        parts.push(name.to_owned());
    }
    if let Some(after) = &row.not_after {
        parts.push(format!("expires {after}"));
    }
    match row.days_left {
        Some(days) if days < 0 => parts.push(format!("expired {} days ago", -days)),
        Some(days) => parts.push(format!("{days} days left")),
        None => {}
    }
    format!("{} ({})", row.id, parts.join(", "))
}

/// Aligned columns, one line per certificate; the fingerprint, the widest, last.
fn table(rows: &[Row]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let header = ["ID", "NAME", "SUBJECT", "NOT AFTER", "DAYS", "STATE", "VERIFIED", "FINGERPRINT"];
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                dash(&r.name),
                dash(&r.subject),
                dash(&r.not_after),
                r.days_left.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                r.state.clone(),
                match r.verified {
                    Some(true) => "yes".to_owned(),
                    Some(false) => "NO".to_owned(),
                    None => "-".to_owned(),
                },
                dash(&r.fingerprint),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index + 1 == cells.len() {
                out.push_str(cell);
            } else {
                let pad = width.saturating_sub(cell.chars().count());
                let _ = write!(out, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(&header.map(str::to_owned));
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}
