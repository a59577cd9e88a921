//! Orders: pushed by the retailer, looked up by the customer with an email or postal code.

use chrono::{DateTime, Utc};
use subtle::ConstantTimeEq;
use waypost_shared::labels::{Key, Lang};
use waypost_shared::milestone::StepState;
use waypost_shared::status::{StatusDetail, SubStatus};
use waypost_shared::wire::{OrderInput, OrderView, TrackingView};

use super::answers::Answers;
use super::live::Cache;
use super::projection::shipment_view;
use super::store::{OrderRecord, ShopRecord, Store};
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::MAX_FIELD_CHARS;

/// `PUT /v1/orders/{order_number}`: creates or replaces the order's own state and contact.
pub async fn put_order(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    order_number: &str,
    input: OrderInput,
    now: DateTime<Utc>,
) -> Result<OrderRecord> {
    let order_number = validate::order_number(order_number)?;
    let detail = StatusDetail::try_new(input.status, input.sub_status)?;
    let record = OrderRecord {
        shop_id: shop.id.clone(),
        order_number,
        status: detail.status(),
        sub_status: detail.sub_status(),
        customer_name: validate::text(
            "customer.name",
            input.customer.name.as_deref(),
            MAX_FIELD_CHARS,
        )?,
        email: validate::email(input.customer.email.as_deref())?,
        phone: validate::phone("customer.phone", input.customer.phone.as_deref())?,
        postal_code: validate::postal_code("postal_code", input.postal_code.as_deref())?,
        promised_from: input.promised_delivery.map(|eta| eta.from()),
        promised_to: input.promised_delivery.map(|eta| eta.to()),
        lang: input.lang,
        updated_at: now,
    };
    store.upsert_order(&record).await?;
    // Its promised window shows in its parcels' views.
    for shipment in store
        .order_shipments(&shop.id, &record.order_number)
        .await?
    {
        answers
            .shipment_changed(&shop.id, &shipment.tracking_number)
            .await;
    }
    Ok(record)
}

/// How a customer proves the order is theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderProof {
    /// The email on the order.
    Email(String),
    /// The delivery postal code.
    PostalCode(String),
}

/// `GET /v1/orders/{order_number}?email=` (or `postal_code=`): the order and its parcels. An
/// unknown order and a wrong email get the very same 404, after the same one read.
pub async fn order_view(
    store: &impl Store,
    shop: &ShopRecord,
    order_number: &str,
    proof: OrderProof,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<OrderView> {
    let not_found = || EdgeError::NotFound {
        code: "order_not_found",
        detail: "No order matches this order number and email or postal code.".into(),
        detection: None,
    };
    let order_number = validate::order_number(order_number).map_err(|_| not_found())?;
    let given = match &proof {
        OrderProof::Email(email) => validate::email(Some(email)).ok().flatten(),
        OrderProof::PostalCode(code) => validate::postal_code("postal_code", Some(code))
            .ok()
            .flatten(),
    };
    let order = store.order(&shop.id, &order_number).await?;
    let expected = order
        .as_ref()
        .and_then(|order| match proof {
            OrderProof::Email(_) => order.email.as_deref(),
            OrderProof::PostalCode(_) => order.postal_code.as_deref(),
        })
        .unwrap_or("");
    let given = given.unwrap_or_default();
    let proven = !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()));
    let Some(order) = order.filter(|_| proven) else {
        return Err(not_found());
    };

    let mut shipments = Vec::new();
    for shipment in store.order_shipments(&shop.id, &order.order_number).await? {
        let events = store.events(&shop.id, &shipment.tracking_number).await?;
        shipments.push(shipment_view(
            shop,
            &shipment,
            events,
            Some(&order),
            lang,
            now,
        ));
    }
    // An order is as far along as its least advanced parcel, unless it was cancelled.
    let least_advanced = shipments
        .iter()
        .min_by_key(|view| steps_done(view))
        .filter(|_| order.sub_status != Some(SubStatus::Cancelled));
    let (status, sub_status) = least_advanced.map_or((order.status, order.sub_status), |view| {
        (view.status, view.sub_status)
    });
    Ok(OrderView {
        order_number: order.order_number,
        status,
        sub_status,
        status_label: lang.text(Key::Status(status)).to_owned(),
        shipments,
    })
}

fn steps_done(view: &TrackingView) -> usize {
    view.milestones
        .iter()
        .filter(|step| step.state == StepState::Done)
        .count()
}
