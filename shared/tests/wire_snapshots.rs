//! The wire JSON's shape, pinned: a change here changes what the widget and API callers read.

use chrono::{DateTime, Utc};
use waypost_shared::detect::{Carrier, detect, detect_outcome};
use waypost_shared::eta::{EtaSource, EtaWindow, TransitRange};
use waypost_shared::event::{Place, TrackingEvent};
use waypost_shared::health::{Route, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::status::{Status, StatusDetail, SubStatus};
use waypost_shared::time::EventTime;
use waypost_shared::timeline::Timeline;
use waypost_shared::view::{ShipmentFacts, tracking_view};
use waypost_shared::wire::Problem;

fn event(
    time: &str,
    status: impl Into<StatusDetail>,
    description: &str,
    city: &str,
    country: &str,
) -> TrackingEvent {
    TrackingEvent {
        time: EventTime::parse(time).unwrap(),
        status: status.into(),
        description: description.into(),
        location: Some(Place {
            city: Some(city.into()),
            region: None,
            country: Some(country.into()),
        }),
        carrier_code: None,
        carrier: None,
    }
}

/// An international postal parcel, Shenzhen → Chicago, with customs and three time zones.
fn international_parcel() -> Timeline {
    Timeline::new([
        event(
            "2026-11-10T09:12:00+08:00",
            SubStatus::PickedUp,
            "Acceptance",
            "Shenzhen",
            "CN",
        ),
        event(
            "2026-11-11T23:40:00+08:00",
            SubStatus::DepartedFacility,
            "Departed from office of exchange",
            "Guangzhou",
            "CN",
        ),
        event(
            "2026-11-14T06:05:00-08:00",
            SubStatus::CustomsProcessing,
            "Held in customs",
            "Los Angeles",
            "US",
        ),
        event(
            "2026-11-15T17:30:00-08:00",
            SubStatus::CustomsReleased,
            "Released by customs",
            "Los Angeles",
            "US",
        ),
        event(
            "2026-11-20T08:02:00-06:00",
            Status::OutForDelivery,
            "Out for delivery",
            "Chicago",
            "US",
        ),
    ])
}

fn now() -> DateTime<Utc> {
    "2026-11-20T18:00:00Z".parse().unwrap()
}

#[test]
fn tracking_view_json() {
    let timeline = international_parcel();
    let destination = Place {
        city: Some("Chicago".into()),
        region: Some("IL".into()),
        country: Some("US".into()),
    };
    let etas = [
        EtaWindow::estimated(
            "2026-11-10".parse().unwrap(),
            TransitRange {
                min_days: 7,
                max_days: 15,
            },
        )
        .unwrap(),
        EtaWindow::new(
            "2026-11-20".parse().unwrap(),
            "2026-11-21".parse().unwrap(),
            EtaSource::Carrier,
        )
        .unwrap(),
    ];
    let facts = ShipmentFacts {
        tracking_number: "RR123456785CN",
        carrier: Some(Carrier::S10),
        timeline: &timeline,
        status_without_events: StatusDetail::new(Status::Pending),
        etas: &etas,
        route: Route {
            scope: Scope::International,
            service: ServiceLevel::Postal,
        },
        registered_at: None,
        order_reference: Some("#1042"),
        destination: Some(&destination),
        last_mile: None,
    };
    insta::assert_json_snapshot!("tracking_view_en", tracking_view(&facts, Lang::En, now()));
    let spanish = tracking_view(&facts, Lang::Es, now());
    insta::assert_json_snapshot!(
        "tracking_view_es_labels",
        (
            spanish.status_label,
            spanish.events[0].time_label.clone(),
            spanish.eta.map(|e| e.label)
        )
    );
}

#[test]
fn failed_delivery_view_json() {
    let timeline = Timeline::new([event(
        "2026-11-20T14:05:00-05:00",
        SubStatus::InvalidAddress,
        "Delivery attempted: address <b>not found</b>",
        "Brooklyn",
        "US",
    )]);
    let facts = ShipmentFacts {
        tracking_number: "1Z5R89390357567127",
        carrier: Some(Carrier::Ups),
        timeline: &timeline,
        status_without_events: StatusDetail::new(Status::Pending),
        etas: &[],
        route: Route::default(),
        registered_at: None,
        order_reference: None,
        destination: None,
        last_mile: None,
    };
    insta::assert_json_snapshot!(
        "failed_delivery_view",
        tracking_view(&facts, Lang::En, now())
    );
}

#[test]
fn detection_json() {
    let outcomes: Vec<_> = [
        "RR123456785CN",
        "1Z5R89390357567128",
        "287809468872",
        &"9".repeat(70),
    ]
    .into_iter()
    .map(detect_outcome)
    .collect();
    insta::assert_json_snapshot!("detections", outcomes);
}

#[test]
fn problem_json() {
    let mut problem = Problem::new(
        404,
        "tracking_not_found",
        "Tracking number not found",
        "No shipment with this number yet.",
    );
    problem.detection = Some(detect("1Z5R89390357567127").unwrap());
    insta::assert_json_snapshot!("problem_not_found", problem);
}
