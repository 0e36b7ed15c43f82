//! DynamoDB on top of KMS: the three encryption-at-rest options and switching between them,
//! the table key made and decrypted as the caller through DynamoDB (cached five minutes), items
//! really encrypted, key policies through `kms:ViaService`, and what a disabled or deleted key
//! does to a table (inaccessible within minutes, back when the key is, archived after seven
//! days). The data operations are in `dynamodb_items.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod dynamodb_support;

use cloud::{CallContext, PROD_ACCOUNT, World};
use common::{DAY, Lab};
use dynamodb_support::{create, get, ok, put};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;

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
fn a_key_deleted_after_a_seven_day_window_archives_from_when_it_was_scheduled() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    create(
        &mut lab.w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": id, "PendingWindowInDays": 7 }),
    );
    let scheduled = lab.w.now_ms();
    // Nobody calls DynamoDB until the key is gone: the table has been inaccessible since
    // minutes after the scheduling, not since the deletion, so it is archived a day later.
    lab.w.advance_clock(8 * DAY);
    let w = &mut lab.w;
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "ARCHIVED");
    #[allow(clippy::cast_precision_loss)]
    let started = (scheduled + 5 * MINUTE + 7 * DAY) as f64 / 1000.0;
    let at = t["ArchivalSummary"]["ArchivalDateTime"].as_f64().unwrap();
    assert!((at - started).abs() < 0.001, "{at} vs {started}");
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

#[test]
fn without_the_key_event_in_the_trail_dynamodb_notices_from_its_first_look() {
    let mut lab = Lab::new();
    let (id, _) = key(&mut lab);
    let admin = lab.admin.clone();
    create(
        &mut lab.w,
        &admin,
        "Music",
        json!({ "Enabled": true, "KMSMasterKeyId": id }),
    );
    // The trail keeps one event only: DynamoDB cannot tell when the key was disabled.
    lab.w.set_event_retention(1);
    lab.ok("DisableKey", json!({ "KeyId": id }));
    lab.ok("ListKeys", json!({}));
    let w = &mut lab.w;
    w.advance_clock(DAY);
    assert_eq!(describe(w, &admin, "Music")["TableStatus"], "ACTIVE");
    let first_look = w.now_ms();
    w.advance_clock(6 * MINUTE);
    let t = describe(w, &admin, "Music");
    assert_eq!(t["TableStatus"], "INACCESSIBLE_ENCRYPTION_CREDENTIALS");
    #[allow(clippy::cast_precision_loss)]
    let expected = (first_look + 5 * MINUTE) as f64 / 1000.0;
    let at = t["SSEDescription"]["InaccessibleEncryptionDateTime"]
        .as_f64()
        .unwrap();
    assert!((at - expected).abs() < 0.001, "{at} vs {expected}");
}
