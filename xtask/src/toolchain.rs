//! Installs what the build needs, only when it is missing.

use crate::run::Step;

/// The browser/Worker compilation target.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

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
