//! Building, bundling and running the edge Worker.

use std::path::PathBuf;

use waypost_tests::{Catcher, EdgeServer, FakeSeventeenTrack, Mode, demo};

use crate::run::{Step, workspace_root};
use crate::toolchain::{edge_dir, ensure_npm_packages, ensure_wasm_tools, tools_dir};

/// The port `cargo xtask dev` serves on.
const DEV_PORT: u16 = 8787;

/// Installs the tools if needed and builds the Worker (`edge/build/`) with worker-build.
pub fn build_worker() -> Result<(), String> {
    ensure_wasm_tools()?;
    ensure_npm_packages()?;
    let tools = tools_dir().join("bin");
    let edge = edge_dir();
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let esbuild = edge.join("node_modules/@esbuild/linux-x64/bin/esbuild");
    let mut step = Step::new(
        "building the Worker (worker-build --release)",
        &tools.join("worker-build").to_string_lossy(),
        &["--release"],
    )
    .dir(&edge)
    .env("PATH", &path)
    .env(
        "WASM_BINDGEN_BIN",
        &tools.join("wasm-bindgen").to_string_lossy(),
    )
    .env(
        "WASM_OPT_BIN",
        &edge.join("node_modules/.bin/wasm-opt").to_string_lossy(),
    );
    if esbuild.exists() {
        step = step.env("ESBUILD_BIN", &esbuild.to_string_lossy());
    }
    step.run()
}

/// `wrangler deploy --dry-run`: proves the Worker bundles, and prints its size.
pub fn dry_run() -> Result<(), String> {
    let out = workspace_root().join(".waypost/bundle");
    let output = wrangler(
        "wrangler deploy --dry-run",
        &["deploy", "--dry-run", "--outdir", &out.to_string_lossy()],
    )
    .output()?;
    let size = output
        .lines()
        .find(|line| line.contains("Total Upload"))
        .unwrap_or("(wrangler printed no size)");
    println!("Worker bundle: {}", size.trim());
    Ok(())
}

/// A wrangler command in the edge folder, offline and quiet.
fn wrangler(name: &str, args: &[&str]) -> Step {
    let edge = edge_dir();
    Step::new(
        name,
        &edge.join("node_modules/.bin/wrangler").to_string_lossy(),
        args,
    )
    .dir(&edge)
    .env("WRANGLER_SEND_METRICS", "false")
    .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
}

/// `cargo xtask dev`: build, fresh local D1, serve on 127.0.0.1:8787 with the aggregator pointed at
/// a local fake of 17TRACK (which tracks the demo's dropshipped parcel) and email, SMS and webhooks
/// at a local notifications catcher, seed the demo, print how to try it (and the catcher's inbox),
/// and keep serving until Ctrl-C.
pub fn dev() -> Result<(), String> {
    crate::widget::build()?;
    build_worker()?;
    let state = workspace_root().join(".waypost/dev-state");
    let _ = std::fs::remove_dir_all(&state);
    println!(
        "\n==> starting the Worker on http://127.0.0.1:{DEV_PORT} (workerd via wrangler dev, local D1 in {})",
        state.display()
    );
    let upstream = FakeSeventeenTrack::start()?;
    demo::script_dropshipped(&upstream);
    let catcher = Catcher::start()?;
    let vars: Vec<(String, String)> = upstream
        .worker_vars()
        .into_iter()
        .chain(catcher.worker_vars())
        .collect();
    let server = EdgeServer::start(DEV_PORT, state, Mode::Dev, &vars)?;
    println!("\n==> seeding the demo shop through the API");
    let seeded = demo::seed_with_webhook(
        &server.client(),
        &server.admin_token,
        &[],
        Some(&catcher.webhook_url("demo-shop")),
    )?;
    print_welcome(&server, &seeded);
    println!(
        "\nThe aggregator (17TRACK) is a local fake at {}: it tracks the dropshipped parcel {} (handed over to USPS as {}).",
        upstream.base_url(),
        demo::DROPSHIPPED.0,
        demo::DROPSHIPPED.1
    );
    println!("notifications inbox: {}/", catcher.origin);
    let status = server.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("wrangler dev exited: {status}"))
    }
}

fn print_welcome(server: &EdgeServer, seeded: &demo::Demo) {
    let base = &server.base_url;
    let pk = &seeded.shop.publishable_key;
    println!("\nWaypost is running at {base}\n");
    println!("  demo storefront: {base}/demo/?key={pk}");
    println!("  every demo shipment in the widget: {base}/demo/shipments.html?key={pk}");
    println!("  retailer console: {base}/console/ (sign in with the secret key below)\n");
    println!("  publishable key (for the widget): {pk}");
    println!(
        "  secret key (server side only):    {}",
        seeded.shop.secret_key
    );
    println!(
        "  admin token (this run only):      {}\n",
        server.admin_token
    );
    println!("Demo shipments:");
    for (label, number) in &seeded.shipments {
        println!("  {base}/v1/track/{number}?key={pk}   {label}");
    }
    println!("\nDemo orders:");
    for (label, order, email) in &seeded.orders {
        println!("  {base}/v1/orders/{order}?key={pk}&email={email}   {label}");
    }
    println!("\nWebhooks (paste the URL and the secret into the platform's webhook settings):");
    for (platform, url, secret) in &seeded.integrations {
        println!("  {platform:<12} {url}   secret: {secret}");
    }
    let sample = &seeded.sample_webhook;
    let body_file = PathBuf::from(server.state_dir()).join("sample-fulfillment.json");
    match std::fs::write(&body_file, &sample.body) {
        Ok(()) => {
            let (number, order) = demo::SAMPLE_FULFILLMENT;
            println!("\nSend a signed Shopify fulfillment (order {order}, parcel {number}):");
            let headers: String = sample
                .headers
                .iter()
                .map(|(name, value)| format!(" -H '{name}: {value}'"))
                .collect();
            println!(
                "  curl -s -X POST '{}' -H 'Content-Type: application/json'{headers} --data-binary @{}",
                sample.url,
                body_file.display()
            );
            println!("  then: curl -s '{base}/v1/track/{number}?key={pk}'");
        }
        Err(error) => println!("\n(could not write the sample webhook: {error})"),
    }
    println!("\nAlso: {base}/v1/openapi.json  {base}/v1/carriers  {base}/healthz\n");
    println!("Try it:\n  curl -s '{base}/v1/track/1ZXX3150YW44070023?key={pk}&lang=es'\n");
    println!(
        "Server log: {}",
        PathBuf::from(server.state_dir())
            .join("wrangler.log")
            .display()
    );
    println!("Press Ctrl-C to stop.");
}
