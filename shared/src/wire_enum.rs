//! One source for the wire names of the crate's fieldless enums.
//!
//! [`wire_enum!`](crate::wire_enum!) declares an enum with each variant's wire name written once
//! and generates from it everything that used to be kept by hand: `ALL`, `NAMES`, `as_str`,
//! `from_wire`, the [`WireEnum`] trait for generic code (the widget's JSON reader, the edge's
//! database rows, query parameters and OpenAPI document) and serde impls that behave exactly like
//! `#[derive(Serialize, Deserialize)]` with those names.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, VariantAccess, Visitor};

/// A fieldless enum declared with [`wire_enum!`](crate::wire_enum!).
pub trait WireEnum: Copy + 'static {
    /// The Rust name of the type, as serde reports it.
    const TYPE_NAME: &'static str;
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// Every wire name, in the order of [`WireEnum::ALL`].
    const NAMES: &'static [&'static str];

    /// The wire name.
    fn as_str(self) -> &'static str;

    /// The value whose wire name is exactly `name`.
    fn from_wire(name: &str) -> Option<Self> {
        position(Self::NAMES, name).map(|index| Self::ALL[index])
    }

    /// Like [`WireEnum::from_wire`], with an error that reads like serde's.
    fn parse(name: &str) -> Result<Self, UnknownName> {
        Self::from_wire(name).ok_or_else(|| UnknownName {
            value: name.to_owned(),
            names: Self::NAMES,
        })
    }
}

/// A string that is not one of an enum's wire names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The string received.
    pub value: String,
    /// The names it could have been.
    pub names: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    /// serde's own message: ``unknown variant `x`, expected one of `a`, `b`, ...``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error: de::value::Error = de::Error::unknown_variant(&self.value, self.names);
        fmt::Display::fmt(&error, f)
    }
}

impl std::error::Error for UnknownName {}

/// Where `name` is in `names` (one non-generic search for every enum).
fn position(names: &[&str], name: &str) -> Option<usize> {
    names.iter().position(|candidate| *candidate == name)
}

/// Declares a fieldless enum whose variants are written with their wire names, once:
///
/// ```
/// waypost_shared::wire_enum! {
///     /// A colour.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Colour {
///         /// Red.
///         Red = "red",
///         /// Dark blue.
///         DarkBlue = "dark_blue",
///     }
/// }
/// assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
/// assert_eq!(Colour::from_wire("red"), Some(Colour::Red));
/// assert_eq!(Colour::NAMES, ["red", "dark_blue"]);
/// ```
///
/// It generates `ALL`, `NAMES`, `as_str`, `from_wire`, [`WireEnum`] and serde's `Serialize` and
/// `Deserialize` (as a derive with these names would). The enum must derive `Clone` and `Copy`.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($wire),+].len()] = [$($name::$variant),+];
            /// Every wire name, in the order of `ALL`.
            pub const NAMES: [&'static str; [$($wire),+].len()] = [$($wire),+];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                $name::NAMES[self as usize]
            }

            /// The value whose wire name is exactly `name`.
            pub fn from_wire(name: &str) -> ::core::option::Option<$name> {
                <$name as $crate::WireEnum>::from_wire(name)
            }
        }

        impl $crate::WireEnum for $name {
            const TYPE_NAME: &'static str = stringify!($name);
            const ALL: &'static [$name] = &$name::ALL;
            const NAMES: &'static [&'static str] = &$name::NAMES;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl $crate::wire_enum::serde::Serialize for $name {
            fn serialize<S: $crate::wire_enum::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_unit_variant(stringify!($name), *self as u32, self.as_str())
            }
        }

        impl<'de> $crate::wire_enum::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::wire_enum::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::wire_enum::deserialize(deserializer)
            }
        }
    };
}

#[doc(hidden)]
pub use serde;

/// Deserializes a [`WireEnum`] the way serde's derive does: as an enum of unit variants.
#[doc(hidden)]
pub fn deserialize<'de, T: WireEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_enum(T::TYPE_NAME, T::NAMES, EnumVisitor(PhantomData))
}

struct EnumVisitor<T>(PhantomData<T>);

impl<'de, T: WireEnum> Visitor<'de> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", T::TYPE_NAME)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        let (value, variant) = data.variant_seed(VariantVisitor(PhantomData))?;
        variant.unit_variant()?;
        Ok(value)
    }
}

/// Reads a variant's name (or index), like the derive's field visitor.
struct VariantVisitor<T>(PhantomData<T>);

impl<'de, T: WireEnum> DeserializeSeed<'de> for VariantVisitor<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: WireEnum> Visitor<'_> for VariantVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<T, E> {
        let found = usize::try_from(index)
            .ok()
            .and_then(|i| T::ALL.get(i).copied());
        found.ok_or_else(|| {
            let expected = format!("variant index 0 <= i < {}", T::ALL.len());
            E::invalid_value(de::Unexpected::Unsigned(index), &expected.as_str())
        })
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<T, E> {
        T::from_wire(name).ok_or_else(|| E::unknown_variant(name, T::NAMES))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<T, E> {
        self.visit_str(&String::from_utf8_lossy(name))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    crate::wire_enum! {
        /// Declared by the macro.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Declared {
            /// First.
            OnTrack = "on_track",
            /// Second.
            Late = "late",
            /// Third.
            NeedsAction = "needs_action",
        }
    }

    /// The same enum as serde's derive would have it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Declared2 {
        OnTrack,
        Late,
        NeedsAction,
    }

    /// Every wire name is what `#[serde(rename_all = "snake_case")]` made of the variant's name
    /// (`lowercase` for languages), as before the names were written out.
    #[test]
    fn names_are_the_former_serde_renames() {
        fn check<T: WireEnum + fmt::Debug + PartialEq>(lowercase: bool) {
            for value in T::ALL {
                let rust = format!("{value:?}");
                let mut expected = String::new();
                for (i, ch) in rust.chars().enumerate() {
                    if ch.is_ascii_uppercase() && i > 0 && !lowercase {
                        expected.push('_');
                    }
                    expected.push(ch.to_ascii_lowercase());
                }
                assert_eq!(value.as_str(), expected, "{}", T::TYPE_NAME);
                assert_eq!(T::from_wire(&expected), Some(*value));
            }
        }
        use crate::action::{ActionKind, Actor};
        use crate::detect::{Carrier, Confidence};
        use crate::eta::EtaSource;
        use crate::health::{Health, Scope, ServiceLevel};
        use crate::labels::Lang;
        use crate::milestone::{Milestone, StepState};
        use crate::status::{Status, SubStatus};
        use crate::wire::KeyKind;
        check::<Status>(false);
        check::<SubStatus>(false);
        check::<Carrier>(false);
        check::<Confidence>(false);
        check::<EtaSource>(false);
        check::<Actor>(false);
        check::<ActionKind>(false);
        check::<Health>(false);
        check::<Scope>(false);
        check::<ServiceLevel>(false);
        check::<Milestone>(false);
        check::<StepState>(false);
        check::<KeyKind>(false);
        check::<Lang>(true);
    }

    #[test]
    fn names_index_and_parse() {
        assert_eq!(Declared::NAMES, ["on_track", "late", "needs_action"]);
        assert_eq!(Declared::ALL.map(Declared::as_str), Declared::NAMES);
        assert_eq!(Declared::from_wire("late"), Some(Declared::Late));
        assert_eq!(Declared::from_wire("Late"), None);
        let error = <Declared as WireEnum>::parse("sleepy").unwrap_err();
        let serde_error = serde_json::from_str::<Declared2>(r#""sleepy""#).unwrap_err();
        assert_eq!(
            error.to_string(),
            serde_error.to_string().split(" at line").next().unwrap()
        );
    }

    /// The hand-written impls accept, refuse and word errors exactly as serde's derive does, in
    /// JSON directly, through serde's buffered `Value` and through an untagged enum.
    #[test]
    fn serde_impls_behave_like_the_derive() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(untagged)]
        enum Untagged<T> {
            One(T),
            Many(Vec<T>),
        }
        let inputs = [
            r#""on_track""#,
            r#""needs_action""#,
            r#""NeedsAction""#,
            r#""""#,
            r#""o\u006e_track""#,
            "1",
            "7",
            "-1",
            "null",
            "true",
            "[]",
            r#"["late"]"#,
            r#"{"late":null}"#,
            r#"{"late":1}"#,
            r#"{"nope":null}"#,
            "{}",
        ];
        for input in inputs {
            let ours = serde_json::from_str::<Declared>(input).map(|d| d as u8);
            let derived = serde_json::from_str::<Declared2>(input).map(|d| d as u8);
            assert_eq!(
                ours.map_err(|e| e.to_string()),
                derived.map_err(|e| e.to_string()),
                "{input}"
            );
            let value: serde_json::Value = match serde_json::from_str(input) {
                Ok(value) => value,
                Err(_) => continue,
            };
            let ours = serde_json::from_value::<Declared>(value.clone()).map(|d| d as u8);
            let derived = serde_json::from_value::<Declared2>(value.clone()).map(|d| d as u8);
            assert_eq!(
                ours.map_err(|e| e.to_string()),
                derived.map_err(|e| e.to_string()),
                "value {input}"
            );
            let ours = serde_json::from_value::<Untagged<Declared>>(value.clone())
                .map(|u| format!("{u:?}"));
            let derived =
                serde_json::from_value::<Untagged<Declared2>>(value).map(|u| format!("{u:?}"));
            assert_eq!(
                ours.map_err(|e| e.to_string()),
                derived.map_err(|e| e.to_string()),
                "untagged {input}"
            );
        }
        for (ours, derived) in Declared::ALL.into_iter().zip([
            Declared2::OnTrack,
            Declared2::Late,
            Declared2::NeedsAction,
        ]) {
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
        }
    }
}
