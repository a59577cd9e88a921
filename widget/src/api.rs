//! Talking to the edge API: conditional GETs with ETags, and errors sorted into the states the
//! widget shows; the POST of a parcel's email opt-in.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use waypost_shared::wire::compact::{self, FromJson};
use waypost_shared::wire::{OrderView, TrackingView};
use web_sys::{Headers, RequestInit, Response};

use crate::config::Config;

/// A fresh answer, or "unchanged since the ETag we sent".
pub enum Fetched<T> {
    /// A new body and its ETag.
    Fresh(T, Option<String>),
    /// 304: keep what is shown.
    Unchanged,
}

/// Why an answer did not come. Error bodies are not read: the widget already knows what it
/// asked (and detects carriers itself), which keeps the problem types out of its download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// 404.
    NotFound,
    /// 429: try again later.
    RateLimited,
    /// The network or the server failed.
    Unreachable,
    /// Any other refusal (a malformed number, a revoked key).
    Refused,
}

/// `GET /v1/track/{number}`.
pub async fn track(
    config: &Config,
    number: &str,
    etag: Option<&str>,
) -> Result<Fetched<TrackingView>, Failure> {
    let url = [
        &config.api,
        "/v1/track/",
        &encode(number),
        "?key=",
        &encode(&config.shop),
        "&lang=",
        config.lang.code(),
    ]
    .concat();
    get(&url, etag).await
}

/// `GET /v1/orders/{order}?email=`.
pub async fn order(
    config: &Config,
    order: &str,
    email: &str,
    etag: Option<&str>,
) -> Result<Fetched<OrderView>, Failure> {
    let url = [
        &config.api,
        "/v1/orders/",
        &encode(order),
        "?key=",
        &encode(&config.shop),
        "&email=",
        &encode(email),
        "&lang=",
        config.lang.code(),
    ]
    .concat();
    get(&url, etag).await
}

/// `POST /v1/track/{number}/subscriptions` `{"email": ...}`: asks the edge to email `email` a
/// confirmation link for updates on this parcel (double opt-in). The browser's `fetch` promise,
/// to be read with [`subscribed`]; `None` when the page has no window.
///
/// A promise, not a future: one more spawned future type costs the download a kilobyte.
pub fn subscribe(config: &Config, number: &str, email: &str) -> Option<Promise> {
    let url = [
        &config.api,
        "/v1/track/",
        &encode(number),
        "/subscriptions?key=",
        &encode(&config.shop),
        "&lang=",
        config.lang.code(),
    ]
    .concat();
    // The browser's own JSON encoder quotes the address.
    let email = js_sys::JSON::stringify(&JsValue::from(email))
        .map(String::from)
        .unwrap_or_default();
    let body = ["{\"email\":", &email, "}"].concat();
    fetch(&url, ("Content-Type", "application/json"), Some(&body))
}

/// What a [`subscribe`] promise settled with (a response, or the network's error): `Ok` for 202,
/// [`Failure::Refused`] for a 400 (an address the edge refuses), else [`Failure::Unreachable`].
pub fn subscribed(answer: &JsValue) -> Result<(), Failure> {
    match answer.dyn_ref::<Response>().map(Response::status) {
        Some(202) => Ok(()),
        Some(400) => Err(Failure::Refused),
        _ => Err(Failure::Unreachable),
    }
}

async fn get<T: FromJson>(url: &str, etag: Option<&str>) -> Result<Fetched<T>, Failure> {
    let response = send(url, etag).await.ok_or(Failure::Unreachable)?;
    match response.status() {
        200 => {
            let etag = response.headers().get("ETag").ok().flatten();
            let text = JsFuture::from(response.text().map_err(|_| Failure::Unreachable)?)
                .await
                .ok()
                .and_then(|text| text.as_string())
                .ok_or(Failure::Unreachable)?;
            let body = compact::from_json::<T>(&text).ok_or(Failure::Unreachable)?;
            Ok(Fetched::Fresh(body, etag))
        }
        304 => Ok(Fetched::Unchanged),
        429 => Err(Failure::RateLimited),
        status if status >= 500 => Err(Failure::Unreachable),
        404 => Err(Failure::NotFound),
        _ => Err(Failure::Refused),
    }
}

/// A GET with the browser's `fetch`, conditional on `etag`; `None` when no answer came.
async fn send(url: &str, etag: Option<&str>) -> Option<Response> {
    let fetched = fetch(url, ("If-None-Match", etag.unwrap_or_default()), None)?;
    JsFuture::from(fetched).await.ok()?.dyn_into().ok()
}

/// The browser's `fetch` of `url`: a GET, or a POST of `body`; with the `header` when it has a
/// value.
fn fetch(url: &str, (name, value): (&str, &str), body: Option<&str>) -> Option<Promise> {
    let init = RequestInit::new();
    if !value.is_empty() {
        let headers = Headers::new().ok()?;
        headers.set(name, value).ok()?;
        init.set_headers(&headers);
    }
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&body.into());
    }
    Some(web_sys::window()?.fetch_with_str_and_init(url, &init))
}

/// Percent-encodes a path or query component (with the browser's own encoder).
fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
