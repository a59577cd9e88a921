//! Labels in English, Spanish, French and German for everything Waypost shows: statuses,
//! sub-statuses, milestones, health, actions, ETA sources, relative times, dates and the widget's
//! own words. Pick a language with [`Lang::from_tag`]; unknown tags fall back to English.
//!
//! Each catalogue is one exhaustive `match` over [`Key`], so a catalogue missing a key does not
//! compile; a test checks that every text is non-empty and carries the same `{placeholders}` as
//! the English one.

mod de;
mod en;
mod es;
mod format;
mod fr;
mod notices;

use crate::action::{ActionKind, Actor};
use crate::eta::EtaSource;
use crate::health::Health;
use crate::milestone::Milestone;
use crate::status::{Status, SubStatus};

pub use format::{day_heading, day_heading_in, eta_window, event_time, relative_time};
pub use notices::NoticeText;

crate::wire_enum! {
    /// A language Waypost speaks. Serialized as its ISO 639-1 code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum Lang {
        /// English, the fallback.
        #[default]
        En = "en",
        /// Spanish.
        Es = "es",
        /// French.
        Fr = "fr",
        /// German.
        De = "de",
    }
}

impl Lang {
    /// The ISO 639-1 code (its wire name).
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// Reads a BCP 47 tag (`es`, `es-MX`, `fr_CA`, `DE`); `None` for languages we lack.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The first supported language among preferences (attribute, page, browser...), else English.
    pub fn negotiate<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Lang {
        preferences
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    /// The text of `key` in this language.
    pub fn text(self, key: Key) -> &'static str {
        match self {
            Lang::En => en::text(key),
            Lang::Es => es::text(key),
            Lang::Fr => fr::text(key),
            Lang::De => de::text(key),
        }
    }

    /// The widget's words in this language (its own catalogue part, so a program using only
    /// these does not carry every status label).
    pub fn ui(self, ui: UiText) -> &'static str {
        match self {
            Lang::En => en::ui_text(ui),
            Lang::Es => es::ui_text(ui),
            Lang::Fr => fr::ui_text(ui),
            Lang::De => de::ui_text(ui),
        }
    }

    /// Date and time words and patterns in this language.
    pub fn date(self, part: DatePart) -> &'static str {
        match self {
            Lang::En => en::date(part),
            Lang::Es => es::date(part),
            Lang::Fr => fr::date(part),
            Lang::De => de::date(part),
        }
    }

    /// The plural form a count takes in this language (French counts 0 and 1 as singular).
    pub fn plural(self, n: u64) -> Plural {
        match (self, n) {
            (Lang::Fr, 0 | 1) | (_, 1) => Plural::One,
            _ => Plural::Other,
        }
    }
}

/// Singular or plural.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plural {
    /// One thing.
    One,
    /// Any other count.
    Other,
}

/// Past ("3 hours ago") or future ("in 3 hours").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tense {
    /// Before now.
    Past,
    /// After now.
    Future,
}

/// Units relative times are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months (30 days).
    Month,
    /// Years (365 days).
    Year,
}

/// Date and time building blocks and patterns. Patterns use `{placeholders}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePart {
    /// Abbreviated month name, 1 = January.
    Month(u8),
    /// Abbreviated weekday name, 0 = Monday.
    Weekday(u8),
    /// A timeline day heading: `{weekday}`, `{day}`, `{month}`.
    DayPattern,
    /// A date inside a sentence: `{day}`, `{month}`.
    DatePattern,
    /// An event's date and time: `{date}`, `{time}`.
    DateTimePattern,
    /// Clock time: `{h12}` or `{h24}`, `{mm}`, and `{ampm}` for 12-hour clocks.
    TimePattern,
    /// Before noon, for 12-hour clocks.
    Am,
    /// After noon, for 12-hour clocks.
    Pm,
    /// Shown instead of an offset when the carrier gave none.
    LocalTime,
}

/// The widget's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiText {
    /// Heading of the form.
    FormTitle,
    /// Label of the tracking-number input.
    TrackingNumber,
    /// Label of the order-number input.
    OrderNumber,
    /// Label of the email input.
    Email,
    /// Submit button of the tracking-number form.
    Track,
    /// Submit button of the order form.
    FindOrder,
    /// Switch to searching by order number.
    SearchByOrder,
    /// Switch to searching by tracking number.
    SearchByNumber,
    /// Live hint under the input: `{carrier}`.
    LooksLike,
    /// Typo hint: `{carrier}`.
    TypoHint,
    /// The input holds no known format.
    UnknownFormat,
    /// Loading state, for screen readers.
    Loading,
    /// Not-found heading.
    NotFound,
    /// Not-found body.
    NotFoundHelp,
    /// Link to the carrier's own tracking page: `{carrier}`.
    TrackOnCarrierSite,
    /// The order was not found (same words whether the email or the number is wrong).
    OrderNotFound,
    /// Network failure.
    NetworkError,
    /// Retry button.
    Retry,
    /// Too many requests.
    RateLimited,
    /// Expand the timeline: `{count}`.
    ShowAll,
    /// Collapse the timeline.
    ShowLess,
    /// ETA heading.
    EstimatedDelivery,
    /// Delivered heading.
    DeliveredOn,
    /// Action banner heading.
    ActionNeeded,
    /// Timeline heading.
    History,
    /// Progress bar label.
    Progress,
    /// Parcel counter: `{n}`, `{total}`.
    ParcelOf,
    /// Last refresh: `{when}`.
    Updated,
    /// Shown when the answer is older than it should be.
    Stale,
    /// The carrier's tracking number caption.
    Carrier,
    /// Back to the form from a result.
    NewSearch,
    /// Opens the opt-in for emails about a parcel.
    EmailUpdates,
    /// Label of the opt-in's email input.
    YourEmail,
    /// Submit button of the opt-in.
    Subscribe,
    /// The opt-in was accepted: a confirmation email is on its way.
    CheckInbox,
    /// The API refused the opt-in's address.
    BadEmail,
    /// The opt-in failed for another reason.
    SubscribeFailed,
}

/// Everything that has a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A status headline.
    Status(Status),
    /// A sub-status explanation.
    SubStatus(SubStatus),
    /// A progress-bar step.
    Milestone(Milestone),
    /// A health badge.
    Health(Health),
    /// Who must act.
    Actor(Actor),
    /// What must be done.
    Action(ActionKind),
    /// Where an ETA comes from.
    EtaSource(EtaSource),
    /// "now".
    JustNow,
    /// A relative time with `{n}`.
    Relative(TimeUnit, Tense, Plural),
    /// Dates and times.
    Date(DatePart),
    /// The widget's words.
    Ui(UiText),
}

impl Key {
    /// Every key, for completeness checks.
    pub fn all() -> Vec<Key> {
        use crate::action::ActionKind as A;
        let mut keys = Vec::new();
        keys.extend(Status::ALL.map(Key::Status));
        keys.extend(SubStatus::ALL.map(Key::SubStatus));
        keys.extend(Milestone::ALL.map(Key::Milestone));
        keys.extend(Health::ALL.map(Key::Health));
        keys.extend(Actor::ALL.map(Key::Actor));
        keys.extend(A::ALL.map(Key::Action));
        keys.extend(EtaSource::ALL.map(Key::EtaSource));
        keys.push(Key::JustNow);
        for unit in [
            TimeUnit::Minute,
            TimeUnit::Hour,
            TimeUnit::Day,
            TimeUnit::Week,
            TimeUnit::Month,
            TimeUnit::Year,
        ] {
            for tense in [Tense::Past, Tense::Future] {
                for plural in [Plural::One, Plural::Other] {
                    keys.push(Key::Relative(unit, tense, plural));
                }
            }
        }
        keys.extend((1..=12).map(|m| Key::Date(DatePart::Month(m))));
        keys.extend((0..7).map(|d| Key::Date(DatePart::Weekday(d))));
        keys.extend(
            [
                DatePart::DayPattern,
                DatePart::DatePattern,
                DatePart::DateTimePattern,
                DatePart::TimePattern,
                DatePart::Am,
                DatePart::Pm,
                DatePart::LocalTime,
            ]
            .map(Key::Date),
        );
        keys.extend(UiText::ALL.map(Key::Ui));
        keys
    }
}

impl UiText {
    /// Every widget text.
    pub const ALL: [UiText; 37] = [
        UiText::FormTitle,
        UiText::TrackingNumber,
        UiText::OrderNumber,
        UiText::Email,
        UiText::Track,
        UiText::FindOrder,
        UiText::SearchByOrder,
        UiText::SearchByNumber,
        UiText::LooksLike,
        UiText::TypoHint,
        UiText::UnknownFormat,
        UiText::Loading,
        UiText::NotFound,
        UiText::NotFoundHelp,
        UiText::TrackOnCarrierSite,
        UiText::OrderNotFound,
        UiText::NetworkError,
        UiText::Retry,
        UiText::RateLimited,
        UiText::ShowAll,
        UiText::ShowLess,
        UiText::EstimatedDelivery,
        UiText::DeliveredOn,
        UiText::ActionNeeded,
        UiText::History,
        UiText::Progress,
        UiText::ParcelOf,
        UiText::Updated,
        UiText::Stale,
        UiText::Carrier,
        UiText::NewSearch,
        UiText::EmailUpdates,
        UiText::YourEmail,
        UiText::Subscribe,
        UiText::CheckInbox,
        UiText::BadEmail,
        UiText::SubscribeFailed,
    ];
}

impl DatePart {
    /// Every date part, in the order of [`Lang::widget_words`].
    pub const ALL: [DatePart; 26] = [
        DatePart::Month(1),
        DatePart::Month(2),
        DatePart::Month(3),
        DatePart::Month(4),
        DatePart::Month(5),
        DatePart::Month(6),
        DatePart::Month(7),
        DatePart::Month(8),
        DatePart::Month(9),
        DatePart::Month(10),
        DatePart::Month(11),
        DatePart::Month(12),
        DatePart::Weekday(0),
        DatePart::Weekday(1),
        DatePart::Weekday(2),
        DatePart::Weekday(3),
        DatePart::Weekday(4),
        DatePart::Weekday(5),
        DatePart::Weekday(6),
        DatePart::DayPattern,
        DatePart::DatePattern,
        DatePart::DateTimePattern,
        DatePart::TimePattern,
        DatePart::Am,
        DatePart::Pm,
        DatePart::LocalTime,
    ];
}

impl Lang {
    /// Every word the widget shows in this language: each [`UiText`] in the order of
    /// [`UiText::ALL`], then each [`DatePart`] in the order of [`DatePart::ALL`]. The widget
    /// carries English only and fetches this list, as a JSON array of strings
    /// ([`Lang::widget_words_json`]), for the page's language.
    pub fn widget_words(self) -> Vec<&'static str> {
        let ui = UiText::ALL.map(|ui| self.ui(ui));
        let date = DatePart::ALL.map(|part| self.date(part));
        [&ui[..], &date[..]].concat()
    }

    /// [`Lang::widget_words`] as a JSON array of strings.
    pub fn widget_words_json(self) -> String {
        let mut json = String::from("[");
        for (i, word) in self.widget_words().into_iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push('"');
            for ch in word.chars() {
                match ch {
                    '"' => json.push_str("\\\""),
                    '\\' => json.push_str("\\\\"),
                    ch if u32::from(ch) < 0x20 => {
                        json.push_str(&format!("\\u{:04x}", u32::from(ch)))
                    }
                    ch => json.push(ch),
                }
            }
            json.push('"');
        }
        json.push(']');
        json
    }
}

/// Replaces each `{name}` in `pattern` with its value.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    // Split, never sliced by index: a slice that could panic brings the widget, which fills
    // every label, a panic message's formatting to download.
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let Some((name, tail)) = after.split_once('}') else {
            out.push('{');
            out.push_str(after);
            return out;
        };
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fall_back_to_english() {
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("fr_CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("DE"), Some(Lang::De));
        assert_eq!(Lang::from_tag("pt-BR"), None);
        assert_eq!(Lang::negotiate(["pt-BR", "", "de-AT", "es"]), Lang::De);
        assert_eq!(Lang::negotiate(["ja", "😀"]), Lang::En);
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(
            fill("{n} of {total}", &[("n", "1"), ("total", "2")]),
            "1 of 2"
        );
        assert_eq!(fill("{x} {n}", &[("n", "1")]), "{x} 1");
        assert_eq!(fill("open {", &[]), "open {");
    }

    #[test]
    fn widget_words_are_every_ui_text_then_every_date_part_as_json() {
        let words = Lang::De.widget_words();
        assert_eq!(words.len(), UiText::ALL.len() + DatePart::ALL.len());
        assert_eq!(words[0], Lang::De.ui(UiText::FormTitle));
        assert_eq!(words[UiText::ALL.len()], Lang::De.date(DatePart::Month(1)));
        for lang in Lang::ALL {
            let read: Vec<String> = serde_json::from_str(&lang.widget_words_json()).unwrap();
            assert_eq!(read, lang.widget_words());
        }
        let parts: std::collections::HashSet<_> = DatePart::ALL.into_iter().collect();
        assert_eq!(parts.len(), DatePart::ALL.len());
    }

    #[test]
    fn french_counts_zero_as_singular() {
        assert_eq!(Lang::Fr.plural(0), Plural::One);
        assert_eq!(Lang::En.plural(0), Plural::Other);
        assert_eq!(Lang::De.plural(2), Plural::Other);
    }
}
