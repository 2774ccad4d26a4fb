//! One X.509 certificate: strict parsing with x509-cert (BER repaired with a note), then every
//! field of the report read from the DER, plus the facts the rules need.

use der::Decode;
use serde::Serialize;
use x509_cert::certificate::{CertificateInner, Raw};

use std::rc::Rc;

use crate::ber;
use crate::der_walk::{Tlv, is_oid, oid_to_dotted, tag};
use crate::fingerprint::{FingerprintHex, Fingerprints, Spellings, hex};
use crate::names;
use crate::public_key::{self, KeyInfo, PublicKey};
use crate::time::{UnixTime, days_from_civil};

/// One entry of the report's `certificates` (docs/REPORT.md's contract).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    /// Position among certificates.
    pub index: usize,
    /// The PEM block it came from (0 for DER input).
    pub block: usize,
    /// Subject, RFC 4514 order (`CN=…,O=…`).
    pub subject: String,
    /// Issuer, same spelling.
    pub issuer: String,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// notBefore (serialized as RFC 3339).
    pub not_before: UnixTime,
    /// notAfter (serialized as RFC 3339).
    pub not_after: UnixTime,
    /// basicConstraints CA:TRUE.
    pub is_ca: bool,
    /// Subject equals issuer, the key identifiers agree, and the certificate's own key verifies
    /// its signature.
    pub self_signed: bool,
    /// It names itself as its issuer (subject equals issuer as DER, the key identifiers agree),
    /// whether or not its signature verifies: a root, or a certificate posing as one.
    pub self_issued: bool,
    /// The certificate of the same input named as its issuer (subject and key identifiers on
    /// DER; among several, the one whose key verifies the signature), if any; `None` for a
    /// self-issued certificate.
    pub issuer_index: Option<usize>,
    /// What verified this certificate's signature: the issuer at that index, `self` (its own
    /// key), or `None` when nothing in the input did (issuer absent, signature invalid, or an
    /// algorithm certcheck cannot verify).
    pub verified_by: Option<VerifiedBy>,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u64>,
    /// The subject public key.
    pub key: KeyInfo,
    /// OpenSSL name of the signature algorithm.
    pub signature_algorithm: String,
    /// subjectKeyIdentifier, lowercase hex.
    pub subject_key_id: Option<String>,
    /// authorityKeyIdentifier keyIdentifier, lowercase hex.
    pub authority_key_id: Option<String>,
    /// subjectAltName entries (`DNS:…`, `IP Address:…`, `email:…`, `URI:…`).
    pub san: Vec<String>,
    /// keyUsage bits by RFC 5280 name.
    pub key_usage: Vec<String>,
    /// extendedKeyUsage purposes.
    pub extended_key_usage: Vec<String>,
    /// Digests of the original bytes.
    pub fingerprints: FingerprintHex,
    /// Vendor spellings.
    pub spellings: Spellings,
}

/// What verified a certificate's signature (serialized as the issuer's index, or `"self"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerifiedBy {
    /// The certificate at this index of the same input.
    Issuer(usize),
    /// Its own public key: a self-signed certificate.
    SelfSigned,
}

impl Serialize for VerifiedBy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Issuer(index) => serializer.serialize_u64(*index as u64),
            Self::SelfSigned => serializer.serialize_str("self"),
        }
    }
}

/// A subjectAltName entry a TLS name is matched against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AltName {
    /// dNSName.
    Dns(String),
    /// iPAddress: 4 or 16 octets.
    Ip(Vec<u8>),
    /// rfc822Name: an email address.
    Email(String),
}

/// One extension as encoded (its OID's contents and its value: spans of the certificate's DER).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Extension {
    oid: Span,
    critical: bool,
    value: Span,
}

/// Where a part of a certificate lies in its DER: facts point into the one copy of the bytes
/// instead of holding their own (a certificate's parts were ~700 bytes and a dozen allocations).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The span of `part`, a subslice of `whole` (empty if it is not one).
    fn locate(whole: &[u8], part: &[u8]) -> Self {
        let start = part.as_ptr().addr().checked_sub(whole.as_ptr().addr());
        let span = start.and_then(|start| {
            let end = start.checked_add(part.len()).filter(|&end| end <= whole.len())?;
            Some(Self { start: u32::try_from(start).ok()?, end: u32::try_from(end).ok()? })
        });
        span.unwrap_or_default()
    }
}

/// Facts the rules read, beyond what the report shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The DER the facts were read from, shared with the analysis's list of certificates (the
    /// repaired encoding when the original was BER); the byte fields are spans of it.
    der: Rc<[u8]>,
    pub(crate) fingerprints: Fingerprints,
    pub(crate) version: u8,
    pub(crate) basic_constraints: Option<(bool, bool)>,
    pub(crate) key_usage_present: bool,
    subject: Span,
    issuer: Span,
    subject_key_id: Option<Span>,
    authority_key_id: Option<Span>,
    pub(crate) not_before: UnixTime,
    pub(crate) not_after: UnixTime,
    pub(crate) generalized_before_2050: Vec<&'static str>,
    serial: Span,
    inner_signature: Span,
    outer_signature: Span,
    pub(crate) inner_signature_name: String,
    pub(crate) outer_signature_name: String,
    extensions: Vec<Extension>,
    pub(crate) public_key: PublicKey,
    /// The SubjectPublicKeyInfo as encoded (what verifies the certificates this one issued).
    spki: Span,
    /// Offset of the first BER encoding, when the DER had to be repaired.
    pub(crate) not_der: Option<usize>,
}

/// A certificate that could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Inspected {
    pub(crate) info: CertificateInfo,
    pub(crate) facts: Facts,
}

/// Why a certificate could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParseFailure {
    pub(crate) offset: Option<usize>,
    pub(crate) reason: String,
}

// Extension OIDs as their DER contents octets (compared as bytes: no dotted text per extension).
/// 2.5.29.19
pub(crate) const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];
/// 2.5.29.15
pub(crate) const KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x0F];
/// 2.5.29.37
pub(crate) const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x25];
/// 2.5.29.14
pub(crate) const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1D, 0x0E];
/// 2.5.29.35
pub(crate) const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1D, 0x23];
/// 2.5.29.17
pub(crate) const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
/// 2.5.29.30
pub(crate) const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x1E];

/// Extensions whose criticality a path validator here can honour.
const UNDERSTOOD: &[&[u8]] = &[
    BASIC_CONSTRAINTS,
    KEY_USAGE,
    EXTENDED_KEY_USAGE,
    SUBJECT_KEY_ID,
    AUTHORITY_KEY_ID,
    SUBJECT_ALT_NAME,
    &[0x55, 0x1D, 0x12], // 2.5.29.18 issuerAltName
    NAME_CONSTRAINTS,
    &[0x55, 0x1D, 0x1F],                               // 2.5.29.31 cRLDistributionPoints
    &[0x55, 0x1D, 0x20],                               // 2.5.29.32 certificatePolicies
    &[0x55, 0x1D, 0x21],                               // 2.5.29.33 policyMappings
    &[0x55, 0x1D, 0x24],                               // 2.5.29.36 policyConstraints
    &[0x55, 0x1D, 0x36],                               // 2.5.29.54 inhibitAnyPolicy
    &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01], // 1.3.6.1.5.5.7.1.1 authorityInfoAccess
];

/// Reads a certificate from exactly these bytes.
pub(crate) fn inspect(original: &Rc<[u8]>, index: usize, block: usize) -> Result<Inspected, ParseFailure> {
    let strict = CertificateInner::<Raw>::from_der(original);
    let (der, not_der) = match strict {
        Ok(_) => (Rc::clone(original), None),
        Err(error) => {
            let repaired = ber::to_der(original).filter(|(der, _)| CertificateInner::<Raw>::from_der(der).is_ok());
            match repaired {
                Some((der, offset)) => (Rc::from(der), Some(offset)),
                None => {
                    return Err(ParseFailure {
                        offset: error.position().and_then(|p| usize::try_from(u32::from(p)).ok()),
                        reason: describe(error),
                    });
                }
            }
        }
    };
    let fingerprints = Fingerprints::of(original);
    let mut facts = read_facts(der, fingerprints).ok_or_else(|| ParseFailure {
        offset: None,
        reason: "the certificate structure is not the RFC 5280 shape".to_owned(),
    })?;
    facts.not_der = not_der.or(facts.not_der);
    let info = describe_certificate(&facts, index, block);
    Ok(Inspected { info, facts })
}

fn describe(error: der::Error) -> String {
    let kind = error.kind();
    let text = kind.to_string();
    match kind {
        der::ErrorKind::Incomplete { .. } => format!("the data ends early ({text}): the certificate is truncated"),
        der::ErrorKind::TrailingData { .. } => format!("{text} after the certificate"),
        _ => text,
    }
}

fn read_facts(shared: Rc<[u8]>, fingerprints: Fingerprints) -> Option<Facts> {
    let der: &[u8] = &shared;
    let span = |part: &[u8]| Span::locate(der, part);
    let certificate = Tlv::parse_exact(der)?;
    let [tbs, outer_signature] = certificate.first_children()?;
    let (tbs, outer_signature) = (tbs?, outer_signature?);
    let mut fields = tbs.child_list()?.into_iter().peekable();
    // DEFAULT values written out are BER, not DER (X.690 11.5); x509-cert accepts them.
    let mut explicit_default = None;
    let version = match fields.peek() {
        Some(first) if first.tag == tag::CONTEXT_0 => {
            let explicit = fields.next()?;
            let integer = explicit.children().next()?;
            let version = integer.value.last().copied().unwrap_or(0);
            if version == 0 {
                explicit_default.get_or_insert(explicit.offset);
            }
            version
        }
        _ => 0,
    };
    let serial = fields.next()?;
    let inner_signature = fields.next()?;
    let issuer = fields.next()?;
    let [not_before, not_after] = fields.next()?.first_children()?;
    let subject = fields.next()?;
    let spki = fields.next()?;
    let mut extensions = Vec::new();
    for field in fields {
        if field.tag == tag::CONTEXT_3 {
            let list = field.children().next()?;
            for extension in list.child_list()? {
                let [oid, second, third] = extension.first_children()?;
                let oid = oid?.value;
                // Only a well-formed OID (what the dotted writer accepts) makes an extension.
                if !is_oid(oid) {
                    return None;
                }
                let (critical, value) = match (second, third) {
                    (Some(flag), Some(value)) if flag.tag == tag::BOOLEAN => {
                        if flag.value == [0] {
                            explicit_default.get_or_insert(flag.offset);
                        }
                        (flag.value != [0], value)
                    }
                    (Some(value), None) => (false, value),
                    _ => return None,
                };
                extensions.push(Extension { oid: span(oid), critical, value: span(value.value) });
            }
        }
    }
    let (not_before, before_generalized) = read_time(&not_before?)?;
    let (not_after, after_generalized) = read_time(&not_after?)?;
    let mut generalized_before_2050 = Vec::new();
    if before_generalized && not_before.to_civil().0 < 2050 {
        generalized_before_2050.push("notBefore");
    }
    if after_generalized && not_after.to_civil().0 < 2050 {
        generalized_before_2050.push("notAfter");
    }
    let find = |oid: &[u8]| extensions.iter().find(|e| e.oid.of(der) == oid).map(|e| (e.value.of(der), e.critical));
    let basic_constraints =
        find(BASIC_CONSTRAINTS).map(|(value, critical)| (read_basic_constraints(value).0, critical));
    let subject_key_id = find(SUBJECT_KEY_ID).and_then(|(value, _)| Tlv::parse_exact(value)).map(|t| span(t.value));
    let authority_key_id = find(AUTHORITY_KEY_ID).and_then(|(value, _)| read_authority_key_id(value)).map(span);
    let algorithm_name = |alg: &Tlv<'_>| {
        alg.first_children()
            .and_then(|[oid]| oid.and_then(|o| oid_to_dotted(o.value)))
            .map(|d| names::signature_name(&d))
            .unwrap_or_default()
    };
    let public_key = public_key::parse_spki(spki.raw)?;
    Some(Facts {
        fingerprints,
        version,
        basic_constraints,
        key_usage_present: find(KEY_USAGE).is_some(),
        subject: span(subject.raw),
        issuer: span(issuer.raw),
        subject_key_id,
        authority_key_id,
        not_before,
        not_after,
        generalized_before_2050,
        serial: span(serial.value),
        inner_signature_name: algorithm_name(&inner_signature),
        outer_signature_name: algorithm_name(&outer_signature),
        inner_signature: span(inner_signature.raw),
        outer_signature: span(outer_signature.raw),
        public_key,
        spki: span(spki.raw),
        extensions,
        not_der: explicit_default,
        der: shared,
    })
}

fn read_time(time: &Tlv<'_>) -> Option<(UnixTime, bool)> {
    let text = core::str::from_utf8(time.value).ok()?;
    let digits = |range: core::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse().ok() };
    let (year, rest, generalized) = match time.tag {
        0x17 => {
            let short = digits(0..2)?;
            (if short >= 50 { 1900 + short } else { 2000 + short }, 2, false)
        }
        0x18 => (digits(0..4)?, 4, true),
        _ => return None,
    };
    let month = digits(rest..rest + 2)?;
    let day = digits(rest + 2..rest + 4)?;
    let hour = digits(rest + 4..rest + 6)?;
    let minute = digits(rest + 6..rest + 8)?;
    let second = digits(rest + 8..rest + 10).unwrap_or(0);
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some((UnixTime(seconds), generalized))
}

/// `(cA, pathLenConstraint)` of a basicConstraints value.
fn read_basic_constraints(value: &[u8]) -> (bool, Option<u64>) {
    let Some(fields) = Tlv::parse_exact(value).and_then(|t| t.child_list()) else { return (false, None) };
    let mut ca = false;
    let mut path_len = None;
    for field in fields {
        match field.tag {
            tag::BOOLEAN => ca = field.value != [0],
            tag::INTEGER => {
                path_len = field
                    .unsigned_integer()
                    .filter(|m| m.len() <= 8)
                    .map(|m| m.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)));
            }
            _ => {}
        }
    }
    (ca, path_len)
}

fn read_authority_key_id(value: &[u8]) -> Option<&[u8]> {
    let sequence = Tlv::parse_exact(value)?;
    sequence.child_list()?.into_iter().find(|f| f.tag == 0x80).map(|f| f.value)
}

const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

/// One keyUsage bit (RFC 5280 4.2.1.3), by its position in the BIT STRING.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyUsage {
    DigitalSignature = 0,
    KeyCertSign = 5,
}

/// The keyUsage bits a certificate asserts, as flags; their names only when serialized.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyUsages(u16);

impl KeyUsages {
    fn read(value: &[u8]) -> Self {
        let Some(bits) = Tlv::parse_exact(value).filter(|t| t.tag == tag::BIT_STRING) else { return Self(0) };
        let octets = bits.value.get(1..).unwrap_or_default();
        let mut flags = 0u16;
        for i in 0..KEY_USAGE_NAMES.len() {
            if octets.get(i / 8).is_some_and(|o| o & (0x80 >> (i % 8)) != 0) {
                flags |= 1 << i;
            }
        }
        Self(flags)
    }

    /// Whether the bit is set.
    pub(crate) fn has(self, usage: KeyUsage) -> bool {
        self.0 & (1 << usage as u16) != 0
    }

    /// RFC 5280's names of the bits set, in bit order (the report's `key_usage`).
    fn names(self) -> Vec<String> {
        KEY_USAGE_NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, name)| (*name).to_owned())
            .collect()
    }
}

/// An extendedKeyUsage purpose, by OID; its name only when serialized or written in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyPurpose {
    /// id-kp-serverAuth (1.3.6.1.5.5.7.3.1).
    ServerAuth,
    /// id-kp-clientAuth (1.3.6.1.5.5.7.3.2).
    ClientAuth,
    /// anyExtendedKeyUsage (2.5.29.37.0).
    Any,
    /// Any other purpose, dotted.
    Other(String),
}

impl KeyPurpose {
    fn from_dotted(dotted: &str) -> Self {
        match dotted {
            "1.3.6.1.5.5.7.3.1" => Self::ServerAuth,
            "1.3.6.1.5.5.7.3.2" => Self::ClientAuth,
            "2.5.29.37.0" => Self::Any,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name of the two purposes a destination asks for, for messages.
    pub(crate) fn asked_name(&self) -> &'static str {
        match self {
            Self::ServerAuth => "serverAuth",
            Self::ClientAuth => "clientAuth",
            Self::Any => "anyExtendedKeyUsage",
            Self::Other(_) => "another purpose",
        }
    }

    /// The name OpenSSL prints (`serverAuth`, `clientAuth`, `anyExtendedKeyUsage`, a known name,
    /// else the dotted OID).
    pub fn name(&self) -> String {
        match self {
            Self::ServerAuth => "serverAuth".to_owned(),
            Self::ClientAuth => "clientAuth".to_owned(),
            Self::Any => "anyExtendedKeyUsage".to_owned(),
            Self::Other(dotted) => names::key_purpose_name(dotted),
        }
    }
}

fn read_extended_key_usage(value: &[u8]) -> Vec<KeyPurpose> {
    Tlv::parse_exact(value)
        .and_then(|t| t.child_list())
        .unwrap_or_default()
        .iter()
        .filter_map(|oid| oid_to_dotted(oid.value))
        .map(|d| KeyPurpose::from_dotted(&d))
        .collect()
}

fn read_subject_alt_names(value: &[u8]) -> Vec<String> {
    let Some(list) = Tlv::parse_exact(value).and_then(|t| t.child_list()) else { return Vec::new() };
    list.iter()
        .map(|name| {
            let text = || String::from_utf8_lossy(name.value).into_owned();
            match name.tag {
                0x81 => format!("email:{}", text()),
                0x82 => format!("DNS:{}", text()),
                0x86 => format!("URI:{}", text()),
                0x87 => format!("IP Address:{}", ip_address(name.value)),
                0xA4 => format!("DirName:{}", names::render_name(name.value)),
                0x88 => format!("Registered ID:{}", oid_to_dotted(name.value).unwrap_or_default()),
                0xA0 => "othername:<unsupported>".to_owned(),
                other => format!("[{other:#04x}]:{}", hex(name.value)),
            }
        })
        .collect()
}

fn ip_address(octets: &[u8]) -> String {
    match octets.len() {
        4 => octets.iter().map(u8::to_string).collect::<Vec<_>>().join("."),
        16 => {
            let mut address = [0u8; 16];
            address.copy_from_slice(octets);
            core::net::Ipv6Addr::from(address).to_string()
        }
        _ => hex(octets),
    }
}

/// Lowercase hex of a serial's magnitude (OpenSSL drops the sign octet).
pub(crate) fn serial_hex(raw: &[u8]) -> String {
    match raw {
        [0, rest @ ..] if !rest.is_empty() => hex(rest),
        _ => hex(raw),
    }
}

impl Span {
    /// These bytes of `whole` (empty if the span is not inside it).
    fn of(self, whole: &[u8]) -> &[u8] {
        let range = usize::try_from(self.start).ok().zip(usize::try_from(self.end).ok());
        range.and_then(|(start, end)| whole.get(start..end)).unwrap_or_default()
    }
}

impl Facts {
    fn bytes(&self, span: Span) -> &[u8] {
        span.of(&self.der)
    }

    /// The subject Name as encoded.
    pub(crate) fn subject_der(&self) -> &[u8] {
        self.bytes(self.subject)
    }

    /// The issuer Name as encoded.
    pub(crate) fn issuer_der(&self) -> &[u8] {
        self.bytes(self.issuer)
    }

    /// The subjectKeyIdentifier's octets.
    pub(crate) fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.map(|span| self.bytes(span))
    }

    /// The authorityKeyIdentifier's keyIdentifier octets.
    pub(crate) fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.map(|span| self.bytes(span))
    }

    /// The serial number's contents octets.
    pub(crate) fn serial_raw(&self) -> &[u8] {
        self.bytes(self.serial)
    }

    /// The signature AlgorithmIdentifier inside tbsCertificate, as encoded.
    pub(crate) fn inner_signature(&self) -> &[u8] {
        self.bytes(self.inner_signature)
    }

    /// The signatureAlgorithm outside tbsCertificate, as encoded.
    pub(crate) fn outer_signature(&self) -> &[u8] {
        self.bytes(self.outer_signature)
    }

    /// The SubjectPublicKeyInfo as encoded.
    pub(crate) fn spki(&self) -> &[u8] {
        self.bytes(self.spki)
    }

    pub(crate) fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|(ca, _)| ca) && self.version >= 2
    }

    /// Subject equals issuer and the key identifiers agree: it names itself as its issuer.
    pub(crate) fn self_issued(&self) -> bool {
        let ids_agree = match (self.subject_key_id(), self.authority_key_id()) {
            (Some(subject), Some(authority)) => subject == authority,
            _ => true,
        };
        self.subject_der() == self.issuer_der() && ids_agree
    }

    /// Subject equals issuer (RFC 5280 6.1: self-issued, whatever the keys): such an
    /// intermediate counts toward no pathLenConstraint and is exempt from name constraints.
    pub(crate) fn same_subject_and_issuer(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }

    /// The value of the first extension with this OID.
    pub(crate) fn extension(&self, oid: &[u8]) -> Option<&[u8]> {
        self.extension_marked(oid).map(|(value, _)| value)
    }

    /// The value of the first extension with this OID, and whether it is marked critical.
    pub(crate) fn extension_marked(&self, oid: &[u8]) -> Option<(&[u8], bool)> {
        self.extensions.iter().find(|e| self.bytes(e.oid) == oid).map(|e| (self.bytes(e.value), e.critical))
    }

    /// basicConstraints' pathLenConstraint, if any.
    pub(crate) fn path_len(&self) -> Option<u64> {
        self.extension(BASIC_CONSTRAINTS).and_then(|value| read_basic_constraints(value).1)
    }

    /// Whether its keyUsage allows signing certificates (absent, or with keyCertSign).
    pub(crate) fn may_sign_certificates(&self) -> bool {
        !self.key_usage_present || self.key_usage().has(KeyUsage::KeyCertSign)
    }

    /// The subjectAltName's dNSName and iPAddress entries, as encoded (RFC 5280 4.2.1.6).
    pub(crate) fn alt_names(&self) -> Option<Vec<AltName>> {
        let extension = self.extension(SUBJECT_ALT_NAME)?;
        let list = Tlv::parse_exact(extension).and_then(|t| t.child_list()).unwrap_or_default();
        Some(
            list.iter()
                .filter_map(|name| match name.tag {
                    0x82 => Some(AltName::Dns(String::from_utf8_lossy(name.value).into_owned())),
                    0x87 => Some(AltName::Ip(name.value.to_vec())),
                    0x81 => Some(AltName::Email(String::from_utf8_lossy(name.value).into_owned())),
                    _ => None,
                })
                .collect(),
        )
    }

    pub(crate) fn key_usage(&self) -> KeyUsages {
        self.extension(KEY_USAGE).map(KeyUsages::read).unwrap_or_default()
    }

    pub(crate) fn extended_key_usage(&self) -> Option<Vec<KeyPurpose>> {
        self.extension(EXTENDED_KEY_USAGE).map(read_extended_key_usage)
    }

    /// The first repeated extension, if any.
    pub(crate) fn duplicate_extension(&self) -> Option<String> {
        self.extensions
            .iter()
            .enumerate()
            .find(|(i, e)| self.extensions.iter().skip(i + 1).any(|later| self.bytes(later.oid) == self.bytes(e.oid)))
            .and_then(|(_, e)| oid_to_dotted(self.bytes(e.oid)))
    }

    /// The first critical extension a verifier here cannot honour.
    pub(crate) fn unknown_critical_extension(&self) -> Option<String> {
        self.extensions
            .iter()
            .find(|e| e.critical && !UNDERSTOOD.contains(&self.bytes(e.oid)))
            .and_then(|e| oid_to_dotted(self.bytes(e.oid)))
    }
}

fn describe_certificate(facts: &Facts, index: usize, block: usize) -> CertificateInfo {
    let path_len = facts.path_len();
    CertificateInfo {
        index,
        block,
        subject: names::render_name(facts.subject_der()),
        issuer: names::render_name(facts.issuer_der()),
        serial: serial_hex(facts.serial_raw()),
        not_before: facts.not_before,
        not_after: facts.not_after,
        is_ca: facts.is_ca(),
        self_signed: false,
        self_issued: false,
        issuer_index: None,
        verified_by: None,
        path_len,
        key: facts.public_key.info.clone(),
        signature_algorithm: facts.outer_signature_name.clone(),
        subject_key_id: facts.subject_key_id().map(hex),
        authority_key_id: facts.authority_key_id().map(hex),
        san: facts.extension(SUBJECT_ALT_NAME).map(read_subject_alt_names).unwrap_or_default(),
        key_usage: facts.key_usage().names(),
        extended_key_usage: facts.extended_key_usage().unwrap_or_default().iter().map(KeyPurpose::name).collect(),
        fingerprints: facts.fingerprints.to_hex(),
        spellings: facts.fingerprints.spellings(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_oids_are_the_named_ones() {
        let named = [
            (BASIC_CONSTRAINTS, "2.5.29.19"),
            (KEY_USAGE, "2.5.29.15"),
            (EXTENDED_KEY_USAGE, "2.5.29.37"),
            (SUBJECT_KEY_ID, "2.5.29.14"),
            (AUTHORITY_KEY_ID, "2.5.29.35"),
            (SUBJECT_ALT_NAME, "2.5.29.17"),
        ];
        for (der, dotted) in named {
            assert_eq!(oid_to_dotted(der).as_deref(), Some(dotted));
        }
        let understood: Vec<String> = UNDERSTOOD.iter().filter_map(|der| oid_to_dotted(der)).collect();
        let expected = [
            "2.5.29.19",
            "2.5.29.15",
            "2.5.29.37",
            "2.5.29.14",
            "2.5.29.35",
            "2.5.29.17",
            "2.5.29.18",
            "2.5.29.30",
            "2.5.29.31",
            "2.5.29.32",
            "2.5.29.33",
            "2.5.29.36",
            "2.5.29.54",
            "1.3.6.1.5.5.7.1.1",
        ];
        assert_eq!(understood, expected);
    }

    #[test]
    fn spans_locate_subslices_and_nothing_else() {
        let whole = [1u8, 2, 3, 4, 5];
        let span = Span::locate(&whole, whole.get(1..4).unwrap_or_default());
        assert_eq!(span.of(&whole), &[2, 3, 4]);
        assert_eq!(Span::locate(&whole, &[2, 3]).of(&whole), &[] as &[u8], "not a subslice");
        assert_eq!(span.of(&[9]), &[] as &[u8], "a span outside the bytes reads as empty");
    }
}
