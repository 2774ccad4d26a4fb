//! The destination picker, its sub-choices (Anthropic API generation, mTLS CA or leaf) and the
//! one line of what the destination requires.

use certcheck::Destination;
use certcheck_api::Generation;
use leptos::prelude::*;

use crate::app::AppState;
use crate::state::{DESTINATIONS, destination_from_name};

/// Destination, generation, mTLS kind.
#[component]
pub fn DestinationPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let choice = state.choice;
    let is = move |destination: Destination| choice.with(|c| c.destination == destination);
    view! {
        <div class="picker">
            <div class="field">
                <label for="destination">"Destination"</label>
                <select id="destination"
                    on:change=move |ev| {
                        if let Some(destination) = destination_from_name(&event_target_value(&ev)) {
                            choice.update(|c| c.destination = destination);
                        }
                    }>
                    {DESTINATIONS.iter().map(|(destination, label)| {
                        let destination = *destination;
                        view! {
                            <option value=destination.name() selected=move || is(destination)>{*label}</option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || is(Destination::AnthropicTunnel)>
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
            <Show when=move || is(Destination::CloudflareMtls)>
                <fieldset class="field kind">
                    <legend>"Upload as"</legend>
                    <label>
                        <input type="radio" name="mtls-kind" value="ca" prop:checked=move || choice.with(|c| c.ca)
                            on:change=move |_| choice.update(|c| c.ca = true)/>
                        " CA (verifies client TLS)"
                    </label>
                    <label>
                        <input type="radio" name="mtls-kind" value="leaf" prop:checked=move || choice.with(|c| !c.ca)
                            on:change=move |_| choice.update(|c| c.ca = false)/>
                        " Leaf + private key (presented to your origin)"
                    </label>
                </fieldset>
            </Show>
            <p class="requirement" id="requirement">{move || choice.get().requirement()}</p>
        </div>
    }
}
