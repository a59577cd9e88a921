//! The platform adapters: the service's small traits on workerd's D1, KV, clock and environment.

pub mod carrier_env;
pub mod d1_notification_settings;
pub mod d1_store;
pub mod edge_cache;
pub mod fetch_http;
pub mod kv_cache;
pub mod notify_queue;
pub mod runtime;
