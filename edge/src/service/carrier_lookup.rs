//! What asking a carrier gave: its reading of the number and when ([`Fetched`]), or why it
//! could not be asked ([`Failure`]). Shared by the look-up policy and the isolate's carrier state.

use chrono::{DateTime, Utc};

use crate::carriers::Lookup;

/// What a look-up got: the carrier's reading of the number and when the carrier said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Found (with the answer) or not found.
    pub lookup: Lookup,
    /// When the carrier answered.
    pub fetched_at: DateTime<Utc>,
}

/// Why the carrier could not be asked. None of these is the customer's fault, so none becomes a
/// 5xx: the caller serves the last known answer instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The carrier is being skipped after failures or a `Retry-After`.
    #[error("carrier paused until {0}")]
    Paused(DateTime<Utc>),
    /// No answer within the timeout.
    #[error("carrier timed out")]
    Timeout,
    /// The connection failed.
    #[error("carrier unreachable: {0}")]
    Unreachable(String),
    /// The carrier answered 5xx.
    #[error("carrier answered {0}")]
    ServerError(u16),
    /// The carrier answered 429.
    #[error("carrier rate limit, retry after {0} s")]
    RateLimited(u32),
    /// The answer could not be read.
    #[error("{0}")]
    BadAnswer(String),
    /// No account for this carrier.
    #[error("carrier not configured")]
    NotConfigured,
    /// The API's quota (registrations, or calls a day) is spent until it is renewed.
    #[error("carrier quota spent")]
    QuotaExceeded,
}
