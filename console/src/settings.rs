//! The settings page: where the widget may run (allowed origins), the usual transit time, the
//! carriers whose live tracking answers look-ups, the platform webhooks, and a new publishable key
//! (the old one stops working at once).
//!
//! The notification settings (triggers, channels, sender, tracking page, webhook endpoints) have
//! their own card here, next to the platform webhooks: see [`crate::notifications`].

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::WireEnum;
use waypost_shared::detect::Carrier;
use waypost_shared::eta::TransitRange;
use waypost_shared::wire::{ShopSettings, ShopSettingsInput};

use crate::api::{self, Failure, SaveFailure};
use crate::app::{Session, failure_text, shop_page};
use crate::check_list::check_list;
use crate::integrations::Integrations;
use crate::notifications::Notifications;

/// The settings page.
#[component]
pub fn Settings(session: Session) -> impl IntoView {
    shop_page(session, "Settings", move |settings| {
        let key = settings.publishable_key.clone();
        view! {
            <SettingsForm session settings />
            <Integrations session />
            <Notifications session />
            <KeyRotation session key />
        }
        .into_any()
    })
}

/// The CSRF token of the live session.
pub fn csrf(session: Session) -> Option<String> {
    session.with_untracked(|s| s.as_ref().map(|s| s.csrf_token.clone()))
}

/// The form of origins, transit days and live carriers.
#[component]
fn SettingsForm(session: Session, settings: ShopSettings) -> impl IntoView {
    let origins = RwSignal::new(settings.allowed_origins.join("\n"));
    let min_days = RwSignal::new(settings.transit_days.min_days.to_string());
    let max_days = RwSignal::new(settings.transit_days.max_days.to_string());
    let carriers = RwSignal::new(settings.live_carriers.clone());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        let (Ok(min), Ok(max)) = (
            min_days.get_untracked().trim().parse::<u16>(),
            max_days.get_untracked().trim().parse::<u16>(),
        ) else {
            error.set(Some("Transit days must be whole numbers.".to_owned()));
            return;
        };
        let Some(token) = csrf(session) else {
            return;
        };
        let input = ShopSettingsInput {
            allowed_origins: Some(
                origins
                    .get_untracked()
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            transit_days: Some(TransitRange {
                min_days: min,
                max_days: max,
            }),
            live_carriers: Some(carriers.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::update_shop(&token, &input).await;
            busy.set(false);
            match result {
                Ok(now) => {
                    origins.set(now.allowed_origins.join("\n"));
                    carriers.set(now.live_carriers);
                    saved.set(true);
                }
                Err(SaveFailure::Invalid(detail)) => error.set(Some(detail)),
                Err(SaveFailure::Failed(Failure::SignedOut)) => session.set(None),
                Err(SaveFailure::Failed(failure)) => {
                    error.set(Some(failure_text(failure).to_owned()));
                }
            }
        });
    };
    view! {
        <form class="card settings" on:submit=submit aria-describedby="settings-error">
            <label for="allowed-origins">"Allowed origins"</label>
            <p class="note" id="origins-help">
                "One per line, e.g. " <code>"https://shop.example.com"</code>
                ". The widget may call Waypost only from these sites (http:// only for localhost)."
            </p>
            <textarea id="allowed-origins" rows="4" spellcheck="false" aria-describedby="origins-help"
                prop:value=move || origins.get()
                on:input=move |ev| { origins.set(event_target_value(&ev)); saved.set(false) }
            ></textarea>
            <fieldset>
                <legend>"Usual transit time (days)"</legend>
                <div class="pair">
                    <div>
                        <label for="min-days">"Fewest"</label>
                        <input id="min-days" type="number" min="0" inputmode="numeric"
                            prop:value=move || min_days.get()
                            on:input=move |ev| min_days.set(event_target_value(&ev)) />
                    </div>
                    <div>
                        <label for="max-days">"Most"</label>
                        <input id="max-days" type="number" min="0" inputmode="numeric"
                            prop:value=move || max_days.get()
                            on:input=move |ev| max_days.set(event_target_value(&ev)) />
                    </div>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Live carriers"</legend>
                {check_list(
                    "carrier",
                    <Carrier as WireEnum>::ALL
                        .iter()
                        .map(|carrier| (*carrier, carrier.code(), carrier.name())),
                    carriers,
                    || (),
                )}
            </fieldset>
            <div class="actions">
                <button type="submit" id="save-settings" disabled=move || busy.get()>"Save"</button>
                <p id="settings-saved" role="status">{move || saved.get().then_some("Saved")}</p>
            </div>
            <p id="settings-error" class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// The publishable key, and a new one after a confirmation.
#[component]
fn KeyRotation(session: Session, key: Option<String>) -> impl IntoView {
    let key = RwSignal::new(key);
    let confirming = RwSignal::new(false);
    let rotated = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let rotate = move |_| {
        let Some(token) = csrf(session) else {
            return;
        };
        spawn_local(async move {
            match api::new_publishable_key(&token).await {
                Ok(now) => {
                    key.set(now.publishable_key);
                    confirming.set(false);
                    rotated.set(true);
                    error.set(None);
                }
                Err(Failure::SignedOut) => session.set(None),
                Err(failure) => error.set(Some(failure_text(failure))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="key-title">
            <h2 id="key-title">"Publishable key"</h2>
            <p>"The key your widget snippet carries: "
                <code id="publishable-key">{move || key.get().unwrap_or_else(|| "none".to_owned())}</code>
            </p>
            <Show when=move || rotated.get()>
                <p id="key-rotated" role="status" class="notice">
                    "This is your new key. Update the snippet on your storefront now (see "
                    <a href="#/embed">"Embed"</a> "): the old key no longer works."
                </p>
            </Show>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" id="new-key" class="secondary" on:click=move |_| confirming.set(true)>
                        "New publishable key…"
                    </button>
                }
            >
                <div class="confirm" role="group" aria-labelledby="confirm-text">
                    <p id="confirm-text">
                        "The current key stops working at once: every storefront still using it shows an error until its snippet has the new key."
                    </p>
                    <div class="actions">
                        <button type="button" id="confirm-new-key" on:click=rotate>"Replace the key"</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}
