//! Request bodies as documented, and the full request (method, path with query, headers, JSON
//! body) a client sends. No HTTP client here: the web app sends it with gloo-net, the server
//! with reqwest.

use serde::{Deserialize, Serialize};

use crate::endpoint::{Endpoint, Method, Vendor};

/// `anthropic-version` sent with every Anthropic request.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// Largest `ca_certificate_pem` Anthropic accepts, in characters.
pub const ANTHROPIC_PEM_LIMIT: usize = 8192;

/// Gateway's `validity_period_days` range and default.
pub const GATEWAY_VALIDITY_DAYS: core::ops::RangeInclusive<u32> = 1..=10950;
/// Gateway's default validity: 5 years.
pub const GATEWAY_DEFAULT_VALIDITY_DAYS: u32 = 1825;

/// How a request authenticates. Never logged, never in an error message.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <token>` (both vendors).
    Bearer(String),
    /// Cloudflare's legacy `X-Auth-Email` + `X-Auth-Key`.
    GlobalKey {
        /// `X-Auth-Email`.
        email: String,
        /// `X-Auth-Key`.
        key: String,
    },
}

impl core::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::GlobalKey { .. } => f.write_str("GlobalKey(<redacted>)"),
        }
    }
}

/// `POST …/certificates` (Anthropic).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTunnelCertificate {
    /// Exactly one PEM CA certificate, ≤ 8192 characters, no private key.
    pub ca_certificate_pem: String,
}

/// `POST /v1/tunnels`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTunnel {
    /// Optional display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// Query of `GET …/certificates` (Anthropic, current API).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListTunnelCertificates {
    /// Include archived certificates (default false).
    pub include_archived: Option<bool>,
    /// Page size (default 20, at most 1000).
    pub limit: Option<u32>,
    /// The cursor from a previous page's `next_page`.
    pub page: Option<String>,
}

/// `POST /{scope}/{id}/access/certificates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccessCertificate {
    /// The CA certificate(s), PEM.
    pub certificate: String,
    /// A name for it.
    pub name: String,
    /// Hostnames of the applications that use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associated_hostnames: Option<Vec<String>>,
}

/// `PUT /{scope}/{id}/access/certificates/{certificate_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateAccessCertificate {
    /// The hostnames (replaces the list).
    pub associated_hostnames: Vec<String>,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One hostname's Access certificate settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessHostnameSetting {
    /// The hostname.
    pub hostname: String,
    /// Whether it is served in the China network.
    pub china_network: bool,
    /// Whether the client certificate is forwarded to the origin.
    pub client_certificate_forwarding: bool,
}

/// `PUT /{scope}/{id}/access/certificates/settings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateAccessSettings {
    /// Every hostname's settings.
    pub settings: Vec<AccessHostnameSetting>,
}

/// `POST /accounts/{account_id}/gateway/certificates`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateGatewayCertificate {
    /// 1–10950 days; 1825 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_period_days: Option<u32>,
}

/// `POST /accounts/{account_id}/mtls_certificates`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadMtlsCertificate {
    /// `true`: a CA that verifies client certificates; `false`: a leaf (+ chain) and its key.
    pub ca: bool,
    /// PEM, may be a chain.
    pub certificates: String,
    /// A name for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The leaf's private key (only with `ca: false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
}

impl core::fmt::Debug for UploadMtlsCertificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UploadMtlsCertificate")
            .field("ca", &self.ca)
            .field("certificates", &self.certificates)
            .field("name", &self.name)
            .field("private_key", &self.private_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A request ready to send: what the vendor's reference documents, exactly.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The vendor (selects the base URL).
    pub vendor: Vendor,
    /// The method.
    pub method: Method,
    /// Path and query below the base URL.
    pub path_and_query: String,
    /// Header names (lowercase) and values, in a fixed order.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, if the endpoint takes one.
    pub body: Option<String>,
}

impl core::fmt::Debug for Request {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| (*name, if is_secret_header(name) { "<redacted>" } else { value.as_str() }))
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path_and_query", &self.path_and_query)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|b| b.len()))
            .finish()
    }
}

/// Headers whose values are credentials.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(name.as_str(), "authorization" | "x-auth-key" | "x-auth-email" | "cookie" | "x-api-key")
}

/// Options of a request beyond its endpoint and body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Anthropic current API: `anthropic-workspace-id` for credentials spanning workspaces.
    pub workspace_id: Option<String>,
    /// Anthropic certificate lists: the query.
    pub list: ListTunnelCertificates,
    /// Cloudflare lists: `(page, per_page)`, sent as `?page=…&per_page=…`.
    pub cloudflare_page: Option<(u32, u32)>,
}

/// Builds the request for an endpoint. `body` is the endpoint's JSON body (serialize one of the
/// body types above); endpoints without a documented body ignore it, and Gateway's
/// activate/deactivate send `{}`.
pub fn build(
    endpoint: &Endpoint,
    credentials: &Credentials,
    body: Option<String>,
    options: &RequestOptions,
) -> Request {
    let vendor = endpoint.vendor();
    let mut headers: Vec<(&'static str, String)> = Vec::new();
    match credentials {
        Credentials::Bearer(token) => headers.push(("authorization", format!("Bearer {token}"))),
        Credentials::GlobalKey { email, key } => {
            headers.push(("x-auth-email", email.clone()));
            headers.push(("x-auth-key", key.clone()));
        }
    }
    if vendor == Vendor::Anthropic {
        headers.push(("anthropic-version", ANTHROPIC_VERSION.to_owned()));
        if let Some(generation) = endpoint.generation() {
            headers.push(("anthropic-beta", generation.beta().to_owned()));
        }
        if let (Some(crate::endpoint::Generation::Tunnels), Some(workspace)) =
            (endpoint.generation(), options.workspace_id.as_ref())
        {
            headers.push(("anthropic-workspace-id", workspace.clone()));
        }
    }
    let body = match endpoint {
        Endpoint::GatewayCertificateActivate { .. } | Endpoint::GatewayCertificateDeactivate { .. } => {
            Some(body.unwrap_or_else(|| "{}".to_owned()))
        }
        // The documented curl example creates a Gateway CA with no body at all (default validity).
        Endpoint::GatewayCertificateCreate { .. } => body,
        _ if endpoint.has_body() => Some(body.unwrap_or_else(|| "{}".to_owned())),
        _ => None,
    };
    if body.is_some() {
        headers.push(("content-type", "application/json".to_owned()));
    }
    let mut path_and_query = endpoint.path();
    if let Endpoint::TunnelCertificateList { .. } = endpoint {
        let list = &options.list;
        let mut query = Vec::new();
        if let Some(archived) = list.include_archived {
            query.push(format!("include_archived={archived}"));
        }
        if let Some(limit) = list.limit {
            query.push(format!("limit={limit}"));
        }
        if let Some(page) = &list.page {
            query.push(format!("page={}", percent_encode(page)));
        }
        if !query.is_empty() {
            path_and_query = format!("{path_and_query}?{}", query.join("&"));
        }
    }
    if let (
        Endpoint::AccessCertificateList { .. }
        | Endpoint::MtlsCertificateList { .. }
        | Endpoint::GatewayCertificateList { .. },
        Some((page, per_page)),
    ) = (endpoint, options.cloudflare_page)
    {
        path_and_query = format!("{path_and_query}?page={page}&per_page={per_page}");
    }
    Request { vendor, method: endpoint.method(), path_and_query, headers, body }
}

/// Percent-encodes everything but unreserved characters (RFC 3986 2.3).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
