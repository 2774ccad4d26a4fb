//! Cloudflare Gateway certificates: Cloudflare generates a real CA (here with rcgen, ECDSA
//! P-256), honouring `validity_period_days` (1–10950, default 1825), and prints its SHA-256 the
//! Cloudflare way (uppercase, colon-separated, bytes unpadded). Lifecycle: created
//! `pending_deployment`, `activate` → `available`, `deactivate` → `inactive`; only an inactive
//! certificate can be deleted.

use axum::http::StatusCode;
use certcheck::UnixTime;
use certcheck_api::model::GatewayCertificate;
use certcheck_api::{Endpoint, GATEWAY_DEFAULT_VALIDITY_DAYS, GATEWAY_VALIDITY_DAYS, Vendor, attribute_values};
use serde_json::{Value, json};

use super::store::{GatewayRecord, Store};
use super::{Now, Outcome, cloudflare_list, ids};
use crate::reply;

fn refuse(status: StatusCode, code: i64, message: impl AsRef<str>) -> Outcome {
    Outcome::read(reply::json(status, &certcheck_api::ApiError::cloudflare_body(code, message.as_ref())))
}

pub(super) fn handle(store: &mut Store, endpoint: &Endpoint, query: &str, body: &[u8], now: &Now) -> Outcome {
    use Endpoint::*;
    match endpoint {
        GatewayCertificateCreate { account_id } => create(store, account_id, body, now),
        GatewayCertificateList { account_id } => {
            let items = store
                .gateway_certificates
                .iter()
                .filter(|r| &r.account_id == account_id)
                .map(|r| json!(r.certificate))
                .collect();
            Outcome::read(cloudflare_list(items, query))
        }
        GatewayCertificateGet { account_id, certificate_id } => match find(store, account_id, certificate_id) {
            Some(record) => Outcome::read(reply::cloudflare_ok(StatusCode::OK, json!(record.certificate), None)),
            None => not_found(certificate_id),
        },
        GatewayCertificateActivate { account_id, certificate_id } => {
            set_status(store, account_id, certificate_id, "available", now)
        }
        GatewayCertificateDeactivate { account_id, certificate_id } => {
            set_status(store, account_id, certificate_id, "inactive", now)
        }
        GatewayCertificateDelete { account_id, certificate_id } => {
            let Some(position) = store
                .gateway_certificates
                .iter()
                .position(|r| &r.account_id == account_id && r.certificate.id.as_deref() == Some(certificate_id))
            else {
                return not_found(certificate_id);
            };
            let status = store.gateway_certificates.get(position).and_then(|r| r.certificate.binding_status.clone());
            if status.as_deref() != Some("inactive") {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    2113,
                    "Only inactive certificates can be deleted: deactivate it first.",
                );
            }
            let removed = store.gateway_certificates.remove(position);
            Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(removed.certificate), None))
        }
        _ => Outcome::read(reply::vendor_error(Vendor::Cloudflare, StatusCode::NOT_FOUND, "not a Gateway endpoint")),
    }
}

fn find<'a>(store: &'a Store, account_id: &str, certificate_id: &str) -> Option<&'a GatewayRecord> {
    store
        .gateway_certificates
        .iter()
        .find(|r| r.account_id == account_id && r.certificate.id.as_deref() == Some(certificate_id))
}

fn not_found(certificate_id: &str) -> Outcome {
    refuse(StatusCode::NOT_FOUND, 2106, format!("certificate {certificate_id} not found"))
}

fn set_status(store: &mut Store, account_id: &str, certificate_id: &str, status: &str, now: &Now) -> Outcome {
    let Some(record) = store
        .gateway_certificates
        .iter_mut()
        .find(|r| r.account_id == account_id && r.certificate.id.as_deref() == Some(certificate_id))
    else {
        return not_found(certificate_id);
    };
    record.certificate.binding_status = Some(status.to_owned());
    record.certificate.updated_at = Some(now.stamp.clone());
    Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(record.certificate), None))
}

/// `validity_period_days` from the body: absent (or no body) → 1825; otherwise an integer in range.
fn validity(body: &[u8]) -> Result<u32, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(GATEWAY_DEFAULT_VALIDITY_DAYS);
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the request body is not JSON: {e}"))?;
    let Some(object) = value.as_object() else { return Err("the request body must be a JSON object".to_owned()) };
    match object.get("validity_period_days") {
        None | Some(Value::Null) => Ok(GATEWAY_DEFAULT_VALIDITY_DAYS),
        Some(days) => days
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| GATEWAY_VALIDITY_DAYS.contains(d))
            .ok_or_else(|| format!("validity_period_days must be an integer from 1 to 10950, not {days}")),
    }
}

fn create(store: &mut Store, account_id: &str, body: &[u8], now: &Now) -> Outcome {
    let days = match validity(body) {
        Ok(days) => days,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, 1003, message),
    };
    let pem = match generate_ca(now.time, days, account_id) {
        Ok(pem) => pem,
        Err(message) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, 1000, message),
    };
    let report = certcheck::inspect(pem.as_bytes(), now.time);
    let Some(first) = report.certificates.first() else {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, 1000, "the generated CA did not read back");
    };
    let sha256: Vec<u8> = (0..first.fingerprints.sha256().len() / 2)
        .filter_map(|i| first.fingerprints.sha256().get(i * 2..i * 2 + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect();
    let certificate = GatewayCertificate {
        id: Some(ids::uuid()),
        binding_status: Some("pending_deployment".to_owned()),
        certificate: Some(pem),
        created_at: Some(now.stamp.clone()),
        expires_on: Some(first.not_after.to_rfc3339()),
        fingerprint: Some(certcheck::unpadded_colon_hex(&sha256)),
        in_use: Some(false),
        issuer_org: attribute_values(&first.issuer, "O").into_iter().next(),
        issuer_raw: Some(first.issuer.clone()),
        kind: Some("gateway_managed".to_owned()),
        updated_at: Some(now.stamp.clone()),
        uploaded_on: Some(now.stamp.clone()),
    };
    store
        .gateway_certificates
        .push(GatewayRecord { account_id: account_id.to_owned(), certificate: certificate.clone() });
    Outcome::wrote(reply::cloudflare_ok(StatusCode::OK, json!(certificate), None))
}

/// A self-signed CA valid from `now` for `days` days: basicConstraints critical CA:TRUE
/// pathlen 1, keyUsage critical keyCertSign + cRLSign, subject key identifier — the shape of
/// the CA in Cloudflare's reference example.
fn generate_ca(now: UnixTime, days: u32, account_id: &str) -> Result<String, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue, IsCa, KeyPair, KeyUsagePurpose,
        SerialNumber,
    };
    let start = time::OffsetDateTime::from_unix_timestamp(now.0).map_err(|e| format!("bad time: {e}"))?;
    let mut params = CertificateParams::default();
    // A fresh name: the default one holds a CN that would stay first.
    params.distinguished_name = DistinguishedName::new();
    // RFC 5280 wants countryName as a PrintableString.
    let country = "US".try_into().map_err(|_| "bad country".to_owned())?;
    params.distinguished_name.push(DnType::CountryName, DnValue::PrintableString(country));
    params.distinguished_name.push(DnType::StateOrProvinceName, "California");
    params.distinguished_name.push(DnType::LocalityName, "San Francisco");
    params.distinguished_name.push(DnType::OrganizationName, "Cloudflare, Inc. (certcheck sandbox)");
    let short: String = account_id.chars().take(8).collect();
    params.distinguished_name.push(DnType::CommonName, format!("Gateway CA - certcheck sandbox {short}"));
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(1));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = start;
    params.not_after = start + time::Duration::days(i64::from(days));
    let serial: [u8; 16] = {
        let id = ids::uuid().replace('-', "");
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = id.get(i * 2..i * 2 + 2).and_then(|p| u8::from_str_radix(p, 16).ok()).unwrap_or(1);
        }
        bytes[0] &= 0x7f;
        bytes
    };
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let key = KeyPair::generate().map_err(|e| format!("cannot generate a key: {e}"))?;
    let certificate = params.self_signed(&key).map_err(|e| format!("cannot sign the CA: {e}"))?;
    Ok(certificate.pem())
}
