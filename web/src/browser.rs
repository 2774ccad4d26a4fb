//! The few browser services the views use, each failing quietly into a value: the clock,
//! scheduling work in a task of its own, `sessionStorage`, the clipboard, file reading and
//! downloads.

use certcheck::UnixTime;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::state::clock::Clock;

/// Where "Remember for this tab" keeps the connection.
const SESSION_KEY: &str = "certcheck.connection";

thread_local! {
    /// The page's clock, read from the address once.
    static CLOCK: Clock = Clock::from_query(&web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default());
}

/// Now: the time the address pins with `?now=`, else the browser's clock.
pub fn now() -> UnixTime {
    #[allow(clippy::cast_possible_truncation)]
    let system = UnixTime((js_sys::Date::now() / 1000.0) as i64);
    CLOCK.with(|clock| clock.now(system))
}

/// What the page says about its clock when it is not the computer's.
pub fn clock_notice() -> Option<String> {
    CLOCK.with(Clock::notice)
}

/// Milliseconds from the page's high-resolution clock (for measuring).
pub fn millis() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Runs `work` in a task of its own, after what the browser has waiting (input, a frame to
/// render), without `setTimeout`'s clamping to 4 ms once timeouts nest: a message to a fresh
/// `MessageChannel`. Falls back to a zero timeout.
pub fn next_task(work: impl FnOnce() + 'static) {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        leptos::prelude::set_timeout(work, std::time::Duration::ZERO);
        return;
    };
    let port = channel.port1();
    let handler = wasm_bindgen::closure::Closure::once_into_js(move |_: web_sys::MessageEvent| work());
    port.set_onmessage(Some(handler.unchecked_ref()));
    let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Reads the remembered connection.
pub fn session_read() -> Option<String> {
    session()?.get_item(SESSION_KEY).ok().flatten()
}

/// Stores (`Some`) or forgets (`None`) the connection for this tab.
pub fn session_write(value: Option<&str>) {
    if let Some(storage) = session() {
        let _ = match value {
            Some(value) => storage.set_item(SESSION_KEY, value),
            None => storage.remove_item(SESSION_KEY),
        };
    }
}

/// Copies text; `false` when the clipboard is unavailable.
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

/// The bytes of a picked or dropped file.
pub async fn read_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> bool {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return false };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return false };
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let done = anchor.is_some_and(|anchor| {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        true
    });
    // Revoked a moment later: revoking at once can cancel the download in some browsers.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(5),
    );
    done
}

/// A new private key made by the browser's WebCrypto (`crypto.subtle.generateKey`, which makes
/// RSA keys in a moment and off the page's thread), exported as PKCS#8 DER. `None` where WebCrypto
/// is missing (a page not served from a secure context): the caller then makes the key itself.
pub async fn webcrypto_pkcs8(key_type: certcheck_generate::KeyType) -> Option<Vec<u8>> {
    use certcheck_generate::KeyType;
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::JsValue;
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    if JsValue::from(subtle.clone()).is_undefined() {
        return None;
    }
    let algorithm = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&algorithm, &key.into(), &value).ok();
    match key_type {
        KeyType::P256 | KeyType::P384 => {
            set("name", "ECDSA".into())?;
            set("namedCurve", if key_type == KeyType::P256 { "P-256" } else { "P-384" }.into())?;
        }
        KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => {
            let bits = match key_type {
                KeyType::Rsa2048 => 2048,
                KeyType::Rsa3072 => 3072,
                _ => 4096,
            };
            set("name", "RSASSA-PKCS1-v1_5".into())?;
            set("modulusLength", bits.into())?;
            set("publicExponent", Uint8Array::from(&[1u8, 0, 1][..]).into())?;
            set("hash", "SHA-256".into())?;
        }
        KeyType::Ed25519 => return None,
    }
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let pair = JsFuture::from(subtle.generate_key_with_object(&algorithm, true, &usages).ok()?).await.ok()?;
    let private: web_sys::CryptoKey = Reflect::get(&pair, &"privateKey".into()).ok()?.dyn_into().ok()?;
    let exported = JsFuture::from(subtle.export_key("pkcs8", &private).ok()?).await.ok()?;
    Some(Uint8Array::new(&exported).to_vec())
}
