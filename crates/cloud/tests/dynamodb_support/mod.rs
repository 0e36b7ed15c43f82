//! What the DynamoDB tests share: calls, a `Music` table, its items.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cloud::{AwsError, CallContext, World};
use serde_json::{Value, json};

pub fn ddb(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "dynamodb", op, input)
}

pub fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    ddb(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

/// A `Music` table (Artist, SongTitle) with `sse` as its SSESpecification (`Null`: none).
pub fn create(w: &mut World, c: &CallContext, name: &str, sse: Value) -> Value {
    let mut input = json!({
        "TableName": name,
        "AttributeDefinitions": [
            { "AttributeName": "Artist", "AttributeType": "S" },
            { "AttributeName": "SongTitle", "AttributeType": "S" }
        ],
        "KeySchema": [
            { "AttributeName": "Artist", "KeyType": "HASH" },
            { "AttributeName": "SongTitle", "KeyType": "RANGE" }
        ],
        "BillingMode": "PAY_PER_REQUEST"
    });
    if !sse.is_null() {
        input["SSESpecification"] = sse;
    }
    ok(w, c, "CreateTable", input)
}

pub fn put(w: &mut World, c: &CallContext, table: &str, artist: &str, song: &str) {
    ok(
        w,
        c,
        "PutItem",
        json!({ "TableName": table, "Item": {
            "Artist": { "S": artist }, "SongTitle": { "S": song }, "Year": { "N": "1999" }
        } }),
    );
}

pub fn get(
    w: &mut World,
    c: &CallContext,
    table: &str,
    artist: &str,
    song: &str,
) -> Result<Value, AwsError> {
    ddb(
        w,
        c,
        "GetItem",
        json!({ "TableName": table, "Key": { "Artist": { "S": artist }, "SongTitle": { "S": song } } }),
    )
}
