//! The IDs an endpoint needs and the API token. The token lives in memory; "Remember for this
//! tab" keeps the fields in `sessionStorage` (gone when the tab closes); nothing goes to
//! `localStorage`.

use leptos::prelude::*;

use crate::context::AppState;
use crate::state::Connection;

/// Which IDs a form shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Anthropic: tunnel id (and the optional workspace id).
    Tunnel,
    /// Cloudflare Access: account or zone.
    Access,
    /// Cloudflare mTLS and Gateway: account.
    Account,
    /// Everything (the manage page's one form).
    All,
}

/// ID fields plus the token. `prefix` keeps element ids unique when two forms are on a page.
#[component]
pub fn ConnectionFields(
    /// Which IDs to show.
    #[prop(into)]
    needs: Signal<Needs>,
    /// Prefix of the fields' element ids.
    prefix: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let connection = state.connection;
    let id = move |name: &str| format!("{prefix}-{name}");
    let text_field = move |name: &'static str,
                           label: &'static str,
                           get: fn(&Connection) -> &String,
                           set: fn(&mut Connection, String)| {
        let field_id = id(name);
        view! {
            <div class="field">
                <label for=field_id.clone()>{label}</label>
                <input id=field_id type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || connection.with(|c| get(c).clone())
                    on:input=move |ev| connection.update(|c| set(c, event_target_value(&ev)))/>
            </div>
        }
    };
    view! {
        <div class="connection">
            {move || match needs.get() {
                Needs::Tunnel => view! {
                    {text_field("tunnel", "Tunnel ID", |c| &c.tunnel_id, |c, v| c.tunnel_id = v)}
                    {text_field("workspace", "Workspace ID (optional)", |c| &c.workspace_id, |c, v| c.workspace_id = v)}
                }.into_any(),
                Needs::Access => view! {
                    <div class="field">
                        <label for=id("scope")>"Access scope"</label>
                        <select id=id("scope") on:change=move |ev| {
                            let zone = event_target_value(&ev) == "zone";
                            connection.update(|c| c.access_zone = zone);
                        }>
                            <option value="account" selected=move || connection.with(|c| !c.access_zone)>"Account"</option>
                            <option value="zone" selected=move || connection.with(|c| c.access_zone)>"Zone"</option>
                        </select>
                    </div>
                    {move || if connection.with(|c| c.access_zone) {
                        text_field("zone", "Zone ID", |c| &c.zone_id, |c, v| c.zone_id = v).into_any()
                    } else {
                        text_field("account", "Account ID", |c| &c.account_id, |c, v| c.account_id = v).into_any()
                    }}
                }.into_any(),
                Needs::Account => text_field("account", "Account ID", |c| &c.account_id, |c, v| c.account_id = v).into_any(),
                Needs::All => view! {
                    {text_field("tunnel", "Tunnel ID", |c| &c.tunnel_id, |c, v| c.tunnel_id = v)}
                    {text_field("workspace", "Workspace ID (optional)", |c| &c.workspace_id, |c, v| c.workspace_id = v)}
                    {text_field("account", "Account ID", |c| &c.account_id, |c, v| c.account_id = v)}
                    {text_field("zone", "Zone ID", |c| &c.zone_id, |c, v| c.zone_id = v)}
                    <label class="check">
                        <input type="checkbox" prop:checked=move || connection.with(|c| c.access_zone)
                            on:change=move |ev| connection.update(|c| c.access_zone = event_target_checked(&ev))/>
                        " Access: use the zone (not the account)"
                    </label>
                }.into_any(),
            }}
            <div class="field">
                <label for=id("token")>"API token"</label>
                <input id=id("token") type="password" autocomplete="off" spellcheck="false"
                    placeholder=move || if state.sandbox.get() { "not needed in the sandbox" } else { "" }
                    prop:value=move || connection.with(|c| c.token.clone())
                    on:input=move |ev| connection.update(|c| c.token = event_target_value(&ev))/>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || connection.with(|c| c.remember)
                    on:change=move |ev| connection.update(|c| c.remember = event_target_checked(&ev))/>
                " Remember for this tab"
            </label>
        </div>
    }
}
