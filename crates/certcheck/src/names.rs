//! Names for OIDs (a small table of what occurs in practice, dotted form otherwise) and
//! distinguished-name rendering, without const-oid's whole database or x509-cert's `Display`.

use std::borrow::Cow;

use crate::der_walk::{Tlv, oid_to_dotted_into, tag};

/// Short names of directory attribute types, as OpenSSL and RFC 4514 print them.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "street"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "title"),
    ("2.5.4.15", "businessCategory"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.41", "name"),
    ("2.5.4.42", "GN"),
    ("2.5.4.43", "initials"),
    ("2.5.4.44", "generationQualifier"),
    ("2.5.4.45", "x500UniqueIdentifier"),
    ("2.5.4.46", "dnQualifier"),
    ("2.5.4.65", "pseudonym"),
    ("2.5.4.97", "organizationIdentifier"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
    ("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
    ("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
    // Russian qualified certificates (GOST R 34.10; OpenSSL's names).
    ("1.2.643.3.131.1.1", "INN"),
    ("1.2.643.100.1", "OGRN"),
    ("1.2.643.100.3", "SNILS"),
];

/// Signature algorithms, named the OpenSSL way.
const SIGNATURES: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.2.840.113549.1.1.10", "rsassaPss"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
    ("1.3.14.3.2.29", "sha1WithRSA"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
    ("1.2.840.10040.4.3", "dsaWithSHA1"),
    ("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224"),
    ("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256"),
    ("2.16.840.1.101.3.4.3.10", "ecdsa_with_SHA3-256"),
    ("2.16.840.1.101.3.4.3.14", "RSA-SHA3-256"),
    ("1.3.101.112", "ED25519"),
    ("1.3.101.113", "ED448"),
    ("1.2.156.10197.1.501", "SM2-with-SM3"),
];

/// Extended key usages.
const KEY_PURPOSES: &[(&str, &str)] = &[
    ("1.3.6.1.5.5.7.3.1", "serverAuth"),
    ("1.3.6.1.5.5.7.3.2", "clientAuth"),
    ("1.3.6.1.5.5.7.3.3", "codeSigning"),
    ("1.3.6.1.5.5.7.3.4", "emailProtection"),
    ("1.3.6.1.5.5.7.3.8", "timeStamping"),
    ("1.3.6.1.5.5.7.3.9", "OCSPSigning"),
    ("2.5.29.37.0", "anyExtendedKeyUsage"),
    ("1.3.6.1.4.1.311.10.3.4", "msEFS"),
    ("1.3.6.1.4.1.311.20.2.2", "msSmartcardLogin"),
];

/// Named elliptic curves.
const CURVES: &[(&str, &str, u32)] = &[
    ("1.2.840.10045.3.1.7", "P-256", 256),
    ("1.3.132.0.34", "P-384", 384),
    ("1.3.132.0.35", "P-521", 521),
    ("1.2.840.10045.3.1.1", "P-192", 192),
    ("1.3.132.0.33", "P-224", 224),
    ("1.3.132.0.10", "secp256k1", 256),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512),
    ("1.2.156.10197.1.301", "SM2", 256),
];

fn lookup<'t>(table: &'t [(&str, &'t str)], dotted: &str) -> Option<&'t str> {
    table.iter().find(|(oid, _)| *oid == dotted).map(|(_, name)| *name)
}

/// The OpenSSL name of a signature algorithm OID (dotted form when unknown).
pub(crate) fn signature_name(dotted: &str) -> String {
    lookup(SIGNATURES, dotted).map_or_else(|| dotted.to_owned(), str::to_owned)
}

/// The name of a key purpose OID (dotted form when unknown).
pub(crate) fn key_purpose_name(dotted: &str) -> String {
    lookup(KEY_PURPOSES, dotted).map_or_else(|| dotted.to_owned(), str::to_owned)
}

/// The name and field size of a named curve.
pub(crate) fn curve(dotted: &str) -> Option<(&'static str, u32)> {
    CURVES.iter().find(|(oid, _, _)| *oid == dotted).map(|&(_, name, bits)| (name, bits))
}

/// The OID of a curve from its name (used when matching keys).
pub(crate) fn curve_oid(name: &str) -> Option<&'static str> {
    CURVES.iter().find(|(_, n, _)| *n == name).map(|&(oid, _, _)| oid)
}

/// Renders a DER `Name` (RDNSequence) RFC 4514-style: last RDN first, comma-joined,
/// multi-valued RDNs joined with `+` — the way Go prints names (`CN=x,O=y,C=US`).
pub(crate) fn render_name(der: &[u8]) -> String {
    let Some(name) = Tlv::parse_exact(der) else { return String::new() };
    let Some(rdns) = name.child_list() else { return String::new() };
    // One buffer for the whole name and one for OIDs: this runs twice for every certificate.
    let mut out = String::with_capacity(der.len());
    let mut dotted = String::with_capacity(24);
    for (position, rdn) in rdns.iter().rev().enumerate() {
        if position > 0 {
            out.push(',');
        }
        let rdn_mark = out.len();
        let mut first = true;
        let mut attributes = rdn.children();
        while !attributes.is_empty() {
            let Some(attribute) = attributes.next() else {
                // Not a clean list of attributes: the RDN renders as nothing.
                out.truncate(rdn_mark);
                break;
            };
            let mark = out.len();
            if !first {
                out.push('+');
            }
            if render_attribute(&attribute, &mut dotted, &mut out) {
                first = false;
            } else {
                out.truncate(mark);
            }
        }
    }
    out
}

/// Appends `TYPE=value` for one attribute; `false` (having appended nothing useful) for one
/// that is not `SEQUENCE { OID, value }`.
fn render_attribute(attribute: &Tlv<'_>, dotted: &mut String, out: &mut String) -> bool {
    let Some((oid, value)) = attribute.first_two_children() else { return false };
    if oid.tag != tag::OID || !oid_to_dotted_into(oid.value, dotted) {
        return false;
    }
    out.push_str(lookup(ATTRIBUTES, dotted).unwrap_or(dotted));
    out.push('=');
    match string_value(&value) {
        Some(text) => escape_into(&text, out),
        None => {
            // The DER of a value that is no string, in hex (RFC 4514 §2.4), upper case as OpenSSL prints it.
            out.push('#');
            out.push_str(&crate::fingerprint::hex(value.raw).to_ascii_uppercase());
        }
    }
    true
}

/// Decodes the ASN.1 string types that occur in names (borrowed when the bytes are UTF-8 as
/// they stand).
pub(crate) fn string_value<'a>(value: &Tlv<'a>) -> Option<Cow<'a, str>> {
    match value.tag {
        // UTF8String, PrintableString, IA5String, VisibleString, NumericString
        0x0C | 0x13 | 0x16 | 0x1A | 0x12 => Some(String::from_utf8_lossy(value.value)),
        // TeletexString: in practice Latin-1.
        0x14 => Some(Cow::Owned(value.value.iter().map(|&b| char::from(b)).collect())),
        // BMPString: UTF-16BE.
        0x1E => {
            let units = value
                .value
                .chunks(2)
                .map(|p| u16::from_be_bytes([p.first().copied().unwrap_or(0), p.get(1).copied().unwrap_or(0)]));
            Some(Cow::Owned(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect()))
        }
        // UniversalString: UTF-32BE.
        0x1C => Some(Cow::Owned(
            value
                .value
                .chunks(4)
                .map(|q| {
                    let bytes = [
                        q.first().copied().unwrap_or(0),
                        q.get(1).copied().unwrap_or(0),
                        q.get(2).copied().unwrap_or(0),
                        q.get(3).copied().unwrap_or(0),
                    ];
                    char::from_u32(u32::from_be_bytes(bytes)).unwrap_or('\u{FFFD}')
                })
                .collect(),
        )),
        _ => None,
    }
}

/// Appends `text` with RFC 4514's escapes (`,+"\\<>;` anywhere, `#` or a space first, a space last).
fn escape_into(text: &str, out: &mut String) {
    let last = text.len().saturating_sub(1);
    for (i, c) in text.char_indices() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(oid: &[u8], string_tag: u8, value: &[u8]) -> Vec<u8> {
        let mut inner = vec![tag::OID, oid.len() as u8];
        inner.extend_from_slice(oid);
        inner.extend([string_tag, value.len() as u8]);
        inner.extend_from_slice(value);
        let mut sequence = vec![tag::SEQUENCE, inner.len() as u8];
        sequence.extend(inner);
        let mut set = vec![0x31, sequence.len() as u8];
        set.extend(sequence);
        set
    }

    #[test]
    fn renders_names_in_reverse_rdn_order() {
        let mut rdns = attribute(&[0x55, 0x04, 0x06], 0x13, b"US");
        rdns.extend(attribute(&[0x55, 0x04, 0x0A], 0x0C, b"Example, Inc."));
        rdns.extend(attribute(&[0x55, 0x04, 0x03], 0x0C, b" Root"));
        let mut name = vec![tag::SEQUENCE, rdns.len() as u8];
        name.extend(rdns);
        assert_eq!(render_name(&name), r"CN=\ Root,O=Example\, Inc.,C=US");
    }
}
