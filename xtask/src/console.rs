//! Building the retailer console (cargo, wasm-bindgen, wasm-opt, esbuild) and publishing it with
//! content-hashed names into `widget/dist/console/`, which the edge serves at `/console/` on its
//! own origin; and printing its download size (no budget: retailers load it, not shoppers).

use std::path::Path;

use crate::run::{Step, workspace_root};
use crate::toolchain::{WASM_TARGET, edge_dir, tools_dir};
use crate::widget::{brotli_len, dist_dir, hashed, read, short_paths, write};

/// Headers for the console's files (Workers Static Assets `_headers`): nothing of it is kept by
/// a cache or the back-forward cache, and no other site may frame it.
const HEADERS: &str = "/console/*
  Cache-Control: no-store
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
";

/// Builds the console into `widget/dist/console/`. Run after the widget's build, which empties
/// `widget/dist`.
pub fn build() -> Result<(), String> {
    // The widget's size profile and Rust flags: the console's dependencies are the widget's, so
    // both share one build of them.
    Step::cargo(
        "building the console (size profile)",
        &[
            "build",
            "--profile",
            "widget",
            "--locked",
            "--target",
            WASM_TARGET,
            "-p",
            "waypost-console",
        ],
    )
    .env("RUSTFLAGS", &short_paths())
    .run()?;
    let stage = workspace_root().join(".waypost/console-stage");
    let _ = std::fs::remove_dir_all(&stage);
    let wasm_in = workspace_root()
        .join("target")
        .join(WASM_TARGET)
        .join("widget/waypost_console.wasm");
    Step::new(
        "generating the console's JS bindings (wasm-bindgen)",
        &tools_dir().join("bin/wasm-bindgen").to_string_lossy(),
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &stage.to_string_lossy(),
            &wasm_in.to_string_lossy(),
        ],
    )
    .run()?;
    let wasm = stage.join("waypost_console_bg.wasm");
    let wasm = wasm.to_string_lossy();
    Step::new(
        "shrinking the console's wasm (wasm-opt)",
        &edge_dir()
            .join("node_modules/.bin/wasm-opt")
            .to_string_lossy(),
        &[
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            &wasm,
            "-o",
            &wasm,
        ],
    )
    .run()?;
    let js = stage.join("waypost_console.js");
    let js = js.to_string_lossy();
    Step::new(
        "minifying the console's JS bindings (esbuild)",
        &edge_dir()
            .join("node_modules/.bin/esbuild")
            .to_string_lossy(),
        &[
            &js,
            "--minify",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
            &format!("--outfile={js}"),
        ],
    )
    .run()?;
    publish(&stage)
}

/// Copies the build into `dist/console/` under content-hashed names, writes its page and adds
/// its headers.
fn publish(stage: &Path) -> Result<(), String> {
    let dist = dist_dir();
    let out = dist.join("console");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let sources = workspace_root().join("console/static");
    let js = hashed(
        &stage.join("waypost_console.js"),
        &out,
        "waypost-console",
        "js",
    )?;
    let wasm = hashed(
        &stage.join("waypost_console_bg.wasm"),
        &out,
        "waypost-console",
        "wasm",
    )?;
    let css = hashed(&sources.join("console.css"), &out, "console", "css")?;
    let page = read(&sources.join("index.html"))?
        .replace("__JS__", &js)
        .replace("__WASM__", &wasm)
        .replace("__CSS__", &css);
    write(&out.join("index.html"), page.as_bytes())?;
    let headers = dist.join("_headers");
    let mut rules = read(&headers)?;
    if !rules.contains(HEADERS) {
        rules.push_str(HEADERS);
    }
    write(&headers, rules.as_bytes())?;
    println!("console published to {}", out.display());
    Ok(())
}

/// Prints what a browser downloads for the console (brotli), file by file.
pub fn print_size() -> Result<(), String> {
    let dir = dist_dir().join("console");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("build the console first: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    files.sort();
    println!("\nconsole download (what a browser fetches, no budget):");
    let mut total = 0;
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let compressed = brotli_len(&bytes)?;
        total += compressed;
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        println!(
            "  {name:<40} {:>8} B raw {:>8} B brotli",
            bytes.len(),
            compressed
        );
    }
    println!(
        "  {:<40} {:>26} B brotli ({:.1} KB)",
        "total",
        total,
        total as f64 / 1024.0
    );
    Ok(())
}
