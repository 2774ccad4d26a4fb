//! The rotation runbook (docs/ROTATION.md), driven with its own commands against the real
//! `certcheck-server --sandbox`: Anthropic (a new CA uploaded while the old stays active, two at
//! most; a new server certificate verified against it; the old archived) and Cloudflare mTLS (a
//! new CA beside the old, new client certificates, the old deleted). Every command judges at the
//! sandbox's pinned time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Cli, Sandbox, vendors};

const TUNNEL: &str = "tnl_01Hx9Kp2RtQvMn3sWbYdLcF8";
const DOMAIN: &str = "tunnel.example.com";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rotation").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).to_str().unwrap().to_owned()
}

fn ok(cli: &Cli, args: &[&str]) -> Value {
    let run = cli.run(&[args, &["--json"]].concat());
    assert_eq!(run.status, 0, "{args:?}\n{}\n{}", run.stdout, run.stderr);
    run.json()
}

fn active_fingerprints(cli: &Cli, tunnel: &[&str]) -> Vec<String> {
    let listed = ok(cli, &[&["list"], tunnel].concat());
    let mut fingerprints: Vec<String> = listed["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    fingerprints.sort();
    fingerprints
}

#[test]
fn anthropic_rotation_two_active_at_most_then_the_old_archived() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let tunnel = ["--to", "anthropic-tunnel", "--tunnel", TUNNEL];
    let (old, new) = (scratch("anthropic-old"), scratch("anthropic-new"));

    // Day 0: the CA and the server certificate; the CA uploaded.
    let made = ok(&cli, &["new", "tunnel", "--tunnel-domain", DOMAIN, "--out-dir", old.to_str().unwrap()]);
    let old_fingerprint = made["made"][0]["fingerprint"].as_str().unwrap().to_owned();
    let uploaded = ok(&cli, &[&["upload"], &tunnel[..], &[&path(&old, "ca.pem")]].concat());
    assert_eq!(uploaded["outcome"], "uploaded");
    assert_eq!(active_fingerprints(&cli, &tunnel), std::slice::from_ref(&old_fingerprint));

    // Rotation, step 1: a new CA, uploaded beside the old one (two active: traffic still flows).
    let made = ok(&cli, &["new", "ca", "--to", "anthropic-tunnel", "--out-dir", new.to_str().unwrap()]);
    let new_fingerprint = made["made"][0]["fingerprint"].as_str().unwrap().to_owned();
    assert_ne!(new_fingerprint, old_fingerprint);
    assert_eq!(ok(&cli, &[&["upload"], &tunnel[..], &[&path(&new, "ca.pem")]].concat())["outcome"], "uploaded");
    let mut both = vec![old_fingerprint.clone(), new_fingerprint.clone()];
    both.sort();
    assert_eq!(active_fingerprints(&cli, &tunnel), both);

    // Step 2: the new server certificate from the new CA, verified against it and against both
    // active CAs (what the tunnel accepts during the switch); the old one is refused by the new CA.
    let (ca, ca_key) = (path(&new, "ca.pem"), path(&new, "ca.key"));
    ok(
        &cli,
        &[
            "new",
            "server",
            "--to",
            "anthropic-tunnel",
            "--tunnel-domain",
            DOMAIN,
            "--ca",
            &ca,
            "--ca-key",
            &ca_key,
            "--out-dir",
            new.to_str().unwrap(),
        ],
    );
    let verify = |server: &str, ca: &str| {
        cli.run(&["verify", "--to", "anthropic-tunnel", "--ca", ca, "--tunnel-domain", DOMAIN, "--json", server])
    };
    assert_eq!(verify(&path(&new, "server.pem"), &ca).json()["verdict"], "ok");
    let both_cas = path(&new, "both-cas.pem");
    let text = format!(
        "{}{}",
        std::fs::read_to_string(old.join("ca.pem")).unwrap(),
        std::fs::read_to_string(new.join("ca.pem")).unwrap()
    );
    std::fs::write(&both_cas, text).unwrap();
    assert_eq!(verify(&path(&new, "server.pem"), &both_cas).json()["verdict"], "ok");
    assert_eq!(verify(&path(&old, "server.pem"), &both_cas).json()["verdict"], "ok");
    let stale = verify(&path(&old, "server.pem"), &ca);
    assert_eq!(stale.status, 1);
    assert_eq!(stale.json()["verdict"], "error");

    // A third CA while two are active is refused before anything is sent.
    let third = scratch("anthropic-third");
    ok(&cli, &["new", "ca", "--to", "anthropic-tunnel", "--out-dir", third.to_str().unwrap()]);
    let refused = cli.run(&[&["upload"], &tunnel[..], &["--json", &path(&third, "ca.pem")]].concat());
    assert_eq!(refused.status, 1, "{}", refused.stdout);

    // Step 3 (after deploying the new server certificate): archive the old CA by fingerprint.
    let removed = ok(&cli, &[&["remove"], &tunnel[..], &["--fingerprint", &old_fingerprint]].concat());
    assert_eq!(removed["outcome"], "archived", "{removed}");
    assert_eq!(active_fingerprints(&cli, &tunnel), [new_fingerprint]);
}

#[test]
fn cloudflare_mtls_rotation_new_ca_beside_the_old_then_the_old_deleted() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let (old, new) = (scratch("mtls-old"), scratch("mtls-new"));
    let mut fingerprints = Vec::new();
    for dir in [&old, &new] {
        let made = ok(&cli, &["new", "ca", "--to", "cloudflare-mtls", "--out-dir", dir.to_str().unwrap()]);
        fingerprints.push(made["made"][0]["sha256"].as_str().unwrap().to_owned());
        ok(
            &cli,
            &[
                "new",
                "client",
                "--to",
                "cloudflare-mtls",
                "--ca",
                &path(dir, "ca.pem"),
                "--ca-key",
                &path(dir, "ca.key"),
                "--name",
                "device-17",
                "--out-dir",
                dir.to_str().unwrap(),
            ],
        );
        let uploaded =
            ok(&cli, &["upload", "--to", "cloudflare-mtls", "--ca", "--name", "clients", &path(dir, "ca.pem")]);
        assert_eq!(uploaded["outcome"], "uploaded");
    }
    let listed = ok(&cli, &["list", "--to", "cloudflare-mtls"]);
    assert_eq!(listed["certificates"].as_array().unwrap().len(), 2);
    // The new client certificate verifies against the new CA; the old CA is deleted.
    let verified = cli.run(&[
        "verify",
        "--to",
        "cloudflare-mtls",
        "--ca",
        &path(&new, "ca.pem"),
        "--key",
        &path(&new, "client.key"),
        "--json",
        &path(&new, "client.pem"),
    ]);
    assert_eq!(verified.json()["verdict"], "ok", "{}", verified.stdout);
    let removed = ok(&cli, &["remove", "--to", "cloudflare-mtls", "--fingerprint", &fingerprints[0]]);
    assert_eq!(removed["outcome"], "deleted", "{removed}");
    let listed = ok(&cli, &["list", "--to", "cloudflare-mtls"]);
    assert_eq!(listed["certificates"].as_array().unwrap().len(), 1);
}
