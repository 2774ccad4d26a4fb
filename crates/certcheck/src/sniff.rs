//! What a DER blob is, by its shape: certificate, CSR, CRL, PKCS#7, PKCS#12, public key,
//! private key (of which kind), or unknown.

use crate::der_walk::{Tlv, oid_to_dotted, tag};

const PKCS7_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const PKCS7_DATA: [u8; 11] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];

/// The shape of a DER blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DerKind {
    Certificate,
    Csr,
    Crl,
    /// PKCS#7 SignedData, with the certificates it carries.
    Pkcs7 {
        certificates: Vec<Vec<u8>>,
    },
    Pkcs12,
    PublicKey,
    RsaPublicKey,
    /// PKCS#8 PrivateKeyInfo / OneAsymmetricKey.
    Pkcs8,
    EncryptedPkcs8,
    RsaPrivateKey,
    EcPrivateKey,
    DsaPrivateKey,
    Unknown,
}

impl DerKind {
    pub(crate) fn is_private_key(&self) -> bool {
        matches!(
            self,
            Self::Pkcs8
                | Self::EncryptedPkcs8
                | Self::RsaPrivateKey
                | Self::EcPrivateKey
                | Self::DsaPrivateKey
                | Self::Pkcs12
        )
    }
}

/// Classifies `der` (which may carry trailing bytes; then only PKCS#12 heuristics apply).
pub(crate) fn classify(der: &[u8]) -> DerKind {
    let Some(outer) = Tlv::parse_exact(der).filter(|t| t.tag == tag::SEQUENCE) else {
        return if looks_like_pkcs12(der) { DerKind::Pkcs12 } else { DerKind::Unknown };
    };
    let Some(children) = outer.child_list() else { return DerKind::Unknown };
    let tags: Vec<u8> = children.iter().map(|c| c.tag).collect();
    match tags.as_slice() {
        [tag::SEQUENCE, tag::SEQUENCE, tag::BIT_STRING] => classify_signed(children.first()),
        [tag::SEQUENCE, tag::BIT_STRING] => DerKind::PublicKey,
        [tag::OID, tag::CONTEXT_0, ..] => {
            let oid = children.first().and_then(|c| oid_to_dotted(c.value));
            if oid.as_deref() == Some(PKCS7_SIGNED_DATA) {
                DerKind::Pkcs7 { certificates: pkcs7_certificates(children.get(1)) }
            } else {
                DerKind::Unknown
            }
        }
        [tag::INTEGER, tag::SEQUENCE, ..]
            if children.first().map(|c| c.value) == Some(&[3][..]) && looks_like_pkcs12(der) =>
        {
            DerKind::Pkcs12
        }
        [tag::INTEGER, tag::SEQUENCE, tag::OCTET_STRING, ..] => DerKind::Pkcs8,
        [tag::SEQUENCE, tag::OCTET_STRING] => DerKind::EncryptedPkcs8,
        [tag::INTEGER, tag::OCTET_STRING, ..] if children.first().map(|c| c.value) == Some(&[1][..]) => {
            DerKind::EcPrivateKey
        }
        [tag::INTEGER, tag::INTEGER] => DerKind::RsaPublicKey,
        all if all.len() == 9 && all.iter().all(|&t| t == tag::INTEGER) => DerKind::RsaPrivateKey,
        all if all.len() == 6 && all.iter().all(|&t| t == tag::INTEGER) => DerKind::DsaPrivateKey,
        _ => DerKind::Unknown,
    }
}

fn classify_signed(tbs: Option<&Tlv<'_>>) -> DerKind {
    let Some(fields) = tbs.and_then(Tlv::child_list) else { return DerKind::Unknown };
    let tags: Vec<u8> = fields.iter().map(|f| f.tag).collect();
    match tags.as_slice() {
        [tag::INTEGER, tag::SEQUENCE, tag::SEQUENCE, tag::CONTEXT_0] => DerKind::Csr,
        [
            tag::CONTEXT_0,
            tag::INTEGER,
            tag::SEQUENCE,
            tag::SEQUENCE,
            tag::SEQUENCE,
            tag::SEQUENCE,
            tag::SEQUENCE,
            ..,
        ]
        | [tag::INTEGER, tag::SEQUENCE, tag::SEQUENCE, tag::SEQUENCE, tag::SEQUENCE, tag::SEQUENCE, ..] => {
            DerKind::Certificate
        }
        [tag::INTEGER, tag::SEQUENCE, tag::SEQUENCE, 0x17 | 0x18, ..]
        | [tag::SEQUENCE, tag::SEQUENCE, 0x17 | 0x18, ..] => DerKind::Crl,
        _ => DerKind::Certificate,
    }
}

fn pkcs7_certificates(explicit: Option<&Tlv<'_>>) -> Vec<Vec<u8>> {
    let signed_data = explicit.and_then(|e| Tlv::parse_exact(e.value));
    let fields = signed_data.and_then(|s| s.child_list()).unwrap_or_default();
    fields
        .iter()
        .find(|f| f.tag == tag::CONTEXT_0)
        .and_then(Tlv::child_list)
        .unwrap_or_default()
        .iter()
        .filter(|c| c.tag == tag::SEQUENCE)
        .map(|c| c.raw.to_vec())
        .collect()
}

/// PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data), … }, often BER.
fn looks_like_pkcs12(der: &[u8]) -> bool {
    let head = der.get(..40.min(der.len())).unwrap_or_default();
    der.first() == Some(&tag::SEQUENCE)
        && head.windows(3).any(|w| w == [tag::INTEGER, 0x01, 0x03])
        && head.windows(PKCS7_DATA.len()).any(|w| w == PKCS7_DATA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(classify(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03]), DerKind::RsaPublicKey);
        assert_eq!(classify(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x03]), DerKind::EcPrivateKey);
        assert_eq!(classify(b"not der"), DerKind::Unknown);
    }
}
