//! Lists and counts by health read from stored schedules, held to a brute-force recomputation
//! over every shipment, at moments spread over weeks, with and without the cron's upkeep.

use chrono::{DateTime, TimeDelta, Utc};
use waypost_shared::eta::{EtaSource, EtaWindow};
use waypost_shared::health::{Health, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{EventBatch, EventInput, ShipmentInput, ShopInput};

use super::events::push_events;
use super::health_upkeep;
use super::memory::{MemoryStore, TestRuntime, block_on, create_shop};
use super::projection::health_schedule;
use super::shipments::{ListQuery, list_shipments, put_shipment, shipment_counts};
use super::store::{Runtime, ShopRecord, Store};
use super::test_carriers::answers;
use crate::error::EdgeError;

/// A shop holding a mix: every status, old and new events, each route, some carrier ETAs.
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
    block_on(store.list_shipments(&shop.id, None, None, usize::MAX))
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
            status: None,
            health: Some(health),
            cursor,
            limit: Some(limit),
            order: None,
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
        let rows =
            block_on(store.list_shipments(&shop.id, Some(line.status), None, usize::MAX)).unwrap();
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
