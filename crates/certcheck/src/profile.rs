//! The certificate profiles a verifier may hold a `verify` path to, beyond RFC 5280 section 6:
//! the MUSTs of RFC 5280 section 4 on every certificate of the path (the criticality an
//! extension must have, a CA's non-empty subject, a well-formed authorityInfoAccess, key
//! identifiers on every certificate a CA issued), and, for a server certificate, the CA/Browser
//! Forum Baseline Requirements' profile (the common name a copy of a subjectAltName entry, the
//! extendedKeyUsage's shape, a root's extensions, RSA moduli a multiple of 8 bits, RSA or ECDSA
//! keys). pyca/cryptography enforces them, OpenSSL under `-x509_strict` many of them; where a
//! verifier the vendor runs might, `verify` refuses (a verdict is never more lenient than the
//! verifier it predicts).

use crate::certificate::{
    AUTHORITY_KEY_ID, AltName, BASIC_CONSTRAINTS, EXTENDED_KEY_USAGE, Facts, SUBJECT_ALT_NAME, SUBJECT_KEY_ID,
};
use crate::der_walk::{Tlv, tag};
use crate::diagnostic::{Finding, KeyIdProblem, ProfileProblem};

/// authorityInfoAccess, 1.3.6.1.5.5.7.1.1.
const AUTHORITY_INFO_ACCESS: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
/// policyConstraints, 2.5.29.36.
const POLICY_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x24];
/// commonName, 2.5.4.3.
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// What the path `path` (presented certificate first, anchor last, each issued by the next)
/// breaks of the profiles, as (position on the path, finding). `server`: the presented
/// certificate is a TLS server's, so the CA/Browser Forum profile applies too.
pub(crate) fn path_findings(path: &[&Facts], server: bool) -> Vec<(usize, Finding)> {
    let mut found = Vec::new();
    let subject_of = |facts: &Facts| crate::names::render_name(facts.subject_der());
    let last = path.len().saturating_sub(1);
    for (position, &facts) in path.iter().enumerate() {
        let mut profile = |problem: ProfileProblem| {
            found.push((position, Finding::PeerProfile { subject: subject_of(facts), problem }));
        };
        let issues = position > 0;
        let leaf = position == 0;
        // RFC 5280 section 4.2: the criticality some extensions must have.
        let marked = |oid: &[u8]| facts.extension_marked(oid).map(|(_, critical)| critical);
        let mut criticality = |extension: &'static str, critical: bool, rule: &'static str| {
            profile(ProfileProblem::Criticality { extension, critical, rule });
        };
        if marked(AUTHORITY_KEY_ID) == Some(true) {
            criticality("authorityKeyIdentifier", true, "RFC 5280 4.2.1.1: MUST be non-critical");
        }
        if marked(SUBJECT_KEY_ID) == Some(true) {
            criticality("subjectKeyIdentifier", true, "RFC 5280 4.2.1.2: MUST be non-critical");
        }
        if marked(AUTHORITY_INFO_ACCESS) == Some(true) {
            criticality("authorityInfoAccess", true, "RFC 5280 4.2.2.1: MUST be non-critical");
        }
        if marked(POLICY_CONSTRAINTS) == Some(false) {
            criticality("policyConstraints", false, "RFC 5280 4.2.1.11: MUST be critical");
        }
        if issues && facts.is_ca() && marked(BASIC_CONSTRAINTS) == Some(false) {
            criticality("basicConstraints", false, "RFC 5280 4.2.1.9: MUST be critical in a CA certificate");
        }
        let empty_subject = Tlv::parse_exact(facts.subject_der()).is_none_or(|name| name.value.is_empty());
        match marked(SUBJECT_ALT_NAME) {
            Some(false) if empty_subject => {
                criticality("subjectAltName", false, "RFC 5280 4.2.1.6: MUST be critical when the subject is empty")
            }
            Some(true) if server && leaf && !empty_subject => criticality(
                "subjectAltName",
                true,
                "CA/Browser Forum BR 7.1.2.7.12: MUST NOT be critical when the subject is not empty",
            ),
            _ => {}
        }
        if server && leaf && marked(EXTENDED_KEY_USAGE) == Some(true) {
            criticality("extendedKeyUsage", true, "CA/Browser Forum BR 7.1.2.7.6: MUST NOT be critical");
        }
        // RFC 5280 4.1.2.6: a CA's subject is not empty.
        if issues && empty_subject {
            profile(ProfileProblem::EmptyCaSubject);
        }
        // RFC 5280 4.2.2.1: AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription.
        if let Some(value) = facts.extension(AUTHORITY_INFO_ACCESS)
            && let Some(reason) = aia_problem(value)
        {
            profile(ProfileProblem::Malformed { extension: "authorityInfoAccess", reason });
        }
        // The key the presented certificate signs the handshake with.
        let algorithm = facts.public_key.info.algorithm.as_str();
        let usable = matches!(algorithm, "RSA" | "EC") || (!server && algorithm == "Ed25519");
        if leaf && !usable {
            profile(ProfileProblem::KeyAlgorithm { algorithm: algorithm.to_owned(), server });
        }
        if !server {
            continue;
        }
        // CA/Browser Forum BR 6.1.5: an RSA modulus is a multiple of 8 bits.
        if algorithm == "RSA"
            && let Some(bits) = facts.public_key.info.bits.filter(|bits| bits % 8 != 0)
        {
            profile(ProfileProblem::RsaModulus { bits });
        }
        if leaf {
            // BR 7.1.2.7.10: anyExtendedKeyUsage MUST NOT be present.
            if facts.extended_key_usage().is_some_and(|purposes| purposes.iter().any(|p| p == "anyExtendedKeyUsage")) {
                profile(ProfileProblem::AnyExtendedKeyUsage);
            }
            // BR 7.1.4.3: a commonName is a copy of a subjectAltName entry. Held to it: a
            // commonName that names a host or an address, as a verifier that still reads the CN
            // would take it (a label such as "gateway" names nothing a verifier would match).
            if let Some(names) = facts.alt_names() {
                for common_name in common_names(facts).into_iter().filter(|cn| names_a_host(cn)) {
                    if !names.iter().any(|name| copies(&common_name, name)) {
                        profile(ProfileProblem::CommonNameNotInSan { common_name });
                    }
                }
            }
        }
        if position == last && position > 0 && facts.same_subject_and_issuer() {
            // BR 7.1.2.1.2: a root has no extendedKeyUsage.
            if facts.extension(EXTENDED_KEY_USAGE).is_some() {
                profile(ProfileProblem::RootExtendedKeyUsage);
            }
            // BR 7.1.2.1.3: a root's authorityKeyIdentifier, if any, is its keyIdentifier only.
            if let Some(value) = facts.extension(AUTHORITY_KEY_ID)
                && let Some(problem) = root_aki_problem(value, facts.subject_key_id())
            {
                found.push((position, Finding::PeerKeyIdentifier { subject: subject_of(facts), problem }));
            }
        }
    }
    // RFC 5280 4.2.1.1 and 4.2.1.2: every certificate a CA issued names the CA's key by an
    // authorityKeyIdentifier, and every CA carries a subjectKeyIdentifier. The presented
    // certificate's own are peer.authority_key_id's usual findings (peer.rs).
    for (position, &facts) in path.iter().enumerate() {
        let subject = || crate::names::render_name(facts.subject_der());
        // The anchor is given, not issued on the path: RFC 5280 6.1 takes a trust anchor as input
        // (limbo's cve-2024-0567 anchors at a cross-signed root without authorityKeyIdentifier
        // and expects the path to verify).
        if position > 0 && position < last && !facts.self_issued() && facts.authority_key_id().is_none() {
            found.push((
                position,
                Finding::PeerKeyIdentifier { subject: subject(), problem: KeyIdProblem::NoAuthorityKeyId },
            ));
        }
        let leaf_names_it = position == 1 && path.first().is_some_and(|leaf| leaf.authority_key_id().is_some());
        if position > 0 && !leaf_names_it && facts.subject_key_id().is_none() {
            found.push((
                position,
                Finding::PeerKeyIdentifier { subject: subject(), problem: KeyIdProblem::NoSubjectKeyId },
            ));
        }
    }
    found
}

/// Why an authorityInfoAccess value is not an AuthorityInfoAccessSyntax, if it is not.
fn aia_problem(value: &[u8]) -> Option<&'static str> {
    let Some(list) = Tlv::parse_exact(value).filter(|t| t.tag == tag::SEQUENCE).and_then(|t| t.child_list()) else {
        return Some("not a DER SEQUENCE");
    };
    if list.is_empty() {
        return Some("no AccessDescription (SIZE (1..MAX))");
    }
    let well_formed = list.iter().all(|description| {
        description.tag == tag::SEQUENCE
            && description.first_two_children().is_some_and(|(method, location)| {
                method.tag == tag::OID
                    && description.child_list().is_some_and(|c| c.len() == 2)
                    && location.tag & 0x80 != 0
            })
    });
    (!well_formed).then_some("an AccessDescription is not an accessMethod OID and an accessLocation GeneralName")
}

/// What is wrong with a self-signed root's authorityKeyIdentifier under the CA/Browser Forum
/// profile (BR 7.1.2.1.3), if anything.
fn root_aki_problem(value: &[u8], subject_key_id: Option<&[u8]>) -> Option<KeyIdProblem> {
    let fields = Tlv::parse_exact(value).and_then(|t| t.child_list()).unwrap_or_default();
    let key_id = fields.iter().find(|f| f.tag == 0x80).map(|f| f.value);
    if fields.iter().any(|f| f.tag == 0xA1) {
        return Some(KeyIdProblem::RootAuthorityKeyId {
            reason: "it has authorityCertIssuer, which MUST NOT be present",
        });
    }
    if fields.iter().any(|f| f.tag == 0x82) {
        return Some(KeyIdProblem::RootAuthorityKeyId {
            reason: "it has authorityCertSerialNumber, which MUST NOT be present",
        });
    }
    match (key_id, subject_key_id) {
        (None, _) => {
            Some(KeyIdProblem::RootAuthorityKeyId { reason: "its keyIdentifier, which MUST be present, is missing" })
        }
        (Some(key_id), Some(ski)) if key_id != ski => Some(KeyIdProblem::RootAuthorityKeyId {
            reason: "its keyIdentifier is not the root's subjectKeyIdentifier, which it MUST be",
        }),
        _ => None,
    }
}

/// The subject's commonName values.
fn common_names(facts: &Facts) -> Vec<String> {
    let rdns = Tlv::parse_exact(facts.subject_der()).and_then(|t| t.child_list()).unwrap_or_default();
    let mut names = Vec::new();
    for rdn in rdns {
        for attribute in rdn.child_list().unwrap_or_default() {
            let Some((oid, value)) = attribute.first_two_children() else { continue };
            if oid.tag == tag::OID && oid.value == COMMON_NAME {
                names.push(crate::names::string_value(&value).map(|text| text.into_owned()).unwrap_or_default());
            }
        }
    }
    names
}

/// Whether a commonName reads as a host name or an address: no space, and a dot or a colon (a
/// domain name, dotted or IPv6 text), or a number as inet_aton reads an IPv4 address (`0x…`,
/// digits).
fn names_a_host(common_name: &str) -> bool {
    let number = |text: &str| {
        text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).map_or_else(
            || !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()),
            |hex| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        )
    };
    !common_name.contains(char::is_whitespace)
        && (common_name.contains('.') || common_name.contains(':') || number(common_name))
}

/// Whether `common_name` is a character-for-character copy of `name` (a dNSName as written; an
/// address as RFC 3986 3.2.2 writes IPv4 and RFC 5952 IPv6), as BR 7.1.4.3 requires.
fn copies(common_name: &str, name: &AltName) -> bool {
    match name {
        AltName::Dns(dns) => dns == common_name,
        AltName::Ip(octets) => {
            match (<[u8; 4]>::try_from(octets.as_slice()), <[u8; 16]>::try_from(octets.as_slice())) {
                (Ok(v4), _) => core::net::Ipv4Addr::from(v4).to_string() == common_name,
                (_, Ok(v6)) => core::net::Ipv6Addr::from(v6).to_string() == common_name,
                _ => false,
            }
        }
        AltName::Email(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_common_name_copies_a_name_only_as_the_canonical_text() {
        let dns = AltName::Dns("example.com".to_owned());
        assert!(copies("example.com", &dns));
        assert!(!copies("Example.COM", &dns));
        let v4 = AltName::Ip(vec![192, 168, 1, 1]);
        assert!(copies("192.168.1.1", &v4));
        assert!(!copies("192.168.001.001", &v4));
        assert!(!copies("0xC0A80101", &v4));
        let v6 = AltName::Ip(vec![0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(copies("2001:db8::1", &v6));
        assert!(!copies("2001:DB8::1", &v6));
        assert!(!copies("2001:0db8:0000:0000:0000:0000:0000:0001", &v6));
    }

    #[test]
    fn only_a_common_name_that_names_a_host_or_an_address_is_held_to_the_names() {
        for host in ["example.com", "192.168.001.001", "0xC0A80101", "3232235777", "2001:DB8::1", "test-測試.com"] {
            assert!(names_a_host(host), "{host}");
        }
        for label in ["gateway", "My Server", "x509-limbo-intermediate-pathlen-0", "alice@example com", ""] {
            assert!(!names_a_host(label), "{label}");
        }
    }

    #[test]
    fn a_roots_authority_key_identifier_is_its_key_identifier_alone() {
        let ski = [1u8, 2, 3];
        // SEQUENCE { [0] 01 02 03 }
        assert_eq!(root_aki_problem(&[0x30, 0x05, 0x80, 0x03, 1, 2, 3], Some(&ski)), None);
        let other = root_aki_problem(&[0x30, 0x05, 0x80, 0x03, 9, 9, 9], Some(&ski));
        assert!(
            matches!(other, Some(KeyIdProblem::RootAuthorityKeyId { reason }) if reason.contains("not the root's"))
        );
        // SEQUENCE { [2] 01 }: a serial number, no keyIdentifier.
        let serial = root_aki_problem(&[0x30, 0x03, 0x82, 0x01, 0x01], Some(&ski));
        assert!(matches!(serial, Some(KeyIdProblem::RootAuthorityKeyId { reason }) if reason.contains("SerialNumber")));
        let empty = root_aki_problem(&[0x30, 0x00], Some(&ski));
        assert!(matches!(empty, Some(KeyIdProblem::RootAuthorityKeyId { reason }) if reason.contains("missing")));
    }

    #[test]
    fn an_aia_is_one_or_more_access_descriptions() {
        assert_eq!(aia_problem(&[0x30, 0x00]), Some("no AccessDescription (SIZE (1..MAX))"));
        assert_eq!(aia_problem(&[0x04, 0x00]), Some("not a DER SEQUENCE"));
        // caIssuers, URI "a"
        let good =
            [0x30, 0x0F, 0x30, 0x0D, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02, 0x86, 0x01, b'a'];
        assert_eq!(aia_problem(&good), None);
    }
}
