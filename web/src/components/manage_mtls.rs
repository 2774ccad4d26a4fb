//! Account mTLS certificates: list with each one's associations, delete — shown as refused
//! while a service uses the certificate, before the attempt.

use certcheck_api::Endpoint;
use certcheck_api::model::{Deleted, Envelope, MtlsAssociation, MtlsCertificate};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppState;
use crate::components::manage::{Notice, NoticeLine, call, listing, settle};
use crate::state::Connection;

/// The section.
#[component]
pub fn MtlsManager() -> impl IntoView {
    let state = expect_context::<AppState>();
    let refresh = RwSignal::new(0u32);
    let notice: Notice = RwSignal::new(None);
    let list = LocalResource::new(move || {
        refresh.track();
        state.sandbox.track();
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        async move { load(connection, sandbox).await }
    });
    let delete = move |certificate_id: String| {
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        spawn_local(async move {
            let request = connection.account().and_then(|account_id| {
                let endpoint = Endpoint::MtlsCertificateDelete { account_id, certificate_id: certificate_id.clone() };
                connection.request(&endpoint, None, sandbox)
            });
            let outcome = call::<Envelope<Deleted>>(request).await.map(|_| format!("Deleted {certificate_id}."));
            settle(notice, refresh, outcome);
        });
    };
    view! {
        <section class="panel manager" aria-labelledby="mtls-heading" data-family="mtls">
            <h2 id="mtls-heading">"Cloudflare mTLS (account)"</h2>
            <div class="toolbar"><button type="button" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button></div>
            <NoticeLine notice=notice/>
            {move || listing(list.get(), "No mTLS certificates yet.", |items| view! {
                    <ul class="rows">
                        {items.into_iter().map(|(certificate, associations)| {
                            let id = certificate.id.clone().unwrap_or_default();
                            let (blocked, usage) = match &associations {
                                Ok(list) if list.is_empty() => (false, "Not associated with any service.".to_owned()),
                                Ok(list) => {
                                    let services: Vec<String> = list.iter().map(|a| format!("{} ({})", a.service, a.status)).collect();
                                    (true, format!("In use by {}", services.join(", ")))
                                }
                                // Unknown: Cloudflare still refuses a delete while in use.
                                Err(problem) => (false, format!("Associations could not be read: {problem}")),
                            };
                            let delete_id = id.clone();
                            view! {
                                <li class="row" data-id=id.clone() data-in-use=blocked.to_string()>
                                    <div class="row-head">
                                        <strong>{certificate.name.clone().unwrap_or_else(|| "(no name)".into())}</strong>
                                        <code>{id.clone()}</code>
                                        <span class="pill">{if certificate.ca == Some(true) { "CA" } else { "leaf" }}</span>
                                        <span class="muted">{certificate.expires_on.clone().map(|e| format!("expires {e}"))}</span>
                                    </div>
                                    <div class="muted">{certificate.issuer.clone().map(|i| format!("issuer {i}"))}
                                        {certificate.serial_number.clone().map(|s| format!(" · serial {s}"))}</div>
                                    <p>{usage}</p>
                                    <button type="button" class="danger" disabled=blocked on:click=move |_| delete(delete_id.clone())>"Delete"</button>
                                    {blocked.then(|| view! {
                                        <span class="reason">"Delete is refused while a service uses it: remove the association first."</span>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())}
        </section>
    }
}

/// Each certificate with its associations (or why they could not be read).
type Row = (MtlsCertificate, Result<Vec<MtlsAssociation>, String>);

async fn load(connection: Connection, sandbox: bool) -> Result<Vec<Row>, String> {
    let account_id = connection.account().map_err(|b| b.to_string())?;
    let list = connection.request(&Endpoint::MtlsCertificateList { account_id: account_id.clone() }, None, sandbox);
    let certificates = call::<Envelope<Vec<MtlsCertificate>>>(list).await?.result.unwrap_or_default();
    let mut rows = Vec::with_capacity(certificates.len());
    for certificate in certificates {
        let certificate_id = certificate.id.clone().unwrap_or_default();
        let endpoint = Endpoint::MtlsCertificateAssociations { account_id: account_id.clone(), certificate_id };
        let associations = call::<Envelope<Vec<MtlsAssociation>>>(connection.request(&endpoint, None, sandbox))
            .await
            .map(|envelope| envelope.result.unwrap_or_default());
        rows.push((certificate, associations));
    }
    Ok(rows)
}
