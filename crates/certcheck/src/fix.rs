//! The vocabulary of named, machine-appliable repairs: names, order, summaries. Applying them is
//! repair.rs. A fix never changes what a report says about the input as given; applying it
//! yields a new input, which is checked again.

use core::fmt;
use core::str::FromStr;

use serde::Serialize;

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
}
