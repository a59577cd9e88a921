//! `cargo xtask bench notify` (and part of `cargo xtask bench`): notifications through the queue,
//! end to end, on one local Worker (`wrangler dev`, local D1 and Queues) pointed at the local
//! catcher ([`Catcher`]) that speaks Postmark's and a webhook receiver's HTTP APIs.
//!
//! 1. **Messages per second**: one shop with a webhook endpoint at the catcher and [`ORDERS`]
//!    orders, each with its own customer email; then [`ORDERS`] shipments are registered, each for
//!    its order, by [`WRITERS`] client threads. Each registration causes one "shipped" notice: an
//!    email and a webhook. Timed from the first request to the last of the 2 × [`ORDERS`] messages
//!    caught; the latency of each message is from the start of its shipment's write to the
//!    catcher's `at`.
//! 2. **Exactly once**: another shop (customer emails and a webhook endpoint), [`SHIPMENTS`]
//!    shipments registered for their orders, then [`EVENTS_PER_SHIPMENT`] events each (in transit,
//!    out for delivery, delivered) pushed in batches, some repeated, some in reverse order, older
//!    batches arriving after newer ones. When the queue is quiet, every (shipment, trigger) must
//!    have been told exactly once per channel: counted from the catcher and from `GET
//!    /v1/notifications` (every page). A notice sent twice or missing fails the run.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use waypost_shared::wire::{NotificationList, ShopCreated};
use waypost_tests::catcher::{CaughtMessage, Channel};
use waypost_tests::server::free_port;
use waypost_tests::{Catcher, Client, EdgeServer, Mode};

/// Orders (and shipments) of the throughput part.
const ORDERS: usize = 100;
/// Client threads registering the shipments.
const WRITERS: usize = 4;
/// Shipments of the exactly-once part.
const SHIPMENTS: usize = 100;
/// Distinct events pushed per shipment in the exactly-once part.
const EVENTS_PER_SHIPMENT: usize = 10;
/// The triggers each shipment of the exactly-once part must send, once on each channel.
const EXPECTED: [&str; 3] = ["shipped", "out_for_delivery", "delivered"];
/// How long the queue may take to deliver everything of a part.
const PATIENCE: Duration = Duration::from_secs(90);
/// Times a write is sent again after the Worker restarted mid-request.
const RETRIES: usize = 3;
/// Writes sent again, over the whole run.
static RESTARTS: AtomicUsize = AtomicUsize::new(0);
/// How long nothing new must arrive before a part counts as quiet.
const QUIET: Duration = Duration::from_secs(4);

/// Runs both parts and prints their figures; fails when a notice was sent twice or never.
pub fn bench_notify() -> Result<(), String> {
    let started = Instant::now();
    let catcher = Catcher::start()?;
    let state = std::env::temp_dir().join(format!("waypost-bench-notify-{}", std::process::id()));
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &catcher.worker_vars())?;
    let with_log = |error: String| {
        // The log is written a moment after the answer.
        std::thread::sleep(Duration::from_secs(1));
        format!("{error}\nthe Worker's log ends:\n{}", server.log_tail())
    };
    let reloaded = |error: String| match reloads(&server) {
        0 => error,
        n => format!(
            "{error}\n(wrangler dev reloaded the Worker {n} time(s) during the run, because edge/build or widget/dist changed: a reload loses what the local queue held; run again while nothing builds)"
        ),
    };
    throughput(&server, &catcher)
        .map_err(reloaded)
        .map_err(with_log)?;
    exactly_once(&server, &catcher)
        .map_err(reloaded)
        .map_err(with_log)?;
    println!(
        "  (notifications bench: {:.1} s in all, Worker start included; Worker reloads during the run: {}; writes sent again after a restart mid-request: {})",
        started.elapsed().as_secs_f64(),
        reloads(&server),
        RESTARTS.load(Ordering::Relaxed)
    );
    Ok(())
}

/// Part 1: shipped notices per second through the queue, and their latency.
fn throughput(server: &EdgeServer, catcher: &Catcher) -> Result<(), String> {
    let client = server.client();
    let shop = shop_with_hook(server, catcher, "throughput")?;
    let orders: Vec<(String, String)> = (0..ORDERS)
        .map(|k| {
            (
                format!("T{k:05}"),
                ups_number("WPBNCH", 1_000_000 + k as u32),
            )
        })
        .collect();
    for (order, _) in &orders {
        put_order(
            &client,
            &shop,
            order,
            &format!("t{order}@bench.example.com"),
        )?;
    }
    // Warm the path (isolate, queue consumer) with one shipment that is not counted.
    let warm = ups_number("WPBNCH", 1_999_999);
    put_order(&client, &shop, "WARM", "warm@bench.example.com")?;
    register(&client, &shop, &warm, "WARM")?;
    catcher.wait_for(2, Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(500));
    catcher.clear();

    let writes = Mutex::new(BTreeMap::<String, DateTime<Utc>>::new());
    let failures = Mutex::new(Vec::<String>::new());
    let first = Instant::now();
    let first_at = Utc::now();
    std::thread::scope(|scope| {
        for chunk in orders.chunks(ORDERS.div_ceil(WRITERS)) {
            let (client, shop, writes, failures) = (client.clone(), &shop, &writes, &failures);
            scope.spawn(move || {
                for (order, number) in chunk {
                    let at = Utc::now();
                    match register(&client, shop, number, order) {
                        Ok(()) => {
                            writes
                                .lock()
                                .expect("not poisoned")
                                .insert(number.clone(), at);
                        }
                        Err(error) => failures.lock().expect("not poisoned").push(error),
                    }
                }
            });
        }
    });
    let written = first.elapsed();
    let failures = failures.into_inner().expect("not poisoned");
    if let Some(error) = failures.first() {
        return Err(format!(
            "registering shipments: {} failed, e.g. {error}",
            failures.len()
        ));
    }
    let writes = writes.into_inner().expect("not poisoned");
    let expected = 2 * ORDERS;
    let caught = catcher.wait_for(expected, PATIENCE);
    let all_in = first.elapsed();
    if caught.len() < expected {
        return Err(format!(
            "only {} of {expected} messages caught in {} s",
            caught.len(),
            PATIENCE.as_secs()
        ));
    }
    let last_at = caught.iter().map(|m| m.at).max().unwrap_or(first_at);
    let span = (last_at - first_at)
        .to_std()
        .unwrap_or(all_in)
        .max(Duration::from_millis(1));
    let mut latencies: Vec<Duration> = Vec::new();
    let (mut emails, mut hooks) = (0, 0);
    for message in &caught {
        let Some(number) = number_of(message) else {
            continue;
        };
        if let Some(write) = writes.get(&number) {
            latencies.push((message.at - *write).to_std().unwrap_or_default());
        }
        match message.channel {
            Channel::Email => emails += 1,
            Channel::Webhook => hooks += 1,
            Channel::Sms => {}
        }
    }
    latencies.sort();
    let at = |share: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * share).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "\n==> notifications through the queue, end to end: {ORDERS} shipments registered for orders with an email ({WRITERS} client threads), one shop with a webhook endpoint; each a \"shipped\" notice = 1 email + 1 webhook"
    );
    println!(
        "  {expected} messages caught ({emails} emails, {hooks} webhooks) in {:.2} s from the first request: {:.1} messages/s (writes took {:.2} s)",
        span.as_secs_f64(),
        expected as f64 / span.as_secs_f64(),
        written.as_secs_f64()
    );
    println!(
        "  write to caught: p50 {:.0} ms  p95 {:.0} ms  max {:.0} ms  ({} messages timed)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        latencies.len()
    );
    Ok(())
}

/// Part 2: 1,000 events for 100 shipments, pushed with repeats and out of order; each notice once.
fn exactly_once(server: &EdgeServer, catcher: &Catcher) -> Result<(), String> {
    let client = server.client();
    let shop = shop_with_hook(server, catcher, "once")?;
    let hook = "/hooks/once";
    let numbers: Vec<String> = (0..SHIPMENTS)
        .map(|k| ups_number("WPONCE", 2_000_000 + k as u32))
        .collect();
    let email_of = |k: usize| format!("once{k:04}@bench.example.com");
    for k in 0..SHIPMENTS {
        put_order(&client, &shop, &format!("O{k:05}"), &email_of(k))?;
    }
    catcher.clear();
    let started = Instant::now();
    let pushed = Mutex::new((0usize, 0usize));
    let failures = Mutex::new(Vec::<String>::new());
    std::thread::scope(|scope| {
        let per_thread = SHIPMENTS.div_ceil(WRITERS);
        for (t, chunk) in numbers.chunks(per_thread).enumerate() {
            let (client, shop, pushed, failures) = (client.clone(), &shop, &pushed, &failures);
            scope.spawn(move || {
                for (i, number) in chunk.iter().enumerate() {
                    let k = t * per_thread + i;
                    match push_shipment(&client, shop, number, &format!("O{k:05}"), k) {
                        Ok((batches, events)) => {
                            let mut total = pushed.lock().expect("not poisoned");
                            total.0 += batches;
                            total.1 += events;
                        }
                        Err(error) => failures
                            .lock()
                            .expect("not poisoned")
                            .push(format!("{number}: {error}")),
                    }
                }
            });
        }
    });
    let pushing = started.elapsed();
    let failures = failures.into_inner().expect("not poisoned");
    if let Some(error) = failures.first() {
        return Err(format!(
            "pushing events: {} failed, e.g. {error}",
            failures.len()
        ));
    }
    let (batches, events_sent) = pushed.into_inner().expect("not poisoned");

    // Quiet: every expected message caught, nothing pending, and nothing new for a while.
    let expected = 2 * EXPECTED.len() * SHIPMENTS;
    let deadline = Instant::now() + PATIENCE;
    let (mut seen, mut since) = (usize::MAX, Instant::now());
    let listed = loop {
        let count = catcher.messages().len();
        if count != seen {
            (seen, since) = (count, Instant::now());
        }
        if (count >= expected && since.elapsed() >= QUIET) || Instant::now() > deadline {
            let listed = list_all(&client, &shop)?;
            let pending = listed.iter().filter(|n| n["state"] == "pending").count();
            if pending == 0 || Instant::now() > deadline {
                break listed;
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    let settled = started.elapsed();
    let messages = catcher.messages();

    // Per (shipment, trigger): emails (by address and tag) and webhooks (by body).
    let index: BTreeMap<String, usize> = (0..SHIPMENTS).map(|k| (email_of(k), k)).collect();
    let mut emails: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut hooks: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut strays = 0;
    for message in &messages {
        match message.channel {
            Channel::Email => match (index.get(&message.to), &message.tag) {
                (Some(k), Some(tag)) => *emails.entry((*k, tag.clone())).or_default() += 1,
                _ => strays += 1,
            },
            Channel::Webhook if message.to == hook => {
                let body: Value = serde_json::from_str(&message.text).unwrap_or(Value::Null);
                match (
                    body["data"]["tracking"]["tracking_number"].as_str(),
                    body["data"]["trigger"].as_str(),
                ) {
                    (Some(number), Some(trigger)) => {
                        *hooks
                            .entry((number.to_owned(), trigger.to_owned()))
                            .or_default() += 1;
                    }
                    _ => strays += 1,
                }
            }
            _ => strays += 1,
        }
    }
    let mut rows: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for row in &listed {
        let field = |name: &str| row[name].as_str().unwrap_or("-").to_owned();
        *rows
            .entry((field("tracking_number"), field("trigger"), field("channel")))
            .or_default() += 1;
    }

    let mut problems: Vec<String> = Vec::new();
    let mut triggers: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for ((_, trigger), count) in &emails {
        triggers.entry(trigger.clone()).or_default()[0] += count;
    }
    for ((_, trigger), count) in &hooks {
        triggers.entry(trigger.clone()).or_default()[1] += count;
    }
    for ((_, trigger, _), count) in &rows {
        triggers.entry(trigger.clone()).or_default()[2] += count;
    }
    for (k, number) in numbers.iter().enumerate() {
        for trigger in EXPECTED {
            let email = emails.get(&(k, trigger.to_owned())).copied().unwrap_or(0);
            let webhook = hooks
                .get(&(number.clone(), trigger.to_owned()))
                .copied()
                .unwrap_or(0);
            if email != 1 || webhook != 1 {
                problems.push(format!(
                    "{number} {trigger}: {email} email(s), {webhook} webhook(s)"
                ));
            }
        }
    }
    for ((k, trigger), count) in &emails {
        if *count > 1 && !EXPECTED.contains(&trigger.as_str()) {
            problems.push(format!("{} {trigger}: {count} emails", numbers[*k]));
        }
    }
    for ((number, trigger), count) in &hooks {
        if *count > 1 && !EXPECTED.contains(&trigger.as_str()) {
            problems.push(format!("{number} {trigger}: {count} webhooks"));
        }
    }
    for ((number, trigger, channel), count) in &rows {
        if *count > 1 {
            problems.push(format!(
                "GET /v1/notifications lists {number} {trigger} {channel} {count} times"
            ));
        }
    }
    let states = listed
        .iter()
        .fold(BTreeMap::<String, usize>::new(), |mut states, row| {
            *states
                .entry(row["state"].as_str().unwrap_or("-").to_owned())
                .or_default() += 1;
            states
        });
    if listed.len() != messages.len() - strays {
        problems.push(format!(
            "GET /v1/notifications lists {} messages, the catcher holds {}",
            listed.len(),
            messages.len() - strays
        ));
    }
    if strays > 0 {
        problems.push(format!("{strays} caught message(s) of no bench shipment"));
    }

    println!(
        "\n==> notifications exactly once: {} events ({EVENTS_PER_SHIPMENT} distinct per shipment: in transit, out for delivery, delivered) for {SHIPMENTS} shipments of one shop, {events_sent} events sent in {batches} batches (repeated, reversed, older after newer), {WRITERS} client threads",
        SHIPMENTS * EVENTS_PER_SHIPMENT
    );
    println!(
        "  pushed in {:.2} s; queue quiet (every message caught, none pending, nothing new for {} s) after {:.2} s",
        pushing.as_secs_f64(),
        QUIET.as_secs(),
        settled.as_secs_f64()
    );
    println!(
        "  caught: {} messages ({} emails, {} webhooks); GET /v1/notifications lists {} (states {states:?})",
        messages.len(),
        emails.values().sum::<usize>(),
        hooks.values().sum::<usize>(),
        listed.len()
    );
    println!(
        "  per trigger: emails / webhooks (expected {SHIPMENTS} each) / listed by GET /v1/notifications (expected {}, both channels):",
        2 * SHIPMENTS
    );
    for (trigger, [email, webhook, listed]) in &triggers {
        println!("    {trigger:<18} {email:>5} / {webhook:>5} / {listed:>5}");
    }
    if problems.is_empty() {
        println!(
            "  each (shipment, trigger) told exactly once per channel: yes ({} notices)",
            SHIPMENTS * EXPECTED.len()
        );
        Ok(())
    } else {
        println!("  each (shipment, trigger) told exactly once per channel: NO");
        for problem in problems.iter().take(20) {
            println!("    {problem}");
        }
        Err(format!(
            "{} notice(s) sent twice or missing, e.g. {}",
            problems.len(),
            problems[0]
        ))
    }
}

/// The events of shipment `k` pushed in batches, with repeats and out of order: the batches and
/// the events sent.
fn push_shipment(
    client: &Client,
    shop: &ShopCreated,
    number: &str,
    order: &str,
    k: usize,
) -> Result<(usize, usize), String> {
    register(client, shop, number, order)?;
    let now = Utc::now();
    // Ten events: eight in transit over the last three days, out for delivery, delivered.
    let events: Vec<Value> = (0..EVENTS_PER_SHIPMENT)
        .map(|e| {
            let (hours, status, words) = match e {
                8 => (3, "out_for_delivery", "Out for delivery".to_owned()),
                9 => (1, "delivered", "Delivered, front door".to_owned()),
                _ => (
                    72 - 8 * e as i64,
                    "in_transit",
                    format!("Departed facility {e}"),
                ),
            };
            let at = now - TimeDelta::hours(hours);
            json!({
                "time": at.format("%Y-%m-%dT%H:%M:00+00:00").to_string(),
                "status": status,
                "description": words,
                "location": { "city": "Louisville", "region": "KY", "country": "US" }
            })
        })
        .collect();
    let reversed = |batch: &[Value]| batch.iter().rev().cloned().collect::<Vec<_>>();
    let early = events[0..4].to_vec();
    let middle = events[4..9].to_vec();
    let last = events[7..10].to_vec();
    let mut batches: Vec<Vec<Value>> = vec![early.clone()];
    match k % 4 {
        0 => batches.extend([middle.clone(), middle.clone(), last.clone()]),
        1 => batches.extend([reversed(&middle), last.clone(), reversed(&last)]),
        2 => batches.extend([middle.clone(), reversed(&last), early, middle]),
        _ => batches.extend([
            reversed(&middle),
            middle,
            reversed(&last),
            last,
            reversed(&events),
        ]),
    }
    let mut sent = 0;
    for batch in &batches {
        let path = format!("/v1/shipments/{number}/events");
        write(client, false, &path, shop, &json!({ "events": batch }))
            .map_err(|error| format!("events: {error}"))?;
        sent += batch.len();
    }
    Ok((batches.len(), sent))
}

/// A bench shop with a webhook endpoint at the catcher's receiver `name`.
fn shop_with_hook(
    server: &EdgeServer,
    catcher: &Catcher,
    name: &str,
) -> Result<ShopCreated, String> {
    let shop = crate::bench::bench_shop(server)?;
    let reply = server
        .client()
        .post("/v1/notifications/webhooks")
        .bearer(&shop.secret_key)
        .json(&json!({ "url": catcher.webhook_url(name) }))
        .send()?;
    if reply.status != 201 {
        return Err(format!(
            "adding the webhook endpoint: {} {}",
            reply.status,
            reply.text()
        ));
    }
    Ok(shop)
}

/// Makes order `order` of a customer reachable at `email`.
fn put_order(client: &Client, shop: &ShopCreated, order: &str, email: &str) -> Result<(), String> {
    let body = json!({ "status": "pending", "lang": "en", "customer": { "email": email } });
    write(client, true, &format!("/v1/orders/{order}"), shop, &body)
        .map_err(|error| format!("order {order}: {error}"))
}

/// Registers shipment `number` for order `order`.
fn register(client: &Client, shop: &ShopCreated, number: &str, order: &str) -> Result<(), String> {
    let body = json!({ "order_number": order });
    write(
        client,
        true,
        &format!("/v1/shipments/{number}"),
        shop,
        &body,
    )
    .map_err(|error| format!("shipment {number}: {error}"))
}

/// A `PUT` (or `POST`) of `body` to `path` with the shop's secret key, expecting 200 or 201; sent
/// again (up to [`RETRIES`] times, counted in [`RESTARTS`]) when the Worker restarted mid-request,
/// which `wrangler dev` does when its build folder changes. Any write of the bench may be
/// repeated: a repeat must not send anything twice, which is what the exactly-once part checks.
fn write(
    client: &Client,
    put: bool,
    path: &str,
    shop: &ShopCreated,
    body: &Value,
) -> Result<(), String> {
    let mut attempt = 0;
    loop {
        let call = if put {
            client.put(path)
        } else {
            client.post(path)
        };
        let error = match call.bearer(&shop.secret_key).json(body).send() {
            Ok(reply) if reply.status == 200 || reply.status == 201 => return Ok(()),
            Ok(reply) if reply.status == 503 && reply.text().contains("restarted") => {
                format!("503 {}", reply.text())
            }
            Ok(reply) => return Err(format!("{} {}", reply.status, reply.text())),
            Err(error) => error,
        };
        attempt += 1;
        if attempt > RETRIES {
            return Err(error);
        }
        RESTARTS.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Every message `GET /v1/notifications` lists for the shop, all pages.
fn list_all(client: &Client, shop: &ShopCreated) -> Result<Vec<Value>, String> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/v1/notifications?limit=100&cursor={}", encode(cursor)),
            None => "/v1/notifications?limit=100".to_owned(),
        };
        let reply = client.get(&path).bearer(&shop.secret_key).send()?;
        if reply.status != 200 {
            return Err(format!(
                "GET /v1/notifications: {} {}",
                reply.status,
                reply.text()
            ));
        }
        let page: Value = reply.json();
        // The typed shape, so a change of the wire format shows here.
        let typed: NotificationList =
            serde_json::from_value(page.clone()).map_err(|e| format!("the list: {e}"))?;
        rows.extend(
            page["notifications"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        match typed.next_cursor {
            Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
            _ => return Ok(rows),
        }
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The tracking number a caught message is about: the shipped email's text holds it; a webhook's
/// body has it in its tracking view.
fn number_of(message: &CaughtMessage) -> Option<String> {
    match message.channel {
        Channel::Webhook => {
            let body: Value = serde_json::from_str(&message.text).ok()?;
            body["data"]["tracking"]["tracking_number"]
                .as_str()
                .map(str::to_owned)
        }
        _ => message
            .text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find(|word| word.len() == 18 && word.starts_with("1Z"))
            .map(str::to_owned),
    }
}

/// A valid UPS tracking number: `1Z`, six shipper characters, service `03`, seven package digits
/// and the check digit.
fn ups_number(shipper: &str, package: u32) -> String {
    let body = format!("{shipper}03{:07}", package % 10_000_000);
    format!("1Z{body}{}", ups_check_digit(&body))
}

/// UPS's check digit over the 15 characters after `1Z`: letters count `(code - 63) % 10`, digits
/// as they are; odd positions summed, even positions doubled; `(10 - sum % 10) % 10`.
fn ups_check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let value = c
                .to_digit(10)
                .unwrap_or_else(|| (u32::from(c.to_ascii_uppercase()) - 63) % 10);
            if i % 2 == 1 { 2 * value } else { value }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// How many times `wrangler dev` reloaded the Worker since it started (it does when its build
/// folder or the widget's files change).
fn reloads(server: &EdgeServer) -> usize {
    std::fs::read_to_string(server.state_dir().join("wrangler.log"))
        .unwrap_or_default()
        .matches("Reloading local server")
        .count()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_digit_matches_a_real_ups_number() {
        assert_eq!(ups_check_digit("5R8939035756712"), 7);
        assert_eq!(ups_number("5R8939", 5_756_712), "1Z5R89390357567127");
    }

    #[test]
    fn the_numbers_are_distinct_and_well_formed() {
        let a = ups_number("WPBNCH", 1_000_000);
        let b = ups_number("WPBNCH", 1_000_001);
        assert_ne!(a, b);
        assert_eq!(a.len(), 18);
        assert!(a.starts_with("1ZWPBNCH03"));
    }
}
