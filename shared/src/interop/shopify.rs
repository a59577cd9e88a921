//! Shopify fulfillment event statuses (`in_transit`; GraphQL's `IN_TRANSIT` reads the same).

use super::{Taxonomy, both, export, of, sub};
use crate::status::{Status as S, SubStatus as Sub};

/// Shopify `FulfillmentEvent.status` values.
pub const SHOPIFY: Taxonomy = Taxonomy {
    name: "Shopify",
    rows: &[
        both("confirmed", of(S::Pending)),
        both("label_purchased", of(S::InfoReceived)),
        both("label_printed", sub(Sub::LabelCreated)),
        both("carrier_picked_up", sub(Sub::PickedUp)),
        both("in_transit", of(S::InTransit)),
        both("delayed", sub(Sub::Delayed)),
        both("out_for_delivery", of(S::OutForDelivery)),
        both("ready_for_pickup", of(S::AvailableForPickup)),
        both("attempted_delivery", of(S::AttemptFailed)),
        both("delivered", of(S::Delivered)),
        both("picked_up", sub(Sub::Collected)),
        both("failure", of(S::Exception)),
        export("confirmed", of(S::NotFound)),
        export("failure", of(S::Expired)),
    ],
};
