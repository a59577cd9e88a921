//! The Cron Trigger's delay notices on D1: one statement per kind of delay (stalled, late), each
//! reading the shipments that turned so within the lookback by its own index and writing a
//! notice for each whose episode was not noticed before.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;

use super::{D1Store, instant, internal};
use crate::error::Result;

/// Stalled (its quiet spell passed `stalled_after`) and not late: the list of stalled shipments'
/// rule. The episode is the quiet spell (from its newest event, or its registration), so moving
/// then stalling again is a new one, and a schedule computed anew for the same spell is not.
/// Only a shipment of an order (a number typed into the widget and kept tells no one).
const STALLED: &str = "INSERT OR IGNORE INTO notices \
     (id, shop_id, tracking_number, order_number, trigger, episode, created_at) \
     SELECT 'ntc_' || lower(hex(randomblob(12))), s.shop_id, s.tracking_number, s.order_number, \
     'delay', 'stalled:' || COALESCE(s.last_event_at, s.created_at), ?1 \
     FROM shipments s INDEXED BY shipments_stalled_since \
     WHERE s.health_fixed IS NULL AND s.stalled_after IS NOT NULL AND s.order_number IS NOT NULL \
     AND s.stalled_after > ?2 AND s.stalled_after < ?1 \
     AND (s.late_from IS NULL OR s.late_from > ?1) \
     AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.shop_id = s.shop_id \
     AND n.tracking_number = s.tracking_number AND n.trigger = 'delay' \
     AND n.episode = 'stalled:' || COALESCE(s.last_event_at, s.created_at)) \
     LIMIT ?3 RETURNING id";

/// Late (its ETA window passed): the list of late shipments' rule. The episode is the instant it
/// turned late, so a later ETA that passes too is a new one. Only a shipment of an order.
const LATE: &str = "INSERT OR IGNORE INTO notices \
     (id, shop_id, tracking_number, order_number, trigger, episode, created_at) \
     SELECT 'ntc_' || lower(hex(randomblob(12))), s.shop_id, s.tracking_number, s.order_number, \
     'delay', 'late:' || s.late_from, ?1 \
     FROM shipments s INDEXED BY shipments_late_since \
     WHERE s.health_fixed IS NULL AND s.late_from IS NOT NULL AND s.order_number IS NOT NULL \
     AND s.late_from > ?2 AND s.late_from <= ?1 \
     AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.shop_id = s.shop_id \
     AND n.tracking_number = s.tracking_number AND n.trigger = 'delay' \
     AND n.episode = 'late:' || s.late_from) \
     LIMIT ?3 RETURNING id";

/// A row the statements return.
#[derive(Deserialize)]
struct NewNotice {
    id: String,
}

impl D1Store {
    /// Writes a delay notice for each shipment that turned stalled, then each that turned late,
    /// after `since` and by `now`, at most `limit` in all; the new notices' ids.
    pub(crate) async fn delay_notices(
        &self,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for sql in [STALLED, LATE] {
            let left = limit.saturating_sub(ids.len());
            if left == 0 {
                break;
            }
            let written: Vec<NewNotice> = self
                .statement(
                    sql,
                    &[instant(now), instant(since), JsValue::from(left as u32)],
                )?
                .all()
                .await
                .map_err(internal)?
                .results()
                .map_err(internal)?;
            ids.extend(written.into_iter().map(|notice| notice.id));
        }
        Ok(ids)
    }
}
