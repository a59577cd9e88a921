//! Notifications: what Waypost tells customers (email, SMS) and retailers' systems (signed
//! webhooks) when a shipment reaches a stage, is delayed or its ETA moves later; the shop's
//! settings for them, its webhook endpoints, and the record of every message.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::tracking::TrackingView;
use crate::clock_time::ClockTime;

crate::wire_enum! {
    /// What causes a notification. Serialized as its code (`out_for_delivery`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Trigger {
        /// A tracking number is registered for an order with a customer contact.
        Shipped = "shipped",
        /// Moving again after a long silence (off by default).
        InTransitAfterSilence = "in_transit_after_silence",
        /// Out for delivery.
        OutForDelivery = "out_for_delivery",
        /// Ready for pickup (with the place, city-level).
        AvailableForPickup = "available_for_pickup",
        /// A delivery attempt failed (with what the customer must do).
        AttemptFailed = "attempt_failed",
        /// Delivered.
        Delivered = "delivered",
        /// A problem: damaged, lost, returned, held.
        Exception = "exception",
        /// Health turned stalled or late: once per episode.
        Delay = "delay",
        /// The expected delivery moved later.
        EtaLater = "eta_later",
        /// The order waits for stock.
        AwaitingStock = "awaiting_stock",
        /// The order's payment has a problem.
        PaymentIssue = "payment_issue",
        /// Someone asked on the widget for emails about a parcel: the link that confirms it
        /// (double opt-in). Sent whatever the shop's triggers, to that address only.
        SubscriptionConfirmation = "subscription_confirmation",
    }
}

impl Trigger {
    /// Whether a shop has it on until it says otherwise: all but the optional "moving again"
    /// (and the opt-in's confirmation, which is not the shop's to turn off).
    pub const fn on_by_default(self) -> bool {
        !matches!(
            self,
            Trigger::InTransitAfterSilence | Trigger::SubscriptionConfirmation
        )
    }
}

crate::wire_enum! {
    /// Where a notification goes. Serialized as its code (`email`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Channel {
        /// An email to the order's customer, through the transactional email provider.
        Email = "email",
        /// A text message to the order's customer, through Twilio.
        Sms = "sms",
        /// A signed POST to each of the shop's webhook endpoints (Standard Webhooks).
        Webhook = "webhook",
    }
}

crate::wire_enum! {
    /// Where one message stands. Serialized as its code (`sent`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum DeliveryState {
        /// Waiting for its (next) attempt.
        Pending = "pending",
        /// The provider or endpoint accepted it.
        Sent = "sent",
        /// Refused for good (a 4xx): not retried.
        Failed = "failed",
        /// Every retry failed: set aside in the dead-letter queue.
        Dead = "dead",
        /// Not sent: the recipient unsubscribed.
        Suppressed = "suppressed",
    }
}

/// `GET` and `PUT /v1/notifications/settings`: a shop's notification settings. `PUT` replaces
/// them whole; a field left out takes its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// The triggers that send (default: every one [`Trigger::on_by_default`]).
    #[serde(default = "default_triggers")]
    pub triggers: Vec<Trigger>,
    /// The channels used (default: all three; a channel with nowhere to go sends nothing).
    #[serde(default = "default_channels")]
    pub channels: Vec<Channel>,
    /// The name emails come from (default: the shop's name).
    #[serde(default)]
    pub sender_name: Option<String>,
    /// The shop's own address, where customers' replies go (`Reply-To`); emails come from the
    /// deployment's verified sender under the shop's name, so no shop can send as another.
    #[serde(default)]
    pub sender_email: Option<String>,
    /// The shop's tracking page, an https URL with a `{number}` placeholder (default: the
    /// Worker's own hosted page for the number).
    #[serde(default)]
    pub tracking_page: Option<String>,
    /// When no text message is sent (default: none); emails and webhooks go at any hour.
    #[serde(default)]
    pub sms_quiet_hours: Option<QuietHours>,
}

/// Hours in which no text message is sent: one that falls due then waits until they end. Read
/// in `time_zone`; `from` later than `to` spans midnight (`21:00` to `08:00`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    /// When the quiet starts (`HH:MM`).
    pub from: ClockTime,
    /// When it ends (`HH:MM`), not the same as `from`.
    pub to: ClockTime,
    /// The IANA time zone both are read in (`Europe/Madrid`).
    pub time_zone: String,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            triggers: default_triggers(),
            channels: default_channels(),
            sender_name: None,
            sender_email: None,
            tracking_page: None,
            sms_quiet_hours: None,
        }
    }
}

fn default_triggers() -> Vec<Trigger> {
    Trigger::ALL
        .into_iter()
        .filter(|trigger| trigger.on_by_default())
        .collect()
}

fn default_channels() -> Vec<Channel> {
    Channel::ALL.to_vec()
}

/// `POST /v1/notifications/webhooks`: a new endpoint for the shop's signed webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpointInput {
    /// Where to POST: https (http only for localhost), no credentials, at most 2,048 characters.
    pub url: String,
}

/// A webhook endpoint as the API shows it; its signing secret is shown once, when made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointView {
    /// Its id (`ep_...`).
    pub id: String,
    /// Where it POSTs.
    pub url: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The Standard Webhooks signing secret (`whsec_` and base64): only in the answer that made
    /// the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// `GET /v1/notifications/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointList {
    /// The shop's endpoints, oldest first.
    pub endpoints: Vec<WebhookEndpointView>,
}

/// One message as `GET /v1/notifications` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    /// Its id (`msg_...`), also the webhook's `webhook-id`.
    pub id: String,
    /// What caused it.
    pub trigger: Trigger,
    /// The shipment it is about, when it is about one.
    pub tracking_number: Option<String>,
    /// The order it is about.
    pub order_number: Option<String>,
    /// Where it went.
    pub channel: Channel,
    /// To whom, masked (`m***@example.com`, `+1******0101`, the endpoint's host).
    pub recipient: String,
    /// Where it stands.
    pub state: DeliveryState,
    /// Attempts made.
    pub attempts: u32,
    /// When its cause happened.
    pub created_at: DateTime<Utc>,
    /// When the provider accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, in the provider's words (no personal data).
    pub last_error: Option<String>,
}

/// `GET /v1/notifications`: a page of the shop's messages, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationList {
    /// This page.
    pub notifications: Vec<NotificationView>,
    /// Pass as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// The body of a webhook: Standard Webhooks' `type`, `timestamp` and `data`, the data being the
/// trigger with the same tracking view the API returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookPayload {
    /// `shipment.<trigger>` (`shipment.delivered`), or `order.<trigger>` for an order's own
    /// (`order.awaiting_stock`).
    #[serde(rename = "type")]
    pub kind: String,
    /// When the cause happened.
    pub timestamp: DateTime<Utc>,
    /// The trigger and the shipment.
    pub data: WebhookData,
}

/// What a webhook is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookData {
    /// The trigger.
    pub trigger: Trigger,
    /// The order it is about.
    pub order_number: Option<String>,
    /// The shipment as the API shows it (absent for an order's own triggers).
    pub tracking: Option<TrackingView>,
}
