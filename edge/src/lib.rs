//! Waypost's edge API: a Cloudflare Worker that resolves tracking numbers.
//!
//! [`service`] holds what the API does, against small traits, tested on the host; [`http`] and
//! [`routes`] are the thin Worker layer (parse, call the service, map the result), with
//! [`error::EdgeError`] mapped to HTTP in one place; [`d1_store`] keeps the data in D1.

#![recursion_limit = "256"]

pub mod carrier_env;
pub mod carriers;
pub mod cron;
pub mod d1_store;
pub mod error;
pub mod fetch_http;
pub mod http;
pub mod kv_cache;
pub mod limits;
pub mod openapi;
pub mod routes;
pub mod runtime;
pub mod service;

use worker::{Context, Env, Request, Response, ScheduleContext, ScheduledEvent, event};

/// The Worker's fetch handler.
#[event(fetch)]
pub async fn fetch(request: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(http::handle(request, &env).await)
}

/// The Cron Trigger: refreshes active shipments from their carriers.
#[event(scheduled)]
pub async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    cron::refresh(&env).await;
}
