//! Looking a shipment up: the search form (on the needs-attention and shipments pages), and its
//! results: the shipment with that tracking number (opened at once), else the shipments of the
//! order with that number.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::wire::ShipmentSummary;

use crate::api::{self, Failure};
use crate::app::{Session, failure_text};
use crate::row::Row;

/// The results page for `query`.
#[component]
pub fn Find(session: Session, query: String) -> impl IntoView {
    let found = RwSignal::new(None::<Result<Vec<ShipmentSummary>, Failure>>);
    let now =
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    let wanted = query.clone();
    spawn_local(async move {
        let by_order = match api::shipment(&wanted).await {
            Ok(tracking) => {
                // The search's own entry is replaced, so Back leads to where the search began.
                let encoded: String =
                    js_sys::encode_uri_component(&tracking.tracking_number).into();
                let _ = window()
                    .location()
                    .replace(&format!("#/shipment/{encoded}"));
                return;
            }
            Err(Failure::SignedOut) => Err(Failure::SignedOut),
            Err(_) => api::order_shipments(&wanted).await,
        };
        match by_order {
            Err(Failure::SignedOut) => session.set(None),
            // Refused: not even the shape of an order number, so no order has it.
            Err(Failure::Refused) => found.set(Some(Ok(Vec::new()))),
            other => found.set(Some(other.map(|list| list.shipments))),
        }
    });
    view! {
        <p><a href="#/">"← Needs attention"</a></p>
        <h1>"Shipments for “" {query} "”"</h1>
        {move || match found.get() {
            None => view! { <p role="status">"Searching…"</p> }.into_any(),
            Some(Err(failure)) => {
                view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
            }
            Some(Ok(rows)) if rows.is_empty() => view! {
                <p class="error" role="alert">"No shipment with this tracking or order number in your shop."</p>
            }
            .into_any(),
            Some(Ok(rows)) => view! {
                <ul class="rows">
                    {rows.into_iter().map(|row| view! { <Row row now /> }).collect_view()}
                </ul>
            }
            .into_any(),
        }}
    }
}

/// Looks for a tracking or order number.
#[component]
pub fn Search() -> impl IntoView {
    let number = NodeRef::<Input>::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = number.get_untracked() else {
            return;
        };
        let wanted: String = input.value().split_whitespace().collect();
        if !wanted.is_empty() {
            let encoded: String = js_sys::encode_uri_component(&wanted).into();
            let _ = window().location().set_hash(&format!("/find/{encoded}"));
        }
    };
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for="search">"Find a shipment by tracking or order number"</label>
            <div class="search-row">
                <input id="search" type="search" autocomplete="off" spellcheck="false" node_ref=number />
                <button type="submit">"Find"</button>
            </div>
        </form>
    }
}
