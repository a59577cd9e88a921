//! The sign-in page: one secret key, sent once and kept nowhere (the field is emptied at once).

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Failure};
use crate::app::Session;

/// The refusal, the same for every key that is not accepted.
const NOT_ACCEPTED: &str = "That key was not accepted.";

/// The sign-in form.
#[component]
pub fn SignIn(session: Session) -> impl IntoView {
    let key = NodeRef::<Input>::new();
    let message = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = key.get_untracked() else {
            return;
        };
        let secret_key = input.value().trim().to_owned();
        input.set_value("");
        if secret_key.is_empty() {
            message.set(Some(NOT_ACCEPTED));
            return;
        }
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            let result = api::sign_in(secret_key).await;
            busy.set(false);
            match result {
                Ok(live) => session.set(Some(live)),
                Err(Failure::RateLimited) => message.set(Some(
                    "Too many sign-in attempts. Wait a minute, then try again.",
                )),
                Err(Failure::Unreachable) => {
                    message.set(Some("Waypost could not be reached. Try again."));
                }
                Err(_) => message.set(Some(NOT_ACCEPTED)),
            }
        });
    };
    view! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            <p>
                "Use one of your shop's secret keys (" <code>"sk_…"</code>
                "). It starts a session and is kept nowhere in this page."
            </p>
            <form on:submit=submit>
                <label for="secret-key">"Secret key"</label>
                <input
                    id="secret-key"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    required
                    aria-describedby="sign-in-message"
                    node_ref=key
                />
                <button type="submit" disabled=move || busy.get()>
                    "Sign in"
                </button>
            </form>
            <p id="sign-in-message" class="error" role="alert">
                {move || message.get()}
            </p>
        </section>
    }
}
