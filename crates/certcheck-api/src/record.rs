//! A stored record as every face shows it ([`Record`]): its certificate (from the PEM the vendor
//! returns, else the local certificate with the same fingerprint), its expiry by one rule
//! ([`ExpirySource`]), its fingerprint in the vendor's spelling ([`spelling`]), whether it agrees
//! with its own PEM, its typed Gateway [`BindingStatus`], and whether the vendor would take its
//! removal ([`Removal`]). The CLI's `list` and `remove` and the dashboard's monitor and manage
//! tables render these; none of them decides.

use certcheck::{CertificateInfo, Destination, Diagnostic, Report, UnixTime, parse_fingerprint};

use crate::listing::{Family, Stored};
use crate::model::{GatewayCertificate, MtlsAssociation};
use crate::verify::{vendor_pem, verified, verify_stored};

/// A certificate's fingerprint as `destination`'s vendor spells it: Anthropic's SHA-256 in
/// lowercase hex, Access's `MD5 Fingerprint=…`, Gateway's SHA-256 in uppercase colon form; the
/// mTLS store shows none, so it gets SHA-256 in Cloudflare's colon form.
pub fn spelling(destination: Destination, certificate: &CertificateInfo) -> String {
    match destination {
        Destination::AnthropicTunnel => certificate.spellings.anthropic(),
        Destination::CloudflareAccess => certificate.spellings.cloudflare_access(),
        _ => certificate.spellings.cloudflare_gateway(),
    }
}

/// A Gateway CA's `binding_status`, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingStatus {
    /// `pending_deployment`.
    PendingDeployment,
    /// `available` (older clients still send its former name, `active`): deployed.
    Available,
    /// `pending_deletion`.
    PendingDeletion,
    /// `inactive`: the only state Cloudflare deletes from.
    Inactive,
    /// A value the reference does not document, as sent.
    Other(String),
}

impl BindingStatus {
    /// Reads the vendor's spelling.
    pub fn parse(text: &str) -> Self {
        match text {
            "pending_deployment" => Self::PendingDeployment,
            "available" | "active" => Self::Available,
            "pending_deletion" => Self::PendingDeletion,
            "inactive" => Self::Inactive,
            other => Self::Other(other.to_owned()),
        }
    }

    /// A Gateway record's status, when it has one.
    pub fn of(certificate: &GatewayCertificate) -> Option<Self> {
        certificate.binding_status.as_deref().map(Self::parse)
    }
}

/// Whether a Gateway CA is in use: Cloudflare says so (`in_use`), or it is deployed
/// ([`BindingStatus::Available`]), so Gateway may be inspecting traffic with it. Deactivating
/// such a CA asks first.
pub fn gateway_in_use(certificate: &GatewayCertificate) -> bool {
    certificate.in_use == Some(true) || BindingStatus::of(certificate) == Some(BindingStatus::Available)
}

/// Whether the vendor would take a removal of a record, from what the record (and, for mTLS,
/// its associations) show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Nothing in the record stops it.
    Allowed,
    /// Access: Cloudflare refuses to delete a certificate still associated with hostnames.
    Hostnames(Vec<String>),
    /// mTLS: Cloudflare refuses to delete a certificate a service uses.
    InUse(Vec<MtlsAssociation>),
    /// Gateway: Cloudflare deletes only inactive CAs (the status as sent, and `in_use`).
    NotInactive {
        /// `binding_status` as the vendor spells it.
        status: String,
        /// Whether Cloudflare says TLS interception uses it.
        in_use: bool,
    },
}

/// "May this record be removed?", decided once: `associations` are an mTLS certificate's
/// services (`None`: not read, which stops nothing).
pub fn removal(stored: &Stored, associations: Option<&[MtlsAssociation]>) -> Removal {
    match stored {
        Stored::Access(c) => match c.associated_hostnames.as_deref() {
            Some(hosts) if !hosts.is_empty() => Removal::Hostnames(hosts.to_vec()),
            _ => Removal::Allowed,
        },
        Stored::Mtls(_) => match associations {
            Some(list) if !list.is_empty() => Removal::InUse(list.to_vec()),
            _ => Removal::Allowed,
        },
        Stored::Gateway(c) => match (BindingStatus::of(c), c.binding_status.as_deref()) {
            (None | Some(BindingStatus::Inactive), _) => Removal::Allowed,
            (Some(_), status) => {
                Removal::NotInactive { status: status.unwrap_or_default().to_owned(), in_use: c.in_use == Some(true) }
            }
        },
        Stored::Tunnel(_) => Removal::Allowed,
    }
}

/// Where a record's certificate was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateSource {
    /// From the PEM the vendor returned with the record (Gateway, mTLS).
    StoredPem,
    /// From the local certificate (the input being checked) with the same fingerprint.
    LocalInput,
    /// Neither: the vendor returns no PEM and no local certificate has its fingerprint.
    Unknown,
}

/// Which source a record's expiry was read from. **The rule:** the certificate's notAfter when
/// the certificate is known ([`CertificateSource`]), else the vendor's field (`expires_at`,
/// `expires_on`); when both are known and differ, [`Record::expiry_differs`] says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpirySource {
    /// The certificate's notAfter.
    Certificate,
    /// The vendor's field.
    Vendor,
}

/// One stored record as every face shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Its family.
    pub family: Family,
    /// The vendor's id.
    pub id: String,
    /// The name the user gave it (Access, mTLS), when not blank.
    pub name: Option<String>,
    /// Its certificate, when known, and from where.
    pub certificate: Option<CertificateInfo>,
    /// Where the certificate was read.
    pub certificate_from: CertificateSource,
    /// When it expires, by the rule of [`ExpirySource`].
    pub not_after: Option<UnixTime>,
    /// Where `not_after` was read.
    pub expiry_from: Option<ExpirySource>,
    /// The certificate's notAfter and the vendor's field are both known and differ.
    pub expiry_differs: bool,
    /// The fingerprint as the vendor spells it (mTLS, which stores none: [`spelling`] of the
    /// stored PEM's first certificate).
    pub fingerprint: Option<String>,
    /// Whether the record agrees with the PEM it carries (`None`: it carries none).
    pub verified: Option<bool>,
    /// The `response.*` findings of that verification.
    pub response_diagnostics: Vec<Diagnostic>,
    /// Gateway: its binding status.
    pub binding: Option<BindingStatus>,
    /// Its state in a few words (`active`, `archived`, `used by …`, a Gateway status, `CA`).
    pub state: String,
    /// Out of service for good (an archived tunnel certificate).
    pub archived: bool,
}

impl Record {
    /// Reads `stored` (of `family`) at `now`: its certificate from the PEM the vendor returned,
    /// else the one in `local` with the same fingerprint; verified against its own PEM.
    pub fn new(family: Family, stored: &Stored, local: Option<&Report>, now: UnixTime) -> Self {
        let own =
            stored.pem().and_then(|pem| certcheck::inspect(&vendor_pem(pem, now), now).certificates.into_iter().next());
        let matched = || {
            let fingerprint = stored.fingerprint()?;
            local?.certificates.iter().find(|certificate| same_certificate(fingerprint, certificate)).cloned()
        };
        let (certificate, certificate_from) = match own {
            Some(certificate) => (Some(certificate), CertificateSource::StoredPem),
            None => match matched() {
                Some(certificate) => (Some(certificate), CertificateSource::LocalInput),
                None => (None, CertificateSource::Unknown),
            },
        };
        let vendor_expiry = stored.expires();
        let (not_after, expiry_from) = match (&certificate, vendor_expiry) {
            (Some(c), _) => (Some(c.not_after), Some(ExpirySource::Certificate)),
            (None, Some(expiry)) => (Some(expiry), Some(ExpirySource::Vendor)),
            (None, None) => (None, None),
        };
        let expiry_differs = matches!((&certificate, vendor_expiry), (Some(c), Some(v)) if c.not_after != v);
        let fingerprint = stored
            .fingerprint()
            .map(str::to_owned)
            .or_else(|| certificate.as_ref().map(|c| spelling(family.destination(), c)));
        let verification = stored.pem().and_then(|_| verify_stored(stored.destination(), stored, None, now).ok());
        Self {
            family,
            id: stored.id().to_owned(),
            name: stored.name().map(str::to_owned).filter(|name| !name.trim().is_empty()),
            certificate,
            certificate_from,
            not_after,
            expiry_from,
            expiry_differs,
            fingerprint,
            verified: verification.as_ref().map(verified),
            response_diagnostics: verification
                .map(|report| report.diagnostics.into_iter().filter(|d| d.finding.is_response()).collect())
                .unwrap_or_default(),
            binding: match stored {
                Stored::Gateway(c) => BindingStatus::of(c),
                _ => None,
            },
            state: stored.state(),
            archived: stored.archived(),
        }
    }

    /// Its subject, when its certificate is known.
    pub fn subject(&self) -> Option<&str> {
        self.certificate.as_ref().map(|c| c.subject.as_str())
    }

    /// Whether it needs attention: not archived, and expired or expiring within `days` days of
    /// `now` (the core's [`UnixTime::expires_within`]).
    pub fn expiring_within(&self, now: UnixTime, days: u32) -> bool {
        !self.archived && self.not_after.is_some_and(|not_after| not_after.expires_within(now, days))
    }
}

/// Whether a vendor's fingerprint (any spelling, any of SHA-256, SHA-1, MD5) names `certificate`.
fn same_certificate(vendor: &str, certificate: &CertificateInfo) -> bool {
    let Ok(parsed) = parse_fingerprint(vendor) else { return false };
    certificate.fingerprints.digests().bytes(parsed.algorithm) == parsed.bytes.as_slice()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use serde_json::{Value, json};

    use super::*;

    const NOW: UnixTime = UnixTime(1_780_000_000);

    fn stored(family: Family, bytes: &[u8]) -> Stored {
        let value: Value = serde_json::from_slice(bytes).unwrap();
        Stored::from_value(family.destination(), value.get("result").cloned().unwrap_or(value)).unwrap()
    }

    #[test]
    fn the_certificate_wins_the_expiry_and_a_differing_vendor_field_is_flagged() {
        let gateway = stored(Family::Gateway, include_bytes!("../../../tests/data/responses/gateway-example.json"));
        let record = Record::new(Family::Gateway, &gateway, None, NOW);
        let certificate = record.certificate.clone().unwrap();
        assert_eq!(record.certificate_from, CertificateSource::StoredPem);
        assert_eq!(
            (record.not_after, record.expiry_from),
            (Some(certificate.not_after), Some(ExpirySource::Certificate))
        );
        assert_eq!(gateway.expires(), UnixTime::parse_rfc3339("2014-01-01T05:20:00Z").ok());
        assert!(record.expiry_differs);
        assert_eq!(record.fingerprint.as_deref(), gateway.fingerprint());
        assert_eq!(record.binding, Some(BindingStatus::PendingDeployment));
        assert_eq!(record.verified, Some(true));

        // Anthropic returns no PEM: the vendor's field, unless the local input has the certificate.
        let tunnel =
            stored(Family::Anthropic, include_bytes!("../../../tests/data/responses/anthropic-good-rsa-ca.json"));
        let alone = Record::new(Family::Anthropic, &tunnel, None, NOW);
        assert_eq!(
            (alone.certificate_from, alone.expiry_from, alone.not_after, alone.verified, alone.expiry_differs),
            (CertificateSource::Unknown, Some(ExpirySource::Vendor), tunnel.expires(), None, false)
        );
        let local = certcheck::inspect(include_bytes!("../../../tests/data/anthropic/good-rsa-ca.pem"), NOW);
        let known = Record::new(Family::Anthropic, &tunnel, Some(&local), NOW);
        assert_eq!(
            (known.certificate_from, known.expiry_from),
            (CertificateSource::LocalInput, Some(ExpirySource::Certificate))
        );
        assert_eq!(known.subject(), local.certificates.first().map(|c| c.subject.as_str()));
        assert!(known.expiring_within(UnixTime::parse_rfc3339("2035-12-20T00:00:00Z").unwrap(), 30));
        assert!(!known.expiring_within(UnixTime::parse_rfc3339("2035-12-20T00:00:00Z").unwrap(), 5));
    }

    #[test]
    fn removal_is_decided_once_from_the_record() {
        let gateway = |status: Value, in_use: bool| {
            Stored::from_value(Destination::CloudflareGateway, json!({ "binding_status": status, "in_use": in_use }))
                .unwrap()
        };
        let verdicts: Vec<Removal> =
            [json!("inactive"), Value::Null, json!("available"), json!("active"), json!("pending_deletion")]
                .into_iter()
                .map(|status| removal(&gateway(status, false), None))
                .collect();
        let not = |status: &str| Removal::NotInactive { status: status.to_owned(), in_use: false };
        assert_eq!(
            verdicts,
            [Removal::Allowed, Removal::Allowed, not("available"), not("active"), not("pending_deletion")]
        );
        let Stored::Gateway(deployed) = gateway(json!("active"), false) else { unreachable!() };
        assert!(gateway_in_use(&deployed));
        let Stored::Gateway(pending) = gateway(json!("pending_deployment"), false) else { unreachable!() };
        assert!(!gateway_in_use(&pending));
        assert_eq!(BindingStatus::parse("gone"), BindingStatus::Other("gone".to_owned()));

        let access = |hosts: Value| {
            Stored::from_value(Destination::CloudflareAccess, json!({ "id": "a", "associated_hostnames": hosts }))
                .unwrap()
        };
        assert_eq!(removal(&access(json!(["x.example"])), None), Removal::Hostnames(vec!["x.example".to_owned()]));
        assert_eq!(removal(&access(json!([])), None), Removal::Allowed);
        let mtls = Stored::from_value(Destination::CloudflareMtls { ca: true }, json!({ "id": "m" })).unwrap();
        let used = [MtlsAssociation { service: "gateway".to_owned(), status: "active".to_owned() }];
        assert_eq!(removal(&mtls, Some(&used)), Removal::InUse(used.to_vec()));
        assert_eq!(removal(&mtls, None), Removal::Allowed);
    }
}
