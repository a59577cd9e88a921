//! Installs what the build needs, only when it is missing: rustup targets and components, cargo
//! tools pinned to the versions the lock file needs, and the edge's npm packages.

use std::path::{Path, PathBuf};

use crate::run::{Step, workspace_root};

/// The browser/Worker compilation target.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// worker-build's version: the same minor version as the `worker` crate.
const WORKER_BUILD_VERSION: &str = "0.8.7";

/// Adds a rustup target unless it is installed.
pub fn ensure_target(target: &str) -> Result<(), String> {
    let installed = Step::new(
        "list rust targets",
        "rustup",
        &["target", "list", "--installed"],
    )
    .output()?;
    if installed.lines().any(|line| line.trim() == target) {
        return Ok(());
    }
    Step::new(
        &format!("installing the {target} target"),
        "rustup",
        &["target", "add", target],
    )
    .run()
}

/// Adds rustup components (rustfmt, clippy) unless installed.
pub fn ensure_components(components: &[&str]) -> Result<(), String> {
    let installed = Step::new(
        "list rust components",
        "rustup",
        &["component", "list", "--installed"],
    )
    .output()?;
    for component in components {
        if !installed.lines().any(|line| line.starts_with(component)) {
            Step::new(
                &format!("installing {component}"),
                "rustup",
                &["component", "add", component],
            )
            .run()?;
        }
    }
    Ok(())
}

/// Where cargo-installed tools go: inside the checkout, ignored by git.
pub fn tools_dir() -> PathBuf {
    workspace_root().join(".waypost/tools")
}

/// The edge crate's folder.
pub fn edge_dir() -> PathBuf {
    workspace_root().join("edge")
}

/// wasm-bindgen CLI at exactly the lock file's wasm-bindgen version, and worker-build.
pub fn ensure_wasm_tools() -> Result<(), String> {
    let version = locked_version("wasm-bindgen")?;
    // Not --locked: the registry mirror lacks one of its locked dependencies.
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &version, false)?;
    ensure_cargo_tool("worker-build", "worker-build", WORKER_BUILD_VERSION, true)
}

/// wrangler (workerd, miniflare) and binaryen's wasm-opt, from the edge's package lock.
pub fn ensure_npm_packages() -> Result<(), String> {
    let edge = edge_dir();
    let marker = edge.join("node_modules/.package-lock.json");
    let lock = edge.join("package-lock.json");
    let fresh = modified(&marker)
        .zip(modified(&lock))
        .is_some_and(|(installed, locked)| installed >= locked);
    if fresh && edge.join("node_modules/.bin/wrangler").exists() {
        return Ok(());
    }
    Step::new(
        "installing wrangler and binaryen (npm ci)",
        "npm",
        &["ci", "--no-audit", "--no-fund"],
    )
    .dir(&edge)
    .run()
}

/// The `version` of package `name` in Cargo.lock.
fn locked_version(name: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let header = format!("name = \"{name}\"\nversion = \"");
    let start = lock
        .find(&header)
        .ok_or_else(|| format!("{name} is not in Cargo.lock"))?
        + header.len();
    Ok(lock[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned())
}

fn ensure_cargo_tool(
    package: &str,
    binary: &str,
    version: &str,
    locked: bool,
) -> Result<(), String> {
    let path = tools_dir().join("bin").join(binary);
    let installed = Step::new(
        &format!("{binary} --version"),
        path.to_str().unwrap_or_default(),
        &["--version"],
    )
    .output();
    if installed.is_ok_and(|text| text.contains(version)) {
        return Ok(());
    }
    let root = tools_dir();
    let root = root.to_str().ok_or("tools path is not UTF-8")?;
    let mut args = vec![
        "install",
        package,
        "--version",
        version,
        "--root",
        root,
        "--force",
    ];
    if locked {
        args.push("--locked");
    }
    Step::cargo(
        &format!("installing {package} {version} (a few minutes, once)"),
        &args,
    )
    .env(
        "CARGO_TARGET_DIR",
        &workspace_root()
            .join(".waypost/install-target")
            .to_string_lossy(),
    )
    .run()
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

/// Debian's Chromium and ChromeDriver for the browser tests (never a test tool's own download).
pub fn ensure_chromium() -> Result<(), String> {
    let present = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| Path::new(p).exists());
    if present {
        return Ok(());
    }
    Step::new("updating apt", "apt-get", &["update"]).run()?;
    Step::new(
        "installing chromium and chromium-driver",
        "apt-get",
        &["install", "-y", "chromium", "chromium-driver"],
    )
    .env("DEBIAN_FRONTEND", "noninteractive")
    .run()
}
