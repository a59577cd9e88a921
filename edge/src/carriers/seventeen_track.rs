//! 17TRACK Tracking API v2.2: the aggregator asked about the carriers Waypost has no adapter of
//! its own for (YunExpress, Cainiao, 4PX, Yanwen, China Post, ...). A number is registered once
//! (`POST {base}/register`), then read (`POST {base}/gettrackinfo`) or pushed to the webhook.
//! Both calls send the key in the `17token` header and a JSON array body `[{"number": "…"}]`.
//!
//! Every answer is the envelope `{"code": 0, "data": {"accepted": [...], "rejected": [...]}}`:
//! `code` other than 0 refuses the whole request; a number is either accepted or rejected with
//! `{"error": {"code", "message"}}`. The rejection codes read here:
//! - `-18019901` already registered: registering again is a success;
//! - `-18019902` not registered yet: [`Lookup::Unregistered`] (register, then ask again);
//! - `-18019909` no tracking information at the moment: [`Lookup::Pending`];
//! - `-18010011`, `-18010012` (the number's value or format is invalid) and `-18019903` (no
//!   carrier recognises it): the number is refused ([`Registration::Invalid`], [`Lookup::NotFound`]);
//! - `-18019907` (daily limit) and `-18019908` (quota used up): [`Registration::QuotaExceeded`];
//!   reading then is an error;
//! - any other code is an error ([`BadAnswer`]).
//!
//! What is read from an accepted number's `track_info`:
//! - `tracking.providers[]`: each provider (`provider.name`, else `provider.alias`, read with
//!   [`Carrier::from_name`]) and its `events[]`, newest first. All providers' events become one
//!   list, newest first by instant where known, each event naming the provider's carrier.
//! - An event's status is its `sub_status` through the shared [`SEVENTEEN_TRACK`] taxonomy; a
//!   sub-status the taxonomy does not know is read as its main status (the part before `_`), and
//!   a missing one from the event's `stage` (the milestone: `PickedUp`, `Departure`, `Arrival`,
//!   `Returning` and `Returned` read as the sub-statuses of those names). An event none of them
//!   classifies keeps the status of the event before it in time. The raw code kept is the
//!   `sub_status` (else the `stage`).
//! - An event's time is `time_iso` when it carries an offset, else `time_raw` (`date`, `time`,
//!   and its `timezone` when given), else `time_iso` as local time without an offset, else
//!   `time_utc`; an event without any is skipped. No offset is ever invented.
//! - Its place is `address` `city`, `state` and `country`; only when the address is empty, the
//!   free-text `location` as the city (parts holding a digit, such as postal codes, dropped).
//!   `street` and `postal_code` are never read.
//! - The hand-over to a last-mile carrier: the last-mile provider is the one `misc_info` names
//!   (`local_key`, else `local_provider`), else, among two or more providers, the one whose events
//!   start last. With an origin provider before it, the answer's `last_mile` names its carrier
//!   and `misc_info.local_number` when that is a new number (the hand-over's own event is derived
//!   from the stored shipment when it is shown, so it is one however often answers arrive). A
//!   last-mile carrier `misc_info` names without events of its own is kept in `last_mile` too.
//! - The ETA is `time_metrics.estimated_delivery_date` `from` and `to`, as local dates.
//! - Nothing tracked yet: [`Lookup::Pending`], or [`Lookup::NotFound`] when the latest sub-status
//!   says the number is invalid (`NotFound_InvalidCode`).
//!
//! The webhook pushes `{"event": "TRACKING_UPDATED" | "TRACKING_STOPPED", "data": {"number",
//! "carrier", "track_info"}}` (`track_info` as above, in updates only) and signs it in the `sign`
//! header: the lower-case hex SHA-256 of the raw body, `/`, and the security key (the API key)
//! ([`push_signature_ok`]).
//!
//! Sources: the 17TRACK API v2.2 documentation, <https://api.17track.net/en/doc?version=v2.2>
//! (also at <https://asset.17track.net/api/document/v2.2_en/index.html>): quick guide, register,
//! gettrackinfo, and the webhook's "notification status & content"; its error-code table,
//! <https://help.17track.net/hc/en-us/articles/37570440168473-Error-Codes-and-Troubleshooting>;
//! the webhook set-up,
//! <https://help.17track.net/hc/en-us/articles/37470032453529-What-is-a-webhook-How-to-configure-it>.
//! The signature and the v2.x `track_info` fields read here are also how independent clients of
//! the API read them (`godely/aio17track`: `SPEC.md` §9, `aio17track/webhook.py`). The fixtures
//! (`edge/fixtures/carriers/17track/`) follow the documented shapes with other numbers; their
//! provider keys are illustrative.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use waypost_shared::detect::Carrier;
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::interop::SEVENTEEN_TRACK;
use waypost_shared::status::{StatusDetail, SubStatus};
use waypost_shared::time::EventTime;
use waypost_shared::timeline::Timeline;

use super::draft::{Draft, finish};
use super::lenient::{lenient, lenient_list, text};
use super::times::{estimate, event_time, local_date, written_offset};
use super::{
    BadAnswer, CallMethod, CarrierAnswer, HttpCall, LastMile, Lookup, clean_text, place,
    same_number,
};

/// The number is registered already.
const ALREADY_REGISTERED: i64 = -18019901;
/// The number must be registered before it is read.
const NOT_REGISTERED: i64 = -18019902;
/// The number is registered and nothing is tracked for it yet.
const NO_TRACKING_INFO_YET: i64 = -18019909;
/// The daily limit and the quota are used up.
const QUOTA: [i64; 2] = [-18019907, -18019908];
/// The number itself is refused: its value or format is invalid, or no carrier recognises it.
const REFUSED_NUMBER: [i64; 3] = [-18010011, -18010012, -18019903];

/// Milestone stages that name a sub-status of their own, as the sub-status's code.
const STAGES: [(&str, &str); 5] = [
    ("PickedUp", "InTransit_PickedUp"),
    ("Departure", "InTransit_Departure"),
    ("Arrival", "InTransit_Arrival"),
    ("Returning", "Exception_Returning"),
    ("Returned", "Exception_Returned"),
];

/// POST {base}/register for one number.
pub fn register_call(base: &str, number: &str, key: &str) -> HttpCall {
    call(base, "register", number, key)
}

/// What registering said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// Accepted, or already registered.
    Registered,
    /// The upstream refuses this number.
    Invalid,
    /// The daily limit or the quota is used up.
    QuotaExceeded,
}

/// Reads the answer to [`register_call`] about `number`.
pub fn read_register(number: &str, status: u16, body: &str) -> Result<Registration, BadAnswer> {
    let reply = reply(status, body)?;
    if QUOTA.contains(&reply.code) {
        return Ok(Registration::QuotaExceeded);
    }
    let data = reply.data()?;
    if data.accepted.iter().any(|item| item.is(number)) {
        return Ok(Registration::Registered);
    }
    let rejected = data.rejected(number)?;
    match rejected.code()? {
        ALREADY_REGISTERED => Ok(Registration::Registered),
        code if QUOTA.contains(&code) => Ok(Registration::QuotaExceeded),
        code if REFUSED_NUMBER.contains(&code) => Ok(Registration::Invalid),
        _ => Err(rejected.refusal()),
    }
}

/// POST {base}/gettrackinfo for one number.
pub fn track_call(base: &str, number: &str, key: &str) -> HttpCall {
    call(base, "gettrackinfo", number, key)
}

/// Reads the answer to [`track_call`] about `number`: [`Lookup::Found`] with events,
/// [`Lookup::Pending`] when registered but nothing is tracked yet, [`Lookup::Unregistered`] when
/// the number must be registered first, [`Lookup::NotFound`] when the number is invalid; an error
/// for a used-up quota, an unexpected status or code, and anything unreadable.
pub fn read_track(number: &str, status: u16, body: &str) -> Result<Lookup, BadAnswer> {
    let data = reply(status, body)?.data()?;
    // A number registered with several carriers is listed once for each: the one with events.
    let mut lookups = data
        .accepted
        .iter()
        .filter(|item| item.is(number))
        .map(|item| item.lookup(number))
        .collect::<Result<Vec<_>, _>>()?;
    let found = lookups
        .iter()
        .position(|lookup| matches!(lookup, Lookup::Found(_)));
    if let Some(at) = found.or_else(|| (!lookups.is_empty()).then_some(0)) {
        return Ok(lookups.swap_remove(at));
    }
    let rejected = data.rejected(number)?;
    match rejected.code()? {
        NOT_REGISTERED => Ok(Lookup::Unregistered),
        NO_TRACKING_INFO_YET => Ok(Lookup::Pending),
        code if REFUSED_NUMBER.contains(&code) => Ok(Lookup::NotFound),
        _ => Err(rejected.refusal()),
    }
}

/// Whether an answer refuses to track for lack of quota (the daily limit or the plan's quota used
/// up, for the whole call or for the number): no fault of the upstream's, so not a reason to stop
/// asking it about other numbers.
pub fn refused_for_quota(body: &str) -> bool {
    let Ok(reply) = serde_json::from_str::<Reply>(body) else {
        return false;
    };
    QUOTA.contains(&reply.code)
        || reply.data().is_ok_and(|data| {
            data.rejected
                .iter()
                .any(|item| item.code().is_ok_and(|code| QUOTA.contains(&code)))
        })
}

/// Whether a push's `sign` header is right for `body`, the raw request body exactly as received,
/// under the security `key`: the hex SHA-256 of `<body>/<key>`, compared in constant time. An
/// empty key matches nothing.
pub fn push_signature_ok(body: &str, sign: &str, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let Ok(given) = hex::decode(sign.trim()) else {
        return false;
    };
    let expected = Sha256::new()
        .chain_update(body.as_bytes())
        .chain_update(b"/")
        .chain_update(key.as_bytes())
        .finalize();
    expected.as_slice().ct_eq(&given).into()
}

/// A push: the number it is about and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Push {
    /// `TRACKING_UPDATED`: read as [`read_track`] reads an accepted number (found, pending, or
    /// not found).
    Updated { number: String, lookup: Lookup },
    /// `TRACKING_STOPPED`: 17TRACK stopped tracking the number; nothing to apply.
    Stopped { number: String },
}

/// Reads a push's body (check [`push_signature_ok`] first).
pub fn read_push(body: &str) -> Result<Push, BadAnswer> {
    let push: PushBody = serde_json::from_str(body)?;
    let data = push
        .data
        .ok_or_else(|| BadAnswer("17TRACK push has no data".into()))?;
    let number = clean_text(data.number.as_deref())
        .ok_or_else(|| BadAnswer("17TRACK push names no number".into()))?;
    match push.event.as_deref() {
        Some("TRACKING_UPDATED") => {
            let lookup = data.lookup(&number)?;
            Ok(Push::Updated { number, lookup })
        }
        Some("TRACKING_STOPPED") => Ok(Push::Stopped { number }),
        other => Err(BadAnswer(format!(
            "17TRACK push of unknown event {other:?}"
        ))),
    }
}

/// The POST to `endpoint` about `number`.
fn call(base: &str, endpoint: &str, number: &str, key: &str) -> HttpCall {
    HttpCall {
        method: CallMethod::Post,
        url: format!("{}/{endpoint}", base.trim_end_matches('/')),
        headers: vec![
            ("17token", key.to_owned()),
            ("Content-Type", "application/json".into()),
        ],
        body: Some(serde_json::json!([{ "number": number }]).to_string()),
    }
}

/// The envelope of an HTTP 200 answer.
fn reply(status: u16, body: &str) -> Result<Reply, BadAnswer> {
    if status != 200 {
        return Err(BadAnswer(format!("17TRACK answered HTTP {status}")));
    }
    Ok(serde_json::from_str(body)?)
}

impl TrackInfo {
    /// What it says about `asked`: its events, else pending or (for an invalid number) not found.
    fn lookup(&self, asked: &str) -> Lookup {
        let answer = self.answer(asked);
        if !answer.events.is_empty() {
            return Lookup::Found(answer);
        }
        let sub_status = self
            .latest_status
            .as_ref()
            .and_then(|latest| latest.sub_status.as_deref());
        let invalid = sub_status
            .and_then(|code| SEVENTEEN_TRACK.import(code).ok())
            .is_some_and(|detail| detail.sub_status() == Some(SubStatus::UnknownNumber));
        if invalid {
            Lookup::NotFound
        } else {
            Lookup::Pending
        }
    }

    /// Every provider's events, newest first, with the hand-over and the ETA.
    fn answer(&self, asked: &str) -> CarrierAnswer {
        let legs: Vec<Leg> = self
            .tracking
            .iter()
            .flat_map(|tracking| &tracking.providers)
            .map(Leg::read)
            .collect();
        let misc = self.misc_info.as_ref();
        let last = last_mile_leg(&legs, misc);
        let origin = (0..legs.len()).find(|&i| Some(i) != last);
        let new_number = misc
            .and_then(|m| clean_text(m.local_number.as_deref()))
            .filter(|local| !same_number(local, asked));
        // Two listings of one carrier are no hand-over.
        let apart = |origin: usize, last: usize| {
            let (origin, last) = (legs[origin].carrier, legs[last].carrier);
            origin.is_none() || origin != last
        };
        let last_mile = match (origin, last) {
            (Some(origin), Some(last)) if apart(origin, last) => {
                legs[last].carrier.map(|carrier| LastMile {
                    carrier,
                    number: new_number.clone(),
                })
            }
            _ => named_last_mile(&legs, misc, new_number),
        };
        let order = (0..legs.len()).filter(|&i| Some(i) != last).chain(last);
        let mut drafts = Vec::new();
        let mut carriers = Vec::new();
        let mut legs: Vec<Option<Leg>> = legs.into_iter().map(Some).collect();
        for i in order {
            let Some(leg) = legs.get_mut(i).and_then(Option::take) else {
                continue;
            };
            carriers.extend(std::iter::repeat_n(leg.carrier, leg.drafts.len()));
            drafts.extend(leg.drafts.into_iter().rev());
        }
        let events: Vec<TrackingEvent> = finish(drafts)
            .into_iter()
            .zip(carriers)
            .map(|(event, carrier)| TrackingEvent { carrier, ..event })
            .collect();
        let eta = self
            .time_metrics
            .as_ref()
            .and_then(|metrics| metrics.estimated_delivery_date.as_ref());
        let (eta_from, eta_to) = estimate(
            eta.and_then(|e| local_date(e.from.as_deref())),
            eta.and_then(|e| local_date(e.to.as_deref())),
            || None,
        );
        CarrierAnswer {
            events: Timeline::new(events).events().to_vec(),
            eta_from,
            eta_to,
            last_mile,
        }
    }
}

/// One provider's part of the answer.
struct Leg {
    /// Its `key`, as text.
    key: Option<String>,
    /// Its `name` and `alias`.
    names: [Option<String>; 2],
    /// The shared carrier it is, when known.
    carrier: Option<Carrier>,
    /// Its readable events, newest first as listed.
    drafts: Vec<Draft>,
}

impl Leg {
    fn read(entry: &ProviderEntry) -> Leg {
        let provider = entry.provider.as_ref();
        let names = [
            provider.and_then(|p| clean_text(p.name.as_deref())),
            provider.and_then(|p| clean_text(p.alias.as_deref())),
        ];
        Leg {
            key: provider.and_then(|p| clean_text(p.key.as_deref())),
            carrier: names
                .iter()
                .flatten()
                .find_map(|name| Carrier::from_name(name)),
            names,
            drafts: entry.events.iter().filter_map(read_event).collect(),
        }
    }

    /// True when `name` is its name or alias (letters and digits compared, case ignored).
    fn is_named(&self, name: &str) -> bool {
        self.names
            .iter()
            .flatten()
            .any(|own| same_number(own, name))
    }
}

/// The provider `misc_info` names as the last mile (by `local_key`, else `local_provider`); else,
/// among two or more providers, the one whose events start last (ties: the one listed later).
fn last_mile_leg(legs: &[Leg], misc: Option<&MiscInfo>) -> Option<usize> {
    let key = misc
        .and_then(|m| clean_text(m.local_key.as_deref()))
        .filter(|key| key != "0");
    let by_key = key.and_then(|key| legs.iter().position(|leg| leg.key.as_deref() == Some(&key)));
    let by_name = || {
        let name = misc.and_then(|m| clean_text(m.local_provider.as_deref()))?;
        legs.iter().position(|leg| leg.is_named(&name))
    };
    let starting_last = || {
        if legs.len() < 2 {
            return None;
        }
        legs.iter()
            .enumerate()
            .filter_map(|(i, leg)| leg.drafts.last().map(|oldest| (oldest.time.sort_key(), i)))
            .max()
            .map(|(_, i)| i)
    };
    by_key.or_else(by_name).or_else(starting_last)
}

/// A last-mile carrier `misc_info` names that no provider with events of its own is: kept with
/// the new number, when the shared carrier is known.
fn named_last_mile(
    legs: &[Leg],
    misc: Option<&MiscInfo>,
    number: Option<String>,
) -> Option<LastMile> {
    let name = misc.and_then(|m| clean_text(m.local_provider.as_deref()))?;
    let carrier = Carrier::from_name(&name)?;
    let listed = legs
        .iter()
        .any(|leg| leg.is_named(&name) || leg.carrier == Some(carrier));
    (!listed).then_some(LastMile { carrier, number })
}

/// One event, its status still unknown when neither its sub-status nor its stage classifies it;
/// `None` when it has no readable time.
fn read_event(event: &RawEvent) -> Option<Draft> {
    let address = event.address.as_ref();
    let location = address
        .and_then(|a| place(a.city.as_deref(), a.state.as_deref(), a.country.as_deref()))
        .or_else(|| free_text_place(event.location.as_deref()));
    Some(Draft {
        time: time_of(event)?,
        status: event_status(event.sub_status.as_deref(), event.stage.as_deref()),
        description: clean_text(event.description.as_deref()),
        location,
        carrier_code: clean_text(event.sub_status.as_deref())
            .or_else(|| clean_text(event.stage.as_deref())),
    })
}

/// The status a sub-status (else a stage) names in the shared 17TRACK taxonomy.
fn event_status(sub_status: Option<&str>, stage: Option<&str>) -> Option<StatusDetail> {
    let import = |code: &str| SEVENTEEN_TRACK.import(code).ok();
    let sub_status = sub_status.map(str::trim).filter(|code| !code.is_empty());
    sub_status
        .and_then(import)
        .or_else(|| {
            let (main, _) = sub_status?.split_once('_')?;
            import(main)
        })
        .or_else(|| {
            let stage = stage?.trim();
            let code = STAGES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(stage))
                .map_or(stage, |(_, code)| code);
            import(code)
        })
}

/// The event's time, as precisely as 17TRACK knows it (see the module documentation).
fn time_of(event: &RawEvent) -> Option<EventTime> {
    let iso = event
        .time_iso
        .as_deref()
        .and_then(|time| EventTime::parse(time).ok());
    if let Some(time) = iso.as_ref().filter(|time| time.offset().is_some()) {
        return Some(time.clone());
    }
    let raw = event.time_raw.as_ref().and_then(|raw| {
        let (date, time) = (raw.date.as_deref()?, raw.time.as_deref()?);
        let local = EventTime::from_parts(date, time, None).ok()?.local_time();
        Some(event_time(
            local,
            written_offset(date, time, raw.timezone.as_deref()),
        ))
    });
    raw.or(iso).or_else(|| {
        let utc = EventTime::parse(event.time_utc.as_deref()?).ok()?;
        utc.offset().is_some().then_some(utc)
    })
}

/// The free-text `location` as a city: comma-separated parts holding a digit (postal codes,
/// street numbers) dropped.
fn free_text_place(location: Option<&str>) -> Option<Place> {
    let kept: Vec<&str> = location?
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty() && !part.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    place(Some(&kept.join(", ")), None, None)
}

#[derive(Deserialize)]
struct Reply {
    code: i64,
    #[serde(default)]
    data: Option<Data>,
}

impl Reply {
    /// Its data, when the request as a whole was accepted.
    fn data(self) -> Result<Data, BadAnswer> {
        if self.code != 0 {
            return Err(BadAnswer(format!(
                "17TRACK refused the request: code {}",
                self.code
            )));
        }
        self.data
            .ok_or_else(|| BadAnswer("17TRACK answer has no data".into()))
    }
}

#[derive(Deserialize)]
struct Data {
    #[serde(default, deserialize_with = "lenient_list")]
    accepted: Vec<Accepted>,
    #[serde(default, deserialize_with = "lenient_list")]
    rejected: Vec<Rejected>,
}

impl Data {
    /// The rejection of `number`; an error when the answer lists it nowhere.
    fn rejected(&self, number: &str) -> Result<&Rejected, BadAnswer> {
        self.rejected
            .iter()
            .find(|item| {
                item.number
                    .as_deref()
                    .is_some_and(|listed| same_number(listed, number))
            })
            .ok_or_else(|| BadAnswer("17TRACK answer does not list the number".into()))
    }
}

/// An accepted number (a push's `data` has the same shape).
#[derive(Deserialize)]
struct Accepted {
    #[serde(default, deserialize_with = "text")]
    number: Option<String>,
    #[serde(default)]
    track_info: Option<TrackInfo>,
}

impl Accepted {
    fn is(&self, number: &str) -> bool {
        self.number
            .as_deref()
            .is_some_and(|listed| same_number(listed, number))
    }

    fn lookup(&self, asked: &str) -> Result<Lookup, BadAnswer> {
        self.track_info
            .as_ref()
            .map(|info| info.lookup(asked))
            .ok_or_else(|| BadAnswer("17TRACK lists the number without track_info".into()))
    }
}

#[derive(Deserialize)]
struct Rejected {
    #[serde(default, deserialize_with = "text")]
    number: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    error: Option<RejectedError>,
}

impl Rejected {
    fn code(&self) -> Result<i64, BadAnswer> {
        self.error
            .as_ref()
            .and_then(|error| error.code)
            .ok_or_else(|| BadAnswer("17TRACK rejected the number without a code".into()))
    }

    /// The rejection as an error, with 17TRACK's code and words.
    fn refusal(&self) -> BadAnswer {
        let error = self.error.as_ref();
        BadAnswer(format!(
            "17TRACK rejected the number: code {} {}",
            error.and_then(|e| e.code).unwrap_or_default(),
            error
                .and_then(|e| clean_text(e.message.as_deref()))
                .unwrap_or_default()
        ))
    }
}

#[derive(Deserialize)]
struct RejectedError {
    #[serde(default, deserialize_with = "lenient")]
    code: Option<i64>,
    #[serde(default, deserialize_with = "text")]
    message: Option<String>,
}

#[derive(Deserialize)]
struct TrackInfo {
    #[serde(default, deserialize_with = "lenient")]
    latest_status: Option<LatestStatus>,
    #[serde(default, deserialize_with = "lenient")]
    time_metrics: Option<TimeMetrics>,
    #[serde(default, deserialize_with = "lenient")]
    misc_info: Option<MiscInfo>,
    #[serde(default, deserialize_with = "lenient")]
    tracking: Option<Tracking>,
}

#[derive(Deserialize)]
struct LatestStatus {
    #[serde(default, deserialize_with = "text")]
    sub_status: Option<String>,
}

#[derive(Deserialize)]
struct TimeMetrics {
    #[serde(default, deserialize_with = "lenient")]
    estimated_delivery_date: Option<Eta>,
}

#[derive(Deserialize)]
struct Eta {
    #[serde(default, deserialize_with = "text")]
    from: Option<String>,
    #[serde(default, deserialize_with = "text")]
    to: Option<String>,
}

/// The last mile, as 17TRACK names it.
#[derive(Deserialize)]
struct MiscInfo {
    #[serde(default, deserialize_with = "text")]
    local_number: Option<String>,
    #[serde(default, deserialize_with = "text")]
    local_provider: Option<String>,
    #[serde(default, deserialize_with = "text")]
    local_key: Option<String>,
}

#[derive(Deserialize)]
struct Tracking {
    #[serde(default, deserialize_with = "lenient_list")]
    providers: Vec<ProviderEntry>,
}

#[derive(Deserialize)]
struct ProviderEntry {
    #[serde(default, deserialize_with = "lenient")]
    provider: Option<Provider>,
    #[serde(default, deserialize_with = "lenient_list")]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct Provider {
    #[serde(default, deserialize_with = "text")]
    key: Option<String>,
    #[serde(default, deserialize_with = "text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    alias: Option<String>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(default, deserialize_with = "text")]
    time_iso: Option<String>,
    #[serde(default, deserialize_with = "text")]
    time_utc: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    time_raw: Option<TimeRaw>,
    #[serde(default, deserialize_with = "text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "text")]
    location: Option<String>,
    #[serde(default, deserialize_with = "text")]
    stage: Option<String>,
    #[serde(default, deserialize_with = "text")]
    sub_status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    address: Option<Address>,
}

#[derive(Deserialize)]
struct TimeRaw {
    #[serde(default, deserialize_with = "text")]
    date: Option<String>,
    #[serde(default, deserialize_with = "text")]
    time: Option<String>,
    #[serde(default, deserialize_with = "text")]
    timezone: Option<String>,
}

/// City, state and country only: `street` and `postal_code` are not even read.
#[derive(Deserialize)]
struct Address {
    #[serde(default, deserialize_with = "text")]
    country: Option<String>,
    #[serde(default, deserialize_with = "text")]
    state: Option<String>,
    #[serde(default, deserialize_with = "text")]
    city: Option<String>,
}

#[derive(Deserialize)]
struct PushBody {
    #[serde(default, deserialize_with = "text")]
    event: Option<String>,
    #[serde(default)]
    data: Option<Accepted>,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use waypost_shared::interop::Direction;
    use waypost_shared::status::Status;

    use super::*;
    use crate::carriers::test_support::*;

    fixtures!("17track":
        REGISTER_ACCEPTED = "registered",
        REGISTER_ALREADY = "already_registered",
        REGISTER_INVALID = "register_invalid",
        REGISTER_QUOTA = "register_quota",
        IN_TRANSIT = "in_transit",
        HANDED_OVER = "handed_over",
        DELIVERED = "delivered",
        NO_OFFSET = "no_offset",
        NOT_YET_TRACKED = "not_yet_tracked",
        TRACK_UNREGISTERED = "not_registered",
        INVALID_NUMBER = "invalid_number",
        QUOTA_EXCEEDED = "quota_exceeded",
        PUSH_UPDATED = "push_updated",
        PUSH_STOPPED = "push_stopped"
    );

    /// The YunExpress number of `in_transit`, `not_yet_tracked`, the register answers and pushes.
    const NUMBER: &str = "YT2431521063015678";
    /// The YunExpress number `handed_over` is about, and the USPS number it goes on under.
    const HANDED: &str = "YT2432021087654321";
    const USPS_NUMBER: &str = "9261290312345678901234";
    /// The security key the pushes' signatures below were computed with (by `sha256sum`-style
    /// hashing of the fixture's bytes, `/`, and the key, outside this code).
    const KEY: &str = "S3CUR1TY-K3Y";
    const PUSH_STOPPED_SIGN: &str =
        "17ebf39ea6b6d8c024f3b0c5ee9c6014706c65c99e95febf901566d732bb8be9";
    const PUSH_UPDATED_SIGN: &str =
        "fcf623b4117b33585daa4e050b596bff4ed709d94de60289e23bfbf654007b06";

    fn found(number: &str, body: &str) -> CarrierAnswer {
        found_for(read_track, number, body)
    }

    /// A gettrackinfo answer about [`NUMBER`] with one YunExpress provider listing `events`.
    fn answer_with(events: Value, misc_info: Value) -> String {
        json!({"code": 0, "data": {"accepted": [{"number": NUMBER, "carrier": 190008,
            "track_info": {
                "latest_status": {"status": "InTransit", "sub_status": "InTransit_Other"},
                "misc_info": misc_info,
                "tracking": {"providers": [{
                    "provider": {"key": 190008, "name": "YunExpress", "alias": "YunExpress"},
                    "events": events}]}}}], "rejected": []}})
        .to_string()
    }

    /// The time read from `event`, alone in an answer; `None` when it is skipped.
    fn time_read(event: Value) -> Option<EventTime> {
        match read_track(NUMBER, 200, &answer_with(json!([event]), Value::Null)) {
            Ok(Lookup::Found(answer)) => Some(answer.events[0].time.clone()),
            Ok(Lookup::Pending) => None,
            other => panic!("{other:?}"),
        }
    }

    /// A rejection of `number` with `code`, as gettrackinfo and register send it.
    fn rejection(number: &str, code: i64) -> String {
        json!({"code": 0, "data": {"accepted": [], "rejected": [
            {"number": number, "error": {"code": code, "message": "…"}}]}})
        .to_string()
    }

    fn carriers(answer: &CarrierAnswer) -> Vec<Option<Carrier>> {
        answer.events.iter().map(|e| e.carrier).collect()
    }

    fn forwarded(events: &[TrackingEvent]) -> usize {
        events
            .iter()
            .filter(|e| e.status.sub_status() == Some(SubStatus::Forwarded))
            .count()
    }

    #[test]
    fn calls_post_one_number_with_the_key() {
        let call = register_call("https://api.17track.net/track/v2.2/", NUMBER, "k3y");
        assert_eq!(call.method, CallMethod::Post);
        assert_eq!(call.url, "https://api.17track.net/track/v2.2/register");
        assert_eq!(
            call.headers,
            vec![
                ("17token", "k3y".to_owned()),
                ("Content-Type", "application/json".to_owned())
            ]
        );
        let body: Value = serde_json::from_str(call.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!([{"number": NUMBER}]));
        let call = track_call("https://api.17track.net/track/v2.2", "A\"1", "k3y");
        assert_eq!(call.url, "https://api.17track.net/track/v2.2/gettrackinfo");
        let body: Value = serde_json::from_str(call.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!([{"number": "A\"1"}]));
    }

    #[test]
    fn registering_reads_accepted_already_invalid_and_quota() {
        use Registration::*;
        assert_eq!(
            read_register(NUMBER, 200, REGISTER_ACCEPTED),
            Ok(Registered)
        );
        assert_eq!(read_register(NUMBER, 200, REGISTER_ALREADY), Ok(Registered));
        assert_eq!(
            read_register("ZX0000000000", 200, REGISTER_INVALID),
            Ok(Invalid)
        );
        assert_eq!(
            read_register("1234", 200, &rejection("1234", -18010012)),
            Ok(Invalid)
        );
        assert_eq!(
            read_register(NUMBER, 200, REGISTER_QUOTA),
            Ok(QuotaExceeded)
        );
        assert_eq!(
            read_register(NUMBER, 200, QUOTA_EXCEEDED),
            Ok(QuotaExceeded)
        );
        assert_eq!(
            read_register(NUMBER, 200, r#"{"code":-18019908,"data":{"errors":[]}}"#),
            Ok(QuotaExceeded)
        );
    }

    #[test]
    fn register_garbage_and_refusals_are_errors() {
        for (status, body) in [
            (200, "<html><body>Bad Gateway</body></html>".to_owned()),
            (200, String::new()),
            (401, r#"{"code":-18010002,"data":{"errors":[]}}"#.to_owned()),
            (200, r#"{"code":-18010002,"data":{"errors":[]}}"#.to_owned()),
            (200, r#"{"code":0}"#.to_owned()),
            (
                200,
                r#"{"code":0,"data":{"accepted":[],"rejected":[]}}"#.to_owned(),
            ),
            (200, rejection(NUMBER, -18019911)),
            (
                200,
                r#"{"code":0,"data":{"rejected":[{"number":"YT2431521063015678"}]}}"#.to_owned(),
            ),
        ] {
            assert!(
                read_register(NUMBER, status, &body).is_err(),
                "{status} {body:?} should be an error"
            );
        }
        // Accepted, but for another number.
        assert!(read_register(UNLISTED, 200, REGISTER_ACCEPTED).is_err());
    }

    #[test]
    fn every_17track_code_maps_as_the_shared_taxonomy_says() {
        let rows: Vec<_> = SEVENTEEN_TRACK
            .rows
            .iter()
            .filter(|row| row.direction != Direction::Export)
            .collect();
        // One event per code, a minute apart, newest first.
        let events: Vec<Value> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let minute = rows.len() - i;
                json!({"time_iso": format!("2026-11-20T10:{minute:02}:00+08:00"),
                    "sub_status": row.code, "description": row.code})
            })
            .collect();
        let answer = found(NUMBER, &answer_with(Value::Array(events), Value::Null));
        assert_eq!(answer.events.len(), rows.len());
        for (event, row) in answer.events.iter().zip(&rows) {
            assert_eq!(event.status, row.detail, "{}", row.code);
            assert_eq!(event.carrier_code.as_deref(), Some(row.code));
        }
        // What the shared table says, spelled out for a few.
        for (code, detail) in [
            (
                "NotFound_InvalidCode",
                StatusDetail::sub(SubStatus::UnknownNumber),
            ),
            ("InfoReceived", StatusDetail::new(Status::InfoReceived)),
            (
                "InTransit_CustomsRequiringInformation",
                StatusDetail::sub(SubStatus::CustomsHeld),
            ),
            (
                "OutForDelivery_Other",
                StatusDetail::new(Status::OutForDelivery),
            ),
            (
                "DeliveryFailure_NoBody",
                StatusDetail::sub(SubStatus::RecipientUnavailable),
            ),
            ("Delivered_Other", StatusDetail::new(Status::Delivered)),
            ("Exception_Security", StatusDetail::sub(SubStatus::Held)),
            ("Exception_Destroyed", StatusDetail::sub(SubStatus::Lost)),
            ("Expired_Other", StatusDetail::new(Status::Expired)),
        ] {
            assert_eq!(event_status(Some(code), None), Some(detail), "{code}");
        }
    }

    #[test]
    fn stages_and_main_statuses_stand_in_for_unknown_sub_statuses() {
        let sub = |s| Some(StatusDetail::sub(s));
        let of = |s| Some(StatusDetail::new(s));
        for (stage, detail) in [
            ("InfoReceived", of(Status::InfoReceived)),
            ("PickedUp", sub(SubStatus::PickedUp)),
            ("Departure", sub(SubStatus::DepartedFacility)),
            ("arrival", sub(SubStatus::ArrivedFacility)),
            ("AvailableForPickup", of(Status::AvailableForPickup)),
            ("OutForDelivery", of(Status::OutForDelivery)),
            ("Delivered", of(Status::Delivered)),
            ("Returning", sub(SubStatus::ReturningToSender)),
            ("Returned", sub(SubStatus::ReturnedToSender)),
        ] {
            assert_eq!(event_status(None, Some(stage)), detail, "{stage}");
            assert_eq!(event_status(Some(" "), Some(stage)), detail, "{stage}");
        }
        // A sub-status added after the shared table: its main status, before the stage.
        assert_eq!(
            event_status(Some("Exception_Teleported"), Some("Arrival")),
            of(Status::Exception)
        );
        assert_eq!(event_status(Some("Teleported"), Some("Wormhole")), None);
        // An event nothing classifies keeps the status of the event before it.
        let events = json!([
            {"time_iso": "2026-11-20T12:00:00+08:00", "sub_status": "Teleported", "stage": "Wormhole",
             "description": "Parcel status updated"},
            {"time_iso": "2026-11-20T10:00:00+08:00", "stage": "PickedUp", "description": "Picked up"}
        ]);
        let answer = found(NUMBER, &answer_with(events, Value::Null));
        assert_eq!(
            rows(&answer),
            vec![
                row("Teleported", Status::InTransit, Some(SubStatus::PickedUp)),
                row("PickedUp", Status::InTransit, Some(SubStatus::PickedUp)),
            ]
        );
    }

    #[test]
    fn in_transit_keeps_each_events_offset() {
        let answer = found(NUMBER, IN_TRANSIT);
        assert_eq!(
            rows(&answer),
            vec![
                row(
                    "InTransit_Departure",
                    Status::InTransit,
                    Some(SubStatus::DepartedFacility)
                ),
                row(
                    "InTransit_CustomsReleased",
                    Status::InTransit,
                    Some(SubStatus::CustomsReleased)
                ),
                row("InTransit_Other", Status::InTransit, None),
                row(
                    "InTransit_PickedUp",
                    Status::InTransit,
                    Some(SubStatus::PickedUp)
                ),
                row("InfoReceived", Status::InfoReceived, None),
            ]
        );
        let newest = &answer.events[0];
        assert_eq!(newest.description, "Departed from airport of origin");
        assert_eq!(newest.time.local_time(), local("2026-11-12T03:30:00"));
        assert_eq!(newest.time.offset(), hours(8));
        assert_eq!(newest.time.utc(), Some(utc("2026-11-11T19:30:00")));
        let place = newest.location.as_ref().unwrap();
        assert_eq!(place.city.as_deref(), Some("Hong Kong"));
        assert_eq!(place.country.as_deref(), Some("HK"));
        assert!(answer.events.iter().all(|e| offset_hours(e) == Some(8)));
        assert_eq!(city_of(&answer.events[3]), Some("Shenzhen"));
        assert_eq!(answer.events[4].location, None);
        assert!(
            carriers(&answer)
                .iter()
                .all(|c| *c == Some(Carrier::Yunexpress))
        );
        // `misc_info` names YunExpress itself: no hand-over.
        assert_eq!(answer.last_mile, None);
        assert_eq!(forwarded(&answer.events), 0);
        assert_eq!(answer.eta_from, Some(day("2026-11-20")));
        assert_eq!(answer.eta_to, Some(day("2026-11-24")));
        let debug = format!("{answer:?}");
        for private in ["Logistics Park", "518000"] {
            assert!(!debug.contains(private), "{private} leaked into {debug}");
        }
    }

    #[test]
    fn delivered_reads_time_raw_with_its_timezone() {
        let answer = found("YT2430821055512345", DELIVERED);
        assert_eq!(answer.newest_status(), Some(Status::Delivered));
        let delivered = &answer.events[0];
        assert_eq!(delivered.carrier_code.as_deref(), Some("Delivered_Other"));
        assert_eq!(delivered.description, "Delivered to the recipient");
        assert_eq!(delivered.time.local_time(), local("2026-11-19T13:47:00"));
        assert_eq!(delivered.time.offset(), hours(1));
        assert_eq!(delivered.time.utc(), Some(utc("2026-11-19T12:47:00")));
        let place = delivered.location.as_ref().unwrap();
        assert_eq!(place.city.as_deref(), Some("Berlin"));
        assert_eq!(place.region.as_deref(), Some("Berlin"));
        assert_eq!(place.country.as_deref(), Some("DE"));
        assert_eq!(
            answer.events[1].status,
            StatusDetail::new(Status::OutForDelivery)
        );
        assert_eq!(offset_hours(&answer.events[5]), Some(8));
        assert_eq!((answer.eta_from, answer.eta_to), (None, None));
        let debug = format!("{answer:?}");
        for private in ["Hauptstr", "10827"] {
            assert!(!debug.contains(private), "{private} leaked into {debug}");
        }
    }

    #[test]
    fn events_without_an_offset_stay_local() {
        let answer = found("YT2431021077700011", NO_OFFSET);
        assert_eq!(
            details(&answer),
            vec![
                (Status::InTransit, Some(SubStatus::ArrivedFacility)),
                (Status::InTransit, Some(SubStatus::PickedUp)),
                (Status::InfoReceived, None),
            ]
        );
        assert!(answer.events.iter().all(|e| e.time.offset().is_none()));
        assert!(answer.events.iter().all(|e| e.time.utc().is_none()));
        assert_eq!(
            answer.events[0].time.local_time(),
            local("2026-11-15T09:30:00")
        );
        // An empty address: the free-text location, as the city only.
        let yiwu = answer.events[1].location.as_ref().unwrap();
        assert_eq!(yiwu.city.as_deref(), Some("Yiwu"));
        assert_eq!(
            (yiwu.region.as_deref(), yiwu.country.as_deref()),
            (None, None)
        );
        assert_eq!(answer.events[2].location, None);
    }

    #[test]
    fn times_prefer_the_offset_17track_knows_and_never_invent_one() {
        // `time_iso` with its offset first.
        let time = time_read(json!({"time_iso": "2026-11-20T10:00:00+08:00",
            "time_raw": {"date": "2026-11-20", "time": "11:00:00", "timezone": "+09:00"},
            "sub_status": "InTransit_Other"}))
        .unwrap();
        assert_eq!(
            (time.local_time(), time.offset()),
            (local("2026-11-20T10:00:00"), hours(8))
        );
        // Then `time_raw` with its timezone.
        let time = time_read(json!({"time_iso": "2026-11-20T10:00:00",
            "time_raw": {"date": "2026-11-20", "time": "09:30", "timezone": "-05:00"},
            "sub_status": "InTransit_Other"}))
        .unwrap();
        assert_eq!(
            (time.local_time(), time.offset()),
            (local("2026-11-20T09:30:00"), hours(-5))
        );
        // A zone it does not write as an offset is no offset.
        let time = time_read(json!({
            "time_raw": {"date": "2026-11-20", "time": "09:30:00", "timezone": "Asia/Shanghai"},
            "sub_status": "InTransit_Other"}))
        .unwrap();
        assert_eq!(
            (time.local_time(), time.offset()),
            (local("2026-11-20T09:30:00"), None)
        );
        // A local `time_iso` stays local.
        let time = time_read(json!({"time_iso": "2026-11-20T10:00:00",
            "time_utc": "2026-11-20T02:00:00Z", "sub_status": "InTransit_Other"}))
        .unwrap();
        assert_eq!(
            (time.local_time(), time.offset()),
            (local("2026-11-20T10:00:00"), None)
        );
        // `time_utc` only when nothing local is known.
        let time = time_read(json!({"time_raw": {"date": "2026-11-20", "time": null},
            "time_utc": "2026-11-20T02:00:00Z", "sub_status": "InTransit_Other"}))
        .unwrap();
        assert_eq!(time.utc(), Some(utc("2026-11-20T02:00:00")));
        assert_eq!(time_read(json!({"time_utc": "2026-11-20T02:00:00"})), None);
        assert_eq!(time_read(json!({"description": "no time"})), None);
    }

    #[test]
    fn a_hand_over_names_the_last_mile_and_each_events_carrier() {
        let answer = found(HANDED, HANDED_OVER);
        let arrived = || Some(SubStatus::ArrivedFacility);
        let departed = || Some(SubStatus::DepartedFacility);
        assert_eq!(
            rows(&answer),
            vec![
                row("InTransit_Arrival", Status::InTransit, arrived()),
                row("InTransit_Arrival", Status::InTransit, arrived()),
                row("InTransit_Departure", Status::InTransit, departed()),
                row(
                    "InTransit_PickedUp",
                    Status::InTransit,
                    Some(SubStatus::PickedUp)
                ),
                row("InTransit_Departure", Status::InTransit, departed()),
                row(
                    "InTransit_CustomsReleased",
                    Status::InTransit,
                    Some(SubStatus::CustomsReleased)
                ),
                row("InTransit_Arrival", Status::InTransit, arrived()),
                row("InTransit_Departure", Status::InTransit, departed()),
                row("InTransit_Other", Status::InTransit, None),
                row(
                    "InTransit_PickedUp",
                    Status::InTransit,
                    Some(SubStatus::PickedUp)
                ),
                row("InfoReceived", Status::InfoReceived, None),
            ]
        );
        let usps = Some(Carrier::Usps);
        let yun = Some(Carrier::Yunexpress);
        let mut expected = vec![usps; 4];
        expected.extend([yun; 7]);
        assert_eq!(carriers(&answer), expected);
        assert_eq!(forwarded(&answer.events), 0, "the hand-over is the view's");
        let accepted = &answer.events[3];
        assert_eq!(
            accepted.description,
            "Accepted at USPS Regional Origin Facility"
        );
        assert_eq!(accepted.time.local_time(), local("2026-11-14T18:05:00"));
        assert_eq!(accepted.time.offset(), hours(-6));
        assert_eq!(offset_hours(&answer.events[0]), Some(-5));
        assert_eq!(offset_hours(&answer.events[10]), Some(8));
        assert_eq!(city_of(&answer.events[0]), Some("Worthington"));
        assert_eq!(
            answer.last_mile,
            Some(LastMile {
                carrier: Carrier::Usps,
                number: Some(USPS_NUMBER.into())
            })
        );
        assert_eq!(answer.newest_status(), Some(Status::InTransit));
        assert_eq!(answer.eta_from, Some(day("2026-11-18")));
        assert_eq!(answer.eta_to, Some(day("2026-11-19")));
        assert!(!format!("{answer:?}").contains("43085"));
    }

    #[test]
    fn the_hand_over_reads_the_same_every_time_and_in_any_provider_order() {
        let answer = found(HANDED, HANDED_OVER);
        assert_eq!(found(HANDED, HANDED_OVER), answer);
        // The providers listed last mile first: the same answer.
        let mut body: Value = serde_json::from_str(HANDED_OVER).unwrap();
        let info = "/data/accepted/0/track_info";
        let providers = body.pointer_mut(&format!("{info}/tracking/providers"));
        providers.and_then(Value::as_array_mut).unwrap().reverse();
        assert_eq!(found(HANDED, &body.to_string()), answer);
        // Without `misc_info`, the provider whose events start last is the last mile; its number
        // is then unknown.
        *body.pointer_mut(&format!("{info}/misc_info")).unwrap() = Value::Null;
        let unnamed = found(HANDED, &body.to_string());
        assert_eq!(
            unnamed.last_mile,
            Some(LastMile {
                carrier: Carrier::Usps,
                number: None
            })
        );
        assert_eq!(carriers(&unnamed), carriers(&answer));
    }

    #[test]
    fn one_carrier_listed_twice_hands_nothing_over() {
        let mut body: Value = serde_json::from_str(HANDED_OVER).unwrap();
        let info = "/data/accepted/0/track_info";
        let usps = body.pointer_mut(&format!("{info}/tracking/providers/1/provider"));
        *usps.unwrap() = json!({"key": 190094, "name": "YunExpress USA", "alias": null});
        *body.pointer_mut(&format!("{info}/misc_info")).unwrap() = Value::Null;
        let answer = found(HANDED, &body.to_string());
        assert_eq!(answer.events.len(), 11);
        assert_eq!(forwarded(&answer.events), 0);
        assert_eq!(answer.last_mile, None);
        assert!(
            carriers(&answer)
                .iter()
                .all(|c| *c == Some(Carrier::Yunexpress))
        );
    }

    #[test]
    fn a_last_mile_named_only_by_misc_info_is_kept_without_an_event() {
        let events = json!([{"time_iso": "2026-11-14T16:30:00-06:00",
            "sub_status": "InTransit_Arrival", "description": "Arrived at destination airport"}]);
        let misc =
            json!({"local_number": USPS_NUMBER, "local_provider": "USPS", "local_key": 21051});
        let answer = found(NUMBER, &answer_with(events.clone(), misc));
        assert_eq!(
            answer.last_mile,
            Some(LastMile {
                carrier: Carrier::Usps,
                number: Some(USPS_NUMBER.into())
            })
        );
        assert_eq!(answer.events.len(), 1);
        assert_eq!(forwarded(&answer.events), 0);
        // The same number goes on with the last mile (postal numbers do): no new number.
        let misc = json!({"local_number": NUMBER, "local_provider": "USPS"});
        let answer = found(NUMBER, &answer_with(events.clone(), misc));
        assert_eq!(
            answer.last_mile,
            Some(LastMile {
                carrier: Carrier::Usps,
                number: None
            })
        );
        // A carrier the shared model does not know: no last mile.
        let misc = json!({"local_number": "LM123", "local_provider": "Teleport Post"});
        assert_eq!(found(NUMBER, &answer_with(events, misc)).last_mile, None);
    }

    #[test]
    fn nothing_tracked_yet_is_pending() {
        assert_eq!(
            read_track(NUMBER, 200, NOT_YET_TRACKED),
            Ok(Lookup::Pending)
        );
        assert_eq!(
            read_track(NUMBER, 200, &rejection(NUMBER, -18019909)),
            Ok(Lookup::Pending)
        );
        // Events none of which has a time are nothing tracked either.
        let events = json!([{"description": "Shipment information received"}]);
        assert_eq!(
            read_track(NUMBER, 200, &answer_with(events, Value::Null)),
            Ok(Lookup::Pending)
        );
    }

    #[test]
    fn an_unregistered_number_must_be_registered() {
        assert_eq!(
            read_track(NUMBER, 200, TRACK_UNREGISTERED),
            Ok(Lookup::Unregistered)
        );
    }

    #[test]
    fn an_invalid_number_is_not_found() {
        assert_eq!(
            read_track("YT0000000000000000", 200, INVALID_NUMBER),
            Ok(Lookup::NotFound)
        );
        for code in [-18010011, -18010012, -18019903] {
            assert_eq!(
                read_track("1234", 200, &rejection("1234", code)),
                Ok(Lookup::NotFound),
                "{code}"
            );
        }
    }

    #[test]
    fn only_a_spent_quota_reads_as_refused_for_quota() {
        for body in [
            QUOTA_EXCEEDED.to_owned(),
            REGISTER_QUOTA.to_owned(),
            rejection(NUMBER, -18019907),
            r#"{"code":-18019908,"data":{"errors":[]}}"#.to_owned(),
        ] {
            assert!(refused_for_quota(&body), "{body}");
        }
        for body in [
            TRACK_UNREGISTERED.to_owned(),
            IN_TRANSIT.to_owned(),
            rejection(NUMBER, -18019911),
            "<html>502</html>".to_owned(),
            String::new(),
        ] {
            assert!(!refused_for_quota(&body), "{body}");
        }
    }

    #[test]
    fn quota_garbage_and_refusals_are_errors() {
        for (status, body) in [
            (200, QUOTA_EXCEEDED.to_owned()),
            (200, REGISTER_QUOTA.to_owned()),
            (
                200,
                "<!DOCTYPE html><html><body>502</body></html>".to_owned(),
            ),
            (200, "null".to_owned()),
            (401, NOT_YET_TRACKED.to_owned()),
            (404, "Not Found".to_owned()),
            (200, r#"{"code":-18010002,"data":{"errors":[]}}"#.to_owned()),
            (200, r#"{"code":0}"#.to_owned()),
            (200, r#"{"code":0,"data":[]}"#.to_owned()),
            (200, r#"{"shipments":[]}"#.to_owned()),
            (200, rejection(NUMBER, -18019911)),
            (
                200,
                r#"{"code":0,"data":{"accepted":[{"number":"YT2431521063015678"}]}}"#.to_owned(),
            ),
        ] {
            assert!(
                read_track(NUMBER, status, &body).is_err(),
                "{status} {body:?} should be an error"
            );
        }
        // An answer that does not list the number asked.
        assert!(read_track(UNLISTED, 200, IN_TRANSIT).is_err());
    }

    #[test]
    fn the_number_asked_is_read_among_several() {
        let mut body: Value = serde_json::from_str(DELIVERED).unwrap();
        let in_transit: Value = serde_json::from_str(IN_TRANSIT).unwrap();
        let not_yet: Value = serde_json::from_str(NOT_YET_TRACKED).unwrap();
        let accepted = body["data"]["accepted"].as_array_mut().unwrap();
        // Another number, then the one asked twice (registered with two carriers): the one
        // with events.
        accepted.push(not_yet["data"]["accepted"][0].clone());
        accepted.push(in_transit["data"]["accepted"][0].clone());
        let answer = found(NUMBER, &body.to_string());
        assert_eq!(answer, found(NUMBER, IN_TRANSIT));
        assert_eq!(
            found("YT2430821055512345", &body.to_string()).newest_status(),
            Some(Status::Delivered)
        );
    }

    #[test]
    fn pushes_read_updates_and_stops() {
        let Ok(Push::Updated { number, lookup }) = read_push(PUSH_UPDATED) else {
            panic!("{:?}", read_push(PUSH_UPDATED));
        };
        assert_eq!(number, NUMBER);
        let Lookup::Found(answer) = lookup else {
            panic!("{lookup:?}");
        };
        assert_eq!(answer.events.len(), 3);
        let newest = &answer.events[0];
        assert_eq!(newest.status, StatusDetail::sub(SubStatus::ArrivedFacility));
        assert_eq!(newest.time.offset(), hours(-6));
        assert_eq!(city_of(newest), Some("Chicago"));
        assert_eq!(newest.carrier, Some(Carrier::Yunexpress));
        assert_eq!(
            read_push(PUSH_STOPPED),
            Ok(Push::Stopped {
                number: NUMBER.into()
            })
        );
        let pending = json!({"event": "TRACKING_UPDATED", "data": {"number": NUMBER,
            "track_info": {"latest_status": {"status": "NotFound", "sub_status": "NotFound_Other"}}}});
        assert_eq!(
            read_push(&pending.to_string()),
            Ok(Push::Updated {
                number: NUMBER.into(),
                lookup: Lookup::Pending
            })
        );
    }

    #[test]
    fn push_garbage_is_an_error() {
        for body in [
            "",
            "<html></html>",
            "[]",
            r#"{"event":"TRACKING_UPDATED"}"#,
            r#"{"event":"TRACKING_UPDATED","data":{"number":"YT2431521063015678"}}"#,
            r#"{"event":"TRACKING_UPDATED","data":"YT2431521063015678"}"#,
            r#"{"event":"TRACKING_STOPPED","data":{"number":" "}}"#,
            r#"{"event":"TRACKING_PAUSED","data":{"number":"YT2431521063015678"}}"#,
            r#"{"data":{"number":"YT2431521063015678"}}"#,
        ] {
            assert!(read_push(body).is_err(), "{body:?} should be an error");
        }
    }

    #[test]
    fn signatures_hold_only_for_the_exact_body_and_key() {
        assert!(push_signature_ok(PUSH_STOPPED, PUSH_STOPPED_SIGN, KEY));
        assert!(push_signature_ok(PUSH_UPDATED, PUSH_UPDATED_SIGN, KEY));
        assert!(push_signature_ok(
            PUSH_STOPPED,
            &format!(" {} ", PUSH_STOPPED_SIGN.to_ascii_uppercase()),
            KEY
        ));
        // An altered body.
        let altered = PUSH_STOPPED.replace(NUMBER, "YT2431521063015679");
        assert!(!push_signature_ok(&altered, PUSH_STOPPED_SIGN, KEY));
        assert!(!push_signature_ok(
            PUSH_STOPPED.trim_end(),
            PUSH_STOPPED_SIGN,
            KEY
        ));
        assert!(!push_signature_ok(PUSH_UPDATED, PUSH_STOPPED_SIGN, KEY));
        // The wrong key, or none.
        assert!(!push_signature_ok(
            PUSH_STOPPED,
            PUSH_STOPPED_SIGN,
            "S3CUR1TY-K3Z"
        ));
        assert!(!push_signature_ok(PUSH_STOPPED, PUSH_STOPPED_SIGN, ""));
        // A garbage header.
        for sign in [
            "",
            "not a signature",
            &PUSH_STOPPED_SIGN[..62],
            &PUSH_STOPPED_SIGN[..63],
            &format!("sha256={PUSH_STOPPED_SIGN}"),
            &format!("{PUSH_STOPPED_SIGN}00"),
        ] {
            assert!(!push_signature_ok(PUSH_STOPPED, sign, KEY), "{sign:?}");
        }
    }
}
