//! [`CarrierHttp`] on the Workers `fetch`, with a timeout that aborts the call.

use std::time::Duration;

use futures_util::future::{Either, select};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::carriers::{CallMethod, HttpCall, HttpReply};
use crate::service::live::{CarrierHttp, Transport};

/// Carrier answers larger than this are refused unread (a tracking answer is a few KB).
const MAX_REPLY_BYTES: usize = 2 << 20;

/// Sends carrier calls with `fetch`.
pub struct FetchHttp;

impl CarrierHttp for FetchHttp {
    async fn send(&self, call: &HttpCall, timeout_ms: u32) -> Result<HttpReply, Transport> {
        let request = request(call).map_err(|e| Transport::Failed(e.to_string()))?;
        let controller = AbortController::default();
        let signal = controller.signal();
        let fetch = Fetch::Request(request);
        let sending = Box::pin(fetch.send_with_signal(&signal));
        let deadline = Delay::from(Duration::from_millis(timeout_ms.into()));
        let mut response = match select(sending, deadline).await {
            Either::Left((result, _)) => result.map_err(|e| Transport::Failed(e.to_string()))?,
            Either::Right(((), _)) => {
                controller.abort();
                return Err(Transport::Timeout);
            }
        };
        let retry_after = response
            .headers()
            .get("Retry-After")
            .ok()
            .flatten()
            .and_then(|value| value.trim().parse().ok());
        let body = response
            .text()
            .await
            .map_err(|e| Transport::Failed(e.to_string()))?;
        if body.len() > MAX_REPLY_BYTES {
            return Err(Transport::Failed(format!(
                "answer of {} bytes is too large",
                body.len()
            )));
        }
        Ok(HttpReply {
            status: response.status_code(),
            retry_after,
            body,
        })
    }

    async fn sleep(&self, millis: u32) {
        Delay::from(Duration::from_millis(millis.into())).await;
    }
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
