//! Anthropic tunnel certificates: every one (with the archived toggle), archive after a
//! confirmation (the tunnel's last active one needs its id typed), and the two-active limit
//! shown before anyone tries a third.

use leptos::prelude::*;

use crate::components::manage::{
    Holdings, NoticeLine, Record, RowData, list_frame, now, row_element, row_head, row_heading_id,
};
use crate::context::AppState;
use crate::state::monitor::{Family, Holding};
use crate::state::write::Confirmation;

/// The section.
#[component]
pub fn AnthropicManager() -> impl IntoView {
    let holdings = expect_context::<Holdings>();
    let writes = holdings.writes(Family::Anthropic);
    view! {
        <section class="panel manager" id="section-anthropic" aria-labelledby="anthropic-heading" data-family="anthropic">
            <h2 id="anthropic-heading" tabindex="-1">{Family::Anthropic.label()}</h2>
            <div class="toolbar">
                <label class="check"><input type="checkbox" prop:checked=move || holdings.include_archived.get()
                    on:change=move |ev| holdings.include_archived.set(event_target_checked(&ev))/>" Include archived"</label>
                <button type="button" on:click=move |_| holdings.list(Family::Anthropic).refetch()>"Refresh"</button>
            </div>
            <NoticeLine notice=writes.value()/>
            {list_frame(Family::Anthropic, "No certificates on this tunnel yet.", rows)}
        </section>
    }
}

fn rows(records: Vec<Record>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let holdings = expect_context::<Holdings>();
    let pending = holdings.writes(Family::Anthropic).pending();
    let local = state.report.get_untracked();
    let now = now();
    let active = records.iter().filter(|record| !record.stored.archived()).count();
    let tunnel_id = state.connection.with_untracked(|c| c.tunnel_id.trim().to_owned());
    let items = records
        .into_iter()
        .map(|record| {
            let holding = Holding::new(Family::Anthropic, &record.stored, local.as_deref(), now);
            let archived = record.stored.archived();
            let described = row_heading_id(&holding);
            let tunnel_id = tunnel_id.clone();
            let target = holding.clone();
            let archive = (!archived).then(|| {
                view! {
                    <div class="row-actions">
                        <button type="button" class="danger" aria-describedby=described disabled=move || pending.get()
                            on:click=move |_| {
                                holdings.confirm.set(Some(Confirmation::archive(target.clone(), &tunnel_id, active)));
                            }>"Archive"</button>
                    </div>
                }
            });
            let data = RowData { state: Some(if archived { "archived" } else { "active" }), ..RowData::default() };
            let head = row_head(&holding, now);
            row_element(&holding, data, view! { {head} {archive} })
        })
        .collect_view();
    view! {
        {(active >= certcheck_api::TUNNEL_ACTIVE_LIMIT).then(|| view! {
            <p class="notice warning" role="status" data-two-active="true">
                "Two certificates are active (the maximum): archive one before uploading another."
            </p>
        })}
        <ul class="rows" aria-label="Tunnel certificates">{items}</ul>
    }
}
