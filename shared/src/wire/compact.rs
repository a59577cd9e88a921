//! Reading the widget's wire types from JSON without serde (feature `compact-json`).
//!
//! serde_json's generic deserializers, instantiated for every wire type, were measured at about
//! 20 KB of the widget's 100 KB brotli budget (nanoserde came out larger still). This reader
//! parses JSON into a small tree once, non-generically, and each type picks its fields by name.
//! It reads exactly what serde writes; a test checks both readers agree on the snapshots.

use chrono::NaiveDate;

use crate::WireEnum;
use crate::event::Place;
use crate::time::EventTime;
use crate::wire::{
    ActionView, CarrierRef, EtaView, EventView, MilestoneView, OrderView, TrackingView,
};

/// A parsed JSON value. Numbers keep their text: the wire has only small integers.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in order.
    Object(Vec<(String, Json)>),
}

/// A type the widget reads from the wire.
pub trait FromJson: Sized {
    /// Reads it, or `None` when the JSON does not have its shape.
    fn from_json(json: &Json) -> Option<Self>;
}

/// Parses JSON text into one of the wire types.
pub fn from_json<T: FromJson>(text: &str) -> Option<T> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = parser.value(0)?;
    parser.skip_space();
    (parser.at == parser.bytes.len()).then_some(())?;
    T::from_json(&value)
}

/// Nesting deeper than this is refused (the wire nests five levels).
const MAX_DEPTH: usize = 32;

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b" \t\r\n".contains(b))
        {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Option<Json> {
        self.bytes[self.at..].starts_with(word).then(|| {
            self.at += word.len();
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        self.skip_space();
        if depth > MAX_DEPTH {
            return None;
        }
        match *self.bytes.get(self.at)? {
            b'n' => self.literal(b"null", Json::Null),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'"' => self.string().map(Json::Str),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        self.eat(b',').then_some(())?;
                    }
                }
                Some(Json::Array(items))
            }
            b'{' => {
                self.at += 1;
                let mut fields = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        self.eat(b':').then_some(())?;
                        fields.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        self.eat(b',').then_some(())?;
                    }
                }
                Some(Json::Object(fields))
            }
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| b"+-.eE0123456789".contains(b))
                {
                    self.at += 1;
                }
                // Only ASCII bytes were taken, so this is always valid UTF-8.
                String::from_utf8(self.bytes[start..self.at].to_vec())
                    .ok()
                    .map(Json::Number)
            }
            _ => None,
        }
    }

    /// A string starting at the opening quote, escapes resolved.
    fn string(&mut self) -> Option<String> {
        (self.bytes.get(self.at) == Some(&b'"')).then_some(())?;
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = *self.bytes.get(self.at)?;
                    self.at += 1;
                    let ch = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1f => return None,
                other => out.push(other),
            }
        }
    }

    /// The character of a `\uXXXX` escape (after `\u`), joining surrogate pairs.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            (self.bytes.get(self.at..self.at + 2)? == b"\\u").then_some(())?;
            self.at += 2;
            let second = self.hex4()?;
            (0xDC00..0xE000).contains(&second).then_some(())?;
            return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
        }
        char::from_u32(first)
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?).ok()?;
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

impl Json {
    /// A field of an object; absent and `null` are both `None`.
    fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, v)| v)
                .filter(|v| **v != Json::Null),
            _ => None,
        }
    }

    /// A required field, read.
    fn field<T: FromJson>(&self, name: &str) -> Option<T> {
        T::from_json(self.get(name)?)
    }

    /// An optional field, read: absent or `null` is `Some(None)`, a wrong shape is `None`.
    fn optional<T: FromJson>(&self, name: &str) -> Option<Option<T>> {
        match self.get(name) {
            None => Some(None),
            Some(value) => T::from_json(value).map(Some),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Json::Str(text) => Some(text),
            _ => None,
        }
    }
}

impl FromJson for String {
    fn from_json(json: &Json) -> Option<Self> {
        json.text().map(str::to_owned)
    }
}

impl FromJson for bool {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }
}

impl FromJson for u64 {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(json: &Json) -> Option<Self> {
        match json {
            Json::Array(items) => items.iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

/// Every wire enum reads as its wire name.
impl<T: WireEnum> FromJson for T {
    fn from_json(json: &Json) -> Option<Self> {
        T::from_wire(json.text()?)
    }
}

impl FromJson for NaiveDate {
    fn from_json(json: &Json) -> Option<Self> {
        crate::iso::parse_date(json.text()?)
    }
}

impl FromJson for EventTime {
    fn from_json(json: &Json) -> Option<Self> {
        EventTime::from_wire(
            json.field("local")?,
            json.optional("offset")?,
            json.optional("zone")?,
            json.optional("utc")?,
        )
        .ok()
    }
}

impl FromJson for Place {
    fn from_json(json: &Json) -> Option<Self> {
        Some(Place {
            city: json.optional("city")?,
            region: json.optional("region")?,
            country: json.optional("country")?,
        })
    }
}

impl FromJson for CarrierRef {
    fn from_json(json: &Json) -> Option<Self> {
        Some(CarrierRef {
            code: json.field("code")?,
            name: json.field("name")?,
            tracking_url: json.optional("tracking_url")?,
        })
    }
}

impl FromJson for MilestoneView {
    fn from_json(json: &Json) -> Option<Self> {
        Some(MilestoneView {
            milestone: json.field("milestone")?,
            state: json.field("state")?,
            warning: json.field("warning")?,
            label: json.field("label")?,
        })
    }
}

impl FromJson for ActionView {
    fn from_json(json: &Json) -> Option<Self> {
        Some(ActionView {
            actor: json.field("actor")?,
            kind: json.field("kind")?,
            label: json.field("label")?,
        })
    }
}

impl FromJson for EtaView {
    fn from_json(json: &Json) -> Option<Self> {
        Some(EtaView {
            from: json.field("from")?,
            to: json.field("to")?,
            source: json.field("source")?,
            label: json.field("label")?,
            source_label: json.field("source_label")?,
        })
    }
}

impl FromJson for EventView {
    fn from_json(json: &Json) -> Option<Self> {
        Some(EventView {
            time: json.field("time")?,
            time_label: json.field("time_label")?,
            status: json.field("status")?,
            sub_status: json.optional("sub_status")?,
            label: json.field("label")?,
            description: json.field("description")?,
            location: json.optional("location")?,
            carrier_code: json.optional("carrier_code")?,
            carrier: json.optional("carrier")?,
        })
    }
}

impl FromJson for TrackingView {
    fn from_json(json: &Json) -> Option<Self> {
        Some(TrackingView {
            tracking_number: json.field("tracking_number")?,
            carrier: json.optional("carrier")?,
            last_mile: json.optional("last_mile")?,
            status: json.field("status")?,
            sub_status: json.optional("sub_status")?,
            status_label: json.field("status_label")?,
            sub_status_label: json.optional("sub_status_label")?,
            health: json.field("health")?,
            health_label: json.field("health_label")?,
            milestones: json.field("milestones")?,
            actions: json.field("actions")?,
            eta: json.optional("eta")?,
            events: json.field("events")?,
            order_reference: json.optional("order_reference")?,
            destination: json.optional("destination")?,
            stale: json.field("stale")?,
            age_seconds: json.optional("age_seconds")?,
            lang: json.field("lang")?,
        })
    }
}

impl FromJson for OrderView {
    fn from_json(json: &Json) -> Option<Self> {
        Some(OrderView {
            order_number: json.field("order_number")?,
            status: json.field("status")?,
            sub_status: json.optional("sub_status")?,
            status_label: json.field("status_label")?,
            shipments: json.field("shipments")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every value of a wire enum from what serde writes, and refuses other names.
    fn reads_every_name<T: WireEnum + serde::Serialize + PartialEq + std::fmt::Debug>() {
        for value in T::ALL {
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(from_json::<T>(&json).as_ref(), Some(value), "{json}");
        }
        assert!(from_json::<T>(r#""teleported""#).is_none());
    }

    #[test]
    fn enum_names_match_serde() {
        use crate::action::{ActionKind, Actor};
        use crate::detect::Carrier;
        use crate::eta::EtaSource;
        use crate::health::Health;
        use crate::labels::Lang;
        use crate::milestone::{Milestone, StepState};
        use crate::status::{Status, SubStatus};
        reads_every_name::<Status>();
        reads_every_name::<SubStatus>();
        reads_every_name::<Carrier>();
        reads_every_name::<Lang>();
        reads_every_name::<Health>();
        reads_every_name::<Milestone>();
        reads_every_name::<StepState>();
        reads_every_name::<Actor>();
        reads_every_name::<ActionKind>();
        reads_every_name::<EtaSource>();
    }

    /// This reader and serde read every tracking-view snapshot, and an order of them, the same way.
    #[test]
    fn reads_what_serde_reads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
        for name in [
            "wire_snapshots__tracking_view_en.snap",
            "wire_snapshots__failed_delivery_view.snap",
        ] {
            let snap = std::fs::read_to_string(dir.join(name)).unwrap();
            let json = snap.splitn(3, "---\n").nth(2).unwrap();
            let ours: TrackingView = from_json(json).unwrap();
            assert_eq!(
                ours,
                serde_json::from_str::<TrackingView>(json).unwrap(),
                "{name}"
            );
            let order = format!(
                r#"{{"order_number":"1","status":"in_transit","sub_status":null,"status_label":"x","shipments":[{json},{json}]}}"#
            );
            assert_eq!(
                from_json::<OrderView>(&order).unwrap(),
                serde_json::from_str::<OrderView>(&order).unwrap()
            );
        }
    }

    /// A journey across two carriers: each event's `carrier` and the `last_mile` carrier, which
    /// serde leaves out when absent, read as serde reads them.
    #[test]
    fn reads_the_carriers_of_a_handed_over_parcel() {
        use crate::detect::Carrier;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
        let snap =
            std::fs::read_to_string(dir.join("wire_snapshots__tracking_view_en.snap")).unwrap();
        let json = snap.splitn(3, "---\n").nth(2).unwrap();
        let mut view: TrackingView = serde_json::from_str(json).unwrap();
        view.last_mile = Some(CarrierRef {
            code: Carrier::Usps,
            name: "USPS".into(),
            tracking_url: Some("https://tools.usps.com/go/TrackConfirmAction?tLabels=9261".into()),
        });
        view.events[0].carrier = Some(Carrier::Usps);
        view.events[1].carrier = Some(Carrier::Yunexpress);
        let json = serde_json::to_string(&view).unwrap();
        let ours: TrackingView = from_json(&json).unwrap();
        assert_eq!(ours, view);
        assert_eq!(ours.events[2].carrier, None);
        assert!(from_json::<TrackingView>(&json.replace("\"yunexpress\"", "\"pigeon\"")).is_none());
    }

    #[test]
    fn strings_unescape_like_serde() {
        let text = "<img src=x onerror=alert(1)> \"quoted\" \\ / \u{1F4E6} tab\there\nnew é";
        let json = serde_json::to_string(text).unwrap();
        assert_eq!(from_json::<String>(&json).unwrap(), text);
        assert_eq!(
            from_json::<String>(r#""\ud83d\udce6 \u00e9""#).unwrap(),
            "\u{1F4E6} é"
        );
    }

    #[test]
    fn malformed_input_is_refused_not_panicked() {
        for bad in [
            "",
            "{",
            "[1,",
            r#"{"a":}"#,
            r#""\ud83d""#,
            r#""\x""#,
            "nul",
            "[1]x",
            &"[".repeat(100),
            "\"\u{1}\"",
        ] {
            assert!(from_json::<Vec<String>>(bad).is_none(), "{bad:?}");
        }
        assert!(from_json::<TrackingView>(r#"{"status":"teleported"}"#).is_none());
    }
}
