//! The notification queue on workerd: the providers' accounts from the Worker's vars and
//! secrets, and the consumer of the queue and of its dead-letter queue.

use worker::{
    Env, Message, MessageBatch, MessageBuilder, MessageExt, Queue, QueueRetryOptionsBuilder,
    console_error, console_log,
};

use crate::app::App;
use crate::platform::fetch_http::FetchHttp;
use crate::service::notify::{self, Handled, NotifyConfig};
use crate::service::notify_channels::{EmailAccount, SmsAccount};
use crate::service::outbox::OutboxMessage;
use crate::service::store::Runtime;

/// The producer binding of the queue.
pub const BINDING: &str = "NOTIFY_QUEUE";

/// Notices, and messages, the Cron Trigger's sweep hands to the queue again per run, at most.
const SWEEP_BATCH: usize = 100;

/// Minutes a message may stay pending, unheld, before the sweep hands it to the queue again
/// (longer than a retry's backoff while the provider is briefly down).
const STALE_DELIVERY_MINUTES: i64 = 30;

/// Delay notices the Cron Trigger's delay pass writes per run, at most (the rest the next run).
const DELAY_BATCH: usize = 200;

/// How far back the delay pass looks for shipments that turned stalled or late: a shipment that
/// turned so while the Cron Trigger did not run for longer than this is not told.
const DELAY_LOOKBACK_DAYS: i64 = 7;

/// Seconds before a message whose handling failed (not its attempt: storage, say) comes back.
const FAILED_HANDLING_DELAY: u32 = 30;

/// Postmark when `EMAIL_BASE_URL`, `EMAIL_API_KEY` and `EMAIL_FROM` are set; Twilio when
/// `TWILIO_BASE_URL`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN` and `TWILIO_FROM` are; the links
/// in messages on `PUBLIC_URL`.
pub fn notify_config(env: &Env) -> NotifyConfig {
    let email = (|| {
        Some(EmailAccount {
            base_url: text(env, "EMAIL_BASE_URL")?,
            server_token: text(env, "EMAIL_API_KEY")?,
            from: text(env, "EMAIL_FROM")?,
        })
    })();
    let sms = (|| {
        Some(SmsAccount {
            base_url: text(env, "TWILIO_BASE_URL")?,
            account_sid: text(env, "TWILIO_ACCOUNT_SID")?,
            auth_token: text(env, "TWILIO_AUTH_TOKEN")?,
            from: text(env, "TWILIO_FROM")?,
        })
    })();
    NotifyConfig {
        email,
        sms,
        public_url: text(env, "PUBLIC_URL"),
    }
}

/// A var or secret, when set and not blank.
fn text(env: &Env, name: &str) -> Option<String> {
    let value = env.var(name).ok()?.to_string();
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Handles a batch: from the queue, a notice's messages are made and each handed back to the
/// queue, and a message is attempted (acknowledged when done, retried after its backoff); from
/// the dead-letter queue, a message is marked dead.
pub async fn consume(app: &App<'_>, batch: &MessageBatch<OutboxMessage>) {
    let dead_letters = batch.queue().ends_with("-dlq");
    let config = notify_config(app.env);
    let sealing = app.sealing_key();
    let link_key = app.link_key();
    for message in batch.iter() {
        let message = match message {
            Ok(message) => message,
            Err(error) => {
                console_error!("notification queue: unreadable message: {error}");
                continue;
            }
        };
        let handled = match (dead_letters, message.body()) {
            (true, OutboxMessage::Delivery { id }) => notify::bury(&app.store, &app.runtime, id)
                .await
                .map(|()| Handled::Done),
            // A notice whose fan-out kept failing: the Cron Trigger's sweep tries it again.
            (true, OutboxMessage::Notice { .. }) => Ok(Handled::Done),
            (false, OutboxMessage::Notice { id }) => {
                match notify::fan_out(&app.store, &app.runtime, id).await {
                    Ok(deliveries) => {
                        hand_over(app, deliveries).await;
                        Ok(Handled::Done)
                    }
                    Err(error) => Err(error),
                }
            }
            (false, OutboxMessage::Delivery { id }) => {
                notify::deliver(
                    &app.store,
                    &app.runtime,
                    &FetchHttp,
                    &config,
                    (sealing.as_ref(), link_key.as_ref()),
                    id,
                )
                .await
            }
        };
        match handled {
            Ok(Handled::Done) => message.ack(),
            Ok(Handled::Retry { delay_secs }) => retry_in(&message, delay_secs),
            // Handed over anew, or, when the queue does not take it, its own retry brings
            // it back instead.
            Ok(Handled::Later { delay_secs }) => {
                if send_later(app, message.body().clone(), delay_secs).await {
                    message.ack();
                } else {
                    retry_in(&message, delay_secs);
                }
            }
            Err(error) => {
                console_error!("notification queue: {error}");
                retry_in(&message, FAILED_HANDLING_DELAY);
            }
        }
    }
}

/// Has the queue deliver `message` again in `delay_secs`.
fn retry_in(message: &Message<OutboxMessage>, delay_secs: u32) {
    message.retry_with_options(
        &QueueRetryOptionsBuilder::new()
            .with_delay_seconds(delay_secs)
            .build(),
    );
}

/// The queue's producer binding; `None`, said in the log, when the deployment lacks it.
fn queue(app: &App<'_>) -> Option<Queue> {
    app.env
        .queue(BINDING)
        .inspect_err(|_| console_error!("notification queue: the {BINDING} binding is missing"))
        .ok()
}

/// Hands `message` to the queue, due in `delay_secs`; whether the queue took it.
async fn send_later(app: &App<'_>, message: OutboxMessage, delay_secs: u32) -> bool {
    let Some(queue) = queue(app) else {
        return false;
    };
    let later = MessageBuilder::new(message)
        .delay_seconds(delay_secs)
        .build();
    queue
        .send(later)
        .await
        .inspect_err(|error| console_error!("notification queue: {error}"))
        .is_ok()
}

/// Queue messages per `sendBatch` call, at most (the Queues limit).
const SEND_BATCH: usize = 100;

/// Hands `messages` to `queue` a hundred per call, so an import of thousands of rows costs tens of
/// calls, not thousands (best effort: what the queue does not take, the Cron Trigger's sweep
/// hands over again).
pub async fn enqueue(queue: &Queue, messages: impl IntoIterator<Item = OutboxMessage>) {
    let messages: Vec<OutboxMessage> = messages.into_iter().collect();
    for chunk in messages.chunks(SEND_BATCH) {
        if let Err(error) = queue.send_batch(chunk.to_vec()).await {
            console_error!("notification queue: {error}");
        }
    }
}

/// Hands messages to the queue, one queue message each (each is retried on its own); one the
/// queue does not take is found by the next fan-out of its notice.
pub async fn hand_over(app: &App<'_>, deliveries: Vec<String>) {
    let Some(queue) = queue(app) else {
        return;
    };
    let messages = deliveries
        .into_iter()
        .map(|id| OutboxMessage::Delivery { id });
    enqueue(&queue, messages).await;
}

/// The Cron Trigger's sweep: notices written a while ago whose messages were never made, and
/// messages made a while ago still pending and held by no attempt (their queue message was lost,
/// e.g. to a restart), go to the queue again; an attempt's claim keeps a message from being sent
/// twice.
pub async fn sweep(app: &App<'_>) {
    let now = app.runtime.now();
    let notices =
        notify::unsent(&app.store, now - chrono::TimeDelta::minutes(5), SWEEP_BATCH).await;
    let deliveries = notify::stale(
        &app.store,
        now - chrono::TimeDelta::minutes(STALE_DELIVERY_MINUTES),
        now,
        SWEEP_BATCH,
    )
    .await;
    let (notices, deliveries) = match (notices, deliveries) {
        (Ok(notices), Ok(deliveries)) => (notices, deliveries),
        (Err(error), _) | (_, Err(error)) => {
            console_error!("notification sweep failed: {error}");
            return;
        }
    };
    let Some(queue) = queue(app) else {
        return;
    };
    let messages = notices
        .into_iter()
        .map(|id| OutboxMessage::Notice { id })
        .chain(
            deliveries
                .into_iter()
                .map(|id| OutboxMessage::Delivery { id }),
        );
    enqueue(&queue, messages).await;
}

/// The Cron Trigger's delay pass: a delay notice for each shipment that turned stalled or late
/// lately (once per episode), each handed to the queue; one the queue does not take is sent by
/// the sweep.
pub async fn delays(app: &App<'_>) {
    let now = app.runtime.now();
    let since = now - chrono::TimeDelta::days(DELAY_LOOKBACK_DAYS);
    let ids = match notify::notice_delays(&app.store, now, since, DELAY_BATCH).await {
        Ok(ids) => ids,
        Err(error) => {
            console_error!("delay notices failed: {error}");
            return;
        }
    };
    console_log!("delay notices: {} written", ids.len());
    let Some(queue) = queue(app) else {
        return;
    };
    enqueue(
        &queue,
        ids.into_iter().map(|id| OutboxMessage::Notice { id }),
    )
    .await;
}
