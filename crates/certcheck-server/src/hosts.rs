//! Which `Host` the server answers for: the defence against DNS rebinding.
//!
//! A page on `http://evil.example:8080/` whose name the attacker re-points at 127.0.0.1 after it
//! loaded is, for the browser, still same-origin with evil.example: it could read the dashboard
//! and drive the API through the user's own server. Its requests carry `Host: evil.example`, so
//! the server refuses every name it was not told about. Always answered (the rule of Vite's
//! `server.allowedHosts` and webpack-dev-server's `allowedHosts: "auto"`):
//! - `localhost` and names under `.localhost` (RFC 6761 §6.3: they never reach public DNS);
//! - IP address literals (`127.0.0.1`, `[::1]`, a LAN address): no name, so nothing to rebind;
//! - each `--allowed-host NAME` (a leading dot, `.example.com`, also takes every subdomain).
//!
//! The rule is the same whatever address the server listens on, because rebinding is about the
//! name the browser used, not about where the server listens; a server listening on 0.0.0.0 is
//! reachable by IP address at once, and by a DNS name only once that name is given. Only the
//! name is compared, not the port: a rebinding page has the server's port in its own URL
//! anyway, and port forwards (`ssh -L 9000:localhost:8080`) and proxies keep their own port.
//!
//! A request names its host in the `Host` header and, in absolute form
//! (`GET http://name/path HTTP/1.1`), in its target: every name given must be allowed. An
//! HTTP/1.1 request without a Host, or with two, is malformed (RFC 9112 §3.2: 400). An HTTP/1.0
//! request may have no Host: it is served, since browsers always send one and rebinding needs a
//! browser.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Version, header};
use axum::response::Response;

/// The names given with `--allowed-host`, checked and normalized (lowercase, no trailing dot).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AllowedHosts {
    names: Vec<String>,
}

impl AllowedHosts {
    /// The allow-list for the `--allowed-host` values.
    ///
    /// # Errors
    /// A message naming the first value that is not a host name.
    pub(crate) fn new(names: &[String]) -> Result<Self, String> {
        Ok(Self { names: names.iter().map(|name| allowed_name(name)).collect::<Result<_, _>>()? })
    }

    /// Whether a normalized host name (no port) is answered for.
    fn allows(&self, name: &str) -> bool {
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        self.names.iter().any(|allowed| match allowed.strip_prefix('.') {
            Some(domain) => name == domain || name.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.')),
            None => name == allowed,
        })
    }

    /// The refusal for a request this server does not answer for, if it is one.
    pub(crate) fn refusal(&self, request: &Request) -> Option<Response> {
        let mut hosts = request.headers().get_all(header::HOST).iter();
        let header = hosts.next();
        if hosts.next().is_some() {
            return Some(bad_request("more than one Host header"));
        }
        let mut names = Vec::new();
        if let Some(authority) = request.uri().authority() {
            names.push(authority.as_str().as_bytes());
        }
        if let Some(value) = header {
            names.push(value.as_bytes());
        }
        if names.is_empty() {
            return match request.version() {
                Version::HTTP_09 | Version::HTTP_10 => None,
                _ => Some(bad_request("an HTTP/1.1 request needs a Host header")),
            };
        }
        names.into_iter().find_map(|host| match host_name(host) {
            Some(Host::Address) => None,
            Some(Host::Name(name)) if self.allows(&name) => None,
            Some(Host::Name(name)) => Some(misdirected(Some(&name))),
            None => Some(misdirected(None)),
        })
    }
}

/// One `--allowed-host` value, normalized: a DNS name (lowercase, no trailing dot), or `.name`
/// for the name and its subdomains.
///
/// # Errors
/// A message when the value is not a host name (a port, a scheme, a path, a wildcard).
pub(crate) fn allowed_name(text: &str) -> Result<String, String> {
    let (dot, name) = match text.strip_prefix('.') {
        Some(rest) => (".", rest),
        None => ("", text),
    };
    let name = normalize(name)
        .filter(|name| !name.is_empty())
        .ok_or_else(|| format!("{text:?}: expected a host name such as app.example.com (no port)"))?;
    Ok(format!("{dot}{name}"))
}

/// What a Host value names.
#[derive(Debug, PartialEq, Eq)]
enum Host {
    /// An IPv4 literal or a bracketed IPv6 literal.
    Address,
    /// A DNS name, lowercase, without a trailing dot.
    Name(String),
}

/// Reads `host[:port]` (RFC 9110 §7.2, the URI's authority without user info); `None` when it
/// is not one (an empty name, a bad port, a character no host name has).
fn host_name(value: &[u8]) -> Option<Host> {
    let text = std::str::from_utf8(value).ok()?;
    let (host, port) = match text.strip_prefix('[') {
        Some(rest) => {
            let (address, after) = rest.split_once(']')?;
            address.parse::<Ipv6Addr>().ok()?;
            (None, after.strip_prefix(':').map_or_else(|| after.is_empty().then_some(""), Some)?)
        }
        None => match text.split_once(':') {
            Some((host, port)) => (Some(host), port),
            None => (Some(text), ""),
        },
    };
    if !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
        return None;
    }
    let Some(host) = host else { return Some(Host::Address) };
    if host.parse::<Ipv4Addr>().is_ok() {
        return Some(Host::Address);
    }
    normalize(host).filter(|name| !name.is_empty()).map(Host::Name)
}

/// A DNS name in lowercase without its trailing dot (`localhost.` is `localhost`); `None` when a
/// label is empty, longer than 63 or holds anything but letters, digits, `-` and `_`.
fn normalize(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.len() > 253 {
        return None;
    }
    let valid = name.is_empty()
        || name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then(|| name.to_ascii_lowercase())
}

/// 421 Misdirected Request (RFC 9110 §15.5.20: the server does not answer for this authority),
/// with the flag that makes it answer.
fn misdirected(name: Option<&str>) -> Response {
    let text = match name {
        Some(name) => format!(
            "certcheck-server does not answer for the host \"{name}\" (a defence against DNS rebinding).\n\
             If this name is meant to reach it, start it with: --allowed-host {name}\n"
        ),
        None => "certcheck-server does not answer for this Host header: it is not a host name or address.\n\
                 Names are allowed with --allowed-host NAME.\n"
            .to_owned(),
    };
    plain(StatusCode::MISDIRECTED_REQUEST, text)
}

fn bad_request(reason: &str) -> Response {
    plain(StatusCode::BAD_REQUEST, format!("bad request: {reason}\n"))
}

fn plain(status: StatusCode, text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(names: &[&str]) -> AllowedHosts {
        AllowedHosts::new(&names.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn request(version: Version, target: &str, hosts: &[&str]) -> Request {
        let mut builder = Request::builder().version(version).uri(target);
        for host in hosts {
            builder = builder.header(header::HOST, *host);
        }
        builder.body(Body::empty()).unwrap()
    }

    fn status(hosts: &AllowedHosts, request: &Request) -> u16 {
        hosts.refusal(request).map_or(200, |response| response.status().as_u16())
    }

    #[test]
    fn host_values_are_read_strictly() {
        for (value, expected) in [
            ("localhost", Some(Host::Name("localhost".to_owned()))),
            ("LocalHost.:8080", Some(Host::Name("localhost".to_owned()))),
            ("app.localhost:1", Some(Host::Name("app.localhost".to_owned()))),
            ("127.0.0.1:8080", Some(Host::Address)),
            ("10.1.2.3", Some(Host::Address)),
            ("[::1]:8080", Some(Host::Address)),
            ("[::1]", Some(Host::Address)),
            ("evil.example:80", Some(Host::Name("evil.example".to_owned()))),
            ("localhost:", Some(Host::Name("localhost".to_owned()))),
            // Not host values: an empty name, a bad port, user info, brackets without IPv6.
            ("", None),
            (":8080", None),
            ("localhost:80x", None),
            ("localhost:123456", None),
            ("user@localhost", None),
            ("[localhost]", None),
            ("[::1]x", None),
            ("::1", None),
            ("local host", None),
            ("a..b", None),
        ] {
            assert_eq!(host_name(value.as_bytes()), expected, "{value:?}");
        }
        // Non-canonical IPv4 spellings are names (browsers canonicalize before sending), so they
        // are refused unless allowed.
        assert_eq!(host_name(b"2130706433"), Some(Host::Name("2130706433".to_owned())));
    }

    #[test]
    fn localhost_addresses_and_allowed_names_pass_others_get_421() {
        let hosts = allowed(&["certcheck.internal", ".corp.example"]);
        for host in [
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "192.168.1.20",
            "dev.localhost",
            "certcheck.internal",
            "CERTCHECK.internal:443",
            "corp.example",
            "a.b.corp.example",
        ] {
            assert_eq!(status(&hosts, &request(Version::HTTP_11, "/", &[host])), 200, "{host}");
        }
        for host in ["evil.example", "localhost.evil.example", "xcorp.example", "certcheck.internal.evil", "a b"] {
            assert_eq!(status(&hosts, &request(Version::HTTP_11, "/", &[host])), 421, "{host}");
        }
        let fresh = AllowedHosts::default();
        assert_eq!(status(&fresh, &request(Version::HTTP_11, "/", &["certcheck.internal"])), 421);
    }

    #[test]
    fn absolute_form_missing_and_repeated_hosts() {
        let hosts = AllowedHosts::default();
        // The target's authority counts, and so does the header: both must be allowed.
        assert_eq!(status(&hosts, &request(Version::HTTP_11, "http://evil.example/", &["localhost"])), 421);
        assert_eq!(status(&hosts, &request(Version::HTTP_11, "http://localhost:8080/", &["evil.example"])), 421);
        assert_eq!(status(&hosts, &request(Version::HTTP_11, "http://localhost:8080/", &["localhost"])), 200);
        assert_eq!(status(&hosts, &request(Version::HTTP_11, "http://127.0.0.1/", &[])), 200);
        // No Host: HTTP/1.0 is served, HTTP/1.1 is malformed; two Hosts are malformed.
        assert_eq!(status(&hosts, &request(Version::HTTP_10, "/", &[])), 200);
        assert_eq!(status(&hosts, &request(Version::HTTP_11, "/", &[])), 400);
        assert_eq!(status(&hosts, &request(Version::HTTP_11, "/", &["localhost", "localhost"])), 400);
    }

    #[test]
    fn allowed_host_values_are_checked() {
        assert_eq!(allowed(&["App.Example.COM.", ".example.org"]).names, ["app.example.com", ".example.org"]);
        for bad in ["", ".", "app.example.com:8080", "http://app.example.com", "*.example.com", "a/b", "..", "a..b"] {
            assert!(allowed_name(bad).is_err(), "{bad:?}");
        }
    }
}
