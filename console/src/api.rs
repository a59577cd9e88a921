//! Talking to the Worker that serves the console: same-origin requests that carry the session
//! cookie (never a key kept in the page), JSON in and out, and failures sorted into what the
//! pages show.

use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use waypost_shared::health::Health;
use waypost_shared::wire::{
    ConsoleSession, ConsoleSignIn, ShipmentCounts, ShipmentList, TrackingView,
};
use web_sys::{Headers, RequestInit, Response};

/// Shipments asked for per page of a list.
const PAGE: u32 = 20;

/// Why an answer did not come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// 401: the key was refused, or the session ended.
    SignedOut,
    /// 404.
    NotFound,
    /// 429: too many tries; wait.
    RateLimited,
    /// The network or the server failed, or the answer was unreadable.
    Unreachable,
    /// Any other refusal.
    Refused,
}

/// `POST /v1/console/session`: trades the secret key for a session (its cookie is set by the
/// answer and is out of the page's reach).
pub async fn sign_in(secret_key: String) -> Result<ConsoleSession, Failure> {
    let body =
        serde_json::to_string(&ConsoleSignIn { secret_key }).map_err(|_| Failure::Refused)?;
    read(send("POST", "/v1/console/session", Some(&body), None).await?).await
}

/// `GET /v1/console/session`: the live session of the cookie, if any.
pub async fn session() -> Result<ConsoleSession, Failure> {
    read(send("GET", "/v1/console/session", None, None).await?).await
}

/// `DELETE /v1/console/session`: ends the session (a write: it carries the CSRF token).
pub async fn sign_out(csrf_token: &str) -> Result<(), Failure> {
    send("DELETE", "/v1/console/session", None, Some(csrf_token))
        .await
        .map(drop)
}

/// `GET /v1/shipments/counts`.
pub async fn counts() -> Result<ShipmentCounts, Failure> {
    read(send("GET", "/v1/shipments/counts", None, None).await?).await
}

/// `GET /v1/shipments?health=`: one page of the shipments with `health` now, after `cursor`.
pub async fn shipments(health: Health, cursor: Option<&str>) -> Result<ShipmentList, Failure> {
    let mut path = format!("/v1/shipments?health={}&limit={PAGE}", health.as_str());
    if let Some(cursor) = cursor {
        path.push_str("&cursor=");
        path.push_str(&encode(cursor));
    }
    read(send("GET", &path, None, None).await?).await
}

/// `GET /v1/shipments?order=`: the order's shipments, in one page.
pub async fn order_shipments(order: &str) -> Result<ShipmentList, Failure> {
    let path = format!("/v1/shipments?order={}", encode(order));
    read(send("GET", &path, None, None).await?).await
}

/// `GET /v1/shipments/{number}`: the shipment's tracking view, as its customers see it.
pub async fn shipment(number: &str) -> Result<TrackingView, Failure> {
    let path = format!("/v1/shipments/{}?lang=en", encode(number));
    read(send("GET", &path, None, None).await?).await
}

/// A request to the console's own origin with its cookie; a non-2xx status is a [`Failure`].
async fn send(
    method: &str,
    path: &str,
    body: Option<&str>,
    csrf_token: Option<&str>,
) -> Result<Response, Failure> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().map_err(|_| Failure::Unreachable)?;
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|_| Failure::Unreachable);
    set("Accept", "application/json")?;
    if let Some(body) = body {
        set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(token) = csrf_token {
        set("X-CSRF-Token", token)?;
    }
    init.set_headers(&headers);
    // Named here rather than through web-sys features the widget does not use: the cookie goes
    // to this origin only, and no answer is kept in the HTTP cache.
    for (name, value) in [("credentials", "same-origin"), ("cache", "no-store")] {
        js_sys::Reflect::set(&init, &name.into(), &value.into())
            .map_err(|_| Failure::Unreachable)?;
    }
    let window = web_sys::window().ok_or(Failure::Unreachable)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| Failure::Unreachable)?
        .dyn_into()
        .map_err(|_| Failure::Unreachable)?;
    match response.status() {
        200..=299 => Ok(response),
        401 => Err(Failure::SignedOut),
        404 => Err(Failure::NotFound),
        429 => Err(Failure::RateLimited),
        status if status >= 500 => Err(Failure::Unreachable),
        _ => Err(Failure::Refused),
    }
}

/// The JSON body of an answer.
async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    let text = JsFuture::from(response.text().map_err(|_| Failure::Unreachable)?)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or(Failure::Unreachable)?;
    serde_json::from_str(&text).map_err(|_| Failure::Unreachable)
}

/// Percent-encodes a path or query component (with the browser's own encoder).
fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
