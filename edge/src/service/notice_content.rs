//! The words of a notification: its subject, plain text and accessible HTML for email, and one
//! short line for SMS, in the order's language, from the shared crate's notice catalogue
//! ([`NoticeText`]) and the labels the tracking view already holds. Pure: no I/O, no clock.
//!
//! Every string that comes from outside (the shop's name, the carrier's words, the order number,
//! places, links) is HTML-escaped in the HTML and stripped of control characters and line breaks
//! everywhere, so neither a `<script>` in a carrier's description nor a line break in a shop's
//! name can change the message's structure. The message holds nothing personal beyond what the
//! view holds: places are city-level, and no name or street is ever added.

use waypost_shared::action::Actor;
use waypost_shared::event::Place;
use waypost_shared::labels::{Lang, NoticeText, fill};
use waypost_shared::wire::{TrackingView, Trigger};

/// The longest shop name a message shows, in characters (longer ones are cut with `…`).
const MAX_SHOP_CHARS: usize = 100;
/// The longest shop name a text message shows, in characters.
const MAX_SMS_SHOP_CHARS: usize = 30;
/// The longest carrier description a message shows, in characters.
const MAX_DESCRIPTION_CHARS: usize = 300;
/// The longest other outside string (order number, place part, label) a message shows.
const MAX_FIELD_CHARS: usize = 100;

/// What a notification is about and for whom.
#[derive(Debug, Clone, Copy)]
pub struct NoticeInput<'a> {
    /// What caused it.
    pub trigger: Trigger,
    /// The order's language.
    pub lang: Lang,
    /// The shop's name, as customers know it.
    pub shop_name: &'a str,
    /// The shop's order number, when the notice is about an order.
    pub order_number: Option<&'a str>,
    /// The shipment as customers see it (None for an order's own triggers: awaiting_stock,
    /// payment_issue).
    pub tracking: Option<&'a TrackingView>,
    /// The tracking page link for this number (already built by the caller), an http(s) URL.
    pub link: &'a str,
    /// The unsubscribe link (emails only).
    pub unsubscribe: Option<&'a str>,
}

/// A notification's words, ready for the channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The email's subject: one line, no line breaks.
    pub subject: String,
    /// The email's plain-text part.
    pub text: String,
    /// The email's HTML part: a whole document, every dynamic string escaped.
    pub html: String,
    /// The text message: the shop's name, the subject and the link on one line.
    pub sms: String,
}

/// The words of the notification `input` describes.
pub fn message(input: &NoticeInput) -> Message {
    let content = Content::of(input);
    Message {
        subject: content.subject.clone(),
        text: content.text(input),
        html: content.html(input),
        sms: sms(input),
    }
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in HTML text and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ch => out.push(ch),
        }
    }
    out
}

/// A message's parts in words, filled but not yet escaped.
struct Content {
    subject: String,
    order: Option<String>,
    body: Option<String>,
    latest: Option<String>,
    eta: Option<String>,
    actions: Vec<String>,
    link_text: &'static str,
    footer: String,
}

impl Content {
    fn of(input: &NoticeInput) -> Content {
        let lang = input.lang;
        let words = |text| lang.notice(text);
        let shop = clean(input.shop_name, MAX_SHOP_CHARS);
        let view = input.tracking;
        let order = input
            .order_number
            .or_else(|| view.and_then(|view| view.order_reference.as_deref()))
            .map(|order| clean(order, MAX_FIELD_CHARS))
            .filter(|order| !order.is_empty())
            .map(|order| fill(words(NoticeText::Order), &[("order", &order)]));
        let latest = view.and_then(|view| view.events.first()).map(|event| {
            let description = clean(&event.description, MAX_DESCRIPTION_CHARS);
            let label = clean(&event.label, MAX_FIELD_CHARS);
            let mut parts = vec![label.clone()];
            if !description.is_empty() && !description.eq_ignore_ascii_case(&label) {
                parts.push(description);
            }
            parts.extend(event.location.as_ref().and_then(place));
            parts.push(clean(&event.time_label, MAX_FIELD_CHARS));
            parts.retain(|part| !part.is_empty());
            parts.join(" · ")
        });
        let eta = view
            .filter(|_| input.trigger != Trigger::Delivered)
            .and_then(|view| view.eta.as_ref())
            .map(|eta| clean(&eta.label, MAX_FIELD_CHARS));
        let actions = match (input.trigger, view) {
            (Trigger::AttemptFailed | Trigger::Exception | Trigger::Delay, Some(view)) => view
                .actions
                .iter()
                .filter(|action| action.actor == Actor::Customer)
                .map(|action| clean(&action.label, MAX_FIELD_CHARS))
                .collect(),
            _ => Vec::new(),
        };
        let link_text = if view.is_some() {
            words(NoticeText::TrackLink)
        } else {
            words(NoticeText::ViewOrder)
        };
        Content {
            subject: fill(
                words(NoticeText::Subject(input.trigger)),
                &[("shop", &shop)],
            ),
            order,
            body: body(input.trigger, lang, view),
            latest,
            eta,
            actions,
            link_text,
            footer: fill(words(NoticeText::Footer), &[("shop", &shop)]),
        }
    }

    fn text(&self, input: &NoticeInput) -> String {
        let words = |text| input.lang.notice(text);
        let mut blocks = vec![self.subject.clone()];
        blocks.extend(self.order.clone());
        blocks.extend(self.body.clone());
        let facts: Vec<String> = [
            (NoticeText::LatestUpdate, &self.latest),
            (NoticeText::ExpectedDelivery, &self.eta),
        ]
        .into_iter()
        .filter_map(|(heading, value)| {
            value
                .as_ref()
                .map(|value| format!("{} {value}", words(heading)))
        })
        .collect();
        if !facts.is_empty() {
            blocks.push(facts.join("\n"));
        }
        if !self.actions.is_empty() {
            let mut block = words(NoticeText::WhatToDo).to_owned();
            for action in &self.actions {
                block.push_str("\n- ");
                block.push_str(action);
            }
            blocks.push(block);
        }
        blocks.push(format!("{}\n{}", self.link_text, input.link.trim()));
        let mut footer = self.footer.clone();
        if let Some(unsubscribe) = input.unsubscribe {
            footer.push_str("\n\n");
            footer.push_str(words(NoticeText::Unsubscribe));
            footer.push('\n');
            footer.push_str(unsubscribe.trim());
        }
        blocks.push(footer);
        let mut text = blocks.join("\n\n");
        text.push('\n');
        text
    }

    fn html(&self, input: &NoticeInput) -> String {
        let words = |text| input.lang.notice(text);
        let subject = escape(&self.subject);
        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{subject}</title>\n</head>\n\
             <body style=\"margin:0;padding:24px;background:#ffffff;color:#1a1a1a;\
             font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5\">\n\
             <main style=\"max-width:560px;margin:0 auto\">\n\
             <h1 style=\"font-size:22px;line-height:1.3;margin:0 0 16px\">{subject}</h1>\n",
            lang = input.lang.code(),
        );
        for line in self.order.iter().chain(&self.body) {
            html.push_str(&format!("<p>{}</p>\n", escape(line)));
        }
        for (heading, value) in [
            (NoticeText::LatestUpdate, &self.latest),
            (NoticeText::ExpectedDelivery, &self.eta),
        ] {
            if let Some(value) = value {
                html.push_str(&format!(
                    "<p><strong>{}</strong> {}</p>\n",
                    escape(words(heading)),
                    escape(value)
                ));
            }
        }
        if !self.actions.is_empty() {
            html.push_str(&format!(
                "<p><strong>{}</strong></p>\n<ul>\n",
                escape(words(NoticeText::WhatToDo))
            ));
            for action in &self.actions {
                html.push_str(&format!("<li>{}</li>\n", escape(action)));
            }
            html.push_str("</ul>\n");
        }
        html.push_str(&format!(
            "<p>{}</p>\n",
            link(input.link, self.link_text, "color:#0b57d0;font-weight:bold")
        ));
        html.push_str(&format!(
            "<p style=\"margin-top:32px;font-size:14px;color:#555555\">{}</p>\n",
            escape(&self.footer)
        ));
        if let Some(unsubscribe) = input.unsubscribe {
            html.push_str(&format!(
                "<p style=\"font-size:14px\">{}</p>\n",
                link(unsubscribe, words(NoticeText::Unsubscribe), "color:#555555")
            ));
        }
        html.push_str("</main>\n</body>\n</html>\n");
        html
    }
}

/// The sentence that says what happened; `None` when a shipment trigger comes without the
/// shipment (the subject and the link still say it).
fn body(trigger: Trigger, lang: Lang, view: Option<&TrackingView>) -> Option<String> {
    let words = |text| lang.notice(text);
    let text = match trigger {
        Trigger::Shipped => {
            let view = view?;
            let number = clean(&view.tracking_number, MAX_FIELD_CHARS);
            match view.carrier.as_ref().or(view.last_mile.as_ref()) {
                Some(carrier) => fill(
                    words(NoticeText::Body(trigger)),
                    &[
                        ("carrier", &clean(&carrier.name, MAX_FIELD_CHARS)),
                        ("number", &number),
                    ],
                ),
                None => fill(words(NoticeText::ShippedNoCarrier), &[("number", &number)]),
            }
        }
        Trigger::AvailableForPickup => {
            // Where it waits is where the newest event happened; the destination is the
            // customer's own city, not necessarily the pickup point's.
            let place = view
                .and_then(|view| view.events.first())
                .and_then(|event| event.location.as_ref())
                .and_then(place);
            match place {
                Some(place) => fill(words(NoticeText::Body(trigger)), &[("place", &place)]),
                None => words(NoticeText::PickupNoPlace).to_owned(),
            }
        }
        Trigger::EtaLater => match view.and_then(|view| view.eta.as_ref()) {
            Some(eta) => fill(
                words(NoticeText::Body(trigger)),
                &[("eta", &clean(&eta.label, MAX_FIELD_CHARS))],
            ),
            None => words(NoticeText::EtaLaterNoEta).to_owned(),
        },
        Trigger::SubscriptionConfirmation => fill(
            words(NoticeText::Body(trigger)),
            &[("number", &clean(&view?.tracking_number, MAX_FIELD_CHARS))],
        ),
        Trigger::InTransitAfterSilence
        | Trigger::OutForDelivery
        | Trigger::AttemptFailed
        | Trigger::Delivered
        | Trigger::Exception
        | Trigger::Delay
        | Trigger::AwaitingStock
        | Trigger::PaymentIssue => words(NoticeText::Body(trigger)).to_owned(),
    };
    Some(text)
}

/// The text message: `{shop}: {subject} {link}`, the shop's name cut to a few words.
fn sms(input: &NoticeInput) -> String {
    let shop = clean(input.shop_name, MAX_SMS_SHOP_CHARS);
    let subject = fill(
        input.lang.notice(NoticeText::Subject(input.trigger)),
        &[("shop", &shop)],
    );
    let link = input.link.trim();
    if shop.is_empty() {
        format!("{subject} {link}")
    } else {
        format!("{shop}: {subject} {link}")
    }
}

/// A place in words, no finer than the city: `Lyon, FR`, `Brooklyn, NY, US`.
fn place(place: &Place) -> Option<String> {
    let parts: Vec<String> = [&place.city, &place.region, &place.country]
        .into_iter()
        .flatten()
        .map(|part| clean(part, MAX_FIELD_CHARS))
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A link: a real `<a>` for an http(s) URL, else the words alone (never a `javascript:` link).
fn link(url: &str, words: &str, style: &str) -> String {
    let url = url.trim();
    let scheme = url.split_once(':').map(|(scheme, _)| scheme);
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http")) {
        format!(
            "<a href=\"{}\" style=\"{style}\">{}</a>",
            escape(url),
            escape(words)
        )
    } else {
        escape(words)
    }
}

/// `text` on one line: control characters dropped, runs of white space made one space, cut to
/// `max` characters with `…`.
fn clean(text: &str, max: usize) -> String {
    let one_line: String = text
        .split(|ch: char| ch.is_whitespace() || ch.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use waypost_shared::detect::Carrier;
    use waypost_shared::eta::{EtaSource, EtaWindow};
    use waypost_shared::event::TrackingEvent;
    use waypost_shared::health::Route;
    use waypost_shared::status::{Status, StatusDetail, SubStatus};
    use waypost_shared::time::EventTime;
    use waypost_shared::timeline::Timeline;
    use waypost_shared::view::{ShipmentFacts, tracking_view};

    use super::*;

    const NUMBER: &str = "1Z5R89390357567127";
    const LINK: &str = "https://track.example.com/t/1Z5R89390357567127?lang=x&y=1";
    const SHOP: &str = "Casa Verde";

    fn event(
        time: &str,
        status: impl Into<StatusDetail>,
        description: &str,
        city: &str,
    ) -> TrackingEvent {
        TrackingEvent {
            time: EventTime::parse(time).unwrap(),
            status: status.into(),
            description: description.into(),
            location: Some(Place {
                city: Some(city.into()),
                region: None,
                country: Some("FR".into()),
            }),
            carrier_code: None,
            carrier: None,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-20T18:00:00Z".parse().unwrap()
    }

    /// The view the API would show for a UPS parcel whose newest event is `latest`, through the
    /// shared crate's one view builder, in `lang`.
    fn view_with(latest: TrackingEvent, lang: Lang) -> TrackingView {
        let timeline = Timeline::new([
            event(
                "2026-11-17T09:00:00+01:00",
                SubStatus::PickedUp,
                "Picked up",
                "Paris",
            ),
            latest,
        ]);
        let etas = [EtaWindow::new(
            "2026-11-24".parse().unwrap(),
            "2026-11-26".parse().unwrap(),
            EtaSource::Carrier,
        )
        .unwrap()];
        let facts = ShipmentFacts {
            tracking_number: NUMBER,
            carrier: Some(Carrier::Ups),
            timeline: &timeline,
            status_without_events: StatusDetail::new(Status::Pending),
            etas: &etas,
            route: Route::default(),
            registered_at: None,
            order_reference: Some("#1042"),
            destination: None,
            last_mile: None,
        };
        tracking_view(&facts, lang, now())
    }

    fn view(lang: Lang) -> TrackingView {
        view_with(
            event(
                "2026-11-19T07:30:00+01:00",
                SubStatus::ArrivedFacility,
                "Arrived at facility",
                "Lyon",
            ),
            lang,
        )
    }

    fn input<'a>(
        trigger: Trigger,
        lang: Lang,
        tracking: Option<&'a TrackingView>,
    ) -> NoticeInput<'a> {
        NoticeInput {
            trigger,
            lang,
            shop_name: SHOP,
            order_number: Some("#1042"),
            tracking,
            link: LINK,
            unsubscribe: None,
        }
    }

    fn is_order_trigger(trigger: Trigger) -> bool {
        matches!(trigger, Trigger::AwaitingStock | Trigger::PaymentIssue)
    }

    #[test]
    fn every_trigger_in_every_language_has_every_part_with_the_shop_and_the_link() {
        for lang in Lang::ALL {
            let view = view(lang);
            for trigger in Trigger::ALL {
                let tracking = (!is_order_trigger(trigger)).then_some(&view);
                let message = message(&input(trigger, lang, tracking));
                let case = format!("{lang:?} {trigger:?}");
                assert!(!message.subject.trim().is_empty(), "{case}");
                assert!(!message.subject.contains(['\n', '{', '}']), "{case}");
                for part in [&message.text, &message.html, &message.sms] {
                    assert!(part.contains(SHOP), "{case}: {part}");
                    assert!(
                        !part.contains('{'),
                        "{case}: an unfilled placeholder in {part}"
                    );
                }
                assert!(message.text.contains(&format!("\n{LINK}\n")), "{case}");
                assert!(message.html.contains(&escape(LINK)), "{case}");
                assert!(message.sms.contains(LINK), "{case}");
                assert!(message.text.contains("#1042"), "{case}");
                assert!(
                    message
                        .html
                        .contains(&format!("<html lang=\"{}\">", lang.code())),
                    "{case}"
                );
                assert!(
                    message
                        .html
                        .contains(&format!("<title>{}</title>", escape(&message.subject)))
                );
                assert_eq!(message.html.matches("<h1").count(), 1, "{case}");
                assert!(!message.html.contains("<img") && !message.html.contains("<script"));
                assert!(!message.sms.contains('\n') && message.sms.chars().count() < 300);
                if !is_order_trigger(trigger) {
                    assert!(
                        message.text.contains(lang.notice(NoticeText::LatestUpdate)),
                        "{case}"
                    );
                }
            }
        }
    }

    #[test]
    fn spanish_orders_get_spanish_words() {
        let view = view(Lang::Es);
        let message = message(&input(Trigger::Delay, Lang::Es, Some(&view)));
        assert_eq!(message.subject, "Su paquete lleva retraso");
        assert!(
            message
                .text
                .contains("Su paquete está tardando más de lo previsto.")
        );
        assert!(
            message
                .text
                .contains("Última actualización: Ha llegado a un centro del transportista")
        );
        assert!(message.text.contains("Entrega prevista: 24 nov – 26 nov"));
        assert!(message.text.contains("Pedido #1042"));
        assert!(message.text.contains("Ver el seguimiento de su paquete"));
        assert!(message.html.contains("<html lang=\"es\">"));
        assert!(
            message
                .sms
                .starts_with("Casa Verde: Su paquete lleva retraso https://")
        );
    }

    #[test]
    fn carrier_words_are_escaped_in_html_and_raw_in_text() {
        let view = view_with(
            event(
                "2026-11-19T07:30:00+01:00",
                Status::Exception,
                "<script>alert('x')</script> & more",
                "Lyon",
            ),
            Lang::En,
        );
        let mut notice = input(Trigger::Exception, Lang::En, Some(&view));
        notice.shop_name = "Smith & Sons <b>";
        let message = message(&notice);
        assert!(message.text.contains("<script>alert('x')</script> & more"));
        assert!(
            message
                .html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
        );
        assert!(!message.html.contains("<script"));
        assert!(message.html.contains("Smith &amp; Sons &lt;b&gt;"));
        assert!(!message.html.contains("<b>"));
        assert!(
            message.html.contains("x&amp;y=1"),
            "the link's & escaped too"
        );
    }

    #[test]
    fn a_pickup_says_the_city() {
        let view = view_with(
            event(
                "2026-11-19T15:00:00+01:00",
                SubStatus::PickupPoint,
                "Available at pickup point",
                "Villeurbanne",
            ),
            Lang::En,
        );
        let message = message(&input(Trigger::AvailableForPickup, Lang::En, Some(&view)));
        assert!(
            message
                .text
                .contains("Your parcel is ready for pickup in Villeurbanne, FR."),
            "{}",
            message.text
        );
        assert!(message.html.contains("Villeurbanne, FR"));

        let mut without_place = view.clone();
        without_place.events[0].location = None;
        let no_place = message_for(Trigger::AvailableForPickup, &without_place);
        assert!(no_place.text.contains("Your parcel is ready for pickup.\n"));
    }

    #[test]
    fn a_failed_attempt_says_what_the_customer_must_do() {
        let view = view_with(
            event(
                "2026-11-19T15:00:00+01:00",
                SubStatus::InvalidAddress,
                "Address incorrect",
                "Lyon",
            ),
            Lang::En,
        );
        let message = message(&input(Trigger::AttemptFailed, Lang::En, Some(&view)));
        assert!(
            message
                .text
                .contains("What to do:\n- Confirm the delivery address\n"),
            "{}",
            message.text
        );
        assert!(
            message
                .html
                .contains("<li>Confirm the delivery address</li>")
        );
        assert!(
            !message.text.contains("Contact the customer"),
            "the shop's own actions are not the customer's"
        );
        let delivered = message_for(Trigger::Delivered, &view);
        assert!(!delivered.text.contains("What to do:"));
        assert!(!delivered.text.contains("Expected delivery:"));
    }

    fn message_for(trigger: Trigger, view: &TrackingView) -> Message {
        message(&input(trigger, Lang::En, Some(view)))
    }

    #[test]
    fn shipped_names_the_carrier_and_the_number() {
        let view = view(Lang::En);
        let message = message_for(Trigger::Shipped, &view);
        assert_eq!(message.subject, "Your order from Casa Verde has shipped");
        assert!(message.text.contains(&format!(
            "Your parcel is on its way with UPS. Tracking number: {NUMBER}."
        )));
        assert!(message.text.contains("Expected delivery: Nov 24 – Nov 26"));
    }

    #[test]
    fn the_unsubscribe_link_only_when_given() {
        let view = view(Lang::En);
        let without = message_for(Trigger::Delivered, &view);
        assert!(!without.text.contains("Unsubscribe"));
        assert!(!without.html.contains("Unsubscribe"));

        let unsubscribe = "https://edge.example.com/v1/unsubscribe?token=a.b&c=1";
        let mut notice = input(Trigger::Delivered, Lang::En, Some(&view));
        notice.unsubscribe = Some(unsubscribe);
        let with = message(&notice);
        assert!(with.text.contains(&format!(
            "Unsubscribe from updates about this order\n{unsubscribe}\n"
        )));
        assert!(with.html.contains(&format!(
            "<a href=\"{}\" style=\"color:#555555\">Unsubscribe from updates about this order</a>",
            escape(unsubscribe)
        )));
        assert!(
            !with.sms.contains("token"),
            "text messages carry no unsubscribe link"
        );
    }

    #[test]
    fn order_triggers_need_no_shipment() {
        let message = message(&input(Trigger::PaymentIssue, Lang::De, None));
        assert_eq!(
            message.subject,
            "Bitte prüfen Sie die Zahlung für Ihre Bestellung"
        );
        assert!(message.text.contains("Bestellung ansehen\n"));
        assert!(!message.text.contains("Letzte Aktualisierung"));
        assert!(
            message
                .text
                .contains("Sie erhalten diese Nachricht, weil Sie bei Casa Verde bestellt haben.")
        );
    }

    #[test]
    fn text_messages_stay_short_and_on_one_line() {
        let view = view(Lang::Fr);
        let long_shop = format!("Le Grand\nMagasin {}", "de la Mode ".repeat(20));
        let mut notice = input(Trigger::Shipped, Lang::Fr, Some(&view));
        notice.shop_name = &long_shop;
        let message = message(&notice);
        let (shop, _) = message.sms.split_once(": ").unwrap();
        assert!(
            shop.starts_with("Le Grand Magasin de la Mode"),
            "{}",
            message.sms
        );
        assert!(shop.ends_with('…') && shop.chars().count() == 30, "{shop}");
        assert!(!message.sms.contains('\n'));
        assert!(message.sms.chars().count() < 300);
        assert!(
            !message.subject.contains('\n'),
            "a line break never reaches a header"
        );
    }

    #[test]
    fn only_http_links_become_links() {
        assert_eq!(
            link("javascript:alert(1)", "Track", ""),
            "Track",
            "never a script link"
        );
        assert_eq!(
            link("https://a.example/?a=1&b=\"2\"", "<Track>", "x"),
            "<a href=\"https://a.example/?a=1&amp;b=&quot;2&quot;\" style=\"x\">&lt;Track&gt;</a>"
        );
    }

    #[test]
    fn escape_covers_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("Café — ok"), "Café — ok");
    }

    #[test]
    fn clean_makes_one_line_and_cuts_long_text() {
        assert_eq!(clean("  a\r\nb\t\u{7}c  ", 10), "a b c");
        assert_eq!(clean("abcdefghij", 5), "abcd…");
        assert_eq!(clean("ab  cdefgh", 4), "ab…");
    }
}
