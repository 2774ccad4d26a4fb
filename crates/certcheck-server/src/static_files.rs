//! The dashboard's built files (or a placeholder page until the dashboard exists). Paths are
//! taken literally: no percent-decoding, no `..`, no backslashes, so no request path names
//! anything outside the folder; a path without an extension that names no file (a client-side
//! route) gets index.html.
//!
//! Links: a file is served only when it is a regular file whose canonical path (every symbolic
//! link resolved) lies under the canonical static folder, and the file opened is that very file
//! (same device and inode, checked after opening, so a link swapped in between is caught). A link
//! inside the folder to a file inside it is served (deployments that point `index.html` or the
//! folder itself at a release keep working); a link leading outside, or through a linked
//! directory outside, answers 404 and is logged. Devices, FIFOs and directories are never
//! served (opened non-blocking, checked on the open descriptor).
//!
//! Files are streamed from the open descriptor in 32 KiB chunks (never read whole per request).
//! The strong `ETag` is the SHA-256 of the content, computed once per file identity (device,
//! inode, size, modification and change times: any write changes the change time) and kept; a
//! changed file gets a new identity, so a new hash and new compressed forms. (Two in-place
//! rewrites of the same size within one tick of the file system's clock, a few milliseconds,
//! would look alike and keep the first one's tag and forms; a build that replaces files by
//! rename always makes a new identity. The uncompressed body is always read from the file opened
//! for the request.) Brotli and gzip forms
//! of compressible files up to 8 MiB are made once per content and kept in memory, keyed by name
//! and identity: at start for every file in the folder, at the best levels (brotli 11, gzip 9),
//! in the background; a file asked for before that (or changed since) is compressed at once at
//! the fast levels and upgraded in the background. The cache is bounded by the folder: one entry
//! per file name served, each at most two forms smaller than the file. Names Trunk hashed
//! (`name-<hex>.ext`, `name-<hex>_bg.wasm`) never change content: they are cached for a year as
//! `immutable`; the rest (index.html, boot.js) is `no-cache`, revalidated with the ETag.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::os::unix::fs::{FileExt as _, MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use hyper::body::{Frame, SizeHint};
use tokio::sync::{OnceCell, Semaphore};
use tokio::task::JoinHandle;

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

/// Files larger than this are sent as they are (the dashboard's wasm is about 1.2 MB).
const MAX_COMPRESSED_SIZE: u64 = 8 * 1024 * 1024;

/// What one read from a file sends at most.
const CHUNK: usize = 32 * 1024;

/// A SHA-256 of a file's bytes.
type Digest = [u8; 32];

/// Which file content is on disk: any write changes the change time (`ctime`), which no
/// unprivileged process can set back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Identity {
    fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            device: meta.dev(),
            inode: meta.ino(),
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// The static folder and what is known of its files.
pub(crate) struct StaticFiles {
    dir: Option<PathBuf>,
    cache: Mutex<HashMap<String, Arc<Slot>>>,
    /// One best-level compression at a time: brotli 11 takes about a second per megabyte.
    best: Semaphore,
}

/// One content of one file (`None`: the placeholder page): its hash and compressed forms.
struct Slot {
    identity: Option<Identity>,
    digest: OnceCell<Option<Digest>>,
    forms: OnceCell<Arc<Forms>>,
}

/// The compressed forms of one content; `None` where the coding would not make it smaller.
struct Forms {
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    level: Level,
}

impl Forms {
    const NONE: Self = Self { brotli: None, gzip: None, level: Level::Fast };

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

/// A file found for a request path, open.
struct Found {
    /// The cache key: the file's path below the folder.
    name: String,
    content_type: &'static str,
    source: Source,
}

enum Source {
    Placeholder,
    File { file: Arc<std::fs::File>, identity: Identity },
}

impl Source {
    fn len(&self) -> u64 {
        match self {
            Self::Placeholder => PLACEHOLDER.len() as u64,
            Self::File { identity, .. } => identity.len,
        }
    }

    fn identity(&self) -> Option<Identity> {
        match self {
            Self::Placeholder => None,
            Self::File { identity, .. } => Some(*identity),
        }
    }

    /// The whole content (only for compressing files up to [`MAX_COMPRESSED_SIZE`]).
    async fn contents(&self) -> Option<Bytes> {
        match self {
            Self::Placeholder => Some(Bytes::from_static(PLACEHOLDER.as_bytes())),
            Self::File { file, identity } => {
                let (file, len) = (file.clone(), identity.len);
                tokio::task::spawn_blocking(move || read_all(&file, len)).await.ok().flatten().map(Bytes::from)
            }
        }
    }

    /// The SHA-256 of the content, read in chunks.
    async fn digest(&self) -> Option<Digest> {
        match self {
            Self::Placeholder => Some(sha256(PLACEHOLDER.as_bytes())),
            Self::File { file, identity } => {
                let (file, len) = (file.clone(), identity.len);
                tokio::task::spawn_blocking(move || hash_file(&file, len)).await.ok().flatten()
            }
        }
    }

    fn body(&self) -> Body {
        match self {
            Self::Placeholder => Body::from(PLACEHOLDER),
            Self::File { file, identity } => Body::new(FileBody::new(file.clone(), identity.len)),
        }
    }
}

/// What opening a request's file found.
enum Opened {
    File(std::fs::File, Identity),
    /// No regular file by that name (absent, a directory, a device, unreadable).
    Missing,
    /// A link that leads outside the folder (or was swapped while opening).
    Outside,
}

/// Opens `relative` below `root` as the module documentation says (blocking).
fn open_under(root: &Path, relative: &str) -> Opened {
    let Ok(root) = root.canonicalize() else { return Opened::Missing };
    let path = root.join(relative);
    // Non-blocking, so a FIFO planted in the folder cannot hang the open; no controlling terminal.
    let options = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).clone();
    let Ok(file) = options.open(&path) else { return Opened::Missing };
    let Ok(meta) = file.metadata() else { return Opened::Missing };
    if !meta.is_file() {
        return Opened::Missing;
    }
    let Ok(canonical) = path.canonicalize() else { return Opened::Missing };
    if !canonical.starts_with(&root) {
        return Opened::Outside;
    }
    match std::fs::metadata(&canonical) {
        Ok(now) if now.dev() == meta.dev() && now.ino() == meta.ino() => Opened::File(file, Identity::of(&meta)),
        _ => Opened::Outside,
    }
}

/// Reads exactly `len` bytes from the start of a file; `None` when it is shorter or unreadable.
fn read_all(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    let mut bytes = vec![0u8; usize::try_from(len).ok()?];
    file.read_exact_at(&mut bytes, 0).ok()?;
    Some(bytes)
}

/// The SHA-256 of the first `len` bytes of a file, read in chunks.
fn hash_file(file: &std::fs::File, len: u64) -> Option<Digest> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut offset = 0u64;
    while offset < len {
        let want = usize::try_from((len - offset).min(buffer.len() as u64)).ok()?;
        let chunk = buffer.get_mut(..want)?;
        file.read_exact_at(chunk, offset).ok()?;
        context.update(chunk);
        offset += want as u64;
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    Some(out)
}

/// A file's first `len` bytes as a response body, read chunk by chunk as the client takes them
/// (hyper asks for the next chunk only when its buffer has room).
struct FileBody {
    file: Arc<std::fs::File>,
    offset: u64,
    remaining: u64,
    reading: Option<JoinHandle<io::Result<Vec<u8>>>>,
}

impl FileBody {
    fn new(file: Arc<std::fs::File>, len: u64) -> Self {
        Self { file, offset: 0, remaining: len, reading: None }
    }
}

impl axum::body::HttpBody for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let (file, offset) = (&this.file, this.offset);
        let want = usize::try_from(this.remaining.min(CHUNK as u64)).unwrap_or(CHUNK);
        let reading = this.reading.get_or_insert_with(|| {
            let file = file.clone();
            tokio::task::spawn_blocking(move || {
                let mut chunk = vec![0u8; want];
                loop {
                    match file.read_at(&mut chunk, offset) {
                        Ok(read) => {
                            chunk.truncate(read);
                            return Ok(chunk);
                        }
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                        Err(error) => return Err(error),
                    }
                }
            })
        });
        let result = match Pin::new(reading).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.reading = None;
        Poll::Ready(Some(match result {
            Err(joined) => Err(io::Error::other(joined)),
            Ok(Err(error)) => Err(error),
            // The file shrank while being sent: the response cannot be completed.
            Ok(Ok(chunk)) if chunk.is_empty() => Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
            Ok(Ok(chunk)) => {
                let read = chunk.len() as u64;
                this.offset += read;
                this.remaining = this.remaining.saturating_sub(read);
                Ok(Frame::data(Bytes::from(chunk)))
            }
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

impl StaticFiles {
    pub(crate) fn new(dir: Option<PathBuf>) -> Arc<Self> {
        Arc::new(Self { dir, cache: Mutex::default(), best: Semaphore::new(1) })
    }

    /// Compresses every file of the folder at the best levels, one after the other, in the
    /// background (so the first visitor gets the smallest forms). Outside a Tokio runtime it
    /// does nothing: files are then compressed when first asked for. Links are not walked
    /// (the files they lead to are compressed when first asked for, if they may be served).
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
                    if !kind.is_file() || !compression::compressible(content_type(&name)) {
                        continue;
                    }
                    let (root, relative) = (dir.clone(), name.clone());
                    let Ok(Opened::File(file, identity)) =
                        tokio::task::spawn_blocking(move || open_under(&root, &relative)).await
                    else {
                        continue;
                    };
                    if !(compression::MIN_SIZE as u64..=MAX_COMPRESSED_SIZE).contains(&identity.len) {
                        continue;
                    }
                    let source = Source::File { file: Arc::new(file), identity };
                    if let Some(bytes) = source.contents().await {
                        let digest = sha256(&bytes);
                        files.upgrade(name, Some(identity), digest, bytes).await;
                    }
                }
            }
        });
    }

    /// The response to a GET or HEAD of `path` with the request's headers.
    pub(crate) async fn serve(self: &Arc<Self>, path: &str, request: &HeaderMap) -> Response {
        let Some(found) = self.find(path).await else { return missing() };
        let slot = self.slot(&found);
        let Some(digest) = *slot.digest.get_or_init(|| found.source.digest()).await else { return missing() };
        let tag: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let len = found.source.len();
        let variable = compression::compressible(found.content_type)
            && (compression::MIN_SIZE as u64..=MAX_COMPRESSED_SIZE).contains(&len);
        let accepted = if variable { compression::accepted(request) } else { Vec::new() };
        let coded = match accepted.first() {
            None => None,
            Some(_) => {
                let forms = self.forms(&slot, &found, digest).await;
                accepted.iter().find_map(|&encoding| forms.get(encoding).map(|body| (encoding, body.clone())))
            }
        };
        let encoding = coded.as_ref().map_or(Encoding::Identity, |(encoding, _)| *encoding);
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
            let body = match coded {
                Some((_, bytes)) => Body::from(bytes),
                None => found.source.body(),
            };
            let mut response = Response::new(body);
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
                content_type: content_type("index.html"),
                source: Source::Placeholder,
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
        let open = |name: &str| {
            let (root, name) = (dir.clone(), name.to_owned());
            async move {
                let relative = name.clone();
                let opened = tokio::task::spawn_blocking(move || open_under(&root, &relative)).await;
                (name, opened.unwrap_or(Opened::Missing))
            }
        };
        let found = |name: String, file, identity| Found {
            content_type: content_type(&name),
            name,
            source: Source::File { file: Arc::new(file), identity },
        };
        match open(relative).await {
            (name, Opened::File(file, identity)) => Some(found(name, file, identity)),
            (name, Opened::Outside) => {
                eprintln!("static: {name:?} leads outside the static folder (a symbolic link): refused");
                None
            }
            // Client-side routes (no extension) get the app itself.
            (_, Opened::Missing) if !file_name.contains('.') => match open("index.html").await {
                (name, Opened::File(file, identity)) => Some(found(name, file, identity)),
                _ => None,
            },
            (_, Opened::Missing) => None,
        }
    }

    /// The cache entry of this content, made (empty) if it is new: a changed file replaces its
    /// name's entry.
    fn slot(&self, found: &Found) -> Arc<Slot> {
        let identity = found.source.identity();
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh = || Arc::new(Slot { identity, digest: OnceCell::new(), forms: OnceCell::new() });
        let slot = cache.entry(found.name.clone()).or_insert_with(fresh);
        if slot.identity != identity {
            *slot = fresh();
        }
        slot.clone()
    }

    /// The compressed forms of this content: cached, or made now at the fast levels (and
    /// upgraded to the best levels in the background). Concurrent requests share one making.
    async fn forms(self: &Arc<Self>, slot: &Slot, found: &Found, digest: Digest) -> Arc<Forms> {
        let forms = slot
            .forms
            .get_or_init(|| async {
                // Only bytes whose hash is the tag's are ever compressed under it.
                let Some(bytes) = found.source.contents().await.filter(|bytes| sha256(bytes) == digest) else {
                    return Arc::new(Forms::NONE);
                };
                let input = bytes.clone();
                let forms =
                    tokio::task::spawn_blocking(move || Forms::make(&input, Level::Fast)).await.unwrap_or(Forms::NONE);
                let files = self.clone();
                let (name, identity) = (found.name.clone(), found.source.identity());
                tokio::spawn(async move { files.upgrade(name, identity, digest, bytes).await });
                Arc::new(forms)
            })
            .await;
        forms.clone()
    }

    /// Makes the best forms of a content and keeps them, unless they exist already or the file
    /// changed meanwhile.
    async fn upgrade(&self, name: String, identity: Option<Identity>, digest: Digest, bytes: Bytes) {
        let done = |cache: &HashMap<String, Arc<Slot>>| {
            cache.get(&name).is_some_and(|slot| {
                slot.identity == identity && slot.forms.get().is_some_and(|forms| forms.level == Level::Best)
            })
        };
        let Ok(_turn) = self.best.acquire().await else { return };
        if done(&self.cache.lock().unwrap_or_else(PoisonError::into_inner)) {
            return;
        }
        let Ok(forms) = tokio::task::spawn_blocking(move || Forms::make(&bytes, Level::Best)).await else { return };
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let current = cache.get(&name).map(|slot| slot.identity);
        if current.is_none() || current == Some(identity) {
            let slot = Slot {
                identity,
                digest: OnceCell::new_with(Some(Some(digest))),
                forms: OnceCell::new_with(Some(Arc::new(forms))),
            };
            cache.insert(name, Arc::new(slot));
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
