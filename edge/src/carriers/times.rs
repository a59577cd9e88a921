//! Event times and delivery dates as carriers write them: the UTC offset of a local time, whether
//! written in a field of its own or implied by a separate GMT time (never invented), and the
//! calendar days of a delivery estimate.

use std::ops::RangeInclusive;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Timelike};
use waypost_shared::time::EventTime;

/// Westernmost and easternmost UTC offsets in use, in seconds (as `EventTime` accepts them).
const OFFSET_RANGE: RangeInclusive<i64> = -12 * 3600..=14 * 3600;

/// The offset `local` is at when it is the instant `utc`: whole minutes within −12..+14 hours.
pub(crate) fn offset_between(local: NaiveDateTime, utc: NaiveDateTime) -> Option<FixedOffset> {
    let local = local.with_nanosecond(0)?;
    let utc = utc.with_nanosecond(0)?;
    let secs = (local - utc).num_seconds();
    if secs % 60 != 0 || !OFFSET_RANGE.contains(&secs) {
        return None;
    }
    FixedOffset::east_opt(i32::try_from(secs).ok()?)
}

/// The offset a carrier wrote in a field of its own (`-05:00`, `-5:00`, `+05:30`) for its local
/// `date` and `time`; `None` when the field is missing, blank or unreadable.
pub(crate) fn written_offset(date: &str, time: &str, offset: Option<&str>) -> Option<FixedOffset> {
    let offset = offset.filter(|o| !o.trim().is_empty())?;
    EventTime::from_parts(date, time, Some(offset))
        .ok()?
        .offset()
}

/// `local` at `offset` when the carrier gave or implied one, else as local time only.
pub(crate) fn event_time(local: NaiveDateTime, offset: Option<FixedOffset>) -> EventTime {
    match offset {
        Some(offset) => EventTime::with_offset(local, offset),
        None => EventTime::local(local),
    }
}

/// The local calendar date a date-time (or a bare date) is written with.
pub(crate) fn local_date(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?.trim();
    EventTime::parse(text)
        .map(|time| time.local_time().date())
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}

/// A delivery estimate's first and last day from a window's two ends, in either order (one end
/// alone is a one-day estimate); without either, the single day `otherwise` gives, if any.
pub(crate) fn estimate(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    otherwise: impl FnOnce() -> Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match (from, to) {
        (Some(from), Some(to)) => (Some(from.min(to)), Some(from.max(to))),
        (Some(day), None) | (None, Some(day)) => (Some(day), Some(day)),
        (None, None) => {
            let day = otherwise();
            (day, day)
        }
    }
}
