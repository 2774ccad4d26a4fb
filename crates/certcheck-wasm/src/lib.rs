#![doc = include_str!("../README.md")]
// wasm-bindgen's generated glue contains `unsafe` blocks, and `forbid` cannot be lifted for
// macro output: this crate denies unsafe code of its own instead (it has none).
#![deny(unsafe_code)]

mod arguments;
mod error;
mod panic_hook;
mod to_js;

use certcheck::{ALL_FIXES, Destination, RULES};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::arguments::{Input, Settings};
use crate::error::ArgumentError;

/// Installs the panic hook when the module starts, so that a panic (a bug: the core has no
/// panicking paths on purpose) reaches JavaScript with its message.
#[wasm_bindgen(start)]
pub fn start() {
    panic_hook::install();
}

/// `check(input, { to, ca?, now? })`: the full report for a destination.
///
/// # Errors
/// A `CertcheckError` for an input that is neither a string nor bytes, or for bad options.
#[wasm_bindgen]
pub fn check(input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let settings = Settings::read(&options, true)?;
    Ok(to_js::report(run(&input, &settings)?)?)
}

/// `inspect(input, { now? })`: the report without destination rules.
///
/// # Errors
/// As [`check`].
#[wasm_bindgen]
pub fn inspect(input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let settings = Settings::read_inspect(&options)?;
    Ok(to_js::report(run(&input, &settings)?)?)
}

/// `fingerprints(input)`: every certificate's digests and vendor spellings, in input order.
///
/// # Errors
/// As [`check`].
#[wasm_bindgen]
pub fn fingerprints(input: JsValue) -> Result<JsValue, JsValue> {
    let report = run(&input, &Settings::read_inspect(&JsValue::UNDEFINED)?)?;
    let list = Array::new();
    for certificate in &report.certificates {
        list.push(&to_js::certificate_fingerprints(certificate)?);
    }
    Ok(list.into())
}

/// `parseFingerprint(text)`: `{ algorithm, hex }` for any spelling of a fingerprint.
///
/// # Errors
/// A `CertcheckError` with code `invalid_fingerprint` saying what is wrong with the text.
#[wasm_bindgen(js_name = parseFingerprint)]
pub fn parse_fingerprint(text: JsValue) -> Result<JsValue, JsValue> {
    let text = arguments::string(&text, "parseFingerprint(text)")?;
    let parsed = certcheck::parse_fingerprint(&text).map_err(ArgumentError::fingerprint)?;
    Ok(to_js::parsed_fingerprint(&parsed)?)
}

/// `fingerprintsEqual(a, b)`: whether two spellings name the same digest.
///
/// # Errors
/// A `CertcheckError` with code `invalid_fingerprint` when either text is no fingerprint.
#[wasm_bindgen(js_name = fingerprintsEqual)]
pub fn fingerprints_equal(a: JsValue, b: JsValue) -> Result<bool, JsValue> {
    let a = arguments::string(&a, "fingerprintsEqual(a, b): a")?;
    let b = arguments::string(&b, "fingerprintsEqual(a, b): b")?;
    Ok(certcheck::fingerprints_equal(&a, &b).map_err(ArgumentError::fingerprint)?)
}

/// `applyFixes(input, fixes?, options?)`: the input with the named fixes applied (every fix the
/// report offers when `fixes` is omitted); a string when the result is text, else the bytes.
///
/// # Errors
/// A `CertcheckError` for a bad input, an unknown fix name or bad options.
#[wasm_bindgen(js_name = applyFixes)]
pub fn apply_fixes(input: JsValue, fixes: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let settings = Settings::read(&options, false)?;
    let bytes = match Input::read(&input)? {
        Input::Bytes(bytes) => bytes,
        Input::Oversized(size) => return Err(ArgumentError::oversized(size).into()),
    };
    let fixes = match arguments::fix_list(&fixes)? {
        Some(fixes) => fixes,
        None => certcheck::check(&bytes, &settings.options).offered_fixes(),
    };
    let fixed = certcheck::apply_fixes(&bytes, &fixes, &settings.options);
    Ok(match String::from_utf8(fixed) {
        Ok(text) => JsValue::from_str(&text),
        Err(binary) => Uint8Array::from(binary.as_bytes()).into(),
    })
}

/// `verifyResponse(response, { to, ca?, now?, pem? })`: the vendor's answer (JSON text or bytes,
/// bare or in Cloudflare's envelope) compared with `pem` or with the PEM it carries.
///
/// # Errors
/// A `CertcheckError` with code `invalid_response` when the answer is not a certificate of that
/// destination (a vendor error, not JSON, another shape, no PEM to compare with), or the usual
/// argument errors.
#[cfg(feature = "responses")]
#[wasm_bindgen(js_name = verifyResponse)]
pub fn verify_response(response: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (settings, pem) = Settings::read_verify(&options)?;
    let destination =
        settings.options.destination.ok_or_else(|| ArgumentError::internal("verifyResponse without a destination"))?;
    let response = match Input::read(&response)? {
        Input::Bytes(bytes) => bytes,
        Input::Oversized(size) => return Err(ArgumentError::oversized(size).into()),
    };
    let pem = match pem.as_ref().map(Input::read).transpose()? {
        Some(Input::Bytes(bytes)) => Some(bytes),
        Some(Input::Oversized(size)) => return Err(ArgumentError::oversized(size).into()),
        None => None,
    };
    let report = certcheck_api::verify_response(destination, &response, pem.as_deref(), settings.options.now)
        .map_err(|error| ArgumentError::response(error.to_string()))?;
    Ok(to_js::report(report)?)
}

/// `verify(certificate, { to, ca, key?, tunnelDomain?, hosts?, now? })`: the certificate a
/// server or client presents (with its intermediates) against the CAs that are or will be
/// uploaded: the path, every signature on it, and the destination's rules on names, purposes
/// and key identifiers.
///
/// # Errors
/// A `CertcheckError` for inputs that are neither strings nor bytes, or bad options (a
/// destination no certificate is presented to, a host that is not a string …).
#[cfg(feature = "verify-signatures")]
#[wasm_bindgen]
pub fn verify(certificate: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let peer = arguments::PeerSettings::read(&options)?;
    let bytes = |value: &JsValue| -> Result<Vec<u8>, ArgumentError> {
        match Input::read(value)? {
            Input::Bytes(bytes) => Ok(bytes),
            Input::Oversized(size) => Err(ArgumentError::oversized(size)),
        }
    };
    let certificate = bytes(&certificate)?;
    let ca = bytes(&peer.ca)?;
    let key = peer.key.as_ref().map(bytes).transpose()?;
    let report = certcheck::verify_peer(&certificate, &ca, key.as_deref(), &peer.options)
        .map_err(|refusal| ArgumentError::options(format!("options.to: {refusal}")))?;
    Ok(to_js::value(&report)?)
}

/// `createCa({ to, name?, days?, keyType?, now?, passphrase? })`: a CA for the destination, made
/// and checked by certcheck-generate (no error, no warning, or it is refused). Its key is in
/// `privateKey` (PKCS#8 PEM, encrypted with `passphrase` when given); nothing leaves the page.
///
/// # Errors
/// A `CertcheckError` with certcheck-generate's code (`cert.key_algorithm`, `new.refused`, …) or
/// `invalid_options`.
#[cfg(feature = "generate")]
#[wasm_bindgen(js_name = createCa)]
pub fn create_ca(options: JsValue) -> Result<JsValue, JsValue> {
    let settings = arguments::CreateSettings::read_ca(&options)?;
    let ca_options = certcheck_generate::CaOptions {
        destination: settings.leaf.destination,
        name: settings.name.clone(),
        days: settings.leaf.days,
        key_type: settings.leaf.key_type,
        now: settings.leaf.now,
    };
    let mut rng = certcheck_generate::system_random();
    let made = certcheck_generate::new_ca(&ca_options, &mut rng).map_err(|e| ArgumentError::generate(&e))?;
    Ok(created("ca", settings.leaf.destination, &made, settings.passphrase.as_deref(), &mut rng)?)
}

/// `createCertificate({ to, kind?, ca, caKey, caKeyPassphrase?, tunnelDomain?, name?, hosts?,
/// emails?, uris?, days?, keyType?, csr?, now?, passphrase? })`: a server (anthropic-tunnel) or
/// client (Cloudflare) certificate signed by the CA given, checked and verified against it.
///
/// # Errors
/// As [`create_ca`], plus `new.ca_key`, `key.encrypted`, `new.passphrase`, `key.mismatch`,
/// `new.request`.
#[cfg(feature = "generate")]
#[wasm_bindgen(js_name = createCertificate)]
pub fn create_certificate(options: JsValue) -> Result<JsValue, JsValue> {
    let mut settings = arguments::CreateSettings::read_leaf(&options)?;
    let bytes = |value: &JsValue| -> Result<Vec<u8>, ArgumentError> {
        match Input::read(value)? {
            Input::Bytes(bytes) => Ok(bytes),
            Input::Oversized(size) => Err(ArgumentError::oversized(size)),
        }
    };
    let Some((ca, ca_key, ca_passphrase)) = settings.ca.take() else {
        return Err(ArgumentError::internal("createCertificate without its CA").into());
    };
    let issuer =
        certcheck_generate::Issuer::read(&bytes(&ca)?, &bytes(&ca_key)?, ca_passphrase.as_deref().map(str::as_bytes))
            .map_err(|e| ArgumentError::generate(&e))?;
    settings.leaf.request = settings.csr.as_ref().map(bytes).transpose()?;
    let mut rng = certcheck_generate::system_random();
    let made =
        certcheck_generate::new_leaf(&settings.leaf, &issuer, &mut rng).map_err(|e| ArgumentError::generate(&e))?;
    Ok(created(settings.leaf.kind.name(), settings.leaf.destination, &made, settings.passphrase.as_deref(), &mut rng)?)
}

/// `{ kind, destination, certificate, privateKey, privateKeyEncrypted, fingerprint, check, verify }`.
#[cfg(feature = "generate")]
fn created(
    kind: &str,
    destination: Destination,
    made: &certcheck_generate::Made,
    passphrase: Option<&str>,
    rng: &mut certcheck_generate::SystemRandom,
) -> Result<JsValue, ArgumentError> {
    let private_key = match &made.key {
        Some(key) => {
            let der = key.pkcs8_der().map_err(|e| ArgumentError::generate(&e))?;
            let pem = certcheck_generate::private_key_pem(&der, passphrase.map(str::as_bytes), rng)
                .map_err(|e| ArgumentError::generate(&e))?;
            Some(pem.to_string())
        }
        None => None,
    };
    let fingerprint = made.check.certificates.first().map(|c| certcheck_api::spelling(destination, c));
    let object = js_sys::Object::new();
    to_js::set(&object, "kind", &kind.into())?;
    to_js::set(&object, "destination", &destination.name().into())?;
    to_js::set(&object, "certificate", &made.certificate_pem.as_str().into())?;
    to_js::set(&object, "privateKeyEncrypted", &(private_key.is_some() && passphrase.is_some()).into())?;
    to_js::set(&object, "privateKey", &private_key.map_or(JsValue::NULL, JsValue::from))?;
    to_js::set(&object, "fingerprint", &fingerprint.map_or(JsValue::NULL, JsValue::from))?;
    to_js::set(&object, "check", &to_js::report(made.check.clone())?)?;
    to_js::set(&object, "verify", &made.verify.as_ref().map_or(Ok(JsValue::NULL), to_js::value)?)?;
    Ok(object.into())
}

/// `rules()`: the rule table (code, severity per profile, description, citation), as the core
/// serializes it.
///
/// # Errors
/// Never in practice; a conversion failure becomes a `CertcheckError`.
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsValue> {
    Ok(to_js::value(RULES)?)
}

/// `destinations()`: every destination (Cloudflare mTLS as a CA and as a leaf) with its name,
/// `ca` flag, rule profile, label, requirements and size limit, as the core describes them.
///
/// # Errors
/// Never in practice; a conversion failure becomes a `CertcheckError`.
#[wasm_bindgen]
pub fn destinations() -> Result<JsValue, JsValue> {
    Ok(to_js::value(&Destination::ALL.map(Destination::entry))?)
}

/// `fixNames()`: every named fix, in the order they are applied.
#[wasm_bindgen(js_name = fixNames)]
pub fn fix_names() -> Vec<String> {
    ALL_FIXES.iter().map(|fix| fix.name().to_owned()).collect()
}

/// `version()`: the package version (the Cargo version of the workspace).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// `takePanicMessage()`: the message of the last panic, once (used by the package's wrapper to
/// turn a trap into an `Error` with that message).
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    panic_hook::take_message()
}

fn run(input: &JsValue, settings: &Settings) -> Result<certcheck::Report, ArgumentError> {
    Ok(match Input::read(input)? {
        Input::Bytes(bytes) => certcheck::check(&bytes, &settings.options),
        Input::Oversized(size) => certcheck::check_oversized(size, &settings.options)
            .ok_or_else(|| ArgumentError::internal("oversized input within the limit"))?,
    })
}
