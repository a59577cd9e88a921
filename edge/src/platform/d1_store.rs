//! [`Store`] on Cloudflare D1. Enums are stored as their wire strings, dates as ISO text, instants
//! as RFC 3339 UTC text to the second (`2026-11-20T14:05:00Z`, which sorts as time does), events
//! as the shared JSON; every statement names the shop. Records hold typed values: this file is the
//! one place they become text and back.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use waypost_shared::WireEnum;
use waypost_shared::detect::Carrier;
use waypost_shared::event::TrackingEvent;
use waypost_shared::health::{Health, HealthSchedule, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{Channel, DeliveryState, KeyKind, Platform, Trigger};
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Queue, console_error, console_log};

use crate::error::{EdgeError, Result};
use crate::limits::{IMPORT_READ_CHUNK, MAX_IMPORT_STATEMENT_BYTES};
use crate::platform::notify_queue;
use crate::service::notice_causes::Cause;
use crate::service::outbox::OutboxMessage;
use crate::service::projection::{ended_dues, health_schedule};
use crate::service::store::{
    IntegrationRecord, KeyRecord, ListPosition, ListedShipment, MAX_SHOPS_PER_NUMBER, OrderRecord,
    SessionRecord, SettingsChange, ShipmentFilter, ShipmentHistory, ShipmentRecord, ShopRecord,
    SourceClaim, Store, StoredCounts, StoredEvent,
};
use crate::service::tracking_number::TrackingNumber;

mod delays;
pub(crate) mod outbox;
mod subscriptions;

/// The D1 database bound as `DB`.
pub struct D1Store {
    db: D1Database,
    /// The notification queue, which new notices are handed to once written.
    outbox: Option<Queue>,
}

impl D1Store {
    /// Wraps the binding.
    pub fn new(db: D1Database) -> Self {
        D1Store { db, outbox: None }
    }

    /// Hands new notices to `queue` once written.
    pub fn with_outbox(mut self, queue: Option<Queue>) -> Self {
        self.outbox = queue;
        self
    }

    /// The statements writing a notice for each of `causes` about `shipment`, each only under
    /// the write's own `revision` (nothing lands when the row write did not) and only when its
    /// cause was not noticed before; with the new notices' ids.
    fn notice_statements(
        &self,
        shipment: &ShipmentRecord,
        causes: &[Cause],
        revision: &str,
    ) -> Result<Vec<(String, D1PreparedStatement)>> {
        causes
            .iter()
            .map(|cause| {
                let id = format!("ntc_{}", next_revision()?);
                let statement = self.statement(
                    "INSERT OR IGNORE INTO notices \
                     (id, shop_id, tracking_number, order_number, trigger, episode, created_at) \
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM shipments \
                     WHERE shop_id = ?2 AND tracking_number = ?3 AND revision = ?8)",
                    &[
                        text(&id),
                        text(&shipment.shop_id),
                        text(shipment.tracking_number.as_str()),
                        maybe(shipment.order_number.as_deref()),
                        wire(&cause.trigger),
                        text(&cause.episode),
                        instant(shipment.updated_at),
                        text(revision),
                    ],
                )?;
                Ok((id, statement))
            })
            .collect()
    }

    /// The statement that tells an order waiting for stock or payment, once per order and
    /// trigger, as the order row stands once its write ran (in the same transaction); with the
    /// new notice's id.
    fn order_notice(&self, order: &OrderRecord) -> Result<(String, D1PreparedStatement)> {
        let id = format!("ntc_{}", next_revision()?);
        let statement = self.statement(
            "INSERT OR IGNORE INTO notices \
             (id, shop_id, tracking_number, order_number, trigger, episode, created_at) \
             SELECT ?1, shop_id, '', order_number, sub_status, order_number, updated_at \
             FROM orders WHERE shop_id = ?2 AND order_number = ?3 \
             AND sub_status IN ('awaiting_stock', 'payment_issue')",
            &[text(&id), text(&order.shop_id), text(&order.order_number)],
        )?;
        Ok((id, statement))
    }

    /// Runs `statements` then the notices' in one transaction; whether the first changed a row.
    /// The notices written are handed to the queue; one the queue did not take is sent by the
    /// Cron Trigger's sweep.
    async fn write_noticed(
        &self,
        mut statements: Vec<D1PreparedStatement>,
        notices: Vec<(String, D1PreparedStatement)>,
    ) -> Result<bool> {
        let first = statements.len();
        let (ids, notice_statements): (Vec<String>, Vec<_>) = notices.into_iter().unzip();
        statements.extend(notice_statements);
        let results = self.db.batch(statements).await.map_err(internal)?;
        let row = results
            .first()
            .ok_or_else(|| internal("a batch answered no results"))?;
        let written = changed_a_row(row)?;
        let mut new = Vec::new();
        for (id, result) in ids.into_iter().zip(&results[first..]) {
            if changed_a_row(result)? {
                new.push(id);
            }
        }
        self.hand_to_queue(new).await;
        Ok(written)
    }

    /// Hands notices to the queue (best effort: see [`D1Store::write_noticed`]).
    async fn hand_to_queue(&self, ids: Vec<String>) {
        let Some(queue) = &self.outbox else {
            return;
        };
        notify_queue::enqueue(
            queue,
            ids.into_iter().map(|id| OutboxMessage::Notice { id }),
        )
        .await;
    }

    pub(crate) fn statement(&self, sql: &str, values: &[JsValue]) -> Result<D1PreparedStatement> {
        self.db.prepare(sql).bind(values).map_err(internal)
    }

    async fn run(&self, sql: &str, values: &[JsValue]) -> Result<()> {
        self.statement(sql, values)?.run().await.map_err(internal)?;
        Ok(())
    }

    pub(crate) async fn rows<T: DeserializeOwned>(
        &self,
        sql: &str,
        values: &[JsValue],
    ) -> Result<Vec<T>> {
        self.statement(sql, values)?
            .all()
            .await
            .map_err(internal)?
            .results()
            .map_err(internal)
    }

    async fn row<T: DeserializeOwned>(&self, sql: &str, values: &[JsValue]) -> Result<Option<T>> {
        Ok(self.rows(sql, values).await?.into_iter().next())
    }
}

pub(crate) fn internal(error: impl std::fmt::Display) -> EdgeError {
    EdgeError::Internal(format!("D1: {error}"))
}

pub(crate) fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

fn maybe(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// An instant as stored: RFC 3339 in UTC, to the second.
pub(crate) fn instant(at: DateTime<Utc>) -> JsValue {
    JsValue::from_str(&instant_text(at))
}

/// The text of [`instant`], for values passed inside JSON.
fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn read_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(internal)
}

fn maybe_read_instant(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.as_deref().map(read_instant).transpose()
}

/// A value stored as its wire text: an enum's wire name, a date's ISO text (`in_transit`,
/// `2026-11-20`), read back exactly as serde reads them.
trait WireText: Sized {
    fn to_text(&self) -> String;
    fn from_text(text: &str) -> Result<Self>;
}

macro_rules! enum_wire_text {
    ($($enum:ty),+) => {$(
        impl WireText for $enum {
            fn to_text(&self) -> String {
                self.as_str().to_owned()
            }
            fn from_text(text: &str) -> Result<Self> {
                <$enum as WireEnum>::parse(text).map_err(internal)
            }
        }
    )+};
}

enum_wire_text!(
    Status,
    SubStatus,
    Carrier,
    Scope,
    ServiceLevel,
    KeyKind,
    Health,
    Lang,
    Platform,
    Trigger,
    Channel,
    DeliveryState
);

impl WireText for NaiveDate {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str) -> Result<Self> {
        text.parse().map_err(internal)
    }
}

/// An enum or date as its wire text (`in_transit`, `2026-11-20`).
fn wire<T: WireText>(value: &T) -> JsValue {
    JsValue::from_str(&value.to_text())
}

fn maybe_wire<T: WireText>(value: Option<&T>) -> JsValue {
    value.map_or(JsValue::NULL, wire)
}

fn unwire<T: WireText>(text: &str) -> Result<T> {
    T::from_text(text)
}

fn maybe_unwire<T: WireText>(text: Option<String>) -> Result<Option<T>> {
    text.as_deref().map(unwire).transpose()
}

#[derive(Deserialize)]
struct ShopRow {
    id: String,
    name: String,
    allowed_origins: String,
    transit_min_days: u16,
    transit_max_days: u16,
    created_at: String,
    live_carriers: String,
    retention_days: u16,
    history_days: u16,
}

impl ShopRow {
    fn into_record(self) -> Result<ShopRecord> {
        Ok(ShopRecord {
            id: self.id,
            name: self.name,
            allowed_origins: serde_json::from_str(&self.allowed_origins).map_err(internal)?,
            transit_min_days: self.transit_min_days,
            transit_max_days: self.transit_max_days,
            created_at: read_instant(&self.created_at)?,
            live_carriers: serde_json::from_str(&self.live_carriers).map_err(internal)?,
            retention_days: self.retention_days,
            history_days: self.history_days,
        })
    }
}

/// A key joined with its shop.
#[derive(Deserialize)]
struct KeyShopRow {
    #[serde(flatten)]
    key: KeyRow,
    #[serde(flatten)]
    shop: ShopRow,
}

#[derive(Deserialize)]
struct KeyRow {
    key_id: String,
    shop_id: String,
    kind: String,
    secret_hash: Option<String>,
    revoked: u8,
}

impl KeyRow {
    fn into_record(self) -> Result<KeyRecord> {
        Ok(KeyRecord {
            key_id: self.key_id,
            shop_id: self.shop_id,
            kind: unwire(&self.kind)?,
            secret_hash: self.secret_hash,
            revoked: self.revoked != 0,
        })
    }
}

/// An integration joined with its shop.
#[derive(Deserialize)]
struct IntegrationShopRow {
    platform: String,
    sealed_secret: String,
    /// When the integration was set (the shop's own `created_at` is the shop's).
    set_at: String,
    #[serde(flatten)]
    shop: ShopRow,
}

/// A console session joined with its shop.
#[derive(Deserialize)]
struct SessionShopRow {
    token_hash: String,
    key_id: String,
    csrf_token: String,
    /// When the session was made (the shop's own `created_at` is the shop's).
    signed_in_at: String,
    expires_at: String,
    #[serde(flatten)]
    shop: ShopRow,
}

/// A row that only says something matched.
#[derive(Deserialize)]
struct Exists {}

/// A parcel source's version.
#[derive(Deserialize)]
struct VersionRow {
    version_at: String,
}

/// A tracking number column.
#[derive(Deserialize)]
struct NumberRow {
    tracking_number: String,
}

#[derive(Deserialize)]
struct OrderRow {
    shop_id: String,
    order_number: String,
    status: String,
    sub_status: Option<String>,
    customer_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    postal_code: Option<String>,
    promised_from: Option<String>,
    promised_to: Option<String>,
    lang: Option<String>,
    updated_at: String,
}

impl OrderRow {
    fn into_record(self) -> Result<OrderRecord> {
        Ok(OrderRecord {
            shop_id: self.shop_id,
            order_number: self.order_number,
            status: unwire(&self.status)?,
            sub_status: maybe_unwire(self.sub_status)?,
            customer_name: self.customer_name,
            email: self.email,
            phone: self.phone,
            postal_code: self.postal_code,
            promised_from: maybe_unwire(self.promised_from)?,
            promised_to: maybe_unwire(self.promised_to)?,
            lang: maybe_unwire(self.lang)?,
            updated_at: read_instant(&self.updated_at)?,
        })
    }
}

#[derive(Deserialize)]
struct ShipmentRow {
    shop_id: String,
    tracking_number: String,
    order_number: Option<String>,
    carrier: Option<String>,
    dest_city: Option<String>,
    dest_region: Option<String>,
    dest_postal_code: Option<String>,
    dest_country: Option<String>,
    scope: String,
    service_level: String,
    eta_from: Option<String>,
    eta_to: Option<String>,
    shipped_on: Option<String>,
    status: String,
    sub_status: Option<String>,
    last_event_at: Option<String>,
    carrier_checked_at: Option<String>,
    last_mile_carrier: Option<String>,
    last_mile_number: Option<String>,
    created_at: String,
    updated_at: String,
    revision: String,
    health_fixed: Option<String>,
    late_from: Option<String>,
    stalled_after: Option<String>,
}

impl ShipmentRow {
    /// The row with the health schedule stored with it.
    fn into_listed(mut self) -> Result<ListedShipment> {
        let schedule = HealthSchedule {
            fixed: maybe_unwire(self.health_fixed.take())?,
            late_from: maybe_read_instant(self.late_from.take())?,
            stalled_after: maybe_read_instant(self.stalled_after.take())?,
        };
        Ok(ListedShipment {
            shipment: self.into_record()?,
            schedule,
        })
    }

    fn into_record(self) -> Result<ShipmentRecord> {
        Ok(ShipmentRecord {
            shop_id: self.shop_id,
            tracking_number: TrackingNumber::from_stored(self.tracking_number),
            order_number: self.order_number,
            carrier: maybe_unwire(self.carrier)?,
            dest_city: self.dest_city,
            dest_region: self.dest_region,
            dest_postal_code: self.dest_postal_code,
            dest_country: self.dest_country,
            scope: unwire(&self.scope)?,
            service_level: unwire(&self.service_level)?,
            eta_from: maybe_unwire(self.eta_from)?,
            eta_to: maybe_unwire(self.eta_to)?,
            shipped_on: maybe_unwire(self.shipped_on)?,
            status: unwire(&self.status)?,
            sub_status: maybe_unwire(self.sub_status)?,
            last_event_at: maybe_read_instant(self.last_event_at)?,
            carrier_checked_at: maybe_read_instant(self.carrier_checked_at)?,
            last_mile_carrier: maybe_unwire(self.last_mile_carrier)?,
            last_mile_number: self.last_mile_number.map(TrackingNumber::from_stored),
            created_at: read_instant(&self.created_at)?,
            updated_at: read_instant(&self.updated_at)?,
            revision: Some(self.revision),
        })
    }
}

/// A parcel whose data fell due, with its order.
#[derive(Deserialize)]
struct DueParcel {
    shop_id: String,
    tracking_number: String,
    order_number: Option<String>,
}

/// The pairs of a JSON array of `[a, b]` bound as `?1`, as rows, for `(x, y) IN {PAIRS}`.
const PAIRS: &str =
    "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))";

/// The JSON array [`PAIRS`] reads: the pairs given, `None`s left out.
fn pairs<'a>(items: impl Iterator<Item = Option<[&'a String; 2]>>) -> Result<JsValue> {
    let pairs: Vec<[&String; 2]> = items.flatten().collect();
    Ok(text(&serde_json::to_string(&pairs).map_err(internal)?))
}

/// The conditions of a list's `filter` (` AND ...` each), bound after the `values` bound
/// already: at most five values. The scanned filter compares `+status`, which no index reads, so
/// it never draws the planner away from the list's own index.
fn filter_conditions(filter: &ShipmentFilter, values: &mut Vec<JsValue>) -> String {
    let mut bind = |value: JsValue| {
        values.push(value);
        format!("?{}", values.len())
    };
    let mut sql = String::new();
    if let Some(status) = filter.status {
        sql.push_str(&format!(" AND status = {}", bind(wire(&status))));
    }
    if let Some(carrier) = filter.carrier {
        sql.push_str(&format!(" AND carrier = {}", bind(wire(&carrier))));
    }
    if let Some(scanned) = filter.scanned {
        let unscanned: Vec<String> = ShipmentFilter::UNSCANNED
            .iter()
            .map(|status| bind(wire(status)))
            .collect();
        let not = if scanned { " NOT" } else { "" };
        sql.push_str(&format!(" AND +status{not} IN ({})", unscanned.join(", ")));
    }
    sql
}

#[derive(Deserialize)]
struct EventRow {
    event: String,
}

/// The shipment columns; the first two are the key, the last six derived from the row and its
/// shop with every write of it: its health schedule and when its data falls due.
const SHIPMENT_COLUMNS: &str = "shop_id, tracking_number, order_number, carrier, dest_city, dest_region, \
     dest_postal_code, dest_country, scope, service_level, eta_from, eta_to, shipped_on, status, \
     sub_status, last_event_at, carrier_checked_at, last_mile_carrier, last_mile_number, \
     created_at, updated_at, revision, \
     health_fixed, late_from, stalled_after, schedule_version, erase_due_at, delete_due_at";

/// The values of every [`SHIPMENT_COLUMNS`] column of a shipment's row written at revision
/// `next`, the derived ones computed here (its health schedule at the current version of the
/// rules, when its data falls due): the one place a shipment becomes a row, whether bound to one
/// statement or carried with many others in a JSON array.
fn shipment_row(shop: &ShopRecord, s: &ShipmentRecord, next: &str) -> Vec<Value> {
    let schedule = health_schedule(shop, s);
    let dues = ended_dues(shop, s);
    vec![
        Value::from(s.shop_id.as_str()),
        Value::from(s.tracking_number.as_str()),
        maybe_json(s.order_number.as_deref()),
        maybe_wire_json(s.carrier.as_ref()),
        maybe_json(s.dest_city.as_deref()),
        maybe_json(s.dest_region.as_deref()),
        maybe_json(s.dest_postal_code.as_deref()),
        maybe_json(s.dest_country.as_deref()),
        Value::from(s.scope.to_text()),
        Value::from(s.service_level.to_text()),
        maybe_wire_json(s.eta_from.as_ref()),
        maybe_wire_json(s.eta_to.as_ref()),
        maybe_wire_json(s.shipped_on.as_ref()),
        Value::from(s.status.to_text()),
        maybe_wire_json(s.sub_status.as_ref()),
        maybe_instant_json(s.last_event_at),
        maybe_instant_json(s.carrier_checked_at),
        maybe_wire_json(s.last_mile_carrier.as_ref()),
        maybe_json(s.last_mile_number.as_ref().map(TrackingNumber::as_str)),
        Value::from(instant_text(s.created_at)),
        Value::from(instant_text(s.updated_at)),
        Value::from(next),
        maybe_wire_json(schedule.fixed.as_ref()),
        maybe_instant_json(schedule.late_from),
        maybe_instant_json(schedule.stalled_after),
        Value::from(HealthSchedule::VERSION),
        maybe_instant_json(dues.map(|due| due.erase_at)),
        maybe_instant_json(dues.map(|due| due.delete_at)),
    ]
}

fn maybe_json(value: Option<&str>) -> Value {
    value.map_or(Value::Null, Value::from)
}

fn maybe_wire_json<T: WireText>(value: Option<&T>) -> Value {
    value.map_or(Value::Null, |value| Value::from(value.to_text()))
}

fn maybe_instant_json(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |at| Value::from(instant_text(at)))
}

/// A value of [`shipment_row`] bound on its own.
fn bound(value: &Value) -> JsValue {
    match value {
        Value::String(text) => JsValue::from_str(text),
        Value::Number(number) => number.as_f64().map_or(JsValue::NULL, JsValue::from),
        Value::Bool(flag) => JsValue::from(*flag),
        _ => JsValue::NULL,
    }
}

impl D1Store {
    /// Up to `limit` parcels whose instant in `column` (`erase_due_at`, `delete_due_at`) has come
    /// by `now`, earliest first, read by that column's index.
    async fn due_parcels(
        &self,
        column: &str,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueParcel>> {
        let sql = format!(
            "SELECT shop_id, tracking_number, order_number FROM shipments \
             WHERE {column} <= ?1 ORDER BY {column} LIMIT ?2"
        );
        self.rows(&sql, &[instant(now), JsValue::from(limit as u32)])
            .await
    }

    /// The conditional write of a shipment row at the fresh revision `next`: an insert when the
    /// shipment is new (nothing when a row appeared meanwhile), else an update of the row only
    /// while it is still at the revision it was read at. One row changed means it landed.
    fn save_shipment_statement(
        &self,
        shop: &ShopRecord,
        s: &ShipmentRecord,
        next: &str,
    ) -> Result<D1PreparedStatement> {
        let columns: Vec<&str> = SHIPMENT_COLUMNS.split(", ").collect();
        let mut values: Vec<JsValue> = shipment_row(shop, s, next).iter().map(bound).collect();
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = match &s.revision {
            None => format!(
                "INSERT INTO shipments ({SHIPMENT_COLUMNS}) VALUES ({}) \
                 ON CONFLICT (shop_id, tracking_number) DO NOTHING",
                placeholders.join(", ")
            ),
            Some(read_at) => {
                let updates: Vec<String> = columns
                    .iter()
                    .zip(&placeholders)
                    .skip(2)
                    .map(|(column, placeholder)| format!("{column} = {placeholder}"))
                    .collect();
                values.push(text(read_at));
                format!(
                    "UPDATE shipments SET {} WHERE shop_id = ?1 AND tracking_number = ?2 AND revision = ?{}",
                    updates.join(", "),
                    values.len()
                )
            }
        };
        self.statement(&sql, &values)
    }
}

/// The rows of a list that read back; one that does not is logged and left out, so a single bad
/// row never takes a whole list down.
fn readable<R, T>(rows: Vec<R>, read: impl Fn(R) -> Result<T>) -> Vec<T> {
    rows.into_iter()
        .filter_map(|row| match read(row) {
            Ok(record) => Some(record),
            Err(error) => {
                console_error!("unreadable row left out of a list: {error}");
                None
            }
        })
        .collect()
}

/// A shipment's stored events that read back (one stored under older rules that does not is
/// logged and left out rather than failing the parcel for good).
fn read_events(rows: Vec<EventRow>) -> Vec<TrackingEvent> {
    readable(rows, |row| {
        serde_json::from_str(&row.event).map_err(internal)
    })
}

/// A fresh revision token for a shipment row.
fn next_revision() -> Result<String> {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).map_err(|error| internal(format!("randomness: {error}")))?;
    Ok(hex::encode(bytes))
}

/// Whether a statement's result changed a row.
pub(crate) fn changed_a_row(result: &worker::D1Result) -> Result<bool> {
    Ok(rows_changed(result)? > 0)
}

/// How many rows a statement's result changed.
fn rows_changed(result: &worker::D1Result) -> Result<usize> {
    Ok(result
        .meta()
        .map_err(internal)?
        .and_then(|meta| meta.changes)
        .unwrap_or(0))
}

/// The final statuses' wire names as a JSON array, for `IN (SELECT value FROM json_each(?))`.
fn final_statuses() -> Result<JsValue> {
    Ok(text(
        &serde_json::to_string(&Status::FINAL).map_err(internal)?,
    ))
}

/// Erasing a customer's personal data from orders (name, email, phone, postal code); a `WHERE`
/// follows.
const ERASE_ORDERS: &str =
    "UPDATE orders SET customer_name = NULL, email = NULL, phone = NULL, postal_code = NULL";

/// An order's own columns, bound `?1` to `?12` by [`order_values`].
const ORDER_COLUMNS: &str = "shop_id, order_number, status, sub_status, customer_name, email, \
     phone, postal_code, promised_from, promised_to, lang, updated_at";
const ORDER_VALUES: &str = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12";

/// The values of [`ORDER_COLUMNS`] for an order.
fn order_values(o: &OrderRecord) -> Vec<JsValue> {
    vec![
        text(&o.shop_id),
        text(&o.order_number),
        wire(&o.status),
        maybe_wire(o.sub_status.as_ref()),
        maybe(o.customer_name.as_deref()),
        maybe(o.email.as_deref()),
        maybe(o.phone.as_deref()),
        maybe(o.postal_code.as_deref()),
        maybe_wire(o.promised_from.as_ref()),
        maybe_wire(o.promised_to.as_ref()),
        maybe_wire(o.lang.as_ref()),
        instant(o.updated_at),
    ]
}

/// Erasing parcels' destination postal codes, each at a fresh revision (`?3`) so a concurrent
/// write computed before the erasure cannot put one back; a `WHERE` on `?1`, `?2` follows.
const ERASE_PARCELS: &str = "UPDATE shipments SET dest_postal_code = NULL, revision = ?3";

impl Store for D1Store {
    async fn insert_shop(&self, shop: &ShopRecord) -> Result<()> {
        let origins = serde_json::to_string(&shop.allowed_origins).map_err(internal)?;
        let carriers = serde_json::to_string(&shop.live_carriers).map_err(internal)?;
        self.run(
            "INSERT INTO shops (id, name, allowed_origins, transit_min_days, transit_max_days, created_at, \
             live_carriers, retention_days, history_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &[
                text(&shop.id),
                text(&shop.name),
                text(&origins),
                JsValue::from(shop.transit_min_days),
                JsValue::from(shop.transit_max_days),
                instant(shop.created_at),
                text(&carriers),
                JsValue::from(shop.retention_days),
                JsValue::from(shop.history_days),
            ],
        )
        .await
    }

    async fn shop(&self, shop_id: &str) -> Result<Option<ShopRecord>> {
        let row: Option<ShopRow> = self
            .row("SELECT * FROM shops WHERE id = ?1", &[text(shop_id)])
            .await?;
        row.map(ShopRow::into_record).transpose()
    }

    async fn insert_key(&self, key: &KeyRecord) -> Result<()> {
        self.run(
            "INSERT INTO api_keys (key_id, shop_id, kind, secret_hash, revoked) VALUES (?1, ?2, ?3, ?4, 0)",
            &[text(&key.key_id), text(&key.shop_id), wire(&key.kind), maybe(key.secret_hash.as_deref())],
        )
        .await
    }

    async fn key_with_shop(&self, key_id: &str) -> Result<Option<(KeyRecord, ShopRecord)>> {
        let sql = "SELECT k.key_id, k.shop_id, k.kind, k.secret_hash, k.revoked, s.id, s.name, s.allowed_origins, \
                   s.transit_min_days, s.transit_max_days, s.created_at, s.live_carriers, s.retention_days, \
                   s.history_days FROM api_keys k JOIN shops s ON s.id = k.shop_id WHERE k.key_id = ?1";
        let row: Option<KeyShopRow> = self.row(sql, &[text(key_id)]).await?;
        row.map(|row| Ok((row.key.into_record()?, row.shop.into_record()?)))
            .transpose()
    }

    async fn publishable_keys(&self, shop_id: &str) -> Result<Vec<KeyRecord>> {
        let rows: Vec<KeyRow> = self
            .rows(
                "SELECT key_id, shop_id, kind, secret_hash, revoked FROM api_keys INDEXED BY api_keys_by_shop \
                 WHERE shop_id = ?1 AND kind = 'publishable' AND revoked = 0 ORDER BY rowid DESC",
                &[text(shop_id)],
            )
            .await?;
        rows.into_iter().map(KeyRow::into_record).collect()
    }

    async fn replace_publishable_key(&self, key: &KeyRecord) -> Result<Vec<String>> {
        let revoked: Vec<String> = self
            .publishable_keys(&key.shop_id)
            .await?
            .into_iter()
            .map(|old| old.key_id)
            .collect();
        // Every live publishable key but the new one, whatever was read: one added meanwhile is
        // revoked too, and its answer-cache entry expires within the cache's time-to-live.
        let statements = vec![
            self.statement(
                "INSERT INTO api_keys (key_id, shop_id, kind, secret_hash, revoked) VALUES (?1, ?2, 'publishable', NULL, 0)",
                &[text(&key.key_id), text(&key.shop_id)],
            )?,
            self.statement(
                "UPDATE api_keys SET revoked = 1 WHERE shop_id = ?1 AND kind = 'publishable' AND key_id != ?2",
                &[text(&key.shop_id), text(&key.key_id)],
            )?,
        ];
        self.db.batch(statements).await.map_err(internal)?;
        Ok(revoked)
    }

    async fn update_shop_settings(&self, shop_id: &str, change: &SettingsChange) -> Result<bool> {
        let origins = change
            .allowed_origins
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(internal)?;
        let carriers = change
            .live_carriers
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(internal)?;
        let (min, max) = change.transit_days.unzip();
        let days = |days: Option<u16>| days.map_or(JsValue::NULL, JsValue::from);
        let result = self
            .statement(
                "UPDATE shops SET allowed_origins = COALESCE(?2, allowed_origins), \
                 transit_min_days = COALESCE(?3, transit_min_days), \
                 transit_max_days = COALESCE(?4, transit_max_days), \
                 live_carriers = COALESCE(?5, live_carriers) WHERE id = ?1",
                &[
                    text(shop_id),
                    maybe(origins.as_deref()),
                    days(min),
                    days(max),
                    maybe(carriers.as_deref()),
                ],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn revoke_key(&self, shop_id: &str, key_id: &str) -> Result<bool> {
        let result = self
            .statement(
                "UPDATE api_keys SET revoked = 1 WHERE shop_id = ?1 AND key_id = ?2",
                &[text(shop_id), text(key_id)],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn upsert_order(&self, o: &OrderRecord) -> Result<()> {
        let sql = format!(
            "INSERT INTO orders ({ORDER_COLUMNS}, source_at) VALUES ({ORDER_VALUES}, NULL) \
             ON CONFLICT (shop_id, order_number) DO UPDATE SET status = excluded.status, \
             sub_status = excluded.sub_status, customer_name = excluded.customer_name, email = excluded.email, \
             phone = excluded.phone, postal_code = excluded.postal_code, promised_from = excluded.promised_from, \
             promised_to = excluded.promised_to, lang = excluded.lang, updated_at = excluded.updated_at, \
             source_at = NULL"
        );
        let upsert = self.statement(&sql, &order_values(o))?;
        self.write_noticed(vec![upsert], vec![self.order_notice(o)?])
            .await
            .map(drop)
    }

    async fn order(&self, shop_id: &str, order_number: &str) -> Result<Option<OrderRecord>> {
        let row: Option<OrderRow> = self
            .row(
                "SELECT * FROM orders WHERE shop_id = ?1 AND order_number = ?2",
                &[text(shop_id), text(order_number)],
            )
            .await?;
        row.map(OrderRow::into_record).transpose()
    }

    async fn save_shipment(
        &self,
        shop: &ShopRecord,
        shipment: &ShipmentRecord,
        causes: &[Cause],
    ) -> Result<bool> {
        let next = next_revision()?;
        let row = self.save_shipment_statement(shop, shipment, &next)?;
        if causes.is_empty() {
            let result = row.run().await.map_err(internal)?;
            return changed_a_row(&result);
        }
        let notices = self.notice_statements(shipment, causes, &next)?;
        self.write_noticed(vec![row], notices).await
    }

    async fn shipment(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<ShipmentRecord>> {
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE shop_id = ?1 AND tracking_number = ?2"
        );
        let row: Option<ShipmentRow> = self
            .row(&sql, &[text(shop_id), text(number.as_str())])
            .await?;
        row.map(ShipmentRow::into_record).transpose()
    }

    async fn order_shipments(
        &self,
        shop_id: &str,
        order_number: &str,
    ) -> Result<Vec<ShipmentRecord>> {
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE shop_id = ?1 AND order_number = ?2 \
             ORDER BY created_at, tracking_number"
        );
        let rows: Vec<ShipmentRow> = self
            .rows(&sql, &[text(shop_id), text(order_number)])
            .await?;
        Ok(readable(rows, ShipmentRow::into_record))
    }

    async fn list_shipments(
        &self,
        shop_id: &str,
        filter: &ShipmentFilter,
        after: Option<&TrackingNumber>,
        limit: usize,
    ) -> Result<Vec<ListedShipment>> {
        // ?1 the shop, ?2 the number to continue after ('' sorts before every stored one), then
        // the filter's values and the limit. The index read: the carrier's when the filter names
        // one, else the status's when it names one, else the primary key's.
        let index = match (filter.carrier, filter.status) {
            (Some(_), _) => "INDEXED BY shipments_by_carrier",
            (None, Some(_)) => "INDEXED BY shipments_by_status",
            (None, None) => "",
        };
        let mut values = vec![
            text(shop_id),
            text(after.map_or("", TrackingNumber::as_str)),
        ];
        let conditions = filter_conditions(filter, &mut values);
        values.push(JsValue::from(limit as u32));
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments {index} WHERE shop_id = ?1 \
             AND tracking_number > ?2{conditions} ORDER BY tracking_number LIMIT ?{}",
            values.len()
        );
        let rows: Vec<ShipmentRow> = self.rows(&sql, &values).await?;
        Ok(readable(rows, ShipmentRow::into_listed))
    }

    async fn list_by_health(
        &self,
        shop_id: &str,
        health: Health,
        filter: &ShipmentFilter,
        now: DateTime<Utc>,
        after: Option<&ListPosition>,
        limit: usize,
    ) -> Result<Vec<ListedShipment>> {
        // ?2 now (the health itself for the fixed ones), (?3, ?4) the position to continue
        // after ('' sorts before every stored value), then the filter's values and the limit.
        // The health's index is named: an equality on the carrier or status would otherwise draw
        // the planner to theirs.
        let (index, matches, order) = match health {
            Health::Late => (
                "shipments_late",
                "health_fixed IS NULL AND late_from <= ?2 AND (late_from, tracking_number) > (?3, ?4)",
                "late_from, tracking_number",
            ),
            Health::Stalled => (
                "shipments_stalled",
                "health_fixed IS NULL AND stalled_after < ?2 AND (late_from IS NULL OR late_from > ?2) \
                 AND (stalled_after, tracking_number) > (?3, ?4)",
                "stalled_after, tracking_number",
            ),
            Health::OnTrack => (
                "shipments_by_health",
                "health_fixed IS NULL AND (stalled_after IS NULL OR stalled_after >= ?2) \
                 AND (late_from IS NULL OR late_from > ?2) AND tracking_number > ?4",
                "tracking_number",
            ),
            Health::NeedsAction | Health::Done => (
                "shipments_by_health",
                "health_fixed = ?2 AND tracking_number > ?4",
                "tracking_number",
            ),
        };
        let fixed = matches!(health, Health::NeedsAction | Health::Done);
        let mut values = vec![
            text(shop_id),
            if fixed { wire(&health) } else { instant(now) },
            after
                .and_then(|position| position.since)
                .map_or_else(|| text(""), instant),
            text(after.map_or("", |position| position.number.as_str())),
        ];
        let conditions = filter_conditions(filter, &mut values);
        values.push(JsValue::from(limit as u32));
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments INDEXED BY {index} WHERE shop_id = ?1 \
             AND {matches}{conditions} ORDER BY {order} LIMIT ?{}",
            values.len()
        );
        let rows: Vec<ShipmentRow> = self.rows(&sql, &values).await?;
        Ok(readable(rows, ShipmentRow::into_listed))
    }

    async fn shipment_counts(&self, shop_id: &str, now: DateTime<Utc>) -> Result<StoredCounts> {
        let shop = [text(shop_id)];
        let at = [text(shop_id), instant(now)];
        let statements = vec![
            self.statement(
                "SELECT status, health_fixed, shipments FROM shipment_counts \
                 WHERE shop_id = ?1 AND shipments > 0",
                &shop,
            )?,
            self.statement(
                "SELECT COUNT(*) AS shipments FROM shipments \
                 WHERE shop_id = ?1 AND health_fixed IS NULL AND late_from <= ?2",
                &at,
            )?,
            self.statement(
                "SELECT COUNT(*) AS shipments FROM shipments \
                 WHERE shop_id = ?1 AND health_fixed IS NULL AND stalled_after < ?2 \
                 AND (late_from IS NULL OR late_from > ?2)",
                &at,
            )?,
        ];
        let results = self.db.batch(statements).await.map_err(internal)?;
        let [by_status, late, stalled] = results.as_slice() else {
            return Err(internal("a batch answered fewer results than statements"));
        };
        let by_status: Vec<CountRow> = by_status.results().map_err(internal)?;
        let count = |result: &worker::D1Result| -> Result<u64> {
            let rows: Vec<Count> = result.results().map_err(internal)?;
            Ok(rows.first().map_or(0, |row| row.shipments))
        };
        Ok(StoredCounts {
            by_status: readable(by_status, |row| {
                let fixed = match row.health_fixed.as_str() {
                    "" => None,
                    fixed => Some(unwire(fixed)?),
                };
                Ok((unwire(&row.status)?, fixed, row.shipments))
            }),
            late: count(late)?,
            stalled: count(stalled)?,
        })
    }

    async fn events(&self, shop_id: &str, number: &TrackingNumber) -> Result<Vec<TrackingEvent>> {
        let rows: Vec<EventRow> = self
            .rows(
                "SELECT event FROM events WHERE shop_id = ?1 AND tracking_number = ?2 ORDER BY rowid",
                &[text(shop_id), text(number.as_str())],
            )
            .await?;
        Ok(read_events(rows))
    }

    async fn handed_over_as(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<TrackingNumber>> {
        #[derive(Deserialize)]
        struct Handed {
            tracking_number: String,
        }
        let rows: Vec<Handed> = self
            .rows(
                "SELECT tracking_number FROM shipments INDEXED BY shipments_by_last_mile \
                 WHERE shop_id = ?1 AND last_mile_number = ?2 LIMIT 1",
                &[text(shop_id), text(number.as_str())],
            )
            .await?;
        Ok(rows
            .into_iter()
            .next()
            .map(|row| TrackingNumber::from_stored(row.tracking_number)))
    }

    async fn shops_tracking(&self, number: &TrackingNumber) -> Result<Vec<ShopRecord>> {
        let sql = format!(
            "SELECT h.* FROM shops h WHERE h.id IN \
             (SELECT shop_id FROM shipments INDEXED BY shipments_by_number WHERE tracking_number = ?1 \
              LIMIT {MAX_SHOPS_PER_NUMBER})"
        );
        let rows: Vec<ShopRow> = self.rows(&sql, &[text(number.as_str())]).await?;
        rows.into_iter().map(ShopRow::into_record).collect()
    }

    async fn shipment_history(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<ShipmentHistory>> {
        let key = [text(shop_id), text(number.as_str())];
        let shipment_sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE shop_id = ?1 AND tracking_number = ?2"
        );
        let order_sql = "SELECT o.* FROM orders o JOIN shipments s ON s.shop_id = o.shop_id AND s.order_number = o.order_number \
                         WHERE s.shop_id = ?1 AND s.tracking_number = ?2";
        let events_sql =
            "SELECT event FROM events WHERE shop_id = ?1 AND tracking_number = ?2 ORDER BY rowid";
        let statements = vec![
            self.statement(&shipment_sql, &key)?,
            self.statement(order_sql, &key)?,
            self.statement(events_sql, &key)?,
        ];
        let mut results = self
            .db
            .batch(statements)
            .await
            .map_err(internal)?
            .into_iter();
        let mut next = || {
            results
                .next()
                .ok_or_else(|| internal("a batch answered fewer results than statements"))
        };
        let shipments: Vec<ShipmentRow> = next()?.results().map_err(internal)?;
        let orders: Vec<OrderRow> = next()?.results().map_err(internal)?;
        let events: Vec<EventRow> = next()?.results().map_err(internal)?;
        let Some(shipment) = shipments.into_iter().next() else {
            return Ok(None);
        };
        Ok(Some(ShipmentHistory {
            shipment: shipment.into_record()?,
            order: orders
                .into_iter()
                .next()
                .map(OrderRow::into_record)
                .transpose()?,
            events: read_events(events),
        }))
    }

    async fn store_events(
        &self,
        shop: &ShopRecord,
        shipment: &ShipmentRecord,
        events: &[StoredEvent],
        causes: &[Cause],
    ) -> Result<bool> {
        let next = next_revision()?;
        let mut statements = vec![self.save_shipment_statement(shop, shipment, &next)?];
        for stored in events {
            let json = serde_json::to_string(&stored.event).map_err(internal)?;
            // Only under this write's own revision: nothing lands when the row write did not.
            statements.push(self.statement(
                "INSERT OR IGNORE INTO events (shop_id, tracking_number, fingerprint, event) \
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM shipments \
                 WHERE shop_id = ?1 AND tracking_number = ?2 AND revision = ?5)",
                &[
                    text(&shipment.shop_id),
                    text(shipment.tracking_number.as_str()),
                    text(&stored.fingerprint),
                    text(&json),
                    text(&next),
                ],
            )?);
        }
        let notices = self.notice_statements(shipment, causes, &next)?;
        self.write_noticed(statements, notices).await
    }

    async fn customer_orders(&self, shop_id: &str, email: &str) -> Result<Vec<OrderRecord>> {
        let rows: Vec<OrderRow> = self
            .rows(
                "SELECT * FROM orders WHERE shop_id = ?1 AND email = ?2 ORDER BY order_number",
                &[text(shop_id), text(email)],
            )
            .await?;
        Ok(readable(rows, OrderRow::into_record))
    }

    async fn erase_customer(&self, shop_id: &str, email: &str) -> Result<(usize, usize)> {
        // Parcels first: they are found through their orders' email.
        let shipments = self.statement(
            &format!(
                "{ERASE_PARCELS} WHERE shop_id = ?1 AND dest_postal_code IS NOT NULL AND order_number IN \
                 (SELECT order_number FROM orders WHERE shop_id = ?1 AND email = ?2)"
            ),
            &[text(shop_id), text(email), text(&next_revision()?)],
        )?;
        let orders = self.statement(
            &format!("{ERASE_ORDERS} WHERE shop_id = ?1 AND email = ?2"),
            &[text(shop_id), text(email)],
        )?;
        // The messages to the address, or to the phone of its orders (read before the orders
        // lose it), forget whom they went to (lists keep the masked form) and those still
        // pending are not sent; its opt-ins go.
        let messages = self.statement(
            "UPDATE deliveries SET recipient = 'erased:' || id, \
             state = CASE state WHEN 'pending' THEN 'suppressed' ELSE state END \
             WHERE shop_id = ?1 AND recipient IN \
             (SELECT ?2 UNION SELECT phone FROM orders \
              WHERE shop_id = ?1 AND email = ?2 AND phone IS NOT NULL)",
            &[text(shop_id), text(email)],
        )?;
        let opt_ins = self.statement(
            "DELETE FROM subscriptions WHERE shop_id = ?1 AND email = ?2",
            &[text(shop_id), text(email)],
        )?;
        let results = self
            .db
            .batch(vec![shipments, messages, opt_ins, orders])
            .await
            .map_err(internal)?;
        match results.as_slice() {
            [shipments, _, _, orders] => Ok((rows_changed(orders)?, rows_changed(shipments)?)),
            _ => Err(internal("a batch answered fewer results than statements")),
        }
    }

    async fn expire_customers(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let due = self.due_parcels("erase_due_at", now, limit).await?;
        if due.is_empty() {
            return Ok(0);
        }
        // An order goes only once none of its parcels is open or ended more recently.
        // ?1 shop, ?2 order, ?3 the parcels' next revision, ?4 final statuses, ?5 now.
        let settled = "NOT EXISTS (SELECT 1 FROM shipments p WHERE p.shop_id = ?1 \
             AND p.order_number = ?2 AND (p.status NOT IN (SELECT value FROM json_each(?4)) \
             OR p.erase_due_at > ?5))";
        let mut statements = Vec::new();
        let mut order_erasures = Vec::new();
        let mut orders = Vec::new();
        for parcel in &due {
            let Some(order_number) = &parcel.order_number else {
                statements.push(self.statement(
                    &format!(
                        "{ERASE_PARCELS} WHERE shop_id = ?1 AND tracking_number = ?2 \
                         AND order_number IS NULL AND dest_postal_code IS NOT NULL"
                    ),
                    &[
                        text(&parcel.shop_id),
                        text(&parcel.tracking_number),
                        text(&next_revision()?),
                    ],
                )?);
                continue;
            };
            if orders.contains(&(&parcel.shop_id, order_number)) {
                continue;
            }
            orders.push((&parcel.shop_id, order_number));
            let values = [
                text(&parcel.shop_id),
                text(order_number),
                text(&next_revision()?),
                final_statuses()?,
                instant(now),
            ];
            statements.push(self.statement(
                &format!(
                    "{ERASE_PARCELS} WHERE shop_id = ?1 AND order_number = ?2 \
                     AND dest_postal_code IS NOT NULL AND {settled}"
                ),
                &values,
            )?);
            order_erasures.push(statements.len());
            statements.push(self.statement(
                &format!(
                    "{ERASE_ORDERS} WHERE shop_id = ?1 AND order_number = ?2 AND (email IS NOT NULL \
                     OR customer_name IS NOT NULL OR phone IS NOT NULL OR postal_code IS NOT NULL) \
                     AND {settled}"
                ),
                &values,
            )?);
        }
        let parcels = pairs(due.iter().map(|p| Some([&p.shop_id, &p.tracking_number])))?;
        statements.push(self.statement(
            &format!(
                "UPDATE shipments SET erase_due_at = NULL WHERE (shop_id, tracking_number) IN \
                 {PAIRS} AND erase_due_at <= ?2"
            ),
            &[parcels, instant(now)],
        )?);
        let results = self.db.batch(statements).await.map_err(internal)?;
        order_erasures
            .into_iter()
            .map(|index| {
                results
                    .get(index)
                    .ok_or_else(|| internal("a batch answered fewer results than statements"))
                    .and_then(rows_changed)
            })
            .sum()
    }

    async fn expire_parcelless_orders(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let result = self
            .statement(
                &format!(
                    "{ERASE_ORDERS} WHERE rowid IN (SELECT o.rowid FROM orders o \
                     JOIN shops s ON s.id = o.shop_id \
                     WHERE (o.email IS NOT NULL OR o.customer_name IS NOT NULL OR o.phone IS NOT NULL \
                     OR o.postal_code IS NOT NULL) \
                     AND o.updated_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?1, '-' || s.retention_days || ' days') \
                     AND NOT EXISTS (SELECT 1 FROM shipments x WHERE x.shop_id = o.shop_id \
                     AND x.order_number = o.order_number) \
                     ORDER BY o.updated_at LIMIT ?2)"
                ),
                &[instant(now), JsValue::from(limit as u32)],
            )?
            .run()
            .await
            .map_err(internal)?;
        rows_changed(&result)
    }

    async fn delete_ended(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let due = self.due_parcels("delete_due_at", now, limit).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let parcels = pairs(due.iter().map(|p| Some([&p.shop_id, &p.tracking_number])))?;
        let orders = pairs(
            due.iter()
                .map(|p| Some([&p.shop_id, p.order_number.as_ref()?])),
        )?;
        let values = [parcels, instant(now)];
        // Still due when deleted (a write since the read may have reopened one): events first,
        // then the rows, then the orders left without parcels, in one transaction.
        let still_due = "(SELECT s.shop_id, s.tracking_number FROM shipments s JOIN json_each(?1) j \
             ON s.shop_id = json_extract(j.value, '$[0]') AND s.tracking_number = json_extract(j.value, '$[1]') \
             WHERE s.delete_due_at <= ?2)";
        let statements = vec![
            self.statement(
                &format!("DELETE FROM events WHERE (shop_id, tracking_number) IN {still_due}"),
                &values,
            )?,
            self.statement(
                &format!("DELETE FROM shipments WHERE (shop_id, tracking_number) IN {still_due}"),
                &values,
            )?,
            self.statement(
                &format!(
                    "DELETE FROM orders WHERE (shop_id, order_number) IN {PAIRS} \
                     AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.shop_id = orders.shop_id \
                     AND s.order_number = orders.order_number)"
                ),
                &[orders],
            )?,
        ];
        let results = self.db.batch(statements).await.map_err(internal)?;
        let deleted = results
            .get(1)
            .ok_or_else(|| internal("a batch answered fewer results than statements"))?;
        rows_changed(deleted)
    }

    async fn rederive_schedules(&self, limit: usize) -> Result<usize> {
        let sql = with_shop("WHERE s.schedule_version < ?1 LIMIT ?2");
        let version = JsValue::from(HealthSchedule::VERSION);
        let rows: Vec<DueRow> = self
            .rows(&sql, &[version.clone(), JsValue::from(limit as u32)])
            .await?;
        // One statement for the batch: [shop, number, fixed, late from, stalled after] each.
        let mut schedules: Vec<[Option<String>; 5]> = Vec::with_capacity(rows.len());
        for row in rows {
            let key = [
                Some(row.shipment.shop_id.clone()),
                Some(row.shipment.tracking_number.clone()),
            ];
            let schedule = match row.into_pair() {
                Ok((shipment, shop)) => health_schedule(&shop, &shipment),
                // A row that does not read back is left out of every list; storing no schedule
                // at this version keeps the pass from meeting it again.
                Err(error) => {
                    console_error!("a shipment's schedule was not re-derived: {error}");
                    HealthSchedule::default()
                }
            };
            schedules.push([
                key[0].clone(),
                key[1].clone(),
                schedule.fixed.map(|fixed| fixed.as_str().to_owned()),
                schedule.late_from.map(instant_text),
                schedule.stalled_after.map(instant_text),
            ]);
        }
        if schedules.is_empty() {
            return Ok(0);
        }
        // Derived columns only, so the row keeps its revision; a write since the read already
        // stored a schedule of this version and is left as it is.
        let result = self
            .statement(
                "UPDATE shipments SET health_fixed = v.fixed, late_from = v.late, \
                 stalled_after = v.stalled, schedule_version = ?2 \
                 FROM (SELECT json_extract(value, '$[0]') AS shop_id, \
                 json_extract(value, '$[1]') AS number, json_extract(value, '$[2]') AS fixed, \
                 json_extract(value, '$[3]') AS late, json_extract(value, '$[4]') AS stalled \
                 FROM json_each(?1)) AS v \
                 WHERE shipments.shop_id = v.shop_id AND shipments.tracking_number = v.number \
                 AND shipments.schedule_version < ?2",
                &[
                    text(&serde_json::to_string(&schedules).map_err(internal)?),
                    version,
                ],
            )?
            .run()
            .await
            .map_err(internal)?;
        rows_changed(&result)
    }

    async fn clear_overtaken_stalls(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let result = self
            .statement(
                "UPDATE shipments SET stalled_after = NULL WHERE rowid IN (SELECT rowid FROM shipments \
                 WHERE health_fixed IS NULL AND stalled_after IS NOT NULL AND late_from <= ?1 LIMIT ?2)",
                &[instant(now), JsValue::from(limit as u32)],
            )?
            .run()
            .await
            .map_err(internal)?;
        rows_changed(&result)
    }

    async fn due_for_refresh(
        &self,
        carriers: &[Carrier],
        checked_by: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(ShipmentRecord, ShopRecord)>> {
        let sql = with_shop(
            "WHERE s.status NOT IN (SELECT value FROM json_each(?4)) \
             AND s.carrier IN (SELECT value FROM json_each(?1)) \
             AND EXISTS (SELECT 1 FROM json_each(h.live_carriers) WHERE value = s.carrier) \
             AND (s.carrier_checked_at IS NULL OR s.carrier_checked_at <= ?2) \
             ORDER BY s.carrier_checked_at, s.shop_id, s.tracking_number \
             LIMIT ?3",
        );
        let carriers = serde_json::to_string(carriers).map_err(internal)?;
        let rows: Vec<DueRow> = self
            .rows(
                &sql,
                &[
                    text(&carriers),
                    instant(checked_by),
                    JsValue::from(limit as u32),
                    final_statuses()?,
                ],
            )
            .await?;
        Ok(readable(rows, DueRow::into_pair))
    }

    async fn put_integration(&self, i: &IntegrationRecord) -> Result<()> {
        self.run(
            "INSERT INTO integrations (shop_id, platform, sealed_secret, created_at) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (shop_id, platform) DO UPDATE SET \
             sealed_secret = excluded.sealed_secret, created_at = excluded.created_at",
            &[
                text(&i.shop_id),
                wire(&i.platform),
                text(&i.sealed_secret),
                instant(i.created_at),
            ],
        )
        .await
    }

    async fn integration_with_shop(
        &self,
        shop_id: &str,
        platform: Platform,
    ) -> Result<Option<(IntegrationRecord, ShopRecord)>> {
        let sql = "SELECT i.platform, i.sealed_secret, i.created_at AS set_at, s.id, s.name, \
                   s.allowed_origins, s.transit_min_days, s.transit_max_days, s.created_at, \
                   s.live_carriers, s.retention_days, s.history_days \
                   FROM integrations i JOIN shops s ON s.id = i.shop_id \
                   WHERE i.shop_id = ?1 AND i.platform = ?2";
        let row: Option<IntegrationShopRow> =
            self.row(sql, &[text(shop_id), wire(&platform)]).await?;
        row.map(|row| {
            let shop = row.shop.into_record()?;
            let integration = IntegrationRecord {
                shop_id: shop.id.clone(),
                platform: unwire(&row.platform)?,
                sealed_secret: row.sealed_secret,
                created_at: read_instant(&row.set_at)?,
            };
            Ok((integration, shop))
        })
        .transpose()
    }

    async fn delete_integration(&self, shop_id: &str, platform: Platform) -> Result<bool> {
        let result = self
            .statement(
                "DELETE FROM integrations WHERE shop_id = ?1 AND platform = ?2",
                &[text(shop_id), wire(&platform)],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn delivery_seen(
        &self,
        shop_id: &str,
        platform: Platform,
        delivery_id: &str,
    ) -> Result<bool> {
        let row: Option<Exists> = self
            .row(
                "SELECT 1 AS found FROM webhook_deliveries \
                 WHERE shop_id = ?1 AND platform = ?2 AND delivery_id = ?3",
                &[text(shop_id), wire(&platform), text(delivery_id)],
            )
            .await?;
        Ok(row.is_some())
    }

    async fn record_delivery(
        &self,
        shop_id: &str,
        platform: Platform,
        delivery_id: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.run(
            "INSERT OR IGNORE INTO webhook_deliveries (shop_id, platform, delivery_id, received_at) \
             VALUES (?1, ?2, ?3, ?4)",
            &[text(shop_id), wire(&platform), text(delivery_id), instant(at)],
        )
        .await
    }

    async fn forget_deliveries(&self, before: DateTime<Utc>, limit: usize) -> Result<usize> {
        let result = self
            .statement(
                "DELETE FROM webhook_deliveries WHERE rowid IN (SELECT rowid FROM webhook_deliveries \
                 WHERE received_at < ?1 ORDER BY received_at LIMIT ?2)",
                &[instant(before), JsValue::from(limit as u32)],
            )?
            .run()
            .await
            .map_err(internal)?;
        rows_changed(&result)
    }

    async fn merge_platform_order(
        &self,
        o: &OrderRecord,
        version_at: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = format!(
            "INSERT INTO orders ({ORDER_COLUMNS}, source_at) VALUES ({ORDER_VALUES}, ?13) \
             ON CONFLICT (shop_id, order_number) DO UPDATE SET status = excluded.status, \
             sub_status = excluded.sub_status, email = COALESCE(excluded.email, email), \
             postal_code = COALESCE(excluded.postal_code, postal_code), \
             lang = COALESCE(excluded.lang, lang), updated_at = excluded.updated_at, \
             source_at = excluded.source_at \
             WHERE orders.source_at IS NULL OR orders.source_at <= excluded.source_at"
        );
        let mut values = order_values(o);
        values.push(instant(version_at));
        let merge = self.statement(&sql, &values)?;
        self.write_noticed(vec![merge], vec![self.order_notice(o)?])
            .await
    }

    async fn insert_order_if_missing(&self, o: &OrderRecord) -> Result<()> {
        let sql = format!("INSERT OR IGNORE INTO orders ({ORDER_COLUMNS}) VALUES ({ORDER_VALUES})");
        self.run(&sql, &order_values(o)).await
    }

    async fn claim_source(&self, claim: &SourceClaim) -> Result<bool> {
        let numbers: Vec<&str> = claim.numbers.iter().map(TrackingNumber::as_str).collect();
        let result = self
            .statement(
                "INSERT INTO parcel_sources (shop_id, source, order_number, version_at, numbers) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (shop_id, source) DO UPDATE SET \
                 order_number = excluded.order_number, version_at = excluded.version_at, \
                 numbers = excluded.numbers WHERE parcel_sources.version_at <= excluded.version_at",
                &[
                    text(&claim.shop_id),
                    text(&claim.source),
                    text(&claim.order_number),
                    instant(claim.version_at),
                    text(&serde_json::to_string(&numbers).map_err(internal)?),
                ],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn source_version(&self, shop_id: &str, source: &str) -> Result<Option<DateTime<Utc>>> {
        let row: Option<VersionRow> = self
            .row(
                "SELECT version_at FROM parcel_sources WHERE shop_id = ?1 AND source = ?2",
                &[text(shop_id), text(source)],
            )
            .await?;
        row.map(|row| read_instant(&row.version_at)).transpose()
    }

    async fn link_source_parcel(
        &self,
        shop_id: &str,
        source: &str,
        number: &TrackingNumber,
    ) -> Result<()> {
        self.run(
            "INSERT OR IGNORE INTO source_parcels (shop_id, source, tracking_number) VALUES (?1, ?2, ?3)",
            &[text(shop_id), text(source), text(number.as_str())],
        )
        .await
    }

    async fn drop_unlisted_parcels(
        &self,
        shop_id: &str,
        source: &str,
    ) -> Result<Vec<TrackingNumber>> {
        // The numbers the source registered, no longer listed, still of its order, listed by no
        // other source: one subquery that every statement of the transaction reads the same way.
        // Without statistics the planner would read the other sources' links by shop alone, so
        // the index by number is named.
        let unlisted = "SELECT p.tracking_number FROM source_parcels p \
             JOIN parcel_sources c ON c.shop_id = p.shop_id AND c.source = p.source \
             JOIN shipments s ON s.shop_id = p.shop_id AND s.tracking_number = p.tracking_number \
             WHERE p.shop_id = ?1 AND p.source = ?2 AND s.order_number = c.order_number \
             AND p.tracking_number NOT IN (SELECT value FROM json_each(c.numbers)) \
             AND NOT EXISTS (SELECT 1 FROM source_parcels q INDEXED BY source_parcels_by_number \
             JOIN parcel_sources o \
             ON o.shop_id = q.shop_id AND o.source = q.source \
             WHERE q.shop_id = p.shop_id AND q.tracking_number = p.tracking_number \
             AND q.source <> p.source AND q.tracking_number IN (SELECT value FROM json_each(o.numbers)))";
        let values = [text(shop_id), text(source)];
        let statements = vec![
            self.statement(unlisted, &values)?,
            self.statement(
                &format!(
                    "DELETE FROM events WHERE shop_id = ?1 AND tracking_number IN ({unlisted})"
                ),
                &values,
            )?,
            self.statement(
                &format!(
                    "DELETE FROM shipments WHERE shop_id = ?1 AND tracking_number IN ({unlisted})"
                ),
                &values,
            )?,
            self.statement(
                "DELETE FROM source_parcels WHERE shop_id = ?1 AND source = ?2 AND tracking_number \
                 NOT IN (SELECT value FROM json_each((SELECT numbers FROM parcel_sources \
                 WHERE shop_id = ?1 AND source = ?2)))",
                &values,
            )?,
        ];
        let results = self.db.batch(statements).await.map_err(internal)?;
        let listed: Vec<NumberRow> = results
            .first()
            .ok_or_else(|| internal("a batch answered no results"))?
            .results()
            .map_err(internal)?;
        Ok(listed
            .into_iter()
            .map(|row| TrackingNumber::from_stored(row.tracking_number))
            .collect())
    }

    async fn orders_among(
        &self,
        shop_id: &str,
        order_numbers: &[&str],
    ) -> Result<Vec<OrderRecord>> {
        let rows: Vec<OrderRow> = self
            .rows_among(
                "SELECT * FROM orders WHERE shop_id = ?1 \
                 AND order_number IN (SELECT value FROM json_each(?2))",
                shop_id,
                order_numbers,
            )
            .await?;
        rows.into_iter().map(OrderRow::into_record).collect()
    }

    async fn shipments_among(
        &self,
        shop_id: &str,
        numbers: &[&TrackingNumber],
    ) -> Result<Vec<ShipmentRecord>> {
        let numbers: Vec<&str> = numbers.iter().map(|number| number.as_str()).collect();
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE shop_id = ?1 \
             AND tracking_number IN (SELECT value FROM json_each(?2))"
        );
        let rows: Vec<ShipmentRow> = self.rows_among(&sql, shop_id, &numbers).await?;
        rows.into_iter().map(ShipmentRow::into_record).collect()
    }

    /// The batch: first the guards (every shipment row still at the revision it was read at, a
    /// new one still absent; a guard that finds otherwise fails the batch, which D1 then rolls
    /// back whole), then the orders, the new shipments and the changed ones, each statement
    /// carrying up to [`MAX_IMPORT_STATEMENT_BYTES`] of rows as a JSON array. A full import of
    /// [`crate::limits::MAX_IMPORT_ROWS`] new rows is 1 guard, 2 to 3 order and 7 to 9 shipment
    /// statements (plus the reads before it: 2 batches of 10 statements each).
    async fn write_import(
        &self,
        shop: &ShopRecord,
        orders: &[OrderRecord],
        shipments: &[ShipmentRecord],
    ) -> Result<bool> {
        let next = next_revision()?;
        let shop_id = text(&shop.id);
        let mut statements = Vec::new();
        let expected: Vec<(&str, Option<&str>)> = shipments
            .iter()
            .map(|s| (s.tracking_number.as_str(), s.revision.as_deref()))
            .collect();
        for chunk in json_chunks(&expected)? {
            statements.push(self.statement(
                &format!(
                    "SELECT json_extract('{{}}', CASE WHEN EXISTS (SELECT 1 FROM json_each(?2) j \
                     LEFT JOIN shipments s ON s.shop_id = ?1 AND s.tracking_number = json_extract(j.value, '$[0]') \
                     WHERE s.revision IS NOT json_extract(j.value, '$[1]')) THEN '{IMPORT_CONFLICT}' ELSE '$' END) \
                     AS guard"
                ),
                &[shop_id.clone(), text(&chunk)],
            )?);
        }
        let order_rows: Vec<_> = orders
            .iter()
            .map(|o| {
                (
                    o.order_number.as_str(),
                    o.status.to_text(),
                    o.customer_name.as_deref(),
                    o.email.as_deref(),
                    o.postal_code.as_deref(),
                    instant_text(o.updated_at),
                )
            })
            .collect();
        for chunk in json_chunks(&order_rows)? {
            statements.push(self.statement(
                "INSERT INTO orders (shop_id, order_number, status, customer_name, email, postal_code, updated_at) \
                 SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), \
                 json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]') \
                 FROM json_each(?2) WHERE true \
                 ON CONFLICT (shop_id, order_number) DO UPDATE SET \
                 customer_name = COALESCE(excluded.customer_name, orders.customer_name), \
                 email = COALESCE(excluded.email, orders.email), \
                 postal_code = COALESCE(excluded.postal_code, orders.postal_code), \
                 updated_at = excluded.updated_at",
                &[shop_id.clone(), text(&chunk)],
            )?);
        }
        let columns: Vec<&str> = SHIPMENT_COLUMNS.split(", ").collect();
        let extracted: Vec<String> = (0..columns.len())
            .map(|i| format!("json_extract(value, '$[{i}]') AS c{i}"))
            .collect();
        let (created, changed): (Vec<_>, Vec<_>) =
            shipments.iter().partition(|s| s.revision.is_none());
        let created: Vec<Vec<Value>> = created
            .iter()
            .map(|s| shipment_row(shop, s, &next))
            .collect();
        for chunk in json_chunks(&created)? {
            statements.push(self.statement(
                &format!(
                    "INSERT INTO shipments ({SHIPMENT_COLUMNS}) SELECT {} FROM json_each(?1) WHERE true \
                     ON CONFLICT (shop_id, tracking_number) DO NOTHING",
                    extracted.join(", ")
                ),
                &[text(&chunk)],
            )?);
        }
        let changed: Vec<Vec<Value>> = changed
            .iter()
            .map(|s| {
                let mut row = shipment_row(shop, s, &next);
                row.push(maybe_json(s.revision.as_deref()));
                row
            })
            .collect();
        let updates: Vec<String> = columns
            .iter()
            .enumerate()
            .skip(2)
            .map(|(i, column)| format!("{column} = v.c{i}"))
            .collect();
        let read_at = columns.len();
        for chunk in json_chunks(&changed)? {
            statements.push(self.statement(
                &format!(
                    "UPDATE shipments SET {} FROM (SELECT {}, json_extract(value, '$[{read_at}]') AS read_at \
                     FROM json_each(?1)) AS v WHERE shipments.shop_id = v.c0 \
                     AND shipments.tracking_number = v.c1 AND shipments.revision = v.read_at",
                    updates.join(", "),
                    extracted.join(", ")
                ),
                &[text(&chunk)],
            )?);
        }
        // Each imported parcel of an order is told as shipped (once: the outbox's key), in the
        // same transaction, for the rows this import wrote.
        let numbers: Vec<Vec<Value>> = shipments
            .iter()
            .filter(|s| s.order_number.is_some())
            .map(|s| vec![Value::String(s.tracking_number.to_string())])
            .collect();
        let first_notice = statements.len();
        let imported_at = shipments.first().map(|s| s.updated_at).unwrap_or_default();
        for chunk in json_chunks(&numbers)? {
            statements.push(self.statement(
                "INSERT OR IGNORE INTO notices \
                 (id, shop_id, tracking_number, order_number, trigger, episode, created_at) \
                 SELECT 'ntc_' || lower(hex(randomblob(12))), s.shop_id, s.tracking_number, \
                 s.order_number, 'shipped', s.order_number, ?3 FROM json_each(?2) j \
                 CROSS JOIN shipments s ON s.shop_id = ?1 \
                 AND s.tracking_number = json_extract(j.value, '$[0]') \
                 WHERE s.revision = ?4 AND s.order_number IS NOT NULL RETURNING id",
                &[
                    text(&shop.id),
                    text(&chunk),
                    instant(imported_at),
                    text(&next),
                ],
            )?);
        }
        if statements.is_empty() {
            return Ok(true);
        }
        match self.db.batch(statements).await {
            Ok(results) => {
                let mut noticed = Vec::new();
                for result in &results[first_notice..] {
                    let rows: Vec<outbox::IdRow> = result.results().map_err(internal)?;
                    noticed.extend(rows.into_iter().map(|row| row.id));
                }
                self.hand_to_queue(noticed).await;
                Ok(true)
            }
            Err(error) if error.to_string().contains(IMPORT_CONFLICT) => {
                console_log!("an import found a shipment changed since its read; it reads again");
                Ok(false)
            }
            Err(error) => Err(internal(error)),
        }
    }

    async fn insert_session(&self, session: &SessionRecord) -> Result<()> {
        self.run(
            "INSERT INTO console_sessions (token_hash, shop_id, key_id, csrf_token, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                text(&session.token_hash),
                text(&session.shop_id),
                text(&session.key_id),
                text(&session.csrf_token),
                instant(session.created_at),
                instant(session.expires_at),
            ],
        )
        .await
    }

    async fn live_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionRecord, ShopRecord)>> {
        let sql = "SELECT c.token_hash, c.key_id, c.csrf_token, c.created_at AS signed_in_at, c.expires_at, \
                   s.id, s.name, s.allowed_origins, s.transit_min_days, s.transit_max_days, s.created_at, \
                   s.live_carriers, s.retention_days, s.history_days \
                   FROM console_sessions c JOIN api_keys k ON k.key_id = c.key_id JOIN shops s ON s.id = c.shop_id \
                   WHERE c.token_hash = ?1 AND c.expires_at > ?2 AND k.revoked = 0";
        let row: Option<SessionShopRow> = self.row(sql, &[text(token_hash), instant(now)]).await?;
        row.map(|row| {
            let shop = row.shop.into_record()?;
            let session = SessionRecord {
                token_hash: row.token_hash,
                shop_id: shop.id.clone(),
                key_id: row.key_id,
                csrf_token: row.csrf_token,
                created_at: read_instant(&row.signed_in_at)?,
                expires_at: read_instant(&row.expires_at)?,
            };
            Ok((session, shop))
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<bool> {
        let result = self
            .statement(
                "DELETE FROM console_sessions WHERE token_hash = ?1",
                &[text(token_hash)],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let result = self
            .statement(
                "DELETE FROM console_sessions WHERE rowid IN (SELECT rowid FROM console_sessions \
                 WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)",
                &[instant(now), JsValue::from(limit as u32)],
            )?
            .run()
            .await
            .map_err(internal)?;
        rows_changed(&result)
    }
}

/// What an import's guard fails with when a shipment row changed since it was read: an invalid
/// JSON path, the only way a plain statement can fail a D1 batch on a condition (SQLite's
/// `RAISE` works in triggers only); D1 names it in the error.
const IMPORT_CONFLICT: &str = "waypost_import_conflict";

/// `items` as JSON arrays of at most [`MAX_IMPORT_STATEMENT_BYTES`] each (an item longer than that
/// alone in its array), for statements that read their rows from `json_each`.
fn json_chunks<T: Serialize>(items: &[T]) -> Result<Vec<String>> {
    let mut chunks = Vec::new();
    let mut chunk = String::from("[");
    for item in items {
        let json = serde_json::to_string(item).map_err(internal)?;
        if chunk.len() > 1 && chunk.len() + json.len() + 2 > MAX_IMPORT_STATEMENT_BYTES {
            chunk.push(']');
            chunks.push(std::mem::replace(&mut chunk, String::from("[")));
        }
        if chunk.len() > 1 {
            chunk.push(',');
        }
        chunk.push_str(&json);
    }
    if chunk.len() > 1 {
        chunk.push(']');
        chunks.push(chunk);
    }
    Ok(chunks)
}

impl D1Store {
    /// The rows `sql` answers for `keys` (bound as a JSON array in `?2`, the shop in `?1`), in
    /// chunks of [`IMPORT_READ_CHUNK`] keys, all in one batch.
    async fn rows_among<T: DeserializeOwned>(
        &self,
        sql: &str,
        shop_id: &str,
        keys: &[&str],
    ) -> Result<Vec<T>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let statements = keys
            .chunks(IMPORT_READ_CHUNK)
            .map(|chunk| {
                let keys = serde_json::to_string(chunk).map_err(internal)?;
                self.statement(sql, &[text(shop_id), text(&keys)])
            })
            .collect::<Result<Vec<_>>>()?;
        let mut rows = Vec::new();
        for result in self.db.batch(statements).await.map_err(internal)? {
            rows.extend(result.results::<T>().map_err(internal)?);
        }
        Ok(rows)
    }
}

/// `SELECT` of shipments `s` joined with their shops `h`, then `rest` (conditions, order, limit),
/// read as [`DueRow`]s.
fn with_shop(rest: &str) -> String {
    let columns: Vec<String> = SHIPMENT_COLUMNS
        .split(", ")
        .map(|column| format!("s.{column}"))
        .collect();
    format!(
        "SELECT {}, h.id, h.name, h.allowed_origins, h.transit_min_days, h.transit_max_days, \
         h.created_at AS shop_created_at, h.live_carriers, h.retention_days, h.history_days \
         FROM shipments s JOIN shops h ON h.id = s.shop_id {rest}",
        columns.join(", ")
    )
}

/// A count.
#[derive(Deserialize)]
struct Count {
    shipments: u64,
}

/// A line of `shipment_counts`.
#[derive(Deserialize)]
struct CountRow {
    status: String,
    health_fixed: String,
    shipments: u64,
}

/// A shipment joined with its shop, for the cron's passes (the shop's `created_at` renamed).
#[derive(Deserialize)]
struct DueRow {
    #[serde(flatten)]
    shipment: ShipmentRow,
    id: String,
    name: String,
    allowed_origins: String,
    transit_min_days: u16,
    transit_max_days: u16,
    shop_created_at: String,
    live_carriers: String,
    retention_days: u16,
    history_days: u16,
}

impl DueRow {
    fn into_pair(self) -> Result<(ShipmentRecord, ShopRecord)> {
        let shop = ShopRow {
            id: self.id,
            name: self.name,
            allowed_origins: self.allowed_origins,
            transit_min_days: self.transit_min_days,
            transit_max_days: self.transit_max_days,
            created_at: self.shop_created_at,
            live_carriers: self.live_carriers,
            retention_days: self.retention_days,
            history_days: self.history_days,
        };
        Ok((self.shipment.into_record()?, shop.into_record()?))
    }
}
