//! Every export of the package, called the way JavaScript calls it, in Node, headless Chromium
//! and headless Firefox (`cargo xtask test` runs this file three times). The fixture corpus is
//! compiled in with `include_bytes!`: each report must equal the CLI's `--json` for that case.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck_wasm as package;
use js_sys::{Array, Date, JSON, Object, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "../../../tests/data/cases.rs"]
mod cases;

#[path = "../../../tests/data/peer/cases.rs"]
mod peer_cases;

const NOW: &str = "2026-11-22T00:00:00Z";
const GATEWAY_EXAMPLE: &str = include_str!("../../../examples/cloudflare-gateway-example.pem");
const GATEWAY_SHA256: &str = "e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c";

fn json(value: &JsValue) -> Value {
    serde_json::from_str(&String::from(JSON::stringify(value).unwrap())).unwrap()
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

/// The options object a case's CLI arguments stand for.
fn options_for(args: &str) -> JsValue {
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut pairs = vec![("now", JsValue::from_str(NOW))];
    if let Some(pair) = words.windows(2).find(|w| w[0] == "--to") {
        pairs.push(("to", JsValue::from_str(pair[1])));
    }
    if words.contains(&"--no-ca") {
        pairs.push(("ca", JsValue::FALSE));
    }
    object(&pairs)
}

fn bytes(data: &[u8]) -> JsValue {
    Uint8Array::from(data).into()
}

/// Asserts that `result` is a `CertcheckError` with this code and message.
#[track_caller]
fn assert_error<T: std::fmt::Debug>(result: Result<T, JsValue>, code: &str, message: &str) {
    let error = result.expect_err("expected a CertcheckError");
    let error: &js_sys::Error = error.dyn_ref().expect("an Error object");
    assert_eq!(String::from(error.name()), "CertcheckError");
    assert_eq!(Reflect::get(error, &"code".into()).unwrap().as_string().as_deref(), Some(code));
    assert_eq!(String::from(error.message()), message);
}

#[wasm_bindgen_test]
fn every_case_equals_the_cli_report_from_bytes_and_from_text() {
    let mut checked = 0;
    for &(path, args, input, expected) in cases::CASES {
        let Some(expected) = expected else { continue };
        let expected: Value = serde_json::from_str(expected).unwrap();
        let options = options_for(args);
        let run = |input: JsValue| {
            if args.starts_with("inspect") {
                package::inspect(input, options.clone())
            } else {
                package::check(input, options.clone())
            }
        };
        assert_eq!(json(&run(bytes(input)).unwrap()), expected, "{path} as bytes");
        if let Ok(text) = std::str::from_utf8(input) {
            assert_eq!(json(&run(JsValue::from_str(text)).unwrap()), expected, "{path} as a string");
        }
        checked += 1;
    }
    assert_eq!(checked, cases::CASES.iter().filter(|c| c.3.is_some()).count());
    assert!(checked >= 100, "the corpus shrank to {checked} cases");
}

#[wasm_bindgen_test]
fn an_array_buffer_reads_like_its_bytes() {
    let array = Uint8Array::from(GATEWAY_EXAMPLE.as_bytes());
    let report = package::inspect(array.buffer().into(), object(&[("now", NOW.into())])).unwrap();
    let report = json(&report);
    assert_eq!(report["certificates"][0]["fingerprints"]["sha256"], GATEWAY_SHA256);
    assert_eq!(report["destination"], Value::Null);
}

#[wasm_bindgen_test]
fn now_may_be_a_date_or_omitted() {
    // 2026-11-22T00:00:00Z as a Date gives the same report as the string.
    let date = Date::new(&JsValue::from_f64(1_795_305_600_000.0));
    let with_date =
        package::check(GATEWAY_EXAMPLE.into(), object(&[("to", "cloudflare-gateway".into()), ("now", date.into())]));
    let with_text =
        package::check(GATEWAY_EXAMPLE.into(), object(&[("to", "cloudflare-gateway".into()), ("now", NOW.into())]));
    assert_eq!(json(&with_date.unwrap()), json(&with_text.unwrap()));
    // Without `now` the clock is read: the example CA (valid 2022–2122) is neither expired nor
    // not yet valid on any day these tests run.
    let today = json(&package::check(GATEWAY_EXAMPLE.into(), object(&[("to", "cloudflare-gateway".into())])).unwrap());
    assert_eq!(today["verdict"], "ok", "{today}");
}

#[wasm_bindgen_test]
fn an_input_over_the_cap_is_refused_without_copying_and_says_its_size() {
    let size = certcheck::GLOBAL_SIZE_LIMIT + 3;
    // "é" is two bytes in UTF-8: the size must count bytes, not UTF-16 units.
    let text: String = std::iter::repeat_n('a', size - 2).chain(['é']).collect();
    assert_eq!(text.len(), size);
    let options = object(&[("to", "anthropic-tunnel".into()), ("now", NOW.into())]);
    let core = certcheck::check(
        text.as_bytes(),
        &certcheck::Options::new(
            Some(certcheck::Destination::AnthropicTunnel),
            certcheck::UnixTime::parse_rfc3339(NOW).unwrap(),
        ),
    );
    let expected = serde_json::to_value(&core).unwrap();
    assert_eq!(expected["diagnostics"][0]["code"], "input.too_large");
    assert_eq!(json(&package::check(text.as_str().into(), options.clone()).unwrap()), expected);
    assert_eq!(json(&package::check(bytes(text.as_bytes()), options).unwrap()), expected);
    assert_error(
        package::apply_fixes(text.as_str().into(), JsValue::UNDEFINED, JsValue::UNDEFINED),
        "invalid_input",
        &format!("the input is {size} bytes, over certcheck's limit of 16777216 bytes: nothing to fix"),
    );
}

#[wasm_bindgen_test]
fn fingerprints_lists_every_certificate_in_order() {
    let (_, _, input, _) = cases::CASES.iter().find(|c| c.0 == "access/good-intermediate-first.pem").unwrap();
    let list = json(&package::fingerprints(bytes(input)).unwrap());
    let report = json(&package::inspect(bytes(input), object(&[("now", NOW.into())])).unwrap());
    let certificates = report["certificates"].as_array().unwrap();
    assert_eq!(list.as_array().unwrap().len(), certificates.len());
    assert!(certificates.len() >= 2);
    for (entry, certificate) in list.as_array().unwrap().iter().zip(certificates) {
        for key in ["index", "block", "subject", "fingerprints", "spellings"] {
            assert_eq!(entry[key], certificate[key], "{key}");
        }
        assert_eq!(entry.as_object().unwrap().len(), 5);
    }
    assert_eq!(json(&package::fingerprints("no certificate here".into()).unwrap()), Value::Array(vec![]));
}

#[wasm_bindgen_test]
fn fingerprint_spellings_parse_and_compare() {
    let gateway = "E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:0:31:91:8B:61:B4:BF:1C";
    let parsed = json(&package::parse_fingerprint(gateway.into()).unwrap());
    assert_eq!(parsed, serde_json::json!({ "algorithm": "sha256", "hex": GATEWAY_SHA256 }));
    let md5 = json(
        &package::parse_fingerprint("MD5 Fingerprint=1E:80:0F:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23".into()).unwrap(),
    );
    assert_eq!(md5, serde_json::json!({ "algorithm": "md5", "hex": "1e800fabcdef0123456789abcdef0123" }));
    assert!(package::fingerprints_equal(gateway.into(), GATEWAY_SHA256.into()).unwrap());
    assert!(!package::fingerprints_equal(gateway.into(), GATEWAY_SHA256.replace("e9", "e8").into()).unwrap());
    assert_error(
        package::parse_fingerprint("AB:CD:XY".into()),
        "invalid_fingerprint",
        "not a fingerprint: character 'X' at position 7 is not a hex digit or separator",
    );
    assert_error(
        package::fingerprints_equal("abcd".into(), GATEWAY_SHA256.into()),
        "invalid_fingerprint",
        "not a fingerprint: 2 bytes is not the length of a SHA-256 (32), SHA-1 (20) or MD5 (16) fingerprint",
    );
    assert_error(
        package::parse_fingerprint(JsValue::NULL),
        "invalid_input",
        "parseFingerprint(text) must be a string, not null",
    );
    assert_error(
        package::fingerprints_equal(GATEWAY_SHA256.into(), JsValue::from_f64(1.0)),
        "invalid_input",
        "fingerprintsEqual(a, b): b must be a string, not a number",
    );
}

#[wasm_bindgen_test]
fn apply_fixes_repairs_what_the_report_offers() {
    let escaped = GATEWAY_EXAMPLE.replace('\n', "\\n");
    let fixed = package::apply_fixes(escaped.as_str().into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    let fixed = fixed.as_string().expect("text comes back as a string");
    let report = json(
        &package::check(fixed.as_str().into(), object(&[("to", "cloudflare-gateway".into()), ("now", NOW.into())]))
            .unwrap(),
    );
    assert_eq!(report["verdict"], "ok", "{report}");
    assert_eq!(report["certificates"][0]["fingerprints"]["sha256"], GATEWAY_SHA256);
    // A named list applies only those fixes: CRLF stays when only the escapes are undone.
    let crlf = GATEWAY_EXAMPLE.replace('\n', "\r\n");
    let same = package::apply_fixes(
        crlf.as_str().into(),
        Array::of1(&"strip_escaped_newlines".into()).into(),
        JsValue::UNDEFINED,
    );
    assert_eq!(same.unwrap().as_string().unwrap(), crlf);
    let lf = package::apply_fixes(crlf.as_str().into(), Array::of1(&"crlf_to_lf".into()).into(), JsValue::UNDEFINED);
    assert_eq!(lf.unwrap().as_string().unwrap(), GATEWAY_EXAMPLE);
    // DER bytes become PEM text; unfixable binary comes back as the same bytes.
    let (_, _, der, _) = cases::CASES.iter().find(|c| c.0 == "inspect/root.der").unwrap();
    let pem = package::apply_fixes(bytes(der), Array::of1(&"der_to_pem".into()).into(), JsValue::UNDEFINED).unwrap();
    assert!(pem.as_string().unwrap().starts_with("-----BEGIN CERTIFICATE-----\n"));
    let binary = package::apply_fixes(bytes(&[0xff, 0x00, 0xfe]), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    assert_eq!(binary.dyn_into::<Uint8Array>().unwrap().to_vec(), vec![0xff, 0x00, 0xfe]);
    assert_error(
        package::apply_fixes("x".into(), Array::of1(&"make_it_work".into()).into(), JsValue::UNDEFINED),
        "invalid_options",
        "unknown fix \"make_it_work\"; expected one of: strip_bom, der_to_pem, extract_pkcs7_certificates, strip_escaped_newlines, crlf_to_lf, replace_lookalike_characters, add_pem_armor, fix_end_label, drop_text_outside_blocks, drop_private_key, drop_unexpected_blocks, drop_duplicate_certificates, reorder_chain, keep_one_certificate, rewrap_lines",
    );
    assert_error(
        package::apply_fixes("x".into(), "crlf_to_lf".into(), JsValue::UNDEFINED),
        "invalid_options",
        "fixes must be an array of fix names (see fixNames()), not a string",
    );
}

#[wasm_bindgen_test]
fn bad_arguments_throw_certcheck_errors_that_say_what_was_expected() {
    let to = |name: &str| object(&[("to", name.into())]);
    assert_error(
        package::check(JsValue::from_f64(42.0), to("anthropic-tunnel")),
        "invalid_input",
        "input must be a string (PEM text) or a Uint8Array (DER, PKCS#7, PKCS#12 bytes), not a number",
    );
    assert_error(
        package::check(JsValue::UNDEFINED, to("anthropic-tunnel")),
        "invalid_input",
        "input must be a string (PEM text) or a Uint8Array (DER, PKCS#7, PKCS#12 bytes), not undefined",
    );
    assert_error(
        package::inspect(Array::new().into(), JsValue::UNDEFINED),
        "invalid_input",
        "input must be a string (PEM text) or a Uint8Array (DER, PKCS#7, PKCS#12 bytes), not an array",
    );
    assert_error(
        package::check("x".into(), JsValue::UNDEFINED),
        "invalid_options",
        "options must be an object such as { to: …, ca: …, now: … }, not undefined",
    );
    assert_error(
        package::check("x".into(), object(&[])),
        "invalid_options",
        "options.to is required: one of anthropic-tunnel, cloudflare-access, cloudflare-mtls, cloudflare-gateway",
    );
    assert_error(
        package::check("x".into(), to("nowhere")),
        "invalid_options",
        "options.to: unknown destination \"nowhere\"; expected one of: anthropic-tunnel, cloudflare-access, cloudflare-mtls, cloudflare-gateway",
    );
    assert_error(
        package::check("x".into(), object(&[("destination", "anthropic-tunnel".into())])),
        "invalid_options",
        "unknown option \"destination\"; expected to, ca, now",
    );
    assert_error(
        package::check("x".into(), object(&[("to", JsValue::from_f64(1.0))])),
        "invalid_options",
        "options.to must be a string, not a number",
    );
    assert_error(
        package::check("x".into(), object(&[("to", "anthropic-tunnel".into()), ("ca", JsValue::FALSE)])),
        "invalid_options",
        "options.to: a leaf upload (ca: false, --no-ca) exists only for cloudflare-mtls, not for anthropic-tunnel: every other destination takes CA certificates",
    );
    assert_error(
        package::check("x".into(), object(&[("to", "cloudflare-mtls".into()), ("ca", "no".into())])),
        "invalid_options",
        "options.ca must be true or false, not a string",
    );
    assert_error(
        package::inspect("x".into(), object(&[("now", "yesterday".into())])),
        "invalid_options",
        "options.now \"yesterday\": expected an RFC 3339 timestamp such as 2026-11-22T00:00:00Z",
    );
    assert_error(
        package::inspect("x".into(), object(&[("now", Date::new(&"not a date".into()).into())])),
        "invalid_options",
        "options.now is an invalid Date",
    );
    assert_error(
        package::inspect("x".into(), object(&[("now", JsValue::from_f64(0.0))])),
        "invalid_options",
        "options.now must be an RFC 3339 string or a Date, not a number",
    );
    assert_error(
        package::inspect("x".into(), object(&[("to", "anthropic-tunnel".into())])),
        "invalid_options",
        "unknown option \"to\"; expected now",
    );
    // `ca: true` is the default meaning everywhere, so it is accepted for any destination.
    assert!(package::check("x".into(), object(&[("to", "cloudflare-access".into()), ("ca", JsValue::TRUE)])).is_ok());
}

#[wasm_bindgen_test]
fn tables_match_the_core() {
    let rules = json(&package::rules().unwrap());
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), certcheck::RULES.len());
    let anthropic = rules.iter().find(|r| r["code"] == "cert.bc_not_critical").unwrap();
    assert_eq!(anthropic["severities"]["anthropic-tunnel"], "error");
    assert_eq!(anthropic["severities"]["cloudflare-access"], "warning");
    assert_eq!(anthropic["severities"]["inspect"], Value::Null);
    assert_eq!(
        rules[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["citation", "code", "description", "severities"]
    );

    let destinations = json(&package::destinations().unwrap());
    let names: Vec<(&str, bool)> = destinations
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["ca"].as_bool().unwrap()))
        .collect();
    let expected: Vec<(&str, bool)> = certcheck::Destination::ALL.iter().map(|d| (d.name(), d.ca())).collect();
    assert_eq!(names, expected);
    assert_eq!(destinations[0]["size_limit"], 8192);
    assert_eq!(destinations[1]["size_limit"], Value::Null);
    assert_eq!(destinations[3]["profile"], "cloudflare-mtls-leaf");
    assert_eq!(destinations[3]["label"], certcheck::Destination::CloudflareMtls { ca: false }.label());
    assert_eq!(
        destinations[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["ca", "label", "name", "profile", "requirements", "size_limit"]
    );

    let fixes: Vec<String> = package::fix_names();
    assert_eq!(fixes.len(), certcheck::ALL_FIXES.len());
    assert_eq!(fixes[0], "strip_bom");
    assert_eq!(package::version(), env!("CARGO_PKG_VERSION"));
    assert_eq!(package::take_panic_message(), None);
}

#[wasm_bindgen_test]
fn verify_response_proves_what_the_vendor_stored() {
    let example = include_str!("../../../tests/data/responses/gateway-example.json");
    let tampered = include_str!("../../../tests/data/responses/gateway-tampered-fingerprint.json");
    let options = object(&[("to", "cloudflare-gateway".into()), ("now", NOW.into())]);
    let codes = |report: &Value| -> Vec<String> {
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
    };
    let good = json(&package::verify_response(example.into(), options.clone()).unwrap());
    assert_eq!(good["verdict"], "ok");
    assert_eq!(codes(&good), ["pem.line_width", "response.expires_on_differs"]);
    let bad = json(&package::verify_response(bytes(tampered.as_bytes()), options).unwrap());
    assert_eq!(bad["verdict"], "error");
    assert_eq!(codes(&bad), ["pem.line_width", "response.fingerprint_mismatch", "response.expires_on_differs"]);
    // Anthropic needs the uploaded PEM; with it, the answer verifies.
    let answer = include_str!("../../../tests/data/responses/anthropic-good-rsa-ca.json");
    let pem = include_str!("../../../tests/data/anthropic/good-rsa-ca.pem");
    let anthropic = object(&[("to", "anthropic-tunnel".into()), ("now", NOW.into()), ("pem", pem.into())]);
    assert_eq!(json(&package::verify_response(answer.into(), anthropic).unwrap())["verdict"], "ok");
    assert_error(
        package::verify_response(answer.into(), object(&[("to", "anthropic-tunnel".into())])),
        "invalid_response",
        "Anthropic's response holds no certificate: pass the PEM you uploaded (--pem FILE) to compare with it",
    );
    assert_error(
        package::verify_response("{}".into(), object(&[("to", "cloudflare-gateway".into()), ("pems", "x".into())])),
        "invalid_options",
        "unknown option \"pems\"; expected to, ca, now, pem",
    );
}

/// The `verify` options a peer case's CLI arguments stand for (`--ca`/`--key` become the bytes).
fn verify_options(case: &peer_cases::Case) -> JsValue {
    let words: Vec<&str> = case.args.split_whitespace().collect();
    let values = |flag: &str| -> Vec<&str> { words.windows(2).filter(|w| w[0] == flag).map(|w| w[1]).collect() };
    let mut pairs = vec![("now", JsValue::from_str(NOW)), ("ca", bytes(case.ca))];
    pairs.push(("to", JsValue::from_str(values("--to")[0])));
    if let Some(key) = case.key {
        pairs.push(("key", bytes(key)));
    }
    if let Some(domain) = values("--tunnel-domain").first() {
        pairs.push(("tunnelDomain", JsValue::from_str(domain)));
    }
    let hosts = values("--host");
    if !hosts.is_empty() {
        pairs.push(("hosts", hosts.iter().map(|h| JsValue::from_str(h)).collect::<Array>().into()));
    }
    let emails = values("--email");
    if !emails.is_empty() {
        pairs.push(("emails", emails.iter().map(|e| JsValue::from_str(e)).collect::<Array>().into()));
    }
    object(&pairs)
}

/// A sample of x509-limbo (tests/data/limbo/sample.tsv): the npm `verify()` gives each case the
/// error codes the native suite (crates/certcheck/tests/limbo.rs) checks for in the same file.
#[wasm_bindgen_test]
fn verify_gives_a_sample_of_limbo_its_codes() {
    let limbo: Value = serde_json::from_str(include_str!("../../../tests/data/limbo/limbo.json")).unwrap();
    let cases = limbo["testcases"].as_array().unwrap();
    let pems = |value: &Value| -> String {
        match value {
            Value::Array(items) => {
                items.iter().filter_map(Value::as_str).map(|p| format!("{}\n", p.trim_end())).collect()
            }
            Value::String(text) => format!("{}\n", text.trim_end()),
            _ => String::new(),
        }
    };
    let sample = include_str!("../../../tests/data/limbo/sample.tsv");
    let mut compared = 0;
    for line in sample.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (id, to, expected) = (fields[0], fields[1], fields[2]);
        let case = cases.iter().find(|case| case["id"] == id).unwrap();
        let presented = format!("{}{}", pems(&case["peer_certificate"]), pems(&case["untrusted_intermediates"]));
        let mut pairs = vec![
            ("to", JsValue::from_str(to)),
            ("ca", JsValue::from_str(&pems(&case["trusted_certs"]))),
            ("now", JsValue::from_str(case["validation_time"].as_str().unwrap_or("2026-12-06T00:00:00Z"))),
        ];
        let mut names: Vec<&Value> =
            case["expected_peer_names"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        names.extend(case["expected_peer_name"].as_object().map(|_| &case["expected_peer_name"]));
        let (emails, hosts): (Vec<&Value>, Vec<&Value>) = names.into_iter().partition(|name| name["kind"] == "RFC822");
        for (field, list) in [("hosts", hosts), ("emails", emails)] {
            if !list.is_empty() {
                let array: Array = list.iter().map(|name| JsValue::from_str(name["value"].as_str().unwrap())).collect();
                pairs.push((field, array.into()));
            }
        }
        let report = json(&package::verify(JsValue::from_str(&presented), object(&pairs)).unwrap());
        let mut codes: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let codes = if codes.is_empty() { "-".to_owned() } else { codes.join(",") };
        assert_eq!(codes, expected, "{id} as {to}");
        compared += 1;
    }
    assert_eq!(compared, 20);
}

#[wasm_bindgen_test]
fn verify_gives_the_recorded_report_of_every_peer_case() {
    let mut compared = 0;
    for case in peer_cases::CASES {
        let Some(expected) = case.expected else { continue };
        let report = json(&package::verify(bytes(case.certificate), verify_options(case)).unwrap());
        let expected: Value = serde_json::from_str(expected).unwrap();
        assert_eq!(report, expected, "{} {} (expected codes: {})", case.path, case.args, case.expect);
        compared += 1;
    }
    assert!(compared >= 50, "only {compared} peer cases have a recorded report");
    // A destination no certificate is presented to, and a missing CA, are refused.
    let gateway = object(&[("to", "cloudflare-gateway".into()), ("ca", GATEWAY_EXAMPLE.into())]);
    let refused = package::verify(GATEWAY_EXAMPLE.into(), gateway).unwrap_err();
    assert_eq!(Reflect::get(&refused, &"code".into()).unwrap().as_string().as_deref(), Some("invalid_options"));
    assert_error(
        package::verify(GATEWAY_EXAMPLE.into(), object(&[("to", "anthropic-tunnel".into())])),
        "invalid_options",
        "options.ca is required: the CA certificate(s) the presented certificate must chain to (PEM text or bytes)",
    );
}

/// `createCa` and `createCertificate` make, per destination, a CA and the certificate it verifies
/// with the random source of the environment (Node's or the browser's `crypto`): both pass
/// `check` and `verify` cleanly, `verify()` agrees, the keys are PKCS#8 (encrypted when a
/// passphrase is given) and refusals carry the rule's code.
#[wasm_bindgen_test]
fn create_makes_what_each_destination_accepts() {
    for (to, key_type, leaf_names) in [
        ("anthropic-tunnel", "p256", vec![("tunnelDomain", JsValue::from_str("tunnel.example.com"))]),
        ("cloudflare-access", "p384", vec![("name", JsValue::from_str("device 17"))]),
        ("cloudflare-mtls", "p256", vec![("name", JsValue::from_str("device 18"))]),
    ] {
        let ca = json(
            &package::create_ca(object(&[
                ("to", to.into()),
                ("keyType", key_type.into()),
                ("now", NOW.into()),
                ("passphrase", "pass phrase".into()),
            ]))
            .unwrap(),
        );
        assert_eq!((ca["kind"].as_str(), ca["destination"].as_str()), (Some("ca"), Some(to)));
        assert_eq!(ca["check"]["verdict"], "ok", "{to}: {}", ca["check"]);
        assert_eq!(ca["privateKeyEncrypted"], true);
        assert!(ca["privateKey"].as_str().unwrap().starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assert_eq!(ca["check"]["certificates"][0]["path_len"], 0);
        let mut pairs = vec![
            ("to", JsValue::from_str(to)),
            ("ca", ca["certificate"].as_str().unwrap().into()),
            ("caKey", ca["privateKey"].as_str().unwrap().into()),
            ("caKeyPassphrase", "pass phrase".into()),
            ("now", NOW.into()),
        ];
        pairs.extend(leaf_names.iter().cloned());
        let leaf = json(&package::create_certificate(object(&pairs)).unwrap());
        assert_eq!(leaf["verify"]["verdict"], "ok", "{to}: {}", leaf["verify"]);
        assert_eq!(leaf["privateKeyEncrypted"], false);
        assert!(leaf["privateKey"].as_str().unwrap().starts_with("-----BEGIN PRIVATE KEY-----\n"));
        // The package's own verify() gives the same verdict on what was made.
        let mut verify_pairs = vec![("to", JsValue::from_str(to)), ("ca", ca["certificate"].as_str().unwrap().into())];
        verify_pairs.push(("now", NOW.into()));
        if to == "anthropic-tunnel" {
            verify_pairs.push(("tunnelDomain", "tunnel.example.com".into()));
        }
        let verdict =
            json(&package::verify(leaf["certificate"].as_str().unwrap().into(), object(&verify_pairs)).unwrap());
        assert_eq!(verdict["verdict"], "ok", "{to}: {verdict}");
        assert_eq!(verdict["path"].as_array().unwrap().len(), 2);
    }
    // The CA key's passphrase is needed, and a destination's rule refuses Ed25519.
    let ca = json(
        &package::create_ca(object(&[
            ("to", "cloudflare-access".into()),
            ("now", NOW.into()),
            ("passphrase", "p".into()),
        ]))
        .unwrap(),
    );
    let without = package::create_certificate(object(&[
        ("to", "cloudflare-access".into()),
        ("ca", ca["certificate"].as_str().unwrap().into()),
        ("caKey", ca["privateKey"].as_str().unwrap().into()),
        ("name", "x".into()),
    ]));
    let error = without.expect_err("an encrypted CA key without its passphrase");
    assert_eq!(Reflect::get(&error, &"code".into()).unwrap().as_string().as_deref(), Some("key.encrypted"));
    let ed25519 = package::create_ca(object(&[("to", "anthropic-tunnel".into()), ("keyType", "ed25519".into())]));
    let error = ed25519.expect_err("Ed25519 for Anthropic");
    assert_eq!(Reflect::get(&error, &"code".into()).unwrap().as_string().as_deref(), Some("cert.key_algorithm"));
    assert_error(
        package::create_ca(object(&[("to", "anthropic-tunnel".into()), ("keyType", "dsa".into())])),
        "invalid_options",
        "options.keyType: \"dsa\" is not a key type certcheck makes: use p256, p384, rsa2048, rsa3072 or rsa4096",
    );
}
