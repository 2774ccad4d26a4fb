//! `cargo xtask tidy`: repository hygiene that review should not have to catch.

use std::path::Path;
use std::process::Command;

use crate::util;

/// Crates the core must never depend on (ARCHITECTURE.md: the core has no I/O and no platform code).
const FORBIDDEN_IN_CORE: &[&str] =
    &["wasm-bindgen", "js-sys", "web-sys", "tokio", "reqwest", "hyper", "getrandom", "certcheck-api"];

/// The API contracts hold no HTTP client and no platform code (ARCHITECTURE.md's dependency direction:
/// certcheck ← certcheck-api ← the faces).
const FORBIDDEN_IN_API: &[&str] =
    &["wasm-bindgen", "js-sys", "web-sys", "tokio", "reqwest", "hyper", "gloo-net", "axum"];

pub(crate) fn run() -> Result<(), String> {
    let mut problems = Vec::new();
    let root = util::root();
    let tracked = Command::new("git")
        .args(["ls-files"])
        .current_dir(&root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    for file in String::from_utf8_lossy(&tracked.stdout).lines() {
        let path = root.join(file);
        let is_text =
            ["rs", "toml", "md", "txt", "sh", "py", "tsv"].iter().any(|ext| file.ends_with(&format!(".{ext}")));
        let is_fixture = file.starts_with("tests/data/") && !file.ends_with(".sh") && !file.ends_with(".py");
        if !is_text || is_fixture {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        if let Some((number, _)) = text.lines().enumerate().find(|(_, l)| l.ends_with(' ') || l.ends_with('\t')) {
            problems.push(format!("{file}:{}: trailing whitespace", number + 1));
        }
        // Every Rust tree of the repository: the workspace's crates, the dashboard, the fuzz targets.
        let ours = ["crates/", "web/", "fuzz/"].iter().any(|tree| file.starts_with(tree));
        if file.ends_with(".rs") && ours && !file.contains("/tests/") {
            let first = text.lines().find(|l| !l.starts_with("#![no_main]")).unwrap_or("");
            if !first.starts_with("//!") && !first.starts_with("#![doc = include_str!") {
                problems.push(format!("{file}: a module starts with a `//!` line saying what it holds"));
            }
        }
        // The fuzz workspace is apart (nightly) and has no workspace lints to opt into.
        let member = ["crates/", "web/"].iter().any(|tree| file.starts_with(tree));
        if file.ends_with("Cargo.toml") && member && !text.contains("[lints]\nworkspace = true") {
            problems.push(format!("{file}: every crate opts into the workspace lints ([lints] workspace = true)"));
        }
    }
    core_dependencies(&root, &mut problems)?;
    for tree in crate::circles::TREES {
        for circle in crate::circles::circles(&root.join(tree)) {
            problems.push(format!("{tree}: modules import each other: {}", circle.join(" ↔ ")));
        }
    }
    let data = root.join("tests/data");
    let manifest = std::fs::read_to_string(data.join("cases.txt")).unwrap_or_default();
    let generated = std::fs::read_to_string(data.join("cases.rs")).unwrap_or_default();
    if crate::fixtures::render(&manifest, &data) != generated {
        problems.push("tests/data/cases.rs is stale: run `cargo xtask fixtures`".to_owned());
    }
    let peer = std::fs::read_to_string(data.join("peer/cases.txt")).unwrap_or_default();
    let generated = std::fs::read_to_string(data.join("peer/cases.rs")).unwrap_or_default();
    if crate::fixtures::render_peer(&peer, &data) != generated {
        problems.push("tests/data/peer/cases.rs is stale: run `cargo xtask fixtures`".to_owned());
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("tidy found problems:\n{}", problems.join("\n"))) }
}

fn core_dependencies(root: &Path, problems: &mut Vec<String>) -> Result<(), String> {
    banned_dependencies(root, "certcheck", FORBIDDEN_IN_CORE, problems)?;
    banned_dependencies(root, "certcheck-api", FORBIDDEN_IN_API, problems)
}

fn banned_dependencies(root: &Path, package: &str, banned: &[&str], problems: &mut Vec<String>) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "-p", package, "--edges", "normal", "--prefix", "none", "--format", "{p}"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    let tree = String::from_utf8_lossy(&output.stdout);
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        if banned.contains(&name) {
            problems.push(format!("{package} depends on {name}: it must stay free of platform, HTTP and I/O crates"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn repository_is_tidy() {
        assert_eq!(super::run(), Ok(()));
    }
}
