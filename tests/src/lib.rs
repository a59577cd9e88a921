//! Support for end-to-end tests and the local demo: start the real Worker on `wrangler dev`
//! (workerd, local D1) on its own port and state folder, talk to it over HTTP, seed demo data;
//! a storefront on another origin, a relay that can take the API down, a fake of the carriers'
//! tracking APIs, a fake of the 17TRACK aggregator, a fake of the Cloudflare API for wrangler's
//! deploy steps, signed shop-platform webhooks, chromedriver; a catcher of the Worker's
//! notifications (Postmark email, Twilio SMS, webhook receivers) with an inbox page, and an
//! independent Standard Webhooks verifier (the spec's npm package).

pub mod browser;
pub mod catcher;
pub mod chromedriver;
pub mod client;
pub mod demo;
pub mod fake_carrier;
pub mod fake_cloudflare;
pub mod fake_seventeen_track;
pub mod local_server;
pub mod platform_webhooks;
pub mod proxy;
pub mod server;
pub mod standard_webhooks;
pub mod storefront;

pub use catcher::{Catcher, CaughtMessage, Route};
pub use client::{Client, Reply};
pub use fake_carrier::{Behaviour, FakeCarrier};
pub use fake_cloudflare::FakeCloudflare;
pub use fake_seventeen_track::{FakeSeventeenTrack, Journey, JourneyEvent, UpstreamBehaviour};
pub use server::{EdgeServer, Mode};
