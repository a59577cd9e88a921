//! Debian's chromedriver and chromium, headless, on a free port, in their own process group.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::Client;
use crate::server::free_port;

/// A running chromedriver.
pub struct ChromeDriver {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    child: Child,
    profile: std::path::PathBuf,
}

/// The Chromium flags that work offline here (no background networking, fresh profile).
fn chromium_args(profile: &std::path::Path) -> Vec<String> {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,1600",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

impl ChromeDriver {
    /// Starts chromedriver and waits until it answers.
    pub fn start() -> Result<ChromeDriver, String> {
        for needed in ["/usr/bin/chromedriver", "/usr/bin/chromium"] {
            if !std::path::Path::new(needed).exists() {
                return Err(format!(
                    "{needed} is missing: run the tests through `cargo xtask test`, which installs it"
                ));
            }
        }
        let port = free_port()?;
        let profile =
            std::env::temp_dir().join(format!("waypost-chromium-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).map_err(|e| e.to_string())?;
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .env("XDG_CONFIG_HOME", profile.join("config"))
            .env("XDG_CACHE_HOME", profile.join("cache"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("chromedriver: {e}"))?;
        let driver = ChromeDriver {
            url: format!("http://127.0.0.1:{port}"),
            child,
            profile,
        };
        let status = Client::new(&driver.url);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if status.get("/status").send().is_ok_and(|r| r.status == 200) {
                return Ok(driver);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("chromedriver did not start".into())
    }

    /// The WebDriver capabilities of a headless Debian Chromium session on this driver.
    pub fn capabilities(&self) -> serde_json::Map<String, serde_json::Value> {
        let options = serde_json::json!({ "binary": "/usr/bin/chromium", "args": chromium_args(&self.profile) });
        serde_json::Map::from_iter([("goog:chromeOptions".to_owned(), options)])
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
