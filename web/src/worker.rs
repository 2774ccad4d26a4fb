//! The page's side of its Web Worker (web/worker): the page's module verifies no signature and
//! makes no key; it lists what a check needs ([`certcheck::signature_tasks_of`]), the worker
//! verifies, the page remembers the results and checks again. Started once the first screen is
//! painted; requests made before it listens wait for it. If it cannot start (a Content Security
//! Policy without workers, an old browser, its files missing), every request fails with the
//! reason, which the page shows: checks still run, their signatures stay unverified.

use std::cell::RefCell;
use std::collections::HashMap;

use certcheck::SignatureTask;
use certcheck_web_worker::{CreateReply, CreateRequest, FromWorker, ToWorker};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The worker's module, as index.html names it (`cargo xtask web` names the worker's files
/// after their content and writes the link).
fn script() -> Option<String> {
    let document = web_sys::window()?.document()?;
    document.query_selector("link[data-certcheck=\"worker\"]").ok().flatten()?.get_attribute("href")
}

/// What a request waits for.
struct Waiter {
    /// Called with each part of a signature answer (how many results it brought).
    progress: Option<Box<dyn Fn(usize)>>,
    /// Settles the request's promise: with the answer, or with the reason it failed.
    resolve: Function,
    reject: Function,
}

#[derive(Default)]
struct Client {
    worker: Option<web_sys::Worker>,
    /// Set once the worker said it listens.
    ready: bool,
    /// Why it cannot be used, once known.
    failed: Option<String>,
    /// Messages waiting for `ready`.
    queue: Vec<JsValue>,
    next_id: u32,
    waiting: HashMap<u32, Waiter>,
    /// What [`create`] requests were answered, until they take it.
    created: HashMap<u32, Result<CreateReply, String>>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Starts the worker (once; later calls do nothing).
pub fn start() {
    let started = CLIENT.with(|client| client.borrow().worker.is_some() || client.borrow().failed.is_some());
    if started {
        return;
    }
    let Some(script) = script() else {
        return fail("the worker that verifies signatures cannot start: index.html does not name it");
    };
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    match web_sys::Worker::new_with_options(&script, &options) {
        Ok(worker) => {
            let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
                received(&event.data());
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
                let detail =
                    event.dyn_ref::<web_sys::ErrorEvent>().map(web_sys::ErrorEvent::message).unwrap_or_default();
                let reason = if detail.is_empty() { "its script could not be loaded".to_owned() } else { detail };
                fail(&format!("the worker that verifies signatures stopped: {reason}"));
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            CLIENT.with(|client| client.borrow_mut().worker = Some(worker));
        }
        Err(error) => {
            let reason = error.as_string().or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| e.message().into()));
            fail(&format!("the worker that verifies signatures cannot start: {}", reason.unwrap_or_default()));
        }
    }
}

/// Why the worker cannot be used, once that is known.
pub fn failure() -> Option<String> {
    CLIENT.with(|client| client.borrow().failed.clone())
}

/// Shows the worker's state on the page's root element (`data-worker`: `ready` or `failed`),
/// for tests and measurements.
fn mark(state: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-worker", state);
    }
}

/// Gives up on the worker: every waiting request fails with `reason`, and so will later ones.
fn fail(reason: &str) {
    mark("failed");
    let waiting = CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        client.failed.get_or_insert_with(|| reason.to_owned());
        client.queue.clear();
        if let Some(worker) = client.worker.take() {
            worker.terminate();
        }
        std::mem::take(&mut client.waiting)
    });
    for waiter in waiting.into_values() {
        let _ = waiter.reject.call1(&JsValue::NULL, &reason.into());
    }
}

fn received(data: &JsValue) {
    let message = match FromWorker::from_js(data) {
        Ok(message) => message,
        Err(reason) => return fail(&format!("the worker answered something unreadable ({reason})")),
    };
    match message {
        FromWorker::Ready => {
            mark("ready");
            let (worker, queue) = CLIENT.with(|client| {
                let mut client = client.borrow_mut();
                client.ready = true;
                (client.worker.clone(), std::mem::take(&mut client.queue))
            });
            for message in queue {
                if let Some(worker) = &worker {
                    let _ = worker.post_message(&message);
                }
            }
        }
        FromWorker::Signatures { id, results, done } => {
            for result in &results {
                result.remember();
            }
            let waiter = CLIENT.with(|client| {
                let mut client = client.borrow_mut();
                if done { client.waiting.remove(&id) } else { None }
            });
            if let Some(waiter) = waiter {
                if let Some(progress) = &waiter.progress {
                    progress(results.len());
                }
                let _ = waiter.resolve.call1(&JsValue::NULL, &JsValue::TRUE);
            } else {
                CLIENT.with(|client| {
                    if let Some(progress) = client.borrow().waiting.get(&id).and_then(|w| w.progress.as_ref()) {
                        progress(results.len());
                    }
                });
            }
        }
        FromWorker::Created { id, reply } => {
            let waiter = CLIENT.with(|client| {
                let mut client = client.borrow_mut();
                let waiter = client.waiting.remove(&id);
                if waiter.is_some() {
                    client.created.insert(id, *reply);
                }
                waiter
            });
            if let Some(waiter) = waiter {
                let _ = waiter.resolve.call1(&JsValue::NULL, &JsValue::TRUE);
            }
        }
    }
}

/// Sends `request` (built for the id given) and waits for its answer.
async fn ask(request: impl FnOnce(u32) -> ToWorker, progress: Option<Box<dyn Fn(usize)>>) -> Result<u32, String> {
    start();
    if let Some(reason) = failure() {
        return Err(reason);
    }
    let id = CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        client.next_id = client.next_id.wrapping_add(1);
        client.next_id
    });
    let message = request(id).to_js()?;
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let (resolve, reject) = settle.ok_or("the promise did not start")?;
    CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        client.waiting.insert(id, Waiter { progress, resolve, reject });
        match (&client.worker, client.ready) {
            (Some(worker), true) => {
                let _ = worker.post_message(&message);
            }
            _ => client.queue.push(message),
        }
    });
    JsFuture::from(promise)
        .await
        .map_err(|reason| reason.as_string().unwrap_or_else(|| "the worker failed".to_owned()))?;
    Ok(id)
}

/// Has the worker verify `tasks`; each result is remembered by the core as it arrives, and
/// `progress` hears how many each part brought.
///
/// # Errors
/// Why the worker cannot be used.
pub async fn verify(tasks: Vec<SignatureTask>, progress: impl Fn(usize) + 'static) -> Result<(), String> {
    if tasks.is_empty() {
        return Ok(());
    }
    ask(|id| ToWorker::Signatures { id, tasks }, Some(Box::new(progress))).await.map(|_| ())
}

/// Runs `work` once every signature it needs is known: a dry run lists them, the worker
/// verifies them, then `work` runs for real. If the worker cannot be used, `work` runs all the
/// same and its report says which signatures it could not verify.
pub async fn with_signatures<T>(work: impl Fn() -> T) -> T {
    let tasks = certcheck::signature_tasks_of(|| {
        let _ = work();
    });
    let _ = verify(tasks, |_| {}).await;
    work()
}

/// Has the worker make what the Create page asks for.
///
/// # Errors
/// certcheck-generate's refusal, or why the worker cannot be used.
pub async fn create(request: CreateRequest) -> Result<CreateReply, String> {
    let id = ask(|id| ToWorker::Create { id, request }, None).await?;
    CLIENT
        .with(|client| client.borrow_mut().created.remove(&id))
        .unwrap_or_else(|| Err("the worker did not answer".to_owned()))
}
