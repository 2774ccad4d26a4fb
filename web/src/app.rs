//! `App`: the shared state (context), the debounced check that follows every edit, the two
//! pages (check and upload; manage) chosen by the URL's hash, and the error boundary.

use std::sync::Arc;
use std::time::Duration;

use certcheck::Report;
use leptos::prelude::*;

use crate::components::check_view::CheckView;
use crate::components::manage::ManageView;
use crate::state::{Choice, Connection, Input};
use crate::{api, browser};

/// The two pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// Paste, check, fix, upload, verify.
    Check,
    /// List and manage what the vendors hold.
    Manage,
}

impl Page {
    fn from_hash(hash: &str) -> Self {
        if hash.trim_start_matches('#').trim_start_matches('/').starts_with("manage") {
            Self::Manage
        } else {
            Self::Check
        }
    }
}

/// Everything the views share. All fields are signals, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// What the user gave.
    pub input: RwSignal<Input>,
    /// Where it goes.
    pub choice: RwSignal<Choice>,
    /// The check of the latest input and choice (`None` before the first).
    pub report: RwSignal<Option<Arc<Report>>>,
    /// The input changed since `report` was made.
    pub stale: RwSignal<bool>,
    /// How long the last check took, in milliseconds.
    pub check_ms: RwSignal<f64>,
    /// How many checks have finished (tests wait for it to move).
    pub checks: RwSignal<u64>,
    /// The line a clicked diagnostic points at.
    pub highlight: RwSignal<Option<u32>>,
    /// IDs and token.
    pub connection: RwSignal<Connection>,
    /// The server is the sandbox.
    pub sandbox: RwSignal<bool>,
    /// The page shown.
    pub page: RwSignal<Page>,
}

/// How long typing must pause before the check runs.
const DEBOUNCE: Duration = Duration::from_millis(90);

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let connection = browser::session_read().and_then(|text| Connection::from_session(&text)).unwrap_or_default();
    let state = AppState {
        input: RwSignal::new(Input::default()),
        choice: RwSignal::new(Choice::default()),
        report: RwSignal::new(None),
        stale: RwSignal::new(false),
        check_ms: RwSignal::new(0.0),
        checks: RwSignal::new(0),
        highlight: RwSignal::new(None),
        connection: RwSignal::new(connection),
        sandbox: RwSignal::new(false),
        page: RwSignal::new(Page::from_hash(&window().location().hash().unwrap_or_default())),
    };
    provide_context(state);

    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        state.page.set(Page::from_hash(&window().location().hash().unwrap_or_default()));
    });
    on_cleanup(move || hash_listener.remove());

    leptos::task::spawn_local(async move {
        if api::sandbox_status().await {
            state.sandbox.set(true);
            state.connection.update(|c| *c = c.clone().with_sandbox_defaults());
        }
    });

    // "Remember for this tab": sessionStorage only, and only while ticked.
    Effect::new(move |_| {
        let stored = state.connection.with(Connection::to_session);
        browser::session_write(stored.as_deref());
    });

    // The check follows every edit, debounced; the old report stays up (marked stale) meanwhile.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let input = state.input.get();
        let choice = state.choice.get();
        state.stale.set(true);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let run = move || {
            if input.is_blank() {
                state.report.set(None);
            } else {
                let started = browser::millis();
                let report = certcheck::check(input.bytes(), &choice.options(browser::now()));
                state.check_ms.set(browser::millis() - started);
                state.report.set(Some(Arc::new(report)));
            }
            state.stale.set(false);
            state.checks.update(|n| *n += 1);
        };
        pending.set_value(set_timeout_with_handle(run, DEBOUNCE).ok());
    });

    view! {
        <header class="top">
            <h1><a href="#/">"certcheck"</a></h1>
            <nav aria-label="Pages">
                <a href="#/" aria-current=move || (state.page.get() == Page::Check).then_some("page")>"Check"</a>
                <a href="#/manage" aria-current=move || (state.page.get() == Page::Manage).then_some("page")>"Manage"</a>
            </nav>
            <span class="mode" data-sandbox=move || state.sandbox.get().to_string()>
                {move || if state.sandbox.get() { "Sandbox: nothing leaves this machine" } else { "Live: requests go to the vendors" }}
            </span>
        </header>
        <main>
            <ErrorBoundary fallback=|errors| view! {
                <div role="alert" class="panel error">
                    <p>"Something went wrong:"</p>
                    <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                </div>
            }>
                {move || match state.page.get() {
                    Page::Check => view! { <CheckView/> }.into_any(),
                    Page::Manage => view! { <ManageView/> }.into_any(),
                }}
            </ErrorBoundary>
        </main>
    }
}
