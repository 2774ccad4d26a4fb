//! A panic is a bug (the core is written without panicking paths), but if one happens its
//! message must reach the caller: the hook keeps it, the trap that follows (`unreachable`)
//! is caught by the package's JavaScript wrapper, which asks for the message and throws a
//! `CertcheckError` with code `internal`.

use std::sync::Mutex;

static LAST_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the default hook (which prints nowhere useful in wasm) with one that keeps the message.
pub(crate) fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = match (info.payload().downcast_ref::<&str>(), info.payload().downcast_ref::<String>()) {
            (Some(text), _) => (*text).to_owned(),
            (None, Some(text)) => text.clone(),
            (None, None) => "a panic without a message".to_owned(),
        };
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut slot) = LAST_MESSAGE.lock() {
            *slot = Some(format!("{message}{place}"));
        }
    }));
}

/// The last panic's message, once.
pub(crate) fn take_message() -> Option<String> {
    LAST_MESSAGE.lock().ok().and_then(|mut slot| slot.take())
}
