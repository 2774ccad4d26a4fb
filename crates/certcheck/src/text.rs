//! Turning input bytes into text with positions: encodings, byte-order marks, line index, and
//! undoing JSON/shell escaping while remembering where each character came from.

use std::borrow::Cow;

/// The input decoded as text, with a line index for 1-based line/column positions.
#[derive(Debug)]
pub(crate) struct SourceText<'a> {
    /// The text; a leading byte-order mark is kept as U+FEFF so positions stay true. Borrowed
    /// from the input when it is UTF-8 already (no copy of a large bundle).
    pub(crate) text: Cow<'a, str>,
    /// The encoding a byte-order mark announced, if there was one.
    pub(crate) bom: Option<&'static str>,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub(crate) fn new(text: Cow<'a, str>, bom: Option<&'static str>) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 64 + 2);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { text, bom, line_starts }
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (to_u32(line), to_u32(column))
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// What the input bytes are, at the coarsest level.
#[derive(Debug)]
pub(crate) enum Decoded<'a> {
    /// Text (possibly with a BOM, possibly UTF-16).
    Text(SourceText<'a>),
    /// Bytes that are not text.
    Binary,
}

/// Decides whether the bytes are text and decodes them.
pub(crate) fn decode(input: &[u8]) -> Decoded<'_> {
    if let Some(rest) = input.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = format!("\u{FEFF}{}", String::from_utf8_lossy(rest));
        return Decoded::Text(SourceText::new(Cow::Owned(text), Some("UTF-8")));
    }
    for (mark, little_endian, name) in [([0xFF, 0xFE], true, "UTF-16LE"), ([0xFE, 0xFF], false, "UTF-16BE")] {
        if let Some(rest) = input.strip_prefix(&mark) {
            let units = rest.chunks(2).map(|pair| match (pair.first(), pair.get(1)) {
                (Some(&a), Some(&b)) if little_endian => u16::from_le_bytes([a, b]),
                (Some(&a), Some(&b)) => u16::from_be_bytes([a, b]),
                _ => 0xFFFD,
            });
            let mut text = String::from("\u{FEFF}");
            text.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
            return Decoded::Text(SourceText::new(Cow::Owned(text), Some(name)));
        }
    }
    let mentions_pem = contains(input, b"BEGIN");
    if !mentions_pem && looks_like_der(input) {
        return Decoded::Binary;
    }
    match core::str::from_utf8(input) {
        Ok(text) if mentions_pem || !is_mostly_control(input) => {
            Decoded::Text(SourceText::new(Cow::Borrowed(text), None))
        }
        Err(_) if mentions_pem => Decoded::Text(SourceText::new(String::from_utf8_lossy(input), None)),
        _ => Decoded::Binary,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    // The needle's first byte by memchr, then a comparison (memmem would be 3 KB of wasm for a
    // search that runs once per input).
    let Some(&first) = needle.first() else { return true };
    memchr::memchr_iter(first, haystack).any(|at| haystack.get(at..).is_some_and(|rest| rest.starts_with(needle)))
}

fn looks_like_der(input: &[u8]) -> bool {
    input.first() == Some(&0x30) && crate::der_walk::Tlv::parse_exact(input).is_some()
}

fn is_mostly_control(input: &[u8]) -> bool {
    let control = input.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    control > 0 && control * 100 >= input.len().max(1)
}

/// Maps offsets in a transformed text back to the source text.
#[derive(Debug, Default)]
pub(crate) struct OffsetMap {
    /// `(offset in transformed text, offset in source)` at each point where they diverge.
    segments: Vec<(usize, usize)>,
}

impl OffsetMap {
    pub(crate) fn to_source(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|&(prepared, _)| prepared <= offset);
        match index.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(prepared, source)) => source + (offset - prepared),
            None => offset,
        }
    }
}

/// The text the PEM scanner reads, after undoing escapes, and how to find the original spot.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) text: String,
    pub(crate) map: OffsetMap,
}

/// Where literal `\n` escapes were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Escapes {
    /// Source offset of the first escape.
    pub(crate) first: usize,
    /// The whole text was wrapped in double quotes (a JSON string).
    pub(crate) quoted: bool,
}

/// Detects JSON- or shell-escaped PEM (literal `\n`, `\\n`, `\r\n`, optional surrounding quotes).
pub(crate) fn find_escapes(text: &str) -> Option<Escapes> {
    // memchr for the backslash first: most inputs have none, and the substring searches below
    // cost a dozen instructions per byte.
    if !text.contains('\\') || !text.contains("BEGIN") {
        return None;
    }
    // Backslashes found by memchr, then the letter after each (a substring search costs a dozen
    // instructions per byte of a bundle whose names happen to hold a backslash).
    let escape = |letter: u8| {
        text.match_indices('\\').map(|(at, _)| at).find(|&at| text.as_bytes().get(at + 1) == Some(&letter))
    };
    let first = escape(b'n').or_else(|| escape(b'r'))?;
    // Only when the escapes stand where line breaks belong: right after a BEGIN line's dashes
    // or inside a block, not in a prose sentence that happens to mention "\n".
    let dashes_then_escape = text.contains("-----\\n") || text.contains("-----\\\\n") || text.contains("-----\\r");
    if !dashes_then_escape {
        return None;
    }
    // Step back over the run of backslashes so `\\n` points at its first backslash.
    let start = text.get(..first).map_or(first, |before| first - (before.len() - before.trim_end_matches('\\').len()));
    Some(Escapes { first: start, quoted: quote_prefix(text.trim()).is_some() })
}

/// The length of the opening quote when the whole text is one quoted string: JSON `"…"`,
/// shell `'…'` or bash `$'…'`.
fn quote_prefix(trimmed: &str) -> Option<usize> {
    let opening = ["\"", "$'", "'"].into_iter().find(|q| trimmed.starts_with(q))?;
    let closing = if opening == "\"" { '"' } else { '\'' };
    (trimmed.len() > opening.len() && trimmed.ends_with(closing)).then_some(opening.len())
}

/// Undoes escaping: `\n` (any number of leading backslashes) becomes a newline, `\r` goes,
/// `\t` becomes a tab, `\"` and `\/` their character; surrounding quotes are dropped.
pub(crate) fn unescape(text: &str, escapes: Escapes) -> Prepared {
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::default();
    let trimmed = text.trim();
    let (body, body_start) = if let Some(opening) = quote_prefix(trimmed).filter(|_| escapes.quoted) {
        let leading = text.len() - text.trim_start().len();
        let inner = trimmed.get(opening..trimmed.len() - 1).unwrap_or("");
        (inner, leading + opening)
    } else {
        (text, 0)
    };
    if body_start > 0 {
        map.segments.push((0, body_start));
    }
    let mut chars = body.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut run_end = index + 1;
        while let Some(&(next_index, '\\')) = chars.peek() {
            run_end = next_index + 1;
            chars.next();
        }
        let replacement = match chars.peek() {
            Some(&(_, 'n')) => Some("\n"),
            Some(&(_, 'r')) => Some(""),
            Some(&(_, 't')) => Some("\t"),
            Some(&(_, '"')) => Some("\""),
            Some(&(_, '/')) => Some("/"),
            _ => None,
        };
        match replacement {
            Some(replacement) => {
                chars.next();
                out.push_str(replacement);
                map.segments.push((out.len(), body_start + run_end + 1));
            }
            None => out.push_str(body.get(index..run_end).unwrap_or("\\")),
        }
    }
    Prepared { text: out, map }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let source = SourceText::new("ab\nc\u{2013}d\n".into(), None);
        assert_eq!(source.position(0), (1, 1));
        assert_eq!(source.position(3), (2, 1));
        assert_eq!(source.position(7), (2, 3));
    }

    #[test]
    fn unescapes_and_maps_back() {
        let text = r#""-----BEGIN X-----\nAB\\nCD\n""#;
        let escapes = find_escapes(text).unwrap();
        assert!(escapes.quoted);
        assert_eq!(escapes.first, 18);
        let prepared = unescape(text, escapes);
        assert_eq!(prepared.text, "-----BEGIN X-----\nAB\nCD\n");
        let c_offset = prepared.text.find('C').unwrap();
        assert_eq!(&text[prepared.map.to_source(c_offset)..][..2], "CD");
        assert_eq!(prepared.map.to_source(0), 1);
    }

    #[test]
    fn bash_dollar_quotes_are_dropped() {
        let text = "$'-----BEGIN X-----\\nAA==\\n-----END X-----'";
        let escapes = find_escapes(text).unwrap();
        assert!(escapes.quoted);
        assert_eq!(unescape(text, escapes).text, "-----BEGIN X-----\nAA==\n-----END X-----");
    }

    #[test]
    fn prose_with_backslash_n_is_not_escaped_pem() {
        assert_eq!(find_escapes("use \\n to split\n-----BEGIN X-----\nAA==\n-----END X-----\n"), None);
    }

    #[test]
    fn sniffs_binary_and_utf16() {
        assert!(matches!(decode(&[0x30, 0x03, 0x02, 0x01, 0x00]), Decoded::Binary));
        assert!(matches!(decode(&[0x00, 0x01, 0x02, 0xFF]), Decoded::Binary));
        let Decoded::Text(text) = decode(&[0xFF, 0xFE, b'h', 0, b'i', 0]) else { panic!() };
        assert_eq!(text.text, "\u{FEFF}hi");
        assert_eq!(text.bom, Some("UTF-16LE"));
    }
}
