//! The designed in-between states: loading, not found, network trouble, rate limited.

use leptos::prelude::*;
use waypost_shared::detect::{Hint, hint};
use waypost_shared::labels::{UiText, fill};

use crate::api::Failure;
use crate::app::Query;
use crate::config::Config;
use crate::words;

/// A loading skeleton, announced to screen readers.
#[component]
pub fn Loading(config: Config) -> impl IntoView {
    view! {
        <div class="wp-skeleton" aria-busy="true">
            <span class="wp-sr">{words::ui(config.lang, UiText::Loading)}</span>
            <div class="wp-bone wp-bone-title"></div>
            <div class="wp-bone"></div>
            <div class="wp-bone wp-bone-short"></div>
        </div>
    }
}

/// Not found, network error or rate limited, each with its way forward.
#[component]
pub fn FailureView(
    config: Config,
    failure: Failure,
    query: Query,
    on_retry: Callback<()>,
    on_back: Callback<()>,
) -> impl IntoView {
    let text = move |key| words::ui(config.lang, key);
    // One layout for every failure: a title, maybe an explanation, maybe the carrier's own page,
    // maybe a retry, and the way back to the form.
    let (title, help, retry) = match (&failure, &query) {
        (Failure::NotFound, Query::Order { .. }) => {
            (UiText::NotFound, Some(UiText::OrderNotFound), false)
        }
        (Failure::NotFound | Failure::Refused, _) => {
            (UiText::NotFound, Some(UiText::NotFoundHelp), false)
        }
        (Failure::RateLimited, _) => (UiText::RateLimited, None, true),
        (Failure::Unreachable, _) => (UiText::NetworkError, None, true),
    };
    let carrier_link = match (&failure, &query) {
        (Failure::NotFound, Query::Number(number)) => match hint(number) {
            Hint::Carrier {
                name,
                tracking_url: Some(url),
                ..
            } => Some((url, name)),
            _ => None,
        },
        _ => None,
    };
    view! {
        <section class="wp-state" role="alert">
            <h2 class="wp-title">{text(title)}</h2>
            {help.map(|help| view! { <p>{text(help)}</p> })}
            {carrier_link.map(|(url, carrier)| view! {
                <p><a class="wp-carrier-link" href=url target="_blank" rel="noopener noreferrer">
                    {fill(text(UiText::TrackOnCarrierSite), &[("carrier", carrier)])}
                </a></p>
            })}
            {retry.then(|| view! {
                <button type="button" class="wp-button" on:click=move |_| on_retry.run(())>{text(UiText::Retry)}</button>
            })}
            <button type="button" class="wp-link" on:click=move |_| on_back.run(())>{text(UiText::NewSearch)}</button>
        </section>
    }
}
