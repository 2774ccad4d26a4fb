//! Where results go and how they end: [`Stop`] (a usage or I/O/network error, exit status 2),
//! [`Out`] (stdout and stderr with every known secret scrubbed, so that a vendor echoing a token
//! back cannot put it in a CI log), and the renderings shared by the vendor commands: a vendor's
//! refusal, a request for `--dry-run`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use certcheck_api::{ApiError, Credentials, Method, Request, Vendor, is_secret_header};
use serde::Serialize;
use serde::ser::SerializeMap;

/// Why a command stopped without a result of its own: exit status 2, message on stderr.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The arguments do not make sense together (rendered by clap with the usage line).
    Usage(String),
    /// I/O, network or credentials: `certcheck: <message>`.
    Failed(String),
}

impl Stop {
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self::Failed(message.into())
    }
}

/// Exit status 1: the command ran and the answer is "no" (error verdict, refusal, mismatch,
/// expiring certificate).
pub(crate) fn exit_status(ok: bool) -> ExitCode {
    if ok { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// Secrets shorter than this are not scrubbed from output (they would match ordinary text);
/// real tokens are far longer, and certcheck never prints one in the first place.
const MIN_SCRUBBED: usize = 8;

/// Standard output and error, with secrets replaced by `<redacted>`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Out {
    secrets: Vec<String>,
}

impl Out {
    /// Scrubs these values (tokens, keys, e-mail of a global key) from everything written.
    pub(crate) fn new(secrets: Vec<String>) -> Self {
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| s.len() >= MIN_SCRUBBED).collect();
        // Longest first, so that a secret containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { secrets }
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "<redacted>");
            }
        }
        text
    }

    /// Writes the result to standard output.
    pub(crate) fn print(&self, text: &str) -> Result<(), Stop> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(self.scrub(text).as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| Stop::failed(format!("cannot write the result: {e}")))
    }

    /// Writes a JSON value (pretty, one trailing newline) to standard output.
    pub(crate) fn json(&self, value: &impl Serialize) -> Result<(), Stop> {
        let mut text =
            serde_json::to_string_pretty(value).map_err(|e| Stop::failed(format!("cannot render JSON: {e}")))?;
        text.push('\n');
        self.print(&text)
    }

    /// Writes one `certcheck: …` line to standard error.
    pub(crate) fn note(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "certcheck: {}", self.scrub(text));
    }
}

fn vendor_name(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Anthropic => "Anthropic",
        Vendor::Cloudflare => "Cloudflare",
    }
}

/// A vendor's refusal as the CLI reports it, with what support asks for: Anthropic's request id,
/// Cloudflare's error codes (and its `cf-ray`, when the answer carried one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) error: ApiError,
    pub(crate) ray_id: Option<String>,
    /// A hint of ours (e.g. a Cloudflare base URL without `/client/v4`).
    pub(crate) hint: Option<String>,
}

impl Refusal {
    /// One line: `Cloudflare refused the upload: HTTP 400, code 1489: Hit maximum CA cert allocation`.
    pub(crate) fn line(&self, action: &str) -> String {
        let error = &self.error;
        let mut line = format!("{} refused the {action}", vendor_name(error.vendor));
        if let Some(status) = error.status {
            let _ = write!(line, ": HTTP {status}");
        }
        for (index, message) in error.errors.iter().enumerate() {
            line.push_str(if index == 0 { ", " } else { "; " });
            match (&message.code, &message.kind) {
                (Some(code), _) => {
                    let _ = write!(line, "code {code}: {}", message.message);
                }
                (None, Some(kind)) => {
                    let _ = write!(line, "{kind}: {}", message.message);
                }
                (None, None) => {
                    // certcheck-api's text for an answer in neither envelope starts with the status.
                    let prefix = error.status.map(|s| format!("HTTP {s}: ")).unwrap_or_default();
                    line.push_str(message.message.strip_prefix(prefix.as_str()).unwrap_or(&message.message));
                }
            }
        }
        if let Some(id) = &error.request_id {
            let _ = write!(line, " (request-id {id})");
        }
        if let Some(ray) = &self.ray_id {
            let _ = write!(line, " (cf-ray {ray})");
        }
        if let Some(hint) = &self.hint {
            let _ = write!(line, ". {hint}");
        }
        line
    }
}

impl Serialize for Refusal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Message<'a> {
            code: Option<i64>,
            #[serde(rename = "type")]
            kind: Option<&'a str>,
            message: &'a str,
        }
        #[derive(Serialize)]
        struct Shape<'a> {
            vendor: &'static str,
            status: Option<u16>,
            errors: Vec<Message<'a>>,
            request_id: Option<&'a str>,
            ray_id: Option<&'a str>,
            hint: Option<&'a str>,
        }
        Shape {
            vendor: match self.error.vendor {
                Vendor::Anthropic => "anthropic",
                Vendor::Cloudflare => "cloudflare",
            },
            status: self.error.status,
            errors: self
                .error
                .errors
                .iter()
                .map(|m| Message { code: m.code, kind: m.kind.as_deref(), message: &m.message })
                .collect(),
            request_id: self.error.request_id.as_deref(),
            ray_id: self.ray_id.as_deref(),
            hint: self.hint.as_deref(),
        }
        .serialize(serializer)
    }
}

/// A request as `--dry-run` shows it: the exact method, URL, headers and body, with credential
/// headers and a private key redacted.
#[derive(Clone, Debug)]
pub(crate) struct ShownRequest {
    pub(crate) method: &'static str,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<String>,
}

/// What a dry run shows in place of a credential header's value.
fn redacted(name: &str, value: &str, credentials: Option<&Credentials>, missing: &str) -> String {
    match credentials {
        None => format!("<not set: {missing}>"),
        Some(_) if name == "authorization" && value.starts_with("Bearer ") => "Bearer <redacted>".to_owned(),
        Some(_) => "<redacted>".to_owned(),
    }
}

impl ShownRequest {
    /// `request` as sent to `base_url`; `credentials` is `None` when none are set (the dry run
    /// says which variables a real run needs: `missing`); `shown_body` replaces the body when it
    /// holds a secret (the mTLS leaf's private key).
    pub(crate) fn new(
        request: &Request,
        base_url: &str,
        credentials: Option<&Credentials>,
        missing: &str,
        shown_body: Option<String>,
    ) -> Self {
        let mut headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(name, value)| {
                let value =
                    if is_secret_header(name) { redacted(name, value, credentials, missing) } else { value.clone() };
                ((*name).to_owned(), value)
            })
            .collect();
        // What the HTTP client adds: its own headers, the host, the body's length.
        headers.push(("user-agent".to_owned(), crate::client_headers::user_agent()));
        headers.push(("accept".to_owned(), crate::client_headers::ACCEPT.to_owned()));
        let url = format!("{base_url}{}", request.path_and_query);
        let authority = url.split_once("://").map_or("", |(_, rest)| rest).split('/').next().unwrap_or_default();
        headers.push(("host".to_owned(), authority.to_owned()));
        let length = match (&request.body, request.method) {
            (Some(body), _) => Some(body.len()),
            (None, Method::Post | Method::Put) => Some(0),
            (None, _) => None,
        };
        if let Some(length) = length {
            headers.push(("content-length".to_owned(), length.to_string()));
        }
        Self { method: request.method.as_str(), url, headers, body: shown_body.or_else(|| request.body.clone()) }
    }

    /// The request as text: request line, headers, a blank line and the body.
    pub(crate) fn text(&self) -> String {
        let mut text = format!("{} {}\n", self.method, self.url);
        for (name, value) in &self.headers {
            let _ = writeln!(text, "{name}: {value}");
        }
        if let Some(body) = &self.body {
            let _ = write!(text, "\n{body}\n");
        }
        text
    }
}

impl Serialize for ShownRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Headers<'a>(&'a [(String, String)]);
        impl Serialize for Headers<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, value) in self.0 {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("method", self.method)?;
        map.serialize_entry("url", &self.url)?;
        map.serialize_entry("headers", &Headers(&self.headers))?;
        map.serialize_entry("body", &self.body)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use certcheck_api::VendorMessage;

    use super::*;

    #[test]
    fn secrets_are_scrubbed_longest_first_and_short_ones_left() {
        let out = Out::new(vec!["abc".to_owned(), "token-1234".to_owned(), "token-1234-and-more".to_owned()]);
        assert_eq!(out.scrub("a token-1234-and-more, token-1234, abc"), "a <redacted>, <redacted>, abc");
    }

    #[test]
    fn refusals_name_codes_and_request_ids() {
        let anthropic = Refusal {
            error: ApiError {
                vendor: Vendor::Anthropic,
                status: Some(409),
                errors: vec![VendorMessage { code: None, kind: Some("conflict_error".into()), message: "full".into() }],
                request_id: Some("req_1".into()),
            },
            ray_id: None,
            hint: None,
        };
        assert_eq!(
            anthropic.line("upload"),
            "Anthropic refused the upload: HTTP 409, conflict_error: full (request-id req_1)"
        );
        let cloudflare = Refusal {
            error: ApiError {
                vendor: Vendor::Cloudflare,
                status: Some(400),
                errors: vec![
                    VendorMessage { code: Some(1489), kind: None, message: "Hit maximum CA cert allocation".into() },
                    VendorMessage { code: Some(1000), kind: None, message: "again".into() },
                ],
                request_id: None,
            },
            ray_id: Some("8a1b".into()),
            hint: None,
        };
        assert_eq!(
            cloudflare.line("upload"),
            "Cloudflare refused the upload: HTTP 400, code 1489: Hit maximum CA cert allocation; code 1000: again (cf-ray 8a1b)"
        );
        let json = serde_json::to_value(&cloudflare).unwrap();
        assert_eq!(json["errors"][0]["code"], 1489);
        assert_eq!(json["vendor"], "cloudflare");
    }
}
