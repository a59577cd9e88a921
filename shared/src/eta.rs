//! When the parcel should arrive: a window of dates and where the estimate comes from.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::time::{check_date, is_sane_date};

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

/// An inclusive window of local dates at the destination, both in
/// [`crate::time::SANE_YEARS`].
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
    /// A window; both dates must be sane ([`crate::time::is_sane_date`], else
    /// [`Error::DateOutOfRange`]) and `from` must not come after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate, source: EtaSource) -> Result<Self, Error> {
        check_date(from)?;
        check_date(to)?;
        if from > to {
            return Err(Error::InvertedEta { from, to });
        }
        Ok(EtaWindow { from, to, source })
    }

    /// A single day, which must be sane.
    pub fn on(day: NaiveDate, source: EtaSource) -> Result<Self, Error> {
        Self::new(day, day, source)
    }

    /// Our estimate: the shop's usual transit range counted from the day the parcel shipped.
    /// `None` when the ship date, or the window's last day, is not a sane date.
    pub fn estimated(shipped_on: NaiveDate, range: TransitRange) -> Option<Self> {
        if !is_sane_date(shipped_on) {
            return None;
        }
        let (min, max) = (
            range.min_days.min(range.max_days),
            range.min_days.max(range.max_days),
        );
        let add = |days: u16| shipped_on.checked_add_days(Days::new(days.into()));
        Self::new(add(min)?, add(max)?, EtaSource::Estimated).ok()
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
        self.late_from().is_some_and(|end| now >= end)
    }

    /// The instant the window has passed everywhere on Earth (noon UTC the day after its last
    /// day): from then on a parcel still on its way is late. `None` at the end of the calendar.
    pub fn late_from(&self) -> Option<DateTime<Utc>> {
        self.to
            .succ_opt()
            .and_then(|day| day.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc())
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
        )
        .unwrap();
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
    fn dates_outside_the_sane_years_are_refused() {
        let week = TransitRange {
            min_days: 7,
            max_days: 15,
        };
        for insane in ["1999-12-31", "2101-01-01", "+262142-12-31", "-0001-01-01"] {
            let insane = day(insane);
            assert_eq!(EtaWindow::estimated(insane, week), None);
            let error = EtaWindow::new(insane, day("2100-12-31"), EtaSource::Carrier).unwrap_err();
            assert_eq!(error.code(), "date_out_of_range");
            assert!(EtaWindow::new(day("2000-01-01"), insane, EtaSource::Carrier).is_err());
            assert!(EtaWindow::on(insane, EtaSource::Promised).is_err());
        }
        assert_eq!(
            EtaWindow::estimated(day("2100-12-20"), week),
            None,
            "the window would end in 2101"
        );
        let last = EtaWindow::on(day("2100-12-31"), EtaSource::Carrier).unwrap();
        assert!(last.has_passed("2101-01-01T12:00:00Z".parse().unwrap()));
        let json = r#"{"from":"2026-11-10","to":"9999-12-31","source":"carrier"}"#;
        assert!(serde_json::from_str::<EtaWindow>(json).is_err());
    }

    #[test]
    fn carrier_beats_promise_beats_estimate() {
        let on = |text, source| EtaWindow::on(day(text), source).unwrap();
        let estimated = on("2026-11-10", EtaSource::Estimated);
        let promised = on("2026-11-11", EtaSource::Promised);
        let carrier = on("2026-11-12", EtaSource::Carrier);
        assert_eq!(
            EtaWindow::best([estimated, carrier, promised]),
            Some(carrier)
        );
        assert_eq!(EtaWindow::best([estimated, promised]), Some(promised));
        assert_eq!(EtaWindow::best([]), None);
    }

    #[test]
    fn late_only_after_the_last_day_ends_everywhere() {
        let eta = EtaWindow::on(day("2026-11-10"), EtaSource::Carrier).unwrap();
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        assert!(!eta.has_passed(at("2026-11-10T23:59:59Z")));
        assert!(!eta.has_passed(at("2026-11-11T11:59:59Z")));
        assert!(eta.has_passed(at("2026-11-11T12:00:00Z")));
    }
}
