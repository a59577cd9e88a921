//! [`CarrierHttp`] on the Workers `fetch`, with one deadline over the whole exchange (the answer's
//! headers and its body) that aborts the call.

use std::time::Duration;

use futures_util::future::{Either, select};
use worker::{
    AbortController, AbortSignal, Delay, Fetch, Headers, Method, Request, RequestInit, Response,
};

use crate::carriers::{CallMethod, HttpCall, HttpReply};
use crate::service::live::{CarrierHttp, Transport};

/// Carrier answers larger than this are refused (a tracking answer is a few KB): unread when
/// their `Content-Length` says so, else once read.
const MAX_REPLY_BYTES: usize = 2 << 20;

/// Sends carrier calls with `fetch`.
pub struct FetchHttp;

impl CarrierHttp for FetchHttp {
    async fn send(&self, call: &HttpCall, timeout_ms: u32) -> Result<HttpReply, Transport> {
        let request = request(call).map_err(failed)?;
        let controller = AbortController::default();
        let signal = controller.signal();
        let exchange = Box::pin(exchange(request, &signal));
        let deadline = Delay::from(Duration::from_millis(timeout_ms.into()));
        let outcome = match select(exchange, deadline).await {
            Either::Left((outcome, _)) => outcome,
            Either::Right(((), _)) => Err(Transport::Timeout),
        };
        if outcome.is_err() {
            // Stops whatever is still in flight: the call, or the body nobody will read.
            controller.abort();
        }
        outcome
    }

    async fn sleep(&self, millis: u32) {
        Delay::from(Duration::from_millis(millis.into())).await;
    }
}

/// Sends `request` and reads the whole answer; the caller puts the deadline over both.
async fn exchange(request: Request, signal: &AbortSignal) -> Result<HttpReply, Transport> {
    let mut response = Fetch::Request(request)
        .send_with_signal(signal)
        .await
        .map_err(failed)?;
    if let Some(length) = declared_length(&response)
        && length > MAX_REPLY_BYTES as u64
    {
        return Err(too_large(length));
    }
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse().ok());
    let body = response.text().await.map_err(failed)?;
    if body.len() > MAX_REPLY_BYTES {
        return Err(too_large(body.len() as u64));
    }
    Ok(HttpReply {
        status: response.status_code(),
        retry_after,
        body,
    })
}

/// The body length the answer announces, if it does.
fn declared_length(response: &Response) -> Option<u64> {
    response
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse().ok())
}

fn too_large(bytes: u64) -> Transport {
    Transport::Failed(format!("answer of {bytes} bytes is too large"))
}

fn failed(error: worker::Error) -> Transport {
    Transport::Failed(error.to_string())
}

fn request(call: &HttpCall) -> worker::Result<Request> {
    let headers = Headers::new();
    for (name, value) in &call.headers {
        headers.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_headers(headers).with_method(match call.method {
        CallMethod::Get => Method::Get,
        CallMethod::Post => Method::Post,
    });
    if let Some(body) = &call.body {
        init.with_body(Some(body.as_str().into()));
    }
    Request::new_with_init(&call.url, &init)
}
