//! Validity as every page shows it: a date a person reads (the exact RFC 3339 value in its
//! tooltip and `datetime`), and the bar with its colour and days left.

use certcheck::UnixTime;
use leptos::prelude::*;

use crate::state::validity::{Validity, readable_date};

/// A date: `27 Nov 2026`, with the exact instant as tooltip.
pub fn date(time: UnixTime) -> impl IntoView + use<> {
    let exact = time.to_rfc3339();
    view! { <time datetime=exact.clone() title=exact>{readable_date(time)}</time> }
}

/// The validity bar (when the start is known) and the days left, coloured by how close the end
/// is. `what` names the certificate for the bar's accessible name.
pub fn validity_bar(validity: Validity, what: &str) -> impl IntoView + use<> {
    let text = validity.text();
    let tone = validity.tone.class();
    let meter = validity.elapsed.map(|elapsed| {
        view! {
            <meter class=format!("validity {tone}") min="0" max="1000" low="700" high="900" optimum="0"
                value=elapsed.to_string() aria-label=format!("Validity of {what} elapsed: {text}")></meter>
        }
    });
    view! {
        <span class="validity-figures">
            {meter}
            <span class=format!("pill {tone}") data-days-left=validity.days_left.to_string()>{text.clone()}</span>
        </span>
    }
}
