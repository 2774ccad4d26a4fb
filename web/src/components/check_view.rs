//! The check page: destination, input, the report (private-key alert, summary, diagnostics with
//! fixes, certificates), the test of a certificate against a pasted CA, then the upload panel.

use leptos::prelude::*;

use crate::components::certificates::Certificates;
use crate::components::destination_picker::DestinationPicker;
use crate::components::diagnostics::Diagnostics;
use crate::components::editor::Editor;
use crate::components::peer_test::PeerTest;
use crate::components::upload::UploadPanel;
use crate::context::AppState;
use crate::state::peer::peer_applies;
use crate::state::{Input, Verification};

/// The main page.
#[component]
pub fn CheckView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = Signal::derive(move || state.report.get());
    let verifying = Memo::new(move |_| matches!(state.verification.get(), Verification::Pending { .. }));
    let peer = Memo::new(move |_| state.report.with(|report| peer_applies(state.choice.get(), report.as_deref())));
    view! {
        <div class="check-page">
            <section class="column input-column" aria-labelledby="input-heading">
                <h2 id="input-heading">"1. What you are about to upload"</h2>
                <DestinationPicker/>
                <Editor/>
            </section>
            <section class="column report-column" aria-labelledby="report-heading">
                <h2 id="report-heading">"2. What certcheck found"</h2>
                <KeyAlert/>
                <Summary/>
                <Diagnostics report=report interactive=true/>
                <Certificates report=report verifying=Signal::from(verifying)/>
            </section>
            <Show when=move || peer.get()>
                // Not a named region: "Certificate" stays the name of one field on the page.
                <section class="peer-row">
                    <h2 id="peer-heading">"Test a certificate against this CA"</h2>
                    <PeerTest/>
                </section>
            </Show>
            <section class="upload-row" aria-labelledby="upload-heading">
                <h2 id="upload-heading">"3. Send it"</h2>
                <UploadPanel/>
            </section>
        </div>
    }
}

/// A private key in the input, flagged where it cannot be missed.
#[component]
fn KeyAlert() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let report = state.report.get()?;
        let first = report.private_keys.first()?;
        let choice = state.choice.get();
        let leaf = choice.is_leaf_upload();
        let matches = first.matches_certificate.map(|index| format!(", matching #{}", index + 1)).unwrap_or_default();
        let count = report.private_keys.len();
        let what = if count == 1 {
            format!("A private key ({}{matches})", first.kind)
        } else {
            format!("{count} private keys")
        };
        let next = if leaf {
            "It stays in this browser unless you tick the confirmation below: only the mTLS leaf upload sends it, to Cloudflare."
        } else {
            "It stays in this browser and is never sent: remove it (fix below) and keep it where it was."
        };
        Some(view! {
            <div class="key-alert" role="alert" data-private-key="true">
                <strong>{format!("{what} is in this input.")}</strong>
                " " {next}
            </div>
        })
    }
}

/// The verdict in words (announced politely when it changes), counts, timing and the progress
/// of signature verification.
#[component]
fn Summary() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The announced text changes only with the verdict and counts, never while typing.
    let headline = Memo::new(move |_| {
        state.report.with(|report| match report {
            None => None,
            Some(report) => {
                let verdict = report.verdict.name();
                let errors = crate::state::error_count(report);
                let warnings = report.diagnostics.iter().filter(|d| d.severity == certcheck::Severity::Warning).count();
                let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
                let badge = match verdict {
                    "error" => "Not ready to upload",
                    "warning" => "Uploadable, with warnings",
                    _ => "Ready to upload",
                };
                let counts = format!(
                    "{} · {} · {}",
                    plural(report.certificates.len(), "certificate"),
                    plural(errors, "error"),
                    plural(warnings, "warning")
                );
                Some((verdict, badge, counts))
            }
        })
    });
    let blank = Memo::new(move |_| state.input.with(Input::is_blank));
    view! {
        <div class="summary" class:empty=move || headline.with(Option::is_none) && blank.get()
            data-verdict=move || headline.with(|h| h.as_ref().map(|(verdict, ..)| *verdict))
            data-stale=move || state.stale.get().to_string()
            data-certificates=move || state.report.with(|r| r.as_ref().map(|r| r.certificates.len().to_string()))
            data-checks=move || state.checks.get().to_string()
            data-signatures=move || state.verification.get().name()
            data-check-ms=move || format!("{:.1}", state.check_ms.get())
            data-verify-ms=move || format!("{:.1}", state.verify_ms.get())>
            <p class="verdict" role="status" aria-live="polite" aria-atomic="true">
                {move || match headline.get() {
                    None if blank.get() => view! { <span>"Paste a certificate or drop a file: the check runs as you type."</span> }.into_any(),
                    None => view! { <span>"Checking…"</span> }.into_any(),
                    Some((verdict, badge, counts)) => view! {
                        <span class=format!("badge {verdict}")>{badge}</span>" "<span>{counts}</span>
                    }.into_any(),
                }}
            </p>
            <span class="muted timing">{move || state.report.with(Option::is_some).then(|| format!("checked in {:.1} ms", state.check_ms.get()))}</span>
            <span class="muted progress">{move || {
                let text = state.verification.get().text()?;
                Some(match crate::worker::failure() {
                    Some(reason) if state.verification.get() == Verification::Unavailable => format!("{text} ({reason})"),
                    _ => text,
                })
            }}</span>
        </div>
    }
}
