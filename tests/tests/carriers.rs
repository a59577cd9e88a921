//! End-to-end tests of live carrier tracking: the real Worker on `wrangler dev` (workerd, local D1,
//! local KV) with every carrier's base URL pointed at a fake carrier server on 127.0.0.1 that
//! serves the fixtures in `edge/fixtures/carriers/` and counts its hits, and the aggregator's at a
//! fake 17TRACK (`carriers/aggregator.rs`).
//!
//! The tests run in order on one Worker, because carrier state (tokens, the circuit breaker, the
//! cache) is the Worker's: look-ups first, then the cron refresh, then the failures.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{EventBatchResult, Problem, ShopCreated, TrackingView};
use waypost_tests::fake_carrier::{DETECTED, IN_TRANSIT_SCANS};
use waypost_tests::{Behaviour, Client, EdgeServer, FakeCarrier, FakeSeventeenTrack, Reply};

#[path = "carriers/aggregator.rs"]
mod aggregator;

/// The Worker's `CARRIER_TIMEOUT_MS` here.
const CARRIER_TIMEOUT: Duration = Duration::from_millis(1500);

/// Slack over [`CARRIER_TIMEOUT`] for a look-up that gives up on its carrier (workerd, D1, the
/// token): generous, yet well short of the fake carrier's slow behaviours.
const TIMEOUT_SLACK: Duration = Duration::from_secs(3);

/// Another detectable number per carrier, for the not-found and failure cases.
const UNKNOWN: [(&str, &str); 4] = [
    ("ups", "1Z879E930346834440"),
    ("fedex", "477179081230"),
    ("usps", "9405803699300124287899"),
    ("dhl", "8487135506"),
];

/// A third detectable number per carrier, first asked while the carrier fails.
const ASKED_WHILE_FAILING: [(&str, &str); 4] = [
    ("ups", "1Z410E7W0392751591"),
    ("fedex", "799531274483"),
    ("usps", "9434611206206406227577"),
    ("dhl", "1099255990"),
];

/// The fixture cases and the status each must map to.
const CASES: [(&str, Status); 6] = [
    ("in_transit", Status::InTransit),
    ("out_for_delivery", Status::OutForDelivery),
    ("delivered", Status::Delivered),
    ("failed_attempt", Status::AttemptFailed),
    ("exception", Status::Exception),
    ("pickup_ready", Status::AvailableForPickup),
];

type Test = (&'static str, fn(&Ctx));

struct Ctx {
    client: Client,
    fake: FakeCarrier,
    /// The aggregator's upstream.
    upstream: FakeSeventeenTrack,
    shop: ShopCreated,
    ips: AtomicU32,
}

impl Ctx {
    fn track(&self, number: &str) -> Reply {
        self.try_track(number).unwrap()
    }

    /// Looks `number` up from a new address; an error when no answer came.
    fn try_track(&self, number: &str) -> Result<Reply, String> {
        let ip = format!(
            "203.0.113.{}",
            self.ips.fetch_add(1, Ordering::Relaxed) % 250 + 1
        );
        self.client
            .get(&format!(
                "/v1/track/{number}?key={}",
                self.shop.publishable_key
            ))
            .header("CF-Connecting-IP", &ip)
            .send()
    }

    fn view(&self, number: &str) -> TrackingView {
        let reply = self.track(number);
        assert_eq!(reply.status, 200, "{number}: {}", reply.text());
        reply.parse()
    }

    /// Registers a shipment with its carrier, as a retailer does.
    fn register(&self, number: &str, carrier: &str) {
        let reply = self
            .client
            .put(&format!("/v1/shipments/{number}"))
            .bearer(&self.shop.secret_key)
            .json(&json!({ "carrier": carrier }))
            .send()
            .unwrap();
        assert!(reply.status < 300, "{}", reply.text());
    }

    /// Pushes one event, as a supplier does.
    fn push(&self, number: &str, time: &str, description: &str) {
        let reply = self
            .client
            .post(&format!("/v1/shipments/{number}/events"))
            .bearer(&self.shop.secret_key)
            .json(&json!({ "events": [{ "time": time, "status": "in_transit", "description": description }] }))
            .send()
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.parse::<EventBatchResult>().stored, 1);
    }
}

fn each_carrier_resolves_live_in_local_time(ctx: &Ctx) {
    for (carrier, number) in DETECTED {
        ctx.fake
            .script(carrier, number, Behaviour::Case("in_transit"));
        let reply = ctx.track(number);
        assert_eq!(reply.status, 200, "{carrier}: {}", reply.text());
        let json: Value = reply.json();
        let view: TrackingView = reply.parse();
        assert_eq!(view.carrier.as_ref().unwrap().code.code(), carrier);
        assert_eq!(view.status, Status::InTransit, "{carrier}");
        assert!(!view.stale && view.age_seconds.is_none());
        assert!(view.events.len() >= 3, "{carrier}: the carrier's scans");
        assert!(view.eta.is_some(), "{carrier}: the carrier's ETA");
        assert_eq!(ctx.fake.track_hits(carrier, number), 1, "{carrier}");
        // Each scan in its own local time, with the carrier's offset or none, in JSON and words.
        let scans = IN_TRANSIT_SCANS.iter().filter(|scan| scan.0 == carrier);
        for (index, (_, local, offset, label)) in scans.enumerate() {
            let events = json["events"].as_array().unwrap();
            let event = events
                .iter()
                .find(|e| e["time"]["local"] == json!(local))
                .unwrap_or_else(|| panic!("{carrier}: no scan at {local}: {json}"));
            if index == 0 {
                assert_eq!(event, &events[0], "{carrier}: the newest scan first");
            }
            let offset = if offset.is_empty() {
                Value::Null
            } else {
                json!(offset)
            };
            assert_eq!(event["time"]["offset"], offset, "{carrier}: {event}");
            assert_eq!(event["time_label"], json!(label), "{carrier}");
        }
        // No postal code or street reaches the public answer.
        assert!(!reply.text().contains("postal"), "{carrier}");

        let again = ctx.view(number);
        assert_eq!(again.events, view.events);
        assert_eq!(
            ctx.fake.track_hits(carrier, number),
            1,
            "{carrier}: the second look-up is cached"
        );
    }
}

fn look_ups_that_arrive_together_share_one_carrier_call(ctx: &Ctx) {
    let number = "WPTOGETHER1";
    ctx.register(number, "ups");
    ctx.fake.script(
        "ups",
        number,
        Behaviour::SlowCase("in_transit", Duration::from_millis(600)),
    );
    // The carrier takes 0.6 s (the Worker's timeout here is 1.5 s): the look-ups overlap.
    let views: Vec<TrackingView> = std::thread::scope(|scope| {
        let lookups: Vec<_> = (0..12).map(|_| scope.spawn(|| ctx.view(number))).collect();
        lookups.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert!(
        views
            .iter()
            .all(|v| v.status == Status::InTransit && !v.stale),
        "every look-up answered with the carrier's view"
    );
    assert_eq!(ctx.fake.track_hits("ups", number), 1, "one carrier call");
}

fn every_documented_answer_maps_through_the_worker(ctx: &Ctx) {
    for (carrier, _) in DETECTED {
        for (case, status) in CASES {
            let number = format!(
                "WP{}{}",
                carrier.to_uppercase(),
                case.replace('_', "").to_uppercase()
            );
            ctx.register(&number, carrier);
            ctx.fake.script(carrier, &number, Behaviour::Case(case));
            let view = ctx.view(&number);
            assert_eq!(view.status, status, "{carrier} {case}");
            assert!(!view.stale);
            assert!(
                view.events.iter().all(|e| !e.description.is_empty()),
                "{carrier} {case}"
            );
            assert_eq!(ctx.fake.track_hits(carrier, &number), 1);
        }
    }
}

/// The packages of UPS's recorded multi-piece answer (`ups/multi_piece.json`), each with the
/// status its own scans give: the first delivered, the second still on its way.
const UPS_PACKAGES: [(&str, Status); 2] = [
    ("1Z4R7A390342900156", Status::Delivered),
    ("1Z4R7A390342900263", Status::InTransit),
];

fn a_multi_piece_shipment_shows_the_package_asked_about(ctx: &Ctx) {
    // UPS answers with the whole shipment whichever package is asked: the view is that package's.
    for (number, status) in UPS_PACKAGES.into_iter().rev() {
        ctx.register(number, "ups");
        ctx.fake
            .script("ups", number, Behaviour::Case("multi_piece"));
        let view = ctx.view(number);
        assert_eq!(view.status, status, "{number}");
        assert!(!view.stale, "{number}");
        assert_eq!(ctx.fake.track_hits("ups", number), 1, "{number}");
    }
    let (second, _) = UPS_PACKAGES[1];
    let view = ctx.view(second);
    assert_eq!(
        view.events[0].description,
        "The package was missorted. This may cause a delay."
    );
    assert!(view.events.iter().all(|e| e.description != "DELIVERED"));
}

fn unknown_numbers_are_404_with_detection(ctx: &Ctx) {
    for (carrier, number) in UNKNOWN {
        ctx.fake
            .script(carrier, number, Behaviour::Case("not_found"));
        let reply = ctx.track(number);
        assert_eq!(reply.status, 404, "{carrier}: {}", reply.text());
        let problem: Problem = reply.parse();
        assert_eq!(problem.code, "tracking_not_found");
        let detection = problem.detection.expect("what detection found");
        assert_eq!(detection.candidates[0].carrier.code(), carrier);
        assert_eq!(ctx.fake.track_hits(carrier, number), 1, "{carrier}: asked");
    }
}

fn one_token_serves_every_lookup(ctx: &Ctx) {
    for carrier in ["ups", "fedex", "usps"] {
        assert!(
            ctx.fake.all_track_hits(carrier) >= 8,
            "{carrier}: many look-ups"
        );
        assert_eq!(ctx.fake.token_hits(carrier), 1, "{carrier}: one token");
    }
    assert_eq!(ctx.fake.token_hits("dhl"), 0, "DHL takes an API key");
}

fn cron_refresh_adds_new_events(ctx: &Ctx) {
    let number = "WPCRONREFRESH1";
    ctx.register(number, "ups");
    ctx.fake
        .script("ups", number, Behaviour::Case("in_transit"));
    let before = ctx.view(number);
    // The carrier moves on; the cached answer still shows the old state.
    ctx.fake.script("ups", number, Behaviour::Case("delivered"));
    assert_eq!(ctx.view(number).events, before.events);
    assert_eq!(ctx.fake.track_hits("ups", number), 1);

    ctx.client.run_cron();
    assert_eq!(
        ctx.fake.track_hits("ups", number),
        2,
        "the cron asked the carrier"
    );
    let after = ctx.view(number);
    assert_eq!(after.status, Status::Delivered);
    assert!(
        after.events.len() > before.events.len(),
        "new events stored"
    );
    let mut seen = std::collections::HashSet::new();
    assert!(
        after
            .events
            .iter()
            .all(|e| seen.insert((e.time.clone(), e.description.clone()))),
        "no event twice"
    );
    // Delivered shipments are no longer refreshed.
    ctx.client.run_cron();
    assert_eq!(ctx.fake.track_hits("ups", number), 2);
}

/// Looks `number` up while `carrier` misbehaves with `behaviour`: the last known view (the
/// supplier's event), marked stale, within the timeout and its slack. Then the carrier answers
/// again, which clears its circuit breaker for the tests that follow.
fn stale_within_the_timeout(
    ctx: &Ctx,
    carrier: &str,
    number: &str,
    behaviour: Behaviour,
    expected_hits: usize,
) {
    ctx.register(number, carrier);
    ctx.push(
        number,
        "2026-11-20T09:30:00-05:00",
        "Handed over by the supplier",
    );
    ctx.fake.script(carrier, number, behaviour.clone());
    let started = Instant::now();
    let reply = ctx.try_track(number).unwrap_or_else(|error| {
        panic!(
            "{behaviour:?}: no answer after {:?}: {error}",
            started.elapsed()
        )
    });
    let elapsed = started.elapsed();
    assert_eq!(
        reply.status,
        200,
        "{behaviour:?} after {elapsed:?}: {}",
        reply.text()
    );
    let view: TrackingView = reply.parse();
    assert!(
        view.stale,
        "{behaviour:?}: the last known view, marked stale, not the carrier's answer after {elapsed:?}"
    );
    assert_eq!(view.events.len(), 1);
    assert_eq!(view.events[0].description, "Handed over by the supplier");
    assert!(
        elapsed < CARRIER_TIMEOUT + TIMEOUT_SLACK,
        "{behaviour:?}: answered after {elapsed:?}, past the {CARRIER_TIMEOUT:?} timeout"
    );
    assert_eq!(
        ctx.fake.track_hits(carrier, number),
        expected_hits,
        "{behaviour:?}"
    );

    ctx.fake
        .script(carrier, number, Behaviour::Case("in_transit"));
    let view = ctx.view(number);
    assert!(
        !view.stale && view.status == Status::InTransit,
        "{carrier} answers again"
    );
}

fn a_body_trickled_past_the_timeout_serves_the_last_known_view(ctx: &Ctx) {
    // The headers come at once; the body would take 8 s. The timeout covers both: not retried.
    let trickle = Behaviour::Trickle("in_transit", Duration::from_secs(8));
    stale_within_the_timeout(ctx, "fedex", "WPTRICKLEFEDEX", trickle, 1);
}

fn an_oversized_answer_is_refused_unread(ctx: &Ctx) {
    // The answer announces 64 MiB (the Worker takes 2 MiB at most) and sends none of it:
    // refused at its headers, like a broken connection (retried once), not read till the timeout.
    let oversized = Behaviour::Oversized(Duration::from_secs(8));
    stale_within_the_timeout(ctx, "usps", "WPOVERSIZEDUSPS", oversized, 2);
}

/// The cron asks about never-checked shipments first, then the longest unchecked, and never about
/// delivered ones (D1's ordering, which the host tests' in-memory store mirrors).
fn the_cron_asks_never_checked_first_then_longest_unchecked(ctx: &Ctx) {
    let (older, newer, never, delivered) =
        ("WPCRONOLDER", "WPCRONNEWER", "WPCRONNEVER", "WPCRONDONE");
    for number in [older, newer, never, delivered] {
        ctx.register(number, "ups");
    }
    ctx.fake.script("ups", older, Behaviour::Case("in_transit"));
    ctx.fake
        .script("ups", delivered, Behaviour::Case("delivered"));
    assert_eq!(ctx.view(delivered).status, Status::Delivered);
    ctx.view(older);
    std::thread::sleep(Duration::from_millis(1100));
    ctx.fake.script("ups", newer, Behaviour::Case("in_transit"));
    ctx.view(newer);
    ctx.fake.script("ups", never, Behaviour::Case("in_transit"));

    let start = ctx.fake.track_log().len();
    ctx.client.run_cron();
    let ours = [older, newer, never, delivered];
    let asked: Vec<String> = ctx.fake.track_log()[start..]
        .iter()
        .filter(|(carrier, number)| carrier == "ups" && ours.contains(&number.as_str()))
        .map(|(_, number)| number.clone())
        .collect();
    assert_eq!(asked, [never, older, newer]);
}

/// Scans without an offset keep the carrier's own order: the Anchorage arrival came after the Hong
/// Kong departure, though its wall-clock time reads earlier.
fn scans_without_offsets_keep_the_carriers_order(ctx: &Ctx) {
    let number = "WPTRANSPACIFIC1";
    ctx.register(number, "dhl");
    ctx.fake
        .script("dhl", number, Behaviour::Case("transpacific"));
    let view = ctx.view(number);
    let order: Vec<&str> = view.events.iter().map(|e| e.description.as_str()).collect();
    assert_eq!(
        order,
        [
            "Arrived at DHL Sort Facility ANCHORAGE - USA",
            "Shipment has departed from a DHL facility HONG KONG - HONG KONG",
            "Processed at HONG KONG - HONG KONG",
        ],
        "newest first, in the carrier's order"
    );
}

/// A customs hold is a hold the customer may have to act on, not customs processing; the
/// clearance before it stays customs processing.
fn a_customs_hold_is_shown_as_a_hold(ctx: &Ctx) {
    let number = "WPCUSTOMSHOLD1";
    ctx.register(number, "usps");
    ctx.fake
        .script("usps", number, Behaviour::Case("customs_hold"));
    let view = ctx.view(number);
    assert_eq!(
        (view.status, view.sub_status),
        (Status::Exception, Some(SubStatus::Held))
    );
    let clearance = view
        .events
        .iter()
        .find(|e| e.description == "Customs Clearance")
        .expect("the clearance scan");
    assert_eq!(clearance.sub_status, Some(SubStatus::CustomsProcessing));
}

fn failures_serve_the_last_known_view_never_5xx(ctx: &Ctx) {
    let failures = [
        ("ups", Behaviour::ServerError),
        ("fedex", Behaviour::Garbage),
        ("usps", Behaviour::Hang(Duration::from_secs(8))),
        ("dhl", Behaviour::TooMany(120)),
    ];
    for (carrier, behaviour) in failures {
        let number = format!("WPSTALE{}", carrier.to_uppercase());
        ctx.register(&number, carrier);
        ctx.push(
            &number,
            "2026-11-20T09:30:00-05:00",
            "Handed over by the supplier",
        );
        ctx.fake.script(carrier, &number, behaviour.clone());
        let reply = ctx.track(&number);
        assert_eq!(
            reply.status,
            200,
            "{carrier} {behaviour:?}: {}",
            reply.text()
        );
        let view: TrackingView = reply.parse();
        assert!(view.stale, "{carrier} {behaviour:?}: marked stale");
        assert!(view.age_seconds.is_some(), "{carrier}: with its age");
        assert_eq!(view.events.len(), 1);
        assert_eq!(view.events[0].description, "Handed over by the supplier");
        let hits = ctx.fake.track_hits(carrier, &number);
        match behaviour {
            Behaviour::ServerError => assert_eq!(hits, 2, "a 5xx is retried once"),
            _ => assert_eq!(hits, 1, "{carrier} {behaviour:?}: not retried"),
        }

        // Nothing known: the 404 with detection, never a 5xx.
        let (_, unknown) = ASKED_WHILE_FAILING
            .iter()
            .find(|(c, _)| *c == carrier)
            .unwrap();
        ctx.fake.script(carrier, unknown, behaviour);
        let reply = ctx.track(unknown);
        assert_eq!(reply.status, 404, "{carrier}: {}", reply.text());
        assert!(reply.parse::<Problem>().detection.is_some());
    }
    // DHL asked us to come back in 120 s: it is not asked again before.
    let dhl_hits = ctx.fake.all_track_hits("dhl");
    assert!(ctx.view("WPSTALEDHL").stale);
    assert_eq!(
        ctx.fake.all_track_hits("dhl"),
        dhl_hits,
        "Retry-After honoured"
    );
}

fn a_failing_carrier_is_skipped_for_a_while(ctx: &Ctx) {
    // UPS failed twice above; the third failure pauses it.
    let number = "WPSTALEUPS";
    assert!(ctx.view(number).stale);
    let hits = ctx.fake.track_hits("ups", number);
    for _ in 0..3 {
        assert!(ctx.view(number).stale);
    }
    assert_eq!(
        ctx.fake.track_hits("ups", number),
        hits,
        "paused: not asked"
    );
}

fn main() -> ExitCode {
    let fake = match FakeCarrier::start() {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("could not start the fake carrier: {error}");
            return ExitCode::FAILURE;
        }
    };
    let upstream = match FakeSeventeenTrack::start() {
        Ok(upstream) => upstream,
        Err(error) => {
            eprintln!("could not start the fake 17TRACK: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut vars = fake.worker_vars();
    vars.extend(upstream.worker_vars());
    vars.extend([
        (
            "CARRIER_TIMEOUT_MS".to_owned(),
            CARRIER_TIMEOUT.as_millis().to_string(),
        ),
        ("REFRESH_MIN_AGE_SECS".to_owned(), "0".to_owned()),
        ("REFRESH_PER_CARRIER".to_owned(), "100".to_owned()),
    ]);
    let server = match EdgeServer::start_for_tests_with(&vars) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("could not start the Worker: {error}");
            return ExitCode::FAILURE;
        }
    };
    let client = server.client();
    let shop: ShopCreated = client
        .post("/v1/admin/shops")
        .bearer(&server.admin_token)
        .json(&json!({
            "name": "Live shop",
            "transit_days": { "min_days": 2, "max_days": 6 },
            "live_carriers": ["ups", "fedex", "usps", "dhl", "yunexpress"],
        }))
        .send()
        .expect("shop created")
        .parse();
    let ctx = Ctx {
        client,
        fake,
        upstream,
        shop,
        ips: AtomicU32::new(0),
    };
    let tests: [Test; 19] = [
        (
            "each_carrier_resolves_live_in_local_time",
            each_carrier_resolves_live_in_local_time,
        ),
        (
            "look_ups_that_arrive_together_share_one_carrier_call",
            look_ups_that_arrive_together_share_one_carrier_call,
        ),
        (
            "every_documented_answer_maps_through_the_worker",
            every_documented_answer_maps_through_the_worker,
        ),
        (
            "a_multi_piece_shipment_shows_the_package_asked_about",
            a_multi_piece_shipment_shows_the_package_asked_about,
        ),
        (
            "unknown_numbers_are_404_with_detection",
            unknown_numbers_are_404_with_detection,
        ),
        (
            "one_token_serves_every_lookup",
            one_token_serves_every_lookup,
        ),
        ("cron_refresh_adds_new_events", cron_refresh_adds_new_events),
        (
            "the_cron_asks_never_checked_first_then_longest_unchecked",
            the_cron_asks_never_checked_first_then_longest_unchecked,
        ),
        (
            "a_customs_hold_is_shown_as_a_hold",
            a_customs_hold_is_shown_as_a_hold,
        ),
        (
            "scans_without_offsets_keep_the_carriers_order",
            scans_without_offsets_keep_the_carriers_order,
        ),
        (
            "a_yunexpress_number_resolves_through_the_upstream_registered_once",
            aggregator::a_yunexpress_number_resolves_through_the_upstream_registered_once,
        ),
        (
            "a_number_not_yet_tracked_shows_not_yet_scanned",
            aggregator::a_number_not_yet_tracked_shows_not_yet_scanned,
        ),
        (
            "a_hand_over_is_one_journey_found_by_the_last_mile_number",
            aggregator::a_hand_over_is_one_journey_found_by_the_last_mile_number,
        ),
        (
            "the_push_adds_events_and_a_forged_one_is_refused",
            aggregator::the_push_adds_events_and_a_forged_one_is_refused,
        ),
        (
            "upstream_failures_are_stale_or_404_with_detection_never_5xx",
            aggregator::upstream_failures_are_stale_or_404_with_detection_never_5xx,
        ),
        (
            "a_body_trickled_past_the_timeout_serves_the_last_known_view",
            a_body_trickled_past_the_timeout_serves_the_last_known_view,
        ),
        (
            "an_oversized_answer_is_refused_unread",
            an_oversized_answer_is_refused_unread,
        ),
        (
            "failures_serve_the_last_known_view_never_5xx",
            failures_serve_the_last_known_view_never_5xx,
        ),
        (
            "a_failing_carrier_is_skipped_for_a_while",
            a_failing_carrier_is_skipped_for_a_while,
        ),
    ];
    println!(
        "\nrunning live carrier end-to-end tests against {}",
        server.base_url
    );
    let mut failed = Vec::new();
    for (name, test) in tests {
        let outcome = catch_unwind(AssertUnwindSafe(|| test(&ctx)));
        println!(
            "test {name} ... {}",
            if outcome.is_ok() { "ok" } else { "FAILED" }
        );
        if outcome.is_err() {
            failed.push(name);
        }
    }
    if failed.is_empty() {
        println!("\nlive carrier tests: all {} passed", tests.len());
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "failed: {failed:?}\n--- wrangler log (tail) ---\n{}",
            server.log_tail()
        );
        ExitCode::FAILURE
    }
}
