//! The page's side of its Web Workers (web/worker): the page's module verifies no signature and
//! makes no key; it lists what a check needs ([`certcheck::signature_tasks_of`]), the workers
//! verify, the page remembers the results and checks again. One worker per core the browser
//! reports, up to [`MAX_WORKERS`] (signatures are split between them; the Create page's requests
//! go to the first), started once the first screen is painted; requests made before a worker
//! listens wait for it. If one cannot start (a Content Security Policy without workers, an old
//! browser, its files missing), every request fails with the reason, which the page shows:
//! checks still run, their signatures stay unverified.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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

/// At most this many workers: each holds its own copy of the module (about 1 MB of code and its
/// memory), and beyond a few the split saves little on a bundle.
const MAX_WORKERS: usize = 4;

/// What a request waits for.
struct Waiter {
    /// Called with each part of a signature answer (how many results it brought).
    progress: Option<Rc<dyn Fn(usize)>>,
    /// Settles the request's promise: with the answer, or with the reason it failed.
    resolve: Function,
    reject: Function,
}

/// One worker and what waits for it to listen.
struct Slot {
    worker: web_sys::Worker,
    /// Set once it said it listens.
    ready: bool,
    /// Messages waiting for `ready`.
    queue: Vec<JsValue>,
}

#[derive(Default)]
struct Client {
    workers: Vec<Slot>,
    /// Why they cannot be used, once known.
    failed: Option<String>,
    next_id: u32,
    waiting: HashMap<u32, Waiter>,
    /// What [`create`] requests were answered, until they take it.
    created: HashMap<u32, Result<CreateReply, String>>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// How many workers to start: one per core the browser reports, at least one, at most
/// [`MAX_WORKERS`].
fn worker_count() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    if cores.is_finite() && cores >= 1.0 { (cores as usize).min(MAX_WORKERS) } else { 1 }
}

/// Starts the workers (once; later calls do nothing).
pub fn start() {
    let started = CLIENT.with(|client| !client.borrow().workers.is_empty() || client.borrow().failed.is_some());
    if started {
        return;
    }
    let Some(script) = script() else {
        return fail("the worker that verifies signatures cannot start: index.html does not name it");
    };
    for index in 0..worker_count() {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        match web_sys::Worker::new_with_options(&script, &options) {
            Ok(worker) => {
                let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                    received(index, &event.data());
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
                CLIENT
                    .with(|client| client.borrow_mut().workers.push(Slot { worker, ready: false, queue: Vec::new() }));
            }
            Err(error) => {
                let reason = error.as_string().or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| e.message().into()));
                return fail(&format!(
                    "the worker that verifies signatures cannot start: {}",
                    reason.unwrap_or_default()
                ));
            }
        }
    }
}

/// Why the workers cannot be used, once that is known.
pub fn failure() -> Option<String> {
    CLIENT.with(|client| client.borrow().failed.clone())
}

/// Shows the workers' state on the page's root element (`data-worker`: `ready` once the first
/// listens, or `failed`), for tests and measurements.
fn mark(state: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-worker", state);
    }
}

/// Gives up on the workers: every waiting request fails with `reason`, and so will later ones.
fn fail(reason: &str) {
    mark("failed");
    let waiting = CLIENT.with(|client| {
        let mut client = client.borrow_mut();
        client.failed.get_or_insert_with(|| reason.to_owned());
        for slot in client.workers.drain(..) {
            slot.worker.terminate();
        }
        std::mem::take(&mut client.waiting)
    });
    for waiter in waiting.into_values() {
        let _ = waiter.reject.call1(&JsValue::NULL, &reason.into());
    }
}

fn received(index: usize, data: &JsValue) {
    let message = match FromWorker::from_js(data) {
        Ok(message) => message,
        Err(reason) => return fail(&format!("the worker answered something unreadable ({reason})")),
    };
    match message {
        FromWorker::Ready => {
            let (worker, queue, first) = CLIENT.with(|client| {
                let mut client = client.borrow_mut();
                let first = !client.workers.iter().any(|slot| slot.ready);
                match client.workers.get_mut(index) {
                    Some(slot) => {
                        slot.ready = true;
                        (Some(slot.worker.clone()), std::mem::take(&mut slot.queue), first)
                    }
                    None => (None, Vec::new(), false),
                }
            });
            if first {
                mark("ready");
            }
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
            let (progress, waiter) = CLIENT.with(|client| {
                let mut client = client.borrow_mut();
                let progress = client.waiting.get(&id).and_then(|w| w.progress.clone());
                (progress, if done { client.waiting.remove(&id) } else { None })
            });
            if let Some(progress) = progress {
                progress(results.len());
            }
            if let Some(waiter) = waiter {
                let _ = waiter.resolve.call1(&JsValue::NULL, &JsValue::TRUE);
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

/// Sends `request` (built for the id given) to worker `index` (or the first) and returns its id
/// and a promise settled by the answer.
fn send(
    index: usize,
    request: impl FnOnce(u32) -> ToWorker,
    progress: Option<Rc<dyn Fn(usize)>>,
) -> Result<(u32, Promise), String> {
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
        let count = client.workers.len().max(1);
        if let Some(slot) = client.workers.get_mut(index % count) {
            if slot.ready {
                let _ = slot.worker.post_message(&message);
            } else {
                slot.queue.push(message);
            }
        }
    });
    Ok((id, promise))
}

async fn settled(promise: Promise) -> Result<(), String> {
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|reason| reason.as_string().unwrap_or_else(|| "the worker failed".to_owned()))
}

/// Has the workers verify `tasks`, split between them in turn (a bundle's costly RSA 4096 roots
/// and cheap P-256 ones mix evenly); each result is remembered by the core as it arrives, and
/// `progress` hears how many each part brought.
///
/// # Errors
/// Why the workers cannot be used.
pub async fn verify(tasks: Vec<SignatureTask>, progress: impl Fn(usize) + 'static) -> Result<(), String> {
    if tasks.is_empty() {
        return Ok(());
    }
    start();
    let count = CLIENT.with(|client| client.borrow().workers.len()).max(1);
    let mut shares: Vec<Vec<SignatureTask>> = (0..count).map(|_| Vec::new()).collect();
    for (at, task) in tasks.into_iter().enumerate() {
        if let Some(share) = shares.get_mut(at % count) {
            share.push(task);
        }
    }
    let progress: Rc<dyn Fn(usize)> = Rc::new(progress);
    let promises = js_sys::Array::new();
    for (index, share) in shares.into_iter().enumerate().filter(|(_, share)| !share.is_empty()) {
        let (_, promise) = send(index, |id| ToWorker::Signatures { id, tasks: share }, Some(progress.clone()))?;
        promises.push(&promise);
    }
    settled(Promise::all(&promises)).await
}

/// Runs `work` once every signature it needs is known: a dry run lists them, the workers
/// verify them, then `work` runs for real. If the workers cannot be used, `work` runs all the
/// same and its report says which signatures it could not verify.
pub async fn with_signatures<T>(work: impl Fn() -> T) -> T {
    let tasks = certcheck::signature_tasks_of(|| {
        let _ = work();
    });
    let _ = verify(tasks, |_| {}).await;
    work()
}

/// Has the first worker make what the Create page asks for.
///
/// # Errors
/// certcheck-generate's refusal, or why the workers cannot be used.
pub async fn create(request: CreateRequest) -> Result<CreateReply, String> {
    let (id, promise) = send(0, |id| ToWorker::Create { id, request }, None)?;
    settled(promise).await?;
    CLIENT
        .with(|client| client.borrow_mut().created.remove(&id))
        .unwrap_or_else(|| Err("the worker did not answer".to_owned()))
}
