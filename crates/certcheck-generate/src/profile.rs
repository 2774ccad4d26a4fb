//! The three profiles: what goes into a CA, a server and a client certificate, and the
//! certificate's assembly and signature.

use der::asn1::{Ia5String, OctetString, Utf8StringRef};
use der::oid::ObjectIdentifier;
use der::{Any, Decode, Encode};
use rand_core::CryptoRng;
use sha1::{Digest, Sha1};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::{Name, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use certcheck::{Destination, Severity, UnixTime};

use crate::keys::{KeyPair, KeyType};
use crate::{CaOptions, Error, Issuer, LeafKind, LeafOptions};

/// A CA's default validity: five years.
pub const DEFAULT_CA_DAYS: u32 = 5 * 365 + 1;
/// A server or client certificate's default validity: 397 days (the CA/B Forum's ceiling).
pub const DEFAULT_LEAF_DAYS: u32 = 397;
/// The most days certcheck writes (a hundred years).
const MAX_DAYS: u32 = 36_525;
/// notBefore is this much before the time given, so a peer whose clock is a little behind
/// accepts a certificate made a moment ago.
const BACKDATE_SECONDS: i64 = 300;
const DAY: i64 = 86_400;

const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

/// Refuses a key type the destination's rules refuse or warn about, with that rule's code and
/// reason (the rule lives in the core's table; nothing is re-decided here).
pub(crate) fn key_type_allowed(key_type: KeyType, destination: Destination) -> Result<(), Error> {
    if key_type != KeyType::Ed25519 {
        return Ok(());
    }
    let code = "cert.key_algorithm";
    match certcheck::rule(code) {
        Some(rule) if rule.severity(destination.profile()).is_some_and(|s| s >= Severity::Warning) => Err(Error::new(
            code,
            format!(
                "{} keys are refused for {}: {} Use p256, p384 or rsa2048/3072/4096.",
                key_type.algorithm(),
                destination.name(),
                rule.description
            ),
        )),
        _ => Err(Error::new("new.key_type", "certcheck does not make Ed25519 keys")),
    }
}

/// The subject and issuer names and the extensions of one certificate, for x509-cert's builder.
struct Plan {
    subject: Name,
    issuer: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for Plan {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _spk: spki::SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: spki::SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

fn encoding(e: impl core::fmt::Display) -> Error {
    Error::new("new.encoding", format!("the certificate could not be encoded: {e}"))
}

fn extension<T: Encode>(oid: ObjectIdentifier, critical: bool, value: &T) -> Result<Extension, Error> {
    let der = value.to_der().map_err(encoding)?;
    Ok(Extension { extn_id: oid, critical, extn_value: OctetString::new(der).map_err(encoding)? })
}

fn common_name(text: &str) -> Result<Name, Error> {
    if text.trim() != text || text.is_empty() || text.chars().count() > 64 || text.chars().any(char::is_control) {
        return Err(Error::new(
            "new.name",
            format!(
                "{text:?} cannot be a common name: 1 to 64 characters (RFC 5280 ub-common-name), no control characters, no spaces at either end"
            ),
        ));
    }
    let value = Any::encode_from(&Utf8StringRef::new(text).map_err(encoding)?).map_err(encoding)?;
    let rdn = RelativeDistinguishedName::try_from(vec![AttributeTypeAndValue { oid: CN, value }]).map_err(encoding)?;
    Name::from_der(&vec![rdn].to_der().map_err(encoding)?).map_err(encoding)
}

/// RFC 5280 method 1: SHA-1 of the subjectPublicKey bits.
fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    Sha1::digest(spki.subject_public_key.raw_bytes()).to_vec()
}

fn serial<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<SerialNumber, Error> {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    // Positive (high bit clear) and exactly 16 octets (second-highest bit set): RFC 5280 4.1.2.2.
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(encoding)
}

fn time(at: i64) -> Result<Time, Error> {
    let seconds = u64::try_from(at).map_err(|_| Error::new("new.days", "a certificate cannot start before 1970"))?;
    let date = der::DateTime::from_unix_duration(core::time::Duration::from_secs(seconds))
        .map_err(|_| Error::new("new.days", "a certificate cannot end after 9999-12-31"))?;
    Ok(Time::GeneralTime(der::asn1::GeneralizedTime::from_date_time(date)))
}

fn unix(time: &Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

fn days(asked: Option<u32>, default: u32) -> Result<i64, Error> {
    match asked.unwrap_or(default) {
        0 => Err(Error::new("new.days", "a certificate valid for 0 days expires as it is made")),
        n if n > MAX_DAYS => {
            Err(Error::new("new.days", format!("{n} days is more than certcheck writes ({MAX_DAYS})")))
        }
        n => Ok(i64::from(n)),
    }
}

fn sign(builder: CertificateBuilder<Plan>, key: &KeyPair) -> Result<Vec<u8>, Error> {
    let certificate = match key {
        KeyPair::P256(key) => builder.build::<_, p256::ecdsa::DerSignature>(key),
        KeyPair::P384(key) => builder.build::<_, p384::ecdsa::DerSignature>(key),
        KeyPair::Rsa(key) => {
            let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.as_ref().clone());
            builder.build::<_, rsa::pkcs1v15::Signature>(&signer)
        }
    }
    .map_err(|e| Error::new("new.signature", format!("signing the certificate failed: {e}")))?;
    certificate.to_der().map_err(encoding)
}

pub(crate) fn ca_certificate<R: CryptoRng + ?Sized>(
    options: &CaOptions,
    key: &KeyPair,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let default_name = || {
        let date = options.now.to_rfc3339();
        format!("certcheck {} CA {}", options.destination.name(), date.get(..10).unwrap_or(&date))
    };
    let name = common_name(&options.name.clone().unwrap_or_else(default_name))?;
    let spki = key.public_key()?;
    let ski = OctetString::new(key_identifier(&spki)).map_err(encoding)?;
    let not_before = options.now.0 - BACKDATE_SECONDS;
    let not_after = options.now.0 + days(options.days, DEFAULT_CA_DAYS)? * DAY;
    let extensions = vec![
        extension(BASIC_CONSTRAINTS, true, &BasicConstraints { ca: true, path_len_constraint: Some(0) })?,
        extension(KEY_USAGE, true, &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign))?,
        extension(SUBJECT_KEY_ID, false, &SubjectKeyIdentifier(ski.clone()))?,
        extension(
            AUTHORITY_KEY_ID,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(ski),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
    ];
    let plan = Plan { subject: name.clone(), issuer: name, extensions };
    let validity = Validity::new(time(not_before)?, time(not_after)?);
    let builder = CertificateBuilder::new(plan, serial(rng)?, validity, spki).map_err(encoding)?;
    sign(builder, key)
}

/// A DNS name certcheck will write: LDH labels of 1–63 characters, 253 at most, at least two
/// labels, lowercase; `*.` only as the whole first label.
fn dns_name(text: &str) -> Result<String, Error> {
    let name = text.trim_end_matches('.').to_ascii_lowercase();
    let body = name.strip_prefix("*.").unwrap_or(&name);
    let labels: Vec<&str> = body.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(Error::new(
            "new.name",
            format!(
                "{text:?} is not a DNS name certcheck can write (letters, digits and hyphens in dot-separated labels; IDNs as xn-- A-labels)"
            ),
        ));
    }
    Ok(name)
}

fn ia5(text: &str, what: &str) -> Result<Ia5String, Error> {
    Ia5String::new(text)
        .map_err(|_| Error::new("new.name", format!("{text:?} cannot be a {what}: ASCII only (IA5String)")))
}

fn alt_names(options: &LeafOptions) -> Result<Vec<GeneralName>, Error> {
    let mut names = Vec::new();
    if let Some(domain) = &options.tunnel_domain {
        let domain = dns_name(domain)?;
        if domain.starts_with("*.") {
            return Err(Error::new("new.name", "give the tunnel domain without `*.`: certcheck writes the wildcard"));
        }
        names.push(GeneralName::DnsName(ia5(&format!("*.{domain}"), "DNS name")?));
    }
    for host in &options.hosts {
        match host.trim_matches(['[', ']']).parse::<core::net::IpAddr>() {
            Ok(ip) => names.push(GeneralName::from(ip)),
            Err(_) => names.push(GeneralName::DnsName(ia5(&dns_name(host)?, "DNS name")?)),
        }
    }
    for email in &options.emails {
        let (local, domain) = email.rsplit_once('@').unwrap_or(("", ""));
        if local.is_empty() || dns_name(domain).is_err() {
            return Err(Error::new("new.name", format!("{email:?} is not an email address (local@domain)")));
        }
        names.push(GeneralName::Rfc822Name(ia5(email, "email address")?));
    }
    for uri in &options.uris {
        if uri.split_once(':').is_none_or(|(scheme, _)| scheme.is_empty()) || uri.contains(char::is_whitespace) {
            return Err(Error::new("new.name", format!("{uri:?} is not a URI (scheme:rest, no spaces)")));
        }
        names.push(GeneralName::UniformResourceIdentifier(ia5(uri, "URI")?));
    }
    let mut seen = Vec::new();
    names.retain(|n| {
        let der = n.to_der().unwrap_or_default();
        let fresh = !seen.contains(&der);
        seen.push(der);
        fresh
    });
    Ok(names)
}

pub(crate) fn leaf_certificate<R: CryptoRng + ?Sized>(
    options: &LeafOptions,
    issuer: &Issuer,
    subject_key: &SubjectPublicKeyInfoOwned,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let names = alt_names(options)?;
    let common = match (options.kind, &options.name, &options.tunnel_domain) {
        (_, Some(name), _) => name.clone(),
        (LeafKind::Server, None, Some(domain)) => format!("*.{}", dns_name(domain)?),
        (LeafKind::Server, None, None) => {
            return Err(Error::new(
                "new.name",
                "a tunnel's server certificate needs the tunnel domain (--tunnel-domain)",
            ));
        }
        (LeafKind::Client, None, _) => {
            return Err(Error::new("new.name", "a client certificate needs the client's name (--name)"));
        }
    };
    let subject = common_name(&common)?;
    let ca = issuer.certificate.tbs_certificate();
    let ca_validity = ca.validity();
    let (ca_start, ca_end) = (unix(&ca_validity.not_before), unix(&ca_validity.not_after));
    let not_before = (options.now.0 - BACKDATE_SECONDS).max(ca_start);
    let not_after = (options.now.0 + days(options.days, DEFAULT_LEAF_DAYS)? * DAY).min(ca_end);
    if not_after <= options.now.0 {
        return Err(Error::new(
            "new.days",
            format!("the CA expired at {}: make a new CA first", UnixTime(ca_end).to_rfc3339()),
        ));
    }
    let ca_spki = ca.subject_public_key_info().clone();
    let aki = OctetString::new(ca_key_identifier(&issuer.certificate).unwrap_or_else(|| key_identifier(&ca_spki)))
        .map_err(encoding)?;
    let rsa = subject_key.algorithm.oid == ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
    let usages = match (options.kind, rsa) {
        (LeafKind::Server, true) => KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
        _ => KeyUsages::DigitalSignature.into(),
    };
    let purpose = match options.kind {
        LeafKind::Server => SERVER_AUTH,
        LeafKind::Client => CLIENT_AUTH,
    };
    let mut extensions = vec![
        extension(BASIC_CONSTRAINTS, true, &BasicConstraints { ca: false, path_len_constraint: None })?,
        extension(KEY_USAGE, true, &KeyUsage(usages))?,
        extension(EXT_KEY_USAGE, false, &ExtendedKeyUsage(vec![purpose]))?,
        extension(
            SUBJECT_KEY_ID,
            false,
            &SubjectKeyIdentifier(OctetString::new(key_identifier(subject_key)).map_err(encoding)?),
        )?,
        extension(
            AUTHORITY_KEY_ID,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(aki),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
    ];
    if !names.is_empty() {
        extensions.push(extension(SUBJECT_ALT_NAME, false, &SubjectAltName(names))?);
    }
    let plan = Plan { subject, issuer: ca.subject().clone(), extensions };
    let validity = Validity::new(time(not_before)?, time(not_after)?);
    let builder = CertificateBuilder::new(plan, serial(rng)?, validity, subject_key.clone()).map_err(encoding)?;
    sign(builder, &issuer.key)
}

/// The CA's own subjectKeyIdentifier, which a certificate it signs must name as its AKI.
fn ca_key_identifier(certificate: &x509_cert::Certificate) -> Option<Vec<u8>> {
    let extensions = certificate.tbs_certificate().extensions()?;
    let ski = extensions.iter().find(|e| e.extn_id == SUBJECT_KEY_ID)?;
    let value = SubjectKeyIdentifier::from_der(ski.extn_value.as_bytes()).ok()?;
    Some(value.0.as_bytes().to_vec())
}

/// The CA certificate must be one: basicConstraints CA:TRUE (the check and verify after
/// signing judge the rest).
pub(crate) fn require_ca(certificate: &x509_cert::Certificate) -> Result<(), Error> {
    let is_ca = certificate
        .tbs_certificate()
        .extensions()
        .and_then(|extensions| extensions.iter().find(|e| e.extn_id == BASIC_CONSTRAINTS))
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca);
    if is_ca {
        Ok(())
    } else {
        Err(Error::new(
            "new.ca_certificate",
            "the CA certificate is not a CA (no basicConstraints CA:TRUE): it cannot sign certificates a verifier accepts",
        ))
    }
}

pub(crate) fn certificate_pem(der: &[u8]) -> String {
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der).unwrap_or_default()
}

/// The first certificate of a file as certcheck's own scanner reads it (PEM, DER, PKCS#7; escapes
/// undone): the DER of the normalized PEM's first block.
pub(crate) fn first_certificate_der(input: &[u8]) -> Result<Vec<u8>, Error> {
    let report = certcheck::inspect(input, UnixTime(0));
    let pem = report.normalized_pem.ok_or_else(|| {
        Error::new(
            "new.ca_certificate",
            "no certificate could be read from the CA certificate file (run `certcheck inspect` on it)",
        )
    })?;
    let end = pem.find("-----END CERTIFICATE-----").map_or(pem.len(), |at| at + "-----END CERTIFICATE-----".len());
    let (_, der) = pem_rfc7468::decode_vec(pem.get(..end).unwrap_or(&pem).as_bytes())
        .map_err(|e| Error::new("new.ca_certificate", format!("the CA certificate cannot be re-read: {e}")))?;
    Ok(der)
}
