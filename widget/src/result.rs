//! A parcel's result (headline, health, ETA, progress, action banner, timeline by local day) and
//! an order's parcels side by side.

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, Timelike};
use leptos::prelude::*;
use waypost_shared::action::Actor;
use waypost_shared::health::Health;
use waypost_shared::labels::{Lang, UiText, day_heading_in, fill};
use waypost_shared::milestone::StepState;
use waypost_shared::status::Status;
use waypost_shared::wire::{CarrierRef, EventView, TrackingView};

use crate::config::Config;
use crate::words;

/// Events shown before "show all".
const COLLAPSED_EVENTS: usize = 5;

/// One parcel.
#[component]
pub fn ParcelResult(config: Config, view: Arc<TrackingView>) -> impl IntoView {
    let lang = config.lang;
    let text = move |key| words::ui(lang, key);
    let health_class = match view.health {
        Health::OnTrack => "wp-badge wp-ok",
        Health::Done => "wp-badge wp-done",
        Health::Stalled | Health::Late => "wp-badge wp-warn",
        Health::NeedsAction => "wp-badge wp-alert",
    };
    let eta = match (&view.eta, view.status) {
        (_, Status::Delivered) => view
            .events
            .first()
            .map(|e| (text(UiText::DeliveredOn), e.time_label.clone())),
        (Some(eta), _) => Some((text(UiText::EstimatedDelivery), eta.label.clone())),
        (None, _) => None,
    };
    let customer_actions: Vec<String> = view
        .actions
        .iter()
        .filter(|a| a.actor == Actor::Customer)
        .map(|a| a.label.clone())
        .collect();
    let total_events = view.events.len();
    let expanded = RwSignal::new(false);
    // Each local day's heading and how many events it has; the events stay in the shared view.
    let days: Vec<(String, usize)> = view
        .events_by_local_day()
        .into_iter()
        .map(|(day, events)| {
            (
                day_heading_in(day, |part| words::date(lang, part)),
                events.len(),
            )
        })
        .collect();
    let events = Arc::clone(&view);
    let timeline = move || {
        let mut budget = if expanded.get() {
            usize::MAX
        } else {
            COLLAPSED_EVENTS
        };
        let mut skipped = 0;
        days.iter()
            .filter_map(|(heading, count)| {
                let shown = budget.min(*count);
                let day = events.events.iter().skip(skipped).take(shown);
                skipped += count;
                budget -= shown;
                (shown > 0).then(|| {
                    view! {
                        <li class="wp-day">
                            <h4 class="wp-day-title">{heading.clone()}</h4>
                            <ol class="wp-events">{day.map(event).collect_view()}</ol>
                        </li>
                    }
                })
            })
            .collect_view()
    };

    view! {
        <article class="wp-parcel">
            <header class="wp-head">
                <h2 class="wp-status">{view.status_label.clone()}</h2>
                <span class=health_class>{view.health_label.clone()}</span>
            </header>
            {view.sub_status_label.clone().map(|sub| view! { <p class="wp-sub">{sub}</p> })}
            {eta.map(|(caption, when)| view! { <p class="wp-eta"><span>{caption}</span>" "<strong>{when}</strong></p> })}
            {view.stale.then(|| view! { <p class="wp-hint">{text(UiText::Stale)}</p> })}
            <ol class="wp-steps" aria-label=text(UiText::Progress)>
                {view.milestones.iter().map(|step| {
                    let state = match step.state {
                        StepState::Done => "wp-step wp-step-done",
                        StepState::Current => "wp-step wp-step-current",
                        StepState::Upcoming => "wp-step",
                    };
                    let current = (step.state == StepState::Current).then_some("step");
                    view! {
                        <li class=state class:wp-step-warning=step.warning aria-current=current>
                            <span class="wp-dot" aria-hidden="true"></span>
                            <span class="wp-step-label">{step.label.clone()}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!customer_actions.is_empty()).then(|| view! {
                <div class="wp-action">
                    <h3>{text(UiText::ActionNeeded)}</h3>
                    <ul>{customer_actions.into_iter().map(|label| view! { <li>{label}</li> }).collect_view()}</ul>
                </div>
            })}
            // "UPS: <number> ↗", then " · USPS ↗" once a last-mile carrier took over (a line
            // may break before the dot, never after it). Both entries are the same types (text,
            // then `carrier_link`), so Leptos builds their view code once: every new view shape
            // costs the download hundreds of bytes.
            <p class="wp-carrier">
                {view.carrier.as_ref().map(|c| [c.name.as_str(), ": "].concat())}
                <span class="wp-number">{view.tracking_number.clone()}</span>
                {view.carrier.as_ref().and_then(|c| carrier_link(lang, c))}
                {view.last_mile.as_ref().map(|c| [" ·\u{a0}", c.name.as_str()].concat())}
                {view.last_mile.as_ref().and_then(|c| carrier_link(lang, c))}
            </p>
            <h3 class="wp-history-title">{text(UiText::History)}</h3>
            <ol class="wp-timeline">{timeline}</ol>
            {(total_events > COLLAPSED_EVENTS).then(|| view! {
                <button type="button" class="wp-link wp-expand" aria-expanded=move || if expanded.get() { "true" } else { "false" }
                    on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() {
                        text(UiText::ShowLess).to_owned()
                    } else {
                        fill(text(UiText::ShowAll), &[("count", &total_events.to_string())])
                    }}
                </button>
            })}
        </article>
    }
}

/// A carrier's "↗" link to its own tracking page in a new tab, named for screen readers ("Track
/// it on the USPS website"); nothing when it has no page. The name is text, never HTML.
fn carrier_link(lang: Lang, carrier: &CarrierRef) -> Option<impl IntoView + use<>> {
    let url = carrier.tracking_url.clone()?;
    let label = fill(
        words::ui(lang, UiText::TrackOnCarrierSite),
        &[("carrier", &carrier.name)],
    );
    Some(view! {
        " " <a class="wp-carrier-link" href=url target="_blank" rel="noopener noreferrer"
            aria-label=label>"↗"</a>
    })
}

/// The `datetime` attribute's form of a local time, `2026-11-20T08:02:00`, written by hand:
/// chrono's `Display` would bring its formatting code to the download. The wire's four-digit
/// years fit; fractions of a second are left out.
fn machine_time(time: NaiveDateTime) -> String {
    let date = (time.year() as u64 * 100 + u64::from(time.month())) * 100 + u64::from(time.day());
    let clock = (time.hour() * 100 + time.minute()) * 100 + time.second();
    let mut digits = date * 1_000_000 + u64::from(clock);
    let mut text = *b"0000-00-00T00:00:00";
    for byte in text.iter_mut().rev().filter(|b| **b == b'0') {
        *byte += (digits % 10) as u8;
        digits /= 10;
    }
    String::from_utf8(text.to_vec()).unwrap_or_default()
}

/// One timeline entry: the carrier's words are text, never HTML.
fn event(event: &EventView) -> impl IntoView + use<> {
    let place = event.location.as_ref().map(|place| {
        [
            place.city.as_deref(),
            place.region.as_deref(),
            place.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    });
    view! {
        <li class="wp-event">
            <time class="wp-time" datetime=machine_time(event.time.local_time())>{event.time_label.clone()}</time>
            <span class="wp-event-label">{event.label.clone()}</span>
            <span class="wp-event-text">{event.description.clone()}</span>
            {place.filter(|p| !p.is_empty()).map(|p| view! { <span class="wp-place">{p}</span> })}
            // Which carrier reported it, when the journey spans several. A `String` like the
            // place's, so both spans share one view type.
            {event.carrier.map(|c| view! { <span class="wp-event-carrier">{c.name().to_owned()}</span> })}
        </li>
    }
}

/// An order: its status, then each parcel side by side.
#[component]
pub fn OrderResult(
    config: Config,
    status: Arc<str>,
    parcels: Vec<Arc<TrackingView>>,
) -> impl IntoView {
    let lang = config.lang;
    let total = parcels.len();
    view! {
        <section class="wp-order">
            <h2 class="wp-status">{String::from(&*status)}</h2>
            <div class="wp-parcels">
                {parcels.into_iter().enumerate().map(|(i, parcel)| {
                    let caption = fill(words::ui(lang, UiText::ParcelOf), &[("n", &(i + 1).to_string()), ("total", &total.to_string())]);
                    view! {
                        <div class="wp-parcel-slot">
                            <p class="wp-parcel-of">{caption}</p>
                            <ParcelResult config=config.clone() view=parcel />
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}
