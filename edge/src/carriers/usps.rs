//! USPS Tracking 3.0 (`GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`, OAuth bearer
//! token).
//!
//! Each of `trackingEvents` becomes an event. USPS writes the event's local wall time in
//! `eventTimestamp` with a misleading `Z` (its own example reads `07:31:00Z` for a 7:31 am scan in
//! Richmond, VA), so that suffix is ignored and the local time kept as local; the offset comes
//! from `GMTOffset` (`-05:00`, also `-5:00`) or, without it, from the difference to
//! `GMTTimestamp` (or a numeric offset written into `eventTimestamp`), and is otherwise left
//! unknown. Places are `eventCity`, `eventState` and
//! `eventCountry` only (`eventZIP`, `name` and `firm` are never read). The status comes from the
//! `eventCode` (Publication 199, appendix G), then from the `eventType` words ([`status_for`]);
//! the carrier code kept is the `eventCode`. The ETA is `expectedDeliveryDate`, else the date of
//! `expectedDeliveryTimeStamp`, else the predicted, else the guaranteed delivery date.
//!
//! Unknown numbers: HTTP 404 with USPS's error body (`apiVersion` + `error`), which is how
//! `fixtures/carriers/usps/not_found.json` must be served; also HTTP 400 with the error codes
//! USPS lists for "no status available yet" (150001–150004, 150009).

use chrono::NaiveDate;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde_json::Value;
use waypost_shared::event::TrackingEvent;
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::EventTime;

use super::lenient::text;
use super::times::{self, offset_between, written_offset};
use super::words;
use super::{BadAnswer, CallMethod, CarrierAnswer, HttpCall, Lookup, clean_text, place};

/// USPS error codes (HTTP 400) that mean it has no record of the number yet.
const NOT_YET_CODES: [&str; 5] = ["150001", "150002", "150003", "150004", "150009"];

/// The tracking call for `number`: `base` has no trailing slash, `credential` is the OAuth
/// access token.
pub fn track_call(base: &str, number: &str, credential: &str) -> HttpCall {
    HttpCall {
        method: CallMethod::Get,
        url: format!(
            "{base}/tracking/v3/tracking/{}?expand=DETAIL",
            utf8_percent_encode(number, NON_ALPHANUMERIC)
        ),
        headers: vec![
            ("Authorization", format!("Bearer {credential}")),
            ("Accept", "application/json".into()),
        ],
        body: None,
    }
}

/// Reads a tracking answer (never a 429 or 5xx): the item's events and ETA, `NotFound` for
/// USPS's unknown-number answers, [`BadAnswer`] for anything else. USPS answers about the one
/// item asked only, so its number is not needed to read the answer.
pub fn read_track(_number: &str, status: u16, body: &str) -> Result<Lookup, BadAnswer> {
    let value: Value = serde_json::from_str(body)?;
    if let Some(error) = value.get("error") {
        let error = ErrorBody::deserialize(error)?;
        return if status == 404 || (status == 400 && error.not_yet_known()) {
            Ok(Lookup::NotFound)
        } else {
            Err(BadAnswer(format!(
                "USPS answered HTTP {status}: {}",
                error.summary()
            )))
        };
    }
    if status != 200 {
        return Err(BadAnswer(format!("USPS answered HTTP {status}")));
    }
    let details = Details::deserialize(&value)?;
    if details.tracking_events.is_none()
        && details.tracking_number.is_none()
        && details.status_category.is_none()
    {
        return Err(BadAnswer("not a USPS tracking answer".into()));
    }
    let raw = details.tracking_events.unwrap_or_default();
    let events: Vec<TrackingEvent> = raw
        .iter()
        .filter_map(|e| Event::deserialize(e).ok().and_then(|e| read_event(&e)))
        .collect();
    if events.is_empty() && !raw.is_empty() {
        return Err(BadAnswer("no USPS event could be read".into()));
    }
    let eta = [
        details.expected_delivery_date,
        details.expected_delivery_time_stamp,
        details.predicted_delivery_date,
        details.predicted_delivery_time_stamp,
        details.guaranteed_delivery_date,
        details.guaranteed_delivery_time_stamp,
    ]
    .iter()
    .find_map(|d| d.as_deref().and_then(read_date));
    Ok(Lookup::Found(CarrierAnswer {
        events,
        eta_from: eta,
        eta_to: eta,
        last_mile: None,
    }))
}

/// What USPS said about one event, mapped onto the shared taxonomy: the `eventCode` first
/// (Publication 199, appendix G-4), then the `eventType` words, which are USPS's own per-event
/// category ("Delivered, Front Door/Porch"). A status without a sub-status is refined from the
/// same words afterwards.
fn status_for(code: &str, words: &str) -> StatusDetail {
    use SubStatus::*;
    let has = words::has_in(words);
    // "Delivered, To Original Sender" carries the delivery code but ends the return trip.
    if has(&["returned to sender", "to original sender"]) {
        return StatusDetail::sub(ReturnedToSender);
    }
    let plain = |status| Some(StatusDetail::new(status));
    let by_code = match code {
        "MA" | "GX" => Some(StatusDetail::sub(LabelCreated)),
        "03" | "OA" | "TM" | "PA" | "80" => Some(StatusDetail::sub(PickedUp)),
        "07" | "10" | "A1" | "U1" | "81" => Some(StatusDetail::sub(ArrivedFacility)),
        "SF" | "EF" | "T1" | "L1" | "82" => Some(StatusDetail::sub(DepartedFacility)),
        "PC" | "TL" | "DX" | "42" => plain(Status::InTransit),
        "06" => Some(StatusDetail::sub(Forwarded)),
        "08" | "15" | "71" => Some(StatusDetail::sub(Delayed)),
        "OF" => plain(Status::OutForDelivery),
        "01" | "17" => plain(Status::Delivered),
        "43" => Some(StatusDetail::sub(Collected)),
        "16" => plain(Status::AvailableForPickup),
        "14" => Some(StatusDetail::sub(PickupPoint)),
        "02" | "52" | "54" => plain(Status::AttemptFailed),
        "51" | "55" | "56" => Some(StatusDetail::sub(RecipientUnavailable)),
        "30" | "53" => Some(StatusDetail::sub(AccessIssue)),
        "04" => Some(StatusDetail::sub(Refused)),
        "05" | "21" | "23" | "25" | "26" => Some(StatusDetail::sub(InvalidAddress)),
        "22" => Some(StatusDetail::sub(IncompleteAddress)),
        "09" | "24" | "27" | "28" | "29" | "31" | "44" => {
            Some(StatusDetail::sub(ReturningToSender))
        }
        "11" => Some(StatusDetail::sub(Lost)),
        _ => None,
    };
    if let Some(detail) = by_code {
        return detail;
    }
    if has(&["return to sender", "returning to sender", "being returned"]) {
        StatusDetail::sub(ReturningToSender)
    } else if has(&[
        "label created",
        "pre-shipment",
        "awaiting item",
        "shipment received",
    ]) {
        StatusDetail::sub(LabelCreated)
    } else if has(&["out for delivery"]) {
        StatusDetail::new(Status::OutForDelivery)
    } else if has(&[
        "available for pickup",
        "held at post office",
        "ready for pickup",
    ]) {
        StatusDetail::new(Status::AvailableForPickup)
    } else if has(&[
        "notice left",
        "attempted",
        "no access",
        "refused",
        "undeliverable",
        "insufficient address",
        "no such number",
        "business closed",
        "not delivered",
    ]) {
        StatusDetail::new(Status::AttemptFailed)
    } else if has(&["delivered", "picked up at"]) {
        StatusDetail::new(Status::Delivered)
    } else if has(&["damaged"]) {
        StatusDetail::sub(Damaged)
    } else if words::customs_hold(words) {
        StatusDetail::sub(Held)
    } else if has(&["customs"]) {
        StatusDetail::sub(CustomsProcessing)
    } else if has(&["delay", "weather", "arriving late", "missent", "misrouted"]) {
        StatusDetail::sub(Delayed)
    } else if has(&["forwarded"]) {
        StatusDetail::sub(Forwarded)
    } else if has(&["arrived", "arrival"]) {
        StatusDetail::sub(ArrivedFacility)
    } else if has(&["departed"]) {
        StatusDetail::sub(DepartedFacility)
    } else if has(&["accepted", "acceptance", "in possession", "picked up"]) {
        StatusDetail::sub(PickedUp)
    } else if has(&["alert", "exception"]) {
        StatusDetail::new(Status::Exception)
    } else {
        StatusDetail::new(Status::InTransit)
    }
}

/// Adds a sub-status from USPS's words when the code gave none (`words` is lower case).
fn refine(detail: StatusDetail, words: &str) -> StatusDetail {
    use SubStatus::*;
    let has = words::has_in(words);
    words::refine(detail, |status| match status {
        Status::Delivered if has(&["mailbox", "parcel locker", "po box"]) => Some(ToMailbox),
        Status::Delivered if has(&["neighbor"]) => Some(ToNeighbor),
        Status::Delivered if has(&["door", "porch", "garage", "safe place", "yard"]) => {
            Some(ToSafePlace)
        }
        Status::Delivered if has(&["picked up at", "post office"]) => Some(Collected),
        Status::Delivered if has(&["signed"]) => Some(Signed),
        Status::Delivered if has(&["left with individual", "to addressee"]) => Some(ToRecipient),
        Status::AttemptFailed if has(&["refused"]) => Some(Refused),
        Status::AttemptFailed if has(&["insufficient address", "incomplete"]) => {
            Some(IncompleteAddress)
        }
        Status::AttemptFailed if has(&["address", "no such number", "vacant", "moved"]) => {
            Some(InvalidAddress)
        }
        Status::AttemptFailed if has(&["no access", "receptacle blocked", "animal", "dog"]) => {
            Some(AccessIssue)
        }
        Status::AttemptFailed
            if has(&[
                "no authorized recipient",
                "business closed",
                "no secure location",
            ]) =>
        {
            Some(RecipientUnavailable)
        }
        Status::AvailableForPickup if has(&["locker"]) => Some(Locker),
        Status::AvailableForPickup => Some(PostOffice),
        Status::Exception if has(&["damaged"]) => Some(Damaged),
        Status::Exception if has(&["lost", "missing"]) => Some(Lost),
        Status::Exception if has(&["held", "hold"]) => Some(Held),
        Status::InTransit if has(&["delay", "weather", "arriving late"]) => Some(Delayed),
        _ => None,
    })
}

/// One event; `None` when its time cannot be read or it says nothing at all.
fn read_event(event: &Event) -> Option<TrackingEvent> {
    let time = event_time(event)?;
    let code = event.event_code.as_deref().map(str::trim).unwrap_or("");
    let carrier_code = (!code.is_empty()).then(|| code.to_owned());
    let description = clean_text(event.event_type.as_deref()).or_else(|| carrier_code.clone())?;
    let words = description.to_lowercase();
    Some(TrackingEvent {
        time,
        status: refine(status_for(code, &words), &words),
        description,
        location: place(
            event.event_city.as_deref(),
            event.event_state.as_deref(),
            event.event_country.as_deref(),
        ),
        carrier_code,
        carrier: None,
    })
}

/// The event's local wall time, with the offset USPS gave (`GMTOffset`), else the one its GMT
/// timestamp implies, else a numeric offset in the stamp itself; `None` when unreadable.
fn event_time(event: &Event) -> Option<EventTime> {
    let stamp = event.event_timestamp.as_deref()?.trim();
    let wall = stamp.strip_suffix(['Z', 'z']).unwrap_or(stamp);
    let stamped = EventTime::parse(wall).ok()?;
    let local = stamped.local_time();
    let date = local.format("%Y-%m-%d").to_string();
    let time = local.format("%H:%M:%S").to_string();
    let offset = written_offset(&date, &time, event.gmt_offset.as_deref()).or_else(|| {
        let gmt = EventTime::parse(event.gmt_timestamp.as_deref()?).ok()?;
        // The field is GMT by definition, with or without its `Z`.
        let gmt = gmt.utc().map_or(gmt.local_time(), |utc| utc.naive_utc());
        offset_between(local, gmt)
    });
    // A numeric offset written into the stamp itself (never the `Z`, stripped above).
    let offset = offset.or(stamped.offset());
    Some(times::event_time(local, offset))
}

/// The date of `2026-11-24` or `2026-11-24T21:00:00Z` (a delivery day, wherever it is read): the
/// first ten characters, whatever follows them. UPS's `read_date` differs (whole text, also
/// `20261124`).
fn read_date(text: &str) -> Option<NaiveDate> {
    let day = text.trim().get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// The detail answer, as far as it is read. Events stay raw so one malformed entry costs only
/// itself.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default, deserialize_with = "text")]
    tracking_number: Option<String>,
    #[serde(default, deserialize_with = "text")]
    status_category: Option<String>,
    #[serde(default)]
    tracking_events: Option<Vec<Value>>,
    #[serde(default, deserialize_with = "text")]
    expected_delivery_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "text",
        alias = "expectedDeliveryTimestamp"
    )]
    expected_delivery_time_stamp: Option<String>,
    #[serde(default, deserialize_with = "text")]
    predicted_delivery_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "text",
        alias = "predictedDeliveryTimestamp"
    )]
    predicted_delivery_time_stamp: Option<String>,
    #[serde(default, deserialize_with = "text")]
    guaranteed_delivery_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "text",
        alias = "guaranteedDeliveryTimestamp"
    )]
    guaranteed_delivery_time_stamp: Option<String>,
}

/// One tracking event; `eventZIP`, `name` and `firm` are deliberately not fields here.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Event {
    #[serde(deserialize_with = "text")]
    event_type: Option<String>,
    #[serde(deserialize_with = "text", alias = "eventTimeStamp")]
    event_timestamp: Option<String>,
    #[serde(
        rename = "GMTTimestamp",
        alias = "GMTTimeStamp",
        alias = "gmtTimestamp",
        deserialize_with = "text"
    )]
    gmt_timestamp: Option<String>,
    #[serde(rename = "GMTOffset", alias = "gmtOffset", deserialize_with = "text")]
    gmt_offset: Option<String>,
    #[serde(deserialize_with = "text")]
    event_city: Option<String>,
    #[serde(deserialize_with = "text")]
    event_state: Option<String>,
    #[serde(deserialize_with = "text")]
    event_country: Option<String>,
    #[serde(deserialize_with = "text")]
    event_code: Option<String>,
}

/// USPS's error body: `{"apiVersion": …, "error": {"code", "message", "errors": [...]}}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorBody {
    #[serde(deserialize_with = "text")]
    code: Option<String>,
    #[serde(deserialize_with = "text")]
    message: Option<String>,
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ErrorItem {
    #[serde(deserialize_with = "text")]
    code: Option<String>,
    #[serde(deserialize_with = "text")]
    title: Option<String>,
    #[serde(deserialize_with = "text")]
    detail: Option<String>,
}

impl ErrorBody {
    /// True for the errors USPS gives while it has no record of the number.
    fn not_yet_known(&self) -> bool {
        let listed = |code: Option<&str>| code.is_some_and(|c| NOT_YET_CODES.contains(&c.trim()));
        listed(self.code.as_deref()) || self.errors.iter().any(|e| listed(e.code.as_deref()))
    }

    fn summary(&self) -> String {
        let detail = self.errors.iter().find_map(|e| {
            clean_text(e.detail.as_deref()).or_else(|| clean_text(e.title.as_deref()))
        });
        clean_text(self.message.as_deref())
            .or(detail)
            .unwrap_or_else(|| self.code.clone().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::test_support::*;
    use waypost_shared::event::Place;

    fixtures!("usps");

    fn found(body: &str) -> CarrierAnswer {
        found_by(read_track, body)
    }

    fn us(city: &str, state: &str) -> Option<Place> {
        Some(Place {
            city: Some(city.into()),
            region: Some(state.into()),
            country: None,
        })
    }

    #[test]
    fn delivered_item() {
        let answer = found(DELIVERED);
        assert_eq!(
            details(&answer),
            vec![
                (Status::Delivered, Some(SubStatus::ToRecipient)),
                (Status::OutForDelivery, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert_eq!(codes(&answer), vec!["01", "OF", "07", "TL", "A1", "03"]);
        let delivered = &answer.events[0];
        assert_eq!(delivered.description, "Delivered, Left with Individual");
        // 14:05 in Omaha at −06:00 is 20:05 UTC; the `Z` USPS writes is not read as UTC.
        assert_eq!(delivered.time.local_time(), local("2026-11-22 14:05"));
        assert_eq!(offset_hours(delivered), Some(-6));
        assert_eq!(delivered.time.utc(), Some(utc("2026-11-22 20:05")));
        assert_eq!(delivered.location, us("OMAHA", "NE"));
        // `-6:00` without its leading zero.
        assert_eq!(offset_hours(&answer.events[1]), Some(-6));
        assert_eq!(answer.events[1].time.utc(), Some(utc("2026-11-22 13:10")));
        // No GMTOffset: the offset is the difference to GMTTimestamp.
        let arrived = &answer.events[2];
        assert_eq!(arrived.time.local_time(), local("2026-11-22 05:52"));
        assert_eq!(offset_hours(arrived), Some(-6));
        assert_eq!(arrived.time.utc(), Some(utc("2026-11-22 11:52")));
        // No GMT fields at all: local time only, never an invented offset.
        let moving = &answer.events[3];
        assert_eq!(moving.time.local_time(), local("2026-11-20 03:14"));
        assert_eq!(moving.time.offset(), None);
        assert_eq!(moving.time.utc(), None);
        assert_eq!(moving.location, None);
        // Denver and Santa Monica scans carry their own offsets.
        let denver = &answer.events[4];
        assert_eq!(denver.description, "Arrived at USPS Regional Facility");
        assert_eq!(offset_hours(denver), Some(-7));
        assert_eq!(
            denver.location,
            Some(Place {
                city: Some("DENVER CO DISTRIBUTION CENTER".into()),
                ..Place::default()
            })
        );
        let accepted = &answer.events[5];
        assert_eq!(accepted.time.local_time(), local("2026-11-18 10:05"));
        assert_eq!(offset_hours(accepted), Some(-8));
        assert_eq!(accepted.time.utc(), Some(utc("2026-11-18 18:05")));
        assert_eq!(accepted.location, us("SANTA MONICA", "CA"));
    }

    #[test]
    fn delivered_continues_the_in_transit_journey() {
        // The service reads `delivered` as the later answer for the `in_transit` item: the
        // delivery comes after every in-transit scan, and the scans both share are identical.
        let before = found(IN_TRANSIT);
        let after = found(DELIVERED);
        let latest = |a: &CarrierAnswer| a.events.iter().map(|e| e.time.sort_key()).max();
        assert!(latest(&after) > latest(&before));
        assert_eq!(before.events[0], after.events[3]);
        assert_eq!(before.events[1], after.events[4]);
        assert_eq!(before.events[3], after.events[5]);
    }

    #[test]
    fn in_transit_item() {
        let answer = found(IN_TRANSIT);
        assert_eq!(
            details(&answer),
            vec![
                (Status::InTransit, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["TL", "A1", "SF", "03", "GX"]);
        let moving = &answer.events[0];
        assert_eq!(moving.description, "In Transit to Next Facility");
        assert_eq!(moving.location, None);
        assert_eq!(moving.time.offset(), None);
        let denver = &answer.events[1];
        assert_eq!(offset_hours(denver), Some(-7));
        assert_eq!(denver.time.utc(), Some(utc("2026-11-19 15:41")));
        let santa_monica = &answer.events[2];
        assert_eq!(santa_monica.time.local_time(), local("2026-11-18 17:20"));
        assert_eq!(offset_hours(santa_monica), Some(-8));
        assert_eq!(santa_monica.time.utc(), Some(utc("2026-11-19 01:20")));
        assert_eq!(santa_monica.location, us("SANTA MONICA", "CA"));
        // expectedDeliveryTimeStamp: its date.
        assert_eq!(answer.eta_from, Some(day("2026-11-22")));
        assert_eq!(answer.eta_to, Some(day("2026-11-22")));
    }

    #[test]
    fn out_for_delivery_item() {
        let answer = found(OUT_FOR_DELIVERY);
        assert_eq!(
            details(&answer),
            vec![
                (Status::OutForDelivery, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert_eq!(codes(&answer), vec!["OF", "07", "A1", "T1", "03"]);
        let out = &answer.events[0];
        assert_eq!(out.description, "Out for Delivery");
        assert_eq!(out.time.local_time(), local("2026-11-24 07:45"));
        assert_eq!(offset_hours(out), Some(-6));
        assert_eq!(out.time.utc(), Some(utc("2026-11-24 13:45")));
        assert_eq!(out.location, us("AUSTIN", "TX"));
        let phoenix = &answer.events[3];
        assert_eq!(offset_hours(phoenix), Some(-7));
        assert_eq!(phoenix.time.utc(), Some(utc("2026-11-23 02:30")));
        assert_eq!(answer.eta_from, Some(day("2026-11-24")));
        assert_eq!(answer.eta_to, Some(day("2026-11-24")));
    }

    #[test]
    fn failed_attempt_item() {
        let answer = found(FAILED_ATTEMPT);
        assert_eq!(
            details(&answer),
            vec![
                (Status::AttemptFailed, Some(SubStatus::RecipientUnavailable)),
                (Status::OutForDelivery, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert_eq!(codes(&answer), vec!["02", "OF", "07", "A1", "03"]);
        let attempt = &answer.events[0];
        assert_eq!(
            attempt.description,
            "Notice Left (No Authorized Recipient Available)"
        );
        assert_eq!(attempt.time.local_time(), local("2026-11-21 15:32"));
        assert_eq!(offset_hours(attempt), Some(-8));
        assert_eq!(attempt.time.utc(), Some(utc("2026-11-21 23:32")));
        assert_eq!(attempt.location, us("SEATTLE", "WA"));
        // predictedDeliveryDate.
        assert_eq!(answer.eta_from, Some(day("2026-11-23")));
        assert_eq!(answer.eta_to, Some(day("2026-11-23")));
    }

    #[test]
    fn exception_item() {
        let answer = found(EXCEPTION);
        assert_eq!(
            details(&answer),
            vec![
                (Status::Exception, Some(SubStatus::ReturningToSender)),
                (Status::AttemptFailed, Some(SubStatus::InvalidAddress)),
                (Status::OutForDelivery, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert_eq!(codes(&answer), vec!["09", "05", "OF", "07", "03"]);
        let back = &answer.events[0];
        assert_eq!(back.description, "Return to Sender Processed");
        assert_eq!(back.time.local_time(), local("2026-11-23 09:40"));
        assert_eq!(offset_hours(back), Some(-5));
        assert_eq!(back.time.utc(), Some(utc("2026-11-23 14:40")));
        assert_eq!(back.location, us("MIAMI", "FL"));
        assert_eq!(answer.events[1].description, "Undeliverable as Addressed");
        assert_eq!(answer.events[4].location, us("ORLANDO", "FL"));
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
    }

    #[test]
    fn pickup_ready_item() {
        let answer = found(PICKUP_READY);
        assert_eq!(
            details(&answer),
            vec![
                (Status::AvailableForPickup, Some(SubStatus::PostOffice)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["16", "07", "A1", "03", "GX"]);
        let ready = &answer.events[0];
        assert_eq!(ready.description, "Available for Pickup");
        assert_eq!(ready.time.local_time(), local("2026-11-21 10:18"));
        assert_eq!(offset_hours(ready), Some(-7));
        assert_eq!(ready.time.utc(), Some(utc("2026-11-21 17:18")));
        assert_eq!(ready.location, us("DENVER", "CO"));
        assert_eq!(answer.events[4].time.offset(), None);
    }

    #[test]
    fn unknown_numbers() {
        let not_yet = r#"{"apiVersion":"/tracking/v3","error":{"code":"400","message":"A status update is not yet available.","errors":[{"status":"400","code":"150001","title":"Bad Request"}]}}"#;
        assert_eq!(read_track(UNLISTED, 400, not_yet), Ok(Lookup::NotFound));
        let top_level = r#"{"error":{"code":"150002","message":"The number may be incorrect."}}"#;
        assert_eq!(read_track(UNLISTED, 400, top_level), Ok(Lookup::NotFound));
    }

    #[test]
    fn unreadable_answers_are_errors() {
        for body in [
            r#"{"trackingNumber":"9400","trackingEvents":"none"}"#,
            r#"{"TrackResults":{"TrackInfo":{"TrackSummary":"Delivered"}}}"#,
        ] {
            assert!(
                read_track(UNLISTED, 200, body).is_err(),
                "{body:?} should be refused"
            );
        }
        let unauthorized = r#"{"apiVersion":"/tracking/v3","error":{"code":"401","message":"The client application identifier is invalid.","errors":[]}}"#;
        assert!(read_track(UNLISTED, 401, unauthorized).is_err());
        assert!(read_track(UNLISTED, 403, unauthorized).is_err());
        assert!(read_track(UNLISTED, 200, NOT_FOUND).is_err());
        let bad_request = r#"{"apiVersion":"/tracking/v3","error":{"code":"400","message":"Invalid parameter","errors":[{"status":"400","code":"100001"}]}}"#;
        let err = read_track(UNLISTED, 400, bad_request).unwrap_err();
        assert!(err.0.contains("Invalid parameter"), "{err}");
    }

    #[test]
    fn one_unreadable_event_costs_only_itself() {
        let mut body: Value = serde_json::from_str(IN_TRANSIT).unwrap();
        let events = &mut body["trackingEvents"];
        // The time-only stamps USPS once sent, a non-object, a missing stamp.
        events[0]["eventTimestamp"] = "03:14:00".into();
        events[1] = Value::Bool(true);
        events[2]["eventTimestamp"] = Value::Null;
        let answer = found(&body.to_string());
        assert_eq!(codes(&answer), vec!["03", "GX"]);

        let mut all_bad: Value = serde_json::from_str(IN_TRANSIT).unwrap();
        for event in all_bad["trackingEvents"].as_array_mut().unwrap() {
            event["eventTimestamp"] = "soon".into();
        }
        assert!(read_track(UNLISTED, 200, &all_bad.to_string()).is_err());

        let label_only =
            r#"{"trackingNumber":"9400","statusCategory":"Pre-Shipment","trackingEvents":[]}"#;
        assert_eq!(
            read_track(UNLISTED, 200, label_only),
            Ok(Lookup::Found(CarrierAnswer::default()))
        );
    }

    #[test]
    fn offsets_are_only_what_usps_said() {
        let read = |event: &str| {
            let event: Event = serde_json::from_str(event).unwrap();
            event_time(&event).unwrap()
        };
        // Without the `Z`, and with a GMT time in milliseconds.
        let t = read(
            r#"{"eventTimestamp":"2026-11-20T07:03:12","GMTTimestamp":"2026-11-20T14:03:12.041Z"}"#,
        );
        assert_eq!(t.offset().map(|o| o.local_minus_utc()), Some(-7 * 3600));
        // A GMT time that is not a whole number of minutes away gives no offset.
        let t = read(
            r#"{"eventTimestamp":"2026-11-20T07:03:00Z","GMTTimestamp":"2026-11-20T14:03:12Z"}"#,
        );
        assert_eq!(t.offset(), None);
        // Nor does one a day and more away.
        let t = read(
            r#"{"eventTimestamp":"2026-11-20T07:03:00Z","GMTTimestamp":"2026-11-22T07:03:00Z"}"#,
        );
        assert_eq!(t.offset(), None);
        // An unreadable GMTOffset falls back on GMTTimestamp, then on nothing.
        let t = read(
            r#"{"eventTimestamp":"2026-11-20T07:03:00Z","GMTOffset":"PST","GMTTimestamp":"2026-11-20T15:03:00Z"}"#,
        );
        assert_eq!(t.offset().map(|o| o.local_minus_utc()), Some(-8 * 3600));
        let t = read(r#"{"eventTimestamp":"2026-11-20T07:03:00Z","GMTOffset":"PST"}"#);
        assert_eq!(t.local_time(), local("2026-11-20 07:03"));
        assert_eq!(t.utc(), None);
        // A numeric offset in the stamp counts; the `Z` never does.
        let t = read(r#"{"eventTimestamp":"2026-11-20T14:05:00-05:00"}"#);
        assert_eq!(t.utc(), Some(utc("2026-11-20 19:05")));
        let t = read(r#"{"eventTimestamp":"2026-11-20T14:05:00.000Z"}"#);
        assert_eq!(t.local_time(), local("2026-11-20 14:05"));
        assert_eq!(t.utc(), None);
        // Half-hour zones; the stated offset wins over the GMT timestamp.
        let t = read(
            r#"{"eventTimestamp":"2026-11-20T14:05:00Z","GMTOffset":"+05:30","GMTTimestamp":"2026-11-20T14:05:00Z"}"#,
        );
        assert_eq!(t.utc(), Some(utc("2026-11-20 08:35")));
    }

    #[test]
    fn codes_and_words_refine_the_status() {
        let status = |code: &str, words: &str| {
            let body = format!(
                r#"{{"trackingNumber":"9400","trackingEvents":[{{"eventType":"{words}","eventTimestamp":"2026-11-20T12:00:00Z","eventCode":"{code}"}}]}}"#
            );
            found(&body).events.remove(0).status
        };
        assert_eq!(
            status("01", "Delivered, In/At Mailbox"),
            StatusDetail::sub(SubStatus::ToMailbox)
        );
        assert_eq!(
            status("01", "Delivered, Front Door/Porch"),
            StatusDetail::sub(SubStatus::ToSafePlace)
        );
        assert_eq!(
            status("01", "Delivered, Parcel Locker"),
            StatusDetail::sub(SubStatus::ToMailbox)
        );
        assert_eq!(
            status("01", "Delivered, Front Desk/Reception/Mail Room"),
            StatusDetail::new(Status::Delivered)
        );
        assert_eq!(
            status("43", "Delivered, Individual Picked Up at Post Office"),
            StatusDetail::sub(SubStatus::Collected)
        );
        assert_eq!(
            status("30", "Delivery Attempted - No Access to Delivery Location"),
            StatusDetail::sub(SubStatus::AccessIssue)
        );
        assert_eq!(
            status("04", "Refused"),
            StatusDetail::sub(SubStatus::Refused)
        );
        assert_eq!(
            status("22", "Insufficient Address"),
            StatusDetail::sub(SubStatus::IncompleteAddress)
        );
        assert_eq!(
            status("51", "Business Closed"),
            StatusDetail::sub(SubStatus::RecipientUnavailable)
        );
        assert_eq!(
            status("16", "Available for Pickup, Parcel Locker"),
            StatusDetail::sub(SubStatus::Locker)
        );
        assert_eq!(
            status("01", "Delivered, To Original Sender"),
            StatusDetail::sub(SubStatus::ReturnedToSender)
        );
        assert_eq!(
            status("06", "Forwarded"),
            StatusDetail::sub(SubStatus::Forwarded)
        );
        // Codes this adapter does not list fall back on the words.
        assert_eq!(
            status("H0", "Held at Post Office, At Customer Request"),
            StatusDetail::sub(SubStatus::PostOffice)
        );
        assert_eq!(
            status("", "Arriving Late"),
            StatusDetail::sub(SubStatus::Delayed)
        );
        assert_eq!(
            status("NT", "Accepted at USPS Origin Facility"),
            StatusDetail::sub(SubStatus::PickedUp)
        );
        assert_eq!(
            status("ZZ", "Alert: Item Damaged"),
            StatusDetail::sub(SubStatus::Damaged)
        );
        // A customs hold (an alert) is held, an exception the customer may have to act on;
        // clearance itself stays customs processing.
        assert_eq!(
            status("", "Held in Customs"),
            StatusDetail::sub(SubStatus::Held)
        );
        assert_eq!(
            status("ZZ", "Customs Hold"),
            StatusDetail::sub(SubStatus::Held)
        );
        assert_eq!(
            status("", "Customs Clearance"),
            StatusDetail::sub(SubStatus::CustomsProcessing)
        );
        assert_eq!(
            status("ZZ", "Moving Through Network"),
            StatusDetail::new(Status::InTransit)
        );
        // No words: the code stands in for them.
        let body = r#"{"trackingEvents":[{"eventType":" ","eventTimestamp":"2026-11-20T12:00:00","eventCode":"OF"}]}"#;
        let event = found(body).events.remove(0);
        assert_eq!(event.description, "OF");
        assert_eq!(event.status, StatusDetail::new(Status::OutForDelivery));
    }

    #[test]
    fn hostile_text_is_bounded() {
        let long = "y".repeat(5000);
        let body = format!(
            r#"{{"trackingEvents":[{{"eventType":"a\u0007b{long}","eventTimestamp":"2026-11-20T12:00:00Z","eventCity":"{long}","eventCountry":"UNITED STATES","eventCode":7}}]}}"#
        );
        let event = found(&body).events.remove(0);
        assert_eq!(event.description.chars().count(), 200);
        assert!(!event.description.contains('\u{7}'));
        let place = event.location.unwrap();
        assert_eq!(place.city.map(|c| c.len()), Some(200));
        assert_eq!(place.country, None);
        assert_eq!(event.carrier_code.as_deref(), Some("7"));
    }
}
