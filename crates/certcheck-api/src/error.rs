//! Both vendors' error envelopes as one error type that keeps their codes, kinds, messages and
//! request id: Anthropic's `{ type: "error", error: { type, message }, request_id }` and
//! Cloudflare's `{ success: false, errors: [{ code, message }] }`; and `VerifyError`, why an answer could
//! not be verified at all.

use core::fmt;

use serde_json::{Value, json};

use crate::endpoint::Vendor;

/// A vendor's refusal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// Who answered.
    pub vendor: Vendor,
    /// The HTTP status, when known.
    pub status: Option<u16>,
    /// Every error the vendor listed (at least one).
    pub errors: Vec<VendorMessage>,
    /// Anthropic's `request_id` (what support asks for).
    pub request_id: Option<String>,
}

/// One error as the vendor gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VendorMessage {
    /// Cloudflare's numeric code (e.g. 1489, 12130).
    pub code: Option<i64>,
    /// Anthropic's error type (e.g. `invalid_request_error`).
    pub kind: Option<String>,
    /// The message, as given.
    pub message: String,
}

impl ApiError {
    /// Reads an error answer. A body in neither envelope still becomes an error, naming the
    /// status and the start of the body.
    pub fn parse(vendor: Vendor, status: Option<u16>, body: &[u8]) -> Self {
        let value: Option<Value> = serde_json::from_slice(body).ok();
        let mut errors = Vec::new();
        let mut request_id = None;
        if let Some(value) = &value {
            if let Some(error) = value.get("error").filter(|_| value.get("type") == Some(&json!("error"))) {
                errors.push(VendorMessage {
                    code: None,
                    kind: error.get("type").and_then(Value::as_str).map(str::to_owned),
                    message: error.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
                });
                request_id = value.get("request_id").and_then(Value::as_str).map(str::to_owned);
            } else if let Some(list) = value.get("errors").and_then(Value::as_array) {
                errors.extend(list.iter().map(|e| VendorMessage {
                    code: e.get("code").and_then(Value::as_i64),
                    kind: None,
                    message: e.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
                }));
            }
        }
        if errors.is_empty() {
            let text = String::from_utf8_lossy(body);
            let start: String = text.chars().take(200).collect();
            let status = status.map_or_else(|| "an error".to_owned(), |s| format!("HTTP {s}"));
            errors.push(VendorMessage { code: None, kind: None, message: format!("{status}: {start}") });
        }
        Self { vendor, status, errors, request_id }
    }

    /// Anthropic's error body for this error (the sandbox answers with it).
    pub fn anthropic_body(kind: &str, message: &str, request_id: &str) -> Value {
        json!({ "type": "error", "error": { "type": kind, "message": message }, "request_id": request_id })
    }

    /// Cloudflare's error envelope for one error (the sandbox answers with it).
    pub fn cloudflare_body(code: i64, message: &str) -> Value {
        json!({ "success": false, "errors": [{ "code": code, "message": message }], "messages": [], "result": null })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let vendor = match self.vendor {
            Vendor::Anthropic => "Anthropic",
            Vendor::Cloudflare => "Cloudflare",
        };
        write!(f, "{vendor} refused the request")?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        for error in &self.errors {
            match (&error.code, &error.kind) {
                (Some(code), _) => write!(f, "; {code}: {}", error.message)?,
                (None, Some(kind)) => write!(f, "; {kind}: {}", error.message)?,
                (None, None) => write!(f, "; {}", error.message)?,
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_envelopes_keep_codes_kinds_messages_and_request_ids() {
        let anthropic = br#"{"type":"error","error":{"type":"conflict_error","message":"Tunnel already has two active certificates"},"request_id":"req_011CX"}"#;
        let error = ApiError::parse(Vendor::Anthropic, Some(409), anthropic);
        assert_eq!(
            error.errors,
            [VendorMessage {
                code: None,
                kind: Some("conflict_error".into()),
                message: "Tunnel already has two active certificates".into()
            }]
        );
        assert_eq!(error.request_id.as_deref(), Some("req_011CX"));
        assert_eq!(
            error.to_string(),
            "Anthropic refused the request (HTTP 409); conflict_error: Tunnel already has two active certificates (request_id req_011CX)"
        );

        let cloudflare = br#"{"success":false,"errors":[{"code":1489,"message":"Hit maximum CA cert allocation"}],"messages":[],"result":null}"#;
        let error = ApiError::parse(Vendor::Cloudflare, Some(400), cloudflare);
        assert_eq!(error.errors[0].code, Some(1489));
        assert_eq!(
            error.to_string(),
            "Cloudflare refused the request (HTTP 400); 1489: Hit maximum CA cert allocation"
        );

        let html = ApiError::parse(Vendor::Cloudflare, Some(502), b"<html>Bad gateway</html>");
        assert_eq!(html.to_string(), "Cloudflare refused the request (HTTP 502); HTTP 502: <html>Bad gateway</html>");
    }
}

/// Why a response could not be verified at all.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The response is not JSON.
    NotJson {
        /// serde_json's explanation.
        reason: String,
    },
    /// The response is the vendor's error, not a certificate.
    Vendor(ApiError),
    /// The JSON is not the documented shape of this destination's certificate.
    Shape {
        /// What is wrong.
        reason: String,
    },
    /// There is no certificate to compare with.
    NoCertificate {
        /// Where one was expected.
        reason: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson { reason } => write!(f, "the response is not JSON: {reason}"),
            Self::Vendor(error) => write!(f, "the response is an error, not a certificate: {error}"),
            Self::Shape { reason } => write!(f, "the response is not the documented certificate object: {reason}"),
            Self::NoCertificate { reason } => f.write_str(reason),
        }
    }
}
