//! `POST /v1/webhooks/{platform}/{shop_id}`: a platform's signed webhook. The signature is
//! checked over the raw body before anything in it is read; a delivery that is not signed with
//! the shop's secret is refused with 401 and changes nothing.

use sha2::{Digest, Sha256};
use waypost_shared::wire::{Platform, WebhookAck, WebhookOutcome};
use worker::Response;

use crate::app::App;
use crate::error::{EdgeError, Result};
use crate::http::request::Incoming;
use crate::http::response::json;
use crate::service::store::Runtime;
use crate::service::{inbound, integrations, shopify, signature, woocommerce};

/// Verifies, reads and applies one delivery.
pub async fn receive(
    app: &App<'_>,
    req: &mut Incoming,
    platform: Platform,
    shop_id: &str,
) -> Result<Response> {
    let body = req.webhook_body().await?;
    let (signature_header, topic_header) = match platform {
        Platform::Shopify => ("X-Shopify-Hmac-Sha256", "X-Shopify-Topic"),
        Platform::Woocommerce => ("X-WC-Webhook-Signature", "X-WC-Webhook-Topic"),
    };
    let signature_given = req.header(signature_header);
    if platform == Platform::Woocommerce && signature_given.is_none() && woocommerce::is_ping(&body)
    {
        return json(200, &ignored());
    }
    let target =
        integrations::webhook_target(&app.store, app.sealing_key().as_ref(), shop_id, platform)
            .await?;
    let Some((shop, secret)) = target else {
        return Err(EdgeError::Unauthorized);
    };
    if !signature::is_valid(&secret, &body, signature_given.as_deref()) {
        return Err(EdgeError::Unauthorized);
    }
    let topic = req.header(topic_header).unwrap_or_default();
    let delivery = match platform {
        Platform::Shopify => shopify::delivery(&topic, &body)?,
        Platform::Woocommerce => woocommerce::delivery(&topic, &body)?,
    };
    let Some(delivery) = delivery else {
        return json(200, &ignored());
    };
    let delivery_id = delivery_id(req, platform, &body);
    let ack = inbound::receive(
        &app.store,
        &app.answers(),
        &shop,
        platform,
        &delivery_id,
        delivery,
        app.runtime.now(),
    )
    .await?;
    json(200, &ack)
}

/// What names a delivery, so that a repeat is applied once. Shopify names each one
/// (`X-Shopify-Webhook-Id`, the same on its retries). WooCommerce's `X-WC-Webhook-Delivery-ID`
/// is a hash of the webhook and the current second, shared by every delivery of that second, so
/// a WooCommerce delivery (and a Shopify one without its id) is known by its body: a repeated
/// body is the same version of the order.
fn delivery_id(req: &Incoming, platform: Platform, body: &[u8]) -> String {
    let named = match platform {
        Platform::Shopify => req
            .header("X-Shopify-Webhook-Id")
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty() && id.len() <= 128),
        Platform::Woocommerce => None,
    };
    named.unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(body))))
}

fn ignored() -> WebhookAck {
    WebhookAck {
        outcome: WebhookOutcome::Ignored,
        parcels: 0,
        removed: 0,
    }
}
