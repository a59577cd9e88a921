//! Storing what a carrier said: its events go through the same idempotent merge as pushed events,
//! its ETA becomes the shipment's carrier ETA, and the shipment remembers when the carrier last
//! answered (the age of a stale answer, and the cron refresh's order).

use chrono::{DateTime, Utc};
use waypost_shared::detect::Carrier;

use super::answers::Answers;
use super::live::Cache;
use super::merge::{Merged, merge};
use super::notice_causes;
use super::store::{ShipmentHistory, ShipmentRecord, ShopRecord, Store, until_written};
use super::tracking_number::TrackingNumber;
use crate::carriers::CarrierAnswer;
use crate::error::Result;

/// A carrier's answer and when it gave it.
#[derive(Debug, Clone, Copy)]
pub struct CarrierSaid<'a> {
    /// The shipment's carrier (asked directly or through the aggregator).
    pub carrier: Carrier,
    pub answer: &'a CarrierAnswer,
    pub fetched_at: DateTime<Utc>,
}

/// Stores a carrier's answer about `number` for `shop`, registering the shipment when the shop
/// did not have it yet (a customer looked its number up on the shop's site and the carrier knew
/// it); returns the history with the answer merged in. Answers built before are never served
/// again.
pub async fn store_answer(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    number: &TrackingNumber,
    said: CarrierSaid<'_>,
    history: Option<ShipmentHistory>,
    now: DateTime<Utc>,
) -> Result<ShipmentHistory> {
    let mut read = history;
    let stored = until_written(async || {
        let history = match read.take() {
            Some(history) => Some(history),
            None => store.shipment_history(&shop.id, number).await?,
        }
        .unwrap_or_else(|| unstored(shop, number, said.carrier, now));
        let before = history.shipment.stored().cloned();
        let Answered { merged, changed } = answered(history, said, now);
        // Already stored, e.g. by a look-up that shared this answer and won the race: writing
        // again would change nothing but race the others.
        if !changed {
            return Ok(Some(merged.history));
        }
        let causes = notice_causes::of_merge(shop, before.as_ref(), &merged.history, now);
        let written = store
            .store_events(shop, &merged.history.shipment, &merged.new, &causes)
            .await?;
        Ok(written.then_some(merged.history))
    })
    .await?;
    answers.shipment_changed(&shop.id, number).await;
    Ok(stored)
}

/// A shipment the shop does not have: nothing known but its number and carrier.
pub fn unstored(
    shop: &ShopRecord,
    number: &TrackingNumber,
    carrier: Carrier,
    now: DateTime<Utc>,
) -> ShipmentHistory {
    ShipmentHistory {
        shipment: ShipmentRecord::new(&shop.id, number.clone(), Some(carrier), now),
        order: None,
        events: Vec::new(),
    }
}

/// A history with a carrier's answer applied, and whether that changed anything.
pub struct Answered {
    pub merged: Merged,
    /// False when the history held the answer already: nothing to write.
    pub changed: bool,
}

/// Applies a carrier's answer to a shipment's history at `now`: its events through the merge,
/// its ETA as the carrier ETA, when it answered, and the last-mile carrier it names (a last-mile
/// number it does not repeat is kept). An answer older than what is stored (a retried push
/// arriving late: its newest event before the shipment's) still adds the events it has, but
/// moves neither the ETA nor the last mile back. Pure.
pub fn answered(history: ShipmentHistory, said: CarrierSaid<'_>, now: DateTime<Utc>) -> Answered {
    let CarrierSaid {
        answer, fetched_at, ..
    } = said;
    let held = holds_answer(&history, fetched_at);
    let before = &history.shipment;
    let kept_before = (
        before.eta_from,
        before.eta_to,
        before.last_mile_carrier,
        before.last_mile_number.clone(),
    );
    let newest_said = answer.events.iter().map(|e| e.time.latest_utc()).max();
    let current = match (newest_said, before.last_event_at) {
        (Some(said), Some(stored)) => said >= stored,
        _ => true,
    };
    let mut merged = merge(history, answer.events_as_they_happened().collect(), now);
    let shipment = &mut merged.history.shipment;
    shipment.carrier_checked_at = shipment.carrier_checked_at.max(Some(fetched_at));
    if !current {
        let changed = !held || !merged.new.is_empty();
        return Answered { merged, changed };
    }
    if let (Some(from), Some(to)) = (answer.eta_from, answer.eta_to) {
        shipment.eta_from = Some(from);
        shipment.eta_to = Some(to.max(from));
    }
    if let Some(last_mile) = &answer.last_mile {
        let number = last_mile
            .number
            .as_deref()
            .and_then(|n| TrackingNumber::normalize(n).ok())
            .filter(|n| *n != shipment.tracking_number);
        let same_carrier = shipment.last_mile_carrier == Some(last_mile.carrier);
        if number.is_some() || !same_carrier {
            shipment.last_mile_number = number;
        }
        shipment.last_mile_carrier = Some(last_mile.carrier);
    }
    let kept_after = (
        shipment.eta_from,
        shipment.eta_to,
        shipment.last_mile_carrier,
        shipment.last_mile_number.clone(),
    );
    let changed = !held || !merged.new.is_empty() || kept_before != kept_after;
    Answered { merged, changed }
}

/// Whether a shop's copy of the shipment already holds the carrier's answer of `fetched_at` (a
/// cached answer may come from another shop's look-up, or predate this shop's shipment).
pub fn holds_answer(history: &ShipmentHistory, fetched_at: DateTime<Utc>) -> bool {
    history
        .shipment
        .carrier_checked_at
        .is_some_and(|checked_at| checked_at >= fetched_at)
}

/// Notes that the carrier was asked about a stored shipment and does not know it (yet), so the
/// cron refresh moves on to others.
pub async fn mark_checked(
    store: &impl Store,
    shop: &ShopRecord,
    shipment: &ShipmentRecord,
    checked_at: DateTime<Utc>,
) -> Result<()> {
    let mut read = Some(shipment.clone());
    until_written(async || {
        let current = match read.take() {
            Some(shipment) => Some(shipment),
            None => {
                store
                    .shipment(&shipment.shop_id, &shipment.tracking_number)
                    .await?
            }
        };
        let Some(mut current) = current else {
            return Ok(Some(()));
        };
        current.carrier_checked_at = Some(checked_at);
        Ok(store
            .save_shipment(shop, &current, &[])
            .await?
            .then_some(()))
    })
    .await
}
