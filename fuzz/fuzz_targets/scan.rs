//! Input sniffing, text decoding and PEM scanning through `inspect`: any bytes give a report
//! that serializes, with 1-based positions inside the input.
#![no_main]

use certcheck::{UnixTime, inspect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = inspect(data, UnixTime(1_795_000_000));
    for diagnostic in &report.diagnostics {
        // Positions are 1-based and inside the input: no more lines or columns than bytes.
        if let Some(line) = diagnostic.line {
            assert!(line >= 1 && line as usize <= data.len() + 1, "{diagnostic:?}");
        }
        if let Some(column) = diagnostic.column {
            assert!(column >= 1 && column as usize <= data.len() + 1, "{diagnostic:?}");
        }
    }
    assert!(serde_json::to_string(&report).is_ok());
});
