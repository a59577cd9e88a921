//! How fast the widget shows a timeline: in headless Chromium, from the moment the browser starts
//! fetching `widget.js` to the first timeline entry in the shadow root, over 20 page loads of a
//! storefront on another origin, against the Worker on `wrangler dev`. Prints figures only.
#![allow(missing_docs, reason = "a benchmark program")]

use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use serde_json::Value;
use waypost_tests::chromedriver::ChromeDriver;
use waypost_tests::demo;
use waypost_tests::server::free_port;
use waypost_tests::storefront::Storefront;
use waypost_tests::{Client, EdgeServer, Mode};

const LOADS: usize = 20;

/// Records when the first timeline entry appears, checking every animation frame.
const PROBE: &str = "<script>window.__timeline = null;(function poll() {
  const entry = document.querySelector('waypost-tracker')?.shadowRoot?.querySelector('.wp-event');
  if (entry) { window.__timeline = performance.now(); } else { requestAnimationFrame(poll); }
})();</script>";

const MEASURE: &str = "const start = performance.getEntriesByType('resource').find(e => e.name.endsWith('/widget.js'));
return window.__timeline === null || !start ? null : [window.__timeline - start.startTime, window.__timeline];";

async fn run() -> Result<(), String> {
    let state = std::env::temp_dir().join(format!("waypost-speed-{}", std::process::id()));
    let edge = EdgeServer::start(free_port()?, state, Mode::Bench, &[])?;
    let store = Storefront::start()?;
    let seeded = demo::seed(
        &Client::new(&edge.base_url),
        &edge.admin_token,
        &[&store.origin],
    )?;
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">{PROBE}</head><body>
<waypost-tracker shop="{}" tracking-number="RR123456785CN"></waypost-tracker>
<script type="module" src="{}/widget.js"></script></body></html>"#,
        seeded.shop.publishable_key, edge.base_url
    );
    let url = store.page("/speed", html);
    let driver = ChromeDriver::start()?;
    let browser = ClientBuilder::rustls()
        .map_err(|e| e.to_string())?
        .capabilities(driver.capabilities())
        .connect(&driver.url)
        .await
        .map_err(|e| e.to_string())?;
    let mut from_script = Vec::new();
    let mut from_navigation = Vec::new();
    for _ in 0..LOADS {
        browser.goto(&url).await.map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(30);
        let figures = loop {
            let value = browser
                .execute(MEASURE, vec![])
                .await
                .map_err(|e| e.to_string())?;
            if let Value::Array(pair) = value {
                break pair.iter().filter_map(Value::as_f64).collect::<Vec<_>>();
            }
            if Instant::now() > deadline {
                return Err("the timeline never rendered".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        from_script.push(figures[0]);
        from_navigation.push(figures[1]);
    }
    let _ = browser.close().await;
    report("widget.js requested → first timeline entry", &from_script);
    report("navigation start → first timeline entry", &from_navigation);
    Ok(())
}

fn report(what: &str, samples: &[f64]) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what}, {} page loads: first (cold) {:.0} ms, median {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        samples.len(),
        samples[0],
        at(0.5),
        at(0.95),
        sorted[sorted.len() - 1]
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if let Err(error) = runtime.block_on(run()) {
        eprintln!("widget speed benchmark failed: {error}");
        std::process::exit(1);
    }
}
