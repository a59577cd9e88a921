//! The Cron Trigger's work: one refresh run over active shipments; what it did (or why it could
//! not) goes to the log.

use worker::{Env, console_error, console_log};

use crate::carrier_env::{carrier_config, carrier_state, refresh_limits};
use crate::d1_store::D1Store;
use crate::fetch_http::FetchHttp;
use crate::kv_cache::KvCache;
use crate::runtime::WorkerRuntime;
use crate::service::live::LiveCarriers;
use crate::service::refresh;
use crate::service::store::Runtime;

/// Refreshes shipments from their carriers, within the configured limits.
pub async fn refresh(env: &Env) {
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(error) => return console_error!("refresh: DB binding: {error}"),
    };
    let config = carrier_config(env);
    let cache = KvCache::new(env);
    let live = LiveCarriers {
        config: &config,
        http: &FetchHttp,
        cache: &cache,
        state: carrier_state(),
    };
    let store = D1Store::new(db);
    match refresh::run(&store, &live, refresh_limits(env), WorkerRuntime.now()).await {
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
