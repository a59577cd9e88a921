//! `GET /v1/track/{number}`.

use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::json_with_etag;
use crate::service::store::{Runtime, ShopRecord};
use crate::service::tracking;

/// The tracking view (asked live of the carrier when the shop enabled it), with an ETag so an
/// unchanged answer costs nothing.
pub async fn get(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &Incoming,
    number: &str,
) -> Result<Response> {
    let view = tracking::track(
        &app.store,
        &app.live(),
        shop,
        number,
        req.lang(),
        app.runtime.now(),
    )
    .await?;
    json_with_etag(&view, req.header("If-None-Match").as_deref())
}
