//! `cargo xtask <verb>`: every development chore, one entry point (rust-analyzer style).
// serde_json's `value["key"]` yields Null for a missing key: it never panics.
#![allow(clippy::indexing_slicing)]

mod bench;
mod bench_inputs;
mod circles;
mod clock;
mod corpus;
mod dist;
mod fixtures;
mod fuzz;
mod image;
mod npm_tests;
mod serve;
mod setup;
mod tidy;
mod util;
mod web;

use std::process::ExitCode;

const USAGE: &str = "\
cargo xtask <verb>

  setup      install the tools the tests need (idempotent)
  serve      build and start certcheck-server with the sandbox at http://127.0.0.1:8080 (the README's main command)
  load       load the sandbox's create endpoints over loopback and print requests/s and p99 [REQUESTS] [CONCURRENCY]
  demo       build the CLI and run it on the bundled examples
  test       setup, then every test: unit, fixtures, CLI, differential corpus, wasm in Node/Chromium/Firefox,
             npm package consumers and bundlers, the dashboard end to end in Chromium and Firefox (the README's
             test command)
  clock      the suites whose inputs carry dates (fixtures, peer, CLI, the dashboard in Chromium) with
             the machine's clock moved ten years ahead (libfaketime); part of `test`
  bench      every benchmark (native, Node vs peers, sizes, Chromium, memory, limits) → docs/BENCHMARKS.md
  corpus     download Mozilla's bundle and cryptography-vectors, compare certcheck with OpenSSL
  corpus --peer   only the verify corpus (tests/data/peer) against openssl verify -x509_strict
  corpus --limbo  every x509-limbo case (tests/data/limbo) through verify: agreement per family and
             destination, the slowest case; fails on a disagreement exceptions.tsv does not list
  fuzz       [TARGET|all] [SECONDS] [--record] | --gate: cargo-fuzz (nightly) on scan, check, fingerprint, response,
             proxy; 40 s each by default; --record writes the figures into docs/ROBUSTNESS.md (the gate of
             `test` is deterministic instead: libFuzzer seed 1 and a fixed run count per target)
  web        build the dashboard (Trunk, release) into target/web and print its first-load size
  web e2e  build the dashboard and run its end-to-end suites (headless Chromium and Firefox) alone
  web screenshots  run the dashboard's Chromium suite and copy its screenshots into docs/screenshots
             (tests write them under target/screenshots only)
  web bench  measure the dashboard (paste, typing, first load, both browsers end to end, axe-core) and
             rewrite the dashboard section of docs/BENCHMARKS.md
  dist npm   build the npm package into target/npm/certcheck and print its gzipped size
  dist cli   build static (musl) certcheck and certcheck-server into target/dist/cli with SHA256SUMS
  image      build the container image (deploy/Containerfile) with podman and test it: its config, then
             its exported filesystem's server over HTTP (podman run cannot start containers here)
  package    cargo package (with its verification build) of certcheck, certcheck-api, certcheck-generate and certcheck-cli
  npm consumers  the npm package's consumer tests alone (pack, install, Node ESM/CJS, tsc, a plain page)
  npm bundlers   the example apps of examples/ (Vite 7, 6 and 8, dev and build, webpack 5, Parcel 2, esbuild,
             Rollup) built from the packed package and run in headless Chromium; publint and attw
  fixtures   regenerate tests/data/cases.rs from tests/data/cases.txt
  tidy       repository hygiene checks
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("serve") => serve::serve(args.get(1..).unwrap_or_default()),
        Some("load") => serve::load(args.get(1..).unwrap_or_default()),
        Some("demo") => demo(),
        Some("test") => test(),
        Some("clock") => clock::run(),
        Some("bench") if args.get(1).is_some_and(|a| a == "--inputs") => bench::inputs(),
        Some("bench") => bench::run(),
        Some("corpus") if args.get(1).is_some_and(|a| a == "--peer") => corpus::peer_differential(),
        Some("corpus") if args.get(1).is_some_and(|a| a == "--limbo") => corpus::limbo(),
        Some("corpus") => corpus::run(),
        Some("fuzz") => fuzz::run(args.get(1..).unwrap_or_default()),
        Some("web") => match args.get(1).map(String::as_str) {
            Some("bench") => web::bench_command(),
            Some("screenshots") => web::screenshots(),
            Some("e2e") => web::e2e(),
            _ => web::build().map(|_| ()),
        },
        Some("dist") => dist::run(args.get(1..).unwrap_or_default()),
        Some("image") => image::command(),
        Some("package") => dist::package(),
        Some("npm") => npm_tests::run(args.get(1..).unwrap_or_default()),
        Some("fixtures") => fixtures::run(),
        Some("tidy") => tidy::run(),
        Some("help" | "-h" | "--help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown verb {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn demo() -> Result<(), String> {
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-cli"])?;
    let binary = util::target_dir().join("release/certcheck");
    for (title, args) in [
        (
            "A compliant CA for an Anthropic MCP tunnel",
            &["check", "--to", "anthropic-tunnel", "examples/anthropic-ca.pem"][..],
        ),
        (
            "The same CA pasted from JSON, with a private key along",
            &["check", "--to", "anthropic-tunnel", "examples/pasted-from-json.txt"][..],
        ),
        ("Cloudflare Gateway's documented example CA", &["inspect", "examples/cloudflare-gateway-example.pem"][..]),
    ] {
        println!("\n==> {title}\n$ certcheck {}\n", args.join(" "));
        let status = std::process::Command::new(&binary)
            .args(args)
            .current_dir(util::root())
            .status()
            .map_err(|e| format!("cannot run certcheck: {e}"))?;
        println!("(exit status {})", status.code().unwrap_or(-1));
    }
    println!("\nThis demo runs the CLI (`target/release/certcheck --help`); `cargo xtask serve` starts the dashboard.");
    Ok(())
}

/// `git status --porcelain` lists nothing the test run changed or left behind (checked by `test`
/// only when it listed nothing before: a developer's uncommitted work is not the tests' doing).
fn clean_tree() -> Result<(), String> {
    let status = git_status()?;
    if status.is_empty() { Ok(()) } else { Err(format!("the tests changed the work tree:\n{status}")) }
}

fn git_status() -> Result<String, String> {
    let output = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(util::root())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn test() -> Result<(), String> {
    let clean_before = git_status().is_ok_and(|status| status.is_empty());
    let started = std::time::Instant::now();
    let mut timings = Vec::new();
    let mut stage = |name: &str, work: &dyn Fn() -> Result<(), String>| -> Result<(), String> {
        let begun = std::time::Instant::now();
        println!("==> {name}");
        let result = work();
        timings.push((name.to_owned(), begun.elapsed()));
        println!("<== {name}: {:.1} s{}", begun.elapsed().as_secs_f64(), util::disk_note());
        result
    };
    stage("setup", &setup::run)?;
    stage("tidy", &tidy::run)?;
    stage("cargo test (unit, fixtures, CLI)", &|| util::cargo(&["test", "--workspace", "--all-targets"]))?;
    stage("cargo test (doc tests)", &|| util::cargo(&["test", "--workspace", "--doc"]))?;
    stage("static binaries (musl) with SHA256SUMS, --version", &|| dist::cli().map(|_| ()))?;
    stage(
        "cargo package: certcheck, certcheck-api, certcheck-generate, certcheck-cli (verification build)",
        &dist::package,
    )?;
    stage("differential corpus against OpenSSL", &corpus::run)?;
    stage("fuzz: every target, seed 1, fixed run counts (deterministic)", &fuzz::gate)?;
    stage("wasm-bindgen-test in Node", &|| npm_tests::wasm_suite(0))?;
    stage("wasm-bindgen-test in headless Chromium", &|| npm_tests::wasm_suite(1))?;
    stage("wasm-bindgen-test in headless Firefox", &|| npm_tests::wasm_suite(2))?;
    stage("npm package: dist, pack, Node/CJS/tsc/Chromium consumers", &npm_tests::consumers)?;
    stage(
        "npm package in bundlers: Vite 7/6/8 (dev and build), webpack, Parcel, esbuild, Rollup in Chromium; publint, attw",
        &npm_tests::bundlers_built,
    )?;
    stage("dashboard: release build, end to end in headless Chromium and Firefox, axe-core", &web::e2e)?;
    stage("image: podman build, config, exported filesystem's server over HTTP", &image::stage)?;
    stage("clock moved 10 years ahead (faketime): fixtures, peer, CLI and dashboard suites again", &clock::run)?;
    stage("the work tree is as the tests found it (git status)", &|| {
        if clean_before {
            clean_tree()
        } else {
            println!("not checked: the work tree had changes before the run");
            Ok(())
        }
    })?;
    println!("\nStage timings:");
    for (name, elapsed) in &timings {
        println!("  {:>7.1} s  {name}", elapsed.as_secs_f64());
    }
    println!("  {:>7.1} s  total", started.elapsed().as_secs_f64());
    Ok(())
}
