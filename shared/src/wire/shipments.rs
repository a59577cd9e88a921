//! Shipments and their events, as retailers and suppliers push them and list them; detection
//! and carrier listings.

use serde::{Deserialize, Serialize};

use crate::detect::{Carrier, DetectOutcome, FormatInfo};
use crate::eta::EtaWindow;
use crate::event::Place;
use crate::health::{Health, Scope, ServiceLevel};
use crate::status::{Status, SubStatus};

/// Where a shipment goes. The postal code is private (it narrows the address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationInput {
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Region or state.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code (private).
    #[serde(default)]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default)]
    pub country: Option<String>,
}

/// `PUT /v1/shipments/{number}`: registers (or updates) a parcel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShipmentInput {
    /// The order it belongs to.
    #[serde(default)]
    pub order_number: Option<String>,
    /// The carrier; detected from the number when absent.
    #[serde(default)]
    pub carrier: Option<Carrier>,
    /// Where it goes.
    #[serde(default, deserialize_with = "super::object::object")]
    pub destination: DestinationInput,
    /// Domestic or international (decides how long a quiet spell is normal).
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Express, standard or postal.
    #[serde(default)]
    pub service_level: Option<ServiceLevel>,
    /// The carrier's or shop's ETA.
    #[serde(default, deserialize_with = "super::object::optional_object")]
    pub eta: Option<EtaWindow>,
    /// The day it was handed over, for the estimated ETA.
    #[serde(default)]
    pub shipped_on: Option<chrono::NaiveDate>,
}

/// One event as pushed. `time` is RFC 3339 with an offset (`2026-11-20T14:05:00-05:00`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// When, with its UTC offset.
    pub time: String,
    /// IANA zone of the place, when known.
    #[serde(default)]
    pub zone: Option<String>,
    /// Status.
    pub status: Status,
    /// Sub-status.
    #[serde(default)]
    pub sub_status: Option<SubStatus>,
    /// The carrier's words.
    pub description: String,
    /// Where, no finer than the city.
    #[serde(default, deserialize_with = "super::object::optional_object")]
    pub location: Option<Place>,
    /// The carrier's raw code.
    #[serde(default)]
    pub carrier_code: Option<String>,
}

/// `POST /v1/shipments/{number}/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// The events, any order; repeats are stored once.
    #[serde(deserialize_with = "super::object::objects")]
    pub events: Vec<EventInput>,
}

/// What an events batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventBatchResult {
    /// Events in the batch.
    pub received: usize,
    /// Events stored for the first time.
    pub stored: usize,
    /// Events already known (sent before, or twice in the batch).
    pub duplicates: usize,
}

/// One line of a retailer's shipment list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentSummary {
    /// Tracking number.
    pub tracking_number: String,
    /// Carrier.
    pub carrier: Option<Carrier>,
    /// The order it belongs to.
    pub order_number: Option<String>,
    /// Current status.
    pub status: Status,
    /// Current sub-status.
    pub sub_status: Option<SubStatus>,
    /// Health now.
    pub health: Health,
    /// When the last event happened (UTC, when known).
    pub last_event_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The ETA in force.
    pub eta: Option<EtaWindow>,
}

/// `GET /v1/shipments`: a page of the retailer's shipments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentList {
    /// This page.
    pub shipments: Vec<ShipmentSummary>,
    /// Pass as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// `GET /v1/shipments/counts`: how many shipments a shop holds, by status and by health now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentCounts {
    /// Every shipment.
    pub total: u64,
    /// One line per status, every status listed (zero included).
    pub by_status: Vec<StatusCount>,
    /// By health now; the five add up to `total`.
    pub by_health: HealthCounts,
}

/// How many shipments have one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// How many.
    pub shipments: u64,
}

/// How many shipments have each health now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCounts {
    /// Moving as expected.
    pub on_track: u64,
    /// Quiet for too long.
    pub stalled: u64,
    /// Past their ETA.
    pub late: u64,
    /// Someone must act.
    pub needs_action: u64,
    /// Delivered or cancelled.
    pub done: u64,
}

impl HealthCounts {
    /// How many have `health`.
    pub fn of(&self, health: Health) -> u64 {
        match health {
            Health::OnTrack => self.on_track,
            Health::Stalled => self.stalled,
            Health::Late => self.late,
            Health::NeedsAction => self.needs_action,
            Health::Done => self.done,
        }
    }
}

/// `POST /v1/detect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectRequest {
    /// Up to 1,000 numbers as typed.
    pub numbers: Vec<String>,
}

/// The answer to `POST /v1/detect`, one entry per number, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectResponse {
    /// One outcome per number.
    pub results: Vec<DetectOutcome>,
}

/// `GET /v1/carriers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriersView {
    /// Every carrier with its code and name.
    pub carriers: Vec<CarrierInfo>,
    /// Every tracking-number format detection knows.
    pub formats: Vec<FormatInfo>,
}

/// A carrier as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierInfo {
    /// Code.
    pub code: Carrier,
    /// Name.
    pub name: String,
}
