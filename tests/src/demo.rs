//! The demo shop, seeded through the API itself: orders and shipments in every interesting
//! state, with event times relative to now so the demo always looks current.

use chrono::{FixedOffset, TimeDelta, Utc};
use serde_json::{Value, json};
use waypost_shared::wire::{IntegrationView, ShopCreated, Trigger};

use crate::client::Client;
use crate::fake_seventeen_track::{FakeSeventeenTrack, Journey, UpstreamBehaviour};
use crate::platform_webhooks::{shopify_fulfillment, sign};

/// What the demo seeding made.
pub struct Demo {
    /// The shop and its keys.
    pub shop: ShopCreated,
    /// Each demo shipment: what it shows, and its tracking number.
    pub shipments: Vec<(&'static str, &'static str)>,
    /// Each demo order: what it shows, its number and the email that opens it.
    pub orders: Vec<(&'static str, &'static str, &'static str)>,
    /// The shop's platform integrations: platform, webhook URL and signing secret.
    pub integrations: Vec<(&'static str, String, String)>,
    /// A Shopify fulfillment for a new order, signed with the demo shop's Shopify secret, ready to
    /// send to its webhook URL.
    pub sample_webhook: SampleWebhook,
}

/// A signed webhook delivery: where it goes, its headers (besides `Content-Type:
/// application/json`) and its body.
pub struct SampleWebhook {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// The demo's dropshipped parcel: its YunExpress number from Shenzhen, the number USPS took it
/// over under, and its order.
pub const DROPSHIPPED: (&str, &str, &str) =
    ("YT2434012345678901", "9261290398765400001234", "1003");

/// Scripts the dropshipped parcel's journey on the aggregator's upstream: YunExpress in Shenzhen
/// (UTC+8), handed over to USPS in Los Angeles, out for delivery in Ohio (UTC−5) today. Its events
/// are written relative to now, like the rest of the demo. Returns the journey.
pub fn script_dropshipped(upstream: &FakeSeventeenTrack) -> Journey {
    let (number, last_mile, _) = DROPSHIPPED;
    let journey = Journey::handed_over(
        ("YunExpress", 190008, "CN"),
        ("USPS", 21051, Some(last_mile)),
    );
    upstream.script(number, UpstreamBehaviour::Journey(journey.clone()));
    journey
}

/// The demo's parcel whose label was made 6 days ago and that the carrier has not scanned since:
/// stalled before it ever moved.
pub const NOT_YET_SCANNED: &str = "1Z6F2A410365981028";

/// The tracking number and order of the demo's sample Shopify fulfillment.
pub const SAMPLE_FULFILLMENT: (&str, &str) = ("1Z999AA10123456784", "1099");

/// Origins the demo shop allows: the Worker itself and the usual local storefront ports.
pub const DEMO_ORIGINS: [&str; 3] = [
    "http://127.0.0.1:8787",
    "http://localhost:8787",
    "http://127.0.0.1:8080",
];

/// Every trigger a shop can turn on, on; the demo storefront as the tracking page; and a webhook
/// endpoint at `webhook_url` when given.
fn notifications(
    client: &Client,
    shop: &ShopCreated,
    webhook_url: Option<&str>,
) -> Result<(), String> {
    let triggers: Vec<&str> = Trigger::ALL
        .iter()
        .filter(|trigger| **trigger != Trigger::SubscriptionConfirmation)
        .map(|trigger| trigger.as_str())
        .collect();
    let page = format!(
        "{}/demo/?key={}&tracking={{number}}",
        client.base_url(),
        shop.publishable_key
    );
    let reply = client
        .put("/v1/notifications/settings")
        .bearer(&shop.secret_key)
        .json(&json!({ "triggers": triggers, "tracking_page": page }))
        .send()?;
    if reply.status != 200 {
        return Err(format!(
            "notification settings: {} {}",
            reply.status,
            reply.text()
        ));
    }
    if let Some(url) = webhook_url {
        let reply = client
            .post("/v1/notifications/webhooks")
            .bearer(&shop.secret_key)
            .json(&json!({ "url": url }))
            .send()?;
        if reply.status != 201 {
            return Err(format!(
                "webhook endpoint: {} {}",
                reply.status,
                reply.text()
            ));
        }
    }
    Ok(())
}

/// An RFC 3339 time `hours_ago` hours before now, written at `offset_hours` from UTC.
fn ago(hours_ago: i64, offset_hours: i32) -> String {
    let offset = FixedOffset::east_opt(offset_hours * 3600).expect("valid offset");
    (Utc::now() - TimeDelta::hours(hours_ago))
        .with_timezone(&offset)
        .format("%Y-%m-%dT%H:%M:00%:z")
        .to_string()
}

fn event(
    hours_ago: i64,
    offset: i32,
    status: &str,
    sub: Option<&str>,
    text: &str,
    city: &str,
    country: &str,
) -> Value {
    json!({
        "time": ago(hours_ago, offset),
        "status": status,
        "sub_status": sub,
        "description": text,
        "location": { "city": city, "country": country },
    })
}

/// Seeds the demo shop on a running Worker.
pub fn seed(client: &Client, admin_token: &str, extra_origins: &[&str]) -> Result<Demo, String> {
    seed_with_webhook(client, admin_token, extra_origins, None)
}

/// Seeds the demo shop on a running Worker with every notification trigger on and its tracking
/// page on the demo storefront, before anything happens to its orders (so each is told); with
/// `webhook_url`, a webhook endpoint there too (the local catcher's, under `cargo xtask dev`).
pub fn seed_with_webhook(
    client: &Client,
    admin_token: &str,
    extra_origins: &[&str],
    webhook_url: Option<&str>,
) -> Result<Demo, String> {
    let origins: Vec<&str> = DEMO_ORIGINS
        .iter()
        .copied()
        .chain(extra_origins.iter().copied())
        .collect();
    let shop = client.create_shop(
        admin_token,
        &json!({ "name": "Harbor & Pine (demo)", "allowed_origins": origins, "transit_days": { "min_days": 7, "max_days": 15 }, "live_carriers": ["yunexpress"] }),
    )?;
    let secret = shop.secret_key.clone();
    notifications(client, &shop, webhook_url)?;
    let put = |path: &str, body: Value| -> Result<(), String> {
        let reply = client.put(path).bearer(&secret).json(&body).send()?;
        if reply.status == 200 {
            Ok(())
        } else {
            Err(format!("PUT {path}: {} {}", reply.status, reply.text()))
        }
    };
    let push = |number: &str, events: Vec<Value>| -> Result<(), String> {
        let path = format!("/v1/shipments/{number}/events");
        let reply = client
            .post(&path)
            .bearer(&secret)
            .json(&json!({ "events": events }))
            .send()?;
        if reply.status == 200 {
            Ok(())
        } else {
            Err(format!("POST {path}: {} {}", reply.status, reply.text()))
        }
    };
    let domestic = |order: &str, city: &str| json!({ "order_number": order, "destination": { "city": city, "region": "NY", "country": "US" }, "scope": "domestic", "service_level": "standard" });

    put(
        "/v1/orders/1001",
        json!({ "status": "pending", "sub_status": "awaiting_stock", "customer": { "name": "Maya Lopez", "email": "maya@example.com", "phone": "+1 555 0101" }, "postal_code": "10001" }),
    )?;

    put(
        "/v1/orders/1002",
        json!({ "status": "pending", "customer": { "name": "Sam Okafor", "email": "sam@example.com" }, "postal_code": "60601" }),
    )?;
    put(
        "/v1/shipments/1Z5R89390357567127",
        domestic("1002", "Chicago"),
    )?;
    push(
        "1Z5R89390357567127",
        vec![
            event(
                50,
                -5,
                "info_received",
                Some("label_created"),
                "Shipper created a label",
                "Newark",
                "US",
            ),
            event(
                30,
                -5,
                "in_transit",
                Some("picked_up"),
                "Picked up",
                "Newark",
                "US",
            ),
            event(
                20,
                -5,
                "in_transit",
                Some("departed_facility"),
                "Departed from facility",
                "Newark",
                "US",
            ),
            event(
                6,
                -6,
                "in_transit",
                Some("arrived_facility"),
                "Arrived at facility",
                "Chicago",
                "US",
            ),
        ],
    )?;
    put(
        "/v1/shipments/RR123456785CN",
        json!({ "order_number": "1002", "destination": { "city": "Chicago", "region": "IL", "country": "US" }, "scope": "international", "service_level": "postal" }),
    )?;
    push(
        "RR123456785CN",
        vec![
            event(
                200,
                8,
                "in_transit",
                Some("picked_up"),
                "Posting / collection",
                "Shenzhen",
                "CN",
            ),
            event(
                170,
                8,
                "in_transit",
                Some("departed_facility"),
                "Departure from outward office of exchange",
                "Guangzhou",
                "CN",
            ),
            event(
                100,
                -8,
                "in_transit",
                Some("customs_processing"),
                "Held by customs, import clearance",
                "Los Angeles",
                "US",
            ),
            event(
                80,
                -8,
                "in_transit",
                Some("customs_released"),
                "Released by customs",
                "Los Angeles",
                "US",
            ),
            event(
                10,
                -6,
                "in_transit",
                Some("arrived_facility"),
                "Arrived at USPS regional facility",
                "Chicago",
                "US",
            ),
        ],
    )?;

    let single = |number: &str,
                  order: &str,
                  email: &str,
                  events: Vec<Value>|
     -> Result<(), String> {
        put(
            &format!("/v1/orders/{order}"),
            json!({ "status": "pending", "customer": { "email": email }, "postal_code": "11201" }),
        )?;
        put(
            &format!("/v1/shipments/{number}"),
            domestic(order, "Brooklyn"),
        )?;
        push(number, events)
    };
    single(
        "1Z879E930346834440",
        "1003",
        "lee@example.com",
        vec![
            event(
                40,
                -5,
                "in_transit",
                Some("picked_up"),
                "Picked up",
                "Philadelphia",
                "US",
            ),
            event(
                3,
                -5,
                "out_for_delivery",
                None,
                "Out for delivery",
                "Brooklyn",
                "US",
            ),
        ],
    )?;
    single(
        "1Z410E7W0392751591",
        "1004",
        "ana@example.com",
        vec![
            event(
                70,
                -5,
                "in_transit",
                Some("picked_up"),
                "Picked up",
                "Boston",
                "US",
            ),
            event(
                28,
                -5,
                "out_for_delivery",
                None,
                "Out for delivery",
                "Brooklyn",
                "US",
            ),
            event(
                24,
                -5,
                "delivered",
                Some("signed"),
                "Delivered, signed by A. RIVERA",
                "Brooklyn",
                "US",
            ),
        ],
    )?;
    single(
        "1Z8V92A70367203024",
        "1005",
        "kim@example.com",
        vec![
            event(
                50,
                -5,
                "in_transit",
                Some("picked_up"),
                "Picked up",
                "Albany",
                "US",
            ),
            event(
                5,
                -5,
                "available_for_pickup",
                Some("locker"),
                "Ready for pickup at UPS Access Point locker",
                "Brooklyn",
                "US",
            ),
        ],
    )?;
    single(
        "1ZXX3150YW44070023",
        "1006",
        "joe@example.com",
        vec![
            event(
                48,
                -5,
                "in_transit",
                Some("picked_up"),
                "Picked up",
                "Trenton",
                "US",
            ),
            event(
                4,
                -5,
                "attempt_failed",
                Some("invalid_address"),
                "Delivery attempted: address not found",
                "Brooklyn",
                "US",
            ),
        ],
    )?;
    single(
        "1234567891",
        "1007",
        "zoe@example.com",
        vec![
            event(
                60,
                1,
                "in_transit",
                Some("picked_up"),
                "Shipment picked up",
                "Leipzig",
                "DE",
            ),
            event(
                12,
                -5,
                "exception",
                Some("damaged"),
                "Package damaged in transit; claim opened",
                "New York",
                "US",
            ),
        ],
    )?;
    single(
        "287809468872",
        "1008",
        "raj@example.com",
        vec![
            event(
                300,
                -5,
                "in_transit",
                Some("picked_up"),
                "Picked up",
                "Memphis",
                "US",
            ),
            event(
                260,
                -5,
                "in_transit",
                Some("departed_facility"),
                "Left FedEx origin facility",
                "Memphis",
                "US",
            ),
        ],
    )?;

    single(
        NOT_YET_SCANNED,
        "1009",
        "noor@example.com",
        vec![event(
            140,
            -5,
            "info_received",
            Some("label_created"),
            "Shipper created a label, UPS has not received the package yet",
            "Newark",
            "US",
        )],
    )?;

    // Dropshipped from Shenzhen: its events come from the aggregator (a local fake of 17TRACK
    // under `cargo xtask dev`, see `script_dropshipped`), not from pushes.
    let (dropshipped, _, dropship_order) = DROPSHIPPED;
    put(
        &format!("/v1/orders/{dropship_order}"),
        json!({ "status": "pending", "customer": { "name": "Lea Hoffmann", "email": "lea@example.com" }, "postal_code": "43215", "lang": "en" }),
    )?;
    put(
        &format!("/v1/shipments/{dropshipped}"),
        json!({ "order_number": dropship_order, "carrier": "yunexpress", "destination": { "city": "Columbus", "region": "OH", "country": "US" }, "scope": "international", "service_level": "postal" }),
    )?;

    let mut integrations = Vec::new();
    for platform in ["shopify", "woocommerce"] {
        let secret = format!("demo-{platform}-secret-{}", shop.shop_id);
        let reply = client
            .put(&format!("/v1/integrations/{platform}"))
            .bearer(&shop.secret_key)
            .json(&json!({ "webhook_secret": secret }))
            .send()?;
        if reply.status != 200 {
            return Err(format!(
                "{platform} integration: {} {}",
                reply.status,
                reply.text()
            ));
        }
        let view: IntegrationView = reply.parse();
        integrations.push((platform, view.webhook_url, secret));
    }
    let (number, order) = SAMPLE_FULFILLMENT;
    let at = ago(1, -5);
    let body = shopify_fulfillment(4_100_000_001, order, &[number], "UPS", &at).to_string();
    let (_, url, secret) = &integrations[0];
    let sample_webhook = SampleWebhook {
        url: url.clone(),
        headers: vec![
            ("X-Shopify-Topic", "fulfillments/create".to_owned()),
            ("X-Shopify-Webhook-Id", format!("demo-{}", shop.shop_id)),
            ("X-Shopify-Hmac-Sha256", sign(secret, body.as_bytes())),
        ],
        body,
    };

    Ok(Demo {
        integrations,
        sample_webhook,
        shop,
        shipments: vec![
            ("in transit (part 1 of order 1002)", "1Z5R89390357567127"),
            (
                "international postal, customs, three time zones (part 2 of order 1002)",
                "RR123456785CN",
            ),
            ("out for delivery", "1Z879E930346834440"),
            ("delivered", "1Z410E7W0392751591"),
            ("ready for pickup in a locker", "1Z8V92A70367203024"),
            ("failed delivery: bad address", "1ZXX3150YW44070023"),
            ("exception: damaged", "1234567891"),
            ("stalled: no scan for 10 days", "287809468872"),
            ("label created 6 days ago, never scanned", NOT_YET_SCANNED),
            (
                "dropshipped from Shenzhen, handed over to USPS (order 1003)",
                DROPSHIPPED.0,
            ),
        ],
        orders: vec![
            ("pending, awaiting stock", "1001", "maya@example.com"),
            ("split in two parcels", "1002", "sam@example.com"),
            ("dropshipped", DROPSHIPPED.2, "lea@example.com"),
        ],
    })
}
