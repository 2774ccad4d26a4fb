//! The manage page: the connection, the overview (the monitor), one section per vendor family,
//! and the confirmation dialog. What the sections share is in `manage_rows.rs`.

use leptos::prelude::*;

use crate::components::confirm::ConfirmDialog;
use crate::components::connection::{ConnectionFields, Needs};
use crate::components::manage_access::AccessManager;
use crate::components::manage_anthropic::AnthropicManager;
use crate::components::manage_gateway::GatewayManager;
use crate::components::manage_mtls::MtlsManager;
use crate::components::manage_rows::Holdings;
use crate::components::monitor::Overview;
use crate::context::AppState;

/// The page.
#[component]
pub fn ManageView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let holdings = Holdings::new(state);
    provide_context(holdings);
    // Each route (each followed link, even to the same row again) gives its row the focus once.
    Effect::new(move |_| {
        state.route.track();
        holdings.focus_pending.set(true);
    });
    view! {
        <div class="manage-page">
            <section class="panel" aria-labelledby="connection-heading">
                <h2 id="connection-heading">"Connection"</h2>
                <ConnectionFields needs=Needs::All prefix="manage"/>
                <button type="button" on:click=move |_| holdings.refresh_all()>"Reload every list"</button>
            </section>
            <Overview/>
            <AnthropicManager/>
            <AccessManager/>
            <MtlsManager/>
            <GatewayManager/>
            <ConfirmDialog/>
        </div>
    }
}
