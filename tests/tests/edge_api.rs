//! End-to-end tests of the edge API: the real Worker on `wrangler dev` (workerd, a fresh local D1
//! per run), driven over HTTP on 127.0.0.1. One server per run; each test makes its own shop.
//!
//! A custom harness, so the server is started once and stopped (by process group) at the end.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};
use waypost_shared::health::Health;
use waypost_shared::status::Status;
use waypost_shared::wire::{
    CarriersView, DetectResponse, EventBatchResult, KeyCreated, OrderView, Problem, ShipmentCounts,
    ShipmentList, ShopCreated, TrackingView,
};
use waypost_tests::{Catcher, Client, EdgeServer, Reply, demo};

#[path = "edge_api/console.rs"]
mod console;
#[path = "edge_api/imports.rs"]
mod imports;
#[path = "edge_api/notification_settings.rs"]
mod notification_settings;
#[path = "edge_api/notifications.rs"]
mod notifications;
#[path = "edge_api/shipments_export.rs"]
mod shipments_export;
#[path = "edge_api/webhooks.rs"]
mod webhooks;

const UPS: &str = "1Z5R89390357567127";
const ORIGIN: &str = "https://shop.example";

/// A named end-to-end test.
type Test = (&'static str, fn(&Ctx));

/// What every test gets.
struct Ctx {
    client: Client,
    admin: String,
    openapi: Value,
    ips: AtomicU32,
    /// The local email, SMS and webhook catcher the Worker's notifications go to.
    catcher: Catcher,
}

impl Ctx {
    /// A new shop allowing [`ORIGIN`].
    fn shop(&self) -> ShopCreated {
        self.shop_with(json!({}))
    }

    /// A new shop allowing [`ORIGIN`], with the fields of `settings` added to its input.
    fn shop_with(&self, settings: Value) -> ShopCreated {
        let mut input = json!({ "name": "Test shop", "allowed_origins": [ORIGIN], "transit_days": { "min_days": 3, "max_days": 9 } });
        for (field, value) in settings.as_object().expect("settings are an object") {
            input[field] = value.clone();
        }
        let reply = self
            .client
            .post("/v1/admin/shops")
            .bearer(&self.admin)
            .json(&input)
            .send()
            .unwrap();
        self.conforms(&reply, 201, "ShopCreated");
        reply.parse()
    }

    /// A fresh client address, so tests do not share the per-IP limit.
    fn ip(&self) -> String {
        format!(
            "198.51.100.{}",
            self.ips.fetch_add(1, Ordering::Relaxed) % 250 + 1
        )
    }

    fn get(&self, path: &str) -> Reply {
        self.client
            .get(path)
            .header("CF-Connecting-IP", &self.ip())
            .send()
            .unwrap()
    }

    fn put(&self, secret: &str, path: &str, body: Value) -> Reply {
        self.client
            .put(path)
            .bearer(secret)
            .json(&body)
            .send()
            .unwrap()
    }

    fn post(&self, secret: &str, path: &str, body: Value) -> Reply {
        self.client
            .post(path)
            .bearer(secret)
            .json(&body)
            .send()
            .unwrap()
    }

    /// Asserts the status, and that the body matches the OpenAPI schema `schema`.
    fn conforms(&self, reply: &Reply, status: u16, schema: &str) {
        assert_eq!(
            reply.status,
            status,
            "expected {status}, body: {}",
            reply.text()
        );
        let expected_type = if schema == "Problem" {
            "application/problem+json"
        } else {
            "application/json"
        };
        assert_eq!(
            reply.header("content-type"),
            Some(expected_type),
            "content type of a {schema}"
        );
        let mut root = self.openapi.clone();
        root["$ref"] = json!(format!("#/components/schemas/{schema}"));
        let validator = jsonschema::validator_for(&root).expect("the OpenAPI schemas compile");
        let body = reply.json();
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{schema} does not match the OpenAPI document: {errors:#?}\n{body:#}"
        );
    }

    /// Asserts a 4xx problem with `code`, valid against the document.
    fn problem(&self, reply: &Reply, status: u16, code: &str) -> Problem {
        self.conforms(reply, status, "Problem");
        let problem: Problem = reply.parse();
        assert_eq!(problem.code, code, "{}", reply.text());
        assert!(!problem.detail.is_empty());
        problem
    }

    /// `DELETE /v1/admin/shops/{shop}/keys/{key}` with the admin token.
    fn revoke(&self, shop_id: &str, key_id: &str) -> Reply {
        self.client
            .delete(&format!("/v1/admin/shops/{shop_id}/keys/{key_id}"))
            .bearer(&self.admin)
            .send()
            .unwrap()
    }

    fn track(&self, key: &str, number: &str) -> Reply {
        self.get(&format!("/v1/track/{number}?key={key}"))
    }
}

fn events(items: &[(&str, &str, Option<&str>, &str)]) -> Value {
    let list: Vec<Value> = items
        .iter()
        .map(|(time, status, sub, text)| json!({ "time": time, "status": status, "sub_status": sub, "description": text, "location": { "city": "Memphis", "country": "US" } }))
        .collect();
    json!({ "events": list })
}

fn three_events() -> Value {
    events(&[
        (
            "2026-11-18T09:00:00+08:00",
            "in_transit",
            Some("picked_up"),
            "Picked up",
        ),
        (
            "2026-11-19T06:00:00-08:00",
            "in_transit",
            Some("customs_processing"),
            "Customs",
        ),
        (
            "2026-11-20T08:00:00-05:00",
            "out_for_delivery",
            None,
            "Out for delivery",
        ),
    ])
}

fn every_endpoint_answers_its_documented_shape(ctx: &Ctx) {
    let health = ctx.get("/healthz");
    ctx.conforms(&health, 200, "Health");
    let carriers = ctx.get("/v1/carriers");
    ctx.conforms(&carriers, 200, "CarriersView");
    assert_eq!(carriers.parse::<CarriersView>().formats.len(), 44);

    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    let order = ctx.put(sk, "/v1/orders/1042", json!({ "status": "pending", "customer": { "name": "Ana", "email": "ana@example.com" }, "postal_code": "10001" }));
    ctx.conforms(&order, 200, "OrderAck");
    let shipment = ctx.put(
        sk,
        &format!("/v1/shipments/{UPS}"),
        json!({ "order_number": "1042", "destination": { "city": "Brooklyn", "country": "US" } }),
    );
    ctx.conforms(&shipment, 200, "TrackingView");
    assert_eq!(
        shipment
            .parse::<TrackingView>()
            .carrier
            .unwrap()
            .code
            .code(),
        "ups",
        "carrier detected"
    );
    let pushed = ctx.post(sk, &format!("/v1/shipments/{UPS}/events"), three_events());
    ctx.conforms(&pushed, 200, "EventBatchResult");

    let tracked = ctx.get(&format!("/v1/track/{UPS}?key={pk}&lang=es"));
    ctx.conforms(&tracked, 200, "TrackingView");
    let view: TrackingView = tracked.parse();
    assert_eq!(
        (view.status, view.events.len(), view.status_label.as_str()),
        (Status::OutForDelivery, 3, "En reparto")
    );
    assert_eq!(
        view.events[0].time_label, "20 nov, 08:00, UTC\u{2212}5",
        "each event in its own local time"
    );

    let etag = tracked.header("etag").expect("an ETag").to_owned();
    let again = ctx
        .client
        .get(&format!("/v1/track/{UPS}?key={pk}&lang=es"))
        .header("If-None-Match", &etag)
        .send()
        .unwrap();
    assert_eq!(again.status, 304, "unchanged answers cost nothing");

    let order_view = ctx.get(&format!("/v1/orders/1042?key={pk}&email=ANA@example.com"));
    ctx.conforms(&order_view, 200, "OrderView");
    assert_eq!(order_view.parse::<OrderView>().shipments.len(), 1);

    let list = ctx
        .client
        .get("/v1/shipments?limit=10")
        .bearer(sk)
        .send()
        .unwrap();
    ctx.conforms(&list, 200, "ShipmentList");
    assert_eq!(list.parse::<ShipmentList>().shipments.len(), 1);

    let detect = ctx
        .client
        .post(&format!("/v1/detect?key={pk}"))
        .json(&json!({ "numbers": [UPS, "RR123456785CN", "x".repeat(300)] }))
        .send()
        .unwrap();
    ctx.conforms(&detect, 200, "DetectResponse");
    assert_eq!(detect.parse::<DetectResponse>().results.len(), 3);

    let key = ctx
        .client
        .post(&format!("/v1/admin/shops/{}/keys", shop.shop_id))
        .bearer(&ctx.admin)
        .json(&json!({ "kind": "publishable" }))
        .send()
        .unwrap();
    ctx.conforms(&key, 201, "KeyCreated");
    let key: KeyCreated = key.parse();
    assert_eq!(ctx.track(&key.key, UPS).status, 200);
    let revoked = ctx.revoke(&shop.shop_id, &key.key_id);
    assert_eq!(revoked.status, 204);
    ctx.problem(&ctx.track(&key.key, UPS), 401, "unauthorized");
}

fn unknown_number_is_404_with_detection(ctx: &Ctx) {
    let shop = ctx.shop();
    let reply = ctx.track(&shop.publishable_key, "1z5r%208939%200357-5671%2027");
    let problem = ctx.problem(&reply, 404, "tracking_not_found");
    let detection = problem.detection.expect("detection in the 404");
    assert_eq!(detection.candidates[0].carrier.code(), "ups");
    assert!(
        detection.candidates[0]
            .tracking_url
            .as_deref()
            .unwrap()
            .contains("1Z5R89390357567127")
    );
}

fn auth_matrix_refuses_and_writes_nothing(ctx: &Ctx) {
    let (a, b) = (ctx.shop(), ctx.shop());
    let write = |key: Option<&str>| {
        let call = ctx
            .client
            .put("/v1/orders/7001")
            .json(&json!({ "status": "pending", "customer": { "email": "x@example.com" } }));
        match key {
            Some(key) => call.bearer(key).send().unwrap(),
            None => call.send().unwrap(),
        }
    };
    ctx.problem(&write(None), 401, "unauthorized");
    ctx.problem(
        &write(Some(
            "sk_0000000000000000_000000000000000000000000000000000000000000000000",
        )),
        401,
        "unauthorized",
    );
    ctx.problem(&write(Some(&a.publishable_key)), 403, "forbidden");
    ctx.problem(&write(Some("garbage")), 401, "unauthorized");
    let extra = ctx
        .client
        .post(&format!("/v1/admin/shops/{}/keys", a.shop_id))
        .bearer(&ctx.admin)
        .json(&json!({ "kind": "secret" }))
        .send()
        .unwrap();
    let extra: KeyCreated = extra.parse();
    let revoke = ctx.revoke(&a.shop_id, &extra.key_id);
    assert_eq!(revoke.status, 204);
    ctx.problem(&write(Some(&extra.key)), 401, "unauthorized");
    // Nothing was written for shop A.
    ctx.problem(
        &ctx.get(&format!(
            "/v1/orders/7001?key={}&email=x@example.com",
            a.publishable_key
        )),
        404,
        "order_not_found",
    );
    // Another shop's secret key writes only that shop's own order.
    assert_eq!(write(Some(&b.secret_key)).status, 200);
    ctx.problem(
        &ctx.get(&format!(
            "/v1/orders/7001?key={}&email=x@example.com",
            a.publishable_key
        )),
        404,
        "order_not_found",
    );
    assert_eq!(
        ctx.get(&format!(
            "/v1/orders/7001?key={}&email=x@example.com",
            b.publishable_key
        ))
        .status,
        200
    );
    // Public endpoints want a publishable key; admin wants the admin token.
    ctx.problem(&ctx.get(&format!("/v1/track/{UPS}")), 401, "unauthorized");
    ctx.problem(&ctx.track(&a.secret_key, UPS), 401, "unauthorized");
    let no_admin = ctx
        .client
        .post("/v1/admin/shops")
        .bearer(&a.secret_key)
        .json(&json!({ "name": "x", "transit_days": { "min_days": 1, "max_days": 2 } }))
        .send()
        .unwrap();
    ctx.problem(&no_admin, 401, "unauthorized");
    let list = ctx
        .client
        .get("/v1/shipments")
        .bearer(&a.publishable_key)
        .send()
        .unwrap();
    ctx.problem(&list, 403, "forbidden");
}

fn shops_are_isolated(ctx: &Ctx) {
    let (a, b) = (ctx.shop(), ctx.shop());
    ctx.put(
        &a.secret_key,
        "/v1/orders/5001",
        json!({ "status": "pending", "customer": { "email": "a@example.com" } }),
    );
    ctx.put(
        &a.secret_key,
        &format!("/v1/shipments/{UPS}"),
        json!({ "order_number": "5001" }),
    );
    ctx.post(
        &a.secret_key,
        &format!("/v1/shipments/{UPS}/events"),
        three_events(),
    );
    let before = ctx.track(&a.publishable_key, UPS).text();

    ctx.problem(
        &ctx.track(&b.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
    ctx.problem(
        &ctx.get(&format!(
            "/v1/orders/5001?key={}&email=a@example.com",
            b.publishable_key
        )),
        404,
        "order_not_found",
    );
    let list: ShipmentList = ctx
        .client
        .get("/v1/shipments")
        .bearer(&b.secret_key)
        .send()
        .unwrap()
        .parse();
    assert!(list.shipments.is_empty());
    // B writing the same number makes B's own shipment; A's stays exactly as it was.
    ctx.post(
        &b.secret_key,
        &format!("/v1/shipments/{UPS}/events"),
        events(&[("2026-11-21T10:00:00Z", "delivered", None, "B's event")]),
    );
    assert_eq!(ctx.track(&a.publishable_key, UPS).text(), before);
    assert_eq!(
        ctx.track(&b.publishable_key, UPS)
            .parse::<TrackingView>()
            .events
            .len(),
        1
    );
    // A key cannot revoke through another shop.
    let cross = ctx.revoke(&b.shop_id, &a.publishable_key);
    ctx.problem(&cross, 404, "key_not_found");
}

fn pushes_are_idempotent_and_order_free(ctx: &Ctx) {
    let shop = ctx.shop();
    let path = format!("/v1/shipments/{UPS}/events");
    let first: EventBatchResult = ctx.post(&shop.secret_key, &path, three_events()).parse();
    assert_eq!((first.received, first.stored, first.duplicates), (3, 3, 0));
    for _ in 0..2 {
        let again: EventBatchResult = ctx.post(&shop.secret_key, &path, three_events()).parse();
        assert_eq!((again.stored, again.duplicates), (0, 3));
    }
    let mut reversed = three_events();
    reversed["events"].as_array_mut().unwrap().reverse();
    let last: EventBatchResult = ctx.post(&shop.secret_key, &path, reversed).parse();
    assert_eq!(last.stored, 0);
    let view: TrackingView = ctx.track(&shop.publishable_key, UPS).parse();
    let texts: Vec<&str> = view.events.iter().map(|e| e.description.as_str()).collect();
    assert_eq!(
        texts,
        ["Out for delivery", "Customs", "Picked up"],
        "one timeline, newest first by UTC"
    );
}

/// The orders D1 answers rows in, which the host tests' in-memory store mirrors: a shop's list by
/// tracking number after an exclusive cursor (with or without a status filter), every row once; an
/// order's parcels oldest first.
fn lists_and_parcels_come_in_their_documented_order(ctx: &Ctx) {
    let shop = ctx.shop();
    let numbers = ["WP0003", "WP0001", "WP0005", "WP0002", "WP0004"];
    for number in numbers {
        ctx.put(
            &shop.secret_key,
            &format!("/v1/shipments/{number}"),
            json!({}),
        );
    }
    for delivered in ["WP0005", "WP0002"] {
        ctx.post(
            &shop.secret_key,
            &format!("/v1/shipments/{delivered}/events"),
            events(&[("2026-11-20T08:00:00-05:00", "delivered", None, "Delivered")]),
        );
    }
    let pages = |query: &str| {
        let mut pages: Vec<Vec<String>> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let after = cursor
                .as_deref()
                .map_or(String::new(), |c| format!("&cursor={c}"));
            let page: ShipmentList = ctx
                .client
                .get(&format!("/v1/shipments?{query}{after}"))
                .bearer(&shop.secret_key)
                .send()
                .unwrap()
                .parse();
            pages.push(
                page.shipments
                    .into_iter()
                    .map(|s| s.tracking_number)
                    .collect(),
            );
            cursor = page.next_cursor;
            if cursor.is_none() || pages.len() > 10 {
                return pages;
            }
        }
    };
    assert_eq!(
        pages("limit=2"),
        [
            vec!["WP0001", "WP0002"],
            vec!["WP0003", "WP0004"],
            vec!["WP0005"]
        ],
        "by tracking number, each once, the last page without a cursor"
    );
    assert_eq!(
        pages("status=delivered&limit=1"),
        [vec!["WP0002"], vec!["WP0005"]],
        "a status filter pages the same way (a last full page says nothing follows)"
    );

    // An order's parcels: oldest first, whatever their numbers.
    ctx.put(
        &shop.secret_key,
        "/v1/orders/7001",
        json!({ "status": "pending", "customer": { "email": "ana@example.com" } }),
    );
    ctx.put(
        &shop.secret_key,
        "/v1/shipments/WP0009",
        json!({ "order_number": "7001" }),
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ctx.put(
        &shop.secret_key,
        "/v1/shipments/WP0008",
        json!({ "order_number": "7001" }),
    );
    let order: OrderView = ctx
        .get(&format!(
            "/v1/orders/7001?key={}&email=ana@example.com",
            shop.publishable_key
        ))
        .parse();
    let parcels: Vec<&str> = order
        .shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect();
    assert_eq!(parcels, ["WP0009", "WP0008"]);
}

/// One scan is one event however its time is written: restated in UTC, or at another offset, it
/// is a duplicate (its identity is its instant, status and place).
fn a_scan_restated_in_utc_is_stored_once(ctx: &Ctx) {
    let shop = ctx.shop();
    let path = format!("/v1/shipments/{UPS}/events");
    let scan = |time: &str| events(&[(time, "in_transit", None, "Arrived at facility")]);
    let first: EventBatchResult = ctx
        .post(&shop.secret_key, &path, scan("2026-11-20T08:00:00-05:00"))
        .parse();
    assert_eq!(first.stored, 1);
    for restated in ["2026-11-20T13:00:00Z", "2026-11-20T14:00:00+01:00"] {
        let again: EventBatchResult = ctx.post(&shop.secret_key, &path, scan(restated)).parse();
        assert_eq!((again.stored, again.duplicates), (0, 1), "{restated}");
    }
    let view: TrackingView = ctx.track(&shop.publishable_key, UPS).parse();
    assert_eq!(view.events.len(), 1);
}

/// A time the store cannot hold is refused with `time_out_of_range`, a leap second is read as the
/// end of the second before it, and a ship date from the end of time is refused: the shipment, its
/// order page and the shop's list keep working after every one of them.
fn times_and_dates_that_cannot_be_kept_are_refused(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    ctx.put(
        sk,
        "/v1/orders/8001",
        json!({ "status": "pending", "customer": { "email": "lee@example.com" } }),
    );
    ctx.put(
        sk,
        &format!("/v1/shipments/{UPS}"),
        json!({ "order_number": "8001" }),
    );
    let path = format!("/v1/shipments/{UPS}/events");
    let push = |time: &str| ctx.post(sk, &path, events(&[(time, "in_transit", None, "Scan")]));
    for placeholder in [
        "+10000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59-05:00",
        "1970-01-01T00:00:00Z",
    ] {
        ctx.problem(&push(placeholder), 400, "time_out_of_range");
    }
    let leap: EventBatchResult = push("2016-12-31T23:59:60Z").parse();
    assert_eq!(leap.stored, 1, "a leap second is kept");
    ctx.problem(
        &ctx.put(
            sk,
            &format!("/v1/shipments/{UPS}"),
            json!({ "order_number": "8001", "shipped_on": "+262142-12-31" }),
        ),
        400,
        "date_out_of_range",
    );
    // Everything still reads and writes.
    assert_eq!(push("2026-11-20T08:00:00-05:00").status, 200);
    assert_eq!(
        ctx.put(
            sk,
            &format!("/v1/shipments/{UPS}"),
            json!({ "order_number": "8001" })
        )
        .status,
        200
    );
    let view: TrackingView = ctx.track(&shop.publishable_key, UPS).parse();
    assert_eq!(view.events.len(), 2);
    let leap = view.events.iter().find(|e| {
        e.time
            .local_time()
            .to_string()
            .starts_with("2016-12-31 23:59:59")
    });
    assert!(
        leap.is_some(),
        "the leap second reads back as 23:59:59.999...: {:?}",
        view.events
    );
    let order = ctx.get(&format!(
        "/v1/orders/8001?key={}&email=lee@example.com",
        shop.publishable_key
    ));
    assert_eq!(order.status, 200, "{}", order.text());
    let list = ctx.client.get("/v1/shipments").bearer(sk).send().unwrap();
    assert_eq!(list.status, 200, "{}", list.text());
}

fn bad_input_gets_a_clear_4xx_and_changes_nothing(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    ctx.put(
        sk,
        &format!("/v1/shipments/{UPS}"),
        json!({ "destination": { "city": "Brooklyn" } }),
    );
    ctx.post(sk, &format!("/v1/shipments/{UPS}/events"), three_events());
    let before = ctx.track(&shop.publishable_key, UPS).text();
    let events_path = format!("/v1/shipments/{UPS}/events");
    let raw = |path: &str, body: &[u8]| {
        ctx.client
            .post(path)
            .bearer(sk)
            .raw("application/json", body.to_vec())
            .send()
            .unwrap()
    };

    ctx.problem(&raw(&events_path, b"{\"events\": [}"), 400, "invalid_json");
    ctx.problem(
        &ctx.post(
            sk,
            &events_path,
            json!({ "events": [{ "time": 5, "status": "in_transit", "description": "x" }] }),
        ),
        400,
        "invalid_json",
    );
    let unknown = ctx.problem(
        &ctx.post(
            sk,
            &events_path,
            events(&[("2026-11-20T08:00:00Z", "teleported", None, "x")]),
        ),
        400,
        "invalid_json",
    );
    assert!(unknown.detail.contains("teleported"), "{}", unknown.detail);
    ctx.problem(
        &ctx.post(sk, &events_path, json!({ "events": [], "extra": 1 })),
        400,
        "invalid_json",
    );
    ctx.problem(
        &raw(&events_path, &vec![b' '; 300 * 1024]),
        413,
        "payload_too_large",
    );
    let ten_thousand = events(&vec![
        ("2026-11-20T08:00:00Z", "in_transit", None, "x");
        10_000
    ]);
    ctx.problem(
        &ctx.post(sk, &events_path, ten_thousand),
        413,
        "payload_too_large",
    );
    let over_batch = events(&vec![
        ("2026-11-20T08:00:00Z", "in_transit", None, "x");
        501
    ]);
    ctx.problem(
        &ctx.post(sk, &events_path, over_batch),
        400,
        "invalid_batch",
    );
    ctx.problem(
        &ctx.post(
            sk,
            &events_path,
            events(&[("yesterday", "in_transit", None, "x")]),
        ),
        400,
        "invalid_time",
    );
    let no_offset = ctx.problem(
        &ctx.post(
            sk,
            &events_path,
            events(&[("2026-11-20T08:00:00", "in_transit", None, "x")]),
        ),
        400,
        "time_without_offset",
    );
    assert!(no_offset.detail.starts_with("events[0]"));
    ctx.problem(
        &ctx.post(
            sk,
            &events_path,
            events(&[("2026-11-20T08:00:00Z", "delivered", Some("lost"), "x")]),
        ),
        400,
        "sub_status_mismatch",
    );
    let long = "1".repeat(65);
    ctx.problem(
        &ctx.track(&shop.publishable_key, &long),
        400,
        "number_too_long",
    );
    ctx.problem(
        &ctx.put(sk, &format!("/v1/shipments/{long}"), json!({})),
        400,
        "number_too_long",
    );
    // Dot segments are resolved by URL parsing before routing: they never reach a handler.
    ctx.problem(&ctx.track(&shop.publishable_key, "%2e%2e"), 404, "no_route");
    for traversal in [
        "..%2F..%2Fetc%2Fpasswd",
        "%3Cscript%3E",
        "1%27%20OR%201%3D1",
    ] {
        ctx.problem(
            &ctx.track(&shop.publishable_key, traversal),
            400,
            "invalid_tracking_number",
        );
    }
    ctx.problem(
        &ctx.put(sk, "/v1/orders/..%2Fx", json!({ "status": "pending" })),
        400,
        "invalid_order_number",
    );
    ctx.problem(
        &ctx.put(sk, "/v1/orders/..", json!({ "status": "pending" })),
        404,
        "no_route",
    );
    ctx.problem(
        &ctx.put(
            sk,
            "/v1/orders/1%3B%20DROP%20TABLE%20orders",
            json!({ "status": "pending" }),
        ),
        400,
        "invalid_order_number",
    );
    ctx.problem(
        &ctx.put(
            sk,
            &format!("/v1/shipments/{UPS}"),
            json!({ "destination": { "street": "1 Main St" } }),
        ),
        400,
        "invalid_json",
    );
    let text = ctx
        .client
        .post(&events_path)
        .bearer(sk)
        .raw("text/plain", b"hello".to_vec())
        .send()
        .unwrap();
    ctx.problem(&text, 415, "unsupported_media_type");
    ctx.problem(
        &ctx.client
            .delete(&format!("/v1/track/{UPS}"))
            .send()
            .unwrap(),
        405,
        "method_not_allowed",
    );
    ctx.problem(&ctx.get("/v2/nothing"), 404, "no_route");
    let bad_list = ctx
        .client
        .get("/v1/shipments?health=sleepy")
        .bearer(sk)
        .send()
        .unwrap();
    ctx.problem(&bad_list, 400, "invalid_query");
    assert_eq!(
        ctx.track(&shop.publishable_key, UPS).text(),
        before,
        "stored data unchanged by rejected requests"
    );

    // Emoji and SQL in every text field are kept as text, exactly.
    let nasty = "📦 Robert'); DROP TABLE events;-- «ü» <b>x</b>";
    let stored = ctx.post(sk, &events_path, json!({ "events": [{ "time": "2026-11-21T09:00:00+01:00", "status": "in_transit", "description": nasty, "carrier_code": "😀';--", "location": { "city": nasty, "region": nasty, "country": "DE" } }] }));
    assert_eq!(stored.status, 200, "{}", stored.text());
    let order = ctx.put(sk, "/v1/orders/emoji-1", json!({ "status": "pending", "customer": { "name": nasty, "email": "e@example.com", "phone": "+1 555 010 0100" } }));
    assert_eq!(order.status, 200, "{}", order.text());
    // A phone that is not one cannot be texted: refused, not kept.
    let phone = ctx.put(
        sk,
        "/v1/orders/emoji-2",
        json!({ "status": "pending", "customer": { "name": nasty, "phone": "+1 555 😀');--" } }),
    );
    ctx.problem(&phone, 400, "invalid_phone");
    let view: TrackingView = ctx.track(&shop.publishable_key, UPS).parse();
    let newest = &view.events[0];
    assert_eq!(newest.description, nasty);
    assert_eq!(
        newest.location.as_ref().unwrap().city.as_deref(),
        Some(nasty)
    );
    assert_eq!(newest.carrier_code.as_deref(), Some("😀';--"));
    assert_eq!(
        view.events.len(),
        4,
        "the earlier events are all still there"
    );
}

fn cors_answers_allowed_origins_only(ctx: &Ctx) {
    let shop = ctx.shop();
    let path = format!("/v1/track/{UPS}?key={}", shop.publishable_key);
    let allowed = ctx
        .client
        .get(&path)
        .header("Origin", ORIGIN)
        .send()
        .unwrap();
    assert_eq!(allowed.header("access-control-allow-origin"), Some(ORIGIN));
    assert!(
        allowed
            .header("vary")
            .unwrap_or_default()
            .contains("Origin")
    );
    let other = ctx
        .client
        .get(&path)
        .header("Origin", "https://evil.example")
        .send()
        .unwrap();
    assert_eq!(other.header("access-control-allow-origin"), None);
    let preflight = ctx
        .client
        .options(&path)
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "GET")
        .send()
        .unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    assert!(
        preflight
            .header("access-control-allow-methods")
            .unwrap()
            .contains("GET")
    );
    assert!(
        preflight
            .header("access-control-allow-headers")
            .unwrap()
            .contains("If-None-Match")
    );
    let refused = ctx
        .client
        .options(&path)
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .unwrap();
    ctx.problem(&refused, 403, "forbidden");
    assert_eq!(refused.header("access-control-allow-origin"), None);
    let private = ctx
        .client
        .get("/v1/shipments")
        .bearer(&shop.secret_key)
        .header("Origin", ORIGIN)
        .send()
        .unwrap();
    assert_eq!(private.status, 200);
    assert_eq!(
        private.header("access-control-allow-origin"),
        None,
        "private endpoints answer no browser"
    );
}

/// A page can never send a secret-key or admin request: private and admin paths answer no
/// preflight and carry no CORS header on any answer, 405s included; a path with both kinds offers
/// browsers its public method only. Every 405 says what the path answers in `Allow`.
fn private_and_admin_routes_are_closed_to_browsers(ctx: &Ctx) {
    let shop = ctx.shop();
    let key = &shop.publishable_key;
    // Each path, a method a browser might ask for, and every method the path answers.
    for (path, method, allow) in [
        (
            format!("/v1/shipments/{UPS}/events?key={key}"),
            "POST",
            "POST",
        ),
        (format!("/v1/shipments/{UPS}?key={key}"), "PUT", "GET, PUT"),
        (format!("/v1/shipments?key={key}"), "GET", "GET"),
        (format!("/v1/admin/shops?key={key}"), "POST", "POST"),
        (
            format!("/v1/admin/shops/{}/keys?key={key}", shop.shop_id),
            "POST",
            "POST",
        ),
    ] {
        let preflight = ctx
            .client
            .options(&path)
            .header("Origin", ORIGIN)
            .header("Access-Control-Request-Method", method)
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .send()
            .unwrap();
        ctx.problem(&preflight, 405, "method_not_allowed");
        assert_eq!(preflight.header("allow"), Some(allow), "{path}");
        for header in [
            "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-allow-headers",
        ] {
            assert_eq!(preflight.header(header), None, "{header} on {path}");
        }
    }
    let mixed = ctx
        .client
        .options(&format!("/v1/orders/1042?key={key}"))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "PUT")
        .send()
        .unwrap();
    assert_eq!(mixed.status, 204);
    assert_eq!(mixed.header("access-control-allow-methods"), Some("GET"));

    let wrong_method = ctx
        .client
        .delete("/v1/shipments")
        .bearer(&shop.secret_key)
        .header("Origin", ORIGIN)
        .send()
        .unwrap();
    ctx.problem(&wrong_method, 405, "method_not_allowed");
    assert_eq!(wrong_method.header("allow"), Some("GET"));
    assert_eq!(wrong_method.header("access-control-allow-origin"), None);
    let public_wrong_method = ctx
        .client
        .delete(&format!("/v1/track/{UPS}?key={key}"))
        .header("Origin", ORIGIN)
        .send()
        .unwrap();
    ctx.problem(&public_wrong_method, 405, "method_not_allowed");
    assert_eq!(public_wrong_method.header("allow"), Some("GET, OPTIONS"));
}

/// Bodies are JSON objects, text never carries bidirectional overrides to a customer, and plain
/// http origins are for local development only; what is refused writes nothing.
fn input_is_held_to_its_documented_shape(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let array = ctx.put(sk, &format!("/v1/shipments/{UPS}"), json!(["X"]));
    ctx.problem(&array, 400, "invalid_json");
    for nested in [
        json!({ "destination": ["Chicago", "IL", "60601", "US"] }),
        json!({ "eta": ["2026-12-01", "2026-12-03", "carrier"] }),
    ] {
        let reply = ctx.put(sk, &format!("/v1/shipments/{UPS}"), nested);
        ctx.problem(&reply, 400, "invalid_json");
    }
    let customer = json!({ "status": "pending", "customer": ["Ana", "ana@example.com", null] });
    ctx.problem(
        &ctx.put(sk, "/v1/orders/1003", customer),
        400,
        "invalid_json",
    );
    let as_list = json!({ "events": [["2026-11-20T14:05:00-05:00", null, "in_transit", null, "Arrived", null, null]] });
    ctx.problem(
        &ctx.post(sk, &format!("/v1/shipments/{UPS}/events"), as_list),
        400,
        "invalid_json",
    );
    for method in ["QUERY", "PROPFIND", "PURGE"] {
        let bearer = format!("Bearer {sk}");
        let odd = ctx
            .client
            .send_raw(method, "/v1/shipments", &[("Authorization", &bearer)])
            .unwrap();
        assert_eq!(odd.status, 405, "{method}: {}", odd.text());
        assert_eq!(odd.header("allow"), Some("GET"), "{method}");
    }
    ctx.problem(
        &ctx.track(&shop.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
    let spoofed = [(
        "2026-11-20T08:00:00-05:00",
        "in_transit",
        None,
        "Arrived\u{202E}gnp.exe",
    )];
    ctx.problem(
        &ctx.post(sk, &format!("/v1/shipments/{UPS}/events"), events(&spoofed)),
        400,
        "invalid_field",
    );
    let mut isolate = events(&[("2026-11-20T08:00:00-05:00", "in_transit", None, "Arrived")]);
    isolate["events"][0]["location"]["city"] = json!("Mem\u{2067}phis");
    ctx.problem(
        &ctx.post(sk, &format!("/v1/shipments/{UPS}/events"), isolate),
        400,
        "invalid_field",
    );
    ctx.problem(
        &ctx.track(&shop.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
    let shop_with = |origin: &str| {
        ctx.client
            .post("/v1/admin/shops")
            .bearer(&ctx.admin)
            .json(&json!({ "name": "Origins", "allowed_origins": [origin], "transit_days": { "min_days": 3, "max_days": 9 } }))
            .send()
            .unwrap()
    };
    ctx.problem(&shop_with("http://shop.example"), 400, "invalid_origin");
    ctx.conforms(&shop_with("http://localhost:3000"), 201, "ShopCreated");
}

/// Writers racing on one number lose nothing: a registration (order, destination) and seven
/// overlapping pushes at once, twenty times over. Every field survives, the shop's list agrees with
/// the tracking view, and the pushes' `stored` counts add up to the events stored.
fn concurrent_writers_lose_nothing(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let scan = |i: usize| {
        let status = if i == 6 {
            "out_for_delivery"
        } else {
            "in_transit"
        };
        (
            format!("2026-11-1{i}T08:00:00Z"),
            status,
            format!("Scan {i}"),
        )
    };
    for round in 0..20 {
        let number = format!("WPRACE{round:04}");
        let order = format!("R{round}");
        let (registered, pushed) = std::thread::scope(|scope| {
            let register = scope.spawn(|| {
                let body = json!({ "order_number": order, "destination": { "city": "Lyon", "country": "FR" } });
                ctx.put(sk, &format!("/v1/shipments/{number}"), body)
            });
            let pushes: Vec<_> = (0..7)
                .map(|i| {
                    let number = &number;
                    scope.spawn(move || {
                        let batch: Vec<(String, &str, String)> = vec![scan(i), scan((i + 1) % 7)];
                        let items: Vec<(&str, &str, Option<&str>, &str)> = batch
                            .iter()
                            .map(|(time, status, text)| {
                                (time.as_str(), *status, None, text.as_str())
                            })
                            .collect();
                        ctx.post(
                            sk,
                            &format!("/v1/shipments/{number}/events"),
                            events(&items),
                        )
                    })
                })
                .collect();
            let pushed: Vec<Reply> = pushes.into_iter().map(|p| p.join().unwrap()).collect();
            (register.join().unwrap(), pushed)
        });
        assert_eq!(registered.status, 200, "{}", registered.text());
        let mut stored = 0;
        for reply in &pushed {
            assert_eq!(reply.status, 200, "{}", reply.text());
            stored += reply.parse::<EventBatchResult>().stored;
        }
        assert_eq!(
            stored, 7,
            "round {round}: stored counts add up to the distinct events"
        );
        let view: TrackingView = ctx.track(&shop.publishable_key, &number).parse();
        assert_eq!(view.events.len(), 7, "round {round}");
        assert_eq!(view.status, Status::OutForDelivery, "round {round}");
        assert_eq!(
            view.order_reference.as_deref(),
            Some(order.as_str()),
            "round {round}"
        );
        assert_eq!(
            view.destination.and_then(|d| d.city).as_deref(),
            Some("Lyon"),
            "round {round}"
        );
        let list: ShipmentList = ctx
            .client
            .get("/v1/shipments?limit=100")
            .bearer(sk)
            .send()
            .unwrap()
            .parse();
        let row = list
            .shipments
            .iter()
            .find(|row| row.tracking_number == number)
            .unwrap_or_else(|| panic!("round {round}: {number} listed"));
        assert_eq!(
            row.order_number.as_deref(),
            Some(order.as_str()),
            "round {round}"
        );
        assert_eq!(
            (row.status, row.sub_status),
            (view.status, view.sub_status),
            "round {round}"
        );
        assert_eq!(
            row.last_event_at.map(|at| at.to_rfc3339()),
            Some("2026-11-16T08:00:00+00:00".to_owned()),
            "round {round}: the list's last event is the view's newest"
        );
    }
}

/// A customer's personal data is exported and erased on request, and erased by the cron once the
/// shop's retention period after the parcels' final status has passed; tracking goes on.
fn personal_data_is_exported_erased_and_expired(ctx: &Ctx) {
    let shop = ctx.shop_with(json!({ "name": "Keeps 30 days", "retention_days": 30 }));
    let sk = &shop.secret_key;
    let order = |number: &str, email: &str| {
        let body = json!({ "status": "pending", "customer": { "name": "Ana Secret", "email": email, "phone": "+1 555 010 0100" }, "postal_code": "10001" });
        assert_eq!(
            ctx.put(sk, &format!("/v1/orders/{number}"), body).status,
            200
        );
    };
    order("2001", "ana@example.com");
    order("2002", "bo@example.com");
    order("2003", "cy@example.com");
    for (number, order_number) in [
        ("WPGDPR1", "2001"),
        ("WPGDPR2", "2002"),
        ("WPGDPR3", "2003"),
    ] {
        let body = json!({ "order_number": order_number, "destination": { "city": "New York", "postal_code": "10001", "country": "US" } });
        assert_eq!(
            ctx.put(sk, &format!("/v1/shipments/{number}"), body).status,
            200
        );
    }
    let customers = |method: &str, email: &str| {
        let path = format!("/v1/customers?email={email}");
        let call = if method == "GET" {
            ctx.client.get(&path)
        } else {
            ctx.client.delete(&path)
        };
        call.bearer(sk).send().unwrap()
    };
    let export = customers("GET", "Ana@Example.com");
    ctx.conforms(&export, 200, "CustomerExport");
    let text = export.text();
    for held in ["2001", "Ana Secret", "+1 555 010 0100", "10001", "WPGDPR1"] {
        assert!(text.contains(held), "{held} exported: {text}");
    }
    assert!(
        !text.contains("WPGDPR2"),
        "another customer's parcel: {text}"
    );

    let erased = customers("DELETE", "ana@example.com");
    ctx.conforms(&erased, 200, "CustomerErased");
    assert_eq!(erased.json(), json!({ "orders": 1, "shipments": 1 }));
    let after = customers("GET", "ana@example.com");
    assert_eq!(after.json()["orders"], json!([]));
    assert_eq!(
        ctx.track(&shop.publishable_key, "WPGDPR1").status,
        200,
        "still trackable"
    );
    ctx.problem(
        &ctx.get(&format!(
            "/v1/orders/2001?key={}&email=ana@example.com",
            shop.publishable_key
        )),
        404,
        "order_not_found",
    );
    ctx.problem(&customers("GET", "not-an-email"), 400, "invalid_field");

    // Delivered 40 days ago: past the 30 days the shop keeps. Delivered 10 days ago, or still
    // moving: kept.
    let days_ago = |days: i64| {
        (chrono::Utc::now() - chrono::TimeDelta::days(days))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let (long_ago, recently) = (days_ago(40), days_ago(10));
    ctx.post(
        sk,
        "/v1/shipments/WPGDPR2/events",
        events(&[(long_ago.as_str(), "delivered", None, "Delivered")]),
    );
    ctx.post(
        sk,
        "/v1/shipments/WPGDPR3/events",
        events(&[(recently.as_str(), "delivered", None, "Delivered")]),
    );
    ctx.client.run_cron();
    assert_eq!(
        customers("GET", "bo@example.com").json()["orders"],
        json!([]),
        "expired"
    );
    let kept = customers("GET", "cy@example.com").json();
    assert_eq!(
        kept["orders"][0]["shipments"][0]["postal_code"],
        json!("10001"),
        "kept: {kept}"
    );
    assert_eq!(
        ctx.track(&shop.publishable_key, "WPGDPR2").status,
        200,
        "still trackable"
    );
}

/// A shop keeps a parcel for its `history_days` after the parcel's final status: then the Cron
/// Trigger deletes it with its events, and its order once no parcel of it is left. Open parcels,
/// and those that ended more recently, stay.
fn ended_shipments_go_after_the_shop_keeps_them(ctx: &Ctx) {
    let shop = ctx.shop_with(json!({ "name": "Keeps 20 days", "history_days": 20 }));
    let (sk, pk) = (&shop.secret_key, &shop.publishable_key);
    let order = json!({ "status": "pending", "customer": { "email": "dee@example.com" } });
    assert_eq!(ctx.put(sk, "/v1/orders/3001", order).status, 200);
    let days_ago = |days: i64| {
        (chrono::Utc::now() - chrono::TimeDelta::days(days))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    for (number, days, status) in [
        ("WPOLD1", 30, "delivered"),
        ("WPNEW1", 10, "delivered"),
        ("WPOPEN1", 40, "in_transit"),
    ] {
        let body = json!({ "order_number": (number == "WPOLD1").then_some("3001") });
        assert_eq!(
            ctx.put(sk, &format!("/v1/shipments/{number}"), body).status,
            200
        );
        let time = days_ago(days);
        let pushed = ctx.post(
            sk,
            &format!("/v1/shipments/{number}/events"),
            events(&[(time.as_str(), status, None, "Scan")]),
        );
        assert_eq!(pushed.status, 200, "{}", pushed.text());
    }
    let total = || -> u64 {
        let reply = ctx
            .client
            .get("/v1/shipments/counts")
            .bearer(sk)
            .send()
            .unwrap();
        reply.parse::<ShipmentCounts>().total
    };
    assert_eq!(total(), 3);
    ctx.client.run_cron();
    ctx.problem(&ctx.track(pk, "WPOLD1"), 404, "tracking_not_found");
    ctx.problem(
        &ctx.get(&format!("/v1/orders/3001?key={pk}&email=dee@example.com")),
        404,
        "order_not_found",
    );
    for kept in ["WPNEW1", "WPOPEN1"] {
        assert_eq!(ctx.track(pk, kept).status, 200, "{kept} is kept");
    }
    assert_eq!(total(), 2, "the counts follow");
    let listed = ctx.client.get("/v1/shipments").bearer(sk).send().unwrap();
    let numbers: Vec<String> = listed
        .parse::<ShipmentList>()
        .shipments
        .into_iter()
        .map(|s| s.tracking_number)
        .collect();
    assert_eq!(numbers, ["WPNEW1", "WPOPEN1"]);
}

/// One seeded parcel of the needs-attention mix: number, scope, service, carrier ETA's last day
/// (days from today), days since it was shipped, and its one event (days ago, status, sub-status).
type Parcel = (
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<(f64, &'static str, Option<&'static str>)>,
);

/// Every health, every kind of status, old and new events, domestic and international: each
/// twice, so every list has more than one page of two.
const ATTENTION_MIX: [Parcel; 18] = [
    (
        "WPA01",
        "domestic",
        "express",
        None,
        None,
        Some((1.0, "in_transit", None)),
    ),
    (
        "WPA02",
        "domestic",
        "express",
        None,
        None,
        Some((3.0, "in_transit", None)),
    ),
    (
        "WPA03",
        "international",
        "postal",
        None,
        None,
        Some((10.0, "in_transit", None)),
    ),
    (
        "WPA04",
        "international",
        "postal",
        None,
        None,
        Some((20.0, "in_transit", None)),
    ),
    (
        "WPA05",
        "international",
        "standard",
        None,
        None,
        Some((8.0, "in_transit", Some("customs_processing"))),
    ),
    (
        "WPA06",
        "domestic",
        "standard",
        None,
        None,
        Some((2.0, "delivered", None)),
    ),
    (
        "WPA07",
        "domestic",
        "standard",
        None,
        None,
        Some((1.0, "attempt_failed", Some("invalid_address"))),
    ),
    (
        "WPA08",
        "domestic",
        "standard",
        None,
        None,
        Some((10.0, "available_for_pickup", None)),
    ),
    (
        "WPA09",
        "domestic",
        "express",
        None,
        None,
        Some((2.0, "out_for_delivery", None)),
    ),
    (
        "WPA10",
        "domestic",
        "standard",
        Some(-5),
        None,
        Some((1.0, "in_transit", None)),
    ),
    (
        "WPA11",
        "domestic",
        "standard",
        None,
        Some(30),
        Some((1.0, "in_transit", None)),
    ),
    (
        "WPA12",
        "domestic",
        "standard",
        Some(-3),
        None,
        Some((10.0, "in_transit", None)),
    ),
    ("WPA13", "domestic", "standard", None, None, None),
    (
        "WPA14",
        "domestic",
        "standard",
        None,
        None,
        Some((1.0, "exception", Some("cancelled"))),
    ),
    (
        "WPA15",
        "international",
        "express",
        None,
        None,
        Some((1.0, "exception", Some("held"))),
    ),
    (
        "WPA16",
        "international",
        "standard",
        None,
        None,
        Some((6.0, "pending", None)),
    ),
    (
        "WPA17",
        "domestic",
        "standard",
        None,
        None,
        Some((4.0, "info_received", None)),
    ),
    (
        "WPA18",
        "international",
        "postal",
        Some(20),
        Some(2),
        Some((0.5, "in_transit", None)),
    ),
];

/// The needs-attention lists and counts read stored schedules by index; they must say what a
/// recomputation over every shipment says (each shipment's own tracking view, assessed at the
/// time of asking), page through every match once, follow time with no write, and follow a new
/// event.
fn needs_attention_equals_every_shipment_assessed(ctx: &Ctx) {
    let shop = ctx.shop();
    let (sk, pk) = (&shop.secret_key, &shop.publishable_key);
    let now = chrono::Utc::now();
    let mut numbers = Vec::new();
    for copy in ["A", "B"] {
        for (number, scope, service, eta_days, shipped_days, event) in ATTENTION_MIX {
            let number = format!("{number}{copy}");
            let today = now.date_naive();
            let mut body = json!({ "scope": scope, "service_level": service });
            if let Some(days) = eta_days {
                let last = today + chrono::TimeDelta::days(days);
                body["eta"] = json!({ "from": (last - chrono::TimeDelta::days(2)).to_string(), "to": last.to_string(), "source": "carrier" });
            }
            if let Some(days) = shipped_days {
                body["shipped_on"] = json!((today - chrono::TimeDelta::days(days)).to_string());
            }
            let put = ctx.put(sk, &format!("/v1/shipments/{number}"), body);
            assert_eq!(put.status, 200, "{}", put.text());
            if let Some((days_ago, status, sub)) = event {
                let at = now - chrono::TimeDelta::minutes((days_ago * 24.0 * 60.0) as i64);
                let time = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                let pushed = ctx.post(
                    sk,
                    &format!("/v1/shipments/{number}/events"),
                    events(&[(&time, status, sub, "Scan")]),
                );
                assert_eq!(pushed.status, 200, "{}", pushed.text());
            }
            numbers.push(number);
        }
    }
    let assessed = || -> Vec<(String, TrackingView)> {
        numbers
            .iter()
            .map(|number| {
                let reply = ctx.track(pk, number);
                assert_eq!(reply.status, 200, "{}", reply.text());
                (number.clone(), reply.parse())
            })
            .collect()
    };
    let list = |health: &str, limit: usize| -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/shipments?health={health}&limit={limit}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let reply = ctx.client.get(&path).bearer(sk).send().unwrap();
            ctx.conforms(&reply, 200, "ShipmentList");
            let page: ShipmentList = reply.parse();
            assert!(page.shipments.iter().all(|s| s.health.as_str() == health));
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
    let counts = || -> ShipmentCounts {
        let reply = ctx
            .client
            .get("/v1/shipments/counts")
            .bearer(sk)
            .send()
            .unwrap();
        ctx.conforms(&reply, 200, "ShipmentCounts");
        reply.parse()
    };
    let agree = |when: &str| {
        let views = assessed();
        let counted = counts();
        assert_eq!(counted.total, numbers.len() as u64);
        for health in Health::ALL {
            let mut wanted: Vec<&str> = views
                .iter()
                .filter(|(_, view)| view.health == health)
                .map(|(number, _)| number.as_str())
                .collect();
            let pages = list(health.as_str(), 2);
            let (last, full) = pages.split_last().unwrap();
            assert!(
                full.iter().all(|page| page.len() == 2),
                "{when}: {health:?} pages {pages:?}"
            );
            assert!(
                !last.is_empty() || full.is_empty(),
                "{when}: {health:?} ends with an empty page"
            );
            let mut listed: Vec<&str> = pages.iter().flatten().map(String::as_str).collect();
            listed.sort_unstable();
            wanted.sort_unstable();
            assert_eq!(listed, wanted, "{when}: the {health:?} list");
            assert_eq!(
                counted.by_health.of(health),
                wanted.len() as u64,
                "{when}: the {health:?} count"
            );
        }
        for line in &counted.by_status {
            let with_status = views
                .iter()
                .filter(|(_, view)| view.status == line.status)
                .count();
            assert_eq!(
                line.shipments, with_status as u64,
                "{when}: {:?}",
                line.status
            );
        }
        views
    };
    let views = agree("as seeded");
    for health in Health::ALL {
        assert!(
            views
                .iter()
                .filter(|(_, view)| view.health == health)
                .count()
                >= 2,
            "the mix holds two {health:?}"
        );
    }
    // The cron's upkeep (clearing stalls overtaken by lateness) changes no answer.
    ctx.client.run_cron();
    agree("after the cron");

    // Time passes with no write: in transit, domestic express, quiet for two days less 10 s
    // (counted from here, however long the steps above took on a loaded machine).
    let quiet = chrono::Utc::now() - chrono::TimeDelta::days(2) + chrono::TimeDelta::seconds(10);
    let time = quiet.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let put = ctx.put(
        sk,
        "/v1/shipments/WPQUIET",
        json!({ "scope": "domestic", "service_level": "express" }),
    );
    assert_eq!(put.status, 200);
    let pushed = ctx.post(
        sk,
        "/v1/shipments/WPQUIET/events",
        events(&[(&time, "in_transit", None, "Departed")]),
    );
    assert_eq!(pushed.status, 200);
    let stalled = || list("stalled", 100).concat();
    assert!(
        !stalled().contains(&"WPQUIET".to_owned()),
        "quiet for less than two days"
    );
    let before = counts().by_health.stalled;
    let waited = quiet + chrono::TimeDelta::days(2) + chrono::TimeDelta::seconds(1);
    while chrono::Utc::now() <= waited {
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert!(
        stalled().contains(&"WPQUIET".to_owned()),
        "quiet past two days: stalled"
    );
    assert_eq!(counts().by_health.stalled, before + 1);

    // A new event: it leaves the list and the count.
    let fresh = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let pushed = ctx.post(
        sk,
        "/v1/shipments/WPQUIET/events",
        events(&[(&fresh, "in_transit", None, "Arrived")]),
    );
    assert_eq!(pushed.status, 200);
    assert!(
        !stalled().contains(&"WPQUIET".to_owned()),
        "news again: not stalled"
    );
    assert_eq!(counts().by_health.stalled, before);

    // A cursor is for its own list.
    let first = ctx
        .client
        .get("/v1/shipments?health=late&limit=1")
        .bearer(sk)
        .send()
        .unwrap();
    let cursor = first
        .parse::<ShipmentList>()
        .next_cursor
        .expect("two late at least");
    let elsewhere = ctx
        .client
        .get(&format!("/v1/shipments?health=done&cursor={cursor}"))
        .bearer(sk)
        .send()
        .unwrap();
    ctx.problem(&elsewhere, 400, "invalid_query");
}

fn public_answers_carry_no_personal_data(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let (name, email, phone, postal) = (
        "Ximena Quirke",
        "ximena.quirke@example.com",
        "+1 555 0199",
        "94107",
    );
    ctx.put(sk, "/v1/orders/9001", json!({ "status": "pending", "customer": { "name": name, "email": email, "phone": phone }, "postal_code": postal }));
    ctx.put(sk, &format!("/v1/shipments/{UPS}"), json!({ "order_number": "9001", "destination": { "city": "San Francisco", "postal_code": postal, "country": "US" } }));
    ctx.post(sk, &format!("/v1/shipments/{UPS}/events"), three_events());
    let pk = &shop.publishable_key;
    let bodies = [
        ctx.track(pk, UPS).text(),
        ctx.get(&format!("/v1/orders/9001?key={pk}&email={email}"))
            .text(),
        ctx.get(&format!("/v1/orders/9001?key={pk}&postal_code={postal}"))
            .text(),
        ctx.get(&format!("/v1/orders/9001?key={pk}&email=wrong@example.com"))
            .text(),
        ctx.track(pk, "RR123456785CN").text(),
        ctx.client
            .post(&format!("/v1/detect?key={pk}"))
            .json(&json!({ "numbers": [UPS] }))
            .send()
            .unwrap()
            .text(),
    ];
    assert!(
        bodies[1].contains("San Francisco"),
        "the order view does answer"
    );
    for body in &bodies {
        for private in [name, "Ximena", email, phone, "0199", postal] {
            assert!(
                !body.contains(private),
                "{private:?} appears in a public answer: {body}"
            );
        }
    }
}

fn wrong_email_answers_like_unknown_order(ctx: &Ctx) {
    let shop = ctx.shop();
    ctx.put(&shop.secret_key, "/v1/orders/3001", json!({ "status": "pending", "sub_status": "awaiting_stock", "customer": { "email": "real@example.com" } }));
    let pk = &shop.publishable_key;
    let right = ctx.get(&format!("/v1/orders/3001?key={pk}&email=real@example.com"));
    ctx.conforms(&right, 200, "OrderView");
    assert_eq!(
        right.parse::<OrderView>().sub_status.map(|s| s.as_str()),
        Some("awaiting_stock")
    );
    let wrong = ctx.get(&format!("/v1/orders/3001?key={pk}&email=guess@example.com"));
    let unknown = ctx.get(&format!("/v1/orders/3999?key={pk}&email=real@example.com"));
    assert_eq!(
        (wrong.status, wrong.text()),
        (unknown.status, unknown.text())
    );
    ctx.problem(&wrong, 404, "order_not_found");
}

fn flood_is_rate_limited_with_retry_after(ctx: &Ctx) {
    let shop = ctx.shop();
    let path = format!("/v1/track/{UPS}?key={}", shop.publishable_key);
    let mut statuses = Vec::new();
    // Two fixed 10-second windows at most: 300 requests put over 120 in one of them.
    for _ in 0..300 {
        statuses.push(ctx.get(&path));
    }
    assert!(
        statuses.iter().all(|r| r.status < 500),
        "no 5xx under a flood"
    );
    let limited = statuses
        .iter()
        .find(|r| r.status == 429)
        .expect("the flood is limited");
    ctx.problem(limited, 429, "rate_limited");
    assert!(
        limited
            .header("retry-after")
            .is_some_and(|s| s.parse::<u32>().is_ok())
    );
    assert!(statuses[0].header("ratelimit-policy").is_some());
}

fn demo_seed_shows_every_state(ctx: &Ctx) {
    let seeded = demo::seed(&ctx.client, &ctx.admin, &[]).expect("demo seeding");
    let expected = [
        "in_transit",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "available_for_pickup",
        "attempt_failed",
        "exception",
        "in_transit",
    ];
    for ((label, number), status) in seeded.shipments.iter().zip(expected) {
        let view: TrackingView = ctx.track(&seeded.shop.publishable_key, number).parse();
        assert_eq!(view.status.as_str(), status, "{label}");
    }
    let stalled: TrackingView = ctx
        .track(&seeded.shop.publishable_key, "287809468872")
        .parse();
    assert_eq!(stalled.health, waypost_shared::health::Health::Stalled);
    let split = ctx.get(&format!(
        "/v1/orders/1002?key={}&email=sam@example.com",
        seeded.shop.publishable_key
    ));
    assert_eq!(split.parse::<OrderView>().shipments.len(), 2);
    // The sample webhook `cargo xtask dev` prints is signed right and registers its parcel.
    let sample = &seeded.sample_webhook;
    let path = sample
        .url
        .split_once("/v1/")
        .map(|(_, p)| format!("/v1/{p}"))
        .unwrap();
    let mut call = ctx.client.post(&path);
    for (name, value) in &sample.headers {
        call = call.header(name, value);
    }
    let reply = call
        .raw("application/json", sample.body.clone().into_bytes())
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let (number, order) = demo::SAMPLE_FULFILLMENT;
    let view: TrackingView = ctx.track(&seeded.shop.publishable_key, number).parse();
    assert_eq!(view.order_reference.as_deref(), Some(order));
}

/// The public answer cache (#10): a repeated look-up is a 304 for the ETag it gave; every kind of
/// write is in the very next look-up in every language; two shops with the same number never see
/// each other's answer however warm both are; a revoked key is refused at once.
fn cached_answers_follow_every_write(ctx: &Ctx) {
    let (a, b) = (ctx.shop(), ctx.shop());
    ctx.put(
        &a.secret_key,
        &format!("/v1/shipments/{UPS}"),
        json!({ "order_number": "8001" }),
    );
    ctx.post(
        &a.secret_key,
        &format!("/v1/shipments/{UPS}/events"),
        events(&[("2026-11-20T08:00:00-05:00", "in_transit", None, "A first")]),
    );
    ctx.post(
        &b.secret_key,
        &format!("/v1/shipments/{UPS}/events"),
        events(&[("2026-11-20T09:00:00-05:00", "in_transit", None, "B only")]),
    );
    let look = |key: &str, lang: &str, etag: Option<&str>| {
        let mut call = ctx
            .client
            .get(&format!("/v1/track/{UPS}?key={key}&lang={lang}"))
            .header("CF-Connecting-IP", &ctx.ip());
        if let Some(etag) = etag {
            call = call.header("If-None-Match", etag);
        }
        call.send().unwrap()
    };
    let texts = |reply: &Reply| -> Vec<String> {
        assert_eq!(reply.status, 200, "{}", reply.text());
        let view: TrackingView = reply.parse();
        view.events.into_iter().map(|e| e.description).collect()
    };
    let langs = ["en", "es", "fr", "de"];
    let mut etags = Vec::new();
    for lang in langs {
        let first = look(&a.publishable_key, lang, None);
        assert_eq!(texts(&first), ["A first"], "{lang}");
        let etag = first.header("etag").expect("an ETag").to_owned();
        let again = look(&a.publishable_key, lang, Some(&etag));
        assert_eq!(again.status, 304, "{lang}: the same answer is a 304");
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        assert!(again.text().is_empty(), "a 304 has no body");
        etags.push(etag);
    }
    assert_eq!(texts(&look(&b.publishable_key, "en", None)), ["B only"]);

    // Pushed events: the next look-up in every language has them, with a new ETag.
    ctx.post(
        &a.secret_key,
        &format!("/v1/shipments/{UPS}/events"),
        events(&[(
            "2026-11-21T08:00:00-05:00",
            "out_for_delivery",
            None,
            "A second",
        )]),
    );
    for (lang, old) in langs.iter().zip(&etags) {
        let next = look(&a.publishable_key, lang, Some(old));
        assert_eq!(texts(&next), ["A second", "A first"], "{lang}");
        assert_ne!(next.header("etag"), Some(old.as_str()));
    }
    assert_eq!(
        texts(&look(&b.publishable_key, "en", None)),
        ["B only"],
        "shop B's answer is its own, warm or not"
    );

    // The shipment and its order, updated: in the next look-up too.
    ctx.put(
        &a.secret_key,
        &format!("/v1/shipments/{UPS}"),
        json!({ "order_number": "8002" }),
    );
    let view: TrackingView = look(&a.publishable_key, "es", None).parse();
    assert_eq!(view.order_reference.as_deref(), Some("8002"));
    let reply = ctx.put(
        &a.secret_key,
        "/v1/orders/8002",
        json!({ "status": "in_transit", "promised_delivery": { "from": "2026-12-20", "to": "2026-12-22", "source": "promised" } }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let view: TrackingView = look(&a.publishable_key, "es", None).parse();
    let eta = view.eta.expect("the promised window");
    assert_eq!(eta.from.to_string(), "2026-12-20", "{eta:?}");

    // A revoked publishable key: refused at once, even with its answers warm.
    let revoke = ctx.revoke(&a.shop_id, &a.publishable_key);
    assert_eq!(revoke.status, 204);
    ctx.problem(&look(&a.publishable_key, "en", None), 401, "unauthorized");
}

fn main() -> ExitCode {
    let core: [Test; 21] = [
        (
            "cached_answers_follow_every_write",
            cached_answers_follow_every_write,
        ),
        (
            "every_endpoint_answers_its_documented_shape",
            every_endpoint_answers_its_documented_shape,
        ),
        (
            "unknown_number_is_404_with_detection",
            unknown_number_is_404_with_detection,
        ),
        (
            "auth_matrix_refuses_and_writes_nothing",
            auth_matrix_refuses_and_writes_nothing,
        ),
        ("shops_are_isolated", shops_are_isolated),
        (
            "pushes_are_idempotent_and_order_free",
            pushes_are_idempotent_and_order_free,
        ),
        (
            "a_scan_restated_in_utc_is_stored_once",
            a_scan_restated_in_utc_is_stored_once,
        ),
        (
            "times_and_dates_that_cannot_be_kept_are_refused",
            times_and_dates_that_cannot_be_kept_are_refused,
        ),
        (
            "bad_input_gets_a_clear_4xx_and_changes_nothing",
            bad_input_gets_a_clear_4xx_and_changes_nothing,
        ),
        (
            "cors_answers_allowed_origins_only",
            cors_answers_allowed_origins_only,
        ),
        (
            "private_and_admin_routes_are_closed_to_browsers",
            private_and_admin_routes_are_closed_to_browsers,
        ),
        (
            "input_is_held_to_its_documented_shape",
            input_is_held_to_its_documented_shape,
        ),
        (
            "concurrent_writers_lose_nothing",
            concurrent_writers_lose_nothing,
        ),
        (
            "ended_shipments_go_after_the_shop_keeps_them",
            ended_shipments_go_after_the_shop_keeps_them,
        ),
        (
            "needs_attention_equals_every_shipment_assessed",
            needs_attention_equals_every_shipment_assessed,
        ),
        (
            "personal_data_is_exported_erased_and_expired",
            personal_data_is_exported_erased_and_expired,
        ),
        (
            "public_answers_carry_no_personal_data",
            public_answers_carry_no_personal_data,
        ),
        (
            "wrong_email_answers_like_unknown_order",
            wrong_email_answers_like_unknown_order,
        ),
        (
            "flood_is_rate_limited_with_retry_after",
            flood_is_rate_limited_with_retry_after,
        ),
        ("demo_seed_shows_every_state", demo_seed_shows_every_state),
        (
            "lists_and_parcels_come_in_their_documented_order",
            lists_and_parcels_come_in_their_documented_order,
        ),
    ];
    // The notifications tests wait on the queue: they get a Worker of their own, so the messages
    // the other tests cause are never queued ahead of theirs.
    let suites: [Vec<Test>; 2] = [
        core.iter()
            .chain(imports::TESTS)
            .chain(shipments_export::TESTS)
            .chain(webhooks::TESTS)
            .chain(console::TESTS)
            .chain(notification_settings::TESTS)
            .copied()
            .collect(),
        notifications::TESTS.to_vec(),
    ];
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let mut failed = Vec::new();
    for suite in suites {
        let chosen: Vec<Test> = suite
            .into_iter()
            .filter(|(name, _)| filter.as_deref().is_none_or(|f| name.contains(f)))
            .collect();
        if chosen.is_empty() {
            continue;
        }
        match run(&chosen) {
            Ok(failures) => failed.extend(failures),
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        }
    }
    if failed.is_empty() {
        println!("\nedge end-to-end: all passed");
        ExitCode::SUCCESS
    } else {
        eprintln!("\nfailed: {failed:?}");
        ExitCode::FAILURE
    }
}

/// Runs `tests` against a Worker and a catcher of their own; the names of those that failed
/// (with the end of the Worker's log printed when any did).
fn run(tests: &[Test]) -> Result<Vec<&'static str>, String> {
    let catcher =
        Catcher::start().map_err(|e| format!("could not start the notifications catcher: {e}"))?;
    let server = EdgeServer::start_for_tests_with(&catcher.worker_vars())
        .map_err(|e| format!("could not start the Worker: {e}"))?;
    let openapi = server
        .client()
        .get("/v1/openapi.json")
        .send()
        .map(|r| r.json())
        .map_err(|e| format!("the OpenAPI document: {e}"))?;
    let ctx = Ctx {
        client: server.client(),
        admin: server.admin_token.clone(),
        openapi,
        ips: AtomicU32::new(0),
        catcher,
    };
    println!(
        "\nrunning edge end-to-end tests against {}",
        server.base_url
    );
    let mut failed = Vec::new();
    for &(name, test) in tests {
        let outcome = catch_unwind(AssertUnwindSafe(|| test(&ctx)));
        println!(
            "test {name} ... {}",
            if outcome.is_ok() { "ok" } else { "FAILED" }
        );
        if outcome.is_err() {
            failed.push(name);
        }
    }
    if !failed.is_empty() {
        eprintln!("--- wrangler log (tail) ---\n{}", server.log_tail());
    }
    Ok(failed)
}
