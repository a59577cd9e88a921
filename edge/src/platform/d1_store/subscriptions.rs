//! [`SubscriptionStore`] on D1: widget opt-ins (written with the notice of their confirmation, in
//! one transaction) and unsubscribes.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;

use super::{
    D1Store, changed_a_row, instant, internal, maybe_read_instant, next_revision, read_instant,
    text, unwire, wire,
};
use crate::error::Result;
use crate::service::notification_store::{DeliveryRecord, SubscriptionRecord, SubscriptionStore};
use waypost_shared::wire::Trigger;

/// A `subscriptions` row.
#[derive(Deserialize)]
struct SubscriptionRow {
    id: String,
    shop_id: String,
    tracking_number: String,
    email: String,
    lang: String,
    confirmed_at: Option<String>,
    created_at: String,
}

impl SubscriptionRow {
    fn into_record(self) -> Result<SubscriptionRecord> {
        Ok(SubscriptionRecord {
            id: self.id,
            shop_id: self.shop_id,
            tracking_number: self.tracking_number,
            email: self.email,
            lang: unwire(&self.lang)?,
            confirmed_at: maybe_read_instant(self.confirmed_at)?,
            created_at: read_instant(&self.created_at)?,
        })
    }
}

#[derive(Deserialize)]
struct Found {
    found: u32,
}

impl SubscriptionStore for D1Store {
    async fn subscribe(&self, subscription: &SubscriptionRecord) -> Result<bool> {
        let row = self.statement(
            "INSERT OR IGNORE INTO subscriptions \
             (id, shop_id, tracking_number, email, lang, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                text(&subscription.id),
                text(&subscription.shop_id),
                text(&subscription.tracking_number),
                text(&subscription.email),
                wire(&subscription.lang),
                instant(subscription.created_at),
            ],
        )?;
        let notice_id = format!("ntc_{}", next_revision()?);
        // Only for a subscription this write made: an address already subscribed gets nothing.
        let notice = self.statement(
            "INSERT OR IGNORE INTO notices \
             (id, shop_id, tracking_number, order_number, trigger, episode, created_at) \
             SELECT ?1, ?2, ?3, NULL, ?4, ?5, ?6 WHERE EXISTS \
             (SELECT 1 FROM subscriptions WHERE id = ?5)",
            &[
                text(&notice_id),
                text(&subscription.shop_id),
                text(&subscription.tracking_number),
                wire(&Trigger::SubscriptionConfirmation),
                text(&subscription.id),
                instant(subscription.created_at),
            ],
        )?;
        self.write_noticed(vec![row], vec![(notice_id, notice)])
            .await
    }

    async fn subscription(&self, id: &str) -> Result<Option<SubscriptionRecord>> {
        let row: Option<SubscriptionRow> = self
            .row("SELECT * FROM subscriptions WHERE id = ?1", &[text(id)])
            .await?;
        row.map(SubscriptionRow::into_record).transpose()
    }

    async fn confirm_subscription(&self, id: &str, now: DateTime<Utc>) -> Result<bool> {
        let result = self
            .statement(
                "UPDATE subscriptions SET confirmed_at = COALESCE(confirmed_at, ?2) WHERE id = ?1",
                &[text(id), instant(now)],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn subscribers(
        &self,
        shop_id: &str,
        tracking_number: &str,
    ) -> Result<Vec<SubscriptionRecord>> {
        let rows: Vec<SubscriptionRow> = self
            .rows(
                "SELECT * FROM subscriptions WHERE shop_id = ?1 AND tracking_number = ?2 \
                 AND confirmed_at IS NOT NULL ORDER BY email",
                &[text(shop_id), text(tracking_number)],
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| row.into_record().ok())
            .collect())
    }

    async fn delivery(&self, id: &str) -> Result<Option<DeliveryRecord>> {
        self.delivery_by_id(id).await
    }

    async fn unsubscribe(
        &self,
        shop_id: &str,
        scope: &str,
        recipient: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.statement(
            "INSERT OR IGNORE INTO unsubscribes (shop_id, scope, recipient, created_at) \
             VALUES (?1, ?2, ?3, ?4)",
            &[text(shop_id), text(scope), text(recipient), instant(now)],
        )?
        .run()
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn unsubscribed(
        &self,
        shop_id: &str,
        scopes: &[String],
        recipient: &str,
    ) -> Result<bool> {
        let scopes = serde_json::to_string(scopes).map_err(internal)?;
        let found: Option<Found> = self
            .row(
                "SELECT COUNT(*) AS found FROM unsubscribes WHERE shop_id = ?1 AND recipient = ?3 \
                 AND scope IN (SELECT value FROM json_each(?2))",
                &[text(shop_id), text(&scopes), JsValue::from_str(recipient)],
            )
            .await?;
        Ok(found.is_some_and(|found| found.found > 0))
    }
}
