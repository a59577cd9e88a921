//! When a carrier event happened, as precisely as the carrier said and no more precisely.
//!
//! Carriers report local wall time, sometimes with a UTC offset, sometimes with a separate offset
//! field, sometimes with nothing. [`EventTime`] keeps the local time, the offset or IANA zone when
//! known, and derives the UTC instant only from a known offset. It never invents an offset and
//! never reads local time as UTC.
//!
//! # What is accepted
//!
//! The readers of outside input ([`EventTime::parse`], [`EventTime::from_parts`]) accept a local
//! date in the years [`SANE_YEARS`] (2000 to 2100) and refuse any other as
//! [`Error::TimeOutOfRange`] (`time_out_of_range`). The store and the wire write ISO 8601 with
//! four-digit years and read nothing else, so a time outside 0000–9999, locally or once made UTC
//! (`9999-12-31T23:59:59-05:00` is in the year 10000 in UTC), could be stored but never read back;
//! and a year far from today is a feed's placeholder (`0001-01-01`, `9999-12-31`), not a scan,
//! which would sort as the newest or the oldest event and set the shipment's status. Within those
//! years, at the offsets accepted (UTC−12 to UTC+14), the UTC instant is at most a day away, so
//! every accepted time is written and read back unchanged. [`is_sane_date`] holds calendar dates
//! (ship dates, ETAs) to the same years.
//!
//! A leap second (`23:59:60`) is read as the last instant of the second before it
//! (`23:59:59.999999999`): ISO 8601 as written here has no 61st second, and this keeps the event in
//! its minute and in its place in time.
//!
//! The wire reader (serde, and the widget's compact reader) is more lenient than the parsers: it
//! reads any time the wire can hold (local years 0000–9999), so events stored under earlier rules
//! stay readable.
//!
//! # Comparing times
//!
//! Two event times compare only when both offsets are known: by their UTC instant. A time without
//! an offset cannot be compared with any other, not even by wall-clock time (02:30 in Hong Kong
//! comes ten hours before 19:30 the evening before in Anchorage), so the carrier's own order of
//! events decides there; [`crate::timeline::Timeline`] orders events this way. An event's
//! identity ([`crate::event::TrackingEvent::fingerprint`]) likewise rests on its UTC instant when
//! known, not on the offset it was written in.

use std::ops::RangeInclusive;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc,
};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::error::excerpt;
use crate::iso;

/// The years Waypost accepts in dates and times from outside: event times (their local date),
/// ship dates, ETAs and promised deliveries. See the module documentation for why.
pub const SANE_YEARS: RangeInclusive<i32> = 2000..=2100;

/// True when a calendar date falls in [`SANE_YEARS`]: the rule for ship dates, ETAs and promised
/// deliveries the API accepts.
pub fn is_sane_date(date: NaiveDate) -> bool {
    SANE_YEARS.contains(&date.year())
}

/// The date when [`is_sane_date`], else [`Error::DateOutOfRange`] (code `date_out_of_range`).
pub fn check_date(date: NaiveDate) -> Result<NaiveDate, Error> {
    if is_sane_date(date) {
        Ok(date)
    } else {
        Err(Error::DateOutOfRange { date })
    }
}

/// Longest time string we try to read; carriers never need more.
const MAX_TIME_CHARS: usize = 64;
/// Easternmost UTC offset in use (Line Islands, UTC+14), in seconds.
const MAX_EAST_SECS: i32 = 14 * 3600;
/// Westernmost UTC offset in use (Baker Island, UTC−12), in seconds.
const MAX_WEST_SECS: i32 = 12 * 3600;
/// Years the wire's four-digit ISO 8601 can write and read.
const WIRE_YEARS: RangeInclusive<i32> = 0..=9999;

/// A carrier event's time: local wall time plus whatever the carrier told us about its zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "EventTimeRead", into = "EventTimeWire")]
pub struct EventTime {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
    zone: Option<String>,
}

impl EventTime {
    /// A local wall time whose offset the carrier did not give.
    pub fn local(local: NaiveDateTime) -> Self {
        EventTime {
            local,
            offset: None,
            zone: None,
        }
    }

    /// A local wall time at a known UTC offset.
    pub fn with_offset(local: NaiveDateTime, offset: FixedOffset) -> Self {
        EventTime {
            local,
            offset: Some(offset),
            zone: None,
        }
    }

    /// Adds the IANA zone name the carrier named (e.g. `America/New_York`).
    pub fn in_zone(mut self, zone: &str) -> Result<Self, Error> {
        let valid = !zone.is_empty()
            && zone.len() <= MAX_TIME_CHARS
            && zone
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b));
        if !valid {
            return Err(invalid(zone, "not an IANA time-zone name"));
        }
        self.zone = Some(zone.to_owned());
        Ok(self)
    }

    /// Reads the forms carriers send in one string: RFC 3339 with an offset or `Z`
    /// (`2026-11-20T14:05:00-05:00`), the same without seconds or with a space instead of `T`,
    /// or a naive local date-time (`2026-11-20T14:05:00`), which keeps no offset. A local date
    /// outside [`SANE_YEARS`] is refused as [`Error::TimeOutOfRange`]; a leap second is read as
    /// the end of the second before it (see the module documentation).
    pub fn parse(input: &str) -> Result<Self, Error> {
        let text = input.trim();
        if text.chars().count() > MAX_TIME_CHARS {
            return Err(invalid(input, "longer than 64 characters"));
        }
        let (date_time, offset) = split_offset(text);
        let local = parse_naive(date_time).ok_or_else(|| {
            invalid(
                input,
                "expected YYYY-MM-DDTHH:MM[:SS][.fff] with an optional offset",
            )
        })?;
        let local = accepted(local, input)?;
        match offset {
            None => Ok(EventTime::local(local)),
            Some(offset) => Ok(EventTime::with_offset(local, parse_offset(offset, input)?)),
        }
    }

    /// Reads a date, a time and a separate offset, as UPS and others send them
    /// (`20261120`, `140500`, `-05:00`). An empty or missing offset keeps none. The date and a
    /// leap second are treated as by [`EventTime::parse`].
    pub fn from_parts(date: &str, time: &str, offset: Option<&str>) -> Result<Self, Error> {
        let date_text = date.trim();
        let date = ["%Y-%m-%d", "%Y%m%d"]
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(date_text, f).ok())
            .ok_or_else(|| invalid(date_text, "expected a date as YYYY-MM-DD or YYYYMMDD"))?;
        let time_text = time.trim();
        let time = ["%H:%M:%S", "%H:%M", "%H%M%S", "%H%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(time_text, f).ok())
            .ok_or_else(|| invalid(time_text, "expected a time as HH:MM[:SS] or HHMM[SS]"))?;
        let local = accepted(date.and_time(time), date_text)?;
        match offset.map(str::trim).filter(|o| !o.is_empty()) {
            None => Ok(EventTime::local(local)),
            Some(text) => Ok(EventTime::with_offset(local, parse_offset(text, text)?)),
        }
    }

    /// The wall-clock time where the event happened.
    pub fn local_time(&self) -> NaiveDateTime {
        self.local
    }

    /// The UTC offset, when the carrier gave one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The IANA zone name, when the carrier gave one.
    pub fn zone(&self) -> Option<&str> {
        self.zone.as_deref()
    }

    /// The UTC instant, known only when the offset is (and for a time built directly at the very
    /// end of chrono's range, only when it is within that range).
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        let offset = self.offset?;
        self.local
            .checked_sub_signed(offset_delta(offset))
            .map(|utc| utc.and_utc())
    }

    /// The UTC instant when known, else the local wall time: a rough guess, within the ±14 hours
    /// the world's offsets span, for picking a carrier's newest event. Timelines do not sort on it
    /// (see "Comparing times" in the module documentation).
    pub fn sort_key(&self) -> NaiveDateTime {
        self.utc().map_or(self.local, |utc| utc.naive_utc())
    }

    /// The latest UTC instant this event can have happened at: exact with an offset, else the
    /// local time read at the westernmost offset. Used to decide that a shipment went quiet
    /// without ever deciding it too early.
    pub fn latest_utc(&self) -> DateTime<Utc> {
        self.utc().unwrap_or_else(|| {
            self.local
                .checked_add_signed(TimeDelta::seconds(MAX_WEST_SECS.into()))
                .unwrap_or(NaiveDateTime::MAX)
                .and_utc()
        })
    }
}

/// Formats an offset as `+05:30` (the RFC 3339 form).
pub fn offset_string(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let minutes = secs.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn offset_delta(offset: FixedOffset) -> TimeDelta {
    TimeDelta::seconds(offset.local_minus_utc().into())
}

/// A local time read from outside, as accepted: a leap second becomes the last instant of the
/// second before it, and the date must be in [`SANE_YEARS`].
fn accepted(local: NaiveDateTime, input: &str) -> Result<NaiveDateTime, Error> {
    let local = local
        .with_nanosecond(local.nanosecond().min(999_999_999))
        .unwrap_or(local);
    if !is_sane_date(local.date()) {
        return Err(out_of_range(input));
    }
    Ok(local)
}

fn out_of_range(input: &str) -> Error {
    Error::TimeOutOfRange {
        input: excerpt(input),
    }
}

fn invalid(input: &str, reason: &'static str) -> Error {
    Error::InvalidTime {
        input: excerpt(input),
        reason,
    }
}

/// Splits `2026-11-20T14:05:00-05:00` into the date-time and the offset text, if any.
fn split_offset(text: &str) -> (&str, Option<&str>) {
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        return (rest, Some("Z"));
    }
    // An offset sign can only come after the time, which starts after the 10-byte date.
    match text.get(10..).and_then(|time| time.rfind(['+', '-'])) {
        Some(at) => (&text[..10 + at], Some(&text[10 + at..])),
        None => (text, None),
    }
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

/// Reads `Z`, `+05:30`, `-0500`, `+05`, `GMT-5`, `UTC+05:30`; rejects offsets outside −12..+14 h.
fn parse_offset(text: &str, input: &str) -> Result<FixedOffset, Error> {
    let bad = || invalid(input, "expected an offset such as +05:30, -0500 or Z");
    if !text.is_ascii() {
        return Err(bad());
    }
    let upper = text.trim().to_ascii_uppercase();
    let body = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .unwrap_or(&upper);
    if body.is_empty() || body == "Z" {
        return Ok(FixedOffset::east_opt(0).expect("zero is a valid offset"));
    }
    // Prefixes stripped and strings split, never sliced by index: the widget reads offsets too,
    // and a slice that could panic brings it a panic message's formatting to download.
    let (sign, digits) = if let Some(digits) = body.strip_prefix('+') {
        (1, digits)
    } else if let Some(digits) = body.strip_prefix('-') {
        (-1, digits)
    } else {
        return Err(bad());
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at_checked(2).ok_or_else(bad)?,
        None => (digits, "0"),
    };
    // One or two ASCII digits, as a number (by hand: a general integer parser is more bytes for
    // the widget).
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.bytes().fold(0, |n, b| n * 10 + i32::from(b - b'0')))
    };
    let (Some(hours), Some(minutes)) = (number(hours), number(minutes)) else {
        return Err(bad());
    };
    if minutes >= 60 {
        return Err(bad());
    }
    let secs = sign * (hours * 3600 + minutes * 60);
    if !(-MAX_WEST_SECS..=MAX_EAST_SECS).contains(&secs) {
        return Err(invalid(input, "offset outside UTC-12:00..UTC+14:00"));
    }
    FixedOffset::east_opt(secs).ok_or_else(bad)
}

/// The JSON shape of an [`EventTime`] as written: `utc` is derived, present only when `offset` is.
#[derive(Serialize)]
struct EventTimeWire {
    local: NaiveDateTime,
    offset: Option<String>,
    zone: Option<String>,
    utc: Option<DateTime<Utc>>,
}

/// The JSON shape of an [`EventTime`] as read: strings checked by hand (see [`crate::iso`]).
#[derive(Deserialize)]
struct EventTimeRead {
    local: String,
    offset: Option<String>,
    #[serde(default)]
    zone: Option<String>,
    #[serde(default)]
    utc: Option<String>,
}

impl TryFrom<EventTimeRead> for EventTime {
    type Error = Error;
    fn try_from(wire: EventTimeRead) -> Result<Self, Error> {
        let time = EventTime::from_wire(wire.local, wire.offset, wire.zone, wire.utc)?;
        // Without its `utc` field, a local time at the edge of year 0000 or 9999 can have an
        // instant the wire cannot write: refused, so whatever is read is written back readably.
        match time.utc() {
            Some(utc) if !WIRE_YEARS.contains(&utc.year()) => {
                Err(out_of_range(&time.local.to_string()))
            }
            _ => Ok(time),
        }
    }
}

impl EventTime {
    /// Builds an event time from its wire fields, checking each (and `utc` against the rest).
    pub(crate) fn from_wire(
        local: String,
        offset: Option<String>,
        zone: Option<String>,
        utc: Option<String>,
    ) -> Result<Self, Error> {
        let local = iso::parse_date_time(&local)
            .ok_or_else(|| invalid(&local, "expected YYYY-MM-DDTHH:MM:SS"))?;
        let mut time = EventTime::local(local);
        if let Some(offset) = offset {
            time.offset = Some(parse_offset(&offset, &offset)?);
        }
        if let Some(zone) = zone {
            time = time.in_zone(&zone)?;
        }
        if let Some(utc) = utc {
            let given = utc.strip_suffix('Z').and_then(iso::parse_date_time);
            if given.is_none() || given != time.utc().map(|t| t.naive_utc()) {
                return Err(invalid(&utc, "utc does not match local time and offset"));
            }
        }
        Ok(time)
    }
}

impl From<EventTime> for EventTimeWire {
    fn from(time: EventTime) -> Self {
        EventTimeWire {
            local: time.local,
            offset: time.offset.map(offset_string),
            utc: time.utc(),
            zone: time.zone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> EventTime {
        EventTime::parse(text).unwrap()
    }

    #[test]
    fn naive_local_time_keeps_no_offset_and_no_utc() {
        let time = at("2026-11-20T14:05:00");
        assert_eq!(time.offset(), None);
        assert_eq!(time.utc(), None);
        assert_eq!(time.local_time().to_string(), "2026-11-20 14:05:00");
        let json = serde_json::to_value(&time).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"local": "2026-11-20T14:05:00", "offset": null, "zone": null, "utc": null})
        );
    }

    #[test]
    fn rfc3339_keeps_local_time_and_derives_utc() {
        let time = at("2026-11-20T14:05:00-05:00");
        assert_eq!(time.local_time().to_string(), "2026-11-20 14:05:00");
        assert_eq!(
            time.utc().unwrap().to_rfc3339(),
            "2026-11-20T19:05:00+00:00"
        );
        let json = serde_json::to_value(&time).unwrap();
        assert_eq!(json["offset"], "-05:00");
        assert_eq!(json["utc"], "2026-11-20T19:05:00Z");
        let back: EventTime = serde_json::from_value(json).unwrap();
        assert_eq!(back, time);
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(
            at("2026-11-20T14:05Z").utc().unwrap().to_rfc3339(),
            "2026-11-20T14:05:00+00:00"
        );
        assert_eq!(
            at("2026-11-20 14:05:30.250+05:30")
                .offset()
                .unwrap()
                .local_minus_utc(),
            19800
        );
        assert_eq!(at("2026-11-20 14:05").offset(), None);
        let parts = EventTime::from_parts("20261120", "140500", Some("-05:00")).unwrap();
        assert_eq!(parts, at("2026-11-20T14:05:00-05:00"));
        let gmt = EventTime::from_parts("2026-11-20", "14:05", Some("GMT+8")).unwrap();
        assert_eq!(gmt.offset().unwrap().local_minus_utc(), 8 * 3600);
        let no_offset = EventTime::from_parts("2026-11-20", "1405", Some("")).unwrap();
        assert_eq!(no_offset.utc(), None);
        let zoned = at("2026-11-20T14:05:00").in_zone("Asia/Shanghai").unwrap();
        assert_eq!(zoned.zone(), Some("Asia/Shanghai"));
        assert_eq!(
            zoned.utc(),
            None,
            "a zone name alone does not give an offset here"
        );
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00",
            "2026-11-20T25:00:00",
            "2026-11-20T14:05:00+15:00",
            "2026-11-20T14:05:00+05:75",
            "2026-11-20T14:05:00 +05:00 extra",
            "20261120",
            "2026-11-20T14:05:00+😀",
        ] {
            assert!(EventTime::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(EventTime::parse(&"9".repeat(10_000)).is_err());
        assert!(EventTime::from_parts("2026-11-20", "14:05", Some("EST")).is_err());
        assert!(at("2026-11-20T14:05:00").in_zone("<script>").is_err());
    }

    #[test]
    fn sorts_by_utc_across_zones_and_dst() {
        // New York falls back on 2026-11-01 at 02:00 EDT: 01:30 EDT happens before 01:10 EST.
        let edt = at("2026-11-01T01:30:00-04:00");
        let est = at("2026-11-01T01:10:00-05:00");
        // Shanghai's 13:00 is 05:00 UTC, earlier than both New York times.
        let shanghai = at("2026-11-01T13:00:00+08:00");
        let mut events = vec![est.clone(), edt.clone(), shanghai.clone()];
        events.sort_by_key(EventTime::sort_key);
        assert_eq!(events, vec![shanghai, edt, est]);
    }

    #[test]
    fn latest_utc_never_comes_before_the_true_instant() {
        let naive = at("2026-11-20T14:05:00");
        for hours in -12..=14 {
            let offset = FixedOffset::east_opt(hours * 3600).unwrap();
            let true_utc = EventTime::with_offset(naive.local_time(), offset)
                .utc()
                .unwrap();
            assert!(naive.latest_utc() >= true_utc);
        }
    }

    #[test]
    fn wire_rejects_inconsistent_utc() {
        let json =
            r#"{"local":"2026-11-20T14:05:00","offset":"-05:00","utc":"2026-11-20T14:05:00Z"}"#;
        assert!(serde_json::from_str::<EventTime>(json).is_err());
    }

    #[test]
    fn times_the_store_cannot_hold_are_refused() {
        for text in [
            "+10000-01-01T00:00:00Z",
            "-0001-06-01T12:00:00Z",
            "9999-12-31T23:59:59-05:00",
            "0000-01-01T00:00:00",
            "1999-12-31T23:59:59Z",
            "2101-01-01T00:00:00+14:00",
        ] {
            let error = EventTime::parse(text).expect_err(text);
            assert_eq!(error.code(), "time_out_of_range", "{text}");
        }
        let error = EventTime::from_parts("99991231", "235959", Some("-05:00")).unwrap_err();
        assert_eq!(error.code(), "time_out_of_range");
        // The first and last instants of the accepted years, at the extreme offsets.
        for text in ["2000-01-01T00:00:00+14:00", "2100-12-31T23:59:59.999-12:00"] {
            let time = at(text);
            let json = serde_json::to_string(&time).unwrap();
            assert_eq!(serde_json::from_str::<EventTime>(&json).unwrap(), time);
        }
    }

    #[test]
    fn a_leap_second_is_read_as_the_end_of_the_second_before_it() {
        let leap = at("2016-12-31T23:59:60Z");
        assert_eq!(leap, at("2016-12-31T23:59:59.999999999Z"));
        let json = serde_json::to_string(&leap).unwrap();
        assert_eq!(serde_json::from_str::<EventTime>(&json).unwrap(), leap);
        let parts = EventTime::from_parts("20161231", "235960", Some("+00:00")).unwrap();
        assert_eq!(parts, leap);
        assert!(
            leap.utc() < at("2017-01-01T00:00:00Z").utc(),
            "it keeps its place in time"
        );
    }
}
