//! Storage of notifications, in two small traits: the shop's side (settings, webhook endpoints,
//! the record of messages) and the outbox's (notices, their messages, each claimed before it is
//! sent). Every call names the shop or an id the shop's own rows carry.

use chrono::{DateTime, Utc};
use waypost_shared::labels::Lang;
use waypost_shared::wire::{Channel, DeliveryState, NotificationSettings, Trigger};

use crate::error::Result;

/// A retailer's webhook endpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    /// `ep_...`.
    pub id: String,
    pub shop_id: String,
    pub url: String,
    /// The Standard Webhooks secret (`whsec_...`), sealed with the integrations key.
    pub sealed_secret: String,
    pub created_at: DateTime<Utc>,
}

/// A notice: one cause to tell, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRecord {
    /// `ntc_...`.
    pub id: String,
    pub shop_id: String,
    /// The shipment it is about ('' for an order's own triggers).
    pub tracking_number: String,
    pub order_number: Option<String>,
    pub trigger: Trigger,
    pub episode: String,
    pub created_at: DateTime<Utc>,
    /// When its messages were made.
    pub fanned_out_at: Option<DateTime<Utc>>,
}

/// A message to make for a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// `msg_...`.
    pub id: String,
    pub channel: Channel,
    /// The address, phone number or endpoint id.
    pub recipient: String,
    /// What lists may show of it.
    pub recipient_masked: String,
    /// Its language, when not the order's (an opted-in address's own).
    pub lang: Option<Lang>,
}

/// A message as stored, with its notice's trigger and order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// `msg_...`.
    pub id: String,
    pub notice_id: String,
    pub shop_id: String,
    /// The shipment ('' for an order's own triggers).
    pub tracking_number: String,
    pub order_number: Option<String>,
    pub trigger: Trigger,
    /// Its notice's episode (for an opt-in's confirmation, the subscription's id).
    pub episode: String,
    pub channel: Channel,
    pub recipient: String,
    pub recipient_masked: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Its language, when not the order's.
    pub lang: Option<Lang>,
}

/// An address that asked on the widget for emails about a parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRecord {
    /// `sub_...`.
    pub id: String,
    pub shop_id: String,
    pub tracking_number: String,
    pub email: String,
    pub lang: Lang,
    /// When the address confirmed it; nothing but the confirmation goes to it before.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// How an attempt at a message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finished {
    /// Accepted by the provider or endpoint.
    Sent,
    /// Not this time (5xx, 429, a timeout, an unreadable answer): the queue tries again at
    /// `not_before`, and nothing (a repeated queue message, the sweep) attempts it sooner.
    Retry {
        error: String,
        not_before: DateTime<Utc>,
    },
    /// Not attempted: due in the shop's quiet hours for text messages, it waits until
    /// `not_before` (and, not being an attempt, is not counted as one).
    Held { not_before: DateTime<Utc> },
    /// Refused for good (a 4xx): never tried again.
    Failed { error: String },
    /// The recipient unsubscribed: not sent.
    Suppressed,
    /// Every retry failed: the dead-letter queue has it.
    Dead,
}

/// A page of messages asked for by `GET /v1/notifications`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryQuery {
    /// Only this shipment's.
    pub shipment: Option<String>,
    /// Only those in this state.
    pub state: Option<DeliveryState>,
    /// Continue after this one (`created_at` and id of the last one shown).
    pub after: Option<(DateTime<Utc>, String)>,
    pub limit: usize,
}

/// The shop's side: settings, webhook endpoints, the record of messages.
#[allow(
    async_fn_in_trait,
    reason = "the Worker is single-threaded; futures need not be Send"
)]
pub trait NotificationSettingsStore {
    /// The shop's settings (the defaults when it never set any).
    async fn notification_settings(&self, shop_id: &str) -> Result<NotificationSettings>;
    /// Replaces the shop's settings, in one statement.
    async fn put_notification_settings(
        &self,
        shop_id: &str,
        settings: &NotificationSettings,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The shop's webhook endpoints, oldest first.
    async fn webhook_endpoints(&self, shop_id: &str) -> Result<Vec<EndpointRecord>>;
    /// Adds an endpoint unless the shop has `max` already (in one statement); whether it did.
    async fn add_webhook_endpoint(&self, endpoint: &EndpointRecord, max: usize) -> Result<bool>;
    /// Removes one of the shop's endpoints; whether there was one.
    async fn delete_webhook_endpoint(&self, shop_id: &str, id: &str) -> Result<bool>;
    /// The shop's messages, newest first, read by index.
    async fn deliveries(&self, shop_id: &str, query: &DeliveryQuery)
    -> Result<Vec<DeliveryRecord>>;
}

/// The outbox's side: notices and their messages.
#[allow(
    async_fn_in_trait,
    reason = "the Worker is single-threaded; futures need not be Send"
)]
pub trait OutboxStore {
    /// A notice by id.
    async fn notice(&self, id: &str) -> Result<Option<NoticeRecord>>;
    /// Makes the notice's messages (each once: the same channel and recipient again is a no-op)
    /// and marks it fanned out; answers the ids of its messages still pending.
    async fn make_deliveries(
        &self,
        notice: &NoticeRecord,
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>>;
    /// Claims a pending message for one attempt until `until` (counting the attempt); `None`
    /// when it is not pending or another attempt holds it.
    async fn claim_delivery(
        &self,
        id: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<DeliveryRecord>>;
    /// Records how an attempt ended.
    async fn finish_delivery(
        &self,
        id: &str,
        finished: &Finished,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The Cron Trigger's delay pass: writes a [`Trigger::Delay`] notice for each shipment that
    /// turned stalled, or late, after `since` and by `now` (its episode the instant it turned so:
    /// moving then stalling again is a new episode), at most `limit`, read by index; answers the
    /// new notices' ids.
    async fn notice_delays(
        &self,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>>;
    /// Messages made before `before` still pending and held by no attempt (their queue message
    /// was lost, or their retries were delayed that long), oldest first, at most `limit`.
    async fn stale_deliveries(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>>;
    /// Notices written before `before` whose messages were never made (their queue message was
    /// lost), oldest first, at most `limit`.
    async fn unsent_notices(&self, before: DateTime<Utc>, limit: usize) -> Result<Vec<String>>;
}

/// Who asked to be told, and who asked not to be.
#[allow(
    async_fn_in_trait,
    reason = "the Worker is single-threaded; futures need not be Send"
)]
pub trait SubscriptionStore {
    /// Stores a pending subscription with the notice of its confirmation, in one transaction;
    /// an address already subscribed to the parcel changes nothing (and gets no second
    /// confirmation). Answers whether it was new; its notice is handed to the queue.
    async fn subscribe(&self, subscription: &SubscriptionRecord) -> Result<bool>;
    /// A subscription by id.
    async fn subscription(&self, id: &str) -> Result<Option<SubscriptionRecord>>;
    /// Confirms a subscription (once); whether there was one.
    async fn confirm_subscription(&self, id: &str, now: DateTime<Utc>) -> Result<bool>;
    /// The confirmed addresses of a shop's parcel.
    async fn subscribers(
        &self,
        shop_id: &str,
        tracking_number: &str,
    ) -> Result<Vec<SubscriptionRecord>>;
    /// A message by id (whatever its state), with its notice's trigger and order.
    async fn delivery(&self, id: &str) -> Result<Option<DeliveryRecord>>;
    /// Records that `recipient` wants nothing more about `scope` of the shop.
    async fn unsubscribe(
        &self,
        shop_id: &str,
        scope: &str,
        recipient: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Whether `recipient` unsubscribed from any of `scopes` of the shop.
    async fn unsubscribed(&self, shop_id: &str, scopes: &[String], recipient: &str)
    -> Result<bool>;
}
