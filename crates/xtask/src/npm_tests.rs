//! The npm package's tests, as `cargo xtask test` runs them: the wasm-bindgen-test suite of
//! crates/certcheck-wasm three times (Node, headless Chromium, headless Firefox), then
//! tests/npm/run.mjs over the built package (pack + install + CLI parity, CommonJS, tsc,
//! a plain page in Chromium through Playwright).

use std::path::Path;
use std::process::Command;

use crate::{dist, util};

/// Where wasm-bindgen-test runs: `(name, environment)`. Exactly one driver variable per run.
fn runs(geckodriver: &Path) -> [(&'static str, Vec<(&'static str, String)>); 3] {
    [
        ("Node", vec![]),
        (
            "headless Chromium",
            vec![("WASM_BINDGEN_USE_BROWSER", "1".to_owned()), ("CHROMEDRIVER", "/usr/bin/chromedriver".to_owned())],
        ),
        (
            "headless Firefox",
            vec![("WASM_BINDGEN_USE_BROWSER", "1".to_owned()), ("GECKODRIVER", geckodriver.display().to_string())],
        ),
    ]
}

/// The wasm-bindgen-test suite in one environment.
pub(crate) fn wasm_suite(which: usize) -> Result<(), String> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(|| home.join(".cargo"), std::path::PathBuf::from);
    let all = runs(&cargo_home.join("bin/geckodriver"));
    let (name, env) = all.get(which).ok_or("no such wasm-bindgen-test run")?;
    // chromedriver leaves profile folders in TMPDIR: give each run a scratch folder.
    let scratch = util::target_dir().join("wasm-bindgen-test-tmp");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .args(["test", "-p", "certcheck-wasm", "--target", "wasm32-unknown-unknown", "--test", "exports"])
        .current_dir(util::root())
        .env("TMPDIR", &scratch)
        .env_remove("CHROMEDRIVER")
        .env_remove("GECKODRIVER")
        .env_remove("SAFARIDRIVER")
        .env_remove("WASM_BINDGEN_USE_BROWSER");
    command.envs(env.iter().map(|(key, value)| (key, value)));
    println!("wasm-bindgen-test in {name}");
    let status = command.status().map_err(|e| format!("cannot start cargo: {e}"))?;
    let _ = std::fs::remove_dir_all(&scratch);
    if status.success() { Ok(()) } else { Err(format!("wasm-bindgen-test in {name} failed ({status})")) }
}

/// Builds the package and the CLI, then runs tests/npm/run.mjs with the corpora when present.
pub(crate) fn consumers() -> Result<(), String> {
    let package = dist::npm()?;
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-cli"])?;
    let target = util::target_dir();
    let corpora = target.join("corpora");
    let mozilla = corpora.join("certifi/certifi/cacert.pem");
    let vectors = corpora.join("vectors/cryptography_vectors/x509");
    let extra: Vec<String> =
        [&mozilla, &vectors].iter().filter(|p| p.exists()).map(|p| p.display().to_string()).collect();
    let mut command = Command::new("node");
    command
        .arg(util::root().join("tests/npm/run.mjs"))
        .env("CERTCHECK_PACKAGE", &package)
        .env("CERTCHECK_CLI", target.join("release/certcheck"))
        .env("CERTCHECK_DATA", util::root().join("tests/data"))
        .env("CERTCHECK_EXTRA", extra.join(":"));
    if mozilla.exists() {
        command.env("CERTCHECK_MOZILLA", &mozilla);
    }
    let status = command.status().map_err(|e| format!("cannot start node: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("tests/npm/run.mjs failed ({status})")) }
}
