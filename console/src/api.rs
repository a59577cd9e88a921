//! Talking to the Worker that serves the console: same-origin requests that carry the session
//! cookie (never a key kept in the page), JSON in and out, and failures sorted into what the
//! pages show.

use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use waypost_shared::wire::{
    ConsoleSession, ConsoleSignIn, IntegrationInput, IntegrationView, NotificationList,
    NotificationSettings, Platform, ShipmentCounts, ShipmentList, ShopSettings, ShopSettingsInput,
    TrackingView, WebhookEndpointInput, WebhookEndpointList, WebhookEndpointView,
};
use web_sys::{Headers, RequestInit, Response};

use crate::filter::Filter;

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

/// `GET /v1/shipments`: one page of the shipments `filter` lets through, after `cursor`.
pub async fn shipments(filter: &Filter, cursor: Option<&str>) -> Result<ShipmentList, Failure> {
    let mut path = format!("/v1/shipments?limit={PAGE}");
    let query = filter.query();
    if !query.is_empty() {
        path.push('&');
        path.push_str(&query);
    }
    if let Some(cursor) = cursor {
        path.push_str("&cursor=");
        path.push_str(&encode(cursor));
    }
    read(send("GET", &path, None, None).await?).await
}

/// `GET /v1/shipments.csv`: the address of the CSV file of the shipments `filter` lets through
/// (a download the browser makes with the session cookie).
pub fn export_address(filter: &Filter) -> String {
    match filter.query() {
        query if query.is_empty() => "/v1/shipments.csv".to_owned(),
        query => format!("/v1/shipments.csv?{query}"),
    }
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

/// `GET /v1/shop`: the shop's settings and publishable key.
pub async fn shop() -> Result<ShopSettings, Failure> {
    read(send("GET", "/v1/shop", None, None).await?).await
}

/// Why a change to the settings was not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveFailure {
    /// 400: what was wrong with the input, in the API's words.
    Invalid(String),
    /// Any other failure.
    Failed(Failure),
}

/// `PATCH /v1/shop`: changes the settings given (a write: it carries the CSRF token).
pub async fn update_shop(
    csrf_token: &str,
    input: &ShopSettingsInput,
) -> Result<ShopSettings, SaveFailure> {
    let body = serde_json::to_string(input).map_err(|_| SaveFailure::Failed(Failure::Refused))?;
    saved(request("PATCH", "/v1/shop", Some(&body), Some(csrf_token)).await).await
}

/// `POST /v1/shop/publishable-key`: a new publishable key; the old one stops working at once.
pub async fn new_publishable_key(csrf_token: &str) -> Result<ShopSettings, Failure> {
    read(
        send(
            "POST",
            "/v1/shop/publishable-key",
            Some("{}"),
            Some(csrf_token),
        )
        .await?,
    )
    .await
}

/// `GET /v1/integrations/{platform}`: where the platform sends its webhooks, or `None` when the
/// shop has not connected it.
pub async fn integration(platform: Platform) -> Result<Option<IntegrationView>, Failure> {
    let path = format!("/v1/integrations/{}", platform.as_str());
    match send("GET", &path, None, None).await {
        Ok(response) => read(response).await.map(Some),
        Err(Failure::NotFound) => Ok(None),
        Err(failure) => Err(failure),
    }
}

/// `PUT /v1/integrations/{platform}`: connects the platform with the secret it signs its
/// webhooks with (a write: it carries the CSRF token).
pub async fn connect_integration(
    csrf_token: &str,
    platform: Platform,
    webhook_secret: String,
) -> Result<IntegrationView, SaveFailure> {
    let body = serde_json::to_string(&IntegrationInput { webhook_secret })
        .map_err(|_| SaveFailure::Failed(Failure::Refused))?;
    let path = format!("/v1/integrations/{}", platform.as_str());
    saved(request("PUT", &path, Some(&body), Some(csrf_token)).await).await
}

/// `DELETE /v1/integrations/{platform}`: the platform's webhooks are refused from now on.
pub async fn disconnect_integration(csrf_token: &str, platform: Platform) -> Result<(), Failure> {
    let path = format!("/v1/integrations/{}", platform.as_str());
    send("DELETE", &path, None, Some(csrf_token))
        .await
        .map(drop)
}

/// `GET /v1/notifications/settings`: the triggers, channels and sender of the shop's messages.
pub async fn notification_settings() -> Result<NotificationSettings, Failure> {
    read(send("GET", "/v1/notifications/settings", None, None).await?).await
}

/// `PUT /v1/notifications/settings`: replaces the notification settings whole (a write: it
/// carries the CSRF token).
pub async fn save_notification_settings(
    csrf_token: &str,
    settings: &NotificationSettings,
) -> Result<NotificationSettings, SaveFailure> {
    let body =
        serde_json::to_string(settings).map_err(|_| SaveFailure::Failed(Failure::Refused))?;
    saved(
        request(
            "PUT",
            "/v1/notifications/settings",
            Some(&body),
            Some(csrf_token),
        )
        .await,
    )
    .await
}

/// `GET /v1/notifications/webhooks`: the shop's webhook endpoints, oldest first.
pub async fn webhook_endpoints() -> Result<WebhookEndpointList, Failure> {
    read(send("GET", "/v1/notifications/webhooks", None, None).await?).await
}

/// `POST /v1/notifications/webhooks`: a new webhook endpoint, with its signing secret (in this
/// answer only).
pub async fn add_webhook_endpoint(
    csrf_token: &str,
    url: String,
) -> Result<WebhookEndpointView, SaveFailure> {
    let body = serde_json::to_string(&WebhookEndpointInput { url })
        .map_err(|_| SaveFailure::Failed(Failure::Refused))?;
    saved(
        request(
            "POST",
            "/v1/notifications/webhooks",
            Some(&body),
            Some(csrf_token),
        )
        .await,
    )
    .await
}

/// `DELETE /v1/notifications/webhooks/{id}`: the endpoint gets no more webhooks.
pub async fn remove_webhook_endpoint(csrf_token: &str, id: &str) -> Result<(), Failure> {
    let path = format!("/v1/notifications/webhooks/{}", encode(id));
    send("DELETE", &path, None, Some(csrf_token))
        .await
        .map(drop)
}

/// `GET /v1/notifications?shipment=`: the messages sent about a shipment, newest first.
pub async fn shipment_notifications(number: &str) -> Result<NotificationList, Failure> {
    let path = format!("/v1/notifications?shipment={}&limit=100", encode(number));
    read(send("GET", &path, None, None).await?).await
}

/// The answer to a write: its JSON body, or why it was not saved (a 400's detail, in the API's
/// words).
async fn saved<T: DeserializeOwned>(response: Result<Response, Failure>) -> Result<T, SaveFailure> {
    let response = response.map_err(SaveFailure::Failed)?;
    if response.status() == 400 {
        let problem: serde_json::Value = read(response).await.map_err(SaveFailure::Failed)?;
        let detail = problem["detail"]
            .as_str()
            .unwrap_or("That was not accepted.");
        return Err(SaveFailure::Invalid(detail.to_owned()));
    }
    read(checked(response).map_err(SaveFailure::Failed)?)
        .await
        .map_err(SaveFailure::Failed)
}

/// A request to the console's own origin with its cookie; a non-2xx status is a [`Failure`].
async fn send(
    method: &str,
    path: &str,
    body: Option<&str>,
    csrf_token: Option<&str>,
) -> Result<Response, Failure> {
    checked(request(method, path, body, csrf_token).await?)
}

/// A request to the console's own origin with its cookie, whatever the answer's status.
async fn request(
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
    JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| Failure::Unreachable)?
        .dyn_into()
        .map_err(|_| Failure::Unreachable)
}

/// The answer if its status is 2xx, else the [`Failure`] it means.
fn checked(response: Response) -> Result<Response, Failure> {
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
