//! UPS Tracking API (`GET /api/track/v1/details/{inquiryNumber}`, OAuth bearer token).
//!
//! Covers one package per answer: the package whose `trackingNumber` is the number asked (the
//! answer about one package of a multi-piece shipment lists every package of the shipment), else,
//! when no package names it, the first package of the first shipment that has one. Each
//! `activity` becomes an event: local `date` + `time`, the offset from `gmtOffset` or, when that
//! is missing, from the difference to `gmtDate` + `gmtTime`; never an invented one. Places are
//! city, state and country only (`postalCode` and address lines are never read). The status comes
//! from the activity's type and code, then its three-digit `statusCode`, then its type alone
//! ([`status_for`]); the carrier code kept is `type/code` (`I/DP`). The ETA is the rescheduled
//! (`RDD`) or else the scheduled (`SDD`) delivery date; the actual delivery date (`DEL`) is not
//! an estimate.
//!
//! Unknown numbers: the specification documents HTTP 404 with `response.errors`, while the live
//! API answers HTTP 200 with a `TW0001` "Tracking Information Not Found" warning on the shipment
//! (the body of `fixtures/carriers/ups/not_found.json`, read as not found with HTTP 200 or 404).
//! All of these read as [`Lookup::NotFound`], as does HTTP 400 `TV1002` (an inquiry number UPS
//! cannot have issued).

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
use super::{
    BadAnswer, CallMethod, CarrierAnswer, HttpCall, Lookup, clean_text, place, same_number,
};

/// Warning and error codes UPS uses for a number it has no record of.
const NOT_FOUND_CODES: [&str; 3] = ["TW0001", "151044", "TV1002"];
/// Longest `transId` UPS accepts.
const MAX_TRANS_ID: usize = 32;

/// The tracking call for `number`: `base` has no trailing slash, `credential` is the OAuth
/// access token.
pub fn track_call(base: &str, number: &str, credential: &str) -> HttpCall {
    let trans_id: String = number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(MAX_TRANS_ID)
        .collect();
    HttpCall {
        method: CallMethod::Get,
        url: format!(
            "{base}/api/track/v1/details/{}?locale=en_US&returnSignature=false",
            utf8_percent_encode(number, NON_ALPHANUMERIC)
        ),
        headers: vec![
            ("Authorization", format!("Bearer {credential}")),
            (
                "transId",
                if trans_id.is_empty() {
                    "waypost".into()
                } else {
                    trans_id
                },
            ),
            ("transactionSrc", "waypost".into()),
            ("Accept", "application/json".into()),
        ],
        body: None,
    }
}

/// Reads the answer about `number` (never a 429 or 5xx): its package's events and ETA,
/// `NotFound` for UPS's unknown-number answers, [`BadAnswer`] for anything else.
pub fn read_track(number: &str, status: u16, body: &str) -> Result<Lookup, BadAnswer> {
    if !matches!(status, 200 | 400 | 404) {
        return Err(BadAnswer(format!("UPS answered HTTP {status}")));
    }
    let answer: Answer = serde_json::from_str(body)?;
    if let Some(track) = answer.track_response {
        let packages = || track.shipment.iter().flat_map(|s| &s.package);
        let package = packages()
            .find(|p| {
                p.tracking_number
                    .as_deref()
                    .is_some_and(|listed| same_number(listed, number))
            })
            .or_else(|| packages().next());
        return match package {
            Some(package) if status == 200 => read_package(package).map(Lookup::Found),
            Some(_) => Err(BadAnswer(format!(
                "UPS answered HTTP {status} with a package"
            ))),
            None if status != 400 && track.shipment.iter().any(|s| says_not_found(&s.warnings)) => {
                Ok(Lookup::NotFound)
            }
            None => Err(BadAnswer(format!(
                "UPS answer has no package{}",
                first_message(track.shipment.iter().flat_map(|s| &s.warnings))
            ))),
        };
    }
    if let Some(response) = answer.response {
        // The documented meaning of 404 on this endpoint is "tracking information not found".
        if status == 404 || says_not_found(&response.errors) {
            return Ok(Lookup::NotFound);
        }
        return Err(BadAnswer(format!(
            "UPS answered HTTP {status}{}",
            first_message(&response.errors)
        )));
    }
    Err(BadAnswer("not a UPS tracking answer".into()))
}

/// What UPS said about one activity, mapped onto the shared taxonomy.
///
/// In order: the activity code read with its type (the same letters mean different things in
/// different UPS tables: `M/DP` is a processed manifest, `I/DP` a departure scan, `X/48` a
/// missed receiver), then the package detail `statusCode`, then the activity type alone
/// (`D` delivered, `I` in transit, `M` billing information received, `MV` voided, `X` exception,
/// `P` pickup). A status without a sub-status is refined from the carrier's words afterwards.
fn status_for(kind: &str, code: &str, status_code: &str) -> StatusDetail {
    use SubStatus::*;
    let by_code = match (kind, code) {
        ("M", _) => Some(LabelCreated),
        ("MV", _) => Some(Cancelled),
        ("I", "OC" | "PL" | "SP") => Some(LabelCreated),
        ("I", "OR" | "PU" | "PC" | "PT" | "XD") => Some(PickedUp),
        ("I", "AR" | "DS" | "HU" | "IP" | "UL" | "F0") => Some(ArrivedFacility),
        ("I", "DP" | "EP" | "F3") => Some(DepartedFacility),
        ("I", "OT" | "OF" | "OD" | "YF" | "2K") => {
            return StatusDetail::new(Status::OutForDelivery);
        }
        ("D", "ML" | "MM" | "MN" | "MP" | "MQ" | "MR" | "MS" | "MW" | "3F" | "ZF" | "NL") => {
            Some(ToSafePlace)
        }
        ("D", "MU") => Some(ToMailbox),
        ("D", "3H") => Some(ToNeighbor),
        ("D", "3G" | "M7" | "MG" | "MH" | "MJ" | "MK") => Some(ToRecipient),
        ("D", "2W" | "FT") => Some(Collected),
        ("D" | "X", "1N") => Some(Locker),
        ("D" | "X", "2Q" | "ZI" | "ZQ") => Some(PickupPoint),
        ("D" | "X", "EP") => Some(PostOffice),
        ("D" | "X", "B0") => Some(ReturnedToSender),
        ("X", "48" | "49" | "C4" | "55" | "G3" | "AY" | "CI") => Some(RecipientUnavailable),
        ("X", "53" | "AM" | "AN" | "AP" | "AQ" | "AS" | "8H") => Some(Refused),
        ("X", "A8" | "AA" | "AG" | "A9" | "E1" | "H5" | "DZ" | "F2" | "CY") => {
            Some(IncompleteAddress)
        }
        ("X", "50" | "BO" | "AC" | "AD" | "AE" | "AF" | "AK" | "AL" | "A7" | "DW" | "C8") => {
            Some(InvalidAddress)
        }
        ("X", "95" | "OE") => Some(AccessIssue),
        ("X", "45" | "HD" | "HE" | "13" | "28") => Some(Damaged),
        ("X", "DL" | "CS" | "3N" | "6C") => Some(ReturningToSender),
        ("X", "CR" | "EJ" | "7V" | "7W" | "2A" | "3D" | "6D" | "7X" | "C5" | "DJ" | "DF") => {
            Some(Delayed)
        }
        ("X", "70" | "B2" | "L4" | "DK") => Some(CustomsHeld),
        ("X", "1C" | "7F" | "EY" | "D9") => Some(DutiesDue),
        ("X" | "I", "BN") => Some(CustomsReleased),
        _ => None,
    };
    if let Some(sub) = by_code {
        return StatusDetail::sub(sub);
    }
    let by_status_code = match status_code.trim().parse::<u16>().ok() {
        Some(3 | 77 | 79 | 80 | 157 | 166) => Some(StatusDetail::sub(LabelCreated)),
        Some(7 | 43) => Some(StatusDetail::sub(Cancelled)),
        Some(65 | 131 | 135) => Some(StatusDetail::new(Status::InfoReceived)),
        Some(38 | 160 | 167 | 168 | 169) => Some(StatusDetail::sub(PickedUp)),
        Some(12 | 92) => Some(StatusDetail::sub(CustomsProcessing)),
        Some(14 | 84 | 134) => Some(StatusDetail::sub(CustomsReleased)),
        Some(58 | 123 | 124 | 125 | 126) => Some(StatusDetail::sub(CustomsHeld)),
        Some(28) => Some(StatusDetail::sub(Forwarded)),
        Some(32 | 46 | 48 | 49 | 51 | 52 | 53 | 55 | 86 | 90 | 132) => {
            Some(StatusDetail::sub(Delayed))
        }
        Some(5 | 10 | 25 | 39 | 44 | 45 | 47 | 57 | 71 | 73 | 74 | 75 | 87 | 137 | 138) => {
            Some(StatusDetail::new(Status::InTransit))
        }
        Some(158 | 159 | 164 | 165) => Some(StatusDetail::new(Status::InTransit)),
        Some(6 | 21 | 37 | 72 | 78 | 89 | 91 | 146 | 162) => {
            Some(StatusDetail::new(Status::OutForDelivery))
        }
        Some(17 | 40 | 161) => Some(StatusDetail::sub(PickupPoint)),
        Some(144) => Some(StatusDetail::sub(PostOffice)),
        Some(22 | 23 | 24 | 50 | 60 | 61 | 62 | 66 | 69 | 145) => {
            Some(StatusDetail::new(Status::AttemptFailed))
        }
        Some(64) => Some(StatusDetail::sub(Refused)),
        Some(139) => Some(StatusDetail::sub(AccessIssue)),
        Some(11 | 26 | 143) => Some(StatusDetail::new(Status::Delivered)),
        Some(59 | 81) => Some(StatusDetail::sub(Damaged)),
        Some(33 | 35 | 36 | 118 | 119) => Some(StatusDetail::sub(ReturningToSender)),
        Some(34 | 67) => Some(StatusDetail::sub(ReturnedToSender)),
        Some(68) => Some(StatusDetail::sub(Lost)),
        Some(19 | 20 | 83 | 85) => Some(StatusDetail::sub(Held)),
        Some(13 | 29 | 76 | 147 | 149) => Some(StatusDetail::new(Status::Exception)),
        _ => None,
    };
    if let Some(detail) = by_status_code {
        return detail;
    }
    match kind {
        "D" => StatusDetail::new(Status::Delivered),
        "X" => StatusDetail::new(Status::Exception),
        "P" => StatusDetail::sub(PickedUp),
        _ => StatusDetail::new(Status::InTransit),
    }
}

/// Adds a sub-status from the carrier's words when the codes gave none (`words` is lower case);
/// a customs hold makes an in-transit activity held, an exception.
fn refine(detail: StatusDetail, words: &str) -> StatusDetail {
    use SubStatus::*;
    let has = words::has_in(words);
    words::refine(detail, |status| match status {
        Status::Delivered if has(&["mailbox", "mail box"]) => Some(ToMailbox),
        Status::Delivered if has(&["neighbor", "neighbour"]) => Some(ToNeighbor),
        Status::Delivered
            if has(&[
                "door", "porch", "garage", "patio", "deck", "carport", "shed",
            ]) =>
        {
            Some(ToSafePlace)
        }
        Status::Delivered if has(&["access point", "picked up"]) => Some(Collected),
        Status::Delivered if has(&["left with", "receiver"]) => Some(ToRecipient),
        Status::AttemptFailed if has(&["refused"]) => Some(Refused),
        Status::AttemptFailed if has(&["incomplete", "missing", "suite", "apartment"]) => {
            Some(IncompleteAddress)
        }
        Status::AttemptFailed if has(&["address"]) => Some(InvalidAddress),
        Status::AttemptFailed if has(&["access", "gate", "security"]) => Some(AccessIssue),
        Status::AttemptFailed if has(&["not available", "closed", "not in", "no one"]) => {
            Some(RecipientUnavailable)
        }
        Status::AvailableForPickup if has(&["locker"]) => Some(Locker),
        Status::AvailableForPickup if has(&["post office"]) => Some(PostOffice),
        Status::AvailableForPickup => Some(PickupPoint),
        Status::Exception | Status::InTransit if has(&["weather", "delay"]) => Some(Delayed),
        Status::Exception if has(&["damage"]) => Some(Damaged),
        Status::Exception
            if has(&[
                "delivered to the sender",
                "delivered to original sender",
                "was returned to the sender",
            ]) =>
        {
            Some(ReturnedToSender)
        }
        Status::Exception if has(&["return"]) => Some(ReturningToSender),
        Status::Exception if has(&["held", "hold"]) => Some(Held),
        Status::InTransit if words::customs_hold(words) => Some(Held),
        Status::InTransit if has(&["clearance", "customs"]) => Some(CustomsProcessing),
        Status::InTransit if has(&["arrived"]) => Some(ArrivedFacility),
        Status::InTransit if has(&["departed"]) => Some(DepartedFacility),
        _ => None,
    })
}

fn read_package(package: &Package) -> Result<CarrierAnswer, BadAnswer> {
    let delivered_at = package
        .delivery_information
        .as_ref()
        .and_then(|d| d.location.as_deref())
        .unwrap_or("");
    let mut events = Vec::with_capacity(package.activity.len());
    for activity in &package.activity {
        let read = Activity::deserialize(activity)
            .ok()
            .and_then(|a| read_activity(&a, delivered_at));
        events.extend(read);
    }
    if events.is_empty() && !package.activity.is_empty() {
        return Err(BadAnswer("no UPS activity could be read".into()));
    }
    let dates: Vec<DeliveryDate> = package
        .delivery_date
        .iter()
        .filter_map(|d| DeliveryDate::deserialize(d).ok())
        .collect();
    let eta = ["RDD", "SDD"].into_iter().find_map(|kind| {
        dates
            .iter()
            .filter(|d| d.kind.as_deref().map(str::trim) == Some(kind))
            .find_map(|d| d.date.as_deref().and_then(read_date))
    });
    Ok(CarrierAnswer {
        events,
        eta_from: eta,
        eta_to: eta,
        last_mile: None,
    })
}

/// One activity as an event; `None` when its time cannot be read or it says nothing at all.
fn read_activity(activity: &Activity, delivered_at: &str) -> Option<TrackingEvent> {
    let time = activity_time(activity)?;
    let status = activity.status.clone().unwrap_or_default();
    let kind = status.kind.as_deref().map(str::trim).unwrap_or("");
    let code = status.code.as_deref().map(str::trim).unwrap_or("");
    let carrier_code = match (kind.is_empty(), code.is_empty()) {
        (false, false) => Some(format!("{kind}/{code}")),
        (false, true) => Some(kind.to_owned()),
        (true, false) => Some(code.to_owned()),
        (true, true) => None,
    };
    let description = clean_text(status.description.as_deref()).or_else(|| carrier_code.clone())?;
    let mut words = description.to_lowercase();
    if kind == "D" {
        words.push(' ');
        words.push_str(&delivered_at.to_lowercase());
    }
    let detail = refine(
        status_for(kind, code, status.status_code.as_deref().unwrap_or("")),
        &words,
    );
    let address = activity.location.as_ref().and_then(|l| l.address.as_ref());
    let location = address.and_then(|a| {
        place(
            a.city.as_deref(),
            a.state_province.as_deref(),
            a.country_code.as_deref().or(a.country.as_deref()),
        )
    });
    Some(TrackingEvent {
        time,
        status: detail,
        description,
        location,
        carrier_code,
        carrier: None,
    })
}

/// The activity's local time, with the offset UPS gave (`gmtOffset`) or the one its GMT date and
/// time imply; `None` when the local date or time is unreadable.
fn activity_time(activity: &Activity) -> Option<EventTime> {
    let date = activity.date.as_deref()?;
    let time = pad_time(activity.time.as_deref()?);
    let local = EventTime::from_parts(date, &time, None).ok()?.local_time();
    let offset = written_offset(date, &time, activity.gmt_offset.as_deref()).or_else(|| {
        let gmt_date = activity.gmt_date.as_deref()?;
        let gmt_time = pad_time(activity.gmt_time.as_deref()?);
        let gmt = EventTime::from_parts(gmt_date, &gmt_time, None).ok()?;
        offset_between(local, gmt.local_time())
    });
    Some(times::event_time(local, offset))
}

/// `74700` → `074700`: UPS drops the leading zero of early-morning times in some fields.
fn pad_time(time: &str) -> String {
    let time = time.trim();
    if matches!(time.len(), 3 | 5) && time.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{time}")
    } else {
        time.to_owned()
    }
}

/// `20261123` or `2026-11-23`, and nothing after it. USPS's `read_date` differs (the first ten
/// characters of a date-time).
fn read_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%Y%m%d", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

fn says_not_found(notices: &[Notice]) -> bool {
    notices.iter().any(|n| {
        n.code
            .as_deref()
            .is_some_and(|c| NOT_FOUND_CODES.contains(&c.trim()))
            || n.message
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("not found"))
    })
}

fn first_message<'a>(notices: impl IntoIterator<Item = &'a Notice>) -> String {
    notices
        .into_iter()
        .find_map(|n| {
            let code = n.code.as_deref().unwrap_or("?");
            clean_text(n.message.as_deref()).map(|m| format!(": {code} {m}"))
        })
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    #[serde(default)]
    track_response: Option<TrackResponse>,
    #[serde(default)]
    response: Option<ErrorResponse>,
}

#[derive(Deserialize)]
struct TrackResponse {
    #[serde(default)]
    shipment: Vec<Shipment>,
}

#[derive(Deserialize)]
struct Shipment {
    #[serde(default)]
    package: Vec<Package>,
    #[serde(default)]
    warnings: Vec<Notice>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    #[serde(default)]
    errors: Vec<Notice>,
}

#[derive(Deserialize)]
struct Notice {
    #[serde(default, deserialize_with = "text")]
    code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    message: Option<String>,
}

/// A package; activities and dates stay raw so one malformed entry costs only itself.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    #[serde(default, deserialize_with = "text")]
    tracking_number: Option<String>,
    #[serde(default)]
    activity: Vec<Value>,
    #[serde(default)]
    delivery_date: Vec<Value>,
    #[serde(default)]
    delivery_information: Option<DeliveryInformation>,
}

/// Where the package was left ("Front Door"); `receivedBy` and the signature are never read.
#[derive(Deserialize)]
struct DeliveryInformation {
    #[serde(default, deserialize_with = "text")]
    location: Option<String>,
}

#[derive(Deserialize)]
struct DeliveryDate {
    #[serde(default, rename = "type", deserialize_with = "text")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "text")]
    date: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Activity {
    #[serde(deserialize_with = "text")]
    date: Option<String>,
    #[serde(deserialize_with = "text")]
    time: Option<String>,
    #[serde(deserialize_with = "text")]
    gmt_date: Option<String>,
    #[serde(deserialize_with = "text")]
    gmt_time: Option<String>,
    #[serde(deserialize_with = "text")]
    gmt_offset: Option<String>,
    location: Option<ActivityLocation>,
    status: Option<ActivityStatus>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActivityLocation {
    address: Option<Address>,
}

/// City, state and country; postal codes and street lines are deliberately not fields here.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Address {
    #[serde(deserialize_with = "text")]
    city: Option<String>,
    #[serde(deserialize_with = "text")]
    state_province: Option<String>,
    #[serde(deserialize_with = "text")]
    country_code: Option<String>,
    #[serde(deserialize_with = "text")]
    country: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
struct ActivityStatus {
    #[serde(rename = "type", deserialize_with = "text")]
    kind: Option<String>,
    #[serde(deserialize_with = "text")]
    description: Option<String>,
    #[serde(deserialize_with = "text")]
    code: Option<String>,
    #[serde(deserialize_with = "text")]
    status_code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::test_support::*;
    use waypost_shared::event::Place;

    fixtures!("ups");
    fixtures!("ups": MULTI_PIECE = "multi_piece");

    /// The second of the two packages of `multi_piece`, and the answer's `inquiryNumber`.
    const SECOND_PACKAGE: &str = "1Z4R7A390342900263";

    fn found(body: &str) -> CarrierAnswer {
        found_by(read_track, body)
    }

    fn city(event: &TrackingEvent) -> Place {
        event.location.clone().unwrap_or_default()
    }

    #[test]
    fn the_call_names_its_transaction() {
        let call = track_call("https://ups.example", "1Z4E7W830312074518", "tok3n");
        assert!(
            call.headers
                .contains(&("transId", "1Z4E7W830312074518".into()))
        );
        assert!(call.headers.contains(&("transactionSrc", "waypost".into())));
        let odd = track_call("http://h", "1Z 12/3?x", "t");
        assert!(odd.headers.contains(&("transId", "1Z123x".into())));
        let long = track_call("http://h", &"9".repeat(40), "t");
        assert!(long.headers.contains(&("transId", "9".repeat(32))));
    }

    #[test]
    fn delivered_package() {
        let answer = found(DELIVERED);
        assert_eq!(
            details(&answer),
            vec![
                (Status::Delivered, Some(SubStatus::ToSafePlace)),
                (Status::OutForDelivery, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(
            codes(&answer),
            vec!["D/FS", "I/OT", "I/AR", "I/DP", "I/OR", "M/MP"]
        );
        let delivered = &answer.events[0];
        assert_eq!(delivered.description, "DELIVERED");
        assert_eq!(delivered.time.local_time(), local("2026-11-23 14:05:12"));
        assert_eq!(offset_hours(delivered), Some(-5));
        assert_eq!(delivered.time.utc(), Some(utc("2026-11-23 19:05:12")));
        assert_eq!(
            city(delivered),
            Place {
                city: Some("NEW YORK".into()),
                region: Some("NY".into()),
                country: Some("US".into()),
            }
        );
        // The Chicago-area hub scan carries its own offset, New York's scans theirs.
        let departed = &answer.events[3];
        assert_eq!(departed.time.local_time(), local("2026-11-21 04:55:02"));
        assert_eq!(offset_hours(departed), Some(-6));
        assert_eq!(departed.time.utc(), Some(utc("2026-11-21 10:55:02")));
        assert_eq!(city(departed).city.as_deref(), Some("Hodgkins"));
        // The manifest record has no GMT fields: no offset is invented.
        let label = &answer.events[5];
        assert_eq!(
            label.description,
            "Shipper created a label, UPS has not received the package yet."
        );
        assert_eq!(label.time.local_time(), local("2026-11-19 09:15:22"));
        assert_eq!(label.time.offset(), None);
        assert_eq!(label.time.utc(), None);
        assert_eq!(
            city(label),
            Place {
                country: Some("US".into()),
                ..Place::default()
            }
        );
    }

    #[test]
    fn delivered_continues_the_in_transit_journey() {
        // The service reads `delivered` as the later answer for the `in_transit` parcel: the
        // delivery comes after every in-transit scan, and the scans both share are identical.
        let before = found(IN_TRANSIT);
        let after = found(DELIVERED);
        let latest = |a: &CarrierAnswer| a.events.iter().map(|e| e.time.sort_key()).max();
        assert!(latest(&after) > latest(&before));
        assert_eq!(before.events[0], after.events[3]);
        assert_eq!(before.events[3], after.events[4]);
        assert_eq!(before.events[4], after.events[5]);
    }

    #[test]
    fn in_transit_package() {
        let answer = found(IN_TRANSIT);
        assert_eq!(
            details(&answer),
            vec![
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["I/DP", "I/AR", "I/DP", "I/OR", "M/MP"]);
        assert_eq!(answer.events[0].description, "Departed from Facility");
        // No gmtOffset, but GMT date and time: the offset is their difference.
        let arrived = &answer.events[1];
        assert_eq!(arrived.time.local_time(), local("2026-11-20 23:12:07"));
        assert_eq!(offset_hours(arrived), Some(-6));
        assert_eq!(arrived.time.utc(), Some(utc("2026-11-21 05:12:07")));
        let denver = &answer.events[3];
        assert_eq!(offset_hours(denver), Some(-7));
        assert_eq!(denver.time.utc(), Some(utc("2026-11-19 23:30:15")));
        assert_eq!(
            city(denver),
            Place {
                city: Some("Denver".into()),
                region: Some("CO".into()),
                country: Some("US".into()),
            }
        );
        assert_eq!(answer.eta_from, Some(day("2026-11-23")));
        assert_eq!(answer.eta_to, Some(day("2026-11-23")));
    }

    #[test]
    fn out_for_delivery_package() {
        let answer = found(OUT_FOR_DELIVERY);
        assert_eq!(
            details(&answer),
            vec![
                (Status::OutForDelivery, None),
                (Status::InTransit, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert_eq!(codes(&answer), vec!["I/OT", "I/YP", "I/AR", "I/DP", "I/OR"]);
        let out = &answer.events[0];
        assert_eq!(out.description, "Out For Delivery Today");
        assert_eq!(out.time.local_time(), local("2026-11-24 07:18:20"));
        assert_eq!(offset_hours(out), Some(-7));
        assert_eq!(out.time.utc(), Some(utc("2026-11-24 14:18:20")));
        let ontario = &answer.events[3];
        assert_eq!(offset_hours(ontario), Some(-8));
        assert_eq!(ontario.time.utc(), Some(utc("2026-11-24 02:30:12")));
        assert_eq!(city(ontario).region.as_deref(), Some("CA"));
        assert_eq!(answer.eta_from, Some(day("2026-11-24")));
        assert_eq!(answer.eta_to, Some(day("2026-11-24")));
    }

    #[test]
    fn failed_attempt_package() {
        let answer = found(FAILED_ATTEMPT);
        assert_eq!(
            details(&answer),
            vec![
                (Status::AttemptFailed, Some(SubStatus::RecipientUnavailable)),
                (Status::OutForDelivery, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["X/48", "I/OT", "I/AR", "I/DP", "M/MP"]);
        let attempt = &answer.events[0];
        assert!(attempt.description.starts_with("Receiver not available"));
        assert_eq!(attempt.time.local_time(), local("2026-11-24 16:22:10"));
        assert_eq!(offset_hours(attempt), Some(-5));
        assert_eq!(attempt.time.utc(), Some(utc("2026-11-24 21:22:10")));
        assert_eq!(city(attempt).city.as_deref(), Some("Dorchester"));
        // The rescheduled date wins over the original schedule.
        assert_eq!(answer.eta_from, Some(day("2026-11-25")));
        assert_eq!(answer.eta_to, Some(day("2026-11-25")));
        assert_eq!(answer.events[4].time.offset(), None);
        assert_eq!(city(&answer.events[4]).city.as_deref(), Some("Secaucus"));
    }

    #[test]
    fn exception_package() {
        let answer = found(EXCEPTION);
        assert_eq!(
            details(&answer),
            vec![
                (Status::Exception, Some(SubStatus::ReturningToSender)),
                (Status::Exception, Some(SubStatus::Damaged)),
                (Status::InTransit, Some(SubStatus::Delayed)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["X/DL", "X/45", "X/7W", "I/AR", "M/MP"]);
        assert_eq!(
            answer.events[0].description,
            "The package will be returned to the sender."
        );
        let weather = &answer.events[2];
        assert_eq!(weather.description, "Severe weather has delayed delivery.");
        assert_eq!(weather.time.local_time(), local("2026-11-20 19:30:04"));
        assert_eq!(offset_hours(weather), Some(-5));
        assert_eq!(weather.time.utc(), Some(utc("2026-11-21 00:30:04")));
        assert_eq!(offset_hours(&answer.events[1]), Some(-6));
        assert_eq!(answer.eta_from, Some(day("2026-11-21")));
    }

    #[test]
    fn pickup_ready_package() {
        let answer = found(PICKUP_READY);
        assert_eq!(
            details(&answer),
            vec![
                (Status::AvailableForPickup, Some(SubStatus::PickupPoint)),
                (Status::InTransit, None),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::DepartedFacility)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["D/2Q", "I/YI", "I/AR", "I/DP", "M/MP"]);
        let ready = &answer.events[0];
        assert_eq!(ready.time.local_time(), local("2026-11-25 11:30:22"));
        assert_eq!(offset_hours(ready), Some(-8));
        assert_eq!(ready.time.utc(), Some(utc("2026-11-25 19:30:22")));
        assert_eq!(city(ready).city.as_deref(), Some("Portland"));
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
    }

    #[test]
    fn a_multi_piece_shipment_shows_the_package_asked_about() {
        // The first package was delivered; the one asked about was missorted on its way.
        let answer = found_for(read_track, SECOND_PACKAGE, MULTI_PIECE);
        assert_eq!(
            details(&answer),
            vec![
                (Status::InTransit, Some(SubStatus::Delayed)),
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
                (Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(codes(&answer), vec!["X/7W", "I/AR", "I/OR", "M/MP"]);
        let missorted = &answer.events[0];
        assert_eq!(
            missorted.description,
            "The package was missorted. This may cause a delay."
        );
        assert_eq!(city(missorted).city.as_deref(), Some("Eau Claire"));
        assert_eq!(missorted.time.utc(), Some(utc("2026-11-24 05:35:12")));
        // Its own rescheduled date, not the first package's delivery.
        assert_eq!(answer.eta_from, Some(day("2026-11-26")));
        assert_eq!(answer.eta_to, Some(day("2026-11-26")));
    }

    #[test]
    fn unknown_numbers() {
        assert_eq!(read_track(UNLISTED, 404, NOT_FOUND), Ok(Lookup::NotFound));
        let documented = r#"{"response":{"errors":[{"code":"151044","message":"Tracking Information Not Found"}]}}"#;
        assert_eq!(read_track(UNLISTED, 404, documented), Ok(Lookup::NotFound));
        let invalid =
            r#"{"response":{"errors":[{"code":"TV1002","message":"Invalid inquiry number"}]}}"#;
        assert_eq!(read_track(UNLISTED, 400, invalid), Ok(Lookup::NotFound));
    }

    #[test]
    fn unreadable_answers_are_errors() {
        for body in [
            r#"{"trackResponse":{"shipment":"none"}}"#,
            r#"{"trackResponse":{"shipment":[{"inquiryNumber":"1Z"}]}}"#,
            r#"{"trackResponse":{"shipment":[{"warnings":[{"code":"TW0009","message":"Something else"}]}]}}"#,
        ] {
            assert!(
                read_track(UNLISTED, 200, body).is_err(),
                "{body:?} should be refused"
            );
        }
        let refused = r#"{"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}}"#;
        assert!(read_track(UNLISTED, 401, refused).is_err());
        assert!(read_track(UNLISTED, 403, refused).is_err());
        assert!(read_track(UNLISTED, 400, refused).is_err());
        assert!(read_track(UNLISTED, 400, NOT_FOUND).is_err());
    }

    #[test]
    fn one_unreadable_activity_costs_only_itself() {
        let mut body: Value = serde_json::from_str(IN_TRANSIT).unwrap();
        let activities = &mut body["trackResponse"]["shipment"][0]["package"][0]["activity"];
        activities[0]["date"] = "yesterday".into();
        activities[1] = Value::String("garbage".into());
        activities[2]["time"] = Value::Null;
        let answer = found(&body.to_string());
        assert_eq!(codes(&answer), vec!["I/OR", "M/MP"]);

        let mut all_bad: Value = serde_json::from_str(IN_TRANSIT).unwrap();
        for activity in all_bad["trackResponse"]["shipment"][0]["package"][0]["activity"]
            .as_array_mut()
            .unwrap()
        {
            activity["date"] = "2026-13-45".into();
        }
        assert!(read_track(UNLISTED, 200, &all_bad.to_string()).is_err());

        let no_activity = r#"{"trackResponse":{"shipment":[{"package":[{"trackingNumber":"1Z","activity":[]}]}]}}"#;
        assert_eq!(
            read_track(UNLISTED, 200, no_activity),
            Ok(Lookup::Found(CarrierAnswer::default()))
        );
    }

    #[test]
    fn offsets_are_only_what_ups_said() {
        let read = |activity: &str| {
            let activity: Activity = serde_json::from_str(activity).unwrap();
            activity_time(&activity).unwrap()
        };
        // A five-digit GMT time (the specification's own example form) still derives.
        let t =
            read(r#"{"date":"20261120","time":"024700","gmtDate":"20261120","gmtTime":"74700"}"#);
        assert_eq!(t.offset().map(|o| o.local_minus_utc()), Some(-5 * 3600));
        // GMT fields that do not make a whole-minute, real-world offset give none.
        let t = read(
            r#"{"date":"20261120","time":"024700","gmtDate":"20261120","gmtTime":"07:47:30"}"#,
        );
        assert_eq!(t.offset(), None);
        let t = read(
            r#"{"date":"20261120","time":"024700","gmtDate":"20261122","gmtTime":"07:47:00"}"#,
        );
        assert_eq!(t.offset(), None);
        // An unreadable offset keeps the local time, without an offset.
        let t = read(r#"{"date":"20261120","time":"140500","gmtOffset":"EST"}"#);
        assert_eq!(t.local_time(), local("2026-11-20 14:05:00"));
        assert_eq!(t.utc(), None);
        // Half-hour zones.
        let t = read(r#"{"date":"20261120","time":"140500","gmtOffset":"+05:30"}"#);
        assert_eq!(t.utc(), Some(utc("2026-11-20 08:35:00")));
    }

    #[test]
    fn codes_and_words_refine_the_status() {
        let event = |status: &str| {
            let body = format!(
                r#"{{"trackResponse":{{"shipment":[{{"package":[{{"activity":[{{"date":"20261120","time":"120000","status":{status}}}]}}]}}]}}}}"#
            );
            found(&body).events.remove(0)
        };
        let e = event(r#"{"type":"D","code":"MU","description":"DELIVERED","statusCode":"011"}"#);
        assert_eq!(e.status, StatusDetail::sub(SubStatus::ToMailbox));
        let e = event(
            r#"{"type":"X","code":"53","description":"Receiver refused the package","statusCode":"064"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Refused));
        let e = event(
            r#"{"type":"X","code":"A8","description":"The apartment number is missing.","statusCode":"029"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::IncompleteAddress));
        let e = event(
            r#"{"type":"X","code":"ZZ","description":"We need the gate code to deliver.","statusCode":"060"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::AccessIssue));
        let e = event(
            r#"{"type":"D","code":"2W","description":"Picked up at UPS Access Point","statusCode":"011"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Collected));
        let e = event(
            r#"{"type":"X","code":"1N","description":"Delivered to a locker","statusCode":"011"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Locker));
        let e = event(r#"{"type":"I","code":"ZZ","description":"Import Scan","statusCode":"012"}"#);
        assert_eq!(e.status, StatusDetail::sub(SubStatus::CustomsProcessing));
        // A customs hold is held (an exception the customer may have to act on); clearance in
        // progress stays customs processing.
        let e =
            event(r#"{"type":"I","code":"ZZ","description":"Held in customs","statusCode":"999"}"#);
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Held));
        let e = event(
            r#"{"type":"X","code":"ZZ","description":"Customs hold: the receiver must contact the customs broker.","statusCode":"999"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Held));
        let e = event(
            r#"{"type":"I","code":"ZZ","description":"Customs clearance in progress","statusCode":"999"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::CustomsProcessing));
        let e = event(
            r#"{"type":"X","code":"ZZ","description":"Your package is on hold.","statusCode":"999"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Held));
        let e = event(
            r#"{"type":"X","code":"ZZ","description":"The package will be returned to the sender.","statusCode":"999"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::ReturningToSender));
        let e = event(
            r#"{"type":"X","code":"ZZ","description":"Package delivered to original sender","statusCode":"999"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::ReturnedToSender));
        let e = event(r#"{"type":"D","code":"ZZ","description":"DELIVERED","statusCode":"011"}"#);
        assert_eq!(e.status, StatusDetail::new(Status::Delivered));
        let e = event(
            r#"{"type":"MV","code":"VP","description":"Shipment voided","statusCode":"007"}"#,
        );
        assert_eq!(e.status, StatusDetail::sub(SubStatus::Cancelled));
        // No words: the code stands in for them.
        let e = event(r#"{"type":"I","code":"AR","description":"  ","statusCode":"005"}"#);
        assert_eq!(e.description, "I/AR");
        assert_eq!(e.carrier_code.as_deref(), Some("I/AR"));
        // A status code as a number, an unknown type.
        let e =
            event(r#"{"type":"Q","code":"??","description":"Something happened","statusCode":21}"#);
        assert_eq!(e.status, StatusDetail::new(Status::OutForDelivery));
        let e = event(r#"{"type":"Q","description":"Something happened"}"#);
        assert_eq!(e.status, StatusDetail::new(Status::InTransit));
    }

    #[test]
    fn hostile_text_is_bounded() {
        let long = "x".repeat(5000);
        let body = format!(
            r#"{{"trackResponse":{{"shipment":[{{"package":[{{"activity":[{{"date":"20261120","time":"120000","location":{{"address":{{"city":"{long}","countryCode":"USA"}}}},"status":{{"type":"I","code":"AR","description":"a\u0000b{long}"}}}}]}}]}}]}}}}"#
        );
        let answer = found(&body);
        let event = &answer.events[0];
        assert_eq!(event.description.chars().count(), 200);
        assert!(!event.description.contains('\u{0}'));
        let place = event.location.clone().unwrap();
        assert_eq!(place.city.map(|c| c.len()), Some(200));
        assert_eq!(place.country, None);
    }
}
