//! `PUT`, `GET` and `DELETE /v1/integrations/{platform}` (private): a shop's webhook secret for
//! Shopify or WooCommerce, and the URL to paste into the platform.

use waypost_shared::wire::{IntegrationInput, Platform};
use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::{json, no_content};
use crate::service::integrations;
use crate::service::store::ShopRecord;

/// Sets the platform's webhook secret; answers the webhook URL.
pub async fn put(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
    platform: Platform,
) -> Result<Response> {
    let input: IntegrationInput = req.json().await?;
    let view = integrations::put_integration(
        &app.store,
        &app.runtime,
        app.sealing_key().as_ref(),
        shop,
        platform,
        input,
        &req.base_url()?,
    )
    .await?;
    json(200, &view)
}

/// The webhook URL of a platform set up before.
pub async fn get(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &Incoming,
    platform: Platform,
) -> Result<Response> {
    let view = integrations::integration(&app.store, shop, platform, &req.base_url()?).await?;
    json(200, &view)
}

/// Removes the platform's secret: its webhooks are refused from then on.
pub async fn delete(app: &App<'_>, shop: &ShopRecord, platform: Platform) -> Result<Response> {
    integrations::delete_integration(&app.store, shop, platform).await?;
    no_content()
}
