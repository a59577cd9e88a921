//! DHL Shipment Tracking – Unified (`GET /track/shipments?trackingNumber=…`, `DHL-API-Key`
//! header): every DHL division (Express, Parcel DE, eCommerce, …) behind one shape.
//!
//! What is read, from the shipment of `shipments[]` whose `id` is the number asked, else the one
//! whose `details.pieceIds` lists it (a piece of an Express shipment), else the first (DHL lists
//! its best match first; a multi-piece answer may list each piece as a shipment of its own):
//! - `events[]` (or, when DHL sends none, the shipment's `status`): each becomes one event.
//!   `timestamp` is kept exactly as written: with its offset when DHL gives one
//!   (`2026-11-19T23:40:00+01:00`), as local time without an offset when it does not
//!   (`2026-11-20T14:05:00`); an event whose timestamp cannot be read is skipped.
//! - The place is `location.address` `addressLocality` and `countryCode` (DHL has no region).
//!   `postalCode` and `streetAddress` are never read, and parts of `addressLocality` that hold a
//!   digit (`Oderweg 2, AMSTERDAM` → `AMSTERDAM`) are dropped as street or postal code.
//! - The raw code kept is `statusCode`, plus `/status` when `status` is itself a code (upper
//!   case, no spaces, e.g. `transit/OUT_FOR_DELIVERY`) rather than a sentence or a repeat.
//! - The words are `description`, else `status`, else `statusCode`; a signer's name after
//!   "Signed for by" is cut off.
//! - The status comes from [`event_status`]: `statusCode` first, refined by the words
//!   ([`words_status`], the table shared with FedEx) within what the code allows; `unknown` (or a
//!   missing code) is read from the words alone, and when they say nothing recognisable the event
//!   keeps the status of the event before it in time (an unclassifiable note does not move the
//!   parcel), [`Status::InfoReceived`] when none came before.
//! - The ETA is `estimatedDeliveryTimeFrame` (`estimatedFrom`, `estimatedThrough`), else
//!   `estimatedTimeOfDelivery`, as the local calendar dates written.
//! - An unknown number is HTTP 404 with problem JSON (`"title": "No result found"`); HTTP 200 with
//!   an empty `shipments` list reads the same way.

use chrono::NaiveDate;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde_json::Value;
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::EventTime;

use super::draft::{Draft, finish};
use super::lenient::{lenient, lenient_list, text};
use super::times::{estimate, local_date};
use super::words::words_status;
use super::{
    BadAnswer, CallMethod, CarrierAnswer, HttpCall, Lookup, clean_text, place, same_number,
};

/// Longest `status` value still taken for a code rather than words.
const MAX_CODE_CHARS: usize = 32;

/// The DHL tracking call for `number`, authorised with the API key `credential`.
pub fn track_call(base: &str, number: &str, credential: &str) -> HttpCall {
    HttpCall {
        method: CallMethod::Get,
        url: format!(
            "{base}/track/shipments?trackingNumber={}",
            utf8_percent_encode(number, NON_ALPHANUMERIC)
        ),
        headers: vec![
            ("DHL-API-Key", credential.to_owned()),
            ("Accept", "application/json".into()),
        ],
        body: None,
    }
}

/// Reads DHL's answer about `number` (any status but 429 and 5xx) onto the shared model.
pub fn read_track(number: &str, status: u16, body: &str) -> Result<Lookup, BadAnswer> {
    match status {
        200 => {}
        404 => {
            let problem: Problem = serde_json::from_str(body)?;
            return if problem.is_no_result() {
                Ok(Lookup::NotFound)
            } else {
                Err(BadAnswer(
                    "DHL answered HTTP 404 without a no-result problem".into(),
                ))
            };
        }
        other => return Err(BadAnswer(format!("DHL answered HTTP {other}"))),
    }
    let reply: Reply = serde_json::from_str(body)?;
    let shipments = reply
        .shipments
        .ok_or_else(|| BadAnswer("DHL answer has no shipments".into()))?;
    let Some(shipment) = asked_shipment(shipments, number) else {
        return Ok(Lookup::NotFound);
    };
    if shipment.events.is_none() && shipment.status.is_none() {
        return Err(BadAnswer(
            "DHL shipment has neither events nor status".into(),
        ));
    }
    let mut events: Vec<DhlEvent> = shipment
        .events
        .iter()
        .flatten()
        .filter_map(|value| DhlEvent::deserialize(value).ok())
        .collect();
    if events.is_empty() {
        events.extend(
            shipment
                .status
                .as_ref()
                .and_then(|value| DhlEvent::deserialize(value).ok()),
        );
    }
    let drafts = events.iter().filter_map(read_event).collect();
    let (eta_from, eta_to) = eta(&shipment);
    Ok(Lookup::Found(CarrierAnswer {
        events: finish(drafts),
        eta_from,
        eta_to,
        last_mile: None,
    }))
}

/// The shipment about `number`: the one it names, else the one listing it among its pieces, else
/// the first; `None` when there is none.
fn asked_shipment(shipments: Vec<Shipment>, number: &str) -> Option<Shipment> {
    let named = |s: &Shipment| s.id.as_deref().is_some_and(|id| same_number(id, number));
    let lists = |s: &Shipment| {
        s.details
            .as_ref()
            .is_some_and(|d| d.piece_ids.iter().any(|piece| same_number(piece, number)))
    };
    let at = shipments
        .iter()
        .position(named)
        .or_else(|| shipments.iter().position(lists))
        .unwrap_or(0);
    shipments.into_iter().nth(at)
}

/// One event, its status still unknown when its code and words say nothing recognisable;
/// `None` when its timestamp cannot be read.
fn read_event(event: &DhlEvent) -> Option<Draft> {
    let time = EventTime::parse(event.timestamp.as_deref()?).ok()?;
    let status_code = clean_text(event.status_code.as_deref());
    let status_text = clean_text(event.status.as_deref());
    let finer = status_text.as_deref().filter(|status| {
        is_code(status)
            && !status_code
                .as_deref()
                .is_some_and(|code| code.eq_ignore_ascii_case(status))
    });
    let carrier_code = match (status_code.as_deref(), finer) {
        (Some(code), Some(finer)) => clean_text(Some(&format!("{code}/{finer}"))),
        (Some(code), None) => Some(code.to_owned()),
        (None, Some(finer)) => Some(finer.to_owned()),
        (None, None) => None,
    };
    let description = clean_text(event.description.as_deref())
        .or_else(|| status_text.clone())
        .or_else(|| status_code.clone())
        .map(without_signer);
    let words = [event.status.as_deref(), event.description.as_deref()]
        .iter()
        .flatten()
        .map(|text| text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let address = event.location.as_ref().and_then(|l| l.address.as_ref());
    let location = address.and_then(|a| {
        place(
            city(a.address_locality.as_deref()).as_deref(),
            None,
            a.country_code.as_deref(),
        )
    });
    Some(Draft {
        time,
        status: event_status(status_code.as_deref(), &words),
        description,
        location,
        carrier_code,
    })
}

/// DHL's code table: what `statusCode` means, refined by the words (lower case) within what the
/// code allows. `unknown`, a missing code and codes DHL may add later are read from the words
/// alone; `None` when those say nothing recognisable either.
fn event_status(status_code: Option<&str>, words: &str) -> Option<StatusDetail> {
    use Status::*;
    let from_words = words_status(words);
    let code = status_code.map(str::to_ascii_lowercase);
    let detail = match code.as_deref() {
        Some("delivered") => from_words
            .filter(|s| {
                s.status() == Delivered || s.sub_status() == Some(SubStatus::ReturnedToSender)
            })
            .unwrap_or(StatusDetail::new(Delivered)),
        Some("pre-transit") => from_words
            .filter(|s| s.sub_status() == Some(SubStatus::Cancelled))
            .unwrap_or(StatusDetail::sub(SubStatus::LabelCreated)),
        Some("transit") => from_words
            .filter(|s| !matches!(s.status(), Delivered | InfoReceived))
            .unwrap_or(StatusDetail::new(InTransit)),
        Some("failure") => from_words
            .filter(|s| !matches!(s.status(), Delivered | InfoReceived))
            .unwrap_or(StatusDetail::new(Exception)),
        _ => return from_words,
    };
    Some(detail)
}

/// A `status` that is a code rather than words: upper case, no spaces, short.
fn is_code(text: &str) -> bool {
    text.len() <= MAX_CODE_CHARS
        && text.bytes().any(|b| b.is_ascii_alphanumeric())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// The city part of `addressLocality`: comma-separated parts holding a digit (a street number,
/// a postal code) are dropped.
fn city(locality: Option<&str>) -> Option<String> {
    let kept: Vec<&str> = locality?
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty() && !part.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// Express descriptions may name the signer ("Delivered - Signed for by: J SMITH"): the name is
/// cut off.
fn without_signer(text: String) -> String {
    let Some(at) = text.to_ascii_lowercase().find("signed for by") else {
        return text;
    };
    match text.get(..at + "signed for".len()) {
        Some(kept) => kept.trim_end().to_owned(),
        None => text,
    }
}

/// The ETA: the estimated time frame, else the estimated time of delivery.
fn eta(shipment: &Shipment) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let frame = shipment.estimated_delivery_time_frame.as_ref();
    let from = frame.and_then(|f| local_date(f.estimated_from.as_deref()));
    let to = frame.and_then(|f| local_date(f.estimated_through.as_deref()));
    estimate(from, to, || {
        local_date(shipment.estimated_time_of_delivery.as_deref())
    })
}

#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    shipments: Option<Vec<Shipment>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shipment {
    #[serde(default, deserialize_with = "text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    details: Option<Details>,
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    events: Option<Vec<Value>>,
    #[serde(default, deserialize_with = "text")]
    estimated_time_of_delivery: Option<String>,
    #[serde(
        default,
        alias = "estimatedDeliveryTimeframe",
        deserialize_with = "lenient"
    )]
    estimated_delivery_time_frame: Option<TimeFrame>,
}

/// The pieces a shipment is made of, by their piece ids.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default, deserialize_with = "lenient_list")]
    piece_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimeFrame {
    #[serde(default, deserialize_with = "text")]
    estimated_from: Option<String>,
    #[serde(default, deserialize_with = "text")]
    estimated_through: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DhlEvent {
    #[serde(default, deserialize_with = "text")]
    timestamp: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    location: Option<Location>,
    #[serde(default, deserialize_with = "text")]
    status_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "text")]
    description: Option<String>,
}

#[derive(Deserialize)]
struct Location {
    #[serde(default, deserialize_with = "lenient")]
    address: Option<Address>,
}

/// Locality and country only: `postalCode` and `streetAddress` are not even read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Address {
    #[serde(default, deserialize_with = "text")]
    address_locality: Option<String>,
    #[serde(default, deserialize_with = "text")]
    country_code: Option<String>,
}

/// An RFC 7807 problem, as DHL sends with 4xx answers.
#[derive(Deserialize)]
struct Problem {
    #[serde(default, deserialize_with = "text")]
    title: Option<String>,
    #[serde(default, deserialize_with = "text")]
    detail: Option<String>,
}

impl Problem {
    fn is_no_result(&self) -> bool {
        let says = |field: &Option<String>, words: &str| {
            field
                .as_deref()
                .is_some_and(|text| text.to_ascii_lowercase().contains(words))
        };
        says(&self.title, "no result") || says(&self.detail, "no shipment")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::test_support::*;

    fixtures!("dhl");
    fixtures!("dhl": MULTI_PIECE = "multi_piece");

    /// The second parcel of `multi_piece`, each parcel a shipment of its own.
    const SECOND_PARCEL: &str = "00340434161094015919";

    fn found(body: &str) -> CarrierAnswer {
        found_by(read_track, body)
    }

    #[test]
    fn delivered_to_a_neighbour_keeps_offsets_and_no_street() {
        let answer = found(DELIVERED);
        assert_eq!(
            rows(&answer),
            vec![
                row("delivered", Status::Delivered, Some(SubStatus::ToNeighbor)),
                row("transit", Status::OutForDelivery, None),
                row("transit", Status::InTransit, None),
                row("transit", Status::InTransit, None),
                row("transit", Status::InTransit, Some(SubStatus::PickedUp)),
                row(
                    "pre-transit",
                    Status::InfoReceived,
                    Some(SubStatus::LabelCreated)
                ),
            ]
        );
        let delivered = &answer.events[0];
        assert_eq!(
            delivered.description,
            "The shipment has been delivered to the recipient's neighbour."
        );
        let place = delivered.location.as_ref().unwrap();
        assert_eq!(place.city.as_deref(), Some("Bremen"));
        assert_eq!(place.region, None);
        assert_eq!(place.country.as_deref(), Some("DE"));
        let leipzig = &answer.events[3];
        assert_eq!(city_of(leipzig), Some("Leipzig"));
        assert_eq!(leipzig.time.local_time(), local("2026-11-19T21:05:00"));
        assert_eq!(leipzig.time.offset(), hours(1));
        assert_eq!(
            leipzig.time.utc().unwrap().to_rfc3339(),
            "2026-11-19T20:05:00+00:00"
        );
        assert_eq!(answer.events[5].location, None);
        // The street DHL writes into the locality is dropped.
        let debug = format!("{answer:?}");
        for private in ["Am Wall", "140"] {
            assert!(!debug.contains(private), "{private} leaked into {debug}");
        }
    }

    #[test]
    fn express_in_transit_keeps_local_time_without_inventing_an_offset() {
        let answer = found(IN_TRANSIT);
        assert_eq!(
            rows(&answer),
            vec![
                row(
                    "transit",
                    Status::InTransit,
                    Some(SubStatus::CustomsReleased)
                ),
                row(
                    "transit",
                    Status::InTransit,
                    Some(SubStatus::CustomsProcessing)
                ),
                row(
                    "transit",
                    Status::InTransit,
                    Some(SubStatus::ArrivedFacility)
                ),
                row(
                    "transit",
                    Status::InTransit,
                    Some(SubStatus::DepartedFacility)
                ),
                row("transit", Status::InTransit, Some(SubStatus::PickedUp)),
                row(
                    "pre-transit",
                    Status::InfoReceived,
                    Some(SubStatus::LabelCreated)
                ),
            ]
        );
        let newest = &answer.events[0];
        assert_eq!(newest.time.local_time(), local("2026-11-20T14:05:00"));
        assert_eq!(newest.time.offset(), None);
        assert_eq!(newest.time.utc(), None);
        assert_eq!(
            newest.description,
            "Clearance processing complete at CINCINNATI HUB - USA"
        );
        assert_eq!(city_of(newest), Some("CINCINNATI HUB - HEBRON, KY - USA"));
        let leipzig = &answer.events[3];
        assert_eq!(city_of(leipzig), Some("LEIPZIG - GERMANY"));
        assert_eq!(leipzig.time.offset(), hours(1));
        assert_eq!(
            leipzig.time.utc().unwrap().to_rfc3339(),
            "2026-11-19T22:40:00+00:00"
        );
        assert_eq!(answer.eta_from, Some(day("2026-11-23")));
        assert_eq!(answer.eta_to, Some(day("2026-11-24")));
    }

    #[test]
    fn out_for_delivery_keeps_the_finer_status_code() {
        let answer = found(OUT_FOR_DELIVERY);
        assert_eq!(
            rows(&answer),
            vec![
                row("transit/OUT_FOR_DELIVERY", Status::OutForDelivery, None),
                row(
                    "transit/ARRIVED",
                    Status::InTransit,
                    Some(SubStatus::ArrivedFacility)
                ),
                row("transit/PROCESSED", Status::InTransit, None),
                row(
                    "transit/DEPARTED",
                    Status::InTransit,
                    Some(SubStatus::DepartedFacility)
                ),
                row(
                    "pre-transit/DATA_RECEIVED",
                    Status::InfoReceived,
                    Some(SubStatus::LabelCreated)
                ),
            ]
        );
        let newest = &answer.events[0];
        assert_eq!(newest.description, "Out for Delivery");
        assert_eq!(newest.time.local_time(), local("2026-11-20T07:42:00"));
        assert_eq!(newest.time.offset(), hours(-5));
        assert_eq!(city_of(newest), Some("KEARNY, NJ"));
        assert_eq!(answer.events[3].time.offset(), hours(-6));
        assert_eq!(answer.eta_from, Some(day("2026-11-20")));
        assert_eq!(answer.eta_to, Some(day("2026-11-20")));
    }

    #[test]
    fn failed_attempt_says_nobody_was_home() {
        let answer = found(FAILED_ATTEMPT);
        let attempt = &answer.events[0];
        assert_eq!(
            attempt.status,
            StatusDetail::sub(SubStatus::RecipientUnavailable)
        );
        assert_eq!(attempt.carrier_code.as_deref(), Some("failure"));
        assert!(attempt.description.starts_with("Delivery was attempted"));
        assert_eq!(city_of(attempt), Some("Köln"));
        assert_eq!(attempt.time.offset(), hours(1));
        assert_eq!(
            answer.events[1].status,
            StatusDetail::new(Status::OutForDelivery)
        );
        assert_eq!(
            answer.events[2].status,
            StatusDetail::sub(SubStatus::ArrivedFacility)
        );
        assert_eq!(answer.eta_from, Some(day("2026-11-23")));
        assert_eq!(answer.eta_to, Some(day("2026-11-23")));
    }

    #[test]
    fn exception_holds_refuses_and_returns() {
        let answer = found(EXCEPTION);
        assert_eq!(
            rows(&answer),
            vec![
                row(
                    "failure",
                    Status::Exception,
                    Some(SubStatus::ReturningToSender)
                ),
                row("failure", Status::AttemptFailed, Some(SubStatus::Refused)),
                row("transit", Status::Exception, Some(SubStatus::Held)),
                row(
                    "transit",
                    Status::InTransit,
                    Some(SubStatus::ArrivedFacility)
                ),
                row("transit", Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert!(answer.events.iter().all(|e| e.time.offset().is_none()));
        let shenzhen = answer.events[4].location.as_ref().unwrap();
        assert_eq!(shenzhen.city.as_deref(), Some("SHENZHEN - CHINA MAINLAND"));
        assert_eq!(shenzhen.country.as_deref(), Some("CN"));
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
    }

    #[test]
    fn pickup_ready_in_a_packstation() {
        let answer = found(PICKUP_READY);
        assert_eq!(
            rows(&answer),
            vec![
                row(
                    "transit",
                    Status::AvailableForPickup,
                    Some(SubStatus::Locker)
                ),
                row("transit", Status::OutForDelivery, None),
                row("transit", Status::InTransit, None),
                row("transit", Status::InTransit, Some(SubStatus::PickedUp)),
                row(
                    "pre-transit",
                    Status::InfoReceived,
                    Some(SubStatus::LabelCreated)
                ),
            ]
        );
        assert_eq!(
            answer.events[0].description,
            "The shipment is ready for pickup at the PACKSTATION 157 in Düsseldorf."
        );
        assert_eq!(city_of(&answer.events[0]), Some("Düsseldorf"));
    }

    #[test]
    fn a_multi_piece_shipment_shows_the_parcel_asked_about() {
        // The first parcel was delivered to a neighbour; the one asked about is on its way.
        let answer = found_for(read_track, SECOND_PARCEL, MULTI_PIECE);
        assert_eq!(
            rows(&answer),
            vec![
                row("transit", Status::InTransit, None),
                row("transit", Status::InTransit, None),
                row("transit", Status::InTransit, Some(SubStatus::PickedUp)),
                row(
                    "pre-transit",
                    Status::InfoReceived,
                    Some(SubStatus::LabelCreated)
                ),
            ]
        );
        assert_eq!(city_of(&answer.events[0]), Some("Hannover"));
        assert_eq!(answer.eta_from, Some(day("2026-11-25")));
        assert_eq!(answer.eta_to, Some(day("2026-11-25")));
    }

    #[test]
    fn a_piece_id_finds_the_shipment_that_lists_it() {
        // Express shipments go by their waybill number, their pieces by piece ids.
        let body = r#"{"shipments":[
            {"id":"5720639186","details":{"pieceIds":["JD014600003411112221"]},"events":[
                {"timestamp":"2026-11-20T10:00:00+01:00","statusCode":"delivered","description":"Delivered"}]},
            {"id":"1099255990","details":{"totalNumberOfPieces":2,"pieceIds":["JD014600003411112238","JD014600003411112245"]},"events":[
                {"timestamp":"2026-11-19T10:00:00+01:00","statusCode":"transit","description":"Arrived at DHL Sort Facility"}]}
        ]}"#;
        for asked in ["JD014600003411112245", "1099255990"] {
            let answer = found_for(read_track, asked, body);
            assert_eq!(
                answer.events[0].status,
                StatusDetail::sub(SubStatus::ArrivedFacility),
                "{asked}"
            );
        }
    }

    #[test]
    fn unknown_numbers_are_not_found() {
        assert_eq!(
            read_track(
                UNLISTED,
                404,
                r#"{"status":404,"detail":"No shipment with this number."}"#
            ),
            Ok(Lookup::NotFound)
        );
        assert_eq!(
            read_track(UNLISTED, 200, r#"{"shipments":[]}"#),
            Ok(Lookup::NotFound)
        );
    }

    #[test]
    fn garbage_and_refusals_are_errors() {
        for (status, body) in [
            // The no-result problem means an unknown number only under 404.
            (200, NOT_FOUND),
            (200, r#"{"shipments":"none"}"#),
            (200, r#"{"shipments":[{}]}"#),
            (200, r#"{"shipments":[7]}"#),
            (
                401,
                r#"{"status":401,"title":"Unauthorized","detail":"Unauthorized for given resource."}"#,
            ),
            (403, r#"{"status":403,"title":"Forbidden"}"#),
            (
                400,
                r#"{"status":400,"title":"Bad Request","detail":"trackingNumber is required"}"#,
            ),
            (
                404,
                r#"{"status":404,"title":"Not Found","detail":"Resource not found"}"#,
            ),
        ] {
            assert!(
                read_track(UNLISTED, status, body).is_err(),
                "{status} {body:?} should be an error"
            );
        }
    }

    #[test]
    fn unknown_codes_read_words_or_inherit_a_status() {
        let body = r#"{"shipments":[{"id":"1","events":[
            {"timestamp":"2026-11-20T10:00:00","statusCode":"unknown","description":"Note added to the shipment"},
            {"timestamp":"2026-11-20T09:00:00","statusCode":"unknown","description":"Shipment is out with courier for delivery"},
            {"timestamp":"not a time","statusCode":"delivered","description":"Delivered"},
            {"statusCode":"delivered"},
            "junk",
            {"timestamp":"2026-11-19T08:00:00+01:00","description":"Shipment picked up","location":{"address":{"addressLocality":"1043 AG","countryCode":"Netherlands"}}},
            {"timestamp":"2026-11-18T08:00:00+01:00","status":"PO"},
            {"timestamp":"2026-11-21T08:00:00Z","statusCode":"delivered","description":"Delivered - Signed for by: J SMITH","location":{"address":{"addressLocality":"Oderweg 2, AMSTERDAM","countryCode":"NL"}}}
        ],"estimatedTimeOfDelivery":"2026-11-22","estimatedDeliveryTimeFrame":"soon"}]}"#;
        let answer = found(body);
        assert_eq!(answer.events.len(), 5);
        assert_eq!(
            answer.events[0].status,
            StatusDetail::new(Status::OutForDelivery),
            "an unclassifiable note keeps the status before it"
        );
        assert_eq!(answer.events[0].carrier_code.as_deref(), Some("unknown"));
        assert_eq!(
            answer.events[1].status,
            StatusDetail::new(Status::OutForDelivery)
        );
        assert_eq!(
            answer.events[2].status,
            StatusDetail::sub(SubStatus::PickedUp)
        );
        assert_eq!(answer.events[2].carrier_code, None);
        assert_eq!(answer.events[2].location, None);
        // Nothing came before it: info received; its only words are its code.
        assert_eq!(
            answer.events[3].status,
            StatusDetail::new(Status::InfoReceived)
        );
        assert_eq!(answer.events[3].carrier_code.as_deref(), Some("PO"));
        assert_eq!(answer.events[3].description, "PO");
        let signed = &answer.events[4];
        assert_eq!(signed.status, StatusDetail::sub(SubStatus::Signed));
        assert_eq!(signed.description, "Delivered - Signed for");
        assert_eq!(signed.time.offset(), hours(0));
        assert_eq!(city_of(signed), Some("AMSTERDAM"));
        let debug = format!("{answer:?}");
        for private in ["SMITH", "Oderweg", "1043"] {
            assert!(!debug.contains(private), "{private} leaked into {debug}");
        }
        assert_eq!(answer.eta_from, Some(day("2026-11-22")));
        assert_eq!(answer.eta_to, Some(day("2026-11-22")));
    }

    #[test]
    fn the_status_stands_in_when_there_are_no_events() {
        let body = r#"{"shipments":[{"id":"1","status":{"timestamp":"2026-11-20T10:00:00+01:00",
            "statusCode":"transit","status":"In delivery","description":"The shipment has been loaded onto the delivery vehicle."}}]}"#;
        let answer = found(body);
        assert_eq!(answer.events.len(), 1);
        assert_eq!(
            answer.events[0].status,
            StatusDetail::new(Status::OutForDelivery)
        );
        assert_eq!(answer.events[0].carrier_code.as_deref(), Some("transit"));
    }

    #[test]
    fn codes_bound_what_the_words_may_say() {
        let of = |code: &str, words: &str| event_status(Some(code), &words.to_lowercase());
        // The words refine the code but never contradict it.
        assert_eq!(
            of("transit", "Delivered to the neighbour tomorrow"),
            Some(StatusDetail::new(Status::InTransit))
        );
        assert_eq!(
            of("pre-transit", "Shipment picked up"),
            Some(StatusDetail::sub(SubStatus::LabelCreated))
        );
        assert_eq!(
            of("pre-transit", "The order was cancelled by the sender"),
            Some(StatusDetail::sub(SubStatus::Cancelled))
        );
        assert_eq!(
            of("failure", "Problem"),
            Some(StatusDetail::new(Status::Exception))
        );
        assert_eq!(
            of(
                "failure",
                "The address is incomplete (house number missing)"
            ),
            Some(StatusDetail::sub(SubStatus::IncompleteAddress))
        );
        assert_eq!(
            of("failure", "Incorrect delivery address"),
            Some(StatusDetail::sub(SubStatus::InvalidAddress))
        );
        assert_eq!(
            of("failure", "The shipment could not be delivered"),
            Some(StatusDetail::new(Status::AttemptFailed))
        );
        assert_eq!(
            of(
                "delivered",
                "The shipment has been picked up from the PACKSTATION"
            ),
            Some(StatusDetail::sub(SubStatus::Collected))
        );
        assert_eq!(
            of("delivered", "Delivered"),
            Some(StatusDetail::new(Status::Delivered))
        );
        assert_eq!(
            of(
                "transit",
                "Die Sendung wurde in das Zustellfahrzeug geladen."
            ),
            Some(StatusDetail::new(Status::OutForDelivery))
        );
        assert_eq!(
            of("transit", "Shipment is with delivery courier"),
            Some(StatusDetail::new(Status::OutForDelivery))
        );
        assert_eq!(
            of(
                "transit",
                "Customs clearance status updated. Duties payment required"
            ),
            Some(StatusDetail::sub(SubStatus::DutiesDue))
        );
        assert_eq!(
            of("transit", "Shipment on hold - customs"),
            Some(StatusDetail::sub(SubStatus::Held))
        );
        assert_eq!(
            of("transit", "Processed for clearance at CINCINNATI HUB - USA"),
            Some(StatusDetail::sub(SubStatus::CustomsProcessing))
        );
        assert_eq!(
            of("transit", "Ready for collection at DHL ServicePoint"),
            Some(StatusDetail::sub(SubStatus::PickupPoint))
        );
        assert_eq!(
            of("transit", "Available for pickup at the retail outlet"),
            Some(StatusDetail::sub(SubStatus::PostOffice))
        );
        assert_eq!(event_status(Some("unknown"), "something else"), None);
        assert_eq!(event_status(None, ""), None);
    }
}
