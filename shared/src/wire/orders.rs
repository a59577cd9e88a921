//! Orders: what a retailer pushes before shipping, and what a customer sees by order number.

use serde::{Deserialize, Serialize};

use crate::eta::EtaWindow;
use crate::labels::Lang;
use crate::status::{Status, SubStatus};
use crate::wire::TrackingView;

/// Customer contact for delivery notices. Private: never in a public answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// Email; also what a customer types to look the order up.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
}

/// `PUT /v1/orders/{order_number}`: the order's state before (and besides) its shipments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    /// The order's status while nothing has shipped (usually `pending`).
    pub status: Status,
    /// Why (e.g. `awaiting_stock`).
    #[serde(default)]
    pub sub_status: Option<SubStatus>,
    /// The customer, for notices and order look-ups.
    #[serde(default, deserialize_with = "super::object::object")]
    pub customer: Contact,
    /// The delivery postal code, the other way a customer can look the order up.
    #[serde(default)]
    pub postal_code: Option<String>,
    /// What the shop promised at checkout.
    #[serde(default, deserialize_with = "super::object::optional_object")]
    pub promised_delivery: Option<EtaWindow>,
    /// The customer's language, for what is sent to them.
    #[serde(default)]
    pub lang: Option<Lang>,
}

/// `GET /v1/orders/{order_number}`: the order and every parcel of it, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// The shop's order number.
    pub order_number: String,
    /// The order's own status (before shipping), or `in_transit` etc. once parcels move.
    pub status: Status,
    /// Why.
    pub sub_status: Option<SubStatus>,
    /// The status in words.
    pub status_label: String,
    /// Each parcel, in the order they were registered.
    pub shipments: Vec<TrackingView>,
}

/// The answer to `PUT /v1/orders/{order_number}`: what was stored, without the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAck {
    /// The order number.
    pub order_number: String,
    /// The order's own status.
    pub status: Status,
    /// Why.
    pub sub_status: Option<SubStatus>,
}
