//! What the edge remembers about each carrier between requests, within one isolate: access tokens
//! until shortly before they expire, the calls in flight, and a circuit breaker that skips a
//! carrier for a while after it keeps failing or asks us to slow down.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::carrier_lookup::{Failure, Fetched};
use super::single_flight::SingleFlight;
use crate::carriers::LiveCarrier;

/// Consecutive failures after which a carrier is skipped.
pub const FAILURES_BEFORE_PAUSE: u32 = 3;
/// The first pause; each further failure doubles it up to [`MAX_PAUSE_SECS`].
pub const FIRST_PAUSE_SECS: i64 = 30;
/// The longest pause after failures.
pub const MAX_PAUSE_SECS: i64 = 600;
/// The longest pause a carrier's `Retry-After` can ask for.
pub const MAX_RETRY_AFTER_SECS: u32 = 3600;

/// A cached access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The bearer token.
    pub access_token: String,
    /// When to stop using it (a margin before it really expires).
    pub use_until: DateTime<Utc>,
}

/// A carrier's recent health.
#[derive(Debug, Clone, Copy, Default)]
struct Breaker {
    consecutive_failures: u32,
    paused_until: Option<DateTime<Utc>>,
}

/// Per-isolate carrier state, shared by every request the isolate serves.
#[derive(Default)]
pub struct CarrierState {
    tokens: RefCell<HashMap<LiveCarrier, CachedToken>>,
    breakers: RefCell<HashMap<LiveCarrier, Breaker>>,
    /// Tracking calls in flight, by cache key.
    pub lookups: SingleFlight<Result<Fetched, Failure>>,
    /// Token calls in flight, by carrier code.
    pub token_calls: SingleFlight<Result<CachedToken, Failure>>,
}

impl CarrierState {
    /// A token still good at `now`.
    pub fn token(&self, carrier: LiveCarrier, now: DateTime<Utc>) -> Option<String> {
        self.tokens
            .borrow()
            .get(&carrier)
            .filter(|token| token.use_until > now)
            .map(|token| token.access_token.clone())
    }

    /// Remembers a token.
    pub fn keep_token(&self, carrier: LiveCarrier, token: CachedToken) {
        self.tokens.borrow_mut().insert(carrier, token);
    }

    /// Forgets a token the carrier refused.
    pub fn forget_token(&self, carrier: LiveCarrier) {
        self.tokens.borrow_mut().remove(&carrier);
    }

    /// Until when the carrier is being skipped, if it is at `now`.
    pub fn paused_until(&self, carrier: LiveCarrier, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.breakers
            .borrow()
            .get(&carrier)
            .and_then(|breaker| breaker.paused_until)
            .filter(|until| *until > now)
    }

    /// A call to the carrier worked: it is healthy again.
    pub fn record_success(&self, carrier: LiveCarrier) {
        self.breakers.borrow_mut().remove(&carrier);
    }

    /// A call to the carrier failed; after [`FAILURES_BEFORE_PAUSE`] in a row it is skipped for
    /// a while, longer each time.
    pub fn record_failure(&self, carrier: LiveCarrier, now: DateTime<Utc>) {
        let mut breakers = self.breakers.borrow_mut();
        let breaker = breakers.entry(carrier).or_default();
        breaker.consecutive_failures += 1;
        if let Some(beyond) = breaker
            .consecutive_failures
            .checked_sub(FAILURES_BEFORE_PAUSE)
        {
            let secs = FIRST_PAUSE_SECS
                .saturating_mul(1 << beyond.min(16))
                .min(MAX_PAUSE_SECS);
            let until = now + TimeDelta::seconds(secs);
            breaker.paused_until = Some(breaker.paused_until.map_or(until, |u| u.max(until)));
        }
    }

    /// The carrier said "too many requests, retry after `seconds`": skip it until then.
    pub fn pause_for(&self, carrier: LiveCarrier, now: DateTime<Utc>, seconds: u32) {
        let until = now + TimeDelta::seconds(seconds.min(MAX_RETRY_AFTER_SECS).into());
        let mut breakers = self.breakers.borrow_mut();
        let breaker = breakers.entry(carrier).or_default();
        breaker.paused_until = Some(breaker.paused_until.map_or(until, |u| u.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_763_700_000 + secs, 0).unwrap()
    }

    #[test]
    fn a_carrier_that_keeps_failing_is_skipped_longer_each_time() {
        let state = CarrierState::default();
        let ups = LiveCarrier::Ups;
        state.record_failure(ups, at(0));
        state.record_failure(ups, at(1));
        assert_eq!(state.paused_until(ups, at(2)), None);
        state.record_failure(ups, at(2));
        assert_eq!(state.paused_until(ups, at(3)), Some(at(32)));
        assert_eq!(state.paused_until(ups, at(32)), None, "the pause ends");
        state.record_failure(ups, at(40));
        assert_eq!(state.paused_until(ups, at(41)), Some(at(100)));
        assert_eq!(state.paused_until(LiveCarrier::Dhl, at(41)), None);
        state.record_success(ups);
        assert_eq!(state.paused_until(ups, at(41)), None);
    }

    #[test]
    fn retry_after_pauses_and_is_capped() {
        let state = CarrierState::default();
        state.pause_for(LiveCarrier::Dhl, at(0), 120);
        assert_eq!(state.paused_until(LiveCarrier::Dhl, at(1)), Some(at(120)));
        state.pause_for(LiveCarrier::Fedex, at(0), u32::MAX);
        assert_eq!(
            state.paused_until(LiveCarrier::Fedex, at(1)),
            Some(at(3600))
        );
    }

    #[test]
    fn tokens_are_used_until_their_margin() {
        let state = CarrierState::default();
        let token = CachedToken {
            access_token: "t".into(),
            use_until: at(100),
        };
        state.keep_token(LiveCarrier::Ups, token);
        assert_eq!(state.token(LiveCarrier::Ups, at(99)).as_deref(), Some("t"));
        assert_eq!(state.token(LiveCarrier::Ups, at(100)), None);
        state.forget_token(LiveCarrier::Ups);
        assert_eq!(state.token(LiveCarrier::Ups, at(0)), None);
    }
}
