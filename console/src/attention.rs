//! The landing page once signed in: the counts, a search by tracking or order number, and one list per
//! health that needs someone (action needed, running late, no recent updates).

use leptos::html::Input;
use leptos::prelude::*;
use waypost_shared::health::Health;

use crate::app::Session;
use crate::counts::Counts;
use crate::list::ShipmentList;

/// The healths a retailer must look at, most urgent first.
const NEEDING_ATTENTION: [Health; 3] = [Health::NeedsAction, Health::Late, Health::Stalled];

/// The needs-attention page.
#[component]
pub fn Attention(session: Session) -> impl IntoView {
    view! {
        <h1>"Needs attention"</h1>
        <Search />
        <Counts session />
        {NEEDING_ATTENTION
            .into_iter()
            .map(|health| view! { <ShipmentList session health /> })
            .collect_view()}
    }
}

/// Looks for a tracking or order number.
#[component]
fn Search() -> impl IntoView {
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
