//! A shipment's events, de-duplicated, newest first, and grouped by the day they happened.
//!
//! Events are given in the order they were reported, oldest first: the carrier's own order, or
//! the order pushes arrived in. Two events compare only when both have a UTC offset (see
//! "Comparing times" in [`crate::time`]), so the order is built in two parts: the events without
//! an offset keep their places in the order given, and the events with a known instant fill the
//! other places, sorted by instant (equal instants keep the order given). The result is one total
//! order, deterministic, in which every two events with instants are in time order and every two
//! without offsets are in the carrier's order; building a timeline from its own events again
//! gives the same timeline.

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
    /// Builds a timeline from events in the order they were reported, oldest first, possibly
    /// repeated: duplicates (same [`TrackingEvent::fingerprint`]) are kept once, where they first
    /// came. Events without an offset keep their places; those with a known instant are sorted by
    /// it into the other places (see the module documentation). Shown newest first.
    pub fn new(events: impl IntoIterator<Item = TrackingEvent>) -> Self {
        let mut seen = HashSet::new();
        let events: Vec<TrackingEvent> = events
            .into_iter()
            .filter(|event| seen.insert(event.fingerprint()))
            .collect();
        let instants: Vec<_> = events.iter().map(|event| event.time.utc()).collect();
        let places: Vec<usize> = (0..events.len())
            .filter(|&i| instants[i].is_some())
            .collect();
        let mut by_instant = places.clone();
        by_instant.sort_by_key(|&i| instants[i]);
        let mut order: Vec<usize> = (0..events.len()).collect();
        for (place, from) in places.into_iter().zip(by_instant) {
            order[place] = from;
        }
        let mut events: Vec<Option<TrackingEvent>> = events.into_iter().map(Some).collect();
        Timeline {
            events: order
                .into_iter()
                .rev()
                .filter_map(|i| events[i].take())
                .collect(),
        }
    }

    /// The events, newest first.
    pub fn events(&self) -> &[TrackingEvent] {
        &self.events
    }

    /// The newest event: the last in the timeline's order (see the module documentation).
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
            carrier: None,
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

    fn words(timeline: &Timeline) -> Vec<&str> {
        timeline
            .events()
            .iter()
            .map(|e| e.description.as_str())
            .collect()
    }

    #[test]
    fn times_without_an_offset_keep_the_carriers_order() {
        // Hong Kong (UTC+8) at 02:30 on the 13th is 18:30 UTC on the 12th; the Anchorage (UTC-9)
        // arrival that followed at 19:30 on the 12th is 04:30 UTC on the 13th. Neither has an
        // offset, so their wall-clock times cannot be compared: the carrier's order stands.
        let departed = event(
            "2026-11-13T02:30:00",
            SubStatus::DepartedFacility,
            "Departed Hong Kong",
        );
        let arrived = event(
            "2026-11-12T19:30:00",
            SubStatus::ArrivedFacility,
            "Arrived Anchorage",
        );
        let timeline = Timeline::new([departed, arrived.clone()]);
        assert_eq!(
            words(&timeline),
            ["Arrived Anchorage", "Departed Hong Kong"]
        );
        assert_eq!(timeline.latest(), Some(&arrived));
        assert_eq!(
            timeline.current_status(),
            Some(StatusDetail::from(SubStatus::ArrivedFacility))
        );
        let days: Vec<_> = timeline
            .by_local_day()
            .iter()
            .map(|group| group.date.to_string())
            .collect();
        assert_eq!(days, ["2026-11-12", "2026-11-13"]);
    }

    #[test]
    fn known_instants_sort_among_themselves_around_events_without_offsets() {
        // Given oldest first: the pickup (with offset) came in late, after the scans without one.
        let timeline = Timeline::new([
            event(
                "2026-11-14T09:00:00-09:00",
                SubStatus::ArrivedFacility,
                "Customs, Anchorage",
            ),
            event(
                "2026-11-13T02:30:00",
                SubStatus::DepartedFacility,
                "Departed Hong Kong",
            ),
            event(
                "2026-11-12T19:30:00",
                SubStatus::ArrivedFacility,
                "Arrived Anchorage",
            ),
            event(
                "2026-11-12T10:00:00+08:00",
                SubStatus::PickedUp,
                "Picked up in Shenzhen",
            ),
        ]);
        // The events without an offset stay in the second and third places, in their order; the
        // two with an instant take the first and last places, oldest first.
        assert_eq!(
            words(&timeline),
            [
                "Customs, Anchorage",
                "Arrived Anchorage",
                "Departed Hong Kong",
                "Picked up in Shenzhen",
            ]
        );
        let again: Vec<_> = timeline.events().iter().rev().cloned().collect();
        assert_eq!(
            Timeline::new(again),
            timeline,
            "its own order is a fixpoint"
        );
    }

    #[test]
    fn the_same_instant_written_in_two_offsets_shows_once() {
        let pushed = event("2026-11-20T14:05:00-05:00", Status::InTransit, "Arrived");
        let scanned = event("2026-11-20T19:05:00Z", Status::InTransit, "Arrived");
        let timeline = Timeline::new([pushed.clone(), scanned]);
        assert_eq!(timeline.events(), [pushed]);
    }
}
