//! Name constraints (RFC 5280 4.2.1.10 and 6.1.3 (b), (c)) as the verifiers the vendors run apply
//! them: a CA's permitted and excluded subtrees of DNS names, IP ranges, email addresses, URIs
//! and directory names, checked against the subjectAltName (and the subject, for directory names
//! and emailAddress attributes) of every certificate below it on the path. Anything certcheck
//! cannot evaluate is a refusal, never a pass: a malformed or empty extension, a name of a form
//! it does not compare under a constraint of that form, a name that is not well formed under a
//! constraint of its type, more comparisons than [`Budget`] allows. Criticality is not required
//! (Go, OpenSSL and rustls-webpki enforce non-critical constraints too). A dNSName constraint
//! with a leading period is refused as malformed, as rustls-webpki and pyca/cryptography refuse
//! it (Go and OpenSSL read it as "subdomains only"): when verifiers differ, the stricter one.

use crate::certificate::{Facts, NAME_CONSTRAINTS, SUBJECT_ALT_NAME};
use crate::der_walk::Tlv;
use crate::diagnostic::NameConstraintProblem;

/// Comparisons of one name against one constraint allowed for a whole path (rustls-webpki
/// caps them the same way, against the name-constraint denial-of-service cases).
pub(crate) const COMPARISON_BUDGET: usize = 100_000;

/// Comparisons left.
#[derive(Debug)]
pub(crate) struct Budget(pub(crate) usize);

/// One GeneralName (RFC 5280 4.2.1.6), as encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum General<'a> {
    Email(&'a [u8]),
    Dns(&'a [u8]),
    Uri(&'a [u8]),
    Ip(&'a [u8]),
    /// A Name, as encoded (the SEQUENCE of RDNs).
    Directory(&'a [u8]),
    /// The subject's commonName of an end entity without a DNS name in its subjectAltName, when
    /// it looks like a host name: OpenSSL checks it against dNSName constraints.
    CommonName(&'a [u8]),
    /// otherName, x400Address, ediPartyName, registeredID: by tag.
    Other(u8),
}

impl<'a> General<'a> {
    fn read(name: &Tlv<'a>) -> Self {
        match name.tag {
            0x81 => Self::Email(name.value),
            0x82 => Self::Dns(name.value),
            0x86 => Self::Uri(name.value),
            0x87 => Self::Ip(name.value),
            0xA4 => Tlv::parse_exact(name.value).map_or(Self::Other(name.tag), |inner| Self::Directory(inner.raw)),
            other => Self::Other(other),
        }
    }

    /// The form's name, as in the message.
    fn form(self) -> &'static str {
        match self {
            Self::Email(_) => "rfc822Name",
            Self::Dns(_) => "dNSName",
            Self::Uri(_) => "uniformResourceIdentifier",
            Self::Ip(_) => "iPAddress",
            Self::Directory(_) => "directoryName",
            Self::CommonName(_) => "commonName",
            Self::Other(0xA0) => "otherName",
            Self::Other(0x88) => "registeredID",
            Self::Other(_) => "x400Address or ediPartyName",
        }
    }

    fn same_form(self, other: Self) -> bool {
        match (self, other) {
            (Self::Other(a), Self::Other(b)) => a == b,
            (Self::CommonName(_), Self::Dns(_)) | (Self::Dns(_), Self::CommonName(_)) => true,
            _ => core::mem::discriminant(&self) == core::mem::discriminant(&other),
        }
    }

    /// As shown in a message.
    fn render(self) -> String {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        match self {
            Self::Email(v) => format!("email:{}", text(v)),
            Self::Dns(v) => format!("DNS:{}", text(v)),
            Self::Uri(v) => format!("URI:{}", text(v)),
            Self::Ip(v) => format!("IP:{}", render_ip(v)),
            Self::Directory(v) => format!("DirName:{}", crate::names::render_name(v)),
            Self::CommonName(v) => format!("CN:{}", text(v)),
            Self::Other(_) => self.form().to_owned(),
        }
    }
}

fn render_ip(octets: &[u8]) -> String {
    let address = |part: &[u8]| match part.len() {
        4 => <[u8; 4]>::try_from(part).map(|v4| core::net::Ipv4Addr::from(v4).to_string()).unwrap_or_default(),
        16 => <[u8; 16]>::try_from(part).map(|v6| core::net::Ipv6Addr::from(v6).to_string()).unwrap_or_default(),
        _ => crate::fingerprint::hex(part),
    };
    match octets.len() {
        8 | 32 => {
            let (base, mask) = octets.split_at(octets.len() / 2);
            let prefix: u32 = mask.iter().map(|b| b.count_ones()).sum();
            format!("{}/{prefix}", address(base))
        }
        _ => address(octets),
    }
}

/// A CA's name constraints, read.
#[derive(Debug)]
pub(crate) struct Constraints<'a> {
    permitted: Vec<General<'a>>,
    excluded: Vec<General<'a>>,
}

/// Reads the nameConstraints of `ca` (critical or not: verifiers enforce both): `Ok(None)`
/// without one, `Err` for one a verifier must refuse (malformed, empty, a subtree with minimum
/// or maximum, a constraint that is not well formed for its form).
pub(crate) fn read(ca: &Facts) -> Result<Option<Constraints<'_>>, NameConstraintProblem> {
    let Some(value) = ca.extension(NAME_CONSTRAINTS) else { return Ok(None) };
    let malformed = |reason: &str| NameConstraintProblem::Malformed { reason: reason.to_owned() };
    // RFC 5280 4.2.1.10 says conforming CAs MUST mark it critical, but Go, OpenSSL and
    // rustls-webpki enforce it either way (and the CA/Browser Forum allowed it non-critical):
    // enforced whatever its criticality, never refused for it.
    let sequence = Tlv::parse_exact(value).ok_or_else(|| malformed("the extension is not DER"))?;
    let parts = sequence.child_list().ok_or_else(|| malformed("the extension is not DER"))?;
    let mut constraints = Constraints { permitted: Vec::new(), excluded: Vec::new() };
    let mut any = false;
    for part in parts {
        let list = match part.tag {
            0xA0 => &mut constraints.permitted,
            0xA1 => &mut constraints.excluded,
            _ => return Err(malformed("an unknown field")),
        };
        let subtrees = part.child_list().ok_or_else(|| malformed("the subtrees are not DER"))?;
        if subtrees.is_empty() {
            return Err(malformed("an empty list of subtrees (RFC 5280 4.2.1.10: MUST NOT be empty)"));
        }
        for subtree in subtrees {
            let fields = subtree.child_list().ok_or_else(|| malformed("a subtree is not DER"))?;
            let mut fields = fields.iter();
            let base = fields.next().ok_or_else(|| malformed("a subtree without a name"))?;
            if fields.next().is_some() {
                return Err(malformed("a subtree with minimum or maximum (RFC 5280 4.2.1.10: MUST NOT be used)"));
            }
            let base = General::read(base);
            if let Some(reason) = ill_formed_constraint(base) {
                return Err(NameConstraintProblem::Malformed { reason: format!("{}: {reason}", base.render()) });
            }
            list.push(base);
            any = true;
        }
    }
    if !any {
        return Err(malformed("neither permitted nor excluded subtrees (RFC 5280 4.2.1.10: MUST NOT be empty)"));
    }
    Ok(Some(constraints))
}

/// Why a constraint cannot be evaluated, if it cannot.
fn ill_formed_constraint(constraint: General<'_>) -> Option<&'static str> {
    match constraint {
        General::Dns([]) => None,
        // A leading period is not in RFC 5280 for dNSName: rustls-webpki and pyca/cryptography
        // refuse it, Go and OpenSSL read it as "subdomains only".
        General::Dns(value) => {
            let text = core::str::from_utf8(value).ok()?;
            if text.starts_with('.') {
                return Some(
                    "a dNSName constraint with a leading period, which RFC 5280 4.2.1.10 does not allow (rustls-webpki and pyca/cryptography refuse it; Go and OpenSSL read it as subdomains only)",
                );
            }
            (!is_dns_name(text, false)).then_some("not a DNS name")
        }
        General::Ip(value) => match value.len() {
            8 | 32 => {
                let (_, mask) = value.split_at(value.len() / 2);
                // Ones, then zeros: the count of ones equals the leading ones of the whole mask.
                let ones: u32 = mask.iter().map(|b| b.count_ones()).sum();
                let mut leading = 0;
                for &byte in mask {
                    leading += byte.leading_ones();
                    if byte != 0xFF {
                        break;
                    }
                }
                (ones != leading).then_some("the mask is not a prefix")
            }
            _ => Some("an iPAddress constraint is an address and a mask (8 or 32 octets)"),
        },
        General::Email(value) => {
            let text = core::str::from_utf8(value).ok()?;
            let host = match text.split_once('@') {
                Some((local, host)) if !local.is_empty() && !host.contains('@') => host,
                Some(_) => return Some("not an email address"),
                None => text.strip_prefix('.').unwrap_or(text),
            };
            (!is_dns_name(host, false)).then_some("the host is not a DNS name")
        }
        General::Uri(value) => {
            let text = core::str::from_utf8(value).ok()?;
            (!is_dns_name(text.strip_prefix('.').unwrap_or(text), false)).then_some("a URI constraint is a host name")
        }
        // Forms certcheck does not compare: a name of that form under them is refused (check).
        General::Directory(_) | General::CommonName(_) | General::Other(_) => None,
    }
    .or_else(|| match constraint {
        General::Dns(value) | General::Email(value) | General::Uri(value) if core::str::from_utf8(value).is_err() => {
            Some("not ASCII")
        }
        _ => None,
    })
}

/// Whether `text` is a host name (letters, digits, hyphens, labels of 1-63; `*.` first where
/// `wildcard`), case-insensitive, an optional trailing dot.
fn is_dns_name(text: &str, wildcard: bool) -> bool {
    let text = text.strip_suffix('.').unwrap_or(text);
    let text = if wildcard { text.strip_prefix("*.").unwrap_or(text) } else { text };
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Whether the certificate carries nameConstraints (only a CA may: RFC 5280 4.2.1.10).
pub(crate) fn present(facts: &Facts) -> bool {
    facts.extension(NAME_CONSTRAINTS).is_some()
}

/// The names of `subject` that `constraints` apply to: its subjectAltName, its subject (a
/// directoryName, when not empty) and the subject's emailAddress attributes (RFC 5280
/// 4.2.1.10, rfc822Name); for an end entity without a DNS name in its subjectAltName, a
/// commonName that looks like a host name (OpenSSL's check_name_constraints does so).
fn names_of(subject: &Facts, end_entity: bool) -> Result<Vec<General<'_>>, NameConstraintProblem> {
    let mut common_names = Vec::new();
    let mut names = Vec::new();
    let subject_der = subject.subject_der();
    if let Some(rdns) = Tlv::parse_exact(subject_der).and_then(|t| t.child_list()) {
        if !rdns.is_empty() {
            names.push(General::Directory(subject_der));
        }
        for rdn in rdns {
            for attribute in rdn.child_list().unwrap_or_default() {
                let Some([Some(oid), Some(value)]) = attribute.first_children() else { continue };
                // 1.2.840.113549.1.9.1 emailAddress
                if oid.value == [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01] {
                    names.push(General::Email(value.value));
                }
                // 2.5.4.3 commonName
                let host_like =
                    core::str::from_utf8(value.value).is_ok_and(|t| t.contains('.') && is_dns_name(t, false));
                if oid.value == [0x55, 0x04, 0x03] && host_like {
                    common_names.push(General::CommonName(value.value));
                }
            }
        }
    }
    if let Some(value) = subject.extension(SUBJECT_ALT_NAME) {
        let list = Tlv::parse_exact(value)
            .and_then(|t| t.child_list())
            .ok_or_else(|| NameConstraintProblem::Malformed { reason: "the subjectAltName is not DER".to_owned() })?;
        names.extend(list.iter().map(General::read));
    }
    if end_entity && !names.iter().any(|name| matches!(name, General::Dns(_))) {
        names.extend(common_names);
    }
    Ok(names)
}

/// Checks `subject`'s names against `constraints` (`end_entity`: the presented certificate).
pub(crate) fn check(
    constraints: &Constraints<'_>,
    subject: &Facts,
    end_entity: bool,
    budget: &mut Budget,
) -> Result<(), NameConstraintProblem> {
    for name in names_of(subject, end_entity)? {
        let permitted: Vec<General<'_>> = constraints.permitted.iter().copied().filter(|c| c.same_form(name)).collect();
        let excluded = constraints.excluded.iter().copied().filter(|c| c.same_form(name));
        let spend = |budget: &mut Budget| -> Result<(), NameConstraintProblem> {
            budget.0 = budget.0.checked_sub(1).ok_or(NameConstraintProblem::TooComplex { limit: COMPARISON_BUDGET })?;
            Ok(())
        };
        let constrained = !permitted.is_empty() || constraints.excluded.iter().any(|c| c.same_form(name));
        if !constrained {
            continue;
        }
        if let General::Other(_) = name {
            return Err(NameConstraintProblem::Unchecked { name: name.render() });
        }
        if !well_formed(name) {
            return Err(NameConstraintProblem::Unchecked { name: name.render() });
        }
        for constraint in excluded {
            spend(budget)?;
            if matches(name, constraint, true) {
                return Err(NameConstraintProblem::Excluded { name: name.render(), constraint: constraint.render() });
            }
        }
        if !permitted.is_empty() {
            let mut any = false;
            for constraint in &permitted {
                spend(budget)?;
                if matches(name, *constraint, false) {
                    any = true;
                    break;
                }
            }
            if !any {
                return Err(NameConstraintProblem::NotPermitted {
                    name: name.render(),
                    permitted: permitted.iter().map(|c| c.render()).collect(),
                });
            }
        }
    }
    Ok(())
}

/// Whether a presented name is well formed enough to be compared.
fn well_formed(name: General<'_>) -> bool {
    match name {
        General::Dns(value) => core::str::from_utf8(value).is_ok_and(|text| is_dns_name(text, true)),
        General::Ip(value) => matches!(value.len(), 4 | 16),
        General::Email(value) => core::str::from_utf8(value)
            .ok()
            .and_then(|text| text.rsplit_once('@'))
            .is_some_and(|(local, host)| !local.is_empty() && !local.contains('@') && is_dns_name(host, false)),
        General::Uri(value) => {
            core::str::from_utf8(value).ok().and_then(uri_host).is_some_and(|h| is_dns_name(h, false))
        }
        General::Directory(_) | General::CommonName(_) => true,
        General::Other(_) => false,
    }
}

/// The host of an absolute URI with an authority (`scheme://[userinfo@]host[:port]/…`).
fn uri_host(uri: &str) -> Option<&str> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Whether `name` is within `constraint`'s subtree. For an excluded constraint a wildcard DNS
/// name counts as within when any name it covers would be (CVE-2025-61727).
fn matches(name: General<'_>, constraint: General<'_>, excluded: bool) -> bool {
    let lower = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_ascii_lowercase();
    match (name, constraint) {
        (General::Dns(name) | General::CommonName(name), General::Dns(constraint)) => {
            let (name, constraint) = (lower(name), lower(constraint));
            let name = name.trim_end_matches('.');
            let constraint = constraint.trim_end_matches('.');
            // `.example.com`: strictly under example.com.
            let (constraint, strictly) = match constraint.strip_prefix('.') {
                Some(parent) => (parent, true),
                None => (constraint, false),
            };
            let under = |name: &str| within(name, constraint) && !(strictly && name == constraint);
            match name.strip_prefix("*.") {
                // Every name the wildcard covers is strictly under `parent`.
                Some(parent) if excluded => {
                    within(parent, constraint) || (within(constraint, parent) && !(strictly && constraint == parent))
                }
                Some(parent) => within(parent, constraint),
                None => under(name),
            }
        }
        (General::Ip(address), General::Ip(range)) => {
            let (base, mask) = range.split_at(range.len() / 2);
            address.len() == base.len() && address.iter().zip(base).zip(mask).all(|((a, b), m)| a & m == b & m)
        }
        (General::Email(address), General::Email(constraint)) => {
            let (address, constraint) = (String::from_utf8_lossy(address), String::from_utf8_lossy(constraint));
            let Some((local, host)) = address.rsplit_once('@') else { return false };
            let host = host.to_ascii_lowercase();
            match constraint.split_once('@') {
                Some((constraint_local, constraint_host)) => {
                    local == constraint_local && host == constraint_host.to_ascii_lowercase()
                }
                None => host_matches(&host, &constraint.to_ascii_lowercase()),
            }
        }
        (General::Uri(uri), General::Uri(constraint)) => {
            let uri = String::from_utf8_lossy(uri);
            uri_host(&uri).is_some_and(|host| host_matches(&host.to_ascii_lowercase(), &lower(constraint)))
        }
        (General::Directory(name), General::Directory(constraint)) => rdn_prefix(name, constraint),
        _ => false,
    }
}

/// `.example.com`: any host under it; `example.com`: that host only.
fn host_matches(host: &str, constraint: &str) -> bool {
    match constraint.strip_prefix('.') {
        Some(parent) => host.strip_suffix(parent).is_some_and(|rest| rest.ends_with('.') && rest.len() > 1),
        None => host == constraint,
    }
}

/// Whether DNS name `name` equals `parent` or lies under it (an empty `parent` holds every name).
fn within(name: &str, parent: &str) -> bool {
    parent.is_empty()
        || name == parent
        || name.strip_suffix(parent).is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
}

/// Whether Name `constraint`'s RDNs begin Name `name`'s: attribute by attribute, the same type
/// and the same value, strings compared as OpenSSL canonicalizes them (whatever the string type,
/// ASCII case and runs of spaces folded).
fn rdn_prefix(name: &[u8], constraint: &[u8]) -> bool {
    fn children(der: &[u8]) -> Vec<Tlv<'_>> {
        Tlv::parse_exact(der).and_then(|t| t.child_list()).unwrap_or_default()
    }
    fn canonical(value: &Tlv<'_>) -> Option<String> {
        // UTF8String, PrintableString, TeletexString, IA5String
        let text = matches!(value.tag, 0x0C | 0x13 | 0x14 | 0x16).then(|| core::str::from_utf8(value.value).ok())??;
        Some(text.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase())
    }
    fn same_attribute(a: &Tlv<'_>, b: &Tlv<'_>) -> bool {
        match (a.first_children(), b.first_children()) {
            (Some([Some(a_type), Some(a_value)]), Some([Some(b_type), Some(b_value)])) => {
                a_type.raw == b_type.raw
                    && match (canonical(&a_value), canonical(&b_value)) {
                        (Some(a), Some(b)) => a == b,
                        _ => a_value.raw == b_value.raw,
                    }
            }
            _ => a.raw == b.raw,
        }
    }
    let (name, constraint) = (children(name), children(constraint));
    constraint.len() <= name.len()
        && constraint.iter().zip(&name).all(|(c, n)| {
            let (c, n) = (c.child_list().unwrap_or_default(), n.child_list().unwrap_or_default());
            c.len() == n.len() && c.iter().zip(&n).all(|(a, b)| same_attribute(a, b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_subtrees_hold_the_name_and_its_subdomains_and_wildcards_are_judged_by_what_they_cover() {
        let dns = |name: &'static str| General::Dns(name.as_bytes());
        assert!(matches(dns("a.example.com"), dns("example.com"), false));
        assert!(matches(dns("Example.COM."), dns("example.com"), false));
        assert!(!matches(dns("badexample.com"), dns("example.com"), false));
        assert!(matches(dns("anything.org"), dns(""), false));
        assert!(matches(dns("*.example.com"), dns("example.com"), false));
        assert!(!matches(dns("*.example.com"), dns("foo.example.com"), false));
        assert!(matches(dns("*.example.com"), dns("foo.example.com"), true));
        assert!(!matches(dns("*.example.org"), dns("foo.example.com"), true));
        // A leading period: subdomains only (Go, OpenSSL).
        assert!(matches(dns("a.example.com"), dns(".example.com"), false));
        assert!(!matches(dns("example.com"), dns(".example.com"), false));
        // … but such a constraint is refused, as rustls-webpki and pyca/cryptography refuse it.
        assert!(ill_formed_constraint(dns(".example.com")).is_some_and(|reason| reason.contains("leading period")));
        assert_eq!(ill_formed_constraint(dns("*.example.com")), Some("not a DNS name"));
    }

    #[test]
    fn ip_ranges_emails_and_uris() {
        let range = General::Ip(&[192, 0, 2, 0, 255, 255, 255, 0]);
        assert!(matches(General::Ip(&[192, 0, 2, 10]), range, false));
        assert!(!matches(General::Ip(&[192, 0, 3, 10]), range, false));
        assert_eq!(render_ip(&[192, 0, 2, 0, 255, 255, 255, 0]), "192.0.2.0/24");
        assert_eq!(
            ill_formed_constraint(General::Ip(&[192, 0, 2, 0, 255, 0, 255, 0])),
            Some("the mask is not a prefix")
        );
        let email = |text: &'static str| General::Email(text.as_bytes());
        assert!(matches(email("a@example.com"), email("example.com"), false));
        assert!(!matches(email("a@sub.example.com"), email("example.com"), false));
        assert!(matches(email("a@sub.example.com"), email(".example.com"), false));
        assert!(matches(email("a@Example.com"), email("a@example.com"), false));
        assert!(!matches(email("b@example.com"), email("a@example.com"), false));
        assert!(ill_formed_constraint(email("invalid@invalid@example.com")).is_some());
        assert_eq!(uri_host("https://user@host.example.com:8443/x"), Some("host.example.com"));
        assert!(matches(General::Uri(b"https://a.example.com/"), General::Uri(b".example.com"), false));
        assert!(!matches(General::Uri(b"https://example.com/"), General::Uri(b".example.com"), false));
    }
}
