//! The retailer console's sessions: a secret key exchanged for an HttpOnly, Secure,
//! SameSite=Strict cookie; the private routes read with the cookie alone, write only with the
//! session's CSRF token and from the Worker's own origin, and never reach another shop; signing
//! out (or revoking the key) ends the session; sign-ins are rate limited.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use waypost_shared::wire::{
    ConsoleSession, CustomerExport, ShipmentCounts, ShipmentList, ShopCreated,
};
use waypost_tests::Reply;
use waypost_tests::client::Call;

use super::{Ctx, Test, UPS, three_events};

/// This module's tests, run by the harness in `edge_api.rs`.
pub const TESTS: &[Test] = &[
    (
        "console_sign_in_sets_a_strict_session_cookie",
        console_sign_in_sets_a_strict_session_cookie,
    ),
    (
        "console_writes_need_the_csrf_token_and_the_own_origin",
        console_writes_need_the_csrf_token_and_the_own_origin,
    ),
    (
        "console_session_never_reaches_another_shop",
        console_session_never_reaches_another_shop,
    ),
    (
        "console_reads_its_own_shipment_and_order",
        console_reads_its_own_shipment_and_order,
    ),
    (
        "console_wrong_and_unknown_keys_answer_alike",
        console_wrong_and_unknown_keys_answer_alike,
    ),
    (
        "console_sign_out_ends_the_session",
        console_sign_out_ends_the_session,
    ),
    (
        "console_revoked_key_ends_its_sessions",
        console_revoked_key_ends_its_sessions,
    ),
    (
        "console_settings_change_cors_at_once_and_rotate_the_key",
        console_settings_change_cors_at_once_and_rotate_the_key,
    ),
    (
        "console_sign_in_is_rate_limited",
        console_sign_in_is_rate_limited,
    ),
];

const COOKIE: &str = "waypost_session";
const CSRF: &str = "X-CSRF-Token";
const SESSION: &str = "/v1/console/session";
const EVIL: &str = "https://evil.example";

/// A signed-in console: the cookie's token and the session as the API showed it.
struct Console {
    token: String,
    session: ConsoleSession,
}

/// `POST /v1/console/session` with `key`, from a fresh client address.
fn sign_in(ctx: &Ctx, key: &str) -> Reply {
    sign_in_from(ctx, &ctx.ip(), key)
}

/// `POST /v1/console/session` with `key`, from the client address `ip`.
fn sign_in_from(ctx: &Ctx, ip: &str, key: &str) -> Reply {
    ctx.client
        .post(SESSION)
        .header("CF-Connecting-IP", ip)
        .json(&json!({ "secret_key": key }))
        .send()
        .unwrap()
}

/// A session of `shop`, signed in with its secret key.
fn signed_in(ctx: &Ctx, shop: &ShopCreated) -> Console {
    let reply = sign_in(ctx, &shop.secret_key);
    ctx.conforms(&reply, 200, "ConsoleSession");
    let set_cookie = reply.set_cookie(COOKIE).expect("a session cookie");
    let token = set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, token)| token.to_owned())
        .expect("name=token");
    Console {
        token,
        session: reply.parse(),
    }
}

impl Console {
    /// `method path` with the cookie alone.
    fn call(&self, ctx: &Ctx, method: &str, path: &str) -> Call {
        let call = match method {
            "GET" => ctx.client.get(path),
            "POST" => ctx.client.post(path),
            "PUT" => ctx.client.put(path),
            "PATCH" => ctx.client.patch(path),
            "DELETE" => ctx.client.delete(path),
            other => panic!("no {other} here"),
        };
        call.cookie(COOKIE, &self.token)
    }

    /// A read with the cookie alone.
    fn get(&self, ctx: &Ctx, path: &str) -> Reply {
        self.call(ctx, "GET", path).send().unwrap()
    }

    /// A write with the cookie and the session's CSRF token, from the Worker's own page.
    fn write(&self, ctx: &Ctx, method: &str, path: &str, body: &Value) -> Reply {
        self.call(ctx, method, path)
            .header(CSRF, &self.session.csrf_token)
            .header("Origin", ctx.client.base_url())
            .json(body)
            .send()
            .unwrap()
    }
}

/// Asserts the answer may be kept by no cache (nor shown again by the back button).
fn not_stored(reply: &Reply) {
    assert_eq!(
        reply.header("cache-control"),
        Some("no-store"),
        "{}",
        reply.text()
    );
}

/// `text` with its last character changed.
fn altered(text: &str) -> String {
    let last = if text.ends_with('a') { "b" } else { "a" };
    format!("{}{last}", &text[..text.len() - 1])
}

/// The attributes of a `Set-Cookie`, after its `name=value`.
fn attributes(set_cookie: &str) -> Vec<&str> {
    set_cookie.split(';').skip(1).map(str::trim).collect()
}

fn console_sign_in_sets_a_strict_session_cookie(ctx: &Ctx) {
    let shop = ctx.shop();
    let put = ctx.put(&shop.secret_key, &format!("/v1/shipments/{UPS}"), json!({}));
    assert_eq!(put.status, 200, "{}", put.text());

    let reply = sign_in(ctx, &shop.secret_key);
    ctx.conforms(&reply, 200, "ConsoleSession");
    not_stored(&reply);
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let session: ConsoleSession = reply.parse();
    assert_eq!(session.shop_id, shop.shop_id);
    assert_eq!(session.shop_name, "Test shop");
    let lasts = session.expires_at - Utc::now();
    assert!(
        (TimeDelta::hours(12) - TimeDelta::minutes(1)..=TimeDelta::hours(12)).contains(&lasts),
        "{lasts}"
    );

    let set_cookie = reply.set_cookie(COOKIE).expect("a session cookie");
    let (pair, _) = set_cookie.split_once(';').expect("attributes");
    let token = pair.strip_prefix("waypost_session=").expect("the cookie");
    assert_eq!(token.len(), 64, "{set_cookie}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut flags = attributes(set_cookie);
    flags.sort_unstable();
    assert_eq!(
        flags,
        [
            "HttpOnly",
            "Max-Age=43200",
            "Path=/",
            "SameSite=Strict",
            "Secure"
        ]
    );
    assert!(
        !reply.text().contains(token),
        "the token is in the cookie only"
    );

    // The cookie alone reads the session and the shop's own lists.
    let console = Console {
        token: token.to_owned(),
        session: session.clone(),
    };
    let again = console.get(ctx, SESSION);
    ctx.conforms(&again, 200, "ConsoleSession");
    not_stored(&again);
    assert_eq!(again.parse::<ConsoleSession>(), session);
    let list = console.get(ctx, "/v1/shipments");
    ctx.conforms(&list, 200, "ShipmentList");
    not_stored(&list);
    let numbers: Vec<String> = list
        .parse::<ShipmentList>()
        .shipments
        .into_iter()
        .map(|s| s.tracking_number)
        .collect();
    assert_eq!(numbers, [UPS]);
    let counts = console.get(ctx, "/v1/shipments/counts");
    ctx.conforms(&counts, 200, "ShipmentCounts");
    not_stored(&counts);
    assert_eq!(counts.parse::<ShipmentCounts>().total, 1);

    // No cookie, or one that is no session: 401.
    let anonymous = ctx.client.get(SESSION).send().unwrap();
    ctx.problem(&anonymous, 401, "unauthorized");
    not_stored(&anonymous);
    let forged = Console {
        token: "ab".repeat(32),
        session,
    };
    ctx.problem(&forged.get(ctx, SESSION), 401, "unauthorized");
    ctx.problem(&forged.get(ctx, "/v1/shipments"), 401, "unauthorized");

    // Closed to pages of other origins: no preflight, no CORS.
    let preflight = ctx
        .client
        .options(SESSION)
        .header("Origin", EVIL)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .unwrap();
    ctx.problem(&preflight, 405, "method_not_allowed");
    assert_eq!(preflight.header("access-control-allow-origin"), None);
}

fn console_writes_need_the_csrf_token_and_the_own_origin(ctx: &Ctx) {
    let shop = ctx.shop();
    let console = signed_in(ctx, &shop);
    let shipment = format!("/v1/shipments/{UPS}");
    let body = json!({ "order_number": "7001" });

    let no_token = console
        .call(ctx, "PUT", &shipment)
        .json(&body)
        .send()
        .unwrap();
    ctx.problem(&no_token, 403, "csrf_failed");
    not_stored(&no_token);
    let wrong_token = console
        .call(ctx, "PUT", &shipment)
        .header(CSRF, &"0".repeat(32))
        .json(&body)
        .send()
        .unwrap();
    ctx.problem(&wrong_token, 403, "csrf_failed");
    let listed = console.get(ctx, "/v1/shipments");
    assert!(
        listed.parse::<ShipmentList>().shipments.is_empty(),
        "a refused write writes nothing"
    );

    let put = console.write(ctx, "PUT", &shipment, &body);
    ctx.conforms(&put, 200, "TrackingView");
    not_stored(&put);

    let events = format!("/v1/shipments/{UPS}/events");
    let no_token = console
        .call(ctx, "POST", &events)
        .json(&three_events())
        .send()
        .unwrap();
    ctx.problem(&no_token, 403, "csrf_failed");
    let pushed = console.write(ctx, "POST", &events, &three_events());
    ctx.conforms(&pushed, 200, "EventBatchResult");

    let erase = console
        .call(ctx, "DELETE", "/v1/customers?email=ana@example.com")
        .send()
        .unwrap();
    ctx.problem(&erase, 403, "csrf_failed");

    // A page of another origin is refused with the cookie and the token both, reads too.
    let forged = console
        .call(ctx, "PUT", &shipment)
        .header(CSRF, &console.session.csrf_token)
        .header("Origin", EVIL)
        .json(&json!({ "order_number": "EVIL" }))
        .send()
        .unwrap();
    ctx.problem(&forged, 403, "csrf_failed");
    let read = console
        .call(ctx, "GET", "/v1/shipments")
        .header("Origin", EVIL)
        .send()
        .unwrap();
    ctx.problem(&read, 403, "csrf_failed");
    assert_eq!(read.header("access-control-allow-origin"), None);
    let listed: ShipmentList = console.get(ctx, "/v1/shipments").parse();
    assert_eq!(listed.shipments.len(), 1);
    assert_eq!(listed.shipments[0].order_number.as_deref(), Some("7001"));

    // The secret key writes as before, without a token.
    let with_key = ctx.put(
        &shop.secret_key,
        &shipment,
        json!({ "order_number": "7002" }),
    );
    assert_eq!(with_key.status, 200, "{}", with_key.text());
}

fn console_session_never_reaches_another_shop(ctx: &Ctx) {
    let (a, b) = (ctx.shop(), ctx.shop());
    let order = ctx.put(
        &b.secret_key,
        "/v1/orders/B-1",
        json!({ "status": "pending", "customer": { "email": "bea@example.com" } }),
    );
    assert_eq!(order.status, 200, "{}", order.text());
    let shipment = format!("/v1/shipments/{UPS}");
    let put = ctx.put(
        &b.secret_key,
        &shipment,
        json!({ "order_number": "B-1", "destination": { "city": "Lyon", "country": "FR" } }),
    );
    assert_eq!(put.status, 200, "{}", put.text());
    let console_a = signed_in(ctx, &a);
    let console_b = signed_in(ctx, &b);

    let numbers = |console: &Console, path: &str| -> Vec<(String, Option<String>)> {
        let reply = console.get(ctx, path);
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply
            .parse::<ShipmentList>()
            .shipments
            .into_iter()
            .map(|s| (s.tracking_number, s.order_number))
            .collect()
    };
    for path in [
        "/v1/shipments",
        "/v1/shipments?status=info_received&limit=100",
        "/v1/shipments?health=on_track",
    ] {
        assert!(numbers(&console_a, path).is_empty(), "{path}");
    }
    let counts: ShipmentCounts = console_a.get(ctx, "/v1/shipments/counts").parse();
    assert_eq!(counts.total, 0);
    let export: CustomerExport = console_a
        .get(ctx, "/v1/customers?email=bea@example.com")
        .parse();
    assert!(export.orders.is_empty(), "B's customer is not A's");

    // A write to B's number with A's session is a shipment of A's; B's stays as it was.
    let written = console_a.write(ctx, "PUT", &shipment, &json!({ "order_number": "A-1" }));
    ctx.conforms(&written, 200, "TrackingView");
    assert_eq!(
        numbers(&console_a, "/v1/shipments"),
        [(UPS.to_owned(), Some("A-1".to_owned()))]
    );
    assert_eq!(
        numbers(&console_b, "/v1/shipments"),
        [(UPS.to_owned(), Some("B-1".to_owned()))]
    );
    let with_b_key = ctx
        .client
        .get("/v1/shipments")
        .bearer(&b.secret_key)
        .send()
        .unwrap()
        .parse::<ShipmentList>();
    assert_eq!(with_b_key.shipments.len(), 1);
    assert_eq!(with_b_key.shipments[0].order_number.as_deref(), Some("B-1"));
    let b_view = ctx.track(&b.publishable_key, UPS).json();
    assert_eq!(b_view["destination"]["city"], "Lyon", "{b_view:#}");
    assert_eq!(b_view["order_reference"], "B-1");
}

/// `GET /v1/shipments/{number}` and `GET /v1/shipments?order=`: the console's shipment page and
/// search read the shop's own parcels, and a number it does not hold is a 404.
fn console_reads_its_own_shipment_and_order(ctx: &Ctx) {
    let (a, b) = (ctx.shop(), ctx.shop());
    let shipment = format!("/v1/shipments/{UPS}");
    let put = ctx.put(&a.secret_key, &shipment, json!({ "order_number": "A-7" }));
    assert_eq!(put.status, 200, "{}", put.text());
    let console_a = signed_in(ctx, &a);
    let own = console_a.get(ctx, &shipment);
    ctx.conforms(&own, 200, "TrackingView");
    not_stored(&own);
    assert_eq!(own.json()["order_reference"], "A-7");
    let order = console_a.get(ctx, "/v1/shipments?order=A-7");
    ctx.conforms(&order, 200, "ShipmentList");
    let listed = order.parse::<ShipmentList>();
    let numbers: Vec<&str> = listed
        .shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect();
    assert_eq!(numbers, [UPS]);
    assert_eq!(listed.next_cursor, None);
    let other_order = console_a.get(ctx, "/v1/shipments?order=A-8");
    assert!(other_order.parse::<ShipmentList>().shipments.is_empty());

    // B holds nothing under that number: 404 with its session or its key; 401 with neither.
    let console_b = signed_in(ctx, &b);
    ctx.problem(&console_b.get(ctx, &shipment), 404, "tracking_not_found");
    let with_b_key = ctx
        .client
        .get(&shipment)
        .bearer(&b.secret_key)
        .send()
        .unwrap();
    ctx.problem(&with_b_key, 404, "tracking_not_found");
    let anonymous = ctx.client.get(&shipment).send().unwrap();
    ctx.problem(&anonymous, 401, "unauthorized");
}

fn console_wrong_and_unknown_keys_answer_alike(ctx: &Ctx) {
    let shop = ctx.shop();
    let key = &shop.secret_key;
    let (id, secret) = key[3..].split_once('_').expect("sk_<id>_<secret>");
    let wrong_secret = altered(key);
    let unknown_id = format!("sk_{}_{secret}", altered(id));

    let wrong = sign_in(ctx, &wrong_secret);
    let unknown = sign_in(ctx, &unknown_id);
    ctx.problem(&wrong, 401, "unauthorized");
    assert_eq!(
        (wrong.status, wrong.text()),
        (unknown.status, unknown.text())
    );
    for other in [shop.publishable_key.as_str(), "sk_0123456789abcdef", ""] {
        let reply = sign_in(ctx, other);
        assert_eq!(
            (reply.status, reply.text()),
            (wrong.status, wrong.text()),
            "{other:?}"
        );
    }
    for refused in [&wrong, &unknown] {
        assert_eq!(refused.set_cookie(COOKIE), None);
        not_stored(refused);
    }
}

fn console_sign_out_ends_the_session(ctx: &Ctx) {
    let shop = ctx.shop();
    let console = signed_in(ctx, &shop);
    let other = signed_in(ctx, &shop);

    let no_token = console.call(ctx, "DELETE", SESSION).send().unwrap();
    ctx.problem(&no_token, 403, "csrf_failed");
    assert_eq!(console.get(ctx, SESSION).status, 200, "still signed in");

    let signed_out = console
        .call(ctx, "DELETE", SESSION)
        .header(CSRF, &console.session.csrf_token)
        .send()
        .unwrap();
    assert_eq!(signed_out.status, 204, "{}", signed_out.text());
    not_stored(&signed_out);
    let cleared = signed_out.set_cookie(COOKIE).expect("the cookie cleared");
    assert!(cleared.starts_with("waypost_session=;"), "{cleared}");
    let mut flags = attributes(cleared);
    flags.sort_unstable();
    assert_eq!(
        flags,
        [
            "HttpOnly",
            "Max-Age=0",
            "Path=/",
            "SameSite=Strict",
            "Secure"
        ]
    );

    for path in [SESSION, "/v1/shipments", "/v1/shipments/counts"] {
        let reply = console.get(ctx, path);
        ctx.problem(&reply, 401, "unauthorized");
        not_stored(&reply);
    }
    let again = console
        .call(ctx, "DELETE", SESSION)
        .header(CSRF, &console.session.csrf_token)
        .send()
        .unwrap();
    ctx.problem(&again, 401, "unauthorized");
    assert_eq!(
        other.get(ctx, SESSION).status,
        200,
        "only that session ended"
    );
}

fn console_revoked_key_ends_its_sessions(ctx: &Ctx) {
    let shop = ctx.shop();
    let console = signed_in(ctx, &shop);
    let (id, _) = shop.secret_key[3..]
        .split_once('_')
        .expect("sk_<id>_<secret>");
    let key_id = format!("sk_{id}");
    assert_eq!(ctx.revoke(&shop.shop_id, &key_id).status, 204);
    ctx.problem(&console.get(ctx, SESSION), 401, "unauthorized");
    ctx.problem(&console.get(ctx, "/v1/shipments"), 401, "unauthorized");
    ctx.problem(&sign_in(ctx, &shop.secret_key), 401, "unauthorized");
}

fn console_sign_in_is_rate_limited(ctx: &Ctx) {
    let shop = ctx.shop();
    // One address, kept apart from the addresses the other tests take.
    let ip = "203.0.113.77";
    let wrong = altered(&shop.secret_key);
    // 10 a minute in fixed windows: 30 tries put more than 10 in one of at most two windows. The
    // right key and wrong ones alternate, and both count.
    let replies: Vec<Reply> = (0..30)
        .map(|i| {
            let key = if i % 2 == 0 { &shop.secret_key } else { &wrong };
            sign_in_from(ctx, ip, key)
        })
        .collect();
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert!(
        statuses.iter().all(|s| [200, 401, 429].contains(s)),
        "{statuses:?}"
    );
    let limited: Vec<usize> = (0..statuses.len())
        .filter(|&i| statuses[i] == 429)
        .collect();
    assert!(!limited.is_empty(), "{statuses:?}");
    assert!(
        limited.iter().any(|i| i % 2 == 0),
        "the right key is limited too: {statuses:?}"
    );
    let refused = &replies[limited[0]];
    ctx.problem(refused, 429, "rate_limited");
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert_eq!(refused.set_cookie(COOKIE), None);
}

/// `GET /v1/track/{number}` with `key` from the page at `origin`: the answer and the origin its
/// CORS header allows, if any.
fn track_from(ctx: &Ctx, key: &str, origin: &str) -> (u16, Option<String>) {
    let reply = ctx
        .client
        .get(&format!("/v1/track/{UPS}?key={key}"))
        .header("CF-Connecting-IP", &ctx.ip())
        .header("Origin", origin)
        .send()
        .unwrap();
    let allowed = reply
        .header("access-control-allow-origin")
        .map(str::to_owned);
    (reply.status, allowed)
}

fn console_settings_change_cors_at_once_and_rotate_the_key(ctx: &Ctx) {
    let shop = ctx.shop();
    let console = signed_in(ctx, &shop);
    let reply = console.get(ctx, "/v1/shop");
    ctx.conforms(&reply, 200, "ShopSettings");
    let settings: Value = reply.json();
    assert_eq!(settings["publishable_key"], json!(shop.publishable_key));
    let old_origin = settings["allowed_origins"][0].as_str().unwrap().to_owned();
    // The key's shop is remembered by a look-up first, as on a live storefront.
    let (_, allowed) = track_from(ctx, &shop.publishable_key, &old_origin);
    assert_eq!(allowed.as_deref(), Some(old_origin.as_str()));

    let new_origin = "https://new-storefront.example";
    let change = json!({ "allowed_origins": [new_origin], "live_carriers": ["yunexpress"] });
    let refused = console
        .call(ctx, "PATCH", "/v1/shop")
        .header("Origin", ctx.client.base_url())
        .json(&change)
        .send()
        .unwrap();
    assert_eq!(refused.status, 403, "a write without the CSRF token");
    let reply = console.write(ctx, "PATCH", "/v1/shop", &change);
    ctx.conforms(&reply, 200, "ShopSettings");
    let changed: Value = reply.json();
    assert_eq!(changed["allowed_origins"], json!([new_origin]));
    assert_eq!(changed["live_carriers"], json!(["yunexpress"]));
    assert_eq!(
        changed["transit_days"], settings["transit_days"],
        "left out, kept"
    );
    let (_, allowed) = track_from(ctx, &shop.publishable_key, new_origin);
    assert_eq!(
        allowed.as_deref(),
        Some(new_origin),
        "the new origin at once"
    );
    let (_, allowed) = track_from(ctx, &shop.publishable_key, &old_origin);
    assert_eq!(allowed, None, "the old origin no more");
    let bad = console.write(
        ctx,
        "PATCH",
        "/v1/shop",
        &json!({ "allowed_origins": ["http://plain.example"] }),
    );
    assert_eq!(bad.status, 400, "{}", bad.text());

    let reply = console.write(ctx, "POST", "/v1/shop/publishable-key", &json!({}));
    ctx.conforms(&reply, 200, "ShopSettings");
    let rotated: Value = reply.json();
    let new_key = rotated["publishable_key"].as_str().unwrap();
    assert_ne!(new_key, shop.publishable_key);
    let (status, _) = track_from(ctx, &shop.publishable_key, new_origin);
    assert_eq!(status, 401, "the old key is revoked at once");
    let (status, allowed) = track_from(ctx, new_key, new_origin);
    assert_ne!(status, 401);
    assert_eq!(allowed.as_deref(), Some(new_origin));
    // The secret key reads the same settings.
    let by_key = ctx
        .client
        .get("/v1/shop")
        .bearer(&shop.secret_key)
        .send()
        .unwrap();
    assert_eq!(by_key.json()["publishable_key"], json!(new_key));
}
