//! `GET` and `PATCH /v1/shop`, `POST /v1/shop/publishable-key`: the shop's own settings.

use waypost_shared::wire::ShopSettingsInput;
use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::json;
use crate::service::shop_settings;
use crate::service::store::ShopRecord;

/// The shop's settings.
pub async fn get(app: &App<'_>, shop: &ShopRecord) -> Result<Response> {
    json(200, &shop_settings::settings(&app.store, &shop.id).await?)
}

/// Changes the settings the body gives.
pub async fn patch(app: &App<'_>, shop: &ShopRecord, req: &mut Incoming) -> Result<Response> {
    let input: ShopSettingsInput = req.json().await?;
    let settings = shop_settings::change(&app.store, &app.answers(), shop, input).await?;
    json(200, &settings)
}

/// A new publishable key, the others revoked.
pub async fn rotate_publishable_key(app: &App<'_>, shop: &ShopRecord) -> Result<Response> {
    let settings =
        shop_settings::rotate_publishable_key(&app.store, &app.runtime, &app.answers(), shop)
            .await?;
    json(200, &settings)
}
