//! DHL Shipment Tracking – Unified (`GET /track/shipments?trackingNumber=…`, `DHL-API-Key`
//! header): every DHL division (Express, Parcel DE, eCommerce, …) behind one shape.
//!
//! What is read, from the first of `shipments[]` (DHL lists its best match first):
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
//! - The status comes from [`event_status`]: `statusCode` first, refined by the words within what
//!   the code allows; `unknown` (or a missing code) is read from the words alone, and when they say
//!   nothing recognisable the event keeps the status of the event before it in time (an
//!   unclassifiable note does not move the parcel), [`Status::InfoReceived`] when none came
//!   before.
//! - The ETA is `estimatedDeliveryTimeFrame` (`estimatedFrom`, `estimatedThrough`), else
//!   `estimatedTimeOfDelivery`, as the local calendar dates written.
//! - An unknown number is HTTP 404 with problem JSON (`"title": "No result found"`); HTTP 200 with
//!   an empty `shipments` list reads the same way.

use chrono::NaiveDate;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::EventTime;

use super::{BadAnswer, CallMethod, CarrierAnswer, HttpCall, Lookup, clean_text, place};

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

/// Reads a DHL tracking answer (any status but 429 and 5xx) onto the shared model.
pub fn read_track(status: u16, body: &str) -> Result<Lookup, BadAnswer> {
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
    let Some(shipment) = shipments.into_iter().next() else {
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
    let drafts = events.iter().filter_map(Draft::of).collect();
    let (eta_from, eta_to) = eta(&shipment);
    Ok(Lookup::Found(CarrierAnswer {
        events: finish(drafts),
        eta_from,
        eta_to,
    }))
}

/// An event read so far, its status possibly still unknown.
struct Draft {
    time: EventTime,
    status: Option<StatusDetail>,
    description: Option<String>,
    location: Option<Place>,
    carrier_code: Option<String>,
}

impl Draft {
    fn of(event: &DhlEvent) -> Option<Draft> {
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
}

/// Turns drafts into events: an event without a status of its own keeps the status of the event
/// before it in time ([`Status::InfoReceived`] when none came before). Carrier order is kept.
fn finish(drafts: Vec<Draft>) -> Vec<TrackingEvent> {
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| drafts.get(i).map(|d| d.time.sort_key()));
    let mut statuses = vec![StatusDetail::new(Status::InfoReceived); drafts.len()];
    let mut last = StatusDetail::new(Status::InfoReceived);
    for i in order {
        if let Some(status) = drafts.get(i).and_then(|d| d.status) {
            last = status;
        }
        if let Some(slot) = statuses.get_mut(i) {
            *slot = last;
        }
    }
    drafts
        .into_iter()
        .zip(statuses)
        .map(|(draft, status)| TrackingEvent {
            time: draft.time,
            status,
            description: draft
                .description
                .unwrap_or_else(|| status.status().as_str().to_owned()),
            location: draft.location,
            carrier_code: draft.carrier_code,
        })
        .collect()
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

/// True when `text` contains any of `needles`.
fn has(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| text.contains(needle))
}

/// The status DHL's words (lower case; English, with the commonest German phrases) describe,
/// most specific meaning first; `None` when they say nothing recognisable.
fn words_status(text: &str) -> Option<StatusDetail> {
    use SubStatus::*;
    let sub = |s| Some(StatusDetail::sub(s));
    if has(
        text,
        &[
            "being returned",
            "will be returned",
            "on its way back",
            "return to sender",
            "return to shipper",
            "returning",
            "rücksendung",
        ],
    ) {
        return sub(ReturningToSender);
    }
    if has(text, &["returned to", "zurückgesendet"]) {
        return sub(ReturnedToSender);
    }
    if collected(text) {
        return sub(Collected);
    }
    if has(
        text,
        &[
            "ready for pickup",
            "ready for collection",
            "available for pickup",
            "available for collection",
            "awaiting collection",
            "can be picked up",
            "to be collected",
            "zur abholung",
            "abholbereit",
        ],
    ) {
        return sub(pickup_sub(text));
    }
    if has(text, &["damage", "beschädigt"]) {
        return sub(Damaged);
    }
    if has(text, &["lost", "could not be located", "cannot be located"]) {
        return sub(Lost);
    }
    if has(text, &["cancel", "storniert"]) {
        return sub(Cancelled);
    }
    if let Some(reason) = attempt_reason(text) {
        return sub(reason);
    }
    if has(
        text,
        &[
            "delivery attempt",
            "attempted delivery",
            "delivery was attempted",
            "could not be delivered",
            "unable to deliver",
            "undeliverable",
            "not delivered",
            "zustellversuch",
        ],
    ) {
        return Some(StatusDetail::new(Status::AttemptFailed));
    }
    if has(
        text,
        &[
            "missing documents",
            "documents missing",
            "documentation required",
            "paperwork",
        ],
    ) {
        return sub(MissingDocuments);
    }
    if has(text, &["customs", "clearance", "zoll"]) {
        return sub(if has(text, &["complete", "released", "cleared"]) {
            CustomsReleased
        } else if has(text, &["duties", "duty", "tax", "payment"]) {
            DutiesDue
        } else if has(text, &["held", "hold", "delay", "inspection", "pending"]) {
            CustomsHeld
        } else {
            CustomsProcessing
        });
    }
    if has(
        text,
        &[
            "out for delivery",
            "with delivery courier",
            "out with courier",
            "onto the delivery vehicle",
            "on the delivery vehicle",
            "in zustellung",
            "zustellfahrzeug",
        ],
    ) {
        return Some(StatusDetail::new(Status::OutForDelivery));
    }
    if has(text, &["delivered", "zugestellt"]) {
        return Some(
            delivered_sub(text).map_or(StatusDetail::new(Status::Delivered), |s| {
                StatusDetail::sub(s)
            }),
        );
    }
    if has(text, &["delay", "later than", "weather"]) {
        return sub(Delayed);
    }
    if has(
        text,
        &["forwarded", "redirected", "rerouted", "weitergeleitet"],
    ) {
        return sub(Forwarded);
    }
    if has(text, &["on hold", "held", "hold"]) {
        return sub(Held);
    }
    if has(
        text,
        &[
            "picked up",
            "posted by",
            "handed over",
            "dropped off",
            "eingeliefert",
        ],
    ) {
        return sub(PickedUp);
    }
    if has(text, &["departed", "departure", "has left", "left the"]) {
        return sub(DepartedFacility);
    }
    if has(text, &["arrived", "arrival", "eingetroffen"]) {
        return sub(ArrivedFacility);
    }
    if has(
        text,
        &[
            "instruction data",
            "electronically",
            "information received",
            "data received",
            "label created",
            "elektronisch",
        ],
    ) {
        return sub(LabelCreated);
    }
    if has(
        text,
        &[
            "in transit",
            "on its way",
            "processed",
            "sorted",
            "unterwegs",
        ],
    ) {
        return Some(StatusDetail::new(Status::InTransit));
    }
    None
}

/// Why a delivery attempt failed, from the words.
fn attempt_reason(text: &str) -> Option<SubStatus> {
    use SubStatus::*;
    if text.contains("address") {
        if has(text, &["incomplete", "insufficient", "missing"]) {
            return Some(IncompleteAddress);
        }
        if has(
            text,
            &["incorrect", "wrong", "invalid", "unknown", "not found"],
        ) {
            return Some(InvalidAddress);
        }
    }
    if has(text, &["house number missing", "missing house number"]) {
        return Some(IncompleteAddress);
    }
    if has(
        text,
        &["recipient unknown", "recipient has moved", "moved away"],
    ) {
        return Some(InvalidAddress);
    }
    if has(text, &["refused", "declined", "rejected", "verweigert"]) {
        return Some(Refused);
    }
    if has(
        text,
        &[
            "not at home",
            "not home",
            "not present",
            "not available",
            "nobody",
            "no one",
            "premises closed",
            "business closed",
            "nicht angetroffen",
        ],
    ) {
        return Some(RecipientUnavailable);
    }
    if has(
        text,
        &[
            "no access",
            "not accessible",
            "could not access",
            "access denied",
        ],
    ) {
        return Some(AccessIssue);
    }
    None
}

/// True when the words say the recipient collected the parcel from where it waited.
fn collected(text: &str) -> bool {
    has(
        text,
        &[
            "picked up by the recipient",
            "collected by the recipient",
            "picked up from the packstation",
            "picked up from the parcel locker",
            "picked up from the retail outlet",
            "picked up from the post office",
            "picked up from the service point",
            "picked up from the parcelshop",
            "abgeholt",
        ],
    )
}

/// How a delivery was made, from the words, when they say.
fn delivered_sub(text: &str) -> Option<SubStatus> {
    use SubStatus::*;
    if has(text, &["neighbour", "neighbor", "nachbar"]) {
        Some(ToNeighbor)
    } else if has(
        text,
        &[
            "mailbox",
            "mail box",
            "letterbox",
            "letter box",
            "briefkasten",
        ],
    ) {
        Some(ToMailbox)
    } else if has(
        text,
        &[
            "safe place",
            "drop-off location",
            "drop off location",
            "ablageort",
            "front door",
            "porch",
            "garage",
            "terrace",
        ],
    ) {
        Some(ToSafePlace)
    } else if collected(text) {
        Some(Collected)
    } else if has(text, &["signed", "signature"]) {
        Some(Signed)
    } else if has(
        text,
        &[
            "to the recipient",
            "to recipient",
            "in person",
            "personally",
        ],
    ) {
        Some(ToRecipient)
    } else {
        None
    }
}

/// Where a parcel waits for pickup: a Packstation or locker, a post office or retail outlet,
/// else a service point or parcel shop.
fn pickup_sub(text: &str) -> SubStatus {
    if has(text, &["packstation", "locker"]) {
        SubStatus::Locker
    } else if has(text, &["post office", "retail outlet", "filiale"]) {
        SubStatus::PostOffice
    } else {
        SubStatus::PickupPoint
    }
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
    match (from, to) {
        (Some(from), Some(to)) => (Some(from.min(to)), Some(from.max(to))),
        (Some(day), None) | (None, Some(day)) => (Some(day), Some(day)),
        (None, None) => {
            let day = local_date(shipment.estimated_time_of_delivery.as_deref());
            (day, day)
        }
    }
}

/// The local calendar date a date-time (or a bare date) is written with.
fn local_date(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?.trim();
    EventTime::parse(text)
        .map(|time| time.local_time().date())
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}

/// Reads a value of any shape as `T`, or nothing when it does not fit.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(serde_json::from_value(Value::deserialize(deserializer)?).ok())
}

/// Reads a string (or a number, as text); anything else reads as nothing.
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
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
    use chrono::{FixedOffset, NaiveDateTime};

    const DELIVERED: &str = include_str!("../../fixtures/carriers/dhl/delivered.json");
    const IN_TRANSIT: &str = include_str!("../../fixtures/carriers/dhl/in_transit.json");
    const OUT_FOR_DELIVERY: &str =
        include_str!("../../fixtures/carriers/dhl/out_for_delivery.json");
    const FAILED_ATTEMPT: &str = include_str!("../../fixtures/carriers/dhl/failed_attempt.json");
    const EXCEPTION: &str = include_str!("../../fixtures/carriers/dhl/exception.json");
    const PICKUP_READY: &str = include_str!("../../fixtures/carriers/dhl/pickup_ready.json");
    const NOT_FOUND: &str = include_str!("../../fixtures/carriers/dhl/not_found.json");

    fn found(body: &str) -> CarrierAnswer {
        match read_track(200, body) {
            Ok(Lookup::Found(answer)) => answer,
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    fn hours(h: i32) -> Option<FixedOffset> {
        FixedOffset::east_opt(h * 3600)
    }

    /// (carrier code, status, sub-status) of every event, in carrier order.
    fn codes(answer: &CarrierAnswer) -> Vec<(String, Status, Option<SubStatus>)> {
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

    fn row(
        code: &str,
        status: Status,
        sub: Option<SubStatus>,
    ) -> (String, Status, Option<SubStatus>) {
        (code.to_owned(), status, sub)
    }

    fn city_of(event: &TrackingEvent) -> Option<&str> {
        event.location.as_ref().and_then(|p| p.city.as_deref())
    }

    #[test]
    fn the_call_sends_the_key_and_encodes_the_number() {
        let call = track_call("https://dhl.test", "00340434161094042557", "k3y");
        assert_eq!(call.method, CallMethod::Get);
        assert_eq!(
            call.url,
            "https://dhl.test/track/shipments?trackingNumber=00340434161094042557"
        );
        assert!(call.headers.contains(&("DHL-API-Key", "k3y".into())));
        assert!(
            call.headers
                .contains(&("Accept", "application/json".into()))
        );
        assert_eq!(call.body, None);
        let odd = track_call("https://dhl.test", "JD01 46/00&x=1#", "k");
        assert_eq!(
            odd.url,
            "https://dhl.test/track/shipments?trackingNumber=JD01%2046%2F00%26x%3D1%23"
        );
    }

    #[test]
    fn delivered_to_a_neighbour_keeps_offsets_and_no_street() {
        let answer = found(DELIVERED);
        assert_eq!(
            codes(&answer),
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
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
        let debug = format!("{answer:?}");
        for private in ["28195", "04158", "Am Wall", "140", "Krüger"] {
            assert!(!debug.contains(private), "{private} leaked into {debug}");
        }
    }

    #[test]
    fn express_in_transit_keeps_local_time_without_inventing_an_offset() {
        let answer = found(IN_TRANSIT);
        assert_eq!(
            codes(&answer),
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
            codes(&answer),
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
        assert!(!format!("{answer:?}").contains("07032"));
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
            codes(&answer),
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
            codes(&answer),
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
        assert!(!format!("{answer:?}").contains("40210"));
    }

    #[test]
    fn unknown_numbers_are_not_found() {
        assert_eq!(read_track(404, NOT_FOUND), Ok(Lookup::NotFound));
        assert_eq!(
            read_track(
                404,
                r#"{"status":404,"detail":"No shipment with this number."}"#
            ),
            Ok(Lookup::NotFound)
        );
        assert_eq!(read_track(200, r#"{"shipments":[]}"#), Ok(Lookup::NotFound));
    }

    #[test]
    fn garbage_and_refusals_are_errors() {
        let half = DELIVERED.chars().count() / 2;
        let truncated: String = DELIVERED.chars().take(half).collect();
        for (status, body) in [
            (200, "<html><body>Bad gateway</body></html>"),
            (200, "{}"),
            (200, ""),
            (200, "[]"),
            (200, truncated.as_str()),
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
            (404, "<html>Not Found</html>"),
            (
                404,
                r#"{"status":404,"title":"Not Found","detail":"Resource not found"}"#,
            ),
            (404, NOT_FOUND.split_at(20).0),
            // A good body under a refusing status is still a refusal.
            (401, DELIVERED),
        ] {
            assert!(
                read_track(status, body).is_err(),
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
