//! Every documented certificate endpoint of the four families, as data: method and path out
//! (for clients), and path in (for the server's allow-list: a request that is not exactly one of
//! these is not forwarded). Paths are relative to the vendor's base URL
//! (`https://api.anthropic.com`, `https://api.cloudflare.com/client/v4`).

use core::fmt;

/// The two vendors, with their API base URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// `https://api.anthropic.com`.
    Anthropic,
    /// `https://api.cloudflare.com/client/v4`.
    Cloudflare,
}

impl Vendor {
    /// The real API's base URL (no trailing slash).
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Anthropic => "https://api.anthropic.com",
            Self::Cloudflare => "https://api.cloudflare.com/client/v4",
        }
    }
}

/// HTTP methods the endpoints use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method's name as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }

    /// Reads an exact, uppercase method name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            "PUT" => Some(Self::Put),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two generations of Anthropic's tunnel API (api/README.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Generation {
    /// Admin API (deprecated): `/v1/organizations/tunnels/…`, beta `mcp-tunnels-2026-05-19`.
    Admin,
    /// Tunnels API (current): `/v1/tunnels/…`, beta `mcp-tunnels-2026-06-22`.
    Tunnels,
}

impl Generation {
    /// The `anthropic-beta` header value this generation requires.
    pub fn beta(self) -> &'static str {
        match self {
            Self::Admin => "mcp-tunnels-2026-05-19",
            Self::Tunnels => "mcp-tunnels-2026-06-22",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::Admin => "/v1/organizations/tunnels",
            Self::Tunnels => "/v1/tunnels",
        }
    }
}

/// Whether a Cloudflare Access path is account- or zone-scoped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `/accounts/{account_id}/…`.
    Accounts,
    /// `/zones/{zone_id}/…`.
    Zones,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Zones => "zones",
        }
    }
}

/// One documented endpoint with its path parameters. Identifiers are checked by [`is_identifier`]
/// when recognized from a path; builders take them as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
// Variant fields are the path parameters, named as in the vendors' references.
#[allow(missing_docs)]
pub enum Endpoint {
    /// `POST …/tunnels/{tunnel_id}/certificates` — body `{ ca_certificate_pem }`.
    TunnelCertificateCreate { generation: Generation, tunnel_id: String },
    /// `GET …/tunnels/{tunnel_id}/certificates?include_archived&limit&page`.
    TunnelCertificateList { generation: Generation, tunnel_id: String },
    /// `GET …/tunnels/{tunnel_id}/certificates/{certificate_id}`.
    TunnelCertificateGet { generation: Generation, tunnel_id: String, certificate_id: String },
    /// `POST …/tunnels/{tunnel_id}/certificates/{certificate_id}/archive`.
    TunnelCertificateArchive { generation: Generation, tunnel_id: String, certificate_id: String },
    /// `POST /v1/tunnels` — body `{ display_name? }` (current API only).
    TunnelCreate,
    /// `GET /v1/tunnels`.
    TunnelList,
    /// `GET /v1/tunnels/{tunnel_id}`.
    TunnelGet { tunnel_id: String },
    /// `POST /v1/tunnels/{tunnel_id}/archive` (irreversible; archives its certificates).
    TunnelArchive { tunnel_id: String },
    /// `POST /v1/tunnels/{tunnel_id}/reveal_token`.
    TunnelRevealToken { tunnel_id: String },
    /// `POST /v1/tunnels/{tunnel_id}/rotate_token`.
    TunnelRotateToken { tunnel_id: String },
    /// `GET /{scope}/{id}/access/certificates`.
    AccessCertificateList { scope: Scope, id: String },
    /// `POST /{scope}/{id}/access/certificates` — body `{ certificate, name, associated_hostnames? }`.
    AccessCertificateCreate { scope: Scope, id: String },
    /// `GET /{scope}/{id}/access/certificates/{certificate_id}`.
    AccessCertificateGet { scope: Scope, id: String, certificate_id: String },
    /// `PUT /{scope}/{id}/access/certificates/{certificate_id}` — body `{ associated_hostnames, name? }`.
    AccessCertificateUpdate { scope: Scope, id: String, certificate_id: String },
    /// `DELETE /{scope}/{id}/access/certificates/{certificate_id}`.
    AccessCertificateDelete { scope: Scope, id: String, certificate_id: String },
    /// `GET /{scope}/{id}/access/certificates/settings`.
    AccessSettingsGet { scope: Scope, id: String },
    /// `PUT /{scope}/{id}/access/certificates/settings` — body `{ settings: [...] }`.
    AccessSettingsUpdate { scope: Scope, id: String },
    /// `POST /accounts/{account_id}/gateway/certificates` — body `{ validity_period_days? }`.
    GatewayCertificateCreate { account_id: String },
    /// `GET /accounts/{account_id}/gateway/certificates`.
    GatewayCertificateList { account_id: String },
    /// `GET /accounts/{account_id}/gateway/certificates/{certificate_id}`.
    GatewayCertificateGet { account_id: String, certificate_id: String },
    /// `DELETE /accounts/{account_id}/gateway/certificates/{certificate_id}`.
    GatewayCertificateDelete { account_id: String, certificate_id: String },
    /// `POST /accounts/{account_id}/gateway/certificates/{certificate_id}/activate` — body `{}`.
    GatewayCertificateActivate { account_id: String, certificate_id: String },
    /// `POST /accounts/{account_id}/gateway/certificates/{certificate_id}/deactivate` — body `{}`.
    GatewayCertificateDeactivate { account_id: String, certificate_id: String },
    /// `POST /accounts/{account_id}/mtls_certificates` — body `{ ca, certificates, name?, private_key? }`.
    MtlsCertificateUpload { account_id: String },
    /// `GET /accounts/{account_id}/mtls_certificates`.
    MtlsCertificateList { account_id: String },
    /// `GET /accounts/{account_id}/mtls_certificates/{mtls_certificate_id}`.
    MtlsCertificateGet { account_id: String, certificate_id: String },
    /// `DELETE /accounts/{account_id}/mtls_certificates/{mtls_certificate_id}`.
    MtlsCertificateDelete { account_id: String, certificate_id: String },
    /// `GET /accounts/{account_id}/mtls_certificates/{mtls_certificate_id}/associations`.
    MtlsCertificateAssociations { account_id: String, certificate_id: String },
}

impl Endpoint {
    /// The vendor that serves it.
    pub fn vendor(&self) -> Vendor {
        use Endpoint::*;
        match self {
            TunnelCertificateCreate { .. }
            | TunnelCertificateList { .. }
            | TunnelCertificateGet { .. }
            | TunnelCertificateArchive { .. }
            | TunnelCreate
            | TunnelList
            | TunnelGet { .. }
            | TunnelArchive { .. }
            | TunnelRevealToken { .. }
            | TunnelRotateToken { .. } => Vendor::Anthropic,
            _ => Vendor::Cloudflare,
        }
    }

    /// The Anthropic API generation, for Anthropic endpoints.
    pub fn generation(&self) -> Option<Generation> {
        use Endpoint::*;
        match self {
            TunnelCertificateCreate { generation, .. }
            | TunnelCertificateList { generation, .. }
            | TunnelCertificateGet { generation, .. }
            | TunnelCertificateArchive { generation, .. } => Some(*generation),
            TunnelCreate
            | TunnelList
            | TunnelGet { .. }
            | TunnelArchive { .. }
            | TunnelRevealToken { .. }
            | TunnelRotateToken { .. } => Some(Generation::Tunnels),
            _ => None,
        }
    }

    /// The documented method.
    pub fn method(&self) -> Method {
        use Endpoint::*;
        match self {
            TunnelCertificateList { .. }
            | TunnelCertificateGet { .. }
            | TunnelList
            | TunnelGet { .. }
            | AccessCertificateList { .. }
            | AccessCertificateGet { .. }
            | AccessSettingsGet { .. }
            | GatewayCertificateList { .. }
            | GatewayCertificateGet { .. }
            | MtlsCertificateList { .. }
            | MtlsCertificateGet { .. }
            | MtlsCertificateAssociations { .. } => Method::Get,
            AccessCertificateUpdate { .. } | AccessSettingsUpdate { .. } => Method::Put,
            AccessCertificateDelete { .. } | GatewayCertificateDelete { .. } | MtlsCertificateDelete { .. } => {
                Method::Delete
            }
            _ => Method::Post,
        }
    }

    /// Whether the documented request carries a JSON body.
    pub fn has_body(&self) -> bool {
        matches!(self.method(), Method::Post | Method::Put)
            && !matches!(
                self,
                Endpoint::TunnelCertificateArchive { .. }
                    | Endpoint::TunnelArchive { .. }
                    | Endpoint::TunnelRevealToken { .. }
                    | Endpoint::TunnelRotateToken { .. }
            )
    }

    /// The path below the vendor's base URL, without query.
    pub fn path(&self) -> String {
        use Endpoint::*;
        match self {
            TunnelCertificateCreate { generation, tunnel_id } | TunnelCertificateList { generation, tunnel_id } => {
                format!("{}/{tunnel_id}/certificates", generation.prefix())
            }
            TunnelCertificateGet { generation, tunnel_id, certificate_id } => {
                format!("{}/{tunnel_id}/certificates/{certificate_id}", generation.prefix())
            }
            TunnelCertificateArchive { generation, tunnel_id, certificate_id } => {
                format!("{}/{tunnel_id}/certificates/{certificate_id}/archive", generation.prefix())
            }
            TunnelCreate | TunnelList => "/v1/tunnels".to_owned(),
            TunnelGet { tunnel_id } => format!("/v1/tunnels/{tunnel_id}"),
            TunnelArchive { tunnel_id } => format!("/v1/tunnels/{tunnel_id}/archive"),
            TunnelRevealToken { tunnel_id } => format!("/v1/tunnels/{tunnel_id}/reveal_token"),
            TunnelRotateToken { tunnel_id } => format!("/v1/tunnels/{tunnel_id}/rotate_token"),
            AccessCertificateList { scope, id } | AccessCertificateCreate { scope, id } => {
                format!("/{}/{id}/access/certificates", scope.as_str())
            }
            AccessCertificateGet { scope, id, certificate_id }
            | AccessCertificateUpdate { scope, id, certificate_id }
            | AccessCertificateDelete { scope, id, certificate_id } => {
                format!("/{}/{id}/access/certificates/{certificate_id}", scope.as_str())
            }
            AccessSettingsGet { scope, id } | AccessSettingsUpdate { scope, id } => {
                format!("/{}/{id}/access/certificates/settings", scope.as_str())
            }
            GatewayCertificateCreate { account_id } | GatewayCertificateList { account_id } => {
                format!("/accounts/{account_id}/gateway/certificates")
            }
            GatewayCertificateGet { account_id, certificate_id }
            | GatewayCertificateDelete { account_id, certificate_id } => {
                format!("/accounts/{account_id}/gateway/certificates/{certificate_id}")
            }
            GatewayCertificateActivate { account_id, certificate_id } => {
                format!("/accounts/{account_id}/gateway/certificates/{certificate_id}/activate")
            }
            GatewayCertificateDeactivate { account_id, certificate_id } => {
                format!("/accounts/{account_id}/gateway/certificates/{certificate_id}/deactivate")
            }
            MtlsCertificateUpload { account_id } | MtlsCertificateList { account_id } => {
                format!("/accounts/{account_id}/mtls_certificates")
            }
            MtlsCertificateGet { account_id, certificate_id }
            | MtlsCertificateDelete { account_id, certificate_id } => {
                format!("/accounts/{account_id}/mtls_certificates/{certificate_id}")
            }
            MtlsCertificateAssociations { account_id, certificate_id } => {
                format!("/accounts/{account_id}/mtls_certificates/{certificate_id}/associations")
            }
        }
    }

    /// The endpoint a method and path (below the vendor's base URL, without query) stand for,
    /// or `None` when it is not exactly a documented certificate endpoint. The path must be in
    /// normal form: no empty, `.` or `..` segments, no percent escapes, identifiers limited to
    /// `[A-Za-z0-9_.-]` (see [`is_identifier`]) — so no encoded slash or dot can slip through.
    pub fn recognize(vendor: Vendor, method: &str, path: &str) -> Option<Endpoint> {
        let method = Method::parse(method)?;
        let rest = path.strip_prefix('/')?;
        let segments: Vec<&str> = rest.split('/').collect();
        if segments.iter().any(|s| !is_segment(s)) {
            return None;
        }
        let id = |s: &&str| is_identifier(s).then(|| (*s).to_owned());
        let endpoint = match vendor {
            Vendor::Anthropic => recognize_anthropic(&segments, id)?,
            Vendor::Cloudflare => recognize_cloudflare(&segments, id)?,
        };
        if endpoint.method() == method {
            Some(endpoint)
        } else {
            // One path, several methods: the sibling with this method, if documented.
            sibling(&endpoint, method)
        }
    }
}

/// Same path, other method.
fn sibling(endpoint: &Endpoint, method: Method) -> Option<Endpoint> {
    use Endpoint::*;
    let candidate = match (endpoint.clone(), method) {
        (TunnelCertificateList { generation, tunnel_id }, Method::Post) => {
            TunnelCertificateCreate { generation, tunnel_id }
        }
        (TunnelList, Method::Post) => TunnelCreate,
        (AccessCertificateList { scope, id }, Method::Post) => AccessCertificateCreate { scope, id },
        (AccessCertificateGet { scope, id, certificate_id }, Method::Put) => {
            AccessCertificateUpdate { scope, id, certificate_id }
        }
        (AccessCertificateGet { scope, id, certificate_id }, Method::Delete) => {
            AccessCertificateDelete { scope, id, certificate_id }
        }
        (AccessSettingsGet { scope, id }, Method::Put) => AccessSettingsUpdate { scope, id },
        (GatewayCertificateList { account_id }, Method::Post) => GatewayCertificateCreate { account_id },
        (GatewayCertificateGet { account_id, certificate_id }, Method::Delete) => {
            GatewayCertificateDelete { account_id, certificate_id }
        }
        (MtlsCertificateList { account_id }, Method::Post) => MtlsCertificateUpload { account_id },
        (MtlsCertificateGet { account_id, certificate_id }, Method::Delete) => {
            MtlsCertificateDelete { account_id, certificate_id }
        }
        _ => return None,
    };
    (candidate.method() == method).then_some(candidate)
}

fn recognize_anthropic(segments: &[&str], id: impl Fn(&&str) -> Option<String>) -> Option<Endpoint> {
    use Endpoint::*;
    let (generation, rest) = match segments {
        ["v1", "organizations", "tunnels", rest @ ..] => (Generation::Admin, rest),
        ["v1", "tunnels", rest @ ..] => (Generation::Tunnels, rest),
        _ => return None,
    };
    Some(match (generation, rest) {
        (Generation::Tunnels, []) => TunnelList,
        (Generation::Tunnels, [tunnel]) => TunnelGet { tunnel_id: id(tunnel)? },
        (Generation::Tunnels, [tunnel, "archive"]) => TunnelArchive { tunnel_id: id(tunnel)? },
        (Generation::Tunnels, [tunnel, "reveal_token"]) => TunnelRevealToken { tunnel_id: id(tunnel)? },
        (Generation::Tunnels, [tunnel, "rotate_token"]) => TunnelRotateToken { tunnel_id: id(tunnel)? },
        (_, [tunnel, "certificates"]) => TunnelCertificateList { generation, tunnel_id: id(tunnel)? },
        (_, [tunnel, "certificates", certificate]) => {
            TunnelCertificateGet { generation, tunnel_id: id(tunnel)?, certificate_id: id(certificate)? }
        }
        (_, [tunnel, "certificates", certificate, "archive"]) => {
            TunnelCertificateArchive { generation, tunnel_id: id(tunnel)?, certificate_id: id(certificate)? }
        }
        _ => return None,
    })
}

fn recognize_cloudflare(segments: &[&str], id: impl Fn(&&str) -> Option<String>) -> Option<Endpoint> {
    use Endpoint::*;
    Some(match segments {
        [scope @ ("accounts" | "zones"), owner, "access", "certificates", rest @ ..] => {
            let scope = if *scope == "accounts" { Scope::Accounts } else { Scope::Zones };
            let owner = id(owner)?;
            match rest {
                [] => AccessCertificateList { scope, id: owner },
                ["settings"] => AccessSettingsGet { scope, id: owner },
                [certificate] => AccessCertificateGet { scope, id: owner, certificate_id: id(certificate)? },
                _ => return None,
            }
        }
        ["accounts", account, "gateway", "certificates", rest @ ..] => {
            let account_id = id(account)?;
            match rest {
                [] => GatewayCertificateList { account_id },
                [certificate] => GatewayCertificateGet { account_id, certificate_id: id(certificate)? },
                [certificate, "activate"] => {
                    GatewayCertificateActivate { account_id, certificate_id: id(certificate)? }
                }
                [certificate, "deactivate"] => {
                    GatewayCertificateDeactivate { account_id, certificate_id: id(certificate)? }
                }
                _ => return None,
            }
        }
        ["accounts", account, "mtls_certificates", rest @ ..] => {
            let account_id = id(account)?;
            match rest {
                [] => MtlsCertificateList { account_id },
                [certificate] => MtlsCertificateGet { account_id, certificate_id: id(certificate)? },
                [certificate, "associations"] => {
                    MtlsCertificateAssociations { account_id, certificate_id: id(certificate)? }
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// A path segment in normal form: not empty, not `.`/`..`, only unreserved URL characters.
fn is_segment(segment: &str) -> bool {
    !segment.is_empty() && segment != "." && segment != ".." && is_identifier(segment)
}

/// An identifier as the vendors issue them (`tnl_01Hx…`, UUIDs, 32-hex account ids): 1–128
/// characters of `A–Z a–z 0–9 _ - .`, and not `.` or `..`.
pub fn is_identifier(text: &str) -> bool {
    (1..=128).contains(&text.len())
        && text != "."
        && text != ".."
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_recognizes_its_own_path_and_method() {
        for endpoint in crate::examples::all_endpoints() {
            let recognized = Endpoint::recognize(endpoint.vendor(), endpoint.method().as_str(), &endpoint.path());
            assert_eq!(recognized.as_ref(), Some(&endpoint), "{} {}", endpoint.method(), endpoint.path());
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for (vendor, method, path) in [
            (Vendor::Anthropic, "GET", "/v1/messages"),
            (Vendor::Anthropic, "DELETE", "/v1/tunnels/tnl_1/certificates/tcrt_1"),
            (Vendor::Anthropic, "POST", "/v1/organizations/tunnels"),
            (Vendor::Anthropic, "GET", "/v1/tunnels/tnl_1/certificates/"),
            (Vendor::Anthropic, "GET", "/v1/tunnels//certificates"),
            (Vendor::Anthropic, "GET", "/v1/tunnels/../organizations/tunnels/x/certificates"),
            (Vendor::Anthropic, "GET", "/v1/tunnels/%2e%2e/certificates"),
            (Vendor::Anthropic, "GET", "/v1/tunnels/a%2Fb/certificates"),
            (Vendor::Anthropic, "get", "/v1/tunnels"),
            (Vendor::Anthropic, "PATCH", "/v1/tunnels/tnl_1"),
            (Vendor::Anthropic, "GET", "v1/tunnels"),
            (Vendor::Cloudflare, "GET", "/accounts/abc/tokens"),
            (Vendor::Cloudflare, "GET", "/user/tokens/verify"),
            (Vendor::Cloudflare, "PUT", "/accounts/abc/mtls_certificates/x"),
            (Vendor::Cloudflare, "DELETE", "/zones/abc/access/certificates/settings"),
            (Vendor::Cloudflare, "GET", "/zones/abc/gateway/certificates"),
            (Vendor::Cloudflare, "POST", "/accounts/abc/gateway/certificates/x/activate/now"),
            (Vendor::Cloudflare, "GET", "/accounts/./mtls_certificates"),
            (Vendor::Cloudflare, "GET", "https://evil.example/accounts/abc/mtls_certificates"),
            (Vendor::Cloudflare, "GET", "//evil.example/accounts/abc/mtls_certificates"),
        ] {
            assert_eq!(Endpoint::recognize(vendor, method, path), None, "{method} {path}");
        }
    }
}
