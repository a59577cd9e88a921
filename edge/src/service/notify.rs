//! Telling people, from the outbox: a notice's messages are made once (one per channel and
//! recipient the shop's settings call for), then each is sent at most once: claimed before its
//! attempt, marked sent when the provider accepts it, tried again later when the provider is
//! unavailable (honouring `Retry-After`), refused for good on a 4xx. The words are in the
//! order's language; webhooks carry the same tracking view the API returns.

use chrono::{DateTime, TimeDelta, Utc};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use waypost_shared::labels::Lang;
use waypost_shared::wire::{
    Channel, NotificationSettings, TrackingView, Trigger, WebhookData, WebhookPayload,
};

use super::auth::random_hex;
use super::links::{LinkKey, Purpose};
use super::live::CarrierHttp;
use super::notice_content::{self, NoticeInput};
use super::notification_settings::endpoint_secret;
use super::notification_store::{
    DeliveryRecord, Finished, NewDelivery, NoticeRecord, NotificationSettingsStore, OutboxStore,
    SubscriptionStore,
};
use super::notify_channels::{
    self, Email, EmailAccount, MAX_QUEUE_DELAY, Outcome, SmsAccount, backoff, mask_email,
    mask_phone, mask_url,
};
use super::projection::shipment_view;
use super::quiet_hours::{self, ZoneClock};
use super::sealing::SealingKey;
use super::store::{OrderRecord, Runtime, ShopRecord, Store};
use super::subscriptions::scopes;
use super::tracking_number::TrackingNumber;
use crate::error::{EdgeError, Result};

/// How long an attempt holds its message: a second consumer given the same message meanwhile
/// leaves it alone.
const CLAIM_SECS: i64 = 60;

/// How long a provider or endpoint has to answer.
const SEND_TIMEOUT_MS: u32 = 10_000;

/// The providers' accounts and where the Worker's own links point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyConfig {
    /// Postmark, when configured.
    pub email: Option<EmailAccount>,
    /// Twilio, when configured.
    pub sms: Option<SmsAccount>,
    /// The Worker's public origin (`https://waypost.example.workers.dev`), for the links in
    /// messages (unsubscribe, opt-in confirmation); emails need it.
    pub public_url: Option<String>,
}

/// What signs and serves the links in messages.
pub struct Links<'a> {
    /// The key links are signed with.
    pub key: Option<&'a LinkKey>,
    /// The Worker's public origin.
    pub public_url: Option<&'a str>,
}

impl Links<'_> {
    /// `{public_url}/v1/{path}?token=...` for `id`, when both are configured.
    fn url(&self, path: &str, purpose: Purpose, id: &str) -> Option<String> {
        let base = self.public_url?.trim_end_matches('/');
        let token = self.key?.token(purpose, id);
        Some(format!("{base}/v1/{path}?token={token}"))
    }
}

/// What the queue does with a message once handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Acknowledged: done with (sent, refused for good, or nothing to do).
    Done,
    /// Delivered again after `delay_secs`.
    Retry { delay_secs: u32 },
    /// Not attempted yet: handed to the queue anew, due in `delay_secs` (a wait that is no
    /// failure spends none of the queue's retries).
    Later { delay_secs: u32 },
}

/// Makes the messages of notice `id` (none when its trigger is off, or nobody is there to
/// tell) and answers the ids of its messages still to send. A notice seen before makes nothing
/// new; an unknown one (a cause noticed before, whose new id was never written) nothing at all.
pub async fn fan_out(
    store: &(impl Store + OutboxStore + NotificationSettingsStore + SubscriptionStore),
    runtime: &impl Runtime,
    id: &str,
) -> Result<Vec<String>> {
    let Some(notice) = store.notice(id).await? else {
        return Ok(Vec::new());
    };
    let deliveries = match notice.fanned_out_at {
        Some(_) => Vec::new(),
        None => planned(store, runtime, &notice).await?,
    };
    store
        .make_deliveries(&notice, &deliveries, runtime.now())
        .await
}

/// The messages a notice calls for: by email and SMS to the order's customer, by webhook to
/// each of the shop's endpoints, as far as the shop's settings have the trigger and channel on.
async fn planned(
    store: &(impl Store + NotificationSettingsStore + SubscriptionStore),
    runtime: &impl Runtime,
    notice: &NoticeRecord,
) -> Result<Vec<NewDelivery>> {
    let mut recipients: Vec<(Channel, String, String, Option<Lang>)> = Vec::new();
    if notice.trigger == Trigger::SubscriptionConfirmation {
        // The opt-in's confirmation: to the address that asked, whatever the shop's settings.
        if let Some(subscription) = store.subscription(&notice.episode).await? {
            let masked = mask_email(&subscription.email);
            recipients.push((
                Channel::Email,
                subscription.email,
                masked,
                Some(subscription.lang),
            ));
        }
        return made(runtime, recipients);
    }
    let settings = store.notification_settings(&notice.shop_id).await?;
    if !settings.triggers.contains(&notice.trigger) {
        return Ok(Vec::new());
    }
    let order = order_of(store, &notice.shop_id, notice.order_number.as_deref()).await?;
    let customer = order.as_ref();
    let order_lang = customer.and_then(|order| order.lang);
    if settings.channels.contains(&Channel::Email) {
        if let Some(email) = customer.and_then(|order| order.email.clone()) {
            let masked = mask_email(&email);
            recipients.push((Channel::Email, email, masked, order_lang));
        }
        if !notice.tracking_number.is_empty() {
            for subscriber in store
                .subscribers(&notice.shop_id, &notice.tracking_number)
                .await?
            {
                if !recipients
                    .iter()
                    .any(|(_, to, _, _)| *to == subscriber.email)
                {
                    let masked = mask_email(&subscriber.email);
                    recipients.push((
                        Channel::Email,
                        subscriber.email,
                        masked,
                        Some(subscriber.lang),
                    ));
                }
            }
        }
    }
    if settings.channels.contains(&Channel::Sms)
        && let Some(phone) = customer.and_then(|order| order.phone.clone())
    {
        let masked = mask_phone(&phone);
        recipients.push((Channel::Sms, phone, masked, order_lang));
    }
    if settings.channels.contains(&Channel::Webhook) {
        for endpoint in store.webhook_endpoints(&notice.shop_id).await? {
            recipients.push((Channel::Webhook, endpoint.id, mask_url(&endpoint.url), None));
        }
    }
    made(runtime, recipients)
}

/// The messages to `recipients` (channel, recipient, masked, language), each with a new id.
fn made(
    runtime: &impl Runtime,
    recipients: Vec<(Channel, String, String, Option<Lang>)>,
) -> Result<Vec<NewDelivery>> {
    recipients
        .into_iter()
        .map(|(channel, recipient, recipient_masked, lang)| {
            Ok(NewDelivery {
                id: format!("msg_{}", random_hex(runtime, 12)?),
                channel,
                recipient,
                recipient_masked,
                lang,
            })
        })
        .collect()
}

/// One attempt at message `id`, if it is still to send and no other attempt holds it.
pub async fn deliver(
    store: &(impl Store + OutboxStore + NotificationSettingsStore + SubscriptionStore),
    runtime: &(impl Runtime + ZoneClock),
    http: &impl CarrierHttp,
    config: &NotifyConfig,
    keys: (Option<&SealingKey>, Option<&LinkKey>),
    id: &str,
) -> Result<Handled> {
    let (sealing, link_key) = keys;
    let links = Links {
        key: link_key,
        public_url: config.public_url.as_deref(),
    };
    let now = runtime.now();
    let until = now + TimeDelta::seconds(CLAIM_SECS);
    let Some(delivery) = store.claim_delivery(id, now, until).await? else {
        return Ok(Handled::Done);
    };
    // A message that cannot even be built (its shop gone, its settings unreadable, a secret
    // that does not open) is tried again: nothing about it is lost.
    let outcome = match store.notification_settings(&delivery.shop_id).await {
        Ok(settings) => {
            if let Some(delay_secs) = quiet_wait(runtime, &delivery, &settings, now) {
                let not_before = now + TimeDelta::seconds(delay_secs.into());
                store
                    .finish_delivery(id, &Finished::Held { not_before }, now)
                    .await?;
                // A first try is handed to the queue anew, spending none of its retries; one
                // that failed before keeps counting them, so it still ends dead in the end.
                return Ok(if delivery.attempts <= 1 {
                    Handled::Later { delay_secs }
                } else {
                    Handled::Retry { delay_secs }
                });
            }
            attempt(
                store,
                http,
                config,
                (sealing, &links),
                (&delivery, &settings),
                now,
            )
            .await
        }
        Err(error) => Err(error),
    }
    .unwrap_or_else(|error| Outcome::Retry {
        after_secs: None,
        error: error.to_string(),
    });
    let (finished, handled) = match outcome {
        Outcome::Sent => (Finished::Sent, Handled::Done),
        Outcome::Suppressed => (Finished::Suppressed, Handled::Done),
        Outcome::Failed { error } => (Finished::Failed { error }, Handled::Done),
        Outcome::Retry { after_secs, error } => {
            let delay_secs = backoff(delivery.attempts, after_secs);
            let not_before = now + TimeDelta::seconds(delay_secs.into());
            (
                Finished::Retry { error, not_before },
                Handled::Retry { delay_secs },
            )
        }
    };
    store.finish_delivery(id, &finished, now).await?;
    Ok(handled)
}

/// Seconds a text must wait when it falls due in the shop's quiet hours (at most the 12 hours
/// a queue can delay a message: past them it is held again); `None` when it may go now.
fn quiet_wait(
    zones: &impl ZoneClock,
    delivery: &DeliveryRecord,
    settings: &NotificationSettings,
    now: DateTime<Utc>,
) -> Option<u32> {
    if delivery.channel != Channel::Sms {
        return None;
    }
    let wait = quiet_hours::wait(zones, settings.sms_quiet_hours.as_ref()?, now)?;
    Some(
        u32::try_from(wait.num_seconds())
            .unwrap_or(MAX_QUEUE_DELAY)
            .min(MAX_QUEUE_DELAY),
    )
}

/// Marks message `id` dead: every retry failed and the dead-letter queue has it.
pub async fn bury(store: &impl OutboxStore, runtime: &impl Runtime, id: &str) -> Result<()> {
    store
        .finish_delivery(id, &Finished::Dead, runtime.now())
        .await
}

/// Messages made before `before` still pending and held by no attempt at `now`, at most `limit`.
pub async fn stale(
    store: &impl OutboxStore,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<String>> {
    store.stale_deliveries(before, now, limit).await
}

/// Notices written before `before` whose messages were never made, at most `limit`.
pub async fn unsent(
    store: &impl OutboxStore,
    before: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<String>> {
    store.unsent_notices(before, limit).await
}

/// The Cron Trigger's delay pass: writes a delay notice for each shipment that turned stalled,
/// or late, after `since` and by `now` (once per episode), at most `limit`; the new notices' ids.
pub async fn notice_delays(
    store: &impl OutboxStore,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<String>> {
    store.notice_delays(now, since, limit).await
}

/// Builds and sends the message; what the answer means.
async fn attempt(
    store: &(impl Store + NotificationSettingsStore + SubscriptionStore),
    http: &impl CarrierHttp,
    config: &NotifyConfig,
    keys: (Option<&SealingKey>, &Links<'_>),
    message: (&DeliveryRecord, &NotificationSettings),
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let (sealing, links) = keys;
    let (delivery, settings) = message;
    let confirmation = delivery.trigger == Trigger::SubscriptionConfirmation;
    if delivery.channel != Channel::Webhook
        && !confirmation
        && store
            .unsubscribed(&delivery.shop_id, &scopes(delivery), &delivery.recipient)
            .await?
    {
        return Ok(Outcome::Suppressed);
    }
    let shop = store
        .shop(&delivery.shop_id)
        .await?
        .ok_or_else(|| EdgeError::Internal("the message's shop is gone".into()))?;
    let order = order_of(store, &shop.id, delivery.order_number.as_deref()).await?;
    let lang = delivery
        .lang
        .or_else(|| order.as_ref().and_then(|order| order.lang))
        .unwrap_or_default();
    let tracking = view(store, &shop, delivery, lang, now).await?;
    let link = if confirmation {
        // The opt-in's episode is its subscription's id.
        links.url("subscriptions/confirm", Purpose::Confirm, &delivery.episode)
    } else {
        // An order's own trigger has no parcel yet: its page is found by order number.
        let number = match (&delivery.tracking_number[..], &delivery.order_number) {
            ("", Some(order)) => order.as_str(),
            (number, _) => number,
        };
        let encoded = utf8_percent_encode(number, NON_ALPHANUMERIC).to_string();
        match settings.tracking_page.as_deref() {
            Some(page) => Some(page.replace("{number}", &encoded)),
            None => hosted_page(store, &shop, links.public_url, &encoded).await?,
        }
    }
    .unwrap_or_default();
    let unsubscribe = links.url("unsubscribe", Purpose::Unsubscribe, &delivery.id);
    let input = NoticeInput {
        trigger: delivery.trigger,
        lang,
        shop_name: settings.sender_name.as_deref().unwrap_or(&shop.name),
        order_number: delivery.order_number.as_deref(),
        tracking: tracking.as_ref(),
        link: &link,
        unsubscribe: unsubscribe.as_deref(),
    };
    let (call, read): (_, fn(&_) -> Outcome) = match delivery.channel {
        Channel::Email => {
            let Some(account) = &config.email else {
                return Ok(not_configured("email"));
            };
            // Every email carries a working unsubscribe link, or is not sent.
            let Some(unsubscribe) = unsubscribe.as_deref() else {
                return Ok(Outcome::Failed {
                    error: "emails need PUBLIC_URL and INTEGRATIONS_KEY for their unsubscribe link"
                        .into(),
                });
            };
            let message = notice_content::message(&input);
            let from = sender(&settings.sender_name, account, &shop);
            let email = Email {
                from: &from,
                reply_to: settings.sender_email.as_deref(),
                to: &delivery.recipient,
                subject: &message.subject,
                text: &message.text,
                html: &message.html,
                unsubscribe: Some(unsubscribe),
                tag: delivery.trigger.as_str(),
            };
            (
                notify_channels::email_call(account, &email),
                notify_channels::read_email,
            )
        }
        Channel::Sms => {
            let Some(account) = &config.sms else {
                return Ok(not_configured("SMS"));
            };
            let message = notice_content::message(&input);
            (
                notify_channels::sms_call(account, &delivery.recipient, &message.sms),
                notify_channels::read_sms,
            )
        }
        Channel::Webhook => {
            let endpoints = store.webhook_endpoints(&shop.id).await?;
            let Some(endpoint) = endpoints.iter().find(|e| e.id == delivery.recipient) else {
                return Ok(Outcome::Failed {
                    error: "the endpoint was removed".into(),
                });
            };
            let key = sealing.ok_or_else(|| {
                EdgeError::Internal("webhooks need the INTEGRATIONS_KEY secret".into())
            })?;
            let secret = endpoint_secret(key, endpoint)?;
            let payload = WebhookPayload {
                kind: format!(
                    "{}.{}",
                    if delivery.tracking_number.is_empty() {
                        "order"
                    } else {
                        "shipment"
                    },
                    delivery.trigger.as_str()
                ),
                timestamp: delivery.created_at,
                data: WebhookData {
                    trigger: delivery.trigger,
                    order_number: delivery.order_number.clone(),
                    tracking,
                },
            };
            let body = serde_json::to_string(&payload)
                .map_err(|error| EdgeError::Internal(error.to_string()))?;
            (
                notify_channels::webhook_call(
                    &endpoint.url,
                    &secret,
                    &delivery.id,
                    now.timestamp(),
                    &body,
                )?,
                notify_channels::read_webhook,
            )
        }
    };
    Ok(match http.send(&call, SEND_TIMEOUT_MS).await {
        Ok(reply) => read(&reply),
        Err(transport) => notify_channels::no_answer(&transport),
    })
}

/// The Worker's own tracking page for `number` (percent-encoded), with the shop's publishable
/// key: the link of a shop without a tracking page of its own.
async fn hosted_page(
    store: &impl Store,
    shop: &ShopRecord,
    public_url: Option<&str>,
    number: &str,
) -> Result<Option<String>> {
    let Some(base) = public_url else {
        return Ok(None);
    };
    let Some(key) = store.publishable_keys(&shop.id).await?.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some(format!(
        "{}/track/?key={}&tracking={number}",
        base.trim_end_matches('/'),
        key.key_id
    )))
}

/// The shipment as its customers see it, in `lang` (no carrier asked); `None` for an order's
/// own triggers.
async fn view(
    store: &impl Store,
    shop: &ShopRecord,
    delivery: &DeliveryRecord,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<TrackingView>> {
    if delivery.tracking_number.is_empty() {
        return Ok(None);
    }
    let number = TrackingNumber::normalize(&delivery.tracking_number)?;
    let Some(history) = store.shipment_history(&shop.id, &number).await? else {
        return Ok(None);
    };
    Ok(Some(shipment_view(
        shop,
        &history.shipment,
        history.events,
        history.order.as_ref(),
        lang,
        now,
    )))
}

/// The order a notice is about, if stored.
async fn order_of(
    store: &impl Store,
    shop_id: &str,
    order_number: Option<&str>,
) -> Result<Option<OrderRecord>> {
    match order_number {
        Some(number) => store.order(shop_id, number).await,
        None => Ok(None),
    }
}

/// The sender line: the deployment's verified address (every shop shares it, so no shop can
/// send as another) under the shop's name.
fn sender(name: &Option<String>, account: &EmailAccount, shop: &ShopRecord) -> String {
    let name = name
        .as_deref()
        .unwrap_or(&shop.name)
        .replace(['"', '\\'], "");
    let address = account
        .from
        .rsplit_once('<')
        .map_or(account.from.as_str(), |(_, address)| {
            address.trim_end_matches('>')
        });
    format!("\"{name}\" <{address}>")
}

/// A channel with no provider configured on this deployment: refused for good, visibly.
fn not_configured(channel: &str) -> Outcome {
    Outcome::Failed {
        error: format!("no {channel} provider is configured on this deployment"),
    }
}
