//! The confirmation before a destructive write: a native modal `<dialog>` (focus kept inside,
//! Escape cancels, focus returns to the button that opened it) that names the certificate (name,
//! subject, fingerprint, id), says what will stop working, and, for a tunnel's last active
//! certificate, asks for the tunnel ID to be typed. "Cancel" is focused first. Once an archive
//! or a delete is confirmed, the focus moves to its section's heading (the row is going away;
//! the section's notice says what happened).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::manage_rows::Holdings;
use crate::state::monitor::Section;
use crate::state::write::Write;

/// The page's one dialog, open while [`Holdings::confirm`] holds a write.
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let holdings = expect_context::<Holdings>();
    let dialog: NodeRef<html::Dialog> = NodeRef::new();
    let typed = RwSignal::new(String::new());
    Effect::new(move |_| {
        let open = holdings.confirm.with(Option::is_some);
        let Some(element) = dialog.get() else { return };
        if open && !element.open() {
            typed.set(String::new());
            let _ = element.show_modal();
        } else if !open && element.open() {
            element.close();
        }
    });
    let accepted = Memo::new(move |_| {
        holdings.confirm.with(|confirmation| confirmation.as_ref().is_some_and(|c| typed.with(|t| c.accepts(t))))
    });
    let confirm = move || {
        let Some(confirmation) = holdings.confirm.get_untracked() else { return };
        if confirmation.accepts(&typed.get_untracked()) {
            let removes = matches!(confirmation.write, Write::Archive { .. } | Write::Delete { .. });
            let heading = format!("{}-heading", confirmation.write.family().name());
            holdings.confirm.set(None);
            holdings.write(confirmation.write);
            if removes {
                request_animation_frame(move || {
                    if let Some(heading) = document()
                        .get_element_by_id(&heading)
                        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = heading.focus();
                    }
                });
            }
        }
    };
    view! {
        <dialog class="confirm" node_ref=dialog aria-labelledby="confirm-title" aria-describedby="confirm-consequences"
            on:close=move |_| {
                if holdings.confirm.with_untracked(Option::is_some) {
                    holdings.confirm.set(None);
                }
            }>
            {move || holdings.confirm.get().map(|confirmation| {
                let holding = &confirmation.holding;
                let typed_check = confirmation.typed_check().map(str::to_owned);
                let cancel_first = typed_check.is_none();
                view! {
                    <h2 id="confirm-title">{confirmation.title()}</h2>
                    <dl class="confirm-names">
                        <dt>"Name"</dt><dd>{holding.name.clone().unwrap_or_else(|| holding.title())}</dd>
                        <dt>"Subject"</dt><dd>{holding.subject_text().to_owned()}</dd>
                        <dt>{format!("Fingerprint, {}", holding.family.fingerprint_label())}</dt>
                        <dd><code class="print">{holding.fingerprint.clone().unwrap_or_else(|| "—".to_owned())}</code></dd>
                        <dt>"ID"</dt><dd><code>{holding.id.clone()}</code></dd>
                    </dl>
                    <div id="confirm-consequences" class="consequences">
                        {confirmation.consequences().into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                    </div>
                    {typed_check.map(|wanted| view! {
                        <div class="field">
                            <label for="confirm-typed">{format!("Type the tunnel ID, {wanted}, to confirm")}</label>
                            <input id="confirm-typed" type="text" autocomplete="off" spellcheck="false" autofocus=true
                                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))
                                on:keydown=move |ev| if ev.key() == "Enter" { confirm() }/>
                        </div>
                    })}
                    <div class="dialog-actions">
                        <button type="button" autofocus=cancel_first on:click=move |_| holdings.confirm.set(None)>"Cancel"</button>
                        <button type="button" class="danger solid" disabled=move || !accepted.get() on:click=move |_| confirm()>
                            {confirmation.confirm_label()}
                        </button>
                    </div>
                }
            })}
        </dialog>
    }
}
