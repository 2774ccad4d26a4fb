//! `cargo xtask fuzz [TARGET|all] [SECONDS] [--record]`: coverage-guided fuzzing with cargo-fuzz
//! (libFuzzer + AddressSanitizer, nightly). Seeds come from the test fixtures (copied into
//! target/fuzz/seeds, never committed) plus fuzz/seeds; the corpus grows in target/fuzz/corpus
//! across local runs. A crash fails the run and leaves its input in target/fuzz/artifacts; it
//! then belongs in fuzz/seeds/TARGET (replayed by every run) and in a unit test. With `--record`
//! the figures replace the table in docs/ROBUSTNESS.md.

use std::process::Command;

use crate::util;

pub(crate) const TARGETS: [(&str, &str); 5] = [
    ("scan", "text decoding, input sniffing and PEM scanning (`inspect` on any bytes)"),
    ("check", "`check` for each of the 5 destinations (`Destination::ALL`), then every fix twice"),
    ("fingerprint", "fingerprint parsing in any spelling, spelled back and compared"),
    ("response", "vendor answers parsed and verified for each destination, with and without the sent PEM"),
    ("proxy", "the server's forwarding decision: method + path + query → endpoint or refusal"),
];

/// Seconds per target of an exploring run of `cargo xtask fuzz` when none are given.
pub(crate) const DEFAULT_SECONDS: u32 = 40;

/// The gate of `cargo xtask test`: each target from an empty corpus plus the seeds (fixtures and
/// fuzz/seeds), libFuzzer seed 1, a fixed number of runs. The same commit explores the same
/// inputs on every machine, so it passes or fails the same way; `cargo xtask fuzz` explores for
/// longer, and what it finds becomes a seed. Run counts are sized to 15–30 s each here.
pub(crate) const GATE: [(&str, u64); 5] =
    [("scan", 12_000), ("check", 4_000), ("fingerprint", 400_000), ("response", 120_000), ("proxy", 600_000)];

/// What one run of one target did.
pub(crate) struct Outcome {
    target: &'static str,
    seconds: u32,
    executions: u64,
    coverage: u64,
    features: u64,
    corpus: u64,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--gate") {
        return gate();
    }
    let record = args.iter().any(|a| a == "--record");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let which = positional.first().map_or("all", |s| s.as_str());
    let seconds = match positional.get(1) {
        Some(text) => text.parse().map_err(|_| format!("{text:?}: expected seconds"))?,
        None => DEFAULT_SECONDS,
    };
    let targets: Vec<&'static str> = if which == "all" {
        TARGETS.iter().map(|(name, _)| *name).collect()
    } else {
        let known = TARGETS.iter().find(|(name, _)| *name == which);
        vec![known.map(|(name, _)| *name).ok_or_else(|| format!("unknown fuzz target {which:?}"))?]
    };
    let outcomes = fuzz(&targets, seconds)?;
    if record {
        write_table(&outcomes)?;
    }
    Ok(())
}

/// Builds once, then runs each target for `seconds`; prints a table. Fails on the first crash.
pub(crate) fn fuzz(targets: &[&'static str], seconds: u32) -> Result<Vec<Outcome>, String> {
    let toolchain = build()?;
    let mut outcomes = Vec::new();
    for target in targets {
        let outcome = run_target(&toolchain, target, Budget::Seconds(seconds))?;
        println!(
            "fuzz {target}: {} executions in {seconds} s, coverage {} edges ({} features), corpus {}, no crash",
            outcome.executions, outcome.coverage, outcome.features, outcome.corpus
        );
        outcomes.push(outcome);
    }
    println!("\n{}", table(&outcomes));
    Ok(outcomes)
}

/// The deterministic gate of `cargo xtask test` (see [`GATE`]). Fails on the first crash.
pub(crate) fn gate() -> Result<(), String> {
    let toolchain = build()?;
    let mut outcomes = Vec::new();
    for (target, runs) in GATE {
        let started = std::time::Instant::now();
        let outcome = run_target(&toolchain, target, Budget::Runs(runs))?;
        println!(
            "fuzz gate {target}: {} executions (seed 1, {runs} runs) in {:.1} s, coverage {} edges, no crash",
            outcome.executions,
            started.elapsed().as_secs_f64(),
            outcome.coverage
        );
        outcomes.push(outcome);
    }
    Ok(())
}

fn build() -> Result<Toolchain, String> {
    let toolchain = Toolchain::find();
    write_seeds()?;
    let build = toolchain.cargo(&["fuzz", "build", "-O", "--target-dir", &target_dir()]).status();
    if !build.map_err(|e| format!("cannot start cargo fuzz: {e}"))?.success() {
        return Err("cargo fuzz build failed".to_owned());
    }
    Ok(toolchain)
}

/// How long a target runs.
#[derive(Clone, Copy)]
enum Budget {
    /// Explore for this long, growing the local corpus (target/fuzz/corpus).
    Seconds(u32),
    /// Exactly this many runs with libFuzzer seed 1 from an empty corpus: deterministic.
    Runs(u64),
}

/// Nightly if rustup has it; otherwise the stable compiler with `RUSTC_BOOTSTRAP=1`, which
/// accepts the same `-Z` flags cargo-fuzz passes.
struct Toolchain {
    nightly: bool,
}

impl Toolchain {
    fn find() -> Self {
        let nightly = Command::new("rustup")
            .args(["run", "nightly", "rustc", "--version"])
            .output()
            .is_ok_and(|output| output.status.success());
        if !nightly {
            println!("note: no nightly toolchain; fuzzing with stable and RUSTC_BOOTSTRAP=1");
        }
        Self { nightly }
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new("cargo");
        if self.nightly {
            command.arg("+nightly");
        } else {
            command.env("RUSTC_BOOTSTRAP", "1");
        }
        command.args(args).current_dir(util::root().join("fuzz"));
        command
    }
}

fn target_dir() -> String {
    util::target_dir().join("fuzz").display().to_string()
}

fn run_target(toolchain: &Toolchain, target: &'static str, budget: Budget) -> Result<Outcome, String> {
    let base = util::target_dir().join("fuzz");
    let corpus = match budget {
        Budget::Seconds(_) => base.join("corpus").join(target),
        Budget::Runs(_) => {
            let fresh = base.join("gate").join(target);
            let _ = std::fs::remove_dir_all(&fresh);
            fresh
        }
    };
    let artifacts = base.join("artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let seeds = base.join("seeds").join(target);
    let committed = util::root().join("fuzz/seeds").join(target);
    let mut args = vec![
        "fuzz".to_owned(),
        "run".to_owned(),
        "-O".to_owned(),
        "--target-dir".to_owned(),
        target_dir(),
        target.to_owned(),
        corpus.display().to_string(),
        seeds.display().to_string(),
    ];
    if committed.is_dir() {
        args.push(committed.display().to_string());
    }
    args.push("--".to_owned());
    match budget {
        Budget::Seconds(seconds) => args.push(format!("-max_total_time={seconds}")),
        Budget::Runs(runs) => args.extend(["-seed=1".to_owned(), format!("-runs={runs}")]),
    }
    args.extend([
        "-max_len=65536".to_owned(),
        "-rss_limit_mb=3072".to_owned(),
        "-print_final_stats=1".to_owned(),
        format!("-artifact_prefix={}/", artifacts.display()),
    ]);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = toolchain.cargo(&arg_refs).output().map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
        return Err(format!(
            "fuzz target {target} failed ({}); the input is in {}:\n{}",
            output.status,
            artifacts.display(),
            tail.join("\n")
        ));
    }
    let stat = |name: &str| -> u64 {
        log.lines()
            .filter_map(|line| line.strip_prefix(&format!("stat::{name}:")))
            .filter_map(|value| value.trim().parse().ok())
            .next_back()
            .unwrap_or(0)
    };
    // The last status line: `#N DONE cov: C ft: F corp: K/…`.
    let done = log.lines().rev().find(|line| line.contains("DONE")).unwrap_or("");
    let field = |name: &str| -> u64 {
        done.split_whitespace()
            .skip_while(|word| *word != name)
            .nth(1)
            .and_then(|value| value.split('/').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or(0)
    };
    let seconds = match budget {
        Budget::Seconds(seconds) => seconds,
        Budget::Runs(_) => 0,
    };
    Ok(Outcome {
        target,
        seconds,
        executions: stat("number_of_executed_units"),
        coverage: field("cov:"),
        features: field("ft:"),
        corpus: field("corp:"),
    })
}

fn table(outcomes: &[Outcome]) -> String {
    let mut text = String::from(
        "| target | what it drives | seconds | executions | exec/s | coverage (edges) | features | corpus | crashes |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for outcome in outcomes {
        let what = TARGETS.iter().find(|(name, _)| *name == outcome.target).map_or("", |(_, what)| *what);
        text.push_str(&format!(
            "| `{}` | {what} | {} | {} | {} | {} | {} | {} | 0 |\n",
            outcome.target,
            outcome.seconds,
            outcome.executions,
            outcome.executions / u64::from(outcome.seconds.max(1)),
            outcome.coverage,
            outcome.features,
            outcome.corpus
        ));
    }
    text
}

const BEGIN: &str = "<!-- fuzz figures: begin (cargo xtask fuzz all SECONDS --record) -->";
const END: &str = "<!-- fuzz figures: end -->";

fn write_table(outcomes: &[Outcome]) -> Result<(), String> {
    let path = util::root().join("docs/ROBUSTNESS.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!("{} lacks the fuzz figure markers", path.display()));
    };
    let before = text.get(..start + BEGIN.len()).unwrap_or_default();
    let after = text.get(end..).unwrap_or_default();
    let updated = format!("{before}\n{}{after}", table(outcomes));
    std::fs::write(&path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("recorded in {}", path.display());
    Ok(())
}

/// Seeds from the fixtures: every input file for `scan`, each with every destination selector
/// for `check`, every response fixture with every selector for `response`, every fingerprint
/// spelling in the fixtures' expected reports for `fingerprint`.
fn write_seeds() -> Result<(), String> {
    let base = util::target_dir().join("fuzz/seeds");
    let _ = std::fs::remove_dir_all(&base);
    let data = util::root().join("tests/data");
    let mut inputs = Vec::new();
    let mut spellings = Vec::new();
    for path in util::files_under(&data).into_iter().chain(util::files_under(&util::root().join("examples"))) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(bytes) = std::fs::read(&path) else { continue };
        if name.ends_with(".expected.json") {
            collect_spellings(&bytes, &mut spellings);
        } else if !path.starts_with(data.join("responses"))
            && ![".rs", ".sh", ".py", ".md", "cases.txt"].iter().any(|suffix| name.ends_with(suffix))
        {
            inputs.push(bytes);
        }
    }
    let responses: Vec<Vec<u8>> =
        util::files_under(&data.join("responses")).iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let selected = |items: &[Vec<u8>], selectors: &[u8]| -> Vec<Vec<u8>> {
        items
            .iter()
            .flat_map(|item| {
                selectors.iter().map(move |s| {
                    let mut seed = vec![*s];
                    seed.extend_from_slice(item);
                    seed
                })
            })
            .collect()
    };
    let sets = [
        ("scan", inputs.clone()),
        ("check", selected(&inputs, &[0, 1, 2, 3, 4])),
        ("response", selected(&responses, &[0, 1, 2, 3, 4, 0x80, 0x81, 0x82, 0x83, 0x84])),
        ("fingerprint", spellings),
    ];
    for (target, seeds) in sets {
        let dir = base.join(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for (index, seed) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("{index:05}")), seed).map_err(|e| format!("cannot write a seed: {e}"))?;
        }
    }
    std::fs::create_dir_all(base.join("proxy")).map_err(|e| format!("cannot create the proxy seeds: {e}"))?;
    Ok(())
}

/// Every `spellings` value of an expected report, paired with the next one (`a\nb`), so that the
/// fingerprint target starts from real spellings and real comparisons.
fn collect_spellings(bytes: &[u8], into: &mut Vec<Vec<u8>>) {
    let Ok(report) = serde_json::from_slice::<serde_json::Value>(bytes) else { return };
    let Some(certificates) = report["certificates"].as_array() else { return };
    for certificate in certificates {
        let Some(spellings) = certificate["spellings"].as_object() else { continue };
        let values: Vec<&str> = spellings.values().filter_map(|v| v.as_str()).collect();
        for pair in values.windows(2) {
            if let [a, b] = pair {
                into.push(format!("{a}\n{b}").into_bytes());
            }
        }
    }
}
