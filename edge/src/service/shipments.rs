//! Registering shipments and listing them for their shop.

use chrono::{DateTime, SecondsFormat, Utc};
use waypost_shared::eta::{EtaSource, EtaWindow};
use waypost_shared::health::Health;
use waypost_shared::status::Status;
use waypost_shared::wire::{ShipmentInput, ShipmentList, ShipmentSummary};

use super::store::{ShipmentRecord, ShopRecord, Store};
use super::tracking::shipment_health;
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{DEFAULT_PAGE, MAX_FIELD_CHARS, MAX_PAGE};

/// `PUT /v1/shipments/{number}`: creates or updates a shipment; its events are kept.
pub async fn put_shipment(
    store: &impl Store,
    shop: &ShopRecord,
    number: &str,
    input: ShipmentInput,
    now: DateTime<Utc>,
) -> Result<ShipmentRecord> {
    let (number, detection) = validate::tracking_number(number)?;
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
    let detected = detection.candidates.first().map(|c| c.carrier);
    let stamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let existing = store.shipment(&shop.id, &number).await?;
    let record = ShipmentRecord {
        shop_id: shop.id.clone(),
        tracking_number: number,
        order_number,
        carrier: input.carrier.or(detected),
        dest_city,
        dest_region,
        dest_postal_code,
        dest_country,
        scope: input.scope.unwrap_or_default(),
        service_level: input.service_level.unwrap_or_default(),
        eta_from: input.eta.map(|eta| eta.from()),
        eta_to: input.eta.map(|eta| eta.to()),
        shipped_on: input.shipped_on,
        status: existing.as_ref().map_or(Status::InfoReceived, |e| e.status),
        sub_status: existing.as_ref().and_then(|e| e.sub_status),
        last_event_at: existing.as_ref().and_then(|e| e.last_event_at.clone()),
        carrier_checked_at: existing.as_ref().and_then(|e| e.carrier_checked_at.clone()),
        created_at: existing
            .as_ref()
            .map_or_else(|| stamp.clone(), |e| e.created_at.clone()),
        updated_at: stamp,
    };
    store.upsert_shipment(&record).await?;
    Ok(record)
}

/// Filters of `GET /v1/shipments`.
#[derive(Debug, Default, Clone)]
pub struct ListQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this health.
    pub health: Option<Health>,
    /// Continue after this tracking number.
    pub cursor: Option<String>,
    /// Page size.
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
        .map(validate::tracking_number)
        .transpose()?
        .map(|(number, _)| number);
    let scan = if query.health.is_some() {
        MAX_PAGE * 5
    } else {
        limit
    };
    let rows = store
        .list_shipments(&shop.id, query.status, cursor.as_deref(), scan)
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
    let reached_end =
        !more && last_seen.as_deref() == rows.last().map(|r| r.tracking_number.as_str());
    Ok(ShipmentList {
        shipments,
        next_cursor: if reached_end { None } else { last_seen },
    })
}

fn summary(row: &ShipmentRecord, health: Health) -> ShipmentSummary {
    let eta = match (row.eta_from, row.eta_to) {
        (Some(from), Some(to)) => EtaWindow::new(from, to, EtaSource::Carrier).ok(),
        _ => None,
    };
    ShipmentSummary {
        tracking_number: row.tracking_number.clone(),
        carrier: row.carrier,
        order_number: row.order_number.clone(),
        status: row.status,
        sub_status: row.sub_status,
        health,
        last_event_at: row
            .last_event_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc)),
        eta,
    }
}
