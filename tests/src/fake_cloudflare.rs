//! A fake of the parts of the Cloudflare v4 API that wrangler (4.86) talks to when `cargo xtask
//! deploy` runs its steps, on 127.0.0.1: D1 databases (list, create, and the queries of
//! `wrangler d1 migrations apply --remote`, recognised without any SQL engine), KV namespaces
//! (list, create), and a Worker's deploy (static-assets upload session and upload, script upload
//! with its bindings and secrets, versions and deployments, workers.dev subdomain, Cron
//! schedules, secrets), and Queues (list, create, look up, and a queue's consumers: list, create,
//! update, delete; its producers are the Workers whose bindings name it). Every request is
//! recorded; failures can be injected.
//!
//! Point wrangler at it with [`FakeCloudflare::wrangler_env`] (and remove the variables of
//! [`WRANGLER_ENV_REMOVE`] from its environment).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tiny_http::{Header, Request, Response};

use crate::local_server::{LocalServer, header};

/// The path every API route sits under, as on the real API.
pub const PREFIX: &str = "/client/v4";

/// The account's workers.dev subdomain the fake reports.
pub const ACCOUNT_SUBDOMAIN: &str = "waypost-test";

/// Variables that must not reach wrangler when it talks to the fake: a global API key and email
/// take precedence over `CLOUDFLARE_API_TOKEN`, and the deprecated `CF_` names are read when the
/// new ones are missing.
pub const WRANGLER_ENV_REMOVE: [&str; 6] = [
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_EMAIL",
    "CF_API_KEY",
    "CF_EMAIL",
    "CF_API_TOKEN",
    "CF_ACCOUNT_ID",
];

/// The JWT an assets-upload session hands out for uploading its buckets.
const UPLOAD_JWT: &str = "fake-assets-upload-jwt";

/// The JWT that says every asset is uploaded; a script upload with assets must carry it.
const COMPLETION_JWT: &str = "fake-assets-completion-jwt";

/// The error code of an injected failure.
const INJECTED_CODE: u32 = 10013;

/// One request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// `GET`, `POST`...
    pub method: String,
    /// The path without [`PREFIX`], e.g. `/accounts/<id>/d1/database`.
    pub path: String,
    /// The query string, as sent (without `?`).
    pub query: String,
    /// The status the fake answered.
    pub status: u16,
    /// The body, when it was JSON.
    pub body: Option<Value>,
    /// The parts, when the body was `multipart/form-data`.
    pub parts: Vec<Part>,
    /// No route matched (the fake answered 404): wrangler asked for something the fake lacks.
    pub unhandled: bool,
    /// The answer was an injected failure (see [`FakeCloudflare::fail_next`]).
    pub injected: bool,
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename` of its `Content-Disposition`, if any.
    pub filename: Option<String>,
    /// Its `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Its length in bytes.
    pub size: usize,
    /// Its parsed content, for the `metadata` and `settings` parts (JSON).
    pub json: Option<Value>,
}

/// What the fake holds about one Worker.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerView {
    /// The script name.
    pub name: String,
    /// The current bindings as (type, name): `d1`, `kv_namespace`, `plain_text`, `secret_text`...
    pub bindings: Vec<(String, String)>,
    /// Secrets as (name, value), by name; they survive later uploads, as on Cloudflare.
    pub secrets: Vec<(String, String)>,
    /// Plain-text vars as (name, text), by name: the `plain_text` bindings of its latest upload
    /// (an `inherit` binding keeps the previous text).
    pub vars: Vec<(String, String)>,
    /// Script uploads received: full uploads (`PUT` the script) and new versions.
    pub uploads: usize,
    /// Versions made (by full uploads and by the versions API).
    pub versions: usize,
    /// Deployments made (a full upload deploys at once, as on Cloudflare).
    pub deployments: usize,
    /// The Cron expressions of its schedules.
    pub schedules: Vec<String>,
    /// Whether it is served on the account's workers.dev subdomain.
    pub workers_dev: bool,
    /// The `metadata` part of its latest upload (main module, bindings with their ids, assets,
    /// compatibility date...).
    pub metadata: Option<Value>,
    /// The other parts of its latest upload: the modules.
    pub modules: Vec<Part>,
}

/// A failure to answer instead of the real thing.
struct Failure {
    method: String,
    path: String,
    status: u16,
    once: bool,
}

struct D1 {
    uuid: String,
    name: String,
    created_at: String,
    migrations_table: bool,
    /// (name, SQL before the bookkeeping `INSERT`, applied at).
    migrations: Vec<(String, String, String)>,
    queries: Vec<String>,
}

struct Kv {
    id: String,
    title: String,
}

/// What the fake holds about one queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueView {
    /// Its id (32 hex digits).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The Workers whose `queue` bindings send to it (its producers), by script name.
    pub producers: Vec<String>,
    /// Its consumers, in the order they were attached.
    pub consumers: Vec<ConsumerView>,
}

/// A Worker consumer of a queue.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumerView {
    /// Its id (32 hex digits).
    pub id: String,
    /// The Worker it delivers to.
    pub script: String,
    /// Where a message goes after its last retry, if anywhere.
    pub dead_letter_queue: Option<String>,
    /// Its settings as last sent (`batch_size`, `max_retries`, `max_wait_time_ms`...).
    pub settings: Value,
    /// How many times it was created or updated.
    pub writes: usize,
}

struct Queue {
    id: String,
    name: String,
    created_on: String,
    modified_on: String,
    consumers: Vec<ConsumerView>,
}

struct Worker {
    tag: String,
    etag: String,
    created_on: String,
    modified_on: String,
    bindings: Vec<(String, String)>,
    secrets: BTreeMap<String, String>,
    /// Plain-text vars by name.
    vars: BTreeMap<String, String>,
    uploads: usize,
    /// Newest first.
    versions: Vec<Value>,
    /// Newest first.
    deployments: Vec<Value>,
    schedules: Vec<String>,
    workers_dev: bool,
    previews_enabled: bool,
    metadata: Option<Value>,
    modules: Vec<Part>,
}

struct State {
    account: String,
    token: String,
    seed: String,
    next_id: u64,
    calls: Vec<Call>,
    failures: Vec<Failure>,
    d1: Vec<D1>,
    kv: Vec<Kv>,
    queues: Vec<Queue>,
    workers: BTreeMap<String, Worker>,
    assets: BTreeSet<String>,
}

/// A running fake of the Cloudflare API; stopped when dropped.
pub struct FakeCloudflare {
    base: String,
    account: String,
    token: String,
    state: Arc<Mutex<State>>,
    /// Serving while the fake lives; dropping it stops the server.
    _server: LocalServer,
}

impl FakeCloudflare {
    /// Starts on a free port of 127.0.0.1, for the account `account_id`, accepting only
    /// `Authorization: Bearer <token>`.
    pub fn start(account_id: &str, token: &str) -> Result<FakeCloudflare, String> {
        let mut server = LocalServer::bind("the fake Cloudflare API")?;
        let port = server.port;
        let seed = chrono::Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .to_string();
        let state = Arc::new(Mutex::new(State {
            account: account_id.to_owned(),
            token: token.to_owned(),
            seed: format!("{seed}/{port}"),
            next_id: 0,
            calls: Vec::new(),
            failures: Vec::new(),
            d1: Vec::new(),
            kv: Vec::new(),
            queues: Vec::new(),
            workers: BTreeMap::new(),
            assets: BTreeSet::new(),
        }));
        server.serve(Arc::clone(&state), answer);
        Ok(FakeCloudflare {
            base: format!("http://127.0.0.1:{port}{PREFIX}"),
            account: account_id.to_owned(),
            token: token.to_owned(),
            state,
            _server: server,
        })
    }

    /// The API base URL: `http://127.0.0.1:PORT/client/v4` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.base.clone()
    }

    /// The account id the fake serves.
    pub fn account_id(&self) -> &str {
        &self.account
    }

    /// The environment that points wrangler at this fake: base URL, token, account id, and no
    /// metrics, banner or error reports. The caller must also remove the variables of
    /// [`WRANGLER_ENV_REMOVE`] (a global API key and email win over the token), and should give
    /// wrangler a throwaway `HOME` / `XDG_CONFIG_HOME` so that a developer's own login is neither
    /// read nor touched.
    pub fn wrangler_env(&self) -> Vec<(String, String)> {
        [
            ("CLOUDFLARE_API_BASE_URL", self.base.as_str()),
            ("CLOUDFLARE_API_TOKEN", self.token.as_str()),
            ("CLOUDFLARE_ACCOUNT_ID", self.account.as_str()),
            ("WRANGLER_SEND_METRICS", "false"),
            ("WRANGLER_HIDE_BANNER", "true"),
            ("WRANGLER_SEND_ERROR_REPORTS", "false"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
    }

    /// Every request received so far, in the order they arrived.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state).calls.clone()
    }

    /// Requests received with `method` (any method for `*`) whose path contains `path_part`.
    pub fn count(&self, method: &str, path_part: &str) -> usize {
        lock(&self.state)
            .calls
            .iter()
            .filter(|call| method_matches(method, &call.method) && call.path.contains(path_part))
            .count()
    }

    /// The requests no route matched; a test of a deploy expects none.
    pub fn unhandled(&self) -> Vec<Call> {
        lock(&self.state)
            .calls
            .iter()
            .filter(|call| call.unhandled)
            .cloned()
            .collect()
    }

    /// Forgets the calls recorded so far (the state stays).
    pub fn clear_calls(&self) {
        lock(&self.state).calls.clear();
    }

    /// Answers the next request with `method` (`*`: any) whose path (without [`PREFIX`])
    /// contains `path_part` with a Cloudflare error of `status` (code 10013), once. wrangler
    /// retries 5xx answers (three tries) but not 4xx ones.
    pub fn fail_next(&self, method: &str, path_part: &str, status: u16) {
        self.add_failure(method, path_part, status, true);
    }

    /// Like [`FakeCloudflare::fail_next`], for every matching request until [`FakeCloudflare::heal`].
    pub fn fail_matching(&self, method: &str, path_part: &str, status: u16) {
        self.add_failure(method, path_part, status, false);
    }

    /// Drops every injected failure not yet used.
    pub fn heal(&self) {
        lock(&self.state).failures.clear();
    }

    fn add_failure(&self, method: &str, path_part: &str, status: u16, once: bool) {
        lock(&self.state).failures.push(Failure {
            method: method.to_owned(),
            path: path_part.to_owned(),
            status,
            once,
        });
    }

    /// Makes a Worker exist already, as if deployed before, so that a deploy takes the path of
    /// an existing Worker (new version, then a deployment of it).
    pub fn add_existing_worker(&self, name: &str) {
        let mut state = lock(&self.state);
        let worker = state.new_worker();
        state.workers.entry(name.to_owned()).or_insert(worker);
    }

    /// The D1 databases as (name, uuid), in the order they were made.
    pub fn d1_databases(&self) -> Vec<(String, String)> {
        lock(&self.state)
            .d1
            .iter()
            .map(|db| (db.name.clone(), db.uuid.clone()))
            .collect()
    }

    /// The KV namespaces as (title, id), in the order they were made.
    pub fn kv_namespaces(&self) -> Vec<(String, String)> {
        lock(&self.state)
            .kv
            .iter()
            .map(|ns| (ns.title.clone(), ns.id.clone()))
            .collect()
    }

    /// Makes a queue exist already, as if created before (by another deploy or by hand); answers
    /// its id, the existing one's if there is one.
    pub fn add_queue(&self, name: &str) -> String {
        let mut state = lock(&self.state);
        if let Some(queue) = state.queues.iter().find(|queue| queue.name == name) {
            return queue.id.clone();
        }
        let queue = state.new_queue(name);
        let id = queue.id.clone();
        state.queues.push(queue);
        id
    }

    /// The queues, in the order they were made.
    pub fn queues(&self) -> Vec<QueueView> {
        let state = lock(&self.state);
        state
            .queues
            .iter()
            .map(|queue| QueueView {
                id: queue.id.clone(),
                name: queue.name.clone(),
                producers: state.producers(&queue.name),
                consumers: queue.consumers.clone(),
            })
            .collect()
    }

    /// The queue named `name`, if it exists.
    pub fn queue(&self, name: &str) -> Option<QueueView> {
        self.queues().into_iter().find(|queue| queue.name == name)
    }

    /// The migrations applied to the D1 database `db_uuid`, by file name, in order (empty for an
    /// unknown database).
    pub fn migrations(&self, db_uuid: &str) -> Vec<String> {
        self.migration_sql(db_uuid)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The migrations applied to the D1 database `db_uuid` as (file name, the SQL sent with it),
    /// in order.
    pub fn migration_sql(&self, db_uuid: &str) -> Vec<(String, String)> {
        let state = lock(&self.state);
        state
            .d1
            .iter()
            .find(|db| db.uuid == db_uuid)
            .map(|db| {
                db.migrations
                    .iter()
                    .map(|(name, sql, _)| (name.clone(), sql.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Other SQL sent to the D1 database `db_uuid` (neither the migrations table's bookkeeping
    /// nor a migration), in order.
    pub fn d1_queries(&self, db_uuid: &str) -> Vec<String> {
        let state = lock(&self.state);
        state
            .d1
            .iter()
            .find(|db| db.uuid == db_uuid)
            .map(|db| db.queries.clone())
            .unwrap_or_default()
    }

    /// The hashes of the static assets uploaded so far.
    pub fn assets(&self) -> Vec<String> {
        lock(&self.state).assets.iter().cloned().collect()
    }

    /// What the fake holds about the Worker `name`, if it exists.
    pub fn worker(&self, name: &str) -> Option<WorkerView> {
        let state = lock(&self.state);
        let worker = state.workers.get(name)?;
        Some(WorkerView {
            name: name.to_owned(),
            bindings: worker.bindings.clone(),
            secrets: worker
                .secrets
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            vars: worker
                .vars
                .iter()
                .map(|(name, text)| (name.clone(), text.clone()))
                .collect(),
            uploads: worker.uploads,
            versions: worker.versions.len(),
            deployments: worker.deployments.len(),
            schedules: worker.schedules.clone(),
            workers_dev: worker.workers_dev,
            metadata: worker.metadata.clone(),
            modules: worker.modules.clone(),
        })
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn method_matches(wanted: &str, method: &str) -> bool {
    wanted == "*" || wanted.eq_ignore_ascii_case(method)
}

fn now_iso() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl State {
    /// 32 fresh hex digits, different for every call and every fake.
    fn new_hex(&mut self, kind: &str) -> String {
        self.next_id += 1;
        let digest = Sha256::digest(format!(
            "{}/{}/{kind}/{}",
            self.seed, self.account, self.next_id
        ));
        hex(&digest[..16])
    }

    fn new_uuid(&mut self) -> String {
        let h = self.new_hex("uuid");
        format!(
            "{}-{}-4{}-8{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }

    fn new_queue(&mut self, name: &str) -> Queue {
        Queue {
            id: self.new_hex("queue"),
            name: name.to_owned(),
            created_on: now_iso(),
            modified_on: now_iso(),
            consumers: Vec::new(),
        }
    }

    /// The Workers whose latest upload binds the queue `name` (as `type: "queue"`).
    fn producers(&self, name: &str) -> Vec<String> {
        self.workers
            .iter()
            .filter(|(_, worker)| {
                worker
                    .metadata
                    .as_ref()
                    .and_then(|metadata| metadata["bindings"].as_array())
                    .into_iter()
                    .flatten()
                    .any(|binding| binding["type"] == "queue" && binding["queue_name"] == name)
            })
            .map(|(script, _)| script.clone())
            .collect()
    }

    /// A queue as the API describes it.
    fn queue_info(&self, queue: &Queue) -> Value {
        let producers: Vec<Value> = self
            .producers(&queue.name)
            .iter()
            .map(|script| json!({"type": "worker", "script": script}))
            .collect();
        let consumers: Vec<Value> = queue
            .consumers
            .iter()
            .map(|consumer| consumer_info(queue, consumer))
            .collect();
        json!({
            "queue_id": queue.id,
            "queue_name": queue.name,
            "created_on": queue.created_on,
            "modified_on": queue.modified_on,
            "producers_total_count": producers.len(),
            "producers": producers,
            "consumers_total_count": consumers.len(),
            "consumers": consumers,
            "settings": {
                "delivery_delay": 0,
                "delivery_paused": false,
                "message_retention_period": 345_600,
            },
        })
    }

    fn new_worker(&mut self) -> Worker {
        Worker {
            tag: self.new_hex("tag"),
            etag: self.new_hex("etag"),
            created_on: now_iso(),
            modified_on: now_iso(),
            bindings: Vec::new(),
            secrets: BTreeMap::new(),
            vars: BTreeMap::new(),
            uploads: 0,
            versions: Vec::new(),
            deployments: Vec::new(),
            schedules: Vec::new(),
            workers_dev: false,
            previews_enabled: false,
            metadata: None,
            modules: Vec::new(),
        }
    }
}

/// A request as the routes see it.
struct Incoming<'a> {
    method: &'a str,
    query: Vec<(String, String)>,
    body: Option<Value>,
    parts: Vec<RawPart>,
}

/// A status and a JSON body; `None` from a route: no route matched.
type Answer = Option<(u16, Value)>;

fn answer(mut request: Request, state: &Mutex<State>) {
    let mut raw = Vec::new();
    if request.as_reader().read_to_end(&mut raw).is_err() {
        return respond(request, 400, &failure(10000, "unreadable body"));
    }
    let method = request.method().as_str().to_ascii_uppercase();
    let url = request.url().to_owned();
    let (full_path, query) = url.split_once('?').unwrap_or((&url, ""));
    let header = |name: &str| header(&request, name);
    let authorization = header("Authorization").unwrap_or_default();
    let content_type = header("Content-Type").unwrap_or_default();
    let parts = if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        multipart(&content_type, &raw)
    } else {
        Vec::new()
    };
    let body = if parts.is_empty() && !raw.is_empty() {
        serde_json::from_slice::<Value>(&raw).ok()
    } else {
        None
    };
    let path = full_path
        .strip_prefix(PREFIX)
        .unwrap_or(full_path)
        .to_owned();
    let mut call = Call {
        method: method.clone(),
        path: path.clone(),
        query: query.to_owned(),
        status: 0,
        body: body.clone(),
        parts: parts.iter().map(RawPart::summary).collect(),
        unhandled: false,
        injected: false,
    };
    let incoming = Incoming {
        method: &method,
        query: query_pairs(query),
        body,
        parts,
    };
    let (status, reply) = {
        let mut state = lock(state);
        let injected = state.failures.iter().position(|failure| {
            method_matches(&failure.method, &method) && path.contains(&failure.path)
        });
        let answer = if let Some(index) = injected {
            let status = state.failures[index].status;
            if state.failures[index].once {
                state.failures.remove(index);
            }
            call.injected = true;
            let message = format!("fake: injected failure for {method} {path}");
            Some((status, failure(INJECTED_CODE, &message)))
        } else if full_path.starts_with(PREFIX) {
            route(&mut state, &path, &authorization, &incoming)
        } else {
            None
        };
        let (status, reply) = answer.unwrap_or_else(|| {
            call.unhandled = true;
            let message = format!("fake: no route for {method} {full_path}");
            (404, failure(10000, &message))
        });
        call.status = status;
        state.calls.push(call);
        (status, reply)
    };
    respond(request, status, &reply);
}

fn respond(request: Request, status: u16, body: &Value) {
    let mut response = Response::from_data(body.to_string()).with_status_code(status);
    if let Ok(header) = Header::from_bytes("Content-Type", "application/json") {
        response.add_header(header);
    }
    let _ = request.respond(response);
}

/// The Cloudflare envelope of a success.
fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// The Cloudflare envelope of a failure.
fn failure(code: u32, message: &str) -> Value {
    json!({
        "success": false,
        "errors": [{"code": code, "message": message}],
        "messages": [],
        "result": null,
    })
}

fn ok(result: Value) -> Answer {
    Some((200, envelope(result)))
}

fn error(status: u16, code: u32, message: &str) -> Answer {
    Some((status, failure(code, message)))
}

/// One page of `items` as `page` and `per_page` ask (1-based; past the end: empty), with its
/// `result_info`.
fn page(items: Vec<Value>, query: &[(String, String)], default_per_page: usize) -> Answer {
    let number = |name: &str, default: usize| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(default)
    };
    let (page, per_page) = (number("page", 1), number("per_page", default_per_page));
    let total = items.len();
    let chunk: Vec<Value> = items
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect();
    let mut body = envelope(json!(chunk));
    body["result_info"] = json!({
        "page": page,
        "per_page": per_page,
        "count": chunk.len(),
        "total_count": total,
        "total_pages": total.div_ceil(per_page).max(1),
    });
    Some((200, body))
}

fn route(state: &mut State, path: &str, authorization: &str, req: &Incoming) -> Answer {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let assets_upload = matches!(
        segments.as_slice(),
        ["accounts", _, "workers", "assets", "upload"]
    );
    // The assets upload carries the session's JWT instead of the API token.
    let bearer = if assets_upload {
        UPLOAD_JWT
    } else {
        state.token.as_str()
    };
    if authorization != format!("Bearer {bearer}") {
        return error(403, 10000, "Authentication error");
    }
    match (req.method, segments.as_slice()) {
        ("GET", ["user", "tokens", "verify"]) => {
            ok(json!({"id": "0".repeat(32), "status": "active"}))
        }
        ("GET", ["user"]) => ok(json!({"id": "1".repeat(32), "email": "deploy@example.test"})),
        ("GET", ["accounts"]) => {
            let account = json!({"id": state.account, "name": "Fake account"});
            page(vec![account], &req.query, 20)
        }
        ("GET", ["memberships"]) => {
            let membership = json!({
                "id": "2".repeat(32),
                "account": {"id": state.account, "name": "Fake account"},
                "status": "accepted",
                "roles": ["Administrator"],
            });
            page(vec![membership], &req.query, 20)
        }
        (_, ["accounts", account, rest @ ..]) => {
            if *account != state.account {
                return error(403, 9109, "Unauthorized to access requested resource");
            }
            account_route(state, rest, req)
        }
        _ => None,
    }
}

fn account_route(state: &mut State, rest: &[&str], req: &Incoming) -> Answer {
    match (req.method, rest) {
        ("GET", ["tokens", "verify"]) => ok(json!({"id": "0".repeat(32), "status": "active"})),
        ("GET", ["d1", "database"]) => {
            let name = req.query.iter().find(|(key, _)| key == "name");
            let dbs = state
                .d1
                .iter()
                .filter(|db| name.is_none_or(|(_, name)| *name == db.name))
                .map(d1_info)
                .collect();
            page(dbs, &req.query, 1000)
        }
        ("POST", ["d1", "database"]) => {
            let Some(name) = req.body.as_ref().and_then(|b| b["name"].as_str()) else {
                return error(400, 7400, "The request is malformed: no name");
            };
            if state.d1.iter().any(|db| db.name == name) {
                return error(400, 7502, "A database with that name already exists");
            }
            let db = D1 {
                uuid: state.new_uuid(),
                name: name.to_owned(),
                created_at: now_iso(),
                migrations_table: false,
                migrations: Vec::new(),
                queries: Vec::new(),
            };
            let info = d1_info(&db);
            state.d1.push(db);
            ok(info)
        }
        (_, ["d1", "database", id, action @ ..]) => {
            let Some(db) = state
                .d1
                .iter_mut()
                .find(|db| db.uuid == *id || db.name == *id)
            else {
                return error(404, 7404, &format!("The database {id} could not be found"));
            };
            match (req.method, action) {
                ("GET", []) => ok(d1_info(db)),
                ("POST", ["query"]) => {
                    let sql = req.body.as_ref().and_then(|b| b["sql"].as_str());
                    d1_query(db, sql.unwrap_or_default())
                }
                _ => None,
            }
        }
        ("GET", ["storage", "kv", "namespaces"]) => {
            let mut namespaces: Vec<&Kv> = state.kv.iter().collect();
            namespaces.sort_by(|a, b| a.title.cmp(&b.title));
            if req
                .query
                .iter()
                .any(|(key, value)| key == "direction" && value == "desc")
            {
                namespaces.reverse();
            }
            let items = namespaces.into_iter().map(kv_info).collect();
            page(items, &req.query, 20)
        }
        ("POST", ["storage", "kv", "namespaces"]) => {
            let Some(title) = req.body.as_ref().and_then(|b| b["title"].as_str()) else {
                return error(400, 10019, "a namespace needs a title");
            };
            if state.kv.iter().any(|ns| ns.title == title) {
                let message = "a namespace with this account ID and title already exists";
                return error(400, 10014, message);
            }
            let namespace = Kv {
                id: state.new_hex("kv"),
                title: title.to_owned(),
            };
            let info = kv_info(&namespace);
            state.kv.push(namespace);
            ok(info)
        }
        (_, ["queues", rest @ ..]) => queue_route(state, rest, req),
        ("GET", ["workers", "subdomain"]) => ok(json!({"subdomain": ACCOUNT_SUBDOMAIN})),
        ("GET", ["workers", "scripts"]) => {
            let scripts = state
                .workers
                .iter()
                .map(|(name, w)| {
                    json!({"id": name, "tag": w.tag, "etag": w.etag,
                        "created_on": w.created_on, "modified_on": w.modified_on})
                })
                .collect();
            ok(Value::Array(scripts))
        }
        ("POST", ["workers", "assets", "upload"]) => {
            for part in &req.parts {
                state.assets.insert(part.name.clone());
            }
            Some((201, envelope(json!({"jwt": COMPLETION_JWT}))))
        }
        ("GET", ["workers", "services", name]) => {
            let Some(w) = state.workers.get(*name) else {
                return error(404, 10007, "workers.api.error.script_not_found");
            };
            let script = json!({
                "id": name, "tag": w.tag, "tags": [], "etag": w.etag,
                "last_deployed_from": "wrangler",
                "created_on": w.created_on, "modified_on": w.modified_on,
            });
            ok(json!({
                "id": name,
                "default_environment": {
                    "environment": "production",
                    "created_on": w.created_on,
                    "modified_on": w.modified_on,
                    "script": script,
                },
                "created_on": w.created_on,
                "modified_on": w.modified_on,
            }))
        }
        (_, ["workers", "scripts", name, rest @ ..]) => worker_route(state, name, rest, req),
        _ => None,
    }
}

/// Queues: `GET /accounts/{account_id}/queues` (paged, optionally only the queues named by
/// repeated `name` parameters), `POST /accounts/{account_id}/queues` (`{"queue_name": ...}`),
/// `GET|DELETE /accounts/{account_id}/queues/{queue_id}`, and a queue's Worker consumers:
/// `GET|POST .../queues/{queue_id}/consumers`, `GET|PUT|DELETE .../consumers/{consumer_id}`.
/// Error codes are the fake's own, in the 11000 range the Queues API uses.
fn queue_route(state: &mut State, rest: &[&str], req: &Incoming) -> Answer {
    match (req.method, rest) {
        ("GET", []) => {
            let names: Vec<&str> = req
                .query
                .iter()
                .filter(|(key, _)| key == "name")
                .map(|(_, value)| value.as_str())
                .collect();
            let items = state
                .queues
                .iter()
                .filter(|queue| names.is_empty() || names.contains(&queue.name.as_str()))
                .map(|queue| state.queue_info(queue))
                .collect();
            page(items, &req.query, 20)
        }
        ("POST", []) => {
            let Some(name) = req.body.as_ref().and_then(|b| b["queue_name"].as_str()) else {
                return error(400, 11003, "a queue needs a queue_name");
            };
            let valid = !name.is_empty()
                && name.len() <= 63
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return error(400, 11003, &format!("queue name {name:?} is not valid"));
            }
            if state.queues.iter().any(|queue| queue.name == name) {
                return error(409, 11009, "A queue with this name already exists");
            }
            let queue = state.new_queue(name);
            let info = state.queue_info(&queue);
            state.queues.push(queue);
            ok(info)
        }
        (_, [id, action @ ..]) => {
            let Some(index) = state.queues.iter().position(|queue| queue.id == *id) else {
                return error(404, 11000, &format!("Queue {id} does not exist"));
            };
            match (req.method, action) {
                ("GET", []) => ok(state.queue_info(&state.queues[index])),
                ("DELETE", []) => {
                    state.queues.remove(index);
                    ok(Value::Null)
                }
                (_, ["consumers", consumer @ ..]) => consumer_route(state, index, consumer, req),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A queue's Worker consumers. Like Cloudflare: a queue has at most one Worker consumer, whose
/// script must exist, as must its dead-letter queue.
fn consumer_route(state: &mut State, index: usize, rest: &[&str], req: &Incoming) -> Answer {
    let body = req.body.clone().unwrap_or(Value::Null);
    let checked = |state: &State| -> Result<(String, Option<String>), Answer> {
        if body["type"].as_str().is_some_and(|kind| kind != "worker") {
            return Err(error(
                400,
                11003,
                "fake: only Worker consumers are modelled",
            ));
        }
        let Some(script) = body["script_name"].as_str() else {
            return Err(error(400, 11003, "a consumer needs a script_name"));
        };
        if !state.workers.contains_key(script) {
            let message = format!("Worker {script} does not exist");
            return Err(error(400, 11004, &message));
        }
        let dead_letter = body["dead_letter_queue"].as_str().map(str::to_owned);
        if let Some(dlq) = &dead_letter {
            if *dlq == state.queues[index].name {
                return Err(error(
                    400,
                    11003,
                    "a queue cannot be its own dead-letter queue",
                ));
            }
            if !state.queues.iter().any(|queue| queue.name == *dlq) {
                let message = format!("dead letter queue {dlq} does not exist");
                return Err(error(400, 11000, &message));
            }
        }
        Ok((script.to_owned(), dead_letter))
    };
    let settings = body.get("settings").cloned().unwrap_or(json!({}));
    match (req.method, rest) {
        ("GET", []) => {
            let queue = &state.queues[index];
            let consumers = queue
                .consumers
                .iter()
                .map(|consumer| consumer_info(queue, consumer))
                .collect();
            ok(Value::Array(consumers))
        }
        ("POST", []) => {
            let (script, dead_letter_queue) = match checked(state) {
                Ok(valid) => valid,
                Err(answer) => return answer,
            };
            if !state.queues[index].consumers.is_empty() {
                let message = "this queue already has a Worker consumer; update it instead";
                return error(400, 11005, message);
            }
            let consumer = ConsumerView {
                id: state.new_hex("consumer"),
                script,
                dead_letter_queue,
                settings,
                writes: 1,
            };
            let queue = &mut state.queues[index];
            queue.modified_on = now_iso();
            queue.consumers.push(consumer.clone());
            ok(consumer_info(queue, &consumer))
        }
        (_, [consumer_id]) => {
            let Some(at) = state.queues[index]
                .consumers
                .iter()
                .position(|consumer| consumer.id == *consumer_id)
            else {
                return error(404, 11006, &format!("consumer {consumer_id} not found"));
            };
            match req.method {
                "GET" => {
                    let queue = &state.queues[index];
                    ok(consumer_info(queue, &queue.consumers[at]))
                }
                "PUT" => {
                    let (script, dead_letter_queue) = match checked(state) {
                        Ok(valid) => valid,
                        Err(answer) => return answer,
                    };
                    let queue = &mut state.queues[index];
                    queue.modified_on = now_iso();
                    let consumer = &mut queue.consumers[at];
                    consumer.script = script;
                    consumer.dead_letter_queue = dead_letter_queue;
                    consumer.settings = settings;
                    consumer.writes += 1;
                    let consumer = consumer.clone();
                    ok(consumer_info(queue, &consumer))
                }
                "DELETE" => {
                    state.queues[index].consumers.remove(at);
                    ok(Value::Null)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A Worker consumer as the API describes it.
fn consumer_info(queue: &Queue, consumer: &ConsumerView) -> Value {
    json!({
        "consumer_id": consumer.id,
        "queue_id": queue.id,
        "queue_name": queue.name,
        "type": "worker",
        "script": consumer.script,
        "dead_letter_queue": consumer.dead_letter_queue,
        "settings": consumer.settings,
        "created_on": queue.created_on,
    })
}

fn d1_info(db: &D1) -> Value {
    json!({
        "uuid": db.uuid,
        "name": db.name,
        "created_at": db.created_at,
        "version": "production",
        "num_tables": 0,
        "file_size": 0,
        "created_in_region": "WEUR",
        "jurisdiction": null,
    })
}

fn kv_info(namespace: &Kv) -> Value {
    json!({"id": namespace.id, "title": namespace.title, "supports_url_encoding": true})
}

/// One statement's entry of a D1 `/query` answer.
fn d1_result(rows: Vec<Value>) -> Value {
    let read = rows.len();
    json!({
        "results": rows,
        "success": true,
        "meta": {
            "served_by": "fake-cloudflare",
            "duration": 0,
            "changes": 0,
            "last_row_id": 0,
            "changed_db": false,
            "size_after": 0,
            "rows_read": read,
            "rows_written": 0,
        },
    })
}

/// Answers what `wrangler d1 migrations apply --remote` sends, without an SQL engine: making the
/// migrations table, listing it, and a migration file followed by its bookkeeping `INSERT`.
/// Anything else succeeds with no rows and is kept. Like D1, one entry per statement.
fn d1_query(db: &mut D1, sql: &str) -> Answer {
    let normal = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let upper = normal.to_ascii_uppercase();
    let statements = split_statements(sql);
    let empty = |n: usize| {
        ok(Value::Array(
            (0..n.max(1)).map(|_| d1_result(vec![])).collect(),
        ))
    };
    if upper.starts_with("CREATE TABLE IF NOT EXISTS D1_MIGRATIONS") {
        db.migrations_table = true;
        return empty(statements.len());
    }
    if upper.trim_end_matches(';').trim() == "SELECT * FROM D1_MIGRATIONS ORDER BY ID" {
        if !db.migrations_table {
            return error(400, 7500, "no such table: d1_migrations: SQLITE_ERROR");
        }
        let rows = db
            .migrations
            .iter()
            .enumerate()
            .map(|(i, (name, _, at))| json!({"id": i + 1, "name": name, "applied_at": at}))
            .collect();
        return ok(json!([d1_result(rows)]));
    }
    if let Some((before, name)) = migration_insert(sql) {
        if !db.migrations_table {
            return error(400, 7500, "no such table: d1_migrations: SQLITE_ERROR");
        }
        if db.migrations.iter().any(|(applied, _, _)| *applied == name) {
            let message = "UNIQUE constraint failed: d1_migrations.name: SQLITE_CONSTRAINT";
            return error(400, 7500, message);
        }
        let at = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
        db.migrations.push((name, before, at));
        return empty(statements.len());
    }
    db.queries.push(sql.to_owned());
    empty(statements.len())
}

/// A migration's SQL and file name, when `sql` ends with
/// `INSERT INTO d1_migrations (name) values ('<file>');`.
fn migration_insert(sql: &str) -> Option<(String, String)> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.rfind("INSERT INTO D1_MIGRATIONS")?;
    let tail = sql[at..].split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = tail.strip_prefix("INSERT INTO d1_migrations (name) values ('")?;
    let (name, end) = rest.split_once('\'')?;
    if !matches!(end.trim(), ")" | ");") {
        return None;
    }
    Some((sql[..at].trim().to_owned(), name.to_owned()))
}

/// Splits SQL into statements at semicolons outside strings and comments; in a
/// `CREATE TRIGGER`, only at the semicolon after its `END`.
fn split_statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut chars = sql.chars().peekable();
    let end_word = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word).to_ascii_uppercase());
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                end_word(&mut word, &mut words);
                current.push(c);
                for inner in chars.by_ref() {
                    current.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                end_word(&mut word, &mut words);
                for inner in chars.by_ref() {
                    if inner == '\n' {
                        current.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                end_word(&mut word, &mut words);
                chars.next();
                let mut last = ' ';
                for inner in chars.by_ref() {
                    if last == '*' && inner == '/' {
                        break;
                    }
                    last = inner;
                }
                current.push(' ');
            }
            ';' => {
                end_word(&mut word, &mut words);
                let trigger = words.first().is_some_and(|w| w == "CREATE")
                    && words.iter().take(3).any(|w| w == "TRIGGER");
                if trigger && words.last().is_none_or(|w| w != "END") {
                    current.push(c);
                    words.push(";".into());
                    continue;
                }
                if !current.trim().is_empty() {
                    current.push(';');
                    statements.push(current.trim().to_owned());
                }
                current.clear();
                words.clear();
            }
            _ => {
                if c.is_alphanumeric() || c == '_' {
                    word.push(c);
                } else {
                    end_word(&mut word, &mut words);
                }
                current.push(c);
            }
        }
    }
    if !current.trim().is_empty() {
        statements.push(current.trim().to_owned());
    }
    statements
}

fn worker_route(state: &mut State, name: &str, rest: &[&str], req: &Incoming) -> Answer {
    let not_found = || error(404, 10007, "workers.api.error.script_not_found");
    let uploading = matches!((req.method, rest), ("PUT", []) | ("POST", ["versions"]));
    if uploading && let Err(answer) = validate_upload(state, &req.parts) {
        return answer;
    }
    match (req.method, rest) {
        // A full upload: a new Worker (or a draft one for a secret), deployed at once.
        ("PUT", []) => {
            if !state.workers.contains_key(name) {
                let worker = state.new_worker();
                state.workers.insert(name.to_owned(), worker);
            }
            let version_id = state.new_uuid();
            let deployment_id = state.new_uuid();
            let etag = state.new_hex("etag");
            let worker = state.workers.get_mut(name)?;
            worker.etag = etag;
            store_upload(worker, &req.parts);
            worker
                .versions
                .insert(0, version(&version_id, worker.versions.len() + 1));
            worker.deployments.insert(
                0,
                json!({
                    "id": deployment_id, "created_on": now_iso(), "source": "wrangler",
                    "strategy": "percentage",
                    "versions": [{"version_id": version_id, "percentage": 100}],
                    "annotations": {}, "author_email": "deploy@example.test",
                }),
            );
            let has_assets = worker
                .metadata
                .as_ref()
                .is_some_and(|m| m.get("assets").is_some());
            ok(json!({
                "id": name, "etag": worker.etag, "handlers": ["fetch", "scheduled"],
                "compatibility_date": worker.metadata.as_ref().map(|m| m["compatibility_date"].clone()),
                "created_on": worker.created_on, "modified_on": worker.modified_on,
                "usage_model": "standard", "startup_time_ms": 1,
                "deployment_id": version_id, "has_assets": has_assets, "has_modules": true,
            }))
        }
        // Allowed before the script exists: asks for every hash not seen yet, one per bucket.
        ("POST", ["assets-upload-session"]) => {
            let manifest = req.body.as_ref().and_then(|b| b["manifest"].as_object());
            let mut missing: Vec<String> = Vec::new();
            for entry in manifest.into_iter().flat_map(|m| m.values()) {
                if let Some(hash) = entry["hash"].as_str()
                    && !state.assets.contains(hash)
                    && !missing.iter().any(|h| h == hash)
                {
                    missing.push(hash.to_owned());
                }
            }
            let jwt = if missing.is_empty() {
                COMPLETION_JWT
            } else {
                UPLOAD_JWT
            };
            let buckets: Vec<Vec<String>> = missing.into_iter().map(|h| vec![h]).collect();
            Some((201, envelope(json!({"jwt": jwt, "buckets": buckets}))))
        }
        _ if !state.workers.contains_key(name) => not_found(),
        ("DELETE", []) => {
            state.workers.remove(name);
            ok(Value::Null)
        }
        ("POST", ["versions"]) => {
            let version_id = state.new_uuid();
            let etag = state.new_hex("etag");
            let worker = state.workers.get_mut(name)?;
            worker.etag = etag;
            store_upload(worker, &req.parts);
            let number = worker.versions.len() + 1;
            let made = version(&version_id, number);
            worker.versions.insert(0, made.clone());
            let bindings: Vec<Value> = worker
                .bindings
                .iter()
                .map(|(kind, name)| json!({"type": kind, "name": name}))
                .collect();
            ok(json!({
                "id": version_id, "number": number, "startup_time_ms": 1,
                "resources": {
                    "script": {"etag": worker.etag, "handlers": ["fetch", "scheduled"]},
                    "bindings": bindings,
                },
                "metadata": made["metadata"],
            }))
        }
        ("GET", ["versions"]) => {
            let worker = state.workers.get(name)?;
            let mut answer = page(worker.versions.clone(), &req.query, 10)?;
            answer.1["result"] = json!({"items": answer.1["result"].take()});
            Some(answer)
        }
        ("GET", ["versions", id]) => {
            let worker = state.workers.get(name)?;
            let Some(found) = worker.versions.iter().find(|v| v["id"] == *id) else {
                return error(404, 10000, "version not found");
            };
            let mut found = found.clone();
            found["resources"] = json!({
                "script": {"etag": worker.etag},
                "bindings": binding_values(&worker.bindings),
                "script_runtime": {"compatibility_date": "2026-04-01"},
            });
            ok(found)
        }
        ("GET", ["deployments"]) => {
            let worker = state.workers.get(name)?;
            ok(json!({"deployments": worker.deployments}))
        }
        ("POST", ["deployments"]) => {
            let id = state.new_uuid();
            let worker = state.workers.get_mut(name)?;
            let body = req.body.clone().unwrap_or(Value::Null);
            let strategy = body.get("strategy").cloned().unwrap_or(json!("percentage"));
            let deployment = json!({
                "id": id, "created_on": now_iso(), "source": "wrangler",
                "strategy": strategy,
                "versions": body.get("versions").cloned().unwrap_or(json!([])),
                "annotations": body.get("annotations").cloned().unwrap_or(json!({})),
                "author_email": "deploy@example.test",
            });
            worker.deployments.insert(0, deployment.clone());
            ok(deployment)
        }
        ("GET" | "PATCH", ["script-settings"]) => ok(json!({
            "logpush": false, "tail_consumers": null,
            "observability": {"enabled": false}, "tags": [],
        })),
        ("GET", ["settings"]) => {
            let worker = state.workers.get(name)?;
            ok(json!({
                "bindings": binding_values(&worker.bindings),
                "compatibility_date": "2026-04-01",
            }))
        }
        // `wrangler secret bulk`: the settings part lists the bindings to keep, secrets with text.
        ("PATCH", ["settings"]) => {
            let worker = state.workers.get_mut(name)?;
            let settings = req
                .parts
                .iter()
                .find(|p| p.name == "settings")
                .and_then(|p| serde_json::from_slice::<Value>(&p.data).ok())
                .unwrap_or(Value::Null);
            let given = settings["bindings"].as_array().cloned().unwrap_or_default();
            let named = |b: &Value| b["name"].as_str().unwrap_or_default().to_owned();
            let names: BTreeSet<String> = given.iter().map(named).collect();
            worker.secrets.retain(|secret, _| names.contains(secret));
            for binding in &given {
                if binding["type"] == "secret_text"
                    && let Some(text) = binding["text"].as_str()
                {
                    worker.secrets.insert(named(binding), text.to_owned());
                }
            }
            worker.bindings = given
                .iter()
                .map(|b| (b["type"].as_str().unwrap_or_default().to_owned(), named(b)))
                .collect();
            ok(json!({"bindings": binding_values(&worker.bindings)}))
        }
        ("PUT", ["secrets"]) => {
            let worker = state.workers.get_mut(name)?;
            let body = req.body.clone().unwrap_or(Value::Null);
            let Some(secret) = body["name"].as_str() else {
                return error(400, 10000, "a secret needs a name");
            };
            let text = body["text"].as_str().unwrap_or_default();
            worker.secrets.insert(secret.to_owned(), text.to_owned());
            if !worker.bindings.iter().any(|(_, bound)| bound == secret) {
                worker
                    .bindings
                    .push(("secret_text".into(), secret.to_owned()));
            }
            let kind = body["type"].as_str().unwrap_or("secret_text");
            ok(json!({"name": secret, "type": kind}))
        }
        ("GET", ["secrets"]) => {
            let worker = state.workers.get(name)?;
            let secrets: Vec<Value> = worker
                .secrets
                .keys()
                .map(|secret| json!({"name": secret, "type": "secret_text"}))
                .collect();
            ok(json!(secrets))
        }
        ("GET", ["subdomain"]) => {
            let worker = state.workers.get(name)?;
            ok(json!({"enabled": worker.workers_dev, "previews_enabled": worker.previews_enabled}))
        }
        ("POST", ["subdomain"]) => {
            let worker = state.workers.get_mut(name)?;
            let body = req.body.clone().unwrap_or(Value::Null);
            worker.workers_dev = body["enabled"].as_bool().unwrap_or(false);
            if let Some(previews) = body["previews_enabled"].as_bool() {
                worker.previews_enabled = previews;
            }
            ok(json!({"enabled": worker.workers_dev, "previews_enabled": worker.previews_enabled}))
        }
        ("PUT", ["schedules"]) => {
            let worker = state.workers.get_mut(name)?;
            let given = req
                .body
                .as_ref()
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            worker.schedules = given
                .iter()
                .filter_map(|s| s["cron"].as_str().map(str::to_owned))
                .collect();
            ok(json!({"schedules": schedule_values(&worker.schedules)}))
        }
        ("GET", ["schedules"]) => {
            let worker = state.workers.get(name)?;
            ok(json!({"schedules": schedule_values(&worker.schedules)}))
        }
        _ => None,
    }
}

fn version(id: &str, number: usize) -> Value {
    json!({
        "id": id,
        "number": number,
        "metadata": {
            "created_on": now_iso(),
            "source": "wrangler",
            "author_email": "deploy@example.test",
        },
        "annotations": {},
    })
}

fn binding_values(bindings: &[(String, String)]) -> Vec<Value> {
    bindings
        .iter()
        .map(|(kind, name)| json!({"type": kind, "name": name}))
        .collect()
}

fn schedule_values(schedules: &[String]) -> Vec<Value> {
    schedules
        .iter()
        .map(|cron| json!({"cron": cron, "created_on": now_iso(), "modified_on": now_iso()}))
        .collect()
}

/// Refuses, like the real API, an upload without metadata, or whose D1, KV or queue bindings
/// name resources the fake did not make (10021 / 10041 / 11000), or whose assets JWT is not a
/// completion one.
fn validate_upload(state: &State, parts: &[RawPart]) -> Result<(), Answer> {
    let Some(metadata) = parts
        .iter()
        .find(|p| p.name == "metadata")
        .and_then(|p| serde_json::from_slice::<Value>(&p.data).ok())
    else {
        return Err(error(
            400,
            10021,
            "Uncaught Error: No metadata part in upload",
        ));
    };
    for binding in metadata["bindings"].as_array().into_iter().flatten() {
        let name = binding["name"].as_str().unwrap_or_default();
        match binding["type"].as_str() {
            Some("d1") => {
                let id = binding["id"].as_str().unwrap_or_default();
                if !state.d1.iter().any(|db| db.uuid == id) {
                    let message =
                        format!("binding {name} of type d1 must have a valid `id` specified");
                    return Err(error(400, 10021, &message));
                }
            }
            Some("kv_namespace") => {
                let id = binding["namespace_id"].as_str().unwrap_or_default();
                if !state.kv.iter().any(|ns| ns.id == id) {
                    let message = format!("KV namespace '{id}' is not valid.");
                    return Err(error(400, 10041, &message));
                }
            }
            Some("queue") => {
                let queue = binding["queue_name"].as_str().unwrap_or_default();
                if !state.queues.iter().any(|q| q.name == queue) {
                    let message = format!("Queue \"{queue}\" does not exist (binding {name})");
                    return Err(error(400, 11000, &message));
                }
            }
            _ => {}
        }
    }
    if let Some(assets) = metadata.get("assets")
        && assets["jwt"] != COMPLETION_JWT
    {
        let message = "fake: assets jwt is not a completion token";
        return Err(error(400, 10000, message));
    }
    Ok(())
}

/// Keeps an accepted upload: its metadata, modules, bindings and plain-text vars. Like the real
/// API, `inherit` bindings and secrets carry over from the previous version.
fn store_upload(worker: &mut Worker, parts: &[RawPart]) {
    worker.uploads += 1;
    worker.modified_on = now_iso();
    let metadata = parts
        .iter()
        .find(|p| p.name == "metadata")
        .and_then(|p| serde_json::from_slice::<Value>(&p.data).ok());
    worker.modules = parts
        .iter()
        .filter(|p| p.name != "metadata")
        .map(RawPart::summary)
        .collect();
    if let Some(metadata) = &metadata {
        let old = std::mem::take(&mut worker.bindings);
        let old_vars = std::mem::take(&mut worker.vars);
        for binding in metadata["bindings"].as_array().into_iter().flatten() {
            let name = binding["name"].as_str().unwrap_or_default().to_owned();
            let kind = binding["type"].as_str().unwrap_or_default().to_owned();
            if kind == "inherit" {
                if let Some(kept) = old.iter().find(|(_, bound)| *bound == name) {
                    worker.bindings.push(kept.clone());
                }
                if let Some(text) = old_vars.get(&name) {
                    worker.vars.insert(name.clone(), text.clone());
                }
                continue;
            }
            let text = binding["text"].as_str().unwrap_or_default();
            if kind == "secret_text" {
                worker.secrets.insert(name.clone(), text.to_owned());
            }
            if kind == "plain_text" {
                worker.vars.insert(name.clone(), text.to_owned());
            }
            worker.bindings.push((kind, name));
        }
        for secret in worker.secrets.keys() {
            if !worker.bindings.iter().any(|(_, bound)| bound == secret) {
                worker.bindings.push(("secret_text".into(), secret.clone()));
            }
        }
    }
    worker.metadata = metadata;
}

/// One part of a multipart body, with its bytes.
struct RawPart {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl RawPart {
    fn summary(&self) -> Part {
        let json = if matches!(self.name.as_str(), "metadata" | "settings") {
            serde_json::from_slice(&self.data).ok()
        } else {
            None
        };
        Part {
            name: self.name.clone(),
            filename: self.filename.clone(),
            content_type: self.content_type.clone(),
            size: self.data.len(),
            json,
        }
    }
}

/// The parts of a `multipart/form-data` body (boundary from `content_type`); empty when it is
/// not one.
fn multipart(content_type: &str, body: &[u8]) -> Vec<RawPart> {
    let Some(boundary) = content_type.split(';').find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
    }) else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}").into_bytes();
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = find(body, &delimiter, from) {
        starts.push(at);
        from = at + delimiter.len();
    }
    let mut parts = Vec::new();
    for pair in starts.windows(2) {
        let chunk = &body[pair[0] + delimiter.len()..pair[1]];
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let Some(split) = find(chunk, b"\r\n\r\n", 0) else {
            continue;
        };
        let head = String::from_utf8_lossy(&chunk[..split]);
        let mut part = RawPart {
            name: String::new(),
            filename: None,
            content_type: None,
            data: chunk[split + 4..].to_vec(),
        };
        for line in head.split("\r\n") {
            let Some((field, value)) = line.split_once(':') else {
                continue;
            };
            if field.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_owned());
            } else if field.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';') {
                    let Some((key, value)) = param.trim().split_once('=') else {
                        continue;
                    };
                    let value = value.trim().trim_matches('"').to_owned();
                    match key.trim().to_ascii_lowercase().as_str() {
                        "name" => part.name = value,
                        "filename" => part.filename = Some(value),
                        _ => {}
                    }
                }
            }
        }
        parts.push(part);
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&at| haystack[at..].starts_with(needle))
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
    const TOKEN: &str = "test-token";

    /// Sends `method url` with the API token (or `bearer`) and an optional body; status and JSON.
    fn send(
        fake: &FakeCloudflare,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        bearer: &str,
    ) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", fake.base_url()))
            .header("Authorization", format!("Bearer {bearer}"));
        let result = match body {
            Some((content_type, bytes)) => agent.run(
                builder
                    .header("Content-Type", content_type)
                    .body(bytes)
                    .expect("a request"),
            ),
            None => agent.run(builder.body(()).expect("a request")),
        };
        let mut response = result.expect("the fake answers");
        let status = response.status().as_u16();
        let json = response.body_mut().read_json::<Value>().expect("JSON");
        (status, json)
    }

    fn api(fake: &FakeCloudflare, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|b| ("application/json", b.to_string().into_bytes()));
        send(fake, method, path, body, TOKEN)
    }

    fn account(path: &str) -> String {
        format!("/accounts/{ACCOUNT}{path}")
    }

    #[test]
    fn d1_create_list_and_migrations() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let (status, made) = api(
            &fake,
            "POST",
            &account("/d1/database"),
            Some(json!({"name": "waypost"})),
        );
        assert_eq!(status, 200, "{made}");
        let uuid = made["result"]["uuid"].as_str().expect("a uuid").to_owned();
        assert_eq!(uuid.len(), 36);
        let (status, again) = api(
            &fake,
            "POST",
            &account("/d1/database"),
            Some(json!({"name": "waypost"})),
        );
        assert_eq!(
            (status, again["errors"][0]["code"].clone()),
            (400, json!(7502))
        );

        let (status, list) = api(
            &fake,
            "GET",
            &account("/d1/database?per_page=10&page=1"),
            None,
        );
        assert_eq!(status, 200);
        assert_eq!(list["result"][0]["uuid"], json!(uuid));
        let (_, past) = api(
            &fake,
            "GET",
            &account("/d1/database?per_page=10&page=2"),
            None,
        );
        assert_eq!(past["result"], json!([]));
        assert_eq!(fake.d1_databases(), vec![("waypost".into(), uuid.clone())]);

        let query = account(&format!("/d1/database/{uuid}/query"));
        let sql = |sql: &str| Some(json!({ "sql": sql }));
        let create = "CREATE TABLE IF NOT EXISTS d1_migrations(\n\t\tid INTEGER PRIMARY KEY \
            AUTOINCREMENT,\n\t\tname TEXT UNIQUE,\n\t\tapplied_at TIMESTAMP DEFAULT \
            CURRENT_TIMESTAMP NOT NULL\n);";
        let list_sql = "SELECT *\n\t\tFROM d1_migrations\n\t\tORDER BY id";
        assert_eq!(api(&fake, "POST", &query, sql(create)).0, 200);
        let (_, none) = api(&fake, "POST", &query, sql(list_sql));
        assert_eq!(none["result"][0]["results"], json!([]));
        assert_eq!(none["result"][0]["success"], json!(true));

        let files = [
            (
                "0001_initial.sql",
                "CREATE TABLE a (x TEXT);\nCREATE TABLE b (y TEXT);",
            ),
            (
                "0002_trigger.sql",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET y = 'a;b'; END;",
            ),
        ];
        for (file, text) in files {
            let body = format!(
                "{text}\n\t\t\t\t\t\t\t\tINSERT INTO d1_migrations (name)\n\t\t\t\t\t\t\t\t\
                 values ('{file}');\n\t\t\t\t\t\t"
            );
            let (status, applied) = api(&fake, "POST", &query, sql(&body));
            assert_eq!(status, 200, "{applied}");
            let entries = applied["result"].as_array().expect("entries");
            assert!(entries.iter().all(|e| e["success"] == json!(true)));
            let statements = if file == "0001_initial.sql" { 3 } else { 2 };
            assert_eq!(entries.len(), statements, "{file}: {applied}");
        }
        let (_, listed) = api(&fake, "POST", &query, sql(list_sql));
        let names: Vec<&Value> = listed["result"][0]["results"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|row| &row["name"])
            .collect();
        assert_eq!(
            names,
            [&json!("0001_initial.sql"), &json!("0002_trigger.sql")]
        );
        assert_eq!(listed["result"][0]["results"][1]["id"], json!(2));
        assert_eq!(
            fake.migrations(&uuid),
            ["0001_initial.sql", "0002_trigger.sql"]
        );
        assert_eq!(
            fake.migration_sql(&uuid)[0].1,
            "CREATE TABLE a (x TEXT);\nCREATE TABLE b (y TEXT);"
        );

        let (status, other) = api(&fake, "POST", &query, sql("SELECT 1;"));
        assert_eq!(
            (status, other["result"][0]["results"].clone()),
            (200, json!([]))
        );
        assert_eq!(fake.d1_queries(&uuid), ["SELECT 1;"]);
        let unknown = account("/d1/database/nope/query");
        let (status, missing) = api(&fake, "POST", &unknown, sql("SELECT 1"));
        assert_eq!(
            (status, missing["errors"][0]["code"].clone()),
            (404, json!(7404))
        );
        assert_eq!(fake.count("POST", "/query"), 7);
        assert!(fake.unhandled().is_empty());
    }

    #[test]
    fn kv_create_list_and_the_end_of_the_pages() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let namespaces = account("/storage/kv/namespaces");
        for title in ["waypost-carrier-cache", "another"] {
            let (status, made) = api(&fake, "POST", &namespaces, Some(json!({ "title": title })));
            assert_eq!(status, 200, "{made}");
            assert_eq!(made["result"]["supports_url_encoding"], json!(true));
            assert_eq!(made["result"]["id"].as_str().map(str::len), Some(32));
        }
        let (status, twice) = api(
            &fake,
            "POST",
            &namespaces,
            Some(json!({"title": "another"})),
        );
        assert_eq!(
            (status, twice["errors"][0]["code"].clone()),
            (400, json!(10014))
        );

        let list = format!("{namespaces}?per_page=1000&order=title&direction=asc");
        let (_, first) = api(&fake, "GET", &list, None);
        let titles: Vec<&Value> = first["result"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|ns| &ns["title"])
            .collect();
        assert_eq!(titles, [&json!("another"), &json!("waypost-carrier-cache")]);
        let (status, end) = api(&fake, "GET", &format!("{list}&page=2"), None);
        assert_eq!((status, end["result"].clone()), (200, json!([])));
        let (_, small) = api(
            &fake,
            "GET",
            &format!("{namespaces}?per_page=1&page=2"),
            None,
        );
        assert_eq!(small["result"][0]["title"], json!("waypost-carrier-cache"));
        assert_eq!(small["result_info"]["total_count"], json!(2));
        assert_eq!(fake.kv_namespaces().len(), 2);
        assert_eq!(fake.count("GET", "/storage/kv/namespaces"), 3);
    }

    #[test]
    fn queues_create_list_by_page_and_by_name_and_their_consumers() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let queues = account("/queues");
        for n in 0..21 {
            fake.add_queue(&format!("filler-{n:02}"));
        }
        let (status, made) = api(&fake, "POST", &queues, Some(json!({"queue_name": "jobs"})));
        assert_eq!(status, 200, "{made}");
        let id = made["result"]["queue_id"]
            .as_str()
            .expect("an id")
            .to_owned();
        assert_eq!(id.len(), 32);
        assert_eq!(made["result"]["consumers"], json!([]));
        let (status, twice) = api(&fake, "POST", &queues, Some(json!({"queue_name": "jobs"})));
        assert_eq!(
            (status, twice["errors"][0]["code"].clone()),
            (409, json!(11009))
        );
        let (status, _) = api(&fake, "POST", &queues, Some(json!({"queue_name": "No"})));
        assert_eq!(status, 400);

        let (_, first) = api(&fake, "GET", &format!("{queues}?page=1"), None);
        assert_eq!(first["result"].as_array().map(Vec::len), Some(20));
        assert_eq!(first["result_info"]["total_count"], json!(22));
        let (_, second) = api(&fake, "GET", &format!("{queues}?page=2"), None);
        assert_eq!(second["result"][0]["queue_name"], json!("filler-20"));
        assert_eq!(second["result"][1]["queue_name"], json!("jobs"));
        let (_, past) = api(&fake, "GET", &format!("{queues}?page=3"), None);
        assert_eq!(past["result"], json!([]));
        let (_, named) = api(
            &fake,
            "GET",
            &format!("{queues}?name=jobs&name=dlq&name=filler-03&page=1"),
            None,
        );
        let names: Vec<&Value> = named["result"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|q| &q["queue_name"])
            .collect();
        assert_eq!(names, [&json!("filler-03"), &json!("jobs")]);
        let (status, one) = api(&fake, "GET", &format!("{queues}/{id}"), None);
        assert_eq!(
            (status, one["result"]["queue_name"].clone()),
            (200, json!("jobs"))
        );
        let (status, _) = api(&fake, "GET", &format!("{queues}/nope"), None);
        assert_eq!(status, 404);

        // A consumer needs its Worker and its dead-letter queue to exist.
        let consumers = format!("{queues}/{id}/consumers");
        let consumer = |dlq: &str| {
            json!({"type": "worker", "script_name": "edge", "dead_letter_queue": dlq,
                "settings": {"batch_size": 10, "max_retries": 8}})
        };
        let (status, _) = api(&fake, "POST", &consumers, Some(consumer("dlq")));
        assert_eq!(status, 400, "no such Worker yet");
        fake.add_existing_worker("edge");
        let (status, _) = api(&fake, "POST", &consumers, Some(consumer("dlq")));
        assert_eq!(status, 400, "no such dead-letter queue yet");
        fake.add_queue("dlq");
        let (status, attached) = api(&fake, "POST", &consumers, Some(consumer("dlq")));
        assert_eq!(status, 200, "{attached}");
        assert_eq!(attached["result"]["script"], json!("edge"));
        let consumer_id = attached["result"]["consumer_id"]
            .as_str()
            .expect("an id")
            .to_owned();
        let (status, _) = api(&fake, "POST", &consumers, Some(consumer("dlq")));
        assert_eq!(status, 400, "one Worker consumer per queue");
        let (_, listed) = api(&fake, "GET", &consumers, None);
        assert_eq!(listed["result"][0]["consumer_id"], json!(consumer_id));
        let (_, seen) = api(&fake, "GET", &format!("{queues}?name=jobs"), None);
        assert_eq!(seen["result"][0]["consumers"][0]["script"], json!("edge"));
        assert_eq!(seen["result"][0]["consumers_total_count"], json!(1));
        let mut changed = consumer("dlq");
        changed["settings"]["batch_size"] = json!(5);
        let one_consumer = format!("{consumers}/{consumer_id}");
        assert_eq!(api(&fake, "PUT", &one_consumer, Some(changed)).0, 200);
        let view = fake.queue("jobs").expect("the queue");
        assert_eq!(view.consumers.len(), 1);
        assert_eq!(view.consumers[0].writes, 2);
        assert_eq!(view.consumers[0].settings["batch_size"], json!(5));
        assert_eq!(view.consumers[0].dead_letter_queue.as_deref(), Some("dlq"));
        assert_eq!(api(&fake, "DELETE", &one_consumer, None).0, 200);
        assert!(fake.queue("jobs").expect("the queue").consumers.is_empty());
        assert_eq!(fake.queues().len(), 23);
        assert!(fake.unhandled().is_empty());
    }

    #[test]
    fn refuses_other_tokens_and_accounts() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let (status, body) = send(&fake, "GET", &account("/d1/database"), None, "wrong");
        assert_eq!((status, body["success"].clone()), (403, json!(false)));
        let (status, body) = api(&fake, "GET", "/accounts/other/d1/database", None);
        assert_eq!(
            (status, body["errors"][0]["code"].clone()),
            (403, json!(9109))
        );
        let (status, _) = api(&fake, "GET", &account("/nothing/here"), None);
        assert_eq!(status, 404);
        let unhandled = fake.unhandled();
        assert_eq!(unhandled.len(), 1);
        assert_eq!(unhandled[0].path, account("/nothing/here"));
    }

    #[test]
    fn injected_failures() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let databases = account("/d1/database");
        fake.fail_next("POST", "/d1/database", 500);
        let (status, body) = api(&fake, "POST", &databases, Some(json!({"name": "a"})));
        assert_eq!(
            (status, body["errors"][0]["code"].clone()),
            (500, json!(10013))
        );
        assert!(fake.d1_databases().is_empty());
        assert_eq!(
            api(&fake, "POST", &databases, Some(json!({"name": "a"}))).0,
            200
        );

        fake.fail_matching("*", "/storage/kv", 429);
        let kv = account("/storage/kv/namespaces");
        assert_eq!(api(&fake, "GET", &kv, None).0, 429);
        assert_eq!(api(&fake, "POST", &kv, Some(json!({"title": "t"}))).0, 429);
        fake.heal();
        assert_eq!(api(&fake, "GET", &kv, None).0, 200);
        let calls = fake.calls();
        assert_eq!(calls.iter().filter(|c| c.injected).count(), 3);
        assert_eq!(calls[0].status, 500);
        assert_eq!(calls[0].body, Some(json!({"name": "a"})));
    }

    /// A multipart body as wrangler sends one: a `metadata` part and a module.
    fn upload(metadata: &Value) -> (String, Vec<u8>) {
        let boundary = "----formdata-fake-0123";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\
             Content-Type: text/plain\r\n\r\n{metadata}\r\n--{boundary}\r\n\
             Content-Disposition: form-data; name=\"shim.js\"; filename=\"shim.js\"\r\n\
             Content-Type: application/javascript+module\r\n\r\nexport default {{}};\r\n\
             --{boundary}--\r\n"
        );
        (
            format!("multipart/form-data; boundary={boundary}"),
            body.into_bytes(),
        )
    }

    #[test]
    fn deploys_keep_secrets_and_refuse_unknown_resources() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let (_, db) = api(
            &fake,
            "POST",
            &account("/d1/database"),
            Some(json!({"name": "waypost"})),
        );
        let db = db["result"]["uuid"].clone();
        let script = account("/workers/scripts/edge");
        assert_eq!(
            api(&fake, "GET", &account("/workers/services/edge"), None).0,
            404
        );

        let session = format!("{script}/assets-upload-session");
        let manifest = json!({"manifest": {"/a.js": {"hash": "aa", "size": 1}}});
        let (status, started) = api(&fake, "POST", &session, Some(manifest.clone()));
        assert_eq!(status, 201);
        assert_eq!(started["result"]["buckets"], json!([["aa"]]));
        let asset = b"--b\r\nContent-Disposition: form-data; name=\"aa\"; filename=\"aa\"\r\n\
            Content-Type: text/javascript\r\n\r\nYQ==\r\n--b--\r\n"
            .to_vec();
        let assets = account("/workers/assets/upload?base64=true");
        let kind = "multipart/form-data; boundary=b";
        let refused = send(&fake, "POST", &assets, Some((kind, asset.clone())), TOKEN);
        assert_eq!(refused.0, 403);
        let (status, done) = send(&fake, "POST", &assets, Some((kind, asset)), UPLOAD_JWT);
        assert_eq!(
            (status, done["result"]["jwt"].clone()),
            (201, json!(COMPLETION_JWT))
        );
        let (_, again) = api(&fake, "POST", &session, Some(manifest));
        assert_eq!(again["result"]["buckets"], json!([]));

        let bindings = |kv: &str| {
            json!({
                "main_module": "shim.js",
                "bindings": [
                    {"name": "DB", "type": "d1", "id": db},
                    {"name": "CACHE", "type": "kv_namespace", "namespace_id": kv},
                    {"name": "ADMIN_TOKEN", "type": "secret_text", "text": "t"},
                    {"name": "PUBLIC_URL", "type": "plain_text", "text": "https://a.example"},
                ],
                "assets": {"jwt": COMPLETION_JWT},
            })
        };
        let (kind, body) = upload(&bindings("nope"));
        let put = format!("{script}?excludeScript=true&bindings_inherit=strict");
        let (status, refused) = send(&fake, "PUT", &put, Some((&kind, body)), TOKEN);
        assert_eq!(
            (status, refused["errors"][0]["code"].clone()),
            (400, json!(10041))
        );
        assert!(fake.worker("edge").is_none());

        let (_, kv) = api(
            &fake,
            "POST",
            &account("/storage/kv/namespaces"),
            Some(json!({"title": "cache"})),
        );
        let kv = kv["result"]["id"].as_str().expect("an id").to_owned();
        let (kind, body) = upload(&bindings(&kv));
        let (status, put_answer) = send(&fake, "PUT", &put, Some((&kind, body)), TOKEN);
        assert_eq!(status, 200, "{put_answer}");
        let schedules = format!("{script}/schedules");
        let crons = json!([{"cron": "*/15 * * * *"}]);
        assert_eq!(api(&fake, "PUT", &schedules, Some(crons)).0, 200);
        let subdomain = format!("{script}/subdomain");
        assert_eq!(
            api(&fake, "POST", &subdomain, Some(json!({"enabled": true}))).0,
            200
        );

        // A later version without the secret keeps it; its var replaces the earlier one.
        let later = json!({"main_module": "shim.js", "bindings": [
            {"name": "DB", "type": "d1", "id": db},
            {"name": "PUBLIC_URL", "type": "plain_text", "text": "https://b.example"},
        ]});
        let (kind, body) = upload(&later);
        let versions = format!("{script}/versions");
        let (status, made) = send(&fake, "POST", &versions, Some((&kind, body)), TOKEN);
        assert_eq!(status, 200, "{made}");
        let secret = json!({"name": "INTEGRATIONS_KEY", "text": "k", "type": "secret_text"});
        assert_eq!(
            api(&fake, "PUT", &format!("{script}/secrets"), Some(secret)).0,
            200
        );

        let worker = fake.worker("edge").expect("the worker");
        assert_eq!(
            worker.bindings,
            [
                ("d1".to_owned(), "DB".to_owned()),
                ("plain_text".into(), "PUBLIC_URL".into()),
                ("secret_text".into(), "ADMIN_TOKEN".into()),
                ("secret_text".into(), "INTEGRATIONS_KEY".into()),
            ]
        );
        assert_eq!(
            worker.vars,
            [("PUBLIC_URL".to_owned(), "https://b.example".to_owned())]
        );
        assert_eq!(
            worker.secrets,
            [
                ("ADMIN_TOKEN".to_owned(), "t".to_owned()),
                ("INTEGRATIONS_KEY".into(), "k".into()),
            ]
        );
        assert_eq!(
            (worker.uploads, worker.versions, worker.deployments),
            (2, 2, 1)
        );
        assert_eq!(worker.schedules, ["*/15 * * * *"]);
        assert!(worker.workers_dev);
        assert_eq!(worker.modules.len(), 1);
        assert_eq!(worker.modules[0].filename.as_deref(), Some("shim.js"));
        let recorded = fake.calls();
        let put_call = recorded
            .iter()
            .find(|c| c.method == "PUT" && c.status == 200 && c.parts.len() == 2)
            .expect("the upload");
        assert_eq!(
            put_call.parts[0].json.as_ref().map(|m| &m["main_module"]),
            Some(&json!("shim.js"))
        );
        assert_eq!(put_call.query, "excludeScript=true&bindings_inherit=strict");
        assert_eq!(
            api(&fake, "GET", &account("/workers/services/edge"), None).0,
            200
        );
        assert!(fake.unhandled().is_empty());
    }

    #[test]
    fn wrangler_env_points_at_the_fake() {
        let fake = FakeCloudflare::start(ACCOUNT, TOKEN).expect("starts");
        let env = fake.wrangler_env();
        let get = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        assert_eq!(get("CLOUDFLARE_API_BASE_URL"), Some(fake.base_url()));
        assert!(fake.base_url().starts_with("http://127.0.0.1:"));
        assert!(fake.base_url().ends_with("/client/v4"));
        assert_eq!(get("CLOUDFLARE_API_TOKEN").as_deref(), Some(TOKEN));
        assert_eq!(get("CLOUDFLARE_ACCOUNT_ID").as_deref(), Some(ACCOUNT));
        assert_eq!(get("WRANGLER_SEND_METRICS").as_deref(), Some("false"));
    }
}
