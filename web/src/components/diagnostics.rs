//! The diagnostics list: errors first, each a list item carrying `data-code`, its message, its
//! position (a click selects the line in the paste area) and, where one exists, a fix button.
//! A long list shows its first [`SHOWN`] items and a button for the rest.

use std::sync::Arc;

use certcheck::{Diagnostic, Fix, Report};
use leptos::prelude::*;

use crate::browser;
use crate::context::AppState;
use crate::state::ordered;
use crate::state::peer::input_name;

/// Items shown before "Show all".
const SHOWN: usize = 60;

/// The list of a report. `interactive` adds line selection and fix buttons (the main report);
/// reports of vendor answers are shown without them.
#[component]
pub fn Diagnostics(
    /// The report whose diagnostics to list.
    report: Signal<Option<Arc<Report>>>,
    /// Line selection and fix buttons (the main report only).
    interactive: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let show_all = RwSignal::new(false);
    let apply = move |fixes: Vec<Fix>| {
        let choice = state.choice.get_untracked();
        let fixed = state.input.with_untracked(|input| {
            let bytes = certcheck::apply_fixes(input.bytes(), &fixes, &choice.options(browser::now()));
            input.after_fix(bytes)
        });
        state.highlight.set(None);
        state.input.set(fixed);
    };
    move || {
        let report = report.get()?;
        if report.diagnostics.is_empty() {
            return Some(view! { <p class="all-clear">"No problems found."</p> }.into_any());
        }
        let offered = report.offered_fixes();
        let all = (interactive && offered.len() > 1).then(|| {
            let count = offered.len();
            view! {
                <button type="button" class="fix all" on:click=move |_| apply(offered.clone())>
                    {format!("Apply all {count} fixes")}
                </button>
            }
        });
        let ordered = ordered(&report.diagnostics);
        let total = ordered.len();
        let shown = if show_all.get() { total } else { total.min(SHOWN) };
        let items = ordered
            .into_iter()
            .take(shown)
            .map(|diagnostic| item(diagnostic, interactive.then_some((state, apply)), false))
            .collect_view();
        let more = (shown < total).then(|| {
            view! {
                <button type="button" class="link more" on:click=move |_| show_all.set(true)>
                    {format!("Show all {total} diagnostics ({} more)", total - shown)}
                </button>
            }
        });
        Some(
            view! {
                <div class="diagnostics">
                    {all}
                    <ul class="diagnostic-list" aria-label="Diagnostics">{items}</ul>
                    {more}
                </div>
            }
            .into_any(),
        )
    }
}

/// The diagnostics of `verify`, each naming the field it points into.
pub fn peer_diagnostics(diagnostics: &[Diagnostic]) -> impl IntoView + use<> {
    if diagnostics.is_empty() {
        return view! { <p class="all-clear">"No problems found."</p> }.into_any();
    }
    let items =
        ordered(diagnostics).into_iter().map(|diagnostic| item::<fn(Vec<Fix>)>(diagnostic, None, true)).collect_view();
    view! { <ul class="diagnostic-list" aria-label="Diagnostics of the test">{items}</ul> }.into_any()
}

type Interactive<F> = Option<(AppState, F)>;

fn item<F: Fn(Vec<Fix>) + Copy + Send + Sync + 'static>(
    diagnostic: &Diagnostic,
    interactive: Interactive<F>,
    name_input: bool,
) -> impl IntoView + use<F> {
    let severity = diagnostic.severity.name();
    let position = match (diagnostic.line, diagnostic.column) {
        (Some(line), Some(column)) => Some((line, format!("line {line}, column {column}"))),
        (Some(line), None) => Some((line, format!("line {line}"))),
        _ => None,
    };
    let input = name_input.then(|| input_name(diagnostic.input));
    let about = diagnostic.certificate.map(|index| format!("#{}", index + 1));
    let place = position.map(|(line, text)| match interactive {
        Some((state, _)) => view! {
            <button type="button" class="link" on:click=move |_| state.highlight.set(Some(line))
                aria-label=format!("Show {text}")>{text.clone()}</button>
        }
        .into_any(),
        None => view! { <span>{text}</span> }.into_any(),
    });
    let fix = diagnostic.fix.and_then(|fix| {
        let (_, apply) = interactive?;
        Some(view! {
            <button type="button" class="fix" data-fix=fix.name() on:click=move |_| apply(vec![fix])>
                {format!("Fix: {}", fix.summary())}
            </button>
        })
    });
    view! {
        <li class=format!("diagnostic {severity}") data-code=diagnostic.finding.code() data-severity=severity
            data-line=diagnostic.line.map(|l| l.to_string()) data-input=input>
            <span class=format!("severity {severity}")>{severity}</span>
            <code class="code">{diagnostic.finding.code()}</code>
            {input.map(|input| view! { <span class="input-name">{input}</span> })}
            {place}
            {about.map(|about| view! { <span class="muted">{about}</span> })}
            <p class="message">{diagnostic.message.clone()}</p>
            {fix}
        </li>
    }
}
