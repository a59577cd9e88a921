//! Rate limits on public endpoints, with the Workers Rate Limiting binding (simulated locally by
//! `wrangler dev`): per client IP, then per publishable key.

use worker::Env;

use crate::error::{EdgeError, Result};

/// The per-IP limiter binding.
pub const PER_IP: &str = "RATE_LIMIT_IP";
/// The per-key limiter binding.
pub const PER_KEY: &str = "RATE_LIMIT_KEY";
/// The policy advertised in `RateLimit-Policy` (per key: 120 requests per 10 s).
pub const POLICY: &str = "120;w=10";
/// Seconds a limited client should wait: the longer of the two windows.
const RETRY_AFTER: u32 = 10;

/// Counts one request against `binding` for `key`; 429 when over.
pub async fn check(env: &Env, binding: &str, key: &str) -> Result<()> {
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
            retry_after: RETRY_AFTER,
        })
    }
}
