//! The typed client: sends a `certcheck_api::Request` to certcheck-server's forwarding paths
//! (`/api/anthropic/…`, `/api/cloudflare/…`: the live vendor, or the sandbox) with gloo-net,
//! with a timeout, and returns the answer or a failure as data. Never retries on its own.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use certcheck_api::{ApiError, ListError, Listing, Request, Stored};
use gloo_net::http::{Method as HttpMethod, RequestBuilder};

/// How long a request may take before the app stops waiting (the server's own upstream timeout
/// is 30 s; this is a little longer so the server's 504 arrives first when it can).
pub const TIMEOUT: Duration = Duration::from_secs(35);

/// A vendor's answer that arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body as sent.
    pub body: Vec<u8>,
}

/// Why there is no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The request did not complete (connection lost, blocked, aborted): whether the vendor
    /// acted on it is unknown.
    Network(String),
    /// No answer within [`TIMEOUT`]: whether the vendor acted on it is unknown.
    Timeout,
    /// The vendor (or the server on its behalf) refused it.
    Vendor(ApiError),
    /// The answer arrived but is not the documented shape.
    Shape {
        /// What is wrong with it.
        reason: String,
    },
    /// A list kept announcing another page (or repeated one).
    Endless,
}

impl Failure {
    /// Whether the vendor may have stored something despite the failure.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Network(_) | Self::Timeout => true,
            // 502/504 from the server: the upstream may have acted before the connection broke.
            Self::Vendor(error) => matches!(error.status, Some(502 | 504)),
            Self::Shape { .. } | Self::Endless => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(reason) => write!(f, "The request did not complete ({reason})."),
            Self::Timeout => write!(f, "No answer within {} seconds.", TIMEOUT.as_secs()),
            Self::Vendor(error) => write!(f, "{error}"),
            Self::Shape { reason } => write!(f, "The answer is not the documented shape: {reason}."),
            Self::Endless => f.write_str("The list did not end (the vendor kept announcing another page)."),
        }
    }
}

/// The server path a request goes to.
pub fn url(request: &Request) -> String {
    format!("{}{}", certcheck_api::proxy_prefix(request.vendor), request.path_and_query)
}

/// Sends `request`; a non-2xx answer becomes [`Failure::Vendor`].
pub async fn send(request: &Request) -> Result<Answer, Failure> {
    let answer = exchange(request).await?;
    if (200..300).contains(&answer.status) {
        Ok(answer)
    } else {
        Err(Failure::Vendor(ApiError::parse(request.vendor, Some(answer.status), &answer.body)))
    }
}

/// Sends `request` and returns the answer whatever its status, or why none arrived
/// ([`Failure::Network`] or [`Failure::Timeout`]: the browser cannot tell a request that never
/// left from one whose answer was lost, so both count as lost).
pub async fn exchange(request: &Request) -> Result<Answer, Failure> {
    let method = match request.method.as_str() {
        "POST" => HttpMethod::POST,
        "PUT" => HttpMethod::PUT,
        "DELETE" => HttpMethod::DELETE,
        "PATCH" => HttpMethod::PATCH,
        _ => HttpMethod::GET,
    };
    let controller = web_sys::AbortController::new().map_err(|_| Failure::Network("no AbortController".into()))?;
    let mut builder = RequestBuilder::new(&url(request)).method(method).abort_signal(Some(&controller.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| Failure::Network(e.to_string()))?;
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let timed_out = Rc::clone(&timed_out);
        leptos::prelude::set_timeout_with_handle(
            move || {
                timed_out.set(true);
                controller.abort();
            },
            TIMEOUT,
        )
        .ok()
    };
    let result = built.send().await;
    if let Some(timer) = timer {
        timer.clear();
    }
    let response = match result {
        Ok(response) => response,
        Err(_) if timed_out.get() => return Err(Failure::Timeout),
        Err(error) => return Err(Failure::Network(error.to_string())),
    };
    let status = response.status();
    let body = response.binary().await.map_err(|e| Failure::Network(e.to_string()))?;
    Ok(Answer { status, body })
}

/// Reads every page of a vendor's list (certcheck-api's [`Listing`] decides what to ask next
/// and when it is complete).
pub async fn list_all(mut listing: Listing) -> Result<Vec<Stored>, Failure> {
    while let Some(request) = listing.next_request() {
        let answer = send(&request).await?;
        listing.accept(answer.status, &answer.body).map_err(|error| match error {
            ListError::Vendor(error) => Failure::Vendor(error),
            ListError::Endless => Failure::Endless,
            ListError::Shape { reason } => Failure::Shape { reason },
            other => Failure::Shape { reason: other.to_string() },
        })?;
    }
    Ok(listing.into_items())
}

/// Sends `request` and reads the answer's body as `T`.
pub async fn send_json<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, Failure> {
    let answer = send(request).await?;
    serde_json::from_slice(&answer.body).map_err(|e| Failure::Shape { reason: e.to_string() })
}

/// Whether the server is a sandbox (`GET /api/sandbox/status` answers 200 only there).
pub async fn sandbox_status() -> bool {
    match gloo_net::http::Request::get("/api/sandbox/status").send().await {
        Ok(response) => response.status() == 200,
        Err(_) => false,
    }
}
