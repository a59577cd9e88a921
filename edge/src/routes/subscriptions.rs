//! `POST /v1/track/{number}/subscriptions` (the widget's opt-in), and the pages the links in
//! messages open: `GET`/`POST /v1/unsubscribe` and `GET`/`POST /v1/subscriptions/confirm`.

use serde::Deserialize;
use serde_json::json;
use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::{html_page, json};
use crate::service::store::{Runtime, ShopRecord};
use crate::service::subscriptions::{self, LinkPage};

/// The opt-in's body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscriptionInput {
    email: String,
}

/// Asks for emails about a parcel: 202 once its confirmation is on its way.
pub async fn subscribe(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
    number: &str,
) -> Result<Response> {
    let input: SubscriptionInput = req.json().await?;
    subscriptions::subscribe(
        &app.store,
        &app.runtime,
        shop,
        number,
        &input.email,
        req.lang(),
    )
    .await?;
    json(202, &json!({ "status": "confirmation_sent" }))
}

/// The unsubscribe page (`GET`) or the unsubscribing itself (`POST`, also RFC 8058's one-click).
pub async fn unsubscribe(app: &App<'_>, req: &Incoming, apply: bool) -> Result<Response> {
    let token = req.param("token").unwrap_or_default();
    let key = app.link_key();
    let page = if apply {
        subscriptions::unsubscribe(&app.store, key.as_ref(), token, app.runtime.now()).await?
    } else {
        subscriptions::unsubscribe_page(&app.store, key.as_ref(), token).await?
    };
    page_response(page)
}

/// The opt-in's confirmation page (`GET`) or the confirming itself (`POST`).
pub async fn confirm(app: &App<'_>, req: &Incoming, apply: bool) -> Result<Response> {
    let token = req.param("token").unwrap_or_default();
    let key = app.link_key();
    let page = if apply {
        subscriptions::confirm(&app.store, key.as_ref(), token, app.runtime.now()).await?
    } else {
        subscriptions::confirm_page(&app.store, key.as_ref(), token).await?
    };
    page_response(page)
}

fn page_response(page: LinkPage) -> Result<Response> {
    html_page(page.status, page.html)
}
