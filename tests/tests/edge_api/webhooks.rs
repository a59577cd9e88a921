//! Shopify and WooCommerce webhooks and the integrations that configure them, with the platforms'
//! documented payloads, signed as the platforms sign them.

use serde_json::{Value, json};
use waypost_shared::detect::Carrier;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{
    IntegrationView, OrderView, ShopCreated, TrackingView, WebhookAck, WebhookOutcome,
};
use waypost_tests::Reply;
use waypost_tests::platform_webhooks::{
    SHOPIFY_ORDER, WOOCOMMERCE_ORDER, shopify_fulfillment, sign,
};

use super::{Ctx, Test, UPS};

/// This module's tests, run by the harness in `edge_api.rs`.
pub const TESTS: &[Test] = &[
    (
        "shopify_fulfillment_makes_parcels_trackable",
        shopify_fulfillment_makes_parcels_trackable,
    ),
    (
        "webhooks_without_the_shops_signature_change_nothing",
        webhooks_without_the_shops_signature_change_nothing,
    ),
    (
        "webhooks_apply_once_newest_first_and_move_corrected_numbers",
        webhooks_apply_once_newest_first_and_move_corrected_numbers,
    ),
    (
        "webhooks_racing_end_in_the_newest_version",
        webhooks_racing_end_in_the_newest_version,
    ),
    (
        "shopify_cancelled_order_shows_cancelled",
        shopify_cancelled_order_shows_cancelled,
    ),
    (
        "woocommerce_order_and_delivery_test",
        woocommerce_order_and_delivery_test,
    ),
    (
        "webhook_bad_input_gets_a_clear_4xx_and_changes_nothing",
        webhook_bad_input_gets_a_clear_4xx_and_changes_nothing,
    ),
    (
        "integrations_are_configured_by_secret_key",
        integrations_are_configured_by_secret_key,
    ),
];

/// Another valid UPS number (a supplier's corrected one).
const UPS_CORRECTED: &str = "1Z999AA10123456784";
const SECRET: &str = "shpss_0123456789abcdef0123456789abcdef";

/// A shop with the platform's integration set; answers it and the webhook path.
fn connected(ctx: &Ctx, platform: &str, secret: &str) -> (ShopCreated, String) {
    let shop = ctx.shop();
    let reply = ctx.put(
        &shop.secret_key,
        &format!("/v1/integrations/{platform}"),
        json!({ "webhook_secret": secret }),
    );
    ctx.conforms(&reply, 200, "IntegrationView");
    let view: IntegrationView = reply.parse();
    let path = view
        .webhook_url
        .split_once("/v1/")
        .map(|(_, path)| format!("/v1/{path}"))
        .expect("a webhook URL on this server");
    assert_eq!(path, format!("/v1/webhooks/{platform}/{}", shop.shop_id));
    (shop, path)
}

/// Sends a Shopify delivery, signed with `secret`.
fn shopify(ctx: &Ctx, path: &str, secret: &str, topic: &str, id: &str, body: &[u8]) -> Reply {
    ctx.client
        .post(path)
        .header("X-Shopify-Topic", topic)
        .header("X-Shopify-Webhook-Id", id)
        .header("X-Shopify-Shop-Domain", "jsmith.myshopify.com")
        .header("X-Shopify-Hmac-Sha256", &sign(secret, body))
        .raw("application/json", body.to_vec())
        .send()
        .unwrap()
}

fn ack(ctx: &Ctx, reply: &Reply) -> WebhookAck {
    ctx.conforms(reply, 200, "WebhookAck");
    reply.parse()
}

fn order(ctx: &Ctx, key: &str, number: &str) -> Reply {
    ctx.get(&format!(
        "/v1/orders/{number}?email=jon@example.com&key={key}"
    ))
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn shopify_fulfillment_makes_parcels_trackable(ctx: &Ctx) {
    let (shop, path) = connected(ctx, "shopify", SECRET);
    let fulfillment = shopify_fulfillment(
        255858046,
        "1001",
        &[UPS, UPS_CORRECTED],
        "UPS",
        "2026-11-20T10:00:00-05:00",
    );
    let reply = shopify(
        ctx,
        &path,
        SECRET,
        "fulfillments/create",
        "w-1",
        &bytes(&fulfillment),
    );
    let ack = ack(ctx, &reply);
    assert_eq!((ack.outcome, ack.parcels), (WebhookOutcome::Applied, 2));
    for number in [UPS, UPS_CORRECTED] {
        let reply = ctx.track(&shop.publishable_key, number);
        ctx.conforms(&reply, 200, "TrackingView");
        let view: TrackingView = reply.parse();
        assert_eq!(view.carrier.map(|c| c.code), Some(Carrier::Ups));
        assert_eq!(view.order_reference.as_deref(), Some("1001"));
    }
    // The order: found by its name without the '#' and the fulfillment's email, both parcels.
    let reply = order(ctx, &shop.publishable_key, "1001");
    ctx.conforms(&reply, 200, "OrderView");
    let view: OrderView = reply.parse();
    assert_eq!(view.shipments.len(), 2);
    // Public answers hold no contact.
    assert!(!reply.text().contains("jon@example.com"));
}

fn webhooks_without_the_shops_signature_change_nothing(ctx: &Ctx) {
    let (shop, path) = connected(ctx, "shopify", SECRET);
    let (_, other_path) = connected(ctx, "shopify", "another-shops-secret-0123456789");
    let body = bytes(&shopify_fulfillment(
        1,
        "2001",
        &[UPS],
        "UPS",
        "2026-11-20T10:00:00Z",
    ));
    let mut altered = body.clone();
    altered.extend_from_slice(b" ");
    let signed = sign(SECRET, &body);
    let attempts: [(&str, Option<String>, &[u8]); 4] = [
        (&path, None, &body),
        (&path, Some("bm90IHRoZSBzaWduYXR1cmU=".to_owned()), &body),
        (&path, Some(signed.clone()), &altered),
        // Signed right, sent to another shop.
        (&other_path, Some(signed), &body),
    ];
    for (to, signature, body) in attempts {
        let mut call = ctx
            .client
            .post(to)
            .header("X-Shopify-Topic", "fulfillments/create")
            .header("X-Shopify-Webhook-Id", "forged");
        if let Some(signature) = &signature {
            call = call.header("X-Shopify-Hmac-Sha256", signature);
        }
        let reply = call.raw("application/json", body.to_vec()).send().unwrap();
        ctx.problem(&reply, 401, "unauthorized");
    }
    ctx.problem(
        &ctx.track(&shop.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
    // A shop without the integration, and one that removed it, refuse even signed deliveries.
    let bare = ctx.shop();
    let reply = shopify(
        ctx,
        &format!("/v1/webhooks/shopify/{}", bare.shop_id),
        SECRET,
        "fulfillments/create",
        "w-1",
        &body,
    );
    ctx.problem(&reply, 401, "unauthorized");
    let removed = ctx
        .client
        .delete("/v1/integrations/shopify")
        .bearer(&shop.secret_key)
        .send()
        .unwrap();
    assert_eq!(removed.status, 204);
    let reply = shopify(ctx, &path, SECRET, "fulfillments/create", "w-2", &body);
    ctx.problem(&reply, 401, "unauthorized");
    ctx.problem(
        &ctx.track(&shop.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
}

fn webhooks_apply_once_newest_first_and_move_corrected_numbers(ctx: &Ctx) {
    let (shop, path) = connected(ctx, "shopify", SECRET);
    let create = bytes(&shopify_fulfillment(
        7,
        "3001",
        &[UPS],
        "UPS",
        "2026-11-20T10:00:00Z",
    ));
    // The same delivery three times: stored once.
    let outcomes: Vec<WebhookOutcome> = (0..3)
        .map(|_| {
            ack(
                ctx,
                &shopify(ctx, &path, SECRET, "fulfillments/create", "dup-1", &create),
            )
            .outcome
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            WebhookOutcome::Applied,
            WebhookOutcome::Duplicate,
            WebhookOutcome::Duplicate
        ]
    );
    let view: OrderView = order(ctx, &shop.publishable_key, "3001").parse();
    assert_eq!(view.shipments.len(), 1);

    // The supplier corrects the number: the parcel moves, the old number is gone.
    let update = bytes(&shopify_fulfillment(
        7,
        "3001",
        &[UPS_CORRECTED],
        "UPS",
        "2026-11-21T08:00:00Z",
    ));
    let moved = ack(
        ctx,
        &shopify(ctx, &path, SECRET, "fulfillments/update", "upd-1", &update),
    );
    assert_eq!((moved.parcels, moved.removed), (1, 1));
    ctx.problem(
        &ctx.track(&shop.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
    let view: OrderView = order(ctx, &shop.publishable_key, "3001").parse();
    let numbers: Vec<&str> = view
        .shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect();
    assert_eq!(numbers, [UPS_CORRECTED]);

    // Another fulfillment whose update arrives before its create ends in the update's state.
    let update = bytes(&shopify_fulfillment(
        8,
        "3002",
        &[UPS_CORRECTED],
        "UPS",
        "2026-11-22T09:00:00Z",
    ));
    let create = bytes(&shopify_fulfillment(
        8,
        "3002",
        &[UPS],
        "UPS",
        "2026-11-22T07:00:00Z",
    ));
    assert_eq!(
        ack(
            ctx,
            &shopify(ctx, &path, SECRET, "fulfillments/update", "late-2", &update)
        )
        .outcome,
        WebhookOutcome::Applied
    );
    assert_eq!(
        ack(
            ctx,
            &shopify(ctx, &path, SECRET, "fulfillments/create", "late-1", &create)
        )
        .outcome,
        WebhookOutcome::Outdated
    );
    let view: OrderView = order(ctx, &shop.publishable_key, "3002").parse();
    let numbers: Vec<&str> = view
        .shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect();
    assert_eq!(numbers, [UPS_CORRECTED]);
    // A number two fulfillments of one order list (one box) stays while either lists it.
    let first = bytes(&shopify_fulfillment(
        11,
        "3003",
        &[UPS],
        "UPS",
        "2026-11-23T08:00:00Z",
    ));
    let second = bytes(&shopify_fulfillment(
        12,
        "3003",
        &[UPS],
        "UPS",
        "2026-11-23T08:00:00Z",
    ));
    let mut cancelled = shopify_fulfillment(11, "3003", &[UPS], "UPS", "2026-11-23T09:00:00Z");
    cancelled["status"] = json!("cancelled");
    shopify(ctx, &path, SECRET, "fulfillments/create", "box-1", &first);
    shopify(ctx, &path, SECRET, "fulfillments/create", "box-2", &second);
    let kept = ack(
        ctx,
        &shopify(
            ctx,
            &path,
            SECRET,
            "fulfillments/update",
            "box-1-cancel",
            &bytes(&cancelled),
        ),
    );
    assert_eq!(kept.removed, 0);
    let view: OrderView = order(ctx, &shop.publishable_key, "3003").parse();
    assert_eq!(
        view.shipments.len(),
        1,
        "the other fulfillment still lists it"
    );

    // Its order 3001 kept its own parcel.
    let view: OrderView = order(ctx, &shop.publishable_key, "3001").parse();
    assert_eq!(
        view.shipments.len(),
        0,
        "the number moved to order 3002's fulfillment"
    );
}

/// A fulfillment's create (the supplier's first number) and its update (the corrected one) sent at
/// the same moment, for several orders: each ends with its corrected number only, whichever
/// delivery the Worker finished last.
fn webhooks_racing_end_in_the_newest_version(ctx: &Ctx) {
    let (shop, path) = connected(ctx, "shopify", SECRET);
    let first = |k: usize| format!("RACEFIRST{k:03}");
    let corrected = |k: usize| format!("RACEFIXED{k:03}");
    std::thread::scope(|scope| {
        for k in 0..6 {
            let (order, id) = (format!("6{k:03}"), 600 + k as u64);
            let create = shopify_fulfillment(id, &order, &[&first(k)], "", "2026-11-20T10:00:00Z");
            let update =
                shopify_fulfillment(id, &order, &[&corrected(k)], "", "2026-11-20T11:00:00Z");
            let path = &path;
            for (topic, body) in [
                ("fulfillments/create", create),
                ("fulfillments/update", update),
            ] {
                scope.spawn(move || {
                    let reply = shopify(
                        ctx,
                        path,
                        SECRET,
                        topic,
                        &format!("{topic}-{id}"),
                        &bytes(&body),
                    );
                    assert_eq!(reply.status, 200, "{}", reply.text());
                });
            }
        }
    });
    for k in 0..6 {
        let view: OrderView = order(ctx, &shop.publishable_key, &format!("6{k:03}")).parse();
        let numbers: Vec<&str> = view
            .shipments
            .iter()
            .map(|s| s.tracking_number.as_str())
            .collect();
        assert_eq!(numbers, [corrected(k)], "order 6{k:03}");
        ctx.problem(
            &ctx.track(&shop.publishable_key, &first(k)),
            404,
            "tracking_not_found",
        );
    }
}

fn shopify_cancelled_order_shows_cancelled(ctx: &Ctx) {
    let (shop, path) = connected(ctx, "shopify", SECRET);
    let mut order_payload: Value = serde_json::from_str(SHOPIFY_ORDER).unwrap();
    order_payload["name"] = json!("#4001");
    order_payload["customer_locale"] = json!("es-MX");
    let reply = shopify(
        ctx,
        &path,
        SECRET,
        "orders/create",
        "o-1",
        &bytes(&order_payload),
    );
    assert_eq!(ack(ctx, &reply).outcome, WebhookOutcome::Applied);
    let view: OrderView = order(ctx, &shop.publishable_key, "4001").parse();
    assert_eq!(view.status, Status::Pending);

    order_payload["cancelled_at"] = json!("2026-11-21T10:00:00-05:00");
    order_payload["updated_at"] = json!("2026-11-21T10:00:00-05:00");
    let reply = shopify(
        ctx,
        &path,
        SECRET,
        "orders/cancelled",
        "o-2",
        &bytes(&order_payload),
    );
    assert_eq!(ack(ctx, &reply).outcome, WebhookOutcome::Applied);
    let reply = order(ctx, &shop.publishable_key, "4001");
    ctx.conforms(&reply, 200, "OrderView");
    let view: OrderView = reply.parse();
    assert_eq!(
        (view.status, view.sub_status),
        (Status::Exception, Some(SubStatus::Cancelled))
    );
    // Also found by the shipping address's postal code.
    let by_code = ctx.get(&format!(
        "/v1/orders/4001?postal_code=40003&key={}",
        shop.publishable_key
    ));
    assert_eq!(by_code.status, 200, "{}", by_code.text());
}

fn woocommerce_order_and_delivery_test(ctx: &Ctx) {
    let secret = "wc-secret-typed-by-the-retailer";
    let (shop, path) = connected(ctx, "woocommerce", secret);
    // Saving the webhook in WooCommerce sends an unsigned delivery test first.
    let ping = ctx
        .client
        .post(&path)
        .raw(
            "application/x-www-form-urlencoded",
            b"webhook_id=15".to_vec(),
        )
        .send()
        .unwrap();
    assert_eq!(ack(ctx, &ping).outcome, WebhookOutcome::Ignored);

    let mut payload: Value = serde_json::from_str(WOOCOMMERCE_ORDER).unwrap();
    payload["meta_data"][0]["value"][0]["tracking_number"] = json!(UPS);
    payload["meta_data"][0]["value"][0]["tracking_provider"] = json!("ups");
    let body = bytes(&payload);
    // WooCommerce's delivery id is the same for every delivery of one webhook in one second.
    let deliver = |body: &[u8]| {
        let reply = ctx
            .client
            .post(&path)
            .header("X-WC-Webhook-Topic", "order.updated")
            .header("X-WC-Webhook-Resource", "order")
            .header("X-WC-Webhook-Event", "updated")
            .header("X-WC-Webhook-Delivery-ID", "same-second")
            .header("X-WC-Webhook-Signature", &sign(secret, body))
            .raw("application/json", body.to_vec())
            .send()
            .unwrap();
        ack(ctx, &reply)
    };
    let done = deliver(&body);
    assert_eq!((done.outcome, done.parcels), (WebhookOutcome::Applied, 1));
    assert_eq!(deliver(&body).outcome, WebhookOutcome::Duplicate);
    // Another order of the same second, under the same delivery id: applied too.
    let mut other = payload.clone();
    other["id"] = json!(728);
    other["number"] = json!("728");
    other["meta_data"][0]["value"][0]["tracking_number"] = json!(UPS_CORRECTED);
    let done = deliver(&bytes(&other));
    assert_eq!((done.outcome, done.parcels), (WebhookOutcome::Applied, 1));
    let view: TrackingView = ctx.track(&shop.publishable_key, UPS_CORRECTED).parse();
    assert_eq!(view.order_reference.as_deref(), Some("728"));
    let view: TrackingView = ctx.track(&shop.publishable_key, UPS).parse();
    assert_eq!(view.order_reference.as_deref(), Some("727"));
    let found = ctx.get(&format!(
        "/v1/orders/727?email=john.doe@example.com&key={}",
        shop.publishable_key
    ));
    assert_eq!(found.status, 200, "{}", found.text());
    // Signed with another secret: refused.
    let forged = ctx
        .client
        .post(&path)
        .header("X-WC-Webhook-Topic", "order.updated")
        .header("X-WC-Webhook-Signature", &sign(SECRET, &body))
        .raw("application/json", body)
        .send()
        .unwrap();
    ctx.problem(&forged, 401, "unauthorized");
}

fn webhook_bad_input_gets_a_clear_4xx_and_changes_nothing(ctx: &Ctx) {
    let (shop, path) = connected(ctx, "shopify", SECRET);
    let too_big = vec![b' '; 1024 * 1024 + 1];
    let reply = shopify(ctx, &path, SECRET, "fulfillments/create", "big", &too_big);
    ctx.problem(&reply, 413, "payload_too_large");
    let reply = shopify(
        ctx,
        &path,
        SECRET,
        "fulfillments/create",
        "text",
        b"tracking: 1Z",
    );
    ctx.problem(&reply, 400, "invalid_json");
    let bomb = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let reply = shopify(ctx, &path, SECRET, "orders/create", "bomb", bomb.as_bytes());
    ctx.problem(&reply, 400, "invalid_json");
    let nameless =
        json!({ "id": 5, "tracking_numbers": [UPS], "updated_at": "2026-11-20T10:00:00Z" });
    let reply = shopify(
        ctx,
        &path,
        SECRET,
        "fulfillments/create",
        "nameless",
        &bytes(&nameless),
    );
    ctx.problem(&reply, 400, "invalid_payload");
    // A topic Waypost does not use: acknowledged, ignored.
    let fulfillment = bytes(&shopify_fulfillment(
        9,
        "5001",
        &[UPS],
        "UPS",
        "2026-11-20T10:00:00Z",
    ));
    let reply = shopify(ctx, &path, SECRET, "products/update", "other", &fulfillment);
    assert_eq!(ack(ctx, &reply).outcome, WebhookOutcome::Ignored);
    ctx.problem(
        &ctx.track(&shop.publishable_key, UPS),
        404,
        "tracking_not_found",
    );
    ctx.problem(
        &order(ctx, &shop.publishable_key, "5001"),
        404,
        "order_not_found",
    );
}

fn integrations_are_configured_by_secret_key(ctx: &Ctx) {
    let shop = ctx.shop();
    let get = |platform: &str| {
        ctx.client
            .get(&format!("/v1/integrations/{platform}"))
            .bearer(&shop.secret_key)
            .send()
            .unwrap()
    };
    ctx.problem(&get("shopify"), 404, "integration_not_found");
    let short = ctx.put(
        &shop.secret_key,
        "/v1/integrations/shopify",
        json!({ "webhook_secret": "short" }),
    );
    ctx.problem(&short, 400, "invalid_field");
    let unknown = ctx.put(
        &shop.secret_key,
        "/v1/integrations/magento",
        json!({ "webhook_secret": SECRET }),
    );
    ctx.problem(&unknown, 404, "no_route");
    let publishable = ctx.put(
        &shop.publishable_key,
        "/v1/integrations/shopify",
        json!({ "webhook_secret": SECRET }),
    );
    assert!(
        matches!(publishable.status, 401 | 403),
        "{}",
        publishable.text()
    );
    let set = ctx.put(
        &shop.secret_key,
        "/v1/integrations/shopify",
        json!({ "webhook_secret": SECRET }),
    );
    ctx.conforms(&set, 200, "IntegrationView");
    assert!(!set.text().contains(SECRET));
    let shown = get("shopify");
    ctx.conforms(&shown, 200, "IntegrationView");
    assert!(!shown.text().contains(SECRET));
    assert_eq!(
        shown.parse::<IntegrationView>().webhook_url,
        set.parse::<IntegrationView>().webhook_url
    );
    ctx.problem(&get("woocommerce"), 404, "integration_not_found");
}
