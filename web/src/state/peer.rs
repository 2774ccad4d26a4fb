//! "Test a certificate against this CA": once the Check page holds a CA for a destination that
//! verifies what a server or client presents (an Anthropic tunnel, Cloudflare Access, a
//! Cloudflare mTLS CA), the section's fields become the inputs of `certcheck::verify_peer`, with
//! the pasted input as the CA. The key stays in the page: nothing here is ever sent.

use certcheck::{Destination, InputKind, NoPeerCheck, PeerOptions, PeerReport, Report, UnixTime};

use super::{Choice, Input, parse_hostnames};

/// The section's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerForm {
    /// The presented certificate (PEM, intermediates after it).
    pub certificate: String,
    /// Its private key, optional.
    pub key: String,
    /// Anthropic: the tunnel's domain.
    pub tunnel_domain: String,
    /// Access and mTLS: host names, IP addresses or email addresses (those with an `@`) the
    /// certificate must cover, comma separated.
    pub hosts: String,
}

/// Whether the section is offered: the destination verifies presented certificates and the
/// input holds a CA.
pub fn peer_applies(choice: Choice, report: Option<&Report>) -> bool {
    choice.destination.presented_purpose().is_some()
        && report.is_some_and(|report| report.certificates.iter().any(|certificate| certificate.is_ca))
}

/// What the presented certificate is, for its field's label. ("cert", so that the paste area
/// stays the page's one field whose name contains "Certificate".)
pub fn presented_label(destination: Destination) -> &'static str {
    match destination {
        Destination::AnthropicTunnel => "Server cert your gateway presents (PEM, then its intermediates)",
        _ => "Client cert to test (PEM, then its intermediates)",
    }
}

/// `verify_peer`'s options for `destination` from the form, at `now`.
pub fn peer_options(destination: Destination, form: &PeerForm, now: UnixTime) -> PeerOptions {
    let domain = form.tunnel_domain.trim();
    let is_tunnel = destination == Destination::AnthropicTunnel;
    let names = if is_tunnel { Vec::new() } else { parse_hostnames(&form.hosts) };
    let (emails, hosts): (Vec<String>, Vec<String>) = names.into_iter().partition(|name| name.contains('@'));
    PeerOptions {
        destination,
        tunnel_domain: (is_tunnel && !domain.is_empty()).then(|| domain.to_owned()),
        hosts,
        emails,
        now,
    }
}

/// The test of the form's certificate against the CA input, or `None` while the certificate
/// field is empty.
pub fn peer_check(
    ca: &Input,
    choice: Choice,
    form: &PeerForm,
    now: UnixTime,
) -> Option<Result<PeerReport, NoPeerCheck>> {
    if form.certificate.trim().is_empty() {
        return None;
    }
    let key = form.key.trim();
    let key = (!key.is_empty()).then_some(key.as_bytes());
    let options = peer_options(choice.destination, form, now);
    Some(certcheck::verify_peer(form.certificate.as_bytes(), ca.bytes(), key, &options))
}

/// The field a diagnostic of `verify` points into.
pub fn input_name(input: Option<InputKind>) -> &'static str {
    match input {
        Some(InputKind::Certificate) => "certificate",
        Some(InputKind::Ca) => "CA",
        Some(InputKind::Key) => "key",
        None => "input",
    }
}

/// The path found, one line per certificate: `#1 certificate: gateway.example.com`.
pub fn path_lines(report: &PeerReport) -> Vec<String> {
    report
        .path
        .iter()
        .map(|step| {
            format!(
                "#{} {}: {}",
                step.index + 1,
                input_name(Some(step.input)),
                super::monitor::common_name(&step.subject)
            )
        })
        .collect()
}

/// The headline of a verdict of `verify`.
pub fn peer_headline(report: &PeerReport) -> &'static str {
    match report.verdict.name() {
        "error" => "Would be refused",
        "warning" => "Would be accepted, with warnings",
        _ => "Would be accepted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-ca.pem");
    const LEAF: &str = include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-leaf.pem");
    const OTHER_CA: &str = include_str!("../../../tests/data/anthropic/good-rsa-ca.pem");

    fn now() -> UnixTime {
        UnixTime::parse_rfc3339("2026-06-01T00:00:00Z").unwrap_or(UnixTime(0))
    }

    fn choice(destination: Destination) -> Choice {
        Choice { destination, ..Choice::default() }
    }

    #[test]
    fn offered_for_a_ca_where_certificates_are_presented() {
        let ca = certcheck::inspect(CA.as_bytes(), now());
        let leaf = certcheck::inspect(LEAF.as_bytes(), now());
        assert!(peer_applies(choice(Destination::AnthropicTunnel), Some(&ca)));
        assert!(peer_applies(choice(Destination::CloudflareAccess), Some(&ca)));
        assert!(peer_applies(choice(Destination::CloudflareMtls { ca: true }), Some(&ca)));
        assert!(!peer_applies(choice(Destination::CloudflareMtls { ca: false }), Some(&ca)));
        assert!(!peer_applies(choice(Destination::CloudflareGateway), Some(&ca)));
        assert!(!peer_applies(choice(Destination::AnthropicTunnel), Some(&leaf)));
        assert!(!peer_applies(choice(Destination::AnthropicTunnel), None));
    }

    #[test]
    fn the_form_becomes_verify_peer_inputs() {
        let form = PeerForm {
            tunnel_domain: " tunnel.example.com ".to_owned(),
            hosts: "a.example.com, alice@example.com b.example.com".to_owned(),
            ..PeerForm::default()
        };
        let tunnel = peer_options(Destination::AnthropicTunnel, &form, now());
        assert_eq!((tunnel.tunnel_domain.as_deref(), tunnel.hosts.len()), (Some("tunnel.example.com"), 0));
        let access = peer_options(Destination::CloudflareAccess, &form, now());
        assert_eq!(
            (access.tunnel_domain, access.hosts, access.emails),
            (None, vec!["a.example.com".to_owned(), "b.example.com".to_owned()], vec!["alice@example.com".to_owned()])
        );
        let input = Input::Text(CA.to_owned());
        assert!(peer_check(&input, choice(Destination::CloudflareAccess), &PeerForm::default(), now()).is_none());
    }

    #[test]
    fn a_leaf_is_tested_against_the_pasted_ca() {
        let form = PeerForm { certificate: LEAF.to_owned(), ..PeerForm::default() };
        let good = Input::Text(CA.to_owned());
        let Some(Ok(report)) = peer_check(&good, choice(Destination::CloudflareAccess), &form, now()) else {
            panic!("no report")
        };
        assert_eq!(report.path.len(), 2, "{:?}", report.diagnostics);
        assert_eq!(
            path_lines(&report).first().map(String::as_str),
            Some("#1 certificate: certcheck rsa-pkcs1-sha256 leaf")
        );
        assert!(path_lines(&report).get(1).is_some_and(|line| line.starts_with("#1 CA: ")));
        // The leaf has no extendedKeyUsage and no SAN: what a client certificate needs is judged.
        assert!(report.diagnostics.iter().all(|d| d.input.is_some()));

        let other = Input::Text(OTHER_CA.to_owned());
        let Some(Ok(unknown)) = peer_check(&other, choice(Destination::CloudflareAccess), &form, now()) else {
            panic!("no report")
        };
        assert!(unknown.path.is_empty());
        assert_eq!(unknown.verdict.name(), "error");
        assert_eq!(peer_headline(&unknown), "Would be refused");
        assert!(unknown.diagnostics.iter().any(|d| d.finding.code() == "peer.unknown_ca"));
        assert_eq!(input_name(Some(InputKind::Key)), "key");
    }
}
