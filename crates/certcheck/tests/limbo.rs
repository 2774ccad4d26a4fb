//! x509-limbo (tests/data/limbo, see its README.md): every test case through `verify_peer`,
//! judged as the vendors' verifiers would, compared with limbo's `expected_result`
//! (tests/data/limbo/harness.rs, shared with `cargo xtask corpus --limbo`). A disagreement fails
//! unless tests/data/limbo/exceptions.tsv lists it with its reason; a listed case that now agrees
//! fails too (remove its line). Prints agreement per family.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../../../tests/data/limbo/harness.rs"]
#[allow(dead_code)]
mod harness;

use harness::Judge;
use serde_json::Value;

const LIMBO: &str = include_str!("../../../tests/data/limbo/limbo.json");
const EXCEPTIONS: &str = include_str!("../../../tests/data/limbo/exceptions.tsv");
const SAMPLE: &str = include_str!("../../../tests/data/limbo/sample.tsv");

#[test]
fn every_limbo_case_agrees_or_is_listed() {
    let summary = harness::compare(LIMBO, EXCEPTIONS).unwrap();
    print!("{}", summary.markdown());
    for (id, judge, reason) in &summary.skipped {
        println!("skipped: {id} {}: {reason}", judge.name());
    }
    if let Some((elapsed, id)) = &summary.slowest_pathological {
        // A figure, not a gate (a timed assertion flakes on a busy machine): the work is bounded by
        // the path search's and the name-constraint check's fixed caps, and every pathological
        // case's verdict is asserted above like any other.
        println!("slowest pathological case: {id}, {elapsed:?}");
    }
    assert!(
        summary.problems.is_empty(),
        "{} disagreement(s):\n{}",
        summary.problems.len(),
        summary.problems.join("\n")
    );
}

/// tests/data/limbo/sample.tsv gives the codes this build gives (the wasm suite checks the npm
/// package against the same file).
#[test]
fn the_sample_the_wasm_suite_runs_gives_its_codes() {
    let limbo: Value = serde_json::from_str(LIMBO).unwrap();
    let cases = limbo["testcases"].as_array().unwrap();
    for line in SAMPLE.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (id, judge, expected) = (fields[0], Judge::named(fields[1]).unwrap(), fields[2]);
        let case = cases.iter().find(|case| case["id"] == id).unwrap_or_else(|| panic!("no case {id}"));
        let outcome = harness::run_as(case, &[judge]).unwrap().remove(0);
        let mut codes = outcome.codes.clone();
        codes.sort_unstable();
        codes.dedup();
        let codes = if codes.is_empty() { "-".to_owned() } else { codes.join(",") };
        assert_eq!(codes, expected, "{id} as {}", judge.name());
        assert_eq!(outcome.agrees(), Some(true), "{id}: the sample holds only agreeing cases");
    }
}
