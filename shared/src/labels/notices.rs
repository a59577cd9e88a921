//! The words of notification messages (emails and text messages) in English, Spanish, French and
//! German: a catalogue of its own, apart from [`Key`](super::Key), so the widget, which links
//! only the words it shows, never carries these.
//!
//! Each language is one exhaustive `match` over [`NoticeText`], so a language missing a text does
//! not compile; a test checks that every text is non-empty and carries the same
//! `{placeholders}` as the English one. The placeholders are `{shop}` (the shop's name),
//! `{number}` (the tracking number), `{carrier}` (the carrier's name), `{place}` (a city-level
//! place), `{eta}` (the expected delivery window) and `{order}` (the shop's order number).

use super::Lang;
use crate::wire::Trigger;

/// A text of a notification message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeText {
    /// The subject line (also the email's heading and the text message's words) of a trigger.
    Subject(Trigger),
    /// The one or two sentences that say what happened. `{carrier}` and `{number}` for
    /// [`Trigger::Shipped`], `{place}` for [`Trigger::AvailableForPickup`], `{eta}` for
    /// [`Trigger::EtaLater`].
    Body(Trigger),
    /// [`Trigger::Shipped`]'s body when the carrier is not known: `{number}`.
    ShippedNoCarrier,
    /// [`Trigger::AvailableForPickup`]'s body when the place is not known.
    PickupNoPlace,
    /// [`Trigger::EtaLater`]'s body when the view has no ETA.
    EtaLaterNoEta,
    /// The text of the tracking link.
    TrackLink,
    /// The text of the link for an order's own triggers (no shipment yet).
    ViewOrder,
    /// Before the customer's required actions.
    WhatToDo,
    /// Before the newest event.
    LatestUpdate,
    /// Before the ETA window.
    ExpectedDelivery,
    /// The text of the unsubscribe link.
    Unsubscribe,
    /// Why the customer gets the message: `{shop}`.
    Footer,
    /// The order's reference: `{order}`.
    Order,
    /// The unsubscribe page's question.
    UnsubscribeAsk,
    /// The unsubscribe page's button.
    UnsubscribeButton,
    /// The unsubscribe page once done.
    Unsubscribed,
    /// The opt-in confirmation page's question: `{number}`.
    ConfirmAsk,
    /// The opt-in confirmation page's button.
    ConfirmButton,
    /// The opt-in confirmation page once done: `{number}`.
    Confirmed,
    /// A link that is not (or no longer) valid.
    InvalidLink,
}

impl NoticeText {
    /// Every notice text, for completeness checks.
    pub fn all() -> Vec<NoticeText> {
        let mut texts = Vec::new();
        texts.extend(Trigger::ALL.map(NoticeText::Subject));
        texts.extend(Trigger::ALL.map(NoticeText::Body));
        texts.extend([
            NoticeText::ShippedNoCarrier,
            NoticeText::PickupNoPlace,
            NoticeText::EtaLaterNoEta,
            NoticeText::TrackLink,
            NoticeText::ViewOrder,
            NoticeText::WhatToDo,
            NoticeText::LatestUpdate,
            NoticeText::ExpectedDelivery,
            NoticeText::Unsubscribe,
            NoticeText::Footer,
            NoticeText::Order,
            NoticeText::UnsubscribeAsk,
            NoticeText::UnsubscribeButton,
            NoticeText::Unsubscribed,
            NoticeText::ConfirmAsk,
            NoticeText::ConfirmButton,
            NoticeText::Confirmed,
            NoticeText::InvalidLink,
        ]);
        texts
    }
}

impl Lang {
    /// The words of notification messages in this language (their own catalogue, apart from
    /// [`Lang::text`]).
    pub fn notice(self, text: NoticeText) -> &'static str {
        match self {
            Lang::En => en(text),
            Lang::Es => es(text),
            Lang::Fr => fr(text),
            Lang::De => de(text),
        }
    }
}

/// English.
fn en(text: NoticeText) -> &'static str {
    use Trigger as T;
    match text {
        NoticeText::Subject(trigger) => match trigger {
            T::Shipped => "Your order from {shop} has shipped",
            T::InTransitAfterSilence => "Your parcel is moving again",
            T::OutForDelivery => "Your parcel is out for delivery",
            T::AvailableForPickup => "Your parcel is ready for pickup",
            T::AttemptFailed => "Your parcel could not be delivered",
            T::Delivered => "Your parcel has been delivered",
            T::Exception => "There is a problem with your parcel",
            T::Delay => "Your parcel is delayed",
            T::EtaLater => "Your delivery date has changed",
            T::AwaitingStock => "Your order is waiting for stock",
            T::PaymentIssue => "Please check the payment for your order",
            T::SubscriptionConfirmation => "Confirm emails from {shop} about your parcel",
        },
        NoticeText::Body(trigger) => match trigger {
            T::Shipped => "Your parcel is on its way with {carrier}. Tracking number: {number}.",
            T::InTransitAfterSilence => {
                "After a while without updates, your parcel is moving again."
            }
            T::OutForDelivery => "Your parcel is out for delivery and should arrive today.",
            T::AvailableForPickup => "Your parcel is ready for pickup in {place}.",
            T::AttemptFailed => "The carrier could not deliver your parcel.",
            T::Delivered => "Your parcel has been delivered. Thank you for your order.",
            T::Exception => {
                "The carrier has reported a problem with your parcel. Here are the latest details."
            }
            T::Delay => {
                "Your parcel is taking longer than expected. Here is what we know, and we will tell you when it moves."
            }
            T::EtaLater => {
                "Your parcel will arrive later than we said. New expected delivery: {eta}."
            }
            T::AwaitingStock => {
                "Your order is waiting for an item to come back in stock; we will send it as soon as it arrives."
            }
            T::PaymentIssue => {
                "There is a problem with the payment for your order; please check it so we can send it."
            }
            T::SubscriptionConfirmation => {
                "Someone asked for emails to this address about parcel {number}. If it was you, confirm with the link below; if not, ignore this message and nothing will be sent."
            }
        },
        NoticeText::ShippedNoCarrier => "Your parcel is on its way. Tracking number: {number}.",
        NoticeText::PickupNoPlace => "Your parcel is ready for pickup.",
        NoticeText::EtaLaterNoEta => "Your parcel will arrive later than we said.",
        NoticeText::TrackLink => "Track your parcel",
        NoticeText::ViewOrder => "See your order",
        NoticeText::WhatToDo => "What to do:",
        NoticeText::LatestUpdate => "Latest update:",
        NoticeText::ExpectedDelivery => "Expected delivery:",
        NoticeText::Unsubscribe => "Unsubscribe from updates about this order",
        NoticeText::Footer => "You are receiving this message because you ordered from {shop}.",
        NoticeText::Order => "Order {order}",
        NoticeText::UnsubscribeAsk => "Stop the updates about this order?",
        NoticeText::UnsubscribeButton => "Stop the updates",
        NoticeText::Unsubscribed => "Done: you will receive no more updates about this order.",
        NoticeText::ConfirmAsk => "Receive email updates about parcel {number}?",
        NoticeText::ConfirmButton => "Yes, email me updates",
        NoticeText::Confirmed => "Confirmed: we will email you when parcel {number} moves.",
        NoticeText::InvalidLink => "This link is not valid. It may have been copied incompletely.",
    }
}

/// Spanish.
fn es(text: NoticeText) -> &'static str {
    use Trigger as T;
    match text {
        NoticeText::Subject(trigger) => match trigger {
            T::Shipped => "Su pedido de {shop} ya está en camino",
            T::InTransitAfterSilence => "Su paquete vuelve a estar en movimiento",
            T::OutForDelivery => "Su paquete está en reparto",
            T::AvailableForPickup => "Su paquete está listo para recoger",
            T::AttemptFailed => "No se ha podido entregar su paquete",
            T::Delivered => "Su paquete ha sido entregado",
            T::Exception => "Hay una incidencia con su paquete",
            T::Delay => "Su paquete lleva retraso",
            T::EtaLater => "Ha cambiado la fecha de entrega de su paquete",
            T::AwaitingStock => "Su pedido está a la espera de existencias",
            T::PaymentIssue => "Revise el pago de su pedido",
            T::SubscriptionConfirmation => "Confirme los avisos de {shop} sobre su paquete",
        },
        NoticeText::Body(trigger) => match trigger {
            T::Shipped => "Su paquete va de camino con {carrier}. Número de seguimiento: {number}.",
            T::InTransitAfterSilence => {
                "Tras un tiempo sin novedades, su paquete vuelve a avanzar."
            }
            T::OutForDelivery => "Su paquete está en reparto y debería llegar hoy.",
            T::AvailableForPickup => "Su paquete está listo para recoger en {place}.",
            T::AttemptFailed => "El transportista no ha podido entregar su paquete.",
            T::Delivered => "Su paquete ha sido entregado. Gracias por su pedido.",
            T::Exception => {
                "El transportista ha comunicado una incidencia con su paquete. Estos son los últimos datos."
            }
            T::Delay => {
                "Su paquete está tardando más de lo previsto. Le contamos lo que sabemos y le avisaremos en cuanto se mueva."
            }
            T::EtaLater => {
                "Su paquete llegará más tarde de lo previsto. Nueva fecha de entrega prevista: {eta}."
            }
            T::AwaitingStock => {
                "Su pedido está a la espera de que vuelva a haber existencias de un artículo; se lo enviaremos en cuanto llegue."
            }
            T::PaymentIssue => {
                "Hay un problema con el pago de su pedido; revíselo, por favor, para que podamos enviárselo."
            }
            T::SubscriptionConfirmation => {
                "Alguien pidió avisos a esta dirección sobre el paquete {number}. Si fue usted, confírmelo con el enlace de abajo; si no, ignore este mensaje y no recibirá nada."
            }
        },
        NoticeText::ShippedNoCarrier => {
            "Su paquete ya va de camino. Número de seguimiento: {number}."
        }
        NoticeText::PickupNoPlace => "Su paquete está listo para recoger.",
        NoticeText::EtaLaterNoEta => "Su paquete llegará más tarde de lo previsto.",
        NoticeText::TrackLink => "Ver el seguimiento de su paquete",
        NoticeText::ViewOrder => "Ver su pedido",
        NoticeText::WhatToDo => "Qué debe hacer:",
        NoticeText::LatestUpdate => "Última actualización:",
        NoticeText::ExpectedDelivery => "Entrega prevista:",
        NoticeText::Unsubscribe => "Dejar de recibir avisos sobre este pedido",
        NoticeText::Footer => "Recibe este mensaje porque ha hecho un pedido en {shop}.",
        NoticeText::Order => "Pedido {order}",
        NoticeText::UnsubscribeAsk => "¿Dejar de recibir avisos sobre este pedido?",
        NoticeText::UnsubscribeButton => "Dejar de recibir avisos",
        NoticeText::Unsubscribed => "Hecho: no recibirá más avisos sobre este pedido.",
        NoticeText::ConfirmAsk => "¿Recibir avisos por correo sobre el paquete {number}?",
        NoticeText::ConfirmButton => "Sí, envíenme avisos",
        NoticeText::Confirmed => "Confirmado: le escribiremos cuando el paquete {number} avance.",
        NoticeText::InvalidLink => {
            "Este enlace no es válido. Puede que se haya copiado incompleto."
        }
    }
}

/// French, with a narrow no-break space before `:` and `;` as French typesetting has it.
fn fr(text: NoticeText) -> &'static str {
    use Trigger as T;
    match text {
        NoticeText::Subject(trigger) => match trigger {
            T::Shipped => "Votre commande chez {shop} a été expédiée",
            T::InTransitAfterSilence => "Votre colis est de nouveau en route",
            T::OutForDelivery => "Votre colis est en cours de livraison",
            T::AvailableForPickup => "Votre colis est prêt à être retiré",
            T::AttemptFailed => "Votre colis n’a pas pu être livré",
            T::Delivered => "Votre colis a été livré",
            T::Exception => "Un problème est survenu avec votre colis",
            T::Delay => "Votre colis a du retard",
            T::EtaLater => "La date de livraison de votre colis a changé",
            T::AwaitingStock => "Votre commande est en attente de stock",
            T::PaymentIssue => "Veuillez vérifier le paiement de votre commande",
            T::SubscriptionConfirmation => "Confirmez les nouvelles de {shop} sur votre colis",
        },
        NoticeText::Body(trigger) => match trigger {
            T::Shipped => {
                "Votre colis est en route avec {carrier}. Numéro de suivi\u{202f}: {number}."
            }
            T::InTransitAfterSilence => {
                "Après une période sans mise à jour, votre colis avance de nouveau."
            }
            T::OutForDelivery => {
                "Votre colis est en cours de livraison et devrait arriver aujourd’hui."
            }
            T::AvailableForPickup => "Votre colis est prêt à être retiré à {place}.",
            T::AttemptFailed => "Le transporteur n’a pas pu livrer votre colis.",
            T::Delivered => "Votre colis a été livré. Merci pour votre commande.",
            T::Exception => {
                "Le transporteur a signalé un problème avec votre colis. Voici les dernières informations."
            }
            T::Delay => {
                "Votre colis met plus de temps que prévu. Voici ce que nous savons, et nous vous préviendrons dès qu’il repartira."
            }
            T::EtaLater => {
                "Votre colis arrivera plus tard que prévu. Nouvelle date de livraison estimée\u{202f}: {eta}."
            }
            T::AwaitingStock => {
                "Votre commande attend le retour en stock d’un article\u{202f}; nous l’expédierons dès son arrivée."
            }
            T::PaymentIssue => {
                "Le paiement de votre commande pose problème\u{202f}; veuillez le vérifier pour que nous puissions l’expédier."
            }
            T::SubscriptionConfirmation => {
                "Quelqu’un a demandé des nouvelles du colis {number} à cette adresse. Si c’est vous, confirmez avec le lien ci-dessous\u{202f}; sinon, ignorez ce message et vous ne recevrez rien."
            }
        },
        NoticeText::ShippedNoCarrier => {
            "Votre colis est en route. Numéro de suivi\u{202f}: {number}."
        }
        NoticeText::PickupNoPlace => "Votre colis est prêt à être retiré.",
        NoticeText::EtaLaterNoEta => "Votre colis arrivera plus tard que prévu.",
        NoticeText::TrackLink => "Suivre votre colis",
        NoticeText::ViewOrder => "Voir votre commande",
        NoticeText::WhatToDo => "Ce que vous devez faire\u{202f}:",
        NoticeText::LatestUpdate => "Dernière mise à jour\u{202f}:",
        NoticeText::ExpectedDelivery => "Livraison prévue\u{202f}:",
        NoticeText::Unsubscribe => "Ne plus recevoir de messages sur cette commande",
        NoticeText::Footer => {
            "Vous recevez ce message parce que vous avez passé commande chez {shop}."
        }
        NoticeText::Order => "Commande {order}",
        NoticeText::UnsubscribeAsk => "Ne plus recevoir de messages sur cette commande\u{202f}?",
        NoticeText::UnsubscribeButton => "Ne plus recevoir de messages",
        NoticeText::Unsubscribed => {
            "C’est fait\u{202f}: vous ne recevrez plus de messages sur cette commande."
        }
        NoticeText::ConfirmAsk => "Recevoir des nouvelles du colis {number} par e-mail\u{202f}?",
        NoticeText::ConfirmButton => "Oui, écrivez-moi",
        NoticeText::Confirmed => {
            "C’est confirmé\u{202f}: nous vous écrirons quand le colis {number} avancera."
        }
        NoticeText::InvalidLink => "Ce lien n’est pas valide. Il a peut-être été copié en partie.",
    }
}

/// German.
fn de(text: NoticeText) -> &'static str {
    use Trigger as T;
    match text {
        NoticeText::Subject(trigger) => match trigger {
            T::Shipped => "Ihre Bestellung bei {shop} wurde versandt",
            T::InTransitAfterSilence => "Ihr Paket ist wieder unterwegs",
            T::OutForDelivery => "Ihr Paket ist in Zustellung",
            T::AvailableForPickup => "Ihr Paket liegt zur Abholung bereit",
            T::AttemptFailed => "Ihr Paket konnte nicht zugestellt werden",
            T::Delivered => "Ihr Paket wurde zugestellt",
            T::Exception => "Es gibt ein Problem mit Ihrem Paket",
            T::Delay => "Ihr Paket verspätet sich",
            T::EtaLater => "Neuer Liefertermin für Ihr Paket",
            T::AwaitingStock => "Ihre Bestellung wartet auf Nachschub",
            T::PaymentIssue => "Bitte prüfen Sie die Zahlung für Ihre Bestellung",
            T::SubscriptionConfirmation => "Bestätigen Sie Nachrichten von {shop} zu Ihrem Paket",
        },
        NoticeText::Body(trigger) => match trigger {
            T::Shipped => "Ihr Paket ist mit {carrier} unterwegs. Sendungsnummer: {number}.",
            T::InTransitAfterSilence => {
                "Nach einer Weile ohne neue Meldungen ist Ihr Paket wieder unterwegs."
            }
            T::OutForDelivery => "Ihr Paket ist in Zustellung und sollte heute ankommen.",
            T::AvailableForPickup => "Ihr Paket liegt zur Abholung bereit: {place}.",
            T::AttemptFailed => "Der Versanddienstleister konnte Ihr Paket nicht zustellen.",
            T::Delivered => "Ihr Paket wurde zugestellt. Vielen Dank für Ihre Bestellung.",
            T::Exception => {
                "Der Versanddienstleister hat ein Problem mit Ihrem Paket gemeldet. Hier die neuesten Informationen."
            }
            T::Delay => {
                "Ihr Paket braucht länger als erwartet. Hier ist, was wir wissen – wir melden uns, sobald es weitergeht."
            }
            T::EtaLater => {
                "Ihr Paket kommt später als angekündigt. Neuer voraussichtlicher Liefertermin: {eta}."
            }
            T::AwaitingStock => {
                "Ihre Bestellung wartet darauf, dass ein Artikel wieder vorrätig ist; wir versenden sie, sobald er eintrifft."
            }
            T::PaymentIssue => {
                "Bei der Zahlung für Ihre Bestellung gibt es ein Problem; bitte prüfen Sie sie, damit wir Ihre Bestellung versenden können."
            }
            T::SubscriptionConfirmation => {
                "Jemand hat für diese Adresse Nachrichten zu Paket {number} angefordert. Wenn Sie das waren, bestätigen Sie mit dem Link unten; sonst ignorieren Sie diese Nachricht, und Sie erhalten nichts."
            }
        },
        NoticeText::ShippedNoCarrier => "Ihr Paket ist unterwegs. Sendungsnummer: {number}.",
        NoticeText::PickupNoPlace => "Ihr Paket liegt zur Abholung bereit.",
        NoticeText::EtaLaterNoEta => "Ihr Paket kommt später als angekündigt.",
        NoticeText::TrackLink => "Sendung verfolgen",
        NoticeText::ViewOrder => "Bestellung ansehen",
        NoticeText::WhatToDo => "Was Sie tun müssen:",
        NoticeText::LatestUpdate => "Letzte Aktualisierung:",
        NoticeText::ExpectedDelivery => "Voraussichtliche Zustellung:",
        NoticeText::Unsubscribe => "Benachrichtigungen zu dieser Bestellung abbestellen",
        NoticeText::Footer => "Sie erhalten diese Nachricht, weil Sie bei {shop} bestellt haben.",
        NoticeText::Order => "Bestellung {order}",
        NoticeText::UnsubscribeAsk => "Keine Nachrichten mehr zu dieser Bestellung?",
        NoticeText::UnsubscribeButton => "Nachrichten abbestellen",
        NoticeText::Unsubscribed => {
            "Erledigt: Sie erhalten keine Nachrichten mehr zu dieser Bestellung."
        }
        NoticeText::ConfirmAsk => "Nachrichten zu Paket {number} per E-Mail erhalten?",
        NoticeText::ConfirmButton => "Ja, schreiben Sie mir",
        NoticeText::Confirmed => "Bestätigt: Wir schreiben Ihnen, wenn Paket {number} weiterreist.",
        NoticeText::InvalidLink => {
            "Dieser Link ist nicht gültig. Vielleicht wurde er unvollständig kopiert."
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_language_has_every_text_with_the_english_placeholders() {
        let texts = NoticeText::all();
        assert_eq!(texts.len(), 2 * Trigger::ALL.len() + 18);
        for lang in Lang::ALL {
            for &text in &texts {
                let words = lang.notice(text);
                assert!(
                    !words.trim().is_empty(),
                    "{lang:?} has an empty text for {text:?}"
                );
                assert_eq!(
                    placeholders(words),
                    placeholders(Lang::En.notice(text)),
                    "{lang:?} {text:?}: {words:?}"
                );
            }
        }
    }

    #[test]
    fn other_languages_are_actually_translated() {
        let texts = NoticeText::all();
        for lang in [Lang::Es, Lang::Fr, Lang::De] {
            let same: Vec<_> = texts
                .iter()
                .filter(|&&text| lang.notice(text) == Lang::En.notice(text))
                .collect();
            assert!(same.is_empty(), "{lang:?} repeats English for {same:?}");
        }
    }

    #[test]
    fn the_placeholders_are_where_the_renderer_fills_them() {
        let en = |text| placeholders(Lang::En.notice(text));
        assert_eq!(
            en(NoticeText::Body(Trigger::Shipped)),
            BTreeSet::from(["carrier", "number"])
        );
        assert_eq!(
            en(NoticeText::Body(Trigger::AvailableForPickup)),
            BTreeSet::from(["place"])
        );
        assert_eq!(
            en(NoticeText::Body(Trigger::EtaLater)),
            BTreeSet::from(["eta"])
        );
        assert_eq!(en(NoticeText::Footer), BTreeSet::from(["shop"]));
        assert_eq!(en(NoticeText::Order), BTreeSet::from(["order"]));
        for trigger in Trigger::ALL {
            let subject = en(NoticeText::Subject(trigger));
            assert!(subject.is_empty() || subject == BTreeSet::from(["shop"]));
            assert!(
                !Lang::En.notice(NoticeText::Subject(trigger)).ends_with('.'),
                "a subject line has no full stop"
            );
        }
    }
}
