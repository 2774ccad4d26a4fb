//! The dashboard: `cargo xtask web` builds it with Trunk (offline, release, profile `wasm`) into
//! target/web and prints what a first load downloads; the end-to-end stage of `cargo xtask test`
//! drives it against the real server and sandbox in headless Chromium (tests/web/e2e.mjs,
//! Playwright) and headless Firefox (tests/web/firefox.mjs, geckodriver), auditing every state
//! with axe-core; `cargo xtask web bench` (and `cargo xtask bench`) measures it
//! (tests/web/bench.mjs) and writes the dashboard section of docs/BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::{corpus, setup, util};

/// The end-to-end suites' folder; its package-lock.json pins playwright-core, selenium-webdriver
/// and axe-core (installed by `cargo xtask setup`).
pub(crate) const TEST_DIR: &str = "tests/web";

/// The typing debounce of the dashboard's check (web/src/app.rs `DEBOUNCE`).
const DEBOUNCE_MS: f64 = 90.0;

/// The paste goal: the complete report within this long after the debounce.
const PASTE_GOAL_MS: f64 = 100.0;

/// Issue 23's goals: the first load over the wire (brotli), the paste area ready after
/// navigation, Mozilla's bundle complete with every signature verified after the debounce, and
/// the longest main-thread task meanwhile.
const FIRST_LOAD_GOAL_KB: f64 = 200.0;
const READY_GOAL_MS: f64 = 200.0;
const VERIFIED_GOAL_MS: f64 = 150.0;
const LONG_TASK_GOAL_MS: f64 = 50.0;

/// Trunk's version: 0.22 needs rustc ≥ 1.96.1, newer than the toolchain these machines have.
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
    name_worker(&dist)?;
    print_sizes(&dist)?;
    Ok(dist)
}

/// The worker's binary (web/worker), as Trunk leaves it: named without a content hash.
const WORKER: &str = "certcheck-worker";

/// Names the worker's files after their content, as Trunk names the page's (it cannot for a
/// worker: its name is written in code), so that they too are kept for a year and a page never
/// meets a worker of another build: `certcheck-worker-<hash>.js`, `…_bg.wasm` (the glue's URL of
/// it rewritten) and `…_loader.js` (the module the page starts). index.html names the loader for
/// the page (`data-certcheck="worker"`) and lets the browser prefetch all three when idle; they
/// are not part of the first paint.
fn name_worker(dist: &Path) -> Result<(), String> {
    use sha2::Digest;
    let read = |name: &str| std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"));
    let glue = String::from_utf8(read(&format!("{WORKER}.js"))?).map_err(|e| format!("{WORKER}.js: {e}"))?;
    let wasm = read(&format!("{WORKER}_bg.wasm"))?;
    let digest = sha2::Sha256::new().chain_update(glue.as_bytes()).chain_update(&wasm).finalize();
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let named = format!("{WORKER}-{hash}");
    let wasm_reference = format!("'{WORKER}_bg.wasm'");
    if glue.matches(&wasm_reference).count() != 1 {
        return Err(format!("{WORKER}.js does not name {wasm_reference} exactly once: wasm-bindgen's glue changed"));
    }
    let glue = glue.replace(&wasm_reference, &format!("'{named}_bg.wasm'"));
    let write =
        |name: String, bytes: &[u8]| std::fs::write(dist.join(&name), bytes).map_err(|e| format!("{name}: {e}"));
    write(format!("{named}.js"), glue.as_bytes())?;
    write(format!("{named}_bg.wasm"), &wasm)?;
    write(format!("{named}_loader.js"), format!("import init from './{named}.js';\nawait init();\n").as_bytes())?;
    for stale in [format!("{WORKER}.js"), format!("{WORKER}_bg.wasm")] {
        std::fs::remove_file(dist.join(&stale)).map_err(|e| format!("{stale}: {e}"))?;
    }
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let links = format!(
        "<link rel=\"prefetch\" href=\"/{named}_loader.js\" data-certcheck=\"worker\">\n\
         <link rel=\"prefetch\" href=\"/{named}.js\">\n\
         <link rel=\"prefetch\" href=\"/{named}_bg.wasm\" as=\"fetch\" crossorigin=\"anonymous\">\n</head>"
    );
    if index.matches("</head>").count() != 1 {
        return Err("index.html has no single </head>".to_owned());
    }
    std::fs::write(&index_path, index.replace("</head>", &links)).map_err(|e| format!("{}: {e}", index_path.display()))
}

/// The worker's files (see [`name_worker`]) with raw and gzipped bytes: what the page fetches
/// after its first paint.
pub(crate) fn worker_load(dist: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let names = index.lines().filter(|line| line.contains("rel=\"prefetch\"")).filter_map(|line| {
        let rest = line.split(" href=\"/").nth(1)?;
        rest.split('"').next().map(str::to_owned)
    });
    sizes(dist, names.collect())
}

/// The files a first load fetches, with raw and gzipped (`gzip -9`) bytes: index.html and every
/// same-origin file it names in a `src` or `href` (boot.js, the stylesheet, and the JS glue and
/// wasm it preloads). Trunk puts content hashes in those names (Trunk.toml `filehash`), so they
/// are read from the built index.html rather than listed here.
pub(crate) fn first_load(dist: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let mut names = vec!["index.html".to_owned()];
    // What the browser prefetches when idle (the worker's files) is not part of the first load.
    let eager: String = index.lines().filter(|line| !line.contains("rel=\"prefetch\"")).collect::<Vec<_>>().join("\n");
    for attribute in [" src=\"/", " href=\"/"] {
        for (at, _) in eager.match_indices(attribute) {
            let rest = eager.get(at + attribute.len()..).unwrap_or("");
            let name = rest.split('"').next().unwrap_or("");
            if !name.is_empty() && !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
        }
    }
    sizes(dist, names)
}

fn sizes(dist: &Path, names: Vec<String>) -> Result<Vec<(String, u64, u64)>, String> {
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
    let worker = worker_load(dist)?;
    for (file, raw, gzipped) in &worker {
        println!("  {file:<40} {raw:>9} bytes  {gzipped:>8} gzipped");
    }
    let worker_gzip: u64 = worker.iter().map(|f| f.2).sum();
    println!("  the worker, fetched after the first paint: {:.0} KB gzipped", worker_gzip as f64 / 1000.0);
    Ok(())
}

/// The computer's clock as the suites' processes see it. The suites pin every time they judge
/// (tests/web/common.mjs), so they pass under either; [`Clock::MovedAhead`] proves it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// The machine's own clock.
    Machine,
    /// The machine's clock moved [`crate::clock::AHEAD_DAYS`] ahead for node, the server and openssl
    /// (libfaketime), and the pages' clocks as far (Playwright).
    MovedAhead,
}

/// The end-to-end suites: release dashboard, release server with a fresh sandbox each, headless
/// Chromium then headless Firefox; prints each browser's time. Flow timings and axe-core results
/// go to target/web-e2e.json, screenshots to target/screenshots.
pub(crate) fn e2e() -> Result<(), String> {
    e2e_with(Clock::Machine, &[("Chromium", "e2e.mjs"), ("Firefox", "firefox.mjs")])
}

/// The given suites (browser name, script) under `clock`.
pub(crate) fn e2e_with(clock: Clock, suites: &[(&str, &str)]) -> Result<(), String> {
    let dist = build()?;
    setup::npm_install(TEST_DIR)?;
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-server"])?;
    let results = util::target_dir().join("web-e2e.json");
    let _ = std::fs::remove_file(&results);
    let mut failures = Vec::new();
    let mut timings = Vec::new();
    for &(browser, script) in suites {
        let started = Instant::now();
        let mut command = suite(script, &dist, &results);
        if clock == Clock::MovedAhead {
            crate::clock::moved_ahead(&mut command)?;
        }
        let status = command.status().map_err(|e| format!("cannot start node: {e}"))?;
        timings.push((browser, started.elapsed().as_secs_f64()));
        if !status.success() {
            failures.push(format!("tests/web/{script} ({browser}) failed ({status})"));
        }
    }
    for (browser, seconds) in &timings {
        println!("dashboard end to end in {browser}: {seconds:.1} s");
    }
    if failures.is_empty() { Ok(()) } else { Err(failures.join("; ")) }
}

/// Where the end-to-end suite writes its screenshots (never into the work tree).
fn screenshots_dir() -> PathBuf {
    util::target_dir().join("screenshots")
}

/// `cargo xtask web screenshots`: runs the Chromium suite, then copies its screenshots into
/// docs/screenshots (the README's pictures), the one command that changes them.
pub(crate) fn screenshots() -> Result<(), String> {
    e2e_with(Clock::Machine, &[("Chromium", "e2e.mjs")])?;
    let docs = util::root().join("docs/screenshots");
    let mut copied = 0;
    for shot in util::files_under(&screenshots_dir()) {
        let Some(name) = shot.file_name() else { continue };
        std::fs::copy(&shot, docs.join(name)).map_err(|e| format!("cannot copy {}: {e}", shot.display()))?;
        copied += 1;
    }
    println!("copied {copied} screenshots into {}", docs.display());
    Ok(())
}

/// `node tests/web/<script>` with the environment every suite reads.
fn suite(script: &str, dist: &Path, results: &Path) -> Command {
    let target = util::target_dir();
    let mut command = Command::new("node");
    command
        .arg(util::root().join(TEST_DIR).join(script))
        .env("CERTCHECK_SERVER", target.join("release/certcheck-server"))
        .env("CERTCHECK_STATIC", dist)
        .env("CERTCHECK_DATA", util::root().join("tests/data"))
        .env("CERTCHECK_SCREENSHOTS", screenshots_dir())
        .env("CERTCHECK_WEB_RESULTS", results);
    if let Some(geckodriver) = util::find("geckodriver") {
        command.env("GECKODRIVER", geckodriver);
    }
    let mozilla = target.join("corpora/certifi/certifi/cacert.pem");
    if mozilla.exists() {
        command.env("CERTCHECK_MOZILLA", &mozilla);
    }
    command
}

/// The Create page timed per key type (tests/web/create-bench.mjs) against the built dashboard
/// and the release server; its JSON.
pub(crate) fn create_bench() -> Result<Value, String> {
    let dist = build()?;
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-server"])?;
    let results = util::target_dir().join("web-create.json");
    let output = suite("create-bench.mjs", &dist, &results).output().map_err(|e| format!("cannot start node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "tests/web/create-bench.mjs failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("tests/web/create-bench.mjs: invalid JSON: {e}"))
}

/// `cargo xtask web bench`: the dashboard's figures, written into docs/BENCHMARKS.md in place of
/// its dashboard section (the rest of the file is `cargo xtask bench`'s).
pub(crate) fn bench_command() -> Result<(), String> {
    let (section, goals) = bench()?;
    let path = util::root().join("docs/BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = splice(&text, &section, &goals);
    std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("{section}\nwrote the dashboard section of {}", path.display());
    Ok(())
}

/// The heading of the dashboard's section in docs/BENCHMARKS.md.
const SECTION_HEADING: &str = "## Dashboard";

/// Replaces the dashboard section of `text` (from its heading to the next `## `), or inserts it
/// before "## This run"; replaces the goals that start with "Dashboard".
fn splice(text: &str, section: &str, goals: &[String]) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut skipping = false;
    let mut inserted = false;
    let mut in_goals = false;
    for line in text.lines() {
        if line.starts_with("## ") {
            skipping = false;
            if in_goals {
                // The old dashboard goals were dropped below: the new ones end the list.
                while lines.last().is_some_and(|l| l.is_empty()) {
                    lines.pop();
                }
                lines.extend(goals.iter().map(|goal| format!("- {goal}")));
                lines.push(String::new());
            }
            in_goals = line == "## Goals";
            if line.starts_with(SECTION_HEADING) || (line == "## This run" && !inserted) {
                lines.extend(section.trim_end().lines().map(str::to_owned));
                lines.push(String::new());
                inserted = true;
                if line.starts_with(SECTION_HEADING) {
                    skipping = true;
                    continue;
                }
            }
        }
        if skipping || (in_goals && line.starts_with("- Dashboard")) {
            continue;
        }
        lines.push(line.to_owned());
    }
    if !inserted {
        lines.push(String::new());
        lines.extend(section.trim_end().lines().map(str::to_owned));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Runs both end-to-end suites (for the Firefox and axe-core results) and tests/web/bench.mjs
/// (Chromium figures); returns the section for docs/BENCHMARKS.md and its goals.
pub(crate) fn bench() -> Result<(String, Vec<String>), String> {
    corpus::mozilla_bundle()?;
    e2e()?;
    let dist = util::target_dir().join("web");
    let results_path = util::target_dir().join("web-e2e.json");
    let output = suite("bench.mjs", &dist, &results_path)
        .arg("--json")
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "tests/web/bench.mjs failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let figures: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("tests/web/bench.mjs: invalid JSON: {e}"))?;
    let results: Value = std::fs::read(&results_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| format!("{} is missing: the end-to-end suites did not record", results_path.display()))?;
    Ok(render(&figures, &results))
}

/// One table row per file of `load` (bench.mjs's `firstLoad` or `worker`), then the total row;
/// returns the bytes over the wire.
fn file_rows(text: &mut String, load: &Value) -> u64 {
    for file in load["files"].as_array().cloned().unwrap_or_default() {
        let _ = writeln!(
            text,
            "| `{}` | {} | {} |",
            file["path"].as_str().unwrap_or("?"),
            file["raw"].as_u64().unwrap_or(0),
            file["wire"].as_u64().unwrap_or(0)
        );
    }
    let wire = load["wire"].as_u64().unwrap_or(0);
    let _ = writeln!(
        text,
        "| **total** | {} | **{wire} bytes ({:.0} KB)** |",
        load["raw"].as_u64().unwrap_or(0),
        wire as f64 / 1000.0
    );
    wire
}

fn render(figures: &Value, results: &Value) -> (String, Vec<String>) {
    let ms = |value: &Value| value.as_f64().map_or_else(|| "?".to_owned(), |v| format!("{v:.0} ms"));
    let row = |name: &str, stats: &Value| {
        format!("| {name} | {} | {} | {} |\n", ms(&stats["median"]), ms(&stats["min"]), ms(&stats["max"]))
    };
    let after = |stats: &Value| {
        let shift = |key: &str| Value::from(stats[key].as_f64().unwrap_or(0.0) - DEBOUNCE_MS);
        serde_json::json!({ "median": shift("median"), "min": shift("min"), "max": shift("max") })
    };
    let certificates = figures["bundle"]["certificates"].as_u64().unwrap_or(0);
    let bytes = figures["bundle"]["bytes"].as_u64().unwrap_or(0);
    let paste = &figures["paste"];
    let mut text = format!(
        "{SECTION_HEADING}\n\n\
         Regenerated by `cargo xtask web bench` (or `cargo xtask bench`). The release build served by certcheck-server \
         from loopback with a fresh sandbox, once it has made its best compressed forms (brotli 11; it answers a \
         file's first request at a fast level and upgrades in the background); figures from `tests/web/bench.mjs` in headless {} ({} runs each), \
         measured inside the page (performance.now, requestAnimationFrame, long tasks); the Firefox and axe-core results \
         from the end-to-end suites of the same run.\n\n\
         ### First load (cold cache)\n\n| file | raw | over the wire (brotli) |\n|---|---:|---:|\n",
        figures["browser"].as_str().unwrap_or("Chromium"),
        figures["runs"].as_u64().unwrap_or(0),
    );
    let wire = file_rows(&mut text, &figures["firstLoad"]);
    let _ = writeln!(
        text,
        "\nThe paste area is ready {} after navigation (median of 3 cold loads).\n",
        ms(&figures["firstLoad"]["readyMs"]["median"]),
    );
    text.push_str(
        "After the first paint the page prefetches and starts its Web Workers (signature verification, key \
         generation), whose files are not part of the first load:\n\n| file | raw | over the wire (brotli) |\n|---|---:|---:|\n",
    );
    file_rows(&mut text, &figures["worker"]);
    let _ = writeln!(
        text,
        "\nThe first worker is ready {} after navigation (median).\n",
        ms(&figures["worker"]["readyMs"]["median"])
    );
    let _ = write!(
        text,
        "### Mozilla's bundle pasted ({certificates} certificates, {bytes} bytes, one input event)\n\n\
         The check that renders reports the signatures already known (`Signatures::Known`); the others are verified \
         after the report is on screen by the page's Web Workers, and the input is checked again when they are done. \
         \"Cold\": a fresh page whose first worker is ready, no signature known; \"warm\": pasted again in the same page.\n\n\
         | measure | median | min | max |\n|---|---:|---:|---:|\n"
    );
    text.push_str(&row(
        "paste → complete report on screen, cold (includes the 90 ms debounce)",
        &paste["cold"]["report"],
    ));
    text.push_str(&row("the same, after the debounce", &after(&paste["cold"]["report"])));
    text.push_str(&row("the check that renders (`check` with `Signatures::Known`)", &paste["cold"]["checkMs"]));
    text.push_str(&row("paste → every signature verified and the report complete, cold", &paste["cold"]["verified"]));
    text.push_str(&row(
        "report on screen → signatures verified (the workers, then a second check)",
        &paste["cold"]["verifyMs"],
    ));
    text.push_str(&row("longest task while pasting, cold", &paste["cold"]["longestTask"]));
    text.push_str(&row("paste → complete report on screen, warm (includes the debounce)", &paste["warm"]["report"]));
    text.push_str(&row("the same, after the debounce", &after(&paste["warm"]["report"])));
    let typing = &figures["typing"];
    let _ = write!(
        text,
        "\n### Typing in that input\n\n{} keystrokes 40 ms apart (faster than the debounce), each one character in a \
         comment line; from the input event to the end of the next frame. The same keystrokes in a bare `<textarea>` \
         holding the same text, on a page of its own, show what the browser itself spends laying out 234 KB of text \
         after an edit (no GPU on this machine).\n\n| measure | median | min | max |\n|---|---:|---:|---:|\n",
        typing["keystrokes"].as_u64().unwrap_or(0)
    );
    text.push_str(&row("keystroke → next frame rendered, dashboard", &typing["toNextFrame"]));
    text.push_str(&row("keystroke → next frame rendered, bare textarea", &typing["bareTextarea"]));
    let _ = writeln!(
        text,
        "\nOnce typing stops, the re-check (debounce included) is on screen {} after the last key. The longest task \
         while typing and re-checking takes {} (a keystroke's frame, with the textarea's layout, is one task).\n",
        ms(&typing["recheckAfterLastKey"]),
        ms(&typing["longestTask"]),
    );
    let mut goals = Vec::new();
    let cold_after = paste["cold"]["report"]["median"].as_f64().unwrap_or(f64::MAX) - DEBOUNCE_MS;
    goals.push(format!(
        "Dashboard: Mozilla's bundle pasted shows its complete report within {PASTE_GOAL_MS:.0} ms after the debounce: \
         {cold_after:.0} ms (median, cold); every signature verified {} after the paste — {}.",
        ms(&paste["cold"]["verified"]["median"]),
        if cold_after <= PASTE_GOAL_MS { "met" } else { "missed" }
    ));
    let met = |ok: bool| if ok { "met" } else { "missed" };
    let first_kb = wire as f64 / 1000.0;
    goals.push(format!(
        "Dashboard first load at most {FIRST_LOAD_GOAL_KB:.0} KB over the wire (brotli): {first_kb:.0} KB — {}.",
        met(first_kb <= FIRST_LOAD_GOAL_KB)
    ));
    let ready = figures["firstLoad"]["readyMs"]["median"].as_f64().unwrap_or(f64::MAX);
    goals.push(format!(
        "Dashboard paste area ready at most {READY_GOAL_MS:.0} ms after navigation (cold, loopback, Chromium): {ready:.0} ms — {}.",
        met(ready <= READY_GOAL_MS)
    ));
    let verified_after = paste["cold"]["verified"]["median"].as_f64().unwrap_or(f64::MAX) - DEBOUNCE_MS;
    goals.push(format!(
        "Dashboard: Mozilla's bundle complete with every signature verified at most {VERIFIED_GOAL_MS:.0} ms after the \
         debounce: {verified_after:.0} ms (median, cold) — {}.",
        met(verified_after <= VERIFIED_GOAL_MS)
    ));
    let longest = paste["cold"]["longestTask"]["median"].as_f64().unwrap_or(f64::MAX);
    goals.push(format!(
        "Dashboard: no main-thread task over {LONG_TASK_GOAL_MS:.0} ms while that paste completes: longest {longest:.0} ms \
         (median, cold) — {}.",
        met(longest <= LONG_TASK_GOAL_MS)
    ));
    text.push_str("### End to end, per browser\n\n| browser | flows passed | time |\n|---|---:|---:|\n");
    let mut audits = Vec::new();
    for browser in ["chromium", "firefox"] {
        let result = &results[browser];
        let flows = result["flows"].as_array().cloned().unwrap_or_default();
        let passed = flows.iter().filter(|f| f["ok"].as_bool() == Some(true)).count();
        let _ = writeln!(
            text,
            "| {browser} | {passed}/{} | {:.1} s |",
            flows.len(),
            result["totalMs"].as_f64().unwrap_or(0.0) / 1000.0
        );
        goals.push(format!(
            "Dashboard end to end in {browser}: {passed}/{} flows pass — {}.",
            flows.len(),
            if passed == flows.len() && passed > 0 { "met" } else { "missed" }
        ));
        for audit in result["audits"].as_array().cloned().unwrap_or_default() {
            audits.push((browser, audit));
        }
    }
    let firefox_flows = results["firefox"]["flows"].as_array().cloned().unwrap_or_default();
    text.push_str(
        "\nFirefox flows (firefox-esr through geckodriver, selenium-webdriver):\n\n| flow | time |\n|---|---:|\n",
    );
    for flow in &firefox_flows {
        let mark = if flow["ok"].as_bool() == Some(true) { "" } else { " (failed)" };
        let _ = writeln!(text, "| {}{mark} | {} |", flow["name"].as_str().unwrap_or("?"), ms(&flow["ms"]));
    }
    text.push_str(
        "\n### axe-core, every page state the flows reach\n\n\
         | browser | page state | critical | serious | moderate | minor | rules |\n|---|---|---:|---:|---:|---:|---|\n",
    );
    let mut blocking = 0;
    for (browser, audit) in &audits {
        let count = |key: &str| audit[key].as_u64().unwrap_or(0);
        blocking += count("critical") + count("serious");
        let ids: Vec<&str> = audit["ids"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let _ = writeln!(
            text,
            "| {browser} | {} | {} | {} | {} | {} | {} |",
            audit["state"].as_str().unwrap_or("?"),
            count("critical"),
            count("serious"),
            count("moderate"),
            count("minor"),
            if ids.is_empty() { "—".to_owned() } else { ids.join(", ") }
        );
    }
    goals.push(format!(
        "Dashboard: no serious or critical axe-core violation in the {} page states audited (Chromium and Firefox): {blocking} — {}.",
        audits.len(),
        if blocking == 0 && !audits.is_empty() { "met" } else { "missed" }
    ));
    (text, goals)
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn the_dashboard_section_is_replaced_in_place_and_its_goals_too() {
        let before = "# B\n\n## Goals\n\n- Other goal.\n- Dashboard: old.\n\n## Native\n\ntext\n\n## Dashboard\n\nold\n\n## This run\n\n- x\n";
        let after = splice(before, "## Dashboard\n\nnew\n", &["Dashboard: new.".to_owned()]);
        assert_eq!(
            after,
            "# B\n\n## Goals\n\n- Other goal.\n- Dashboard: new.\n\n## Native\n\ntext\n\n## Dashboard\n\nnew\n\n## This run\n\n- x\n"
        );
        let without = "# B\n\n## Goals\n\n- Other goal.\n\n## Native\n\ntext\n\n## This run\n\n- x\n";
        let inserted = splice(without, "## Dashboard\n\nnew\n", &["Dashboard: new.".to_owned()]);
        assert_eq!(
            inserted,
            "# B\n\n## Goals\n\n- Other goal.\n- Dashboard: new.\n\n## Native\n\ntext\n\n## Dashboard\n\nnew\n\n## This run\n\n- x\n"
        );
    }
}
