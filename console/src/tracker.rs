//! The real `<waypost-tracker>` on a console page: the widget's own script (`/widget.js`, served by
//! the same Worker) loaded once, and the element made by hand so its attributes are exactly what a
//! storefront's snippet would carry.

use leptos::prelude::*;
use web_sys::Element;

/// A `<waypost-tracker>` with `attributes`, its script loaded if it was not yet.
pub fn tracker(attributes: &[(&str, &str)]) -> Option<Element> {
    load_widget_script();
    let element = document().create_element("waypost-tracker").ok()?;
    for (name, value) in attributes {
        element.set_attribute(name, value).ok()?;
    }
    Some(element)
}

/// Loads `/widget.js` once on this page.
fn load_widget_script() {
    let document = document();
    if document
        .query_selector("script[data-waypost-widget]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    if let Ok(script) = document.create_element("script") {
        let _ = script.set_attribute("type", "module");
        let _ = script.set_attribute("src", "/widget.js");
        let _ = script.set_attribute("data-waypost-widget", "");
        if let Some(head) = document.head() {
            let _ = head.append_child(&script);
        }
    }
}
