//! `check` for every destination profile (the first byte picks it), then every offered fix:
//! nothing panics, fixing twice equals fixing once.
#![no_main]

mod common;

use certcheck::{ALL_FIXES, Options, UnixTime, apply_fixes, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    let destination = common::destination(selector);
    let options = Options::new(Some(destination), UnixTime(1_795_000_000));
    let report = check(input, &options);
    assert_eq!(report.destination, Some(destination.name()));
    let fixes = report.offered_fixes();
    if !fixes.is_empty() {
        let once = apply_fixes(input, &ALL_FIXES, &options);
        let twice = apply_fixes(&once, &ALL_FIXES, &options);
        assert!(once == twice, "fixes are not idempotent");
        let _ = check(&once, &options);
    }
});
