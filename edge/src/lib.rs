//! Waypost's edge API: a Cloudflare Worker that resolves tracking numbers.
//!
//! [`service`] holds what the API does, against small traits, tested on the host; [`http`] and
//! [`routes`] are the thin Worker layer (parse, call the service, map the result), with
//! [`error::EdgeError`] mapped to HTTP in one place; [`platform`] puts the service's traits on
//! workerd (D1, KV, clock, environment); [`app`] wires them together once, for the fetch handler
//! and the Cron Trigger alike.

#![recursion_limit = "256"]

pub mod app;
pub mod carriers;
pub mod cron;
pub mod error;
pub mod http;
pub mod limits;
pub mod openapi;
pub mod platform;
pub mod routes;
pub mod service;

use app::App;
use service::outbox::OutboxMessage;
use worker::{
    Context, Env, MessageBatch, Request, Response, ScheduleContext, ScheduledEvent, console_error,
    event,
};

/// The Worker's fetch handler.
#[event(fetch)]
pub async fn fetch(request: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(match App::from_env(&env) {
        Ok(app) => http::handle(&app, request).await,
        Err(error) => http::report(error),
    })
}

/// The Cron Trigger: keeps health schedules current, refreshes active shipments from their
/// carriers, erases personal data past its shop's retention period, deletes what shops no longer
/// keep, and forgets old webhook deliveries and expired console sessions.
#[event(scheduled)]
pub async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    match App::from_env(&env) {
        Ok(app) => {
            cron::upkeep_health(&app).await;
            platform::notify_queue::delays(&app).await;
            cron::refresh(&app).await;
            cron::expire_personal_data(&app).await;
            cron::delete_ended_shipments(&app).await;
            cron::forget_old_deliveries(&app).await;
            cron::delete_expired_sessions(&app).await;
            platform::notify_queue::sweep(&app).await;
        }
        Err(error) => console_error!("refresh: {error}"),
    }
}

/// The notification queue's consumer (and its dead-letter queue's): makes each notice's messages
/// and sends each at most once.
#[event(queue)]
pub async fn queue(
    batch: MessageBatch<OutboxMessage>,
    env: Env,
    _ctx: Context,
) -> worker::Result<()> {
    match App::from_env(&env) {
        Ok(app) => platform::notify_queue::consume(&app, &batch).await,
        // Nothing acknowledged: the queue delivers the batch again.
        Err(error) => console_error!("notification queue: {error}"),
    }
    Ok(())
}
