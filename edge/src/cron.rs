//! The Cron Trigger's work: one refresh run over active shipments, one retention pass, one pass
//! deleting what the shops no longer keep, one upkeep pass of stored health schedules, one pass
//! forgetting old webhook delivery ids and one deleting expired console sessions; what each did
//! (or why it could not) goes to the log.

use worker::{console_error, console_log};

use crate::app::App;
use crate::limits::{
    DELIVERY_FORGET_BATCH, DELIVERY_MEMORY_DAYS, EXPIRED_SESSION_BATCH, HISTORY_BATCH,
    RETENTION_BATCH,
};
use crate::service::store::Runtime;
use crate::service::{console_sessions, customers, health_upkeep, inbound, refresh, shipments};

/// Erases the personal data of orders whose parcels ended longer ago than their shop keeps it.
pub async fn expire_personal_data(app: &App<'_>) {
    match customers::expire(&app.store, app.runtime.now(), RETENTION_BATCH).await {
        Ok(expired) => console_log!("retention: personal data of {expired} orders erased"),
        Err(error) => console_error!("retention failed: {error}"),
    }
}

/// Deletes the parcels whose final status is older than their shop keeps them.
pub async fn delete_ended_shipments(app: &App<'_>) {
    match shipments::delete_ended(&app.store, app.runtime.now(), HISTORY_BATCH).await {
        Ok(deleted) => console_log!("history: {deleted} ended shipments deleted"),
        Err(error) => console_error!("history pass failed: {error}"),
    }
}

/// Keeps the stored health schedules current (see [`health_upkeep`]).
pub async fn upkeep_health(app: &App<'_>) {
    match health_upkeep::run(&app.store, app.runtime.now()).await {
        Ok(report) => console_log!(
            "health upkeep: {} schedules re-derived, {} overtaken stalls cleared",
            report.rederived,
            report.cleared
        ),
        Err(error) => console_error!("health upkeep failed: {error}"),
    }
}

/// Refreshes shipments from their carriers, within the configured limits.
pub async fn refresh(app: &App<'_>) {
    let now = app.runtime.now();
    match refresh::run(
        &app.store,
        &app.live(),
        &app.answers(),
        app.refresh_limits(),
        now,
    )
    .await
    {
        Ok(report) => console_log!(
            "refresh: {} refreshed, {} new events, {} failed, {} deferred",
            report.refreshed,
            report.new_events,
            report.failed,
            report.deferred
        ),
        Err(error) => console_error!("refresh failed: {error}"),
    }
}

/// Forgets webhook delivery ids remembered longer than platforms retry.
pub async fn forget_old_deliveries(app: &App<'_>) {
    let before = app.runtime.now() - chrono::TimeDelta::days(DELIVERY_MEMORY_DAYS);
    match inbound::forget_deliveries(&app.store, before, DELIVERY_FORGET_BATCH).await {
        Ok(forgotten) => console_log!("webhooks: {forgotten} old delivery ids forgotten"),
        Err(error) => console_error!("forgetting delivery ids failed: {error}"),
    }
}

/// Deletes console sessions that have expired (they open nothing already; this keeps the table
/// small).
pub async fn delete_expired_sessions(app: &App<'_>) {
    match console_sessions::delete_expired(&app.store, app.runtime.now(), EXPIRED_SESSION_BATCH)
        .await
    {
        Ok(deleted) => console_log!("console: {deleted} expired sessions deleted"),
        Err(error) => console_error!("deleting expired sessions failed: {error}"),
    }
}
