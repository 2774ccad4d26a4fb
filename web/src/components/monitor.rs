//! The overview at the top of the manage page: how many certificates each family holds, and
//! every one that is expired or expires within the threshold (30 days unless changed), most
//! urgent first, with its days left, the vendor's spelling of its fingerprint and a link to its
//! row. Read from the same lists as the sections below.

use leptos::prelude::*;

use crate::components::manage::{Holdings, now};
use crate::components::validity::{date, validity_bar};
use crate::context::AppState;
use crate::error::Problem;
use crate::state::monitor::{
    DEFAULT_THRESHOLD_DAYS, Family, Holding, MAX_THRESHOLD_DAYS, Route, Section, count_text, expiring, threshold_days,
};

/// A family's holdings, still loading (`None`) or not readable.
type FamilyHoldings = (Family, Option<Result<Vec<Holding>, Problem>>);

/// The overview.
#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let holdings = expect_context::<Holdings>();
    let now = now();
    let threshold_text = RwSignal::new(DEFAULT_THRESHOLD_DAYS.to_string());
    let threshold = Memo::new(move |_| threshold_days(&threshold_text.get()));
    let families = Memo::new(move |_| {
        let local = state.report.get_untracked();
        Family::ALL
            .map(|family| {
                let loaded = holdings.list(family).get().map(|listed| {
                    listed.map(|records| {
                        records.iter().map(|r| Holding::new(family, &r.stored, local.as_deref(), now)).collect()
                    })
                });
                (family, loaded)
            })
            .to_vec()
    });
    let urgent = Memo::new(move |_| {
        let within = threshold.get().unwrap_or(DEFAULT_THRESHOLD_DAYS);
        families.with(|families| {
            let all: Vec<Holding> =
                families.iter().filter_map(|(_, loaded)| loaded.as_ref()?.as_ref().ok()).flatten().cloned().collect();
            expiring(&all, now, within).into_iter().cloned().collect::<Vec<_>>()
        })
    });
    let within = move || threshold.get().unwrap_or(DEFAULT_THRESHOLD_DAYS);
    view! {
        <section class="panel overview" aria-labelledby="overview-heading" data-overview="true">
            <h2 id="overview-heading">"Overview"</h2>
            <table class="counts">
                <caption>"What each vendor holds"</caption>
                <thead><tr><th scope="col">"Vendor"</th><th scope="col">"Certificates"</th></tr></thead>
                <tbody>
                    {move || families.get().into_iter().map(count_row).collect_view()}
                </tbody>
            </table>
            <div class="field threshold">
                <label for="overview-threshold">"Expiring within (days)"</label>
                <input id="overview-threshold" type="number" min="0" max=MAX_THRESHOLD_DAYS.to_string() inputmode="numeric"
                    aria-invalid=move || threshold.get().is_err().then_some("true")
                    aria-describedby="overview-threshold-problem"
                    prop:value=move || threshold_text.get() on:input=move |ev| threshold_text.set(event_target_value(&ev))/>
                <span id="overview-threshold-problem" class="reason">{move || threshold.get().err()}</span>
            </div>
            {move || {
                let list = urgent.get();
                if list.is_empty() {
                    return view! {
                        <p class="all-clear" data-expiring="0">{format!("Nothing is expired or expires within {} days.", within())}</p>
                    }.into_any();
                }
                let count = list.len();
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="expiring-caption" tabindex="0">
                        <table class="expiring" data-expiring=count.to_string()>
                            <caption id="expiring-caption">
                                {format!("Expired or expiring within {} days: {count}, most urgent first", within())}
                            </caption>
                            <thead><tr>
                                <th scope="col">"Certificate"</th>
                                <th scope="col">"Where"</th>
                                <th scope="col">"Expires"</th>
                                <th scope="col">"Days left"</th>
                                <th scope="col">"Fingerprint"</th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(|holding| urgent_row(holding, now)).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

fn count_row((family, loaded): FamilyHoldings) -> impl IntoView {
    let text = match &loaded {
        None => "Loading…".to_owned(),
        Some(Ok(holdings)) => count_text(family, holdings),
        Some(Err(problem)) => format!("Not read: {problem}"),
    };
    view! {
        <tr data-family=family.name()>
            <th scope="row"><a href=format!("#section-{}", family.name()) on:click=move |ev| scroll_to_section(&ev, family)>
                {format!("{} — {}", family.vendor_name(), family.label().trim_start_matches(family.vendor_name()).trim())}
            </a></th>
            <td>{text}</td>
        </tr>
    }
}

/// Section links stay on the manage page: the section is scrolled to without changing the
/// route.
fn scroll_to_section(ev: &leptos::ev::MouseEvent, family: Family) {
    ev.prevent_default();
    if let Some(section) = document().get_element_by_id(&format!("section-{}", family.name())) {
        section.scroll_into_view();
    }
}

fn urgent_row(holding: Holding, now: certcheck::UnixTime) -> impl IntoView {
    let state = expect_context::<AppState>();
    let href = holding.family.href(&holding.id);
    let route = Route::from_hash(&href);
    let validity = holding.validity(now);
    view! {
        <tr data-family=holding.family.name() data-id=holding.id.clone()>
            <th scope="row">
                <a href=href on:click=move |_| state.route.set(route.clone())>{holding.title()}</a>
                <span class="muted subject">{holding.subject_text().to_owned()}</span>
            </th>
            <td>{holding.family.label()}</td>
            <td>{holding.not_after.map(date)}</td>
            <td>{validity.map(|validity| validity_bar(validity, &holding.title()))}</td>
            <td><span class="muted">{holding.family.fingerprint_label()}</span>" "
                <code class="print">{holding.fingerprint.clone().unwrap_or_else(|| "—".to_owned())}</code></td>
        </tr>
    }
}
