//! The dashboard's state as plain Rust, tested with `cargo test`: what the input is, what a
//! destination requires, the upload form read into certcheck-api's upload plan (which decides
//! what is sent and how it ended), and the small calculations the views show. No Leptos, no
//! browser.
//! Submodules: [`clock`] (the page's clock: the computer's or pinned by the address), [`validity`] (days left, the bar, readable dates), [`monitor`] (the manage page's
//! families, records and overview, and routes), [`write`] (the manage page's writes and their
//! confirmations), [`peer`] (testing a certificate against the pasted CA).

pub mod clock;
pub mod create;
pub mod monitor;
pub mod peer;
pub mod validity;
pub mod write;

use std::fmt;

use certcheck::{Destination, Diagnostic, Options, Report, Severity, Signatures, UnixTime};
use certcheck_api::{
    Blocked as UploadBlocked, Collection, Credentials, Endpoint, Family, Fields, Generation, LeafKey, Place,
    PlaceError, PlaceId, Request, RequestOptions, Upload, UploadBody,
};
use serde_json::Value;

pub use validity::{days_left, elapsed_per_mille};

/// The two pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// Paste, check, fix, test, upload, verify.
    Check,
    /// Monitor and manage what the vendors hold.
    Manage,
    /// Make a CA and the certificate it verifies.
    Create,
}

/// How far the signatures of the report on screen are verified. A check shows at once what is
/// already known (`Signatures::Known`); the rest are verified in idle slices, then the input is
/// checked again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verification {
    /// Every signature the report names is verified (or there is none).
    #[default]
    Complete,
    /// `done` of `total` verified so far: the report leaves the others unverified.
    Pending {
        /// Verified so far.
        done: usize,
        /// To verify.
        total: usize,
    },
    /// The worker that verifies signatures cannot be used: the report leaves them unverified.
    Unavailable,
}

impl Verification {
    /// `complete` or `pending` (the summary's `data-signatures`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Pending { .. } => "pending",
            Self::Unavailable => "unavailable",
        }
    }

    /// "Verifying signatures… 12/117", or nothing once complete.
    pub fn text(self) -> Option<String> {
        match self {
            Self::Complete => None,
            Self::Pending { done, total } => Some(format!("Verifying signatures… {done}/{total}")),
            Self::Unavailable => {
                Some("Signatures not verified: this browser could not start the worker that verifies them.".to_owned())
            }
        }
    }
}

/// What the Upload button waits for besides the report itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UploadGate {
    /// The input changed since the report was made.
    pub stale: bool,
    /// An upload is in flight or its outcome is being established.
    pub busy: bool,
    /// Signatures still being verified.
    pub verification: Verification,
    /// The input is blank.
    pub blank: bool,
}

impl UploadGate {
    /// Why the upload may not go now, checked in the order a person can act on: first what is
    /// still running, then [`upload_body`]'s reasons and the credentials.
    pub fn blocked(
        self,
        report: Option<&Report>,
        choice: Choice,
        form: &UploadForm,
        connection: &Connection,
        sandbox: bool,
    ) -> Option<Blocked> {
        if self.stale {
            return Some(Blocked::Checking);
        }
        if self.busy {
            return Some(Blocked::Busy);
        }
        if report.is_none() && self.blank {
            return Some(Blocked::Empty);
        }
        if choice.destination != Destination::CloudflareGateway {
            match self.verification {
                Verification::Complete => {}
                Verification::Pending { .. } => return Some(Blocked::Verifying),
                Verification::Unavailable => return Some(Blocked::Unverifiable),
            }
        }
        match upload_body(report, choice, form, connection) {
            Err(reason) => Some(reason),
            Ok(_) => connection.credentials(sandbox).err(),
        }
    }
}

/// What the user gave: text (pasted, typed, or a text file) or the bytes of a binary file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Text as the paste area holds it.
    Text(String),
    /// A binary file (DER, PKCS#7, PKCS#12), kept as bytes.
    Binary {
        /// The file's name, for display.
        name: String,
        /// Its bytes, as read.
        bytes: Vec<u8>,
    },
}

impl Default for Input {
    fn default() -> Self {
        Self::Text(String::new())
    }
}

impl Input {
    /// A dropped or picked file: text when it decodes as text (UTF-8, UTF-16 with BOM), else
    /// bytes.
    pub fn from_file(name: &str, bytes: Vec<u8>) -> Self {
        match certcheck::decoded_text(&bytes) {
            Some(text) => Self::Text(text),
            None => Self::Binary { name: name.to_owned(), bytes },
        }
    }

    /// The bytes the core checks.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Self::Text(text) => text.as_bytes(),
            Self::Binary { bytes, .. } => bytes,
        }
    }

    /// Nothing to check yet (empty or only whitespace).
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Text(text) => text.trim().is_empty(),
            Self::Binary { bytes, .. } => bytes.is_empty(),
        }
    }

    /// The input after a fix: text again when the result decodes as text.
    pub fn after_fix(&self, fixed: Vec<u8>) -> Self {
        let name = match self {
            Self::Binary { name, .. } => name.clone(),
            Self::Text(_) => String::new(),
        };
        Self::from_file(&name, fixed)
    }
}

/// Where the upload goes, with the choices a destination has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The destination (Cloudflare mTLS with its CA-or-leaf flag).
    pub destination: Destination,
    /// Anthropic: which API generation.
    pub generation: Generation,
}

impl Default for Choice {
    fn default() -> Self {
        Self { destination: Destination::AnthropicTunnel, generation: Generation::Tunnels }
    }
}

impl Choice {
    /// The core's options for this choice at `now`, verifying every signature.
    pub fn options(self, now: UnixTime) -> Options {
        Options::new(Some(self.destination), now)
    }

    /// The same, reporting only signatures already verified (the check that renders at once;
    /// `certcheck::check_with_tasks` lists the rest).
    pub fn quick_options(self, now: UnixTime) -> Options {
        Options { signatures: Signatures::Known, ..self.options(now) }
    }

    /// Picks the destination called `name`, keeping the mTLS CA-or-leaf flag chosen before.
    pub fn with_name(self, name: &str) -> Self {
        let ca = self.destination.ca();
        match Destination::from_name(name, None) {
            Ok(Destination::CloudflareMtls { .. }) => Self { destination: Destination::CloudflareMtls { ca }, ..self },
            Ok(destination) => Self { destination, ..self },
            Err(_) => self,
        }
    }

    /// Whether this is the mTLS leaf upload (which sends a private key).
    pub fn is_leaf_upload(self) -> bool {
        !self.destination.ca()
    }

    /// Where this destination's certificates live, with the connection's ids, or why not known.
    pub fn collection(self, connection: &Connection) -> Result<Collection, Blocked> {
        connection.collection(Family::of(self.destination), self.generation)
    }
}

/// IDs and the API token, shared by the upload and manage views. Kept in memory; stored in
/// `sessionStorage` only when the user ticks "Remember for this tab"; never in `localStorage`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Connection {
    /// Anthropic tunnel id.
    pub tunnel_id: String,
    /// Anthropic `anthropic-workspace-id` (current API, optional).
    pub workspace_id: String,
    /// Cloudflare account id.
    pub account_id: String,
    /// Cloudflare zone id (Access certificates may be zone-scoped).
    pub zone_id: String,
    /// Access: zone-scoped when `true`, account-scoped otherwise.
    pub access_zone: bool,
    /// The API token (Bearer).
    pub token: String,
    /// The user asked to keep this for the tab's life.
    pub remember: bool,
}

/// IDs the sandbox answers for, filled in when the server says it is a sandbox.
pub const SANDBOX_TUNNEL_ID: &str = "tnl_sandbox";
/// The account id used against the sandbox (the one in Cloudflare's reference examples).
pub const SANDBOX_ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// The zone id used against the sandbox.
pub const SANDBOX_ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// What the sandbox is sent when no token is given (it accepts any bearer token).
pub const SANDBOX_TOKEN: &str = "sandbox";

impl Connection {
    /// Fills empty IDs with the sandbox's.
    pub fn with_sandbox_defaults(mut self) -> Self {
        for (field, default) in [
            (&mut self.tunnel_id, SANDBOX_TUNNEL_ID),
            (&mut self.account_id, SANDBOX_ACCOUNT_ID),
            (&mut self.zone_id, SANDBOX_ZONE_ID),
        ] {
            if field.trim().is_empty() {
                *field = default.to_owned();
            }
        }
        self
    }

    /// The credentials to send, or why there are none. The sandbox takes any token.
    pub fn credentials(&self, sandbox: bool) -> Result<Credentials, Blocked> {
        let token = self.token.trim();
        let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
        match (token.is_empty(), sandbox) {
            (false, _) => Ok(Credentials::Bearer(token.to_owned())),
            (true, true) => Ok(Credentials::Bearer(SANDBOX_TOKEN.to_owned())),
            (true, false) => Err(Blocked::Missing("API token")),
        }
    }

    /// What "Remember for this tab" stores (JSON), or `None` when the user did not ask.
    pub fn to_session(&self) -> Option<String> {
        self.remember.then(|| {
            serde_json::json!({
                "tunnel_id": self.tunnel_id, "workspace_id": self.workspace_id,
                "account_id": self.account_id, "zone_id": self.zone_id,
                "access_zone": self.access_zone, "token": self.token,
            })
            .to_string()
        })
    }

    /// Reads what [`Connection::to_session`] stored; anything unreadable is ignored.
    pub fn from_session(text: &str) -> Option<Self> {
        let value: Value = serde_json::from_str(text).ok()?;
        let field = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
        Some(Self {
            tunnel_id: field("tunnel_id"),
            workspace_id: field("workspace_id"),
            account_id: field("account_id"),
            zone_id: field("zone_id"),
            access_zone: value.get("access_zone").and_then(Value::as_bool).unwrap_or(false),
            token: field("token"),
            remember: true,
        })
    }

    /// Where `family`'s certificates are with these ids (certcheck-api's [`Collection::new`]),
    /// or which ID is missing or malformed.
    pub fn collection(&self, family: Family, generation: Generation) -> Result<Collection, Blocked> {
        let place = Place {
            generation,
            tunnel_id: &self.tunnel_id,
            account_id: &self.account_id,
            zone_id: self.access_zone.then_some(self.zone_id.as_str()),
        };
        Collection::new(family, &place).map_err(|error| {
            let label = |which: PlaceId| match which {
                PlaceId::Tunnel => "Tunnel ID",
                PlaceId::Account => "Account ID",
                PlaceId::Zone => "Zone ID",
            };
            match error {
                PlaceError::Missing(which) => Blocked::Missing(label(which)),
                PlaceError::Malformed(which) => Blocked::BadIdentifier(label(which)),
            }
        })
    }

    /// The account id, checked.
    pub fn account(&self) -> Result<String, Blocked> {
        match self.collection(Family::Gateway, Generation::Tunnels)? {
            Collection::Gateway { account_id } => Ok(account_id),
            _ => Err(Blocked::Missing("Account ID")),
        }
    }

    /// The request for `endpoint` with these credentials and options, or why there is none.
    pub fn request(&self, endpoint: &Endpoint, body: Option<String>, sandbox: bool) -> Result<Request, Blocked> {
        Ok(certcheck_api::build(endpoint, &self.credentials(sandbox)?, body, &self.request_options()))
    }

    /// Request options (the workspace header).
    pub fn request_options(&self) -> RequestOptions {
        let workspace = self.workspace_id.trim();
        RequestOptions { workspace_id: (!workspace.is_empty()).then(|| workspace.to_owned()), ..Default::default() }
    }
}

/// The upload form's own fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadForm {
    /// Name (Access requires one; mTLS optional).
    pub name: String,
    /// Access hostnames, comma or space separated.
    pub hostnames: String,
    /// mTLS leaf: the private key PEM (prefilled from the input).
    pub private_key: String,
    /// mTLS leaf: the user confirmed sending the key to Cloudflare.
    pub send_key: bool,
}

/// Why the upload button is disabled. Each says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// No input yet.
    Empty,
    /// The check has not run on the latest input yet.
    Checking,
    /// Signatures are still being verified.
    Verifying,
    /// Signatures cannot be verified in this browser (its worker did not start).
    Unverifiable,
    /// Errors remain in the report.
    Errors(usize),
    /// A field the endpoint needs is empty.
    Missing(&'static str),
    /// An ID with characters no vendor uses.
    BadIdentifier(&'static str),
    /// mTLS leaf without a private key.
    NoPrivateKey,
    /// mTLS leaf: the user has not confirmed sending the key.
    KeyNotConfirmed,
    /// Gateway certificates are generated, not uploaded.
    Generated,
    /// An upload is in flight, or its outcome is being established.
    Busy,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Paste or drop a certificate first."),
            Self::Checking => f.write_str("Checking…"),
            Self::Verifying => f.write_str("Verifying signatures…"),
            Self::Unverifiable => {
                f.write_str("Signatures could not be verified in this browser: upload with the CLI, which verifies them.")
            }
            Self::Errors(1) => f.write_str("1 error remains: fix it first (see the list above)."),
            Self::Errors(n) => write!(f, "{n} errors remain: fix them first (see the list above)."),
            Self::Missing(what) => write!(f, "Fill in {what}."),
            Self::BadIdentifier(what) => write!(f, "{what} may hold only letters, digits, '-', '_' and '.'."),
            Self::NoPrivateKey => f.write_str("A leaf upload needs the leaf's private key (PEM) in the Private key field."),
            Self::KeyNotConfirmed => f.write_str("Confirm that the private key may be sent to Cloudflare."),
            Self::Generated => f.write_str(
                "Cloudflare generates Gateway CAs: nothing is uploaded. Create one under Manage → Gateway and check it here.",
            ),
            Self::Busy => f.write_str("Working…"),
        }
    }
}

/// Number of error diagnostics.
pub fn error_count(report: &Report) -> usize {
    report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
}

/// What an upload posts, or why it may not go (certcheck-api's [`UploadBody`] decides; this
/// reads the form into its [`Fields`] and keeps the order a person acts on: the check, then the
/// connection's IDs, then the form). `report` must be the check of the current input for
/// `choice`; the body carries its normalized PEM (certificates only) and, for an mTLS leaf, the
/// Private key field.
pub fn upload_body(
    report: Option<&Report>,
    choice: Choice,
    form: &UploadForm,
    connection: &Connection,
) -> Result<(Collection, UploadBody), Blocked> {
    if choice.destination == Destination::CloudflareGateway {
        return Err(Blocked::Generated);
    }
    let report = report.ok_or(Blocked::Checking)?;
    let fields = Fields {
        name: form.name.clone(),
        hostnames: split_hostnames(&form.hostnames),
        key: LeafKey::Given(form.private_key.clone()),
        send_key: form.send_key,
    };
    let body = UploadBody::new(choice.destination, report, &[], &fields);
    if let Err(reason @ (UploadBlocked::Errors(_) | UploadBlocked::NoCertificate | UploadBlocked::Generated)) = body {
        return Err(reason.into());
    }
    let collection = choice.collection(connection)?;
    Ok((collection, body?))
}

/// The upload as certcheck-api's plan, ready to drive (`now`: when the vendor's records are
/// verified), or why it may not go.
pub fn upload_plan(
    report: Option<&Report>,
    choice: Choice,
    form: &UploadForm,
    connection: &Connection,
    sandbox: bool,
    now: UnixTime,
) -> Result<Upload, Blocked> {
    let (collection, body) = upload_body(report, choice, form, connection)?;
    let credentials = connection.credentials(sandbox)?;
    Ok(Upload::new(collection, credentials, connection.request_options(), body, now))
}

/// The create request an upload sends (the plan's post), or why it may not go.
pub fn upload_request(
    report: Option<&Report>,
    choice: Choice,
    form: &UploadForm,
    connection: &Connection,
    sandbox: bool,
) -> Result<Request, Blocked> {
    upload_plan(report, choice, form, connection, sandbox, UnixTime(0)).map(|plan| plan.post())
}

impl From<UploadBlocked> for Blocked {
    fn from(reason: UploadBlocked) -> Self {
        match reason {
            UploadBlocked::Errors(count) => Self::Errors(count),
            UploadBlocked::NoCertificate => Self::Empty,
            UploadBlocked::NoName => Self::Missing("Name"),
            UploadBlocked::KeyNotConsented => Self::KeyNotConfirmed,
            UploadBlocked::NoPrivateKey | UploadBlocked::KeyEncrypted | UploadBlocked::KeyNotPem { .. } => {
                Self::NoPrivateKey
            }
            _ => Self::Generated,
        }
    }
}

/// The name an upload gets when the Name field is left empty (certcheck-api's rule).
pub use certcheck_api::default_name;

/// What verifying a destination's answer compares, for the result panel.
pub fn compared(destination: Destination) -> &'static str {
    match destination {
        Destination::AnthropicTunnel => "Compared with the local certificate: SHA-256 fingerprint and expiry.",
        Destination::CloudflareAccess => "Compared with the local certificate: MD5 fingerprint and expiry.",
        Destination::CloudflareMtls { .. } => {
            "Compared with the local certificates: each stored certificate's SHA-256, the CA flag, serial, issuer and expiry."
        }
        Destination::CloudflareGateway => "Compared with the certificate it carries: fingerprint, issuer and expiry.",
        _ => "",
    }
}

/// A comma/space separated field's entries, as typed.
fn split_hostnames(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace()).map(str::to_owned).collect()
}

/// Hostnames from a comma/space separated field, trimmed, without repeats (certcheck-api's
/// [`certcheck_api::hostnames`]).
pub fn parse_hostnames(text: &str) -> Vec<String> {
    certcheck_api::hostnames(text.split(|c: char| c == ',' || c.is_whitespace()))
}

/// The PEM of the private key an mTLS leaf upload sends (certcheck-api's
/// [`certcheck_api::leaf_key_index`]: the key of certificate 0, else the first), found and
/// normalized by the core: escaped, CRLF and look-alike input included. It fills the Private key
/// field.
pub fn private_key_pem(input: &Input, report: &Report) -> Option<String> {
    certcheck_api::leaf_key_index(report).and_then(|index| certcheck::private_key_pem(input.bytes(), index))
}

/// Keeps only what a vendor's answer showed (`response.*`): the certificate's own findings are
/// already on screen.
pub fn answer_findings(mut report: Report) -> Report {
    report.diagnostics.retain(|d| d.finding.is_response());
    report
}

/// Whether a verification found the stored certificate different from the local one (not
/// certcheck-api's [`certcheck_api::verified`]).
pub fn response_differs(report: &Report) -> bool {
    !certcheck_api::verified(report)
}

/// The `id` of the certificate in a create answer (Cloudflare's `result`, or Anthropic's bare
/// object); empty when it names none.
pub fn answer_id(body: &[u8]) -> String {
    certcheck_api::answer_id(body).unwrap_or_default()
}

/// The Gateway `validity_period_days` field, checked against 1–10950.
pub fn validity_days(text: &str) -> Result<u32, String> {
    let range = certcheck_api::GATEWAY_VALIDITY_DAYS;
    match text.trim().parse::<u32>() {
        Ok(days) if range.contains(&days) => Ok(days),
        _ => Err(format!("Validity must be a whole number of days from {} to {}.", range.start(), range.end())),
    }
}

/// How a certificate of the report relates to its issuer, and what verified its signature:
/// `issued by #2, signature verified by #2`, `self-signed (verified)`, `issuer not in this
/// input, signature not verified`. `verifying`: signatures are still being verified, so an
/// unverified one may yet be.
pub fn chain_role(certificate: &certcheck::CertificateInfo, verifying: bool) -> String {
    use certcheck::VerifiedBy;
    let issuer = match (certificate.self_signed, certificate.issuer_index) {
        (true, _) => return "self-signed (verified)".to_owned(),
        (false, Some(issuer)) => format!("issued by #{}", issuer + 1),
        (false, None) if certificate.self_issued => "self-issued".to_owned(),
        (false, None) => "issuer not in this input".to_owned(),
    };
    let signature = match certificate.verified_by {
        Some(VerifiedBy::Issuer(index)) => format!("signature verified by #{}", index + 1),
        Some(VerifiedBy::SelfSigned) => "self-signed (verified)".to_owned(),
        None if verifying => "verifying signature…".to_owned(),
        None => "signature not verified".to_owned(),
    };
    format!("{issuer}, {signature}")
}

/// Diagnostics in reading order of importance: errors, warnings, infos; by line within each.
pub fn ordered(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut list: Vec<&Diagnostic> = diagnostics.iter().collect();
    list.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.line.unwrap_or(u32::MAX), d.column.unwrap_or(0)));
    list
}

/// How many lines `text` has (an empty text has one).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// The gutter's text: the numbers 1 to `lines`, one per line.
pub fn line_numbers(lines: usize) -> String {
    let mut out = String::with_capacity(lines * 5);
    for number in 1..=lines {
        out.push_str(&number.to_string());
        out.push('\n');
    }
    out
}

/// The UTF-16 range (what `setSelectionRange` takes) of 1-based `line` in `text`, without its
/// line break.
pub fn line_range(text: &str, line: u32) -> Option<(u32, u32)> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let mut start = 0usize;
    for (number, content) in text.split('\n').enumerate() {
        let length: usize = content.chars().map(char::len_utf16).sum();
        if number == index {
            return Some((u32::try_from(start).ok()?, u32::try_from(start + length).ok()?));
        }
        start += length + 1;
    }
    None
}

/// A file name for a downloaded certificate: the id, made safe.
pub fn pem_file_name(id: &str) -> String {
    let safe: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).take(64).collect();
    if safe.is_empty() { "certificate.pem".to_owned() } else { format!("{safe}.pem") }
}

/// Undoes the `%XX` escapes a browser may put in an address (a fragment's ids, a query's time);
/// anything else, and text that would not be UTF-8 once decoded, is kept as written.
pub(crate) fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                index += 3;
            }
            None => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests;
