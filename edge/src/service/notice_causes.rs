//! What a change of a shipment causes to be told: pure. A notice is written for a cause only
//! when the change makes it true (the status moves to out for delivery, the ETA moves later...),
//! each with an episode that names it, so a cause is told once however often, in whatever order
//! or however concurrently the same events arrive: the outbox's unique key (shop, shipment,
//! trigger, episode) keeps one notice per episode.

use chrono::{DateTime, Utc};
use waypost_shared::event::TrackingEvent;
use waypost_shared::status::Status;
use waypost_shared::wire::Trigger;

use waypost_shared::timeline::Timeline;

use super::projection::health_schedule;
use super::store::{ShipmentHistory, ShipmentRecord, ShopRecord};

/// One thing to tell: its trigger and the episode that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// What happened.
    pub trigger: Trigger,
    /// Which occurrence: a second delivery attempt is a new episode, the same attempt
    /// reported again is not.
    pub episode: String,
}

/// A notice to write with the change that causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    /// Its id (`ntc_...`), made before the write.
    pub id: String,
    /// The cause.
    pub cause: Cause,
    /// When it was caused.
    pub at: DateTime<Utc>,
}

/// The trigger a shipment reaching `status` fires, if any.
pub fn status_trigger(status: Status) -> Option<Trigger> {
    match status {
        Status::OutForDelivery => Some(Trigger::OutForDelivery),
        Status::AvailableForPickup => Some(Trigger::AvailableForPickup),
        Status::AttemptFailed => Some(Trigger::AttemptFailed),
        Status::Delivered => Some(Trigger::Delivered),
        Status::Exception => Some(Trigger::Exception),
        Status::Pending
        | Status::InfoReceived
        | Status::InTransit
        | Status::Expired
        | Status::NotFound => None,
    }
}

/// What writing `after` (with its whole timeline, newest first) over `before` (as read; `None`
/// for a shipment not stored yet) causes:
/// - its registration for an order: [`Trigger::Shipped`], once per shipment;
/// - a new current status with a trigger: that one only (a jump from in transit to delivered
///   tells "delivered", not every step skipped), its episode the first event of the current run
///   of that status (so the same run reported again is the same episode, a later run a new one);
///   "delivered" once per shipment;
/// - an ETA whose last day moved later: [`Trigger::EtaLater`], its episode the new last day.
pub fn caused(
    before: Option<&ShipmentRecord>,
    after: &ShipmentRecord,
    timeline: &[TrackingEvent],
) -> Vec<Cause> {
    let mut causes = Vec::new();
    let had_order = before.is_some_and(|before| before.order_number.is_some());
    if let (false, Some(order)) = (had_order, after.order_number.as_deref()) {
        causes.push(Cause {
            trigger: Trigger::Shipped,
            episode: order.to_owned(),
        });
    }
    // A number first seen in a look-up (typed into the widget, answered by a carrier) and not
    // part of an order tells no one: only what the shop registered or ordered is told.
    if before.is_none() && after.order_number.is_none() {
        return causes;
    }
    let status_before = before.map(|before| before.status);
    if status_before != Some(after.status)
        && let Some(trigger) = status_trigger(after.status)
        && let Some(episode) = episode(after.status, timeline)
    {
        causes.push(Cause { trigger, episode });
    }
    if let (Some(was), Some(now)) = (before.and_then(|b| b.eta_to), after.eta_to)
        && now > was
    {
        causes.push(Cause {
            trigger: Trigger::EtaLater,
            episode: now.to_string(),
        });
    }
    causes
}

/// What a merge at `now` caused: [`caused`] over the merged history's timeline, and
/// [`Trigger::InTransitAfterSilence`] when a shipment quiet for longer than its route allows
/// moves again (a new newest event in transit; its episode that event's instant).
pub fn of_merge(
    shop: &ShopRecord,
    before: Option<&ShipmentRecord>,
    after: &ShipmentHistory,
    now: DateTime<Utc>,
) -> Vec<Cause> {
    let timeline = Timeline::new(after.events.iter().cloned());
    let mut causes = caused(before, &after.shipment, timeline.events());
    // Quiet for longer than its route allows (whether or not it is also late by now).
    let was_stalled = before.is_some_and(|before| {
        let schedule = health_schedule(shop, before);
        schedule.fixed.is_none() && schedule.stalled_after.is_some_and(|after| after < now)
    });
    let moved = before.is_some_and(|before| after.shipment.last_event_at > before.last_event_at);
    if was_stalled
        && moved
        && after.shipment.status == Status::InTransit
        && let Some(at) = after.shipment.last_event_at
    {
        causes.push(Cause {
            trigger: Trigger::InTransitAfterSilence,
            episode: at.to_rfc3339(),
        });
    }
    causes
}

/// The episode of the current run of `status`: its first event's instant (or local time when
/// its offset is unknown); "delivered" has one episode.
fn episode(status: Status, timeline: &[TrackingEvent]) -> Option<String> {
    if status == Status::Delivered {
        return Some("delivered".to_owned());
    }
    let first = timeline
        .iter()
        .take_while(|event| event.status.status() == status)
        .last()?;
    Some(match first.time.utc() {
        Some(at) => at.to_rfc3339(),
        None => first.time.local_time().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};
    use waypost_shared::status::StatusDetail;
    use waypost_shared::time::EventTime;

    use super::*;
    use crate::service::tracking_number::TrackingNumber;

    fn shipment(status: Status, order: Option<&str>) -> ShipmentRecord {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let number = TrackingNumber::normalize("1Z5R89390357567127").unwrap();
        let mut record = ShipmentRecord::new("shop", number, None, now);
        record.status = status;
        record.order_number = order.map(str::to_owned);
        record
    }

    fn event(hour: u32, status: Status) -> TrackingEvent {
        TrackingEvent {
            time: EventTime::parse(&format!("2026-12-01T{hour:02}:00:00-05:00")).unwrap(),
            status: StatusDetail::try_new(status, None).unwrap(),
            description: format!("{status:?} at {hour}"),
            location: None,
            carrier_code: None,
            carrier: None,
        }
    }

    #[test]
    fn a_new_status_tells_its_trigger_once_per_run() {
        let before = shipment(Status::InTransit, Some("1001"));
        let after = shipment(Status::OutForDelivery, Some("1001"));
        let timeline = [
            event(9, Status::OutForDelivery),
            event(8, Status::OutForDelivery),
            event(6, Status::InTransit),
        ];
        let causes = caused(Some(&before), &after, &timeline);
        assert_eq!(
            causes,
            [Cause {
                trigger: Trigger::OutForDelivery,
                episode: "2026-12-01T13:00:00+00:00".into(),
            }]
        );
        // The same status again (the run reported anew, or older events of it): nothing.
        assert!(caused(Some(&after), &after, &timeline).is_empty());
    }

    #[test]
    fn a_second_attempt_is_a_new_episode() {
        let first = [
            event(8, Status::OutForDelivery),
            event(6, Status::InTransit),
        ];
        let second = [
            event(15, Status::OutForDelivery),
            event(12, Status::AttemptFailed),
            event(8, Status::OutForDelivery),
            event(6, Status::InTransit),
        ];
        let before = shipment(Status::AttemptFailed, Some("1001"));
        let after = shipment(Status::OutForDelivery, Some("1001"));
        let one = caused(
            Some(&shipment(Status::InTransit, Some("1001"))),
            &after,
            &first,
        );
        let two = caused(Some(&before), &after, &second);
        assert_ne!(one[0].episode, two[0].episode);
    }

    #[test]
    fn a_jump_to_delivered_tells_delivered_only() {
        let before = shipment(Status::InTransit, Some("1001"));
        let after = shipment(Status::Delivered, Some("1001"));
        let timeline = [
            event(14, Status::Delivered),
            event(10, Status::OutForDelivery),
            event(6, Status::InTransit),
        ];
        let causes = caused(Some(&before), &after, &timeline);
        assert_eq!(
            causes,
            [Cause {
                trigger: Trigger::Delivered,
                episode: "delivered".into(),
            }]
        );
    }

    #[test]
    fn registration_for_an_order_tells_shipped_once() {
        let after = shipment(Status::InfoReceived, Some("1001"));
        let causes = caused(None, &after, &[]);
        assert_eq!(causes[0].trigger, Trigger::Shipped);
        assert_eq!(causes[0].episode, "1001");
        assert!(caused(Some(&after), &after, &[]).is_empty());
        assert!(caused(None, &shipment(Status::InfoReceived, None), &[]).is_empty());
    }

    #[test]
    fn moving_again_after_a_silence_is_told_once_per_move() {
        let shop = crate::service::memory::shop("shop");
        let now = Utc.with_ymd_and_hms(2026, 12, 20, 12, 0, 0).unwrap();
        let mut before = shipment(Status::InTransit, Some("1001"));
        before.scope = waypost_shared::health::Scope::Domestic;
        before.last_event_at = Some(Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap());
        let mut after = before.clone();
        after.last_event_at = Some(now - chrono::TimeDelta::hours(1));
        let history = |shipment: &ShipmentRecord| ShipmentHistory {
            shipment: shipment.clone(),
            order: None,
            events: Vec::new(),
        };
        let told = of_merge(&shop, Some(&before), &history(&after), now);
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].trigger, Trigger::InTransitAfterSilence);
        // Not when it was moving anyway, nor when nothing newer came.
        let mut recent = before.clone();
        recent.last_event_at = Some(now - chrono::TimeDelta::hours(20));
        assert!(of_merge(&shop, Some(&recent), &history(&after), now).is_empty());
        assert!(of_merge(&shop, Some(&before), &history(&before), now).is_empty());
    }

    #[test]
    fn an_eta_moved_later_is_told_earlier_is_not() {
        let mut before = shipment(Status::InTransit, Some("1001"));
        before.eta_to = NaiveDate::from_ymd_opt(2026, 12, 5);
        let mut later = before.clone();
        later.eta_to = NaiveDate::from_ymd_opt(2026, 12, 8);
        let causes = caused(Some(&before), &later, &[]);
        assert_eq!(
            causes,
            [Cause {
                trigger: Trigger::EtaLater,
                episode: "2026-12-08".into(),
            }]
        );
        assert!(caused(Some(&later), &before, &[]).is_empty());
    }
}
