//! `POST /v1/imports`: supplier and platform CSV exports, checked whole, stored all or nothing.

use waypost_shared::wire::{CustomerExport, ImportResult, OrderView, Problem, TrackingView};
use waypost_tests::Reply;

use super::{Ctx, Test, UPS};

/// This module's tests, run by the harness in `edge_api.rs`.
pub const TESTS: &[Test] = &[
    (
        "import_makes_parcels_trackable_and_orders_findable",
        import_makes_parcels_trackable_and_orders_findable,
    ),
    (
        "import_dry_run_stores_nothing",
        import_dry_run_stores_nothing,
    ),
    ("import_twice_changes_nothing", import_twice_changes_nothing),
    (
        "import_with_bad_rows_lists_them_and_stores_nothing",
        import_with_bad_rows_lists_them_and_stores_nothing,
    ),
    (
        "import_refuses_other_encodings",
        import_refuses_other_encodings,
    ),
    ("import_needs_its_columns", import_needs_its_columns),
    (
        "import_keeps_formula_cells_as_text",
        import_keeps_formula_cells_as_text,
    ),
    ("import_refuses_too_many_rows", import_refuses_too_many_rows),
    ("import_refuses_large_files", import_refuses_large_files),
    ("import_takes_only_csv", import_takes_only_csv),
    (
        "import_run_twice_at_once_stores_each_row_once",
        import_run_twice_at_once_stores_each_row_once,
    ),
];

const S10: &str = "RR123456785CN";
const FEDEX: &str = "449044304137821";

/// A DSers-like export of AliExpress orders: its own header names, extra columns, Shopify-style
/// `#` order numbers, a multi-line address cell and one order shipped in two parcels.
fn dsers_export() -> String {
    format!(
        "Order No.,Store Name,AliExpress Order ID,Full Name,Email,Phone,Address,City,Zip Code,Country,Product Name,Tracking No.,Carrier\r\n\
         #2001,Demo Store,8123456789012345,Ana Lopez,Ana@Example.com,+1 555 0100,\"12 Main St\r\nApt 4\",New York,10001,US,Mug,{UPS},UPS\r\n\
         #2001,Demo Store,8123456789012346,Ana Lopez,ana@example.com,+1 555 0100,\"12 Main St\r\nApt 4\",New York,10001,US,Plate,{FEDEX},FedEx\r\n\
         #2002,Demo Store,8123456789012347,Ben Ode,ben@example.com,,1 High St,London,SW1A 1AA,GB,Lamp,{S10},\r\n"
    )
}

fn import(ctx: &Ctx, secret: &str, query: &str, content_type: &str, body: Vec<u8>) -> Reply {
    ctx.client
        .post(&format!("/v1/imports{query}"))
        .bearer(secret)
        .raw(content_type, body)
        .send()
        .unwrap()
}

fn import_csv(ctx: &Ctx, secret: &str, query: &str, file: &str) -> Reply {
    import(ctx, secret, query, "text/csv", file.as_bytes().to_vec())
}

fn result(ctx: &Ctx, reply: &Reply) -> ImportResult {
    ctx.conforms(reply, 200, "ImportResult");
    reply.parse()
}

fn import_makes_parcels_trackable_and_orders_findable(ctx: &Ctx) {
    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    let reply = import(
        ctx,
        sk,
        "",
        "text/csv; charset=utf-8",
        dsers_export().into_bytes(),
    );
    let done = result(ctx, &reply);
    assert_eq!(
        (
            done.dry_run,
            done.rows,
            done.orders_created,
            done.shipments_created,
            done.changed
        ),
        (false, 3, 2, 3, true)
    );
    for (number, carrier) in [(UPS, "ups"), (FEDEX, "fedex"), (S10, "s10")] {
        let tracked = ctx.track(pk, number);
        ctx.conforms(&tracked, 200, "TrackingView");
        let view: TrackingView = tracked.parse();
        assert_eq!(view.carrier.unwrap().code.code(), carrier, "{number}");
    }
    let order = ctx.get(&format!("/v1/orders/2001?key={pk}&email=ana@example.com"));
    ctx.conforms(&order, 200, "OrderView");
    let order: OrderView = order.parse();
    assert_eq!(order.shipments.len(), 2, "both parcels of #2001");
    let by_postal_code = ctx.get(&format!("/v1/orders/2002?key={pk}&postal_code=sw1a1aa"));
    ctx.conforms(&by_postal_code, 200, "OrderView");
}

fn import_dry_run_stores_nothing(ctx: &Ctx) {
    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    let done = result(ctx, &import_csv(ctx, sk, "?dry_run=true", &dsers_export()));
    assert_eq!(
        (
            done.dry_run,
            done.orders_created,
            done.shipments_created,
            done.changed
        ),
        (true, 2, 3, true)
    );
    ctx.problem(&ctx.track(pk, UPS), 404, "tracking_not_found");
    ctx.problem(
        &ctx.get(&format!("/v1/orders/2001?key={pk}&email=ana@example.com")),
        404,
        "order_not_found",
    );
    let bad = import_csv(ctx, sk, "?dry_run=maybe", &dsers_export());
    ctx.problem(&bad, 400, "invalid_query");
}

fn import_twice_changes_nothing(ctx: &Ctx) {
    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    result(ctx, &import_csv(ctx, sk, "", &dsers_export()));
    let first_view: TrackingView = ctx.track(pk, UPS).parse();
    let again = result(ctx, &import_csv(ctx, sk, "", &dsers_export()));
    assert_eq!(
        (
            again.changed,
            again.orders_created + again.orders_updated,
            again.shipments_created + again.shipments_updated,
            again.orders_unchanged,
            again.shipments_unchanged
        ),
        (false, 0, 0, 2, 3)
    );
    let etag = ctx.track(pk, UPS).header("etag").map(str::to_owned);
    assert!(etag.is_some());
    assert_eq!(ctx.track(pk, UPS).parse::<TrackingView>(), first_view);

    // A changed carrier is an update, and the next look-up shows it.
    let changed = dsers_export().replace(&format!("{UPS},UPS"), &format!("{UPS},DHL"));
    let update = result(ctx, &import_csv(ctx, sk, "", &changed));
    assert_eq!(
        (update.shipments_updated, update.shipments_unchanged),
        (1, 2)
    );
    let view: TrackingView = ctx.track(pk, UPS).parse();
    assert_eq!(view.carrier.unwrap().code.code(), "dhl");
}

fn import_with_bad_rows_lists_them_and_stores_nothing(ctx: &Ctx) {
    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    // Lines: 1 header, 2, 3-4 (a quoted line break), 5 bad email, 6, 7 no order number, 8
    // another order's tracking number.
    let file = format!(
        "Order Number,Email,Tracking Number,Address\n\
         3001,a@x.example,{UPS},1 Main St\n\
         3002,b@x.example,{S10},\"2 Side St\nFlat 2\"\n\
         3003,not-an-email,{FEDEX},3 Low St\n\
         3004,d@x.example,1Z5R89390357567128,4 Hill St\n\
         ,e@x.example,1Z5R89390357567129,5 Dale St\n\
         3006,f@x.example,{UPS},6 Vale St\n"
    );
    let reply = import_csv(ctx, sk, "", &file);
    let problem: Problem = ctx.problem(&reply, 400, "invalid_rows");
    let lines: Vec<u64> = problem.rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, [5, 7, 8], "{}", reply.text());
    assert_eq!(problem.rows_total, Some(3));
    assert!(problem.rows[0].reason.contains("Email"));
    assert!(problem.rows[2].reason.contains("line 2"));
    ctx.problem(&ctx.track(pk, UPS), 404, "tracking_not_found");
    ctx.problem(&ctx.track(pk, S10), 404, "tracking_not_found");
}

fn import_refuses_other_encodings(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let mut latin1 =
        b"Order Number,Email,Tracking Number,Customer Name\n3001,a@x.example,".to_vec();
    latin1.extend_from_slice(UPS.as_bytes());
    latin1.extend_from_slice(b",Jos\xe9 Mu\xf1oz\n");
    let problem = ctx.problem(
        &import(ctx, sk, "", "text/csv", latin1),
        400,
        "invalid_encoding",
    );
    assert!(problem.detail.contains("UTF-8"), "{}", problem.detail);
    let utf16 = b"\xFF\xFEO\0r\0d\0e\0r\0".to_vec();
    let problem = ctx.problem(
        &import(ctx, sk, "", "text/csv", utf16),
        400,
        "invalid_encoding",
    );
    assert!(problem.detail.contains("UTF-16"), "{}", problem.detail);
}

fn import_needs_its_columns(ctx: &Ctx) {
    let shop = ctx.shop();
    let reply = import_csv(
        ctx,
        &shop.secret_key,
        "",
        "Order Number,Customer Email,Courier\n3001,a@x.example,UPS\n",
    );
    let problem = ctx.problem(&reply, 400, "missing_column");
    assert!(
        problem.detail.contains("tracking number") && problem.detail.contains("waybill"),
        "{}",
        problem.detail
    );
}

fn import_keeps_formula_cells_as_text(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
    let file = format!(
        "Order Number,Email,Tracking Number,Customer Name\n3001,formula@x.example,{UPS},\"{}\"\n",
        formula.replace('"', "\"\"")
    );
    result(ctx, &import_csv(ctx, sk, "", &file));
    let export = ctx
        .client
        .get("/v1/customers?email=formula@x.example")
        .bearer(sk)
        .send()
        .unwrap();
    ctx.conforms(&export, 200, "CustomerExport");
    let export: CustomerExport = export.parse();
    assert_eq!(export.orders[0].contact.name.as_deref(), Some(formula));
}

fn import_refuses_too_many_rows(ctx: &Ctx) {
    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    let mut file = format!("Order Number,Email,Tracking Number\n1,one@x.example,{UPS}\n");
    for k in 2..=20_001 {
        file.push_str(&format!("{k},c@x.example,\n"));
    }
    let problem = import_csv(ctx, sk, "", &file);
    let problem = ctx.problem(&problem, 400, "too_many_rows");
    assert!(problem.detail.contains("20000"), "{}", problem.detail);
    ctx.problem(&ctx.track(pk, UPS), 404, "tracking_not_found");
}

fn import_refuses_large_files(ctx: &Ctx) {
    let shop = ctx.shop();
    let mut file = format!("Order Number,Email,Tracking Number,Note\n1,one@x.example,{UPS},");
    file.push_str(&"x".repeat(5 * 1024 * 1024));
    file.push('\n');
    let reply = import_csv(ctx, &shop.secret_key, "", &file);
    ctx.problem(&reply, 413, "payload_too_large");
}

fn import_takes_only_csv(ctx: &Ctx) {
    let shop = ctx.shop();
    let sk = &shop.secret_key;
    let file = dsers_export().into_bytes();
    for content_type in [
        "application/json",
        "text/plain",
        "text/csv; charset=iso-8859-1",
    ] {
        let reply = import(ctx, sk, "", content_type, file.clone());
        let problem = ctx.problem(&reply, 415, "unsupported_media_type");
        assert!(problem.detail.contains("text/csv"), "{}", problem.detail);
    }
    let publishable = import(ctx, &shop.publishable_key, "", "text/csv", file);
    assert!(
        [401, 403].contains(&publishable.status),
        "a publishable key may not import: {}",
        publishable.status
    );
}

fn import_run_twice_at_once_stores_each_row_once(ctx: &Ctx) {
    let shop = ctx.shop();
    let (pk, sk) = (&shop.publishable_key, &shop.secret_key);
    let rows = 2_000;
    let mut file = String::from("Order Number,Email,Tracking Number,Carrier\n");
    for k in 0..rows {
        file.push_str(&format!("R{k},r{k}@x.example,1ZRACE{k:012},UPS\n"));
    }
    // Both read before either writes (most of the time): the later write finds the rows it
    // meant to create already there, reads again and writes nothing, rather than failing.
    let results: Vec<ImportResult> = std::thread::scope(|scope| {
        let sends: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| import_csv(ctx, sk, "", &file)))
            .collect();
        sends
            .into_iter()
            .map(|send| result(ctx, &send.join().unwrap()))
            .collect()
    });
    let created: u64 = results.iter().map(|r| r.shipments_created).sum();
    let unchanged: u64 = results.iter().map(|r| r.shipments_unchanged).sum();
    assert_eq!((created, unchanged), (rows, rows), "{results:?}");
    let orders: u64 = results.iter().map(|r| r.orders_created).sum();
    assert!(orders >= rows, "{results:?}");
    let tracked = ctx.track(pk, "1ZRACE000000001999");
    ctx.conforms(&tracked, 200, "TrackingView");
}
