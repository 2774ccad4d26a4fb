#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod compression;
mod config;
mod conn;
mod error;
mod forward;
mod framing;
mod headers;
mod hosts;
mod reply;
mod sandbox;
mod static_files;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use certcheck_api::{ProxyTarget, proxy_target};

pub use config::{Config, Proxy, USAGE};
pub use error::{ServerError, StateProblem};

use crate::hosts::AllowedHosts;
use crate::sandbox::Sandbox;
use crate::static_files::StaticFiles;

/// What every request handler shares.
struct App {
    config: Config,
    client: reqwest::Client,
    sandbox: Option<Sandbox>,
    hosts: AllowedHosts,
    files: Arc<StaticFiles>,
}

/// Builds the service for a configuration (loading sandbox state if asked). Called within a
/// Tokio runtime: the static files' compressed forms are made in the background.
///
/// # Errors
/// [`ServerError::State`] when the sandbox state cannot be read, [`ServerError::Argument`] when an
/// allowed host is not a host name, [`ServerError::Client`] when the HTTP client cannot be built.
pub fn app(config: Config) -> Result<Router, ServerError> {
    // reqwest is built without a TLS provider of its own: rustls on ring, once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = forward::client(&config)?;
    let sandbox = if config.sandbox {
        Some(Sandbox::open(config.state.clone(), config.follow_state_symlink, config.sandbox_clock)?)
    } else {
        None
    };
    let behind_tls = config.behind_tls;
    let hosts =
        AllowedHosts::new(&config.allowed_hosts).map_err(|problem| ServerError::argument("--allowed-host", problem))?;
    let files = StaticFiles::new(config.static_dir.clone());
    files.warm();
    let state = Arc::new(App { config, client, sandbox, hosts, files });
    Ok(Router::new()
        .fallback(dispatch)
        .with_state(state)
        .layer(axum::middleware::from_fn(move |request, next| headers::secure(request, next, behind_tls))))
}

/// Serves until the process is stopped, printing the URL first. Each connection gets
/// `client_timeout` to send its request headers (hyper's header read timeout, which also runs
/// while a keep-alive connection waits for its next request; axum's own `serve` has no timer, so
/// a client trickling headers would hold its connection forever), `write_timeout` for each stall
/// of a response it does not read (`conn`), and at most `max_connections` are served at once.
/// hyper's buffer is held to 64 KiB per connection, so a stalled reader holds at most that and
/// one chunk of a file. Every request is first matched with what the framing scanner saw of its
/// head (`framing`).
///
/// # Errors
/// [`ServerError::Listen`] when the address cannot be bound, or what [`app`] refuses.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let listen = config.listen;
    let mode = if config.sandbox { "sandbox" } else { "forwarding to the vendors" };
    let (client_timeout, write_timeout, max_connections) =
        (config.client_timeout, config.write_timeout, config.max_connections);
    let allowed_hosts = config.allowed_hosts.clone();
    let router = app(config)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| ServerError::Listen { address: listen, source })?;
    let address = listener.local_addr().map_err(|source| ServerError::Listen { address: listen, source })?;
    println!("certcheck-server ({mode}) listening on http://{address}/");
    if !address.ip().is_loopback() && allowed_hosts.is_empty() {
        println!(
            "certcheck-server answers for IP addresses and localhost only: give each DNS name it is \
             reached by with --allowed-host NAME"
        );
    }
    let slots = Arc::new(tokio::sync::Semaphore::new(max_connections));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Err(ServerError::Limiter);
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let scanner = Arc::new(std::sync::Mutex::new(framing::Scanner::default()));
        let socket = conn::Guarded::new(stream, write_timeout, scanner.clone());
        let inner = hyper_util::service::TowerToHyperService::new(router.clone());
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            let seen = scanner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).next_request();
            request.extensions_mut().insert(seen);
            hyper::service::Service::call(&inner, request)
        });
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(client_timeout)
                .max_buf_size(CONNECTION_BUFFER);
            // A failed connection (timeout, malformed request, reset) concerns only that client.
            let _ = builder.serve_connection(hyper_util::rt::TokioIo::new(socket), service).await;
            drop(slot);
        });
    }
}

/// hyper's read and write buffer per connection: request heads up to this size, and at most
/// this much of a response waiting for a client that does not read.
const CONNECTION_BUFFER: usize = 64 * 1024;

/// Refuses a request whose framing is ambiguous (`framing`: Content-Length with
/// Transfer-Encoding), then one for a host this server does not answer for (DNS rebinding, see
/// `hosts`), then routes it: the API paths to the allow-list (then sandbox or upstream), the sandbox's own
/// control paths, everything else to the static files. Logs method, path and status only: never
/// headers (not even Host), query or bodies (they carry tokens and keys).
async fn dispatch(State(app): State<Arc<App>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let refusal = framing::refusal(&request).or_else(|| app.hosts.refusal(&request));
    let response = match refusal {
        Some(refusal) => refusal,
        None => route(&app, request).await,
    };
    println!("{method} {path} {} {:.1}ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1000.0);
    response
}

/// Routes one request; API answers are compressed when the client accepts it.
async fn route(app: &App, request: Request) -> Response {
    let codings = compression::accepted(request.headers());
    let path = request.uri().path().to_owned();
    match api(app, request).await {
        Routed::Api(response) => compression::answer(response, &codings).await,
        Routed::Site(request) if request.method() != Method::GET && request.method() != Method::HEAD => {
            reply::plain_json(StatusCode::METHOD_NOT_ALLOWED, "the site is read-only")
        }
        Routed::Site(request) => app.files.serve(&path, request.headers()).await,
    }
}

/// Where a request went.
enum Routed {
    /// An API path (vendor, sandbox control, or an unknown `/api/` path): its answer.
    Api(Response),
    /// Not an API path: the request, for the static files.
    Site(Request),
}

/// The answer to an API request, or the request back when it is not one.
async fn api(app: &App, request: Request) -> Routed {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    Routed::Api(match proxy_target(request.method().as_str(), &path, &query, app.sandbox.is_some()) {
        ProxyTarget::Refused(vendor) => reply::not_routed(vendor, &path),
        ProxyTarget::Endpoint(endpoint) => {
            let vendor = endpoint.vendor();
            let body = match read_body(request, app.config.body_limit, app.config.client_timeout).await {
                Ok(body) => body,
                Err((status, message)) => return Routed::Api(reply::vendor_error(vendor, status, message)),
            };
            match &app.sandbox {
                Some(sandbox) => sandbox.handle(&endpoint, &query, &body.headers, &body.bytes).await,
                None => forward::forward(&app.client, &app.config, &endpoint, &query, &body.headers, body.bytes).await,
            }
        }
        ProxyTarget::NotVendor => match (&app.sandbox, path.strip_prefix("/api/sandbox/")) {
            (Some(sandbox), Some(rest)) => {
                // Same-origin and JSON only, before the path, the method or the body is looked at.
                if let Some(refusal) = sandbox::control_refusal(&request) {
                    return Routed::Api(refusal);
                }
                let method = request.method().clone();
                let rest = rest.to_owned();
                match read_body(request, app.config.body_limit, app.config.client_timeout).await {
                    Ok(body) => sandbox.control(&method, &rest, &body.bytes).await,
                    Err((status, message)) => reply::plain_json(status, &message),
                }
            }
            _ if path.starts_with("/api/") || path == "/api" => {
                reply::plain_json(StatusCode::NOT_FOUND, "no such API path")
            }
            _ => return Routed::Site(request),
        },
    })
}

/// A request's forwardable headers and its body, read within the limit.
struct Incoming {
    headers: Vec<(String, String)>,
    bytes: Vec<u8>,
}

async fn read_body(request: Request, limit: usize, timeout: Duration) -> Result<Incoming, (StatusCode, String)> {
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
    let body: Body = request.into_body();
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(Incoming { headers, bytes: bytes.to_vec() }),
        Ok(Err(error))
            if std::error::Error::source(&error).is_some_and(|e| e.is::<http_body_util::LengthLimitError>()) =>
        {
            Err(too_large())
        }
        // The client broke off or sent a malformed (chunked) body.
        Ok(Err(_)) => Err((StatusCode::BAD_REQUEST, "the request body could not be read".to_owned())),
        Err(_) => Err((
            StatusCode::REQUEST_TIMEOUT,
            format!("the request body did not arrive within {:.1} s", timeout.as_secs_f64()),
        )),
    }
}
