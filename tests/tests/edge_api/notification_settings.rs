//! The retailer's side of notifications: settings, webhook endpoints with their secrets shown
//! once, and the record of messages, behind the private routes' credentials and per shop.

use serde_json::{Value, json};
use waypost_shared::wire::{NotificationList, WebhookEndpointList, WebhookEndpointView};
use waypost_tests::Reply;

use super::{Ctx, Test};

/// This module's tests, run by the harness in `edge_api.rs`.
pub const TESTS: &[Test] = &[
    (
        "notification_settings_default_round_trip_and_refuse_bad_fields",
        notification_settings_default_round_trip_and_refuse_bad_fields,
    ),
    (
        "notification_webhooks_show_the_secret_once_and_refuse_bad_urls",
        notification_webhooks_show_the_secret_once_and_refuse_bad_urls,
    ),
    (
        "notification_webhooks_stop_at_ten_per_shop",
        notification_webhooks_stop_at_ten_per_shop,
    ),
    (
        "notification_settings_belong_to_their_shop",
        notification_settings_belong_to_their_shop,
    ),
    (
        "notification_list_is_empty_then_refuses_bad_queries",
        notification_list_is_empty_then_refuses_bad_queries,
    ),
];

const SETTINGS: &str = "/v1/notifications/settings";
const WEBHOOKS: &str = "/v1/notifications/webhooks";
/// A local receiver's URL, as the e2e catcher's are.
const LOCAL_HOOK: &str = "http://127.0.0.1:9/hooks/waypost";

/// `GET path` with the secret key.
fn get(ctx: &Ctx, secret: &str, path: &str) -> Reply {
    ctx.client.get(path).bearer(secret).send().unwrap()
}

/// `DELETE path` with the secret key.
fn delete(ctx: &Ctx, secret: &str, path: &str) -> Reply {
    ctx.client.delete(path).bearer(secret).send().unwrap()
}

/// Adds an endpoint for `url`.
fn add_endpoint(ctx: &Ctx, secret: &str, url: &str) -> Reply {
    ctx.post(secret, WEBHOOKS, json!({ "url": url }))
}

fn notification_settings_default_round_trip_and_refuse_bad_fields(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let defaults = get(ctx, sk, SETTINGS);
    ctx.conforms(&defaults, 200, "NotificationSettings");
    let defaults = defaults.json();
    assert_eq!(defaults["channels"], json!(["email", "sms", "webhook"]));
    assert_eq!(defaults["sender_email"], Value::Null);
    let triggers = defaults["triggers"].as_array().unwrap();
    assert!(triggers.contains(&json!("delay")));
    assert!(
        !triggers.contains(&json!("in_transit_after_silence")),
        "off by default"
    );

    let settings = json!({
        "triggers": ["delivered", "delay", "delivered"],
        "channels": ["email", "webhook", "email"],
        "sender_name": "Ana's Shop",
        "sender_email": "orders@shop.example",
        "tracking_page": "https://shop.example/track/{number}",
        "sms_quiet_hours": { "from": "21:00", "to": "08:00", "time_zone": "Europe/Madrid" },
    });
    let put = ctx.put(sk, SETTINGS, settings);
    ctx.conforms(&put, 200, "NotificationSettings");
    let stored = json!({
        "triggers": ["delivered", "delay"],
        "channels": ["email", "webhook"],
        "sender_name": "Ana's Shop",
        "sender_email": "orders@shop.example",
        "tracking_page": "https://shop.example/track/{number}",
        "sms_quiet_hours": { "from": "21:00", "to": "08:00", "time_zone": "Europe/Madrid" },
    });
    assert_eq!(put.json(), stored, "duplicates counted once");
    assert_eq!(get(ctx, sk, SETTINGS).json(), stored);

    for (field, value, code) in [
        ("sender_email", json!("not-an-email"), "invalid_email"),
        ("sender_email", json!("a@b"), "invalid_email"),
        (
            "tracking_page",
            json!("https://shop.example/track"),
            "invalid_tracking_page",
        ),
        (
            "tracking_page",
            json!("http://shop.example/t/{number}"),
            "invalid_tracking_page",
        ),
        (
            "tracking_page",
            json!("https://u:p@shop.example/t/{number}"),
            "invalid_tracking_page",
        ),
        (
            "sender_name",
            json!("Ana <evil@example.com>"),
            "invalid_sender_name",
        ),
        ("sender_name", json!("x".repeat(101)), "invalid_sender_name"),
        ("sender_name", json!("Ana\r\nBcc: x"), "invalid_sender_name"),
        (
            "sms_quiet_hours",
            json!({ "from": "09:00", "to": "09:00", "time_zone": "UTC" }),
            "invalid_quiet_hours",
        ),
        (
            "sms_quiet_hours",
            json!({ "from": "21:00", "to": "08:00", "time_zone": "Mars/Olympus_Mons" }),
            "invalid_quiet_hours",
        ),
        (
            "sms_quiet_hours",
            json!({ "from": "25:00", "to": "08:00", "time_zone": "UTC" }),
            "invalid_json",
        ),
        (
            "sms_quiet_hours",
            json!({ "from": "21:00", "to": "08:00" }),
            "invalid_json",
        ),
        ("triggers", json!(["bogus"]), "invalid_json"),
        ("colour", json!("red"), "invalid_json"),
    ] {
        let mut body = stored.clone();
        body[field] = value;
        let refused = ctx.put(sk, SETTINGS, body);
        ctx.problem(&refused, 400, code);
        assert_eq!(get(ctx, sk, SETTINGS).json(), stored, "nothing stored");
    }
}

fn notification_webhooks_show_the_secret_once_and_refuse_bad_urls(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let empty = get(ctx, sk, WEBHOOKS);
    ctx.conforms(&empty, 200, "WebhookEndpointList");
    assert!(empty.parse::<WebhookEndpointList>().endpoints.is_empty());

    let made = add_endpoint(ctx, sk, LOCAL_HOOK);
    ctx.conforms(&made, 201, "WebhookEndpointView");
    let made: WebhookEndpointView = made.parse();
    let secret = made.secret.clone().expect("the secret, shown once");
    assert!(
        secret.starts_with("whsec_") && secret.len() == 6 + 32,
        "{secret}"
    );
    assert!(
        made.id.starts_with("ep_") && made.id.len() == 19,
        "{}",
        made.id
    );
    assert_eq!(made.url, LOCAL_HOOK);

    let listed = get(ctx, sk, WEBHOOKS);
    ctx.conforms(&listed, 200, "WebhookEndpointList");
    assert!(!listed.text().contains(&secret), "never shown again");
    let listed = listed.parse::<WebhookEndpointList>().endpoints;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id.as_str(), listed[0].secret.as_deref()),
        (made.id.as_str(), None)
    );

    let long = format!("https://hooks.example/{}", "a".repeat(2_100 - 22));
    assert_eq!(long.len(), 2_100);
    for bad in [
        "http://example.com/hook",
        "https://user:pw@example.com/h",
        long.as_str(),
        "not a url",
        "https://hooks.example/h#part",
    ] {
        let refused = add_endpoint(ctx, sk, bad);
        ctx.problem(&refused, 400, "invalid_webhook_url");
    }
    ctx.problem(
        &ctx.post(sk, WEBHOOKS, json!({ "url": LOCAL_HOOK, "secret": "mine" })),
        400,
        "invalid_json",
    );
    assert_eq!(
        get(ctx, sk, WEBHOOKS)
            .parse::<WebhookEndpointList>()
            .endpoints
            .len(),
        1,
        "nothing added"
    );

    let path = format!("{WEBHOOKS}/{}", made.id);
    assert_eq!(delete(ctx, sk, &path).status, 204);
    ctx.problem(&delete(ctx, sk, &path), 404, "endpoint_not_found");
    assert!(
        get(ctx, sk, WEBHOOKS)
            .parse::<WebhookEndpointList>()
            .endpoints
            .is_empty()
    );
}

fn notification_webhooks_stop_at_ten_per_shop(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let mut ids = Vec::new();
    for n in 0..10 {
        let made = add_endpoint(ctx, sk, &format!("https://hooks.example/{n}"));
        ctx.conforms(&made, 201, "WebhookEndpointView");
        ids.push(made.parse::<WebhookEndpointView>().id);
    }
    ctx.problem(
        &add_endpoint(ctx, sk, "https://hooks.example/11"),
        400,
        "too_many_endpoints",
    );
    let listed: Vec<String> = get(ctx, sk, WEBHOOKS)
        .parse::<WebhookEndpointList>()
        .endpoints
        .into_iter()
        .map(|endpoint| endpoint.id)
        .collect();
    assert_eq!(listed, ids, "oldest first");
    assert_eq!(
        delete(ctx, sk, &format!("{WEBHOOKS}/{}", ids[0])).status,
        204
    );
    let again = add_endpoint(ctx, sk, "https://hooks.example/again");
    ctx.conforms(&again, 201, "WebhookEndpointView");
}

fn notification_settings_belong_to_their_shop(ctx: &Ctx) {
    let (a, b) = (ctx.shop(), ctx.shop());
    let settings = json!({ "sender_email": "orders@a.example", "channels": ["webhook"] });
    assert_eq!(ctx.put(&a.secret_key, SETTINGS, settings).status, 200);
    let made: WebhookEndpointView = add_endpoint(ctx, &a.secret_key, LOCAL_HOOK).parse();

    let theirs = get(ctx, &b.secret_key, SETTINGS).json();
    assert_eq!(
        theirs["sender_email"],
        Value::Null,
        "B sees its own defaults"
    );
    assert_eq!(theirs["channels"], json!(["email", "sms", "webhook"]));
    assert!(
        get(ctx, &b.secret_key, WEBHOOKS)
            .parse::<WebhookEndpointList>()
            .endpoints
            .is_empty()
    );
    let path = format!("{WEBHOOKS}/{}", made.id);
    ctx.problem(
        &delete(ctx, &b.secret_key, &path),
        404,
        "endpoint_not_found",
    );
    assert_eq!(
        get(ctx, &a.secret_key, WEBHOOKS)
            .parse::<WebhookEndpointList>()
            .endpoints
            .len(),
        1,
        "still A's"
    );
    assert_eq!(
        get(ctx, &a.secret_key, SETTINGS).json()["sender_email"],
        "orders@a.example"
    );

    for (method, path) in [
        ("GET", SETTINGS),
        ("PUT", SETTINGS),
        ("GET", WEBHOOKS),
        ("POST", WEBHOOKS),
        ("DELETE", path.as_str()),
        ("GET", "/v1/notifications"),
    ] {
        let call = match method {
            "GET" => ctx.client.get(path),
            "PUT" => ctx.client.put(path).json(&json!({})),
            "POST" => ctx.client.post(path).json(&json!({ "url": LOCAL_HOOK })),
            _ => ctx.client.delete(path),
        };
        ctx.problem(&call.send().unwrap(), 401, "unauthorized");
        let publishable = match method {
            "GET" => ctx.client.get(path),
            "PUT" => ctx.client.put(path).json(&json!({})),
            "POST" => ctx.client.post(path).json(&json!({ "url": LOCAL_HOOK })),
            _ => ctx.client.delete(path),
        };
        let refused = publishable.bearer(&a.publishable_key).send().unwrap();
        assert!(
            [401, 403].contains(&refused.status),
            "{method} {path} with a publishable key: {}",
            refused.status
        );
    }
    assert_eq!(
        get(ctx, &a.secret_key, WEBHOOKS)
            .parse::<WebhookEndpointList>()
            .endpoints
            .len(),
        1,
        "nothing deleted without the key"
    );
}

fn notification_list_is_empty_then_refuses_bad_queries(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    for path in [
        "/v1/notifications",
        "/v1/notifications?shipment=1z5r-8939-0357-5671-27&status=sent&limit=5",
    ] {
        let list = get(ctx, sk, path);
        ctx.conforms(&list, 200, "NotificationList");
        let list: NotificationList = list.parse();
        assert!(list.notifications.is_empty() && list.next_cursor.is_none());
    }
    for query in [
        "status=bogus",
        "limit=0",
        "limit=101",
        "limit=ten",
        "cursor=yesterday",
        "cursor=2026-11-21T12:00:00Z~%3Cb%3E",
    ] {
        let refused = get(ctx, sk, &format!("/v1/notifications?{query}"));
        ctx.problem(&refused, 400, "invalid_query");
    }
    ctx.problem(
        &get(ctx, sk, "/v1/notifications?shipment=---"),
        400,
        "invalid_tracking_number",
    );
}
