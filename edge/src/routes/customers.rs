//! `GET /v1/customers?email=` and `DELETE /v1/customers?email=`: a customer's personal data,
//! exported or erased (secret key).

use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::request::Incoming;
use crate::http::response::json;
use crate::service::customers;
use crate::service::store::ShopRecord;

/// Everything personal the shop holds about the customer with `?email=`.
pub async fn export(app: &App<'_>, shop: &ShopRecord, req: &Incoming) -> Result<Response> {
    let email = req.param("email").unwrap_or_default();
    json(200, &customers::export(&app.store, shop, email).await?)
}

/// Erases the personal data of the customer with `?email=`; answers what was removed.
pub async fn erase(app: &App<'_>, shop: &ShopRecord, req: &Incoming) -> Result<Response> {
    let email = req.param("email").unwrap_or_default();
    json(200, &customers::erase(&app.store, shop, email).await?)
}
