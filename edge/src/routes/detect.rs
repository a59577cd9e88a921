//! `POST /v1/detect` and `GET /v1/carriers`.

use waypost_shared::detect::{Carrier, detect_outcome, formats};
use waypost_shared::wire::{CarrierInfo, CarriersView, DetectRequest, DetectResponse};
use worker::Response;

use crate::error::{EdgeError, Result};
use crate::http::request::Incoming;
use crate::http::response::json;
use crate::limits::MAX_DETECT_NUMBERS;

/// Detects up to 1,000 numbers; each too-long one is refused on its own line.
pub async fn detect(req: &mut Incoming) -> Result<Response> {
    let body: DetectRequest = req.json().await?;
    if body.numbers.is_empty() || body.numbers.len() > MAX_DETECT_NUMBERS {
        let detail = format!(
            "send 1 to {MAX_DETECT_NUMBERS} numbers; got {}",
            body.numbers.len()
        );
        return Err(EdgeError::bad_request("invalid_batch", detail));
    }
    let results = body
        .numbers
        .iter()
        .map(|number| detect_outcome(number))
        .collect();
    json(200, &DetectResponse { results })
}

/// Every carrier and format detection knows.
pub fn carriers() -> Result<Response> {
    let carriers = Carrier::ALL
        .iter()
        .map(|&code| CarrierInfo {
            code,
            name: code.name().to_owned(),
        })
        .collect();
    json(
        200,
        &CarriersView {
            carriers,
            formats: formats().collect(),
        },
    )
}
