//! The engine: input sniffing → PEM scanning → certificate and key inspection → destination
//! rules, collected into a [`Report`].

use std::rc::Rc;

use crate::certificate::{self, CertificateInfo, Facts, Inspected, VerifiedBy};
use crate::chain::{self, Link};
use crate::destination::{Destination, Profile};
use crate::diagnostic::{Finding, Place, Severity, SizeLimit};
use crate::fingerprint;
use crate::fix::Fix;
use crate::message::Sink;
use crate::pem::{self, Label, Scan};
use crate::private_key::{self, FoundKey, KeyKind, PrivateKeyInfo};
use crate::report::{Report, Verdict};
use crate::signature::SignatureTask;
pub use crate::signature::Signatures;
use crate::sniff::{self, DerKind};
use crate::text::{self, Decoded, OffsetMap, SourceText};
use crate::time::UnixTime;

/// Inputs larger than this are refused with `input.too_large` before any parsing (16 MiB:
/// room for a 10 000-certificate bundle, far above any real upload).
pub const GLOBAL_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// What to check an input for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Where the upload goes; `None` inspects without destination rules.
    pub destination: Option<Destination>,
    /// The time validity is judged at.
    pub now: UnixTime,
    /// Whether signatures are verified now, or only reported where already known.
    pub signatures: Signatures,
}

impl Options {
    /// Options for a destination (`None`: inspect) at `now`, verifying signatures.
    pub fn new(destination: Option<Destination>, now: UnixTime) -> Self {
        Self { destination, now, signatures: Signatures::Verify }
    }

    /// The rule profile these options select.
    pub fn profile(&self) -> Profile {
        Profile::new(self.destination)
    }
}

/// What an input is to the check: an upload (every rule of the destination), or one of the
/// inputs of `verify` (the certificate presented with its intermediates, the CAs it must chain
/// to, the presented certificate's key), whose path rules are peer.rs's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// What is about to be uploaded to the destination.
    Upload,
    /// The certificate a client or server presents, followed by its intermediates.
    Presented,
    /// The CAs that are (or will be) uploaded, which must anchor the presented certificate.
    Anchors,
    /// The presented certificate's private key.
    Key,
}

/// What a block turned out to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A certificate, with its ordinal among certificates.
    Certificate(usize),
    PrivateKey,
    Pkcs7,
    Other,
}

/// Everything learned about an input; the report is a view of it, and fixes use it.
pub(crate) struct Analysis<'a> {
    pub(crate) profile: Profile,
    /// Which rules apply: an upload's, or one side of `verify`.
    pub(crate) purpose: Purpose,
    pub(crate) sink: Sink,
    pub(crate) source: Option<SourceText<'a>>,
    pub(crate) map: OffsetMap,
    /// The input with JSON/shell escapes undone, when it had them (what the scanner read).
    pub(crate) prepared: Option<String>,
    pub(crate) scan: Scan,
    pub(crate) roles: Vec<Role>,
    /// Every certificate, in input order.
    pub(crate) certificates: Vec<CertificateEntry>,
    /// Signatures left unverified by [`Signatures::Known`].
    pub(crate) signature_tasks: Vec<SignatureTask>,
    /// Every private key, in input order.
    pub(crate) keys: Vec<KeyEntry>,
    /// Plain PKCS#8 DER of encrypted keys, by PEM block index ([`check_with_decrypted_keys`]).
    pub(crate) decrypted: Vec<(usize, Vec<u8>)>,
    /// Keys waiting for the key rules, with their ordinal and position.
    pub(crate) pending_keys: Vec<(usize, FoundKey, Place)>,
    /// Whether the input was binary DER (or PKCS#7) rather than text.
    pub(crate) binary: bool,
}

/// One certificate of the input: its bytes, where it came from, what was read of it, and how
/// it links to the others.
#[derive(Debug)]
pub(crate) struct CertificateEntry {
    /// Its original bytes (empty when a block could not be decoded), shared with its facts.
    pub(crate) der: Rc<[u8]>,
    /// The PEM block it came from (`None` for binary or bare-base64 input).
    pub(crate) block: Option<usize>,
    /// What was read of it; `None` when it does not parse.
    pub(crate) inspected: Option<Inspected>,
    /// Its issuer, duplicate and signature (set once every certificate is known).
    pub(crate) link: Link,
}

/// One private key of the input: what the report says of it, and its public half where it
/// could be read or derived.
#[derive(Debug)]
pub(crate) struct KeyEntry {
    pub(crate) info: PrivateKeyInfo,
    pub(crate) material: Option<crate::public_key::PublicMaterial>,
}

/// Checks `input` (PEM text, DER, or anything a user may paste or drop) for a destination.
pub fn check(input: &[u8], options: &Options) -> Report {
    analyze(input, options).into_report(options)
}

/// The report on an input of `size` bytes that is over [`GLOBAL_SIZE_LIMIT`], made without the
/// input: front ends call it to refuse a huge upload before copying it (the npm package does,
/// for strings and arrays that would not fit). It equals `check(input, options)` for any input
/// of that size; for a `size` within the limit it returns `None`.
pub fn check_oversized(size: usize, options: &Options) -> Option<Report> {
    (size > GLOBAL_SIZE_LIMIT).then(|| {
        let mut analysis = Analysis::new(options.profile());
        analysis.refuse_oversized(size);
        analysis.into_report(options)
    })
}

/// Inspects `input` without destination rules.
pub fn inspect(input: &[u8], now: UnixTime) -> Report {
    check(input, &Options::new(None, now))
}

/// The signatures a check of `input` with [`Signatures::Known`] leaves unverified (none when
/// every result is already known). Run them, then check again for the complete report.
pub fn signature_tasks(input: &[u8], options: &Options) -> Vec<SignatureTask> {
    let options = Options { signatures: Signatures::Known, ..*options };
    analyze(input, &options).signature_tasks
}

/// [`check`] and the signatures it left unverified, from one analysis: with
/// [`Signatures::Known`] the report shows what is known at once and the tasks are the rest (a
/// front end runs them when idle, then checks again); with [`Signatures::Verify`] the tasks are
/// empty. What [`signature_tasks`] lists, without a second analysis.
pub fn check_with_tasks(input: &[u8], options: &Options) -> (Report, Vec<SignatureTask>) {
    let mut analysis = analyze(input, options);
    let tasks = core::mem::take(&mut analysis.signature_tasks);
    (analysis.into_report(options), tasks)
}

/// The PEM of private key number `key` of the report on `input` (its `private_keys` entry), as
/// the one endpoint that takes a key (Cloudflare mTLS with `ca: false`) wants it: the block
/// re-armored with LF endings and 64-column lines, JSON/shell escapes and look-alike dashes
/// undone, RFC 1421 headers kept. `None` for a key that is no PEM block (PuTTY, JWK, a key
/// inside PKCS#12 or text) or an index out of range. The report never carries key material;
/// this is the only way out for it, and callers send it only where the user asked.
pub fn private_key_pem(input: &[u8], key: usize) -> Option<String> {
    let analysis = analyze(input, &Options::new(None, UnixTime(0)));
    let block = analysis.keys.get(key)?.info.block?;
    if analysis.binary {
        let label = match analysis.keys.get(key)?.info.kind {
            KeyKind::Pkcs8 => Label::PrivateKey,
            KeyKind::Rsa => Label::RsaPrivateKey,
            KeyKind::Ec => Label::EcPrivateKey,
            _ => return None,
        };
        return Some(pem::encode_block(label.text(), input));
    }
    let found = analysis.scan.blocks.get(block)?;
    if !matches!(analysis.roles.get(block), Some(Role::PrivateKey)) || found.label == "PKCS12" {
        return None;
    }
    Some(pem::encode_block_with_headers(&found.label, &found.headers, found.data.as_deref()?))
}

pub(crate) fn analyze<'a>(input: &'a [u8], options: &Options) -> Analysis<'a> {
    analyze_for(input, options, Purpose::Upload)
}

/// [`check`] with the plain PKCS#8 DER of encrypted keys the caller decrypted, each by the index
/// of the PEM block it was read from (`private_keys[i].block`): those keys are matched to the
/// certificates like unencrypted ones, and still reported as `encrypted` (the file holds them
/// so). The core decrypts nothing: the CLI does it with the user's passphrase
/// (`check --key-passphrase-env`).
pub fn check_with_decrypted_keys(input: &[u8], options: &Options, decrypted: &[(usize, Vec<u8>)]) -> Report {
    let mut analysis = Analysis::new(options.profile());
    analysis.decrypted = decrypted.to_vec();
    run(&mut analysis, input, options);
    analysis.into_report(options)
}

/// [`analyze`] for one of the inputs of `verify` (or an upload).
pub(crate) fn analyze_for<'a>(input: &'a [u8], options: &Options, purpose: Purpose) -> Analysis<'a> {
    let mut analysis = Analysis::new(options.profile());
    analysis.purpose = purpose;
    run(&mut analysis, input, options);
    analysis
}

fn run<'a>(analysis: &mut Analysis<'a>, input: &'a [u8], options: &Options) {
    if input.len() > GLOBAL_SIZE_LIMIT {
        analysis.refuse_oversized(input.len());
        return;
    }
    match text::decode(input) {
        Decoded::Binary => analysis.binary_input(input),
        Decoded::Text(source) => analysis.text_input(source),
    }
    analysis.link_certificates(options.signatures);
    analysis.certificate_rules(options.now, options.signatures);
    analysis.key_rules();
    analysis.destination_rules();
}

impl<'a> Analysis<'a> {
    fn new(profile: Profile) -> Self {
        Analysis {
            profile,
            purpose: Purpose::Upload,
            sink: Sink::new(profile),
            source: None,
            map: OffsetMap::default(),
            prepared: None,
            scan: Scan::default(),
            roles: Vec::new(),
            certificates: Vec::new(),
            signature_tasks: Vec::new(),
            keys: Vec::new(),
            decrypted: Vec::new(),
            pending_keys: Vec::new(),
            binary: false,
        }
    }

    fn refuse_oversized(&mut self, size: usize) {
        let finding = Finding::InputTooLarge { size, limit: GLOBAL_SIZE_LIMIT, which: SizeLimit::Global };
        self.sink.emit(finding, Place::default(), None);
    }

    pub(crate) fn place_at(&self, offset: usize, block: Option<usize>, certificate: Option<usize>) -> Place {
        let (line, column) = match &self.source {
            Some(source) => {
                let (line, column) = source.position(self.map.to_source(offset));
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        Place { line, column, block, certificate }
    }

    /// What was read of certificate `index`, if it parsed.
    pub(crate) fn inspected(&self, index: usize) -> Option<&Inspected> {
        self.certificates.get(index).and_then(|c| c.inspected.as_ref())
    }

    /// Every certificate that parsed.
    pub(crate) fn parsed(&self) -> impl Iterator<Item = &Inspected> {
        self.certificates.iter().filter_map(|c| c.inspected.as_ref())
    }

    /// The links of every certificate, in order (for the chain functions, which take a slice).
    pub(crate) fn links(&self) -> Vec<Link> {
        self.certificates.iter().map(|c| c.link.clone()).collect()
    }

    pub(crate) fn certificate_place(&self, index: usize) -> Place {
        let block = self.certificates.get(index).and_then(|c| c.block);
        match block.and_then(|b| self.scan.blocks.get(b)) {
            Some(found) => self.place_at(found.start, block, Some(index)),
            None => Place { block: Some(0).filter(|_| self.binary), certificate: Some(index), ..Place::default() },
        }
    }

    /// Where byte `offset` of certificate `index`'s DER stands in the text.
    pub(crate) fn certificate_byte_place(&self, index: usize, offset: usize) -> Place {
        let block = self.certificates.get(index).and_then(|c| c.block);
        match block.and_then(|b| self.scan.blocks.get(b)) {
            Some(found) => self.place_at(found.offset_of_byte(offset), block, Some(index)),
            None => self.certificate_place(index),
        }
    }

    fn add_certificate(&mut self, der: Vec<u8>, block: usize) -> usize {
        let index = self.certificates.len();
        // One copy of the bytes, shared by the list and the certificate's facts.
        let der: Rc<[u8]> = Rc::from(der);
        let inspected = certificate::inspect(&der, index, block);
        let outcome = match inspected {
            Ok(inspected) => Some(inspected),
            Err(failure) => {
                let place = match self.scan.blocks.get(block).filter(|_| !self.binary) {
                    Some(found) => {
                        let offset = failure.offset.map_or(found.start, |p| found.offset_of_byte(p));
                        self.place_at(offset, Some(block), Some(index))
                    }
                    None => Place { block: Some(block), certificate: Some(index), ..Place::default() },
                };
                // A block cut off before its END line is already reported as pem.unterminated.
                let cut_off = self.scan.blocks.get(block).is_some_and(|b| !b.terminated) && !self.binary;
                if !cut_off {
                    let finding = Finding::ParseError { offset: failure.offset, reason: failure.reason };
                    self.sink.emit(finding, place, None);
                }
                None
            }
        };
        let located = (!self.binary && self.scan.blocks.get(block).is_some()).then_some(block);
        self.certificates.push(CertificateEntry { der, block: located, inspected: outcome, link: Link::default() });
        index
    }

    /// Records a private key found at `place`; `end` is the text offset just past it (`None` for
    /// binary input).
    fn add_key(&mut self, key: FoundKey, block: Option<usize>, place: Place, end: Option<usize>) {
        let matches_certificate = key.public.as_ref().and_then(|public| {
            self.parsed().find(|c| private_key::matches(public, &c.facts.public_key.material)).map(|c| c.info.index)
        });
        let ordinal = self.keys.len();
        let end = end.map(|offset| self.place_at(offset, None, None)).unwrap_or_default();
        let info = PrivateKeyInfo {
            block,
            kind: key.kind,
            encrypted: key.encrypted,
            matches_certificate,
            line: place.line,
            column: place.column,
            end_line: end.line,
            end_column: end.column,
        };
        self.keys.push(KeyEntry { info, material: key.public.clone() });
        self.pending_keys.push((ordinal, key, place));
    }

    fn binary_input(&mut self, input: &[u8]) {
        self.binary = true;
        let kind = sniff::classify(input);
        let place = Place { block: Some(0), ..Place::default() };
        match kind {
            DerKind::Certificate => {
                self.sink.emit(Finding::InputDer, place, Some(Fix::DerToPem));
                self.roles.push(Role::Certificate(0));
                self.add_certificate(input.to_vec(), 0);
            }
            DerKind::Pkcs7 { certificates } => {
                let count = certificates.len();
                self.sink.emit(Finding::InputPkcs7 { certificates: count }, place, Some(Fix::ExtractPkcs7Certificates));
                self.roles.push(Role::Pkcs7);
                for der in certificates {
                    self.add_certificate(der, 0);
                }
            }
            DerKind::Pkcs12 => {
                let contains_key = private_key::pkcs12_has_key_bag(input);
                self.sink.emit(Finding::InputPkcs12 { contains_key }, place, None);
                self.roles.push(Role::PrivateKey);
                if let Some(key) = private_key::from_der(&kind, input) {
                    self.add_key(key, Some(0), place, None);
                }
            }
            DerKind::Csr => self.sink.emit(Finding::InputCsr, place, None),
            DerKind::PublicKey | DerKind::RsaPublicKey => self.sink.emit(Finding::InputPublicKey, place, None),
            DerKind::Crl => self.sink.emit(Finding::UnexpectedLabel { label: "X509 CRL".to_owned() }, place, None),
            ref key_kind if key_kind.is_private_key() => {
                self.roles.push(Role::PrivateKey);
                if let Some(key) = private_key::from_der(key_kind, input) {
                    self.add_key(key, Some(0), place, None);
                }
            }
            _ => self.sink.emit(Finding::InputBinary, Place::default(), None),
        }
    }

    fn text_input(&mut self, source: SourceText<'a>) {
        if source.text.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}').is_empty() {
            self.source = Some(source);
            self.sink.emit(Finding::InputEmpty, Place::default(), None);
            return;
        }
        if let Some(encoding) = source.bom {
            self.source = Some(source);
            self.sink.emit(
                Finding::Bom { encoding },
                Place { line: Some(1), column: Some(1), ..Place::default() },
                Some(Fix::StripBom),
            );
        } else {
            self.source = Some(source);
        }
        let Some(source) = &self.source else { return };
        let escapes = text::find_escapes(&source.text);
        if let Some(escapes) = escapes {
            let prepared = text::unescape(&source.text, escapes);
            self.prepared = Some(prepared.text);
            self.map = prepared.map;
        }
        self.scan = pem::scan(self.scanned_text());
        let Some(source) = &self.source else { return };
        if let Some(escapes) = escapes {
            let (line, column) = source.position(escapes.first);
            let place = Place { line: Some(line), column: Some(column), ..Place::default() };
            self.sink.emit(Finding::EscapedNewlines { quoted: escapes.quoted }, place, Some(Fix::StripEscapedNewlines));
        }
        if let Some(offset) = self.scan.crlf_at {
            let place = self.place_at(offset, None, None);
            self.sink.emit(Finding::Crlf, place, Some(Fix::CrlfToLf));
        }
        let findings = core::mem::take(&mut self.scan.findings);
        for found in findings {
            let place = self.place_at(found.offset, found.block, None);
            self.sink.emit(found.finding, place, found.fix);
        }
        // Most blocks of a large input are certificates: their vectors are sized once.
        let blocks = self.scan.blocks.len();
        self.roles.reserve_exact(blocks);
        self.certificates.reserve_exact(blocks);
        for index in 0..blocks {
            self.classify_block(index);
        }
        self.outside_text();
    }

    /// The text the scanner read: the input's, or its unescaped form.
    pub(crate) fn scanned_text(&self) -> &str {
        match (&self.prepared, &self.source) {
            (Some(prepared), _) => prepared,
            (None, Some(source)) => &source.text,
            (None, None) => "",
        }
    }

    fn classify_block(&mut self, index: usize) {
        let Some(block) = self.scan.blocks.get(index) else { return };
        let label = block.label.clone();
        let (start, end) = (block.start, Some(block.end));
        let content = block.data.as_deref().map(sniff::classify);
        let mut key = private_key::from_block(&label, &block.headers, block.data.as_deref());
        // An encrypted key the caller decrypted: its public half from the plain DER.
        if let Some(found) = key.as_mut().filter(|found| found.encrypted)
            && let Some((_, der)) = self.decrypted.iter().find(|(block, _)| *block == index)
        {
            found.public = private_key::from_der(&DerKind::Pkcs8, der).and_then(|plain| plain.public);
        }
        let place = self.place_at(start, Some(index), None);
        if let Some(key) = key {
            self.roles.push(Role::PrivateKey);
            self.add_key(key, Some(index), place, end);
            return;
        }
        let kind = Label::of(&label);
        let certificate_label = kind == Label::Certificate;
        // A certificate's bytes move to its entry in `certificates` (repairs find them there), the
        // rest stay.
        let taken = match &content {
            _ if !certificate_label => None,
            Some(kind) if kind.is_private_key() => self.scan.blocks.get(index).and_then(|block| block.data.clone()),
            _ => self.scan.blocks.get_mut(index).and_then(|block| block.data.take()),
        };
        match kind {
            Label::Certificate => match (content, taken) {
                (Some(kind), Some(der)) if kind.is_private_key() => {
                    self.roles.push(Role::PrivateKey);
                    if let Some(key) = private_key::from_der(&kind, &der) {
                        self.add_key(key, Some(index), place, end);
                    }
                }
                (_, Some(der)) => {
                    let ordinal = self.certificates.len();
                    self.roles.push(Role::Certificate(ordinal));
                    self.add_certificate(der, index);
                }
                (_, None) => {
                    let ordinal = self.certificates.len();
                    self.roles.push(Role::Certificate(ordinal));
                    self.certificates.push(CertificateEntry {
                        der: Rc::from(Vec::new()),
                        block: Some(index),
                        inspected: None,
                        link: Link::default(),
                    });
                }
            },
            Label::Pkcs7 => {
                self.roles.push(Role::Pkcs7);
                let certificates = match content {
                    Some(DerKind::Pkcs7 { certificates }) => certificates,
                    _ => Vec::new(),
                };
                let fix = Some(Fix::ExtractPkcs7Certificates);
                self.sink.emit(Finding::InputPkcs7 { certificates: certificates.len() }, place, fix);
                for der in certificates {
                    self.add_certificate(der, index);
                }
            }
            Label::CertificateRequest => {
                self.roles.push(Role::Other);
                self.sink.emit(Finding::InputCsr, place, Some(Fix::DropUnexpectedBlocks));
            }
            Label::PublicKey => {
                self.roles.push(Role::Other);
                self.sink.emit(Finding::InputPublicKey, place, Some(Fix::DropUnexpectedBlocks));
            }
            Label::Pkcs12 => {
                self.roles.push(Role::PrivateKey);
                self.sink.emit(Finding::InputPkcs12 { contains_key: true }, place, Some(Fix::DropPrivateKey));
                self.add_key(
                    FoundKey { kind: KeyKind::Pkcs12, encrypted: true, public: None },
                    Some(index),
                    place,
                    end,
                );
            }
            _ => {
                self.roles.push(Role::Other);
                self.sink.emit(Finding::UnexpectedLabel { label }, place, Some(Fix::DropUnexpectedBlocks));
            }
        }
    }

    fn outside_text(&mut self) {
        // The stretches are copied (comments and stray text: small), so that the rules below
        // may borrow the analysis mutably.
        let text = self.scanned_text();
        let stretches: Vec<(usize, usize, usize, String)> = self
            .scan
            .outside
            .iter()
            .map(|o| (o.start, o.end, o.lines, text.get(o.start..o.end).unwrap_or("").to_owned()))
            .collect();
        let whole = self.scan.blocks.is_empty().then(|| text.to_owned());
        for (start, end, lines, body) in &stretches {
            let (start, end, lines) = (*start, *end, *lines);
            if let Some(kind) = key_in_text(body) {
                let offset =
                    body.find("PuTTY-User-Key-File").or_else(|| body.find("\"d\"")).map_or(start, |i| start + i);
                let place = self.place_at(offset, None, None);
                self.roles.push(Role::Other);
                self.add_key(FoundKey { kind, encrypted: false, public: None }, None, place, Some(end));
            }
            if !self.scan.blocks.is_empty() {
                let place = self.place_at(start, None, None);
                self.sink.emit(Finding::TextOutsideBlocks { lines }, place, Some(Fix::DropTextOutsideBlocks));
            }
            self.fingerprint_comments(body, start, end);
        }
        if let Some(text) = whole {
            self.no_blocks(&text);
        }
    }

    /// Cross-checks `# SHA256 Fingerprint: …` comments with the certificate right below them.
    fn fingerprint_comments(&mut self, body: &str, start: usize, end: usize) {
        // Blocks are in text order, and a stretch of text lies between two blocks.
        let block_index = self.scan.blocks.partition_point(|b| b.start < end);
        if block_index >= self.scan.blocks.len()
            || self.scan.blocks.partition_point(|b| b.start <= start) != block_index
        {
            return;
        }
        let Some(Role::Certificate(ordinal)) = self.roles.get(block_index).cloned() else { return };
        let Some(certificate) = self.inspected(ordinal) else { return };
        let fingerprints = certificate.facts.fingerprints;
        let mut line_offset = 0;
        let mut mismatches = Vec::new();
        for line in body.split_inclusive('\n') {
            let content = line.trim().trim_start_matches('#').trim();
            let bytes = content.as_bytes();
            let mentions_fingerprint = memchr::memchr2_iter(b'f', b'F', bytes)
                .any(|at| bytes.get(at..at + 11).is_some_and(|word| word.eq_ignore_ascii_case(b"fingerprint")));
            if mentions_fingerprint
                && let Ok((algorithm, digest)) = fingerprint::parse_digest(content)
                && fingerprints.bytes(algorithm) != digest.as_slice()
            {
                mismatches.push((start + line_offset, algorithm));
            }
            line_offset += line.len();
        }
        for (offset, algorithm) in mismatches {
            let actual = fingerprint::colon_hex(fingerprints.bytes(algorithm));
            let finding = Finding::FingerprintCommentMismatch { algorithm: algorithm.name(), actual };
            let place = self.place_at(offset, Some(block_index), Some(ordinal));
            self.sink.emit(finding, place, None);
        }
    }

    fn no_blocks(&mut self, text: &str) {
        let symbols: Vec<(usize, char)> =
            text.char_indices().filter(|(_, c)| !c.is_whitespace() && *c != '\u{FEFF}').collect();
        let all_base64 = symbols.len() >= 16
            && symbols.iter().all(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
        let decoded = if all_base64 { pem::decode_base64(&symbols).ok() } else { None };
        let first = symbols.first().map_or(0, |&(offset, _)| offset);
        let place = self.place_at(first, None, None);
        match decoded.as_deref().map(sniff::classify) {
            Some(DerKind::Certificate) => {
                self.sink.emit(Finding::NoBlocks { bare_certificate: true }, place, Some(Fix::AddPemArmor));
                self.roles.push(Role::Certificate(0));
                self.binary = true;
                self.add_certificate(decoded.unwrap_or_default(), 0);
                self.binary = false;
            }
            Some(kind) if kind.is_private_key() => {
                self.sink.emit(Finding::NoBlocks { bare_certificate: false }, place, None);
                if let Some(key) = private_key::from_der(&kind, &decoded.unwrap_or_default()) {
                    let end = symbols.last().map(|&(offset, c)| offset + c.len_utf8());
                    self.add_key(key, None, place, end);
                }
            }
            _ => self.sink.emit(Finding::NoBlocks { bare_certificate: false }, place, None),
        }
    }
}

/// Private keys that come without PEM labels: PuTTY key files and JSON Web Keys with `"d"`.
fn key_in_text(text: &str) -> Option<KeyKind> {
    if text.contains("PuTTY-User-Key-File-") {
        return Some(KeyKind::Putty);
    }
    if !text.contains("\"kty\"") {
        return None;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("\"kty\":") && compact.contains("\"d\":\"") {
        return Some(KeyKind::Jwk);
    }
    None
}

impl Analysis<'_> {
    /// Links every certificate to its issuer and to an earlier copy of itself.
    fn link_certificates(&mut self, signatures: Signatures) {
        let facts: Vec<Option<&Facts>> =
            self.certificates.iter().map(|c| c.inspected.as_ref().map(|c| &c.facts)).collect();
        let ders: Vec<Rc<[u8]>> = self.certificates.iter().map(|c| Rc::clone(&c.der)).collect();
        let links = chain::links(&facts, &ders, signatures, &mut self.signature_tasks);
        for (entry, link) in self.certificates.iter_mut().zip(links) {
            entry.link = link;
        }
    }

    /// What would be posted: the certificates, re-armored at 64 columns with LF endings.
    pub(crate) fn normalized_pem(&self) -> Option<String> {
        let text = self.scanned_text();
        // Sized once (a PEM block is its DER × 4/3, a line feed per 64 characters and two
        // marker lines): doubling would hold up to twice the text at the peak of a large input.
        let size: usize = self.certificates.iter().map(|c| c.der.len().div_ceil(3) * 4 + c.der.len() / 48 + 60).sum();
        let mut out = String::with_capacity(size);
        for (ordinal, entry) in self.certificates.iter().enumerate() {
            let der = &entry.der;
            if der.is_empty() {
                continue;
            }
            // A standalone CERTIFICATE block that is already canonical is copied, not re-encoded.
            let canonical = entry
                .block
                .filter(|&block| self.roles.get(block) == Some(&Role::Certificate(ordinal)))
                .and_then(|block| self.scan.blocks.get(block))
                .filter(|block| block.canonical && block.label == Label::Certificate.text())
                .and_then(|block| text.get(block.start..block.end));
            match canonical {
                Some(raw) => {
                    out.push_str(raw);
                    out.push('\n');
                }
                None => out.push_str(&pem::encode_block(Label::Certificate.text(), der)),
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

impl Analysis<'_> {
    pub(crate) fn into_report(mut self, options: &Options) -> Report {
        let verdict = match self.sink.diagnostics.iter().map(|d| d.severity).max() {
            Some(Severity::Error) => Verdict::Error,
            Some(Severity::Warning) => Verdict::Warning,
            _ => Verdict::Ok,
        };
        // The certificates first, each one's facts freed as it is moved (and the whole vector
        // before the normalized PEM is written: the peak of a large bundle is here). Sized once:
        // a collect through filter_map would grow by doubling.
        let mut certificates = Vec::with_capacity(self.parsed().count());
        certificates.extend(self.certificates.iter_mut().filter_map(|entry| {
            let link = &entry.link;
            entry.inspected.take().map(|c| CertificateInfo {
                self_signed: link.verified_by() == Some(VerifiedBy::SelfSigned),
                self_issued: link.self_issued,
                issuer_index: link.issuer,
                verified_by: link.verified_by(),
                ..c.info
            })
        }));
        // The blocks' line tables are not needed for the normalized PEM.
        for block in &mut self.scan.blocks {
            block.body_lines = Vec::new();
        }
        let normalized_pem = self.normalized_pem();
        Report {
            destination: options.destination.map(|d| d.name()),
            verdict,
            certificates,
            private_keys: self.keys.into_iter().map(|key| key.info).collect(),
            diagnostics: self.sink.diagnostics,
            normalized_pem,
        }
    }
}
