//! Anthropic tunnel certificates: list (with the archived toggle), archive, and the two-active
//! limit shown before anyone tries a third.

use certcheck_api::Endpoint;
use certcheck_api::ListTunnelCertificates;
use certcheck_api::model::{Page, TunnelCertificate};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppState;
use crate::components::manage::{Notice, NoticeLine, call, listing, settle};

/// The section.
#[component]
pub fn AnthropicManager() -> impl IntoView {
    let state = expect_context::<AppState>();
    let include_archived = RwSignal::new(false);
    let refresh = RwSignal::new(0u32);
    let notice: Notice = RwSignal::new(None);
    let list = LocalResource::new(move || {
        refresh.track();
        state.sandbox.track();
        let archived = include_archived.get();
        let connection = state.connection.get_untracked();
        let generation = state.choice.with_untracked(|c| c.generation);
        let sandbox = state.sandbox.get_untracked();
        async move {
            let request = connection.tunnel().and_then(|tunnel_id| {
                let mut options = connection.request_options();
                options.list =
                    ListTunnelCertificates { include_archived: Some(archived), limit: Some(100), page: None };
                let credentials = connection.credentials(sandbox)?;
                Ok(certcheck_api::build(
                    &Endpoint::TunnelCertificateList { generation, tunnel_id },
                    &credentials,
                    None,
                    &options,
                ))
            });
            call::<Page<TunnelCertificate>>(request).await.map(|page| page.data)
        }
    });
    let archive = move |certificate_id: String| {
        let connection = state.connection.get_untracked();
        let generation = state.choice.with_untracked(|c| c.generation);
        let sandbox = state.sandbox.get_untracked();
        spawn_local(async move {
            let request = connection.tunnel().and_then(|tunnel_id| {
                let endpoint = Endpoint::TunnelCertificateArchive {
                    generation,
                    tunnel_id,
                    certificate_id: certificate_id.clone(),
                };
                connection.request(&endpoint, None, sandbox)
            });
            let outcome = call::<TunnelCertificate>(request).await.map(|done| format!("Archived {}.", done.id));
            settle(notice, refresh, outcome);
        });
    };
    view! {
        <section class="panel manager" aria-labelledby="anthropic-heading" data-family="anthropic">
            <h2 id="anthropic-heading">"Anthropic MCP tunnel"</h2>
            <div class="toolbar">
                <label class="check"><input type="checkbox" prop:checked=move || include_archived.get()
                    on:change=move |ev| include_archived.set(event_target_checked(&ev))/>" Include archived"</label>
                <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
            </div>
            <NoticeLine notice=notice/>
            {move || listing(list.get(), "No certificates on this tunnel yet.", |items| {
                    let active = items.iter().filter(|c| c.archived_at.is_none()).count();
                    view! {
                        {(active >= 2).then(|| view! {
                            <p class="notice warning" role="status" data-two-active="true">
                                "Two certificates are active (the maximum): archive one before uploading another."
                            </p>
                        })}
                        <table>
                            <thead><tr><th>"ID"</th><th>"Fingerprint (SHA-256)"</th><th>"Expires"</th><th>"State"</th><th></th></tr></thead>
                            <tbody>
                                {items.into_iter().map(|certificate| {
                                    let id = certificate.id.clone();
                                    let archive_id = id.clone();
                                    let archived = certificate.archived_at.is_some();
                                    view! {
                                        <tr data-id=id.clone() data-state=if archived { "archived" } else { "active" }>
                                            <td><code>{id.clone()}</code></td>
                                            <td><code class="print">{certificate.fingerprint.clone()}</code></td>
                                            <td>{certificate.expires_at.clone().unwrap_or_else(|| "never".into())}</td>
                                            <td>{if archived { "archived" } else { "active" }}</td>
                                            <td>{(!archived).then(|| view! {
                                                <button type="button" on:click=move |_| archive(archive_id.clone())>"Archive"</button>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                })}
        </section>
    }
}
