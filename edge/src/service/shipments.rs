//! Registering shipments and listing them for their shop.

use chrono::{DateTime, Utc};
use waypost_shared::detect::{Carrier, Detection};
use waypost_shared::health::Health;
use waypost_shared::labels::Lang;
use waypost_shared::status::Status;
use waypost_shared::time::check_date;
use waypost_shared::wire::{
    HealthCounts, ShipmentCounts, ShipmentInput, ShipmentList, ShipmentSummary, StatusCount,
    TrackingView,
};

use super::answers::Answers;
use super::list_cursor;
use super::live::Cache;
use super::notice_causes;
use super::projection::{carrier_eta, health_schedule, shipment_view};
use super::shipments_csv;
use super::store::{
    ListPosition, ListedShipment, ShipmentFilter, ShipmentRecord, ShopRecord, Store, until_written,
};
use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{DEFAULT_PAGE, EXPORT_MAX_ROWS, EXPORT_PAGE, MAX_FIELD_CHARS, MAX_PAGE};

/// `PUT /v1/shipments/{number}`: creates or updates a shipment (its events are kept) and answers
/// its tracking view.
pub async fn put_shipment(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    number: &str,
    input: ShipmentInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<TrackingView> {
    let (number, detection) = TrackingNumber::parse(number)?;
    let record = register(store, shop, number, &detection, input, now).await?;
    answers
        .shipment_changed(&shop.id, &record.tracking_number)
        .await;
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
        let mut record = existing
            .clone()
            .unwrap_or_else(|| ShipmentRecord::new(&shop.id, number.clone(), None, now));
        record.order_number = order_number.clone();
        record.carrier = input.carrier.or(detected);
        record.dest_city = dest_city.clone();
        record.dest_region = dest_region.clone();
        record.dest_postal_code = dest_postal_code.clone();
        record.dest_country = dest_country.clone();
        let route = record.carrier.map(Carrier::usual_route).unwrap_or_default();
        record.scope = input.scope.unwrap_or(route.scope);
        record.service_level = input.service_level.unwrap_or(route.service);
        record.eta_from = input.eta.map(|eta| eta.from());
        record.eta_to = input.eta.map(|eta| eta.to());
        record.shipped_on = shipped_on;
        record.updated_at = now;
        let causes = notice_causes::caused(existing.as_ref(), &record, &[]);
        Ok(store
            .save_shipment(shop, &record, &causes)
            .await?
            .then_some(record))
    })
    .await
}

/// Checks that the shop holds a shipment under `number` (its own number, not a last-mile one):
/// `GET /v1/shipments/{number}` answers the shop's parcels only, and never asks a carrier about
/// a number typed into a search.
pub async fn ensure_held(store: &impl Store, shop: &ShopRecord, number: &str) -> Result<()> {
    let parsed = TrackingNumber::normalize(number)?;
    match store.shipment(&shop.id, &parsed).await? {
        Some(_) => Ok(()),
        None => Err(EdgeError::NotFound {
            code: "tracking_not_found",
            detail: "This shop holds no shipment with this tracking number.".into(),
            detection: None,
        }),
    }
}

/// The query of `GET /v1/shipments` (and of its CSV export, which pages through it).
#[derive(Debug, Default, Clone)]
pub struct ListQuery {
    /// Only the shipments of this status, carrier and scanned state (`scanned` only with
    /// `health`: it has no index of its own).
    pub filter: ShipmentFilter,
    /// Only those of this health now.
    pub health: Option<Health>,
    /// Only this order's shipments (an order has few: one page, no cursor).
    pub order: Option<String>,
    /// Continue after this position (a `next_cursor`).
    pub cursor: Option<String>,
    /// Page size ([`DEFAULT_PAGE`] when absent, at most [`MAX_PAGE`]).
    pub limit: Option<usize>,
}

/// `GET /v1/shipments`: a page of the shop's shipments that the query's filter keeps. Without
/// `health`, by tracking number (read by the index of carriers when `carrier` is given, else of
/// statuses when `status` is); with it, the matches only (read by an index of that health, so a
/// page is full while matches remain): late ones longest late first, stalled ones longest quiet
/// first, the others by number. `scanned` without `health` is a 400.
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
    list_page(store, shop, &query, limit, now).await
}

/// A page of at most `limit` shipments of `query` (its own `limit` ignored), `limit` checked by
/// the caller.
async fn list_page(
    store: &impl Store,
    shop: &ShopRecord,
    query: &ListQuery,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<ShipmentList> {
    if query.filter.scanned.is_some() && query.health.is_none() {
        return Err(EdgeError::bad_request(
            "invalid_query",
            "scanned: only with health (e.g. health=stalled&scanned=false); no index reads it alone",
        ));
    }
    if let Some(order) = &query.order {
        return order_list(store, shop, order, query, now).await;
    }
    let after = query
        .cursor
        .as_deref()
        .map(list_cursor::parse)
        .transpose()?;
    let by_time = matches!(query.health, Some(Health::Late | Health::Stalled));
    if after
        .as_ref()
        .is_some_and(|after| after.since.is_some() != by_time)
    {
        return Err(EdgeError::bad_request(
            "invalid_query",
            "cursor: it belongs to a list of another health; pass back the next_cursor of this one",
        ));
    }
    // One more than the page, to know whether another page follows.
    let mut rows = match query.health {
        Some(health) => {
            store
                .list_by_health(
                    &shop.id,
                    health,
                    &query.filter,
                    now,
                    after.as_ref(),
                    limit + 1,
                )
                .await?
        }
        None => {
            let after = after.map(|position| position.number);
            store
                .list_shipments(&shop.id, &query.filter, after.as_ref(), limit + 1)
                .await?
        }
    };
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = rows.last().filter(|_| more).map(|last| {
        list_cursor::format(&ListPosition {
            since: query.health.and_then(|health| last.schedule.since(health)),
            number: last.shipment.tracking_number.clone(),
        })
    });
    Ok(ShipmentList {
        shipments: rows.iter().map(|row| summary(row, now)).collect(),
        next_cursor,
    })
}

/// A CSV export of the shop's shipments: the file, and where the next one starts when rows
/// remain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentExport {
    /// The CSV file ([`shipments_csv`]).
    pub csv: Vec<u8>,
    /// Pass as `cursor` for the next file; `None` when this one holds the last row.
    pub next_cursor: Option<String>,
}

/// `GET /v1/shipments.csv`: the list of `query` (its `limit` ignored) read page by page, in
/// pages of [`EXPORT_PAGE`] (ten queries for a full file), to its end or to [`EXPORT_MAX_ROWS`]
/// rows, as a CSV file.
pub async fn export_shipments(
    store: &impl Store,
    shop: &ShopRecord,
    query: ListQuery,
    now: DateTime<Utc>,
) -> Result<ShipmentExport> {
    let mut rows = Vec::new();
    let mut cursor = query.cursor.clone();
    loop {
        let page = ListQuery {
            cursor,
            ..query.clone()
        };
        let limit = EXPORT_PAGE.min(EXPORT_MAX_ROWS - rows.len());
        let page = list_page(store, shop, &page, limit, now).await?;
        rows.extend(page.shipments);
        cursor = page.next_cursor;
        if cursor.is_none() || rows.len() >= EXPORT_MAX_ROWS {
            break;
        }
    }
    Ok(ShipmentExport {
        csv: shipments_csv::write(&rows)?,
        next_cursor: cursor,
    })
}

/// The cron's history pass: deletes up to `limit` shipments (with their events, and their orders
/// once no parcel is left) whose final status is older than their shop keeps them; answers how
/// many.
pub async fn delete_ended(store: &impl Store, now: DateTime<Utc>, limit: usize) -> Result<usize> {
    store.delete_ended(now, limit).await
}

/// `GET /v1/shipments/counts`: the shop's shipments counted by status and by health now.
pub async fn shipment_counts(
    store: &impl Store,
    shop: &ShopRecord,
    now: DateTime<Utc>,
) -> Result<ShipmentCounts> {
    let stored = store.shipment_counts(&shop.id, now).await?;
    let mut counts = ShipmentCounts {
        total: 0,
        by_status: Status::ALL
            .iter()
            .map(|&status| StatusCount {
                status,
                shipments: 0,
            })
            .collect(),
        by_health: HealthCounts::default(),
    };
    let mut open = 0;
    for (status, fixed, shipments) in stored.by_status {
        counts.total += shipments;
        if let Some(line) = counts
            .by_status
            .iter_mut()
            .find(|line| line.status == status)
        {
            line.shipments += shipments;
        }
        match fixed {
            Some(Health::Done) => counts.by_health.done += shipments,
            Some(Health::NeedsAction) => counts.by_health.needs_action += shipments,
            _ => open += shipments,
        }
    }
    counts.by_health.late = stored.late;
    counts.by_health.stalled = stored.stalled;
    counts.by_health.on_track = open.saturating_sub(stored.late + stored.stalled);
    Ok(counts)
}

/// `GET /v1/shipments?order=`: the order's shipments (oldest first) that match the other
/// filters, in one page.
async fn order_list(
    store: &impl Store,
    shop: &ShopRecord,
    order: &str,
    query: &ListQuery,
    now: DateTime<Utc>,
) -> Result<ShipmentList> {
    let order = validate::order_number(order)?;
    if query.cursor.is_some() {
        return Err(EdgeError::bad_request(
            "invalid_query",
            "cursor: an order's shipments come in one page",
        ));
    }
    let shipments = store
        .order_shipments(&shop.id, &order)
        .await?
        .into_iter()
        .filter(|shipment| query.filter.keeps(shipment))
        .map(|shipment| ListedShipment {
            schedule: health_schedule(shop, &shipment),
            shipment,
        })
        .map(|row| summary(&row, now))
        .filter(|summary| query.health.is_none_or(|health| summary.health == health))
        .collect();
    Ok(ShipmentList {
        shipments,
        next_cursor: None,
    })
}

fn summary(row: &ListedShipment, now: DateTime<Utc>) -> ShipmentSummary {
    let shipment = &row.shipment;
    ShipmentSummary {
        tracking_number: shipment.tracking_number.to_string(),
        carrier: shipment.carrier,
        order_number: shipment.order_number.clone(),
        status: shipment.status,
        sub_status: shipment.sub_status,
        health: row.schedule.at(now),
        last_event_at: shipment.last_event_at,
        eta: carrier_eta(shipment),
    }
}
