//! Who must do what, derived from the status and sub-status alone.

use serde::{Deserialize, Serialize};

use crate::status::{Status, StatusDetail, SubStatus};

crate::wire_enum! {
    /// Who has to act.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Actor {
        /// The person waiting for the parcel.
        Customer = "customer",
        /// The shop that sold it.
        Retailer = "retailer",
    }
}

crate::wire_enum! {
    /// What has to be done.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ActionKind {
        /// Check and correct the delivery address.
        ConfirmAddress = "confirm_address",
        /// Fetch the parcel from the post office, pickup point or locker.
        CollectParcel = "collect_parcel",
        /// Pay import duties or taxes.
        PayDuties = "pay_duties",
        /// Book a new delivery attempt.
        ArrangeRedelivery = "arrange_redelivery",
        /// Settle the order's payment.
        UpdatePayment = "update_payment",
        /// Get in touch with the carrier.
        ContactCarrier = "contact_carrier",
        /// Get in touch with the supplier.
        ContactSupplier = "contact_supplier",
        /// Get in touch with the customer.
        ContactCustomer = "contact_customer",
        /// Send the missing paperwork.
        ProvideDocuments = "provide_documents",
    }
}

/// One thing someone must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RequiredAction {
    /// Who.
    pub actor: Actor,
    /// What.
    pub kind: ActionKind,
}

const fn customer(kind: ActionKind) -> RequiredAction {
    RequiredAction {
        actor: Actor::Customer,
        kind,
    }
}

const fn retailer(kind: ActionKind) -> RequiredAction {
    RequiredAction {
        actor: Actor::Retailer,
        kind,
    }
}

/// The actions a status calls for, customer's first; empty when nobody needs to do anything.
pub fn required_actions(detail: StatusDetail) -> &'static [RequiredAction] {
    use ActionKind::*;
    use SubStatus::*;
    match (detail.status(), detail.sub_status()) {
        (Status::Pending, Some(AwaitingStock)) => const { &[retailer(ContactSupplier)] },
        (Status::Pending, Some(PaymentIssue)) => const { &[customer(UpdatePayment)] },
        (Status::InTransit, Some(DutiesDue)) => const { &[customer(PayDuties)] },
        (Status::InTransit, Some(CustomsHeld)) => const { &[retailer(ContactCarrier)] },
        (Status::AvailableForPickup, _) => const { &[customer(CollectParcel)] },
        (Status::AttemptFailed, Some(InvalidAddress | IncompleteAddress)) => {
            const { &[customer(ConfirmAddress), retailer(ContactCustomer)] }
        }
        (Status::AttemptFailed, Some(Refused)) => const { &[retailer(ContactCustomer)] },
        (Status::AttemptFailed, _) => const { &[customer(ArrangeRedelivery)] },
        (Status::Exception, Some(MissingDocuments)) => const { &[retailer(ProvideDocuments)] },
        (Status::Exception, Some(ReturningToSender | ReturnedToSender)) => {
            const { &[retailer(ContactCustomer)] }
        }
        (Status::Exception, Some(Cancelled)) => const { &[] },
        (Status::Exception, _) | (Status::Expired, _) => const { &[retailer(ContactCarrier)] },
        (Status::NotFound, Some(UnknownNumber)) => const { &[retailer(ContactSupplier)] },
        _ => const { &[] },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_address_asks_customer_to_confirm_and_retailer_to_reach_out() {
        let actions = required_actions(SubStatus::InvalidAddress.into());
        assert_eq!(
            actions,
            [
                customer(ActionKind::ConfirmAddress),
                retailer(ActionKind::ContactCustomer)
            ]
        );
    }

    #[test]
    fn smooth_journeys_need_nothing() {
        for detail in [
            Status::InTransit.into(),
            Status::OutForDelivery.into(),
            SubStatus::Signed.into(),
        ] {
            assert!(required_actions(detail).is_empty(), "{detail:?}");
        }
        assert_eq!(
            required_actions(SubStatus::Locker.into()),
            [customer(ActionKind::CollectParcel)]
        );
        assert_eq!(
            required_actions(SubStatus::DutiesDue.into()),
            [customer(ActionKind::PayDuties)]
        );
        assert_eq!(
            required_actions(SubStatus::AwaitingStock.into()),
            [retailer(ActionKind::ContactSupplier)]
        );
    }
}
