//! The clock-moved pass of `cargo xtask test`: the suites whose inputs carry dates run again with
//! the machine's clock moved years ahead (libfaketime, Debian's `faketime`; the dashboard's pages
//! get their clock moved by Playwright, tests/web/common.mjs). Every such suite
//! judges at a time it names (`--now`, `Options::now`, the dashboard's `?now=`, the sandbox's
//! `--sandbox-clock`, openssl under faketime at that time), so the pass must change nothing; a test
//! that reads the wall clock fails here years before it would fail on a real machine.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::{util, web};

/// How many days ahead the clock is moved: past the fixtures' leaves (2027) and their CAs (2036).
pub(crate) const AHEAD_DAYS: u32 = 3650;

/// The integration tests whose inputs carry dates: (package, test target).
const DATED_SUITES: [(&str, &str); 4] =
    [("certcheck", "fixtures"), ("certcheck", "peer"), ("certcheck-cli", "cli"), ("certcheck-cli", "vendors")];

/// Where Debian's `faketime` package puts the library.
const LIBRARY_PARENT: &str = "/usr/lib";

/// libfaketime, found below /usr/lib (its folder is named after the architecture).
fn library() -> Result<PathBuf, String> {
    std::fs::read_dir(LIBRARY_PARENT)
        .map_err(|e| format!("{LIBRARY_PARENT}: {e}"))?
        .flatten()
        .map(|entry| entry.path().join("faketime/libfaketime.so.1"))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| "libfaketime is not installed (cargo xtask setup installs Debian's faketime)".to_owned())
}

/// `command` with the clock moved [`AHEAD_DAYS`] by preloading libfaketime (not the `faketime`
/// wrapper, whose shared-memory clock every child process would synchronize on). Monotonic
/// clocks are left alone, so timeouts stay true; `CERTCHECK_CLOCK_AHEAD_DAYS` tells the dashboard
/// suites to move their pages' clocks as far.
pub(crate) fn moved_ahead(command: &mut Command) -> Result<(), String> {
    command
        .env("LD_PRELOAD", library()?)
        .env("FAKETIME", format!("+{AHEAD_DAYS}d"))
        .env("DONT_FAKE_MONOTONIC", "1")
        // File times stay true (the CLI tests compare the server binary's with its sources').
        .env("NO_FAKE_STAT", "1")
        .env("CERTCHECK_CLOCK_AHEAD_DAYS", AHEAD_DAYS.to_string());
    Ok(())
}

/// The stage: the dated integration tests (built already by the main test stage, so only run
/// here), then the dashboard suites, all with the clock moved ahead.
pub(crate) fn run() -> Result<(), String> {
    let mut probe = Command::new("date");
    moved_ahead(probe.arg("-u"))?;
    let shown = probe.output().map_err(|e| format!("cannot run date: {e}"))?;
    println!("the clock these suites see: {}", String::from_utf8_lossy(&shown.stdout).trim());
    // What the suites start (the CLI tests' sandbox server) is built first, with the real clock
    // (cargo itself is not meant to run under libfaketime), by the test stage's own command: the
    // same selection of packages, so the same features and nothing built again.
    let binaries = test_binaries()?;
    for (package, target) in DATED_SUITES {
        let manifest = util::root().join("crates").join(package).join("Cargo.toml");
        let binary = binaries
            .iter()
            .find(|(name, from, _)| name == target && *from == manifest)
            .map(|(_, _, binary)| binary)
            .ok_or_else(|| format!("cargo named no executable for {package} --test {target}"))?;
        let mut command = Command::new(binary);
        command.current_dir(util::root().join("crates").join(package));
        moved_ahead(&mut command)?;
        let status = command.status().map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        if !status.success() {
            return Err(format!("{package} --test {target} failed with the clock moved ahead ({status})"));
        }
    }
    // Chromium only: the page's clock handling is the same wasm in Firefox, and Firefox has no
    // page-clock control through WebDriver (see tests/web/common.mjs).
    web::e2e_with(web::Clock::MovedAhead, &[("Chromium", "e2e.mjs")])
}

/// Every integration test executable of the workspace (target name, package manifest, executable),
/// from the command the test stage of `cargo xtask test` runs (built if they are not yet; the
/// workspace's binaries with them).
fn test_binaries() -> Result<Vec<(String, PathBuf, PathBuf)>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--workspace", "--all-targets", "--no-run", "--message-format=json"])
        .current_dir(util::root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("cannot build the workspace's tests: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["profile"]["test"] == true && message["target"]["kind"][0] == "test")
        .filter_map(|message| {
            let name = message["target"]["name"].as_str()?.to_owned();
            let manifest = PathBuf::from(message["manifest_path"].as_str()?);
            Some((name, manifest, PathBuf::from(message["executable"].as_str()?)))
        })
        .collect())
}
