//! A tiny, panic-free DER/BER TLV reader for sniffing content and reading key structures.
//!
//! x509-cert does the real certificate parsing; this reader only answers "what is this blob"
//! and pulls integers out of private keys, keeping byte offsets for messages.

/// ASN.1 universal tags used while sniffing.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const CONTEXT_0: u8 = 0xA0;
    pub(crate) const CONTEXT_1: u8 = 0xA1;
    pub(crate) const CONTEXT_3: u8 = 0xA3;
}

/// One tag-length-value element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The single identifier octet (multi-octet tags are not supported and end the walk).
    pub(crate) tag: u8,
    /// Offset of the identifier octet from the start of the outermost buffer.
    pub(crate) offset: usize,
    /// The whole encoding, header included.
    pub(crate) raw: &'a [u8],
    /// The contents octets.
    pub(crate) value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Reads exactly one element spanning all of `data`.
    pub(crate) fn parse_exact(data: &'a [u8]) -> Option<Self> {
        let mut reader = Reader::new(data);
        let tlv = reader.next()?;
        reader.is_empty().then_some(tlv)
    }

    /// A reader over the contents (for constructed types).
    pub(crate) fn children(&self) -> Reader<'a> {
        Reader { data: self.value, position: 0, base: self.offset + (self.raw.len() - self.value.len()) }
    }

    /// All children, or `None` if the contents are not a clean sequence of elements.
    pub(crate) fn child_list(&self) -> Option<Vec<Tlv<'a>>> {
        // Headers are cheap to read twice; one allocation of the exact size is not.
        let mut counter = self.children();
        let mut count = 0;
        while !counter.is_empty() {
            counter.next()?;
            count += 1;
        }
        let mut list = Vec::with_capacity(count);
        let mut reader = self.children();
        while let Some(child) = reader.next() {
            list.push(child);
        }
        Some(list)
    }

    /// The first `N` children (`None` past the last) of a clean sequence of elements: what
    /// `child_list` would give as its first `N`, without allocating.
    pub(crate) fn first_children<const N: usize>(&self) -> Option<[Option<Tlv<'a>>; N]> {
        let mut first = [None; N];
        let mut reader = self.children();
        let mut slots = first.iter_mut();
        while !reader.is_empty() {
            let child = reader.next()?;
            if let Some(slot) = slots.next() {
                *slot = Some(child);
            }
        }
        Some(first)
    }

    /// The first two children of a clean sequence of at least two elements (what `child_list`
    /// would give as its first two), without collecting them.
    pub(crate) fn first_two_children(&self) -> Option<(Tlv<'a>, Tlv<'a>)> {
        let mut reader = self.children();
        let pair = (reader.next()?, reader.next()?);
        while !reader.is_empty() {
            reader.next()?;
        }
        Some(pair)
    }

    /// The magnitude of a non-negative INTEGER without leading zero octets.
    pub(crate) fn unsigned_integer(&self) -> Option<&'a [u8]> {
        if self.tag != tag::INTEGER {
            return None;
        }
        let mut value = self.value;
        while let [0, rest @ ..] = value {
            value = rest;
        }
        Some(value)
    }
}

/// Sequential reader over concatenated elements.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    position: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, position: 0, base: 0 }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.position >= self.data.len()
    }

    /// The next element; `None` at the end or on anything malformed (never panics).
    pub(crate) fn next(&mut self) -> Option<Tlv<'a>> {
        let rest = self.data.get(self.position..)?;
        let (&tag, after_tag) = rest.split_first()?;
        if tag & 0x1F == 0x1F {
            return None;
        }
        let (&first, after_length) = after_tag.split_first()?;
        let (length, header_len) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let count = usize::from(first & 0x7F);
            if count == 0 || count > 4 {
                return None;
            }
            let octets = after_length.get(..count)?;
            let length = octets.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (length, 2 + count)
        };
        let end = header_len.checked_add(length)?;
        let raw = rest.get(..end)?;
        let value = raw.get(header_len..)?;
        let tlv = Tlv { tag, offset: self.base + self.position, raw, value };
        self.position += end;
        Some(tlv)
    }
}

/// Renders an OBJECT IDENTIFIER's contents octets in dotted form.
pub(crate) fn oid_to_dotted(value: &[u8]) -> Option<String> {
    let mut text = String::with_capacity(4 * value.len() + 4);
    oid_to_dotted_into(value, &mut text).then_some(text)
}

/// [`oid_to_dotted`] into `text` (cleared first), for a caller that reuses one buffer; `false`
/// (and `text` meaningless) for an encoding that is no OID.
pub(crate) fn oid_to_dotted_into(value: &[u8], text: &mut String) -> bool {
    // Digits written by hand and straight into one string: this runs for every attribute of
    // every name and every extension, and core::fmt was a fifth of a certificate's name
    // rendering (callgrind).
    text.clear();
    each_arc(value, |arc, first| {
        if first {
            let (a, b) = match arc {
                0..=39 => (0, arc),
                40..=79 => (1, arc - 40),
                _ => (2, arc - 80),
            };
            push_arc(text, a);
            text.push('.');
            push_arc(text, b);
        } else {
            text.push('.');
            push_arc(text, arc);
        }
    })
}

/// Whether `value` is an OID's contents that [`oid_to_dotted`] writes (without writing it).
pub(crate) fn is_oid(value: &[u8]) -> bool {
    each_arc(value, |_, _| {})
}

/// Calls `each` with every subidentifier (the first one still holding the first two arcs) and
/// whether it is the first; `false` for an encoding that is no OID (empty, cut off, or an arc
/// beyond 128 bits).
fn each_arc(value: &[u8], mut each: impl FnMut(u128, bool)) -> bool {
    let mut current: u128 = 0;
    let mut pending = false;
    let mut first = true;
    for &byte in value {
        if current > (u128::MAX >> 7) {
            return false;
        }
        current = (current << 7) | u128::from(byte & 0x7F);
        pending = true;
        if byte & 0x80 == 0 {
            each(current, first);
            first = false;
            current = 0;
            pending = false;
        }
    }
    !pending && !first
}

/// An arc in decimal: almost every arc fits 64 bits, whose division is one instruction (128-bit
/// division is a library call, and was most of an OID's cost in WebAssembly).
fn push_arc(text: &mut String, value: u128) {
    // A wider arc (a UUID under 2.25) is its high part, then 19 digits of its low part.
    const TEN_TO_19: u128 = 10_000_000_000_000_000_000;
    if let Ok(small @ 0..1000) = u16::try_from(value) {
        // Most arcs of the OIDs in certificates (2.5.4.3, 1.2.840.113549.1.1.11) are below 1000.
        for (divisor, leading) in [(100, small >= 100), (10, small >= 10), (1, true)] {
            if leading {
                text.push(char::from(b'0' + ((small / divisor) % 10) as u8));
            }
        }
        return;
    }
    match u64::try_from(value) {
        Ok(small) => push_decimal(text, small, 1),
        Err(_) => {
            push_arc(text, value / TEN_TO_19);
            push_decimal(text, u64::try_from(value % TEN_TO_19).unwrap_or(0), 19);
        }
    }
}

/// `value` in decimal, with at least `width` digits (leading zeros).
fn push_decimal(text: &mut String, mut value: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if (value == 0 && digits.len() - at >= width) || at == 0 {
            break;
        }
    }
    for &digit in digits.get(at..).unwrap_or_default() {
        text.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_elements_with_offsets() {
        let data = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xAA];
        let outer = Tlv::parse_exact(&data).unwrap();
        assert_eq!(outer.tag, tag::SEQUENCE);
        let children = outer.child_list().unwrap();
        assert_eq!(children.len(), 2);
        assert_eq!(children[1].offset, 5);
        assert_eq!(children[0].unsigned_integer(), Some(&[5u8][..]));
    }

    #[test]
    fn refuses_truncated_and_absurd_lengths() {
        assert_eq!(Tlv::parse_exact(&[0x30, 0x05, 0x02]), None);
        assert_eq!(Tlv::parse_exact(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]), None);
        assert_eq!(Tlv::parse_exact(&[0x30, 0x80, 0x00, 0x00]), None);
        assert_eq!(Tlv::parse_exact(&[]), None);
    }

    #[test]
    fn dotted_oids() {
        assert_eq!(
            oid_to_dotted(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]).as_deref(),
            Some("1.2.840.113549.1.1.11")
        );
        assert_eq!(oid_to_dotted(&[0x55, 0x1D, 0x13]).as_deref(), Some("2.5.29.19"));
        assert_eq!(oid_to_dotted(&[0x86]), None);
        // A UUID arc (2.25.<128 bits>) takes the wide path; 2^64 is the first arc that needs it.
        let mut uuid = vec![0x69];
        uuid.extend([
            0x83, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0x7F,
        ]);
        assert_eq!(oid_to_dotted(&uuid).as_deref(), Some("2.25.340282366920938463463374607431768211455"));
        assert_eq!(
            oid_to_dotted(&[0x2A, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).as_deref(),
            Some("1.2.18446744073709551616")
        );
        assert_eq!(
            oid_to_dotted(&[0x2A, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).as_deref(),
            Some("1.2.18446744073709551615")
        );
        // Arcs of one, two and three digits, and the 100/999/1000 edges of the small writer.
        assert_eq!(oid_to_dotted(&[0x28, 0x64, 0x87, 0x67, 0x87, 0x68]).as_deref(), Some("1.0.100.999.1000"));
    }

    #[test]
    fn is_oid_answers_what_the_writer_accepts() {
        let mut too_wide = vec![0x2A];
        too_wide.extend([0xFF; 20]);
        too_wide.push(0x7F);
        let cases: [&[u8]; 7] =
            [&[0x55, 0x1D, 0x13], &[], &[0x86], &[0x2A, 0x86], &[0x00], &[0x80, 0x01], too_wide.as_slice()];
        for value in cases {
            assert_eq!(is_oid(value), oid_to_dotted(value).is_some(), "{value:02X?}");
        }
        assert!(!is_oid(&too_wide));
    }
}
