//! The shipment list's `carrier` and `scanned` filters, and `GET /v1/shipments.csv`: the list as
//! a CSV file to download, its formula-like cells made inert, behind the private routes'
//! credentials.

use chrono::SecondsFormat;
use serde_json::json;
use waypost_shared::wire::{ShipmentList, ShipmentSummary, ShopCreated};
use waypost_tests::Reply;

use super::{Ctx, Test, UPS, three_events};

/// This module's tests, run by the harness in `edge_api.rs`.
pub const TESTS: &[Test] = &[
    (
        "shipments_export_carrier_filter_lists_one_carrier",
        shipments_export_carrier_filter_lists_one_carrier,
    ),
    (
        "shipments_export_csv_holds_the_list_with_inert_cells",
        shipments_export_csv_holds_the_list_with_inert_cells,
    ),
    (
        "shipments_export_refuses_bad_queries_and_strangers",
        shipments_export_refuses_bad_queries_and_strangers,
    ),
];

/// A second UPS number (a public test vector).
const UPS_2: &str = "1Z879E930346834440";
/// A FedEx 12-digit number (a public test vector).
const FEDEX: &str = "287809468872";
/// An order number a spreadsheet would run as a formula.
const FORMULA_ORDER: &str = "-1001";
const HEADER: &str =
    "tracking_number,order_number,carrier,status,sub_status,health,last_event_at,eta_from,eta_to";

/// A new shop holding two UPS parcels (one of order [`FORMULA_ORDER`], one with events and a
/// carrier ETA) and a FedEx one.
fn shop_of_two_carriers(ctx: &Ctx) -> ShopCreated {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    for (number, body) in [
        (
            UPS,
            json!({ "order_number": FORMULA_ORDER, "carrier": "ups" }),
        ),
        (
            UPS_2,
            json!({ "order_number": "1002", "carrier": "ups", "eta": { "from": "2026-12-01", "to": "2026-12-03", "source": "carrier" } }),
        ),
        (FEDEX, json!({ "order_number": "1003", "carrier": "fedex" })),
    ] {
        let reply = ctx.put(sk, &format!("/v1/shipments/{number}"), body);
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    let pushed = ctx.post(sk, &format!("/v1/shipments/{UPS_2}/events"), three_events());
    assert_eq!(pushed.status, 200, "{}", pushed.text());
    shop
}

/// `GET path` with the secret key.
fn get(ctx: &Ctx, secret: &str, path: &str) -> Reply {
    ctx.client.get(path).bearer(secret).send().unwrap()
}

/// The numbers of a list's page.
fn numbers(list: &ShipmentList) -> Vec<&str> {
    list.shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect()
}

fn shipments_export_carrier_filter_lists_one_carrier(ctx: &Ctx) {
    let shop = shop_of_two_carriers(ctx);
    let sk = &shop.secret_key;
    let all = get(ctx, sk, "/v1/shipments");
    ctx.conforms(&all, 200, "ShipmentList");
    assert_eq!(all.parse::<ShipmentList>().shipments.len(), 3);

    let ups = get(ctx, sk, "/v1/shipments?carrier=ups");
    ctx.conforms(&ups, 200, "ShipmentList");
    let ups: ShipmentList = ups.parse();
    assert_eq!(numbers(&ups), [UPS, UPS_2], "UPS only, by number");
    assert_eq!(ups.next_cursor, None);

    let fedex: ShipmentList = get(ctx, sk, "/v1/shipments?carrier=fedex").parse();
    assert_eq!(numbers(&fedex), [FEDEX]);

    // Paged by cursor within the carrier.
    let first: ShipmentList = get(ctx, sk, "/v1/shipments?carrier=ups&limit=1").parse();
    assert_eq!(numbers(&first), [UPS]);
    let cursor = first.next_cursor.expect("a second UPS page");
    let second: ShipmentList = get(
        ctx,
        sk,
        &format!("/v1/shipments?carrier=ups&limit=1&cursor={cursor}"),
    )
    .parse();
    assert_eq!(numbers(&second), [UPS_2]);
    assert_eq!(second.next_cursor, None);

    // With a status, and with a health.
    let moving: ShipmentList =
        get(ctx, sk, "/v1/shipments?carrier=ups&status=out_for_delivery").parse();
    assert_eq!(numbers(&moving), [UPS_2]);
    let health = ups.shipments[0].health;
    assert_eq!(
        fedex.shipments[0].health, health,
        "registered alike, the same health"
    );
    let by_health = get(
        ctx,
        sk,
        &format!("/v1/shipments?carrier=ups&health={}", health.as_str()),
    );
    ctx.conforms(&by_health, 200, "ShipmentList");
    let wanted: Vec<&str> = ups
        .shipments
        .iter()
        .filter(|s| s.health == health)
        .map(|s| s.tracking_number.as_str())
        .collect();
    assert_eq!(
        numbers(&by_health.parse()),
        wanted,
        "no FedEx of that health"
    );

    // Not yet scanned for too long: a valid query (nothing is stalled yet).
    let stalled = get(ctx, sk, "/v1/shipments?health=stalled&scanned=false");
    ctx.conforms(&stalled, 200, "ShipmentList");
}

/// The CSV line of a shipment as the JSON list shows it.
fn line(s: &ShipmentSummary) -> String {
    let order = s.order_number.clone().unwrap_or_default();
    let order = if order.starts_with(['=', '+', '-', '@']) {
        format!("'{order}")
    } else {
        order
    };
    [
        s.tracking_number.clone(),
        order,
        s.carrier.map(|c| c.code().to_owned()).unwrap_or_default(),
        s.status.as_str().to_owned(),
        s.sub_status
            .map(|sub| sub.as_str().to_owned())
            .unwrap_or_default(),
        s.health.as_str().to_owned(),
        s.last_event_at
            .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default(),
        s.eta.map(|eta| eta.from().to_string()).unwrap_or_default(),
        s.eta.map(|eta| eta.to().to_string()).unwrap_or_default(),
    ]
    .join(",")
}

fn shipments_export_csv_holds_the_list_with_inert_cells(ctx: &Ctx) {
    let shop = shop_of_two_carriers(ctx);
    let sk = &shop.secret_key;
    let reply = get(ctx, sk, "/v1/shipments.csv?carrier=ups");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"shipments.csv\"")
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(
        reply.header("waypost-next-cursor"),
        None,
        "one file holds it all"
    );
    let text = reply.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], HEADER);
    let list: ShipmentList = get(ctx, sk, "/v1/shipments?carrier=ups").parse();
    let expected: Vec<String> = list.shipments.iter().map(line).collect();
    assert_eq!(
        lines[1..],
        expected,
        "the UPS rows of the list, in its order"
    );
    assert!(
        lines[1].starts_with(&format!("{UPS},'{FORMULA_ORDER},ups,")),
        "the formula-like order number starts with a quote: {}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&format!("{UPS_2},1002,ups,out_for_delivery,,")),
        "{}",
        lines[2]
    );
    assert!(lines[2].ends_with(",2026-12-01,2026-12-03"), "{}", lines[2]);
    assert!(!text.contains(FEDEX), "no FedEx row");

    // A cursor starts the file after it; the console's session cookie reads it without a CSRF
    // token.
    let session = ctx
        .client
        .post("/v1/console/session")
        .header("CF-Connecting-IP", &ctx.ip())
        .json(&json!({ "secret_key": sk }))
        .send()
        .unwrap();
    assert_eq!(session.status, 200, "{}", session.text());
    let cookie = session
        .set_cookie("waypost_session")
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let rest = ctx
        .client
        .get(&format!("/v1/shipments.csv?carrier=ups&cursor={UPS}"))
        .header("Cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(rest.status, 200, "{}", rest.text());
    assert_eq!(rest.text(), format!("{HEADER}\n{}\n", expected[1]));
}

fn shipments_export_refuses_bad_queries_and_strangers(ctx: &Ctx) {
    let shop = shop_of_two_carriers(ctx);
    let sk = &shop.secret_key;
    for path in ["/v1/shipments", "/v1/shipments.csv"] {
        ctx.problem(
            &get(ctx, sk, &format!("{path}?carrier=nope")),
            400,
            "invalid_query",
        );
        let alone = ctx.problem(
            &get(ctx, sk, &format!("{path}?scanned=false")),
            400,
            "invalid_query",
        );
        assert!(
            alone.detail.contains("only with health"),
            "{}",
            alone.detail
        );
        ctx.problem(
            &get(ctx, sk, &format!("{path}?health=stalled&scanned=maybe")),
            400,
            "invalid_query",
        );
    }
    let stranger = ctx
        .client
        .get("/v1/shipments.csv?carrier=ups")
        .send()
        .unwrap();
    ctx.problem(&stranger, 401, "unauthorized");
    let public = get(ctx, &shop.publishable_key, "/v1/shipments.csv");
    ctx.problem(&public, 403, "forbidden");
    assert!(!public.text().contains(UPS));
}
