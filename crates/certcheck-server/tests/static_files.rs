//! Serving the dashboard against the real binary, from a small fake build in a temporary folder
//! (Trunk's hashed names, a revalidated index.html and boot.js, an image, a tiny file): brotli
//! and gzip decode to the bytes on disk, `Vary` is set, already-compressed types and tiny bodies
//! go as they are, hashed names are immutable for a year and the rest revalidated by a strong
//! ETag (304), API answers are compressed too and stay `no-store`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::Read;
use std::path::PathBuf;

use common::{Server, client};
use reqwest::header::HeaderMap;
use serde_json::Value;

const JS: &str = "certcheck-web-0b1c2d3e4f5a6b7c.js";
const WASM: &str = "certcheck-web-0b1c2d3e4f5a6b7c_bg.wasm";
const CSS: &str = "main-3f1a9c0d2b4e6f70.css";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A fake dashboard build; removed when dropped.
struct Site(PathBuf);

impl Site {
    fn new(name: &str) -> Site {
        let dir = std::env::temp_dir().join(format!("certcheck-static-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("icons")).unwrap();
        let write = |file: &str, bytes: &[u8]| std::fs::write(dir.join(file), bytes).unwrap();
        write("index.html", index_html("v1").as_bytes());
        write(
            "boot.js",
            format!("// starts the app\n{}", "const link = document.querySelector('link');\n".repeat(12)).as_bytes(),
        );
        write(
            JS,
            "export default function init() { return fetch('/x').then((r) => r.arrayBuffer()); }\n"
                .repeat(40)
                .as_bytes(),
        );
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend((0..20_000u32).map(|i| (i % 251) as u8 ^ (i / 7 % 3) as u8));
        write(WASM, &wasm);
        write(CSS, "body { margin: 0; font-family: system-ui; }\n".repeat(30).as_bytes());
        // An image is already compressed: pseudo-random bytes.
        let mut seed = 0x2545_f491_u32;
        let png: Vec<u8> = (0..3000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                (seed >> 24) as u8
            })
            .collect();
        write("icons/logo.png", &png);
        write("tiny.txt", b"short\n");
        Site(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    fn read(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.0.join(file)).unwrap()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn index_html(version: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>certcheck {version}</title>\n\
         <link rel=\"modulepreload\" href=\"/{JS}\" crossorigin=\"anonymous\">\n\
         <link rel=\"preload\" href=\"/{WASM}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">\n\
         <link rel=\"stylesheet\" href=\"/{CSS}\">\n<script type=\"module\" src=\"/boot.js\"></script></head>\n\
         <body><p id=\"boot\">Loading certcheck…</p></body></html>\n"
    )
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The body with its content coding undone.
    fn decoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.header("content-encoding") {
            None => out.clone_from(&self.body),
            Some("br") => {
                brotli::Decompressor::new(&self.body[..], 4096).read_to_end(&mut out).unwrap();
            }
            Some("gzip") => {
                flate2::read::GzDecoder::new(&self.body[..]).read_to_end(&mut out).unwrap();
            }
            Some(other) => panic!("unexpected content-encoding {other}"),
        }
        out
    }
}

async fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = client().get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    if let Some(length) = headers.get("content-length") {
        assert_eq!(length.to_str().unwrap(), body.len().to_string(), "{path}: Content-Length is the bytes sent");
    }
    Answer { status, headers, body }
}

#[tokio::test(flavor = "multi_thread")]
async fn brotli_and_gzip_decode_to_the_files_and_only_where_it_pays() {
    let site = Site::new("codings");
    let server = Server::start(&["--static", site.path()]);
    for file in ["index.html", "boot.js", JS, WASM, CSS] {
        let on_disk = site.read(file);
        let path = format!("/{file}");
        let plain = get(&server, &path, &[]).await;
        assert_eq!((plain.status, plain.header("content-encoding")), (200, None), "{file}");
        assert_eq!(plain.body, on_disk, "{file}");
        assert_eq!(plain.header("vary"), Some("accept-encoding"), "{file}");
        for (accept, expected) in
            [("gzip, deflate, br, zstd", "br"), ("br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("*", "br")]
        {
            let coded = get(&server, &path, &[("accept-encoding", accept)]).await;
            assert_eq!(coded.status, 200);
            assert_eq!(coded.header("content-encoding"), Some(expected), "{file} with {accept}");
            assert_eq!(coded.header("vary"), Some("accept-encoding"));
            assert!(coded.body.len() < on_disk.len(), "{file} {expected}: {} ≥ {}", coded.body.len(), on_disk.len());
            assert_eq!(coded.decoded(), on_disk, "{file} {expected}");
            // The type is the file's, whatever the coding.
            assert_eq!(coded.header("content-type"), plain.header("content-type"));
        }
        for accept in ["identity", "deflate", "br;q=0, gzip;q=0", "*;q=0"] {
            let answer = get(&server, &path, &[("accept-encoding", accept)]).await;
            assert_eq!((answer.header("content-encoding"), answer.body == on_disk), (None, true), "{file} {accept}");
        }
    }
    // An image (already compressed) and a tiny body: as they are, and nothing varies.
    for (file, kind) in [("icons/logo.png", "image/png"), ("tiny.txt", "text/plain; charset=utf-8")] {
        let answer = get(&server, &format!("/{file}"), &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), Some(kind));
        assert_eq!(answer.header("content-encoding"), None, "{file}");
        assert_eq!(answer.header("vary"), None, "{file}");
        assert_eq!(answer.body, site.read(file));
    }
    // HEAD: the same headers, no body.
    let head = client().head(server.url(&format!("/{WASM}"))).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(head.headers()["content-encoding"], "br");
    assert_eq!(head.bytes().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn hashed_names_are_immutable_the_rest_is_revalidated() {
    let site = Site::new("caching");
    let server = Server::start(&["--static", site.path()]);
    for file in [JS, WASM, CSS] {
        let answer = get(&server, &format!("/{file}"), &[("accept-encoding", "br")]).await;
        assert_eq!(answer.header("cache-control"), Some(IMMUTABLE), "{file}");
        assert!(answer.header("etag").is_some());
    }
    let index = get(&server, "/", &[]).await;
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    for path in ["/index.html", "/boot.js", "/icons/logo.png", "/tiny.txt", "/check", "/vendors/cloudflare"] {
        let answer = get(&server, path, &[]).await;
        assert_eq!((answer.status, answer.header("cache-control")), (200, Some("no-cache")), "{path}");
    }
    // Client-side routes are the app itself, with its validator.
    let route = get(&server, "/check", &[]).await;
    assert_eq!((route.body.as_slice(), route.header("etag")), (index.body.as_slice(), index.header("etag")));
    // A hashed name that does not exist is a plain 404: nothing to keep for a year.
    let missing = get(&server, "/certcheck-web-ffffffffffffffff.js", &[]).await;
    assert_eq!((missing.status, missing.header("cache-control")), (404, None));
    // The existing guarantees: paths are taken literally and stay inside the folder.
    for path in ["/..%2fetc%2fpasswd", "/icons/..%2f..%2findex.html", "/%2e%2e/x.js", "/icons//logo.png"] {
        assert_eq!(get(&server, path, &[]).await.status, 404, "{path}");
    }
    // The security headers are still on every file.
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));
    assert!(index.header("content-security-policy").unwrap().contains("script-src 'self' 'wasm-unsafe-eval'"));
}

#[tokio::test(flavor = "multi_thread")]
async fn strong_etags_per_coding_answer_304_and_follow_the_file() {
    let site = Site::new("etags");
    let server = Server::start(&["--static", site.path()]);
    let br = [("accept-encoding", "br, gzip")];
    let first = get(&server, "/", &br).await;
    let etag = first.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with("-br\""), "{etag}");
    let identity = get(&server, "/", &[]).await;
    let plain_etag = identity.header("etag").unwrap().to_owned();
    // One content hash, one tag per coding: "<hash>", "<hash>-br", "<hash>-gzip".
    let hash = etag.trim_end_matches("-br\"");
    assert_eq!(plain_etag, format!("{hash}\""));
    let gzip = get(&server, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("etag"), Some(format!("{hash}-gzip\"").as_str()));

    // Revalidation: 304, no body, the same validator and caching headers.
    for tag in [etag.clone(), format!("W/{etag}"), format!("\"nope\", {etag}"), "*".to_owned()] {
        let again = get(&server, "/", &[br[0], ("if-none-match", &tag)]).await;
        assert_eq!(again.status, 304, "{tag}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        assert_eq!(again.header("cache-control"), Some("no-cache"));
        assert_eq!(again.header("vary"), Some("accept-encoding"));
    }
    // Another coding's tag does not validate this one.
    let other = get(&server, "/", &[("if-none-match", &etag)]).await;
    assert_eq!((other.status, other.header("etag")), (200, Some(plain_etag.as_str())));
    assert_eq!(get(&server, "/", &[("if-none-match", &plain_etag)]).await.status, 304);
    // Hashed files revalidate the same way (a browser does not ask: they are immutable).
    let js = get(&server, &format!("/{JS}"), &br).await;
    let js_etag = js.header("etag").unwrap();
    assert_eq!(get(&server, &format!("/{JS}"), &[br[0], ("if-none-match", js_etag)]).await.status, 304);

    // The file changes on disk (a rebuild): a new validator and the new bytes, in every coding.
    std::fs::write(site.0.join("index.html"), index_html("v2")).unwrap();
    let changed = get(&server, "/", &[br[0], ("if-none-match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    assert_eq!(changed.decoded(), index_html("v2").as_bytes());
    let changed_gzip = get(&server, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(changed_gzip.decoded(), index_html("v2").as_bytes());
}

#[tokio::test(flavor = "multi_thread")]
async fn api_answers_are_compressed_on_request_and_stay_no_store() {
    let site = Site::new("api");
    let server = Server::start(&["--sandbox", "--static", site.path()]);
    let http = client();
    let gateway = server.url("/api/cloudflare/accounts/023e105f4ecef8ad9ca31a8372d0c353/gateway/certificates");
    for _ in 0..3 {
        let created = http.post(&gateway).header("authorization", "Bearer t").send().await.unwrap();
        assert_eq!(created.status(), 200);
    }
    let list = |accept: &'static str| {
        let request = http.get(&gateway).header("authorization", "Bearer t");
        async move {
            let request = if accept.is_empty() { request } else { request.header("accept-encoding", accept) };
            let response = request.send().await.unwrap();
            let headers = response.headers().clone();
            Answer { status: response.status().as_u16(), headers, body: response.bytes().await.unwrap().to_vec() }
        }
    };
    let plain = list("").await;
    assert_eq!((plain.status, plain.header("content-encoding")), (200, None));
    let expected: Value = serde_json::from_slice(&plain.body).unwrap();
    assert_eq!(expected["result"].as_array().unwrap().len(), 3);
    for (accept, coding) in [("br, gzip", "br"), ("gzip", "gzip")] {
        let answer = list(accept).await;
        assert_eq!(answer.header("content-encoding"), Some(coding));
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        assert_eq!(answer.header("vary"), Some("accept-encoding"));
        assert!(answer.body.len() < plain.body.len());
        assert_eq!(serde_json::from_slice::<Value>(&answer.decoded()).unwrap(), expected);
    }
    // A short answer goes as it is.
    let status = get(&server, "/api/sandbox/status", &[("accept-encoding", "br")]).await;
    assert_eq!((status.header("content-encoding"), status.header("cache-control")), (None, Some("no-store")));
    assert_eq!(serde_json::from_slice::<Value>(&status.body).unwrap(), serde_json::json!({ "sandbox": true }));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_placeholder_page_is_served_the_same_way() {
    let server = Server::start(&[]);
    let answer = get(&server, "/", &[("accept-encoding", "br")]).await;
    assert_eq!((answer.status, answer.header("content-encoding")), (200, Some("br")));
    assert_eq!(answer.header("cache-control"), Some("no-cache"));
    assert!(String::from_utf8(answer.decoded()).unwrap().contains("has not been built"));
    let etag = answer.header("etag").unwrap();
    assert_eq!(get(&server, "/", &[("accept-encoding", "br"), ("if-none-match", etag)]).await.status, 304);
    assert_eq!(get(&server, "/main.css", &[]).await.status, 404);
}
