//! The composition root: the one place where the Worker's environment becomes the service's
//! parts (storage, clock, carriers, cache). The fetch handler and the Cron Trigger both start here.

use worker::Env;

use crate::error::{EdgeError, Result};
use crate::platform::carrier_env::{carrier_config, carrier_state, refresh_limits};
use crate::platform::d1_store::D1Store;
use crate::platform::fetch_http::FetchHttp;
use crate::platform::kv_cache::KvCache;
use crate::platform::runtime::WorkerRuntime;
use crate::service::live::{CarrierConfig, LiveCarriers};
use crate::service::refresh::RefreshLimits;

/// What every request and cron run works with.
pub struct App<'a> {
    pub store: D1Store,
    /// Clock and randomness.
    pub runtime: WorkerRuntime,
    /// Bindings, vars and secrets (rate limiters, the admin token).
    pub env: &'a Env,
    /// Live carrier accounts.
    pub carriers: CarrierConfig,
    /// Carrier answers and tokens shared across isolates.
    pub cache: KvCache,
}

impl<'a> App<'a> {
    /// Wires the app from the Worker's environment; fails only when the `DB` binding is missing.
    pub fn from_env(env: &'a Env) -> Result<Self> {
        let db = env
            .d1("DB")
            .map_err(|error| EdgeError::Internal(format!("DB binding: {error}")))?;
        Ok(App {
            store: D1Store::new(db),
            runtime: WorkerRuntime,
            env,
            carriers: carrier_config(env),
            cache: KvCache::new(env),
        })
    }

    /// Live carrier look-ups, with the isolate's shared tokens, breakers and calls in flight.
    pub fn live(&self) -> LiveCarriers<'_, FetchHttp, KvCache> {
        LiveCarriers {
            config: &self.carriers,
            http: &FetchHttp,
            cache: &self.cache,
            state: carrier_state(),
        }
    }

    /// The `ADMIN_TOKEN` secret, when set.
    pub fn admin_token(&self) -> Option<String> {
        self.env
            .var("ADMIN_TOKEN")
            .ok()
            .map(|token| token.to_string())
    }

    /// The cron refresh's limits.
    pub fn refresh_limits(&self) -> RefreshLimits {
        refresh_limits(self.env)
    }
}
