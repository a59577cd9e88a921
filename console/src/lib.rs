//! The retailer console, served by the edge at `/console/`: sign in with a secret key (traded for
//! an HttpOnly session cookie), see the shipments that need attention with their counts, open one
//! to read its timeline as customers see it, copy the widget snippet (with a live, themable preview),
//! change the shop's settings and publishable key, sign out. Everything it shows comes from the shared
//! crate's wire types and labels.

mod api;
mod app;
mod attention;
mod counts;
mod embed;
mod find;
mod list;
mod row;
mod settings;
mod shipment;
mod sign_in;

use wasm_bindgen::prelude::*;

/// Mounts the console into the page's `<body>` once the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
