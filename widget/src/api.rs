//! Talking to the edge API: conditional GETs with ETags, and errors sorted into the states the
//! widget shows.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use waypost_shared::wire::{OrderView, Problem, TrackingView};

use crate::config::Config;

/// A fresh answer, or "unchanged since the ETag we sent".
pub enum Fetched<T> {
    /// A new body and its ETag.
    Fresh(T, Option<String>),
    /// 304: keep what is shown.
    Unchanged,
}

/// Why an answer did not come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 404 (with what detection found, for tracking numbers).
    NotFound(Box<Problem>),
    /// 429: try again later.
    RateLimited,
    /// The network or the server failed.
    Unreachable,
    /// Any other refusal, with the API's words.
    Refused(Box<Problem>),
}

/// `GET /v1/track/{number}`.
pub async fn track(
    config: &Config,
    number: &str,
    etag: Option<&str>,
) -> Result<Fetched<TrackingView>, Failure> {
    let url = format!(
        "{}/v1/track/{}?key={}&lang={}",
        config.api,
        encode(number),
        encode(&config.shop),
        config.lang.code()
    );
    get(&url, etag).await
}

/// `GET /v1/orders/{order}?email=`.
pub async fn order(
    config: &Config,
    order: &str,
    email: &str,
    etag: Option<&str>,
) -> Result<Fetched<OrderView>, Failure> {
    let url = format!(
        "{}/v1/orders/{}?key={}&email={}&lang={}",
        config.api,
        encode(order),
        encode(&config.shop),
        encode(email),
        config.lang.code()
    );
    get(&url, etag).await
}

async fn get<T: DeserializeOwned>(url: &str, etag: Option<&str>) -> Result<Fetched<T>, Failure> {
    let mut request = Request::get(url);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.map_err(|_| Failure::Unreachable)?;
    match response.status() {
        200 => {
            let etag = response.headers().get("ETag");
            let body = response
                .json::<T>()
                .await
                .map_err(|_| Failure::Unreachable)?;
            Ok(Fetched::Fresh(body, etag))
        }
        304 => Ok(Fetched::Unchanged),
        429 => Err(Failure::RateLimited),
        status if status >= 500 => Err(Failure::Unreachable),
        404 => Err(Failure::NotFound(Box::new(problem(response).await?))),
        _ => Err(Failure::Refused(Box::new(problem(response).await?))),
    }
}

async fn problem(response: gloo_net::http::Response) -> Result<Problem, Failure> {
    response
        .json::<Problem>()
        .await
        .map_err(|_| Failure::Unreachable)
}

/// Percent-encodes a path or query component (with the browser's own encoder).
fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
