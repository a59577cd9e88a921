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
    HealthSchedule::of(input.status, input.last_activity, input.eta, input.route).at(input.now)
}

/// When a shipment's health changes with no news: health is a function of time, and this is that
/// function's shape, as instants a store can keep and index. "Stalled now" is then a range read
/// (`stalled_after < now`, not late) rather than an assessment of every shipment a shop holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HealthSchedule {
    /// The health time cannot change (done, or someone must act); `None` while it depends on
    /// the clock.
    pub fixed: Option<Health>,
    /// From this instant on, the shipment is late (its ETA window has passed everywhere).
    pub late_from: Option<DateTime<Utc>>,
    /// After this instant, the shipment is stalled unless late (its quiet spell is too long);
    /// `None` when it never shows stalled (no quiet limit, or late first).
    pub stalled_after: Option<DateTime<Utc>>,
}

impl HealthSchedule {
    /// The version of the rules behind [`HealthSchedule::of`] (the quiet limits, the ETA's end,
    /// what counts as done or needing action). Raise it with any change to them: stores keep it
    /// next to each stored schedule and re-derive the schedules of an older version.
    pub const VERSION: u16 = 1;

    /// The schedule of a shipment in `status`, last showing life at `last_activity`, with `eta`
    /// in force, on `route`.
    pub fn of(
        status: StatusDetail,
        last_activity: Option<DateTime<Utc>>,
        eta: Option<EtaWindow>,
        route: Route,
    ) -> Self {
        let done = status.status() == Status::Delivered
            || status.sub_status() == Some(SubStatus::Cancelled);
        let fixed = if done {
            Some(Health::Done)
        } else if !required_actions(status).is_empty() {
            Some(Health::NeedsAction)
        } else {
            None
        };
        let late_from = eta.and_then(|eta| eta.late_from());
        let stalled_after = quiet_limit(status.status(), route)
            .zip(last_activity)
            .and_then(|(limit, last)| last.checked_add_signed(limit))
            // Late wins over stalled: a stall that would only begin once late never shows.
            .filter(|quiet| late_from.is_none_or(|late| *quiet < late));
        HealthSchedule {
            fixed,
            late_from,
            stalled_after,
        }
    }

    /// The instant `health` began, for the healths time brings (late, stalled): what lists of
    /// them are ordered by.
    pub fn since(&self, health: Health) -> Option<DateTime<Utc>> {
        match health {
            Health::Late => self.late_from,
            Health::Stalled => self.stalled_after,
            Health::OnTrack | Health::NeedsAction | Health::Done => None,
        }
    }

    /// The health at `now`.
    pub fn at(&self, now: DateTime<Utc>) -> Health {
        if let Some(fixed) = self.fixed {
            fixed
        } else if self.late_from.is_some_and(|late| now >= late) {
            Health::Late
        } else if self.stalled_after.is_some_and(|quiet| now > quiet) {
            Health::Stalled
        } else {
            Health::OnTrack
        }
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

    /// The rule as it was written before the schedule: the schedule must answer the same at
    /// every moment.
    fn assess_directly(input: HealthInput) -> Health {
        let status = input.status;
        if status.status() == Status::Delivered || status.sub_status() == Some(SubStatus::Cancelled)
        {
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

    #[test]
    fn the_schedule_answers_as_the_rule_at_every_moment() {
        let statuses: Vec<StatusDetail> = Status::ALL
            .into_iter()
            .map(StatusDetail::new)
            .chain(
                [
                    SubStatus::Cancelled,
                    SubStatus::InvalidAddress,
                    SubStatus::Held,
                ]
                .into_iter()
                .map(StatusDetail::sub),
            )
            .collect();
        let routes = [DOMESTIC_EXPRESS, INTL_POSTAL, Route::default()];
        let etas = [
            None,
            EtaWindow::on("2026-11-15".parse().unwrap(), EtaSource::Carrier).ok(),
            EtaWindow::on("2026-11-25".parse().unwrap(), EtaSource::Carrier).ok(),
        ];
        for status in &statuses {
            for route in routes {
                for eta in etas {
                    for quiet_days in [None, Some(0), Some(1), Some(3), Some(10), Some(30)] {
                        let last = quiet_days.map(|days| now() - TimeDelta::days(days));
                        let schedule = HealthSchedule::of(*status, last, eta, route);
                        for hours in (-48..=24 * 40).step_by(7) {
                            let at = now() + TimeDelta::hours(hours);
                            let input = HealthInput {
                                status: *status,
                                last_activity: last,
                                eta,
                                route,
                                now: at,
                            };
                            assert_eq!(schedule.at(at), assess_directly(input), "{input:?}");
                        }
                    }
                }
            }
        }
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
