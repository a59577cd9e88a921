//! WooCommerce's order webhooks (`order.created`, `order.updated`), read into a [`Delivery`]:
//! the REST API v3 `Order` resource, with its tracking numbers from the order meta
//! `_wc_shipment_tracking_items` that the WooCommerce Shipment Tracking extension writes (and
//! the Advanced Shipment Tracking plugin writes in the same shape, with its
//! `formatted_tracking_provider`).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use waypost_shared::detect::Carrier;
use waypost_shared::status::{Status, StatusDetail, SubStatus};

use super::inbound::{
    Delivery, ParcelSource, PlatformContact, PlatformDestination, PlatformOrder, PlatformParcel,
    platform_order_number,
};
use crate::error::{EdgeError, Result};

/// The order meta key both tracking plugins keep their items under.
const TRACKING_META: &str = "_wc_shipment_tracking_items";
/// The order meta key WPML keeps the customer's language under.
const LANGUAGE_META: &str = "wpml_language";

/// The payload of a signed delivery of `topic`, read; `None` for a topic Waypost does not use.
pub fn delivery(topic: &str, body: &[u8]) -> Result<Option<Delivery>> {
    if !matches!(topic, "order.created" | "order.updated") {
        return Ok(None);
    }
    let order: WooOrder = serde_json::from_slice(body)?;
    order.into_delivery().map(Some)
}

/// Whether an unsigned body is WooCommerce's delivery test, sent when a webhook is saved
/// (`webhook_id=12`): answered 200 so that WooCommerce activates the webhook, and ignored.
pub fn is_ping(body: &[u8]) -> bool {
    body.strip_prefix(b"webhook_id=")
        .is_some_and(|id| !id.is_empty() && id.len() <= 20 && id.iter().all(u8::is_ascii_digit))
}

/// WooCommerce's `Order`, as far as tracking needs it.
#[derive(Debug, Deserialize)]
struct WooOrder {
    id: u64,
    /// The order number the shop shows (`1234`, or a plugin's sequential number).
    number: Option<String>,
    /// `pending`, `processing`, `on-hold`, `completed`, `cancelled`, `refunded`, `failed`.
    status: Option<String>,
    /// `2017-03-22T19:28:08`, in UTC.
    date_modified_gmt: Option<String>,
    date_created_gmt: Option<String>,
    billing: Option<WooAddress>,
    shipping: Option<WooAddress>,
    #[serde(default)]
    meta_data: Option<Vec<WooMeta>>,
}

#[derive(Debug, Deserialize)]
struct WooAddress {
    email: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WooMeta {
    key: String,
    value: Value,
}

/// One tracking item of either plugin.
#[derive(Debug, Deserialize)]
struct TrackingItem {
    /// A provider slug (`usps`, `fedex`, `dhl-express`), or empty for a custom one.
    tracking_provider: Option<String>,
    /// The name of a provider the retailer typed in.
    custom_tracking_provider: Option<String>,
    /// Advanced Shipment Tracking: the provider's display name.
    formatted_tracking_provider: Option<String>,
    tracking_number: Option<String>,
}

impl WooOrder {
    fn into_delivery(self) -> Result<Delivery> {
        // A plugin's number when it is usable, else WooCommerce's own id.
        let order_number = self
            .number
            .as_deref()
            .and_then(platform_order_number)
            .unwrap_or_else(|| self.id.to_string());
        let email = self.billing.as_ref().and_then(|b| b.email.as_deref());
        let address = self
            .shipping
            .as_ref()
            .filter(|s| s.postcode.is_some())
            .or(self.billing.as_ref());
        let lang = self.meta(LANGUAGE_META).and_then(Value::as_str);
        let contact =
            PlatformContact::read(email, address.and_then(|a| a.postcode.as_deref()), lang);
        let status = match self.status.as_deref() {
            Some("cancelled" | "refunded") => StatusDetail::sub(SubStatus::Cancelled),
            Some("failed") => StatusDetail::sub(SubStatus::PaymentIssue),
            _ => StatusDetail::new(Status::Pending),
        };
        let version_at = instant(
            self.date_modified_gmt
                .as_deref()
                .or(self.date_created_gmt.as_deref()),
        )?;
        let parcels = self
            .tracking_items()?
            .into_iter()
            .filter_map(TrackingItem::into_parcel)
            .collect();
        let source = ParcelSource {
            key: format!("woocommerce/order/{}", self.id),
            order_number: order_number.clone(),
            contact: contact.clone(),
            destination: PlatformDestination::read(
                address.and_then(|a| a.city.as_deref()),
                address.and_then(|a| a.state.as_deref()),
                address.and_then(|a| a.country.as_deref()),
            ),
            version_at,
            parcels,
        };
        Ok(Delivery {
            order: Some(PlatformOrder {
                order_number,
                status,
                contact,
                version_at,
            }),
            sources: vec![source],
        })
    }

    fn meta(&self, key: &str) -> Option<&Value> {
        self.meta_data
            .as_deref()?
            .iter()
            .find(|meta| meta.key == key)
            .map(|meta| &meta.value)
    }

    /// The tracking items: an array, or (as some stores save it) that array as a JSON string.
    fn tracking_items(&self) -> Result<Vec<TrackingItem>> {
        let Some(value) = self.meta(TRACKING_META) else {
            return Ok(Vec::new());
        };
        let items = match value {
            Value::String(text) if text.trim().is_empty() => return Ok(Vec::new()),
            Value::String(text) => serde_json::from_str(text)?,
            other => Vec::<TrackingItem>::deserialize(other)?,
        };
        Ok(items)
    }
}

impl TrackingItem {
    fn into_parcel(self) -> Option<PlatformParcel> {
        let number = self.tracking_number.filter(|n| !n.trim().is_empty())?;
        let carrier = [
            self.tracking_provider,
            self.formatted_tracking_provider,
            self.custom_tracking_provider,
        ]
        .into_iter()
        .flatten()
        .find_map(|name| Carrier::from_name(&name));
        Some(PlatformParcel {
            number,
            carrier,
            status: None,
        })
    }
}

/// A WooCommerce GMT time (`2017-03-22T19:28:08`) as a UTC instant.
fn instant(text: Option<&str>) -> Result<DateTime<Utc>> {
    let text = text.ok_or_else(|| {
        EdgeError::bad_request(
            "invalid_payload",
            "the order has no date_modified_gmt or date_created_gmt",
        )
    })?;
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .map(|at| at.and_utc())
        .map_err(|_| {
            EdgeError::bad_request(
                "invalid_payload",
                format!("{text:?} is not a WooCommerce GMT time"),
            )
        })
}
