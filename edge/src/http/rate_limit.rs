//! Rate limits, with the Workers Rate Limiting binding (simulated locally by `wrangler dev`): on
//! public endpoints per client IP, then per publishable key; on console sign-ins per client IP.

use worker::Env;

use crate::error::{EdgeError, Result};

/// A limiter binding (declared in `wrangler.toml`) and how long a client it refuses should wait.
pub struct Limit {
    /// The binding's name.
    pub binding: &'static str,
    /// Seconds to wait, for `Retry-After`.
    pub retry_after: u32,
}

/// Public requests per client IP (600 a minute).
pub const PER_IP: Limit = Limit {
    binding: "RATE_LIMIT_IP",
    retry_after: 10,
};
/// Public requests per publishable key (120 per 10 s).
pub const PER_KEY: Limit = Limit {
    binding: "RATE_LIMIT_KEY",
    retry_after: 10,
};
/// Console sign-ins per client IP (10 a minute): few enough that guessing keys is hopeless, and
/// a retailer mistyping one is barely slowed.
pub const SIGN_IN: Limit = Limit {
    binding: "RATE_LIMIT_SIGN_IN",
    retry_after: 60,
};
/// The policy advertised in `RateLimit-Policy` on public endpoints (per key: 120 requests per
/// 10 s).
pub const POLICY: &str = "120;w=10";

/// Counts one request against `limit` for `key`; 429 when over.
pub async fn check(env: &Env, limit: Limit, key: &str) -> Result<()> {
    let binding = limit.binding;
    let limiter = env
        .rate_limiter(binding)
        .map_err(|e| EdgeError::Internal(format!("{binding}: {e}")))?;
    let outcome = limiter
        .limit(key.to_owned())
        .await
        .map_err(|e| EdgeError::Internal(format!("{binding}: {e}")))?;
    if outcome.success {
        Ok(())
    } else {
        Err(EdgeError::RateLimited {
            retry_after: limit.retry_after,
        })
    }
}
