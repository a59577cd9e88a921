//! Dates, times and relative times in a language's own words, built from its catalogue.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};

use super::{DatePart, Key, Lang, Tense, TimeUnit, fill};
use crate::eta::EtaWindow;
use crate::time::EventTime;

/// An event's time in its own local time with its offset: `Nov 20, 2:05 PM, UTC−5`. Without a
/// known offset it says so (`Nov 20, 2:05 PM, local time`) rather than guessing one.
pub fn event_time(time: &EventTime, lang: Lang) -> String {
    let local = time.local_time();
    let date = date(local.date(), lang);
    let (hour, minute) = (local.hour(), local.minute());
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    let ampm = lang.date(if hour < 12 {
        DatePart::Am
    } else {
        DatePart::Pm
    });
    let clock = fill(
        lang.date(DatePart::TimePattern),
        &[
            ("h12", &hour12.to_string()),
            ("h24", &format!("{hour:02}")),
            ("mm", &format!("{minute:02}")),
            ("ampm", ampm),
        ],
    );
    let date_time = fill(
        lang.date(DatePart::DateTimePattern),
        &[("date", &date), ("time", &clock)],
    );
    let zone = match time.offset() {
        Some(offset) => utc_offset(offset),
        None => lang.date(DatePart::LocalTime).to_owned(),
    };
    format!("{date_time}, {zone}")
}

/// A timeline day heading: `Fri, Nov 20`.
pub fn day_heading(day: NaiveDate, lang: Lang) -> String {
    day_heading_in(day, |part| lang.date(part))
}

/// [`day_heading`] with the date words `date` gives (the widget's, which it loads for one
/// language only).
pub fn day_heading_in<'a>(day: NaiveDate, date: impl Fn(DatePart) -> &'a str) -> String {
    let weekday = date(DatePart::Weekday(day.weekday().num_days_from_monday() as u8));
    let month = date(DatePart::Month(day.month() as u8));
    fill(
        date(DatePart::DayPattern),
        &[
            ("weekday", weekday),
            ("day", &day.day().to_string()),
            ("month", month),
        ],
    )
}

/// An ETA window: `Nov 24 – Nov 26`, or one date when it spans a single day.
pub fn eta_window(eta: &EtaWindow, lang: Lang) -> String {
    if eta.from() == eta.to() {
        date(eta.to(), lang)
    } else {
        format!("{} – {}", date(eta.from(), lang), date(eta.to(), lang))
    }
}

/// How long ago (or how far ahead) `then` is from `now`: `3 hours ago`, `in 2 days`, `just now`.
pub fn relative_time(then: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let seconds = (then - now).num_seconds();
    let tense = if seconds < 0 {
        Tense::Past
    } else {
        Tense::Future
    };
    let seconds = seconds.unsigned_abs();
    const UNITS: [(TimeUnit, u64); 6] = [
        (TimeUnit::Year, 365 * 86_400),
        (TimeUnit::Month, 30 * 86_400),
        (TimeUnit::Week, 7 * 86_400),
        (TimeUnit::Day, 86_400),
        (TimeUnit::Hour, 3_600),
        (TimeUnit::Minute, 60),
    ];
    match UNITS.iter().find(|(_, size)| seconds >= *size) {
        None => lang.text(Key::JustNow).to_owned(),
        Some(&(unit, size)) => {
            let n = seconds / size;
            fill(
                lang.text(Key::Relative(unit, tense, lang.plural(n))),
                &[("n", &n.to_string())],
            )
        }
    }
}

/// A date inside a sentence: `Nov 20`.
fn date(day: NaiveDate, lang: Lang) -> String {
    let month = lang.date(DatePart::Month(day.month() as u8));
    fill(
        lang.date(DatePart::DatePattern),
        &[("day", &day.day().to_string()), ("month", month)],
    )
}

/// `UTC−5`, `UTC+5:30`, `UTC` (with a real minus sign, as typeset).
fn utc_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    match minutes % 60 {
        0 => format!("UTC{sign}{}", minutes / 60),
        rest => format!("UTC{sign}{}:{rest:02}", minutes / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eta::EtaSource;

    fn at(text: &str) -> EventTime {
        EventTime::parse(text).unwrap()
    }

    #[test]
    fn event_time_in_its_own_zone() {
        assert_eq!(
            event_time(&at("2026-11-20T14:05:00-05:00"), Lang::En),
            "Nov 20, 2:05 PM, UTC\u{2212}5"
        );
        assert_eq!(
            event_time(&at("2026-11-20T00:30:00+05:30"), Lang::En),
            "Nov 20, 12:30 AM, UTC+5:30"
        );
        assert_eq!(
            event_time(&at("2026-11-20T14:05:00Z"), Lang::En),
            "Nov 20, 2:05 PM, UTC"
        );
        assert_eq!(
            event_time(&at("2026-11-20T14:05:00"), Lang::En),
            "Nov 20, 2:05 PM, local time"
        );
        assert_eq!(
            event_time(&at("2026-11-20T14:05:00-05:00"), Lang::De),
            "20. Nov., 14:05, UTC\u{2212}5"
        );
    }

    #[test]
    fn relative_times_pick_unit_and_plural() {
        let now: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
        let ago = |secs: i64| relative_time(now - chrono::TimeDelta::seconds(secs), now, Lang::En);
        assert_eq!(ago(30), "just now");
        assert_eq!(ago(3 * 3600 + 59), "3 hours ago");
        assert_eq!(ago(3600), "1 hour ago");
        assert_eq!(
            relative_time(now + chrono::TimeDelta::days(2), now, Lang::En),
            "in 2 days"
        );
        assert_eq!(
            relative_time(now - chrono::TimeDelta::days(3), now, Lang::De),
            "vor 3 Tagen"
        );
        assert_eq!(
            relative_time(now - chrono::TimeDelta::hours(3), now, Lang::Es),
            "hace 3 horas"
        );
        assert_eq!(
            relative_time(now + chrono::TimeDelta::days(2), now, Lang::Fr),
            "dans 2 jours"
        );
    }

    #[test]
    fn days_and_windows() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        assert_eq!(day_heading(day("2026-11-20"), Lang::En), "Fri, Nov 20");
        let window =
            EtaWindow::new(day("2026-11-24"), day("2026-11-26"), EtaSource::Carrier).unwrap();
        assert_eq!(eta_window(&window, Lang::En), "Nov 24 – Nov 26");
        assert_eq!(
            eta_window(
                &EtaWindow::on(day("2026-11-24"), EtaSource::Carrier).unwrap(),
                Lang::En
            ),
            "Nov 24"
        );
    }
}
