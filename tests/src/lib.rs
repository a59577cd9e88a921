//! Support for end-to-end tests and the local demo: start the real Worker on `wrangler dev`
//! (workerd, local D1) on its own port and state folder, talk to it over HTTP, seed demo data.

pub mod client;
pub mod demo;
pub mod server;

pub use client::{Client, Reply};
pub use server::{EdgeServer, Mode};
