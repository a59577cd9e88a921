//! The composition root: the one place where the Worker's environment becomes the service's
//! parts (storage, clock, carriers, cache). The fetch handler and the Cron Trigger both start here.

use worker::Env;

use crate::error::{EdgeError, Result};
use crate::platform::carrier_env::{carrier_config, carrier_state, refresh_limits};
use crate::platform::d1_store::D1Store;
use crate::platform::edge_cache::EdgeCache;
use crate::platform::edge_cache::answer_memory;
use crate::platform::fetch_http::FetchHttp;
use crate::platform::kv_cache::KvCache;
use crate::platform::runtime::WorkerRuntime;
use crate::service::answers::Answers;
use crate::service::links::LinkKey;
use crate::service::live::{CarrierConfig, LiveCarriers};
use crate::service::refresh::RefreshLimits;
use crate::service::sealing::SealingKey;
use crate::service::store::Runtime;

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
    /// Built public answers and publishable keys' shops, in this data centre.
    pub edge_cache: EdgeCache,
}

impl<'a> App<'a> {
    /// Wires the app from the Worker's environment; fails only when the `DB` binding is missing.
    pub fn from_env(env: &'a Env) -> Result<Self> {
        let db = env
            .d1("DB")
            .map_err(|error| EdgeError::Internal(format!("DB binding: {error}")))?;
        Ok(App {
            store: D1Store::new(db).with_outbox(env.queue("NOTIFY_QUEUE").ok()),
            runtime: WorkerRuntime,
            env,
            carriers: carrier_config(env),
            cache: KvCache::new(env),
            edge_cache: EdgeCache::default(),
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

    /// The public answer cache (this data centre's, with this isolate's memory in front).
    pub fn answers(&self) -> Answers<'_, EdgeCache> {
        Answers::new(&self.edge_cache, answer_memory(), self.runtime.now())
    }

    /// The `ADMIN_TOKEN` secret, when set.
    pub fn admin_token(&self) -> Option<String> {
        self.env
            .var("ADMIN_TOKEN")
            .ok()
            .map(|token| token.to_string())
    }

    /// The key that signs the links in messages (unsubscribe, opt-in confirmation): derived from
    /// the `INTEGRATIONS_KEY` secret, when set.
    pub fn link_key(&self) -> Option<LinkKey> {
        let secret = self.env.secret("INTEGRATIONS_KEY").ok()?.to_string();
        LinkKey::from_secret(&secret)
    }

    /// The key that seals integration secrets: from the `INTEGRATIONS_KEY` secret, when set and
    /// long enough.
    pub fn sealing_key(&self) -> Option<SealingKey> {
        let secret = self.env.secret("INTEGRATIONS_KEY").ok()?.to_string();
        SealingKey::from_secret(&secret)
    }

    /// The cron refresh's limits.
    pub fn refresh_limits(&self) -> RefreshLimits {
        refresh_limits(self.env)
    }
}
