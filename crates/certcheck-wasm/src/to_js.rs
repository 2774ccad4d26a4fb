//! Core values → plain JS objects. Field names are the report contract's snake_case, exactly as
//! the CLI's `--json` prints them; `None` is `null`.

use certcheck::{CertificateInfo, FingerprintHex, ParsedFingerprint, Report, Spellings};
use js_sys::Object;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::ArgumentError;

/// The report exactly as the CLI's `--json` prints it, through `JSON.parse`: the same serializer
/// (serde_json) gives the same values by construction, numbers beyond 2^53 round the way
/// `JSON.parse` rounds them, and one parse is several times faster than building the objects
/// field by field across the boundary. The normalized PEM (most of a report's bytes) crosses as
/// a string of its own, put in its place after the parse: escaping its line feeds for JSON and
/// unescaping them in `JSON.parse` cost more than the rest of the report.
pub(crate) fn report(mut report: Report) -> Result<JsValue, ArgumentError> {
    let pem = report.normalized_pem.take();
    let value = to_value(&report)?;
    if let Some(pem) = pem {
        set(&value, "normalized_pem", &JsValue::from_str(&pem))?;
    }
    Ok(value)
}

/// One entry of `fingerprints()`.
pub(crate) fn certificate_fingerprints(certificate: &CertificateInfo) -> Result<JsValue, ArgumentError> {
    #[derive(Serialize)]
    struct Entry<'a> {
        index: usize,
        block: usize,
        subject: &'a str,
        fingerprints: &'a FingerprintHex,
        spellings: &'a Spellings,
    }
    to_value(&Entry {
        index: certificate.index,
        block: certificate.block,
        subject: &certificate.subject,
        fingerprints: &certificate.fingerprints,
        spellings: &certificate.spellings,
    })
}

/// `{ algorithm: "sha256" | "sha1" | "md5", hex }`.
pub(crate) fn parsed_fingerprint(parsed: &ParsedFingerprint) -> Result<JsValue, ArgumentError> {
    let object = Object::new();
    set(&object, "algorithm", &to_value(&parsed.algorithm)?)?;
    set(&object, "hex", &certcheck::hex(&parsed.bytes).into())?;
    Ok(object.into())
}

/// `target[key] = value`.
pub(crate) fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), ArgumentError> {
    js_sys::Reflect::set(target, &key.into(), value).map(|_| ()).map_err(|_| internal())
}

/// Any serializable value through JSON, like [`report`].
pub(crate) fn value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ArgumentError> {
    to_value(value)
}

/// The measured alternative (feature `serde-wasm-bindgen`, built only by `cargo xtask bench`):
/// objects built field by field across the boundary, maps as plain objects, `None` as `null`.
#[cfg(feature = "serde-wasm-bindgen")]
fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ArgumentError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| internal())
}

#[cfg(not(feature = "serde-wasm-bindgen"))]
fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ArgumentError> {
    let mut json = Vec::with_capacity(4096);
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut json, AsciiOnly)).map_err(|_| internal())?;
    let text = String::from_utf8(json).map_err(|_| internal())?;
    js_sys::JSON::parse(&text).map_err(|_| internal())
}

/// serde_json's compact output with every character beyond ASCII written as a `\u` escape (a
/// surrogate pair beyond the BMP). `JSON.parse` gives the same values, and the text crosses into
/// JavaScript as one-byte characters: decoding a report with one non-ASCII name in it took Node
/// 20's TextDecoder 4× as long (0.9 ms instead of 0.23 for Mozilla's bundle), and JSON.parse
/// works on a one-byte string.
#[cfg_attr(feature = "serde-wasm-bindgen", allow(dead_code))]
struct AsciiOnly;

impl serde_json::ser::Formatter for AsciiOnly {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if fragment.is_ascii() {
            return writer.write_all(fragment.as_bytes());
        }
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
                continue;
            }
            for &unit in c.encode_utf16(&mut units).iter() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let digit = |shift: u16| HEX.get(usize::from((unit >> shift) & 0xF)).copied().unwrap_or(b'0');
                writer.write_all(&[b'\\', b'u', digit(12), digit(8), digit(4), digit(0)])?;
            }
        }
        Ok(())
    }
}

fn internal() -> ArgumentError {
    ArgumentError::internal("converting a result to JavaScript")
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::AsciiOnly;

    #[test]
    fn ascii_only_json_reads_back_as_the_same_text() {
        let text = "NetLock Arany (Class Gold) Főtanúsítvány, \"quoted\"\n😀";
        let mut json = Vec::new();
        text.serialize(&mut serde_json::Serializer::with_formatter(&mut json, AsciiOnly)).unwrap();
        assert_eq!(
            String::from_utf8(json.clone()).unwrap(),
            r#""NetLock Arany (Class Gold) F\u0151tan\u00fas\u00edtv\u00e1ny, \"quoted\"\n\ud83d\ude00""#
        );
        assert_eq!(serde_json::from_slice::<String>(&json).unwrap(), text);
    }
}
