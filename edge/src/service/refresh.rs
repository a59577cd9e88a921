//! The cron refresh: asks carriers about active shipments in bounded batches, a few per carrier
//! per run and one call at a time (carriers' rate limits are per account), and stores new events
//! through the same idempotent path as pushed ones. A carrier that fails or asks us to wait is
//! skipped for the rest of the run.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::answers::Answers;
use super::carrier_sync::{CarrierSaid, mark_checked, store_answer};
use super::live::{Cache, CarrierHttp, LiveCarriers, Registering};
use super::store::Store;
use crate::carriers::{LiveCarrier, Lookup};
use crate::error::Result;

/// How much one run may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshLimits {
    /// Shipments looked at per run.
    pub batch: usize,
    /// Carrier calls per carrier per run.
    pub per_carrier: usize,
    /// Shipments checked more recently than this are left alone.
    pub min_age_secs: u32,
}

impl Default for RefreshLimits {
    fn default() -> Self {
        RefreshLimits {
            batch: 100,
            per_carrier: 25,
            min_age_secs: 30 * 60,
        }
    }
}

/// What a run did, for the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RefreshReport {
    /// Shipments the carrier answered for.
    pub refreshed: usize,
    /// New events stored.
    pub new_events: usize,
    /// Shipments whose carrier failed.
    pub failed: usize,
    /// Shipments left for a later run (carrier budget spent, or carrier paused).
    pub deferred: usize,
}

/// One refresh run at `now`.
pub async fn run(
    store: &impl Store,
    live: &LiveCarriers<'_, impl CarrierHttp, impl Cache>,
    answers: &Answers<'_, impl Cache>,
    limits: RefreshLimits,
    now: DateTime<Utc>,
) -> Result<RefreshReport> {
    let carriers: Vec<_> = live
        .configured()
        .into_iter()
        .flat_map(LiveCarrier::carriers)
        .collect();
    let mut report = RefreshReport::default();
    if carriers.is_empty() {
        return Ok(report);
    }
    let checked_by = now - TimeDelta::seconds(limits.min_age_secs.into());
    let due = store
        .due_for_refresh(&carriers, checked_by, limits.batch)
        .await?;
    let mut calls: HashMap<LiveCarrier, usize> = HashMap::new();
    for (shipment, shop) in due {
        let Some(shared_carrier) = shipment.carrier else {
            continue;
        };
        let carrier = LiveCarrier::of(shared_carrier);
        let spent = calls.entry(carrier).or_default();
        if *spent >= limits.per_carrier || live.state.paused_until(carrier, now).is_some() {
            report.deferred += 1;
            continue;
        }
        *spent += 1;
        let number = shipment.tracking_number.clone();
        match live
            .refresh(carrier, number.as_str(), Registering::Allowed, now)
            .await
        {
            Ok(fetched) => {
                report.refreshed += 1;
                match &fetched.lookup {
                    Lookup::Found(answer) => {
                        let history = store.shipment_history(&shop.id, &number).await?;
                        let before = history.as_ref().map_or(0, |h| h.events.len());
                        let said = CarrierSaid {
                            carrier: shared_carrier,
                            answer,
                            fetched_at: fetched.fetched_at,
                        };
                        let after =
                            store_answer(store, answers, &shop, &number, said, history, now)
                                .await?;
                        report.new_events += after.events.len() - before;
                    }
                    Lookup::NotFound | Lookup::Pending | Lookup::Unregistered => {
                        mark_checked(store, &shop, &shipment, now).await?;
                    }
                }
            }
            Err(_) => report.failed += 1,
        }
    }
    Ok(report)
}
