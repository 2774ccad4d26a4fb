//! The dashboard's decisions (state.rs) against fixtures and recorded vendor answers.

use certcheck::{Destination, UnixTime, check};
use certcheck_api::{Generation, Method};
use serde_json::{Value, json};

use super::*;

const GOOD_RSA_CA: &[u8] = include_bytes!("../../../tests/data/anthropic/good-rsa-ca.pem");
const CA_WITH_KEY: &[u8] = include_bytes!("../../../tests/data/anthropic/ca-with-private-key.pem");
const FULL_CHAIN: &[u8] = include_bytes!("../../../tests/data/anthropic/full-chain.pem");
const DER: &[u8] = include_bytes!("../../../tests/data/anthropic/der-certificate.der");
const ACCESS_ROOT: &[u8] = include_bytes!("../../../tests/data/access/good-root.pem");
const MTLS_CA: &[u8] = include_bytes!("../../../tests/data/mtls/good-ca.pem");
const LEAF_WITH_KEY: &[u8] = include_bytes!("../../../tests/data/mtls/good-leaf-chain-pkcs8.pem");
const ANTHROPIC_ANSWER: &[u8] = include_bytes!("../../../tests/data/responses/anthropic-good-rsa-ca.json");
const ANTHROPIC_WRONG: &[u8] = include_bytes!("../../../tests/data/responses/anthropic-wrong-fingerprint.json");

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2026-06-01T00:00:00Z").unwrap_or(UnixTime(0))
}

fn choice(destination: Destination) -> Choice {
    Choice { destination, ..Choice::default() }
}

fn report(input: &[u8], choice: Choice) -> Report {
    check(input, &choice.options(now()))
}

fn sandbox() -> Connection {
    Connection::default().with_sandbox_defaults()
}

fn body(request: &Request) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap_or("null")).unwrap_or(Value::Null)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
}

#[test]
fn files_are_text_when_they_decode_and_bytes_otherwise() {
    assert_eq!(
        Input::from_file("ca.pem", GOOD_RSA_CA.to_vec()),
        Input::Text(String::from_utf8_lossy(GOOD_RSA_CA).into_owned())
    );
    assert_eq!(
        Input::from_file("ca.der", DER.to_vec()),
        Input::Binary { name: "ca.der".to_owned(), bytes: DER.to_vec() }
    );
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("AB".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    assert_eq!(Input::from_file("x.pem", utf16), Input::Text("\u{feff}AB".to_owned()));
    assert!(Input::Text(" \n\t".to_owned()).is_blank());
    assert!(!Input::Binary { name: String::new(), bytes: vec![0] }.is_blank());
}

#[test]
fn a_good_anthropic_ca_builds_the_documented_request() {
    let choice = choice(Destination::AnthropicTunnel);
    let report = report(GOOD_RSA_CA, choice);
    let request = upload_request(Some(&report), choice, &UploadForm::default(), &sandbox(), true);
    let Ok(request) = request else { panic!("blocked: {request:?}") };
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path_and_query, "/v1/tunnels/tnl_sandbox/certificates");
    assert_eq!(header(&request, "authorization"), Some("Bearer sandbox"));
    assert_eq!(header(&request, "anthropic-beta"), Some("mcp-tunnels-2026-06-22"));
    assert_eq!(body(&request), json!({ "ca_certificate_pem": report.normalized_pem }));

    let admin = Choice { generation: Generation::Admin, ..choice };
    let request = upload_request(Some(&report), admin, &UploadForm::default(), &sandbox(), true);
    assert_eq!(request.map(|r| r.path_and_query), Ok("/v1/organizations/tunnels/tnl_sandbox/certificates".to_owned()));
}

#[test]
fn live_uploads_need_a_token_and_sandbox_ones_do_not() {
    let choice = choice(Destination::AnthropicTunnel);
    let report = report(GOOD_RSA_CA, choice);
    let form = UploadForm::default();
    assert_eq!(
        upload_request(Some(&report), choice, &form, &sandbox(), false).err(),
        Some(Blocked::Missing("API token"))
    );
    let live = Connection { token: "Bearer sk-live ".to_owned(), ..sandbox() };
    let request = upload_request(Some(&report), choice, &form, &live, false);
    assert_eq!(request.map(|r| header(&r, "authorization").map(str::to_owned)), Ok(Some("Bearer sk-live".to_owned())));
    let no_tunnel = Connection::default();
    assert_eq!(
        upload_request(Some(&report), choice, &form, &no_tunnel, true).err(),
        Some(Blocked::Missing("Tunnel ID"))
    );
    let bad = Connection { tunnel_id: "../x".to_owned(), ..Connection::default() };
    assert_eq!(
        upload_request(Some(&report), choice, &form, &bad, true).err(),
        Some(Blocked::BadIdentifier("Tunnel ID"))
    );
}

#[test]
fn errors_block_the_upload_and_say_how_many() {
    let choice = choice(Destination::AnthropicTunnel);
    let with_key = report(CA_WITH_KEY, choice);
    let errors = error_count(&with_key);
    assert!(with_key.has("key.private_key_present"));
    assert_eq!(
        upload_request(Some(&with_key), choice, &UploadForm::default(), &sandbox(), true).err(),
        Some(Blocked::Errors(errors))
    );
    assert_eq!(upload_request(None, choice, &UploadForm::default(), &sandbox(), true).err(), Some(Blocked::Checking));
    assert_eq!(Blocked::Errors(1).to_string(), "1 error remains: fix it first (see the list above).");
    assert_eq!(Blocked::Errors(3).to_string(), "3 errors remain: fix them first (see the list above).");
}

#[test]
fn gateway_is_created_not_uploaded() {
    let choice = choice(Destination::CloudflareGateway);
    let report = report(GOOD_RSA_CA, choice);
    assert_eq!(
        upload_request(Some(&report), choice, &UploadForm::default(), &sandbox(), true).err(),
        Some(Blocked::Generated)
    );
}

#[test]
fn access_names_default_to_the_common_name_and_hostnames_go_once_each() {
    let choice = choice(Destination::CloudflareAccess);
    let report = report(ACCESS_ROOT, choice);
    let form =
        UploadForm { hostnames: "a.example.com, b.example.com A.example.com".to_owned(), ..UploadForm::default() };
    // An empty Name becomes the certificate's common name.
    let unnamed = upload_request(Some(&report), choice, &form, &sandbox(), true);
    assert_eq!(unnamed.map(|r| body(&r)["name"].clone()), Ok(json!("Example Root CA")));
    assert_eq!(default_name(&report), "Example Root CA");
    let form = UploadForm { name: " corp root ".to_owned(), ..form };
    let zone = Connection { access_zone: true, zone_id: "zone1".to_owned(), ..sandbox() };
    let request = upload_request(Some(&report), choice, &form, &zone, true);
    let Ok(request) = request else { panic!("blocked: {request:?}") };
    assert_eq!(request.path_and_query, "/zones/zone1/access/certificates");
    assert_eq!(
        body(&request),
        json!({ "certificate": report.normalized_pem, "name": "corp root", "associated_hostnames": ["a.example.com", "b.example.com"] })
    );
}

#[test]
fn an_mtls_leaf_sends_its_key_only_after_consent() {
    let leaf = Choice { destination: Destination::CloudflareMtls { ca: false }, ..Choice::default() };
    let report = report(LEAF_WITH_KEY, leaf);
    let key = private_key_pem(&Input::from_file("leaf.pem", LEAF_WITH_KEY.to_vec()), &report).unwrap_or_default();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{key}");
    assert!(key.ends_with("-----END PRIVATE KEY-----\n"), "{key}");
    let key = key.trim_end().to_owned();
    let mut form = UploadForm { private_key: key.clone(), ..UploadForm::default() };
    assert_eq!(upload_request(Some(&report), leaf, &form, &sandbox(), true).err(), Some(Blocked::KeyNotConfirmed));
    form.send_key = true;
    let request = upload_request(Some(&report), leaf, &form, &sandbox(), true);
    let Ok(request) = request else { panic!("blocked: {request:?}") };
    assert_eq!(request.path_and_query, format!("/accounts/{SANDBOX_ACCOUNT_ID}/mtls_certificates"));
    assert_eq!(
        body(&request),
        json!({ "ca": false, "certificates": report.normalized_pem, "private_key": format!("{key}\n") })
    );
    let no_key = UploadForm { send_key: true, ..UploadForm::default() };
    assert_eq!(upload_request(Some(&report), leaf, &no_key, &sandbox(), true).err(), Some(Blocked::NoPrivateKey));

    // A CA upload never carries the key field, whatever the form holds.
    let ca = Choice { destination: Destination::CloudflareMtls { ca: true }, ..leaf };
    let ca_report = report_for(MTLS_CA, ca);
    let request = upload_request(Some(&ca_report), ca, &form, &sandbox(), true);
    assert_eq!(request.map(|r| body(&r)), Ok(json!({ "ca": true, "certificates": ca_report.normalized_pem })));
}

fn report_for(input: &[u8], choice: Choice) -> Report {
    report(input, choice)
}

#[test]
fn private_keys_are_found_by_the_core_even_escaped() {
    let text = "junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\nBBBB\n-----END EC PRIVATE KEY-----\n";
    let pem = |text: &str| {
        let input = Input::Text(text.to_owned());
        private_key_pem(
            &input,
            &check(input.bytes(), &choice(Destination::CloudflareMtls { ca: false }).options(now())),
        )
    };
    assert_eq!(pem(text), Some("-----BEGIN EC PRIVATE KEY-----\nBBBB\n-----END EC PRIVATE KEY-----\n".to_owned()));
    let escaped = text.replace('\n', "\\n");
    assert_eq!(pem(&escaped), pem(text));
    assert_eq!(pem(&text.replace('\n', "\r\n")), pem(text));
    assert_eq!(pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), None);
    assert_eq!(pem(""), None);
}

#[test]
fn an_upload_lists_the_destination_first() {
    let paths: Vec<Result<String, Blocked>> = Destination::ALL
        .iter()
        .map(|&destination| {
            let choice = choice(destination);
            let input = if destination.ca() { MTLS_CA } else { LEAF_WITH_KEY };
            let report = report(input, choice);
            let form = UploadForm {
                private_key: private_key_pem(&Input::from_file("x.pem", input.to_vec()), &report).unwrap_or_default(),
                send_key: true,
                ..UploadForm::default()
            };
            upload_plan(Some(&report), choice, &form, &sandbox(), true, now())
                .map(|plan| plan.first_list_request().map(|r| r.path_and_query).unwrap_or_default())
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            Ok("/v1/tunnels/tnl_sandbox/certificates?limit=100".to_owned()),
            Ok(format!("/accounts/{SANDBOX_ACCOUNT_ID}/access/certificates?page=1&per_page=50")),
            Ok(format!("/accounts/{SANDBOX_ACCOUNT_ID}/mtls_certificates?page=1&per_page=50")),
            Ok(format!("/accounts/{SANDBOX_ACCOUNT_ID}/mtls_certificates?page=1&per_page=50")),
            Err(Blocked::Generated),
        ]
    );
}

#[test]
fn gateway_validity_is_checked_before_sending() {
    let results: Vec<Result<u32, String>> =
        ["0", "1", " 30 ", "1825", "10950", "10951", "-3", "2.5", ""].iter().map(|t| validity_days(t)).collect();
    let refused = Err("Validity must be a whole number of days from 1 to 10950.".to_owned());
    assert_eq!(
        results,
        vec![
            refused.clone(),
            Ok(1),
            Ok(30),
            Ok(1825),
            Ok(10950),
            refused.clone(),
            refused.clone(),
            refused.clone(),
            refused
        ]
    );
}

#[test]
fn the_report_links_each_certificate_of_a_chain_to_its_issuer() {
    let report = report(FULL_CHAIN, choice(Destination::CloudflareAccess));
    let issuers: Vec<Option<usize>> = report.certificates.iter().map(|c| c.issuer_index).collect();
    assert_eq!(issuers, vec![Some(1), Some(2), None]);
    let roles: Vec<String> = report.certificates.iter().map(|c| chain_role(c, false)).collect();
    assert_eq!(
        roles,
        ["issued by #2, signature verified by #2", "issued by #3, signature verified by #3", "self-signed (verified)"]
    );
    let mut unverified = report.certificates[0].clone();
    unverified.verified_by = None;
    assert_eq!(chain_role(&unverified, true), "issued by #2, verifying signature…");
    assert_eq!(chain_role(&unverified, false), "issued by #2, signature not verified");
    unverified.issuer_index = None;
    assert_eq!(chain_role(&unverified, false), "issuer not in this input, signature not verified");
    let mut root = report.certificates[2].clone();
    root.self_signed = false;
    root.verified_by = None;
    assert_eq!(chain_role(&root, true), "self-issued, verifying signature…");
}

#[test]
fn diagnostics_are_ordered_errors_first_then_by_line() {
    let report = report(CA_WITH_KEY, choice(Destination::AnthropicTunnel));
    let ordered = ordered(&report.diagnostics);
    let severities: Vec<Severity> = ordered.iter().map(|d| d.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, sorted);
    assert_eq!(ordered.len(), report.diagnostics.len());
}

#[test]
fn lines_for_the_gutter_and_the_selection() {
    assert_eq!(line_numbers(3), "1\n2\n3\n");
    assert_eq!(line_count(""), 1);
    assert_eq!(line_count("a\nb\n"), 3);
    let text = "a\nbé😀c\nd";
    assert_eq!(line_range(text, 1), Some((0, 1)));
    assert_eq!(line_range(text, 2), Some((2, 7)));
    assert_eq!(line_range(text, 3), Some((8, 9)));
    assert_eq!(line_range(text, 4), None);
    assert_eq!(line_range(text, 0), None);
}

#[test]
fn the_connection_is_remembered_only_when_asked() {
    let connection = Connection { token: "secret".to_owned(), account_id: "acc".to_owned(), ..Connection::default() };
    assert_eq!(connection.to_session(), None);
    let remembered = Connection { remember: true, ..connection };
    let stored = remembered.to_session().unwrap_or_default();
    assert_eq!(Connection::from_session(&stored), Some(remembered));
    assert_eq!(Connection::from_session("{not json"), None);
    assert_eq!(
        sandbox(),
        Connection {
            tunnel_id: SANDBOX_TUNNEL_ID.to_owned(),
            account_id: SANDBOX_ACCOUNT_ID.to_owned(),
            zone_id: SANDBOX_ZONE_ID.to_owned(),
            ..Connection::default()
        }
    );
}

#[test]
fn small_helpers() {
    assert_eq!(
        parse_hostnames(" a.example.com,,b.example.com\nA.EXAMPLE.COM "),
        vec!["a.example.com", "b.example.com"]
    );
    assert_eq!(pem_file_name("../evil id"), "evilid.pem");
    assert_eq!(pem_file_name("///"), "certificate.pem");
    let leaf = Choice { destination: Destination::CloudflareMtls { ca: false }, ..Choice::default() };
    assert_eq!(leaf.with_name("anthropic-tunnel").destination, Destination::AnthropicTunnel);
    assert_eq!(
        choice(Destination::AnthropicTunnel).with_name("cloudflare-mtls").destination,
        Destination::CloudflareMtls { ca: true }
    );
    assert_eq!(
        Choice { destination: Destination::CloudflareMtls { ca: false }, ..leaf }.with_name("cloudflare-mtls"),
        leaf
    );
    assert_eq!(leaf.with_name("mtls"), leaf);
}

#[test]
fn answers_give_their_id_and_their_own_findings() {
    assert_eq!(answer_id(ANTHROPIC_ANSWER), "tcrt_01JmWq4ZxnBvR7tKpY2sLdH9");
    assert_eq!(answer_id(br#"{"success":true,"result":{"id":"cf-1"}}"#), "cf-1");
    assert_eq!(answer_id(b"not json"), "");

    let anthropic = choice(Destination::AnthropicTunnel);
    let pem = report(GOOD_RSA_CA, anthropic).normalized_pem.unwrap_or_default();
    let verify = |answer: &[u8]| {
        certcheck_api::verify_response(Destination::AnthropicTunnel, answer, Some(pem.as_bytes()), now())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let good = verify(ANTHROPIC_ANSWER);
    assert!(!response_differs(&good));
    let wrong = verify(ANTHROPIC_WRONG);
    assert!(response_differs(&wrong));
    let codes: Vec<&str> = answer_findings(wrong).diagnostics.iter().map(|d| d.finding.code()).collect();
    assert_eq!(codes, vec!["response.fingerprint_mismatch"]);
}

#[test]
fn connection_requests_carry_the_credentials_and_workspace() {
    let connection = Connection { workspace_id: "wrkspc_1".to_owned(), ..sandbox() };
    let endpoint = Endpoint::TunnelCertificateList { generation: Generation::Tunnels, tunnel_id: "tnl_a".to_owned() };
    let request = connection.request(&endpoint, None, true);
    let Ok(request) = request else { panic!("blocked: {request:?}") };
    assert_eq!(header(&request, "authorization"), Some("Bearer sandbox"));
    assert_eq!(header(&request, "anthropic-workspace-id"), Some("wrkspc_1"));
    assert_eq!(connection.request(&endpoint, None, false).err(), Some(Blocked::Missing("API token")));
}

#[test]
fn the_upload_waits_for_the_check_and_the_signatures() {
    let anthropic = choice(Destination::AnthropicTunnel);
    let report = report(GOOD_RSA_CA, anthropic);
    let form = UploadForm::default();
    let blocked = |gate: UploadGate| gate.blocked(Some(&report), anthropic, &form, &sandbox(), true);
    assert_eq!(blocked(UploadGate::default()), None);
    assert_eq!(blocked(UploadGate { stale: true, busy: true, ..UploadGate::default() }), Some(Blocked::Checking));
    assert_eq!(blocked(UploadGate { busy: true, ..UploadGate::default() }), Some(Blocked::Busy));
    let pending = Verification::Pending { done: 1, total: 3 };
    assert_eq!(blocked(UploadGate { verification: pending, ..UploadGate::default() }), Some(Blocked::Verifying));
    assert_eq!(pending.text().as_deref(), Some("Verifying signatures… 1/3"));
    assert_eq!(
        (pending.name(), Verification::Complete.name(), Verification::Complete.text()),
        ("pending", "complete", None)
    );
    let unavailable = UploadGate { verification: Verification::Unavailable, ..UploadGate::default() };
    assert_eq!(blocked(unavailable), Some(Blocked::Unverifiable));
    assert_eq!(Verification::Unavailable.name(), "unavailable");
    let empty = UploadGate { blank: true, ..UploadGate::default() };
    assert_eq!(empty.blocked(None, anthropic, &form, &sandbox(), true), Some(Blocked::Empty));
    // Gateway says why nothing is uploaded, whatever is still running.
    let gateway = choice(Destination::CloudflareGateway);
    let gate = UploadGate { verification: pending, ..UploadGate::default() };
    assert_eq!(gate.blocked(Some(&report), gateway, &form, &sandbox(), true), Some(Blocked::Generated));
}

#[test]
fn the_quick_check_reports_only_known_signatures() {
    let access = choice(Destination::CloudflareAccess);
    let options = access.quick_options(now());
    assert_eq!(options.signatures, certcheck::Signatures::Known);
    assert_eq!(access.options(now()).signatures, certcheck::Signatures::Verify);
    for task in certcheck::signature_tasks(FULL_CHAIN, &options) {
        task.run();
    }
    assert_eq!(check(FULL_CHAIN, &options), check(FULL_CHAIN, &access.options(now())));
}
