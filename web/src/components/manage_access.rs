//! Cloudflare Access certificates: list, rename and set hostnames, delete (shown as refused
//! while hostnames still use the certificate, before anyone tries).

use certcheck_api::Endpoint;
use certcheck_api::UpdateAccessCertificate;
use certcheck_api::model::{AccessCertificate, Deleted, Envelope};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppState;
use crate::components::manage::{Notice, NoticeLine, call, listing, settle};
use crate::state::parse_hostnames;

/// The section.
#[component]
pub fn AccessManager() -> impl IntoView {
    let state = expect_context::<AppState>();
    let refresh = RwSignal::new(0u32);
    let notice: Notice = RwSignal::new(None);
    let list = LocalResource::new(move || {
        refresh.track();
        state.sandbox.track();
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        async move {
            let request = connection.access_scope().and_then(|(scope, id)| {
                connection.request(&Endpoint::AccessCertificateList { scope, id }, None, sandbox)
            });
            call::<Envelope<Vec<AccessCertificate>>>(request).await.map(|envelope| envelope.result.unwrap_or_default())
        }
    });
    let act = move |certificate_id: String, update: Option<UpdateAccessCertificate>| {
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        spawn_local(async move {
            let outcome = match update {
                Some(update) => {
                    let request = connection.access_scope().and_then(|(scope, id)| {
                        let endpoint =
                            Endpoint::AccessCertificateUpdate { scope, id, certificate_id: certificate_id.clone() };
                        connection.request(&endpoint, serde_json::to_string(&update).ok(), sandbox)
                    });
                    call::<Envelope<AccessCertificate>>(request).await.map(|_| format!("Saved {certificate_id}."))
                }
                None => {
                    let request = connection.access_scope().and_then(|(scope, id)| {
                        let endpoint =
                            Endpoint::AccessCertificateDelete { scope, id, certificate_id: certificate_id.clone() };
                        connection.request(&endpoint, None, sandbox)
                    });
                    call::<Envelope<Deleted>>(request).await.map(|_| format!("Deleted {certificate_id}."))
                }
            };
            settle(notice, refresh, outcome);
        });
    };
    view! {
        <section class="panel manager" aria-labelledby="access-heading" data-family="access">
            <h2 id="access-heading">"Cloudflare Access"</h2>
            <div class="toolbar"><button type="button" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button></div>
            <NoticeLine notice=notice/>
            {move || listing(list.get(), "No Access certificates yet.", |items| view! {
                    <ul class="rows">
                        {items.into_iter().map(|certificate| access_row(certificate, act)).collect_view()}
                    </ul>
                }.into_any())}
        </section>
    }
}

fn access_row(
    certificate: AccessCertificate,
    act: impl Fn(String, Option<UpdateAccessCertificate>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = certificate.id.clone().unwrap_or_default();
    let hostnames = certificate.associated_hostnames.clone().unwrap_or_default();
    let name = RwSignal::new(certificate.name.clone().unwrap_or_default());
    let hosts = RwSignal::new(hostnames.join(", "));
    let in_use = !hostnames.is_empty();
    let (save_id, delete_id) = (id.clone(), id.clone());
    view! {
        <li class="row" data-id=id.clone()>
            <div class="row-head">
                <strong>{certificate.name.clone().unwrap_or_default()}</strong>
                <code>{id.clone()}</code>
                <span class="muted">{certificate.expires_on.clone().map(|e| format!("expires {e}"))}</span>
            </div>
            <code class="print">{certificate.fingerprint.clone()}</code>
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
                <button type="button" on:click=move |_| {
                    let update = UpdateAccessCertificate {
                        associated_hostnames: parse_hostnames(&hosts.get_untracked()),
                        name: Some(name.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
                    };
                    act(save_id.clone(), Some(update));
                }>"Save"</button>
                <button type="button" class="danger" disabled=in_use on:click=move |_| act(delete_id.clone(), None)>"Delete"</button>
            </div>
            {in_use.then(|| view! {
                <p class="muted">{format!("Delete is refused while hostnames use it ({}): clear them and save first.", hostnames.join(", "))}</p>
            })}
        </li>
    }
}
