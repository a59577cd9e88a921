//! [`NotificationSettingsStore`] on D1: a shop's notification settings (one JSON row, written
//! whole), its webhook endpoints, and the record of its messages read newest first by index.
//!
//! Every statement was checked with `EXPLAIN QUERY PLAN` on the migrations: the settings by their
//! primary key, the endpoints by `webhook_endpoints_by_shop` (the count of the conditional insert
//! from the covering index), a delete by the endpoint's primary key, and the messages by
//! `deliveries_by_shop` or, for one shipment, `deliveries_by_shipment`, each notice joined by its
//! primary key, never a temporary sort.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use waypost_shared::wire::NotificationSettings;
use worker::wasm_bindgen::JsValue;

use super::d1_store::outbox::{DELIVERY_COLUMNS, DeliveryRow};
use super::d1_store::{D1Store, changed_a_row, instant, internal, read_instant, text};
use crate::error::Result;
use crate::service::notification_store::{
    DeliveryQuery, DeliveryRecord, EndpointRecord, NotificationSettingsStore,
};

/// A `notification_settings` row's settings.
#[derive(Deserialize)]
struct SettingsRow {
    settings: String,
}

/// A `webhook_endpoints` row.
#[derive(Deserialize)]
struct EndpointRow {
    id: String,
    shop_id: String,
    url: String,
    secret: String,
    created_at: String,
}

impl EndpointRow {
    fn into_record(self) -> Result<EndpointRecord> {
        Ok(EndpointRecord {
            id: self.id,
            shop_id: self.shop_id,
            url: self.url,
            sealed_secret: self.secret,
            created_at: read_instant(&self.created_at)?,
        })
    }
}

impl NotificationSettingsStore for D1Store {
    async fn notification_settings(&self, shop_id: &str) -> Result<NotificationSettings> {
        let rows: Vec<SettingsRow> = self
            .rows(
                "SELECT settings FROM notification_settings WHERE shop_id = ?1",
                &[text(shop_id)],
            )
            .await?;
        match rows.into_iter().next() {
            Some(row) => serde_json::from_str(&row.settings).map_err(internal),
            None => Ok(NotificationSettings::default()),
        }
    }

    async fn put_notification_settings(
        &self,
        shop_id: &str,
        settings: &NotificationSettings,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let json = serde_json::to_string(settings).map_err(internal)?;
        self.statement(
            "INSERT INTO notification_settings (shop_id, settings, updated_at) \
             VALUES (?1, ?2, ?3) ON CONFLICT (shop_id) DO UPDATE \
             SET settings = excluded.settings, updated_at = excluded.updated_at",
            &[text(shop_id), text(&json), instant(now)],
        )?
        .run()
        .await
        .map_err(internal)?;
        Ok(())
    }

    async fn webhook_endpoints(&self, shop_id: &str) -> Result<Vec<EndpointRecord>> {
        // `rowid` (in every index) orders endpoints made in the same second as they were made.
        let rows: Vec<EndpointRow> = self
            .rows(
                "SELECT id, shop_id, url, secret, created_at FROM webhook_endpoints \
                 WHERE shop_id = ?1 ORDER BY created_at, rowid",
                &[text(shop_id)],
            )
            .await?;
        rows.into_iter().map(EndpointRow::into_record).collect()
    }

    async fn add_webhook_endpoint(&self, endpoint: &EndpointRecord, max: usize) -> Result<bool> {
        let result = self
            .statement(
                "INSERT INTO webhook_endpoints (id, shop_id, url, secret, created_at) \
                 SELECT ?1, ?2, ?3, ?4, ?5 \
                 WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE shop_id = ?2) < ?6",
                &[
                    text(&endpoint.id),
                    text(&endpoint.shop_id),
                    text(&endpoint.url),
                    text(&endpoint.sealed_secret),
                    instant(endpoint.created_at),
                    JsValue::from(u32::try_from(max).unwrap_or(u32::MAX)),
                ],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    async fn delete_webhook_endpoint(&self, shop_id: &str, id: &str) -> Result<bool> {
        let result = self
            .statement(
                "DELETE FROM webhook_endpoints WHERE shop_id = ?1 AND id = ?2",
                &[text(shop_id), text(id)],
            )?
            .run()
            .await
            .map_err(internal)?;
        changed_a_row(&result)
    }

    /// Read by `deliveries_by_shipment` when the query names a shipment, else by
    /// `deliveries_by_shop`, both in index order from the cursor on; the state is a residual
    /// condition checked on each row the index yields, so a page of a rare state may read many
    /// rows of the shop's (or shipment's) others to fill.
    async fn deliveries(
        &self,
        shop_id: &str,
        query: &DeliveryQuery,
    ) -> Result<Vec<DeliveryRecord>> {
        let mut values = vec![text(shop_id)];
        // One shipment's few messages by their index (the state checked on each); else one
        // state's by theirs; else all, newest first.
        let index = match (&query.shipment, query.state) {
            (Some(_), _) => "deliveries_by_shipment",
            (None, Some(_)) => "deliveries_by_state",
            (None, None) => "deliveries_by_shop",
        };
        let mut sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries d INDEXED BY {index} \
             JOIN notices n ON n.id = d.notice_id WHERE d.shop_id = ?1"
        );
        if let Some(shipment) = &query.shipment {
            values.push(text(shipment));
            sql.push_str(&format!(" AND d.tracking_number = ?{}", values.len()));
        }
        if let Some(state) = query.state {
            values.push(text(state.as_str()));
            sql.push_str(&format!(" AND d.state = ?{}", values.len()));
        }
        if let Some((created_at, id)) = &query.after {
            values.push(instant(*created_at));
            values.push(text(id));
            sql.push_str(&format!(
                " AND (d.created_at, d.id) < (?{}, ?{})",
                values.len() - 1,
                values.len()
            ));
        }
        values.push(JsValue::from(
            u32::try_from(query.limit).unwrap_or(u32::MAX),
        ));
        sql.push_str(&format!(
            " ORDER BY d.created_at DESC, d.id DESC LIMIT ?{}",
            values.len()
        ));
        let rows: Vec<DeliveryRow> = self.rows(&sql, &values).await?;
        rows.into_iter().map(DeliveryRow::into_record).collect()
    }
}
