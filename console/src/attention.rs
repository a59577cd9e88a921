//! The landing page once signed in: the counts, a search by tracking or order number, and one list per
//! kind of trouble (action needed, running late, not yet scanned for too long, no recent updates).

use leptos::prelude::*;
use waypost_shared::health::Health;
use waypost_shared::labels::{Key, Lang};

use crate::app::Session;
use crate::counts::Counts;
use crate::filter::Filter;
use crate::find::Search;
use crate::list::ShipmentList;

/// The lists a retailer must look at, most urgent first: each one's filter, heading and name.
/// A stalled parcel the carrier never scanned (a label made, nothing handed over: for a
/// dropshipper, a supplier who has not shipped) is told apart from one that stopped moving.
fn needing_attention() -> [(Filter, &'static str, &'static str); 4] {
    let stalled = |scanned| Filter {
        scanned: Some(scanned),
        ..Filter::health(Health::Stalled)
    };
    let heading = |health| Lang::En.text(Key::Health(health));
    [
        (
            Filter::health(Health::NeedsAction),
            heading(Health::NeedsAction),
            "needs_action",
        ),
        (Filter::health(Health::Late), heading(Health::Late), "late"),
        (
            stalled(false),
            "Not yet scanned for too long",
            "not_scanned",
        ),
        (stalled(true), heading(Health::Stalled), "stalled"),
    ]
}

/// The needs-attention page.
#[component]
pub fn Attention(session: Session) -> impl IntoView {
    view! {
        <h1>"Needs attention"</h1>
        <Search />
        <Counts session />
        {needing_attention()
            .into_iter()
            .map(|(filter, title, name)| view! { <ShipmentList session filter title name /> })
            .collect_view()}
    }
}
