//! `POST /v1/imports`: orders and tracking numbers from a platform's or supplier's CSV export.
//!
//! The file is read and every row checked first ([`super::import_csv`]); a file with any bad row
//! stores nothing. Then the orders and shipments the file names are read, what differs from them
//! is computed, and only that is written, in one transaction that lands only if no shipment row
//! changed since it was read ([`Store::write_import`]); one that did makes the import read and
//! compute again ([`until_written`]). The same file sent twice writes nothing the second time.
//!
//! On D1 a full import of 20,000 new rows is 3 round trips of about 33 statements in all: 2 read
//! batches of 10 statements each (2,000 keys a statement), then one write batch (a transaction)
//! of 1 guard, 2 to 3 order and 7 to 9 shipment statements, each carrying up to 1 MB of rows as JSON
//! read through `json_each` (see `D1Store::write_import`): far inside D1's 1,000 queries an
//! invocation and 100 bound parameters a statement.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use waypost_shared::detect::Carrier;
use waypost_shared::status::Status;
use waypost_shared::wire::ImportResult;

use super::answers::Answers;
use super::import_csv::{self, ImportRow};
use super::live::Cache;
use super::store::{OrderRecord, ShipmentRecord, ShopRecord, Store, until_written};
use super::tracking_number::TrackingNumber;
use crate::error::Result;

/// Reads, checks and (unless `dry_run`) stores an import file; answers what it did or would do.
/// Changed stored shipments are dropped from the public answer cache. A new one needs no such
/// notice: a look-up of an unknown number answers 404, which the cache never keeps.
pub async fn import(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    body: &[u8],
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportResult> {
    let rows = import_csv::read(body)?;
    let wanted = Wanted::of(&rows);
    let plan = until_written(async || {
        let plan = Plan::compute(store, shop, &wanted, now).await?;
        if dry_run || !plan.writes_anything() {
            return Ok(Some(plan));
        }
        Ok(store
            .write_import(shop, &plan.orders, &plan.shipments)
            .await?
            .then_some(plan))
    })
    .await?;
    if !dry_run {
        let changed = plan.shipments.iter().filter(|s| s.revision.is_some());
        join_all(changed.map(|s| answers.shipment_changed(&shop.id, &s.tracking_number))).await;
    }
    Ok(plan.result(rows.len(), dry_run))
}

/// An order as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WantedOrder {
    email: String,
    postal_code: Option<String>,
    customer_name: Option<String>,
}

/// A shipment as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WantedShipment {
    order_number: String,
    /// The carrier the file names.
    given: Option<Carrier>,
    /// Detection's first candidate.
    detected: Option<Carrier>,
}

/// What the file asks for, each order and shipment once (the rows agree, as
/// [`import_csv::read`] checked).
#[derive(Debug, Default)]
pub struct Wanted {
    orders: BTreeMap<String, WantedOrder>,
    shipments: BTreeMap<TrackingNumber, WantedShipment>,
}

impl Wanted {
    /// The orders and shipments of checked rows; of an order's rows, the first that gives a value
    /// gives it.
    pub fn of(rows: &[ImportRow]) -> Wanted {
        let mut wanted = Wanted::default();
        for row in rows {
            let order = wanted
                .orders
                .entry(row.order_number.clone())
                .or_insert_with(|| WantedOrder {
                    email: row.email.clone(),
                    postal_code: None,
                    customer_name: None,
                });
            order.postal_code = order.postal_code.take().or(row.postal_code.clone());
            order.customer_name = order.customer_name.take().or(row.customer_name.clone());
            if let Some(shipment) = &row.shipment {
                let entry = wanted
                    .shipments
                    .entry(shipment.number.clone())
                    .or_insert_with(|| WantedShipment {
                        order_number: row.order_number.clone(),
                        given: None,
                        detected: shipment.detected,
                    });
                entry.given = entry.given.or(shipment.given);
            }
        }
        wanted
    }
}

/// What an import writes, computed from a read: the orders and shipments that differ from what
/// is stored (each shipment at the revision it was read at), and how many are left as they are.
#[derive(Debug, Default)]
pub struct Plan {
    /// New orders in full; stored ones with the file's email, postal code and customer name.
    pub orders: Vec<OrderRecord>,
    /// New and changed shipments; a changed one keeps the revision it was read at.
    pub shipments: Vec<ShipmentRecord>,
    orders_created: u64,
    orders_unchanged: u64,
    shipments_created: u64,
    shipments_unchanged: u64,
}

impl Plan {
    /// Reads the orders and shipments `wanted` names and computes what differs.
    pub async fn compute(
        store: &impl Store,
        shop: &ShopRecord,
        wanted: &Wanted,
        now: DateTime<Utc>,
    ) -> Result<Plan> {
        let mut plan = Plan::default();
        let numbers: Vec<&str> = wanted.orders.keys().map(String::as_str).collect();
        let mut stored: BTreeMap<String, OrderRecord> = store
            .orders_among(&shop.id, &numbers)
            .await?
            .into_iter()
            .map(|order| (order.order_number.clone(), order))
            .collect();
        for (number, order) in &wanted.orders {
            match stored.remove(number) {
                None => {
                    plan.orders_created += 1;
                    plan.orders.push(OrderRecord {
                        shop_id: shop.id.clone(),
                        order_number: number.clone(),
                        status: Status::Pending,
                        sub_status: None,
                        customer_name: order.customer_name.clone(),
                        email: Some(order.email.clone()),
                        phone: None,
                        postal_code: order.postal_code.clone(),
                        promised_from: None,
                        promised_to: None,
                        lang: None,
                        updated_at: now,
                    });
                }
                Some(existing) => {
                    let differs = |given: &Option<String>, stored: &Option<String>| {
                        given.is_some() && given != stored
                    };
                    if differs(&Some(order.email.clone()), &existing.email)
                        || differs(&order.postal_code, &existing.postal_code)
                        || differs(&order.customer_name, &existing.customer_name)
                    {
                        plan.orders.push(OrderRecord {
                            customer_name: order.customer_name.clone(),
                            email: Some(order.email.clone()),
                            postal_code: order.postal_code.clone(),
                            updated_at: now,
                            ..existing
                        });
                    } else {
                        plan.orders_unchanged += 1;
                    }
                }
            }
        }

        let numbers: Vec<&TrackingNumber> = wanted.shipments.keys().collect();
        let mut stored: BTreeMap<TrackingNumber, ShipmentRecord> = store
            .shipments_among(&shop.id, &numbers)
            .await?
            .into_iter()
            .map(|shipment| (shipment.tracking_number.clone(), shipment))
            .collect();
        for (number, shipment) in &wanted.shipments {
            let order_number = Some(shipment.order_number.clone());
            match stored.remove(number) {
                None => {
                    plan.shipments_created += 1;
                    let carrier = shipment.given.or(shipment.detected);
                    let mut record = ShipmentRecord::new(&shop.id, number.clone(), carrier, now);
                    record.order_number = order_number;
                    plan.shipments.push(record);
                }
                Some(existing) => {
                    // A blank carrier cell keeps the carrier the shipment has.
                    let carrier = shipment.given.or(existing.carrier).or(shipment.detected);
                    if existing.order_number == order_number && existing.carrier == carrier {
                        plan.shipments_unchanged += 1;
                    } else {
                        plan.shipments.push(ShipmentRecord {
                            order_number,
                            carrier,
                            updated_at: now,
                            ..existing
                        });
                    }
                }
            }
        }
        Ok(plan)
    }

    /// Whether there is anything to write.
    pub fn writes_anything(&self) -> bool {
        !self.orders.is_empty() || !self.shipments.is_empty()
    }

    /// The answer.
    fn result(&self, rows: usize, dry_run: bool) -> ImportResult {
        let count = |n: usize| n as u64;
        ImportResult {
            dry_run,
            rows: count(rows),
            orders_created: self.orders_created,
            orders_updated: count(self.orders.len()) - self.orders_created,
            orders_unchanged: self.orders_unchanged,
            shipments_created: self.shipments_created,
            shipments_updated: count(self.shipments.len()) - self.shipments_created,
            shipments_unchanged: self.shipments_unchanged,
            changed: self.writes_anything(),
        }
    }
}
