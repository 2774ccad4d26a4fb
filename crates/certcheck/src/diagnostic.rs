//! Diagnostics as data: what was found (with its facts), how bad it is, where, and the fix.

use serde::Serialize;

use crate::destination::Profile;
use crate::fix::Fix;
use crate::rules::{self, Rule};
use crate::time::UnixTime;

/// How much a diagnostic matters for the destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; harmless.
    Info,
    /// Works, but likely not what was meant.
    Warning,
    /// Blocks the upload as given.
    Error,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// Why a certificate is not usable as a CA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCaReason {
    /// basicConstraints is present with `cA` false.
    CaFalse,
    /// No basicConstraints extension at all.
    NoBasicConstraints,
    /// An X.509 v1 certificate, which cannot carry extensions.
    Version1,
}

/// What went wrong inside the base64 of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base64Problem {
    /// A character outside the base64 alphabet.
    Character(char),
    /// The data ends in the middle of a 4-character group.
    Truncated,
    /// `=` padding in the middle of the data.
    PaddingInside,
}

/// How a chain is out of order at a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainPlacement {
    /// Its issuer is this certificate of the input, but not the one right after it.
    IssuerElsewhere(usize),
    /// It is a root that issued this certificate, which comes after it.
    IssuesLater(usize),
}

/// How a certificate of a `verify` path breaks a CA's name constraints (RFC 5280 4.2.1.10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameConstraintProblem {
    /// A name lies in an excluded subtree.
    Excluded {
        /// The name (`DNS:…`, `IP:…`, `email:…`, `URI:…`, `DirName:…`).
        name: String,
        /// The excluded subtree it lies in.
        constraint: String,
    },
    /// A name of a constrained form lies in none of the permitted subtrees of that form.
    NotPermitted {
        /// The name.
        name: String,
        /// The permitted subtrees of its form.
        permitted: Vec<String>,
    },
    /// The CA's nameConstraints cannot be honoured as written (malformed, empty, a subtree with
    /// minimum or maximum, a constraint not well formed for its form): verifiers refuse the path.
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// A name under a constraint of its form is not well formed, or of a form certcheck cannot
    /// compare: it cannot be shown to satisfy the constraint.
    Unchecked {
        /// The name.
        name: String,
    },
    /// nameConstraints on an end-entity certificate (only a CA may carry them).
    OnEndEntity,
    /// More name-by-constraint comparisons than the limit (hostile input).
    TooComplex {
        /// The limit.
        limit: usize,
    },
}

/// What a certificate of a `verify` path breaks of the certificate profiles (RFC 5280 section 4;
/// for a server certificate, the CA/Browser Forum Baseline Requirements).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileProblem {
    /// An extension marked critical where it must not be, or not where it must
    /// (`peer.extension_criticality`).
    Criticality {
        /// The extension's name.
        extension: &'static str,
        /// How it is marked.
        critical: bool,
        /// The rule and its source.
        rule: &'static str,
    },
    /// A CA with an empty subject (RFC 5280 4.1.2.6).
    EmptyCaSubject,
    /// An extension that is not what its syntax says.
    Malformed {
        /// The extension's name.
        extension: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The presented certificate's key cannot sign the handshake in the verifiers the vendor runs
    /// (a server: RSA or ECDSA only; a client: RSA, ECDSA or Ed25519).
    KeyAlgorithm {
        /// The key's algorithm.
        algorithm: String,
        /// A server certificate.
        server: bool,
    },
    /// An RSA modulus that is not a multiple of 8 bits (CA/Browser Forum BR 6.1.5).
    RsaModulus {
        /// Its bits.
        bits: u32,
    },
    /// A server certificate's extendedKeyUsage has anyExtendedKeyUsage (BR 7.1.2.7.10).
    AnyExtendedKeyUsage,
    /// A server certificate's commonName is no copy of a subjectAltName entry (BR 7.1.4.3).
    CommonNameNotInSan {
        /// The commonName.
        common_name: String,
    },
    /// A root of a server path has an extendedKeyUsage (BR 7.1.2.1.2).
    RootExtendedKeyUsage,
}

/// What is wrong with the key identifiers of a certificate of a `verify` path (besides the
/// presented certificate's own authorityKeyIdentifier).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIdProblem {
    /// A certificate a CA issued (not self-issued) has no authorityKeyIdentifier (RFC 5280
    /// 4.2.1.1).
    NoAuthorityKeyId,
    /// A CA that issues on the path has no subjectKeyIdentifier (RFC 5280 4.2.1.2).
    NoSubjectKeyId,
    /// A root's authorityKeyIdentifier is not its keyIdentifier alone (CA/Browser Forum BR
    /// 7.1.2.1.3).
    RootAuthorityKeyId {
        /// What is wrong.
        reason: &'static str,
    },
}

/// Which size limit an input broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeLimit {
    /// certcheck's own cap on any input.
    Global,
    /// The destination's documented limit, in characters.
    Destination,
}

/// Everything certcheck can find, with the facts behind it; each variant names its rule (and so its
/// code) in [`Finding::rule`].
///
/// The stable code of each is [`Finding::code`]; the message is rendered from the facts in
/// one place ([`crate::message`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// `pem.bad_base64`.
    BadBase64 {
        /// What is wrong.
        problem: Base64Problem,
    },
    /// `pem.bom`.
    Bom {
        /// The text encoding the mark announced (`UTF-8`, `UTF-16LE`, `UTF-16BE`).
        encoding: &'static str,
    },
    /// `bundle.count`.
    BundleCount {
        /// Certificates the destination takes.
        expected: usize,
        /// Certificates found.
        found: usize,
    },
    /// `cert.bc_not_critical`.
    BasicConstraintsNotCritical,
    /// `chain.broken`: `certificate` is not issued by the one after it.
    ChainBroken {
        /// The certificate whose issuer does not follow it.
        next: usize,
        /// Its issuer's name.
        issuer: String,
    },
    /// `chain.order`: the certificate and its issuer are both in the input, in the wrong order.
    ChainOrder {
        /// What is out of place.
        placement: ChainPlacement,
    },
    /// `pem.crlf`.
    Crlf,
    /// `cert.duplicate`.
    DuplicateCertificate {
        /// The earlier, identical certificate.
        first: usize,
    },
    /// `cert.duplicate_extension`.
    DuplicateExtension {
        /// The repeated extension.
        extension: String,
    },
    /// `cert.eku_no_client_auth`.
    EkuWithoutClientAuth,
    /// `pem.escaped_newlines`.
    EscapedNewlines {
        /// The whole input was a quoted JSON string.
        quoted: bool,
    },
    /// `cert.expired`.
    Expired {
        /// notAfter.
        not_after: UnixTime,
        /// Days since then.
        days: i64,
    },
    /// `cert.expires_soon`.
    ExpiresSoon {
        /// notAfter.
        not_after: UnixTime,
        /// Whole days left.
        days: i64,
    },
    /// `peer.authority_key_id`: the presented certificate's authorityKeyIdentifier is missing or
    /// is not the issuing CA's subjectKeyIdentifier.
    PeerAuthorityKeyId {
        /// The certificate has no authorityKeyIdentifier at all.
        missing: bool,
    },
    /// `peer.extended_key_usage`: extendedKeyUsage without the purpose the destination needs.
    PeerExtendedKeyUsage {
        /// `serverAuth` or `clientAuth`.
        purpose: &'static str,
        /// An intermediate of the path, rather than the presented certificate.
        intermediate: bool,
    },
    /// `peer.is_ca`: the presented certificate is itself a CA.
    PeerIsCa,
    /// `peer.authority_key_id` on a certificate of the path other than the presented one's own
    /// authorityKeyIdentifier.
    PeerKeyIdentifier {
        /// The certificate's subject.
        subject: String,
        /// What is wrong.
        problem: KeyIdProblem,
    },
    /// `peer.extension_criticality` or `peer.certificate_profile`: a certificate of the path
    /// breaks the certificate profile (RFC 5280 section 4; the CA/Browser Forum's for a server).
    PeerProfile {
        /// The certificate's subject.
        subject: String,
        /// What it breaks.
        problem: ProfileProblem,
    },
    /// `cert.serial_invalid` on a path of `verify`: refused whatever the destination.
    PeerSerialInvalid {
        /// Octets of the serial's encoding.
        length: usize,
        /// Whether the serial is zero or negative.
        not_positive: bool,
    },
    /// `peer.issuer_key_usage`: a certificate of the path issues another, but its keyUsage lacks
    /// keyCertSign.
    PeerIssuerKeyUsage {
        /// The subject of the certificate it issued.
        issued: String,
    },
    /// `peer.issuer_not_ca`: a certificate of the path issues another, but is not a CA.
    PeerIssuerNotCa {
        /// Why it is not a CA.
        reason: NotCaReason,
        /// The subject of the certificate it issued.
        issued: String,
    },
    /// `peer.leaf_key_cert_sign`: the presented certificate asserts keyCertSign without being a
    /// CA (RFC 5280 4.2.1.3).
    PeerLeafKeyCertSign,
    /// `peer.name_constraints`: a certificate of the path breaks a CA's name constraints.
    PeerNameConstraints {
        /// The subject of the CA whose constraints are broken (the certificate itself for
        /// [`NameConstraintProblem::OnEndEntity`]).
        ca: String,
        /// The subject of the certificate that breaks them.
        subject: String,
        /// How.
        problem: NameConstraintProblem,
    },
    /// `cert.not_yet_valid` on a path of `verify`: every verifier refuses it, whatever the
    /// destination.
    PeerNotYetValid {
        /// notBefore.
        not_before: UnixTime,
    },
    /// `peer.path_length`: more intermediates below a CA than its pathLenConstraint allows.
    PeerPathLength {
        /// The CA's subject.
        ca: String,
        /// Its pathLenConstraint.
        path_len: u64,
        /// Intermediates (not self-issued) below it on the path.
        below: usize,
    },
    /// `peer.key_usage`: keyUsage without digitalSignature.
    PeerKeyUsage,
    /// `peer.name_mismatch`: the names do not cover what the certificate is presented for.
    PeerNameMismatch {
        /// What had to be covered (`*.<tunnel domain>`, or a host name or address).
        wanted: String,
        /// The subjectAltName's DNS names and IP addresses (empty: none).
        names: Vec<String>,
        /// Whether the certificate has a subjectAltName extension at all.
        has_san: bool,
    },
    /// `peer.not_direct`: the path goes through intermediates.
    PeerNotDirect {
        /// How many.
        intermediates: usize,
    },
    /// `peer.outlives_ca`: valid beyond the CA that anchors it.
    PeerOutlivesCa {
        /// The certificate's notAfter.
        not_after: UnixTime,
        /// The anchoring CA's notAfter.
        ca_not_after: UnixTime,
    },
    /// `peer.unknown_ca`: no given CA issued it, directly or through a given intermediate.
    PeerUnknownCa {
        /// The issuer named by the certificate that found no issuer.
        issuer: String,
        /// The given CAs' subjects.
        cas: Vec<String>,
        /// A given certificate has that name, but another key (its subjectKeyIdentifier is not
        /// the authorityKeyIdentifier).
        other_key: bool,
    },
    /// `pem.fingerprint_comment_mismatch`.
    FingerprintCommentMismatch {
        /// The algorithm the comment names.
        algorithm: &'static str,
        /// What the certificate's fingerprint actually is, in the comment's spelling.
        actual: String,
    },
    /// `input.binary`.
    InputBinary,
    /// `input.csr`.
    InputCsr,
    /// `input.der`.
    InputDer,
    /// `input.empty`.
    InputEmpty,
    /// `input.pkcs12`.
    InputPkcs12 {
        /// A key bag is visible in the file.
        contains_key: bool,
    },
    /// `input.pkcs7`.
    InputPkcs7 {
        /// Certificates found inside.
        certificates: usize,
    },
    /// `input.public_key`.
    InputPublicKey,
    /// `input.too_large`.
    InputTooLarge {
        /// Size found (characters for text).
        size: usize,
        /// The limit.
        limit: usize,
        /// Whose limit.
        which: SizeLimit,
    },
    /// `key.encrypted`.
    KeyEncrypted,
    /// `key.mismatch`: in an upload (the mTLS leaf with its key), where the vendor receives the pair.
    KeyMismatch {
        /// The certificate the key does belong to, if it is in the input.
        belongs_to: Option<usize>,
    },
    /// `key.mismatch` in `verify`: the key given with the presented certificate is not its key. The
    /// key never reaches the vendor: the TLS handshake fails where it is used.
    PeerKeyMismatch {
        /// The certificate of the presented input the key does belong to, if any.
        belongs_to: Option<usize>,
    },
    /// `cert.key_algorithm`.
    KeyAlgorithm {
        /// The refused algorithm.
        algorithm: String,
    },
    /// `pem.label_mismatch`.
    LabelMismatch {
        /// Label after BEGIN.
        begin: String,
        /// Label after END.
        end: String,
    },
    /// `pem.line_width`.
    LineWidth {
        /// The widest base64 line.
        width: usize,
    },
    /// `pem.lookalike_characters`.
    LookalikeCharacters {
        /// The first such character.
        character: char,
    },
    /// `cert.no_key_cert_sign`.
    NoKeyCertSign {
        /// Whether keyUsage is present at all.
        key_usage_present: bool,
    },
    /// `pem.no_blocks`.
    NoBlocks {
        /// The text is bare base64 of a certificate, without BEGIN/END lines.
        bare_certificate: bool,
    },
    /// `cert.no_subject_key_id`.
    NoSubjectKeyId,
    /// `cert.not_ca`.
    NotCa {
        /// Why.
        reason: NotCaReason,
    },
    /// `cert.not_der`.
    NotDer {
        /// Byte offset of the first non-DER encoding in the certificate.
        offset: usize,
    },
    /// `pem.not_strict`: readable, but a strict RFC 7468 parser refuses the block.
    NotStrict {
        /// What the strict parser (pem-rfc7468) said.
        reason: String,
    },
    /// `cert.not_yet_valid`.
    NotYetValid {
        /// notBefore.
        not_before: UnixTime,
    },
    /// `cert.parse_error`.
    ParseError {
        /// Byte offset in the DER, where known.
        offset: Option<usize>,
        /// What the parser said.
        reason: String,
    },
    /// `key.private_key_present`.
    PrivateKeyPresent {
        /// What kind of key.
        kind: crate::KeyKind,
    },
    /// `cert.serial_invalid`.
    SerialInvalid {
        /// Octets of the serial's encoding.
        length: usize,
        /// Whether the serial is zero or negative.
        not_positive: bool,
    },
    /// `cert.signature_algorithm_mismatch`.
    SignatureAlgorithmMismatch {
        /// tbsCertificate.signature.
        inner: String,
        /// Certificate.signatureAlgorithm.
        outer: String,
    },
    /// `signature.invalid`: the key named to verify the signature does not.
    SignatureInvalid {
        /// The certificate of the input named as the issuer; `None` for a self-signature.
        issuer: Option<usize>,
    },
    /// `signature.invalid` on a path of `verify`: the named issuer's key did not sign it.
    SignatureNotByIssuer {
        /// The issuer's subject.
        issuer: String,
    },
    /// `signature.unchecked`: signatures this check left unverified.
    SignatureUnchecked {
        /// How many (a certificate and the key named to verify it, each).
        count: usize,
        /// The build verifies none (rather than leaving them for later).
        unavailable: bool,
    },
    /// `signature.unsupported`: a signature algorithm certcheck cannot verify.
    SignatureUnsupported {
        /// What it is (`dsa_with_SHA256`, `ecdsa-with-SHA256 on secp256k1`, …).
        algorithm: String,
    },
    /// `pem.text_outside_blocks`.
    TextOutsideBlocks {
        /// Lines of text in this stretch.
        lines: usize,
    },
    /// `cert.time_encoding`.
    TimeEncoding {
        /// `notBefore` or `notAfter`.
        field: &'static str,
    },
    /// `pem.unexpected_label`.
    UnexpectedLabel {
        /// The block's label.
        label: String,
    },
    /// `cert.unknown_critical_extension`.
    UnknownCriticalExtension {
        /// Dotted OID.
        oid: String,
    },
    /// `pem.unterminated`.
    Unterminated {
        /// The BEGIN label.
        label: String,
    },
    /// `cert.weak_key`.
    WeakKey {
        /// e.g. `RSA 1024 bits`, `EC P-192`.
        key: String,
    },
    /// `cert.weak_signature`.
    WeakSignature {
        /// OpenSSL name of the signature algorithm.
        algorithm: String,
    },
    /// `response.expires_on_differs`: Gateway's `expires_on` disagrees with the PEM it returned.
    ResponseExpiresOnDiffers {
        /// What the response says.
        stored: String,
        /// The PEM's notAfter.
        local: String,
    },
    /// `response.fingerprint_mismatch`.
    ResponseFingerprintMismatch {
        /// The response field (`fingerprint`).
        field: String,
        /// The vendor's value as given.
        stored: String,
        /// The local certificate's value in the vendor's spelling.
        local: String,
        /// Another local certificate the vendor's value does match, if any.
        matches_certificate: Option<usize>,
    },
    /// `response.mismatch`.
    ResponseMismatch {
        /// The response field (`expires_at`, `issuer_raw`, `serial_number` …).
        field: String,
        /// The vendor's value as given.
        stored: String,
        /// The local value in the vendor's spelling.
        local: String,
    },
}

impl Finding {
    /// The stable diagnostic code (docs/REPORT.md's table).
    pub fn code(&self) -> &'static str {
        self.rule().code
    }

    /// The finding's row of the rule table: severities, description, citation. An exhaustive
    /// match, so a finding without a rule cannot compile.
    pub fn rule(&self) -> &'static Rule {
        match self {
            Self::BadBase64 { .. } => &rules::PEM_BAD_BASE64,
            Self::Bom { .. } => &rules::PEM_BOM,
            Self::BundleCount { .. } => &rules::BUNDLE_COUNT,
            Self::BasicConstraintsNotCritical => &rules::CERT_BC_NOT_CRITICAL,
            Self::ChainBroken { .. } => &rules::CHAIN_BROKEN,
            Self::ChainOrder { .. } => &rules::CHAIN_ORDER,
            Self::Crlf => &rules::PEM_CRLF,
            Self::DuplicateCertificate { .. } => &rules::CERT_DUPLICATE,
            Self::DuplicateExtension { .. } => &rules::CERT_DUPLICATE_EXTENSION,
            Self::EkuWithoutClientAuth => &rules::CERT_EKU_NO_CLIENT_AUTH,
            Self::EscapedNewlines { .. } => &rules::PEM_ESCAPED_NEWLINES,
            Self::Expired { .. } => &rules::CERT_EXPIRED,
            Self::ExpiresSoon { .. } => &rules::CERT_EXPIRES_SOON,
            Self::FingerprintCommentMismatch { .. } => &rules::PEM_FINGERPRINT_COMMENT_MISMATCH,
            Self::InputBinary => &rules::INPUT_BINARY,
            Self::InputCsr => &rules::INPUT_CSR,
            Self::InputDer => &rules::INPUT_DER,
            Self::InputEmpty => &rules::INPUT_EMPTY,
            Self::InputPkcs12 { .. } => &rules::INPUT_PKCS12,
            Self::InputPkcs7 { .. } => &rules::INPUT_PKCS7,
            Self::InputPublicKey => &rules::INPUT_PUBLIC_KEY,
            Self::InputTooLarge { .. } => &rules::INPUT_TOO_LARGE,
            Self::KeyEncrypted => &rules::KEY_ENCRYPTED,
            Self::KeyMismatch { .. } | Self::PeerKeyMismatch { .. } => &rules::KEY_MISMATCH,
            Self::KeyAlgorithm { .. } => &rules::CERT_KEY_ALGORITHM,
            Self::LabelMismatch { .. } => &rules::PEM_LABEL_MISMATCH,
            Self::LineWidth { .. } => &rules::PEM_LINE_WIDTH,
            Self::LookalikeCharacters { .. } => &rules::PEM_LOOKALIKE_CHARACTERS,
            Self::NoKeyCertSign { .. } => &rules::CERT_NO_KEY_CERT_SIGN,
            Self::NoBlocks { .. } => &rules::PEM_NO_BLOCKS,
            Self::NoSubjectKeyId => &rules::CERT_NO_SUBJECT_KEY_ID,
            Self::NotCa { .. } => &rules::CERT_NOT_CA,
            Self::NotDer { .. } => &rules::CERT_NOT_DER,
            Self::NotStrict { .. } => &rules::PEM_NOT_STRICT,
            Self::NotYetValid { .. } => &rules::CERT_NOT_YET_VALID,
            Self::ParseError { .. } => &rules::CERT_PARSE_ERROR,
            Self::PrivateKeyPresent { .. } => &rules::KEY_PRIVATE_KEY_PRESENT,
            Self::SerialInvalid { .. } => &rules::CERT_SERIAL_INVALID,
            Self::SignatureAlgorithmMismatch { .. } => &rules::CERT_SIGNATURE_ALGORITHM_MISMATCH,
            Self::SignatureInvalid { issuer: Some(_) } => &rules::SIGNATURE_INVALID,
            Self::SignatureInvalid { issuer: None } => &rules::SIGNATURE_INVALID_SELF,
            Self::SignatureNotByIssuer { .. } => &rules::SIGNATURE_INVALID,
            Self::SignatureUnchecked { .. } => &rules::SIGNATURE_UNCHECKED,
            Self::SignatureUnsupported { .. } => &rules::SIGNATURE_UNSUPPORTED,
            Self::PeerAuthorityKeyId { .. } => &rules::PEER_AUTHORITY_KEY_ID,
            Self::PeerExtendedKeyUsage { .. } => &rules::PEER_EXTENDED_KEY_USAGE,
            Self::PeerIsCa => &rules::PEER_IS_CA,
            Self::PeerKeyIdentifier { .. } => &rules::PEER_AUTHORITY_KEY_ID,
            Self::PeerProfile { problem: ProfileProblem::Criticality { .. }, .. } => &rules::PEER_EXTENSION_CRITICALITY,
            Self::PeerProfile { .. } => &rules::PEER_CERTIFICATE_PROFILE,
            Self::PeerSerialInvalid { .. } => &rules::CERT_SERIAL_INVALID_ON_PATH,
            Self::PeerIssuerKeyUsage { .. } => &rules::PEER_ISSUER_KEY_USAGE,
            Self::PeerIssuerNotCa { .. } => &rules::PEER_ISSUER_NOT_CA,
            Self::PeerLeafKeyCertSign => &rules::PEER_LEAF_KEY_CERT_SIGN,
            Self::PeerNameConstraints { .. } => &rules::PEER_NAME_CONSTRAINTS,
            Self::PeerNotYetValid { .. } => &rules::CERT_NOT_YET_VALID_ON_PATH,
            Self::PeerPathLength { .. } => &rules::PEER_PATH_LENGTH,
            Self::PeerKeyUsage => &rules::PEER_KEY_USAGE,
            Self::PeerNameMismatch { .. } => &rules::PEER_NAME_MISMATCH,
            Self::PeerNotDirect { .. } => &rules::PEER_NOT_DIRECT,
            Self::PeerOutlivesCa { .. } => &rules::PEER_OUTLIVES_CA,
            Self::PeerUnknownCa { .. } => &rules::PEER_UNKNOWN_CA,
            Self::TextOutsideBlocks { .. } => &rules::PEM_TEXT_OUTSIDE_BLOCKS,
            Self::TimeEncoding { .. } => &rules::CERT_TIME_ENCODING,
            Self::UnexpectedLabel { .. } => &rules::PEM_UNEXPECTED_LABEL,
            Self::UnknownCriticalExtension { .. } => &rules::CERT_UNKNOWN_CRITICAL_EXTENSION,
            Self::Unterminated { .. } => &rules::PEM_UNTERMINATED,
            Self::WeakKey { .. } => &rules::CERT_WEAK_KEY,
            Self::WeakSignature { .. } => &rules::CERT_WEAK_SIGNATURE,
            Self::ResponseExpiresOnDiffers { .. } => &rules::RESPONSE_EXPIRES_ON_DIFFERS,
            Self::ResponseFingerprintMismatch { .. } => &rules::RESPONSE_FINGERPRINT_MISMATCH,
            Self::ResponseMismatch { .. } => &rules::RESPONSE_MISMATCH,
        }
    }

    /// Whether the finding is about a vendor's answer (`response.*`) rather than the input.
    pub fn is_response(&self) -> bool {
        matches!(
            self,
            Self::ResponseExpiresOnDiffers { .. }
                | Self::ResponseFingerprintMismatch { .. }
                | Self::ResponseMismatch { .. }
        )
    }
}

/// One diagnostic of a report (docs/REPORT.md's contract).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The facts; serialized as `code`.
    #[serde(rename = "code", serialize_with = "serialize_code")]
    pub finding: Finding,
    /// Severity for the destination checked.
    pub severity: Severity,
    /// One sentence with the why and the fix.
    pub message: String,
    /// 1-based line in the input as given, where positional.
    pub line: Option<u32>,
    /// 1-based column (in characters), where positional.
    pub column: Option<u32>,
    /// Index of the PEM block concerned.
    pub block: Option<usize>,
    /// Index of the certificate concerned.
    pub certificate: Option<usize>,
    /// The named repair that addresses it, where one exists.
    pub fix: Option<Fix>,
    /// Which input of `verify` it is about (positions, blocks and indexes are in that input);
    /// absent from the reports of `check` and `inspect`, which have one input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<InputKind>,
}

/// The inputs of `verify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// The certificate presented, with its intermediates (`CERT_FILE`).
    Certificate,
    /// The CAs it must chain to (`--ca`).
    Ca,
    /// The presented certificate's private key (`--key`).
    Key,
}

fn serialize_code<S: serde::Serializer>(finding: &Finding, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(finding.code())
}

/// Where a diagnostic points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) line: Option<u32>,
    pub(crate) column: Option<u32>,
    pub(crate) block: Option<usize>,
    pub(crate) certificate: Option<usize>,
}

/// Collects diagnostics, applying the rule table's severity for the profile.
#[derive(Debug)]
pub(crate) struct Sink {
    pub(crate) profile: Profile,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub(crate) fn new(profile: Profile) -> Self {
        Self { profile, diagnostics: Vec::new() }
    }

    /// Records a finding unless the rule does not apply to this profile.
    pub(crate) fn emit(&mut self, finding: Finding, place: Place, fix: Option<Fix>) {
        if let Some(diagnostic) = Diagnostic::new(finding, self.profile, place, fix) {
            self.diagnostics.push(diagnostic);
        }
    }
}

impl Diagnostic {
    /// The diagnostic a finding gives under a profile (severity from the rule table, message from
    /// its facts), or `None` when the rule does not apply there. Front ends that find problems
    /// of their own (response verification) use it so that every diagnostic reads the same.
    pub fn about(finding: Finding, profile: Profile, certificate: Option<usize>) -> Option<Self> {
        Self::new(finding, profile, Place { certificate, ..Place::default() }, None)
    }

    pub(crate) fn new(finding: Finding, profile: Profile, place: Place, fix: Option<Fix>) -> Option<Self> {
        let severity = finding.rule().severity(profile)?;
        let message = crate::message::render(&finding, profile);
        Some(Diagnostic {
            finding,
            severity,
            message,
            line: place.line,
            column: place.column,
            block: place.block,
            certificate: place.certificate,
            fix,
            input: None,
        })
    }
}
