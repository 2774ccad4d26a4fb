//! Forwarding against a fake upstream on loopback: only allow-listed endpoints pass, with the
//! caller's credentials and `anthropic-*` headers and nothing else; the upstream is always the
//! configured one; a slow upstream answers 504; an oversized body 413; no escape gets through;
//! tokens never reach the log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::response::IntoResponse;
use common::{Server, call, client};
use serde_json::json;

/// What the fake upstream received: method, path and query, headers.
type Seen = Arc<Mutex<Vec<(String, String, Vec<(String, String)>)>>>;

async fn fake_upstream() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |request: Request| {
        let record = record.clone();
        async move {
            let path = request.uri().path_and_query().map(ToString::to_string).unwrap_or_default();
            let headers = request
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                .collect();
            record.lock().unwrap().push((request.method().to_string(), path.clone(), headers));
            if path.contains("slow") {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            (
                [("content-type", "application/json"), ("request-id", "req_upstream")],
                json!({ "upstream": path }).to_string(),
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), seen)
}

/// Sends raw bytes (for requests a well-behaved client cannot make) and returns the status line.
fn raw(base: &str, request: &str) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).lines().next().unwrap_or("").to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn only_allow_listed_endpoints_reach_the_configured_upstream() {
    let (upstream, seen) = fake_upstream().await;
    let anthropic = format!("{upstream}/anthropic");
    let cloudflare = format!("{upstream}/client/v4");
    // evil.example is allowed here so that its requests get past the Host check (tests/hosts.rs)
    // and show that even an allowed Host never chooses the upstream.
    let server = Server::start(&[
        "--allowed-host",
        "evil.example",
        "--anthropic-upstream",
        &anthropic,
        "--cloudflare-upstream",
        &cloudflare,
        "--upstream-timeout",
        "0.5",
        "--body-limit",
        "1000",
    ]);
    let http = client();
    let token = "sk-ant-oat01-SECRET-TOKEN-123";

    // Allowed: headers pass, the path is the vendor's, the query survives.
    let (status, body) = call(
        http.get(server.url("/api/anthropic/v1/tunnels/tnl_1/certificates?include_archived=true&limit=5"))
            .header("authorization", format!("Bearer {token}"))
            .header("anthropic-version", "2023-06-01")
            .header("anthropic-beta", "mcp-tunnels-2026-06-22")
            .header("anthropic-workspace-id", "wrkspc_1")
            .header("cookie", "session=abc")
            .header("x-forwarded-host", "evil.example")
            .header("x-http-method-override", "DELETE")
            .header("x-original-url", "/v1/messages")
            .header("host", "evil.example"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "upstream": "/anthropic/v1/tunnels/tnl_1/certificates?include_archived=true&limit=5" }));
    let (method, _, headers) = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(method, "GET");
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(header("authorization"), Some(format!("Bearer {token}")));
    assert_eq!(header("anthropic-beta").as_deref(), Some("mcp-tunnels-2026-06-22"));
    assert_eq!(header("anthropic-workspace-id").as_deref(), Some("wrkspc_1"));
    assert_eq!(header("cookie"), None);
    assert_eq!(header("x-forwarded-host"), None);
    assert_eq!(header("x-http-method-override"), None);
    assert_eq!(header("x-original-url"), None);
    assert_eq!(header("host"), Some(upstream.trim_start_matches("http://").to_owned()));

    let (status, _) = call(
        http.post(server.url("/api/cloudflare/accounts/abc/mtls_certificates"))
            .header("x-auth-email", "a@example.com")
            .header("x-auth-key", "global-key-secret")
            // Cloudflare's official SDKs send the API version they were made for.
            .header("api-version", "2024-01-01")
            .json(&json!({ "ca": true, "certificates": "-----BEGIN CERTIFICATE-----" })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(seen.lock().unwrap().last().unwrap().1, "/client/v4/accounts/abc/mtls_certificates");
    let (_, _, headers) = seen.lock().unwrap().last().cloned().unwrap();
    assert!(headers.contains(&("api-version".to_owned(), "2024-01-01".to_owned())), "{headers:?}");
    let forwarded = seen.lock().unwrap().len();

    // Refused without reaching the upstream: not documented, wrong method, escapes, bad query.
    for (method, path) in [
        ("GET", "/api/anthropic/v1/messages"),
        ("POST", "/api/anthropic/v1/complete"),
        ("DELETE", "/api/anthropic/v1/tunnels/tnl_1/certificates/tcrt_1"),
        ("PUT", "/api/cloudflare/accounts/abc/mtls_certificates/x"),
        ("GET", "/api/cloudflare/user/tokens/verify"),
        ("GET", "/api/cloudflare/accounts/abc/mtls_certificates%2F..%2F..%2Fuser"),
        ("GET", "/api/cloudflare/accounts/abc/%2e%2e/tokens"),
        ("GET", "/api/cloudflare/accounts//mtls_certificates"),
        ("GET", "/api/cloudflare/accounts/abc/mtls_certificates?page=1&redirect=http://evil"),
        ("PATCH", "/api/cloudflare/accounts/abc/gateway/certificates/x"),
    ] {
        let request = http.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), server.url(path));
        let (status, body) = call(request.header("authorization", "Bearer x")).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
    }
    for request in [
        "GET /api/cloudflare/accounts/abc/../../user/tokens HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET http://evil.example/api/cloudflare/user/tokens HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        "GET /api/anthropic/v1/tunnels/tnl_1/../../messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    ] {
        let status = raw(&server.base, request);
        assert!(status.contains(" 404 ") || status.contains(" 400 "), "{request:?} → {status}");
    }
    // An absolute-form URL naming another host still goes to the configured upstream.
    let status = raw(
        &server.base,
        "GET http://evil.example/api/cloudflare/accounts/abc/mtls_certificates HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n",
    );
    assert!(status.contains(" 200 "), "{status}");
    assert_eq!(seen.lock().unwrap().len(), forwarded + 1);
    assert_eq!(seen.lock().unwrap().last().unwrap().1, "/client/v4/accounts/abc/mtls_certificates");

    // Oversized body: 413 in the vendor's envelope, upstream untouched.
    let (status, body) = call(
        http.post(server.url("/api/cloudflare/accounts/abc/access/certificates"))
            .header("authorization", "Bearer x")
            .body(vec![b'a'; 5000]),
    )
    .await;
    assert_eq!(status, 413);
    assert_eq!(body["success"], false);
    assert_eq!(seen.lock().unwrap().len(), forwarded + 1);

    // A slow upstream: 504 after the timeout, in Anthropic's error shape.
    let started = std::time::Instant::now();
    let (status, body) =
        call(http.get(server.url("/api/anthropic/v1/tunnels/slow/certificates")).header("authorization", "Bearer x"))
            .await;
    assert_eq!(status, 504);
    assert_eq!(body["error"]["type"], "timeout_error");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());

    // The server keeps serving, and its log never holds a secret.
    let (status, _) = call(http.get(server.url("/"))).await;
    assert_eq!(status, 200);
    let log = server.kill();
    assert!(log.contains("GET /api/anthropic/v1/tunnels/tnl_1/certificates 200"), "{log}");
    for secret in [token, "global-key-secret", "a@example.com", "session=abc", "include_archived"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_the_security_headers() {
    let server = Server::start(&["--sandbox", "--behind-tls"]);
    let http = client();
    for path in ["/", "/missing.js", "/api/anthropic/v1/messages", "/api/cloudflare/accounts/a/gateway/certificates"] {
        let response = http.get(server.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("'wasm-unsafe-eval'")
                && csp.contains("frame-ancestors 'none'")
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["strict-transport-security"], "max-age=63072000; includeSubDomains");
    }
}
