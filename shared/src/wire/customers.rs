//! A customer's personal data, as a shop holds it: exported on request and erased on request or
//! when the shop's retention period has passed (GDPR, CCPA, Shopify's privacy webhooks).

use serde::{Deserialize, Serialize};

use crate::wire::Contact;

/// `GET /v1/customers?email=`: everything personal the shop holds about one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerExport {
    /// The email asked about, normalised.
    pub email: String,
    /// The customer's orders, by order number.
    pub orders: Vec<CustomerOrder>,
}

/// One order's personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerOrder {
    /// The shop's order number.
    pub order_number: String,
    /// Name, email and phone as stored.
    pub contact: Contact,
    /// The delivery postal code given with the order.
    pub postal_code: Option<String>,
    /// The order's parcels and the postal codes they were registered with.
    pub shipments: Vec<CustomerShipment>,
}

/// A parcel's personal data: its destination's postal code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerShipment {
    /// The tracking number.
    pub tracking_number: String,
    /// The destination postal code.
    pub postal_code: Option<String>,
}

/// `DELETE /v1/customers?email=`: what was erased. Tracking of the parcels goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerErased {
    /// Orders whose name, email, phone and postal code were removed.
    pub orders: usize,
    /// Parcels whose destination postal code was removed.
    pub shipments: usize,
}
