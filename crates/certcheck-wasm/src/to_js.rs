//! Core values → plain JS objects with serde-wasm-bindgen. Field names are the report
//! contract's snake_case, exactly as the CLI's `--json` prints them; `None` is `null`.

use certcheck::{CertificateInfo, FingerprintHex, ParsedFingerprint, Report, Spellings};
use js_sys::Object;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::ArgumentError;

/// Keys of `rules()[i].severities`, in the order of `Rule::severities`.
pub(crate) const PROFILE_NAMES: [&str; 6] = [
    "inspect",
    "anthropic-tunnel",
    "cloudflare-access",
    "cloudflare-mtls-ca",
    "cloudflare-mtls-leaf",
    "cloudflare-gateway",
];

/// Largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The report as the CLI's `--json` would parse with `JSON.parse`.
pub(crate) fn report(report: &Report) -> Result<JsValue, ArgumentError> {
    // serde-wasm-bindgen refuses a u64 beyond 2^53; JSON.parse would round it. A hostile
    // pathLenConstraint is the only such field: round it the same way after conversion.
    let huge: Vec<(usize, u64)> = report
        .certificates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.path_len.filter(|&p| p > MAX_SAFE_INTEGER).map(|p| (i, p)))
        .collect();
    let value = if huge.is_empty() {
        to_value(report)?
    } else {
        let mut tamed = report.clone();
        for (index, _) in &huge {
            if let Some(certificate) = tamed.certificates.get_mut(*index) {
                certificate.path_len = Some(0);
            }
        }
        let value = to_value(&tamed)?;
        let certificates = js_sys::Reflect::get(&value, &"certificates".into()).map_err(|_| internal())?;
        for (index, path_len) in huge {
            let certificate = js_sys::Reflect::get_u32(&certificates, index as u32).map_err(|_| internal())?;
            set(&certificate, "path_len", &JsValue::from_f64(path_len as f64))?;
        }
        value
    };
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

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ArgumentError> {
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true).serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(|_| internal())
}

fn internal() -> ArgumentError {
    ArgumentError::internal("converting a result to JavaScript")
}
