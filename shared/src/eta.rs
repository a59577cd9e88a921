//! When the parcel should arrive: a window of dates and where the estimate comes from.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::Error;

crate::wire_enum! {
    /// Who produced an ETA. Carrier estimates beat shop promises, which beat our own estimate.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum EtaSource {
        /// The carrier's own estimate.
        Carrier = "carrier",
        /// What the shop promised at checkout.
        Promised = "promised",
        /// Waypost's estimate from the shop's usual transit range.
        Estimated = "estimated",
    }
}

/// An inclusive window of local dates at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "EtaWindowWire", into = "EtaWindowWire")]
pub struct EtaWindow {
    from: NaiveDate,
    to: NaiveDate,
    source: EtaSource,
}

/// A shop's usual door-to-door time in days, e.g. 7–15 for an overseas supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TransitRange {
    /// Fewest days a parcel usually takes.
    pub min_days: u16,
    /// Most days a parcel usually takes.
    pub max_days: u16,
}

impl EtaWindow {
    /// A window; `from` must not come after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate, source: EtaSource) -> Result<Self, Error> {
        if from > to {
            return Err(Error::InvertedEta { from, to });
        }
        Ok(EtaWindow { from, to, source })
    }

    /// A single day.
    pub fn on(day: NaiveDate, source: EtaSource) -> Self {
        EtaWindow {
            from: day,
            to: day,
            source,
        }
    }

    /// Our estimate: the shop's usual transit range counted from the day the parcel shipped.
    pub fn estimated(shipped_on: NaiveDate, range: TransitRange) -> Self {
        let (min, max) = (
            range.min_days.min(range.max_days),
            range.min_days.max(range.max_days),
        );
        let add = |days: u16| shipped_on + TimeDelta::days(days.into());
        EtaWindow {
            from: add(min),
            to: add(max),
            source: EtaSource::Estimated,
        }
    }

    /// The best of several estimates: the most authoritative source wins.
    pub fn best(candidates: impl IntoIterator<Item = EtaWindow>) -> Option<EtaWindow> {
        candidates.into_iter().min_by_key(|eta| eta.source)
    }

    /// First day of the window.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day of the window.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Where the estimate comes from.
    pub fn source(&self) -> EtaSource {
        self.source
    }

    /// True once the window's last day has ended everywhere on Earth (at UTC−12), so a parcel is
    /// never called late while it can still be that day at the destination.
    pub fn has_passed(&self, now: DateTime<Utc>) -> bool {
        let last_moment = (self.to + TimeDelta::days(1))
            .and_hms_opt(12, 0, 0)
            .map(|t| t.and_utc());
        last_moment.is_some_and(|end| now >= end)
    }
}

#[derive(Serialize, Deserialize)]
struct EtaWindowWire {
    #[serde(with = "crate::iso::date")]
    from: NaiveDate,
    #[serde(with = "crate::iso::date")]
    to: NaiveDate,
    source: EtaSource,
}

impl TryFrom<EtaWindowWire> for EtaWindow {
    type Error = Error;
    fn try_from(wire: EtaWindowWire) -> Result<Self, Error> {
        EtaWindow::new(wire.from, wire.to, wire.source)
    }
}

impl From<EtaWindow> for EtaWindowWire {
    fn from(eta: EtaWindow) -> Self {
        EtaWindowWire {
            from: eta.from,
            to: eta.to,
            source: eta.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn estimated_from_transit_range() {
        let eta = EtaWindow::estimated(
            day("2026-11-01"),
            TransitRange {
                min_days: 7,
                max_days: 15,
            },
        );
        assert_eq!(
            (eta.from(), eta.to()),
            (day("2026-11-08"), day("2026-11-16"))
        );
        assert_eq!(eta.source(), EtaSource::Estimated);
    }

    #[test]
    fn inverted_windows_are_rejected() {
        assert!(EtaWindow::new(day("2026-11-10"), day("2026-11-09"), EtaSource::Carrier).is_err());
        let json = r#"{"from":"2026-11-10","to":"2026-11-09","source":"carrier"}"#;
        assert!(serde_json::from_str::<EtaWindow>(json).is_err());
    }

    #[test]
    fn carrier_beats_promise_beats_estimate() {
        let estimated = EtaWindow::on(day("2026-11-10"), EtaSource::Estimated);
        let promised = EtaWindow::on(day("2026-11-11"), EtaSource::Promised);
        let carrier = EtaWindow::on(day("2026-11-12"), EtaSource::Carrier);
        assert_eq!(
            EtaWindow::best([estimated, carrier, promised]),
            Some(carrier)
        );
        assert_eq!(EtaWindow::best([estimated, promised]), Some(promised));
        assert_eq!(EtaWindow::best([]), None);
    }

    #[test]
    fn late_only_after_the_last_day_ends_everywhere() {
        let eta = EtaWindow::on(day("2026-11-10"), EtaSource::Carrier);
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        assert!(!eta.has_passed(at("2026-11-10T23:59:59Z")));
        assert!(!eta.has_passed(at("2026-11-11T11:59:59Z")));
        assert!(eta.has_passed(at("2026-11-11T12:00:00Z")));
    }
}
