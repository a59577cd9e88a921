//! A customer's personal data: exported and erased on request (`GET`/`DELETE /v1/customers`),
//! and erased by the cron once the shop's retention period after the parcels' final status has
//! passed. Parcels stay trackable: only names, emails, phones and postal codes go.

use chrono::{DateTime, Utc};
use waypost_shared::wire::{
    Contact, CustomerErased, CustomerExport, CustomerOrder, CustomerShipment,
};

use super::store::{ShopRecord, Store};
use super::validate;
use crate::error::{EdgeError, Result};

/// `GET /v1/customers?email=`: every order of the shop holding this email, with its contact and
/// its parcels' postal codes.
pub async fn export(store: &impl Store, shop: &ShopRecord, email: &str) -> Result<CustomerExport> {
    let email = customer_email(email)?;
    let mut orders = Vec::new();
    for order in store.customer_orders(&shop.id, &email).await? {
        let shipments = store
            .order_shipments(&shop.id, &order.order_number)
            .await?
            .into_iter()
            .map(|shipment| CustomerShipment {
                tracking_number: shipment.tracking_number.to_string(),
                postal_code: shipment.dest_postal_code,
            })
            .collect();
        orders.push(CustomerOrder {
            order_number: order.order_number,
            contact: Contact {
                name: order.customer_name,
                email: order.email,
                phone: order.phone,
            },
            postal_code: order.postal_code,
            shipments,
        });
    }
    Ok(CustomerExport { email, orders })
}

/// `DELETE /v1/customers?email=`: erases the customer's personal data across the shop's orders.
pub async fn erase(store: &impl Store, shop: &ShopRecord, email: &str) -> Result<CustomerErased> {
    let email = customer_email(email)?;
    let (orders, shipments) = store.erase_customer(&shop.id, &email).await?;
    Ok(CustomerErased { orders, shipments })
}

/// The cron's retention pass: erases the personal data of up to `limit` orders whose parcels all
/// reached a final status longer ago than their shop keeps it, and of up to `limit` orders
/// without a parcel last written that long ago; answers how many.
pub async fn expire(store: &impl Store, now: DateTime<Utc>, limit: usize) -> Result<usize> {
    let through_parcels = store.expire_customers(now, limit).await?;
    let without_parcels = store.expire_parcelless_orders(now, limit).await?;
    Ok(through_parcels + without_parcels)
}

fn customer_email(email: &str) -> Result<String> {
    validate::email(Some(email))?.ok_or_else(|| {
        EdgeError::bad_request("invalid_query", "email is required: ?email=ana@example.com")
    })
}
