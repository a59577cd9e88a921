//! Admin routes: shops and keys, behind the `ADMIN_TOKEN` secret.

use waypost_shared::wire::{KeyInput, ShopInput};
use worker::Response;

use crate::error::Result;
use crate::http::Api;
use crate::http::request::Incoming;
use crate::http::response::{json, no_content};
use crate::service::admin;
use crate::service::store::Runtime;

/// `POST /v1/admin/shops`: 201 with the keys (the secret one shown this once).
pub async fn create_shop(api: &Api<'_>, req: &mut Incoming) -> Result<Response> {
    let input: ShopInput = req.json().await?;
    json(
        201,
        &admin::create_shop(&api.store, &api.runtime, input, api.runtime.now()).await?,
    )
}

/// `POST /v1/admin/shops/{shop_id}/keys`.
pub async fn create_key(api: &Api<'_>, req: &mut Incoming, shop_id: &str) -> Result<Response> {
    let input: KeyInput = req.json().await?;
    json(
        201,
        &admin::create_key(&api.store, &api.runtime, shop_id, input.kind).await?,
    )
}

/// `DELETE /v1/admin/shops/{shop_id}/keys/{key_id}`.
pub async fn revoke_key(api: &Api<'_>, shop_id: &str, key_id: &str) -> Result<Response> {
    admin::revoke_key(&api.store, shop_id, key_id).await?;
    no_content()
}
