//! A fake of the four carriers' tracking APIs on 127.0.0.1, for end-to-end tests and benchmarks:
//! OAuth token endpoints (UPS, FedEx, USPS), the tracking endpoints at their documented paths,
//! DHL's API-key check, answers from `edge/fixtures/carriers/`, scripted failures (500, 429 with
//! `Retry-After`, garbage JSON, hanging, a body trickled slowly or announced far too long), and
//! counters of every hit.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Request, Response};

use crate::local_server::{LocalServer, header};
use crate::server::workspace_root;

/// The carriers the fake plays, by their shared codes.
pub const CARRIERS: [&str; 4] = ["ups", "fedex", "usps", "dhl"];

/// Numbers detection gives to each carrier (from the public vectors).
pub const DETECTED: [(&str, &str); 4] = [
    ("ups", "1Z5R89390357567127"),
    ("fedex", "986578788855"),
    ("usps", "9400111206206406260787"),
    ("dhl", "3318810025"),
];

/// Scans of each carrier's `in_transit` fixture: the local time and the offset as the API returns
/// them (empty: the carrier gave none, and none may be invented), and the words the widget shows.
/// The first of each carrier is its newest scan.
pub const IN_TRANSIT_SCANS: [(&str, &str, &str, &str); 6] = [
    (
        "ups",
        "2026-11-21T04:55:02",
        "-06:00",
        "Nov 21, 4:55 AM, UTC\u{2212}6",
    ),
    (
        "fedex",
        "2026-11-21T06:48:00",
        "-06:00",
        "Nov 21, 6:48 AM, UTC\u{2212}6",
    ),
    (
        "usps",
        "2026-11-20T03:14:00",
        "",
        "Nov 20, 3:14 AM, local time",
    ),
    (
        "usps",
        "2026-11-19T08:41:00",
        "-07:00",
        "Nov 19, 8:41 AM, UTC\u{2212}7",
    ),
    (
        "dhl",
        "2026-11-20T14:05:00",
        "",
        "Nov 20, 2:05 PM, local time",
    ),
    (
        "dhl",
        "2026-11-19T23:40:00",
        "+01:00",
        "Nov 19, 11:40 PM, UTC+1",
    ),
];

/// The body length [`Behaviour::Oversized`] announces: far beyond any tracking answer.
pub const OVERSIZED_BYTES: u64 = 64 << 20;

/// How many pieces [`Behaviour::Trickle`] cuts a body into.
const TRICKLE_PIECES: u32 = 40;

/// The API key the Worker must send to the fake DHL.
pub const DHL_KEY: &str = "dhl-test-key";

/// What the fake answers for one tracking number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// The fixture `edge/fixtures/carriers/<carrier>/<case>.json` (`in_transit`, `delivered`...).
    Case(&'static str),
    /// The fixture `<case>`, after a pause (so look-ups overlap).
    SlowCase(&'static str, Duration),
    /// 500 with an HTML error page.
    ServerError,
    /// 429 with `Retry-After: <seconds>`.
    TooMany(u32),
    /// 200 with a body that is not JSON.
    Garbage,
    /// No answer for this long.
    Hang(Duration),
    /// The fixture `<case>`: status and headers at once, then the body in small pieces spread
    /// over this long.
    Trickle(&'static str, Duration),
    /// 200 announcing a body of [`OVERSIZED_BYTES`], then nothing for this long.
    Oversized(Duration),
}

#[derive(Default)]
struct Script {
    behaviours: HashMap<(String, String), Behaviour>,
    track_hits: HashMap<(String, String), usize>,
    track_log: Vec<(String, String)>,
    token_hits: HashMap<String, usize>,
}

/// A running fake carrier; stopped when dropped.
pub struct FakeCarrier {
    base: String,
    script: Arc<Mutex<Script>>,
    /// Serving while the fake lives; dropping it stops the server.
    _server: LocalServer,
}

impl FakeCarrier {
    /// Starts on a free port of 127.0.0.1.
    pub fn start() -> Result<FakeCarrier, String> {
        let mut server = LocalServer::bind("the fake carrier")?;
        let script = Arc::new(Mutex::new(Script::default()));
        server.serve(Arc::clone(&script), answer);
        Ok(FakeCarrier {
            base: format!("http://127.0.0.1:{}", server.port),
            script,
            _server: server,
        })
    }

    /// The Worker variables that point every carrier at this fake, with test credentials.
    pub fn worker_vars(&self) -> Vec<(String, String)> {
        let mut vars = Vec::new();
        for carrier in CARRIERS {
            let prefix = carrier.to_ascii_uppercase();
            vars.push((
                format!("{prefix}_BASE_URL"),
                format!("{}/{carrier}", self.base),
            ));
            if carrier == "dhl" {
                vars.push(("DHL_API_KEY".into(), DHL_KEY.into()));
            } else {
                vars.push((format!("{prefix}_CLIENT_ID"), format!("{carrier}-client")));
                vars.push((
                    format!("{prefix}_CLIENT_SECRET"),
                    format!("{carrier}-secret"),
                ));
            }
        }
        vars
    }

    /// What to answer for `number` at `carrier` from now on (unscripted numbers are not found).
    pub fn script(&self, carrier: &str, number: &str, behaviour: Behaviour) {
        lock(&self.script)
            .behaviours
            .insert((carrier.into(), number.into()), behaviour);
    }

    /// Tracking calls received for `number` at `carrier`.
    pub fn track_hits(&self, carrier: &str, number: &str) -> usize {
        let script = lock(&self.script);
        let key = (carrier.to_owned(), number.to_owned());
        script.track_hits.get(&key).copied().unwrap_or(0)
    }

    /// Every tracking call received, as (carrier, number), in the order they arrived.
    pub fn track_log(&self) -> Vec<(String, String)> {
        lock(&self.script).track_log.clone()
    }

    /// Tracking calls received at `carrier`, for any number.
    pub fn all_track_hits(&self, carrier: &str) -> usize {
        let script = lock(&self.script);
        script
            .track_hits
            .iter()
            .filter(|((c, _), _)| c == carrier)
            .map(|(_, hits)| hits)
            .sum()
    }

    /// Token calls received at `carrier`.
    pub fn token_hits(&self, carrier: &str) -> usize {
        lock(&self.script)
            .token_hits
            .get(carrier)
            .copied()
            .unwrap_or(0)
    }
}

fn lock(script: &Mutex<Script>) -> std::sync::MutexGuard<'_, Script> {
    script.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A parsed call: which carrier, and a token call or a look-up of which number.
enum Call {
    Token(&'static str),
    Track(&'static str, String),
}

fn answer(mut request: Request, script: &Mutex<Script>) {
    let mut body = String::new();
    if request.as_reader().read_to_string(&mut body).is_err() {
        return respond(request, 400, "text/plain", "unreadable body".into());
    }
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let header = |name: &str| header(&request, name);
    let authorization = header("Authorization").unwrap_or_default();
    let call = match (
        request.method().as_str(),
        path.split('/').collect::<Vec<_>>().as_slice(),
    ) {
        ("POST", ["", "ups", "security", "v1", "oauth", "token"]) => Call::Token("ups"),
        ("POST", ["", "fedex", "oauth", "token"]) => Call::Token("fedex"),
        ("POST", ["", "usps", "oauth2", "v3", "token"]) => Call::Token("usps"),
        ("GET", ["", "ups", "api", "track", "v1", "details", number]) => {
            Call::Track("ups", (*number).to_owned())
        }
        ("POST", ["", "fedex", "track", "v1", "trackingnumbers"]) => {
            Call::Track("fedex", fedex_number(&body).unwrap_or_default())
        }
        ("GET", ["", "usps", "tracking", "v3", "tracking", number]) => {
            Call::Track("usps", (*number).to_owned())
        }
        ("GET", ["", "dhl", "track", "shipments"]) => Call::Track(
            "dhl",
            query_value(query, "trackingNumber").unwrap_or_default(),
        ),
        _ => return respond(request, 404, "text/plain", format!("no route {path}")),
    };
    match call {
        Call::Token(carrier) => {
            let hits = {
                let mut script = lock(script);
                let hits = script.token_hits.entry(carrier.into()).or_default();
                *hits += 1;
                *hits
            };
            let form = percent_decode_str(&body.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned();
            let credentials_sent = match carrier {
                "ups" => authorization.starts_with("Basic "),
                _ => form.contains(&format!("{carrier}-secret")),
            };
            if !credentials_sent {
                return respond(
                    request,
                    401,
                    "application/json",
                    r#"{"error":"invalid_client"}"#.into(),
                );
            }
            let lifetime = if carrier == "ups" {
                r#""14399""#
            } else {
                "3599"
            };
            let token = format!(
                r#"{{"access_token":"{carrier}-token-{hits}","token_type":"Bearer","expires_in":{lifetime}}}"#
            );
            respond(request, 200, "application/json", token);
        }
        Call::Track(carrier, number) => {
            let behaviour = {
                let mut script = lock(script);
                *script
                    .track_hits
                    .entry((carrier.into(), number.clone()))
                    .or_default() += 1;
                script.track_log.push((carrier.into(), number.clone()));
                script
                    .behaviours
                    .get(&(carrier.to_owned(), number.clone()))
                    .cloned()
                    .unwrap_or(Behaviour::Case("not_found"))
            };
            let authorised = match carrier {
                "dhl" => header("DHL-API-Key").as_deref() == Some(DHL_KEY),
                _ => authorization.starts_with(&format!("Bearer {carrier}-token-")),
            };
            if !authorised {
                return respond(
                    request,
                    401,
                    "application/json",
                    r#"{"error":"unauthorized"}"#.into(),
                );
            }
            play(request, carrier, &behaviour);
        }
    }
}

fn play(request: Request, carrier: &str, behaviour: &Behaviour) {
    match behaviour {
        Behaviour::Case(case) => match fixture(carrier, case) {
            Ok(body) => {
                let status = if *case == "not_found" {
                    not_found_status(carrier)
                } else {
                    200
                };
                respond(request, status, "application/json", body);
            }
            Err(error) => respond(request, 599, "text/plain", error),
        },
        Behaviour::SlowCase(case, pause) => {
            std::thread::sleep(*pause);
            play(request, carrier, &Behaviour::Case(case));
        }
        Behaviour::ServerError => respond(
            request,
            500,
            "text/html",
            "<html><body><h1>500 Internal Server Error</h1></body></html>".into(),
        ),
        Behaviour::TooMany(seconds) => {
            let retry_after = Header::from_bytes("Retry-After", seconds.to_string()).ok();
            let mut response =
                Response::from_string(r#"{"error":"rate limit exceeded"}"#).with_status_code(429);
            if let Some(header) = retry_after {
                response.add_header(header);
            }
            let _ = request.respond(response);
        }
        Behaviour::Garbage => respond(
            request,
            200,
            "application/json",
            r#"{"trackResponse": {"shipment": [{"package": [{"activity": [{"date": "2026"#.into(),
        ),
        Behaviour::Hang(duration) => {
            std::thread::sleep(*duration);
            respond(request, 504, "text/plain", "gave up".into());
        }
        Behaviour::Trickle(case, over) => match fixture(carrier, case) {
            Ok(body) => trickle(request, body.as_bytes(), *over),
            Err(error) => respond(request, 599, "text/plain", error),
        },
        Behaviour::Oversized(hold) => {
            let mut writer = request.into_writer();
            if send(&mut writer, ok_head(OVERSIZED_BYTES).as_bytes()) {
                std::thread::sleep(*hold);
            }
        }
    }
}

/// The text of `edge/fixtures/carriers/<carrier>/<case>.json`, or why not.
fn fixture(carrier: &str, case: &str) -> Result<String, String> {
    let path = workspace_root().join(format!("edge/fixtures/carriers/{carrier}/{case}.json"));
    std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))
}

/// Sends a 200's status line and headers at once, then `body` in [`TRICKLE_PIECES`] pieces
/// spread over `over`; stops early when the client hangs up.
fn trickle(request: Request, body: &[u8], over: Duration) {
    let mut writer = request.into_writer();
    if !send(&mut writer, ok_head(body.len() as u64).as_bytes()) {
        return;
    }
    let piece = body.len().div_ceil(TRICKLE_PIECES as usize).max(1);
    for bytes in body.chunks(piece) {
        std::thread::sleep(over / TRICKLE_PIECES);
        if !send(&mut writer, bytes) {
            return;
        }
    }
}

/// The status line and headers of a 200 JSON answer of `length` bytes, written by hand so they
/// leave before the body.
fn ok_head(length: u64) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

/// Writes `bytes` onto the wire now; false once the client is gone.
fn send(writer: &mut impl Write, bytes: &[u8]) -> bool {
    writer
        .write_all(bytes)
        .and_then(|()| writer.flush())
        .is_ok()
}

/// The HTTP status each carrier sends with its "unknown number" body.
fn not_found_status(carrier: &str) -> u16 {
    match carrier {
        "usps" | "dhl" | "ups" => 404,
        _ => 200,
    }
}

fn respond(request: Request, status: u16, content_type: &str, body: String) {
    let mut response = Response::from_string(body).with_status_code(status);
    if let Ok(header) = Header::from_bytes("Content-Type", content_type) {
        response.add_header(header);
    }
    let _ = request.respond(response);
}

fn fedex_number(body: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    json.pointer("/trackingInfo/0/trackingNumberInfo/trackingNumber")?
        .as_str()
        .map(str::to_owned)
}

fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.replace('+', " "))
    })
}
