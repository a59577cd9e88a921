//! Who asked to be told and who asked not to be: a customer opting in on the widget for emails
//! about a parcel (double opt-in: nothing but the confirmation goes out until they follow its
//! link), and the unsubscribe link of every email (RFC 8058 one-click), which stops further
//! messages about that order (or parcel) to that address. The pages the links open are plain,
//! in the recipient's language, and change nothing until their button is pressed.

use chrono::{DateTime, Utc};
use waypost_shared::labels::{Lang, NoticeText, fill};

use super::auth::random_hex;
use super::links::{LinkKey, Purpose};
use super::notice_content::escape;
use super::notification_store::{DeliveryRecord, SubscriptionRecord, SubscriptionStore};
use super::store::{Runtime, ShopRecord, Store};
use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::{EdgeError, Result};

/// A page a link opens: its language and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPage {
    /// 200, or 400 for a link that is not valid.
    pub status: u16,
    pub html: String,
}

/// `POST /v1/track/{number}/subscriptions`: `email` asks for emails about the shop's parcel
/// `number`, in `lang`. A confirmation goes to the address; an address already subscribed gets
/// no second one (and the answer does not say which).
pub async fn subscribe(
    store: &(impl Store + SubscriptionStore),
    runtime: &impl Runtime,
    shop: &ShopRecord,
    number: &str,
    email: &str,
    lang: Lang,
) -> Result<()> {
    let email = validate::mail_address("email", Some(email))?
        .ok_or_else(|| EdgeError::bad_request("invalid_email", "email is required"))?;
    let number = TrackingNumber::normalize(number)?;
    if store.shipment(&shop.id, &number).await?.is_none() {
        return Err(EdgeError::NotFound {
            code: "tracking_not_found",
            detail: "This shop holds no shipment with this tracking number.".into(),
            detection: None,
        });
    }
    store
        .subscribe(&SubscriptionRecord {
            id: format!("sub_{}", random_hex(runtime, 12)?),
            shop_id: shop.id.clone(),
            tracking_number: number.to_string(),
            email,
            lang,
            confirmed_at: None,
            created_at: runtime.now(),
        })
        .await?;
    Ok(())
}

/// The scopes a message's recipient may have unsubscribed from: its order, and its parcel.
pub fn scopes(delivery: &DeliveryRecord) -> Vec<String> {
    let mut scopes = Vec::new();
    if let Some(order) = &delivery.order_number {
        scopes.push(format!("order:{order}"));
    }
    if !delivery.tracking_number.is_empty() {
        scopes.push(format!("parcel:{}", delivery.tracking_number));
    }
    scopes
}

/// `GET /v1/unsubscribe?token=`: the page asking whether to stop (a link checker opening it
/// changes nothing).
pub async fn unsubscribe_page(
    store: &impl SubscriptionStore,
    key: Option<&LinkKey>,
    token: &str,
) -> Result<LinkPage> {
    let Some(delivery) = unsubscribe_target(store, key, token).await? else {
        return Ok(invalid(Lang::En));
    };
    let lang = delivery.lang.unwrap_or_default();
    Ok(page(
        lang,
        lang.notice(NoticeText::UnsubscribeAsk),
        Some(lang.notice(NoticeText::UnsubscribeButton)),
    ))
}

/// `POST /v1/unsubscribe?token=` (the page's button, or a mail client's one-click): nothing more
/// about the message's order (or parcel) goes to its recipient: no email, and no text message to
/// the order's phone either.
pub async fn unsubscribe(
    store: &(impl Store + SubscriptionStore),
    key: Option<&LinkKey>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<LinkPage> {
    let Some(delivery) = unsubscribe_target(store, key, token).await? else {
        return Ok(invalid(Lang::En));
    };
    let scope = scopes(&delivery)
        .into_iter()
        .next()
        .ok_or_else(|| EdgeError::Internal("a message about nothing".into()))?;
    store
        .unsubscribe(&delivery.shop_id, &scope, &delivery.recipient, now)
        .await?;
    if let Some(order) = &delivery.order_number
        && let Some(phone) = store
            .order(&delivery.shop_id, order)
            .await?
            .filter(|order| order.email.as_deref() == Some(delivery.recipient.as_str()))
            .and_then(|order| order.phone)
    {
        store
            .unsubscribe(&delivery.shop_id, &scope, &phone, now)
            .await?;
    }
    let lang = delivery.lang.unwrap_or_default();
    Ok(page(lang, lang.notice(NoticeText::Unsubscribed), None))
}

/// `GET /v1/subscriptions/confirm?token=`: the page asking to confirm the opt-in.
pub async fn confirm_page(
    store: &impl SubscriptionStore,
    key: Option<&LinkKey>,
    token: &str,
) -> Result<LinkPage> {
    let Some(subscription) = confirm_target(store, key, token).await? else {
        return Ok(invalid(Lang::En));
    };
    let lang = subscription.lang;
    let ask = fill(
        lang.notice(NoticeText::ConfirmAsk),
        &[("number", &subscription.tracking_number)],
    );
    Ok(page(
        lang,
        &ask,
        Some(lang.notice(NoticeText::ConfirmButton)),
    ))
}

/// `POST /v1/subscriptions/confirm?token=`: the address gets the parcel's messages from now on.
pub async fn confirm(
    store: &impl SubscriptionStore,
    key: Option<&LinkKey>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<LinkPage> {
    let Some(subscription) = confirm_target(store, key, token).await? else {
        return Ok(invalid(Lang::En));
    };
    store.confirm_subscription(&subscription.id, now).await?;
    let lang = subscription.lang;
    let done = fill(
        lang.notice(NoticeText::Confirmed),
        &[("number", &subscription.tracking_number)],
    );
    Ok(page(lang, &done, None))
}

/// The message an unsubscribe token names, if valid.
async fn unsubscribe_target(
    store: &impl SubscriptionStore,
    key: Option<&LinkKey>,
    token: &str,
) -> Result<Option<DeliveryRecord>> {
    match key.and_then(|key| key.verify(Purpose::Unsubscribe, token)) {
        Some(id) => store.delivery(&id).await,
        None => Ok(None),
    }
}

/// The subscription a confirmation token names, if valid.
async fn confirm_target(
    store: &impl SubscriptionStore,
    key: Option<&LinkKey>,
    token: &str,
) -> Result<Option<SubscriptionRecord>> {
    match key.and_then(|key| key.verify(Purpose::Confirm, token)) {
        Some(id) => store.subscription(&id).await,
        None => Ok(None),
    }
}

/// The page for a link that is not valid.
fn invalid(lang: Lang) -> LinkPage {
    LinkPage {
        status: 400,
        ..page(lang, lang.notice(NoticeText::InvalidLink), None)
    }
}

/// A small page saying `text`, with a form posting back to the same address when `button` is
/// given.
fn page(lang: Lang, text: &str, button: Option<&str>) -> LinkPage {
    let form = button
        .map(|label| {
            format!(
                "<form method=\"post\"><button type=\"submit\">{}</button></form>\n",
                escape(label)
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;\
         margin:3rem auto;padding:0 1rem;color:#1a1f24}}button{{font:inherit;padding:.5rem 1rem;\
         border:0;border-radius:4px;background:#1f4fbf;color:#fff;cursor:pointer}}</style>\n\
         </head>\n<body>\n<main>\n<h1>{title}</h1>\n{form}</main>\n</body>\n</html>\n",
        lang = lang.code(),
        title = escape(text),
    );
    LinkPage { status: 200, html }
}
