//! The Cron Trigger's work: one refresh run over active shipments; what it did (or why it could
//! not) goes to the log.

use worker::{console_error, console_log};

use crate::app::App;
use crate::service::refresh;
use crate::service::store::Runtime;

/// Refreshes shipments from their carriers, within the configured limits.
pub async fn refresh(app: &App<'_>) {
    let now = app.runtime.now();
    match refresh::run(&app.store, &app.live(), app.refresh_limits(), now).await {
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
