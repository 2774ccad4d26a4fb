//! What a vendor holds: where a destination's certificates live ([`Collection`]), each stored
//! certificate as its typed model ([`Stored`]), every page of a list ([`Listing`], a sans-I/O
//! loop that any HTTP client drives), and the decisions made on a list: whether a certificate is
//! already stored ([`find_stored`]) and whether a tunnel has room for another
//! ([`tunnel_has_room`]). The dashboard, the CLI and the sandbox's tests all use these.

use core::fmt;

use certcheck::{Destination, Report, UnixTime};
use serde_json::Value;

use crate::endpoint::{Endpoint, Generation, Scope, Vendor};
use crate::error::ApiError;
use crate::model::{AccessCertificate, Envelope, GatewayCertificate, MtlsCertificate, Page, TunnelCertificate};
use crate::request::{Credentials, ListTunnelCertificates, Request, RequestOptions, build};
use crate::verify::{VerifyError, verify_stored};

/// A tunnel holds at most this many non-archived certificates (Anthropic's reference).
pub const TUNNEL_ACTIVE_LIMIT: usize = 2;

/// Items asked for per page: Cloudflare's `per_page` (its lists take at most 50) and Anthropic's
/// `limit` (at most 1000).
pub const CLOUDFLARE_PER_PAGE: u32 = 50;
/// Anthropic's page size for certificate lists.
pub const ANTHROPIC_LIMIT: u32 = 100;

/// A list that has not ended after this many pages is refused (a vendor that keeps answering
/// with a next page would otherwise hold a client forever).
pub const MAX_PAGES: usize = 1000;

/// Where one destination's certificates live: a tunnel, an Access account or zone, an account's
/// mTLS store or its Gateway CAs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Collection {
    /// An Anthropic tunnel's certificates, in one API generation.
    Tunnel {
        /// Admin API (deprecated) or Tunnels API (current).
        generation: Generation,
        /// `tnl_…`.
        tunnel_id: String,
    },
    /// Cloudflare Access certificates of an account or a zone.
    Access {
        /// Account or zone.
        scope: Scope,
        /// The account or zone id.
        id: String,
    },
    /// An account's mTLS certificates.
    Mtls {
        /// The account id.
        account_id: String,
    },
    /// An account's Gateway CAs.
    Gateway {
        /// The account id.
        account_id: String,
    },
}

impl Collection {
    /// The destination whose certificates live here (mTLS: a CA; the `ca` flag is the upload's).
    pub fn destination(&self) -> Destination {
        match self {
            Self::Tunnel { .. } => Destination::AnthropicTunnel,
            Self::Access { .. } => Destination::CloudflareAccess,
            Self::Mtls { .. } => Destination::CloudflareMtls { ca: true },
            Self::Gateway { .. } => Destination::CloudflareGateway,
        }
    }

    /// The vendor that answers.
    pub fn vendor(&self) -> Vendor {
        match self {
            Self::Tunnel { .. } => Vendor::Anthropic,
            _ => Vendor::Cloudflare,
        }
    }

    /// `GET` of the list.
    pub fn list(&self) -> Endpoint {
        match self.clone() {
            Self::Tunnel { generation, tunnel_id } => Endpoint::TunnelCertificateList { generation, tunnel_id },
            Self::Access { scope, id } => Endpoint::AccessCertificateList { scope, id },
            Self::Mtls { account_id } => Endpoint::MtlsCertificateList { account_id },
            Self::Gateway { account_id } => Endpoint::GatewayCertificateList { account_id },
        }
    }

    /// `POST` of a new certificate (Gateway: generate a CA).
    pub fn create(&self) -> Endpoint {
        match self.clone() {
            Self::Tunnel { generation, tunnel_id } => Endpoint::TunnelCertificateCreate { generation, tunnel_id },
            Self::Access { scope, id } => Endpoint::AccessCertificateCreate { scope, id },
            Self::Mtls { account_id } => Endpoint::MtlsCertificateUpload { account_id },
            Self::Gateway { account_id } => Endpoint::GatewayCertificateCreate { account_id },
        }
    }

    /// `GET` of one certificate.
    pub fn get(&self, certificate_id: &str) -> Endpoint {
        let certificate_id = certificate_id.to_owned();
        match self.clone() {
            Self::Tunnel { generation, tunnel_id } => {
                Endpoint::TunnelCertificateGet { generation, tunnel_id, certificate_id }
            }
            Self::Access { scope, id } => Endpoint::AccessCertificateGet { scope, id, certificate_id },
            Self::Mtls { account_id } => Endpoint::MtlsCertificateGet { account_id, certificate_id },
            Self::Gateway { account_id } => Endpoint::GatewayCertificateGet { account_id, certificate_id },
        }
    }

    /// How a certificate is taken out of service: Anthropic archives (it has no delete),
    /// Cloudflare deletes.
    pub fn remove(&self, certificate_id: &str) -> Endpoint {
        let certificate_id = certificate_id.to_owned();
        match self.clone() {
            Self::Tunnel { generation, tunnel_id } => {
                Endpoint::TunnelCertificateArchive { generation, tunnel_id, certificate_id }
            }
            Self::Access { scope, id } => Endpoint::AccessCertificateDelete { scope, id, certificate_id },
            Self::Mtls { account_id } => Endpoint::MtlsCertificateDelete { account_id, certificate_id },
            Self::Gateway { account_id } => Endpoint::GatewayCertificateDelete { account_id, certificate_id },
        }
    }
}

/// One certificate as a vendor stores it, in its documented model.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Stored {
    /// An Anthropic tunnel certificate.
    Tunnel(TunnelCertificate),
    /// A Cloudflare Access certificate.
    Access(AccessCertificate),
    /// A Cloudflare account mTLS certificate.
    Mtls(MtlsCertificate),
    /// A Cloudflare Gateway CA.
    Gateway(GatewayCertificate),
}

impl Stored {
    /// Reads one certificate object of `collection`'s kind (the payload, not an envelope).
    ///
    /// # Errors
    /// [`VerifyError::Shape`] when the object is not that model.
    pub fn from_value(destination: Destination, value: Value) -> Result<Self, VerifyError> {
        let shape = |e: serde_json::Error| VerifyError::Shape { reason: e.to_string() };
        Ok(match destination {
            Destination::AnthropicTunnel => Self::Tunnel(serde_json::from_value(value).map_err(shape)?),
            Destination::CloudflareAccess => Self::Access(serde_json::from_value(value).map_err(shape)?),
            Destination::CloudflareGateway => Self::Gateway(serde_json::from_value(value).map_err(shape)?),
            _ => Self::Mtls(serde_json::from_value(value).map_err(shape)?),
        })
    }

    /// The record as the vendor's JSON (its documented model; unknown fields were dropped).
    pub fn to_json(&self) -> String {
        let json = match self {
            Self::Tunnel(c) => serde_json::to_string(c),
            Self::Access(c) => serde_json::to_string(c),
            Self::Mtls(c) => serde_json::to_string(c),
            Self::Gateway(c) => serde_json::to_string(c),
        };
        json.unwrap_or_default()
    }

    /// The vendor's id of the certificate (empty when the vendor gave none).
    pub fn id(&self) -> &str {
        match self {
            Self::Tunnel(c) => &c.id,
            Self::Access(c) => c.id.as_deref().unwrap_or_default(),
            Self::Mtls(c) => c.id.as_deref().unwrap_or_default(),
            Self::Gateway(c) => c.id.as_deref().unwrap_or_default(),
        }
    }

    /// The name the user gave it (Access, mTLS), if any.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Access(c) => c.name.as_deref(),
            Self::Mtls(c) => c.name.as_deref(),
            Self::Tunnel(_) | Self::Gateway(_) => None,
        }
    }

    /// When it expires, as the vendor says (`None`: not given, unreadable, or never).
    pub fn expires(&self) -> Option<UnixTime> {
        let text = match self {
            Self::Tunnel(c) => c.expires_at.as_deref(),
            Self::Access(c) => c.expires_on.as_deref(),
            Self::Mtls(c) => c.expires_on.as_deref(),
            Self::Gateway(c) => c.expires_on.as_deref(),
        };
        text.and_then(|t| UnixTime::parse_rfc3339(t).ok())
    }

    /// The fingerprint as the vendor spells it (mTLS records carry none).
    pub fn fingerprint(&self) -> Option<&str> {
        match self {
            Self::Tunnel(c) => Some(&c.fingerprint),
            Self::Access(c) => c.fingerprint.as_deref(),
            Self::Gateway(c) => c.fingerprint.as_deref(),
            Self::Mtls(_) => None,
        }
    }

    /// The PEM the vendor returns with the record (Gateway's CA, mTLS's stored chain).
    pub fn pem(&self) -> Option<&str> {
        match self {
            Self::Gateway(c) => c.certificate.as_deref(),
            Self::Mtls(c) => c.certificates.as_deref(),
            Self::Tunnel(_) | Self::Access(_) => None,
        }
    }

    /// Whether it is out of service for good: an archived tunnel certificate.
    pub fn archived(&self) -> bool {
        matches!(self, Self::Tunnel(c) if c.archived_at.is_some())
    }

    /// Its state in a few words: `active`/`archived` (tunnels), the hostnames using it
    /// (Access), Gateway's binding status and whether it is in use, mTLS's CA flag.
    pub fn state(&self) -> String {
        match self {
            Self::Tunnel(c) if c.archived_at.is_some() => "archived".to_owned(),
            Self::Tunnel(_) => "active".to_owned(),
            Self::Access(c) => match c.associated_hostnames.as_deref() {
                Some(hosts) if !hosts.is_empty() => format!("used by {}", hosts.join(", ")),
                _ => "no hostnames".to_owned(),
            },
            Self::Gateway(c) => {
                let status = c.binding_status.as_deref().unwrap_or("unknown");
                if c.in_use == Some(true) { format!("{status}, in use") } else { status.to_owned() }
            }
            Self::Mtls(c) => match c.ca {
                Some(true) => "CA".to_owned(),
                Some(false) => "leaf".to_owned(),
                None => "unknown".to_owned(),
            },
        }
    }
}

/// Why a list could not be read to its end.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListError {
    /// The vendor refused (its error envelope, with codes and request id).
    Vendor(ApiError),
    /// The answer is not the documented list.
    Shape {
        /// What is wrong.
        reason: String,
    },
    /// The vendor kept announcing another page past [`MAX_PAGES`], or repeated a cursor.
    Endless,
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Vendor(error) => write!(f, "the vendor refused the list: {error}"),
            Self::Shape { reason } => write!(f, "the list is not the documented shape: {reason}"),
            Self::Endless => write!(f, "the list did not end after {MAX_PAGES} pages (or repeated a page)"),
        }
    }
}

impl std::error::Error for ListError {}

/// Where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cursor {
    /// Cloudflare: a 1-based page number.
    Number(u32),
    /// Anthropic: the first page, or the cursor from `next_page`.
    Token(Option<String>),
}

/// Every page of a collection's list. Sans I/O: ask [`Listing::next_request`] for a request,
/// send it with any client, hand the answer to [`Listing::accept`], until there is no next
/// request; then [`Listing::items`] holds every certificate.
#[derive(Clone, Debug)]
pub struct Listing {
    collection: Collection,
    credentials: Credentials,
    options: RequestOptions,
    next: Option<Cursor>,
    seen: Vec<String>,
    pages: usize,
    items: Vec<Stored>,
}

impl Listing {
    /// Starts a listing; `options` carries the workspace header and, for tunnels,
    /// `include_archived` (page size and cursor are the listing's).
    pub fn new(collection: Collection, credentials: Credentials, options: RequestOptions) -> Self {
        let next = match collection {
            Collection::Tunnel { .. } => Cursor::Token(None),
            _ => Cursor::Number(1),
        };
        Self { collection, credentials, options, next: Some(next), seen: Vec::new(), pages: 0, items: Vec::new() }
    }

    /// The request for the next page, or `None` when the list is complete.
    pub fn next_request(&self) -> Option<Request> {
        let mut options = self.options.clone();
        match self.next.as_ref()? {
            Cursor::Number(page) => options.cloudflare_page = Some((*page, CLOUDFLARE_PER_PAGE)),
            Cursor::Token(cursor) => {
                let include_archived = options.list.include_archived;
                options.list = ListTunnelCertificates { include_archived, limit: None, page: cursor.clone() };
                if matches!(self.collection, Collection::Tunnel { generation: Generation::Tunnels, .. }) {
                    options.list.limit = Some(ANTHROPIC_LIMIT);
                }
            }
        }
        Some(build(&self.collection.list(), &self.credentials, None, &options))
    }

    /// Takes the answer to the last [`Listing::next_request`]: its HTTP status and body.
    ///
    /// # Errors
    /// [`ListError`] when the vendor refused, the body is not the documented list, or the list
    /// does not end; the listing is then finished.
    pub fn accept(&mut self, status: u16, body: &[u8]) -> Result<(), ListError> {
        let result = self.read_page(status, body);
        if result.is_err() {
            self.next = None;
        }
        result
    }

    fn read_page(&mut self, status: u16, body: &[u8]) -> Result<(), ListError> {
        let vendor = self.collection.vendor();
        if !(200..300).contains(&status) {
            return Err(ListError::Vendor(ApiError::parse(vendor, Some(status), body)));
        }
        let shape = |e: serde_json::Error| ListError::Shape { reason: e.to_string() };
        let destination = self.collection.destination();
        self.pages += 1;
        let (values, next) = match self.next.take() {
            Some(Cursor::Token(_)) => {
                let page: Page<Value> = serde_json::from_slice(body).map_err(shape)?;
                (page.data, page.next_page.map(|cursor| Cursor::Token(Some(cursor))))
            }
            Some(Cursor::Number(number)) => {
                let envelope: Envelope<Vec<Value>> = serde_json::from_slice(body).map_err(shape)?;
                if !envelope.success {
                    return Err(ListError::Vendor(ApiError::parse(vendor, Some(status), body)));
                }
                let values = envelope.result.unwrap_or_default();
                let info = envelope.result_info;
                let more = match info.as_ref().and_then(|i| i.total_pages) {
                    Some(total) => u64::from(number) < total,
                    // Without total_pages: a full page may have a successor.
                    None => values.len() >= CLOUDFLARE_PER_PAGE as usize && info.is_some(),
                };
                (values, more.then(|| Cursor::Number(number.saturating_add(1))))
            }
            None => return Ok(()),
        };
        for value in values {
            let stored = Stored::from_value(destination, value)
                .map_err(|error| ListError::Shape { reason: error.to_string() })?;
            self.items.push(stored);
        }
        if let Some(Cursor::Token(Some(cursor))) = &next {
            if self.seen.contains(cursor) {
                return Err(ListError::Endless);
            }
            self.seen.push(cursor.clone());
        }
        if next.is_some() && self.pages >= MAX_PAGES {
            return Err(ListError::Endless);
        }
        self.next = next;
        Ok(())
    }

    /// Whether every page has been read.
    pub fn is_complete(&self) -> bool {
        self.next.is_none()
    }

    /// The certificates read so far, in the vendor's order.
    pub fn items(&self) -> &[Stored] {
        &self.items
    }

    /// The certificates, once the list is complete.
    pub fn into_items(self) -> Vec<Stored> {
        self.items
    }
}

/// Among `items` (a collection's list, every page), the one that holds `pem`'s certificate
/// (the first certificate's fingerprint, and for mTLS the whole stored chain), with the
/// verification of that record against `pem`. Archived tunnel certificates do not count. This
/// is how an upload whose answer was lost is found before anything is sent again, and how a
/// re-upload of what is already stored is recognised.
pub fn find_stored<'a>(
    destination: Destination,
    items: &'a [Stored],
    pem: &[u8],
    now: UnixTime,
) -> Option<(&'a Stored, Report)> {
    items.iter().filter(|item| !item.archived()).find_map(|item| {
        let report = verify_stored(destination, item, Some(pem), now).ok()?;
        (!report
            .diagnostics
            .iter()
            .any(|d| matches!(d.finding, certcheck::Finding::ResponseFingerprintMismatch { .. })))
        .then_some((item, report))
    })
}

/// The tunnel's active (non-archived) certificates, when they already fill it: another upload
/// would be refused. `Ok(())` when there is room.
///
/// # Errors
/// The active certificates, oldest first as listed, when [`TUNNEL_ACTIVE_LIMIT`] are active.
pub fn tunnel_has_room<'a>(
    certificates: impl IntoIterator<Item = &'a TunnelCertificate>,
) -> Result<(), Vec<&'a TunnelCertificate>> {
    let active: Vec<&TunnelCertificate> = certificates.into_iter().filter(|c| c.archived_at.is_none()).collect();
    if active.len() >= TUNNEL_ACTIVE_LIMIT { Err(active) } else { Ok(()) }
}

/// The tunnel certificates among `items`.
pub fn tunnel_certificates(items: &[Stored]) -> impl Iterator<Item = &TunnelCertificate> {
    items.iter().filter_map(|item| match item {
        Stored::Tunnel(certificate) => Some(certificate),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use serde_json::json;

    use super::*;

    fn tunnel_item(id: &str, archived: bool) -> Value {
        json!({
            "id": id, "archived_at": if archived { json!("2026-01-01T00:00:00Z") } else { Value::Null },
            "created_at": "2026-01-01T00:00:00Z", "expires_at": null, "fingerprint": "00",
            "tunnel_id": "tnl_a", "type": "tunnel_certificate"
        })
    }

    fn listing(collection: Collection) -> Listing {
        Listing::new(collection, Credentials::Bearer("t".to_owned()), RequestOptions::default())
    }

    #[test]
    fn cloudflare_lists_are_read_until_the_last_page() {
        let mut listing = listing(Collection::Access { scope: Scope::Accounts, id: "acc".to_owned() });
        let page = |number: u32, ids: &[&str]| {
            let result: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
            let info =
                json!({ "page": number, "per_page": 50, "count": ids.len(), "total_count": 51, "total_pages": 2 });
            json!({ "success": true, "errors": [], "messages": [], "result": result, "result_info": info }).to_string()
        };
        let first = listing.next_request().unwrap();
        assert_eq!(first.path_and_query, "/accounts/acc/access/certificates?page=1&per_page=50");
        let ids: Vec<String> = (0..50).map(|i| format!("c{i}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        listing.accept(200, page(1, &refs).as_bytes()).unwrap();
        assert_eq!(
            listing.next_request().unwrap().path_and_query,
            "/accounts/acc/access/certificates?page=2&per_page=50"
        );
        listing.accept(200, page(2, &["c50"]).as_bytes()).unwrap();
        assert!(listing.is_complete());
        assert_eq!(listing.next_request(), None);
        assert_eq!(listing.items().len(), 51);
        assert_eq!(listing.items()[50].id(), "c50");
    }

    #[test]
    fn anthropic_lists_follow_the_cursor_and_refuse_a_repeated_one() {
        let collection = Collection::Tunnel { generation: Generation::Tunnels, tunnel_id: "tnl_a".to_owned() };
        let mut listing = listing(collection.clone());
        assert_eq!(listing.next_request().unwrap().path_and_query, "/v1/tunnels/tnl_a/certificates?limit=100");
        let page = json!({ "data": [tunnel_item("tcrt_1", false)], "next_page": "cur 1" }).to_string();
        listing.accept(200, page.as_bytes()).unwrap();
        assert_eq!(
            listing.next_request().unwrap().path_and_query,
            "/v1/tunnels/tnl_a/certificates?limit=100&page=cur%201"
        );
        assert_eq!(listing.accept(200, page.as_bytes()), Err(ListError::Endless));
        assert!(listing.is_complete());

        // The Admin API is not paginated: one request, no limit.
        let admin = Collection::Tunnel { generation: Generation::Admin, tunnel_id: "tnl_a".to_owned() };
        let mut listing = listing_with_archived(admin);
        assert_eq!(
            listing.next_request().unwrap().path_and_query,
            "/v1/organizations/tunnels/tnl_a/certificates?include_archived=true"
        );
        let page = json!({ "data": [tunnel_item("tcrt_1", true), tunnel_item("tcrt_2", false)] }).to_string();
        listing.accept(200, page.as_bytes()).unwrap();
        assert!(listing.is_complete());
        assert_eq!(listing.items().iter().filter(|i| i.archived()).count(), 1);
    }

    fn listing_with_archived(collection: Collection) -> Listing {
        let mut options = RequestOptions::default();
        options.list.include_archived = Some(true);
        Listing::new(collection, Credentials::Bearer("t".to_owned()), options)
    }

    #[test]
    fn refusals_and_other_shapes_end_the_listing_with_the_reason() {
        let mut listing = listing(Collection::Mtls { account_id: "acc".to_owned() });
        let refusal = json!({ "success": false, "errors": [{ "code": 10000, "message": "Authentication error" }] });
        let error = listing.accept(403, refusal.to_string().as_bytes()).unwrap_err();
        let ListError::Vendor(api) = error else { panic!("{error:?}") };
        assert_eq!(api.errors[0].code, Some(10000));
        assert!(listing.is_complete());
        let mut listing = listing_with_archived(Collection::Gateway { account_id: "acc".to_owned() });
        assert!(matches!(listing.accept(200, b"[1,2]"), Err(ListError::Shape { .. })));
    }

    #[test]
    fn a_tunnel_is_full_with_two_active_certificates() {
        let items: Vec<Stored> = [("a", false), ("b", true), ("c", false)]
            .iter()
            .map(|(id, archived)| Stored::from_value(Destination::AnthropicTunnel, tunnel_item(id, *archived)).unwrap())
            .collect();
        let full = tunnel_has_room(tunnel_certificates(&items)).unwrap_err();
        assert_eq!(full.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(tunnel_has_room(tunnel_certificates(&items[..2])), Ok(()));
        assert_eq!(items[1].state(), "archived");
        assert_eq!(items[0].state(), "active");
    }

    #[test]
    fn a_stored_certificate_is_found_by_fingerprint_and_archived_ones_do_not_count() {
        let pem = include_bytes!("../../../tests/data/anthropic/good-rsa-ca.pem");
        let answer: Value =
            serde_json::from_slice(include_bytes!("../../../tests/data/responses/anthropic-good-rsa-ca.json")).unwrap();
        let wrong: Value =
            serde_json::from_slice(include_bytes!("../../../tests/data/responses/anthropic-wrong-fingerprint.json"))
                .unwrap();
        let now = UnixTime(1_780_000_000);
        let stored = |value: &Value| Stored::from_value(Destination::AnthropicTunnel, value.clone()).unwrap();
        let items = vec![stored(&wrong), stored(&answer)];
        let found = find_stored(Destination::AnthropicTunnel, &items, pem, now).map(|(item, _)| item.id());
        assert_eq!(found, Some("tcrt_01JmWq4ZxnBvR7tKpY2sLdH9"));
        let mut archived = answer.clone();
        archived["archived_at"] = json!("2026-01-01T00:00:00Z");
        assert!(find_stored(Destination::AnthropicTunnel, &[stored(&archived)], pem, now).is_none());
        assert!(find_stored(Destination::AnthropicTunnel, &items[..1], pem, now).is_none());

        let access = include_bytes!("../../../tests/data/access/good-root.pem");
        let record: Value =
            serde_json::from_slice(include_bytes!("../../../tests/data/responses/access-good-root.json")).unwrap();
        let record = record.get("result").cloned().unwrap_or(record);
        let items = vec![Stored::from_value(Destination::CloudflareAccess, record).unwrap()];
        assert!(find_stored(Destination::CloudflareAccess, &items, access, now).is_some());
        let other = include_bytes!("../../../tests/data/anthropic/good-ec-p256-ca.pem");
        assert!(find_stored(Destination::CloudflareAccess, &items, other, now).is_none());
    }
}
