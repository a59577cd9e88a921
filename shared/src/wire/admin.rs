//! Admin bodies: creating shops and their keys.

use serde::{Deserialize, Serialize};

use crate::detect::Carrier;
use crate::eta::TransitRange;

/// `POST /v1/admin/shops`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopInput {
    /// The shop's display name.
    pub name: String,
    /// Origins (`https://shop.example`) allowed to call the public API from a browser.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The shop's usual door-to-door time, for estimated ETAs.
    #[serde(deserialize_with = "super::object::object")]
    pub transit_days: TransitRange,
    /// Carriers whose live tracking API may answer this shop's look-ups (`ups`, `fedex`, `usps`,
    /// `dhl`); none by default.
    #[serde(default)]
    pub live_carriers: Vec<Carrier>,
    /// Days after a parcel's final status (delivered, expired) that its order's personal data
    /// (name, email, phone, postal codes) is kept; 180 when absent.
    #[serde(default)]
    pub retention_days: Option<u16>,
    /// Days after a parcel's final status that the parcel itself is kept (its tracking, events
    /// and, once none of its parcels is left, its order); 365 when absent.
    #[serde(default)]
    pub history_days: Option<u16>,
}

/// The answer to creating a shop: the only time the secret key is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopCreated {
    /// The shop's id.
    pub shop_id: String,
    /// The publishable key (`pk_...`) for the widget.
    pub publishable_key: String,
    /// The secret key (`sk_...`) for the retailer's servers; stored hashed, never shown again.
    pub secret_key: String,
}

/// `POST /v1/admin/shops/{shop_id}/keys`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// `publishable` or `secret`.
    pub kind: KeyKind,
}

crate::wire_enum! {
    /// The kinds of API key.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum KeyKind {
        /// `pk_...`: public, read-only, safe in a browser.
        Publishable = "publishable",
        /// `sk_...`: private, may write; never in a browser.
        Secret = "secret",
    }
}

/// A newly created key: the only time a secret key is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCreated {
    /// The key's id, used to revoke it.
    pub key_id: String,
    /// Which kind.
    pub kind: KeyKind,
    /// The key itself.
    pub key: String,
}
