//! The `verify` corpus: every case of tests/data/peer/cases.txt (openssl-made pairs and chains,
//! see tests/data/peer/README.md) with the report certcheck must give and the codes its
//! `# expect:` line names. Refresh the reports with `UPDATE_EXPECT=1 cargo test -p certcheck
//! --test peer`, review the diff, then run `cargo xtask fixtures`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck::{Destination, PeerOptions, RULES, UnixTime, verify_peer};

#[path = "../../../tests/data/peer/cases.rs"]
mod cases;

const NOW: &str = "2026-11-22T00:00:00Z";

/// The options a case's arguments give (`--ca` and `--key` are the case's bytes).
fn options(args: &str) -> PeerOptions {
    let words: Vec<&str> = args.split_whitespace().collect();
    let values =
        |flag: &str| -> Vec<String> { words.windows(2).filter(|w| w[0] == flag).map(|w| w[1].to_owned()).collect() };
    let destination = values("--to").first().map(|name| Destination::from_name(name, None).unwrap()).unwrap();
    PeerOptions {
        destination,
        tunnel_domain: values("--tunnel-domain").into_iter().next(),
        hosts: values("--host"),
        emails: values("--email"),
        now: UnixTime::parse_rfc3339(NOW).unwrap(),
    }
}

fn render(case: &cases::Case) -> String {
    let report = verify_peer(case.certificate, case.ca, case.key, &options(case.args)).unwrap();
    let mut json = serde_json::to_string_pretty(&report).unwrap();
    json.push('\n');
    json
}

#[test]
fn every_case_gives_its_expected_report() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let mut failures = Vec::new();
    for case in cases::CASES {
        let (path, args, expected) = (case.path, case.args, case.expected);
        let actual = render(case);
        if update {
            let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
            std::fs::write(data.join(format!("{stem}.expected.json")), &actual).unwrap();
            continue;
        }
        match expected {
            Some(expected) if expected == actual => {}
            Some(_) => failures.push(format!("{path} ({args}): report differs from its .expected.json")),
            None => {
                failures.push(format!("{path}: no .expected.json yet (UPDATE_EXPECT=1, then cargo xtask fixtures)"))
            }
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The codes on each case's `# expect:` line (`code` or `code (severity)`; `-` for none) are all in
/// its report, and every error or warning of the report is named there.
#[test]
fn every_expect_line_matches_the_report() {
    let mut problems = Vec::new();
    for case in cases::CASES {
        let (path, expect) = (case.path, case.expect);
        let report: serde_json::Value = serde_json::from_str(&render(case)).unwrap();
        let found: Vec<(String, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].as_str().unwrap().to_owned(), d["severity"].as_str().unwrap().to_owned()))
            .collect();
        let wanted: Vec<(&str, Option<&str>)> = expect
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty() && *c != "-")
            .map(|c| match c.split_once(" (") {
                Some((code, severity)) => (code, Some(severity.trim_end_matches(')'))),
                None => (c, None),
            })
            .collect();
        for (code, severity) in &wanted {
            if !found.iter().any(|(c, s)| c == code && severity.is_none_or(|want| s == want)) {
                problems.push(format!("{path}: expects {code} {severity:?}, its report has {found:?}"));
            }
        }
        for (code, severity) in &found {
            if severity != "info" && !wanted.iter().any(|(c, _)| c == code) {
                problems.push(format!("{path}: its report has {code} ({severity}), not on its # expect: line"));
            }
        }
        let error = found.iter().any(|(_, severity)| severity == "error");
        assert_eq!(report["verdict"] == "error", error, "{path}");
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_peer_code_has_a_case_and_every_diagnostic_names_its_input() {
    let mut seen = std::collections::BTreeSet::new();
    for case in cases::CASES {
        let report: serde_json::Value = serde_json::from_str(&render(case)).unwrap();
        for diagnostic in report["diagnostics"].as_array().unwrap() {
            assert!(["certificate", "ca", "key"].contains(&diagnostic["input"].as_str().unwrap()), "{}", case.path);
            seen.insert(diagnostic["code"].as_str().unwrap().to_owned());
        }
        // A path, when there is one, runs from the presented certificate to a given CA.
        if let Some(path) = report["path"].as_array().filter(|p| !p.is_empty()) {
            assert_eq!(path[0]["input"], "certificate", "{}", case.path);
            assert_eq!(path[0]["index"], 0, "{}", case.path);
            assert_eq!(path.last().unwrap()["input"], "ca", "{}", case.path);
        }
    }
    let missing: Vec<&str> =
        RULES.iter().map(|r| r.code).filter(|code| code.starts_with("peer.") && !seen.contains(*code)).collect();
    assert_eq!(missing, Vec::<&str>::new(), "peer codes without a case");
}

#[test]
fn destinations_no_certificate_is_presented_to_are_refused() {
    let options = PeerOptions { destination: Destination::CloudflareGateway, ..options("--to anthropic-tunnel") };
    assert!(verify_peer(b"", b"", None, &options).is_err());
    let leaf = PeerOptions { destination: Destination::CloudflareMtls { ca: false }, ..options };
    assert!(verify_peer(b"", b"", None, &leaf).unwrap_err().to_string().contains("--to cloudflare-mtls --ca"));
}
