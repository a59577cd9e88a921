//! Input objects are JSON objects, nothing else. serde's derive also reads a struct from an array
//! of its fields in order (`"destination": ["Chicago", "IL", "60601", "US"]`), which the API does
//! not document and no client means; the nested inputs are read through these functions
//! (`#[serde(deserialize_with = ...)]`), which refuse it.

use serde::de::{Deserialize, Deserializer, Visitor};

/// A struct field holding an object.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(input: D) -> Result<T, D::Error> {
    T::deserialize(ObjectOnly(input))
}

/// An optional struct field holding an object (or `null`).
pub fn optional_object<'de, D, T>(input: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Object<T>>::deserialize(input)?.map(|object| object.0))
}

/// A list of objects.
pub fn objects<'de, D, T>(input: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Vec::<Object<T>>::deserialize(input)?
        .into_iter()
        .map(|object| object.0)
        .collect())
}

/// A value read as an object only.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
        object(input).map(Object)
    }
}

/// A deserializer that reads a struct only from a map.
struct ObjectOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use crate::wire::{EventBatch, OrderInput, ShipmentInput, ShopInput};

    #[test]
    fn nested_inputs_are_objects_only() {
        let read = serde_json::from_str::<ShipmentInput>;
        assert!(read(r#"{"destination":{"city":"Chicago"},"eta":null}"#).is_ok());
        assert!(read(r#"{"destination":["Chicago","IL","60601","US"]}"#).is_err());
        assert!(read(r#"{"eta":["2026-12-01","2026-12-03","carrier"]}"#).is_err());
        let order = serde_json::from_str::<OrderInput>;
        assert!(order(r#"{"status":"pending","customer":{"email":"a@b.c"}}"#).is_ok());
        assert!(
            order(r#"{"status":"pending","customer":["Ana","ana@example.com",null]}"#).is_err()
        );
        let batch = |text: &str| serde_json::from_str::<EventBatch>(text).map(|_| ());
        let event =
            r#"{"time":"2026-11-20T14:05:00-05:00","status":"in_transit","description":"Arrived""#;
        assert!(
            batch(&format!(
                r#"{{"events":[{event},"location":{{"city":"Chicago"}}}}]}}"#
            ))
            .is_ok()
        );
        assert!(
            batch(&format!(
                r#"{{"events":[{event},"location":["Chicago","IL","US"]}}]}}"#
            ))
            .is_err()
        );
        assert!(
            batch(r#"{"events":[["2026-11-20T14:05:00-05:00",null,"in_transit",null,"Arrived",null,null]]}"#)
                .is_err()
        );
        let shop = serde_json::from_str::<ShopInput>;
        assert!(shop(r#"{"name":"S","transit_days":{"min_days":1,"max_days":2}}"#).is_ok());
        assert!(shop(r#"{"name":"S","transit_days":[1,2]}"#).is_err());
    }
}
