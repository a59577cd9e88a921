//! Live carrier look-ups on the host: the in-memory store, a scripted carrier and a map cache.
//! Cache, token sharing, retries, `Retry-After`, the circuit breaker, stale answers, merging with
//! pushed events and the cron refresh.

use std::cell::Cell;
use std::rc::Rc;

use chrono::TimeDelta;
use waypost_shared::detect::Carrier;
use waypost_shared::labels::Lang;
use waypost_shared::status::Status;
use waypost_shared::time::offset_string;
use waypost_shared::wire::{EventBatch, EventInput, ShipmentInput, TrackingView};

use super::answers::{ANSWER_TTL_SECS, AnswerMemory, Answers};
use super::carrier_state::FAILURES_BEFORE_PAUSE;
use super::events::push_events;
use super::live::{DEFAULT_RETRY_AFTER_SECS, Transport, cache_ttl_secs};
use super::memory::{MemoryStore, TestRuntime, block_on, shop};
use super::refresh::{RefreshLimits, RefreshReport, run};
use super::shipments::put_shipment;
use super::store::{Runtime, ShipmentHistory, ShopRecord, Store};
use super::test_carriers::{MemoryCache, TestCarriers, answers, reply};
use super::tracking::{answer, track};
use super::tracking_number::TrackingNumber;
use crate::carriers::{HttpReply, LiveCarrier};
use crate::error::{EdgeError, Result};

const UPS: &str = "1Z5R89390357567127";
const DHL: &str = "3318810025";
const UPS_IN_TRANSIT: &str = include_str!("../../fixtures/carriers/ups/in_transit.json");
const UPS_DELIVERED: &str = include_str!("../../fixtures/carriers/ups/delivered.json");
const DHL_IN_TRANSIT: &str = include_str!("../../fixtures/carriers/dhl/in_transit.json");
const UPS_TOKEN: &str = r#"{"access_token":"tok","token_type":"Bearer","expires_in":"14399"}"#;

/// One test's world: the in-memory store, a clock, a shop with UPS and DHL enabled, and the
/// scripted carriers (replaceable mid-test).
struct Harness {
    store: MemoryStore,
    runtime: TestRuntime,
    shop: ShopRecord,
    carriers: TestCarriers,
}

impl Harness {
    fn new(carriers: TestCarriers) -> Self {
        let store = MemoryStore::default();
        let mut shop = shop("shop_live");
        shop.live_carriers = vec![Carrier::Ups, Carrier::Dhl];
        block_on(store.insert_shop(&shop)).unwrap();
        Harness {
            store,
            runtime: TestRuntime::default(),
            shop,
            carriers,
        }
    }

    /// `GET /v1/track/{number}` for the live shop, now.
    fn track(&self, number: &str) -> Result<TrackingView> {
        self.track_for(&self.shop, number)
    }

    /// `GET /v1/track/{number}` for `shop`, now.
    fn track_for(&self, shop: &ShopRecord, number: &str) -> Result<TrackingView> {
        block_on(track(
            &self.store,
            &self.carriers.live(),
            &answers(),
            shop,
            number,
            Lang::En,
            self.runtime.now(),
        ))
        .map(|tracked| tracked.view)
    }

    /// Seconds the public answer for `number` was kept for by a look-up now (into a cache of its
    /// own); `None` when it was not kept.
    fn answer_kept_for(&self, number: &str) -> Option<u32> {
        let cache = MemoryCache::default();
        block_on(answer(
            &self.store,
            &self.carriers.live(),
            &Answers::new(&cache, &AnswerMemory::default(), self.runtime.now()),
            &self.runtime,
            &self.shop,
            number,
            Lang::En,
            self.runtime.now(),
        ))
        .unwrap();
        let entries = cache.entries.borrow();
        entries
            .iter()
            .find(|(entry, _)| entry.contains("/answer/"))
            .map(|(_, (_, ttl))| *ttl)
    }

    /// Registers `number` for `shop` with `carrier`, now.
    fn register(&self, shop: &ShopRecord, number: &str, carrier: Carrier) {
        let input = ShipmentInput {
            carrier: Some(carrier),
            ..ShipmentInput::default()
        };
        block_on(put_shipment(
            &self.store,
            &answers(),
            shop,
            number,
            input,
            Lang::En,
            self.runtime.now(),
        ))
        .unwrap();
    }

    /// What `shop` has stored about `number`.
    fn stored(&self, shop: &ShopRecord, number: &str) -> ShipmentHistory {
        let (number, _) = TrackingNumber::parse(number).unwrap();
        block_on(self.store.shipment_history(&shop.id, &number))
            .unwrap()
            .unwrap()
    }

    /// One cron refresh run, now.
    fn refresh(&self, limits: RefreshLimits) -> RefreshReport {
        block_on(run(
            &self.store,
            &self.carriers.live(),
            &answers(),
            limits,
            self.runtime.now(),
        ))
        .unwrap()
    }
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
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    let view = h.track(UPS).unwrap();
    assert!(!view.stale);
    assert!(!view.events.is_empty(), "the carrier's events are shown");
    assert_eq!(view.carrier.as_ref().unwrap().code.code(), "ups");
    assert_eq!(h.carriers.calls_to("/api/track/v1/details/"), 1);
    assert_eq!(h.carriers.calls_to("/security/v1/oauth/token"), 1);
    let stored = h.stored(&h.shop, UPS);
    assert_eq!(
        stored.events.len(),
        view.events.len(),
        "the answer was stored"
    );
    assert!(stored.shipment.carrier_checked_at.is_some());
    let ttl = h.carriers.cache.entries.borrow()["track:ups:1Z5R89390357567127"].1;
    assert_eq!(ttl, cache_ttl_secs(Some(view.status)));

    let again = h.track(UPS).unwrap();
    assert_eq!(again, view, "the same answer");
    assert_eq!(
        h.carriers.calls_to("/api/track/"),
        1,
        "served from the cache"
    );
}

#[test]
fn one_token_serves_many_lookups_and_a_refused_token_is_fetched_again() {
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    for number in [
        "1Z879E930346834440",
        "1Z410E7W0392751591",
        "1Z8V92A70367203024",
    ] {
        h.track(number).unwrap();
    }
    assert_eq!(h.carriers.calls_to("/api/track/"), 3);
    assert_eq!(h.carriers.calls_to("/oauth/token"), 1);
    assert!(h.carriers.cache.entries.borrow().contains_key("token:ups"));

    // The carrier stops accepting the token: one new token, then the answer.
    let refused = Rc::new(Cell::new(false));
    let flag = Rc::clone(&refused);
    h.carriers.answer_with(Box::new(move |call| {
        if call.url.contains("/oauth/token") {
            reply(200, UPS_TOKEN)
        } else if !flag.replace(true) {
            reply(401, r#"{"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}}"#)
        } else {
            reply(200, UPS_IN_TRANSIT)
        }
    }));
    let view = h.track(UPS).unwrap();
    assert!(!view.stale);
    assert_eq!(h.carriers.calls_to("/oauth/token"), 2);
}

#[test]
fn a_public_answer_is_kept_no_longer_than_the_carrier_reading_it_shows() {
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    assert_eq!(h.answer_kept_for(UPS), Some(ANSWER_TTL_SECS));
    let carrier_ttl = h.carriers.cache.entries.borrow()["track:ups:1Z5R89390357567127"].1;
    h.runtime
        .now
        .set(h.runtime.now() + TimeDelta::seconds(i64::from(carrier_ttl) - 10));
    assert_eq!(
        h.answer_kept_for(UPS),
        Some(10),
        "the carrier's reading leaves the carrier cache in 10 s, and the answer with it"
    );
}

#[test]
fn a_5xx_is_retried_once_then_the_last_known_view_is_served_stale() {
    let h = Harness::new(TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(|_| reply(503, "<html>busy</html>")),
    ));
    // The retailer pushed one event an hour ago.
    let pushed_at = h.runtime.now() - TimeDelta::hours(1);
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
    block_on(push_events(
        &h.store,
        &answers(),
        &h.shop,
        DHL,
        batch,
        pushed_at,
    ))
    .unwrap();

    let view = h.track(DHL).unwrap();
    assert!(view.stale, "served stale, not a 5xx");
    assert_eq!(view.age_seconds, Some(3600));
    assert_eq!(view.events.len(), 1);
    assert_eq!(h.carriers.calls_to("/track/shipments"), 2, "one retry");
    assert_eq!(*h.carriers.http.slept.borrow(), vec![250]);
    assert_eq!(
        h.answer_kept_for(DHL),
        None,
        "a stale view is not kept: the next look-up asks the carrier again"
    );

    // Nothing known about another number: the 404 with detection.
    match h.track("8487135506") {
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
    let h = Harness::new(TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(|_| Err(Transport::Timeout)),
    ));
    for _ in 0..FAILURES_BEFORE_PAUSE {
        let _ = h.track(DHL);
    }
    assert_eq!(
        h.carriers.calls_to("/track/"),
        3,
        "a timeout is not retried"
    );
    let _ = h.track(DHL);
    assert_eq!(h.carriers.calls_to("/track/"), 3, "paused: not asked");
    h.runtime.now.set(h.runtime.now() + TimeDelta::minutes(5));
    let _ = h.track(DHL);
    assert_eq!(
        h.carriers.calls_to("/track/"),
        4,
        "asked again after the pause"
    );
}

#[test]
fn retry_after_is_honoured() {
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
    let mut h = Harness::new(TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(move |_| {
            if flag.replace(false) {
                too_many(Some(1))
            } else {
                reply(200, DHL_IN_TRANSIT)
            }
        }),
    ));
    let view = h.track(DHL).unwrap();
    assert!(!view.stale);
    assert_eq!(*h.carriers.http.slept.borrow(), vec![1000]);

    // A long one pauses the carrier until then.
    h.carriers = TestCarriers::new(&[LiveCarrier::Dhl], Box::new(move |_| too_many(Some(120))));
    let number = "8487135506";
    assert!(h.track(number).is_err());
    assert_eq!(
        h.carriers
            .state
            .paused_until(LiveCarrier::Dhl, h.runtime.now()),
        Some(h.runtime.now() + TimeDelta::seconds(120))
    );
    assert!(h.track(number).is_err());
    assert_eq!(h.carriers.calls_to("/track/"), 1, "not asked while paused");

    // Without Retry-After, a default pause.
    h.carriers = TestCarriers::new(&[LiveCarrier::Dhl], Box::new(move |_| too_many(None)));
    let _ = h.track(number);
    assert_eq!(
        h.carriers
            .state
            .paused_until(LiveCarrier::Dhl, h.runtime.now()),
        Some(h.runtime.now() + TimeDelta::seconds(DEFAULT_RETRY_AFTER_SECS.into()))
    );
}

#[test]
fn garbage_from_the_carrier_serves_the_last_known_view() {
    let h = Harness::new(TestCarriers::new(
        &[LiveCarrier::Dhl],
        Box::new(|_| reply(200, "{\"shipments\": [")),
    ));
    h.register(&h.shop, DHL, Carrier::Dhl);
    let view = h.track(DHL).unwrap();
    assert!(view.stale);
    assert_eq!(view.status, Status::InfoReceived);
    assert_eq!(
        h.carriers.calls_to("/track/"),
        1,
        "an unreadable answer is not retried"
    );
}

#[test]
fn pushed_and_carrier_events_merge_without_duplicates() {
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    let first = h.track(UPS).unwrap();
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
    let result = block_on(push_events(
        &h.store,
        &answers(),
        &h.shop,
        UPS,
        batch,
        h.runtime.now(),
    ))
    .unwrap();
    assert_eq!((result.stored, result.duplicates), (1, 1));
    let merged = h.track(UPS).unwrap();
    assert_eq!(merged.events.len(), first.events.len() + 1);
}

#[test]
fn shops_without_the_carrier_enabled_never_ask_it() {
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    let plain = shop("shop_plain");
    block_on(h.store.insert_shop(&plain)).unwrap();
    assert!(h.track_for(&plain, UPS).is_err());
    assert!(h.carriers.http.calls.borrow().is_empty());
}

#[test]
fn the_cron_refresh_stores_new_events_within_its_limits() {
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    let numbers = [
        "1Z5R89390357567127",
        "1Z879E930346834440",
        "1Z410E7W0392751591",
    ];
    for number in numbers {
        h.register(&h.shop, number, Carrier::Ups);
    }
    let limits = RefreshLimits {
        batch: 10,
        per_carrier: 2,
        min_age_secs: 600,
    };
    let report = h.refresh(limits);
    assert_eq!((report.refreshed, report.deferred), (2, 1), "{report:?}");
    assert!(report.new_events > 0);
    let second = h.refresh(limits);
    assert_eq!(second.refreshed, 1, "the one left over, not the fresh ones");

    // Later the carrier has more to say: the refresh ignores the cache and stores it.
    h.carriers.answer_with(Box::new(|call| {
        if call.url.contains("/oauth/token") {
            reply(200, UPS_TOKEN)
        } else {
            reply(200, UPS_DELIVERED)
        }
    }));
    h.runtime.now.set(h.runtime.now() + TimeDelta::hours(1));
    let before = h.stored(&h.shop, UPS).events.len();
    let limits = RefreshLimits {
        per_carrier: 10,
        ..limits
    };
    let third = h.refresh(limits);
    assert_eq!(third.refreshed, 3);
    let after = h.stored(&h.shop, UPS);
    assert!(after.events.len() > before);
    assert_eq!(after.shipment.status, Status::Delivered);
    // Delivered shipments are no longer refreshed.
    h.runtime.now.set(h.runtime.now() + TimeDelta::hours(1));
    let fourth = h.refresh(limits);
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
    let h = Harness::new(carriers(UPS_IN_TRANSIT, DHL_IN_TRANSIT));
    let mut second = shop("shop_other");
    second.live_carriers = h.shop.live_carriers.clone();
    block_on(h.store.insert_shop(&second)).unwrap();
    h.register(&second, UPS, Carrier::Ups);
    let asked = h.track(UPS).unwrap();
    let cached = h.track_for(&second, UPS).unwrap();
    assert_eq!(
        h.carriers.calls_to("/api/track/"),
        1,
        "the second shop read the cache"
    );
    assert_eq!(
        cached.events, asked.events,
        "and stored the carrier's events as its own"
    );
    assert_eq!(h.stored(&second, UPS).events.len(), asked.events.len());
}
