//! Building the widget for the browser (cargo, wasm-bindgen, wasm-opt), publishing it with
//! content-hashed names next to its loader and the demo pages, and checking its byte budget.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use waypost_shared::labels::Lang;

use crate::run::{Step, workspace_root};
use crate::toolchain::{
    WASM_TARGET, edge_dir, ensure_npm_packages, ensure_target, ensure_wasm_tools, tools_dir,
};

/// Most bytes a browser may download for the widget (wasm + JS + CSS, brotli).
pub const BUDGET_BYTES: usize = 80 * 1024;

/// Where the published widget goes: the edge serves this folder as static assets.
pub fn dist_dir() -> PathBuf {
    workspace_root().join("widget/dist")
}

/// Builds the widget into `widget/dist`, then the console into `widget/dist/console`.
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
    // Leptos's server-function client links wasm-streams, whose JS stream classes wasm-bindgen
    // exports although nothing here streams: their exports go, and the code only they reach
    // with them (1.1 KB brotli). Flattening and re-looping before `-Oz`, repeated until it gains
    // nothing, and the producers and target-features sections dropped: 1.3 KB less than one
    // plain `-Oz`; functions that differ only in constants merged, then `-Oz` again (0.4 KB). Rust puts the stack first in memory, so the lowest 1 KiB is only reached by a
    // stack that overflowed anyway (`--low-memory-unused`). Last, imports, exports and the import
    // module get one- or two-letter names (their hashed names compress badly); the mapping it
    // prints renames them in the JS bindings.
    let wasm_opt = edge_dir().join("node_modules/.bin/wasm-opt");
    let wasm_opt = wasm_opt.to_string_lossy();
    let features = [
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
    ];
    let passes = [
        "--remove-exports",
        "--pass-arg=remove-exports@*intounderlying*",
        "--flatten",
        "--rereloop",
        "-Oz",
        "--converge",
        "--low-memory-unused",
        "--strip-producers",
        "--strip-target-features",
        "--merge-similar-functions",
        "-Oz",
    ];
    let in_out = [wasm_text.as_str(), "-o", wasm_text.as_str()];
    Step::new(
        "shrinking the wasm (wasm-opt)",
        &wasm_opt,
        &[&passes[..], &features, &in_out].concat(),
    )
    .run()?;
    // Apart: `--converge` would minify the names again on every round.
    let mapping = Step::new(
        "short import and export names (wasm-opt)",
        &wasm_opt,
        &[
            &["--minify-imports-and-exports-and-modules"],
            &features[..],
            &in_out,
        ]
        .concat(),
    )
    .output()?;
    let js = stage.join("waypost_widget.js");
    let module = import_module(&std::fs::read(&wasm).map_err(|e| e.to_string())?)
        .ok_or("the shrunk wasm has no import module")?;
    let bindings = without_stream_classes(&short_names(&read(&js)?, &mapping, &module)?);
    write(&js, bindings.as_bytes())?;
    let js_text = js.to_string_lossy().into_owned();
    Step::new(
        "minifying the JS bindings (esbuild)",
        &edge_dir()
            .join("node_modules/.bin/esbuild")
            .to_string_lossy(),
        &[
            &js_text,
            "--minify",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
            &format!("--outfile={js_text}"),
        ],
    )
    .run()?;
    publish(&stage)?;
    crate::console::build()
}

/// The JS bindings with the names wasm-opt's minifying `mapping` (its JSON output) gave the
/// imports (keys of the import object), the exports (read as `wasm.<name>`) and the import
/// module (now `module`). Only whole names are replaced; exports removed earlier keep their
/// old names in classes nothing constructs.
fn short_names(js: &str, mapping: &str, module: &str) -> Result<String, String> {
    let mapping: serde_json::Value =
        serde_json::from_str(mapping).map_err(|e| format!("wasm-opt's name mapping: {e}"))?;
    let pairs = |key: &str, old: usize, new: usize| -> Vec<(String, String)> {
        mapping[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|pair| {
                Some((
                    pair[old].as_str()?.to_owned(),
                    pair[new].as_str()?.to_owned(),
                ))
            })
            .collect()
    };
    let imports: std::collections::HashMap<_, _> = pairs("imports", 1, 2).into_iter().collect();
    let exports: std::collections::HashMap<_, _> = pairs("exports", 0, 1).into_iter().collect();
    if imports.is_empty() || exports.is_empty() {
        return Err("wasm-opt gave no name mapping".into());
    }
    let module_key = "\"./waypost_widget_bg.js\": import0";
    if !js.contains(module_key) {
        return Err("the JS bindings name no ./waypost_widget_bg.js import module".into());
    }
    let js = js.replace(module_key, &format!("\"{module}\": import0"));
    let mut imports_renamed = 0;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(js.len());
    let mut rest = js.as_str();
    while let Some(start) = rest.find(is_name) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c| !is_name(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        let after = &rest[start + word_len..];
        let renamed = if out.ends_with("wasm.") {
            exports.get(word)
        } else if after.starts_with(": function(") {
            let renamed = imports.get(word);
            imports_renamed += usize::from(renamed.is_some());
            renamed
        } else {
            None
        };
        out.push_str(renamed.map_or(word, String::as_str));
        rest = after;
    }
    out.push_str(rest);
    // Every import the wasm keeps must be found, or the browser could not instantiate it.
    if imports_renamed != imports.len() {
        return Err(format!(
            "renamed {imports_renamed} of the wasm's {} imports in the JS bindings",
            imports.len()
        ));
    }
    Ok(out)
}

/// The JS bindings without wasm-streams' classes, whose exports wasm-opt removed: each
/// `export class IntoUnderlying...` block (to its closing `}` line), its `Symbol.dispose` line and
/// its finalization registry statement. Nothing else refers to them.
fn without_stream_classes(js: &str) -> String {
    let mut kept = Vec::new();
    let (mut in_class, mut in_registry) = (false, false);
    for line in js.lines() {
        if line.starts_with("export class IntoUnderlying") {
            in_class = true;
        } else if line.starts_with("const IntoUnderlying") {
            in_registry = true;
        }
        let dropped =
            in_class || in_registry || line.starts_with("if (Symbol.dispose) IntoUnderlying");
        if in_class && line == "}" {
            in_class = false;
        }
        if in_registry && line.trim_end().ends_with(';') {
            in_registry = false;
        }
        if !dropped {
            kept.push(line);
        }
    }
    kept.join("\n")
}

/// The module name of a wasm binary's first import (reading only the import section).
fn import_module(wasm: &[u8]) -> Option<String> {
    let mut at = 8;
    let leb = |at: &mut usize| -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *wasm.get(*at)?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
        }
    };
    while at < wasm.len() {
        let id = *wasm.get(at)?;
        at += 1;
        let len = leb(&mut at)?;
        if id == 2 {
            let _count = leb(&mut at)?;
            let name_len = leb(&mut at)?;
            let name = wasm.get(at..at + name_len)?;
            return String::from_utf8(name.to_vec()).ok();
        }
        at += len;
    }
    None
}

/// Rust flags that shorten the source paths panic messages embed (`/root/.cargo/registry/src/
/// index.../leptos-0.8.23/src/...` becomes `leptos-0.8.23/src/...`): fewer bytes, and the same
/// bytes on every machine whatever its home folder.
pub fn short_paths() -> String {
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
    // Each language's words but English (built in), for the loader to fetch the page's one.
    let mut words = Vec::new();
    for lang in Lang::ALL.into_iter().filter(|lang| *lang != Lang::En) {
        let path = stage.join(format!("words-{}.json", lang.code()));
        write(&path, lang.widget_words_json().as_bytes())?;
        let name = hashed(&path, &assets, &format!("words-{}", lang.code()), "json")?;
        words.push(format!("{}:\"assets/{name}\"", lang.code()));
    }
    let loader = without_comment_lines(&read(&widget.join("static/loader.js"))?)
        .replace("__JS__", &format!("assets/{js}"))
        .replace("__WASM__", &format!("assets/{wasm}"))
        .replace("__CSS__", &format!("assets/{css}"))
        .replace("__WORDS__", &format!("{{{}}}", words.join(",")));
    write(&dist.join("widget.js"), loader.as_bytes())?;
    write(&dist.join("_headers"), HEADERS.as_bytes())?;
    std::fs::create_dir_all(dist.join("demo")).map_err(|e| e.to_string())?;
    for page in ["index.html", "shipments.html"] {
        std::fs::copy(widget.join("demo").join(page), dist.join("demo").join(page))
            .map_err(|e| e.to_string())?;
    }
    // The hosted tracking page, the default link of notification messages.
    std::fs::create_dir_all(dist.join("track")).map_err(|e| e.to_string())?;
    std::fs::copy(
        widget.join("track").join("index.html"),
        dist.join("track").join("index.html"),
    )
    .map_err(|e| e.to_string())?;
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
pub fn hashed(file: &Path, dir: &Path, stem: &str, ext: &str) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let digest = Sha256::digest(&bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{stem}.{hash}.{ext}");
    write(&dir.join(&name), &bytes)?;
    Ok(name)
}

/// Prints what a browser downloads for the widget and fails over the budget. A page fetches
/// at most one language's words, so only the largest word list counts.
pub fn check_size() -> Result<(), String> {
    let dist = dist_dir();
    let mut files = vec![dist.join("widget.js")];
    let assets = std::fs::read_dir(dist.join("assets"))
        .map_err(|e| format!("build the widget first: {e}"))?;
    files.extend(assets.filter_map(|entry| entry.ok().map(|e| e.path())));
    files.sort();
    println!("\nwidget download (what a browser fetches):");
    let (mut total, mut largest_words) = (0, 0);
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let compressed = brotli_len(&bytes)?;
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let note = if name.starts_with("words-") {
            largest_words = largest_words.max(compressed);
            " (one language's)"
        } else {
            total += compressed;
            ""
        };
        println!(
            "  {name:<40} {:>8} B raw {:>8} B brotli{note}",
            bytes.len(),
            compressed
        );
    }
    total += largest_words;
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

/// How many bytes `bytes` take brotli-compressed (quality 11), as a browser downloads them.
pub fn brotli_len(bytes: &[u8]) -> Result<usize, String> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.len())
}

/// A text file, or an error naming it.
pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a file, or an error naming it.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
