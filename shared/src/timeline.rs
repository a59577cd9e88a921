//! A shipment's events, de-duplicated, newest first, and grouped by the day they happened.

use std::cmp::Reverse;
use std::collections::HashSet;

use chrono::NaiveDate;

use crate::event::TrackingEvent;
use crate::status::{Status, StatusDetail};

/// Events of one shipment, each stored once, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    events: Vec<TrackingEvent>,
}

/// A run of consecutive timeline events that happened on the same local calendar day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayGroup<'a> {
    /// The local date the events share.
    pub date: NaiveDate,
    /// The events, newest first.
    pub events: &'a [TrackingEvent],
}

impl Timeline {
    /// Builds a timeline from events in any order, possibly repeated: duplicates (same
    /// [`TrackingEvent::fingerprint`]) are kept once; events sort newest first by UTC when known
    /// (else by local time), ties broken by fingerprint so arrival order never matters.
    pub fn new(events: impl IntoIterator<Item = TrackingEvent>) -> Self {
        let mut seen = HashSet::new();
        let mut events: Vec<(u64, TrackingEvent)> = events
            .into_iter()
            .map(|event| (event.fingerprint(), event))
            .filter(|(fingerprint, _)| seen.insert(*fingerprint))
            .collect();
        events.sort_by_key(|(fingerprint, event)| Reverse((event.time.sort_key(), *fingerprint)));
        Timeline {
            events: events.into_iter().map(|(_, event)| event).collect(),
        }
    }

    /// The events, newest first.
    pub fn events(&self) -> &[TrackingEvent] {
        &self.events
    }

    /// The newest event.
    pub fn latest(&self) -> Option<&TrackingEvent> {
        self.events.first()
    }

    /// The shipment's current status: that of the newest event.
    pub fn current_status(&self) -> Option<StatusDetail> {
        self.latest().map(|event| event.status)
    }

    /// Every status the shipment has been through, newest first.
    pub fn statuses(&self) -> impl Iterator<Item = Status> + '_ {
        self.events.iter().map(|event| event.status.status())
    }

    /// Consecutive events grouped by their own local date, newest group first. An event is
    /// filed under the day it was where it happened, so a day can appear twice when a parcel
    /// crosses the date line.
    pub fn by_local_day(&self) -> Vec<DayGroup<'_>> {
        self.events
            .chunk_by(|a, b| a.time.local_time().date() == b.time.local_time().date())
            .map(|events| DayGroup {
                date: events[0].time.local_time().date(),
                events,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::SubStatus;
    use crate::time::EventTime;

    fn event(time: &str, status: impl Into<StatusDetail>, description: &str) -> TrackingEvent {
        TrackingEvent {
            time: EventTime::parse(time).unwrap(),
            status: status.into(),
            description: description.into(),
            location: None,
            carrier_code: None,
        }
    }

    fn sample() -> Vec<TrackingEvent> {
        vec![
            event(
                "2026-11-18T09:00:00+08:00",
                SubStatus::PickedUp,
                "Picked up in Shenzhen",
            ),
            event(
                "2026-11-18T23:10:00+08:00",
                SubStatus::DepartedFacility,
                "Departed Shenzhen",
            ),
            event(
                "2026-11-19T06:20:00-08:00",
                SubStatus::CustomsProcessing,
                "Customs, Los Angeles",
            ),
            event(
                "2026-11-20T08:02:00-05:00",
                Status::OutForDelivery,
                "Out for delivery",
            ),
        ]
    }

    #[test]
    fn duplicates_and_arrival_order_do_not_matter() {
        let forward = Timeline::new(sample());
        let mut repeated = sample();
        repeated.extend(sample());
        repeated.reverse();
        repeated.extend(sample());
        assert_eq!(Timeline::new(repeated), forward);
        assert_eq!(forward.events().len(), 4);
        assert_eq!(
            forward.current_status(),
            Some(StatusDetail::new(Status::OutForDelivery))
        );
    }

    #[test]
    fn newest_first_by_utc() {
        let timeline = Timeline::new(sample());
        let words: Vec<_> = timeline
            .events()
            .iter()
            .map(|e| e.description.as_str())
            .collect();
        assert_eq!(
            words,
            [
                "Out for delivery",
                "Customs, Los Angeles",
                "Departed Shenzhen",
                "Picked up in Shenzhen"
            ]
        );
    }

    #[test]
    fn grouped_by_each_events_own_local_day() {
        let timeline = Timeline::new(sample());
        let days: Vec<_> = timeline
            .by_local_day()
            .iter()
            .map(|group| (group.date.to_string(), group.events.len()))
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-20".to_string(), 1),
                ("2026-11-19".to_string(), 1),
                ("2026-11-18".to_string(), 2)
            ]
        );
    }
}
