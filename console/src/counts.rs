//! How many shipments the shop holds, by health now and by status; each figure opens the
//! shipments page filtered to it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::health::Health;
use waypost_shared::labels::{Key, Lang};
use waypost_shared::wire::ShipmentCounts;

use crate::api::{self, Failure};
use crate::app::{Session, failure_text};

/// Healths in the order the counts list them.
const HEALTHS: [Health; 5] = [
    Health::NeedsAction,
    Health::Late,
    Health::Stalled,
    Health::OnTrack,
    Health::Done,
];

/// The counts, from `GET /v1/shipments/counts`.
#[component]
pub fn Counts(session: Session) -> impl IntoView {
    let counts = RwSignal::new(None::<Result<ShipmentCounts, Failure>>);
    spawn_local(async move {
        let answer = api::counts().await;
        if answer == Err(Failure::SignedOut) {
            session.set(None);
        }
        counts.set(Some(answer));
    });
    view! {
        <section class="counts" aria-labelledby="counts-title">
            <h2 id="counts-title">"Shipments"</h2>
            {move || match counts.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(failure)) => {
                    view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
                }
                Some(Ok(counts)) => view! { <CountList counts /> }.into_any(),
            }}
        </section>
    }
}

/// The figures: every health, then the statuses the shop has shipments in.
#[component]
fn CountList(counts: ShipmentCounts) -> impl IntoView {
    let lang = Lang::En;
    let by_health = HEALTHS
        .into_iter()
        .map(|health| {
            view! {
                <div data-health=health.as_str()>
                    <dt><a href=format!("#/shipments?health={}", health.as_str())>{lang.text(Key::Health(health))}</a></dt>
                    <dd>{counts.by_health.of(health)}</dd>
                </div>
            }
        })
        .collect_view();
    let by_status = counts
        .by_status
        .iter()
        .filter(|line| line.shipments > 0)
        .map(|line| {
            view! {
                <li>
                    <a href=format!("#/shipments?status={}", line.status.as_str())>{lang.text(Key::Status(line.status))}</a>
                    ": " {line.shipments}
                </li>
            }
        })
        .collect_view();
    view! {
        <p><a href="#/shipments">{counts.total} " in all"</a></p>
        <dl class="health-counts">{by_health}</dl>
        <h3>"By status"</h3>
        <ul class="status-counts">{by_status}</ul>
    }
}
