//! Storing what a carrier said: its events go through the same idempotent merge as pushed events,
//! its ETA becomes the shipment's carrier ETA, and the shipment remembers when the carrier last
//! answered (the age of a stale answer, and the cron refresh's order).

use chrono::{DateTime, SecondsFormat, Utc};
use waypost_shared::status::Status;

use super::events::merge;
use super::store::{ShipmentHistory, ShipmentRecord, ShopRecord, Store};
use crate::carriers::{CarrierAnswer, LiveCarrier};
use crate::error::Result;

/// A carrier's answer and when it gave it.
#[derive(Debug, Clone, Copy)]
pub struct CarrierSaid<'a> {
    /// Which carrier.
    pub carrier: LiveCarrier,
    /// What it said.
    pub answer: &'a CarrierAnswer,
    /// When it said it.
    pub fetched_at: DateTime<Utc>,
}

/// Stores a carrier's answer about `number` for `shop`, registering the shipment when the shop
/// did not have it yet; returns the history with the answer merged in.
pub async fn store_answer(
    store: &impl Store,
    shop: &ShopRecord,
    number: &str,
    said: CarrierSaid<'_>,
    history: Option<ShipmentHistory>,
    now: DateTime<Utc>,
) -> Result<ShipmentHistory> {
    let CarrierSaid {
        carrier,
        answer,
        fetched_at,
    } = said;
    let history = history.unwrap_or_else(|| ShipmentHistory {
        shipment: registered_by_carrier(shop, number, carrier, now),
        order: None,
        events: Vec::new(),
    });
    let mut merged = merge(history, answer.events.clone(), now);
    let shipment = &mut merged.history.shipment;
    if let (Some(from), Some(to)) = (answer.eta_from, answer.eta_to) {
        shipment.eta_from = Some(from);
        shipment.eta_to = Some(to.max(from));
    }
    shipment.carrier_checked_at = Some(stamp(fetched_at));
    store.store_events(shipment, &merged.new).await?;
    Ok(merged.history)
}

/// Notes that the carrier was asked about a stored shipment and does not know it (yet), so the
/// cron refresh moves on to others.
pub async fn mark_checked(
    store: &impl Store,
    mut shipment: ShipmentRecord,
    checked_at: DateTime<Utc>,
) -> Result<()> {
    shipment.carrier_checked_at = Some(stamp(checked_at));
    store.upsert_shipment(&shipment).await
}

/// A shipment first learnt of from its carrier: a customer looked its number up on the shop's
/// site and the carrier knew it.
fn registered_by_carrier(
    shop: &ShopRecord,
    number: &str,
    carrier: LiveCarrier,
    now: DateTime<Utc>,
) -> ShipmentRecord {
    ShipmentRecord {
        shop_id: shop.id.clone(),
        tracking_number: number.to_owned(),
        order_number: None,
        carrier: Some(carrier.carrier()),
        dest_city: None,
        dest_region: None,
        dest_postal_code: None,
        dest_country: None,
        scope: Default::default(),
        service_level: Default::default(),
        eta_from: None,
        eta_to: None,
        shipped_on: None,
        status: Status::InfoReceived,
        sub_status: None,
        last_event_at: None,
        carrier_checked_at: None,
        created_at: stamp(now),
        updated_at: stamp(now),
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
