//! CloudTrail trails on S3 and KMS: the bucket-policy and key-policy checks of CreateTrail and
//! UpdateTrail (with AWS's exceptions), log files really delivered every five minutes of
//! simulated time as gzipped JSON under SSE-KMS by CloudTrail's service principal, reading them
//! needing kms:Decrypt, and delivery errors in GetTrailStatus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read as _;

use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
use common::{Lab, unb64};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";
const BUCKET: &str = "trail-logs-111122223333";
const TRAIL: &str = "management-events";
const FIVE_MINUTES: i64 = 5 * 60_000;

fn trail_arn(name: &str) -> String {
    format!("arn:aws:cloudtrail:{REGION}:{PROD_ACCOUNT}:trail/{name}")
}

fn call(lab: &mut Lab, service: &str, op: &str, input: Value) -> Result<Value, AwsError> {
    let admin = lab.admin.clone();
    lab.w.call(&admin, service, op, input)
}

fn ok(lab: &mut Lab, service: &str, op: &str, input: Value) -> Value {
    call(lab, service, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(lab: &mut Lab, service: &str, op: &str, input: Value) -> AwsError {
    match call(lab, service, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

/// The bucket policy the CloudTrail guide gives (`AWSCloudTrailAclCheck`, `AWSCloudTrailWrite`).
fn bucket_policy(prefix: &str, trail: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck20150319",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:aws:s3:::{BUCKET}"),
                "Condition": { "StringEquals": { "aws:SourceArn": trail_arn(trail) } }
            },
            {
                "Sid": "AWSCloudTrailWrite20150319",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "s3:PutObject",
                "Resource": format!("arn:aws:s3:::{BUCKET}/{prefix}AWSLogs/{PROD_ACCOUNT}/*"),
                "Condition": { "StringEquals": {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceArn": trail_arn(trail)
                } }
            }
        ]
    })
}

fn bucket(lab: &mut Lab, policy: Option<Value>) {
    ok(lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    if let Some(p) = policy {
        ok(
            lab,
            "s3",
            "PutBucketPolicy",
            json!({ "Bucket": BUCKET, "Policy": p.to_string() }),
        );
    }
}

fn root_statement() -> Value {
    json!({
        "Sid": "Enable IAM user permissions",
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
        "Action": "kms:*",
        "Resource": "*"
    })
}

/// The console's "Allow CloudTrail to encrypt logs" statement for `trail`.
fn encrypt_statement(trail: &str) -> Value {
    json!({
        "Sid": "Allow CloudTrail to encrypt logs",
        "Effect": "Allow",
        "Principal": { "Service": "cloudtrail.amazonaws.com" },
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": {
            "StringEquals": { "aws:SourceArn": trail_arn(trail) },
            "StringLike": {
                "kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:aws:cloudtrail:*:{PROD_ACCOUNT}:trail/*")
            }
        }
    })
}

fn describe_statement() -> Value {
    json!({
        "Sid": "Allow CloudTrail to describe key",
        "Effect": "Allow",
        "Principal": { "Service": "cloudtrail.amazonaws.com" },
        "Action": "kms:DescribeKey",
        "Resource": "*"
    })
}

fn key_with(lab: &mut Lab, statements: Vec<Value>) -> String {
    let policy = json!({ "Version": "2012-10-17", "Statement": statements }).to_string();
    // CreateKey's quota is 5 a second.
    lab.w.advance_clock(1000);
    lab.ok("CreateKey", json!({ "Policy": policy }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A key with the console's statements for `TRAIL`.
fn console_key(lab: &mut Lab) -> String {
    key_with(
        lab,
        vec![
            root_statement(),
            encrypt_statement(TRAIL),
            describe_statement(),
        ],
    )
}

fn create_trail(lab: &mut Lab, key: Option<&str>) -> Result<Value, AwsError> {
    let mut input = json!({ "Name": TRAIL, "S3BucketName": BUCKET });
    if let Some(k) = key {
        input["KmsKeyId"] = json!(k);
    }
    call(lab, "cloudtrail", "CreateTrail", input)
}

fn keys(lab: &mut Lab) -> Vec<String> {
    ok(lab, "s3", "ListObjectsV2", json!({ "Bucket": BUCKET }))["Contents"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o["Key"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn gunzip(bytes: &[u8]) -> Value {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn status(lab: &mut Lab) -> Value {
    ok(
        lab,
        "cloudtrail",
        "GetTrailStatus",
        json!({ "Name": TRAIL }),
    )
}

/// A trail with the console's key and bucket policies, logging.
fn logging_trail(lab: &mut Lab) -> String {
    bucket(lab, Some(bucket_policy("", TRAIL)));
    let key = console_key(lab);
    create_trail(lab, Some(&key)).unwrap();
    ok(lab, "cloudtrail", "StartLogging", json!({ "Name": TRAIL }));
    key
}

#[test]
fn the_console_policies_let_a_trail_deliver_sse_kms_log_files() {
    let mut lab = Lab::new();
    bucket(&mut lab, Some(bucket_policy("", TRAIL)));
    let key = console_key(&mut lab);
    let key_id = key.rsplit('/').next().unwrap().to_owned();
    let created = create_trail(&mut lab, Some(&key_id)).unwrap();
    assert_eq!(
        created,
        json!({
            "Name": TRAIL, "S3BucketName": BUCKET, "IncludeGlobalServiceEvents": true,
            "IsMultiRegionTrail": false, "TrailARN": trail_arn(TRAIL),
            "LogFileValidationEnabled": false, "KmsKeyId": key, "IsOrganizationTrail": false
        })
    );
    assert_eq!(status(&mut lab)["IsLogging"], false);
    ok(
        &mut lab,
        "cloudtrail",
        "StartLogging",
        json!({ "Name": TRAIL }),
    );
    lab.ok("ListAliases", json!({}));
    assert!(keys(&mut lab).is_empty(), "nothing before five minutes");
    lab.w.advance_clock(FIVE_MINUTES);
    let before = lab.w.events().count();
    let st = status(&mut lab);
    assert_eq!(st["IsLogging"], true);
    assert!(st["LatestDeliveryTime"].is_number(), "{st}");
    assert!(st.get("LatestDeliveryError").is_none(), "{st}");
    let objects = keys(&mut lab);
    assert_eq!(objects.len(), 1, "{objects:?}");
    let object_key = &objects[0];
    let expected_prefix = format!(
        "AWSLogs/{PROD_ACCOUNT}/CloudTrail/{REGION}/2026/11/22/{PROD_ACCOUNT}_CloudTrail_{REGION}_20261122T2005Z_"
    );
    assert!(object_key.starts_with(&expected_prefix), "{object_key}");
    assert!(object_key.ends_with(".json.gz"));
    // CloudTrail asked KMS for the file's data key itself, bound to the trail and the object.
    let gdk: Vec<Value> = lab
        .w
        .events()
        .skip(before)
        .filter(|e| e.event_name == "GenerateDataKey")
        .map(|e| e.record.clone())
        .collect();
    assert_eq!(gdk.len(), 1);
    assert_eq!(
        gdk[0]["userIdentity"]["invokedBy"],
        "cloudtrail.amazonaws.com"
    );
    assert_eq!(
        gdk[0]["requestParameters"]["encryptionContext"],
        json!({
            "aws:cloudtrail:arn": trail_arn(TRAIL),
            "aws:s3:arn": format!("arn:aws:s3:::{BUCKET}/{object_key}")
        })
    );
    // The object is SSE-KMS under the trail's key and holds gzipped {"Records": [...]}.
    let got = ok(
        &mut lab,
        "s3",
        "GetObject",
        json!({ "Bucket": BUCKET, "Key": object_key }),
    );
    assert_eq!(got["ServerSideEncryption"], "aws:kms");
    assert_eq!(got["SSEKMSKeyId"], json!(key));
    let log = gunzip(&unb64(&got["Body"]));
    let names: Vec<&str> = log["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["eventName"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"StartLogging"), "{names:?}");
    assert!(names.contains(&"ListAliases"), "{names:?}");
    assert!(
        !names.contains(&"CreateTrail"),
        "before logging started: {names:?}"
    );
    // The next interval delivers only what is new.
    lab.w.advance_clock(FIVE_MINUTES);
    let objects = keys(&mut lab);
    assert_eq!(objects.len(), 2, "{objects:?}");
}

fn put_role_policy(lab: &mut Lab, name: &str, statement: Value) {
    let admin = lab.admin.clone();
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({
                "RoleName": "AppRole",
                "PolicyName": name,
                "PolicyDocument": json!({ "Version": "2012-10-17", "Statement": [statement] }).to_string()
            }),
        )
        .unwrap();
}

#[test]
fn reading_a_log_file_needs_kms_decrypt_on_the_trail_key() {
    let mut lab = Lab::new();
    let key = logging_trail(&mut lab);
    lab.w.advance_clock(FIVE_MINUTES);
    let object_key = keys(&mut lab).remove(0);
    // AppRole may read the bucket, and its own policy allows kms:Decrypt: it reads the file.
    put_role_policy(
        &mut lab,
        "ReadTrailBucket",
        json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{BUCKET}/*") }),
    );
    let app: CallContext = lab.w.context_for_profile(Some("app"), None).unwrap();
    let get = json!({ "Bucket": BUCKET, "Key": object_key });
    let got = lab.w.call(&app, "s3", "GetObject", get.clone()).unwrap();
    assert!(gunzip(&unb64(&got["Body"]))["Records"].is_array());
    // Without kms:Decrypt on the trail's key, S3 access alone is not enough.
    put_role_policy(
        &mut lab,
        "NoTrailKey",
        json!({ "Effect": "Deny", "Action": "kms:Decrypt", "Resource": key }),
    );
    let e = lab.w.call(&app, "s3", "GetObject", get).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    assert!(e.message.contains("kms:Decrypt"), "{}", e.message);
}

#[test]
fn create_trail_needs_the_console_key_statements() {
    let mut lab = Lab::new();
    bucket(&mut lab, Some(bucket_policy("", TRAIL)));
    let cases = [
        // The default key policy: only the account.
        vec![root_statement()],
        // No DescribeKey statement.
        vec![root_statement(), encrypt_statement(TRAIL)],
        // No GenerateDataKey statement.
        vec![root_statement(), describe_statement()],
        // GenerateDataKey for another trail only (aws:SourceArn).
        vec![
            root_statement(),
            encrypt_statement("other-trail"),
            describe_statement(),
        ],
    ];
    for statements in cases {
        let key = key_with(&mut lab, statements.clone());
        let e = create_trail(&mut lab, Some(&key)).unwrap_err();
        assert_eq!(
            e.code, "InsufficientEncryptionPolicyException",
            "{statements:?}"
        );
        assert_eq!(
            e.message,
            format!("Insufficient permissions to access S3 bucket {BUCKET} or KMS key {key}.")
        );
    }
    assert_eq!(
        ok(&mut lab, "cloudtrail", "DescribeTrails", json!({})),
        json!({ "trailList": [] })
    );
    // UpdateTrail checks the same, and leaves the trail as it was.
    create_trail(&mut lab, None).unwrap();
    let bad = key_with(&mut lab, vec![root_statement()]);
    let e = err(
        &mut lab,
        "cloudtrail",
        "UpdateTrail",
        json!({ "Name": TRAIL, "KmsKeyId": bad }),
    );
    assert_eq!(e.code, "InsufficientEncryptionPolicyException");
    let listed = ok(&mut lab, "cloudtrail", "DescribeTrails", json!({}));
    assert!(listed["trailList"][0].get("KmsKeyId").is_none(), "{listed}");
    let good = console_key(&mut lab);
    let updated = ok(
        &mut lab,
        "cloudtrail",
        "UpdateTrail",
        json!({ "Name": TRAIL, "KmsKeyId": good }),
    );
    assert_eq!(updated["KmsKeyId"], json!(good));
}

#[test]
fn create_trail_needs_the_bucket_statements() {
    let mut lab = Lab::new();
    let e = create_trail(&mut lab, None).unwrap_err();
    assert_eq!(e.code, "S3BucketDoesNotExistException");
    bucket(&mut lab, None);
    let e = create_trail(&mut lab, None).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InsufficientS3BucketPolicyException",
            "Incorrect S3 bucket policy is detected for bucket: trail-logs-111122223333"
        )
    );
    // Only the ACL check.
    let mut acl_only = bucket_policy("", TRAIL);
    acl_only["Statement"].as_array_mut().unwrap().truncate(1);
    ok(
        &mut lab,
        "s3",
        "PutBucketPolicy",
        json!({ "Bucket": BUCKET, "Policy": acl_only.to_string() }),
    );
    assert_eq!(
        create_trail(&mut lab, None).unwrap_err().code,
        "InsufficientS3BucketPolicyException"
    );
    // The write statement for another prefix than the trail's.
    ok(
        &mut lab,
        "s3",
        "PutBucketPolicy",
        json!({ "Bucket": BUCKET, "Policy": bucket_policy("audit/", TRAIL).to_string() }),
    );
    assert_eq!(
        create_trail(&mut lab, None).unwrap_err().code,
        "InsufficientS3BucketPolicyException"
    );
    let with_prefix = ok(
        &mut lab,
        "cloudtrail",
        "CreateTrail",
        json!({ "Name": TRAIL, "S3BucketName": BUCKET, "S3KeyPrefix": "audit" }),
    );
    assert_eq!(with_prefix["S3KeyPrefix"], "audit");
}

#[test]
fn a_disabled_key_or_a_changed_policy_stops_delivery_and_status_says_why() {
    let mut lab = Lab::new();
    let key = logging_trail(&mut lab);
    lab.ok("DisableKey", json!({ "KeyId": key }));
    lab.w.advance_clock(FIVE_MINUTES);
    let st = status(&mut lab);
    assert_eq!(st["LatestDeliveryError"], "KMS.DisabledException", "{st}");
    assert!(st.get("LatestDeliveryTime").is_none());
    assert!(keys(&mut lab).is_empty());
    lab.ok("EnableKey", json!({ "KeyId": key }));
    lab.w.advance_clock(FIVE_MINUTES);
    let st = status(&mut lab);
    assert!(st.get("LatestDeliveryError").is_none(), "{st}");
    assert_eq!(keys(&mut lab).len(), 1);
    // A key policy without CloudTrail's statement: S3's AccessDenied.
    let policy = json!({ "Version": "2012-10-17", "Statement": [root_statement()] }).to_string();
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "PolicyName": "default", "Policy": policy }),
    );
    lab.w.advance_clock(FIVE_MINUTES);
    assert_eq!(status(&mut lab)["LatestDeliveryError"], "AccessDenied");
    assert_eq!(keys(&mut lab).len(), 1);
}

#[test]
fn stop_logging_stops_delivery_and_trails_answer_aws_errors() {
    let mut lab = Lab::new();
    logging_trail(&mut lab);
    lab.w.advance_clock(FIVE_MINUTES);
    assert_eq!(keys(&mut lab).len(), 1);
    ok(
        &mut lab,
        "cloudtrail",
        "StopLogging",
        json!({ "Name": trail_arn(TRAIL) }),
    );
    let st = status(&mut lab);
    assert_eq!(st["IsLogging"], false);
    assert!(st["StopLoggingTime"].is_number());
    assert_ne!(st["TimeLoggingStopped"], "");
    lab.ok("ListAliases", json!({}));
    lab.w.advance_clock(3 * FIVE_MINUTES);
    let objects = keys(&mut lab);
    // The interval that held StopLogging itself is delivered; nothing after it.
    assert!(objects.len() <= 2, "{objects:?}");
    let count = objects.len();
    lab.w.advance_clock(FIVE_MINUTES);
    assert_eq!(keys(&mut lab).len(), count);
    let e = create_trail(&mut lab, None).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "TrailAlreadyExistsException",
            "Trail management-events already exists for customer: 111122223333"
        )
    );
    let e = err(
        &mut lab,
        "cloudtrail",
        "GetTrailStatus",
        json!({ "Name": "nope" }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "TrailNotFoundException",
            "Unknown trail: arn:aws:cloudtrail:us-east-1:111122223333:trail/nope for the user: 111122223333"
        )
    );
    let e = err(
        &mut lab,
        "cloudtrail",
        "CreateTrail",
        json!({ "Name": "-bad", "S3BucketName": BUCKET }),
    );
    assert_eq!(e.code, "InvalidTrailNameException");
    ok(
        &mut lab,
        "cloudtrail",
        "DeleteTrail",
        json!({ "Name": TRAIL }),
    );
    assert_eq!(
        err(
            &mut lab,
            "cloudtrail",
            "StartLogging",
            json!({ "Name": TRAIL })
        )
        .code,
        "TrailNotFoundException"
    );
}

#[test]
fn a_trail_without_a_key_delivers_sse_s3_files_anyone_allowed_can_read() {
    let mut lab = Lab::new();
    bucket(&mut lab, Some(bucket_policy("", TRAIL)));
    create_trail(&mut lab, None).unwrap();
    ok(
        &mut lab,
        "cloudtrail",
        "StartLogging",
        json!({ "Name": TRAIL }),
    );
    lab.w.advance_clock(FIVE_MINUTES);
    let object_key = keys(&mut lab).remove(0);
    let got = ok(
        &mut lab,
        "s3",
        "GetObject",
        json!({ "Bucket": BUCKET, "Key": object_key }),
    );
    assert_eq!(got["ServerSideEncryption"], "AES256");
    let log = gunzip(&unb64(&got["Body"]));
    assert!(log["Records"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn a_world_with_a_trail_survives_a_save_and_load() {
    let mut lab = Lab::new();
    logging_trail(&mut lab);
    let saved = serde_json::to_string(&lab.w).unwrap();
    let mut back: World = serde_json::from_str(&saved).unwrap();
    let admin = lab.admin.clone();
    let st = back
        .call(
            &admin,
            "cloudtrail",
            "GetTrailStatus",
            json!({ "Name": TRAIL }),
        )
        .unwrap();
    assert_eq!(st["IsLogging"], true);
}

#[test]
fn malformed_trail_requests_answer_errors_not_panics() {
    let mut lab = Lab::new();
    bucket(&mut lab, Some(bucket_policy("", TRAIL)));
    create_trail(&mut lab, None).unwrap();
    let cases = [
        ("CreateTrail", json!({})),
        ("CreateTrail", json!({ "Name": TRAIL })),
        (
            "CreateTrail",
            json!({ "Name": "a..b", "S3BucketName": BUCKET }),
        ),
        (
            "CreateTrail",
            json!({ "Name": "x".repeat(200), "S3BucketName": BUCKET }),
        ),
        (
            "CreateTrail",
            json!({ "Name": "other", "S3BucketName": BUCKET, "KmsKeyId": "alias/none" }),
        ),
        (
            "CreateTrail",
            json!({ "Name": "other", "S3BucketName": BUCKET, "SnsTopicName": "t" }),
        ),
        (
            "UpdateTrail",
            json!({ "Name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/none" }),
        ),
        ("UpdateTrail", json!({ "Name": "arn:aws:s3:::nope" })),
        (
            "UpdateTrail",
            json!({ "Name": TRAIL, "S3BucketName": "no-such-bucket" }),
        ),
        (
            "DescribeTrails",
            json!({ "trailNameList": "nope", "includeShadowTrails": "x" }),
        ),
        ("DescribeTrails", json!({ "trailNameList": ["nope", 7] })),
        ("GetTrailStatus", json!({ "Name": 7 })),
        ("StartLogging", json!({ "Name": "" })),
        (
            "DeleteTrail",
            json!({ "Name": "arn:aws:cloudtrail:eu-west-1:444455556666:trail/x" }),
        ),
    ];
    for (op, input) in cases {
        match call(&mut lab, "cloudtrail", op, input.clone()) {
            Ok(v) => assert!(v.is_object(), "{op} {input}: {v}"),
            Err(e) => assert!(
                e.code.ends_with("Exception"),
                "{op} {input}: {} {}",
                e.code,
                e.message
            ),
        }
    }
    let e = err(
        &mut lab,
        "cloudtrail",
        "UpdateTrail",
        json!({ "Name": TRAIL, "S3BucketName": "no-such-bucket" }),
    );
    assert_eq!(e.code, "S3BucketDoesNotExistException");
    // The bucket policy names TRAIL only: another trail fails the bucket check first.
    let e = err(
        &mut lab,
        "cloudtrail",
        "CreateTrail",
        json!({ "Name": "other", "S3BucketName": BUCKET, "KmsKeyId": "alias/none" }),
    );
    assert_eq!(e.code, "InsufficientS3BucketPolicyException");
    let e = err(
        &mut lab,
        "cloudtrail",
        "UpdateTrail",
        json!({ "Name": TRAIL, "KmsKeyId": "alias/none" }),
    );
    assert_eq!(e.code, "KmsKeyNotFoundException");
}

/// The names of the events in every log file the trail has delivered.
fn delivered_names(lab: &mut Lab) -> Vec<String> {
    let mut names = Vec::new();
    for object_key in keys(lab) {
        let got = ok(
            lab,
            "s3",
            "GetObject",
            json!({ "Bucket": BUCKET, "Key": object_key }),
        );
        let log = gunzip(&unb64(&got["Body"]));
        for r in log["Records"].as_array().unwrap() {
            names.push(r["eventName"].as_str().unwrap().to_owned());
        }
    }
    names
}

#[test]
fn dynamodb_item_calls_are_data_events_kept_out_of_event_history_and_the_trail() {
    let mut lab = Lab::new();
    logging_trail(&mut lab);
    let table = json!({ "TableName": "Orders" });
    ok(
        &mut lab,
        "dynamodb",
        "CreateTable",
        json!({
            "TableName": "Orders",
            "AttributeDefinitions": [{ "AttributeName": "Id", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "Id", "KeyType": "HASH" }],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
    let item = json!({ "TableName": "Orders", "Item": { "Id": { "S": "o-1" } } });
    ok(&mut lab, "dynamodb", "PutItem", item);
    let key = json!({ "TableName": "Orders", "Key": { "Id": { "S": "o-1" } } });
    ok(&mut lab, "dynamodb", "GetItem", key);
    ok(&mut lab, "dynamodb", "Scan", table.clone());
    ok(
        &mut lab,
        "dynamodb",
        "Query",
        json!({ "TableName": "Orders", "KeyConditionExpression": "Id = :id",
                "ExpressionAttributeValues": { ":id": { "S": "o-1" } } }),
    );
    ok(&mut lab, "dynamodb", "DescribeTable", table);
    let category = |lab: &Lab, name: &str| {
        let ev = lab.w.events().find(|e| e.event_name == name).unwrap();
        (
            ev.record["eventCategory"].clone(),
            ev.record["managementEvent"].clone(),
        )
    };
    for name in ["PutItem", "GetItem", "Scan", "Query"] {
        assert_eq!(
            category(&lab, name),
            (json!("Data"), json!(false)),
            "{name}"
        );
    }
    for name in ["CreateTable", "DescribeTable"] {
        assert_eq!(
            category(&lab, name),
            (json!("Management"), json!(true)),
            "{name}"
        );
    }
    // Event history shows the table's management events only.
    let history = ok(
        &mut lab,
        "cloudtrail",
        "LookupEvents",
        json!({ "LookupAttributes": [{ "AttributeKey": "EventSource",
                                       "AttributeValue": "dynamodb.amazonaws.com" }] }),
    );
    let mut seen: Vec<&str> = history["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["EventName"].as_str().unwrap())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, ["CreateTable", "DescribeTable"]);
    // A trail without data-event selectors delivers the same: no item calls.
    lab.w.advance_clock(FIVE_MINUTES);
    let names = delivered_names(&mut lab);
    assert!(names.iter().any(|n| n == "CreateTable"), "{names:?}");
    for name in ["PutItem", "GetItem", "Scan", "Query"] {
        assert!(!names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    // S3's object calls (reading the log files just now) are data events too.
    let gets = ok(
        &mut lab,
        "cloudtrail",
        "LookupEvents",
        json!({ "LookupAttributes": [{ "AttributeKey": "EventName",
                                       "AttributeValue": "GetObject" }] }),
    );
    assert_eq!(gets["Events"], json!([]));
}
