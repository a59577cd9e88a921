//! Light or dark: the console follows the system's colour scheme unless the retailer picks one;
//! the pick is kept in this browser (`localStorage`, the only thing the console keeps there) and
//! set as `data-theme` on the page for the style sheet.

use leptos::prelude::*;

/// Where the pick is kept.
const STORAGE_KEY: &str = "waypost-console-theme";

/// The themes one can pick, by value and label; "system" follows the system's setting.
const THEMES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

/// The appearance drop-down in the header; applies the kept pick when the console starts.
#[component]
pub fn ThemeChoice() -> impl IntoView {
    let chosen = kept().unwrap_or_else(|| "system".to_owned());
    apply(&chosen);
    let change = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        apply(&value);
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = if value == "system" {
                storage.remove_item(STORAGE_KEY)
            } else {
                storage.set_item(STORAGE_KEY, &value)
            };
        }
    };
    view! {
        <label class="theme">
            "Appearance "
            <select id="theme" on:change=change>
                {THEMES
                    .into_iter()
                    .map(|(value, label)| {
                        view! { <option value=value selected=chosen == value>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The kept pick, if it is one of [`THEMES`].
fn kept() -> Option<String> {
    let kept = window()
        .local_storage()
        .ok()??
        .get_item(STORAGE_KEY)
        .ok()??;
    THEMES
        .iter()
        .any(|(value, _)| *value == kept)
        .then_some(kept)
}

/// Sets the page's theme (`system` removes it: the style sheet then follows the system).
fn apply(theme: &str) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = if theme == "system" {
        root.remove_attribute("data-theme")
    } else {
        root.set_attribute("data-theme", theme)
    };
}
