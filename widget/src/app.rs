//! The widget's screens and the moves between them: form → loading → parcel, order, or one of
//! the designed failure states.

use std::sync::Arc;

use leptos::either::EitherOf5;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use waypost_shared::labels::UiText;
use waypost_shared::wire::{OrderView, TrackingView};

use crate::api::{self, Failure, Fetched};
use crate::config::Config;
use crate::form::Form;
use crate::fresh::Fresh;
use crate::refresh::refresh_while_visible;
use crate::result::{OrderResult, ParcelResult};
use crate::states::{FailureView, Loading};
use crate::subscribe;
use crate::words;

/// What the customer asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// One tracking number.
    Number(String),
    /// An order, proven by its email.
    Order {
        /// The order number.
        order: String,
        /// The email on the order.
        email: String,
    },
}

/// What the widget shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// The search form.
    Form,
    /// Waiting for the API.
    Loading,
    /// One parcel (shared, so re-reading the screen never copies it).
    Parcel(Arc<TrackingView>),
    /// An order (its status in words) and its parcels.
    Order(Arc<str>, Vec<Arc<TrackingView>>),
    /// A designed failure, with what to retry.
    Failed(Failure, Query),
}

/// The whole widget.
#[component]
pub fn App(config: Config) -> impl IntoView {
    let config = StoredValue::new(config);
    let screen = RwSignal::new(Screen::Form);
    let etag = StoredValue::new(None::<String>);
    // The newest run's generation and query: only that generation's answer is shown, as in
    // `loader.js`. Every run and every return to the form starts a new one.
    let asked = StoredValue::new((0u32, None::<Query>));
    // Starts a new generation (asking `query`, or none: back to the form) and returns it.
    let new_generation = move |query| {
        let generation = asked.with_value(|(generation, _)| generation + 1);
        asked.set_value((generation, query));
        generation
    };
    let to_form = move || {
        new_generation(None);
        screen.set(Screen::Form);
    };

    // Asks the API; a quiet run (a refresh) keeps the screen unless the answer changed.
    let run = move |query: Query, quiet: bool| {
        if !quiet {
            etag.set_value(None);
            screen.set(Screen::Loading);
        }
        let ours = new_generation(Some(query.clone()));
        let sent_etag = etag.get_value();
        spawn_local(async move {
            let config = config.get_value();
            let outcome = match &query {
                Query::Number(number) => api::track(&config, number, sent_etag.as_deref())
                    .await
                    .map(|f| map_fetched(f, |view| Screen::Parcel(Arc::new(view)))),
                Query::Order { order, email } => {
                    api::order(&config, order, email, sent_etag.as_deref())
                        .await
                        .map(|f| map_fetched(f, order_screen))
                }
            };
            // Stale: a newer run or a return to the form came since (or the widget is gone).
            if asked.try_with_value(|(generation, _)| *generation) != Some(ours) {
                return;
            }
            match outcome {
                Ok(Some((next, new_etag))) => {
                    etag.set_value(new_etag);
                    screen.set(next);
                }
                Ok(None) => {}
                Err(_) if quiet => {}
                Err(failure) => screen.set(Screen::Failed(failure, query)),
            }
        });
    };

    if let Some(number) = config.get_value().tracking_number {
        run(Query::Number(number), false);
    }
    refresh_while_visible(move || {
        let showing = matches!(
            screen.get_untracked(),
            Screen::Parcel(_) | Screen::Order(..)
        );
        if let (true, (_, Some(query))) = (showing, asked.get_value()) {
            run(query, true);
        }
    });

    let text = move |key| words::ui(config.with_value(|c| c.lang), key);
    let announcement = move || match screen.get() {
        Screen::Parcel(view) => announce(&view),
        Screen::Order(status, _) => String::from(&*status),
        Screen::Loading => text(UiText::Loading).to_owned(),
        _ => String::new(),
    };
    let lang = config.with_value(|c| c.lang.code());
    let on_search = Callback::new(move |query: Query| run(query, false));
    let new_search = move |_| to_form();

    // The opt-in's form is static markup: its submit is handled here, where it bubbles to.
    let submitted = move |ev: leptos::ev::SubmitEvent| {
        if let (Screen::Parcel(view), Some(form)) = (screen.get_untracked(), ev.target()) {
            ev.prevent_default();
            subscribe::submitted(
                &config.get_value(),
                &view.tracking_number,
                form.unchecked_into(),
            );
        }
    };

    view! {
        <div class="wp" lang=lang on:submit=submitted>
            <div class="wp-sr" role="status" aria-live="polite">{announcement}</div>
            {move || match screen.get() {
                Screen::Form => EitherOf5::A(view! { <Form config=config.get_value() on_search=on_search /> }),
                Screen::Loading => EitherOf5::B(view! { <Loading config=config.get_value() /> }),
                Screen::Parcel(view) => EitherOf5::C(view! {
                    {Fresh(view! { <ParcelResult config=config.get_value() view=view /> })}
                    {subscribe::opt_in(config.with_value(|c| c.lang))}
                    <button type="button" class="wp-link" on:click=new_search>{text(UiText::NewSearch)}</button>
                }),
                Screen::Order(status, parcels) => EitherOf5::D(view! {
                    {Fresh(view! { <OrderResult config=config.get_value() status=status parcels=parcels /> })}
                    <button type="button" class="wp-link" on:click=new_search>{text(UiText::NewSearch)}</button>
                }),
                Screen::Failed(failure, query) => EitherOf5::E(view! {
                    <FailureView config=config.get_value() failure=failure query=query.clone()
                        on_retry=Callback::new(move |()| run(query.clone(), false))
                        on_back=Callback::new(move |()| to_form()) />
                }),
            }}
        </div>
    }
}

fn map_fetched<T>(
    fetched: Fetched<T>,
    screen: impl FnOnce(T) -> Screen,
) -> Option<(Screen, Option<String>)> {
    match fetched {
        Fetched::Fresh(body, etag) => Some((screen(body), etag)),
        Fetched::Unchanged => None,
    }
}

/// The order screen, taking the parcels out of the answer without copying them.
fn order_screen(order: OrderView) -> Screen {
    Screen::Order(
        order.status_label.into(),
        order.shipments.into_iter().map(Arc::new).collect(),
    )
}

/// What the live region says when a parcel is shown: the status and why.
fn announce(view: &TrackingView) -> String {
    match &view.sub_status_label {
        Some(sub) => [view.status_label.as_str(), ". ", sub].concat(),
        None => view.status_label.clone(),
    }
}
