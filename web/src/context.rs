//! `AppState`: the signals every view shares, provided as context by `app::App`. In a module of
//! its own so that the views, which read it, do not import the app that mounts them.

use std::sync::Arc;

use certcheck::Report;
use leptos::prelude::*;

use crate::state::monitor::Route;
use crate::state::{Choice, Connection, Input, Page, Verification};

/// Everything the views share. All fields are signals, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// What the user gave.
    pub input: RwSignal<Input>,
    /// Where it goes.
    pub choice: RwSignal<Choice>,
    /// The check of the latest input and choice (`None` before the first).
    pub report: RwSignal<Option<Arc<Report>>>,
    /// The input changed since `report` was made.
    pub stale: RwSignal<bool>,
    /// How far the report's signatures are verified.
    pub verification: RwSignal<Verification>,
    /// The private key the input holds, as the mTLS leaf upload would send it.
    pub key_pem: RwSignal<Option<String>>,
    /// How long the last check took, in milliseconds (the check that renders first).
    pub check_ms: RwSignal<f64>,
    /// From the first report on screen to every signature verified and the report complete, in
    /// milliseconds (0 when nothing was left to verify).
    pub verify_ms: RwSignal<f64>,
    /// How many checks have finished (tests wait for it to move).
    pub checks: RwSignal<u64>,
    /// The line a clicked diagnostic points at.
    pub highlight: RwSignal<Option<u32>>,
    /// IDs and token.
    pub connection: RwSignal<Connection>,
    /// The server is the sandbox.
    pub sandbox: RwSignal<bool>,
    /// Where the URL's hash points.
    pub route: RwSignal<Route>,
    /// The page shown (changes only when the page does, not with the row a route targets).
    pub page: Memo<Page>,
}
