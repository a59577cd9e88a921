//! EasyPost tracker statuses (`pre_transit`, `in_transit`, ...).

use super::{Taxonomy, both, export, import, of, sub};
use crate::status::{Status as S, SubStatus as Sub};

/// EasyPost `Tracker.status` values.
pub const EASYPOST: Taxonomy = Taxonomy {
    name: "EasyPost",
    rows: &[
        both("unknown", of(S::NotFound)),
        both("pre_transit", of(S::InfoReceived)),
        both("in_transit", of(S::InTransit)),
        both("out_for_delivery", of(S::OutForDelivery)),
        both("available_for_pickup", of(S::AvailableForPickup)),
        both("delivered", of(S::Delivered)),
        both("return_to_sender", sub(Sub::ReturningToSender)),
        both("failure", of(S::Exception)),
        both("cancelled", sub(Sub::Cancelled)),
        import("error", of(S::Exception)),
        export("unknown", of(S::Pending)),
        export("failure", of(S::AttemptFailed)),
        export("failure", of(S::Expired)),
    ],
};
