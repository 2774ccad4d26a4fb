//! Applying named fixes: each one a pass over the text (or a rebuild block by block from the
//! analysis of the input), in the fixed order of [`ALL_FIXES`](crate::ALL_FIXES).

use crate::chain;
use crate::check::{self, Options, Role};
use crate::fix::Fix;
use crate::pem::{self, Label};
use crate::sniff::{self, DerKind};
use crate::text::{self, Decoded};

/// Applies the named fixes (in their fixed order, each at most once) and returns the new input.
/// Fixes that do not apply leave the input alone, so applying a set twice equals applying it once.
pub fn apply_fixes(input: &[u8], fixes: &[Fix], options: &Options) -> Vec<u8> {
    let wants = |fix: Fix| fixes.contains(&fix);
    let mut text = match text::decode(input) {
        Decoded::Text(source) => source.text.into_owned(),
        Decoded::Binary => match sniff::classify(input) {
            DerKind::Certificate if wants(Fix::DerToPem) => pem::encode_block(Label::Certificate.text(), input),
            DerKind::Pkcs7 { certificates } if wants(Fix::ExtractPkcs7Certificates) => {
                certificates.iter().map(|der| pem::encode_block(Label::Certificate.text(), der)).collect()
            }
            _ => return input.to_vec(),
        },
    };
    let block_fixes = [
        Fix::FixEndLabel,
        Fix::DropTextOutsideBlocks,
        Fix::DropPrivateKey,
        Fix::DropUnexpectedBlocks,
        Fix::DropDuplicateCertificates,
        Fix::ReorderChain,
        Fix::KeepOneCertificate,
        Fix::RewrapLines,
        Fix::ExtractPkcs7Certificates,
    ];
    let any_block_fix = block_fixes.iter().any(|&f| wants(f));
    // The character-level fixes feed each other: dropping a zero-width character or a byte-order
    // mark joins two runs of carriage returns, or a backslash and an `n`; undoing an escape makes
    // a carriage return. They run together until the text stops changing, so that applying a set
    // of fixes twice equals applying it once. Each round that changes anything makes the text
    // shorter or more ASCII, so the loop ends; the bound is a second guarantee.
    for _ in 0..text.len().min(64) + 1 {
        let before = text.len();
        let before_ascii = text.bytes().filter(u8::is_ascii).count();
        if wants(Fix::StripBom)
            && let Some(rest) = text.strip_prefix('\u{FEFF}')
        {
            text = rest.to_owned();
        }
        if (wants(Fix::StripEscapedNewlines) || any_block_fix)
            && let Some(escapes) = text::find_escapes(&text)
        {
            text = text::unescape(&text, escapes).text;
        }
        if wants(Fix::CrlfToLf) {
            text = crlf_to_lf(&text);
        }
        if wants(Fix::ReplaceLookalikeCharacters) {
            let bom = text.starts_with('\u{FEFF}');
            let folded: String = text.chars().filter_map(|c| pem::fold_lookalike(c).unwrap_or(Some(c))).collect();
            text = if bom { format!("\u{FEFF}{folded}") } else { folded };
        }
        let unchanged = text.len() == before && text.bytes().filter(u8::is_ascii).count() == before_ascii;
        if unchanged {
            break;
        }
    }
    if wants(Fix::AddPemArmor) && pem::scan(&text).blocks.is_empty() {
        let symbols: Vec<(usize, char)> =
            text.char_indices().filter(|(_, c)| !c.is_whitespace() && *c != '\u{FEFF}').collect();
        if let Ok(der) = pem::decode_base64(&symbols)
            && sniff::classify(&der) == DerKind::Certificate
        {
            text = pem::encode_block(Label::Certificate.text(), &der);
        }
    }
    if any_block_fix {
        if wants(Fix::ExtractPkcs7Certificates) {
            // The certificates inside a PKCS#7 block take part in the certificate fixes
            // (duplicates, order, keep one) only as blocks of their own: take them out first, or
            // a second application would still find work to do.
            text = rebuild(&text, &[Fix::ExtractPkcs7Certificates], options);
        }
        text = rebuild(&text, fixes, options);
    }
    text.into_bytes()
}

/// Every run of carriage returns before a line feed or at the end of the text goes (`\r\r\n`
/// too, or a second application would still find one to remove); a carriage return inside a
/// line stays.
fn crlf_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut returns = 0;
    for c in text.chars() {
        match c {
            '\r' => returns += 1,
            '\n' => {
                returns = 0;
                out.push('\n');
            }
            other => {
                out.extend(core::iter::repeat_n('\r', returns));
                returns = 0;
                out.push(other);
            }
        }
    }
    out
}

/// Re-assembles the text block by block, keeping, dropping, re-encoding or reordering.
fn rebuild(text: &str, fixes: &[Fix], options: &Options) -> String {
    let wants = |fix: Fix| fixes.contains(&fix);
    let analysis = check::analyze(text.as_bytes(), options);
    let blocks = &analysis.scan.blocks;
    // Which certificates survive: duplicates are the ones the analysis linked to an earlier copy.
    let mut keep_certificate: Vec<bool> = analysis
        .certificates
        .iter()
        .map(|c| !(wants(Fix::DropDuplicateCertificates) && c.link.duplicate_of.is_some()))
        .collect();
    if wants(Fix::KeepOneCertificate) {
        let chosen = analysis
            .certificates
            .iter()
            .position(|c| c.inspected.as_ref().is_some_and(|c| c.facts.is_ca()))
            .unwrap_or(0);
        for (index, keep) in keep_certificate.iter_mut().enumerate() {
            *keep = *keep && index == chosen;
        }
    }
    // Only certificates that are blocks of their own change places; those inside a PKCS#7 block
    // stay in it (or come out of it, with ExtractPkcs7Certificates, in a pass of their own).
    let standalone = |ordinal: usize| {
        analysis.certificates.get(ordinal).and_then(|c| c.block).and_then(|block| analysis.roles.get(block))
            == Some(&Role::Certificate(ordinal))
    };
    let mut certificate_order: Vec<usize> =
        (0..keep_certificate.len()).filter(|&i| keep_certificate.get(i) == Some(&true) && standalone(i)).collect();
    if wants(Fix::ReorderChain) && analysis.certificates.iter().all(|c| c.inspected.is_some()) {
        certificate_order = chain::chain_order(&analysis.links(), &certificate_order);
    }
    let render_block = |index: usize| -> Option<String> {
        let block = blocks.get(index)?;
        let original = text.get(block.start..block.end)?;
        let reencode = (wants(Fix::RewrapLines) || wants(Fix::FixEndLabel)) && block.headers.is_empty();
        // A certificate's bytes moved from its block to the analysis's list.
        let data = match (&block.data, analysis.roles.get(index)) {
            (Some(data), _) => Some(data.as_slice()),
            (None, Some(Role::Certificate(ordinal))) => {
                analysis.certificates.get(*ordinal).map(|c| &*c.der).filter(|der| !der.is_empty())
            }
            (None, _) => None,
        };
        match (data, reencode) {
            (Some(data), true) => Some(pem::encode_block(&block.label, data)),
            _ => Some(format!("{original}\n")),
        }
    };
    let mut certificate_slots = certificate_order.into_iter();
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (index, block) in blocks.iter().enumerate() {
        let between = text.get(cursor..block.start).unwrap_or("");
        if !wants(Fix::DropTextOutsideBlocks) {
            out.push_str(between);
        }
        cursor = block.end;
        if text.get(cursor..cursor + 1) == Some("\n") {
            cursor += 1;
        }
        match analysis.roles.get(index) {
            Some(Role::Certificate(ordinal)) => {
                if keep_certificate.get(*ordinal) == Some(&true) {
                    let slot = certificate_slots.next().unwrap_or(*ordinal);
                    let block_index = analysis.certificates.get(slot).and_then(|c| c.block).unwrap_or(index);
                    out.extend(render_block(block_index));
                }
            }
            Some(Role::PrivateKey) if wants(Fix::DropPrivateKey) => {}
            Some(Role::Pkcs7) if wants(Fix::ExtractPkcs7Certificates) => {
                let certificates = match block.data.as_deref().map(sniff::classify) {
                    Some(DerKind::Pkcs7 { certificates }) => certificates,
                    _ => Vec::new(),
                };
                out.extend(certificates.iter().map(|der| pem::encode_block(Label::Certificate.text(), der)));
            }
            Some(Role::Other | Role::Pkcs7) if wants(Fix::DropUnexpectedBlocks) => {}
            _ => out.extend(render_block(index)),
        }
    }
    if !wants(Fix::DropTextOutsideBlocks) {
        out.push_str(text.get(cursor..).unwrap_or(""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::ALL_FIXES;

    /// Found by `cargo xtask fuzz check`: a run of carriage returns before a line feed lost only
    /// one of them per application.
    #[test]
    fn line_endings_are_fixed_in_one_application() {
        let options = Options::new(None, crate::UnixTime(0));
        let fixed = apply_fixes(b"a\r\r\r\nb\rc\r\nd\r\r", &[Fix::CrlfToLf], &options);
        assert_eq!(fixed, b"a\nb\rc\nd");
        assert_eq!(apply_fixes(&fixed, &[Fix::CrlfToLf], &options), fixed);
    }

    /// Found by the fuzz stage of `cargo xtask test` on a fresh machine (fuzz/seeds/check/
    /// bom-returns-quotes): a `$'…'` string whose END line is followed by carriage returns, a
    /// byte-order mark, more returns and the closing quote. Replacing look-alike characters (the
    /// mark) ran after the line endings were fixed and joined two runs of returns, which only a
    /// second application removed. The character-level fixes now run to a fixed point.
    #[test]
    fn returns_around_a_byte_order_mark_are_fixed_in_one_application() {
        let data = include_bytes!("../../../fuzz/seeds/check/bom-returns-quotes");
        let input = data.get(1..).unwrap_or_default();
        let options =
            Options::new(Some(crate::Destination::CloudflareMtls { ca: true }), crate::UnixTime(1_795_000_000));
        let once = apply_fixes(input, &ALL_FIXES, &options);
        assert_eq!(apply_fixes(&once, &ALL_FIXES, &options), once);
        assert!(!once.contains(&b'\r'));
    }

    /// Found by `cargo xtask fuzz check`: a PKCS#7 bundle followed by a certificate, for Gateway
    /// (one certificate wanted). The first application took the certificates out of the bundle
    /// but kept them all; only the second kept one.
    #[test]
    fn certificates_from_a_pkcs7_block_take_part_in_the_other_fixes_at_once() {
        let bundle = include_str!("../../../tests/data/access/bundle-p7b.pem");
        let root = include_str!("../../../tests/data/anthropic/good-rsa-ca.pem");
        let input = format!("{bundle}{root}");
        let options = Options::new(Some(crate::Destination::CloudflareGateway), crate::UnixTime(1_795_000_000));
        let once = apply_fixes(input.as_bytes(), &ALL_FIXES, &options);
        assert_eq!(apply_fixes(&once, &ALL_FIXES, &options), once);
        let report = check::check(&once, &options);
        assert_eq!(report.certificates.len(), 1);
        assert!(!String::from_utf8_lossy(&once).contains("PKCS7"));
    }
}
