//! Private keys of every shape, classified without echoing them, and matched to certificates
//! by comparing (or deriving) their public halves.

use serde::Serialize;

use crate::der_walk::{Tlv, oid_to_dotted, tag};
use crate::pem::Label;
use crate::public_key::{self, PublicMaterial};
use crate::sniff::DerKind;

/// What shape a private key came in. Serialized (and displayed) as its name in the report:
/// `PKCS#8`, `RSA`, `EC`, `DSA`, `encrypted` (encrypted PKCS#8 or a PEM with RFC 1421
/// encryption headers), `OpenSSH`, `PGP`, `SSH2`, `PuTTY`, `JWK`, `PKCS#12`. Whether the key is
/// encrypted is [`PrivateKeyInfo::encrypted`], known for every shape that can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// An encrypted PKCS#8 key, or a PEM key with `Proc-Type: 4,ENCRYPTED`.
    Encrypted,
    /// A DSA key (`DSA PRIVATE KEY`).
    Dsa,
    /// An SEC1 EC key (`EC PRIVATE KEY`).
    Ec,
    /// A JSON Web Key with a private member `"d"`.
    Jwk,
    /// An OpenSSH key (`OPENSSH PRIVATE KEY`), encrypted or not.
    OpenSsh,
    /// An OpenPGP private key block.
    Pgp,
    /// A PKCS#12 / PFX file with a key bag.
    Pkcs12,
    /// A plain PKCS#8 key (`PRIVATE KEY`).
    Pkcs8,
    /// A PuTTY key file (`PuTTY-User-Key-File-…`).
    Putty,
    /// A PKCS#1 RSA key (`RSA PRIVATE KEY`).
    Rsa,
    /// An SSH.com key (`SSH2 ENCRYPTED PRIVATE KEY`).
    Ssh2,
}

impl KeyKind {
    /// The name the report uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Encrypted => "encrypted",
            Self::Dsa => "DSA",
            Self::Ec => "EC",
            Self::Jwk => "JWK",
            Self::OpenSsh => "OpenSSH",
            Self::Pgp => "PGP",
            Self::Pkcs12 => "PKCS#12",
            Self::Pkcs8 => "PKCS#8",
            Self::Putty => "PuTTY",
            Self::Rsa => "RSA",
            Self::Ssh2 => "SSH2",
        }
    }
}

impl core::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for KeyKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One entry of the report's `private_keys`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrivateKeyInfo {
    /// The PEM block holding it (0 for binary input; the nearest block for keys in text).
    pub block: Option<usize>,
    /// The shape it came in.
    pub kind: KeyKind,
    /// Whether the key itself is encrypted (it cannot be matched, and no API can use it as given):
    /// encrypted PKCS#8, RFC 1421 encryption headers, an OpenSSH key with a cipher, SSH2, PKCS#12.
    pub encrypted: bool,
    /// Index of the certificate whose public key this key belongs to.
    pub matches_certificate: Option<usize>,
    /// 1-based line where the key starts in the input as given (`None` for binary input).
    pub line: Option<u32>,
    /// 1-based column (in characters) where it starts.
    pub column: Option<u32>,
    /// 1-based line of the position just after the key's last character.
    pub end_line: Option<u32>,
    /// 1-based column (in characters) just after its last character.
    pub end_column: Option<u32>,
}

/// A key found in the input, with what is needed to match it.
#[derive(Clone, Debug)]
pub(crate) struct FoundKey {
    pub(crate) kind: KeyKind,
    pub(crate) encrypted: bool,
    pub(crate) public: Option<PublicMaterial>,
}

/// Classifies a PEM block that holds a private key, by label, headers and content.
pub(crate) fn from_block(label: &str, headers: &[(String, String)], data: Option<&[u8]>) -> Option<FoundKey> {
    let proc_encrypted =
        headers.iter().any(|(name, value)| name.eq_ignore_ascii_case("Proc-Type") && value.contains("ENCRYPTED"));
    let key = |kind, encrypted, public| Some(FoundKey { kind, encrypted, public });
    match Label::of(label) {
        Label::OpenSshPrivateKey => {
            let (public, encrypted) = data.and_then(openssh).unwrap_or((None, false));
            key(KeyKind::OpenSsh, encrypted, public)
        }
        Label::PgpPrivateKey => key(KeyKind::Pgp, false, None),
        Label::Ssh2EncryptedPrivateKey => key(KeyKind::Ssh2, true, None),
        Label::EncryptedPrivateKey => key(KeyKind::Encrypted, true, None),
        _ if proc_encrypted => key(KeyKind::Encrypted, true, None),
        Label::RsaPrivateKey => from_der(&DerKind::RsaPrivateKey, data.unwrap_or_default()),
        Label::EcPrivateKey => from_der(&DerKind::EcPrivateKey, data.unwrap_or_default()),
        Label::DsaPrivateKey => from_der(&DerKind::DsaPrivateKey, data.unwrap_or_default()),
        Label::PrivateKey => from_der(&DerKind::Pkcs8, data.unwrap_or_default()),
        Label::OtherPrivateKey { encrypted } => key(KeyKind::Pkcs8, encrypted, None),
        _ => None,
    }
}

/// A key in DER whose shape `kind` is already known.
pub(crate) fn from_der(kind: &DerKind, der: &[u8]) -> Option<FoundKey> {
    let found = |kind, public| Some(FoundKey { kind, encrypted: false, public });
    match kind {
        DerKind::Pkcs8 => found(KeyKind::Pkcs8, pkcs8_public(der)),
        DerKind::RsaPrivateKey => found(KeyKind::Rsa, rsa_public(der)),
        DerKind::EcPrivateKey => found(KeyKind::Ec, ec_public(der, None)),
        DerKind::DsaPrivateKey => found(KeyKind::Dsa, dsa_public(der)),
        DerKind::EncryptedPkcs8 => Some(FoundKey { kind: KeyKind::Encrypted, encrypted: true, public: None }),
        DerKind::Pkcs12 if pkcs12_has_key_bag(der) => {
            Some(FoundKey { kind: KeyKind::Pkcs12, encrypted: true, public: None })
        }
        _ => None,
    }
}

/// Whether a PFX carries a keyBag or pkcs8ShroudedKeyBag (RFC 7292 4.2.1/4.2.2). Their bag
/// types sit in clear text even when the key itself is encrypted; a file made with
/// `openssl pkcs12 -nokeys` has none.
pub(crate) fn pkcs12_has_key_bag(der: &[u8]) -> bool {
    const KEY_BAG: [u8; 12] = [0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01];
    der.windows(KEY_BAG.len() + 1).any(|w| w.starts_with(&KEY_BAG) && matches!(w.last(), Some(1 | 2)))
}

fn rsa_public(der: &[u8]) -> Option<PublicMaterial> {
    let fields = Tlv::parse_exact(der)?.child_list()?;
    Some(PublicMaterial::Rsa {
        modulus: fields.get(1)?.unsigned_integer()?.to_vec(),
        exponent: fields.get(2)?.unsigned_integer()?.to_vec(),
    })
}

fn dsa_public(der: &[u8]) -> Option<PublicMaterial> {
    let fields = Tlv::parse_exact(der)?.child_list()?;
    Some(PublicMaterial::Dsa { y: fields.get(4)?.unsigned_integer()?.to_vec() })
}

/// ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey }.
fn ec_public(der: &[u8], curve_from_pkcs8: Option<String>) -> Option<PublicMaterial> {
    let fields = Tlv::parse_exact(der)?.child_list()?;
    let scalar = fields.get(1).filter(|f| f.tag == tag::OCTET_STRING)?.value;
    let mut curve_oid = curve_from_pkcs8;
    let mut point = None;
    for field in fields.iter().skip(2) {
        match field.tag {
            tag::CONTEXT_0 => {
                curve_oid = Tlv::parse_exact(field.value).and_then(|o| oid_to_dotted(o.value)).or(curve_oid)
            }
            tag::CONTEXT_1 => point = Tlv::parse_exact(field.value).and_then(|b| b.value.get(1..)).map(<[u8]>::to_vec),
            _ => {}
        }
    }
    let curve_oid = curve_oid?;
    let point = match point {
        Some(point) => point,
        None => crate::derive::ec_public_point(&curve_oid, scalar)?,
    };
    Some(PublicMaterial::Ec { curve_oid, point })
}

/// PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING, [0] attributes, [1] publicKey }.
fn pkcs8_public(der: &[u8]) -> Option<PublicMaterial> {
    let fields = Tlv::parse_exact(der)?.child_list()?;
    let algorithm = fields.get(1)?.child_list()?;
    let oid = oid_to_dotted(algorithm.first()?.value)?;
    let inner = fields.get(2)?.value;
    let stated_public =
        fields.iter().skip(3).find(|f| f.tag == 0x81).and_then(|f| f.value.get(1..)).map(<[u8]>::to_vec);
    match oid.as_str() {
        public_key::RSA | public_key::RSA_PSS => rsa_public(inner),
        public_key::EC => {
            let curve = algorithm.get(1).filter(|p| p.tag == tag::OID).and_then(|p| oid_to_dotted(p.value));
            ec_public(inner, curve)
        }
        public_key::ED25519 => match stated_public {
            Some(public) => Some(PublicMaterial::Ed25519(public)),
            None => {
                let seed = Tlv::parse_exact(inner)?;
                crate::derive::ed25519_public(seed.value).map(PublicMaterial::Ed25519)
            }
        },
        public_key::ED448 => stated_public.map(PublicMaterial::Ed448),
        public_key::DSA => None,
        _ => None,
    }
}

/// The public key and cipher of an `openssh-key-v1` blob (its public half is never encrypted).
fn openssh(data: &[u8]) -> Option<(Option<PublicMaterial>, bool)> {
    let mut rest = data.strip_prefix(b"openssh-key-v1\0")?;
    let cipher = ssh_string(&mut rest)?;
    let _kdf = ssh_string(&mut rest)?;
    let _kdf_options = ssh_string(&mut rest)?;
    let (_count, after) = rest.split_first_chunk::<4>()?;
    rest = after;
    let public_blob = ssh_string(&mut rest)?;
    Some((ssh_public(public_blob), cipher != b"none"))
}

/// Reads one SSH wire-format `string` (u32 length + bytes), advancing `rest`.
fn ssh_string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (length, after) = rest.split_first_chunk::<4>()?;
    let length = usize::try_from(u32::from_be_bytes(*length)).ok()?;
    let value = after.get(..length)?;
    *rest = after.get(length..)?;
    Some(value)
}

fn ssh_public(mut blob: &[u8]) -> Option<PublicMaterial> {
    let key_type = ssh_string(&mut blob)?;
    let strip = |v: &[u8]| {
        let skip = v.iter().take_while(|&&b| b == 0).count();
        v.get(skip..).unwrap_or_default().to_vec()
    };
    match key_type {
        b"ssh-ed25519" => Some(PublicMaterial::Ed25519(ssh_string(&mut blob)?.to_vec())),
        b"ssh-rsa" => {
            let exponent = strip(ssh_string(&mut blob)?);
            let modulus = strip(ssh_string(&mut blob)?);
            Some(PublicMaterial::Rsa { modulus, exponent })
        }
        b"ecdsa-sha2-nistp256" | b"ecdsa-sha2-nistp384" | b"ecdsa-sha2-nistp521" => {
            let name = match ssh_string(&mut blob)? {
                b"nistp256" => "P-256",
                b"nistp384" => "P-384",
                _ => "P-521",
            };
            let point = ssh_string(&mut blob)?.to_vec();
            Some(PublicMaterial::Ec { curve_oid: crate::names::curve_oid(name)?.to_owned(), point })
        }
        _ => None,
    }
}

/// Whether a key's public half is the certificate's public key.
pub(crate) fn matches(key: &PublicMaterial, certificate: &PublicMaterial) -> bool {
    match (key, certificate) {
        (PublicMaterial::Ec { curve_oid: a, point: p }, PublicMaterial::Ec { curve_oid: b, point: q }) => {
            a == b && (p == q || crate::derive::same_point(a, p, q))
        }
        (PublicMaterial::Other, _) => false,
        (a, b) => a == b,
    }
}
