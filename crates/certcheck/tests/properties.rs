//! Properties over arbitrary input: nothing panics, `normalized_pem` is a fixed point, fixes are
//! idempotent, reports are deterministic, every fingerprint spelling reads back equal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck::{ALL_FIXES, Destination, Options, UnixTime, apply_fixes, check, parse_fingerprint};
use proptest::prelude::*;

const CA: &[u8] = include_bytes!("../../../examples/anthropic-ca.pem");
const PASTED: &[u8] = include_bytes!("../../../examples/pasted-from-json.txt");
const GATEWAY: &[u8] = include_bytes!("../../../examples/cloudflare-gateway-example.pem");

fn all_options() -> Vec<Options> {
    let now = UnixTime(1_795_305_600);
    let mut list = vec![Options::new(None, now)];
    list.extend(Destination::ALL.map(|destination| Options::new(Some(destination), now)));
    list
}

/// Inputs near real ones: a real PEM with bytes replaced, inserted or cut.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let base =
        prop_oneof![Just(CA.to_vec()), Just(PASTED.to_vec()), Just(GATEWAY.to_vec()), Just([CA, PASTED].concat())];
    (base, proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..8)).prop_map(
        |(mut data, edits)| {
            for (index, byte, kind) in edits {
                if data.is_empty() {
                    break;
                }
                let at = index.index(data.len());
                match kind {
                    0 => data[at] = byte,
                    1 => data.insert(at, byte),
                    _ => data.truncate(at),
                }
            }
            data
        },
    )
}

/// The family of `fuzz/seeds/check/bom-returns-quotes`: a PEM (escaped or not) with carriage
/// returns, byte-order marks, zero-width and non-breaking spaces, quotes and shell quoting
/// around and inside it, in any order.
fn wrapped() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&str] = &[
        "\r",
        "\r\r\r",
        "\u{FEFF}",
        "\u{200B}",
        "\u{00A0}",
        "\u{2013}",
        "'",
        "\"",
        "$'",
        "\\",
        "\\n",
        "\\r",
        "\n",
        " ",
        "\\\r",
        "\\\u{FEFF}n",
    ];
    let ca = String::from_utf8_lossy(CA).into_owned();
    let escaped = ca.replace('\n', "\\n");
    let core = prop_oneof![Just(ca), Just(escaped)];
    let piece = || proptest::collection::vec(proptest::sample::select(PIECES), 0..12).prop_map(|p| p.concat());
    (piece(), core, piece(), piece(), any::<prop::sample::Index>()).prop_map(|(before, core, inside, after, at)| {
        // Some pieces go inside the text too, at a character boundary.
        let mut at = at.index(core.len() + 1);
        while !core.is_char_boundary(at) {
            at -= 1;
        }
        format!("{before}{}{inside}{}{after}", &core[..at], &core[at..]).into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fixes_are_idempotent_around_returns_marks_and_quotes(data in wrapped()) {
        for options in all_options() {
            let once = apply_fixes(&data, &ALL_FIXES, &options);
            let twice = apply_fixes(&once, &ALL_FIXES, &options);
            prop_assert_eq!(String::from_utf8_lossy(&once), String::from_utf8_lossy(&twice));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for options in all_options() {
            let report = check(&data, &options);
            prop_assert_eq!(report.clone(), check(&data, &options));
        }
    }

    #[test]
    fn mutated_pem_never_panics_and_normalizes_to_a_fixed_point(data in mutated()) {
        for options in all_options() {
            let report = check(&data, &options);
            if let Some(normalized) = &report.normalized_pem {
                let again = check(normalized.as_bytes(), &options);
                prop_assert_eq!(again.normalized_pem.as_ref(), Some(normalized));
            }
        }
    }

    #[test]
    fn fixes_are_idempotent(data in mutated()) {
        for options in all_options() {
            let once = apply_fixes(&data, &ALL_FIXES, &options);
            let twice = apply_fixes(&once, &ALL_FIXES, &options);
            prop_assert_eq!(&once, &twice);
        }
    }

    #[test]
    fn every_spelling_reads_back_equal(der in proptest::collection::vec(any::<u8>(), 0..64)) {
        let fingerprints = certcheck::Fingerprints::of(&der);
        let spellings = fingerprints.spellings();
        let sha256 = parse_fingerprint(&spellings.anthropic()).unwrap();
        prop_assert_eq!(&sha256.bytes[..], &fingerprints.sha256.0[..]);
        for text in [&spellings.cloudflare_gateway(), &spellings.openssl_sha256(), &certcheck::unpadded_colon_hex(&fingerprints.sha256.0)] {
            prop_assert_eq!(&parse_fingerprint(text).unwrap(), &sha256);
        }
        prop_assert_eq!(&parse_fingerprint(&spellings.cloudflare_access()).unwrap().bytes[..], &fingerprints.md5.0[..]);
    }
}
