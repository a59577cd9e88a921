//! The live-carrier setup of this Worker, read from its environment: base URLs as vars
//! (`UPS_BASE_URL`, ...; tests point them at a local fake), credentials as secrets
//! (`UPS_CLIENT_ID`/`UPS_CLIENT_SECRET`, the same for FedEx and USPS, `DHL_API_KEY`), the call
//! timeout and the cron refresh's limits. A carrier missing any of its settings is not asked.

use worker::Env;

use crate::carriers::{AuthKind, LiveCarrier};
use crate::service::carrier_state::CarrierState;
use crate::service::live::{CarrierAccount, CarrierConfig};
use crate::service::refresh::RefreshLimits;

/// Per-call timeout when `CARRIER_TIMEOUT_MS` is not set.
const DEFAULT_TIMEOUT_MS: u32 = 4000;

thread_local! {
    /// One carrier state per isolate, for as long as the isolate lives.
    static STATE: &'static CarrierState = Box::leak(Box::default());
}

/// The isolate's carrier state: tokens, breakers, calls in flight.
pub fn carrier_state() -> &'static CarrierState {
    STATE.with(|state| *state)
}

/// The carrier accounts and timeout configured in `env`.
pub fn carrier_config(env: &Env) -> CarrierConfig {
    let accounts = LiveCarrier::ALL
        .into_iter()
        .filter_map(|carrier| account(env, carrier))
        .collect();
    CarrierConfig {
        accounts,
        timeout_ms: number(env, "CARRIER_TIMEOUT_MS").unwrap_or(DEFAULT_TIMEOUT_MS),
    }
}

/// The cron refresh's limits (`REFRESH_BATCH`, `REFRESH_PER_CARRIER`, `REFRESH_MIN_AGE_SECS`).
pub fn refresh_limits(env: &Env) -> RefreshLimits {
    let default = RefreshLimits::default();
    RefreshLimits {
        batch: number(env, "REFRESH_BATCH").map_or(default.batch, |n| n as usize),
        per_carrier: number(env, "REFRESH_PER_CARRIER").map_or(default.per_carrier, |n| n as usize),
        min_age_secs: number(env, "REFRESH_MIN_AGE_SECS").unwrap_or(default.min_age_secs),
    }
}

fn account(env: &Env, carrier: LiveCarrier) -> Option<CarrierAccount> {
    let prefix = carrier.env_prefix();
    let base_url = text(env, &format!("{prefix}_BASE_URL"))?;
    let (client_id, client_secret) = match carrier.auth() {
        AuthKind::ApiKey => (text(env, &format!("{prefix}_API_KEY"))?, String::new()),
        AuthKind::OAuth => (
            text(env, &format!("{prefix}_CLIENT_ID"))?,
            text(env, &format!("{prefix}_CLIENT_SECRET"))?,
        ),
    };
    Some(CarrierAccount {
        carrier,
        base_url,
        client_id,
        client_secret,
    })
}

fn text(env: &Env, name: &str) -> Option<String> {
    let value = env.var(name).ok()?.to_string();
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn number(env: &Env, name: &str) -> Option<u32> {
    text(env, name)?.parse().ok()
}
