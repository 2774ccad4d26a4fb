//! The certcheck server's API paths and the one decision a proxy makes about them: which
//! documented endpoint (if any) a request names. The dashboard builds URLs with
//! [`proxy_prefix`]; certcheck-server forwards only what [`proxy_target`] allows, rebuilding
//! the upstream path from the [`Endpoint`] it returns. Kept here, without HTTP types, so that the
//! matcher is tested and fuzzed on its own.

use crate::endpoint::{Endpoint, Vendor};

/// Where a vendor's endpoints live on a certcheck server.
pub fn proxy_prefix(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Anthropic => "/api/anthropic",
        Vendor::Cloudflare => "/api/cloudflare",
    }
}

/// What a request's method, path and query name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProxyTarget {
    /// Not a vendor path (static files, the sandbox's own control paths, …).
    NotVendor,
    /// Under a vendor's prefix but not a documented endpoint, method or query: refused.
    Refused(Vendor),
    /// A documented endpoint; its own [`Endpoint::path`] is what goes upstream.
    Endpoint(Endpoint),
}

/// The endpoint a request names. `path` is the request target's path exactly as received (no
/// percent-decoding happens anywhere: `%2F`, `%2e` and the like are refused by the identifier
/// rules), `query` the part after `?` (empty if none). With `at_root` (the sandbox), the vendors'
/// own paths `/v1/…` and `/client/v4/…` are accepted too, so that their curl examples work with
/// only the host swapped.
pub fn proxy_target(method: &str, path: &str, query: &str, at_root: bool) -> ProxyTarget {
    let Some((vendor, rest)) = vendor_path(path, at_root) else {
        return ProxyTarget::NotVendor;
    };
    match Endpoint::recognize(vendor, method, &rest) {
        Some(endpoint) if query_allowed(&endpoint, query) => ProxyTarget::Endpoint(endpoint),
        _ => ProxyTarget::Refused(vendor),
    }
}

/// The vendor and the path below its base URL: `/api/anthropic/…`, `/api/cloudflare/…` (with
/// or without Cloudflare's `/client/v4`), and with `at_root` `/v1/…` and `/client/v4/…`.
fn vendor_path(path: &str, at_root: bool) -> Option<(Vendor, String)> {
    let below = |prefix: &str| path.strip_prefix(prefix).map(|rest| format!("/{rest}"));
    let cloudflare = |rest: String| match rest.strip_prefix("/client/v4/") {
        Some(inner) => format!("/{inner}"),
        None => rest,
    };
    if let Some(rest) = below("/api/anthropic/") {
        return Some((Vendor::Anthropic, rest));
    }
    if let Some(rest) = below("/api/cloudflare/") {
        return Some((Vendor::Cloudflare, cloudflare(rest)));
    }
    if !at_root {
        return None;
    }
    if path.starts_with("/v1/") {
        return Some((Vendor::Anthropic, path.to_owned()));
    }
    below("/client/v4/").map(|rest| (Vendor::Cloudflare, rest))
}

/// Query parameters an endpoint documents, with plain values; anything else is refused like an
/// unknown path.
fn query_allowed(endpoint: &Endpoint, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let allowed: &[&str] = match endpoint {
        Endpoint::TunnelCertificateList { .. } | Endpoint::TunnelList => &["include_archived", "limit", "page"],
        Endpoint::AccessCertificateList { .. } | Endpoint::GatewayCertificateList { .. } => &["page", "per_page"],
        Endpoint::MtlsCertificateList { .. } => &["page", "per_page", "type"],
        _ => &[],
    };
    query.split('&').all(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        allowed.contains(&key)
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'%' | b','))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(method: &str, path: &str, query: &str, at_root: bool) -> Option<String> {
        match proxy_target(method, path, query, at_root) {
            ProxyTarget::Endpoint(endpoint) => Some(endpoint.path()),
            _ => None,
        }
    }

    #[test]
    fn documented_paths_map_to_their_upstream_path() {
        let cases = [
            ("GET", "/api/anthropic/v1/tunnels/tnl_1/certificates", "limit=5&include_archived=true", false),
            ("POST", "/api/cloudflare/accounts/abc/mtls_certificates", "", false),
            ("POST", "/api/cloudflare/client/v4/accounts/abc/mtls_certificates", "", false),
            ("GET", "/client/v4/accounts/abc/gateway/certificates", "page=2", true),
            ("GET", "/v1/tunnels/tnl_1/certificates", "", true),
            // Found by the fuzzer: `..x` is a name like any other, not a step up.
            ("DELETE", "/api/cloudflare/zones/abc/access/certificates/..x", "", false),
        ];
        let expected = [
            "/v1/tunnels/tnl_1/certificates",
            "/accounts/abc/mtls_certificates",
            "/accounts/abc/mtls_certificates",
            "/accounts/abc/gateway/certificates",
            "/v1/tunnels/tnl_1/certificates",
            "/zones/abc/access/certificates/..x",
        ];
        for ((method, path, query, at_root), expected) in cases.into_iter().zip(expected) {
            assert_eq!(allowed(method, path, query, at_root).as_deref(), Some(expected), "{method} {path}");
        }
    }

    #[test]
    fn escapes_undocumented_methods_and_queries_are_refused() {
        for (method, path, query) in [
            ("GET", "/api/anthropic/v1/messages", ""),
            ("GET", "/api/cloudflare/accounts/abc/mtls_certificates%2F..%2F..%2Fuser", ""),
            ("GET", "/api/cloudflare/accounts/abc/%2e%2e/tokens", ""),
            ("GET", "/api/cloudflare/accounts//mtls_certificates", ""),
            ("GET", "/api/cloudflare/accounts/abc/../../user/tokens", ""),
            ("GET", "/api/cloudflare/accounts/abc/mtls_certificates/", ""),
            ("GET", "/api/cloudflare/accounts/abc/mtls_certificates", "page=1&redirect=http://evil"),
            ("GET", "/api/cloudflare/accounts/abc/mtls_certificates", "page=1#x"),
            ("TRACE", "/api/cloudflare/accounts/abc/mtls_certificates", ""),
            ("get", "/api/cloudflare/accounts/abc/mtls_certificates", ""),
            ("PATCH", "/api/cloudflare/accounts/abc/gateway/certificates/x", ""),
            ("POST", "/api/anthropic/v1/tunnels/tnl_1/certificates", "limit=5"),
        ] {
            let target = proxy_target(method, path, query, true);
            assert!(matches!(target, ProxyTarget::Refused(_)), "{method} {path}?{query}: {target:?}");
        }
    }

    #[test]
    fn root_vendor_paths_only_in_the_sandbox() {
        assert_eq!(proxy_target("GET", "/v1/tunnels/tnl_1/certificates", "", false), ProxyTarget::NotVendor);
        assert_eq!(proxy_target("GET", "/index.html", "", true), ProxyTarget::NotVendor);
        assert_eq!(proxy_target("GET", "/api/sandbox/status", "", true), ProxyTarget::NotVendor);
        assert_eq!(proxy_prefix(Vendor::Cloudflare), "/api/cloudflare");
    }
}
