//! EasyPost tracker statuses (`pre_transit`, `in_transit`, ...).

use super::{Taxonomy, both, export, import};
use crate::status::{Status as S, StatusDetail, SubStatus as Sub};

/// EasyPost `Tracker.status` values.
pub const EASYPOST: Taxonomy = Taxonomy {
    name: "EasyPost",
    rows: &[
        both("unknown", StatusDetail::new(S::NotFound)),
        both("pre_transit", StatusDetail::new(S::InfoReceived)),
        both("in_transit", StatusDetail::new(S::InTransit)),
        both("out_for_delivery", StatusDetail::new(S::OutForDelivery)),
        both(
            "available_for_pickup",
            StatusDetail::new(S::AvailableForPickup),
        ),
        both("delivered", StatusDetail::new(S::Delivered)),
        both(
            "return_to_sender",
            StatusDetail::sub(Sub::ReturningToSender),
        ),
        both("failure", StatusDetail::new(S::Exception)),
        both("cancelled", StatusDetail::sub(Sub::Cancelled)),
        import("error", StatusDetail::new(S::Exception)),
        export("unknown", StatusDetail::new(S::Pending)),
        export("failure", StatusDetail::new(S::AttemptFailed)),
        export("failure", StatusDetail::new(S::Expired)),
    ],
};
