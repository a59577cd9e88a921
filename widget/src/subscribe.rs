//! "Email me updates" under a parcel: a native disclosure (keyboard and screen readers know it)
//! revealing one labelled email field, with plain form semantics. On submit the address is posted
//! to the edge, which emails a confirmation link (double opt-in); how that went is said in the
//! form's polite live region.
//!
//! Its markup is one static HTML string of the widget's own words (never carrier text), and its
//! form's `submit` is heard where it bubbles to, the widget's root ([`submitted`]); the answer is
//! read by a promise callback. Reactive views with their own listener and a spawned future cost
//! the download twice as much (3.2 KB brotli instead of 1.6 KB), and nothing in it changes but
//! the status line.

use leptos::tachys::html::InertElement;
use wasm_bindgen::prelude::*;
use waypost_shared::labels::{Lang, UiText};
use web_sys::{Element, HtmlInputElement};

use crate::api::{self, Failure};
use crate::config::Config;
use crate::words;

/// The opt-in, closed, in `lang`.
pub fn opt_in(lang: Lang) -> InertElement {
    let text = |key| words::ui(lang, key);
    InertElement::new(
        [
            "<details class=wp-optin><summary>",
            text(UiText::EmailUpdates),
            "</summary><form><label for=wp-optin-email>",
            text(UiText::YourEmail),
            "</label><div class=wp-row><input id=wp-optin-email name=email type=email \
             autocomplete=email required><button class=wp-button>",
            text(UiText::Subscribe),
            "</button></div><p class=wp-hint role=status></p></form></details>",
        ]
        .concat(),
    )
}

/// Handles a `submit` that bubbled up to the widget's root while the parcel `number` is shown:
/// when it is the opt-in's form, asks the edge to email its address a confirmation link, then
/// says how that went. Any other form is left to its own listener.
pub fn submitted(config: &Config, number: &str, form: Element) -> Option<()> {
    let input: HtmlInputElement = form
        .query_selector("#wp-optin-email")
        .ok()??
        .unchecked_into();
    let status = form.query_selector("[role=status]").ok()??;
    let lang = config.lang;
    // One listener for both outcomes: a response, or the network's error.
    let answered = Closure::<dyn FnMut(JsValue)>::new(move |answer: JsValue| {
        let said = match api::subscribed(&answer) {
            Ok(()) => UiText::CheckInbox,
            Err(Failure::Refused) => UiText::BadEmail,
            Err(_) => UiText::SubscribeFailed,
        };
        status.set_text_content(Some(words::ui(lang, said)));
    });
    let _ = api::subscribe(config, number, input.value().trim())?.then2(&answered, &answered);
    // Called once, by the browser, after this returns: it stays (a few bytes per submission).
    answered.forget();
    Some(())
}
