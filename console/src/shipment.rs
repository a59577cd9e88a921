//! One shipment: its tracking view as customers see it (status, health, ETA, what to do) and its
//! timeline grouped by local day, newest first, each event in its own local time.

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::event::Place;
use waypost_shared::labels::day_heading;
use waypost_shared::wire::{EventView, TrackingView};

use crate::api::{self, Failure};
use crate::app::{Session, failure_text};
use crate::row::action;

/// The shipment page, from `GET /v1/shipments/{number}`.
#[component]
pub fn Shipment(session: Session, number: String) -> impl IntoView {
    let answer = RwSignal::new(None::<Result<TrackingView, Failure>>);
    let wanted = number.clone();
    spawn_local(async move {
        let found = api::shipment(&wanted).await;
        if matches!(found, Err(Failure::SignedOut)) {
            session.set(None);
        }
        answer.set(Some(found));
    });
    view! {
        <p><a href="#/">"← Needs attention"</a></p>
        <h1>"Shipment " {number}</h1>
        {move || match answer.get() {
            None => view! { <p role="status">"Loading…"</p> }.into_any(),
            Some(Err(Failure::NotFound)) => view! {
                <p class="error" role="alert">"No shipment with this tracking number in your shop."</p>
            }.into_any(),
            Some(Err(failure)) => {
                view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
            }
            Some(Ok(tracking)) => view! { <Tracking tracking /> }.into_any(),
        }}
    }
}

/// The tracking view's facts and timeline.
#[component]
fn Tracking(tracking: TrackingView) -> impl IntoView {
    let status = match &tracking.sub_status_label {
        Some(sub) => format!("{} ({sub})", tracking.status_label),
        None => tracking.status_label.clone(),
    };
    let carrier =
        tracking.carrier.as_ref().map(|carrier| {
            match &carrier.tracking_url {
        Some(url) => view! {
            <a href=url.clone() rel="noopener noreferrer" target="_blank">{carrier.name.clone()}</a>
        }
        .into_any(),
        None => carrier.name.clone().into_any(),
    }
        });
    let actions: Vec<String> = tracking
        .actions
        .iter()
        .map(|required| action(required.actor, required.kind))
        .collect();
    let days: Vec<(String, Vec<EventView>)> = tracking
        .events_by_local_day()
        .into_iter()
        .map(|(day, events)| (day_heading(day, tracking.lang), events.to_vec()))
        .collect();
    view! {
        <dl class="facts">
            <div><dt>"Status"</dt><dd class="status">{status}</dd></div>
            <div>
                <dt>"Health"</dt>
                <dd><span class="badge" data-health=tracking.health.as_str()>{tracking.health_label.clone()}</span></dd>
            </div>
            <div><dt>"Carrier"</dt><dd>{carrier}</dd></div>
            <div><dt>"Order"</dt><dd>{tracking.order_reference.clone().unwrap_or_else(|| "—".into())}</dd></div>
            <div>
                <dt>"Expected"</dt>
                <dd>{tracking.eta.as_ref().map_or_else(|| "—".to_owned(), |eta| format!("{} ({})", eta.label, eta.source_label))}</dd>
            </div>
            <div><dt>"Destination"</dt><dd>{tracking.destination.as_ref().map_or_else(|| "—".to_owned(), place)}</dd></div>
            <div><dt>"To do"</dt><dd>{if actions.is_empty() { "Nothing".to_owned() } else { actions.join("; ") }}</dd></div>
        </dl>
        <h2>"Timeline"</h2>
        <p class="note">"What your customers see, newest first, each event in its own local time."</p>
        {days
            .into_iter()
            .map(|(heading, events)| {
                view! {
                    <h3 class="day">{heading}</h3>
                    <ol class="timeline">
                        {events.into_iter().map(|event| view! { <Event event /> }).collect_view()}
                    </ol>
                }
            })
            .collect_view()}
    }
}

/// One timeline event; the carrier's words are text, never HTML.
#[component]
fn Event(event: EventView) -> impl IntoView {
    view! {
        <li class="event">
            <p class="when">{event.time_label}</p>
            <p class="what"><strong>{event.label}</strong></p>
            <p>{event.description}</p>
            {event.location.as_ref().map(|at| view! { <p class="where">{place(at)}</p> })}
        </li>
    }
}

/// "Brooklyn, NY, US".
fn place(at: &Place) -> String {
    [&at.city, &at.region, &at.country]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
