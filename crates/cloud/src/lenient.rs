//! Lenient member decoding for the services whose wire input the lab reads member by member
//! (S3's REST-XML members as the aws-cli prints them; the EC2 and RDS query-protocol members as
//! the aws-cli sends them).
//!
//! A member of the wrong JSON type reads as absent, as it always did (`input["X"].as_str()`), so
//! decoding a request never fails and every operation reports missing members in its own order
//! (after authorization where AWS checks access first). Request members are therefore `Option`s,
//! as in aws-sdk-rust, and each operation checks the ones it requires.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The member as `T`, or `None` when it is absent, `null` or of another type.
pub(crate) fn opt<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(serde_json::from_value(v).ok())
}

/// A member that counts as given whenever it is present: an object reads as `T` (its own
/// members lenient), anything else (even `null`) as `T::default()`.
pub(crate) fn present<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(Some(if v.is_object() {
        serde_json::from_value(v).unwrap_or_default()
    } else {
        T::default()
    }))
}

/// A list member: `None` unless it is an array; its elements read as `T` where they can and
/// are skipped where they cannot.
pub(crate) fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(|i| serde_json::from_value(i).ok())
                .collect(),
        ),
        _ => None,
    })
}

/// A list of structures: `None` unless it is an array; every element counts (a non-object as
/// `T::default()`).
pub(crate) fn structs<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Array(items) => Some(
            items
                .into_iter()
                .map(|i| {
                    if i.is_object() {
                        serde_json::from_value(i).unwrap_or_default()
                    } else {
                        T::default()
                    }
                })
                .collect(),
        ),
        _ => None,
    })
}

/// The request input as an object (anything else reads as no members at all).
pub(crate) fn object(input: Value) -> Value {
    if input.is_object() {
        input
    } else {
        Value::Object(serde_json::Map::new())
    }
}

/// A list of strings read leniently: an array's string elements (others are skipped). A
/// non-array does not read as a list at all (so an optional member of this type is absent).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Array(items) => Ok(StringList(
                items
                    .into_iter()
                    .filter_map(|i| match i {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => Err(serde::de::Error::custom("not a list")),
        }
    }
}

impl std::ops::Deref for StringList {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.0
    }
}

impl From<Vec<String>> for StringList {
    fn from(v: Vec<String>) -> Self {
        StringList(v)
    }
}
