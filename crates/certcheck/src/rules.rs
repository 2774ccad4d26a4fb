//! The lint table (zlint-style): every rule once, with its severity per destination, a one-line
//! description and where the rule comes from. The dashboard shows "why" from here and a test
//! walks the whole table.

use crate::destination::Profile;
use crate::diagnostic::Severity;

/// One rule of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable diagnostic code.
    pub code: &'static str,
    /// Severity for `inspect`, `anthropic-tunnel`, `cloudflare-access`, `cloudflare-mtls --ca`,
    /// `cloudflare-mtls --no-ca`, `cloudflare-gateway`; `None` where the rule does not apply.
    pub severities: [Option<Severity>; 6],
    /// What the rule checks.
    pub description: &'static str,
    /// Where the rule comes from (RFC section or vendor page).
    pub citation: &'static str,
}

/// `{ code, severities: { inspect, anthropic-tunnel, …: "error" | "warning" | "info" | null },
/// description, citation }`: what the CLI's `rules --json` and npm's `rules()` list.
impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeStruct};
        struct Severities<'a>(&'a Rule);
        impl serde::Serialize for Severities<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(Profile::ALL.len()))?;
                for profile in Profile::ALL {
                    map.serialize_entry(profile.name(), &self.0.severity(profile))?;
                }
                map.end()
            }
        }
        let mut rule = serializer.serialize_struct("Rule", 4)?;
        rule.serialize_field("code", self.code)?;
        rule.serialize_field("severities", &Severities(self))?;
        rule.serialize_field("description", self.description)?;
        rule.serialize_field("citation", self.citation)?;
        rule.end()
    }
}

impl Rule {
    /// Severity of this rule for a profile, or `None` when it does not apply.
    pub fn severity(&self, profile: Profile) -> Option<Severity> {
        self.severities.get(profile.column()).copied().flatten()
    }
}

const E: Option<Severity> = Some(Severity::Error);
const W: Option<Severity> = Some(Severity::Warning);
const I: Option<Severity> = Some(Severity::Info);
const N: Option<Severity> = None;

const RFC5280: &str = "RFC 5280";
const ANTHROPIC: &str = "Anthropic MCP tunnels reference, \"Certificate requirements\"";

/// One rule: a named constant, so that [`Finding::rule`](crate::Finding::rule) names it by type.
macro_rules! rule {
    ($name:ident, $code:literal, [$($s:ident),*], $description:literal, $citation:expr) => {
        #[doc = concat!("`", $code, "`: ", $description)]
        pub(crate) const $name: Rule =
            Rule { code: $code, severities: [$($s),*], description: $description, citation: $citation };
    };
}

rule!(
    BUNDLE_COUNT,
    "bundle.count",
    [N, E, N, N, N, W],
    "The destination takes a set number of certificates (Anthropic: exactly one).",
    ANTHROPIC
);
rule!(
    CERT_BC_NOT_CRITICAL,
    "cert.bc_not_critical",
    [N, E, W, W, W, W],
    "basicConstraints on a CA must be marked critical.",
    "RFC 5280 4.2.1.9; Anthropic requires it"
);
rule!(CERT_DUPLICATE, "cert.duplicate", [W, W, W, W, W, W], "The same certificate appears twice.", "certcheck");
rule!(
    CERT_DUPLICATE_EXTENSION,
    "cert.duplicate_extension",
    [E, E, E, E, E, E],
    "A certificate must not include more than one instance of an extension.",
    "RFC 5280 4.2"
);
rule!(
    CERT_EKU_NO_CLIENT_AUTH,
    "cert.eku_no_client_auth",
    [N, N, W, W, W, N],
    "An intermediate's extendedKeyUsage lacks clientAuth; verifiers such as webpki enforce EKU on every non-anchor.",
    "RFC 5280 4.2.1.12; rustls-webpki"
);
rule!(CERT_EXPIRED, "cert.expired", [E, E, E, E, E, E], "The certificate is past its notAfter.", "RFC 5280 4.1.2.5");
rule!(
    CERT_EXPIRES_SOON,
    "cert.expires_soon",
    [W, W, W, W, W, W],
    "The certificate expires within 30 days.",
    "certcheck"
);
rule!(
    CERT_KEY_ALGORITHM,
    "cert.key_algorithm",
    [N, E, W, W, W, W],
    "A key type the destination refuses (Anthropic: only RSA and ECDSA).",
    ANTHROPIC
);
rule!(
    CERT_NO_KEY_CERT_SIGN,
    "cert.no_key_cert_sign",
    [N, E, E, E, E, E],
    "A CA's keyUsage must include keyCertSign (Anthropic also requires keyUsage to be present).",
    "RFC 5280 4.2.1.3; Anthropic"
);
rule!(
    CERT_NO_SUBJECT_KEY_ID,
    "cert.no_subject_key_id",
    [N, E, W, W, W, W],
    "A CA must carry a subjectKeyIdentifier.",
    "RFC 5280 4.2.1.2; Anthropic requires it"
);
rule!(
    CERT_NOT_CA,
    "cert.not_ca",
    [N, E, E, E, E, E],
    "A CA is required: basicConstraints CA:TRUE.",
    "RFC 5280 4.2.1.9; vendor references"
);
rule!(CERT_NOT_DER, "cert.not_der", [W, W, W, W, W, W], "BER where DER is required.", "RFC 5280 4.1; X.690 10");
rule!(
    CERT_NOT_YET_VALID,
    "cert.not_yet_valid",
    [W, E, W, W, W, W],
    "The certificate is before its notBefore.",
    "RFC 5280 4.1.2.5; Anthropic"
);
rule!(
    CERT_NOT_YET_VALID_ON_PATH,
    "cert.not_yet_valid",
    [N, E, E, E, N, N],
    "A certificate of a verify path is before its notBefore: every verifier refuses the path until then.",
    "RFC 5280 6.1.3 (a)(2)"
);
rule!(CERT_PARSE_ERROR, "cert.parse_error", [E, E, E, E, E, E], "The DER is not a valid X.509 certificate.", RFC5280);
rule!(
    CERT_SERIAL_INVALID,
    "cert.serial_invalid",
    [W, W, W, W, W, W],
    "The serial must be positive and at most 20 octets.",
    "RFC 5280 4.1.2.2"
);
rule!(
    CERT_SERIAL_INVALID_ON_PATH,
    "cert.serial_invalid",
    [N, E, E, E, N, N],
    "A certificate of a verify path has a serial that is not positive or is over 20 octets: pyca/cryptography refuses the path, so verify does too.",
    "RFC 5280 4.1.2.2; pyca/cryptography"
);
rule!(
    CERT_SIGNATURE_ALGORITHM_MISMATCH,
    "cert.signature_algorithm_mismatch",
    [E, E, E, E, E, E],
    "tbsCertificate.signature must equal signatureAlgorithm.",
    "RFC 5280 4.1.1.2"
);
rule!(
    CERT_TIME_ENCODING,
    "cert.time_encoding",
    [W, W, W, W, W, W],
    "Validity dates through 2049 are UTCTime, from 2050 GeneralizedTime.",
    "RFC 5280 4.1.2.5"
);
rule!(
    CERT_UNKNOWN_CRITICAL_EXTENSION,
    "cert.unknown_critical_extension",
    [E, E, E, E, E, E],
    "A critical extension certcheck cannot interpret; a verifier must reject the certificate.",
    "RFC 5280 4.2"
);
rule!(
    CERT_WEAK_KEY,
    "cert.weak_key",
    [E, E, E, E, E, E],
    "RSA keys under 2048 bits and EC keys under P-256 are weak.",
    "NIST SP 800-131A; Anthropic"
);
rule!(
    CERT_WEAK_SIGNATURE,
    "cert.weak_signature",
    [W, E, W, W, W, W],
    "MD5 or SHA-1 signature (Anthropic requires SHA-256 or stronger).",
    ANTHROPIC
);
rule!(
    CHAIN_BROKEN,
    "chain.broken",
    [N, E, E, E, E, E],
    "Each certificate of a chain must be issued by the next one.",
    "RFC 5280 6.1; Cloudflare Access docs"
);
rule!(
    CHAIN_ORDER,
    "chain.order",
    [N, E, E, E, E, E],
    "A chain goes leaf (or intermediate) first, each followed by its issuer.",
    "RFC 8446 4.4.2; Cloudflare Access docs"
);
rule!(
    INPUT_BINARY,
    "input.binary",
    [E, E, E, E, E, E],
    "Binary data that is no certificate or known container.",
    "certcheck"
);
rule!(INPUT_CSR, "input.csr", [E, E, E, E, E, E], "A certificate signing request, not a certificate.", "RFC 2986");
rule!(INPUT_DER, "input.der", [I, I, I, I, I, I], "A DER certificate instead of PEM (converted).", "RFC 7468 5");
rule!(INPUT_EMPTY, "input.empty", [E, E, E, E, E, E], "Nothing but whitespace.", "certcheck");
rule!(
    INPUT_PKCS12,
    "input.pkcs12",
    [E, E, E, E, E, E],
    "A PKCS#12 / PFX file, which contains a private key.",
    "RFC 7292"
);
rule!(
    INPUT_PKCS7,
    "input.pkcs7",
    [E, E, E, E, E, E],
    "A PKCS#7 / .p7b bundle instead of PEM certificates.",
    "RFC 2315"
);
rule!(
    INPUT_PUBLIC_KEY,
    "input.public_key",
    [E, E, E, E, E, E],
    "A bare public key, not a certificate.",
    "RFC 5280 4.1.2.7"
);
rule!(
    INPUT_TOO_LARGE,
    "input.too_large",
    [E, E, E, E, E, E],
    "Over the destination's size limit or certcheck's global cap.",
    ANTHROPIC
);
rule!(
    KEY_ENCRYPTED,
    "key.encrypted",
    [W, W, W, W, W, W],
    "An encrypted private key cannot be matched to its certificate.",
    "RFC 5958 3"
);
rule!(
    KEY_MISMATCH,
    "key.mismatch",
    [N, E, E, E, E, N],
    "The private key does not belong to the leaf certificate (an mTLS leaf upload, or the certificate `verify` presents).",
    "Cloudflare mTLS certificates"
);
rule!(
    KEY_PRIVATE_KEY_PRESENT,
    "key.private_key_present",
    [N, E, E, E, E, E],
    "Private-key material where the destination takes none.",
    "vendor references"
);
rule!(
    PEER_AUTHORITY_KEY_ID,
    "peer.authority_key_id",
    [N, E, E, E, N, N],
    "A certificate of the path (the presented one or a CA's) has no authorityKeyIdentifier, or it is not its issuer's subjectKeyIdentifier, or a CA that issues has none; a server path's root has an authorityKeyIdentifier other than its own keyIdentifier. Anthropic requires them to match; OpenSSL (-x509_strict) and pyca/cryptography refuse the path.",
    "RFC 5280 4.2.1.1, 4.2.1.2; CA/Browser Forum BR 7.1.2.1.3; Anthropic MCP tunnels reference; OpenSSL -x509_strict"
);
rule!(
    PEER_CERTIFICATE_PROFILE,
    "peer.certificate_profile",
    [N, E, E, E, N, N],
    "A certificate of the path breaks a MUST of the certificate profile: a CA with an empty subject, a malformed authorityInfoAccess, a presented key that cannot sign the handshake (DSA; a server: RSA or ECDSA only); for a server path the CA/Browser Forum's too (the commonName a copy of a subjectAltName entry, no anyExtendedKeyUsage, no extendedKeyUsage on the root, RSA moduli a multiple of 8 bits). pyca/cryptography refuses these paths.",
    "RFC 5280 4.1.2.6, 4.2.2.1; CA/Browser Forum BR 6.1.5, 7.1.2.1.2, 7.1.2.7.10, 7.1.4.3; pyca/cryptography"
);
rule!(
    PEER_EXTENSION_CRITICALITY,
    "peer.extension_criticality",
    [N, E, E, E, N, N],
    "An extension of a certificate of the path is marked critical where it must not be (authorityKeyIdentifier, subjectKeyIdentifier, authorityInfoAccess; a server's extendedKeyUsage, its subjectAltName beside a subject) or not where it must be (a CA's basicConstraints, policyConstraints, a subjectAltName with an empty subject). OpenSSL refuses several (unhandled critical extension, -x509_strict), pyca/cryptography all.",
    "RFC 5280 4.2.1.1, 4.2.1.2, 4.2.1.6, 4.2.1.9, 4.2.1.11, 4.2.2.1; CA/Browser Forum BR 7.1.2.7.6, 7.1.2.7.12"
);
rule!(
    PEER_EXTENDED_KEY_USAGE,
    "peer.extended_key_usage",
    [N, E, E, E, N, N],
    "extendedKeyUsage, on the presented certificate or an intermediate of its path, lacks the purpose (serverAuth for a tunnel's server, clientAuth for a client); Go, OpenSSL and rustls-webpki all refuse it.",
    "RFC 5280 4.2.1.12; Go crypto/x509, OpenSSL, rustls-webpki"
);
rule!(
    PEER_IS_CA,
    "peer.is_ca",
    [N, E, E, E, N, N],
    "The presented certificate is itself a CA: rustls-webpki refuses a CA as end entity (CaUsedAsEndEntity), the CA/Browser Forum requires cA FALSE; Go and OpenSSL accept it.",
    "rustls-webpki; CA/Browser Forum BR 7.1.2.7.8; RFC 5280 4.2.1.9"
);
rule!(
    PEER_ISSUER_KEY_USAGE,
    "peer.issuer_key_usage",
    [N, E, E, E, N, N],
    "A certificate of the path (intermediate or anchoring CA) issues the next one, but its keyUsage lacks keyCertSign: OpenSSL, Go and rustls-webpki refuse the path.",
    "RFC 5280 4.2.1.3, 6.1.4 (n)"
);
rule!(
    PEER_ISSUER_NOT_CA,
    "peer.issuer_not_ca",
    [N, E, E, E, N, N],
    "A certificate of the path (intermediate or anchoring CA) issues the next one, but is not a CA (basicConstraints CA:TRUE): anyone holding such a certificate could mint more; every verifier refuses the path.",
    "RFC 5280 4.2.1.9, 6.1.4 (k); OpenSSL, Go, rustls-webpki"
);
rule!(
    PEER_KEY_USAGE,
    "peer.key_usage",
    [N, E, E, E, N, N],
    "keyUsage without digitalSignature on the presented certificate: TLS 1.3 signs with it, so OpenSSL and BoringSSL refuse it (Go and rustls-webpki do not look).",
    "RFC 8446 4.4.2.2; RFC 5280 4.2.1.3; OpenSSL, BoringSSL"
);
rule!(
    PEER_LEAF_KEY_CERT_SIGN,
    "peer.leaf_key_cert_sign",
    [N, E, E, E, N, N],
    "The presented certificate asserts keyCertSign in keyUsage without being a CA (RFC 5280 4.2.1.3: keyCertSign requires CA:TRUE); OpenSSL (-x509_strict) and pyca/cryptography refuse it.",
    "RFC 5280 4.2.1.3; OpenSSL, pyca/cryptography"
);
rule!(
    PEER_NAME_CONSTRAINTS,
    "peer.name_constraints",
    [N, E, E, E, N, N],
    "A certificate of the path breaks the name constraints of a CA above it (a name in an excluded subtree or outside the permitted ones, a constraint that cannot be honoured, constraints on an end entity).",
    "RFC 5280 4.2.1.10, 6.1.3 (b), (c); Go crypto/x509, rustls-webpki"
);
rule!(
    PEER_NAME_MISMATCH,
    "peer.name_mismatch",
    [N, E, E, E, N, N],
    "subjectAltName does not cover the tunnel domain (*.<domain>) or the host: names are matched per RFC 6125, a wildcard is a whole leftmost label, the CN is never used.",
    "RFC 6125 6.4; RFC 9525; Anthropic's setup guide"
);
rule!(
    PEER_NOT_DIRECT,
    "peer.not_direct",
    [N, E, N, N, N, N],
    "The server certificate is not signed directly by a registered CA: Anthropic allows no intermediates.",
    ANTHROPIC
);
rule!(
    PEER_OUTLIVES_CA,
    "peer.outlives_ca",
    [N, W, W, W, N, N],
    "The presented certificate is valid beyond the CA that anchors it: it stops verifying when the CA expires (every verifier checks each certificate's validity).",
    "RFC 5280 6.1.3 (a)(2)"
);
rule!(
    PEER_PATH_LENGTH,
    "peer.path_length",
    [N, E, E, E, N, N],
    "More intermediates below a CA of the path than its pathLenConstraint allows (self-issued ones not counted).",
    "RFC 5280 4.2.1.9, 6.1.4 (l), (m)"
);
rule!(
    PEER_UNKNOWN_CA,
    "peer.unknown_ca",
    [N, E, E, E, N, N],
    "No given CA issued the presented certificate, directly or through a given intermediate (names and key identifiers).",
    "RFC 5280 6.1; Anthropic's troubleshooting: unknown certificate authority"
);
rule!(PEM_BAD_BASE64, "pem.bad_base64", [E, E, E, E, E, E], "Invalid base64 inside a PEM block.", "RFC 7468 3");
rule!(PEM_BOM, "pem.bom", [I, I, I, I, I, I], "A byte-order mark before the text.", "RFC 7468 2");
rule!(PEM_CRLF, "pem.crlf", [I, I, I, I, I, I], "Windows line endings.", "RFC 7468 3");
rule!(
    PEM_ESCAPED_NEWLINES,
    "pem.escaped_newlines",
    [E, E, E, E, E, E],
    "Literal \\n sequences: JSON- or shell-escaped text.",
    "RFC 7468 3"
);
rule!(
    PEM_FINGERPRINT_COMMENT_MISMATCH,
    "pem.fingerprint_comment_mismatch",
    [E, E, E, E, E, E],
    "A fingerprint comment disagrees with the certificate below it.",
    "certcheck"
);
rule!(PEM_LABEL_MISMATCH, "pem.label_mismatch", [E, E, E, E, E, E], "BEGIN and END labels differ.", "RFC 7468 2");
rule!(PEM_LINE_WIDTH, "pem.line_width", [I, I, I, I, I, I], "Base64 lines are not 64 columns.", "RFC 7468 2");
rule!(
    PEM_LOOKALIKE_CHARACTERS,
    "pem.lookalike_characters",
    [E, E, E, E, E, E],
    "Unicode dashes, zero-width or non-breaking spaces, NUL from copy-paste.",
    "RFC 7468 3"
);
rule!(PEM_NO_BLOCKS, "pem.no_blocks", [E, E, E, E, E, E], "Text with no PEM block at all.", "RFC 7468 2");
rule!(
    PEM_NOT_STRICT,
    "pem.not_strict",
    [I, I, I, I, I, I],
    "Readable, but a strict RFC 7468 parser refuses the block (indentation, trailing spaces, …).",
    "RFC 7468 3"
);
rule!(
    PEM_TEXT_OUTSIDE_BLOCKS,
    "pem.text_outside_blocks",
    [W, W, W, W, W, W],
    "Explanatory text or garbage around the blocks.",
    "RFC 7468 2"
);
rule!(
    PEM_UNEXPECTED_LABEL,
    "pem.unexpected_label",
    [E, E, E, E, E, E],
    "A block type the destination does not take.",
    "RFC 7468 4"
);
rule!(PEM_UNTERMINATED, "pem.unterminated", [E, E, E, E, E, E], "BEGIN without END.", "RFC 7468 2");
rule!(
    RESPONSE_EXPIRES_ON_DIFFERS,
    "response.expires_on_differs",
    [N, N, N, N, N, I],
    "Gateway's expires_on disagrees with the notAfter of the CA it returned (its reference example does too); the PEM is what Gateway deploys.",
    "Cloudflare Gateway certificates reference"
);
rule!(
    RESPONSE_FINGERPRINT_MISMATCH,
    "response.fingerprint_mismatch",
    [E, E, E, E, E, E],
    "The vendor's stored fingerprint is not the local one.",
    "vendor references"
);
rule!(
    RESPONSE_MISMATCH,
    "response.mismatch",
    [E, E, E, E, E, E],
    "A field of the vendor's response contradicts the PEM.",
    "vendor references"
);
rule!(
    SIGNATURE_INVALID,
    "signature.invalid",
    [E, E, E, E, E, E],
    "The certificate the input names as the issuer (names and key identifiers match) did not sign it: its key does not verify the signature.",
    "RFC 5280 6.1.3 (a)(1)"
);
rule!(
    SIGNATURE_INVALID_SELF,
    "signature.invalid",
    [W, W, W, W, W, W],
    "A self-signed certificate's own key does not verify its signature: corrupt or tampered bytes (verifiers do not check a trust anchor's self-signature).",
    "RFC 5280 6.1.1 (d)"
);
rule!(
    SIGNATURE_UNCHECKED,
    "signature.unchecked",
    [I, I, I, I, I, I],
    "Signatures this check left unverified: a build without signature verification (the npm package's browser entry before load()), or a check that verifies them later (the dashboard).",
    "certcheck"
);
rule!(
    SIGNATURE_UNSUPPORTED,
    "signature.unsupported",
    [I, I, I, I, I, I],
    "A signature algorithm certcheck cannot verify (DSA, Ed448, GOST, SM2, secp256k1, …); it is never reported as valid.",
    "certcheck"
);

/// Every rule certcheck knows, sorted by code.
pub const RULES: &[Rule] = &[
    BUNDLE_COUNT,
    CERT_BC_NOT_CRITICAL,
    CERT_DUPLICATE,
    CERT_DUPLICATE_EXTENSION,
    CERT_EKU_NO_CLIENT_AUTH,
    CERT_EXPIRED,
    CERT_EXPIRES_SOON,
    CERT_KEY_ALGORITHM,
    CERT_NO_KEY_CERT_SIGN,
    CERT_NO_SUBJECT_KEY_ID,
    CERT_NOT_CA,
    CERT_NOT_DER,
    CERT_NOT_YET_VALID,
    CERT_NOT_YET_VALID_ON_PATH,
    CERT_PARSE_ERROR,
    CERT_SERIAL_INVALID,
    CERT_SERIAL_INVALID_ON_PATH,
    CERT_SIGNATURE_ALGORITHM_MISMATCH,
    CERT_TIME_ENCODING,
    CERT_UNKNOWN_CRITICAL_EXTENSION,
    CERT_WEAK_KEY,
    CERT_WEAK_SIGNATURE,
    CHAIN_BROKEN,
    CHAIN_ORDER,
    INPUT_BINARY,
    INPUT_CSR,
    INPUT_DER,
    INPUT_EMPTY,
    INPUT_PKCS12,
    INPUT_PKCS7,
    INPUT_PUBLIC_KEY,
    INPUT_TOO_LARGE,
    KEY_ENCRYPTED,
    KEY_MISMATCH,
    KEY_PRIVATE_KEY_PRESENT,
    PEER_AUTHORITY_KEY_ID,
    PEER_CERTIFICATE_PROFILE,
    PEER_EXTENDED_KEY_USAGE,
    PEER_EXTENSION_CRITICALITY,
    PEER_IS_CA,
    PEER_ISSUER_KEY_USAGE,
    PEER_ISSUER_NOT_CA,
    PEER_KEY_USAGE,
    PEER_LEAF_KEY_CERT_SIGN,
    PEER_NAME_CONSTRAINTS,
    PEER_NAME_MISMATCH,
    PEER_NOT_DIRECT,
    PEER_OUTLIVES_CA,
    PEER_PATH_LENGTH,
    PEER_UNKNOWN_CA,
    PEM_BAD_BASE64,
    PEM_BOM,
    PEM_CRLF,
    PEM_ESCAPED_NEWLINES,
    PEM_FINGERPRINT_COMMENT_MISMATCH,
    PEM_LABEL_MISMATCH,
    PEM_LINE_WIDTH,
    PEM_LOOKALIKE_CHARACTERS,
    PEM_NO_BLOCKS,
    PEM_NOT_STRICT,
    PEM_TEXT_OUTSIDE_BLOCKS,
    PEM_UNEXPECTED_LABEL,
    PEM_UNTERMINATED,
    RESPONSE_EXPIRES_ON_DIFFERS,
    RESPONSE_FINGERPRINT_MISMATCH,
    RESPONSE_MISMATCH,
    SIGNATURE_INVALID,
    SIGNATURE_INVALID_SELF,
    SIGNATURE_UNCHECKED,
    SIGNATURE_UNSUPPORTED,
];

/// The rule for a code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_each_row_unique() {
        let rows: Vec<_> = RULES.iter().map(|r| (r.code, r.description)).collect();
        let mut sorted = rows.clone();
        sorted.sort_unstable_by_key(|&(code, _)| code);
        sorted.dedup();
        assert_eq!(rows, sorted);
        // A code has two rows only where its severity depends on the situation (an issuer's
        // signature against a self-signature; a certificate not yet valid, or its serial, as an
        // upload and on a path that `verify` judges).
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len() - 3);
    }

    #[test]
    fn anthropic_only_rules_are_errors_there_and_warnings_elsewhere() {
        for code in [
            "cert.bc_not_critical",
            "cert.no_subject_key_id",
            "cert.not_yet_valid",
            "cert.weak_signature",
            "cert.key_algorithm",
        ] {
            let rule = rule(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(rule.severity(Profile::Anthropic), Some(Severity::Error), "{code}");
            assert_eq!(rule.severity(Profile::Access), Some(Severity::Warning), "{code}");
        }
    }
}
