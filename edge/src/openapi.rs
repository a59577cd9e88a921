//! The OpenAPI 3.1 document of API v1, served at `/v1/openapi.json`. Enum values come from the
//! shared crate's own lists, so the document cannot drift from the wire types; an end-to-end test
//! validates real responses against these schemas. Input schemas say what the handlers accept
//! (patterns for tracking and order numbers, text fields, event times), as far as JSON Schema can;
//! `cargo xtask fuzz` holds the Worker to the document.

use serde_json::{Map, Value, json};
use waypost_shared::action::{ActionKind, Actor};
use waypost_shared::detect::{Carrier, Confidence, MAX_INPUT_CHARS, MAX_TYPED_CHARS};
use waypost_shared::eta::EtaSource;
use waypost_shared::health::{Health, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::milestone::{Milestone, StepState};
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::{Channel, DeliveryState, KeyKind, Platform, Trigger, WebhookOutcome};

use crate::limits::{
    DEFAULT_PAGE, MAX_BODY_BYTES, MAX_DETECT_NUMBERS, MAX_EVENTS_PER_BATCH, MAX_FIELD_CHARS,
    MAX_HISTORY_DAYS, MAX_ORDER_NUMBER_CHARS, MAX_ORIGINS, MAX_PAGE, MAX_RETENTION_DAYS,
    MAX_TEXT_CHARS,
};
use crate::limits::{EXPORT_MAX_ROWS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, MAX_WEBHOOK_BYTES};
use crate::limits::{MAX_SENDER_NAME_CHARS, MAX_URL_CHARS, MAX_WEBHOOK_ENDPOINTS};
use crate::service::console_sessions::{CSRF_HEADER, SESSION_COOKIE, SESSION_SECONDS};
use crate::service::import_csv::HEADER_NAMES;
use crate::service::shipments_csv::HEADER;

/// The whole document.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Waypost API",
            "version": "1",
            "description": format!(
                "Tracking for shops. Public endpoints take a publishable key (`?key=pk_...` or `Authorization: Bearer pk_...`) \
                 and are rate limited per IP and per key (429 with `Retry-After`). Private endpoints take `Authorization: Bearer sk_...`, \
                 or, from the retailer console on this API's own origin, the `{SESSION_COOKIE}` session cookie that `POST /v1/console/session` sets; \
                 a write with the cookie carries the session's `csrf_token` in `{CSRF_HEADER}`. Errors are `application/problem+json` with a stable `code`. Bodies are at most {MAX_BODY_BYTES} bytes."
            ),
        },
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "publishable": { "type": "apiKey", "in": "query", "name": "key", "description": "pk_... publishable key" },
                "publishable_bearer": { "type": "http", "scheme": "bearer", "description": "pk_... publishable key (used when `?key=` is absent)" },
                "secret": { "type": "http", "scheme": "bearer", "description": "sk_... secret key" },
                "admin": { "type": "http", "scheme": "bearer", "description": "the ADMIN_TOKEN secret" },
                "console_session": {
                    "type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                    "description": format!("The retailer console's session (`POST /v1/console/session` sets it; HttpOnly, Secure, SameSite=Strict), from this API's own origin only; writes with it carry `{CSRF_HEADER}` (else 403 `csrf_failed`)"),
                }
            }
        }
    })
}

/// The examples are parcels and orders of the demo shop that `cargo xtask dev` seeds.
fn paths() -> Value {
    let r = reference;
    let mut number = path_param(
        "number",
        "A tracking number as typed: letters and digits, with spaces and dashes ignored; 1 to 64 letters and digits, at most 256 characters in all.",
        r("TrackingNumber"),
    );
    number["example"] = json!("1Z5R89390357567127");
    let mut customer = query_param(
        "email",
        "The customer's email (case and surrounding spaces ignored).",
        email(),
    );
    customer["required"] = json!(true);
    customer["example"] = json!("sam@example.com");
    let mut order = path_param(
        "order_number",
        "The shop's order number: 1 to 64 letters, digits, '-', '_', '.' or '#', not only dots.",
        r("OrderNumber"),
    );
    order["example"] = json!("1002");
    let platform = path_param("platform", "The shop platform.", r("Platform"));
    let mut lang = query_param(
        "lang",
        "Label language: en, es, fr or de, or a tag whose primary subtag is one of them (es-MX); anything else falls back to Accept-Language, then English.",
        string(),
    );
    lang["example"] = json!("es");
    let proof = json!({
        "name": "proof", "in": "query", "required": true, "style": "form", "explode": true,
        "description": "`?email=` or `?postal_code=` of the order (one is required; `email` wins when both are given). A wrong one answers like an unknown order.",
        "schema": {
            "type": "object",
            "properties": { "email": string(), "postal_code": string() },
            "minProperties": 1,
            "additionalProperties": false,
        },
        "example": { "email": "sam@example.com" },
    });
    let subscriptions = subscription_paths(&number, &lang);
    let list_params = [
        query_param("status", "Only this status.", r("Status")),
        query_param("carrier", "Only this carrier's (its code).", r("Carrier")),
        query_param("health", "Only this health now.", r("HealthValue")),
        query_param(
            "scanned",
            "With `health` only (else 400): `false`, only those the carrier has not scanned yet (`info_received` or `not_found`); `true`, the others.",
            boolean(),
        ),
        query_param(
            "order",
            "Only this order's shipments, oldest first, in one page (no cursor).",
            r("OrderNumber"),
        ),
        query_param(
            "cursor",
            "next_cursor of the previous page of the same query, as given.",
            json!({ "type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z~)?[A-Za-z0-9]{1,64}$" }),
        ),
    ];
    let mut paths = json!({
        "/healthz": { "get": operation("Liveness", OPEN, &[], &[(200, "Health")], None) },
        "/v1/openapi.json": { "get": operation("This document", OPEN, &[], &[(200, "Any")], None) },
        "/v1/carriers": { "get": operation("Carriers and formats detection knows", OPEN, &[], &[(200, "CarriersView")], None) },
        "/v1/detect": { "post": operation(
            &format!("Detects carriers for up to {MAX_DETECT_NUMBERS} numbers"),
            PUBLIC, &[], &[(200, "DetectResponse"), (400, "Problem"), (401, "Problem"), (413, "Problem"), (415, "Problem"), (429, "Problem")],
            Some("DetectRequest"),
        )},
        "/v1/track/{number}": { "get": operation(
            "The tracking view of a shipment, asked live of its carrier when the shop enabled it; `stale` with `age_seconds` when the carrier could not be asked; 404 carries what detection found",
            PUBLIC, &[number.clone(), lang.clone()], &[(200, "TrackingView"), (304, "Empty"), (400, "Problem"), (401, "Problem"), (404, "Problem"), (429, "Problem")], None,
        )},
        "/v1/orders/{order_number}": {
            "get": operation(
                "An order and all its parcels, for whoever knows its email or postal code; a wrong one, or a malformed order number, answers like an unknown order",
                PUBLIC,
                &[order.clone(), proof, lang.clone()],
                &[(200, "OrderView"), (304, "Empty"), (400, "Problem"), (401, "Problem"), (404, "Problem"), (429, "Problem")], None,
            ),
            "put": operation(
                "Creates or replaces an order's own state and customer contact",
                SECRET, &[order], &[(200, "OrderAck"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem")], Some("OrderInput"),
            )
        },
        "/v1/shipments/{number}": {
            "get": operation(
                "The shop's own shipment exactly as its customers see it (the tracking view of `GET /v1/track/{number}`), for the console; a number the shop does not hold is a 404 and no carrier is asked about it",
                SECRET, &[number.clone(), lang], &[(200, "TrackingView"), (304, "Empty"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (404, "Problem")], None,
            ),
            "put": operation(
                "Registers or updates a shipment (carrier detected when absent); 409 when other writes kept changing it (nothing written, retry)",
                SECRET, std::slice::from_ref(&number), &[(200, "TrackingView"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (409, "Problem"), (413, "Problem"), (415, "Problem")], Some("ShipmentInput"),
            ),
        },
        "/v1/shipments/{number}/events": { "post": operation(
            &format!("Pushes up to {MAX_EVENTS_PER_BATCH} events; idempotent, any order; one bad event rejects the batch; 409 when other writes kept changing the shipment (nothing written, retry)"),
            SECRET, &[number], &[(200, "EventBatchResult"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (409, "Problem"), (413, "Problem"), (415, "Problem")], Some("EventBatch"),
        )},
        "/v1/shipments": { "get": operation(
            "The shop's shipments, for watching what needs attention: by tracking number (an order's: `order`); with `health`, its matches only (a full page while matches remain), late ones longest late first, stalled ones longest quiet first",
            SECRET,
            &[list_params.as_slice(), &[query_param("limit", &format!("Page size, 1 to {MAX_PAGE} (default {DEFAULT_PAGE})."), json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE }))]].concat(),
            &[(200, "ShipmentList"), (400, "Problem"), (401, "Problem"), (403, "Problem")], None,
        )},
        "/v1/shipments.csv": { "get": export_operation(&list_params) },
        "/v1/shipments/counts": { "get": operation(
            "How many shipments the shop holds, by status and by health now (the console's needs-attention counts)",
            SECRET, &[], &[(200, "ShipmentCounts"), (401, "Problem"), (403, "Problem")], None,
        )},
        "/v1/shop": {
            "get": operation(
                "The shop's settings, with its publishable key (the widget snippet's)",
                SECRET, &[], &[(200, "ShopSettings"), (401, "Problem"), (403, "Problem")], None,
            ),
            "patch": operation(
                "Changes the settings given (each left out stays); a new allowed origin (or one taken away) counts at the next request here, within 30 s elsewhere",
                SECRET, &[], &[(200, "ShopSettings"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem")], Some("ShopSettingsInput"),
            ),
        },
        "/v1/shop/publishable-key": { "post": operation(
            "Gives the shop a new publishable key and revokes its others at once (the snippet must then carry the new one)",
            SECRET, &[], &[(200, "ShopSettings"), (401, "Problem"), (403, "Problem")], None,
        )},
        "/v1/customers": {
            "get": operation(
                "Everything personal the shop holds about one customer (a data-access request): their orders' contact, postal codes and parcels",
                SECRET, std::slice::from_ref(&customer), &[(200, "CustomerExport"), (400, "Problem"), (401, "Problem"), (403, "Problem")], None,
            ),
            "delete": operation(
                "Erases one customer's personal data across the shop's orders and their parcels' postal codes; the parcels stay trackable",
                SECRET, &[customer], &[(200, "CustomerErased"), (400, "Problem"), (401, "Problem"), (403, "Problem")], None,
            ),
        },
        "/v1/imports": { "post": import_operation() },
        "/v1/integrations/{platform}": {
            "put": operation(
                "Sets the secret a platform (Shopify, WooCommerce) signs this shop's webhooks with, replacing any before, and answers the webhook URL to paste into the platform; the secret is stored sealed and never shown again; 503 `not_configured` when the deployment has no INTEGRATIONS_KEY",
                SECRET, std::slice::from_ref(&platform), &[(200, "IntegrationView"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem"), (503, "Problem")], Some("IntegrationInput"),
            ),
            "get": operation(
                "The platform's webhook URL for this shop (never the secret)",
                SECRET, std::slice::from_ref(&platform), &[(200, "IntegrationView"), (401, "Problem"), (403, "Problem"), (404, "Problem")], None,
            ),
            "delete": operation(
                "Removes the platform's secret: its webhooks are refused from then on",
                SECRET, std::slice::from_ref(&platform), &[(204, "Empty"), (401, "Problem"), (403, "Problem"), (404, "Problem")], None,
            ),
        },
        "/v1/console/session": {
            "post": sign_in_operation(),
            "get": operation(
                "The console session of the cookie: its shop, its CSRF token and when it ends; 401 once it ended (expired, signed out, or its key revoked)",
                CONSOLE, &[], &[(200, "ConsoleSession"), (401, "Problem"), (403, "Problem")], None,
            ),
            "delete": sign_out_operation(),
        },
        "/v1/webhooks/17track": { "post": carrier_push_operation() },
        "/v1/webhooks/{platform}/{shop_id}": { "post": webhook_operation(platform) },
        "/v1/admin/shops": { "post": operation(
            "Creates a shop with a publishable and a secret key (the secret key is shown only here)",
            ADMIN, &[], &[(201, "ShopCreated"), (400, "Problem"), (401, "Problem"), (413, "Problem"), (415, "Problem")], Some("ShopInput"),
        )},
        "/v1/admin/shops/{shop_id}/keys": { "post": operation(
            "Creates another key for a shop",
            ADMIN, &[path_param("shop_id", "The shop.", string())], &[(201, "KeyCreated"), (400, "Problem"), (401, "Problem"), (404, "Problem"), (413, "Problem"), (415, "Problem")], Some("KeyInput"),
        )},
        "/v1/admin/shops/{shop_id}/keys/{key_id}": { "delete": operation(
            "Revokes a key at once",
            ADMIN, &[path_param("shop_id", "The shop.", string()), path_param("key_id", "The key's id.", string())], &[(204, "Empty"), (401, "Problem"), (404, "Problem")], None,
        )},
    });
    merge(&mut paths, notification_paths());
    merge(&mut paths, subscriptions);
    add_csrf_headers(&mut paths);
    paths
}

/// Adds the properties of `more` to the object `into`.
fn merge(into: &mut Value, more: Value) {
    if let (Some(into), Value::Object(more)) = (into.as_object_mut(), more) {
        into.extend(more);
    }
}

/// The customer's side of notifications: the widget's opt-in, and the pages the links in messages
/// open (their signed token is the credential; they answer HTML).
fn subscription_paths(number: &Value, lang: &Value) -> Value {
    let mut token = query_param(
        "token",
        "The signed token of the link, as the message gave it.",
        string(),
    );
    token["required"] = json!(true);
    let page = &[(200, "Page"), (400, "Page")];
    json!({
        "/v1/track/{number}/subscriptions": { "post": operation(
            "Asks for emails about the shop's parcel (double opt-in): a confirmation goes to the address, and nothing else until its link is followed; an address already asking gets no second one. 400 `invalid_email`; 404 for a parcel the shop does not hold",
            PUBLIC, &[number.clone(), lang.clone()], &[(202, "SubscriptionAck"), (400, "Problem"), (401, "Problem"), (404, "Problem"), (413, "Problem"), (415, "Problem"), (429, "Problem")], Some("SubscriptionInput"),
        )},
        "/v1/unsubscribe": {
            "get": operation("The page of an email's unsubscribe link: asks, changes nothing", OPEN, &[token.clone()], page, None),
            "post": operation("Unsubscribes the message's recipient from its order (RFC 8058 one-click, or the page's button)", OPEN, &[token.clone()], page, None),
        },
        "/v1/subscriptions/confirm": {
            "get": operation("The page of an opt-in's confirmation link: asks, changes nothing", OPEN, &[token.clone()], page, None),
            "post": operation("Confirms the opt-in: the address gets the parcel's messages from now on", OPEN, &[token], page, None),
        },
    })
}

/// The retailer's side of notifications: settings, webhook endpoints, the record of messages.
fn notification_paths() -> Value {
    let r = reference;
    let page = [
        query_param(
            "shipment",
            "Only this shipment's messages (a tracking number as typed).",
            r("TrackingNumber"),
        ),
        query_param("status", "Only messages in this state.", r("DeliveryState")),
        query_param(
            "cursor",
            "next_cursor of the previous page of the same query, as given.",
            json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z~[A-Za-z0-9_-]{1,64}$" }),
        ),
        query_param(
            "limit",
            &format!("Page size, 1 to {MAX_PAGE} (default {DEFAULT_PAGE})."),
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE }),
        ),
    ];
    let endpoint = path_param("endpoint_id", "The endpoint's id (`ep_...`).", string());
    json!({
        "/v1/notifications/settings": {
            "get": operation(
                "The shop's notification settings: the triggers and channels on, the sender, the tracking page (the defaults until it sets them)",
                SECRET, &[], &[(200, "NotificationSettings"), (401, "Problem"), (403, "Problem")], None,
            ),
            "put": operation(
                "Replaces the shop's notification settings whole (a field left out takes its default; each trigger and channel counted once); 400 `invalid_email`, `invalid_sender_name`, `invalid_tracking_page` or `invalid_quiet_hours` store nothing",
                SECRET, &[], &[(200, "NotificationSettings"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem")], Some("NotificationSettingsInput"),
            ),
        },
        "/v1/notifications/webhooks": {
            "post": operation(
                &format!("Adds an endpoint for the shop's Standard Webhooks, with its signing secret shown in this answer only (stored sealed); 400 `invalid_webhook_url`, or `too_many_endpoints` past {MAX_WEBHOOK_ENDPOINTS}; 503 `not_configured` when the deployment has no INTEGRATIONS_KEY"),
                SECRET, &[], &[(201, "WebhookEndpointView"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem"), (503, "Problem")], Some("WebhookEndpointInput"),
            ),
            "get": operation(
                "The shop's webhook endpoints, oldest first (never their secrets)",
                SECRET, &[], &[(200, "WebhookEndpointList"), (401, "Problem"), (403, "Problem")], None,
            ),
        },
        "/v1/notifications/webhooks/{endpoint_id}": { "delete": operation(
            "Removes a webhook endpoint: nothing is sent to it from then on; 404 `endpoint_not_found` for an id the shop does not have",
            SECRET, &[endpoint], &[(204, "Empty"), (401, "Problem"), (403, "Problem"), (404, "Problem")], None,
        )},
        "/v1/notifications": { "get": operation(
            "The messages sent for the shop, newest first: what, when, on which channel, to whom (masked) and where each stands",
            SECRET, &page, &[(200, "NotificationList"), (400, "Problem"), (401, "Problem"), (403, "Problem")], None,
        )},
    })
}

/// Adds the CSRF header to every write the session cookie admits: required where the cookie is the
/// only credential, else required with the cookie only.
fn add_csrf_headers(paths: &mut Value) {
    let operations = paths
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|methods| methods.iter_mut())
        .filter(|(method, _)| *method != "get");
    for (_, op) in operations {
        let schemes: Vec<&str> = op["security"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys().map(String::as_str))
            .collect();
        if !schemes.contains(&"console_session") {
            continue;
        }
        let required = !schemes.contains(&"secret");
        let header = json!({
            "name": CSRF_HEADER, "in": "header", "required": required,
            "description": "The session's `csrf_token`: every write made with the console session cookie carries it (403 `csrf_failed` without it); not needed with a secret key.",
            "schema": csrf_token(),
        });
        match op.get_mut("parameters").and_then(Value::as_array_mut) {
            Some(parameters) => parameters.push(header),
            None => op["parameters"] = json!([header]),
        }
    }
}

/// `POST /v1/console/session`: the secret key in the body, the session in a cookie.
fn sign_in_operation() -> Value {
    let mut op = operation(
        "Signs the retailer console in with one of the shop's secret keys: answers the session and sets its cookie (the key is not needed again). \
         Any key that is not a live secret key answers the same 401; rate limited per client IP (429 with `Retry-After`); 403 `csrf_failed` from another origin",
        OPEN,
        &[],
        &[
            (200, "ConsoleSession"),
            (400, "Problem"),
            (401, "Problem"),
            (403, "Problem"),
            (413, "Problem"),
            (415, "Problem"),
            (429, "Problem"),
        ],
        Some("ConsoleSignIn"),
    );
    op["responses"]["200"]["headers"] = json!({ "Set-Cookie": {
        "description": format!("`{SESSION_COOKIE}=<token>; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_SECONDS}`"),
        "schema": string(),
    }});
    op
}

/// `DELETE /v1/console/session`: ends the session and clears its cookie.
fn sign_out_operation() -> Value {
    let mut op = operation(
        "Signs the console out: the session ends at once and its cookie is cleared",
        CONSOLE,
        &[],
        &[(204, "Empty"), (401, "Problem"), (403, "Problem")],
        None,
    );
    op["responses"]["204"]["headers"] = json!({ "Set-Cookie": {
        "description": format!("`{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`"),
        "schema": string(),
    }});
    op
}

/// A session's CSRF token: 32 hex digits.
fn csrf_token() -> Value {
    json!({ "type": "string", "pattern": "^[0-9a-f]{32}$" })
}

/// `POST /v1/webhooks/{platform}/{shop_id}`: the platform's own payload, signed.
fn webhook_operation(platform: Value) -> Value {
    let mut op = operation(
        &format!(
            "Receives a platform's webhook for a shop (the URL `PUT /v1/integrations/{{platform}}` answers). The body's signature is checked \
             before anything else: Shopify's `X-Shopify-Hmac-Sha256`, WooCommerce's `X-WC-Webhook-Signature` (base64 HMAC-SHA256 of the raw body \
             with the shop's webhook secret); a missing or wrong one is 401 and changes nothing. Shopify topics `orders/create`, `orders/updated`, \
             `orders/cancelled`, `fulfillments/create`, `fulfillments/update` and WooCommerce topics `order.created`, `order.updated` are applied; \
             other topics, and WooCommerce's unsigned delivery test (`webhook_id=...`), are acknowledged and ignored. A delivery seen before \
             (by `X-Shopify-Webhook-Id`; a WooCommerce delivery by its body) is acknowledged as `duplicate`; an older version of an order or fulfillment than \
             one applied is acknowledged as `outdated`; a tracking number no longer listed is removed. At most {MAX_WEBHOOK_BYTES} bytes."
        ),
        OPEN,
        &[platform, path_param("shop_id", "The shop.", string())],
        &[
            (200, "WebhookAck"),
            (400, "Problem"),
            (401, "Problem"),
            (413, "Problem"),
        ],
        None,
    );
    op["requestBody"] = json!({
        "required": true,
        "content": { "application/json": { "schema": { "type": "object", "description": "The platform's order or fulfillment resource, as it sends it" } } },
    });
    op
}

/// `POST /v1/webhooks/17track`: the aggregator's own push, signed.
fn carrier_push_operation() -> Value {
    let mut op = operation(
        &format!(
            "Receives 17TRACK's push (Tracking API v2.2 webhook, `TRACKING_UPDATED` or `TRACKING_STOPPED`) for this deployment's 17TRACK account: \
             its `sign` header (hex SHA-256 of the raw body, `/` and the account's key, the `SEVENTEEN_TRACK_API_KEY` secret) is checked before \
             anything else; a missing or wrong one is 401 and changes nothing. An update is kept as 17TRACK's answer about the number and merged \
             (idempotently: the same push twice stores nothing twice) into every shop's shipment with that number whose carrier the shop enabled. \
             At most {MAX_WEBHOOK_BYTES} bytes."
        ),
        OPEN,
        &[],
        &[
            (200, "WebhookAck"),
            (400, "Problem"),
            (401, "Problem"),
            (413, "Problem"),
        ],
        None,
    );
    op["requestBody"] = json!({
        "required": true,
        "content": { "application/json": { "schema": { "type": "object", "description": "17TRACK's push, as it sends it" } } },
    });
    op
}

/// `GET /v1/shipments.csv`: the list's query (`params`) but `limit`; its answer is a CSV file.
fn export_operation(params: &[Value]) -> Value {
    let mut op = operation(
        &format!(
            "The shop's shipments as a CSV file to download (`Content-Disposition: attachment`), in the order of `GET /v1/shipments` with the same query: \
             at most {EXPORT_MAX_ROWS} rows; when more remain, the `Waypost-Next-Cursor` header is the `cursor` of the next file"
        ),
        SECRET,
        params,
        &[
            (200, "Any"),
            (400, "Problem"),
            (401, "Problem"),
            (403, "Problem"),
        ],
        None,
    );
    op["responses"]["200"] = json!({
        "description": "OK",
        "headers": {
            "Waypost-Next-Cursor": {
                "description": "Present when rows remain: pass it as `cursor` for the next file.",
                "schema": string(),
            },
        },
        "content": { "text/csv": { "schema": {
            "type": "string",
            "description": format!(
                "UTF-8, `\\n` line ends. A header line `{}`, then one line per shipment: codes as in the JSON list, instants RFC 3339 UTC, \
                 ETA days as dates (the window's `from` and `to`); an empty cell when there is no value. A cell starting with `=`, `+`, `-`, `@`, \
                 a tab or a carriage return starts with `'` (so no spreadsheet runs it as a formula).",
                HEADER.join(",")
            ),
        }}},
    });
    op
}

/// `POST /v1/imports`: its body is a CSV file, not JSON.
fn import_operation() -> Value {
    let mut op = operation(
        &format!(
            "Imports orders and tracking numbers from a CSV export (a header row, then at most {MAX_IMPORT_ROWS} rows, \
             at most {MAX_IMPORT_BYTES} bytes, UTF-8): every row is checked first, and a file with any bad row stores nothing \
             (400 `invalid_rows` listing each bad row by line); only what differs from what is stored is written, all or nothing, \
             so the same file sent again changes nothing; 409 when other writes kept changing its shipments (nothing written, retry)"
        ),
        SECRET,
        &[query_param(
            "dry_run",
            "`true`: check the file and answer what would change, writing nothing.",
            boolean(),
        )],
        &[
            (200, "ImportResult"),
            (400, "Problem"),
            (401, "Problem"),
            (403, "Problem"),
            (409, "Problem"),
            (413, "Problem"),
            (415, "Problem"),
        ],
        None,
    );
    let columns: Vec<String> = HEADER_NAMES
        .iter()
        .map(|(column, names)| format!("{}: {}", column.label(), names.join(", ")))
        .collect();
    op["requestBody"] = json!({
        "required": true,
        "content": { "text/csv": { "schema": {
            "type": "string",
            "maxLength": MAX_IMPORT_BYTES,
            "description": format!(
                "A CSV file in UTF-8 (a byte-order mark is ignored), cells separated by `,`, `;` or tab. \
                 Columns are recognised by their header, case, spaces and punctuation ignored; order number, email and tracking number \
                 are required, carrier, postal code and customer name optional, other columns ignored. Recognised headers: {}. \
                 A leading `#` of an order number is dropped; a blank tracking number registers the order only; a blank or unknown \
                 carrier is detected from the number. Cells are stored as the text they are, never interpreted.",
                columns.join("; ")
            ),
        }}},
    });
    op
}

/// No credentials.
const OPEN: &[&str] = &[];
/// A publishable key, in `?key=` or as a bearer token.
const PUBLIC: &[&str] = &["publishable", "publishable_bearer"];
/// A secret key, or the console's session cookie.
const SECRET: &[&str] = &["secret", "console_session"];
/// The console's session cookie.
const CONSOLE: &[&str] = &["console_session"];
/// The admin token.
const ADMIN: &[&str] = &["admin"];

/// An operation; `security` lists the schemes any one of which admits a caller.
fn operation(
    summary: &str,
    security: &[&str],
    parameters: &[Value],
    responses: &[(u16, &str)],
    body: Option<&str>,
) -> Value {
    let mut op = Map::new();
    op.insert("summary".into(), json!(summary));
    if !security.is_empty() {
        let alternatives: Vec<Value> = security
            .iter()
            .map(|scheme| json!({ *scheme: [] }))
            .collect();
        op.insert("security".into(), Value::Array(alternatives));
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), json!(parameters));
    }
    if let Some(body) = body {
        op.insert("requestBody".into(), json!({ "required": true, "content": { "application/json": { "schema": reference(body) } } }));
    }
    let responses: Map<String, Value> = responses
        .iter()
        .map(|&(status, schema)| {
            let content = match schema {
                "Empty" => json!({ "description": "No body" }),
                "Problem" => json!({ "description": "An error", "content": { "application/problem+json": { "schema": reference("Problem") } } }),
                other => json!({ "description": "OK", "content": { "application/json": { "schema": reference(other) } } }),
            };
            (status.to_string(), content)
        })
        .collect();
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

fn path_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": schema })
}

fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn integer() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// A closed object: every listed property required, nothing else allowed.
fn closed(properties: &[(&str, Value)]) -> Value {
    closed_with_optional(properties, &[])
}

/// [`closed`], with `optional` properties that are left out when they have no value.
fn closed_with_optional(properties: &[(&str, Value)], optional: &[(&str, Value)]) -> Value {
    let names: Vec<&str> = properties.iter().map(|(name, _)| *name).collect();
    let props: Map<String, Value> = properties
        .iter()
        .chain(optional)
        .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
        .collect();
    json!({ "type": "object", "properties": props, "required": names, "additionalProperties": false })
}

/// A string enum of these wire names.
fn enumeration(names: &[&str]) -> Value {
    json!({ "type": "string", "enum": names })
}

/// Most days of a shop's transit range, as `service::admin` checks it.
const MAX_TRANSIT_DAYS: u16 = 120;

/// The white space trimmed from both ends of text input (Rust's `char::is_whitespace`), as a
/// regular-expression class body.
const TRIMMED: &str = r"\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// What text input may not contain once trimmed: control characters and the bidirectional
/// embedding, override and isolate controls.
const CONTROLS: &str = r"\x00-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069";
/// The white space text input may hold inside it: [`TRIMMED`] less the control characters.
const INNER_SPACE: &str = r" \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// Optional text: at most `max` characters, no control characters but white space at either end
/// (trimmed); blank counts as absent.
fn text(max: usize) -> Value {
    json!({
        "type": "string", "maxLength": max,
        "pattern": format!("^[{TRIMMED}]*[^{CONTROLS}]*[{TRIMMED}]*$"),
    })
}

/// Like [`text`], but not blank.
fn required_text(max: usize) -> Value {
    json!({
        "type": "string", "maxLength": max,
        "pattern": format!("^[{TRIMMED}]*[^{CONTROLS}{TRIMMED}][^{CONTROLS}]*[{TRIMMED}]*$"),
    })
}

/// An input object: only `required` must be present, unknown fields are refused.
fn input(required: &[&str], properties: &[(&str, Value)]) -> Value {
    let mut schema = lenient_input(required, properties);
    schema["additionalProperties"] = json!(false);
    schema
}

/// `schema` with a description.
fn described(mut schema: Value, description: &str) -> Value {
    schema["description"] = json!(description);
    schema
}

/// An input object whose unknown fields are ignored rather than refused.
fn lenient_input(required: &[&str], properties: &[(&str, Value)]) -> Value {
    let props: Map<String, Value> = properties
        .iter()
        .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
        .collect();
    json!({ "type": "object", "properties": props, "required": required })
}

/// `status` with a `sub_status` that refines it (`awaiting_stock` goes with `pending` only), or
/// none: one branch per status.
fn status_pairing() -> Value {
    let branches: Vec<Value> = Status::ALL
        .iter()
        .map(|&status| {
            let subs = SubStatus::ALL
                .iter()
                .filter(|sub| sub.status() == status)
                .map(|sub| json!(sub.as_str()));
            let allowed: Vec<Value> = std::iter::once(Value::Null).chain(subs).collect();
            json!({ "properties": { "status": { "const": status.as_str() }, "sub_status": { "enum": allowed } } })
        })
        .collect();
    json!({ "oneOf": branches })
}

/// An input object holding `status` and `sub_status`, the pair held to [`status_pairing`].
fn with_status_pairing(mut schema: Value) -> Value {
    schema["allOf"] = json!([reference("StatusPairing")]);
    schema
}

/// A tracking number as typed: letters and digits with separators (white space, dashes) ignored.
fn tracking_number() -> Value {
    let separator = format!(r"[{TRIMMED}\-\u2010-\u2015\u2212]");
    json!({
        "type": "string", "maxLength": MAX_TYPED_CHARS,
        "pattern": format!("^{separator}*(?:[A-Za-z0-9]{separator}*){{1,{MAX_INPUT_CHARS}}}$"),
    })
}

/// An order number: letters, digits, `-`, `_`, `.` and `#`, not only dots.
fn order_number() -> Value {
    json!({
        "type": "string", "minLength": 1, "maxLength": MAX_ORDER_NUMBER_CHARS,
        "pattern": "^[A-Za-z0-9_.#-]*[A-Za-z0-9_#-][A-Za-z0-9_.#-]*$",
    })
}

/// An email for order look-ups: something before and after one `@`; blank counts as absent.
fn email() -> Value {
    let part = format!("[^{CONTROLS}@]");
    let edge = format!("[^{CONTROLS}{TRIMMED}@]");
    json!({
        "type": "string", "maxLength": MAX_FIELD_CHARS,
        "pattern": format!("^[{TRIMMED}]*(?:{edge}{part}*@{part}*{edge})?[{TRIMMED}]*$"),
    })
}

/// A postal code: letters and digits, with spaces and dashes ignored; blank counts as absent.
fn postal_code() -> Value {
    json!({
        "type": "string", "maxLength": 20,
        "pattern": format!("^[{TRIMMED}]*(?:[{INNER_SPACE}-]*[A-Za-z0-9][A-Za-z0-9{INNER_SPACE}-]*)?[{TRIMMED}]*$"),
    })
}

/// An ISO 3166-1 alpha-2 country code, any case; blank counts as absent.
fn country() -> Value {
    json!({ "type": "string", "pattern": format!("^[{TRIMMED}]*(?:[A-Za-z]{{2}})?[{TRIMMED}]*$") })
}

/// A real calendar date `YYYY-MM-DD` in [`waypost_shared::time::SANE_YEARS`] (2000 to 2100; leap days included).
const SANE_DATE: &str = r"(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:[02468][048]|[13579][26])-02-29)";

/// A date the API accepts from outside: ship dates, ETAs, promised deliveries.
fn input_date() -> Value {
    json!({ "type": "string", "format": "date", "pattern": format!("^{SANE_DATE}$"), "description": "A date in the years 2000 to 2100" })
}

/// A pushed event's time: a date in 2000 to 2100, `T` or a space, `HH:MM[:SS[.fff]]` (a leap
/// second `:60` too), then `Z` or an offset within UTC−12:00..UTC+14:00 (`-05:00`, `+0530`, `+09`).
fn event_time() -> Value {
    const CLOCK: &str = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?)?";
    const OFFSET: &str = r"(?:[Zz]|\+(?:0[0-9]|1[0-3])(?::?[0-5][0-9])?|\+14(?::?00)?|-(?:0[0-9]|1[01])(?::?[0-5][0-9])?|-12(?::?00)?)";
    json!({
        "type": "string",
        "pattern": format!("^{SANE_DATE}[T ]{CLOCK}{OFFSET}$"),
        "description": "Local time in the years 2000 to 2100 with its UTC offset: 2026-11-20T14:05:00-05:00 (also 2026-11-20 14:05Z, +0530, +09)",
    })
}

/// A browser origin: `https://host[:port]`, or `http://` for localhost, 127.0.0.1 and [::1].
fn origin() -> Value {
    let localhost = "[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]";
    json!({
        "type": "string",
        "pattern": format!(
            r"^[{TRIMMED}]*(?:https://[A-Za-z0-9.:\[\]-]{{1,253}}|http://(?:{localhost}|127\.0\.0\.1|\[::1\])(?::[0-9]+)?)/*[{TRIMMED}]*$"
        ),
    })
}

fn schemas() -> Value {
    let mut schemas = core_schemas();
    merge(&mut schemas, notification_schemas());
    schemas
}

/// The notification settings, webhook endpoints and messages.
fn notification_schemas() -> Value {
    let mut schemas = subscription_schemas();
    merge(&mut schemas, notification_settings_schemas());
    schemas
}

/// The widget's opt-in and the pages its links open.
fn subscription_schemas() -> Value {
    json!({
        "SubscriptionInput": {
            "type": "object", "required": ["email"], "additionalProperties": false,
            "properties": { "email": { "type": "string", "maxLength": MAX_FIELD_CHARS, "description": "The address to email about the parcel" } },
        },
        "SubscriptionAck": {
            "type": "object", "required": ["status"],
            "properties": { "status": { "type": "string", "enum": ["confirmation_sent"] } },
        },
        "Page": { "type": "string", "description": "An HTML page (text/html)" },
    })
}

/// Notification settings, webhook endpoints and the record of messages.
fn notification_settings_schemas() -> Value {
    let r = reference;
    let at = json!({ "type": "string", "format": "date-time" });
    let sender_name = json!({
        "type": "string", "maxLength": MAX_SENDER_NAME_CHARS,
        "pattern": format!("^[^{CONTROLS}<>\"]*$"),
        "description": "The name emails come from (default: the shop's name); no control characters, '<', '>' or '\"'",
    });
    let sender_email = json!({
        "type": "string", "maxLength": MAX_FIELD_CHARS,
        "pattern": r#"^[^\s<>"(),;:\[\]\\@]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"#,
        "description": "The shop's own address, where customers' replies go (Reply-To); emails come from the deployment's verified sender under the shop's name",
    });
    let tracking_page = json!({
        "type": "string", "maxLength": MAX_URL_CHARS, "pattern": "^https?://.*\\{number\\}",
        "description": "The shop's tracking page with a `{number}` placeholder: https (http only for localhost, 127.0.0.1 and [::1]), no credentials (default: the Worker's own hosted page)",
    });
    let settings = [
        ("triggers", array(r("Trigger"))),
        ("channels", array(r("Channel"))),
        ("sender_name", nullable(sender_name)),
        ("sender_email", nullable(sender_email)),
        ("tracking_page", nullable(tracking_page)),
        ("sms_quiet_hours", nullable(r("QuietHours"))),
    ];
    let clock = |what: &str| json!({ "type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": what });
    json!({
        "QuietHours": described(
            closed(&[
                ("from", clock("When the quiet starts, HH:MM (24-hour)")),
                ("to", clock("When it ends, HH:MM, not the same as `from`; earlier than `from` spans midnight")),
                ("time_zone", described(
                    json!({ "type": "string", "minLength": 1, "maxLength": 64 }),
                    "The IANA time zone both are read in, e.g. Europe/Madrid",
                )),
            ]),
            "Hours in which no text message is sent: one due then waits until they end (emails and webhooks go at any hour)",
        ),
        "Trigger": enumeration(&Trigger::NAMES),
        "Channel": enumeration(&Channel::NAMES),
        "DeliveryState": enumeration(&DeliveryState::NAMES),
        "NotificationSettings": closed(&settings),
        "NotificationSettingsInput": input(&[], &settings),
        "WebhookEndpointInput": input(&["url"], &[(
            "url",
            json!({
                "type": "string", "maxLength": MAX_URL_CHARS, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^@#]+$",
                "description": "Where to POST: an absolute https URL (http only for localhost, 127.0.0.1 and [::1]), no credentials, no fragment",
            }),
        )]),
        "WebhookEndpointView": closed_with_optional(
            &[("id", string()), ("url", string()), ("created_at", at.clone())],
            &[("secret", described(
                json!({ "type": "string", "pattern": "^whsec_[A-Za-z0-9+/]+={0,2}$" }),
                "The Standard Webhooks signing secret: in the answer that made the endpoint only",
            ))],
        ),
        "WebhookEndpointList": closed(&[("endpoints", array(r("WebhookEndpointView")))]),
        "NotificationView": closed(&[
            ("id", string()), ("trigger", r("Trigger")), ("tracking_number", nullable(string())),
            ("order_number", nullable(string())), ("channel", r("Channel")),
            ("recipient", described(string(), "To whom, masked: m***@example.com, +1******0101, the endpoint's host")),
            ("state", r("DeliveryState")), ("attempts", integer()), ("created_at", at.clone()),
            ("sent_at", nullable(at)), ("last_error", nullable(string())),
        ]),
        "NotificationList": closed(&[("notifications", array(r("NotificationView"))), ("next_cursor", nullable(string()))]),
    })
}

/// Every schema but [`notification_schemas`].
fn core_schemas() -> Value {
    let r = reference;
    let days = json!({ "type": "integer", "minimum": 0, "maximum": MAX_TRANSIT_DAYS });
    json!({
        "Any": {},
        "Health": closed(&[("status", json!({ "const": "ok" }))]),
        "Status": enumeration(&Status::NAMES),
        "SubStatus": enumeration(&SubStatus::NAMES),
        "HealthValue": enumeration(&Health::NAMES),
        "Milestone": enumeration(&Milestone::NAMES),
        "StepState": enumeration(&StepState::NAMES),
        "Actor": enumeration(&Actor::NAMES),
        "ActionKind": enumeration(&ActionKind::NAMES),
        "EtaSource": enumeration(&EtaSource::NAMES),
        "Carrier": enumeration(&Carrier::NAMES),
        "LiveCarrier": enumeration(&Carrier::ALL.map(Carrier::as_str)),
        "Confidence": enumeration(&Confidence::NAMES),
        "Lang": enumeration(&Lang::NAMES),
        "Scope": enumeration(&Scope::NAMES),
        "ServiceLevel": enumeration(&ServiceLevel::NAMES),
        "KeyKind": enumeration(&KeyKind::NAMES),
        "Platform": enumeration(&Platform::NAMES),
        "WebhookOutcome": enumeration(&WebhookOutcome::NAMES),
        "TrackingNumber": tracking_number(),
        "OrderNumber": order_number(),
        "StatusPairing": status_pairing(),
        "Problem": {
            "type": "object",
            "properties": {
                "type": string(), "title": string(), "status": integer(), "detail": string(), "code": string(),
                "detection": r("Detection"),
                "rows": array(r("RowError")), "rows_total": integer(),
            },
            "required": ["type", "title", "status", "detail", "code"],
            "additionalProperties": false,
        },
        "Country": closed(&[("code", string()), ("name", string())]),
        "Candidate": closed(&[
            ("carrier", r("Carrier")), ("carrier_name", string()), ("format", string()), ("service", nullable(string())),
            ("origin_country", nullable(r("Country"))), ("destination_country", nullable(r("Country"))),
            ("tracking_url", nullable(string())), ("confidence", r("Confidence")),
        ]),
        "NearMiss": closed(&[("carrier", r("Carrier")), ("carrier_name", string()), ("format", string())]),
        "Detection": closed(&[
            ("input", string()), ("normalized", nullable(string())), ("candidates", array(r("Candidate"))), ("near_misses", array(r("NearMiss"))),
        ]),
        "RejectedInput": closed(&[("input", string()), ("error", closed(&[("code", string()), ("message", string())]))]),
        "DetectRequest": input(&["numbers"], &[("numbers", json!({ "type": "array", "items": string(), "minItems": 1, "maxItems": MAX_DETECT_NUMBERS }))]),
        "DetectResponse": closed(&[("results", array(json!({ "oneOf": [r("Detection"), r("RejectedInput")] })))]),
        "FormatInfo": closed(&[
            ("carrier", r("Carrier")), ("name", string()), ("check_digit", boolean()), ("catches_single_digit_typos", boolean()),
            ("tracking_url_template", nullable(string())),
        ]),
        "CarrierInfo": closed(&[("code", r("Carrier")), ("name", string())]),
        "CarriersView": closed(&[("carriers", array(r("CarrierInfo"))), ("formats", array(r("FormatInfo")))]),
        "EventTime": closed(&[
            ("local", json!({ "type": "string", "description": "Local wall time, no offset: 2026-11-20T14:05:00" })),
            ("offset", nullable(json!({ "type": "string", "pattern": "^[+-][0-9]{2}:[0-9]{2}$" }))),
            ("zone", nullable(string())),
            ("utc", nullable(json!({ "type": "string", "format": "date-time" }))),
        ]),
        "Place": closed(&[("city", nullable(string())), ("region", nullable(string())), ("country", nullable(string()))]),
        "PlaceInput": described(
            lenient_input(&[], &[
                ("city", nullable(text(MAX_FIELD_CHARS))), ("region", nullable(text(MAX_FIELD_CHARS))), ("country", nullable(country())),
            ]),
            "other properties are ignored",
        ),
        "CarrierRef": closed(&[("code", r("Carrier")), ("name", string()), ("tracking_url", nullable(string()))]),
        "MilestoneView": closed(&[("milestone", r("Milestone")), ("state", r("StepState")), ("warning", boolean()), ("label", string())]),
        "ActionView": closed(&[("actor", r("Actor")), ("kind", r("ActionKind")), ("label", string())]),
        "EtaView": closed(&[("from", date()), ("to", date()), ("source", r("EtaSource")), ("label", string()), ("source_label", string())]),
        "EtaWindow": closed(&[("from", date()), ("to", date()), ("source", r("EtaSource"))]),
        "EtaWindowInput": described(
            lenient_input(&["from", "to", "source"], &[("from", input_date()), ("to", input_date()), ("source", r("EtaSource"))]),
            "`from` must not come after `to`; other properties are ignored",
        ),
        "EventView": closed_with_optional(&[
            ("time", r("EventTime")), ("time_label", string()), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))),
            ("label", string()), ("description", string()), ("location", nullable(r("Place"))), ("carrier_code", nullable(string())),
        ], &[("carrier", described(r("Carrier"), "The carrier that reported it, when the journey spans several (origin and last mile)"))]),
        "TrackingView": closed_with_optional(&[
            ("tracking_number", string()), ("carrier", nullable(r("CarrierRef"))), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))),
            ("status_label", string()), ("sub_status_label", nullable(string())), ("health", r("HealthValue")), ("health_label", string()),
            ("milestones", array(r("MilestoneView"))), ("actions", array(r("ActionView"))), ("eta", nullable(r("EtaView"))),
            ("events", array(r("EventView"))), ("order_reference", nullable(string())), ("destination", nullable(r("Place"))),
            ("stale", boolean()), ("age_seconds", nullable(integer())), ("lang", r("Lang")),
        ], &[("last_mile", described(r("CarrierRef"), "The carrier that took the parcel over for the last mile, its tracking page for the number it uses (a customer typing that number finds this shipment); the hand-over event names the number"))]),
        "OrderView": closed(&[
            ("order_number", string()), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))), ("status_label", string()),
            ("shipments", array(r("TrackingView"))),
        ]),
        "Contact": input(&[], &[("name", nullable(text(MAX_FIELD_CHARS))), ("email", nullable(email())), ("phone", nullable(json!({ "type": "string", "maxLength": 40, "pattern": "^\\s*\\+[0-9 .()-]*\\s*$", "description": "An international number for text messages: '+', the country code, 8 to 15 digits (spaces, dots, dashes, brackets allowed); else 400 `invalid_phone`" })))]),
        "OrderInput": with_status_pairing(input(&["status"], &[
            ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))), ("customer", r("Contact")),
            ("postal_code", nullable(postal_code())), ("promised_delivery", nullable(r("EtaWindowInput"))),
            ("lang", nullable(r("Lang"))),
        ])),
        "OrderAck": closed(&[("order_number", string()), ("status", r("Status")), ("sub_status", nullable(r("SubStatus")))]),
        "DestinationInput": input(&[], &[
            ("city", nullable(text(MAX_FIELD_CHARS))), ("region", nullable(text(MAX_FIELD_CHARS))),
            ("postal_code", nullable(postal_code())), ("country", nullable(country())),
        ]),
        "ShipmentInput": input(&[], &[
            ("order_number", nullable(r("OrderNumber"))), ("carrier", nullable(r("Carrier"))), ("destination", r("DestinationInput")),
            ("scope", nullable(r("Scope"))), ("service_level", nullable(r("ServiceLevel"))), ("eta", nullable(r("EtaWindowInput"))),
            ("shipped_on", nullable(input_date())),
        ]),
        "EventInput": with_status_pairing(input(&["time", "status", "description"], &[
            ("time", event_time()),
            ("zone", nullable(json!({ "type": "string", "pattern": "^[A-Za-z0-9/_+-]{1,64}$", "description": "IANA time-zone name" }))),
            ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))),
            ("description", required_text(MAX_TEXT_CHARS)), ("location", nullable(r("PlaceInput"))), ("carrier_code", nullable(text(64))),
        ])),
        "EventBatch": input(&["events"], &[("events", json!({ "type": "array", "items": r("EventInput"), "minItems": 1, "maxItems": MAX_EVENTS_PER_BATCH }))]),
        "EventBatchResult": closed(&[("received", integer()), ("stored", integer()), ("duplicates", integer())]),
        "ShipmentSummary": closed(&[
            ("tracking_number", string()), ("carrier", nullable(r("Carrier"))), ("order_number", nullable(string())),
            ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))), ("health", r("HealthValue")),
            ("last_event_at", nullable(json!({ "type": "string", "format": "date-time" }))), ("eta", nullable(r("EtaWindow"))),
        ]),
        "ShipmentList": closed(&[("shipments", array(r("ShipmentSummary"))), ("next_cursor", nullable(string()))]),
        "ShipmentCounts": closed(&[("total", integer()), ("by_status", array(r("StatusCount"))), ("by_health", r("HealthCounts"))]),
        "StatusCount": closed(&[("status", r("Status")), ("shipments", integer())]),
        "HealthCounts": closed(&[
            ("on_track", integer()), ("stalled", integer()), ("late", integer()), ("needs_action", integer()), ("done", integer()),
        ]),
        "TransitRange": described(
            lenient_input(&["min_days", "max_days"], &[("min_days", days.clone()), ("max_days", days)]),
            "`min_days` must not be more than `max_days`; other properties are ignored",
        ),
        "ShopInput": input(&["name", "transit_days"], &[
            ("name", required_text(MAX_FIELD_CHARS)),
            ("allowed_origins", json!({ "type": "array", "items": origin(), "maxItems": MAX_ORIGINS })),
            ("transit_days", r("TransitRange")), ("live_carriers", array(r("LiveCarrier"))),
            ("retention_days", nullable(json!({ "type": "integer", "minimum": 1, "maximum": MAX_RETENTION_DAYS }))),
            ("history_days", nullable(json!({ "type": "integer", "minimum": 1, "maximum": MAX_HISTORY_DAYS }))),
        ]),
        "ShopSettings": closed(&[
            ("shop_id", string()), ("name", string()), ("allowed_origins", array(string())), ("transit_days", r("TransitRange")),
            ("live_carriers", array(r("LiveCarrier"))), ("publishable_key", nullable(string())),
        ]),
        "ShopSettingsInput": input(&[], &[
            ("allowed_origins", nullable(json!({ "type": "array", "items": origin(), "maxItems": MAX_ORIGINS }))),
            ("transit_days", nullable(r("TransitRange"))), ("live_carriers", nullable(array(r("LiveCarrier")))),
        ]),
        "CustomerExport": closed(&[("email", string()), ("orders", array(r("CustomerOrder")))]),
        "CustomerOrder": closed(&[
            ("order_number", string()), ("contact", r("ContactView")), ("postal_code", nullable(string())),
            ("shipments", array(r("CustomerShipment"))),
        ]),
        "ContactView": closed(&[("name", nullable(string())), ("email", nullable(string())), ("phone", nullable(string()))]),
        "CustomerShipment": closed(&[("tracking_number", string()), ("postal_code", nullable(string()))]),
        "CustomerErased": closed(&[("orders", integer()), ("shipments", integer())]),
        "ImportResult": closed(&[
            ("dry_run", boolean()), ("rows", integer()), ("orders_created", integer()), ("orders_updated", integer()),
            ("orders_unchanged", integer()), ("shipments_created", integer()), ("shipments_updated", integer()),
            ("shipments_unchanged", integer()), ("changed", boolean()),
        ]),
        "RowError": closed(&[("line", json!({ "type": "integer", "minimum": 1 })), ("reason", string())]),
        "ShopCreated": closed(&[("shop_id", string()), ("publishable_key", string()), ("secret_key", string())]),
        "KeyInput": input(&["kind"], &[("kind", r("KeyKind"))]),
        "KeyCreated": closed(&[("key_id", string()), ("kind", r("KeyKind")), ("key", string())]),
        "IntegrationInput": input(&["webhook_secret"], &[
            ("webhook_secret", json!({ "type": "string", "minLength": 8, "maxLength": 256, "description": "The secret the platform signs webhooks with" })),
        ]),
        "IntegrationView": closed(&[
            ("platform", r("Platform")), ("webhook_url", string()), ("created_at", json!({ "type": "string", "format": "date-time" })),
        ]),
        "ConsoleSignIn": input(&["secret_key"], &[
            ("secret_key", json!({ "type": "string", "maxLength": 128, "description": "One of the shop's secret keys (sk_...)" })),
        ]),
        "ConsoleSession": closed(&[
            ("shop_id", string()), ("shop_name", string()), ("csrf_token", csrf_token()),
            ("expires_at", json!({ "type": "string", "format": "date-time" })),
        ]),
        "WebhookAck": closed(&[("outcome", r("WebhookOutcome")), ("parcels", integer()), ("removed", integer())]),
    })
}

#[cfg(test)]
mod tests {
    use waypost_shared::time::SANE_YEARS;

    use super::*;

    /// Every `$ref` points at a schema that exists.
    #[test]
    fn references_resolve() {
        let document = document();
        let text = document.to_string();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                document["components"]["schemas"].get(&name).is_some(),
                "missing schema {name}"
            );
        }
    }

    /// The date patterns spell out these years.
    #[test]
    fn date_patterns_follow_the_sane_years() {
        assert_eq!(SANE_YEARS, 2000..=2100, "update SANE_DATE");
    }

    #[test]
    fn enums_come_from_the_shared_crate() {
        let document = document();
        assert_eq!(
            document["components"]["schemas"]["Status"]["enum"]
                .as_array()
                .unwrap()
                .len(),
            Status::ALL.len()
        );
        assert_eq!(
            document["components"]["schemas"]["Carrier"]["enum"][0],
            "ups"
        );
    }
}
