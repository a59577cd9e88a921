//! What the service needs from storage, as a small trait: D1 implements it in the Worker, an
//! in-memory map in host tests.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use waypost_shared::detect::Carrier;
use waypost_shared::event::TrackingEvent;
use waypost_shared::health::{Health, HealthSchedule, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{KeyKind, Platform};

use super::notice_causes::Cause;
use super::tracking_number::TrackingNumber;
use crate::error::{EdgeError, Result};

/// Most shops [`Store::shops_tracking`] names for one number.
pub const MAX_SHOPS_PER_NUMBER: usize = 50;

/// A shop: who owns the data, where its widget may run, how long its parcels usually take.
/// Serialisable so the answer cache can remember a publishable key's shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopRecord {
    pub id: String,
    pub name: String,
    /// Origins allowed to call the public API from a browser.
    pub allowed_origins: Vec<String>,
    pub transit_min_days: u16,
    pub transit_max_days: u16,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Carriers whose live tracking API answers this shop's look-ups.
    pub live_carriers: Vec<Carrier>,
    /// Days after a parcel's final status that its order's personal data is kept.
    pub retention_days: u16,
    /// Days after a parcel's final status that the parcel itself is kept.
    pub history_days: u16,
}

/// A change of a shop's settings, validated: each `None` stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsChange {
    pub allowed_origins: Option<Vec<String>>,
    /// Shortest and longest usual transit time, in days.
    pub transit_days: Option<(u16, u16)>,
    pub live_carriers: Option<Vec<Carrier>>,
}

/// An API key. Publishable keys are public and stored as they are; secret keys only as a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// The publishable key itself, or a secret key's public id part (`sk_<id>`).
    pub key_id: String,
    pub shop_id: String,
    pub kind: KeyKind,
    /// SHA-256 (hex) of the whole secret key; `None` for publishable keys.
    pub secret_hash: Option<String>,
    pub revoked: bool,
}

/// An order as the retailer pushed it. The contact fields are private.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub shop_id: String,
    /// The shop's order number.
    pub order_number: String,
    pub status: Status,
    pub sub_status: Option<SubStatus>,
    pub customer_name: Option<String>,
    /// Customer email, trimmed and lower-cased (private; the look-up secret).
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Delivery postal code, normalised (private; the other look-up secret).
    pub postal_code: Option<String>,
    /// Promised delivery window, first day.
    pub promised_from: Option<NaiveDate>,
    /// Promised delivery window, last day.
    pub promised_to: Option<NaiveDate>,
    /// The customer's language, when the retailer or platform gave it.
    pub lang: Option<Lang>,
    /// When the retailer last pushed it.
    pub updated_at: DateTime<Utc>,
}

/// A shipment, with its current status kept up to date as events arrive (for listing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentRecord {
    pub shop_id: String,
    pub tracking_number: TrackingNumber,
    pub order_number: Option<String>,
    pub carrier: Option<Carrier>,
    pub dest_city: Option<String>,
    pub dest_region: Option<String>,
    /// Destination postal code (private).
    pub dest_postal_code: Option<String>,
    pub dest_country: Option<String>,
    /// Domestic or international.
    pub scope: Scope,
    /// Express, standard or postal.
    pub service_level: ServiceLevel,
    /// Carrier or shop ETA, first day.
    pub eta_from: Option<NaiveDate>,
    /// Carrier or shop ETA, last day.
    pub eta_to: Option<NaiveDate>,
    pub shipped_on: Option<NaiveDate>,
    /// Current status (the newest event's, else `info_received`).
    pub status: Status,
    pub sub_status: Option<SubStatus>,
    /// The latest UTC instant the newest event can have happened at.
    pub last_event_at: Option<DateTime<Utc>>,
    /// When the carrier's live API last answered for it.
    pub carrier_checked_at: Option<DateTime<Utc>>,
    /// The carrier it was handed over to for the last mile, once one took it over.
    pub last_mile_carrier: Option<Carrier>,
    /// The number the last-mile carrier tracks it under, when not this one: a customer typing it
    /// finds this shipment.
    pub last_mile_number: Option<TrackingNumber>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The row's revision when it was read; `None` for a shipment not stored yet. Every write of
    /// the row is conditional on it (see [`Store::save_shipment`]).
    pub revision: Option<String>,
}

impl ShipmentRecord {
    /// The record as it was read, if it is stored (a record made for a new shipment is not).
    pub fn stored(&self) -> Option<&ShipmentRecord> {
        self.revision.is_some().then_some(self)
    }

    /// A shipment just registered at `now`: nothing known yet but its number and carrier (and so
    /// the route its carrier's parcels usually take).
    pub fn new(
        shop_id: &str,
        tracking_number: TrackingNumber,
        carrier: Option<Carrier>,
        now: DateTime<Utc>,
    ) -> Self {
        let route = carrier.map(Carrier::usual_route).unwrap_or_default();
        ShipmentRecord {
            shop_id: shop_id.to_owned(),
            tracking_number,
            order_number: None,
            carrier,
            dest_city: None,
            dest_region: None,
            dest_postal_code: None,
            dest_country: None,
            scope: route.scope,
            service_level: route.service,
            eta_from: None,
            eta_to: None,
            shipped_on: None,
            status: Status::InfoReceived,
            sub_status: None,
            last_event_at: None,
            carrier_checked_at: None,
            last_mile_carrier: None,
            last_mile_number: None,
            created_at: now,
            updated_at: now,
            revision: None,
        }
    }
}

/// A shipment with everything its tracking view needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentHistory {
    pub shipment: ShipmentRecord,
    /// The order it belongs to, when stored.
    pub order: Option<OrderRecord>,
    /// Its events, in the order they were stored (the order a timeline is given them).
    pub events: Vec<TrackingEvent>,
}

/// A shipment as a list shows it: its row and the health schedule stored with it (the one the
/// list's filter read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedShipment {
    pub shipment: ShipmentRecord,
    pub schedule: HealthSchedule,
}

/// Which of a shop's shipments a list keeps, besides its health: every filter given must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShipmentFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this carrier's (the stored one: the retailer's, else the one detected).
    pub carrier: Option<Carrier>,
    /// `Some(false)`: only those their carrier has not scanned yet (a status of
    /// [`ShipmentFilter::UNSCANNED`]); `Some(true)`: only the others.
    pub scanned: Option<bool>,
}

impl ShipmentFilter {
    /// The statuses of a parcel its carrier has not scanned yet: a label made, or a number the
    /// carrier does not know yet.
    pub const UNSCANNED: [Status; 2] = [Status::InfoReceived, Status::NotFound];

    /// Whether `shipment` passes every filter given.
    pub fn keeps(&self, shipment: &ShipmentRecord) -> bool {
        self.status.is_none_or(|status| shipment.status == status)
            && self
                .carrier
                .is_none_or(|carrier| shipment.carrier == Some(carrier))
            && self.scanned.is_none_or(|scanned| {
                scanned != ShipmentFilter::UNSCANNED.contains(&shipment.status)
            })
    }
}

/// Where a page of a list starts: after this shipment in the list's order. Lists by health that
/// change with time are ordered by the instant the health began (`since`), then by number; the
/// others by number alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPosition {
    pub since: Option<DateTime<Utc>>,
    pub number: TrackingNumber,
}

/// A shop's shipments counted as stored: by status and fixed health (kept up to date on every
/// write), and those late and stalled at the time asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredCounts {
    /// Shipments by status and fixed health (`None` while the clock decides), non-zero only.
    pub by_status: Vec<(Status, Option<Health>, u64)>,
    /// Open shipments late now.
    pub late: u64,
    /// Open shipments stalled now.
    pub stalled: u64,
}

/// An event ready to store: its identity, sort key and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// [`TrackingEvent::fingerprint`] as 16 hex digits.
    pub fingerprint: String,
    pub event: TrackingEvent,
}

/// Storage, scoped by shop in every call so one shop can never reach another's rows.
///
/// A shipment row holds what the retailer set next to what is derived from all its events (status,
/// last activity), and every write of it is computed from a read. So that no write is lost to a
/// concurrent one, writes of the row are conditional on the revision it was read at: a write that
/// finds the row changed stores nothing and answers `false`, and the caller computes it again from
/// a fresh read. (The alternative, deriving the status in SQL from the events, would move the
/// timeline's ordering rules out of the shared crate.)
#[allow(
    async_fn_in_trait,
    reason = "the Worker is single-threaded; futures need not be Send"
)]
pub trait Store {
    /// Adds a shop.
    async fn insert_shop(&self, shop: &ShopRecord) -> Result<()>;
    /// A shop by id.
    async fn shop(&self, shop_id: &str) -> Result<Option<ShopRecord>>;
    /// Adds a key.
    async fn insert_key(&self, key: &KeyRecord) -> Result<()>;
    /// A key by its id, with its shop, in one read (every authenticated request does this).
    async fn key_with_shop(&self, key_id: &str) -> Result<Option<(KeyRecord, ShopRecord)>>;
    /// Revokes a key of a shop; false when there is no such key.
    async fn revoke_key(&self, shop_id: &str, key_id: &str) -> Result<bool>;
    /// A shop's live (not revoked) publishable keys, newest first.
    async fn publishable_keys(&self, shop_id: &str) -> Result<Vec<KeyRecord>>;
    /// Stores a new publishable key for a shop and revokes all its others, in one transaction;
    /// answers the keys revoked.
    async fn replace_publishable_key(&self, key: &KeyRecord) -> Result<Vec<String>>;
    /// Changes a shop's settings in one statement, each only when given (so two changes of
    /// different settings made at once both land); `false` when there is no such shop.
    async fn update_shop_settings(&self, shop_id: &str, change: &SettingsChange) -> Result<bool>;
    /// Inserts or replaces an order; one now waiting for stock or payment gets the notice of it
    /// in the same transaction (once per order and trigger), handed to the queue once written.
    async fn upsert_order(&self, order: &OrderRecord) -> Result<()>;
    /// An order of a shop.
    async fn order(&self, shop_id: &str, order_number: &str) -> Result<Option<OrderRecord>>;
    /// Writes a shipment of `shop` with its health schedule
    /// ([`super::projection::health_schedule`]) if its row is still at `shipment.revision` (for a
    /// new shipment: if there is no row yet); `false` when another write got there first and
    /// nothing was written.
    /// The notices of `causes` are written in the same transaction (see
    /// [`Store::store_events`]).
    async fn save_shipment(
        &self,
        shop: &ShopRecord,
        shipment: &ShipmentRecord,
        causes: &[Cause],
    ) -> Result<bool>;
    /// A shipment of a shop.
    async fn shipment(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<ShipmentRecord>>;
    /// A shop's shipments of one order, oldest first.
    async fn order_shipments(
        &self,
        shop_id: &str,
        order_number: &str,
    ) -> Result<Vec<ShipmentRecord>>;
    /// A shop's shipments that `filter` keeps, by tracking number after `after`: read through the
    /// index of carriers when it names one, else of statuses when it names one, else the primary
    /// key.
    async fn list_shipments(
        &self,
        shop_id: &str,
        filter: &ShipmentFilter,
        after: Option<&TrackingNumber>,
        limit: usize,
    ) -> Result<Vec<ListedShipment>>;
    /// A shop's shipments of one health at `now` (by their stored schedules) that `filter` keeps,
    /// after `after`: late ones by the instant they turned late, stalled ones by the instant they
    /// turned stalled, the others by number; each read through an index of that health (the
    /// filter's conditions checked on the rows it reads).
    async fn list_by_health(
        &self,
        shop_id: &str,
        health: Health,
        filter: &ShipmentFilter,
        now: DateTime<Utc>,
        after: Option<&ListPosition>,
        limit: usize,
    ) -> Result<Vec<ListedShipment>>;
    /// A shop's shipments counted by status and health at `now`.
    async fn shipment_counts(&self, shop_id: &str, now: DateTime<Utc>) -> Result<StoredCounts>;
    /// A shipment's stored events, in the order they were stored.
    async fn events(&self, shop_id: &str, number: &TrackingNumber) -> Result<Vec<TrackingEvent>>;
    /// The number of the shop's shipment that a last-mile carrier took over under `number`, if
    /// any (read by the index of last-mile numbers).
    async fn handed_over_as(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<TrackingNumber>>;
    /// The shops that track a shipment numbered `number`, at most [`MAX_SHOPS_PER_NUMBER`] (read
    /// by the index of numbers): where news about a number that names no shop goes.
    async fn shops_tracking(&self, number: &TrackingNumber) -> Result<Vec<ShopRecord>>;
    /// A shipment with its order and events, in one round trip (the tracking look-up's read).
    async fn shipment_history(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<ShipmentHistory>>;
    /// Stores new events (ignoring any already stored) and the shipment's updated row, in one
    /// transaction, under the same condition as [`Store::save_shipment`]: `false` when the row
    /// changed since it was read, and then nothing at all was written. In the same transaction,
    /// a notice for each of `causes` not noticed before (the outbox: one per shop, shipment,
    /// trigger and episode); the new ones are handed to the notification queue once written.
    async fn store_events(
        &self,
        shop: &ShopRecord,
        shipment: &ShipmentRecord,
        events: &[StoredEvent],
        causes: &[Cause],
    ) -> Result<bool>;
    /// A shop's orders holding `email` (normalised), by order number.
    async fn customer_orders(&self, shop_id: &str, email: &str) -> Result<Vec<OrderRecord>>;
    /// Erases the personal data of a shop's orders holding `email` (name, email, phone, postal
    /// code) and their parcels' destination postal codes, in one transaction; answers how many
    /// orders and parcels had something removed. Parcels stay trackable.
    async fn erase_customer(&self, shop_id: &str, email: &str) -> Result<(usize, usize)>;
    /// Erases, across shops, the personal data of orders whose parcels all reached a final status
    /// longer ago than their shop's retention period at `now` (and the postal code of such a
    /// parcel without an order), going through up to `limit` parcels whose erasure fell due, by
    /// index; answers how many orders it erased.
    async fn expire_customers(&self, now: DateTime<Utc>, limit: usize) -> Result<usize>;
    /// Erases, across shops, the personal data of up to `limit` orders that have no parcel and
    /// were last written longer ago than their shop's retention period at `now`, oldest first,
    /// through the index of orders holding personal data; answers how many.
    async fn expire_parcelless_orders(&self, now: DateTime<Utc>, limit: usize) -> Result<usize>;
    /// Deletes, across shops, up to `limit` parcels (with their events) whose final status is
    /// older than their shop's history period at `now`, by index, and their orders once no
    /// parcel of them is left; answers how many parcels.
    async fn delete_ended(&self, now: DateTime<Utc>, limit: usize) -> Result<usize>;
    /// Re-derives, across shops, the stored health schedules of up to `limit` shipments stored
    /// under an older [`HealthSchedule::VERSION`]; answers how many.
    async fn rederive_schedules(&self, limit: usize) -> Result<usize>;
    /// Clears, across shops, the stall of up to `limit` open shipments that turned late by `now`
    /// (late wins from then on, until the row is written again), so the stalled index holds
    /// little besides what is stalled; answers how many.
    async fn clear_overtaken_stalls(&self, now: DateTime<Utc>, limit: usize) -> Result<usize>;
    /// Shipments, across shops, that the cron refresh should ask their carrier about: not in a
    /// final status ([`Status::is_final`]), carried by one of `carriers`, enabled for live tracking by their shop,
    /// and last checked no later than `checked_by`; never-checked first, then longest ago.
    async fn due_for_refresh(
        &self,
        carriers: &[Carrier],
        checked_by: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(ShipmentRecord, ShopRecord)>>;
    /// Sets (or replaces) a shop's integration with a platform.
    async fn put_integration(&self, integration: &IntegrationRecord) -> Result<()>;
    /// A shop's integration with a platform, with the shop, in one read (every webhook delivery
    /// does this).
    async fn integration_with_shop(
        &self,
        shop_id: &str,
        platform: Platform,
    ) -> Result<Option<(IntegrationRecord, ShopRecord)>>;
    /// Removes a shop's integration with a platform; false when there was none.
    async fn delete_integration(&self, shop_id: &str, platform: Platform) -> Result<bool>;
    /// Whether a platform's webhook delivery to a shop was applied before.
    async fn delivery_seen(
        &self,
        shop_id: &str,
        platform: Platform,
        delivery_id: &str,
    ) -> Result<bool>;
    /// Notes a platform's webhook delivery to a shop as applied.
    async fn record_delivery(
        &self,
        shop_id: &str,
        platform: Platform,
        delivery_id: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// Forgets, across shops, up to `limit` deliveries noted before `before`, by index; answers
    /// how many.
    async fn forget_deliveries(&self, before: DateTime<Utc>, limit: usize) -> Result<usize>;
    /// Stores a platform's version of an order, as of `version_at`, unless a newer version was
    /// stored before (in one conditional statement): status, language and the contact fields it
    /// gives are set, the rest kept. False when it was older and nothing was written.
    async fn merge_platform_order(
        &self,
        order: &OrderRecord,
        version_at: DateTime<Utc>,
    ) -> Result<bool>;
    /// Adds an order unless the shop has one by that number (a parcel that arrives before its
    /// order brings its contact).
    async fn insert_order_if_missing(&self, order: &OrderRecord) -> Result<()>;
    /// Takes `claim` as the source's current version unless a newer one was taken before (in one
    /// conditional statement); false when it is older and must change nothing.
    async fn claim_source(&self, claim: &SourceClaim) -> Result<bool>;
    /// The version of a source taken last ([`Store::claim_source`]), if any.
    async fn source_version(&self, shop_id: &str, source: &str) -> Result<Option<DateTime<Utc>>>;
    /// Notes that a source registered a tracking number.
    async fn link_source_parcel(
        &self,
        shop_id: &str,
        source: &str,
        number: &TrackingNumber,
    ) -> Result<()>;
    /// Deletes, in one transaction, the shipments (with their events) a source registered that
    /// its current version no longer lists, where they still belong to its order and no other
    /// source of the shop lists them now; answers their numbers.
    async fn drop_unlisted_parcels(
        &self,
        shop_id: &str,
        source: &str,
    ) -> Result<Vec<TrackingNumber>>;
    /// A shop's orders among `order_numbers`, in any order (those not stored left out); read in
    /// chunks of [`crate::limits::IMPORT_READ_CHUNK`] numbers, in one round trip.
    async fn orders_among(&self, shop_id: &str, order_numbers: &[&str])
    -> Result<Vec<OrderRecord>>;
    /// A shop's shipments among `numbers`, in any order (those not stored left out), each with
    /// the revision it was read at; read like [`Store::orders_among`].
    async fn shipments_among(
        &self,
        shop_id: &str,
        numbers: &[&TrackingNumber],
    ) -> Result<Vec<ShipmentRecord>>;
    /// Writes an import of `shop` in one transaction: each order inserted, or for a stored one
    /// its customer name, email and postal code set where the record has them (its other fields
    /// kept); each shipment written under the condition of [`Store::save_shipment`]. All or
    /// nothing: `false` when any shipment row changed since it was read (or appeared, for a new
    /// one), and then nothing at all was written.
    async fn write_import(
        &self,
        shop: &ShopRecord,
        orders: &[OrderRecord],
        shipments: &[ShipmentRecord],
    ) -> Result<bool>;
    /// Adds a console session.
    async fn insert_session(&self, session: &SessionRecord) -> Result<()>;
    /// The session whose token hashes to `token_hash`, with its shop, in one read: only while it
    /// is live at `now` (it expires after `now`) and the key it was made with is not revoked.
    async fn live_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionRecord, ShopRecord)>>;
    /// Deletes a session; false when there was none.
    async fn delete_session(&self, token_hash: &str) -> Result<bool>;
    /// Deletes, across shops, up to `limit` sessions expired by `now`, by index; answers how many.
    async fn delete_expired_sessions(&self, now: DateTime<Utc>, limit: usize) -> Result<usize>;
}

/// A signed-in session of the retailer console, made with one of its shop's secret keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 (hex) of the cookie's token; the token itself is never stored.
    pub token_hash: String,
    pub shop_id: String,
    /// The secret key's id (`sk_<id>`): revoking the key ends the session.
    pub key_id: String,
    /// What every write made with the session must carry.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    /// The session reads no more from this instant on.
    pub expires_at: DateTime<Utc>,
}

/// A shop's connection to a platform, its webhook secret sealed ([`super::sealing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationRecord {
    pub shop_id: String,
    pub platform: Platform,
    /// The webhook signing secret, sealed for this shop and platform.
    pub sealed_secret: String,
    /// When it was set.
    pub created_at: DateTime<Utc>,
}

/// A platform source of parcels (a Shopify fulfillment, a WooCommerce order) at one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceClaim {
    pub shop_id: String,
    /// Its key, e.g. `shopify/fulfillment/255858046`.
    pub source: String,
    /// The order its parcels belong to.
    pub order_number: String,
    /// The platform's `updated_at` of this version.
    pub version_at: DateTime<Utc>,
    /// The tracking numbers this version lists.
    pub numbers: Vec<TrackingNumber>,
}

/// How many times a write that lost a race is computed again from a fresh read before the request
/// gives up (D1 runs one write at a time, so each retry sees the winner's row).
pub const MAX_WRITE_ATTEMPTS: usize = 8;

/// Runs `attempt` (read, compute, conditional write; `None` when the write found the row changed)
/// until its write lands.
pub async fn until_written<T>(mut attempt: impl AsyncFnMut() -> Result<Option<T>>) -> Result<T> {
    for _ in 0..MAX_WRITE_ATTEMPTS {
        if let Some(done) = attempt().await? {
            return Ok(done);
        }
    }
    Err(EdgeError::WriteConflict)
}

/// What the service needs from the runtime: the time and randomness.
pub trait Runtime {
    /// Now, to the whole second: the precision storage keeps, so every instant the service
    /// writes reads back unchanged.
    fn now(&self) -> DateTime<Utc>;
    /// Fills `buffer` with cryptographically secure random bytes.
    fn random_bytes(&self, buffer: &mut [u8]) -> Result<()>;
}
