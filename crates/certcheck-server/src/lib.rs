#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod config;
mod forward;
mod headers;
mod reply;
mod sandbox;
mod static_files;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use certcheck_api::{Endpoint, Vendor};

pub use config::{Config, USAGE};

use crate::sandbox::Sandbox;

/// What every request handler shares.
struct App {
    config: Config,
    client: reqwest::Client,
    sandbox: Option<Sandbox>,
}

/// Builds the service for a configuration (loading sandbox state if asked).
///
/// # Errors
/// A message when the sandbox state cannot be read or the HTTP client cannot be built.
pub fn app(config: Config) -> Result<Router, String> {
    // reqwest is built without a TLS provider of its own: rustls on ring, once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(config.upstream_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let sandbox = if config.sandbox { Some(Sandbox::open(config.state.clone())?) } else { None };
    let behind_tls = config.behind_tls;
    let state = Arc::new(App { config, client, sandbox });
    Ok(Router::new()
        .fallback(dispatch)
        .with_state(state)
        .layer(axum::middleware::from_fn(move |request, next| headers::secure(request, next, behind_tls))))
}

/// Serves until the process is stopped, printing the URL first.
///
/// # Errors
/// A message when the address cannot be bound or the service fails.
pub async fn serve(config: Config) -> Result<(), String> {
    let listen = config.listen;
    let mode = if config.sandbox { "sandbox" } else { "forwarding to the vendors" };
    let router = app(config)?;
    let listener =
        tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let address = listener.local_addr().map_err(|e| format!("cannot read the bound address: {e}"))?;
    println!("certcheck-server ({mode}) listening on http://{address}/");
    axum::serve(listener, router).await.map_err(|e| format!("server error: {e}"))
}

/// Routes one request: the API paths to the allow-list (then sandbox or upstream), the sandbox's
/// own control paths, everything else to the static files. Logs method, path and status only:
/// never headers, query or bodies (they carry tokens and keys).
async fn dispatch(State(app): State<Arc<App>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = route(&app, request).await;
    println!("{method} {path} {} {:.1}ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1000.0);
    response
}

async fn route(app: &App, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let vendor_path = vendor_path(&path, app.sandbox.is_some());
    if let Some((vendor, rest)) = vendor_path {
        let Some(endpoint) = Endpoint::recognize(vendor, request.method().as_str(), &rest) else {
            return reply::not_routed(vendor, &path);
        };
        let query = request.uri().query().unwrap_or("").to_owned();
        if !query_allowed(&endpoint, &query) {
            return reply::not_routed(vendor, &path);
        }
        let body = match read_body(request, app.config.body_limit).await {
            Ok(body) => body,
            Err(response) => return reply::vendor_error(vendor, response.0, response.1),
        };
        return match &app.sandbox {
            Some(sandbox) => sandbox.handle(&endpoint, &query, &body.headers, &body.bytes).await,
            None => {
                forward::forward(&app.client, &app.config, &endpoint, &rest, &query, &body.headers, body.bytes).await
            }
        };
    }
    if let (Some(sandbox), Some(rest)) = (&app.sandbox, path.strip_prefix("/api/sandbox/")) {
        let method = request.method().clone();
        let rest = rest.to_owned();
        return match read_body(request, app.config.body_limit).await {
            Ok(body) => sandbox.control(&method, &rest, &body.bytes).await,
            Err((status, message)) => reply::plain_json(status, &message),
        };
    }
    if path.starts_with("/api/") || path == "/api" {
        return reply::plain_json(StatusCode::NOT_FOUND, "no such API path");
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return reply::plain_json(StatusCode::METHOD_NOT_ALLOWED, "the site is read-only");
    }
    static_files::serve(app.config.static_dir.as_deref(), &path).await
}

/// The vendor and the path below its base URL for an API path: `/api/anthropic/…`,
/// `/api/cloudflare/…` (with or without Cloudflare's `/client/v4`), and — in sandbox mode only,
/// so that the vendors' curl examples work with just the host swapped — `/v1/…` and
/// `/client/v4/…` at the root.
fn vendor_path(path: &str, sandbox: bool) -> Option<(Vendor, String)> {
    let below = |prefix: &str| path.strip_prefix(prefix).map(|rest| format!("/{rest}"));
    let cloudflare = |rest: String| match rest.strip_prefix("/client/v4/") {
        Some(inner) => format!("/{inner}"),
        None => rest,
    };
    if let Some(rest) = below("/api/anthropic/") {
        return Some((Vendor::Anthropic, rest));
    }
    if let Some(rest) = below("/api/cloudflare/") {
        return Some((Vendor::Cloudflare, cloudflare(rest)));
    }
    if !sandbox {
        return None;
    }
    if path.starts_with("/v1/") {
        return Some((Vendor::Anthropic, path.to_owned()));
    }
    below("/client/v4/").map(|rest| (Vendor::Cloudflare, rest))
}

/// Query parameters an endpoint documents; anything else is refused like an unknown path.
fn query_allowed(endpoint: &Endpoint, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let allowed: &[&str] = match endpoint {
        Endpoint::TunnelCertificateList { .. } => &["include_archived", "limit", "page"],
        Endpoint::TunnelList => &["include_archived", "limit", "page"],
        Endpoint::AccessCertificateList { .. } | Endpoint::GatewayCertificateList { .. } => &["page", "per_page"],
        Endpoint::MtlsCertificateList { .. } => &["page", "per_page", "type"],
        _ => &[],
    };
    query.split('&').all(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        allowed.contains(&key)
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'%' | b','))
    })
}

/// A request's forwardable headers and its body, read within the limit.
struct Incoming {
    headers: Vec<(String, String)>,
    bytes: Vec<u8>,
}

async fn read_body(request: Request, limit: usize) -> Result<Incoming, (StatusCode, String)> {
    let too_large = || (StatusCode::PAYLOAD_TOO_LARGE, format!("request body over {limit} bytes"));
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let headers = forward::passed_headers(request.headers());
    let bytes: Body = request.into_body();
    let bytes = axum::body::to_bytes(bytes, limit).await.map_err(|_| too_large())?;
    Ok(Incoming { headers, bytes: bytes.to_vec() })
}
