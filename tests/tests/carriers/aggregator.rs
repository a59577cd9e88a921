//! The aggregator end to end: the Worker asks a fake 17TRACK (on 127.0.0.1, counting its hits)
//! about the carriers without their own adapter. A YunExpress number the shop stored resolves
//! through it and is registered once however often it is looked up (a number someone merely
//! typed is never registered); a registered number not tracked yet shows as not yet scanned; a
//! parcel handed over to USPS is one journey, found by the USPS number too; the signed push adds
//! events and a forged one is refused; failures are 404 with detection or the last known view,
//! never a 5xx.

use std::collections::HashSet;

use serde_json::{Value, json};
use waypost_shared::detect::Carrier;
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{Problem, ShipmentList, TrackingView, WebhookAck, WebhookOutcome};
use waypost_tests::fake_seventeen_track::{FakeSeventeenTrack, Journey, UpstreamBehaviour};

use super::Ctx;

const YUNEXPRESS: (&str, u32, &str) = ("YunExpress", 190008, "CN");
const RESOLVED: &str = "YT2433000000000001";
const NOT_YET: &str = "YT2433000000000002";
const HANDED: &str = "YT2433000000000003";
const LAST_MILE: &str = "9261290398765432109876";
const PUSHED: &str = "YT2433000000000004";
const TYPED: &str = "YT2433000000000005";

/// Each event of `journey` is in `view`'s JSON at its own local time and offset, with its words.
fn shows_journey(json: &Value, journey: &Journey) {
    let events = json["events"].as_array().expect("events");
    for expected in journey.events() {
        assert!(
            events.iter().any(|event| {
                event["time"]["local"] == json!(expected.local_time)
                    && event["time"]["offset"] == json!(expected.offset)
                    && event["description"] == json!(expected.description)
            }),
            "no {expected:?} in {json}"
        );
    }
}

/// No event shows twice.
fn each_event_once(view: &TrackingView) {
    let mut seen = HashSet::new();
    for event in &view.events {
        assert!(
            seen.insert((event.time.clone(), event.description.clone())),
            "{event:?} twice"
        );
    }
}

fn push(ctx: &Ctx, body: &str, sign: Option<&str>) -> u16 {
    let mut call = ctx
        .client
        .post("/v1/webhooks/17track")
        .raw("application/json", body.as_bytes().to_vec());
    if let Some(sign) = sign {
        call = call.header("sign", sign);
    }
    call.send().expect("an answer").status
}

/// The status the shop's list shows for `number`.
fn listed_status(ctx: &Ctx, number: &str) -> Status {
    let reply = ctx
        .client
        .get("/v1/shipments?limit=100")
        .bearer(&ctx.shop.secret_key)
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let list: ShipmentList = reply.parse();
    list.shipments
        .into_iter()
        .find(|s| s.tracking_number == number)
        .unwrap_or_else(|| panic!("{number} is not listed"))
        .status
}

pub fn a_yunexpress_number_resolves_through_the_upstream_registered_once(ctx: &Ctx) {
    let journey = Journey::in_transit(YUNEXPRESS);
    ctx.upstream
        .script(RESOLVED, UpstreamBehaviour::Journey(journey.clone()));
    ctx.register(RESOLVED, "yunexpress");
    let reply = ctx.track(RESOLVED);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let view: TrackingView = reply.parse();
    assert_eq!(view.carrier.as_ref().unwrap().code, Carrier::Yunexpress);
    assert_eq!(view.status, Status::InTransit);
    assert!(!view.stale);
    assert_eq!(view.events.len(), journey.events().len());
    shows_journey(&reply.json(), &journey);
    for _ in 0..10 {
        assert_eq!(ctx.track(RESOLVED).status, 200);
    }
    assert_eq!(ctx.upstream.register_hits(RESOLVED), 1, "registered once");
    assert_eq!(
        ctx.upstream.track_hits(RESOLVED),
        2,
        "asked before and right after registering, then served from the cache"
    );
}

pub fn a_number_not_yet_tracked_shows_not_yet_scanned(ctx: &Ctx) {
    // Typed by someone, unknown to the shop: asked about, never registered (quota), a 404 with
    // what detection found.
    for _ in 0..3 {
        let reply = ctx.track(TYPED);
        assert_eq!(reply.status, 404, "{}", reply.text());
        let problem: Problem = reply.parse();
        assert_eq!(
            problem.detection.expect("detection").candidates[0].carrier,
            Carrier::Yunexpress
        );
    }
    assert_eq!(ctx.upstream.register_hits(TYPED), 0);

    ctx.register(NOT_YET, "yunexpress");
    for _ in 0..3 {
        let reply = ctx.track(NOT_YET);
        assert_eq!(reply.status, 200, "{}", reply.text());
        let view: TrackingView = reply.parse();
        assert_eq!(view.status, Status::NotFound);
        assert_eq!(view.sub_status, Some(SubStatus::NotYetScanned));
        let carrier = view.carrier.expect("its carrier");
        assert_eq!(carrier.code, Carrier::Yunexpress);
        assert!(carrier.tracking_url.unwrap().contains(NOT_YET));
    }
    assert_eq!(ctx.upstream.register_hits(NOT_YET), 1, "registered once");
}

pub fn a_hand_over_is_one_journey_found_by_the_last_mile_number(ctx: &Ctx) {
    let journey = Journey::handed_over(YUNEXPRESS, ("USPS", 21051, Some(LAST_MILE)));
    ctx.upstream
        .script(HANDED, UpstreamBehaviour::Journey(journey.clone()));
    ctx.register(HANDED, "yunexpress");
    let reply = ctx.track(HANDED);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    shows_journey(&json, &journey);
    let view: TrackingView = reply.parse();
    assert_eq!(
        view.events.len(),
        journey.events().len() + 1,
        "the upstream's events and the hand-over"
    );
    each_event_once(&view);
    let hand_overs: Vec<_> = view
        .events
        .iter()
        .filter(|e| e.sub_status == Some(SubStatus::Forwarded) && e.description.contains("USPS"))
        .collect();
    assert_eq!(hand_overs.len(), 1, "{:?}", view.events);
    assert_eq!(hand_overs[0].carrier, Some(Carrier::Yunexpress));
    for event in &view.events {
        let offset = event.time.offset().map(|o| o.local_minus_utc() / 3600);
        match event.carrier {
            Some(Carrier::Yunexpress) if event.sub_status != Some(SubStatus::Forwarded) => {
                assert!(matches!(offset, Some(8 | -5 | -8)), "{event:?}");
            }
            Some(Carrier::Usps) => assert!(matches!(offset, Some(-5 | -8)), "{event:?}"),
            Some(Carrier::Yunexpress) => {}
            other => panic!("an event of {other:?}: {event:?}"),
        }
    }
    assert!(view.events.iter().any(|e| e.carrier == Some(Carrier::Usps)));
    assert!(
        view.events
            .iter()
            .any(|e| e.time.offset().map(|o| o.local_minus_utc()) == Some(8 * 3600)),
        "Shenzhen's scans in their own time"
    );
    let last_mile = view.last_mile.clone().expect("the last-mile carrier");
    assert_eq!(last_mile.code, Carrier::Usps);
    assert!(last_mile.tracking_url.unwrap().contains(LAST_MILE));

    let by_last_mile = ctx.view(LAST_MILE);
    assert_eq!(by_last_mile.tracking_number, HANDED, "the same shipment");
    assert_eq!(by_last_mile.events, view.events);

    // The same journey pushed, then asked again by the cron: nothing twice.
    let body = ctx.upstream.push_body(HANDED);
    assert_eq!(
        push(ctx, &body, Some(&FakeSeventeenTrack::sign(&body))),
        200
    );
    ctx.client.run_cron();
    let after = ctx.view(HANDED);
    assert_eq!(after.events.len(), view.events.len());
    each_event_once(&after);
    assert_eq!(ctx.upstream.register_hits(HANDED), 1);
}

pub fn the_push_adds_events_and_a_forged_one_is_refused(ctx: &Ctx) {
    let journey = Journey::in_transit(YUNEXPRESS);
    ctx.upstream
        .script(PUSHED, UpstreamBehaviour::Journey(journey.clone()));
    ctx.register(PUSHED, "yunexpress");
    let body = ctx.upstream.push_body(PUSHED);
    let sign = FakeSeventeenTrack::sign(&body);
    let altered = body.replacen("Shenzhen", "Somewhere", 1);
    assert_ne!(altered, body);
    for (what, body, sign) in [
        ("unsigned", body.as_str(), None),
        (
            "signed with another key",
            body.as_str(),
            Some("0".repeat(64)),
        ),
        (
            "altered after signing",
            altered.as_str(),
            Some(sign.clone()),
        ),
    ] {
        assert_eq!(push(ctx, body, sign.as_deref()), 401, "{what}");
    }
    assert_eq!(
        listed_status(ctx, PUSHED),
        Status::InfoReceived,
        "a forged push changes nothing"
    );

    let reply = ctx
        .client
        .post("/v1/webhooks/17track")
        .raw("application/json", body.as_bytes().to_vec())
        .header("sign", &sign)
        .send()
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let ack: WebhookAck = reply.parse();
    assert_eq!(ack.outcome, WebhookOutcome::Applied);
    assert_eq!(ack.parcels, 1);
    assert_eq!(listed_status(ctx, PUSHED), Status::InTransit);
    let reply = ctx.track(PUSHED);
    shows_journey(&reply.json(), &journey);
    assert_eq!(
        ctx.upstream.track_hits(PUSHED),
        0,
        "the look-up is served what the push said"
    );
    assert_eq!(ctx.upstream.register_hits(PUSHED), 0);

    let garbage = "{\"event\": 1}";
    assert_eq!(
        push(ctx, garbage, Some(&FakeSeventeenTrack::sign(garbage))),
        400
    );
}

/// Last among the aggregator's tests: its failures pause it for a while.
pub fn upstream_failures_are_stale_or_404_with_detection_never_5xx(ctx: &Ctx) {
    let cases = [
        ("YT2433000000000101", UpstreamBehaviour::Invalid),
        ("YT2433000000000102", UpstreamBehaviour::QuotaExceeded),
        ("YT2433000000000103", UpstreamBehaviour::Garbage),
        ("YT2433000000000104", UpstreamBehaviour::ServerError),
        ("YT2433000000000105", UpstreamBehaviour::TooMany(120)),
    ];
    for (number, behaviour) in &cases {
        ctx.upstream.script(number, behaviour.clone());
        let reply = ctx.track(number);
        assert_eq!(reply.status, 404, "{behaviour:?}: {}", reply.text());
        let problem: Problem = reply.parse();
        let detection = problem.detection.expect("what detection found");
        let best = &detection.candidates[0];
        assert_eq!(best.carrier, Carrier::Yunexpress, "{behaviour:?}");
        assert!(best.tracking_url.as_ref().unwrap().contains(number));
    }
    for (number, behaviour) in cases.iter().skip(1) {
        ctx.register(number, "yunexpress");
        let reply = ctx.track(number);
        assert_eq!(reply.status, 200, "{behaviour:?}: {}", reply.text());
        let view: TrackingView = reply.parse();
        assert!(view.stale, "{behaviour:?}: the last known view");
    }
}
