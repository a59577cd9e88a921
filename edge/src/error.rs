//! The edge's one error type, and its one mapping to HTTP: [`EdgeError::status`] and
//! [`EdgeError::problem`]. 5xx bodies are generic; their detail goes to the log only.

use thiserror::Error;
use waypost_shared::wire::{Detection, Problem, RowError};

/// Everything a request can fail with.
#[derive(Debug, Error)]
pub enum EdgeError {
    /// The request is malformed: bad JSON, a wrong type, an unknown enum value, a bad field.
    #[error("{detail}")]
    BadRequest {
        /// Stable code, e.g. `invalid_json`, `invalid_field`.
        code: &'static str,
        /// What is wrong, for the caller.
        detail: String,
    },
    /// No credentials, or credentials that match no live key.
    #[error("missing or invalid API key")]
    Unauthorized,
    /// Valid credentials that may not do this (a publishable key on a write).
    #[error("{0}")]
    Forbidden(&'static str),
    /// A request made with the console's session cookie that may have been forged by another
    /// site: a write without the session's CSRF token, or one from another origin.
    #[error("{0}")]
    CsrfFailed(&'static str),
    /// Nothing here for this shop. `detection` tells the customer where else to look.
    #[error("{detail}")]
    NotFound {
        /// Stable code, e.g. `tracking_not_found`.
        code: &'static str,
        /// What was not found.
        detail: String,
        /// For tracking numbers: what detection found.
        detection: Option<Box<Detection>>,
    },
    /// No such route or method.
    #[error("no route for {0}")]
    NoRoute(String),
    /// A known path called with a method it does not answer.
    #[error("method not allowed; this path answers {allow}")]
    MethodNotAllowed {
        /// The methods it answers, for the `Allow` header.
        allow: String,
    },
    /// The shipment kept changing under this write (many writers at once); nothing was written.
    #[error("the shipment changed while this write was made; nothing was written, please retry")]
    WriteConflict,
    /// The body is over the size limit.
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is of a type the route does not take; the detail says which it takes.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// An import with bad rows: every one of them (up to a cap), and how many in all.
    #[error("{total} rows of the file are not valid; nothing was imported")]
    InvalidRows {
        /// The bad rows, by line, up to [`crate::limits::MAX_LISTED_ROW_ERRORS`].
        rows: Vec<RowError>,
        /// How many rows are bad in all.
        total: u64,
    },
    /// Too many requests; try again after this many seconds.
    #[error("too many requests, retry after {retry_after} s")]
    RateLimited {
        /// Seconds to wait.
        retry_after: u32,
    },
    /// A feature this deployment has not been given what it needs for (a secret not set).
    #[error("{0}")]
    NotConfigured(&'static str),
    /// Storage or runtime failure: logged in full, answered generically.
    #[error("internal error: {0}")]
    Internal(String),
}

impl EdgeError {
    /// A 400 with a stable code.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        EdgeError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            EdgeError::BadRequest { .. } | EdgeError::InvalidRows { .. } => 400,
            EdgeError::Unauthorized => 401,
            EdgeError::Forbidden(_) | EdgeError::CsrfFailed(_) => 403,
            EdgeError::NotFound { .. } | EdgeError::NoRoute(_) => 404,
            EdgeError::MethodNotAllowed { .. } => 405,
            EdgeError::WriteConflict => 409,
            EdgeError::PayloadTooLarge { .. } => 413,
            EdgeError::UnsupportedMediaType(_) => 415,
            EdgeError::RateLimited { .. } => 429,
            EdgeError::NotConfigured(_) => 503,
            EdgeError::Internal(_) => 500,
        }
    }

    /// The problem+json body.
    pub fn problem(&self) -> Problem {
        let (code, title) = match self {
            EdgeError::BadRequest { code, .. } => (*code, "Bad request"),
            EdgeError::Unauthorized => ("unauthorized", "Unauthorized"),
            EdgeError::Forbidden(_) => ("forbidden", "Forbidden"),
            EdgeError::CsrfFailed(_) => ("csrf_failed", "Forbidden"),
            EdgeError::NotFound { code, .. } => (*code, "Not found"),
            EdgeError::NoRoute(_) => ("no_route", "Not found"),
            EdgeError::MethodNotAllowed { .. } => ("method_not_allowed", "Method not allowed"),
            EdgeError::WriteConflict => ("write_conflict", "Conflict"),
            EdgeError::PayloadTooLarge { .. } => ("payload_too_large", "Payload too large"),
            EdgeError::UnsupportedMediaType(_) => {
                ("unsupported_media_type", "Unsupported media type")
            }
            EdgeError::InvalidRows { .. } => ("invalid_rows", "Bad request"),
            EdgeError::RateLimited { .. } => ("rate_limited", "Too many requests"),
            EdgeError::NotConfigured(_) => ("not_configured", "Service unavailable"),
            EdgeError::Internal(_) => ("internal", "Internal error"),
        };
        let detail = match self {
            EdgeError::Internal(_) => {
                "Something went wrong on our side. Please try again.".to_owned()
            }
            other => other.to_string(),
        };
        let mut problem = Problem::new(self.status(), code, title, detail);
        if let EdgeError::NotFound { detection, .. } = self {
            problem.detection = detection.as_deref().cloned();
        }
        if let EdgeError::InvalidRows { rows, total } = self {
            problem.rows = rows.clone();
            problem.rows_total = Some(*total);
        }
        problem
    }
}

impl From<waypost_shared::Error> for EdgeError {
    fn from(error: waypost_shared::Error) -> Self {
        EdgeError::BadRequest {
            code: error.code(),
            detail: error.to_string(),
        }
    }
}

impl From<serde_json::Error> for EdgeError {
    fn from(error: serde_json::Error) -> Self {
        EdgeError::bad_request("invalid_json", format!("invalid JSON body: {error}"))
    }
}

/// Results of the edge.
pub type Result<T, E = EdgeError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_say_nothing_inside() {
        let problem = EdgeError::Internal("D1_ERROR: no such table: shipments".into()).problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("D1") && !problem.detail.contains("table"));
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(
            EdgeError::RateLimited { retry_after: 3 }.problem().code,
            "rate_limited"
        );
        assert_eq!(EdgeError::PayloadTooLarge { limit: 10 }.status(), 413);
        let json: serde_json::Error = serde_json::from_str::<u8>("x").unwrap_err();
        assert_eq!(EdgeError::from(json).problem().code, "invalid_json");
    }
}
