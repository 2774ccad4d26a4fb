//! Cloudflare Access certificates: every one (all pages), rename and set hostnames, delete after
//! a confirmation (shown as refused while hostnames still use the certificate, before anyone
//! tries).

use certcheck_api::{Stored, UpdateAccessCertificate};
use leptos::prelude::*;

use crate::components::manage::{
    Holdings, NoticeLine, Record, RowData, list_frame, now, row_element, row_head, row_heading_id,
};
use crate::context::AppState;
use crate::state::monitor::{Family, Holding};
use crate::state::parse_hostnames;
use crate::state::write::{Confirmation, Write};

/// The section.
#[component]
pub fn AccessManager() -> impl IntoView {
    let holdings = expect_context::<Holdings>();
    let writes = holdings.writes(Family::Access);
    view! {
        <section class="panel manager" id="section-access" aria-labelledby="access-heading" data-family="access">
            <h2 id="access-heading" tabindex="-1">{Family::Access.label()}</h2>
            <div class="toolbar">
                <button type="button" on:click=move |_| holdings.list(Family::Access).refetch()>"Refresh"</button>
            </div>
            <NoticeLine notice=writes.value()/>
            {list_frame(Family::Access, "No Access certificates yet.", rows)}
        </section>
    }
}

fn rows(records: Vec<Record>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let local = state.report.get_untracked();
    let now = now();
    let items = records
        .into_iter()
        .map(|record| {
            let holding = Holding::new(Family::Access, &record.stored, local.as_deref(), now);
            row(holding, record.stored, now)
        })
        .collect_view();
    view! { <ul class="rows" aria-label="Access certificates">{items}</ul> }
}

fn row(holding: Holding, stored: Stored, now: certcheck::UnixTime) -> impl IntoView {
    let holdings = expect_context::<Holdings>();
    let pending = holdings.writes(Family::Access).pending();
    let Stored::Access(certificate) = &stored else { return ().into_any() };
    let id = holding.id.clone();
    let hostnames = certificate.associated_hostnames.clone().unwrap_or_default();
    let name = RwSignal::new(certificate.name.clone().unwrap_or_default());
    let hosts = RwSignal::new(hostnames.join(", "));
    let in_use = certcheck_api::removal(&stored, None) != certcheck_api::Removal::Allowed;
    let described = row_heading_id(&holding);
    let save_id = id.clone();
    let target = holding.clone();
    let head = row_head(&holding, now);
    let body = view! {
        {head}
        <div class="row-edit">
            <div class="field">
                <label for=format!("access-name-{id}")>"Name"</label>
                <input id=format!("access-name-{id}") type="text" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=format!("access-hosts-{id}")>"Hostnames"</label>
                <input id=format!("access-hosts-{id}") type="text" prop:value=move || hosts.get()
                    on:input=move |ev| hosts.set(event_target_value(&ev))/>
            </div>
            <button type="button" aria-describedby=described.clone() disabled=move || pending.get() on:click=move |_| {
                let update = UpdateAccessCertificate {
                    associated_hostnames: parse_hostnames(&hosts.get_untracked()),
                    name: Some(name.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
                };
                holdings.write(Write::SaveAccess { id: save_id.clone(), update });
            }>"Save"</button>
            <button type="button" class="danger" aria-describedby=described disabled=move || in_use || pending.get()
                on:click=move |_| holdings.confirm.set(Some(Confirmation::delete(target.clone(), &stored)))>"Delete"</button>
        </div>
        {in_use.then(|| view! {
            <p class="muted">{format!("Delete is refused while hostnames use it ({}): clear them and save first.", hostnames.join(", "))}</p>
        })}
    };
    row_element(&holding, RowData::default(), body).into_any()
}
