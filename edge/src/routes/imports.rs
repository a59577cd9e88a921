//! `POST /v1/imports`: a CSV export of orders and tracking numbers (secret key); `?dry_run=true`
//! answers what it would do and writes nothing.

use worker::Response;

use crate::app::App;
use crate::error::{EdgeError, Result};
use crate::http::request::Incoming;
use crate::http::response::json;
use crate::service::imports;
use crate::service::store::{Runtime, ShopRecord};

/// Imports the CSV body; answers what was (or would be) created, updated and left as it was.
pub async fn import(app: &App<'_>, shop: &ShopRecord, req: &mut Incoming) -> Result<Response> {
    let dry_run = match req.param("dry_run") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(EdgeError::bad_request(
                "invalid_query",
                "dry_run must be true or false",
            ));
        }
    };
    let body = req.csv().await?;
    let now = app.runtime.now();
    let result = imports::import(&app.store, &app.answers(), shop, &body, dry_run, now).await?;
    json(200, &result)
}
