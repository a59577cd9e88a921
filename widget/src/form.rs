//! The search form: a tracking number (with live format hints and typo hints from detection,
//! before any request), or an order number with its email.

use leptos::either::Either;
use leptos::prelude::*;
use waypost_shared::detect::{Hint, hint};
use waypost_shared::labels::{UiText, fill};

use crate::app::Query;
use crate::config::Config;
use crate::words;

/// The form; `on_search` receives what to look up.
#[component]
pub fn Form(config: Config, on_search: Callback<Query>) -> impl IntoView {
    let text = move |key| words::ui(config.lang, key);
    let by_order = RwSignal::new(config.order_number.is_some());
    let number = RwSignal::new(String::new());
    let order = RwSignal::new(config.order_number.clone().unwrap_or_default());
    let email = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let current = Memo::new(move |_| hint(&number.get()));

    let hint_text = move || match current.get() {
        Hint::Carrier {
            name,
            alternative: Some(other),
            ..
        } => fill(
            text(UiText::LooksLike),
            &[("carrier", &[name, " / ", other].concat())],
        ),
        Hint::Carrier { name, .. } => fill(text(UiText::LooksLike), &[("carrier", name)]),
        Hint::Typo { name } => fill(text(UiText::TypoHint), &[("carrier", name)]),
        Hint::Unknown => text(UiText::UnknownFormat).to_owned(),
        Hint::Nothing => String::new(),
    };
    let is_typo = move || matches!(current.get(), Hint::Typo { .. });
    let submit_number = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let value = number.get_untracked();
        if value.trim().is_empty() || matches!(current.get_untracked(), Hint::Typo { .. }) {
            return;
        }
        on_search.run(Query::Number(value));
    };
    let submit_order = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (order, email) = (order.get_untracked(), email.get_untracked());
        if !order.trim().is_empty() && !email.trim().is_empty() {
            on_search.run(Query::Order {
                order: order.trim().to_owned(),
                email: email.trim().to_owned(),
            });
        }
    };

    view! {
        <section class="wp-form">
            <h2 class="wp-title">{text(UiText::FormTitle)}</h2>
            {move || if by_order.get() {
                Either::Left(view! {
                    <form on:submit=submit_order novalidate>
                        <label for="wp-order">{text(UiText::OrderNumber)}</label>
                        <input id="wp-order" name="order-number" type="text" autocomplete="off" required
                            prop:value=move || order.get() on:input=move |ev| order.set(event_target_value(&ev)) />
                        <label for="wp-email">{text(UiText::Email)}</label>
                        <div class="wp-row">
                            <input id="wp-email" name="email" type="email" autocomplete="email" required
                                prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                            <button type="submit" class="wp-button">{text(UiText::FindOrder)}</button>
                        </div>
                    </form>
                })
            } else {
                Either::Right(view! {
                    <form on:submit=submit_number novalidate>
                        <label for="wp-number">{text(UiText::TrackingNumber)}</label>
                        <div class="wp-row">
                            <input id="wp-number" name="tracking-number" type="text" inputmode="text"
                                autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="256"
                                aria-describedby="wp-number-hint"
                                aria-invalid=move || if tried.get() && is_typo() { "true" } else { "false" }
                                prop:value=move || number.get()
                                on:input=move |ev| number.set(event_target_value(&ev)) />
                            <button type="submit" class="wp-button">{text(UiText::Track)}</button>
                        </div>
                        <p id="wp-number-hint" class="wp-hint" class:wp-error=is_typo aria-live="polite">{hint_text}</p>
                    </form>
                })
            }}
            <button type="button" class="wp-link" aria-pressed=move || if by_order.get() { "true" } else { "false" }
                on:click=move |_| by_order.update(|b| *b = !*b)>
                {move || if by_order.get() { text(UiText::SearchByNumber) } else { text(UiText::SearchByOrder) }}
            </button>
        </section>
    }
}
