//! AfterShip tracking tags and subtags (`InTransit_007`, ...).

use super::{Taxonomy, both, export, import, of, sub};
use crate::status::{Status as S, SubStatus as Sub};

/// AfterShip subtags, with the bare tags accepted on import.
pub const AFTERSHIP: Taxonomy = Taxonomy {
    name: "AfterShip",
    rows: &[
        both("Pending_001", of(S::Pending)),
        both("InfoReceived_001", sub(Sub::LabelCreated)),
        both("InTransit_001", of(S::InTransit)),
        both("InTransit_002", sub(Sub::PickedUp)),
        both("InTransit_003", sub(Sub::ArrivedFacility)),
        import("InTransit_004", sub(Sub::ArrivedFacility)),
        both("InTransit_005", sub(Sub::CustomsReleased)),
        both("InTransit_006", sub(Sub::CustomsProcessing)),
        both("InTransit_007", sub(Sub::DepartedFacility)),
        import("InTransit_008", of(S::InTransit)),
        both("InTransit_009", sub(Sub::Forwarded)),
        both("OutForDelivery_001", of(S::OutForDelivery)),
        import("OutForDelivery_003", of(S::OutForDelivery)),
        import("OutForDelivery_004", of(S::OutForDelivery)),
        both("AttemptFail_001", of(S::AttemptFailed)),
        both("AttemptFail_002", sub(Sub::RecipientUnavailable)),
        both("AttemptFail_003", sub(Sub::AccessIssue)),
        both("Delivered_001", of(S::Delivered)),
        both("Delivered_002", sub(Sub::Collected)),
        both("Delivered_003", sub(Sub::Signed)),
        import("Delivered_004", sub(Sub::ToRecipient)),
        both("Delivered_005", sub(Sub::ToNeighbor)),
        both("AvailableForPickup_001", of(S::AvailableForPickup)),
        both("Exception_001", of(S::Exception)),
        import("Exception_002", sub(Sub::InvalidAddress)),
        both("Exception_003", sub(Sub::Refused)),
        both("Exception_004", sub(Sub::CustomsHeld)),
        both("Exception_005", sub(Sub::Delayed)),
        both("Exception_006", sub(Sub::DutiesDue)),
        both("Exception_007", sub(Sub::InvalidAddress)),
        both("Exception_008", sub(Sub::Held)),
        import("Exception_009", of(S::Exception)),
        both("Exception_010", sub(Sub::ReturningToSender)),
        both("Exception_011", sub(Sub::ReturnedToSender)),
        both("Exception_012", sub(Sub::Damaged)),
        both("Exception_013", sub(Sub::Lost)),
        both("Expired_001", of(S::Expired)),
        export("Pending_001", of(S::NotFound)),
        import("Pending", of(S::Pending)),
        import("InfoReceived", of(S::InfoReceived)),
        import("InTransit", of(S::InTransit)),
        import("OutForDelivery", of(S::OutForDelivery)),
        import("AttemptFail", of(S::AttemptFailed)),
        import("Delivered", of(S::Delivered)),
        import("AvailableForPickup", of(S::AvailableForPickup)),
        import("Exception", of(S::Exception)),
        import("Expired", of(S::Expired)),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_address_and_customs() {
        assert_eq!(
            AFTERSHIP.import("Exception_007").unwrap(),
            sub(Sub::InvalidAddress)
        );
        assert_eq!(
            AFTERSHIP.export(sub(Sub::IncompleteAddress)),
            "AttemptFail_001"
        );
        assert_eq!(AFTERSHIP.export(sub(Sub::CustomsHeld)), "Exception_004");
        assert_eq!(AFTERSHIP.import("intransit").unwrap(), of(S::InTransit));
    }
}
