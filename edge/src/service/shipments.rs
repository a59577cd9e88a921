//! Registering shipments and listing them for their shop.

use chrono::{DateTime, Utc};
use waypost_shared::detect::{Carrier, Detection};
use waypost_shared::health::Health;
use waypost_shared::labels::Lang;
use waypost_shared::status::Status;
use waypost_shared::time::check_date;
use waypost_shared::wire::{ShipmentInput, ShipmentList, ShipmentSummary, TrackingView};

use super::projection::{carrier_eta, shipment_health, shipment_view};
use super::store::{ShipmentRecord, ShopRecord, Store, until_written};
use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{DEFAULT_PAGE, MAX_FIELD_CHARS, MAX_PAGE};

/// `PUT /v1/shipments/{number}`: creates or updates a shipment (its events are kept) and answers
/// its tracking view.
pub async fn put_shipment(
    store: &impl Store,
    shop: &ShopRecord,
    number: &str,
    input: ShipmentInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<TrackingView> {
    let (number, detection) = TrackingNumber::parse(number)?;
    let record = register(store, shop, number, &detection, input, now).await?;
    let events = store.events(&shop.id, &record.tracking_number).await?;
    Ok(shipment_view(shop, &record, events, None, lang, now))
}

/// Creates or updates a shipment of a checked number from the retailer's input; the carrier,
/// when not given, is the one detection ranked first.
async fn register(
    store: &impl Store,
    shop: &ShopRecord,
    number: TrackingNumber,
    detection: &Detection,
    input: ShipmentInput,
    now: DateTime<Utc>,
) -> Result<ShipmentRecord> {
    let order_number = input
        .order_number
        .as_deref()
        .map(validate::order_number)
        .transpose()?;
    let destination = &input.destination;
    let dest_city = validate::text(
        "destination.city",
        destination.city.as_deref(),
        MAX_FIELD_CHARS,
    )?;
    let dest_region = validate::text(
        "destination.region",
        destination.region.as_deref(),
        MAX_FIELD_CHARS,
    )?;
    let dest_postal_code = validate::postal_code(
        "destination.postal_code",
        destination.postal_code.as_deref(),
    )?;
    let dest_country = validate::country("destination.country", destination.country.as_deref())?;
    let shipped_on = input.shipped_on.map(check_date).transpose()?;
    let detected: Option<Carrier> = detection.candidates.first().map(|c| c.carrier);
    until_written(async || {
        let existing = store.shipment(&shop.id, &number).await?;
        let mut record =
            existing.unwrap_or_else(|| ShipmentRecord::new(&shop.id, number.clone(), None, now));
        record.order_number = order_number.clone();
        record.carrier = input.carrier.or(detected);
        record.dest_city = dest_city.clone();
        record.dest_region = dest_region.clone();
        record.dest_postal_code = dest_postal_code.clone();
        record.dest_country = dest_country.clone();
        record.scope = input.scope.unwrap_or_default();
        record.service_level = input.service_level.unwrap_or_default();
        record.eta_from = input.eta.map(|eta| eta.from());
        record.eta_to = input.eta.map(|eta| eta.to());
        record.shipped_on = shipped_on;
        record.updated_at = now;
        Ok(store.save_shipment(&record).await?.then_some(record))
    })
    .await
}

/// Filters of `GET /v1/shipments`.
#[derive(Debug, Default, Clone)]
pub struct ListQuery {
    pub status: Option<Status>,
    pub health: Option<Health>,
    /// Continue after this tracking number.
    pub cursor: Option<String>,
    pub limit: Option<usize>,
}

/// `GET /v1/shipments`: the shop's shipments by tracking number. Health depends on the time, so
/// it is filtered after reading; a page then holds fewer rows, and `next_cursor` continues.
pub async fn list_shipments(
    store: &impl Store,
    shop: &ShopRecord,
    query: ListQuery,
    now: DateTime<Utc>,
) -> Result<ShipmentList> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(EdgeError::bad_request(
            "invalid_query",
            format!("limit must be between 1 and {MAX_PAGE}"),
        ));
    }
    let cursor = query
        .cursor
        .as_deref()
        .map(TrackingNumber::parse)
        .transpose()?
        .map(|(number, _)| number);
    let scan = if query.health.is_some() {
        MAX_PAGE * 5
    } else {
        limit
    };
    let rows = store
        .list_shipments(&shop.id, query.status, cursor.as_ref(), scan)
        .await?;
    let more = rows.len() == scan;
    let mut shipments = Vec::new();
    let mut last_seen = None;
    for row in &rows {
        last_seen = Some(row.tracking_number.clone());
        let health = shipment_health(shop, row, now);
        if query.health.is_some_and(|wanted| wanted != health) {
            continue;
        }
        shipments.push(summary(row, health));
        if shipments.len() == limit {
            break;
        }
    }
    let reached_end = !more && last_seen.as_ref() == rows.last().map(|r| &r.tracking_number);
    Ok(ShipmentList {
        shipments,
        next_cursor: if reached_end {
            None
        } else {
            last_seen.map(|number| number.to_string())
        },
    })
}

fn summary(row: &ShipmentRecord, health: Health) -> ShipmentSummary {
    ShipmentSummary {
        tracking_number: row.tracking_number.to_string(),
        carrier: row.carrier,
        order_number: row.order_number.clone(),
        status: row.status,
        sub_status: row.sub_status,
        health,
        last_event_at: row.last_event_at,
        eta: carrier_eta(row),
    }
}
