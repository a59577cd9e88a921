//! `cargo xtask <command>`: every build and tool step of Waypost, idempotent, with progress
//! messages, so a fresh clone needs nothing done by hand.
//!
//! - `test`: formatting, clippy (host and wasm32), every test, the wasm32 build of the shared crate.
//! - `dev`: builds and runs the edge API locally with a seeded demo shop.
//! - `bench`: the benchmarks, figures printed; `bench scale` runs only the big-shop one, `bench
//!   track` only the warm look-up against `/healthz`, `bench imports` only the 20,000-row CSV
//!   import, `bench webhooks` only the Shopify webhook deliveries per second, `bench notify` only
//!   the notifications through the queue (messages per second, each notice exactly once).
//! - `deploy`: puts Waypost on the retailer's Cloudflare account, or upgrades it there;
//!   `deploy --dry-run` builds and bundles and prints the plan without the account.
//! - `size`: the widget's download size, checked against its budget, and the console's.
//! - `fuzz`: schemathesis against the local Worker's OpenAPI document (not part of `test`).

mod bench;
mod bench_imports;
mod bench_notify;
mod bench_scale;
mod bench_track;
mod bench_webhooks;
mod console;
mod deploy;
#[cfg(test)]
mod deploy_tests;
mod edge;
mod fuzz;
mod run;
mod toolchain;
mod widget;

use std::process::ExitCode;

use run::{Step, workspace_root};

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "test" => test(),
        "dev" => dev(),
        "bench" if std::env::args().nth(2).as_deref() == Some("scale") => bench_scale(),
        "bench" if std::env::args().nth(2).as_deref() == Some("track") => bench_track(),
        "bench" if std::env::args().nth(2).as_deref() == Some("imports") => bench_imports(),
        "bench" if std::env::args().nth(2).as_deref() == Some("webhooks") => bench_webhooks(),
        "bench" if std::env::args().nth(2).as_deref() == Some("notify") => bench_notify(),
        "bench" => bench(),
        "deploy" => deploy(),
        "size" => size(),
        "fuzz" => fuzz::fuzz(),
        _ => {
            eprintln!(
                "usage: cargo xtask <test | dev | deploy [--dry-run] | bench [scale | track | imports | webhooks | notify] | size | fuzz>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask {command} failed: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Everything the project checks, in the order that fails fastest.
fn test() -> Result<(), String> {
    toolchain::ensure_components(&["rustfmt", "clippy"])?;
    toolchain::ensure_target(toolchain::WASM_TARGET)?;
    let vectors = workspace_root().join("../shared/vectors/tracking_number_data");
    if std::env::var_os("WAYPOST_VECTORS").is_none() && !vectors.is_dir() {
        println!(
            "note: {} is missing; the conformance test will fail and name it",
            vectors.display()
        );
    }
    Step::cargo("formatting", &["fmt", "--all", "--check"]).run()?;
    Step::cargo(
        "clippy (host)",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    Step::cargo(
        "clippy (wasm32: shared crate, Worker, widget, console)",
        &[
            "clippy",
            "-p",
            "waypost-shared",
            "-p",
            "waypost-edge",
            "-p",
            "waypost-widget",
            "-p",
            "waypost-console",
            "--target",
            toolchain::WASM_TARGET,
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    Step::cargo(
        "clippy (widget component tests)",
        &[
            "clippy",
            "-p",
            "waypost-widget",
            "--target",
            toolchain::WASM_TARGET,
            "--tests",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    widget::build()?;
    widget::check_size()?;
    console::print_size()?;
    edge::build_worker()?;
    println!("\n==> cargo xtask deploy --dry-run");
    deploy::Deployer::for_repository(&deploy::DeployOptions::default()).dry_run()?;
    toolchain::ensure_chromium()?;
    Step::cargo(
        "widget component tests in headless Chromium (wasm-bindgen-test)",
        &[
            "test",
            "--target",
            toolchain::WASM_TARGET,
            "-p",
            "waypost-widget",
            "--locked",
        ],
    )
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        &toolchain::tools_dir()
            .join("bin/wasm-bindgen-test-runner")
            .to_string_lossy(),
    )
    .run()?;
    Step::cargo(
        "unit, property, snapshot, conformance, end-to-end and browser tests",
        &["test", "--workspace", "--locked"],
    )
    .env("INSTA_UPDATE", "no")
    .run()?;
    println!("\nall checks passed");
    Ok(())
}

/// Builds the widget and the console; prints the widget's download size against the budget,
/// and the console's.
fn size() -> Result<(), String> {
    widget::build()?;
    widget::check_size()?;
    console::print_size()
}

/// Runs Waypost locally: the edge API with a demo shop.
fn dev() -> Result<(), String> {
    edge::dev()
}

/// The benchmarks; each prints its figures.
fn bench() -> Result<(), String> {
    bench::bench()
}

/// Only the warm look-up against `/healthz`.
fn bench_track() -> Result<(), String> {
    widget::build()?;
    edge::build_worker()?;
    bench_track::bench_track()
}

/// Only the 20,000-row CSV import (dry run, real, and again unchanged).
fn bench_imports() -> Result<(), String> {
    widget::build()?;
    edge::build_worker()?;
    bench_imports::bench_imports()
}

/// `cargo xtask deploy [--dry-run] [--url <url>] [--shop-name <name>] [--origin <origin>]...`.
fn deploy() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    deploy::deploy(&deploy::DeployOptions::parse(&args)?)
}

/// Only the Shopify webhook deliveries per second (new, then repeated).
fn bench_webhooks() -> Result<(), String> {
    widget::build()?;
    edge::build_worker()?;
    bench_webhooks::bench_webhooks()
}

/// Only the notifications through the queue: messages per second end to end, and 1,000 events
/// for 100 shipments telling each notice exactly once.
fn bench_notify() -> Result<(), String> {
    widget::build()?;
    edge::build_worker()?;
    bench_notify::bench_notify()
}

/// Only the big-shop benchmark (one shop with a million shipments in local D1).
fn bench_scale() -> Result<(), String> {
    // wrangler dev serves the widget's files too.
    widget::build()?;
    edge::build_worker()?;
    bench_scale::bench_scale()
}
