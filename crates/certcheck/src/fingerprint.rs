//! Fingerprints over the original DER bytes, their vendor spellings, and a reader for any
//! spelling a person or a vendor produces.

use core::fmt;

use md5::Md5;
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// SHA-256 of a certificate's DER (Anthropic's `fingerprint`, Gateway's, OpenSSL's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sha256Fingerprint(pub [u8; 32]);

/// SHA-1 of a certificate's DER.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sha1Fingerprint(pub [u8; 20]);

/// MD5 of a certificate's DER (Cloudflare Access's `fingerprint`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Md5Fingerprint(pub [u8; 16]);

/// All three digests of one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprints {
    /// SHA-256.
    pub sha256: Sha256Fingerprint,
    /// SHA-1.
    pub sha1: Sha1Fingerprint,
    /// MD5.
    pub md5: Md5Fingerprint,
}

impl Fingerprints {
    /// Digests of exactly these bytes (never of a re-encoding).
    pub fn of(der: &[u8]) -> Self {
        Self {
            sha256: Sha256Fingerprint(Sha256::digest(der).into()),
            sha1: Sha1Fingerprint(Sha1::digest(der).into()),
            md5: Md5Fingerprint(Md5::digest(der).into()),
        }
    }

    /// The fingerprint of the given algorithm, as bytes.
    pub fn bytes(&self, algorithm: Algorithm) -> &[u8] {
        match algorithm {
            Algorithm::Sha256 => &self.sha256.0,
            Algorithm::Sha1 => &self.sha1.0,
            Algorithm::Md5 => &self.md5.0,
        }
    }
}

/// Lowercase hex without separators.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes, b"0123456789abcdef", None);
    out
}

/// Appends each byte as two digits of `digits`, with `separator` between bytes.
fn push_hex(out: &mut String, bytes: &[u8], digits: &[u8; 16], separator: Option<char>) {
    for (index, &byte) in bytes.iter().enumerate() {
        if let (Some(separator), true) = (separator, index > 0) {
            out.push(separator);
        }
        for nibble in [byte >> 4, byte & 0x0F] {
            out.push(char::from(digits.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
}

/// Uppercase hex, colon-separated, zero-padded (`E9:19:…:00:…`), as OpenSSL prints.
pub fn colon_hex(bytes: &[u8]) -> String {
    prefixed_colon_hex("", bytes)
}

/// `prefix` followed by [`colon_hex`] of `bytes`, in one allocation.
fn prefixed_colon_hex(prefix: &str, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(prefix.len() + bytes.len() * 3);
    out.push_str(prefix);
    push_hex(&mut out, bytes, b"0123456789ABCDEF", Some(':'));
    out
}

/// Uppercase, colon-separated, without zero padding (`…:AB:0:31:…`), as Cloudflare Gateway prints.
pub fn unpadded_colon_hex(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:X}")).collect();
    parts.join(":")
}

impl fmt::Display for Sha256Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

/// The `fingerprints` object of the report: lowercase hex of each digest, written from the
/// digests when asked for (and when serialized) rather than stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FingerprintHex(Fingerprints);

impl FingerprintHex {
    /// 64 lowercase hex digits.
    pub fn sha256(&self) -> String {
        hex(&self.0.sha256.0)
    }

    /// 40 lowercase hex digits.
    pub fn sha1(&self) -> String {
        hex(&self.0.sha1.0)
    }

    /// 32 lowercase hex digits.
    pub fn md5(&self) -> String {
        hex(&self.0.md5.0)
    }

    /// The digests themselves.
    pub fn digests(&self) -> &Fingerprints {
        &self.0
    }
}

impl Serialize for FingerprintHex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut object = serializer.serialize_struct("FingerprintHex", 3)?;
        object.serialize_field("sha256", &self.sha256())?;
        object.serialize_field("sha1", &self.sha1())?;
        object.serialize_field("md5", &self.md5())?;
        object.end()
    }
}

/// The `spellings` object of the report: the exact strings each vendor shows. It holds the two
/// digests they are written from and writes each spelling when asked (or serialized): a
/// report of 10 000 certificates does not keep 40 000 strings it may never show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spellings {
    sha256: [u8; 32],
    md5: [u8; 16],
}

impl Spellings {
    /// Anthropic: SHA-256, lowercase hex, no separators.
    pub fn anthropic(&self) -> String {
        hex(&self.sha256)
    }

    /// Cloudflare Access: `MD5 Fingerprint=1E:80:…`.
    pub fn cloudflare_access(&self) -> String {
        prefixed_colon_hex("MD5 Fingerprint=", &self.md5)
    }

    /// Cloudflare Gateway: SHA-256 uppercase, colon-separated (zero-padded; Cloudflare itself
    /// drops the padding).
    pub fn cloudflare_gateway(&self) -> String {
        colon_hex(&self.sha256)
    }

    /// `openssl x509 -fingerprint -sha256`: `sha256 Fingerprint=E9:19:…`.
    pub fn openssl_sha256(&self) -> String {
        prefixed_colon_hex("sha256 Fingerprint=", &self.sha256)
    }
}

impl Serialize for Spellings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut object = serializer.serialize_struct("Spellings", 4)?;
        object.serialize_field("anthropic", &self.anthropic())?;
        object.serialize_field("cloudflare_access", &self.cloudflare_access())?;
        object.serialize_field("cloudflare_gateway", &self.cloudflare_gateway())?;
        object.serialize_field("openssl_sha256", &self.openssl_sha256())?;
        object.end()
    }
}

impl Fingerprints {
    /// Lowercase hex of each digest.
    pub fn to_hex(&self) -> FingerprintHex {
        FingerprintHex(*self)
    }

    /// Every vendor's spelling.
    pub fn spellings(&self) -> Spellings {
        Spellings { sha256: self.sha256.0, md5: self.md5.0 }
    }
}

/// A digest algorithm a fingerprint may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// SHA-256 (32 bytes).
    Sha256,
    /// SHA-1 (20 bytes).
    Sha1,
    /// MD5 (16 bytes).
    Md5,
}

impl Algorithm {
    /// The name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA-256",
            Self::Sha1 => "SHA-1",
            Self::Md5 => "MD5",
        }
    }

    fn from_len(len: usize) -> Option<Self> {
        match len {
            32 => Some(Self::Sha256),
            20 => Some(Self::Sha1),
            16 => Some(Self::Md5),
            _ => None,
        }
    }
}

/// A fingerprint read from text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedFingerprint {
    /// The algorithm, named by a prefix or implied by the length.
    pub algorithm: Algorithm,
    /// The digest bytes.
    pub bytes: Vec<u8>,
}

/// Why a text is not a fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FingerprintParseError {
    /// Nothing but whitespace or a prefix.
    Empty,
    /// A character that is no hex digit or separator, with its 0-based character index.
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its index among the characters of the text.
        index: usize,
    },
    /// An odd number of hex digits without separators.
    OddLength,
    /// A length that is no SHA-256, SHA-1 or MD5 digest.
    UnknownLength {
        /// Bytes read.
        bytes: usize,
    },
    /// The prefix names one algorithm, the length is another's.
    AlgorithmMismatch {
        /// Named by the prefix.
        named: Algorithm,
        /// Bytes read.
        bytes: usize,
    },
}

impl fmt::Display for FingerprintParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no fingerprint digits found"),
            Self::InvalidCharacter { character, index } => {
                write!(f, "character {character:?} at position {} is not a hex digit or separator", index + 1)
            }
            Self::OddLength => f.write_str("an odd number of hex digits: a digit is missing or extra"),
            Self::UnknownLength { bytes } => {
                write!(f, "{bytes} bytes is not the length of a SHA-256 (32), SHA-1 (20) or MD5 (16) fingerprint")
            }
            Self::AlgorithmMismatch { named, bytes } => {
                write!(f, "the text says {} but holds {bytes} bytes", named.name())
            }
        }
    }
}

/// Reads any spelling: optional prefix (`MD5 Fingerprint=`, `sha256 Fingerprint=`, `SHA256:`,
/// `SHA-256 Fingerprint:` …), any case, `:`/space/`-` separators or none, and Cloudflare's
/// unpadded bytes such as `AB:0:31`.
///
/// # Errors
/// A [`FingerprintParseError`] saying what is wrong.
pub fn parse_fingerprint(text: &str) -> Result<ParsedFingerprint, FingerprintParseError> {
    let (algorithm, digest) = parse_digest(text)?;
    Ok(ParsedFingerprint { algorithm, bytes: digest.as_slice().to_vec() })
}

/// Up to 32 digest bytes held inline (no allocation for a fingerprint comment in a bundle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DigestBytes {
    bytes: [u8; 32],
    length: usize,
}

impl DigestBytes {
    pub(crate) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.length).unwrap_or_default()
    }
}

/// [`parse_fingerprint`] with the bytes inline.
pub(crate) fn parse_digest(text: &str) -> Result<(Algorithm, DigestBytes), FingerprintParseError> {
    let trimmed = text.trim();
    let (named, digits) = split_prefix(trimmed);
    let digits = digits.trim();
    if digits.is_empty() {
        return Err(FingerprintParseError::Empty);
    }
    let digest = match read_simple(digits.as_bytes()) {
        Some(digest) => digest,
        None => {
            let bytes = read_groups(trimmed, digits)?;
            let mut digest = DigestBytes { bytes: [0; 32], length: bytes.len() };
            match digest.bytes.get_mut(..bytes.len()) {
                Some(slots) => slots.copy_from_slice(&bytes),
                None => return Err(FingerprintParseError::UnknownLength { bytes: bytes.len() }),
            }
            digest
        }
    };
    let length = digest.length;
    let by_length = Algorithm::from_len(length).ok_or(FingerprintParseError::UnknownLength { bytes: length })?;
    if let Some(named) = named
        && named != by_length
    {
        return Err(FingerprintParseError::AlgorithmMismatch { named, bytes: length });
    }
    Ok((by_length, digest))
}

/// The spellings every vendor prints (groups of two digits, or one run of pairs) read in one
/// pass; `None` leaves anything else — single-digit groups, odd runs, stray characters, more
/// than 32 bytes — to [`read_groups`], which also names the error.
fn read_simple(digits: &[u8]) -> Option<DigestBytes> {
    if digits.len() % 3 == 2 {
        return read_separated_pairs(digits).or_else(|| read_runs(digits));
    }
    read_runs(digits)
}

/// `7c:62:ff:…`: pairs each followed by one separator, as every vendor and OpenSSL print them,
/// read without a branch per character.
fn read_separated_pairs(digits: &[u8]) -> Option<DigestBytes> {
    let (chunks, &[last_high, last_low]) = digits.as_chunks::<3>() else { return None };
    let mut digest = DigestBytes { bytes: [0; 32], length: chunks.len() + 1 };
    let (slots, last) = digest.bytes.split_at_mut_checked(chunks.len())?;
    let mut invalid = 0;
    for (&[high, low, separator], slot) in chunks.iter().zip(slots.iter_mut()) {
        let (high, low) = (hex_value(high), hex_value(low));
        invalid |= high | low | u8::from(!is_separator(separator)) << 7;
        *slot = high << 4 | low;
    }
    let (high, low) = (hex_value(last_high), hex_value(last_low));
    invalid |= high | low;
    *last.first_mut()? = high << 4 | low;
    (invalid & 0xF0 == 0).then_some(digest)
}

/// A hex digit's value, or 0xFF: a table, because whether a digit is a number or a letter is
/// random in a digest and a branch on it mispredicts half the time.
fn hex_value(byte: u8) -> u8 {
    HEX_VALUES.get(usize::from(byte)).copied().unwrap_or(0xFF)
}

// Evaluated at compile time: an index out of range would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const HEX_VALUES: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            digit @ b'0'..=b'9' => digit - b'0',
            letter @ b'a'..=b'f' => letter - b'a' + 10,
            letter @ b'A'..=b'F' => letter - b'A' + 10,
            _ => 0xFF,
        };
        byte += 1;
    }
    table
};

/// [`read_simple`] for any grouping of pairs.
fn read_runs(digits: &[u8]) -> Option<DigestBytes> {
    let mut out = [0u8; 32];
    let mut length = 0;
    let mut high = None;
    let mut in_group = false;
    for &byte in digits {
        if is_separator(byte) {
            if in_group && high.is_some() {
                return None;
            }
            in_group = false;
            continue;
        }
        if !byte.is_ascii_hexdigit() {
            return None;
        }
        in_group = true;
        match high.take() {
            None => high = Some(nibble(byte)),
            Some(high) => {
                *out.get_mut(length)? = high << 4 | nibble(byte);
                length += 1;
            }
        }
    }
    if high.is_some() {
        return None;
    }
    Some(DigestBytes { bytes: out, length })
}

/// The general reading of the digits after the algorithm's name (`trimmed` is the whole text,
/// for error positions).
fn read_groups(trimmed: &str, digits: &str) -> Result<Vec<u8>, FingerprintParseError> {
    if let Some(bad) = digits.bytes().position(|b| !(b.is_ascii_hexdigit() || is_separator(b))) {
        // `digits` is a suffix of `trimmed`: the index counts characters from the trimmed start.
        let before = trimmed.len() - digits.len();
        let index = trimmed.get(..before + bad).map_or(0, |head| head.chars().count());
        let character = digits.get(bad..).and_then(|rest| rest.chars().next()).unwrap_or('\u{FFFD}');
        return Err(FingerprintParseError::InvalidCharacter { character, index });
    }
    // Every character is now a hex digit or a separator. Several groups: each of one or two
    // digits is a byte (Cloudflare drops leading zeros: `AB:0:31`), a longer one is read as
    // pairs (space-separated words such as `e919 49aa …`); one group: pairs.
    let mut groups = digits.as_bytes().split(|&b| is_separator(b)).filter(|g| !g.is_empty());
    let mut bytes = Vec::with_capacity(32);
    let first = groups.next().unwrap_or_default();
    match groups.next() {
        None => pairs_into(first, &mut bytes)?,
        Some(second) => {
            for group in [first, second].into_iter().chain(groups) {
                match *group {
                    [low] => bytes.push(nibble(low)),
                    [high, low] => bytes.push(nibble(high) << 4 | nibble(low)),
                    _ => pairs_into(group, &mut bytes)?,
                }
            }
        }
    }
    Ok(bytes)
}

fn is_separator(byte: u8) -> bool {
    matches!(byte, b':' | b' ' | b'-' | b'\t')
}

/// The value of a hex digit (the caller has checked that it is one).
fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// Appends the bytes of a run of hex digits read two by two.
fn pairs_into(digits: &[u8], bytes: &mut Vec<u8>) -> Result<(), FingerprintParseError> {
    if !digits.len().is_multiple_of(2) {
        return Err(FingerprintParseError::OddLength);
    }
    bytes.extend(digits.chunks_exact(2).map(|pair| match pair {
        &[high, low] => nibble(high) << 4 | nibble(low),
        _ => 0,
    }));
    Ok(())
}

/// `text` without `prefix` (ASCII), compared ignoring ASCII case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix.as_bytes()) { text.get(prefix.len()..) } else { None }
}

fn split_prefix(text: &str) -> (Option<Algorithm>, &str) {
    let names: [(&str, Algorithm); 7] = [
        ("sha-256", Algorithm::Sha256),
        ("sha256", Algorithm::Sha256),
        ("sha-1", Algorithm::Sha1),
        ("sha1", Algorithm::Sha1),
        ("md5", Algorithm::Md5),
        ("md-5", Algorithm::Md5),
        ("sha 256", Algorithm::Sha256),
    ];
    let rest_of_label = |rest: &str| -> usize {
        let rest = rest.trim_start();
        let rest = strip_prefix_ignore_case(rest, "fingerprint").unwrap_or(rest).trim_start();
        rest.strip_prefix(['=', ':']).unwrap_or(rest).len()
    };
    for (name, algorithm) in names {
        if let Some(rest) = strip_prefix_ignore_case(text, name) {
            let cut = text.len() - rest_of_label(rest);
            return (Some(algorithm), text.get(cut..).unwrap_or(""));
        }
    }
    match strip_prefix_ignore_case(text, "fingerprint") {
        Some(rest) => {
            let rest = rest.trim_start().trim_start_matches(['=', ':']);
            (None, text.get(text.len() - rest.len()..).unwrap_or(""))
        }
        None => (None, text),
    }
}

/// Whether two texts spell the same fingerprint (same algorithm and bytes).
///
/// # Errors
/// The parse error of whichever text is not a fingerprint.
pub fn fingerprints_equal(a: &str, b: &str) -> Result<bool, FingerprintParseError> {
    Ok(parse_fingerprint(a)? == parse_fingerprint(b)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_readings_agree_with_the_general_one_or_defer() {
        // (digits, what the one-pass readers must say: Some(bytes) or None = general path)
        let cases: [(&str, Option<&[u8]>); 12] = [
            ("ab:cd:ef", Some(&[0xAB, 0xCD, 0xEF])),
            ("AB-cd ef\t01", Some(&[0xAB, 0xCD, 0xEF, 0x01])),
            ("abcdef", Some(&[0xAB, 0xCD, 0xEF])),
            ("abcd ef01", Some(&[0xAB, 0xCD, 0xEF, 0x01])),
            ("ab::cd", Some(&[0xAB, 0xCD])),
            (":ab:cd:", Some(&[0xAB, 0xCD])),
            ("AB:0:31", None),
            ("abc:de", None),
            ("ab:cg", None),
            ("ab;cd", None),
            ("ab:c", None),
            ("a", None),
        ];
        for (digits, expected) in cases {
            let fast = read_simple(digits.as_bytes());
            assert_eq!(fast.as_ref().map(DigestBytes::as_slice), expected, "{digits:?}");
            if let Some(digest) = fast {
                assert_eq!(read_groups(digits, digits).ok().as_deref(), Some(digest.as_slice()), "{digits:?}");
            }
        }
        let long = "ab:".repeat(33);
        assert_eq!(read_simple(long.trim_end_matches(':').as_bytes()), None, "more than 32 bytes");
    }

    const GATEWAY: &str =
        "E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:0:31:91:8B:61:B4:BF:1C";

    #[test]
    fn reads_every_spelling_of_one_digest() {
        let expected = parse_fingerprint("e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c").unwrap();
        assert_eq!(expected.algorithm, Algorithm::Sha256);
        for text in [
            GATEWAY,
            "sha256 Fingerprint=E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:00:31:91:8B:61:B4:BF:1C",
            "SHA256:e9 19 49 aa dd d8 1e c1 20 2a d8 22 bf a5 f8 fc 1a f7 10 9f c7 5b 69 ab 00 31 91 8b 61 b4 bf 1c",
            "  E91949AADDD81EC1202AD822BFA5F8FC1AF7109FC75B69AB0031918B61B4BF1C\n",
        ] {
            assert_eq!(parse_fingerprint(text).as_ref(), Ok(&expected), "{text}");
        }
    }

    #[test]
    fn md5_with_access_prefix() {
        let parsed = parse_fingerprint("MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91").unwrap();
        assert_eq!(parsed.algorithm, Algorithm::Md5);
        assert_eq!(parsed.bytes[0], 0x1E);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(parse_fingerprint("MD5 Fingerprint="), Err(FingerprintParseError::Empty));
        assert_eq!(
            parse_fingerprint("abcg"),
            Err(FingerprintParseError::InvalidCharacter { character: 'g', index: 3 })
        );
        assert_eq!(parse_fingerprint("abc"), Err(FingerprintParseError::OddLength));
        assert_eq!(parse_fingerprint("abcd"), Err(FingerprintParseError::UnknownLength { bytes: 2 }));
        assert_eq!(
            parse_fingerprint("md5:e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c"),
            Err(FingerprintParseError::AlgorithmMismatch { named: Algorithm::Md5, bytes: 32 })
        );
        // Character positions count characters (not bytes) from the trimmed text's start.
        assert_eq!(
            parse_fingerprint("  SHA256 Fingerprint: é9:19"),
            Err(FingerprintParseError::InvalidCharacter { character: 'é', index: 20 })
        );
        assert_eq!(parse_fingerprint("e9 194"), Err(FingerprintParseError::OddLength));
    }

    #[test]
    fn prefixes_ignore_case_and_groups_mix_widths() {
        let parsed =
            parse_fingerprint("Sha-1 FINGERPRINT = 0:1:02:0304 05:06:07:08:09:0a:0B:0c:0d:0e:0f:10:11:12:13").unwrap();
        assert_eq!(parsed.algorithm, Algorithm::Sha1);
        assert_eq!(parsed.bytes, (0..=0x13).collect::<Vec<u8>>());
        let unnamed = parse_fingerprint("fingerprint=:1E800F7AFD315596DED5CBE2F091F691").unwrap();
        assert_eq!((unnamed.algorithm, unnamed.bytes.first()), (Algorithm::Md5, Some(&0x1E)));
    }

    #[test]
    fn spellings() {
        let fingerprints = Fingerprints::of(b"");
        let spellings = fingerprints.spellings();
        assert_eq!(spellings.anthropic(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(spellings.cloudflare_access(), "MD5 Fingerprint=D4:1D:8C:D9:8F:00:B2:04:E9:80:09:98:EC:F8:42:7E");
        assert_eq!(unpadded_colon_hex(&[0xAB, 0x00, 0x31]), "AB:0:31");
        assert!(fingerprints_equal(&spellings.openssl_sha256(), &spellings.anthropic()).unwrap());
    }
}
