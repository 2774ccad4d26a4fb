//! Account mTLS certificates: every one with its associations, delete after a confirmation —
//! shown as refused while a service uses the certificate, before the attempt.

use certcheck_api::Stored;
use leptos::prelude::*;

use crate::components::manage::{
    Holdings, NoticeLine, Record, RowData, list_frame, now, row_element, row_head, row_heading_id,
};
use crate::context::AppState;
use crate::state::monitor::{Family, Holding};
use crate::state::write::Confirmation;

/// The section.
#[component]
pub fn MtlsManager() -> impl IntoView {
    let holdings = expect_context::<Holdings>();
    let writes = holdings.writes(Family::Mtls);
    view! {
        <section class="panel manager" id="section-mtls" aria-labelledby="mtls-heading" data-family="mtls">
            <h2 id="mtls-heading" tabindex="-1">{Family::Mtls.label()}</h2>
            <div class="toolbar">
                <button type="button" on:click=move |_| holdings.list(Family::Mtls).refetch()>"Refresh"</button>
            </div>
            <NoticeLine notice=writes.value()/>
            {list_frame(Family::Mtls, "No mTLS certificates yet.", rows)}
        </section>
    }
}

fn rows(records: Vec<Record>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let holdings = expect_context::<Holdings>();
    let pending = holdings.writes(Family::Mtls).pending();
    let local = state.report.get_untracked();
    let now = now();
    let items = records
        .into_iter()
        .map(|Record { stored, associations }| {
            let holding = Holding::new(Family::Mtls, &stored, local.as_deref(), now);
            // Unknown associations stop nothing: Cloudflare still refuses a delete while in use.
            let known = associations.as_ref().and_then(|result| result.as_ref().ok());
            let blocked = certcheck_api::removal(&stored, known.map(Vec::as_slice)) != certcheck_api::Removal::Allowed;
            let usage = match &associations {
                Some(Ok(list)) if list.is_empty() => "Not associated with any service.".to_owned(),
                Some(Ok(list)) => {
                    let services: Vec<String> = list.iter().map(|a| format!("{} ({})", a.service, a.status)).collect();
                    format!("In use by {}", services.join(", "))
                }
                Some(Err(problem)) => format!("Associations could not be read: {problem}"),
                None => String::new(),
            };
            let extra = match &stored {
                Stored::Mtls(certificate) => {
                    let issuer = certificate.issuer.clone().map(|i| format!("issuer {i}"));
                    let serial = certificate.serial_number.clone().map(|s| format!(" · serial {s}"));
                    view! { <p class="muted">{issuer}{serial}</p> }.into_any()
                }
                _ => ().into_any(),
            };
            let described = row_heading_id(&holding);
            let target = holding.clone();
            let head = row_head(&holding, now);
            let body = view! {
                {head}
                {extra}
                <p>{usage}</p>
                <div class="row-actions">
                    <button type="button" class="danger" aria-describedby=described disabled=move || blocked || pending.get()
                        on:click=move |_| holdings.confirm.set(Some(Confirmation::delete(target.clone(), &stored)))>"Delete"</button>
                    {blocked.then(|| view! {
                        <span class="reason">"Delete is refused while a service uses it: remove the association first."</span>
                    })}
                </div>
            };
            row_element(&holding, RowData { in_use: Some(blocked), ..RowData::default() }, body)
        })
        .collect_view();
    view! { <ul class="rows" aria-label="mTLS certificates">{items}</ul> }
}
