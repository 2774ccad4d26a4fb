//! Anthropic MCP tunnel certificates, both generations, and tunnels (current API). Tunnels
//! named in a path spring into existence on first certificate upload (the Admin API cannot
//! create them), so the documented curl examples work against an empty sandbox.

use axum::http::StatusCode;
use certcheck::Destination;
use certcheck_api::model::{Page, Tunnel, TunnelCertificate};
use certcheck_api::{CreateTunnel, CreateTunnelCertificate, Endpoint, Generation, Vendor};
use serde_json::json;

use super::store::{Store, TunnelCertificateRecord, TunnelRecord};
use super::{Now, Outcome, ids, judge, parse};
use crate::reply;

fn error(status: StatusCode, message: impl AsRef<str>) -> Outcome {
    Outcome::read(reply::vendor_error(Vendor::Anthropic, status, message))
}

fn ok<T: serde::Serialize>(value: &T) -> axum::response::Response {
    reply::json(StatusCode::OK, &json!(value))
}

pub(super) fn handle(store: &mut Store, endpoint: &Endpoint, query: &str, body: &[u8], now: &Now) -> Outcome {
    use Endpoint::*;
    match endpoint {
        TunnelCertificateCreate { tunnel_id, .. } => create_certificate(store, tunnel_id, body, now),
        TunnelCertificateList { generation, tunnel_id } => {
            let items: Vec<(u64, TunnelCertificate)> = store
                .tunnel_certificates
                .iter()
                .filter(|r| &r.certificate.tunnel_id == tunnel_id)
                .map(|r| (r.sequence, r.certificate.clone()))
                .collect();
            list(items, query, *generation == Generation::Admin, |c| c.archived_at.is_some())
        }
        TunnelCertificateGet { tunnel_id, certificate_id, .. } => match find(store, tunnel_id, certificate_id) {
            Some(record) => Outcome::read(ok(&record.certificate)),
            None => error(StatusCode::NOT_FOUND, format!("tunnel certificate {certificate_id} not found")),
        },
        TunnelCertificateArchive { tunnel_id, certificate_id, .. } => {
            let Some(record) = store
                .tunnel_certificates
                .iter_mut()
                .find(|r| &r.certificate.tunnel_id == tunnel_id && &r.certificate.id == certificate_id)
            else {
                return error(StatusCode::NOT_FOUND, format!("tunnel certificate {certificate_id} not found"));
            };
            if record.certificate.archived_at.is_some() {
                return Outcome::read(ok(&record.certificate));
            }
            record.certificate.archived_at = Some(now.stamp.clone());
            Outcome::wrote(ok(&record.certificate))
        }
        TunnelCreate => {
            let request: CreateTunnel = if body.iter().all(u8::is_ascii_whitespace) {
                CreateTunnel::default()
            } else {
                match parse(body) {
                    Ok(request) => request,
                    Err(message) => return error(StatusCode::BAD_REQUEST, message),
                }
            };
            let tunnel = new_tunnel(store, ids::prefixed("tnl_"), request.display_name, now);
            Outcome::wrote(ok(&tunnel))
        }
        TunnelList => {
            let items: Vec<(u64, Tunnel)> = store.tunnels.values().map(|r| (r.sequence, r.tunnel.clone())).collect();
            list(items, query, false, |t| t.archived_at.is_some())
        }
        TunnelGet { tunnel_id } => match store.tunnels.get(tunnel_id) {
            Some(record) => Outcome::read(ok(&record.tunnel)),
            None => error(StatusCode::NOT_FOUND, format!("tunnel {tunnel_id} not found")),
        },
        TunnelArchive { tunnel_id } => {
            let Some(record) = store.tunnels.get_mut(tunnel_id) else {
                return error(StatusCode::NOT_FOUND, format!("tunnel {tunnel_id} not found"));
            };
            if record.tunnel.archived_at.is_none() {
                record.tunnel.archived_at = Some(now.stamp.clone());
            }
            let tunnel = record.tunnel.clone();
            for certificate in store.tunnel_certificates.iter_mut().filter(|r| &r.certificate.tunnel_id == tunnel_id) {
                certificate.certificate.archived_at.get_or_insert_with(|| now.stamp.clone());
            }
            Outcome::wrote(ok(&tunnel))
        }
        TunnelRevealToken { tunnel_id } | TunnelRotateToken { tunnel_id } => match store.tunnels.get(tunnel_id) {
            Some(record) => {
                let token =
                    json!({ "id": record.tunnel.id, "token": ids::prefixed("tnltok_"), "type": "tunnel_token" });
                Outcome::wrote(reply::json(StatusCode::OK, &token))
            }
            None => error(StatusCode::NOT_FOUND, format!("tunnel {tunnel_id} not found")),
        },
        _ => error(StatusCode::NOT_FOUND, "not an Anthropic endpoint"),
    }
}

fn create_certificate(store: &mut Store, tunnel_id: &str, body: &[u8], now: &Now) -> Outcome {
    let request: CreateTunnelCertificate = match parse(body) {
        Ok(request) => request,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if store.tunnels.get(tunnel_id).is_some_and(|t| t.tunnel.archived_at.is_some()) {
        return error(StatusCode::CONFLICT, format!("tunnel {tunnel_id} is archived and takes no new certificates"));
    }
    let report = match judge(request.ca_certificate_pem.as_bytes(), Destination::AnthropicTunnel, now) {
        Ok(report) => report,
        Err(message) => return error(StatusCode::BAD_REQUEST, format!("ca_certificate_pem: {message}")),
    };
    let Some(certificate) = report.certificates.first() else {
        return error(StatusCode::BAD_REQUEST, "ca_certificate_pem: no certificate");
    };
    let tunnel = store.tunnel_certificates.iter().map(|r| &r.certificate).filter(|c| c.tunnel_id == tunnel_id);
    if certcheck_api::tunnel_has_room(tunnel).is_err() {
        return error(
            StatusCode::CONFLICT,
            "a tunnel holds at most two non-archived certificates: archive one before adding another",
        );
    }
    if !store.tunnels.contains_key(tunnel_id) {
        new_tunnel(store, tunnel_id.to_owned(), None, now);
    }
    let stored = TunnelCertificate {
        id: ids::prefixed("tcrt_"),
        archived_at: None,
        created_at: now.stamp.clone(),
        expires_at: Some(certificate.not_after.to_rfc3339()),
        fingerprint: certificate.fingerprints.sha256(),
        tunnel_id: tunnel_id.to_owned(),
        kind: "tunnel_certificate".to_owned(),
    };
    let sequence = store.next();
    store.tunnel_certificates.push(TunnelCertificateRecord { certificate: stored.clone(), sequence });
    Outcome::wrote(ok(&stored))
}

fn new_tunnel(store: &mut Store, id: String, display_name: Option<String>, now: &Now) -> Tunnel {
    let domain = format!("{}.tunnels.sandbox.invalid", id.trim_start_matches("tnl_").to_ascii_lowercase());
    let tunnel = Tunnel {
        id: id.clone(),
        display_name,
        domain,
        transport: "cloudflare".to_owned(),
        archived_at: None,
        created_at: now.stamp.clone(),
        kind: "tunnel".to_owned(),
    };
    let sequence = store.next();
    store.tunnels.insert(id, TunnelRecord { tunnel: tunnel.clone(), sequence });
    tunnel
}

fn find<'a>(store: &'a Store, tunnel_id: &str, certificate_id: &str) -> Option<&'a TunnelCertificateRecord> {
    store
        .tunnel_certificates
        .iter()
        .find(|r| r.certificate.tunnel_id == tunnel_id && r.certificate.id == certificate_id)
}

/// A cursor-paginated list, newest first: `include_archived` (default false), `limit` (default
/// 20, at most 1000), `page` (the previous page's `next_page`). The Admin API is not paginated.
fn list<T: serde::Serialize + Clone>(
    mut items: Vec<(u64, T)>,
    query: &str,
    unpaginated: bool,
    archived: impl Fn(&T) -> bool,
) -> Outcome {
    let mut include_archived = false;
    let mut limit = 20usize;
    let mut after: Option<u64> = None;
    for (key, value) in query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))) {
        match key {
            "include_archived" => match value {
                "true" => include_archived = true,
                "false" => include_archived = false,
                _ => return error(StatusCode::BAD_REQUEST, "include_archived must be true or false"),
            },
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => return error(StatusCode::BAD_REQUEST, "limit must be an integer from 1 to 1000"),
            },
            "page" => match value.strip_prefix("page_").and_then(|n| n.parse::<u64>().ok()) {
                Some(sequence) => after = Some(sequence),
                None => return error(StatusCode::BAD_REQUEST, "page is not a cursor this list returned"),
            },
            _ => {}
        }
    }
    items.retain(|(_, item)| include_archived || !archived(item));
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    if unpaginated {
        let data: Vec<T> = items.into_iter().map(|(_, item)| item).collect();
        return Outcome::read(reply::json(StatusCode::OK, &json!({ "data": data })));
    }
    let remaining: Vec<(u64, T)> =
        items.into_iter().filter(|(sequence, _)| after.is_none_or(|a| *sequence < a)).collect();
    let more = remaining.len() > limit;
    let shown: Vec<(u64, T)> = remaining.into_iter().take(limit).collect();
    let next_page = if more { shown.last().map(|(sequence, _)| format!("page_{sequence}")) } else { None };
    let page = Page { data: shown.into_iter().map(|(_, item)| item).collect(), next_page };
    Outcome::read(ok(&page))
}
