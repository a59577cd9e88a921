//! Lists and counts by health read from stored schedules, held to a brute-force recomputation
//! over every shipment, at moments spread over weeks, with and without the cron's upkeep; the
//! list's carrier and scanned filters, and its CSV export.

use chrono::{DateTime, TimeDelta, Utc};
use waypost_shared::detect::Carrier;
use waypost_shared::eta::{EtaSource, EtaWindow};
use waypost_shared::health::{Health, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{EventBatch, EventInput, ShipmentInput, ShipmentSummary, ShopInput};

use super::events::push_events;
use super::health_upkeep;
use super::memory::{MemoryStore, TestRuntime, block_on, create_shop};
use super::projection::health_schedule;
use super::shipments::{
    ListQuery, export_shipments, list_shipments, put_shipment, shipment_counts,
};
use super::store::{Runtime, ShipmentFilter, ShipmentRecord, ShopRecord, Store};
use super::test_carriers::answers;
use super::tracking_number::TrackingNumber;
use crate::error::EdgeError;
use crate::limits::EXPORT_MAX_ROWS;

/// A shop holding a mix: every status, old and new events, each route, some carrier ETAs, three
/// carriers and none.
fn seeded() -> (MemoryStore, TestRuntime, ShopRecord) {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let input = ShopInput {
        name: "Shop".into(),
        allowed_origins: Vec::new(),
        transit_days: waypost_shared::eta::TransitRange {
            min_days: 5,
            max_days: 12,
        },
        live_carriers: Vec::new(),
        retention_days: None,
        history_days: None,
    };
    let (shop, _) = create_shop(&store, &runtime, input);
    let now = runtime.now();
    let statuses = [
        (Status::InTransit, None),
        (Status::InfoReceived, None),
        (Status::OutForDelivery, None),
        (Status::InTransit, Some(SubStatus::CustomsProcessing)),
        (Status::Delivered, None),
        (Status::AttemptFailed, Some(SubStatus::InvalidAddress)),
        (Status::AvailableForPickup, None),
        (Status::Exception, Some(SubStatus::Held)),
        (Status::Pending, None),
    ];
    for i in 0..60_i64 {
        let number = format!("WP{:04}", (i * 37) % 101);
        let eta = (i % 4 == 0).then(|| {
            let day = (now + TimeDelta::days(i % 9 - 4)).date_naive();
            EtaWindow::new(day, day + TimeDelta::days(1), EtaSource::Carrier).unwrap()
        });
        let input = ShipmentInput {
            carrier: [
                Some(Carrier::Ups),
                Some(Carrier::Fedex),
                None,
                Some(Carrier::Dhl),
                Some(Carrier::Ups),
            ][(i % 5) as usize],
            scope: Some([Scope::Domestic, Scope::International][(i % 2) as usize]),
            service_level: Some(
                [
                    ServiceLevel::Express,
                    ServiceLevel::Standard,
                    ServiceLevel::Postal,
                ][(i % 3) as usize],
            ),
            eta,
            shipped_on: Some((now - TimeDelta::days(i % 20)).date_naive()),
            ..ShipmentInput::default()
        };
        block_on(put_shipment(
            &store,
            &answers(),
            &shop,
            &number,
            input,
            Lang::En,
            now,
        ))
        .unwrap();
        if i % 7 == 6 {
            continue; // registered, no event yet
        }
        let (status, sub_status) = statuses[(i % 9) as usize];
        let at = now - TimeDelta::hours(i * 13 % (24 * 20));
        let events = vec![EventInput {
            time: at.to_rfc3339(),
            zone: None,
            status,
            sub_status,
            description: "Scan".into(),
            location: None,
            carrier_code: None,
        }];
        block_on(push_events(
            &store,
            &answers(),
            &shop,
            &number,
            EventBatch { events },
            now,
        ))
        .unwrap();
    }
    (store, runtime, shop)
}

/// Every shipment's health at `now`, worked out afresh from its row, by number.
fn brute_force(
    store: &MemoryStore,
    shop: &ShopRecord,
    now: DateTime<Utc>,
) -> Vec<(String, Health)> {
    block_on(store.list_shipments(&shop.id, &ShipmentFilter::default(), None, usize::MAX))
        .unwrap()
        .into_iter()
        .map(|listed| {
            let health = health_schedule(shop, &listed.shipment).at(now);
            (listed.shipment.tracking_number.to_string(), health)
        })
        .collect()
}

/// Every page of the list of `health`, `limit` at a time.
fn pages(
    store: &MemoryStore,
    shop: &ShopRecord,
    health: Health,
    limit: usize,
    now: DateTime<Utc>,
) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let query = ListQuery {
            health: Some(health),
            cursor,
            limit: Some(limit),
            ..ListQuery::default()
        };
        let page = block_on(list_shipments(store, shop, query, now)).unwrap();
        assert!(page.shipments.iter().all(|s| s.health == health));
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
}

/// The lists and counts at `now` against the brute force: every match once, full pages while
/// matches remain, counts equal.
fn assert_agrees(store: &MemoryStore, shop: &ShopRecord, now: DateTime<Utc>) {
    let expected = brute_force(store, shop, now);
    let counts = block_on(shipment_counts(store, shop, now)).unwrap();
    assert_eq!(counts.total, expected.len() as u64);
    for health in Health::ALL {
        let mut wanted: Vec<&str> = expected
            .iter()
            .filter(|(_, h)| *h == health)
            .map(|(n, _)| n.as_str())
            .collect();
        let pages = pages(store, shop, health, 4, now);
        let (last, full) = pages.split_last().unwrap();
        assert!(
            full.iter().all(|page| page.len() == 4),
            "{health:?} at {now}: {pages:?}"
        );
        assert!(
            !last.is_empty() || full.is_empty(),
            "{health:?}: an empty last page"
        );
        let mut listed: Vec<&str> = pages.iter().flatten().map(String::as_str).collect();
        listed.sort_unstable();
        wanted.sort_unstable();
        assert_eq!(listed, wanted, "{health:?} at {now}");
        assert_eq!(
            counts.by_health.of(health),
            wanted.len() as u64,
            "count of {health:?} at {now}"
        );
    }
    for line in &counts.by_status {
        let filter = ShipmentFilter {
            status: Some(line.status),
            ..ShipmentFilter::default()
        };
        let rows = block_on(store.list_shipments(&shop.id, &filter, None, usize::MAX)).unwrap();
        assert_eq!(line.shipments, rows.len() as u64, "{:?}", line.status);
    }
}

#[test]
fn lists_and_counts_by_health_equal_a_brute_force_over_weeks() {
    let (store, runtime, shop) = seeded();
    let start = runtime.now();
    let mut seen = Vec::new();
    for hours in (0..24 * 40).step_by(29) {
        let now = start + TimeDelta::hours(hours);
        assert_agrees(&store, &shop, now);
        // The cron's upkeep changes what is stored, never what a list answers.
        if hours % 3 == 0 {
            block_on(health_upkeep::run(&store, now)).unwrap();
            assert_agrees(&store, &shop, now);
        }
        seen.extend(brute_force(&store, &shop, now).into_iter().map(|(_, h)| h));
    }
    for health in Health::ALL {
        assert!(seen.contains(&health), "the mix never showed {health:?}");
    }
}

#[test]
fn schedules_of_older_rules_are_rederived_by_the_cron() {
    let (store, runtime, shop) = seeded();
    let now = runtime.now() + TimeDelta::days(6);
    store.forget_schedules();
    let stalled = |store: &MemoryStore| pages(store, &shop, Health::Stalled, 100, now).concat();
    assert!(
        stalled(&store).is_empty(),
        "no stored schedule, nothing listed"
    );
    let report = block_on(health_upkeep::run(&store, now)).unwrap();
    assert_eq!(report.rederived, 60);
    assert!(!stalled(&store).is_empty());
    assert_agrees(&store, &shop, now);
    let again = block_on(health_upkeep::run(&store, now)).unwrap();
    assert_eq!(again.rederived, 0, "nothing left of an older version");
}

#[test]
fn late_lists_run_longest_late_first_and_cursors_stay_with_their_list() {
    let (store, runtime, shop) = seeded();
    let now = runtime.now() + TimeDelta::days(12);
    let late: Vec<String> = pages(&store, &shop, Health::Late, 3, now).concat();
    let late_from: Vec<DateTime<Utc>> = late
        .iter()
        .map(|number| {
            let (number, _) = super::tracking_number::TrackingNumber::parse(number).unwrap();
            let shipment = block_on(store.shipment(&shop.id, &number))
                .unwrap()
                .unwrap();
            health_schedule(&shop, &shipment).late_from.unwrap()
        })
        .collect();
    assert!(late_from.is_sorted(), "{late_from:?}");
    let first = block_on(list_shipments(
        &store,
        &shop,
        ListQuery {
            health: Some(Health::Late),
            limit: Some(1),
            ..ListQuery::default()
        },
        now,
    ))
    .unwrap();
    let cursor = first.next_cursor.expect("more than one late");
    let elsewhere = ListQuery {
        health: Some(Health::Done),
        cursor: Some(cursor),
        ..ListQuery::default()
    };
    match block_on(list_shipments(&store, &shop, elsewhere, now)) {
        Err(EdgeError::BadRequest { code, .. }) => assert_eq!(code, "invalid_query"),
        other => panic!("a late list's cursor on the done list: {other:?}"),
    }
}

/// Every shipment's row and health at `now`, worked out afresh, by number.
fn brute_force_rows(
    store: &MemoryStore,
    shop: &ShopRecord,
    now: DateTime<Utc>,
) -> Vec<(String, Option<Carrier>, Status, Health)> {
    block_on(store.list_shipments(&shop.id, &ShipmentFilter::default(), None, usize::MAX))
        .unwrap()
        .into_iter()
        .map(|listed| {
            let shipment = &listed.shipment;
            let health = health_schedule(shop, shipment).at(now);
            (
                shipment.tracking_number.to_string(),
                shipment.carrier,
                shipment.status,
                health,
            )
        })
        .collect()
}

/// Every row of `query`'s list, 3 a page: every page but the last full.
fn every_page(
    store: &MemoryStore,
    shop: &ShopRecord,
    query: &ListQuery,
    now: DateTime<Utc>,
) -> Vec<ShipmentSummary> {
    let mut rows = Vec::new();
    let mut cursor = None;
    loop {
        let page = ListQuery {
            cursor,
            limit: Some(3),
            ..query.clone()
        };
        let page = block_on(list_shipments(store, shop, page, now)).unwrap();
        cursor = page.next_cursor;
        assert!(
            page.shipments.len() == 3 || cursor.is_none(),
            "{query:?}: a short page before the end"
        );
        rows.extend(page.shipments);
        if cursor.is_none() {
            return rows;
        }
    }
}

/// The numbers of `rows`, sorted.
fn numbers(rows: &[ShipmentSummary]) -> Vec<String> {
    let mut numbers: Vec<String> = rows.iter().map(|row| row.tracking_number.clone()).collect();
    numbers.sort_unstable();
    numbers
}

#[test]
fn carrier_lists_equal_a_brute_force_with_and_without_health() {
    let (store, runtime, shop) = seeded();
    for days in [0, 6, 12] {
        let now = runtime.now() + TimeDelta::days(days);
        let expected = brute_force_rows(&store, &shop, now);
        for carrier in [Carrier::Ups, Carrier::Fedex, Carrier::Dhl, Carrier::Usps] {
            let filter = ShipmentFilter {
                carrier: Some(carrier),
                ..ShipmentFilter::default()
            };
            let query = ListQuery {
                filter,
                ..ListQuery::default()
            };
            let rows = every_page(&store, &shop, &query, now);
            let wanted: Vec<String> = expected
                .iter()
                .filter(|(_, c, _, _)| *c == Some(carrier))
                .map(|(number, ..)| number.clone())
                .collect();
            assert_eq!(numbers(&rows), wanted, "{carrier:?} at {now}");
            assert!(rows.is_sorted_by_key(|row| row.tracking_number.clone()));
            assert!(rows.iter().all(|row| row.carrier == Some(carrier)));
            assert_eq!(
                wanted.is_empty(),
                carrier == Carrier::Usps,
                "the mix holds UPS, FedEx and DHL"
            );
            for health in Health::ALL {
                let query = ListQuery {
                    filter,
                    health: Some(health),
                    ..ListQuery::default()
                };
                let rows = every_page(&store, &shop, &query, now);
                let wanted: Vec<String> = expected
                    .iter()
                    .filter(|(_, c, _, h)| *c == Some(carrier) && *h == health)
                    .map(|(number, ..)| number.clone())
                    .collect();
                assert_eq!(numbers(&rows), wanted, "{carrier:?} {health:?} at {now}");
            }
            let status = Status::InTransit;
            let query = ListQuery {
                filter: ShipmentFilter {
                    status: Some(status),
                    ..filter
                },
                ..ListQuery::default()
            };
            let wanted: Vec<String> = expected
                .iter()
                .filter(|(_, c, s, _)| *c == Some(carrier) && *s == status)
                .map(|(number, ..)| number.clone())
                .collect();
            assert_eq!(
                numbers(&every_page(&store, &shop, &query, now)),
                wanted,
                "{carrier:?} in transit"
            );
        }
    }
}

#[test]
fn scanned_splits_the_stalled_list() {
    let (store, runtime, shop) = seeded();
    let unscanned = [Status::InfoReceived, Status::NotFound];
    let mut both_seen = false;
    for hours in (0..24 * 30).step_by(31) {
        let now = runtime.now() + TimeDelta::hours(hours);
        let expected = brute_force_rows(&store, &shop, now);
        let stalled = |scanned: bool| {
            let query = ListQuery {
                filter: ShipmentFilter {
                    scanned: Some(scanned),
                    ..ShipmentFilter::default()
                },
                health: Some(Health::Stalled),
                ..ListQuery::default()
            };
            numbers(&every_page(&store, &shop, &query, now))
        };
        for scanned in [false, true] {
            let wanted: Vec<String> = expected
                .iter()
                .filter(|(_, _, s, h)| *h == Health::Stalled && unscanned.contains(s) != scanned)
                .map(|(number, ..)| number.clone())
                .collect();
            assert_eq!(stalled(scanned), wanted, "scanned={scanned} at {now}");
        }
        both_seen |= !stalled(false).is_empty() && !stalled(true).is_empty();
    }
    assert!(both_seen, "the mix never had stalled parcels of both kinds");
}

#[test]
fn scanned_without_health_is_refused() {
    let (store, runtime, shop) = seeded();
    for order in [None, Some("1042".to_owned())] {
        let query = ListQuery {
            filter: ShipmentFilter {
                scanned: Some(false),
                ..ShipmentFilter::default()
            },
            order,
            ..ListQuery::default()
        };
        match block_on(list_shipments(&store, &shop, query, runtime.now())) {
            Err(EdgeError::BadRequest { code, detail }) => {
                assert_eq!(code, "invalid_query");
                assert!(detail.contains("only with health"), "{detail}");
            }
            other => panic!("scanned without health: {other:?}"),
        }
    }
}

#[test]
fn exports_stop_at_their_most_rows_and_say_where_the_next_starts() {
    let (store, runtime, shop) = seeded();
    let now = runtime.now();
    for i in 0..EXPORT_MAX_ROWS + 5 {
        let (number, _) = TrackingNumber::parse(&format!("XP{i:06}")).unwrap();
        let record = ShipmentRecord::new(&shop.id, number, Some(Carrier::Usps), now);
        assert!(block_on(store.save_shipment(&shop, &record, &[])).unwrap());
    }
    let query = ListQuery {
        filter: ShipmentFilter {
            carrier: Some(Carrier::Usps),
            ..ShipmentFilter::default()
        },
        limit: Some(1),
        ..ListQuery::default()
    };
    let first = block_on(export_shipments(&store, &shop, query.clone(), now)).unwrap();
    let text = String::from_utf8(first.csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        EXPORT_MAX_ROWS + 1,
        "the header and the most rows"
    );
    assert!(lines[0].starts_with("tracking_number,order_number,carrier,"));
    assert!(lines[1].starts_with("XP000000,,usps,info_received,"));
    assert!(lines[EXPORT_MAX_ROWS].starts_with("XP009999,"));
    let cursor = first.next_cursor.expect("rows remain");
    let rest = ListQuery {
        cursor: Some(cursor),
        ..query
    };
    let rest = block_on(export_shipments(&store, &shop, rest, now)).unwrap();
    let text = String::from_utf8(rest.csv).unwrap();
    let numbers: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["XP010000", "XP010001", "XP010002", "XP010003", "XP010004"]
    );
    assert_eq!(rest.next_cursor, None, "the last file");
    let bad = ListQuery {
        filter: ShipmentFilter {
            scanned: Some(true),
            ..ShipmentFilter::default()
        },
        ..ListQuery::default()
    };
    assert!(matches!(
        block_on(export_shipments(&store, &shop, bad, now)),
        Err(EdgeError::BadRequest {
            code: "invalid_query",
            ..
        })
    ));
}
