//! Error bodies (RFC 9457 `application/problem+json` with a stable `code`) and the liveness answer.

use serde::{Deserialize, Serialize};

use crate::detect::Detection;
use crate::wire::RowError;

/// An error body (RFC 9457 `application/problem+json`) with a stable `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI reference naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short, stable summary of the type.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request, in words fit for the caller.
    pub detail: String,
    /// The stable machine-readable code.
    pub code: String,
    /// For unknown tracking numbers: what detection found, so the customer still gets somewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<Detection>,
    /// For an import with bad rows (`invalid_rows`): each bad row by line, up to a cap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    /// For an import with bad rows: how many there are in all (more than `rows` lists when
    /// capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_total: Option<u64>,
}

impl Problem {
    /// A problem with the type URI derived from its code.
    pub fn new(status: u16, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            problem_type: format!("/problems/{code}"),
            title: title.to_owned(),
            status,
            detail: detail.into(),
            code: code.to_owned(),
            detection: None,
            rows: Vec::new(),
            rows_total: None,
        }
    }
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Liveness {
    /// Always `ok` when the Worker answers.
    pub status: String,
}
