//! A stored record as every face shows it: how a vendor spells a certificate's fingerprint
//! ([`spelling`]).

use certcheck::{CertificateInfo, Destination};

/// A certificate's fingerprint as `destination`'s vendor spells it: Anthropic's SHA-256 in
/// lowercase hex, Access's `MD5 Fingerprint=…`, Gateway's SHA-256 in uppercase colon form; the
/// mTLS store shows none, so it gets SHA-256 in Cloudflare's colon form.
pub fn spelling(destination: Destination, certificate: &CertificateInfo) -> String {
    match destination {
        Destination::AnthropicTunnel => certificate.spellings.anthropic(),
        Destination::CloudflareAccess => certificate.spellings.cloudflare_access(),
        _ => certificate.spellings.cloudflare_gateway(),
    }
}
