//! The OpenAPI 3.1 document of API v1, served at `/v1/openapi.json`. Enum values come from the
//! shared crate's own lists, so the document cannot drift from the wire types; an end-to-end test
//! validates real responses against these schemas.

use serde_json::{Map, Value, json};
use waypost_shared::action::{ActionKind, Actor};
use waypost_shared::detect::{Carrier, Confidence};
use waypost_shared::eta::EtaSource;
use waypost_shared::health::{Health, Scope, ServiceLevel};
use waypost_shared::labels::Lang;
use waypost_shared::milestone::{Milestone, StepState};
use waypost_shared::status::{Status, SubStatus};
use waypost_shared::wire::KeyKind;

use crate::carriers::LiveCarrier;
use crate::limits::{MAX_BODY_BYTES, MAX_DETECT_NUMBERS, MAX_EVENTS_PER_BATCH, MAX_PAGE};

/// The whole document.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Waypost API",
            "version": "1",
            "description": format!(
                "Tracking for shops. Public endpoints take a publishable key (`?key=pk_...` or `Authorization: Bearer pk_...`) \
                 and are rate limited per IP and per key (429 with `Retry-After`). Private endpoints take `Authorization: Bearer sk_...`. \
                 Errors are `application/problem+json` with a stable `code`. Bodies are at most {MAX_BODY_BYTES} bytes."
            ),
        },
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "publishable": { "type": "apiKey", "in": "query", "name": "key" },
                "secret": { "type": "http", "scheme": "bearer", "description": "sk_... secret key" },
                "admin": { "type": "http", "scheme": "bearer", "description": "the ADMIN_TOKEN secret" }
            }
        }
    })
}

fn paths() -> Value {
    let number = path_param(
        "number",
        "A tracking number as typed (spaces and dashes are ignored), at most 64 letters and digits.",
    );
    let order = path_param(
        "order_number",
        "The shop's order number: letters, digits, '-', '_', '.', '#'.",
    );
    let lang = query_param(
        "lang",
        "Label language (en, es, fr, de); falls back to Accept-Language, then English.",
        string(),
    );
    json!({
        "/healthz": { "get": operation("Liveness", None, &[], &[(200, "Health")], None) },
        "/v1/openapi.json": { "get": operation("This document", None, &[], &[(200, "Any")], None) },
        "/v1/carriers": { "get": operation("Carriers and formats detection knows", None, &[], &[(200, "CarriersView")], None) },
        "/v1/detect": { "post": operation(
            &format!("Detects carriers for up to {MAX_DETECT_NUMBERS} numbers"),
            Some("publishable"), &[], &[(200, "DetectResponse"), (400, "Problem"), (401, "Problem"), (413, "Problem"), (415, "Problem"), (429, "Problem")],
            Some("DetectRequest"),
        )},
        "/v1/track/{number}": { "get": operation(
            "The tracking view of a shipment, asked live of its carrier when the shop enabled it; `stale` with `age_seconds` when the carrier could not be asked; 404 carries what detection found",
            Some("publishable"), &[number.clone(), lang.clone()], &[(200, "TrackingView"), (304, "Empty"), (400, "Problem"), (401, "Problem"), (404, "Problem"), (429, "Problem")], None,
        )},
        "/v1/orders/{order_number}": {
            "get": operation(
                "An order and all its parcels, for whoever knows its email or postal code; a wrong one answers like an unknown order",
                Some("publishable"),
                &[order.clone(), query_param("email", "The order's email.", string()), query_param("postal_code", "The delivery postal code.", string()), lang],
                &[(200, "OrderView"), (304, "Empty"), (400, "Problem"), (401, "Problem"), (404, "Problem"), (429, "Problem")], None,
            ),
            "put": operation(
                "Creates or replaces an order's own state and customer contact",
                Some("secret"), &[order], &[(200, "OrderAck"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem")], Some("OrderInput"),
            )
        },
        "/v1/shipments/{number}": { "put": operation(
            "Registers or updates a shipment (carrier detected when absent)",
            Some("secret"), std::slice::from_ref(&number), &[(200, "TrackingView"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem")], Some("ShipmentInput"),
        )},
        "/v1/shipments/{number}/events": { "post": operation(
            &format!("Pushes up to {MAX_EVENTS_PER_BATCH} events; idempotent, any order; one bad event rejects the batch"),
            Some("secret"), &[number], &[(200, "EventBatchResult"), (400, "Problem"), (401, "Problem"), (403, "Problem"), (413, "Problem"), (415, "Problem")], Some("EventBatch"),
        )},
        "/v1/shipments": { "get": operation(
            "The shop's shipments by tracking number, for watching what needs attention",
            Some("secret"),
            &[
                query_param("status", "Only this status.", reference("Status")),
                query_param("health", "Only this health.", reference("Health")),
                query_param("cursor", "next_cursor of the previous page.", string()),
                query_param("limit", &format!("Page size, 1 to {MAX_PAGE}."), json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE })),
            ],
            &[(200, "ShipmentList"), (400, "Problem"), (401, "Problem"), (403, "Problem")], None,
        )},
        "/v1/admin/shops": { "post": operation(
            "Creates a shop with a publishable and a secret key (the secret key is shown only here)",
            Some("admin"), &[], &[(201, "ShopCreated"), (400, "Problem"), (401, "Problem")], Some("ShopInput"),
        )},
        "/v1/admin/shops/{shop_id}/keys": { "post": operation(
            "Creates another key for a shop",
            Some("admin"), &[path_param("shop_id", "The shop.")], &[(201, "KeyCreated"), (400, "Problem"), (401, "Problem"), (404, "Problem")], Some("KeyInput"),
        )},
        "/v1/admin/shops/{shop_id}/keys/{key_id}": { "delete": operation(
            "Revokes a key at once",
            Some("admin"), &[path_param("shop_id", "The shop."), path_param("key_id", "The key's id.")], &[(204, "Empty"), (401, "Problem"), (404, "Problem")], None,
        )},
    })
}

fn operation(
    summary: &str,
    security: Option<&str>,
    parameters: &[Value],
    responses: &[(u16, &str)],
    body: Option<&str>,
) -> Value {
    let mut op = Map::new();
    op.insert("summary".into(), json!(summary));
    if let Some(scheme) = security {
        op.insert("security".into(), json!([{ scheme: [] }]));
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

fn path_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": string() })
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
    let names: Vec<&str> = properties.iter().map(|(name, _)| *name).collect();
    let props: Map<String, Value> = properties
        .iter()
        .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
        .collect();
    json!({ "type": "object", "properties": props, "required": names, "additionalProperties": false })
}

/// An input object: only `required` must be present, unknown fields are refused.
fn input(required: &[&str], properties: &[(&str, Value)]) -> Value {
    let props: Map<String, Value> = properties
        .iter()
        .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
        .collect();
    json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
}

/// A string enum of these wire names.
fn enumeration(names: &[&str]) -> Value {
    json!({ "type": "string", "enum": names })
}

fn schemas() -> Value {
    let r = reference;
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
        "LiveCarrier": enumeration(&LiveCarrier::ALL.map(|c| c.carrier().as_str())),
        "Confidence": enumeration(&Confidence::NAMES),
        "Lang": enumeration(&Lang::NAMES),
        "Scope": enumeration(&Scope::NAMES),
        "ServiceLevel": enumeration(&ServiceLevel::NAMES),
        "KeyKind": enumeration(&KeyKind::NAMES),
        "Problem": {
            "type": "object",
            "properties": {
                "type": string(), "title": string(), "status": integer(), "detail": string(), "code": string(),
                "detection": r("Detection"),
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
        "PlaceInput": input(&[], &[("city", nullable(string())), ("region", nullable(string())), ("country", nullable(string()))]),
        "CarrierRef": closed(&[("code", r("Carrier")), ("name", string()), ("tracking_url", nullable(string()))]),
        "MilestoneView": closed(&[("milestone", r("Milestone")), ("state", r("StepState")), ("warning", boolean()), ("label", string())]),
        "ActionView": closed(&[("actor", r("Actor")), ("kind", r("ActionKind")), ("label", string())]),
        "EtaView": closed(&[("from", date()), ("to", date()), ("source", r("EtaSource")), ("label", string()), ("source_label", string())]),
        "EtaWindow": input(&["from", "to", "source"], &[("from", date()), ("to", date()), ("source", r("EtaSource"))]),
        "EventView": closed(&[
            ("time", r("EventTime")), ("time_label", string()), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))),
            ("label", string()), ("description", string()), ("location", nullable(r("Place"))), ("carrier_code", nullable(string())),
        ]),
        "TrackingView": closed(&[
            ("tracking_number", string()), ("carrier", nullable(r("CarrierRef"))), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))),
            ("status_label", string()), ("sub_status_label", nullable(string())), ("health", r("HealthValue")), ("health_label", string()),
            ("milestones", array(r("MilestoneView"))), ("actions", array(r("ActionView"))), ("eta", nullable(r("EtaView"))),
            ("events", array(r("EventView"))), ("order_reference", nullable(string())), ("destination", nullable(r("Place"))),
            ("stale", boolean()), ("age_seconds", nullable(integer())), ("lang", r("Lang")),
        ]),
        "OrderView": closed(&[
            ("order_number", string()), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))), ("status_label", string()),
            ("shipments", array(r("TrackingView"))),
        ]),
        "Contact": input(&[], &[("name", nullable(string())), ("email", nullable(string())), ("phone", nullable(string()))]),
        "OrderInput": input(&["status"], &[
            ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))), ("customer", r("Contact")),
            ("postal_code", nullable(string())), ("promised_delivery", nullable(r("EtaWindow"))),
        ]),
        "OrderAck": closed(&[("order_number", string()), ("status", r("Status")), ("sub_status", nullable(r("SubStatus")))]),
        "DestinationInput": input(&[], &[
            ("city", nullable(string())), ("region", nullable(string())), ("postal_code", nullable(string())), ("country", nullable(string())),
        ]),
        "ShipmentInput": input(&[], &[
            ("order_number", nullable(string())), ("carrier", nullable(r("Carrier"))), ("destination", r("DestinationInput")),
            ("scope", nullable(r("Scope"))), ("service_level", nullable(r("ServiceLevel"))), ("eta", nullable(r("EtaWindow"))),
            ("shipped_on", nullable(date())),
        ]),
        "EventInput": input(&["time", "status", "description"], &[
            ("time", json!({ "type": "string", "description": "RFC 3339 with its UTC offset: 2026-11-20T14:05:00-05:00" })),
            ("zone", nullable(string())), ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))),
            ("description", string()), ("location", nullable(r("PlaceInput"))), ("carrier_code", nullable(string())),
        ]),
        "EventBatch": input(&["events"], &[("events", json!({ "type": "array", "items": r("EventInput"), "minItems": 1, "maxItems": MAX_EVENTS_PER_BATCH }))]),
        "EventBatchResult": closed(&[("received", integer()), ("stored", integer()), ("duplicates", integer())]),
        "ShipmentSummary": closed(&[
            ("tracking_number", string()), ("carrier", nullable(r("Carrier"))), ("order_number", nullable(string())),
            ("status", r("Status")), ("sub_status", nullable(r("SubStatus"))), ("health", r("HealthValue")),
            ("last_event_at", nullable(json!({ "type": "string", "format": "date-time" }))), ("eta", nullable(r("EtaWindow"))),
        ]),
        "ShipmentList": closed(&[("shipments", array(r("ShipmentSummary"))), ("next_cursor", nullable(string()))]),
        "TransitRange": input(&["min_days", "max_days"], &[("min_days", integer()), ("max_days", integer())]),
        "ShopInput": input(&["name", "transit_days"], &[("name", string()), ("allowed_origins", array(string())), ("transit_days", r("TransitRange")), ("live_carriers", array(r("LiveCarrier")))]),
        "ShopCreated": closed(&[("shop_id", string()), ("publishable_key", string()), ("secret_key", string())]),
        "KeyInput": input(&["kind"], &[("kind", r("KeyKind"))]),
        "KeyCreated": closed(&[("key_id", string()), ("kind", r("KeyKind")), ("key", string())]),
    })
}

#[cfg(test)]
mod tests {
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
