//! A list of shipments, a page at a time ("More" follows the list's cursor).

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::wire::ShipmentSummary;

use crate::api::{self, Failure};
use crate::app::{Session, failure_text};
use crate::filter::Filter;
use crate::row::Row;

/// Where a list's loading stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    Loading,
    Loaded,
    Failed(Failure),
}

/// The shipments `filter` lets through, from `GET /v1/shipments`, under the heading `title`;
/// `name` tells the list apart on the page (`data-list`, and the heading's id).
#[component]
pub fn ShipmentList(
    session: Session,
    filter: Filter,
    title: &'static str,
    name: &'static str,
) -> impl IntoView {
    let rows = RwSignal::new(Vec::<ShipmentSummary>::new());
    let cursor = RwSignal::new(None::<String>);
    let load = RwSignal::new(Load::Loading);
    let now =
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    let filter = StoredValue::new(filter);
    let fetch = move |after: Option<String>| {
        load.set(Load::Loading);
        let filter = filter.get_value();
        spawn_local(async move {
            match api::shipments(&filter, after.as_deref()).await {
                Ok(page) => {
                    rows.update(|rows| rows.extend(page.shipments));
                    cursor.set(page.next_cursor);
                    load.set(Load::Loaded);
                }
                Err(Failure::SignedOut) => session.set(None),
                Err(failure) => load.set(Load::Failed(failure)),
            }
        });
    };
    fetch(None);
    let id = format!("list-{name}");
    let labelled_by = id.clone();
    view! {
        <section class="list" aria-labelledby=labelled_by>
            <h2 id=id>{title}</h2>
            <ul class="rows" data-list=name>
                <For
                    each=move || rows.get()
                    key=|row| row.tracking_number.clone()
                    children=move |row| view! { <Row row now /> }
                />
            </ul>
            {move || match load.get() {
                Load::Loading => Some(view! { <p role="status">"Loading…"</p> }.into_any()),
                Load::Failed(failure) => {
                    Some(view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any())
                }
                Load::Loaded if rows.with(Vec::is_empty) => {
                    Some(view! { <p class="empty">"None right now."</p> }.into_any())
                }
                Load::Loaded => None,
            }}
            <Show when=move || load.get() == Load::Loaded && cursor.with(Option::is_some)>
                <button type="button" class="more" on:click=move |_| fetch(cursor.get_untracked())>
                    "More" <span class="visually-hidden">{format!(": {title}")}</span>
                </button>
            </Show>
        </section>
    }
}
