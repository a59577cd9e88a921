//! The five-step progress bar: ordered → shipped → in transit → out for delivery (or ready for
//! pickup) → delivered.

use serde::{Deserialize, Serialize};

use crate::status::{Status, StatusDetail, SubStatus};

crate::wire_enum! {
    /// A step of the progress bar.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Milestone {
        /// The order was placed.
        Ordered = "ordered",
        /// The parcel was handed over (or a label created).
        Shipped = "shipped",
        /// The carrier is moving it.
        InTransit = "in_transit",
        /// On the delivery vehicle.
        OutForDelivery = "out_for_delivery",
        /// Waiting at a pickup location (replaces out for delivery on pickup journeys).
        ReadyForPickup = "ready_for_pickup",
        /// Delivered.
        Delivered = "delivered",
    }
}

crate::wire_enum! {
    /// Where a step stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum StepState {
        /// Reached and left behind.
        Done = "done",
        /// Where the parcel is now.
        Current = "current",
        /// Not reached yet.
        Upcoming = "upcoming",
    }
}

/// One step of the bar, as the widget draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MilestoneStep {
    /// Which step.
    pub milestone: Milestone,
    /// Done, current or upcoming.
    pub state: StepState,
    /// True on the current step when the parcel has a problem there.
    pub warning: bool,
}

/// The progress bar for a shipment in `current` status, whose timeline went through `history`
/// (any order). Problem statuses (exception, expired, not found) stay on the furthest step the
/// parcel reached, with a warning.
pub fn milestones(
    current: StatusDetail,
    history: impl IntoIterator<Item = Status>,
) -> [MilestoneStep; 5] {
    let mut furthest = None;
    let mut via_pickup = current.status() == Status::AvailableForPickup
        || current.sub_status() == Some(SubStatus::Collected);
    for status in history {
        via_pickup |= status == Status::AvailableForPickup;
        furthest = furthest.max(progress_step(status));
    }
    let (current_step, warning) = match progress_step(current.status()) {
        Some(step) => (step, has_warning(current)),
        None => {
            let fallback = if current.status() == Status::NotFound {
                1
            } else {
                2
            };
            let not_yet_scanned = current.sub_status() == Some(SubStatus::NotYetScanned);
            (furthest.unwrap_or(fallback), !not_yet_scanned)
        }
    };
    let fourth = if via_pickup {
        Milestone::ReadyForPickup
    } else {
        Milestone::OutForDelivery
    };
    let steps = [
        Milestone::Ordered,
        Milestone::Shipped,
        Milestone::InTransit,
        fourth,
        Milestone::Delivered,
    ];
    let delivered = current.status() == Status::Delivered;
    let mut index = 0;
    steps.map(|milestone| {
        let state = match index.cmp(&current_step) {
            _ if delivered => StepState::Done,
            std::cmp::Ordering::Less => StepState::Done,
            std::cmp::Ordering::Equal => StepState::Current,
            std::cmp::Ordering::Greater => StepState::Upcoming,
        };
        index += 1;
        MilestoneStep {
            milestone,
            state,
            warning: warning && state == StepState::Current,
        }
    })
}

/// The step index (0–4) a progress status puts the parcel on; `None` for problem statuses.
fn progress_step(status: Status) -> Option<usize> {
    match status {
        Status::Pending => Some(0),
        Status::InfoReceived => Some(1),
        Status::InTransit => Some(2),
        Status::OutForDelivery | Status::AvailableForPickup | Status::AttemptFailed => Some(3),
        Status::Delivered => Some(4),
        Status::Exception | Status::Expired | Status::NotFound => None,
    }
}

fn has_warning(detail: StatusDetail) -> bool {
    use SubStatus::*;
    detail.status() == Status::AttemptFailed
        || matches!(
            detail.sub_status(),
            Some(PaymentIssue | CustomsHeld | DutiesDue | Delayed)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(steps: [MilestoneStep; 5]) -> String {
        steps
            .iter()
            .map(|s| match (s.state, s.warning) {
                (StepState::Done, _) => 'd',
                (StepState::Current, false) => 'C',
                (StepState::Current, true) => '!',
                (StepState::Upcoming, _) => '.',
            })
            .collect()
    }

    #[test]
    fn progress_statuses() {
        assert_eq!(states(milestones(Status::Pending.into(), [])), "C....");
        assert_eq!(
            states(milestones(SubStatus::LabelCreated.into(), [])),
            "dC..."
        );
        assert_eq!(states(milestones(Status::InTransit.into(), [])), "ddC..");
        assert_eq!(
            states(milestones(Status::OutForDelivery.into(), [])),
            "dddC."
        );
        assert_eq!(
            states(milestones(SubStatus::InvalidAddress.into(), [])),
            "ddd!."
        );
        assert_eq!(states(milestones(SubStatus::DutiesDue.into(), [])), "dd!..");
        assert_eq!(states(milestones(Status::Delivered.into(), [])), "ddddd");
    }

    #[test]
    fn problems_stay_where_the_parcel_got_to() {
        let history = [Status::OutForDelivery, Status::InTransit];
        assert_eq!(
            states(milestones(SubStatus::Damaged.into(), history)),
            "ddd!."
        );
        assert_eq!(states(milestones(Status::Exception.into(), [])), "dd!..");
        assert_eq!(
            states(milestones(SubStatus::NotYetScanned.into(), [])),
            "dC..."
        );
        assert_eq!(
            states(milestones(SubStatus::UnknownNumber.into(), [])),
            "d!..."
        );
    }

    #[test]
    fn pickup_journeys_show_ready_for_pickup() {
        let ready = milestones(SubStatus::Locker.into(), []);
        assert_eq!(ready[3].milestone, Milestone::ReadyForPickup);
        assert_eq!(ready[3].state, StepState::Current);
        let collected = milestones(Status::Delivered.into(), [Status::AvailableForPickup]);
        assert_eq!(collected[3].milestone, Milestone::ReadyForPickup);
        assert_eq!(
            milestones(Status::Delivered.into(), [])[3].milestone,
            Milestone::OutForDelivery
        );
    }
}
