//! The service: everything the API does, written against [`store::Store`] and
//! [`store::Runtime`] so it is tested on the host without workerd.

pub mod admin;
pub mod answers;
pub mod auth;
pub mod carrier_lookup;
pub mod carrier_push;
pub mod carrier_state;
pub mod carrier_sync;
pub mod console_sessions;
pub mod customers;
pub mod events;
pub mod health_upkeep;
pub mod import_csv;
pub mod imports;
pub mod inbound;
pub mod integrations;
pub mod links;
pub mod list_cursor;
pub mod live;
pub mod merge;
pub mod notice_causes;
pub mod notice_content;
pub mod notification_settings;
pub mod notification_store;
pub mod notify;
pub mod notify_channels;
pub mod orders;
pub mod outbox;
pub mod projection;
pub mod quiet_hours;
pub mod refresh;
pub mod sealing;
pub mod shipments;
pub mod shipments_csv;
pub mod shop_settings;
pub mod shopify;
pub mod signature;
pub mod single_flight;
pub mod store;
pub mod subscriptions;
pub mod tracking;
pub mod tracking_number;
pub mod validate;
pub mod woocommerce;

#[cfg(test)]
mod aggregator_tests;
#[cfg(test)]
mod answers_tests;
#[cfg(test)]
mod console_sessions_tests;
#[cfg(test)]
mod health_list_tests;
#[cfg(test)]
mod imports_tests;
#[cfg(test)]
mod inbound_tests;
#[cfg(test)]
mod live_tests;
#[cfg(test)]
pub mod memory;
#[cfg(test)]
pub mod test_carriers;
#[cfg(test)]
mod tests;
