//! The retailer's side of notifications (private routes): the shop's settings, its webhook
//! endpoints (each with a Standard Webhooks signing secret, sealed at rest and shown once), and
//! `GET /v1/notifications`, the record of every message sent for it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use waypost_shared::wire::{
    DeliveryState, NotificationList, NotificationSettings, NotificationView, WebhookEndpointInput,
    WebhookEndpointList, WebhookEndpointView,
};

use super::notification_store::{
    DeliveryQuery, DeliveryRecord, EndpointRecord, NotificationSettingsStore,
};
use super::quiet_hours::{self, ZoneClock};
use super::sealing::SealingKey;
use super::store::{Runtime, ShopRecord};
use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{DEFAULT_PAGE, MAX_PAGE, MAX_WEBHOOK_ENDPOINTS};

/// Random bytes in a signing secret (192 bits).
const SECRET_BYTES: usize = 24;
/// Random bytes in an endpoint's id (16 hex digits).
const ID_BYTES: usize = 8;
/// Separates a cursor's instant from its message id (neither ever holds it).
const CURSOR_SEPARATOR: char = '~';

/// `GET /v1/notifications`'s query, as given.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListParams<'a> {
    /// `shipment`: a tracking number as typed.
    pub shipment: Option<&'a str>,
    /// `status`: a [`DeliveryState`]'s wire name.
    pub status: Option<&'a str>,
    /// `cursor`: a page's `next_cursor`.
    pub cursor: Option<&'a str>,
    /// `limit`: the page size.
    pub limit: Option<&'a str>,
}

/// The shop's settings (the defaults when it never set any).
pub async fn settings(
    store: &impl NotificationSettingsStore,
    shop: &ShopRecord,
) -> Result<NotificationSettings> {
    store.notification_settings(&shop.id).await
}

/// Validates `input` and stores it whole, each trigger and channel once; answers what was stored.
/// Nothing is stored when any field is refused.
pub async fn put_settings(
    store: &impl NotificationSettingsStore,
    runtime: &(impl Runtime + ZoneClock),
    shop: &ShopRecord,
    input: NotificationSettings,
) -> Result<NotificationSettings> {
    let settings = NotificationSettings {
        triggers: validate::each_once(input.triggers),
        channels: validate::each_once(input.channels),
        sender_name: validate::sender_name(input.sender_name.as_deref())?,
        sender_email: validate::sender_email(input.sender_email.as_deref())?,
        tracking_page: validate::tracking_page(input.tracking_page.as_deref())?,
        sms_quiet_hours: quiet_hours::validated(runtime, input.sms_quiet_hours, runtime.now())?,
    };
    store
        .put_notification_settings(&shop.id, &settings, runtime.now())
        .await?;
    Ok(settings)
}

/// Adds a webhook endpoint with a new signing secret (`whsec_` and base64), stored sealed and
/// shown in this answer only; a 400 `too_many_endpoints` when the shop has
/// [`MAX_WEBHOOK_ENDPOINTS`] already.
pub async fn add_endpoint(
    store: &impl NotificationSettingsStore,
    runtime: &impl Runtime,
    key: Option<&SealingKey>,
    shop: &ShopRecord,
    input: WebhookEndpointInput,
) -> Result<WebhookEndpointView> {
    let key = key.ok_or(EdgeError::NotConfigured(
        "webhook endpoints need the INTEGRATIONS_KEY secret (32 random characters or more) on this deployment",
    ))?;
    let url = validate::webhook_url(&input.url)?;
    let mut id = [0u8; ID_BYTES];
    runtime.random_bytes(&mut id)?;
    let mut secret = [0u8; SECRET_BYTES];
    runtime.random_bytes(&mut secret)?;
    let id = format!("ep_{}", hex::encode(id));
    let secret = format!("whsec_{}", STANDARD.encode(secret));
    let record = EndpointRecord {
        sealed_secret: key.seal(runtime, &secret_context(&shop.id, &id), &secret)?,
        id,
        shop_id: shop.id.clone(),
        url,
        created_at: runtime.now(),
    };
    if !store
        .add_webhook_endpoint(&record, MAX_WEBHOOK_ENDPOINTS)
        .await?
    {
        return Err(EdgeError::bad_request(
            "too_many_endpoints",
            format!(
                "a shop has at most {MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first"
            ),
        ));
    }
    Ok(WebhookEndpointView {
        secret: Some(secret),
        ..endpoint_view(record)
    })
}

/// The shop's webhook endpoints, oldest first, without their secrets.
pub async fn endpoints(
    store: &impl NotificationSettingsStore,
    shop: &ShopRecord,
) -> Result<WebhookEndpointList> {
    let endpoints = store.webhook_endpoints(&shop.id).await?;
    Ok(WebhookEndpointList {
        endpoints: endpoints.into_iter().map(endpoint_view).collect(),
    })
}

/// Removes one of the shop's endpoints; a 404 `endpoint_not_found` for an unknown id or another
/// shop's.
pub async fn delete_endpoint(
    store: &impl NotificationSettingsStore,
    shop: &ShopRecord,
    id: &str,
) -> Result<()> {
    if store.delete_webhook_endpoint(&shop.id, id).await? {
        Ok(())
    } else {
        Err(EdgeError::NotFound {
            code: "endpoint_not_found",
            detail: "this shop has no webhook endpoint with this id".to_owned(),
            detection: None,
        })
    }
}

/// The signing secret of an endpoint, unsealed for signing its webhooks (it opens for its own
/// shop and endpoint only).
pub fn endpoint_secret(key: &SealingKey, endpoint: &EndpointRecord) -> Result<String> {
    key.open(
        &secret_context(&endpoint.shop_id, &endpoint.id),
        &endpoint.sealed_secret,
    )
}

/// A page of the shop's messages, newest first; a 400 `invalid_query` for a bad `status`,
/// `limit` or `cursor`.
pub async fn notifications(
    store: &impl NotificationSettingsStore,
    shop: &ShopRecord,
    params: ListParams<'_>,
) -> Result<NotificationList> {
    let mut query = delivery_query(params)?;
    let limit = query.limit;
    // One more than the page, to know whether another follows.
    query.limit += 1;
    let mut records = store.deliveries(&shop.id, &query).await?;
    let next_cursor = if records.len() > limit {
        records.truncate(limit);
        records.last().map(|last| cursor(last.created_at, &last.id))
    } else {
        None
    };
    Ok(NotificationList {
        notifications: records.into_iter().map(notification_view).collect(),
        next_cursor,
    })
}

/// The store's query for `params`.
fn delivery_query(params: ListParams<'_>) -> Result<DeliveryQuery> {
    let shipment = params
        .shipment
        .map(|typed| TrackingNumber::normalize(typed).map(|number| number.as_str().to_owned()))
        .transpose()?;
    let state = params
        .status
        .map(|status| {
            DeliveryState::from_wire(status).ok_or_else(|| {
                EdgeError::bad_request(
                    "invalid_query",
                    format!("status must be one of: {}", DeliveryState::NAMES.join(", ")),
                )
            })
        })
        .transpose()?;
    let limit = match params.limit {
        None => DEFAULT_PAGE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE).contains(limit))
            .ok_or_else(|| {
                EdgeError::bad_request(
                    "invalid_query",
                    format!("limit must be a number from 1 to {MAX_PAGE}"),
                )
            })?,
    };
    Ok(DeliveryQuery {
        shipment,
        state,
        after: params.cursor.map(parse_cursor).transpose()?,
        limit,
    })
}

/// The cursor after a message: `<created_at>~<id>`.
fn cursor(created_at: DateTime<Utc>, id: &str) -> String {
    format!(
        "{}{CURSOR_SEPARATOR}{id}",
        created_at.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

/// The position a cursor names; a 400 for text no page handed out.
fn parse_cursor(text: &str) -> Result<(DateTime<Utc>, String)> {
    let invalid = || {
        EdgeError::bad_request(
            "invalid_query",
            "cursor: pass back a next_cursor exactly as a page gave it",
        )
    };
    let (at, id) = text.split_once(CURSOR_SEPARATOR).ok_or_else(invalid)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| invalid())?
        .with_timezone(&Utc);
    let id_ok = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !id_ok {
        return Err(invalid());
    }
    Ok((at, id.to_owned()))
}

/// What a sealed signing secret is bound to, so it opens for its own shop and endpoint only.
fn secret_context(shop_id: &str, endpoint_id: &str) -> String {
    format!("webhook_endpoint/{shop_id}/{endpoint_id}")
}

fn endpoint_view(record: EndpointRecord) -> WebhookEndpointView {
    WebhookEndpointView {
        id: record.id,
        url: record.url,
        created_at: record.created_at,
        secret: None,
    }
}

fn notification_view(record: DeliveryRecord) -> NotificationView {
    NotificationView {
        id: record.id,
        trigger: record.trigger,
        tracking_number: Some(record.tracking_number).filter(|number| !number.is_empty()),
        order_number: record.order_number,
        channel: record.channel,
        recipient: record.recipient_masked,
        state: record.state,
        attempts: record.attempts,
        created_at: record.created_at,
        sent_at: record.sent_at,
        last_error: record.last_error,
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use waypost_shared::clock_time::ClockTime;
    use waypost_shared::wire::{Channel, QuietHours, Trigger};

    use super::*;
    use crate::service::memory::{TestRuntime, block_on, shop};

    const KEY: &str = "a-long-random-integrations-key-0123456789";

    /// The store in memory, as D1 holds it.
    #[derive(Default)]
    struct Memory {
        settings: RefCell<Vec<(String, NotificationSettings)>>,
        endpoints: RefCell<Vec<EndpointRecord>>,
        deliveries: Vec<DeliveryRecord>,
    }

    impl NotificationSettingsStore for Memory {
        async fn notification_settings(&self, shop_id: &str) -> Result<NotificationSettings> {
            let settings = self.settings.borrow();
            let found = settings.iter().find(|(shop, _)| shop == shop_id);
            Ok(found.map(|(_, s)| s.clone()).unwrap_or_default())
        }
        async fn put_notification_settings(
            &self,
            shop_id: &str,
            settings: &NotificationSettings,
            _now: DateTime<Utc>,
        ) -> Result<()> {
            let mut all = self.settings.borrow_mut();
            all.retain(|(shop, _)| shop != shop_id);
            all.push((shop_id.to_owned(), settings.clone()));
            Ok(())
        }
        async fn webhook_endpoints(&self, shop_id: &str) -> Result<Vec<EndpointRecord>> {
            let endpoints = self.endpoints.borrow();
            Ok(endpoints
                .iter()
                .filter(|e| e.shop_id == shop_id)
                .cloned()
                .collect())
        }
        async fn add_webhook_endpoint(
            &self,
            endpoint: &EndpointRecord,
            max: usize,
        ) -> Result<bool> {
            let mut endpoints = self.endpoints.borrow_mut();
            let held = endpoints
                .iter()
                .filter(|e| e.shop_id == endpoint.shop_id)
                .count();
            if held >= max {
                return Ok(false);
            }
            endpoints.push(endpoint.clone());
            Ok(true)
        }
        async fn delete_webhook_endpoint(&self, shop_id: &str, id: &str) -> Result<bool> {
            let mut endpoints = self.endpoints.borrow_mut();
            let before = endpoints.len();
            endpoints.retain(|e| !(e.shop_id == shop_id && e.id == id));
            Ok(endpoints.len() < before)
        }
        async fn deliveries(
            &self,
            shop_id: &str,
            query: &DeliveryQuery,
        ) -> Result<Vec<DeliveryRecord>> {
            let mut found: Vec<DeliveryRecord> = self
                .deliveries
                .iter()
                .filter(|d| d.shop_id == shop_id)
                .filter(|d| {
                    query
                        .shipment
                        .as_ref()
                        .is_none_or(|s| &d.tracking_number == s)
                })
                .filter(|d| query.state.is_none_or(|s| d.state == s))
                .filter(|d| {
                    query
                        .after
                        .as_ref()
                        .is_none_or(|(at, id)| (d.created_at, &d.id) < (*at, id))
                })
                .cloned()
                .collect();
            found.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
            found.truncate(query.limit);
            Ok(found)
        }
    }

    fn delivery(id: &str, minute: u32, state: DeliveryState, number: &str) -> DeliveryRecord {
        DeliveryRecord {
            id: id.into(),
            notice_id: format!("ntc_{id}"),
            shop_id: "shop_a".into(),
            tracking_number: number.into(),
            order_number: Some("1042".into()),
            trigger: Trigger::Delivered,
            episode: "delivered".into(),
            channel: Channel::Email,
            recipient: "ana@example.com".into(),
            recipient_masked: "a***@example.com".into(),
            state,
            attempts: 1,
            last_error: None,
            created_at: format!("2026-11-21T12:{minute:02}:00Z").parse().unwrap(),
            sent_at: None,
            lang: None,
        }
    }

    #[test]
    fn settings_are_validated_deduplicated_and_stored_whole() {
        let (store, runtime, a) = (Memory::default(), TestRuntime::default(), shop("shop_a"));
        assert_eq!(
            block_on(settings(&store, &a)).unwrap(),
            NotificationSettings::default()
        );
        let input = NotificationSettings {
            triggers: vec![Trigger::Delay, Trigger::Delivered, Trigger::Delay],
            channels: vec![Channel::Webhook, Channel::Webhook],
            sender_name: Some(" Ana's shop ".into()),
            sender_email: Some("orders@shop.example".into()),
            tracking_page: Some("https://shop.example/t/{number}".into()),
            sms_quiet_hours: Some(QuietHours {
                from: ClockTime::parse("21:00").unwrap(),
                to: ClockTime::parse("08:00").unwrap(),
                time_zone: "Europe/Madrid".into(),
            }),
        };
        let stored = block_on(put_settings(&store, &runtime, &a, input)).unwrap();
        assert_eq!(stored.triggers, [Trigger::Delay, Trigger::Delivered]);
        assert_eq!(stored.channels, [Channel::Webhook]);
        assert_eq!(stored.sender_name.as_deref(), Some("Ana's shop"));
        assert_eq!(block_on(settings(&store, &a)).unwrap(), stored);
        assert_eq!(
            block_on(settings(&store, &shop("shop_b"))).unwrap(),
            NotificationSettings::default()
        );
        let bad = NotificationSettings {
            tracking_page: Some("https://shop.example/t".into()),
            ..stored.clone()
        };
        let refused = block_on(put_settings(&store, &runtime, &a, bad)).unwrap_err();
        assert_eq!(refused.problem().code, "invalid_tracking_page");
        assert_eq!(block_on(settings(&store, &a)).unwrap(), stored);
        let unknown_zone = NotificationSettings {
            sms_quiet_hours: Some(QuietHours {
                time_zone: "Mars/Olympus_Mons".into(),
                ..stored.sms_quiet_hours.clone().unwrap()
            }),
            ..stored.clone()
        };
        let refused = block_on(put_settings(&store, &runtime, &a, unknown_zone)).unwrap_err();
        assert_eq!(refused.problem().code, "invalid_quiet_hours");
        assert_eq!(block_on(settings(&store, &a)).unwrap(), stored);
    }

    #[test]
    fn endpoints_get_a_sealed_secret_shown_once_up_to_the_cap() {
        let (store, runtime) = (Memory::default(), TestRuntime::default());
        let (a, b) = (shop("shop_a"), shop("shop_b"));
        let key = SealingKey::from_secret(KEY);
        let input = || WebhookEndpointInput {
            url: "https://hooks.example/waypost".into(),
        };
        let made = block_on(add_endpoint(&store, &runtime, key.as_ref(), &a, input())).unwrap();
        let secret = made.secret.clone().unwrap();
        let encoded = secret.strip_prefix("whsec_").unwrap();
        assert_eq!(STANDARD.decode(encoded).unwrap().len(), SECRET_BYTES);
        assert!(made.id.starts_with("ep_") && made.id.len() == 3 + 2 * ID_BYTES);
        let stored = store.endpoints.borrow()[0].clone();
        assert!(!stored.sealed_secret.contains(encoded));
        let opened = endpoint_secret(key.as_ref().unwrap(), &stored).unwrap();
        assert_eq!(opened, secret);
        let moved = EndpointRecord {
            shop_id: "shop_b".into(),
            ..stored
        };
        assert!(endpoint_secret(key.as_ref().unwrap(), &moved).is_err());

        let listed = block_on(endpoints(&store, &a)).unwrap().endpoints;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].secret, None);
        assert!(
            block_on(endpoints(&store, &b))
                .unwrap()
                .endpoints
                .is_empty()
        );

        for _ in 1..MAX_WEBHOOK_ENDPOINTS {
            block_on(add_endpoint(&store, &runtime, key.as_ref(), &a, input())).unwrap();
        }
        let full = block_on(add_endpoint(&store, &runtime, key.as_ref(), &a, input())).unwrap_err();
        assert_eq!(full.problem().code, "too_many_endpoints");

        let stranger = block_on(delete_endpoint(&store, &b, &made.id)).unwrap_err();
        assert_eq!(stranger.status(), 404);
        block_on(delete_endpoint(&store, &a, &made.id)).unwrap();
        let again = block_on(delete_endpoint(&store, &a, &made.id)).unwrap_err();
        assert_eq!(again.problem().code, "endpoint_not_found");

        let no_key = block_on(add_endpoint(&store, &runtime, None, &a, input())).unwrap_err();
        assert_eq!(no_key.status(), 503);
        let bad_url = WebhookEndpointInput {
            url: "http://hooks.example/waypost".into(),
        };
        let refused =
            block_on(add_endpoint(&store, &runtime, key.as_ref(), &b, bad_url)).unwrap_err();
        assert_eq!(refused.problem().code, "invalid_webhook_url");
    }

    #[test]
    fn messages_are_listed_newest_first_page_by_page() {
        let store = Memory {
            deliveries: vec![
                delivery("msg_1", 1, DeliveryState::Sent, "1Z5R89390357567127"),
                delivery("msg_2", 2, DeliveryState::Failed, "1Z5R89390357567127"),
                delivery("msg_3", 2, DeliveryState::Sent, "287809468872"),
                delivery("msg_4", 3, DeliveryState::Sent, ""),
            ],
            ..Memory::default()
        };
        let a = shop("shop_a");
        let page = |params| block_on(notifications(&store, &a, params)).unwrap();
        let ids = |list: &NotificationList| -> Vec<String> {
            list.notifications.iter().map(|n| n.id.clone()).collect()
        };
        let first = page(ListParams {
            limit: Some("2"),
            ..ListParams::default()
        });
        assert_eq!(ids(&first), ["msg_4", "msg_3"]);
        assert_eq!(first.notifications[0].tracking_number, None);
        assert_eq!(first.notifications[1].recipient, "a***@example.com");
        let cursor = first.next_cursor.clone().unwrap();
        let second = page(ListParams {
            limit: Some("2"),
            cursor: Some(&cursor),
            ..ListParams::default()
        });
        assert_eq!(ids(&second), ["msg_2", "msg_1"]);
        assert_eq!(second.next_cursor, None);
        let one = page(ListParams {
            shipment: Some("1z5r 8939 0357 5671 27"),
            status: Some("sent"),
            ..ListParams::default()
        });
        assert_eq!(ids(&one), ["msg_1"]);
        assert!(page(ListParams::default()).next_cursor.is_none());

        for bad in [
            ListParams {
                status: Some("bogus"),
                ..ListParams::default()
            },
            ListParams {
                limit: Some("0"),
                ..ListParams::default()
            },
            ListParams {
                limit: Some("101"),
                ..ListParams::default()
            },
            ListParams {
                cursor: Some("yesterday~msg_1"),
                ..ListParams::default()
            },
            ListParams {
                cursor: Some("2026-11-21T12:00:00Z~<b>"),
                ..ListParams::default()
            },
        ] {
            let error = block_on(notifications(&store, &a, bad)).unwrap_err();
            assert_eq!(error.problem().code, "invalid_query", "{bad:?}");
        }
    }
}
