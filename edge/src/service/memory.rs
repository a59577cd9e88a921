//! An in-memory [`Store`] and a fixed [`Runtime`] for host tests of the service.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, NaiveTime, SubsecRound, TimeDelta, Utc};
use waypost_shared::detect::Carrier;
use waypost_shared::event::TrackingEvent;
use waypost_shared::health::{Health, HealthSchedule};
use waypost_shared::wire::{KeyKind, Platform, ShopCreated, ShopInput, Trigger};

use super::notice_causes::Cause;
use super::projection::{ended_dues, health_schedule};
use super::quiet_hours::ZoneClock;
use super::store::{
    IntegrationRecord, KeyRecord, ListPosition, ListedShipment, MAX_SHOPS_PER_NUMBER, OrderRecord,
    Runtime, SessionRecord, SettingsChange, ShipmentFilter, ShipmentHistory, ShipmentRecord,
    ShopRecord, SourceClaim, Store, StoredCounts, StoredEvent,
};
use super::tracking_number::TrackingNumber;
use crate::error::Result;

/// Events by shop, number and fingerprint, each with its place in the order stored (D1's rowid).
type EventRows = BTreeMap<(String, TrackingNumber, String), (u64, TrackingEvent)>;

/// A shipment's key: its shop and number.
type ShipmentKey = (String, TrackingNumber);

/// A shipment whose data fell due: its shop, number and order.
type DueParcel = (String, TrackingNumber, Option<String>);

/// The columns D1 derives with every write of a shipment row.
#[derive(Debug, Clone, Copy, Default)]
struct Derived {
    /// The health schedule and the version of the rules that computed it.
    schedule: HealthSchedule,
    version: u16,
    /// When its personal data falls due for erasure (cleared once erased).
    erase_due_at: Option<DateTime<Utc>>,
    /// When it falls due for deletion.
    delete_due_at: Option<DateTime<Utc>>,
}

/// Maps standing in for the D1 tables. Like D1, it keeps instants to the second and answers rows
/// in the same orders (see each method).
#[derive(Default)]
pub struct MemoryStore {
    shops: RefCell<BTreeMap<String, ShopRecord>>,
    keys: RefCell<BTreeMap<String, KeyRecord>>,
    orders: RefCell<BTreeMap<(String, String), OrderRecord>>,
    shipments: RefCell<BTreeMap<ShipmentKey, ShipmentRecord>>,
    /// The derived columns of each shipment row.
    derived: RefCell<BTreeMap<ShipmentKey, Derived>>,
    events: RefCell<EventRows>,
    revisions: Cell<u64>,
    integrations: RefCell<BTreeMap<(String, Platform), IntegrationRecord>>,
    /// Applied webhook deliveries: shop, platform and delivery id, with when.
    deliveries: RefCell<BTreeMap<(String, Platform, String), DateTime<Utc>>>,
    /// The platform version (`source_at`) each order was stored at, if a platform stored it.
    order_versions: RefCell<BTreeMap<(String, String), DateTime<Utc>>>,
    /// Parcel sources by shop and key.
    sources: RefCell<BTreeMap<(String, String), SourceClaim>>,
    /// Numbers each source registered.
    source_parcels: RefCell<std::collections::BTreeSet<(String, String, TrackingNumber)>>,
    /// Console sessions by token hash.
    sessions: RefCell<BTreeMap<String, SessionRecord>>,
    /// Notices written (the outbox): shop, shipment, trigger and episode.
    notices: RefCell<std::collections::BTreeSet<NoticeKey>>,
    /// Calls of any [`Store`] method so far (each stands for at least one D1 query).
    calls: Cell<usize>,
}

/// A notice's unique key: shop, shipment, trigger, episode.
pub type NoticeKey = (String, TrackingNumber, Trigger, String);

impl Store for MemoryStore {
    async fn insert_shop(&self, shop: &ShopRecord) -> Result<()> {
        self.count_call();
        let mut stored = shop.clone();
        stored.created_at = to_second(stored.created_at);
        self.shops.borrow_mut().insert(shop.id.clone(), stored);
        Ok(())
    }
    async fn shop(&self, shop_id: &str) -> Result<Option<ShopRecord>> {
        self.count_call();
        Ok(self.shops.borrow().get(shop_id).cloned())
    }
    async fn insert_key(&self, key: &KeyRecord) -> Result<()> {
        self.count_call();
        self.keys
            .borrow_mut()
            .insert(key.key_id.clone(), key.clone());
        Ok(())
    }
    async fn key_with_shop(&self, key_id: &str) -> Result<Option<(KeyRecord, ShopRecord)>> {
        self.count_call();
        let key = self.keys.borrow().get(key_id).cloned();
        Ok(key.and_then(|key| {
            self.shops
                .borrow()
                .get(&key.shop_id)
                .cloned()
                .map(|shop| (key, shop))
        }))
    }
    async fn revoke_key(&self, shop_id: &str, key_id: &str) -> Result<bool> {
        self.count_call();
        let mut keys = self.keys.borrow_mut();
        let key = keys.get_mut(key_id).filter(|key| key.shop_id == shop_id);
        Ok(key.map(|key| key.revoked = true).is_some())
    }
    async fn publishable_keys(&self, shop_id: &str) -> Result<Vec<KeyRecord>> {
        self.count_call();
        Ok(self
            .keys
            .borrow()
            .values()
            .filter(|key| key.shop_id == shop_id && key.kind == KeyKind::Publishable)
            .filter(|key| !key.revoked)
            .cloned()
            .collect())
    }
    async fn replace_publishable_key(&self, key: &KeyRecord) -> Result<Vec<String>> {
        self.count_call();
        let mut keys = self.keys.borrow_mut();
        let mut revoked = Vec::new();
        for old in keys.values_mut() {
            if old.shop_id == key.shop_id && old.kind == KeyKind::Publishable && !old.revoked {
                old.revoked = true;
                revoked.push(old.key_id.clone());
            }
        }
        keys.insert(key.key_id.clone(), key.clone());
        Ok(revoked)
    }
    async fn update_shop_settings(&self, shop_id: &str, change: &SettingsChange) -> Result<bool> {
        self.count_call();
        let mut shops = self.shops.borrow_mut();
        let Some(shop) = shops.get_mut(shop_id) else {
            return Ok(false);
        };
        if let Some(origins) = &change.allowed_origins {
            shop.allowed_origins.clone_from(origins);
        }
        if let Some((min, max)) = change.transit_days {
            (shop.transit_min_days, shop.transit_max_days) = (min, max);
        }
        if let Some(carriers) = &change.live_carriers {
            shop.live_carriers.clone_from(carriers);
        }
        Ok(true)
    }
    async fn upsert_order(&self, order: &OrderRecord) -> Result<()> {
        self.count_call();
        let mut stored = order.clone();
        stored.updated_at = to_second(stored.updated_at);
        let key = (order.shop_id.clone(), order.order_number.clone());
        // As in D1: an order pushed through the API holds no platform version.
        self.order_versions.borrow_mut().remove(&key);
        self.orders.borrow_mut().insert(key, stored);
        Ok(())
    }
    async fn order(&self, shop_id: &str, order_number: &str) -> Result<Option<OrderRecord>> {
        self.count_call();
        Ok(self
            .orders
            .borrow()
            .get(&(shop_id.to_owned(), order_number.to_owned()))
            .cloned())
    }
    async fn save_shipment(
        &self,
        shop: &ShopRecord,
        shipment: &ShipmentRecord,
        causes: &[Cause],
    ) -> Result<bool> {
        self.count_call();
        if !self.still_as_read(shipment) {
            return Ok(false);
        }
        self.write_shipment(shop, shipment);
        self.notice(shipment, causes);
        Ok(true)
    }
    async fn shipment(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<ShipmentRecord>> {
        self.count_call();
        Ok(self
            .shipments
            .borrow()
            .get(&(shop_id.to_owned(), number.clone()))
            .cloned())
    }
    async fn order_shipments(
        &self,
        shop_id: &str,
        order_number: &str,
    ) -> Result<Vec<ShipmentRecord>> {
        self.count_call();
        let shipments = self.shipments.borrow();
        let mut found: Vec<_> = shipments
            .values()
            .filter(|s| s.shop_id == shop_id && s.order_number.as_deref() == Some(order_number))
            .cloned()
            .collect();
        found.sort_by(|a, b| {
            (&a.created_at, &a.tracking_number).cmp(&(&b.created_at, &b.tracking_number))
        });
        Ok(found)
    }
    async fn list_shipments(
        &self,
        shop_id: &str,
        filter: &ShipmentFilter,
        after: Option<&TrackingNumber>,
        limit: usize,
    ) -> Result<Vec<ListedShipment>> {
        self.count_call();
        // By tracking number, after the cursor (the map's own order, as D1's ORDER BY).
        Ok(self
            .listed(shop_id, filter)
            .into_iter()
            .filter(|s| after.is_none_or(|after| &s.shipment.tracking_number > after))
            .take(limit)
            .collect())
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
        self.count_call();
        let since = |listed: &ListedShipment| listed.schedule.since(health);
        let mut found: Vec<ListedShipment> = self
            .listed(shop_id, filter)
            .into_iter()
            .filter(|listed| listed.schedule.at(now) == health)
            .collect();
        // D1's orders: by the instant the health began, then number; by number alone otherwise.
        found.sort_by_key(|listed| (since(listed), listed.shipment.tracking_number.clone()));
        Ok(found
            .into_iter()
            .filter(|listed| {
                after.is_none_or(|after| {
                    (since(listed), &listed.shipment.tracking_number) > (after.since, &after.number)
                })
            })
            .take(limit)
            .collect())
    }
    async fn shipment_counts(&self, shop_id: &str, now: DateTime<Utc>) -> Result<StoredCounts> {
        self.count_call();
        let mut counts = StoredCounts::default();
        for listed in self.listed(shop_id, &ShipmentFilter::default()) {
            let fixed = listed.schedule.fixed;
            let status = listed.shipment.status;
            match counts
                .by_status
                .iter_mut()
                .find(|(s, f, _)| *s == status && *f == fixed)
            {
                Some((_, _, count)) => *count += 1,
                None => counts.by_status.push((status, fixed, 1)),
            }
            match listed.schedule.at(now) {
                Health::Late => counts.late += 1,
                Health::Stalled => counts.stalled += 1,
                _ => {}
            }
        }
        Ok(counts)
    }
    async fn events(&self, shop_id: &str, number: &TrackingNumber) -> Result<Vec<TrackingEvent>> {
        self.count_call();
        let events = self.events.borrow();
        let mut found: Vec<&(u64, TrackingEvent)> = events
            .iter()
            .filter(|((shop, n, _), _)| shop == shop_id && n == number)
            .map(|(_, e)| e)
            .collect();
        // In the order stored, as D1's `ORDER BY rowid`.
        found.sort_by_key(|(place, _)| *place);
        Ok(found.into_iter().map(|(_, e)| e.clone()).collect())
    }
    async fn handed_over_as(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<TrackingNumber>> {
        self.count_call();
        Ok(self
            .shipments
            .borrow()
            .values()
            .find(|s| s.shop_id == shop_id && s.last_mile_number.as_ref() == Some(number))
            .map(|s| s.tracking_number.clone()))
    }
    async fn shops_tracking(&self, number: &TrackingNumber) -> Result<Vec<ShopRecord>> {
        self.count_call();
        let shops = self.shops.borrow();
        Ok(self
            .shipments
            .borrow()
            .values()
            .filter(|s| &s.tracking_number == number)
            .filter_map(|s| shops.get(&s.shop_id).cloned())
            .take(MAX_SHOPS_PER_NUMBER)
            .collect())
    }
    async fn shipment_history(
        &self,
        shop_id: &str,
        number: &TrackingNumber,
    ) -> Result<Option<ShipmentHistory>> {
        self.count_call();
        let Some(shipment) = self.shipment(shop_id, number).await? else {
            return Ok(None);
        };
        let order = match &shipment.order_number {
            Some(order_number) => self.order(shop_id, order_number).await?,
            None => None,
        };
        let events = self.events(shop_id, number).await?;
        Ok(Some(ShipmentHistory {
            shipment,
            order,
            events,
        }))
    }
    async fn store_events(
        &self,
        shop: &ShopRecord,
        shipment: &ShipmentRecord,
        events: &[StoredEvent],
        causes: &[Cause],
    ) -> Result<bool> {
        self.count_call();
        if !self.save_shipment(shop, shipment, causes).await? {
            return Ok(false);
        }
        for event in events {
            let key = (
                shipment.shop_id.clone(),
                shipment.tracking_number.clone(),
                event.fingerprint.clone(),
            );
            let mut events = self.events.borrow_mut();
            let place = events.len() as u64;
            events
                .entry(key)
                .or_insert_with(|| (place, event.event.clone()));
        }
        Ok(true)
    }
    async fn customer_orders(&self, shop_id: &str, email: &str) -> Result<Vec<OrderRecord>> {
        self.count_call();
        Ok(self
            .orders
            .borrow()
            .values()
            .filter(|o| o.shop_id == shop_id && o.email.as_deref() == Some(email))
            .cloned()
            .collect())
    }
    async fn erase_customer(&self, shop_id: &str, email: &str) -> Result<(usize, usize)> {
        self.count_call();
        let orders: Vec<String> = self
            .customer_orders(shop_id, email)
            .await?
            .into_iter()
            .map(|o| o.order_number)
            .collect();
        let shipments = self.erase_orders(shop_id, &orders);
        Ok((orders.len(), shipments))
    }
    async fn expire_customers(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        self.count_call();
        let due = self.due(now, limit, |derived| derived.erase_due_at);
        let mut erased = 0;
        let mut orders: Vec<(String, String)> = Vec::new();
        for (shop_id, number, order_number) in &due {
            let key = (shop_id.clone(), number.clone());
            match order_number {
                None => {
                    let mut shipments = self.shipments.borrow_mut();
                    let parcel = shipments.get_mut(&key);
                    if let Some(parcel) = parcel.filter(|p| p.dest_postal_code.is_some()) {
                        parcel.dest_postal_code = None;
                        self.revisions.set(self.revisions.get() + 1);
                        parcel.revision = Some(format!("r{}", self.revisions.get()));
                    }
                }
                Some(order_number) => {
                    let order = (shop_id.clone(), order_number.clone());
                    if !orders.contains(&order) && self.settled(shop_id, order_number, now) {
                        let had_data = self.orders.borrow().get(&order).is_some_and(|o| {
                            o.email.is_some()
                                || o.customer_name.is_some()
                                || o.phone.is_some()
                                || o.postal_code.is_some()
                        });
                        self.erase_orders(shop_id, std::slice::from_ref(order_number));
                        erased += usize::from(had_data);
                    }
                    orders.push(order);
                }
            }
            if let Some(derived) = self.derived.borrow_mut().get_mut(&key) {
                derived.erase_due_at = None;
            }
        }
        Ok(erased)
    }
    async fn expire_parcelless_orders(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        self.count_call();
        let mut due = {
            let shops = self.shops.borrow();
            let shipments = self.shipments.borrow();
            let orders = self.orders.borrow();
            orders
                .values()
                .filter(|o| {
                    o.email.is_some()
                        || o.customer_name.is_some()
                        || o.phone.is_some()
                        || o.postal_code.is_some()
                })
                .filter(|o| {
                    shops.get(&o.shop_id).is_some_and(|shop| {
                        o.updated_at + chrono::TimeDelta::days(shop.retention_days.into()) < now
                    })
                })
                .filter(|o| {
                    !shipments.values().any(|s| {
                        s.shop_id == o.shop_id && s.order_number.as_deref() == Some(&o.order_number)
                    })
                })
                .map(|o| (o.updated_at, o.shop_id.clone(), o.order_number.clone()))
                .collect::<Vec<(DateTime<Utc>, String, String)>>()
        };
        due.sort();
        due.truncate(limit);
        for (_, shop_id, order_number) in &due {
            self.erase_orders(shop_id, std::slice::from_ref(order_number));
        }
        Ok(due.len())
    }
    async fn delete_ended(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        self.count_call();
        let due = self.due(now, limit, |derived| derived.delete_due_at);
        for (shop_id, number, order_number) in &due {
            let key = (shop_id.clone(), number.clone());
            self.shipments.borrow_mut().remove(&key);
            self.derived.borrow_mut().remove(&key);
            self.events
                .borrow_mut()
                .retain(|(shop, n, _), _| (shop, n) != (shop_id, number));
            let orphan = order_number.as_ref().filter(|order| {
                !self.shipments.borrow().values().any(|s| {
                    &s.shop_id == shop_id && s.order_number.as_deref() == Some(order.as_str())
                })
            });
            if let Some(order) = orphan {
                self.orders
                    .borrow_mut()
                    .remove(&(shop_id.clone(), order.clone()));
            }
        }
        Ok(due.len())
    }
    async fn rederive_schedules(&self, limit: usize) -> Result<usize> {
        self.count_call();
        let shops = self.shops.borrow();
        let shipments = self.shipments.borrow();
        let mut derived = self.derived.borrow_mut();
        let mut rederived = 0;
        for (key, stored) in derived.iter_mut() {
            if rederived == limit {
                break;
            }
            let (Some(shipment), Some(shop)) = (shipments.get(key), shops.get(&key.0)) else {
                continue;
            };
            if stored.version < HealthSchedule::VERSION {
                stored.schedule = health_schedule(shop, shipment);
                stored.version = HealthSchedule::VERSION;
                rederived += 1;
            }
        }
        Ok(rederived)
    }
    async fn clear_overtaken_stalls(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        self.count_call();
        let mut cleared = 0;
        for Derived { schedule, .. } in self.derived.borrow_mut().values_mut() {
            if cleared == limit {
                break;
            }
            let overtaken = schedule.fixed.is_none()
                && schedule.stalled_after.is_some()
                && schedule.late_from.is_some_and(|late| late <= now);
            if overtaken {
                schedule.stalled_after = None;
                cleared += 1;
            }
        }
        Ok(cleared)
    }
    async fn due_for_refresh(
        &self,
        carriers: &[Carrier],
        checked_by: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(ShipmentRecord, ShopRecord)>> {
        self.count_call();
        let shops = self.shops.borrow();
        let mut due: Vec<(ShipmentRecord, ShopRecord)> = self
            .shipments
            .borrow()
            .values()
            .filter(|s| !s.status.is_final())
            .filter(|s| s.carrier.is_some_and(|c| carriers.contains(&c)))
            .filter(|s| {
                s.carrier_checked_at
                    .is_none_or(|at| at <= to_second(checked_by))
            })
            .filter_map(|s| {
                let shop = shops.get(&s.shop_id)?;
                let enabled = s.carrier.is_some_and(|c| shop.live_carriers.contains(&c));
                enabled.then(|| (s.clone(), shop.clone()))
            })
            .collect();
        // Never checked first (`None`, like SQL's NULL, sorts first), then longest ago; ties by
        // shop and number (D1's ORDER BY, which its `shipments_due` index serves).
        due.sort_by_key(|(s, _)| {
            (
                s.carrier_checked_at,
                s.shop_id.clone(),
                s.tracking_number.clone(),
            )
        });
        due.truncate(limit);
        Ok(due)
    }
    async fn put_integration(&self, integration: &IntegrationRecord) -> Result<()> {
        self.count_call();
        self.integrations.borrow_mut().insert(
            (integration.shop_id.clone(), integration.platform),
            integration.clone(),
        );
        Ok(())
    }
    async fn integration_with_shop(
        &self,
        shop_id: &str,
        platform: Platform,
    ) -> Result<Option<(IntegrationRecord, ShopRecord)>> {
        self.count_call();
        let integration = self
            .integrations
            .borrow()
            .get(&(shop_id.to_owned(), platform))
            .cloned();
        Ok(integration.and_then(|integration| {
            let shop = self.shops.borrow().get(shop_id).cloned()?;
            Some((integration, shop))
        }))
    }
    async fn delete_integration(&self, shop_id: &str, platform: Platform) -> Result<bool> {
        self.count_call();
        Ok(self
            .integrations
            .borrow_mut()
            .remove(&(shop_id.to_owned(), platform))
            .is_some())
    }
    async fn delivery_seen(
        &self,
        shop_id: &str,
        platform: Platform,
        delivery_id: &str,
    ) -> Result<bool> {
        self.count_call();
        Ok(self.deliveries.borrow().contains_key(&(
            shop_id.to_owned(),
            platform,
            delivery_id.to_owned(),
        )))
    }
    async fn record_delivery(
        &self,
        shop_id: &str,
        platform: Platform,
        delivery_id: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.count_call();
        self.deliveries
            .borrow_mut()
            .entry((shop_id.to_owned(), platform, delivery_id.to_owned()))
            .or_insert(to_second(at));
        Ok(())
    }
    async fn forget_deliveries(&self, before: DateTime<Utc>, limit: usize) -> Result<usize> {
        self.count_call();
        let mut deliveries = self.deliveries.borrow_mut();
        let mut old: Vec<_> = deliveries
            .iter()
            .filter(|(_, at)| **at < before)
            .map(|(key, at)| (*at, key.clone()))
            .collect();
        old.sort();
        old.truncate(limit);
        for (_, key) in &old {
            deliveries.remove(key);
        }
        Ok(old.len())
    }
    async fn merge_platform_order(
        &self,
        order: &OrderRecord,
        version_at: DateTime<Utc>,
    ) -> Result<bool> {
        self.count_call();
        let key = (order.shop_id.clone(), order.order_number.clone());
        let version_at = to_second(version_at);
        if self
            .order_versions
            .borrow()
            .get(&key)
            .is_some_and(|stored| *stored > version_at)
        {
            return Ok(false);
        }
        let mut orders = self.orders.borrow_mut();
        let mut merged = orders.get(&key).cloned().unwrap_or_else(|| OrderRecord {
            customer_name: None,
            phone: None,
            promised_from: None,
            promised_to: None,
            ..order.clone()
        });
        merged.status = order.status;
        merged.sub_status = order.sub_status;
        merged.email = order.email.clone().or(merged.email);
        merged.postal_code = order.postal_code.clone().or(merged.postal_code);
        merged.lang = order.lang.or(merged.lang);
        merged.updated_at = to_second(order.updated_at);
        orders.insert(key.clone(), merged);
        self.order_versions.borrow_mut().insert(key, version_at);
        Ok(true)
    }
    async fn insert_order_if_missing(&self, order: &OrderRecord) -> Result<()> {
        self.count_call();
        let mut stored = order.clone();
        stored.updated_at = to_second(stored.updated_at);
        self.orders
            .borrow_mut()
            .entry((order.shop_id.clone(), order.order_number.clone()))
            .or_insert(stored);
        Ok(())
    }
    async fn claim_source(&self, claim: &SourceClaim) -> Result<bool> {
        self.count_call();
        let mut sources = self.sources.borrow_mut();
        let key = (claim.shop_id.clone(), claim.source.clone());
        let version_at = to_second(claim.version_at);
        if sources
            .get(&key)
            .is_some_and(|stored| stored.version_at > version_at)
        {
            return Ok(false);
        }
        sources.insert(
            key,
            SourceClaim {
                version_at,
                ..claim.clone()
            },
        );
        Ok(true)
    }
    async fn source_version(&self, shop_id: &str, source: &str) -> Result<Option<DateTime<Utc>>> {
        self.count_call();
        Ok(self
            .sources
            .borrow()
            .get(&(shop_id.to_owned(), source.to_owned()))
            .map(|claim| claim.version_at))
    }
    async fn link_source_parcel(
        &self,
        shop_id: &str,
        source: &str,
        number: &TrackingNumber,
    ) -> Result<()> {
        self.count_call();
        self.source_parcels.borrow_mut().insert((
            shop_id.to_owned(),
            source.to_owned(),
            number.clone(),
        ));
        Ok(())
    }
    async fn drop_unlisted_parcels(
        &self,
        shop_id: &str,
        source: &str,
    ) -> Result<Vec<TrackingNumber>> {
        self.count_call();
        let Some(claim) = self
            .sources
            .borrow()
            .get(&(shop_id.to_owned(), source.to_owned()))
            .cloned()
        else {
            return Ok(Vec::new());
        };
        let listed_elsewhere = |number: &TrackingNumber| {
            self.sources.borrow().iter().any(|((shop, from), other)| {
                shop == shop_id && from != source && other.numbers.contains(number)
            })
        };
        let mut linked = self.source_parcels.borrow_mut();
        let unlisted: Vec<TrackingNumber> = linked
            .iter()
            .filter(|(shop, from, number)| {
                shop == shop_id && from == source && !claim.numbers.contains(number)
            })
            .map(|(_, _, number)| number.clone())
            .collect();
        let mut dropped = Vec::new();
        for number in unlisted {
            linked.remove(&(shop_id.to_owned(), source.to_owned(), number.clone()));
            let key = (shop_id.to_owned(), number.clone());
            let of_order =
                self.shipments.borrow().get(&key).is_some_and(|s| {
                    s.order_number.as_deref() == Some(claim.order_number.as_str())
                });
            if of_order && !listed_elsewhere(&number) {
                self.shipments.borrow_mut().remove(&key);
                self.derived.borrow_mut().remove(&key);
                self.events
                    .borrow_mut()
                    .retain(|(shop, n, _), _| !(shop == shop_id && *n == number));
                dropped.push(number);
            }
        }
        Ok(dropped)
    }
    async fn orders_among(
        &self,
        shop_id: &str,
        order_numbers: &[&str],
    ) -> Result<Vec<OrderRecord>> {
        self.count_call();
        let orders = self.orders.borrow();
        Ok(order_numbers
            .iter()
            .filter_map(|number| orders.get(&(shop_id.to_owned(), (*number).to_owned())))
            .cloned()
            .collect())
    }
    async fn shipments_among(
        &self,
        shop_id: &str,
        numbers: &[&TrackingNumber],
    ) -> Result<Vec<ShipmentRecord>> {
        self.count_call();
        let shipments = self.shipments.borrow();
        Ok(numbers
            .iter()
            .filter_map(|number| shipments.get(&(shop_id.to_owned(), (*number).clone())))
            .cloned()
            .collect())
    }
    async fn write_import(
        &self,
        shop: &ShopRecord,
        orders: &[OrderRecord],
        shipments: &[ShipmentRecord],
    ) -> Result<bool> {
        self.count_call();
        // One transaction: every condition holds, or nothing is written.
        if !shipments
            .iter()
            .all(|shipment| self.still_as_read(shipment))
        {
            return Ok(false);
        }
        for order in orders {
            let key = (shop.id.clone(), order.order_number.clone());
            let mut stored = self.orders.borrow().get(&key).cloned().map_or_else(
                || order.clone(),
                |mut stored| {
                    stored.customer_name = order.customer_name.clone().or(stored.customer_name);
                    stored.email = order.email.clone().or(stored.email);
                    stored.postal_code = order.postal_code.clone().or(stored.postal_code);
                    stored.updated_at = order.updated_at;
                    stored
                },
            );
            stored.updated_at = to_second(stored.updated_at);
            self.orders.borrow_mut().insert(key, stored);
        }
        for shipment in shipments {
            self.write_shipment(shop, shipment);
        }
        Ok(true)
    }
    async fn insert_session(&self, session: &SessionRecord) -> Result<()> {
        self.count_call();
        let mut stored = session.clone();
        stored.created_at = to_second(stored.created_at);
        stored.expires_at = to_second(stored.expires_at);
        self.sessions
            .borrow_mut()
            .insert(session.token_hash.clone(), stored);
        Ok(())
    }
    async fn live_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionRecord, ShopRecord)>> {
        self.count_call();
        let Some(session) = self.sessions.borrow().get(token_hash).cloned() else {
            return Ok(None);
        };
        let key_live = self
            .keys
            .borrow()
            .get(&session.key_id)
            .is_some_and(|key| !key.revoked);
        if session.expires_at <= to_second(now) || !key_live {
            return Ok(None);
        }
        let shop = self.shops.borrow().get(&session.shop_id).cloned();
        Ok(shop.map(|shop| (session, shop)))
    }
    async fn delete_session(&self, token_hash: &str) -> Result<bool> {
        self.count_call();
        Ok(self.sessions.borrow_mut().remove(token_hash).is_some())
    }
    async fn delete_expired_sessions(&self, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        self.count_call();
        let mut sessions = self.sessions.borrow_mut();
        // As D1's index: earliest expiry first.
        let mut expired: Vec<(DateTime<Utc>, String)> = sessions
            .values()
            .filter(|session| session.expires_at <= now)
            .map(|session| (session.expires_at, session.token_hash.clone()))
            .collect();
        expired.sort();
        expired.truncate(limit);
        for (_, token_hash) in &expired {
            sessions.remove(token_hash);
        }
        Ok(expired.len())
    }
}

impl MemoryStore {
    /// Whether a shipment's row is still at the revision it was read at (for a new shipment:
    /// whether there is still no row), as D1's conditional writes check.
    fn still_as_read(&self, shipment: &ShipmentRecord) -> bool {
        let key = (shipment.shop_id.clone(), shipment.tracking_number.clone());
        let current = self
            .shipments
            .borrow()
            .get(&key)
            .map(|row| row.revision.clone());
        current == shipment.revision.clone().map(Some)
    }

    /// Writes a shipment's row at a fresh revision, with its derived columns, as D1 does.
    fn write_shipment(&self, shop: &ShopRecord, shipment: &ShipmentRecord) {
        let key = (shipment.shop_id.clone(), shipment.tracking_number.clone());
        self.revisions.set(self.revisions.get() + 1);
        let mut stored = shipment.clone();
        stored.last_event_at = stored.last_event_at.map(to_second);
        stored.carrier_checked_at = stored.carrier_checked_at.map(to_second);
        stored.created_at = to_second(stored.created_at);
        stored.updated_at = to_second(stored.updated_at);
        stored.revision = Some(format!("r{}", self.revisions.get()));
        let dues = ended_dues(shop, &stored);
        let derived = Derived {
            schedule: health_schedule(shop, &stored),
            version: HealthSchedule::VERSION,
            erase_due_at: dues.map(|due| due.erase_at),
            delete_due_at: dues.map(|due| due.delete_at),
        };
        self.derived.borrow_mut().insert(key.clone(), derived);
        self.shipments.borrow_mut().insert(key, stored);
    }

    /// How many times the service called the store: what a D1 store would have queried.
    pub fn calls(&self) -> usize {
        self.calls.get()
    }

    /// The notices written so far, in key order.
    pub fn notices(&self) -> Vec<NoticeKey> {
        self.notices.borrow().iter().cloned().collect()
    }

    /// Writes the notices of `causes` not written before.
    fn notice(&self, shipment: &ShipmentRecord, causes: &[Cause]) {
        let mut notices = self.notices.borrow_mut();
        for cause in causes {
            notices.insert((
                shipment.shop_id.clone(),
                shipment.tracking_number.clone(),
                cause.trigger,
                cause.episode.clone(),
            ));
        }
    }

    fn count_call(&self) {
        self.calls.set(self.calls.get() + 1);
    }

    /// Up to `limit` shipments whose instant `at` has come by `now`, earliest first (D1's index
    /// order): shop, number and order.
    fn due(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        at: impl Fn(&Derived) -> Option<DateTime<Utc>>,
    ) -> Vec<DueParcel> {
        let shipments = self.shipments.borrow();
        let mut due: Vec<(DateTime<Utc>, DueParcel)> = self
            .derived
            .borrow()
            .iter()
            .filter_map(|(key, derived)| {
                let when = at(derived).filter(|when| *when <= now)?;
                let order = shipments.get(key)?.order_number.clone();
                Some((when, (key.0.clone(), key.1.clone(), order)))
            })
            .collect();
        due.sort_by_key(|(when, _)| *when);
        due.into_iter().take(limit).map(|(_, due)| due).collect()
    }

    /// Whether none of an order's parcels is open or ended more recently than its retention
    /// period at `now`.
    fn settled(&self, shop_id: &str, order_number: &str, now: DateTime<Utc>) -> bool {
        let derived = self.derived.borrow();
        self.shipments.borrow().iter().all(|(key, s)| {
            s.shop_id != shop_id
                || s.order_number.as_deref() != Some(order_number)
                || (s.status.is_final()
                    && derived
                        .get(key)
                        .and_then(|d| d.erase_due_at)
                        .is_none_or(|due| due <= now))
        })
    }

    /// A shop's shipments by number that `filter` keeps, with their stored schedules.
    fn listed(&self, shop_id: &str, filter: &ShipmentFilter) -> Vec<ListedShipment> {
        let derived = self.derived.borrow();
        self.shipments
            .borrow()
            .iter()
            .filter(|(_, s)| s.shop_id == shop_id && filter.keeps(s))
            .map(|(key, s)| ListedShipment {
                shipment: s.clone(),
                schedule: derived.get(key).copied().unwrap_or_default().schedule,
            })
            .collect()
    }

    /// Puts every stored schedule back to what a row written before schedules were stored holds
    /// (nothing, at version 0), as the migration that added them left them.
    pub fn forget_schedules(&self) {
        for stored in self.derived.borrow_mut().values_mut() {
            stored.schedule = HealthSchedule::default();
            stored.version = 0;
        }
    }

    /// Erases the personal data of a shop's `orders` and their parcels' postal codes (a new
    /// revision for each parcel, as D1); answers how many parcels had one.
    fn erase_orders(&self, shop_id: &str, orders: &[String]) -> usize {
        for order in self.orders.borrow_mut().values_mut() {
            if order.shop_id == shop_id && orders.contains(&order.order_number) {
                order.customer_name = None;
                order.email = None;
                order.phone = None;
                order.postal_code = None;
            }
        }
        let mut erased = 0;
        for shipment in self.shipments.borrow_mut().values_mut() {
            let of_order = shipment
                .order_number
                .as_ref()
                .is_some_and(|number| orders.contains(number));
            if shipment.shop_id == shop_id && of_order && shipment.dest_postal_code.is_some() {
                shipment.dest_postal_code = None;
                self.revisions.set(self.revisions.get() + 1);
                shipment.revision = Some(format!("r{}", self.revisions.get()));
                erased += 1;
            }
        }
        erased
    }
}

/// An instant as D1 keeps it: to the second.
fn to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(0)
}

/// A clock that says what the test sets, and counting "random" bytes.
pub struct TestRuntime {
    pub now: Cell<DateTime<Utc>>,
    counter: Cell<u8>,
}

impl Default for TestRuntime {
    fn default() -> Self {
        TestRuntime {
            now: Cell::new("2026-11-21T12:00:00Z".parse().expect("valid")),
            counter: Cell::new(0),
        }
    }
}

impl Runtime for TestRuntime {
    fn now(&self) -> DateTime<Utc> {
        self.now.get()
    }
    fn random_bytes(&self, buffer: &mut [u8]) -> Result<()> {
        for byte in buffer {
            self.counter.set(self.counter.get().wrapping_add(1));
            *byte = self.counter.get().wrapping_mul(37);
        }
        Ok(())
    }
}

/// Two zones at fixed offsets: `UTC`, and `Europe/Madrid` as it is in winter (UTC+1).
impl ZoneClock for TestRuntime {
    fn time_of_day(&self, time_zone: &str, at: DateTime<Utc>) -> Option<NaiveTime> {
        let hours = match time_zone {
            "UTC" => 0,
            "Europe/Madrid" => 1,
            _ => return None,
        };
        Some((at + TimeDelta::hours(hours)).time())
    }
}

/// Runs a future that never waits (the in-memory store's are all ready at once).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("in-memory futures never wait"),
    }
}

/// Creates a shop through the admin service, as `POST /v1/admin/shops` does: the stored record
/// and what the creation answered (its keys).
pub fn create_shop(
    store: &MemoryStore,
    runtime: &TestRuntime,
    input: ShopInput,
) -> (ShopRecord, ShopCreated) {
    let created = block_on(super::admin::create_shop(
        store,
        runtime,
        input,
        runtime.now(),
    ))
    .expect("a valid shop");
    let shop = block_on(store.shop(&created.shop_id))
        .expect("a memory read")
        .expect("the shop just created");
    (shop, created)
}

/// A shop record for tests.
pub fn shop(id: &str) -> ShopRecord {
    ShopRecord {
        id: id.to_owned(),
        name: format!("Shop {id}"),
        allowed_origins: vec!["https://shop.example".into()],
        transit_min_days: 7,
        transit_max_days: 15,
        created_at: "2026-11-01T00:00:00Z".parse().expect("valid"),
        live_carriers: Vec::new(),
        retention_days: 180,
        history_days: 365,
    }
}
