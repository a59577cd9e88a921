//! `GET /v1/track/{number}`: the public tracking view, asked live of the carrier when the shop
//! enabled it.

use chrono::{DateTime, Utc};
use waypost_shared::labels::Lang;
use waypost_shared::wire::TrackingView;

use super::carrier_lookup::Fetched;
use super::carrier_sync::{CarrierSaid, holds_answer, store_answer};
use super::live::{Cache, CarrierHttp, LiveCarriers};
use super::projection::shipment_view;
use super::store::{ShipmentHistory, ShopRecord, Store};
use super::tracking_number::TrackingNumber;
use crate::carriers::{LiveCarrier, Lookup};
use crate::error::{EdgeError, Result};

/// The shop's shipment, asked live of its carrier when the shop has that carrier enabled (cached;
/// new carrier events merged with pushed ones and stored). When the carrier cannot be asked, the
/// last known view is served marked `stale` with its age; with nothing known, the 404 carries what
/// detection found.
pub async fn track(
    store: &impl Store,
    live: &LiveCarriers<'_, impl CarrierHttp, impl Cache>,
    shop: &ShopRecord,
    number: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<TrackingView> {
    let (number, detection) = TrackingNumber::parse(number)?;
    let history = store.shipment_history(&shop.id, &number).await?;
    let carrier = history
        .as_ref()
        .and_then(|h| h.shipment.carrier)
        .or(detection.candidates.first().map(|c| c.carrier))
        .and_then(LiveCarrier::of)
        .filter(|c| shop.live_carriers.contains(&c.carrier()) && live.serves(*c));
    let (history, stale) = match carrier {
        None => (history, false),
        Some(carrier) => match live.lookup(carrier, number.as_str(), now).await {
            Ok(Fetched {
                lookup: Lookup::Found(answer),
                fetched_at,
            }) if !history
                .as_ref()
                .is_some_and(|h| holds_answer(h, fetched_at)) =>
            {
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
    let ShipmentHistory {
        shipment,
        order,
        events,
    } = history;
    let mut view = shipment_view(shop, &shipment, events, order.as_ref(), lang, now);
    if stale {
        let known_at = shipment.carrier_checked_at.unwrap_or(shipment.updated_at);
        view.stale = true;
        view.age_seconds = Some(u64::try_from((now - known_at).num_seconds()).unwrap_or(0));
    }
    Ok(view)
}
