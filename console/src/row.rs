//! One shipment in a list: what it is, how it is doing, how long it has been quiet and what to do.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use waypost_shared::action::{ActionKind, Actor, required_actions};
use waypost_shared::health::Health;
use waypost_shared::labels::{Key, Lang};
use waypost_shared::status::StatusDetail;
use waypost_shared::wire::ShipmentSummary;

/// A list row; its tracking number opens the shipment.
#[component]
pub fn Row(row: ShipmentSummary, now: DateTime<Utc>) -> impl IntoView {
    let lang = Lang::En;
    let encoded: String = js_sys::encode_uri_component(&row.tracking_number).into();
    let status = match row.sub_status {
        Some(sub) => format!(
            "{} ({})",
            lang.text(Key::Status(row.status)),
            lang.text(Key::SubStatus(sub))
        ),
        None => lang.text(Key::Status(row.status)).to_owned(),
    };
    let quiet = row.last_event_at.map_or_else(
        || "No events yet".to_owned(),
        |at| match (now - at).num_days() {
            ..1 => "Less than a day".to_owned(),
            1 => "1 day".to_owned(),
            days => format!("{days} days"),
        },
    );
    view! {
        <li class="row">
            <a class="number" href=format!("#/shipment/{encoded}")>{row.tracking_number.clone()}</a>
            <dl>
                <div><dt>"Order"</dt><dd>{row.order_number.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"Carrier"</dt><dd>{row.carrier.map_or("Unknown", |c| c.name())}</dd></div>
                <div><dt>"Status"</dt><dd>{status}</dd></div>
                <div>
                    <dt>"Health"</dt>
                    <dd><span class="badge" data-health=row.health.as_str()>{lang.text(Key::Health(row.health))}</span></dd>
                </div>
                <div><dt>"Quiet for"</dt><dd>{quiet}</dd></div>
                <div><dt>"To do"</dt><dd>{to_do(&row).join("; ")}</dd></div>
            </dl>
        </li>
    }
}

/// What someone must do, from the shared crate's required actions; a late or stalled parcel
/// that asks nothing of anyone is the carrier's to explain.
fn to_do(row: &ShipmentSummary) -> Vec<String> {
    let actions = StatusDetail::try_new(row.status, row.sub_status)
        .map(required_actions)
        .unwrap_or(&[]);
    if actions.is_empty() {
        return match row.health {
            Health::Late | Health::Stalled => {
                vec![action(Actor::Retailer, ActionKind::ContactCarrier)]
            }
            _ => vec!["Nothing".to_owned()],
        };
    }
    actions
        .iter()
        .map(|required| action(required.actor, required.kind))
        .collect()
}

/// "Customer: Collect the parcel", "You: Contact the carrier".
pub fn action(actor: Actor, kind: ActionKind) -> String {
    let who = match actor {
        Actor::Customer => "Customer",
        Actor::Retailer => "You",
    };
    format!("{who}: {}", Lang::En.text(Key::Action(kind)))
}
