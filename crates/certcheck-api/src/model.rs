//! What the vendors answer, as documented (api/README.md and the reference pages). Unknown
//! fields are ignored and documented-optional fields are `Option`, so a vendor adding a field
//! never breaks a client.

use serde::{Deserialize, Serialize};

/// Anthropic's TunnelCertificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelCertificate {
    /// `tcrt_…`.
    pub id: String,
    /// RFC 3339, or null when not archived.
    pub archived_at: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, or null when the certificate does not expire.
    pub expires_at: Option<String>,
    /// SHA-256 of the DER, lowercase hex, no separators.
    pub fingerprint: String,
    /// `tnl_…`.
    pub tunnel_id: String,
    /// Always `tunnel_certificate`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A page of an Anthropic list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// The cursor for the next page, or null on the last one (absent in the Admin API).
    #[serde(default)]
    pub next_page: Option<String>,
}

/// Anthropic's Tunnel (current API).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tunnel {
    /// `tnl_…`.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The tunnel's domain.
    pub domain: String,
    /// `cloudflare` or `relay`.
    pub transport: String,
    /// RFC 3339 or null.
    pub archived_at: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// Always `tunnel`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Cloudflare's envelope around every answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Whether the call succeeded.
    pub success: bool,
    /// Errors (empty on success).
    #[serde(default)]
    pub errors: Vec<ResponseInfo>,
    /// Informational messages.
    #[serde(default)]
    pub messages: Vec<ResponseInfo>,
    /// The payload.
    #[serde(default = "none")]
    pub result: Option<T>,
    /// Pagination of lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<ResultInfo>,
}

fn none<T>() -> Option<T> {
    None
}

/// One entry of `errors` or `messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseInfo {
    /// Cloudflare's numeric code (≥ 1000).
    pub code: i64,
    /// The message.
    pub message: String,
    /// A link to documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Where in the request the problem is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// `source` of a ResponseInfo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// A JSON pointer into the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

/// Pagination of a Cloudflare list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultInfo {
    /// 1-based page.
    #[serde(default)]
    pub page: Option<u64>,
    /// Page size.
    #[serde(default)]
    pub per_page: Option<u64>,
    /// Items on this page.
    #[serde(default)]
    pub count: Option<u64>,
    /// Items in all.
    #[serde(default)]
    pub total_count: Option<u64>,
    /// Pages in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u64>,
}

/// A Cloudflare Access mTLS certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessCertificate {
    /// Its id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Hostnames using it.
    #[serde(default)]
    pub associated_hostnames: Option<Vec<String>>,
    /// RFC 3339.
    #[serde(default)]
    pub expires_on: Option<String>,
    /// `MD5 Fingerprint=1E:80:…`.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// A Gateway certificate (`binding_status`: `pending_deployment`, `available` — formerly
/// `active` —, `pending_deletion`, `inactive`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayCertificate {
    /// UUID.
    #[serde(default)]
    pub id: Option<String>,
    /// Deployment status.
    #[serde(default)]
    pub binding_status: Option<String>,
    /// The generated CA, PEM.
    #[serde(default)]
    pub certificate: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub expires_on: Option<String>,
    /// SHA-256, uppercase, colon-separated, bytes unpadded (`AB:0:31`).
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// Whether TLS interception uses it.
    #[serde(default)]
    pub in_use: Option<bool>,
    /// The issuer's organization.
    #[serde(default)]
    pub issuer_org: Option<String>,
    /// The issuer, Go order (`O=…,L=…,ST=…,C=…`).
    #[serde(default)]
    pub issuer_raw: Option<String>,
    /// `custom` or `gateway_managed`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub uploaded_on: Option<String>,
}

/// An account mTLS certificate (immutable once uploaded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MtlsCertificate {
    /// Its id.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether it is a CA.
    #[serde(default)]
    pub ca: Option<bool>,
    /// The stored PEM.
    #[serde(default)]
    pub certificates: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub expires_on: Option<String>,
    /// The issuer, Go order.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// The serial number in decimal.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// Signature algorithm, Go style (`SHA256WithRSA`).
    #[serde(default)]
    pub signature: Option<String>,
    /// `custom`, `gateway_managed` or `access_managed`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub uploaded_on: Option<String>,
    /// RFC 3339 (create only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// One service using an mTLS certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MtlsAssociation {
    /// The service (e.g. `gateway`, `api_shield`).
    pub service: String,
    /// Its status.
    pub status: String,
}

/// `{ id }` as Cloudflare's deletes answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    /// The deleted object's id.
    pub id: String,
}
