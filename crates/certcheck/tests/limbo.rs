//! x509-limbo (tests/data/limbo, see its README.md): every test case through `verify_peer`,
//! judged as the vendors' verifiers would, compared with limbo's `expected_result`. A
//! disagreement fails unless tests/data/limbo/exceptions.tsv lists it with its reason; a listed
//! case that now agrees fails too (remove its line). Prints agreement per family.
//!
//! How a case becomes a `verify`:
//! - the presented input is the peer certificate followed by the untrusted intermediates; the CA
//!   input is the trusted certificates; `--now` is the case's validation time (limbo's null, "now",
//!   is [`DEFAULT_NOW`]: every such case is valid from 1970 to 2969);
//! - `expected_peer_name` (DNS, IP) is a `--host`, RFC822 names are `--email`;
//! - SERVER cases run as `anthropic-tunnel` and as a generic server (the same report with only
//!   the errors that are errors at Cloudflare Access too: no Anthropic-only rule such as
//!   `peer.not_direct`); CLIENT cases as `cloudflare-access` and `cloudflare-mtls`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use certcheck::{Destination, PeerOptions, PeerReport, Profile, Severity, UnixTime, verify_peer};
use serde_json::Value;

const LIMBO: &str = include_str!("../../../tests/data/limbo/limbo.json");
const EXCEPTIONS: &str = include_str!("../../../tests/data/limbo/exceptions.tsv");
const SAMPLE: &str = include_str!("../../../tests/data/limbo/sample.tsv");
/// Limbo's "now" for cases without a validation time.
const DEFAULT_NOW: &str = "2026-12-06T00:00:00Z";

/// How a case is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Judge {
    Anthropic,
    GenericServer,
    Access,
    Mtls,
}

impl Judge {
    fn name(self) -> &'static str {
        match self {
            Self::Anthropic => "anthropic-tunnel",
            Self::GenericServer => "server",
            Self::Access => "cloudflare-access",
            Self::Mtls => "cloudflare-mtls",
        }
    }

    fn named(name: &str) -> Self {
        match name {
            "anthropic-tunnel" => Self::Anthropic,
            "server" => Self::GenericServer,
            "cloudflare-access" => Self::Access,
            "cloudflare-mtls" => Self::Mtls,
            other => panic!("no judge {other}"),
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

fn pems(value: &Value) -> String {
    match value {
        Value::Array(items) => items.iter().map(pems).collect(),
        Value::String(text) => format!("{}\n", text.trim_end()),
        _ => String::new(),
    }
}

struct Outcome {
    id: String,
    judge: Judge,
    expected_success: bool,
    refused: bool,
    codes: Vec<&'static str>,
    elapsed: Duration,
}

fn run(case: &Value) -> Vec<Outcome> {
    let judges: &[Judge] = match case["validation_kind"].as_str().unwrap() {
        "CLIENT" => &[Judge::Access, Judge::Mtls],
        _ => &[Judge::Anthropic, Judge::GenericServer],
    };
    run_as(case, judges)
}

fn run_as(case: &Value, judges: &[Judge]) -> Vec<Outcome> {
    let id = case["id"].as_str().unwrap().to_owned();
    let presented = format!("{}{}", pems(&case["peer_certificate"]), pems(&case["untrusted_intermediates"]));
    let ca = pems(&case["trusted_certs"]);
    let now = case["validation_time"].as_str().unwrap_or(DEFAULT_NOW);
    let now = UnixTime::parse_rfc3339(now).unwrap();
    let mut hosts = Vec::new();
    let mut emails = Vec::new();
    let names = case["expected_peer_names"].as_array().cloned().unwrap_or_default();
    for name in case["expected_peer_name"].as_object().into_iter().map(|n| Value::Object(n.clone())).chain(names) {
        let value = name["value"].as_str().unwrap().to_owned();
        match name["kind"].as_str().unwrap() {
            "RFC822" => emails.push(value),
            _ => hosts.push(value),
        }
    }
    let expected_success = case["expected_result"] == "SUCCESS";
    judges
        .iter()
        .map(|&judge| {
            let options = PeerOptions {
                destination: judge.destination(),
                tunnel_domain: None,
                hosts: hosts.clone(),
                emails: emails.clone(),
                now,
            };
            let start = Instant::now();
            let report = verify_peer(presented.as_bytes(), ca.as_bytes(), None, &options).unwrap();
            let elapsed = start.elapsed();
            let codes =
                report.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.finding.code()).collect();
            Outcome { id: id.clone(), judge, expected_success, refused: judge.refuses(&report), codes, elapsed }
        })
        .collect()
}

fn family(id: &str) -> &str {
    id.split("::").next().unwrap_or(id)
}

#[test]
fn every_limbo_case_agrees_or_is_listed() {
    let limbo: Value = serde_json::from_str(LIMBO).unwrap();
    let listed: BTreeMap<(String, String), String> = EXCEPTIONS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (id, judge, reason) = (fields.next().unwrap(), fields.next().unwrap(), fields.next().unwrap_or(""));
            assert!(!reason.trim().is_empty(), "exceptions.tsv: {id} {judge} has no reason");
            ((id.to_owned(), judge.to_owned()), reason.to_owned())
        })
        .collect();
    let mut table: BTreeMap<(String, Judge), [usize; 4]> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut slowest: Option<(Duration, String)> = None;
    for case in limbo["testcases"].as_array().unwrap() {
        for outcome in run(case) {
            let key = (outcome.id.clone(), outcome.judge.name().to_owned());
            let agrees = outcome.refused != outcome.expected_success;
            let counts = table.entry((family(&outcome.id).to_owned(), outcome.judge)).or_default();
            counts[0] += 1;
            if agrees {
                counts[1] += 1;
            } else if outcome.refused {
                counts[3] += 1;
            } else {
                counts[2] += 1;
            }
            if family(&outcome.id) == "pathological" && slowest.as_ref().is_none_or(|(t, _)| outcome.elapsed > *t) {
                slowest = Some((outcome.elapsed, outcome.id.clone()));
            }
            match (agrees, listed.contains_key(&key)) {
                (true, true) => problems.push(format!("{} {}: listed in exceptions.tsv but agrees now", key.0, key.1)),
                (false, false) => problems.push(format!(
                    "{} {}: limbo expects {}, verify {} {:?}",
                    key.0,
                    key.1,
                    if outcome.expected_success { "SUCCESS" } else { "FAILURE" },
                    if outcome.refused { "refuses" } else { "accepts" },
                    outcome.codes
                )),
                _ => {}
            }
            seen.insert(key);
        }
    }
    for key in listed.keys() {
        if !seen.contains(key) {
            problems.push(format!("{} {}: listed in exceptions.tsv but no such case", key.0, key.1));
        }
    }
    println!("| family | judged as | cases | agree | false accepts | false rejects |");
    println!("|---|---|---|---|---|---|");
    for ((family, judge), [cases, agree, accepts, rejects]) in &table {
        println!("| {family} | {} | {cases} | {agree} | {accepts} | {rejects} |", judge.name());
    }
    if let Some((elapsed, id)) = &slowest {
        // A figure, not a gate (a timed assertion flakes on a busy machine): the work is bounded by
        // the path search's and the name-constraint check's fixed caps, and every pathological
        // case's verdict is asserted above like any other.
        println!("slowest pathological case: {id}, {elapsed:?}");
    }
    assert!(problems.is_empty(), "{} disagreement(s):\n{}", problems.len(), problems.join("\n"));
}

/// tests/data/limbo/sample.tsv gives the codes this build gives (the wasm suite checks the npm
/// package against the same file).
#[test]
fn the_sample_the_wasm_suite_runs_gives_its_codes() {
    let limbo: Value = serde_json::from_str(LIMBO).unwrap();
    let cases = limbo["testcases"].as_array().unwrap();
    for line in SAMPLE.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (id, judge, expected) = (fields[0], Judge::named(fields[1]), fields[2]);
        let case = cases.iter().find(|case| case["id"] == id).unwrap_or_else(|| panic!("no case {id}"));
        let outcome = run_as(case, &[judge]).remove(0);
        let mut codes = outcome.codes.clone();
        codes.sort_unstable();
        codes.dedup();
        let codes = if codes.is_empty() { "-".to_owned() } else { codes.join(",") };
        assert_eq!(codes, expected, "{id} as {}", judge.name());
        assert_eq!(outcome.refused, !outcome.expected_success, "{id}: the sample holds only agreeing cases");
    }
}
