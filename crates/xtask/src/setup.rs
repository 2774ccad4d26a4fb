//! `cargo xtask setup`: the one place that installs what the tests need, idempotently. Every
//! step checks first, so a warm machine spends seconds here; a fresh one about 8 minutes
//! (each step says why its tool is installed the way it is).

use std::process::Command;

use crate::util;

/// Playwright and TypeScript for the npm package's consumer tests (tests/npm/package-lock.json).
pub(crate) const NPM_TEST_DIR: &str = "tests/npm";

pub(crate) fn run() -> Result<(), String> {
    if util::have("rustup") {
        // rustup's own servers may be out of reach: a failure here is reported, not fatal, and
        // the wasm target is checked again below.
        if let Err(problem) = util::run("rustup", &["component", "add", "clippy", "rustfmt"]) {
            println!("note: {problem}");
        }
    }
    // faketime: the clock-moved pass of `test` (crates/xtask/src/clock.rs) and the certificates the
    // dashboard suites date at their pinned time (tests/web/common.mjs).
    for (program, package) in [("openssl", "openssl"), ("python3", "python3"), ("faketime", "faketime")] {
        if !util::have(program) {
            install_apt(&[package])?;
        }
    }
    if util::run("python3", &["-m", "pip", "--version", "--quiet"]).is_err() {
        install_apt(&["python3-pip"])?;
    }
    wasm_tools()?;
    musl_tools()?;
    // The image stage (crates/xtask/src/image.rs) builds and exports the image with podman, and
    // puts Debian's CA bundle in it.
    if !util::have("podman") {
        install_apt(&["podman"])?;
    }
    if !std::path::Path::new(crate::image::CA_BUNDLE).is_file() {
        install_apt(&["ca-certificates"])?;
    }
    crate::web::tools()?;
    browsers()?;
    fuzz_tools()?;
    npm_test_dependencies()
}

/// What `cargo xtask dist npm` needs: the wasm target, wasm-bindgen's CLI at the crate's exact
/// version, and wasm-opt from npm (never Debian's binaryen, whose output breaks at start).
pub(crate) fn wasm_tools() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        util::run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let version = locked_version("wasm-bindgen")?;
    let cli = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if cli.split_whitespace().nth(1) != Some(version.as_str()) {
        println!("installing wasm-bindgen-cli {version} (about 2 minutes)");
        // No --locked: the CLI's own lock file pins a crate the registry no longer serves.
        util::cargo(&["install", "wasm-bindgen-cli", "--version", &version])?;
    }
    if !output("wasm-opt", &["--version"]).unwrap_or_default().contains("version 132") {
        util::run("npm", &["install", "--global", "--no-audit", "--no-fund", "binaryen@132"])?;
    }
    Ok(())
}

/// What `cargo xtask dist cli` needs for static binaries: the musl target, and musl-gcc (Debian's
/// musl-tools) for the C that ring compiles.
pub(crate) fn musl_tools() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == crate::dist::MUSL) {
        util::run("rustup", &["target", "add", crate::dist::MUSL])?;
    }
    if !util::have("musl-gcc") {
        install_apt(&["musl-tools"])?;
    }
    Ok(())
}

/// Headless Chromium and Firefox with their WebDriver servers, for wasm-bindgen-test and Playwright.
fn browsers() -> Result<(), String> {
    let missing: Vec<&str> =
        [("chromium", "chromium"), ("chromedriver", "chromium-driver"), ("firefox-esr", "firefox-esr")]
            .into_iter()
            .filter(|(program, _)| !util::have(program))
            .map(|(_, package)| package)
            .collect();
    if !missing.is_empty() {
        install_apt(&missing)?;
    }
    if !util::have("geckodriver") {
        println!("installing geckodriver (about 75 seconds)");
        util::cargo(&["install", "geckodriver", "--locked"])?;
    }
    Ok(())
}

/// cargo-fuzz (the nightly toolchain it drives is part of the machine; see fuzz.rs for the
/// fallback without it).
fn fuzz_tools() -> Result<(), String> {
    if !output("cargo", &["fuzz", "--version"]).unwrap_or_default().contains(CARGO_FUZZ) {
        println!("installing cargo-fuzz {CARGO_FUZZ} (about 40 seconds)");
        util::cargo(&["install", "cargo-fuzz", "--version", CARGO_FUZZ, "--locked"])?;
    }
    Ok(())
}

const CARGO_FUZZ: &str = "0.13.2";

fn npm_test_dependencies() -> Result<(), String> {
    npm_install(NPM_TEST_DIR)?;
    // The dashboard's end-to-end suites: playwright-core, selenium-webdriver, axe-core.
    npm_install(crate::web::TEST_DIR)
}

/// `npm ci` in a folder of the repository, unless node_modules already holds its lock file's
/// versions.
pub(crate) fn npm_install(folder: &str) -> Result<(), String> {
    let dir = util::root().join(folder);
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read {folder}/package-lock.json: {e}"))?;
    let stamp = dir.join("node_modules/.package-lock.json");
    // npm writes node_modules/.package-lock.json on install; reinstall when the lock changed.
    let current = std::fs::read(&stamp).map(|installed| same_packages(&installed, &lock)).unwrap_or(false);
    if !current {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .map_err(|e| format!("cannot start npm: {e}"))?;
        if !status.success() {
            return Err(format!("`npm ci` in {folder} failed ({status})"));
        }
    }
    Ok(())
}

/// Whether npm's record of installed packages names the same versions as the lock file.
fn same_packages(installed: &[u8], lock: &[u8]) -> bool {
    let read = |bytes: &[u8]| -> Option<Vec<(String, String)>> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let mut packages: Vec<(String, String)> = value["packages"]
            .as_object()?
            .iter()
            .filter(|(path, _)| !path.is_empty())
            .map(|(path, entry)| (path.clone(), entry["version"].as_str().unwrap_or("").to_owned()))
            .collect();
        packages.sort();
        Some(packages)
    };
    matches!((read(installed), read(lock)), (Some(a), Some(b)) if a == b)
}

/// The version of a package in Cargo.lock (there is exactly one wasm-bindgen).
fn locked_version(name: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(util::root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{name} is not in Cargo.lock"))? + needle.len();
    let rest = lock.get(start..).unwrap_or_default();
    Ok(rest.split('"').next().unwrap_or_default().to_owned())
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn install_apt(packages: &[&str]) -> Result<(), String> {
    println!("installing {} with apt-get", packages.join(" "));
    util::run("apt-get", &["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq"];
    args.extend_from_slice(packages);
    util::run("apt-get", &args)
}
