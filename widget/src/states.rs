//! The designed in-between states: loading, not found, network trouble, rate limited.

use leptos::prelude::*;
use waypost_shared::detect::{Hint, hint};
use waypost_shared::labels::{Key, UiText, fill};

use crate::api::Failure;
use crate::app::Query;
use crate::config::Config;

/// A loading skeleton, announced to screen readers.
#[component]
pub fn Loading(config: Config) -> impl IntoView {
    view! {
        <div class="wp-skeleton" aria-busy="true">
            <span class="wp-sr">{config.lang.text(Key::Ui(UiText::Loading))}</span>
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
    let text = move |key| config.lang.text(Key::Ui(key));
    let retry = move || view! { <button type="button" class="wp-button" on:click=move |_| on_retry.run(())>{text(UiText::Retry)}</button> };
    let back = move || view! { <button type="button" class="wp-link" on:click=move |_| on_back.run(())>{text(UiText::NewSearch)}</button> };
    let body = match (failure, query) {
        (Failure::NotFound, Query::Order { .. }) => view! {
            <h2 class="wp-title">{text(UiText::NotFound)}</h2>
            <p>{text(UiText::OrderNotFound)}</p>
            {back()}
        }
        .into_any(),
        (Failure::NotFound, Query::Number(number)) => {
            let carrier_link = match hint(&number) {
                Hint::Carrier {
                    name,
                    tracking_url: Some(url),
                } => Some((url, name)),
                _ => None,
            };
            view! {
                <h2 class="wp-title">{text(UiText::NotFound)}</h2>
                <p>{text(UiText::NotFoundHelp)}</p>
                {carrier_link.map(|(url, carrier)| view! {
                    <p><a class="wp-carrier-link" href=url target="_blank" rel="noopener noreferrer">
                        {fill(text(UiText::TrackOnCarrierSite), &[("carrier", carrier)])}
                    </a></p>
                })}
                {back()}
            }
            .into_any()
        }
        (Failure::RateLimited, _) => view! {
            <h2 class="wp-title">{text(UiText::RateLimited)}</h2>
            {retry()}
            {back()}
        }
        .into_any(),
        (Failure::Unreachable, _) => view! {
            <h2 class="wp-title">{text(UiText::NetworkError)}</h2>
            {retry()}
            {back()}
        }
        .into_any(),
        (Failure::Refused, _) => view! {
            <h2 class="wp-title">{text(UiText::NotFound)}</h2>
            <p>{text(UiText::NotFoundHelp)}</p>
            {back()}
        }
        .into_any(),
    };
    view! { <section class="wp-state" role="alert">{body}</section> }
}
