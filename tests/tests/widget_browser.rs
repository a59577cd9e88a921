//! The widget in headless Chromium (Debian's, through chromedriver), embedded by a storefront on
//! another origin, against the real Worker on `wrangler dev` (its carriers pointed at a fake carrier
//! server on 127.0.0.1, its aggregator at a fake 17TRACK, its notifications at the local catcher).
//! Screenshots of the main states are saved under `target/screenshots/`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client as Browser, ClientBuilder};
use serde_json::{Value, json};
use waypost_shared::labels::{Lang, event_time};
use waypost_shared::time::EventTime;
use waypost_shared::wire::ShopCreated;
use waypost_tests::browser;
use waypost_tests::chromedriver::ChromeDriver;
use waypost_tests::demo::{self, Demo};
use waypost_tests::fake_carrier::{DETECTED, IN_TRANSIT_SCANS};
use waypost_tests::proxy::Relay;
use waypost_tests::storefront::Storefront;
use waypost_tests::{
    Behaviour, Catcher, CaughtMessage, Client, EdgeServer, FakeCarrier, FakeSeventeenTrack, Journey,
};

/// Everything a test uses.
struct World {
    browser: Browser,
    edge: EdgeServer,
    carriers: FakeCarrier,
    /// The aggregator's upstream, tracking the demo's dropshipped parcel.
    upstream: FakeSeventeenTrack,
    /// The dropshipped parcel's journey, as the upstream tells it.
    dropshipped: Journey,
    /// A shop with every live carrier enabled.
    live_shop: ShopCreated,
    store: Storefront,
    demo: Demo,
    relay: Relay,
    /// The Worker's email, SMS and webhook messages.
    catcher: Catcher,
}

impl World {
    /// A storefront page embedding the snippet: `widgets` are `<waypost-tracker>` attribute lists.
    fn page(&self, path: &str, head: &str, widgets: &[&str]) -> String {
        self.shop_page(&self.demo.shop.publishable_key, path, head, widgets)
    }

    /// [`World::page`] for the shop with publishable key `key`.
    fn shop_page(&self, key: &str, path: &str, head: &str, widgets: &[&str]) -> String {
        let trackers: String = widgets
            .iter()
            .map(|attributes| {
                format!(r#"<waypost-tracker shop="{key}" {attributes}></waypost-tracker>"#)
            })
            .collect();
        let html = format!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.__alerted = false; window.alert = () => {{ window.__alerted = true; }};</script>{head}</head>
<body><h1>Shop</h1>{trackers}<script type="module" src="{}/widget.js"></script></body></html>"#,
            self.edge.base_url
        );
        self.store.page(path, html)
    }

    async fn open(&self, url: &str) {
        self.browser.goto(url).await.expect("page loads");
    }

    /// Runs JS with `root(i)` = the i-th widget's shadow root.
    async fn js(&self, script: &str) -> Value {
        browser::run(&self.browser, &format!("{ROOT}\n{script}")).await
    }

    /// Waits until `script` returns something truthy, and returns it.
    async fn until(&self, what: &str, script: &str) -> Value {
        let context = "return [location.href, document.body?.innerHTML?.slice(0, 500), document.querySelector('waypost-tracker')?.shadowRoot?.innerHTML?.slice(0, 800)];";
        let script = format!("{ROOT}\n{script}");
        browser::until(&self.browser, "", what, &script, context).await
    }

    /// An element inside a widget's shadow root, as a WebDriver element.
    async fn element(&self, widget: usize, selector: &str) -> Element {
        let value = self
            .until(
                selector,
                &format!("return root({widget})?.querySelector({selector:?});"),
            )
            .await;
        let id = value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("an element reference");
        Element::from_element_id(self.browser.clone(), ElementRef::from(id.to_owned()))
    }

    async fn text(&self, widget: usize, selector: &str) -> String {
        self.until(
            selector,
            &format!("return root({widget})?.querySelector({selector:?})?.textContent;"),
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    async fn keys(&self, keys: &str) {
        browser::press(&self.browser, keys).await;
    }

    async fn screenshot(&self, name: &str) {
        browser::screenshot(&self.browser, name).await;
    }
}

/// A script prelude: `root(i)` is the i-th widget's shadow root.
const ROOT: &str =
    "const root = (i) => document.querySelectorAll('waypost-tracker')[i]?.shadowRoot;";

const TAB: &str = "\u{e004}";
const ENTER: &str = "\u{e007}";

async fn tracking_number_renders_status_milestone_and_events(w: &World) {
    let url = w.page("/track", "", &[r#"tracking-number="1Z5R89390357567127""#]);
    assert_ne!(
        w.store.origin, w.edge.base_url,
        "the storefront is another origin than the API"
    );
    w.open(&url).await;
    assert_eq!(w.text(0, ".wp-status").await, "In transit");
    assert_eq!(
        w.text(0, "[aria-current=step] .wp-step-label").await,
        "In transit"
    );
    let events = w
        .until(
            "events",
            "return root(0).querySelectorAll('.wp-event').length;",
        )
        .await;
    assert_eq!(events, json!(4));
    let first = w.text(0, ".wp-event .wp-time").await;
    assert!(
        first.ends_with("UTC\u{2212}6"),
        "each event in its own local time: {first}"
    );
    let live = w.text(0, "[role=status]").await;
    assert!(
        live.starts_with("In transit"),
        "the live region announces the status: {live}"
    );
    w.screenshot("light-in-transit").await;
}

async fn carrier_scans_show_in_their_own_local_time(w: &World) {
    let widgets: Vec<String> = DETECTED
        .iter()
        .map(|(carrier, number)| {
            w.carriers
                .script(carrier, number, Behaviour::Case("in_transit"));
            format!(r#"tracking-number="{number}""#)
        })
        .collect();
    let attributes: Vec<&str> = widgets.iter().map(String::as_str).collect();
    let url = w.shop_page(&w.live_shop.publishable_key, "/live", "", &attributes);
    w.open(&url).await;
    for (index, (carrier, number)) in DETECTED.iter().enumerate() {
        assert_eq!(w.text(index, ".wp-status").await, "In transit", "{carrier}");
        let times = w
            .until(
                "times",
                &format!("return [...root({index}).querySelectorAll('.wp-event .wp-time')].map(e => e.textContent);"),
            )
            .await;
        let times: Vec<&str> = times
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let expected = IN_TRANSIT_SCANS.iter().filter(|scan| scan.0 == *carrier);
        for (nth, (_, _, _, label)) in expected.enumerate() {
            assert!(
                times.contains(label),
                "{carrier}: {label} shown, in its own local time: {times:?}"
            );
            if nth == 0 {
                assert_eq!(times[0], *label, "{carrier}: the newest scan first");
            }
        }
        assert_eq!(w.carriers.track_hits(carrier, number), 1, "{carrier}");
    }
    w.screenshot("live-carriers").await;
}

async fn a_dropshipped_parcel_shows_both_carriers_and_the_hand_over(w: &World) {
    let (number, last_mile, _) = demo::DROPSHIPPED;
    let url = w.page(
        "/dropshipped",
        "",
        &[&format!(r#"tracking-number="{number}""#)],
    );
    w.open(&url).await;
    w.text(0, ".wp-status").await;
    w.js("root(0).querySelector('.wp-expand')?.click();").await;
    let events = w
        .until(
            "every event",
            &format!(
                "const events = [...root(0).querySelectorAll('.wp-event')].map(e => e.textContent);
                 return events.length > {} ? events : null;",
                w.dropshipped.events().len()
            ),
        )
        .await;
    let events: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // Every scan, YunExpress's in Shenzhen's time and USPS's in the US, each naming its carrier.
    for scan in w.dropshipped.events() {
        let time = EventTime::parse(&format!("{}{}", scan.local_time, scan.offset)).unwrap();
        let label = event_time(&time, Lang::En);
        assert!(
            events.iter().any(|event| event.contains(&label)
                && event.contains(&scan.description)
                && event.contains(&scan.provider)),
            "{label} {} by {} in {events:#?}",
            scan.description,
            scan.provider
        );
    }
    assert!(events.iter().any(|e| e.contains("UTC+8")), "{events:#?}");
    assert!(
        events.iter().any(|e| e.contains("UTC\u{2212}5")),
        "{events:#?}"
    );
    let hand_overs = events
        .iter()
        .filter(|e| e.contains(&format!("Handed over to USPS ({last_mile})")))
        .count();
    assert_eq!(hand_overs, 1, "the hand-over, once: {events:#?}");
    let links = w
        .js("return [...root(0).querySelectorAll('.wp-carrier a')].map(a => a.href);")
        .await;
    assert!(
        links
            .as_array()
            .unwrap()
            .iter()
            .any(|href| href.as_str().unwrap_or_default().contains(last_mile)),
        "the last-mile carrier's link: {links}"
    );
    assert_eq!(w.upstream.register_hits(number), 1);
    w.screenshot("dropshipped-handed-over").await;
}

async fn a_carrier_outage_shows_the_last_known_timeline_marked_stale(w: &World) {
    let number = "WPWIDGETSTALE1";
    let api = Client::new(&w.edge.base_url);
    let secret = &w.live_shop.secret_key;
    let registered = api
        .put(&format!("/v1/shipments/{number}"))
        .bearer(secret)
        .json(&json!({ "carrier": "dhl" }))
        .send()
        .expect("registered");
    assert!(registered.status < 300, "{}", registered.text());
    let pushed = api
        .post(&format!("/v1/shipments/{number}/events"))
        .bearer(secret)
        .json(&json!({ "events": [{ "time": "2026-11-20T09:30:00+08:00", "status": "in_transit", "description": "Handed to DHL in Shenzhen" }] }))
        .send()
        .expect("pushed");
    assert_eq!(pushed.status, 200, "{}", pushed.text());
    w.carriers.script("dhl", number, Behaviour::ServerError);

    let attribute = format!(r#"tracking-number="{number}""#);
    let url = w.shop_page(&w.live_shop.publishable_key, "/stale", "", &[&attribute]);
    w.open(&url).await;
    assert_eq!(w.text(0, ".wp-status").await, "In transit");
    assert_eq!(
        w.text(0, ".wp-event .wp-time").await,
        "Nov 20, 9:30 AM, UTC+8"
    );
    let hint = w.text(0, ".wp-hint").await;
    assert!(hint.contains("latest we know"), "marked stale: {hint}");
    assert!(
        w.carriers.track_hits("dhl", number) >= 1,
        "the carrier was asked"
    );
}

async fn order_and_email_show_both_parcels(w: &World) {
    w.open(&w.page("/order", "", &[r#"order-number="1002""#]))
        .await;
    w.element(0, "#wp-email")
        .await
        .send_keys("sam@example.com")
        .await
        .expect("typed");
    w.element(0, "form button[type=submit]")
        .await
        .click()
        .await
        .expect("submitted");
    let parcels = w
        .until(
            "two parcels",
            "return root(0).querySelectorAll('.wp-parcel').length === 2;",
        )
        .await;
    assert_eq!(parcels, json!(true));
    w.screenshot("order-two-parcels").await;
}

async fn wrong_email_shows_the_same_not_found_as_an_unknown_order(w: &World) {
    let mut answers = Vec::new();
    for (order, email) in [("1002", "eve@example.com"), ("9999", "sam@example.com")] {
        w.open(&w.page("/order-miss", "", &[&format!(r#"order-number="{order}""#)]))
            .await;
        w.element(0, "#wp-email")
            .await
            .send_keys(email)
            .await
            .expect("typed");
        w.element(0, "form button[type=submit]")
            .await
            .click()
            .await
            .expect("submitted");
        answers.push(w.text(0, ".wp-state").await);
    }
    assert_eq!(answers[0], answers[1]);
    assert!(
        answers[0].contains("couldn't find an order"),
        "{}",
        answers[0]
    );
}

async fn a_typo_shows_the_hint_without_calling_the_api(w: &World) {
    w.open(&w.page("/form", "", &[""])).await;
    w.element(0, "#wp-number")
        .await
        .send_keys("1Z5R89390357567128")
        .await
        .expect("typed");
    let hint = w.text(0, "#wp-number-hint").await;
    assert!(
        hint.contains("UPS") && hint.contains("one character"),
        "{hint}"
    );
    w.element(0, "form button[type=submit]")
        .await
        .click()
        .await
        .expect("submitted");
    let invalid = w
        .js("return root(0).querySelector('#wp-number').getAttribute('aria-invalid');")
        .await;
    assert_eq!(invalid, json!("true"), "the error is tied to its input");
    let called = w.js("return performance.getEntriesByType('resource').some(e => e.name.includes('/v1/track/'));").await;
    assert_eq!(
        called,
        json!(false),
        "no request for a number that fails its check digit"
    );
}

async fn the_api_going_down_shows_retry_and_recovers(w: &World) {
    let api = format!(
        r#"api="{}" tracking-number="1Z879E930346834440""#,
        w.relay.origin
    );
    w.open(&w.page("/relay", "", &[&api])).await;
    assert_eq!(w.text(0, ".wp-status").await, "Out for delivery");
    w.relay.take_down();
    w.element(0, ".wp-link")
        .await
        .click()
        .await
        .expect("back to the form");
    w.element(0, "#wp-number")
        .await
        .send_keys("1Z879E930346834440")
        .await
        .expect("typed");
    w.element(0, "form button[type=submit]")
        .await
        .click()
        .await
        .expect("submitted");
    let state = w.text(0, ".wp-state").await;
    assert!(state.contains("couldn't reach"), "{state}");
    w.screenshot("network-error").await;
    w.relay.bring_up();
    w.element(0, ".wp-state .wp-button")
        .await
        .click()
        .await
        .expect("retried");
    assert_eq!(w.text(0, ".wp-status").await, "Out for delivery");
}

async fn carrier_text_is_text_never_html(w: &World) {
    let secret = &w.demo.shop.secret_key;
    let payload = "<img src=x onerror=alert(1)>";
    let body = json!({ "events": [{ "time": "2026-11-20T10:00:00-05:00", "status": "in_transit", "description": payload }] });
    let reply = w
        .edge
        .client()
        .post("/v1/shipments/1Z8V92A70367203024/events")
        .bearer(secret)
        .json(&body)
        .send()
        .expect("pushed");
    assert_eq!(reply.status, 200);
    w.open(&w.page("/xss", "", &[r#"tracking-number="1Z8V92A70367203024""#]))
        .await;
    w.until(
        "the timeline",
        "return root(0)?.querySelectorAll('.wp-event').length > 0;",
    )
    .await;
    let shown = w.until("the payload as text", &format!("return [...root(0).querySelectorAll('.wp-event-text')].some(e => e.textContent === {payload:?});")).await;
    assert_eq!(shown, json!(true));
    assert_eq!(
        w.js("return root(0).querySelectorAll('img').length;").await,
        json!(0)
    );
    assert_eq!(w.js("return window.__alerted;").await, json!(false));
}

async fn two_widgets_on_one_page_work_independently(w: &World) {
    let url = w.page(
        "/two",
        "",
        &[
            r#"tracking-number="1Z410E7W0392751591""#,
            r#"tracking-number="1ZXX3150YW44070023" lang="es""#,
        ],
    );
    w.open(&url).await;
    assert_eq!(w.text(0, ".wp-status").await, "Delivered");
    assert_eq!(w.text(1, ".wp-status").await, "Intento de entrega fallido");
    w.element(0, ".wp-link")
        .await
        .click()
        .await
        .expect("first back to its form");
    assert_eq!(
        w.text(1, ".wp-status").await,
        "Intento de entrega fallido",
        "the second is untouched"
    );
    assert!(w.js("return !!root(0).querySelector('#wp-number');").await == json!(true));
    w.screenshot("spanish-and-delivered").await;
}

/// Records every text the widgets' shadow roots ever show, from before the first render.
const TEXT_RECORDER: &str = r#"<script>window.__shown = []; const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const root = attach.call(this, init);
  new MutationObserver(() => window.__shown.push(root.textContent))
    .observe(root, { childList: true, subtree: true, characterData: true });
  return root;
};</script>"#;

async fn a_german_page_never_shows_english_first(w: &World) {
    w.open(&w.page("/german", TEXT_RECORDER, &[r#"lang="de""#]))
        .await;
    assert_eq!(w.text(0, ".wp-title").await, "Bestellung verfolgen");
    let shown = w.js("return window.__shown.join('\\n');").await;
    let shown = shown.as_str().unwrap_or_default();
    assert!(
        shown.contains("Bestellung verfolgen") && !shown.contains("Track your order"),
        "German words from the first render: {shown}"
    );
}

async fn hostile_storefront_css_does_not_break_it(w: &World) {
    let css = "<style>* { all: unset !important; } div { display: none !important; }</style>";
    w.open(&w.page("/hostile", css, &[r#"tracking-number="1234567891""#]))
        .await;
    assert_eq!(w.text(0, ".wp-status").await, "Problem with the shipment");
    let height = w
        .js("return root(0).querySelector('.wp').getBoundingClientRect().height;")
        .await;
    assert!(
        height.as_f64().unwrap_or_default() > 150.0,
        "the widget is laid out: {height}"
    );
}

async fn keyboard_alone_fills_submits_and_expands(w: &World) {
    let secret = &w.demo.shop.secret_key;
    let events: Vec<Value> = (1..=7)
        .map(|day| json!({ "time": format!("2026-11-{:02}T09:00:00+01:00", day + 10), "status": "in_transit", "description": format!("Scan {day}") }))
        .collect();
    let reply = w
        .edge
        .client()
        .post("/v1/shipments/1Z410E7W0392751591X/events")
        .bearer(secret)
        .json(&json!({ "events": events }))
        .send()
        .expect("pushed");
    assert_eq!(reply.status, 200, "{}", reply.text());
    w.open(&w.page("/keyboard", "", &[""])).await;
    w.until("the form", "return !!root(0)?.querySelector('#wp-number');")
        .await;
    w.keys(TAB).await;
    let focused = w.js("return root(0).activeElement?.id;").await;
    assert_eq!(focused, json!("wp-number"), "Tab reaches the input first");
    w.keys("1Z410E7W0392751591X").await;
    w.keys(ENTER).await;
    w.until(
        "the result",
        "return root(0).querySelectorAll('.wp-event').length === 5;",
    )
    .await;
    for _ in 0..20 {
        if w.js("return root(0).activeElement?.classList.contains('wp-expand') ?? false;")
            .await
            == json!(true)
        {
            break;
        }
        w.keys(TAB).await;
    }
    assert_eq!(
        w.js("return root(0).activeElement?.getAttribute('aria-expanded');")
            .await,
        json!("false")
    );
    w.keys(" ").await;
    let all = w
        .until(
            "all events",
            "return root(0).querySelectorAll('.wp-event').length === 7;",
        )
        .await;
    assert_eq!(all, json!(true));
}

async fn screenshots_dark_and_mobile(w: &World) {
    w.open(&w.page(
        "/dark",
        "",
        &[r#"tracking-number="RR123456785CN" theme="dark""#],
    ))
    .await;
    assert_eq!(w.text(0, ".wp-status").await, "In transit");
    w.screenshot("dark-international").await;
    w.browser
        .set_window_size(360, 900)
        .await
        .expect("mobile size");
    w.open(&w.page("/mobile", "", &[r#"tracking-number="1ZXX3150YW44070023""#]))
        .await;
    assert_eq!(w.text(0, ".wp-status").await, "Delivery attempt failed");
    let overflow = w
        .js("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(overflow, json!(true), "no sideways scrolling at 360 px");
    w.screenshot("mobile-360-failed-delivery").await;
    w.browser
        .set_window_size(1200, 1600)
        .await
        .expect("desktop size");
}

/// Runs each named test (filtered by the first argument), a panic counting as a failure.
/// WCAG contrast of every text element in the first widget against its effective background;
/// returns the failures ("class: ratio") and how many elements were checked.
const CONTRAST: &str = "
const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
const failures = [];
let checked = 0;
for (const el of root(0).querySelectorAll('.wp *')) {
  if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
  checked += 1;
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) failures.push(el.className + ': ' + ratio.toFixed(2));
}
return { failures, checked };";

async fn contrast_is_aa_in_both_themes(w: &World) {
    for theme in ["light", "dark"] {
        let attributes = format!(r#"tracking-number="1ZXX3150YW44070023" theme="{theme}""#);
        w.open(&w.page(&format!("/contrast-{theme}"), "", &[&attributes]))
            .await;
        w.text(0, ".wp-status").await;
        let result = w.js(CONTRAST).await;
        assert_eq!(
            result["failures"],
            json!([]),
            "{theme} theme text below 4.5:1"
        );
        assert!(
            result["checked"].as_u64().unwrap_or_default() > 20,
            "{theme}: {result}"
        );
    }
}

/// The emails the catcher caught for `to`, once there are at least `count` (waiting up to 60 s
/// for the queue and its retries).
async fn emails_to(w: &World, to: &str, count: usize) -> Vec<CaughtMessage> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let caught: Vec<CaughtMessage> = w
            .catcher
            .messages()
            .into_iter()
            .filter(|message| message.to.contains(to))
            .collect();
        if caught.len() >= count {
            return caught;
        }
        assert!(
            Instant::now() < deadline,
            "{count} emails to {to}; caught: {:#?}",
            w.catcher.messages()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The links in `text` that lead to the Worker.
fn links_to_edge<'a>(text: &'a str, edge: &'a str) -> impl Iterator<Item = &'a str> {
    text.match_indices(edge).map(|(start, _)| {
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | ')'))
            .map_or(text.len(), |end| start + end);
        &text[start..end]
    })
}

async fn email_updates_opt_in_confirms_then_emails_a_status_change(w: &World) {
    let number = "1Z5R89390357567127";
    let address = "opt-in@example.com";
    w.open(&w.page("/opt-in", "", &[&format!(r#"tracking-number="{number}""#)]))
        .await;
    assert_eq!(w.text(0, ".wp-status").await, "In transit");
    w.element(0, ".wp-optin summary")
        .await
        .click()
        .await
        .expect("opened");
    let label = w
        .js("const input = root(0).querySelector('.wp-optin input'); return [input.type, input.autocomplete, root(0).querySelector(`label[for=${input.id}]`)?.textContent];")
        .await;
    assert_eq!(label, json!(["email", "email", "Your email address"]));
    w.element(0, ".wp-optin input")
        .await
        .send_keys(address)
        .await
        .expect("typed");
    w.keys(ENTER).await;
    let said = w
        .until(
            "the opt-in's answer",
            "return root(0).querySelector('.wp-optin [role=status]')?.textContent;",
        )
        .await;
    assert_eq!(said, json!("Check your inbox to confirm."));
    w.screenshot("opt-in-sent").await;

    // The confirmation email (double opt-in), its link, and the page's confirm button.
    let confirmation = emails_to(w, address, 1).await.remove(0);
    let link = links_to_edge(&confirmation.text, &w.edge.base_url)
        .find(|link| link.contains("confirm"))
        .unwrap_or_else(|| panic!("a confirm link in {:#?}", confirmation.text))
        .to_owned();
    w.open(&link).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let confirm = loop {
        if let Ok(button) = w
            .browser
            .find(fantoccini::Locator::Css("form button, button[type=submit]"))
            .await
        {
            break button;
        }
        assert!(Instant::now() < deadline, "a confirm button at {link}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    confirm.click().await.expect("confirmed");
    tokio::time::sleep(Duration::from_secs(1)).await;

    // A status change for that parcel, pushed by the shop, arrives as an email to the address.
    let at = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:00+00:00")
        .to_string();
    let pushed = w
        .edge
        .client()
        .post(&format!("/v1/shipments/{number}/events"))
        .bearer(&w.demo.shop.secret_key)
        .json(&json!({ "events": [{ "time": at, "status": "out_for_delivery", "description": "Out for delivery", "location": { "city": "Chicago", "country": "US" } }] }))
        .send()
        .expect("pushed");
    assert_eq!(pushed.status, 200, "{}", pushed.text());
    let emails = emails_to(w, address, 2).await;
    let update = &emails[1];
    let words = [update.subject.as_deref().unwrap_or_default(), &update.text]
        .concat()
        .to_lowercase();
    assert!(
        words.contains("out for delivery"),
        "the status change in words: {update:#?}"
    );
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
    let carriers = FakeCarrier::start()?;
    let upstream = FakeSeventeenTrack::start()?;
    let dropshipped = demo::script_dropshipped(&upstream);
    let catcher = Catcher::start()?;
    let mut vars = carriers.worker_vars();
    vars.extend(upstream.worker_vars());
    vars.extend(catcher.worker_vars());
    let edge = EdgeServer::start_for_tests_with(&vars)?;
    let store = Storefront::start()?;
    let relay = Relay::start(edge.base_url.trim_start_matches("http://"))?;
    let demo = demo::seed(
        &Client::new(&edge.base_url),
        &edge.admin_token,
        &[&store.origin],
    )?;
    let live_shop = Client::new(&edge.base_url)
        .post("/v1/admin/shops")
        .bearer(&edge.admin_token)
        .json(&json!({
            "name": "Live carriers shop",
            "allowed_origins": [store.origin],
            "transit_days": { "min_days": 2, "max_days": 6 },
            "live_carriers": ["ups", "fedex", "usps", "dhl"],
        }))
        .send()
        .map_err(|e| format!("live shop: {e}"))?
        .parse();
    let driver = ChromeDriver::start()?;
    let browser = ClientBuilder::rustls()
        .map_err(|e| e.to_string())?
        .capabilities(driver.capabilities())
        .connect(&driver.url)
        .await
        .map_err(|e| format!("browser session: {e}"))?;
    let world = World {
        browser,
        edge,
        carriers,
        upstream,
        dropshipped,
        live_shop,
        store,
        demo,
        relay,
        catcher,
    };
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let mut failed = Vec::new();
    println!(
        "\nrunning widget browser tests (storefront {} → API {})",
        world.store.origin, world.edge.base_url
    );
    run_tests!(
        &world,
        filter,
        failed,
        tracking_number_renders_status_milestone_and_events,
        carrier_scans_show_in_their_own_local_time,
        a_dropshipped_parcel_shows_both_carriers_and_the_hand_over,
        a_carrier_outage_shows_the_last_known_timeline_marked_stale,
        order_and_email_show_both_parcels,
        wrong_email_shows_the_same_not_found_as_an_unknown_order,
        a_typo_shows_the_hint_without_calling_the_api,
        the_api_going_down_shows_retry_and_recovers,
        carrier_text_is_text_never_html,
        two_widgets_on_one_page_work_independently,
        a_german_page_never_shows_english_first,
        hostile_storefront_css_does_not_break_it,
        keyboard_alone_fills_submits_and_expands,
        screenshots_dark_and_mobile,
        contrast_is_aa_in_both_themes,
        email_updates_opt_in_confirms_then_emails_a_status_change,
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
            println!("\nwidget browser tests: all passed");
            ExitCode::SUCCESS
        }
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("could not set up the browser tests: {error}");
            ExitCode::FAILURE
        }
    }
}
