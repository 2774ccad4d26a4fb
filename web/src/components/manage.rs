//! The manage page: one section per vendor family, each listing what the vendor holds and
//! offering the actions its API documents. Shared here: the request helper and the status line.

use certcheck_api::Request;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::api;
use crate::components::connection::{ConnectionFields, Needs};
use crate::components::manage_access::AccessManager;
use crate::components::manage_anthropic::AnthropicManager;
use crate::components::manage_gateway::GatewayManager;
use crate::components::manage_mtls::MtlsManager;
use crate::state::Blocked;

/// The page.
#[component]
pub fn ManageView() -> impl IntoView {
    view! {
        <div class="manage-page">
            <section class="panel" aria-labelledby="connection-heading">
                <h2 id="connection-heading">"Connection"</h2>
                <ConnectionFields needs=Needs::All prefix="manage"/>
                <p class="muted">"Lists reload with each section's Refresh button."</p>
            </section>
            <AnthropicManager/>
            <AccessManager/>
            <MtlsManager/>
            <GatewayManager/>
        </div>
    }
}

/// Sends a request and reads the answer as `T`; every failure becomes one sentence.
pub async fn call<T: DeserializeOwned>(request: Result<Request, Blocked>) -> Result<T, String> {
    let request = request.map_err(|blocked| blocked.to_string())?;
    let answer = api::send(&request).await.map_err(|failure| failure.to_string())?;
    serde_json::from_slice(&answer.body).map_err(|e| format!("The answer is not the documented shape: {e}"))
}

/// A vendor list's states: loading, failed (the sentence), empty (`empty`), else `items`.
pub fn listing<T>(
    state: Option<Result<Vec<T>, String>>,
    empty: &'static str,
    items: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match state {
        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="notice error" role="alert">{problem}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{empty}</p> }.into_any(),
        Some(Ok(list)) => items(list),
    }
}

/// The result of the last action in a section: `(ok, text)`.
pub type Notice = RwSignal<Option<(bool, String)>>;

/// Shows an action's outcome in its section's notice and reloads the section's list.
pub fn settle(notice: Notice, refresh: RwSignal<u32>, outcome: Result<String, String>) {
    notice.set(Some(match outcome {
        Ok(text) => (true, text),
        Err(problem) => (false, problem),
    }));
    refresh.update(|n| *n += 1);
}

/// Shows a section's notice.
#[component]
pub fn NoticeLine(
    /// The notice to show.
    notice: Notice,
) -> impl IntoView {
    move || {
        notice.get().map(|(ok, text)| {
            view! {
                <p class=if ok { "notice ok" } else { "notice error" } role=if ok { "status" } else { "alert" }>{text}</p>
            }
        })
    }
}
