//! The status a carrier's words describe (lower-case text: descriptions, exception texts).
//!
//! FedEx and DHL codes are often too coarse to say what happened, so both read their words
//! through one table, [`words_status`]: each phrase list is the union of what the two carriers
//! write (DHL partly in German), most specific meaning first. What only one carrier's codes
//! decide stays in its adapter (FedEx's delivery-exception codes, the bounds DHL's status codes
//! put on the words).
//!
//! UPS and USPS keep word tables of their own: the same words mean other things there (a USPS
//! "parcel locker" delivery is a mailbox, a UPS "door" is any safe place), and their codes
//! already decided the status. Both add the missing sub-status through [`refine`]. A customs
//! hold reads the same for every carrier ([`customs_hold`]).

use waypost_shared::status::{Status, StatusDetail, SubStatus};

/// True when `text` contains any of `needles`.
pub(crate) fn has(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| text.contains(needle))
}

/// [`has`] for one text: `let has = has_in(words);` then `has(&["door", "porch"])`.
pub(crate) fn has_in(text: &str) -> impl Fn(&[&str]) -> bool + '_ {
    move |needles: &[&str]| has(text, needles)
}

/// True when the words (lower case) say customs is holding the parcel ("Held in Customs",
/// "customs hold", "vom Zoll zurückgehalten"): a hold the customer may have to act on, read as
/// [`SubStatus::Held`]. The hold must be a word of its own ("threshold" is none), and a release
/// from the hold is no hold.
pub(crate) fn customs_hold(text: &str) -> bool {
    const HOLD: [&str; 4] = ["hold", "held", "holding", "zurückgehalten"];
    has(text, &["customs", "clearance", "zoll"])
        && !has(text, &["release", "cleared"])
        && text
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| HOLD.contains(&word))
}

/// `detail` as it is when it has a sub-status already, else with the sub-status `sub_for` reads
/// for its status (unchanged when that is `None`).
pub(crate) fn refine(
    detail: StatusDetail,
    sub_for: impl FnOnce(Status) -> Option<SubStatus>,
) -> StatusDetail {
    if detail.sub_status().is_some() {
        return detail;
    }
    sub_for(detail.status()).map_or(detail, StatusDetail::sub)
}

/// The status the words (lower case) describe, most specific meaning first; `None` when they
/// say nothing recognisable.
pub(crate) fn words_status(text: &str) -> Option<StatusDetail> {
    use SubStatus::*;
    let sub = |s| Some(StatusDetail::sub(s));
    // Before the finished return: "being returned to the sender" is still on its way back.
    if has(
        text,
        &[
            "being returned",
            "will be returned",
            "on its way back",
            "return to sender",
            "return to shipper",
            "returning",
            "rücksendung",
        ],
    ) {
        return sub(ReturningToSender);
    }
    if has(text, &["returned to", "zurückgesendet"]) {
        return sub(ReturnedToSender);
    }
    if collected(text) {
        return sub(Collected);
    }
    if has(
        text,
        &[
            "ready for pickup",
            "ready for recipient pickup",
            "ready for collection",
            "available for pickup",
            "available for collection",
            "awaiting collection",
            "can be picked up",
            "to be collected",
            "hold at location",
            "held at location",
            "zur abholung",
            "abholbereit",
        ],
    ) {
        return sub(pickup_sub(text));
    }
    if has(text, &["damage", "beschädigt"]) {
        return sub(Damaged);
    }
    if has(
        text,
        &[
            "lost",
            "unable to locate",
            "could not be located",
            "cannot be located",
        ],
    ) {
        return sub(Lost);
    }
    if has(text, &["cancel", "storniert"]) {
        return sub(Cancelled);
    }
    if let Some(reason) = attempt_reason(text) {
        return sub(reason);
    }
    if has(
        text,
        &[
            "delivery attempt",
            "attempted delivery",
            "delivery was attempted",
            "could not be delivered",
            "unable to deliver",
            "undeliverable",
            "not delivered",
            "zustellversuch",
        ],
    ) {
        return Some(StatusDetail::new(Status::AttemptFailed));
    }
    if has(
        text,
        &[
            "missing documents",
            "documents missing",
            "documentation required",
            "paperwork",
        ],
    ) {
        return sub(MissingDocuments);
    }
    if has(text, &["customs", "clearance", "shipment release", "zoll"]) {
        return sub(if has(text, &["release", "cleared", "complete"]) {
            CustomsReleased
        } else if has(text, &["duties", "duty", "tax", "payment"]) {
            DutiesDue
        } else if customs_hold(text) {
            Held
        } else if has(text, &["delay", "inspection", "pending"]) {
            CustomsHeld
        } else {
            CustomsProcessing
        });
    }
    if has(
        text,
        &[
            "out for delivery",
            "vehicle for delivery",
            "with delivery courier",
            "out with courier",
            "onto the delivery vehicle",
            "on the delivery vehicle",
            "in zustellung",
            "zustellfahrzeug",
        ],
    ) {
        return Some(StatusDetail::new(Status::OutForDelivery));
    }
    if has(text, &["delivered", "zugestellt"]) {
        return Some(
            delivered_sub(text).map_or(StatusDetail::new(Status::Delivered), StatusDetail::sub),
        );
    }
    if has(text, &["delay", "weather", "later than"]) {
        return sub(Delayed);
    }
    if has(
        text,
        &["forwarded", "redirected", "rerouted", "weitergeleitet"],
    ) {
        return sub(Forwarded);
    }
    if has(text, &["on hold", "held", "hold"]) {
        return sub(Held);
    }
    if has(
        text,
        &[
            "picked up",
            "posted by",
            "handed over",
            "dropped off",
            "eingeliefert",
        ],
    ) {
        return sub(PickedUp);
    }
    if has(
        text,
        &[
            "departed",
            "departure",
            "has left",
            "left the",
            "left fedex",
        ],
    ) {
        return sub(DepartedFacility);
    }
    if has(
        text,
        &[
            "arrived",
            "arrival",
            "at local fedex facility",
            "at fedex",
            "eingetroffen",
        ],
    ) {
        return sub(ArrivedFacility);
    }
    if has(
        text,
        &[
            "shipment information sent",
            "label created",
            "instruction data",
            "electronically",
            "information received",
            "data received",
            "elektronisch",
        ],
    ) {
        return sub(LabelCreated);
    }
    if has(
        text,
        &[
            "in transit",
            "on the way",
            "on its way",
            "processed",
            "sorted",
            "unterwegs",
        ],
    ) {
        return Some(StatusDetail::new(Status::InTransit));
    }
    None
}

/// Why a delivery attempt failed, from the words; a missing part of an address makes it
/// incomplete rather than incorrect ("incorrect address - apartment number missing").
fn attempt_reason(text: &str) -> Option<SubStatus> {
    use SubStatus::*;
    if has(
        text,
        &[
            "apartment number",
            "suite number",
            "house number missing",
            "missing house number",
        ],
    ) {
        return Some(IncompleteAddress);
    }
    if text.contains("address") {
        if has(text, &["incomplete", "insufficient", "missing"]) {
            return Some(IncompleteAddress);
        }
        if has(
            text,
            &["incorrect", "wrong", "invalid", "unknown", "not found"],
        ) {
            return Some(InvalidAddress);
        }
    }
    if has(
        text,
        &[
            "recipient moved",
            "recipient has moved",
            "recipient unknown",
            "moved away",
        ],
    ) {
        return Some(InvalidAddress);
    }
    if has(text, &["refused", "declined", "rejected", "verweigert"]) {
        return Some(Refused);
    }
    if has(
        text,
        &[
            "not at home",
            "not home",
            "not present",
            "not available",
            "nobody",
            "no one",
            "premises closed",
            "business closed",
            "nicht angetroffen",
        ],
    ) {
        return Some(RecipientUnavailable);
    }
    if has(
        text,
        &[
            "no access",
            "not accessible",
            "access denied",
            "unable to access",
            "could not access",
            "gate code",
            "locked",
        ],
    ) {
        return Some(AccessIssue);
    }
    None
}

/// True when the words say the recipient collected the parcel from where it waited.
fn collected(text: &str) -> bool {
    has(
        text,
        &[
            "picked up by the recipient",
            "collected by the recipient",
            "picked up from the packstation",
            "picked up from the parcel locker",
            "picked up from the retail outlet",
            "picked up from the post office",
            "picked up from the service point",
            "picked up from the parcelshop",
            "abgeholt",
        ],
    )
}

/// How a delivery was made, from the words (lower case), when they say. "Picked up by" and
/// "collected by" mean the recipient only here, where the parcel is already delivered; elsewhere
/// they are the courier taking it in.
pub(crate) fn delivered_sub(text: &str) -> Option<SubStatus> {
    use SubStatus::*;
    if has(text, &["neighbour", "neighbor", "nachbar"]) {
        Some(ToNeighbor)
    } else if has(
        text,
        &[
            "mailbox",
            "mail box",
            "letterbox",
            "letter box",
            "briefkasten",
        ],
    ) {
        Some(ToMailbox)
    } else if has(
        text,
        &[
            "safe place",
            "drop-off location",
            "drop off location",
            "ablageort",
            "front door",
            "side door",
            "back door",
            "porch",
            "garage",
            "patio",
            "terrace",
        ],
    ) {
        Some(ToSafePlace)
    } else if collected(text) || has(text, &["picked up by", "collected by"]) {
        Some(Collected)
    } else if has(text, &["signed", "signature"]) {
        Some(Signed)
    } else if has(
        text,
        &[
            "to the recipient",
            "to recipient",
            "in person",
            "personally",
        ],
    ) {
        Some(ToRecipient)
    } else {
        None
    }
}

/// Where a parcel waits for pickup (lower-case words): a Packstation or locker, a post office
/// (DHL's "retail outlet" and "Filiale" are Deutsche Post branches), else a pickup point (FedEx
/// hold locations and retail locations, DHL service points and parcel shops).
pub(crate) fn pickup_sub(text: &str) -> SubStatus {
    if has(text, &["packstation", "locker"]) {
        SubStatus::Locker
    } else if has(text, &["post office", "usps", "retail outlet", "filiale"]) {
        SubStatus::PostOffice
    } else {
        SubStatus::PickupPoint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customs_hold_is_held_while_clearance_is_customs_processing() {
        let of = |text: &str| words_status(&text.to_lowercase());
        for held in [
            "Held in Customs",
            "Customs hold",
            "Shipment on hold - customs",
            "Customs is holding the shipment",
            "Die Sendung wird vom Zoll zurückgehalten",
        ] {
            assert_eq!(of(held), Some(StatusDetail::sub(SubStatus::Held)), "{held}");
        }
        for processing in [
            "Customs clearance",
            "Processed for clearance at CINCINNATI HUB - USA",
            "Customs status updated",
            "Value below the customs threshold",
        ] {
            assert_eq!(
                of(processing),
                Some(StatusDetail::sub(SubStatus::CustomsProcessing)),
                "{processing}"
            );
        }
        // What says more than the hold keeps its own meaning.
        assert_eq!(
            of("Customs hold released"),
            Some(StatusDetail::sub(SubStatus::CustomsReleased))
        );
        assert_eq!(
            of("Held in customs: duties payment required"),
            Some(StatusDetail::sub(SubStatus::DutiesDue))
        );
        assert_eq!(
            of("Clearance delay - import"),
            Some(StatusDetail::sub(SubStatus::CustomsHeld))
        );
    }
}
