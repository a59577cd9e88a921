//! The JSON the edge returns and accepts and the widget reads: one set of types on both sides.
//! Field names are snake_case, enums lowercase strings; the shapes are pinned by snapshot tests
//! and described by the edge's OpenAPI document.

mod admin;
#[cfg(feature = "compact-json")]
pub mod compact;
mod console;
mod customers;
mod imports;
mod integrations;
mod notifications;
mod object;
mod orders;
mod problem;
mod shipments;
mod shop;
mod tracking;

pub use crate::detect::{
    Candidate, Confidence, Country, DetectOutcome, Detection, FormatInfo, InputError, NearMiss,
    RejectedInput,
};
pub use admin::{KeyCreated, KeyInput, KeyKind, ShopCreated, ShopInput};
pub use console::{ConsoleSession, ConsoleSignIn};
pub use customers::{CustomerErased, CustomerExport, CustomerOrder, CustomerShipment};
pub use imports::{ImportResult, RowError};
pub use integrations::{IntegrationInput, IntegrationView, Platform, WebhookAck, WebhookOutcome};
pub use notifications::{
    Channel, DeliveryState, NotificationList, NotificationSettings, NotificationView, QuietHours,
    Trigger, WebhookData, WebhookEndpointInput, WebhookEndpointList, WebhookEndpointView,
    WebhookPayload,
};
pub use orders::{Contact, OrderAck, OrderInput, OrderView};
pub use problem::{Liveness, Problem};
pub use shipments::{
    CarrierInfo, CarriersView, DestinationInput, DetectRequest, DetectResponse, EventBatch,
    EventBatchResult, EventInput, HealthCounts, ShipmentCounts, ShipmentInput, ShipmentList,
    ShipmentSummary, StatusCount,
};
pub use shop::{ShopSettings, ShopSettingsInput};
pub use tracking::{ActionView, CarrierRef, EtaView, EventView, MilestoneView, TrackingView};
