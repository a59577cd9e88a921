//! `cargo xtask bench`: detection throughput (criterion); load on the local Worker with wrk
//! (tracking look-ups and event ingestion; a warm look-up against `/healthz`, `bench_track`); a
//! 20,000-row CSV import (`bench_imports`); Shopify webhook deliveries per second
//! (`bench_webhooks`); notifications through the local queue to the local catcher, messages per
//! second and each notice exactly once (`bench_notify`, which fails the run on a notice sent twice
//! or missing); live carrier look-ups against a fake carrier (carrier calls per burst,
//! cached look-up latency); the widget's time to first timeline in headless Chromium; one shop
//! with a million shipments in local D1 (`bench_scale`). Prints figures; asserts nothing but the
//! notifications' exactly once.

use std::path::Path;
use std::time::Instant;

use serde_json::json;
use waypost_shared::wire::ShopCreated;
use waypost_tests::server::free_port;
use waypost_tests::{Behaviour, EdgeServer, FakeCarrier, Mode, demo};

use crate::edge;
use crate::run::Step;

/// Connections the load keeps open.
const CONNECTIONS: &str = "50";

/// Runs every benchmark.
pub fn bench() -> Result<(), String> {
    Step::cargo(
        "detection throughput over the public vectors (criterion)",
        &[
            "bench",
            "-p",
            "waypost-shared",
            "--bench",
            "detect",
            "--locked",
        ],
    )
    .run()?;
    crate::widget::build()?;
    crate::widget::check_size()?;
    edge::build_worker()?;
    edge::dry_run()?;
    ensure_wrk()?;
    let state = std::env::temp_dir().join(format!("waypost-bench-{}", std::process::id()));
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &[])?;
    let seeded = demo::seed(&server.client(), &server.admin_token, &[])?;

    let paths: Vec<String> = seeded
        .shipments
        .iter()
        .map(|(_, number)| format!("\"/v1/track/{number}?key={}\"", seeded.shop.publishable_key))
        .collect();
    let track_script = format!(
        "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
        paths.join(", ")
    );
    load(
        &server,
        "GET /v1/track/{number}: 50 connections, 30 s",
        &track_script,
        "30s",
    )?;

    let ingest_script = format!(
        r#"local secret = "{secret}"
local i = 0
local tag = tostring(math.random(1, 1000000000))
request = function()
  i = i + 1
  local events = {{}}
  for k = 1, 20 do
    events[k] = string.format('{{"time":"2026-11-20T%02d:%02d:00-05:00","status":"in_transit","description":"bench %s %d %d"}}', k % 24, i % 60, tag, i, k)
  end
  local body = '{{"events":[' .. table.concat(events, ",") .. ']}}'
  local path = string.format("/v1/shipments/WB%s%d/events", tag, i)
  return wrk.format("POST", path, {{["Authorization"] = "Bearer " .. secret, ["Content-Type"] = "application/json"}}, body)
end
"#,
        secret = seeded.shop.secret_key
    );
    load(
        &server,
        "POST /v1/shipments/{number}/events, 20 events a batch: 50 connections, 15 s",
        &ingest_script,
        "15s",
    )?;
    drop(server);
    crate::bench_track::bench_track()?;
    crate::bench_imports::bench_imports()?;
    crate::bench_webhooks::bench_webhooks()?;
    crate::bench_notify::bench_notify()?;
    carriers()?;
    crate::bench_scale::bench_scale()?;
    crate::toolchain::ensure_chromium()?;
    Step::cargo(
        "widget: script start to first rendered timeline, headless Chromium, 20 page loads",
        &[
            "bench",
            "-p",
            "waypost-tests",
            "--bench",
            "widget_speed",
            "--locked",
        ],
    )
    .run()
}

/// Distinct numbers in the carrier burst.
const BURST_NUMBERS: usize = 50;
/// Look-ups in the carrier burst.
const BURST_LOOKUPS: usize = 1000;
/// Concurrent clients in the carrier burst.
const BURST_CLIENTS: usize = 50;

/// Live carrier look-ups against the fake carrier: how many carrier calls a burst of look-ups
/// costs, then the latency of look-ups the cache answers.
fn carriers() -> Result<(), String> {
    let fake = FakeCarrier::start()?;
    let state = std::env::temp_dir().join(format!("waypost-bench-carriers-{}", std::process::id()));
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &fake.worker_vars())?;
    let client = server.client();
    let shop = client.create_shop(
        &server.admin_token,
        &json!({ "name": "Bench", "transit_days": { "min_days": 2, "max_days": 6 }, "live_carriers": ["ups"] }),
    )?;
    let numbers: Vec<String> = (0..BURST_NUMBERS)
        .map(|i| format!("WPBENCH{i:03}"))
        .collect();
    for number in &numbers {
        let reply = client
            .put(&format!("/v1/shipments/{number}"))
            .bearer(&shop.secret_key)
            .json(&json!({ "carrier": "ups" }))
            .send()?;
        if reply.status != 200 && reply.status != 201 {
            return Err(format!("registering {number}: {}", reply.text()));
        }
        fake.script("ups", number, Behaviour::Case("in_transit"));
    }

    // Every client starts on the same few numbers, so the first look-ups of a number overlap.
    let started = Instant::now();
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..BURST_CLIENTS)
            .map(|t| {
                let (client, numbers, key) = (client.clone(), &numbers, &shop.publishable_key);
                scope.spawn(move || {
                    (0..BURST_LOOKUPS / BURST_CLIENTS)
                        .map(|k| {
                            let number = &numbers[(3 * k + t % 5) % BURST_NUMBERS];
                            client
                                .get(&format!("/v1/track/{number}?key={key}"))
                                .send()
                                .map_or(0, |reply| reply.status)
                        })
                        .collect::<Vec<u16>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let elapsed = started.elapsed();
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let mut others: Vec<u16> = statuses.iter().copied().filter(|s| *s != 200).collect();
    others.sort_unstable();
    others.dedup();
    println!(
        "\n==> live carrier look-ups: a burst of {BURST_LOOKUPS} look-ups of {BURST_NUMBERS} distinct numbers, {BURST_CLIENTS} clients"
    );
    println!(
        "  answered 200: {ok} of {}, in {:.2} s (other statuses: {others:?}; 0 = no answer)",
        statuses.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "  carrier calls: {} tracking + {} token (aim: {BURST_NUMBERS} + token fetches)",
        fake.all_track_hits("ups"),
        fake.token_hits("ups")
    );

    let paths: Vec<String> = numbers
        .iter()
        .map(|number| format!("\"/v1/track/{number}?key={}\"", shop.publishable_key))
        .collect();
    let script = format!(
        "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
        paths.join(", ")
    );
    let hits_before = fake.all_track_hits("ups");
    load_with(
        &server,
        "GET /v1/track/{number}, carrier answer cached: one connection, 10 s",
        &script,
        "10s",
        "1",
    )?;
    load(
        &server,
        "GET /v1/track/{number}, carrier answer cached: 50 connections, 20 s",
        &script,
        "20s",
    )?;
    println!(
        "  carrier calls during the load: {}",
        fake.all_track_hits("ups") - hits_before
    );
    Ok(())
}

/// Runs wrk with a Lua script over [`CONNECTIONS`] connections and prints its figures.
fn load(server: &EdgeServer, title: &str, script: &str, duration: &str) -> Result<(), String> {
    load_with(server, title, script, duration, CONNECTIONS)
}

/// Runs wrk with a Lua script over `connections` connections and prints its figures.
fn load_with(
    server: &EdgeServer,
    title: &str,
    script: &str,
    duration: &str,
    connections: &str,
) -> Result<(), String> {
    let path = server.state_dir().join("load.lua");
    std::fs::write(&path, script).map_err(|e| e.to_string())?;
    let threads = if connections == "1" { "-t1" } else { "-t2" };
    let args = [
        threads,
        "-c",
        connections,
        "-d",
        duration,
        "--latency",
        "-s",
        path_str(&path)?,
        &server.base_url,
    ];
    let output = Step::new(title, "wrk", &args).output()?;
    println!("\n==> {title}");
    for line in output.lines() {
        let line = line.trim();
        let wanted = [
            "Requests/sec",
            "50%",
            "90%",
            "99%",
            "Non-2xx",
            "Socket errors",
            "requests in",
        ];
        if wanted
            .iter()
            .any(|w| line.starts_with(w) || line.contains(w))
        {
            println!("  {line}");
        }
    }
    if !output.contains("Non-2xx") && !output.contains("Socket errors") {
        println!("  errors: none (no non-2xx answers, no socket errors)");
    }
    Ok(())
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str().ok_or_else(|| "path is not UTF-8".to_owned())
}

/// A shop for a benchmark on `server`, made with the admin token.
pub fn bench_shop(server: &EdgeServer) -> Result<ShopCreated, String> {
    server.client().create_shop(
        &server.admin_token,
        &json!({ "name": "Bench", "transit_days": { "min_days": 7, "max_days": 15 } }),
    )
}

/// wrk from Debian's packages, installed when missing.
pub fn ensure_wrk() -> Result<(), String> {
    if Step::new("wrk --version", "wrk", &["--version"])
        .output()
        .is_ok()
        || which("wrk")
    {
        return Ok(());
    }
    Step::new("updating apt", "apt-get", &["update"]).run()?;
    Step::new("installing wrk", "apt-get", &["install", "-y", "wrk"]).run()
}

fn which(program: &str) -> bool {
    std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .any(|dir| Path::new(dir).join(program).exists())
}
