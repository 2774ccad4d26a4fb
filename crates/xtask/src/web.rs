//! The dashboard: `cargo xtask web` builds it with Trunk (offline, release, profile `wasm`) into
//! target/web and prints what a first load downloads; the end-to-end stage of `cargo xtask test`
//! drives it in headless Chromium against the real server and sandbox (tests/web/e2e.mjs).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{setup, util};

/// Trunk's version: 0.22 needs a newer rustc than this toolchain (../shared/TOOLCHAIN.md).
const TRUNK_VERSION: &str = "0.21.14";

/// Trunk at [`TRUNK_VERSION`], plus the wasm tools it runs (wasm-bindgen, wasm-opt).
pub(crate) fn tools() -> Result<(), String> {
    setup::wasm_tools()?;
    let trunk = util::find("trunk");
    let version = trunk
        .as_ref()
        .and_then(|trunk| Command::new(trunk).arg("--version").output().ok())
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    if !version.contains(TRUNK_VERSION) {
        println!("installing trunk {TRUNK_VERSION} (about 5 minutes)");
        util::cargo(&["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }
    Ok(())
}

/// Builds the dashboard and returns its folder.
pub(crate) fn build() -> Result<PathBuf, String> {
    tools()?;
    let dist = util::target_dir().join("web");
    let trunk = util::find("trunk").ok_or("trunk is not installed")?;
    let status = Command::new(trunk)
        .args(["build", "--release", "--dist"])
        .arg(&dist)
        .current_dir(util::root())
        .status()
        .map_err(|e| format!("cannot start trunk: {e}"))?;
    if !status.success() {
        return Err(format!("trunk build failed ({status})"));
    }
    print_sizes(&dist)?;
    Ok(dist)
}

/// The files a first load fetches, with raw and gzipped (`gzip -9`) bytes: index.html and every
/// same-origin file it names in a `src` or `href` (boot.js, the stylesheet, and the JS glue and
/// wasm it preloads). Trunk puts content hashes in those names (Trunk.toml `filehash`), so they
/// are read from the built index.html rather than listed here.
pub(crate) fn first_load(dist: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let mut names = vec!["index.html".to_owned()];
    for attribute in [" src=\"/", " href=\"/"] {
        for (at, _) in index.match_indices(attribute) {
            let rest = index.get(at + attribute.len()..).unwrap_or("");
            let name = rest.split('"').next().unwrap_or("");
            if !name.is_empty() && !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
        }
    }
    let mut files = Vec::new();
    for file in names {
        let path = dist.join(&file);
        let raw = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?.len();
        let gzip = Command::new("gzip").args(["-9", "-c"]).arg(&path).output().map_err(|e| format!("gzip: {e}"))?;
        files.push((file, raw, gzip.stdout.len() as u64));
    }
    Ok(files)
}

fn print_sizes(dist: &Path) -> Result<(), String> {
    println!("dashboard files (target/web):");
    let files = first_load(dist)?;
    for (file, raw, gzipped) in &files {
        println!("  {file:<40} {raw:>9} bytes  {gzipped:>8} gzipped");
    }
    let raw_total: u64 = files.iter().map(|f| f.1).sum();
    let gzip_total: u64 = files.iter().map(|f| f.2).sum();
    println!("  first load: {raw_total} bytes, {gzip_total} bytes gzipped ({:.0} KB)", gzip_total as f64 / 1000.0);
    Ok(())
}

/// The end-to-end suite: release dashboard, release server with a fresh sandbox, Playwright.
pub(crate) fn e2e() -> Result<(), String> {
    let dist = build()?;
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-server"])?;
    let target = util::target_dir();
    let mut command = Command::new("node");
    command
        .arg(util::root().join("tests/web/e2e.mjs"))
        .env("CERTCHECK_SERVER", target.join("release/certcheck-server"))
        .env("CERTCHECK_STATIC", &dist)
        .env("CERTCHECK_DATA", util::root().join("tests/data"))
        .env("CERTCHECK_SCREENSHOTS", util::root().join("docs/screenshots"));
    let mozilla = target.join("corpora/certifi/certifi/cacert.pem");
    if mozilla.exists() {
        command.env("CERTCHECK_MOZILLA", &mozilla);
    }
    let status = command.status().map_err(|e| format!("cannot start node: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("tests/web/e2e.mjs failed ({status})")) }
}
