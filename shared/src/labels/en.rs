//! English, the reference catalogue and the fallback.

use super::{DatePart, Key, Plural, Tense, TimeUnit, UiText};
use crate::action::{ActionKind, Actor};
use crate::eta::EtaSource;
use crate::health::Health;
use crate::milestone::Milestone;
use crate::status::{Status, SubStatus};

/// The English text of `key`.
pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Status(status) => match status {
            Status::Pending => "Order received",
            Status::InfoReceived => "Label created",
            Status::InTransit => "In transit",
            Status::OutForDelivery => "Out for delivery",
            Status::AvailableForPickup => "Ready for pickup",
            Status::AttemptFailed => "Delivery attempt failed",
            Status::Delivered => "Delivered",
            Status::Exception => "Problem with the shipment",
            Status::Expired => "Tracking expired",
            Status::NotFound => "Not found yet",
        },
        Key::SubStatus(sub) => match sub {
            SubStatus::AwaitingStock => "Waiting for stock",
            SubStatus::PaymentIssue => "Payment not completed",
            SubStatus::Processing => "Being prepared",
            SubStatus::LabelCreated => "Shipping label created, waiting for the carrier",
            SubStatus::PickedUp => "Picked up by the carrier",
            SubStatus::DepartedFacility => "Left a carrier facility",
            SubStatus::ArrivedFacility => "Arrived at a carrier facility",
            SubStatus::CustomsProcessing => "In customs",
            SubStatus::CustomsReleased => "Cleared customs",
            SubStatus::CustomsHeld => "Held by customs",
            SubStatus::DutiesDue => "Import duties must be paid",
            SubStatus::Delayed => "Delayed",
            SubStatus::Forwarded => "Forwarded",
            SubStatus::PostOffice => "At the post office",
            SubStatus::PickupPoint => "At a pickup point",
            SubStatus::Locker => "In a parcel locker",
            SubStatus::InvalidAddress => "The address is wrong",
            SubStatus::IncompleteAddress => "The address is incomplete",
            SubStatus::RecipientUnavailable => "Nobody was available",
            SubStatus::Refused => "Delivery was refused",
            SubStatus::AccessIssue => "The courier could not get access",
            SubStatus::ToRecipient => "Handed to the recipient",
            SubStatus::ToMailbox => "Left in the mailbox",
            SubStatus::ToNeighbor => "Left with a neighbor",
            SubStatus::ToSafePlace => "Left in a safe place",
            SubStatus::Collected => "Collected",
            SubStatus::Signed => "Signed for",
            SubStatus::Damaged => "Damaged",
            SubStatus::Lost => "Lost",
            SubStatus::Held => "Held by the carrier",
            SubStatus::ReturningToSender => "Returning to the sender",
            SubStatus::ReturnedToSender => "Returned to the sender",
            SubStatus::Cancelled => "Cancelled",
            SubStatus::MissingDocuments => "Documents are missing",
            SubStatus::NotYetScanned => "The carrier has not scanned it yet",
            SubStatus::UnknownNumber => "The carrier does not know this number",
        },
        Key::Milestone(milestone) => match milestone {
            Milestone::Ordered => "Ordered",
            Milestone::Shipped => "Shipped",
            Milestone::InTransit => "In transit",
            Milestone::OutForDelivery => "Out for delivery",
            Milestone::ReadyForPickup => "Ready for pickup",
            Milestone::Delivered => "Delivered",
        },
        Key::Health(health) => match health {
            Health::OnTrack => "On track",
            Health::Stalled => "No recent updates",
            Health::Late => "Running late",
            Health::NeedsAction => "Action needed",
            Health::Done => "Complete",
        },
        Key::Actor(actor) => match actor {
            Actor::Customer => "You",
            Actor::Retailer => "The shop",
        },
        Key::Action(action) => match action {
            ActionKind::ConfirmAddress => "Confirm the delivery address",
            ActionKind::CollectParcel => "Collect the parcel",
            ActionKind::PayDuties => "Pay the import duties",
            ActionKind::ArrangeRedelivery => "Arrange a new delivery",
            ActionKind::UpdatePayment => "Complete the payment",
            ActionKind::ContactCarrier => "Contact the carrier",
            ActionKind::ContactSupplier => "Contact the supplier",
            ActionKind::ContactCustomer => "Contact the customer",
            ActionKind::ProvideDocuments => "Send the missing documents",
        },
        Key::EtaSource(source) => match source {
            EtaSource::Carrier => "Carrier estimate",
            EtaSource::Promised => "Promised by the shop",
            EtaSource::Estimated => "Our estimate",
        },
        Key::JustNow => "just now",
        Key::Relative(unit, tense, plural) => match (unit, tense, plural) {
            (TimeUnit::Minute, Tense::Past, Plural::One) => "{n} minute ago",
            (TimeUnit::Minute, Tense::Past, Plural::Other) => "{n} minutes ago",
            (TimeUnit::Minute, Tense::Future, Plural::One) => "in {n} minute",
            (TimeUnit::Minute, Tense::Future, Plural::Other) => "in {n} minutes",
            (TimeUnit::Hour, Tense::Past, Plural::One) => "{n} hour ago",
            (TimeUnit::Hour, Tense::Past, Plural::Other) => "{n} hours ago",
            (TimeUnit::Hour, Tense::Future, Plural::One) => "in {n} hour",
            (TimeUnit::Hour, Tense::Future, Plural::Other) => "in {n} hours",
            (TimeUnit::Day, Tense::Past, Plural::One) => "{n} day ago",
            (TimeUnit::Day, Tense::Past, Plural::Other) => "{n} days ago",
            (TimeUnit::Day, Tense::Future, Plural::One) => "in {n} day",
            (TimeUnit::Day, Tense::Future, Plural::Other) => "in {n} days",
            (TimeUnit::Week, Tense::Past, Plural::One) => "{n} week ago",
            (TimeUnit::Week, Tense::Past, Plural::Other) => "{n} weeks ago",
            (TimeUnit::Week, Tense::Future, Plural::One) => "in {n} week",
            (TimeUnit::Week, Tense::Future, Plural::Other) => "in {n} weeks",
            (TimeUnit::Month, Tense::Past, Plural::One) => "{n} month ago",
            (TimeUnit::Month, Tense::Past, Plural::Other) => "{n} months ago",
            (TimeUnit::Month, Tense::Future, Plural::One) => "in {n} month",
            (TimeUnit::Month, Tense::Future, Plural::Other) => "in {n} months",
            (TimeUnit::Year, Tense::Past, Plural::One) => "{n} year ago",
            (TimeUnit::Year, Tense::Past, Plural::Other) => "{n} years ago",
            (TimeUnit::Year, Tense::Future, Plural::One) => "in {n} year",
            (TimeUnit::Year, Tense::Future, Plural::Other) => "in {n} years",
        },
        Key::Date(part) => date(part),
        Key::Ui(ui) => ui_text(ui),
    }
}

/// Dates and times in this language.
pub(super) fn date(part: DatePart) -> &'static str {
    match part {
        DatePart::Month(month) => match month {
            1 => "Jan",
            2 => "Feb",
            3 => "Mar",
            4 => "Apr",
            5 => "May",
            6 => "Jun",
            7 => "Jul",
            8 => "Aug",
            9 => "Sep",
            10 => "Oct",
            11 => "Nov",
            _ => "Dec",
        },
        DatePart::Weekday(day) => match day {
            0 => "Mon",
            1 => "Tue",
            2 => "Wed",
            3 => "Thu",
            4 => "Fri",
            5 => "Sat",
            _ => "Sun",
        },
        DatePart::DayPattern => "{weekday}, {month} {day}",
        DatePart::DatePattern => "{month} {day}",
        DatePart::DateTimePattern => "{date}, {time}",
        DatePart::TimePattern => "{h12}:{mm} {ampm}",
        DatePart::Am => "AM",
        DatePart::Pm => "PM",
        DatePart::LocalTime => "local time",
    }
}

/// The widget's words in this language.
pub(super) fn ui_text(ui: UiText) -> &'static str {
    match ui {
        UiText::FormTitle => "Track your order",
        UiText::TrackingNumber => "Tracking number",
        UiText::OrderNumber => "Order number",
        UiText::Email => "Email used for the order",
        UiText::Track => "Track",
        UiText::FindOrder => "Find my order",
        UiText::SearchByOrder => "Search by order number instead",
        UiText::SearchByNumber => "Search by tracking number instead",
        UiText::LooksLike => "Looks like a {carrier} number",
        UiText::TypoHint => {
            "This looks like a {carrier} number, but one character seems off. Please check it."
        }
        UiText::UnknownFormat => "We don't recognise this format, but we'll look it up.",
        UiText::Loading => "Loading tracking details…",
        UiText::NotFound => "We can't find this parcel yet",
        UiText::NotFoundHelp => {
            "New tracking numbers can take a day to appear. Check the number or try again later."
        }
        UiText::TrackOnCarrierSite => "Track it on the {carrier} website",
        UiText::OrderNotFound => "We couldn't find an order with these details.",
        UiText::NetworkError => "We couldn't reach the tracking service.",
        UiText::Retry => "Try again",
        UiText::RateLimited => "Too many searches. Please wait a moment and try again.",
        UiText::ShowAll => "Show all {count} updates",
        UiText::ShowLess => "Show fewer updates",
        UiText::EstimatedDelivery => "Estimated delivery",
        UiText::DeliveredOn => "Delivered on",
        UiText::ActionNeeded => "Action needed",
        UiText::History => "Tracking history",
        UiText::Progress => "Delivery progress",
        UiText::ParcelOf => "Parcel {n} of {total}",
        UiText::Updated => "Updated {when}",
        UiText::Stale => "The carrier isn't answering right now; this is the latest we know.",
        UiText::Carrier => "Carrier",
        UiText::NewSearch => "Track another parcel",
        UiText::EmailUpdates => "Email me updates",
        UiText::YourEmail => "Your email address",
        UiText::Subscribe => "Subscribe",
        UiText::CheckInbox => "Check your inbox to confirm.",
        UiText::BadEmail => "That email address does not look right.",
        UiText::SubscribeFailed => "That didn't work. Please try again later.",
    }
}
