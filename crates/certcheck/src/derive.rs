//! Deriving public keys from private scalars (feature `derive-public-keys`), for keys that
//! omit their public half; and comparing EC points across compressed/uncompressed forms.

/// SEC1 uncompressed point `d·G` on the named curve, if the curve is supported.
#[cfg(feature = "derive-public-keys")]
pub(crate) fn ec_public_point(curve_oid: &str, scalar: &[u8]) -> Option<Vec<u8>> {
    fn padded(scalar: &[u8], size: usize) -> Option<Vec<u8>> {
        let trimmed: &[u8] = {
            let skip = scalar.len().saturating_sub(size);
            if scalar.iter().take(skip).any(|&b| b != 0) {
                return None;
            }
            scalar.get(skip..)?
        };
        let mut out = vec![0u8; size - trimmed.len()];
        out.extend_from_slice(trimmed);
        Some(out)
    }
    match curve_oid {
        "1.2.840.10045.3.1.7" => {
            p256::SecretKey::from_slice(&padded(scalar, 32)?).ok().map(|k| k.public_key().to_sec1_bytes().to_vec())
        }
        "1.3.132.0.34" => {
            p384::SecretKey::from_slice(&padded(scalar, 48)?).ok().map(|k| k.public_key().to_sec1_bytes().to_vec())
        }
        "1.3.132.0.35" => {
            p521::SecretKey::from_slice(&padded(scalar, 66)?).ok().map(|k| k.public_key().to_sec1_bytes().to_vec())
        }
        _ => None,
    }
}

/// Without the feature, keys that omit their public half cannot be matched.
#[cfg(not(feature = "derive-public-keys"))]
pub(crate) fn ec_public_point(_curve_oid: &str, _scalar: &[u8]) -> Option<Vec<u8>> {
    None
}

/// Whether two SEC1 encodings (compressed or not) are the same point.
#[cfg(feature = "derive-public-keys")]
pub(crate) fn same_point(curve_oid: &str, a: &[u8], b: &[u8]) -> bool {
    fn normal(curve_oid: &str, point: &[u8]) -> Option<Vec<u8>> {
        match curve_oid {
            "1.2.840.10045.3.1.7" => p256::PublicKey::from_sec1_bytes(point).ok().map(|k| k.to_sec1_bytes().to_vec()),
            "1.3.132.0.34" => p384::PublicKey::from_sec1_bytes(point).ok().map(|k| k.to_sec1_bytes().to_vec()),
            "1.3.132.0.35" => p521::PublicKey::from_sec1_bytes(point).ok().map(|k| k.to_sec1_bytes().to_vec()),
            _ => None,
        }
    }
    matches!((normal(curve_oid, a), normal(curve_oid, b)), (Some(x), Some(y)) if x == y)
}

/// Without the feature, only byte-identical points compare equal.
#[cfg(not(feature = "derive-public-keys"))]
pub(crate) fn same_point(_curve_oid: &str, a: &[u8], b: &[u8]) -> bool {
    a == b
}

/// The Ed25519 public key of a 32-byte seed.
#[cfg(feature = "derive-public-keys")]
pub(crate) fn ed25519_public(seed: &[u8]) -> Option<Vec<u8>> {
    let seed: [u8; 32] = seed.try_into().ok()?;
    Some(ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes().to_vec())
}

/// Without the feature, an Ed25519 key without its public half cannot be matched.
#[cfg(not(feature = "derive-public-keys"))]
pub(crate) fn ed25519_public(_seed: &[u8]) -> Option<Vec<u8>> {
    None
}
