//! A server you can leave running (issue 26), against the real binary on loopback: clients that
//! stop reading lose their slot and hold no memory, idle keep-alive connections are closed,
//! symbolic links under `--static` and at `--state` are not followed, Content-Length with
//! Transfer-Encoding is refused before routing, proxies never see a token, and the sandbox's
//! control paths refuse other origins and anything but JSON. Every wait is bounded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{PROXY_VARIABLES, Server, call, client, fixture};
use serde_json::{Value, json};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// A scratch folder under the system's temporary folder; removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("certcheck-running-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn join(&self, path: &str) -> PathBuf {
        self.0.join(path)
    }

    fn arg(&self, path: &str) -> String {
        self.join(path).to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    stream
}

/// Sends raw bytes on a new connection; everything answered until the server closes (or 8 s).
fn raw(server: &Server, request: &str) -> String {
    let mut stream = connect(server);
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

/// The resident memory (KiB) and the open descriptors of a process.
fn rss_and_fds(pid: u32) -> (u64, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count();
    (rss, fds)
}

fn gateway_create(framing: &str) -> String {
    format!(
        "POST /api/cloudflare/accounts/{ACCOUNT}/gateway/certificates HTTP/1.1\r\nHost: localhost\r\n\
         Authorization: Bearer t\r\nContent-Type: application/json\r\nConnection: close\r\n{framing}\r\n0\r\n\r\n"
    )
}

async fn gateway_count(server: &Server) -> usize {
    let url = server.url(&format!("/api/cloudflare/accounts/{ACCOUNT}/gateway/certificates"));
    let (status, list) = call(client().get(url).header("authorization", "Bearer t")).await;
    assert_eq!(status, 200, "{list}");
    list["result"].as_array().unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn content_length_with_transfer_encoding_is_refused_before_routing_on_every_path() {
    let server = Server::start(&["--sandbox"]);
    // Both orders, any spelling, with a body that would create a Gateway CA: 400, nothing stored.
    for framing in [
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "transfer-encoding: chunked\r\ncontent-length: 0\r\n",
        "Content-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n",
    ] {
        let answer = raw(&server, &gateway_create(framing));
        assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request", "{framing:?}: {answer}");
        assert!(answer.to_ascii_lowercase().contains("\r\nconnection: close\r\n"), "{answer}");
        assert_eq!(
            body(&answer),
            "bad request: Content-Length and Transfer-Encoding together (RFC 9112 §6.3); send one\n"
        );
    }
    assert_eq!(gateway_count(&server).await, 0);
    // The same request with one framing succeeds: the path is one that would act on it.
    let answer = raw(&server, &gateway_create("Transfer-Encoding: chunked\r\n"));
    assert_eq!(status_line(&answer), "HTTP/1.1 200 OK", "{answer}");
    assert_eq!(gateway_count(&server).await, 1);

    // Every path: static, sandbox control, unknown API, and before the Host check.
    for (path, host) in
        [("/", "localhost"), ("/api/sandbox/status", "localhost"), ("/api/x", "localhost"), ("/", "evil.example")]
    {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        );
        let answer = raw(&server, &request);
        assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request", "{path} {host}: {answer}");
        assert_eq!(answer.matches("HTTP/1.1 ").count(), 1, "{answer}");
    }
    // After a clean request on the same (keep-alive) connection: the first is answered, the
    // second refused, the connection closed, and what its body smuggled is never answered.
    let mut stream = connect(&server);
    stream.write_all(b"GET /api/sandbox/status HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut first = Vec::new();
    let mut chunk = [0u8; 4096];
    while !String::from_utf8_lossy(&first).ends_with("{\"sandbox\":true}") {
        let read = stream.read(&mut chunk).unwrap();
        assert!(read > 0, "{}", String::from_utf8_lossy(&first));
        first.extend_from_slice(&chunk[..read]);
    }
    assert_eq!(status_line(&String::from_utf8_lossy(&first)), "HTTP/1.1 200 OK");
    let smuggling = format!(
        "{}GET /api/sandbox/status HTTP/1.1\r\nHost: localhost\r\n\r\n",
        gateway_create("Content-Length: 62\r\nTransfer-Encoding: chunked\r\n").replace("Connection: close\r\n", "")
    );
    stream.write_all(smuggling.as_bytes()).unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    let answer = String::from_utf8_lossy(&rest);
    let statuses: Vec<&str> = answer.lines().filter(|l| l.starts_with("HTTP/1.1 ")).collect();
    assert_eq!(statuses, ["HTTP/1.1 400 Bad Request"], "{answer}");
    assert_eq!(gateway_count(&server).await, 1);
    let log = server.kill();
    assert!(
        log.contains("POST /api/cloudflare/accounts/023e105f4ecef8ad9ca31a8372d0c353/gateway/certificates 400"),
        "{log}"
    );

    // Forwarding: the upstream never hears of such a request.
    let upstream = Recorder::start("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    let server = Server::start(&["--cloudflare-upstream", &upstream.url()]);
    let answer = raw(&server, &gateway_create("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"));
    assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request", "{answer}");
    let answer = raw(&server, &gateway_create("Transfer-Encoding: chunked\r\n"));
    assert_eq!(status_line(&answer), "HTTP/1.1 200 OK", "{answer}");
    assert_eq!(upstream.requests(), 1, "only the clean request was forwarded");
}

#[test]
fn clients_that_stop_reading_lose_their_slot_and_hold_no_file_in_memory() {
    let site = Scratch::new("stalled");
    std::fs::write(site.join("index.html"), "<!doctype html><title>t</title>\n").unwrap();
    // 16 MiB, more than the kernel's loopback buffers hold; not compressible, so streamed.
    const SIZE: usize = 16 * 1024 * 1024;
    std::fs::write(site.join("big.bin"), vec![0x5au8; SIZE]).unwrap();
    let server = Server::start(&[
        "--static",
        &site.arg(""),
        "--max-connections",
        "4",
        "--write-timeout",
        "1",
        "--client-timeout",
        "2",
    ]);
    let pid = server.child.id();
    assert_eq!(
        status_line(&raw(&server, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")),
        "HTTP/1.1 200 OK"
    );
    // At rest: the first connection closed, the start-up walk of the folder done.
    std::thread::sleep(Duration::from_millis(500));
    let (rss_before, fds_before) = rss_and_fds(pid);

    // Four clients take every slot, ask for the big file and never read.
    let stalled: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = connect(&server);
            stream.write_all(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let (rss_stalled, fds_stalled) = rss_and_fds(pid);
    // Each holds its socket and its open file, and at most hyper's 64 KiB buffer plus one chunk:
    // nowhere near the 4 × 16 MiB a whole-file read would take.
    assert!(rss_stalled < rss_before + 16 * 1024, "RSS {rss_before} KiB → {rss_stalled} KiB");
    assert!(fds_stalled <= fds_before + 8, "descriptors {fds_before} → {fds_stalled}");

    // A new visitor is served once the write timeout has freed a slot.
    let started = Instant::now();
    let answer = raw(&server, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(status_line(&answer), "HTTP/1.1 200 OK");
    assert!(started.elapsed() < Duration::from_secs(6), "{:?}", started.elapsed());
    // Every stalled connection is dropped with its file (bounded wait: the write timeout is 1 s)…
    let started = Instant::now();
    let mut fds_after = rss_and_fds(pid).1;
    while fds_after > fds_before && started.elapsed() < Duration::from_secs(8) {
        std::thread::sleep(Duration::from_millis(50));
        fds_after = rss_and_fds(pid).1;
    }
    assert!(fds_after <= fds_before, "descriptors {fds_before} → {fds_after}");
    // … before its client had the file: what it can still read is what the kernel buffered.
    for mut stream in stalled {
        let mut received = Vec::new();
        let _ = stream.read_to_end(&mut received);
        assert!(received.starts_with(b"HTTP/1.1 200 OK"));
        assert!(received.len() < SIZE, "{} bytes", received.len());
    }

    // An idle keep-alive connection is closed after the client timeout (2 s).
    let mut idle = connect(&server);
    idle.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut first = [0u8; 4096];
    let read = idle.read(&mut first).unwrap();
    assert!(first[..read].starts_with(b"HTTP/1.1 200 OK"));
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1500) && waited < Duration::from_secs(6), "{waited:?}");

    // A reader that takes the file at its own pace gets all of it.
    let mut reader = connect(&server);
    reader.write_all(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut whole = Vec::new();
    reader.read_to_end(&mut whole).unwrap();
    let head_end = whole.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(whole.len() - head_end, SIZE);
    assert!(String::from_utf8_lossy(&whole[..head_end]).contains(&format!("content-length: {SIZE}\r\n")));
}

#[tokio::test(flavor = "multi_thread")]
async fn symbolic_links_under_static_lead_nowhere_outside() {
    let outside = Scratch::new("outside");
    std::fs::write(outside.join("secret.txt"), "top secret\n").unwrap();
    std::fs::create_dir_all(outside.join("tree")).unwrap();
    std::fs::write(outside.join("tree/page.html"), "outside tree\n").unwrap();
    let site = Scratch::new("links");
    std::fs::create_dir_all(site.join("sub")).unwrap();
    std::fs::write(site.join("index.html"), "<!doctype html><title>inside</title>\n").unwrap();
    std::fs::write(site.join("sub/a.txt"), "inside a\n").unwrap();
    symlink(outside.join("secret.txt"), site.join("passwd.txt")).unwrap();
    symlink(outside.join("secret.txt"), site.join("route")).unwrap();
    symlink(outside.join("tree"), site.join("etc")).unwrap();
    symlink("../outside-nowhere", site.join("dangling.txt")).unwrap();
    // Links that stay inside are served.
    symlink("index.html", site.join("home.html")).unwrap();
    symlink("sub", site.join("linked-sub")).unwrap();
    let fifo = Command::new("mkfifo").arg(site.join("pipe.txt")).status().unwrap();
    assert!(fifo.success());
    // The folder itself reached through a link.
    let holder = Scratch::new("holder");
    symlink(&site.0, holder.join("current")).unwrap();
    let server = Server::start(&["--static", &holder.arg("current")]);
    let http = client();
    for (path, expected, text) in [
        ("/passwd.txt", 404, "not found"),
        ("/route", 404, "not found"),
        ("/etc/page.html", 404, "not found"),
        ("/dangling.txt", 404, "not found"),
        ("/pipe.txt", 404, "not found"),
        ("/sub", 200, "<!doctype html><title>inside</title>\n"),
        ("/home.html", 200, "<!doctype html><title>inside</title>\n"),
        ("/linked-sub/a.txt", 200, "inside a\n"),
        ("/sub/a.txt", 200, "inside a\n"),
    ] {
        let response = tokio::time::timeout(Duration::from_secs(8), http.get(server.url(path)).send())
            .await
            .expect("answered in time")
            .unwrap();
        assert_eq!(response.status().as_u16(), expected, "{path}");
        assert_eq!(response.text().await.unwrap(), text, "{path}");
    }
    let log = server.kill();
    assert!(log.contains("GET /passwd.txt 404") && log.contains("GET /etc/page.html 404"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn state_writes_follow_no_link_and_a_link_at_state_needs_the_flag() {
    let dir = Scratch::new("state");
    let precious = dir.join("precious.txt");
    std::fs::write(&precious, "do not overwrite\n").unwrap();
    let state = dir.join("state.json");
    let server = Server::start(&["--sandbox", "--state", &dir.arg("state.json")]);
    // Links planted at every name the old writer used (`.state.json.<pid>.tmp`) and then some.
    let pid = server.child.id();
    for name in [format!(".state.json.{pid}.tmp"), ".state.json.tmp".to_owned(), ".state.json.0.tmp".to_owned()] {
        symlink(&precious, dir.join(&name)).unwrap();
    }
    assert_eq!(status_line(&raw(&server, &gateway_create("Transfer-Encoding: chunked\r\n"))), "HTTP/1.1 200 OK");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "do not overwrite\n");
    let meta = std::fs::symlink_metadata(&state).unwrap();
    assert!(meta.file_type().is_file(), "state.json is a regular file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["gateway_certificates"].as_array().unwrap().len(), 1);
    server.kill();
    // What is left is the state, the planted links (removed at the next start: they match the
    // temporary pattern) and nothing the writer made.
    let mut names: Vec<String> =
        std::fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut expected = [
        format!(".state.json.{pid}.tmp"),
        ".state.json.0.tmp".to_owned(),
        ".state.json.tmp".to_owned(),
        "precious.txt".to_owned(),
        "state.json".to_owned(),
    ];
    expected.sort();
    assert_eq!(names, expected);

    // A link at --state itself: refused at start, naming the flag.
    std::fs::create_dir_all(dir.join("real")).unwrap();
    let link = dir.join("link.json");
    symlink(dir.join("real/state.json"), &link).unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_certcheck-server"))
        .args(["--listen", "127.0.0.1:0", "--sandbox", "--state", link.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("is a symbolic link: give --follow-state-symlink"), "{message}");
    // With the flag the state lives where the link points, and the link stays a link.
    let server = Server::start(&["--sandbox", "--state", link.to_str().unwrap(), "--follow-state-symlink"]);
    assert_eq!(status_line(&raw(&server, &gateway_create("Transfer-Encoding: chunked\r\n"))), "HTTP/1.1 200 OK");
    server.kill();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    let saved: Value = serde_json::from_slice(&std::fs::read(dir.join("real/state.json")).unwrap()).unwrap();
    assert_eq!(saved["gateway_certificates"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_control_paths_take_same_origin_json_only_and_leak_no_path() {
    let dir = Scratch::new("control");
    std::fs::create_dir_all(dir.join("gone")).unwrap();
    let server = Server::start(&["--sandbox", "--state", &dir.arg("gone/state.json")]);
    let http = client();
    let auth = "Bearer t";
    let (status, created) = call(
        http.post(server.url(&format!("/api/cloudflare/accounts/{ACCOUNT}/mtls_certificates")))
            .header("authorization", auth)
            .json(&json!({ "ca": true, "certificates": fixture("mtls/good-ca.pem") })),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["result"]["id"].as_str().unwrap().to_owned();
    let control = server.url(&format!("/api/sandbox/mtls_certificates/{id}/associations"));
    let own = server.base.clone();
    let association = r#"{"service":"gateway","status":"active"}"#;
    for (origin, content_type, expected) in [
        // A cross-origin form post, in each of the types a form can send.
        (Some("http://evil.example"), "text/plain", 403),
        (Some("http://evil.example"), "application/x-www-form-urlencoded", 403),
        (Some("null"), "multipart/form-data; boundary=x", 403),
        (Some("http://evil.example"), "application/json", 403),
        (Some("http://127.0.0.1:1"), "application/json", 403),
        (None, "text/plain", 415),
        (None, "application/x-www-form-urlencoded", 415),
        (Some(own.as_str()), "text/plain;charset=UTF-8", 415),
    ] {
        let mut request = http.post(&control).header("content-type", content_type).body(association);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let (status, answer) = call(request).await;
        assert_eq!(status, expected, "{origin:?} {content_type}: {answer}");
    }
    let (status, _) = call(http.delete(&control).header("origin", "http://evil.example")).await;
    assert_eq!(status, 403);
    let (status, _) = call(
        http.post(&control)
            .header("sec-fetch-site", "cross-site")
            .header("content-type", "application/json")
            .body(association),
    )
    .await;
    assert_eq!(status, 403);
    // Nothing was attached by any of it.
    let associations = server.url(&format!("/api/cloudflare/accounts/{ACCOUNT}/mtls_certificates/{id}/associations"));
    let (_, listed) = call(http.get(&associations).header("authorization", auth)).await;
    assert_eq!(listed["result"], json!([]));
    // The page's own origin with JSON is served.
    let (status, answer) =
        call(http.post(&control).header("origin", &own).header("content-type", "application/json").body(association))
            .await;
    assert_eq!((status, answer), (200, json!({ "associations": [{ "service": "gateway", "status": "active" }] })));

    // A failed save answers without the file's path or the system's reason.
    std::fs::remove_dir_all(dir.join("gone")).unwrap();
    let (status, answer) = call(http.delete(&control)).await;
    assert_eq!((status, answer), (500, json!({ "error": "the sandbox could not save its state" })));
    let (status, answer) = call(
        http.post(server.url(&format!("/api/cloudflare/accounts/{ACCOUNT}/gateway/certificates")))
            .header("authorization", auth),
    )
    .await;
    assert_eq!(status, 500);
    let text = answer.to_string();
    assert!(!text.contains(dir.0.to_str().unwrap()) && !text.contains("os error"), "{text}");
    assert_eq!(answer["errors"][0]["message"], "the sandbox could not save its state");
}

/// A loopback listener that records every byte it is sent and answers each connection once.
struct Recorder {
    address: String,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Recorder {
    fn start(reply: &'static str) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let seen: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let record = record.clone();
                std::thread::spawn(move || {
                    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                    let mut bytes = Vec::new();
                    let mut chunk = [0u8; 4096];
                    // The head, then a body of the length it declares.
                    while let Ok(read) = stream.read(&mut chunk) {
                        if read == 0 {
                            break;
                        }
                        bytes.extend_from_slice(&chunk[..read]);
                        let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length = text
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if bytes.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    record.lock().unwrap().push(bytes);
                    let _ = stream.write_all(reply.as_bytes());
                });
            }
        });
        Recorder { address, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn text(&self) -> String {
        self.seen.lock().unwrap().iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect::<Vec<_>>().join("\n")
    }

    /// Waits (bounded) until `count` requests arrived.
    fn wait_for(&self, count: usize) {
        let started = Instant::now();
        while self.requests() < count && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn proxies_carry_only_tunnels_and_never_a_token_in_clear() {
    let http = client();
    let token = "Bearer sk-never-to-a-proxy";
    let list = format!("/api/cloudflare/accounts/{ACCOUNT}/mtls_certificates");
    let proxy = Recorder::start("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    let upstream = Recorder::start("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

    // Every proxy variable set, an http:// upstream: straight to the upstream, the proxy hears nothing.
    let everything: Vec<(&str, String)> = PROXY_VARIABLES
        .iter()
        .filter(|name| !name.eq_ignore_ascii_case("no_proxy"))
        .map(|name| (*name, proxy.url()))
        .collect();
    let env: Vec<(&str, &str)> = everything.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let server = Server::start_with_env(&["--cloudflare-upstream", &format!("{}/client/v4", upstream.url())], &env);
    let (status, _) = call(http.get(server.url(&list)).header("authorization", token)).await;
    assert_eq!(status, 200);
    upstream.wait_for(1);
    assert!(upstream.text().contains("authorization: Bearer sk-never-to-a-proxy"), "{}", upstream.text());
    drop(server);
    // --proxy does not apply to an http:// upstream either.
    let server = Server::start(&["--proxy", &proxy.url(), "--cloudflare-upstream", &upstream.url()]);
    let (status, _) = call(http.get(server.url(&list)).header("authorization", token)).await;
    assert_eq!(status, 200);
    upstream.wait_for(2);
    assert_eq!((upstream.requests(), proxy.requests()), (2, 0));
    drop(server);

    // An https:// upstream through --proxy: a CONNECT tunnel, the proxy sees the host name only.
    let server = Server::start(&["--proxy", &proxy.url(), "--anthropic-upstream", "https://api.anthropic.test"]);
    let (status, _) =
        call(http.get(server.url("/api/anthropic/v1/tunnels/tnl_1/certificates")).header("authorization", token)).await;
    assert_eq!(status, 502, "the proxy refused the tunnel");
    proxy.wait_for(1);
    drop(server);
    // The same through https_proxy, written without a scheme as curl takes it.
    let server = Server::start_with_env(
        &["--anthropic-upstream", "https://api.anthropic.test"],
        &[("https_proxy", proxy.address.as_str())],
    );
    let (status, _) =
        call(http.get(server.url("/api/anthropic/v1/tunnels/tnl_1/certificates")).header("authorization", token)).await;
    assert_eq!(status, 502);
    proxy.wait_for(2);
    drop(server);
    let seen = proxy.text();
    assert_eq!(proxy.requests(), 2, "{seen}");
    assert_eq!(seen.matches("CONNECT api.anthropic.test:443 HTTP/1.1\r\n").count(), 2, "{seen}");
    assert!(!seen.contains("sk-never-to-a-proxy") && !seen.to_ascii_lowercase().contains("authorization"), "{seen}");

    // --no-proxy ignores HTTPS_PROXY: the (closed) upstream port is tried directly.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let server = Server::start_with_env(
        &["--no-proxy", "--anthropic-upstream", &format!("https://{closed}")],
        &[("HTTPS_PROXY", &proxy.url())],
    );
    let (status, _) =
        call(http.get(server.url("/api/anthropic/v1/tunnels/tnl_1/certificates")).header("authorization", token)).await;
    assert_eq!(status, 502);
    assert_eq!(proxy.requests(), 2);
}
