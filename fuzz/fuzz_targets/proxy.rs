//! The server's forwarding decision (`method\npath\nquery`): whatever is allowed names a
//! documented endpoint whose own path has no escape in it and is recognized again exactly.
#![no_main]

use certcheck_api::{Endpoint, ProxyTarget, Vendor, proxy_target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (method, path, query) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    for at_root in [false, true] {
        let ProxyTarget::Endpoint(endpoint) = proxy_target(method, path, query, at_root) else { continue };
        let upstream = endpoint.path();
        assert!(upstream.starts_with('/'), "{upstream}");
        // No dot segment (a segment like `..x` is a name, not a step up), no empty segment, nothing
        // a URL parser would read as a query, fragment, escape, user info or another host.
        for segment in upstream.split('/').skip(1) {
            assert!(!matches!(segment, "" | "." | ".."), "{path} -> {upstream}");
        }
        for escape in ["%", "?", "#", "\\", "@", " ", ":"] {
            assert!(!upstream.contains(escape), "{path} -> {upstream}");
        }
        assert_eq!(endpoint.method().as_str(), method);
        let prefix = match endpoint.vendor() {
            Vendor::Anthropic => ["/api/anthropic", "/api/anthropic", ""],
            Vendor::Cloudflare => ["/api/cloudflare", "/api/cloudflare/client/v4", "/client/v4"],
        };
        assert!(prefix.iter().any(|p| *path == format!("{p}{upstream}")), "{path} -> {upstream}");
        assert_eq!(Endpoint::recognize(endpoint.vendor(), method, &upstream), Some(endpoint));
        assert!(!query.contains(['#', '/', ':', ' ']), "{query}");
    }
});
