//! The npm package's tests, as `cargo xtask test` runs them: the wasm-bindgen-test suite of
//! crates/certcheck-wasm three times (Node, headless Chromium, headless Firefox), then
//! tests/npm/run.mjs over the built package (pack + install + CLI parity, CommonJS, tsc,
//! a plain page in Chromium through Playwright), then tests/npm/bundlers.mjs (the example apps of
//! examples/ built by Vite 7, 6 and 8 — dev servers too —, webpack 5, Parcel 2, esbuild and Rollup
//! from the packed tarball, in Chromium; publint and attw). `cargo xtask npm consumers|bundlers`
//! runs one of the last two alone.

use std::process::Command;

use crate::{dist, setup, util};

/// `cargo xtask npm consumers|bundlers`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("consumers") => consumers(),
        Some("bundlers") => bundlers(),
        _ => Err("usage: cargo xtask npm consumers|bundlers".to_owned()),
    }
}

/// Where wasm-bindgen-test runs: `(name, driver variable and program)`. Exactly one driver
/// variable is set per run; none means Node.
const RUNS: [(&str, Option<(&str, &str)>); 3] = [
    ("Node", None),
    ("headless Chromium", Some(("CHROMEDRIVER", "chromedriver"))),
    ("headless Firefox", Some(("GECKODRIVER", "geckodriver"))),
];

/// The wasm-bindgen-test suite in one environment.
pub(crate) fn wasm_suite(which: usize) -> Result<(), String> {
    let (name, driver) = RUNS.get(which).ok_or("no such wasm-bindgen-test run")?;
    // chromedriver leaves profile folders in TMPDIR: give each run a scratch folder.
    let scratch = util::target_dir().join("wasm-bindgen-test-tmp");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.args(["test", "-p", "certcheck-wasm", "--target", "wasm32-unknown-unknown", "--test", "exports"]);
    // The dashboard's page–worker messages need no browser: with the Node run only.
    if driver.is_none() {
        command.args(["-p", "certcheck-web-worker", "--test", "messages"]);
    }
    command
        .current_dir(util::root())
        .env("TMPDIR", &scratch)
        .env_remove("CHROMEDRIVER")
        .env_remove("GECKODRIVER")
        .env_remove("SAFARIDRIVER")
        .env_remove("WASM_BINDGEN_USE_BROWSER");
    if let Some((variable, program)) = driver {
        let path = util::find(program).ok_or_else(|| format!("{program} is not installed: run `cargo xtask setup`"))?;
        command.env("WASM_BINDGEN_USE_BROWSER", "1").env(variable, path);
    }
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

/// Builds the package, then runs tests/npm/bundlers.mjs over it.
pub(crate) fn bundlers() -> Result<(), String> {
    bundlers_over(&dist::npm()?)
}

/// tests/npm/bundlers.mjs over the package the consumers stage built (`test` runs it right after).
pub(crate) fn bundlers_built() -> Result<(), String> {
    let package = util::target_dir().join("npm/certcheck");
    if !package.join("package.json").exists() {
        return Err(format!("no package at {}: run `cargo xtask dist npm`", package.display()));
    }
    bundlers_over(&package)
}

/// tests/npm/bundlers.mjs over `package`: the bundlers install (once per
/// examples/package-lock.json) into target/npm-bundlers, outside the work tree.
fn bundlers_over(package: &std::path::Path) -> Result<(), String> {
    setup::npm_install(setup::NPM_TEST_DIR)?;
    let status = Command::new("node")
        .arg(util::root().join("tests/npm/bundlers.mjs"))
        .env("CERTCHECK_PACKAGE", package)
        .env("CERTCHECK_BUNDLERS", util::target_dir().join("npm-bundlers"))
        .status()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("tests/npm/bundlers.mjs failed ({status})")) }
}
