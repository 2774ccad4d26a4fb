//! `App`: the shared state (context), the check that follows every edit (debounced, showing at
//! once what is known, then verifying signatures in idle slices), the two pages (check and
//! upload; manage) chosen by the URL's hash, and the root error boundary.

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

/// How long typing must pause before the check runs.
const DEBOUNCE: Duration = Duration::from_millis(90);

/// Signature verification runs in slices of about this many milliseconds (half a frame), so that
/// typing, scrolling and rendering go on between them.
const SLICE_MS: f64 = 8.0;

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
/// after the report is on screen, a slice at a time, and the input is checked again when they
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
                // After the report is painted: list the signatures left, then verify them.
                let input = Rc::new(input);
                request_animation_frame(move || {
                    browser::next_task(move || {
                        start_verification(state, input, choice, tasks, (generation, current), shown);
                    });
                });
            }
            state.stale.set(false);
            state.checks.update(|n| *n += 1);
        };
        pending.set_value(set_timeout_with_handle(run, DEBOUNCE).ok());
    });
}

/// Signature verification of one input, a slice at a time.
struct Verifier {
    state: AppState,
    input: Rc<Input>,
    choice: Choice,
    /// The edit this verification belongs to: a later edit abandons it.
    edit: (StoredValue<u64>, u64),
    /// When the report it completes was shown.
    shown: f64,
    tasks: Vec<SignatureTask>,
    /// When the progress was last shown (it is shown every [`PROGRESS_MS`], not every slice:
    /// each update costs a frame).
    progress_at: f64,
}

/// How often the "Verifying signatures… n/N" progress is updated.
const PROGRESS_MS: f64 = 150.0;

/// Verifies `tasks` (what the shown report left unverified) in slices, then checks again.
fn start_verification(
    state: AppState,
    input: Rc<Input>,
    choice: Choice,
    tasks: Vec<SignatureTask>,
    (generation, current): (StoredValue<u64>, u64),
    shown: f64,
) {
    if generation.get_value() != current {
        return;
    }
    if tasks.is_empty() {
        state.verify_ms.set(0.0);
        state.verification.set(Verification::Complete);
        return;
    }
    state.verification.set(Verification::Pending { done: 0, total: tasks.len() });
    let verifier =
        Verifier { state, input, choice, edit: (generation, current), shown, tasks, progress_at: browser::millis() };
    verifier.slice(0);
}

impl Verifier {
    /// Verifies for about [`SLICE_MS`] from task `from`, then yields; checks again at the end.
    fn slice(mut self, from: usize) {
        let (generation, current) = self.edit;
        if generation.get_value() != current {
            return;
        }
        let started = browser::millis();
        let mut next = from;
        while let Some(task) = self.tasks.get(next) {
            task.run();
            next += 1;
            if browser::millis() - started >= SLICE_MS {
                break;
            }
        }
        let total = self.tasks.len();
        if next < total {
            if browser::millis() - self.progress_at >= PROGRESS_MS {
                self.progress_at = browser::millis();
                self.state.verification.set(Verification::Pending { done: next, total });
            }
            browser::next_task(move || self.slice(next));
            return;
        }
        // Every result is known now: this check is the complete report.
        let report = certcheck::check(self.input.bytes(), &self.choice.quick_options(browser::now()));
        self.state.report.set(Some(Arc::new(report)));
        self.state.verification.set(Verification::Complete);
        self.state.verify_ms.set(browser::millis() - self.shown);
    }
}
