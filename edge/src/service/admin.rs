//! Creating shops and their keys (behind the admin token).

use chrono::{DateTime, Utc};
use waypost_shared::wire::{KeyCreated, KeyKind, ShopCreated, ShopInput};

use super::answers::Answers;
use super::auth::{new_key, random_hex};
use super::live::Cache;
use super::store::{Runtime, ShopRecord, Store};
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{
    DEFAULT_HISTORY_DAYS, DEFAULT_RETENTION_DAYS, MAX_FIELD_CHARS, MAX_HISTORY_DAYS,
    MAX_RETENTION_DAYS,
};

/// `POST /v1/admin/shops`: a shop with one publishable and one secret key.
pub async fn create_shop(
    store: &impl Store,
    runtime: &impl Runtime,
    input: ShopInput,
    now: DateTime<Utc>,
) -> Result<ShopCreated> {
    let name = validate::required_text("name", &input.name, MAX_FIELD_CHARS)?;
    let allowed_origins = validate::allowed_origins(&input.allowed_origins)?;
    let range = validate::transit_days(input.transit_days)?;
    let retention_days = input.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS);
    if !(1..=MAX_RETENTION_DAYS).contains(&retention_days) {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("retention_days must be 1 to {MAX_RETENTION_DAYS}"),
        ));
    }
    let history_days = input.history_days.unwrap_or(DEFAULT_HISTORY_DAYS);
    if !(1..=MAX_HISTORY_DAYS).contains(&history_days) {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("history_days must be 1 to {MAX_HISTORY_DAYS}"),
        ));
    }
    let live_carriers = validate::live_carriers(input.live_carriers);
    let shop = ShopRecord {
        id: format!("shop_{}", random_hex(runtime, 8)?),
        name,
        allowed_origins,
        transit_min_days: range.min_days,
        transit_max_days: range.max_days,
        created_at: now,
        live_carriers,
        retention_days,
        history_days,
    };
    let publishable = new_key(runtime, &shop.id, KeyKind::Publishable)?;
    let secret = new_key(runtime, &shop.id, KeyKind::Secret)?;
    store.insert_shop(&shop).await?;
    store.insert_key(&publishable.record).await?;
    store.insert_key(&secret.record).await?;
    Ok(ShopCreated {
        shop_id: shop.id,
        publishable_key: publishable.key,
        secret_key: secret.key,
    })
}

/// `POST /v1/admin/shops/{shop_id}/keys`: another key for a shop.
pub async fn create_key(
    store: &impl Store,
    runtime: &impl Runtime,
    shop_id: &str,
    kind: KeyKind,
) -> Result<KeyCreated> {
    let shop = store
        .shop(shop_id)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "shop_not_found",
            detail: format!("no shop {shop_id:?}"),
            detection: None,
        })?;
    let key = new_key(runtime, &shop.id, kind)?;
    store.insert_key(&key.record).await?;
    Ok(KeyCreated {
        key_id: key.record.key_id,
        kind,
        key: key.key,
    })
}

/// `DELETE /v1/admin/shops/{shop_id}/keys/{key_id}`: revokes a key at once (a publishable key
/// also leaves the answer cache here; other data centres drop it within its time-to-live).
pub async fn revoke_key(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop_id: &str,
    key_id: &str,
) -> Result<()> {
    if store.revoke_key(shop_id, key_id).await? {
        answers.forget_key(key_id).await;
        Ok(())
    } else {
        Err(EdgeError::NotFound {
            code: "key_not_found",
            detail: format!("no key {key_id:?} for shop {shop_id:?}"),
            detection: None,
        })
    }
}
