//! The public answer cache on the host: a repeated look-up reads nothing from storage, a write is
//! in the very next look-up in every language, and shops never share an answer.

use waypost_shared::labels::Lang;
use waypost_shared::wire::{EventBatch, OrderInput, ShipmentInput, ShopInput, TrackingView};

use super::answers::{ANSWER_TTL_SECS, Answer, AnswerMemory, AnswerPlace, Answers};
use super::auth::publishable_shop_cached;
use super::events::push_events;
use super::memory::{MemoryStore, TestRuntime, block_on, create_shop};
use super::orders::put_order;
use super::shipments::put_shipment;
use super::store::{Runtime, ShopRecord};
use super::test_carriers::{MemoryCache, TestCarriers};
use super::tracking::answer;
use super::tracking_number::TrackingNumber;
use crate::error::Result;

const NUMBER: &str = "1Z5R89390357567127";

/// One storage, one clock, one answer cache and one isolate's memory, like one data centre.
struct Edge {
    store: MemoryStore,
    runtime: TestRuntime,
    cache: MemoryCache,
    memory: AnswerMemory,
}

impl Edge {
    fn new() -> Self {
        Edge {
            store: MemoryStore::default(),
            runtime: TestRuntime::default(),
            cache: MemoryCache::default(),
            memory: AnswerMemory::default(),
        }
    }

    fn answers(&self) -> Answers<'_, MemoryCache> {
        self.seen_from(&self.memory, 0)
    }

    /// The same data centre seen from another isolate: same storage and cache, its own memory.
    fn other_isolate(&self) -> Answers<'_, MemoryCache> {
        self.seen_from(Box::leak(Box::default()), 0)
    }

    /// The answer cache `secs` from now, seen from an isolate with `memory`.
    fn seen_from<'a>(&'a self, memory: &'a AnswerMemory, secs: i64) -> Answers<'a, MemoryCache> {
        let now = self.runtime.now() + chrono::TimeDelta::seconds(secs);
        Answers::new(&self.cache, memory, now)
    }

    /// A shop, and its publishable key.
    fn shop(&self, name: &str) -> (ShopRecord, String) {
        let input: ShopInput = serde_json::from_value(serde_json::json!({
            "name": name,
            "transit_days": {"min_days": 7, "max_days": 15}
        }))
        .unwrap();
        let (shop, created) = create_shop(&self.store, &self.runtime, input);
        (shop, created.publishable_key)
    }

    /// A shop whose parcel [`NUMBER`] has one event ("Departed Louisville"), and its key.
    fn shop_with_parcel(&self) -> (ShopRecord, String) {
        let (shop, key) = self.shop("Shop");
        self.push(
            &shop,
            NUMBER,
            "Departed Louisville",
            "2026-11-20T08:00:00-05:00",
        );
        (shop, key)
    }

    /// `GET /v1/track/{number}?key=` as the route runs it: the key's shop, then the answer.
    fn look_up(&self, key: &str, number: &str, lang: Lang) -> Result<Answer> {
        let answers = self.answers();
        let shop = block_on(publishable_shop_cached(&self.store, &answers, Some(key)))?;
        block_on(answer(
            &self.store,
            &TestCarriers::none().live(),
            &answers,
            &self.runtime,
            &shop,
            number,
            lang,
            self.runtime.now(),
        ))
    }

    fn push(&self, shop: &ShopRecord, number: &str, description: &str, time: &str) {
        let batch: EventBatch = serde_json::from_value(serde_json::json!({
            "events": [{"time": time, "status": "in_transit", "description": description}]
        }))
        .unwrap();
        let stored = block_on(push_events(
            &self.store,
            &self.answers(),
            shop,
            number,
            batch,
            self.runtime.now(),
        ))
        .unwrap();
        assert_eq!(stored.stored, 1);
    }
}

fn view(answer: &Answer) -> TrackingView {
    serde_json::from_str(&answer.body).unwrap()
}

fn descriptions(answer: &Answer) -> Vec<String> {
    view(answer)
        .events
        .into_iter()
        .map(|event| event.description)
        .collect()
}

#[test]
fn a_repeated_look_up_and_its_304_read_nothing_from_storage() {
    let edge = Edge::new();
    let (_, key) = edge.shop_with_parcel();

    let first = edge.look_up(&key, NUMBER, Lang::En).unwrap();
    let calls_after_first = edge.store.calls();
    let again = edge.look_up(&key, NUMBER, Lang::En).unwrap();
    assert_eq!(again, first, "the kept answer, byte for byte");
    assert_eq!(
        edge.store.calls(),
        calls_after_first,
        "a kept answer costs no storage call at all (neither the key nor the shipment)"
    );
    assert!(
        again.named_by(Some(&first.etag)),
        "so the route answers 304"
    );
    assert!(again.named_by(Some(&format!("\"other\", {}", first.etag))));
    assert!(!again.named_by(Some("\"other\"")));
    assert!(!again.named_by(None));
}

#[test]
fn a_push_is_in_the_next_look_up_in_every_language() {
    let edge = Edge::new();
    let (shop, key) = edge.shop_with_parcel();
    let before: Vec<Answer> = Lang::ALL
        .into_iter()
        .map(|lang| edge.look_up(&key, NUMBER, lang).unwrap())
        .collect();

    edge.push(
        &shop,
        NUMBER,
        "Arrived Chicago",
        "2026-11-20T20:00:00-06:00",
    );
    for (lang, before) in Lang::ALL.into_iter().zip(before) {
        let after = edge.look_up(&key, NUMBER, lang).unwrap();
        assert_eq!(
            descriptions(&after),
            ["Arrived Chicago", "Departed Louisville"],
            "{lang:?}: the pushed event is in the next look-up"
        );
        assert_ne!(after.etag, before.etag, "{lang:?}: a new ETag, so no 304");
    }
}

#[test]
fn shipment_and_order_updates_are_in_the_next_look_up() {
    let edge = Edge::new();
    let (shop, key) = edge.shop("Shop");
    let answers = edge.answers();
    let put = |input: ShipmentInput| {
        block_on(put_shipment(
            &edge.store,
            &answers,
            &shop,
            NUMBER,
            input,
            Lang::En,
            edge.runtime.now(),
        ))
        .unwrap();
    };
    put(ShipmentInput {
        order_number: Some("1042".into()),
        ..ShipmentInput::default()
    });
    assert_eq!(
        view(&edge.look_up(&key, NUMBER, Lang::En).unwrap()).order_reference,
        Some("1042".into())
    );
    put(ShipmentInput {
        order_number: Some("1043".into()),
        ..ShipmentInput::default()
    });
    assert_eq!(
        view(&edge.look_up(&key, NUMBER, Lang::En).unwrap()).order_reference,
        Some("1043".into()),
        "a re-registered shipment is in the next look-up"
    );

    let eta_before = view(&edge.look_up(&key, NUMBER, Lang::En).unwrap()).eta;
    let order: OrderInput = serde_json::from_value(serde_json::json!({
        "status": "in_transit",
        "promised_delivery": {"from": "2026-12-01", "to": "2026-12-03", "source": "promised"}
    }))
    .unwrap();
    block_on(put_order(
        &edge.store,
        &answers,
        &shop,
        "1043",
        order,
        edge.runtime.now(),
    ))
    .unwrap();
    let eta_after = view(&edge.look_up(&key, NUMBER, Lang::En).unwrap()).eta;
    assert_ne!(
        eta_after, eta_before,
        "the order's promised window reaches its parcels' next look-up"
    );
}

#[test]
fn an_answer_built_from_a_read_older_than_a_write_is_never_served_after_it() {
    let edge = Edge::new();
    let (shop, key) = edge.shop_with_parcel();
    let stale = edge.look_up(&key, NUMBER, Lang::Es).unwrap();
    let answers = edge.answers();
    let (number, _) = TrackingNumber::parse(NUMBER).unwrap();

    // A reader takes the version and reads storage; a write lands; the reader keeps what it built.
    let version = block_on(answers.version(&edge.runtime, &shop.id, &number)).unwrap();
    edge.push(
        &shop,
        NUMBER,
        "Arrived Chicago",
        "2026-11-20T20:00:00-06:00",
    );
    let place = AnswerPlace {
        shop_id: &shop.id,
        number: &number,
        version: &version,
        lang: Lang::En,
    };
    block_on(answers.keep(&place, &stale, ANSWER_TTL_SECS));

    let next = edge.look_up(&key, NUMBER, Lang::En).unwrap();
    assert_eq!(
        descriptions(&next),
        ["Arrived Chicago", "Departed Louisville"]
    );
}

#[test]
fn one_shops_answer_never_reaches_another_shop() {
    let edge = Edge::new();
    let (shop_a, key_a) = edge.shop("Shop A");
    let (shop_b, key_b) = edge.shop("Shop B");
    edge.push(
        &shop_a,
        NUMBER,
        "Shop A's event",
        "2026-11-20T08:00:00-05:00",
    );
    edge.push(
        &shop_b,
        NUMBER,
        "Shop B's event",
        "2026-11-20T09:00:00-05:00",
    );

    for _ in 0..2 {
        let a = edge.look_up(&key_a, NUMBER, Lang::En).unwrap();
        let b = edge.look_up(&key_b, NUMBER, Lang::En).unwrap();
        assert_eq!(descriptions(&a), ["Shop A's event"]);
        assert_eq!(descriptions(&b), ["Shop B's event"]);
    }
    edge.push(
        &shop_a,
        NUMBER,
        "Shop A's second",
        "2026-11-20T10:00:00-05:00",
    );
    assert_eq!(
        descriptions(&edge.look_up(&key_b, NUMBER, Lang::En).unwrap()),
        ["Shop B's event"],
        "a write of shop A leaves shop B's answer as it is"
    );
}

#[test]
fn a_revoked_key_is_refused_at_once_where_it_was_revoked() {
    let edge = Edge::new();
    let (shop, key) = edge.shop_with_parcel();
    edge.look_up(&key, NUMBER, Lang::En).unwrap();
    block_on(super::admin::revoke_key(
        &edge.store,
        &edge.answers(),
        &shop.id,
        &key,
    ))
    .unwrap();
    assert!(matches!(
        edge.look_up(&key, NUMBER, Lang::En),
        Err(crate::error::EdgeError::Unauthorized)
    ));
}

#[test]
fn answers_are_kept_no_longer_than_the_cache_time_to_live() {
    let edge = Edge::new();
    let (_, key) = edge.shop_with_parcel();
    edge.look_up(&key, NUMBER, Lang::De).unwrap();
    let entries = edge.cache.entries.borrow();
    let answer_ttls: Vec<u32> = entries
        .iter()
        .filter(|(entry, _)| entry.contains("/answer/"))
        .map(|(_, (_, ttl))| *ttl)
        .collect();
    assert_eq!(answer_ttls, [ANSWER_TTL_SECS]);
    let key_ttls: Vec<u32> = entries
        .iter()
        .filter(|(entry, _)| entry.contains("/key/"))
        .map(|(_, (_, ttl))| *ttl)
        .collect();
    assert_eq!(key_ttls, [ANSWER_TTL_SECS]);
}

#[test]
fn a_write_in_another_isolate_is_seen_within_a_second() {
    let edge = Edge::new();
    let (shop, key) = edge.shop_with_parcel();
    edge.look_up(&key, NUMBER, Lang::Fr).unwrap();

    let batch: EventBatch = serde_json::from_value(serde_json::json!({
        "events": [{"time": "2026-11-20T20:00:00-06:00", "status": "in_transit", "description": "Arrived Chicago"}]
    }))
    .unwrap();
    block_on(push_events(
        &edge.store,
        &edge.other_isolate(),
        &shop,
        NUMBER,
        batch,
        edge.runtime.now(),
    ))
    .unwrap();
    // This isolate reads the shipment's version again from the next second on.
    edge.runtime
        .now
        .set(edge.runtime.now() + chrono::TimeDelta::seconds(1));
    assert_eq!(
        descriptions(&edge.look_up(&key, NUMBER, Lang::Fr).unwrap()),
        ["Arrived Chicago", "Departed Louisville"],
        "within a second, this isolate never answers for a version the write removed"
    );
}

#[test]
fn no_copy_outlives_the_time_it_was_kept_for() {
    let edge = Edge::new();
    let (shop, _) = edge.shop("Shop");
    let (number, _) = TrackingNumber::parse(NUMBER).unwrap();
    let answer = Answer::of(&"kept for ten seconds").unwrap();
    let answers = edge.answers();
    let version = block_on(answers.version(&edge.runtime, &shop.id, &number)).unwrap();
    let place = AnswerPlace {
        shop_id: &shop.id,
        number: &number,
        version: &version,
        lang: Lang::En,
    };
    block_on(answers.keep(&place, &answer, 10));
    let later = |secs| edge.seen_from(&edge.memory, secs);
    assert_eq!(block_on(later(9).answer(&place)), Some(answer.clone()));
    assert_eq!(
        block_on(later(10).answer(&place)),
        None,
        "this isolate's memory"
    );
    let elsewhere = edge.seen_from(Box::leak(Box::default()), 10);
    assert_eq!(
        block_on(elsewhere.answer(&place)),
        None,
        "another isolate's copy from the cache (whose map here never expires)"
    );
}
