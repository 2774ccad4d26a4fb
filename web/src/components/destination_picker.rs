//! The destination picker, its sub-choices (Anthropic API generation, mTLS CA or leaf) and the
//! one line of what the destination requires.

use certcheck::{DESTINATION_NAMES, Destination};
use certcheck_api::Generation;
use leptos::prelude::*;

use crate::context::AppState;

/// Destination, generation, mTLS kind.
#[component]
pub fn DestinationPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let choice = state.choice;
    let is = move |name: &str| choice.with(|c| c.destination.name() == name);
    view! {
        <div class="picker">
            <div class="field">
                <label for="destination">"Destination"</label>
                <select id="destination"
                    on:change=move |ev| {
                        let name = event_target_value(&ev);
                        choice.update(|c| *c = c.with_name(&name));
                    }>
                    {DESTINATION_NAMES.iter().filter_map(|&name| {
                        let label = Destination::from_name(name, None).ok()?.label();
                        Some(view! { <option value=name selected=move || is(name)>{label}</option> })
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || is("anthropic-tunnel")>
                <div class="field">
                    <label for="generation">"API generation"</label>
                    <select id="generation" on:change=move |ev| {
                        let generation = if event_target_value(&ev) == "admin" { Generation::Admin } else { Generation::Tunnels };
                        choice.update(|c| c.generation = generation);
                    }>
                        <option value="tunnels" selected=move || choice.with(|c| c.generation == Generation::Tunnels)>
                            "Tunnels API (current: /v1/tunnels)"
                        </option>
                        <option value="admin" selected=move || choice.with(|c| c.generation == Generation::Admin)>
                            "Admin API (deprecated: /v1/organizations/tunnels)"
                        </option>
                    </select>
                </div>
            </Show>
            <Show when=move || is("cloudflare-mtls")>
                <fieldset class="field kind">
                    <legend>"Upload as"</legend>
                    <label>
                        <input type="radio" name="mtls-kind" value="ca" prop:checked=move || choice.with(|c| c.destination.ca())
                            on:change=move |_| choice.update(|c| c.destination = Destination::CloudflareMtls { ca: true })/>
                        " CA (verifies client TLS)"
                    </label>
                    <label>
                        <input type="radio" name="mtls-kind" value="leaf" prop:checked=move || choice.with(|c| !c.destination.ca())
                            on:change=move |_| choice.update(|c| c.destination = Destination::CloudflareMtls { ca: false })/>
                        " Leaf + private key (presented to your origin)"
                    </label>
                </fieldset>
            </Show>
            <p class="requirement" id="requirement">{move || choice.get().destination.requirements()}</p>
        </div>
    }
}
