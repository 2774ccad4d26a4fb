//! The dashboard's built files (or a placeholder page until the dashboard exists). Paths are
//! taken literally: no percent-decoding, no `..`, no backslashes, so nothing outside the folder
//! can be named.

use std::path::Path;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

const PLACEHOLDER: &str = "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>certcheck</title>
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>
<body><main><h1>certcheck-server</h1>
<p>The dashboard has not been built into this server yet. The API is live:
<code>/api/anthropic/…</code> and <code>/api/cloudflare/…</code> take the vendors' documented
certificate endpoints.</p></main></body></html>
";

pub(crate) async fn serve(dir: Option<&Path>, path: &str) -> Response {
    let Some(dir) = dir else {
        return if path == "/" || path == "/index.html" {
            file(PLACEHOLDER.as_bytes().to_vec(), "html")
        } else {
            missing()
        };
    };
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() { "index.html" } else { relative };
    let safe = relative.split('/').all(|segment| {
        !segment.is_empty() && segment != "." && segment != ".." && !segment.contains(['\\', '%', '\0'])
    });
    if !safe {
        return missing();
    }
    let extension = relative.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match tokio::fs::read(dir.join(relative)).await {
        Ok(bytes) => file(bytes, extension),
        // Client-side routes (no extension) get the app itself.
        Err(_) if extension.is_empty() => match tokio::fs::read(dir.join("index.html")).await {
            Ok(bytes) => file(bytes, "html"),
            Err(_) => missing(),
        },
        Err(_) => missing(),
    }
}

fn file(bytes: Vec<u8>, extension: &str) -> Response {
    let content_type = match extension {
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
    };
    let mut response = Response::new(Body::from(bytes));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The app's file names carry no hash: revalidate every time (cheap on loopback, always fresh).
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn missing() -> Response {
    let mut response = Response::new(Body::from("not found"));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}
