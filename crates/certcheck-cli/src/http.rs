//! Sending certcheck-api's [`Request`]s with ureq, a blocking client on rustls: the request is
//! exactly what `certcheck_api::build` made (the dashboard and the server send the same), and a
//! failure says whether anything can have reached the vendor. Reads share pooled connections;
//! each write (create, archive, delete) goes out on a fresh one, so a request that fails without
//! an answer is that request's own failure, never a stale pooled connection's.

use std::time::Duration;

use certcheck_api::{ApiError, Request};
use ureq::http;

use crate::client_headers::{ACCEPT, user_agent};
use crate::output::Refusal;
use crate::progress::Progress;

/// Largest answer read (a page of 50 certificates with their PEMs is far smaller).
const ANSWER_LIMIT: u64 = 16 * 1024 * 1024;

/// A complete answer (any status).
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// Anthropic's `request-id` header.
    pub(crate) request_id: Option<String>,
    /// Cloudflare's `cf-ray` header.
    pub(crate) ray_id: Option<String>,
}

impl Answer {
    /// A 2xx that is not Cloudflare's `"success": false` envelope.
    pub(crate) fn success(&self) -> bool {
        (200..300).contains(&self.status)
            && serde_json::from_slice::<serde_json::Value>(&self.body)
                .map_or(true, |v| v.get("success") != Some(&serde_json::Value::Bool(false)))
    }

    /// Whether the vendor may have acted although it answered with an error (the answer came
    /// from a gateway that lost the upstream, or the vendor failed midway).
    pub(crate) fn outcome_unknown(&self) -> bool {
        matches!(self.status, 500 | 502 | 504)
    }

    /// The vendor's error, with the request id from the header when the body has none.
    pub(crate) fn refusal(&self, request: &Request, base_url: &str) -> Refusal {
        let mut error = ApiError::parse(request.vendor, Some(self.status), &self.body);
        if error.request_id.is_none() {
            error.request_id.clone_from(&self.request_id);
        }
        let not_an_envelope = error.errors.iter().all(|e| e.code.is_none() && e.kind.is_none());
        let hint = (request.vendor == certcheck_api::Vendor::Cloudflare
            && self.status == 404
            && not_an_envelope
            && !base_url.ends_with("/client/v4"))
        .then(|| {
            format!(
                "Cloudflare's API lives under /client/v4: is the base URL {base_url} missing it ({base_url}/client/v4)?"
            )
        });
        Refusal { error, ray_id: self.ray_id.clone(), hint }
    }
}

/// A request that got no complete answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No connection was made: nothing reached the vendor.
    NotSent(String),
    /// The request may have reached the vendor, but no complete answer came back (reset,
    /// closed, timed out).
    NoAnswer(String),
}

impl Failure {
    pub(crate) fn reason(&self) -> &str {
        match self {
            Self::NotSent(reason) | Self::NoAnswer(reason) => reason,
        }
    }
}

/// The client for one vendor's base URL.
#[derive(Debug)]
pub(crate) struct Http {
    reads: ureq::Agent,
    writes: ureq::Agent,
    base_url: String,
    progress: Progress,
}

/// Whether `base_url`'s host is this machine: such requests never go through a proxy (as Go's
/// HTTP client treats localhost, whatever `HTTPS_PROXY` says).
pub(crate) fn is_loopback(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Http {
    /// A client for `base_url` (scheme, host, optional port and path prefix; no trailing `/`).
    pub(crate) fn new(base_url: &str, timeout: Duration) -> Self {
        let agent = |pooled: bool| {
            let mut config = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(timeout))
                .user_agent(user_agent())
                .accept(ACCEPT);
            if !pooled {
                config = config.max_idle_connections(0).max_idle_connections_per_host(0);
            }
            if is_loopback(base_url) {
                config = config.proxy(None);
            }
            ureq::Agent::new_with_config(config.build())
        };
        Self { reads: agent(true), writes: agent(false), base_url: base_url.to_owned(), progress: Progress::new() }
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends a request; `doing` is what the progress line says meanwhile.
    pub(crate) fn send(&self, request: &Request, doing: &str) -> Result<Answer, Failure> {
        self.progress.show(doing);
        let result = self.exchange(request);
        self.progress.clear();
        result
    }

    fn exchange(&self, request: &Request) -> Result<Answer, Failure> {
        let url = format!("{}{}", self.base_url, request.path_and_query);
        let mut builder = http::Request::builder().method(request.method.as_str()).uri(url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        let agent = if request.method == certcheck_api::Method::Get { &self.reads } else { &self.writes };
        let bad = |e: http::Error| Failure::NotSent(format!("the request cannot be made: {e}"));
        let response = match (&request.body, request.method) {
            (Some(body), _) => agent.run(builder.body(body.clone()).map_err(bad)?),
            // A POST without a body (archive, Gateway's default create) goes out with
            // `content-length: 0`, as curl sends it, not as an empty chunked body.
            (None, certcheck_api::Method::Post | certcheck_api::Method::Put) => {
                agent.run(builder.body(Vec::<u8>::new()).map_err(bad)?)
            }
            (None, _) => agent.run(builder.body(()).map_err(bad)?),
        };
        let mut response = response.map_err(classify)?;
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned).filter(|v| !v.is_empty())
        };
        let request_id = header("request-id");
        let ray_id = header("cf-ray");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_vec()
            .map_err(|e| Failure::NoAnswer(format!("the answer broke off: {e}")))?;
        Ok(Answer { status, body, request_id, ray_id })
    }
}

/// Whether a ureq error happened before anything was sent.
fn classify(error: ureq::Error) -> Failure {
    use ureq::Error as E;
    let reason = error.to_string();
    match &error {
        E::HostNotFound
        | E::ConnectionFailed
        | E::BadUri(_)
        | E::Http(_)
        | E::InvalidProxyUrl
        | E::Tls(_)
        | E::Rustls(_)
        | E::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => Failure::NotSent(reason),
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => Failure::NotSent(reason),
        _ => Failure::NoAnswer(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognized() {
        for (url, loopback) in [
            ("http://127.0.0.1:8080", true),
            ("http://localhost:1/client/v4", true),
            ("http://[::1]:99", true),
            ("https://api.cloudflare.com/client/v4", false),
            ("http://10.0.0.1", false),
        ] {
            assert_eq!(is_loopback(url), loopback, "{url}");
        }
    }
}
