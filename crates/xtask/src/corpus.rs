//! `cargo xtask corpus`: the differential test against OpenSSL over Mozilla's CA bundle (PyPI
//! `certifi`) and the x509 folder of PyPI `cryptography-vectors`, both downloaded here (never
//! committed). Compares SHA-256, MD5, subject and issuer (RFC 2253 order and escaping), validity
//! and the basicConstraints CA flag with `openssl x509`. Fails on a crash, on any field that
//! differs, and on any rejection not listed with its reason in tests/corpus/divergences.tsv.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::util;

#[path = "../../../tests/data/limbo/harness.rs"]
mod limbo_harness;

const CERTIFI: &str = "certifi==2026.10.18";
const VECTORS: &str = "cryptography-vectors==50.0.2";
const NOW: &str = "2026-11-22T00:00:00Z";

/// Mozilla's CA bundle (PyPI certifi, pinned), downloaded on first use.
pub(crate) fn mozilla_bundle() -> Result<PathBuf, String> {
    let dir = util::target_dir().join("corpora");
    fetch(&dir)?;
    Ok(dir.join("certifi/certifi/cacert.pem"))
}

pub(crate) fn run() -> Result<(), String> {
    let dir = util::target_dir().join("corpora");
    fetch(&dir)?;
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-cli"])?;
    let binary = util::target_dir().join("release/certcheck");
    let bundle = dir.join("certifi/certifi/cacert.pem");
    mozilla(&binary, &bundle)?;
    vectors(&binary, &dir.join("vectors/cryptography_vectors/x509"))?;
    peer_differential()
}

/// Downloads both corpora into `dir` (once).
pub(crate) fn fetch(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (requirement, folder) in [(CERTIFI, "certifi"), (VECTORS, "vectors")] {
        let target = dir.join(folder);
        if target.is_dir() {
            continue;
        }
        let download = dir.join(format!("{folder}-wheel"));
        let download_text = download.display().to_string();
        util::run(
            "python3",
            &[
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                &download_text,
                requirement,
            ],
        )?;
        let wheel = std::fs::read_dir(&download)
            .map_err(|e| format!("cannot list {download_text}: {e}"))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|e| e == "whl"))
            .ok_or_else(|| format!("pip downloaded no wheel for {requirement}"))?;
        let partial = dir.join(format!("{folder}.partial"));
        let _ = std::fs::remove_dir_all(&partial);
        util::run("python3", &["-m", "zipfile", "-e", &wheel.display().to_string(), &partial.display().to_string()])?;
        std::fs::rename(&partial, &target).map_err(|e| format!("cannot move the corpus into place: {e}"))?;
    }
    Ok(())
}

fn certcheck_inspect(binary: &Path, input: &Path) -> Result<Value, String> {
    let output = Command::new(binary)
        .args(["inspect", "--json", "--now", NOW])
        .arg(input)
        .output()
        .map_err(|e| format!("cannot run certcheck: {e}"))?;
    match output.status.code() {
        Some(0 | 1) => {
            serde_json::from_slice(&output.stdout).map_err(|e| format!("{}: invalid JSON: {e}", input.display()))
        }
        _ => Err(format!(
            "{}: certcheck crashed or failed ({}): {}",
            input.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// What OpenSSL reads from the first certificate of a file: fingerprints, names (RFC 2253, UTF-8
/// unescaped), validity and the basicConstraints CA flag.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Facts {
    sha256: String,
    md5: String,
    subject: String,
    issuer: String,
    not_before: String,
    not_after: String,
    is_ca: bool,
}

/// OpenSSL's facts of the first certificate, or `None` if OpenSSL cannot load it.
fn openssl_facts(input: Option<&Path>, stdin: Option<&str>) -> Option<Facts> {
    let mut outputs = Vec::new();
    for digest in ["-sha256", "-md5"] {
        let mut found = None;
        for inform in ["PEM", "DER"] {
            let mut command = Command::new("openssl");
            command.args(["x509", "-noout", "-fingerprint", digest, "-inform", inform]);
            if digest == "-sha256" {
                command.args([
                    "-subject",
                    "-issuer",
                    "-startdate",
                    "-enddate",
                    "-ext",
                    "basicConstraints",
                    "-nameopt",
                    "RFC2253,-esc_msb",
                ]);
            }
            if let Some(path) = input {
                command.arg("-in").arg(path);
            }
            command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
            let mut child = command.spawn().ok()?;
            if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
                use std::io::Write;
                pipe.write_all(text.as_bytes()).ok()?;
            }
            let output = child.wait_with_output().ok()?;
            if output.status.success() {
                found = Some(String::from_utf8_lossy(&output.stdout).into_owned());
                break;
            }
        }
        outputs.push(found?);
    }
    let [printed, md5] = outputs.as_slice() else { return None };
    let value = |text: &str, prefix: &str| -> String {
        text.lines().find_map(|line| line.strip_prefix(prefix)).unwrap_or("").trim().to_owned()
    };
    let hex = |text: &str| text.split_once('=').map(|(_, hex)| hex.trim().replace(':', "").to_ascii_lowercase());
    Some(Facts {
        sha256: hex(printed.lines().next().unwrap_or(""))?,
        md5: hex(md5)?,
        subject: value(printed, "subject="),
        issuer: value(printed, "issuer="),
        not_before: openssl_time(&value(printed, "notBefore=")),
        not_after: openssl_time(&value(printed, "notAfter=")),
        is_ca: printed.lines().any(|line| line.trim_start().starts_with("CA:TRUE")),
    })
}

/// `Nov 22 16:59:47 2022 GMT` → `2022-11-22T16:59:47Z`.
fn openssl_time(text: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [month, day, time, year, "GMT"] => {
            let month = MONTHS.iter().position(|m| m == month).map_or(0, |m| m + 1);
            format!("{year}-{month:02}-{:02}T{time}Z", day.parse::<u32>().unwrap_or(0))
        }
        _ => text.to_owned(),
    }
}

/// certcheck's facts of a reported certificate.
fn certcheck_facts(certificate: &Value) -> Facts {
    let text = |value: &Value| value.as_str().unwrap_or("").to_owned();
    Facts {
        sha256: text(&certificate["fingerprints"]["sha256"]),
        md5: text(&certificate["fingerprints"]["md5"]),
        subject: text(&certificate["subject"]),
        issuer: text(&certificate["issuer"]),
        not_before: text(&certificate["not_before"]),
        not_after: text(&certificate["not_after"]),
        is_ca: certificate["is_ca"].as_bool().unwrap_or(false),
    }
}

/// The fields where certcheck and OpenSSL differ.
fn differing(ours: &Facts, theirs: &Facts) -> Vec<&'static str> {
    let mut fields = Vec::new();
    for (name, same) in [
        ("sha256", ours.sha256 == theirs.sha256),
        ("md5", ours.md5 == theirs.md5),
        ("subject", ours.subject == theirs.subject),
        ("issuer", ours.issuer == theirs.issuer),
        ("not_before", ours.not_before == theirs.not_before),
        ("not_after", ours.not_after == theirs.not_after),
        ("is_ca", ours.is_ca == theirs.is_ca),
    ] {
        if !same {
            fields.push(name);
        }
    }
    fields
}

fn mozilla(binary: &Path, bundle: &Path) -> Result<(), String> {
    let report = certcheck_inspect(binary, bundle)?;
    let text = std::fs::read_to_string(bundle).map_err(|e| format!("cannot read the bundle: {e}"))?;
    let blocks: Vec<&str> = text
        .split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .filter_map(|rest| rest.split_once("-----END CERTIFICATE-----").map(|(body, _)| body))
        .collect();
    let certificates = report["certificates"].as_array().cloned().unwrap_or_default();
    let mut agree = 0;
    let mut differences = Vec::new();
    let mut self_signatures = SelfSignatures::default();
    let scratch = util::target_dir().join("corpora/scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    for (index, body) in blocks.iter().enumerate() {
        let pem = format!("-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----\n");
        if let Some(certificate) = certificates.iter().find(|c| c["index"] == index) {
            self_signatures.compare(&format!("certifi #{index}"), &pem, certificate, &report, &scratch);
        }
        let expected = openssl_facts(None, Some(&pem))
            .ok_or_else(|| format!("OpenSSL cannot load certificate #{index} of the bundle"))?;
        let ours = certificates
            .iter()
            .find(|c| c["index"] == index)
            .map(certcheck_facts)
            .ok_or_else(|| format!("Mozilla bundle certificate #{index}: certcheck reports no certificate"))?;
        let fields = differing(&ours, &expected);
        if fields.is_empty() {
            agree += 1;
        } else {
            differences.push(format!("#{index} {fields:?}: certcheck {ours:?}, OpenSSL {expected:?}"));
        }
    }
    self_signature_verdict(&self_signatures, "Mozilla bundle", &mut differences)?;
    if !differences.is_empty() {
        return Err(format!("Mozilla bundle: certcheck and OpenSSL differ:\n{}", differences.join("\n")));
    }
    let errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter(|d| d["severity"] == "error").collect())
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(format!("the Mozilla bundle should inspect without errors, got {errors:?}"));
    }
    let mut timings: Vec<f64> = (0..7)
        .map(|_| {
            let begun = Instant::now();
            let _ = certcheck_inspect(binary, bundle);
            begun.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    timings.sort_by(f64::total_cmp);
    let median = timings.get(timings.len() / 2).copied().unwrap_or(0.0);
    println!(
        "Mozilla bundle: {agree}/{} certificates agree with OpenSSL (SHA-256, MD5, subject, issuer, validity, CA flag)",
        blocks.len()
    );
    println!("Mozilla bundle: `certcheck inspect --json` median {median:.1} ms over 7 runs (whole process)");
    Ok(())
}

/// Whether OpenSSL verifies a certificate's self-signature: `openssl verify -check_ss_sig` with
/// the certificate as its own only trust anchor (time not checked). `None` when OpenSSL does not
/// take it for self-signed (it then finds no issuer: a self-issued certificate signed by another
/// key, or whose keyUsage lacks keyCertSign) or cannot load it.
fn openssl_self_signature(pem: &str, scratch: &Path) -> Option<bool> {
    let file = scratch.join(format!("self-{:016x}.pem", fxhash(pem.as_bytes())));
    std::fs::write(&file, pem).ok()?;
    let output = Command::new("openssl")
        .args(["verify", "-no_check_time", "-check_ss_sig", "-CAfile"])
        .arg(&file)
        .arg(&file)
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&file);
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if text.contains("unable to load") || text.contains("Could not") {
        return None;
    }
    // Error 7 is "certificate signature failure": OpenSSL could not verify the signature (a
    // wrong signature, or an algorithm it cannot compute).
    if text.lines().any(|line| line.contains("error 7 at 0 depth")) {
        return Some(false);
    }
    output.status.success().then_some(true)
}

fn fxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The self-issued certificates (subject = issuer) of the corpora: whether OpenSSL and certcheck
/// (`verified_by: "self"`) agree that the self-signature verifies. Differences must be listed in
/// tests/corpus/self-signatures.tsv with their reason.
#[derive(Default)]
struct SelfSignatures {
    compared: usize,
    both_verify: usize,
    /// `(name, openssl verifies, certcheck verifies, certcheck's signature diagnostic)`.
    differ: Vec<(String, bool, bool, String)>,
}

impl SelfSignatures {
    fn compare(&mut self, name: &str, pem: &str, certificate: &Value, report: &Value, scratch: &Path) {
        if certificate["subject"] != certificate["issuer"] {
            return;
        }
        let Some(theirs) = openssl_self_signature(pem, scratch) else { return };
        let ours = certificate["verified_by"] == "self";
        self.compared += 1;
        if theirs && ours {
            self.both_verify += 1;
        }
        if theirs != ours {
            let index = &certificate["index"];
            let why = report["diagnostics"]
                .as_array()
                .and_then(|d| {
                    d.iter().find(|d| {
                        &d["certificate"] == index && d["code"].as_str().is_some_and(|c| c.starts_with("signature."))
                    })
                })
                .and_then(|d| d["message"].as_str())
                .unwrap_or("no signature diagnostic")
                .to_owned();
            self.differ.push((name.to_owned(), theirs, ours, why));
        }
    }
}

#[derive(Default)]
struct Tally {
    loaded: usize,
    /// Per accepted file, each field that differs from OpenSSL's: (file, field, ours, OpenSSL's).
    fields: Vec<(String, &'static str, Facts, Facts)>,
    accepted: usize,
    rejected: Vec<(String, String)>,
    problems: Vec<String>,
    self_signatures: SelfSignatures,
}

fn vectors(binary: &Path, dir: &Path) -> Result<(), String> {
    let files = util::files_under(dir);
    let half = files.len() / 2;
    let (first, second) = files.split_at(half);
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> =
            [first, second].into_iter().map(|part| scope.spawn(move || compare(binary, dir, part))).collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let mut total = Tally::default();
    for tally in tallies {
        total.loaded += tally.loaded;
        total.accepted += tally.accepted;
        total.rejected.extend(tally.rejected);
        total.problems.extend(tally.problems);
        total.fields.extend(tally.fields);
        total.self_signatures.compared += tally.self_signatures.compared;
        total.self_signatures.both_verify += tally.self_signatures.both_verify;
        total.self_signatures.differ.extend(tally.self_signatures.differ);
    }
    self_signature_verdict(&total.self_signatures, "cryptography-vectors x509", &mut total.problems)?;
    total.fields.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (name, field, ours, theirs) in &total.fields {
        total.problems.push(format!("{name}: {field} differs: certcheck {ours:?}, OpenSSL {theirs:?}"));
    }
    total.rejected.sort();
    let listed = divergences()?;
    for (path, reason) in &total.rejected {
        if !listed.iter().any(|(p, _)| p == path) {
            total.problems.push(format!("{path}: rejected but not listed in tests/corpus/divergences.tsv: {reason}"));
        }
    }
    for (path, _) in &listed {
        if !total.rejected.iter().any(|(p, _)| p == path) {
            total
                .problems
                .push(format!("{path}: listed in divergences.tsv but certcheck now accepts it: remove the line"));
        }
    }
    let rate = 100.0 * total.rejected.len() as f64 / total.loaded.max(1) as f64;
    println!(
        "cryptography-vectors x509: {} files OpenSSL loads; certcheck accepts {} and rejects {} ({rate:.2} %); SHA-256, MD5, subject, issuer, validity and CA flag equal to OpenSSL's for {} of the {} accepted",
        total.loaded,
        total.accepted,
        total.rejected.len(),
        total.accepted - total.fields.iter().map(|f| &f.0).collect::<std::collections::BTreeSet<_>>().len(),
        total.accepted
    );
    for (path, reason) in &total.rejected {
        println!("  rejected {path}: {reason}");
    }
    if rate > 2.0 {
        total.problems.push(format!("rejection rate {rate:.2} % is over 2 %"));
    }
    if total.problems.is_empty() { Ok(()) } else { Err(total.problems.join("\n")) }
}

fn compare(binary: &Path, root: &Path, files: &[PathBuf]) -> Tally {
    let mut tally = Tally::default();
    let scratch = util::target_dir().join("corpora/scratch");
    let _ = std::fs::create_dir_all(&scratch);
    for path in files {
        let Some(expected) = openssl_facts(Some(path), None) else { continue };
        tally.loaded += 1;
        let name = path.strip_prefix(root).unwrap_or(path).display().to_string();
        let report = match certcheck_inspect(binary, path) {
            Ok(report) => report,
            Err(problem) => {
                tally.problems.push(problem);
                continue;
            }
        };
        let first = report["certificates"].as_array().and_then(|c| c.iter().find(|c| c["index"] == 0).cloned());
        match first {
            Some(certificate) => {
                tally.accepted += 1;
                if let Some(pem) = report["normalized_pem"].as_str() {
                    tally.self_signatures.compare(&name, pem, &certificate, &report, &scratch);
                }
                let ours = certcheck_facts(&certificate);
                let fields = differing(&ours, &expected);
                if fields.iter().any(|f| *f == "sha256" || *f == "md5") {
                    tally.problems.push(format!("{name}: fingerprints differ from OpenSSL's"));
                }
                for field in fields {
                    tally.fields.push((name.clone(), field, ours.clone(), expected.clone()));
                }
            }
            None => {
                let reason = report["diagnostics"]
                    .as_array()
                    .and_then(|d| d.iter().find(|d| d["code"] == "cert.parse_error"))
                    .and_then(|d| d["message"].as_str())
                    .unwrap_or("no cert.parse_error diagnostic")
                    .to_owned();
                if !reason.contains("parse") {
                    tally.problems.push(format!("{name}: rejected without a precise cert.parse_error"));
                }
                tally.rejected.push((name, reason));
            }
        }
    }
    tally
}

/// Prints the self-signature agreement and adds a problem for every difference not listed in
/// tests/corpus/self-signatures.tsv (and for every listed one that now agrees).
fn self_signature_verdict(tally: &SelfSignatures, corpus: &str, problems: &mut Vec<String>) -> Result<(), String> {
    let listed = listed("tests/corpus/self-signatures.tsv")?;
    println!(
        "{corpus}: {} self-issued certificates; OpenSSL and certcheck both verify {} self-signatures, differ on {}",
        tally.compared,
        tally.both_verify,
        tally.differ.len()
    );
    for (name, theirs, ours, why) in &tally.differ {
        let line = format!("{name}: OpenSSL verifies: {theirs}, certcheck verifies: {ours} ({why})");
        if listed.iter().any(|(p, _)| p == name) {
            println!("  differs, listed with its reason: {line}");
        } else {
            problems.push(format!("self-signature of {line}: not listed in tests/corpus/self-signatures.tsv"));
        }
    }
    for (name, _) in listed.iter().filter(|(name, _)| name.starts_with("certifi") == corpus.starts_with("Mozilla")) {
        if !tally.differ.iter().any(|(n, ..)| n == name) {
            problems
                .push(format!("{name}: listed in tests/corpus/self-signatures.tsv but now agrees: remove the line"));
        }
    }
    Ok(())
}

fn listed(relative: &str) -> Result<Vec<(String, String)>, String> {
    let path = util::root().join(relative);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, r)| (p.to_owned(), r.to_owned()))
        .collect())
}

fn divergences() -> Result<Vec<(String, String)>, String> {
    let path = util::root().join("tests/corpus/divergences.tsv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, r)| (p.to_owned(), r.to_owned()))
        .collect())
}

/// The category of an OpenSSL verify error (`X509_V_ERR_*`). "path": what RFC 5280 section 6
/// asks of the certificates of the path besides trust (an issuer that is no CA or may not sign
/// certificates: 24, 32, 79, 82; path length: 25; unhandled critical extension: 34; name
/// constraints: 47-49, 51; an authority or subject key identifier marked critical: 87, 88).
fn openssl_category(code: u32) -> Option<&'static str> {
    match code {
        2 | 3 | 4 | 6 | 7 | 18 | 19 | 20 | 21 | 30 | 31 => Some("trust"),
        24 | 25 | 32 | 34 | 47..=49 | 51 | 79 | 82 | 87 | 88 => Some("path"),
        9 | 10 | 13 | 14 => Some("time"),
        62..=64 => Some("name"),
        26 => Some("purpose"),
        66..=68 => Some("strength"),
        85 | 86 => Some("key identifiers"),
        _ => Some("other"),
    }
}

/// The category of a certcheck `verify` error (warnings are not refusals).
fn certcheck_category(code: &str) -> &'static str {
    match code {
        "peer.unknown_ca" | "signature.invalid" | "peer.not_direct" => "trust",
        "cert.expired" | "cert.not_yet_valid" => "time",
        "peer.name_mismatch" => "name",
        "peer.extended_key_usage" | "peer.key_usage" => "purpose",
        "cert.weak_key" | "cert.weak_signature" => "strength",
        "peer.authority_key_id" => "key identifiers",
        "peer.issuer_not_ca"
        | "peer.issuer_key_usage"
        | "peer.leaf_key_cert_sign"
        | "peer.path_length"
        | "peer.name_constraints"
        | "peer.extension_criticality"
        | "cert.unknown_critical_extension" => "path",
        "peer.certificate_profile" | "peer.is_ca" | "cert.serial_invalid" => "profile",
        _ => "other",
    }
}

/// OpenSSL's verify errors (`error N at D depth lookup: …`) for `certificate` with `arguments`
/// (run from tests/data), judged at 2026-11-22T00:00:00Z under `-x509_strict`.
fn openssl_verify(data: &Path, arguments: &str, certificate: &str) -> Result<Vec<u32>, String> {
    let output = Command::new("openssl")
        .args(["verify", "-x509_strict", "-attime", "1795305600"])
        .args(arguments.split_whitespace())
        .arg(certificate)
        .current_dir(data)
        .output()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let mut codes: Vec<u32> = text
        .lines()
        .filter_map(|line| line.split("error ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next().and_then(|n| n.parse().ok()))
        .collect();
    codes.dedup();
    if !output.status.success() && codes.is_empty() {
        return Err(format!("openssl verify {arguments} {certificate} failed without a verify error: {text}"));
    }
    Ok(codes)
}

/// The `verify` corpus against `openssl verify -x509_strict`: for every case with an OpenSSL
/// equivalent, the categories each refuses the certificate for (trust, time, name, purpose,
/// strength, key identifiers) must be equal, except where tests/data/peer/divergences.tsv lists
/// the case with its reason; a listed case that now agrees fails too.
pub(crate) fn peer_differential() -> Result<(), String> {
    let data = util::root().join("tests/data");
    let manifest = std::fs::read_to_string(data.join("peer/cases.txt"))
        .map_err(|e| format!("cannot read tests/data/peer/cases.txt: {e}"))?;
    let listed: Vec<(String, String)> = std::fs::read_to_string(data.join("peer/divergences.tsv"))
        .map_err(|e| format!("cannot read tests/data/peer/divergences.tsv: {e}"))?
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, r)| (p.to_owned(), r.to_owned()))
        .collect();
    let now = certcheck::UnixTime::parse_rfc3339(NOW).map_err(|e| e.to_string())?;
    let (mut compared, mut agree, mut verdicts) = (0, 0, 0);
    let mut problems = Vec::new();
    let mut diverging = Vec::new();
    let mut openssl_line = None;
    for line in manifest.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(arguments) = line.strip_prefix("# openssl:") {
            openssl_line = Some(arguments.trim().to_owned());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let Some(arguments) = openssl_line.take().filter(|a| a != "-") else { continue };
        let (path, args) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let words: Vec<&str> = args.split_whitespace().collect();
        let values = |flag: &str| -> Vec<&str> {
            words.windows(2).filter(|w| w.first() == Some(&flag)).filter_map(|w| w.get(1).copied()).collect()
        };
        let read = |file: &str| std::fs::read(data.join(file)).map_err(|e| format!("{file}: {e}"));
        let destination = values("--to").first().map(|name| certcheck::Destination::from_name(name, None));
        let Some(Ok(destination)) = destination else { return Err(format!("{path}: no --to")) };
        let options = certcheck::PeerOptions {
            destination,
            tunnel_domain: values("--tunnel-domain").first().map(|d| (*d).to_owned()),
            hosts: values("--host").iter().map(|h| (*h).to_owned()).collect(),
            emails: values("--email").iter().map(|e| (*e).to_owned()).collect(),
            now,
        };
        let ca = read(values("--ca").first().copied().unwrap_or_default())?;
        let key = values("--key").first().map(|key| read(key)).transpose()?;
        let report =
            certcheck::verify_peer(&read(path)?, &ca, key.as_deref(), &options).map_err(|e| format!("{path}: {e}"))?;
        let ours: std::collections::BTreeSet<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == certcheck::Severity::Error)
            .map(|d| certcheck_category(d.finding.code()))
            .collect();
        let codes = openssl_verify(&data, &arguments, path)?;
        let theirs: std::collections::BTreeSet<&str> = codes.iter().filter_map(|&c| openssl_category(c)).collect();
        compared += 1;
        if ours.is_empty() == theirs.is_empty() {
            verdicts += 1;
        }
        let same = ours == theirs;
        agree += usize::from(same);
        let listed_here = listed.iter().any(|(p, _)| p == path);
        if !same {
            diverging.push(format!("{path}: certcheck {ours:?}, openssl {theirs:?} ({codes:?})"));
            if !listed_here {
                problems.push(format!(
                    "{path}: certcheck refuses for {ours:?}, openssl -x509_strict for {theirs:?} (errors {codes:?}); list it in tests/data/peer/divergences.tsv with its reason, or fix it"
                ));
            }
        } else if listed_here {
            problems.push(format!("{path}: listed in tests/data/peer/divergences.tsv but now agrees: remove the line"));
        }
    }
    println!(
        "verify corpus against openssl verify -x509_strict: {compared} cases, same verdict {verdicts}, same refusal categories {agree} ({} listed divergences)",
        listed.len()
    );
    for line in &diverging {
        println!("  diverges, listed with its reason: {line}");
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// `cargo xtask corpus --limbo`: every x509-limbo case through `verify_peer` (the harness of
/// crates/certcheck/tests/limbo.rs, tests/data/limbo/harness.rs), agreement per family and
/// destination, the skipped cases and the slowest case; fails on a disagreement
/// tests/data/limbo/exceptions.tsv does not list, or on a line there that agrees now.
pub(crate) fn limbo() -> Result<(), String> {
    let data = util::root().join("tests/data/limbo");
    let read = |name: &str| {
        std::fs::read_to_string(data.join(name)).map_err(|e| format!("cannot read tests/data/limbo/{name}: {e}"))
    };
    let start = Instant::now();
    let summary = limbo_harness::compare(&read("limbo.json")?, &read("exceptions.tsv")?)?;
    print!("{}", summary.markdown());
    for (id, judge, reason) in &summary.skipped {
        println!("skipped: {id} as {}: {reason}", judge.name());
    }
    if let Some((elapsed, id)) = &summary.slowest {
        println!("slowest case: {id}, {elapsed:?}");
    }
    if let Some((elapsed, id)) = &summary.slowest_pathological {
        println!("slowest pathological case: {id}, {elapsed:?}");
    }
    println!("every case under every judge: {:?}", start.elapsed());
    if summary.problems.is_empty() { Ok(()) } else { Err(summary.problems.join("\n")) }
}
