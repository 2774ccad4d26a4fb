//! `App`: the shared state (context), the check that follows every edit (debounced, showing at
//! once what is known, then having the worker verify the signatures), the pages (check and
//! upload; manage) chosen by the URL's hash, and the root error boundary.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use certcheck::SignatureTask;
use leptos::prelude::*;

use crate::browser;
use crate::components::check_view::CheckView;
use crate::components::create::CreateView;
use crate::components::manage::ManageView;
use crate::context::AppState;
use crate::state::monitor::Route;
use crate::state::{Choice, Connection, Input, Page, Verification};
use crate::worker;

/// How long typing must pause before the check runs.
const DEBOUNCE: Duration = Duration::from_millis(90);

fn location_route() -> Route {
    Route::from_hash(&window().location().hash().unwrap_or_default())
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let connection = browser::session_read().and_then(|text| Connection::from_session(&text)).unwrap_or_default();
    let route = RwSignal::new(location_route());
    let state = AppState {
        input: RwSignal::new(Input::default()),
        choice: RwSignal::new(Choice::default()),
        report: RwSignal::new(None),
        stale: RwSignal::new(false),
        verification: RwSignal::new(Verification::Complete),
        key_pem: RwSignal::new(None),
        check_ms: RwSignal::new(0.0),
        verify_ms: RwSignal::new(0.0),
        checks: RwSignal::new(0),
        highlight: RwSignal::new(None),
        connection: RwSignal::new(connection),
        sandbox: RwSignal::new(false),
        route,
        page: Memo::new(move |_| route.with(|route| route.page)),
    };
    provide_context(state);

    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| state.route.set(location_route()));
    on_cleanup(move || hash_listener.remove());

    leptos::task::spawn_local(async move {
        if crate::api::sandbox_status().await {
            state.sandbox.set(true);
            state.connection.update(|c| *c = c.clone().with_sandbox_defaults());
        }
    });

    // "Remember for this tab": sessionStorage only, and only while ticked.
    Effect::new(move |_| {
        let stored = state.connection.with(Connection::to_session);
        browser::session_write(stored.as_deref());
    });

    follow_edits(state);
    // The worker's files are fetched once the first screen is painted.
    request_animation_frame(|| browser::next_task(worker::start));

    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="top">
            <h1><a href="#/">"certcheck"</a></h1>
            <nav aria-label="Pages">
                <a href="#/" aria-current=move || (state.page.get() == Page::Check).then_some("page")>"Check"</a>
                <a href="#/manage" aria-current=move || (state.page.get() == Page::Manage).then_some("page")>"Manage"</a>
                <a href="#/create" aria-current=move || (state.page.get() == Page::Create).then_some("page")>"Create"</a>
            </nav>
            <span class="mode" data-sandbox=move || state.sandbox.get().to_string()>
                {move || if state.sandbox.get() { "Sandbox: nothing leaves this machine" } else { "Live: requests go to the vendors" }}
            </span>
        </header>
        {browser::clock_notice().map(|notice| view! { <p class="clock-notice" role="note">{notice}</p> })}
        <main id="main" tabindex="-1">
            <ErrorBoundary fallback=|errors| view! {
                <div role="alert" class="panel error">
                    <p>"Something went wrong:"</p>
                    <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                </div>
            }>
                {move || match state.page.get() {
                    Page::Check => view! { <CheckView/> }.into_any(),
                    Page::Manage => view! { <ManageView/> }.into_any(),
                    Page::Create => view! { <CreateView/> }.into_any(),
                }}
            </ErrorBoundary>
        </main>
    }
}

/// The check follows every edit, debounced; the old report stays up (marked stale) meanwhile.
/// The check that renders reports only signatures already verified; the others are verified
/// after the report is on screen, by the worker (web/worker), and the input is checked again when they
/// are all done. An edit meanwhile abandons the rest (results already verified are kept by the
/// core's memo).
fn follow_edits(state: AppState) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let input = state.input.get();
        let choice = state.choice.get();
        if !state.stale.get_untracked() {
            state.stale.set(true);
        }
        generation.update_value(|n| *n += 1);
        let current = generation.get_value();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let run = move || {
            if input.is_blank() {
                state.report.set(None);
                state.key_pem.set(None);
                state.verification.set(Verification::Complete);
            } else {
                let started = browser::millis();
                let (report, tasks) = certcheck::check_with_tasks(input.bytes(), &choice.quick_options(browser::now()));
                state.check_ms.set(browser::millis() - started);
                // Only an input that holds a key is scanned for its PEM (the mTLS leaf upload's).
                let key =
                    (!report.private_keys.is_empty()).then(|| crate::state::private_key_pem(&input, &report)).flatten();
                state.key_pem.set(key);
                state.verification.set(Verification::Pending { done: 0, total: 0 });
                state.report.set(Some(Arc::new(report)));
                let shown = browser::millis();
                // After the report is painted: the worker verifies what it left, then it is checked again.
                let input = Rc::new(input);
                request_animation_frame(move || {
                    leptos::task::spawn_local(complete_signatures(
                        state,
                        input,
                        choice,
                        tasks,
                        (generation, current),
                        shown,
                    ));
                });
            }
            state.stale.set(false);
            state.checks.update(|n| *n += 1);
        };
        pending.set_value(set_timeout_with_handle(run, DEBOUNCE).ok());
    });
}

/// How often the "Verifying signatures… n/N" progress is updated.
const PROGRESS_MS: f64 = 150.0;

/// Has the worker verify `tasks` (what the shown report left unverified), showing progress, then
/// checks again: every result is known then, so that check is the complete report. A later edit
/// abandons the rest (the results already remembered are kept by the core's memo).
async fn complete_signatures(
    state: AppState,
    input: Rc<Input>,
    choice: Choice,
    tasks: Vec<SignatureTask>,
    (generation, current): (StoredValue<u64>, u64),
    shown: f64,
) {
    let current_edit = move || generation.try_get_value() == Some(current);
    if !current_edit() {
        return;
    }
    if tasks.is_empty() {
        state.verify_ms.set(0.0);
        state.verification.set(Verification::Complete);
        return;
    }
    let total = tasks.len();
    state.verification.set(Verification::Pending { done: 0, total });
    let done = Rc::new(Cell::new(0));
    let progress_at = Rc::new(Cell::new(browser::millis()));
    let progress = move |part: usize| {
        done.set(done.get() + part);
        if current_edit() && browser::millis() - progress_at.get() >= PROGRESS_MS {
            progress_at.set(browser::millis());
            state.verification.set(Verification::Pending { done: done.get(), total });
        }
    };
    let outcome = worker::verify(tasks, progress).await;
    if !current_edit() {
        return;
    }
    match outcome {
        Ok(()) => {
            let report = certcheck::check(input.bytes(), &choice.quick_options(browser::now()));
            state.report.set(Some(Arc::new(report)));
            state.verification.set(Verification::Complete);
            state.verify_ms.set(browser::millis() - shown);
        }
        Err(_) => state.verification.set(Verification::Unavailable),
    }
}
