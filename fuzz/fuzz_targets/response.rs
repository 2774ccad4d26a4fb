//! Vendor response parsing and verification: any bytes as the answer of any destination, with
//! and without the PEM that was sent, give a report or a typed error, never a panic.
#![no_main]

mod common;

use certcheck::UnixTime;
use certcheck_api::verify_response;
use libfuzzer_sys::fuzz_target;

const SENT: &[u8] = include_bytes!("../../examples/cloudflare-gateway-example.pem");

fuzz_target!(|data: &[u8]| {
    let Some((&selector, response)) = data.split_first() else { return };
    let destination = common::destination(selector);
    let pem = (selector & 0x80 != 0).then_some(SENT);
    if let Ok(report) = verify_response(destination, response, pem, UnixTime(1_795_000_000)) {
        assert!(serde_json::to_string(&report).is_ok());
    }
});
