//! What a parcel is doing ([`Status`]) and why ([`SubStatus`]).

use serde::{Deserialize, Serialize};

use crate::Error;

/// The main state of a shipment. Serialized as a lowercase snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The order exists but nothing has been handed to a carrier yet.
    Pending,
    /// The carrier knows about the parcel (label created) but has not scanned it.
    InfoReceived,
    /// Moving through the carrier's network.
    InTransit,
    /// On the vehicle that delivers it today.
    OutForDelivery,
    /// Waiting at a post office, pickup point or locker for the customer.
    AvailableForPickup,
    /// A delivery was tried and did not succeed.
    AttemptFailed,
    /// Delivered: the journey is over.
    Delivered,
    /// Something went wrong: damaged, lost, held, returned, cancelled.
    Exception,
    /// No update for so long that tracking ended without a final status.
    Expired,
    /// The carrier has no record of the number (yet).
    NotFound,
}

impl Status {
    /// Every status, in journey order.
    pub const ALL: [Status; 10] = [
        Status::Pending,
        Status::InfoReceived,
        Status::InTransit,
        Status::OutForDelivery,
        Status::AvailableForPickup,
        Status::AttemptFailed,
        Status::Delivered,
        Status::Exception,
        Status::Expired,
        Status::NotFound,
    ];

    /// The wire name, e.g. `"in_transit"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::InfoReceived => "info_received",
            Status::InTransit => "in_transit",
            Status::OutForDelivery => "out_for_delivery",
            Status::AvailableForPickup => "available_for_pickup",
            Status::AttemptFailed => "attempt_failed",
            Status::Delivered => "delivered",
            Status::Exception => "exception",
            Status::Expired => "expired",
            Status::NotFound => "not_found",
        }
    }

    /// True when no further carrier event is expected.
    pub const fn is_final(self) -> bool {
        matches!(self, Status::Delivered | Status::Expired)
    }
}

/// Why a shipment is in its status. Each sub-status belongs to exactly one [`Status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubStatus {
    /// Pending: the goods are not in stock yet.
    AwaitingStock,
    /// Pending: the payment has not cleared.
    PaymentIssue,
    /// Pending: being picked and packed.
    Processing,
    /// Info received: a shipping label exists.
    LabelCreated,
    /// In transit: the carrier collected the parcel.
    PickedUp,
    /// In transit: left a facility.
    DepartedFacility,
    /// In transit: reached a facility.
    ArrivedFacility,
    /// In transit: being cleared through customs.
    CustomsProcessing,
    /// In transit: customs let it through.
    CustomsReleased,
    /// In transit: customs is holding it.
    CustomsHeld,
    /// In transit: import duties or taxes must be paid before delivery.
    DutiesDue,
    /// In transit: running behind schedule.
    Delayed,
    /// In transit: sent on to another address or carrier.
    Forwarded,
    /// Available for pickup: at a post office.
    PostOffice,
    /// Available for pickup: at a shop or pickup point.
    PickupPoint,
    /// Available for pickup: in a parcel locker.
    Locker,
    /// Attempt failed: the address is wrong.
    InvalidAddress,
    /// Attempt failed: the address lacks something (flat number, building).
    IncompleteAddress,
    /// Attempt failed: nobody was there.
    RecipientUnavailable,
    /// Attempt failed: the recipient refused the parcel.
    Refused,
    /// Attempt failed: the courier could not get in.
    AccessIssue,
    /// Delivered: handed to the recipient.
    ToRecipient,
    /// Delivered: left in the mailbox.
    ToMailbox,
    /// Delivered: left with a neighbour.
    ToNeighbor,
    /// Delivered: left in a safe place.
    ToSafePlace,
    /// Delivered: collected by the customer at a pickup location.
    Collected,
    /// Delivered: signed for.
    Signed,
    /// Exception: the parcel is damaged.
    Damaged,
    /// Exception: the parcel is lost.
    Lost,
    /// Exception: the carrier is holding it.
    Held,
    /// Exception: on its way back to the sender.
    ReturningToSender,
    /// Exception: back with the sender.
    ReturnedToSender,
    /// Exception: the shipment was cancelled.
    Cancelled,
    /// Exception: paperwork (customs, invoices) is missing.
    MissingDocuments,
    /// Not found: the number is real but not scanned yet.
    NotYetScanned,
    /// Not found: the carrier does not know the number.
    UnknownNumber,
}

impl SubStatus {
    /// Every sub-status, grouped by status in journey order.
    pub const ALL: [SubStatus; 36] = [
        SubStatus::AwaitingStock,
        SubStatus::PaymentIssue,
        SubStatus::Processing,
        SubStatus::LabelCreated,
        SubStatus::PickedUp,
        SubStatus::DepartedFacility,
        SubStatus::ArrivedFacility,
        SubStatus::CustomsProcessing,
        SubStatus::CustomsReleased,
        SubStatus::CustomsHeld,
        SubStatus::DutiesDue,
        SubStatus::Delayed,
        SubStatus::Forwarded,
        SubStatus::PostOffice,
        SubStatus::PickupPoint,
        SubStatus::Locker,
        SubStatus::InvalidAddress,
        SubStatus::IncompleteAddress,
        SubStatus::RecipientUnavailable,
        SubStatus::Refused,
        SubStatus::AccessIssue,
        SubStatus::ToRecipient,
        SubStatus::ToMailbox,
        SubStatus::ToNeighbor,
        SubStatus::ToSafePlace,
        SubStatus::Collected,
        SubStatus::Signed,
        SubStatus::Damaged,
        SubStatus::Lost,
        SubStatus::Held,
        SubStatus::ReturningToSender,
        SubStatus::ReturnedToSender,
        SubStatus::Cancelled,
        SubStatus::MissingDocuments,
        SubStatus::NotYetScanned,
        SubStatus::UnknownNumber,
    ];

    /// The status this sub-status refines.
    pub const fn status(self) -> Status {
        use SubStatus::*;
        match self {
            AwaitingStock | PaymentIssue | Processing => Status::Pending,
            LabelCreated => Status::InfoReceived,
            PickedUp | DepartedFacility | ArrivedFacility | CustomsProcessing | CustomsReleased
            | CustomsHeld | DutiesDue | Delayed | Forwarded => Status::InTransit,
            PostOffice | PickupPoint | Locker => Status::AvailableForPickup,
            InvalidAddress | IncompleteAddress | RecipientUnavailable | Refused | AccessIssue => {
                Status::AttemptFailed
            }
            ToRecipient | ToMailbox | ToNeighbor | ToSafePlace | Collected | Signed => {
                Status::Delivered
            }
            Damaged | Lost | Held | ReturningToSender | ReturnedToSender | Cancelled
            | MissingDocuments => Status::Exception,
            NotYetScanned | UnknownNumber => Status::NotFound,
        }
    }

    /// The wire name, e.g. `"customs_held"`.
    pub const fn as_str(self) -> &'static str {
        use SubStatus::*;
        match self {
            AwaitingStock => "awaiting_stock",
            PaymentIssue => "payment_issue",
            Processing => "processing",
            LabelCreated => "label_created",
            PickedUp => "picked_up",
            DepartedFacility => "departed_facility",
            ArrivedFacility => "arrived_facility",
            CustomsProcessing => "customs_processing",
            CustomsReleased => "customs_released",
            CustomsHeld => "customs_held",
            DutiesDue => "duties_due",
            Delayed => "delayed",
            Forwarded => "forwarded",
            PostOffice => "post_office",
            PickupPoint => "pickup_point",
            Locker => "locker",
            InvalidAddress => "invalid_address",
            IncompleteAddress => "incomplete_address",
            RecipientUnavailable => "recipient_unavailable",
            Refused => "refused",
            AccessIssue => "access_issue",
            ToRecipient => "to_recipient",
            ToMailbox => "to_mailbox",
            ToNeighbor => "to_neighbor",
            ToSafePlace => "to_safe_place",
            Collected => "collected",
            Signed => "signed",
            Damaged => "damaged",
            Lost => "lost",
            Held => "held",
            ReturningToSender => "returning_to_sender",
            ReturnedToSender => "returned_to_sender",
            Cancelled => "cancelled",
            MissingDocuments => "missing_documents",
            NotYetScanned => "not_yet_scanned",
            UnknownNumber => "unknown_number",
        }
    }
}

/// A status with an optional sub-status that is guaranteed to belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StatusDetailWire", into = "StatusDetailWire")]
pub struct StatusDetail {
    status: Status,
    sub_status: Option<SubStatus>,
}

impl StatusDetail {
    /// A status without a sub-status.
    pub const fn new(status: Status) -> Self {
        StatusDetail {
            status,
            sub_status: None,
        }
    }

    /// A sub-status together with the status it belongs to.
    pub const fn sub(sub_status: SubStatus) -> Self {
        StatusDetail {
            status: sub_status.status(),
            sub_status: Some(sub_status),
        }
    }

    /// Checks that `sub_status`, when given, belongs to `status`.
    pub fn try_new(status: Status, sub_status: Option<SubStatus>) -> Result<Self, Error> {
        match sub_status {
            Some(sub) if sub.status() != status => Err(Error::SubStatusMismatch {
                status: status.as_str(),
                sub_status: sub.as_str(),
            }),
            _ => Ok(StatusDetail { status, sub_status }),
        }
    }

    /// The main status.
    pub const fn status(self) -> Status {
        self.status
    }

    /// The sub-status, when known.
    pub const fn sub_status(self) -> Option<SubStatus> {
        self.sub_status
    }
}

impl From<Status> for StatusDetail {
    fn from(status: Status) -> Self {
        StatusDetail::new(status)
    }
}

impl From<SubStatus> for StatusDetail {
    fn from(sub: SubStatus) -> Self {
        StatusDetail::sub(sub)
    }
}

/// The two flat fields a [`StatusDetail`] has on the wire.
#[derive(Serialize, Deserialize)]
struct StatusDetailWire {
    status: Status,
    #[serde(default)]
    sub_status: Option<SubStatus>,
}

impl TryFrom<StatusDetailWire> for StatusDetail {
    type Error = Error;
    fn try_from(wire: StatusDetailWire) -> Result<Self, Error> {
        StatusDetail::try_new(wire.status, wire.sub_status)
    }
}

impl From<StatusDetail> for StatusDetailWire {
    fn from(detail: StatusDetail) -> Self {
        StatusDetailWire {
            status: detail.status,
            sub_status: detail.sub_status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for status in Status::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        for sub in SubStatus::ALL {
            assert_eq!(serde_json::to_value(sub).unwrap(), sub.as_str());
        }
    }

    #[test]
    fn sub_status_must_belong_to_its_status() {
        assert!(StatusDetail::try_new(Status::Delivered, Some(SubStatus::Signed)).is_ok());
        let err = StatusDetail::try_new(Status::Delivered, Some(SubStatus::Lost)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "sub-status lost does not belong to status delivered"
        );
        let parsed: Result<StatusDetail, _> =
            serde_json::from_str(r#"{"status":"in_transit","sub_status":"refused"}"#);
        assert!(parsed.is_err());
    }

    #[test]
    fn every_status_but_two_has_sub_statuses() {
        for status in Status::ALL {
            let subs = SubStatus::ALL
                .iter()
                .filter(|s| s.status() == status)
                .count();
            let expect_none = matches!(status, Status::OutForDelivery | Status::Expired);
            assert_eq!(subs == 0, expect_none, "{status:?}");
        }
    }
}
