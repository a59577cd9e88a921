//! A local catcher of the Worker's notifications on 127.0.0.1, for end-to-end tests and
//! `cargo xtask dev`: it speaks the HTTP APIs the Worker sends through, and keeps every message it
//! accepted.
//!
//! - **Postmark** (email), `POST /email`, as documented at
//!   <https://postmarkapp.com/developer/api/email-api>: the server token in
//!   `X-Postmark-Server-Token`, a JSON body with `From`, `To`, `Subject`, `TextBody`, `HtmlBody`,
//!   optional `Headers` (`[{"Name", "Value"}]`), `MessageStream` and `Tag`; answered `200
//!   {"To", "SubmittedAt", "MessageID", "ErrorCode": 0, "Message": "OK"}`, or 401 with error code
//!   10 without the right token, 422 with Postmark's error codes for a body it cannot send.
//! - **Twilio** (SMS), `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, as documented at
//!   <https://www.twilio.com/docs/messaging/api/message-resource>: HTTP Basic auth with the
//!   account SID and auth token, a form-encoded body with `To`, `From` (or `MessagingServiceSid`)
//!   and `Body`; answered `201` with the message resource (`sid` `SM…`, `status` `queued`), or
//!   Twilio's error shape `{"code", "message", "more_info", "status"}` (401 with 20003 without the
//!   right credentials, 400 for a missing parameter).
//! - **Webhook receivers**, `POST /hooks/{name}`: keeps the raw body and the Standard Webhooks
//!   headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`), answers 204.
//! - `GET /messages`: every caught message as JSON, oldest first; `DELETE /messages` forgets them;
//!   `GET /`: the inbox page, newest first.
//!
//! Tests script failures per route ([`Catcher::fail_next`]); a request answered with a scripted
//! reply is counted ([`Catcher::attempts`]) but catches nothing: a message is caught only when the
//! catcher answers success.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tiny_http::{Header, Request, Response};

use crate::local_server::{LocalServer, header};

/// The Postmark server token the Worker must send in `X-Postmark-Server-Token`.
pub const POSTMARK_TOKEN: &str = "catcher-postmark-token";
/// The sender the Worker is configured with (`EMAIL_FROM`).
pub const EMAIL_FROM: &str = "Waypost <notifications@waypost.localhost>";
/// The Twilio account SID the Worker authenticates as (and that is in the API's path).
pub const TWILIO_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";
/// The Twilio auth token the Worker authenticates with.
pub const TWILIO_AUTH_TOKEN: &str = "catcher-twilio-token";
/// The Twilio sender number the Worker is configured with (`TWILIO_FROM`), Twilio's magic test
/// number that always succeeds.
pub const TWILIO_FROM: &str = "+15005550006";

/// Where a message is sent to the catcher.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// Postmark's `POST /email`.
    Email,
    /// Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`.
    Sms,
    /// A webhook receiver, `POST /hooks/{name}`.
    Webhook(String),
}

/// A scripted answer, given instead of success to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Headers to send with it.
    pub headers: Vec<(String, String)>,
    /// The body, sent as is.
    pub body: String,
}

impl Reply {
    /// `code` with a short plain-text body.
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: format!("scripted failure {code}"),
        }
    }

    /// `code` (429 or 503, usually) with `Retry-After: <seconds>`.
    pub fn retry_after(code: u16, seconds: u64) -> Reply {
        let mut reply = Reply::status(code);
        reply
            .headers
            .push(("Retry-After".into(), seconds.to_string()));
        reply
    }

    /// 200 with an HTML page: an answer that is not what the API documents.
    pub fn garbage() -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: "<html><body><h1>Service temporarily unavailable</h1></body></html>".into(),
        }
    }
}

/// The channel a message was caught on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Email, through the Postmark API.
    Email,
    /// SMS, through the Twilio API.
    Sms,
    /// A retailer webhook.
    Webhook,
}

/// A message the catcher accepted, as `GET /messages` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaughtMessage {
    /// The id the catcher answered with: Postmark's `MessageID`, Twilio's `sid`, or the webhook's
    /// `webhook-id` (empty when it had none).
    pub id: String,
    /// Email, SMS or webhook.
    pub channel: Channel,
    /// The recipient: the email's `To`, the SMS's `To`, the webhook's URL path (`/hooks/{name}`).
    pub to: String,
    /// The email's `Subject`; the webhook body's `type` when it is JSON; `None` for an SMS.
    pub subject: Option<String>,
    /// The email's `TextBody`, the SMS's `Body`, the webhook's raw body.
    pub text: String,
    /// When it was caught.
    pub at: DateTime<Utc>,
    /// The email's `HtmlBody`.
    #[serde(default)]
    pub html: Option<String>,
    /// The email's `Headers` (name to value), or the webhook's `webhook-id`, `webhook-timestamp`
    /// and `webhook-signature`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The sender: the email's `From`, the SMS's `From` (or its `MessagingServiceSid`).
    #[serde(default)]
    pub from: Option<String>,
    /// The webhook's raw body.
    #[serde(default)]
    pub body: Option<String>,
    /// The email's `Tag`.
    #[serde(default)]
    pub tag: Option<String>,
    /// The email's `MessageStream`.
    #[serde(default)]
    pub message_stream: Option<String>,
}

#[derive(Default)]
struct Inner {
    messages: Vec<CaughtMessage>,
    scripted: HashMap<Route, VecDeque<Reply>>,
    attempts: HashMap<Route, usize>,
    issued: u64,
}

#[derive(Default)]
struct State {
    inner: Mutex<Inner>,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running catcher; stopped when dropped.
pub struct Catcher {
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    state: Arc<State>,
    /// Serving while the catcher lives; dropping it stops the server.
    _server: LocalServer,
}

impl Catcher {
    /// Starts on a free port of 127.0.0.1.
    pub fn start() -> Result<Catcher, String> {
        let mut server = LocalServer::bind("the notifications catcher")?;
        let state = Arc::new(State::default());
        server.serve(Arc::clone(&state), answer);
        Ok(Catcher {
            origin: format!("http://127.0.0.1:{}", server.port),
            state,
            _server: server,
        })
    }

    /// The Worker variables that point its email, SMS and their credentials at this catcher:
    /// `EMAIL_BASE_URL`, `EMAIL_API_KEY`, `EMAIL_FROM`, `TWILIO_BASE_URL`, `TWILIO_ACCOUNT_SID`,
    /// `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`.
    pub fn worker_vars(&self) -> Vec<(String, String)> {
        [
            ("EMAIL_BASE_URL", self.origin.as_str()),
            ("EMAIL_API_KEY", POSTMARK_TOKEN),
            ("EMAIL_FROM", EMAIL_FROM),
            ("TWILIO_BASE_URL", self.origin.as_str()),
            ("TWILIO_ACCOUNT_SID", TWILIO_ACCOUNT_SID),
            ("TWILIO_AUTH_TOKEN", TWILIO_AUTH_TOKEN),
            ("TWILIO_FROM", TWILIO_FROM),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
    }

    /// The URL of the webhook receiver `name`: `{origin}/hooks/{name}`.
    pub fn webhook_url(&self, name: &str) -> String {
        format!("{}/hooks/{name}", self.origin)
    }

    /// Answers the next requests to `route` with `replies`, one each, in order (after any still
    /// scripted), instead of succeeding.
    pub fn fail_next(&self, route: Route, replies: Vec<Reply>) {
        self.state
            .lock()
            .scripted
            .entry(route)
            .or_default()
            .extend(replies);
    }

    /// Requests made to `route`, failed or not.
    pub fn attempts(&self, route: &Route) -> usize {
        self.state.lock().attempts.get(route).copied().unwrap_or(0)
    }

    /// Every caught message, oldest first.
    pub fn messages(&self) -> Vec<CaughtMessage> {
        self.state.lock().messages.clone()
    }

    /// Forgets the caught messages, the attempt counts and the scripted replies.
    pub fn clear(&self) {
        let mut inner = self.state.lock();
        inner.messages.clear();
        inner.attempts.clear();
        inner.scripted.clear();
    }

    /// Waits until at least `count` messages are caught, or `timeout` has passed; the messages
    /// caught by then.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<CaughtMessage> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count || Instant::now() >= deadline {
                return messages;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// What a request asks for.
enum Endpoint {
    Email,
    Sms(String),
    Webhook(String),
    List,
    Forget,
    Inbox,
}

impl Endpoint {
    fn route(&self) -> Option<Route> {
        match self {
            Endpoint::Email => Some(Route::Email),
            Endpoint::Sms(_) => Some(Route::Sms),
            Endpoint::Webhook(name) => Some(Route::Webhook(name.clone())),
            Endpoint::List | Endpoint::Forget | Endpoint::Inbox => None,
        }
    }
}

fn endpoint(method: &str, path: &str) -> Option<Endpoint> {
    match (method, path) {
        ("GET", "/") => Some(Endpoint::Inbox),
        ("GET", "/messages") => Some(Endpoint::List),
        ("DELETE", "/messages") => Some(Endpoint::Forget),
        ("POST", "/email") => Some(Endpoint::Email),
        ("POST", _) => {
            if let Some(name) = path.strip_prefix("/hooks/").filter(|name| !name.is_empty()) {
                return Some(Endpoint::Webhook(name.to_owned()));
            }
            let sid = path
                .strip_prefix("/2010-04-01/Accounts/")?
                .strip_suffix("/Messages.json")?;
            (!sid.is_empty() && !sid.contains('/')).then(|| Endpoint::Sms(sid.to_owned()))
        }
        _ => None,
    }
}

/// A finished answer.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(status: u16, body: &Value) -> Answer {
        Answer {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: body.to_string(),
        }
    }
}

fn answer(mut request: Request, state: &State) {
    let mut body = String::new();
    if request.as_reader().read_to_string(&mut body).is_err() {
        return respond(
            request,
            Answer::json(400, &json!({"error": "unreadable body"})),
        );
    }
    let url = request.url().to_owned();
    let path = url.split('?').next().unwrap_or_default().to_owned();
    let Some(endpoint) = endpoint(request.method().as_str(), &path) else {
        let answer = Answer::json(404, &json!({"error": format!("no route {path}")}));
        return respond(request, answer);
    };
    if let Some(route) = endpoint.route() {
        let scripted = {
            let mut inner = state.lock();
            *inner.attempts.entry(route.clone()).or_default() += 1;
            inner.scripted.get_mut(&route).and_then(VecDeque::pop_front)
        };
        if let Some(reply) = scripted {
            let answer = Answer {
                status: reply.status,
                headers: reply.headers,
                body: reply.body,
            };
            return respond(request, answer);
        }
    }
    let answer = match endpoint {
        Endpoint::Email => email(&request, &body, state),
        Endpoint::Sms(sid) => sms(&request, &sid, &body, state),
        Endpoint::Webhook(_) => webhook(&request, &path, &body, state),
        Endpoint::List => Answer::json(200, &json!(state.lock().messages)),
        Endpoint::Forget => {
            state.lock().messages.clear();
            Answer {
                status: 204,
                headers: Vec::new(),
                body: String::new(),
            }
        }
        Endpoint::Inbox => Answer {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: inbox(&state.lock().messages),
        },
    };
    respond(request, answer);
}

/// Postmark's `POST /email`.
fn email(request: &Request, body: &str, state: &State) -> Answer {
    let refusal = |status: u16, code: u32, message: &str| {
        Answer::json(status, &json!({"ErrorCode": code, "Message": message}))
    };
    match header(request, "X-Postmark-Server-Token") {
        None => {
            return refusal(
                401,
                10,
                "No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.",
            );
        }
        Some(token) if token != POSTMARK_TOKEN => {
            return refusal(
                401,
                10,
                "The Server Token you provided in the X-Postmark-Server-Token request header was invalid. Please verify that you are using a valid token.",
            );
        }
        Some(_) => {}
    }
    let Ok(Value::Object(email)) = serde_json::from_str::<Value>(body) else {
        return refusal(422, 402, "Received invalid JSON input.");
    };
    let field = |name: &str| {
        email
            .get(name)
            .and_then(Value::as_str)
            .filter(|value| !value.trim().is_empty())
            .map(str::to_owned)
    };
    let Some(from) = field("From") else {
        return refusal(422, 300, "Invalid 'From' address: ''.");
    };
    let Some(to) = field("To") else {
        return refusal(422, 300, "Zero recipients specified");
    };
    let (text, html) = (field("TextBody"), field("HtmlBody"));
    if text.is_none() && html.is_none() {
        return refusal(
            422,
            300,
            "Provide either email TextBody or HtmlBody or both.",
        );
    }
    let mut headers = BTreeMap::new();
    match email.get("Headers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for item in list {
                let name = item.get("Name").and_then(Value::as_str);
                let value = item.get("Value").and_then(Value::as_str);
                let (Some(name), Some(value)) = (name, value) else {
                    return refusal(
                        422,
                        300,
                        "Invalid 'Headers': each needs a Name and a Value.",
                    );
                };
                headers.insert(name.to_owned(), value.to_owned());
            }
        }
        Some(_) => return refusal(422, 300, "Invalid 'Headers': expected an array."),
    }
    let now = Utc::now();
    let id = message_id(state);
    state.lock().messages.push(CaughtMessage {
        id: id.clone(),
        channel: Channel::Email,
        to: to.clone(),
        subject: field("Subject"),
        text: text.unwrap_or_default(),
        at: now,
        html,
        headers,
        from: Some(from),
        body: None,
        tag: field("Tag"),
        message_stream: field("MessageStream"),
    });
    Answer::json(
        200,
        &json!({
            "To": to,
            "SubmittedAt": now.to_rfc3339_opts(SecondsFormat::Micros, false),
            "MessageID": id,
            "ErrorCode": 0,
            "Message": "OK",
        }),
    )
}

/// Twilio's error answer.
fn twilio_error(status: u16, code: u32, message: &str) -> Answer {
    Answer::json(
        status,
        &json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status,
        }),
    )
}

/// Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json`.
fn sms(request: &Request, path_sid: &str, body: &str, state: &State) -> Answer {
    let credentials = header(request, "Authorization")
        .and_then(|value| {
            let (scheme, encoded) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("basic").then_some(())?;
            STANDARD.decode(encoded.trim()).ok()
        })
        .and_then(|decoded| String::from_utf8(decoded).ok());
    let expected = format!("{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}");
    if credentials.as_deref() != Some(expected.as_str()) {
        let mut answer = twilio_error(401, 20003, "Authenticate");
        answer.headers.push((
            "WWW-Authenticate".into(),
            "Basic realm=\"Twilio API\"".into(),
        ));
        return answer;
    }
    if path_sid != TWILIO_ACCOUNT_SID {
        return twilio_error(
            404,
            20404,
            &format!(
                "The requested resource /2010-04-01/Accounts/{path_sid}/Messages.json was not found"
            ),
        );
    }
    let form = form(body);
    let field = |name: &str| form.get(name).filter(|value| !value.is_empty()).cloned();
    let Some(to) = field("To") else {
        return twilio_error(400, 21604, "A 'To' phone number is required.");
    };
    let service = field("MessagingServiceSid");
    let from = field("From");
    if from.is_none() && service.is_none() {
        return twilio_error(400, 21603, "A 'From' phone number is required.");
    }
    let Some(text) = field("Body") else {
        return twilio_error(400, 21602, "Message body is required.");
    };
    let now = Utc::now();
    let sid = format!("SM{}", hex_id(state));
    state.lock().messages.push(CaughtMessage {
        id: sid.clone(),
        channel: Channel::Sms,
        to: to.clone(),
        subject: None,
        text: text.clone(),
        at: now,
        html: None,
        headers: BTreeMap::new(),
        from: from.clone().or_else(|| service.clone()),
        body: None,
        tag: None,
        message_stream: None,
    });
    let date = now.to_rfc2822();
    let uri = format!("/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/{sid}");
    Answer::json(
        201,
        &json!({
            "account_sid": TWILIO_ACCOUNT_SID,
            "api_version": "2010-04-01",
            "body": text,
            "date_created": date,
            "date_sent": null,
            "date_updated": date,
            "direction": "outbound-api",
            "error_code": null,
            "error_message": null,
            "from": from,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": "1",
            "price": null,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": { "media": format!("{uri}/Media.json") },
            "to": to,
            "uri": format!("{uri}.json"),
        }),
    )
}

/// A webhook receiver: keeps the body and the Standard Webhooks headers.
fn webhook(request: &Request, path: &str, body: &str, state: &State) -> Answer {
    let headers: BTreeMap<String, String> =
        ["webhook-id", "webhook-timestamp", "webhook-signature"]
            .into_iter()
            .filter_map(|name| Some((name.to_owned(), header(request, name)?)))
            .collect();
    let subject = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|json| json.get("type")?.as_str().map(str::to_owned));
    state.lock().messages.push(CaughtMessage {
        id: headers.get("webhook-id").cloned().unwrap_or_default(),
        channel: Channel::Webhook,
        to: path.to_owned(),
        subject,
        text: body.to_owned(),
        at: Utc::now(),
        html: None,
        headers,
        from: None,
        body: Some(body.to_owned()),
        tag: None,
        message_stream: None,
    });
    Answer {
        status: 204,
        headers: Vec::new(),
        body: String::new(),
    }
}

/// An `application/x-www-form-urlencoded` body's fields (the last of a repeated name wins).
fn form(body: &str) -> HashMap<String, String> {
    let decode = |text: &str| {
        percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// 32 lower-case hex digits, different for every message.
fn hex_id(state: &State) -> String {
    let issued = {
        let mut inner = state.lock();
        inner.issued += 1;
        inner.issued
    };
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let digest = Sha256::new()
        .chain_update(issued.to_le_bytes())
        .chain_update(nanos.to_le_bytes())
        .chain_update(std::process::id().to_le_bytes())
        .finalize();
    digest[..16].iter().fold(String::new(), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// A UUID-shaped id (version 4 layout), as Postmark's `MessageID`.
fn message_id(state: &State) -> String {
    let hex = hex_id(state);
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The inbox page: every message, newest first, every value escaped; an email's HTML is shown in
/// a sandboxed frame (no scripts) from its escaped source.
fn inbox(messages: &[CaughtMessage]) -> String {
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Waypost notifications inbox</title>\n<style>\n\
         body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}\n\
         article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}\n\
         dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 .5rem}\n\
         dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\n\
         pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f5;padding:.5rem;margin:.5rem 0}\n\
         iframe{width:100%;height:24rem;border:1px solid #ddd}\n\
         </style>\n</head>\n<body>\n<h1>Waypost notifications inbox</h1>\n",
    );
    let _ = writeln!(
        page,
        "<p>{} message(s) caught, newest first. Reload to see new ones; the same as JSON: \
         <a href=\"/messages\">/messages</a>.</p>",
        messages.len()
    );
    for message in messages.iter().rev() {
        let channel = match message.channel {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Webhook => "webhook",
        };
        let _ = writeln!(page, "<article>\n<h2>{}</h2>\n<dl>", {
            let subject = message.subject.as_deref().unwrap_or("(no subject)");
            escape(&format!("{channel}: {subject}"))
        });
        let mut row = |name: &str, value: &str| {
            let _ = writeln!(page, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
        };
        row("at", &message.at.to_rfc3339_opts(SecondsFormat::Secs, true));
        row("to", &message.to);
        if let Some(from) = &message.from {
            row("from", from);
        }
        if !message.id.is_empty() {
            row("id", &message.id);
        }
        for (name, value) in &message.headers {
            row(name, value);
        }
        page.push_str("</dl>\n");
        if !message.text.is_empty() {
            let _ = writeln!(page, "<pre>{}</pre>", escape(&message.text));
        }
        if let Some(html) = &message.html {
            let _ = writeln!(
                page,
                "<iframe sandbox=\"\" title=\"the email as HTML\" srcdoc=\"{}\"></iframe>",
                escape(html)
            );
        }
        page.push_str("</article>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

fn respond(request: Request, answer: Answer) {
    let mut response = Response::from_string(answer.body).with_status_code(answer.status);
    for (name, value) in &answer.headers {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;

    fn send_email(catcher: &Catcher, token: Option<&str>, email: &Value) -> crate::client::Reply {
        let call = Client::new(&catcher.origin).post("/email");
        let call = match token {
            Some(token) => call.header("X-Postmark-Server-Token", token),
            None => call,
        };
        call.json(email).send().expect("the catcher answers")
    }

    fn an_email() -> Value {
        json!({
            "From": EMAIL_FROM,
            "To": "ada@example.com",
            "Subject": "Your parcel is out for delivery",
            "TextBody": "It arrives today.",
            "HtmlBody": "<p>It arrives <b>today</b>.</p>",
            "Headers": [{"Name": "List-Unsubscribe", "Value": "<https://example.com/u/1>"}],
            "MessageStream": "outbound",
            "Tag": "out_for_delivery",
        })
    }

    #[test]
    fn an_email_is_caught_and_listed() {
        let catcher = Catcher::start().unwrap();
        let reply = send_email(&catcher, Some(POSTMARK_TOKEN), &an_email());
        assert_eq!(reply.status, 200, "{}", reply.text());
        let answer = reply.json();
        assert_eq!(answer["ErrorCode"], 0);
        assert_eq!(answer["Message"], "OK");
        assert_eq!(answer["To"], "ada@example.com");
        let id = answer["MessageID"].as_str().unwrap();
        assert_eq!(id.len(), 36, "{id}");
        assert!(DateTime::parse_from_rfc3339(answer["SubmittedAt"].as_str().unwrap()).is_ok());

        let listed = Client::new(&catcher.origin)
            .get("/messages")
            .send()
            .unwrap()
            .json();
        let first = &listed[0];
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(first["channel"], "email");
        assert_eq!(first["to"], "ada@example.com");
        assert_eq!(first["subject"], "Your parcel is out for delivery");
        assert_eq!(first["text"], "It arrives today.");
        assert_eq!(first["html"], "<p>It arrives <b>today</b>.</p>");
        assert_eq!(
            first["headers"]["List-Unsubscribe"],
            "<https://example.com/u/1>"
        );
        assert!(DateTime::parse_from_rfc3339(first["at"].as_str().unwrap()).is_ok());
        let typed = catcher.messages();
        assert_eq!(typed[0].id, id);
        assert_eq!(typed[0].tag.as_deref(), Some("out_for_delivery"));
        assert_eq!(catcher.attempts(&Route::Email), 1);
    }

    #[test]
    fn an_email_without_the_token_is_refused_and_not_caught() {
        let catcher = Catcher::start().unwrap();
        for token in [None, Some("wrong")] {
            let reply = send_email(&catcher, token, &an_email());
            assert_eq!(reply.status, 401, "{token:?}");
            assert_eq!(reply.json()["ErrorCode"], 10);
            assert!(reply.json()["Message"].is_string());
        }
        let mut no_body = an_email();
        no_body["TextBody"] = Value::Null;
        no_body["HtmlBody"] = Value::Null;
        let reply = send_email(&catcher, Some(POSTMARK_TOKEN), &no_body);
        assert_eq!(
            (reply.status, reply.json()["ErrorCode"].clone()),
            (422, json!(300))
        );
        assert!(catcher.messages().is_empty());
        assert_eq!(catcher.attempts(&Route::Email), 3);
    }

    #[test]
    fn a_scripted_500_then_success_catches_one() {
        let catcher = Catcher::start().unwrap();
        catcher.fail_next(Route::Email, vec![Reply::status(500)]);
        let reply = send_email(&catcher, Some(POSTMARK_TOKEN), &an_email());
        assert_eq!(reply.status, 500);
        assert!(catcher.messages().is_empty());
        let reply = send_email(&catcher, Some(POSTMARK_TOKEN), &an_email());
        assert_eq!(reply.status, 200);
        assert_eq!(catcher.attempts(&Route::Email), 2);
        assert_eq!(catcher.wait_for(1, Duration::from_secs(1)).len(), 1);

        catcher.fail_next(
            Route::Webhook("shop".into()),
            vec![Reply::retry_after(429, 7), Reply::garbage()],
        );
        let client = Client::new(&catcher.origin);
        let hook = |body: &str| {
            client
                .post("/hooks/shop")
                .raw("application/json", body.as_bytes().to_vec())
                .send()
                .unwrap()
        };
        let reply = hook("{}");
        assert_eq!(
            (reply.status, reply.header("retry-after")),
            (429, Some("7"))
        );
        assert_eq!(hook("{}").status, 200);
        assert_eq!(catcher.messages().len(), 1);
        assert_eq!(catcher.attempts(&Route::Webhook("shop".into())), 2);
        catcher.clear();
        assert!(catcher.messages().is_empty());
        assert_eq!(catcher.attempts(&Route::Email), 0);
    }

    #[test]
    fn an_sms_needs_basic_auth_and_answers_the_message_resource() {
        let catcher = Catcher::start().unwrap();
        let client = Client::new(&catcher.origin);
        let path = format!("/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json");
        let form = b"To=%2B14155550100&From=%2B15005550006&Body=Out+for+delivery%3A+today".to_vec();
        let refused = client
            .post(&path)
            .raw("application/x-www-form-urlencoded", form.clone())
            .send()
            .unwrap();
        assert_eq!(refused.status, 401);
        assert_eq!(refused.json()["code"], 20003);
        assert_eq!(refused.json()["status"], 401);
        assert!(catcher.messages().is_empty());

        let auth = STANDARD.encode(format!("{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}"));
        let reply = client
            .post(&path)
            .header("Authorization", &format!("Basic {auth}"))
            .raw("application/x-www-form-urlencoded", form)
            .send()
            .unwrap();
        assert_eq!(reply.status, 201, "{}", reply.text());
        let answer = reply.json();
        let sid = answer["sid"].as_str().unwrap();
        assert!(sid.starts_with("SM") && sid.len() == 34, "{sid}");
        assert_eq!(answer["status"], "queued");
        assert_eq!(answer["to"], "+14155550100");
        assert_eq!(answer["body"], "Out for delivery: today");
        assert!(DateTime::parse_from_rfc2822(answer["date_created"].as_str().unwrap()).is_ok());
        let caught = catcher.messages();
        assert_eq!(caught[0].channel, Channel::Sms);
        assert_eq!(caught[0].subject, None);
        assert_eq!(caught[0].text, "Out for delivery: today");
        assert_eq!(catcher.attempts(&Route::Sms), 2);
    }

    #[test]
    fn a_webhook_keeps_its_body_and_signature_headers() {
        let catcher = Catcher::start().unwrap();
        assert_eq!(
            catcher.webhook_url("acme"),
            format!("{}/hooks/acme", catcher.origin)
        );
        let body = r#"{"type":"shipment.delivered","data":{}}"#;
        let reply = Client::new(&catcher.origin)
            .post("/hooks/acme")
            .header("webhook-id", "msg_1")
            .header("webhook-timestamp", "1700000000")
            .header("webhook-signature", "v1,abc=")
            .raw("application/json", body.as_bytes().to_vec())
            .send()
            .unwrap();
        assert_eq!(reply.status, 204);
        let caught = &catcher.messages()[0];
        assert_eq!(caught.to, "/hooks/acme");
        assert_eq!(caught.subject.as_deref(), Some("shipment.delivered"));
        assert_eq!(caught.body.as_deref(), Some(body));
        assert_eq!(caught.headers["webhook-signature"], "v1,abc=");
        assert_eq!(caught.headers.len(), 3);
    }

    #[test]
    fn the_page_escapes_every_value() {
        let catcher = Catcher::start().unwrap();
        let mut email = an_email();
        email["Subject"] = json!("<script>alert(1)</script>");
        email["HtmlBody"] = json!("<p onclick=\"x\">hi</p><script>alert(2)</script>");
        send_email(&catcher, Some(POSTMARK_TOKEN), &email);
        let page = Client::new(&catcher.origin).get("/").send().unwrap();
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(text.contains("<title>Waypost notifications inbox</title>"));
        assert!(!text.contains("<script"), "{text}");
        assert!(!text.contains("<p onclick"), "{text}");
        assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn worker_vars_point_at_the_catcher() {
        let catcher = Catcher::start().unwrap();
        let vars: HashMap<String, String> = catcher.worker_vars().into_iter().collect();
        assert_eq!(vars["EMAIL_BASE_URL"], catcher.origin);
        assert_eq!(vars["TWILIO_BASE_URL"], catcher.origin);
        assert_eq!(vars["TWILIO_ACCOUNT_SID"].len(), 34);
        assert_eq!(vars.len(), 7);
    }
}
