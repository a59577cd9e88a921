//! `cargo xtask bench track`: what a warm public look-up costs next to an empty request, on one
//! local Worker in one run. Rounds of `GET /healthz` and `GET /v1/track/{number}` (a shipment
//! with 30 events, four languages in turn) alternate, so both see the same machine load; the
//! figures are the sums and means over the rounds.

use serde_json::json;
use waypost_tests::server::free_port;
use waypost_tests::{EdgeServer, Mode};

use crate::run::Step;

/// Connections each round keeps open (a busy storefront's widgets).
const CONNECTIONS: &str = "20";
/// Seconds per round.
const ROUND_SECS: u32 = 5;
/// Rounds of each kind.
const ROUNDS: usize = 5;
/// Events of the looked-up shipment.
const EVENTS: usize = 30;
/// Throughput the look-up must reach, as a share of `/healthz`'s.
const TARGET_THROUGHPUT: f64 = 0.8;
/// The look-up's p99 may be at most this many times `/healthz`'s.
const TARGET_P99: f64 = 1.5;

/// One wrk round's figures.
#[derive(Debug, Clone, Copy, Default)]
struct Round {
    requests: u64,
    non_2xx: u64,
    p99_ms: f64,
}

/// Runs the comparison and prints it.
pub fn bench_track() -> Result<(), String> {
    crate::bench::ensure_wrk()?;
    let state = std::env::temp_dir().join(format!("waypost-bench-track-{}", std::process::id()));
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &[])?;
    let (number, key) = seed(&server)?;
    let script = server.state_dir().join("track.lua");
    let paths: Vec<String> = ["en", "es", "fr", "de"]
        .iter()
        .map(|lang| format!("\"/v1/track/{number}?key={key}&lang={lang}\""))
        .collect();
    std::fs::write(
        &script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            paths.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    let script = script.to_string_lossy().into_owned();

    // Warm both paths (isolate start, first build of each language's answer).
    round(&server, "/healthz", None, 2)?;
    round(&server, "/", Some(&script), 2)?;
    let (mut health, mut track) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        health.push(round(&server, "/healthz", None, ROUND_SECS)?);
        track.push(round(&server, "/", Some(&script), ROUND_SECS)?);
    }

    let total = |rounds: &[Round]| rounds.iter().map(|r| r.requests).sum::<u64>();
    let errors = |rounds: &[Round]| rounds.iter().map(|r| r.non_2xx).sum::<u64>();
    let mean_p99 = |rounds: &[Round]| rounds.iter().map(|r| r.p99_ms).sum::<f64>() / ROUNDS as f64;
    let seconds = f64::from(ROUND_SECS) * ROUNDS as f64;
    let throughput = total(&track) as f64 / total(&health) as f64;
    let p99 = mean_p99(&track) / mean_p99(&health);
    println!(
        "\n==> GET /v1/track/{{number}} ({EVENTS} events, en/es/fr/de in turn) vs GET /healthz: {ROUNDS} alternating rounds of {ROUND_SECS} s each, {CONNECTIONS} connections"
    );
    println!(
        "  /healthz:       {:>8.0} requests/s, p99 {:>7.2} ms (mean of rounds), non-2xx {}",
        total(&health) as f64 / seconds,
        mean_p99(&health),
        errors(&health)
    );
    println!(
        "  /v1/track/{{n}}:  {:>8.0} requests/s, p99 {:>7.2} ms (mean of rounds), non-2xx {}",
        total(&track) as f64 / seconds,
        mean_p99(&track),
        errors(&track)
    );
    println!(
        "  look-up / healthz: throughput {throughput:.2} (target >= {TARGET_THROUGHPUT}), p99 {p99:.2} (target <= {TARGET_P99})"
    );
    for (k, (h, t)) in health.iter().zip(&track).enumerate() {
        println!(
            "    round {}: healthz {} req, p99 {:.2} ms | track {} req, p99 {:.2} ms",
            k + 1,
            h.requests,
            h.p99_ms,
            t.requests,
            t.p99_ms
        );
    }
    Ok(())
}

/// A shop with one shipment of [`EVENTS`] events: its number and the publishable key.
fn seed(server: &EdgeServer) -> Result<(String, String), String> {
    let client = server.client();
    let shop = crate::bench::bench_shop(server)?;
    let number = "1Z5R89390357567127";
    let events: Vec<_> = (0..EVENTS)
        .map(|k| {
            json!({
                "time": format!("2026-11-{:02}T{:02}:15:00-05:00", 1 + k / 4, 6 + 3 * (k % 4)),
                "status": "in_transit",
                "description": format!("Departed facility {k}"),
                "location": { "city": "Louisville", "region": "KY", "country": "US" }
            })
        })
        .collect();
    let reply = client
        .post(&format!("/v1/shipments/{number}/events"))
        .bearer(&shop.secret_key)
        .json(&json!({ "events": events }))
        .send()?;
    if reply.status != 200 && reply.status != 201 {
        return Err(format!("seeding the shipment: {}", reply.text()));
    }
    Ok((number.to_owned(), shop.publishable_key))
}

/// One wrk round against `path` (or the script's paths).
fn round(
    server: &EdgeServer,
    path: &str,
    script: Option<&str>,
    seconds: u32,
) -> Result<Round, String> {
    let duration = format!("{seconds}s");
    let url = format!("{}{path}", server.base_url);
    let mut args = vec!["-t2", "-c", CONNECTIONS, "-d", &duration, "--latency"];
    if let Some(script) = script {
        args.extend(["-s", script]);
    }
    args.push(&url);
    let output = Step::new("wrk round", "wrk", &args).output()?;
    Ok(read_wrk(&output))
}

/// Requests, non-2xx answers and p99 from wrk's report.
fn read_wrk(output: &str) -> Round {
    let mut round = Round::default();
    for line in output.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("99%"), Some(latency)) => round.p99_ms = millis(latency),
            (Some(count), Some("requests")) => round.requests = count.parse().unwrap_or(0),
            (Some("Non-2xx"), _) => {
                round.non_2xx = line
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
            }
            _ => {}
        }
    }
    round
}

/// wrk's `812.00us`, `12.34ms` or `1.20s` in milliseconds.
fn millis(latency: &str) -> f64 {
    let split = latency
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(latency.len());
    let (value, unit) = latency.split_at(split);
    let value: f64 = value.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => value / 1000.0,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => value,
    }
}
