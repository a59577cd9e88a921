//! The tracking view: what `GET /v1/track/{number}` returns and the widget draws.

use serde::{Deserialize, Serialize};

use crate::action::{ActionKind, Actor};
use crate::detect::Carrier;
use crate::eta::EtaSource;
use crate::event::Place;
use crate::health::Health;
use crate::labels::Lang;
use crate::milestone::{Milestone, StepState};
use crate::status::{Status, SubStatus};
use crate::time::EventTime;

/// `GET /v1/track/{number}`: everything the widget shows for one parcel, labels included in the
/// requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingView {
    /// The tracking number, normalised.
    pub tracking_number: String,
    /// Who carries it, when known.
    pub carrier: Option<CarrierRef>,
    /// Who took it over for the last mile, once handed over, with its tracking page for the
    /// number it uses (which the hand-over event names too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_mile: Option<CarrierRef>,
    /// Current status.
    pub status: Status,
    /// Current sub-status, when known.
    pub sub_status: Option<SubStatus>,
    /// The status headline.
    pub status_label: String,
    /// The sub-status explanation.
    pub sub_status_label: Option<String>,
    /// How the shipment is doing.
    pub health: Health,
    /// The health badge.
    pub health_label: String,
    /// The five progress-bar steps.
    pub milestones: Vec<MilestoneView>,
    /// Who must do what; empty when nobody.
    pub actions: Vec<ActionView>,
    /// When it should arrive.
    pub eta: Option<EtaView>,
    /// The timeline, newest first.
    pub events: Vec<EventView>,
    /// The shop's order reference, when the shipment belongs to an order.
    pub order_reference: Option<String>,
    /// Destination, no finer than the city.
    pub destination: Option<Place>,
    /// True when the carrier could not be asked and this is the last known answer.
    pub stale: bool,
    /// Age of the answer in seconds, when served stale.
    pub age_seconds: Option<u64>,
    /// The language of the labels.
    pub lang: Lang,
}

impl TrackingView {
    /// The events grouped by their own local calendar day: consecutive runs, newest first, as the
    /// widget's timeline shows them.
    pub fn events_by_local_day(&self) -> Vec<(chrono::NaiveDate, &[EventView])> {
        self.events
            .chunk_by(|a, b| a.time.local_time().date() == b.time.local_time().date())
            .map(|run| (run[0].time.local_time().date(), run))
            .collect()
    }
}

/// A carrier, as shown to customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierRef {
    /// The carrier's code.
    pub code: Carrier,
    /// Its name.
    pub name: String,
    /// Its public tracking page for this number.
    pub tracking_url: Option<String>,
}

/// One progress-bar step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneView {
    /// Which step.
    pub milestone: Milestone,
    /// Done, current or upcoming.
    pub state: StepState,
    /// A problem on the current step.
    pub warning: bool,
    /// The step's label.
    pub label: String,
}

/// Something someone must do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    /// Who.
    pub actor: Actor,
    /// What.
    pub kind: ActionKind,
    /// The action in words.
    pub label: String,
}

/// The ETA window with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtaView {
    /// First day.
    #[serde(with = "crate::iso::date")]
    pub from: chrono::NaiveDate,
    /// Last day.
    #[serde(with = "crate::iso::date")]
    pub to: chrono::NaiveDate,
    /// Where the estimate comes from.
    pub source: EtaSource,
    /// The window in words (`Nov 24 – Nov 26`).
    pub label: String,
    /// The source in words.
    pub source_label: String,
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    /// When, in the event's own local time.
    pub time: EventTime,
    /// The time in words, with its offset (`Nov 20, 2:05 PM, UTC−5`).
    pub time_label: String,
    /// Status at this event.
    pub status: Status,
    /// Sub-status at this event.
    pub sub_status: Option<SubStatus>,
    /// The status in words.
    pub label: String,
    /// The carrier's own words: plain text, never HTML.
    pub description: String,
    /// Where, no finer than the city.
    pub location: Option<Place>,
    /// The carrier's raw code.
    pub carrier_code: Option<String>,
    /// The carrier that reported it, when the journey spans several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
}
