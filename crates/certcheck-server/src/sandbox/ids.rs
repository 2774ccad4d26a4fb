//! Identifiers and timestamps shaped like the vendors': `tcrt_…`/`tnl_…`/`req_…` (base62),
//! UUIDs for Cloudflare, RFC 3339 with microseconds.

use std::time::{SystemTime, UNIX_EPOCH};

use certcheck::UnixTime;
use ring::rand::{SecureRandom, SystemRandom};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The system RNG failing is not recoverable in any useful way; zeros keep the id well-formed
    // and the counter-free design means a collision is caught by the store's duplicate check.
    let _ = SystemRandom::new().fill(&mut bytes);
    bytes
}

/// `prefix` + 24 base62 characters, like `tcrt_01JmWq4ZxnBvR7tKpY2sLdH9`.
pub(crate) fn prefixed(prefix: &str) -> String {
    let bytes: [u8; 24] = random_bytes();
    let mut id = String::from(prefix);
    id.extend(bytes.iter().map(|b| char::from(BASE62.get(usize::from(*b) % 62).copied().unwrap_or(b'0'))));
    id
}

/// A request id for Anthropic errors.
pub(crate) fn request_id() -> String {
    prefixed("req_")
}

/// A random (version 4) UUID.
pub(crate) fn uuid() -> String {
    let mut bytes: [u8; 16] = random_bytes();
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x40;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let hex = certcheck::hex(&bytes);
    let part = |range: core::ops::Range<usize>| hex.get(range).unwrap_or_default().to_owned();
    format!("{}-{}-{}-{}-{}", part(0..8), part(8..12), part(12..16), part(16..20), part(20..32))
}

/// Now, as the core's time and as RFC 3339 with microseconds (`…T23:58:27.427722Z`).
pub(crate) fn now() -> (UnixTime, String) {
    stamp(SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default())
}

/// A time given as the duration since the Unix epoch, as the core's time and as RFC 3339 with
/// microseconds.
pub(crate) fn stamp(elapsed: std::time::Duration) -> (UnixTime, String) {
    let seconds = i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX);
    let time = UnixTime(seconds);
    let text = time.to_rfc3339();
    let stamped = format!("{}.{:06}Z", text.trim_end_matches('Z'), elapsed.subsec_micros());
    (time, stamped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_have_the_vendors_shapes() {
        let id = prefixed("tcrt_");
        assert_eq!(id.len(), 29);
        assert!(id.starts_with("tcrt_") && id[5..].bytes().all(|b| b.is_ascii_alphanumeric()));
        let uuid = uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.as_bytes()[14], b'4');
        assert!(matches!(uuid.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(prefixed("x"), prefixed("x"));
        let (_, stamp) = now();
        assert_eq!(stamp.len(), "2026-11-22T00:00:00.000000Z".len());
    }
}
