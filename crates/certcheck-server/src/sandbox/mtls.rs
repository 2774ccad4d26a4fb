//! Cloudflare account mTLS certificates: immutable uploads (CA, or leaf + chain + key), at most
//! five CAs per account (code 1489), associations, and a delete refused while one exists. The
//! private key is checked against the leaf and never stored or echoed.

use axum::http::StatusCode;
use certcheck::Destination;
use certcheck_api::model::MtlsCertificate;
use certcheck_api::{Endpoint, UploadMtlsCertificate, Vendor, decimal_from_hex};
use serde_json::json;

use super::store::{MtlsRecord, Store};
use super::{Now, Outcome, cloudflare_list, ids, judge, parse};
use crate::reply;

/// Bring-your-own CAs per account (shared by API Shield, Workers mTLS and Gateway).
const CA_LIMIT: usize = 5;

fn refuse(status: StatusCode, code: i64, message: impl AsRef<str>) -> Outcome {
    Outcome::read(reply::json(status, &certcheck_api::ApiError::cloudflare_body(code, message.as_ref())))
}

pub(super) fn handle(store: &mut Store, endpoint: &Endpoint, query: &str, body: &[u8], now: &Now) -> Outcome {
    use Endpoint::*;
    match endpoint {
        MtlsCertificateUpload { account_id } => upload(store, account_id, body, now),
        MtlsCertificateList { account_id } => {
            let wanted: String = query
                .split('&')
                .filter_map(|p| p.strip_prefix("type="))
                .collect::<Vec<_>>()
                .join(",")
                .replace("%2C", ",");
            let types: Vec<&str> = wanted.split(',').filter(|t| !t.is_empty()).collect();
            let items = store
                .mtls_certificates
                .iter()
                .filter(|r| &r.account_id == account_id)
                .filter(|r| types.is_empty() || types.contains(&r.certificate.kind.as_deref().unwrap_or("custom")))
                .map(|r| public(&r.certificate))
                .collect();
            Outcome::read(cloudflare_list(items, query))
        }
        MtlsCertificateGet { account_id, certificate_id } => match find(store, account_id, certificate_id) {
            Some(record) => Outcome::read(reply::cloudflare_ok(StatusCode::OK, public(&record.certificate), None)),
            None => not_found(certificate_id),
        },
        MtlsCertificateAssociations { account_id, certificate_id } => match find(store, account_id, certificate_id) {
            Some(record) => {
                let items = record.associations.iter().map(|a| json!(a)).collect();
                Outcome::read(cloudflare_list(items, query))
            }
            None => not_found(certificate_id),
        },
        MtlsCertificateDelete { account_id, certificate_id } => {
            let Some(position) = store
                .mtls_certificates
                .iter()
                .position(|r| &r.account_id == account_id && r.certificate.id.as_deref() == Some(certificate_id))
            else {
                return not_found(certificate_id);
            };
            let in_use = store.mtls_certificates.get(position).map_or(0, |r| r.associations.len());
            if in_use > 0 {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    1491,
                    format!(
                        "The certificate is in use by {in_use} service(s); remove the associations before deleting it."
                    ),
                );
            }
            let removed = store.mtls_certificates.remove(position);
            Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, public(&removed.certificate), None))
        }
        _ => Outcome::read(reply::vendor_error(Vendor::Cloudflare, StatusCode::NOT_FOUND, "not an mTLS endpoint")),
    }
}

/// The certificate as list/get answer it (create also carries `updated_at`).
fn public(certificate: &MtlsCertificate) -> serde_json::Value {
    let mut value = json!(certificate);
    if let Some(object) = value.as_object_mut() {
        object.remove("updated_at");
    }
    value
}

fn find<'a>(store: &'a Store, account_id: &str, certificate_id: &str) -> Option<&'a MtlsRecord> {
    store
        .mtls_certificates
        .iter()
        .find(|r| r.account_id == account_id && r.certificate.id.as_deref() == Some(certificate_id))
}

fn not_found(certificate_id: &str) -> Outcome {
    refuse(StatusCode::NOT_FOUND, 1404, format!("mTLS certificate {certificate_id} not found"))
}

fn upload(store: &mut Store, account_id: &str, body: &[u8], now: &Now) -> Outcome {
    let request: UploadMtlsCertificate = match parse(body) {
        Ok(request) => request,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, 1400, message),
    };
    let input = match (request.ca, &request.private_key) {
        (true, Some(_)) => {
            return refuse(StatusCode::BAD_REQUEST, 1400, "private_key applies only to ca: false uploads");
        }
        (false, None) => {
            return refuse(StatusCode::BAD_REQUEST, 1400, "a leaf upload (ca: false) needs the leaf's private_key");
        }
        (true, None) => request.certificates.clone(),
        (false, Some(key)) => format!("{}\n{key}\n", request.certificates.trim_end()),
    };
    let report = match judge(input.as_bytes(), Destination::CloudflareMtls { ca: request.ca }, now) {
        Ok(report) => report,
        Err(message) => {
            return refuse(StatusCode::BAD_REQUEST, 1406, format!("Unable to upload certificate: {message}"));
        }
    };
    let Some(first) = report.certificates.first() else {
        return refuse(StatusCode::BAD_REQUEST, 1406, "Unable to parse certificate");
    };
    if request.ca
        && store
            .mtls_certificates
            .iter()
            .filter(|r| r.account_id == account_id && r.certificate.ca == Some(true))
            .count()
            >= CA_LIMIT
    {
        return refuse(StatusCode::BAD_REQUEST, 1489, "Hit maximum CA cert allocation");
    }
    let certificate = MtlsCertificate {
        id: Some(ids::uuid()),
        ca: Some(request.ca),
        certificates: Some(request.certificates),
        expires_on: Some(first.not_after.to_rfc3339()),
        issuer: Some(first.issuer.clone()),
        name: request.name,
        serial_number: Some(decimal_from_hex(&first.serial)),
        signature: Some(go_signature(&first.signature_algorithm)),
        kind: Some("custom".to_owned()),
        uploaded_on: Some(now.stamp.clone()),
        updated_at: Some(now.stamp.clone()),
    };
    store.mtls_certificates.push(MtlsRecord {
        account_id: account_id.to_owned(),
        certificate: certificate.clone(),
        associations: Vec::new(),
    });
    Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(certificate), None))
}

/// Cloudflare's spelling of a signature algorithm (`SHA256WithRSA`), from OpenSSL's name.
fn go_signature(openssl: &str) -> String {
    match openssl {
        "sha1WithRSAEncryption" => "SHA1WithRSA",
        "sha256WithRSAEncryption" => "SHA256WithRSA",
        "sha384WithRSAEncryption" => "SHA384WithRSA",
        "sha512WithRSAEncryption" => "SHA512WithRSA",
        "ecdsa-with-SHA1" => "ECDSAWithSHA1",
        "ecdsa-with-SHA256" => "ECDSAWithSHA256",
        "ecdsa-with-SHA384" => "ECDSAWithSHA384",
        "ecdsa-with-SHA512" => "ECDSAWithSHA512",
        "ED25519" | "Ed25519" => "PureEd25519",
        other => other,
    }
    .to_owned()
}
