//! Imports on the host: reading and checking CSV files, and writing them to the in-memory store.

use waypost_shared::detect::Carrier;
use waypost_shared::labels::Lang;
use waypost_shared::status::Status;
use waypost_shared::wire::{EventBatch, ImportResult, OrderInput, ShipmentInput, TrackingView};

use super::answers::{AnswerMemory, Answers};
use super::events::push_events;
use super::import_csv::{self, ImportRow, Layout};
use super::imports::{Plan, Wanted, import};
use super::memory::{MemoryStore, TestRuntime, block_on};
use super::orders::put_order;
use super::shipments::put_shipment;
use super::store::{Runtime, ShopRecord, Store};
use super::test_carriers::{MemoryCache, TestCarriers, answers};
use super::tests::setup;
use super::tracking::answer;
use super::tracking_number::TrackingNumber;
use crate::error::{EdgeError, Result};
use crate::limits::{MAX_IMPORT_ROWS, MAX_LISTED_ROW_ERRORS};

const UPS: &str = "1Z5R89390357567127";
const S10: &str = "RR123456785CN";
const USPS: &str = "9400111899223397846498";

/// A DSers-like order export: its own header names, extra columns, a Shopify-style `#` order.
fn dsers_file() -> String {
    format!(
        "Order No.,Store Name,Full Name,Email,Zip Code,Country,Product,Tracking No.,Carrier\n\
         #1001,My Store,Ana Lopez,Ana@Example.com,10001,US,Mug,{UPS},UPS\n\
         #1001,My Store,Ana Lopez,ana@example.com,10001,US,Plate,{UPS},\n\
         #1002,My Store,Ben Ode,ben@example.com,SW1A 1AA,GB,Lamp,{S10},\n"
    )
}

fn run(
    store: &MemoryStore,
    runtime: &TestRuntime,
    shop: &ShopRecord,
    file: &str,
    dry_run: bool,
) -> Result<ImportResult> {
    block_on(import(
        store,
        &answers(),
        shop,
        file.as_bytes(),
        dry_run,
        runtime.now(),
    ))
}

fn number(typed: &str) -> TrackingNumber {
    TrackingNumber::normalize(typed).unwrap()
}

/// The bad rows of an `invalid_rows` error: their lines and reasons, and the total.
fn bad_rows(error: EdgeError) -> (Vec<(u64, String)>, u64) {
    match error {
        EdgeError::InvalidRows { rows, total } => (
            rows.into_iter().map(|row| (row.line, row.reason)).collect(),
            total,
        ),
        other => panic!("expected invalid_rows, got {other:?}"),
    }
}

fn code(error: &EdgeError) -> String {
    error.problem().code
}

#[test]
fn a_platform_export_is_read_by_its_header_names() {
    let rows = import_csv::read(dsers_file().as_bytes()).unwrap();
    assert_eq!(rows.len(), 3);
    let first = &rows[0];
    assert_eq!(
        (
            first.line,
            first.order_number.as_str(),
            first.email.as_str(),
            first.postal_code.as_deref(),
            first.customer_name.as_deref(),
        ),
        (
            2,
            "1001",
            "ana@example.com",
            Some("10001"),
            Some("Ana Lopez")
        ),
        "the leading # dropped, the email normalised"
    );
    let shipment = first.shipment.as_ref().unwrap();
    assert_eq!(
        (shipment.number.as_str(), shipment.given),
        (UPS, Some(Carrier::Ups))
    );
    let ben = rows[2].shipment.as_ref().unwrap();
    assert_eq!(
        (ben.given, ben.carrier()),
        (None, Some(Carrier::S10)),
        "a blank carrier is detected from the number"
    );
    assert_eq!(rows[2].postal_code.as_deref(), Some("SW1A1AA"));
}

#[test]
fn headers_are_matched_loosely_and_the_preferred_one_wins() {
    for headers in [
        ["Order Number", "Customer Email", "Tracking Number"],
        ["order_number", "EMAIL", "tracking-no"],
        ["Name", "Email", "Fulfillment Tracking Number"],
        ["Order ID", "Buyer Email", "AWB"],
        ["Order", "E-mail", "Waybill"],
    ] {
        assert!(Layout::of(&headers).is_ok(), "{headers:?}");
    }
    // Both "Name" and "Order Number": the order number column is "Order Number".
    let file = format!("Name,Order Number,Email,Tracking Number\nAna,1001,a@x.example,{UPS}\n");
    let rows = import_csv::read(file.as_bytes()).unwrap();
    assert_eq!(rows[0].order_number, "1001");
}

#[test]
fn a_missing_column_is_named_with_the_headers_recognised() {
    let error =
        import_csv::read(b"Order Number,Email,Carrier\n1001,a@x.example,UPS\n").unwrap_err();
    assert_eq!(code(&error), "missing_column");
    let detail = error.to_string();
    assert!(detail.contains("tracking number"), "{detail}");
    assert!(
        detail.contains("trackingnumber") && detail.contains("waybill"),
        "{detail}"
    );
    assert_eq!(
        code(&import_csv::read(b"").unwrap_err()),
        "missing_column",
        "an empty file has no header"
    );
}

#[test]
fn every_bad_row_is_listed_by_the_line_it_starts_on() {
    // Line 3's record spans lines 3 and 4 (a quoted line break), so the next starts on line 5.
    let file = format!(
        "Order Number,Email,Tracking Number,Address\n\
         1001,ana@example.com,{UPS},1 Main St\n\
         1002,ben@example.com,{S10},\"2 Side St\nFlat 2\"\n\
         1003,not-an-email,{USPS},Cy\n\
         ,dee@example.com,x!,Dee\n\
         1005,eve@example.com,{UPS},Eve\n"
    );
    let (rows, total) = bad_rows(import_csv::read(file.as_bytes()).unwrap_err());
    assert_eq!(total, 3);
    let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [5, 6, 7]);
    assert!(rows[0].1.contains("Email"), "{}", rows[0].1);
    assert!(
        rows[1].1.contains("Order Number: is empty") && rows[1].1.contains("Tracking Number"),
        "every reason of a row: {}",
        rows[1].1
    );
    assert!(
        rows[2].1.contains("line 2") && rows[2].1.contains("1001"),
        "a tracking number of another order names the line: {}",
        rows[2].1
    );
}

#[test]
fn a_multi_line_address_cell_is_read_whole() {
    let file = format!(
        "Order Number,Email,Address,Tracking Number\n\
         1002,ben@example.com,\"1 Main St\nFlat 2\",{S10}\n\
         1003,cy@example.com,\"2 Side St\",{USPS}\n"
    );
    let rows = import_csv::read(file.as_bytes()).unwrap();
    let lines: Vec<u64> = rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, [2, 4]);
    assert_eq!(rows[0].shipment.as_ref().unwrap().number.as_str(), S10);
}

#[test]
fn the_list_of_bad_rows_is_capped_but_counted() {
    let mut file = String::from("Order Number,Email,Tracking Number\n");
    for k in 0..MAX_LISTED_ROW_ERRORS + 5 {
        file.push_str(&format!("{k},bad,{UPS}{k}\n"));
    }
    let (rows, total) = bad_rows(import_csv::read(file.as_bytes()).unwrap_err());
    assert_eq!(rows.len(), MAX_LISTED_ROW_ERRORS);
    assert_eq!(total, (MAX_LISTED_ROW_ERRORS + 5) as u64);
}

#[test]
fn only_utf8_is_read_and_the_message_says_how_to_save_it() {
    let latin1 = b"Order Number,Email,Tracking Number,Customer Name\n1001,a@x.example,RR123456785CN,Jos\xe9\n";
    let error = import_csv::read(latin1).unwrap_err();
    assert_eq!(code(&error), "invalid_encoding");
    assert!(
        error.to_string().contains("line 2") && error.to_string().contains("UTF-8"),
        "{error}"
    );
    let utf16 = b"\xFF\xFEO\0r\0d\0";
    let error = import_csv::read(utf16).unwrap_err();
    assert_eq!(code(&error), "invalid_encoding");
    assert!(error.to_string().contains("UTF-16"), "{error}");
    let with_bom = format!("\u{FEFF}Order Number,Email,Tracking Number\n1001,a@x.example,{UPS}\n");
    assert_eq!(
        import_csv::read(with_bom.as_bytes()).unwrap().len(),
        1,
        "the byte-order mark does not hide the first header"
    );
}

#[test]
fn semicolon_separated_files_are_read() {
    let file = format!("Order Number;Email;Tracking Number\n1001;a@x.example;{UPS}\n");
    assert_eq!(
        import_csv::read(file.as_bytes()).unwrap()[0].order_number,
        "1001"
    );
}

#[test]
fn at_most_the_row_limit_is_taken() {
    let mut file = String::from("Order Number,Email,Tracking Number\n");
    for k in 0..MAX_IMPORT_ROWS {
        file.push_str(&format!("{k},c{k}@x.example,\n"));
    }
    assert_eq!(
        import_csv::read(file.as_bytes()).unwrap().len(),
        MAX_IMPORT_ROWS
    );
    file.push_str("late,late@x.example,\n");
    let error = import_csv::read(file.as_bytes()).unwrap_err();
    assert_eq!(code(&error), "too_many_rows");
    assert!(error.status() < 500);
}

#[test]
fn formula_cells_are_kept_as_plain_text() {
    let file = format!(
        "Order Number,Email,Tracking Number,Customer Name\n\
         1001,a@x.example,{UPS},\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\n"
    );
    let rows: Vec<ImportRow> = import_csv::read(file.as_bytes()).unwrap();
    assert_eq!(
        rows[0].customer_name.as_deref(),
        Some("=HYPERLINK(\"http://evil.example\",\"x\")")
    );
}

#[test]
fn an_import_stores_orders_and_shipments_and_a_second_one_changes_nothing() {
    let (store, runtime, shop) = setup();
    let first = run(&store, &runtime, &shop, &dsers_file(), false).unwrap();
    assert_eq!(
        first,
        ImportResult {
            dry_run: false,
            rows: 3,
            orders_created: 2,
            orders_updated: 0,
            orders_unchanged: 0,
            shipments_created: 2,
            shipments_updated: 0,
            shipments_unchanged: 0,
            changed: true,
        }
    );
    let order = block_on(store.order(&shop.id, "1001")).unwrap().unwrap();
    assert_eq!(
        (
            order.status,
            order.email.as_deref(),
            order.postal_code.as_deref()
        ),
        (Status::Pending, Some("ana@example.com"), Some("10001"))
    );
    let shipment = block_on(store.shipment(&shop.id, &number(UPS)))
        .unwrap()
        .unwrap();
    assert_eq!(
        (shipment.order_number.as_deref(), shipment.carrier),
        (Some("1001"), Some(Carrier::Ups))
    );

    runtime.now.set(runtime.now() + chrono::TimeDelta::hours(1));
    let calls = store.calls();
    let second = run(&store, &runtime, &shop, &dsers_file(), false).unwrap();
    assert!(!second.changed);
    assert_eq!(
        (
            second.orders_unchanged,
            second.shipments_unchanged,
            second.orders_created + second.orders_updated,
            second.shipments_created + second.shipments_updated
        ),
        (2, 2, 0, 0)
    );
    assert_eq!(store.calls() - calls, 2, "two reads, no write");
    assert_eq!(
        block_on(store.shipment(&shop.id, &number(UPS))).unwrap(),
        Some(shipment),
        "no revision or updated_at churn"
    );
    assert_eq!(
        block_on(store.order(&shop.id, "1001")).unwrap(),
        Some(order)
    );
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let (store, runtime, shop) = setup();
    let result = run(&store, &runtime, &shop, &dsers_file(), true).unwrap();
    assert!(result.dry_run && result.changed);
    assert_eq!((result.orders_created, result.shipments_created), (2, 2));
    assert_eq!(block_on(store.order(&shop.id, "1001")).unwrap(), None);
    assert_eq!(
        block_on(store.shipment(&shop.id, &number(UPS))).unwrap(),
        None
    );
}

#[test]
fn a_file_with_a_bad_row_stores_nothing() {
    let (store, runtime, shop) = setup();
    let file = format!("{}#1003,x,nope,{USPS},\n", dsers_file());
    let error = run(&store, &runtime, &shop, &file, false).unwrap_err();
    let (rows, _) = bad_rows(error);
    assert_eq!(rows[0].0, 5);
    assert_eq!(block_on(store.order(&shop.id, "1001")).unwrap(), None);
}

#[test]
fn stored_orders_and_shipments_keep_what_the_file_does_not_give() {
    let (store, runtime, shop) = setup();
    let order: OrderInput = serde_json::from_value(serde_json::json!({
        "status": "in_transit",
        "customer": {"name": "Ana", "email": "old@example.com", "phone": "+1 555 0100"},
        "postal_code": "10002"
    }))
    .unwrap();
    block_on(put_order(
        &store,
        &answers(),
        &shop,
        "1001",
        order,
        runtime.now(),
    ))
    .unwrap();
    let input: ShipmentInput = serde_json::from_value(serde_json::json!({
        "carrier": "dhl", "destination": {"city": "Brooklyn"}
    }))
    .unwrap();
    block_on(put_shipment(
        &store,
        &answers(),
        &shop,
        UPS,
        input,
        Lang::En,
        runtime.now(),
    ))
    .unwrap();
    let batch: EventBatch = serde_json::from_value(serde_json::json!({
        "events": [{"time": "2026-11-20T08:00:00-05:00", "status": "in_transit", "description": "Departed"}]
    }))
    .unwrap();
    block_on(push_events(
        &store,
        &answers(),
        &shop,
        UPS,
        batch,
        runtime.now(),
    ))
    .unwrap();
    let before = block_on(store.shipment(&shop.id, &number(UPS)))
        .unwrap()
        .unwrap();

    let file = format!("Order Number,Email,Tracking Number,Carrier\n1001,ana@example.com,{UPS},\n");
    let result = run(&store, &runtime, &shop, &file, false).unwrap();
    assert_eq!((result.orders_updated, result.shipments_updated), (1, 1));
    let order = block_on(store.order(&shop.id, "1001")).unwrap().unwrap();
    assert_eq!(
        (
            order.status,
            order.email.as_deref(),
            order.phone.as_deref(),
            order.postal_code.as_deref(),
            order.customer_name.as_deref()
        ),
        (
            Status::InTransit,
            Some("ana@example.com"),
            Some("+1 555 0100"),
            Some("10002"),
            Some("Ana")
        ),
        "the email set; status, phone, postal code and name kept"
    );
    let after = block_on(store.shipment(&shop.id, &number(UPS)))
        .unwrap()
        .unwrap();
    assert_eq!(after.order_number.as_deref(), Some("1001"));
    assert_eq!(
        after.carrier,
        Some(Carrier::Dhl),
        "a blank carrier keeps the stored one"
    );
    assert_eq!(
        (
            after.status,
            after.dest_city.as_deref(),
            after.last_event_at
        ),
        (before.status, Some("Brooklyn"), before.last_event_at)
    );
    assert_eq!(
        block_on(store.events(&shop.id, &number(UPS)))
            .unwrap()
            .len(),
        1
    );
    assert_ne!(after.revision, before.revision);
}

#[test]
fn an_import_that_lost_a_race_writes_nothing_then_recomputes() {
    let (store, runtime, shop) = setup();
    let first = format!("Order Number,Email,Tracking Number\n1001,a@x.example,{UPS}\n");
    run(&store, &runtime, &shop, &first, false).unwrap();
    let file = format!(
        "Order Number,Email,Tracking Number,Carrier\n1002,b@x.example,{UPS},dhl\n1003,c@x.example,{S10},\n"
    );
    let rows = import_csv::read(file.as_bytes()).unwrap();
    let wanted = Wanted::of(&rows);
    let plan = block_on(Plan::compute(&store, &shop, &wanted, runtime.now())).unwrap();

    // Another writer changes the shipment between the import's read and its write.
    let mut other = block_on(store.shipment(&shop.id, &number(UPS)))
        .unwrap()
        .unwrap();
    other.dest_city = Some("Memphis".into());
    assert!(block_on(store.save_shipment(&shop, &other, &[])).unwrap());

    let landed = block_on(store.write_import(&shop, &plan.orders, &plan.shipments)).unwrap();
    assert!(!landed, "the stale plan is refused");
    assert_eq!(
        block_on(store.order(&shop.id, "1002")).unwrap(),
        None,
        "all or nothing: not even the new order"
    );
    assert_eq!(
        block_on(store.shipment(&shop.id, &number(S10))).unwrap(),
        None
    );

    // The import proper reads again and computes from the winner's row.
    let result = run(&store, &runtime, &shop, &file, false).unwrap();
    assert_eq!((result.shipments_created, result.shipments_updated), (1, 1));
    let stored = block_on(store.shipment(&shop.id, &number(UPS)))
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            stored.order_number.as_deref(),
            stored.carrier,
            stored.dest_city.as_deref()
        ),
        (Some("1002"), Some(Carrier::Dhl), Some("Memphis")),
        "the other writer's change is kept"
    );
}

#[test]
fn changed_shipments_leave_the_answer_cache() {
    let (store, runtime, shop) = setup();
    let (cache, memory) = (MemoryCache::default(), AnswerMemory::default());
    let answers = Answers::new(&cache, &memory, runtime.now());
    let first = format!("Order Number,Email,Tracking Number,Carrier\n1001,a@x.example,{UPS},\n");
    block_on(import(
        &store,
        &answers,
        &shop,
        first.as_bytes(),
        false,
        runtime.now(),
    ))
    .unwrap();
    let look_up = || {
        let answer = block_on(answer(
            &store,
            &TestCarriers::none().live(),
            &answers,
            &runtime,
            &shop,
            UPS,
            Lang::En,
            runtime.now(),
        ))
        .unwrap();
        serde_json::from_str::<TrackingView>(&answer.body).unwrap()
    };
    assert_eq!(look_up().carrier.unwrap().code, Carrier::Ups);
    let second =
        format!("Order Number,Email,Tracking Number,Carrier\n1001,a@x.example,{UPS},DHL\n");
    block_on(import(
        &store,
        &answers,
        &shop,
        second.as_bytes(),
        false,
        runtime.now(),
    ))
    .unwrap();
    assert_eq!(
        look_up().carrier.unwrap().code,
        Carrier::Dhl,
        "the kept answer was dropped"
    );
}

#[test]
fn rows_of_one_order_must_agree() {
    let file = format!(
        "Order Number,Email,Tracking Number\n1001,a@x.example,{UPS}\n1001,b@x.example,{S10}\n"
    );
    let (rows, _) = bad_rows(import_csv::read(file.as_bytes()).unwrap_err());
    assert_eq!(rows[0].0, 3);
    assert!(rows[0].1.contains("line 2"), "{}", rows[0].1);
}
