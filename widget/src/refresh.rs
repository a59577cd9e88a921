//! Refreshing the shown answer every few minutes while the page is visible; conditional
//! requests make an unchanged answer cost nothing.

use std::time::Duration;

use leptos::prelude::*;
use web_sys::VisibilityState;

/// How often a shown answer is checked again.
const EVERY: Duration = Duration::from_secs(180);

/// Calls `refresh` every [`EVERY`] while the document is visible; stops with the widget.
pub fn refresh_while_visible(refresh: impl Fn() + 'static) {
    let tick = move || {
        let visible = document().visibility_state() == VisibilityState::Visible;
        if visible {
            refresh();
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, EVERY) {
        on_cleanup(move || handle.clear());
    }
}
