//! German.

use super::{DatePart, Key, Plural, Tense, TimeUnit, UiText};
use crate::action::{ActionKind, Actor};
use crate::eta::EtaSource;
use crate::health::Health;
use crate::milestone::Milestone;
use crate::status::{Status, SubStatus};

/// The German text of `key`.
pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Status(status) => match status {
            Status::Pending => "Bestellung eingegangen",
            Status::InfoReceived => "Versandetikett erstellt",
            Status::InTransit => "Unterwegs",
            Status::OutForDelivery => "In Zustellung",
            Status::AvailableForPickup => "Abholbereit",
            Status::AttemptFailed => "Zustellversuch fehlgeschlagen",
            Status::Delivered => "Zugestellt",
            Status::Exception => "Problem mit der Sendung",
            Status::Expired => "Sendungsverfolgung abgelaufen",
            Status::NotFound => "Noch nicht gefunden",
        },
        Key::SubStatus(sub) => match sub {
            SubStatus::AwaitingStock => "Wartet auf Wareneingang",
            SubStatus::PaymentIssue => "Zahlung nicht abgeschlossen",
            SubStatus::Processing => "Wird vorbereitet",
            SubStatus::LabelCreated => {
                "Versandetikett erstellt, wartet auf den Versanddienstleister"
            }
            SubStatus::PickedUp => "Vom Versanddienstleister abgeholt",
            SubStatus::DepartedFacility => "Hat ein Verteilzentrum verlassen",
            SubStatus::ArrivedFacility => "In einem Verteilzentrum eingetroffen",
            SubStatus::CustomsProcessing => "In der Zollabfertigung",
            SubStatus::CustomsReleased => "Vom Zoll freigegeben",
            SubStatus::CustomsHeld => "Vom Zoll zurückgehalten",
            SubStatus::DutiesDue => "Einfuhrabgaben müssen bezahlt werden",
            SubStatus::Delayed => "Verzögert",
            SubStatus::Forwarded => "Weitergeleitet",
            SubStatus::PostOffice => "In der Postfiliale",
            SubStatus::PickupPoint => "An einer Abholstelle",
            SubStatus::Locker => "In einer Paketstation",
            SubStatus::InvalidAddress => "Die Adresse ist falsch",
            SubStatus::IncompleteAddress => "Die Adresse ist unvollständig",
            SubStatus::RecipientUnavailable => "Es wurde niemand angetroffen",
            SubStatus::Refused => "Annahme verweigert",
            SubStatus::AccessIssue => "Der Zusteller hatte keinen Zugang",
            SubStatus::ToRecipient => "An den Empfänger übergeben",
            SubStatus::ToMailbox => "In den Briefkasten gelegt",
            SubStatus::ToNeighbor => "Beim Nachbarn abgegeben",
            SubStatus::ToSafePlace => "An einem sicheren Ort abgelegt",
            SubStatus::Collected => "Abgeholt",
            SubStatus::Signed => "Gegen Unterschrift zugestellt",
            SubStatus::Damaged => "Beschädigt",
            SubStatus::Lost => "Verloren gegangen",
            SubStatus::Held => "Vom Versanddienstleister zurückgehalten",
            SubStatus::ReturningToSender => "Wird an den Absender zurückgeschickt",
            SubStatus::ReturnedToSender => "An den Absender zurückgeschickt",
            SubStatus::Cancelled => "Storniert",
            SubStatus::MissingDocuments => "Es fehlen Unterlagen",
            SubStatus::NotYetScanned => {
                "Der Versanddienstleister hat die Sendung noch nicht erfasst"
            }
            SubStatus::UnknownNumber => "Der Versanddienstleister kennt diese Nummer nicht",
        },
        Key::Milestone(milestone) => match milestone {
            Milestone::Ordered => "Bestellt",
            Milestone::Shipped => "Versandt",
            Milestone::InTransit => "Unterwegs",
            Milestone::OutForDelivery => "In Zustellung",
            Milestone::ReadyForPickup => "Abholbereit",
            Milestone::Delivered => "Zugestellt",
        },
        Key::Health(health) => match health {
            Health::OnTrack => "Im Zeitplan",
            Health::Stalled => "Keine neuen Statusmeldungen",
            Health::Late => "Verspätet",
            Health::NeedsAction => "Handlung erforderlich",
            Health::Done => "Abgeschlossen",
        },
        Key::Actor(actor) => match actor {
            Actor::Customer => "Sie",
            Actor::Retailer => "Der Shop",
        },
        Key::Action(action) => match action {
            ActionKind::ConfirmAddress => "Lieferadresse bestätigen",
            ActionKind::CollectParcel => "Paket abholen",
            ActionKind::PayDuties => "Einfuhrabgaben bezahlen",
            ActionKind::ArrangeRedelivery => "Neue Zustellung vereinbaren",
            ActionKind::UpdatePayment => "Zahlung abschließen",
            ActionKind::ContactCarrier => "Versanddienstleister kontaktieren",
            ActionKind::ContactSupplier => "Lieferanten kontaktieren",
            ActionKind::ContactCustomer => "Kunden kontaktieren",
            ActionKind::ProvideDocuments => "Fehlende Unterlagen senden",
        },
        Key::EtaSource(source) => match source {
            EtaSource::Carrier => "Prognose des Versanddienstleisters",
            EtaSource::Promised => "Vom Shop zugesagt",
            EtaSource::Estimated => "Unsere Schätzung",
        },
        Key::JustNow => "gerade eben",
        Key::Relative(unit, tense, plural) => match (unit, tense, plural) {
            (TimeUnit::Minute, Tense::Past, Plural::One) => "vor {n} Minute",
            (TimeUnit::Minute, Tense::Past, Plural::Other) => "vor {n} Minuten",
            (TimeUnit::Minute, Tense::Future, Plural::One) => "in {n} Minute",
            (TimeUnit::Minute, Tense::Future, Plural::Other) => "in {n} Minuten",
            (TimeUnit::Hour, Tense::Past, Plural::One) => "vor {n} Stunde",
            (TimeUnit::Hour, Tense::Past, Plural::Other) => "vor {n} Stunden",
            (TimeUnit::Hour, Tense::Future, Plural::One) => "in {n} Stunde",
            (TimeUnit::Hour, Tense::Future, Plural::Other) => "in {n} Stunden",
            (TimeUnit::Day, Tense::Past, Plural::One) => "vor {n} Tag",
            (TimeUnit::Day, Tense::Past, Plural::Other) => "vor {n} Tagen",
            (TimeUnit::Day, Tense::Future, Plural::One) => "in {n} Tag",
            (TimeUnit::Day, Tense::Future, Plural::Other) => "in {n} Tagen",
            (TimeUnit::Week, Tense::Past, Plural::One) => "vor {n} Woche",
            (TimeUnit::Week, Tense::Past, Plural::Other) => "vor {n} Wochen",
            (TimeUnit::Week, Tense::Future, Plural::One) => "in {n} Woche",
            (TimeUnit::Week, Tense::Future, Plural::Other) => "in {n} Wochen",
            (TimeUnit::Month, Tense::Past, Plural::One) => "vor {n} Monat",
            (TimeUnit::Month, Tense::Past, Plural::Other) => "vor {n} Monaten",
            (TimeUnit::Month, Tense::Future, Plural::One) => "in {n} Monat",
            (TimeUnit::Month, Tense::Future, Plural::Other) => "in {n} Monaten",
            (TimeUnit::Year, Tense::Past, Plural::One) => "vor {n} Jahr",
            (TimeUnit::Year, Tense::Past, Plural::Other) => "vor {n} Jahren",
            (TimeUnit::Year, Tense::Future, Plural::One) => "in {n} Jahr",
            (TimeUnit::Year, Tense::Future, Plural::Other) => "in {n} Jahren",
        },
        Key::Date(part) => date(part),
        Key::Ui(ui) => ui_text(ui),
    }
}

/// Dates and times in this language.
pub(super) fn date(part: DatePart) -> &'static str {
    match part {
        DatePart::Month(month) => match month {
            1 => "Jan.",
            2 => "Feb.",
            3 => "März",
            4 => "Apr.",
            5 => "Mai",
            6 => "Juni",
            7 => "Juli",
            8 => "Aug.",
            9 => "Sept.",
            10 => "Okt.",
            11 => "Nov.",
            _ => "Dez.",
        },
        DatePart::Weekday(day) => match day {
            0 => "Mo.",
            1 => "Di.",
            2 => "Mi.",
            3 => "Do.",
            4 => "Fr.",
            5 => "Sa.",
            _ => "So.",
        },
        DatePart::DayPattern => "{weekday}, {day}. {month}",
        DatePart::DatePattern => "{day}. {month}",
        DatePart::DateTimePattern => "{date}, {time}",
        DatePart::TimePattern => "{h24}:{mm}",
        DatePart::Am => "AM",
        DatePart::Pm => "PM",
        DatePart::LocalTime => "Ortszeit",
    }
}

/// The widget's words in this language.
pub(super) fn ui_text(ui: UiText) -> &'static str {
    match ui {
        UiText::FormTitle => "Bestellung verfolgen",
        UiText::TrackingNumber => "Sendungsnummer",
        UiText::OrderNumber => "Bestellnummer",
        UiText::Email => "Bei der Bestellung angegebene E-Mail-Adresse",
        UiText::Track => "Verfolgen",
        UiText::FindOrder => "Meine Bestellung finden",
        UiText::SearchByOrder => "Stattdessen nach Bestellnummer suchen",
        UiText::SearchByNumber => "Stattdessen nach Sendungsnummer suchen",
        UiText::LooksLike => "Sieht nach einer Sendungsnummer von {carrier} aus",
        UiText::TypoHint => {
            "Das sieht nach einer Sendungsnummer von {carrier} aus, aber ein Zeichen scheint nicht zu stimmen. Bitte prüfen Sie die Nummer."
        }
        UiText::UnknownFormat => "Wir erkennen dieses Format nicht, suchen aber trotzdem danach.",
        UiText::Loading => "Sendungsdaten werden geladen…",
        UiText::NotFound => "Wir können diese Sendung noch nicht finden",
        UiText::NotFoundHelp => {
            "Es kann bis zu einem Tag dauern, bis neue Sendungsnummern angezeigt werden. Bitte prüfen Sie die Nummer oder versuchen Sie es später noch einmal."
        }
        UiText::TrackOnCarrierSite => "Auf der Website von {carrier} verfolgen",
        UiText::OrderNotFound => "Wir konnten keine Bestellung mit diesen Angaben finden.",
        UiText::NetworkError => {
            "Wir konnten den Dienst für die Sendungsverfolgung nicht erreichen."
        }
        UiText::Retry => "Erneut versuchen",
        UiText::RateLimited => {
            "Zu viele Suchanfragen. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."
        }
        UiText::ShowAll => "Alle {count} Statusmeldungen anzeigen",
        UiText::ShowLess => "Weniger Statusmeldungen anzeigen",
        UiText::EstimatedDelivery => "Voraussichtliche Zustellung",
        UiText::DeliveredOn => "Zugestellt am",
        UiText::ActionNeeded => "Handlung erforderlich",
        UiText::History => "Sendungsverlauf",
        UiText::Progress => "Sendungsfortschritt",
        UiText::ParcelOf => "Paket {n} von {total}",
        UiText::Updated => "Aktualisiert {when}",
        UiText::Stale => {
            "Der Versanddienstleister antwortet gerade nicht. Dies ist der letzte uns bekannte Stand."
        }
        UiText::Carrier => "Versanddienstleister",
        UiText::NewSearch => "Andere Sendung verfolgen",
        UiText::EmailUpdates => "Updates per E-Mail erhalten",
        UiText::YourEmail => "Ihre E-Mail-Adresse",
        UiText::Subscribe => "Abonnieren",
        UiText::CheckInbox => "Prüfen Sie Ihr Postfach, um zu bestätigen.",
        UiText::BadEmail => "Diese E-Mail-Adresse scheint nicht zu stimmen.",
        UiText::SubscribeFailed => "Das hat nicht geklappt. Bitte später erneut versuchen.",
    }
}
