//! The ISO 8601 forms the wire uses (`2026-11-20`, `2026-11-20T14:05:00`, `...Z`), read strictly
//! by hand. chrono's general-purpose parser would work too, but it is the single largest piece of
//! the widget's download that reading our own fixed formats needs.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer, Serializer};

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // Read as bytes, by pattern: no slicing that could panic (and pull a panic's formatting
    // into the widget).
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text.as_bytes() else {
        return None;
    };
    NaiveDate::from_ymd_opt(
        number(&[y1, y2, y3, y4])? as i32,
        number(&[m1, m2])?,
        number(&[d1, d2])?,
    )
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction of up to nine digits.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.split_once('T')?;
    let date = parse_date(date)?;
    let (clock, fraction) = match time.split_once('.') {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (time, ""),
    };
    let &[h1, h2, b':', m1, m2, b':', s1, s2] = clock.as_bytes() else {
        return None;
    };
    if fraction.len() > 9 {
        return None;
    }
    let nanos = if fraction.is_empty() {
        0
    } else {
        number(fraction.as_bytes())? * 10u32.pow(9 - fraction.len() as u32)
    };
    let time = NaiveTime::from_hms_nano_opt(
        number(&[h1, h2])?,
        number(&[m1, m2])?,
        number(&[s1, s2])?,
        nanos,
    )?;
    Some(date.and_time(time))
}

/// ASCII digits only (at most nine, so it cannot overflow), as a number.
fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0, |value, digit| value * 10 + u32::from(digit - b'0')),
    )
}

/// Serde for a [`NaiveDate`] as `YYYY-MM-DD`: `#[serde(with = "crate::iso::date")]`.
pub mod date {
    use super::*;

    /// Writes the date.
    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(date)
    }

    /// Reads the date strictly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse_date(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date (YYYY-MM-DD)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wire_forms_and_nothing_else() {
        assert_eq!(parse_date("2026-11-20").unwrap().to_string(), "2026-11-20");
        assert_eq!(
            parse_date_time("2026-11-20T14:05:00").unwrap().to_string(),
            "2026-11-20 14:05:00"
        );
        assert_eq!(
            parse_date_time("2026-11-20T14:05:00.25")
                .unwrap()
                .and_utc()
                .timestamp_subsec_millis(),
            250
        );
        for bad in [
            "",
            "2026-1-20",
            "2026-02-30",
            "2026-11-20 14:05:00",
            "2026-11-20T14:05",
            "2026-11-20T24:00:00",
            "2026-11-20T14:05:00.",
            "+026-11-20",
            "2026-11-20T14:05:00.1234567890",
        ] {
            assert!(
                parse_date(bad).is_none() && parse_date_time(bad).is_none(),
                "{bad:?}"
            );
        }
    }
}
