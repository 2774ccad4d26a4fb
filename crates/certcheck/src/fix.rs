//! Named, machine-appliable repairs. A fix never changes what a report says about the input as
//! given; applying it yields a new input, which is checked again.

use core::fmt;
use core::str::FromStr;

use serde::Serialize;

use crate::chain;
use crate::check::{self, Options, Role};
use crate::pem;
use crate::sniff::{self, DerKind};
use crate::text::{self, Decoded};

/// A named repair, listed in the order fixes are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fix {
    /// Remove a byte-order mark (and re-encode UTF-16 as UTF-8).
    StripBom,
    /// Convert a binary DER certificate to PEM.
    DerToPem,
    /// Replace a PKCS#7 bundle with the PEM certificates inside it.
    ExtractPkcs7Certificates,
    /// Turn literal `\n` escapes back into line breaks and drop surrounding quotes.
    StripEscapedNewlines,
    /// Windows line endings to LF.
    CrlfToLf,
    /// Unicode dashes, zero-width and non-breaking spaces, NUL to their ASCII meaning.
    ReplaceLookalikeCharacters,
    /// Wrap bare base64 of a certificate in BEGIN/END CERTIFICATE lines.
    AddPemArmor,
    /// Make each END label match its BEGIN label.
    FixEndLabel,
    /// Remove text outside PEM blocks.
    DropTextOutsideBlocks,
    /// Remove private keys.
    DropPrivateKey,
    /// Remove blocks the destination does not take (CSR, public key, CRL, …).
    DropUnexpectedBlocks,
    /// Remove repeated certificates.
    DropDuplicateCertificates,
    /// Order a chain leaf first, each certificate followed by its issuer.
    ReorderChain,
    /// Keep only one certificate (the first CA, else the first).
    KeepOneCertificate,
    /// Re-wrap base64 at 64 columns.
    RewrapLines,
}

/// Every fix, in application order.
pub const ALL_FIXES: [Fix; 15] = [
    Fix::StripBom,
    Fix::DerToPem,
    Fix::ExtractPkcs7Certificates,
    Fix::StripEscapedNewlines,
    Fix::CrlfToLf,
    Fix::ReplaceLookalikeCharacters,
    Fix::AddPemArmor,
    Fix::FixEndLabel,
    Fix::DropTextOutsideBlocks,
    Fix::DropPrivateKey,
    Fix::DropUnexpectedBlocks,
    Fix::DropDuplicateCertificates,
    Fix::ReorderChain,
    Fix::KeepOneCertificate,
    Fix::RewrapLines,
];

impl Fix {
    /// The stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::StripBom => "strip_bom",
            Self::DerToPem => "der_to_pem",
            Self::ExtractPkcs7Certificates => "extract_pkcs7_certificates",
            Self::StripEscapedNewlines => "strip_escaped_newlines",
            Self::CrlfToLf => "crlf_to_lf",
            Self::ReplaceLookalikeCharacters => "replace_lookalike_characters",
            Self::AddPemArmor => "add_pem_armor",
            Self::FixEndLabel => "fix_end_label",
            Self::DropTextOutsideBlocks => "drop_text_outside_blocks",
            Self::DropPrivateKey => "drop_private_key",
            Self::DropUnexpectedBlocks => "drop_unexpected_blocks",
            Self::DropDuplicateCertificates => "drop_duplicate_certificates",
            Self::ReorderChain => "reorder_chain",
            Self::KeepOneCertificate => "keep_one_certificate",
            Self::RewrapLines => "rewrap_lines",
        }
    }
}

impl Fix {
    /// What the fix does, in a few words for a button or a menu.
    pub fn summary(self) -> &'static str {
        match self {
            Self::StripBom => "Remove the byte-order mark",
            Self::DerToPem => "Convert DER to PEM",
            Self::ExtractPkcs7Certificates => "Take the certificates out of the PKCS#7 bundle",
            Self::StripEscapedNewlines => "Turn \\n escapes into line breaks",
            Self::CrlfToLf => "Use LF line endings",
            Self::ReplaceLookalikeCharacters => "Replace look-alike characters",
            Self::AddPemArmor => "Add BEGIN/END CERTIFICATE lines",
            Self::FixEndLabel => "Make END labels match BEGIN",
            Self::DropTextOutsideBlocks => "Remove text outside PEM blocks",
            Self::DropPrivateKey => "Remove the private key",
            Self::DropUnexpectedBlocks => "Remove blocks this destination does not take",
            Self::DropDuplicateCertificates => "Remove repeated certificates",
            Self::ReorderChain => "Order the chain leaf first",
            Self::KeepOneCertificate => "Keep only one certificate",
            Self::RewrapLines => "Re-wrap at 64 columns",
        }
    }
}

impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text names no fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFix(pub String);

impl fmt::Display for UnknownFix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = ALL_FIXES.iter().map(|f| f.name()).collect();
        write!(f, "unknown fix {:?}; expected one of: {}", self.0, names.join(", "))
    }
}

impl FromStr for Fix {
    type Err = UnknownFix;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ALL_FIXES.iter().copied().find(|f| f.name() == text).ok_or_else(|| UnknownFix(text.to_owned()))
    }
}

/// Applies the named fixes (in their fixed order, each at most once) and returns the new input.
/// Fixes that do not apply leave the input alone, so applying a set twice equals applying it once.
pub fn apply_fixes(input: &[u8], fixes: &[Fix], options: &Options) -> Vec<u8> {
    let wants = |fix: Fix| fixes.contains(&fix);
    let mut text = match text::decode(input) {
        Decoded::Text(source) => source.text,
        Decoded::Binary => match sniff::classify(input) {
            DerKind::Certificate if wants(Fix::DerToPem) => pem::encode_block("CERTIFICATE", input),
            DerKind::Pkcs7 { certificates } if wants(Fix::ExtractPkcs7Certificates) => {
                certificates.iter().map(|der| pem::encode_block("CERTIFICATE", der)).collect()
            }
            _ => return input.to_vec(),
        },
    };
    if wants(Fix::StripBom)
        && let Some(rest) = text.strip_prefix('\u{FEFF}')
    {
        text = rest.to_owned();
    }
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
    if wants(Fix::AddPemArmor) && pem::scan(&text).blocks.is_empty() {
        let symbols: Vec<(usize, char)> =
            text.char_indices().filter(|(_, c)| !c.is_whitespace() && *c != '\u{FEFF}').collect();
        if let Ok(der) = pem::decode_base64(&symbols)
            && sniff::classify(&der) == DerKind::Certificate
        {
            text = pem::encode_block("CERTIFICATE", &der);
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
    let facts: Vec<Option<&crate::certificate::Facts>> =
        analysis.inspected.iter().map(|c| c.as_ref().map(|c| &c.facts)).collect();
    // Which certificates survive.
    let mut keep_certificate: Vec<bool> = vec![true; analysis.certificate_ders.len()];
    if wants(Fix::DropDuplicateCertificates) {
        for (index, der) in analysis.certificate_ders.iter().enumerate() {
            if analysis.certificate_ders.iter().take(index).any(|earlier| earlier == der)
                && let Some(keep) = keep_certificate.get_mut(index)
            {
                *keep = false;
            }
        }
    }
    if wants(Fix::KeepOneCertificate) {
        let chosen = facts.iter().position(|f| f.is_some_and(|f| f.is_ca())).unwrap_or(0);
        for (index, keep) in keep_certificate.iter_mut().enumerate() {
            *keep = *keep && index == chosen;
        }
    }
    // Only certificates that are blocks of their own change places; those inside a PKCS#7 block
    // stay in it (or come out of it, with ExtractPkcs7Certificates, in a pass of their own).
    let standalone = |ordinal: usize| {
        analysis.certificate_blocks.get(ordinal).copied().flatten().and_then(|block| analysis.roles.get(block))
            == Some(&Role::Certificate(ordinal))
    };
    let mut certificate_order: Vec<usize> =
        (0..keep_certificate.len()).filter(|&i| keep_certificate.get(i) == Some(&true) && standalone(i)).collect();
    if wants(Fix::ReorderChain) && facts.iter().all(Option::is_some) {
        let kept: Vec<&crate::certificate::Facts> =
            certificate_order.iter().filter_map(|&i| facts.get(i).copied().flatten()).collect();
        let order = chain::chain_order(&kept);
        certificate_order = order.iter().filter_map(|&i| certificate_order.get(i).copied()).collect();
    }
    let render_block = |index: usize| -> Option<String> {
        let block = blocks.get(index)?;
        let original = text.get(block.start..block.end)?;
        let reencode = (wants(Fix::RewrapLines) || wants(Fix::FixEndLabel)) && block.headers.is_empty();
        match (&block.data, reencode) {
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
                    let block_index = analysis.certificate_blocks.get(slot).copied().flatten().unwrap_or(index);
                    out.extend(render_block(block_index));
                }
            }
            Some(Role::PrivateKey) if wants(Fix::DropPrivateKey) => {}
            Some(Role::Pkcs7) if wants(Fix::ExtractPkcs7Certificates) => {
                let certificates = match block.data.as_deref().map(sniff::classify) {
                    Some(DerKind::Pkcs7 { certificates }) => certificates,
                    _ => Vec::new(),
                };
                out.extend(certificates.iter().map(|der| pem::encode_block("CERTIFICATE", der)));
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

    #[test]
    fn every_fix_has_its_own_summary() {
        let summaries: Vec<&str> = ALL_FIXES.iter().map(|fix| fix.summary()).collect();
        let mut distinct = summaries.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), ALL_FIXES.len());
        assert_eq!(Fix::StripEscapedNewlines.summary(), "Turn \\n escapes into line breaks");
    }

    /// Found by `cargo xtask fuzz check`: a run of carriage returns before a line feed lost only
    /// one of them per application.
    #[test]
    fn line_endings_are_fixed_in_one_application() {
        let options = Options::new(None, crate::UnixTime(0));
        let fixed = apply_fixes(b"a\r\r\r\nb\rc\r\nd\r\r", &[Fix::CrlfToLf], &options);
        assert_eq!(fixed, b"a\nb\rc\nd");
        assert_eq!(apply_fixes(&fixed, &[Fix::CrlfToLf], &options), fixed);
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
