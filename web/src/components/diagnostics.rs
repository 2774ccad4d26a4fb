//! The diagnostics list: errors first, each a list item carrying `data-code`, its message, its
//! position (a click selects the line in the paste area) and, where one exists, a fix button.

use std::sync::Arc;

use certcheck::{Fix, Report};
use leptos::prelude::*;

use crate::app::AppState;
use crate::browser;
use crate::state::ordered;

/// The list. `interactive` adds line selection and fix buttons (the main report); reports of
/// vendor answers are shown without them.
#[component]
pub fn Diagnostics(
    /// The report whose diagnostics to list.
    report: Signal<Option<Arc<Report>>>,
    /// Line selection and fix buttons (the main report only).
    interactive: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
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
        let items = ordered(&report.diagnostics)
            .into_iter()
            .map(|diagnostic| {
                let severity = diagnostic.severity.name();
                let position = match (diagnostic.line, diagnostic.column) {
                    (Some(line), Some(column)) => Some((line, format!("line {line}, column {column}"))),
                    (Some(line), None) => Some((line, format!("line {line}"))),
                    _ => None,
                };
                let about = diagnostic.certificate.map(|index| format!("#{}", index + 1));
                let place = position.map(|(line, text)| {
                    if interactive {
                        view! {
                            <button type="button" class="link" on:click=move |_| state.highlight.set(Some(line))
                                aria-label=format!("Show {text}")>{text.clone()}</button>
                        }
                        .into_any()
                    } else {
                        view! { <span>{text}</span> }.into_any()
                    }
                });
                let fix = diagnostic.fix.filter(|_| interactive).map(|fix| {
                    view! {
                        <button type="button" class="fix" data-fix=fix.name() on:click=move |_| apply(vec![fix])>
                            {format!("Fix: {}", fix.summary())}
                        </button>
                    }
                });
                view! {
                    <li class=format!("diagnostic {severity}") data-code=diagnostic.finding.code() data-severity=severity
                        data-line=diagnostic.line.map(|l| l.to_string())>
                        <span class=format!("severity {severity}")>{severity}</span>
                        <code class="code">{diagnostic.finding.code()}</code>
                        {place}
                        {about.map(|about| view! { <span class="muted">{about}</span> })}
                        <p class="message">{diagnostic.message.clone()}</p>
                        {fix}
                    </li>
                }
            })
            .collect_view();
        Some(
            view! {
                <div class="diagnostics">
                    {all}
                    <ul class="diagnostic-list">{items}</ul>
                </div>
            }
            .into_any(),
        )
    }
}
