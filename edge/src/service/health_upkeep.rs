//! The Cron Trigger's upkeep of the health schedules stored with each shipment: schedules stored
//! under older rules are re-derived, and stalls overtaken by lateness leave the stalled index.
//! Both read by index what they change, a batch at a time.

use chrono::{DateTime, Utc};

use super::store::Store;
use crate::error::Result;
use crate::limits::{SCHEDULE_BATCH, SCHEDULE_PASS_ROWS};

/// What one upkeep pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpkeepReport {
    /// Schedules re-derived under the current rules.
    pub rederived: usize,
    /// Stalls cleared because the shipment turned late.
    pub cleared: usize,
}

/// One pass, at most [`SCHEDULE_PASS_ROWS`] rows of each kind.
pub async fn run(store: &impl Store, now: DateTime<Utc>) -> Result<UpkeepReport> {
    let mut report = UpkeepReport::default();
    while report.rederived < SCHEDULE_PASS_ROWS {
        let done = store.rederive_schedules(SCHEDULE_BATCH).await?;
        report.rederived += done;
        if done < SCHEDULE_BATCH {
            break;
        }
    }
    while report.cleared < SCHEDULE_PASS_ROWS {
        let done = store.clear_overtaken_stalls(now, SCHEDULE_BATCH).await?;
        report.cleared += done;
        if done < SCHEDULE_BATCH {
            break;
        }
    }
    Ok(report)
}
