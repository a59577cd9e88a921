//! Building the widget for the browser (cargo, wasm-bindgen, wasm-opt), publishing it with
//! content-hashed names next to its loader and the demo pages, and checking its byte budget.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::run::{Step, workspace_root};
use crate::toolchain::{
    WASM_TARGET, edge_dir, ensure_npm_packages, ensure_target, ensure_wasm_tools, tools_dir,
};

/// Most bytes a browser may download for the widget (wasm + JS + CSS, brotli).
pub const BUDGET_BYTES: usize = 100 * 1024;

/// Where the published widget goes: the edge serves this folder as static assets.
pub fn dist_dir() -> PathBuf {
    workspace_root().join("widget/dist")
}

/// Builds the widget into `widget/dist`.
pub fn build() -> Result<(), String> {
    ensure_target(WASM_TARGET)?;
    ensure_wasm_tools()?;
    ensure_npm_packages()?;
    Step::cargo(
        "building the widget (size profile)",
        &[
            "build",
            "--profile",
            "widget",
            "--locked",
            "--target",
            WASM_TARGET,
            "-p",
            "waypost-widget",
        ],
    )
    .env("RUSTFLAGS", &short_paths())
    .run()?;
    let stage = workspace_root().join(".waypost/widget-stage");
    let _ = std::fs::remove_dir_all(&stage);
    let wasm_in = workspace_root()
        .join("target")
        .join(WASM_TARGET)
        .join("widget/waypost_widget.wasm");
    Step::new(
        "generating the JS bindings (wasm-bindgen)",
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
    let wasm = stage.join("waypost_widget_bg.wasm");
    let wasm_text = wasm.to_string_lossy().into_owned();
    Step::new(
        "shrinking the wasm (wasm-opt -Oz)",
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
            &wasm_text,
            "-o",
            &wasm_text,
        ],
    )
    .run()?;
    publish(&stage)
}

/// Rust flags that shorten the source paths panic messages embed (`/root/.cargo/registry/src/
/// index.../leptos-0.8.23/src/...` becomes `leptos-0.8.23/src/...`): fewer bytes, and the same
/// bytes on every machine whatever its home folder.
fn short_paths() -> String {
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let registry = cargo_home.join("registry/src");
    let indexes = std::fs::read_dir(&registry)
        .map(|dirs| dirs.flatten().map(|d| d.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    let mut flags: Vec<String> = indexes
        .iter()
        .map(|index| format!("--remap-path-prefix={}=", index.display()))
        .collect();
    flags.push(format!(
        "--remap-path-prefix={}=",
        workspace_root().display()
    ));
    flags.join(" ")
}

/// Copies the build into `dist/` under content-hashed names, writes the loader, the headers and
/// the demo pages.
fn publish(stage: &Path) -> Result<(), String> {
    let dist = dist_dir();
    let _ = std::fs::remove_dir_all(&dist);
    let assets = dist.join("assets");
    std::fs::create_dir_all(&assets).map_err(|e| e.to_string())?;
    let widget = workspace_root().join("widget");
    let js = hashed(
        &stage.join("waypost_widget.js"),
        &assets,
        "waypost-widget",
        "js",
    )?;
    let wasm = hashed(
        &stage.join("waypost_widget_bg.wasm"),
        &assets,
        "waypost-widget",
        "wasm",
    )?;
    let css_path = stage.join("widget.css");
    write(
        &css_path,
        minify_css(&read(&widget.join("static/widget.css"))?).as_bytes(),
    )?;
    let css = hashed(&css_path, &assets, "waypost-widget", "css")?;
    let loader = without_comment_lines(&read(&widget.join("static/loader.js"))?)
        .replace("__JS__", &format!("assets/{js}"))
        .replace("__WASM__", &format!("assets/{wasm}"))
        .replace("__CSS__", &format!("assets/{css}"));
    write(&dist.join("widget.js"), loader.as_bytes())?;
    write(&dist.join("_headers"), HEADERS.as_bytes())?;
    std::fs::create_dir_all(dist.join("demo")).map_err(|e| e.to_string())?;
    for page in ["index.html", "shipments.html"] {
        std::fs::copy(widget.join("demo").join(page), dist.join("demo").join(page))
            .map_err(|e| e.to_string())?;
    }
    println!("widget published to {}", dist.display());
    Ok(())
}

/// Drops whole-line `//` comments and indentation from our own loader script.
fn without_comment_lines(js: &str) -> String {
    js.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops comments and needless whitespace from our own stylesheet (no strings or URLs in it
/// contain `/*`, braces or semicolons).
fn minify_css(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    for ch in collapsed.chars() {
        if "{};,".contains(ch) && out.ends_with(' ') {
            out.pop();
        }
        if ch == ' ' && out.ends_with(['{', '}', ';', ',']) {
            continue;
        }
        out.push(ch);
    }
    out
}

/// Cache and CORS rules for the static assets (Workers Static Assets `_headers`): hashed files
/// are immutable; the loader's name is stable, so it is cached briefly. Any storefront may load them.
const HEADERS: &str = "/widget.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/assets/*
  Cache-Control: public, max-age=31536000, immutable
  Access-Control-Allow-Origin: *
";

/// Copies `file` into `dir` as `<stem>.<hash>.<ext>` and returns the new name.
fn hashed(file: &Path, dir: &Path, stem: &str, ext: &str) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let digest = Sha256::digest(&bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{stem}.{hash}.{ext}");
    write(&dir.join(&name), &bytes)?;
    Ok(name)
}

/// Prints what a browser downloads for the widget and fails over the budget.
pub fn check_size() -> Result<(), String> {
    let dist = dist_dir();
    let mut files = vec![dist.join("widget.js")];
    let assets = std::fs::read_dir(dist.join("assets"))
        .map_err(|e| format!("build the widget first: {e}"))?;
    files.extend(assets.filter_map(|entry| entry.ok().map(|e| e.path())));
    files.sort();
    println!("\nwidget download (what a browser fetches):");
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
        "  {:<40} {:>26} B brotli ({:.1} KB of the {} KB budget)",
        "total",
        total,
        total as f64 / 1024.0,
        BUDGET_BYTES / 1024
    );
    if total > BUDGET_BYTES {
        return Err(format!(
            "the widget is {total} bytes brotli, over its {BUDGET_BYTES}-byte budget"
        ));
    }
    Ok(())
}

fn brotli_len(bytes: &[u8]) -> Result<usize, String> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.len())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
