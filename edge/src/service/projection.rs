//! Pure projections of stored records: the public tracking view of a shipment, and the health a
//! retailer's list shows. No storage, no clock of their own: every use case that answers about a
//! shipment calls these, so the widget, the order page and the list always agree.

use chrono::{DateTime, TimeDelta, Utc};
use waypost_shared::detect::Carrier;
use waypost_shared::eta::{EtaSource, EtaWindow, TransitRange};
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::health::{HealthSchedule, Route};
use waypost_shared::labels::Lang;
use waypost_shared::status::{StatusDetail, SubStatus};
use waypost_shared::timeline::Timeline;
use waypost_shared::view::{ShipmentFacts, tracking_view};
use waypost_shared::wire::TrackingView;

use super::store::{OrderRecord, ShipmentRecord, ShopRecord};

/// The tracking view of a stored shipment with its events and order (and the hand-over to its
/// last-mile carrier, when it had one).
pub fn shipment_view(
    shop: &ShopRecord,
    shipment: &ShipmentRecord,
    mut events: Vec<TrackingEvent>,
    order: Option<&OrderRecord>,
    lang: Lang,
    now: DateTime<Utc>,
) -> TrackingView {
    if let Some(hand_over) = hand_over(shipment, &events) {
        // First, so that a scan at the same instant reads as coming after it.
        events.insert(0, hand_over);
    }
    let timeline = Timeline::new(events);
    let context = Context::new(shop, shipment, order);
    let destination = Place {
        city: shipment.dest_city.clone(),
        region: shipment.dest_region.clone(),
        country: shipment.dest_country.clone(),
    };
    let has_destination = destination != Place::default();
    let facts = ShipmentFacts {
        tracking_number: shipment.tracking_number.as_str(),
        carrier: shipment.carrier,
        timeline: &timeline,
        status_without_events: StatusDetail::try_new(shipment.status, shipment.sub_status)
            .unwrap_or(StatusDetail::new(shipment.status)),
        etas: &context.etas,
        route: context.route,
        registered_at: Some(shipment.created_at),
        order_reference: shipment.order_number.as_deref(),
        destination: has_destination.then_some(&destination),
        last_mile: shipment
            .last_mile_carrier
            .map(|carrier| (carrier, last_mile_number(shipment))),
    };
    tracking_view(&facts, lang, now)
}

/// The hand-over of a shipment to its last-mile carrier, as an event: in transit, forwarded,
/// reported by its first carrier, at the time of the last-mile carrier's first scan. Derived from
/// the stored facts each time it is shown, so there is exactly one however often (and in whatever
/// order) the answers that named the hand-over arrived; `None` before the last-mile carrier's
/// first scan.
pub fn hand_over(shipment: &ShipmentRecord, events: &[TrackingEvent]) -> Option<TrackingEvent> {
    let to = shipment.last_mile_carrier?;
    let first_scan = events
        .iter()
        .filter(|event| event.carrier == Some(to))
        .min_by_key(|event| event.time.sort_key())?;
    let description = match &shipment.last_mile_number {
        Some(number) => format!("Handed over to {} ({number})", to.name()),
        None => format!("Handed over to {}", to.name()),
    };
    Some(TrackingEvent {
        time: first_scan.time.clone(),
        status: StatusDetail::sub(SubStatus::Forwarded),
        description,
        location: None,
        carrier_code: None,
        carrier: shipment.carrier,
    })
}

/// The number the last-mile carrier tracks a shipment under, when known: its own, or (a postal
/// S10 number, which keeps its number across posts) the shipment's.
fn last_mile_number(shipment: &ShipmentRecord) -> Option<&str> {
    match (&shipment.last_mile_number, shipment.carrier) {
        (Some(number), _) => Some(number.as_str()),
        (None, Some(Carrier::S10)) => Some(shipment.tracking_number.as_str()),
        (None, _) => None,
    }
}

/// The health schedule of a stored shipment, from its row and shop alone: what stores keep with
/// every write of the row so lists and counts by health read an index. (The order's promised
/// window, which the tracking view also weighs, is not part of it.)
pub fn health_schedule(shop: &ShopRecord, shipment: &ShipmentRecord) -> HealthSchedule {
    let context = Context::new(shop, shipment, None);
    let status = StatusDetail::try_new(shipment.status, shipment.sub_status)
        .unwrap_or(StatusDetail::new(shipment.status));
    HealthSchedule::of(
        status,
        Some(shipment.last_event_at.unwrap_or(shipment.created_at)),
        EtaWindow::best(context.etas),
        context.route,
    )
}

/// When an ended shipment's data is due to go: its order's personal data after the shop's
/// retention period, the shipment itself after its history period, both counted from its final
/// status (its last event). `None` while it is not final. Stores keep both with every write of the
/// row, so the cron finds what is due by index.
pub fn ended_dues(shop: &ShopRecord, shipment: &ShipmentRecord) -> Option<EndedDues> {
    if !shipment.status.is_final() {
        return None;
    }
    let ended = shipment.last_event_at.unwrap_or(shipment.updated_at);
    let after = |days: u16| ended.checked_add_signed(TimeDelta::days(days.into()));
    Some(EndedDues {
        erase_at: after(shop.retention_days)?,
        delete_at: after(shop.history_days)?,
    })
}

/// The instants of [`ended_dues`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndedDues {
    /// From then on, the personal data of its order (or its own postal code) goes.
    pub erase_at: DateTime<Utc>,
    /// From then on, the shipment goes.
    pub delete_at: DateTime<Utc>,
}

/// The carrier ETA of a stored shipment, when it has a whole window.
pub fn carrier_eta(shipment: &ShipmentRecord) -> Option<EtaWindow> {
    window(shipment.eta_from, shipment.eta_to, EtaSource::Carrier)
}

/// The ETAs and route of a shipment.
struct Context {
    etas: Vec<EtaWindow>,
    route: Route,
}

impl Context {
    fn new(shop: &ShopRecord, shipment: &ShipmentRecord, order: Option<&OrderRecord>) -> Self {
        let promised =
            order.and_then(|o| window(o.promised_from, o.promised_to, EtaSource::Promised));
        let shipped_on = shipment
            .shipped_on
            .unwrap_or(shipment.created_at.date_naive());
        let range = TransitRange {
            min_days: shop.transit_min_days,
            max_days: shop.transit_max_days,
        };
        let estimated = EtaWindow::estimated(shipped_on, range);
        Context {
            etas: [carrier_eta(shipment), promised, estimated]
                .into_iter()
                .flatten()
                .collect(),
            route: Route {
                scope: shipment.scope,
                service: shipment.service_level,
            },
        }
    }
}

fn window(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    source: EtaSource,
) -> Option<EtaWindow> {
    match (from, to) {
        (Some(from), Some(to)) => EtaWindow::new(from, to, source).ok(),
        _ => None,
    }
}
