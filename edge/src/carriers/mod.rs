//! Live carrier tracking APIs. Each adapter is a pair of pure functions, one that builds the HTTP
//! call for a number and one that reads the carrier's answer onto the shared model (statuses with
//! the raw code and words kept, event times with exactly the offset the carrier gave, ETA
//! windows, places no finer than the city). No I/O here: the service sends the calls through
//! [`crate::service::live::CarrierHttp`], so every mapping is unit-tested on the host with
//! payloads written from each carrier's documented shapes (`edge/fixtures/carriers/`).

#[cfg(test)]
mod contract_tests;
pub mod dhl;
pub(crate) mod draft;
pub mod fedex;
pub(crate) mod lenient;
pub mod oauth;
pub mod seventeen_track;
#[cfg(test)]
pub(crate) mod test_support;
pub(crate) mod times;
pub mod ups;
pub mod usps;
pub(crate) mod words;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use waypost_shared::detect::Carrier;
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::status::Status;
use waypost_shared::text::is_bidi_control;
use waypost_shared::timeline::Timeline;

/// Longest carrier text kept (descriptions, place names); longer text is cut at a character
/// boundary.
pub const MAX_CARRIER_TEXT: usize = 200;

/// A tracking API the edge can ask: a carrier's own, or the aggregator that answers for every
/// carrier without one ([`LiveCarrier::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiveCarrier {
    /// UPS Tracking API (OAuth 2 client credentials).
    Ups,
    /// FedEx Track API (OAuth 2 client credentials).
    Fedex,
    /// USPS Tracking v3 (OAuth 2 client credentials).
    Usps,
    /// DHL Shipment Tracking – Unified API (API key header).
    Dhl,
    /// The 17TRACK Tracking API v2.2 (API key header; numbers are registered once, then asked),
    /// for every other carrier: YunExpress, Cainiao, 4PX, national posts...
    SeventeenTrack,
}

impl LiveCarrier {
    /// Every tracking API.
    pub const ALL: [LiveCarrier; 5] = [
        LiveCarrier::Ups,
        LiveCarrier::Fedex,
        LiveCarrier::Usps,
        LiveCarrier::Dhl,
        LiveCarrier::SeventeenTrack,
    ];

    /// The API that answers for a detected or registered carrier: its own when it has one, else
    /// the aggregator.
    pub fn of(carrier: Carrier) -> LiveCarrier {
        match carrier {
            Carrier::Ups => LiveCarrier::Ups,
            Carrier::Fedex => LiveCarrier::Fedex,
            Carrier::Usps => LiveCarrier::Usps,
            Carrier::Dhl => LiveCarrier::Dhl,
            _ => LiveCarrier::SeventeenTrack,
        }
    }

    /// The carriers it answers for.
    pub fn carriers(self) -> impl Iterator<Item = Carrier> {
        Carrier::ALL
            .into_iter()
            .filter(move |carrier| LiveCarrier::of(*carrier) == self)
    }

    /// Its name in cache keys and logs: the carrier's wire name, or `17track`.
    pub fn code(self) -> &'static str {
        match self {
            LiveCarrier::Ups => Carrier::Ups.as_str(),
            LiveCarrier::Fedex => Carrier::Fedex.as_str(),
            LiveCarrier::Usps => Carrier::Usps.as_str(),
            LiveCarrier::Dhl => Carrier::Dhl.as_str(),
            LiveCarrier::SeventeenTrack => "17track",
        }
    }

    /// Upper-case prefix of its Worker variables and secrets (`UPS_BASE_URL`, `UPS_CLIENT_ID`).
    pub fn env_prefix(self) -> &'static str {
        match self {
            LiveCarrier::Ups => "UPS",
            LiveCarrier::Fedex => "FEDEX",
            LiveCarrier::Usps => "USPS",
            LiveCarrier::Dhl => "DHL",
            LiveCarrier::SeventeenTrack => "SEVENTEEN_TRACK",
        }
    }

    /// How it authenticates.
    pub fn auth(self) -> AuthKind {
        match self {
            LiveCarrier::Dhl | LiveCarrier::SeventeenTrack => AuthKind::ApiKey,
            _ => AuthKind::OAuth,
        }
    }

    /// The call that registers `number` before it can be asked about, for an API that wants
    /// numbers registered (the aggregator); `None` for the others.
    pub fn register_call(self, base_url: &str, number: &str, credential: &str) -> Option<HttpCall> {
        let base = base_url.trim_end_matches('/');
        match self {
            LiveCarrier::SeventeenTrack => {
                Some(seventeen_track::register_call(base, number, credential))
            }
            _ => None,
        }
    }

    /// The call that asks about `number`; `credential` is the OAuth access token or the API key.
    pub fn track_call(self, base_url: &str, number: &str, credential: &str) -> HttpCall {
        let base = base_url.trim_end_matches('/');
        match self {
            LiveCarrier::Ups => ups::track_call(base, number, credential),
            LiveCarrier::Fedex => fedex::track_call(base, number, credential),
            LiveCarrier::Usps => usps::track_call(base, number, credential),
            LiveCarrier::Dhl => dhl::track_call(base, number, credential),
            LiveCarrier::SeventeenTrack => seventeen_track::track_call(base, number, credential),
        }
    }

    /// Reads the answer to the call about `number` whose HTTP status is neither 429 nor 5xx (those
    /// are failures the caller handles the same way for every carrier). An answer that lists
    /// several pieces is read for the piece numbered `number`.
    pub fn read_track(self, number: &str, status: u16, body: &str) -> Result<Lookup, BadAnswer> {
        match self {
            LiveCarrier::Ups => ups::read_track(number, status, body),
            LiveCarrier::Fedex => fedex::read_track(number, status, body),
            LiveCarrier::Usps => usps::read_track(number, status, body),
            LiveCarrier::Dhl => dhl::read_track(number, status, body),
            LiveCarrier::SeventeenTrack => seventeen_track::read_track(number, status, body),
        }
    }
}

/// How a carrier wants its calls authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// OAuth 2 client credentials: a bearer token fetched with a client id and secret.
    OAuth,
    /// A static API key in a header.
    ApiKey,
}

/// An HTTP method a carrier call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallMethod {
    Get,
    Post,
}

/// An HTTP call to a carrier, built without I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCall {
    pub method: CallMethod,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    /// Request body, when any.
    pub body: Option<String>,
}

/// A carrier's HTTP answer, as far as the adapters need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    /// `Retry-After` in seconds, when sent as seconds.
    pub retry_after: Option<u32>,
    pub body: String,
}

/// What a carrier said about a number, on the shared model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierAnswer {
    /// Its scan events, in the carrier's order: newest first.
    pub events: Vec<TrackingEvent>,
    /// The carrier's delivery estimate, first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta_from: Option<NaiveDate>,
    /// The carrier's delivery estimate, last day (the same day for a one-day estimate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta_to: Option<NaiveDate>,
    /// The carrier that took the parcel over for the last mile, when the answer names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_mile: Option<LastMile>,
}

/// The carrier a parcel was handed over to for the last mile, and the number it tracks the
/// parcel under when that is a new one (postal S10 numbers keep theirs across posts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastMile {
    pub carrier: Carrier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

impl CarrierAnswer {
    /// The status of its newest event, by the timeline's own rule (instants where both times
    /// have one, the carrier's order otherwise), as the stored shipment will show it.
    pub fn newest_status(&self) -> Option<Status> {
        Timeline::new(self.events_as_they_happened())
            .latest()
            .map(|event| event.status.status())
    }

    /// Its events oldest first, the order a timeline and the merge take them in.
    pub fn events_as_they_happened(&self) -> impl Iterator<Item = TrackingEvent> + '_ {
        self.events.iter().rev().cloned()
    }
}

/// The outcome of reading a tracking answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The carrier knows the number.
    Found(CarrierAnswer),
    /// The carrier does not know the number (yet), or refuses it as invalid.
    NotFound,
    /// An aggregator registered the number and has nothing tracked for it yet.
    Pending,
    /// An aggregator was never asked to track the number: it must be registered first.
    Unregistered,
}

/// An answer the adapter could not read: wrong shape, unexpected status, unreadable JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable carrier answer: {0}")]
pub struct BadAnswer(pub String);

impl From<serde_json::Error> for BadAnswer {
    fn from(error: serde_json::Error) -> Self {
        BadAnswer(error.to_string())
    }
}

/// True when `listed`, a number a carrier's answer holds, is the number `asked`: compared as
/// detection normalises numbers (letters and digits only, case ignored); an empty number is
/// never the one asked.
pub(crate) fn same_number(listed: &str, asked: &str) -> bool {
    fn normalised(number: &str) -> impl Iterator<Item = char> + '_ {
        number
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
    }
    normalised(asked).next().is_some() && normalised(listed).eq(normalised(asked))
}

/// Carrier text made safe to keep: trimmed, control and bidirectional-override characters dropped,
/// at most [`MAX_CARRIER_TEXT`] characters; `None` when nothing is left.
pub fn clean_text(text: Option<&str>) -> Option<String> {
    let cleaned: String = text?
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .take(MAX_CARRIER_TEXT)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty()).then(|| cleaned.to_owned())
}

/// A place from a carrier's city, region and country: nothing finer than the city (street lines
/// and postal codes are never read), the country only as an ISO alpha-2 code; `None` when empty.
pub fn place(city: Option<&str>, region: Option<&str>, country: Option<&str>) -> Option<Place> {
    let country = country
        .map(str::trim)
        .filter(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase);
    let place = Place {
        city: clean_text(city),
        region: clean_text(region),
        country,
    };
    (place != Place::default()).then_some(place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_stop_at_the_city() {
        assert_eq!(place(Some("  "), None, Some("usa")), None);
        let p = place(Some(" LOUISVILLE "), Some("KY"), Some("us")).unwrap();
        assert_eq!(p.city.as_deref(), Some("LOUISVILLE"));
        assert_eq!(p.country.as_deref(), Some("US"));
    }

    #[test]
    fn numbers_compare_as_detection_normalises_them() {
        assert!(same_number("1Z4R7A390342900263", " 1z4r 7a39-0342900263 "));
        assert!(!same_number("1Z4R7A390342900156", "1Z4R7A390342900263"));
        assert!(!same_number("1Z4R7A39034290026", "1Z4R7A390342900263"));
        assert!(!same_number("", ""));
        assert!(!same_number(" - ", "-"));
    }

    #[test]
    fn carrier_text_is_bounded_and_clean() {
        assert_eq!(clean_text(Some("a\u{0}b\n")), Some("ab".into()));
        assert_eq!(clean_text(Some(&"x".repeat(500))).unwrap().len(), 200);
        assert_eq!(clean_text(Some(" \t")), None);
    }
}
