//! FedEx Track API (`POST /track/v1/trackingnumbers`, OAuth bearer token): one number per call,
//! detailed scans included.
//!
//! What is read, from `output.completeTrackResults[].trackResults[]`:
//! - `scanEvents[]`: each scan becomes one event. `date` carries the local time and its offset
//!   (`2026-11-20T14:05:00-05:00`); a scan whose date cannot be read is skipped. The place is
//!   `scanLocation` city, state and country only (postal codes and street lines are never read).
//!   The raw code kept is `eventType`, plus `/exceptionCode` when FedEx attached one
//!   (`DE/08`), falling back to `derivedStatusCode` when `eventType` is empty. The words are
//!   `eventDescription`, plus `: exceptionDescription` when that adds something.
//! - The status comes from [`scan_status`]: the event code first, then the exception code (for
//!   delivery exceptions), then the words ([`words_status`], the table shared with DHL). A scan
//!   nothing can classify keeps the status of the scan before it (a FedEx note such as "delivery
//!   option requested" does not move the parcel); when nothing came before, it is
//!   [`Status::InfoReceived`].
//! - How a delivery was made (front porch, signed for, collected at a FedEx location) also comes
//!   from `deliveryDetails` when the delivery scan's own words do not say; names are only tested
//!   for presence, never kept.
//! - The ETA is `estimatedDeliveryTimeWindow.window` (`begins`, `ends`), else the
//!   `ESTIMATED_DELIVERY` entry of `dateAndTimes`, as the local calendar dates written.
//! - An unknown number is answered with HTTP 200 and `trackResults[].error.code`
//!   `TRACKING.TRACKINGNUMBER.NOTFOUND` (also accepted as a top-level `errors[]` entry, and with
//!   HTTP 404). `TRACKING.TRACKINGNUMBER.INVALID` reads the same way: FedEx will never know it.
//!
//! An answer may hold results for several numbers (the pieces of a multi-piece shipment): only
//! those for the number asked are read, by `trackResults[].trackingNumberInfo.trackingNumber`,
//! else by the `completeTrackResults[].trackingNumber` they are listed under; all of them when
//! none names it. When several results are for that number (duplicate numbers), the one with the
//! most recent scan is kept.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::EventTime;

use super::draft::{Draft, finish};
use super::lenient::{lenient, lenient_list, present, text};
use super::times::{estimate, local_date};
use super::words::{delivered_sub, pickup_sub, words_status};
use super::{
    BadAnswer, CallMethod, CarrierAnswer, HttpCall, Lookup, clean_text, place, same_number,
};

/// Error codes that mean FedEx does not know the number.
const UNKNOWN_NUMBER_CODES: [&str; 2] = [
    "TRACKING.TRACKINGNUMBER.NOTFOUND",
    "TRACKING.TRACKINGNUMBER.INVALID",
];

/// The FedEx tracking call for `number`, authorised with the OAuth bearer `credential`.
pub fn track_call(base: &str, number: &str, credential: &str) -> HttpCall {
    let body = serde_json::json!({
        "includeDetailedScans": true,
        "trackingInfo": [{ "trackingNumberInfo": { "trackingNumber": number } }],
    });
    HttpCall {
        method: CallMethod::Post,
        url: format!("{base}/track/v1/trackingnumbers"),
        headers: vec![
            ("Authorization", format!("Bearer {credential}")),
            ("Content-Type", "application/json".into()),
            ("X-locale", "en_US".into()),
        ],
        body: Some(body.to_string()),
    }
}

/// Reads FedEx's answer about `number` (any status but 429 and 5xx) onto the shared model.
pub fn read_track(number: &str, status: u16, body: &str) -> Result<Lookup, BadAnswer> {
    if status != 200 && status != 404 {
        return Err(BadAnswer(format!("FedEx answered HTTP {status}")));
    }
    let reply: Reply = serde_json::from_str(body)?;
    if reply.errors.iter().any(ApiError::is_unknown_number) {
        return Ok(Lookup::NotFound);
    }
    if status != 200 {
        let code = reply.errors.first().and_then(|e| e.code.as_deref());
        return Err(BadAnswer(format!(
            "FedEx answered HTTP {status} ({})",
            code.unwrap_or("no error code")
        )));
    }
    let mut results: Vec<(bool, TrackResult)> = reply
        .output
        .and_then(|output| output.complete_track_results)
        .ok_or_else(|| BadAnswer("FedEx answer has no completeTrackResults".into()))?
        .into_iter()
        .flat_map(|complete| {
            let listed_under = complete.tracking_number;
            complete
                .track_results
                .into_iter()
                .map(move |result| (result.is_about(number, listed_under.as_deref()), result))
        })
        .collect();
    if results.iter().any(|(asked, _)| *asked) {
        results.retain(|(asked, _)| *asked);
    }
    let (failed, known): (Vec<TrackResult>, Vec<TrackResult>) = results
        .into_iter()
        .map(|(_, result)| result)
        .partition(|result| result.error.as_ref().is_some_and(ApiError::is_set));
    if known.is_empty() {
        let errors: Vec<&ApiError> = failed.iter().filter_map(|r| r.error.as_ref()).collect();
        if errors.iter().any(|e| e.is_unknown_number()) {
            return Ok(Lookup::NotFound);
        }
        let code = errors.first().and_then(|e| e.code.as_deref());
        return Err(BadAnswer(format!(
            "FedEx answer has no track result ({})",
            code.unwrap_or("no error code")
        )));
    }
    if known
        .iter()
        .any(|r| r.scan_events.is_none() && r.latest_status_detail.is_none())
    {
        return Err(BadAnswer(
            "FedEx track result has neither scanEvents nor latestStatusDetail".into(),
        ));
    }
    let answer = known
        .iter()
        .map(answer_of)
        .fold(None::<CarrierAnswer>, |best, answer| match best {
            Some(best) if newest(&best) >= newest(&answer) => Some(best),
            _ => Some(answer),
        })
        .unwrap_or_default();
    Ok(Lookup::Found(answer))
}

/// The newest scan's sort key, for choosing among duplicate results.
fn newest(answer: &CarrierAnswer) -> Option<chrono::NaiveDateTime> {
    answer.events.iter().map(|e| e.time.sort_key()).max()
}

/// One track result on the shared model.
fn answer_of(result: &TrackResult) -> CarrierAnswer {
    let delivery = result
        .delivery_details
        .as_ref()
        .and_then(DeliveryDetails::sub_status);
    let scans: Vec<ScanEvent> = result
        .scan_events
        .iter()
        .flatten()
        .filter_map(|value| ScanEvent::deserialize(value).ok())
        .collect();
    let drafts: Vec<Draft> = scans
        .iter()
        .filter_map(|scan| read_scan(scan, delivery))
        .collect();
    let (eta_from, eta_to) = eta(result);
    CarrierAnswer {
        events: finish(drafts),
        eta_from,
        eta_to,
        last_mile: None,
    }
}

/// One scan, its status still unknown when its codes and words say nothing recognisable;
/// `delivery` is how the delivery was made, from `deliveryDetails`. `None` when its date cannot
/// be read.
fn read_scan(scan: &ScanEvent, delivery: Option<SubStatus>) -> Option<Draft> {
    let time = EventTime::parse(scan.date.as_deref()?).ok()?;
    let event_type = clean_text(scan.event_type.as_deref());
    let derived = clean_text(scan.derived_status_code.as_deref());
    let exception_code = clean_text(scan.exception_code.as_deref());
    let code = event_type.clone().or_else(|| derived.clone());
    let carrier_code = match (&code, &exception_code) {
        (Some(code), Some(exception)) => clean_text(Some(&format!("{code}/{exception}"))),
        (Some(code), None) => Some(code.clone()),
        (None, _) => None,
    };
    let event_words = clean_text(scan.event_description.as_deref());
    let exception_words = clean_text(scan.exception_description.as_deref());
    let description = match (&event_words, &exception_words) {
        (Some(event), Some(exception)) if !event.eq_ignore_ascii_case(exception) => {
            clean_text(Some(&format!("{event}: {exception}")))
        }
        (Some(event), _) => Some(event.clone()),
        (None, Some(exception)) => Some(exception.clone()),
        (None, None) => clean_text(scan.derived_status.as_deref()),
    };
    let words = [
        scan.event_description.as_deref(),
        scan.exception_description.as_deref(),
        scan.derived_status.as_deref(),
    ]
    .iter()
    .flatten()
    .map(|text| text.to_lowercase())
    .collect::<Vec<_>>()
    .join(" ");
    let status = [event_type.as_deref(), derived.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|code| scan_status(code, exception_code.as_deref(), &words, delivery))
        .or_else(|| words_status(&words));
    let location = scan.scan_location.as_ref().and_then(|l| {
        place(
            l.city.as_deref(),
            l.state_or_province_code.as_deref(),
            l.country_code.as_deref(),
        )
    });
    Some(Draft {
        time,
        status,
        description: description.or_else(|| carrier_code.clone()),
        location,
        carrier_code,
    })
}

/// FedEx's code table: the status a scan's `eventType` (or `derivedStatusCode`) means, refined
/// by the exception code and the words where the code alone is too coarse. `None` for codes that
/// say nothing about where the parcel is (delivery-option notes, split status, unknown codes).
fn scan_status(
    code: &str,
    exception_code: Option<&str>,
    words: &str,
    delivery: Option<SubStatus>,
) -> Option<StatusDetail> {
    use SubStatus::*;
    let sub = StatusDetail::sub;
    let detail = match code.to_ascii_uppercase().as_str() {
        // Order created / shipment information sent; `IN` is the derived "label created".
        "OC" | "IN" | "OX" => sub(LabelCreated),
        "PU" | "PX" => sub(PickedUp),
        "AR" | "AF" | "AA" | "AC" | "AX" | "FD" | "OF" | "SF" => sub(ArrivedFacility),
        "DP" | "LO" => sub(DepartedFacility),
        "IT" | "IX" | "PF" | "PL" | "PM" | "EA" | "EO" | "TR" | "OW" | "AO" | "AE" | "CH" => {
            StatusDetail::new(Status::InTransit)
        }
        "OD" | "AD" | "ED" => StatusDetail::new(Status::OutForDelivery),
        "CC" => sub(CustomsReleased),
        "CP" => sub(CustomsProcessing),
        "CD" => sub(CustomsHeld),
        "DY" | "DD" | "PD" => sub(Delayed),
        "DL" => delivered_sub(words)
            .or(delivery)
            .map_or(StatusDetail::new(Status::Delivered), sub),
        "HL" | "HP" => sub(pickup_sub(words)),
        "DE" => exception_code
            .and_then(delivery_exception_code)
            .map(sub)
            .or_else(|| words_status(words).filter(|s| s.status() != Status::Delivered))
            .unwrap_or(StatusDetail::new(Status::AttemptFailed)),
        "SE" => words_status(words)
            .filter(|s| s.status() != Status::Delivered)
            .unwrap_or(StatusDetail::new(Status::Exception)),
        "RS" | "RT" => sub(ReturningToSender),
        "CA" => sub(Cancelled),
        _ => return None,
    };
    Some(detail)
}

/// The delivery-exception codes whose meaning is settled (`08` "customer not available or
/// business closed", `03` "incorrect address", `07` "refused by recipient"); other codes are
/// read through their words.
fn delivery_exception_code(code: &str) -> Option<SubStatus> {
    match code {
        "03" => Some(SubStatus::InvalidAddress),
        "07" => Some(SubStatus::Refused),
        "08" => Some(SubStatus::RecipientUnavailable),
        _ => None,
    }
}

/// The ETA: the estimated window, else the `ESTIMATED_DELIVERY` date.
fn eta(result: &TrackResult) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let window = result
        .estimated_delivery_time_window
        .as_ref()
        .and_then(|w| w.window.as_ref());
    let from = window.and_then(|w| local_date(w.begins.as_deref()));
    let to = window.and_then(|w| local_date(w.ends.as_deref()));
    estimate(from, to, || {
        result
            .date_and_times
            .iter()
            .filter(|d| {
                d.kind
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case("ESTIMATED_DELIVERY"))
            })
            .find_map(|d| local_date(d.date_time.as_deref()))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    #[serde(default)]
    output: Option<Output>,
    #[serde(default, deserialize_with = "lenient_list")]
    errors: Vec<ApiError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Output {
    #[serde(default)]
    complete_track_results: Option<Vec<CompleteTrackResult>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompleteTrackResult {
    #[serde(default, deserialize_with = "text")]
    tracking_number: Option<String>,
    #[serde(default)]
    track_results: Vec<TrackResult>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrackResult {
    #[serde(default, deserialize_with = "lenient")]
    tracking_number_info: Option<TrackingNumberInfo>,
    #[serde(default, deserialize_with = "lenient")]
    error: Option<ApiError>,
    #[serde(default)]
    latest_status_detail: Option<Value>,
    #[serde(default)]
    scan_events: Option<Vec<Value>>,
    #[serde(default, deserialize_with = "lenient")]
    estimated_delivery_time_window: Option<TimeWindow>,
    #[serde(default, alias = "datesAndTimes", deserialize_with = "lenient_list")]
    date_and_times: Vec<DateAndTime>,
    #[serde(default, deserialize_with = "lenient")]
    delivery_details: Option<DeliveryDetails>,
}

impl TrackResult {
    /// True when the result is about `number`: by its own number, else by the number it is
    /// listed under (`completeTrackResults[].trackingNumber`).
    fn is_about(&self, number: &str, listed_under: Option<&str>) -> bool {
        let own = self
            .tracking_number_info
            .as_ref()
            .and_then(|info| info.tracking_number.as_deref())
            .filter(|own| !own.trim().is_empty());
        own.or(listed_under)
            .is_some_and(|listed| same_number(listed, number))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrackingNumberInfo {
    #[serde(default, deserialize_with = "text")]
    tracking_number: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiError {
    #[serde(default, deserialize_with = "text")]
    code: Option<String>,
}

impl ApiError {
    fn is_set(&self) -> bool {
        self.code.as_deref().is_some_and(|c| !c.trim().is_empty())
    }

    fn is_unknown_number(&self) -> bool {
        self.code.as_deref().is_some_and(|code| {
            UNKNOWN_NUMBER_CODES
                .iter()
                .any(|known| code.trim().eq_ignore_ascii_case(known))
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScanEvent {
    #[serde(default, deserialize_with = "text")]
    date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    event_type: Option<String>,
    #[serde(default, deserialize_with = "text")]
    event_description: Option<String>,
    #[serde(default, deserialize_with = "text")]
    exception_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    exception_description: Option<String>,
    #[serde(default, deserialize_with = "text")]
    derived_status_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    derived_status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    scan_location: Option<ScanLocation>,
}

/// City, state and country only: postal codes and street lines are not even read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScanLocation {
    #[serde(default, deserialize_with = "text")]
    city: Option<String>,
    #[serde(default, alias = "stateOrProvince", deserialize_with = "text")]
    state_or_province_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    country_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimeWindow {
    #[serde(default, deserialize_with = "lenient")]
    window: Option<TimeRange>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimeRange {
    #[serde(default, deserialize_with = "text")]
    begins: Option<String>,
    #[serde(default, deserialize_with = "text")]
    ends: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DateAndTime {
    #[serde(default, rename = "type", deserialize_with = "text")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "text")]
    date_time: Option<String>,
}

/// How the delivery was made; the names are read only as present or not.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryDetails {
    #[serde(default, deserialize_with = "text")]
    location_type: Option<String>,
    #[serde(default, deserialize_with = "text")]
    location_description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    signed_by_name: bool,
    #[serde(default, deserialize_with = "present")]
    received_by_name: bool,
}

impl DeliveryDetails {
    /// How the parcel was delivered: where it was left, else who took it, else the kind of
    /// place it was handed over at.
    fn sub_status(&self) -> Option<SubStatus> {
        use SubStatus::*;
        let described = self
            .location_description
            .as_deref()
            .map(str::to_lowercase)
            .and_then(|text| delivered_sub(&text));
        if described.is_some() {
            return described;
        }
        if self.signed_by_name {
            return Some(Signed);
        }
        if self.received_by_name {
            return Some(ToRecipient);
        }
        match self.location_type.as_deref()?.to_ascii_uppercase().as_str() {
            "FEDEX_LOCATION" => Some(Collected),
            "RECEPTIONIST_OR_FRONT_DESK"
            | "SHIPPING_RECEIVING"
            | "MAILROOM"
            | "GUARD_OR_SECURITY_STATION"
            | "MANAGER_OFFICE"
            | "MAIN_OFFICE"
            | "LEASING_OFFICE"
            | "RENTAL_OFFICE"
            | "APARTMENT_OFFICE"
            | "GATE_HOUSE"
            | "PHARMACY" => Some(ToRecipient),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::test_support::*;

    fixtures!("fedex");
    fixtures!("fedex": MULTI_PIECE = "multi_piece");

    /// The child piece of `multi_piece`; its master piece was delivered since.
    const CHILD_PIECE: &str = "794887075016";

    fn found(body: &str) -> CarrierAnswer {
        found_by(read_track, body)
    }

    #[test]
    fn the_call_asks_for_the_detailed_scans_of_one_number() {
        let call = track_call("https://fedex.test", "771290443815", "tok3n");
        assert!(call.headers.contains(&("X-locale", "en_US".into())));
        let body: Value = serde_json::from_str(call.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "includeDetailedScans": true,
                "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": "771290443815"}}]
            })
        );
        let quoted = track_call("https://fedex.test", "12\"34", "t");
        let body: Value = serde_json::from_str(quoted.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body["trackingInfo"][0]["trackingNumberInfo"]["trackingNumber"],
            "12\"34"
        );
    }

    #[test]
    fn delivered_keeps_local_times_offsets_and_places() {
        let answer = found(DELIVERED);
        assert_eq!(
            rows(&answer),
            vec![
                row("DL", Status::Delivered, Some(SubStatus::ToSafePlace)),
                row("OD", Status::OutForDelivery, None),
                row("AR", Status::InTransit, Some(SubStatus::ArrivedFacility)),
                row("DP", Status::InTransit, Some(SubStatus::DepartedFacility)),
                row("PU", Status::InTransit, Some(SubStatus::PickedUp)),
                row("OC", Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        let delivered = &answer.events[0];
        assert_eq!(delivered.description, "Delivered");
        assert_eq!(delivered.time.local_time(), local("2026-11-20T14:05:00"));
        assert_eq!(delivered.time.offset(), hours(-5));
        assert_eq!(
            delivered.time.utc().unwrap().to_rfc3339(),
            "2026-11-20T19:05:00+00:00"
        );
        let place = delivered.location.as_ref().unwrap();
        assert_eq!(place.city.as_deref(), Some("HOBOKEN"));
        assert_eq!(place.region.as_deref(), Some("NJ"));
        assert_eq!(place.country.as_deref(), Some("US"));

        let memphis = &answer.events[3];
        assert_eq!(memphis.description, "Departed FedEx hub");
        assert_eq!(city_of(memphis), Some("MEMPHIS"));
        assert_eq!(memphis.time.local_time(), local("2026-11-19T21:37:00"));
        assert_eq!(memphis.time.offset(), hours(-6));
        assert_eq!(
            memphis.time.utc().unwrap().to_rfc3339(),
            "2026-11-20T03:37:00+00:00"
        );
        let label = &answer.events[5];
        assert_eq!(label.description, "Shipment information sent to FedEx");
        assert_eq!(label.location, None);
    }

    #[test]
    fn in_transit_crosses_offsets_and_customs() {
        let answer = found(IN_TRANSIT);
        assert_eq!(
            rows(&answer),
            vec![
                row("DP", Status::InTransit, Some(SubStatus::DepartedFacility)),
                row("CC", Status::InTransit, Some(SubStatus::CustomsReleased)),
                row("AR", Status::InTransit, Some(SubStatus::ArrivedFacility)),
                row("DP", Status::InTransit, Some(SubStatus::DepartedFacility)),
                row("PU", Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        let roissy = &answer.events[3];
        assert_eq!(roissy.time.offset(), hours(1));
        assert_eq!(
            roissy.time.utc().unwrap().to_rfc3339(),
            "2026-11-20T12:30:00+00:00"
        );
        let place = roissy.location.as_ref().unwrap();
        assert_eq!(place.city.as_deref(), Some("ROISSY CHARLES DE GAULLE"));
        assert_eq!(place.region, None);
        assert_eq!(place.country.as_deref(), Some("FR"));
        assert_eq!(
            answer.events[1].description,
            "International shipment release - Import"
        );
        // The window wins over the ESTIMATED_DELIVERY date.
        assert_eq!(answer.eta_from, Some(day("2026-11-23")));
        assert_eq!(answer.eta_to, Some(day("2026-11-24")));
    }

    #[test]
    fn out_for_delivery_takes_the_estimate_from_date_and_times() {
        let answer = found(OUT_FOR_DELIVERY);
        let latest = &answer.events[0];
        assert_eq!(latest.status, StatusDetail::new(Status::OutForDelivery));
        assert_eq!(latest.carrier_code.as_deref(), Some("OD"));
        assert_eq!(latest.description, "On FedEx vehicle for delivery");
        assert_eq!(latest.time.local_time(), local("2026-11-20T07:52:00"));
        assert_eq!(latest.time.offset(), hours(-5));
        assert_eq!(city_of(latest), Some("JERSEY CITY"));
        assert_eq!(
            answer.events[2].status,
            StatusDetail::new(Status::InTransit)
        );
        assert_eq!(answer.events[4].time.offset(), hours(-6));
        assert_eq!(answer.eta_from, Some(day("2026-11-20")));
        assert_eq!(answer.eta_to, Some(day("2026-11-20")));
    }

    #[test]
    fn failed_attempt_reads_the_exception_code() {
        let answer = found(FAILED_ATTEMPT);
        let attempt = &answer.events[0];
        assert_eq!(
            attempt.status,
            StatusDetail::sub(SubStatus::RecipientUnavailable)
        );
        assert_eq!(attempt.carrier_code.as_deref(), Some("DE/08"));
        assert_eq!(
            attempt.description,
            "Delivery exception: Customer not available or business closed"
        );
        assert_eq!(city_of(attempt), Some("MARIETTA"));
        assert_eq!(attempt.time.offset(), hours(-5));
        let pickup = &answer.events[4];
        assert_eq!(pickup.time.offset(), hours(-8));
        assert_eq!(
            pickup.time.utc().unwrap().to_rfc3339(),
            "2026-11-19T18:05:00+00:00"
        );
        assert_eq!(answer.eta_from, Some(day("2026-11-23")));
        assert_eq!(answer.eta_to, Some(day("2026-11-23")));
    }

    #[test]
    fn exception_shows_damage_refusal_and_return() {
        let answer = found(EXCEPTION);
        assert_eq!(
            rows(&answer),
            vec![
                row("RS", Status::Exception, Some(SubStatus::ReturningToSender)),
                row("DE/07", Status::AttemptFailed, Some(SubStatus::Refused)),
                row("OD", Status::OutForDelivery, None),
                row("SE", Status::Exception, Some(SubStatus::Damaged)),
                row("PU", Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        assert_eq!(
            answer.events[3].description,
            "Shipment exception: Package damaged, inspection in progress"
        );
        assert_eq!(
            answer.events[1].description,
            "Delivery exception: Refused by recipient"
        );
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
    }

    #[test]
    fn pickup_ready_at_a_hold_location() {
        let answer = found(PICKUP_READY);
        assert_eq!(
            rows(&answer),
            vec![
                row(
                    "HL",
                    Status::AvailableForPickup,
                    Some(SubStatus::PickupPoint)
                ),
                row("DE/A47", Status::InTransit, Some(SubStatus::Forwarded)),
                row("AR", Status::InTransit, Some(SubStatus::ArrivedFacility)),
                row("DP", Status::InTransit, Some(SubStatus::DepartedFacility)),
                row("PU", Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
        let ready = &answer.events[0];
        assert_eq!(
            ready.description,
            "Ready for pickup: Package available for pickup at FedEx retail location"
        );
        assert_eq!(ready.time.offset(), hours(-6));
        assert_eq!(answer.events[3].time.offset(), hours(-5));
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
    }

    #[test]
    fn unknown_numbers_are_not_found() {
        let top_level = r#"{"transactionId":"x","errors":[{"code":"TRACKING.TRACKINGNUMBER.NOTFOUND","message":"no"}]}"#;
        assert_eq!(read_track(UNLISTED, 200, top_level), Ok(Lookup::NotFound));
        assert_eq!(read_track(UNLISTED, 404, top_level), Ok(Lookup::NotFound));
        let invalid = NOT_FOUND.replace("NOTFOUND", "INVALID");
        assert_eq!(read_track(UNLISTED, 200, &invalid), Ok(Lookup::NotFound));
    }

    #[test]
    fn garbage_and_refusals_are_errors() {
        for (status, body) in [
            (200, r#"{"output":{}}"#),
            (200, r#"{"output":{"completeTrackResults":[]}}"#),
            (
                200,
                r#"{"output":{"completeTrackResults":[{"trackResults":[{}]}]}}"#,
            ),
            (200, r#"{"output":{"completeTrackResults":"none"}}"#),
            (
                200,
                r#"{"output":{"completeTrackResults":[{"trackResults":[{"error":{"code":"TRACKING.SERVICE.UNAVAILABLE"}}]}]}}"#,
            ),
            (
                401,
                r#"{"transactionId":"x","errors":[{"code":"NOT.AUTHORIZED.ERROR","message":"Access token expired."}]}"#,
            ),
            (403, r#"{"errors":[{"code":"FORBIDDEN.ERROR"}]}"#),
            (
                400,
                r#"{"errors":[{"code":"TRACKING.TRACKINGNUMBER.EMPTY"}]}"#,
            ),
            (404, r#"{"errors":[{"code":"NOT.FOUND.ERROR"}]}"#),
        ] {
            assert!(
                read_track(UNLISTED, status, body).is_err(),
                "{status} {body:?} should be an error"
            );
        }
    }

    #[test]
    fn odd_scans_are_skipped_or_inherit_a_status() {
        let body = r#"{"output":{"completeTrackResults":[{"trackResults":[{
            "latestStatusDetail":{"code":"IT"},
            "scanEvents":[
                {"date":"yesterday","eventType":"DL","eventDescription":"Delivered"},
                {"eventType":"DL"},
                {"date":"2026-11-20T10:00:00-05:00","eventType":"RR","eventDescription":"Delivery option requested"},
                {"date":"2026-11-20T09:00:00-05:00","eventType":"AR","eventDescription":"Arrived at FedEx location","scanLocation":{"city":"  ","countryCode":"USA"}},
                {"date":"2026-11-19T09:00:00","eventType":"","derivedStatusCode":"","eventDescription":""},
                42,
                {"date":"2026-11-21T08:00:00-05:00","eventType":"ZZ","eventDescription":"Local weather delay"}
            ],
            "estimatedDeliveryTimeWindow":{"window":{"ends":"2026-11-25"}},
            "dateAndTimes":"soon"
        }]}]}}"#;
        let answer = found(body);
        assert_eq!(answer.events.len(), 4);
        // An unclassifiable note keeps the status of the scan before it.
        assert_eq!(answer.events[0].carrier_code.as_deref(), Some("RR"));
        assert_eq!(
            answer.events[0].status,
            StatusDetail::sub(SubStatus::ArrivedFacility)
        );
        assert_eq!(answer.events[1].location, None);
        // Nothing came before the first scan: info received; no words, so the status names it.
        assert_eq!(
            answer.events[2].status,
            StatusDetail::new(Status::InfoReceived)
        );
        assert_eq!(answer.events[2].carrier_code, None);
        assert_eq!(answer.events[2].description, "info_received");
        assert_eq!(answer.events[2].time.offset(), None);
        // An unknown code falls back on the words.
        assert_eq!(
            answer.events[3].status,
            StatusDetail::sub(SubStatus::Delayed)
        );
        assert_eq!(answer.eta_from, Some(day("2026-11-25")));
        assert_eq!(answer.eta_to, Some(day("2026-11-25")));
    }

    #[test]
    fn delivery_details_say_how_it_was_delivered_without_names() {
        let body = |details: &str| {
            format!(
                r#"{{"output":{{"completeTrackResults":[{{"trackResults":[{{
                "deliveryDetails":{details},
                "scanEvents":[{{"date":"2026-11-20T14:05:00-05:00","eventType":"DL","eventDescription":"Delivered"}}]
            }}]}}]}}}}"#
            )
        };
        let sub_of = |details: &str| found(&body(details)).events[0].status.sub_status();
        assert_eq!(
            sub_of(r#"{"signedByName":"J.DOE","locationType":"RESIDENCE"}"#),
            Some(SubStatus::Signed)
        );
        assert_eq!(
            sub_of(r#"{"receivedByName":"J.DOE"}"#),
            Some(SubStatus::ToRecipient)
        );
        assert_eq!(
            sub_of(r#"{"locationType":"FEDEX_LOCATION"}"#),
            Some(SubStatus::Collected)
        );
        assert_eq!(
            sub_of(r#"{"locationType":"RESIDENCE","receivedByName":""}"#),
            None
        );
        let answer = found(&body(r#"{"signedByName":"J.DOE"}"#));
        assert!(!format!("{answer:?}").contains("DOE"));
    }

    #[test]
    fn duplicate_numbers_keep_the_freshest_result() {
        let body = r#"{"output":{"completeTrackResults":[{"trackResults":[
            {"scanEvents":[{"date":"2019-03-01T10:00:00-05:00","eventType":"DL","eventDescription":"Delivered"}]},
            {"scanEvents":[{"date":"2026-11-20T10:00:00-05:00","eventType":"PU","eventDescription":"Picked up"}]},
            {"error":{"code":"TRACKING.TRACKINGNUMBER.NOTFOUND"}}
        ]}]}}"#;
        let answer = found(body);
        assert_eq!(answer.events.len(), 1);
        assert_eq!(answer.events[0].carrier_code.as_deref(), Some("PU"));
    }

    #[test]
    fn a_multi_piece_shipment_shows_the_piece_asked_about() {
        // The master piece's result has the newest scan (its delivery); the child's is read.
        let answer = found_for(read_track, CHILD_PIECE, MULTI_PIECE);
        assert_eq!(
            rows(&answer),
            vec![
                row("AR", Status::InTransit, Some(SubStatus::ArrivedFacility)),
                row("DP", Status::InTransit, Some(SubStatus::DepartedFacility)),
                row("PU", Status::InTransit, Some(SubStatus::PickedUp)),
                row("OC", Status::InfoReceived, Some(SubStatus::LabelCreated)),
            ]
        );
        assert_eq!(city_of(&answer.events[0]), Some("INDIANAPOLIS"));
        assert_eq!(answer.events[0].time.offset(), hours(-6));
        assert_eq!(answer.eta_from, Some(day("2026-11-25")));
        assert_eq!(answer.eta_to, Some(day("2026-11-25")));
    }

    #[test]
    fn only_the_results_for_the_asked_number_compete() {
        // Duplicates of the asked number (their number only on `completeTrackResults`): the
        // freshest of them, not the other number's fresher result.
        let body = r#"{"output":{"completeTrackResults":[
            {"trackingNumber":"794887075005","trackResults":[
                {"trackingNumberInfo":{"trackingNumber":"794887075005"},
                 "scanEvents":[{"date":"2026-11-25T10:00:00-05:00","eventType":"DL","eventDescription":"Delivered"}]}]},
            {"trackingNumber":"794887075016","trackResults":[
                {"scanEvents":[{"date":"2019-03-01T10:00:00-05:00","eventType":"DL","eventDescription":"Delivered"}]},
                {"scanEvents":[{"date":"2026-11-20T10:00:00-05:00","eventType":"PU","eventDescription":"Picked up"}]}]}
        ]}}"#;
        let answer = found_for(read_track, CHILD_PIECE, body);
        assert_eq!(codes(&answer), vec!["PU"]);
        // The asked number is unknown to FedEx: another piece's result does not stand in.
        let body = r#"{"output":{"completeTrackResults":[
            {"trackingNumber":"794887075005","trackResults":[
                {"trackingNumberInfo":{"trackingNumber":"794887075005"},
                 "scanEvents":[{"date":"2026-11-25T10:00:00-05:00","eventType":"DL","eventDescription":"Delivered"}]}]},
            {"trackingNumber":"794887075016","trackResults":[
                {"trackingNumberInfo":{"trackingNumber":"794887075016"},
                 "error":{"code":"TRACKING.TRACKINGNUMBER.NOTFOUND"}}]}
        ]}}"#;
        assert_eq!(read_track(CHILD_PIECE, 200, body), Ok(Lookup::NotFound));
    }

    #[test]
    fn words_are_classified_most_specific_first() {
        let of = |text: &str| words_status(&text.to_lowercase());
        assert_eq!(
            of("Incorrect address - apartment number or suite number missing"),
            Some(StatusDetail::sub(SubStatus::IncompleteAddress))
        );
        assert_eq!(
            of("Local weather delay - delivery not attempted"),
            Some(StatusDetail::sub(SubStatus::Delayed))
        );
        assert_eq!(
            of("Clearance delay - import"),
            Some(StatusDetail::sub(SubStatus::CustomsHeld))
        );
        assert_eq!(
            of("Package could not be delivered"),
            Some(StatusDetail::new(Status::AttemptFailed))
        );
        assert_eq!(of("Nothing to see"), None);
    }
}
