//! Reading JavaScript arguments into the core's types: the input (string or bytes), the options
//! object (`to`, `ca`, `now`), fix lists. Every refusal names the argument and what it expected.

#[cfg(feature = "verify-signatures")]
use certcheck::PeerOptions;
use certcheck::{DESTINATION_NAMES, Destination, Fix, GLOBAL_SIZE_LIMIT, Options, UnixTime};
use js_sys::{Array, ArrayBuffer, Date, JsString, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::ArgumentError;

/// An input as the core takes it, or only its size when it is over the global cap (so that a
/// huge string or array is never copied into wasm memory).
pub(crate) enum Input {
    Bytes(Vec<u8>),
    Oversized(usize),
}

impl Input {
    /// A string is taken as its UTF-8 bytes; a `Uint8Array` (or Node `Buffer`) or an
    /// `ArrayBuffer` as bytes.
    pub(crate) fn read(value: &JsValue) -> Result<Self, ArgumentError> {
        if let Some(text) = value.dyn_ref::<JsString>() {
            // A UTF-16 unit is 1 to 3 UTF-8 bytes: a string of more units than the cap is over it,
            // one of less than a third of the cap is within it, and only in between are the
            // bytes counted (in slices, without copying the whole string).
            let units = text.length() as usize;
            let size = if units.saturating_mul(3) > GLOBAL_SIZE_LIMIT { utf8_length(text) } else { units };
            return Ok(if size > GLOBAL_SIZE_LIMIT {
                Self::Oversized(size)
            } else {
                Self::Bytes(String::from(text).into_bytes())
            });
        }
        let bytes = match (value.dyn_ref::<Uint8Array>(), value.dyn_ref::<ArrayBuffer>()) {
            (Some(array), _) => array.clone(),
            (None, Some(buffer)) => Uint8Array::new(buffer),
            (None, None) => {
                return Err(ArgumentError::input(format!(
                    "input must be a string (PEM text) or a Uint8Array (DER, PKCS#7, PKCS#12 bytes), not {}",
                    describe(value)
                )));
            }
        };
        let length = bytes.length() as usize;
        Ok(if length > GLOBAL_SIZE_LIMIT { Self::Oversized(length) } else { Self::Bytes(bytes.to_vec()) })
    }
}

/// The UTF-8 length of a JS string, read in slices so that memory stays bounded. A slice never
/// ends between the two halves of a surrogate pair (that would count 6 bytes instead of 4).
fn utf8_length(text: &JsString) -> usize {
    const SLICE: u32 = 1 << 20;
    let total = text.length();
    let mut start = 0;
    let mut bytes = 0;
    while start < total {
        let mut end = start.saturating_add(SLICE).min(total);
        if end < total && (0xD800..0xDC00).contains(&(text.char_code_at(end - 1) as u32)) {
            end -= 1;
        }
        bytes += String::from(text.slice(start, end)).len();
        start = end;
    }
    bytes
}

/// Options of `check`, `inspect` and `applyFixes`, read into the core's [`Options`].
pub(crate) struct Settings {
    pub(crate) options: Options,
}

impl Settings {
    /// `{ to, ca?, now? }`; `to` is required when `require_destination`.
    pub(crate) fn read(value: &JsValue, require_destination: bool) -> Result<Self, ArgumentError> {
        let fields = Fields::read(value, &["to", "ca", "now"], require_destination)?;
        let ca = match fields.get("ca") {
            None => None,
            Some(ca) => Some(ca.as_bool().ok_or_else(|| {
                ArgumentError::options(format!("options.ca must be true or false, not {}", describe(&ca)))
            })?),
        };
        let destination = match fields.get("to") {
            None if require_destination => {
                return Err(ArgumentError::options(format!(
                    "options.to is required: one of {}",
                    DESTINATION_NAMES.join(", ")
                )));
            }
            None => None,
            Some(to) => {
                let name = to.as_string().ok_or_else(|| {
                    ArgumentError::options(format!("options.to must be a string, not {}", describe(&to)))
                })?;
                let destination = Destination::from_name(&name, ca);
                Some(destination.map_err(|e| ArgumentError::options(format!("options.to: {e}")))?)
            }
        };
        Ok(Self { options: Options::new(destination, now(fields.get("now"))?) })
    }

    /// `{ to, ca?, now?, pem? }` of `verifyResponse`, and the `pem` value if given.
    #[cfg(feature = "responses")]
    pub(crate) fn read_verify(value: &JsValue) -> Result<(Self, Option<JsValue>), ArgumentError> {
        let fields = Fields::read(value, &["to", "ca", "now", "pem"], true)?;
        let pem = fields.get("pem");
        let object = Object::new();
        for name in ["to", "ca", "now"] {
            if let Some(field) = fields.get(name) {
                let _ = js_sys::Reflect::set(&object, &name.into(), &field);
            }
        }
        Ok((Self::read(&object.into(), true)?, pem))
    }

    /// `{ now? }`.
    pub(crate) fn read_inspect(value: &JsValue) -> Result<Self, ArgumentError> {
        let fields = Fields::read(value, &["now"], false)?;
        Ok(Self { options: Options::new(None, now(fields.get("now"))?) })
    }
}

/// Options of `verify`: `{ to, ca, key?, tunnelDomain?, hosts?, emails?, now? }`.
#[cfg(feature = "verify-signatures")]
pub(crate) struct PeerSettings {
    pub(crate) options: PeerOptions,
    /// The CAs (string or bytes), read by the caller.
    pub(crate) ca: JsValue,
    /// The presented certificate's private key, if given.
    pub(crate) key: Option<JsValue>,
}

#[cfg(feature = "verify-signatures")]
impl PeerSettings {
    pub(crate) fn read(value: &JsValue) -> Result<Self, ArgumentError> {
        let fields = Fields::read(value, &["to", "ca", "key", "tunnelDomain", "hosts", "emails", "now"], true)?;
        let to = fields.get("to").ok_or_else(|| {
            ArgumentError::options(format!("options.to is required: one of {}", DESTINATION_NAMES.join(", ")))
        })?;
        let name = to
            .as_string()
            .ok_or_else(|| ArgumentError::options(format!("options.to must be a string, not {}", describe(&to))))?;
        let destination =
            Destination::from_name(&name, None).map_err(|e| ArgumentError::options(format!("options.to: {e}")))?;
        let ca = fields.get("ca").ok_or_else(|| {
            ArgumentError::options(
                "options.ca is required: the CA certificate(s) the presented certificate must chain to (PEM text or bytes)"
                    .to_owned(),
            )
        })?;
        let tunnel_domain = match fields.get("tunnelDomain") {
            None => None,
            Some(domain) => Some(domain.as_string().ok_or_else(|| {
                ArgumentError::options(format!("options.tunnelDomain must be a string, not {}", describe(&domain)))
            })?),
        };
        let hosts = strings(fields.get("hosts"), "hosts", "host names or IP addresses")?;
        let emails = strings(fields.get("emails"), "emails", "email addresses")?;
        let now = now(fields.get("now"))?;
        Ok(Self { options: PeerOptions { destination, tunnel_domain, hosts, emails, now }, ca, key: fields.get("key") })
    }
}

/// Options of `createCa` and `createCertificate`, read into certcheck-generate's.
#[cfg(feature = "generate")]
pub(crate) struct CreateSettings {
    /// What to make.
    pub(crate) leaf: certcheck_generate::LeafOptions,
    /// The CA's common name / the subject's.
    pub(crate) name: Option<String>,
    /// `ca` and `caKey` (strings or bytes) and `caKeyPassphrase`, for `createCertificate`.
    pub(crate) ca: Option<(JsValue, JsValue, Option<String>)>,
    /// `csr`, string or bytes.
    pub(crate) csr: Option<JsValue>,
    /// `passphrase`: encrypt the new key with it.
    pub(crate) passphrase: Option<String>,
}

#[cfg(feature = "generate")]
impl CreateSettings {
    const CA_FIELDS: [&'static str; 6] = ["to", "name", "days", "keyType", "now", "passphrase"];
    const LEAF_FIELDS: [&'static str; 15] = [
        "to",
        "kind",
        "ca",
        "caKey",
        "caKeyPassphrase",
        "tunnelDomain",
        "name",
        "hosts",
        "emails",
        "uris",
        "days",
        "keyType",
        "csr",
        "now",
        "passphrase",
    ];

    /// `createCa`'s `{ to, name?, days?, keyType?, now?, passphrase? }` (`leaf` is unused).
    pub(crate) fn read_ca(value: &JsValue) -> Result<Self, ArgumentError> {
        let fields = Fields::read(value, &Self::CA_FIELDS, true)?;
        Self::from_fields(&fields, false)
    }

    /// `createCertificate`'s options.
    pub(crate) fn read_leaf(value: &JsValue) -> Result<Self, ArgumentError> {
        let fields = Fields::read(value, &Self::LEAF_FIELDS, true)?;
        Self::from_fields(&fields, true)
    }

    fn from_fields(fields: &Fields, leaf: bool) -> Result<Self, ArgumentError> {
        use certcheck_generate::{KeyType, LeafKind};
        let text = |name: &str| -> Result<Option<String>, ArgumentError> {
            match fields.get(name) {
                None => Ok(None),
                Some(value) => value.as_string().map(Some).ok_or_else(|| {
                    ArgumentError::options(format!("options.{name} must be a string, not {}", describe(&value)))
                }),
            }
        };
        let to = text("to")?.ok_or_else(|| {
            ArgumentError::options(
                "options.to is required: anthropic-tunnel, cloudflare-access or cloudflare-mtls".to_owned(),
            )
        })?;
        let destination =
            Destination::from_name(&to, None).map_err(|e| ArgumentError::options(format!("options.to: {e}")))?;
        let key_type = match text("keyType")? {
            None => KeyType::default(),
            Some(name) => name
                .parse::<KeyType>()
                .map_err(|e| ArgumentError::options(format!("options.keyType: {}", e.message)))?,
        };
        let days = match fields.get("days") {
            None => None,
            Some(value) => match value.as_f64() {
                Some(n) if n.fract() == 0.0 && (1.0..=f64::from(u32::MAX)).contains(&n) => Some(n as u32),
                _ => {
                    return Err(ArgumentError::options(format!(
                        "options.days must be a whole number of days from 1, not {}",
                        describe(&value)
                    )));
                }
            },
        };
        let kind = match text("kind")?.as_deref() {
            None => LeafKind::for_destination(destination).unwrap_or(LeafKind::Client),
            Some("server") => LeafKind::Server,
            Some("client") => LeafKind::Client,
            Some(other) => {
                return Err(ArgumentError::options(format!(
                    "options.kind must be \"server\" or \"client\", not {other:?}"
                )));
            }
        };
        let ca = if leaf {
            let required = |name: &str, what: &str| {
                fields.get(name).ok_or_else(|| ArgumentError::options(format!("options.{name} is required: {what}")))
            };
            Some((
                required("ca", "the CA certificate that signs (PEM text or bytes)")?,
                required("caKey", "the CA's private key (PEM text or bytes)")?,
                text("caKeyPassphrase")?,
            ))
        } else {
            None
        };
        let leaf_options = certcheck_generate::LeafOptions {
            destination,
            kind,
            tunnel_domain: text("tunnelDomain")?,
            name: text("name")?,
            hosts: strings(fields.get("hosts"), "hosts", "host names or IP addresses")?,
            emails: strings(fields.get("emails"), "emails", "email addresses")?,
            uris: strings(fields.get("uris"), "uris", "URIs")?,
            days,
            key_type,
            request: None,
            now: now(fields.get("now"))?,
        };
        Ok(Self {
            name: leaf_options.name.clone(),
            leaf: leaf_options,
            ca,
            csr: fields.get("csr"),
            passphrase: text("passphrase")?,
        })
    }
}

/// An optional array of strings (`options.<field>`, of `what`).
#[cfg(feature = "verify-signatures")]
fn strings(value: Option<JsValue>, field: &str, what: &str) -> Result<Vec<String>, ArgumentError> {
    match value {
        None => Ok(Vec::new()),
        Some(list) if Array::is_array(&list) => Array::from(&list)
            .iter()
            .map(|item| {
                item.as_string().ok_or_else(|| {
                    ArgumentError::options(format!("options.{field} must hold strings, not {}", describe(&item)))
                })
            })
            .collect(),
        Some(other) => {
            Err(ArgumentError::options(format!("options.{field} must be an array of {what}, not {}", describe(&other))))
        }
    }
}

/// The own enumerable properties of an options object, refusing unknown names (a typo such as
/// `destination` instead of `to` must not be silently ignored). `undefined` reads as `{}`.
struct Fields {
    object: Option<Object>,
}

impl Fields {
    fn read(value: &JsValue, known: &[&str], required: bool) -> Result<Self, ArgumentError> {
        if value.is_undefined() && !required {
            return Ok(Self { object: None });
        }
        let object = match value.dyn_ref::<Object>() {
            Some(object) if !Array::is_array(value) && !value.is_function() => object.clone(),
            _ => {
                return Err(ArgumentError::options(format!(
                    "options must be an object such as {{ {} }}, not {}",
                    known.iter().map(|k| format!("{k}: …")).collect::<Vec<_>>().join(", "),
                    describe(value)
                )));
            }
        };
        for key in Object::keys(&object) {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(ArgumentError::options(format!("unknown option {key:?}; expected {}", known.join(", "))));
            }
        }
        Ok(Self { object: Some(object) })
    }

    /// The property, `None` when absent or `undefined`.
    fn get(&self, name: &str) -> Option<JsValue> {
        let object = self.object.as_ref()?;
        js_sys::Reflect::get(object, &name.into()).ok().filter(|v| !v.is_undefined())
    }
}

/// `now`: an RFC 3339 string or a `Date`; the current time when absent.
fn now(value: Option<JsValue>) -> Result<UnixTime, ArgumentError> {
    let Some(value) = value else {
        return Ok(UnixTime(millis_to_seconds(Date::now())));
    };
    if let Some(text) = value.as_string() {
        return UnixTime::parse_rfc3339(&text)
            .map_err(|e| ArgumentError::options(format!("options.now {text:?}: {e}")));
    }
    match value.dyn_ref::<Date>().map(Date::get_time) {
        Some(millis) if millis.is_finite() => Ok(UnixTime(millis_to_seconds(millis))),
        Some(_) => Err(ArgumentError::options("options.now is an invalid Date".to_owned())),
        None => Err(ArgumentError::options(format!(
            "options.now must be an RFC 3339 string or a Date, not {}",
            describe(&value)
        ))),
    }
}

fn millis_to_seconds(millis: f64) -> i64 {
    // Dates span ±8.64e15 ms, well within i64 seconds; `as` saturates anything else.
    (millis / 1000.0).floor() as i64
}

/// A list of fix names; `None` when absent (meaning: every fix the report offers).
pub(crate) fn fix_list(value: &JsValue) -> Result<Option<Vec<Fix>>, ArgumentError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !Array::is_array(value) {
        return Err(ArgumentError::options(format!(
            "fixes must be an array of fix names (see fixNames()), not {}",
            describe(value)
        )));
    }
    let mut fixes = Vec::new();
    for item in Array::from(value) {
        let name = item
            .as_string()
            .ok_or_else(|| ArgumentError::options(format!("fixes must hold fix names, not {}", describe(&item))))?;
        fixes.push(name.parse::<Fix>().map_err(|e| ArgumentError::options(e.to_string()))?);
    }
    Ok(Some(fixes))
}

/// A string argument.
pub(crate) fn string(value: &JsValue, what: &str) -> Result<String, ArgumentError> {
    value.as_string().ok_or_else(|| ArgumentError::input(format!("{what} must be a string, not {}", describe(value))))
}

/// How a value reads in an error message: `null`, `an array`, `a number` …
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else if value.is_undefined() {
        "undefined".to_owned()
    } else if Array::is_array(value) {
        "an array".to_owned()
    } else {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {kind}")
    }
}
