//! The manage page's writes: what each one sends ([`Write::request`]), which ones destroy
//! something and must be confirmed first ([`Confirmation`]: what it names, what stops working,
//! what must be typed), and the sentence shown once one is done ([`Done`]).

use core::fmt;

use certcheck_api::model::{GatewayCertificate, MtlsCertificate};
use certcheck_api::{CreateGatewayCertificate, Endpoint, Generation, Request, Stored, UpdateAccessCertificate};

use super::monitor::{Family, Holding, Section};
use super::{Blocked, Connection};

/// One write on a stored certificate (or, for Gateway, the creation of one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// Archive an Anthropic tunnel certificate (irreversible).
    Archive {
        /// `tcrt_…`.
        id: String,
    },
    /// Delete a Cloudflare Access, mTLS or Gateway certificate.
    Delete {
        /// Its family (never Anthropic, which has no delete).
        family: Family,
        /// Its id.
        id: String,
    },
    /// Rename an Access certificate and set its hostnames.
    SaveAccess {
        /// Its id.
        id: String,
        /// The new name and hostnames.
        update: UpdateAccessCertificate,
    },
    /// Deploy a Gateway CA.
    Activate {
        /// Its id.
        id: String,
    },
    /// Take a Gateway CA out of use.
    Deactivate {
        /// Its id.
        id: String,
    },
}

impl Write {
    /// The family written to.
    pub fn family(&self) -> Family {
        match self {
            Self::Archive { .. } => Family::Anthropic,
            Self::Delete { family, .. } => *family,
            Self::SaveAccess { .. } => Family::Access,
            Self::Activate { .. } | Self::Deactivate { .. } => Family::Gateway,
        }
    }

    /// The certificate's id.
    pub fn id(&self) -> &str {
        match self {
            Self::Archive { id }
            | Self::Delete { id, .. }
            | Self::SaveAccess { id, .. }
            | Self::Activate { id }
            | Self::Deactivate { id } => id,
        }
    }

    /// The request this write sends with `connection`, or why it cannot be sent.
    ///
    /// # Errors
    /// [`Blocked`] when an ID or the token is missing.
    pub fn request(&self, connection: &Connection, generation: Generation, sandbox: bool) -> Result<Request, Blocked> {
        let collection = self.family().collection(connection, generation)?;
        let id = self.id().to_owned();
        let (endpoint, body) = match (self, &collection) {
            (Self::Archive { .. } | Self::Delete { .. }, _) => (collection.remove(&id), None),
            (Self::SaveAccess { update, .. }, certcheck_api::Collection::Access { scope, id: scope_id }) => {
                let endpoint =
                    Endpoint::AccessCertificateUpdate { scope: *scope, id: scope_id.clone(), certificate_id: id };
                (endpoint, serde_json::to_string(update).ok())
            }
            (Self::Activate { .. }, certcheck_api::Collection::Gateway { account_id }) => {
                (Endpoint::GatewayCertificateActivate { account_id: account_id.clone(), certificate_id: id }, None)
            }
            (Self::Deactivate { .. }, certcheck_api::Collection::Gateway { account_id }) => {
                (Endpoint::GatewayCertificateDeactivate { account_id: account_id.clone(), certificate_id: id }, None)
            }
            // The family decides the collection, so these pairs cannot occur.
            _ => return Err(Blocked::Busy),
        };
        connection.request(&endpoint, body, sandbox)
    }

    /// What was done, once the vendor answered `body` with success.
    pub fn done(&self, body: &[u8]) -> Done {
        let id = self.id().to_owned();
        match self {
            Self::Archive { .. } => Done::Archived(id),
            Self::Delete { .. } => Done::Deleted(id),
            Self::SaveAccess { .. } => Done::Saved(id),
            Self::Activate { .. } | Self::Deactivate { .. } => {
                let status = serde_json::from_slice::<certcheck_api::model::Envelope<GatewayCertificate>>(body)
                    .ok()
                    .and_then(|envelope| envelope.result)
                    .and_then(|certificate| certificate.binding_status)
                    .unwrap_or_default();
                Done::Status { id, status }
            }
        }
    }
}

/// The body of a Gateway create (`validity_period_days`).
pub fn gateway_create_body(days: u32) -> Option<String> {
    serde_json::to_string(&CreateGatewayCertificate { validity_period_days: Some(days) }).ok()
}

/// A write that went through, as its section says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    /// An Anthropic certificate archived.
    Archived(String),
    /// A Cloudflare certificate deleted.
    Deleted(String),
    /// An Access certificate's name and hostnames saved.
    Saved(String),
    /// A Gateway CA's new binding status.
    Status {
        /// The CA.
        id: String,
        /// Its status now.
        status: String,
    },
    /// A Gateway CA created, its answer verified against the certificate it carries.
    Created(String),
}

impl fmt::Display for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Archived(id) => write!(f, "Archived {id}."),
            Self::Deleted(id) => write!(f, "Deleted {id}."),
            Self::Saved(id) => write!(f, "Saved {id}."),
            Self::Status { id, status } => write!(f, "{id} is now {status}."),
            Self::Created(id) => {
                write!(f, "Created {id}: verified (fingerprint and issuer match the certificate it carries).")
            }
        }
    }
}

/// Whether a Gateway CA is in use (certcheck-api's rule: deactivating it asks first).
pub use certcheck_api::gateway_in_use;

/// A destructive write waiting for the user's confirmation, with what the dialog shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// What will be sent once confirmed.
    pub write: Write,
    /// The certificate, as the monitor shows it.
    pub holding: Holding,
    /// Anthropic: the tunnel's id, when this is its last active certificate (it must be typed to
    /// confirm).
    pub last_of_tunnel: Option<String>,
    /// mTLS: whether it is a CA (`Some(false)`: a leaf Cloudflare presents to an origin).
    pub mtls_ca: Option<bool>,
}

impl Confirmation {
    /// Archiving a tunnel certificate; `active` counts the tunnel's non-archived certificates.
    pub fn archive(holding: Holding, tunnel_id: &str, active: usize) -> Self {
        let write = Write::Archive { id: holding.id.clone() };
        let last_of_tunnel = (active <= 1).then(|| tunnel_id.to_owned());
        Self { write, holding, last_of_tunnel, mtls_ca: None }
    }

    /// Deleting a Cloudflare certificate (`stored` gives the mTLS CA flag).
    pub fn delete(holding: Holding, stored: &Stored) -> Self {
        let write = Write::Delete { family: holding.family, id: holding.id.clone() };
        let mtls_ca = match stored {
            Stored::Mtls(MtlsCertificate { ca, .. }) => *ca,
            _ => None,
        };
        Self { write, holding, last_of_tunnel: None, mtls_ca }
    }

    /// Deactivating the Gateway CA in use.
    pub fn deactivate(holding: Holding) -> Self {
        let write = Write::Deactivate { id: holding.id.clone() };
        Self { write, holding, last_of_tunnel: None, mtls_ca: None }
    }

    /// The dialog's heading.
    pub fn title(&self) -> &'static str {
        match (&self.write, self.holding.family) {
            (Write::Archive { .. }, _) if self.last_of_tunnel.is_some() => {
                "Archive the tunnel's last active certificate?"
            }
            (Write::Archive { .. }, _) => "Archive this tunnel certificate?",
            (Write::Deactivate { .. }, _) => "Deactivate the Gateway CA in use?",
            (_, Family::Access) => "Delete this Access certificate?",
            (_, Family::Mtls) => "Delete this mTLS certificate?",
            _ => "Delete this Gateway CA?",
        }
    }

    /// What stops working, and whether it can be undone: one sentence each.
    pub fn consequences(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match (&self.write, self.holding.family) {
            (Write::Archive { .. }, _) => {
                lines.push(
                    "Archiving is permanent: Anthropic has no unarchive. Gateways whose server certificate was issued \
                     by this CA stop being accepted by the tunnel."
                        .to_owned(),
                );
                if let Some(tunnel) = &self.last_of_tunnel {
                    lines.push(format!(
                        "It is the last active certificate of tunnel {tunnel}: the tunnel rejects all traffic until a \
                         new CA is added."
                    ));
                }
            }
            (Write::Deactivate { .. }, _) => lines.push(
                "Gateway stops using this CA to inspect HTTPS traffic: if no other CA is active, TLS inspection stops, \
                 and devices that trust only this CA see certificate errors on inspected sites once another CA takes \
                 over."
                    .to_owned(),
            ),
            (_, Family::Access) => lines.push(
                "Access stops accepting client certificates issued by this CA: people and devices that sign in with \
                 them lose access to the applications that rely on it. Deleting cannot be undone (upload it again to \
                 restore it)."
                    .to_owned(),
            ),
            (_, Family::Mtls) if self.mtls_ca == Some(false) => lines.push(
                "Cloudflare can no longer present this certificate to your origin: connections that need it fail. \
                 Deleting cannot be undone (upload it again, with its key, to restore it)."
                    .to_owned(),
            ),
            (_, Family::Mtls) => lines.push(
                "Client certificates issued by this CA stop being verified wherever the account uses it. Deleting \
                 cannot be undone (upload it again to restore it)."
                    .to_owned(),
            ),
            _ => lines.push(
                "The CA is removed for good: Cloudflare cannot restore it, and devices that were given it trust a CA \
                 that no longer exists. Creating another is rate-limited."
                    .to_owned(),
            ),
        }
        lines
    }

    /// The confirm button: it names the action.
    pub fn confirm_label(&self) -> &'static str {
        match &self.write {
            Write::Archive { .. } => "Archive certificate",
            Write::Deactivate { .. } => "Deactivate CA",
            _ => "Delete certificate",
        }
    }

    /// What must be typed to confirm, when anything must (the tunnel id, for its last active
    /// certificate).
    pub fn typed_check(&self) -> Option<&str> {
        self.last_of_tunnel.as_deref()
    }

    /// Whether `typed` confirms (always, unless [`Confirmation::typed_check`] asks for a text).
    pub fn accepts(&self, typed: &str) -> bool {
        self.typed_check().is_none_or(|wanted| typed.trim() == wanted)
    }
}

#[cfg(test)]
mod tests {
    use certcheck::UnixTime;
    use certcheck_api::Method;
    use serde_json::json;

    use super::*;
    use crate::state::monitor::SubjectSource;

    fn sandbox() -> Connection {
        Connection::default().with_sandbox_defaults()
    }

    fn holding(family: Family, id: &str) -> Holding {
        Holding {
            family,
            id: id.to_owned(),
            name: Some("corp root".to_owned()),
            subject: Some("CN=Corp Root".to_owned()),
            subject_from: SubjectSource::LocalInput,
            not_before: None,
            not_after: Some(UnixTime(0)),
            fingerprint: Some("MD5 Fingerprint=00".to_owned()),
            state: String::new(),
            archived: false,
        }
    }

    #[test]
    fn writes_send_the_documented_requests() {
        let request = |write: Write| {
            let request = write.request(&sandbox(), Generation::Tunnels, true);
            let Ok(request) = request else { panic!("blocked: {request:?}") };
            (request.method, request.path_and_query, request.body)
        };
        let account = crate::state::SANDBOX_ACCOUNT_ID;
        assert_eq!(
            request(Write::Archive { id: "tcrt_1".to_owned() }),
            (Method::Post, "/v1/tunnels/tnl_sandbox/certificates/tcrt_1/archive".to_owned(), None)
        );
        assert_eq!(
            request(Write::Delete { family: Family::Access, id: "a1".to_owned() }),
            (Method::Delete, format!("/accounts/{account}/access/certificates/a1"), None)
        );
        assert_eq!(
            request(Write::Delete { family: Family::Mtls, id: "m1".to_owned() }).1,
            format!("/accounts/{account}/mtls_certificates/m1")
        );
        assert_eq!(
            request(Write::Delete { family: Family::Gateway, id: "g1".to_owned() }).1,
            format!("/accounts/{account}/gateway/certificates/g1")
        );
        let update = UpdateAccessCertificate { associated_hostnames: vec!["a.example".to_owned()], name: None };
        let (method, path, body) = request(Write::SaveAccess { id: "a1".to_owned(), update });
        assert_eq!((method, path), (Method::Put, format!("/accounts/{account}/access/certificates/a1")));
        assert_eq!(body.as_deref(), Some(r#"{"associated_hostnames":["a.example"]}"#));
        assert_eq!(
            request(Write::Deactivate { id: "g1".to_owned() }).1,
            format!("/accounts/{account}/gateway/certificates/g1/deactivate")
        );
        assert_eq!(
            request(Write::Activate { id: "g1".to_owned() }).1,
            format!("/accounts/{account}/gateway/certificates/g1/activate")
        );
        let nothing = Connection::default();
        assert_eq!(
            Write::Archive { id: "t".to_owned() }.request(&nothing, Generation::Tunnels, true).err(),
            Some(Blocked::Missing("Tunnel ID"))
        );
        assert_eq!(gateway_create_body(30).as_deref(), Some(r#"{"validity_period_days":30}"#));
    }

    #[test]
    fn done_says_what_happened() {
        let deactivated = json!({ "success": true, "result": { "id": "g1", "binding_status": "inactive" } });
        let done = Write::Deactivate { id: "g1".to_owned() }.done(deactivated.to_string().as_bytes());
        assert_eq!(done.to_string(), "g1 is now inactive.");
        assert_eq!(Write::Archive { id: "tcrt_1".to_owned() }.done(b"{}").to_string(), "Archived tcrt_1.");
        assert_eq!(Done::Deleted("a1".to_owned()).to_string(), "Deleted a1.");
        assert!(Done::Created("g".to_owned()).to_string().starts_with("Created g: verified"));
    }

    #[test]
    fn the_last_active_tunnel_certificate_needs_the_tunnel_id_typed() {
        let two = Confirmation::archive(holding(Family::Anthropic, "tcrt_1"), "tnl_a", 2);
        assert_eq!(two.typed_check(), None);
        assert!(two.accepts(""));
        assert_eq!(two.title(), "Archive this tunnel certificate?");
        assert_eq!(two.consequences().len(), 1);
        let last = Confirmation::archive(holding(Family::Anthropic, "tcrt_1"), "tnl_a", 1);
        assert_eq!(last.typed_check(), Some("tnl_a"));
        assert!(!last.accepts("tnl_"));
        assert!(last.accepts(" tnl_a "));
        assert_eq!(last.confirm_label(), "Archive certificate");
        assert!(last.consequences().iter().any(|line| line.contains("rejects all traffic")));
    }

    #[test]
    fn deletions_say_what_stops_working() {
        let access = Stored::from_value(certcheck::Destination::CloudflareAccess, json!({ "id": "a1" }))
            .unwrap_or_else(|e| panic!("{e}"));
        let confirmation = Confirmation::delete(holding(Family::Access, "a1"), &access);
        assert_eq!(confirmation.write, Write::Delete { family: Family::Access, id: "a1".to_owned() });
        assert_eq!(
            (confirmation.title(), confirmation.confirm_label()),
            ("Delete this Access certificate?", "Delete certificate")
        );
        assert!(confirmation.consequences().iter().any(|line| line.contains("lose access")));

        let leaf =
            Stored::from_value(certcheck::Destination::CloudflareMtls { ca: true }, json!({ "id": "m", "ca": false }))
                .unwrap_or_else(|e| panic!("{e}"));
        let confirmation = Confirmation::delete(holding(Family::Mtls, "m"), &leaf);
        assert_eq!(confirmation.mtls_ca, Some(false));
        assert!(confirmation.consequences().iter().any(|line| line.contains("present this certificate")));

        let deactivate = Confirmation::deactivate(holding(Family::Gateway, "g1"));
        assert_eq!(
            (deactivate.title(), deactivate.confirm_label()),
            ("Deactivate the Gateway CA in use?", "Deactivate CA")
        );
        let in_use = |status: &str, in_use: Option<bool>| {
            let record = json!({ "binding_status": status, "in_use": in_use });
            gateway_in_use(&serde_json::from_value(record).unwrap_or_else(|e| panic!("{e}")))
        };
        assert!(in_use("available", None));
        assert!(in_use("active", Some(false)));
        assert!(in_use("pending_deployment", Some(true)));
        assert!(!in_use("pending_deployment", Some(false)));
        assert!(!in_use("inactive", None));
    }
}
