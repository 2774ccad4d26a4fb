//! Fingerprint parsing in any spelling: a parsed fingerprint spelled back in lowercase hex and
//! in colon hex parses to the same value, and comparison agrees with parsing.
#![no_main]

use certcheck::{colon_hex, fingerprints_equal, hex, parse_fingerprint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (left, right) = text.split_once('\n').unwrap_or((&text, ""));
    if let Ok(parsed) = parse_fingerprint(left) {
        let plain = parse_fingerprint(&hex(&parsed.bytes)).expect("lowercase hex reads back");
        assert_eq!(plain.bytes, parsed.bytes);
        let colons = parse_fingerprint(&colon_hex(&parsed.bytes)).expect("colon hex reads back");
        assert_eq!(colons.bytes, parsed.bytes);
        assert_eq!(fingerprints_equal(left, &hex(&parsed.bytes)), Ok(true));
    }
    if let (Ok(a), Ok(b)) = (parse_fingerprint(left), parse_fingerprint(right)) {
        assert_eq!(fingerprints_equal(left, right), Ok(a.bytes == b.bytes && a.algorithm == b.algorithm));
    }
});
