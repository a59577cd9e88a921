//! Is the shipment fine? The answer a retailer's "needs attention" list and delay notices use.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::action::required_actions;
use crate::eta::EtaWindow;
use crate::status::{Status, StatusDetail, SubStatus};

crate::wire_enum! {
    /// How a shipment is doing.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Health {
        /// Moving as expected.
        OnTrack = "on_track",
        /// No new event for longer than is normal for its status and route.
        Stalled = "stalled",
        /// Past the end of its ETA window.
        Late = "late",
        /// Someone (customer or retailer) must act.
        NeedsAction = "needs_action",
        /// Finished: delivered or cancelled.
        Done = "done",
    }
}

crate::wire_enum! {
    /// Whether the parcel crosses a border.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Scope {
        /// Same country.
        #[default]
        Domestic = "domestic",
        /// Crosses a border (customs, long hauls).
        International = "international",
    }
}

crate::wire_enum! {
    /// How fast the service is meant to be.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum ServiceLevel {
        /// Express couriers (next-day, 2-day, international express).
        Express = "express",
        /// Ordinary parcel services.
        #[default]
        Standard = "standard",
        /// National posts and UPU mail: slow and quiet for long stretches.
        Postal = "postal",
    }
}

/// The journey's kind, which sets how long a quiet spell is normal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Route {
    /// Domestic or international.
    pub scope: Scope,
    /// Express, standard or postal.
    pub service: ServiceLevel,
}

/// What [`assess`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct HealthInput {
    /// The current status.
    pub status: StatusDetail,
    /// The latest moment the shipment last showed life (see [`crate::time::EventTime::latest_utc`]),
    /// or when it was registered if it has no event yet.
    pub last_activity: Option<DateTime<Utc>>,
    /// The ETA window in force, if any.
    pub eta: Option<EtaWindow>,
    /// The route.
    pub route: Route,
    /// Now.
    pub now: DateTime<Utc>,
}

/// Judges a shipment. The most pressing finding wins: done, then needs action, then late, then
/// stalled.
pub fn assess(input: HealthInput) -> Health {
    let status = input.status;
    if status.status() == Status::Delivered || status.sub_status() == Some(SubStatus::Cancelled) {
        return Health::Done;
    }
    if !required_actions(status).is_empty() {
        return Health::NeedsAction;
    }
    if input.eta.is_some_and(|eta| eta.has_passed(input.now)) {
        return Health::Late;
    }
    let quiet_too_long = quiet_limit(status.status(), input.route)
        .zip(input.last_activity)
        .is_some_and(|(limit, last)| input.now - last > limit);
    if quiet_too_long {
        Health::Stalled
    } else {
        Health::OnTrack
    }
}

/// How long a shipment in `status` may normally go without an event on `route`. `None` for
/// statuses that wait on a person (pickup, failed attempt) or are over.
///
/// | status | dom. express | dom. standard | dom. postal | intl. express | intl. standard | intl. postal |
/// |---|---|---|---|---|---|---|
/// | pending | 3 d | 3 d | 3 d | 5 d | 5 d | 5 d |
/// | info_received, not_found | 2 d | 3 d | 3 d | 3 d | 7 d | 7 d |
/// | in_transit | 2 d | 4 d | 5 d | 4 d | 7 d | 14 d |
/// | out_for_delivery | 36 h | 36 h | 36 h | 36 h | 36 h | 36 h |
pub fn quiet_limit(status: Status, route: Route) -> Option<TimeDelta> {
    use ServiceLevel::*;
    let international = route.scope == Scope::International;
    let days = match status {
        Status::Pending => {
            if international {
                5
            } else {
                3
            }
        }
        Status::InfoReceived | Status::NotFound => match (international, route.service) {
            (false, Express) => 2,
            (false, _) | (true, Express) => 3,
            (true, _) => 7,
        },
        Status::InTransit => match (international, route.service) {
            (false, Express) => 2,
            (false, Standard) => 4,
            (false, Postal) => 5,
            (true, Express) => 4,
            (true, Standard) => 7,
            (true, Postal) => 14,
        },
        Status::OutForDelivery => return Some(TimeDelta::hours(36)),
        _ => return None,
    };
    Some(TimeDelta::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eta::EtaSource;

    fn now() -> DateTime<Utc> {
        "2026-11-21T12:00:00Z".parse().unwrap()
    }

    fn input(status: impl Into<StatusDetail>, quiet_days: i64, route: Route) -> HealthInput {
        HealthInput {
            status: status.into(),
            last_activity: Some(now() - TimeDelta::days(quiet_days)),
            eta: None,
            route,
            now: now(),
        }
    }

    const DOMESTIC_EXPRESS: Route = Route {
        scope: Scope::Domestic,
        service: ServiceLevel::Express,
    };
    const INTL_POSTAL: Route = Route {
        scope: Scope::International,
        service: ServiceLevel::Postal,
    };

    #[test]
    fn postal_international_goes_quiet_longer_than_domestic_express() {
        assert_eq!(
            assess(input(Status::InTransit, 3, DOMESTIC_EXPRESS)),
            Health::Stalled
        );
        assert_eq!(
            assess(input(Status::InTransit, 3, INTL_POSTAL)),
            Health::OnTrack
        );
        assert_eq!(
            assess(input(Status::InTransit, 15, INTL_POSTAL)),
            Health::Stalled
        );
    }

    #[test]
    fn precedence_done_action_late_stalled() {
        assert_eq!(
            assess(input(Status::Delivered, 90, DOMESTIC_EXPRESS)),
            Health::Done
        );
        assert_eq!(
            assess(input(SubStatus::Cancelled, 90, DOMESTIC_EXPRESS)),
            Health::Done
        );
        assert_eq!(
            assess(input(SubStatus::InvalidAddress, 0, DOMESTIC_EXPRESS)),
            Health::NeedsAction
        );
        let mut late = input(Status::InTransit, 10, DOMESTIC_EXPRESS);
        late.eta = EtaWindow::on("2026-11-15".parse().unwrap(), EtaSource::Carrier).ok();
        assert_eq!(assess(late), Health::Late);
        late.eta = EtaWindow::on("2026-11-25".parse().unwrap(), EtaSource::Carrier).ok();
        assert_eq!(assess(late), Health::Stalled);
    }

    #[test]
    fn waiting_on_people_is_never_stalled() {
        assert_eq!(
            quiet_limit(Status::AvailableForPickup, Route::default()),
            None
        );
        assert_eq!(
            assess(input(Status::InTransit, 1, Route::default())),
            Health::OnTrack
        );
    }
}
