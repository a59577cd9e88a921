//! The retailer's side of notifications (private): `GET` and `PUT /v1/notifications/settings`,
//! `POST` and `GET /v1/notifications/webhooks`, `DELETE /v1/notifications/webhooks/{id}`, and
//! `GET /v1/notifications`, the record of messages.

use waypost_shared::wire::{NotificationSettings, WebhookEndpointInput};
use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::{json, no_content};
use crate::service::notification_settings::{self, ListParams};
use crate::service::store::ShopRecord;

/// The shop's notification settings.
pub async fn get_settings(app: &App<'_>, shop: &ShopRecord) -> Result<Response> {
    json(
        200,
        &notification_settings::settings(&app.store, shop).await?,
    )
}

/// Replaces the shop's notification settings whole; answers them as stored.
pub async fn put_settings(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
) -> Result<Response> {
    let input: NotificationSettings = req.json().await?;
    let settings =
        notification_settings::put_settings(&app.store, &app.runtime, shop, input).await?;
    json(200, &settings)
}

/// Adds a webhook endpoint; its signing secret is in this answer only.
pub async fn add_endpoint(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
) -> Result<Response> {
    let input: WebhookEndpointInput = req.json().await?;
    let view = notification_settings::add_endpoint(
        &app.store,
        &app.runtime,
        app.sealing_key().as_ref(),
        shop,
        input,
    )
    .await?;
    json(201, &view)
}

/// The shop's webhook endpoints, without their secrets.
pub async fn list_endpoints(app: &App<'_>, shop: &ShopRecord) -> Result<Response> {
    json(
        200,
        &notification_settings::endpoints(&app.store, shop).await?,
    )
}

/// Removes one of the shop's webhook endpoints.
pub async fn delete_endpoint(app: &App<'_>, shop: &ShopRecord, id: &str) -> Result<Response> {
    notification_settings::delete_endpoint(&app.store, shop, id).await?;
    no_content()
}

/// A page of the shop's messages, newest first, filtered by `shipment` and `status`.
pub async fn list(app: &App<'_>, shop: &ShopRecord, req: &Incoming) -> Result<Response> {
    let params = ListParams {
        shipment: req.param("shipment"),
        status: req.param("status"),
        cursor: req.param("cursor"),
        limit: req.param("limit"),
    };
    json(
        200,
        &notification_settings::notifications(&app.store, shop, params).await?,
    )
}
