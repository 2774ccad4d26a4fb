//! The certificates of a report: for more than one, a table with a row per certificate (its
//! name, kind, validity, issuer and what verified its signature); then a card per certificate
//! (subject, issuer, serial, validity bar with days left, key, signature, SAN, key usages,
//! SKI/AKI, CA and path length, fingerprints in every vendor's spelling with copy buttons).
//! Rows and cards are keyed by certificate, so a re-check after an edit re-renders only what
//! changed, and the issuer-and-signature text follows the report without re-rendering them (it
//! changes when signature verification completes); a card's details are rendered when it is
//! opened. Past [`OPEN_CARDS`] certificates (a pasted bundle), the table is what shows at once,
//! and a row's link brings its certificate's card.

use std::sync::Arc;

use certcheck::{CertificateInfo, Report, UnixTime};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::components::validity::{date, validity_bar};
use crate::state::chain_role;
use crate::state::monitor::common_name;
use crate::state::validity::Validity;

/// Up to this many certificates, every card is there and open; past it, a card is there when its
/// row's link asks for it.
const OPEN_CARDS: usize = 12;

/// One certificate as a row and a card show it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    info: CertificateInfo,
    /// The card starts open.
    open: bool,
}

impl Row {
    fn key(&self) -> (usize, String) {
        (self.info.index, self.info.fingerprints.sha256())
    }
}

/// Each certificate's issuer and signature text, by index.
type Roles = Memo<Vec<String>>;

fn role_of(roles: Roles, index: usize) -> impl Fn() -> String + Copy {
    move || roles.with(|roles| roles.get(index).cloned().unwrap_or_default())
}

/// Rows and cards for every certificate of a report.
#[component]
pub fn Certificates(
    /// The report whose certificates to show.
    report: Signal<Option<Arc<Report>>>,
    /// Signatures are still being verified (an unverified one may yet be).
    #[prop(optional, into)]
    verifying: Signal<bool>,
    /// Prefix of the cards' element ids (`cert` on the Check page).
    #[prop(default = "cert")]
    prefix: &'static str,
) -> impl IntoView {
    let now = browser::now();
    // Cards asked for by a row's link (a bundle shows none at first).
    let asked = RwSignal::new(Vec::<usize>::new());
    let rows = Memo::new(move |_| {
        report.with(|report| {
            let Some(report) = report else { return Vec::new() };
            let many = report.certificates.len() > OPEN_CARDS;
            report.certificates.iter().map(|info| Row { info: info.clone(), open: !many }).collect::<Vec<_>>()
        })
    });
    let cards = Memo::new(move |_| {
        let asked = asked.get();
        rows.with(|rows| {
            let many = rows.len() > OPEN_CARDS;
            rows.iter()
                .filter(|row| !many || asked.contains(&row.info.index))
                .map(|row| Row { open: row.open || asked.contains(&row.info.index), ..row.clone() })
                .collect::<Vec<_>>()
        })
    });
    // One handler for every row's link: bring the card, open it, scroll to it.
    let follow = move |ev: leptos::ev::MouseEvent| {
        let Some(link) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[data-index]").ok().flatten())
        else {
            return;
        };
        let Some(index) = link.get_attribute("data-index").and_then(|i| i.parse::<usize>().ok()) else { return };
        ev.prevent_default();
        if !asked.with_untracked(|asked| asked.contains(&index)) {
            asked.update(|asked| asked.push(index));
        }
        request_animation_frame(move || {
            if let Some(card) = document().get_element_by_id(&card_id(prefix, index)) {
                let _ = card.set_attribute("open", "");
                card.scroll_into_view();
                if let Some(summary) = card.query_selector("summary").ok().flatten()
                    && let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>()
                {
                    let _ = summary.focus();
                }
            }
        });
    };
    let roles: Roles = Memo::new(move |_| {
        let verifying = verifying.get();
        report.with(|report| {
            report
                .as_ref()
                .map(|r| r.certificates.iter().map(|c| chain_role(c, verifying)).collect())
                .unwrap_or_default()
        })
    });
    let count = Memo::new(move |_| rows.with(Vec::len));
    view! {
        <Show when=move || { count.get() > 0 }>
            <div class="certificates">
                <Show when=move || { count.get() > 1 }>
                    // Focusable, so the keyboard can scroll it; unnamed, so that "Certificate" stays
                    // the name of one field on the page.
                    <div class="table-scroll" tabindex="0">
                        <table class="chain">
                            <caption>{move || format!("Certificates in this input ({})", count.get())}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">"Certificate"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col">"Validity"</th>
                                    <th scope="col">"Issuer and signature"</th>
                                </tr>
                            </thead>
                            <tbody on:click=follow>
                                <For each=move || rows.get() key=Row::key children=move |row| table_row(&row, now, prefix, roles)/>
                            </tbody>
                        </table>
                    </div>
                </Show>
                <For each=move || cards.get() key=Row::key children=move |row| card(row, now, prefix, roles)/>
            </div>
        </Show>
    }
}

fn card_id(prefix: &str, index: usize) -> String {
    format!("{prefix}-{index}")
}

fn table_row(row: &Row, now: UnixTime, prefix: &'static str, roles: Roles) -> impl IntoView + use<> {
    let info = &row.info;
    let validity = Validity::new(Some(info.not_before), info.not_after, now);
    let index = info.index;
    let target = card_id(prefix, index);
    view! {
        <tr data-index=index.to_string()>
            <td>{format!("#{}", index + 1)}</td>
            <th scope="row"><a href=format!("#{target}") data-index=index.to_string()>{common_name(&info.subject)}</a></th>
            <td>{if info.is_ca { "CA" } else { "leaf" }}</td>
            <td><span class=format!("pill {}", validity.tone.class())>{validity.text()}</span></td>
            <td class="role">{role_of(roles, index)}</td>
        </tr>
    }
}

fn card(row: Row, now: UnixTime, prefix: &'static str, roles: Roles) -> impl IntoView + use<> {
    let open = RwSignal::new(row.open);
    let info = row.info;
    let validity = Validity::new(Some(info.not_before), info.not_after, now);
    let number = info.index + 1;
    let title = format!("#{number} {}", common_name(&info.subject));
    let index = info.index;
    let role = role_of(roles, index);
    view! {
        <details class="card" id=card_id(prefix, index) open=row.open data-index=index.to_string()
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>
                <span class="card-title">{title}</span>
                <span class=format!("pill {}", validity.tone.class())>{validity.text()}</span>
                {info.is_ca.then(|| view! { <span class="pill">"CA"</span> })}
            </summary>
            {move || open.get().then(|| card_body(&info, validity, role))}
        </details>
    }
}

fn card_body<R: Fn() -> String + Copy + Send + Sync + 'static>(
    info: &CertificateInfo,
    validity: Validity,
    role: R,
) -> impl IntoView + use<R> {
    let key = &info.key;
    let key_text = match (&key.curve, key.bits) {
        (Some(curve), _) => format!("{} {curve}", key.algorithm),
        (None, Some(bits)) => format!("{} {bits} bits", key.algorithm),
        (None, None) => key.algorithm.clone(),
    };
    let ca_text = match (info.is_ca, info.path_len) {
        (true, Some(length)) => format!("CA (path length {length})"),
        (true, None) => "CA".to_owned(),
        (false, _) => "not a CA (leaf)".to_owned(),
    };
    let list = |items: &[String]| if items.is_empty() { "—".to_owned() } else { items.join(", ") };
    let spellings = &info.spellings;
    let prints = [
        ("Anthropic (SHA-256)", spellings.anthropic()),
        ("Cloudflare Access (MD5)", spellings.cloudflare_access()),
        ("Cloudflare Gateway (SHA-256)", spellings.cloudflare_gateway()),
        ("OpenSSL (SHA-256)", spellings.openssl_sha256()),
        ("SHA-1", info.fingerprints.sha1()),
    ];
    let number = info.index + 1;
    let name = format!("#{number}");
    view! {
        <dl>
            <dt>"Subject"</dt><dd>{info.subject.clone()}</dd>
            <dt>"Issuer"</dt><dd>{info.issuer.clone()}</dd>
            <dt>"Chain"</dt><dd class="role">{role}</dd>
            <dt>"Serial"</dt><dd><code>{info.serial.clone()}</code></dd>
            <dt>"Validity"</dt>
            <dd>
                <div>{date(info.not_before)}" → "{date(info.not_after)}</div>
                {validity_bar(validity, &name)}
            </dd>
            <dt>"Key"</dt><dd>{key_text}</dd>
            <dt>"Signature"</dt><dd>{info.signature_algorithm.clone()}</dd>
            <dt>"Basic constraints"</dt><dd>{ca_text}</dd>
            <dt>"Key usage"</dt><dd>{list(&info.key_usage)}</dd>
            <dt>"Extended key usage"</dt><dd>{list(&info.extended_key_usage)}</dd>
            <dt>"SAN"</dt><dd>{list(&info.san)}</dd>
            <dt>"Subject key ID"</dt><dd><code>{info.subject_key_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
            <dt>"Authority key ID"</dt><dd><code>{info.authority_key_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
        </dl>
        <h3 class="fingerprints-heading">"Fingerprints"</h3>
        <ul class="fingerprints">
            {prints.into_iter().map(|(label, value)| {
                let copied = RwSignal::new(false);
                let text = value.clone();
                view! {
                    <li>
                        <span class="label">{label}</span>
                        <code class="print">{value}</code>
                        <button type="button" class="copy" aria-label=format!("Copy {label} of #{number}")
                            on:click=move |_| {
                                let text = text.clone();
                                spawn_local(async move { copied.set(browser::copy(&text).await); });
                            }>
                            {move || if copied.get() { "Copied" } else { "Copy" }}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
