//! `GET` and `PUT /v1/shipments/{number}`, `POST /v1/shipments/{number}/events`,
//! `GET /v1/shipments`, `GET /v1/shipments.csv`, `GET /v1/shipments/counts`.

use waypost_shared::WireEnum;
use waypost_shared::detect::Carrier;
use waypost_shared::health::Health;
use waypost_shared::status::Status;
use waypost_shared::wire::{EventBatch, ShipmentInput};
use worker::Response;

use crate::app::App;
use crate::error::{EdgeError, Result};
use crate::http::request::Incoming;
use crate::http::response::{csv_file, json, set};
use crate::service::events;
use crate::service::shipments::{self, ListQuery};
use crate::service::store::{Runtime, ShipmentFilter, ShopRecord};

/// The header of a CSV export that names where the next file starts.
const NEXT_CURSOR_HEADER: &str = "Waypost-Next-Cursor";

/// Registers or updates a shipment; answers its tracking view.
pub async fn put(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
    number: &str,
) -> Result<Response> {
    let input: ShipmentInput = req.json().await?;
    let now = app.runtime.now();
    let view = shipments::put_shipment(
        &app.store,
        &app.answers(),
        shop,
        number,
        input,
        req.lang(),
        now,
    )
    .await?;
    json(200, &view)
}

/// The shop's own shipment as its customers see it (the console's shipment page); 404 for a
/// number the shop does not hold.
pub async fn get(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &Incoming,
    number: &str,
) -> Result<Response> {
    shipments::ensure_held(&app.store, shop, number).await?;
    super::track::get(app, shop, req, number).await
}

/// Stores a batch of events.
pub async fn push_events(
    app: &App<'_>,
    shop: &ShopRecord,
    req: &mut Incoming,
    number: &str,
) -> Result<Response> {
    let batch: EventBatch = req.json().await?;
    let result = events::push_events(
        &app.store,
        &app.answers(),
        shop,
        number,
        batch,
        app.runtime.now(),
    )
    .await?;
    json(200, &result)
}

/// The shop's shipments, filtered by `status`, `carrier`, `health`, `scanned` (with `health`
/// only) and `order`, paged by `cursor` and `limit`.
pub async fn list(app: &App<'_>, shop: &ShopRecord, req: &Incoming) -> Result<Response> {
    let query = ListQuery {
        limit: req
            .param("limit")
            .map(|l| {
                l.parse()
                    .map_err(|_| EdgeError::bad_request("invalid_query", "limit must be a number"))
            })
            .transpose()?,
        ..list_query(req)?
    };
    json(
        200,
        &shipments::list_shipments(&app.store, shop, query, app.runtime.now()).await?,
    )
}

/// The shop's shipments as a CSV file: the list's query but `limit`, up to
/// [`crate::limits::EXPORT_MAX_ROWS`] rows; `Waypost-Next-Cursor` names where the next file
/// starts when rows remain.
pub async fn export(app: &App<'_>, shop: &ShopRecord, req: &Incoming) -> Result<Response> {
    let export =
        shipments::export_shipments(&app.store, shop, list_query(req)?, app.runtime.now()).await?;
    let mut response = csv_file(export.csv, "shipments.csv")?;
    if let Some(cursor) = &export.next_cursor {
        set(&mut response, NEXT_CURSOR_HEADER, cursor)?;
    }
    Ok(response)
}

/// The filters and cursor of a list's query string (no `limit`).
fn list_query(req: &Incoming) -> Result<ListQuery> {
    Ok(ListQuery {
        filter: ShipmentFilter {
            status: req
                .param("status")
                .map(|s| enum_param::<Status>("status", s))
                .transpose()?,
            carrier: req
                .param("carrier")
                .map(|c| enum_param::<Carrier>("carrier", c))
                .transpose()?,
            scanned: req
                .param("scanned")
                .map(|s| match s {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(EdgeError::bad_request(
                        "invalid_query",
                        "scanned: true or false",
                    )),
                })
                .transpose()?,
        },
        health: req
            .param("health")
            .map(|h| enum_param::<Health>("health", h))
            .transpose()?,
        order: req.param("order").map(str::to_owned),
        cursor: req.param("cursor").map(str::to_owned),
        limit: None,
    })
}

/// The shop's shipments counted by status and by health now.
pub async fn counts(app: &App<'_>, shop: &ShopRecord) -> Result<Response> {
    json(
        200,
        &shipments::shipment_counts(&app.store, shop, app.runtime.now()).await?,
    )
}

/// A query parameter holding an enum's wire name.
fn enum_param<T: WireEnum>(name: &str, value: &str) -> Result<T> {
    T::parse(value)
        .map_err(|error| EdgeError::bad_request("invalid_query", format!("{name}: {error}")))
}
