//! Re-encoding BER-ish certificates as DER, remembering where the input first strayed from
//! DER, so a certificate OpenSSL loads is inspected (with `cert.not_der`) instead of refused.

use crate::der_walk::{Reader, Tlv, tag};

/// DER re-encoding of `input` and the offset of the first non-DER encoding, if there was one.
pub(crate) fn to_der(input: &[u8]) -> Option<(Vec<u8>, usize)> {
    let tlv = Tlv::parse_exact(input)?;
    let mut first_difference = None;
    let mut out = Vec::with_capacity(input.len());
    encode(&tlv, &mut out, &mut first_difference, 0)?;
    first_difference.map(|offset| (out, offset))
}

fn encode(tlv: &Tlv<'_>, out: &mut Vec<u8>, first: &mut Option<usize>, depth: usize) -> Option<()> {
    if depth > 64 {
        return None;
    }
    let header_len = tlv.raw.len() - tlv.value.len();
    if header_len != 1 + length_octets(tlv.value.len()).len() {
        first.get_or_insert(tlv.offset + 1);
    }
    let mut content = Vec::with_capacity(tlv.value.len());
    if tlv.tag & 0x20 != 0 {
        let mut reader = Reader::new(tlv.value);
        let mut children = tlv.children();
        while !reader.is_empty() {
            let child = children.next()?;
            reader.next()?;
            let is_default_false = tlv.tag == tag::SEQUENCE && child.tag == tag::BOOLEAN && child.value == [0];
            if is_default_false {
                first.get_or_insert(child.offset);
                continue;
            }
            encode(&child, &mut content, first, depth + 1)?;
        }
    } else {
        match tlv.tag {
            tag::BOOLEAN if tlv.value.len() == 1 && tlv.value != [0] && tlv.value != [0xFF] => {
                first.get_or_insert(tlv.offset + header_len);
                content.push(0xFF);
            }
            tag::INTEGER => {
                let mut value = tlv.value;
                while let [a, b, ..] = value {
                    let redundant = (*a == 0 && b & 0x80 == 0) || (*a == 0xFF && b & 0x80 != 0);
                    if !redundant {
                        break;
                    }
                    first.get_or_insert(tlv.offset + header_len);
                    value = value.get(1..)?;
                }
                content.extend_from_slice(value);
            }
            _ => content.extend_from_slice(tlv.value),
        }
    }
    out.push(tlv.tag);
    out.extend(length_octets(content.len()));
    out.extend(content);
    Some(())
}

fn length_octets(length: usize) -> Vec<u8> {
    if length < 0x80 {
        return vec![length as u8];
    }
    let bytes = length.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    let significant = bytes.get(skip..).unwrap_or_default();
    let mut out = vec![0x80 | significant.len() as u8];
    out.extend_from_slice(significant);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_input_is_left_alone() {
        assert_eq!(to_der(&[0x30, 0x03, 0x02, 0x01, 0x05]), None);
    }

    #[test]
    fn long_form_lengths_and_padded_integers_are_fixed() {
        let ber = [0x30, 0x81, 0x04, 0x02, 0x02, 0x00, 0x05];
        assert_eq!(to_der(&ber), Some((vec![0x30, 0x03, 0x02, 0x01, 0x05], 1)));
    }

    #[test]
    fn explicit_default_false_is_dropped() {
        let ber = [0x30, 0x06, 0x01, 0x01, 0x00, 0x04, 0x01, 0xAA];
        assert_eq!(to_der(&ber), Some((vec![0x30, 0x03, 0x04, 0x01, 0xAA], 2)));
    }
}
