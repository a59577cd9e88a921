//! French.

use super::{DatePart, Key, Plural, Tense, TimeUnit, UiText};
use crate::action::{ActionKind, Actor};
use crate::eta::EtaSource;
use crate::health::Health;
use crate::milestone::Milestone;
use crate::status::{Status, SubStatus};

/// The French text of `key`.
pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Status(status) => match status {
            Status::Pending => "Commande reçue",
            Status::InfoReceived => "Étiquette créée",
            Status::InTransit => "En transit",
            Status::OutForDelivery => "En cours de livraison",
            Status::AvailableForPickup => "Disponible au retrait",
            Status::AttemptFailed => "Tentative de livraison infructueuse",
            Status::Delivered => "Livré",
            Status::Exception => "Problème avec l’envoi",
            Status::Expired => "Suivi expiré",
            Status::NotFound => "Introuvable pour le moment",
        },
        Key::SubStatus(sub) => match sub {
            SubStatus::AwaitingStock => "En attente de réapprovisionnement",
            SubStatus::PaymentIssue => "Paiement non finalisé",
            SubStatus::Processing => "En cours de préparation",
            SubStatus::LabelCreated => "Étiquette d’expédition créée, en attente du transporteur",
            SubStatus::PickedUp => "Pris en charge par le transporteur",
            SubStatus::DepartedFacility => "A quitté un site du transporteur",
            SubStatus::ArrivedFacility => "Arrivé sur un site du transporteur",
            SubStatus::CustomsProcessing => "En cours de dédouanement",
            SubStatus::CustomsReleased => "Dédouané",
            SubStatus::CustomsHeld => "Retenu en douane",
            SubStatus::DutiesDue => "Des droits d’importation sont à payer",
            SubStatus::Delayed => "Retardé",
            SubStatus::Forwarded => "Réacheminé",
            SubStatus::PostOffice => "Au bureau de poste",
            SubStatus::PickupPoint => "En point relais",
            SubStatus::Locker => "Dans une consigne automatique",
            SubStatus::InvalidAddress => "L’adresse est incorrecte",
            SubStatus::IncompleteAddress => "L’adresse est incomplète",
            SubStatus::RecipientUnavailable => "Destinataire absent",
            SubStatus::Refused => "Livraison refusée",
            SubStatus::AccessIssue => "Le livreur n’a pas pu accéder au lieu de livraison",
            SubStatus::ToRecipient => "Remis au destinataire",
            SubStatus::ToMailbox => "Déposé dans la boîte aux lettres",
            SubStatus::ToNeighbor => "Remis à un voisin",
            SubStatus::ToSafePlace => "Déposé en lieu sûr",
            SubStatus::Collected => "Retiré",
            SubStatus::Signed => "Remis contre signature",
            SubStatus::Damaged => "Endommagé",
            SubStatus::Lost => "Perdu",
            SubStatus::Held => "Retenu par le transporteur",
            SubStatus::ReturningToSender => "En cours de retour à l’expéditeur",
            SubStatus::ReturnedToSender => "Retourné à l’expéditeur",
            SubStatus::Cancelled => "Annulé",
            SubStatus::MissingDocuments => "Documents manquants",
            SubStatus::NotYetScanned => "Le transporteur ne l’a pas encore scanné",
            SubStatus::UnknownNumber => "Le transporteur ne connaît pas ce numéro",
        },
        Key::Milestone(milestone) => match milestone {
            Milestone::Ordered => "Commandé",
            Milestone::Shipped => "Expédié",
            Milestone::InTransit => "En transit",
            Milestone::OutForDelivery => "En cours de livraison",
            Milestone::ReadyForPickup => "Disponible au retrait",
            Milestone::Delivered => "Livré",
        },
        Key::Health(health) => match health {
            Health::OnTrack => "Dans les temps",
            Health::Stalled => "Aucune mise à jour récente",
            Health::Late => "En retard",
            Health::NeedsAction => "Action requise",
            Health::Done => "Terminé",
        },
        Key::Actor(actor) => match actor {
            Actor::Customer => "Vous",
            Actor::Retailer => "La boutique",
        },
        Key::Action(action) => match action {
            ActionKind::ConfirmAddress => "Confirmer l’adresse de livraison",
            ActionKind::CollectParcel => "Retirer le colis",
            ActionKind::PayDuties => "Payer les droits d’importation",
            ActionKind::ArrangeRedelivery => "Programmer une nouvelle livraison",
            ActionKind::UpdatePayment => "Finaliser le paiement",
            ActionKind::ContactCarrier => "Contacter le transporteur",
            ActionKind::ContactSupplier => "Contacter le fournisseur",
            ActionKind::ContactCustomer => "Contacter le client",
            ActionKind::ProvideDocuments => "Envoyer les documents manquants",
        },
        Key::EtaSource(source) => match source {
            EtaSource::Carrier => "Estimation du transporteur",
            EtaSource::Promised => "Date promise par la boutique",
            EtaSource::Estimated => "Notre estimation",
        },
        Key::JustNow => "à l’instant",
        Key::Relative(unit, tense, plural) => match (unit, tense, plural) {
            (TimeUnit::Minute, Tense::Past, Plural::One) => "il y a {n} minute",
            (TimeUnit::Minute, Tense::Past, Plural::Other) => "il y a {n} minutes",
            (TimeUnit::Minute, Tense::Future, Plural::One) => "dans {n} minute",
            (TimeUnit::Minute, Tense::Future, Plural::Other) => "dans {n} minutes",
            (TimeUnit::Hour, Tense::Past, Plural::One) => "il y a {n} heure",
            (TimeUnit::Hour, Tense::Past, Plural::Other) => "il y a {n} heures",
            (TimeUnit::Hour, Tense::Future, Plural::One) => "dans {n} heure",
            (TimeUnit::Hour, Tense::Future, Plural::Other) => "dans {n} heures",
            (TimeUnit::Day, Tense::Past, Plural::One) => "il y a {n} jour",
            (TimeUnit::Day, Tense::Past, Plural::Other) => "il y a {n} jours",
            (TimeUnit::Day, Tense::Future, Plural::One) => "dans {n} jour",
            (TimeUnit::Day, Tense::Future, Plural::Other) => "dans {n} jours",
            (TimeUnit::Week, Tense::Past, Plural::One) => "il y a {n} semaine",
            (TimeUnit::Week, Tense::Past, Plural::Other) => "il y a {n} semaines",
            (TimeUnit::Week, Tense::Future, Plural::One) => "dans {n} semaine",
            (TimeUnit::Week, Tense::Future, Plural::Other) => "dans {n} semaines",
            (TimeUnit::Month, Tense::Past, Plural::One) => "il y a {n} mois",
            (TimeUnit::Month, Tense::Past, Plural::Other) => "il y a {n} mois",
            (TimeUnit::Month, Tense::Future, Plural::One) => "dans {n} mois",
            (TimeUnit::Month, Tense::Future, Plural::Other) => "dans {n} mois",
            (TimeUnit::Year, Tense::Past, Plural::One) => "il y a {n} an",
            (TimeUnit::Year, Tense::Past, Plural::Other) => "il y a {n} ans",
            (TimeUnit::Year, Tense::Future, Plural::One) => "dans {n} an",
            (TimeUnit::Year, Tense::Future, Plural::Other) => "dans {n} ans",
        },
        Key::Date(part) => date(part),
        Key::Ui(ui) => ui_text(ui),
    }
}

/// Dates and times in this language.
pub(super) fn date(part: DatePart) -> &'static str {
    match part {
        DatePart::Month(month) => match month {
            1 => "janv.",
            2 => "févr.",
            3 => "mars",
            4 => "avr.",
            5 => "mai",
            6 => "juin",
            7 => "juil.",
            8 => "août",
            9 => "sept.",
            10 => "oct.",
            11 => "nov.",
            _ => "déc.",
        },
        DatePart::Weekday(day) => match day {
            0 => "lun.",
            1 => "mar.",
            2 => "mer.",
            3 => "jeu.",
            4 => "ven.",
            5 => "sam.",
            _ => "dim.",
        },
        DatePart::DayPattern => "{weekday} {day} {month}",
        DatePart::DatePattern => "{day} {month}",
        DatePart::DateTimePattern => "{date}, {time}",
        DatePart::TimePattern => "{h24}:{mm}",
        DatePart::Am => "AM",
        DatePart::Pm => "PM",
        DatePart::LocalTime => "heure locale",
    }
}

/// The widget's words in this language.
pub(super) fn ui_text(ui: UiText) -> &'static str {
    match ui {
        UiText::FormTitle => "Suivez votre commande",
        UiText::TrackingNumber => "Numéro de suivi",
        UiText::OrderNumber => "Numéro de commande",
        UiText::Email => "Adresse e-mail utilisée pour la commande",
        UiText::Track => "Suivre",
        UiText::FindOrder => "Retrouver ma commande",
        UiText::SearchByOrder => "Rechercher plutôt par numéro de commande",
        UiText::SearchByNumber => "Rechercher plutôt par numéro de suivi",
        UiText::LooksLike => "Cela ressemble à un numéro {carrier}",
        UiText::TypoHint => {
            "Cela ressemble à un numéro {carrier}, mais un caractère semble erroné. Veuillez le vérifier."
        }
        UiText::UnknownFormat => {
            "Nous ne reconnaissons pas ce format, mais nous allons quand même le rechercher."
        }
        UiText::Loading => "Chargement des informations de suivi…",
        UiText::NotFound => "Nous ne trouvons pas encore ce colis",
        UiText::NotFoundHelp => {
            "Un nouveau numéro de suivi peut mettre jusqu’à un jour à apparaître. Vérifiez le numéro ou réessayez plus tard."
        }
        UiText::TrackOnCarrierSite => "Suivre le colis sur le site de {carrier}",
        UiText::OrderNotFound => {
            "Nous n’avons trouvé aucune commande correspondant à ces informations."
        }
        UiText::NetworkError => "Nous n’avons pas pu joindre le service de suivi.",
        UiText::Retry => "Réessayer",
        UiText::RateLimited => "Trop de recherches. Veuillez patienter un instant, puis réessayer.",
        UiText::ShowAll => "Afficher les {count} mises à jour",
        UiText::ShowLess => "Afficher moins de mises à jour",
        UiText::EstimatedDelivery => "Livraison estimée",
        UiText::DeliveredOn => "Livré le",
        UiText::ActionNeeded => "Action requise",
        UiText::History => "Historique de suivi",
        UiText::Progress => "Progression de la livraison",
        UiText::ParcelOf => "Colis {n} sur {total}",
        UiText::Updated => "Mis à jour {when}",
        UiText::Stale => {
            "Le transporteur ne répond pas pour le moment. Voici les dernières informations dont nous disposons."
        }
        UiText::Carrier => "Transporteur",
        UiText::NewSearch => "Suivre un autre colis",
        UiText::EmailUpdates => "Recevoir les nouvelles par e-mail",
        UiText::YourEmail => "Votre adresse e-mail",
        UiText::Subscribe => "M’abonner",
        UiText::CheckInbox => "Consultez votre boîte mail pour confirmer.",
        UiText::BadEmail => "Cette adresse e-mail ne semble pas correcte.",
        UiText::SubscribeFailed => "Cela n’a pas fonctionné. Réessayez plus tard.",
    }
}
