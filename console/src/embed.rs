//! The embed page: the snippet to paste into a storefront (with the shop's publishable key), a
//! Copy button, and a live preview of the real `<waypost-tracker>` with the theme knobs the widget
//! has (`theme`, `--wp-accent`, `--wp-font`, `--wp-radius`), which change the snippet too. The
//! accent's contrast against the widget's background is checked against WCAG AA (4.5:1).

use leptos::html::{Div, Textarea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use waypost_shared::wire::ShopSettings;

use crate::app::{Session, shop_page};
use crate::tracker::tracker;

/// The widget's own accent (widget.css), left out of the snippet when unchanged.
const DEFAULT_ACCENT: &str = "#0b5cad";
/// The widget's own corner radius in pixels.
const DEFAULT_RADIUS: u32 = 10;
/// The fonts offered: what the picker says, and the `--wp-font` value (empty: the widget's own).
const FONTS: [(&str, &str); 4] = [
    ("System (the widget's default)", ""),
    ("Serif", "Georgia, serif"),
    ("Sans-serif", "Verdana, Arial, sans-serif"),
    ("Monospace", "ui-monospace, monospace"),
];
/// The minimum contrast WCAG AA asks of text.
const AA: f64 = 4.5;

/// The theme chosen in the preview.
#[derive(Debug, Clone, PartialEq)]
struct Theme {
    /// `auto`, `light` or `dark`.
    scheme: String,
    /// `#rrggbb`.
    accent: String,
    /// Index into [`FONTS`].
    font: usize,
    /// Pixels.
    radius: u32,
}

impl Theme {
    /// The inline custom properties for what differs from the widget's defaults.
    fn style(&self) -> String {
        let mut style = Vec::new();
        if !self.accent.eq_ignore_ascii_case(DEFAULT_ACCENT) {
            style.push(format!("--wp-accent: {}", self.accent));
        }
        if let Some((_, font)) = FONTS.get(self.font).filter(|(_, font)| !font.is_empty()) {
            style.push(format!("--wp-font: {font}"));
        }
        if self.radius != DEFAULT_RADIUS {
            style.push(format!("--wp-radius: {}px", self.radius));
        }
        style.join("; ")
    }

    /// The background the accent sits on: the widget's light or dark one.
    fn background(&self) -> &'static str {
        if self.scheme == "dark" {
            "#15191e"
        } else {
            "#ffffff"
        }
    }
}

/// The snippet to paste, for the widget served from `origin`.
fn snippet(origin: &str, key: &str, theme: &Theme) -> String {
    let mut element = format!("<waypost-tracker shop=\"{key}\"");
    if theme.scheme == "light" || theme.scheme == "dark" {
        element.push_str(&format!(" theme=\"{}\"", theme.scheme));
    }
    let style = theme.style();
    if !style.is_empty() {
        element.push_str(&format!(" style=\"{style}\""));
    }
    format!(
        "<script type=\"module\" src=\"{origin}/widget.js\"></script>\n{element}></waypost-tracker>"
    )
}

/// `#rrggbb` as its three channels.
fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (luminance(parse_hex(a)?), luminance(parse_hex(b)?));
    Some((a.max(b) + 0.05) / (a.min(b) + 0.05))
}

/// Writes `text` to the clipboard; `false` if the browser would not.
async fn copy_text(text: &str) -> bool {
    let Ok(navigator) = js_sys::Reflect::get(&window(), &"navigator".into()) else {
        return false;
    };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    JsFuture::from(promise).await.is_ok()
}

/// The embed page.
#[component]
pub fn Embed(session: Session) -> impl IntoView {
    shop_page(session, "Embed the widget", |settings| {
        view! { <EmbedForm settings /> }.into_any()
    })
}

/// The snippet, the theme knobs and the preview, for the shop's settings.
#[component]
fn EmbedForm(settings: ShopSettings) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let Some(key) = settings.publishable_key else {
        return view! {
            <p class="error" role="alert">
                "Your shop has no publishable key. Make one on the " <a href="#/settings">"Settings"</a> " page."
            </p>
        }
        .into_any();
    };
    let theme = RwSignal::new(Theme {
        scheme: "auto".to_owned(),
        accent: DEFAULT_ACCENT.to_owned(),
        font: 0,
        radius: DEFAULT_RADIUS,
    });
    let snippet_origin = origin.clone();
    let snippet_key = key.clone();
    let code = Memo::new(move |_| theme.with(|t| snippet(&snippet_origin, &snippet_key, t)));
    let area = NodeRef::<Textarea>::new();
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let text = code.get_untracked();
        spawn_local(async move {
            if copy_text(&text).await {
                copied.set(Some("Copied to the clipboard."));
            } else {
                if let Some(area) = area.get_untracked() {
                    let _ = area.focus();
                    area.select();
                }
                copied.set(Some("Selected: press Ctrl+C (⌘C on a Mac) to copy."));
            }
        });
    };
    let ratio = Memo::new(move |_| theme.with(|t| contrast(&t.accent, t.background())));
    // The preview: the real element, made by hand so its attributes are exactly the snippet's.
    let holder = NodeRef::<Div>::new();
    let preview_key = key.clone();
    Effect::new(move |_| {
        let Some(holder) = holder.get() else {
            return;
        };
        let t = theme.get();
        let element = match holder.first_element_child() {
            Some(element) => element,
            None => {
                let Some(element) = tracker(&[("shop", &preview_key)]) else {
                    return;
                };
                let _ = holder.append_child(&element);
                element
            }
        };
        if t.scheme == "auto" {
            let _ = element.remove_attribute("theme");
        } else {
            let _ = element.set_attribute("theme", &t.scheme);
        }
        let _ = element.set_attribute("style", &t.style());
    });
    view! {
        <section class="card" aria-labelledby="snippet-title">
            <h2 id="snippet-title">"Your snippet"</h2>
            <p>"Paste this into the storefront page where customers look up their orders."</p>
            <label class="field-label" for="snippet">"Snippet"</label>
            <textarea id="snippet" class="snippet" readonly rows="4" spellcheck="false" node_ref=area
                prop:value=move || code.get()
            ></textarea>
            <div class="actions">
                <button type="button" id="copy-snippet" on:click=copy>"Copy"</button>
                <p id="copy-message" role="status">{move || copied.get()}</p>
            </div>
        </section>
        <section class="card" aria-labelledby="theme-title">
            <h2 id="theme-title">"Look"</h2>
            <div class="knobs">
                <div>
                    <label class="field-label" for="theme-scheme">"Colours"</label>
                    <select id="theme-scheme"
                        on:change=move |ev| { let v = event_target_value(&ev); theme.update(|t| t.scheme = v) }>
                        <option value="auto" selected>"Follow the visitor's setting"</option>
                        <option value="light">"Light"</option>
                        <option value="dark">"Dark"</option>
                    </select>
                </div>
                <div>
                    <label class="field-label" for="theme-accent">"Accent colour"</label>
                    <input id="theme-accent" type="color" value=DEFAULT_ACCENT
                        on:input=move |ev| { let v = event_target_value(&ev); theme.update(|t| t.accent = v) } />
                </div>
                <div>
                    <label class="field-label" for="theme-font">"Font"</label>
                    <select id="theme-font"
                        on:change=move |ev| {
                            let v = event_target_value(&ev).parse().unwrap_or(0);
                            theme.update(|t| t.font = v)
                        }>
                        {FONTS.iter().enumerate().map(|(i, (name, _))| view! {
                            <option value=i.to_string() selected=i == 0>{*name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label class="field-label" for="theme-radius">"Corner radius (px)"</label>
                    <input id="theme-radius" type="number" min="0" max="32" value=DEFAULT_RADIUS.to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                                theme.update(|t| t.radius = v.min(32));
                            }
                        } />
                </div>
            </div>
            <p id="contrast-ratio">
                {move || match ratio.get() {
                    Some(r) => format!("Accent contrast against the widget's background: {r:.2}:1"),
                    None => String::new(),
                }}
            </p>
            <Show when=move || ratio.get().is_some_and(|r| r < AA)>
                <p id="contrast-warning" class="error" role="alert">
                    {move || format!(
                        "This accent is hard to read: {:.2}:1 is below the 4.5:1 WCAG AA asks for text. Pick a darker colour{}.",
                        ratio.get().unwrap_or_default(),
                        if theme.with(|t| t.scheme == "dark") { " (a lighter one on dark)" } else { "" },
                    )}
                </p>
            </Show>
        </section>
        <section class="card" aria-labelledby="preview-title">
            <h2 id="preview-title">"Preview"</h2>
            <p class="note">
                "This is the real widget, served from " <code>{origin.clone()}</code>
                ". Look a parcel up in it to try your look: it calls Waypost from this console's own address, which needs no entry in your allowed origins (your storefront's does, on the "
                <a href="#/settings">"Settings"</a> " page)."
            </p>
            <div class="preview" node_ref=holder></div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag() {
        let white_black = contrast("#ffffff", "#000000").unwrap_or_default();
        assert!((white_black - 21.0).abs() < 0.01);
        assert!(contrast("#ffff00", "#ffffff").unwrap_or(99.0) < AA);
        assert!(contrast("#1a4d8f", "#ffffff").unwrap_or_default() >= AA);
        assert_eq!(contrast("red", "#ffffff"), None);
    }
}
