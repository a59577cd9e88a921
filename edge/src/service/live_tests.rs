//! Live carrier look-ups on the host: the in-memory store, a scripted carrier and a map cache.
//! Cache, token sharing, retries, `Retry-After`, the circuit breaker, stale answers, merging with
//! pushed events and the cron refresh.

use std::cell::Cell;
use std::rc::Rc;

use chrono::TimeDelta;
use waypost_shared::labels::Lang;
use waypost_shared::status::Status;
use waypost_shared::time::offset_string;
use waypost_shared::wire::{EventBatch, EventInput, ShipmentInput};

use super::carrier_state::FAILURES_BEFORE_PAUSE;
use super::events::push_events;
use super::live::{DEFAULT_RETRY_AFTER_SECS, Transport, cache_ttl_secs};
use super::memory::{MemoryStore, TestRuntime, block_on, shop};
use super::refresh::{RefreshLimits, run};
use super::shipments::put_shipment;
use super::store::{Runtime, ShopRecord, Store};
use super::test_carriers::{TestCarriers, reply};
use super::tracking::track;
use crate::carriers::{HttpReply, LiveCarrier};
use crate::error::EdgeError;

const UPS: &str = "1Z5R89390357567127";
const DHL: &str = "3318810025";
const UPS_IN_TRANSIT: &str = include_str!("../../fixtures/carriers/ups/in_transit.json");
const UPS_DELIVERED: &str = include_str!("../../fixtures/carriers/ups/delivered.json");
const DHL_IN_TRANSIT: &str = include_str!("../../fixtures/carriers/dhl/in_transit.json");
const UPS_TOKEN: &str = r#"{"access_token":"tok","token_type":"Bearer","expires_in":"14399"}"#;

fn live_shop(store: &MemoryStore) -> ShopRecord {
    let mut shop = shop("shop_live");
    shop.live_carriers = vec![
        waypost_shared::detect::Carrier::Ups,
        waypost_shared::detect::Carrier::Dhl,
    ];
    block_on(store.insert_shop(&shop)).unwrap();
    shop
}

/// A UPS and DHL that answer `ups` and `dhl` bodies for every number, tokens included.
fn carriers(ups: &'static str, dhl: &'static str) -> TestCarriers {
    TestCarriers::new(
        &[LiveCarrier::Ups, LiveCarrier::Dhl],
        Box::new(move |call| {
            if call.url.contains("/oauth/token") {
                reply(200, UPS_TOKEN)
            } else if call.url.contains("/api/track/") {
                reply(200, ups)
            } else {
                reply(200, dhl)
            }
        }),
    )
}

#[test]
fn a_lookup_resolves_through_the_carrier_then_the_cache() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let carriers = carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT);
    let view = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        UPS,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert!(!view.stale);
    assert!(!view.events.is_empty(), "the carrier's events are shown");
    assert_eq!(view.carrier.as_ref().unwrap().code.code(), "ups");
    assert_eq!(carriers.calls_to("/api/track/v1/details/"), 1);
    assert_eq!(carriers.calls_to("/security/v1/oauth/token"), 1);
    let stored = block_on(store.shipment_history(&shop.id, UPS))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.events.len(),
        view.events.len(),
        "the answer was stored"
    );
    assert!(stored.shipment.carrier_checked_at.is_some());
    let ttl = carriers.cache.entries.borrow()["track:ups:1Z5R89390357567127"].1;
    assert_eq!(ttl, cache_ttl_secs(Some(view.status)));

    let again = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        UPS,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(again, view, "the same answer");
    assert_eq!(carriers.calls_to("/api/track/"), 1, "served from the cache");
}

#[test]
fn one_token_serves_many_lookups_and_a_refused_token_is_fetched_again() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let carriers = carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT);
    for number in [
        "1Z879E930346834440",
        "1Z410E7W0392751591",
        "1Z8V92A70367203024",
    ] {
        block_on(track(
            &store,
            &carriers.live(),
            &shop,
            number,
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
    }
    assert_eq!(carriers.calls_to("/api/track/"), 3);
    assert_eq!(carriers.calls_to("/oauth/token"), 1);
    assert!(carriers.cache.entries.borrow().contains_key("token:ups"));

    // The carrier stops accepting the token: one new token, then the answer.
    let refused = Rc::new(Cell::new(false));
    let flag = Rc::clone(&refused);
    carriers.answer_with(Box::new(move |call| {
        if call.url.contains("/oauth/token") {
            reply(200, UPS_TOKEN)
        } else if !flag.replace(true) {
            reply(401, r#"{"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}}"#)
        } else {
            reply(200, UPS_IN_TRANSIT)
        }
    }));
    let view = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        UPS,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert!(!view.stale);
    assert_eq!(carriers.calls_to("/oauth/token"), 2);
}

#[test]
fn a_5xx_is_retried_once_then_the_last_known_view_is_served_stale() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let carriers = TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(|_| reply(503, "<html>busy</html>")),
    );
    // The retailer pushed one event an hour ago.
    let pushed_at = runtime.now() - TimeDelta::hours(1);
    let batch = EventBatch {
        events: vec![EventInput {
            time: "2026-11-21T06:00:00-05:00".into(),
            zone: None,
            status: Status::InTransit,
            sub_status: None,
            description: "Handed to DHL".into(),
            location: None,
            carrier_code: None,
        }],
    };
    block_on(push_events(&store, &shop, DHL, batch, pushed_at)).unwrap();

    let view = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        DHL,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert!(view.stale, "served stale, not a 5xx");
    assert_eq!(view.age_seconds, Some(3600));
    assert_eq!(view.events.len(), 1);
    assert_eq!(carriers.calls_to("/track/shipments"), 2, "one retry");
    assert_eq!(*carriers.http.slept.borrow(), vec![250]);

    // Nothing known about another number: the 404 with detection.
    match block_on(track(
        &store,
        &carriers.live(),
        &shop,
        "8487135506",
        Lang::En,
        runtime.now(),
    )) {
        Err(EdgeError::NotFound {
            detection: Some(detection),
            ..
        }) => {
            assert_eq!(detection.candidates[0].carrier.code(), "dhl");
        }
        other => panic!("expected the 404 with detection, got {other:?}"),
    }
}

#[test]
fn a_carrier_that_keeps_failing_is_skipped_for_a_while() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let carriers = TestCarriers::new(&[LiveCarrier::Dhl], Box::new(|_| Err(Transport::Timeout)));
    for _ in 0..FAILURES_BEFORE_PAUSE {
        let _ = block_on(track(
            &store,
            &carriers.live(),
            &shop,
            DHL,
            Lang::En,
            runtime.now(),
        ));
    }
    assert_eq!(carriers.calls_to("/track/"), 3, "a timeout is not retried");
    let _ = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        DHL,
        Lang::En,
        runtime.now(),
    ));
    assert_eq!(carriers.calls_to("/track/"), 3, "paused: not asked");
    runtime.now.set(runtime.now() + TimeDelta::minutes(5));
    let _ = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        DHL,
        Lang::En,
        runtime.now(),
    ));
    assert_eq!(
        carriers.calls_to("/track/"),
        4,
        "asked again after the pause"
    );
}

#[test]
fn retry_after_is_honoured() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let too_many = |seconds| {
        Ok(HttpReply {
            status: 429,
            retry_after: seconds,
            body: String::new(),
        })
    };
    // A short Retry-After is waited out in place.
    let first = Rc::new(Cell::new(true));
    let flag = Rc::clone(&first);
    let carriers = TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(move |_| {
            if flag.replace(false) {
                too_many(Some(1))
            } else {
                reply(200, DHL_IN_TRANSIT)
            }
        }),
    );
    let view = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        DHL,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert!(!view.stale);
    assert_eq!(*carriers.http.slept.borrow(), vec![1000]);

    // A long one pauses the carrier until then.
    let carriers = TestCarriers::new(&[LiveCarrier::Dhl], Box::new(move |_| too_many(Some(120))));
    let number = "8487135506";
    assert!(
        block_on(track(
            &store,
            &carriers.live(),
            &shop,
            number,
            Lang::En,
            runtime.now()
        ))
        .is_err()
    );
    assert_eq!(
        carriers.state.paused_until(LiveCarrier::Dhl, runtime.now()),
        Some(runtime.now() + TimeDelta::seconds(120))
    );
    assert!(
        block_on(track(
            &store,
            &carriers.live(),
            &shop,
            number,
            Lang::En,
            runtime.now()
        ))
        .is_err()
    );
    assert_eq!(carriers.calls_to("/track/"), 1, "not asked while paused");

    // Without Retry-After, a default pause.
    let carriers = TestCarriers::new(&[LiveCarrier::Dhl], Box::new(move |_| too_many(None)));
    let _ = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        number,
        Lang::En,
        runtime.now(),
    ));
    assert_eq!(
        carriers.state.paused_until(LiveCarrier::Dhl, runtime.now()),
        Some(runtime.now() + TimeDelta::seconds(DEFAULT_RETRY_AFTER_SECS.into()))
    );
}

#[test]
fn garbage_from_the_carrier_serves_the_last_known_view() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let input = ShipmentInput {
        carrier: Some(waypost_shared::detect::Carrier::Dhl),
        ..ShipmentInput::default()
    };
    block_on(put_shipment(&store, &shop, DHL, input, runtime.now())).unwrap();
    let carriers = TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(|_| reply(200, "{\"shipments\": [")),
    );
    let view = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        DHL,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert!(view.stale);
    assert_eq!(view.status, Status::InfoReceived);
    assert_eq!(
        carriers.calls_to("/track/"),
        1,
        "an unreadable answer is not retried"
    );
}

#[test]
fn pushed_and_carrier_events_merge_without_duplicates() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let carriers = carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT);
    let first = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        UPS,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    // A supplier pushes one of the carrier's own events again, and one of its own.
    let carrier_event = &first.events[0];
    let batch = EventBatch {
        events: vec![
            EventInput {
                time: format!(
                    "{}{}",
                    carrier_event.time.local_time().format("%Y-%m-%dT%H:%M:%S"),
                    offset_string(carrier_event.time.offset().unwrap())
                ),
                zone: None,
                status: carrier_event.status,
                sub_status: carrier_event.sub_status,
                description: carrier_event.description.clone(),
                location: carrier_event.location.clone(),
                carrier_code: carrier_event.carrier_code.clone(),
            },
            EventInput {
                time: "2026-11-15T10:00:00+08:00".into(),
                zone: None,
                status: Status::InfoReceived,
                sub_status: None,
                description: "Order packed at the supplier".into(),
                location: None,
                carrier_code: None,
            },
        ],
    };
    let result = block_on(push_events(&store, &shop, UPS, batch, runtime.now())).unwrap();
    assert_eq!((result.stored, result.duplicates), (1, 1));
    let merged = block_on(track(
        &store,
        &carriers.live(),
        &shop,
        UPS,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(merged.events.len(), first.events.len() + 1);
}

#[test]
fn shops_without_the_carrier_enabled_never_ask_it() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let plain = shop("shop_plain");
    block_on(store.insert_shop(&plain)).unwrap();
    let carriers = carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT);
    assert!(
        block_on(track(
            &store,
            &carriers.live(),
            &plain,
            UPS,
            Lang::En,
            runtime.now()
        ))
        .is_err()
    );
    assert!(carriers.http.calls.borrow().is_empty());
}

#[test]
fn the_cron_refresh_stores_new_events_within_its_limits() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let shop = live_shop(&store);
    let carriers = carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT);
    let numbers = [
        "1Z5R89390357567127",
        "1Z879E930346834440",
        "1Z410E7W0392751591",
    ];
    for number in numbers {
        let input = ShipmentInput {
            carrier: Some(waypost_shared::detect::Carrier::Ups),
            ..ShipmentInput::default()
        };
        block_on(put_shipment(&store, &shop, number, input, runtime.now())).unwrap();
    }
    let limits = RefreshLimits {
        batch: 10,
        per_carrier: 2,
        min_age_secs: 600,
    };
    let report = block_on(run(&store, &carriers.live(), limits, runtime.now())).unwrap();
    assert_eq!((report.refreshed, report.deferred), (2, 1), "{report:?}");
    assert!(report.new_events > 0);
    let second = block_on(run(&store, &carriers.live(), limits, runtime.now())).unwrap();
    assert_eq!(second.refreshed, 1, "the one left over, not the fresh ones");

    // Later the carrier has more to say: the refresh ignores the cache and stores it.
    carriers.answer_with(Box::new(|call| {
        if call.url.contains("/oauth/token") {
            reply(200, UPS_TOKEN)
        } else {
            reply(200, UPS_DELIVERED)
        }
    }));
    runtime.now.set(runtime.now() + TimeDelta::hours(1));
    let before = block_on(store.events(&shop.id, UPS)).unwrap().len();
    let limits = RefreshLimits {
        per_carrier: 10,
        ..limits
    };
    let third = block_on(run(&store, &carriers.live(), limits, runtime.now())).unwrap();
    assert_eq!(third.refreshed, 3);
    let after = block_on(store.shipment_history(&shop.id, UPS))
        .unwrap()
        .unwrap();
    assert!(after.events.len() > before);
    assert_eq!(after.shipment.status, Status::Delivered);
    // Delivered shipments are no longer refreshed.
    runtime.now.set(runtime.now() + TimeDelta::hours(1));
    let fourth = block_on(run(&store, &carriers.live(), limits, runtime.now())).unwrap();
    assert_eq!(fourth.refreshed, 0);
}

#[test]
fn cache_lifetimes_follow_the_status() {
    assert!(cache_ttl_secs(Some(Status::Delivered)) >= 12 * 3600);
    assert!(cache_ttl_secs(Some(Status::OutForDelivery)) <= 15 * 60);
    assert!(cache_ttl_secs(Some(Status::InTransit)) < cache_ttl_secs(Some(Status::Delivered)));
    assert!(
        cache_ttl_secs(None) >= 60,
        "KV keeps nothing shorter than a minute"
    );
}

#[test]
fn an_answer_cached_by_one_shop_reaches_another_shops_shipment() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let first = live_shop(&store);
    let mut second = shop("shop_other");
    second.live_carriers = first.live_carriers.clone();
    block_on(store.insert_shop(&second)).unwrap();
    let input = ShipmentInput {
        carrier: Some(waypost_shared::detect::Carrier::Ups),
        ..ShipmentInput::default()
    };
    block_on(put_shipment(&store, &second, UPS, input, runtime.now())).unwrap();
    let carriers = carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT);
    let live = carriers.live();
    let asked = block_on(track(&store, &live, &first, UPS, Lang::En, runtime.now())).unwrap();
    let cached = block_on(track(&store, &live, &second, UPS, Lang::En, runtime.now())).unwrap();
    assert_eq!(
        carriers.calls_to("/api/track/"),
        1,
        "the second shop read the cache"
    );
    assert_eq!(
        cached.events, asked.events,
        "and stored the carrier's events as its own"
    );
    let stored = block_on(store.events(&second.id, UPS)).unwrap();
    assert_eq!(stored.len(), asked.events.len());
}
