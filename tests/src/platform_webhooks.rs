//! Webhooks as Shopify and WooCommerce send them: their documented example payloads (the files
//! the edge's host tests read too) and their signature, the base64 HMAC-SHA256 of the raw body
//! with the shop's webhook secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// Shopify's documented `fulfillments/create` example.
pub const SHOPIFY_FULFILLMENT: &str =
    include_str!("../../edge/fixtures/webhooks/shopify_fulfillment.json");
/// Shopify's documented `orders/create` example.
pub const SHOPIFY_ORDER: &str = include_str!("../../edge/fixtures/webhooks/shopify_order.json");
/// WooCommerce's documented order, with a Shipment Tracking item.
pub const WOOCOMMERCE_ORDER: &str =
    include_str!("../../edge/fixtures/webhooks/woocommerce_order.json");

/// The signature a platform sends with `body`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Shopify's documented fulfillment for order `#{order}` with these tracking numbers, carrier
/// and `updated_at`.
pub fn shopify_fulfillment(
    id: u64,
    order: &str,
    numbers: &[&str],
    company: &str,
    updated_at: &str,
) -> Value {
    let mut payload: Value = serde_json::from_str(SHOPIFY_FULFILLMENT).expect("valid fixture");
    payload["id"] = json!(id);
    payload["name"] = json!(format!("#{order}.1"));
    payload["tracking_company"] = json!(company);
    payload["tracking_numbers"] = json!(numbers);
    payload["tracking_number"] = json!(numbers.first());
    payload["updated_at"] = json!(updated_at);
    payload
}
