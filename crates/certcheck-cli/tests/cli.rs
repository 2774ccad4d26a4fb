//! The `certcheck` binary end to end: JSON equal to the fixture expectations, exit statuses,
//! stdin, usage errors, `--fix`, and the human format.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NOW: &str = "2026-11-22T00:00:00Z";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn certcheck(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certcheck"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(data) = stdin {
        pipe.write_all(data).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

#[test]
fn json_output_and_exit_status_match_every_fixture() {
    let manifest = std::fs::read_to_string(root().join("tests/data/cases.txt")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (path, args) = line.split_once(char::is_whitespace).unwrap();
        let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
        let expected = std::fs::read_to_string(root().join(format!("tests/data/{stem}.expected.json"))).unwrap();
        let input = format!("tests/data/{path}");
        let mut argv: Vec<&str> = args.split_whitespace().collect();
        argv.extend(["--json", "--now", NOW, input.as_str()]);
        let output = certcheck(&argv, None);
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{path}");
        let error = expected.contains("\"verdict\": \"error\"");
        assert_eq!(output.status.code(), Some(i32::from(error)), "{path}");
        assert!(output.stderr.is_empty(), "{path}: {}", String::from_utf8_lossy(&output.stderr));
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} fixtures");
}

/// `certcheck verify` over the openssl-made corpus (tests/data/peer/cases.txt): the JSON is the
/// recorded report (the library suite records it) and the exit status follows the verdict.
#[test]
fn verify_json_and_exit_status_match_every_peer_case() {
    let manifest = std::fs::read_to_string(root().join("tests/data/peer/cases.txt")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (path, args) = line.split_once(char::is_whitespace).unwrap();
        let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
        let expected = std::fs::read_to_string(root().join(format!("tests/data/{stem}.expected.json"))).unwrap();
        // Paths in the manifest are relative to tests/data.
        let words: Vec<String> = args
            .split_whitespace()
            .map(|w| if w.starts_with("peer/") { format!("tests/data/{w}") } else { w.to_owned() })
            .collect();
        let input = format!("tests/data/{path}");
        let mut argv: Vec<&str> = words.iter().map(String::as_str).collect();
        argv.extend(["--json", "--now", NOW, input.as_str()]);
        let output = certcheck(&argv, None);
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{path}");
        let error = expected.contains("\"verdict\": \"error\"");
        assert_eq!(output.status.code(), Some(i32::from(error)), "{path}");
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} cases");
    // A destination no certificate is presented to is a usage error.
    let output = certcheck(
        &["verify", "--to", "cloudflare-gateway", "--ca", "examples/anthropic-ca.pem", "examples/anthropic-ca.pem"],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Gateway generates its own CA"), "{output:?}");
}

#[test]
fn reads_standard_input() {
    let pem = std::fs::read(root().join("examples/anthropic-ca.pem")).unwrap();
    let from_file =
        certcheck(&["check", "--to", "anthropic-tunnel", "--json", "--now", NOW, "examples/anthropic-ca.pem"], None);
    let from_stdin = certcheck(&["check", "--to", "anthropic-tunnel", "--json", "--now", NOW, "-"], Some(&pem));
    assert_eq!(from_stdin.stdout, from_file.stdout);
    assert_eq!(from_stdin.status.code(), Some(0));
}

#[test]
fn usage_and_io_errors_exit_2_without_json() {
    // Usage errors are clap's: `error: …`, the usage line, a pointer to --help.
    for (args, message) in [
        (
            &["check", "examples/anthropic-ca.pem"][..],
            "error: the following required arguments were not provided:\n  --to <DESTINATION>\n",
        ),
        (
            &["check", "--to", "elsewhere", "-"][..],
            "error: invalid value 'elsewhere' for '--to <DESTINATION>'\n  [possible values: anthropic-tunnel, cloudflare-access, cloudflare-mtls, cloudflare-gateway]\n",
        ),
        (
            &["check", "--to", "anthropic-tunnel", "--no-ca", "-"][..],
            "error: --ca and --no-ca apply only to --to cloudflare-mtls\n\nUsage: certcheck check",
        ),
        (
            &["inspect", "--now", "tomorrow", "-"][..],
            "error: invalid value 'tomorrow' for '--now <RFC 3339>': expected an RFC 3339 timestamp such as 2026-11-22T00:00:00Z\n",
        ),
        (&["frobnicate"][..], "error: unrecognized subcommand 'frobnicate'\n"),
        (&[][..], "Usage: certcheck <COMMAND>"),
        // I/O errors are one line of certcheck's own.
        (
            &["inspect", "--json", "no/such/file.pem"][..],
            "certcheck: cannot read no/such/file.pem: No such file or directory (os error 2)\n",
        ),
    ] {
        let output = certcheck(args, Some(b""));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn help_version_and_completions_exit_0() {
    for args in [&["--help"][..], &["help", "upload"][..], &["upload", "--help"][..], &["-V"][..]] {
        let output = certcheck(args, None);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(output.stderr.is_empty(), "{args:?}");
    }
    let help = String::from_utf8(certcheck(&["--help"], None).stdout).unwrap();
    for command in ["check", "inspect", "verify-response", "rules", "upload", "list", "create", "remove", "completions"]
    {
        assert!(help.contains(&format!("  {command} ")), "{command}: {help}");
    }
    assert!(help.contains("CLOUDFLARE_API_TOKEN") && help.contains("ANTHROPIC_AUTH_TOKEN"), "{help}");
    let version = certcheck(&["--version"], None);
    // The commit it was built from (build.rs): this checkout's HEAD, "unknown" without git.
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map_or_else(|| "unknown".to_owned(), |output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("certcheck {} (commit {head})\n", env!("CARGO_PKG_VERSION"))
    );
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = certcheck(&["completions", shell], None);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains("upload") && script.contains("expiring-within"), "{shell}");
    }
    let bash = String::from_utf8(certcheck(&["completions", "bash"], None).stdout).unwrap();
    assert!(
        bash.contains("anthropic-tunnel cloudflare-access cloudflare-mtls cloudflare-gateway"),
        "destinations complete"
    );
}

#[test]
fn fix_repairs_pasted_json_and_drops_the_key() {
    let output =
        certcheck(&["check", "--to", "anthropic-tunnel", "--now", NOW, "--fix", "examples/pasted-from-json.txt"], None);
    let fixed = String::from_utf8(output.stdout).unwrap();
    assert!(fixed.starts_with("-----BEGIN CERTIFICATE-----\n"), "{fixed}");
    assert!(!fixed.contains("PRIVATE KEY"));
    assert_eq!(fixed.matches("-----BEGIN").count(), 1);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Verdict for anthropic-tunnel: ok"));
    let recheck =
        certcheck(&["check", "--to", "anthropic-tunnel", "--json", "--now", NOW, "-"], Some(fixed.as_bytes()));
    assert_eq!(recheck.status.code(), Some(0));
}

#[test]
fn human_format_points_at_the_line() {
    let output = certcheck(&["check", "--to", "anthropic-tunnel", "--now", NOW, "examples/pasted-from-json.txt"], None);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("error[pem.escaped_newlines]: "), "{text}");
    assert!(text.contains("  --> examples/pasted-from-json.txt:1:29\n"), "{text}");
    assert!(text.contains("   = fix: strip_escaped_newlines"), "{text}");
    assert!(text.contains("    Subject:            CN=Example MCP Tunnel CA,O=Example Corp\n"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn gateway_example_inspects_to_the_documented_fingerprint() {
    let output = certcheck(&["inspect", "--json", "--now", NOW, "examples/cloudflare-gateway-example.pem"], None);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let certificate = &report["certificates"][0];
    assert_eq!(
        certificate["fingerprints"]["sha256"],
        "e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c"
    );
    assert_eq!(
        certificate["spellings"]["cloudflare_gateway"],
        "E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:00:31:91:8B:61:B4:BF:1C"
    );
    assert_eq!(certificate["issuer"], "O=Example Inc.,L=California,ST=San Francisco,C=US");
    assert_eq!(report["verdict"], "ok");
}

/// `verify-response`: `(arguments, exit status, response.* codes expected)`.
const VERIFICATIONS: &[(&str, i32, &[&str])] = &[
    ("--to cloudflare-gateway tests/data/responses/gateway-example.json", 0, &["response.expires_on_differs"]),
    (
        "--to cloudflare-gateway tests/data/responses/gateway-tampered-fingerprint.json",
        1,
        &["response.fingerprint_mismatch", "response.expires_on_differs"],
    ),
    (
        "--to cloudflare-gateway tests/data/responses/gateway-tampered-issuer.json",
        1,
        &["response.mismatch", "response.expires_on_differs"],
    ),
    (
        "--to anthropic-tunnel --pem tests/data/anthropic/good-rsa-ca.pem tests/data/responses/anthropic-good-rsa-ca.json",
        0,
        &[],
    ),
    (
        "--to anthropic-tunnel --pem tests/data/anthropic/good-rsa-ca.pem tests/data/responses/anthropic-wrong-fingerprint.json",
        1,
        &["response.fingerprint_mismatch"],
    ),
    ("--to cloudflare-access --pem tests/data/access/good-root.pem tests/data/responses/access-good-root.json", 0, &[]),
    (
        "--to cloudflare-access --pem tests/data/access/good-root.pem tests/data/responses/access-expiry-off.json",
        1,
        &["response.mismatch"],
    ),
    ("--to cloudflare-mtls tests/data/responses/mtls-good-ca.json", 0, &[]),
    ("--to cloudflare-mtls --pem tests/data/mtls/good-ca.pem tests/data/responses/mtls-good-ca.json", 0, &[]),
    ("--to cloudflare-mtls tests/data/responses/mtls-wrong-serial.json", 1, &["response.mismatch"]),
    (
        "--to cloudflare-mtls --pem tests/data/anthropic/good-ec-p256-ca.pem tests/data/responses/mtls-good-ca.json",
        1,
        &["response.fingerprint_mismatch", "response.mismatch", "response.mismatch"],
    ),
];

#[test]
fn verify_response_compares_the_vendors_answer_with_the_local_certificate() {
    for &(args, status, codes) in VERIFICATIONS {
        let mut words = vec!["verify-response", "--json", "--now", "2026-11-22T00:00:00Z"];
        words.extend(args.split_whitespace());
        let output = certcheck(&words, None);
        assert_eq!(output.status.code(), Some(status), "{args}: {}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let found: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["code"].as_str())
            .filter(|c| c.starts_with("response."))
            .collect();
        assert_eq!(found, codes, "{args}");
    }
    // The Gateway example: its PEM is the documented CA, spelled the documented ways.
    let output = certcheck(
        &["verify-response", "--to", "cloudflare-gateway", "--json", "tests/data/responses/gateway-example.json"],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let certificate = &report["certificates"][0];
    assert_eq!(
        certificate["fingerprints"]["sha256"],
        "e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c"
    );
    assert_eq!(certificate["issuer"], "O=Example Inc.,L=California,ST=San Francisco,C=US");
    let tampered = certcheck(
        &["verify-response", "--to", "cloudflare-gateway", "tests/data/responses/gateway-tampered-fingerprint.json"],
        None,
    );
    let text = String::from_utf8_lossy(&tampered.stdout);
    assert!(
        text.contains("error[response.fingerprint_mismatch]: Cloudflare Gateway stored fingerprint E9:19:48:AA"),
        "{text}"
    );
}

#[test]
fn verify_response_refusals_exit_2_with_one_line() {
    for (args, message) in [
        (
            "verify-response --to anthropic-tunnel tests/data/responses/anthropic-error.json",
            "certcheck: tests/data/responses/anthropic-error.json: the response is an error, not a certificate: Anthropic refused the request; invalid_request_error: ca_certificate_pem: must contain exactly one certificate (request_id req_011CXexample)\n",
        ),
        (
            "verify-response --to anthropic-tunnel tests/data/responses/anthropic-good-rsa-ca.json",
            "certcheck: tests/data/responses/anthropic-good-rsa-ca.json: Anthropic's response holds no certificate: pass the PEM you uploaded (--pem FILE) to compare with it\n",
        ),
        (
            "verify-response --to cloudflare-gateway tests/data/anthropic/good-rsa-ca.pem",
            "certcheck: tests/data/anthropic/good-rsa-ca.pem: the response is not JSON: invalid number at line 1 column 2\n",
        ),
        (
            "verify-response --to cloudflare-access --pem tests/data/access/good-root.pem tests/data/responses/mtls-good-ca.json",
            "",
        ),
        (
            "verify-response tests/data/responses/gateway-example.json",
            "error: the following required arguments were not provided:\n  --to <DESTINATION>\n\nUsage: certcheck verify-response --to <DESTINATION> <RESPONSE.json|->\n\nFor more information, try '--help'.\n",
        ),
        (
            "verify-response --to cloudflare-gateway --fix x.json",
            "error: unexpected argument '--fix' found\n\n  tip: to pass '--fix' as a value, use '-- --fix'\n\nUsage: certcheck verify-response --to <DESTINATION> <RESPONSE.json|->\n\nFor more information, try '--help'.\n",
        ),
        (
            "verify-response --to cloudflare-gateway no-such-file.json",
            "certcheck: cannot read no-such-file.json: No such file or directory (os error 2)\n",
        ),
    ] {
        let output = certcheck(&args.split_whitespace().collect::<Vec<_>>(), None);
        if message.is_empty() {
            // An mTLS answer verified as Access: it parses (unknown fields ignored) and its
            // fields simply are not Access's; no refusal.
            assert_ne!(output.status.code(), Some(2), "{args}");
            continue;
        }
        assert_eq!(output.status.code(), Some(2), "{args}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), message, "{args}");
        assert!(output.stdout.is_empty(), "{args}");
    }
}
