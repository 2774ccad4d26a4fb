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
/// field by field across the boundary.
pub(crate) fn report(report: &Report) -> Result<JsValue, ArgumentError> {
    to_value(report)
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

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ArgumentError> {
    let text = serde_json::to_string(value).map_err(|_| internal())?;
    js_sys::JSON::parse(&text).map_err(|_| internal())
}

fn internal() -> ArgumentError {
    ArgumentError::internal("converting a result to JavaScript")
}
