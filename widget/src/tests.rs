//! Component tests in headless Chromium (wasm-bindgen-test): each component mounted into a real
//! DOM and read back, with tracking views taken from the shared crate's wire snapshots.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;

use js_sys::{Function, Reflect};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use waypost_shared::labels::{Lang, UiText};
use waypost_shared::wire::TrackingView;
use waypost_shared::wire::compact::from_json;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use crate::api::Failure;
use crate::app::{App, Query};
use crate::config::Config;
use crate::form::Form;
use crate::result::ParcelResult;
use crate::states::{FailureView, Loading};
use crate::{Tracker, language, words};

wasm_bindgen_test_configure!(run_in_browser);

const INTERNATIONAL: &str =
    include_str!("../../shared/tests/snapshots/wire_snapshots__tracking_view_en.snap");
const FAILED_DELIVERY: &str =
    include_str!("../../shared/tests/snapshots/wire_snapshots__failed_delivery_view.snap");

/// A wire snapshot's JSON (the part after the insta header).
fn snapshot_body(text: &str) -> &str {
    text.splitn(3, "---\n").nth(2).expect("a snapshot body")
}

/// A tracking view from a wire snapshot.
fn snapshot(text: &str) -> TrackingView {
    from_json(snapshot_body(text)).expect("a tracking view")
}

/// The settings for a page in `lang`, with that language's words loaded as the loader does.
fn config(lang: &str) -> Config {
    let config = Config::new(
        "pk_test".into(),
        lang,
        String::new(),
        String::new(),
        "http://127.0.0.1:9".into(),
    );
    words::load(config.lang, &config.lang.widget_words_json());
    config
}

/// A fresh element in the page to mount into.
fn container() -> HtmlElement {
    let document = document();
    let element: HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&element)
        .expect("appended");
    element
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.text_content())
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    texts(root, selector).into_iter().next().unwrap_or_default()
}

#[wasm_bindgen_test]
fn parcel_shows_status_health_eta_and_current_milestone() {
    let root = container();
    let view = snapshot(INTERNATIONAL);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("en") view=Arc::new(view.clone()) /> },
    );
    assert_eq!(text(&root, ".wp-status"), "Out for delivery");
    assert_eq!(text(&root, ".wp-badge"), "On track");
    assert!(text(&root, ".wp-eta").contains("Nov 20 – Nov 21"));
    assert_eq!(
        text(&root, "[aria-current=step] .wp-step-label"),
        "Out for delivery"
    );
    assert_eq!(texts(&root, ".wp-step-done").len(), 3);
}

#[wasm_bindgen_test]
fn the_carrier_link_has_an_accessible_name() {
    let root = container();
    let view = snapshot(FAILED_DELIVERY);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("en") view=Arc::new(view.clone()) /> },
    );
    let link = root
        .query_selector(".wp-carrier-link")
        .unwrap()
        .expect("a link to UPS");
    assert_eq!(
        link.get_attribute("aria-label").as_deref(),
        Some("Track it on the UPS website")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
}

#[wasm_bindgen_test]
async fn timeline_is_newest_first_grouped_by_local_day_and_collapsible() {
    let root = container();
    let mut view = snapshot(INTERNATIONAL);
    let mut extra = view.events[4].clone();
    extra.description = "Older scan".into();
    view.events.push(extra);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("en") view=Arc::new(view.clone()) /> },
    );
    assert_eq!(
        texts(&root, ".wp-day-title"),
        [
            "Fri, Nov 20",
            "Sun, Nov 15",
            "Sat, Nov 14",
            "Wed, Nov 11",
            "Tue, Nov 10"
        ]
    );
    let times = texts(&root, ".wp-time");
    assert_eq!(
        times.first().map(String::as_str),
        Some("Nov 20, 8:02 AM, UTC\u{2212}6")
    );
    assert_eq!(times.len(), 5, "collapsed to five events");
    let button: HtmlElement = root
        .query_selector(".wp-expand")
        .unwrap()
        .expect("a show-all button")
        .unchecked_into();
    assert_eq!(
        button.text_content().unwrap_or_default(),
        "Show all 6 updates"
    );
    button.click();
    leptos::task::tick().await;
    assert_eq!(texts(&root, ".wp-time").len(), 6);
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
}

/// A parcel from China handed over to USPS for the last mile, as the API writes it: each event
/// names the carrier that reported it (the oldest names none), the hand-over event is the origin
/// carrier's, and `last_mile` links to USPS's page for its own number.
const HANDED_OVER: &str = r#"{
  "tracking_number": "YT2412345678901234",
  "carrier": {"code": "yunexpress", "name": "YunExpress",
    "tracking_url": "https://www.yuntrack.com/parcelTracking?id=YT2412345678901234"},
  "last_mile": {"code": "usps", "name": "USPS",
    "tracking_url": "https://tools.usps.com/go/TrackConfirmAction?tLabels=9261290100130736401234"},
  "status": "in_transit", "sub_status": null, "status_label": "In transit",
  "sub_status_label": null, "health": "on_track", "health_label": "On track",
  "milestones": [], "actions": [], "eta": null,
  "events": [
    {"time": {"local": "2026-11-21T09:15:00", "offset": "-05:00", "zone": null, "utc": null},
     "time_label": "Nov 21, 9:15 AM, UTC\u22125", "status": "in_transit",
     "sub_status": "arrived_facility", "label": "Arrived at a facility",
     "description": "Arrived at USPS Regional Facility",
     "location": {"city": "Chicago", "region": "IL", "country": "US"},
     "carrier_code": null, "carrier": "usps"},
    {"time": {"local": "2026-11-20T18:00:00", "offset": "+08:00", "zone": null, "utc": null},
     "time_label": "Nov 20, 6:00 PM, UTC+8", "status": "in_transit", "sub_status": "forwarded",
     "label": "In transit", "description": "Handed over to <b>USPS</b> (9261290100130736401234)",
     "location": null, "carrier_code": null, "carrier": "yunexpress"},
    {"time": {"local": "2026-11-18T10:00:00", "offset": "+08:00", "zone": null, "utc": null},
     "time_label": "Nov 18, 10:00 AM, UTC+8", "status": "in_transit",
     "sub_status": "departed_facility", "label": "Left a facility", "description": "Departed",
     "location": {"city": "Shenzhen", "region": null, "country": "CN"},
     "carrier_code": null, "carrier": "yunexpress"},
    {"time": {"local": "2026-11-17T08:00:00", "offset": "+08:00", "zone": null, "utc": null},
     "time_label": "Nov 17, 8:00 AM, UTC+8", "status": "info_received", "sub_status": null,
     "label": "Label created", "description": "Shipment information received",
     "location": null, "carrier_code": null}
  ],
  "order_reference": null, "destination": null, "stale": false, "age_seconds": null, "lang": "en"
}"#;

#[wasm_bindgen_test]
fn a_handed_over_parcel_names_each_events_carrier_and_links_both_carriers() {
    let root = container();
    let view: TrackingView = from_json(HANDED_OVER).expect("a tracking view");
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("en") view=Arc::new(view.clone()) /> },
    );
    assert_eq!(texts(&root, ".wp-event").len(), 4);
    assert_eq!(
        texts(&root, ".wp-event .wp-event-carrier"),
        ["USPS", "YunExpress", "YunExpress"],
        "every event but the one that names no carrier"
    );
    assert_eq!(
        text(&root, ".wp-event-text"),
        "Arrived at USPS Regional Facility"
    );
    assert_eq!(
        root.query_selector(".wp-time")
            .unwrap()
            .and_then(|time| time.get_attribute("datetime"))
            .as_deref(),
        Some("2026-11-21T09:15:00"),
        "the event's own local time, machine-readable"
    );
    assert_eq!(
        text(&root, ".wp-carrier"),
        "YunExpress: YT2412345678901234 ↗ ·\u{a0}USPS ↗"
    );
    let links = root.query_selector_all(".wp-carrier a").unwrap();
    let links: Vec<Element> = (0..links.length())
        .filter_map(|i| links.item(i))
        .map(|node| node.unchecked_into())
        .collect();
    let described: Vec<_> = links
        .iter()
        .map(|a| {
            (
                a.get_attribute("href").unwrap_or_default(),
                a.get_attribute("aria-label").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            (
                "https://www.yuntrack.com/parcelTracking?id=YT2412345678901234".to_owned(),
                "Track it on the YunExpress website".to_owned()
            ),
            (
                "https://tools.usps.com/go/TrackConfirmAction?tLabels=9261290100130736401234"
                    .to_owned(),
                "Track it on the USPS website".to_owned()
            ),
        ]
    );
    for link in &links {
        assert_eq!(
            link.get_attribute("rel").as_deref(),
            Some("noopener noreferrer")
        );
        assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
        assert_eq!(link.class_name(), "wp-carrier-link");
    }
}

#[wasm_bindgen_test]
fn carrier_names_and_hand_over_words_stay_text() {
    let root = container();
    let mut view: TrackingView = from_json(HANDED_OVER).expect("a tracking view");
    let last_mile = view.last_mile.as_mut().expect("a last-mile carrier");
    last_mile.name = "US<b>PS</b>".into();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("fr") view=Arc::new(view.clone()) /> },
    );
    assert_eq!(
        texts(&root, ".wp-event-text")[1],
        "Handed over to <b>USPS</b> (9261290100130736401234)"
    );
    assert!(
        text(&root, ".wp-carrier").ends_with(" ·\u{a0}US<b>PS</b> ↗"),
        "{}",
        text(&root, ".wp-carrier")
    );
    assert!(root.query_selector(".wp-event b").unwrap().is_none());
    assert!(root.query_selector(".wp-carrier b").unwrap().is_none());
    let labels = root.query_selector_all(".wp-carrier-link").unwrap();
    assert_eq!(
        labels
            .item(1)
            .and_then(|a| a.unchecked_into::<Element>().get_attribute("aria-label"))
            .as_deref(),
        Some("Suivre le colis sur le site de US<b>PS</b>"),
        "the link's name in the page's language, the carrier's name as text"
    );
}

#[wasm_bindgen_test]
fn failed_delivery_shows_the_customer_action_and_a_warning() {
    let root = container();
    let view = snapshot(FAILED_DELIVERY);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("en") view=Arc::new(view.clone()) /> },
    );
    assert_eq!(text(&root, ".wp-action li"), "Confirm the delivery address");
    assert_eq!(
        texts(&root, ".wp-action li").len(),
        1,
        "the retailer's action is not the customer's"
    );
    assert!(
        root.query_selector(".wp-step-current.wp-step-warning")
            .unwrap()
            .is_some()
    );
    assert_eq!(
        text(&root, ".wp-event-text"),
        "Delivery attempted: address <b>not found</b>",
        "carrier text stays text"
    );
    assert!(root.query_selector(".wp-event-text b").unwrap().is_none());
}

#[wasm_bindgen_test]
fn language_switches_the_widgets_words() {
    let root = container();
    let view = snapshot(INTERNATIONAL);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ParcelResult config=config("de-AT,en") view=Arc::new(view.clone()) /> },
    );
    assert_eq!(text(&root, ".wp-history-title"), "Sendungsverlauf");
    assert_eq!(texts(&root, ".wp-day-title")[0], "Fr., 20. Nov.");
    let fallback = config("pt-BR");
    assert_eq!(
        fallback.lang.code(),
        "en",
        "unknown languages fall back to English"
    );
}

#[wasm_bindgen_test]
fn a_page_in_another_language_speaks_it_from_the_first_render() {
    let languages = "fr-CA,en";
    assert_eq!(
        language(languages),
        "fr",
        "the language whose words the loader fetches"
    );
    let root = container();
    let _tracker = Tracker::new(
        root.clone(),
        "pk_test".into(),
        languages.into(),
        Lang::Fr.widget_words_json(),
        String::new(),
        String::new(),
        "http://127.0.0.1:9".into(),
    );
    // Read at once, before any task or timer runs: the first render is already French.
    assert_eq!(text(&root, ".wp-title"), Lang::Fr.ui(UiText::FormTitle));
    assert_eq!(
        text(&root, "label[for=wp-number]"),
        Lang::Fr.ui(UiText::TrackingNumber)
    );
    assert!(!root.inner_text().contains(Lang::En.ui(UiText::FormTitle)));
    assert_eq!(language("pt-BR,ja"), "en", "English needs no words fetched");
}

#[wasm_bindgen_test]
fn every_failure_state_says_what_to_do() {
    let number = Query::Number("1Z5R89390357567127".into());
    let order = Query::Order {
        order: "1".into(),
        email: "a@b.c".into(),
    };
    let cases = [
        (
            Failure::NotFound,
            number.clone(),
            "We can't find this parcel yet",
            Some("Track it on the UPS website"),
            false,
        ),
        (
            Failure::NotFound,
            order,
            "We can't find this parcel yet",
            None,
            false,
        ),
        (
            Failure::Unreachable,
            number.clone(),
            "We couldn't reach the tracking service.",
            None,
            true,
        ),
        (
            Failure::RateLimited,
            number.clone(),
            "Too many searches. Please wait a moment and try again.",
            None,
            true,
        ),
        (
            Failure::Refused,
            number,
            "We can't find this parcel yet",
            None,
            false,
        ),
    ];
    for (failure, query, title, link, retry) in cases {
        let root = container();
        let _mounted = mount_to(root.clone(), move || {
            view! { <FailureView config=config("en") failure=failure query=query.clone() on_retry=Callback::new(|()| ()) on_back=Callback::new(|()| ()) /> }
        });
        assert_eq!(text(&root, ".wp-title"), title);
        assert_eq!(
            root.query_selector(".wp-carrier-link")
                .unwrap()
                .and_then(|a| a.text_content())
                .as_deref(),
            link
        );
        assert_eq!(
            root.query_selector(".wp-button").unwrap().is_some(),
            retry,
            "{title}"
        );
        assert!(root.query_selector("[role=alert]").unwrap().is_some());
    }
}

#[wasm_bindgen_test]
fn loading_is_a_skeleton_announced_to_screen_readers() {
    let root = container();
    let _mounted = mount_to(root.clone(), || view! { <Loading config=config("es") /> });
    assert!(root.query_selector("[aria-busy=true]").unwrap().is_some());
    assert_eq!(text(&root, ".wp-sr"), "Cargando los datos de seguimiento…");
}

#[wasm_bindgen_test]
async fn form_hints_the_carrier_and_blocks_a_typo() {
    let root = container();
    let searched = RwSignal::new(None::<Query>);
    let _mounted = mount_to(root.clone(), move || {
        view! { <Form config=config("en") on_search=Callback::new(move |q| searched.set(Some(q))) /> }
    });
    let input: HtmlInputElement = root
        .query_selector("#wp-number")
        .unwrap()
        .expect("input")
        .unchecked_into();
    let label = root.query_selector("label[for=wp-number]").unwrap();
    assert!(label.is_some(), "the input is labelled");
    let type_in = |value: &str| {
        input.set_value(value);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    };
    type_in("1Z5R8939 0357 567127");
    leptos::task::tick().await;
    assert_eq!(text(&root, "#wp-number-hint"), "Looks like a UPS number");
    type_in("287809468872");
    leptos::task::tick().await;
    assert_eq!(
        text(&root, "#wp-number-hint"),
        "Looks like a FedEx / Purolator number",
        "the alternative is offered"
    );
    type_in("1Z5R89390357567128");
    leptos::task::tick().await;
    assert!(text(&root, "#wp-number-hint").contains("one character seems off"));
    let submit: HtmlElement = root
        .query_selector("button[type=submit]")
        .unwrap()
        .expect("submit")
        .unchecked_into();
    submit.click();
    leptos::task::tick().await;
    assert_eq!(searched.get_untracked(), None, "a typo is never sent");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    type_in("1Z5R89390357567127");
    leptos::task::tick().await;
    submit.click();
    assert_eq!(
        searched.get_untracked(),
        Some(Query::Number("1Z5R89390357567127".into()))
    );
}

/// Stands in for the browser around a mounted `App`: API requests wait until the test answers
/// them (in any order), and the refresh timer fires only when the test says so.
struct FakeBrowser(JsValue);

/// Installs the fake `fetch` (for the test API origin only) and catches the `setInterval` calls
/// made while mounting.
const FAKE_BROWSER: &str = r#"
const pending = [];
const [fetch, setInterval] = [globalThis.fetch, globalThis.setInterval];
const ticks = [];
globalThis.fetch = (request, init) => {
    const url = typeof request === "string" ? request : request.url;
    return url.startsWith("http://127.0.0.1:9/")
        ? new Promise((resolve) => pending.push([url, resolve, init]))
        : fetch(request, init);
};
globalThis.setInterval = (callback) => (ticks.push(callback), 0);
return {
    waiting: () => pending.length,
    answer(part, body, status) {
        const at = pending.findIndex(([url]) => url.includes(part));
        if (at < 0) throw new Error(`no request for ${part}`);
        const headers = { ETag: `"${body.length}"` };
        pending.splice(at, 1)[0][1](new Response(body, { status: status ?? 200, headers }));
    },
    sent(part) {
        const found = pending.find(([url]) => url.includes(part));
        if (!found) return null;
        const [url, , init] = found;
        return [url, init?.method, init?.headers?.get("Content-Type"), init?.body].join("\n");
    },
    mounted() { globalThis.setInterval = setInterval; },
    tick() { ticks.forEach((tick) => tick()); },
    restore() { globalThis.fetch = fetch; globalThis.setInterval = setInterval; },
};
"#;

impl FakeBrowser {
    /// Mounts the whole widget (no tracking number given) into `root` behind the fakes.
    fn mount(root: &HtmlElement) -> (Self, Box<dyn std::any::Any>) {
        let fake = FakeBrowser(
            Function::new_no_args(FAKE_BROWSER)
                .call0(&JsValue::NULL)
                .expect("fakes installed"),
        );
        let mounted = mount_to(root.clone(), || view! { <App config=config("en") /> });
        fake.call("mounted", &[]);
        (fake, Box::new(mounted))
    }

    fn call(&self, method: &str, args: &[JsValue]) -> JsValue {
        let function: Function = Reflect::get(&self.0, &method.into())
            .expect("a method")
            .unchecked_into();
        let args: js_sys::Array = args.iter().collect();
        function.apply(&self.0, &args).expect(method)
    }

    /// How many API requests are waiting for an answer.
    fn waiting(&self) -> u32 {
        self.call("waiting", &[]).as_f64().unwrap_or_default() as u32
    }

    /// Answers the oldest waiting request whose URL contains `part` with a 200 and a snapshot.
    fn answer(&self, part: &str, snapshot: &str) {
        self.call("answer", &[part.into(), snapshot_body(snapshot).into()]);
    }

    /// Answers the oldest waiting request whose URL contains `part` with `status` and `body`.
    fn answer_with(&self, part: &str, status: u16, body: &str) {
        self.call("answer", &[part.into(), body.into(), status.into()]);
    }

    /// The waiting request whose URL contains `part`: its URL, method, `Content-Type` and body,
    /// one a line.
    fn sent(&self, part: &str) -> Option<String> {
        self.call("sent", &[part.into()]).as_string()
    }

    /// Fires the refresh timer, as if three minutes had passed.
    fn refresh(&self) {
        self.call("tick", &[]);
    }
}

impl Drop for FakeBrowser {
    fn drop(&mut self) {
        self.call("restore", &[]);
    }
}

/// Waits `ms` milliseconds of real time, so fetches, body reads and renders can finish.
async fn sleep(ms: u64) {
    let state = Rc::new(RefCell::new((false, None::<Waker>)));
    let fired = Rc::clone(&state);
    set_timeout(
        move || {
            let mut fired = fired.borrow_mut();
            fired.0 = true;
            if let Some(waker) = fired.1.take() {
                waker.wake();
            }
        },
        Duration::from_millis(ms),
    );
    std::future::poll_fn(|cx| {
        let mut state = state.borrow_mut();
        if state.0 {
            Poll::Ready(())
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await;
}

/// Waits (up to two seconds) until `done` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting until {what}");
}

/// Types `number` into the form and submits it.
fn search(root: &Element, number: &str) {
    let input: HtmlInputElement = root
        .query_selector("#wp-number")
        .unwrap()
        .expect("the form")
        .unchecked_into();
    input.set_value(number);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let submit: HtmlElement = root
        .query_selector("button[type=submit]")
        .unwrap()
        .expect("submit")
        .unchecked_into();
    submit.click();
}

const UPS: &str = "1Z5R89390357567127";
const FEDEX: &str = "287809468872";

#[wasm_bindgen_test]
async fn two_queries_answered_in_reverse_order_show_the_second() {
    let root = container();
    let (api, _mounted) = FakeBrowser::mount(&root);
    // The second search is sent before the first one's loading screen replaces the form.
    search(&root, UPS);
    search(&root, FEDEX);
    until("both requests are sent", || api.waiting() == 2).await;
    api.answer(FEDEX, FAILED_DELIVERY);
    until("the second answer is shown", || {
        text(&root, ".wp-status") == "Delivery attempt failed"
    })
    .await;
    api.answer(UPS, INTERNATIONAL);
    sleep(100).await;
    assert_eq!(
        text(&root, ".wp-status"),
        "Delivery attempt failed",
        "the first query's late answer is dropped"
    );
}

#[wasm_bindgen_test]
async fn a_refresh_answer_does_not_pull_the_customer_off_the_form() {
    let root = container();
    let (api, _mounted) = FakeBrowser::mount(&root);
    search(&root, UPS);
    until("the request is sent", || api.waiting() == 1).await;
    api.answer(UPS, INTERNATIONAL);
    until("the parcel is shown", || {
        text(&root, ".wp-status") == "Out for delivery"
    })
    .await;
    api.refresh();
    until("the refresh is sent", || api.waiting() == 1).await;
    let new_search: HtmlElement = root
        .query_selector(".wp-link:not(.wp-expand)")
        .unwrap()
        .expect("a new-search button")
        .unchecked_into();
    new_search.click();
    until("the form is open", || {
        root.query_selector("#wp-number").unwrap().is_some()
    })
    .await;
    api.answer(UPS, FAILED_DELIVERY);
    sleep(100).await;
    assert!(
        root.query_selector("#wp-number").unwrap().is_some(),
        "the form stays open"
    );
    assert_eq!(text(&root, ".wp-status"), "", "no parcel replaces the form");
}

#[wasm_bindgen_test]
async fn email_updates_opt_in_posts_the_address_and_says_each_answer() {
    let root = container();
    let (api, _mounted) = FakeBrowser::mount(&root);
    search(&root, UPS);
    until("the request is sent", || api.waiting() == 1).await;
    api.answer(UPS, INTERNATIONAL);
    until("the parcel is shown", || {
        text(&root, ".wp-status") == "Out for delivery"
    })
    .await;
    // Below the parcel: a disclosure whose form has a labelled email field and a live region.
    assert_eq!(texts(&root, ".wp-optin").len(), 1);
    assert_eq!(text(&root, ".wp-optin summary"), "Email me updates");
    let input: HtmlInputElement = root
        .query_selector(".wp-optin input")
        .unwrap()
        .expect("an email field")
        .unchecked_into();
    assert_eq!(
        text(&root, &format!(".wp-optin label[for={}]", input.id())),
        "Your email address"
    );
    assert_eq!(input.type_(), "email");
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("email")
    );
    assert!(input.required());
    assert!(
        root.query_selector(".wp-optin form [role=status]")
            .unwrap()
            .is_some()
    );
    let submit: HtmlElement = root
        .query_selector(".wp-optin button")
        .unwrap()
        .expect("a submit button")
        .unchecked_into();
    assert_eq!(submit.text_content().as_deref(), Some("Subscribe"));
    let said = || text(&root, ".wp-optin [role=status]");
    for (status, words) in [
        (400, "That email address does not look right."),
        (429, "That didn't work. Please try again later."),
        (202, "Check your inbox to confirm."),
    ] {
        input.set_value(" sam@example.com ");
        submit.click();
        until("the opt-in is posted", || {
            api.sent("/subscriptions").is_some()
        })
        .await;
        assert_eq!(
            api.sent("/subscriptions").as_deref(),
            Some(
                "http://127.0.0.1:9/v1/track/RR123456785CN/subscriptions?key=pk_test&lang=en\n\
                 POST\napplication/json\n{\"email\":\"sam@example.com\"}"
            )
        );
        api.answer_with("/subscriptions", status, "{}");
        until(words, || said() == words).await;
    }
    assert_eq!(
        text(&root, ".wp-status"),
        "Out for delivery",
        "the parcel stays shown"
    );
    // A refresh with news rebuilds the parcel; the opt-in and what it said stay as they were.
    api.refresh();
    until("the refresh is sent", || api.waiting() == 1).await;
    api.answer(UPS, FAILED_DELIVERY);
    until("the news is shown", || {
        text(&root, ".wp-status") == "Delivery attempt failed"
    })
    .await;
    assert_eq!(
        texts(&root, ".wp-parcel").len(),
        1,
        "the old parcel is gone"
    );
    assert_eq!(said(), "Check your inbox to confirm.");
    assert_eq!(input.value(), "sam@example.com");
}

#[wasm_bindgen_test]
fn the_opt_in_speaks_the_page_language_with_markup_safe_words() {
    for lang in Lang::ALL {
        config(lang.code());
        let root = container();
        let _mounted = mount_to(root.clone(), move || crate::subscribe::opt_in(lang));
        assert_eq!(
            text(&root, ".wp-optin summary"),
            lang.ui(UiText::EmailUpdates)
        );
        assert_eq!(text(&root, ".wp-optin label"), lang.ui(UiText::YourEmail));
        assert_eq!(text(&root, ".wp-optin button"), lang.ui(UiText::Subscribe));
    }
}
