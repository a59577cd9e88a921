//! Notifications end to end: a change of a shipment writes its notice with it, the queue (local
//! Cloudflare Queues under `wrangler dev`) sends each message at most once to the local catcher
//! speaking Postmark's, Twilio's and a webhook receiver's APIs, retried when the provider fails
//! for a while, refused for good on a 4xx, and every webhook verifies with an independent
//! Standard Webhooks implementation.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use waypost_shared::wire::{NotificationList, ShopCreated, WebhookEndpointView};
use waypost_tests::catcher::{CaughtMessage, Channel, Reply, Route};
use waypost_tests::standard_webhooks::verify_with_reference;

use super::{Ctx, Test};

/// This module's tests, run by the harness in `edge_api.rs`.
pub const TESTS: &[Test] = &[
    (
        "notifications_tell_each_trigger_once_on_each_channel",
        notifications_tell_each_trigger_once_on_each_channel,
    ),
    (
        "notifications_retry_a_failing_provider_and_deliver_once",
        notifications_retry_a_failing_provider_and_deliver_once,
    ),
    (
        "notifications_refused_for_good_are_failed_not_retried",
        notifications_refused_for_good_are_failed_not_retried,
    ),
    (
        "notifications_follow_each_shops_own_settings",
        notifications_follow_each_shops_own_settings,
    ),
];

/// A UPS number (a public test vector).
const NUMBER: &str = "1Z5R89390357567127";

/// How long a message may take through the queue (retries included).
const PATIENCE: Duration = Duration::from_secs(40);

/// A shop with a webhook endpoint at the catcher (named `name`), an order `1001` of a customer
/// reachable at `email` and `phone`, in `lang`; answers the shop and the endpoint.
fn shop_with_customer(
    ctx: &Ctx,
    name: &str,
    email: &str,
    phone: &str,
    lang: &str,
) -> (ShopCreated, WebhookEndpointView) {
    let shop = ctx.shop();
    let endpoint = ctx
        .client
        .post("/v1/notifications/webhooks")
        .bearer(&shop.secret_key)
        .json(&json!({ "url": ctx.catcher.webhook_url(name) }))
        .send()
        .unwrap();
    assert_eq!(endpoint.status, 201, "{}", endpoint.text());
    let order = ctx
        .client
        .put("/v1/orders/1001")
        .bearer(&shop.secret_key)
        .json(&json!({ "status": "pending", "lang": lang, "customer": { "email": email, "phone": phone } }))
        .send()
        .unwrap();
    assert_eq!(order.status, 200, "{}", order.text());
    (shop, endpoint.parse())
}

/// Registers [`NUMBER`] for order `1001`.
fn ship(ctx: &Ctx, shop: &ShopCreated) {
    let reply = ctx
        .client
        .put(&format!("/v1/shipments/{NUMBER}"))
        .bearer(&shop.secret_key)
        .json(&json!({ "order_number": "1001" }))
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Pushes events of (hours ago, status, words).
fn push(ctx: &Ctx, shop: &ShopCreated, events: &[(i64, &str, &str)]) {
    let events: Vec<Value> = events
        .iter()
        .map(|(hours, status, words)| {
            let at = chrono::Utc::now() - chrono::TimeDelta::hours(*hours);
            json!({ "time": at.format("%Y-%m-%dT%H:%M:00+00:00").to_string(), "status": status, "description": words, "location": { "city": "Brooklyn", "country": "US" } })
        })
        .collect();
    let reply = ctx
        .client
        .post(&format!("/v1/shipments/{NUMBER}/events"))
        .bearer(&shop.secret_key)
        .json(&json!({ "events": events }))
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// The caught messages to `to` (an address, a phone number or a webhook path).
fn caught(ctx: &Ctx, to: &str) -> Vec<CaughtMessage> {
    ctx.catcher
        .messages()
        .into_iter()
        .filter(|message| message.to == to)
        .collect()
}

/// Waits until `count` messages to `to` are caught; answers them.
fn wait_for(ctx: &Ctx, to: &str, count: usize) -> Vec<CaughtMessage> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let messages = caught(ctx, to);
        if messages.len() >= count || Instant::now() > deadline {
            assert_eq!(messages.len(), count, "messages to {to}: {messages:#?}");
            return messages;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits long enough for any extra message to have come, then checks there is none.
fn no_more(ctx: &Ctx, to: &str, count: usize) {
    std::thread::sleep(Duration::from_secs(4));
    let messages = caught(ctx, to);
    assert_eq!(
        messages.len(),
        count,
        "extra messages to {to}: {messages:#?}"
    );
}

/// The shop's messages as `GET /v1/notifications` lists them.
fn listed(ctx: &Ctx, shop: &ShopCreated, query: &str) -> NotificationList {
    let reply = ctx
        .client
        .get(&format!("/v1/notifications{query}"))
        .bearer(&shop.secret_key)
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.parse()
}

/// Waits until the shop has `count` messages and every one has ended (none pending); answers
/// the list.
fn settled(ctx: &Ctx, shop: &ShopCreated, count: usize) -> NotificationList {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let list = listed(ctx, shop, "");
        let pending = list
            .notifications
            .iter()
            .any(|n| n.state.as_str() == "pending");
        if (list.notifications.len() >= count && !pending) || Instant::now() > deadline {
            assert_eq!(list.notifications.len(), count, "{list:#?}");
            return list;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

fn notifications_tell_each_trigger_once_on_each_channel(ctx: &Ctx) {
    let email = "lucia.tell@example.com";
    let phone = "+34 600 111 222";
    let (shop, endpoint) = shop_with_customer(ctx, "tell", email, phone, "es");
    let hook = "/hooks/tell";
    // The tracking number is registered for the order: "shipped", once on each channel.
    ship(ctx, &shop);
    ship(ctx, &shop);
    let shipped = wait_for(ctx, email, 1);
    assert!(
        shipped[0]
            .subject
            .as_deref()
            .unwrap_or_default()
            .contains("pedido"),
        "in Spanish: {:?}",
        shipped[0].subject
    );
    assert!(shipped[0].text.contains(NUMBER), "{}", shipped[0].text);
    wait_for(ctx, "+34 600 111 222", 1);
    let hooks = wait_for(ctx, hook, 1);
    // Out for delivery, pushed three times and in reverse: one message per channel.
    let batch = [
        (30, "in_transit", "Departed facility"),
        (2, "out_for_delivery", "Out for delivery <b>today</b>"),
    ];
    push(ctx, &shop, &batch);
    push(ctx, &shop, &batch);
    let mut reversed = batch;
    reversed.reverse();
    push(ctx, &shop, &reversed);
    let emails = wait_for(ctx, email, 2);
    let out = &emails[1];
    assert_eq!(out.tag.as_deref(), Some("out_for_delivery"));
    let html = out.html.as_deref().unwrap_or_default();
    assert!(
        html.contains("&lt;b&gt;today&lt;/b&gt;") && !html.contains("<b>today</b>"),
        "carrier text escaped in HTML: {html}"
    );
    wait_for(ctx, phone, 2);
    let hooks_now = wait_for(ctx, hook, 2);
    no_more(ctx, email, 2);
    // The webhook: Standard Webhooks headers, the tracking view, verified independently.
    let webhook = &hooks_now[1];
    let body = webhook.body.clone().unwrap_or_default();
    let payload: Value = serde_json::from_str(&body).expect("a JSON body");
    assert_eq!(payload["type"], "shipment.out_for_delivery");
    assert_eq!(payload["data"]["tracking"]["tracking_number"], NUMBER);
    assert_eq!(payload["data"]["tracking"]["status"], "out_for_delivery");
    let headers: Vec<(String, String)> = webhook
        .headers
        .iter()
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    let secret = endpoint.secret.clone().expect("the secret, shown once");
    assert_eq!(
        verify_with_reference(&secret, &headers, &body),
        Ok(true),
        "{headers:?}"
    );
    let altered = body.replace("out_for_delivery", "delivered");
    assert_eq!(
        verify_with_reference(&secret, &headers, &altered),
        Ok(false)
    );
    assert_ne!(
        hooks[0].headers.get("webhook-id"),
        webhook.headers.get("webhook-id")
    );
    // A jump to delivered tells "delivered", not every step skipped.
    push(ctx, &shop, &[(1, "delivered", "Delivered, front door")]);
    let emails = wait_for(ctx, email, 3);
    assert_eq!(emails[2].tag.as_deref(), Some("delivered"));
    no_more(ctx, hook, 3);
    // What was sent, listed: each channel, masked, sent.
    let list = settled(ctx, &shop, 9);
    assert!(
        list.notifications
            .iter()
            .all(|n| n.state.as_str() == "sent")
    );
    let recipients: Vec<&str> = list
        .notifications
        .iter()
        .map(|n| n.recipient.as_str())
        .collect();
    assert!(recipients.contains(&"l***@example.com"), "{recipients:?}");
    assert!(
        !recipients.iter().any(|r| r.contains("lucia")),
        "{recipients:?}"
    );
    let one = listed(ctx, &shop, &format!("?shipment={NUMBER}&status=sent"));
    assert_eq!(one.notifications.len(), 9);
}

fn notifications_retry_a_failing_provider_and_deliver_once(ctx: &Ctx) {
    let email = "retry.once@example.com";
    let (shop, _) = shop_with_customer(ctx, "retry", email, "+1 555 0199", "en");
    ctx.catcher
        .fail_next(Route::Email, vec![Reply::status(500)]);
    ctx.catcher
        .fail_next(Route::Sms, vec![Reply::retry_after(429, 3)]);
    let before = ctx.catcher.attempts(&Route::Email);
    let pushed_at = chrono::Utc::now();
    ship(ctx, &shop);
    let emails = wait_for(ctx, email, 1);
    assert!(ctx.catcher.attempts(&Route::Email) >= before + 2);
    let texts = wait_for(ctx, "+1 555 0199", 1);
    assert!(
        texts[0].at - pushed_at >= chrono::TimeDelta::seconds(3),
        "Retry-After honoured: sent {} after the change",
        texts[0].at - pushed_at
    );
    no_more(ctx, email, 1);
    assert_eq!(emails[0].tag.as_deref(), Some("shipped"));
    let list = settled(ctx, &shop, 3);
    let email_line = list
        .notifications
        .iter()
        .find(|n| n.channel.as_str() == "email")
        .expect("the email listed");
    assert_eq!(email_line.state.as_str(), "sent");
    assert_eq!(email_line.attempts, 2, "{email_line:?}");
    // An answer that is not what Postmark documents keeps the message to try again.
    ctx.catcher.fail_next(Route::Email, vec![Reply::garbage()]);
    push(ctx, &shop, &[(1, "out_for_delivery", "Out for delivery")]);
    let emails = wait_for(ctx, email, 2);
    assert_eq!(emails[1].tag.as_deref(), Some("out_for_delivery"));
}

fn notifications_refused_for_good_are_failed_not_retried(ctx: &Ctx) {
    let email = "refused@example.com";
    let (shop, _) = shop_with_customer(ctx, "refused", email, "+1 555 0177", "en");
    ctx.catcher.fail_next(
        Route::Email,
        vec![Reply {
            status: 422,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: r#"{"ErrorCode":300,"Message":"Invalid 'To' address"}"#.into(),
        }],
    );
    let before = ctx.catcher.attempts(&Route::Email);
    ship(ctx, &shop);
    let list = settled(ctx, &shop, 3);
    let line = list
        .notifications
        .iter()
        .find(|n| n.channel.as_str() == "email")
        .expect("the email listed");
    assert_eq!(line.state.as_str(), "failed", "{line:?}");
    assert_eq!(line.attempts, 1);
    assert_eq!(
        line.last_error.as_deref(),
        Some("Postmark 300: Invalid 'To' address")
    );
    no_more(ctx, email, 0);
    assert_eq!(
        ctx.catcher.attempts(&Route::Email),
        before + 1,
        "not retried"
    );
    let failed = listed(ctx, &shop, "?status=failed");
    assert_eq!(failed.notifications.len(), 1);
}

fn notifications_follow_each_shops_own_settings(ctx: &Ctx) {
    let a_email = "a.customer@example.com";
    let b_email = "b.customer@example.com";
    let (a, _) = shop_with_customer(ctx, "shop-a", a_email, "+1 555 0111", "en");
    let (b, _) = shop_with_customer(ctx, "shop-b", b_email, "+1 555 0122", "en");
    // Shop B: webhooks only, and no "shipped".
    let settings = ctx
        .client
        .put("/v1/notifications/settings")
        .bearer(&b.secret_key)
        .json(
            &json!({ "channels": ["webhook"], "triggers": ["delivered"], "sender_name": "Shop B" }),
        )
        .send()
        .unwrap();
    assert_eq!(settings.status, 200, "{}", settings.text());
    ship(ctx, &a);
    ship(ctx, &b);
    let a_mail = wait_for(ctx, a_email, 1);
    assert!(
        !a_mail[0]
            .from
            .as_deref()
            .unwrap_or_default()
            .contains("Shop B"),
        "{:?}",
        a_mail[0].from
    );
    wait_for(ctx, "/hooks/shop-a", 1);
    no_more(ctx, b_email, 0);
    assert!(caught(ctx, "/hooks/shop-b").is_empty());
    assert!(caught(ctx, "+1 555 0122").is_empty());
    // A's webhook never carries B's shipment, nor B's a message of A's.
    let a_hooks = caught(ctx, "/hooks/shop-a");
    assert!(a_hooks.iter().all(|m| !m.text.contains("b.customer")));
    assert!(matches!(a_mail[0].channel, Channel::Email));
}
