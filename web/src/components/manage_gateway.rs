//! Cloudflare Gateway certificates: create (validity 1–10950 days, checked before sending),
//! every CA listed, activate, deactivate (after a confirmation when it is in use), download the
//! CA as a .pem file with its check report, delete (only once inactive, as Cloudflare requires,
//! after a confirmation).

use std::sync::Arc;

use certcheck::{Destination, Report};
use certcheck_api::{Endpoint, GATEWAY_DEFAULT_VALIDITY_DAYS, Stored};
use leptos::prelude::*;

use crate::browser;
use crate::components::certificates::Certificates;
use crate::components::diagnostics::Diagnostics;
use crate::components::manage_rows::{
    Holdings, NoticeLine, Record, RowData, list_frame, now, row_element, row_head, row_heading_id,
};
use crate::context::AppState;
use crate::error::Problem;
use crate::state::monitor::{Family, Holding};
use crate::state::write::{Confirmation, Done, Write, gateway_create_body, gateway_in_use};
use crate::state::{answer_id, pem_file_name, response_differs, validity_days};
use certcheck_api::{BindingStatus, Removal};

/// The Gateway CA last checked (created, downloaded or checked by hand), with its report.
type Checked = RwSignal<Option<(String, Arc<Report>)>>;

/// The section.
#[component]
pub fn GatewayManager() -> impl IntoView {
    let state = expect_context::<AppState>();
    let holdings = expect_context::<Holdings>();
    let list = holdings.list(Family::Gateway);
    let writes = holdings.writes(Family::Gateway);
    let days = RwSignal::new(GATEWAY_DEFAULT_VALIDITY_DAYS.to_string());
    let days_problem = Memo::new(move |_| validity_days(&days.get()).err());
    let checked: Checked = RwSignal::new(None);
    provide_context(checked);
    let create = Action::new_local(move |validity: &u32| {
        let body = gateway_create_body(*validity);
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        async move {
            let account_id = connection.account()?;
            let request = connection.request(&Endpoint::GatewayCertificateCreate { account_id }, body, sandbox)?;
            let answer = crate::api::send(&request).await?;
            list.refetch();
            // Cloudflare generated it: the check is that the answer agrees with the CA it carries.
            let id = answer_id(&answer.body);
            let now = browser::now();
            let report = crate::worker::with_signatures(|| {
                certcheck_api::verify_response(Destination::CloudflareGateway, &answer.body, None, now)
            })
            .await
            .map_err(|reason| Problem::Unverified { id: id.clone(), reason })?;
            let differs = response_differs(&report);
            checked.set(Some((id.clone(), Arc::new(report))));
            if differs { Err(Problem::Differs { id }) } else { Ok(Done::Created(id)) }
        }
    });
    // The section's notice is the outcome of whichever of its actions ended last.
    let notice = RwSignal::new(None::<Result<Done, Problem>>);
    Effect::new(move |_| {
        if let Some(outcome) = create.value().get() {
            notice.set(Some(outcome));
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = writes.value().get() {
            notice.set(Some(outcome));
        }
    });
    let checked_report = Signal::derive(move || checked.get().map(|(_, report)| report));
    view! {
        <section class="panel manager" id="section-gateway" aria-labelledby="gateway-heading" data-family="gateway">
            <h2 id="gateway-heading" tabindex="-1">{Family::Gateway.label()}</h2>
            <div class="toolbar">
                <div class="field">
                    <label for="gateway-days">"Validity (days, 1–10950)"</label>
                    <input id="gateway-days" type="number" min="1" max="10950" inputmode="numeric"
                        aria-invalid=move || days_problem.get().is_some().then_some("true")
                        prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                <button type="button" disabled=move || days_problem.get().is_some() || create.pending().get()
                    on:click=move |_| {
                        if let Ok(validity) = validity_days(&days.get_untracked()) {
                            create.dispatch_local(validity);
                        }
                    }>"Create Gateway CA"</button>
                <button type="button" on:click=move |_| list.refetch()>"Refresh"</button>
            </div>
            {move || days_problem.get().map(|problem| view! { <p class="notice error" role="alert">{problem}</p> })}
            <NoticeLine notice=notice/>
            {list_frame(Family::Gateway, "No Gateway CAs yet.", rows)}
            {move || checked.get().map(|(id, _)| view! {
                <div class="gateway-report" data-id=id.clone()>
                    <h3>{format!("Check of {id} for Gateway")}</h3>
                    <Diagnostics report=checked_report interactive=false/>
                    <Certificates report=checked_report prefix="gateway-cert"/>
                </div>
            })}
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
            let holding = Holding::new(Family::Gateway, &record.stored, local.as_deref(), now);
            row(holding, &record.stored, now)
        })
        .collect_view();
    view! { <ul class="rows" aria-label="Gateway CAs">{items}</ul> }
}

fn row(holding: Holding, stored: &Stored, now: certcheck::UnixTime) -> impl IntoView + use<> {
    let holdings = expect_context::<Holdings>();
    let checked = expect_context::<Checked>();
    let pending = holdings.writes(Family::Gateway).pending();
    let Stored::Gateway(certificate) = stored else { return ().into_any() };
    let id = holding.id.clone();
    let status = certificate.binding_status.clone().unwrap_or_default();
    let inactive = BindingStatus::of(certificate) == Some(BindingStatus::Inactive);
    let removable = certcheck_api::removal(stored, None) == Removal::Allowed;
    let in_use = gateway_in_use(certificate);
    let pem = certificate.certificate.clone().unwrap_or_default();
    let described = row_heading_id(&holding);
    // The CA as Cloudflare meant it, checked for Gateway (what a device will be given).
    let check = move |id: String, pem: &[u8]| {
        let pem = pem.to_vec();
        leptos::task::spawn_local(async move {
            let options = certcheck::Options::new(Some(Destination::CloudflareGateway), browser::now());
            let report = crate::worker::with_signatures(|| certcheck::check(&pem, &options)).await;
            checked.set(Some((id, Arc::new(report))));
        });
    };
    let toggle = {
        let (id, target) = (id.clone(), holding.clone());
        move |_| {
            if inactive {
                holdings.write(Write::Activate { id: id.clone() });
            } else if in_use {
                holdings.confirm.set(Some(Confirmation::deactivate(target.clone())));
            } else {
                holdings.write(Write::Deactivate { id: id.clone() });
            }
        }
    };
    let download = {
        let (id, pem) = (id.clone(), pem.clone());
        move |_| {
            let vendor_pem = certcheck_api::vendor_pem(&pem, browser::now());
            browser::download(&pem_file_name(&id), &String::from_utf8_lossy(&vendor_pem), "application/x-pem-file");
            check(id.clone(), &vendor_pem);
        }
    };
    let check_now = {
        let (id, pem) = (id.clone(), pem.clone());
        move |_| check(id.clone(), &certcheck_api::vendor_pem(&pem, browser::now()))
    };
    let delete = {
        let (target, stored) = (holding.clone(), stored.clone());
        move |_| holdings.confirm.set(Some(Confirmation::delete(target.clone(), &stored)))
    };
    let head = row_head(&holding, now);
    let no_pem = pem.is_empty();
    let body = view! {
        {head}
        <div class="row-actions">
            <button type="button" aria-describedby=described.clone() disabled=move || pending.get() on:click=toggle>
                {if inactive { "Activate" } else { "Deactivate" }}
            </button>
            <button type="button" aria-describedby=described.clone() disabled=no_pem on:click=download>"Download .pem"</button>
            <button type="button" aria-describedby=described.clone() disabled=no_pem on:click=check_now>"Check"</button>
            <button type="button" class="danger" aria-describedby=described disabled=move || !removable || pending.get()
                on:click=delete>"Delete"</button>
            {(!removable).then(|| view! { <span class="reason">"Deactivate before deleting."</span> })}
        </div>
    };
    row_element(&holding, RowData { status: Some(status), ..RowData::default() }, body).into_any()
}
