//! The sandbox over real HTTP on loopback: the documented rules of each family, pagination,
//! restart with --state, and concurrent creates with nothing lost or duplicated.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use common::{Server, call, client, fixture, split_key};
use serde_json::{Value, json};

const TUNNEL: &str = "tnl_01Hx9Kp2RtQvMn3sWbYdLcF8";
const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// The `anthropic-beta` each generation's endpoints require.
const ADMIN_BETA: &str = "mcp-tunnels-2026-05-19";
const TUNNELS_BETA: &str = "mcp-tunnels-2026-06-22";

fn core_report(pem: &str) -> Value {
    serde_json::to_value(certcheck::inspect(pem.as_bytes(), certcheck::UnixTime(1_795_305_600))).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn anthropic_tunnel_certificates_follow_the_documented_rules() {
    let server = Server::start(&["--sandbox"]);
    let http = client();
    let path = format!("/api/anthropic/v1/organizations/tunnels/{TUNNEL}/certificates");
    let post = |pem: String| {
        http.post(server.url(&path))
            .header("content-type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .header("anthropic-beta", ADMIN_BETA)
            .header("authorization", "Bearer sk-test-secret")
            .json(&json!({ "ca_certificate_pem": pem }))
    };
    let rsa = fixture("anthropic/good-rsa-ca.pem");
    let (status, first) = call(post(rsa.clone())).await;
    assert_eq!(status, 200, "{first}");
    let local = core_report(&rsa);
    assert_eq!(first["fingerprint"], local["certificates"][0]["fingerprints"]["sha256"]);
    assert_eq!(first["expires_at"], local["certificates"][0]["not_after"]);
    assert_eq!(first["tunnel_id"], TUNNEL);
    assert_eq!(first["type"], "tunnel_certificate");
    assert_eq!(first["archived_at"], Value::Null);
    assert!(first["id"].as_str().unwrap().starts_with("tcrt_"));
    let keys: BTreeSet<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "archived_at", "created_at", "expires_at", "fingerprint", "tunnel_id", "type"])
    );

    // Refused the way Anthropic refuses: a leaf, a key along, no credentials.
    let (status, error) = call(post(fixture("anthropic/leaf-not-ca.pem"))).await;
    assert_eq!(status, 400);
    assert_eq!(error["type"], "error");
    assert_eq!(error["error"]["type"], "invalid_request_error");
    assert!(error["error"]["message"].as_str().unwrap().contains("(cert.not_ca)"), "{error}");
    assert!(error["request_id"].as_str().unwrap().starts_with("req_"));
    let (status, error) = call(post(fixture("anthropic/ca-with-private-key.pem"))).await;
    assert_eq!((status, error["error"]["message"].as_str().unwrap().contains("key.private_key_present")), (400, true));
    let (status, error) = call(http.post(server.url(&path)).json(&json!({ "ca_certificate_pem": rsa }))).await;
    assert_eq!((status, error["error"]["type"].as_str()), (401, Some("authentication_error")));
    let (status, error) = call(post(String::new()).body("not json")).await;
    assert_eq!((status, error["error"]["type"].as_str()), (400, Some("invalid_request_error")));
    // The beta header is required on every tunnel endpoint, and it must be this generation's.
    for beta in [None, Some(TUNNELS_BETA), Some("mcp-tunnels-2026-05-18")] {
        let mut request = http
            .post(server.url(&path))
            .header("anthropic-version", "2023-06-01")
            .header("authorization", "Bearer sk-test-secret")
            .json(&json!({ "ca_certificate_pem": rsa }));
        if let Some(beta) = beta {
            request = request.header("anthropic-beta", beta);
        }
        let (status, error) = call(request).await;
        assert_eq!(status, 400, "{beta:?}");
        assert_eq!(error["error"]["type"], "invalid_request_error");
        assert_eq!(
            error["error"]["message"],
            "anthropic-beta: this endpoint requires the header `anthropic-beta: mcp-tunnels-2026-05-19`"
        );
    }
    // Several betas, comma-separated, may carry it.
    let (status, _) = call(
        http.get(server.url(&path))
            .header("authorization", "Bearer t")
            .header("anthropic-beta", format!("other-2025-01-01, {ADMIN_BETA}")),
    )
    .await;
    assert_eq!(status, 200);

    // At most two non-archived certificates; archiving one makes room.
    let (status, _) = call(post(fixture("anthropic/good-ec-p256-ca.pem"))).await;
    assert_eq!(status, 200);
    let (status, error) = call(post(fixture("anthropic/good-ec-p384-ca.pem"))).await;
    assert_eq!((status, error["error"]["type"].as_str()), (409, Some("conflict_error")));
    let archive = format!("{path}/{}/archive", first["id"].as_str().unwrap());
    let (status, archived) = call(
        http.post(server.url(&archive))
            .header("authorization", "Bearer sk-test-secret")
            .header("anthropic-beta", ADMIN_BETA),
    )
    .await;
    assert_eq!(status, 200);
    assert!(archived["archived_at"].is_string());
    let (status, _) = call(post(fixture("anthropic/good-ec-p384-ca.pem"))).await;
    assert_eq!(status, 200);

    // The Admin API lists without pagination; archived ones only on request.
    let list = |query: &str| {
        http.get(server.url(&format!("{path}{query}")))
            .header("authorization", "Bearer t")
            .header("anthropic-beta", ADMIN_BETA)
    };
    let (_, active) = call(list("")).await;
    assert_eq!(active["data"].as_array().unwrap().len(), 2);
    let (_, all) = call(list("?include_archived=true")).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    let (status, missing) = call(list("/tcrt_nope")).await;
    assert_eq!((status, missing["error"]["type"].as_str()), (404, Some("not_found_error")));

    // The current API paginates with a cursor: every certificate exactly once, newest first.
    let current = format!("/api/anthropic/v1/tunnels/{TUNNEL}/certificates");
    let mut seen = Vec::new();
    let mut query = "?include_archived=true&limit=1".to_owned();
    loop {
        let (status, page) = call(
            http.get(server.url(&format!("{current}{query}")))
                .header("authorization", "Bearer t")
                .header("anthropic-beta", TUNNELS_BETA),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        seen.extend(page["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["next_page"].as_str() {
            Some(cursor) => query = format!("?include_archived=true&limit=1&page={cursor}"),
            None => break,
        }
    }
    let ids: Vec<String> =
        all["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen, ids);
    let (status, error) = call(
        http.get(server.url(&format!("{current}?limit=1001")))
            .header("authorization", "Bearer t")
            .header("anthropic-beta", TUNNELS_BETA),
    )
    .await;
    assert_eq!((status, error["error"]["type"].as_str()), (400, Some("invalid_request_error")));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vendors_curl_examples_work_with_only_the_host_swapped() {
    let server = Server::start(&["--sandbox"]);
    let http = client();
    let pem = fixture("anthropic/good-ec-p256-ca.pem");
    // https://api.anthropic.com/v1/... → http://127.0.0.1:PORT/v1/..., with the anthropic-beta
    // header that the reference's header parameters require (its curl example leaves it out, and
    // is refused for that, as the API refuses it).
    let example = || {
        http.post(server.url(&format!("/v1/organizations/tunnels/{TUNNEL}/certificates")))
            .header("content-type", "application/json")
            .header("anthropic-version", "2023-06-01")
            .header("authorization", "Bearer token")
            .json(&json!({ "ca_certificate_pem": pem }))
    };
    let (status, refused) = call(example()).await;
    assert_eq!((status, refused["error"]["type"].as_str()), (400, Some("invalid_request_error")), "{refused}");
    let (status, created) = call(example().header("anthropic-beta", ADMIN_BETA)).await;
    assert_eq!(status, 200, "{created}");
    // https://api.cloudflare.com/client/v4/... at the root, and under /api/cloudflare with the prefix kept.
    for path in [
        format!("/client/v4/accounts/{ACCOUNT}/gateway/certificates"),
        format!("/api/cloudflare/client/v4/accounts/{ACCOUNT}/gateway/certificates"),
    ] {
        let (status, created) = call(http.post(server.url(&path)).header("authorization", "Bearer token")).await;
        assert_eq!((status, created["success"].as_bool()), (200, Some(true)), "{path}");
    }
    // The documented Anthropic example's placeholder PEM is refused, as the real API would.
    let placeholder = "-----BEGIN CERTIFICATE-----\\nMIIBexampleEXAMPLE\\n-----END CERTIFICATE-----\\n";
    let (status, refused) = call(
        http.post(server.url(&format!("/v1/organizations/tunnels/{TUNNEL}/certificates")))
            .header("authorization", "Bearer token")
            .header("anthropic-beta", ADMIN_BETA)
            .header("content-type", "application/json")
            .body(format!("{{\"ca_certificate_pem\": \"{placeholder}\"}}")),
    )
    .await;
    assert_eq!((status, refused["error"]["type"].as_str()), (400, Some("invalid_request_error")), "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn access_certificates_spell_md5_refuse_duplicates_and_in_use_deletes() {
    let server = Server::start(&["--sandbox"]);
    let http = client();
    let base = format!("/api/cloudflare/accounts/{ACCOUNT}/access/certificates");
    let auth = "Bearer cf-secret";
    let root = fixture("access/good-root.pem");
    let body = json!({ "certificate": root, "name": "Allow devs", "associated_hostnames": ["admin.example.com"] });
    let (status, created) = call(http.post(server.url(&base)).header("authorization", auth).json(&body)).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["success"], true);
    let result = &created["result"];
    assert_eq!(result["fingerprint"], core_report(&root)["certificates"][0]["spellings"]["cloudflare_access"]);
    assert!(result["fingerprint"].as_str().unwrap().starts_with("MD5 Fingerprint="));
    assert_eq!(result["associated_hostnames"], json!(["admin.example.com"]));
    let id = result["id"].as_str().unwrap().to_owned();

    let (status, duplicate) = call(http.post(server.url(&base)).header("authorization", auth).json(&body)).await;
    assert_eq!(status, 400);
    assert_eq!(duplicate["success"], false);
    assert_eq!(duplicate["errors"][0]["message"], "access.api.error.conflict: certificate already exists");
    let leaf = json!({ "certificate": fixture("access/leaf-not-ca.pem"), "name": "leaf" });
    let (status, refused) = call(http.post(server.url(&base)).header("authorization", auth).json(&leaf)).await;
    assert_eq!(status, 400);
    assert!(refused["errors"][0]["message"].as_str().unwrap().starts_with("access.api.error.invalid_certificate: "));

    let one = format!("{base}/{id}");
    let (status, refused) = call(http.delete(server.url(&one)).header("authorization", auth)).await;
    assert_eq!(status, 400);
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("still associated with hostnames"));
    let (status, updated) = call(
        http.put(server.url(&one))
            .header("authorization", auth)
            .json(&json!({ "associated_hostnames": [], "name": "renamed" })),
    )
    .await;
    assert_eq!((status, updated["result"]["name"].as_str()), (200, Some("renamed")));
    let (status, deleted) = call(http.delete(server.url(&one)).header("authorization", auth)).await;
    assert_eq!((status, deleted["result"].clone()), (200, json!({ "id": id })));
    let (status, _) = call(http.get(server.url(&one)).header("authorization", auth)).await;
    assert_eq!(status, 404);

    let settings = format!("/api/cloudflare/zones/{ACCOUNT}/access/certificates/settings");
    let wanted = json!({ "settings": [{ "hostname": "admin.example.com", "china_network": false, "client_certificate_forwarding": true }] });
    let (status, put) = call(http.put(server.url(&settings)).header("authorization", auth).json(&wanted)).await;
    assert_eq!((status, put["result"].clone()), (200, wanted["settings"].clone()));
    let (_, got) = call(http.get(server.url(&settings)).header("authorization", auth)).await;
    assert_eq!(got["result"], wanted["settings"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn gateway_generates_real_cas_that_verify_and_follow_the_lifecycle() {
    // The sandbox's clock is pinned, so the CA it makes is dated the same on any day.
    let server = Server::start(&["--sandbox", "--sandbox-clock", "2026-11-22T00:00:00Z"]);
    let now = certcheck::UnixTime::parse_rfc3339("2026-11-22T00:00:00Z").unwrap();
    let http = client();
    let base = format!("/api/cloudflare/accounts/{ACCOUNT}/gateway/certificates");
    let auth = "Bearer cf-secret";
    // The documented curl example: POST with no body at all.
    let (status, created) = call(http.post(server.url(&base)).header("authorization", auth)).await;
    assert_eq!(status, 200, "{created}");
    let result = &created["result"];
    assert_eq!(result["binding_status"], "pending_deployment");
    assert_eq!(result["type"], "gateway_managed");
    // The first request is stamped at the pinned time, each later one a microsecond on.
    assert_eq!(result["created_at"], "2026-11-22T00:00:00.000000Z");
    assert_eq!(result["expires_on"], "2031-11-21T00:00:00Z");
    let report = certcheck_api::verify_response(
        certcheck::Destination::CloudflareGateway,
        created.to_string().as_bytes(),
        None,
        now,
    )
    .unwrap();
    assert_eq!(report.diagnostics.iter().map(|d| d.finding.code()).collect::<Vec<_>>(), Vec::<&str>::new());
    let certificate = &report.certificates[0];
    assert!(certificate.is_ca);
    assert_eq!(certificate.path_len, Some(1));
    assert_eq!(certificate.key_usage, ["keyCertSign", "cRLSign"]);
    let days = |r: &Value| {
        let before = certcheck::UnixTime::parse_rfc3339(r["created_at"].as_str().unwrap()).unwrap();
        let after = certcheck::UnixTime::parse_rfc3339(r["expires_on"].as_str().unwrap()).unwrap();
        before.days_until(after)
    };
    assert_eq!(days(result), 1825);
    for (validity, expected) in [
        (json!(1), Some(1)),
        (json!(10950), Some(10950)),
        (json!(0), None),
        (json!(10951), None),
        (json!("5"), None),
        (json!(1.5), None),
    ] {
        let (status, answer) = call(
            http.post(server.url(&base))
                .header("authorization", auth)
                .json(&json!({ "validity_period_days": validity })),
        )
        .await;
        match expected {
            Some(n) => assert_eq!((status, days(&answer["result"])), (200, n)),
            None => {
                assert_eq!(status, 400, "{validity}");
                assert!(
                    answer["errors"][0]["message"]
                        .as_str()
                        .unwrap()
                        .starts_with("validity_period_days must be an integer from 1 to 10950")
                );
            }
        }
    }
    let one = format!("{base}/{}", result["id"].as_str().unwrap());
    let (status, refused) = call(http.delete(server.url(&one)).header("authorization", auth)).await;
    assert_eq!((status, refused["success"].as_bool()), (400, Some(false)));
    let (_, active) =
        call(http.post(server.url(&format!("{one}/activate"))).header("authorization", auth).json(&json!({}))).await;
    assert_eq!(active["result"]["binding_status"], "available");
    let (_, inactive) =
        call(http.post(server.url(&format!("{one}/deactivate"))).header("authorization", auth).json(&json!({}))).await;
    assert_eq!(inactive["result"]["binding_status"], "inactive");
    let (status, _) = call(http.delete(server.url(&one)).header("authorization", auth)).await;
    assert_eq!(status, 200);
    let (_, list) = call(http.get(server.url(&base)).header("authorization", auth)).await;
    // Created: the default, 1 day and 10950 days; one deleted.
    assert_eq!(list["result_info"]["total_count"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn mtls_certificates_are_immutable_limited_and_guarded_by_associations() {
    let server = Server::start(&["--sandbox"]);
    let http = client();
    let base = format!("/api/cloudflare/accounts/{ACCOUNT}/mtls_certificates");
    let auth = "Bearer cf-secret";
    let ca = fixture("mtls/good-ca.pem");
    let upload = |body: Value| http.post(server.url(&base)).header("authorization", auth).json(&body);
    let (status, created) = call(upload(json!({ "ca": true, "certificates": ca, "name": "client CA" }))).await;
    assert_eq!(status, 200, "{created}");
    let local = &core_report(&ca)["certificates"][0];
    let result = &created["result"];
    assert_eq!(result["issuer"], local["issuer"]);
    assert_eq!(result["expires_on"], local["not_after"]);
    assert_eq!(result["serial_number"], certcheck_api::decimal_from_hex(local["serial"].as_str().unwrap()));
    assert_eq!(result["signature"], "SHA256WithRSA");
    assert!(result["updated_at"].is_string());

    let (leaf_chain, key) = split_key(&fixture("mtls/good-leaf-chain-pkcs8.pem"));
    let (status, leaf) = call(upload(json!({ "ca": false, "certificates": leaf_chain, "private_key": key }))).await;
    assert_eq!(status, 200, "{leaf}");
    assert!(!leaf.to_string().contains("PRIVATE KEY"), "the key is never echoed");
    let (status, refused) = call(upload(json!({ "ca": false, "certificates": leaf_chain }))).await;
    assert_eq!((status, refused["errors"][0]["code"].as_i64()), (400, Some(1400)));
    let (wrong_chain, wrong_key) = split_key(&fixture("mtls/leaf-key-mismatch.pem"));
    let (status, refused) =
        call(upload(json!({ "ca": false, "certificates": wrong_chain, "private_key": wrong_key }))).await;
    assert_eq!(status, 400);
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("key.mismatch"), "{refused}");
    let (status, refused) = call(upload(json!({ "ca": true, "certificates": fixture("mtls/leaf-as-ca.pem") }))).await;
    assert_eq!((status, refused["errors"][0]["code"].as_i64()), (400, Some(1406)));

    // Five CAs per account, then 1489.
    for _ in 0..4 {
        assert_eq!(call(upload(json!({ "ca": true, "certificates": ca }))).await.0, 200);
    }
    let (status, full) = call(upload(json!({ "ca": true, "certificates": ca }))).await;
    assert_eq!((status, full["errors"][0]["code"].as_i64()), (400, Some(1489)));
    assert_eq!(full["errors"][0]["message"], "Hit maximum CA cert allocation");

    // In use: the delete is refused until the association is gone.
    let id = result["id"].as_str().unwrap();
    let one = format!("{base}/{id}");
    let control = server.url(&format!("/api/sandbox/mtls_certificates/{id}/associations"));
    let (status, _) = call(http.post(&control).json(&json!({ "service": "gateway", "status": "active" }))).await;
    assert_eq!(status, 200);
    let (_, associations) =
        call(http.get(server.url(&format!("{one}/associations"))).header("authorization", auth)).await;
    assert_eq!(associations["result"], json!([{ "service": "gateway", "status": "active" }]));
    let (status, refused) = call(http.delete(server.url(&one)).header("authorization", auth)).await;
    assert_eq!((status, refused["errors"][0]["code"].as_i64()), (400, Some(1491)));
    call(http.delete(&control)).await;
    let (status, deleted) = call(http.delete(server.url(&one)).header("authorization", auth)).await;
    assert_eq!((status, deleted["result"]["id"].as_str()), (200, Some(id)));
    // Immutable: there is no update.
    let (status, _) =
        call(http.put(server.url(&one)).header("authorization", auth).json(&json!({ "name": "x" }))).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn state_survives_a_kill_and_a_corrupt_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("certcheck-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let state_arg = state.to_str().unwrap();
    let base = format!("/api/cloudflare/accounts/{ACCOUNT}/gateway/certificates");
    let server = Server::start(&["--sandbox", "--state", state_arg]);
    let http = client();
    let mut ids = BTreeSet::new();
    for _ in 0..3 {
        let (_, created) = call(http.post(server.url(&base)).header("authorization", "Bearer t")).await;
        ids.insert(created["result"]["id"].as_str().unwrap().to_owned());
    }
    server.kill();
    let server = Server::start(&["--sandbox", "--state", state_arg]);
    let (_, list) = call(http.get(server.url(&base)).header("authorization", "Bearer t")).await;
    let listed: BTreeSet<String> =
        list["result"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(listed, ids);
    server.kill();
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("state.json")], "no temporary files left behind");

    std::fs::write(&state, b"{ torn").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_certcheck-server"))
        .args(["--listen", "127.0.0.1:0", "--sandbox", "--state", state_arg])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not readable") && stderr.contains("move it away"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_creates_lose_and_duplicate_nothing() {
    let dir = std::env::temp_dir().join(format!("certcheck-concurrent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let server = Server::start(&["--sandbox", "--state", state.to_str().unwrap()]);
    let http = client();
    let access = format!("/api/cloudflare/accounts/{ACCOUNT}/access/certificates");
    // 40 concurrent uploads of 4 distinct CAs: each CA lands exactly once, the rest are duplicates.
    // (access/good-root.pem and anthropic/good-rsa-ca.pem are the same certificate.)
    let cas = [
        "access/good-root.pem",
        "anthropic/bc-not-critical.pem",
        "anthropic/good-ec-p256-ca.pem",
        "anthropic/good-ec-p384-ca.pem",
    ];
    let mut tasks = Vec::new();
    for i in 0..40 {
        let request = http
            .post(server.url(&access))
            .header("authorization", "Bearer t")
            .json(&json!({ "certificate": fixture(cas[i % 4]), "name": format!("ca {i}") }));
        tasks.push(tokio::spawn(call(request)));
    }
    let mut created = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            200 => created += 1,
            400 => assert_eq!(body["errors"][0]["message"], "access.api.error.conflict: certificate already exists"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(created, 4);
    // 60 concurrent Gateway creates: 60 distinct certificates listed and on disk.
    let gateway = format!("/api/cloudflare/accounts/{ACCOUNT}/gateway/certificates");
    let tasks: Vec<_> = (0..60)
        .map(|_| tokio::spawn(call(http.post(server.url(&gateway)).header("authorization", "Bearer t"))))
        .collect();
    let mut ids = BTreeSet::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 200);
        ids.insert(body["result"]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 60);
    let (_, list) =
        call(http.get(server.url(&format!("{gateway}?per_page=50&page=2"))).header("authorization", "Bearer t")).await;
    assert_eq!(
        list["result_info"],
        json!({ "page": 2, "per_page": 50, "count": 10, "total_count": 60, "total_pages": 2 })
    );
    server.kill();
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["gateway_certificates"].as_array().unwrap().len(), 60);
    assert_eq!(saved["access_certificates"].as_array().unwrap().len(), 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_learns_it_talks_to_the_sandbox_and_a_forwarding_server_says_no() {
    let http = client();
    let sandbox = Server::start(&["--sandbox"]);
    let (status, body) = call(http.get(sandbox.url("/api/sandbox/status"))).await;
    assert_eq!((status, body), (200, json!({ "sandbox": true })));
    // Control paths take JSON only (415 before the method is looked at), then the method.
    let (status, _) = call(http.post(sandbox.url("/api/sandbox/status"))).await;
    assert_eq!(status, 415);
    let (status, _) = call(http.post(sandbox.url("/api/sandbox/status")).json(&json!({}))).await;
    assert_eq!(status, 405);
    let live = Server::start(&[]);
    let (status, _) = call(http.get(live.url("/api/sandbox/status"))).await;
    assert_eq!(status, 404);
}

/// Drives certcheck-api's [`Listing`](certcheck_api::Listing) over real HTTP, page by page.
async fn list_all(server: &Server, listing: &mut certcheck_api::Listing) -> Vec<certcheck_api::Stored> {
    let http = client();
    while let Some(request) = listing.next_request() {
        let prefix = certcheck_api::proxy_prefix(request.vendor);
        let mut builder = http.get(server.url(&format!("{prefix}{}", request.path_and_query)));
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let response = builder.send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap();
        listing.accept(status, &body).unwrap();
    }
    listing.items().to_vec()
}

/// Sixty mTLS leaf uploads (each a fresh key): the listing reads every page of 50 and finds the
/// sixtieth by its certificate, as the dashboard and the CLI do after a lost answer.
#[tokio::test(flavor = "multi_thread")]
async fn sixty_certificates_are_listed_across_pages_and_the_last_is_found() {
    let server = Server::start(&["--sandbox"]);
    let http = client();
    let path = format!("/api/cloudflare/accounts/{ACCOUNT}/mtls_certificates");
    let mut last = String::new();
    for number in 0..60 {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec![format!("client-{number}.example.com")]).unwrap();
        let certificate = params.self_signed(&key).unwrap().pem();
        let body = json!({ "ca": false, "certificates": certificate, "private_key": key.serialize_pem() });
        let (status, answer) = call(http.post(server.url(&path)).header("authorization", "Bearer t").json(&body)).await;
        assert_eq!(status, 200, "upload {number}: {answer}");
        last = certificate;
    }
    let collection = certcheck_api::Collection::Mtls { account_id: ACCOUNT.to_owned() };
    let credentials = certcheck_api::Credentials::Bearer("t".to_owned());
    let mut listing = certcheck_api::Listing::new(collection, credentials, certcheck_api::RequestOptions::default());
    let items = list_all(&server, &mut listing).await;
    assert!(listing.is_complete());
    assert_eq!(items.len(), 60);
    let ids: BTreeSet<&str> = items.iter().map(|item| item.id()).collect();
    assert_eq!(ids.len(), 60, "every certificate once");
    let now = certcheck::UnixTime(1_795_305_600);
    let leaf = certcheck::Destination::CloudflareMtls { ca: false };
    let found = certcheck_api::find_stored(leaf, &items, last.as_bytes(), now);
    let (stored, report) = found.expect("the sixtieth upload is found");
    assert_eq!(Some(stored), items.last());
    assert_eq!(report.certificates.len(), 1);
    let other = fixture("mtls/good-ca.pem");
    assert!(certcheck_api::find_stored(leaf, &items, other.as_bytes(), now).is_none());
}
