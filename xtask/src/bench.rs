//! `cargo xtask bench`: detection throughput (criterion); load on the local Worker with wrk
//! (tracking look-ups and event ingestion); the widget's time to first timeline in headless
//! Chromium. Prints figures; asserts nothing.

use std::path::Path;

use waypost_tests::server::free_port;
use waypost_tests::{EdgeServer, Mode, demo};

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

/// Runs wrk with a Lua script and prints its figures.
fn load(server: &EdgeServer, title: &str, script: &str, duration: &str) -> Result<(), String> {
    let path = server.state_dir().join("load.lua");
    std::fs::write(&path, script).map_err(|e| e.to_string())?;
    let args = [
        "-t2",
        "-c",
        CONNECTIONS,
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

/// wrk from Debian's packages, installed when missing.
fn ensure_wrk() -> Result<(), String> {
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
