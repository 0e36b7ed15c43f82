//! DynamoDB on top of KMS: the three encryption-at-rest options and switching between them,
//! the table key made and decrypted as the caller through DynamoDB (cached five minutes), items
//! really encrypted, Query and Scan, what a disabled or deleted key does to a table (inaccessible
//! within minutes, back when the key is, archived after seven days), and backups.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
use common::{DAY, Lab};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;

fn ddb(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "dynamodb", op, input)
}

fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    ddb(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match ddb(w, c, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

/// A `Music` table (Artist, SongTitle) with `sse` as its SSESpecification (`Null`: none).
fn create(w: &mut World, c: &CallContext, name: &str, sse: Value) -> Value {
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

fn put(w: &mut World, c: &CallContext, table: &str, artist: &str, song: &str) {
    ok(
        w,
        c,
        "PutItem",
        json!({ "TableName": table, "Item": {
            "Artist": { "S": artist }, "SongTitle": { "S": song }, "Year": { "N": "1999" }
        } }),
    );
}

fn get(
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

fn describe(w: &mut World, c: &CallContext, table: &str) -> Value {
    ok(w, c, "DescribeTable", json!({ "TableName": table }))["Table"].clone()
}

/// The KMS events since event number `from`.
fn kms_events(w: &World, from: usize) -> Vec<Value> {
    w.events()
        .skip(from)
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .map(|e| e.record.clone())
        .collect()
}

fn names(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["eventName"].as_str().unwrap())
        .collect()
}

fn key(lab: &mut Lab) -> (String, String) {
    let meta = lab.ok("CreateKey", json!({}))["KeyMetadata"].clone();
    (
        meta["KeyId"].as_str().unwrap().to_owned(),
        meta["Arn"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn aws_owned_key_is_the_default_and_makes_no_kms_call() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let out = create(w, &admin, "Music", Value::Null);
    let d = &out["TableDescription"];
    assert_eq!(d["TableStatus"], "CREATING");
    assert!(d.get("SSEDescription").is_none());
    assert_eq!(
        d["TableArn"],
        "arn:aws:dynamodb:us-east-1:111122223333:table/Music"
    );
    put(w, &admin, "Music", "Acme Band", "Happy Day");
    let got = get(w, &admin, "Music", "Acme Band", "Happy Day").unwrap();
    assert_eq!(got["Item"]["Year"], json!({ "N": "1999" }));
    assert!(kms_events(w, before).is_empty());
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "ACTIVE");
    assert!(t.get("SSEDescription").is_none());
    assert_eq!(t["ItemCount"], 1);
    // The item is stored sealed: neither its key nor its values are readable.
    let stored = w.dynamodb().stored_items(PROD_ACCOUNT, REGION, "Music");
    assert_eq!(stored.len(), 1);
    let raw = serde_json::to_string(&w).unwrap();
    assert!(!raw.contains("Happy Day") && !raw.contains("Acme Band"));
    // Enabled=false is the AWS owned key too.
    create(w, &admin, "Other", json!({ "Enabled": false }));
    assert!(describe(w, &admin, "Other").get("SSEDescription").is_none());
}

#[test]
fn aws_managed_key_is_created_on_first_use_and_used_as_the_caller_via_dynamodb() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let out = create(
        w,
        &admin,
        "Music",
        json!({ "Enabled": true, "SSEType": "KMS" }),
    );
    let sse = &out["TableDescription"]["SSEDescription"];
    assert_eq!(sse["Status"], "ENABLED");
    assert_eq!(sse["SSEType"], "KMS");
    let kms = kms_events(w, before);
    let managed = ok_kms(
        w,
        &admin,
        "DescribeKey",
        json!({ "KeyId": "alias/aws/dynamodb" }),
    );
    assert_eq!(managed["KeyMetadata"]["KeyManager"], "AWS");
    assert_eq!(sse["KMSMasterKeyArn"], managed["KeyMetadata"]["Arn"]);
    assert_eq!(
        names(&kms),
        ["DescribeKey", "CreateGrant", "GenerateDataKey"]
    );
    for e in &kms {
        assert_eq!(e["userIdentity"]["invokedBy"], "dynamodb.amazonaws.com");
        assert_eq!(e["userIdentity"]["arn"], admin.principal_arn.as_str());
    }
    assert_eq!(
        kms[2]["requestParameters"]["encryptionContext"],
        json!({ "aws:dynamodb:tableName": "Music", "aws:dynamodb:subscriberId": PROD_ACCOUNT })
    );
    assert_eq!(
        kms[1]["requestParameters"]["granteeServicePrincipal"],
        "dynamodb.amazonaws.com"
    );
}

fn ok_kms(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    w.call(c, "kms", op, input).unwrap()
}

#[test]
fn customer_managed_key_table_key_is_cached_five_minutes_per_caller() {
    let mut lab = Lab::new();
    let (id, arn) = key(&mut lab);
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let out = create(
        w,
        &admin,
        "Music",
        json!({ "Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": id }),
    );
    assert_eq!(
        out["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"],
        arn.as_str()
    );
    // The table key made at creation is cached: no KMS call for the next writes and reads.
    let before = w.events().count();
    put(w, &admin, "Music", "Acme Band", "Happy Day");
    get(w, &admin, "Music", "Acme Band", "Happy Day").unwrap();
    assert!(kms_events(w, before).is_empty());
    // Five minutes without use: the next call decrypts the table key again, as the caller.
    w.advance_clock(5 * MINUTE);
    let before = w.events().count();
    get(w, &admin, "Music", "Acme Band", "Happy Day").unwrap();
    let kms = kms_events(w, before);
    assert_eq!(names(&kms), ["Decrypt"]);
    assert_eq!(
        kms[0]["userIdentity"]["invokedBy"],
        "dynamodb.amazonaws.com"
    );
    assert_eq!(
        kms[0]["requestParameters"]["encryptionContext"],
        json!({ "aws:dynamodb:tableName": "Music", "aws:dynamodb:subscriberId": PROD_ACCOUNT })
    );
    // Another caller has its own cache entry: its first call decrypts.
    let app = w.context_for_profile(Some("app"), None).unwrap();
    let before = w.events().count();
    let denied = get(w, &app, "Music", "Acme Band", "Happy Day").unwrap_err();
    // AppRole may not call dynamodb:GetItem at all (identity policy).
    assert_eq!(denied.code, "AccessDeniedException");
    assert!(kms_events(w, before).is_empty());
}

#[test]
fn a_caller_without_kms_decrypt_gets_dynamodbs_kms_access_denied_error() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    // AppRole may use DynamoDB but the key policy (default: the account's IAM decides) and its
    // identity policy give it no kms:Decrypt.
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyName": "ddb", "PolicyDocument": json!({
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*" },
                              { "Effect": "Deny", "Action": "kms:*", "Resource": "*" }]
            }).to_string() }),
        )
        .unwrap();
    let w = &mut lab.w;
    create(
        w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    put(w, &admin, "Music", "Acme Band", "Happy Day");
    let app = w.context_for_profile(Some("app"), None).unwrap();
    let e = get(w, &app, "Music", "Acme Band", "Happy Day").unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message.starts_with(
            "KMS key access denied error: com.amazonaws.services.kms.model.AWSKMSException: "
        ),
        "{}",
        e.message
    );
    assert!(
        e.message
            .ends_with("(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)")
    );
    // The denied Decrypt is in CloudTrail, as AppRole through DynamoDB.
    let last_kms = w
        .events()
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(last_kms["eventName"], "Decrypt");
    assert_eq!(last_kms["errorCode"], "AccessDeniedException");
    assert_eq!(
        last_kms["userIdentity"]["invokedBy"],
        "dynamodb.amazonaws.com"
    );
}

#[test]
fn update_table_switches_between_the_three_options_and_keeps_the_items() {
    let mut lab = Lab::new();
    let (id, arn) = key(&mut lab);
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    create(w, &admin, "Music", Value::Null);
    put(w, &admin, "Music", "Acme Band", "Happy Day");
    put(w, &admin, "Music", "No One You Know", "Call Me Today");
    let owned = w.dynamodb().stored_items(PROD_ACCOUNT, REGION, "Music");
    // → customer managed key.
    let out = ok(
        w,
        &admin,
        "UpdateTable",
        json!({ "TableName": "Music", "SSESpecification": { "Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": arn } }),
    );
    let d = &out["TableDescription"];
    assert_eq!(d["TableStatus"], "UPDATING");
    assert_eq!(d["SSEDescription"]["Status"], "UPDATING");
    assert_eq!(d["SSEDescription"]["KMSMasterKeyArn"], arn.as_str());
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "ACTIVE");
    assert_eq!(t["SSEDescription"]["Status"], "ENABLED");
    // Re-sealed under the new table key.
    let cmk = w.dynamodb().stored_items(PROD_ACCOUNT, REGION, "Music");
    assert!(cmk.iter().all(|s| !owned.contains(s)));
    assert_eq!(
        get(w, &admin, "Music", "Acme Band", "Happy Day").unwrap()["Item"]["Year"]["N"],
        "1999"
    );
    // → aws/dynamodb.
    ok(
        w,
        &admin,
        "UpdateTable",
        json!({ "TableName": "Music", "SSESpecification": { "Enabled": true } }),
    );
    let managed = ok_kms(
        w,
        &admin,
        "DescribeKey",
        json!({ "KeyId": "alias/aws/dynamodb" }),
    )["KeyMetadata"]["Arn"]
        .clone();
    assert_eq!(
        describe(w, &admin, "Music")["SSEDescription"]["KMSMasterKeyArn"],
        managed
    );
    // → AWS owned key: SSEDescription disappears; the items are still there.
    ok(
        w,
        &admin,
        "UpdateTable",
        json!({ "TableName": "Music", "SSESpecification": { "Enabled": false } }),
    );
    let t = describe(w, &admin, "Music");
    assert!(t.get("SSEDescription").is_none());
    let scan = ok(w, &admin, "Scan", json!({ "TableName": "Music" }));
    assert_eq!(scan["Count"], 2);
    let _ = id;
}

#[test]
fn disabled_key_makes_the_table_inaccessible_within_minutes_and_it_comes_back() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    create(
        &mut lab.w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    put(&mut lab.w, &admin, "Music", "Acme Band", "Happy Day");
    lab.ok("DisableKey", json!({ "KeyId": id }));
    let disabled_at = lab.w.now_ms();
    let w = &mut lab.w;
    // Not yet noticed: still ACTIVE (the cached table key still works).
    w.advance_clock(MINUTE);
    assert_eq!(describe(w, &admin, "Music")["TableStatus"], "ACTIVE");
    w.advance_clock(9 * MINUTE);
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "INACCESSIBLE_ENCRYPTION_CREDENTIALS");
    let detected = t["SSEDescription"]["InaccessibleEncryptionDateTime"]
        .as_f64()
        .unwrap();
    #[allow(clippy::cast_precision_loss)]
    let expected = (disabled_at + 5 * MINUTE) as f64 / 1000.0;
    assert!(
        (detected - expected).abs() < 0.001,
        "{detected} vs {expected}"
    );
    // Data calls fail with KMS's DisabledException as DynamoDB reports it.
    let e = get(w, &admin, "Music", "Acme Band", "Happy Day").unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message
            .contains("com.amazonaws.services.kms.model.DisabledException"),
        "{}",
        e.message
    );
    assert!(e.message.contains("Error Code: DisabledException"));
    // The key comes back: so does the table.
    ok_kms(w, &admin, "EnableKey", json!({ "KeyId": id }));
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "ACTIVE");
    assert!(
        t["SSEDescription"]
            .get("InaccessibleEncryptionDateTime")
            .is_none()
    );
    assert_eq!(
        get(w, &admin, "Music", "Acme Band", "Happy Day").unwrap()["Item"]["Artist"]["S"],
        "Acme Band"
    );
}

#[test]
fn seven_days_inaccessible_archives_the_table_to_a_backup() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    create(
        &mut lab.w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    put(&mut lab.w, &admin, "Music", "Acme Band", "Happy Day");
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": id, "PendingWindowInDays": 30 }),
    );
    let scheduled = lab.w.now_ms();
    let w = &mut lab.w;
    // Nobody calls DynamoDB for 7 days and 10 minutes: the first call finds it archiving.
    w.advance_clock(7 * DAY + 10 * MINUTE);
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "ARCHIVING");
    let a = &t["ArchivalSummary"];
    assert_eq!(a["ArchivalReason"], "INACCESSIBLE_ENCRYPTION_CREDENTIALS");
    #[allow(clippy::cast_precision_loss)]
    let started = (scheduled + 5 * MINUTE + 7 * DAY) as f64 / 1000.0;
    assert!((a["ArchivalDateTime"].as_f64().unwrap() - started).abs() < 0.001);
    let backup_arn = a["ArchivalBackupArn"].as_str().unwrap().to_owned();
    assert!(backup_arn.starts_with("arn:aws:dynamodb:us-east-1:111122223333:table/Music/backup/"));
    w.advance_clock(60 * MINUTE);
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "ARCHIVED");
    assert_eq!(t["ItemCount"], 0);
    // Data calls find no table; the key coming back does not undo the archival.
    assert_eq!(
        get(w, &admin, "Music", "Acme Band", "Happy Day")
            .unwrap_err()
            .code,
        "ResourceNotFoundException"
    );
    ok_kms(w, &admin, "CancelKeyDeletion", json!({ "KeyId": id }));
    ok_kms(w, &admin, "EnableKey", json!({ "KeyId": id }));
    assert_eq!(describe(w, &admin, "Music")["TableStatus"], "ARCHIVED");
    // The archival backup is a SYSTEM backup, restorable once the key works.
    let listed = ok(w, &admin, "ListBackups", json!({ "BackupType": "SYSTEM" }));
    assert_eq!(
        listed["BackupSummaries"][0]["BackupArn"],
        backup_arn.as_str()
    );
    assert_eq!(
        ok(w, &admin, "ListBackups", json!({}))["BackupSummaries"],
        json!([])
    );
    ok(
        w,
        &admin,
        "RestoreTableFromBackup",
        json!({ "TargetTableName": "Music2", "BackupArn": backup_arn }),
    );
    assert_eq!(
        get(w, &admin, "Music2", "Acme Band", "Happy Day").unwrap()["Item"]["Year"]["N"],
        "1999"
    );
    // An archived table can be deleted.
    ok(w, &admin, "DeleteTable", json!({ "TableName": "Music" }));
}

#[test]
fn key_back_within_seven_days_saves_the_table_even_when_nobody_looked() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    create(
        &mut lab.w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    lab.ok("DisableKey", json!({ "KeyId": id }));
    lab.w.advance_clock(6 * DAY);
    lab.ok("EnableKey", json!({ "KeyId": id }));
    lab.w.advance_clock(3 * DAY);
    let w = &mut lab.w;
    assert_eq!(describe(w, &admin, "Music")["TableStatus"], "ACTIVE");
    // …but back after 8 days is too late.
    ok_kms(w, &admin, "DisableKey", json!({ "KeyId": id }));
    w.advance_clock(8 * DAY);
    ok_kms(w, &admin, "EnableKey", json!({ "KeyId": id }));
    assert_eq!(describe(w, &admin, "Music")["TableStatus"], "ARCHIVED");
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
fn a_saved_world_keeps_tables_but_not_the_cached_table_keys() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    create(
        &mut lab.w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    put(&mut lab.w, &admin, "Music", "Acme Band", "Happy Day");
    let text = serde_json::to_string(&lab.w).unwrap();
    let mut w: World = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_string(&w).unwrap(), text);
    // The plaintext table key was only in memory: the loaded world asks KMS again.
    let before = w.events().count();
    get(&mut w, &admin, "Music", "Acme Band", "Happy Day").unwrap();
    assert_eq!(names(&kms_events(&w, before)), ["Decrypt"]);
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

#[test]
fn a_key_policy_can_allow_the_key_only_through_dynamodb() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "Admin", "Effect": "Allow", "Principal": { "AWS": admin.principal_arn.as_str() },
              "Action": "kms:*", "Resource": "*" },
            { "Sid": "ThroughDynamoDB", "Effect": "Allow",
              "Principal": { "AWS": "arn:aws:iam::111122223333:role/AppRole" },
              "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
              "Resource": "*",
              "Condition": { "StringEquals": { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com" } } }
        ]
    });
    let meta = lab.ok("CreateKey", json!({ "Policy": policy.to_string() }))["KeyMetadata"].clone();
    let id = meta["KeyId"].as_str().unwrap().to_owned();
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyName": "ddb", "PolicyDocument": json!({
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*" }]
            }).to_string() }),
        )
        .unwrap();
    let w = &mut lab.w;
    let app = w.context_for_profile(Some("app"), None).unwrap();
    create(
        w,
        &app,
        "Orders",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    put(w, &app, "Orders", "a", "b");
    w.advance_clock(10 * MINUTE);
    assert_eq!(
        get(w, &app, "Orders", "a", "b").unwrap()["Item"]["Artist"]["S"],
        "a"
    );
    // The same role calling KMS itself is denied: the condition only matches through DynamoDB.
    let direct = w
        .call(&app, "kms", "DescribeKey", json!({ "KeyId": id }))
        .unwrap_err();
    assert_eq!(direct.code, "AccessDeniedException");
}
