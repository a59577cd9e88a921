//! Detection, time parsing, date arithmetic and view composition take whatever people, carriers
//! and the store hand them without panicking and without unbounded work; every time the API
//! accepts comes back unchanged through the store and every view.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use proptest::prelude::*;
use waypost_shared::Error;
use waypost_shared::detect::{Carrier, Confidence, MAX_INPUT_CHARS, MAX_TYPED_CHARS, detect, hint};
use waypost_shared::eta::{EtaSource, EtaWindow, TransitRange};
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::health::{HealthInput, Route, Scope, ServiceLevel, assess};
use waypost_shared::interop::{AFTERSHIP, EASYPOST, SEVENTEEN_TRACK, SHOPIFY};
use waypost_shared::iso;
use waypost_shared::labels::{Lang, day_heading, eta_window, event_time, relative_time};
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::{EventTime, is_sane_date};
use waypost_shared::timeline::Timeline;
use waypost_shared::view::{ShipmentFacts, tracking_view};

/// Any date chrono can hold, with its two ends, their neighbourhoods and the centuries around
/// today well represented.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let (first, last) = (
        NaiveDate::MIN.num_days_from_ce(),
        NaiveDate::MAX.num_days_from_ce(),
    );
    prop_oneof![
        first..=last,
        first..first + 800,
        last - 800..=last,
        700_000..800_000,
    ]
    .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).expect("in chrono's range"))
}

/// A sane date half the time, any date chrono can hold otherwise.
fn some_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (1999i32..=2101, 1u32..=366).prop_filter_map("a day of the year", |(year, day)| {
            NaiveDate::from_yo_opt(year, day)
        }),
        any_date(),
    ]
}

/// Any date-time chrono can hold, leap seconds included.
fn any_date_time() -> impl Strategy<Value = NaiveDateTime> {
    (any_date(), 0u32..86_400, 0u32..2_000_000_000).prop_map(|(date, secs, nanos)| {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
            .or_else(|| NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos % 1_000_000_000))
            .expect("a time of day");
        date.and_time(time)
    })
}

/// Any instant chrono can hold.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    any_date_time().prop_map(|t| t.and_utc())
}

/// Any offset chrono can hold (wider than any the parsers accept).
fn any_offset() -> impl Strategy<Value = FixedOffset> {
    (-86_399i32..=86_399).prop_map(|secs| FixedOffset::east_opt(secs).expect("under a day"))
}

/// Any event time, built directly (not parsed).
fn any_event_time() -> impl Strategy<Value = EventTime> {
    (any_date_time(), prop::option::of(any_offset())).prop_map(|(local, offset)| match offset {
        Some(offset) => EventTime::with_offset(local, offset),
        None => EventTime::local(local),
    })
}

fn any_status() -> impl Strategy<Value = StatusDetail> {
    prop_oneof![
        prop::sample::select(Status::ALL.to_vec()).prop_map(StatusDetail::new),
        prop::sample::select(SubStatus::ALL.to_vec()).prop_map(StatusDetail::from),
    ]
}

fn any_event() -> impl Strategy<Value = TrackingEvent> {
    (
        any_event_time(),
        any_status(),
        "\\PC{0,20}",
        prop::option::of("\\PC{0,12}"),
    )
        .prop_map(|(time, status, description, city)| TrackingEvent {
            time,
            status,
            description,
            location: city.map(|city| Place {
                city: Some(city),
                ..Place::default()
            }),
            carrier_code: None,
            carrier: None,
        })
}

fn any_route() -> impl Strategy<Value = Route> {
    (any::<bool>(), 0usize..3).prop_map(|(international, service)| Route {
        scope: if international {
            Scope::International
        } else {
            Scope::Domestic
        },
        service: ServiceLevel::ALL[service],
    })
}

/// Time strings in the shapes carriers send, over years, fields and offsets well past the valid
/// ones (five-digit and negative years, hour 24, second 60, offsets up to ±19 hours).
fn time_strings() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        (1990i32..2110).prop_map(|y| format!("{y:04}")),
        (0i32..10_000).prop_map(|y| format!("{y:04}")),
        (10_000i32..300_000).prop_map(|y| format!("+{y}")),
        (1i32..300_000).prop_map(|y| format!("-{y:04}")),
    ];
    let fraction = prop_oneof![
        Just(String::new()),
        "\\.[0-9]{1,9}".prop_map(|f| f.to_string()),
    ];
    let offset = prop_oneof![
        Just(String::new()),
        Just("Z".to_owned()),
        ("[+-]", 0u32..20, 0u32..60).prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        ("[+-]", 0u32..20, 0u32..60).prop_map(|(s, h, m)| format!("{s}{h:02}{m:02}")),
        ("[+-]", 0u32..20).prop_map(|(s, h)| format!("GMT{s}{h}")),
    ];
    (
        year,
        1u32..=12,
        1u32..=31,
        prop::sample::select(vec!['T', ' ']),
        0u32..=24,
        0u32..=60,
        prop::option::of(0u32..=60),
        fraction,
        offset,
    )
        .prop_map(|(y, mo, d, sep, h, mi, s, fraction, offset)| match s {
            Some(s) => format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{fraction}{offset}"),
            None => format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}{offset}"),
        })
}

/// A one-event shipment's view in every language, at `now`.
fn views_of(event: &TrackingEvent, etas: &[EtaWindow], now: DateTime<Utc>) {
    let timeline = Timeline::new([event.clone()]);
    let facts = ShipmentFacts {
        tracking_number: "1Z5R89390357567127",
        carrier: Some(Carrier::Ups),
        timeline: &timeline,
        status_without_events: StatusDetail::new(Status::Pending),
        etas,
        route: Route::default(),
        registered_at: Some(now),
        order_reference: None,
        destination: None,
        last_mile: None,
    };
    for lang in Lang::ALL {
        let view = tracking_view(&facts, lang, now);
        let _ = serde_json::to_string(&view).expect("a view always serialises");
        let _ = view.events_by_local_day();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn detection_never_panics_on_any_unicode(input in prop::collection::vec(any::<char>(), 0..10_240)) {
        let input: String = input.into_iter().collect();
        match detect(&input) {
            Ok(detection) => {
                prop_assert!(input.chars().count() <= MAX_TYPED_CHARS);
                if let Some(normalized) = &detection.normalized {
                    prop_assert!(normalized.len() <= MAX_INPUT_CHARS);
                }
            }
            Err(Error::InputTooLong { .. } | Error::NumberTooLong { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn near_numbers_give_consistent_answers(input in "[0-9A-Za-z \\-\n]{0,80}") {
        if let Ok(detection) = detect(&input) {
            let verified = detection.candidates.iter().any(|c| c.confidence == Confidence::High);
            prop_assert!(!verified || detection.near_misses.is_empty(), "typo hints beside a verified match");
            for candidate in &detection.candidates {
                prop_assert!(detection.near_misses.iter().all(|miss| miss.carrier != candidate.carrier));
            }
        }
    }

    #[test]
    fn time_parsing_never_panics(input in "\\PC{0,80}") {
        let _ = EventTime::parse(&input);
        let _ = EventTime::from_parts(&input, &input, Some(&input));
    }

    #[test]
    fn offsets_sort_by_the_instant(
        a_secs in 0i64..100_000_000, b_secs in 0i64..100_000_000,
        a_offset in -12i32..=14, b_offset in -12i32..=14,
    ) {
        let time = |secs: i64, hours: i32| {
            let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
            let instant = chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
            EventTime::with_offset(instant.with_timezone(&offset).naive_local(), offset)
        };
        let (a, b) = (time(a_secs, a_offset), time(b_secs, b_offset));
        prop_assert_eq!(a.sort_key().cmp(&b.sort_key()), a_secs.cmp(&b_secs));
        prop_assert_eq!(a.utc().unwrap().timestamp(), 1_700_000_000 + a_secs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whatever `EventTime::parse` accepts is stored (as JSON) and read back unchanged, and
    /// every view of it can be built.
    #[test]
    fn accepted_times_round_trip_through_the_store_and_every_view(text in time_strings()) {
        let Ok(time) = EventTime::parse(&text) else {
            return Ok(());
        };
        let json = serde_json::to_string(&time).unwrap();
        let back: EventTime = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(format!("{text:?} stored as {json} reads back as {e}")))?;
        prop_assert_eq!(&back, &time);
        #[cfg(feature = "compact-json")]
        prop_assert_eq!(
            waypost_shared::wire::compact::from_json::<EventTime>(&json),
            Some(time.clone()),
            "the widget reads it too"
        );
        let event = TrackingEvent {
            time,
            status: StatusDetail::new(Status::InTransit),
            description: "Scanned".into(),
            location: None,
            carrier_code: None,
            carrier: None,
        };
        let stored = serde_json::to_string(&event).unwrap();
        prop_assert_eq!(serde_json::from_str::<TrackingEvent>(&stored).unwrap(), event.clone());
        for lang in Lang::ALL {
            let _ = event_time(&event.time, lang);
        }
        views_of(&event, &[], "2026-11-20T12:00:00Z".parse().unwrap());
    }

    /// Date arithmetic on any date chrono can hold: no panic, and every ETA window that can be
    /// built has sane dates, so it is written and read back unchanged.
    #[test]
    fn eta_arithmetic_never_panics(
        shipped_on in some_date(),
        other in some_date(),
        min_days in any::<u16>(),
        max_days in any::<u16>(),
        now in any_instant(),
    ) {
        let range = TransitRange { min_days, max_days };
        let estimated = EtaWindow::estimated(shipped_on, range);
        if let Some(eta) = estimated {
            prop_assert!(is_sane_date(shipped_on) && eta.from() >= shipped_on && eta.from() <= eta.to());
        }
        let windows = [
            EtaWindow::new(shipped_on, other, EtaSource::Carrier).ok(),
            EtaWindow::new(other, shipped_on, EtaSource::Promised).ok(),
            EtaWindow::on(other, EtaSource::Carrier).ok(),
            estimated,
        ];
        for eta in windows.iter().flatten() {
            prop_assert!(is_sane_date(eta.from()) && is_sane_date(eta.to()));
            let json = serde_json::to_string(eta).unwrap();
            prop_assert_eq!(serde_json::from_str::<EtaWindow>(&json).unwrap(), *eta);
            let _ = eta.has_passed(now);
            for lang in Lang::ALL {
                let _ = eta_window(eta, lang);
            }
        }
        let _ = EtaWindow::best(windows.iter().flatten().copied());
        for lang in Lang::ALL {
            let _ = day_heading(shipped_on, lang);
        }
    }

    /// Health, relative times and whole views over any instants, event times and ETAs: no panic.
    #[test]
    fn views_over_any_dates_never_panic(
        events in prop::collection::vec(any_event(), 0..6),
        status in any_status(),
        last_activity in prop::option::of(any_instant()),
        registered_at in prop::option::of(any_instant()),
        now in any_instant(),
        eta_day in some_date(),
        shipped_on in some_date(),
        range in (any::<u16>(), any::<u16>()),
        route in any_route(),
    ) {
        let range = TransitRange { min_days: range.0, max_days: range.1 };
        let etas: Vec<EtaWindow> = [
            EtaWindow::on(eta_day, EtaSource::Carrier).ok(),
            EtaWindow::estimated(shipped_on, range),
        ]
        .into_iter()
        .flatten()
        .collect();
        let _ = assess(HealthInput { status, last_activity, eta: etas.first().copied(), route, now });
        for event in &events {
            let _ = (event.time.utc(), event.time.latest_utc(), event.time.sort_key());
            let _ = event.fingerprint();
            let _ = serde_json::to_string(event).unwrap();
            for lang in Lang::ALL {
                let _ = event_time(&event.time, lang);
                let _ = relative_time(event.time.latest_utc(), now, lang);
            }
        }
        let timeline = Timeline::new(events.clone());
        let _ = timeline.by_local_day();
        let facts = ShipmentFacts {
            tracking_number: "RR123456785CN",
            carrier: Some(Carrier::S10),
            timeline: &timeline,
            status_without_events: status,
            etas: &etas,
            route,
            registered_at,
            order_reference: Some("#1042"),
            destination: None,
            last_mile: None,
        };
        for lang in Lang::ALL {
            let _ = serde_json::to_string(&tracking_view(&facts, lang, now)).unwrap();
        }
    }

    /// Any string, wherever the crate reads text: no panic.
    #[test]
    fn any_string_is_read_without_panicking(text in "\\PC{0,40}", other in "[-+:0-9TZ ]{0,30}") {
        for input in [&text, &other] {
            let _ = EventTime::parse(input);
            let _ = EventTime::from_parts(input, input, Some(input));
            let _ = EventTime::from_parts(&other, &text, None);
            let _ = EventTime::local(NaiveDateTime::MIN).in_zone(input);
            let _ = iso::parse_date(input);
            let _ = iso::parse_date_time(input);
            let _ = hint(input);
            let _ = Lang::from_tag(input);
            let _ = Lang::negotiate([input.as_str(), "xx"]);
            for taxonomy in [AFTERSHIP, SEVENTEEN_TRACK, SHOPIFY, EASYPOST] {
                let _ = taxonomy.import(input);
            }
            let quoted = serde_json::to_string(input).unwrap();
            for json in [
                format!(r#"{{"local":{quoted},"offset":{quoted},"zone":null,"utc":{quoted}}}"#),
                format!(r#"{{"local":{quoted},"offset":"+14:00"}}"#),
                format!(r#"{{"from":{quoted},"to":{quoted},"source":"carrier"}}"#),
                format!(r#"{{"shipped_on":{quoted}}}"#),
            ] {
                let _ = serde_json::from_str::<EventTime>(&json);
                let _ = serde_json::from_str::<EtaWindow>(&json);
                let _ = serde_json::from_str::<waypost_shared::wire::ShipmentInput>(&json);
            }
        }
    }
}

/// An event on 2026-11-20 give or take four days, with its offset (whole minutes within
/// UTC−12..UTC+14) or without one; few distinct descriptions, so some events repeat.
fn nearby_event() -> impl Strategy<Value = TrackingEvent> {
    (
        -345_600i64..345_600,
        prop::option::of(-720i32..=840),
        0u8..4,
    )
        .prop_map(|(secs, offset, word)| {
            let instant = DateTime::from_timestamp(1_795_176_000 + secs, 0).expect("in range");
            let time = match offset.map(|m| FixedOffset::east_opt(m * 60).expect("offset")) {
                Some(offset) => {
                    EventTime::with_offset(instant.with_timezone(&offset).naive_local(), offset)
                }
                None => EventTime::local(instant.naive_utc()),
            };
            TrackingEvent {
                time,
                status: StatusDetail::new(Status::InTransit),
                description: format!("scan {word}"),
                location: None,
                carrier_code: None,
                carrier: None,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The timeline's order: events with an instant in time order, events without an offset in
    /// the order given and in the places given, each event once, and a fixpoint.
    #[test]
    fn timeline_order_is_total_and_keeps_the_carriers_order(
        given in prop::collection::vec(nearby_event(), 0..12),
    ) {
        let timeline = Timeline::new(given.clone());
        let mut seen = std::collections::HashSet::new();
        let once: Vec<&TrackingEvent> = given.iter().filter(|e| seen.insert(e.fingerprint())).collect();
        let oldest_first: Vec<&TrackingEvent> = timeline.events().iter().rev().collect();
        prop_assert_eq!(oldest_first.len(), once.len());
        for (place, (shown, event)) in oldest_first.iter().zip(&once).enumerate() {
            if event.time.utc().is_none() {
                prop_assert_eq!(shown, event, "an event without an offset keeps place {}", place);
            } else {
                prop_assert!(shown.time.utc().is_some(), "place {} holds an instant", place);
            }
        }
        let instants: Vec<_> = oldest_first.iter().filter_map(|e| e.time.utc()).collect();
        prop_assert!(instants.windows(2).all(|w| w[0] <= w[1]), "instants in time order");
        let again = Timeline::new(oldest_first.iter().map(|e| (*e).clone()));
        prop_assert_eq!(&again, &timeline);
        prop_assert_eq!(timeline.latest(), timeline.events().first());
        let grouped: usize = timeline.by_local_day().iter().map(|day| day.events.len()).sum();
        prop_assert_eq!(grouped, once.len());
    }

    /// One instant, restated at any other offset, is one event.
    #[test]
    fn the_same_instant_at_any_offset_is_one_event(
        event in nearby_event(),
        minutes in -720i32..=840,
    ) {
        let Some(utc) = event.time.utc() else {
            return Ok(());
        };
        let offset = FixedOffset::east_opt(minutes * 60).unwrap();
        let restated = TrackingEvent {
            time: EventTime::with_offset(utc.with_timezone(&offset).naive_local(), offset),
            ..event.clone()
        };
        prop_assert_eq!(restated.fingerprint(), event.fingerprint());
        let timeline = Timeline::new([event.clone(), restated]);
        prop_assert_eq!(timeline.events(), [event]);
    }
}

/// The times of the issue: a leap second gets one treatment and round-trips; what the store
/// cannot hold is refused as `time_out_of_range`.
#[test]
fn times_of_the_issue_round_trip_or_are_refused() {
    let leap = EventTime::parse("2016-12-31T23:59:60Z").expect("a leap second is read");
    let json = serde_json::to_string(&leap).unwrap();
    assert_eq!(serde_json::from_str::<EventTime>(&json).unwrap(), leap);
    for text in [
        "+10000-01-01T00:00:00Z",
        "-0001-12-31T12:00:00+01:00",
        "9999-12-31T23:59:59-05:00",
    ] {
        let error = EventTime::parse(text).expect_err(text);
        assert_eq!(error.code(), "time_out_of_range", "{text}: {error}");
    }
}

/// The date of the issue: `+262142-12-31` as a ship date.
#[test]
fn an_estimate_from_the_end_of_time_does_not_panic() {
    let shipped_on = NaiveDate::from_ymd_opt(262_142, 12, 31).unwrap();
    let range = TransitRange {
        min_days: 7,
        max_days: 15,
    };
    assert_eq!(EtaWindow::estimated(shipped_on, range), None);
}

#[test]
fn bad_inputs_of_the_issue() {
    let cases = [
        "".to_owned(),
        "   \t ".to_owned(),
        "📦🚚✅".to_owned(),
        "1z5r8939-0357-567127".to_owned(),
        "1Z5R8939\n0357567127".to_owned(),
        "1Z5R89390357567127Ж".to_owned(),
        "ＲＲ１２３４５６７８５ＣＮ".to_owned(),
        "'; DROP TABLE shipments; --".to_owned(),
        "../../etc/passwd".to_owned(),
    ];
    for input in &cases {
        let detection = detect(input).expect("short inputs are answered");
        assert!(detection.candidates.len() <= 3, "{input:?}");
    }
    assert!(
        !detect("1z5r8939-0357-567127")
            .unwrap()
            .candidates
            .is_empty(),
        "dashes and case are normalised"
    );
    assert!(
        !detect("1Z5R8939\n0357567127")
            .unwrap()
            .candidates
            .is_empty(),
        "an embedded newline is whitespace"
    );
    assert!(detect(&"x".repeat(10_240)).is_err());
    assert!(matches!(
        detect(&"7".repeat(65)),
        Err(Error::NumberTooLong { chars: 65, .. })
    ));
}
