//! The aggregator (17TRACK) on the host: registration once per number, "not yet scanned" before
//! its first results, the hand-over to a last-mile carrier merged into one journey and found by
//! the last-mile number, its signed push, and its failures served stale or as 404 with detection.

use std::cell::Cell;
use std::rc::Rc;

use sha2::{Digest, Sha256};
use waypost_shared::detect::Carrier;
use waypost_shared::health::{Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{ShipmentInput, TrackingView, WebhookOutcome};

use super::carrier_push;
use super::memory::{MemoryStore, TestRuntime, block_on, shop};
use super::refresh::{RefreshLimits, RefreshReport, run};
use super::shipments::put_shipment;
use super::store::{Runtime, ShopRecord, Store};
use super::test_carriers::{TestCarriers, answers, reply};
use super::tracking::track;
use super::tracking_number::TrackingNumber;
use crate::carriers::LiveCarrier;
use crate::error::{EdgeError, Result};

const HANDED_OVER: &str = include_str!("../../fixtures/carriers/17track/handed_over.json");
const REGISTERED: &str = include_str!("../../fixtures/carriers/17track/registered.json");
const NOT_REGISTERED: &str = include_str!("../../fixtures/carriers/17track/not_registered.json");
const NOT_YET_TRACKED: &str = include_str!("../../fixtures/carriers/17track/not_yet_tracked.json");
const REGISTER_INVALID: &str =
    include_str!("../../fixtures/carriers/17track/register_invalid.json");
const QUOTA_EXCEEDED: &str = include_str!("../../fixtures/carriers/17track/quota_exceeded.json");
const REGISTER_QUOTA: &str = include_str!("../../fixtures/carriers/17track/register_quota.json");
const PUSH_UPDATED: &str = include_str!("../../fixtures/carriers/17track/push_updated.json");
/// The number of `handed_over.json`, and the number USPS took it over under.
const HANDED: &str = "YT2432021087654321";
const LAST_MILE: &str = "9261290312345678901234";
/// The number of the other fixtures.
const YT: &str = "YT2431521063015678";

/// A world with a shop that enabled YunExpress and the aggregator configured.
struct Harness {
    store: MemoryStore,
    runtime: TestRuntime,
    shop: ShopRecord,
    carriers: TestCarriers,
}

impl Harness {
    fn new(respond: impl Fn(&str) -> (u16, &'static str) + 'static) -> Self {
        let store = MemoryStore::default();
        let shop = yunexpress_shop("shop_cn");
        block_on(store.insert_shop(&shop)).unwrap();
        let carriers = TestCarriers::new(
            &[LiveCarrier::SeventeenTrack],
            Box::new(move |call| {
                let (status, body) = respond(&call.url);
                reply(status, body)
            }),
        );
        Harness {
            store,
            runtime: TestRuntime::default(),
            shop,
            carriers,
        }
    }

    fn track(&self, number: &str) -> Result<TrackingView> {
        self.track_for(&self.shop, number)
    }

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

    fn register(&self, shop: &ShopRecord, number: &str) {
        let input = ShipmentInput {
            carrier: Some(Carrier::Yunexpress),
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

    fn events_stored(&self, shop: &ShopRecord, number: &str) -> usize {
        let number = TrackingNumber::normalize(number).unwrap();
        block_on(self.store.events(&shop.id, &number))
            .unwrap()
            .len()
    }

    /// One cron refresh run an hour from now, every shipment due.
    fn refresh(&self) -> RefreshReport {
        let limits = RefreshLimits {
            min_age_secs: 0,
            ..RefreshLimits::default()
        };
        block_on(run(
            &self.store,
            &self.carriers.live(),
            &answers(),
            limits,
            self.runtime.now() + chrono::TimeDelta::hours(1),
        ))
        .unwrap()
    }

    fn push(&self, body: &str, sign: &str) -> Result<WebhookOutcome> {
        block_on(carrier_push::receive(
            &self.store,
            &self.carriers.live(),
            &answers(),
            body.as_bytes(),
            Some(sign),
            self.runtime.now(),
        ))
        .map(|ack| ack.outcome)
    }
}

fn yunexpress_shop(id: &str) -> ShopRecord {
    let mut shop = shop(id);
    shop.live_carriers = vec![Carrier::Yunexpress];
    shop
}

/// 17TRACK's `sign` of a push: SHA-256 of the body, `/`, and the account key (`client` in the
/// test carriers' account).
fn sign(body: &str) -> String {
    hex::encode(Sha256::digest(format!("{body}/client").as_bytes()))
}

/// An upstream that knows a number once it was registered, and has nothing tracked for it.
fn registers_then_pending() -> (Harness, Rc<Cell<bool>>) {
    let registered = Rc::new(Cell::new(false));
    let flag = Rc::clone(&registered);
    let h = Harness::new(move |url| {
        if url.ends_with("/register") {
            flag.set(true);
            (200, REGISTERED)
        } else if flag.get() {
            (200, NOT_YET_TRACKED)
        } else {
            (200, NOT_REGISTERED)
        }
    });
    (h, registered)
}

#[test]
fn a_stored_number_is_registered_once_and_shown_not_yet_scanned_until_tracked() {
    let (h, registered) = registers_then_pending();
    h.register(&h.shop, YT);
    let view = h.track(YT).unwrap();
    assert_eq!(view.status, Status::NotFound);
    assert_eq!(view.sub_status, Some(SubStatus::NotYetScanned));
    let carrier = view.carrier.expect("its carrier");
    assert_eq!(carrier.code, Carrier::Yunexpress);
    assert!(carrier.tracking_url.unwrap().contains(YT));
    assert!(registered.get());
    for _ in 0..5 {
        h.track(YT).unwrap();
    }
    assert_eq!(
        h.carriers.calls_to("/gettrackinfo"),
        2,
        "asked before and right after registering, then served cached"
    );
    // Past the cache, and by the cron: asked again, never registered again.
    h.carriers.cache.entries.borrow_mut().clear();
    h.track(YT).unwrap();
    h.refresh();
    assert_eq!(h.carriers.calls_to("/gettrackinfo"), 4);
    assert_eq!(h.carriers.calls_to("/register"), 1, "registered once");
    let number = TrackingNumber::normalize(YT).unwrap();
    let stored = block_on(h.store.shipment(&h.shop.id, &number))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.status,
        Status::InfoReceived,
        "the shop's own status is kept"
    );
    // Registered without a route: a YunExpress parcel travels as a postal international one, so
    // its health waits as long as those do.
    assert_eq!(stored.scope, Scope::International);
    assert_eq!(stored.service_level, ServiceLevel::Postal);
}

#[test]
fn a_typed_number_is_never_registered_nor_stored() {
    let (h, registered) = registers_then_pending();
    for _ in 0..3 {
        match h.track(YT) {
            Err(EdgeError::NotFound {
                detection: Some(detection),
                ..
            }) => assert_eq!(detection.candidates[0].carrier, Carrier::Yunexpress),
            other => panic!("expected 404 with detection, got {other:?}"),
        }
    }
    assert!(!registered.get(), "no quota spent on a guess");
    assert_eq!(h.carriers.calls_to("/register"), 0);

    // Tracked by 17TRACK already (another shop registered it): shown, still not stored.
    let h = Harness::new(|url| {
        assert!(url.ends_with("/gettrackinfo"), "{url}");
        (200, HANDED_OVER)
    });
    let view = h.track(HANDED).unwrap();
    assert!(!view.events.is_empty());
    assert!(view.last_mile.is_some());
    let number = TrackingNumber::normalize(HANDED).unwrap();
    assert_eq!(
        block_on(h.store.shipment(&h.shop.id, &number)).unwrap(),
        None
    );
    assert!(
        matches!(h.track(LAST_MILE), Err(EdgeError::NotFound { .. })),
        "nothing stored, so the last-mile number is not the shop's"
    );
}

#[test]
fn a_hand_over_is_one_journey_found_by_either_number() {
    let h = Harness::new(|url| {
        assert!(url.ends_with("/gettrackinfo"), "{url}");
        (200, HANDED_OVER)
    });
    h.register(&h.shop, HANDED);
    let view = h.track(HANDED).unwrap();
    let carriers: Vec<_> = view.events.iter().map(|e| e.carrier).collect();
    assert!(carriers.contains(&Some(Carrier::Yunexpress)));
    assert!(carriers.contains(&Some(Carrier::Usps)));
    let hand_overs: Vec<_> = view
        .events
        .iter()
        .filter(|e| e.sub_status == Some(SubStatus::Forwarded) && e.description.contains("USPS"))
        .collect();
    assert_eq!(hand_overs.len(), 1, "{:?}", view.events);
    assert_eq!(hand_overs[0].carrier, Some(Carrier::Yunexpress));
    let last_mile = view.last_mile.clone().expect("the last-mile carrier");
    assert_eq!(last_mile.code, Carrier::Usps);
    assert!(last_mile.tracking_url.unwrap().contains(LAST_MILE));
    // Newest first, in their own offsets.
    let newest = &view.events[0];
    assert_eq!(newest.carrier, Some(Carrier::Usps));
    assert!(
        newest.time_label.contains("UTC\u{2212}5"),
        "{}",
        newest.time_label
    );
    assert!(
        view.events.iter().any(|e| e.time_label.contains("UTC+8")),
        "origin events keep Shenzhen's offset"
    );

    let by_last_mile = h.track(LAST_MILE).unwrap();
    assert_eq!(by_last_mile.tracking_number, HANDED);
    assert_eq!(by_last_mile.events, view.events);

    // The hand-over is the view's own, derived from what is stored: stored once, shown once.
    let stored = h.events_stored(&h.shop, HANDED);
    assert_eq!(stored + 1, view.events.len());
    // Asked again by the cron, and told again without the last-mile number: nothing doubles and
    // the number is kept.
    let report = h.refresh();
    assert_eq!(report.refreshed, 1);
    assert_eq!(report.new_events, 0);
    assert_eq!(h.events_stored(&h.shop, HANDED), stored);
    let without_number = HANDED_OVER.replace(&format!("\"{LAST_MILE}\""), "null");
    assert_ne!(without_number, HANDED_OVER);
    let body: &'static str = Box::leak(without_number.into_boxed_str());
    h.carriers.answer_with(Box::new(move |_| reply(200, body)));
    h.carriers.cache.entries.borrow_mut().clear();
    h.refresh();
    let again = h.track(LAST_MILE).unwrap();
    assert_eq!(again.tracking_number, HANDED);
    assert_eq!(again.events, view.events);

    // An older answer arriving late (YunExpress's leg alone, an earlier estimate): the ETA and
    // the last mile stay.
    let mut older: serde_json::Value = serde_json::from_str(HANDED_OVER).unwrap();
    let info = older.pointer_mut("/data/accepted/0/track_info").unwrap();
    info["tracking"]["providers"]
        .as_array_mut()
        .unwrap()
        .truncate(1);
    info["misc_info"] = serde_json::Value::Null;
    info["time_metrics"]["estimated_delivery_date"]["from"] = "2026-11-25T00:00:00-05:00".into();
    info["time_metrics"]["estimated_delivery_date"]["to"] = "2026-11-26T00:00:00-05:00".into();
    let body: &'static str = Box::leak(older.to_string().into_boxed_str());
    h.carriers.answer_with(Box::new(move |_| reply(200, body)));
    h.carriers.cache.entries.borrow_mut().clear();
    h.refresh();
    let late = h.track(HANDED).unwrap();
    assert_eq!(late.eta, view.eta);
    assert_eq!(late.last_mile, view.last_mile);
    assert_eq!(late.events, view.events);
}

#[test]
fn a_signed_push_reaches_every_shop_tracking_the_number_and_a_forged_one_nothing() {
    let h = Harness::new(|_| (500, "down"));
    let other = yunexpress_shop("shop_other");
    let disabled = shop("shop_disabled");
    for shop in [&other, &disabled] {
        block_on(h.store.insert_shop(shop)).unwrap();
    }
    for shop in [&h.shop, &other, &disabled] {
        h.register(shop, YT);
    }

    let forged = h.push(
        PUSH_UPDATED,
        &sign(&PUSH_UPDATED.replace("YunExpress", "Yun")),
    );
    assert!(matches!(forged, Err(EdgeError::Unauthorized)), "{forged:?}");
    let altered = PUSH_UPDATED.replacen("Shenzhen", "Elsewhere", 1);
    assert!(matches!(
        h.push(&altered, &sign(PUSH_UPDATED)),
        Err(EdgeError::Unauthorized)
    ));
    assert_eq!(
        h.events_stored(&h.shop, YT),
        0,
        "nothing from a forged push"
    );

    assert_eq!(
        h.push(PUSH_UPDATED, &sign(PUSH_UPDATED)).unwrap(),
        WebhookOutcome::Applied
    );
    let stored = h.events_stored(&h.shop, YT);
    assert!(stored > 0);
    assert_eq!(h.events_stored(&other, YT), stored);
    assert_eq!(
        h.events_stored(&disabled, YT),
        0,
        "a shop without the carrier enabled is left alone"
    );
    // The same push again, and a look-up served from what it said: no call, nothing doubled.
    h.push(PUSH_UPDATED, &sign(PUSH_UPDATED)).unwrap();
    let view = h.track(YT).unwrap();
    assert_eq!(view.events.len(), stored);
    assert!(!view.stale);
    assert_eq!(h.carriers.calls_to("/gettrackinfo"), 0);
    assert_eq!(h.events_stored(&h.shop, YT), stored);
}

#[test]
fn failures_are_stale_or_not_found_with_detection_never_an_error() {
    // The recorded refusal, about this number.
    let refused: &'static str = Box::leak(
        REGISTER_INVALID
            .replace("ZX0000000000", YT)
            .into_boxed_str(),
    );
    let invalid = Harness::new(move |url| {
        if url.ends_with("/register") {
            (200, refused)
        } else {
            (200, NOT_REGISTERED)
        }
    });
    invalid.register(&invalid.shop, YT);
    let view = invalid.track(YT).unwrap();
    assert!(!view.stale, "refused as invalid: known, not a failure");
    assert_eq!(invalid.carriers.calls_to("/register"), 1);

    for failing in [
        (200, QUOTA_EXCEEDED),
        (500, "<html>down</html>"),
        (200, "not json"),
    ] {
        let h = Harness::new(move |_| failing);
        assert!(
            matches!(h.track(YT), Err(EdgeError::NotFound { .. })),
            "{failing:?}"
        );
        h.register(&h.shop, YT);
        let view = h.track(YT).unwrap();
        assert!(view.stale, "{failing:?}");
    }
}

#[test]
fn a_spent_quota_never_pauses_the_upstream() {
    let gettrackinfo = Rc::new(Cell::new(0));
    let count = Rc::clone(&gettrackinfo);
    let h = Harness::new(move |url| {
        if url.ends_with("/register") {
            (200, REGISTER_QUOTA)
        } else {
            count.set(count.get() + 1);
            (200, NOT_REGISTERED)
        }
    });
    h.register(&h.shop, YT);
    for _ in 0..6 {
        let view = h.track(YT).unwrap();
        assert!(view.stale, "quota spent: the last known view");
    }
    assert_eq!(h.carriers.calls_to("/register"), 6);
    assert_eq!(
        gettrackinfo.get(),
        6,
        "every look-up still asks: a spent registration quota is no outage"
    );
    assert_eq!(
        h.carriers
            .state
            .paused_until(LiveCarrier::SeventeenTrack, h.runtime.now()),
        None
    );
}
