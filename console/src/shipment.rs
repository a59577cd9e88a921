//! One shipment: what the retailer needs to know (status, health, carrier, order, ETA,
//! destination, what to do), then the real widget showing that parcel, so the timeline is exactly
//! what customers see, in the widget's own rendering.
//!
//! Below the widget, the messages sent about the shipment (emails, texts, webhooks): what caused
//! each, where it went (masked), where it stands, when, and why it failed when it did.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::event::Place;
use waypost_shared::wire::{DeliveryState, NotificationView, TrackingView};

use crate::api::{self, Failure};
use crate::app::{Session, failure_text};
use crate::notifications::{channel_name, state_name, trigger_name};
use crate::row::action;
use crate::tracker::tracker;

/// The shipment page, from `GET /v1/shipments/{number}` (the facts) and `GET /v1/shop` (the
/// publishable key the widget looks the parcel up with).
#[component]
pub fn Shipment(session: Session, number: String) -> impl IntoView {
    let answer = RwSignal::new(None::<Result<(TrackingView, Option<String>), Failure>>);
    let wanted = number.clone();
    spawn_local(async move {
        let found = match api::shipment(&wanted).await {
            Ok(tracking) => api::shop()
                .await
                .map(|shop| (tracking, shop.publishable_key)),
            Err(failure) => Err(failure),
        };
        if matches!(found, Err(Failure::SignedOut)) {
            session.set(None);
        }
        answer.set(Some(found));
    });
    view! {
        <p><a href="#/">"← Needs attention"</a></p>
        <h1>"Shipment " {number}</h1>
        {move || match answer.get() {
            None => view! { <p role="status">"Loading…"</p> }.into_any(),
            Some(Err(Failure::NotFound)) => view! {
                <p class="error" role="alert">"No shipment with this tracking number in your shop."</p>
            }.into_any(),
            Some(Err(failure)) => {
                view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
            }
            Some(Ok((tracking, key))) => view! {
                <Facts tracking=tracking.clone() />
                <h2>"What your customers see"</h2>
                <CustomerView number=tracking.tracking_number.clone() key />
                <SentMessages session number=tracking.tracking_number />
            }
            .into_any(),
        }}
    }
}

/// The tracking view's facts, for the retailer.
#[component]
fn Facts(tracking: TrackingView) -> impl IntoView {
    let status = match &tracking.sub_status_label {
        Some(sub) => format!("{} ({sub})", tracking.status_label),
        None => tracking.status_label.clone(),
    };
    let carrier =
        tracking.carrier.as_ref().map(|carrier| {
            match &carrier.tracking_url {
        Some(url) => view! {
            <a href=url.clone() rel="noopener noreferrer" target="_blank">{carrier.name.clone()}</a>
        }
        .into_any(),
        None => carrier.name.clone().into_any(),
    }
        });
    let actions: Vec<String> = tracking
        .actions
        .iter()
        .map(|required| action(required.actor, required.kind))
        .collect();
    view! {
        <dl class="facts">
            <div><dt>"Status"</dt><dd class="status">{status}</dd></div>
            <div>
                <dt>"Health"</dt>
                <dd><span class="badge" data-health=tracking.health.as_str()>{tracking.health_label.clone()}</span></dd>
            </div>
            <div><dt>"Carrier"</dt><dd>{carrier}</dd></div>
            <div><dt>"Order"</dt><dd>{tracking.order_reference.clone().unwrap_or_else(|| "—".into())}</dd></div>
            <div>
                <dt>"Expected"</dt>
                <dd>{tracking.eta.as_ref().map_or_else(|| "—".to_owned(), |eta| format!("{} ({})", eta.label, eta.source_label))}</dd>
            </div>
            <div><dt>"Destination"</dt><dd>{tracking.destination.as_ref().map_or_else(|| "—".to_owned(), place)}</dd></div>
            <div><dt>"To do"</dt><dd>{if actions.is_empty() { "Nothing".to_owned() } else { actions.join("; ") }}</dd></div>
        </dl>
    }
}

/// The widget looking the parcel up with the shop's publishable key, as on the storefront.
#[component]
fn CustomerView(number: String, key: Option<String>) -> impl IntoView {
    let Some(key) = key else {
        return view! {
            <p class="error" role="alert">
                "Your shop has no publishable key, so the widget cannot show this parcel. Make one on the "
                <a href="#/settings">"Settings"</a> " page."
            </p>
        }
        .into_any();
    };
    // In the console's theme when one is picked, else the system's, as on a storefront.
    let theme = document()
        .document_element()
        .and_then(|root| root.get_attribute("data-theme"))
        .unwrap_or_else(|| "auto".to_owned());
    let holder = NodeRef::<Div>::new();
    holder.on_load(move |holder| {
        let attributes = [
            ("shop", key.as_str()),
            ("tracking-number", number.as_str()),
            ("theme", theme.as_str()),
        ];
        if let Some(element) = tracker(&attributes) {
            let _ = holder.append_child(&element);
        }
    });
    view! { <div class="customer-view" node_ref=holder></div> }.into_any()
}

/// The messages sent about the shipment, from `GET /v1/notifications?shipment=`.
#[component]
fn SentMessages(session: Session, number: String) -> impl IntoView {
    let messages = RwSignal::new(None::<Result<Vec<NotificationView>, Failure>>);
    spawn_local(async move {
        match api::shipment_notifications(&number).await {
            Err(Failure::SignedOut) => session.set(None),
            other => messages.set(Some(other.map(|list| list.notifications))),
        }
    });
    view! {
        <section class="messages" aria-labelledby="messages-title">
            <h2 id="messages-title">"Messages sent"</h2>
            {move || match messages.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(failure)) => {
                    view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="empty" id="no-messages">"None yet."</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <ul class="rows message-list" aria-labelledby="messages-title">
                        {list.into_iter().map(|message| view! { <Message message /> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One message: its trigger, channel and masked recipient, where it stands and when.
#[component]
fn Message(message: NotificationView) -> impl IntoView {
    let when = message.sent_at.unwrap_or(message.created_at);
    let failed = matches!(message.state, DeliveryState::Failed | DeliveryState::Dead);
    view! {
        <li class="row message" data-state=message.state.as_str() data-trigger=message.trigger.as_str()>
            <p class="message-what">
                <strong>{trigger_name(message.trigger)}</strong>
                " · " {channel_name(message.channel)} " to "
                <span class="recipient">{message.recipient}</span>
            </p>
            <p class="message-state">
                <span class="badge state" data-state=message.state.as_str()>{state_name(message.state)}</span>
                " "
                <span class="when">{when.format("%Y-%m-%d %H:%M UTC").to_string()}</span>
            </p>
            {failed.then(|| message.last_error.map(|why| view! {
                <p class="last-error">{why}</p>
            }))}
        </li>
    }
}

/// "Brooklyn, NY, US".
fn place(at: &Place) -> String {
    [&at.city, &at.region, &at.country]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
