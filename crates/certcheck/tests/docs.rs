//! docs/REPORT.md's rules table is the core's rule table (`certcheck::RULES`), written out: this
//! test fails when they differ, and `UPDATE_EXPECT=1 cargo test -p certcheck --test docs`
//! rewrites the table between its markers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fmt::Write as _;

use certcheck::{Profile, RULES, Severity};

const BEGIN: &str = "<!-- rules:begin -->\n";
const END: &str = "<!-- rules:end -->";

fn table() -> String {
    let mut table = String::from(
        "| code | inspect | anthropic | access | mtls CA | mtls leaf | gateway | what it checks | source |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let _ = write!(table, "| `{}` |", rule.code);
        for profile in Profile::ALL {
            let mark = match rule.severity(profile) {
                Some(Severity::Error) => "E",
                Some(Severity::Warning) => "W",
                Some(Severity::Info) => "I",
                None => "–",
            };
            let _ = write!(table, " {mark} |");
        }
        let _ = writeln!(table, " {} | {} |", rule.description.replace('|', "\\|"), rule.citation.replace('|', "\\|"));
    }
    table
}

#[test]
fn the_report_contract_lists_every_rule_as_the_core_has_it() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/REPORT.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find(BEGIN).expect("docs/REPORT.md has its rules:begin marker") + BEGIN.len();
    let end = text.find(END).expect("docs/REPORT.md has its rules:end marker");
    let expected = table();
    if text[start..end] == expected {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, format!("{}{expected}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    panic!(
        "docs/REPORT.md's rules table differs from certcheck::RULES; rewrite it with UPDATE_EXPECT=1 cargo test -p \
         certcheck --test docs\n--- expected\n{expected}"
    );
}
