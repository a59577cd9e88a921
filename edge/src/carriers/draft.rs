//! Events whose status may still be unknown when they are read. FedEx and DHL send notes that
//! say nothing about where the parcel is ("delivery option requested"); such an event keeps the
//! status of the event before it in time instead of moving the parcel.

use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::status::{Status, StatusDetail};
use waypost_shared::time::EventTime;

/// A carrier event read so far, its status possibly still unknown.
pub(crate) struct Draft {
    /// When it happened.
    pub(crate) time: EventTime,
    /// Its own status; `None` when its codes and words say nothing recognisable.
    pub(crate) status: Option<StatusDetail>,
    /// The carrier's words, else its code; `None` when it sent neither (the status then names
    /// the event).
    pub(crate) description: Option<String>,
    /// Where it happened, no finer than the city.
    pub(crate) location: Option<Place>,
    /// The raw carrier code kept.
    pub(crate) carrier_code: Option<String>,
}

/// Turns drafts into events: a draft without a status of its own keeps the status of the event
/// before it in time ([`Status::InfoReceived`] when none came before). Carrier order is kept.
pub(crate) fn finish(drafts: Vec<Draft>) -> Vec<TrackingEvent> {
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| drafts.get(i).map(|d| d.time.sort_key()));
    let mut statuses = vec![StatusDetail::new(Status::InfoReceived); drafts.len()];
    let mut last = StatusDetail::new(Status::InfoReceived);
    for i in order {
        if let Some(status) = drafts.get(i).and_then(|d| d.status) {
            last = status;
        }
        if let Some(slot) = statuses.get_mut(i) {
            *slot = last;
        }
    }
    drafts
        .into_iter()
        .zip(statuses)
        .map(|(draft, status)| TrackingEvent {
            time: draft.time,
            status,
            description: draft
                .description
                .unwrap_or_else(|| status.status().as_str().to_owned()),
            location: draft.location,
            carrier_code: draft.carrier_code,
            carrier: None,
        })
        .collect()
}
