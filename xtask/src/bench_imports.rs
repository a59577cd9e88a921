//! `cargo xtask bench imports`: what a full CSV import costs on the local Worker. A file of
//! 20,000 rows (the most one import takes: 20,000 orders, each with a new tracking number) is sent
//! as a dry run, then for real, then again (every row unchanged); each is timed end to end from
//! the client, the figures printed.

use std::time::Instant;

use serde_json::Value;
use waypost_tests::server::free_port;
use waypost_tests::{EdgeServer, Mode};

/// Rows of the file.
const ROWS: usize = 20_000;

/// Runs the benchmark and prints its figures.
pub fn bench_imports() -> Result<(), String> {
    let state = std::env::temp_dir().join(format!("waypost-bench-imports-{}", std::process::id()));
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &[])?;
    let client = server.client();
    let shop = crate::bench::bench_shop(&server)?;
    let file = export(ROWS);
    println!(
        "\n==> POST /v1/imports: {ROWS} rows ({} bytes), one request each, timed from the client",
        file.len()
    );
    for (label, query) in [
        ("dry run", "?dry_run=true"),
        ("import", ""),
        ("same file again (unchanged)", ""),
    ] {
        let started = Instant::now();
        let reply = client
            .post(&format!("/v1/imports{query}"))
            .bearer(&shop.secret_key)
            .raw("text/csv", file.clone().into_bytes())
            .send()?;
        let elapsed = started.elapsed();
        if reply.status != 200 {
            return Err(format!("{label}: {} {}", reply.status, reply.text()));
        }
        let result: Value = reply.json();
        println!(
            "  {label:<28} {:>8.0} ms  orders created {}, shipments created {}, unchanged {}",
            elapsed.as_secs_f64() * 1000.0,
            result["orders_created"],
            result["shipments_created"],
            result["shipments_unchanged"]
        );
    }
    Ok(())
}

/// A DSers-like export of `rows` orders, each with its own UPS-like tracking number.
fn export(rows: usize) -> String {
    let mut file = String::from(
        "Order No.,Store Name,Full Name,Email,Zip Code,Country,Product Name,Tracking No.,Carrier\n",
    );
    for k in 0..rows {
        file.push_str(&format!(
            "#B{k:06},Bench Store,Customer {k},customer{k}@example.com,{:05},US,Mug,1ZBENCH{k:011},UPS\n",
            10_000 + k % 90_000
        ));
    }
    file
}
