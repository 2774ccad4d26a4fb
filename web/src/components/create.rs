//! The Create page: pick the destination, make its CA and the server or client certificate it
//! verifies, see the check and verify verdicts, download each file. "Upload this CA" takes the CA
//! to the Check page's upload. The keys never leave the page (they are offered only as
//! downloads); making them is WebCrypto's work, the certificates the worker's (web/worker), both
//! off the page's thread.

use std::sync::Arc;

use certcheck::Destination;
use certcheck_generate::{KeyType, LeafKind};
use certcheck_web_worker::ArtifactReply;
use leptos::prelude::*;

use crate::browser;
use crate::context::AppState;
use crate::state::create::{CreateForm, Created, DESTINATIONS, KEY_TYPES, make};
use crate::state::{Choice, Input};

/// The page.
#[component]
pub fn CreateView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(CreateForm::default());
    let result = RwSignal::new(None::<Result<Arc<Created>, String>>);
    let busy = RwSignal::new(false);
    let kind = Memo::new(move |_| form.with(|f| LeafKind::for_destination(f.destination)));
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        result.set(None);
        let asked = form.get_untracked();
        leptos::task::spawn_local(async move {
            let made = make(asked, browser::now()).await;
            result.set(Some(made.map(Arc::new)));
            busy.set(false);
        });
    };
    let upload_ca = move |_| {
        let Some(Ok(created)) = result.get_untracked() else { return };
        state.input.set(Input::Text(created.made.ca.certificate.clone()));
        state.choice.set(Choice { destination: created.destination, ..Choice::default() });
        let _ = window().location().set_hash("#/");
    };
    view! {
        <section class="panel create" aria-labelledby="create-title">
            <h2 id="create-title">"Create a CA and the certificate it verifies"</h2>
            <p class="hint">
                "certcheck makes the CA to upload and the certificate to present, and checks both before showing them. "
                "The private keys are made by your browser and never leave this page: download them and keep the CA key offline."
            </p>
            <form class="create-form" on:submit=start>
                <div class="field">
                    <label for="create-destination">"Destination"</label>
                    <select id="create-destination" on:change=move |ev| {
                        let name = event_target_value(&ev);
                        if let Some(destination) = DESTINATIONS.iter().find(|d| d.name() == name) {
                            form.update(|f| f.destination = *destination);
                        }
                    }>
                        {DESTINATIONS.iter().map(|destination| {
                            let destination = *destination;
                            view! {
                                <option value=destination.name() selected=move || form.with(|f| f.destination == destination)>
                                    {destination.label()}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || kind.get() == Some(LeafKind::Server)
                    fallback=move || view! {
                        <div class="field">
                            <label for="create-client">"Client name (the certificate's common name)"</label>
                            <input id="create-client" type="text" autocomplete="off" spellcheck="false" required
                                placeholder="device-17"
                                prop:value=move || form.with(|f| f.client_name.clone())
                                on:input=move |ev| form.update(|f| f.client_name = event_target_value(&ev))/>
                        </div>
                    }>
                    <div class="field">
                        <label for="create-domain">"Tunnel domain"</label>
                        <input id="create-domain" type="text" autocomplete="off" spellcheck="false" required
                            placeholder="tunnel.example.com"
                            prop:value=move || form.with(|f| f.tunnel_domain.clone())
                            on:input=move |ev| form.update(|f| f.tunnel_domain = event_target_value(&ev))/>
                    </div>
                </Show>
                <div class="field">
                    <label for="create-key-type">"Key type"</label>
                    <select id="create-key-type" on:change=move |ev| {
                        if let Ok(key_type) = event_target_value(&ev).parse::<KeyType>() {
                            form.update(|f| f.key_type = key_type);
                        }
                    }>
                        {KEY_TYPES.iter().map(|key_type| {
                            let key_type = *key_type;
                            let label = match key_type {
                                KeyType::P256 => "ECDSA P-256 (recommended)",
                                KeyType::P384 => "ECDSA P-384",
                                KeyType::Rsa2048 => "RSA 2048",
                                KeyType::Rsa3072 => "RSA 3072",
                                _ => "RSA 4096",
                            };
                            view! { <option value=key_type.name() selected=move || form.with(|f| f.key_type == key_type)>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="create-passphrase">"Passphrase for the private keys (optional)"</label>
                    <input id="create-passphrase" type="password" autocomplete="new-password"
                        prop:value=move || form.with(|f| f.passphrase.clone())
                        on:input=move |ev| form.update(|f| f.passphrase = event_target_value(&ev))/>
                </div>
                <button type="submit" disabled=move || busy.get()>
                    {move || match kind.get() {
                        Some(LeafKind::Server) => "Make the CA and the server certificate",
                        _ => "Make the CA and a client certificate",
                    }}
                </button>
            </form>
            <div role="status" class="create-status">
                {move || busy.get().then_some("Making the keys and certificates…")}
            </div>
            {move || result.get().map(|result| match result {
                Err(message) => view! { <p role="alert" class="panel error">{format!("Not made: {message}")}</p> }.into_any(),
                Ok(created) => view! { <CreatedView created=created upload_ca=upload_ca/> }.into_any(),
            })}
        </section>
    }
}

/// What was made: both artifacts, the verdicts, the downloads.
#[component]
fn CreatedView(created: Arc<Created>, upload_ca: impl Fn(leptos::ev::MouseEvent) + 'static) -> impl IntoView {
    let verdict = created.made.verify.clone();
    let summary = format!(
        "Made and checked in {:.0} ms (keys by {}). Verify against the CA: {verdict}.",
        created.millis, created.key_source
    );
    let destination = created.destination;
    let encrypted = created.made.encrypted;
    view! {
        <div class="create-result" data-verdict=verdict>
            <p>{summary}</p>
            <ArtifactView artifact=created.made.ca.clone() destination=destination encrypted=encrypted/>
            <ArtifactView artifact=created.made.leaf.clone() destination=destination encrypted=encrypted/>
            <button type="button" on:click=upload_ca>{format!("Upload this CA to {}", destination.label())}</button>
        </div>
    }
}

#[component]
fn ArtifactView(artifact: ArtifactReply, destination: Destination, encrypted: bool) -> impl IntoView {
    let heading = match artifact.stem.as_str() {
        "ca" => format!("CA for {}", destination.label()),
        "server" => "Server certificate".to_owned(),
        _ => "Client certificate".to_owned(),
    };
    let pem_name = format!("{}.pem", artifact.stem);
    let key_name = format!("{}.key", artifact.stem);
    let certificate_pem = artifact.certificate.clone();
    let key_pem = artifact.private_key.clone();
    let (pem_label, key_label) = (format!("Download {pem_name}"), format!("Download {key_name}"));
    let key_note = if encrypted { " (encrypted)" } else { "" };
    let aria = heading.clone();
    view! {
        <article class="artifact" aria-label=aria>
            <h3>{heading}</h3>
            <dl>
                <dt>"Subject"</dt><dd>{artifact.subject.clone()}</dd>
                <dt>"Names"</dt><dd>{artifact.names.join(", ")}</dd>
                <dt>"Valid until"</dt><dd>{artifact.not_after.clone()}</dd>
                <dt>"Fingerprint"</dt><dd class="mono">{artifact.fingerprint.clone()}</dd>
                <dt>"Check"</dt><dd>{artifact.check.clone()}</dd>
            </dl>
            <button type="button" on:click=move |_| { browser::download(&pem_name, &certificate_pem, "application/x-pem-file"); }>{pem_label}</button>
            <button type="button" on:click=move |_| { browser::download(&key_name, &key_pem, "application/x-pem-file"); }>{format!("{key_label}{key_note}")}</button>
        </article>
    }
}
