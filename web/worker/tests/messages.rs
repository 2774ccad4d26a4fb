//! The messages between the dashboard's page and its workers, through real JavaScript values
//! (wasm-bindgen-test in Node, run by `cargo xtask test`): every message survives the crossing,
//! and whatever else arrives is refused with a sentence, never a panic.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use certcheck::{Destination, Options, Signatures, UnixTime, signature_tasks};
use certcheck_web_worker::{ArtifactReply, CreateReply, CreateRequest, FromWorker, ToWorker};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CHAIN: &str = concat!(
    include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-leaf.pem"),
    include_str!("../../../tests/data/signatures/rsa-pkcs1-sha256-ca.pem"),
);

/// The chain's two signatures, as a check with nothing known lists them (the memo is emptied
/// first: another test of this process may have verified them).
fn tasks() -> Vec<certcheck::SignatureTask> {
    certcheck::forget_signatures();
    let options = Options {
        signatures: Signatures::Known,
        ..Options::new(Some(Destination::CloudflareAccess), UnixTime(1_790_000_000))
    };
    signature_tasks(CHAIN.as_bytes(), &options)
}

fn request() -> CreateRequest {
    CreateRequest {
        destination: "anthropic-tunnel".to_owned(),
        tunnel_domain: "tunnel.example.com".to_owned(),
        client_name: String::new(),
        key_type: "p256".to_owned(),
        passphrase: "pass phrase".to_owned(),
        now: 1_790_000_000,
        ca_key: Some(vec![0x30, 0x81, 0x87]),
        leaf_key: None,
    }
}

fn artifact(stem: &str) -> ArtifactReply {
    ArtifactReply {
        stem: stem.to_owned(),
        certificate: "-----BEGIN CERTIFICATE-----\n…".to_owned(),
        private_key: "-----BEGIN ENCRYPTED PRIVATE KEY-----\n…".to_owned(),
        fingerprint: "AB:CD".to_owned(),
        check: "ok".to_owned(),
        subject: "CN=certcheck CA".to_owned(),
        names: vec!["*.tunnel.example.com".to_owned()],
        not_after: "2031-09-20T00:00:00Z".to_owned(),
    }
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

#[wasm_bindgen_test]
fn every_message_survives_the_crossing() {
    let tasks = tasks();
    assert_eq!(tasks.len(), 2, "the leaf under the CA and the CA's own signature");
    let asks =
        [ToWorker::Signatures { id: 7, tasks: tasks.clone() }, ToWorker::Create { id: u32::MAX, request: request() }];
    for message in asks {
        assert_eq!(ToWorker::from_js(&message.to_js().unwrap()).unwrap(), message);
    }
    let results: Vec<_> = tasks.iter().map(certcheck::SignatureTask::verify).collect();
    let reply = CreateReply { ca: artifact("ca"), leaf: artifact("server"), verify: "ok".to_owned(), encrypted: true };
    let answers = [
        FromWorker::Ready,
        FromWorker::Signatures { id: 7, results: results.clone(), done: false },
        FromWorker::Signatures { id: 8, results: Vec::new(), done: true },
        FromWorker::Created { id: 9, reply: Box::new(Ok(reply)) },
        FromWorker::Created { id: 10, reply: Box::new(Err("new.key_type: \"ed448\" is not a key type".to_owned())) },
    ];
    for message in answers {
        assert_eq!(FromWorker::from_js(&message.to_js().unwrap()).unwrap(), message);
    }
}

#[wasm_bindgen_test]
fn anything_else_is_refused_with_a_sentence() {
    let bytes = |data: &[u8]| JsValue::from(Uint8Array::from(data));
    let list = |items: &[JsValue]| JsValue::from(items.iter().collect::<Array>());
    let good_task = bytes(&tasks()[0].to_bytes());
    let cases: [(JsValue, &str); 11] = [
        (JsValue::from(3), "no `kind`"),
        (object(&[]), "a message without a `kind`"),
        (object(&[("kind", "verify".into()), ("id", 1.into())]), "no request is called \"verify\""),
        (object(&[("kind", "signatures".into())]), "a message without a whole `id`"),
        (object(&[("kind", "signatures".into()), ("id", JsValue::from(1.5))]), "a message without a whole `id`"),
        (object(&[("kind", "signatures".into()), ("id", JsValue::from(-1))]), "a message without a whole `id`"),
        (
            object(&[("kind", "signatures".into()), ("id", JsValue::from(4_294_967_296.0))]),
            "a message without a whole `id`",
        ),
        (object(&[("kind", "signatures".into()), ("id", 1.into()), ("tasks", "all".into())]), "tasks: not a list"),
        (
            object(&[("kind", "signatures".into()), ("id", 1.into()), ("tasks", list(&["x".into()]))]),
            "tasks: not bytes",
        ),
        (
            object(&[("kind", "signatures".into()), ("id", 1.into()), ("tasks", list(&[good_task, bytes(&[0; 70])]))]),
            "tasks: unreadable",
        ),
        (object(&[("kind", "create".into()), ("id", 1.into()), ("request", "{".into())]), "request: "),
    ];
    for (value, expected) in cases {
        let refusal = ToWorker::from_js(&value).expect_err("refused");
        assert!(refusal.starts_with(expected), "{refusal:?} should start with {expected:?}");
    }
    let answers: [(JsValue, &str); 3] = [
        (
            object(&[("kind", "signatures".into()), ("id", 1.into()), ("results", list(&[])), ("done", "yes".into())]),
            "`done` is not true or false",
        ),
        (
            object(&[
                ("kind", "signatures".into()),
                ("id", 1.into()),
                ("results", list(&[bytes(b"V")])),
                ("done", true.into()),
            ]),
            "results: unreadable",
        ),
        (object(&[("kind", "created".into()), ("id", 1.into())]), "reply: not text"),
    ];
    for (value, expected) in answers {
        let refusal = FromWorker::from_js(&value).expect_err("refused");
        assert!(refusal.starts_with(expected), "{refusal:?} should start with {expected:?}");
    }
}
