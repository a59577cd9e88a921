//! Pushed tracking events: validated as a whole, stored once each, in any order.

use chrono::{DateTime, Utc};
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::status::StatusDetail;
use waypost_shared::time::EventTime;
use waypost_shared::wire::{EventBatch, EventBatchResult, EventInput};

use super::answers::Answers;
use super::live::Cache;
use super::merge::merge;
use super::notice_causes;
use super::store::{ShipmentHistory, ShipmentRecord, ShopRecord, Store, until_written};
use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{MAX_EVENTS_PER_BATCH, MAX_FIELD_CHARS, MAX_TEXT_CHARS};

/// `POST /v1/shipments/{number}/events`. Every event is checked before anything is written, so a
/// bad event rejects the whole batch and nothing is half-stored. Events already stored, or repeated
/// in the batch, count as duplicates. A shipment not registered yet is registered on the way.
/// Answers built before new events are never served again.
pub async fn push_events(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    number: &str,
    batch: EventBatch,
    now: DateTime<Utc>,
) -> Result<EventBatchResult> {
    let (number, detection) = TrackingNumber::parse(number)?;
    let detected = detection.candidates.first().map(|c| c.carrier);
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

    let stored = until_written(async || {
        let history = match store.shipment_history(&shop.id, &number).await? {
            Some(history) => history,
            None => ShipmentHistory {
                shipment: ShipmentRecord::new(&shop.id, number.clone(), detected, now),
                order: None,
                events: Vec::new(),
            },
        };
        let before = history.shipment.stored().cloned();
        let merged = merge(history, events.clone(), now);
        if merged.new.is_empty() {
            // Everything was stored before: nothing to write (and nothing to race).
            return Ok(Some(0));
        }
        let causes = notice_causes::of_merge(shop, before.as_ref(), &merged.history, now);
        let written = store
            .store_events(shop, &merged.history.shipment, &merged.new, &causes)
            .await?;
        Ok(written.then_some(merged.new.len()))
    })
    .await?;
    if stored > 0 {
        answers.shipment_changed(&shop.id, &number).await;
    }
    Ok(EventBatchResult {
        received,
        stored,
        duplicates: received - stored,
    })
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
        carrier: None,
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
