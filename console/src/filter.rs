//! Which shipments a list shows: the filters of `GET /v1/shipments` (status, health, carrier,
//! and whether the carrier has scanned the parcel yet), written to and read from the query part
//! of an address so a filtered list can be bookmarked and the back button restores it.

use waypost_shared::WireEnum;
use waypost_shared::detect::Carrier;
use waypost_shared::health::Health;
use waypost_shared::status::Status;

/// The filters of a shipment list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this health now.
    pub health: Option<Health>,
    /// Only this carrier.
    pub carrier: Option<Carrier>,
    /// Only parcels the carrier has (`true`) or has not yet (`false`) scanned; the API takes it
    /// with `health` only.
    pub scanned: Option<bool>,
}

impl Filter {
    /// The shipments with `health` now.
    pub fn health(health: Health) -> Filter {
        Filter {
            health: Some(health),
            ..Filter::default()
        }
    }

    /// The query string of the filters set (`status=in_transit&carrier=ups`), empty for none.
    pub fn query(&self) -> String {
        let scanned = self.scanned.map(|scanned| scanned.to_string());
        [
            ("status", self.status.map(|s| s.as_str())),
            ("health", self.health.map(|h| h.as_str())),
            ("carrier", self.carrier.map(|c| c.as_str())),
            ("scanned", scanned.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| format!("{name}={value}")))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The filters of a query string; names or values it does not know are left out.
    pub fn parse(query: &str) -> Filter {
        let mut filter = Filter::default();
        for (name, value) in query.split('&').filter_map(|pair| pair.split_once('=')) {
            match name {
                "status" => filter.status = Status::parse(value).ok(),
                "health" => filter.health = Health::parse(value).ok(),
                "carrier" => filter.carrier = Carrier::parse(value).ok(),
                "scanned" => filter.scanned = value.parse().ok(),
                _ => {}
            }
        }
        filter
    }
}
