//! The PEM block scanner: every block with its position, lenient recovery, and a note of each
//! thing it tolerated (RFC 7468; RFC 1421 headers; PGP armor checksums).

use crate::diagnostic::{Base64Problem, Finding};
use crate::fix::Fix;
use std::borrow::Cow;

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
    /// The block is exactly the RFC 7468 encoding of its data (64 columns, LF, canonical
    /// padding, no headers): what re-encoding would write.
    pub(crate) canonical: bool,
    /// Every body line held base64 symbols only, LF-terminated, with nothing between them (no
    /// headers, blank lines, spaces, look-alikes): the precondition of `canonical`.
    clean: bool,
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
    /// The line ended in CR LF (the CR is not part of `text`).
    crlf: bool,
}

#[derive(Debug)]
enum Marker {
    Begin(String),
    End(String),
}

/// Recognises `-----BEGIN LABEL-----` / `-----END LABEL-----` (also `---- BEGIN SSH2 … ----`),
/// after folding lookalike characters. Returns the marker and the first lookalike's offset.
#[inline]
fn marker(line: &Line<'_>) -> Option<(Marker, Option<(usize, char)>)> {
    // Fast path for base64 and text lines, inlined where lines are scanned: a marker starts
    // (after blanks) with a dash or a non-ASCII look-alike of one (or a zero-width character
    // before it), so a line that starts with any other visible ASCII character is none.
    match line.text.as_bytes().first() {
        Some(&first) if first.is_ascii_graphic() && first != b'-' => None,
        _ => marker_line(line),
    }
}

/// [`marker`] for a line that may be one.
fn marker_line(line: &Line<'_>) -> Option<(Marker, Option<(usize, char)>)> {
    let first = line.text.bytes().find(|b| !b.is_ascii_whitespace())?;
    if first != b'-' && first.is_ascii() {
        return None;
    }
    if !line.text.bytes().any(|b| b == b'-' || !b.is_ascii()) {
        return None;
    }
    // ASCII without NUL has nothing to fold (every look-alike is non-ASCII or NUL): read it as
    // it stands, which is every marker a tool writes.
    let folded = if line.text.is_ascii() && !line.text.as_bytes().contains(&0) {
        Cow::Borrowed(line.text)
    } else {
        if !line.text.contains("BEGIN") && !line.text.contains("END") {
            return None;
        }
        Cow::Owned(fold_line(line))
    };
    let lookalike = match folded {
        Cow::Borrowed(_) => None,
        Cow::Owned(_) => first_lookalike(line),
    };
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

/// The line with look-alike characters folded to ASCII (or dropped).
fn fold_line(line: &Line<'_>) -> String {
    let mut folded = String::with_capacity(line.text.len());
    for c in line.text.chars() {
        match fold_lookalike(c) {
            Some(replacement) => folded.extend(replacement),
            None => folded.push(c),
        }
    }
    folded
}

/// The first look-alike character of the line and its offset (a byte-order mark at the very
/// start of the input is not one: it is reported on its own).
fn first_lookalike(line: &Line<'_>) -> Option<(usize, char)> {
    line.text
        .char_indices()
        .find(|&(index, c)| fold_lookalike(c).is_some() && !(c == '\u{FEFF}' && line.start + index == 0))
        .map(|(index, c)| (line.start + index, c))
}

/// `text.trim()`, answered without decoding characters when the line starts and ends with
/// visible ASCII (every base64 line does).
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

fn is_base64_symbol(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/'
}

/// Scans the whole text.
pub(crate) fn scan(text: &str) -> Scan {
    let mut scan = Scan::default();
    // One pass over the bytes finds every line feed (memchr: SIMD where the target has it).
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 65 + 1);
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).map(|at| at + 1).chain((!bytes.is_empty()).then_some(bytes.len()));
    for end in ends {
        if end <= start {
            continue;
        }
        let Some(raw) = text.get(start..end) else { break };
        let without_lf = raw.strip_suffix('\n').unwrap_or(raw);
        let (content, crlf) = match without_lf.strip_suffix('\r') {
            Some(content) => {
                scan.crlf_at.get_or_insert(start + content.len());
                (content, true)
            }
            None => (without_lf, false),
        };
        lines.push(Line { start, text: content, crlf });
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
        canonical: false,
        clean: true,
    };
    // Room for what the block's lines can hold (up to the next marker-like line): one
    // allocation of about the right size, not one sized by the rest of the input.
    let (body_lines, symbols) = lines
        .get(begin + 1..)
        .unwrap_or_default()
        .iter()
        .take_while(|line| !line.text.as_bytes().trim_ascii_start().starts_with(b"-----"))
        .fold((0, 0), |(count, symbols), line| (count + 1, symbols + line.text.len()));
    block.body_lines.reserve_exact(body_lines);
    let mut decoder = Base64::with_capacity(symbols / 4 * 3 + 3);
    let mut problem: Option<(usize, Base64Problem)> = None;
    let mut lookalike_seen = false;
    let mut in_headers = true;
    let mut next = begin + 1;
    if lines.get(begin).is_some_and(|line| line.crlf) {
        block.clean = false;
    }
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
                    block.clean &= !line.crlf;
                    next += 1;
                }
                Marker::Begin(_) => {}
            }
            break;
        }
        let trimmed = trim(line.text);
        if in_headers && decoder.symbols == 0 {
            if let Some((name, value)) = trimmed.split_once(':')
                && !name.is_empty()
                && !name.contains(' ')
            {
                block.headers.push((name.to_owned(), value.trim().to_owned()));
                block.clean = false;
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
            block.clean = false;
            next += 1;
            continue;
        }
        in_headers = false;
        if armor && trimmed.starts_with('=') && trimmed.len() == 5 {
            block.clean = false;
            next += 1; // PGP armor checksum line.
            continue;
        }
        let bytes = line.text.as_bytes();
        // Fast path: a line of nothing but base64 symbols (and padding), as every clean block has.
        if !bytes.is_empty() && decoder.push_line(line.start, bytes) {
            block.body_lines.push((line.start, bytes.len()));
            block.clean &= !line.crlf;
            next += 1;
            continue;
        }
        block.clean = false;
        let mut count = 0;
        let mut first_symbol = None;
        for (offset, c) in line.text.char_indices() {
            let at = line.start + offset;
            if is_base64_symbol(c) || c == '=' {
                first_symbol.get_or_insert(at);
                let mut buffer = [0u8; 4];
                decoder.push_symbols(at, c.encode_utf8(&mut buffer).as_bytes());
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
        match decoder.finish() {
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
    let (last, rest) = block.body_lines.split_last().map_or((0, &[][..]), |(&(_, last), rest)| (last, rest));
    if !armor && block.data.is_some() && (rest.iter().any(|&(_, width)| width != 64) || last > 64) {
        let width = block.body_lines.iter().map(|&(_, width)| width).max().unwrap_or(0);
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
    let Some(block) = scan.blocks.get_mut(block_index) else { return };
    let armor = ["PGP ", "SSH2 ", "OPENSSH "].iter().any(|p| block.label.starts_with(p));
    if already_noted || armor || block.data.is_none() || !block.headers.is_empty() {
        return;
    }
    let Some(raw) = text.get(block.start..block.end) else { return };
    // A block that is exactly the canonical encoding of its data (64 columns, LF, padded) is
    // what RFC 7468 describes: no need to decode it a second time (that was a tenth of the
    // whole check of a bundle), and the normalized PEM can copy it.
    if let Some(data) = &block.data
        && block.clean
        && is_canonical(raw, &block.label, data, &block.body_lines)
    {
        block.canonical = true;
        return;
    }
    let block = &*block;
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

/// Whether `raw` (BEGIN line to the end of the END line) of a clean block (see [`Block`]) is
/// exactly `encode_block(label, data)` without its final line feed, decided without encoding:
/// the armor lines match, every body line but the last holds 64 symbols and the last 1 to 64,
/// the symbol count is the encoding's, and the last group is the canonical one (its unused bits
/// zero, its padding exact). Every symbol decoded into `data` already, and a full group of four
/// symbols has one encoding, so nothing else can differ.
fn is_canonical(raw: &str, label: &str, data: &[u8], lines: &[(usize, usize)]) -> bool {
    let Some(body) = raw
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.strip_prefix(label))
        .and_then(|rest| rest.strip_prefix("-----\n"))
        .and_then(|rest| rest.strip_suffix("-----"))
        .and_then(|rest| rest.strip_suffix(label))
        .and_then(|rest| rest.strip_suffix("-----END "))
    else {
        return false;
    };
    let symbols = data.len().div_ceil(3) * 4;
    let (Some((&(_, last), full)), false) = (lines.split_last(), data.is_empty()) else { return false };
    let widths_right = full.iter().all(|&(_, width)| width == 64) && (1..=64).contains(&last);
    let sum: usize = lines.iter().map(|&(_, width)| width).sum();
    if !widths_right || sum != symbols || body.len() != symbols + lines.len() {
        return false;
    }
    // The last group: its symbols must be what encoding the last one to three bytes writes.
    let tail = match data.len() % 3 {
        0 => 3,
        short => short,
    };
    let bytes = body.as_bytes();
    let last_group = bytes.len().checked_sub(5).and_then(|start| bytes.get(start..bytes.len() - 1));
    let expected = encode_base64_lines(data.get(data.len() - tail..).unwrap_or_default());
    last_group.is_some_and(|group| expected.as_bytes().get(..4) == Some(group))
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

/// The value of each byte as a base64 symbol: 0–63, [`PAD`] for `=`, [`NOT_BASE64`] otherwise.
// Indexing in a constant is checked when the crate builds: it cannot fail at run time.
#[allow(clippy::indexing_slicing)]
const BASE64_VALUES: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut index = 0;
    while index < 64 {
        table[alphabet[index] as usize] = index as u8;
        index += 1;
    }
    table[b'=' as usize] = PAD;
    table
};
const PAD: u8 = 64;
const NOT_BASE64: u8 = 255;

/// The 24 bits of a group of four symbols; above them, bits set for padding or a non-symbol.
fn group_bits_of(&[a, b, c, d]: &[u8; 4]) -> u32 {
    let [first, second, third, fourth] = &GROUP_BITS;
    let bits_of = |table: &[u32; 256], byte: u8| table.get(usize::from(byte)).copied().unwrap_or(u32::MAX);
    bits_of(first, a) | bits_of(second, b) | bits_of(third, c) | bits_of(fourth, d)
}

/// A full line of 64 symbols, as every canonical PEM line is: all sixteen groups without a
/// branch, one check at the end (a constant trip count the compiler unrolls). `false` if any
/// group held padding or a non-symbol (`out` is then meaningless).
fn decode_full_line(groups: &[[u8; 4]; 16], out: &mut [[u8; 3]; 16]) -> bool {
    let mut flags = 0;
    for (group, out) in groups.iter().zip(out.iter_mut()) {
        let bits = group_bits_of(group);
        flags |= bits;
        *out = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
    }
    flags <= 0x00FF_FFFF
}

/// Decodes groups until the first one that holds padding or a non-symbol; how many were.
fn decode_until_no_symbol(groups: &[[u8; 4]], out: &mut [[u8; 3]; 16]) -> usize {
    let mut decoded = 0;
    for (group, out) in groups.iter().zip(out.iter_mut()) {
        let bits = group_bits_of(group);
        if bits > 0x00FF_FFFF {
            break; // padding or no symbol: the per-symbol path decides
        }
        *out = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        decoded += 1;
    }
    decoded
}

/// [`BASE64_VALUES`] already shifted to each symbol's place in a group of four (18, 12, 6, 0
/// bits), padding and non-symbols as bits above the 24 a group decodes to: a group is four
/// loads, three ORs and one comparison.
static GROUP_BITS: [[u32; 256]; 4] = [group_bits(18), group_bits(12), group_bits(6), group_bits(0)];

// Evaluated at compile time: an index out of range would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn group_bits(shift: u32) -> [u32; 256] {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let value = BASE64_VALUES[byte];
        table[byte] = if value < 64 { (value as u32) << shift } else { 0xFF00_0000 };
        byte += 1;
    }
    table
}

/// A streaming base64 decoder over symbols that arrive line by line, remembering the offset of
/// the first problem.
struct Base64 {
    out: Vec<u8>,
    accumulator: u32,
    bits: u32,
    /// Symbols seen (padding included).
    symbols: usize,
    /// `=` seen so far.
    padding: usize,
    /// Just past the last symbol.
    end: usize,
    problem: Option<(usize, Base64Problem)>,
}

impl Base64 {
    fn with_capacity(bytes: usize) -> Self {
        Self { out: Vec::with_capacity(bytes), accumulator: 0, bits: 0, symbols: 0, padding: 0, end: 0, problem: None }
    }

    /// Decodes `symbols`, the first of which stands at text offset `start`.
    fn push_symbols(&mut self, start: usize, symbols: &[u8]) {
        if self.problem.is_some() {
            return;
        }
        for (index, &byte) in symbols.iter().enumerate() {
            let value = BASE64_VALUES.get(usize::from(byte)).copied().unwrap_or(NOT_BASE64);
            if value == PAD {
                self.padding += 1;
                continue;
            }
            if self.padding > 0 {
                self.problem = Some((start + index, Base64Problem::PaddingInside));
                return;
            }
            if value == NOT_BASE64 {
                self.problem = Some((start + index, Base64Problem::Character(char::from(byte))));
                return;
            }
            self.accumulator = (self.accumulator << 6) | u32::from(value);
            self.bits += 6;
            if self.bits >= 8 {
                self.bits -= 8;
                self.out.push((self.accumulator >> self.bits) as u8);
            }
        }
        self.symbols += symbols.len();
        self.end = start + symbols.len();
    }

    /// Decodes a whole line if it holds base64 symbols (and padding) only: groups of four at a
    /// time while aligned. Returns `false`, with nothing consumed, at the first byte that is no
    /// symbol (the caller then reads the line character by character).
    fn push_line(&mut self, start: usize, line: &[u8]) -> bool {
        let value = |byte: u8| BASE64_VALUES.get(usize::from(byte)).copied().unwrap_or(NOT_BASE64);
        let saved = (self.out.len(), self.accumulator, self.bits, self.symbols, self.padding, self.end);
        let mut done = 0;
        if self.bits == 0 && self.padding == 0 && self.problem.is_none() {
            // Up to 64 symbols at a time into a buffer on the stack, then one copy.
            for piece in line.chunks(64) {
                // Fixed-size groups (as_chunks): no bounds checks and no iterator state per symbol.
                let (groups, _) = piece.as_chunks::<4>();
                let mut buffer = [[0u8; 3]; 16];
                let decoded = match <&[[u8; 4]; 16]>::try_from(groups) {
                    Ok(full) if decode_full_line(full, &mut buffer) => 16,
                    _ => decode_until_no_symbol(groups, &mut buffer),
                };
                let filled = decoded * 3;
                self.out.extend_from_slice(buffer.as_flattened().get(..filled).unwrap_or_default());
                done += decoded * 4;
                if decoded * 4 < piece.len() {
                    break;
                }
            }
            self.symbols += done;
            self.end = start + done;
        }
        let rest = line.get(done..).unwrap_or_default();
        if rest.iter().any(|&b| value(b) == NOT_BASE64) {
            // Not a clean line: undo and let the caller read it character by character.
            let (length, accumulator, bits, symbols, padding, end) = saved;
            self.out.truncate(length);
            (self.accumulator, self.bits, self.symbols, self.padding, self.end) =
                (accumulator, bits, symbols, padding, end);
            return false;
        }
        if !rest.is_empty() {
            self.push_symbols(start + done, rest);
        }
        true
    }

    /// The bytes, or the first problem.
    fn finish(self) -> Result<Vec<u8>, (usize, Base64Problem)> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        if !self.symbols.is_multiple_of(4) || self.padding > 2 {
            return Err((self.end, Base64Problem::Truncated));
        }
        Ok(self.out)
    }
}

/// Decodes base64 symbols; on failure, the offset and kind of the first problem.
pub(crate) fn decode_base64(symbols: &[(usize, char)]) -> Result<Vec<u8>, (usize, Base64Problem)> {
    let mut decoder = Base64::with_capacity(symbols.len() / 4 * 3);
    for &(offset, c) in symbols {
        if !c.is_ascii() {
            return Err((offset, Base64Problem::Character(c)));
        }
        let mut buffer = [0u8; 4];
        decoder.push_symbols(offset, c.encode_utf8(&mut buffer).as_bytes());
    }
    decoder.finish()
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
/// What a PEM label says a block holds, with the spellings in use folded together (OpenSSL's
/// `X509 CERTIFICATE`, `NEW CERTIFICATE REQUEST`, `PKCS #7 SIGNED DATA` …). The label as written
/// stays on the block for messages; decisions match on this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    Certificate,
    Pkcs7,
    CertificateRequest,
    PublicKey,
    Pkcs12,
    /// `PRIVATE KEY` (PKCS#8).
    PrivateKey,
    RsaPrivateKey,
    EcPrivateKey,
    DsaPrivateKey,
    EncryptedPrivateKey,
    OpenSshPrivateKey,
    PgpPrivateKey,
    Ssh2EncryptedPrivateKey,
    /// Another label naming a private key (`ENCRYPTED` in it or not).
    OtherPrivateKey {
        encrypted: bool,
    },
    Other,
}

impl Label {
    /// The label of a block as written.
    pub(crate) fn of(text: &str) -> Self {
        match text {
            "CERTIFICATE" | "X509 CERTIFICATE" | "X.509 CERTIFICATE" => Self::Certificate,
            "PKCS7" | "PKCS #7 SIGNED DATA" | "CMS" => Self::Pkcs7,
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Self::CertificateRequest,
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "EC PUBLIC KEY" | "SSH2 PUBLIC KEY" => Self::PublicKey,
            "PKCS12" => Self::Pkcs12,
            "PRIVATE KEY" => Self::PrivateKey,
            "RSA PRIVATE KEY" => Self::RsaPrivateKey,
            "EC PRIVATE KEY" => Self::EcPrivateKey,
            "DSA PRIVATE KEY" => Self::DsaPrivateKey,
            "ENCRYPTED PRIVATE KEY" => Self::EncryptedPrivateKey,
            "OPENSSH PRIVATE KEY" => Self::OpenSshPrivateKey,
            "PGP PRIVATE KEY BLOCK" => Self::PgpPrivateKey,
            "SSH2 ENCRYPTED PRIVATE KEY" => Self::Ssh2EncryptedPrivateKey,
            other if other.contains("PRIVATE KEY") => Self::OtherPrivateKey { encrypted: other.contains("ENCRYPTED") },
            _ => Self::Other,
        }
    }

    /// The label certcheck writes for what it re-armors.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Self::Certificate => "CERTIFICATE",
            Self::Pkcs7 => "PKCS7",
            Self::CertificateRequest => "CERTIFICATE REQUEST",
            Self::PublicKey => "PUBLIC KEY",
            Self::Pkcs12 => "PKCS12",
            Self::PrivateKey | Self::OtherPrivateKey { .. } | Self::Other => "PRIVATE KEY",
            Self::RsaPrivateKey => "RSA PRIVATE KEY",
            Self::EcPrivateKey => "EC PRIVATE KEY",
            Self::DsaPrivateKey => "DSA PRIVATE KEY",
            Self::EncryptedPrivateKey => "ENCRYPTED PRIVATE KEY",
            Self::OpenSshPrivateKey => "OPENSSH PRIVATE KEY",
            Self::PgpPrivateKey => "PGP PRIVATE KEY BLOCK",
            Self::Ssh2EncryptedPrivateKey => "SSH2 ENCRYPTED PRIVATE KEY",
        }
    }
}

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

    #[test]
    fn shortcuts_answer_what_the_general_paths_answer() {
        let texts = [
            "MIIB",
            " MIIB",
            "MIIB\t",
            "\u{a0}MIIB\u{a0}",
            "\u{2003}x",
            "",
            " ",
            "-----BEGIN CERTIFICATE-----",
            "  -----END CERTIFICATE-----  ",
            "\u{2014}\u{2014}---BEGIN X-----",
            "\u{feff}-----BEGIN X-----",
            "# SHA256 Fingerprint: 00",
            "=AbCd",
            "x-----BEGIN X-----",
        ];
        for (index, text) in texts.into_iter().enumerate() {
            assert_eq!(trim(text), text.trim(), "{text:?}");
            let line = Line { start: index, text, crlf: false };
            let fast = marker(&line).map(|(found, lookalike)| (format!("{found:?}"), lookalike));
            let general = marker_line(&line).map(|(found, lookalike)| (format!("{found:?}"), lookalike));
            assert_eq!(fast, general, "{text:?}");
        }
    }

    #[test]
    fn whole_lines_decode_as_symbols_do_and_a_bad_symbol_consumes_nothing() {
        let data: Vec<u8> = (0..=255u8).cycle().take(301).collect();
        let text = encode_base64_lines(&data);
        let mut decoder = Base64::with_capacity(data.len());
        let mut offset = 0;
        for line in text.lines() {
            assert!(decoder.push_line(offset, line.as_bytes()), "{line}");
            offset += line.len() + 1;
        }
        assert_eq!(decoder.finish().ok(), Some(data));
        let first = text.lines().next().unwrap_or_default().as_bytes().to_vec();
        assert_eq!(first.len(), 64);
        for at in 0..64 {
            for bad in [b'*', b' ', b'-', 0xC3] {
                let mut line = first.clone();
                line[at] = bad;
                let mut decoder = Base64::with_capacity(48);
                assert!(!decoder.push_line(0, &line), "{at} {bad}");
                assert!(decoder.out.is_empty() && decoder.symbols == 0, "{at} {bad}");
            }
        }
    }

    /// `is_canonical` answers exactly "is this what `encode_block` writes", without encoding.
    #[test]
    fn canonical_blocks_are_recognised_without_encoding() {
        for length in 1..200usize {
            let data: Vec<u8> = (0..length).map(|i| (i * 37 + 11) as u8).collect();
            let canonical = |text: &str| scan(text).blocks.first().is_some_and(|b| b.canonical);
            let block = encode_block("CERTIFICATE", &data);
            let raw = block.strip_suffix('\n').unwrap_or(&block);
            assert!(canonical(raw), "{length}");
            assert!(canonical(&block), "{length}");
            assert!(
                !canonical(&encode_block("X509 CERTIFICATE", &data).replacen("X509 CERTIFICATE", "CERTIFICATE", 1)),
                "{length}"
            );
            assert!(!canonical(&raw.replacen('\n', "\r\n", 2)), "{length}");
            assert!(!canonical(&raw.replacen('\n', "\n\n", 2)), "{length}");
            if length > 0 {
                // The same bytes with the last group's unused bits set, and rewrapped at 76.
                let body_end = raw.len() - "\n-----END CERTIFICATE-----".len();
                if length % 3 != 0 {
                    let (head, tail) = raw.split_at(body_end);
                    let mut head = head.to_owned();
                    let padding = head.chars().rev().take_while(|&c| c == '=').count();
                    let at = head.len() - padding - 1;
                    // Flip the lowest bit of its value: an unused bit, so the data stays the same.
                    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                    let value = alphabet.iter().position(|&c| c == head.as_bytes()[at]).unwrap_or(0);
                    let twin = char::from(alphabet[value ^ 1]);
                    head.replace_range(at..=at, &twin.to_string());
                    let decoded = scan(&format!("{head}{tail}")).blocks.first().and_then(|b| b.data.clone());
                    assert_eq!(decoded.as_deref(), Some(data.as_slice()), "{length}");
                    assert!(!canonical(&format!("{head}{tail}")), "{length}");
                }
                if length > 60 {
                    let body: String = raw[28..body_end].chars().filter(|&c| c != '\n').collect();
                    let wide: Vec<String> =
                        body.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
                    let rewrapped =
                        format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----", wide.join("\n"));
                    assert!(!canonical(&rewrapped), "{length}");
                }
            }
        }
    }

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
