//! Responses in the vendors' shapes: Anthropic's error object, Cloudflare's envelope, and the
//! plain JSON of the server's own paths.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use certcheck_api::{ApiError, Vendor};
use serde_json::{Value, json};

/// A JSON response.
pub(crate) fn json(status: StatusCode, value: &Value) -> Response {
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `{ "error": message }` for the server's own paths.
pub(crate) fn plain_json(status: StatusCode, message: &str) -> Response {
    json(status, &json!({ "error": message }))
}

/// The Anthropic error type for a status (api/README.md §1).
pub(crate) fn anthropic_kind(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        409 => "conflict_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        _ => "api_error",
    }
}

/// Cloudflare's code for the server's own refusals of a status.
fn cloudflare_code(status: StatusCode) -> i64 {
    match status.as_u16() {
        401 | 403 => 10000,
        404 => 7003,
        413 => 1005,
        504 => 1015,
        _ => 1000,
    }
}

/// An error in the vendor's shape, with a fresh request id for Anthropic.
pub(crate) fn vendor_error(vendor: Vendor, status: StatusCode, message: impl AsRef<str>) -> Response {
    match vendor {
        Vendor::Anthropic => {
            let id = crate::sandbox::ids::request_id();
            let mut response = json(status, &ApiError::anthropic_body(anthropic_kind(status), message.as_ref(), &id));
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert("request-id", value);
            }
            response
        }
        Vendor::Cloudflare => json(status, &ApiError::cloudflare_body(cloudflare_code(status), message.as_ref())),
    }
}

/// The answer to a path that is not an allow-listed certificate endpoint.
pub(crate) fn not_routed(vendor: Vendor, path: &str) -> Response {
    let shown: String = path.chars().take(200).collect();
    vendor_error(
        vendor,
        StatusCode::NOT_FOUND,
        format!("certcheck-server forwards only the documented certificate endpoints; {shown:?} is not one"),
    )
}

/// Cloudflare's success envelope.
pub(crate) fn cloudflare_ok(status: StatusCode, result: Value, result_info: Option<Value>) -> Response {
    let mut body = json!({ "success": true, "errors": [], "messages": [], "result": result });
    if let (Some(info), Some(object)) = (result_info, body.as_object_mut()) {
        object.insert("result_info".to_owned(), info);
    }
    json(status, &body)
}
