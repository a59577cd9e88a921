//! The retailer console, served by the edge at `/console/`: sign in with a secret key (traded for
//! an HttpOnly session cookie), see the shipments that need attention with their counts, list and
//! export every shipment by status, health and carrier, open one to see it as customers do (in the
//! real widget) with the messages sent about it, copy the widget snippet (with a live, themable
//! preview), change the shop's settings, platform webhooks, notifications (and their webhook
//! endpoints) and publishable key, sign out; light or dark. Everything it shows comes from the
//! shared crate's wire types and labels.

mod api;
mod app;
mod attention;
mod check_list;
mod counts;
mod embed;
mod filter;
mod find;
mod integrations;
mod list;
mod notifications;
mod row;
mod settings;
mod shipment;
mod shipments;
mod sign_in;
mod theme;
mod tracker;

use wasm_bindgen::prelude::*;

/// Mounts the console into the page's `<body>` once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
