//! The Create page's state: the form, and making a CA with the certificate it verifies through
//! certcheck-generate in the page's worker (which checks and verifies both before handing them
//! over). The keys are made by the browser's WebCrypto when it can (off the page's thread) and
//! never leave the page and its worker: they are offered only as downloads.

use certcheck::{Destination, UnixTime};
use certcheck_generate::KeyType;
use certcheck_web_worker::{CreateReply, CreateRequest};

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

/// A CA and the certificate it verifies, made and proven by certcheck-generate in the worker.
#[derive(Clone, Debug)]
pub struct Created {
    /// The destination.
    pub destination: Destination,
    /// What the worker made: both artifacts and the verdicts.
    pub made: CreateReply,
    /// Where the keys were made: `WebCrypto` or `certcheck` (no WebCrypto here).
    pub key_source: &'static str,
    /// How long making took, in milliseconds.
    pub millis: f64,
}

/// Makes the CA and the certificate the form asks for, at `now`: the keys by the browser's
/// WebCrypto when it can (RSA in a moment, off the page's thread), the certificates by the worker.
///
/// # Errors
/// certcheck-generate's refusal, as one sentence with its code, or why the worker cannot be used.
pub async fn make(form: CreateForm, now: UnixTime) -> Result<Created, String> {
    let started = browser::millis();
    // Both keys from WebCrypto, or both from the worker.
    let keys = match browser::webcrypto_pkcs8(form.key_type).await {
        Some(ca) => browser::webcrypto_pkcs8(form.key_type).await.map(|leaf| (ca, leaf)),
        None => None,
    };
    let key_source = if keys.is_some() { "WebCrypto" } else { "certcheck" };
    let (ca_key, leaf_key) = keys.unzip();
    let request = CreateRequest {
        destination: form.destination.name().to_owned(),
        tunnel_domain: form.tunnel_domain,
        client_name: form.client_name,
        key_type: form.key_type.name().to_owned(),
        passphrase: form.passphrase,
        now: now.0,
        ca_key,
        leaf_key,
    };
    let made = crate::worker::create(request).await?;
    Ok(Created { destination: form.destination, made, key_source, millis: browser::millis() - started })
}
