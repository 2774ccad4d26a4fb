//! Content codings: what the client accepts (`Accept-Encoding`, RFC 9110 §12.5.3), which bodies
//! are worth compressing, and brotli / gzip at two levels: `Best` for the static files (done once
//! per file content and cached, see `static_files`) and `Fast` for API answers (made per request).

use std::io::Write;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use http_body_util::BodyExt;

/// Bodies shorter than this are sent as they are: the saving would not pay for the headers.
pub(crate) const MIN_SIZE: usize = 256;

/// Largest API answer compressed (the forwarding limit is 8 MiB; larger ones go as they are).
const MAX_DYNAMIC_SIZE: usize = 8 * 1024 * 1024;

/// API answers larger than this are compressed on the blocking pool rather than inline.
const INLINE_SIZE: usize = 64 * 1024;

/// A content coding this server produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` token.
    pub(crate) fn token(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
            Self::Identity => "identity",
        }
    }
}

/// How hard to compress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// Brotli 11, gzip 9: for files compressed once and served many times.
    Best,
    /// Brotli 5, gzip 6: for answers compressed on every request.
    Fast,
}

/// The codings the client accepts, in the server's order of preference (brotli, then gzip).
/// Identity is always acceptable here: a client refusing it (`identity;q=0`) still gets it,
/// which RFC 9110 §12.5.3 permits rather than a 415.
pub(crate) fn accepted(headers: &HeaderMap) -> Vec<Encoding> {
    let (mut brotli, mut gzip, mut star) = (None, None, None);
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let slot = match coding.as_str() {
                "br" => &mut brotli,
                "gzip" | "x-gzip" => &mut gzip,
                "*" => &mut star,
                _ => continue,
            };
            *slot = Some(weight > 0.0);
        }
    }
    let mut codings = Vec::new();
    if brotli.or(star).unwrap_or(false) {
        codings.push(Encoding::Brotli);
    }
    if gzip.or(star).unwrap_or(false) {
        codings.push(Encoding::Gzip);
    }
    codings
}

/// Whether a media type gains from compression: text, JSON, JavaScript, WebAssembly, SVG.
/// Images other than SVG, archives and unknown bytes are already compressed or opaque.
pub(crate) fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || matches!(essence, "application/json" | "application/wasm" | "image/svg+xml" | "application/javascript")
        || essence.ends_with("+json")
}

/// `bytes` in `encoding`, or `None` when the coding does not make it smaller.
pub(crate) fn compress(bytes: &[u8], encoding: Encoding, level: Level) -> Option<Vec<u8>> {
    let compressed = match encoding {
        Encoding::Brotli => {
            let quality = if level == Level::Best { 11 } else { 5 };
            let mut output = Vec::with_capacity(bytes.len() / 3);
            let params = brotli::enc::BrotliEncoderParams { quality, lgwin: 22, ..Default::default() };
            brotli::BrotliCompress(&mut &*bytes, &mut output, &params).ok()?;
            output
        }
        Encoding::Gzip => {
            let gzip_level = if level == Level::Best { 9 } else { 6 };
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(bytes.len() / 3),
                flate2::Compression::new(gzip_level),
            );
            encoder.write_all(bytes).ok()?;
            encoder.finish().ok()?
        }
        Encoding::Identity => return None,
    };
    (compressed.len() < bytes.len()).then_some(compressed)
}

/// Adds `Accept-Encoding` to the response's `Vary` (the answer depends on it).
pub(crate) fn vary(headers: &mut HeaderMap) {
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
}

/// Compresses an API answer for a client that accepts it: a compressible type, a body of known
/// length between [`MIN_SIZE`] and 8 MiB, not already encoded. Headers such as
/// `Cache-Control: no-store` are kept as they are.
pub(crate) async fn answer(response: Response, codings: &[Encoding]) -> Response {
    let Some(&encoding) = codings.first() else { return response };
    let headers = response.headers();
    let eligible = !headers.contains_key(header::CONTENT_ENCODING)
        && headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(compressible)
        && axum::body::HttpBody::size_hint(response.body())
            .exact()
            .is_some_and(|n| (MIN_SIZE as u64..=MAX_DYNAMIC_SIZE as u64).contains(&n));
    if !eligible {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let compressed = if bytes.len() <= INLINE_SIZE {
        compress(&bytes, encoding, Level::Fast)
    } else {
        let input = bytes.clone();
        tokio::task::spawn_blocking(move || compress(&input, encoding, Level::Fast)).await.ok().flatten()
    };
    vary(&mut parts.headers);
    match compressed {
        Some(compressed) => {
            parts.headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(compressed))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn accept(value: &str) -> Vec<Encoding> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        accepted(&headers)
    }

    #[test]
    fn accept_encoding_is_read_with_weights() {
        use Encoding::{Brotli, Gzip};
        assert_eq!(accepted(&HeaderMap::new()), []);
        assert_eq!(accept("gzip, deflate, br, zstd"), [Brotli, Gzip]);
        assert_eq!(accept("gzip"), [Gzip]);
        assert_eq!(accept("BR;q=0.5"), [Brotli]);
        assert_eq!(accept("br;q=0, gzip;q=0.1"), [Gzip]);
        assert_eq!(accept("*"), [Brotli, Gzip]);
        assert_eq!(accept("*;q=0"), []);
        assert_eq!(accept("br;q=0, *"), [Gzip]);
        assert_eq!(accept("identity"), []);
        assert_eq!(accept("x-gzip"), [Gzip]);
        assert_eq!(accept("deflate, compress"), []);
    }

    #[test]
    fn only_compressible_types_are_compressed() {
        for kind in
            ["text/html; charset=utf-8", "text/javascript", "application/json", "application/wasm", "image/svg+xml"]
        {
            assert!(compressible(kind), "{kind}");
        }
        for kind in ["image/png", "image/x-icon", "application/octet-stream", "application/zip", ""] {
            assert!(!compressible(kind), "{kind}");
        }
    }

    #[test]
    fn both_codings_round_trip_and_incompressible_bytes_stay_as_they_are() {
        let text = "certificate ".repeat(200);
        for level in [Level::Best, Level::Fast] {
            let brotli = compress(text.as_bytes(), Encoding::Brotli, level).unwrap();
            let mut decoded = Vec::new();
            brotli::Decompressor::new(&brotli[..], 4096).read_to_end(&mut decoded).unwrap();
            assert_eq!(decoded, text.as_bytes());
            let gzip = compress(text.as_bytes(), Encoding::Gzip, level).unwrap();
            let mut decoded = Vec::new();
            flate2::read::GzDecoder::new(&gzip[..]).read_to_end(&mut decoded).unwrap();
            assert_eq!(decoded, text.as_bytes());
        }
        assert_eq!(compress(b"ab", Encoding::Gzip, Level::Best), None);
        assert_eq!(compress(b"x", Encoding::Identity, Level::Best), None);
    }
}
