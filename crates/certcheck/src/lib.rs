#![doc = include_str!("../README.md")]
//!
//! # Example
//!
//! A CA pasted from a JSON document (its line breaks written as `\n`) checked for two
//! destinations: the problem is reported at its line and column with the fix that repairs it,
//! the key type is judged per vendor, and the fingerprints come in each vendor's spelling.
//!
//! ```
//! use certcheck::{Destination, Fix, Options, UnixTime, Verdict, apply_fixes, check};
//!
//! // An Ed25519 CA (tests/data/signatures/ed25519-ca.pem) as a JSON string holds it. The
//! // fingerprints below are `openssl x509 -fingerprint -sha256` and `-md5`.
//! const CA: &str = "\"-----BEGIN CERTIFICATE-----\\n\
//! MIIBLzCB4qADAgECAgIQJTAFBgMrZXAwHzEdMBsGA1UEAwwUY2VydGNoZWNrIGVk\\n\
//! MjU1MTkgQ0EwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAfMR0wGwYD\\n\
//! VQQDDBRjZXJ0Y2hlY2sgZWQyNTUxOSBDQTAqMAUGAytlcAMhAEVtAeIPW+X3N6Es\\n\
//! gHnnynKj2P2MB4g3p3pubuDkmC6Fo0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud\\n\
//! DwEB/wQEAwIBBjAdBgNVHQ4EFgQUE6tjGsmapPg1pAgS6yx17uNZk6UwBQYDK2Vw\\n\
//! A0EA7xttahUoW/7qrNhDAtyc2YHeZgW/8vrojdoBe44SkZBvoAIe45KnPNOCnthf\\n\
//! TiTAPbdJV4VaPNd39KVxxO2XBQ==\\n\
//! -----END CERTIFICATE-----\\n\"";
//!
//! // certcheck reads no clock: the time every date is judged at is an argument.
//! let now = UnixTime::parse_rfc3339("2026-11-22T00:00:00Z").unwrap();
//! let access = Options::new(Some(Destination::CloudflareAccess), now);
//!
//! let report = check(CA.as_bytes(), &access);
//! assert_eq!(report.verdict, Verdict::Error);
//! let escaped = report.diagnostics.iter().find(|d| d.finding.code() == "pem.escaped_newlines").unwrap();
//! assert_eq!((escaped.line, escaped.column), (Some(1), Some(29)));
//! assert_eq!(escaped.fix, Some(Fix::StripEscapedNewlines));
//!
//! // Every offered fix applied: the PEM as it should be pasted.
//! let fixed = apply_fixes(CA.as_bytes(), &report.offered_fixes(), &access);
//! assert!(fixed.starts_with(b"-----BEGIN CERTIFICATE-----\nMIIBLzCB4q"));
//! let report = check(&fixed, &access);
//! let ca = &report.certificates[0];
//! assert_eq!(ca.subject, "CN=certcheck ed25519 CA");
//! assert!(ca.is_ca && ca.self_signed);
//! assert_eq!(ca.spellings.anthropic(), "e779618279638de3799250434b97ac6854865436975c680eb372bbc9905d28bc");
//! assert_eq!(ca.spellings.cloudflare_access(), "MD5 Fingerprint=C4:0C:C1:1E:76:65:2E:FB:F8:B3:51:70:F5:D2:EC:D0");
//!
//! // The same certificate is refused for an Anthropic MCP tunnel, by a rule with a stable code.
//! let tunnel = check(&fixed, &Options::new(Some(Destination::AnthropicTunnel), now));
//! assert_eq!(tunnel.verdict, Verdict::Error);
//! assert!(tunnel.has("cert.key_algorithm"));
//! ```
#![forbid(unsafe_code)]

mod ber;
mod certificate;
mod chain;
mod check;
mod constraints;
mod der_walk;
mod derive;
mod destination;
mod diagnostic;
mod fingerprint;
mod fix;
mod lints;
mod message;
mod names;
mod peer;
mod pem;
mod private_key;
mod profile;
mod public_key;
mod repair;
mod report;
mod rules;
mod signature;
mod sniff;
mod text;
mod time;

pub use certificate::{CertificateInfo, KeyPurpose, VerifiedBy};
pub use check::{
    GLOBAL_SIZE_LIMIT, Options, Signatures, check, check_oversized, check_with_decrypted_keys, check_with_tasks,
    inspect, private_key_pem, signature_tasks,
};
pub use destination::{DESTINATION_NAMES, Destination, DestinationEntry, DestinationError, Profile};
pub use diagnostic::{
    Base64Problem, ChainPlacement, Diagnostic, Finding, InputKind, KeyIdProblem, NameConstraintProblem, NotCaReason,
    ProfileProblem, Severity, SizeLimit,
};
pub use fingerprint::{
    Algorithm, FingerprintHex, FingerprintParseError, Fingerprints, Md5Fingerprint, ParsedFingerprint, Sha1Fingerprint,
    Sha256Fingerprint, Spellings, colon_hex, fingerprints_equal, hex, parse_fingerprint, unpadded_colon_hex,
};
pub use fix::{ALL_FIXES, Fix, UnknownFix};
pub use peer::{NoPeerCheck, PathStep, PeerOptions, PeerReport, verify_peer};
pub use private_key::{KeyKind, PrivateKeyInfo};
pub use public_key::KeyInfo;
pub use repair::apply_fixes;
pub use report::{Report, Verdict};
pub use rules::{RULES, Rule, rule};
pub use signature::{SignatureResult, SignatureTask, forget_signatures, signature_tasks_of, verify_signature};
pub use time::{EXPIRES_SOON_DAYS, TimeParseError, UnixTime};

/// The input as the text certcheck's positions refer to (BOM kept as U+FEFF, UTF-16 decoded),
/// or `None` for binary input. Front ends use it to show the line a diagnostic points at.
pub fn decoded_text(input: &[u8]) -> Option<String> {
    match text::decode(input) {
        text::Decoded::Text(source) => Some(source.text.into_owned()),
        text::Decoded::Binary => None,
    }
}
