//! What the adapters' tests share: each carrier's recorded answers (`edge/fixtures/carriers/`)
//! and short ways to read and inspect an answer.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use waypost_shared::event::TrackingEvent;
use waypost_shared::status::{Status, SubStatus};

use super::{BadAnswer, CarrierAnswer, Lookup};

/// Declares a carrier's recorded answers as constants: `fixtures!("ups")` gives `DELIVERED`,
/// `IN_TRANSIT`, `OUT_FOR_DELIVERY`, `FAILED_ATTEMPT`, `EXCEPTION`, `PICKUP_READY`, `NOT_FOUND`
/// (from `edge/fixtures/carriers/ups/*.json`).
macro_rules! fixtures {
    ($carrier:literal) => {
        $crate::carriers::test_support::fixtures!($carrier:
            DELIVERED = "delivered",
            IN_TRANSIT = "in_transit",
            OUT_FOR_DELIVERY = "out_for_delivery",
            FAILED_ATTEMPT = "failed_attempt",
            EXCEPTION = "exception",
            PICKUP_READY = "pickup_ready",
            NOT_FOUND = "not_found"
        );
    };
    ($carrier:literal: $($name:ident = $case:literal),+) => {
        $(
            const $name: &str =
                include_str!(concat!("../../fixtures/carriers/", $carrier, "/", $case, ".json"));
        )+
    };
}
pub(crate) use fixtures;

/// A number no recorded answer lists: an answer read for it is read as one that names no number
/// (its first piece).
pub(crate) const UNLISTED: &str = "WP0000000000";

/// The answer `read_track` finds in an HTTP 200 `body` asked about [`UNLISTED`]; panics on
/// anything else.
pub(crate) fn found_by(
    read_track: impl Fn(&str, u16, &str) -> Result<Lookup, BadAnswer>,
    body: &str,
) -> CarrierAnswer {
    found_for(read_track, UNLISTED, body)
}

/// The answer `read_track` finds in an HTTP 200 `body` asked about `number`; panics on anything
/// else.
pub(crate) fn found_for(
    read_track: impl Fn(&str, u16, &str) -> Result<Lookup, BadAnswer>,
    number: &str,
    body: &str,
) -> CarrierAnswer {
    match read_track(number, 200, body) {
        Ok(Lookup::Found(answer)) => answer,
        other => panic!("expected an answer about {number}, got {other:?}"),
    }
}

/// (status, sub-status) of every event, in carrier order.
pub(crate) fn details(answer: &CarrierAnswer) -> Vec<(Status, Option<SubStatus>)> {
    answer
        .events
        .iter()
        .map(|e| (e.status.status(), e.status.sub_status()))
        .collect()
}

/// The carrier code of every event (empty when none), in carrier order.
pub(crate) fn codes(answer: &CarrierAnswer) -> Vec<&str> {
    answer
        .events
        .iter()
        .map(|e| e.carrier_code.as_deref().unwrap_or(""))
        .collect()
}

/// (carrier code, status, sub-status) of every event, in carrier order.
pub(crate) fn rows(answer: &CarrierAnswer) -> Vec<(String, Status, Option<SubStatus>)> {
    answer
        .events
        .iter()
        .map(|e| {
            (
                e.carrier_code.clone().unwrap_or_default(),
                e.status.status(),
                e.status.sub_status(),
            )
        })
        .collect()
}

/// One expected entry of [`rows`].
pub(crate) fn row(
    code: &str,
    status: Status,
    sub: Option<SubStatus>,
) -> (String, Status, Option<SubStatus>) {
    (code.to_owned(), status, sub)
}

/// A wall time written `2026-11-20T14:05:00`, `2026-11-20 14:05:00` or `2026-11-20 14:05`.
pub(crate) fn local(text: &str) -> NaiveDateTime {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .unwrap_or_else(|| panic!("{text:?} is not a wall time"))
}

/// The UTC instant written like [`local`].
pub(crate) fn utc(text: &str) -> DateTime<Utc> {
    local(text).and_utc()
}

/// A day written `2026-11-20`.
pub(crate) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A whole-hour UTC offset.
pub(crate) fn hours(h: i32) -> Option<FixedOffset> {
    FixedOffset::east_opt(h * 3600)
}

/// The event's UTC offset in whole hours, when it has one.
pub(crate) fn offset_hours(event: &TrackingEvent) -> Option<i32> {
    event.time.offset().map(|o| o.local_minus_utc() / 3600)
}

/// The event's city, when it has one.
pub(crate) fn city_of(event: &TrackingEvent) -> Option<&str> {
    event.location.as_ref().and_then(|p| p.city.as_deref())
}
