//! Contract tests: every endpoint's request is the documented method, path, headers and body
//! (written out literally here, not computed by the code under test), and the documented example
//! responses parse into the model types.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck_api::model::{
    AccessCertificate, Envelope, GatewayCertificate, MtlsAssociation, MtlsCertificate, TunnelCertificate,
};
use certcheck_api::{
    ApiError, CreateGatewayCertificate, CreateTunnelCertificate, Credentials, Endpoint, ListTunnelCertificates,
    RequestOptions, UploadMtlsCertificate, Vendor, build, examples::all_endpoints,
};

const T: &str = "tnl_01Hx9Kp2RtQvMn3sWbYdLcF8";
const C: &str = "tcrt_01JmWq4ZxnBvR7tKpY2sLdH9";
const A: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const U: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";

/// `(method, path)` of every endpoint of `all_endpoints()`, in its order, as the references print them.
fn documented() -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    for prefix in ["/v1/organizations/tunnels", "/v1/tunnels"] {
        rows.extend([
            ("POST", format!("{prefix}/{T}/certificates")),
            ("GET", format!("{prefix}/{T}/certificates")),
            ("GET", format!("{prefix}/{T}/certificates/{C}")),
            ("POST", format!("{prefix}/{T}/certificates/{C}/archive")),
        ]);
    }
    rows.extend([
        ("POST", "/v1/tunnels".to_owned()),
        ("GET", "/v1/tunnels".to_owned()),
        ("GET", format!("/v1/tunnels/{T}")),
        ("POST", format!("/v1/tunnels/{T}/archive")),
        ("POST", format!("/v1/tunnels/{T}/reveal_token")),
        ("POST", format!("/v1/tunnels/{T}/rotate_token")),
    ]);
    for scope in ["accounts", "zones"] {
        rows.extend([
            ("GET", format!("/{scope}/{A}/access/certificates")),
            ("POST", format!("/{scope}/{A}/access/certificates")),
            ("GET", format!("/{scope}/{A}/access/certificates/{U}")),
            ("PUT", format!("/{scope}/{A}/access/certificates/{U}")),
            ("DELETE", format!("/{scope}/{A}/access/certificates/{U}")),
            ("GET", format!("/{scope}/{A}/access/certificates/settings")),
            ("PUT", format!("/{scope}/{A}/access/certificates/settings")),
        ]);
    }
    rows.extend([
        ("POST", format!("/accounts/{A}/gateway/certificates")),
        ("GET", format!("/accounts/{A}/gateway/certificates")),
        ("GET", format!("/accounts/{A}/gateway/certificates/{U}")),
        ("DELETE", format!("/accounts/{A}/gateway/certificates/{U}")),
        ("POST", format!("/accounts/{A}/gateway/certificates/{U}/activate")),
        ("POST", format!("/accounts/{A}/gateway/certificates/{U}/deactivate")),
        ("POST", format!("/accounts/{A}/mtls_certificates")),
        ("GET", format!("/accounts/{A}/mtls_certificates")),
        ("GET", format!("/accounts/{A}/mtls_certificates/{U}")),
        ("DELETE", format!("/accounts/{A}/mtls_certificates/{U}")),
        ("GET", format!("/accounts/{A}/mtls_certificates/{U}/associations")),
    ]);
    rows
}

#[test]
fn every_endpoint_has_its_documented_method_path_and_headers() {
    let endpoints = all_endpoints();
    let rows = documented();
    assert_eq!(endpoints.len(), rows.len());
    let bearer = Credentials::Bearer("token".to_owned());
    for (endpoint, (method, path)) in endpoints.iter().zip(rows) {
        let request = build(endpoint, &bearer, None, &RequestOptions::default());
        assert_eq!((request.method.as_str(), request.path_and_query.as_str()), (method, path.as_str()), "{endpoint:?}");
        let names: Vec<&str> = request.headers.iter().map(|(n, _)| *n).collect();
        let beta =
            if path.starts_with("/v1/organizations/") { "mcp-tunnels-2026-05-19" } else { "mcp-tunnels-2026-06-22" };
        let with_body = request.body.is_some();
        match endpoint.vendor() {
            Vendor::Anthropic => {
                let mut expected = vec!["authorization", "anthropic-version", "anthropic-beta"];
                if with_body {
                    expected.push("content-type");
                }
                assert_eq!(names, expected, "{path}");
                assert_eq!(request.headers[1].1, "2023-06-01");
                assert_eq!(request.headers[2].1, beta, "{path}");
            }
            Vendor::Cloudflare => {
                let expected: &[&str] = if with_body { &["authorization", "content-type"] } else { &["authorization"] };
                assert_eq!(names, expected, "{path}");
            }
        }
        assert_eq!(request.headers[0], ("authorization", "Bearer token".to_owned()));
        // Bodies only where documented: creates, updates, activate/deactivate; none on GET/DELETE,
        // archives, token calls, and Gateway's create without options (its curl example).
        let has_body = matches!(method, "POST" | "PUT")
            && !path.ends_with("/archive")
            && !path.ends_with("_token")
            && path != format!("/accounts/{A}/gateway/certificates");
        assert_eq!(with_body, has_body, "{method} {path}");
        assert_eq!(Endpoint::recognize(endpoint.vendor(), method, &path).as_ref(), Some(endpoint));
    }
}

#[test]
fn bodies_queries_and_options_are_as_documented() {
    let endpoint =
        Endpoint::TunnelCertificateCreate { generation: certcheck_api::Generation::Admin, tunnel_id: T.to_owned() };
    let body = serde_json::to_string(&CreateTunnelCertificate { ca_certificate_pem: "PEM".to_owned() }).unwrap();
    let request = build(&endpoint, &Credentials::Bearer("t".to_owned()), Some(body), &RequestOptions::default());
    assert_eq!(request.body.as_deref(), Some(r#"{"ca_certificate_pem":"PEM"}"#));

    let list =
        Endpoint::TunnelCertificateList { generation: certcheck_api::Generation::Tunnels, tunnel_id: T.to_owned() };
    let options = RequestOptions {
        workspace_id: Some("wrkspc_01".to_owned()),
        list: ListTunnelCertificates {
            include_archived: Some(true),
            limit: Some(1000),
            page: Some("a b/c".to_owned()),
        },
        cloudflare_page: None,
    };
    let request = build(&list, &Credentials::Bearer("t".to_owned()), None, &options);
    assert_eq!(
        request.path_and_query,
        format!("/v1/tunnels/{T}/certificates?include_archived=true&limit=1000&page=a%20b%2Fc")
    );
    assert!(request.headers.contains(&("anthropic-workspace-id", "wrkspc_01".to_owned())));
    // The workspace header belongs to the current generation only.
    let admin =
        Endpoint::TunnelCertificateList { generation: certcheck_api::Generation::Admin, tunnel_id: T.to_owned() };
    assert!(
        !build(&admin, &Credentials::Bearer("t".to_owned()), None, &options)
            .headers
            .iter()
            .any(|(n, _)| *n == "anthropic-workspace-id")
    );

    let key = Credentials::GlobalKey { email: "a@example.com".to_owned(), key: "k".to_owned() };
    let gateway = Endpoint::GatewayCertificateCreate { account_id: A.to_owned() };
    let body = serde_json::to_string(&CreateGatewayCertificate { validity_period_days: Some(30) }).unwrap();
    let request = build(&gateway, &key, Some(body), &RequestOptions::default());
    assert_eq!(request.headers[..2], [("x-auth-email", "a@example.com".to_owned()), ("x-auth-key", "k".to_owned())]);
    assert_eq!(request.body.as_deref(), Some(r#"{"validity_period_days":30}"#));
    let activate = Endpoint::GatewayCertificateActivate { account_id: A.to_owned(), certificate_id: U.to_owned() };
    assert_eq!(build(&activate, &key, None, &RequestOptions::default()).body.as_deref(), Some("{}"));

    let upload = UploadMtlsCertificate {
        ca: false,
        certificates: "C".to_owned(),
        name: None,
        private_key: Some("K".to_owned()),
    };
    assert_eq!(serde_json::to_string(&upload).unwrap(), r#"{"ca":false,"certificates":"C","private_key":"K"}"#);
    assert!(format!("{upload:?}").contains(r#"private_key: Some("<redacted>")"#), "{upload:?}");
    assert!(!format!("{request:?}").contains("\"k\""), "credentials are redacted in Debug");
}

#[test]
fn documented_example_responses_parse() {
    let anthropic: TunnelCertificate = serde_json::from_str(
        r#"{"id":"tcrt_01JmWq4ZxnBvR7tKpY2sLdH9","archived_at":"2024-11-01T23:59:27.427722Z","created_at":"2024-10-30T23:58:27.427722Z","expires_at":"2024-10-30T23:58:27.427722Z","fingerprint":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","tunnel_id":"tnl_01Hx9Kp2RtQvMn3sWbYdLcF8","type":"tunnel_certificate"}"#,
    )
    .unwrap();
    assert_eq!(anthropic.kind, "tunnel_certificate");
    let access: Envelope<AccessCertificate> = serde_json::from_str(
        r#"{"errors":[{"code":1000,"message":"message","documentation_url":"documentation_url","source":{"pointer":"pointer"}}],"messages":[],"success":true,"result":{"id":"id","associated_hostnames":["admin.example.com"],"created_at":"2014-01-01T05:20:00.12345Z","expires_on":"2014-01-01T05:20:00.12345Z","fingerprint":"MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91","name":"Allow devs","updated_at":"2014-01-01T05:20:00.12345Z"}}"#,
    )
    .unwrap();
    assert_eq!(
        access.result.unwrap().fingerprint.as_deref(),
        Some("MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91")
    );
    let gateway: Envelope<GatewayCertificate> =
        serde_json::from_str(include_str!("../../../tests/data/responses/gateway-example.json")).unwrap();
    let result = gateway.result.unwrap();
    assert_eq!(result.issuer_raw.as_deref(), Some("O=Example Inc.,L=California,ST=San Francisco,C=US"));
    assert_eq!(result.binding_status.as_deref(), Some("pending_deployment"));
    let mtls: Envelope<Vec<MtlsCertificate>> = serde_json::from_str(
        r#"{"success":true,"errors":[],"messages":[],"result":[{"id":"2458ce5a-0c35-4c7f-82c7-8e9487d3ff60","ca":true,"certificates":"-----BEGIN CERTIFICATE-----\n…","expires_on":"2122-10-29T16:59:47Z","issuer":"O=Example Inc.,L=California,ST=San Francisco,C=US","name":"example_ca_cert","serial_number":"235217144297995885180570755458463043449861756659","signature":"SHA256WithRSA","uploaded_on":"2022-11-22T17:32:30.467938Z"}],"result_info":{"count":1,"page":1,"per_page":50,"total_count":1,"total_pages":1}}"#,
    )
    .unwrap();
    assert_eq!(
        mtls.result.unwrap()[0].serial_number.as_deref(),
        Some("235217144297995885180570755458463043449861756659")
    );
    assert_eq!(mtls.result_info.unwrap().total_count, Some(1));
    let associations: Envelope<Vec<MtlsAssociation>> = serde_json::from_str(
        r#"{"success":true,"errors":[],"messages":[],"result":[{"service":"gateway","status":"pending_deployment"}]}"#,
    )
    .unwrap();
    assert_eq!(associations.result.unwrap()[0].service, "gateway");
    let error = ApiError::parse(Vendor::Cloudflare, Some(400), br#"{"success":false,"errors":[{"code":12130,"message":"access.api.error.invalid_request: maximum number of certificates has been reached"}],"messages":[],"result":null}"#);
    assert_eq!(error.errors[0].code, Some(12130));
}
