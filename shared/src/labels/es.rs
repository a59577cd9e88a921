//! Spanish.

use super::{DatePart, Key, Plural, Tense, TimeUnit, UiText};
use crate::action::{ActionKind, Actor};
use crate::eta::EtaSource;
use crate::health::Health;
use crate::milestone::Milestone;
use crate::status::{Status, SubStatus};

/// The Spanish text of `key`.
pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::Status(status) => match status {
            Status::Pending => "Pedido recibido",
            Status::InfoReceived => "Etiqueta creada",
            Status::InTransit => "En tránsito",
            Status::OutForDelivery => "En reparto",
            Status::AvailableForPickup => "Listo para recoger",
            Status::AttemptFailed => "Intento de entrega fallido",
            Status::Delivered => "Entregado",
            Status::Exception => "Incidencia con el envío",
            Status::Expired => "Seguimiento caducado",
            Status::NotFound => "Aún no localizado",
        },
        Key::SubStatus(sub) => match sub {
            SubStatus::AwaitingStock => "A la espera de existencias",
            SubStatus::PaymentIssue => "Pago no completado",
            SubStatus::Processing => "En preparación",
            SubStatus::LabelCreated => "Etiqueta de envío creada, a la espera del transportista",
            SubStatus::PickedUp => "Recogido por el transportista",
            SubStatus::DepartedFacility => "Ha salido de un centro del transportista",
            SubStatus::ArrivedFacility => "Ha llegado a un centro del transportista",
            SubStatus::CustomsProcessing => "En aduanas",
            SubStatus::CustomsReleased => "Despachado de aduanas",
            SubStatus::CustomsHeld => "Retenido en aduanas",
            SubStatus::DutiesDue => "Hay que pagar los aranceles de importación",
            SubStatus::Delayed => "Con retraso",
            SubStatus::Forwarded => "Reenviado",
            SubStatus::PostOffice => "En la oficina de correos",
            SubStatus::PickupPoint => "En un punto de recogida",
            SubStatus::Locker => "En un casillero de paquetes",
            SubStatus::InvalidAddress => "La dirección es incorrecta",
            SubStatus::IncompleteAddress => "La dirección está incompleta",
            SubStatus::RecipientUnavailable => "No había nadie para recibirlo",
            SubStatus::Refused => "Se rechazó la entrega",
            SubStatus::AccessIssue => "El repartidor no pudo acceder",
            SubStatus::ToRecipient => "Entregado al destinatario",
            SubStatus::ToMailbox => "Depositado en el buzón",
            SubStatus::ToNeighbor => "Entregado a un vecino",
            SubStatus::ToSafePlace => "Dejado en un lugar seguro",
            SubStatus::Collected => "Recogido",
            SubStatus::Signed => "Entregado con firma",
            SubStatus::Damaged => "Dañado",
            SubStatus::Lost => "Extraviado",
            SubStatus::Held => "Retenido por el transportista",
            SubStatus::ReturningToSender => "En devolución al remitente",
            SubStatus::ReturnedToSender => "Devuelto al remitente",
            SubStatus::Cancelled => "Cancelado",
            SubStatus::MissingDocuments => "Faltan documentos",
            SubStatus::NotYetScanned => "El transportista aún no lo ha escaneado",
            SubStatus::UnknownNumber => "El transportista no reconoce este número",
        },
        Key::Milestone(milestone) => match milestone {
            Milestone::Ordered => "Pedido realizado",
            Milestone::Shipped => "Enviado",
            Milestone::InTransit => "En tránsito",
            Milestone::OutForDelivery => "En reparto",
            Milestone::ReadyForPickup => "Listo para recoger",
            Milestone::Delivered => "Entregado",
        },
        Key::Health(health) => match health {
            Health::OnTrack => "Según lo previsto",
            Health::Stalled => "Sin novedades recientes",
            Health::Late => "Con retraso",
            Health::NeedsAction => "Acción necesaria",
            Health::Done => "Completado",
        },
        Key::Actor(actor) => match actor {
            Actor::Customer => "Usted",
            Actor::Retailer => "La tienda",
        },
        Key::Action(action) => match action {
            ActionKind::ConfirmAddress => "Confirmar la dirección de entrega",
            ActionKind::CollectParcel => "Recoger el paquete",
            ActionKind::PayDuties => "Pagar los aranceles de importación",
            ActionKind::ArrangeRedelivery => "Programar una nueva entrega",
            ActionKind::UpdatePayment => "Completar el pago",
            ActionKind::ContactCarrier => "Contactar con el transportista",
            ActionKind::ContactSupplier => "Contactar con el proveedor",
            ActionKind::ContactCustomer => "Contactar con el cliente",
            ActionKind::ProvideDocuments => "Enviar los documentos que faltan",
        },
        Key::EtaSource(source) => match source {
            EtaSource::Carrier => "Estimación del transportista",
            EtaSource::Promised => "Fecha prometida por la tienda",
            EtaSource::Estimated => "Nuestra estimación",
        },
        Key::JustNow => "ahora mismo",
        Key::Relative(unit, tense, plural) => match (unit, tense, plural) {
            (TimeUnit::Minute, Tense::Past, Plural::One) => "hace {n} minuto",
            (TimeUnit::Minute, Tense::Past, Plural::Other) => "hace {n} minutos",
            (TimeUnit::Minute, Tense::Future, Plural::One) => "dentro de {n} minuto",
            (TimeUnit::Minute, Tense::Future, Plural::Other) => "dentro de {n} minutos",
            (TimeUnit::Hour, Tense::Past, Plural::One) => "hace {n} hora",
            (TimeUnit::Hour, Tense::Past, Plural::Other) => "hace {n} horas",
            (TimeUnit::Hour, Tense::Future, Plural::One) => "dentro de {n} hora",
            (TimeUnit::Hour, Tense::Future, Plural::Other) => "dentro de {n} horas",
            (TimeUnit::Day, Tense::Past, Plural::One) => "hace {n} día",
            (TimeUnit::Day, Tense::Past, Plural::Other) => "hace {n} días",
            (TimeUnit::Day, Tense::Future, Plural::One) => "dentro de {n} día",
            (TimeUnit::Day, Tense::Future, Plural::Other) => "dentro de {n} días",
            (TimeUnit::Week, Tense::Past, Plural::One) => "hace {n} semana",
            (TimeUnit::Week, Tense::Past, Plural::Other) => "hace {n} semanas",
            (TimeUnit::Week, Tense::Future, Plural::One) => "dentro de {n} semana",
            (TimeUnit::Week, Tense::Future, Plural::Other) => "dentro de {n} semanas",
            (TimeUnit::Month, Tense::Past, Plural::One) => "hace {n} mes",
            (TimeUnit::Month, Tense::Past, Plural::Other) => "hace {n} meses",
            (TimeUnit::Month, Tense::Future, Plural::One) => "dentro de {n} mes",
            (TimeUnit::Month, Tense::Future, Plural::Other) => "dentro de {n} meses",
            (TimeUnit::Year, Tense::Past, Plural::One) => "hace {n} año",
            (TimeUnit::Year, Tense::Past, Plural::Other) => "hace {n} años",
            (TimeUnit::Year, Tense::Future, Plural::One) => "dentro de {n} año",
            (TimeUnit::Year, Tense::Future, Plural::Other) => "dentro de {n} años",
        },
        Key::Date(part) => date(part),
        Key::Ui(ui) => ui_text(ui),
    }
}

/// Dates and times in this language.
pub(super) fn date(part: DatePart) -> &'static str {
    match part {
        DatePart::Month(month) => match month {
            1 => "ene",
            2 => "feb",
            3 => "mar",
            4 => "abr",
            5 => "may",
            6 => "jun",
            7 => "jul",
            8 => "ago",
            9 => "sept",
            10 => "oct",
            11 => "nov",
            _ => "dic",
        },
        DatePart::Weekday(day) => match day {
            0 => "lun",
            1 => "mar",
            2 => "mié",
            3 => "jue",
            4 => "vie",
            5 => "sáb",
            _ => "dom",
        },
        DatePart::DayPattern => "{weekday}, {day} {month}",
        DatePart::DatePattern => "{day} {month}",
        DatePart::DateTimePattern => "{date}, {time}",
        DatePart::TimePattern => "{h24}:{mm}",
        DatePart::Am => "a. m.",
        DatePart::Pm => "p. m.",
        DatePart::LocalTime => "hora local",
    }
}

/// The widget's words in this language.
pub(super) fn ui_text(ui: UiText) -> &'static str {
    match ui {
        UiText::FormTitle => "Siga su pedido",
        UiText::TrackingNumber => "Número de seguimiento",
        UiText::OrderNumber => "Número de pedido",
        UiText::Email => "Correo electrónico usado en el pedido",
        UiText::Track => "Consultar",
        UiText::FindOrder => "Buscar mi pedido",
        UiText::SearchByOrder => "Buscar por número de pedido",
        UiText::SearchByNumber => "Buscar por número de seguimiento",
        UiText::LooksLike => "Parece un número de {carrier}",
        UiText::TypoHint => {
            "Parece un número de {carrier}, pero hay un carácter que no cuadra. Revíselo, por favor."
        }
        UiText::UnknownFormat => "No reconocemos este formato, pero lo buscaremos de todos modos.",
        UiText::Loading => "Cargando los datos de seguimiento…",
        UiText::NotFound => "Todavía no encontramos este paquete",
        UiText::NotFoundHelp => {
            "Los números de seguimiento nuevos pueden tardar un día en aparecer. Compruebe el número o vuelva a intentarlo más tarde."
        }
        UiText::TrackOnCarrierSite => "Ver el seguimiento en la web de {carrier}",
        UiText::OrderNotFound => "No hemos encontrado ningún pedido con estos datos.",
        UiText::NetworkError => "No hemos podido conectar con el servicio de seguimiento.",
        UiText::Retry => "Volver a intentarlo",
        UiText::RateLimited => "Demasiadas búsquedas. Espere un momento y vuelva a intentarlo.",
        UiText::ShowAll => "Mostrar las {count} actualizaciones",
        UiText::ShowLess => "Mostrar menos actualizaciones",
        UiText::EstimatedDelivery => "Entrega estimada",
        UiText::DeliveredOn => "Entregado el",
        UiText::ActionNeeded => "Acción necesaria",
        UiText::History => "Historial de seguimiento",
        UiText::Progress => "Progreso de la entrega",
        UiText::ParcelOf => "Paquete {n} de {total}",
        UiText::Updated => "Actualizado {when}",
        UiText::Stale => {
            "El transportista no responde en este momento; esta es la información más reciente que tenemos."
        }
        UiText::Carrier => "Transportista",
        UiText::NewSearch => "Consultar otro envío",
        UiText::EmailUpdates => "Recibir avisos por correo",
        UiText::YourEmail => "Su correo electrónico",
        UiText::Subscribe => "Suscribirme",
        UiText::CheckInbox => "Revise su correo para confirmar.",
        UiText::BadEmail => "Esa dirección de correo no parece correcta.",
        UiText::SubscribeFailed => "No ha funcionado. Inténtelo de nuevo más tarde.",
    }
}
