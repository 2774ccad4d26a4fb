//! The one error type of the package: every refusal becomes a JS `Error` named
//! `CertcheckError` with a stable `code` (the wrapper re-raises it as the exported class).

use certcheck::FingerprintParseError;
use wasm_bindgen::JsValue;

/// A bad argument (or, never expected, an internal failure), as data until it crosses to JS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArgumentError {
    /// `invalid_input`, `invalid_options`, `invalid_fingerprint`, `invalid_response` or `internal`.
    pub(crate) code: &'static str,
    /// One sentence naming the argument and what was expected.
    pub(crate) message: String,
}

impl ArgumentError {
    pub(crate) fn input(message: String) -> Self {
        Self { code: "invalid_input", message }
    }

    pub(crate) fn options(message: String) -> Self {
        Self { code: "invalid_options", message }
    }

    pub(crate) fn fingerprint(error: FingerprintParseError) -> Self {
        Self { code: "invalid_fingerprint", message: format!("not a fingerprint: {error}") }
    }

    #[cfg(feature = "responses")]
    pub(crate) fn response(message: String) -> Self {
        Self { code: "invalid_response", message }
    }

    /// certcheck refused to make an artifact: its code (`new.*` or the rule's) and sentence, with
    /// the diagnostics of a check that refused, one per line.
    #[cfg(feature = "generate")]
    pub(crate) fn generate(error: &certcheck_generate::Error) -> Self {
        Self { code: error.code, message: error.to_string() }
    }

    pub(crate) fn oversized(size: usize) -> Self {
        Self::input(format!(
            "the input is {size} bytes, over certcheck's limit of {} bytes: nothing to fix",
            certcheck::GLOBAL_SIZE_LIMIT
        ))
    }

    pub(crate) fn internal(what: &str) -> Self {
        Self { code: "internal", message: format!("certcheck internal error ({what}); please report it") }
    }
}

impl From<ArgumentError> for JsValue {
    fn from(error: ArgumentError) -> Self {
        let js_error = js_sys::Error::new(&error.message);
        js_error.set_name("CertcheckError");
        // Setting a property on a fresh Error object cannot fail; if it did, the message stays.
        let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.code.into());
        js_error.into()
    }
}
