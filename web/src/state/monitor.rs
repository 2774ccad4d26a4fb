//! The manage page as a monitor: the four families of stored certificates, each record as the
//! monitor shows it ([`Holding`]: subject, validity, the vendor's fingerprint, its state), and
//! the overview's decisions: how many each family holds and which are expired or about to
//! expire, most urgent first.

use certcheck::{Report, UnixTime};
use certcheck_api::{Collection, Generation, Record, Stored};

use super::validity::Validity;
use super::{Blocked, Connection};

/// The four kinds of certificates a vendor stores, one section each on the manage page:
/// certcheck-api's one enumeration of "where".
pub use certcheck_api::Family;

/// What the manage page adds to a [`Family`]: where it is with this connection, how its
/// fingerprints are labelled, its rows' element ids and links.
pub trait Section {
    /// Where its certificates live with this connection, or which ID is missing.
    ///
    /// # Errors
    /// [`Blocked`] naming the missing or malformed ID.
    fn collection(self, connection: &Connection, generation: Generation) -> Result<Collection, Blocked>;
    /// The vendor's name.
    fn vendor_name(self) -> &'static str;
    /// How its fingerprints are spelled on screen.
    fn fingerprint_label(self) -> &'static str;
    /// The element id of a record's row (only characters valid in a URL fragment and a CSS id).
    fn row_id(self, id: &str) -> String;
    /// The link to a record's row: the manage page, scrolled to it.
    fn href(self, id: &str) -> String;
}

impl Section for Family {
    fn collection(self, connection: &Connection, generation: Generation) -> Result<Collection, Blocked> {
        connection.collection(self, generation)
    }

    fn vendor_name(self) -> &'static str {
        match self.vendor() {
            certcheck_api::Vendor::Anthropic => "Anthropic",
            certcheck_api::Vendor::Cloudflare => "Cloudflare",
        }
    }

    fn fingerprint_label(self) -> &'static str {
        match self {
            Self::Anthropic => "SHA-256 (Anthropic)",
            Self::Access => "MD5 (Cloudflare Access)",
            Self::Mtls => "SHA-256 (computed: Cloudflare shows none)",
            Self::Gateway => "SHA-256 (Cloudflare Gateway)",
        }
    }

    fn row_id(self, id: &str) -> String {
        let safe: String =
            id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' }).collect();
        format!("row-{}-{safe}", self.name())
    }

    fn href(self, id: &str) -> String {
        format!("#/manage/{}/{}", self.name(), id)
    }
}

/// Where a holding's subject was read (certcheck-api's [`certcheck_api::CertificateSource`]).
pub use certcheck_api::CertificateSource as SubjectSource;

/// One stored certificate as the monitor shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    /// Its family.
    pub family: Family,
    /// The vendor's id.
    pub id: String,
    /// The name the user gave it (Access, mTLS).
    pub name: Option<String>,
    /// Its subject (RFC 4514), when known.
    pub subject: Option<String>,
    /// Where the subject was read.
    pub subject_from: SubjectSource,
    /// notBefore, when the certificate itself is known.
    pub not_before: Option<UnixTime>,
    /// When it expires: the certificate's notAfter when known, else the vendor's field
    /// (certcheck-api's [`Record`] rule).
    pub not_after: Option<UnixTime>,
    /// The fingerprint as the vendor spells it (mTLS: computed from the stored PEM).
    pub fingerprint: Option<String>,
    /// Its state in a few words (`active`, `archived`, `used by …`, a Gateway status, `CA`).
    pub state: String,
    /// Out of service for good (an archived tunnel certificate): never urgent.
    pub archived: bool,
}

impl Holding {
    /// Reads `stored` (of `family`) as certcheck-api's [`Record`] does: the certificate from the
    /// PEM the vendor returned, else the one in `local` (the Check page's report) with the same
    /// fingerprint; the expiry by the record's one rule.
    pub fn new(family: Family, stored: &Stored, local: Option<&Report>, now: UnixTime) -> Self {
        let record = Record::new(family, stored, local, now);
        Self {
            family,
            subject: record.subject().map(str::to_owned),
            not_before: record.certificate.as_ref().map(|c| c.not_before),
            id: record.id,
            name: record.name,
            subject_from: record.certificate_from,
            not_after: record.not_after,
            fingerprint: record.fingerprint,
            state: record.state,
            archived: record.archived,
        }
    }

    /// The subject, or "unknown".
    pub fn subject_text(&self) -> &str {
        self.subject.as_deref().unwrap_or("unknown")
    }

    /// What a person calls it: the name given, else the subject's common name, else the id.
    pub fn title(&self) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        match &self.subject {
            Some(subject) => common_name(subject),
            None => self.id.clone(),
        }
    }

    /// Its validity at `now`, when its expiry is known.
    pub fn validity(&self, now: UnixTime) -> Option<Validity> {
        self.not_after.map(|not_after| Validity::new(self.not_before, not_after, now))
    }
}

/// The common name of a subject, else the whole subject.
pub fn common_name(subject: &str) -> String {
    certcheck_api::attribute_values(subject, "CN").into_iter().next().unwrap_or_else(|| subject.to_owned())
}

/// The holdings that need attention: not archived, expired or expiring within `within_days`
/// days, most urgent (earliest expiry) first.
pub fn expiring(holdings: &[Holding], now: UnixTime, within_days: u32) -> Vec<&Holding> {
    let mut urgent: Vec<&Holding> = holdings
        .iter()
        .filter(|holding| !holding.archived)
        .filter(|holding| holding.not_after.is_some_and(|not_after| not_after.expires_within(now, within_days)))
        .collect();
    urgent.sort_by(|a, b| (a.not_after, a.family.name(), &a.id).cmp(&(b.not_after, b.family.name(), &b.id)));
    urgent
}

/// The overview's threshold field: whole days from 0 to [`MAX_THRESHOLD_DAYS`].
///
/// # Errors
/// A sentence saying what is accepted.
pub fn threshold_days(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(days) if days <= MAX_THRESHOLD_DAYS => Ok(days),
        _ => Err(format!("The threshold must be a whole number of days from 0 to {MAX_THRESHOLD_DAYS}.")),
    }
}

/// The largest threshold the overview takes (ten years).
pub const MAX_THRESHOLD_DAYS: u32 = 3650;

/// The overview's default threshold: the core's "expires soon".
pub const DEFAULT_THRESHOLD_DAYS: u32 = certcheck::EXPIRES_SOON_DAYS;

/// What a family holds, in a few words: `2 active, 1 archived`, `31 certificates`.
pub fn count_text(family: Family, holdings: &[Holding]) -> String {
    let plural = |n: usize| if n == 1 { "certificate" } else { "certificates" };
    let total = holdings.len();
    match family {
        Family::Anthropic => {
            let archived = holdings.iter().filter(|h| h.archived).count();
            match archived {
                0 => format!("{} active", total),
                archived => format!("{} active, {archived} archived", total - archived),
            }
        }
        _ => format!("{total} {}", plural(total)),
    }
}

/// Where the URL's fragment points: a page, and on the manage page possibly one record's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The page shown.
    pub page: super::Page,
    /// The row to scroll to and focus (`#/manage/<family>/<id>`).
    pub target: Option<(Family, String)>,
}

impl Route {
    /// Reads a location hash (`#/`, `#/manage`, `#/manage/access/<id>`).
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(3, '/');
        if path.starts_with("create") {
            return Self { page: super::Page::Create, target: None };
        }
        if parts.next().is_none_or(|first| !first.starts_with("manage")) {
            return Self { page: super::Page::Check, target: None };
        }
        let target = match (parts.next().and_then(Family::from_name), parts.next()) {
            (Some(family), Some(id)) if !id.is_empty() => Some((family, super::percent_decoded(id))),
            _ => None,
        };
        Self { page: super::Page::Manage, target }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::state::Page;

    const GOOD_RSA_CA: &[u8] = include_bytes!("../../../tests/data/anthropic/good-rsa-ca.pem");
    const ANTHROPIC_ANSWER: &[u8] = include_bytes!("../../../tests/data/responses/anthropic-good-rsa-ca.json");
    const EC_CA: &[u8] = include_bytes!("../../../tests/data/anthropic/good-ec-p256-ca.pem");
    const ACCESS_ROOT: &[u8] = include_bytes!("../../../tests/data/access/good-root.pem");
    const ACCESS_ANSWER: &[u8] = include_bytes!("../../../tests/data/responses/access-good-root.json");

    fn now() -> UnixTime {
        UnixTime::parse_rfc3339("2026-06-01T00:00:00Z").unwrap_or(UnixTime(0))
    }

    fn stored(family: Family, value: serde_json::Value) -> Stored {
        let value = value.get("result").cloned().unwrap_or(value);
        Stored::from_value(family.destination(), value).unwrap_or_else(|e| panic!("{e}"))
    }

    fn answer(bytes: &[u8]) -> serde_json::Value {
        serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn subjects_come_from_the_stored_pem_else_the_local_input_else_unknown() {
        let record = stored(Family::Anthropic, answer(ANTHROPIC_ANSWER));
        let unknown = Holding::new(Family::Anthropic, &record, None, now());
        assert_eq!((unknown.subject_text(), unknown.subject_from), ("unknown", SubjectSource::Unknown));
        assert_eq!(unknown.not_before, None);
        assert_eq!(unknown.not_after, record.expires());
        assert_eq!(unknown.title(), "tcrt_01JmWq4ZxnBvR7tKpY2sLdH9");

        let local = certcheck::inspect(GOOD_RSA_CA, now());
        let known = Holding::new(Family::Anthropic, &record, Some(&local), now());
        assert_eq!(known.subject_from, SubjectSource::LocalInput);
        assert_eq!(known.subject.as_deref(), local.certificates.first().map(|c| c.subject.as_str()));
        assert!(known.not_before.is_some());
        assert_eq!(known.fingerprint.as_deref(), Some(record.fingerprint().unwrap_or_default()));
        assert_eq!(known.state, "active");

        // Access spells MD5, colon-separated, with a prefix: it still matches.
        let access = stored(Family::Access, answer(ACCESS_ANSWER));
        let local = certcheck::inspect(ACCESS_ROOT, now());
        let holding = Holding::new(Family::Access, &access, Some(&local), now());
        assert_eq!(holding.subject_from, SubjectSource::LocalInput);
        assert!(holding.fingerprint.as_deref().is_some_and(|f| f.starts_with("MD5 Fingerprint=")));
        // Another input does not match.
        let other = certcheck::inspect(EC_CA, now());
        assert_eq!(Holding::new(Family::Access, &access, Some(&other), now()).subject_from, SubjectSource::Unknown);

        // mTLS returns the PEM: the subject and a computed fingerprint come from it.
        let pem = String::from_utf8_lossy(ACCESS_ROOT).into_owned();
        let mtls = stored(
            Family::Mtls,
            json!({ "id": "m1", "ca": true, "certificates": pem, "expires_on": "2030-01-01T00:00:00Z", "name": "" }),
        );
        let holding = Holding::new(Family::Mtls, &mtls, None, now());
        assert_eq!(holding.subject_from, SubjectSource::StoredPem);
        assert_eq!(holding.name, None, "an empty name is no name");
        assert_eq!(holding.title(), "Example Root CA");
        assert!(holding.fingerprint.as_deref().is_some_and(|f| f.len() == 95));
        assert_eq!(holding.state, "CA");
    }

    fn holding(family: Family, id: &str, expires: Option<&str>, archived: bool) -> Holding {
        Holding {
            family,
            id: id.to_owned(),
            name: None,
            subject: None,
            subject_from: SubjectSource::Unknown,
            not_before: None,
            not_after: expires.and_then(|e| UnixTime::parse_rfc3339(e).ok()),
            fingerprint: None,
            state: String::new(),
            archived,
        }
    }

    #[test]
    fn the_overview_lists_expired_and_expiring_most_urgent_first() {
        let holdings = vec![
            holding(Family::Access, "later", Some("2026-06-25T00:00:00Z"), false),
            holding(Family::Gateway, "far", Some("2027-01-01T00:00:00Z"), false),
            holding(Family::Anthropic, "expired", Some("2026-05-01T00:00:00Z"), false),
            holding(Family::Anthropic, "archived", Some("2026-05-01T00:00:00Z"), true),
            holding(Family::Mtls, "never", None, false),
            holding(Family::Access, "soon", Some("2026-06-05T00:00:00Z"), false),
        ];
        let ids = |days| expiring(&holdings, now(), days).iter().map(|h| h.id.as_str()).collect::<Vec<_>>();
        assert_eq!(ids(30), ["expired", "soon", "later"]);
        assert_eq!(ids(10), ["expired", "soon"]);
        assert_eq!(ids(0), ["expired"]);
        assert_eq!(ids(365), ["expired", "soon", "later", "far"]);
        assert_eq!(threshold_days(" 45 "), Ok(45));
        assert!(threshold_days("-1").is_err());
        assert!(threshold_days("3651").is_err());
        assert!(threshold_days("ten").is_err());
        assert_eq!(count_text(Family::Anthropic, &holdings[2..4]), "1 active, 1 archived");
        assert_eq!(count_text(Family::Anthropic, &holdings[2..3]), "1 active");
        assert_eq!(count_text(Family::Access, &holdings[..1]), "1 certificate");
        assert_eq!(count_text(Family::Access, &holdings), "6 certificates");
    }

    #[test]
    fn routes_name_a_page_and_a_row() {
        assert_eq!(Route::from_hash(""), Route { page: Page::Check, target: None });
        assert_eq!(Route::from_hash("#/"), Route { page: Page::Check, target: None });
        assert_eq!(Route::from_hash("#/manage"), Route { page: Page::Manage, target: None });
        assert_eq!(Route::from_hash("#/create"), Route { page: Page::Create, target: None });
        assert_eq!(Route::from_hash("#manage/nothing"), Route { page: Page::Manage, target: None });
        assert_eq!(
            Route::from_hash("#/manage/access/abc%2D1"),
            Route { page: Page::Manage, target: Some((Family::Access, "abc-1".to_owned())) }
        );
        assert_eq!(Family::Access.href("abc-1"), "#/manage/access/abc-1");
        assert_eq!(Family::Gateway.row_id("a b/c"), "row-gateway-a_b_c");
        assert_eq!(Family::from_name("mtls"), Some(Family::Mtls));
        assert_eq!(Family::Mtls.to_string(), "Cloudflare mTLS (account)");
    }
}
