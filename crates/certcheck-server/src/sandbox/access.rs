//! Cloudflare Access mTLS certificates (account- or zone-scoped) and their hostname settings.
//! Access prefixes its messages `access.api.error.<kind>:`; 12130 is its documented quota code.

use axum::http::StatusCode;
use certcheck::Destination;
use certcheck_api::model::AccessCertificate;
use certcheck_api::{CreateAccessCertificate, Endpoint, Scope, UpdateAccessCertificate, UpdateAccessSettings, Vendor};
use serde_json::json;

use super::store::{AccessRecord, Store};
use super::{Now, Outcome, cloudflare_list, ids, judge, parse};
use crate::reply;

/// Certificates per account or zone before Access answers 12130.
const QUOTA: usize = 50;

fn refuse(status: StatusCode, code: i64, kind: &str, message: impl AsRef<str>) -> Outcome {
    let body =
        certcheck_api::ApiError::cloudflare_body(code, &format!("access.api.error.{kind}: {}", message.as_ref()));
    Outcome::read(reply::json(status, &body))
}

fn owner(scope: &Scope, id: &str) -> String {
    match scope {
        Scope::Accounts => format!("accounts/{id}"),
        Scope::Zones => format!("zones/{id}"),
    }
}

pub(super) fn handle(store: &mut Store, endpoint: &Endpoint, query: &str, body: &[u8], now: &Now) -> Outcome {
    use Endpoint::*;
    match endpoint {
        AccessCertificateCreate { scope, id } => create(store, &owner(scope, id), body, now),
        AccessCertificateList { scope, id } => {
            let owner = owner(scope, id);
            let items =
                store.access_certificates.iter().filter(|r| r.owner == owner).map(|r| json!(r.certificate)).collect();
            Outcome::read(cloudflare_list(items, query))
        }
        AccessCertificateGet { scope, id, certificate_id } => {
            match store
                .access_certificates
                .iter()
                .find(|r| r.owner == owner(scope, id) && r.certificate.id.as_deref() == Some(certificate_id))
            {
                Some(record) => Outcome::read(reply::cloudflare_ok(StatusCode::OK, json!(record.certificate), None)),
                None => not_found(certificate_id),
            }
        }
        AccessCertificateUpdate { scope, id, certificate_id } => {
            let request: UpdateAccessCertificate = match parse(body) {
                Ok(request) => request,
                Err(message) => return refuse(StatusCode::BAD_REQUEST, 12000, "invalid_request", message),
            };
            let owner = owner(scope, id);
            let Some(record) = store
                .access_certificates
                .iter_mut()
                .find(|r| r.owner == owner && r.certificate.id.as_deref() == Some(certificate_id))
            else {
                return not_found(certificate_id);
            };
            record.certificate.associated_hostnames = Some(request.associated_hostnames);
            if let Some(name) = request.name {
                record.certificate.name = Some(name);
            }
            record.certificate.updated_at = Some(now.stamp.clone());
            Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(record.certificate), None))
        }
        AccessCertificateDelete { scope, id, certificate_id } => {
            let owner = owner(scope, id);
            let Some(position) = store
                .access_certificates
                .iter()
                .position(|r| r.owner == owner && r.certificate.id.as_deref() == Some(certificate_id))
            else {
                return not_found(certificate_id);
            };
            let in_use = store
                .access_certificates
                .get(position)
                .and_then(|r| r.certificate.associated_hostnames.as_ref())
                .is_some_and(|hosts| !hosts.is_empty());
            if in_use {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    12000,
                    "conflict",
                    "the certificate is still associated with hostnames; remove them first (PUT associated_hostnames: [])",
                );
            }
            store.access_certificates.remove(position);
            Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!({ "id": certificate_id }), None))
        }
        AccessSettingsGet { scope, id } => {
            let settings = store.access_settings.get(&owner(scope, id)).cloned().unwrap_or_default();
            Outcome::read(reply::cloudflare_ok(StatusCode::OK, json!(settings), None))
        }
        AccessSettingsUpdate { scope, id } => {
            let request: UpdateAccessSettings = match parse(body) {
                Ok(request) => request,
                Err(message) => return refuse(StatusCode::BAD_REQUEST, 12000, "invalid_request", message),
            };
            store.access_settings.insert(owner(scope, id), request.settings.clone());
            Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(request.settings), None))
        }
        _ => Outcome::read(reply::vendor_error(Vendor::Cloudflare, StatusCode::NOT_FOUND, "not an Access endpoint")),
    }
}

fn not_found(certificate_id: &str) -> Outcome {
    refuse(StatusCode::NOT_FOUND, 12001, "not_found", format!("certificate {certificate_id} not found"))
}

fn create(store: &mut Store, owner: &str, body: &[u8], now: &Now) -> Outcome {
    let request: CreateAccessCertificate = match parse(body) {
        Ok(request) => request,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, 12000, "invalid_request", message),
    };
    if request.name.trim().is_empty() {
        return refuse(StatusCode::BAD_REQUEST, 12000, "invalid_request", "name is required");
    }
    let report = match judge(request.certificate.as_bytes(), Destination::CloudflareAccess, now) {
        Ok(report) => report,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, 12000, "invalid_certificate", message),
    };
    let Some(first) = report.certificates.first() else {
        return refuse(StatusCode::BAD_REQUEST, 12000, "invalid_certificate", "no certificate");
    };
    if store.access_certificates.iter().any(|r| r.owner == owner && r.sha256 == first.fingerprints.sha256()) {
        return refuse(StatusCode::BAD_REQUEST, 12000, "conflict", "certificate already exists");
    }
    if store.access_certificates.iter().filter(|r| r.owner == owner).count() >= QUOTA {
        return refuse(
            StatusCode::BAD_REQUEST,
            12130,
            "invalid_request",
            "maximum number of certificates has been reached",
        );
    }
    let certificate = AccessCertificate {
        id: Some(ids::uuid()),
        name: Some(request.name),
        associated_hostnames: Some(request.associated_hostnames.unwrap_or_default()),
        expires_on: Some(first.not_after.to_rfc3339()),
        fingerprint: Some(first.spellings.cloudflare_access()),
        created_at: Some(now.stamp.clone()),
        updated_at: Some(now.stamp.clone()),
    };
    store.access_certificates.push(AccessRecord {
        owner: owner.to_owned(),
        certificate: certificate.clone(),
        sha256: first.fingerprints.sha256(),
    });
    Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(certificate), None))
}
