//! Integrations: the shop platforms whose signed webhooks bring orders and tracking numbers in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// A shop platform Waypost takes webhooks from. Serialized as its code (`shopify`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Platform {
        /// Shopify: order and fulfillment webhooks, signed with `X-Shopify-Hmac-Sha256`.
        Shopify = "shopify",
        /// WooCommerce: order webhooks, signed with `X-WC-Webhook-Signature`.
        Woocommerce = "woocommerce",
    }
}

/// `PUT /v1/integrations/{platform}`: the secret the platform signs its webhooks with (Shopify's
/// app or store webhook signing secret; the secret typed in WooCommerce's webhook settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationInput {
    /// The signing secret, 16 to 256 characters.
    pub webhook_secret: String,
}

/// An integration as the API shows it: where the platform must send its webhooks. The secret is
/// never shown again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationView {
    /// The platform.
    pub platform: Platform,
    /// The URL to paste into the platform's webhook settings.
    pub webhook_url: String,
    /// When the secret was set.
    pub created_at: DateTime<Utc>,
}

crate::wire_enum! {
    /// What a webhook delivery did.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum WebhookOutcome {
        /// Its order and parcels are stored.
        Applied = "applied",
        /// The same delivery was applied before; nothing changed.
        Duplicate = "duplicate",
        /// A newer version of the same order or fulfillment was applied before; nothing changed.
        Outdated = "outdated",
        /// A topic Waypost does not use (or the platform's delivery test); acknowledged, ignored.
        Ignored = "ignored",
    }
}

/// The answer to a webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookAck {
    /// What it did.
    pub outcome: WebhookOutcome,
    /// Tracking numbers it listed that are now stored for their order.
    pub parcels: u32,
    /// Tracking numbers it removed (corrected by the platform: no longer listed).
    pub removed: u32,
}
