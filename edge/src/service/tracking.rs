//! Reading shipments: the public tracking view, and the health a retailer's list shows.

use chrono::{DateTime, SubsecRound, Utc};
use waypost_shared::eta::{EtaSource, EtaWindow, TransitRange};
use waypost_shared::event::Place;
use waypost_shared::health::{Health, HealthInput, Route, assess};
use waypost_shared::labels::Lang;
use waypost_shared::status::StatusDetail;
use waypost_shared::timeline::Timeline;
use waypost_shared::view::{ShipmentFacts, tracking_view};
use waypost_shared::wire::TrackingView;

use super::carrier_sync::{CarrierSaid, store_answer};
use super::live::{Cache, CarrierHttp, Fetched, LiveCarriers};
use super::store::{OrderRecord, ShipmentHistory, ShipmentRecord, ShopRecord, Store};
use super::validate;
use crate::carriers::{LiveCarrier, Lookup};
use crate::error::{EdgeError, Result};

/// `GET /v1/track/{number}`: the shop's shipment, asked live of its carrier when the shop has
/// that carrier enabled (cached; new carrier events merged with pushed ones and stored). When the
/// carrier cannot be asked, the last known view is served marked `stale` with its age; with
/// nothing known, the 404 carries what detection found.
pub async fn track(
    store: &impl Store,
    live: &LiveCarriers<'_, impl CarrierHttp, impl Cache>,
    shop: &ShopRecord,
    number: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<TrackingView> {
    let (number, detection) = validate::tracking_number(number)?;
    let history = store.shipment_history(&shop.id, &number).await?;
    let carrier = history
        .as_ref()
        .and_then(|h| h.shipment.carrier)
        .or(detection.candidates.first().map(|c| c.carrier))
        .and_then(LiveCarrier::of)
        .filter(|c| shop.live_carriers.contains(&c.carrier()) && live.serves(*c));
    let (history, stale) = match carrier {
        None => (history, false),
        Some(carrier) => match live.lookup(carrier, &number, now).await {
            Ok(Fetched {
                lookup: Lookup::Found(answer),
                fetched_at,
            }) if !stored_since(history.as_ref(), fetched_at) => {
                let said = CarrierSaid {
                    carrier,
                    answer: &answer,
                    fetched_at,
                };
                let stored = store_answer(store, shop, &number, said, history, now).await?;
                (Some(stored), false)
            }
            Ok(_) => (history, false),
            Err(_) => (history, true),
        },
    };
    let Some(history) = history else {
        return Err(EdgeError::NotFound {
            code: "tracking_not_found",
            detail:
                "No shipment with this tracking number yet; the carrier's own page may know more."
                    .into(),
            detection: Some(Box::new(detection)),
        });
    };
    let timeline = Timeline::new(history.events);
    let mut view = shipment_view(
        shop,
        &history.shipment,
        &timeline,
        history.order.as_ref(),
        lang,
        now,
    );
    if stale {
        let shipment = &history.shipment;
        let known_at = shipment
            .carrier_checked_at
            .as_deref()
            .unwrap_or(&shipment.updated_at);
        view.stale = true;
        view.age_seconds =
            parse_instant(known_at).map(|at| u64::try_from((now - at).num_seconds()).unwrap_or(0));
    }
    Ok(view)
}

/// Whether the shop's copy of the shipment already holds the carrier's answer of `fetched_at`
/// (a cached answer may come from another shop's look-up, or predate this shop's shipment).
fn stored_since(history: Option<&ShipmentHistory>, fetched_at: DateTime<Utc>) -> bool {
    history
        .and_then(|h| h.shipment.carrier_checked_at.as_deref())
        .and_then(parse_instant)
        .is_some_and(|checked_at| checked_at >= fetched_at.trunc_subsecs(0))
}

/// The tracking view of a stored shipment.
pub fn shipment_view(
    shop: &ShopRecord,
    shipment: &ShipmentRecord,
    timeline: &Timeline,
    order: Option<&OrderRecord>,
    lang: Lang,
    now: DateTime<Utc>,
) -> TrackingView {
    let context = Context::new(shop, shipment, order);
    let destination = Place {
        city: shipment.dest_city.clone(),
        region: shipment.dest_region.clone(),
        country: shipment.dest_country.clone(),
    };
    let has_destination = destination != Place::default();
    let facts = ShipmentFacts {
        tracking_number: &shipment.tracking_number,
        carrier: shipment.carrier,
        timeline,
        status_without_events: StatusDetail::new(shipment.status),
        etas: &context.etas,
        route: context.route,
        registered_at: context.registered_at,
        order_reference: shipment.order_number.as_deref(),
        destination: has_destination.then_some(&destination),
    };
    tracking_view(&facts, lang, now)
}

/// The health of a stored shipment, from its row alone (for lists).
pub fn shipment_health(shop: &ShopRecord, shipment: &ShipmentRecord, now: DateTime<Utc>) -> Health {
    let context = Context::new(shop, shipment, None);
    let last_activity = shipment
        .last_event_at
        .as_deref()
        .and_then(parse_instant)
        .or(context.registered_at);
    let status = StatusDetail::try_new(shipment.status, shipment.sub_status)
        .unwrap_or(StatusDetail::new(shipment.status));
    assess(HealthInput {
        status,
        last_activity,
        eta: EtaWindow::best(context.etas),
        route: context.route,
        now,
    })
}

/// The ETAs and route of a shipment.
struct Context {
    etas: Vec<EtaWindow>,
    route: Route,
    registered_at: Option<DateTime<Utc>>,
}

impl Context {
    fn new(shop: &ShopRecord, shipment: &ShipmentRecord, order: Option<&OrderRecord>) -> Self {
        let registered_at = parse_instant(&shipment.created_at);
        let window = |from, to, source| match (from, to) {
            (Some(from), Some(to)) => EtaWindow::new(from, to, source).ok(),
            _ => None,
        };
        let carrier = window(shipment.eta_from, shipment.eta_to, EtaSource::Carrier);
        let promised =
            order.and_then(|o| window(o.promised_from, o.promised_to, EtaSource::Promised));
        let shipped_on = shipment
            .shipped_on
            .or(registered_at.map(|at| at.date_naive()));
        let range = TransitRange {
            min_days: shop.transit_min_days,
            max_days: shop.transit_max_days,
        };
        let estimated = shipped_on.map(|day| EtaWindow::estimated(day, range));
        Context {
            etas: [carrier, promised, estimated]
                .into_iter()
                .flatten()
                .collect(),
            route: Route {
                scope: shipment.scope,
                service: shipment.service_level,
            },
            registered_at,
        }
    }
}

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
