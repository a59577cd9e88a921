//! What the browser tests share: a test future run to pass or fail, waiting on the page until a
//! script answers, key presses and screenshots.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use fantoccini::Client as Browser;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::{Value, json};

use crate::server::workspace_root;

/// How long a page has to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(20);

/// Runs a test future, turning a panic into `false`.
pub async fn passes(future: Pin<Box<dyn Future<Output = ()> + '_>>) -> bool {
    let mut future = AssertUnwindSafe(future);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(())) => Poll::Ready(true),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(false),
        }
    })
    .await
}

/// Runs `script` until it answers something (not null, false, "" or 0) and answers that. On
/// timeout, saves the screenshot `failed-waiting-for-<what>` (prefixed by `prefix`) and panics
/// with what `context` (a script) says about the page.
pub async fn until(
    browser: &Browser,
    prefix: &str,
    what: &str,
    script: &str,
    context: &str,
) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let value = run(browser, script).await;
        if !matches!(value, Value::Null | Value::Bool(false))
            && value != json!("")
            && value != json!(0)
        {
            return value;
        }
        if Instant::now() >= deadline {
            let name = format!(
                "{prefix}failed-waiting-for-{}",
                what.replace(|c: char| !c.is_alphanumeric(), "-")
            );
            screenshot(browser, &name).await;
            let page = run(browser, context).await;
            panic!("timed out waiting for {what}; page: {page}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs `script` in the page and answers what it returns.
pub async fn run(browser: &Browser, script: &str) -> Value {
    browser.execute(script, vec![]).await.expect("script runs")
}

/// Types `keys` into whatever has the focus, each pressed and released.
pub async fn press(browser: &Browser, keys: &str) {
    let mut actions = KeyActions::new("keyboard".into());
    for key in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    browser.perform_actions(actions).await.expect("keys");
}

/// Saves the page as `target/screenshots/<name>.png`.
pub async fn screenshot(browser: &Browser, name: &str) {
    let png = browser.screenshot().await.expect("screenshot");
    let dir = workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
}
