//! [`Cache`] on Workers KV (the `CARRIER_CACHE` binding). Without the binding every read misses
//! and writes are dropped: carriers are then asked on every look-up.

use worker::kv::KvStore;
use worker::{Env, console_warn};

use crate::service::live::Cache;

/// KV's shortest time-to-live.
const MIN_TTL_SECS: u32 = 60;

/// Carrier answers and tokens in Workers KV.
pub struct KvCache {
    store: Option<KvStore>,
}

impl KvCache {
    /// The `CARRIER_CACHE` namespace of `env`.
    pub fn new(env: &Env) -> Self {
        KvCache {
            store: env.kv("CARRIER_CACHE").ok(),
        }
    }
}

impl Cache for KvCache {
    async fn get(&self, key: &str) -> Option<String> {
        match self.store.as_ref()?.get(key).text().await {
            Ok(value) => value,
            Err(error) => {
                console_warn!("carrier cache read failed: {error:?}");
                None
            }
        }
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: u32) {
        let Some(store) = &self.store else { return };
        let written = match store.put(key, value) {
            Ok(put) => {
                put.expiration_ttl(ttl_secs.max(MIN_TTL_SECS).into())
                    .execute()
                    .await
            }
            Err(error) => Err(error),
        };
        if let Err(error) = written {
            console_warn!("carrier cache write failed: {error:?}");
        }
    }

    async fn delete(&self, key: &str) {
        if let Some(store) = &self.store
            && let Err(error) = store.delete(key).await
        {
            console_warn!("carrier cache delete failed: {error:?}");
        }
    }
}
