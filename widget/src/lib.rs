//! `<waypost-tracker>`: the widget a retailer embeds with one snippet. The ES-module loader
//! (`loader.js`) defines the custom element and its shadow root, then mounts a [`Tracker`] in it;
//! everything it shows comes from the shared crate's wire types and labels.

mod api;
mod app;
mod config;
mod form;
mod fresh;
mod refresh;
mod result;
mod states;
mod subscribe;
#[cfg(test)]
mod tests;
mod words;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use waypost_shared::labels::Lang;
use web_sys::HtmlElement;

use crate::config::Config;

/// The allocator: a small free list (the widget makes few, short-lived allocations), 0.7 KB
/// brotli less than the standard library's dlmalloc. The browser build only: lol_alloc has no
/// host allocator.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// The code of the language the widget speaks for a preference list (as [`Tracker::new`] reads
/// it): the loader fetches that language's words before mounting.
#[wasm_bindgen]
pub fn language(languages: &str) -> String {
    Lang::negotiate(languages.split(',')).code().to_owned()
}

/// One mounted widget; dropping (or `free()` from JavaScript) unmounts it.
#[wasm_bindgen]
pub struct Tracker {
    _mounted: Box<dyn std::any::Any>,
}

#[wasm_bindgen]
impl Tracker {
    /// Mounts the widget into `container` (inside the element's shadow root). `languages` is the
    /// preference list, most wanted first, separated by commas (attribute, page, browser);
    /// `words` is the JSON word list of the language [`language`] picks from it (empty for
    /// English, or when it could not be fetched: the widget then speaks English).
    #[wasm_bindgen(constructor)]
    pub fn new(
        container: HtmlElement,
        shop: String,
        languages: String,
        words: String,
        tracking_number: String,
        order_number: String,
        api: String,
    ) -> Tracker {
        let config = Config::new(shop, &languages, tracking_number, order_number, api);
        words::load(config.lang, &words);
        let mounted = mount_to(
            container,
            move || view! { <app::App config=config.clone() /> },
        );
        Tracker {
            _mounted: Box::new(mounted),
        }
    }
}
