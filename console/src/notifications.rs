//! The notifications card on the settings page: which triggers send and through which channels,
//! the sender's name and address, the shop's tracking page and quiet hours for text messages
//! (`PUT` replaces them whole), and
//! the shop's signed-webhook endpoints, added (the signing secret shown once) or removed. Also the
//! short English words the console shows for triggers, channels and delivery states.

use leptos::prelude::*;
use leptos::task::spawn_local;
use waypost_shared::clock_time::ClockTime;
use waypost_shared::wire::{
    Channel, DeliveryState, NotificationSettings, QuietHours, Trigger, WebhookEndpointView,
};

use crate::api::{self, Failure, SaveFailure};
use crate::app::{Session, failure_text};
use crate::check_list::check_list;
use crate::settings::csrf;

/// The notifications card: the settings form, then the webhook endpoints.
#[component]
pub fn Notifications(session: Session) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<NotificationSettings, Failure>>);
    spawn_local(async move {
        match api::notification_settings().await {
            Err(Failure::SignedOut) => session.set(None),
            other => loaded.set(Some(other)),
        }
    });
    view! {
        <section class="card" aria-labelledby="notifications-title">
            <h2 id="notifications-title">"Notifications"</h2>
            <p>"What your customers are told, and your systems sent, when a parcel moves on, is late or expected later."</p>
            {move || match loaded.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(failure)) => {
                    view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
                }
                Some(Ok(settings)) => view! { <NotificationForm session settings /> }.into_any(),
            }}
            <WebhookEndpoints session />
        </section>
    }
}

/// The triggers, channels and sender, saved whole.
#[component]
fn NotificationForm(session: Session, settings: NotificationSettings) -> impl IntoView {
    let triggers = RwSignal::new(settings.triggers);
    let channels = RwSignal::new(settings.channels);
    let sender_name = RwSignal::new(settings.sender_name.unwrap_or_default());
    let sender_email = RwSignal::new(settings.sender_email.unwrap_or_default());
    let tracking_page = RwSignal::new(settings.tracking_page.unwrap_or_default());
    let quiet = QuietFields::new(settings.sms_quiet_hours);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let filled = |text: String| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(false);
        let Some(token) = csrf(session) else {
            return;
        };
        let sms_quiet_hours = match quiet.read() {
            Ok(hours) => hours,
            Err(why) => {
                error.set(Some(why.to_owned()));
                return;
            }
        };
        let wanted = NotificationSettings {
            triggers: triggers.get_untracked(),
            channels: channels.get_untracked(),
            sender_name: filled(sender_name.get_untracked()),
            sender_email: filled(sender_email.get_untracked()),
            tracking_page: filled(tracking_page.get_untracked()),
            sms_quiet_hours,
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::save_notification_settings(&token, &wanted).await;
            busy.set(false);
            match result {
                Ok(now) => {
                    triggers.set(now.triggers);
                    channels.set(now.channels);
                    sender_name.set(now.sender_name.unwrap_or_default());
                    sender_email.set(now.sender_email.unwrap_or_default());
                    tracking_page.set(now.tracking_page.unwrap_or_default());
                    quiet.show(now.sms_quiet_hours);
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
    let unsaved = move || saved.set(false);
    let trigger_boxes = check_list(
        "trigger",
        Trigger::ALL
            .into_iter()
            .filter(|trigger| *trigger != Trigger::SubscriptionConfirmation)
            .map(|trigger| (trigger, trigger.as_str(), trigger_name(trigger))),
        triggers,
        unsaved,
    );
    let channel_boxes = check_list(
        "channel",
        Channel::ALL
            .into_iter()
            .map(|channel| (channel, channel.as_str(), channel_name(channel))),
        channels,
        unsaved,
    );
    view! {
        <form class="settings notifications" on:submit=submit aria-describedby="notifications-error">
            <fieldset>
                <legend>"Send when"</legend>
                {trigger_boxes}
            </fieldset>
            <fieldset>
                <legend>"Send by"</legend>
                {channel_boxes}
            </fieldset>
            <div class="sender">
                <div>
                    <label for="sender-name">"Sender name"</label>
                    <input id="sender-name" type="text" autocomplete="off" placeholder="Your shop's name"
                        prop:value=move || sender_name.get()
                        on:input=move |ev| { sender_name.set(event_target_value(&ev)); saved.set(false) } />
                </div>
                <div>
                    <label for="sender-email">"Reply-to address"</label>
                    <input id="sender-email" type="text" inputmode="email" autocomplete="off" spellcheck="false"
                        aria-describedby="sender-email-help"
                        prop:value=move || sender_email.get()
                        on:input=move |ev| { sender_email.set(event_target_value(&ev)); saved.set(false) } />
                    <p class="note" id="sender-email-help">"Where customers' replies go. Emails come from Waypost's verified sender, under your sender name."</p>
                </div>
            </div>
            <label for="tracking-page">"Tracking page"</label>
            <p class="note" id="tracking-page-help">
                "Where messages link to, with " <code>"{number}"</code> " for the tracking number, e.g. "
                <code>"https://shop.example.com/track?n={number}"</code> ". Empty: Waypost's own page."
            </p>
            <input id="tracking-page" type="url" autocomplete="off" spellcheck="false"
                aria-describedby="tracking-page-help"
                prop:value=move || tracking_page.get()
                on:input=move |ev| { tracking_page.set(event_target_value(&ev)); saved.set(false) } />
            <fieldset>
                <legend>"Quiet hours for text messages"</legend>
                <p class="note">"Texts due in these hours wait until they end. Emails and webhooks go at any hour."</p>
                <p class="check">
                    <input type="checkbox" id="quiet-on"
                        prop:checked=move || quiet.on.get()
                        on:change=move |ev| { quiet.on.set(event_target_checked(&ev)); saved.set(false) } />
                    <label for="quiet-on">"Hold texts during quiet hours"</label>
                </p>
                <div class="sender">
                    <div>
                        <label for="quiet-from">"From"</label>
                        <input id="quiet-from" type="time" step="60" required=move || quiet.on.get()
                            prop:value=move || quiet.from.get()
                            on:input=move |ev| { quiet.from.set(event_target_value(&ev)); saved.set(false) } />
                    </div>
                    <div>
                        <label for="quiet-to">"Until"</label>
                        <input id="quiet-to" type="time" step="60" required=move || quiet.on.get()
                            prop:value=move || quiet.to.get()
                            on:input=move |ev| { quiet.to.set(event_target_value(&ev)); saved.set(false) } />
                    </div>
                    <div>
                        <label for="quiet-zone">"Time zone"</label>
                        <input id="quiet-zone" type="text" autocomplete="off" spellcheck="false" placeholder="Europe/Madrid"
                            prop:value=move || quiet.zone.get()
                            on:input=move |ev| { quiet.zone.set(event_target_value(&ev)); saved.set(false) } />
                    </div>
                </div>
            </fieldset>
            <div class="actions">
                <button type="submit" id="save-notifications" disabled=move || busy.get()>"Save"</button>
                <p id="notifications-saved" role="status">{move || saved.get().then_some("Saved")}</p>
            </div>
            <p id="notifications-error" class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// The quiet-hours fields: on or off, from, until (`HH:MM`, as time inputs give them) and the
/// time zone (the browser's until the shop sets one).
#[derive(Clone, Copy)]
struct QuietFields {
    on: RwSignal<bool>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    zone: RwSignal<String>,
}

impl QuietFields {
    fn new(hours: Option<QuietHours>) -> QuietFields {
        let fields = QuietFields {
            on: RwSignal::new(false),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            zone: RwSignal::new(String::new()),
        };
        fields.show(hours);
        fields
    }

    /// Shows `hours`, or the suggestion (21:00 to 08:00 in the browser's zone) when off.
    fn show(self, hours: Option<QuietHours>) {
        self.on.set(hours.is_some());
        match hours {
            Some(hours) => {
                self.from.set(hours.from.to_string());
                self.to.set(hours.to.to_string());
                self.zone.set(hours.time_zone);
            }
            None => {
                self.from.set("21:00".into());
                self.to.set("08:00".into());
                self.zone.set(browser_time_zone());
            }
        }
    }

    /// The hours to save (none when off), or why they cannot be.
    fn read(self) -> Result<Option<QuietHours>, &'static str> {
        if !self.on.get_untracked() {
            return Ok(None);
        }
        let time = |text: String| ClockTime::parse(text.trim()).ok();
        match (
            time(self.from.get_untracked()),
            time(self.to.get_untracked()),
        ) {
            (Some(from), Some(to)) => Ok(Some(QuietHours {
                from,
                to,
                time_zone: self.zone.get_untracked().trim().to_owned(),
            })),
            _ => Err("Quiet hours need a start and an end time."),
        }
    }
}

/// The browser's IANA time zone (`Europe/Madrid`), or empty when it says none.
fn browser_time_zone() -> String {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
        .unwrap_or_default()
}

/// The shop's webhook endpoints: listed, added (the secret shown once) and removed.
#[component]
fn WebhookEndpoints(session: Session) -> impl IntoView {
    let endpoints = RwSignal::new(None::<Result<Vec<WebhookEndpointView>, Failure>>);
    spawn_local(async move {
        match api::webhook_endpoints().await {
            Err(Failure::SignedOut) => session.set(None),
            other => endpoints.set(Some(other.map(|list| list.endpoints))),
        }
    });
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = csrf(session) else {
            return;
        };
        let typed = url.get_untracked().trim().to_owned();
        secret.set(None);
        message.set(None);
        error.set(None);
        spawn_local(async move {
            match api::add_webhook_endpoint(&token, typed).await {
                Ok(mut made) => {
                    url.set(String::new());
                    secret.set(made.secret.take());
                    endpoints.update(|list| {
                        if let Some(Ok(list)) = list {
                            list.push(made);
                        }
                    });
                }
                Err(SaveFailure::Invalid(detail)) => error.set(Some(detail)),
                Err(SaveFailure::Failed(Failure::SignedOut)) => session.set(None),
                Err(SaveFailure::Failed(failure)) => {
                    error.set(Some(failure_text(failure).to_owned()))
                }
            }
        });
    };
    let remove = move |id: String| {
        let Some(token) = csrf(session) else {
            return;
        };
        message.set(None);
        error.set(None);
        spawn_local(async move {
            match api::remove_webhook_endpoint(&token, &id).await {
                Ok(()) | Err(Failure::NotFound) => {
                    endpoints.update(|list| {
                        if let Some(Ok(list)) = list {
                            list.retain(|endpoint| endpoint.id != id);
                        }
                    });
                    message.set(Some("Removed: it gets no more webhooks.".to_owned()));
                }
                Err(Failure::SignedOut) => session.set(None),
                Err(failure) => error.set(Some(failure_text(failure).to_owned())),
            }
        });
    };
    view! {
        <div class="endpoints">
            <h3 id="endpoints-title">"Webhook endpoints"</h3>
            <p>"Each gets a signed POST (Standard Webhooks) for every trigger above."</p>
            {move || match endpoints.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(failure)) => {
                    view! { <p class="error" role="alert">{failure_text(failure)}</p> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="empty" id="no-endpoints">"None yet."</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <ul class="endpoint-list" aria-labelledby="endpoints-title">
                        {list.into_iter().map(|endpoint| {
                            let id = endpoint.id.clone();
                            view! {
                                <li class="endpoint" data-endpoint=endpoint.id.clone()>
                                    <code class="endpoint-url">{endpoint.url.clone()}</code>
                                    <span class="when">" since " {endpoint.created_at.format("%Y-%m-%d").to_string()}</span>
                                    <button type="button" class="secondary remove-endpoint"
                                        on:click=move |_| remove(id.clone())>
                                        "Remove" <span class="visually-hidden">{format!(" {}", endpoint.url)}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <Show when=move || secret.with(Option::is_some)>
                <div class="new-secret">
                    <label class="field-label" for="endpoint-secret">"Signing secret"</label>
                    <p class="notice" id="endpoint-secret-note">
                        "Copy it now, it is not shown again: your endpoint checks each webhook's signature with it."
                    </p>
                    <input id="endpoint-secret" class="webhook-url" readonly spellcheck="false"
                        aria-describedby="endpoint-secret-note"
                        prop:value=move || secret.get().unwrap_or_default() />
                </div>
            </Show>
            <form class="settings" on:submit=add>
                <label for="endpoint-url">"Endpoint URL"</label>
                <input id="endpoint-url" type="url" autocomplete="off" spellcheck="false"
                    placeholder="https://"
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev)) />
                <div class="actions">
                    <button type="submit" id="add-endpoint">"Add endpoint"</button>
                    <p id="endpoints-status" role="status">{move || message.get()}</p>
                </div>
                <p id="endpoints-error" class="error" role="alert">{move || error.get()}</p>
            </form>
        </div>
    }
}

/// What causes a message, in a few words.
pub fn trigger_name(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::Shipped => "Shipped",
        Trigger::InTransitAfterSilence => "Moving again",
        Trigger::OutForDelivery => "Out for delivery",
        Trigger::AvailableForPickup => "Ready for pickup",
        Trigger::AttemptFailed => "Delivery attempt failed",
        Trigger::Delivered => "Delivered",
        Trigger::Exception => "Problem",
        Trigger::Delay => "Delayed",
        Trigger::EtaLater => "Expected later",
        Trigger::AwaitingStock => "Awaiting stock",
        Trigger::PaymentIssue => "Payment problem",
        Trigger::SubscriptionConfirmation => "Subscription confirmation",
    }
}

/// Where a message goes, in a word.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "Email",
        Channel::Sms => "SMS",
        Channel::Webhook => "Webhook",
    }
}

/// Where a message stands, in a few words.
pub fn state_name(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => "Waiting",
        DeliveryState::Sent => "Sent",
        DeliveryState::Failed => "Failed",
        DeliveryState::Dead => "Gave up",
        DeliveryState::Suppressed => "Not sent (unsubscribed)",
    }
}
