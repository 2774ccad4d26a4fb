//! The PEM block scanner: every block with its position, lenient recovery, and a note of each
//! thing it tolerated (RFC 7468; RFC 1421 headers; PGP armor checksums).

use crate::diagnostic::{Base64Problem, Finding};
use crate::fix::Fix;

/// One finding of the scanner, positioned by a byte offset in the scanned text.
#[derive(Debug)]
pub(crate) struct ScanFinding {
    pub(crate) finding: Finding,
    pub(crate) offset: usize,
    pub(crate) block: Option<usize>,
    pub(crate) fix: Option<Fix>,
}

/// A PEM block as found.
#[derive(Debug)]
pub(crate) struct Block {
    /// The label after BEGIN, lookalikes folded.
    pub(crate) label: String,
    /// Byte offsets of the BEGIN line's start, and the end of the END line (or of the text).
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Whether an END line was found.
    pub(crate) terminated: bool,
    /// RFC 1421 / armor headers (`Proc-Type`, `DEK-Info`, `Version`, …).
    pub(crate) headers: Vec<(String, String)>,
    /// `(offset, base64 symbol count)` of each body line, to map DER offsets back to text.
    pub(crate) body_lines: Vec<(usize, usize)>,
    /// The decoded bytes, when the base64 is sound.
    pub(crate) data: Option<Vec<u8>>,
}

impl Block {
    /// Text offset of the base64 symbol that encodes byte `position` of the decoded data.
    pub(crate) fn offset_of_byte(&self, position: usize) -> usize {
        let mut symbol = position / 3 * 4;
        for &(offset, count) in &self.body_lines {
            if symbol < count {
                return offset + symbol;
            }
            symbol -= count;
        }
        self.start
    }
}

/// A run of lines outside any block that hold something other than whitespace.
#[derive(Debug)]
pub(crate) struct Outside {
    /// Byte offset of the first non-blank character.
    pub(crate) start: usize,
    /// Byte offset just past the stretch.
    pub(crate) end: usize,
    /// Non-blank lines in it.
    pub(crate) lines: usize,
}

/// Everything the scanner saw.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) blocks: Vec<Block>,
    pub(crate) outside: Vec<Outside>,
    pub(crate) findings: Vec<ScanFinding>,
    pub(crate) crlf_at: Option<usize>,
}

/// Characters that copy-paste puts where ASCII belongs.
pub(crate) fn fold_lookalike(c: char) -> Option<Option<char>> {
    match c {
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE58}'
        | '\u{FE63}' | '\u{FF0D}' => Some(Some('-')),
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{3000}' => Some(Some(' ')),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\0' => Some(None),
        _ => None,
    }
}

struct Line<'a> {
    start: usize,
    text: &'a str,
}

enum Marker {
    Begin(String),
    End(String),
}

/// Recognises `-----BEGIN LABEL-----` / `-----END LABEL-----` (also `---- BEGIN SSH2 … ----`),
/// after folding lookalike characters. Returns the marker and the first lookalike's offset.
fn marker(line: &Line<'_>) -> Option<(Marker, Option<(usize, char)>)> {
    // Fast path for base64 lines: a marker holds dashes (or non-ASCII lookalikes of them).
    if !line.text.bytes().any(|b| b == b'-' || !b.is_ascii()) {
        return None;
    }
    if !line.text.contains("BEGIN") && !line.text.contains("END") {
        return None;
    }
    let mut folded = String::with_capacity(line.text.len());
    let mut lookalike = None;
    for (index, c) in line.text.char_indices() {
        match fold_lookalike(c) {
            Some(replacement) => {
                if lookalike.is_none() && !(c == '\u{FEFF}' && line.start + index == 0) {
                    lookalike = Some((line.start + index, c));
                }
                folded.extend(replacement);
            }
            None => folded.push(c),
        }
    }
    let trimmed = folded.trim();
    let inner = trimmed.strip_prefix("---")?.trim_start_matches('-').trim_start();
    let inner = inner.strip_suffix("---")?.trim_end_matches('-').trim_end();
    let found = if let Some(label) = inner.strip_prefix("BEGIN") {
        Marker::Begin(label.trim().to_owned())
    } else if let Some(label) = inner.strip_prefix("END") {
        Marker::End(label.trim().to_owned())
    } else {
        return None;
    };
    Some((found, lookalike))
}

fn is_base64_symbol(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/'
}

/// Scans the whole text.
pub(crate) fn scan(text: &str) -> Scan {
    let mut scan = Scan::default();
    let mut lines = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let without_lf = raw.strip_suffix('\n').unwrap_or(raw);
        let content = match without_lf.strip_suffix('\r') {
            Some(content) => {
                scan.crlf_at.get_or_insert(start + content.len());
                content
            }
            None => without_lf,
        };
        lines.push(Line { start, text: content });
        start += raw.len();
    }
    let mut index = 0;
    let mut outside: Option<Outside> = None;
    while let Some(line) = lines.get(index) {
        match marker(line) {
            Some((Marker::Begin(label), lookalike)) => {
                if let Some(stretch) = outside.take() {
                    scan.outside.push(stretch);
                }
                let block_index = scan.blocks.len();
                if let Some((offset, character)) = lookalike {
                    scan.findings.push(ScanFinding {
                        finding: Finding::LookalikeCharacters { character },
                        offset,
                        block: Some(block_index),
                        fix: Some(Fix::ReplaceLookalikeCharacters),
                    });
                }
                index = read_block(&lines, index, label, block_index, &mut scan, text.len());
                strict_check(text, block_index, &mut scan);
            }
            Some((Marker::End(label), _)) => {
                // An END without a BEGIN: text outside blocks, but say which label.
                scan.findings.push(ScanFinding {
                    finding: Finding::UnexpectedLabel { label },
                    offset: line.start,
                    block: None,
                    fix: Some(Fix::DropTextOutsideBlocks),
                });
                note_outside(&mut outside, line);
                index += 1;
            }
            None => {
                note_outside(&mut outside, line);
                index += 1;
            }
        }
    }
    if let Some(stretch) = outside.take() {
        scan.outside.push(stretch);
    }
    scan
}

fn note_outside(outside: &mut Option<Outside>, line: &Line<'_>) {
    let blank =
        line.text.chars().all(|c| c.is_whitespace() || matches!(fold_lookalike(c), Some(None) | Some(Some(' '))));
    if blank {
        return;
    }
    let lead = line.text.len() - line.text.trim_start().len();
    let end = line.start + line.text.len();
    match outside {
        Some(stretch) => {
            stretch.end = end;
            stretch.lines += 1;
        }
        None => *outside = Some(Outside { start: line.start + lead, end, lines: 1 }),
    }
}

/// Reads one block starting at its BEGIN line; returns the index of the next line to scan.
fn read_block(
    lines: &[Line<'_>],
    begin: usize,
    label: String,
    block_index: usize,
    scan: &mut Scan,
    text_len: usize,
) -> usize {
    let begin_start = lines.get(begin).map_or(0, |l| l.start);
    let armor = label.starts_with("PGP ") || label.starts_with("SSH2 ") || label.starts_with("OPENSSH ");
    let mut block = Block {
        label,
        start: begin_start,
        end: text_len,
        terminated: false,
        headers: Vec::new(),
        body_lines: Vec::new(),
        data: None,
    };
    let mut symbols: Vec<(usize, char)> = Vec::new();
    let mut problem: Option<(usize, Base64Problem)> = None;
    let mut lookalike_seen = false;
    let mut in_headers = true;
    let mut widths: Vec<usize> = Vec::new();
    let mut next = begin + 1;
    while let Some(line) = lines.get(next) {
        if let Some((found, _)) = marker(line) {
            match found {
                Marker::End(end_label) => {
                    if end_label != block.label {
                        let label_at = line.text.find(end_label.as_str()).unwrap_or(0);
                        scan.findings.push(ScanFinding {
                            finding: Finding::LabelMismatch { begin: block.label.clone(), end: end_label },
                            offset: line.start + label_at,
                            block: Some(block_index),
                            fix: Some(Fix::FixEndLabel),
                        });
                    }
                    block.terminated = true;
                    block.end = line.start + line.text.len();
                    next += 1;
                }
                Marker::Begin(_) => {}
            }
            break;
        }
        let trimmed = line.text.trim();
        if in_headers && symbols.is_empty() {
            if let Some((name, value)) = trimmed.split_once(':')
                && !name.is_empty()
                && !name.contains(' ')
            {
                block.headers.push((name.to_owned(), value.trim().to_owned()));
                next += 1;
                continue;
            }
            if !block.headers.is_empty() && line.text.starts_with([' ', '\t']) {
                next += 1;
                continue;
            }
        }
        if trimmed.is_empty() {
            in_headers = false;
            next += 1;
            continue;
        }
        in_headers = false;
        if armor && trimmed.starts_with('=') && trimmed.len() == 5 {
            next += 1; // PGP armor checksum line.
            continue;
        }
        let mut count = 0;
        let mut first_symbol = None;
        for (offset, c) in line.text.char_indices() {
            let at = line.start + offset;
            if is_base64_symbol(c) || c == '=' {
                first_symbol.get_or_insert(at);
                symbols.push((at, c));
                count += 1;
            } else if c == ' ' || c == '\t' {
                continue;
            } else if fold_lookalike(c).is_some() {
                if !lookalike_seen {
                    lookalike_seen = true;
                    scan.findings.push(ScanFinding {
                        finding: Finding::LookalikeCharacters { character: c },
                        offset: at,
                        block: Some(block_index),
                        fix: Some(Fix::ReplaceLookalikeCharacters),
                    });
                }
            } else if problem.is_none() {
                problem = Some((at, Base64Problem::Character(c)));
            }
        }
        if let Some(first) = first_symbol {
            block.body_lines.push((first, count));
            widths.push(count);
        }
        next += 1;
    }
    if !block.terminated {
        if let Some(last) = lines.get(next.saturating_sub(1)) {
            block.end = last.start + last.text.len();
        }
        scan.findings.push(ScanFinding {
            finding: Finding::Unterminated { label: block.label.clone() },
            offset: begin_start,
            block: Some(block_index),
            fix: None,
        });
    }
    if problem.is_none() {
        match decode_base64(&symbols) {
            Ok(data) => block.data = Some(data),
            Err(found) => problem = Some(found),
        }
    }
    if let Some((offset, problem)) = problem {
        scan.findings.push(ScanFinding {
            finding: Finding::BadBase64 { problem },
            offset,
            block: Some(block_index),
            fix: None,
        });
    }
    let (last, rest) = widths.split_last().unwrap_or((&0, &[]));
    if !armor && block.data.is_some() && (rest.iter().any(|&w| w != 64) || *last > 64) {
        let width = widths.iter().copied().max().unwrap_or(0);
        scan.findings.push(ScanFinding {
            finding: Finding::LineWidth { width },
            offset: block.body_lines.first().map_or(begin_start, |l| l.0),
            block: Some(block_index),
            fix: Some(Fix::RewrapLines),
        });
    }
    scan.blocks.push(block);
    next
}

/// Runs pem-rfc7468 (the strict RFC 7468 decoder) over a block that decoded cleanly, and notes
/// what it refuses that the lenient scanner tolerated.
fn strict_check(text: &str, block_index: usize, scan: &mut Scan) {
    let already_noted = scan.findings.iter().any(|f| f.block == Some(block_index));
    let Some(block) = scan.blocks.get(block_index) else { return };
    let armor = ["PGP ", "SSH2 ", "OPENSSH "].iter().any(|p| block.label.starts_with(p));
    if already_noted || armor || block.data.is_none() || !block.headers.is_empty() {
        return;
    }
    let Some(raw) = text.get(block.start..block.end) else { return };
    // A block that is exactly the canonical encoding of its data (64 columns, LF, padded) is
    // what RFC 7468 describes: no need to decode it a second time (that was a tenth of the
    // whole check of a bundle).
    if let Some(data) = &block.data
        && encode_block(&block.label, data).strip_suffix('\n') == Some(raw)
    {
        return;
    }
    let candidate = format!("{}\n", raw.trim_start_matches('\u{FEFF}'));
    let verdict = match pem_rfc7468::decode_vec(candidate.as_bytes()) {
        Ok((label, data)) if label == block.label && Some(&data) == block.data.as_ref() => return,
        Ok(_) => "it decodes to different data".to_owned(),
        Err(error) => tolerated(raw).map_or_else(|| format!("pem-rfc7468: {error}"), str::to_owned),
    };
    scan.findings.push(ScanFinding {
        finding: Finding::NotStrict { reason: verdict },
        offset: block.start,
        block: Some(block_index),
        fix: Some(Fix::RewrapLines),
    });
}

/// The leniency a block needed, in words, when it is one certcheck can name.
fn tolerated(raw: &str) -> Option<&'static str> {
    let lines: Vec<&str> = raw.lines().map(|l| l.trim_end_matches('\r')).collect();
    if lines.iter().any(|l| l.starts_with([' ', '\t'])) {
        Some("its lines are indented, as in YAML or a config file")
    } else if lines.iter().any(|l| l.ends_with([' ', '\t'])) {
        Some("lines end in spaces or tabs")
    } else if lines.iter().any(|l| l.contains([' ', '\t'])) {
        Some("spaces or tabs stand inside the base64")
    } else {
        None
    }
}

/// Decodes base64 symbols; on failure, the offset and kind of the first problem.
pub(crate) fn decode_base64(symbols: &[(usize, char)]) -> Result<Vec<u8>, (usize, Base64Problem)> {
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    let mut accumulator: u32 = 0;
    let mut bits = 0;
    let mut padding = 0;
    for &(offset, c) in symbols {
        if c == '=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err((offset, Base64Problem::PaddingInside));
        }
        let value = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            'a'..='z' => u32::from(c) - u32::from('a') + 26,
            '0'..='9' => u32::from(c) - u32::from('0') + 52,
            '+' => 62,
            '/' => 63,
            other => return Err((offset, Base64Problem::Character(other))),
        };
        accumulator = (accumulator << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((accumulator >> bits) & 0xFF) as u8);
        }
    }
    let end = symbols.last().map_or(0, |&(offset, _)| offset + 1);
    if !symbols.len().is_multiple_of(4) || padding > 2 {
        return Err((end, Base64Problem::Truncated));
    }
    Ok(out)
}

/// Standard base64 with padding, wrapped at 64 columns (RFC 7468).
pub(crate) fn encode_base64_lines(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |index: u32| ALPHABET.get((index & 0x3F) as usize).copied().unwrap_or(b'A');
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4 + data.len() / 48 + 1);
    let mut column = 0;
    for chunk in data.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let group = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        out.push(symbol(group >> 18));
        out.push(symbol(group >> 12));
        out.push(if chunk.len() > 1 { symbol(group >> 6) } else { b'=' });
        out.push(if chunk.len() > 2 { symbol(group) } else { b'=' });
        column += 4;
        if column == 64 {
            out.push(b'\n');
            column = 0;
        }
    }
    if column != 0 || data.is_empty() {
        out.push(b'\n');
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A whole PEM block for `label` around `data`.
pub(crate) fn encode_block(label: &str, data: &[u8]) -> String {
    format!("-----BEGIN {label}-----\n{}-----END {label}-----\n", encode_base64_lines(data))
}

/// A block with RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) and the blank line
/// after them; without headers, the same as [`encode_block`].
pub(crate) fn encode_block_with_headers(label: &str, headers: &[(String, String)], data: &[u8]) -> String {
    if headers.is_empty() {
        return encode_block(label, data);
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&encode_base64_lines(data));
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbols(text: &str) -> Vec<(usize, char)> {
        text.char_indices().collect()
    }

    #[test]
    fn base64_round_trip() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            let encoded = encode_base64_lines(data);
            let decoded = decode_base64(&symbols(encoded.trim_end())).unwrap();
            assert_eq!(decoded, data);
        }
        assert_eq!(encode_base64_lines(b"foobar"), "Zm9vYmFy\n");
    }

    #[test]
    fn base64_wraps_at_64_columns() {
        assert_eq!(encode_base64_lines(&[0; 48]), format!("{}\n", "A".repeat(64)));
        assert_eq!(encode_base64_lines(&[0; 49]), format!("{}\nAA==\n", "A".repeat(64)));
        assert_eq!(encode_base64_lines(&[]), "\n");
    }

    #[test]
    fn base64_problems_have_offsets() {
        assert_eq!(decode_base64(&symbols("Zm9=vYmFy")), Err((4, Base64Problem::PaddingInside)));
        assert_eq!(decode_base64(&symbols("Zm9vY")), Err((5, Base64Problem::Truncated)));
    }

    #[test]
    fn scans_blocks_text_and_problems() {
        let text = "hello\n-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n-----BEGIN X-----\nZm*v\n";
        let scan = scan(text);
        assert_eq!(scan.blocks.len(), 2);
        assert_eq!(scan.blocks[0].data.as_deref(), Some(&b"foo"[..]));
        assert_eq!(scan.outside.len(), 1);
        let codes: Vec<_> = scan.findings.iter().map(|f| (f.finding.code(), f.offset)).collect();
        assert_eq!(codes, [("pem.unterminated", 65), ("pem.bad_base64", 85)]);
    }

    #[test]
    fn folds_lookalike_dashes() {
        let scan = scan("\u{2013}----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n");
        assert_eq!(scan.blocks[0].label, "CERTIFICATE");
        assert_eq!(scan.findings[0].finding, Finding::LookalikeCharacters { character: '\u{2013}' });
    }
}
