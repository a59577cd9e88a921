//! `GET /v1/track/{number}`.

use worker::Response;

use crate::error::Result;
use crate::http::Api;
use crate::http::request::Incoming;
use crate::http::response::json_with_etag;
use crate::service::store::{Runtime, ShopRecord};
use crate::service::tracking;

/// The tracking view (asked live of the carrier when the shop enabled it), with an ETag so an
/// unchanged answer costs nothing.
pub async fn get(
    api: &Api<'_>,
    shop: &ShopRecord,
    req: &Incoming,
    number: &str,
) -> Result<Response> {
    let view = tracking::track(
        &api.store,
        &api.live(),
        shop,
        number,
        req.lang(),
        api.runtime.now(),
    )
    .await?;
    json_with_etag(&view, req.header("If-None-Match").as_deref())
}
