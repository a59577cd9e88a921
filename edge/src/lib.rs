//! Waypost's edge API: a Cloudflare Worker that resolves tracking numbers.
//!
//! [`service`] holds what the API does, against small traits; the Worker layer parses requests,
//! calls it and maps results (and [`error::EdgeError`]) to HTTP in one place.

pub mod error;
pub mod limits;
pub mod service;
