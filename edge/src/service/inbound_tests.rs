//! Platform webhooks on the host: Shopify's and WooCommerce's documented payloads read and
//! applied to the in-memory store, in every order they may arrive.

use serde_json::{Value, json};
use waypost_shared::detect::Carrier;
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{OrderView, Platform, WebhookAck, WebhookOutcome};

use super::inbound::receive;
use super::memory::{MemoryStore, TestRuntime, block_on};
use super::orders::{OrderProof, order_view};
use super::store::{OrderRecord, Runtime, ShipmentRecord, ShopRecord, Store};
use super::test_carriers::answers;
use super::tests::setup;
use super::tracking_number::TrackingNumber;
use super::{shopify, woocommerce};

const FULFILLMENT: &str = include_str!("../../fixtures/webhooks/shopify_fulfillment.json");
const ORDER: &str = include_str!("../../fixtures/webhooks/shopify_order.json");
const WOO_ORDER: &str = include_str!("../../fixtures/webhooks/woocommerce_order.json");
const UPS_A: &str = "1Z5R89390357567127";
const UPS_B: &str = "1Z999AA10123456784";

/// The documented fulfillment with its tracking numbers and `updated_at` replaced.
fn fulfillment(numbers: &[&str], updated_at: &str) -> Value {
    let mut payload: Value = serde_json::from_str(FULFILLMENT).unwrap();
    payload["tracking_numbers"] = json!(numbers);
    payload["tracking_number"] = json!(numbers.first());
    payload["updated_at"] = json!(updated_at);
    payload
}

/// A shop on the in-memory store, receiving webhooks.
struct Shop {
    store: MemoryStore,
    runtime: TestRuntime,
    record: ShopRecord,
}

impl Shop {
    fn new() -> Shop {
        let (store, runtime, record) = setup();
        Shop {
            store,
            runtime,
            record,
        }
    }

    /// Reads and applies a delivery of `topic` (Shopify's have a `/`, WooCommerce's a `.`).
    fn send(&self, topic: &str, id: &str, payload: &Value) -> WebhookAck {
        let body = serde_json::to_vec(payload).unwrap();
        let (platform, delivery) = if topic.contains('/') {
            (Platform::Shopify, shopify::delivery(topic, &body))
        } else {
            (Platform::Woocommerce, woocommerce::delivery(topic, &body))
        };
        let delivery = delivery.unwrap().expect("a topic in use");
        let now = self.runtime.now();
        block_on(receive(
            &self.store,
            &answers(),
            &self.record,
            platform,
            id,
            delivery,
            now,
        ))
        .unwrap()
    }

    /// The tracking numbers of an order's parcels.
    fn numbers(&self, order: &str) -> Vec<String> {
        block_on(self.store.order_shipments(&self.record.id, order))
            .unwrap()
            .into_iter()
            .map(|s| s.tracking_number.to_string())
            .collect()
    }

    fn shipment(&self, number: &str) -> Option<ShipmentRecord> {
        let number = TrackingNumber::normalize(number).unwrap();
        block_on(self.store.shipment(&self.record.id, &number)).unwrap()
    }

    fn order(&self, order: &str) -> OrderRecord {
        block_on(self.store.order(&self.record.id, order))
            .unwrap()
            .expect("the order")
    }

    fn view(&self, order: &str, proof: OrderProof) -> OrderView {
        let now = self.runtime.now();
        block_on(order_view(
            &self.store,
            &self.record,
            order,
            proof,
            Lang::En,
            now,
        ))
        .unwrap()
    }
}

#[test]
fn a_documented_fulfillment_registers_its_parcel_for_its_order() {
    let shop = Shop::new();
    let ack = shop.send(
        "fulfillments/create",
        "w1",
        &fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00"),
    );
    assert_eq!(ack.outcome, WebhookOutcome::Applied);
    assert_eq!(ack.parcels, 1);
    assert_eq!(shop.numbers("9999"), [UPS_A]);
    let shipment = shop.shipment(UPS_A).unwrap();
    assert_eq!(shipment.carrier, Some(Carrier::Ups));
    assert_eq!(shipment.dest_country.as_deref(), Some("US"));
    // The order is found by its number and the fulfillment's email.
    let view = shop.view("9999", OrderProof::Email("Jon@Example.com".into()));
    assert_eq!(view.shipments.len(), 1);
}

#[test]
fn a_delivery_applied_once_is_acknowledged_as_a_duplicate() {
    let shop = Shop::new();
    let payload = fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00");
    let outcomes: Vec<WebhookOutcome> = (0..3)
        .map(|_| {
            shop.send("fulfillments/create", "same-id", &payload)
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
    assert_eq!(shop.numbers("9999"), [UPS_A]);
}

#[test]
fn an_update_arriving_before_its_create_wins() {
    let shop = Shop::new();
    let update = fulfillment(&[UPS_B], "2022-01-02T10:00:00-05:00");
    let create = fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00");
    assert_eq!(
        shop.send("fulfillments/update", "w2", &update).outcome,
        WebhookOutcome::Applied
    );
    assert_eq!(
        shop.send("fulfillments/create", "w1", &create).outcome,
        WebhookOutcome::Outdated
    );
    assert_eq!(shop.numbers("9999"), [UPS_B]);
}

#[test]
fn a_corrected_number_moves_the_parcel() {
    let shop = Shop::new();
    shop.send(
        "fulfillments/create",
        "w1",
        &fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00"),
    );
    let ack = shop.send(
        "fulfillments/update",
        "w2",
        &fulfillment(&[UPS_B], "2022-01-01T08:00:00Z"),
    );
    assert_eq!((ack.parcels, ack.removed), (1, 1));
    assert_eq!(shop.numbers("9999"), [UPS_B]);
    assert!(shop.shipment(UPS_A).is_none());
}

#[test]
fn two_numbers_make_two_parcels_and_a_cancelled_fulfillment_none() {
    let shop = Shop::new();
    shop.send(
        "fulfillments/create",
        "w1",
        &fulfillment(&[UPS_A, UPS_B], "2021-12-31T19:00:00-05:00"),
    );
    let mut numbers = shop.numbers("9999");
    numbers.sort();
    assert_eq!(numbers, [UPS_A, UPS_B]);
    let mut cancelled = fulfillment(&[UPS_A, UPS_B], "2022-01-03T00:00:00Z");
    cancelled["status"] = json!("cancelled");
    let ack = shop.send("fulfillments/update", "w2", &cancelled);
    assert_eq!(ack.removed, 2);
    assert!(shop.numbers("9999").is_empty());
}

#[test]
fn the_platform_status_shows_until_the_carrier_says_more() {
    let shop = Shop::new();
    let mut payload = fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00");
    payload["shipment_status"] = json!("out_for_delivery");
    shop.send("fulfillments/create", "w1", &payload);
    let shipment = shop.shipment(UPS_A).unwrap();
    assert_eq!(shipment.status, Status::OutForDelivery);
}

#[test]
fn orders_carry_their_contact_language_and_cancellation_newest_first() {
    let shop = Shop::new();
    let mut order: Value = serde_json::from_str(ORDER).unwrap();
    order["customer_locale"] = json!("fr-CA");
    order["fulfillments"] = json!([fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00")]);
    assert_eq!(shop.send("orders/create", "o1", &order).parcels, 1);
    let stored = shop.order("9999");
    assert_eq!(stored.lang, Some(Lang::Fr));
    assert_eq!(stored.email.as_deref(), Some("jon@example.com"));
    assert_eq!(stored.postal_code.as_deref(), Some("40003"));

    let mut cancelled = order.clone();
    cancelled["cancelled_at"] = json!("2022-01-05T10:00:00-05:00");
    cancelled["updated_at"] = json!("2022-01-05T10:00:00-05:00");
    shop.send("orders/cancelled", "o2", &cancelled);
    // An older update (sent before the parcel shipped) arriving late changes nothing.
    let mut earlier = order.clone();
    earlier["fulfillments"] = json!([]);
    let late = shop.send("orders/updated", "o3", &earlier);
    assert_eq!(late.outcome, WebhookOutcome::Outdated);
    let view = shop.view("9999", OrderProof::PostalCode("40003".into()));
    assert_eq!(
        (view.status, view.sub_status),
        (Status::Exception, Some(SubStatus::Cancelled))
    );
}

#[test]
fn a_documented_woocommerce_order_registers_its_tracking_items() {
    let shop = Shop::new();
    let order: Value = serde_json::from_str(WOO_ORDER).unwrap();
    let ack = shop.send("order.updated", "d1", &order);
    assert_eq!((ack.outcome, ack.parcels), (WebhookOutcome::Applied, 1));
    let parcels = block_on(shop.store.order_shipments(&shop.record.id, "727")).unwrap();
    assert_eq!(
        parcels[0].tracking_number.as_str(),
        "9400111899223197428490"
    );
    assert_eq!(parcels[0].carrier, Some(Carrier::Usps));
    let stored = shop.order("727");
    assert_eq!(stored.email.as_deref(), Some("john.doe@example.com"));

    // Advanced Shipment Tracking's shape, the list as a JSON string, a corrected number.
    let mut corrected = order.clone();
    corrected["date_modified_gmt"] = json!("2017-03-23T08:00:00");
    corrected["meta_data"][0]["value"] = json!(serde_json::to_string(&json!([{
        "tracking_provider": "ups", "formatted_tracking_provider": "UPS", "tracking_number": UPS_A,
        "date_shipped": "1490140800", "status_shipped": "1", "tracking_id": "x1"
    }])).unwrap());
    let ack = shop.send("order.updated", "d2", &corrected);
    assert_eq!((ack.parcels, ack.removed), (1, 1));
    assert_eq!(shop.numbers("727"), [UPS_A]);
}

#[test]
fn unused_topics_and_bad_payloads_are_told_apart() {
    assert!(
        shopify::delivery("products/create", b"{}")
            .unwrap()
            .is_none()
    );
    assert!(
        woocommerce::delivery("order.deleted", br#"{"id":1}"#)
            .unwrap()
            .is_none()
    );
    let bomb = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        shopify::delivery("orders/create", bomb.as_bytes())
            .unwrap_err()
            .status(),
        400
    );
    assert_eq!(
        shopify::delivery("fulfillments/create", b"not json")
            .unwrap_err()
            .status(),
        400
    );
    let mut nameless: Value = serde_json::from_str(FULFILLMENT).unwrap();
    nameless["name"] = Value::Null;
    let body = serde_json::to_vec(&nameless).unwrap();
    assert_eq!(
        shopify::delivery("fulfillments/create", &body)
            .unwrap_err()
            .status(),
        400
    );
    assert!(woocommerce::is_ping(b"webhook_id=12"));
    assert!(!woocommerce::is_ping(b"webhook_id=12&x=1"));
}

#[test]
fn a_number_another_fulfillment_still_lists_is_kept() {
    let shop = Shop::new();
    let mut first = fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00");
    let mut second = fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00");
    first["id"] = json!(1);
    second["id"] = json!(2);
    shop.send("fulfillments/create", "f1", &first);
    shop.send("fulfillments/create", "f2", &second);
    first["status"] = json!("cancelled");
    first["updated_at"] = json!("2022-01-02T00:00:00Z");
    let ack = shop.send("fulfillments/update", "f1-cancel", &first);
    assert_eq!(ack.removed, 0, "the second fulfillment still lists it");
    assert_eq!(shop.numbers("9999"), [UPS_A]);
    second["status"] = json!("cancelled");
    second["updated_at"] = json!("2022-01-02T00:00:00Z");
    let ack = shop.send("fulfillments/update", "f2-cancel", &second);
    assert_eq!(ack.removed, 1);
    assert!(shop.numbers("9999").is_empty());
}

#[test]
fn an_order_name_with_spaces_keeps_order_and_fulfillments_together() {
    let shop = Shop::new();
    let mut order: Value = serde_json::from_str(ORDER).unwrap();
    order["name"] = json!("#SO 2001");
    shop.send("orders/create", "o1", &order);
    let mut parcel = fulfillment(&[UPS_A], "2021-12-31T19:00:00-05:00");
    parcel["name"] = json!("#SO 2001.1");
    let ack = shop.send("fulfillments/create", "f1", &parcel);
    assert_eq!(ack.parcels, 1);
    assert_eq!(shop.numbers("SO2001"), [UPS_A]);
}
