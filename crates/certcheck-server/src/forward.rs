//! Forwarding an allow-listed request to the vendor: the path is rebuilt from the recognized
//! endpoint (never copied from the caller), only the caller's credentials, `anthropic-*` and
//! Cloudflare's `api-version` headers pass, the upstream is the configured base URL whatever the Host or absolute-form
//! URL said, redirects are not followed, and a slow upstream answers 504.
//!
//! Proxies: a request to an `https://` upstream goes through the proxy given with `--proxy URL`,
//! else the one in `HTTPS_PROXY` / `https_proxy` (minus the hosts `NO_PROXY` / `no_proxy` list),
//! else direct; `--no-proxy` ignores the variables. Such a request is a CONNECT tunnel: the proxy
//! sees the vendor's host name and port, never a header or the body (TLS runs end to end through
//! it). A request to an `http://` upstream (a local test double) always goes direct:
//! `HTTP_PROXY` and `ALL_PROXY` are never read, so a token is never handed to a proxy in clear.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use certcheck_api::{Endpoint, Vendor};

use crate::config::{Config, Proxy};
use crate::error::ServerError;
use crate::reply;

/// Request headers passed to the vendor (lowercase). Everything else is dropped: Host, cookies,
/// X-Forwarded-*, Origin, …
const PASSED: [&str; 10] = [
    "authorization",
    "x-auth-email",
    "x-auth-key",
    // What the vendors' official SDKs send besides credentials: Cloudflare's the API version,
    // Anthropic's the `anthropic-*` headers.
    "api-version",
    "anthropic-version",
    "anthropic-beta",
    "anthropic-workspace-id",
    "anthropic-dangerous-direct-browser-access",
    "content-type",
    "accept",
];

/// Response headers passed back to the caller.
const RETURNED: [&str; 4] = ["content-type", "request-id", "retry-after", "cf-ray"];

/// Largest upstream answer relayed.
const RESPONSE_LIMIT: usize = 8 * 1024 * 1024;

/// The upstream client: no redirects, the upstream timeout, and the proxy (module docs).
///
/// # Errors
/// [`ServerError::Client`] when the client cannot be built, [`ServerError::Argument`] when the
/// proxy URL is not one.
pub(crate) fn client(config: &Config) -> Result<reqwest::Client, ServerError> {
    // No proxy but the one chosen here: reqwest would otherwise read HTTP_PROXY and ALL_PROXY too.
    let mut builder = reqwest::Client::builder()
        .timeout(config.upstream_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    let chosen = match &config.proxy {
        Proxy::Direct => None,
        Proxy::Url(url) => Some((url.clone(), "--proxy")),
        Proxy::Environment => ["https_proxy", "HTTPS_PROXY"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()).map(|v| (v, *name)))
            // `proxy.corp:3128`, as curl takes it, is an http:// proxy.
            .map(
                |(url, name)| if url.contains("://") { (url, name) } else { (format!("http://{}", url.trim()), name) },
            ),
    };
    if let Some((url, source)) = chosen {
        let proxy = reqwest::Proxy::https(url.as_str())
            .map_err(|_| {
                ServerError::argument(source, format!("{:?} is not a proxy URL", crate::config::redact(&url)))
            })?
            .no_proxy(reqwest::NoProxy::from_env());
        builder = builder.proxy(proxy);
        eprintln!(
            "certcheck-server: requests to https:// upstreams go through the proxy {} (from {source}); \
             http:// upstreams are reached directly",
            crate::config::redact(&url)
        );
    }
    builder.build().map_err(|e| ServerError::Client(e.to_string()))
}

pub(crate) fn passed_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    PASSED
        .iter()
        .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(|v| ((*name).to_owned(), v.to_owned())))
        .collect()
}

pub(crate) async fn forward(
    client: &reqwest::Client,
    config: &Config,
    endpoint: &Endpoint,
    query: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Response {
    let vendor = endpoint.vendor();
    let base = match vendor {
        Vendor::Anthropic => &config.anthropic_upstream,
        Vendor::Cloudflare => &config.cloudflare_upstream,
    };
    // The path is the recognized endpoint's own, rebuilt from its parts: nothing the caller
    // wrote reaches the URL unchecked.
    let path = endpoint.path();
    let url = if query.is_empty() { format!("{base}{path}") } else { format!("{base}{path}?{query}") };
    let method = match reqwest::Method::from_bytes(endpoint.method().as_str().as_bytes()) {
        Ok(method) => method,
        Err(_) => return reply::vendor_error(vendor, StatusCode::INTERNAL_SERVER_ERROR, "bad method"),
    };
    let mut request = client.request(method, &url);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if endpoint.has_body() || !body.is_empty() {
        request = request.body(body);
    }
    let upstream = match request.send().await {
        Ok(upstream) => upstream,
        Err(error) if error.is_timeout() => {
            return reply::vendor_error(
                vendor,
                StatusCode::GATEWAY_TIMEOUT,
                format!("the vendor did not answer within {:.1} s", config.upstream_timeout.as_secs_f64()),
            );
        }
        Err(_) => return reply::vendor_error(vendor, StatusCode::BAD_GATEWAY, "the vendor could not be reached"),
    };
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut returned = HeaderMap::new();
    for name in RETURNED {
        if let Some(value) = upstream.headers().get(name).and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok()) {
            returned.insert(name, value);
        }
    }
    let bytes = match read_limited(upstream).await {
        Ok(bytes) => bytes,
        Err(timeout) if timeout => {
            return reply::vendor_error(
                vendor,
                StatusCode::GATEWAY_TIMEOUT,
                "the vendor's answer did not complete in time",
            );
        }
        Err(_) => {
            return reply::vendor_error(
                vendor,
                StatusCode::BAD_GATEWAY,
                "the vendor's answer was cut off or too large",
            );
        }
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = returned;
    if !response.headers().contains_key(header::CONTENT_TYPE) {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// The upstream body up to the limit; `Err(true)` on a timeout, `Err(false)` otherwise.
async fn read_limited(mut upstream: reqwest::Response) -> Result<Vec<u8>, bool> {
    let mut bytes = Vec::new();
    loop {
        match upstream.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > RESPONSE_LIMIT {
                    return Err(false);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(error) => return Err(error.is_timeout()),
        }
    }
}
