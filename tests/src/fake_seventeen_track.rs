//! A fake of the 17TRACK Tracking API v2.2 on 127.0.0.1, for end-to-end tests, benchmarks and
//! the local demo: `POST /track/v2.2/register` and `POST /track/v2.2/gettrackinfo` with the key
//! in the `17token` header and a JSON array body `[{"number": "…"}]`, answered in 17TRACK's
//! envelope `{"code": 0, "data": {"accepted": [...], "rejected": [...]}}`; scripted journeys
//! (`track_info` with its providers and their events, written relative to now), scripted
//! failures (500, 429 with `Retry-After`, a body that is not JSON, the quota rejections, an
//! invalid number), signed `TRACKING_UPDATED` pushes, and counters of every hit.
//!
//! Written from the 17TRACK API v2.2 documentation, <https://api.17track.net/en/doc?version=v2.2>
//! (register, gettrackinfo, the webhook's content and its `sign` header, the error-code table),
//! with exactly the shapes, error codes and messages of the recorded answers in
//! `edge/fixtures/carriers/17track/` (its unit tests compare them). A number must be registered
//! before gettrackinfo answers about it; the fake tracks a registered number at once, and one with
//! no scripted journey is registered but not tracked yet (`NotFound_Other`, no events).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tiny_http::{Header, Request, Response};

use crate::local_server::{LocalServer, header};

/// The security key the Worker must send in `17token`, and that signs the pushes.
pub const SEVENTEEN_TRACK_KEY: &str = "seventeen-track-test-key";

/// The path the API's calls sit under, as on `api.17track.net`.
const API_PATH: &str = "/track/v2.2";

/// register: the number is registered already.
const ALREADY_REGISTERED: i64 = -18019901;
/// gettrackinfo about a number never registered.
const NOT_REGISTERED: i64 = -18019902;
/// register: no carrier recognises the number.
const CARRIER_NOT_DETECTED: i64 = -18019903;
/// gettrackinfo: the daily limit is used up.
const DAILY_LIMIT: i64 = -18019907;
/// register: the quota is used up.
const QUOTA_USED_UP: i64 = -18019908;
/// The whole request: the `17token` is wrong or missing.
const INVALID_KEY: i64 = -18010002;
/// The whole request: the body is not a list of numbers.
const INVALID_DATA: i64 = -18010013;

/// The carrier 17TRACK detects for a number no journey is scripted for (the fixtures' origin).
const DETECTED: (&str, u32, &str) = ("YunExpress", 190008, "CN");

/// The country every scripted journey is delivered in.
const DESTINATION: &str = "US";

/// What the fake answers about one tracking number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamBehaviour {
    /// Tracked: once registered, gettrackinfo answers it accepted with this journey's
    /// `track_info`.
    Journey(Journey),
    /// 500 with an HTML error page, to register and gettrackinfo.
    ServerError,
    /// 429 with `Retry-After: <seconds>`, to register and gettrackinfo.
    TooMany(u32),
    /// 200 with a body that is not JSON, to register and gettrackinfo.
    Garbage,
    /// Rejected in the envelope: register with `-18019908` (quota used up), gettrackinfo with
    /// `-18019907` (daily limit).
    QuotaExceeded,
    /// An invalid number: register rejects it with `-18019903` (no carrier recognises it), and
    /// gettrackinfo answers it as 17TRACK answers an invalid number, `NotFound_InvalidCode` with no
    /// events.
    Invalid,
}

/// A parcel's journey as 17TRACK tells it: providers (the origin carrier, then the last-mile
/// carrier it was handed over to) and their events, each in its own local time and offset, on
/// whole minutes, written relative to the moment it was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journey {
    /// When it was built (on a whole minute): the time `latest_sync_time` and the metrics use.
    synced_at: DateTime<Utc>,
    /// The providers, origin first.
    legs: Vec<Leg>,
    /// `latest_status.sub_status`: the newest event's, or what 17TRACK says without events.
    sub_status: &'static str,
    /// The last-mile carrier `misc_info` names: name, key, its own number when a new one.
    last_mile: Option<(String, u32, Option<String>)>,
    /// `estimated_delivery_date` `from` and `to`.
    eta: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
}

/// One of a journey's events, as the widget and the API must show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyEvent {
    /// Its local time, `YYYY-MM-DDTHH:MM:SS`, as 17TRACK gives it.
    pub local_time: String,
    /// Its UTC offset as 17TRACK gives it (`+08:00`, `-05:00`).
    pub offset: String,
    /// Its description.
    pub description: String,
    /// The name of the provider that reported it.
    pub provider: String,
}

/// A provider and its events, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Leg {
    name: String,
    key: u32,
    country: String,
    scans: Vec<Scan>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Scan {
    at: DateTime<FixedOffset>,
    description: String,
    place: Place,
    stage: &'static str,
    sub_status: &'static str,
}

/// Where an event happened: the free-text `location` and the `address` parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    location: &'static str,
    city: Option<&'static str>,
    state: Option<&'static str>,
    country: Option<&'static str>,
    postal_code: Option<&'static str>,
}

const NOWHERE: Place = Place {
    location: "",
    city: None,
    state: None,
    country: None,
    postal_code: None,
};
const SHENZHEN: Place = Place {
    location: "Shenzhen, CN",
    city: Some("Shenzhen"),
    state: Some("Guangdong"),
    country: Some("CN"),
    postal_code: None,
};
const LOS_ANGELES: Place = Place {
    location: "LOS ANGELES, CA, US",
    city: Some("Los Angeles"),
    state: Some("CA"),
    country: Some("US"),
    postal_code: None,
};
const LOS_ANGELES_FACILITY: Place = Place {
    location: "LOS ANGELES CA NETWORK DISTRIBUTION CENTER",
    ..LOS_ANGELES
};
const COLUMBUS: Place = Place {
    location: "COLUMBUS OH DISTRIBUTION CENTER",
    city: Some("Columbus"),
    state: Some("OH"),
    country: Some("US"),
    postal_code: None,
};
const WORTHINGTON: Place = Place {
    location: "WORTHINGTON, OH 43085",
    city: Some("Worthington"),
    state: Some("OH"),
    country: Some("US"),
    postal_code: Some("43085"),
};

/// One event of a journey's plan: minutes before now, UTC offset in hours, description
/// (`{carrier}` is the provider's name), place, stage, sub-status.
type Step = (i64, i32, &'static str, Place, &'static str, &'static str);

/// The origin carrier in Shenzhen, for a parcel handed over (about 8 to 6 days ago).
#[rustfmt::skip]
const ORIGIN: [Step; 5] = [
    (11_700, 8, "Shipment information received", NOWHERE, "InfoReceived", "InfoReceived"),
    (10_920, 8, "Parcel picked up by {carrier}", SHENZHEN, "PickedUp", "InTransit_PickedUp"),
    (9_960, 8, "Departed from sorting center", SHENZHEN, "Departure", "InTransit_Other"),
    (9_180, 8, "Export customs clearance completed", SHENZHEN, "Departure", "InTransit_CustomsReleased"),
    (8_280, 8, "Departed from airport of origin", SHENZHEN, "Departure", "InTransit_Departure"),
];

/// The origin carrier in the US, about 3 days ago, before the hand-over (its own step).
#[rustfmt::skip]
const ARRIVAL: [Step; 2] = [
    (4_440, -8, "Arrived at destination airport", LOS_ANGELES, "Arrival", "InTransit_Arrival"),
    (4_080, -8, "Import customs clearance completed", LOS_ANGELES, "Arrival", "InTransit_CustomsReleased"),
];

/// When and where the origin carrier hands the parcel over.
const HAND_OVER: (i64, i32, Place) = (3_720, -8, LOS_ANGELES);

/// The last-mile carrier, from Los Angeles (UTC−8) to Ohio (UTC−5), out for delivery today.
#[rustfmt::skip]
const LAST_MILE: [Step; 5] = [
    (3_480, -8, "Accepted at {carrier} Regional Origin Facility", LOS_ANGELES_FACILITY, "PickedUp", "InTransit_PickedUp"),
    (2_940, -8, "Departed {carrier} Regional Facility", LOS_ANGELES_FACILITY, "Departure", "InTransit_Departure"),
    (1_080, -5, "Arrived at {carrier} Regional Destination Facility", COLUMBUS, "Arrival", "InTransit_Arrival"),
    (360, -5, "Arrived at delivery facility", WORTHINGTON, "Arrival", "InTransit_Arrival"),
    (120, -5, "Out for Delivery", WORTHINGTON, "OutForDelivery", "OutForDelivery_Other"),
];

/// A single carrier still in China, its newest event this morning or last night.
#[rustfmt::skip]
const IN_TRANSIT: [Step; 5] = [
    (5_520, 8, "Shipment information received", NOWHERE, "InfoReceived", "InfoReceived"),
    (4_680, 8, "Parcel picked up by {carrier}", SHENZHEN, "PickedUp", "InTransit_PickedUp"),
    (3_720, 8, "Departed from sorting center", SHENZHEN, "Departure", "InTransit_Other"),
    (2_760, 8, "Export customs clearance completed", SHENZHEN, "Departure", "InTransit_CustomsReleased"),
    (840, 8, "Departed from airport of origin", SHENZHEN, "Departure", "InTransit_Departure"),
];

impl Journey {
    /// A parcel handed over: the origin provider (`name`, 17TRACK key, country) in Shenzhen at
    /// UTC+8 (information received about 8 days ago, picked up, customs export about 6 days ago),
    /// arrived in the US about 3 days ago and handed over there to the last-mile provider (`name`,
    /// key, its own tracking number when it gives a new one), which takes it from Los Angeles
    /// (UTC−8) to Ohio (UTC−5) and has it out for delivery today. `latest_status` is
    /// `OutForDelivery`, `misc_info` names the last mile, the ETA is today.
    pub fn handed_over(
        origin_provider: (&str, u32, &str),
        last_mile: (&str, u32, Option<&str>),
    ) -> Journey {
        let synced_at = now_on_the_minute();
        let (origin_name, _, _) = origin_provider;
        let (last_name, last_key, local_number) = last_mile;
        let mut origin_scans = scans(synced_at, &ORIGIN, origin_name);
        origin_scans.extend(scans(synced_at, &ARRIVAL, origin_name));
        let description = match local_number {
            Some(number) => {
                format!("Handed over to last-mile carrier, tracking number {number}")
            }
            None => "Handed over to last-mile carrier".to_owned(),
        };
        let (minutes_ago, offset, place) = HAND_OVER;
        origin_scans.push(scan(
            synced_at,
            (minutes_ago, offset, "", place, "Arrival", "InTransit_Other"),
            description,
        ));
        let legs = vec![
            leg(origin_provider, origin_scans),
            leg(
                (last_name, last_key, DESTINATION),
                scans(synced_at, &LAST_MILE, last_name),
            ),
        ];
        let today = local(synced_at, -5).date_naive();
        Journey::new(
            synced_at,
            legs,
            Some((
                last_name.to_owned(),
                last_key,
                local_number.map(str::to_owned),
            )),
            Some((today, today)),
        )
    }

    /// A parcel with one provider (`name`, 17TRACK key, country), still in Shenzhen at UTC+8:
    /// information received about 4 days ago, departed from the airport of origin 14 hours ago.
    /// `latest_status` is `InTransit`, no last mile, the ETA 4 to 8 days from now.
    pub fn in_transit(provider: (&str, u32, &str)) -> Journey {
        let synced_at = now_on_the_minute();
        let (name, _, _) = provider;
        let legs = vec![leg(provider, scans(synced_at, &IN_TRANSIT, name))];
        let today = local(synced_at, -5).date_naive();
        Journey::new(
            synced_at,
            legs,
            None,
            Some((today + TimeDelta::days(4), today + TimeDelta::days(8))),
        )
    }

    /// What 17TRACK answers about a registered number it has nothing tracked for: the detected
    /// carrier without events, `latest_status.sub_status` = `sub_status`.
    fn untracked(sub_status: &'static str) -> Journey {
        Journey {
            synced_at: now_on_the_minute(),
            legs: vec![leg(DETECTED, Vec::new())],
            sub_status,
            last_mile: None,
            eta: None,
        }
    }

    /// A journey whose `latest_status` is its newest event's.
    fn new(
        synced_at: DateTime<Utc>,
        mut legs: Vec<Leg>,
        last_mile: Option<(String, u32, Option<String>)>,
        eta: Option<(NaiveDate, NaiveDate)>,
    ) -> Journey {
        for leg in &mut legs {
            leg.scans.sort_by_key(|scan| Reverse(scan.at));
        }
        let midnight = |date: NaiveDate| {
            date.and_time(NaiveTime::MIN)
                .and_local_timezone(offset(-5))
                .single()
                .expect("a fixed offset has every local time")
        };
        let mut journey = Journey {
            synced_at,
            legs,
            sub_status: "",
            last_mile,
            eta: eta.map(|(from, to)| (midnight(from), midnight(to))),
        };
        journey.sub_status = journey
            .newest()
            .map_or("NotFound_Other", |newest| newest.sub_status);
        journey
    }

    /// Its events, newest first across providers.
    pub fn events(&self) -> Vec<JourneyEvent> {
        self.scans_newest_first()
            .into_iter()
            .map(|(leg, scan)| JourneyEvent {
                local_time: scan.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                offset: scan.at.format("%:z").to_string(),
                description: scan.description.clone(),
                provider: leg.name.clone(),
            })
            .collect()
    }

    /// The 17TRACK key of the carrier the number is registered with (the origin provider).
    fn carrier(&self) -> u32 {
        self.legs.first().map_or(DETECTED.1, |leg| leg.key)
    }

    fn scans_newest_first(&self) -> Vec<(&Leg, &Scan)> {
        let mut all: Vec<(&Leg, &Scan)> = self
            .legs
            .iter()
            .flat_map(|leg| leg.scans.iter().map(move |scan| (leg, scan)))
            .collect();
        all.sort_by_key(|(_, scan)| Reverse(scan.at));
        all
    }

    fn newest(&self) -> Option<&Scan> {
        self.scans_newest_first().first().map(|(_, scan)| *scan)
    }

    /// Its `track_info`, as gettrackinfo and the push carry it.
    pub fn to_track_info(&self) -> Value {
        let synced = self.synced_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let days_since = |scan: Option<&Scan>| {
            scan.map_or(0, |scan| {
                (self.synced_at - scan.at.with_timezone(&Utc)).num_days()
            })
        };
        let oldest = self.scans_newest_first().last().map(|(_, scan)| *scan);
        let (local_number, local_provider, local_key) = match &self.last_mile {
            Some((name, key, number)) => (json!(number), json!(name), *key),
            None => (Value::Null, Value::Null, 0),
        };
        let (eta_source, eta_from, eta_to) = match &self.eta {
            Some((from, to)) => (json!("17TRACK"), json!(iso(from)), json!(iso(to))),
            None => (Value::Null, Value::Null, Value::Null),
        };
        let origin_country = self.legs.first().map(|leg| leg.country.as_str());
        let providers: Vec<Value> = self
            .legs
            .iter()
            .map(|leg| {
                json!({
                    "provider": {
                        "key": leg.key,
                        "name": leg.name,
                        "alias": leg.name,
                        "tel": null,
                        "homepage": null,
                        "country": leg.country,
                    },
                    "service_type": null,
                    "latest_sync_status": "Success",
                    "latest_sync_time": synced,
                    "events_hash": 0,
                    "events": leg.scans.iter().map(event).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "shipping_info": {
                "shipper_address": address(origin_country, None, None, None),
                "recipient_address": address(Some(DESTINATION), None, None, None),
            },
            "latest_status": {
                "status": self.sub_status.split('_').next(),
                "sub_status": self.sub_status,
                "sub_status_descr": null,
            },
            "latest_event": self.newest().map(event),
            "time_metrics": {
                "days_after_order": days_since(oldest),
                "days_of_transit": days_since(oldest),
                "days_of_transit_done": 0,
                "days_after_last_update": days_since(self.newest()),
                "estimated_delivery_date": { "source": eta_source, "from": eta_from, "to": eta_to },
            },
            "milestone": [],
            "misc_info": {
                "risk_factor": 0,
                "service_type": null,
                "weight_raw": null,
                "weight_kg": null,
                "pieces": null,
                "dimensions": null,
                "customer_number": null,
                "reference_number": null,
                "local_number": local_number,
                "local_provider": local_provider,
                "local_key": local_key,
            },
            "tracking": { "providers_hash": 0, "providers": providers },
        })
    }
}

/// Now, cut down to the whole minute.
fn now_on_the_minute() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp() - now.timestamp().rem_euclid(60), 0)
        .expect("now is a valid time")
}

fn offset(hours: i32) -> FixedOffset {
    FixedOffset::east_opt(hours * 3600).expect("a valid offset")
}

fn local(at: DateTime<Utc>, offset_hours: i32) -> DateTime<FixedOffset> {
    at.with_timezone(&offset(offset_hours))
}

fn iso(at: &DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn leg((name, key, country): (&str, u32, &str), scans: Vec<Scan>) -> Leg {
    Leg {
        name: name.to_owned(),
        key,
        country: country.to_owned(),
        scans,
    }
}

/// The events of `steps`, reported by `carrier`, relative to `synced_at`.
fn scans(synced_at: DateTime<Utc>, steps: &[Step], carrier: &str) -> Vec<Scan> {
    steps
        .iter()
        .map(|step| scan(synced_at, *step, step.2.replace("{carrier}", carrier)))
        .collect()
}

fn scan(
    synced_at: DateTime<Utc>,
    (minutes_ago, offset_hours, _, place, stage, sub_status): Step,
    description: String,
) -> Scan {
    Scan {
        at: local(synced_at - TimeDelta::minutes(minutes_ago), offset_hours),
        description,
        place,
        stage,
        sub_status,
    }
}

/// An event as 17TRACK writes it.
fn event(scan: &Scan) -> Value {
    let place = scan.place;
    json!({
        "time_iso": iso(&scan.at),
        "time_utc": scan.at.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "time_raw": {
            "date": scan.at.format("%Y-%m-%d").to_string(),
            "time": scan.at.format("%H:%M:%S").to_string(),
            "timezone": scan.at.format("%:z").to_string(),
        },
        "description": scan.description,
        "location": place.location,
        "stage": scan.stage,
        "sub_status": scan.sub_status,
        "address": address(place.country, place.state, place.city, place.postal_code),
    })
}

fn address(
    country: Option<&str>,
    state: Option<&str>,
    city: Option<&str>,
    postal_code: Option<&str>,
) -> Value {
    json!({
        "country": country,
        "state": state,
        "city": city,
        "street": null,
        "postal_code": postal_code,
        "coordinates": { "longitude": null, "latitude": null },
    })
}

#[derive(Default)]
struct State {
    behaviours: HashMap<String, UpstreamBehaviour>,
    registered: HashSet<String>,
    register_hits: HashMap<String, usize>,
    track_hits: HashMap<String, usize>,
}

impl State {
    /// The journey gettrackinfo or a push tells about `number`, registered: the scripted one,
    /// else 17TRACK's answer for a number it has nothing for (invalid, or not tracked yet).
    fn journey(&self, number: &str) -> Journey {
        match self.behaviours.get(number) {
            Some(UpstreamBehaviour::Journey(journey)) => journey.clone(),
            Some(UpstreamBehaviour::Invalid) => Journey::untracked("NotFound_InvalidCode"),
            _ => Journey::untracked("NotFound_Other"),
        }
    }

    /// The failure scripted for any of `numbers`, answering the whole request.
    fn failure(&self, numbers: &[String]) -> Option<Failure> {
        numbers
            .iter()
            .find_map(|number| match self.behaviours.get(number)? {
                UpstreamBehaviour::ServerError => Some(Failure::ServerError),
                UpstreamBehaviour::TooMany(seconds) => Some(Failure::TooMany(*seconds)),
                UpstreamBehaviour::Garbage => Some(Failure::Garbage),
                _ => None,
            })
    }

    fn register(&mut self, number: &str) -> Result<Value, (i64, String)> {
        match self.behaviours.get(number) {
            Some(UpstreamBehaviour::QuotaExceeded) => {
                Err((QUOTA_USED_UP, "Your quotas have run out.".into()))
            }
            Some(UpstreamBehaviour::Invalid) => Err((
                CARRIER_NOT_DETECTED,
                "The carrier cannot be detected, please visit https://res.17track.net/asset/carrier/info/apicarrier.all.json for the carrier code and send it as the parameter.".into(),
            )),
            _ if self.registered.contains(number) => Err((
                ALREADY_REGISTERED,
                format!("Tracking number {number} is already registered."),
            )),
            _ => {
                self.registered.insert(number.to_owned());
                Ok(json!({
                "origin": 1,
                "number": number,
                "carrier": self.journey(number).carrier(),
                "email": null,
                "tag": null,
                "lang": null,
                }))
            }
        }
    }

    fn track(&self, number: &str) -> Result<Value, (i64, String)> {
        match self.behaviours.get(number) {
            Some(UpstreamBehaviour::QuotaExceeded) => Err((
                DAILY_LIMIT,
                "Tracking amount exceeds your daily limit.".into(),
            )),
            Some(UpstreamBehaviour::Invalid) => Ok(accepted(number, &self.journey(number))),
            _ if !self.registered.contains(number) => Err((
                NOT_REGISTERED,
                format!("Tracking number {number} is not registered yet. Please register first."),
            )),
            _ => Ok(accepted(number, &self.journey(number))),
        }
    }
}

/// An accepted number with its `track_info` (a push's `data` has the same shape).
fn accepted(number: &str, journey: &Journey) -> Value {
    json!({
        "number": number,
        "carrier": journey.carrier(),
        "param": null,
        "tag": null,
        "track_info": journey.to_track_info(),
    })
}

/// A scripted failure that answers a whole request.
enum Failure {
    ServerError,
    TooMany(u32),
    Garbage,
}

/// A running fake 17TRACK; stopped when dropped.
pub struct FakeSeventeenTrack {
    base: String,
    state: Arc<Mutex<State>>,
    /// Serving while the fake lives; dropping it stops the server.
    _server: LocalServer,
}

impl FakeSeventeenTrack {
    /// Starts on a free port of 127.0.0.1.
    pub fn start() -> Result<FakeSeventeenTrack, String> {
        let mut server = LocalServer::bind("the fake 17TRACK")?;
        let state = Arc::new(Mutex::new(State::default()));
        server.serve(Arc::clone(&state), answer);
        Ok(FakeSeventeenTrack {
            base: format!("http://127.0.0.1:{}", server.port),
            state,
            _server: server,
        })
    }

    /// `http://127.0.0.1:<port>`; the API is under `/track/v2.2`.
    pub fn base_url(&self) -> String {
        self.base.clone()
    }

    /// The Worker variables that point the aggregator at this fake, with its key:
    /// `SEVENTEEN_TRACK_BASE_URL` (`{base}/track/v2.2`) and `SEVENTEEN_TRACK_API_KEY`.
    pub fn worker_vars(&self) -> Vec<(String, String)> {
        vec![
            (
                "SEVENTEEN_TRACK_BASE_URL".into(),
                format!("{}{API_PATH}", self.base),
            ),
            ("SEVENTEEN_TRACK_API_KEY".into(), SEVENTEEN_TRACK_KEY.into()),
        ]
    }

    /// What to answer about `number` from now on (an unscripted number is registered and
    /// answered as not tracked yet).
    pub fn script(&self, number: &str, behaviour: UpstreamBehaviour) {
        lock(&self.state)
            .behaviours
            .insert(number.into(), behaviour);
    }

    /// register calls that listed `number`.
    pub fn register_hits(&self, number: &str) -> usize {
        lock(&self.state)
            .register_hits
            .get(number)
            .copied()
            .unwrap_or(0)
    }

    /// gettrackinfo calls that asked about `number`.
    pub fn track_hits(&self, number: &str) -> usize {
        lock(&self.state)
            .track_hits
            .get(number)
            .copied()
            .unwrap_or(0)
    }

    /// Numbers listed in register calls, every number counted.
    pub fn all_register_hits(&self) -> usize {
        lock(&self.state).register_hits.values().sum()
    }

    /// The `TRACKING_UPDATED` push 17TRACK sends about `number`: its scripted journey (or, for a
    /// number without one, its not-tracked-yet or invalid `track_info`). Send it with the header
    /// `sign: {FakeSeventeenTrack::sign(&body)}`.
    pub fn push_body(&self, number: &str) -> String {
        let journey = lock(&self.state).journey(number);
        json!({ "event": "TRACKING_UPDATED", "data": accepted(number, &journey) }).to_string()
    }

    /// A push's `sign` header: the lower-case hex SHA-256 of the raw body, `/`, and the key.
    pub fn sign(body: &str) -> String {
        Sha256::new()
            .chain_update(body.as_bytes())
            .chain_update(b"/")
            .chain_update(SEVENTEEN_TRACK_KEY.as_bytes())
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Which call a request is.
enum Endpoint {
    Register,
    TrackInfo,
}

fn answer(mut request: Request, state: &Mutex<State>) {
    let mut body = String::new();
    if request.as_reader().read_to_string(&mut body).is_err() {
        return respond(request, 400, "text/plain", "unreadable body".into());
    }
    let url = request.url().to_owned();
    let path = url.split('?').next().unwrap_or_default();
    let endpoint = match (request.method().as_str(), path.strip_prefix(API_PATH)) {
        ("POST", Some("/register")) => Endpoint::Register,
        ("POST", Some("/gettrackinfo")) => Endpoint::TrackInfo,
        _ => return respond(request, 404, "text/plain", format!("no route {path}")),
    };
    let numbers = numbers(&body);
    {
        let mut state = lock(state);
        let hits = match endpoint {
            Endpoint::Register => &mut state.register_hits,
            Endpoint::TrackInfo => &mut state.track_hits,
        };
        for number in numbers.iter().flatten() {
            *hits.entry(number.clone()).or_default() += 1;
        }
    }
    if header(&request, "17token").as_deref() != Some(SEVENTEEN_TRACK_KEY) {
        let refusal = whole_refusal(INVALID_KEY, "Invalid security key.");
        return respond(request, 401, "application/json", refusal);
    }
    let Some(numbers) = numbers else {
        let refusal = whole_refusal(INVALID_DATA, "Submitted data is invalid.");
        return respond(request, 200, "application/json", refusal);
    };
    let outcome = {
        let mut state = lock(state);
        match state.failure(&numbers) {
            Some(failure) => Err(failure),
            None => {
                let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
                for number in &numbers {
                    let said = match endpoint {
                        Endpoint::Register => state.register(number),
                        Endpoint::TrackInfo => state.track(number),
                    };
                    match said {
                        Ok(item) => accepted.push(item),
                        Err((code, message)) => rejected.push(json!({
                            "number": number,
                            "error": { "code": code, "message": message },
                        })),
                    }
                }
                Ok((accepted, rejected))
            }
        }
    };
    match outcome {
        Ok((accepted, rejected)) => {
            let envelope =
                json!({ "code": 0, "data": { "accepted": accepted, "rejected": rejected } });
            respond(request, 200, "application/json", envelope.to_string());
        }
        Err(Failure::ServerError) => respond(
            request,
            500,
            "text/html",
            "<html><body><h1>500 Internal Server Error</h1></body></html>".into(),
        ),
        Err(Failure::TooMany(seconds)) => {
            let mut response = Response::from_string("Too Many Requests").with_status_code(429);
            if let Ok(header) = Header::from_bytes("Retry-After", seconds.to_string()) {
                response.add_header(header);
            }
            let _ = request.respond(response);
        }
        Err(Failure::Garbage) => respond(
            request,
            200,
            "application/json",
            r#"{"code":0,"data":{"accepted":[{"number":"#.into(),
        ),
    }
}

/// The numbers a request body lists (`[{"number": "…"}, ...]`); `None` when it is not such a list.
fn numbers(body: &str) -> Option<Vec<String>> {
    let items: Vec<Value> = serde_json::from_str(body).ok()?;
    items
        .iter()
        .map(|item| item.get("number")?.as_str().map(str::to_owned))
        .collect()
}

/// 17TRACK's answer refusing a whole request.
fn whole_refusal(code: i64, message: &str) -> String {
    json!({ "code": code, "data": { "errors": [{ "code": code, "message": message }] } })
        .to_string()
}

fn respond(request: Request, status: u16, content_type: &str, body: String) {
    let mut response = Response::from_string(body).with_status_code(status);
    if let Ok(header) = Header::from_bytes("Content-Type", content_type) {
        response.add_header(header);
    }
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Client, Reply};
    use crate::server::workspace_root;

    const NUMBER: &str = "YT2431521063015678";
    const USPS_NUMBER: &str = "9261290312345678901234";

    /// POSTs `[{"number": number}]` to `endpoint` with `token` (none when `None`).
    fn call(fake: &FakeSeventeenTrack, endpoint: &str, number: &str, token: Option<&str>) -> Reply {
        let client = Client::new(&fake.base_url());
        let call = client.post(&format!("{API_PATH}/{endpoint}"));
        let call = match token {
            Some(token) => call.header("17token", token),
            None => call,
        };
        call.json(&json!([{ "number": number }]))
            .send()
            .expect("the fake answers")
    }

    fn register(fake: &FakeSeventeenTrack, number: &str) -> Value {
        let reply = call(fake, "register", number, Some(SEVENTEEN_TRACK_KEY));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    }

    fn track(fake: &FakeSeventeenTrack, number: &str) -> Value {
        let reply = call(fake, "gettrackinfo", number, Some(SEVENTEEN_TRACK_KEY));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    }

    fn fixture(name: &str) -> Value {
        let path = workspace_root().join(format!("edge/fixtures/carriers/17track/{name}.json"));
        let text = std::fs::read_to_string(&path).expect("the fixture is there");
        serde_json::from_str(&text).expect("the fixture is JSON")
    }

    /// Where `ours` departs from the shape of `recorded`: the same keys in every object, the same
    /// kind of value where both are non-null, every element of a list shaped as the recorded
    /// list's first.
    fn shape_errors(path: &str, ours: &Value, recorded: &Value, errors: &mut Vec<String>) {
        match (ours, recorded) {
            (Value::Null, _) | (_, Value::Null) => {}
            (Value::Object(ours), Value::Object(recorded)) => {
                let mut keys: Vec<&String> = ours.keys().chain(recorded.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys {
                    match (ours.get(key), recorded.get(key)) {
                        (Some(a), Some(b)) => shape_errors(&format!("{path}.{key}"), a, b, errors),
                        (Some(_), None) => errors.push(format!("{path}.{key} is not recorded")),
                        (None, _) => errors.push(format!("{path}.{key} is missing")),
                    }
                }
            }
            (Value::Array(ours), Value::Array(recorded)) => {
                if let Some(first) = recorded.first() {
                    for (i, item) in ours.iter().enumerate() {
                        shape_errors(&format!("{path}[{i}]"), item, first, errors);
                    }
                }
            }
            (a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => {}
            (a, b) => errors.push(format!("{path}: {a} where the recording has {b}")),
        }
    }

    fn assert_shaped_as(ours: &Value, recorded: &str) {
        let mut errors = Vec::new();
        shape_errors("", ours, &fixture(recorded), &mut errors);
        assert!(
            errors.is_empty(),
            "not shaped as {recorded}.json: {errors:#?}"
        );
    }

    fn usps_journey() -> Journey {
        Journey::handed_over(
            ("YunExpress", 190008, "CN"),
            ("USPS", 21051, Some(USPS_NUMBER)),
        )
    }

    #[test]
    fn an_unregistered_number_is_rejected_until_registered() {
        let fake = FakeSeventeenTrack::start().unwrap();
        fake.script(NUMBER, UpstreamBehaviour::Journey(usps_journey()));
        let answer = track(&fake, NUMBER);
        assert_eq!(answer, fixture("not_registered"));
        assert_eq!(
            answer["data"]["rejected"][0]["error"]["code"],
            NOT_REGISTERED
        );
        register(&fake, NUMBER);
        assert_eq!(
            track(&fake, NUMBER)["data"]["accepted"][0]["number"],
            NUMBER
        );
    }

    #[test]
    fn a_registered_journey_answers_with_both_providers() {
        let fake = FakeSeventeenTrack::start().unwrap();
        let journey = usps_journey();
        fake.script(NUMBER, UpstreamBehaviour::Journey(journey.clone()));
        let registered = register(&fake, NUMBER);
        assert_eq!(registered, fixture("registered"));
        let mut errors = Vec::new();
        shape_errors("", &registered, &fixture("handed_over"), &mut errors);
        assert!(!errors.is_empty(), "the shape check tells shapes apart");

        let answer = track(&fake, NUMBER);
        assert_shaped_as(&answer, "handed_over");
        let info = &answer["data"]["accepted"][0]["track_info"];
        assert_eq!(info, &journey.to_track_info());
        let providers = info["tracking"]["providers"].as_array().unwrap();
        let names: Vec<&Value> = providers.iter().map(|p| &p["provider"]["name"]).collect();
        assert_eq!(names, ["YunExpress", "USPS"]);
        assert_eq!(info["latest_status"]["status"], "OutForDelivery");
        assert_eq!(info["latest_status"]["sub_status"], "OutForDelivery_Other");
        assert_eq!(info["latest_event"]["description"], "Out for Delivery");
        assert_eq!(info["misc_info"]["local_number"], USPS_NUMBER);
        assert_eq!(info["misc_info"]["local_provider"], "USPS");
        assert_eq!(info["misc_info"]["local_key"], 21051);

        // Every event the tests will look for is in the answer, in its own local time.
        let events = journey.events();
        assert_eq!(events.len(), 13);
        assert_eq!(events[0].description, "Out for Delivery");
        assert_eq!(events[0].provider, "USPS");
        assert_eq!(events[0].offset, "-05:00");
        let oldest = events.last().unwrap();
        assert_eq!(oldest.description, "Shipment information received");
        assert_eq!(oldest.offset, "+08:00");
        let listed: Vec<(String, String)> = providers
            .iter()
            .flat_map(|p| p["events"].as_array().unwrap())
            .map(|e| {
                let raw = &e["time_raw"];
                let local = format!(
                    "{}T{}",
                    raw["date"].as_str().unwrap(),
                    raw["time"].as_str().unwrap()
                );
                (local, raw["timezone"].as_str().unwrap().to_owned())
            })
            .collect();
        for event in &events {
            assert!(
                event.local_time.ends_with(":00"),
                "{event:?} is not on a whole minute"
            );
            let at = (event.local_time.clone(), event.offset.clone());
            assert!(listed.contains(&at), "{event:?} is not in the answer");
        }

        let again = register(&fake, NUMBER);
        assert_eq!(again, fixture("already_registered"));
        assert_eq!(
            again["data"]["rejected"][0]["error"]["code"],
            ALREADY_REGISTERED
        );
    }

    #[test]
    fn a_single_provider_journey_is_in_transit_without_a_last_mile() {
        let fake = FakeSeventeenTrack::start().unwrap();
        fake.script(
            NUMBER,
            UpstreamBehaviour::Journey(Journey::in_transit(("YunExpress", 190008, "CN"))),
        );
        register(&fake, NUMBER);
        let answer = track(&fake, NUMBER);
        assert_shaped_as(&answer, "in_transit");
        let info = &answer["data"]["accepted"][0]["track_info"];
        assert_eq!(info["tracking"]["providers"].as_array().unwrap().len(), 1);
        assert_eq!(info["latest_status"]["sub_status"], "InTransit_Departure");
        assert_eq!(info["misc_info"]["local_key"], 0);
        assert!(info["time_metrics"]["estimated_delivery_date"]["from"].is_string());
    }

    #[test]
    fn an_unscripted_registered_number_is_not_tracked_yet() {
        let fake = FakeSeventeenTrack::start().unwrap();
        register(&fake, NUMBER);
        let answer = track(&fake, NUMBER);
        assert_shaped_as(&answer, "not_yet_tracked");
        let info = &answer["data"]["accepted"][0]["track_info"];
        assert_eq!(info["latest_status"]["status"], "NotFound");
        assert_eq!(info["latest_status"]["sub_status"], "NotFound_Other");
        assert!(info["latest_event"].is_null());
        let providers = info["tracking"]["providers"].as_array().unwrap();
        assert!(
            providers
                .iter()
                .all(|p| p["events"].as_array().unwrap().is_empty())
        );
    }

    #[test]
    fn a_wrong_or_missing_token_is_refused() {
        let fake = FakeSeventeenTrack::start().unwrap();
        for token in [Some("not-the-key"), None] {
            for endpoint in ["register", "gettrackinfo"] {
                let reply = call(&fake, endpoint, NUMBER, token);
                assert_eq!(reply.status, 401, "{endpoint} with {token:?}");
                assert_eq!(reply.json()["code"], INVALID_KEY);
                assert_eq!(reply.json()["data"]["errors"][0]["code"], INVALID_KEY);
            }
        }
        // Refused calls registered nothing.
        assert_eq!(track(&fake, NUMBER), fixture("not_registered"));
    }

    #[test]
    fn counters_count_each_number_asked_about() {
        let fake = FakeSeventeenTrack::start().unwrap();
        let other = "YT2431521063015679";
        register(&fake, NUMBER);
        register(&fake, NUMBER);
        register(&fake, other);
        track(&fake, NUMBER);
        call(&fake, "gettrackinfo", NUMBER, Some("wrong"));
        assert_eq!(fake.register_hits(NUMBER), 2);
        assert_eq!(fake.register_hits(other), 1);
        assert_eq!(fake.all_register_hits(), 3);
        assert_eq!(fake.track_hits(NUMBER), 2);
        assert_eq!(fake.track_hits(other), 0);
    }

    #[test]
    fn scripted_failures_answer_as_documented() {
        let fake = FakeSeventeenTrack::start().unwrap();
        fake.script(NUMBER, UpstreamBehaviour::QuotaExceeded);
        assert_eq!(register(&fake, NUMBER), fixture("register_quota"));
        assert_eq!(track(&fake, NUMBER), fixture("quota_exceeded"));

        let invalid = "ZX0000000000";
        fake.script(invalid, UpstreamBehaviour::Invalid);
        assert_eq!(register(&fake, invalid), fixture("register_invalid"));
        let answer = track(&fake, invalid);
        assert_shaped_as(&answer, "invalid_number");
        let status = &answer["data"]["accepted"][0]["track_info"]["latest_status"];
        assert_eq!(status["sub_status"], "NotFound_InvalidCode");

        let failing = "YT0000000000000001";
        fake.script(failing, UpstreamBehaviour::ServerError);
        assert_eq!(
            call(&fake, "register", failing, Some(SEVENTEEN_TRACK_KEY)).status,
            500
        );
        fake.script(failing, UpstreamBehaviour::TooMany(7));
        let reply = call(&fake, "gettrackinfo", failing, Some(SEVENTEEN_TRACK_KEY));
        assert_eq!(
            (reply.status, reply.header("retry-after")),
            (429, Some("7"))
        );
        fake.script(failing, UpstreamBehaviour::Garbage);
        let reply = call(&fake, "gettrackinfo", failing, Some(SEVENTEEN_TRACK_KEY));
        assert_eq!(reply.status, 200);
        assert!(serde_json::from_slice::<Value>(&reply.body).is_err());
    }

    #[test]
    fn the_push_is_the_documented_update_signed_with_the_key() {
        let fake = FakeSeventeenTrack::start().unwrap();
        let journey = usps_journey();
        fake.script(NUMBER, UpstreamBehaviour::Journey(journey.clone()));
        let body = fake.push_body(NUMBER);
        let push: Value = serde_json::from_str(&body).unwrap();
        assert_shaped_as(&push, "push_updated");
        assert_eq!(push["event"], "TRACKING_UPDATED");
        assert_eq!(push["data"]["number"], NUMBER);
        assert_eq!(push["data"]["track_info"], journey.to_track_info());
        // sha256sum of `{"event":"TRACKING_STOPPED"}/seventeen-track-test-key`.
        assert_eq!(
            FakeSeventeenTrack::sign(r#"{"event":"TRACKING_STOPPED"}"#),
            "f8001581a32fe9b620ff7675a7cac7b92b3899975f0578523ba28e2ae05dde9c"
        );
    }

    #[test]
    fn worker_vars_point_at_the_api_path() {
        let fake = FakeSeventeenTrack::start().unwrap();
        let vars = fake.worker_vars();
        let url = format!("{}/track/v2.2", fake.base_url());
        assert!(vars.contains(&("SEVENTEEN_TRACK_BASE_URL".into(), url)));
        assert!(vars.contains(&("SEVENTEEN_TRACK_API_KEY".into(), SEVENTEEN_TRACK_KEY.into())));
    }
}
