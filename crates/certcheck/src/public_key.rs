//! Public keys: what a SubjectPublicKeyInfo holds, summarised for the report and kept for
//! matching private keys.

use serde::Serialize;

use crate::der_walk::{Tlv, oid_to_dotted, tag};
use crate::names;

pub(crate) const RSA: &str = "1.2.840.113549.1.1.1";
pub(crate) const RSA_PSS: &str = "1.2.840.113549.1.1.10";
pub(crate) const EC: &str = "1.2.840.10045.2.1";
pub(crate) const ED25519: &str = "1.3.101.112";
pub(crate) const ED448: &str = "1.3.101.113";
pub(crate) const X25519: &str = "1.3.101.110";
pub(crate) const X448: &str = "1.3.101.111";
pub(crate) const DSA: &str = "1.2.840.10040.4.1";

/// The `key` object of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, `X25519`, `X448`, `RSASSA-PSS`, or a dotted OID.
    pub algorithm: String,
    /// Modulus bits (RSA), field bits (EC), prime bits (DSA), key bits (EdDSA).
    pub bits: Option<u32>,
    /// Named curve for EC keys (`P-256`, …; dotted OID when unknown).
    pub curve: Option<String>,
}

/// The public key itself, in a form private keys can be compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PublicMaterial {
    Rsa { modulus: Vec<u8>, exponent: Vec<u8> },
    Ec { curve_oid: String, point: Vec<u8> },
    Ed25519(Vec<u8>),
    Ed448(Vec<u8>),
    Dsa { y: Vec<u8> },
    Other,
}

/// A parsed SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PublicKey {
    pub(crate) info: KeyInfo,
    pub(crate) material: PublicMaterial,
}

fn bit_length(magnitude: &[u8]) -> u32 {
    match magnitude.first() {
        None => 0,
        Some(&top) => {
            let bytes = u32::try_from(magnitude.len()).unwrap_or(u32::MAX / 8);
            (bytes - 1).saturating_mul(8) + (8 - top.leading_zeros())
        }
    }
}

/// Reads a DER SubjectPublicKeyInfo; `None` if it is malformed.
pub(crate) fn parse_spki(der: &[u8]) -> Option<PublicKey> {
    let spki = Tlv::parse_exact(der)?;
    let [algorithm, key] = spki.first_children()?;
    let (algorithm, key) = (algorithm?, key?);
    let [oid, parameters] = algorithm.first_children()?;
    let oid = oid_to_dotted(oid?.value)?;
    let parameters = parameters.as_ref();
    if key.tag != tag::BIT_STRING {
        return None;
    }
    let key_bytes = key.value.get(1..)?;
    Some(from_parts(&oid, parameters, key_bytes))
}

/// Builds the summary from an algorithm OID, its parameters and the key bits.
pub(crate) fn from_parts(oid: &str, parameters: Option<&Tlv<'_>>, key_bytes: &[u8]) -> PublicKey {
    let simple = |algorithm: &str, bits: Option<u32>| KeyInfo { algorithm: algorithm.to_owned(), bits, curve: None };
    match oid {
        RSA | RSA_PSS => {
            let [modulus, exponent] = Tlv::parse_exact(key_bytes).and_then(|s| s.first_children()).unwrap_or_default();
            let modulus = modulus.as_ref().and_then(Tlv::unsigned_integer).unwrap_or_default().to_vec();
            let exponent = exponent.as_ref().and_then(Tlv::unsigned_integer).unwrap_or_default().to_vec();
            let name = if oid == RSA { "RSA" } else { "RSASSA-PSS" };
            PublicKey {
                info: simple(name, Some(bit_length(&modulus))),
                material: PublicMaterial::Rsa { modulus, exponent },
            }
        }
        EC => {
            let curve_oid = parameters.filter(|p| p.tag == tag::OID).and_then(|p| oid_to_dotted(p.value));
            let (curve, bits) = match curve_oid.as_deref().and_then(names::curve) {
                Some((name, bits)) => (Some(name.to_owned()), Some(bits)),
                None => {
                    // Unknown or explicit parameters: estimate the field size from the point.
                    let coordinate = key_bytes.len().saturating_sub(1) / 2;
                    (
                        Some(curve_oid.clone().unwrap_or_else(|| "explicit parameters".to_owned())),
                        u32::try_from(coordinate * 8).ok(),
                    )
                }
            };
            PublicKey {
                info: KeyInfo { algorithm: "EC".to_owned(), bits, curve },
                material: PublicMaterial::Ec { curve_oid: curve_oid.unwrap_or_default(), point: key_bytes.to_vec() },
            }
        }
        ED25519 => {
            PublicKey { info: simple("Ed25519", Some(256)), material: PublicMaterial::Ed25519(key_bytes.to_vec()) }
        }
        ED448 => PublicKey { info: simple("Ed448", Some(456)), material: PublicMaterial::Ed448(key_bytes.to_vec()) },
        X25519 => PublicKey { info: simple("X25519", Some(253)), material: PublicMaterial::Other },
        X448 => PublicKey { info: simple("X448", Some(448)), material: PublicMaterial::Other },
        DSA => {
            let p = parameters
                .and_then(Tlv::child_list)
                .and_then(|l| l.first().and_then(Tlv::unsigned_integer).map(bit_length));
            let y = Tlv::parse_exact(key_bytes).and_then(|t| t.unsigned_integer()).unwrap_or_default().to_vec();
            PublicKey { info: simple("DSA", p), material: PublicMaterial::Dsa { y } }
        }
        other => PublicKey { info: simple(other, None), material: PublicMaterial::Other },
    }
}

impl PublicKey {
    /// The weakness a verifier would object to, if any (`RSA 1024 bits`, `EC P-192`).
    pub(crate) fn weakness(&self) -> Option<String> {
        let KeyInfo { algorithm, bits, curve } = &self.info;
        match (algorithm.as_str(), bits) {
            ("RSA" | "RSASSA-PSS" | "DSA", Some(bits)) if *bits < 2048 => Some(format!("{algorithm} {bits} bits")),
            ("EC", Some(bits)) if *bits < 256 => Some(format!("EC {}", curve.as_deref().unwrap_or("unknown curve"))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0x80, 0x00]), 16);
    }
}
