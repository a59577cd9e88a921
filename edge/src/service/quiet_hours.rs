//! A shop's quiet hours for text messages: whether an instant falls in them, read in the shop's
//! time zone, and how long until they end. The zone's rules come from the platform
//! ([`ZoneClock`]); the arithmetic here is pure.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use waypost_shared::wire::QuietHours;

use crate::error::{EdgeError, Result};

/// The longest a time zone's name may be (the longest IANA name is 32 characters).
const MAX_ZONE_CHARS: usize = 64;

/// Wall-clock time in a time zone, from the platform's zone rules.
pub trait ZoneClock {
    /// The time of day in `time_zone` (an IANA name) at `at`; `None` for an unknown zone.
    fn time_of_day(&self, time_zone: &str, at: DateTime<Utc>) -> Option<NaiveTime>;
}

/// `hours` as given, when they can be kept: two different times and a zone the platform knows;
/// a 400 `invalid_quiet_hours` otherwise.
pub fn validated(
    zones: &impl ZoneClock,
    hours: Option<QuietHours>,
    now: DateTime<Utc>,
) -> Result<Option<QuietHours>> {
    let Some(hours) = hours else {
        return Ok(None);
    };
    let refuse =
        |why: &str| EdgeError::bad_request("invalid_quiet_hours", format!("sms_quiet_hours {why}"));
    if hours.from == hours.to {
        return Err(refuse("must start and end at different times"));
    }
    let zone = hours.time_zone.trim();
    if zone.is_empty()
        || zone.chars().count() > MAX_ZONE_CHARS
        || zones.time_of_day(zone, now).is_none()
    {
        return Err(refuse("needs an IANA time zone such as Europe/Madrid"));
    }
    Ok(Some(QuietHours {
        time_zone: zone.to_owned(),
        ..hours
    }))
}

/// How long until `hours` end when `at` falls in them (to the second, at least one); `None`
/// when it does not, or the zone is no longer known (a message is never held for ever).
pub fn wait(zones: &impl ZoneClock, hours: &QuietHours, at: DateTime<Utc>) -> Option<TimeDelta> {
    let local = zones.time_of_day(&hours.time_zone, at)?;
    let (from, to) = (hours.from.time(), hours.to.time());
    let quiet = if from < to {
        from <= local && local < to
    } else {
        local >= from || local < to
    };
    if !quiet {
        return None;
    }
    let left = to.signed_duration_since(local);
    let left = if left <= TimeDelta::zero() {
        left + TimeDelta::days(1)
    } else {
        left
    };
    Some(left.max(TimeDelta::seconds(1)))
}

#[cfg(test)]
mod tests {
    use waypost_shared::clock_time::ClockTime;

    use super::*;
    use crate::service::memory::TestRuntime;

    fn hours(from: &str, to: &str, zone: &str) -> QuietHours {
        QuietHours {
            from: ClockTime::parse(from).unwrap(),
            to: ClockTime::parse(to).unwrap(),
            time_zone: zone.into(),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn hours_over_midnight_hold_a_message_until_they_end() {
        let zones = TestRuntime::default();
        let night = hours("21:00", "08:00", "UTC");
        assert_eq!(
            wait(&zones, &night, at("2026-12-07T23:30:00Z")),
            Some(TimeDelta::minutes(510))
        );
        assert_eq!(
            wait(&zones, &night, at("2026-12-07T21:00:00Z")),
            Some(TimeDelta::hours(11))
        );
        assert_eq!(
            wait(&zones, &night, at("2026-12-07T07:59:30Z")),
            Some(TimeDelta::seconds(30))
        );
        assert_eq!(wait(&zones, &night, at("2026-12-07T08:00:00Z")), None);
        assert_eq!(wait(&zones, &night, at("2026-12-07T20:59:59Z")), None);
    }

    #[test]
    fn hours_within_a_day_and_in_another_zone() {
        let zones = TestRuntime::default();
        let lunch = hours("12:00", "14:00", "Europe/Madrid");
        // 12:30 UTC is 13:30 in Madrid in winter: quiet for another half hour.
        assert_eq!(
            wait(&zones, &lunch, at("2026-12-07T12:30:00Z")),
            Some(TimeDelta::minutes(30))
        );
        assert_eq!(wait(&zones, &lunch, at("2026-12-07T13:00:00Z")), None);
        assert_eq!(wait(&zones, &lunch, at("2026-12-07T10:59:00Z")), None);
        let gone = hours("12:00", "14:00", "Atlantis/Nowhere");
        assert_eq!(wait(&zones, &gone, at("2026-12-07T11:00:00Z")), None);
    }

    #[test]
    fn only_two_different_times_in_a_known_zone_are_kept() {
        let zones = TestRuntime::default();
        let now = at("2026-12-07T11:00:00Z");
        assert_eq!(validated(&zones, None, now).unwrap(), None);
        let kept = validated(&zones, Some(hours("21:00", "08:00", " UTC ")), now).unwrap();
        assert_eq!(kept, Some(hours("21:00", "08:00", "UTC")));
        for bad in [
            hours("09:00", "09:00", "UTC"),
            hours("21:00", "08:00", "Atlantis/Nowhere"),
            hours("21:00", "08:00", ""),
            hours("21:00", "08:00", &"A".repeat(65)),
        ] {
            let refused = validated(&zones, Some(bad), now).unwrap_err();
            assert_eq!(refused.problem().code, "invalid_quiet_hours");
        }
    }
}
