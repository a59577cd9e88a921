//! Waypost's domain, shared by the edge API and the widget so both always say the same thing.
//!
//! Statuses and sub-statuses ([`status`]) and their mappings onto other taxonomies
//! ([`interop`]), the carrier event-time model ([`time`]), times of day ([`clock_time`]), events and timelines ([`event`],
//! [`timeline`]), the progress bar ([`milestone`]), shipment health ([`health`]), who must act
//! ([`action`]), delivery estimates ([`eta`]), tracking-number detection ([`detect`]), labels in
//! several languages ([`labels`]), the JSON wire types ([`wire`]) and the one function that
//! composes them into a tracking view ([`view`]). Every fieldless enum on the wire is declared
//! once, with its wire names, by [`wire_enum!`] ([`mod@wire_enum`]).
//!
//! The crate does no I/O and reads no clock: the current time is always passed in, so every
//! function is deterministic and the crate builds for the host and for `wasm32-unknown-unknown`.

// The one crate whose public items are a library for others: every one says what it is.
#![warn(missing_docs)]

pub mod action;
pub mod clock_time;
pub mod detect;
pub mod error;
pub mod eta;
pub mod event;
pub mod health;
pub mod interop;
pub mod iso;
pub mod labels;
pub mod milestone;
pub mod status;
pub mod text;
pub mod time;
pub mod timeline;
pub mod view;
pub mod wire;
pub mod wire_enum;

pub use error::Error;
pub use wire_enum::{UnknownName, WireEnum};
