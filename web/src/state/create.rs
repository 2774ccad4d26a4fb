//! The Create page's state: the form, and making a CA with the certificate it verifies through
//! certcheck-generate (which checks and verifies both before handing them over). The keys are
//! made by the browser's WebCrypto when it can (off the page's thread) and never leave the page:
//! they are offered only as downloads.

use certcheck::{Destination, PeerReport, Report, UnixTime};
use certcheck_generate::{
    CaOptions, Issuer, KeyPair, KeyType, LeafKind, LeafOptions, Made, new_ca_with_key, new_leaf_with_key,
    private_key_pem, system_random,
};

use crate::browser;

/// The destinations a CA can be made for, in the order the page offers them.
pub const DESTINATIONS: [Destination; 3] =
    [Destination::AnthropicTunnel, Destination::CloudflareAccess, Destination::CloudflareMtls { ca: true }];

/// The key types the page offers (Ed25519 is refused by every destination's rules).
pub const KEY_TYPES: [KeyType; 5] =
    [KeyType::P256, KeyType::P384, KeyType::Rsa2048, KeyType::Rsa3072, KeyType::Rsa4096];

/// What the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateForm {
    /// Where the CA goes.
    pub destination: Destination,
    /// anthropic-tunnel: the tunnel's domain.
    pub tunnel_domain: String,
    /// Cloudflare: the client's name.
    pub client_name: String,
    /// The key type of both keys.
    pub key_type: KeyType,
    /// Encrypts both private keys when not empty.
    pub passphrase: String,
}

impl Default for CreateForm {
    fn default() -> Self {
        Self {
            destination: Destination::AnthropicTunnel,
            tunnel_domain: String::new(),
            client_name: String::new(),
            key_type: KeyType::P256,
            passphrase: String::new(),
        }
    }
}

/// One artifact made: the files to download and what the checks said.
#[derive(Clone, Debug)]
pub struct Artifact {
    /// `ca`, `server` or `client`: the files are `<stem>.pem` and `<stem>.key`.
    pub stem: &'static str,
    /// The certificate, PEM.
    pub certificate: String,
    /// The private key, PKCS#8 PEM (encrypted when a passphrase was given).
    pub private_key: String,
    /// Its fingerprint as the destination's vendor spells it.
    pub fingerprint: String,
    /// `check` of the certificate.
    pub check: Report,
}

/// A CA and the certificate it verifies, with the proof.
#[derive(Clone, Debug)]
pub struct Created {
    /// The destination.
    pub destination: Destination,
    /// The CA.
    pub ca: Artifact,
    /// The server (anthropic-tunnel) or client (Cloudflare) certificate.
    pub leaf: Artifact,
    /// `verify` of the leaf against the CA.
    pub verify: PeerReport,
    /// The keys are encrypted.
    pub encrypted: bool,
    /// Where the keys were made: `WebCrypto` or `certcheck` (no WebCrypto here).
    pub key_source: &'static str,
    /// How long making took, in milliseconds.
    pub millis: f64,
}

/// A key from WebCrypto, else made here.
async fn new_key(key_type: KeyType) -> Result<(KeyPair, &'static str), String> {
    if let Some(der) = browser::webcrypto_pkcs8(key_type).await {
        return KeyPair::read(&der, None).map(|key| (key, "WebCrypto")).map_err(|e| e.to_string());
    }
    KeyPair::generate(key_type, &mut system_random()).map(|key| (key, "certcheck")).map_err(|e| e.to_string())
}

fn artifact(
    stem: &'static str,
    destination: Destination,
    made: &Made,
    key: &KeyPair,
    passphrase: Option<&[u8]>,
) -> Result<Artifact, String> {
    let der = key.pkcs8_der().map_err(|e| e.to_string())?;
    let private_key = private_key_pem(&der, passphrase, &mut system_random()).map_err(|e| e.to_string())?;
    let fingerprint =
        made.check.certificates.first().map(|c| certcheck_api::spelling(destination, c)).unwrap_or_default();
    Ok(Artifact {
        stem,
        certificate: made.certificate_pem.clone(),
        private_key: private_key.to_string(),
        fingerprint,
        check: made.check.clone(),
    })
}

/// Makes the CA and the certificate the form asks for, at `now`.
///
/// # Errors
/// certcheck-generate's refusal, as one sentence with its code.
pub async fn make(form: CreateForm, now: UnixTime) -> Result<Created, String> {
    let started = browser::millis();
    let destination = form.destination;
    let kind = LeafKind::for_destination(destination).ok_or("Cloudflare Gateway makes its own CAs")?;
    let mut rng = system_random();
    let (ca_key, key_source) = new_key(form.key_type).await?;
    let ca_options = CaOptions { destination, name: None, days: None, key_type: form.key_type, now };
    let mut ca = new_ca_with_key(&ca_options, ca_key, &mut rng).map_err(|e| e.to_string())?;
    let ca_key = ca.key.take().ok_or("the CA was made without its key")?;
    let issuer = Issuer::new(ca.certificate_der.clone(), ca_key).map_err(|e| e.to_string())?;
    let (leaf_key, _) = new_key(form.key_type).await?;
    let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    let leaf_options = LeafOptions {
        destination,
        kind,
        tunnel_domain: if kind == LeafKind::Server { text(&form.tunnel_domain) } else { None },
        name: if kind == LeafKind::Client { text(&form.client_name) } else { None },
        hosts: Vec::new(),
        emails: Vec::new(),
        uris: Vec::new(),
        days: None,
        key_type: form.key_type,
        request: None,
        now,
    };
    let leaf = new_leaf_with_key(&leaf_options, &issuer, Some(leaf_key), &mut rng).map_err(|e| e.to_string())?;
    let passphrase = text(&form.passphrase).map(|_| form.passphrase.as_bytes().to_vec());
    let ca_key = issuer.into_key();
    let leaf_key = leaf.key.as_ref().ok_or("the certificate was made without its key")?;
    let verify = leaf.verify.clone().ok_or("the certificate was not verified")?;
    Ok(Created {
        destination,
        ca: artifact("ca", destination, &ca, &ca_key, passphrase.as_deref())?,
        leaf: artifact(kind.name(), destination, &leaf, leaf_key, passphrase.as_deref())?,
        verify,
        encrypted: passphrase.is_some(),
        key_source,
        millis: browser::millis() - started,
    })
}
