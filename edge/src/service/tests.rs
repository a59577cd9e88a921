//! The service end to end on the host, against the in-memory store.

use waypost_shared::detect::Carrier;
use waypost_shared::health::Health;
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{Contact, EventBatch, EventInput, OrderInput, ShipmentInput, ShopInput};

use super::events::push_events;
use super::memory::{MemoryStore, TestRuntime, block_on, create_shop};
use super::orders::{OrderProof, order_view, put_order};
use super::shipments::{ListQuery, ensure_held, list_shipments, put_shipment};
use super::store::{
    MAX_WRITE_ATTEMPTS, Runtime, ShipmentFilter, ShipmentHistory, ShipmentRecord, ShopRecord,
    Store, until_written,
};
use super::test_carriers::{TestCarriers, answers};
use super::tracking::track;
use super::tracking_number::TrackingNumber;
use crate::error::EdgeError;

const UPS: &str = "1Z5R89390357567127";

/// A store with one shop (origin `https://shop.example`, 7–15 transit days, personal data kept
/// 30 days) and a clock; the other host-test modules start from it too.
pub(super) fn setup() -> (MemoryStore, TestRuntime, ShopRecord) {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let input = ShopInput {
        name: "Shop".into(),
        allowed_origins: vec!["https://shop.example".into()],
        transit_days: waypost_shared::eta::TransitRange {
            min_days: 7,
            max_days: 15,
        },
        live_carriers: Vec::new(),
        retention_days: Some(30),
        history_days: None,
    };
    let (shop, _) = create_shop(&store, &runtime, input);
    (store, runtime, shop)
}

fn event(time: &str, status: Status, sub: Option<SubStatus>, text: &str) -> EventInput {
    EventInput {
        time: time.into(),
        zone: None,
        status,
        sub_status: sub,
        description: text.into(),
        location: None,
        carrier_code: None,
    }
}

fn batch() -> Vec<EventInput> {
    vec![
        event(
            "2026-11-18T09:00:00+08:00",
            Status::InTransit,
            Some(SubStatus::PickedUp),
            "Picked up",
        ),
        event(
            "2026-11-19T06:00:00-08:00",
            Status::InTransit,
            Some(SubStatus::CustomsProcessing),
            "Customs",
        ),
        event(
            "2026-11-20T08:00:00-05:00",
            Status::OutForDelivery,
            None,
            "Out for delivery",
        ),
    ]
}

#[test]
fn same_batch_three_times_and_reversed_gives_one_timeline() {
    let (store, runtime, shop) = setup();
    let first = block_on(push_events(
        &store,
        &answers(),
        &shop,
        UPS,
        EventBatch { events: batch() },
        runtime.now(),
    ))
    .unwrap();
    assert_eq!((first.received, first.stored, first.duplicates), (3, 3, 0));
    for _ in 0..2 {
        let again = block_on(push_events(
            &store,
            &answers(),
            &shop,
            UPS,
            EventBatch { events: batch() },
            runtime.now(),
        ))
        .unwrap();
        assert_eq!((again.stored, again.duplicates), (0, 3));
    }
    let mut reversed = batch();
    reversed.reverse();
    block_on(push_events(
        &store,
        &answers(),
        &shop,
        UPS,
        EventBatch { events: reversed },
        runtime.now(),
    ))
    .unwrap();
    let view = block_on(track(
        &store,
        &TestCarriers::none().live(),
        &answers(),
        &shop,
        UPS,
        Lang::En,
        runtime.now(),
    ))
    .unwrap()
    .view;
    let texts: Vec<_> = view.events.iter().map(|e| e.description.as_str()).collect();
    assert_eq!(texts, ["Out for delivery", "Customs", "Picked up"]);
    assert_eq!(view.status, Status::OutForDelivery);
}

#[test]
fn one_bad_event_rejects_the_batch_and_writes_nothing() {
    let (store, runtime, shop) = setup();
    let mut events = batch();
    events.push(event(
        "2026-11-20T08:00:00",
        Status::Delivered,
        None,
        "no offset",
    ));
    let error = block_on(push_events(
        &store,
        &answers(),
        &shop,
        UPS,
        EventBatch { events },
        runtime.now(),
    ))
    .unwrap_err();
    assert!(error.to_string().starts_with("events[3]: "), "{error}");
    let (number, _) = TrackingNumber::parse(UPS).unwrap();
    assert!(
        block_on(store.shipment(&shop.id, &number))
            .unwrap()
            .is_none()
    );
    let mismatched = vec![event(
        "2026-11-20T08:00:00Z",
        Status::Delivered,
        Some(SubStatus::Lost),
        "x",
    )];
    assert!(
        block_on(push_events(
            &store,
            &answers(),
            &shop,
            UPS,
            EventBatch { events: mismatched },
            runtime.now()
        ))
        .is_err()
    );
    let too_many = vec![event("2026-11-20T08:00:00Z", Status::InTransit, None, "x"); 501];
    assert!(
        block_on(push_events(
            &store,
            &answers(),
            &shop,
            UPS,
            EventBatch { events: too_many },
            runtime.now()
        ))
        .is_err()
    );
}

#[test]
fn shops_never_see_each_other() {
    let (store, runtime, shop_a) = setup();
    let shop_b = super::memory::shop("shop_other");
    block_on(store.insert_shop(&shop_b)).unwrap();
    block_on(push_events(
        &store,
        &answers(),
        &shop_a,
        UPS,
        EventBatch { events: batch() },
        runtime.now(),
    ))
    .unwrap();
    assert!(matches!(
        block_on(track(
            &store,
            &TestCarriers::none().live(),
            &answers(),
            &shop_b,
            UPS,
            Lang::En,
            runtime.now()
        )),
        Err(EdgeError::NotFound { .. })
    ));
    let list = block_on(list_shipments(
        &store,
        &shop_b,
        ListQuery::default(),
        runtime.now(),
    ))
    .unwrap();
    assert!(list.shipments.is_empty());
}

#[test]
fn wrong_email_reads_like_an_unknown_order() {
    let (store, runtime, shop) = setup();
    let input = OrderInput {
        status: Status::Pending,
        sub_status: Some(SubStatus::AwaitingStock),
        customer: Contact {
            name: Some("Ana".into()),
            email: Some("ana@example.com".into()),
            phone: None,
        },
        postal_code: Some("SW1A 1AA".into()),
        promised_delivery: None,
        lang: None,
    };
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "1042",
        input,
        runtime.now(),
    ))
    .unwrap();
    let lookup = |number: &str, proof| {
        block_on(order_view(
            &store,
            &shop,
            number,
            proof,
            Lang::En,
            runtime.now(),
        ))
    };
    let found = lookup("1042", OrderProof::Email("ANA@example.com ".into())).unwrap();
    assert_eq!(
        (found.status, found.sub_status),
        (Status::Pending, Some(SubStatus::AwaitingStock))
    );
    assert!(lookup("1042", OrderProof::PostalCode("sw1a1aa".into())).is_ok());
    let wrong = lookup("1042", OrderProof::Email("eve@example.com".into()))
        .unwrap_err()
        .problem();
    let unknown = lookup("9999", OrderProof::Email("ana@example.com".into()))
        .unwrap_err()
        .problem();
    assert_eq!(wrong, unknown);
    let empty = lookup("1042", OrderProof::Email(String::new()))
        .unwrap_err()
        .problem();
    assert_eq!(empty, unknown);
}

#[test]
fn order_with_two_parcels_and_no_personal_data_in_the_view() {
    let (store, runtime, shop) = setup();
    let input = OrderInput {
        status: Status::Pending,
        sub_status: None,
        customer: Contact {
            name: Some("Ana Secret".into()),
            email: Some("ana@example.com".into()),
            phone: Some("+1 555 0100".into()),
        },
        postal_code: Some("10001".into()),
        promised_delivery: None,
        lang: None,
    };
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "1042",
        input,
        runtime.now(),
    ))
    .unwrap();
    for number in [UPS, "RR123456785CN"] {
        let shipment = ShipmentInput {
            order_number: Some("1042".into()),
            ..ShipmentInput::default()
        };
        block_on(put_shipment(
            &store,
            &answers(),
            &shop,
            number,
            shipment,
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
    }
    block_on(push_events(
        &store,
        &answers(),
        &shop,
        UPS,
        EventBatch { events: batch() },
        runtime.now(),
    ))
    .unwrap();
    let view = block_on(order_view(
        &store,
        &shop,
        "1042",
        OrderProof::PostalCode("10001".into()),
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(view.shipments.len(), 2);
    assert_eq!(
        view.status,
        Status::InfoReceived,
        "as far as the least advanced parcel"
    );
    let json = serde_json::to_string(&view).unwrap();
    for private in ["Ana Secret", "ana@example.com", "555", "10001"] {
        assert!(!json.contains(private), "{private} leaked");
    }
}

#[test]
fn list_filters_by_status_and_health_with_cursor() {
    let (store, runtime, shop) = setup();
    let numbers = [
        "1Z5R89390357567127",
        "1Z879E930346834440",
        "1Z410E7W0392751591",
    ];
    for number in numbers {
        block_on(put_shipment(
            &store,
            &answers(),
            &shop,
            number,
            ShipmentInput::default(),
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
    }
    let failed = vec![event(
        "2026-11-21T08:00:00-05:00",
        Status::AttemptFailed,
        Some(SubStatus::InvalidAddress),
        "Bad address",
    )];
    block_on(push_events(
        &store,
        &answers(),
        &shop,
        numbers[1],
        EventBatch { events: failed },
        runtime.now(),
    ))
    .unwrap();
    let query = |status, health, cursor: Option<String>, limit| ListQuery {
        filter: ShipmentFilter {
            status,
            ..ShipmentFilter::default()
        },
        health,
        cursor,
        limit,
        order: None,
    };
    let page = block_on(list_shipments(
        &store,
        &shop,
        query(None, None, None, Some(2)),
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(page.shipments.len(), 2);
    let rest = block_on(list_shipments(
        &store,
        &shop,
        query(None, None, page.next_cursor, Some(2)),
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(rest.shipments.len(), 1);
    assert_eq!(rest.next_cursor, None);
    let attention = block_on(list_shipments(
        &store,
        &shop,
        query(None, Some(Health::NeedsAction), None, None),
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(
        attention
            .shipments
            .iter()
            .map(|s| s.tracking_number.as_str())
            .collect::<Vec<_>>(),
        [numbers[1]]
    );
    let failed = block_on(list_shipments(
        &store,
        &shop,
        query(Some(Status::AttemptFailed), None, None, None),
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(failed.shipments.len(), 1);
    runtime.now.set("2026-12-30T00:00:00Z".parse().unwrap());
    let late = block_on(list_shipments(
        &store,
        &shop,
        query(None, Some(Health::Late), None, None),
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(
        late.shipments.len(),
        2,
        "estimated ETA (7–15 days) long past"
    );
}

#[test]
fn list_filters_by_order_in_one_page() {
    let (store, runtime, shop) = setup();
    for (number, order) in [
        ("1Z5R89390357567127", "A-1"),
        ("1Z879E930346834440", "A-2"),
        ("1Z410E7W0392751591", "A-1"),
    ] {
        let input = ShipmentInput {
            order_number: Some(order.to_owned()),
            ..ShipmentInput::default()
        };
        block_on(put_shipment(
            &store,
            &answers(),
            &shop,
            number,
            input,
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
    }
    let query = |order: &str, cursor: Option<String>| ListQuery {
        order: Some(order.to_owned()),
        cursor,
        ..ListQuery::default()
    };
    let page = block_on(list_shipments(
        &store,
        &shop,
        query("A-1", None),
        runtime.now(),
    ))
    .unwrap();
    let mut numbers: Vec<&str> = page
        .shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, ["1Z410E7W0392751591", "1Z5R89390357567127"]);
    assert_eq!(page.next_cursor, None);
    let none = block_on(list_shipments(
        &store,
        &shop,
        query("B-9", None),
        runtime.now(),
    ))
    .unwrap();
    assert!(none.shipments.is_empty());
    for bad in [
        query("no spaces", None),
        query("A-1", Some("1Z5R89390357567127".into())),
    ] {
        assert!(matches!(
            block_on(list_shipments(&store, &shop, bad, runtime.now())),
            Err(EdgeError::BadRequest { .. })
        ));
    }
}

#[test]
fn only_held_shipments_are_shown_privately() {
    let (store, runtime, shop) = setup();
    block_on(put_shipment(
        &store,
        &answers(),
        &shop,
        "1Z5R89390357567127",
        ShipmentInput::default(),
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    block_on(ensure_held(&store, &shop, "1z5r 8939 0357 5671 27")).unwrap();
    assert!(matches!(
        block_on(ensure_held(&store, &shop, "1Z879E930346834440")),
        Err(EdgeError::NotFound {
            detection: None,
            ..
        })
    ));
}

#[test]
fn unknown_number_is_404_with_detection() {
    let (store, runtime, shop) = setup();
    match block_on(track(
        &store,
        &TestCarriers::none().live(),
        &answers(),
        &shop,
        "1z5r 8939 0357 5671 27",
        Lang::En,
        runtime.now(),
    )) {
        Err(EdgeError::NotFound {
            detection: Some(detection),
            ..
        }) => {
            assert_eq!(detection.candidates[0].carrier.code(), "ups");
            assert!(detection.candidates[0].tracking_url.is_some());
        }
        other => panic!("expected 404 with detection, got {other:?}"),
    }
}

/// The in-memory store answers rows in D1's orders (the end-to-end test
/// `lists_and_parcels_come_in_their_documented_order` holds D1 to the same).
#[test]
fn the_memory_store_orders_rows_like_d1() {
    let (store, runtime, shop) = setup();
    let register = |number: &str, input: ShipmentInput| {
        block_on(put_shipment(
            &store,
            &answers(),
            &shop,
            number,
            input,
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
    };
    for number in ["WP0003", "WP0001", "WP0005", "WP0002", "WP0004"] {
        register(number, ShipmentInput::default());
    }
    for delivered in ["WP0005", "WP0002"] {
        let events = vec![event(
            "2026-11-20T08:00:00-05:00",
            Status::Delivered,
            None,
            "Delivered",
        )];
        block_on(push_events(
            &store,
            &answers(),
            &shop,
            delivered,
            EventBatch { events },
            runtime.now(),
        ))
        .unwrap();
    }
    let pages = |status: Option<Status>, limit: usize| {
        let mut pages: Vec<Vec<String>> = Vec::new();
        let mut cursor = None;
        loop {
            let query = ListQuery {
                filter: ShipmentFilter {
                    status,
                    ..ShipmentFilter::default()
                },
                health: None,
                cursor,
                limit: Some(limit),
                order: None,
            };
            let page = block_on(list_shipments(&store, &shop, query, runtime.now())).unwrap();
            pages.push(
                page.shipments
                    .into_iter()
                    .map(|s| s.tracking_number)
                    .collect(),
            );
            cursor = page.next_cursor;
            if cursor.is_none() {
                return pages;
            }
        }
    };
    assert_eq!(
        pages(None, 2),
        [
            vec!["WP0001", "WP0002"],
            vec!["WP0003", "WP0004"],
            vec!["WP0005"]
        ]
    );
    assert_eq!(
        pages(Some(Status::Delivered), 1),
        [vec!["WP0002"], vec!["WP0005"]],
        "a last full page says there is nothing more"
    );

    // An order's parcels: oldest first; registered in the same second, by number.
    let in_order = || ShipmentInput {
        order_number: Some("7001".into()),
        ..ShipmentInput::default()
    };
    register("WP0009", in_order());
    runtime
        .now
        .set(runtime.now() + chrono::TimeDelta::seconds(1));
    register("WP0008", in_order());
    register("WP0007", in_order());
    let parcels: Vec<String> = block_on(store.order_shipments(&shop.id, "7001"))
        .unwrap()
        .into_iter()
        .map(|s| s.tracking_number.to_string())
        .collect();
    assert_eq!(parcels, ["WP0009", "WP0007", "WP0008"]);
}

/// The cron asks about never-checked shipments first, then the longest unchecked; final statuses
/// never (the same rule as D1's query, [`Status::is_final`]).
#[test]
fn shipments_due_for_refresh_come_never_checked_first_then_oldest() {
    let (store, runtime, mut shop) = setup();
    shop.live_carriers = vec![Carrier::Ups];
    block_on(store.insert_shop(&shop)).unwrap();
    let now = runtime.now();
    let record = |number: &str, checked_hours_ago: Option<i64>, status: Status| {
        let (number, _) = TrackingNumber::parse(number).unwrap();
        let mut record = ShipmentRecord::new(&shop.id, number, Some(Carrier::Ups), now);
        record.carrier_checked_at = checked_hours_ago.map(|h| now - chrono::TimeDelta::hours(h));
        record.status = status;
        assert!(block_on(store.save_shipment(&shop, &record, &[])).unwrap());
    };
    record("WP0001", Some(1), Status::InTransit);
    record("WP0002", None, Status::InTransit);
    record("WP0003", Some(5), Status::InTransit);
    record("WP0004", None, Status::InTransit);
    record("WP0005", Some(9), Status::Delivered);
    record("WP0006", Some(3), Status::Expired);
    let due: Vec<String> = block_on(store.due_for_refresh(&[Carrier::Ups], now, 10))
        .unwrap()
        .into_iter()
        .map(|(s, _)| s.tracking_number.to_string())
        .collect();
    assert_eq!(due, ["WP0002", "WP0004", "WP0003", "WP0001"]);
    let checked_by = now - chrono::TimeDelta::hours(2);
    let due = block_on(store.due_for_refresh(&[Carrier::Ups], checked_by, 10)).unwrap();
    assert_eq!(due.len(), 3, "checked within the last two hours: not due");
}

/// A write computed from a read lands only while the row is as it was read; the loser writes
/// nothing (not even its events) and is computed again from a fresh read.
#[test]
fn a_write_from_a_stale_read_writes_nothing_and_is_retried() {
    let (store, runtime, shop) = setup();
    let now = runtime.now();
    let (number, _) = TrackingNumber::parse(UPS).unwrap();
    let new = ShipmentRecord::new(&shop.id, number.clone(), None, now);
    assert!(block_on(store.save_shipment(&shop, &new, &[])).unwrap());
    assert!(
        !block_on(store.save_shipment(&shop, &new, &[])).unwrap(),
        "a second creation from the same nothing loses"
    );
    let read = block_on(store.shipment(&shop.id, &number))
        .unwrap()
        .unwrap();
    let mut first = read.clone();
    first.order_number = Some("1042".into());
    assert!(block_on(store.save_shipment(&shop, &first, &[])).unwrap());
    let history = ShipmentHistory {
        shipment: read,
        order: None,
        events: Vec::new(),
    };
    let pushed = vec![waypost_shared::event::TrackingEvent {
        time: waypost_shared::time::EventTime::parse("2026-11-20T08:00:00-05:00").unwrap(),
        status: waypost_shared::status::StatusDetail::new(Status::InTransit),
        description: "Arrived".into(),
        location: None,
        carrier_code: None,
        carrier: None,
    }];
    let merged = super::merge::merge(history, pushed, now);
    assert!(
        !block_on(store.store_events(&shop, &merged.history.shipment, &merged.new, &[])).unwrap(),
        "the row changed since it was read"
    );
    assert!(
        block_on(store.events(&shop.id, &number))
            .unwrap()
            .is_empty()
    );
    let stored = block_on(store.shipment(&shop.id, &number))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.order_number.as_deref(),
        Some("1042"),
        "the winner's write stays"
    );

    // Through the service, the push is computed again and both writes hold.
    let result = block_on(push_events(
        &store,
        &answers(),
        &shop,
        UPS,
        EventBatch { events: batch() },
        now,
    ))
    .unwrap();
    assert_eq!(result.stored, 3);
    let stored = block_on(store.shipment(&shop.id, &number))
        .unwrap()
        .unwrap();
    assert_eq!(stored.order_number.as_deref(), Some("1042"));
    assert_eq!(stored.status, Status::OutForDelivery);
}

#[test]
fn a_write_that_keeps_losing_gives_up_with_a_conflict() {
    let mut attempts = 0;
    let outcome: Result<(), EdgeError> = block_on(until_written(async || {
        attempts += 1;
        Ok(None)
    }));
    assert!(matches!(outcome, Err(EdgeError::WriteConflict)));
    assert_eq!(attempts, MAX_WRITE_ATTEMPTS);
}

/// Export and erasure find a customer's orders by email; erasure keeps the parcels trackable, and
/// the retention pass expires only orders whose parcels all ended longer ago than the shop keeps.
#[test]
fn personal_data_is_exported_erased_and_expired() {
    let (store, runtime, shop) = setup();
    let contact = |email: &str| OrderInput {
        status: Status::Pending,
        sub_status: None,
        customer: Contact {
            name: Some("Ana Secret".into()),
            email: Some(email.into()),
            phone: Some("+1 555 010 0100".into()),
        },
        postal_code: Some("10001".into()),
        promised_delivery: None,
        lang: None,
    };
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "1042",
        contact("ana@example.com"),
        runtime.now(),
    ))
    .unwrap();
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "1043",
        contact("bo@example.com"),
        runtime.now(),
    ))
    .unwrap();
    let parcel = |order: &str| ShipmentInput {
        order_number: Some(order.into()),
        destination: waypost_shared::wire::DestinationInput {
            postal_code: Some("10001".into()),
            ..Default::default()
        },
        ..ShipmentInput::default()
    };
    for (number, order) in [(UPS, "1042"), ("RR123456785CN", "1043")] {
        block_on(put_shipment(
            &store,
            &answers(),
            &shop,
            number,
            parcel(order),
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
    }
    let export = block_on(super::customers::export(&store, &shop, " Ana@Example.com")).unwrap();
    assert_eq!(export.orders.len(), 1);
    assert_eq!(
        export.orders[0].contact.phone.as_deref(),
        Some("+1 555 010 0100")
    );
    assert_eq!(
        export.orders[0].shipments[0].postal_code.as_deref(),
        Some("10001")
    );

    let erased = block_on(super::customers::erase(&store, &shop, "ana@example.com")).unwrap();
    assert_eq!((erased.orders, erased.shipments), (1, 1));
    let again = block_on(super::customers::export(&store, &shop, "ana@example.com")).unwrap();
    assert!(again.orders.is_empty());
    assert!(
        block_on(track(
            &store,
            &TestCarriers::none().live(),
            &answers(),
            &shop,
            UPS,
            Lang::En,
            runtime.now()
        ))
        .is_ok()
    );

    // Order 1043's parcel is delivered; 31 days later (the shop keeps 30) it expires.
    let delivered = vec![event(
        "2026-11-21T08:00:00-05:00",
        Status::Delivered,
        None,
        "Delivered",
    )];
    block_on(push_events(
        &store,
        &answers(),
        &shop,
        "RR123456785CN",
        EventBatch { events: delivered },
        runtime.now(),
    ))
    .unwrap();
    let now = runtime.now();
    assert_eq!(
        block_on(super::customers::expire(
            &store,
            now + chrono::TimeDelta::days(29),
            10
        ))
        .unwrap(),
        0
    );
    assert_eq!(
        block_on(super::customers::expire(
            &store,
            now + chrono::TimeDelta::days(31),
            10
        ))
        .unwrap(),
        1
    );
    let gone = block_on(super::customers::export(&store, &shop, "bo@example.com")).unwrap();
    assert!(gone.orders.is_empty());
    assert_eq!(
        block_on(super::customers::expire(
            &store,
            now + chrono::TimeDelta::days(60),
            10
        ))
        .unwrap(),
        0
    );
    // A year after delivery (the default history), the parcel itself goes, events and order
    // with it; the open parcel of order 1042 stays.
    let delete = |days: i64| {
        block_on(super::shipments::delete_ended(
            &store,
            now + chrono::TimeDelta::days(days),
            10,
        ))
        .unwrap()
    };
    assert_eq!(delete(364), 0);
    assert_eq!(delete(366), 1);
    let (gone, _) = TrackingNumber::parse("RR123456785CN").unwrap();
    assert!(block_on(store.shipment(&shop.id, &gone)).unwrap().is_none());
    assert!(block_on(store.events(&shop.id, &gone)).unwrap().is_empty());
    assert!(block_on(store.order(&shop.id, "1043")).unwrap().is_none());
    assert!(block_on(store.order(&shop.id, "1042")).unwrap().is_some());
    let (kept, _) = TrackingNumber::parse(UPS).unwrap();
    assert!(block_on(store.shipment(&shop.id, &kept)).unwrap().is_some());
    assert_eq!(delete(3000), 0, "an open parcel is kept");
}

/// An order that never got a parcel keeps its contact for the shop's retention period after its
/// last write, then loses it; an order with a parcel waits for its parcels.
#[test]
fn an_order_without_parcels_expires_after_its_last_write() {
    let (store, runtime, shop) = setup();
    let contact = |email: &str| OrderInput {
        status: Status::Pending,
        sub_status: Some(SubStatus::AwaitingStock),
        customer: Contact {
            name: Some("Ana".into()),
            email: Some(email.into()),
            phone: None,
        },
        postal_code: Some("10115".into()),
        promised_delivery: None,
        lang: None,
    };
    let now = runtime.now();
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "2001",
        contact("ana@example.com"),
        now,
    ))
    .unwrap();
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "2002",
        contact("ben@example.com"),
        now,
    ))
    .unwrap();
    let input = ShipmentInput {
        order_number: Some("2002".into()),
        ..ShipmentInput::default()
    };
    block_on(put_shipment(
        &store,
        &answers(),
        &shop,
        UPS,
        input,
        Lang::En,
        now,
    ))
    .unwrap();
    let expire = |days: i64| {
        block_on(super::customers::expire(
            &store,
            now + chrono::TimeDelta::days(days),
            10,
        ))
        .unwrap()
    };
    assert_eq!(expire(29), 0, "the shop keeps 30 days");
    assert_eq!(expire(31), 1);
    let ana = block_on(store.order(&shop.id, "2001")).unwrap().unwrap();
    assert_eq!(
        (ana.email, ana.customer_name, ana.postal_code),
        (None, None, None)
    );
    let ben = block_on(store.order(&shop.id, "2002")).unwrap().unwrap();
    assert_eq!(
        ben.email.as_deref(),
        Some("ben@example.com"),
        "its open parcel keeps it"
    );
    assert_eq!(expire(60), 0, "nothing left to erase");
}
