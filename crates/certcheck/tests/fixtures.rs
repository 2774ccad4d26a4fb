//! The data-driven corpus: every input under tests/data with the report certcheck must give,
//! walked by one test. Refresh the expectations with `UPDATE_EXPECT=1 cargo test -p certcheck
//! --test fixtures`, review the diff, then run `cargo xtask fixtures`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck::{Destination, Options, RULES, UnixTime, check};

#[path = "../../../tests/data/cases.rs"]
mod cases;

const NOW: &str = "2026-11-22T00:00:00Z";

fn options(args: &str) -> Options {
    let now = UnixTime::parse_rfc3339(NOW).unwrap();
    let words: Vec<&str> = args.split_whitespace().collect();
    let ca = words.contains(&"--no-ca").then_some(false);
    let destination = words.windows(2).find(|w| w[0] == "--to").map(|w| Destination::from_name(w[1], ca).unwrap());
    Options::new(destination, now)
}

fn render(input: &[u8], args: &str) -> String {
    let report = check(input, &options(args));
    let mut json = serde_json::to_string_pretty(&report).unwrap();
    json.push('\n');
    json
}

#[test]
fn every_fixture_gives_its_expected_report() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let mut failures = Vec::new();
    for &(path, args, input, expected) in cases::CASES {
        let actual = render(input, args);
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
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_input_diagnostic_code_has_a_fixture() {
    let mut missing = Vec::new();
    for rule in RULES {
        if rule.code.starts_with("response.") || rule.code.starts_with("peer.") {
            continue; // Response verification and `verify` have suites of their own.
        }
        if rule.code == "signature.unchecked" {
            continue; // Never from a full build's check; chain.rs and the npm browser test cover it.
        }
        let quoted = format!("\"code\": \"{}\"", rule.code);
        if !cases::CASES.iter().any(|&(_, _, _, expected)| expected.is_some_and(|e| e.contains(&quoted))) {
            missing.push(rule.code);
        }
    }
    assert_eq!(missing, Vec::<&str>::new(), "codes without a fixture");
}

#[test]
fn every_destination_has_a_clean_and_a_failing_fixture() {
    for destination in ["anthropic-tunnel", "cloudflare-access", "cloudflare-mtls", "cloudflare-gateway"] {
        let verdicts: Vec<&str> = cases::CASES
            .iter()
            .filter(|&&(_, args, _, _)| args.contains(destination))
            .filter_map(|&(_, _, _, expected)| expected)
            .filter_map(|e| e.lines().find(|l| l.contains("\"verdict\"")))
            .collect();
        assert!(verdicts.iter().any(|v| v.contains("\"ok\"")), "{destination}: no fixture passes");
        assert!(verdicts.iter().any(|v| v.contains("\"error\"")), "{destination}: no fixture fails");
    }
}

/// Each case's `# expect:` line names the codes it is meant to trigger (`code` or
/// `code (severity)`, `-` for none): every one must be in its recorded report, and every error
/// or warning in the report must be named there (infos may come along).
#[test]
fn every_expect_line_matches_the_recorded_report() {
    let mut problems = Vec::new();
    for &(path, expect) in cases::EXPECT {
        let Some(&(_, _, _, Some(expected))) = cases::CASES.iter().find(|c| c.0 == path) else {
            problems.push(format!("{path}: no recorded report"));
            continue;
        };
        let report: serde_json::Value = serde_json::from_str(expected).unwrap();
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
        if expect.is_empty() {
            problems.push(format!("{path}: no # expect: line"));
        }
        for (code, severity) in &wanted {
            if !found.iter().any(|(c, s)| c == code && severity.is_none_or(|want| s == want)) {
                problems.push(format!(
                    "{path}: expects {code}{} but its report lacks it",
                    severity.map(|s| format!(" ({s})")).unwrap_or_default()
                ));
            }
        }
        for (code, severity) in &found {
            if severity != "info" && !wanted.iter().any(|(c, _)| c == code) {
                problems.push(format!(
                    "{path}: its report has {code} ({severity}), which its # expect: line does not name"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn normalized_pem_is_a_fixed_point_on_every_fixture() {
    for &(path, args, input, _) in cases::CASES {
        let options = options(args);
        let Some(normalized) = check(input, &options).normalized_pem else { continue };
        let again = check(normalized.as_bytes(), &options).normalized_pem;
        assert_eq!(again.as_deref(), Some(normalized.as_str()), "{path}");
    }
}
