//! `GET /v1/orders/{order_number}` (public) and `PUT /v1/orders/{order_number}` (private).

use waypost_shared::wire::{OrderAck, OrderInput};
use worker::Response;

use crate::app::App;
use crate::error::{EdgeError, Result};
use crate::http::request::Incoming;
use crate::http::response::{json, json_with_etag};
use crate::service::answers::Answer;
use crate::service::orders::{self, OrderProof};
use crate::service::store::{Runtime, ShopRecord};

/// The order and its parcels, for the customer who knows its email or postal code.
pub async fn get(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &Incoming,
    order: &str,
) -> Result<Response> {
    let proof = match (req.param("email"), req.param("postal_code")) {
        (Some(email), _) => OrderProof::Email(email.to_owned()),
        (None, Some(code)) => OrderProof::PostalCode(code.to_owned()),
        (None, None) => {
            return Err(EdgeError::bad_request(
                "missing_proof",
                "add ?email= or ?postal_code= of the order",
            ));
        }
    };
    let view = orders::order_view(
        &app.store,
        shop,
        order,
        proof,
        req.lang(),
        app.runtime.now(),
    )
    .await?;
    json_with_etag(Answer::of(&view)?, req.header("If-None-Match").as_deref())
}

/// Creates or replaces an order's own state.
pub async fn put(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
    order: &str,
) -> Result<Response> {
    let input: OrderInput = req.json().await?;
    let record = orders::put_order(
        &app.store,
        &app.answers(),
        shop,
        order,
        input,
        app.runtime.now(),
    )
    .await?;
    let ack = OrderAck {
        order_number: record.order_number,
        status: record.status,
        sub_status: record.sub_status,
    };
    json(200, &ack)
}
