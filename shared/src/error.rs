//! The shared crate's one error type.

use thiserror::Error;

/// Everything that can go wrong when building a domain value from outside input.
///
/// Each variant carries a message fit to show to the API caller who sent the input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// A time string that none of the carrier forms we accept can read.
    #[error("invalid time {input:?}: {reason}")]
    InvalidTime {
        /// The text as received (truncated to a sane length).
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A time that reads but falls outside the years Waypost accepts
    /// ([`crate::time::SANE_YEARS`]): the store could not hold it, or it is a placeholder.
    #[error(
        "time {input:?} is out of range: event times must fall in the years {first} to {last}",
        first = crate::time::SANE_YEARS.start(),
        last = crate::time::SANE_YEARS.end()
    )]
    TimeOutOfRange {
        /// The text as received (truncated to a sane length).
        input: String,
    },
    /// A calendar date (ship date, ETA, promised delivery) outside [`crate::time::SANE_YEARS`].
    #[error(
        "date {date} is out of range: dates must fall in the years {first} to {last}",
        first = crate::time::SANE_YEARS.start(),
        last = crate::time::SANE_YEARS.end()
    )]
    DateOutOfRange {
        /// The date given.
        date: chrono::NaiveDate,
    },
    /// A sub-status given with a status it does not belong to.
    #[error("sub-status {sub_status} does not belong to status {status}")]
    SubStatusMismatch {
        /// The status given.
        status: &'static str,
        /// The sub-status given.
        sub_status: &'static str,
    },
    /// A tracking number with more than [`crate::detect::MAX_INPUT_CHARS`] letters and digits.
    #[error("tracking number is too long: {chars} letters and digits, at most {max} allowed")]
    NumberTooLong {
        /// Characters received.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// Typed input longer than [`crate::detect::MAX_TYPED_CHARS`], refused before any work.
    #[error("input is too long: at most {max} characters, spaces included")]
    InputTooLong {
        /// The limit.
        max: usize,
    },
    /// An ETA window whose end comes before its start.
    #[error("ETA window ends ({to}) before it starts ({from})")]
    InvertedEta {
        /// Start of the window.
        from: chrono::NaiveDate,
        /// End of the window.
        to: chrono::NaiveDate,
    },
    /// A value from another taxonomy (AfterShip, 17TRACK, Shopify, EasyPost) we do not know.
    #[error("unknown {taxonomy} status {value:?}")]
    UnknownExternalStatus {
        /// Which taxonomy.
        taxonomy: &'static str,
        /// The value received (truncated).
        value: String,
    },
}

impl Error {
    /// A stable machine-readable code for API bodies (`number_too_long`, ...).
    pub const fn code(&self) -> &'static str {
        match self {
            Error::InvalidTime { .. } => "invalid_time",
            Error::TimeOutOfRange { .. } => "time_out_of_range",
            Error::DateOutOfRange { .. } => "date_out_of_range",
            Error::SubStatusMismatch { .. } => "sub_status_mismatch",
            Error::NumberTooLong { .. } => "number_too_long",
            Error::InputTooLong { .. } => "input_too_long",
            Error::InvertedEta { .. } => "inverted_eta",
            Error::UnknownExternalStatus { .. } => "unknown_external_status",
        }
    }
}

/// Keeps at most 80 characters of outside input for an error message.
pub(crate) fn excerpt(input: &str) -> String {
    input.chars().take(80).collect()
}
