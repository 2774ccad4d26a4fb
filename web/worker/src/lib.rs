//! The messages between the dashboard's page and its Web Worker, written and read here once for
//! both sides.
//!
//! The page's module has no signature arithmetic and no key generation (certcheck without
//! `verify-signatures`, certcheck-generate without `self-check`): it checks with what it knows
//! and asks the worker for the rest. The worker's module (`src/main.rs`, feature `run`) verifies
//! the signatures the page lists ([`certcheck::SignatureTask`], as bytes) and answers with their
//! results ([`certcheck::SignatureResult`]), which the page remembers and checks again; it makes
//! the CA and certificate the Create page asks for.
//!
//! Every message is a plain object with a `kind`; requests carry an `id` that their answers
//! repeat. The worker says [`FromWorker::Ready`] once it listens.

#![forbid(unsafe_code)]

use certcheck::{SignatureResult, SignatureTask};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// What the page asks.
#[derive(Clone, Debug, PartialEq)]
pub enum ToWorker {
    /// Verify these signatures.
    Signatures {
        /// Repeated by the answers.
        id: u32,
        /// The signatures to verify.
        tasks: Vec<SignatureTask>,
    },
    /// Make a CA and the certificate it verifies.
    Create {
        /// Repeated by the answer.
        id: u32,
        /// What to make.
        request: CreateRequest,
    },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq)]
pub enum FromWorker {
    /// The worker's module is loaded and it listens.
    Ready,
    /// Results of some of a request's signatures, in the order asked (a long request is
    /// answered in parts, so the page can show progress); `done` on the last part.
    Signatures {
        /// The request's id.
        id: u32,
        /// What was found.
        results: Vec<SignatureResult>,
        /// The last part.
        done: bool,
    },
    /// What a [`ToWorker::Create`] made, or why nothing was made.
    Created {
        /// The request's id.
        id: u32,
        /// The artifacts, or certcheck-generate's refusal as a sentence with its code.
        reply: Box<Result<CreateReply, String>>,
    },
}

/// The Create page's form, as the worker needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRequest {
    /// The destination's name (`anthropic-tunnel`, …).
    pub destination: String,
    /// anthropic-tunnel: the tunnel's domain.
    pub tunnel_domain: String,
    /// Cloudflare: the client's name.
    pub client_name: String,
    /// The key type's name (`p256`, …).
    pub key_type: String,
    /// Encrypts both private keys when not empty.
    pub passphrase: String,
    /// The clock: seconds since the Unix epoch.
    pub now: i64,
    /// The CA's key as PKCS#8 DER, made by the page's WebCrypto; `None`: the worker makes one.
    pub ca_key: Option<Vec<u8>>,
    /// The certificate's key, likewise.
    pub leaf_key: Option<Vec<u8>>,
}

/// One artifact made, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactReply {
    /// `ca`, `server` or `client`: the files are `<stem>.pem` and `<stem>.key`.
    pub stem: String,
    /// The certificate, PEM.
    pub certificate: String,
    /// The private key, PKCS#8 PEM (encrypted when a passphrase was given).
    pub private_key: String,
    /// Its fingerprint as the destination's vendor spells it.
    pub fingerprint: String,
    /// `check`'s verdict on the certificate (`ok`, …).
    pub check: String,
    /// The certificate's subject.
    pub subject: String,
    /// Its subjectAltName entries.
    pub names: Vec<String>,
    /// Its notAfter, RFC 3339.
    pub not_after: String,
}

/// A CA and the certificate it verifies, as made and proven by certcheck-generate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateReply {
    /// The CA.
    pub ca: ArtifactReply,
    /// The server (anthropic-tunnel) or client (Cloudflare) certificate.
    pub leaf: ArtifactReply,
    /// `verify`'s verdict on the certificate against the CA.
    pub verify: String,
    /// The keys are encrypted.
    pub encrypted: bool,
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(object, &key.into(), value).map(|_| ()).map_err(|_| format!("cannot set `{key}`"))
}

fn get(value: &JsValue, key: &str) -> Result<JsValue, String> {
    Reflect::get(value, &key.into()).map_err(|_| format!("no `{key}`"))
}

fn kind_of(value: &JsValue) -> Result<String, String> {
    get(value, "kind")?.as_string().ok_or_else(|| "a message without a `kind`".to_owned())
}

fn id_of(value: &JsValue) -> Result<u32, String> {
    get(value, "id")?
        .as_f64()
        .filter(|id| id.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(id))
        .map(|id| id as u32)
        .ok_or_else(|| "a message without a whole `id`".to_owned())
}

fn message(kind: &str, id: Option<u32>) -> Result<Object, String> {
    let object = Object::new();
    set(&object, "kind", &kind.into())?;
    if let Some(id) = id {
        set(&object, "id", &id.into())?;
    }
    Ok(object)
}

fn byte_list(items: impl Iterator<Item = Vec<u8>>) -> Array {
    items.map(|bytes| JsValue::from(Uint8Array::from(bytes.as_slice()))).collect()
}

fn read_byte_list<T>(value: &JsValue, read: impl Fn(&[u8]) -> Option<T>, what: &str) -> Result<Vec<T>, String> {
    let list: Array = value.clone().dyn_into().map_err(|_| format!("{what}: not a list"))?;
    list.iter()
        .map(|item| {
            let bytes: Uint8Array = item.dyn_into().map_err(|_| format!("{what}: not bytes"))?;
            read(&bytes.to_vec()).ok_or_else(|| format!("{what}: unreadable"))
        })
        .collect()
}

fn json<T: Serialize>(value: &T) -> Result<JsValue, String> {
    serde_json::to_string(value).map(JsValue::from).map_err(|e| e.to_string())
}

fn from_json<T: for<'de> Deserialize<'de>>(value: &JsValue, what: &str) -> Result<T, String> {
    let text = value.as_string().ok_or_else(|| format!("{what}: not text"))?;
    serde_json::from_str(&text).map_err(|e| format!("{what}: {e}"))
}

impl ToWorker {
    /// The message to post.
    ///
    /// # Errors
    /// Only if the JavaScript objects cannot be built.
    pub fn to_js(&self) -> Result<JsValue, String> {
        match self {
            Self::Signatures { id, tasks } => {
                let object = message("signatures", Some(*id))?;
                set(&object, "tasks", &byte_list(tasks.iter().map(SignatureTask::to_bytes)))?;
                Ok(object.into())
            }
            Self::Create { id, request } => {
                let object = message("create", Some(*id))?;
                set(&object, "request", &json(request)?)?;
                Ok(object.into())
            }
        }
    }

    /// The message received.
    ///
    /// # Errors
    /// A sentence naming what is missing or unreadable.
    pub fn from_js(value: &JsValue) -> Result<Self, String> {
        match kind_of(value)?.as_str() {
            "signatures" => Ok(Self::Signatures {
                id: id_of(value)?,
                tasks: read_byte_list(&get(value, "tasks")?, SignatureTask::from_bytes, "tasks")?,
            }),
            "create" => Ok(Self::Create { id: id_of(value)?, request: from_json(&get(value, "request")?, "request")? }),
            other => Err(format!("no request is called {other:?}")),
        }
    }
}

impl FromWorker {
    /// The message to post.
    ///
    /// # Errors
    /// Only if the JavaScript objects cannot be built.
    pub fn to_js(&self) -> Result<JsValue, String> {
        match self {
            Self::Ready => Ok(message("ready", None)?.into()),
            Self::Signatures { id, results, done } => {
                let object = message("signatures", Some(*id))?;
                set(&object, "results", &byte_list(results.iter().map(SignatureResult::to_bytes)))?;
                set(&object, "done", &JsValue::from_bool(*done))?;
                Ok(object.into())
            }
            Self::Created { id, reply } => {
                let object = message("created", Some(*id))?;
                match reply.as_ref() {
                    Ok(reply) => set(&object, "reply", &json(reply)?)?,
                    Err(refusal) => set(&object, "refusal", &refusal.into())?,
                }
                Ok(object.into())
            }
        }
    }

    /// The message received.
    ///
    /// # Errors
    /// A sentence naming what is missing or unreadable.
    pub fn from_js(value: &JsValue) -> Result<Self, String> {
        match kind_of(value)?.as_str() {
            "ready" => Ok(Self::Ready),
            "signatures" => Ok(Self::Signatures {
                id: id_of(value)?,
                results: read_byte_list(&get(value, "results")?, SignatureResult::from_bytes, "results")?,
                done: get(value, "done")?.as_bool().ok_or("`done` is not true or false")?,
            }),
            "created" => {
                let id = id_of(value)?;
                let refusal = get(value, "refusal")?;
                let reply = match refusal.as_string() {
                    Some(refusal) => Err(refusal),
                    None => Ok(from_json(&get(value, "reply")?, "reply")?),
                };
                Ok(Self::Created { id, reply: Box::new(reply) })
            }
            other => Err(format!("no answer is called {other:?}")),
        }
    }
}
