//! `POST /v1/webhooks/17track`: the aggregator's signed push about a number.

use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::json;
use crate::service::carrier_push;
use crate::service::store::Runtime;

/// Verifies and applies one push.
pub async fn receive(app: &App<'_>, req: &mut Incoming) -> Result<Response> {
    let body = req.webhook_body().await?;
    let ack = carrier_push::receive(
        &app.store,
        &app.live(),
        &app.answers(),
        &body,
        req.header("sign").as_deref(),
        app.runtime.now(),
    )
    .await?;
    json(200, &ack)
}
