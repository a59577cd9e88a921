//! `cargo xtask bench scale` (and part of `cargo xtask bench`): one big shop in local D1.
//!
//! Seeds [`LARGE`] shipments of one shop (each with one event and its order, a sample with eight
//! events) straight into a fresh local D1 database with `wrangler d1 execute` while no Worker
//! runs on it, then starts the Worker on it and prints: the tracking look-up's p50 at [`SMALL`]
//! shipments (its own database) against [`LARGE`]; the "needs attention" first page and the
//! counts; how many requests listing every stalled shipment takes; one Cron Trigger pass; the
//! database file's size. A third database holds [`SIZE_SHIPMENTS`] shipments with eight events
//! each for the bytes a typical shipment costs, and the capacity of one 10 GB D1 database.
//!
//! Rows are written by SQL, not through the API, so each row's health schedule is computed here
//! with the shared crate's rules ([`HealthSchedule::of`]) for a small set of row templates, as the
//! Worker computes it (`edge/src/service/projection.rs`: carrier ETA on every row, so it is the
//! ETA in force). The shop and its keys are rows too, in the Worker's key format
//! (`edge/src/service/auth.rs`); the first request checks they are accepted.
//!
//! Prints figures; nothing it measures fails the run.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use waypost_shared::eta::{EtaSource, EtaWindow, TransitRange};
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::health::{Health, HealthSchedule, Route, Scope, ServiceLevel};
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::EventTime;
use waypost_tests::server::free_port;
use waypost_tests::{Client, EdgeServer, Mode};

use crate::toolchain::edge_dir;

/// Shipments of the small database the look-up is compared against.
const SMALL: u64 = 1_000;
/// Shipments of the big shop.
const LARGE: u64 = 1_000_000;
/// Shipments (eight events each) of the database that measures a typical shipment's bytes.
const SIZE_SHIPMENTS: u64 = 20_000;
/// Events of a typical shipment.
const EVENTS: usize = 8;
/// Rows pick their template by `number % SLOTS`; template weights add up to it.
const SLOTS: u64 = 1000;
/// The looked-up numbers: every `SAMPLE_STEP`th of the first [`SMALL`], so both databases hold
/// the very same rows; each has all [`EVENTS`] events.
const SAMPLE_STEP: u64 = 20;
/// Timed look-ups, after [`WARM_UP`] untimed ones.
const LOOKUPS: usize = 200;
const WARM_UP: usize = 20;
/// Timed requests of the list's first page and of the counts.
const LIST_REQUESTS: usize = 30;
/// The list's page size.
const PAGE: u64 = 100;
/// The D1 database size limit the capacity is given for.
const D1_LIMIT_BYTES: f64 = 10e9;
/// Days personal data is kept after a parcel's final status (the shops' default).
const RETENTION_DAYS: u64 = 180;
/// Days a parcel is kept after its final status (the shops' default).
const HISTORY_DAYS: u16 = 365;
/// Days a parcel is on its way, for how many a shop holds at once.
const TRANSIT_DAYS: u16 = 20;

/// The big-shop benchmark; prints its figures.
pub fn bench_scale() -> Result<(), String> {
    let started = Instant::now();
    let now = Utc::now() - TimeDelta::nanoseconds(i64::from(Utc::now().timestamp_subsec_nanos()));
    let shop = Shop::new()?;
    let templates = templates(now)?;
    let run = std::env::temp_dir().join(format!("waypost-bench-scale-{}", std::process::id()));
    println!(
        "\n==> big shop: {LARGE} shipments of one shop in local D1 (seeded by SQL; work folder {})",
        run.display()
    );
    print_mix(&templates, now);

    // The small database: the same first SMALL rows, nothing else.
    let phase = Instant::now();
    let small = run.join("small");
    seed_state(&small, &shop, &templates, SMALL, 1)?;
    let server = EdgeServer::start(free_port()?, small, Mode::Bench, &[])?;
    let client = server.client();
    let with_log = |error: String| {
        // The log is written a moment after the answer.
        std::thread::sleep(Duration::from_secs(1));
        format!("{error}\nthe Worker's log ends:\n{}", server.log_tail())
    };
    shop.check_keys(&client).map_err(with_log)?;
    let small_lookup = lookups(&client, &shop).map_err(with_log)?;
    // The list and the counts are measured but never stop the run.
    let small_page =
        timed_gets(&client, &stalled_page_path(None), Some(&shop.secret_key)).map_err(with_log);
    let small_counts =
        timed_gets(&client, "/v1/shipments/counts", Some(&shop.secret_key)).map_err(with_log);
    drop(server);
    println!(
        "  phase: {SMALL} shipments seeded, Worker started, measured: {:.1} s",
        phase.elapsed().as_secs_f64()
    );

    // The big one.
    let phase = Instant::now();
    let large = run.join("large");
    seed_state(&large, &shop, &templates, LARGE, 1)?;
    let seeded_bytes = database_bytes(&large)?;
    println!(
        "  phase: {LARGE} shipments seeded: {:.1} s",
        phase.elapsed().as_secs_f64()
    );
    let phase = Instant::now();
    let server = EdgeServer::start(free_port()?, large.clone(), Mode::Bench, &[])?;
    let client = server.client();
    shop.check_keys(&client)?;
    let large_lookup = lookups(&client, &shop)?;
    let large_page = timed_gets(&client, &stalled_page_path(None), Some(&shop.secret_key));
    let large_counts = timed_gets(&client, "/v1/shipments/counts", Some(&shop.secret_key));
    let counts = client
        .get("/v1/shipments/counts")
        .bearer(&shop.secret_key)
        .send()?;
    let counts = if counts.status == 200 {
        counts.json()
    } else {
        println!(
            "  FAILED: GET /v1/shipments/counts: {} {}",
            counts.status,
            counts.text()
        );
        Value::Null
    };
    let walk = walk_stalled(&client, &shop);
    let log_before = log_len(&large);
    let cron_started = Instant::now();
    let cron = client.get("/__scheduled?cron=*/15+*+*+*+*").send()?;
    let cron_time = cron_started.elapsed();
    // The log is written a moment after the answer.
    std::thread::sleep(Duration::from_secs(1));
    let cron_log = log_since(&large, log_before);
    let served_bytes = database_bytes(&large)?;
    drop(server);
    println!(
        "  phase: Worker on {LARGE} shipments started and measured: {:.1} s",
        phase.elapsed().as_secs_f64()
    );

    // A typical shipment's bytes: eight events and its order.
    let phase = Instant::now();
    let sized = run.join("size");
    let (empty, full) = size_state(&sized, &shop, &templates)?;
    let _ = std::fs::remove_dir_all(&sized);
    println!(
        "  phase: {SIZE_SHIPMENTS} shipments with {EVENTS} events seeded and measured: {:.1} s",
        phase.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&run);

    // The figures.
    let ratio = large_lookup.p50.as_secs_f64() / small_lookup.p50.as_secs_f64().max(1e-9);
    println!(
        "\n==> big shop: figures (local D1 on workerd, sequential requests, one client, {} in all)",
        seconds(started.elapsed())
    );
    println!(
        "  GET /v1/track/{{number}} ({} numbers with {EVENTS} events, {LOOKUPS} timed look-ups after {WARM_UP}):",
        SMALL / SAMPLE_STEP
    );
    println!(
        "    at {SMALL} shipments:      p50 {}  p90 {}",
        ms(small_lookup.p50),
        ms(small_lookup.p90)
    );
    println!(
        "    at {LARGE} shipments:  p50 {}  p90 {}",
        ms(large_lookup.p50),
        ms(large_lookup.p90)
    );
    println!(
        "    ratio of p50s: {ratio:.2} (target <= 1.2: {})",
        if ratio <= 1.2 { "met" } else { "NOT MET" }
    );
    println!(
        "  GET /v1/shipments?health=stalled&limit={PAGE} (first page), {LIST_REQUESTS} timed:"
    );
    print_pair(&small_page, &large_page);
    println!("  GET /v1/shipments/counts, {LIST_REQUESTS} timed:");
    print_pair(&small_counts, &large_counts);
    report_counts(&counts, &templates, now);
    match &walk {
        Ok(walk) => report_walk(&counts, walk),
        Err(error) => println!("  FAILED: listing every stalled shipment: {error}"),
    }
    println!("  one Cron Trigger pass (GET /__scheduled, end to end):");
    println!(
        "    {} (status {}); the Worker logged: {}",
        ms(cron_time),
        cron.status,
        if cron_log.is_empty() {
            "nothing".to_owned()
        } else {
            cron_log.join(" | ")
        }
    );
    println!("  database file (the .sqlite file; its -wal log, already checkpointed, apart):");
    println!(
        "    {LARGE} shipments (one event each, {} with {EVENTS}; their orders): {} after seeding (-wal {}), {} after the run (-wal {}): {:.0} bytes a shipment",
        SMALL / SAMPLE_STEP,
        megabytes(seeded_bytes.sqlite),
        megabytes(seeded_bytes.wal),
        megabytes(served_bytes.sqlite),
        megabytes(served_bytes.wal),
        seeded_bytes.sqlite as f64 / LARGE as f64
    );
    let added = SIZE_SHIPMENTS - SIZE_SHIPMENTS / 10;
    let per_shipment = full.sqlite.saturating_sub(empty.sqlite) as f64 / added as f64;
    println!(
        "    {SIZE_SHIPMENTS} shipments with {EVENTS} events each and their orders: {} (with the first {}: {}): {per_shipment:.0} bytes a shipment (growth over the last {added})",
        megabytes(full.sqlite),
        SIZE_SHIPMENTS / 10,
        megabytes(empty.sqlite)
    );
    let capacity = D1_LIMIT_BYTES / per_shipment.max(1.0);
    println!(
        "  one 10 GB D1 database holds about {:.1} million such shipments; a shop keeps a parcel \
         {HISTORY_DAYS} days after its final status (history_days, the default), so at one shipment an \
         order and ~{TRANSIT_DAYS} days in transit it holds orders a day x {} days:",
        capacity / 1e6,
        HISTORY_DAYS + TRANSIT_DAYS
    );
    for per_day in [1_000.0, 3_000.0, 10_000.0] {
        let held = per_day * f64::from(HISTORY_DAYS + TRANSIT_DAYS);
        let longest = capacity / per_day - f64::from(TRANSIT_DAYS);
        println!(
            "    {per_day:>6} orders a day: {:.2} million shipments, {:.1} GB ({:.0}% of 10 GB); \
             the longest history that fits: {longest:.0} days",
            held / 1e6,
            held * per_shipment / 1e9,
            held * per_shipment / D1_LIMIT_BYTES * 100.0
        );
    }
    Ok(())
}

/// The shop every database holds, with keys in the Worker's format.
struct Shop {
    id: String,
    publishable_key: String,
    secret_key: String,
    secret_id: String,
}

impl Shop {
    fn new() -> Result<Shop, String> {
        let seed = format!(
            "{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)
        );
        let hex = |label: &str, chars: usize| -> String {
            let digest = Sha256::digest(format!("{seed}-{label}").as_bytes());
            let text: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            text[..chars].to_owned()
        };
        let secret_id = format!("sk_{}", hex("secret id", 16));
        Ok(Shop {
            id: format!("shop_{}", hex("shop", 16)),
            publishable_key: format!("pk_{}", hex("publishable", 32)),
            secret_key: format!("{secret_id}_{}", hex("secret", 48)),
            secret_id,
        })
    }

    /// The shop and its two keys, as SQL.
    fn sql(&self, now: DateTime<Utc>) -> String {
        let hash: String = Sha256::digest(self.secret_key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "INSERT INTO shops (id, name, allowed_origins, transit_min_days, transit_max_days, created_at, live_carriers, retention_days) \
             VALUES ('{id}', 'Big shop (bench)', '[]', 2, 6, '{created}', '[]', {RETENTION_DAYS});\n\
             INSERT INTO api_keys (key_id, shop_id, kind, secret_hash, revoked) VALUES ('{pk}', '{id}', 'publishable', NULL, 0);\n\
             INSERT INTO api_keys (key_id, shop_id, kind, secret_hash, revoked) VALUES ('{sk}', '{id}', 'secret', '{hash}', 0);\n",
            id = self.id,
            created = instant(now - TimeDelta::days(400)),
            pk = self.publishable_key,
            sk = self.secret_id,
        )
    }

    /// Both keys open their endpoints (a 401 means the Worker's key format moved on).
    fn check_keys(&self, client: &Client) -> Result<(), String> {
        let public = client
            .get(&format!(
                "/v1/track/{}?key={}",
                number(0),
                self.publishable_key
            ))
            .send()?;
        let private = client
            .get("/v1/shipments/counts")
            .bearer(&self.secret_key)
            .send()?;
        for (what, reply) in [("publishable", public), ("secret", private)] {
            if reply.status != 200 {
                return Err(format!(
                    "the seeded {what} key was refused ({} {}): has the key format in edge/src/service/auth.rs changed?",
                    reply.status,
                    reply.text()
                ));
            }
        }
        Ok(())
    }
}

/// One kind of row: rows whose number is in its slots share every column but the number.
struct Template {
    weight: u64,
    status: StatusDetail,
    route: Route,
    last_event_at: DateTime<Utc>,
    eta: EtaWindow,
    schedule: HealthSchedule,
    events: Vec<TrackingEvent>,
}

/// A template's weight, status, route, hours since its last event, and carrier ETA in days from
/// today (first and last day).
type Kind = (u64, StatusDetail, Route, i64, (i64, i64));

/// The row templates, with their schedules as the Worker computes them, and weights (slots of
/// [`SLOTS`]): about 79% delivered, 13% in transit on track, 4% out for delivery or label
/// created, 3% needing action, 0.5% stalled, 0.7% late (some of them quiet too, which the Cron
/// Trigger clears from the stalled index), 0.5% cancelled.
fn templates(now: DateTime<Utc>) -> Result<Vec<Template>, String> {
    let domestic = Route {
        scope: Scope::Domestic,
        service: ServiceLevel::Standard,
    };
    let intl = |service| Route {
        scope: Scope::International,
        service,
    };
    let day = now.date_naive();
    let in_transit = StatusDetail::new(Status::InTransit);
    let kinds: [Kind; 16] = [
        (
            197,
            StatusDetail::new(Status::Delivered),
            domestic,
            3 * 24,
            (-5, -3),
        ),
        (
            197,
            StatusDetail::new(Status::Delivered),
            domestic,
            30 * 24,
            (-32, -30),
        ),
        (
            197,
            StatusDetail::new(Status::Delivered),
            intl(ServiceLevel::Postal),
            90 * 24,
            (-95, -88),
        ),
        (
            197,
            StatusDetail::new(Status::Delivered),
            domestic,
            200 * 24,
            (-202, -199),
        ),
        (100, in_transit, domestic, 20, (1, 3)),
        (30, in_transit, intl(ServiceLevel::Postal), 6 * 24, (5, 12)),
        (
            20,
            StatusDetail::new(Status::OutForDelivery),
            domestic,
            6,
            (0, 0),
        ),
        (
            15,
            StatusDetail::sub(SubStatus::LabelCreated),
            domestic,
            24,
            (2, 4),
        ),
        (3, in_transit, domestic, 6 * 24, (2, 5)),
        (2, in_transit, intl(ServiceLevel::Standard), 10 * 24, (3, 7)),
        (5, in_transit, domestic, 48, (-4, -3)),
        (2, in_transit, domestic, 8 * 24, (-3, -2)),
        (
            15,
            StatusDetail::new(Status::AttemptFailed),
            domestic,
            30,
            (-1, 0),
        ),
        (
            10,
            StatusDetail::new(Status::AvailableForPickup),
            domestic,
            50,
            (-2, 0),
        ),
        (
            5,
            StatusDetail::new(Status::Exception),
            intl(ServiceLevel::Standard),
            4 * 24,
            (-2, 3),
        ),
        (
            5,
            StatusDetail::sub(SubStatus::Cancelled),
            domestic,
            12 * 24,
            (-8, -6),
        ),
    ];
    let mut templates = Vec::new();
    for (weight, status, route, quiet_hours, (from, to)) in kinds {
        let last_event_at = now - TimeDelta::hours(quiet_hours);
        let date = |days: i64| -> Result<NaiveDate, String> {
            day.checked_add_signed(TimeDelta::days(days))
                .ok_or_else(|| "a date out of range".to_owned())
        };
        let eta = EtaWindow::new(date(from)?, date(to)?, EtaSource::Carrier)
            .map_err(|e| e.to_string())?;
        let created_at = created_at(last_event_at);
        let estimated = EtaWindow::estimated(
            created_at.date_naive(),
            TransitRange {
                min_days: 2,
                max_days: 6,
            },
        );
        // As `health_schedule` in edge/src/service/projection.rs: the best ETA of those in
        // force (the carrier's wins), the last event as the last sign of life.
        let best = EtaWindow::best([Some(eta), estimated].into_iter().flatten());
        let schedule = HealthSchedule::of(status, Some(last_event_at), best, route);
        templates.push(Template {
            weight,
            status,
            route,
            last_event_at,
            eta,
            schedule,
            events: events(status, last_event_at)?,
        });
    }
    let total: u64 = templates.iter().map(|t| t.weight).sum();
    if total != SLOTS {
        return Err(format!("template weights add up to {total}, not {SLOTS}"));
    }
    Ok(templates)
}

/// When a template's shipments were registered: a day before their first event.
fn created_at(last_event_at: DateTime<Utc>) -> DateTime<Utc> {
    last_event_at - TimeDelta::hours(10 * (EVENTS as i64 - 1) + 24)
}

/// A shipment's [`EVENTS`] events, ten hours apart, ending at `last` with `status`.
fn events(status: StatusDetail, last: DateTime<Utc>) -> Result<Vec<TrackingEvent>, String> {
    let steps: [(StatusDetail, &str, &str); EVENTS - 1] = [
        (
            StatusDetail::sub(SubStatus::LabelCreated),
            "Shipper created a label, UPS has not received the package yet",
            "Newark",
        ),
        (
            StatusDetail::sub(SubStatus::PickedUp),
            "Picked up by the carrier",
            "Newark",
        ),
        (
            StatusDetail::sub(SubStatus::DepartedFacility),
            "Departed from facility",
            "Newark",
        ),
        (
            StatusDetail::sub(SubStatus::ArrivedFacility),
            "Arrived at facility",
            "Harrisburg",
        ),
        (
            StatusDetail::sub(SubStatus::DepartedFacility),
            "Departed from facility",
            "Harrisburg",
        ),
        (
            StatusDetail::sub(SubStatus::ArrivedFacility),
            "Arrived at facility",
            "Chicago",
        ),
        (
            StatusDetail::new(Status::InTransit),
            "On the way to the destination",
            "Chicago",
        ),
    ];
    let label_only = status.status() == Status::InfoReceived;
    let offset = FixedOffset::west_opt(5 * 3600).ok_or("offset")?;
    let mut events = Vec::with_capacity(EVENTS);
    for (k, (step_status, words, city)) in steps.into_iter().enumerate() {
        let (step_status, words) = if label_only {
            (status, "Shipper created a label, carrier update pending")
        } else {
            (step_status, words)
        };
        let hours_before = 10 * (EVENTS - 1 - k) as i64;
        events.push(event(
            last - TimeDelta::hours(hours_before),
            offset,
            step_status,
            &format!("{words} ({k})"),
            city,
        )?);
    }
    let words = match status.status() {
        Status::Delivered => "Delivered, front door",
        Status::OutForDelivery => "Out for delivery today",
        Status::AttemptFailed => "Delivery attempted, nobody home",
        Status::AvailableForPickup => "Ready for pickup at the access point",
        Status::Exception if status.sub_status() == Some(SubStatus::Cancelled) => {
            "Shipment cancelled by the sender"
        }
        Status::Exception => "Exception: delayed by the carrier",
        Status::InfoReceived => "Shipper created a label",
        _ => "In transit to the destination",
    };
    events.push(event(last, offset, status, words, "Chicago")?);
    Ok(events)
}

fn event(
    at: DateTime<Utc>,
    offset: FixedOffset,
    status: StatusDetail,
    words: &str,
    city: &str,
) -> Result<TrackingEvent, String> {
    let time = at
        .with_timezone(&offset)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    Ok(TrackingEvent {
        time: EventTime::parse(&time).map_err(|e| format!("{time}: {e}"))?,
        status,
        description: words.to_owned(),
        location: Some(Place {
            city: Some(city.to_owned()),
            region: None,
            country: Some("US".to_owned()),
        }),
        carrier_code: None,
        carrier: None,
    })
}

/// What health each template shows now, and how many of [`LARGE`] rows it makes.
fn print_mix(templates: &[Template], now: DateTime<Utc>) {
    let mut by_health: Vec<(Health, u64)> = Vec::new();
    for t in templates {
        let health = t.schedule.at(now);
        match by_health.iter_mut().find(|(h, _)| *h == health) {
            Some((_, n)) => *n += t.weight,
            None => by_health.push((health, t.weight)),
        }
    }
    let mix: Vec<String> = by_health
        .iter()
        .map(|(h, n)| format!("{} {:.1}%", h.as_str(), *n as f64 / SLOTS as f64 * 100.0))
        .collect();
    println!("  mix by health now: {}", mix.join(", "));
}

/// Rows of `health` now among the first `count`, by the templates (what the counts must say).
fn expected(templates: &[Template], now: DateTime<Utc>, health: Health, count: u64) -> u64 {
    let mut slot = 0;
    let mut total = 0;
    for t in templates {
        if t.schedule.at(now) == health {
            // Numbers i < count with slot <= i % SLOTS < slot + weight.
            total += (0..t.weight)
                .map(|s| {
                    let first = slot + s;
                    if first < count {
                        (count - 1 - first) / SLOTS + 1
                    } else {
                        0
                    }
                })
                .sum::<u64>();
        }
        slot += t.weight;
    }
    total
}

/// Tracking number `i`: what the Worker's normaliser keeps as it is.
fn number(i: u64) -> String {
    format!("WS{i:08}")
}

/// Seeds a fresh state folder: migrations, the shop, the first `count` shipments (each with its
/// last `events_each` events and its order), the sample with every event.
fn seed_state(
    state: &Path,
    shop: &Shop,
    templates: &[Template],
    count: u64,
    events_each: usize,
) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(state);
    std::fs::create_dir_all(state).map_err(|e| format!("{}: {e}", state.display()))?;
    migrate(state)?;
    let mut sql = shop.sql(Utc::now());
    sql.push_str(&template_sql(templates)?);
    sql.push_str(&rows_sql(shop, 0, count));
    // The sample's events before the others, so they are stored in time order, as pushes store
    // them.
    sql.push_str(&events_sql(
        shop,
        &format!(
            "SELECT 0 UNION ALL SELECT i + {SAMPLE_STEP} FROM seq WHERE i + {SAMPLE_STEP} < {}",
            count.min(SMALL)
        ),
        EVENTS,
    ));
    sql.push_str(&events_sql(shop, &sequence(0, count), events_each));
    sql.push_str(
        "DROP TABLE bench_slots;\nDROP TABLE bench_templates;\nDROP TABLE bench_events;\n",
    );
    execute(state, &sql)
}

/// A fresh database with [`SIZE_SHIPMENTS`] shipments of [`EVENTS`] events each and their
/// orders; its size with the first tenth of them and with all (the first tenth's transaction
/// leaves the schema and the shop checkpointed into the file, so the difference is the rows').
fn size_state(
    state: &Path,
    shop: &Shop,
    templates: &[Template],
) -> Result<(FileSize, FileSize), String> {
    let _ = std::fs::remove_dir_all(state);
    std::fs::create_dir_all(state).map_err(|e| format!("{}: {e}", state.display()))?;
    migrate(state)?;
    let first = SIZE_SHIPMENTS / 10;
    let mut sql = shop.sql(Utc::now());
    sql.push_str(&template_sql(templates)?);
    sql.push_str(&rows_sql(shop, 0, first));
    sql.push_str(&events_sql(shop, &sequence(0, first), EVENTS));
    execute(state, &sql)?;
    let before = database_bytes(state)?;
    let mut sql = rows_sql(shop, first, SIZE_SHIPMENTS);
    sql.push_str(&events_sql(shop, &sequence(first, SIZE_SHIPMENTS), EVENTS));
    sql.push_str(
        "DROP TABLE bench_slots;\nDROP TABLE bench_templates;\nDROP TABLE bench_events;\n",
    );
    execute(state, &sql)?;
    let after = database_bytes(state)?;
    Ok((before, after))
}

/// The templates as tables the bulk inserts join: slot -> template, template -> columns,
/// template -> its events.
fn template_sql(templates: &[Template]) -> Result<String, String> {
    let mut sql = String::from(
        "CREATE TABLE bench_slots (slot INTEGER PRIMARY KEY, tpl INTEGER NOT NULL);\n\
         CREATE TABLE bench_templates (tpl INTEGER PRIMARY KEY, scope TEXT, service_level TEXT, eta_from TEXT, eta_to TEXT, \
         shipped_on TEXT, status TEXT, sub_status TEXT, last_event_at TEXT, created_at TEXT, health_fixed TEXT, \
         late_from TEXT, stalled_after TEXT);\n\
         CREATE TABLE bench_events (tpl INTEGER NOT NULL, k INTEGER NOT NULL, fingerprint TEXT NOT NULL, event TEXT NOT NULL, PRIMARY KEY (tpl, k));\n",
    );
    let mut slot = 0;
    let mut slots = Vec::new();
    for (tpl, t) in templates.iter().enumerate() {
        for _ in 0..t.weight {
            slots.push(format!("({slot}, {tpl})"));
            slot += 1;
        }
        let created = created_at(t.last_event_at);
        let _ = writeln!(
            sql,
            "INSERT INTO bench_templates VALUES ({tpl}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {});",
            quote(t.route.scope.as_str()),
            quote(t.route.service.as_str()),
            quote(&t.eta.from().to_string()),
            quote(&t.eta.to().to_string()),
            quote(&created.date_naive().to_string()),
            quote(t.status.status().as_str()),
            t.status
                .sub_status()
                .map_or("NULL".to_owned(), |s| quote(s.as_str())),
            quote(&instant(t.last_event_at)),
            quote(&instant(created)),
            t.schedule
                .fixed
                .map_or("NULL".to_owned(), |h| quote(h.as_str())),
            t.schedule
                .late_from
                .map_or("NULL".to_owned(), |at| quote(&instant(at))),
            t.schedule
                .stalled_after
                .map_or("NULL".to_owned(), |at| quote(&instant(at))),
        );
        for (k, event) in t.events.iter().enumerate() {
            let json = serde_json::to_string(event).map_err(|e| e.to_string())?;
            let _ = writeln!(
                sql,
                "INSERT INTO bench_events VALUES ({tpl}, {k}, '{:016x}', {});",
                event.fingerprint(),
                quote(&json)
            );
        }
    }
    for chunk in slots.chunks(250) {
        let _ = writeln!(sql, "INSERT INTO bench_slots VALUES {};", chunk.join(", "));
    }
    Ok(sql)
}

/// The indexes `from..to`, as the body of a recursive `seq(i)`.
fn sequence(from: u64, to: u64) -> String {
    format!("SELECT {from} UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < {to}")
}

/// The shipments `from..to` and their orders.
fn rows_sql(shop: &Shop, from: u64, to: u64) -> String {
    let seq = sequence(from, to);
    let id = &shop.id;
    let mut sql = format!(
        "WITH RECURSIVE seq(i) AS ({seq}) \
         INSERT INTO shipments (shop_id, tracking_number, order_number, carrier, dest_city, dest_region, \
         dest_postal_code, dest_country, scope, service_level, eta_from, eta_to, shipped_on, status, sub_status, \
         last_event_at, carrier_checked_at, created_at, updated_at, revision, health_fixed, late_from, \
         stalled_after, schedule_version, erase_due_at, delete_due_at) \
         SELECT '{id}', printf('WS%08d', i), printf('%d', 100000 + i), 'ups', 'Chicago', 'IL', printf('606%02d', i % 100), 'US', \
         t.scope, t.service_level, t.eta_from, t.eta_to, t.shipped_on, t.status, t.sub_status, t.last_event_at, NULL, \
         t.created_at, t.last_event_at, 'seed', t.health_fixed, t.late_from, t.stalled_after, {version}, \
         CASE WHEN t.status IN ('delivered', 'expired') THEN strftime('%Y-%m-%dT%H:%M:%SZ', \
         COALESCE(t.last_event_at, t.created_at), '+' || h.retention_days || ' days') END, \
         CASE WHEN t.status IN ('delivered', 'expired') THEN strftime('%Y-%m-%dT%H:%M:%SZ', \
         COALESCE(t.last_event_at, t.created_at), '+' || h.history_days || ' days') END \
         FROM shops h, seq JOIN bench_slots s ON s.slot = i % {SLOTS} JOIN bench_templates t ON t.tpl = s.tpl WHERE h.id = '{id}';\n",
        version = HealthSchedule::VERSION,
    );
    let _ = writeln!(
        sql,
        "WITH RECURSIVE seq(i) AS ({seq}) \
         INSERT INTO orders (shop_id, order_number, status, sub_status, customer_name, email, phone, postal_code, \
         promised_from, promised_to, updated_at) \
         SELECT '{id}', printf('%d', 100000 + i), t.status, t.sub_status, printf('Customer %d', i), \
         printf('customer%d@example.com', i), printf('+1 555 %07d', i), printf('606%02d', i % 100), NULL, NULL, t.last_event_at \
         FROM seq JOIN bench_slots s ON s.slot = i % {SLOTS} JOIN bench_templates t ON t.tpl = s.tpl;"
    );
    sql
}

/// The last `events_each` events of each shipment whose index `seq` yields (already stored ones
/// are left as they are).
fn events_sql(shop: &Shop, seq: &str, events_each: usize) -> String {
    format!(
        "WITH RECURSIVE seq(i) AS ({seq}) \
         INSERT OR IGNORE INTO events (shop_id, tracking_number, fingerprint, event) \
         SELECT '{id}', printf('WS%08d', i), e.fingerprint, e.event \
         FROM seq JOIN bench_slots s ON s.slot = i % {SLOTS} JOIN bench_events e ON e.tpl = s.tpl \
         AND e.k >= {first} ORDER BY i, e.k;\n",
        id = shop.id,
        first = EVENTS - events_each.min(EVENTS),
    )
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// An instant as the Worker stores it.
fn instant(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `wrangler ...` in the edge folder with its state in `state`, offline.
fn wrangler(state: &Path) -> Command {
    let edge = edge_dir();
    let mut command = Command::new(edge.join("node_modules/.bin/wrangler"));
    command
        .current_dir(&edge)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("XDG_CONFIG_HOME", state.join("config"))
        .env("WRANGLER_LOG_PATH", state.join("logs"));
    command
}

fn run_wrangler(state: &Path, what: &str, args: &[&str]) -> Result<(), String> {
    let state_arg = state.to_string_lossy().into_owned();
    let output = wrangler(state)
        .args(args)
        .args(["--local", "--persist-to", &state_arg])
        .output()
        .map_err(|e| format!("wrangler ({what}): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail = |text: &str| -> String {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(15)..].join("\n")
        };
        Err(format!(
            "{what} failed:\n{}\n{}",
            tail(&stdout),
            tail(&stderr)
        ))
    }
}

fn migrate(state: &Path) -> Result<(), String> {
    run_wrangler(
        state,
        "wrangler d1 migrations apply",
        &["d1", "migrations", "apply", "DB"],
    )
}

/// Runs SQL against the local D1 database in `state` (no Worker may run on it).
fn execute(state: &Path, sql: &str) -> Result<(), String> {
    let file = state.join("seed.sql");
    std::fs::write(&file, sql).map_err(|e| format!("{}: {e}", file.display()))?;
    let file_arg = file.to_string_lossy().into_owned();
    let result = run_wrangler(
        state,
        "wrangler d1 execute",
        &["d1", "execute", "DB", "--file", &file_arg],
    );
    let _ = std::fs::remove_file(&file);
    result
}

/// The database file's size under the state folder.
#[derive(Clone, Copy)]
struct FileSize {
    /// The `.sqlite` file: every page of the database once SQLite has checkpointed its log,
    /// which it does when a write transaction ends (D1 refuses `PRAGMA page_count` and `VACUUM`,
    /// so this is the measure).
    sqlite: u64,
    /// The `-wal` file, if any: after a checkpoint, space SQLite reuses, not more data.
    wal: u64,
}

fn database_bytes(state: &Path) -> Result<FileSize, String> {
    let dir = state.join("v3/d1/miniflare-D1DatabaseObject");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut size = None;
    let mut wal = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if name.starts_with("metadata.") {
            continue;
        } else if name.ends_with(".sqlite") {
            size = Some(bytes);
        } else if name.ends_with(".sqlite-wal") {
            wal = bytes;
        }
    }
    size.map(|sqlite| FileSize { sqlite, wal })
        .ok_or_else(|| format!("no .sqlite file in {}", dir.display()))
}

/// Latencies' middle and 90th percentile.
struct Timings {
    p50: Duration,
    p90: Duration,
}

fn timings(mut samples: Vec<Duration>) -> Timings {
    samples.sort_unstable();
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 * q) as usize).min(samples.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Timings {
        p50: at(0.5),
        p90: at(0.9),
    }
}

/// [`LOOKUPS`] sequential look-ups over the sample, after [`WARM_UP`].
fn lookups(client: &Client, shop: &Shop) -> Result<Timings, String> {
    let sample: Vec<String> = (0..SMALL)
        .step_by(SAMPLE_STEP as usize)
        .map(|i| format!("/v1/track/{}?key={}", number(i), shop.publishable_key))
        .collect();
    let mut samples = Vec::with_capacity(LOOKUPS);
    for k in 0..WARM_UP + LOOKUPS {
        let path = &sample[k % sample.len()];
        let started = Instant::now();
        let reply = client.get(path).send()?;
        let took = started.elapsed();
        if reply.status != 200 {
            return Err(format!("GET {path}: {} {}", reply.status, reply.text()));
        }
        if k == 0 {
            let events = reply.json()["events"].as_array().map_or(0, Vec::len);
            if events != EVENTS {
                println!("  note: the looked-up sample shows {events} events, not {EVENTS}");
            }
        }
        if k >= WARM_UP {
            samples.push(took);
        }
    }
    Ok(timings(samples))
}

/// [`LIST_REQUESTS`] timed GETs of `path` (after two untimed), each a 200.
fn timed_gets(client: &Client, path: &str, secret: Option<&str>) -> Result<Timings, String> {
    let mut samples = Vec::with_capacity(LIST_REQUESTS);
    for k in 0..LIST_REQUESTS + 2 {
        let call = client.get(path);
        let call = match secret {
            Some(secret) => call.bearer(secret),
            None => call,
        };
        let started = Instant::now();
        let reply = call.send()?;
        let took = started.elapsed();
        if reply.status != 200 {
            return Err(format!("GET {path}: {} {}", reply.status, reply.text()));
        }
        if k >= 2 {
            samples.push(took);
        }
    }
    Ok(timings(samples))
}

fn stalled_page_path(cursor: Option<&str>) -> String {
    match cursor {
        Some(cursor) => format!(
            "/v1/shipments?health=stalled&limit={PAGE}&cursor={}",
            percent_encode(cursor)
        ),
        None => format!("/v1/shipments?health=stalled&limit={PAGE}"),
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Listing every stalled shipment by following `next_cursor`.
struct Walk {
    requests: u64,
    listed: u64,
    unique: u64,
    not_stalled: u64,
    took: Duration,
}

fn walk_stalled(client: &Client, shop: &Shop) -> Result<Walk, String> {
    let started = Instant::now();
    let mut cursor: Option<String> = None;
    let mut numbers = Vec::new();
    let mut not_stalled = 0;
    let mut requests = 0;
    loop {
        let path = stalled_page_path(cursor.as_deref());
        let reply = client.get(&path).bearer(&shop.secret_key).send()?;
        requests += 1;
        if reply.status != 200 {
            return Err(format!("GET {path}: {} {}", reply.status, reply.text()));
        }
        let page = reply.json();
        for shipment in page["shipments"].as_array().into_iter().flatten() {
            numbers.push(
                shipment["tracking_number"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            );
            if shipment["health"].as_str() != Some("stalled") {
                not_stalled += 1;
            }
        }
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() || requests > 100_000 {
            break;
        }
    }
    let listed = numbers.len() as u64;
    numbers.sort_unstable();
    numbers.dedup();
    Ok(Walk {
        requests,
        listed,
        unique: numbers.len() as u64,
        not_stalled,
        took: started.elapsed(),
    })
}

/// A measure at [`SMALL`] and at [`LARGE`] shipments, or why it failed.
fn print_pair(small: &Result<Timings, String>, large: &Result<Timings, String>) {
    match (small, large) {
        (Ok(small), Ok(large)) => println!(
            "    at {SMALL} shipments: p50 {}   at {LARGE}: p50 {}  p90 {}",
            ms(small.p50),
            ms(large.p50),
            ms(large.p90)
        ),
        (Err(error), _) | (_, Err(error)) => {
            let first = error.lines().next().unwrap_or_default();
            println!("    FAILED: {first}");
            for line in error.lines().filter(|l| l.contains("ERROR")) {
                println!("      {}", line.trim());
            }
        }
    }
}

/// The counts, checked against what the seed made.
fn report_counts(counts: &Value, templates: &[Template], now: DateTime<Utc>) {
    let total = counts["total"].as_u64().unwrap_or(0);
    println!("  counts: total {total}, by health {}", counts["by_health"]);
    for health in [
        Health::Stalled,
        Health::Late,
        Health::NeedsAction,
        Health::Done,
    ] {
        let seeded = expected(templates, now, health, LARGE);
        let counted = counts["by_health"][health.as_str()].as_u64().unwrap_or(0);
        if seeded != counted {
            println!(
                "  MISMATCH: the seed made {seeded} {} shipments, the counts say {counted}",
                health.as_str()
            );
        }
    }
}

/// Listing every stalled shipment against ceil(matches / page).
fn report_walk(counts: &Value, walk: &Walk) {
    let matches = counts["by_health"]["stalled"].as_u64().unwrap_or(0);
    let target = matches.div_ceil(PAGE);
    println!(
        "  every stalled shipment by next_cursor: {} requests (target ceil({matches} / {PAGE}) = {target}: {}), {} in all",
        walk.requests,
        if walk.requests <= target.max(1) {
            "met"
        } else {
            "NOT MET"
        },
        seconds(walk.took)
    );
    if walk.listed == matches && walk.unique == walk.listed && walk.not_stalled == 0 {
        println!(
            "    listed {} numbers, all distinct, all stalled: as counted",
            walk.listed
        );
    } else {
        println!(
            "    MISMATCH: listed {} numbers, {} distinct, {} not stalled; the counts say {matches} stalled",
            walk.listed, walk.unique, walk.not_stalled
        );
    }
}

fn log_len(state: &Path) -> usize {
    std::fs::read_to_string(state.join("wrangler.log")).map_or(0, |log| log.len())
}

/// The Worker's log lines about its Cron Trigger work since byte `from`.
fn log_since(state: &Path, from: usize) -> Vec<String> {
    let log = std::fs::read_to_string(state.join("wrangler.log")).unwrap_or_default();
    log.get(from..)
        .unwrap_or("")
        .lines()
        .filter(|line| {
            ["refresh", "retention", "history", "health upkeep", "failed"]
                .iter()
                .any(|w| line.contains(w))
        })
        .map(|line| line.trim().to_owned())
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
