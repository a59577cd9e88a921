//! The one idempotent path every event takes into a shipment, pushed or from a carrier: events
//! already known by fingerprint, or repeated, are dropped; the shipment's status and last activity
//! follow the newest event. Pure: the use cases read, merge, then store.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use waypost_shared::event::TrackingEvent;
use waypost_shared::timeline::Timeline;

use super::store::{ShipmentHistory, StoredEvent};

/// A shipment's history with new events merged in, and the events that were new.
pub struct Merged {
    /// The shipment (status, last activity and update time brought up to date), its order and
    /// all its events.
    pub history: ShipmentHistory,
    /// The events not stored before, to store.
    pub new: Vec<StoredEvent>,
}

/// Merges `incoming` events into a shipment's history at `now`.
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
        shipment.last_event_at = Some(latest.time.latest_utc());
    }
    shipment.updated_at = now;
    Merged {
        history: ShipmentHistory {
            shipment,
            order,
            events,
        },
        new,
    }
}
