//! Shopify fulfillment event statuses (`in_transit`; GraphQL's `IN_TRANSIT` reads the same).

use super::{Taxonomy, both, export};
use crate::status::{Status as S, StatusDetail, SubStatus as Sub};

/// Shopify `FulfillmentEvent.status` values.
pub const SHOPIFY: Taxonomy = Taxonomy {
    name: "Shopify",
    rows: &[
        both("confirmed", StatusDetail::new(S::Pending)),
        both("label_purchased", StatusDetail::new(S::InfoReceived)),
        both("label_printed", StatusDetail::sub(Sub::LabelCreated)),
        both("carrier_picked_up", StatusDetail::sub(Sub::PickedUp)),
        both("in_transit", StatusDetail::new(S::InTransit)),
        both("delayed", StatusDetail::sub(Sub::Delayed)),
        both("out_for_delivery", StatusDetail::new(S::OutForDelivery)),
        both("ready_for_pickup", StatusDetail::new(S::AvailableForPickup)),
        both("attempted_delivery", StatusDetail::new(S::AttemptFailed)),
        both("delivered", StatusDetail::new(S::Delivered)),
        both("picked_up", StatusDetail::sub(Sub::Collected)),
        both("failure", StatusDetail::new(S::Exception)),
        export("confirmed", StatusDetail::new(S::NotFound)),
        export("failure", StatusDetail::new(S::Expired)),
    ],
};
