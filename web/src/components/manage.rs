//! The manage page: the connection, the overview (the monitor), one section per vendor family,
//! and the confirmation dialog. Shared here: [`Holdings`] (each family's list as a
//! `LocalResource` read by every page of the vendor's list, and each family's writes as an
//! `Action`), the list frame (`Transition` → `ErrorBoundary`), a section's notice, and the head
//! every row shares (name, subject, expiry with its validity bar, state, fingerprint).

use certcheck::UnixTime;
use certcheck_api::model::{Envelope, MtlsAssociation};
use certcheck_api::{Endpoint, Generation, Listing, Stored};
use leptos::html;
use leptos::prelude::*;

use crate::api;
use crate::browser;
use crate::components::confirm::ConfirmDialog;
use crate::components::connection::{ConnectionFields, Needs};
use crate::components::manage_access::AccessManager;
use crate::components::manage_anthropic::AnthropicManager;
use crate::components::manage_gateway::GatewayManager;
use crate::components::manage_mtls::MtlsManager;
use crate::components::monitor::Overview;
use crate::components::validity::{date, validity_bar};
use crate::context::AppState;
use crate::error::Problem;
use crate::state::Connection;
use crate::state::monitor::{Family, Holding, Section, SubjectSource};
use crate::state::write::{Confirmation, Done, Write};

/// One stored certificate with what its family adds (mTLS: the services using it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The vendor's record.
    pub stored: Stored,
    /// mTLS: its associations, or why they could not be read; `None` for other families.
    pub associations: Option<Result<Vec<MtlsAssociation>, Problem>>,
}

/// A family's list: every record, or why there is none.
pub type Listed = Result<Vec<Record>, Problem>;

/// What the manage page shares: the four lists, the four families' writes, the archived toggle
/// and the write waiting for confirmation.
#[derive(Clone, Copy)]
pub struct Holdings {
    lists: ByFamily<LocalResource<Listed>>,
    writes: ByFamily<Action<Write, Result<Done, Problem>>>,
    /// Anthropic: list archived certificates too.
    pub include_archived: RwSignal<bool>,
    /// The destructive write the dialog asks about.
    pub confirm: RwSignal<Option<Confirmation>>,
    /// The route changed and the row it names (if any) has not taken the focus yet: a row
    /// re-rendered later (after a write) does not take it again.
    pub focus_pending: RwSignal<bool>,
}

/// One value per family.
#[derive(Clone, Copy)]
struct ByFamily<T> {
    anthropic: T,
    access: T,
    mtls: T,
    gateway: T,
}

impl<T: Copy> ByFamily<T> {
    fn new(mut make: impl FnMut(Family) -> T) -> Self {
        Self {
            anthropic: make(Family::Anthropic),
            access: make(Family::Access),
            mtls: make(Family::Mtls),
            gateway: make(Family::Gateway),
        }
    }

    fn get(&self, family: Family) -> T {
        match family {
            Family::Anthropic => self.anthropic,
            Family::Access => self.access,
            Family::Mtls => self.mtls,
            Family::Gateway => self.gateway,
        }
    }
}

impl Holdings {
    fn new(state: AppState) -> Self {
        let include_archived = RwSignal::new(false);
        let lists = ByFamily::new(|family| {
            LocalResource::new(move || {
                state.sandbox.track();
                let archived = family == Family::Anthropic && include_archived.get();
                let connection = state.connection.get_untracked();
                let generation = state.choice.with_untracked(|c| c.generation);
                let sandbox = state.sandbox.get_untracked();
                load(family, connection, generation, archived, sandbox)
            })
        });
        let writes = ByFamily::new(|family| {
            let list = lists.get(family);
            Action::new_local(move |write: &Write| {
                let write = write.clone();
                let connection = state.connection.get_untracked();
                let generation = state.choice.with_untracked(|c| c.generation);
                let sandbox = state.sandbox.get_untracked();
                async move {
                    let request = write.request(&connection, generation, sandbox)?;
                    let answer = api::send(&request).await;
                    // Whatever happened, the list shows what the vendor holds now.
                    list.refetch();
                    Ok(write.done(&answer?.body))
                }
            })
        });
        Self { lists, writes, include_archived, confirm: RwSignal::new(None), focus_pending: RwSignal::new(true) }
    }

    /// A family's list.
    pub fn list(&self, family: Family) -> LocalResource<Listed> {
        self.lists.get(family)
    }

    /// A family's writes.
    pub fn writes(&self, family: Family) -> Action<Write, Result<Done, Problem>> {
        self.writes.get(family)
    }

    /// Sends a write (already confirmed, or one that needs no confirmation).
    pub fn write(&self, write: Write) {
        self.writes(write.family()).dispatch_local(write);
    }

    /// Reads every family again.
    pub fn refresh_all(&self) {
        for family in Family::ALL {
            self.list(family).refetch();
        }
    }
}

/// Every record of `family`, every page of the vendor's list.
async fn load(
    family: Family,
    connection: Connection,
    generation: Generation,
    include_archived: bool,
    sandbox: bool,
) -> Listed {
    let collection = family.collection(&connection, generation)?;
    let mut options = connection.request_options();
    if family == Family::Anthropic {
        options.list.include_archived = Some(include_archived);
    }
    let listing = Listing::new(collection, connection.credentials(sandbox)?, options);
    let items = api::list_all(listing).await?;
    let mut records = Vec::with_capacity(items.len());
    for stored in items {
        let associations = match &stored {
            Stored::Mtls(certificate) => {
                let account_id = connection.account()?;
                let certificate_id = certificate.id.clone().unwrap_or_default();
                let endpoint = Endpoint::MtlsCertificateAssociations { account_id, certificate_id };
                let request = connection.request(&endpoint, None, sandbox)?;
                let answer = api::send_json::<Envelope<Vec<MtlsAssociation>>>(&request).await;
                Some(answer.map(|envelope| envelope.result.unwrap_or_default()).map_err(Problem::from))
            }
            _ => None,
        };
        records.push(Record { stored, associations });
    }
    Ok(records)
}

/// The page.
#[component]
pub fn ManageView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let holdings = Holdings::new(state);
    provide_context(holdings);
    // Each route (each followed link, even to the same row again) gives its row the focus once.
    Effect::new(move |_| {
        state.route.track();
        holdings.focus_pending.set(true);
    });
    view! {
        <div class="manage-page">
            <section class="panel" aria-labelledby="connection-heading">
                <h2 id="connection-heading">"Connection"</h2>
                <ConnectionFields needs=Needs::All prefix="manage"/>
                <button type="button" on:click=move |_| holdings.refresh_all()>"Reload every list"</button>
            </section>
            <Overview/>
            <AnthropicManager/>
            <AccessManager/>
            <MtlsManager/>
            <GatewayManager/>
            <ConfirmDialog/>
        </div>
    }
}

/// A family's list inside `Transition` → `ErrorBoundary`: "Loading…" the first time, the old
/// rows while it reloads, the problem (with a Retry button) when it fails, `empty` when the
/// vendor holds nothing, else `rows`.
pub fn list_frame<V: IntoView + 'static>(
    family: Family,
    empty: &'static str,
    rows: impl Fn(Vec<Record>) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let holdings = expect_context::<Holdings>();
    let list = holdings.list(family);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=move |errors| view! {
                <div class="notice error" role="alert" data-list-error=family.name()>
                    {move || errors.get().into_iter().map(|(_, error)| view! { <p>{error.to_string()}</p> }).collect_view()}
                    <button type="button" on:click=move |_| list.refetch()>"Retry"</button>
                </div>
            }>
                {move || Suspend::new(async move {
                    list.await.map(|records| {
                        if records.is_empty() {
                            view! { <p class="muted">{empty}</p> }.into_any()
                        } else {
                            rows(records).into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A section's notice: the outcome of its last write, announced politely (an error as an
/// alert, through its own `ErrorBoundary`).
#[component]
pub fn NoticeLine(
    /// The outcome to show.
    #[prop(into)]
    notice: Signal<Option<Result<Done, Problem>>>,
) -> impl IntoView {
    view! {
        <div class="notices" aria-live="polite">
            <ErrorBoundary fallback=|errors| view! {
                <p class="notice error" role="alert">
                    {move || errors.get().into_iter().map(|(_, error)| error.to_string()).collect::<Vec<_>>().join(" ")}
                </p>
            }>
                {move || notice.get().map(|outcome| outcome.map(|done| view! { <p class="notice ok">{done.to_string()}</p> }))}
            </ErrorBoundary>
        </div>
    }
}

/// The head every row shares: its title, id and state; subject (and where it was read),
/// expiry as a date with the validity bar, and the fingerprint in the vendor's spelling. The
/// row is the target of the overview's links: when the route names it, it scrolls into view
/// and takes the focus.
pub fn row_head(holding: &Holding, now: UnixTime) -> impl IntoView + use<> {
    let source = match holding.subject_from {
        SubjectSource::StoredPem => Some("from the PEM the vendor returned"),
        SubjectSource::LocalInput => Some("from the matching certificate on the Check page"),
        SubjectSource::Unknown => None,
    };
    let expiry = holding.not_after.map(|not_after| {
        let validity = holding.validity(now).map(|validity| validity_bar(validity, &holding.title()));
        view! { {date(not_after)}" "{validity} }
    });
    let heading_id = format!("{}-title", holding.family.row_id(&holding.id));
    view! {
        <div class="row-head">
            <h3 class="row-title" id=heading_id>{holding.title()}</h3>
            <code class="row-id">{holding.id.clone()}</code>
            <span class="pill state">{holding.state.clone()}</span>
        </div>
        <dl class="row-facts">
            <div><dt>"Subject"</dt><dd data-subject-from=format!("{:?}", holding.subject_from).to_lowercase()>
                {holding.subject_text().to_owned()}
                {source.map(|source| view! { <span class="muted">{format!(" ({source})")}</span> })}
            </dd></div>
            <div><dt>"Expires"</dt><dd>{expiry.map_or_else(|| view! { "not given" }.into_any(), IntoAny::into_any)}</dd></div>
            <div><dt>{holding.family.fingerprint_label()}</dt><dd>
                <code class="print">{holding.fingerprint.clone().unwrap_or_else(|| "—".to_owned())}</code>
            </dd></div>
        </dl>
    }
}

/// The id of a row's heading (what its buttons are described by).
pub fn row_heading_id(holding: &Holding) -> String {
    format!("{}-title", holding.family.row_id(&holding.id))
}

/// What a row carries for scripts besides its id: `data-state` (tunnel certificates),
/// `data-in-use` (mTLS), `data-status` (Gateway).
#[derive(Clone, Debug, Default)]
pub struct RowData {
    /// `active` or `archived`.
    pub state: Option<&'static str>,
    /// Whether a service uses it.
    pub in_use: Option<bool>,
    /// Gateway's binding status.
    pub status: Option<String>,
}

/// A row's element: its id (the overview links to it), `data-id`, and focus when the route
/// names it.
pub fn row_element<V: IntoView + 'static>(holding: &Holding, data: RowData, children: V) -> impl IntoView + use<V> {
    let state = expect_context::<AppState>();
    let holdings = expect_context::<Holdings>();
    let node: NodeRef<html::Li> = NodeRef::new();
    let family = holding.family;
    let id = holding.id.clone();
    let targeted = {
        let id = id.clone();
        Memo::new(move |_| {
            state.route.with(|route| route.target.as_ref().is_some_and(|(f, t)| *f == family && *t == id))
        })
    };
    Effect::new(move |_| {
        if holdings.focus_pending.get()
            && targeted.get_untracked()
            && let Some(element) = node.get()
        {
            holdings.focus_pending.set(false);
            element.scroll_into_view();
            let _ = element.focus();
        }
    });
    view! {
        <li class="row" class:targeted=move || targeted.get() id=family.row_id(&id) tabindex="-1" node_ref=node
            data-id=id.clone() aria-labelledby=row_heading_id(holding) data-state=data.state
            data-in-use=data.in_use.map(|used| used.to_string()) data-status=data.status>
            {children}
        </li>
    }
}

/// Now, for the rows' days left.
pub fn now() -> UnixTime {
    browser::now()
}
