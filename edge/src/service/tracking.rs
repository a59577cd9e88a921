//! `GET /v1/track/{number}`: the public tracking view, asked live of the carrier when the shop
//! enabled it.

use chrono::{DateTime, Utc};
use waypost_shared::labels::Lang;
use waypost_shared::status::SubStatus;
use waypost_shared::wire::TrackingView;

use super::answers::{ANSWER_TTL_SECS, Answer, AnswerPlace, Answers};
use super::carrier_lookup::Fetched;
use super::carrier_sync::{CarrierSaid, answered, holds_answer, store_answer, unstored};
use super::live::{Cache, CarrierHttp, LiveCarriers, Registering, fresh_secs};
use super::projection::shipment_view;
use super::store::{Runtime, ShipmentHistory, ShopRecord, Store};
use super::tracking_number::TrackingNumber;
use crate::carriers::{LiveCarrier, Lookup};
use crate::error::{EdgeError, Result};

/// A tracking view, and how long it may be served as it is.
#[derive(Debug)]
pub struct Tracked {
    pub view: TrackingView,
    /// Seconds the built answer may be kept: [`ANSWER_TTL_SECS`], or less when it comes from a
    /// carrier answer that leaves the carrier cache sooner; `None` for a stale view (the carrier
    /// could not be asked), which the next look-up tries again.
    pub keep_secs: Option<u32>,
}

/// The public look-up as the API serves it: the answer kept for this shop, number, language and
/// version of the shipment when there is one (no D1 read, no rebuild), else built by [`track`]
/// and kept. See [`super::answers`] for why a write is visible in the very next look-up.
#[allow(
    clippy::too_many_arguments,
    reason = "the look-up's parts: storage, carriers, cache, clock"
)]
pub async fn answer(
    store: &impl Store,
    live: &LiveCarriers<'_, impl CarrierHttp, impl Cache>,
    answers: &Answers<'_, impl Cache>,
    runtime: &impl Runtime,
    shop: &ShopRecord,
    number: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Answer> {
    let parsed = TrackingNumber::normalize(number)?;
    let version = answers.version(runtime, &shop.id, &parsed).await?;
    let place = AnswerPlace {
        shop_id: &shop.id,
        number: &parsed,
        version: &version,
        lang,
    };
    if let Some(answer) = answers.answer(&place).await {
        return Ok(answer);
    }
    let tracked = track(store, live, answers, shop, number, lang, now).await?;
    let answer = Answer::of(&tracked.view)?;
    if let Some(keep_secs) = tracked.keep_secs {
        answers.keep(&place, &answer, keep_secs).await;
    }
    Ok(answer)
}

/// The shop's shipment, asked live of its carrier when the shop has that carrier enabled (cached;
/// new carrier events merged with pushed ones and stored). A last-mile carrier's number finds the
/// shipment it took over. Only a shipment the shop stored is registered with the aggregator (a
/// typed number is only asked about, and its answer shown, not stored). When the carrier cannot
/// be asked, the last known view is served marked `stale` with its age; a number the aggregator
/// has registered and not tracked yet shows as not yet scanned; with nothing known, the 404
/// carries what detection found.
pub async fn track(
    store: &impl Store,
    live: &LiveCarriers<'_, impl CarrierHttp, impl Cache>,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    number: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Tracked> {
    let (asked, detection) = TrackingNumber::parse(number)?;
    let (number, history, last_mile_number) = match store.shipment_history(&shop.id, &asked).await?
    {
        Some(history) => (asked, Some(history), false),
        None => match store.handed_over_as(&shop.id, &asked).await? {
            Some(taken_over) => {
                let history = store.shipment_history(&shop.id, &taken_over).await?;
                (taken_over, history, true)
            }
            None => (asked, None, false),
        },
    };
    let carrier = history
        .as_ref()
        .and_then(|h| h.shipment.carrier)
        .or(detection.candidates.first().map(|c| c.carrier))
        .filter(|carrier| shop.live_carriers.contains(carrier))
        .map(|carrier| (carrier, LiveCarrier::of(carrier)))
        .filter(|(_, api)| live.serves(*api));
    // Only a shipment the shop stored is registered with the aggregator, or stored from its
    // answer: a typed number is anyone's guess, and registrations cost quota.
    let registering = match history {
        Some(_) => Registering::Allowed,
        None => Registering::Refused,
    };
    let (history, keep_secs) = match carrier {
        None => (history, Some(ANSWER_TTL_SECS)),
        Some((carrier, api)) => match live.lookup(api, number.as_str(), registering, now).await {
            Ok(fetched) => {
                let keep_secs = Some(fresh_secs(&fetched, now));
                match fetched {
                    Fetched {
                        lookup: Lookup::Found(answer),
                        fetched_at,
                    } if history.is_none() && api == LiveCarrier::SeventeenTrack => {
                        let said = CarrierSaid {
                            carrier,
                            answer: &answer,
                            fetched_at,
                        };
                        let unstored = unstored(shop, &number, carrier, now);
                        (
                            Some(answered(unstored, said, now).merged.history),
                            keep_secs,
                        )
                    }
                    Fetched {
                        lookup: Lookup::Found(answer),
                        fetched_at,
                    } if !history
                        .as_ref()
                        .is_some_and(|h| holds_answer(h, fetched_at)) =>
                    {
                        let said = CarrierSaid {
                            carrier,
                            answer: &answer,
                            fetched_at,
                        };
                        let stored =
                            store_answer(store, answers, shop, &number, said, history, now).await?;
                        (Some(stored), keep_secs)
                    }
                    Fetched {
                        lookup: Lookup::Pending,
                        ..
                    } if history.as_ref().is_none_or(|h| h.events.is_empty()) => {
                        let history =
                            history.unwrap_or_else(|| unstored(shop, &number, carrier, now));
                        (Some(not_yet_scanned(history)), keep_secs)
                    }
                    _ => (history, keep_secs),
                }
            }
            Err(_) => (history, None),
        },
    };
    // Answers are kept by the number asked, and a write of the shipment forgets only those kept
    // under its own number: an answer found through a last-mile number is not kept.
    let keep_secs = keep_secs.map(|secs| if last_mile_number { 0 } else { secs });
    let Some(history) = history else {
        return Err(EdgeError::NotFound {
            code: "tracking_not_found",
            detail:
                "No shipment with this tracking number yet; the carrier's own page may know more."
                    .into(),
            detection: Some(Box::new(detection)),
        });
    };
    let ShipmentHistory {
        shipment,
        order,
        events,
    } = history;
    let mut view = shipment_view(shop, &shipment, events, order.as_ref(), lang, now);
    if keep_secs.is_none() {
        let known_at = shipment.carrier_checked_at.unwrap_or(shipment.updated_at);
        view.stale = true;
        view.age_seconds = Some(u64::try_from((now - known_at).num_seconds()).unwrap_or(0));
    }
    Ok(Tracked { view, keep_secs })
}

/// What a shipment without events shows while the aggregator has it registered and nothing
/// tracked yet: not yet scanned, with its carrier and the carrier's page. Only shown, never
/// stored: the shop's own status of the shipment stays as it is.
fn not_yet_scanned(mut history: ShipmentHistory) -> ShipmentHistory {
    history.shipment.status = SubStatus::NotYetScanned.status();
    history.shipment.sub_status = Some(SubStatus::NotYetScanned);
    history
}
