//! The upload panel: the fields the destination's endpoint needs, the Upload button (disabled,
//! with the reason, while anything blocks it), and the upload as certcheck-api's plan
//! ([`Upload`]), driven through certcheck-server: it lists the destination first (every page)
//! and says "Already uploaded" instead of posting a certificate the vendor holds, refuses a third
//! active tunnel certificate, posts once, verifies the answer against the local certificate,
//! and settles a failed request by listing again; "Send again" is offered only when the list
//! proved the certificate absent. This module sends what the plan asks and renders how it
//! ended. The upload is a Leptos `Action`: its pending state is the "Sending…" line, its value
//! the outcome.

use std::sync::Arc;

use certcheck::{Destination, Report};
use certcheck_api::{Difference, ListError, ListProblem, Lost, Outcome as Ended, Reply, Stage, Upload};
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::browser;
use crate::components::connection::{ConnectionFields, Needs};
use crate::components::diagnostics::Diagnostics;
use crate::context::AppState;
use crate::state::{Input, UploadForm, UploadGate, answer_findings, upload_plan};

/// Where an upload stands, as the panel shows it.
#[derive(Clone, Debug)]
enum Outcome {
    /// Nothing sent yet.
    Idle,
    /// Listing or posting.
    Sending,
    /// The vendor's record, verified: `matched` when nothing differs.
    Stored { id: String, report: Arc<Report>, answer: String, matched: bool, how: How, destination: Destination },
    /// The vendor refused.
    Refused(String),
    /// The request failed; the list is being searched.
    Searching(String),
    /// The request failed and the certificate is not in the list: a retry is safe.
    NotStored(String),
    /// The request failed and the list could not be read either: do not retry yet.
    Unknown(String),
    /// The list read before posting could not be read: nothing was sent.
    NotListed(String),
    /// Anthropic: two certificates already active (their ids).
    TwoActive(Vec<String>),
}

/// How the vendor came to hold the certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
enum How {
    /// It already did: nothing was sent (how the record differs from the form, in words).
    AlreadyPresent(Vec<String>),
    /// Posted, and the answer arrived.
    Uploaded,
    /// Posted; the answer was lost, and the list showed it landed.
    Landed,
}

/// The panel.
#[component]
pub fn UploadPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(UploadForm::default());
    let choice = state.choice;
    // Set while a failed request's outcome is being established from the vendor's list.
    let searching = RwSignal::new(None::<String>);
    let upload = Action::new_local(move |plan: &Upload| {
        let plan = plan.clone();
        async move { run(plan, searching).await }
    });
    let outcome = Signal::derive(move || {
        if upload.pending().get() {
            return match searching.get() {
                Some(reason) => Outcome::Searching(reason),
                None => Outcome::Sending,
            };
        }
        upload.value().get().unwrap_or(Outcome::Idle)
    });

    // The leaf's key field is filled from the input when it holds a key (found by the check).
    Effect::new(move |_| {
        let key = state.key_pem.get();
        form.update(|f| {
            f.private_key = key.unwrap_or_default();
            f.send_key = false;
        });
    });
    // A new input or destination starts a new upload.
    Effect::new(move |_| {
        state.input.track();
        choice.track();
        upload.clear();
    });

    let blocked = Memo::new(move |_| {
        let gate = UploadGate {
            stale: state.stale.get(),
            busy: upload.pending().get(),
            verification: state.verification.get(),
            blank: state.input.with(Input::is_blank),
        };
        let report = state.report.get();
        gate.blocked(report.as_deref(), choice.get(), &form.get(), &state.connection.get(), state.sandbox.get())
    });

    let needs = Signal::derive(move || match choice.get().destination {
        Destination::AnthropicTunnel => Needs::Tunnel,
        Destination::CloudflareAccess => Needs::Access,
        _ => Needs::Account,
    });

    let start = move || {
        let Some(report) = state.report.get_untracked() else { return };
        let connection = state.connection.get_untracked();
        let sandbox = state.sandbox.get_untracked();
        let form = form.get_untracked();
        let Ok(plan) = upload_plan(Some(&report), choice.get_untracked(), &form, &connection, sandbox, browser::now())
        else {
            return;
        };
        searching.set(None);
        upload.dispatch_local(plan);
    };

    view! {
        <div class="upload">
            <Show when=move || choice.with(|c| c.destination != Destination::CloudflareGateway)
                fallback=|| view! {
                    <p class="muted">"Gateway CAs are generated by Cloudflare: "
                        <a href="#/manage">"create one under Manage"</a>
                        ", download it, and drop it above to check it."</p>
                }>
                <ConnectionFields needs=needs prefix="upload"/>
                <div class="upload-fields">
                    <Show when=move || choice.with(|c| c.destination != Destination::AnthropicTunnel)>
                        <div class="field">
                            <label for="upload-name">{move || if choice.with(|c| c.destination == Destination::CloudflareAccess) { "Name" } else { "Name (optional)" }}</label>
                            <input id="upload-name" type="text" prop:value=move || form.with(|f| f.name.clone())
                                placeholder=move || state.report.with(|r| r.as_deref().map(crate::state::default_name).unwrap_or_default())
                                on:input=move |ev| form.update(|f| f.name = event_target_value(&ev))/>
                        </div>
                    </Show>
                    <Show when=move || choice.with(|c| c.destination == Destination::CloudflareAccess)>
                        <div class="field">
                            <label for="upload-hostnames">"Hostnames (optional, comma separated)"</label>
                            <input id="upload-hostnames" type="text" prop:value=move || form.with(|f| f.hostnames.clone())
                                on:input=move |ev| form.update(|f| f.hostnames = event_target_value(&ev))/>
                        </div>
                    </Show>
                    <Show when=move || choice.with(|c| c.is_leaf_upload())>
                        <div class="field wide">
                            <label for="upload-key">"Private key (PEM; taken from the input when it holds one)"</label>
                            <textarea id="upload-key" rows="4" spellcheck="false" autocomplete="off"
                                prop:value=move || form.with(|f| f.private_key.clone())
                                on:input=move |ev| form.update(|f| f.private_key = event_target_value(&ev))></textarea>
                        </div>
                        <label class="check key-consent">
                            <input type="checkbox" prop:checked=move || form.with(|f| f.send_key)
                                on:change=move |ev| form.update(|f| f.send_key = event_target_checked(&ev))/>
                            " Send this private key to Cloudflare with the upload"
                        </label>
                    </Show>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="primary" id="upload-button"
                    disabled=move || blocked.get().is_some()
                    aria-describedby="upload-reason"
                    on:click=move |_| start()>"Upload"</button>
                <span id="upload-reason" class="reason">{move || blocked.get().map(|b| b.to_string())}</span>
            </div>
            <OutcomeView outcome=outcome retry=start/>
        </div>
    }
}

/// Sends every request the plan asks for and hands it what came of each; then how it ended.
async fn run(mut plan: Upload, searching: RwSignal<Option<String>>) -> Outcome {
    while let (Some(request), Some(stage)) = (plan.next_request(), plan.stage()) {
        match api::exchange(&request).await {
            Ok(answer) => {
                plan.accept(Reply::Answer { status: answer.status, body: &answer.body });
                if stage == Stage::Posting && plan.stage() == Some(Stage::Settling) {
                    let error = certcheck_api::ApiError::parse(request.vendor, Some(answer.status), &answer.body);
                    searching.set(Some(error.to_string()));
                }
            }
            Err(failure) => {
                let reason = failure.to_string();
                plan.accept(Reply::NoAnswer(&reason));
                if stage == Stage::Posting {
                    searching.set(Some(reason));
                }
            }
        }
    }
    let destination = plan.body().destination();
    plan.into_outcome().map_or(Outcome::Idle, |ended| shown(ended, destination))
}

/// What the panel shows for how the plan ended.
fn shown(ended: Ended, destination: Destination) -> Outcome {
    let stored = |id: &str, report: Report, answer: &[u8], how: How| Outcome::Stored {
        id: id.to_owned(),
        matched: certcheck_api::verified(&report),
        report: Arc::new(answer_findings(report)),
        answer: pretty(answer),
        how,
        destination,
    };
    match ended {
        Ended::AlreadyPresent { record, verification, differences } => {
            let notes = differences.iter().map(difference).collect();
            stored(record.id(), verification, record.to_json().as_bytes(), How::AlreadyPresent(notes))
        }
        Ended::Landed { record, verification, .. } => {
            stored(record.id(), verification, record.to_json().as_bytes(), How::Landed)
        }
        Ended::Uploaded { id, answer, verification: Ok(report) } => {
            stored(id.as_deref().unwrap_or_default(), report, &answer, How::Uploaded)
        }
        Ended::Uploaded { verification: Err(error), .. } => {
            Outcome::Refused(format!("The answer could not be verified: {error}"))
        }
        Ended::TunnelFull { active } => Outcome::TwoActive(active.into_iter().map(|c| c.id).collect()),
        Ended::Refused { error, .. } => Outcome::Refused(error.to_string()),
        Ended::NotStored { lost } => Outcome::NotStored(lost_text(&lost)),
        Ended::NotListed(problem) => Outcome::NotListed(list_text(&problem)),
        Ended::Unknown { lost, list } => {
            Outcome::Unknown(format!("{} Listing the certificates failed too: {}", lost_text(&lost), list_text(&list)))
        }
    }
}

/// How the stored record differs from the form, as the panel says it.
fn difference(difference: &Difference) -> String {
    match difference {
        Difference::Name { stored, asked } => {
            format!("It is stored under the name \"{stored}\", not \"{asked}\": an upload does not rename it.")
        }
        Difference::Hostnames { missing, .. } => {
            format!("It is not associated with {}: change its hostnames under Manage.", missing.join(", "))
        }
    }
}

/// Why the post has no usable answer, as the panel says it.
fn lost_text(lost: &Lost) -> String {
    match lost {
        Lost::NotSent(reason) | Lost::NoAnswer(reason) => reason.clone(),
        Lost::Failed(error) => error.to_string(),
    }
}

/// Why a list could not be read, in the words of the app's other failures.
fn list_text(problem: &ListProblem) -> String {
    match problem {
        ListProblem::List(ListError::Vendor(error)) => Failure::Vendor(error.clone()).to_string(),
        ListProblem::List(ListError::Shape { reason }) => Failure::Shape { reason: reason.clone() }.to_string(),
        ListProblem::List(ListError::Endless) => Failure::Endless.to_string(),
        ListProblem::List(other) => other.to_string(),
        ListProblem::NotSent(reason) | ListProblem::NoAnswer(reason) => reason.clone(),
    }
}

fn pretty(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned())
}

#[component]
fn OutcomeView(
    /// Where the upload stands.
    outcome: Signal<Outcome>,
    /// Sends the upload again (offered only when the list proved it absent).
    retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        match outcome.get() {
        Outcome::Idle => ().into_any(),
        Outcome::Sending => view! { <p class="outcome" role="status" data-outcome="sending">"Sending…"</p> }.into_any(),
        Outcome::Searching(reason) => view! {
            <p class="outcome" role="status" data-outcome="searching">{reason}" Looking for it in the vendor's list before anything is sent again…"</p>
        }.into_any(),
        Outcome::TwoActive(active) => view! {
            <div class="outcome warning" role="alert" data-outcome="two-active">
                <p><strong>"Not sent: this tunnel already has two active certificates"</strong>
                    {format!(" ({})", active.join(", "))}
                    " (Anthropic allows two, for rotation). "<a href="#/manage">"Archive one under Manage"</a>", then upload again."</p>
            </div>
        }.into_any(),
        Outcome::Refused(reason) => view! {
            <div class="outcome error" role="alert" data-outcome="refused"><p><strong>"Refused: "</strong>{reason}</p></div>
        }.into_any(),
        Outcome::NotListed(reason) => view! {
            <div class="outcome error" role="alert" data-outcome="not-listed">
                <p><strong>"Not sent: "</strong>"the vendor's list could not be read, so whether it already holds this certificate is unknown. "{reason}</p>
            </div>
        }.into_any(),
        Outcome::Unknown(reason) => view! {
            <div class="outcome error" role="alert" data-outcome="unknown">
                <p><strong>"Outcome unknown: "</strong>{reason}</p>
                <p>"Check the list under Manage before sending again, so nothing is stored twice."</p>
            </div>
        }.into_any(),
        Outcome::NotStored(reason) => view! {
            <div class="outcome warning" role="alert" data-outcome="not-stored">
                <p><strong>"Not stored: "</strong>{reason}" The vendor's list does not hold this certificate, so sending again is safe."</p>
                <button type="button" on:click=move |_| retry()>"Send again"</button>
            </div>
        }.into_any(),
        Outcome::Stored { id, report, answer, matched, how, destination } => {
            let report = Signal::derive(move || Some(Arc::clone(&report)));
            let headline = match (matched, &how) {
                (true, How::AlreadyPresent(_)) => "Already uploaded: the vendor already holds exactly this certificate; nothing was sent.",
                (false, How::AlreadyPresent(_)) => "Already uploaded, but the vendor's record differs from the local certificate; nothing was sent:",
                (true, How::Uploaded) => "Verified: the vendor stored exactly this certificate.",
                (true, How::Landed) => "Verified: the request failed, but the vendor had stored it; it was not sent again.",
                (false, _) => "Stored, but the vendor's answer differs from the local certificate:",
            };
            let name = match (matched, &how) {
                (_, How::AlreadyPresent(_)) => "already-present",
                (true, _) => "verified",
                (false, _) => "mismatch",
            };
            let notes = match how {
                How::AlreadyPresent(notes) => notes,
                How::Uploaded | How::Landed => Vec::new(),
            };
            view! {
                <div class=if matched { "outcome ok" } else { "outcome error" } role="status"
                    data-outcome=name data-verified=if matched { "true" } else { "false" } data-id=id.clone()>
                    <p><strong>{headline}</strong>{(!id.is_empty()).then(|| format!(" ID {id}."))}</p>
                    {notes.into_iter().map(|note| view! { <p class="note">{note}</p> }).collect_view()}
                    <p class="muted">{crate::state::compared(destination)}</p>
                    <Diagnostics report=report interactive=false/>
                    <details><summary>"The vendor's answer"</summary><pre class="answer">{answer}</pre></details>
                </div>
            }.into_any()
        }
    }
    }
}
