//! Cloudflare Gateway certificates: create (validity 1–10950 days, checked before sending),
//! list, activate/deactivate, download the CA as a .pem file with its check report, delete
//! (only once inactive, as Cloudflare requires).

use std::sync::Arc;

use certcheck::Destination;
use certcheck_api::Endpoint;
use certcheck_api::model::{Deleted, Envelope, GatewayCertificate};
use certcheck_api::{CreateGatewayCertificate, GATEWAY_DEFAULT_VALIDITY_DAYS};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppState;
use crate::browser;
use crate::components::certificates::Certificates;
use crate::components::diagnostics::Diagnostics;
use crate::components::manage::{Notice, NoticeLine, call, listing, settle};
use crate::state::{answer_id, pem_file_name, response_differs, validity_days};

/// What an action on one certificate does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Activate,
    Deactivate,
    Delete,
}

/// The section.
#[component]
pub fn GatewayManager() -> impl IntoView {
    let state = expect_context::<AppState>();
    let refresh = RwSignal::new(0u32);
    let notice: Notice = RwSignal::new(None);
    let days = RwSignal::new(GATEWAY_DEFAULT_VALIDITY_DAYS.to_string());
    let days_problem = Memo::new(move |_| validity_days(&days.get()).err());
    let creating = RwSignal::new(false);
    let checked = RwSignal::new(None::<(String, Arc<certcheck::Report>)>);
    let list = LocalResource::new(move || {
        refresh.track();
        state.sandbox.track();
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        async move {
            let request = connection.account().and_then(|account_id| {
                connection.request(&Endpoint::GatewayCertificateList { account_id }, None, sandbox)
            });
            call::<Envelope<Vec<GatewayCertificate>>>(request).await.map(|envelope| envelope.result.unwrap_or_default())
        }
    });
    let create = move || {
        let Ok(validity) = validity_days(&days.get_untracked()) else { return };
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        creating.set(true);
        spawn_local(async move {
            let request = connection.account().and_then(|account_id| {
                let body =
                    serde_json::to_string(&CreateGatewayCertificate { validity_period_days: Some(validity) }).ok();
                connection.request(&Endpoint::GatewayCertificateCreate { account_id }, body, sandbox)
            });
            let answer = match request {
                Ok(request) => crate::api::send(&request).await.map_err(|failure| failure.to_string()),
                Err(blocked) => Err(blocked.to_string()),
            };
            // Cloudflare generated it: the check is that the answer agrees with the CA it carries.
            let outcome = answer.and_then(|answer| {
                let id = answer_id(&answer.body);
                let now = browser::now();
                let report = certcheck_api::verify_response(Destination::CloudflareGateway, &answer.body, None, now)
                    .map_err(|error| format!("Created {id}, but the answer could not be verified: {error}"))?;
                let differs = response_differs(&report);
                checked.set(Some((id.clone(), Arc::new(report))));
                if differs {
                    Err(format!(
                        "Created {id}, but its fingerprint or issuer does not match the certificate it carries."
                    ))
                } else {
                    Ok(format!("Created {id}: verified (fingerprint and issuer match the certificate it carries)."))
                }
            });
            creating.set(false);
            settle(notice, refresh, outcome);
        });
    };
    let act = move |certificate_id: String, action: Action| {
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        spawn_local(async move {
            let request = connection.account().and_then(|account_id| {
                let certificate_id = certificate_id.clone();
                let endpoint = match action {
                    Action::Activate => Endpoint::GatewayCertificateActivate { account_id, certificate_id },
                    Action::Deactivate => Endpoint::GatewayCertificateDeactivate { account_id, certificate_id },
                    Action::Delete => Endpoint::GatewayCertificateDelete { account_id, certificate_id },
                };
                connection.request(&endpoint, None, sandbox)
            });
            let outcome = if action == Action::Delete {
                call::<Envelope<Deleted>>(request).await.map(|_| format!("Deleted {certificate_id}."))
            } else {
                call::<Envelope<GatewayCertificate>>(request).await.map(|envelope| {
                    let status = envelope.result.and_then(|c| c.binding_status).unwrap_or_default();
                    format!("{certificate_id} is now {status}.")
                })
            };
            settle(notice, refresh, outcome);
        });
    };
    // The CA as Cloudflare meant it, checked for Gateway (what a device will be given).
    let check = move |id: String, pem: &[u8]| {
        let report =
            certcheck::check(pem, &certcheck::Options::new(Some(Destination::CloudflareGateway), browser::now()));
        checked.set(Some((id, Arc::new(report))));
    };
    let download = move |id: String, carried: String| {
        let pem = certcheck_api::vendor_pem(&carried, browser::now());
        browser::download(&pem_file_name(&id), &String::from_utf8_lossy(&pem), "application/x-pem-file");
        check(id, &pem);
    };
    let checked_report = Signal::derive(move || checked.get().map(|(_, report)| report));
    view! {
        <section class="panel manager" aria-labelledby="gateway-heading" data-family="gateway">
            <h2 id="gateway-heading">"Cloudflare Gateway"</h2>
            <div class="toolbar">
                <div class="field">
                    <label for="gateway-days">"Validity (days, 1–10950)"</label>
                    <input id="gateway-days" type="number" min="1" max="10950" inputmode="numeric"
                        aria-invalid=move || days_problem.get().is_some().then_some("true")
                        prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                <button type="button" disabled=move || days_problem.get().is_some() || creating.get()
                    on:click=move |_| create()>"Create Gateway CA"</button>
                <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
            </div>
            {move || days_problem.get().map(|problem| view! { <p class="notice error" role="alert">{problem}</p> })}
            <NoticeLine notice=notice/>
            {move || listing(list.get(), "No Gateway CAs yet.", |items| view! {
                    <ul class="rows">
                        {items.into_iter().map(|certificate| {
                            let id = certificate.id.clone().unwrap_or_default();
                            let status = certificate.binding_status.clone().unwrap_or_default();
                            let inactive = status == "inactive";
                            let pem = certificate.certificate.clone().unwrap_or_default();
                            let (a, b, c, d, e) = (id.clone(), id.clone(), id.clone(), id.clone(), pem.clone());
                            view! {
                                <li class="row" data-id=id.clone() data-status=status.clone()>
                                    <div class="row-head">
                                        <code>{id.clone()}</code>
                                        <span class="pill">{status.clone()}</span>
                                        <span class="muted">{certificate.expires_on.clone().map(|e| format!("expires {e}"))}</span>
                                    </div>
                                    <code class="print">{certificate.fingerprint.clone()}</code>
                                    <div class="row-actions">
                                        {if inactive {
                                            view! { <button type="button" on:click=move |_| act(a.clone(), Action::Activate)>"Activate"</button> }.into_any()
                                        } else {
                                            view! { <button type="button" on:click=move |_| act(a.clone(), Action::Deactivate)>"Deactivate"</button> }.into_any()
                                        }}
                                        <button type="button" disabled=pem.is_empty() on:click=move |_| download(b.clone(), e.clone())>"Download .pem"</button>
                                        <button type="button" disabled=pem.is_empty() on:click=move |_| check(c.clone(), &certcheck_api::vendor_pem(&pem, browser::now()))>"Check"</button>
                                        <button type="button" class="danger" disabled=!inactive on:click=move |_| act(d.clone(), Action::Delete)>"Delete"</button>
                                        {(!inactive).then(|| view! { <span class="reason">"Deactivate before deleting."</span> })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())}
            {move || checked.get().map(|(id, _)| view! {
                <div class="gateway-report" data-id=id.clone()>
                    <h3>{format!("Check of {id} for Gateway")}</h3>
                    <Diagnostics report=checked_report interactive=false/>
                    <Certificates report=checked_report/>
                </div>
            })}
        </section>
    }
}
