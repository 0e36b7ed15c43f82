//! The item operations: `PutItem`, `GetItem` and `DeleteItem`, and what every data call shares
//! (the table gate, attribute-value checks, an item's slot).

use serde_json::Value;
use sha2::Digest as _;

use super::error::{invalid, no_resource, required};
use super::health::{self, Status};
use super::model::{
    DeleteItemRequest, GetItemRequest, GetItemResponse, Item, PutItemRequest, WriteItemResponse,
};
use super::table::{authorize, find, table_name};
use super::{DynamoDbError, Table, open_item, seal_item, slot, table_arn, table_key};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// The attribute-value data types.
const TYPES: &[&str] = &["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];
/// The largest item, in bytes.
const MAX_ITEM_BYTES: i64 = 400 * 1024;

/// A data call's table and the caller's plaintext table key: the caller must be allowed the
/// action, the table must exist and not be archived, and the table key must open (from
/// DynamoDB's cache, or decrypted by KMS as the caller).
pub(super) fn data_table(
    world: &mut World,
    ctx: &CallContext,
    raw: &Option<String>,
    action: &str,
    audit: &mut CallAudit,
) -> Result<(Table, Vec<u8>), DynamoDbError> {
    let name = table_name(ctx, required(raw, "tableName")?);
    let arn = table_arn(&ctx.account, &ctx.region, &name);
    audit.resource(&ctx.account, "AWS::DynamoDB::Table", &arn);
    authorize(world, ctx, action, &arn, audit)?;
    let t = find(world, ctx, &name).cloned().ok_or_else(no_resource)?;
    if matches!(
        health::status(&t, world.now_ms()),
        Status::Archiving | Status::Archived
    ) {
        return Err(no_resource());
    }
    let key = table_key(world, ctx, &t, audit)?;
    Ok((t, key))
}

/// Checks one attribute value: exactly one known data type, numbers that are numbers.
pub(super) fn check_value(v: &Value) -> Result<(), DynamoDbError> {
    let Some(m) = v.as_object() else {
        return Err(empty_value());
    };
    if m.len() > 1 {
        return Err(DynamoDbError::ValidationException(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes".into(),
        ));
    }
    let Some((kind, inner)) = m.iter().next() else {
        return Err(empty_value());
    };
    if !TYPES.contains(&kind.as_str()) {
        return Err(empty_value());
    }
    let number = |x: &Value| x.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok());
    let bad_number = match kind.as_str() {
        "N" => !number(inner),
        "NS" => !inner.as_array().is_some_and(|a| a.iter().all(number)),
        _ => false,
    };
    if bad_number {
        return Err(DynamoDbError::ValidationException(
            "A value provided cannot be converted into a number".into(),
        ));
    }
    match kind.as_str() {
        "M" => {
            for v in inner.as_object().into_iter().flat_map(|m| m.values()) {
                check_value(v)?;
            }
        }
        "L" => {
            for v in inner.as_array().into_iter().flatten() {
                check_value(v)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn empty_value() -> DynamoDbError {
    DynamoDbError::ValidationException(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
            .into(),
    )
}

/// The data type of an attribute value (`S`, `N`, …).
pub(super) fn type_of(v: &Value) -> &str {
    v.as_object()
        .and_then(|m| m.keys().next())
        .map_or("", String::as_str)
}

/// The primary key of `item` (its key attributes only).
pub(super) fn key_of(t: &Table, item: &Item) -> Item {
    let (hash, range) = t.key_names();
    item.iter()
        .filter(|(k, _)| **k == hash || Some(*k) == range.as_ref())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// An item's slot: a hash of the table id and its key (the key itself stays encrypted).
pub(super) fn item_slot(t: &Table, key: &Item) -> String {
    let canonical = serde_json::to_string(key).unwrap_or_default();
    let digest = sha2::Sha256::digest(format!("{}\n{canonical}", t.id).as_bytes());
    crate::env::hex(&digest)
}

/// Checks a `Key` member against the table's key schema.
pub(super) fn check_key(t: &Table, key: &Item) -> Result<(), DynamoDbError> {
    for v in key.values() {
        check_value(v)?;
    }
    let (hash, range) = t.key_names();
    let expected = 1 + usize::from(range.is_some());
    let matches = |name: &str| {
        key.get(name)
            .is_some_and(|v| type_of(v) == t.key_type(name))
    };
    if key.len() != expected || !matches(&hash) || range.as_deref().is_some_and(|r| !matches(r))
    {
        return Err(DynamoDbError::ValidationException(
            "The provided key element does not match the schema".into(),
        ));
    }
    Ok(())
}

/// Checks an item's key attributes, as `PutItem` does.
fn check_item(t: &Table, item: &Item) -> Result<(), DynamoDbError> {
    for v in item.values() {
        check_value(v)?;
    }
    let (hash, range) = t.key_names();
    for name in std::iter::once(hash).chain(range) {
        let Some(v) = item.get(&name) else {
            return Err(invalid(&format!("Missing the key {name} in the item")));
        };
        let want = t.key_type(&name);
        let got = type_of(v);
        if got != want {
            return Err(invalid(&format!(
                "Type mismatch for key {name} expected: {want} actual: {got}"
            )));
        }
        if v.get(got).and_then(Value::as_str).is_some_and(str::is_empty) {
            return Err(DynamoDbError::ValidationException(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {name}"
            )));
        }
    }
    if super::item_size(item) > MAX_ITEM_BYTES {
        return Err(DynamoDbError::ValidationException(
            "Item size has exceeded the maximum allowed size".into(),
        ));
    }
    Ok(())
}

/// Whether `ReturnValues` asks for the old item.
fn return_old(value: Option<&str>) -> Result<bool, DynamoDbError> {
    match value {
        None | Some("NONE") => Ok(false),
        Some("ALL_OLD") => Ok(true),
        Some(other) => Err(DynamoDbError::ValidationException(format!(
            "ReturnValues can only be ALL_OLD or NONE (got {other})"
        ))),
    }
}

fn save(world: &mut World, t: Table) {
    world
        .services
        .dynamodb
        .tables
        .insert(slot(&t.account, &t.region, &t.name), t);
}

pub(super) fn put(
    world: &mut World,
    ctx: &CallContext,
    r: &PutItemRequest,
    audit: &mut CallAudit,
) -> Result<WriteItemResponse, DynamoDbError> {
    let item = required(&r.item, "item")?.clone();
    let (mut t, key) = data_table(world, ctx, &r.table_name, "PutItem", audit)?;
    check_item(&t, &item)?;
    let old = return_old(r.return_values.as_deref())?;
    let s = item_slot(&t, &key_of(&t, &item));
    let previous = match t.items.get(&s) {
        Some(stored) if old => Some(open_item(&key, &s, stored)?),
        _ => None,
    };
    let stored = seal_item(world, &key, &s, &item)?;
    t.items.insert(s, stored);
    save(world, t);
    Ok(WriteItemResponse {
        attributes: previous,
    })
}

pub(super) fn get(
    world: &mut World,
    ctx: &CallContext,
    r: &GetItemRequest,
    audit: &mut CallAudit,
) -> Result<GetItemResponse, DynamoDbError> {
    let wanted = required(&r.key, "key")?.clone();
    let (t, key) = data_table(world, ctx, &r.table_name, "GetItem", audit)?;
    check_key(&t, &wanted)?;
    let s = item_slot(&t, &wanted);
    let item = match t.items.get(&s) {
        Some(stored) => Some(open_item(&key, &s, stored)?),
        None => None,
    };
    Ok(GetItemResponse { item })
}

pub(super) fn delete(
    world: &mut World,
    ctx: &CallContext,
    r: &DeleteItemRequest,
    audit: &mut CallAudit,
) -> Result<WriteItemResponse, DynamoDbError> {
    let wanted = required(&r.key, "key")?.clone();
    let (mut t, key) = data_table(world, ctx, &r.table_name, "DeleteItem", audit)?;
    check_key(&t, &wanted)?;
    let old = return_old(r.return_values.as_deref())?;
    let s = item_slot(&t, &wanted);
    let previous = match t.items.remove(&s) {
        Some(stored) if old => Some(open_item(&key, &s, &stored)?),
        _ => None,
    };
    save(world, t);
    Ok(WriteItemResponse {
        attributes: previous,
    })
}
