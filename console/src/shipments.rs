//! The shipments page (`#/shipments?status=…&health=…&carrier=…`): every shipment of the shop,
//! narrowed by status, health and carrier, a page at a time, and the CSV file of what the filters
//! let through. The filters live in the address, so the back button and bookmarks keep them.

use leptos::prelude::*;
use waypost_shared::WireEnum;
use waypost_shared::detect::Carrier;
use waypost_shared::health::Health;
use waypost_shared::labels::{Key, Lang};
use waypost_shared::status::Status;

use crate::api;
use crate::app::Session;
use crate::filter::Filter;
use crate::find::Search;
use crate::list::ShipmentList;

/// Rows one CSV file holds at most (the API's `EXPORT_MAX_ROWS`).
const EXPORT_MAX_ROWS: &str = "10,000";

/// The shipments page for `filter`.
#[component]
pub fn Shipments(session: Session, filter: Filter) -> impl IntoView {
    let lang = Lang::En;
    let status = choice(
        "filter-status",
        "Status",
        Status::ALL
            .iter()
            .map(|&status| (status.as_str(), lang.text(Key::Status(status))))
            .collect(),
        filter.status.map(Status::as_str),
        {
            let filter = filter.clone();
            move |value| Filter {
                status: Status::parse(value).ok(),
                ..filter.clone()
            }
        },
    );
    let health = choice(
        "filter-health",
        "Health",
        Health::ALL
            .iter()
            .map(|&health| (health.as_str(), lang.text(Key::Health(health))))
            .collect(),
        filter.health.map(Health::as_str),
        {
            let filter = filter.clone();
            // Whether the carrier scanned the parcel narrows a health's list only.
            move |value| {
                let health = Health::parse(value).ok();
                Filter {
                    health,
                    scanned: filter.scanned.filter(|_| health.is_some()),
                    ..filter.clone()
                }
            }
        },
    );
    let carrier = choice(
        "filter-carrier",
        "Carrier",
        <Carrier as WireEnum>::ALL
            .iter()
            .map(|&carrier| (carrier.as_str(), carrier.name()))
            .collect(),
        filter.carrier.map(Carrier::as_str),
        {
            let filter = filter.clone();
            move |value| Filter {
                carrier: Carrier::parse(value).ok(),
                ..filter.clone()
            }
        },
    );
    let scanned = filter.health.map(|_| {
        choice(
            "filter-scanned",
            "Scanned by the carrier",
            vec![("true", "Yes"), ("false", "Not yet")],
            filter
                .scanned
                .map(|scanned| if scanned { "true" } else { "false" }),
            {
                let filter = filter.clone();
                move |value| Filter {
                    scanned: value.parse().ok(),
                    ..filter.clone()
                }
            },
        )
    });
    let export = api::export_address(&filter);
    view! {
        <h1>"Shipments"</h1>
        <Search />
        <form class="card filters" aria-label="Filters" on:submit=|event| event.prevent_default()>
            <div class="knobs">{status} {health} {carrier} {scanned}</div>
            <div class="actions">
                <a class="button" id="export-csv" href=export download="shipments.csv">"Export CSV"</a>
                <p class="note">{format!("The shipments these filters show, up to {EXPORT_MAX_ROWS} per file.")}</p>
            </div>
        </form>
        <ShipmentList session filter title="Matching shipments" name="shipments" />
    }
}

/// A labelled drop-down of `options` (wire name, label) after "Any"; choosing one shows the
/// filter `change` makes of its wire name (empty for "Any").
fn choice(
    id: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    chosen: Option<&'static str>,
    change: impl Fn(&str) -> Filter + 'static,
) -> impl IntoView {
    let on_change = move |event: leptos::ev::Event| show(&change(&event_target_value(&event)));
    view! {
        <div>
            <label class="field-label" for=id>{label}</label>
            <select id=id on:change=on_change>
                <option value="" selected=chosen.is_none()>"Any"</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! { <option value=value selected=chosen == Some(value)>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Goes to the shipments page of `filter`.
fn show(filter: &Filter) {
    let query = filter.query();
    let hash = if query.is_empty() {
        "/shipments".to_owned()
    } else {
        format!("/shipments?{query}")
    };
    let _ = window().location().set_hash(&hash);
}
