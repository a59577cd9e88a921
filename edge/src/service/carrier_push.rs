//! The aggregator's push (17TRACK's webhook): news about a number, signed with the account's key.
//! What it says is kept as the aggregator's answer (look-ups serve it without a call) and stored,
//! through the same idempotent merge as every other event, for each shop that tracks the number
//! with the aggregator's carrier enabled. A push names no shop: the account is the deployment's.

use chrono::{DateTime, Utc};
use waypost_shared::wire::{WebhookAck, WebhookOutcome};

use super::answers::Answers;
use super::carrier_lookup::Fetched;
use super::carrier_sync::{CarrierSaid, store_answer};
use super::live::{Cache, CarrierHttp, LiveCarriers};
use super::store::Store;
use super::tracking_number::TrackingNumber;
use crate::carriers::seventeen_track::{Push, push_signature_ok, read_push};
use crate::carriers::{LiveCarrier, Lookup};
use crate::error::{EdgeError, Result};

/// Verifies a push (`sign` header over the raw body, with the aggregator's key) before reading
/// it, then applies it at `now`. Unsigned, forged or for a deployment without the aggregator:
/// 401, nothing changed. Unreadable once verified: 400.
pub async fn receive(
    store: &impl Store,
    live: &LiveCarriers<'_, impl CarrierHttp, impl Cache>,
    answers: &Answers<'_, impl Cache>,
    body: &[u8],
    sign: Option<&str>,
    now: DateTime<Utc>,
) -> Result<WebhookAck> {
    let api = LiveCarrier::SeventeenTrack;
    let account = live.config.account(api).ok_or(EdgeError::Unauthorized)?;
    let body = std::str::from_utf8(body).map_err(|_| EdgeError::Unauthorized)?;
    if !sign.is_some_and(|sign| push_signature_ok(body, sign, &account.client_id)) {
        return Err(EdgeError::Unauthorized);
    }
    let push = read_push(body).map_err(|bad| {
        EdgeError::bad_request("invalid_payload", format!("unreadable push: {}", bad.0))
    })?;
    let Push::Updated { number, lookup } = push else {
        return Ok(ack(WebhookOutcome::Ignored, 0));
    };
    let number = TrackingNumber::normalize(&number)?;
    let fetched = Fetched {
        lookup,
        fetched_at: now,
    };
    live.keep(api, number.as_str(), &fetched).await;
    let Lookup::Found(answer) = &fetched.lookup else {
        return Ok(ack(WebhookOutcome::Applied, 0));
    };
    let mut stored = 0;
    for shop in store.shops_tracking(&number).await? {
        let Some(history) = store.shipment_history(&shop.id, &number).await? else {
            continue;
        };
        let Some(carrier) = history.shipment.carrier.filter(|carrier| {
            LiveCarrier::of(*carrier) == api && shop.live_carriers.contains(carrier)
        }) else {
            continue;
        };
        let said = CarrierSaid {
            carrier,
            answer,
            fetched_at: now,
        };
        store_answer(store, answers, &shop, &number, said, Some(history), now).await?;
        stored += 1;
    }
    Ok(ack(WebhookOutcome::Applied, stored))
}

fn ack(outcome: WebhookOutcome, parcels: u32) -> WebhookAck {
    WebhookAck {
        outcome,
        parcels,
        removed: 0,
    }
}
