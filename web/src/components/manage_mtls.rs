//! Account mTLS certificates: list with each one's associations, delete — shown as refused
//! while a service uses the certificate, before the attempt.

use certcheck_api::Endpoint;
use certcheck_api::model::{Deleted, Envelope, MtlsAssociation, MtlsCertificate};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppState;
use crate::components::manage::{Notice, NoticeLine, call, listing};
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
                Ok(certcheck_api::build(&endpoint, &connection.credentials(sandbox)?, None, &Default::default()))
            });
            notice.set(Some(match call::<Envelope<Deleted>>(request).await {
                Ok(_) => (true, format!("Deleted {certificate_id}.")),
                Err(problem) => (false, problem),
            }));
            refresh.update(|n| *n += 1);
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
                            let in_use: Vec<String> = associations.iter().map(|a| format!("{} ({})", a.service, a.status)).collect();
                            let blocked = !in_use.is_empty();
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
                                    <p>{if blocked { format!("In use by {}", in_use.join(", ")) } else { "Not associated with any service.".to_owned() }}</p>
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

async fn load(connection: Connection, sandbox: bool) -> Result<Vec<(MtlsCertificate, Vec<MtlsAssociation>)>, String> {
    let account_id = connection.account().map_err(|b| b.to_string())?;
    let credentials = connection.credentials(sandbox).map_err(|b| b.to_string())?;
    let list = certcheck_api::build(
        &Endpoint::MtlsCertificateList { account_id: account_id.clone() },
        &credentials,
        None,
        &Default::default(),
    );
    let certificates = call::<Envelope<Vec<MtlsCertificate>>>(Ok(list)).await?.result.unwrap_or_default();
    let mut rows = Vec::with_capacity(certificates.len());
    for certificate in certificates {
        let certificate_id = certificate.id.clone().unwrap_or_default();
        let endpoint = Endpoint::MtlsCertificateAssociations { account_id: account_id.clone(), certificate_id };
        let associations = call::<Envelope<Vec<MtlsAssociation>>>(Ok(certcheck_api::build(
            &endpoint,
            &credentials,
            None,
            &Default::default(),
        )))
        .await
        .map(|envelope| envelope.result.unwrap_or_default())
        .unwrap_or_default();
        rows.push((certificate, associations));
    }
    Ok(rows)
}
