//! The x509-limbo harness (README.md beside this file), shared by the native test
//! (crates/certcheck/tests/limbo.rs) and `cargo xtask corpus --limbo`: every case through
//! `verify_peer`, judged as the vendors' verifiers would, compared with limbo's `expected_result`.
//!
//! How a case becomes a `verify`:
//! - the presented input is the peer certificate followed by the untrusted intermediates; the CA
//!   input is the trusted certificates; `--now` is the case's validation time (limbo's null, "now",
//!   is [`DEFAULT_NOW`]: every such case is valid from 1970 to 2969);
//! - `expected_peer_name` (DNS, IP) is a `--host`, RFC822 names are `--email`;
//! - SERVER cases run as `anthropic-tunnel` and as a generic server (the same report with only
//!   the errors that are errors at Cloudflare Access too: no Anthropic-only rule such as
//!   `peer.not_direct`); CLIENT cases as `cloudflare-access` and `cloudflare-mtls`;
//! - a case's `max_chain_depth` (a setting of the verifier, not of the certificates) is the
//!   harness's: a path with more logical intermediates (self-issued ones not counted) is refused;
//! - a case that gives CRLs is skipped, as limbo's own harnesses skip a feature they do not
//!   implement: `verify` takes no CRL (revocation is the vendor's), so its verdict there would
//!   be about the certificates alone. Skipped cases are listed, never counted as agreeing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use certcheck::{Destination, InputKind, PeerOptions, PeerReport, Profile, Severity, UnixTime, verify_peer};
use serde_json::Value;

/// Limbo's "now" for cases without a validation time.
pub(crate) const DEFAULT_NOW: &str = "2026-12-06T00:00:00Z";

/// Why a case with CRLs is skipped.
pub(crate) const SKIPPED_CRL: &str =
    "the case gives CRLs: verify takes none (revocation is the vendor's), so it cannot judge the case";

/// How a case is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Judge {
    /// A SERVER case as Anthropic judges it.
    Anthropic,
    /// A SERVER case as a server without Anthropic's own rules.
    GenericServer,
    /// A CLIENT case at Cloudflare Access.
    Access,
    /// A CLIENT case at Cloudflare mTLS (a CA uploaded).
    Mtls,
}

impl Judge {
    /// The name exceptions.tsv and sample.tsv use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Anthropic => "anthropic-tunnel",
            Self::GenericServer => "server",
            Self::Access => "cloudflare-access",
            Self::Mtls => "cloudflare-mtls",
        }
    }

    /// The judge of that name.
    pub(crate) fn named(name: &str) -> Option<Self> {
        match name {
            "anthropic-tunnel" => Some(Self::Anthropic),
            "server" => Some(Self::GenericServer),
            "cloudflare-access" => Some(Self::Access),
            "cloudflare-mtls" => Some(Self::Mtls),
            _ => None,
        }
    }

    fn destination(self) -> Destination {
        match self {
            Self::Anthropic | Self::GenericServer => Destination::AnthropicTunnel,
            Self::Access => Destination::CloudflareAccess,
            Self::Mtls => Destination::CloudflareMtls { ca: true },
        }
    }

    /// Whether the report refuses the certificate.
    fn refuses(self, report: &PeerReport) -> bool {
        report.diagnostics.iter().any(|d| {
            d.severity == Severity::Error
                && (self != Self::GenericServer || d.finding.rule().severity(Profile::Access) == Some(Severity::Error))
        })
    }
}

/// What the harness made of a case under one judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// `verify` accepts.
    Accepted,
    /// `verify` refuses (or the path is deeper than the case's `max_chain_depth`).
    Refused,
    /// Not judged, for this reason.
    Skipped(&'static str),
}

/// One case under one judge.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// The case's id.
    pub(crate) id: String,
    /// Who judged.
    pub(crate) judge: Judge,
    /// limbo's `expected_result` is SUCCESS.
    pub(crate) expected_success: bool,
    /// The harness's verdict.
    pub(crate) verdict: Verdict,
    /// The error codes of the report (the harness's own refusal as `harness.max_chain_depth`).
    pub(crate) codes: Vec<&'static str>,
    /// How long `verify_peer` took.
    pub(crate) elapsed: Duration,
}

impl Outcome {
    /// Whether the verdict is limbo's (`None`: skipped).
    pub(crate) fn agrees(&self) -> Option<bool> {
        match self.verdict {
            Verdict::Accepted => Some(self.expected_success),
            Verdict::Refused => Some(!self.expected_success),
            Verdict::Skipped(_) => None,
        }
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn pems(value: Option<&Value>) -> String {
    match value {
        Some(Value::Array(items)) => items.iter().map(|item| pems(Some(item))).collect(),
        Some(Value::String(text)) => format!("{}\n", text.trim_end()),
        _ => String::new(),
    }
}

/// The judges a case runs under.
pub(crate) fn judges(case: &Value) -> &'static [Judge] {
    match text(case, "validation_kind") {
        "CLIENT" => &[Judge::Access, Judge::Mtls],
        _ => &[Judge::Anthropic, Judge::GenericServer],
    }
}

/// The case under each of `judges`.
///
/// # Errors
/// A case `verify` cannot take (an unreadable time, a destination without a peer check).
pub(crate) fn run_as(case: &Value, judges: &[Judge]) -> Result<Vec<Outcome>, String> {
    let id = text(case, "id").to_owned();
    let expected_success = text(case, "expected_result") == "SUCCESS";
    let has_crls = case.get("crls").and_then(Value::as_array).is_some_and(|crls| !crls.is_empty());
    if has_crls {
        let skipped = |&judge: &Judge| Outcome {
            id: id.clone(),
            judge,
            expected_success,
            verdict: Verdict::Skipped(SKIPPED_CRL),
            codes: Vec::new(),
            elapsed: Duration::ZERO,
        };
        return Ok(judges.iter().map(skipped).collect());
    }
    let presented = format!("{}{}", pems(case.get("peer_certificate")), pems(case.get("untrusted_intermediates")));
    let ca = pems(case.get("trusted_certs"));
    let now = case.get("validation_time").and_then(Value::as_str).unwrap_or(DEFAULT_NOW);
    let now = UnixTime::parse_rfc3339(now).map_err(|e| format!("{id}: validation_time: {e}"))?;
    let max_depth = case.get("max_chain_depth").and_then(Value::as_u64);
    let mut hosts = Vec::new();
    let mut emails = Vec::new();
    let names = case.get("expected_peer_names").and_then(Value::as_array).cloned().unwrap_or_default();
    for name in case.get("expected_peer_name").filter(|n| n.is_object()).cloned().into_iter().chain(names) {
        let value = text(&name, "value").to_owned();
        match text(&name, "kind") {
            "RFC822" => emails.push(value),
            _ => hosts.push(value),
        }
    }
    let mut outcomes = Vec::new();
    for &judge in judges {
        let options = PeerOptions {
            destination: judge.destination(),
            tunnel_domain: None,
            hosts: hosts.clone(),
            emails: emails.clone(),
            now,
        };
        let start = Instant::now();
        let report =
            verify_peer(presented.as_bytes(), ca.as_bytes(), None, &options).map_err(|e| format!("{id}: {e}"))?;
        let elapsed = start.elapsed();
        let mut codes: Vec<&'static str> =
            report.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.finding.code()).collect();
        let mut refused = judge.refuses(&report);
        if max_depth.is_some_and(|max| logical_intermediates(&report) > max) {
            codes.push("harness.max_chain_depth");
            refused = true;
        }
        let verdict = if refused { Verdict::Refused } else { Verdict::Accepted };
        outcomes.push(Outcome { id: id.clone(), judge, expected_success, verdict, codes, elapsed });
    }
    Ok(outcomes)
}

/// The intermediates of the report's path that are not self-issued (RFC 5280 6.1.4 (l)).
fn logical_intermediates(report: &PeerReport) -> u64 {
    let inner = report.path.get(1..report.path.len().saturating_sub(1)).unwrap_or_default();
    let count = inner
        .iter()
        .filter(|step| {
            let list = match step.input {
                InputKind::Ca => &report.ca_certificates,
                _ => &report.certificates,
            };
            list.get(step.index).is_none_or(|info| info.subject != info.issuer)
        })
        .count();
    u64::try_from(count).unwrap_or(u64::MAX)
}

/// The family of a case id (`webpki`, `rfc5280`, …).
pub(crate) fn family(id: &str) -> &str {
    id.split("::").next().unwrap_or(id)
}

/// exceptions.tsv: (id, judge) → reason.
///
/// # Errors
/// A line without a reason, or naming no judge.
pub(crate) fn exceptions(text: &str) -> Result<BTreeMap<(String, Judge), String>, String> {
    let mut listed = BTreeMap::new();
    for line in text.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let mut fields = line.splitn(3, '\t');
        let (id, judge, reason) =
            (fields.next().unwrap_or_default(), fields.next().unwrap_or_default(), fields.next().unwrap_or_default());
        let judge = Judge::named(judge).ok_or_else(|| format!("exceptions.tsv: {id}: no judge {judge:?}"))?;
        if reason.trim().is_empty() {
            return Err(format!("exceptions.tsv: {id} {} has no reason", judge.name()));
        }
        listed.insert((id.to_owned(), judge), reason.to_owned());
    }
    Ok(listed)
}

/// Counts of one family under one judge.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    /// Cases run.
    pub(crate) cases: usize,
    /// Verdict as limbo's.
    pub(crate) agree: usize,
    /// Accepted where limbo expects FAILURE.
    pub(crate) false_accepts: usize,
    /// Refused where limbo expects SUCCESS.
    pub(crate) false_rejects: usize,
    /// Not judged (a feature `verify` does not take).
    pub(crate) skipped: usize,
}

/// Every case run and compared.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// Per family and judge.
    pub(crate) table: BTreeMap<(String, Judge), Counts>,
    /// Disagreements not listed, listed cases that agree now, lines naming no case.
    pub(crate) problems: Vec<String>,
    /// The slowest case of all and the slowest pathological one.
    pub(crate) slowest: Option<(Duration, String)>,
    /// The slowest `pathological::*` case.
    pub(crate) slowest_pathological: Option<(Duration, String)>,
    /// Skipped cases: id, judge, why.
    pub(crate) skipped: Vec<(String, Judge, &'static str)>,
}

/// Runs every case of `limbo` (limbo.json's text) and compares it with `exceptions`
/// (exceptions.tsv's text).
///
/// # Errors
/// Unreadable limbo.json or exceptions.tsv, or a case `verify` cannot take.
pub(crate) fn compare(limbo: &str, exceptions_tsv: &str) -> Result<Summary, String> {
    let limbo: Value = serde_json::from_str(limbo).map_err(|e| format!("limbo.json: {e}"))?;
    let listed = exceptions(exceptions_tsv)?;
    let cases = limbo.get("testcases").and_then(Value::as_array).ok_or("limbo.json: no testcases")?;
    let mut summary = Summary::default();
    let mut seen = BTreeSet::new();
    for case in cases {
        for outcome in run_as(case, judges(case))? {
            let key = (outcome.id.clone(), outcome.judge);
            let counts = summary.table.entry((family(&outcome.id).to_owned(), outcome.judge)).or_default();
            counts.cases += 1;
            match (outcome.agrees(), outcome.verdict) {
                (None, Verdict::Skipped(reason)) => {
                    counts.skipped += 1;
                    summary.skipped.push((outcome.id.clone(), outcome.judge, reason));
                }
                (Some(true), _) => counts.agree += 1,
                (_, Verdict::Refused) => counts.false_rejects += 1,
                _ => counts.false_accepts += 1,
            }
            let slower =
                |slowest: &Option<(Duration, String)>| slowest.as_ref().is_none_or(|(t, _)| outcome.elapsed > *t);
            if slower(&summary.slowest) {
                summary.slowest = Some((outcome.elapsed, outcome.id.clone()));
            }
            if family(&outcome.id) == "pathological" && slower(&summary.slowest_pathological) {
                summary.slowest_pathological = Some((outcome.elapsed, outcome.id.clone()));
            }
            match (outcome.agrees(), listed.contains_key(&key)) {
                (Some(true) | None, true) => summary.problems.push(format!(
                    "{} {}: listed in exceptions.tsv but agrees now (or is skipped)",
                    key.0,
                    key.1.name()
                )),
                (Some(false), false) => summary.problems.push(format!(
                    "{} {}: limbo expects {}, verify {} {:?}",
                    key.0,
                    key.1.name(),
                    if outcome.expected_success { "SUCCESS" } else { "FAILURE" },
                    if outcome.verdict == Verdict::Refused { "refuses" } else { "accepts" },
                    outcome.codes
                )),
                _ => {}
            }
            seen.insert(key);
        }
    }
    for key in listed.keys().filter(|key| !seen.contains(*key)) {
        summary.problems.push(format!("{} {}: listed in exceptions.tsv but no such case", key.0, key.1.name()));
    }
    Ok(summary)
}

impl Summary {
    /// The table docs/ROBUSTNESS.md keeps: per family and judge, then every family per judge.
    pub(crate) fn markdown(&self) -> String {
        let mut out = String::from(
            "| family | judged as | cases | agree | false accepts | false rejects | skipped |\n|---|---|---:|---:|---:|---:|---:|\n",
        );
        let mut totals: BTreeMap<Judge, Counts> = BTreeMap::new();
        for ((family, judge), counts) in &self.table {
            let row = |out: &mut String, family: &str, c: &Counts| {
                let _ = writeln!(
                    out,
                    "| {family} | {} | {} | {} | {} | {} | {} |",
                    judge.name(),
                    c.cases,
                    c.agree,
                    c.false_accepts,
                    c.false_rejects,
                    c.skipped
                );
            };
            row(&mut out, family, counts);
            let total = totals.entry(*judge).or_default();
            total.cases += counts.cases;
            total.agree += counts.agree;
            total.false_accepts += counts.false_accepts;
            total.false_rejects += counts.false_rejects;
            total.skipped += counts.skipped;
        }
        for (judge, c) in &totals {
            let _ = writeln!(
                out,
                "| **all** | {} | {} | {} | {} | {} | {} |",
                judge.name(),
                c.cases,
                c.agree,
                c.false_accepts,
                c.false_rejects,
                c.skipped
            );
        }
        out
    }
}
