//! A shop's own settings, as its console (or its server, with the secret key) reads and changes
//! them: where its widget may run, its usual transit time, its live carriers, its publishable key.

use serde::{Deserialize, Serialize};

use crate::detect::Carrier;
use crate::eta::TransitRange;

/// `GET /v1/shop`: the shop's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSettings {
    /// The shop's id.
    pub shop_id: String,
    /// Its display name.
    pub name: String,
    /// Origins allowed to call the public API from a browser.
    pub allowed_origins: Vec<String>,
    /// Its usual door-to-door time, for estimated ETAs.
    pub transit_days: TransitRange,
    /// Carriers whose live tracking answers its look-ups.
    pub live_carriers: Vec<Carrier>,
    /// The publishable key the widget snippet carries (the newest live one), if any.
    pub publishable_key: Option<String>,
}

/// `PATCH /v1/shop`: the settings to change; those left out stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopSettingsInput {
    /// Replaces the allowed origins.
    #[serde(default)]
    pub allowed_origins: Option<Vec<String>>,
    /// Replaces the usual transit time.
    #[serde(default, deserialize_with = "super::object::optional_object")]
    pub transit_days: Option<TransitRange>,
    /// Replaces the live carriers.
    #[serde(default)]
    pub live_carriers: Option<Vec<Carrier>>,
}
