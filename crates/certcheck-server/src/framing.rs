//! Where a request's framing is seen whole: the bytes of a connection as they arrive, before
//! hyper parses them.
//!
//! hyper's HTTP/1 parser keeps `Transfer-Encoding` and drops `Content-Length` from the headers a
//! handler sees when a request carries both (RFC 9112 §6.3: the chunked coding wins), and closes
//! the connection after answering; the handler cannot tell such a request from an honest chunked
//! one. That pair is the classic request-smuggling shape, so certcheck-server refuses it outright
//! (400) before routing. This scanner reads the same bytes hyper reads (the connection's reads
//! pass through it, see `conn`), finds each request head with the same parser (httparse, at the
//! version hyper uses) and steps over each body the way hyper's decoder does (a length, or chunks
//! and trailers), so it knows, for the n-th request hyper hands to the service, whether its head
//! named both. Once it cannot follow the stream (a head or a chunk hyper would refuse too, or one
//! request with both headers, after which hyper closes the connection) it stops, and any further
//! request on that connection is refused as well: it fails closed.

use std::collections::VecDeque;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// The largest request head followed (hyper refuses larger ones: its buffer is bounded too).
const HEAD_LIMIT: usize = 64 * 1024;

/// More header lines than hyper takes (100), so that this parser never refuses what hyper accepts.
const MAX_HEADERS: usize = 128;

/// What the scanner saw of one request's head, handed to the service in its extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One way of framing the body (or none).
    Clean,
    /// Both `Content-Length` and `Transfer-Encoding`.
    BothLengths,
    /// The scanner lost the stream before this request: refused, fail-closed.
    Unknown,
}

/// Where the scanner is in the connection's byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Collecting a request head.
    Head,
    /// Inside a body of known length: the bytes left.
    Length(u64),
    /// Inside a chunked body.
    Chunk(Chunk),
    /// Not following any more.
    Stopped,
}

/// The steps of hyper's chunked decoder (hyper `proto/h1/decode.rs`, `ChunkedState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunk {
    Start,
    Size,
    SizeLws,
    Extension,
    SizeLf,
    Data(u64),
    DataCr,
    DataLf,
    Trailer,
    TrailerLf,
    EndCr,
    EndLf,
}

/// Follows one connection's requests; see the module documentation.
#[derive(Debug)]
pub(crate) struct Scanner {
    state: State,
    head: Vec<u8>,
    size: u64,
    /// For each head seen and not yet handed to the service: whether it named both lengths.
    seen: VecDeque<bool>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self { state: State::Head, head: Vec::new(), size: 0, seen: VecDeque::new() }
    }
}

impl Scanner {
    /// What the scanner saw of the next request hyper hands to the service.
    pub(crate) fn next_request(&mut self) -> Framing {
        match self.seen.pop_front() {
            Some(false) => Framing::Clean,
            Some(true) => Framing::BothLengths,
            None => Framing::Unknown,
        }
    }

    /// Takes the bytes just read from the connection.
    pub(crate) fn feed(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            match self.state {
                State::Stopped => return,
                State::Head => {
                    let before = self.head.len();
                    self.head.extend_from_slice(input);
                    // A head can only end at a line feed: do not parse again before one arrives.
                    if !input.contains(&b'\n') {
                        if self.head.len() > HEAD_LIMIT {
                            self.stop();
                        }
                        return;
                    }
                    match self.parse_head() {
                        Some(length) => {
                            input = input.get(length.saturating_sub(before)..).unwrap_or(&[]);
                            // An idle connection keeps no large buffer from an earlier head.
                            if self.head.capacity() > 8 * 1024 {
                                self.head = Vec::new();
                            } else {
                                self.head.clear();
                            }
                        }
                        None => {
                            if self.head.len() > HEAD_LIMIT {
                                self.stop();
                            }
                            return;
                        }
                    }
                }
                State::Length(left) => {
                    let take = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    input = input.get(take..).unwrap_or(&[]);
                    let left = left - take as u64;
                    self.state = if left == 0 { State::Head } else { State::Length(left) };
                }
                State::Chunk(Chunk::Data(left)) => {
                    let take = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    input = input.get(take..).unwrap_or(&[]);
                    let left = left - take as u64;
                    self.state = State::Chunk(if left == 0 { Chunk::DataCr } else { Chunk::Data(left) });
                }
                State::Chunk(step) => {
                    let Some((&byte, rest)) = input.split_first() else { return };
                    input = rest;
                    self.state = match self.chunk_step(step, byte) {
                        Some(next) => next,
                        None => State::Stopped,
                    };
                    if self.state == State::Stopped {
                        self.stop();
                    }
                }
            }
        }
    }

    fn stop(&mut self) {
        self.state = State::Stopped;
        self.head = Vec::new();
    }

    /// Parses the collected head: its length when complete (the next state and the verdict are
    /// recorded), `None` while partial. A head hyper would refuse stops the scanner.
    fn parse_head(&mut self) -> Option<usize> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let length = match request.parse(&self.head) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) => return None,
            Err(_) => {
                self.stop();
                return None;
            }
        };
        let http10 = request.version == Some(0);
        let mut lengths = Vec::new();
        let mut encodings = 0usize;
        let mut chunked = false;
        for line in request.headers.iter() {
            if line.name.eq_ignore_ascii_case("content-length") {
                lengths.push(digits(line.value));
            } else if line.name.eq_ignore_ascii_case("transfer-encoding") {
                encodings += 1;
                // hyper: the last coding of the last Transfer-Encoding line must be chunked.
                chunked = std::str::from_utf8(line.value).ok().and_then(|v| v.rsplit(',').next()).is_some_and(|last| {
                    last.trim_matches(|c: char| c == ' ' || c == '\t').eq_ignore_ascii_case("chunked")
                });
            }
        }
        let both = encodings > 0 && !lengths.is_empty();
        self.seen.push_back(both);
        self.state = if both || (encodings > 0 && (http10 || !chunked)) {
            // hyper closes the connection after this request (both) or refuses it (the rest).
            State::Stopped
        } else if encodings > 0 {
            self.size = 0;
            State::Chunk(Chunk::Start)
        } else {
            match lengths.split_first() {
                None => State::Head,
                Some((&Some(first), rest)) if rest.iter().all(|l| *l == Some(first)) => {
                    if first == 0 {
                        State::Head
                    } else {
                        State::Length(first)
                    }
                }
                // Unreadable or differing lengths: hyper refuses the request.
                Some(_) => State::Stopped,
            }
        };
        if self.state == State::Stopped {
            self.head = Vec::new();
        }
        Some(length)
    }

    /// One byte of chunked framing outside chunk data; `None` where hyper's decoder fails.
    fn chunk_step(&mut self, step: Chunk, byte: u8) -> Option<State> {
        let hex = (byte as char).to_digit(16).map(u64::from);
        let next = match (step, byte) {
            (Chunk::Start, _) => {
                self.size = hex?;
                Chunk::Size
            }
            (Chunk::Size, _) if hex.is_some() => {
                self.size = self.size.checked_mul(16)?.checked_add(hex?)?;
                Chunk::Size
            }
            (Chunk::Size | Chunk::SizeLws, b' ' | b'\t') => Chunk::SizeLws,
            (Chunk::Size | Chunk::SizeLws, b';') => Chunk::Extension,
            (Chunk::Size | Chunk::SizeLws | Chunk::Extension, b'\r') => Chunk::SizeLf,
            (Chunk::Extension, b'\n') => return None,
            (Chunk::Extension, _) => Chunk::Extension,
            (Chunk::SizeLf, b'\n') if self.size == 0 => Chunk::EndCr,
            (Chunk::SizeLf, b'\n') => Chunk::Data(self.size),
            (Chunk::DataCr, b'\r') => Chunk::DataLf,
            (Chunk::DataLf, b'\n') => {
                self.size = 0;
                Chunk::Start
            }
            (Chunk::EndCr, b'\r') => Chunk::EndLf,
            (Chunk::Trailer, b'\r') => Chunk::TrailerLf,
            (Chunk::EndCr | Chunk::Trailer, _) => Chunk::Trailer,
            (Chunk::TrailerLf, b'\n') => Chunk::EndCr,
            (Chunk::EndLf, b'\n') => return Some(State::Head),
            _ => return None,
        };
        Some(State::Chunk(next))
    }
}

/// A Content-Length value as hyper reads it: decimal digits only, no overflow.
fn digits(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |n, &b| {
        if b.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(b - b'0')) } else { None }
    })
}

/// The refusal of a request whose framing is ambiguous or could not be followed, if it is one:
/// 400 with `Connection: close`, before any routing.
pub(crate) fn refusal(request: &Request) -> Option<Response> {
    let reason = match request.extensions().get::<Framing>() {
        None | Some(Framing::Clean) => return None,
        Some(Framing::BothLengths) => {
            "bad request: Content-Length and Transfer-Encoding together (RFC 9112 §6.3); send one\n"
        }
        Some(Framing::Unknown) => "bad request: the framing of an earlier request on this connection was malformed\n",
    };
    let mut response = Response::new(Body::from(reason));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(chunks: &[&[u8]]) -> Vec<Framing> {
        let mut scanner = Scanner::default();
        for chunk in chunks {
            scanner.feed(chunk);
        }
        let mut out = Vec::new();
        while !scanner.seen.is_empty() {
            out.push(scanner.next_request());
        }
        out.push(scanner.next_request());
        out
    }

    #[test]
    fn pipelined_requests_are_followed_through_lengths_and_chunks() {
        let stream: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n\
            POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n12345\
            POST /y HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
            a;ext=1\r\nGET / HTTP\r\n0\r\nX-Trailer: Content-Length: 5\r\n\r\n\
            GET /z HTTP/1.1\r\nHost: a\r\ncontent-length: 3\r\nTRANSFER-ENCODING: chunked\r\n\r\n0\r\n\r\n";
        use Framing::{BothLengths, Clean, Unknown};
        assert_eq!(verdicts(&[stream]), [Clean, Clean, Clean, BothLengths, Unknown]);
        // The same bytes one at a time.
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(verdicts(&bytes), [Clean, Clean, Clean, BothLengths, Unknown]);
        // Transfer-Encoding first, then Content-Length: the order does not matter.
        let te_first: &[u8] = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n";
        assert_eq!(verdicts(&[te_first]), [BothLengths, Unknown]);
    }

    #[test]
    fn what_hyper_refuses_stops_the_scanner() {
        use Framing::{Clean, Unknown};
        for stream in [
            &b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\nGET / HTTP/1.1\r\n\r\n"[..],
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGET / HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        ] {
            let seen = verdicts(&[stream]);
            assert!(seen.iter().all(|v| matches!(v, Clean | Unknown)) && seen.last() == Some(&Unknown), "{seen:?}");
            assert!(seen.len() <= 2, "{seen:?}");
        }
        assert_eq!(digits(b"0042"), Some(42));
        assert_eq!(digits(b"99999999999999999999999"), None);
        assert_eq!(digits(b""), None);
    }
}
