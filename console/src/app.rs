//! The console's frame: the session (its CSRF token kept in memory only), the header with the
//! shop and the sign-out button, and which page shows: sign-in, needs attention, a search's
//! results (`#/find/<text>`), a shipment (`#/shipment/<number>`), the filtered list of every
//! shipment (`#/shipments?…`), the embed snippet (`#/embed`) or the shop's settings
//! (`#/settings`), so the browser's back button works.

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::wire::{ConsoleSession, ShopSettings};

use crate::api;
use crate::attention::Attention;
use crate::embed::Embed;
use crate::filter::Filter;
use crate::find::Find;
use crate::settings::Settings;
use crate::shipment::Shipment;
use crate::shipments::Shipments;
use crate::sign_in::SignIn;
use crate::theme::ThemeChoice;

/// The session signed in now, if any: what every page reads, and clears when the API says the
/// session ended.
pub type Session = RwSignal<Option<ConsoleSession>>;

/// Which signed-in page the address names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Page {
    /// The landing page.
    Attention,
    /// One shipment's timeline.
    Shipment(String),
    /// What a search for a tracking or order number found.
    Find(String),
    /// Every shipment the filters let through (`#/shipments?status=…`).
    Shipments(Filter),
    /// The widget snippet and its preview (`#/embed`).
    Embed,
    /// The shop's settings (`#/settings`).
    Settings,
}

impl Page {
    /// The page of the address's fragment.
    fn current() -> Page {
        let hash = window().location().hash().unwrap_or_default();
        let part = |prefix: &str| {
            hash.strip_prefix(prefix)
                .and_then(|text| js_sys::decode_uri_component(text).ok())
                .map(String::from)
                .filter(|text| !text.is_empty())
        };
        if let Some(number) = part("#/shipment/") {
            Page::Shipment(number)
        } else if let Some(query) = part("#/find/") {
            Page::Find(query)
        } else if let Some(rest) = hash.strip_prefix("#/shipments") {
            Page::Shipments(Filter::parse(rest.strip_prefix('?').unwrap_or_default()))
        } else if hash == "#/embed" {
            Page::Embed
        } else if hash == "#/settings" {
            Page::Settings
        } else {
            Page::Attention
        }
    }
}

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let session: Session = RwSignal::new(None);
    let resumed = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(live) = api::session().await {
            session.set(Some(live));
        }
        resumed.set(true);
    });
    let page = RwSignal::new(Page::current());
    // Lives as long as the page: the console is the whole document.
    let _hash = window_event_listener(leptos::ev::hashchange, move |_| page.set(Page::current()));
    let signed_in = move || session.with(Option::is_some);
    view! {
        <header class="bar">
            <p class="brand">"Waypost console"</p>
            <Show when=signed_in>
                <p class="shop">{move || session.with(|s| s.as_ref().map(|s| s.shop_name.clone()))}</p>
                <SignOut session />
                <nav class="nav" aria-label="Console">
                    <a href="#/" aria-current=move || (page.get() == Page::Attention).then_some("page")>"Needs attention"</a>
                    <a href="#/shipments" aria-current=move || matches!(page.get(), Page::Shipments(_)).then_some("page")>"Shipments"</a>
                    <a href="#/embed" aria-current=move || (page.get() == Page::Embed).then_some("page")>"Embed"</a>
                    <a href="#/settings" aria-current=move || (page.get() == Page::Settings).then_some("page")>"Settings"</a>
                </nav>
            </Show>
        </header>
        <main id="main">
            {move || {
                if !resumed.get() {
                    view! { <p role="status">"Loading…"</p> }.into_any()
                } else if !signed_in() {
                    view! { <SignIn session /> }.into_any()
                } else {
                    match page.get() {
                        Page::Attention => view! { <Attention session /> }.into_any(),
                        Page::Shipment(number) => view! { <Shipment session number /> }.into_any(),
                        Page::Find(query) => view! { <Find session query /> }.into_any(),
                        Page::Shipments(filter) => view! { <Shipments session filter /> }.into_any(),
                        Page::Embed => view! { <Embed session /> }.into_any(),
                        Page::Settings => view! { <Settings session /> }.into_any(),
                    }
                }
            }}
        </main>
        <footer class="foot">
            <ThemeChoice />
        </footer>
    }
}

/// Ends the session on the server, then drops everything it showed from memory.
#[component]
fn SignOut(session: Session) -> impl IntoView {
    let failed = RwSignal::new(false);
    let sign_out = move |_| {
        let Some(token) = session.with_untracked(|s| s.as_ref().map(|s| s.csrf_token.clone()))
        else {
            return;
        };
        spawn_local(async move {
            match api::sign_out(&token).await {
                Ok(()) | Err(api::Failure::SignedOut) => {
                    failed.set(false);
                    session.set(None);
                    if !window().location().hash().unwrap_or_default().is_empty() {
                        let _ = window().location().set_hash("");
                    }
                }
                Err(_) => failed.set(true),
            }
        });
    };
    view! {
        <button type="button" class="sign-out" on:click=sign_out>"Sign out"</button>
        <Show when=move || failed.get()>
            <p class="error" role="alert">"Could not sign out. Try again."</p>
        </Show>
    }
}

/// What the pages say when an answer did not come.
pub fn failure_text(failure: api::Failure) -> &'static str {
    match failure {
        api::Failure::RateLimited => "Too many requests. Wait a minute, then try again.",
        api::Failure::NotFound => "Not found in your shop.",
        api::Failure::SignedOut => "Your session ended. Sign in again.",
        api::Failure::Unreachable | api::Failure::Refused => {
            "Waypost could not be reached. Reload the page to try again."
        }
    }
}

/// A page about the shop's settings: `title`, then what `form` shows for them once loaded (or why
/// they could not be; a session that ended goes back to the sign-in).
pub fn shop_page(
    session: Session,
    title: &'static str,
    form: impl Fn(ShopSettings) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let shop = RwSignal::new(None::<Result<ShopSettings, api::Failure>>);
    spawn_local(async move {
        match api::shop().await {
            Err(api::Failure::SignedOut) => session.set(None),
            other => shop.set(Some(other)),
        }
    });
    view! {
        <h1>{title}</h1>
        {move || match shop.get() {
            None => view! { <p role="status">"Loading…"</p> }.into_any(),
            Some(Err(failure)) => {
                view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
            }
            Some(Ok(settings)) => form(settings),
        }}
    }
}
