#![doc = include_str!("../README.md")]
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

pub use certificate::{CertificateInfo, VerifiedBy};
pub use check::{
    GLOBAL_SIZE_LIMIT, Options, Signatures, check, check_oversized, check_with_tasks, inspect, private_key_pem,
    signature_tasks,
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
pub use signature::{SignatureTask, forget_signatures, verify_signature};
pub use time::{EXPIRES_SOON_DAYS, TimeParseError, UnixTime};

/// The input as the text certcheck's positions refer to (BOM kept as U+FEFF, UTF-16 decoded),
/// or `None` for binary input. Front ends use it to show the line a diagnostic points at.
pub fn decoded_text(input: &[u8]) -> Option<String> {
    match text::decode(input) {
        text::Decoded::Text(source) => Some(source.text.into_owned()),
        text::Decoded::Binary => None,
    }
}
