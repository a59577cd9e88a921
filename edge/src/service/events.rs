//! Pushed tracking events: validated as a whole, stored once each, in any order.

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::status::StatusDetail;
use waypost_shared::time::EventTime;
use waypost_shared::timeline::Timeline;
use waypost_shared::wire::{EventBatch, EventBatchResult, EventInput, ShipmentInput};

use super::shipments::put_shipment;
use super::store::{ShipmentHistory, ShopRecord, Store, StoredEvent};
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{MAX_EVENTS_PER_BATCH, MAX_FIELD_CHARS, MAX_TEXT_CHARS};

/// `POST /v1/shipments/{number}/events`. Every event is checked before anything is written, so a
/// bad event rejects the whole batch and nothing is half-stored. Events already stored, or repeated
/// in the batch, count as duplicates. A shipment not registered yet is registered on the way.
pub async fn push_events(
    store: &impl Store,
    shop: &ShopRecord,
    number: &str,
    batch: EventBatch,
    now: DateTime<Utc>,
) -> Result<EventBatchResult> {
    let (number, _) = validate::tracking_number(number)?;
    let received = batch.events.len();
    if received == 0 || received > MAX_EVENTS_PER_BATCH {
        return Err(EdgeError::bad_request(
            "invalid_batch",
            format!("a batch holds 1 to {MAX_EVENTS_PER_BATCH} events; this one has {received}"),
        ));
    }
    let events = batch
        .events
        .into_iter()
        .enumerate()
        .map(|(index, input)| event(input).map_err(|error| at_index(index, error)))
        .collect::<Result<Vec<_>>>()?;

    let history = match store.shipment_history(&shop.id, &number).await? {
        Some(history) => history,
        None => ShipmentHistory {
            shipment: put_shipment(store, shop, &number, ShipmentInput::default(), now).await?,
            order: None,
            events: Vec::new(),
        },
    };
    let merged = merge(history, events, now);
    store
        .store_events(&merged.history.shipment, &merged.new)
        .await?;
    let stored = merged.new.len();
    Ok(EventBatchResult {
        received,
        stored,
        duplicates: received - stored,
    })
}

/// A shipment's history with new events merged in, and the events that were new.
pub struct Merged {
    /// The shipment (status, last activity and update time brought up to date), its order and
    /// all its events.
    pub history: ShipmentHistory,
    /// The events not stored before, to store.
    pub new: Vec<StoredEvent>,
}

/// Merges `incoming` events (pushed or from a carrier) into a shipment's history: events already
/// known by fingerprint, or repeated, are dropped; the shipment's status and last activity follow
/// the newest event. The one idempotent path every event takes into storage.
pub fn merge(history: ShipmentHistory, incoming: Vec<TrackingEvent>, now: DateTime<Utc>) -> Merged {
    let ShipmentHistory {
        mut shipment,
        order,
        events: existing,
    } = history;
    let mut known: HashSet<u64> = existing.iter().map(TrackingEvent::fingerprint).collect();
    let new: Vec<StoredEvent> = incoming
        .into_iter()
        .filter_map(|event| {
            let fingerprint = event.fingerprint();
            known.insert(fingerprint).then(|| StoredEvent {
                fingerprint: format!("{fingerprint:016x}"),
                event,
            })
        })
        .collect();
    let events: Vec<TrackingEvent> = existing
        .into_iter()
        .chain(new.iter().map(|stored| stored.event.clone()))
        .collect();
    let timeline = Timeline::new(events.iter().cloned());
    if let Some(latest) = timeline.latest() {
        shipment.status = latest.status.status();
        shipment.sub_status = latest.status.sub_status();
        shipment.last_event_at = Some(
            latest
                .time
                .latest_utc()
                .to_rfc3339_opts(SecondsFormat::Secs, true),
        );
    }
    shipment.updated_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    Merged {
        history: ShipmentHistory {
            shipment,
            order,
            events,
        },
        new,
    }
}

/// One pushed event, checked: the time must carry its UTC offset.
fn event(input: EventInput) -> Result<TrackingEvent> {
    let mut time = EventTime::parse(&input.time)?;
    if time.offset().is_none() {
        return Err(EdgeError::bad_request(
            "time_without_offset",
            format!(
                "time {:?} has no UTC offset; send it as 2026-11-20T14:05:00-05:00",
                input.time
            ),
        ));
    }
    if let Some(zone) = input.zone.as_deref() {
        time = time.in_zone(zone)?;
    }
    let location = input
        .location
        .map(|place| -> Result<Place> {
            Ok(Place {
                city: validate::text("location.city", place.city.as_deref(), MAX_FIELD_CHARS)?,
                region: validate::text(
                    "location.region",
                    place.region.as_deref(),
                    MAX_FIELD_CHARS,
                )?,
                country: validate::country("location.country", place.country.as_deref())?,
            })
        })
        .transpose()?
        .filter(|place| *place != Place::default());
    Ok(TrackingEvent {
        time,
        status: StatusDetail::try_new(input.status, input.sub_status)?,
        description: validate::required_text("description", &input.description, MAX_TEXT_CHARS)?,
        location,
        carrier_code: validate::text("carrier_code", input.carrier_code.as_deref(), 64)?,
    })
}

fn at_index(index: usize, error: EdgeError) -> EdgeError {
    match error {
        EdgeError::BadRequest { code, detail } => EdgeError::BadRequest {
            code,
            detail: format!("events[{index}]: {detail}"),
        },
        other => other,
    }
}
