//! Admin routes: shops and keys, behind the `ADMIN_TOKEN` secret.

use waypost_shared::wire::{KeyInput, ShopInput};
use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::{json, no_content};
use crate::service::admin;
use crate::service::store::Runtime;

/// `POST /v1/admin/shops`: 201 with the keys (the secret one shown this once).
pub async fn create_shop(app: &App<'_>, req: &mut Incoming) -> Result<Response> {
    let input: ShopInput = req.json().await?;
    json(
        201,
        &admin::create_shop(&app.store, &app.runtime, input, app.runtime.now()).await?,
    )
}

/// `POST /v1/admin/shops/{shop_id}/keys`.
pub async fn create_key(app: &App<'_>, req: &mut Incoming, shop_id: &str) -> Result<Response> {
    let input: KeyInput = req.json().await?;
    json(
        201,
        &admin::create_key(&app.store, &app.runtime, shop_id, input.kind).await?,
    )
}

/// `DELETE /v1/admin/shops/{shop_id}/keys/{key_id}`.
pub async fn revoke_key(app: &App<'_>, shop_id: &str, key_id: &str) -> Result<Response> {
    admin::revoke_key(&app.store, &app.answers(), shop_id, key_id).await?;
    no_content()
}
