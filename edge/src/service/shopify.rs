//! Shopify's order and fulfillment webhooks, read into a [`Delivery`]. Fields and topics as
//! Shopify documents them (REST Admin API `Order` and `Fulfillment` resources, webhook topics
//! `orders/create`, `orders/updated`, `orders/cancelled`, `fulfillments/create`,
//! `fulfillments/update`); everything else in the payloads is ignored.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use waypost_shared::detect::Carrier;
use waypost_shared::interop::SHOPIFY;
use waypost_shared::status::{Status, StatusDetail, SubStatus};

use super::inbound::{
    Delivery, ParcelSource, PlatformContact, PlatformDestination, PlatformOrder, PlatformParcel,
    platform_order_number,
};
use crate::error::{EdgeError, Result};

/// The payload of a signed delivery of `topic`, read; `None` for a topic Waypost does not use.
pub fn delivery(topic: &str, body: &[u8]) -> Result<Option<Delivery>> {
    let delivery = match topic {
        "orders/create" | "orders/updated" | "orders/cancelled" => {
            let order: ShopifyOrder = serde_json::from_slice(body)?;
            order.into_delivery()?
        }
        "fulfillments/create" | "fulfillments/update" => {
            let fulfillment: ShopifyFulfillment = serde_json::from_slice(body)?;
            let order_number = fulfillment.order_number()?;
            Delivery {
                order: None,
                sources: vec![fulfillment.into_source(order_number, None)?],
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(delivery))
}

/// Shopify's `Order`, as far as tracking needs it.
#[derive(Debug, Deserialize)]
struct ShopifyOrder {
    /// `#1001` (the shop's prefix and suffix included).
    name: Option<String>,
    /// `1001`, the number without prefix or suffix.
    order_number: Option<u64>,
    email: Option<String>,
    contact_email: Option<String>,
    /// `fr`, `en-CA`.
    customer_locale: Option<String>,
    cancelled_at: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    shipping_address: Option<ShopifyAddress>,
    billing_address: Option<ShopifyAddress>,
    #[serde(default)]
    fulfillments: Option<Vec<ShopifyFulfillment>>,
}

/// Shopify's `Fulfillment`: the parcels of (part of) an order.
#[derive(Debug, Deserialize)]
struct ShopifyFulfillment {
    id: u64,
    /// `#1001.1`: the order's name and the fulfillment's rank.
    name: Option<String>,
    /// `pending`, `open`, `success`, `cancelled`, `error`, `failure`.
    status: Option<String>,
    email: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    tracking_company: Option<String>,
    tracking_number: Option<String>,
    tracking_numbers: Option<Vec<String>>,
    /// The latest fulfillment event's status (`in_transit`, `delivered`, ...).
    shipment_status: Option<String>,
    destination: Option<ShopifyAddress>,
}

/// Shopify's `Address`, as far as look-ups and the journey need it.
#[derive(Debug, Deserialize)]
struct ShopifyAddress {
    zip: Option<String>,
    city: Option<String>,
    province_code: Option<String>,
    country_code: Option<String>,
}

impl ShopifyOrder {
    fn into_delivery(self) -> Result<Delivery> {
        let order_number = self
            .name
            .as_deref()
            .and_then(platform_order_number)
            .or_else(|| self.order_number.map(|number| number.to_string()))
            .ok_or_else(|| {
                EdgeError::bad_request(
                    "invalid_payload",
                    "the order has no usable name or order_number",
                )
            })?;
        let address = self
            .shipping_address
            .as_ref()
            .or(self.billing_address.as_ref());
        let contact = PlatformContact::read(
            self.email.as_deref().or(self.contact_email.as_deref()),
            address.and_then(|a| a.zip.as_deref()),
            self.customer_locale.as_deref(),
        );
        let status = if self.cancelled_at.is_some() {
            StatusDetail::sub(SubStatus::Cancelled)
        } else {
            StatusDetail::new(Status::Pending)
        };
        let version_at = instant(self.updated_at.as_deref().or(self.created_at.as_deref()))?;
        let sources = self
            .fulfillments
            .unwrap_or_default()
            .into_iter()
            .map(|fulfillment| fulfillment.into_source(order_number.clone(), Some(&contact)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Delivery {
            order: Some(PlatformOrder {
                order_number,
                status,
                contact,
                version_at,
            }),
            sources,
        })
    }
}

impl ShopifyFulfillment {
    /// Its order's number, from its name: `#1001.1` → `1001`.
    fn order_number(&self) -> Result<String> {
        let name = self
            .name
            .as_deref()
            .unwrap_or_default()
            .trim_start_matches('#');
        let order = match name.rsplit_once('.') {
            Some((order, rank)) if !rank.is_empty() && rank.bytes().all(|b| b.is_ascii_digit()) => {
                order
            }
            _ => name,
        };
        platform_order_number(order).ok_or_else(|| {
            EdgeError::bad_request(
                "invalid_payload",
                "the fulfillment's name does not hold its order's name (#1001.1)",
            )
        })
    }

    fn into_source(
        self,
        order_number: String,
        order: Option<&PlatformContact>,
    ) -> Result<ParcelSource> {
        let destination = self.destination.as_ref();
        let mut contact = PlatformContact::read(
            self.email.as_deref(),
            destination.and_then(|d| d.zip.as_deref()),
            None,
        );
        if let Some(order) = order {
            contact.email = contact.email.or_else(|| order.email.clone());
            contact.postal_code = contact.postal_code.or_else(|| order.postal_code.clone());
            contact.lang = order.lang;
        }
        let cancelled = matches!(
            self.status.as_deref(),
            Some("cancelled" | "error" | "failure")
        );
        let carrier = self
            .tracking_company
            .as_deref()
            .and_then(Carrier::from_name);
        let status = self
            .shipment_status
            .as_deref()
            .and_then(|code| SHOPIFY.import(code).ok());
        let mut numbers = self.tracking_numbers.unwrap_or_default();
        if numbers.is_empty() {
            numbers.extend(self.tracking_number);
        }
        let parcels = if cancelled { Vec::new() } else { numbers }
            .into_iter()
            .map(|number| PlatformParcel {
                number,
                carrier,
                status,
            })
            .collect();
        Ok(ParcelSource {
            key: format!("shopify/fulfillment/{}", self.id),
            order_number,
            contact,
            destination: PlatformDestination::read(
                destination.and_then(|d| d.city.as_deref()),
                destination.and_then(|d| d.province_code.as_deref()),
                destination.and_then(|d| d.country_code.as_deref()),
            ),
            version_at: instant(self.updated_at.as_deref().or(self.created_at.as_deref()))?,
            parcels,
        })
    }
}

/// A Shopify timestamp (`2021-12-31T19:00:00-05:00`) as a UTC instant to the second.
fn instant(text: Option<&str>) -> Result<DateTime<Utc>> {
    let text = text.ok_or_else(|| {
        EdgeError::bad_request(
            "invalid_payload",
            "the payload has no updated_at or created_at",
        )
    })?;
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            EdgeError::bad_request(
                "invalid_payload",
                format!("{text:?} is not an RFC 3339 time"),
            )
        })
}
