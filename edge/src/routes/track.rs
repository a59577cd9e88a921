//! `GET /v1/track/{number}`.

use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::json_with_etag;
use crate::service::store::{Runtime, ShopRecord};
use crate::service::tracking;

/// The tracking view (asked live of the carrier when the shop enabled it), kept in the answer
/// cache until the shipment changes, with an ETag so an unchanged answer costs nothing.
pub async fn get(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &Incoming,
    number: &str,
) -> Result<Response> {
    let answer = tracking::answer(
        &app.store,
        &app.live(),
        &app.answers(),
        &app.runtime,
        shop,
        number,
        req.lang(),
        app.runtime.now(),
    )
    .await?;
    json_with_etag(answer, req.header("If-None-Match").as_deref())
}
