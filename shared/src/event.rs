//! One thing that happened to a parcel, as a carrier, retailer or supplier reported it.

use serde::{Deserialize, Serialize};

use crate::detect::Carrier;
use crate::status::{StatusDetail, SubStatus};
use crate::time::EventTime;

/// Where something happened, never finer than a city: public answers must not locate a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    /// City or town.
    #[serde(default)]
    pub city: Option<String>,
    /// State, province or region.
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    #[serde(default)]
    pub country: Option<String>,
}

/// A tracking event: when, what (normalised status plus the carrier's own code and words), where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackingEvent {
    /// When it happened, in the event's own local time.
    pub time: EventTime,
    /// What it means in Waypost's taxonomy.
    #[serde(flatten)]
    pub status: StatusDetail,
    /// The carrier's (or sender's) own words, shown to people as plain text, never as HTML.
    pub description: String,
    /// Where it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
    /// The carrier's raw status code, kept for support and re-mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier_code: Option<String>,
    /// The carrier that reported it, when a journey spans several (origin and last mile). Not
    /// part of the fingerprint: the same scan relayed by two sources stays one event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
}

impl TrackingEvent {
    /// A stable 64-bit identity: the same event reported twice (by push or by a carrier poll)
    /// gets the same fingerprint on every platform and in every release, so storage can keep it
    /// once. It covers the time, the status, the carrier code, the words (ignoring case and
    /// spacing) and the city.
    ///
    /// The time counts as its UTC instant, to the second, when the offset is known, however it
    /// was written: `14:05-05:00` and `19:05Z` are one event. Without an offset it counts as the
    /// local wall time, marked so that it never equals an instant. (Both are hashed as the local
    /// time and offset of the UTC form, so an event written in UTC, or without an offset, keeps
    /// the fingerprint it had when the written offset still counted.)
    pub fn fingerprint(&self) -> u64 {
        let mut hash = Fnv1a::new();
        let (seconds, offset) = match self.time.utc() {
            Some(utc) => (utc.timestamp(), 0),
            None => (self.time.local_time().and_utc().timestamp(), i64::MIN),
        };
        hash.write(seconds.to_le_bytes().as_slice());
        hash.write(offset.to_le_bytes().as_slice());
        hash.write(self.status.status().as_str().as_bytes());
        hash.write(
            self.status
                .sub_status()
                .map_or("", SubStatus::as_str)
                .as_bytes(),
        );
        hash.write(self.carrier_code.as_deref().unwrap_or("").as_bytes());
        hash.write(&[0]);
        for word in self.description.split_whitespace() {
            hash.write(word.to_lowercase().as_bytes());
            hash.write(b" ");
        }
        let city = self
            .location
            .as_ref()
            .and_then(|p| p.city.as_deref())
            .unwrap_or("");
        hash.write(city.to_lowercase().as_bytes());
        hash.finish()
    }
}

/// FNV-1a: tiny, stable across platforms and releases (unlike `std`'s hasher), good enough to
/// tell events apart.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    fn event(time: &str, description: &str) -> TrackingEvent {
        TrackingEvent {
            time: EventTime::parse(time).unwrap(),
            status: StatusDetail::new(Status::InTransit),
            description: description.into(),
            location: Some(Place {
                city: Some("Memphis".into()),
                ..Place::default()
            }),
            carrier_code: Some("AR".into()),
            carrier: None,
        }
    }

    #[test]
    fn fingerprint_ignores_case_and_spacing_only() {
        let a = event("2026-11-20T14:05:00-05:00", "Arrived at facility");
        assert_eq!(
            a.fingerprint(),
            event("2026-11-20T14:05:00-05:00", " arrived  AT facility ").fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            event("2026-11-20T14:06:00-05:00", "Arrived at facility").fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            event("2026-11-20T14:05:00-06:00", "Arrived at facility").fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            event("2026-11-20T14:05:00", "Arrived at facility").fingerprint()
        );
        assert_ne!(
            a.fingerprint(),
            event("2026-11-20T14:05:00-05:00", "Departed facility").fingerprint()
        );
    }

    #[test]
    fn identity_rests_on_the_instant_not_on_how_its_time_was_written() {
        let pushed = event("2026-11-20T14:05:00-05:00", "Arrived at facility");
        for restated in ["2026-11-20T19:05:00Z", "2026-11-21T03:05:00+08:00"] {
            assert_eq!(
                event(restated, "Arrived at facility").fingerprint(),
                pushed.fingerprint(),
                "{restated}"
            );
        }
        // Without an offset the instant is unknown: its local time is never read as UTC.
        for naive in ["2026-11-20T14:05:00", "2026-11-20T19:05:00"] {
            assert_ne!(
                event(naive, "Arrived at facility").fingerprint(),
                pushed.fingerprint(),
                "{naive}"
            );
        }
    }

    #[test]
    fn fingerprint_is_stable_across_releases() {
        // Stored fingerprints must keep matching: these values may never change. (Before the
        // instant counted, `14:05:00-05:00` hashed as 0x9641_757d_ba0c_d362; the edge recomputes
        // the fingerprints of stored events when it merges, so old rows still deduplicate.)
        assert_eq!(
            event("2026-11-20T14:05:00-05:00", "Arrived at facility").fingerprint(),
            0x84fb_e82e_67b2_ecc1
        );
        // Unchanged since the first release: a time in UTC, and one without an offset.
        assert_eq!(
            event("2026-11-20T19:05:00Z", "Arrived at facility").fingerprint(),
            0x84fb_e82e_67b2_ecc1
        );
        assert_eq!(
            event("2026-11-20T14:05:00", "Arrived at facility").fingerprint(),
            0x0a97_8222_5c8b_924f
        );
    }
}
