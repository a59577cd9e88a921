//! The contract every carrier adapter keeps, checked for all four over their recorded answers
//! (`edge/fixtures/carriers/<carrier>/<case>.json`) and over answers no adapter may accept. Each
//! adapter's own tests keep only what is its own: codes, offsets, fields and quirks.

use serde_json::Value;
use waypost_shared::event::Place;
use waypost_shared::status::Status;

use super::test_support::{UNLISTED, found_by, found_for};
use super::{AuthKind, CallMethod, CarrierAnswer, LiveCarrier, Lookup, clean_text};

/// A recorded answer.
struct Case {
    /// Its file name, without `.json`.
    name: &'static str,
    /// The status of its newest event; `None` for the answer about an unknown number.
    newest: Option<Status>,
    body: &'static str,
}

/// The seven recorded answers of a carrier.
macro_rules! cases {
    ($carrier:literal) => {
        cases!($carrier:
            "delivered" => Some(Status::Delivered),
            "in_transit" => Some(Status::InTransit),
            "out_for_delivery" => Some(Status::OutForDelivery),
            "failed_attempt" => Some(Status::AttemptFailed),
            "exception" => Some(Status::Exception),
            "pickup_ready" => Some(Status::AvailableForPickup),
            "not_found" => None
        )
    };
    ($carrier:literal: $($case:literal => $newest:expr),+) => {
        [$(Case {
            name: $case,
            newest: $newest,
            body: include_str!(concat!("../../fixtures/carriers/", $carrier, "/", $case, ".json")),
        }),+]
    };
}

/// The carriers' own APIs, which share one set of recorded cases. (The aggregator's answers have
/// their own shapes and are tested in its module.)
const NATIVE: [LiveCarrier; 4] = [
    LiveCarrier::Ups,
    LiveCarrier::Fedex,
    LiveCarrier::Usps,
    LiveCarrier::Dhl,
];

fn cases(carrier: LiveCarrier) -> [Case; 7] {
    match carrier {
        LiveCarrier::Ups => cases!("ups"),
        LiveCarrier::Fedex => cases!("fedex"),
        LiveCarrier::Usps => cases!("usps"),
        LiveCarrier::Dhl => cases!("dhl"),
        LiveCarrier::SeventeenTrack => unreachable!("the aggregator is not a native carrier"),
    }
}

/// What a carrier's documentation fixes.
struct Terms {
    method: CallMethod,
    /// The URL asking about a number at base `https://carrier.test`, with `{number}` where the
    /// percent-encoded number goes (when it goes in the URL).
    url: &'static str,
    /// The header that carries the credential, with `{credential}` where it goes.
    credential: (&'static str, &'static str),
    /// The HTTP status of its recorded unknown-number answer.
    not_found_status: u16,
    /// The fields of its answers that hold postal codes, street lines, facility codes or
    /// people's names.
    private_fields: &'static [&'static str],
}

fn terms(carrier: LiveCarrier) -> Terms {
    const BEARER: (&str, &str) = ("Authorization", "Bearer {credential}");
    match carrier {
        LiveCarrier::Ups => Terms {
            method: CallMethod::Get,
            url: "https://carrier.test/api/track/v1/details/{number}?locale=en_US&returnSignature=false",
            credential: BEARER,
            not_found_status: 200,
            private_fields: &["postalCode", "name", "receivedBy", "slic"],
        },
        LiveCarrier::Fedex => Terms {
            method: CallMethod::Post,
            url: "https://carrier.test/track/v1/trackingnumbers",
            credential: BEARER,
            not_found_status: 200,
            private_fields: &["postalCode", "streetLines", "receivedByName"],
        },
        LiveCarrier::Usps => Terms {
            method: CallMethod::Get,
            url: "https://carrier.test/tracking/v3/tracking/{number}?expand=DETAIL",
            credential: BEARER,
            not_found_status: 404,
            private_fields: &["eventZIP", "originZIP", "destinationZIP", "name", "firm"],
        },
        LiveCarrier::Dhl => Terms {
            method: CallMethod::Get,
            url: "https://carrier.test/track/shipments?trackingNumber={number}",
            credential: ("DHL-API-Key", "{credential}"),
            not_found_status: 404,
            private_fields: &["postalCode", "familyName"],
        },
        LiveCarrier::SeventeenTrack => unreachable!("the aggregator is not a native carrier"),
    }
}

fn found(carrier: LiveCarrier, body: &str) -> CarrierAnswer {
    found_by(
        |number, status, body| carrier.read_track(number, status, body),
        body,
    )
}

/// The cases that hold a parcel, with the status of their newest event.
fn parcels(carrier: LiveCarrier) -> impl Iterator<Item = (&'static str, Status, &'static str)> {
    cases(carrier)
        .into_iter()
        .filter_map(|case| Some((case.name, case.newest?, case.body)))
}

#[test]
fn every_call_goes_to_the_documented_path_with_its_credential() {
    const SECRET: &str = "s3cret";
    for carrier in NATIVE {
        let terms = terms(carrier);
        for (number, encoded) in [
            ("1Z4E7W830312074518", "1Z4E7W830312074518"),
            ("JD01 46/00?x=1&y#", "JD01%2046%2F00%3Fx%3D1%26y%23"),
        ] {
            // The base's trailing slash is not doubled.
            let call = carrier.track_call("https://carrier.test/", number, SECRET);
            assert_eq!(call.method, terms.method, "{carrier:?}");
            assert_eq!(
                call.url,
                terms.url.replace("{number}", encoded),
                "{carrier:?}"
            );
            let (name, value) = terms.credential;
            assert!(
                call.headers
                    .contains(&(name, value.replace("{credential}", SECRET))),
                "{carrier:?}: {call:?}"
            );
            assert_eq!(
                carrier.auth() == AuthKind::OAuth,
                value.starts_with("Bearer "),
                "{carrier:?}"
            );
            // The credential goes in its header and nowhere else.
            let carrying = call.headers.iter().filter(|(_, v)| v.contains(SECRET));
            assert_eq!(carrying.count(), 1, "{carrier:?}: {call:?}");
            assert!(!call.url.contains(SECRET), "{carrier:?}");
            match call.method {
                CallMethod::Get => {
                    assert!(
                        call.headers
                            .contains(&("Accept", "application/json".into())),
                        "{carrier:?}"
                    );
                    assert_eq!(call.body, None, "{carrier:?}");
                }
                CallMethod::Post => {
                    assert!(
                        call.headers
                            .contains(&("Content-Type", "application/json".into())),
                        "{carrier:?}"
                    );
                    let body = call.body.as_deref().unwrap_or_default();
                    assert!(
                        body.contains(&serde_json::to_string(number).unwrap()),
                        "{carrier:?}: {body}"
                    );
                    assert!(!body.contains(SECRET), "{carrier:?}");
                }
            }
        }
    }
}

#[test]
fn every_recorded_parcel_reads_with_the_status_its_case_names() {
    for carrier in NATIVE {
        for (case, status, body) in parcels(carrier) {
            let answer = found(carrier, body);
            let newest = answer.events.iter().max_by_key(|e| e.time.sort_key());
            assert_eq!(
                newest.map(|e| e.status.status()),
                Some(status),
                "{carrier:?} {case}"
            );
            match (answer.eta_from, answer.eta_to) {
                (Some(from), Some(to)) => assert!(from <= to, "{carrier:?} {case}"),
                (None, None) => {}
                window => panic!("{carrier:?} {case}: half an estimate {window:?}"),
            }
            // Actual delivery dates are not an estimate.
            if status == Status::Delivered {
                assert_eq!(answer.eta_from, None, "{carrier:?} {case}");
            }
        }
    }
}

#[test]
fn recorded_events_keep_clean_words_coarse_places_and_real_offsets() {
    for carrier in NATIVE {
        for (case, _, body) in parcels(carrier) {
            for event in found(carrier, body).events {
                let at = format!("{carrier:?} {case}: {event:?}");
                assert_eq!(
                    clean_text(Some(&event.description)).as_deref(),
                    Some(event.description.as_str()),
                    "{at}"
                );
                assert_ne!(event.carrier_code.as_deref(), Some(""), "{at}");
                if let Some(place) = &event.location {
                    assert_ne!(place, &Place::default(), "{at}");
                    for text in [&place.city, &place.region].into_iter().flatten() {
                        assert_eq!(clean_text(Some(text)).as_ref(), Some(text), "{at}");
                    }
                    if let Some(country) = &place.country {
                        assert!(
                            country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()),
                            "{at}"
                        );
                    }
                }
                assert_eq!(
                    event.time.utc().is_some(),
                    event.time.offset().is_some(),
                    "{at}"
                );
                if let Some(offset) = event.time.offset() {
                    let secs = offset.local_minus_utc();
                    assert!(
                        secs % 60 == 0 && (-12 * 3600..=14 * 3600).contains(&secs),
                        "{at}"
                    );
                }
            }
        }
    }
}

#[test]
fn no_postal_code_street_or_name_survives() {
    for carrier in NATIVE {
        let fields = terms(carrier).private_fields;
        let mut checked = 0;
        for (case, _, body) in parcels(carrier) {
            let mut words = Vec::new();
            private_words(&serde_json::from_str(body).unwrap(), fields, &mut words);
            let text = format!("{:?}", found(carrier, body));
            for word in &words {
                assert!(
                    !text.contains(word.as_str()),
                    "{carrier:?} {case}: {word} leaked into {text}"
                );
            }
            checked += words.len();
        }
        assert!(checked > 0, "{carrier:?}: no private field was recorded");
    }
}

/// Every word held under one of `fields`, at any depth of `value`. Only words of four or more
/// letters or digits: shorter pieces of a street line ("N", "ST", "418") would match words the
/// carrier may rightly keep.
fn private_words(value: &Value, fields: &[&str], words: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if fields.contains(&key.as_str()) {
                    words_in(inner, words);
                } else {
                    private_words(inner, fields, words);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| private_words(i, fields, words)),
        _ => {}
    }
}

fn words_in(value: &Value, words: &mut Vec<String>) {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => return items.iter().for_each(|i| words_in(i, words)),
        Value::Object(map) => return map.values().for_each(|i| words_in(i, words)),
        Value::Null | Value::Bool(_) => return,
    };
    words.extend(
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.chars().count() >= 4)
            .map(str::to_owned),
    );
}

/// A recorded answer listing two pieces: the first piece's number and newest status, then the
/// number and newest status of the second.
struct MultiPiece {
    carrier: LiveCarrier,
    body: &'static str,
    first: (&'static str, Status),
    second: (&'static str, Status),
}

/// The recorded multi-piece answers (`multi_piece.json`): every carrier whose answer can hold
/// several pieces. USPS answers about one item only.
fn multi_pieces() -> [MultiPiece; 3] {
    [
        MultiPiece {
            carrier: LiveCarrier::Ups,
            body: include_str!("../../fixtures/carriers/ups/multi_piece.json"),
            first: ("1Z4R7A390342900156", Status::Delivered),
            second: ("1Z4R7A390342900263", Status::InTransit),
        },
        MultiPiece {
            carrier: LiveCarrier::Fedex,
            body: include_str!("../../fixtures/carriers/fedex/multi_piece.json"),
            first: ("794887075005", Status::Delivered),
            second: ("794887075016", Status::InTransit),
        },
        MultiPiece {
            carrier: LiveCarrier::Dhl,
            body: include_str!("../../fixtures/carriers/dhl/multi_piece.json"),
            first: ("00340434161094015902", Status::Delivered),
            second: ("00340434161094015919", Status::InTransit),
        },
    ]
}

#[test]
fn a_multi_piece_answer_is_read_for_the_piece_asked_about() {
    for MultiPiece {
        carrier,
        body,
        first,
        second,
    } in multi_pieces()
    {
        let read = |number: &str| {
            found_for(
                |number, status, body| carrier.read_track(number, status, body),
                number,
                body,
            )
        };
        let newest = |answer: &CarrierAnswer| {
            let newest = answer.events.iter().max_by_key(|e| e.time.sort_key());
            newest.map(|e| e.status.status())
        };
        for (number, status) in [first, second] {
            let answer = read(number);
            assert_eq!(newest(&answer), Some(status), "{carrier:?} {number}");
            // The number as typed: case, spaces and dashes do not matter.
            let typed = format!(" {}-{} ", &number[..4], &number[4..]).to_lowercase();
            assert_eq!(read(&typed), answer, "{carrier:?} {typed:?}");
            let mut words = Vec::new();
            let fields = terms(carrier).private_fields;
            private_words(&serde_json::from_str(body).unwrap(), fields, &mut words);
            let text = format!("{answer:?}");
            for word in &words {
                assert!(!text.contains(word.as_str()), "{carrier:?}: {word} leaked");
            }
        }
        // A number the answer does not list, as in an answer that names no piece: read as before
        // (the first piece; for FedEx the freshest result, here the same).
        assert_eq!(read(UNLISTED), read(first.0), "{carrier:?}");
    }
}

#[test]
fn the_recorded_unknown_number_reads_as_not_found() {
    for carrier in NATIVE {
        let status = terms(carrier).not_found_status;
        let [.., unknown] = cases(carrier);
        assert_eq!(unknown.name, "not_found");
        assert_eq!(
            carrier.read_track(UNLISTED, status, unknown.body),
            Ok(Lookup::NotFound),
            "{carrier:?}"
        );
    }
}

#[test]
fn garbage_and_refusals_are_errors() {
    const GARBAGE: [&str; 7] = [
        "<html><body>Service Unavailable</body></html>",
        "<html>Not Found</html>",
        "{}",
        "[]",
        "null",
        "",
        "not json",
    ];
    for carrier in NATIVE {
        let not_found_status = terms(carrier).not_found_status;
        let refuses = |status: u16, body: &str| {
            assert!(
                carrier.read_track(UNLISTED, status, body).is_err(),
                "{carrier:?} read HTTP {status} {body:?}"
            );
        };
        for body in GARBAGE {
            for status in [200, 400, 404] {
                refuses(status, body);
            }
        }
        for case in cases(carrier) {
            let status = match case.newest {
                Some(_) => 200,
                None => not_found_status,
            };
            let half: String = case
                .body
                .chars()
                .take(case.body.chars().count() / 2)
                .collect();
            refuses(status, &half);
            // A redirect or refusal is an error whatever its body says.
            for status in [302, 401, 403] {
                refuses(status, case.body);
            }
            // A parcel under 404 is no answer.
            if case.newest.is_some() {
                refuses(404, case.body);
            }
        }
    }
}

#[test]
fn carrier_text_never_carries_bidirectional_overrides() {
    assert_eq!(
        clean_text(Some("Arrived\u{202E}gnp.exe")).as_deref(),
        Some("Arrivedgnp.exe")
    );
    let place = super::place(Some("Mem\u{2067}phis\u{2069}"), None, Some("US")).unwrap();
    assert_eq!(place.city.as_deref(), Some("Memphis"));
}
