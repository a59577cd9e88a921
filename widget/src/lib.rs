//! `<waypost-tracker>`: the widget a retailer embeds with one snippet. The ES-module loader
//! (`loader.js`) defines the custom element and its shadow root, then mounts a [`Tracker`] in it;
//! everything it shows comes from the shared crate's wire types and labels.

mod api;
mod app;
mod config;
mod form;
mod refresh;
mod result;
mod states;
#[cfg(test)]
mod tests;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::config::Config;

/// One mounted widget; dropping (or `free()` from JavaScript) unmounts it.
#[wasm_bindgen]
pub struct Tracker {
    _mounted: Box<dyn std::any::Any>,
}

#[wasm_bindgen]
impl Tracker {
    /// Mounts the widget into `container` (inside the element's shadow root). `languages` is the
    /// preference list, most wanted first, separated by commas (attribute, page, browser).
    #[wasm_bindgen(constructor)]
    pub fn new(
        container: HtmlElement,
        shop: String,
        languages: String,
        tracking_number: String,
        order_number: String,
        api: String,
    ) -> Tracker {
        let config = Config::new(shop, &languages, tracking_number, order_number, api);
        let mounted = mount_to(
            container,
            move || view! { <app::App config=config.clone() /> },
        );
        Tracker {
            _mounted: Box::new(mounted),
        }
    }
}
