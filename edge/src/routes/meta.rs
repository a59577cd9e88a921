//! `GET /healthz` and `GET /v1/openapi.json`.

use waypost_shared::wire::Liveness;
use worker::Response;

use crate::error::Result;
use crate::http::response::json;
use crate::openapi;

pub fn healthz() -> Result<Response> {
    json(
        200,
        &Liveness {
            status: "ok".to_owned(),
        },
    )
}

/// The OpenAPI document.
pub fn openapi() -> Result<Response> {
    json(200, &openapi::document())
}
