//! Host stand-ins for the carrier side: a scripted HTTP client that records every call, and an
//! in-memory cache that records time-to-lives.

use std::cell::RefCell;
use std::collections::HashMap;

use super::answers::Answers;
use super::carrier_state::CarrierState;
use super::live::{Cache, CarrierAccount, CarrierConfig, CarrierHttp, LiveCarriers, Transport};
use crate::carriers::{HttpCall, HttpReply, LiveCarrier};

/// How the scripted carrier answers a call.
pub type Responder = Box<dyn Fn(&HttpCall) -> Result<HttpReply, Transport>>;

/// An HTTP client that answers from a script.
pub struct ScriptedHttp {
    /// Answers each call.
    pub respond: RefCell<Responder>,
    /// Every call sent, in order.
    pub calls: RefCell<Vec<HttpCall>>,
    /// Every backoff slept, in milliseconds.
    pub slept: RefCell<Vec<u32>>,
}

impl CarrierHttp for ScriptedHttp {
    async fn send(&self, call: &HttpCall, _timeout_ms: u32) -> Result<HttpReply, Transport> {
        self.calls.borrow_mut().push(call.clone());
        (self.respond.borrow())(call)
    }
    async fn sleep(&self, millis: u32) {
        self.slept.borrow_mut().push(millis);
    }
}

/// A cache in a map; entries never expire (tests look at the TTLs instead).
#[derive(Default)]
pub struct MemoryCache {
    /// Key → (value, TTL seconds).
    pub entries: RefCell<HashMap<String, (String, u32)>>,
}

impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> Option<String> {
        self.entries.borrow().get(key).map(|(v, _)| v.clone())
    }
    async fn put(&self, key: &str, value: &str, ttl_secs: u32) {
        self.entries
            .borrow_mut()
            .insert(key.to_owned(), (value.to_owned(), ttl_secs));
    }
    async fn delete(&self, key: &str) {
        self.entries.borrow_mut().remove(key);
    }
}

/// A fresh answer cache of its own, for a service call whose caching the test does not look at
/// (leaked: a test lives shorter than the memory matters).
pub fn answers() -> Answers<'static, MemoryCache> {
    Answers::new(
        Box::leak(Box::default()),
        Box::leak(Box::default()),
        "2026-11-21T12:00:00Z".parse().expect("an instant"),
    )
}

/// Everything a live look-up needs, owned, for one test.
pub struct TestCarriers {
    pub config: CarrierConfig,
    /// The scripted carrier.
    pub http: ScriptedHttp,
    pub cache: MemoryCache,
    /// Tokens and breakers.
    pub state: CarrierState,
}

impl TestCarriers {
    /// No carrier configured: look-ups read storage only.
    pub fn none() -> Self {
        Self::new(
            &[],
            Box::new(|_| Err(Transport::Failed("no carrier".into()))),
        )
    }

    /// `carriers` configured at `http://carrier.test`, answering with `respond`.
    pub fn new(carriers: &[LiveCarrier], respond: Responder) -> Self {
        let accounts = carriers
            .iter()
            .map(|&carrier| CarrierAccount {
                carrier,
                base_url: "http://carrier.test".into(),
                client_id: "client".into(),
                client_secret: "secret".into(),
            })
            .collect();
        TestCarriers {
            config: CarrierConfig {
                accounts,
                timeout_ms: 1000,
            },
            http: ScriptedHttp {
                respond: RefCell::new(respond),
                calls: RefCell::default(),
                slept: RefCell::default(),
            },
            cache: MemoryCache::default(),
            state: CarrierState::default(),
        }
    }

    /// The look-up handle.
    pub fn live(&self) -> LiveCarriers<'_, ScriptedHttp, MemoryCache> {
        LiveCarriers {
            config: &self.config,
            http: &self.http,
            cache: &self.cache,
            state: &self.state,
        }
    }

    /// Calls sent whose URL contains `part`.
    pub fn calls_to(&self, part: &str) -> usize {
        self.http
            .calls
            .borrow()
            .iter()
            .filter(|c| c.url.contains(part))
            .count()
    }

    /// Replaces the script.
    pub fn answer_with(&self, respond: Responder) {
        *self.http.respond.borrow_mut() = respond;
    }
}

/// A reply with `status` and `body`.
pub fn reply(status: u16, body: &str) -> Result<HttpReply, Transport> {
    Ok(HttpReply {
        status,
        retry_after: None,
        body: body.to_owned(),
    })
}
