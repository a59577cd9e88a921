//! Asking carriers live: credentials, the answer cache, retries and the circuit breaker. Written
//! against [`CarrierHttp`] and [`Cache`] so the whole policy is tested on the host; the Worker
//! plugs in `fetch` and Workers KV.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use waypost_shared::status::Status;

use super::carrier_lookup::{Failure, Fetched};
use super::carrier_state::{CachedToken, CarrierState};
use crate::carriers::oauth::{read_token, token_call};
use crate::carriers::seventeen_track::{self, Registration};
use crate::carriers::{AuthKind, CarrierAnswer, HttpCall, HttpReply, LiveCarrier, Lookup};
use crate::error::Result;

/// Calls a carrier gets per look-up: the first try and one retry.
pub const MAX_ATTEMPTS: u32 = 2;
/// Pause before retrying after a 5xx or a broken connection.
pub const RETRY_BACKOFF_MS: u32 = 250;
/// The longest `Retry-After` a look-up waits out in place; longer ones pause the carrier.
pub const MAX_INLINE_WAIT_SECS: u32 = 1;
/// `Retry-After` assumed when a 429 comes without one.
pub const DEFAULT_RETRY_AFTER_SECS: u32 = 30;
/// Tokens are dropped this long before they expire.
pub const TOKEN_MARGIN_SECS: u32 = 120;
/// A "the carrier does not know this number" answer is kept this long.
pub const NOT_FOUND_TTL_SECS: u32 = 15 * 60;
/// A "registered, nothing tracked yet" answer of the aggregator is kept this long: its first
/// results come within minutes of the registration.
pub const PENDING_TTL_SECS: u32 = 5 * 60;

/// How long a carrier answer is cached, by the status it shows: short while the parcel moves,
/// long once it is delivered. Workers KV keeps nothing shorter than a minute.
pub fn cache_ttl_secs(status: Option<Status>) -> u32 {
    match status {
        Some(status) if status.is_final() => 24 * 3600,
        Some(Status::Exception) => 2 * 3600,
        Some(Status::OutForDelivery | Status::AttemptFailed | Status::AvailableForPickup) => {
            10 * 60
        }
        Some(Status::InTransit) => 30 * 60,
        // Before pickup, or nothing to go by.
        _ => 60 * 60,
    }
}

/// How long a carrier's reading of a number is cached: by its status when found.
pub fn lookup_ttl_secs(lookup: &Lookup) -> u32 {
    match lookup {
        Lookup::Found(answer) => cache_ttl_secs(answer.newest_status()),
        Lookup::NotFound => NOT_FOUND_TTL_SECS,
        Lookup::Pending => PENDING_TTL_SECS,
        // Never kept: the next look-up registers the number.
        Lookup::Unregistered => 0,
    }
}

/// Seconds a fetched reading stays in the carrier cache from `now`: what anything built from it
/// may be kept for.
pub fn fresh_secs(fetched: &Fetched, now: DateTime<Utc>) -> u32 {
    let age = (now - fetched.fetched_at).num_seconds().max(0);
    u32::try_from(i64::from(lookup_ttl_secs(&fetched.lookup)) - age).unwrap_or(0)
}

/// Whether a look-up may register the number with an API that wants numbers registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registering {
    /// A shipment a shop stored: register it when the API does not have it yet.
    Allowed,
    /// A number someone typed: ask only; an unregistered number is not known.
    Refused,
}

/// Sends HTTP calls to carriers: `fetch` in the Worker, a script in host tests.
#[allow(
    async_fn_in_trait,
    reason = "the Worker is single-threaded; futures need not be Send"
)]
pub trait CarrierHttp {
    /// Sends `call`, giving up after `timeout_ms`.
    async fn send(&self, call: &HttpCall, timeout_ms: u32) -> Result<HttpReply, Transport>;
    /// Waits `millis` (backoff between retries).
    async fn sleep(&self, millis: u32);
}

/// A call that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// No answer within the timeout.
    Timeout,
    /// The connection failed.
    Failed(String),
}

/// A key-value cache with expiry: Workers KV in the Worker, a map in host tests. Best effort: a
/// failed read is a miss and a failed write only costs a carrier call later.
#[allow(
    async_fn_in_trait,
    reason = "the Worker is single-threaded; futures need not be Send"
)]
pub trait Cache {
    /// The value under `key`, if any and not expired.
    async fn get(&self, key: &str) -> Option<String>;
    /// Stores `value` under `key` for `ttl_secs` (KV keeps nothing under 60).
    async fn put(&self, key: &str, value: &str, ttl_secs: u32);
    async fn delete(&self, key: &str);
}

/// One carrier account: where its API is and the credentials (Worker vars and secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierAccount {
    pub carrier: LiveCarrier,
    /// The API's base URL (`UPS_BASE_URL`).
    pub base_url: String,
    /// OAuth client id, or the API key for key-based carriers.
    pub client_id: String,
    /// OAuth client secret; empty for key-based carriers.
    pub client_secret: String,
}

/// The carriers this deployment can ask, and how patiently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CarrierConfig {
    /// Configured accounts; a carrier without one is never asked.
    pub accounts: Vec<CarrierAccount>,
    pub timeout_ms: u32,
}

impl CarrierConfig {
    /// The account of `carrier`, when configured.
    pub fn account(&self, carrier: LiveCarrier) -> Option<&CarrierAccount> {
        self.accounts.iter().find(|a| a.carrier == carrier)
    }
}

/// The cached form of a carrier answer.
#[derive(Debug, Serialize, Deserialize)]
struct CacheEntry {
    fetched_at: DateTime<Utc>,
    answer: Option<CarrierAnswer>,
    /// Without an answer: the number is registered and nothing is tracked yet (else unknown).
    #[serde(default)]
    pending: bool,
}

impl CacheEntry {
    fn of(fetched: &Fetched) -> CacheEntry {
        CacheEntry {
            fetched_at: fetched.fetched_at,
            answer: match &fetched.lookup {
                Lookup::Found(answer) => Some(answer.clone()),
                _ => None,
            },
            pending: fetched.lookup == Lookup::Pending,
        }
    }

    fn into_fetched(self) -> Fetched {
        let lookup = match (self.answer, self.pending) {
            (Some(answer), _) => Lookup::Found(answer),
            (None, true) => Lookup::Pending,
            (None, false) => Lookup::NotFound,
        };
        Fetched {
            lookup,
            fetched_at: self.fetched_at,
        }
    }
}

/// A cached token, as stored in the cache.
#[derive(Debug, Serialize, Deserialize)]
struct TokenEntry {
    access_token: String,
    use_until: DateTime<Utc>,
}

/// Live carrier look-ups for one request: configuration, the HTTP client, the cache and the
/// isolate's carrier state.
pub struct LiveCarriers<'a, H, C> {
    /// Accounts and timeout.
    pub config: &'a CarrierConfig,
    pub http: &'a H,
    /// Caches answers and tokens across isolates.
    pub cache: &'a C,
    /// Tokens, breakers and calls in flight in this isolate.
    pub state: &'a CarrierState,
}

impl<H: CarrierHttp, C: Cache> LiveCarriers<'_, H, C> {
    /// Whether `carrier` has an account here.
    pub fn serves(&self, carrier: LiveCarrier) -> bool {
        self.config.account(carrier).is_some()
    }

    /// The carriers with an account here.
    pub fn configured(&self) -> Vec<LiveCarrier> {
        self.config.accounts.iter().map(|a| a.carrier).collect()
    }

    /// What the carrier says about `number`: from the cache while it is fresh, else from one
    /// call shared by every request asking at the same time. `registering` says whether an API
    /// that wants numbers registered may register this one (a shipment a shop stored), or only
    /// be asked (a number a customer typed: registrations cost quota, and anyone can type).
    pub async fn lookup(
        &self,
        carrier: LiveCarrier,
        number: &str,
        registering: Registering,
        now: DateTime<Utc>,
    ) -> Result<Fetched, Failure> {
        match self.cached(&answer_key(carrier, number)).await {
            Some(fetched) => Ok(fetched),
            None => self.refresh(carrier, number, registering, now).await,
        }
    }

    /// Asks the carrier now, whatever the cache holds, and caches the answer (the cron refresh).
    pub async fn refresh(
        &self,
        carrier: LiveCarrier,
        number: &str,
        registering: Registering,
        now: DateTime<Utc>,
    ) -> Result<Fetched, Failure> {
        let key = answer_key(carrier, number);
        self.state
            .lookups
            .run(
                &key,
                || self.fetch_and_cache(carrier, number, registering, now),
                |millis| self.http.sleep(millis),
            )
            .await
    }

    async fn cached(&self, key: &str) -> Option<Fetched> {
        let entry: CacheEntry = serde_json::from_str(&self.cache.get(key).await?).ok()?;
        Some(entry.into_fetched())
    }

    /// Keeps what the API said about `number` (asked, or pushed by it) for as long as its status
    /// allows, so look-ups serve it without a call.
    pub async fn keep(&self, carrier: LiveCarrier, number: &str, fetched: &Fetched) {
        let ttl = lookup_ttl_secs(&fetched.lookup);
        if ttl == 0 {
            return;
        }
        if let Ok(json) = serde_json::to_string(&CacheEntry::of(fetched)) {
            self.cache
                .put(&answer_key(carrier, number), &json, ttl)
                .await;
        }
    }

    async fn fetch_and_cache(
        &self,
        carrier: LiveCarrier,
        number: &str,
        registering: Registering,
        now: DateTime<Utc>,
    ) -> Result<Fetched, Failure> {
        let lookup = self.ask(carrier, number, registering, now).await?;
        let fetched = Fetched {
            lookup,
            fetched_at: now,
        };
        self.keep(carrier, number, &fetched).await;
        Ok(fetched)
    }

    /// One look-up with the retry policy: a 5xx or broken connection is retried once after a
    /// short backoff; a 429 is waited out in place when its `Retry-After` is short, else the
    /// carrier is paused until then; a timeout is not retried (a customer is waiting); a refused
    /// token is fetched again once. Every failure but a spent quota (the API works; it refuses
    /// more of one kind of call) counts towards the circuit breaker. A number the API wants
    /// registered is registered when `registering` allows, then asked again at once.
    async fn ask(
        &self,
        carrier: LiveCarrier,
        number: &str,
        registering: Registering,
        now: DateTime<Utc>,
    ) -> Result<Lookup, Failure> {
        if let Some(until) = self.state.paused_until(carrier, now) {
            return Err(Failure::Paused(until));
        }
        let account = self.config.account(carrier).ok_or(Failure::NotConfigured)?;
        let outcome = match self.ask_with_retries(account, number, now).await {
            Ok(Lookup::Unregistered) if registering == Registering::Allowed => {
                match self.register(account, number).await {
                    // Some carriers' first results come within the registration's second; until
                    // then (or when that second call fails) the number is pending.
                    Ok(Lookup::Pending) => {
                        match self.ask_with_retries(account, number, now).await {
                            Ok(Lookup::Unregistered) | Err(_) => Ok(Lookup::Pending),
                            outcome => outcome,
                        }
                    }
                    outcome => outcome,
                }
            }
            outcome => outcome,
        };
        match &outcome {
            Ok(_) => self.state.record_success(carrier),
            Err(Failure::QuotaExceeded) => {}
            Err(Failure::RateLimited(seconds)) => self.state.pause_for(carrier, now, *seconds),
            Err(_) => self.state.record_failure(carrier, now),
        }
        outcome
    }

    async fn ask_with_retries(
        &self,
        account: &CarrierAccount,
        number: &str,
        now: DateTime<Utc>,
    ) -> Result<Lookup, Failure> {
        let carrier = account.carrier;
        let mut attempt = 1;
        loop {
            let credential = self.credential(account, now).await?;
            let call = carrier.track_call(&account.base_url, number, &credential);
            let retry = attempt < MAX_ATTEMPTS;
            attempt += 1;
            let failure = match self.http.send(&call, self.config.timeout_ms).await {
                Err(Transport::Timeout) => return Err(Failure::Timeout),
                Err(Transport::Failed(reason)) => Failure::Unreachable(reason),
                Ok(reply) if reply.status == 429 => {
                    let wait = reply.retry_after.unwrap_or(DEFAULT_RETRY_AFTER_SECS);
                    if !retry || wait > MAX_INLINE_WAIT_SECS {
                        return Err(Failure::RateLimited(wait));
                    }
                    self.http.sleep(wait * 1000).await;
                    continue;
                }
                Ok(reply) if reply.status >= 500 => Failure::ServerError(reply.status),
                Ok(reply) if reply.status == 401 && carrier.auth() == AuthKind::OAuth && retry => {
                    self.state.forget_token(carrier);
                    self.cache.delete(&token_key(carrier)).await;
                    continue;
                }
                Ok(reply) => {
                    return carrier
                        .read_track(number, reply.status, &reply.body)
                        .map_err(|bad| match carrier {
                            LiveCarrier::SeventeenTrack
                                if seventeen_track::refused_for_quota(&reply.body) =>
                            {
                                Failure::QuotaExceeded
                            }
                            _ => Failure::BadAnswer(bad.0),
                        });
                }
            };
            if !retry {
                return Err(failure);
            }
            self.http.sleep(RETRY_BACKOFF_MS * (attempt - 1)).await;
        }
    }

    /// Registers `number` with an API that wants numbers registered before it tracks them (once
    /// per number: only after the API said it does not have it): registered, it is pending until
    /// the API's first results; refused, it is not found. A registration the API cannot take now
    /// (quota spent, 429, 5xx) is a failure, tried again on a later look-up.
    async fn register(&self, account: &CarrierAccount, number: &str) -> Result<Lookup, Failure> {
        let call = account
            .carrier
            .register_call(&account.base_url, number, &account.client_id)
            .ok_or(Failure::NotConfigured)?;
        let reply = self.send_once(&call).await?;
        match seventeen_track::read_register(number, reply.status, &reply.body) {
            Ok(Registration::Registered) => Ok(Lookup::Pending),
            Ok(Registration::Invalid) => Ok(Lookup::NotFound),
            Ok(Registration::QuotaExceeded) => Err(Failure::QuotaExceeded),
            Err(bad) => Err(Failure::BadAnswer(bad.0)),
        }
    }

    /// Sends a call that is not retried (a token, a registration): its answer, unless it got
    /// none, a 429 or a 5xx.
    async fn send_once(&self, call: &HttpCall) -> Result<HttpReply, Failure> {
        let reply = match self.http.send(call, self.config.timeout_ms).await {
            Ok(reply) => reply,
            Err(Transport::Timeout) => return Err(Failure::Timeout),
            Err(Transport::Failed(reason)) => return Err(Failure::Unreachable(reason)),
        };
        match reply.status {
            429 => Err(Failure::RateLimited(
                reply.retry_after.unwrap_or(DEFAULT_RETRY_AFTER_SECS),
            )),
            status if status >= 500 => Err(Failure::ServerError(status)),
            _ => Ok(reply),
        }
    }

    /// The API key, or an OAuth token: from this isolate, else the shared cache, else one token
    /// call shared by every request that needs it at the same time.
    async fn credential(
        &self,
        account: &CarrierAccount,
        now: DateTime<Utc>,
    ) -> Result<String, Failure> {
        let carrier = account.carrier;
        if carrier.auth() == AuthKind::ApiKey {
            return Ok(account.client_id.clone());
        }
        if let Some(token) = self.state.token(carrier, now) {
            return Ok(token);
        }
        let key = token_key(carrier);
        if let Some(token) = self.cached_token(&key, now).await {
            let access_token = token.access_token.clone();
            self.state.keep_token(carrier, token);
            return Ok(access_token);
        }
        let token = self
            .state
            .token_calls
            .run(
                &key,
                || self.fetch_token(account, &key, now),
                |millis| self.http.sleep(millis),
            )
            .await?;
        Ok(token.access_token)
    }

    async fn cached_token(&self, key: &str, now: DateTime<Utc>) -> Option<CachedToken> {
        let entry: TokenEntry = serde_json::from_str(&self.cache.get(key).await?).ok()?;
        let use_until = entry.use_until;
        (use_until > now).then_some(CachedToken {
            access_token: entry.access_token,
            use_until,
        })
    }

    async fn fetch_token(
        &self,
        account: &CarrierAccount,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<CachedToken, Failure> {
        let call = token_call(
            account.carrier,
            &account.base_url,
            &account.client_id,
            &account.client_secret,
        )
        .ok_or(Failure::NotConfigured)?;
        let reply = self.send_once(&call).await?;
        let token =
            read_token(reply.status, &reply.body).map_err(|bad| Failure::BadAnswer(bad.0))?;
        let lifetime = token.expires_in.saturating_sub(TOKEN_MARGIN_SECS);
        let cached = CachedToken {
            access_token: token.access_token,
            use_until: now + TimeDelta::seconds(lifetime.into()),
        };
        if lifetime >= 60 {
            let entry = TokenEntry {
                access_token: cached.access_token.clone(),
                use_until: cached.use_until,
            };
            if let Ok(json) = serde_json::to_string(&entry) {
                self.cache.put(key, &json, lifetime).await;
            }
        }
        self.state.keep_token(account.carrier, cached.clone());
        Ok(cached)
    }
}

/// The cache key of a carrier's answer about a number.
pub fn answer_key(carrier: LiveCarrier, number: &str) -> String {
    format!("track:{}:{number}", carrier.code())
}

/// The cache key of a carrier's access token.
pub fn token_key(carrier: LiveCarrier) -> String {
    format!("token:{}", carrier.code())
}
