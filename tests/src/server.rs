//! The Worker on `wrangler dev`: a free port on 127.0.0.1, a fresh state folder (local D1), its
//! own process group, stopped by that group when dropped.

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::Client;

/// A running Worker.
pub struct EdgeServer {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// The admin token it was started with.
    pub admin_token: String,
    child: Child,
    state: PathBuf,
    mode: Mode,
}

/// How the server lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A test run: own process group (stopped by it), state deleted afterwards.
    Test,
    /// `cargo xtask dev`: in the terminal's process group, so Ctrl-C stops it too; state kept.
    Dev,
    /// `cargo xtask bench`: like a test run, but with rate limits too high to interfere, so the
    /// load measures the Worker and D1 rather than the limiter's refusals.
    Bench,
}

/// The repository root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests lives in the workspace")
        .to_path_buf()
}

impl EdgeServer {
    /// Starts a Worker for a test run: a free port and a fresh, throw-away state folder.
    pub fn start_for_tests() -> Result<EdgeServer, String> {
        EdgeServer::start_for_tests_with(&[])
    }

    /// Starts a Worker for a test run with extra Worker variables (e.g. carrier base URLs
    /// pointing at a [`crate::fake_carrier::FakeCarrier`]).
    pub fn start_for_tests_with(vars: &[(String, String)]) -> Result<EdgeServer, String> {
        let state =
            std::env::temp_dir().join(format!("waypost-e2e-{}-{}", std::process::id(), unique()));
        EdgeServer::start(free_port()?, state, Mode::Test, vars)
    }

    /// Starts the Worker on `port` with its D1 state in `state` and extra Worker variables
    /// `vars`, after applying migrations. `GET /__scheduled?cron=...` runs the Cron Trigger.
    pub fn start(
        port: u16,
        state: PathBuf,
        mode: Mode,
        vars: &[(String, String)],
    ) -> Result<EdgeServer, String> {
        let edge = workspace_root().join("edge");
        let wrangler = edge.join("node_modules/.bin/wrangler");
        let shim = edge.join("build/worker/shim.mjs");
        for needed in [&wrangler, &shim] {
            if !needed.exists() {
                return Err(format!(
                    "{} is missing: run the tests through `cargo xtask test`, which installs and builds it",
                    needed.display()
                ));
            }
        }
        std::fs::create_dir_all(&state).map_err(|e| format!("{}: {e}", state.display()))?;
        let state_arg = state.to_string_lossy().into_owned();
        let migrate = wrangler_command(&wrangler, &edge, &state)
            .args([
                "d1",
                "migrations",
                "apply",
                "DB",
                "--local",
                "--persist-to",
                &state_arg,
            ])
            .output()
            .map_err(|e| format!("wrangler: {e}"))?;
        if !migrate.status.success() {
            return Err(format!(
                "migrations failed: {}{}",
                String::from_utf8_lossy(&migrate.stdout),
                String::from_utf8_lossy(&migrate.stderr)
            ));
        }
        let admin_token = format!("admin-{}-{}", std::process::id(), unique());
        let integrations_key = integrations_key(&state)?;
        let log = File::create(state.join("wrangler.log")).map_err(|e| e.to_string())?;
        let mut command = wrangler_command(&wrangler, &edge, &state);
        command
            .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--persist-to",
                &state_arg,
                "--show-interactive-dev-session=false",
            ])
            .args(["--var", &format!("ADMIN_TOKEN:{admin_token}")])
            .args(["--var", &format!("INTEGRATIONS_KEY:{integrations_key}")])
            // The links in notification messages (unsubscribe, opt-in confirmation) point here.
            .args(["--var", &format!("PUBLIC_URL:http://127.0.0.1:{port}")])
            .args(
                vars.iter()
                    .flat_map(|(name, value)| ["--var".to_owned(), format!("{name}:{value}")]),
            )
            .arg("--test-scheduled")
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log);
        if mode == Mode::Bench {
            let config = bench_config(&edge, &state)?;
            command.args(["--config", &config.to_string_lossy()]);
        }
        if mode != Mode::Dev {
            // Its own group, so the whole tree (node, workerd) is stopped together.
            command.process_group(0);
        }
        let child = command.spawn().map_err(|e| format!("wrangler dev: {e}"))?;
        let base_url = format!("http://127.0.0.1:{port}");
        let mut server = EdgeServer {
            base_url,
            admin_token,
            child,
            state,
            mode,
        };
        server.wait_ready()?;
        Ok(server)
    }

    /// A client for this server.
    pub fn client(&self) -> Client {
        Client::new(&self.base_url)
    }

    /// Where the state and the server log are.
    pub fn state_dir(&self) -> &Path {
        &self.state
    }

    /// Waits until `/healthz` answers (the first request compiles the Worker), never by sleeping
    /// a fixed time.
    fn wait_ready(&mut self) -> Result<(), String> {
        let client = self.client();
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "wrangler dev exited ({status}):\n{}",
                    self.log_tail()
                ));
            }
            if client
                .get("/healthz")
                .send()
                .is_ok_and(|reply| reply.status == 200)
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "wrangler dev did not become ready in 90 s:\n{}",
            self.log_tail()
        ))
    }

    /// The end of the server log.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.state.join("wrangler.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Blocks until the server exits (for `cargo xtask dev`).
    pub fn wait(mut self) -> std::io::Result<std::process::ExitStatus> {
        self.child.wait()
    }
}

impl Drop for EdgeServer {
    fn drop(&mut self) {
        let group = match self.mode {
            Mode::Test | Mode::Bench => format!("-{}", self.child.id()),
            Mode::Dev => self.child.id().to_string(),
        };
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        if self.mode != Mode::Dev {
            let _ = std::fs::remove_dir_all(&self.state);
        }
    }
}

/// `wrangler.toml` with every rate limit raised out of the way, in the state folder (paths made
/// absolute so they still point into `edge/`).
fn bench_config(edge: &Path, state: &Path) -> Result<PathBuf, String> {
    let config = std::fs::read_to_string(edge.join("wrangler.toml"))
        .map_err(|e| format!("wrangler.toml: {e}"))?;
    let absolute = |relative: &str| edge.join(relative).to_string_lossy().into_owned();
    let raised: Vec<String> = config
        .lines()
        .map(|line| {
            if line.starts_with("simple = ") {
                "simple = { limit = 100000000, period = 60 }".to_owned()
            } else if line.starts_with("main = ") {
                format!("main = {:?}", absolute("build/worker/shim.mjs"))
            } else if line.starts_with("migrations_dir = ") {
                format!("migrations_dir = {:?}", absolute("migrations"))
            } else if line.starts_with("directory = ") {
                format!("directory = {:?}", absolute("../widget/dist"))
            } else {
                line.to_owned()
            }
        })
        .collect();
    let path = state.join("wrangler.bench.toml");
    std::fs::write(&path, raised.join("\n")).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn wrangler_command(wrangler: &Path, edge: &Path, state: &Path) -> Command {
    let mut command = Command::new(wrangler);
    command
        .current_dir(edge)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("XDG_CONFIG_HOME", state.join("config"))
        .env("WRANGLER_LOG_PATH", state.join("logs"));
    command
}

/// The key that seals integration secrets in this state folder's D1: made on first start and kept
/// with the state, as a deployment keeps its `INTEGRATIONS_KEY` secret, so secrets set in an
/// earlier `cargo xtask dev` still open.
fn integrations_key(state: &Path) -> Result<String, String> {
    let file = state.join("integrations.key");
    if let Ok(key) = std::fs::read_to_string(&file) {
        return Ok(key.trim().to_owned());
    }
    let key = format!("local-{:032x}{:08x}", unique(), std::process::id());
    std::fs::write(&file, &key).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(key)
}

/// A port nobody listens on right now.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}
