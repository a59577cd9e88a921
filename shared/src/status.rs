//! What a parcel is doing ([`Status`]) and why ([`SubStatus`]).

use serde::{Deserialize, Serialize};

use crate::Error;

crate::wire_enum! {
    /// The main state of a shipment. Serialized as a lowercase snake_case string. Declared in
    /// journey order.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Status {
        /// The order exists but nothing has been handed to a carrier yet.
        Pending = "pending",
        /// The carrier knows about the parcel (label created) but has not scanned it.
        InfoReceived = "info_received",
        /// Moving through the carrier's network.
        InTransit = "in_transit",
        /// On the vehicle that delivers it today.
        OutForDelivery = "out_for_delivery",
        /// Waiting at a post office, pickup point or locker for the customer.
        AvailableForPickup = "available_for_pickup",
        /// A delivery was tried and did not succeed.
        AttemptFailed = "attempt_failed",
        /// Delivered: the journey is over.
        Delivered = "delivered",
        /// Something went wrong: damaged, lost, held, returned, cancelled.
        Exception = "exception",
        /// No update for so long that tracking ended without a final status.
        Expired = "expired",
        /// The carrier has no record of the number (yet).
        NotFound = "not_found",
    }
}

impl Status {
    /// True when no further carrier event is expected. The one rule for "final"; [`Status::FINAL`]
    /// lists the statuses it holds for.
    pub const fn is_final(self) -> bool {
        matches!(self, Status::Delivered | Status::Expired)
    }

    /// The final statuses (see [`Status::is_final`]) in journey order, e.g. for a query that
    /// filters on their wire names (`Status::FINAL.map(Status::as_str)`).
    pub const FINAL: [Status; FINAL_COUNT] = {
        let mut finals = [Status::Pending; FINAL_COUNT];
        let (mut i, mut found) = (0, 0);
        while i < Status::ALL.len() {
            if Status::ALL[i].is_final() {
                finals[found] = Status::ALL[i];
                found += 1;
            }
            i += 1;
        }
        finals
    };
}

/// How many statuses are final.
const FINAL_COUNT: usize = {
    let (mut i, mut count) = (0, 0);
    while i < Status::ALL.len() {
        count += Status::ALL[i].is_final() as usize;
        i += 1;
    }
    count
};

crate::wire_enum! {
    /// Why a shipment is in its status. Each sub-status belongs to exactly one [`Status`]. Declared
    /// grouped by status in journey order.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum SubStatus {
        /// Pending: the goods are not in stock yet.
        AwaitingStock = "awaiting_stock",
        /// Pending: the payment has not cleared.
        PaymentIssue = "payment_issue",
        /// Pending: being picked and packed.
        Processing = "processing",
        /// Info received: a shipping label exists.
        LabelCreated = "label_created",
        /// In transit: the carrier collected the parcel.
        PickedUp = "picked_up",
        /// In transit: left a facility.
        DepartedFacility = "departed_facility",
        /// In transit: reached a facility.
        ArrivedFacility = "arrived_facility",
        /// In transit: being cleared through customs.
        CustomsProcessing = "customs_processing",
        /// In transit: customs let it through.
        CustomsReleased = "customs_released",
        /// In transit: customs is holding it.
        CustomsHeld = "customs_held",
        /// In transit: import duties or taxes must be paid before delivery.
        DutiesDue = "duties_due",
        /// In transit: running behind schedule.
        Delayed = "delayed",
        /// In transit: sent on to another address or carrier.
        Forwarded = "forwarded",
        /// Available for pickup: at a post office.
        PostOffice = "post_office",
        /// Available for pickup: at a shop or pickup point.
        PickupPoint = "pickup_point",
        /// Available for pickup: in a parcel locker.
        Locker = "locker",
        /// Attempt failed: the address is wrong.
        InvalidAddress = "invalid_address",
        /// Attempt failed: the address lacks something (flat number, building).
        IncompleteAddress = "incomplete_address",
        /// Attempt failed: nobody was there.
        RecipientUnavailable = "recipient_unavailable",
        /// Attempt failed: the recipient refused the parcel.
        Refused = "refused",
        /// Attempt failed: the courier could not get in.
        AccessIssue = "access_issue",
        /// Delivered: handed to the recipient.
        ToRecipient = "to_recipient",
        /// Delivered: left in the mailbox.
        ToMailbox = "to_mailbox",
        /// Delivered: left with a neighbour.
        ToNeighbor = "to_neighbor",
        /// Delivered: left in a safe place.
        ToSafePlace = "to_safe_place",
        /// Delivered: collected by the customer at a pickup location.
        Collected = "collected",
        /// Delivered: signed for.
        Signed = "signed",
        /// Exception: the parcel is damaged.
        Damaged = "damaged",
        /// Exception: the parcel is lost.
        Lost = "lost",
        /// Exception: the carrier is holding it.
        Held = "held",
        /// Exception: on its way back to the sender.
        ReturningToSender = "returning_to_sender",
        /// Exception: back with the sender.
        ReturnedToSender = "returned_to_sender",
        /// Exception: the shipment was cancelled.
        Cancelled = "cancelled",
        /// Exception: paperwork (customs, invoices) is missing.
        MissingDocuments = "missing_documents",
        /// Not found: the number is real but not scanned yet.
        NotYetScanned = "not_yet_scanned",
        /// Not found: the carrier does not know the number.
        UnknownNumber = "unknown_number",
    }
}

impl SubStatus {
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
    fn final_statuses_follow_the_rule() {
        assert_eq!(Status::FINAL, [Status::Delivered, Status::Expired]);
        for status in Status::ALL {
            assert_eq!(
                Status::FINAL.contains(&status),
                status.is_final(),
                "{status:?}"
            );
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
