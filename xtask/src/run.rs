//! Running external commands as named steps with progress messages.

use std::path::PathBuf;
use std::process::Command;

/// The repository root (the workspace that holds `xtask/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A command with a human name, run from the workspace root.
pub struct Step {
    name: String,
    command: Command,
}

impl Step {
    /// A `cargo` invocation, with the cargo that runs xtask.
    pub fn cargo(name: &str, args: &[&str]) -> Step {
        Step::new(
            name,
            &std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
            args,
        )
    }

    pub fn new(name: &str, program: &str, args: &[&str]) -> Step {
        let mut command = Command::new(program);
        command.args(args).current_dir(workspace_root());
        Step {
            name: name.to_owned(),
            command,
        }
    }

    /// Runs in `dir` instead of the workspace root.
    pub fn dir(mut self, dir: &std::path::Path) -> Step {
        self.command.current_dir(dir);
        self
    }

    /// Sets an environment variable for the command.
    pub fn env(mut self, key: &str, value: &str) -> Step {
        self.command.env(key, value);
        self
    }

    /// Runs it with inherited output; an error names the step.
    pub fn run(mut self) -> Result<(), String> {
        println!("\n==> {}", self.name);
        let status = self
            .command
            .status()
            .map_err(|err| format!("{}: cannot start: {err}", self.name))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{} ({status})", self.name))
        }
    }

    /// Runs it quietly and returns its standard output.
    pub fn output(mut self) -> Result<String, String> {
        let output = self
            .command
            .output()
            .map_err(|err| format!("{}: cannot start: {err}", self.name))?;
        if !output.status.success() {
            return Err(format!(
                "{}: {}",
                self.name,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}
