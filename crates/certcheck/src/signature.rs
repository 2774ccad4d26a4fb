//! Certificate signature verification (RFC 5280 §4.1.1.3): RSA PKCS#1 v1.5 and RSASSA-PSS,
//! ECDSA on P-256/P-384/P-521 and Ed25519, over the tbsCertificate bytes exactly as they appear
//! in the certificate. The mathematics is behind the `verify-signatures` feature; without it every
//! check answers [`SignatureCheck::Unsupported`].
//!
//! Algorithms and parameters: RFC 4055 (PSS, SHA-2 with RSA), RFC 5758 (ECDSA), RFC 8410
//! (Ed25519), RFC 3279 (SHA-1 with RSA and ECDSA).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use sha2::Digest;

use crate::certificate::Facts;
use crate::der_walk::{Tlv, oid_to_dotted, tag};

/// Whether this build verifies signatures (feature `verify-signatures`). Without it a check
/// leaves every signature unverified, as [`Signatures::Known`](crate::Signatures::Known) does
/// with nothing known, and says so (`signature.unchecked`).
pub(crate) const AVAILABLE: bool = cfg!(feature = "verify-signatures");

/// Results kept by [`verify_memoized`]; the memo is emptied when it reaches this size.
const MEMO_CAPACITY: usize = 16_384;

type Memo = HashMap<([u8; 32], [u8; 32]), SignatureCheck>;

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The remembered result for a certificate (by its SHA-256) and an issuer (by its SHA-256).
pub(crate) fn memoized(certificate_sha256: &[u8; 32], issuer_sha256: &[u8; 32]) -> Option<SignatureCheck> {
    memo().lock().ok().and_then(|memo| memo.get(&(*certificate_sha256, *issuer_sha256)).cloned())
}

/// Forgets every remembered signature verification (the process-wide memo the checks share), so
/// that the next check verifies every signature again: for measuring that cost, or for a
/// long-running process that wants the memo's memory back (it holds at most 16 384 results).
pub fn forget_signatures() {
    if let Ok(mut memo) = memo().lock() {
        memo.clear();
        memo.shrink_to_fit();
    }
}

fn remember(certificate_sha256: &[u8; 32], issuer_sha256: &[u8; 32], check: &SignatureCheck) {
    if let Ok(mut memo) = memo().lock() {
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert((*certificate_sha256, *issuer_sha256), check.clone());
    }
}

/// [`verify_certificate`] of the certificate whose original bytes are `certificate_der` (and
/// whose SHA-256 is `certificate_sha256`) with `issuer`'s key, remembered for the life of the
/// process by the SHA-256 of both certificates. Verifying is a pure function of those bytes, so
/// the memo never changes an answer; it spares the dashboard, which checks again after every
/// edit, and any caller that checks the same bundle repeatedly, the public-key arithmetic
/// (a P-384 signature costs about half a millisecond natively).
///
/// Inside [`signature_tasks_of`], an unknown result is not computed: it is recorded as a task
/// and answered [`SignatureCheck::Valid`] for the rest of that dry run, whose answers are thrown
/// away, so that the run goes on to every signature a real run could need.
pub(crate) fn verify_memoized(certificate_der: &[u8], certificate_sha256: &[u8; 32], issuer: &Facts) -> SignatureCheck {
    let issuer_sha256 = &issuer.fingerprints.sha256.0;
    if let Some(known) = memoized(certificate_sha256, issuer_sha256) {
        return known;
    }
    if record(|| SignatureTask::new(certificate_der, certificate_sha256, issuer)) {
        return SignatureCheck::Valid;
    }
    let check = verify_certificate(certificate_der, issuer.spki());
    remember(certificate_sha256, issuer_sha256, &check);
    check
}

/// One signature a check with [`Signatures::Known`](crate::Signatures::Known) left unverified:
/// a certificate and the key named to verify it. [`SignatureTask::run`] verifies and remembers
/// it, so the next check knows the answer. A task costs one public-key verification (from tens of
/// microseconds for Ed25519 to milliseconds for P-384 in WebAssembly): a front end runs them
/// when it is idle and checks again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureTask {
    certificate: Vec<u8>,
    certificate_sha256: [u8; 32],
    issuer_spki: Vec<u8>,
    issuer_sha256: [u8; 32],
}

impl SignatureTask {
    pub(crate) fn new(certificate: &[u8], certificate_sha256: &[u8; 32], issuer: &Facts) -> Self {
        Self {
            certificate: certificate.to_vec(),
            certificate_sha256: *certificate_sha256,
            issuer_spki: issuer.spki().to_vec(),
            issuer_sha256: issuer.fingerprints.sha256.0,
        }
    }

    /// Verifies the signature and remembers the result for every later check in this process.
    pub fn run(&self) {
        let _ = self.verify();
    }

    /// Verifies the signature (or finds it remembered), remembers it as [`SignatureTask::run`]
    /// does, and returns the result, to be carried to a process that cannot verify (the
    /// dashboard's page, whose module has no signature arithmetic: its workers verify) and
    /// [remembered](SignatureResult::remember) there.
    pub fn verify(&self) -> SignatureResult {
        let check = memoized(&self.certificate_sha256, &self.issuer_sha256).unwrap_or_else(|| {
            let check = verify_certificate(&self.certificate, &self.issuer_spki);
            remember(&self.certificate_sha256, &self.issuer_sha256, &check);
            check
        });
        SignatureResult { certificate_sha256: self.certificate_sha256, issuer_sha256: self.issuer_sha256, check }
    }

    /// The task as bytes, to cross to another process or a Web Worker: both digests, the
    /// certificate's length (4 octets, big-endian), the certificate, then the issuer's key.
    pub fn to_bytes(&self) -> Vec<u8> {
        let length = u32::try_from(self.certificate.len()).unwrap_or(u32::MAX);
        let mut out = Vec::with_capacity(68 + self.certificate.len() + self.issuer_spki.len());
        out.extend_from_slice(&self.certificate_sha256);
        out.extend_from_slice(&self.issuer_sha256);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&self.certificate);
        out.extend_from_slice(&self.issuer_spki);
        out
    }

    /// A task from [`SignatureTask::to_bytes`]; `None` for anything else. The certificate's
    /// digest is computed again, so a task read here can only be remembered under its own bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (certificate_sha256, rest) = bytes.split_first_chunk::<32>()?;
        let (issuer_sha256, rest) = rest.split_first_chunk::<32>()?;
        let (length, rest) = rest.split_first_chunk::<4>()?;
        let length = usize::try_from(u32::from_be_bytes(*length)).ok()?;
        let (certificate, issuer_spki) = (rest.get(..length)?, rest.get(length..)?);
        let digest: [u8; 32] = sha2::Sha256::digest(certificate).into();
        (digest == *certificate_sha256).then(|| Self {
            certificate: certificate.to_vec(),
            certificate_sha256: digest,
            issuer_spki: issuer_spki.to_vec(),
            issuer_sha256: *issuer_sha256,
        })
    }

    /// Which signature this is: the certificate's SHA-256, then its issuer's.
    pub fn key(&self) -> ([u8; 32], [u8; 32]) {
        (self.certificate_sha256, self.issuer_sha256)
    }
}

/// What [`SignatureTask::verify`] found, to [`remember`](SignatureResult::remember) in the
/// process that asked, so that its next check knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureResult {
    certificate_sha256: [u8; 32],
    issuer_sha256: [u8; 32],
    check: SignatureCheck,
}

impl SignatureResult {
    /// Remembers the result for every later check in this process, as if verified here.
    pub fn remember(&self) {
        remember(&self.certificate_sha256, &self.issuer_sha256, &self.check);
    }

    /// Which signature this is: the certificate's SHA-256, then its issuer's.
    pub fn key(&self) -> ([u8; 32], [u8; 32]) {
        (self.certificate_sha256, self.issuer_sha256)
    }

    /// The result as bytes: both digests, then `V` (valid), `I` (invalid) or `U` followed by
    /// the unsupported algorithm's name in UTF-8.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(80);
        out.extend_from_slice(&self.certificate_sha256);
        out.extend_from_slice(&self.issuer_sha256);
        match &self.check {
            SignatureCheck::Valid => out.push(b'V'),
            SignatureCheck::Invalid => out.push(b'I'),
            SignatureCheck::Unsupported { algorithm } => {
                out.push(b'U');
                out.extend_from_slice(algorithm.as_bytes());
            }
        }
        out
    }

    /// A result from [`SignatureResult::to_bytes`]; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (certificate_sha256, rest) = bytes.split_first_chunk::<32>()?;
        let (issuer_sha256, rest) = rest.split_first_chunk::<32>()?;
        let check = match rest.split_first()? {
            (b'V', []) => SignatureCheck::Valid,
            (b'I', []) => SignatureCheck::Invalid,
            (b'U', name) => SignatureCheck::Unsupported { algorithm: String::from_utf8(name.to_vec()).ok()? },
            _ => return None,
        };
        Some(Self { certificate_sha256: *certificate_sha256, issuer_sha256: *issuer_sha256, check })
    }
}

thread_local! {
    /// The tasks of the [`signature_tasks_of`] dry run under way on this thread, if one is.
    static RECORDING: RefCell<Option<Vec<SignatureTask>>> = const { RefCell::new(None) };
}

/// During a [`signature_tasks_of`] dry run, records the task (once) and answers `true`.
pub(crate) fn record(task: impl FnOnce() -> SignatureTask) -> bool {
    RECORDING.with(|recording| match recording.try_borrow_mut().as_deref_mut() {
        Ok(Some(tasks)) => {
            let task = task();
            if !tasks.iter().any(|known| known.key() == task.key()) {
                tasks.push(task);
            }
            true
        }
        _ => false,
    })
}

/// Every signature `work` would verify whose result this process does not know yet, found by
/// running `work` once as a dry run: inside it nothing is verified, each unknown signature is
/// recorded and answered "valid" so that the run reaches every signature a real run could need
/// (a peer verification's every candidate path), and what `work` computes is to be thrown away.
/// Verify the tasks ([`SignatureTask::verify`], in a worker say), [remember](SignatureResult::remember)
/// the results, then run `work` for real: it then verifies nothing. Works with any entry point
/// ([`crate::check`], [`crate::verify_peer`], [`crate::inspect`]).
pub fn signature_tasks_of(work: impl FnOnce()) -> Vec<SignatureTask> {
    let outer = RECORDING.with(|recording| recording.replace(Some(Vec::new())));
    work();
    RECORDING.with(|recording| recording.replace(outer)).unwrap_or_default()
}

/// How a check treats signatures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Signatures {
    /// Verify every signature the input's certificates name (the default).
    #[default]
    Verify,
    /// Report only results already known in this process; the rest are left unverified
    /// (`verified_by: null`, no `signature.*` diagnostic) and listed by [`crate::signature_tasks`], for a
    /// front end that shows a report at once and verifies when idle.
    Known,
}

/// The outcome of checking one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SignatureCheck {
    /// The signature verifies with the issuer's public key.
    Valid,
    /// It does not: another key signed, the signed bytes changed, the signature value or a
    /// structure around it is malformed, or the key's type does not fit the algorithm (an EC
    /// key under an RSA signature algorithm, a PSS-only key under PKCS#1 v1.5).
    Invalid,
    /// certcheck cannot check this signature: an algorithm, curve, parameter set or key size it
    /// does not implement (DSA, Ed448, secp256k1, RSA over 16384 bits, …), or the
    /// `verify-signatures` feature is off.
    Unsupported {
        /// What is not supported, readable: `dsa_with_SHA256`, `ecdsa-with-SHA256 on secp256k1`,
        /// `rsassaPss with SHA-256 and MGF1 with SHA-1`, or a dotted OID.
        algorithm: String,
    },
}

/// Verifies the signature of the certificate `certificate_der` with the public key in
/// `issuer_spki_der` (a DER SubjectPublicKeyInfo, whole TLV), over the original tbsCertificate
/// bytes as they appear in `certificate_der`, never a re-encoding (RFC 5280 §4.1.1.3). The outer
/// `signatureAlgorithm` decides the algorithm, as in OpenSSL; comparing it with the inner one
/// is a separate rule.
///
/// # Errors
/// None as such: a certificate that is not `SEQUENCE { tbsCertificate, signatureAlgorithm,
/// signatureValue }` is [`SignatureCheck::Invalid`]; see [`verify`] for the rest.
pub(crate) fn verify_certificate(certificate_der: &[u8], issuer_spki_der: &[u8]) -> SignatureCheck {
    let Some(fields) =
        Tlv::parse_exact(certificate_der).filter(|c| c.tag == tag::SEQUENCE).and_then(|c| c.child_list())
    else {
        return SignatureCheck::Invalid;
    };
    match fields.as_slice() {
        [tbs, algorithm, signature] if tbs.tag == tag::SEQUENCE && signature.tag == tag::BIT_STRING => {
            verify(tbs.raw, algorithm.raw, signature.value, issuer_spki_der)
        }
        _ => SignatureCheck::Invalid,
    }
}

/// Verifies `signature_bit_string` (the contents of a signatureValue BIT STRING, its leading
/// unused-bits octet included) over `message` with the key in `spki` (a DER
/// SubjectPublicKeyInfo, whole TLV), by the `algorithm` AlgorithmIdentifier (whole DER TLV).
///
/// Supported: sha1/sha224/sha256/sha384/sha512WithRSAEncryption (parameters NULL or absent),
/// RSASSA-PSS with SHA-1/224/256/384/512 and MGF1 over the same hash (rsaEncryption or
/// id-RSASSA-PSS keys, whose parameters then restrict the signature as RFC 4055 §3.3 says),
/// ecdsa-with-SHA1/224/256/384/512 with any hash on P-256, P-384 and P-521, and Ed25519. RSA
/// moduli up to 16384 bits, however small (weak keys are a rule of their own).
///
/// # Errors
/// None as such: [`SignatureCheck::Invalid`] when the signature does not verify or a structure
/// is malformed, [`SignatureCheck::Unsupported`] for what certcheck does not implement. Never
/// panics, whatever the input.
pub(crate) fn verify(message: &[u8], algorithm: &[u8], signature_bit_string: &[u8], spki: &[u8]) -> SignatureCheck {
    #[cfg(feature = "verify-signatures")]
    {
        verification::verify(message, algorithm, signature_bit_string, spki)
    }
    #[cfg(not(feature = "verify-signatures"))]
    {
        let _ = (message, signature_bit_string, spki);
        match algorithm_identifier(algorithm) {
            Some((oid, _)) => SignatureCheck::Unsupported { algorithm: crate::names::signature_name(&oid) },
            None => SignatureCheck::Invalid,
        }
    }
}

/// Verifies a signature made by the holder of `spki`'s key over `message` (a certificate
/// request's own signature, say), with the same algorithms and limits as [`verify`]; for crates
/// beside the core. `signature_bit_string` is the BIT STRING's contents, unused-bits octet first.
///
/// # Errors
/// A sentence: the signature does not verify, or the algorithm is one certcheck does not check.
pub fn verify_signature(
    message: &[u8],
    algorithm: &[u8],
    signature_bit_string: &[u8],
    spki: &[u8],
) -> Result<(), String> {
    match verify(message, algorithm, signature_bit_string, spki) {
        SignatureCheck::Valid => Ok(()),
        SignatureCheck::Invalid => Err("the signature does not verify with the key it names".to_owned()),
        SignatureCheck::Unsupported { algorithm } => Err(format!("certcheck cannot check {algorithm} signatures")),
    }
}

/// An AlgorithmIdentifier's OID (dotted) and parameters; `None` unless it is exactly
/// `SEQUENCE { OBJECT IDENTIFIER, [ANY] }`.
fn algorithm_identifier(der: &[u8]) -> Option<(String, Option<Tlv<'_>>)> {
    let identifier = Tlv::parse_exact(der).filter(|t| t.tag == tag::SEQUENCE)?;
    algorithm_fields(&identifier)
}

fn algorithm_fields<'a>(identifier: &Tlv<'a>) -> Option<(String, Option<Tlv<'a>>)> {
    if identifier.tag != tag::SEQUENCE {
        return None;
    }
    match identifier.child_list()?.as_slice() {
        [oid] if oid.tag == tag::OID => Some((oid_to_dotted(oid.value)?, None)),
        [oid, parameters] if oid.tag == tag::OID => Some((oid_to_dotted(oid.value)?, Some(*parameters))),
        _ => None,
    }
}

/// The signature schemes and their verification (feature `verify-signatures`).
#[cfg(feature = "verify-signatures")]
mod verification {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    use sha2::Digest;

    use super::{SignatureCheck, algorithm_fields, algorithm_identifier};
    use crate::der_walk::{Tlv, oid_to_dotted, tag};
    use crate::names;
    use crate::public_key::{EC, ED25519, RSA, RSA_PSS};

    /// The largest RSA modulus verified (bits); larger keys are [`SignatureCheck::Unsupported`].
    const MAX_RSA_BITS: usize = 16384;
    const NULL: u8 = 0x05;
    const MGF1: &str = "1.2.840.113549.1.1.8";
    // The explicit tags of RSASSA-PSS-params' fields.
    const HASH_ALGORITHM: u8 = 0xA0;
    const MASK_GEN_ALGORITHM: u8 = 0xA1;
    const SALT_LENGTH: u8 = 0xA2;
    const TRAILER_FIELD: u8 = 0xA3;
    const P256: &str = "1.2.840.10045.3.1.7";
    const P384: &str = "1.3.132.0.34";
    const P521: &str = "1.3.132.0.35";

    /// A hash function a supported signature scheme uses.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum HashFunction {
        Sha1,
        Sha224,
        Sha256,
        Sha384,
        Sha512,
    }

    impl HashFunction {
        /// From a hash AlgorithmIdentifier's OID (RFC 4055 §2.1).
        fn from_oid(dotted: &str) -> Option<Self> {
            match dotted {
                "1.3.14.3.2.26" => Some(Self::Sha1),
                "2.16.840.1.101.3.4.2.4" => Some(Self::Sha224),
                "2.16.840.1.101.3.4.2.1" => Some(Self::Sha256),
                "2.16.840.1.101.3.4.2.2" => Some(Self::Sha384),
                "2.16.840.1.101.3.4.2.3" => Some(Self::Sha512),
                _ => None,
            }
        }

        fn name(self) -> &'static str {
            match self {
                Self::Sha1 => "SHA-1",
                Self::Sha224 => "SHA-224",
                Self::Sha256 => "SHA-256",
                Self::Sha384 => "SHA-384",
                Self::Sha512 => "SHA-512",
            }
        }

        fn digest(self, message: &[u8]) -> Vec<u8> {
            match self {
                Self::Sha1 => sha1::Sha1::digest(message).to_vec(),
                Self::Sha224 => sha2::Sha224::digest(message).to_vec(),
                Self::Sha256 => sha2::Sha256::digest(message).to_vec(),
                Self::Sha384 => sha2::Sha384::digest(message).to_vec(),
                Self::Sha512 => sha2::Sha512::digest(message).to_vec(),
            }
        }
    }

    /// RSASSA-PSS-params that certcheck can verify: MGF1 over the message hash, trailerField 1.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct PssParameters {
        hash: HashFunction,
        salt_length: usize,
    }

    /// A signature algorithm certcheck implements.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Scheme {
        RsaPkcs1(HashFunction),
        RsaPss(PssParameters),
        Ecdsa(HashFunction),
        Ed25519,
    }

    /// The issuer's public key, as far as verification needs it.
    enum IssuerKey<'a> {
        Rsa {
            modulus: &'a [u8],
            exponent: &'a [u8],
            /// An id-RSASSA-PSS key: only for PSS, within its parameters if it has any.
            pss_only: Option<Option<PssParameters>>,
        },
        Ec {
            /// The namedCurve OID, or `None` for specifiedCurve and implicitCurve parameters.
            curve: Option<String>,
            point: &'a [u8],
        },
        Ed25519(&'a [u8]),
        Other,
    }

    /// ECDSA on one curve crate: SEC1 point, DER `Ecdsa-Sig-Value`, prehash verification (the
    /// `ecdsa` crate truncates a longer hash to the order's length and zero-extends a shorter
    /// one, as FIPS 186-5 §6.4.2 does).
    macro_rules! ecdsa {
        ($curve:ident, $width:literal, $point:expr, $digest:expr, $signature:expr) => {{
            let Ok(key) = $curve::ecdsa::VerifyingKey::from_sec1_bytes($point) else {
                return SignatureCheck::Invalid;
            };
            let Some(fixed) = ecdsa_fixed_width($signature, $width) else { return SignatureCheck::Invalid };
            let Ok(signature) = $curve::ecdsa::Signature::from_slice(&fixed) else { return SignatureCheck::Invalid };
            outcome(key.verify_prehash($digest, &signature).is_ok())
        }};
    }

    pub(super) fn verify(message: &[u8], algorithm: &[u8], signature_bit_string: &[u8], spki: &[u8]) -> SignatureCheck {
        let Some((oid, parameters)) = algorithm_identifier(algorithm) else { return SignatureCheck::Invalid };
        let name = names::signature_name(&oid);
        let scheme = match scheme(&oid, parameters.as_ref()) {
            Ok(scheme) => scheme,
            Err(algorithm) => return SignatureCheck::Unsupported { algorithm },
        };
        let Some(key) = issuer_key(spki) else { return SignatureCheck::Invalid };
        // The unused-bits octet of a signature is always 0 (RFC 5280 §4.1.1.3: whole octets).
        let Some((&0, signature)) = signature_bit_string.split_first() else { return SignatureCheck::Invalid };
        match (scheme, key) {
            (Scheme::RsaPkcs1(hash), IssuerKey::Rsa { modulus, exponent, pss_only: None }) => {
                match rsa_key(modulus, exponent, &name) {
                    Ok(key) => outcome(rsa_pkcs1(&key, hash, message, signature)),
                    Err(check) => check,
                }
            }
            (Scheme::RsaPss(parameters), IssuerKey::Rsa { modulus, exponent, pss_only }) => {
                // RFC 4055 §3.3: a key with parameters signs only with its hash (and so its MGF1
                // hash), and a salt at least as long as its own.
                if let Some(Some(restriction)) = pss_only
                    && (restriction.hash != parameters.hash || parameters.salt_length < restriction.salt_length)
                {
                    return SignatureCheck::Invalid;
                }
                match rsa_key(modulus, exponent, &name) {
                    Ok(key) => outcome(rsa_pss(&key, parameters, message, signature)),
                    Err(check) => check,
                }
            }
            (Scheme::Ecdsa(hash), IssuerKey::Ec { curve, point }) => {
                let digest = hash.digest(message);
                match curve.as_deref() {
                    Some(P256) => ecdsa!(p256, 32, point, &digest, signature),
                    Some(P384) => ecdsa!(p384, 48, point, &digest, signature),
                    Some(P521) => ecdsa!(p521, 66, point, &digest, signature),
                    Some(other) => {
                        let curve = names::curve(other).map_or(other, |(curve, _)| curve);
                        SignatureCheck::Unsupported { algorithm: format!("{name} on {curve}") }
                    }
                    None => SignatureCheck::Unsupported { algorithm: format!("{name} on an unnamed curve") },
                }
            }
            (Scheme::Ed25519, IssuerKey::Ed25519(key)) => {
                use ed25519_dalek::Verifier;
                let (Ok(key), Ok(signature)) = (<[u8; 32]>::try_from(key), <[u8; 64]>::try_from(signature)) else {
                    return SignatureCheck::Invalid;
                };
                let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key) else { return SignatureCheck::Invalid };
                // RFC 8032 verification with canonical S, as OpenSSL does; not `verify_strict`,
                // which also refuses small-order keys that OpenSSL accepts.
                outcome(key.verify(message, &ed25519_dalek::Signature::from_bytes(&signature)).is_ok())
            }
            // A key of another type than the algorithm's, or a PSS-only key under PKCS#1 v1.5.
            _ => SignatureCheck::Invalid,
        }
    }

    fn outcome(verified: bool) -> SignatureCheck {
        if verified { SignatureCheck::Valid } else { SignatureCheck::Invalid }
    }

    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2): the DigestInfo with NULL hash parameters only, as
    /// OpenSSL.
    fn rsa_pkcs1(key: &rsa::PublicKey, hash: HashFunction, message: &[u8], signature: &[u8]) -> bool {
        let digest = hash.digest(message);
        match hash {
            HashFunction::Sha1 => key.pkcs1v15_verify_prehash::<sha1::Sha1>(&digest, signature),
            HashFunction::Sha224 => key.pkcs1v15_verify_prehash::<sha2::Sha224>(&digest, signature),
            HashFunction::Sha256 => key.pkcs1v15_verify_prehash::<sha2::Sha256>(&digest, signature),
            HashFunction::Sha384 => key.pkcs1v15_verify_prehash::<sha2::Sha384>(&digest, signature),
            HashFunction::Sha512 => key.pkcs1v15_verify_prehash::<sha2::Sha512>(&digest, signature),
        }
        .is_ok()
    }

    /// RSASSA-PSS (RFC 8017 §8.1.2) with MGF1 over the message hash and exactly the salt length
    /// of the parameters (`rsa`'s `Pss::new_with_salt`; `pss_verify` would demand a salt as long
    /// as the hash).
    fn rsa_pss(key: &rsa::PublicKey, parameters: PssParameters, message: &[u8], signature: &[u8]) -> bool {
        let digest = parameters.hash.digest(message);
        let salt = parameters.salt_length;
        match parameters.hash {
            HashFunction::Sha1 => key.verify(rsa::Pss::<sha1::Sha1>::new_with_salt(salt), &digest, signature),
            HashFunction::Sha224 => key.verify(rsa::Pss::<sha2::Sha224>::new_with_salt(salt), &digest, signature),
            HashFunction::Sha256 => key.verify(rsa::Pss::<sha2::Sha256>::new_with_salt(salt), &digest, signature),
            HashFunction::Sha384 => key.verify(rsa::Pss::<sha2::Sha384>::new_with_salt(salt), &digest, signature),
            HashFunction::Sha512 => key.verify(rsa::Pss::<sha2::Sha512>::new_with_salt(salt), &digest, signature),
        }
        .is_ok()
    }

    /// The scheme of a signature AlgorithmIdentifier, or the readable name of what is not
    /// supported.
    fn scheme(oid: &str, parameters: Option<&Tlv<'_>>) -> Result<Scheme, String> {
        let null_or_absent = parameters.is_none_or(|p| p.tag == NULL && p.value.is_empty());
        let with_null_or_absent = |scheme: Scheme| {
            if null_or_absent { Ok(scheme) } else { Err(format!("{} with parameters", names::signature_name(oid))) }
        };
        match oid {
            "1.2.840.113549.1.1.5" => with_null_or_absent(Scheme::RsaPkcs1(HashFunction::Sha1)),
            "1.2.840.113549.1.1.14" => with_null_or_absent(Scheme::RsaPkcs1(HashFunction::Sha224)),
            "1.2.840.113549.1.1.11" => with_null_or_absent(Scheme::RsaPkcs1(HashFunction::Sha256)),
            "1.2.840.113549.1.1.12" => with_null_or_absent(Scheme::RsaPkcs1(HashFunction::Sha384)),
            "1.2.840.113549.1.1.13" => with_null_or_absent(Scheme::RsaPkcs1(HashFunction::Sha512)),
            RSA_PSS => match parameters {
                Some(parameters) => pss_parameters(parameters).map(Scheme::RsaPss),
                None => Err("rsassaPss without parameters".to_owned()),
            },
            // RFC 5758 §3.2 says the parameters are absent; OpenSSL ignores them, NULL occurs.
            "1.2.840.10045.4.1" => with_null_or_absent(Scheme::Ecdsa(HashFunction::Sha1)),
            "1.2.840.10045.4.3.1" => with_null_or_absent(Scheme::Ecdsa(HashFunction::Sha224)),
            "1.2.840.10045.4.3.2" => with_null_or_absent(Scheme::Ecdsa(HashFunction::Sha256)),
            "1.2.840.10045.4.3.3" => with_null_or_absent(Scheme::Ecdsa(HashFunction::Sha384)),
            "1.2.840.10045.4.3.4" => with_null_or_absent(Scheme::Ecdsa(HashFunction::Sha512)),
            // RFC 8410 §3: the parameters MUST be absent.
            ED25519 if parameters.is_none() => Ok(Scheme::Ed25519),
            ED25519 => Err("ED25519 with parameters".to_owned()),
            other => Err(names::signature_name(other)),
        }
    }

    /// RSASSA-PSS-params (RFC 4055 §3.1), every field at its DEFAULT when absent: SHA-1,
    /// MGF1 with SHA-1, salt 20, trailerField 1.
    fn pss_parameters(parameters: &Tlv<'_>) -> Result<PssParameters, String> {
        let malformed = || "rsassaPss with malformed parameters".to_owned();
        if parameters.tag != tag::SEQUENCE {
            return Err(malformed());
        }
        let mut hash = HashFunction::Sha1;
        let mut mask_hash = HashFunction::Sha1;
        let mut salt_length = 20;
        let mut trailer = 1;
        let mut previous = None;
        for field in parameters.child_list().ok_or_else(malformed)? {
            // Explicitly tagged [0]..[3], each at most once and in order.
            if previous.is_some_and(|previous| previous >= field.tag) {
                return Err(malformed());
            }
            previous = Some(field.tag);
            let inner = Tlv::parse_exact(field.value).ok_or_else(malformed)?;
            match field.tag {
                HASH_ALGORITHM => hash = hash_algorithm(&inner)?,
                MASK_GEN_ALGORITHM => {
                    let (oid, mask_parameters) = algorithm_fields(&inner).ok_or_else(malformed)?;
                    if oid != MGF1 {
                        return Err(format!("rsassaPss with mask generation function {oid}"));
                    }
                    mask_hash = hash_algorithm(&mask_parameters.ok_or_else(malformed)?)?;
                }
                SALT_LENGTH => {
                    salt_length = small_unsigned(&inner).and_then(|n| usize::try_from(n).ok()).ok_or_else(malformed)?;
                }
                TRAILER_FIELD => trailer = small_unsigned(&inner).ok_or_else(malformed)?,
                _ => return Err(malformed()),
            }
        }
        if trailer != 1 {
            return Err(format!("rsassaPss with trailerField {trailer}"));
        }
        if mask_hash != hash {
            return Err(format!("rsassaPss with {} and MGF1 with {}", hash.name(), mask_hash.name()));
        }
        Ok(PssParameters { hash, salt_length })
    }

    /// A hash AlgorithmIdentifier inside PSS parameters (parameters NULL or absent, RFC 4055 §2.1).
    fn hash_algorithm(identifier: &Tlv<'_>) -> Result<HashFunction, String> {
        let (oid, parameters) =
            algorithm_fields(identifier).ok_or_else(|| "rsassaPss with malformed parameters".to_owned())?;
        if parameters.is_some_and(|p| p.tag != NULL || !p.value.is_empty()) {
            return Err("rsassaPss with malformed parameters".to_owned());
        }
        HashFunction::from_oid(&oid).ok_or_else(|| format!("rsassaPss with hash {oid}"))
    }

    /// A non-negative INTEGER that fits in 64 bits.
    fn small_unsigned(integer: &Tlv<'_>) -> Option<u64> {
        let first = *integer.value.first()?;
        if integer.tag != tag::INTEGER || first & 0x80 != 0 {
            return None;
        }
        let magnitude = integer.unsigned_integer()?;
        if magnitude.len() > 8 {
            return None;
        }
        Some(magnitude.iter().fold(0u64, |value, &octet| (value << 8) | u64::from(octet)))
    }

    /// Reads a SubjectPublicKeyInfo; `None` if it is malformed.
    fn issuer_key(spki: &[u8]) -> Option<IssuerKey<'_>> {
        let spki = Tlv::parse_exact(spki).filter(|t| t.tag == tag::SEQUENCE)?;
        let [algorithm, key] = spki.child_list()?.try_into().ok()?;
        let (oid, parameters) = algorithm_fields(&algorithm)?;
        if key.tag != tag::BIT_STRING {
            return None;
        }
        let (&0, key) = key.value.split_first()? else { return None };
        match oid.as_str() {
            RSA | RSA_PSS => {
                let sequence = Tlv::parse_exact(key).filter(|t| t.tag == tag::SEQUENCE)?;
                let [modulus, exponent] = sequence.child_list()?.try_into().ok()?;
                let pss_only = match (oid.as_str(), parameters) {
                    (RSA, _) => None,
                    (_, None) => Some(None),
                    // Parameters that cannot be read make the key unusable, as in OpenSSL.
                    (_, Some(parameters)) => Some(Some(pss_parameters(&parameters).ok()?)),
                };
                Some(IssuerKey::Rsa { modulus: positive(&modulus)?, exponent: positive(&exponent)?, pss_only })
            }
            EC => {
                // RFC 5480 §2.1.1: namedCurve; specifiedCurve and implicitCurve are not supported.
                let curve = match parameters? {
                    named if named.tag == tag::OID => Some(oid_to_dotted(named.value)?),
                    _ => None,
                };
                Some(IssuerKey::Ec { curve, point: key })
            }
            ED25519 => Some(IssuerKey::Ed25519(key)),
            _ => Some(IssuerKey::Other),
        }
    }

    /// The magnitude of a positive INTEGER; `None` for zero or negative values.
    fn positive<'a>(integer: &Tlv<'a>) -> Option<&'a [u8]> {
        let first = *integer.value.first()?;
        let magnitude = integer.unsigned_integer()?;
        (first & 0x80 == 0 && !magnitude.is_empty()).then_some(magnitude)
    }

    /// An RSA public key of at most [`MAX_RSA_BITS`] bits and any smaller size: `rsa`'s
    /// `PublicKey::new` refuses moduli under 1024 bits, `new_with_size_limits` takes the range.
    fn rsa_key(modulus: &[u8], exponent: &[u8], name: &str) -> Result<rsa::PublicKey, SignatureCheck> {
        let bits = |magnitude: &[u8]| u32::try_from(magnitude.len().saturating_mul(8)).ok();
        let (Some(modulus_bits), Some(exponent_bits)) = (bits(modulus), bits(exponent)) else {
            return Err(SignatureCheck::Unsupported { algorithm: format!("{name} with an oversized RSA key") });
        };
        let modulus = rsa::BoxedUint::from_be_slice(modulus, modulus_bits).map_err(|_| SignatureCheck::Invalid)?;
        let exponent = rsa::BoxedUint::from_be_slice(exponent, exponent_bits).map_err(|_| SignatureCheck::Invalid)?;
        let size = modulus.bit_width();
        rsa::PublicKey::new_with_size_limits(modulus, exponent, 0..=MAX_RSA_BITS).map_err(|error| match error {
            rsa::Error::ModulusTooLarge => {
                SignatureCheck::Unsupported { algorithm: format!("{name} with a {size}-bit RSA key") }
            }
            rsa::Error::PublicExponentTooLarge => {
                SignatureCheck::Unsupported { algorithm: format!("{name} with an RSA public exponent of 2^33 or more") }
            }
            _ => SignatureCheck::Invalid,
        })
    }

    /// The `r || s` form of a DER `Ecdsa-Sig-Value` (RFC 5758 §3.2), each `width` octets. Only
    /// the DER encoding is accepted, as OpenSSL does (it re-encodes and compares): minimal
    /// lengths, positive minimal INTEGERs, nothing after.
    fn ecdsa_fixed_width(der: &[u8], width: usize) -> Option<Vec<u8>> {
        let sequence = Tlv::parse_exact(der).filter(|t| t.tag == tag::SEQUENCE && minimal_length(t))?;
        let [r, s] = sequence.child_list()?.try_into().ok()?;
        let mut fixed = Vec::with_capacity(2 * width);
        for integer in [r, s] {
            let minimal_integer = match integer.value {
                [] => false,
                [0, next, ..] => next & 0x80 != 0,
                [first, ..] => first & 0x80 == 0,
            };
            if integer.tag != tag::INTEGER || !minimal_length(&integer) || !minimal_integer {
                return None;
            }
            let magnitude = integer.unsigned_integer()?;
            fixed.resize(fixed.len() + width.checked_sub(magnitude.len())?, 0);
            fixed.extend_from_slice(magnitude);
        }
        Some(fixed)
    }

    /// Whether the length octets are the shortest form (X.690 §10.1).
    fn minimal_length(tlv: &Tlv<'_>) -> bool {
        let header = tlv.raw.len() - tlv.value.len();
        let length = tlv.value.len();
        let needed = if length < 0x80 { 2 } else { 2 + (usize::BITS - length.leading_zeros()).div_ceil(8) as usize };
        header == needed
    }
}

#[cfg(test)]
#[cfg(feature = "verify-signatures")]
mod tests {
    use super::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../../tests/data/signatures/", $name, ".pem"))
        };
    }

    /// Each supported algorithm: a self-signed CA and a leaf it issued (tests/data/signatures).
    const PAIRS: &[(&str, &str)] = &[
        (fixture!("rsa-pkcs1-sha1-ca"), fixture!("rsa-pkcs1-sha1-leaf")),
        (fixture!("rsa-pkcs1-sha224-ca"), fixture!("rsa-pkcs1-sha224-leaf")),
        (fixture!("rsa-pkcs1-sha256-ca"), fixture!("rsa-pkcs1-sha256-leaf")),
        (fixture!("rsa-pkcs1-sha384-ca"), fixture!("rsa-pkcs1-sha384-leaf")),
        (fixture!("rsa-pkcs1-sha512-ca"), fixture!("rsa-pkcs1-sha512-leaf")),
        (fixture!("rsa-pss-sha256-salt32-ca"), fixture!("rsa-pss-sha256-salt32-leaf")),
        (fixture!("rsa-pss-sha384-salt48-ca"), fixture!("rsa-pss-sha384-salt48-leaf")),
        (fixture!("rsa-pss-sha256-saltmax-ca"), fixture!("rsa-pss-sha256-saltmax-leaf")),
        (fixture!("rsa-pss-sha1-defaults-ca"), fixture!("rsa-pss-sha1-defaults-leaf")),
        (fixture!("rsa-pss-key-ca"), fixture!("rsa-pss-key-leaf")),
        (fixture!("rsa-pss-key-params-ca"), fixture!("rsa-pss-key-params-leaf")),
        (fixture!("ecdsa-p256-sha256-ca"), fixture!("ecdsa-p256-sha256-leaf")),
        (fixture!("ecdsa-p384-sha384-ca"), fixture!("ecdsa-p384-sha384-leaf")),
        (fixture!("ecdsa-p521-sha512-ca"), fixture!("ecdsa-p521-sha512-leaf")),
        (fixture!("ecdsa-p256-sha384-ca"), fixture!("ecdsa-p256-sha384-leaf")),
        (fixture!("ed25519-ca"), fixture!("ed25519-leaf")),
    ];

    /// Self-signed only: small and large RSA moduli, hash and curve sizes apart.
    const SELF_SIGNED: &[&str] = &[
        fixture!("rsa-512-sha256"),
        fixture!("rsa-1024-sha256"),
        fixture!("rsa-4096-sha256"),
        fixture!("ecdsa-p256-sha512"),
        fixture!("ecdsa-p521-sha256"),
        fixture!("ecdsa-p384-sha1"),
    ];

    fn der(pem: &str) -> Vec<u8> {
        pem_rfc7468::decode_vec(pem.as_bytes()).unwrap().1
    }

    /// The subjectPublicKeyInfo of a certificate, whole TLV.
    fn spki(certificate: &[u8]) -> Vec<u8> {
        let fields = tbs(certificate).child_list().unwrap();
        let version = usize::from(fields[0].tag == tag::CONTEXT_0);
        fields[version + 5].raw.to_vec()
    }

    fn tbs(certificate: &[u8]) -> Tlv<'_> {
        Tlv::parse_exact(certificate).unwrap().children().next().unwrap()
    }

    /// tbsCertificate (whole TLV), signatureAlgorithm (whole TLV), signatureValue contents.
    fn parts(certificate: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let fields = Tlv::parse_exact(certificate).unwrap().child_list().unwrap();
        (fields[0].raw.to_vec(), fields[1].raw.to_vec(), fields[2].value.to_vec())
    }

    #[track_caller]
    fn check(certificate: &str, issuer: &str, expected: SignatureCheck) {
        assert_eq!(verify_certificate(&der(certificate), &spki(&der(issuer))), expected);
    }

    fn unsupported(algorithm: &str) -> SignatureCheck {
        SignatureCheck::Unsupported { algorithm: algorithm.to_owned() }
    }

    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match u8::try_from(contents.len()) {
            Ok(short) if short < 0x80 => out.push(short),
            _ => {
                let length = contents.len().to_be_bytes();
                let skip = length.iter().take_while(|&&b| b == 0).count();
                out.push(0x80 | (length.len() - skip) as u8);
                out.extend_from_slice(&length[skip..]);
            }
        }
        out.extend_from_slice(contents);
        out
    }

    fn sequence(items: &[&[u8]]) -> Vec<u8> {
        tlv(tag::SEQUENCE, &items.concat())
    }

    fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|arc| arc.parse().unwrap()).collect();
        let mut body = Vec::new();
        for arc in std::iter::once(arcs[0] * 40 + arcs[1]).chain(arcs[2..].iter().copied()) {
            let mut groups = vec![(arc & 0x7F) as u8];
            let mut rest = arc >> 7;
            while rest > 0 {
                groups.push(0x80 | (rest & 0x7F) as u8);
                rest >>= 7;
            }
            body.extend(groups.iter().rev());
        }
        tlv(tag::OID, &body)
    }

    const NULL_PARAMETERS: &[u8] = &[0x05, 0x00];
    const SHA1: &str = "1.3.14.3.2.26";
    const SHA256: &str = "2.16.840.1.101.3.4.2.1";
    const SHA384: &str = "2.16.840.1.101.3.4.2.2";

    fn hash_identifier(hash: &str) -> Vec<u8> {
        sequence(&[&oid(hash), NULL_PARAMETERS])
    }

    /// RSASSA-PSS-params with the given fields (`None`: left at its DEFAULT).
    fn pss_parameters(hash: Option<&str>, mask_hash: Option<&str>, salt: Option<u8>, trailer: Option<u8>) -> Vec<u8> {
        let mut fields = Vec::new();
        if let Some(hash) = hash {
            fields.extend(tlv(0xA0, &hash_identifier(hash)));
        }
        if let Some(mask_hash) = mask_hash {
            fields.extend(tlv(0xA1, &sequence(&[&oid("1.2.840.113549.1.1.8"), &hash_identifier(mask_hash)])));
        }
        if let Some(salt) = salt {
            fields.extend(tlv(0xA2, &tlv(tag::INTEGER, &[salt])));
        }
        if let Some(trailer) = trailer {
            fields.extend(tlv(0xA3, &tlv(tag::INTEGER, &[trailer])));
        }
        tlv(tag::SEQUENCE, &fields)
    }

    fn pss_algorithm(parameters: &[u8]) -> Vec<u8> {
        sequence(&[&oid("1.2.840.113549.1.1.10"), parameters])
    }

    /// An SPKI with another algorithm identifier around the same key bits.
    fn relabel(spki: &[u8], algorithm: &[u8]) -> Vec<u8> {
        let fields = Tlv::parse_exact(spki).unwrap().child_list().unwrap();
        sequence(&[algorithm, fields[1].raw])
    }

    /// An rsaEncryption SPKI with this modulus and exponent (magnitudes).
    fn rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
        let integer = |magnitude: &[u8]| {
            let mut value = if magnitude[0] & 0x80 != 0 { vec![0] } else { Vec::new() };
            value.extend_from_slice(magnitude);
            tlv(tag::INTEGER, &value)
        };
        let key = sequence(&[&integer(modulus), &integer(exponent)]);
        let mut bits = vec![0];
        bits.extend(key);
        sequence(&[&sequence(&[&oid("1.2.840.113549.1.1.1"), NULL_PARAMETERS]), &tlv(tag::BIT_STRING, &bits)])
    }

    /// The modulus magnitude of an RSA SPKI.
    fn rsa_modulus(spki: &[u8]) -> Vec<u8> {
        let fields = Tlv::parse_exact(spki).unwrap().child_list().unwrap();
        let key = Tlv::parse_exact(&fields[1].value[1..]).unwrap().child_list().unwrap();
        key[0].unsigned_integer().unwrap().to_vec()
    }

    #[test]
    fn self_signed_and_issued_certificates_verify() {
        for (ca, leaf) in PAIRS {
            check(ca, ca, SignatureCheck::Valid);
            check(leaf, ca, SignatureCheck::Valid);
        }
        for certificate in SELF_SIGNED {
            check(certificate, certificate, SignatureCheck::Valid);
        }
    }

    #[test]
    fn another_key_is_invalid() {
        // Each leaf against the next pair's CA: another RSA key, or a key of another type.
        for (index, (_, leaf)) in PAIRS.iter().enumerate() {
            let (other_ca, _) = PAIRS[(index + 1) % PAIRS.len()];
            check(leaf, other_ca, SignatureCheck::Invalid);
            // The leaf's own key (P-256) did not sign the CA.
            let (ca, _) = PAIRS[index];
            check(ca, leaf, SignatureCheck::Invalid);
        }
        check(fixture!("wrong-key-leaf"), fixture!("rsa-pkcs1-sha256-ca"), SignatureCheck::Invalid);
    }

    #[test]
    fn changed_bytes_are_invalid() {
        check(fixture!("flipped-tbs"), fixture!("rsa-pkcs1-sha256-ca"), SignatureCheck::Invalid);
        check(fixture!("flipped-signature"), fixture!("rsa-pkcs1-sha256-ca"), SignatureCheck::Invalid);
        for (ca, leaf) in PAIRS {
            let (leaf, issuer) = (der(leaf), spki(&der(ca)));
            // The last octet of the tbsCertificate, and of the signature value.
            let tbs = tbs(&leaf);
            let mut changed = leaf.clone();
            changed[tbs.offset + tbs.raw.len() - 1] ^= 0x01;
            assert_eq!(verify_certificate(&changed, &issuer), SignatureCheck::Invalid);
            let mut changed = leaf.clone();
            *changed.last_mut().unwrap() ^= 0x01;
            assert_eq!(verify_certificate(&changed, &issuer), SignatureCheck::Invalid);
        }
    }

    #[test]
    fn every_single_byte_change_is_caught() {
        for (ca, leaf) in [PAIRS[2], PAIRS[5], PAIRS[11], PAIRS[15]] {
            let (leaf, issuer) = (der(leaf), spki(&der(ca)));
            for at in 0..leaf.len() {
                let mut changed = leaf.clone();
                changed[at] ^= 0x20;
                assert_ne!(verify_certificate(&changed, &issuer), SignatureCheck::Valid, "byte {at}");
            }
        }
    }

    #[test]
    fn unsupported_algorithms_are_named() {
        check(fixture!("dsa-sha256"), fixture!("dsa-sha256"), unsupported("dsa_with_SHA256"));
        check(fixture!("ed448"), fixture!("ed448"), unsupported("ED448"));
        let secp256k1 = fixture!("ecdsa-secp256k1-sha256");
        check(secp256k1, secp256k1, unsupported("ecdsa-with-SHA256 on secp256k1"));
        // An algorithm certcheck supports over a key it does not: still unsupported.
        check(fixture!("ecdsa-p256-sha256-leaf"), secp256k1, unsupported("ecdsa-with-SHA256 on secp256k1"));
        // Curves given by parameters rather than by name; no parameters at all is malformed.
        let leaf = der(fixture!("ecdsa-p256-sha256-leaf"));
        let issuer = spki(&der(fixture!("ecdsa-p256-sha256-ca")));
        let ec = oid("1.2.840.10045.2.1");
        let specified = relabel(&issuer, &sequence(&[&ec, &sequence(&[&tlv(tag::INTEGER, &[1])])]));
        assert_eq!(verify_certificate(&leaf, &specified), unsupported("ecdsa-with-SHA256 on an unnamed curve"));
        let implicit = relabel(&issuer, &sequence(&[&ec, NULL_PARAMETERS]));
        assert_eq!(verify_certificate(&leaf, &implicit), unsupported("ecdsa-with-SHA256 on an unnamed curve"));
        assert_eq!(verify_certificate(&leaf, &relabel(&issuer, &sequence(&[&ec]))), SignatureCheck::Invalid);
        // A supported key under an unsupported algorithm.
        let (tbs, _, signature) = parts(&der(fixture!("rsa-pkcs1-sha256-leaf")));
        let issuer = spki(&der(fixture!("rsa-pkcs1-sha256-ca")));
        let md5 = sequence(&[&oid("1.2.840.113549.1.1.4"), NULL_PARAMETERS]);
        assert_eq!(verify(&tbs, &md5, &signature, &issuer), unsupported("md5WithRSAEncryption"));
        let unknown = sequence(&[&oid("1.2.3.4.5")]);
        assert_eq!(verify(&tbs, &unknown, &signature, &issuer), unsupported("1.2.3.4.5"));
    }

    #[test]
    fn algorithm_parameters() {
        let (tbs, _, signature) = parts(&der(fixture!("rsa-pkcs1-sha256-leaf")));
        let issuer = spki(&der(fixture!("rsa-pkcs1-sha256-ca")));
        let sha256_with_rsa = oid("1.2.840.113549.1.1.11");
        let absent = sequence(&[&sha256_with_rsa]);
        assert_eq!(verify(&tbs, &absent, &signature, &issuer), SignatureCheck::Valid);
        let integer = sequence(&[&sha256_with_rsa, &tlv(tag::INTEGER, &[0])]);
        assert_eq!(verify(&tbs, &integer, &signature, &issuer), unsupported("sha256WithRSAEncryption with parameters"));

        let (tbs, _, signature) = parts(&der(fixture!("ecdsa-p256-sha256-leaf")));
        let issuer = spki(&der(fixture!("ecdsa-p256-sha256-ca")));
        let null = sequence(&[&oid("1.2.840.10045.4.3.2"), NULL_PARAMETERS]);
        assert_eq!(verify(&tbs, &null, &signature, &issuer), SignatureCheck::Valid);

        let (tbs, _, signature) = parts(&der(fixture!("ed25519-leaf")));
        let issuer = spki(&der(fixture!("ed25519-ca")));
        let null = sequence(&[&oid("1.3.101.112"), NULL_PARAMETERS]);
        assert_eq!(verify(&tbs, &null, &signature, &issuer), unsupported("ED25519 with parameters"));
    }

    #[test]
    fn pss_parameters_are_read_with_their_defaults() {
        let (tbs, algorithm, signature) = parts(&der(fixture!("rsa-pss-sha256-salt32-leaf")));
        let issuer = spki(&der(fixture!("rsa-pss-sha256-salt32-ca")));
        let verify_with = |parameters: &[u8]| verify(&tbs, &pss_algorithm(parameters), &signature, &issuer);
        let ours = pss_parameters(Some(SHA256), Some(SHA256), Some(32), None);
        assert_eq!(pss_algorithm(&ours), algorithm, "the test's encoding is OpenSSL's");
        assert_eq!(verify_with(&ours), SignatureCheck::Valid);
        // trailerField 1 written out (BER: a DEFAULT value), hash parameters absent.
        assert_eq!(verify_with(&pss_parameters(Some(SHA256), Some(SHA256), Some(32), Some(1))), SignatureCheck::Valid);
        let absent = tlv(0xA0, &sequence(&[&oid(SHA256)]));
        let mut fields = absent.clone();
        fields.extend(tlv(0xA1, &sequence(&[&oid("1.2.840.113549.1.1.8"), &sequence(&[&oid(SHA256)])])));
        fields.extend(tlv(0xA2, &tlv(tag::INTEGER, &[32])));
        assert_eq!(verify_with(&tlv(tag::SEQUENCE, &fields)), SignatureCheck::Valid);
        // The salt length is checked exactly, as the parameters say.
        for salt in [0, 20, 31, 33, 64] {
            let parameters = pss_parameters(Some(SHA256), Some(SHA256), Some(salt), None);
            assert_eq!(verify_with(&parameters), SignatureCheck::Invalid, "salt {salt}");
        }
        // Another hash: the math fails.
        assert_eq!(verify_with(&pss_parameters(Some(SHA384), Some(SHA384), Some(32), None)), SignatureCheck::Invalid);

        let cases = [
            (pss_parameters(Some(SHA256), Some(SHA256), Some(32), Some(2)), "rsassaPss with trailerField 2"),
            (pss_parameters(Some(SHA256), None, Some(32), None), "rsassaPss with SHA-256 and MGF1 with SHA-1"),
            (pss_parameters(Some(SHA256), Some(SHA1), Some(32), None), "rsassaPss with SHA-256 and MGF1 with SHA-1"),
            (
                pss_parameters(Some("2.16.840.1.101.3.4.2.6"), Some(SHA256), Some(32), None),
                "rsassaPss with hash 2.16.840.1.101.3.4.2.6",
            ),
            (
                tlv(
                    tag::SEQUENCE,
                    &[[0xA2, 0x03, 0x02, 0x01, 0x20].as_slice(), &tlv(0xA0, &hash_identifier(SHA256))].concat(),
                ),
                "rsassaPss with malformed parameters",
            ),
            (tlv(tag::SEQUENCE, &tlv(0xA2, &tlv(tag::INTEGER, &[0xFF]))), "rsassaPss with malformed parameters"),
            (NULL_PARAMETERS.to_vec(), "rsassaPss with malformed parameters"),
        ];
        for (parameters, expected) in cases {
            assert_eq!(verify_with(&parameters), unsupported(expected));
        }
        let mgf = tlv(0xA1, &sequence(&[&oid("1.2.840.113549.1.1.99"), &hash_identifier(SHA256)]));
        let other_mgf = tlv(tag::SEQUENCE, &[tlv(0xA0, &hash_identifier(SHA256)), mgf].concat());
        assert_eq!(
            verify_with(&other_mgf),
            unsupported("rsassaPss with mask generation function 1.2.840.113549.1.1.99")
        );
        let without = sequence(&[&oid("1.2.840.113549.1.1.10")]);
        assert_eq!(verify(&tbs, &without, &signature, &issuer), unsupported("rsassaPss without parameters"));
    }

    #[test]
    fn pss_keys_restrict_their_signatures() {
        // RFC 4055 §3.3: a key with RSASSA-PSS parameters signs only with its hash and at least its salt.
        let leaf = der(fixture!("rsa-pss-sha384-salt48-leaf"));
        let issuer = spki(&der(fixture!("rsa-pss-sha384-salt48-ca")));
        let restricted = |hash: &str, salt: u8| {
            relabel(&issuer, &pss_algorithm(&pss_parameters(Some(hash), Some(hash), Some(salt), None)))
        };
        assert_eq!(verify_certificate(&leaf, &restricted(SHA384, 48)), SignatureCheck::Valid);
        assert_eq!(verify_certificate(&leaf, &restricted(SHA384, 20)), SignatureCheck::Valid);
        assert_eq!(verify_certificate(&leaf, &restricted(SHA384, 64)), SignatureCheck::Invalid);
        assert_eq!(verify_certificate(&leaf, &restricted(SHA256, 32)), SignatureCheck::Invalid);
        let unrestricted = relabel(&issuer, &sequence(&[&oid("1.2.840.113549.1.1.10")]));
        assert_eq!(verify_certificate(&leaf, &unrestricted), SignatureCheck::Valid);
        let unreadable = relabel(&issuer, &pss_algorithm(NULL_PARAMETERS));
        assert_eq!(verify_certificate(&leaf, &unreadable), SignatureCheck::Invalid);

        // A PSS-only key does not verify PKCS#1 v1.5 signatures.
        let leaf = der(fixture!("rsa-pkcs1-sha256-leaf"));
        let issuer = spki(&der(fixture!("rsa-pkcs1-sha256-ca")));
        assert_eq!(verify_certificate(&leaf, &issuer), SignatureCheck::Valid);
        let pss_only = relabel(&issuer, &sequence(&[&oid("1.2.840.113549.1.1.10")]));
        assert_eq!(verify_certificate(&leaf, &pss_only), SignatureCheck::Invalid);
    }

    #[test]
    fn rsa_key_limits() {
        let (tbs, algorithm, signature) = parts(&der(fixture!("rsa-pkcs1-sha256-leaf")));
        let issuer = spki(&der(fixture!("rsa-pkcs1-sha256-ca")));
        let modulus = rsa_modulus(&issuer);
        assert_eq!(verify(&tbs, &algorithm, &signature, &rsa_spki(&modulus, &[1, 0, 1])), SignatureCheck::Valid);
        // Over 16384 bits.
        let mut huge = vec![0x01];
        huge.extend(vec![0xFF; 2048]);
        assert_eq!(
            verify(&tbs, &algorithm, &signature, &rsa_spki(&huge, &[1, 0, 1])),
            unsupported("sha256WithRSAEncryption with a 16385-bit RSA key")
        );
        let mut largest = vec![0xFF; 2048];
        largest[2047] = 0xFD;
        assert_eq!(verify(&tbs, &algorithm, &signature, &rsa_spki(&largest, &[1, 0, 1])), SignatureCheck::Invalid);
        // A public exponent the rsa crate refuses (over 2^33 - 1), and ones no key has.
        assert_eq!(
            verify(&tbs, &algorithm, &signature, &rsa_spki(&modulus, &[1, 0, 0, 0, 0, 1])),
            unsupported("sha256WithRSAEncryption with an RSA public exponent of 2^33 or more")
        );
        for exponent in [&[1u8][..], &[2], &[1, 0, 0]] {
            assert_eq!(verify(&tbs, &algorithm, &signature, &rsa_spki(&modulus, exponent)), SignatureCheck::Invalid);
        }
        let mut even = modulus.clone();
        *even.last_mut().unwrap() &= 0xFE;
        assert_eq!(verify(&tbs, &algorithm, &signature, &rsa_spki(&even, &[1, 0, 1])), SignatureCheck::Invalid);
        // A negative modulus (no leading zero octet).
        let key = sequence(&[&tlv(tag::INTEGER, &modulus), &tlv(tag::INTEGER, &[1, 0, 1])]);
        let bits = [&[0u8][..], &key].concat();
        let negative = sequence(&[&sequence(&[&oid("1.2.840.113549.1.1.1")]), &tlv(tag::BIT_STRING, &bits)]);
        assert_eq!(verify(&tbs, &algorithm, &signature, &negative), SignatureCheck::Invalid);
    }

    /// DER `Ecdsa-Sig-Value` from magnitudes, with a chosen number of extra leading zeros.
    fn ecdsa_der(r: &[u8], s: &[u8], padding: usize) -> Vec<u8> {
        let integer = |magnitude: &[u8]| {
            let mut value = vec![0; padding + usize::from(magnitude[0] & 0x80 != 0)];
            value.extend_from_slice(magnitude);
            tlv(tag::INTEGER, &value)
        };
        sequence(&[&integer(r), &integer(s)])
    }

    #[test]
    fn ecdsa_signatures_must_be_der() {
        let (tbs, algorithm, signature) = parts(&der(fixture!("ecdsa-p256-sha256-leaf")));
        let issuer = spki(&der(fixture!("ecdsa-p256-sha256-ca")));
        let value = Tlv::parse_exact(&signature[1..]).unwrap().child_list().unwrap();
        let (r, s) = (value[0].unsigned_integer().unwrap(), value[1].unsigned_integer().unwrap());
        let with = |value: &[u8]| verify(&tbs, &algorithm, &[&[0u8][..], value].concat(), &issuer);
        assert_eq!(with(&ecdsa_der(r, s, 0)), SignatureCheck::Valid);
        assert_eq!(with(&ecdsa_der(r, s, 1)), SignatureCheck::Invalid, "a non-minimal INTEGER");
        let mut long_form = vec![tag::SEQUENCE, 0x81];
        long_form.push((signature.len() - 3) as u8);
        long_form.extend_from_slice(&signature[3..]);
        assert_eq!(with(&long_form), SignatureCheck::Invalid, "a long-form short length");
        let mut trailing = ecdsa_der(r, s, 0);
        trailing.push(0);
        assert_eq!(with(&trailing), SignatureCheck::Invalid, "trailing data");
        let mut negative_r = tlv(tag::INTEGER, r);
        if r[0] & 0x80 == 0 {
            negative_r = tlv(tag::INTEGER, &[&[0xFFu8][..], r].concat());
        }
        assert_eq!(with(&sequence(&[&negative_r, &tlv(tag::INTEGER, s)])), SignatureCheck::Invalid, "a negative r");
        assert_eq!(with(&ecdsa_der(&[0], s, 0)), SignatureCheck::Invalid, "r = 0");
        assert_eq!(with(&ecdsa_der(r, &[0xFF; 32], 0)), SignatureCheck::Invalid, "s >= n");
        assert_eq!(with(&ecdsa_der(r, &[1; 33], 0)), SignatureCheck::Invalid, "s wider than the field");

        // Both s and n - s verify (no low-s rule for X.509, as in OpenSSL).
        let parsed = p256::ecdsa::Signature::from_scalars(
            p256::FieldBytes::try_from(&[vec![0; 32 - r.len()], r.to_vec()].concat()[..]).unwrap(),
            p256::FieldBytes::try_from(&[vec![0; 32 - s.len()], s.to_vec()].concat()[..]).unwrap(),
        )
        .unwrap();
        let negated = p256::ecdsa::Signature::from_scalars(parsed.r().to_bytes(), (-*parsed.s()).to_bytes()).unwrap();
        let trimmed = |bytes: &[u8]| bytes.iter().skip_while(|&&b| b == 0).copied().collect::<Vec<u8>>();
        let (r2, s2) = negated.split_bytes();
        assert_eq!(with(&ecdsa_der(&trimmed(&r2), &trimmed(&s2), 0)), SignatureCheck::Valid);
    }

    #[test]
    fn malformed_input_is_invalid_and_never_panics() {
        let leaf = der(fixture!("ecdsa-p384-sha384-leaf"));
        let issuer = spki(&der(fixture!("ecdsa-p384-sha384-ca")));
        for end in 0..leaf.len() {
            assert_eq!(verify_certificate(&leaf[..end], &issuer), SignatureCheck::Invalid, "certificate cut at {end}");
        }
        for end in 0..issuer.len() {
            assert_eq!(verify_certificate(&leaf, &issuer[..end]), SignatureCheck::Invalid, "SPKI cut at {end}");
        }
        let (tbs, algorithm, signature) = parts(&leaf);
        assert_eq!(verify(&tbs, &algorithm, &signature, &issuer), SignatureCheck::Valid);
        let mut unused_bits = signature.clone();
        unused_bits[0] = 1;
        assert_eq!(verify(&tbs, &algorithm, &unused_bits, &issuer), SignatureCheck::Invalid);
        assert_eq!(verify(&tbs, &algorithm, &[], &issuer), SignatureCheck::Invalid);
        assert_eq!(verify(&tbs, &algorithm, &[0], &issuer), SignatureCheck::Invalid);
        assert_eq!(verify(&tbs, &[], &signature, &issuer), SignatureCheck::Invalid);
        assert_eq!(verify(&tbs, &[0x30, 0x00], &signature, &issuer), SignatureCheck::Invalid);
        assert_eq!(verify(&tbs, &algorithm[..algorithm.len() - 1], &signature, &issuer), SignatureCheck::Invalid);

        // Pseudo-random bytes in every position, for every supported algorithm: never Valid.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut noise = |length: usize| -> Vec<u8> {
            (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect()
        };
        for (ca, leaf) in PAIRS {
            let (leaf, issuer) = (der(leaf), spki(&der(ca)));
            let (tbs, algorithm, signature) = parts(&leaf);
            for length in [0, 1, 2, 31, 64, 65, 300] {
                let garbage = noise(length);
                for result in [
                    verify(&tbs, &algorithm, &garbage, &issuer),
                    verify(&tbs, &algorithm, &[&[0u8][..], &garbage].concat(), &issuer),
                    verify(&tbs, &algorithm, &signature, &garbage),
                    verify(&tbs, &garbage, &signature, &issuer),
                    verify_certificate(&garbage, &issuer),
                ] {
                    assert_ne!(result, SignatureCheck::Valid);
                }
            }
        }
    }
}

#[cfg(test)]
#[cfg(not(feature = "verify-signatures"))]
mod tests {
    use super::*;

    #[test]
    fn without_the_feature_every_signature_is_unsupported() {
        let pem = include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-ca.pem");
        let certificate = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap().1;
        assert_eq!(
            verify_certificate(&certificate, &[]),
            SignatureCheck::Unsupported { algorithm: "sha256WithRSAEncryption".to_owned() }
        );
        assert_eq!(verify(b"", &[], &[], &[]), SignatureCheck::Invalid);
    }
}
