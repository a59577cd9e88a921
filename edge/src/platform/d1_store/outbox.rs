//! [`OutboxStore`] on D1: notices and their messages. A message is claimed by one conditional
//! update before each attempt, so two consumers given the same message never both send it.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;

use super::{
    D1Store, changed_a_row, instant, internal, maybe_read_instant, maybe_wire, read_instant, text,
    unwire, wire,
};
use crate::error::Result;
use crate::service::notification_store::{
    DeliveryRecord, Finished, NewDelivery, NoticeRecord, OutboxStore,
};

/// The columns of a message with its notice's trigger and order.
pub(crate) const DELIVERY_COLUMNS: &str = "d.id, d.notice_id, d.shop_id, d.tracking_number, \
     n.order_number, n.trigger, n.episode, d.channel, d.recipient, d.recipient_masked, d.state, d.attempts, \
     d.last_error, d.created_at, d.sent_at, d.lang";

/// A `notices` row.
impl D1Store {
    /// A message by id, whatever its state, with its notice's trigger and order.
    pub(super) async fn delivery_by_id(&self, id: &str) -> Result<Option<DeliveryRecord>> {
        let row: Option<DeliveryRow> = self
            .row(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries d \
                     JOIN notices n ON n.id = d.notice_id WHERE d.id = ?1"
                ),
                &[text(id)],
            )
            .await?;
        row.map(DeliveryRow::into_record).transpose()
    }
}

#[derive(Deserialize)]
struct NoticeRow {
    id: String,
    shop_id: String,
    tracking_number: String,
    order_number: Option<String>,
    trigger: String,
    episode: String,
    created_at: String,
    fanned_out_at: Option<String>,
}

impl NoticeRow {
    fn into_record(self) -> Result<NoticeRecord> {
        Ok(NoticeRecord {
            id: self.id,
            shop_id: self.shop_id,
            tracking_number: self.tracking_number,
            order_number: self.order_number,
            trigger: unwire(&self.trigger)?,
            episode: self.episode,
            created_at: read_instant(&self.created_at)?,
            fanned_out_at: maybe_read_instant(self.fanned_out_at)?,
        })
    }
}

/// A message row of [`DELIVERY_COLUMNS`].
#[derive(Deserialize)]
pub(crate) struct DeliveryRow {
    id: String,
    notice_id: String,
    shop_id: String,
    tracking_number: String,
    order_number: Option<String>,
    trigger: String,
    episode: String,
    channel: String,
    recipient: String,
    recipient_masked: String,
    state: String,
    attempts: u32,
    last_error: Option<String>,
    created_at: String,
    sent_at: Option<String>,
    lang: Option<String>,
}

impl DeliveryRow {
    pub(crate) fn into_record(self) -> Result<DeliveryRecord> {
        Ok(DeliveryRecord {
            id: self.id,
            notice_id: self.notice_id,
            shop_id: self.shop_id,
            tracking_number: self.tracking_number,
            order_number: self.order_number,
            trigger: unwire(&self.trigger)?,
            episode: self.episode,
            channel: unwire(&self.channel)?,
            recipient: self.recipient,
            recipient_masked: self.recipient_masked,
            state: unwire(&self.state)?,
            attempts: self.attempts,
            last_error: self.last_error,
            created_at: read_instant(&self.created_at)?,
            sent_at: maybe_read_instant(self.sent_at)?,
            lang: self.lang.as_deref().map(unwire).transpose()?,
        })
    }
}

/// A row of ids (of notices or messages).
#[derive(Deserialize)]
pub(super) struct IdRow {
    pub(super) id: String,
}

impl OutboxStore for D1Store {
    async fn notice(&self, id: &str) -> Result<Option<NoticeRecord>> {
        let row: Option<NoticeRow> = self
            .row("SELECT * FROM notices WHERE id = ?1", &[text(id)])
            .await?;
        row.map(NoticeRow::into_record).transpose()
    }

    async fn make_deliveries(
        &self,
        notice: &NoticeRecord,
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>> {
        let mut statements = Vec::with_capacity(deliveries.len() + 1);
        for delivery in deliveries {
            statements.push(self.statement(
                "INSERT OR IGNORE INTO deliveries (id, notice_id, shop_id, tracking_number, \
                 channel, recipient, recipient_masked, state, created_at, lang) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9)",
                &[
                    text(&delivery.id),
                    text(&notice.id),
                    text(&notice.shop_id),
                    text(&notice.tracking_number),
                    wire(&delivery.channel),
                    text(&delivery.recipient),
                    text(&delivery.recipient_masked),
                    instant(notice.created_at),
                    maybe_wire(delivery.lang.as_ref()),
                ],
            )?);
        }
        statements.push(self.statement(
            "UPDATE notices SET fanned_out_at = ?2 WHERE id = ?1 AND fanned_out_at IS NULL",
            &[text(&notice.id), instant(now)],
        )?);
        self.db.batch(statements).await.map_err(internal)?;
        let pending: Vec<IdRow> = self
            .rows(
                "SELECT id FROM deliveries WHERE notice_id = ?1 AND state = 'pending' ORDER BY id",
                &[text(&notice.id)],
            )
            .await?;
        Ok(pending.into_iter().map(|row| row.id).collect())
    }

    async fn claim_delivery(
        &self,
        id: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<DeliveryRecord>> {
        let claimed = self
            .statement(
                "UPDATE deliveries SET claimed_until = ?3, attempts = attempts + 1 \
                 WHERE id = ?1 AND state = 'pending' \
                 AND (claimed_until IS NULL OR claimed_until < ?2)",
                &[text(id), instant(now), instant(until)],
            )?
            .run()
            .await
            .map_err(internal)?;
        if !changed_a_row(&claimed)? {
            return Ok(None);
        }
        self.delivery_by_id(id).await
    }

    async fn finish_delivery(
        &self,
        id: &str,
        finished: &Finished,
        now: DateTime<Utc>,
    ) -> Result<()> {
        // Held until just before its retry is due, so only that retry (or, much later, the
        // sweep) attempts it.
        let until =
            |not_before: &DateTime<Utc>| instant(*not_before - chrono::TimeDelta::seconds(1));
        let (state, error, sent_at, held_until, not_attempted) = match finished {
            Finished::Sent => ("sent", JsValue::NULL, instant(now), JsValue::NULL, 0),
            Finished::Retry { error, not_before } => {
                ("pending", text(error), JsValue::NULL, until(not_before), 0)
            }
            Finished::Held { not_before } => (
                "pending",
                JsValue::NULL,
                JsValue::NULL,
                until(not_before),
                1,
            ),
            Finished::Failed { error } => ("failed", text(error), JsValue::NULL, JsValue::NULL, 0),
            Finished::Suppressed => ("suppressed", JsValue::NULL, JsValue::NULL, JsValue::NULL, 0),
            Finished::Dead => ("dead", JsValue::NULL, JsValue::NULL, JsValue::NULL, 0),
        };
        // A message ends once: only a pending one changes (a late duplicate finds it ended).
        self.statement(
            "UPDATE deliveries SET state = ?2, last_error = COALESCE(?3, last_error), \
             sent_at = ?4, claimed_until = ?5, attempts = attempts - ?6 \
             WHERE id = ?1 AND state = 'pending'",
            &[
                text(id),
                text(state),
                error,
                sent_at,
                held_until,
                JsValue::from_f64(not_attempted.into()),
            ],
        )?
        .run()
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn notice_delays(
        &self,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>> {
        self.delay_notices(now, since, limit).await
    }

    async fn stale_deliveries(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>> {
        let rows: Vec<IdRow> = self
            .rows(
                "SELECT id FROM deliveries INDEXED BY deliveries_pending \
                 WHERE state = 'pending' AND created_at < ?1 \
                 AND (claimed_until IS NULL OR claimed_until < ?2) ORDER BY created_at LIMIT ?3",
                &[instant(before), instant(now), JsValue::from(limit as u32)],
            )
            .await?;
        Ok(rows.into_iter().map(|row| row.id).collect())
    }

    async fn unsent_notices(&self, before: DateTime<Utc>, limit: usize) -> Result<Vec<String>> {
        let rows: Vec<IdRow> = self
            .rows(
                "SELECT id FROM notices INDEXED BY notices_unsent \
                 WHERE fanned_out_at IS NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2",
                &[instant(before), JsValue::from(limit as u32)],
            )
            .await?;
        Ok(rows.into_iter().map(|row| row.id).collect())
    }
}
