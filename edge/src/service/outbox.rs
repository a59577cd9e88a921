//! The notification queue's messages. A notice written to the outbox is handed to the queue by
//! id; its consumer makes the notice's messages (one per channel and recipient) and hands each to
//! the queue in turn, so each message is retried on its own.

use serde::{Deserialize, Serialize};

/// A message on the notification queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxMessage {
    /// A notice to make the messages of.
    Notice {
        /// The notice's id (`ntc_...`).
        id: String,
    },
    /// One message to send.
    Delivery {
        /// The message's id (`msg_...`).
        id: String,
    },
}
