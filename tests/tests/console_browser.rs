//! The retailer console in headless Chromium (Debian's, through chromedriver), served by the real
//! Worker on `wrangler dev` at `/console/` on its own origin, signed in with the demo shop's
//! secret key. Screenshots of each page, light and dark at desktop width and light at 360 px, are
//! saved as `target/screenshots/console-*.png`.

use std::process::ExitCode;
use std::time::Duration;

use fantoccini::{Client as Browser, ClientBuilder, Locator};
use serde_json::{Value, json};
use waypost_tests::browser;
use waypost_tests::chromedriver::ChromeDriver;
use waypost_tests::demo::{self, Demo, NOT_YET_SCANNED};
use waypost_tests::platform_webhooks::sign;
use waypost_tests::storefront::Storefront;
use waypost_tests::{Client, EdgeServer, FakeSeventeenTrack};

/// The demo's shipments that need attention: stalled, failed delivery, damaged.
const NEEDING_ATTENTION: [&str; 3] = ["287809468872", "1ZXX3150YW44070023", "1234567891"];

/// A demo shipment in transit and on track (part 1 of order 1002).
const ON_TRACK: &str = "1Z5R89390357567127";

/// Everything a test uses.
struct World {
    browser: Browser,
    edge: EdgeServer,
    demo: Demo,
    /// The aggregator's upstream, tracking the demo's dropshipped parcel.
    _upstream: FakeSeventeenTrack,
    /// Another site on 127.0.0.1 (same site as the Worker, other origin): where forged requests
    /// come from.
    elsewhere: Storefront,
}

impl World {
    /// A fresh start: no session cookie, the console's page loaded, its sign-in form shown.
    async fn fresh(&self) {
        self.browser
            .goto(&format!("{}/healthz", self.edge.base_url))
            .await
            .expect("page loads");
        self.browser
            .delete_all_cookies()
            .await
            .expect("cookies deleted");
        self.browser
            .goto(&format!("{}/console/", self.edge.base_url))
            .await
            .expect("console loads");
        self.until(
            "the sign-in form",
            "return document.querySelector('#secret-key');",
        )
        .await;
    }

    async fn js(&self, script: &str) -> Value {
        browser::run(&self.browser, script).await
    }

    /// Waits until `script` returns something truthy, and returns it.
    async fn until(&self, what: &str, script: &str) -> Value {
        let context = "return [location.href, document.body?.innerHTML?.slice(0, 1500)];";
        browser::until(&self.browser, "console-", what, script, context).await
    }

    /// Text of the first element matching `selector`, once it has some.
    async fn text(&self, selector: &str) -> String {
        self.until(
            selector,
            &format!("return document.querySelector({selector:?})?.textContent;"),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    async fn click(&self, selector: &str) {
        self.until(
            selector,
            &format!("return document.querySelector({selector:?});"),
        )
        .await;
        self.browser
            .find(Locator::Css(selector))
            .await
            .expect("element")
            .click()
            .await
            .expect("click");
    }

    async fn type_into(&self, selector: &str, text: &str) {
        self.until(
            selector,
            &format!("return document.querySelector({selector:?});"),
        )
        .await;
        self.browser
            .find(Locator::Css(selector))
            .await
            .expect("element")
            .send_keys(text)
            .await
            .expect("typing");
    }

    /// Types `keys` into whatever has the focus.
    async fn keys(&self, keys: &str) {
        browser::press(&self.browser, keys).await;
    }

    /// Signs in with `key` through the form.
    async fn sign_in(&self, key: &str) {
        self.type_into("#secret-key", key).await;
        self.click("form button[type=submit]").await;
    }

    /// Opens the needs-attention page signed in with the demo shop's key (signing in only when
    /// the browser has no live session: sign-ins are rate limited per client) and waits for every
    /// list to load.
    async fn signed_in(&self) {
        self.browser
            .goto(&format!("{}/console/#/", self.edge.base_url))
            .await
            .expect("console loads");
        let shown = self
            .until(
                "the sign-in form or a session",
                "return document.querySelector('#secret-key') ? 'sign-in' : (document.querySelector('.sign-out') ? 'session' : null);",
            )
            .await;
        if shown == json!("sign-in") {
            self.sign_in(&self.demo.shop.secret_key).await;
        }
        self.lists_loaded().await;
    }

    /// Waits for the needs-attention page with its counts and all four lists loaded.
    async fn lists_loaded(&self) {
        self.until(
            "the needs-attention lists",
            "return document.querySelectorAll('.list').length === 4 && document.querySelector('.health-counts') && !document.querySelector('main [role=status]');",
        )
        .await;
    }

    /// The tracking numbers the list named `list` shows.
    async fn numbers(&self, list: &str) -> Vec<String> {
        let value = self
            .js(&format!("return [...document.querySelectorAll('ul[data-list={list}] a.number')].map((a) => a.textContent);"))
            .await;
        serde_json::from_value(value).expect("a list of numbers")
    }

    /// Waits until the shipment page's widget shows the parcel's timeline; returns its events'
    /// text.
    async fn customer_timeline(&self) -> String {
        self.until(
            "the widget's timeline",
            "return document.querySelector('.customer-view waypost-tracker')?.shadowRoot?.querySelectorAll('.wp-event').length >= 1;",
        )
        .await;
        self.js("return [...document.querySelector('.customer-view waypost-tracker').shadowRoot.querySelectorAll('.wp-event')].map((e) => e.textContent).join(' | ');")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the shipments page lists what `hash` filters, and returns its numbers.
    async fn shipments_for(&self, hash: &str) -> Vec<String> {
        self.until(
            "the filtered shipments",
            &format!("return location.hash === {hash:?} && document.querySelector('ul[data-list=shipments]') && !document.querySelector('main [role=status]');"),
        )
        .await;
        self.numbers("shipments").await
    }

    async fn screenshot(&self, name: &str) {
        browser::screenshot(&self.browser, &format!("console-{name}")).await;
    }

    /// Nothing the page could keep but the theme picked: no other web storage, no cookie a
    /// script can read.
    async fn assert_nothing_stored(&self) {
        let stored = self
            .js("return [Object.keys(localStorage).filter((k) => k !== 'waypost-console-theme'), sessionStorage.length, document.cookie];")
            .await;
        assert_eq!(
            stored,
            json!([[], 0, ""]),
            "the console keeps nothing in storage"
        );
    }

    /// Picks the console's theme (`system`, `light` or `dark`) in the header.
    async fn theme(&self, theme: &str) {
        set_value(self, "#theme", theme, "change").await;
        let expected = if theme == "system" {
            Value::Null
        } else {
            json!(theme)
        };
        assert_eq!(
            self.js("return document.documentElement.getAttribute('data-theme');")
                .await,
            expected
        );
    }
}

async fn a_wrong_key_is_refused(w: &World) {
    w.fresh().await;
    w.screenshot("sign-in").await;
    w.sign_in("sk_not_a_real_key_0000000000").await;
    assert_eq!(
        w.text("#sign-in-message").await,
        "That key was not accepted."
    );
    assert_eq!(
        w.js("return document.querySelector('#secret-key').value;")
            .await,
        json!("")
    );
    w.assert_nothing_stored().await;
    w.screenshot("sign-in-refused").await;
    // The demo shop's key with its secret part altered: refused with the very same answer as a
    // key no shop has (that they also cost the same work is the API's test).
    let key = &w.demo.shop.secret_key;
    let last = if key.ends_with('0') { "1" } else { "0" };
    let wrong = format!("{}{last}", &key[..key.len() - 1]);
    let answers = w
        .js(&format!("const ask = (k) => fetch('/v1/console/session', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json' }}, body: JSON.stringify({{ secret_key: k }}) }}).then(async (r) => [r.status, await r.text()]); return Promise.all([ask({wrong:?}), ask('sk_0123456789abcdef_' + '0'.repeat(48))]);"))
        .await;
    assert_eq!(answers[0], answers[1], "{answers}");
    assert_eq!(answers[0][0], json!(401), "{answers}");
    w.sign_in(&wrong).await;
    assert_eq!(
        w.text("#sign-in-message").await,
        "That key was not accepted."
    );
}

async fn the_keyboard_signs_in_to_what_needs_attention(w: &World) {
    w.fresh().await;
    // The key field is the first thing Tab reaches; Enter submits.
    w.keys("\u{E004}").await;
    assert_eq!(
        w.js("return document.activeElement?.id;").await,
        json!("secret-key")
    );
    w.keys(&format!("{}\u{E007}", w.demo.shop.secret_key)).await;
    w.lists_loaded().await;
    assert_eq!(w.text(".shop").await, "Harbor & Pine (demo)");
    let needs_action = w.numbers("needs_action").await;
    let stalled = w.numbers("stalled").await;
    let not_scanned = w.numbers("not_scanned").await;
    let late = w.numbers("late").await;
    assert!(
        stalled.contains(&"287809468872".to_owned())
            && !stalled.contains(&NOT_YET_SCANNED.to_owned()),
        "stalled: {stalled:?}"
    );
    // The label made six days ago and never scanned has a list of its own.
    assert_eq!(not_scanned, [NOT_YET_SCANNED]);
    for number in ["1ZXX3150YW44070023", "1234567891"] {
        assert!(
            needs_action.contains(&number.to_owned()),
            "needs action: {needs_action:?}"
        );
    }
    let all: Vec<&String> = needs_action
        .iter()
        .chain(&stalled)
        .chain(&not_scanned)
        .chain(&late)
        .collect();
    assert!(
        !all.iter().any(|n| *n == ON_TRACK),
        "an on-track shipment is listed: {all:?}"
    );
    // The failed delivery's row: status, health and what to do, in the shared crate's words.
    let row = w
        .js("return [...document.querySelectorAll('.row')].find((r) => r.textContent.includes('1ZXX3150YW44070023'))?.textContent;")
        .await;
    let row = row.as_str().unwrap_or_default();
    for words in [
        "1006",
        "Delivery attempt failed",
        "Action needed",
        "Customer: Confirm the delivery address",
        "You: Contact the customer",
    ] {
        assert!(row.contains(words), "{words:?} missing from {row:?}");
    }
    let stalled_row = w
        .js("return [...document.querySelectorAll('.row')].find((r) => r.textContent.includes('287809468872'))?.textContent;")
        .await;
    assert!(
        stalled_row.as_str().unwrap_or_default().contains("10 days"),
        "{stalled_row}"
    );
    let counts = w.text(".health-counts").await;
    assert!(counts.contains("No recent updates"), "{counts}");
    w.assert_nothing_stored().await;
    w.screenshot("attention").await;
}

async fn opening_a_row_shows_its_timeline(w: &World) {
    w.signed_in().await;
    w.click("a.number[href='#/shipment/1ZXX3150YW44070023']")
        .await;
    assert_eq!(w.text("h1").await, "Shipment 1ZXX3150YW44070023");
    assert!(
        w.text(".status")
            .await
            .starts_with("Delivery attempt failed")
    );
    // The timeline is the real widget's, looked up with the shop's publishable key.
    assert_eq!(
        w.js(
            "return document.querySelector('.customer-view waypost-tracker')?.getAttribute('shop');"
        )
        .await,
        json!(w.demo.shop.publishable_key)
    );
    let timeline = w.customer_timeline().await;
    assert!(
        timeline.contains("Delivery attempted: address not found"),
        "{timeline}"
    );
    assert!(timeline.contains("Picked up"), "{timeline}");
    assert!(
        timeline.contains("UTC−5"),
        "each event in its own local time: {timeline}"
    );
    w.screenshot("shipment").await;
    // The browser's back button returns to the list.
    w.js("history.back();").await;
    w.lists_loaded().await;
}

async fn search_finds_a_shipment_or_an_orders_shipments(w: &World) {
    w.signed_in().await;
    // A tracking number (as typed, with spaces) opens its shipment.
    w.type_into("#search", &format!(" {ON_TRACK} ")).await;
    w.click(".search button[type=submit]").await;
    w.until(
        "the shipment page",
        &format!("return document.querySelector('h1')?.textContent === 'Shipment {ON_TRACK}';"),
    )
    .await;
    assert_eq!(
        w.js("return location.hash;").await,
        json!(format!("#/shipment/{ON_TRACK}"))
    );
    assert!(w.text(".status").await.starts_with("In transit"));
    let facts = w.text(".facts").await;
    assert!(facts.contains("1002"), "its order: {facts}");
    assert!(facts.contains("On track"), "{facts}");
    w.click("main a[href='#/']").await;
    w.lists_loaded().await;
    // An order number lists the order's parcels.
    w.type_into("#search", "1002").await;
    w.click(".search button[type=submit]").await;
    w.until(
        "the order's shipments",
        "return document.querySelectorAll('main .row').length === 2;",
    )
    .await;
    let rows = w.text("main .rows").await;
    for number in [ON_TRACK, "RR123456785CN"] {
        assert!(rows.contains(number), "{number} missing from {rows}");
    }
    w.screenshot("search-order").await;
    w.click("main a[href='#/']").await;
    w.lists_loaded().await;
    w.type_into("#search", "1Z999AA10000000000").await;
    w.click(".search button[type=submit]").await;
    assert_eq!(
        w.text("main .error").await,
        "No shipment with this tracking or order number in your shop."
    );
}

async fn signing_out_leaves_nothing_private(w: &World) {
    w.signed_in().await;
    w.click("a.number[href='#/shipment/287809468872']").await;
    w.customer_timeline().await;
    w.click(".sign-out").await;
    w.until(
        "the sign-in form",
        "return document.querySelector('#secret-key');",
    )
    .await;
    w.js("history.back();").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    w.until(
        "the sign-in form after going back",
        "return document.querySelector('#secret-key');",
    )
    .await;
    let body = w.js("return document.body.innerText;").await;
    let body = body.as_str().unwrap_or_default();
    for number in NEEDING_ATTENTION {
        assert!(
            !body.contains(number),
            "{number} still shown after signing out: {body}"
        );
    }
    // The session is over on the server too: the cookie opens nothing.
    let status = w
        .js("return fetch('/v1/shipments/counts').then((r) => r.status);")
        .await;
    assert_eq!(status, json!(401));
    let status = w
        .js("return fetch('/v1/console/session').then((r) => r.status);")
        .await;
    assert_eq!(status, json!(401));
    // Nor is the page itself kept by a cache or the back-forward cache.
    let cache = w
        .js("return fetch('/console/').then((r) => r.headers.get('cache-control'));")
        .await;
    assert_eq!(cache, json!("no-store"));
    w.browser.refresh().await.expect("reload");
    w.until(
        "the sign-in form after a reload",
        "return document.querySelector('#secret-key');",
    )
    .await;
}

/// WCAG contrast of every element with text of its own against its effective background.
const CONTRAST: &str = "
const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
const failures = [];
let checked = 0;
for (const el of document.querySelectorAll('body *')) {
  if (!el.checkVisibility() || el.closest('.visually-hidden')) continue;
  if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
  checked += 1;
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) failures.push(el.tagName + '.' + el.className + ': ' + ratio.toFixed(2));
}
return { failures, checked };";

async fn every_page_is_aa_and_fits_360_px(w: &World) {
    w.browser
        .set_window_size(360, 900)
        .await
        .expect("mobile size");
    w.fresh().await;
    w.screenshot("sign-in-360").await;
    w.sign_in(&w.demo.shop.secret_key).await;
    w.lists_loaded().await;
    w.screenshot("attention-360").await;
    let mut pages = vec![(
        "attention",
        w.js(CONTRAST).await,
        w.js("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await,
    )];
    w.click("a.number[href='#/shipment/1234567891']").await;
    w.customer_timeline().await;
    w.screenshot("shipment-360").await;
    pages.push((
        "shipment",
        w.js(CONTRAST).await,
        w.js("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await,
    ));
    w.click(".sign-out").await;
    w.until(
        "the sign-in form",
        "return document.querySelector('#secret-key');",
    )
    .await;
    pages.push((
        "sign-in",
        w.js(CONTRAST).await,
        w.js("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await,
    ));
    w.browser
        .set_window_size(1200, 1600)
        .await
        .expect("desktop size");
    for (page, contrast, fits) in pages {
        assert_eq!(contrast["failures"], json!([]), "{page}: text below 4.5:1");
        assert!(
            contrast["checked"].as_u64().unwrap_or_default() > 3,
            "{page}: {contrast}"
        );
        assert_eq!(fits, json!(true), "{page}: no sideways scrolling at 360 px");
    }
}

/// Sets a form field's value as typing would, and tells the page.
async fn set_value(w: &World, selector: &str, value: &str, event: &str) {
    w.until(
        selector,
        &format!("return document.querySelector({selector:?});"),
    )
    .await;
    w.js(&format!(
        "const e = document.querySelector({selector:?}); e.value = {value:?}; e.dispatchEvent(new Event({event:?}, {{ bubbles: true }}));"
    ))
    .await;
}

/// At 360 px: a screenshot of the page shown, its text contrast and that it fits.
async fn check_at_360(w: &World, page: &str) {
    w.browser
        .set_window_size(360, 900)
        .await
        .expect("mobile size");
    tokio::time::sleep(Duration::from_millis(300)).await;
    w.screenshot(&format!("{page}-360")).await;
    let contrast = w.js(CONTRAST).await;
    let fits = w
        .js("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    w.browser
        .set_window_size(1200, 1600)
        .await
        .expect("desktop size");
    assert_eq!(contrast["failures"], json!([]), "{page}: text below 4.5:1");
    assert_eq!(fits, json!(true), "{page}: no sideways scrolling at 360 px");
}

async fn the_embed_page_gives_the_snippet_and_checks_contrast(w: &World) {
    w.signed_in().await;
    w.click("nav a[href='#/embed']").await;
    let key = &w.demo.shop.publishable_key;
    let snippet = w
        .until(
            "the snippet",
            "return document.querySelector('#snippet')?.value;",
        )
        .await;
    let snippet = snippet.as_str().unwrap_or_default().to_owned();
    assert!(
        snippet.contains(&format!("<waypost-tracker shop=\"{key}\"")),
        "{snippet}"
    );
    assert!(
        snippet.contains(&format!(
            "<script type=\"module\" src=\"{}/widget.js\"></script>",
            w.edge.base_url.trim_end_matches('/')
        )),
        "{snippet}"
    );
    // Copy: to the clipboard, or (where the browser will not) the snippet selected for Ctrl+C.
    w.click("#copy-snippet").await;
    let feedback = w.text("#copy-message").await;
    if feedback.starts_with("Copied") {
        let clipboard = w
            .browser
            .execute_async(
                "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(null));",
                vec![],
            )
            .await
            .expect("clipboard read");
        if let Some(text) = clipboard.as_str() {
            assert_eq!(text, snippet);
        }
    } else {
        assert!(feedback.starts_with("Selected"), "{feedback}");
        let selected = w
            .js("const a = document.querySelector('#snippet'); return document.activeElement === a && a.selectionStart === 0 && a.selectionEnd === a.value.length;")
            .await;
        assert_eq!(selected, json!(true), "the snippet is selected");
    }
    // The real widget runs in the preview.
    w.until(
        "the widget in the preview",
        "return document.querySelector('.preview waypost-tracker')?.shadowRoot?.querySelector('.wp-theme');",
    )
    .await;
    // It looks parcels up from the console's own origin, which the shop need not list.
    w.js(&format!(
        "const root = document.querySelector('.preview waypost-tracker').shadowRoot; const input = root.querySelector('#wp-number'); input.value = '{ON_TRACK}'; input.dispatchEvent(new Event('input', {{ bubbles: true }})); root.querySelector('button[type=submit]').click();"
    ))
    .await;
    w.until(
        "the preview's tracking view",
        "return document.querySelector('.preview waypost-tracker').shadowRoot.textContent.includes('In transit');",
    )
    .await;
    // A pale accent on the light background is flagged, with its ratio; a dark one is not.
    set_value(w, "#theme-scheme", "light", "change").await;
    set_value(w, "#theme-accent", "#ffff00", "input").await;
    let warning = w.text("#contrast-warning").await;
    assert!(warning.contains("1.07:1"), "{warning}");
    let snippet = w
        .js("return document.querySelector('#snippet').value;")
        .await;
    let snippet = snippet.as_str().unwrap_or_default();
    assert!(snippet.contains("theme=\"light\""), "{snippet}");
    assert!(snippet.contains("--wp-accent: #ffff00"), "{snippet}");
    let style = w
        .js("const e = document.querySelector('.preview waypost-tracker'); return [e.getAttribute('theme'), e.getAttribute('style')];")
        .await;
    assert_eq!(style, json!(["light", "--wp-accent: #ffff00"]));
    w.screenshot("embed-low-contrast").await;
    set_value(w, "#theme-accent", "#1a4d8f", "input").await;
    w.until(
        "the warning to go",
        "return !document.querySelector('#contrast-warning') && document.querySelector('#contrast-ratio').textContent.includes('8.');",
    )
    .await;
    set_value(w, "#theme-radius", "4", "input").await;
    set_value(w, "#theme-font", "1", "change").await;
    let snippet = w
        .js("return document.querySelector('#snippet').value;")
        .await;
    let snippet = snippet.as_str().unwrap_or_default();
    assert!(
        snippet.contains(
            "style=\"--wp-accent: #1a4d8f; --wp-font: Georgia, serif; --wp-radius: 4px\""
        ),
        "{snippet}"
    );
    w.screenshot("embed").await;
    check_at_360(w, "embed").await;
}

async fn settings_change_who_may_embed(w: &World) {
    w.signed_in().await;
    w.click("nav a[href='#/settings']").await;
    let origins = w
        .until(
            "the allowed origins",
            "return document.querySelector('#allowed-origins')?.value;",
        )
        .await;
    let origins = origins.as_str().unwrap_or_default().to_owned();
    // An origin the API refuses: its reason shows by the form, and nothing is saved.
    set_value(
        w,
        "#allowed-origins",
        &format!("{origins}\nhttp://insecure.example"),
        "input",
    )
    .await;
    w.click("#save-settings").await;
    let error = w.text("#settings-error").await;
    assert!(!error.is_empty());
    assert_eq!(
        w.js("return document.querySelector('#settings-saved').textContent;")
            .await,
        json!("")
    );
    // A good one: saved, and the API now answers that origin's browsers.
    set_value(
        w,
        "#allowed-origins",
        &format!("{origins}\nhttps://added.example"),
        "input",
    )
    .await;
    w.click("#save-settings").await;
    assert_eq!(w.text("#settings-saved").await, "Saved");
    assert!(
        w.js("return document.querySelector('#settings-error').textContent;")
            .await
            == json!("")
    );
    let client = Client::new(&w.edge.base_url);
    let reply = client
        .get(&format!(
            "/v1/track/{ON_TRACK}?key={}",
            w.demo.shop.publishable_key
        ))
        .header("Origin", "https://added.example")
        .send()
        .expect("track answers");
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://added.example"),
        "{} {}",
        reply.status,
        reply.text()
    );
    let shop = client
        .get("/v1/shop")
        .bearer(&w.demo.shop.secret_key)
        .send()
        .expect("shop answers")
        .json();
    assert!(
        shop["allowed_origins"]
            .as_array()
            .is_some_and(|o| o.contains(&json!("https://added.example"))),
        "{shop}"
    );
    w.screenshot("settings").await;
    check_at_360(w, "settings").await;
}

/// Last: the demo shop's publishable key is replaced.
async fn a_new_publishable_key_revokes_the_old(w: &World) {
    w.signed_in().await;
    w.click("nav a[href='#/settings']").await;
    let old = w.text("#publishable-key").await;
    assert_eq!(old, w.demo.shop.publishable_key);
    w.click("#new-key").await;
    let warning = w.text("#confirm-text").await;
    assert!(warning.contains("stops working at once"), "{warning}");
    w.screenshot("settings-new-key").await;
    w.click("#confirm-new-key").await;
    w.text("#key-rotated").await;
    let new = w.text("#publishable-key").await;
    assert_ne!(new, old);
    assert!(new.starts_with("pk_"), "{new}");
    let client = Client::new(&w.edge.base_url);
    let status = |key: &str| {
        client
            .get(&format!("/v1/track/{ON_TRACK}?key={key}"))
            .send()
            .expect("track answers")
            .status
    };
    assert_eq!(status(&old), 401, "the old key is revoked");
    assert_eq!(status(&new), 200, "the new key works");
    // The embed page's snippet carries the new key.
    w.click("nav a[href='#/embed']").await;
    let snippet = w
        .until(
            "the snippet",
            "return document.querySelector('#snippet')?.value;",
        )
        .await;
    assert!(
        snippet.as_str().unwrap_or_default().contains(&new),
        "{snippet}"
    );
}

async fn the_shipments_page_filters_and_exports(w: &World) {
    w.signed_in().await;
    // A count opens the shipments of that health.
    w.click(".health-counts a[href='#/shipments?health=stalled']")
        .await;
    let stalled = w.shipments_for("#/shipments?health=stalled").await;
    for number in ["287809468872", NOT_YET_SCANNED] {
        assert!(stalled.contains(&number.to_owned()), "{stalled:?}");
    }
    assert!(!stalled.contains(&ON_TRACK.to_owned()), "{stalled:?}");
    // Every shipment, then one carrier's, then one status of that carrier's.
    set_value(w, "#filter-health", "", "change").await;
    let all = w.shipments_for("#/shipments").await;
    for number in [ON_TRACK, "287809468872", NOT_YET_SCANNED, "RR123456785CN"] {
        assert!(
            all.contains(&number.to_owned()),
            "{number} missing: {all:?}"
        );
    }
    set_value(w, "#filter-carrier", "fedex", "change").await;
    assert_eq!(
        w.shipments_for("#/shipments?carrier=fedex").await,
        ["287809468872"]
    );
    set_value(w, "#filter-status", "delivered", "change").await;
    assert!(
        w.shipments_for("#/shipments?status=delivered&carrier=fedex")
            .await
            .is_empty()
    );
    assert_eq!(w.text("main .empty").await, "None right now.");
    // Back restores the filter before, in the list and in the form.
    w.js("history.back();").await;
    assert_eq!(
        w.shipments_for("#/shipments?carrier=fedex").await,
        ["287809468872"]
    );
    assert_eq!(
        w.js("return [document.querySelector('#filter-carrier').value, document.querySelector('#filter-status').value];")
            .await,
        json!(["fedex", ""])
    );
    // The export is the CSV file of the same filter, fetched with the session cookie.
    assert_eq!(
        w.js("return document.querySelector('#export-csv').getAttribute('href');")
            .await,
        json!("/v1/shipments.csv?carrier=fedex")
    );
    let file = w
        .js("return fetch(document.querySelector('#export-csv').href).then(async (r) => [r.status, r.headers.get('content-type'), r.headers.get('content-disposition'), await r.text()]);")
        .await;
    assert_eq!(file[0], json!(200), "{file}");
    assert!(
        file[1].as_str().unwrap_or_default().starts_with("text/csv"),
        "{file}"
    );
    assert!(
        file[2]
            .as_str()
            .unwrap_or_default()
            .starts_with("attachment"),
        "{file}"
    );
    let text = file[3].as_str().unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "a header and FedEx's one shipment: {text}");
    assert!(lines[0].starts_with("tracking_number,"), "{text}");
    assert!(lines[1].starts_with("287809468872,1008,fedex,"), "{text}");
    w.screenshot("shipments").await;
    check_at_360(w, "shipments").await;
}

async fn another_shops_shipments_are_not_reachable_by_url(w: &World) {
    const OTHER_NUMBER: &str = "1Z4E7W830312074518";
    const OTHER_ORDER: &str = "B-77";
    let client = Client::new(&w.edge.base_url);
    let other = client
        .create_shop(
            &w.edge.admin_token,
            &json!({ "name": "Another shop", "allowed_origins": ["https://another.example"], "transit_days": { "min_days": 3, "max_days": 7 } }),
        )
        .expect("another shop");
    let stored = client
        .put(&format!("/v1/shipments/{OTHER_NUMBER}"))
        .bearer(&other.secret_key)
        .json(&json!({ "order_number": OTHER_ORDER }))
        .send()
        .expect("the other shop's shipment");
    assert_eq!(stored.status, 200, "{}", stored.text());
    w.signed_in().await;
    // Its address typed by hand: the demo shop's session finds nothing there.
    w.js(&format!("location.hash = '#/shipment/{OTHER_NUMBER}';"))
        .await;
    assert_eq!(
        w.text("main .error").await,
        "No shipment with this tracking number in your shop."
    );
    assert!(
        w.js("return document.querySelector('.customer-view');")
            .await
            .is_null()
    );
    // Nor by the API the console uses, nor by its order.
    let answers = w
        .js(&format!("return Promise.all([fetch('/v1/shipments/{OTHER_NUMBER}').then((r) => r.status), fetch('/v1/shipments?order={OTHER_ORDER}').then((r) => r.json())]);"))
        .await;
    assert_eq!(answers[0], json!(404), "{answers}");
    assert_eq!(answers[1]["shipments"], json!([]), "{answers}");
    w.js(&format!("location.hash = '#/find/{OTHER_ORDER}';"))
        .await;
    assert_eq!(
        w.text("main .error").await,
        "No shipment with this tracking or order number in your shop."
    );
}

async fn a_forged_cross_site_post_is_refused(w: &World) {
    w.signed_in().await;
    let edge = &w.edge.base_url;
    // Another site on the same host (so the browser sends the SameSite=Strict cookie) posts to
    // the API twice: a script's request, then a form that navigates to the answer.
    let page = w.elsewhere.page(
        "/forged.html",
        format!(
            r#"<!doctype html><html><body>
<form id="forged" method="post" action="{edge}/v1/shop/publishable-key" enctype="text/plain"><input type="hidden" name="{{}}" value=""></form>
<script>
fetch("{edge}/v1/shop/publishable-key", {{ method: "POST", mode: "no-cors", credentials: "include", body: "{{}}" }})
  .catch(() => null)
  .finally(() => document.getElementById("forged").submit());
</script>
</body></html>"#
        ),
    );
    w.browser.goto(&page).await.expect("the forged page loads");
    w.until(
        "the API's answer to the forged form",
        &format!("return location.href.startsWith({edge:?}) && document.body?.innerText;"),
    )
    .await;
    let answer = w
        .js("return [performance.getEntriesByType('navigation')[0].responseStatus, document.body.innerText];")
        .await;
    // 403, not 401: the cookie came along, and the request was refused for where it came from.
    assert_eq!(answer[0], json!(403), "{answer}");
    assert!(
        answer[1]
            .as_str()
            .unwrap_or_default()
            .contains("csrf_failed"),
        "{answer}"
    );
    // Neither request changed anything: the publishable key is the one the demo made.
    let shop = Client::new(edge)
        .get("/v1/shop")
        .bearer(&w.demo.shop.secret_key)
        .send()
        .expect("shop answers")
        .json();
    assert_eq!(
        shop["publishable_key"],
        json!(w.demo.shop.publishable_key),
        "{shop}"
    );
}

/// Waits for `what`, then saves the page's dark screenshot and checks its contrast.
async fn dark_page(w: &World, name: &str, ready: &str) {
    w.until(name, ready).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    w.screenshot(&format!("{name}-dark")).await;
    let contrast = w.js(CONTRAST).await;
    assert_eq!(
        contrast["failures"],
        json!([]),
        "{name}, dark: text below 4.5:1"
    );
    assert!(
        contrast["checked"].as_u64().unwrap_or_default() > 3,
        "{name}: {contrast}"
    );
}

async fn every_page_has_a_dark_theme(w: &World) {
    w.signed_in().await;
    w.theme("dark").await;
    assert_eq!(
        w.js("return getComputedStyle(document.documentElement).backgroundColor;")
            .await,
        json!("rgb(20, 24, 28)")
    );
    dark_page(
        w,
        "attention",
        "return document.querySelectorAll('.list').length === 4;",
    )
    .await;
    w.click("a.number[href='#/shipment/1234567891']").await;
    w.customer_timeline().await;
    dark_page(w, "shipment", "return document.querySelector('.facts');").await;
    w.click("nav a[href='#/shipments']").await;
    w.shipments_for("#/shipments").await;
    dark_page(
        w,
        "shipments",
        "return document.querySelector('#filter-status');",
    )
    .await;
    w.click("nav a[href='#/embed']").await;
    dark_page(
        w,
        "embed",
        "return document.querySelector('#snippet')?.value;",
    )
    .await;
    w.click("nav a[href='#/settings']").await;
    dark_page(
        w,
        "settings",
        "return document.querySelector('[data-platform=shopify] .webhook-url');",
    )
    .await;
    // The pick outlives a reload and a sign-out.
    w.browser.refresh().await.expect("reload");
    w.until(
        "the settings after a reload",
        "return document.querySelector('#allowed-origins');",
    )
    .await;
    assert_eq!(
        w.js("return [document.documentElement.getAttribute('data-theme'), document.querySelector('#theme').value];")
            .await,
        json!(["dark", "dark"])
    );
    w.click(".sign-out").await;
    dark_page(
        w,
        "sign-in",
        "return document.querySelector('#secret-key');",
    )
    .await;
    // Back to the system's scheme: nothing kept any more.
    w.theme("system").await;
    assert_eq!(w.js("return localStorage.length;").await, json!(0));
}

async fn settings_connect_a_platform(w: &World) {
    w.signed_in().await;
    w.click("nav a[href='#/settings']").await;
    let (_, shopify_url, old_secret) = &w.demo.integrations[0];
    let shown = w
        .until(
            "Shopify's webhook address",
            "return document.querySelector('#shopify-url')?.value;",
        )
        .await;
    assert_eq!(shown, json!(shopify_url));
    // A secret the API refuses: its reason shows, nothing changes.
    set_value(w, "#shopify-secret", "short", "input").await;
    w.click("[data-platform=shopify] .connect").await;
    let error = w.text("[data-platform=shopify] .error").await;
    assert!(error.contains("256 characters"), "{error}");
    // A new secret: webhooks signed with the old one are refused from then on.
    let new_secret = "console-replaced-shopify-secret-0001";
    set_value(w, "#shopify-secret", new_secret, "input").await;
    w.click("[data-platform=shopify] .connect").await;
    let saved = w.text("[data-platform=shopify] [role=status]").await;
    assert!(saved.starts_with("Saved"), "{saved}");
    let sample = &w.demo.sample_webhook;
    let path = sample
        .url
        .strip_prefix(&w.edge.base_url)
        .expect("a webhook address on the Worker");
    let deliver = |secret: &str| {
        let mut call = Client::new(&w.edge.base_url).post(path);
        for (name, value) in &sample.headers {
            call = if *name == "X-Shopify-Hmac-Sha256" {
                call.header(name, &sign(secret, sample.body.as_bytes()))
            } else {
                call.header(name, value)
            };
        }
        call.raw("application/json", sample.body.clone().into_bytes())
            .send()
            .expect("the webhook answers")
            .status
    };
    assert_eq!(deliver(old_secret), 401, "the old secret is refused");
    assert_eq!(deliver(new_secret), 200, "the new secret is accepted");
    // WooCommerce disconnected: its webhook address is gone from the page and the API.
    w.click("[data-platform=woocommerce] .disconnect").await;
    w.until(
        "WooCommerce disconnected",
        "return document.querySelector('[data-platform=woocommerce] .connection')?.textContent === 'Not connected.' && !document.querySelector('#woocommerce-url');",
    )
    .await;
    let status = Client::new(&w.edge.base_url)
        .get("/v1/integrations/woocommerce")
        .bearer(&w.demo.shop.secret_key)
        .send()
        .expect("integration answers")
        .status;
    assert_eq!(status, 404);
    w.screenshot("settings-webhooks").await;
}

/// The demo shop's notification settings, through the API.
fn notification_settings(w: &World) -> Value {
    Client::new(&w.edge.base_url)
        .get("/v1/notifications/settings")
        .bearer(&w.demo.shop.secret_key)
        .send()
        .expect("notification settings answer")
        .json()
}

async fn settings_change_notifications_and_webhook_endpoints(w: &World) {
    w.signed_in().await;
    w.click("nav a[href='#/settings']").await;
    w.until(
        "the notification settings",
        "return document.querySelector('#trigger-delivered') && document.querySelector('#sender-name');",
    )
    .await;
    // No checkbox for the opt-in's confirmation: it is not the shop's to turn off.
    assert_eq!(
        w.js("return document.querySelector('#trigger-subscription_confirmation');")
            .await,
        Value::Null
    );
    assert_eq!(
        w.js("return document.querySelectorAll('.notifications input[type=checkbox]').length;")
            .await,
        json!(11 + 3 + 1)
    );
    // "Delivered" turned off and a sender name set: saved, and the API says so.
    if w.js("return document.querySelector('#trigger-delivered').checked;")
        .await
        != json!(true)
    {
        w.click("#trigger-delivered").await;
    }
    w.click("#trigger-delivered").await;
    assert_eq!(
        w.js("return document.querySelector('#trigger-delivered').checked;")
            .await,
        json!(false)
    );
    set_value(w, "#sender-name", "Demo Shop Team", "input").await;
    w.click("#save-notifications").await;
    assert_eq!(w.text("#notifications-saved").await, "Saved");
    assert_eq!(
        w.js("return document.querySelector('#notifications-error').textContent;")
            .await,
        json!("")
    );
    let settings = notification_settings(w);
    assert_eq!(
        settings["sender_name"],
        json!("Demo Shop Team"),
        "{settings}"
    );
    let triggers = settings["triggers"].as_array().expect("triggers");
    assert!(!triggers.contains(&json!("delivered")), "{settings}");
    assert!(triggers.contains(&json!("out_for_delivery")), "{settings}");
    // An invalid sender email: the API's reason shows, and nothing is saved.
    set_value(w, "#sender-name", "Someone Else", "input").await;
    set_value(w, "#sender-email", "not an email", "input").await;
    w.click("#save-notifications").await;
    let error = w.text("#notifications-error").await;
    assert!(error.contains("sender_email"), "{error}");
    assert_eq!(
        w.js("return document.querySelector('#notifications-saved').textContent;")
            .await,
        json!("")
    );
    assert_eq!(notification_settings(w), settings, "nothing saved");
    // Put right: saved again, the reason gone.
    set_value(w, "#sender-email", "", "input").await;
    set_value(w, "#sender-name", "Demo Shop Team", "input").await;
    w.click("#save-notifications").await;
    assert_eq!(w.text("#notifications-saved").await, "Saved");
    assert_eq!(
        w.js("return document.querySelector('#notifications-error').textContent;")
            .await,
        json!("")
    );
    // Quiet hours for texts: suggested in the browser's own zone; saved in the zone given; an
    // unknown zone refused with the API's reason; then off again.
    let zone = w
        .js("return document.querySelector('#quiet-zone').value;")
        .await;
    assert!(zone.as_str().is_some_and(|z| !z.is_empty()), "{zone}");
    assert_eq!(settings["sms_quiet_hours"], Value::Null, "{settings}");
    w.click("#quiet-on").await;
    set_value(w, "#quiet-from", "22:30", "input").await;
    set_value(w, "#quiet-to", "07:15", "input").await;
    set_value(w, "#quiet-zone", "Europe/Madrid", "input").await;
    w.click("#save-notifications").await;
    assert_eq!(w.text("#notifications-saved").await, "Saved");
    let quiet = notification_settings(w)["sms_quiet_hours"].clone();
    assert_eq!(
        quiet,
        json!({ "from": "22:30", "to": "07:15", "time_zone": "Europe/Madrid" })
    );
    set_value(w, "#quiet-zone", "Mars/Olympus_Mons", "input").await;
    w.click("#save-notifications").await;
    let error = w.text("#notifications-error").await;
    assert!(error.contains("sms_quiet_hours"), "{error}");
    assert_eq!(notification_settings(w)["sms_quiet_hours"], quiet);
    w.screenshot("settings-quiet-hours").await;
    w.click("#quiet-on").await;
    w.click("#save-notifications").await;
    assert_eq!(w.text("#notifications-saved").await, "Saved");
    assert_eq!(notification_settings(w)["sms_quiet_hours"], Value::Null);
    // A webhook endpoint: its secret shown once, then removed.
    let url = "https://hooks.example.com/waypost";
    set_value(w, "#endpoint-url", url, "input").await;
    w.click("#add-endpoint").await;
    let secret = w
        .until(
            "the new endpoint's secret",
            "return document.querySelector('#endpoint-secret')?.value;",
        )
        .await;
    assert!(
        secret.as_str().is_some_and(|s| s.starts_with("whsec_")),
        "{secret}"
    );
    let note = w.text("#endpoint-secret-note").await;
    assert!(note.contains("not shown again"), "{note}");
    let listed = w
        .until(
            "the endpoint listed",
            &format!("return [...document.querySelectorAll('.endpoint')].find((e) => e.querySelector('.endpoint-url').textContent === {url:?})?.dataset.endpoint;"),
        )
        .await;
    let id = listed.as_str().expect("an endpoint id").to_owned();
    let endpoints = Client::new(&w.edge.base_url)
        .get("/v1/notifications/webhooks")
        .bearer(&w.demo.shop.secret_key)
        .send()
        .expect("endpoints answer")
        .json();
    assert!(
        endpoints["endpoints"].as_array().is_some_and(|e| e
            .iter()
            .any(|e| e["id"] == json!(id) && e["url"] == json!(url))),
        "{endpoints}"
    );
    w.js("document.querySelector('#notifications-title').scrollIntoView();")
        .await;
    w.screenshot("settings-notifications").await;
    check_at_360(w, "settings-notifications").await;
    w.click(&format!(".endpoint[data-endpoint={id:?}] .remove-endpoint"))
        .await;
    w.until(
        "the endpoint removed",
        &format!("return !document.querySelector('.endpoint[data-endpoint={id:?}]') && document.querySelector('#endpoints-status').textContent.startsWith('Removed');"),
    )
    .await;
    let endpoints = Client::new(&w.edge.base_url)
        .get("/v1/notifications/webhooks")
        .bearer(&w.demo.shop.secret_key)
        .send()
        .expect("endpoints answer")
        .json();
    assert!(
        endpoints["endpoints"]
            .as_array()
            .is_some_and(|e| e.iter().all(|e| e["id"] != json!(id))),
        "{endpoints}"
    );
}

async fn a_shipment_lists_the_messages_sent(w: &World) {
    w.signed_in().await;
    let number = NEEDING_ATTENTION[2];
    w.click(&format!("a.number[href='#/shipment/{number}']"))
        .await;
    w.customer_timeline().await;
    let heading = w.text("#messages-title").await;
    assert_eq!(heading, "Messages sent");
    // Loaded: a list, or "None yet." (the demo Worker has no email provider: what it lists, and
    // how many, is not this test's to say).
    let shown = w
        .until(
            "the messages sent",
            "return document.querySelector('.message-list') ? 'list' : (document.querySelector('#no-messages') ? 'none' : null);",
        )
        .await;
    if shown == json!("none") {
        assert_eq!(w.text("#no-messages").await, "None yet.");
    } else {
        let states = w
            .js("return [...document.querySelectorAll('.message')].map((m) => [m.dataset.state, m.querySelector('.state')?.textContent ?? '', m.querySelector('.recipient')?.textContent ?? '']);")
            .await;
        let states = states.as_array().expect("rows").clone();
        assert!(!states.is_empty());
        for row in states {
            assert!(
                row[0].as_str().is_some_and(|s| !s.is_empty())
                    && row[1].as_str().is_some_and(|s| !s.is_empty()),
                "each message shows its state: {row}"
            );
        }
    }
    w.js("document.querySelector('#messages-title').scrollIntoView();")
        .await;
    w.screenshot("shipment-messages").await;
    check_at_360(w, "shipment-messages").await;
}

macro_rules! run_tests {
    ($world:expr, $filter:expr, $failed:expr, $($name:ident),* $(,)?) => {
        $(
            if $filter.as_deref().is_none_or(|f: &str| stringify!($name).contains(f)) {
                let passed = browser::passes(Box::pin($name($world))).await;
                println!("test {} ... {}", stringify!($name), if passed { "ok" } else { "FAILED" });
                if !passed {
                    $failed.push(stringify!($name));
                }
            }
        )*
    };
}

async fn run() -> Result<bool, String> {
    let upstream = FakeSeventeenTrack::start()?;
    demo::script_dropshipped(&upstream);
    let edge = EdgeServer::start_for_tests_with(&upstream.worker_vars())?;
    let demo = demo::seed(&Client::new(&edge.base_url), &edge.admin_token, &[])?;
    let driver = ChromeDriver::start()?;
    let browser = ClientBuilder::rustls()
        .map_err(|e| e.to_string())?
        .capabilities(driver.capabilities())
        .connect(&driver.url)
        .await
        .map_err(|e| format!("browser session: {e}"))?;
    browser
        .set_window_size(1200, 1600)
        .await
        .map_err(|e| e.to_string())?;
    let world = World {
        browser,
        edge,
        demo,
        _upstream: upstream,
        elsewhere: Storefront::start()?,
    };
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let mut failed = Vec::new();
    println!(
        "\nrunning console browser tests ({}/console/)",
        world.edge.base_url
    );
    run_tests!(
        &world,
        filter,
        failed,
        a_wrong_key_is_refused,
        the_keyboard_signs_in_to_what_needs_attention,
        opening_a_row_shows_its_timeline,
        search_finds_a_shipment_or_an_orders_shipments,
        signing_out_leaves_nothing_private,
        every_page_is_aa_and_fits_360_px,
        the_embed_page_gives_the_snippet_and_checks_contrast,
        settings_change_who_may_embed,
        the_shipments_page_filters_and_exports,
        another_shops_shipments_are_not_reachable_by_url,
        a_forged_cross_site_post_is_refused,
        every_page_has_a_dark_theme,
        settings_connect_a_platform,
        settings_change_notifications_and_webhook_endpoints,
        a_shipment_lists_the_messages_sent,
        // Last: it replaces the demo shop's publishable key.
        a_new_publishable_key_revokes_the_old,
    );
    let _ = world.browser.clone().close().await;
    if !failed.is_empty() {
        eprintln!(
            "failed: {failed:?}\n--- wrangler log (tail) ---\n{}",
            world.edge.log_tail()
        );
    }
    drop(driver);
    Ok(failed.is_empty())
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match runtime.block_on(run()) {
        Ok(true) => {
            println!("\nconsole browser tests: all passed");
            ExitCode::SUCCESS
        }
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("could not set up the console browser tests: {error}");
            ExitCode::FAILURE
        }
    }
}
