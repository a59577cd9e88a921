//! Cross-origin rules. Public endpoints answer a shop's allowed origins (and `*` for public,
//! shop-less data and errors raised before the shop is known); private endpoints answer no
//! browser at all, so a secret key is useless in a page.

use worker::Response;

use super::response::set;
use crate::error::Result;

/// Which origins may read a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cors {
    /// No browser (private and admin endpoints).
    None,
    /// Any origin: nothing shop-specific in it.
    Any,
    /// The shop's allowed origins.
    Shop(Vec<String>),
}

/// Headers a page may read from our answers.
const EXPOSED: &str = "ETag, Retry-After, RateLimit-Policy";

impl Cors {
    /// Adds the CORS headers for a request from `origin`.
    pub fn apply(&self, response: &mut Response, origin: Option<&str>) -> Result<()> {
        let allow = match (self, origin) {
            (Cors::Any, _) => Some("*".to_owned()),
            (Cors::Shop(allowed), Some(origin)) if allows(allowed, origin) => {
                Some(origin.to_owned())
            }
            _ => None,
        };
        if let Cors::Shop(_) = self {
            set(response, "Vary", "Origin")?;
        }
        if let Some(allow) = allow {
            set(response, "Access-Control-Allow-Origin", &allow)?;
            set(response, "Access-Control-Expose-Headers", EXPOSED)?;
        }
        Ok(())
    }
}

/// True when `origin` is one of `allowed` (compared without case or a trailing slash).
pub fn allows(allowed: &[String], origin: &str) -> bool {
    let origin = origin.trim_end_matches('/').to_ascii_lowercase();
    allowed.contains(&origin)
}

/// The answer to an allowed preflight for `methods` (a path's browser methods).
pub fn preflight(response: &mut Response, origin: &str, methods: &str) -> Result<()> {
    set(response, "Access-Control-Allow-Origin", origin)?;
    set(response, "Access-Control-Allow-Methods", methods)?;
    set(
        response,
        "Access-Control-Allow-Headers",
        "Authorization, Content-Type, If-None-Match",
    )?;
    set(response, "Access-Control-Max-Age", "600")?;
    set(response, "Vary", "Origin")
}
