//! 17TRACK (API v2) sub-statuses (`InTransit_CustomsProcessing`, ...).

use super::{Taxonomy, both, export, import, of, sub};
use crate::status::{Status as S, SubStatus as Sub};

/// 17TRACK sub-statuses, with the main statuses accepted on import.
pub const SEVENTEEN_TRACK: Taxonomy = Taxonomy {
    name: "17TRACK",
    rows: &[
        both("NotFound_Other", of(S::NotFound)),
        both("NotFound_InvalidCode", sub(Sub::UnknownNumber)),
        both("InfoReceived", of(S::InfoReceived)),
        both("InTransit_Other", of(S::InTransit)),
        both("InTransit_PickedUp", sub(Sub::PickedUp)),
        both("InTransit_Departure", sub(Sub::DepartedFacility)),
        both("InTransit_Arrival", sub(Sub::ArrivedFacility)),
        both("InTransit_CustomsProcessing", sub(Sub::CustomsProcessing)),
        both("InTransit_CustomsReleased", sub(Sub::CustomsReleased)),
        both(
            "InTransit_CustomsRequiringInformation",
            sub(Sub::CustomsHeld),
        ),
        both("Expired_Other", of(S::Expired)),
        both("AvailableForPickup_Other", of(S::AvailableForPickup)),
        both("OutForDelivery_Other", of(S::OutForDelivery)),
        both("DeliveryFailure_Other", of(S::AttemptFailed)),
        both("DeliveryFailure_NoBody", sub(Sub::RecipientUnavailable)),
        both("DeliveryFailure_Security", sub(Sub::AccessIssue)),
        both("DeliveryFailure_Rejected", sub(Sub::Refused)),
        both("DeliveryFailure_InvalidAddress", sub(Sub::InvalidAddress)),
        both("Delivered_Other", of(S::Delivered)),
        both("Exception_Other", of(S::Exception)),
        both("Exception_Returning", sub(Sub::ReturningToSender)),
        both("Exception_Returned", sub(Sub::ReturnedToSender)),
        import("Exception_NoBody", sub(Sub::RecipientUnavailable)),
        both("Exception_Security", sub(Sub::Held)),
        both("Exception_Damage", sub(Sub::Damaged)),
        import("Exception_Rejected", sub(Sub::Refused)),
        both("Exception_Delayed", sub(Sub::Delayed)),
        both("Exception_Lost", sub(Sub::Lost)),
        import("Exception_Destroyed", sub(Sub::Lost)),
        both("Exception_Cancel", sub(Sub::Cancelled)),
        export("NotFound_Other", of(S::Pending)),
        import("NotFound", of(S::NotFound)),
        import("InTransit", of(S::InTransit)),
        import("Expired", of(S::Expired)),
        import("AvailableForPickup", of(S::AvailableForPickup)),
        import("OutForDelivery", of(S::OutForDelivery)),
        import("DeliveryFailure", of(S::AttemptFailed)),
        import("Delivered", of(S::Delivered)),
        import("Exception", of(S::Exception)),
    ],
};
