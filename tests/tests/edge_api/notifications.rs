//! Notifications end to end: a change of a shipment writes its notice with it, the queue (local
//! Cloudflare Queues under `wrangler dev`) sends each message at most once to the local catcher
//! speaking Postmark's, Twilio's and a webhook receiver's APIs, retried when the provider fails
//! for a while, refused for good on a 4xx, and every webhook verifies with an independent
//! Standard Webhooks implementation.

use std::time::{Duration, Instant};

use chrono::Timelike;

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
    (
        "notifications_tell_every_other_trigger_once",
        notifications_tell_every_other_trigger_once,
    ),
    (
        "notifications_tell_imported_parcels_shipped_once",
        notifications_tell_imported_parcels_shipped_once,
    ),
    (
        "notifications_tell_an_order_waiting_for_stock_once",
        notifications_tell_an_order_waiting_for_stock_once,
    ),
    (
        "notifications_unsubscribe_stops_the_next_email",
        notifications_unsubscribe_stops_the_next_email,
    ),
    (
        "notifications_opt_in_waits_for_its_confirmation",
        notifications_opt_in_waits_for_its_confirmation,
    ),
    (
        "notifications_tell_a_delay_once_per_episode",
        notifications_tell_a_delay_once_per_episode,
    ),
    (
        "notifications_hold_texts_in_quiet_hours",
        notifications_hold_texts_in_quiet_hours,
    ),
];

/// UPS numbers (valid check digits) of these tests' own: one per test, so no test's parcel is
/// another's.
const NUMBERS: [&str; 9] = [
    "1ZNTF0010300000017",
    "1ZNTF0010300000026",
    "1ZNTF0010300000035",
    "1ZNTF0010300000044",
    "1ZNTF0010300000053",
    "1ZNTF0010300000062",
    "1ZNTF0010300000071",
    "1ZNTF0010300000080",
    "1ZNTF0010300000099",
];

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

/// Registers `number` for order `1001`.
fn ship(ctx: &Ctx, shop: &ShopCreated, number: &str) {
    let reply = ctx
        .client
        .put(&format!("/v1/shipments/{number}"))
        .bearer(&shop.secret_key)
        .json(&json!({ "order_number": "1001" }))
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Pushes events of (hours ago, status, words).
fn push(ctx: &Ctx, shop: &ShopCreated, number: &str, events: &[(i64, &str, &str)]) {
    let events: Vec<Value> = events
        .iter()
        .map(|(hours, status, words)| {
            let at = chrono::Utc::now() - chrono::TimeDelta::hours(*hours);
            json!({ "time": at.format("%Y-%m-%dT%H:%M:00+00:00").to_string(), "status": status, "description": words, "location": { "city": "Brooklyn", "country": "US" } })
        })
        .collect();
    let reply = ctx
        .client
        .post(&format!("/v1/shipments/{number}/events"))
        .bearer(&shop.secret_key)
        .json(&json!({ "events": events }))
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// The caught messages to `to` (an address, a phone number however written, or a webhook path).
fn caught(ctx: &Ctx, to: &str) -> Vec<CaughtMessage> {
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let phone = to.starts_with('+').then(|| digits(to));
    ctx.catcher
        .messages()
        .into_iter()
        .filter(|message| match &phone {
            Some(number) => message.to.starts_with('+') && digits(&message.to) == *number,
            None => message.to == to,
        })
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
    let number = NUMBERS[0];
    let email = "lucia.tell@example.com";
    let phone = "+34 600 111 222";
    let (shop, endpoint) = shop_with_customer(ctx, "tell", email, phone, "es");
    let hook = "/hooks/tell";
    // The tracking number is registered for the order: "shipped", once on each channel.
    ship(ctx, &shop, number);
    ship(ctx, &shop, number);
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
    assert!(shipped[0].text.contains(number), "{}", shipped[0].text);
    // Without a tracking page of the shop's own, the link is the Worker's hosted page.
    let hosted = format!(
        "{}/track/?key={}&tracking={number}",
        ctx.client.base_url(),
        shop.publishable_key
    );
    assert!(shipped[0].text.contains(&hosted), "{}", shipped[0].text);
    let page = ctx.client.get(&path_of(ctx, &hosted)).send().unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<waypost-tracker"), "{}", page.text());
    wait_for(ctx, "+34 600 111 222", 1);
    let hooks = wait_for(ctx, hook, 1);
    // Out for delivery, pushed three times and in reverse: one message per channel.
    let batch = [
        (30, "in_transit", "Departed facility"),
        (2, "out_for_delivery", "Out for delivery <b>today</b>"),
    ];
    push(ctx, &shop, number, &batch);
    push(ctx, &shop, number, &batch);
    let mut reversed = batch;
    reversed.reverse();
    push(ctx, &shop, number, &reversed);
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
    assert_eq!(payload["data"]["tracking"]["tracking_number"], number);
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
    push(
        ctx,
        &shop,
        number,
        &[(1, "delivered", "Delivered, front door")],
    );
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
    let one = listed(ctx, &shop, &format!("?shipment={number}&status=sent"));
    assert_eq!(one.notifications.len(), 9);
}

fn notifications_retry_a_failing_provider_and_deliver_once(ctx: &Ctx) {
    let number = NUMBERS[1];
    let email = "retry.once@example.com";
    let (shop, _) = shop_with_customer(ctx, "retry", email, "+44 7700 900199", "en");
    ctx.catcher
        .fail_next(Route::Email, vec![Reply::status(500)]);
    ctx.catcher
        .fail_next(Route::Sms, vec![Reply::retry_after(429, 15)]);
    let before = ctx.catcher.attempts(&Route::Email);
    let pushed_at = chrono::Utc::now();
    ship(ctx, &shop, number);
    let emails = wait_for(ctx, email, 1);
    assert!(ctx.catcher.attempts(&Route::Email) >= before + 2);
    let texts = wait_for(ctx, "+44 7700 900199", 1);
    assert!(
        texts[0].at - pushed_at >= chrono::TimeDelta::seconds(15),
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
    push(
        ctx,
        &shop,
        number,
        &[(1, "out_for_delivery", "Out for delivery")],
    );
    let emails = wait_for(ctx, email, 2);
    assert_eq!(emails[1].tag.as_deref(), Some("out_for_delivery"));
}

fn notifications_refused_for_good_are_failed_not_retried(ctx: &Ctx) {
    let number = NUMBERS[2];
    let email = "refused@example.com";
    let (shop, _) = shop_with_customer(ctx, "refused", email, "+44 7700 900177", "en");
    ctx.catcher.fail_next(
        Route::Email,
        vec![Reply {
            status: 422,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: r#"{"ErrorCode":300,"Message":"Invalid 'To' address"}"#.into(),
        }],
    );
    let before = ctx.catcher.attempts(&Route::Email);
    ship(ctx, &shop, number);
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
    let number = NUMBERS[3];
    let a_email = "a.customer@example.com";
    let b_email = "b.customer@example.com";
    let (a, _) = shop_with_customer(ctx, "shop-a", a_email, "+44 7700 900111", "en");
    let (b, _) = shop_with_customer(ctx, "shop-b", b_email, "+44 7700 900122", "en");
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
    ship(ctx, &a, number);
    ship(ctx, &b, number);
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
    assert!(caught(ctx, "+44 7700 900122").is_empty());
    // A's webhook never carries B's shipment, nor B's a message of A's.
    let a_hooks = caught(ctx, "/hooks/shop-a");
    assert!(a_hooks.iter().all(|m| !m.text.contains("b.customer")));
    assert!(matches!(a_mail[0].channel, Channel::Email));
}

fn notifications_tell_a_delay_once_per_episode(ctx: &Ctx) {
    // Domestic standard in transit goes stalled after 4 quiet days; its estimated ETA counts from
    // today (no shipping date given), so it is not late.
    const DELAYED: &str = "1Z879E930346834440";
    let email = "delay.episodes@example.com";
    let hook = "/hooks/delay";
    let (shop, _) = shop_with_customer(ctx, "delay", email, "+44 7700 900166", "en");
    let registered = ctx
        .client
        .put(&format!("/v1/shipments/{DELAYED}"))
        .bearer(&shop.secret_key)
        .json(&json!({ "order_number": "1001", "scope": "domestic", "service_level": "standard" }))
        .send()
        .unwrap();
    assert_eq!(registered.status, 200, "{}", registered.text());
    let in_transit_days_ago = |days: i64| {
        let at = chrono::Utc::now() - chrono::TimeDelta::days(days);
        let reply = ctx
            .client
            .post(&format!("/v1/shipments/{DELAYED}/events"))
            .bearer(&shop.secret_key)
            .json(&json!({ "events": [{ "time": at.format("%Y-%m-%dT%H:%M:00+00:00").to_string(), "status": "in_transit", "description": format!("Departed facility ({days} days ago)"), "location": { "city": "Columbus", "country": "US" } }] }))
            .send()
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
    };
    let delay_emails = || {
        caught(ctx, email)
            .into_iter()
            .filter(|message| message.tag.as_deref() == Some("delay"))
            .collect::<Vec<_>>()
    };
    let delay_hooks = || {
        caught(ctx, hook)
            .into_iter()
            .filter(|message| message.subject.as_deref() == Some("shipment.delay"))
            .count()
    };
    let wait_for_delays = |count: usize| {
        let deadline = Instant::now() + PATIENCE;
        while delay_emails().len() < count && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(200));
        }
        let emails = delay_emails();
        assert_eq!(emails.len(), count, "delay emails: {emails:#?}");
        emails
    };
    // The "shipped" message first, so nothing of it is taken for a delay.
    wait_for(ctx, email, 1);
    // Quiet for 10 days: stalled since 6 days ago, told by the next cron run, once.
    in_transit_days_ago(10);
    ctx.client.run_cron();
    let emails = wait_for_delays(1);
    assert!(emails[0].text.contains(DELAYED), "{}", emails[0].text);
    let deadline = Instant::now() + PATIENCE;
    while delay_hooks() < 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(delay_hooks(), 1, "{:#?}", caught(ctx, hook));
    // The same episode at the next run: nothing new.
    ctx.client.run_cron();
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(delay_emails().len(), 1, "{:#?}", delay_emails());
    assert_eq!(delay_hooks(), 1, "{:#?}", caught(ctx, hook));
    // It moved 6 days ago and has been quiet since: stalled again, a new episode, told once.
    in_transit_days_ago(6);
    ctx.client.run_cron();
    wait_for_delays(2);
    ctx.client.run_cron();
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(delay_emails().len(), 2, "{:#?}", delay_emails());
}

/// The path (and query) of a link to the Worker.
fn path_of(ctx: &Ctx, url: &str) -> String {
    url.strip_prefix(ctx.client.base_url())
        .unwrap_or_else(|| panic!("{url} is not a link to the Worker"))
        .to_owned()
}

/// The first link in `text` whose path starts with `/v1/{prefix}`.
fn link_in(ctx: &Ctx, text: &str, prefix: &str) -> String {
    let start = format!("{}/v1/{prefix}", ctx.client.base_url());
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("no {start} link in {text}"));
    text[at..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn notifications_unsubscribe_stops_the_next_email(ctx: &Ctx) {
    let number = NUMBERS[4];
    let email = "stop.me@example.com";
    let phone = "+44 7700 900155";
    let (shop, _) = shop_with_customer(ctx, "unsubscribe", email, phone, "fr");
    ship(ctx, &shop, number);
    let shipped = wait_for(ctx, email, 1);
    // The email's List-Unsubscribe header (RFC 8058) and its text carry the same link.
    let header = shipped[0]
        .headers
        .get("List-Unsubscribe")
        .cloned()
        .unwrap_or_default();
    let link = link_in(ctx, &shipped[0].text, "unsubscribe");
    assert_eq!(header, format!("<{link}>"));
    assert_eq!(
        shipped[0]
            .headers
            .get("List-Unsubscribe-Post")
            .map(String::as_str),
        Some("List-Unsubscribe=One-Click")
    );
    // Opening the link asks, in the customer's language, and changes nothing.
    let page = ctx.client.get(&path_of(ctx, &link)).send().unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("lang=\"fr\""), "{}", page.text());
    assert!(
        page.text().contains("<form method=\"post\">"),
        "{}",
        page.text()
    );
    // A forged token is refused.
    let forged = ctx
        .client
        .post(&path_of(ctx, &link).replace("msg_", "msg_0"))
        .raw(
            "application/x-www-form-urlencoded",
            b"List-Unsubscribe=One-Click".to_vec(),
        )
        .send()
        .unwrap();
    assert_eq!(forged.status, 400);
    // The one-click POST, as a mail client sends it.
    let done = ctx
        .client
        .post(&path_of(ctx, &link))
        .raw(
            "application/x-www-form-urlencoded",
            b"List-Unsubscribe=One-Click".to_vec(),
        )
        .send()
        .unwrap();
    assert_eq!(done.status, 200, "{}", done.text());
    // The next change: neither the email nor the text message goes to the customer; the
    // retailer's webhook still does.
    push(
        ctx,
        &shop,
        number,
        &[(1, "out_for_delivery", "Out for delivery")],
    );
    wait_for(ctx, "/hooks/unsubscribe", 2);
    no_more(ctx, email, 1);
    no_more(ctx, phone, 1);
    let list = settled(ctx, &shop, 6);
    let mut suppressed: Vec<&str> = list
        .notifications
        .iter()
        .filter(|n| n.state.as_str() == "suppressed")
        .map(|n| n.channel.as_str())
        .collect();
    suppressed.sort_unstable();
    assert_eq!(suppressed, ["email", "sms"], "{list:#?}");
}

fn notifications_opt_in_waits_for_its_confirmation(ctx: &Ctx) {
    let number = NUMBERS[5];
    let shop = ctx.shop();
    let put = ctx
        .client
        .put(&format!("/v1/shipments/{number}"))
        .bearer(&shop.secret_key)
        .json(&json!({}))
        .send()
        .unwrap();
    assert_eq!(put.status, 200, "{}", put.text());
    let subscribe = |email: &str, number: &str| {
        ctx.client
            .post(&format!(
                "/v1/track/{number}/subscriptions?key={}&lang=de",
                shop.publishable_key
            ))
            .json(&json!({ "email": email }))
            .send()
            .unwrap()
    };
    let bad = subscribe("not an address", number);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["code"], "invalid_email");
    assert_eq!(
        subscribe("opt.in@example.com", "1Z879E930346834440").status,
        404
    );
    let asked = subscribe("Opt.In@example.com", number);
    assert_eq!(asked.status, 202, "{}", asked.text());
    assert_eq!(asked.json()["status"], "confirmation_sent");
    // Asking again sends no second confirmation.
    assert_eq!(subscribe("opt.in@example.com", number).status, 202);
    let to = "opt.in@example.com";
    let confirmation = wait_for(ctx, to, 1);
    assert_eq!(
        confirmation[0].tag.as_deref(),
        Some("subscription_confirmation")
    );
    assert!(
        confirmation[0]
            .subject
            .as_deref()
            .unwrap_or_default()
            .contains("Bestätigen"),
        "in German: {:?}",
        confirmation[0].subject
    );
    // Before confirming, a change sends nothing to the address.
    push(
        ctx,
        &shop,
        number,
        &[(3, "out_for_delivery", "Out for delivery")],
    );
    no_more(ctx, to, 1);
    let confirm = link_in(ctx, &confirmation[0].text, "subscriptions/confirm");
    let page = ctx.client.get(&path_of(ctx, &confirm)).send().unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains(number), "{}", page.text());
    let done = ctx
        .client
        .post(&path_of(ctx, &confirm))
        .raw("application/x-www-form-urlencoded", Vec::new())
        .send()
        .unwrap();
    assert_eq!(done.status, 200, "{}", done.text());
    push(ctx, &shop, number, &[(1, "delivered", "Delivered")]);
    let emails = wait_for(ctx, to, 2);
    assert_eq!(emails[1].tag.as_deref(), Some("delivered"));
    assert!(emails[1].subject.is_some());
    // The customer's erasure ends the opt-in with the rest of their data.
    let erased = ctx
        .client
        .delete(&format!("/v1/customers?email={to}"))
        .bearer(&shop.secret_key)
        .send()
        .unwrap();
    assert_eq!(erased.status, 200, "{}", erased.text());
    push(
        ctx,
        &shop,
        number,
        &[(0, "exception", "Returned to sender")],
    );
    no_more(ctx, to, 2);
}

fn notifications_tell_an_order_waiting_for_stock_once(ctx: &Ctx) {
    let email = "waiting.stock@example.com";
    let (shop, _) = shop_with_customer(ctx, "stock", email, "+44 7700 900144", "en");
    let waiting = json!({ "status": "pending", "sub_status": "awaiting_stock", "lang": "en", "customer": { "email": email } });
    for _ in 0..3 {
        let reply = ctx
            .client
            .put("/v1/orders/1001")
            .bearer(&shop.secret_key)
            .json(&waiting)
            .send()
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    let told = wait_for(ctx, email, 1);
    assert_eq!(told[0].tag.as_deref(), Some("awaiting_stock"));
    assert!(told[0].text.contains("stock"), "{}", told[0].text);
    let hooks = wait_for(ctx, "/hooks/stock", 1);
    let payload: Value =
        serde_json::from_str(hooks[0].body.as_deref().unwrap_or_default()).unwrap();
    assert_eq!(payload["type"], "order.awaiting_stock");
    assert_eq!(payload["data"]["order_number"], "1001");
    assert_eq!(payload["data"]["tracking"], Value::Null);
    no_more(ctx, email, 1);
}

fn notifications_tell_every_other_trigger_once(ctx: &Ctx) {
    let number = NUMBERS[6];
    let email = "every.trigger@example.com";
    let (shop, _) = shop_with_customer(ctx, "every", email, "+44 7700 900133", "en");
    // Every trigger on, email only.
    let settings = ctx
        .client
        .put("/v1/notifications/settings")
        .bearer(&shop.secret_key)
        .json(&json!({ "channels": ["email"], "triggers": ["shipped", "in_transit_after_silence", "out_for_delivery", "available_for_pickup", "attempt_failed", "delivered", "exception", "delay", "eta_later", "awaiting_stock", "payment_issue"] }))
        .send()
        .unwrap();
    assert_eq!(settings.status, 200, "{}", settings.text());
    let today = chrono::Utc::now().date_naive();
    let register = |eta_to: chrono::NaiveDate| {
        let reply = ctx
            .client
            .put(&format!("/v1/shipments/{number}"))
            .bearer(&shop.secret_key)
            .json(&json!({ "order_number": "1001", "scope": "domestic", "service_level": "standard", "eta": { "from": today.to_string(), "to": eta_to.to_string(), "source": "carrier" } }))
            .send()
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
    };
    register(today + chrono::TimeDelta::days(2));
    wait_for(ctx, email, 1);
    // Each change as it comes, each told before the next (a message says how things stand when
    // it is sent).
    push(
        ctx,
        &shop,
        number,
        &[(240, "in_transit", "Departed facility")],
    );
    push(
        ctx,
        &shop,
        number,
        &[(5, "in_transit", "Arrived at facility")],
    );
    wait_for(ctx, email, 2);
    push(
        ctx,
        &shop,
        number,
        &[(4, "available_for_pickup", "Ready at the Brooklyn counter")],
    );
    wait_for(ctx, email, 3);
    push(
        ctx,
        &shop,
        number,
        &[(3, "attempt_failed", "Addressee not available")],
    );
    wait_for(ctx, email, 4);
    push(
        ctx,
        &shop,
        number,
        &[(2, "exception", "Held by customs <script>x</script>")],
    );
    wait_for(ctx, email, 5);
    // The ETA moved later.
    register(today + chrono::TimeDelta::days(6));
    wait_for(ctx, email, 6);
    // The order's payment fails.
    let order = ctx
        .client
        .put("/v1/orders/1001")
        .bearer(&shop.secret_key)
        .json(&json!({ "status": "pending", "sub_status": "payment_issue", "lang": "en", "customer": { "email": email } }))
        .send()
        .unwrap();
    assert_eq!(order.status, 200, "{}", order.text());
    let expected = [
        "shipped",
        "in_transit_after_silence",
        "available_for_pickup",
        "attempt_failed",
        "exception",
        "eta_later",
        "payment_issue",
    ];
    let emails = wait_for(ctx, email, expected.len());
    no_more(ctx, email, expected.len());
    let mut tags: Vec<&str> = emails.iter().filter_map(|m| m.tag.as_deref()).collect();
    tags.sort_unstable();
    let mut wanted = expected.to_vec();
    wanted.sort_unstable();
    assert_eq!(tags, wanted);
    let by_tag = |tag: &str| {
        emails
            .iter()
            .find(|m| m.tag.as_deref() == Some(tag))
            .expect("the message")
    };
    assert!(by_tag("available_for_pickup").text.contains("Brooklyn"));
    let failed = by_tag("attempt_failed");
    assert!(failed.text.contains("What to do"), "{}", failed.text);
    let exception = by_tag("exception").html.clone().unwrap_or_default();
    assert!(
        exception.contains("&lt;script&gt;") && !exception.contains("<script>"),
        "{exception}"
    );
}

fn notifications_tell_imported_parcels_shipped_once(ctx: &Ctx) {
    let number = NUMBERS[7];
    let email = "imported.parcel@example.com";
    let shop = ctx.shop();
    let csv = format!("Order No.,Email,Tracking No.,Carrier\r\n#3001,{email},{number},UPS\r\n");
    // The same supplier export imported twice: one "shipped" message.
    for _ in 0..2 {
        let reply = ctx
            .client
            .post("/v1/imports")
            .bearer(&shop.secret_key)
            .raw("text/csv", csv.clone().into_bytes())
            .send()
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    let told = wait_for(ctx, email, 1);
    assert_eq!(told[0].tag.as_deref(), Some("shipped"));
    assert!(told[0].text.contains(number), "{}", told[0].text);
    no_more(ctx, email, 1);
}

fn notifications_hold_texts_in_quiet_hours(ctx: &Ctx) {
    let number = NUMBERS[8];
    let (email, phone) = ("quiet.hours@example.com", "+44 7700 900188");
    let (shop, _) = shop_with_customer(ctx, "quiet", email, phone, "en");
    // Quiet since an hour ago, until one or two minutes from now (a whole minute), in UTC.
    let now = chrono::Utc::now();
    let end = (now + chrono::TimeDelta::minutes(2))
        .with_second(0)
        .and_then(|end| end.with_nanosecond(0))
        .expect("a whole minute");
    let quiet = json!({
        "from": (now - chrono::TimeDelta::hours(1)).format("%H:%M").to_string(),
        "to": end.format("%H:%M").to_string(),
        "time_zone": "UTC",
    });
    let reply = ctx
        .client
        .put("/v1/notifications/settings")
        .bearer(&shop.secret_key)
        .json(&json!({ "sms_quiet_hours": quiet }))
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    ship(ctx, &shop, number);
    // Email and webhook go at once; the text waits, listed pending.
    wait_for(ctx, email, 1);
    let held = listed(ctx, &shop, "");
    let text = held
        .notifications
        .iter()
        .find(|n| n.channel.as_str() == "sms")
        .expect("the text listed");
    assert_eq!(text.state.as_str(), "pending", "{text:?}");
    assert!(caught(ctx, phone).is_empty(), "no text in quiet hours");
    // Sent once, when the quiet hours end.
    let deadline = Instant::now() + PATIENCE + Duration::from_secs(150);
    let texts = loop {
        let texts = caught(ctx, phone);
        if !texts.is_empty() || Instant::now() > deadline {
            break texts;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(texts.len(), 1, "{texts:#?}");
    assert!(
        texts[0].at >= end,
        "sent {} before the end, {end}",
        texts[0].at
    );
    no_more(ctx, phone, 1);
    let text = settled(ctx, &shop, 3)
        .notifications
        .into_iter()
        .find(|n| n.channel.as_str() == "sms")
        .expect("the text listed");
    assert_eq!(
        (text.state.as_str(), text.attempts),
        ("sent", 1),
        "{text:?}"
    );
}
