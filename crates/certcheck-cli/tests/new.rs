//! `certcheck new`: what it writes, as OpenSSL reads it. Every certificate is made at the
//! fixtures' time and OpenSSL judges it at that time (`-attime`), so no test reads the clock.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-22T00:00:00Z";
const NOW_EPOCH: &str = "1795305600";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn certcheck(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certcheck"))
        .args(args)
        .args(["--now", NOW])
        .envs(env.iter().copied())
        .env_remove("CERTCHECK_NOW")
        .current_dir(dir)
        .output()
        .unwrap()
}

fn ok_json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn openssl(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new("openssl").args(args).envs(env.iter().copied()).current_dir(dir).output().unwrap()
}

fn assert_openssl(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = openssl(dir, args, env);
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "openssl {args:?}: {text}");
    text
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_tunnel_ca_and_server_certificate_openssl_accepts_for_the_tunnel_domain() {
    let dir = scratch("tunnel");
    let json = ok_json(&certcheck(&dir, &["new", "tunnel", "--tunnel-domain", "tunnel.example.com", "--json"], &[]));
    let made = json["made"].as_array().unwrap();
    assert_eq!(made.len(), 2);
    assert_eq!((made[0]["kind"].as_str(), made[1]["kind"].as_str()), (Some("ca"), Some("server")));
    assert_eq!(made[0]["certificate"], "./ca.pem");
    assert_eq!(made[1]["private_key"], "./server.key");
    assert_eq!(made[0]["check"]["verdict"], "ok");
    assert_eq!(made[1]["verify"]["verdict"], "ok");
    assert_eq!(made[1]["verify"]["path"].as_array().unwrap().len(), 2);
    // Anthropic's spelling: SHA-256, lowercase hex.
    let fingerprint = made[0]["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 64);
    assert!(fingerprint.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(made[0]["not_after"], "2031-11-22T00:00:00Z");
    assert_eq!(made[1]["not_after"], "2027-12-24T00:00:00Z");
    assert_eq!(made[1]["check"]["certificates"][0]["san"], serde_json::json!(["DNS:*.tunnel.example.com"]));
    assert!(json["next_steps"][0].as_str().unwrap().starts_with("certcheck upload --to anthropic-tunnel"));
    for (file, expected) in [("ca.pem", 0o644), ("ca.key", 0o600), ("server.pem", 0o644), ("server.key", 0o600)] {
        assert_eq!(mode(&dir.join(file)), expected, "{file}");
    }
    let verify = |host: &str| {
        openssl(
            &dir,
            &[
                "verify",
                "-x509_strict",
                "-attime",
                NOW_EPOCH,
                "-purpose",
                "sslserver",
                "-verify_hostname",
                host,
                "-CAfile",
                "ca.pem",
                "server.pem",
            ],
            &[],
        )
        .status
        .success()
    };
    assert!(verify("mcp.tunnel.example.com"));
    assert!(!verify("mcp.other.example.com"), "a host outside the tunnel domain must fail");
    assert!(!verify("a.b.tunnel.example.com"), "a wildcard covers one label");
    // The keys are PKCS#8 and pair with the certificates.
    for (cert, key) in [("ca.pem", "ca.key"), ("server.pem", "server.key")] {
        assert!(std::fs::read_to_string(dir.join(key)).unwrap().starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let from_key = assert_openssl(&dir, &["pkey", "-in", key, "-pubout"], &[]);
        let from_cert = assert_openssl(&dir, &["x509", "-in", cert, "-noout", "-pubkey"], &[]);
        assert_eq!(from_key, from_cert, "{key} is not {cert}'s key");
    }
}

#[test]
fn client_certificates_for_both_cloudflare_destinations_and_every_key_type() {
    for (destination, key_type) in [
        ("cloudflare-access", "p256"),
        ("cloudflare-access", "rsa2048"),
        ("cloudflare-mtls", "p384"),
        ("cloudflare-mtls", "rsa3072"),
    ] {
        let dir = scratch(&format!("client-{destination}-{key_type}"));
        let ca = ok_json(&certcheck(&dir, &["new", "ca", "--to", destination, "--key-type", key_type, "--json"], &[]));
        assert_eq!(ca["made"][0]["check"]["destination"], destination);
        let client = ok_json(&certcheck(
            &dir,
            &[
                "new",
                "client",
                "--to",
                destination,
                "--ca",
                "ca.pem",
                "--ca-key",
                "ca.key",
                "--name",
                "device 17",
                "--email",
                "ops@example.com",
                "--uri",
                "spiffe://example.com/device/17",
                "--key-type",
                key_type,
                "--json",
            ],
            &[],
        ));
        let made = &client["made"][0];
        assert_eq!(made["verify"]["verdict"], "ok", "{destination} {key_type}: {made}");
        assert_eq!(
            made["check"]["certificates"][0]["san"],
            serde_json::json!(["email:ops@example.com", "URI:spiffe://example.com/device/17"])
        );
        assert_eq!(made["check"]["certificates"][0]["extended_key_usage"], serde_json::json!(["clientAuth"]));
        assert_eq!(made["check"]["certificates"][0]["subject"], "CN=device 17");
        assert_openssl(
            &dir,
            &[
                "verify",
                "-x509_strict",
                "-attime",
                NOW_EPOCH,
                "-purpose",
                "sslclient",
                "-CAfile",
                "ca.pem",
                "client.pem",
            ],
            &[],
        );
        let refused = openssl(
            &dir,
            &[
                "verify",
                "-x509_strict",
                "-attime",
                NOW_EPOCH,
                "-purpose",
                "sslserver",
                "-CAfile",
                "ca.pem",
                "client.pem",
            ],
            &[],
        );
        assert!(!refused.status.success(), "a client certificate is no server certificate");
    }
}

#[test]
fn encrypted_keys_are_read_by_openssl_and_by_certcheck_with_the_passphrase() {
    let dir = scratch("encrypted");
    let env = [("PASS", "correct horse battery staple")];
    ok_json(&certcheck(
        &dir,
        &["new", "ca", "--to", "cloudflare-mtls", "--encrypt-key", "--passphrase-env", "PASS", "--json"],
        &env,
    ));
    let key = std::fs::read_to_string(dir.join("ca.key")).unwrap();
    assert!(key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    assert_openssl(&dir, &["pkey", "-in", "ca.key", "-passin", "env:PASS", "-noout"], &env);
    let parameters = assert_openssl(&dir, &["asn1parse", "-in", "ca.key"], &[]);
    for scheme in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(parameters.contains(scheme), "{scheme} not in {parameters}");
    }
    assert!(!openssl(&dir, &["pkey", "-in", "ca.key", "-passin", "pass:wrong", "-noout"], &[]).status.success());
    // Signing with the encrypted CA key: without its passphrase (and no terminal), refused.
    let args = ["new", "client", "--to", "cloudflare-mtls", "--ca", "ca.pem", "--ca-key", "ca.key", "--name", "c1"];
    let refused = certcheck(&dir, &args, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("[key.encrypted]"));
    assert!(!dir.join("client.pem").exists());
    let wrong = certcheck(&dir, &[&args[..], &["--ca-key-passphrase-env", "WRONG"]].concat(), &[("WRONG", "nope")]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("[new.passphrase]"));
    let made = ok_json(&certcheck(
        &dir,
        &[&args[..], &["--ca-key-passphrase-env", "PASS", "--encrypt-key", "--passphrase-env", "PASS", "--json"]]
            .concat(),
        &env,
    ));
    assert_eq!(made["made"][0]["verify"]["verdict"], "ok");
    assert_eq!(made["made"][0]["private_key_encrypted"], true);
    // verify reads the encrypted client key given its passphrase, and matches it.
    let verify = ["verify", "--to", "cloudflare-mtls", "--ca", "ca.pem", "--key", "client.key", "--json", "client.pem"];
    let matched = ok_json(&certcheck(&dir, &[&verify[..], &["--key-passphrase-env", "PASS"]].concat(), &env));
    assert_eq!(matched["verdict"], "ok", "{matched}");
    assert_eq!(matched["private_keys"][0]["matches_certificate"], 0);
    let unread = certcheck(&dir, &verify, &[]);
    let unread: Value = serde_json::from_slice(&unread.stdout).unwrap();
    assert_eq!(unread["private_keys"][0]["encrypted"], true);
    assert_eq!(unread["private_keys"][0]["matches_certificate"], Value::Null);
    // check reads it too: the upload file of leaf, CA and key, the key matched to the leaf.
    let upload = format!(
        "{}{}{}",
        std::fs::read_to_string(dir.join("client.pem")).unwrap(),
        std::fs::read_to_string(dir.join("ca.pem")).unwrap(),
        std::fs::read_to_string(dir.join("client.key")).unwrap()
    );
    std::fs::write(dir.join("upload.pem"), upload).unwrap();
    let check = ["check", "--to", "cloudflare-mtls", "--no-ca", "--json", "upload.pem"];
    let plain: Value = serde_json::from_slice(&certcheck(&dir, &check, &[]).stdout).unwrap();
    assert_eq!(plain["private_keys"][0]["matches_certificate"], Value::Null);
    let read: Value = serde_json::from_slice(
        &certcheck(&dir, &[&check[..], &["--key-passphrase-env", "PASS"]].concat(), &env).stdout,
    )
    .unwrap();
    assert_eq!(read["private_keys"][0]["matches_certificate"], 0, "{read}");
    assert_eq!(read["private_keys"][0]["encrypted"], true);
    let wrong = certcheck(&dir, &[&check[..], &["--key-passphrase-env", "WRONG"]].concat(), &[("WRONG", "nope")]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("[new.passphrase]"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}

#[test]
fn nothing_is_overwritten_without_force() {
    let dir = scratch("force");
    ok_json(&certcheck(&dir, &["new", "ca", "--to", "anthropic-tunnel", "--json"], &[]));
    let before = std::fs::read(dir.join("ca.key")).unwrap();
    let again = certcheck(&dir, &["new", "ca", "--to", "anthropic-tunnel"], &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("./ca.pem, ./ca.key already exist"));
    assert_eq!(std::fs::read(dir.join("ca.key")).unwrap(), before);
    // A tunnel would overwrite ca.*: refused before server.* is made either.
    let tunnel = certcheck(&dir, &["new", "tunnel", "--tunnel-domain", "t.example.com"], &[]);
    assert_eq!(tunnel.status.code(), Some(2));
    assert!(!dir.join("server.pem").exists());
    // With --force the files are replaced, still 0600 for a key that was made 0644 by someone.
    std::fs::set_permissions(dir.join("ca.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    ok_json(&certcheck(&dir, &["new", "ca", "--to", "anthropic-tunnel", "--force", "--json"], &[]));
    assert_ne!(std::fs::read(dir.join("ca.key")).unwrap(), before);
    assert_eq!(mode(&dir.join("ca.key")), 0o600);
}

#[test]
fn a_certificate_request_keeps_the_servers_key_where_it_was_made() {
    let dir = scratch("csr");
    ok_json(&certcheck(&dir, &["new", "ca", "--to", "anthropic-tunnel", "--key-type", "rsa2048", "--json"], &[]));
    assert_openssl(
        &dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-nodes",
            "-keyout",
            "gateway.key",
            "-subj",
            "/CN=ignored",
            "-out",
            "gateway.csr",
        ],
        &[],
    );
    let json = ok_json(&certcheck(
        &dir,
        &[
            "new",
            "server",
            "--to",
            "anthropic-tunnel",
            "--tunnel-domain",
            "t.example.com",
            "--ca",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--csr",
            "gateway.csr",
            "--host",
            "10.0.0.7",
            "--json",
        ],
        &[],
    ));
    let made = &json["made"][0];
    assert_eq!(made["private_key"], Value::Null);
    assert!(!dir.join("server.key").exists());
    assert_eq!(
        made["check"]["certificates"][0]["san"],
        serde_json::json!(["DNS:*.t.example.com", "IP Address:10.0.0.7"])
    );
    assert_eq!(made["check"]["certificates"][0]["key_usage"], serde_json::json!(["digitalSignature"]));
    let from_csr = assert_openssl(&dir, &["req", "-in", "gateway.csr", "-noout", "-pubkey"], &[]);
    let from_cert = assert_openssl(&dir, &["x509", "-in", "server.pem", "-noout", "-pubkey"], &[]);
    assert_eq!(from_csr, from_cert);
    assert_openssl(
        &dir,
        &[
            "verify",
            "-x509_strict",
            "-attime",
            NOW_EPOCH,
            "-purpose",
            "sslserver",
            "-verify_ip",
            "10.0.0.7",
            "-CAfile",
            "ca.pem",
            "server.pem",
        ],
        &[],
    );
    // A request whose signed part was altered is refused.
    let der = assert_openssl(&dir, &["req", "-in", "gateway.csr", "-outform", "DER", "-out", "gateway.der"], &[]);
    drop(der);
    let mut bytes = std::fs::read(dir.join("gateway.der")).unwrap();
    let at = bytes.windows(7).position(|w| w == b"ignored").unwrap();
    bytes[at] = b'J';
    std::fs::write(dir.join("tampered.der"), &bytes).unwrap();
    std::fs::remove_file(dir.join("server.pem")).unwrap();
    let refused = certcheck(
        &dir,
        &[
            "new",
            "server",
            "--to",
            "anthropic-tunnel",
            "--tunnel-domain",
            "t.example.com",
            "--ca",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--csr",
            "tampered.der",
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("[new.request]"));
    assert!(!dir.join("server.pem").exists());
}

#[test]
fn refusals_name_the_rule_and_write_nothing() {
    let dir = scratch("refusals");
    for (args, code) in [
        (vec!["new", "ca", "--to", "anthropic-tunnel", "--key-type", "ed25519"], "cert.key_algorithm"),
        (vec!["new", "ca", "--to", "cloudflare-access", "--key-type", "ed25519"], "cert.key_algorithm"),
        (vec!["new", "ca", "--to", "cloudflare-gateway"], "new.destination"),
        (vec!["new", "ca", "--to", "cloudflare-mtls", "--days", "20"], "new.refused"),
        (vec!["new", "tunnel", "--tunnel-domain", "bad_domain"], "new.name"),
        (vec!["new", "tunnel", "--tunnel-domain", "*.example.com"], "new.name"),
    ] {
        let output = certcheck(&dir, &[&args[..], &["--json"]].concat(), &[]);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(json["error"]["code"], code, "{args:?}: {json}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "{args:?} wrote something");
    }
    // A 20-day CA is refused by the rule that would warn about it.
    let output = certcheck(&dir, &["new", "ca", "--to", "cloudflare-mtls", "--days", "20", "--json"], &[]);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["error"]["diagnostics"][0]["code"], "cert.expires_soon");
    // A server for a destination that verifies clients: the command to use instead.
    ok_json(&certcheck(&dir, &["new", "ca", "--to", "cloudflare-access", "--json"], &[]));
    let output = certcheck(
        &dir,
        &[
            "new",
            "server",
            "--to",
            "cloudflare-access",
            "--ca",
            "ca.pem",
            "--ca-key",
            "ca.key",
            "--tunnel-domain",
            "x.com",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("use `certcheck new client`"));
}
