//! The dashboard's Web Worker: verifies the signatures the page lists and makes what the Create
//! page asks for, off the page's thread and in a module of its own (see the library for the
//! messages). Built by Trunk from web/index.html with the `run` feature.

#![forbid(unsafe_code)]

use certcheck::{Destination, SignatureTask, UnixTime};
use certcheck_generate::{
    CaOptions, Issuer, KeyPair, KeyType, LeafKind, LeafOptions, Made, new_ca_with_key, new_leaf_with_key,
    private_key_pem, system_random,
};
use certcheck_web_worker::{ArtifactReply, CreateReply, CreateRequest, FromWorker, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// A long signature request is answered in parts of about this many milliseconds of work, so
/// that the page can show progress.
const PART_MS: f64 = 30.0;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn millis() -> f64 {
    scope().performance().map_or(0.0, |performance| performance.now())
}

fn post(message: &FromWorker) {
    match message.to_js() {
        Ok(value) => {
            if let Err(error) = scope().post_message(&value) {
                web_sys::console::error_2(&"certcheck worker: cannot answer".into(), &error);
            }
        }
        Err(reason) => web_sys::console::error_1(&format!("certcheck worker: {reason}").into()),
    }
}

fn main() {
    let listener = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| match ToWorker::from_js(&event.data()) {
        Ok(ToWorker::Signatures { id, tasks }) => verify(id, &tasks),
        Ok(ToWorker::Create { id, request }) => post(&FromWorker::Created { id, reply: Box::new(create(&request)) }),
        Err(reason) => web_sys::console::error_1(&format!("certcheck worker: {reason}").into()),
    });
    scope().set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    post(&FromWorker::Ready);
}

/// Verifies `tasks`, answering every [`PART_MS`] and at the end.
fn verify(id: u32, tasks: &[SignatureTask]) {
    let mut results = Vec::new();
    let mut part_started = millis();
    for task in tasks {
        results.push(task.verify());
        if millis() - part_started >= PART_MS {
            post(&FromWorker::Signatures { id, results: std::mem::take(&mut results), done: false });
            part_started = millis();
        }
    }
    post(&FromWorker::Signatures { id, results, done: true });
}

/// The CA and the certificate `request` asks for, made and proven by certcheck-generate.
fn create(request: &CreateRequest) -> Result<CreateReply, String> {
    let destination = Destination::from_name(&request.destination, None).map_err(|e| e.to_string())?;
    let key_type: KeyType = request.key_type.parse().map_err(|e: certcheck_generate::Error| e.to_string())?;
    let now = UnixTime(request.now);
    let kind = LeafKind::for_destination(destination).ok_or("Cloudflare Gateway makes its own CAs")?;
    let mut rng = system_random();
    let key = |der: &Option<Vec<u8>>| match der {
        Some(der) => KeyPair::read(der, None).map_err(|e| e.to_string()),
        None => KeyPair::generate(key_type, &mut system_random()).map_err(|e| e.to_string()),
    };
    let ca_options = CaOptions { destination, name: None, days: None, key_type, now };
    let mut ca = new_ca_with_key(&ca_options, key(&request.ca_key)?, &mut rng).map_err(|e| e.to_string())?;
    let ca_key = ca.key.take().ok_or("the CA was made without its key")?;
    let issuer = Issuer::new(ca.certificate_der.clone(), ca_key).map_err(|e| e.to_string())?;
    let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    let leaf_options = LeafOptions {
        destination,
        kind,
        tunnel_domain: if kind == LeafKind::Server { text(&request.tunnel_domain) } else { None },
        name: if kind == LeafKind::Client { text(&request.client_name) } else { None },
        hosts: Vec::new(),
        emails: Vec::new(),
        uris: Vec::new(),
        days: None,
        key_type,
        request: None,
        now,
    };
    let leaf_key = key(&request.leaf_key)?;
    let leaf = new_leaf_with_key(&leaf_options, &issuer, Some(leaf_key), &mut rng).map_err(|e| e.to_string())?;
    let passphrase = text(&request.passphrase).map(|_| request.passphrase.as_bytes().to_vec());
    let ca_key = issuer.into_key();
    let leaf_key = leaf.key.as_ref().ok_or("the certificate was made without its key")?;
    let verify = leaf.verify.as_ref().ok_or("the certificate was not verified")?;
    Ok(CreateReply {
        ca: artifact("ca", destination, &ca, &ca_key, passphrase.as_deref())?,
        leaf: artifact(kind.name(), destination, &leaf, leaf_key, passphrase.as_deref())?,
        verify: verify.verdict.name().to_owned(),
        encrypted: passphrase.is_some(),
    })
}

fn artifact(
    stem: &str,
    destination: Destination,
    made: &Made,
    key: &KeyPair,
    passphrase: Option<&[u8]>,
) -> Result<ArtifactReply, String> {
    let der = key.pkcs8_der().map_err(|e| e.to_string())?;
    let private_key = private_key_pem(&der, passphrase, &mut system_random()).map_err(|e| e.to_string())?;
    let certificate = made.check.certificates.first();
    Ok(ArtifactReply {
        stem: stem.to_owned(),
        certificate: made.certificate_pem.clone(),
        private_key: private_key.to_string(),
        fingerprint: certificate.map(|c| certcheck_api::spelling(destination, c)).unwrap_or_default(),
        check: made.check.verdict.name().to_owned(),
        subject: certificate.map(|c| c.subject.clone()).unwrap_or_default(),
        names: certificate.map(|c| c.san.clone()).unwrap_or_default(),
        not_after: certificate.map(|c| c.not_after.to_rfc3339()).unwrap_or_default(),
    })
}
