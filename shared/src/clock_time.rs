//! A time of day to the minute, written `HH:MM` (24-hour): when a shop's quiet hours for text
//! messages start and end, read in the shop's time zone.

use std::fmt;

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;
use crate::error::excerpt;

/// A wall-clock time of day to the minute (`21:30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(NaiveTime);

impl ClockTime {
    /// Reads `HH:MM`, 00:00 to 23:59, and nothing else (no seconds, no `9:30`).
    pub fn parse(input: &str) -> Result<ClockTime, Error> {
        let invalid = |reason| Error::InvalidTime {
            input: excerpt(input),
            reason,
        };
        let bytes = input.as_bytes();
        if bytes.len() != 5 || bytes[2] != b':' {
            return Err(invalid("a time of day is written HH:MM"));
        }
        NaiveTime::parse_from_str(input, "%H:%M")
            .map(ClockTime)
            .map_err(|_| invalid("a time of day is 00:00 to 23:59"))
    }

    /// `hour`:`minute`, when both are in range.
    pub fn from_hm(hour: u32, minute: u32) -> Option<ClockTime> {
        NaiveTime::from_hms_opt(hour, minute, 0).map(ClockTime)
    }

    /// The time of day.
    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ClockTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ClockTime::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_hours_and_minutes() {
        let time = ClockTime::parse("07:05").expect("valid");
        assert_eq!(time, ClockTime::from_hm(7, 5).expect("valid"));
        assert_eq!(time.to_string(), "07:05");
        assert_eq!(serde_json::to_string(&time).expect("json"), "\"07:05\"");
        let read: ClockTime = serde_json::from_str("\"23:59\"").expect("json");
        assert_eq!(read.to_string(), "23:59");
    }

    #[test]
    fn refuses_anything_else() {
        for input in [
            "24:00", "7:05", "07:5", "07:05:00", "07-05", "", "ab:cd", "12:60",
        ] {
            assert!(ClockTime::parse(input).is_err(), "{input}");
            assert!(
                serde_json::from_str::<ClockTime>(&format!("{input:?}")).is_err(),
                "{input}"
            );
        }
    }
}
