//! The platform webhooks on the settings page: for Shopify and WooCommerce, whether the shop is
//! connected, the address to paste into the platform's webhook settings, and the signing secret
//! set, replaced (the old one refused at once) or removed. A secret is sent once and never shown
//! again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::wire::{IntegrationView, Platform};

use crate::api::{self, Failure, SaveFailure};
use crate::app::{Session, failure_text};
use crate::settings::csrf;

/// The platform webhooks card.
#[component]
pub fn Integrations(session: Session) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="integrations-title">
            <h2 id="integrations-title">"Platform webhooks"</h2>
            <p>"Orders and tracking numbers come in by themselves once your shop platform sends its webhooks here."</p>
            {Platform::ALL
                .into_iter()
                .map(|platform| view! { <Integration session platform /> })
                .collect_view()}
        </section>
    }
}

/// Where loading a platform's connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Connection {
    Loading,
    Failed(Failure),
    Loaded(Option<IntegrationView>),
}

/// One platform: its connection and the form that changes it.
#[component]
fn Integration(session: Session, platform: Platform) -> impl IntoView {
    let connection = RwSignal::new(Connection::Loading);
    spawn_local(async move {
        match api::integration(platform).await {
            Ok(found) => connection.set(Connection::Loaded(found)),
            Err(Failure::SignedOut) => session.set(None),
            Err(failure) => connection.set(Connection::Failed(failure)),
        }
    });
    let code = platform.as_str();
    let secret = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let connect = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = csrf(session) else {
            return;
        };
        let typed = secret.get_untracked().trim().to_owned();
        message.set(None);
        error.set(None);
        spawn_local(async move {
            match api::connect_integration(&token, platform, typed).await {
                Ok(view) => {
                    secret.set(String::new());
                    connection.set(Connection::Loaded(Some(view)));
                    message.set(Some(
                        "Saved. Webhooks signed with this secret are accepted from now on."
                            .to_owned(),
                    ));
                }
                Err(SaveFailure::Invalid(detail)) => error.set(Some(detail)),
                Err(SaveFailure::Failed(Failure::SignedOut)) => session.set(None),
                Err(SaveFailure::Failed(failure)) => {
                    error.set(Some(failure_text(failure).to_owned()))
                }
            }
        });
    };
    let disconnect = move |_| {
        let Some(token) = csrf(session) else {
            return;
        };
        message.set(None);
        error.set(None);
        spawn_local(async move {
            match api::disconnect_integration(&token, platform).await {
                Ok(()) | Err(Failure::NotFound) => {
                    connection.set(Connection::Loaded(None));
                    message.set(Some(
                        "Disconnected: its webhooks are refused from now on.".to_owned(),
                    ));
                }
                Err(Failure::SignedOut) => session.set(None),
                Err(failure) => error.set(Some(failure_text(failure).to_owned())),
            }
        });
    };
    let secret_id = format!("{code}-secret");
    let label_for = secret_id.clone();
    view! {
        <div class="integration" data-platform=code>
            <h3>{platform_name(platform)}</h3>
            {move || match connection.get() {
                Connection::Loading => view! { <p role="status">"Loading…"</p> }.into_any(),
                Connection::Failed(failure) => {
                    view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
                }
                Connection::Loaded(None) => view! {
                    <p class="connection">"Not connected."</p>
                }
                .into_any(),
                Connection::Loaded(Some(view)) => view! {
                    <p class="connection">
                        "Connected since " {view.created_at.format("%Y-%m-%d").to_string()} ". "
                        {setup_hint(platform)}
                    </p>
                    <label class="field-label" for=format!("{code}-url")>"Webhook address"</label>
                    <input id=format!("{code}-url") class="webhook-url" readonly spellcheck="false" value=view.webhook_url />
                    <button type="button" class="secondary disconnect" on:click=disconnect>
                        "Disconnect" <span class="visually-hidden">{format!(" {}", platform_name(platform))}</span>
                    </button>
                }
                .into_any(),
            }}
            <form class="settings" on:submit=connect>
                <label for=label_for>"Signing secret"</label>
                <input id=secret_id type="password" autocomplete="off" spellcheck="false"
                    prop:value=move || secret.get()
                    on:input=move |ev| secret.set(event_target_value(&ev)) />
                <div class="actions">
                    <button type="submit" class="connect">
                        {move || if matches!(connection.get(), Connection::Loaded(Some(_))) { "Replace the secret" } else { "Connect" }}
                        <span class="visually-hidden">{format!(" {}", platform_name(platform))}</span>
                    </button>
                    <p role="status">{move || message.get()}</p>
                </div>
                <p class="error" role="alert">{move || error.get()}</p>
            </form>
        </div>
    }
}

/// The platform's name as its users know it.
fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Shopify => "Shopify",
        Platform::Woocommerce => "WooCommerce",
    }
}

/// Where the address goes on the platform, and which events to send.
fn setup_hint(platform: Platform) -> &'static str {
    match platform {
        Platform::Shopify => {
            "In Shopify (Settings → Notifications → Webhooks), send order creation, update and cancellation and fulfillment creation and update, as JSON, to this address."
        }
        Platform::Woocommerce => {
            "In WooCommerce (Settings → Advanced → Webhooks), send Order created and Order updated to this address, with the same secret."
        }
    }
}
