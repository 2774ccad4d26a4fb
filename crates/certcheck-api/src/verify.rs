//! Proof that the vendor stored what the user meant: a vendor's answer compared with the local
//! certificate, field by field, in the vendor's own spelling. The result is a [`Report`] of the
//! PEM (local, or the one the response carries) with `response.*` diagnostics added.

use certcheck::{
    CertificateInfo, Destination, Diagnostic, Finding, Options, Report, UnixTime, parse_fingerprint, unpadded_colon_hex,
};
use serde_json::Value;

use crate::endpoint::Vendor;
use crate::error::{ApiError, VerifyError};
use crate::listing::Stored;

impl std::error::Error for VerifyError {}

/// Compares a vendor's answer (the body of a create or get, bare or in Cloudflare's envelope)
/// with `pem`, or with the PEM the response itself carries (Gateway's `certificate`, mTLS's
/// `certificates`) when `pem` is `None`. For Cloudflare mTLS, the destination's `ca` flag is the
/// upload's.
///
/// # Errors
/// [`VerifyError`] when the response is not a certificate of this destination, or no PEM is
/// available.
pub fn verify_response(
    destination: Destination,
    response: &[u8],
    pem: Option<&[u8]>,
    now: UnixTime,
) -> Result<Report, VerifyError> {
    let value: Value = serde_json::from_slice(response).map_err(|e| VerifyError::NotJson { reason: e.to_string() })?;
    let payload = unwrap_envelope(destination, value)?;
    let stored = Stored::from_value(destination, payload)?;
    verify_stored(destination, &stored, pem, now)
}

/// Whether a verification found the vendor's record consistent with the certificate: no
/// `response.*` finding at error severity (`response.expires_on_differs` is informational).
/// The one formula of "verified" for every face.
pub fn verified(report: &Report) -> bool {
    !report.diagnostics.iter().any(|d| d.finding.is_response() && d.severity == certcheck::Severity::Error)
}

/// Compares one stored certificate record (from a create, a get or a list) with `pem`, or with
/// the PEM the record carries when `pem` is `None`; as [`verify_response`] after parsing.
///
/// # Errors
/// [`VerifyError`] when the record is not this destination's model or no PEM is available.
pub fn verify_stored(
    destination: Destination,
    stored: &Stored,
    pem: Option<&[u8]>,
    now: UnixTime,
) -> Result<Report, VerifyError> {
    let profile = destination.profile();
    let options = Options::new(Some(destination), now);
    let mut findings = Vec::new();
    let report = match (destination, stored) {
        (Destination::AnthropicTunnel, Stored::Tunnel(stored)) => {
            let report = local_report(pem, None, "Anthropic's response holds no certificate", &options)?;
            let first = first(&report)?;
            fingerprint(&mut findings, &report, "fingerprint", &stored.fingerprint, |c| c.spellings.anthropic());
            expiry(&mut findings, "expires_at", stored.expires_at.as_deref(), first);
            report
        }
        (Destination::CloudflareAccess, Stored::Access(stored)) => {
            let report = local_report(pem, None, "Access's response holds no certificate", &options)?;
            let first = first(&report)?;
            if let Some(value) = &stored.fingerprint {
                fingerprint(&mut findings, &report, "fingerprint", value, |c| c.spellings.cloudflare_access());
            }
            if let Some(value) = &stored.expires_on {
                expiry(&mut findings, "expires_on", Some(value), first);
            }
            report
        }
        (Destination::CloudflareGateway, Stored::Gateway(stored)) => {
            let report =
                local_report(pem, stored.certificate.as_deref(), "the response has no `certificate`", &options)?;
            let first = first(&report)?;
            if let Some(value) = &stored.fingerprint {
                let local = |c: &CertificateInfo| gateway_spelling(&c.fingerprints.sha256());
                fingerprint(&mut findings, &report, "fingerprint", value, local);
            }
            if let Some(value) = &stored.issuer_raw {
                same(&mut findings, "issuer_raw", value, &first.issuer);
            }
            if let Some(value) = &stored.issuer_org {
                let organizations = attribute_values(&first.issuer, "O");
                if !organizations.iter().any(|o| o == value) {
                    same(&mut findings, "issuer_org", value, &organizations.join(", "));
                }
            }
            if let Some(value) = &stored.expires_on
                && !same_instant(value, first.not_after)
            {
                let local = first.not_after.to_rfc3339();
                findings.push(Finding::ResponseExpiresOnDiffers { stored: value.clone(), local });
            }
            report
        }
        (Destination::CloudflareMtls { ca }, Stored::Mtls(stored)) => {
            let report =
                local_report(pem, stored.certificates.as_deref(), "the response has no `certificates`", &options)?;
            let first = first(&report)?;
            if let (Some(_), Some(stored_pem)) = (pem, &stored.certificates) {
                let stored_report = certcheck::inspect(stored_pem.as_bytes(), now);
                let stored_prints: Vec<String> =
                    stored_report.certificates.iter().map(|c| c.fingerprints.sha256()).collect();
                let local_prints: Vec<String> = report.certificates.iter().map(|c| c.fingerprints.sha256()).collect();
                if stored_prints != local_prints {
                    findings.push(Finding::ResponseFingerprintMismatch {
                        field: "certificates".to_owned(),
                        stored: stored_prints.join(","),
                        local: local_prints.join(","),
                        matches_certificate: None,
                    });
                }
            }
            if let Some(value) = stored.ca
                && value != ca
            {
                same(&mut findings, "ca", &value.to_string(), &ca.to_string());
            }
            if let Some(value) = &stored.serial_number {
                let local = decimal_from_hex(&first.serial);
                if value.trim_start_matches('0') != local.trim_start_matches('0') {
                    same(&mut findings, "serial_number", value, &local);
                }
            }
            if let Some(value) = &stored.issuer {
                same(&mut findings, "issuer", value, &first.issuer);
            }
            if let Some(value) = &stored.expires_on {
                expiry(&mut findings, "expires_on", Some(value), first);
            }
            report
        }
        _ => return Err(VerifyError::Shape { reason: format!("not a {destination} certificate record") }),
    };
    let mut report = report;
    for finding in findings {
        if let Some(diagnostic) = Diagnostic::about(finding, profile, Some(0)) {
            report.push(diagnostic);
        }
    }
    Ok(report)
}

/// The payload of a success: Cloudflare's `result`, or the bare object; errors become
/// [`VerifyError::Vendor`].
fn unwrap_envelope(destination: Destination, value: Value) -> Result<Value, VerifyError> {
    let vendor = if destination == Destination::AnthropicTunnel { Vendor::Anthropic } else { Vendor::Cloudflare };
    let bytes = || serde_json::to_vec(&value).unwrap_or_default();
    if value.get("type").and_then(Value::as_str) == Some("error") {
        return Err(VerifyError::Vendor(ApiError::parse(vendor, None, &bytes())));
    }
    match value.get("success") {
        Some(Value::Bool(false)) => Err(VerifyError::Vendor(ApiError::parse(vendor, None, &bytes()))),
        Some(_) => match value.get("result") {
            Some(result) if result.is_object() => Ok(result.clone()),
            Some(result) if result.is_array() => {
                Err(VerifyError::Shape { reason: "`result` is a list: verify one certificate's answer".to_owned() })
            }
            _ => Err(VerifyError::Shape { reason: "the envelope has no `result` object".to_owned() }),
        },
        None if value.is_object() => Ok(value),
        None => Err(VerifyError::Shape { reason: "expected a JSON object".to_owned() }),
    }
}

fn local_report(
    pem: Option<&[u8]>,
    carried: Option<&str>,
    missing: &str,
    options: &Options,
) -> Result<Report, VerifyError> {
    let input = match (pem, carried) {
        (Some(pem), _) => pem.to_vec(),
        (None, Some(carried)) => vendor_pem(carried, options.now),
        (None, None) => {
            return Err(VerifyError::NoCertificate {
                reason: format!("{missing}: pass the PEM you uploaded (--pem FILE) to compare with it"),
            });
        }
    };
    Ok(certcheck::check(&input, options))
}

/// A PEM a vendor's answer carries (Gateway's `certificate`, mTLS's `certificates`), read as the
/// vendor meant it: its formatting is not the user's to fix, and documentation pages print it
/// JSON-escaped once too often (`\\n`), so escaped newlines are undone.
pub fn vendor_pem(carried: &str, now: UnixTime) -> Vec<u8> {
    let options = Options::new(None, now);
    certcheck::apply_fixes(carried.as_bytes(), &[certcheck::Fix::StripEscapedNewlines], &options)
}

fn first(report: &Report) -> Result<&CertificateInfo, VerifyError> {
    report
        .certificates
        .first()
        .ok_or_else(|| VerifyError::NoCertificate { reason: "the PEM holds no readable certificate".to_owned() })
}

/// Compares a stored fingerprint (any spelling) with the first certificate's, naming another
/// local certificate it matches if any.
fn fingerprint(
    findings: &mut Vec<Finding>,
    report: &Report,
    field: &str,
    stored: &str,
    spelling: impl Fn(&CertificateInfo) -> String,
) {
    let matches = |certificate: &CertificateInfo| {
        certcheck::fingerprints_equal(stored, &certificate.fingerprints.sha256()).unwrap_or(false)
            || certcheck::fingerprints_equal(stored, &certificate.fingerprints.md5()).unwrap_or(false)
            || certcheck::fingerprints_equal(stored, &certificate.fingerprints.sha1()).unwrap_or(false)
    };
    let Some(first) = report.certificates.first() else { return };
    if parse_fingerprint(stored).is_ok() && matches(first) {
        return;
    }
    findings.push(Finding::ResponseFingerprintMismatch {
        field: field.to_owned(),
        stored: stored.to_owned(),
        local: spelling(first),
        matches_certificate: report.certificates.iter().skip(1).find(|c| matches(c)).map(|c| c.index),
    });
}

fn same(findings: &mut Vec<Finding>, field: &str, stored: &str, local: &str) {
    if stored != local {
        findings.push(Finding::ResponseMismatch {
            field: field.to_owned(),
            stored: stored.to_owned(),
            local: local.to_owned(),
        });
    }
}

/// `expires_at`/`expires_on` against notAfter, to the second (vendors add fractions). `None`
/// means "does not expire", which only a notAfter of 9999-12-31T23:59:59Z means in X.509.
fn expiry(findings: &mut Vec<Finding>, field: &str, stored: Option<&str>, first: &CertificateInfo) {
    let agrees = match stored {
        Some(value) => same_instant(value, first.not_after),
        None => first.not_after == UnixTime::NEVER,
    };
    if !agrees {
        findings.push(Finding::ResponseMismatch {
            field: field.to_owned(),
            stored: stored.unwrap_or("null").to_owned(),
            local: first.not_after.to_rfc3339(),
        });
    }
}

fn same_instant(stored: &str, local: UnixTime) -> bool {
    UnixTime::parse_rfc3339(stored) == Ok(local)
}

/// Gateway's spelling: uppercase, colon-separated, each byte without zero padding.
fn gateway_spelling(sha256_hex: &str) -> String {
    let bytes: Vec<u8> = (0..sha256_hex.len() / 2)
        .filter_map(|i| sha256_hex.get(i * 2..i * 2 + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect();
    unpadded_colon_hex(&bytes)
}

/// The values of an attribute (`O`, `CN` …) in a name rendered Go-style, unescaped.
pub fn attribute_values(rendered: &str, attribute: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = rendered.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push('\\');
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' | '+' => parts.push(core::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
        .iter()
        .filter_map(|part| part.split_once('='))
        .filter(|(key, _)| *key == attribute)
        .map(|(_, value)| unescape(value))
        .collect()
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A hex serial (`0a1b…`) in decimal, as Cloudflare's `serial_number` prints it.
pub fn decimal_from_hex(hex: &str) -> String {
    let mut digits: Vec<u8> = hex.chars().filter_map(|c| c.to_digit(16)).filter_map(|d| u8::try_from(d).ok()).collect();
    let mut decimal = Vec::new();
    while digits.iter().any(|&d| d != 0) {
        let mut remainder = 0u32;
        for digit in &mut digits {
            let value = remainder * 16 + u32::from(*digit);
            *digit = u8::try_from(value / 10).unwrap_or(0);
            remainder = value % 10;
        }
        decimal.push(char::from(b'0' + u8::try_from(remainder).unwrap_or(0)));
    }
    if decimal.is_empty() { "0".to_owned() } else { decimal.iter().rev().collect() }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_pems_are_read_with_escaped_newlines_undone() {
        let pem = include_str!("../../../tests/data/anthropic/good-rsa-ca.pem");
        let escaped = pem.replace('\n', "\\n");
        assert_eq!(String::from_utf8_lossy(&vendor_pem(&escaped, UnixTime(0))), pem);
        assert_eq!(String::from_utf8_lossy(&vendor_pem(pem, UnixTime(0))), pem);
    }

    #[test]
    fn serials_convert_to_decimal() {
        assert_eq!(decimal_from_hex("00"), "0");
        assert_eq!(decimal_from_hex("0a"), "10");
        assert_eq!(decimal_from_hex("ff"), "255");
        assert_eq!(decimal_from_hex("146601895e8f2abe0435af5375ac131d"), "27114205361201407142059250378894742301");
    }

    #[test]
    fn attributes_are_read_with_escapes() {
        assert_eq!(attribute_values("O=Example Inc.,L=California,ST=San Francisco,C=US", "O"), ["Example Inc."]);
        assert_eq!(attribute_values(r"CN=a\,b+O=x,O=y\+z", "O"), ["x", "y+z"]);
        assert_eq!(attribute_values("CN=only", "O"), Vec::<String>::new());
    }

    #[test]
    fn gateway_spelling_drops_zero_padding() {
        let hex = "e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c";
        assert_eq!(
            gateway_spelling(hex),
            "E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:0:31:91:8B:61:B4:BF:1C"
        );
    }
}
