//! The Host allow-list against the real binary (DNS rebinding): a request for a name the server
//! was not told about gets 421 on every path, static or API, with the flag that allows it;
//! localhost names, IP addresses and `--allowed-host` names are served; an absolute-form target
//! counts as the host; HTTP/1.0 without Host is served, HTTP/1.1 without one is 400.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{Server, client};

/// Sends raw bytes on a new connection and returns everything the server answered.
fn raw(server: &Server, request: &str) -> String {
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(server: &Server, path: &str, host: &str) -> String {
    raw(server, &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"))
}

fn status(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

fn port(server: &Server) -> &str {
    server.base.rsplit(':').next().unwrap()
}

#[test]
fn foreign_hosts_are_refused_on_every_path_with_the_flag_that_allows_them() {
    let server = Server::start(&["--sandbox", "--allowed-host", "certcheck.test", "--allowed-host", ".corp.test"]);
    let port = port(&server).to_owned();
    for path in [
        "/",
        "/index.html",
        "/api/sandbox/status",
        "/api/cloudflare/accounts/023e105f4ecef8ad9ca31a8372d0c353/gateway/certificates",
        "/v1/tunnels",
        "/nowhere",
    ] {
        for host in ["evil.example".to_owned(), format!("evil.example:{port}"), "localhost.evil.example".to_owned()] {
            let answer = get(&server, path, &host);
            assert_eq!(status(&answer), "HTTP/1.1 421 Misdirected Request", "{path} {host}: {answer}");
            let name = host.split(':').next().unwrap();
            assert!(answer.contains(&format!("start it with: --allowed-host {name}\n")), "{answer}");
            assert!(answer.contains("DNS rebinding"), "{answer}");
            assert!(answer.contains("content-type: text/plain; charset=utf-8"), "{answer}");
            assert!(answer.contains("cache-control: no-store"), "{answer}");
            // The refusal carries the security headers like every response.
            assert!(answer.contains("content-security-policy: default-src 'self'"), "{answer}");
        }
    }
    // A refused request reaches nothing: no certificate was created.
    let gateway = "/api/cloudflare/accounts/023e105f4ecef8ad9ca31a8372d0c353/gateway/certificates";
    let create = format!(
        "POST {gateway} HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(status(&raw(&server, &create)), "HTTP/1.1 421 Misdirected Request");
    let list = raw(
        &server,
        &format!("GET {gateway} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n"),
    );
    assert!(list.starts_with("HTTP/1.1 200 OK") && list.contains("\"result\":[]"), "{list}");

    // Served: loopback names and addresses with any port, the allowed names (any case, a
    // trailing dot), names under .localhost.
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "app.localhost:9000".to_owned(),
        format!("certcheck.test:{port}"),
        "CertCheck.Test.".to_owned(),
        "corp.test".to_owned(),
        "dashboard.corp.test:443".to_owned(),
    ] {
        let answer = get(&server, "/", &host);
        assert_eq!(status(&answer), "HTTP/1.1 200 OK", "{host}: {answer}");
        let answer = get(&server, "/api/sandbox/status", &host);
        assert!(answer.ends_with("{\"sandbox\":true}"), "{host}: {answer}");
    }

    // The log holds the refusals as method, path and status, never the Host.
    let log = server.kill();
    assert!(log.contains("GET / 421"), "{log}");
    assert!(log.contains("GET /api/sandbox/status 421"), "{log}");
    assert!(!log.contains("evil.example"), "{log}");
}

#[test]
fn absolute_form_missing_and_repeated_hosts() {
    let server = Server::start(&[]);
    // The absolute-form target's authority is the host (RFC 9112 §3.2.2); the header must not
    // contradict it either.
    for (request, expected) in [
        ("GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n", "HTTP/1.1 421 Misdirected Request"),
        ("GET http://localhost/ HTTP/1.1\r\nHost: evil.example\r\n", "HTTP/1.1 421 Misdirected Request"),
        ("GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n", "HTTP/1.1 200 OK"),
        ("GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n", "HTTP/1.1 200 OK"),
        // No Host: an HTTP/1.0 client (no browser omits it) is served, HTTP/1.1 requires it.
        ("GET / HTTP/1.0\r\n", "HTTP/1.0 200 OK"),
        ("GET / HTTP/1.1\r\n", "HTTP/1.1 400 Bad Request"),
        ("GET / HTTP/1.0\r\nHost: evil.example\r\n", "HTTP/1.0 421 Misdirected Request"),
        ("GET / HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n", "HTTP/1.1 400 Bad Request"),
        // Not a host name at all.
        ("GET / HTTP/1.1\r\nHost: \r\n", "HTTP/1.1 421 Misdirected Request"),
        ("GET / HTTP/1.1\r\nHost: a b\r\n", "HTTP/1.1 421 Misdirected Request"),
        ("GET / HTTP/1.1\r\nHost: localhost:80x\r\n", "HTTP/1.1 421 Misdirected Request"),
    ] {
        let answer = raw(&server, &format!("{request}Connection: close\r\n\r\n"));
        assert_eq!(status(&answer), expected, "{request:?}: {answer}");
    }
    let answer = raw(&server, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(answer.ends_with("bad request: an HTTP/1.1 request needs a Host header\n"), "{answer}");
    let answer = raw(&server, "GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n");
    assert!(answer.contains("Names are allowed with --allowed-host NAME"), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn names_need_the_flag_and_a_browser_like_client_is_served() {
    // Without --allowed-host the same name is refused; with reqwest (which sends
    // Host: 127.0.0.1:PORT like a browser on that URL) everything is served.
    let server = Server::start(&["--sandbox"]);
    let answer = get(&server, "/", "certcheck.test");
    assert_eq!(status(&answer), "HTTP/1.1 421 Misdirected Request");
    assert!(answer.contains("--allowed-host certcheck.test"));
    let response = client().get(server.url("/api/sandbox/status")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let response =
        client().get(server.url("/")).header("host", format!("localhost:{}", port(&server))).send().await.unwrap();
    assert_eq!(response.status(), 200);
}
