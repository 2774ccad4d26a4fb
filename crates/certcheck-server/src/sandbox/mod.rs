//! `--sandbox`: the four endpoint families emulated in-process, following the documented
//! contracts (docs/vendors/). Uploads are judged by certcheck's own rules for that destination
//! and refused in the vendor's error envelope. One lock guards the store, so concurrent requests
//! never lose or duplicate a certificate; a mutation is on disk before it is answered (group
//! commit: one atomic write of the whole state serves every request that changed it meanwhile),
//! so an answered upload survives a restart.

mod access;
mod anthropic;
mod gateway;
pub(crate) mod ids;
mod mtls;
mod store;

use crate::error::{ServerError, StateProblem};
use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use certcheck::{Destination, Options, Report, Severity, UnixTime};
use certcheck_api::{Endpoint, Vendor};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::reply;
use store::Store;

/// The emulator and its state.
pub(crate) struct Sandbox {
    store: tokio::sync::Mutex<Store>,
    path: Option<PathBuf>,
    /// Held while writing the state file; holds the last version known to be on disk.
    durable: tokio::sync::Mutex<u64>,
    /// `--sandbox-clock`: the time every request is stamped with, and how many requests have
    /// been (each stamp is one microsecond after the one before, so stamps stay distinct and
    /// ordered, and the same requests get the same stamps on any day); `None`: the computer's clock.
    clock: Option<(UnixTime, std::sync::atomic::AtomicU64)>,
}

/// A handler's answer, and whether it changed the store.
pub(crate) struct Outcome {
    response: Response,
    changed: bool,
}

impl Outcome {
    fn read(response: Response) -> Self {
        Self { response, changed: false }
    }

    fn wrote(response: Response) -> Self {
        Self { response, changed: true }
    }
}

/// The time of a request, as the core's time and as the vendors print it.
pub(crate) struct Now {
    pub(crate) time: UnixTime,
    pub(crate) stamp: String,
}

impl Sandbox {
    /// Opens the sandbox, loading `path` when it exists. A symbolic link at `path` is refused
    /// unless `follow_link`; then the state lives where it points. Its clock stands at `clock` when
    /// given (a microsecond further for each request), else it is the computer's.
    pub(crate) fn open(path: Option<PathBuf>, follow_link: bool, clock: Option<UnixTime>) -> Result<Self, ServerError> {
        let path = match path {
            Some(path) => Some(store::resolve(&path, follow_link)?),
            None => None,
        };
        let store = match &path {
            Some(path) => {
                store::remove_leftovers(path);
                Store::load(path)?
            }
            None => Store::default(),
        };
        let durable = tokio::sync::Mutex::new(store.version);
        let clock = clock.map(|start| (start, std::sync::atomic::AtomicU64::new(0)));
        Ok(Self { store: tokio::sync::Mutex::new(store), path, durable, clock })
    }

    /// The sandbox's time now.
    fn now(&self) -> (UnixTime, String) {
        match &self.clock {
            Some((start, requests)) => {
                let since_epoch = u64::try_from(start.0).unwrap_or_default();
                let tick = requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                ids::stamp(
                    std::time::Duration::from_secs(since_epoch).saturating_add(std::time::Duration::from_micros(tick)),
                )
            }
            None => ids::now(),
        }
    }

    /// Answers one allow-listed request.
    pub(crate) async fn handle(
        &self,
        endpoint: &Endpoint,
        query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Response {
        let vendor = endpoint.vendor();
        let credentials = headers.iter().any(|(name, value)| {
            (name == "authorization" && value.len() > "Bearer ".len() && value.starts_with("Bearer "))
                || name == "x-auth-key"
        });
        if !credentials {
            let message = match vendor {
                Vendor::Anthropic => "missing or malformed Authorization header: send `Authorization: Bearer <token>`",
                Vendor::Cloudflare => "Authentication error",
            };
            return reply::vendor_error(vendor, StatusCode::UNAUTHORIZED, message);
        }
        if let Some(generation) = endpoint.generation() {
            // "Required for all Tunnel endpoints" (the reference's header parameters); a list of
            // betas separated by commas may carry it.
            let mut betas = headers
                .iter()
                .filter(|(name, _)| name == "anthropic-beta")
                .flat_map(|(_, value)| value.split(','))
                .map(str::trim);
            if !betas.any(|beta| beta == generation.beta()) {
                let message = format!(
                    "anthropic-beta: this endpoint requires the header `anthropic-beta: {}`",
                    generation.beta()
                );
                return reply::vendor_error(vendor, StatusCode::BAD_REQUEST, message);
            }
        }
        let (time, stamp) = self.now();
        let now = Now { time, stamp };
        let mut store = self.store.lock().await;
        let outcome = match vendor {
            Vendor::Anthropic => anthropic::handle(&mut store, endpoint, query, body, &now),
            Vendor::Cloudflare => match endpoint {
                Endpoint::AccessCertificateList { .. }
                | Endpoint::AccessCertificateCreate { .. }
                | Endpoint::AccessCertificateGet { .. }
                | Endpoint::AccessCertificateUpdate { .. }
                | Endpoint::AccessCertificateDelete { .. }
                | Endpoint::AccessSettingsGet { .. }
                | Endpoint::AccessSettingsUpdate { .. } => access::handle(&mut store, endpoint, query, body, &now),
                Endpoint::GatewayCertificateCreate { .. }
                | Endpoint::GatewayCertificateList { .. }
                | Endpoint::GatewayCertificateGet { .. }
                | Endpoint::GatewayCertificateDelete { .. }
                | Endpoint::GatewayCertificateActivate { .. }
                | Endpoint::GatewayCertificateDeactivate { .. } => {
                    gateway::handle(&mut store, endpoint, query, body, &now)
                }
                _ => mtls::handle(&mut store, endpoint, query, body, &now),
            },
        };
        if !outcome.changed {
            return outcome.response;
        }
        store.version += 1;
        let version = store.version;
        drop(store);
        if let Err(problem) = self.persist(version).await {
            eprintln!("sandbox: {problem}");
            return reply::vendor_error(
                vendor,
                StatusCode::INTERNAL_SERVER_ERROR,
                "the sandbox could not save its state",
            );
        }
        outcome.response
    }

    /// The sandbox's own control paths (not vendor endpoints): `GET /api/sandbox/status` (how
    /// the dashboard learns it talks to the sandbox: live servers answer 404), and `POST|DELETE
    /// /api/sandbox/mtls_certificates/{id}/associations` to attach or clear a service, so that a
    /// delete refused while in use can be shown.
    pub(crate) async fn control(&self, method: &Method, rest: &str, body: &[u8]) -> Response {
        if rest == "status" {
            return if *method == Method::GET {
                reply::json(StatusCode::OK, &json!({ "sandbox": true }))
            } else {
                reply::plain_json(StatusCode::METHOD_NOT_ALLOWED, "GET")
            };
        }
        let segments: Vec<&str> = rest.split('/').collect();
        let ["mtls_certificates", id, "associations"] = segments.as_slice() else {
            return reply::plain_json(StatusCode::NOT_FOUND, "no such sandbox path");
        };
        let mut store = self.store.lock().await;
        let Some(record) = store.mtls_certificates.iter_mut().find(|r| r.certificate.id.as_deref() == Some(*id)) else {
            return reply::plain_json(StatusCode::NOT_FOUND, "no such mTLS certificate");
        };
        if *method == Method::POST {
            let Ok(association) = serde_json::from_slice::<certcheck_api::model::MtlsAssociation>(body) else {
                return reply::plain_json(StatusCode::BAD_REQUEST, "expected { \"service\": …, \"status\": … }");
            };
            record.associations.push(association);
        } else if *method == Method::DELETE {
            record.associations.clear();
        } else {
            return reply::plain_json(StatusCode::METHOD_NOT_ALLOWED, "POST or DELETE");
        }
        let associations = json!(record.associations);
        store.version += 1;
        let version = store.version;
        drop(store);
        if let Err(problem) = self.persist(version).await {
            // The file's path and the system's reason go to the log, never to the client.
            eprintln!("sandbox: {problem}");
            return reply::plain_json(StatusCode::INTERNAL_SERVER_ERROR, "the sandbox could not save its state");
        }
        reply::json(StatusCode::OK, &json!({ "associations": associations }))
    }
}

/// The refusal of a request to a sandbox control path (`/api/sandbox/…`) that a page of another
/// origin could have sent, if it is one: 403 when `Origin` names another origin than the one the
/// request was sent to (or is `null`), or `Sec-Fetch-Site` says `cross-site`/`same-site`; 415
/// when the request is not JSON (`Content-Type` other than `application/json` or `…+json`, or
/// none on a POST, PUT, PATCH or any request with a body). A cross-origin form post
/// (`text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`) is thus refused
/// twice over, and a JSON one cannot be sent cross-origin without a CORS preflight, which this
/// server never grants.
pub(crate) fn control_refusal(request: &Request) -> Option<Response> {
    let headers = request.headers();
    let own = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|authority| authority.as_str().to_owned()));
    let foreign = headers.get_all(header::ORIGIN).iter().any(|origin| !same_origin(origin.as_bytes(), own.as_deref()))
        || headers.get_all("sec-fetch-site").iter().any(|site| !matches!(site.as_bytes(), b"same-origin" | b"none"));
    if foreign {
        return Some(reply::plain_json(
            StatusCode::FORBIDDEN,
            "the sandbox's control paths answer pages of this server's own origin only",
        ));
    }
    let method = request.method();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers.get(header::CONTENT_LENGTH).is_some_and(|length| length.as_bytes() != b"0");
    let needs_type = has_body || *method == Method::POST || *method == Method::PUT || *method == Method::PATCH;
    let types: Vec<_> = headers.get_all(header::CONTENT_TYPE).iter().collect();
    let json = types.iter().all(|value| is_json(value.as_bytes()));
    if !json || (needs_type && types.is_empty()) {
        return Some(reply::plain_json(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the sandbox's control paths take JSON only: send Content-Type: application/json",
        ));
    }
    None
}

/// Whether a Content-Type is JSON: `application/json` or `application/…+json`, any parameters.
fn is_json(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else { return false };
    let essence = text.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Whether an `Origin` value names the origin the request was sent to (`own`, the Host): the
/// same host and port, the scheme's default port written or not. `null` and anything unreadable
/// are foreign.
fn same_origin(origin: &[u8], own: Option<&str>) -> bool {
    let (Ok(origin), Some(own)) = (std::str::from_utf8(origin), own) else { return false };
    let origin = origin.trim().to_ascii_lowercase();
    let own = own.trim().to_ascii_lowercase();
    let (authority, default) = if let Some(rest) = origin.strip_prefix("http://") {
        (rest, ":80")
    } else if let Some(rest) = origin.strip_prefix("https://") {
        (rest, ":443")
    } else {
        return false;
    };
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) {
        return false;
    }
    let bare = |name: &str| name.strip_suffix(default).unwrap_or(name).to_owned();
    bare(authority) == bare(&own)
}

impl Sandbox {
    /// Returns once state `version` (or a later one) is on disk. Whoever takes the writer lock
    /// first writes the newest state, covering every change made before it; the others find
    /// their version already durable. A failed write is reported to its waiters and retried by
    /// the next change (the change stays in memory).
    async fn persist(&self, version: u64) -> Result<(), ServerError> {
        let Some(path) = &self.path else { return Ok(()) };
        let mut durable = self.durable.lock().await;
        if *durable >= version {
            return Ok(());
        }
        let (bytes, newest) = {
            let store = self.store.lock().await;
            let encoded = serde_json::to_vec(&*store)
                .map_err(|e| ServerError::State { path: path.clone(), problem: StateProblem::Encode(e) })?;
            (encoded, store.version)
        };
        let path = path.clone();
        let writer = path.clone();
        tokio::task::spawn_blocking(move || store::write_atomically(&writer, &bytes)).await.map_err(|e| {
            let problem = StateProblem::Io(std::io::Error::other(format!("the state writer failed: {e}")));
            ServerError::State { path, problem }
        })??;
        *durable = newest;
        Ok(())
    }
}

/// Reads a JSON body into a request type, or a message saying what is wrong.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("the request body is empty: send the JSON object the endpoint documents".to_owned());
    }
    serde_json::from_slice(body).map_err(|e| format!("the request body is not the documented JSON object: {e}"))
}

/// certcheck's verdict on an upload for a destination; `Err` carries the first error's code and
/// message, which is what the vendor's refusal says in the sandbox.
fn judge(input: &[u8], destination: Destination, now: &Now) -> Result<Report, String> {
    let options = Options::new(Some(destination), now.time);
    let report = certcheck::check(input, &options);
    match report.diagnostics.iter().find(|d| d.severity == Severity::Error) {
        Some(error) => Err(format!("{} ({})", error.message, error.finding.code())),
        None => Ok(report),
    }
}

/// `page`/`per_page` of a Cloudflare list (defaults 1 and 25, at most 50 per page).
fn cloudflare_page(query: &str) -> Result<(usize, usize), String> {
    let mut page = 1;
    let mut per_page = 25;
    for (key, value) in query.split('&').filter(|p| !p.is_empty()).filter_map(|p| p.split_once('=')) {
        let number = || value.parse::<usize>().ok().filter(|n| *n >= 1);
        match key {
            "page" => page = number().ok_or("page must be a positive integer")?,
            "per_page" => per_page = number().filter(|n| *n <= 50).ok_or("per_page must be an integer from 1 to 50")?,
            _ => {}
        }
    }
    Ok((page, per_page))
}

/// One page of a Cloudflare list, with its `result_info`.
fn cloudflare_list(items: Vec<serde_json::Value>, query: &str) -> Response {
    let (page, per_page) = match cloudflare_page(query) {
        Ok(paging) => paging,
        Err(message) => return reply::vendor_error(Vendor::Cloudflare, StatusCode::BAD_REQUEST, message),
    };
    let total = items.len();
    let shown: Vec<serde_json::Value> =
        items.into_iter().skip((page - 1).saturating_mul(per_page)).take(per_page).collect();
    let info = json!({
        "page": page,
        "per_page": per_page,
        "count": shown.len(),
        "total_count": total,
        "total_pages": total.div_ceil(per_page),
    });
    reply::cloudflare_ok(StatusCode::OK, json!(shown), Some(info))
}

#[cfg(test)]
mod control_tests {
    use super::*;

    fn refusal(method: &str, headers: &[(&str, &str)]) -> u16 {
        let mut builder = axum::http::Request::builder().method(method).uri("/api/sandbox/status");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(axum::body::Body::empty()).unwrap_or_default();
        control_refusal(&request).map_or(200, |r| r.status().as_u16())
    }

    #[test]
    fn foreign_origins_and_non_json_bodies_are_refused() {
        let json = ("content-type", "application/json");
        let host = ("host", "127.0.0.1:8080");
        assert_eq!(refusal("GET", &[host]), 200);
        assert_eq!(refusal("DELETE", &[host]), 200);
        assert_eq!(refusal("POST", &[host, json]), 200);
        assert_eq!(refusal("POST", &[host, ("content-type", "Application/JSON; charset=utf-8")]), 200);
        assert_eq!(refusal("POST", &[host, json, ("origin", "http://127.0.0.1:8080")]), 200);
        assert_eq!(refusal("POST", &[("host", "localhost"), json, ("origin", "http://localhost:80")]), 200);
        assert_eq!(refusal("POST", &[host, json, ("sec-fetch-site", "same-origin")]), 200);
        for foreign in ["http://evil.example", "null", "http://127.0.0.1:8081", "file://", "http://127.0.0.1:8080/x"] {
            assert_eq!(refusal("POST", &[host, json, ("origin", foreign)]), 403, "{foreign}");
        }
        assert_eq!(refusal("POST", &[host, json, ("sec-fetch-site", "cross-site")]), 403);
        assert_eq!(refusal("POST", &[host, ("origin", "http://evil.example"), ("content-type", "text/plain")]), 403);
        for kind in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""] {
            assert_eq!(refusal("POST", &[host, ("content-type", kind)]), 415, "{kind}");
        }
        assert_eq!(refusal("POST", &[host]), 415);
        assert_eq!(refusal("DELETE", &[host, ("content-length", "2")]), 415);
        assert_eq!(refusal("GET", &[host, ("content-type", "text/plain")]), 415);
    }
}
