//! Certificate cards (subject, issuer, serial, validity bar with days left, key, signature,
//! SAN, key usages, SKI/AKI, CA and path length), the chain of a bundle, and fingerprints in
//! every vendor's spelling with copy buttons.

use std::sync::Arc;

use certcheck::{CertificateInfo, Report};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::state::{days_left, elapsed_per_mille};

/// Cards for every certificate of a report, with the chain above them for bundles.
#[component]
pub fn Certificates(
    /// The report whose certificates to show.
    report: Signal<Option<Arc<Report>>>,
) -> impl IntoView {
    move || {
        let report = report.get()?;
        if report.certificates.is_empty() {
            return None;
        }
        let chain = (report.certificates.len() > 1).then(|| {
            let steps = report
                .certificates
                .iter()
                .map(|certificate| {
                    let role = if certificate.self_signed {
                        "self-signed".to_owned()
                    } else if let Some(issuer) = certificate.issuer_index {
                        format!("issued by #{}", issuer + 1)
                    } else {
                        "issuer not in this input".to_owned()
                    };
                    let kind = if certificate.is_ca { "CA" } else { "leaf" };
                    view! {
                        <li><a href=format!("#cert-{}", certificate.index)>{format!("#{}", certificate.index + 1)}</a>
                            {format!(" {} ({kind}) — {role}", common_name(&certificate.subject))}</li>
                    }
                })
                .collect_view();
            view! {
                <details class="chain" open=report.certificates.len() <= 12>
                    <summary>{format!("Chain: {} certificates", report.certificates.len())}</summary>
                    <ol>{steps}</ol>
                </details>
            }
        });
        let now = browser::now();
        let many = report.certificates.len() > 12;
        let cards = report
            .certificates
            .iter()
            .map(|certificate| card(certificate, now, !many || certificate.index == 0))
            .collect_view();
        Some(view! {
            <div class="certificates">
                {chain}
                {cards}
            </div>
        })
    }
}

fn common_name(subject: &str) -> String {
    certcheck_api::attribute_values(subject, "CN").into_iter().next().unwrap_or_else(|| subject.to_owned())
}

fn card(certificate: &CertificateInfo, now: certcheck::UnixTime, open: bool) -> impl IntoView + use<> {
    let days = days_left(certificate.not_after, now);
    let elapsed = elapsed_per_mille(certificate.not_before, certificate.not_after, now);
    let (validity_class, validity_text) = match days {
        days if days < 0 => ("expired", format!("expired {} days ago", -days)),
        days if days < 30 => ("soon", format!("{days} days left")),
        days => ("ok", format!("{days} days left")),
    };
    let key = &certificate.key;
    let key_text = match (&key.curve, key.bits) {
        (Some(curve), _) => format!("{} {curve}", key.algorithm),
        (None, Some(bits)) => format!("{} {bits} bits", key.algorithm),
        (None, None) => key.algorithm.clone(),
    };
    let ca_text = match (certificate.is_ca, certificate.path_len) {
        (true, Some(length)) => format!("CA (path length {length})"),
        (true, None) => "CA".to_owned(),
        (false, _) => "not a CA (leaf)".to_owned(),
    };
    let list = |items: &[String]| if items.is_empty() { "—".to_owned() } else { items.join(", ") };
    let spellings = &certificate.spellings;
    let prints = [
        ("Anthropic (SHA-256)", spellings.anthropic.clone()),
        ("Cloudflare Access (MD5)", spellings.cloudflare_access.clone()),
        ("Cloudflare Gateway (SHA-256)", spellings.cloudflare_gateway.clone()),
        ("OpenSSL (SHA-256)", spellings.openssl_sha256.clone()),
        ("SHA-1", certificate.fingerprints.sha1.clone()),
    ];
    let number = certificate.index + 1;
    view! {
        <details class="card" id=format!("cert-{}", certificate.index) open=open data-index=certificate.index.to_string()>
            <summary>
                <span class="card-title">{format!("#{number} {}", common_name(&certificate.subject))}</span>
                <span class=format!("pill {validity_class}")>{validity_text.clone()}</span>
                {certificate.is_ca.then(|| view! { <span class="pill">"CA"</span> })}
            </summary>
            <dl>
                <dt>"Subject"</dt><dd>{certificate.subject.clone()}</dd>
                <dt>"Issuer"</dt><dd>{certificate.issuer.clone()}{certificate.self_signed.then_some(" (self-signed)")}</dd>
                <dt>"Serial"</dt><dd><code>{certificate.serial.clone()}</code></dd>
                <dt>"Validity"</dt>
                <dd>
                    <div>{format!("{} → {}", certificate.not_before, certificate.not_after)}</div>
                    <meter class=format!("validity {validity_class}") min="0" max="1000" low="700" high="900" optimum="0"
                        value=elapsed.to_string() aria-label=format!("Validity elapsed: {validity_text}")></meter>
                    <span class="muted">{validity_text.clone()}</span>
                </dd>
                <dt>"Key"</dt><dd>{key_text}</dd>
                <dt>"Signature"</dt><dd>{certificate.signature_algorithm.clone()}</dd>
                <dt>"Basic constraints"</dt><dd>{ca_text}</dd>
                <dt>"Key usage"</dt><dd>{list(&certificate.key_usage)}</dd>
                <dt>"Extended key usage"</dt><dd>{list(&certificate.extended_key_usage)}</dd>
                <dt>"SAN"</dt><dd>{list(&certificate.san)}</dd>
                <dt>"Subject key ID"</dt><dd><code>{certificate.subject_key_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
                <dt>"Authority key ID"</dt><dd><code>{certificate.authority_key_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
            </dl>
            <h4>"Fingerprints"</h4>
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
        </details>
    }
}
