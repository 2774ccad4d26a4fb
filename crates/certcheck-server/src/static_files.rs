//! The dashboard's built files (or a placeholder page until the dashboard exists). Paths are
//! taken literally: no percent-decoding, no `..`, no backslashes, so nothing outside the folder
//! can be named; a path without an extension that names no file (a client-side route) gets
//! index.html.
//!
//! Every file is read and hashed (SHA-256) on each request, so what is sent is always what is on
//! disk, and the hash is its strong `ETag` (`If-None-Match` answers 304). Its brotli and gzip
//! forms are made once per content and kept in memory, keyed by file name and hash: at start for
//! every file in the folder, at the best levels (brotli 11, gzip 9), in the background; a file
//! asked for before that (or changed since) is compressed at once at the fast levels and
//! upgraded in the background. Names Trunk hashed (`name-<hex>.ext`, `name-<hex>_bg.wasm`) never
//! change content: they are cached for a year as `immutable`; the rest (index.html, boot.js) is
//! `no-cache`, revalidated with the ETag.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::sync::{OnceCell, Semaphore};

use crate::compression::{self, Encoding, Level};

const PLACEHOLDER: &str = "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>certcheck</title>
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>
<body><main><h1>certcheck-server</h1>
<p>The dashboard has not been built into this server yet. The API is live:
<code>/api/anthropic/…</code> and <code>/api/cloudflare/…</code> take the vendors' documented
certificate endpoints.</p></main></body></html>
";

/// `Cache-Control` of a file whose name carries its content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of every other file: stored, but revalidated before each use.
const REVALIDATE: &str = "no-cache";

/// Files larger than this are sent as they are (the dashboard's wasm is about 1 MB).
const MAX_COMPRESSED_SIZE: usize = 32 * 1024 * 1024;

/// A SHA-256 of a file's bytes.
type Digest = [u8; 32];

/// The static folder and the compressed forms of its files.
pub(crate) struct StaticFiles {
    dir: Option<PathBuf>,
    cache: Mutex<HashMap<String, Arc<Slot>>>,
    /// One best-level compression at a time: brotli 11 takes about a second per megabyte.
    best: Semaphore,
}

/// One content of one file and, once made, its compressed forms.
struct Slot {
    digest: Digest,
    forms: OnceCell<Arc<Forms>>,
}

/// The compressed forms of one content; `None` where the coding would not make it smaller.
struct Forms {
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    level: Level,
}

impl Forms {
    fn make(bytes: &[u8], level: Level) -> Self {
        Self {
            brotli: compression::compress(bytes, Encoding::Brotli, level).map(Bytes::from),
            gzip: compression::compress(bytes, Encoding::Gzip, level).map(Bytes::from),
            level,
        }
    }

    fn get(&self, encoding: Encoding) -> Option<&Bytes> {
        match encoding {
            Encoding::Brotli => self.brotli.as_ref(),
            Encoding::Gzip => self.gzip.as_ref(),
            Encoding::Identity => None,
        }
    }
}

/// A file found for a request path.
struct Found {
    /// The cache key: the file's path below the folder.
    name: String,
    bytes: Bytes,
    content_type: &'static str,
}

impl StaticFiles {
    pub(crate) fn new(dir: Option<PathBuf>) -> Arc<Self> {
        Arc::new(Self { dir, cache: Mutex::default(), best: Semaphore::new(1) })
    }

    /// Compresses every file of the folder at the best levels, one after the other, in the
    /// background (so the first visitor gets the smallest forms). Outside a Tokio runtime it
    /// does nothing: files are then compressed when first asked for.
    pub(crate) fn warm(self: &Arc<Self>) {
        let (Some(dir), Ok(runtime)) = (self.dir.clone(), tokio::runtime::Handle::try_current()) else { return };
        let files = self.clone();
        runtime.spawn(async move {
            let mut pending = vec![PathBuf::new()];
            while let Some(relative) = pending.pop() {
                let Ok(mut entries) = tokio::fs::read_dir(dir.join(&relative)).await else { continue };
                while let Ok(Some(entry)) = entries.next_entry().await {
                    let Ok(kind) = entry.file_type().await else { continue };
                    let path = relative.join(entry.file_name());
                    if kind.is_dir() {
                        pending.push(path);
                        continue;
                    }
                    let Some(name) = path.to_str().map(|name| name.replace('\\', "/")) else { continue };
                    let small = entry.metadata().await.is_ok_and(|m| m.len() <= MAX_COMPRESSED_SIZE as u64);
                    if !kind.is_file() || !small || !compression::compressible(content_type(&name)) {
                        continue;
                    }
                    if let Ok(bytes) = tokio::fs::read(dir.join(&path)).await {
                        let bytes = Bytes::from(bytes);
                        if bytes.len() >= compression::MIN_SIZE {
                            files.upgrade(name, sha256(&bytes), bytes).await;
                        }
                    }
                }
            }
        });
    }

    /// The response to a GET or HEAD of `path` with the request's headers.
    pub(crate) async fn serve(self: &Arc<Self>, path: &str, request: &HeaderMap) -> Response {
        let Some(found) = self.find(path).await else { return missing() };
        let digest = sha256(&found.bytes);
        let tag: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let variable = compression::compressible(found.content_type)
            && (compression::MIN_SIZE..=MAX_COMPRESSED_SIZE).contains(&found.bytes.len());
        let accepted = if variable { compression::accepted(request) } else { Vec::new() };
        let (encoding, body) = match accepted.first() {
            None => (Encoding::Identity, found.bytes.clone()),
            Some(_) => {
                let forms = self.forms(&found, digest).await;
                accepted
                    .iter()
                    .find_map(|&encoding| forms.get(encoding).map(|body| (encoding, body.clone())))
                    .unwrap_or((Encoding::Identity, found.bytes.clone()))
            }
        };
        // A strong validator names one representation (RFC 9110 §8.8.1): each coding has its own.
        let etag = match encoding {
            Encoding::Identity => format!("\"{tag}\""),
            coded => format!("\"{tag}-{}\"", coded.token()),
        };
        let fresh = request.get_all(header::IF_NONE_MATCH).iter().any(|value| matches(value, &etag));
        let mut response = if fresh {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            let mut response = Response::new(Body::from(body));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(found.content_type));
            if encoding != Encoding::Identity {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
            }
            response
        };
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        let cache = if hashed_name(&found.name) { IMMUTABLE } else { REVALIDATE };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        if variable {
            compression::vary(headers);
        }
        response
    }

    /// The file a request path names, its index.html for a client-side route, or the placeholder.
    async fn find(&self, path: &str) -> Option<Found> {
        let Some(dir) = &self.dir else {
            return (path == "/" || path == "/index.html").then(|| Found {
                name: "index.html".to_owned(),
                bytes: Bytes::from_static(PLACEHOLDER.as_bytes()),
                content_type: content_type("index.html"),
            });
        };
        let relative = path.trim_start_matches('/');
        let relative = if relative.is_empty() { "index.html" } else { relative };
        let safe = relative.split('/').all(|segment| {
            !segment.is_empty() && segment != "." && segment != ".." && !segment.contains(['\\', '%', '\0'])
        });
        if !safe {
            return None;
        }
        let file_name = relative.rsplit('/').next().unwrap_or(relative);
        let read = |name: &str| {
            let name = name.to_owned();
            let content_type = content_type(&name);
            let path = dir.join(&name);
            async move { tokio::fs::read(path).await.ok().map(|bytes| Found { name, bytes: bytes.into(), content_type }) }
        };
        match read(relative).await {
            Some(found) => Some(found),
            // Client-side routes (no extension) get the app itself.
            None if !file_name.contains('.') => read("index.html").await,
            None => None,
        }
    }

    /// The compressed forms of this content: cached, or made now at the fast levels (and
    /// upgraded to the best levels in the background). Concurrent requests share one making.
    async fn forms(self: &Arc<Self>, found: &Found, digest: Digest) -> Arc<Forms> {
        let slot = {
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            let slot =
                cache.entry(found.name.clone()).or_insert_with(|| Arc::new(Slot { digest, forms: OnceCell::new() }));
            if slot.digest != digest {
                *slot = Arc::new(Slot { digest, forms: OnceCell::new() });
            }
            slot.clone()
        };
        let forms = slot
            .forms
            .get_or_init(|| async {
                let bytes = found.bytes.clone();
                let forms = tokio::task::spawn_blocking(move || Forms::make(&bytes, Level::Fast))
                    .await
                    .unwrap_or(Forms { brotli: None, gzip: None, level: Level::Fast });
                let files = self.clone();
                let (name, bytes) = (found.name.clone(), found.bytes.clone());
                tokio::spawn(async move { files.upgrade(name, digest, bytes).await });
                Arc::new(forms)
            })
            .await;
        forms.clone()
    }

    /// Makes the best forms of a content and keeps them, unless they exist already or the file
    /// changed meanwhile.
    async fn upgrade(&self, name: String, digest: Digest, bytes: Bytes) {
        let done = |cache: &HashMap<String, Arc<Slot>>| {
            cache.get(&name).is_some_and(|slot| {
                slot.digest == digest && slot.forms.get().is_some_and(|forms| forms.level == Level::Best)
            })
        };
        let Ok(_turn) = self.best.acquire().await else { return };
        if done(&self.cache.lock().unwrap_or_else(PoisonError::into_inner)) {
            return;
        }
        let Ok(forms) = tokio::task::spawn_blocking(move || Forms::make(&bytes, Level::Best)).await else { return };
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let current = cache.get(&name).map(|slot| slot.digest);
        if current.is_none() || current == Some(digest) {
            cache.insert(name, Arc::new(Slot { digest, forms: OnceCell::new_with(Some(Arc::new(forms))) }));
        }
    }
}

/// Whether `If-None-Match` lists this ETag (or `*`), by the weak comparison RFC 9110 §13.1.2
/// prescribes for it.
fn matches(value: &HeaderValue, etag: &str) -> bool {
    let Ok(text) = value.to_str() else { return false };
    text.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Whether a file name carries Trunk's content hash: `-` then 12 to 16 lowercase hex digits
/// (Trunk writes a 64-bit seahash in hex without padding) then `.` or `_`, as in
/// `main-3f1a9c0d2b4e6f70.css` and `certcheck-web-0b1c2d3e4f5a6b7c_bg.wasm`.
fn hashed_name(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.match_indices('-').any(|(at, _)| {
        let rest = file.get(at + 1..).unwrap_or("");
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)).count();
        (12..=16).contains(&digits) && matches!(rest.as_bytes().get(digits), Some(b'.' | b'_'))
    })
}

fn sha256(bytes: &[u8]) -> Digest {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

fn content_type(name: &str) -> &'static str {
    let file = name.rsplit('/').next().unwrap_or(name);
    let extension = file.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "pem" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn missing() -> Response {
    let mut response = Response::new(Body::from("not found"));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognized() {
        for name in [
            "main-3f1a9c0d2b4e6f70.css",
            "certcheck-web-0b1c2d3e4f5a6b7c.js",
            "certcheck-web-0b1c2d3e4f5a6b7c_bg.wasm",
            "certcheck-web-b1c2d3e4f5a6b7c_bg.wasm",
            "assets/icon-0123456789ab.svg",
        ] {
            assert!(hashed_name(name), "{name}");
        }
        for name in [
            "index.html",
            "boot.js",
            "certcheck-web.js",
            "certcheck-web_bg.wasm",
            "app-20261122.js",
            "main-3F1A9C0D2B4E6F70.css",
            "main-3f1a9c0d2b4e6f70a.css",
            "main-3f1a9c0d2b4e6f70",
            "3f1a9c0d2b4e6f70-main.css",
        ] {
            assert!(!hashed_name(name), "{name}");
        }
    }

    #[test]
    fn if_none_match_uses_the_weak_comparison() {
        let etag = "\"abc-br\"";
        for (value, expected) in [
            ("\"abc-br\"", true),
            ("W/\"abc-br\"", true),
            ("\"x\", \"abc-br\"", true),
            ("*", true),
            ("\"abc\"", false),
            ("\"abc-gzip\"", false),
            ("abc-br", false),
        ] {
            assert_eq!(matches(&HeaderValue::from_static(value), etag), expected, "{value}");
        }
    }
}
