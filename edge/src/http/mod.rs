//! The Worker's HTTP layer: parse, dispatch to a route, map every error to problem+json in one
//! place, add CORS and rate-limit headers.

pub mod cors;
pub mod rate_limit;
pub mod request;
pub mod response;

use worker::{Env, Request, Response, console_error};

use crate::carrier_env::{carrier_config, carrier_state};
use crate::d1_store::D1Store;
use crate::error::EdgeError;
use crate::fetch_http::FetchHttp;
use crate::kv_cache::KvCache;
use crate::routes;
use crate::runtime::WorkerRuntime;
use crate::service::live::{CarrierConfig, LiveCarriers};
use request::Incoming;

/// What every route gets: storage, runtime and the environment.
pub struct Api<'a> {
    /// D1 storage.
    pub store: D1Store,
    /// Clock and randomness.
    pub runtime: WorkerRuntime,
    /// Bindings, vars and secrets.
    pub env: &'a Env,
    /// Live carrier accounts.
    pub carriers: CarrierConfig,
    /// Carrier answers and tokens shared across isolates.
    pub cache: KvCache,
}

impl Api<'_> {
    /// Live carrier look-ups for this request.
    pub fn live(&self) -> LiveCarriers<'_, FetchHttp, KvCache> {
        LiveCarriers {
            config: &self.carriers,
            http: &FetchHttp,
            cache: &self.cache,
            state: carrier_state(),
        }
    }
}

/// Answers a request; never fails, and never answers 5xx for bad input.
pub async fn handle(request: Request, env: &Env) -> Response {
    let incoming = match Incoming::new(request) {
        Ok(incoming) => incoming,
        Err(error) => return response::problem(&error),
    };
    let origin = incoming.origin();
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(error) => return report(EdgeError::Internal(format!("DB binding: {error}"))),
    };
    let api = Api {
        store: D1Store::new(db),
        runtime: WorkerRuntime,
        env,
        carriers: carrier_config(env),
        cache: KvCache::new(env),
    };
    let (dressing, result) = routes::dispatch(&api, incoming).await;
    let mut response = result.unwrap_or_else(report);
    if let Err(error) = dressing.apply(&mut response, origin.as_deref()) {
        return report(error);
    }
    response
}

/// The problem response for an error; internal details go to the log only.
fn report(error: EdgeError) -> Response {
    if let EdgeError::Internal(detail) = &error {
        console_error!("internal error: {detail}");
    }
    response::problem(&error)
}
