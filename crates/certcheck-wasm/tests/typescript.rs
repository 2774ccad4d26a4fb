//! The package's hand-written types (npm/certcheck.d.ts) against the core: every union holds
//! exactly the core's names, and every interface of the report has exactly the fields the report
//! serializes, over every recorded fixture report. `tsc --strict` (tests/npm) checks the rest.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use certcheck::{ALL_FIXES, DESTINATION_NAMES, Profile, RULES};
use serde_json::Value;

#[path = "../../../tests/data/cases.rs"]
mod cases;

const TYPES: &str = include_str!("../../../npm/certcheck.d.ts");

/// The string literals of `export type <name> = "a" | "b" …;`.
fn union(name: &str) -> BTreeSet<String> {
    let start = TYPES.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("no type {name}"));
    let body = &TYPES[start..];
    let body = &body[..body.find(';').unwrap()];
    body.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The member names of `export interface <name> { … }`.
fn interface(name: &str) -> BTreeSet<String> {
    let start = TYPES.find(&format!("export interface {name} {{")).unwrap_or_else(|| panic!("no interface {name}"));
    let body = &TYPES[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("/*") && !l.starts_with('*') && !l.starts_with("//"))
        .filter_map(|l| l.split_once(':').map(|(member, _)| member.trim_end_matches('?').to_owned()))
        .collect()
}

fn names<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    items.into_iter().map(str::to_owned).collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn unions_hold_exactly_the_cores_names() {
    assert_eq!(union("DiagnosticCode"), names(RULES.iter().map(|r| r.code)));
    assert_eq!(union("FixName"), names(ALL_FIXES.iter().map(|f| f.name())));
    assert_eq!(union("Destination"), names(DESTINATION_NAMES));
    assert_eq!(union("Profile"), names(Profile::ALL.map(Profile::name)));
    assert_eq!(union("Severity"), names(["error", "warning", "info"]));
    assert_eq!(union("Verdict"), names(["ok", "warning", "error"]));
    assert_eq!(
        union("ErrorCode"),
        names([
            "invalid_input",
            "invalid_options",
            "invalid_fingerprint",
            "invalid_response",
            "not_loaded",
            "internal"
        ])
    );
}

#[test]
fn interfaces_have_exactly_the_fields_of_every_recorded_report() {
    let report = interface("Report");
    let certificate = interface("Certificate");
    let key = interface("KeyInfo");
    let fingerprints = interface("Fingerprints");
    let spellings = interface("Spellings");
    let private_key = interface("PrivateKey");
    // `input` is optional: only `verify` reports name the input of each diagnostic.
    let mut diagnostic = interface("Diagnostic");
    assert!(diagnostic.remove("input"));
    let (key_algorithms, key_kinds) = (union("KeyAlgorithm"), union("PrivateKeyKind"));
    let mut seen = (0, 0, 0, 0);
    for &(path, _, _, expected) in cases::CASES {
        let Some(expected) = expected else { continue };
        let value: Value = serde_json::from_str(expected).unwrap();
        assert_eq!(keys(&value), report, "{path}");
        for c in value["certificates"].as_array().unwrap() {
            assert_eq!(keys(c), certificate, "{path}");
            assert_eq!(keys(&c["key"]), key, "{path}");
            assert_eq!(keys(&c["fingerprints"]), fingerprints, "{path}");
            assert_eq!(keys(&c["spellings"]), spellings, "{path}");
            assert!(
                key_algorithms.contains(c["key"]["algorithm"].as_str().unwrap()),
                "{path}: name it in KeyAlgorithm"
            );
            seen.0 += 1;
        }
        for k in value["private_keys"].as_array().unwrap() {
            assert_eq!(keys(k), private_key, "{path}");
            assert!(key_kinds.contains(k["kind"].as_str().unwrap()), "{path}: name it in PrivateKeyKind");
            seen.1 += 1;
        }
        for d in value["diagnostics"].as_array().unwrap() {
            assert_eq!(keys(d), diagnostic, "{path}");
            seen.2 += 1;
        }
        seen.3 += 1;
    }
    assert!(seen.0 > 100 && seen.1 > 10 && seen.2 > 100 && seen.3 > 100, "too few reports walked: {seen:?}");
}
