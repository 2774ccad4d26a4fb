//! "Test a certificate against this CA": the certificate a server or client presents, its
//! optional key (it stays in the page), the tunnel domain or host names; the verdict of
//! `certcheck::verify_peer` against the pasted CA, the path it found and its diagnostics, each
//! naming the field it points into. Re-tested as the fields or the CA change.

use std::sync::Arc;
use std::time::Duration;

use certcheck::{Destination, NoPeerCheck, PeerReport};
use leptos::prelude::*;

use crate::browser;
use crate::components::diagnostics::peer_diagnostics;
use crate::context::AppState;
use crate::state::peer::{PeerForm, path_lines, peer_check, peer_headline, presented_label};

/// How long typing must pause before the test runs.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// The section's body.
#[component]
pub fn PeerTest() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(PeerForm::default());
    let result = RwSignal::new(None::<Result<Arc<PeerReport>, NoPeerCheck>>);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let fields = form.get();
        let choice = state.choice.get();
        // The CA is the checked input: test again after each check of it.
        state.report.track();
        let ca = state.input.get_untracked();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        generation.update_value(|n| *n += 1);
        let current = generation.get_value();
        // The worker verifies the signatures the test needs first; a later edit wins.
        let run = move || {
            leptos::task::spawn_local(async move {
                let now = browser::now();
                let outcome = crate::worker::with_signatures(|| peer_check(&ca, choice, &fields, now)).await;
                if generation.try_get_value() == Some(current) {
                    result.set(outcome.map(|r| r.map(Arc::new)));
                }
            });
        };
        pending.set_value(set_timeout_with_handle(run, DEBOUNCE).ok());
    });
    let tunnel = Memo::new(move |_| state.choice.with(|c| c.destination == Destination::AnthropicTunnel));
    let headline = Memo::new(move |_| {
        result.with(|result| match result {
            None => "Paste a certificate to test it against the CA above.".to_owned(),
            Some(Err(refusal)) => format!("Cannot test: {refusal}."),
            Some(Ok(report)) => format!("{}.", peer_headline(report)),
        })
    });
    view! {
        <p class="hint">"The certificate and key stay in this page: nothing in this section is sent anywhere."</p>
        <div class="peer-fields">
            <div class="field wide">
                <label for="peer-certificate">{move || presented_label(state.choice.get().destination)}</label>
                <textarea id="peer-certificate" rows="6" spellcheck="false" autocomplete="off" wrap="off"
                    prop:value=move || form.with(|f| f.certificate.clone())
                    on:input=move |ev| form.update(|f| f.certificate = event_target_value(&ev))></textarea>
            </div>
            <div class="field wide">
                <label for="peer-key">"Its private key (optional: matched, never sent)"</label>
                <textarea id="peer-key" rows="3" spellcheck="false" autocomplete="off" wrap="off"
                    prop:value=move || form.with(|f| f.key.clone())
                    on:input=move |ev| form.update(|f| f.key = event_target_value(&ev))></textarea>
            </div>
            <Show when=move || tunnel.get()
                fallback=move || view! {
                    <div class="field">
                        <label for="peer-hosts">"Host names or email addresses (optional, comma separated)"</label>
                        <input id="peer-hosts" type="text" autocomplete="off" spellcheck="false"
                            prop:value=move || form.with(|f| f.hosts.clone())
                            on:input=move |ev| form.update(|f| f.hosts = event_target_value(&ev))/>
                    </div>
                }>
                <div class="field">
                    <label for="peer-domain">"Tunnel domain"</label>
                    <input id="peer-domain" type="text" autocomplete="off" spellcheck="false" placeholder="tunnel.example.com"
                        prop:value=move || form.with(|f| f.tunnel_domain.clone())
                        on:input=move |ev| form.update(|f| f.tunnel_domain = event_target_value(&ev))/>
                </div>
            </Show>
        </div>
        <div class="peer-result" data-verdict=move || result.with(|r| match r {
            Some(Ok(report)) => Some(report.verdict.name()),
            _ => None,
        })>
            <p role="status" aria-live="polite" aria-atomic="true" class="peer-headline">
                {move || result.with(|r| match r {
                    Some(Ok(report)) => {
                        let verdict = report.verdict.name();
                        view! { <span class=format!("badge {verdict}")>{headline.get()}</span> }.into_any()
                    }
                    _ => view! { <span>{headline.get()}</span> }.into_any(),
                })}
            </p>
            {move || result.get().and_then(Result::ok).map(|report| {
                let path = path_lines(&report);
                view! {
                    {if path.is_empty() {
                        view! { <p class="muted">"No path from this certificate to the CA."</p> }.into_any()
                    } else {
                        view! {
                            <h3 id="peer-path-heading">"Path"</h3>
                            <ol class="peer-path" aria-labelledby="peer-path-heading">
                                {path.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    {peer_diagnostics(&report.diagnostics)}
                }
            })}
        </div>
    }
}
