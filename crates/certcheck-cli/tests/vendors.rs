//! `upload`, `list`, `create` and `remove` against the real `certcheck-server --sandbox` on a
//! loopback port, configured only through the vendors' environment variables and the documented
//! flags: every command for every family, idempotent re-uploads, uploads refused before anything
//! is sent, Anthropic's two-active limit, vendor errors with their codes and request ids, lost
//! answers resolved by listing (never by posting again), `--expiring-within` both ways,
//! `--dry-run`, and no token in any output (the runner checks every run).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;

use serde_json::{Value, json};
use support::{
    ACCOUNT, ANTHROPIC_TOKEN, CLOUDFLARE_TOKEN, Cli, Misbehave, NOW, Proxy, Sandbox, fixture, temp_file, vendors,
};

const TUNNEL: &str = "tnl_01Hx9Kp2RtQvMn3sWbYdLcF8";

fn strs(value: &Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

fn ids(list: &Value) -> Vec<String> {
    list["certificates"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn anthropic_uploads_are_idempotent_a_third_is_refused_and_remove_archives() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let tunnel = ["--to", "anthropic-tunnel", "--tunnel", TUNNEL];
    let upload = |file: &str, json: bool| {
        let path = fixture(file);
        let mut args = vec!["upload"];
        args.extend(tunnel);
        if json {
            args.push("--json");
        }
        args.push(&path);
        cli.run(&args)
    };

    let first = upload("examples/anthropic-ca.pem", true);
    assert_eq!(first.status, 0, "{}\n{}", first.stdout, first.stderr);
    let answer = first.json();
    assert_eq!(
        (&answer["outcome"], &answer["already_present"], &answer["sent"], &answer["verified"]),
        (&json!("uploaded"), &json!(false), &json!(true), &json!(true))
    );
    assert_eq!(answer["verdict"], "ok", "the check report's fields come first");
    assert_eq!(answer["record"]["fingerprint"], answer["certificates"][0]["spellings"]["anthropic"]);
    let id = answer["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("tcrt_"));
    assert_eq!(sandbox.tunnel_ids(TUNNEL, true), [id.as_str()]);

    // Again: already there, nothing posted.
    let again = upload("examples/anthropic-ca.pem", true);
    assert_eq!(again.status, 0);
    let answer = again.json();
    assert_eq!(
        (&answer["outcome"], &answer["already_present"], &answer["sent"]),
        (&json!("already_present"), &json!(true), &json!(false))
    );
    assert_eq!(answer["id"], id.as_str());
    assert_eq!(sandbox.tunnel_ids(TUNNEL, true), [id.as_str()]);
    let human = upload("examples/anthropic-ca.pem", false);
    assert!(
        human.stdout.contains(&format!("Already present: {id} in tunnel {TUNNEL} (Tunnels API)")),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("Verified: the vendor's record matches the certificate"), "{}", human.stdout);

    // A second, then a third refused before Anthropic sees it, naming the two active ones.
    assert_eq!(upload("tests/data/anthropic/good-ec-p256-ca.pem", false).status, 0);
    let active = sandbox.tunnel_ids(TUNNEL, false);
    assert_eq!(active.len(), 2);
    let third = upload("tests/data/anthropic/good-ec-p384-ca.pem", true);
    assert_eq!(third.status, 1, "{}", third.stderr);
    let answer = third.json();
    assert_eq!((&answer["outcome"], &answer["sent"]), (&json!("tunnel_full"), &json!(false)));
    let named: Vec<&str> = answer["active"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(named.len(), 2);
    for id in &active {
        assert!(third.stderr.contains(id.as_str()), "{}", third.stderr);
        assert!(named.contains(&id.as_str()));
    }
    assert!(third.stderr.contains("certcheck remove --to anthropic-tunnel"), "{}", third.stderr);
    assert_eq!(sandbox.tunnel_ids(TUNNEL, true).len(), 2, "nothing was sent");

    // list: one line per certificate, the vendor's spelling, days left at --now.
    let mut args = vec!["list"];
    args.extend(tunnel);
    args.extend(["--json", "--now", NOW]);
    let list = cli.run(&args);
    assert_eq!(list.status, 0, "{}", list.stderr);
    let listed = list.json();
    assert_eq!((&listed["destination"], &listed["count"]), (&json!("anthropic-tunnel"), &json!(2)));
    let row = listed["certificates"].as_array().unwrap().iter().find(|c| c["id"] == id.as_str()).unwrap().clone();
    assert_eq!(row["fingerprint"], row["record"]["fingerprint"]);
    assert_eq!(row["sha256"], row["fingerprint"]);
    assert_eq!((&row["state"], &row["archived"], &row["verified"]), (&json!("active"), &json!(false), &Value::Null));
    assert_eq!((&row["not_after"], &row["days_left"]), (&json!("2036-01-01T00:00:00Z"), &json!(3327)));
    let mut args = vec!["list"];
    args.extend(tunnel);
    let text = cli.run(&args).stdout;
    assert!(text.starts_with("ID "), "{text}");
    assert!(text.contains(&id) && text.contains("2 certificate(s) in tunnel"), "{text}");

    // remove by fingerprint, spelled the OpenSSL way: archived; again: already archived.
    let sha256 = row["sha256"].as_str().unwrap();
    let colons: Vec<String> = (0..32).map(|i| sha256[i * 2..i * 2 + 2].to_ascii_uppercase()).collect();
    let spelled = format!("sha256 Fingerprint={}", colons.join(":"));
    let mut args = vec!["remove"];
    args.extend(tunnel);
    args.extend(["--fingerprint", &spelled, "--json"]);
    let removed = cli.run(&args);
    assert_eq!(removed.status, 0, "{}", removed.stderr);
    assert_eq!((&removed.json()["outcome"], &removed.json()["id"]), (&json!("archived"), &json!(id)));
    assert_eq!(sandbox.tunnel_ids(TUNNEL, false).len(), 1);
    let again = cli.run(&args);
    assert_eq!((again.status, again.json()["outcome"].clone()), (0, json!("already_archived")));
    // Now there is room for the third.
    assert_eq!(upload("tests/data/anthropic/good-ec-p384-ca.pem", false).status, 0);
    let mut args = vec!["list"];
    args.extend(tunnel);
    args.extend(["--include-archived", "--json"]);
    let all = cli.run(&args).json();
    assert_eq!(all["count"], 3);
    let states: Vec<&str> =
        all["certificates"].as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap()).collect();
    assert_eq!(states.iter().filter(|s| **s == "archived").count(), 1);
}

#[test]
fn the_admin_api_is_selected_with_api_admin() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let ca = fixture("tests/data/anthropic/good-rsa-ca.pem");
    let dry = cli.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--api",
        "admin",
        "--dry-run",
        "--json",
        &ca,
    ]);
    assert_eq!(dry.status, 0, "{}", dry.stderr);
    let request = &dry.json()["request"];
    assert_eq!(request["url"], format!("{}/v1/organizations/tunnels/{TUNNEL}/certificates", sandbox.base));
    assert_eq!(request["headers"]["anthropic-beta"], "mcp-tunnels-2026-05-19");
    let uploaded =
        cli.run(&["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--api", "admin", "--json", &ca]);
    assert_eq!((uploaded.status, uploaded.json()["outcome"].clone()), (0, json!("uploaded")), "{}", uploaded.stderr);
    let listed = cli.run(&["list", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--api", "admin", "--json"]);
    assert_eq!(listed.json()["count"], 1);
    assert!(listed.json()["collection"].as_str().unwrap().contains("Admin API"));
}

#[test]
fn access_uploads_name_themselves_and_deletes_wait_for_hostnames() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let root = fixture("tests/data/access/good-root.pem");
    let upload = cli.run(&[
        "upload",
        "--to",
        "cloudflare-access",
        "--hostname",
        "admin.example.com",
        "--hostname",
        "ADMIN.example.com",
        "--json",
        &root,
    ]);
    assert_eq!(upload.status, 0, "{}", upload.stderr);
    let answer = upload.json();
    assert_eq!(answer["outcome"], "uploaded");
    assert_eq!(answer["record"]["name"], "Example Root CA", "named after its common name");
    assert_eq!(answer["record"]["associated_hostnames"], json!(["admin.example.com"]));
    assert_eq!(answer["record"]["fingerprint"], answer["certificates"][0]["spellings"]["cloudflare_access"]);
    let id = answer["id"].as_str().unwrap().to_owned();
    let again = cli.run(&["upload", "--to", "cloudflare-access", "--hostname", "ops.example.com", "--json", &root]);
    assert_eq!((again.status, again.json()["already_present"].clone()), (0, json!(true)));
    assert!(
        again.stderr.contains("is not associated with ops.example.com (it has: admin.example.com)"),
        "{}",
        again.stderr
    );
    // The same CA in a zone is another collection.
    let zone =
        cli.run(&["upload", "--to", "cloudflare-access", "--zone", ACCOUNT, "--name", "zone CA", "--json", &root]);
    assert_eq!((zone.status, zone.json()["outcome"].clone()), (0, json!("uploaded")), "{}", zone.stderr);
    assert_eq!(zone.json()["record"]["name"], "zone CA");

    let listed = cli.run(&["list", "--to", "cloudflare-access", "--json"]).json();
    assert_eq!(ids(&listed), [id.as_str()]);
    assert_eq!(listed["certificates"][0]["state"], "used by admin.example.com");
    assert_eq!(listed["certificates"][0]["subject"], Value::Null, "Access returns no PEM");

    // Refused while a hostname uses it: certcheck says why and sends nothing.
    let md5 = answer["certificates"][0]["spellings"]["cloudflare_access"].as_str().unwrap().to_owned();
    let refused = cli.run(&["remove", "--to", "cloudflare-access", "--fingerprint", &md5, "--json"]);
    assert_eq!(refused.status, 1);
    assert_eq!(refused.json()["outcome"], "refused");
    assert!(refused.stderr.contains("admin.example.com"), "{}", refused.stderr);
    assert_eq!(sandbox.cloudflare_ids("access/certificates"), [id.as_str()]);
    // A SHA-256 cannot name an Access record (it stores only MD5): a usage error.
    let sha = answer["certificates"][0]["fingerprints"]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(cli.run(&["remove", "--to", "cloudflare-access", "--fingerprint", &sha]).status, 2);
    sandbox.put(
        &format!("/client/v4/accounts/{ACCOUNT}/access/certificates/{id}"),
        &json!({ "associated_hostnames": [] }),
    );
    let deleted = cli.run(&["remove", "--to", "cloudflare-access", "--id", &id]);
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    assert_eq!(deleted.stdout, format!("Deleted {id} from Cloudflare Access of account {ACCOUNT}.\n"));
    assert!(sandbox.cloudflare_ids("access/certificates").is_empty());
    let gone = cli.run(&["remove", "--to", "cloudflare-access", "--id", &id, "--json"]);
    assert_eq!((gone.status, gone.json()["outcome"].clone()), (1, json!("not_found")));
    let zoned = cli.run(&["remove", "--to", "cloudflare-access", "--zone", ACCOUNT, "--fingerprint", &md5]);
    assert_eq!(zoned.status, 0, "{}", zoned.stderr);
}

#[test]
fn a_refused_check_sends_nothing_and_prints_the_report_as_check_does() {
    let sandbox = Sandbox::start();
    let proxy = Proxy::start(sandbox.address(), Misbehave::DropWithoutForwarding);
    let cli = Cli::new(vendors(&proxy.base));
    let leaf = fixture("tests/data/access/leaf-not-ca.pem");
    let check = cli.run(&["check", "--to", "cloudflare-access", "--json", "--now", NOW, &leaf]);
    let upload = cli.run(&["upload", "--to", "cloudflare-access", "--json", "--now", NOW, &leaf]);
    assert_eq!(upload.status, 1);
    assert_eq!(upload.stdout, check.stdout, "the report exactly as `check --json` prints it");
    assert!(upload.stderr.contains("nothing was sent"), "{}", upload.stderr);
    let human = cli.run(&["upload", "--to", "cloudflare-access", "--now", NOW, &leaf]);
    let human_check = cli.run(&["check", "--to", "cloudflare-access", "--now", NOW, &leaf]);
    assert_eq!((human.status, &human.stdout), (1, &human_check.stdout));
    // A key where a CA belongs is reported by the check, and never sent.
    let keyed = cli.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--json",
        &fixture("examples/pasted-from-json.txt"),
    ]);
    assert_eq!(keyed.status, 1);
    assert!(keyed.stdout.contains("key.private_key_present"));
    assert_eq!(proxy.writes(), 0);
    assert!(sandbox.cloudflare_ids("access/certificates").is_empty());
    assert!(sandbox.get(&format!("/v1/tunnels/{TUNNEL}/certificates"))["data"].as_array().unwrap().is_empty());
}

#[test]
fn mtls_uploads_cas_and_leaves_with_their_key_and_guards_deletes() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let ca = fixture("tests/data/mtls/good-ca.pem");
    let uploaded = cli.run(&["upload", "--to", "cloudflare-mtls", "--name", "client CA", "--json", &ca]);
    assert_eq!(uploaded.status, 0, "{}", uploaded.stderr);
    let answer = uploaded.json();
    assert_eq!(
        (&answer["outcome"], &answer["verified"], &answer["record"]["ca"]),
        (&json!("uploaded"), &json!(true), &json!(true))
    );
    let ca_id = answer["id"].as_str().unwrap().to_owned();
    assert_eq!(
        cli.run(&["upload", "--to", "cloudflare-mtls", "--ca", "--json", &ca]).json()["outcome"],
        "already_present"
    );

    // A leaf with its key, from standard input: the key goes in its own field, never shown.
    let leaf = support::new_leaf_with_key("origin-client.example.com");
    let key_line = leaf.lines().rfind(|l| !l.starts_with("-----")).unwrap().to_owned();
    let dry = cli.run_stdin(&["upload", "--to", "cloudflare-mtls", "--no-ca", "--dry-run", "-"], leaf.as_bytes());
    assert_eq!(dry.status, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("\"private_key\":\"<redacted: the PKCS#8 private key from the input>\""),
        "{}",
        dry.stdout
    );
    assert!(!dry.stdout.contains(&key_line), "no key material in a dry run");
    assert!(dry.stdout.contains("authorization: Bearer <redacted>"), "{}", dry.stdout);
    assert!(sandbox.cloudflare_ids("mtls_certificates").len() == 1, "a dry run sends nothing");
    let leaf_upload = cli.run_stdin(&["upload", "--to", "cloudflare-mtls", "--no-ca", "--json", "-"], leaf.as_bytes());
    assert_eq!(leaf_upload.status, 0, "{}", leaf_upload.stderr);
    assert!(!leaf_upload.stdout.contains(&key_line));
    assert_eq!(leaf_upload.json()["record"]["ca"], false);
    let again = cli.run_stdin(&["upload", "--to", "cloudflare-mtls", "--no-ca", "--json", "-"], leaf.as_bytes());
    assert_eq!(again.json()["outcome"], "already_present");
    // A leaf without its key cannot be sent as it is.
    let bare = temp_file("bare-leaf.pem", leaf.split("-----BEGIN PRIVATE KEY-----").next().unwrap());
    let blocked = cli.run(&["upload", "--to", "cloudflare-mtls", "--no-ca", "--json", &bare]);
    assert_eq!((blocked.status, blocked.json()["outcome"].clone()), (1, json!("blocked")));
    assert!(blocked.stderr.contains("needs the leaf's private key"), "{}", blocked.stderr);

    let listed = cli.run(&["list", "--to", "cloudflare-mtls", "--json"]);
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let listed = listed.json();
    assert_eq!(listed["count"], 2);
    for row in listed["certificates"].as_array().unwrap() {
        assert_eq!(row["verified"], true, "{row}");
        assert!(row["state"].as_str().unwrap().ends_with(", no associations"), "{row}");
        assert!(row["subject"].is_string() && row["fingerprint"].as_str().unwrap().contains(':'));
    }

    // In use: refused with the service named; then deleted once the association is gone.
    sandbox.post(
        &format!("/api/sandbox/mtls_certificates/{ca_id}/associations"),
        &json!({ "service": "gateway", "status": "active" }),
    );
    let row = cli.run(&["list", "--to", "cloudflare-mtls", "--json"]).json()["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ca_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["state"], "CA, used by gateway (active)");
    assert_eq!(row["associations"], json!([{ "service": "gateway", "status": "active" }]));
    let refused = cli.run(&["remove", "--to", "cloudflare-mtls", "--id", &ca_id]);
    assert_eq!(refused.status, 1);
    assert!(refused.stderr.contains("in use by gateway (active)"), "{}", refused.stderr);
    assert_eq!(sandbox.delete(&format!("/api/sandbox/mtls_certificates/{ca_id}/associations")), 200);
    let sha = row["sha256"].as_str().unwrap().to_owned();
    let deleted = cli.run(&["remove", "--to", "cloudflare-mtls", "--fingerprint", &sha, "--json"]);
    assert_eq!((deleted.status, deleted.json()["outcome"].clone()), (0, json!("deleted")), "{}", deleted.stderr);
    assert_eq!(sandbox.cloudflare_ids("mtls_certificates").len(), 1);
}

#[test]
fn vendor_errors_show_their_codes_and_request_ids() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    // Cloudflare: five CAs per account, then 1489.
    for number in 0..5 {
        let ca = temp_file(&format!("ca-{number}.pem"), &support::new_ca(&format!("Test CA {number}")));
        let uploaded = cli.run(&["upload", "--to", "cloudflare-mtls", &ca]);
        assert_eq!(uploaded.status, 0, "{}", uploaded.stderr);
    }
    let sixth = temp_file("ca-6.pem", &support::new_ca("Test CA 6"));
    let refused = cli.run(&["upload", "--to", "cloudflare-mtls", "--json", &sixth]);
    assert_eq!(refused.status, 1);
    let answer = refused.json();
    assert_eq!((&answer["outcome"], &answer["sent"]), (&json!("refused"), &json!(true)));
    assert_eq!(answer["error"]["errors"][0]["code"], 1489);
    assert_eq!(answer["error"]["status"], 400);
    assert_eq!(
        refused.stderr,
        "certcheck: Cloudflare refused the upload: HTTP 400, code 1489: Hit maximum CA cert allocation\n"
    );
    // Anthropic: an archived tunnel takes no certificate (409 conflict_error, with a request id).
    assert_eq!(
        cli.run(&["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, &fixture("examples/anthropic-ca.pem")])
            .status,
        0
    );
    sandbox.post(&format!("/v1/tunnels/{TUNNEL}/archive"), &json!({}));
    let refused = cli.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--json",
        &fixture("tests/data/anthropic/good-ec-p256-ca.pem"),
    ]);
    assert_eq!(refused.status, 1, "{}", refused.stderr);
    let error = &refused.json()["error"];
    assert_eq!(
        (&error["vendor"], &error["status"], &error["errors"][0]["type"]),
        (&json!("anthropic"), &json!(409), &json!("conflict_error"))
    );
    let request_id = error["request_id"].as_str().unwrap();
    assert!(request_id.starts_with("req_"));
    assert!(refused.stderr.contains(&format!("(request-id {request_id})")), "{}", refused.stderr);
    assert!(
        refused.stderr.starts_with("certcheck: Anthropic refused the upload: HTTP 409, conflict_error: "),
        "{}",
        refused.stderr
    );
}

#[test]
fn gateway_cas_are_created_checked_verified_written_and_removed_once_inactive() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let output = temp_file("gateway-ca.pem", "");
    let created = cli.run(&["create", "--to", "cloudflare-gateway", "--validity-days", "400", "-o", &output, "--json"]);
    assert_eq!(created.status, 0, "{}", created.stderr);
    let answer = created.json();
    assert_eq!(
        (&answer["outcome"], &answer["verified"], &answer["verdict"]),
        (&json!("created"), &json!(true), &json!("ok"))
    );
    assert_eq!(answer["destination"], "cloudflare-gateway");
    assert_eq!((&answer["output"], &answer["pem"]), (&json!(output), &Value::Null));
    let pem = std::fs::read_to_string(&output).unwrap();
    assert_eq!(Some(pem.as_str()), answer["normalized_pem"].as_str());
    let check = cli.run(&["check", "--to", "cloudflare-gateway", &output]);
    assert_eq!(check.status, 0, "{}", check.stdout);
    let id = answer["id"].as_str().unwrap().to_owned();
    // Without -o: the PEM on stdout, the summary on stderr.
    let second = cli.run(&["create", "--to", "cloudflare-gateway"]);
    assert_eq!(second.status, 0, "{}", second.stderr);
    assert!(
        second.stdout.starts_with("-----BEGIN CERTIFICATE-----\n")
            && second.stdout.ends_with("-----END CERTIFICATE-----\n")
    );
    assert!(
        second.stderr.contains("Created Gateway CA ") && second.stderr.contains("binding_status pending_deployment"),
        "{}",
        second.stderr
    );

    let listed = cli.run(&["list", "--to", "cloudflare-gateway", "--json"]).json();
    assert_eq!(listed["count"], 2);
    let row = listed["certificates"].as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap().clone();
    assert_eq!((&row["verified"], &row["state"]), (&json!(true), &json!("pending_deployment")));
    assert!(row["subject"].as_str().unwrap().contains("Gateway CA"));
    assert_eq!(row["fingerprint"], row["record"]["fingerprint"], "Cloudflare's own (unpadded) spelling");

    let refused = cli.run(&["remove", "--to", "cloudflare-gateway", "--id", &id, "--json"]);
    assert_eq!((refused.status, refused.json()["outcome"].clone()), (1, json!("refused")));
    assert!(refused.stderr.contains("only inactive Gateway CAs"), "{}", refused.stderr);
    sandbox.post(&format!("/client/v4/accounts/{ACCOUNT}/gateway/certificates/{id}/deactivate"), &json!({}));
    let sha = row["sha256"].as_str().unwrap().to_owned();
    let deleted = cli.run(&["remove", "--to", "cloudflare-gateway", "--fingerprint", &sha]);
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    assert_eq!(sandbox.cloudflare_ids("gateway/certificates").len(), 1);

    for (args, message) in [
        (&["create", "--to", "cloudflare-gateway", "--validity-days", "0"][..], "outside Cloudflare's range 1–10950"),
        (&["create", "--to", "anthropic-tunnel"][..], "use `certcheck upload`"),
        (&["upload", "--to", "cloudflare-gateway", "x.pem"][..], "certcheck create --to cloudflare-gateway"),
    ] {
        let run = cli.run(args);
        assert_eq!(run.status, 2, "{args:?}");
        assert!(run.stderr.contains(message) && run.stdout.is_empty(), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn expiring_within_alerts_both_ways() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let uploaded = cli.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--json",
        &fixture("examples/anthropic-ca.pem"),
    ]);
    let id = uploaded.json()["id"].as_str().unwrap().to_owned();
    let list = |days: &str| {
        cli.run(&[
            "list",
            "--to",
            "anthropic-tunnel",
            "--tunnel",
            TUNNEL,
            "--include-archived",
            "--now",
            "2035-12-20T00:00:00Z",
            "--expiring-within",
            days,
            "--json",
        ])
    };
    // It expires 2036-01-01: 12 days after --now.
    let soon = list("30");
    assert_eq!(soon.status, 1);
    let answer = soon.json();
    assert_eq!((strs(&answer["expiring"]), &answer["expiring_within_days"]), (vec![id.clone()], &json!(30)));
    assert_eq!(
        (&answer["certificates"][0]["days_left"], &answer["certificates"][0]["expiring"]),
        (&json!(12), &json!(true))
    );
    assert!(
        soon.stderr.contains(&format!(
            "1 certificate(s) expire within 30 days: {id} (expires 2036-01-01T00:00:00Z, 12 days left)"
        )),
        "{}",
        soon.stderr
    );
    let later = list("5");
    assert_eq!((later.status, strs(&later.json()["expiring"]).len()), (0, 0));
    let text = cli.run(&[
        "list",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--now",
        "2035-12-20T00:00:00Z",
        "--expiring-within",
        "5",
    ]);
    assert!(text.stdout.contains("None expires within 5 days."), "{}", text.stdout);
    // Archived certificates are out of service: they never alert.
    assert_eq!(cli.run(&["remove", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--id", &id]).status, 0);
    assert_eq!(list("30").status, 0);
    // An empty collection alerts on nothing.
    assert_eq!(cli.run(&["list", "--to", "cloudflare-gateway", "--expiring-within", "30"]).status, 0);
}

#[test]
fn a_lost_answer_is_settled_by_listing_never_by_posting_again() {
    let sandbox = Sandbox::start();
    // The upload lands, the answer is lost: the CLI lists, finds it, verifies it.
    let dropping = Proxy::start(sandbox.address(), Misbehave::ForwardThenDrop);
    let cli = Cli::new(vendors(&dropping.base));
    let landed = cli.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--json",
        &fixture("examples/anthropic-ca.pem"),
    ]);
    assert_eq!(landed.status, 0, "{}\n{}", landed.stdout, landed.stderr);
    let answer = landed.json();
    assert_eq!(
        (&answer["outcome"], &answer["sent"], &answer["verified"]),
        (&json!("landed"), &json!(true), &json!(true))
    );
    assert!(answer["failure"].as_str().unwrap().len() > 1);
    assert_eq!(dropping.writes(), 1, "posted once");
    assert_eq!(sandbox.tunnel_ids(TUNNEL, true), [answer["id"].as_str().unwrap().to_owned()]);
    let human = cli.run(&["upload", "--to", "cloudflare-mtls", &fixture("tests/data/mtls/good-ca.pem")]);
    assert_eq!(human.status, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains("listed the mTLS store of account") && human.stdout.contains("again: it landed as "),
        "{}",
        human.stdout
    );
    assert_eq!(dropping.writes(), 2);

    // The connection drops before anything is forwarded: not stored, safe to re-run (exit 2).
    let dead = Proxy::start(sandbox.address(), Misbehave::DropWithoutForwarding);
    let cli = Cli::new(vendors(&dead.base));
    let p256 = fixture("tests/data/anthropic/good-ec-p256-ca.pem");
    let lost = cli.run(&["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--json", &p256]);
    assert_eq!(lost.status, 2, "{}", lost.stderr);
    assert_eq!((&lost.json()["outcome"], &lost.json()["sent"]), (&json!("not_stored"), &json!(true)));
    assert!(lost.stderr.contains("running the same command again is safe"), "{}", lost.stderr);
    assert_eq!(dead.writes(), 1, "posted once");
    assert_eq!(sandbox.tunnel_ids(TUNNEL, true).len(), 1, "nothing landed");
    // Running it again (the vendor reachable now) uploads it.
    let direct = Cli::new(vendors(&sandbox.base));
    assert_eq!(
        direct.run(&["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--json", &p256]).json()["outcome"],
        "uploaded"
    );

    // A timeout is a lost answer too.
    let hanging = Proxy::start(sandbox.address(), Misbehave::ForwardThenHang);
    let cli = Cli::new(vendors(&hanging.base));
    let timed_out = cli.run(&[
        "upload",
        "--to",
        "cloudflare-access",
        "--timeout",
        "1",
        "--json",
        &fixture("tests/data/access/good-root.pem"),
    ]);
    assert_eq!((timed_out.status, timed_out.json()["outcome"].clone()), (0, json!("landed")), "{}", timed_out.stderr);
    assert!(timed_out.json()["failure"].as_str().unwrap().contains("timeout"), "{}", timed_out.stdout);
    assert_eq!((hanging.writes(), sandbox.cloudflare_ids("access/certificates").len()), (1, 1));

    // A removal whose answer is lost: listed again, it is archived.
    let id = sandbox.tunnel_ids(TUNNEL, false)[0].clone();
    let cli = Cli::new(vendors(&dropping.base));
    let removed = cli.run(&["remove", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--id", &id, "--json"]);
    assert_eq!((removed.status, removed.json()["outcome"].clone()), (0, json!("archived")), "{}", removed.stderr);
    assert_eq!(dropping.writes(), 3);
    // A Gateway create whose answer is lost: the new CA in the list is this run's; its PEM is written.
    let output = temp_file("landed-gateway.pem", "");
    let created = cli.run(&["create", "--to", "cloudflare-gateway", "-o", &output, "--json"]);
    assert_eq!((created.status, created.json()["outcome"].clone()), (0, json!("landed")), "{}", created.stderr);
    assert!(std::fs::read_to_string(&output).unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(dropping.writes(), 4);
    let cli = Cli::new(vendors(&dead.base));
    let none = cli.run(&["create", "--to", "cloudflare-gateway", "--json"]);
    assert_eq!((none.status, none.json()["outcome"].clone()), (2, json!("not_created")));
    assert_eq!(sandbox.cloudflare_ids("gateway/certificates").len(), 1);
}

#[test]
fn tokens_never_reach_any_output_even_when_a_vendor_echoes_them() {
    let sandbox = Sandbox::start();
    let echo = Proxy::start(sandbox.address(), Misbehave::EchoCredentials);
    let cli = Cli::new(vendors(&echo.base));
    let refused = cli.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--json",
        &fixture("examples/anthropic-ca.pem"),
    ]);
    assert_eq!(refused.status, 1);
    assert!(refused.stdout.contains("rejected credentials: authorization: Bearer <redacted>"), "{}", refused.stdout);
    assert!(refused.stderr.contains("Bearer <redacted>"), "{}", refused.stderr);
    // The legacy global key: both values are scrubbed.
    let legacy = Cli::new(vec![
        ("CLOUDFLARE_EMAIL", "ops-secret@example.com".to_owned()),
        ("CLOUDFLARE_API_KEY", CLOUDFLARE_TOKEN.to_owned()),
        ("CLOUDFLARE_BASE_URL", format!("{}/client/v4", echo.base)),
        ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_owned()),
    ]);
    let refused = legacy.run(&["upload", "--to", "cloudflare-access", &fixture("tests/data/access/good-root.pem")]);
    assert_eq!(refused.status, 1);
    assert!(!refused.stderr.contains("ops-secret@example.com"), "{}", refused.stderr);
    assert!(refused.stderr.contains("x-auth-key: <redacted>"), "{}", refused.stderr);
    let dry = legacy.run(&["create", "--to", "cloudflare-gateway", "--dry-run"]);
    assert!(dry.stdout.contains("x-auth-email: <redacted>\nx-auth-key: <redacted>\n"), "{}", dry.stdout);

    // Every command, human and JSON, against the sandbox: the runner asserts no token leaks.
    let cli = Cli::new(vendors(&sandbox.base));
    let ca = fixture("examples/anthropic-ca.pem");
    for args in [
        &["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, &ca][..],
        &["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--json", &ca][..],
        &["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--dry-run", &ca][..],
        &["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--dry-run", "--json", &ca][..],
        &["list", "--to", "anthropic-tunnel", "--tunnel", TUNNEL][..],
        &["list", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--json", "--dry-run"][..],
        &["create", "--to", "cloudflare-gateway", "--json"][..],
        &["create", "--to", "cloudflare-gateway", "--dry-run", "--json"][..],
        &["list", "--to", "cloudflare-gateway", "--json"][..],
        &["remove", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--fingerprint", "00", "--json"][..],
        &["remove", "--to", "cloudflare-mtls", "--id", "nope", "--dry-run"][..],
    ] {
        let run = cli.run(args);
        assert_ne!(run.status, -1, "{args:?}");
    }
    let dry = cli.run(&["list", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--dry-run"]);
    assert!(
        dry.stdout.contains(
            "authorization: Bearer <redacted>\nanthropic-version: 2023-06-01\nanthropic-beta: mcp-tunnels-2026-06-22\n"
        ),
        "{}",
        dry.stdout
    );
    assert!(!dry.stdout.contains(ANTHROPIC_TOKEN));
}

#[test]
fn dry_runs_show_the_exact_request_and_send_nothing() {
    let sandbox = Sandbox::start();
    let proxy = Proxy::start(sandbox.address(), Misbehave::DropWithoutForwarding);
    let cli = Cli::new(vendors(&proxy.base));
    let root = fixture("tests/data/access/good-root.pem");
    let dry =
        cli.run(&["upload", "--to", "cloudflare-access", "--hostname", "a.example.com", "--dry-run", "--json", &root]);
    assert_eq!(dry.status, 0, "{}", dry.stderr);
    let answer = dry.json();
    assert_eq!((&answer["outcome"], &answer["sent"]), (&json!("dry_run"), &json!(false)));
    let request = &answer["request"];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["url"], format!("{}/client/v4/accounts/{ACCOUNT}/access/certificates", proxy.base));
    assert_eq!(request["headers"]["authorization"], "Bearer <redacted>");
    assert_eq!(request["headers"]["content-type"], "application/json");
    let body: Value = serde_json::from_str(request["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({ "certificate": answer["normalized_pem"], "name": "Example Root CA", "associated_hostnames": ["a.example.com"] })
    );
    let text = cli.run(&["remove", "--to", "cloudflare-mtls", "--fingerprint", &"AB:".repeat(32)[..95], "--dry-run"]);
    assert_eq!(text.status, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(&format!(
            "GET {}/client/v4/accounts/{ACCOUNT}/mtls_certificates?page=1&per_page=50\n",
            proxy.base
        )),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!("DELETE {}/client/v4/accounts/{ACCOUNT}/mtls_certificates/{{id}}\n", proxy.base)),
        "{}",
        text.stdout
    );
    // Without credentials a dry run still shows the request, saying what a real run needs.
    let bare = Cli::new(vec![("ANTHROPIC_BASE_URL", proxy.base.clone())]);
    let shown = bare.run(&[
        "upload",
        "--to",
        "anthropic-tunnel",
        "--tunnel",
        TUNNEL,
        "--dry-run",
        &fixture("examples/anthropic-ca.pem"),
    ]);
    assert_eq!(shown.status, 0);
    assert!(shown.stdout.contains("authorization: <not set: ANTHROPIC_AUTH_TOKEN>"), "{}", shown.stdout);
    assert_eq!(proxy.writes(), 0);
}

#[test]
fn usage_network_and_credential_errors_exit_2_without_json() {
    let sandbox = Sandbox::start();
    let cli = Cli::new(vendors(&sandbox.base));
    let ca = fixture("examples/anthropic-ca.pem");
    for (args, message) in [
        (&["upload", "--to", "anthropic-tunnel", "--json", &ca][..], "needs --tunnel <ID>"),
        (&["upload", "--to", "anthropic-tunnel", "--tunnel", "../etc", &ca][..], "is not an id"),
        (&["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--name", "x", &ca][..], "--name applies to"),
        (
            &["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--account", ACCOUNT, &ca][..],
            "--account applies to Cloudflare",
        ),
        (&["upload", "--to", "cloudflare-access", "--tunnel", TUNNEL, &ca][..], "--tunnel applies to anthropic-tunnel"),
        (&["upload", "--to", "cloudflare-access", "--account", ACCOUNT, "--zone", ACCOUNT, &ca][..], "not both"),
        (&["upload", "--to", "cloudflare-mtls", "--hostname", "a", &ca][..], "--hostname applies to cloudflare-access"),
        (
            &["upload", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--no-ca", &ca][..],
            "--ca and --no-ca apply only",
        ),
        (&["list", "--to", "cloudflare-mtls", "--zone", ACCOUNT][..], "--zone applies to cloudflare-access"),
        (&["list", "--to", "cloudflare-mtls", "--base-url", "127.0.0.1:9"][..], "has no scheme"),
        (&["remove", "--to", "cloudflare-mtls", "--fingerprint", "xyz"][..], "is not a fingerprint"),
        (&["remove", "--to", "cloudflare-mtls"][..], "<--id <ID>|--fingerprint <FINGERPRINT>>"),
        (
            &["list", "--to", "cloudflare-mtls", "--base-url", "http://127.0.0.1:9/client/v4"][..],
            "cannot list the mTLS store",
        ),
    ] {
        let run = cli.run(args);
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    // CLOUDFLARE_ACCOUNT_ID in the environment never gets in the way of an Anthropic command.
    assert_eq!(cli.run(&["list", "--to", "anthropic-tunnel", "--tunnel", TUNNEL]).status, 0);
    // Cloudflare needs its account; credentials are required once something would be sent.
    let bare = Cli::new(vec![("CLOUDFLARE_BASE_URL", format!("{}/client/v4", sandbox.base))]);
    let run = bare.run(&["list", "--to", "cloudflare-mtls"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("needs --account <ID> (or CLOUDFLARE_ACCOUNT_ID"), "{}", run.stderr);
    let run = bare.run(&["list", "--to", "cloudflare-mtls", "--account", ACCOUNT]);
    assert_eq!(
        run.stderr,
        "certcheck: no credentials for Cloudflare: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY)\n"
    );
    // The check still comes first: a bad file is reported (exit 1) even without credentials.
    let run = bare.run(&[
        "upload",
        "--to",
        "cloudflare-access",
        "--account",
        ACCOUNT,
        &fixture("tests/data/access/leaf-not-ca.pem"),
    ]);
    assert_eq!(run.status, 1);
    // One host-only URL serves both vendors (Cloudflare's API lives under /client/v4 only); a
    // Cloudflare base URL with another path is used as given, and a 404 there gets a hint.
    let host_only = Cli::new(vec![
        ("ANTHROPIC_AUTH_TOKEN", ANTHROPIC_TOKEN.to_owned()),
        ("CLOUDFLARE_API_TOKEN", CLOUDFLARE_TOKEN.to_owned()),
        ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_owned()),
    ]);
    for to in [&["--to", "cloudflare-mtls"][..], &["--to", "anthropic-tunnel", "--tunnel", TUNNEL][..]] {
        let mut args = vec!["list", "--base-url", sandbox.base.as_str(), "--json"];
        args.extend(to);
        let run = host_only.run(&args);
        assert_eq!((run.status, run.json()["count"].clone()), (0, json!(0)), "{to:?}: {}", run.stderr);
    }
    let elsewhere = format!("{}/elsewhere", sandbox.base);
    let run = cli.run(&["list", "--to", "cloudflare-mtls", "--base-url", &elsewhere]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("is the base URL") && run.stderr.contains("/elsewhere/client/v4)?"), "{}", run.stderr);
    assert!(!run.stderr.contains("HTTP 404, HTTP 404"), "{}", run.stderr);
    // --base-url overrides the Anthropic variable too (the sandbox also serves /api/anthropic/…).
    let prefixed = format!("{}/api/anthropic", sandbox.base);
    let run = cli.run(&["list", "--to", "anthropic-tunnel", "--tunnel", TUNNEL, "--base-url", &prefixed, "--json"]);
    assert_eq!((run.status, run.json()["count"].clone()), (0, json!(0)));
    let _ = CLOUDFLARE_TOKEN;
    let _ = ANTHROPIC_TOKEN;
}
