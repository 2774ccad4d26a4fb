//! certcheck makes the CA and certificates each destination accepts, right by construction.
//!
//! Three profiles of its own (x509-cert's CA/B Forum profiles do not fit these uses):
//! - **CA** ([`new_ca`]) for `anthropic-tunnel`, `cloudflare-access` and `cloudflare-mtls`:
//!   basicConstraints critical CA:TRUE pathLen 0, keyUsage critical keyCertSign + cRLSign, SKI,
//!   AKI = SKI, a random positive 16-octet serial, five years by default.
//! - **Server** ([`new_leaf`] with [`LeafKind::Server`]) for `anthropic-tunnel`: SAN
//!   `*.<tunnel-domain>` and any more names asked for, EKU serverAuth, keyUsage critical
//!   digitalSignature (+ keyEncipherment for RSA), CA:FALSE, AKI = the CA's SKI, signed by the CA
//!   directly, 397 days by default and never outside the CA's validity.
//! - **Client** ([`new_leaf`] with [`LeafKind::Client`]) for `cloudflare-access` and
//!   `cloudflare-mtls`: EKU clientAuth, the subject and optional SAN (DNS, email, URI) given.
//!
//! Every artifact is checked before it is returned: the CA by `certcheck::check` for its
//! destination, a leaf by `check` and by `certcheck::verify_peer` against its CA. Any error or
//! warning refuses the artifact ([`Error`] carries the diagnostics). The clock and the random
//! source are parameters: nothing here reads the system clock (it panics in wasm32), and tests
//! are deterministic with a seeded generator. [`SystemRandom`] is the operating system's (or the
//! browser's) random source.
#![forbid(unsafe_code)]

mod keys;
mod profile;
mod request;

use certcheck::{Destination, Diagnostic, Options, PeerOptions, PeerReport, Report, Severity, UnixTime};
use rand_core::CryptoRng;
use serde::Serialize;

pub use keys::{KeyPair, KeyType, PBKDF2_ITERATIONS, decrypted_key_der, decrypted_key_pem, private_key_pem};
pub use profile::{DEFAULT_CA_DAYS, DEFAULT_LEAF_DAYS};
pub use request::read_request;

/// The operating system's random source (the browser's `crypto.getRandomValues` in wasm32);
/// panics only if the platform has none, which certcheck's targets always have.
pub type SystemRandom = rand_core::UnwrapErr<getrandom::SysRng>;

/// A new [`SystemRandom`].
pub fn system_random() -> SystemRandom {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// Why certcheck refuses to make an artifact, as data: a stable code (`new.*`, or the rule's code
/// when a destination's rule refuses, e.g. `cert.key_algorithm`), one sentence, and the
/// diagnostics of the check that refused a made artifact.
#[derive(Clone, Debug, Serialize)]
pub struct Error {
    /// Stable code.
    pub code: &'static str,
    /// One sentence with the why and what to do.
    pub message: String,
    /// The check's or verify's diagnostics when a made artifact did not pass (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Error {
        Error { code, message: message.into(), diagnostics: Vec::new() }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} [{}]", self.message, self.code)?;
        for d in &self.diagnostics {
            write!(f, "\n  {} [{}]", d.message, d.finding.code())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// What to make a CA for.
#[derive(Clone, Debug)]
pub struct CaOptions {
    /// Where the CA will be uploaded.
    pub destination: Destination,
    /// The CA's common name; default `certcheck <destination> CA <date>`.
    pub name: Option<String>,
    /// Days of validity; default [`DEFAULT_CA_DAYS`].
    pub days: Option<u32>,
    /// The CA's key type.
    pub key_type: KeyType,
    /// The time the certificate is made at (its notBefore is five minutes earlier, for clock skew).
    pub now: UnixTime,
}

/// Which end of the TLS connection a certificate identifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LeafKind {
    /// A TLS server (the tunnel's certificate for `anthropic-tunnel`).
    Server,
    /// A TLS client (Cloudflare Access and account mTLS).
    Client,
}

impl LeafKind {
    /// The kind of certificate a CA uploaded to `destination` verifies; `None` for Gateway (it
    /// makes its own).
    pub fn for_destination(destination: Destination) -> Option<LeafKind> {
        match destination {
            Destination::AnthropicTunnel => Some(LeafKind::Server),
            Destination::CloudflareAccess | Destination::CloudflareMtls { .. } => Some(LeafKind::Client),
            _ => None,
        }
    }

    /// `server` or `client`.
    pub fn name(self) -> &'static str {
        match self {
            LeafKind::Server => "server",
            LeafKind::Client => "client",
        }
    }
}

/// What to make a server or client certificate for.
#[derive(Clone, Debug)]
pub struct LeafOptions {
    /// The destination whose CA verifies this certificate.
    pub destination: Destination,
    /// Server or client; must be what the destination verifies.
    pub kind: LeafKind,
    /// `anthropic-tunnel`: the tunnel's domain `D`; the certificate names `*.D`.
    pub tunnel_domain: Option<String>,
    /// The subject's common name (a client's identity; default for a server: `*.D`).
    pub name: Option<String>,
    /// More subjectAltName entries: DNS names or IP addresses.
    pub hosts: Vec<String>,
    /// subjectAltName email addresses (RFC 822 names).
    pub emails: Vec<String>,
    /// subjectAltName URIs.
    pub uris: Vec<String>,
    /// Days of validity; default [`DEFAULT_LEAF_DAYS`], never past the CA's notAfter.
    pub days: Option<u32>,
    /// The key type made when no request is given.
    pub key_type: KeyType,
    /// A certificate request (PEM or DER) whose key the certificate certifies instead of a new
    /// key; its signature is verified. Its subject and extensions are not copied.
    pub request: Option<Vec<u8>>,
    /// The time the certificate is made at.
    pub now: UnixTime,
}

/// A CA that signs: its certificate and its private key.
pub struct Issuer {
    certificate: x509_cert::Certificate,
    der: Vec<u8>,
    key: KeyPair,
}

impl Issuer {
    /// Reads the CA certificate (PEM or DER; the first certificate when several) and its key
    /// ([`KeyPair::read`]), and proves they belong together.
    ///
    /// # Errors
    /// `new.ca_certificate` when no certificate can be read or it is not a CA, `new.ca_key` /
    /// `key.encrypted` / `new.passphrase` for the key, `key.mismatch` when the key is not the
    /// certificate's.
    pub fn read(certificate: &[u8], key: &[u8], passphrase: Option<&[u8]>) -> Result<Issuer, Error> {
        let der = profile::first_certificate_der(certificate)?;
        let key = KeyPair::read(key, passphrase)?;
        Issuer::new(der, key)
    }

    /// An issuer from a certificate's DER and its key.
    ///
    /// # Errors
    /// As [`Issuer::read`].
    pub fn new(der: Vec<u8>, key: KeyPair) -> Result<Issuer, Error> {
        use der::Decode;
        let certificate = x509_cert::Certificate::from_der(&der).map_err(|e| {
            Error::new("new.ca_certificate", format!("the CA certificate is not a valid X.509 certificate: {e}"))
        })?;
        let spki = keys::spki_der(&key.public_key()?)?;
        let cert_spki = keys::spki_der(&certificate.tbs_certificate().subject_public_key_info().clone())?;
        if spki != cert_spki {
            return Err(Error::new(
                "key.mismatch",
                "the CA key is not the CA certificate's key: give the key the CA was made with",
            ));
        }
        profile::require_ca(&certificate)?;
        Ok(Issuer { certificate, der, key })
    }

    /// The CA's key, given back.
    pub fn into_key(self) -> KeyPair {
        self.key
    }

    /// The CA certificate as PEM.
    pub fn certificate_pem(&self) -> String {
        profile::certificate_pem(&self.der)
    }
}

/// What certcheck made, with the proof.
pub struct Made {
    /// The certificate, PEM (LF line endings).
    pub certificate_pem: String,
    /// The certificate, DER.
    pub certificate_der: Vec<u8>,
    /// The new private key; `None` when the certificate certifies a request's key.
    pub key: Option<KeyPair>,
    /// `check` of the certificate: for a CA with its destination's rules, for a leaf as inspected
    /// (for a `cloudflare-mtls` client, as the `--no-ca` upload of leaf, CA and key).
    pub check: Report,
    /// `verify` of a leaf against its CA (`None` for a CA).
    pub verify: Option<PeerReport>,
}

/// Makes a CA for `options.destination`.
///
/// # Errors
/// `new.destination` for Gateway (Cloudflare makes those CAs), a destination rule's code for a
/// key type it refuses or warns about, `new.name`/`new.days` for bad options, and `new.refused`
/// with the diagnostics if the made CA does not pass `check` cleanly.
pub fn new_ca<R: CryptoRng + ?Sized>(options: &CaOptions, rng: &mut R) -> Result<Made, Error> {
    if LeafKind::for_destination(options.destination).is_none() {
        return Err(Error::new(
            "new.destination",
            "Cloudflare Gateway makes its own CAs (certcheck create --to cloudflare-gateway): there is no CA to upload",
        ));
    }
    profile::key_type_allowed(options.key_type, options.destination)?;
    let key = KeyPair::generate(options.key_type, rng)?;
    new_ca_with_key(options, key, rng)
}

/// [`new_ca`] with a key made elsewhere (the browser's WebCrypto makes RSA keys in a moment,
/// off the page's thread; read it with [`KeyPair::read`]). `options.key_type` is not used.
///
/// # Errors
/// As [`new_ca`].
pub fn new_ca_with_key<R: CryptoRng + ?Sized>(options: &CaOptions, key: KeyPair, rng: &mut R) -> Result<Made, Error> {
    if LeafKind::for_destination(options.destination).is_none() {
        return Err(Error::new(
            "new.destination",
            "Cloudflare Gateway makes its own CAs (certcheck create --to cloudflare-gateway): there is no CA to upload",
        ));
    }
    let der = profile::ca_certificate(options, &key, rng)?;
    let pem = profile::certificate_pem(&der);
    let check = certcheck::check(pem.as_bytes(), &Options::new(Some(options.destination), options.now));
    refuse_unless_clean("the CA certcheck made", &check.diagnostics)?;
    Ok(Made { certificate_pem: pem, certificate_der: der, key: Some(key), check, verify: None })
}

/// Makes a server or client certificate signed by `issuer`.
///
/// # Errors
/// `new.profile` when the kind is not what the destination verifies, `new.name` for a missing or
/// malformed name, `new.request` for a request that cannot be read or whose signature does not
/// verify, a rule's code for a refused key type, `new.days` when the CA's validity leaves no
/// room, and `new.refused` with the diagnostics if the certificate does not pass `check` and
/// `verify` cleanly.
pub fn new_leaf<R: CryptoRng + ?Sized>(options: &LeafOptions, issuer: &Issuer, rng: &mut R) -> Result<Made, Error> {
    leaf_kind_allowed(options)?;
    let key = match &options.request {
        Some(_) => None,
        None => {
            profile::key_type_allowed(options.key_type, options.destination)?;
            Some(KeyPair::generate(options.key_type, rng)?)
        }
    };
    new_leaf_with_key(options, issuer, key, rng)
}

/// [`new_leaf`] with the subject's key made elsewhere (`None` when `options.request` gives it).
///
/// # Errors
/// As [`new_leaf`].
pub fn new_leaf_with_key<R: CryptoRng + ?Sized>(
    options: &LeafOptions,
    issuer: &Issuer,
    key: Option<KeyPair>,
    rng: &mut R,
) -> Result<Made, Error> {
    leaf_kind_allowed(options)?;
    let (subject_key, key) = match (&options.request, key) {
        (Some(request), _) => (read_request(request)?, None),
        (None, Some(key)) => (key.public_key()?, Some(key)),
        (None, None) => return Err(Error::new("new.key_type", "no key and no certificate request to certify")),
    };
    let der = profile::leaf_certificate(options, issuer, &subject_key, rng)?;
    let pem = profile::certificate_pem(&der);
    let key_pem = match &key {
        Some(key) => Some(private_key_pem(&key.pkcs8_der()?, None, rng)?),
        None => None,
    };
    let check = match (options.destination, &key_pem) {
        (Destination::CloudflareMtls { .. }, Some(key_pem)) => {
            let upload = format!("{pem}{}{}", issuer.certificate_pem(), key_pem.as_str());
            certcheck::check(
                upload.as_bytes(),
                &Options::new(Some(Destination::CloudflareMtls { ca: false }), options.now),
            )
        }
        _ => certcheck::check(pem.as_bytes(), &Options::new(None, options.now)),
    };
    refuse_unless_clean("the certificate certcheck made", &check.diagnostics)?;
    let peer_options = PeerOptions {
        destination: options.destination,
        tunnel_domain: options.tunnel_domain.clone(),
        hosts: options.hosts.clone(),
        emails: options.emails.clone(),
        now: options.now,
    };
    let verify = certcheck::verify_peer(
        pem.as_bytes(),
        issuer.certificate_pem().as_bytes(),
        key_pem.as_ref().map(|k| k.as_bytes()),
        &peer_options,
    )
    .map_err(|e| Error::new("new.destination", e.to_string()))?;
    refuse_unless_clean("the certificate certcheck made, verified against its CA,", &verify.diagnostics)?;
    Ok(Made { certificate_pem: pem, certificate_der: der, key, check, verify: Some(verify) })
}

/// The kind must be what the destination's CA verifies.
fn leaf_kind_allowed(options: &LeafOptions) -> Result<(), Error> {
    let expected = LeafKind::for_destination(options.destination).ok_or_else(|| {
        Error::new(
            "new.destination",
            "Cloudflare Gateway presents certificates it makes itself: there is nothing to make",
        )
    })?;
    if options.kind == expected {
        return Ok(());
    }
    Err(Error::new(
        "new.profile",
        format!(
            "a CA uploaded to {} verifies {} certificates, not {} certificates: use `certcheck new {}`",
            options.destination.name(),
            expected.name(),
            options.kind.name(),
            expected.name()
        ),
    ))
}

fn refuse_unless_clean(what: &str, diagnostics: &[Diagnostic]) -> Result<(), Error> {
    let bad: Vec<Diagnostic> = diagnostics.iter().filter(|d| d.severity >= Severity::Warning).cloned().collect();
    match bad.first() {
        None => Ok(()),
        Some(first) => Err(Error {
            code: "new.refused",
            message: format!("{what} does not pass its own checks ({}): nothing was written", first.finding.code()),
            diagnostics: bad,
        }),
    }
}
