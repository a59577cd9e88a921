//! Builds the [`TrackingView`] of a shipment from its facts: the one place status, milestones,
//! health, actions, ETA and labels come together, so every caller shows the same answer.

use chrono::{DateTime, Utc};

use crate::action::required_actions;
use crate::detect::{Carrier, detect, formats};
use crate::eta::EtaWindow;
use crate::event::Place;
use crate::health::{HealthInput, Route, assess};
use crate::labels::{Key, Lang, eta_window, event_time};
use crate::milestone::milestones;
use crate::status::StatusDetail;
use crate::timeline::Timeline;
use crate::wire::{ActionView, CarrierRef, EtaView, EventView, MilestoneView, TrackingView};

/// What is known about one shipment.
#[derive(Debug, Clone)]
pub struct ShipmentFacts<'a> {
    /// The normalised tracking number.
    pub tracking_number: &'a str,
    /// The carrier, when known or detected.
    pub carrier: Option<Carrier>,
    /// Its events.
    pub timeline: &'a Timeline,
    /// The status while it has no event yet (e.g. pending, awaiting stock).
    pub status_without_events: StatusDetail,
    /// Every ETA on hand (carrier, promised, estimated); the best is shown.
    pub etas: &'a [EtaWindow],
    /// The route, for stall thresholds.
    pub route: Route,
    /// When the shipment was registered, the activity baseline before any event.
    pub registered_at: Option<DateTime<Utc>>,
    /// The shop's order reference.
    pub order_reference: Option<&'a str>,
    /// Where it is going, no finer than the city.
    pub destination: Option<&'a Place>,
    /// The carrier it was handed over to for the last mile, and the number that carrier tracks
    /// it under when known.
    pub last_mile: Option<(Carrier, Option<&'a str>)>,
}

/// The tracking view of `facts` in `lang`, judged at `now`.
pub fn tracking_view(facts: &ShipmentFacts<'_>, lang: Lang, now: DateTime<Utc>) -> TrackingView {
    let detail = facts
        .timeline
        .current_status()
        .unwrap_or(facts.status_without_events);
    let eta = EtaWindow::best(facts.etas.iter().copied());
    let last_activity = facts
        .timeline
        .latest()
        .map(|event| event.time.latest_utc())
        .or(facts.registered_at);
    let health = assess(HealthInput {
        status: detail,
        last_activity,
        eta,
        route: facts.route,
        now,
    });
    let sub_label = |sub| lang.text(Key::SubStatus(sub)).to_owned();
    TrackingView {
        tracking_number: facts.tracking_number.to_owned(),
        carrier: facts.carrier.map(|carrier| CarrierRef {
            code: carrier,
            name: carrier.name().to_owned(),
            tracking_url: tracking_url(carrier, facts.tracking_number),
        }),
        last_mile: facts.last_mile.map(|(carrier, number)| CarrierRef {
            code: carrier,
            name: carrier.name().to_owned(),
            tracking_url: number.and_then(|number| carrier_page(carrier, number)),
        }),
        status: detail.status(),
        sub_status: detail.sub_status(),
        status_label: lang.text(Key::Status(detail.status())).to_owned(),
        sub_status_label: detail.sub_status().map(sub_label),
        health,
        health_label: lang.text(Key::Health(health)).to_owned(),
        milestones: milestones(detail, facts.timeline.statuses())
            .iter()
            .map(|step| MilestoneView {
                milestone: step.milestone,
                state: step.state,
                warning: step.warning,
                label: lang.text(Key::Milestone(step.milestone)).to_owned(),
            })
            .collect(),
        actions: required_actions(detail)
            .iter()
            .map(|action| ActionView {
                actor: action.actor,
                kind: action.kind,
                label: lang.text(Key::Action(action.kind)).to_owned(),
            })
            .collect(),
        eta: eta.map(|eta| EtaView {
            from: eta.from(),
            to: eta.to(),
            source: eta.source(),
            label: eta_window(&eta, lang),
            source_label: lang.text(Key::EtaSource(eta.source())).to_owned(),
        }),
        events: facts
            .timeline
            .events()
            .iter()
            .map(|event| EventView {
                time: event.time.clone(),
                time_label: event_time(&event.time, lang),
                status: event.status.status(),
                sub_status: event.status.sub_status(),
                label: match event.status.sub_status() {
                    Some(sub) => sub_label(sub),
                    None => lang.text(Key::Status(event.status.status())).to_owned(),
                },
                description: event.description.clone(),
                location: event.location.clone(),
                carrier_code: event.carrier_code.clone(),
                carrier: event.carrier,
            })
            .collect(),
        order_reference: facts.order_reference.map(str::to_owned),
        destination: facts.destination.cloned(),
        stale: false,
        age_seconds: None,
        lang,
    }
}

/// The carrier's tracking page for a number, from the best detected format of that carrier.
fn tracking_url(carrier: Carrier, number: &str) -> Option<String> {
    detect(number)
        .ok()?
        .candidates
        .into_iter()
        .find(|c| c.carrier == carrier)
        .and_then(|c| c.tracking_url)
}

/// The page of a carrier that took a parcel over under `number`: from the number's own format,
/// else (a number of another format the carrier tracks, such as a postal S10 number handed to
/// USPS) from the first of the carrier's formats that has a page.
fn carrier_page(carrier: Carrier, number: &str) -> Option<String> {
    tracking_url(carrier, number).or_else(|| {
        formats()
            .filter(|format| format.carrier == carrier)
            .find_map(|format| format.tracking_url_template)
            .map(|template| template.replace("%s", number))
    })
}
