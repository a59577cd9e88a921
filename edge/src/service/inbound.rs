//! Orders and parcels that shop platforms send by webhook, in one model whatever the platform
//! ([`Delivery`]), applied at most once per delivery: a newer version of an order or of a parcel
//! source (a Shopify fulfillment, a WooCommerce order) always wins over an older one arriving
//! late, and a tracking number the platform no longer lists (the supplier corrected it) is moved
//! rather than left behind.

use chrono::{DateTime, Utc};
use waypost_shared::detect::Carrier;
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, StatusDetail};
use waypost_shared::wire::{Platform, WebhookAck, WebhookOutcome};

use super::answers::Answers;
use super::live::Cache;
use super::notice_causes;
use super::store::{OrderRecord, ShipmentRecord, ShopRecord, SourceClaim, Store, until_written};
use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::Result;
use crate::limits::MAX_FIELD_CHARS;

/// What one webhook delivery says, read from the platform's payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// The order's own state, when the payload is an order.
    pub order: Option<PlatformOrder>,
    /// The sources of parcels it lists, each at its version.
    pub sources: Vec<ParcelSource>,
}

/// An order as a platform has it at one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformOrder {
    /// The shop's order number (checked).
    pub order_number: String,
    /// `pending` until it ships, or `exception`/`cancelled`.
    pub status: StatusDetail,
    /// The customer's contact and language.
    pub contact: PlatformContact,
    /// The platform's `updated_at` of this version.
    pub version_at: DateTime<Utc>,
}

/// What a platform says about the customer: only what order look-ups and notices need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformContact {
    /// Email, normalised; `None` when absent or not an email.
    pub email: Option<String>,
    /// Delivery postal code, normalised.
    pub postal_code: Option<String>,
    /// The customer's language, when the platform gives one Waypost speaks.
    pub lang: Option<Lang>,
}

impl PlatformContact {
    /// The contact from a platform's raw fields, leaving out what is not valid rather than
    /// refusing the delivery (the platform would only send it again).
    pub fn read(email: Option<&str>, postal_code: Option<&str>, lang: Option<&str>) -> Self {
        PlatformContact {
            email: validate::email(email).ok().flatten(),
            postal_code: validate::postal_code("postal_code", postal_code)
                .ok()
                .flatten(),
            lang: lang.and_then(Lang::from_tag),
        }
    }
}

/// Where a parcel is going, as the platform has it (kept where valid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformDestination {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

impl PlatformDestination {
    /// The destination from a platform's raw fields, leaving out what is not valid.
    pub fn read(city: Option<&str>, region: Option<&str>, country: Option<&str>) -> Self {
        let text = |field, value| validate::text(field, value, MAX_FIELD_CHARS).ok().flatten();
        PlatformDestination {
            city: text("city", city),
            region: text("region", region),
            country: validate::country("country", country).ok().flatten(),
        }
    }
}

/// A platform source of parcels at one version: every tracking number it lists now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelSource {
    /// Its key, unique in the shop: `shopify/fulfillment/{id}`, `woocommerce/order/{id}`.
    pub key: String,
    /// The order its parcels belong to (created from `contact` when it is not stored yet).
    pub order_number: String,
    pub contact: PlatformContact,
    pub destination: PlatformDestination,
    /// The platform's `updated_at` of this version.
    pub version_at: DateTime<Utc>,
    /// Its parcels; empty when it was cancelled.
    pub parcels: Vec<PlatformParcel>,
}

/// A tracking number a platform lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformParcel {
    /// The number as the platform sent it.
    pub number: String,
    /// The carrier the platform names, when Waypost knows it (else detection decides).
    pub carrier: Option<Carrier>,
    /// The platform's own shipment status, shown only while no carrier event is known.
    pub status: Option<StatusDetail>,
}

/// The order number of a platform's order name: without its leading `#` and any character order
/// numbers do not take (`#SO 1001` → `SO1001`), so that an order and its fulfillments agree on
/// it whatever the shop's naming; `None` when nothing usable is left.
pub fn platform_order_number(name: &str) -> Option<String> {
    let kept: String = name
        .trim()
        .trim_start_matches('#')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.#".contains(*c))
        .collect();
    validate::order_number(&kept).ok()
}

/// Applies a platform's webhook delivery to a shop, once per `delivery_id`; answers what it did.
pub async fn receive(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    platform: Platform,
    delivery_id: &str,
    delivery: Delivery,
    now: DateTime<Utc>,
) -> Result<WebhookAck> {
    let mut ack = WebhookAck {
        outcome: WebhookOutcome::Ignored,
        parcels: 0,
        removed: 0,
    };
    if store.delivery_seen(&shop.id, platform, delivery_id).await? {
        ack.outcome = WebhookOutcome::Duplicate;
        return Ok(ack);
    }
    let mut applied = false;
    let mut outdated = false;
    if let Some(order) = &delivery.order {
        let record = order_record(shop, &order.order_number, &order.contact, order.status, now);
        if store
            .merge_platform_order(&record, order.version_at)
            .await?
        {
            applied = true;
        } else {
            outdated = true;
        }
    }
    for source in &delivery.sources {
        let pending = StatusDetail::new(Status::Pending);
        let order = order_record(shop, &source.order_number, &source.contact, pending, now);
        store.insert_order_if_missing(&order).await?;
        let parcels: Vec<(TrackingNumber, Option<Carrier>, &PlatformParcel)> = source
            .parcels
            .iter()
            .filter_map(|parcel| {
                let (number, detection) = TrackingNumber::parse(&parcel.number).ok()?;
                let detected = detection.candidates.first().map(|c| c.carrier);
                Some((number, parcel.carrier.or(detected), parcel))
            })
            .collect();
        let claim = SourceClaim {
            shop_id: shop.id.clone(),
            source: source.key.clone(),
            order_number: source.order_number.clone(),
            version_at: source.version_at,
            numbers: parcels.iter().map(|(number, ..)| number.clone()).collect(),
        };
        if !store.claim_source(&claim).await? {
            outdated = true;
            continue;
        }
        applied = true;
        for (number, carrier, parcel) in &parcels {
            register(store, shop, source, number, *carrier, parcel.status, now).await?;
            store
                .link_source_parcel(&shop.id, &source.key, number)
                .await?;
            answers.shipment_changed(&shop.id, number).await;
            ack.parcels += 1;
        }
        // After registering, so that an older version registering at the same time is cleared
        // by whichever of the two finishes last.
        for number in store.drop_unlisted_parcels(&shop.id, &source.key).await? {
            answers.shipment_changed(&shop.id, &number).await;
            ack.removed += 1;
        }
    }
    store
        .record_delivery(&shop.id, platform, delivery_id, now)
        .await?;
    ack.outcome = if applied {
        WebhookOutcome::Applied
    } else if outdated {
        WebhookOutcome::Outdated
    } else {
        WebhookOutcome::Ignored
    };
    Ok(ack)
}

/// Registers a platform's parcel for its order: order, carrier and destination set, the
/// platform's status used while no carrier event is known. Nothing is written when nothing
/// changes, nor once a newer version of its source was taken.
async fn register(
    store: &impl Store,
    shop: &ShopRecord,
    source: &ParcelSource,
    number: &TrackingNumber,
    carrier: Option<Carrier>,
    status: Option<StatusDetail>,
    now: DateTime<Utc>,
) -> Result<()> {
    until_written(async || {
        let existing = store.shipment(&shop.id, number).await?;
        // Read after the row: a newer version of the source that wrote the row first is seen
        // here, and one that writes it after fails this write's revision check.
        let current = store.source_version(&shop.id, &source.key).await?;
        if current.is_some_and(|current| current > source.version_at) {
            return Ok(Some(()));
        }
        let mut record = existing
            .clone()
            .unwrap_or_else(|| ShipmentRecord::new(&shop.id, number.clone(), carrier, now));
        record.order_number = Some(source.order_number.clone());
        record.carrier = carrier.or(record.carrier);
        let destination = &source.destination;
        record.dest_city = destination.city.clone().or(record.dest_city);
        record.dest_region = destination.region.clone().or(record.dest_region);
        record.dest_country = destination.country.clone().or(record.dest_country);
        record.dest_postal_code = source
            .contact
            .postal_code
            .clone()
            .or(record.dest_postal_code);
        if let Some(status) = status.filter(|_| record.last_event_at.is_none()) {
            record.status = status.status();
            record.sub_status = status.sub_status();
        }
        if existing.as_ref() == Some(&record) {
            return Ok(Some(()));
        }
        record.updated_at = now;
        let causes = notice_causes::caused(existing.as_ref(), &record, &[]);
        Ok(store
            .save_shipment(shop, &record, &causes)
            .await?
            .then_some(()))
    })
    .await
}

fn order_record(
    shop: &ShopRecord,
    order_number: &str,
    contact: &PlatformContact,
    status: StatusDetail,
    now: DateTime<Utc>,
) -> OrderRecord {
    OrderRecord {
        shop_id: shop.id.clone(),
        order_number: order_number.to_owned(),
        status: status.status(),
        sub_status: status.sub_status(),
        customer_name: None,
        email: contact.email.clone(),
        phone: None,
        postal_code: contact.postal_code.clone(),
        promised_from: None,
        promised_to: None,
        lang: contact.lang,
        updated_at: now,
    }
}

/// The cron's pass: forgets up to `limit` delivery ids noted before `before`; answers how many.
pub async fn forget_deliveries(
    store: &impl Store,
    before: DateTime<Utc>,
    limit: usize,
) -> Result<usize> {
    store.forget_deliveries(before, limit).await
}
