//! `cargo xtask bench webhooks`: how many Shopify webhook deliveries the local Worker verifies,
//! reads and applies per second. Client threads send Shopify's documented `fulfillments/create`
//! payload, each delivery with its own webhook id, fulfillment and tracking number, signed with the
//! shop's secret; then the same deliveries again (each a duplicate, acknowledged without being
//! applied). Timed from the client; figures printed.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::json;
use waypost_shared::wire::{WebhookAck, WebhookOutcome};
use waypost_tests::platform_webhooks::{shopify_fulfillment, sign};
use waypost_tests::server::free_port;
use waypost_tests::{Client, EdgeServer, Mode};

/// Client threads sending at once.
const THREADS: usize = 8;
/// Deliveries each thread sends per pass.
const PER_THREAD: usize = 150;
/// The shop's webhook secret.
const SECRET: &str = "bench-shopify-webhook-secret-0123456789";

/// One signed delivery: its path, webhook id, signature and body.
struct Delivery {
    path: String,
    id: String,
    signature: String,
    body: Vec<u8>,
}

/// Runs the benchmark and prints its figures.
pub fn bench_webhooks() -> Result<(), String> {
    let state = std::env::temp_dir().join(format!("waypost-bench-webhooks-{}", std::process::id()));
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &[])?;
    let client = server.client();
    let shop = crate::bench::bench_shop(&server)?;
    let reply = client
        .put("/v1/integrations/shopify")
        .bearer(&shop.secret_key)
        .json(&json!({ "webhook_secret": SECRET }))
        .send()?;
    if reply.status != 200 {
        return Err(format!("setting the integration: {}", reply.text()));
    }
    let path = format!("/v1/webhooks/shopify/{}", shop.shop_id);
    let deliveries: Vec<Vec<Delivery>> = (0..THREADS)
        .map(|thread| {
            (0..PER_THREAD)
                .map(|k| {
                    let id = (thread * PER_THREAD + k) as u64;
                    let number = format!("WB{thread:02}{k:05}");
                    let body = shopify_fulfillment(
                        1_000_000 + id,
                        &format!("B{id}"),
                        &[&number],
                        "UPS",
                        "2026-11-20T10:00:00-05:00",
                    )
                    .to_string()
                    .into_bytes();
                    Delivery {
                        path: path.clone(),
                        id: format!("bench-{id}"),
                        signature: sign(SECRET, &body),
                        body,
                    }
                })
                .collect()
        })
        .collect();
    println!(
        "\n==> POST /v1/webhooks/shopify/{{shop}}: Shopify's documented fulfillments/create, {THREADS} client threads x {PER_THREAD} deliveries"
    );
    for (label, expected) in [
        (
            "new deliveries (verified, read, applied)",
            WebhookOutcome::Applied,
        ),
        ("the same again (duplicates)", WebhookOutcome::Duplicate),
    ] {
        let latencies = Mutex::new(Vec::new());
        let failures = Mutex::new(Vec::new());
        let started = Instant::now();
        std::thread::scope(|scope| {
            for batch in &deliveries {
                let client = server.client();
                let (latencies, failures) = (&latencies, &failures);
                scope.spawn(move || {
                    for delivery in batch {
                        let sent = Instant::now();
                        match send(&client, delivery) {
                            Ok(ack) if ack.outcome == expected => {
                                latencies.lock().expect("not poisoned").push(sent.elapsed());
                            }
                            Ok(ack) => failures
                                .lock()
                                .expect("not poisoned")
                                .push(format!("{}: {:?}", delivery.id, ack.outcome)),
                            Err(error) => failures.lock().expect("not poisoned").push(error),
                        }
                    }
                });
            }
        });
        let elapsed = started.elapsed();
        let failures = failures.into_inner().expect("not poisoned");
        if let Some(first) = failures.first() {
            return Err(format!("{label}: {} failed, e.g. {first}", failures.len()));
        }
        let mut latencies = latencies.into_inner().expect("not poisoned");
        latencies.sort();
        let at = |share: f64| latencies[((latencies.len() - 1) as f64 * share) as usize];
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  {label:<42} {:>7.0} deliveries/s  p50 {:>6.1} ms  p99 {:>6.1} ms  ({} in {:.1} s)",
            latencies.len() as f64 / elapsed.as_secs_f64(),
            ms(at(0.5)),
            ms(at(0.99)),
            latencies.len(),
            elapsed.as_secs_f64()
        );
    }
    Ok(())
}

fn send(client: &Client, delivery: &Delivery) -> Result<WebhookAck, String> {
    let reply = client
        .post(&delivery.path)
        .header("X-Shopify-Topic", "fulfillments/create")
        .header("X-Shopify-Webhook-Id", &delivery.id)
        .header("X-Shopify-Hmac-Sha256", &delivery.signature)
        .raw("application/json", delivery.body.clone())
        .send()?;
    if reply.status == 200 {
        Ok(reply.parse())
    } else {
        Err(format!("{} {}", reply.status, reply.text()))
    }
}
