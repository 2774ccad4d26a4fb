//! The benchmark inputs, written into target/bench/inputs: one certificate, Mozilla's CA bundle,
//! synthetic bundles of distinct certificates, a 10 MB bundle, one over the 16 MiB cap, and the
//! worst cases of ROBUSTNESS.md's limits (10 000 blocks, deeply nested DER, absurd DER lengths,
//! 1 MiB single lines).

use std::path::{Path, PathBuf};

use certcheck::{Fix, Options, UnixTime, apply_fixes};

use crate::util;

/// Certificates per synthetic bundle.
pub(crate) const SYNTHETIC: [usize; 5] = [1, 10, 100, 1_000, 10_000];

/// Writes every input (idempotent) and returns the folder.
pub(crate) fn write(mozilla: &Path) -> Result<PathBuf, String> {
    let dir = util::target_dir().join("bench/inputs");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let save = |name: &str, bytes: &[u8]| -> Result<(), String> {
        std::fs::write(dir.join(name), bytes).map_err(|e| format!("cannot write {name}: {e}"))
    };
    let bundle = std::fs::read_to_string(mozilla).map_err(|e| format!("cannot read {}: {e}", mozilla.display()))?;
    save("mozilla.pem", bundle.as_bytes())?;
    let one = std::fs::read(util::root().join("examples/anthropic-ca.pem"))
        .map_err(|e| format!("cannot read examples/anthropic-ca.pem: {e}"))?;
    save("one.pem", &one)?;

    // Distinct certificates: Mozilla's smaller roots (≤ 700 bytes of DER, RSA and ECDSA) with
    // a counter written into the tail of the serial number. Signatures no longer verify, which
    // no check here depends on; every fingerprint differs.
    let bases: Vec<Vec<u8>> = pem_bodies(&bundle).into_iter().filter(|der| der.len() <= 700).collect();
    if bases.len() < 10 {
        return Err(format!("only {} small certificates in the Mozilla bundle", bases.len()));
    }
    let synthetic = |count: usize| -> String {
        (0..count)
            .filter_map(|index| {
                let base = bases.get(index % bases.len())?;
                let der = with_serial_tail(base, u32::try_from(index).unwrap_or(u32::MAX))?;
                Some(pem(&der))
            })
            .collect()
    };
    for count in SYNTHETIC {
        save(&format!("synthetic-{count}.pem"), synthetic(count).as_bytes())?;
    }
    let mut ten_mb = String::new();
    let mut index = 0;
    while ten_mb.len() < 10_000_000 {
        if let Some(der) = bases.get(index % bases.len()).and_then(|b| with_serial_tail(b, 1_000_000 + index as u32)) {
            ten_mb.push_str(&pem(&der));
        }
        index += 1;
    }
    save("10mb.pem", ten_mb.as_bytes())?;
    let mut over = ten_mb.clone();
    while over.len() <= 17 * 1024 * 1024 {
        over.push_str(&ten_mb);
    }
    save("over-cap.pem", over.as_bytes())?;

    // Worst cases.
    save(
        "blocks-10000.pem",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".repeat(10_000).as_bytes(),
    )?;
    save("nested-der.pem", pem(&nested_sequences(50_000)).as_bytes())?;
    let mut absurd = Vec::new();
    for _ in 0..1_000 {
        // SEQUENCE claiming 2^63 - 1 bytes, INTEGER claiming 2^31, then a few real bytes.
        absurd.extend_from_slice(&[0x30, 0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        absurd.extend_from_slice(&[0x02, 0x84, 0x80, 0x00, 0x00, 0x00, 0x01, 0x02]);
    }
    save("absurd-length.pem", pem(&absurd).as_bytes())?;
    let line: String = (0..1 << 20).map(|i| char::from(b'A' + (i % 26) as u8)).collect();
    save("line-1mb.txt", line.as_bytes())?;
    save(
        "base64-line-1mb.pem",
        format!("-----BEGIN CERTIFICATE-----\n{line}\n-----END CERTIFICATE-----\n").as_bytes(),
    )?;
    Ok(dir)
}

/// PEM armor through certcheck's own DER → PEM fix (64-column lines).
fn pem(der: &[u8]) -> String {
    let options = Options::new(None, UnixTime(0));
    let text = apply_fixes(der, &[Fix::DerToPem], &options);
    if text.starts_with(b"-----BEGIN") {
        String::from_utf8_lossy(&text).into_owned()
    } else {
        // Not a certificate (the worst cases): armor it by hand.
        let mut body = String::new();
        for chunk in base64(der).as_bytes().chunks(64) {
            body.push_str(&String::from_utf8_lossy(chunk));
            body.push('\n');
        }
        format!("-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            let symbol = ALPHABET.get(((n >> shift) & 63) as usize).copied().unwrap_or(b'A');
            out.push(if i <= chunk.len() { char::from(symbol) } else { '=' });
        }
    }
    out
}

/// The DER of every CERTIFICATE block (the bundle is well-formed: Mozilla's, pinned).
fn pem_bodies(text: &str) -> Vec<Vec<u8>> {
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .filter_map(|rest| rest.split_once("-----END CERTIFICATE-----").map(|(body, _)| body))
        .filter_map(|body| unbase64(&body.split_whitespace().collect::<String>()))
        .collect()
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut accumulator, mut bits) = (0u32, 0u32);
    for symbol in text.bytes().filter(|&b| b != b'=') {
        let value = ALPHABET.iter().position(|&a| a == symbol)? as u32;
        accumulator = (accumulator << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((accumulator >> bits) as u8);
        }
    }
    Some(out)
}

/// A definite-length header: tag, then the length in short or long form.
fn header(tag: u8, length: usize) -> Vec<u8> {
    let mut out = vec![tag];
    if length < 128 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> = length.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out
}

/// `depth` SEQUENCEs, each holding the next.
fn nested_sequences(depth: usize) -> Vec<u8> {
    let mut der = vec![0x05, 0x00];
    for _ in 0..depth {
        let mut outer = header(0x30, der.len());
        outer.extend_from_slice(&der);
        der = outer;
    }
    der
}

/// The certificate with the last four bytes of its serial number replaced by `counter`, or
/// `None` when the serial is shorter than 5 bytes (its sign could flip).
fn with_serial_tail(der: &[u8], counter: u32) -> Option<Vec<u8>> {
    // Certificate SEQUENCE → TBSCertificate SEQUENCE → optional [0] version → INTEGER serial.
    let (_, certificate_content) = content_start(der, 0)?;
    let (_, tbs_content) = content_start(der, certificate_content)?;
    let mut at = tbs_content;
    if *der.get(at)? == 0xa0 {
        let (length, content) = content_start(der, at)?;
        at = content + length;
    }
    if *der.get(at)? != 0x02 {
        return None;
    }
    let (length, content) = content_start(der, at)?;
    if length < 5 {
        return None;
    }
    let mut out = der.to_vec();
    out.get_mut(content + length - 4..content + length)?.copy_from_slice(&counter.to_be_bytes());
    Some(out)
}

/// The content length and content offset of the element at `at`.
fn content_start(der: &[u8], at: usize) -> Option<(usize, usize)> {
    let first = *der.get(at + 1)?;
    if first < 0x80 {
        return Some((usize::from(first), at + 2));
    }
    let count = usize::from(first & 0x7f);
    let bytes = der.get(at + 2..at + 2 + count)?;
    let length = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    Some((length, at + 2 + count))
}
