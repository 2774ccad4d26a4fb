//! The check page: destination, input, the report (private-key alert, summary, diagnostics with
//! fixes, certificate cards and chain), then the upload panel.

use leptos::prelude::*;

use crate::app::AppState;
use crate::components::certificates::Certificates;
use crate::components::destination_picker::DestinationPicker;
use crate::components::diagnostics::Diagnostics;
use crate::components::editor::Editor;
use crate::components::upload::UploadPanel;
use crate::state::Input;

/// The main page.
#[component]
pub fn CheckView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = Signal::derive(move || state.report.get());
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
                <Certificates report=report/>
            </section>
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

/// Verdict, counts and timing.
#[component]
fn Summary() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let stale = state.stale.get();
        match state.report.get() {
            None if state.input.with(Input::is_blank) => view! {
                <p class="summary empty" role="status">"Paste a certificate or drop a file: the check runs as you type."</p>
            }
            .into_any(),
            None => view! { <p class="summary" role="status">"Checking…"</p> }.into_any(),
            Some(report) => {
                let verdict = report.verdict.name();
                let certificates = report.certificates.len();
                let errors = crate::state::error_count(&report);
                let warnings = report.diagnostics.iter().filter(|d| d.severity == certcheck::Severity::Warning).count();
                let headline = match verdict {
                    "error" => "Not ready to upload",
                    "warning" => "Uploadable, with warnings",
                    _ => "Ready to upload",
                };
                let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
                view! {
                    <div class="summary" role="status" data-verdict=verdict data-stale=stale.to_string()
                        data-certificates=certificates.to_string() data-checks=move || state.checks.get().to_string()>
                        <span class=format!("badge {verdict}")>{headline}</span>
                        <span>{format!("{} · {} · {}", plural(certificates, "certificate"), plural(errors, "error"), plural(warnings, "warning"))}</span>
                        <span class="muted">{move || format!("checked in {:.1} ms", state.check_ms.get())}</span>
                    </div>
                }
                .into_any()
            }
        }
    }
}
