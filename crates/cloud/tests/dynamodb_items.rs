//! DynamoDB's data and table operations: Query and Scan, backups and restores (keeping or
//! changing the key), listing and deleting tables, CloudTrail, and AWS's errors for bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod dynamodb_support;

use cloud::{AwsError, CallContext, World};
use common::Lab;
use dynamodb_support::{create, ddb, get, ok, put};
use serde_json::{Value, json};

fn err(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match ddb(w, c, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn key(lab: &mut Lab) -> (String, String) {
    let meta = lab.ok("CreateKey", json!({}))["KeyMetadata"].clone();
    (
        meta["KeyId"].as_str().unwrap().to_owned(),
        meta["Arn"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn query_and_scan_with_key_conditions_and_pages() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    create(w, &admin, "Music", Value::Null);
    for song in ["C", "A", "B", "D"] {
        put(w, &admin, "Music", "Acme", song);
    }
    put(w, &admin, "Music", "Other", "A");
    let q = |w: &mut World, expr: &str, values: Value, extra: Value| {
        let mut input = json!({ "TableName": "Music", "KeyConditionExpression": expr,
            "ExpressionAttributeValues": values, "ExpressionAttributeNames": { "#a": "Artist" } });
        if let (Value::Object(m), Value::Object(e)) = (&mut input, extra) {
            m.extend(e);
        }
        ok(w, &admin, "Query", input)
    };
    let titles = |v: &Value| -> Vec<String> {
        v["Items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["SongTitle"]["S"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = q(w, "#a = :a", json!({ ":a": { "S": "Acme" } }), json!({}));
    assert_eq!(titles(&all), ["A", "B", "C", "D"]);
    assert_eq!(all["Count"], 4);
    let between = q(
        w,
        "#a = :a AND SongTitle BETWEEN :x AND :y",
        json!({ ":a": { "S": "Acme" }, ":x": { "S": "B" }, ":y": { "S": "C" } }),
        json!({}),
    );
    assert_eq!(titles(&between), ["B", "C"]);
    let desc = q(
        w,
        "#a = :a and SongTitle >= :x",
        json!({ ":a": { "S": "Acme" }, ":x": { "S": "B" } }),
        json!({ "ScanIndexForward": false }),
    );
    assert_eq!(titles(&desc), ["D", "C", "B"]);
    let begins = q(
        w,
        "#a = :a AND begins_with(SongTitle, :p)",
        json!({ ":a": { "S": "Acme" }, ":p": { "S": "A" } }),
        json!({}),
    );
    assert_eq!(titles(&begins), ["A"]);
    let page1 = q(
        w,
        "#a = :a",
        json!({ ":a": { "S": "Acme" } }),
        json!({ "Limit": 2 }),
    );
    assert_eq!(titles(&page1), ["A", "B"]);
    let page2 = q(
        w,
        "#a = :a",
        json!({ ":a": { "S": "Acme" } }),
        json!({ "ExclusiveStartKey": page1["LastEvaluatedKey"].clone() }),
    );
    assert_eq!(titles(&page2), ["C", "D"]);
    let count = q(
        w,
        "#a = :a",
        json!({ ":a": { "S": "Acme" } }),
        json!({ "Select": "COUNT" }),
    );
    assert!(count.get("Items").is_none());
    assert_eq!(count["Count"], 4);
    // Errors, as DynamoDB words them.
    let e = err(
        w,
        &admin,
        "Query",
        json!({ "TableName": "Music", "KeyConditionExpression": "SongTitle = :x", "ExpressionAttributeValues": { ":x": { "S": "A" } } }),
    );
    assert_eq!(
        e.message,
        "Query condition missed key schema element: Artist"
    );
    let e = err(
        w,
        &admin,
        "Query",
        json!({ "TableName": "Music", "KeyConditionExpression": "Artist = :nope", "ExpressionAttributeValues": { ":x": { "S": "A" } } }),
    );
    assert_eq!(
        e.message,
        "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"
    );
    let e = err(w, &admin, "Query", json!({ "TableName": "Music" }));
    assert_eq!(
        e.message,
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
    );
    let scan = ok(w, &admin, "Scan", json!({ "TableName": "Music" }));
    assert_eq!(scan["Count"], 5);
    assert_eq!(scan["ScannedCount"], 5);
}

#[test]
fn bad_input_gets_dynamodbs_errors() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    create(w, &admin, "Music", Value::Null);
    let cases = [
        (
            "CreateTable",
            json!({ "TableName": "Music", "AttributeDefinitions": [{ "AttributeName": "Artist", "AttributeType": "S" }, { "AttributeName": "SongTitle", "AttributeType": "S" }], "KeySchema": [{ "AttributeName": "Artist", "KeyType": "HASH" }, { "AttributeName": "SongTitle", "KeyType": "RANGE" }], "BillingMode": "PAY_PER_REQUEST" }),
            "ResourceInUseException",
            "Table already exists: Music",
        ),
        (
            "CreateTable",
            json!({ "TableName": "T1x", "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }], "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }] }),
            "ValidationException",
            "No provisioned throughput specified for the table",
        ),
        (
            "CreateTable",
            json!({ "TableName": "T1x", "AttributeDefinitions": [], "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }], "BillingMode": "PAY_PER_REQUEST" }),
            "ValidationException",
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: []",
        ),
        (
            "CreateTable",
            json!({}),
            "ValidationException",
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
        ),
        (
            "DescribeTable",
            json!({ "TableName": "Nope" }),
            "ResourceNotFoundException",
            "Requested resource not found: Table: Nope not found",
        ),
        (
            "GetItem",
            json!({ "TableName": "Nope", "Key": { "id": { "S": "x" } } }),
            "ResourceNotFoundException",
            "Requested resource not found",
        ),
        (
            "PutItem",
            json!({ "TableName": "Music", "Item": { "Artist": { "S": "x" } } }),
            "ValidationException",
            "One or more parameter values were invalid: Missing the key SongTitle in the item",
        ),
        (
            "PutItem",
            json!({ "TableName": "Music", "Item": { "Artist": { "N": "1" }, "SongTitle": { "S": "x" } } }),
            "ValidationException",
            "One or more parameter values were invalid: Type mismatch for key Artist expected: S actual: N",
        ),
        (
            "PutItem",
            json!({ "TableName": "Music", "Item": { "Artist": { "S": "x" }, "SongTitle": { "S": "x" }, "Bad": {} } }),
            "ValidationException",
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            "GetItem",
            json!({ "TableName": "Music", "Key": { "Artist": { "S": "x" } } }),
            "ValidationException",
            "The provided key element does not match the schema",
        ),
        (
            "UpdateTable",
            json!({ "TableName": "Music", "SSESpecification": { "Enabled": true, "KMSMasterKeyId": "alias/none" } }),
            "AccessDeniedException",
            "KMS key access denied error: com.amazonaws.services.kms.model.NotFoundException: Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found. (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException)",
        ),
        (
            "Frobnicate",
            json!({}),
            "UnknownOperationException",
            "DynamoDB has no operation named `Frobnicate` in the lab",
        ),
    ];
    for (op, input, code, message) in cases {
        let e = err(w, &admin, op, input.clone());
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (code, message),
            "{op} {input}"
        );
    }
}

#[test]
fn backups_keep_the_key_or_change_it_on_restore() {
    let mut lab = Lab::new();
    let (id, arn) = key(&mut lab);
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    create(
        w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    put(w, &admin, "Music", "Acme Band", "Happy Day");
    let b = ok(
        w,
        &admin,
        "CreateBackup",
        json!({ "TableName": "Music", "BackupName": "MusicBackup" }),
    );
    let backup_arn = b["BackupDetails"]["BackupArn"].as_str().unwrap().to_owned();
    assert_eq!(b["BackupDetails"]["BackupType"], "USER");
    let d = ok(
        w,
        &admin,
        "DescribeBackup",
        json!({ "BackupArn": backup_arn }),
    );
    assert_eq!(
        d["BackupDescription"]["SourceTableFeatureDetails"]["SSEDescription"]["KMSMasterKeyArn"],
        arn.as_str()
    );
    // Default: the backup's key.
    let r = ok(
        w,
        &admin,
        "RestoreTableFromBackup",
        json!({ "TargetTableName": "Same", "BackupArn": backup_arn }),
    );
    assert_eq!(
        r["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"],
        arn.as_str()
    );
    assert_eq!(
        r["TableDescription"]["RestoreSummary"]["SourceBackupArn"],
        backup_arn.as_str()
    );
    // Override: the AWS owned key.
    let r = ok(
        w,
        &admin,
        "RestoreTableFromBackup",
        json!({ "TargetTableName": "Owned", "BackupArn": backup_arn, "SSESpecificationOverride": { "Enabled": false } }),
    );
    assert!(r["TableDescription"].get("SSEDescription").is_none());
    assert_eq!(
        get(w, &admin, "Owned", "Acme Band", "Happy Day").unwrap()["Item"]["Year"]["N"],
        "1999"
    );
    // A backup under a disabled key cannot be restored.
    ok_kms(w, &admin, "DisableKey", json!({ "KeyId": id }));
    let e = err(
        w,
        &admin,
        "RestoreTableFromBackup",
        json!({ "TargetTableName": "Later", "BackupArn": backup_arn }),
    );
    assert_eq!(e.code, "AccessDeniedException");
    let e = err(
        w,
        &admin,
        "RestoreTableFromBackup",
        json!({ "TargetTableName": "Same", "BackupArn": backup_arn }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("TableAlreadyExistsException", "Table already exists: Same")
    );
    let e = err(
        w,
        &admin,
        "DescribeBackup",
        json!({ "BackupArn": format!("{backup_arn}x") }),
    );
    assert_eq!(e.code, "BackupNotFoundException");
    ok(
        w,
        &admin,
        "DeleteBackup",
        json!({ "BackupArn": backup_arn }),
    );
    assert_eq!(
        ok(w, &admin, "ListBackups", json!({}))["BackupSummaries"],
        json!([])
    );
}

#[test]
fn list_and_delete_tables_and_the_cloudtrail_events() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    for n in ["Ccc", "Aaa", "Bbb"] {
        create(w, &admin, n, Value::Null);
    }
    let l = ok(w, &admin, "ListTables", json!({ "Limit": 2 }));
    assert_eq!(
        l,
        json!({ "TableNames": ["Aaa", "Bbb"], "LastEvaluatedTableName": "Bbb" })
    );
    let l = ok(
        w,
        &admin,
        "ListTables",
        json!({ "ExclusiveStartTableName": "Bbb" }),
    );
    assert_eq!(l, json!({ "TableNames": ["Ccc"] }));
    put(w, &admin, "Aaa", "x", "y");
    let d = ok(w, &admin, "DeleteTable", json!({ "TableName": "Aaa" }));
    assert_eq!(d["TableDescription"]["TableStatus"], "DELETING");
    assert_eq!(
        err(w, &admin, "DescribeTable", json!({ "TableName": "Aaa" })).code,
        "ResourceNotFoundException"
    );
    let put_event = w
        .events()
        .find(|e| e.event_name == "PutItem")
        .unwrap()
        .record
        .clone();
    assert_eq!(put_event["eventSource"], "dynamodb.amazonaws.com");
    assert!(put_event["requestParameters"].get("item").is_none());
    assert_eq!(put_event["readOnly"], false);
    // Deletion protection.
    ok(
        w,
        &admin,
        "UpdateTable",
        json!({ "TableName": "Bbb", "DeletionProtectionEnabled": true }),
    );
    let e = err(w, &admin, "DeleteTable", json!({ "TableName": "Bbb" }));
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn malformed_requests_get_errors_never_panics() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    create(w, &admin, "Music", Value::Null);
    put(w, &admin, "Music", "a", "b");
    let ops = [
        "CreateTable",
        "DescribeTable",
        "UpdateTable",
        "DeleteTable",
        "ListTables",
        "PutItem",
        "GetItem",
        "DeleteItem",
        "Query",
        "Scan",
        "CreateBackup",
        "DescribeBackup",
        "DeleteBackup",
        "ListBackups",
        "RestoreTableFromBackup",
    ];
    let odd = [
        json!(null),
        json!([]),
        json!({ "TableName": 5 }),
        json!({ "TableName": "Music", "Key": { "Artist": [] , "SongTitle": { "S": "b", "N": "1" } } }),
        json!({ "TableName": "Music", "Item": { "Artist": { "M": { "x": {} } }, "SongTitle": { "L": [1] } } }),
        json!({ "TableName": "Music", "KeyConditionExpression": "begins_with(", "ExpressionAttributeValues": {} }),
        json!({ "TableName": "Music", "KeyConditionExpression": "Artist = :a AND", "ExpressionAttributeValues": { ":a": { "S": "a" } } }),
        json!({ "TableName": "Music", "KeyConditionExpression": "Artist BETWEEN :a", "ExpressionAttributeValues": { ":a": { "S": "a" } } }),
        json!({ "TableName": "Music", "KeyConditionExpression": "#x = :a", "ExpressionAttributeValues": { ":a": { "N": "zz" } } }),
        json!({ "TableName": "Music", "Limit": -1, "ExclusiveStartKey": { "Artist": { "S": "a" } } }),
        json!({ "TableName": "Music", "SSESpecification": { "Enabled": "yes", "SSEType": "ROT13" }, "BillingMode": "FREE" }),
        json!({ "TableName": "ab", "AttributeDefinitions": [{}], "KeySchema": [{}, {}, {}] }),
        json!({ "TargetTableName": "New1", "BackupArn": "arn:aws:dynamodb:us-east-1:111122223333:table/Music/backup/x" }),
        json!({ "BackupArn": "" , "TableName": "Music", "BackupName": "b" }),
    ];
    for op in ops {
        for input in &odd {
            if let Err(e) = ddb(w, &admin, op, input.clone()) {
                assert!(
                    [
                        "ValidationException",
                        "ResourceNotFoundException",
                        "ResourceInUseException",
                        "BackupNotFoundException",
                        "TableNotFoundException",
                        "SerializationException",
                    ]
                    .contains(&e.code.as_str()),
                    "{op} {input}: {e:?}"
                );
            }
        }
    }
}

fn ok_kms(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    w.call(c, "kms", op, input).unwrap()
}
