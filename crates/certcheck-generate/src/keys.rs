//! Key pairs: the types offered, generating them, reading a CA's key in the shapes people keep
//! it in, and writing a private key as PKCS#8 (plain or PBES2-encrypted).

use core::fmt;
use core::str::FromStr;

use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rand_core::CryptoRng;
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned};
use zeroize::Zeroizing;

use crate::Error;

/// PBKDF2-HMAC-SHA256 iterations for an encrypted key (OWASP's figure for PBKDF2-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// A key type certcheck can make. Ed25519 is listed so that asking for it gets the destination's
/// rule (`cert.key_algorithm`) rather than "unknown key type".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum KeyType {
    /// ECDSA on P-256 (the default).
    #[default]
    P256,
    /// ECDSA on P-384.
    P384,
    /// RSA, 2048-bit modulus.
    Rsa2048,
    /// RSA, 3072-bit modulus.
    Rsa3072,
    /// RSA, 4096-bit modulus.
    Rsa4096,
    /// Ed25519: refused for every destination today (Anthropic takes only RSA and ECDSA;
    /// Cloudflare's rules warn).
    Ed25519,
}

impl KeyType {
    /// Every key type, in the order the CLI lists them.
    pub const ALL: [KeyType; 6] =
        [KeyType::P256, KeyType::P384, KeyType::Rsa2048, KeyType::Rsa3072, KeyType::Rsa4096, KeyType::Ed25519];

    /// The spelling used on the command line and in JSON: `p256`, `rsa3072`, ….
    pub fn name(self) -> &'static str {
        match self {
            KeyType::P256 => "p256",
            KeyType::P384 => "p384",
            KeyType::Rsa2048 => "rsa2048",
            KeyType::Rsa3072 => "rsa3072",
            KeyType::Rsa4096 => "rsa4096",
            KeyType::Ed25519 => "ed25519",
        }
    }

    /// How certcheck's report names a key of this type (`cert.key_algorithm`'s wording).
    pub(crate) fn algorithm(self) -> &'static str {
        match self {
            KeyType::P256 | KeyType::P384 => "ECDSA",
            KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => "RSA",
            KeyType::Ed25519 => "Ed25519",
        }
    }

    fn rsa_bits(self) -> Option<usize> {
        match self {
            KeyType::Rsa2048 => Some(2048),
            KeyType::Rsa3072 => Some(3072),
            KeyType::Rsa4096 => Some(4096),
            _ => None,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyType {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        let folded: String = text.chars().filter(|c| !matches!(c, '-' | '_')).collect::<String>().to_ascii_lowercase();
        KeyType::ALL.into_iter().find(|k| k.name() == folded).ok_or_else(|| {
            Error::new(
                "new.key_type",
                format!("{text:?} is not a key type certcheck makes: use p256, p384, rsa2048, rsa3072 or rsa4096"),
            )
        })
    }
}

impl serde::Serialize for KeyType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A private key that can sign certificates: made here or read from the user's CA key file.
pub enum KeyPair {
    /// ECDSA P-256, signs with SHA-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384, signs with SHA-384.
    P384(p384::ecdsa::SigningKey),
    /// RSA, signs with PKCS#1 v1.5 and SHA-256.
    Rsa(Box<rsa::PrivateKey>),
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the key's material.
        write!(f, "KeyPair({})", self.describe())
    }
}

impl KeyPair {
    /// Makes a key of `key_type` from `rng`.
    ///
    /// # Errors
    /// `new.key_type` for Ed25519 (never made: see [`KeyType::Ed25519`]); `new.random` when the
    /// random source fails during RSA generation.
    pub fn generate<R: CryptoRng + ?Sized>(key_type: KeyType, rng: &mut R) -> Result<KeyPair, Error> {
        use p256::elliptic_curve::Generate;
        match key_type {
            KeyType::P256 => Ok(KeyPair::P256(p256::ecdsa::SigningKey::generate_from_rng(rng))),
            KeyType::P384 => Ok(KeyPair::P384(p384::ecdsa::SigningKey::generate_from_rng(rng))),
            KeyType::Ed25519 => Err(Error::new("new.key_type", "certcheck does not make Ed25519 keys")),
            other => {
                let bits = other.rsa_bits().unwrap_or(2048);
                rsa::PrivateKey::new(rng, bits)
                    .map(|key| KeyPair::Rsa(Box::new(key)))
                    .map_err(|e| Error::new("new.random", format!("RSA key generation failed: {e}")))
            }
        }
    }

    /// `ECDSA P-256`, `RSA 3072`: for messages.
    pub fn describe(&self) -> String {
        match self {
            KeyPair::P256(_) => "ECDSA P-256".to_owned(),
            KeyPair::P384(_) => "ECDSA P-384".to_owned(),
            KeyPair::Rsa(key) => format!("RSA {}", rsa::traits::PublicKeyParts::size(key.as_ref()) * 8),
        }
    }

    /// Whether this is an RSA key (server certificates then also get keyEncipherment).
    pub fn is_rsa(&self) -> bool {
        matches!(self, KeyPair::Rsa(_))
    }

    /// The public half as a SubjectPublicKeyInfo.
    pub fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, Error> {
        let der = match self {
            KeyPair::P256(key) => key.verifying_key().to_public_key_der(),
            KeyPair::P384(key) => key.verifying_key().to_public_key_der(),
            KeyPair::Rsa(key) => key.to_public_key().to_public_key_der(),
        }
        .map_err(|e| Error::new("new.encoding", format!("the public key could not be encoded: {e}")))?;
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
            .map_err(|e| Error::new("new.encoding", format!("the public key could not be encoded: {e}")))
    }

    /// The private key as PKCS#8 DER (wiped from memory when dropped).
    pub fn pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let document = match self {
            KeyPair::P256(key) => key.to_pkcs8_der(),
            KeyPair::P384(key) => key.to_pkcs8_der(),
            KeyPair::Rsa(key) => key.to_pkcs8_der(),
        }
        .map_err(|e| Error::new("new.encoding", format!("the private key could not be encoded: {e}")))?;
        Ok(Zeroizing::new(document.as_bytes().to_vec()))
    }

    /// Reads a CA's private key: PEM (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `EC PRIVATE KEY`,
    /// `RSA PRIVATE KEY`) or the same as DER. An encrypted PKCS#8 key needs `passphrase`.
    ///
    /// # Errors
    /// `new.ca_key` naming what is wrong: no key, a key type certcheck cannot sign with, an
    /// encrypted key without a passphrase or with the wrong one, or a legacy OpenSSL-encrypted
    /// PEM (`Proc-Type: 4,ENCRYPTED`).
    pub fn read(input: &[u8], passphrase: Option<&[u8]>) -> Result<KeyPair, Error> {
        let bad = |message: String| Error::new("new.ca_key", message);
        let (label, der) = first_key(input)?;
        let plain: Zeroizing<Vec<u8>> = match label.as_str() {
            "ENCRYPTED PRIVATE KEY" => decrypt(&der, passphrase)?,
            "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" => der,
            "" if pkcs8::EncryptedPrivateKeyInfoRef::from_der(&der).is_ok() => decrypt(&der, passphrase)?,
            "" => der,
            other => {
                return Err(bad(format!(
                    "certcheck signs with PKCS#8, SEC1 or PKCS#1 keys, not a {other} block (convert it with `openssl pkcs8 -topk8`)"
                )));
            }
        };
        from_der(&plain).ok_or_else(|| {
            bad("the CA key is not a P-256, P-384 or RSA private key in PKCS#8, SEC1 or PKCS#1 form".to_owned())
        })
    }
}

/// The first private key of `input` (PEM or DER) decrypted with `passphrase`, as a plain PKCS#8
/// `PRIVATE KEY` PEM block, whatever its algorithm: for `verify --key-passphrase-env`, which then
/// matches it like any key. A key that is not encrypted comes back as it is.
///
/// # Errors
/// `new.ca_key` when no key can be read, `new.passphrase` when the passphrase does not decrypt it.
pub fn decrypted_key_pem(input: &[u8], passphrase: &[u8]) -> Result<Zeroizing<String>, Error> {
    let (label, der) = first_key(input)?;
    let plain = if is_encrypted(&label, &der) { decrypt(&der, Some(passphrase))? } else { der };
    let label = if label.is_empty() || is_encrypted(&label, &plain) { "PRIVATE KEY" } else { label.as_str() };
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, &plain)
        .map(Zeroizing::new)
        .map_err(|e| Error::new("new.encoding", format!("PEM encoding failed: {e}")))
}

/// The first encrypted PKCS#8 key of `input` (PEM or DER) decrypted with `passphrase`, as plain
/// PKCS#8 DER.
///
/// # Errors
/// `new.ca_key` when no encrypted PKCS#8 key can be read, `new.passphrase` when the passphrase
/// does not decrypt it.
pub fn decrypted_key_der(input: &[u8], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (label, der) = first_key(input)?;
    if !is_encrypted(&label, &der) {
        return Err(Error::new("new.ca_key", "the key is not an encrypted PKCS#8 key"));
    }
    decrypt(&der, Some(passphrase))
}

fn is_encrypted(label: &str, der: &[u8]) -> bool {
    label == "ENCRYPTED PRIVATE KEY" || (label.is_empty() && pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).is_ok())
}

/// The first private key of `input` as certcheck's own scanner reads it (JSON and shell escapes
/// undone, look-alike dashes folded, RFC 1421 headers kept): its PEM label and bytes. Input that
/// is not PEM text is taken as DER, with an empty label.
///
/// # Errors
/// `new.ca_key` when the text holds no private key block, one that does not decode, or a key
/// encrypted the legacy OpenSSL way.
fn first_key(input: &[u8]) -> Result<(String, Zeroizing<Vec<u8>>), Error> {
    let bad = |message: String| Error::new("new.ca_key", message);
    if certcheck::decoded_text(input).is_none_or(|text| !text.contains("-----BEGIN ")) {
        return Ok((String::new(), Zeroizing::new(input.to_vec())));
    }
    let report = certcheck::inspect(input, certcheck::UnixTime(0));
    let pem = report
        .private_keys
        .iter()
        .position(|key| key.block.is_some())
        .and_then(|index| certcheck::private_key_pem(input, index))
        .map(Zeroizing::new)
        .ok_or_else(|| bad("no private key block (BEGIN … PRIVATE KEY) in the key file".to_owned()))?;
    if pem.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(bad(
            "the key is encrypted the legacy OpenSSL way (Proc-Type: 4,ENCRYPTED); convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256`".to_owned(),
        ));
    }
    let (label, der) =
        pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|e| bad(format!("the key's PEM block is not valid: {e}")))?;
    Ok((label.to_owned(), Zeroizing::new(der)))
}

fn decrypt(der: &[u8], passphrase: Option<&[u8]>) -> Result<Zeroizing<Vec<u8>>, Error> {
    let Some(passphrase) = passphrase else {
        return Err(Error::new(
            "key.encrypted",
            "the CA key is encrypted: give its passphrase (--ca-key-passphrase-env NAME, or type it at the prompt)",
        ));
    };
    let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der)
        .map_err(|e| Error::new("new.ca_key", format!("the encrypted CA key is not valid PKCS#8: {e}")))?;
    let document = info.decrypt(passphrase).map_err(|_| {
        Error::new(
            "new.passphrase",
            "the passphrase does not decrypt the key (or it uses a cipher certcheck does not read: PBES2 with PBKDF2 or scrypt and AES-CBC are read)",
        )
    })?;
    Ok(Zeroizing::new(document.as_bytes().to_vec()))
}

fn from_der(der: &[u8]) -> Option<KeyPair> {
    if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
        return Some(KeyPair::P256(key));
    }
    if let Ok(key) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
        return Some(KeyPair::P384(key));
    }
    if let Ok(key) = rsa::PrivateKey::from_pkcs8_der(der) {
        return Some(KeyPair::Rsa(Box::new(key)));
    }
    if let Ok(key) = <rsa::PrivateKey as rsa::pkcs1::DecodeRsaPrivateKey>::from_pkcs1_der(der) {
        return Some(KeyPair::Rsa(Box::new(key)));
    }
    let sec1 = sec1::EcPrivateKey::from_der(der).ok()?;
    if let Ok(key) = p256::SecretKey::try_from(sec1.clone()) {
        return Some(KeyPair::P256(key.into()));
    }
    p384::SecretKey::try_from(sec1).ok().map(|key| KeyPair::P384(key.into()))
}

/// A private key as PEM: `PRIVATE KEY` (PKCS#8), or `ENCRYPTED PRIVATE KEY` (PKCS#8 under PBES2
/// with PBKDF2-HMAC-SHA256 and AES-256-CBC, what `openssl pkey` and `step` read) when a passphrase
/// is given.
///
/// # Errors
/// `new.passphrase` for an empty passphrase; `new.encoding` if encoding fails.
pub fn private_key_pem<R: CryptoRng + ?Sized>(
    pkcs8_der: &[u8],
    passphrase: Option<&[u8]>,
    rng: &mut R,
) -> Result<Zeroizing<String>, Error> {
    let encode = |label: &'static str, der: &[u8]| {
        pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
            .map(Zeroizing::new)
            .map_err(|e| Error::new("new.encoding", format!("PEM encoding failed: {e}")))
    };
    let Some(passphrase) = passphrase else {
        return encode("PRIVATE KEY", pkcs8_der);
    };
    if passphrase.is_empty() {
        return Err(Error::new("new.passphrase", "an empty passphrase would not protect the key"));
    }
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    let failed = |e: pkcs8::Error| Error::new("new.encoding", format!("the key could not be encrypted: {e}"));
    let params = pkcs8::pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, iv)
        .map_err(|e| failed(e.into()))?;
    let info = pkcs8::PrivateKeyInfoRef::try_from(pkcs8_der).map_err(failed)?;
    let encrypted = info.encrypt_with_params(params, passphrase).map_err(failed)?;
    encode("ENCRYPTED PRIVATE KEY", encrypted.as_bytes())
}

/// DER of a SubjectPublicKeyInfo.
pub(crate) fn spki_der(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>, Error> {
    spki.to_der().map_err(|e| Error::new("new.encoding", format!("the public key could not be encoded: {e}")))
}
