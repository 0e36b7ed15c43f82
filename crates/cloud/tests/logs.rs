//! CloudWatch Logs on KMS: log groups encrypted by Logs' Regional service principal with the
//! `aws:logs:arn` encryption context, the key-policy failures AWS reports, a disabled key
//! stopping ingestion and reading, the delayed association, and PutLogEvents' time window.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, PROD_ACCOUNT, World};
use common::{DAY, Lab};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";
const GROUP: &str = "/app/orders";

fn group_arn(name: &str) -> String {
    format!("arn:aws:logs:{REGION}:{PROD_ACCOUNT}:log-group:{name}")
}

fn logs(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "logs", op, input)
}

fn ok(lab: &mut Lab, op: &str, input: Value) -> Value {
    let admin = lab.admin.clone();
    logs(&mut lab.w, &admin, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(lab: &mut Lab, op: &str, input: Value) -> AwsError {
    let admin = lab.admin.clone();
    match logs(&mut lab.w, &admin, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

/// The root statement plus `extra` statements.
fn policy(extra: &[Value]) -> String {
    let mut statements = vec![json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:aws:iam::{PROD_ACCOUNT}:root") },
        "Action": "kms:*",
        "Resource": "*"
    })];
    statements.extend(extra.iter().cloned());
    json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
}

/// The statement the CloudWatch Logs guide gives, for `principal`, conditioned on `arn_like`.
fn logs_statement(principal: &str, arn_like: &str) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": { "Service": principal },
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": { "ArnLike": { "kms:EncryptionContext:aws:logs:arn": arn_like } }
    })
}

/// A key whose policy allows Logs in us-east-1 for every log group of the account.
fn logs_key(lab: &mut Lab) -> String {
    let p = policy(&[logs_statement(
        &format!("logs.{REGION}.amazonaws.com"),
        &format!("arn:aws:logs:{REGION}:{PROD_ACCOUNT}:*"),
    )]);
    key_with(lab, &p)
}

fn key_with(lab: &mut Lab, policy: &str) -> String {
    lab.ok("CreateKey", json!({ "Policy": policy }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn put(lab: &mut Lab, stream: &str, events: &[(i64, &str)]) -> Result<Value, AwsError> {
    let admin = lab.admin.clone();
    let events: Vec<Value> = events
        .iter()
        .map(|(t, m)| json!({ "timestamp": t, "message": m }))
        .collect();
    logs(
        &mut lab.w,
        &admin,
        "PutLogEvents",
        json!({ "logGroupName": GROUP, "logStreamName": stream, "logEvents": events }),
    )
}

fn get(lab: &mut Lab, stream: &str) -> Result<Vec<String>, AwsError> {
    let admin = lab.admin.clone();
    logs(
        &mut lab.w,
        &admin,
        "GetLogEvents",
        json!({ "logGroupName": GROUP, "logStreamName": stream, "startFromHead": true }),
    )
    .map(|v| {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap().to_owned())
            .collect()
    })
}

fn stored(lab: &Lab, stream: &str) -> Vec<Vec<u8>> {
    lab.w
        .logs()
        .stored_bodies(PROD_ACCOUNT, REGION, GROUP, stream)
        .unwrap()
}

/// KMS events since `from`.
fn kms_events(w: &World, from: usize) -> Vec<Value> {
    w.events()
        .skip(from)
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .map(|e| e.record.clone())
        .collect()
}

fn group_with_stream(lab: &mut Lab, key: Option<&str>) {
    let mut input = json!({ "logGroupName": GROUP });
    if let Some(k) = key {
        input["kmsKeyId"] = json!(k);
    }
    ok(lab, "CreateLogGroup", input);
    ok(
        lab,
        "CreateLogStream",
        json!({ "logGroupName": GROUP, "logStreamName": "web-1" }),
    );
}

#[test]
fn a_group_with_a_key_is_encrypted_by_the_logs_service_principal() {
    let mut lab = Lab::new();
    let key = logs_key(&mut lab);
    let before = lab.w.events().count();
    group_with_stream(&mut lab, Some(&key));
    let now = lab.w.now_ms();
    let out = put(
        &mut lab,
        "web-1",
        &[(now - 1000, "order 17 paid"), (now, "order 18 paid")],
    )
    .unwrap();
    assert!(out.get("rejectedLogEventsInfo").is_none(), "{out}");
    assert!(out["nextSequenceToken"].is_string());
    // Stored as ciphertext: the message is nowhere in the stored bodies.
    for body in stored(&lab, "web-1") {
        assert!(
            !String::from_utf8_lossy(&body).contains("order"),
            "plaintext stored"
        );
    }
    assert_eq!(
        get(&mut lab, "web-1").unwrap(),
        ["order 17 paid", "order 18 paid"]
    );
    // Every KMS call was made by logs.us-east-1.amazonaws.com with the group's ARN as context.
    let events = kms_events(&lab.w, before);
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["eventName"].as_str().unwrap())
        .collect();
    // The check at CreateLogGroup, one data key for the batch, one Decrypt to read it.
    assert_eq!(names, ["GenerateDataKey", "GenerateDataKey", "Decrypt"]);
    for e in &events {
        assert_eq!(e["userIdentity"]["type"], "AWSService", "{e}");
        assert_eq!(
            e["userIdentity"]["invokedBy"],
            "logs.us-east-1.amazonaws.com"
        );
        assert_eq!(
            e["requestParameters"]["encryptionContext"],
            json!({ "aws:logs:arn": group_arn(GROUP) })
        );
    }
    let groups = ok(
        &mut lab,
        "DescribeLogGroups",
        json!({ "logGroupNamePrefix": "/app" }),
    );
    let g = &groups["logGroups"][0];
    assert_eq!(g["kmsKeyId"], json!(key));
    assert_eq!(g["arn"], json!(format!("{}:*", group_arn(GROUP))));
    assert_eq!(g["logGroupArn"], json!(group_arn(GROUP)));
    let keys: Vec<&str> = g.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "logGroupName",
            "creationTime",
            "metricFilterCount",
            "arn",
            "storedBytes",
            "kmsKeyId",
            "logGroupClass",
            "logGroupArn"
        ]
    );
}

#[test]
fn the_caller_s_kms_permissions_do_not_matter_only_the_key_policy() {
    // A key policy with only the root statement: the admin may use the key, Logs may not.
    let mut lab = Lab::new();
    let key = key_with(&mut lab, &policy(&[]));
    let e = err(
        &mut lab,
        "CreateLogGroup",
        json!({ "logGroupName": GROUP, "kmsKeyId": key }),
    );
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(
        e.message,
        format!(
            "The specified KMS key does not exist or is not allowed to be used with Arn '{}'",
            group_arn(GROUP)
        )
    );
    assert_eq!(lab.w.logs().group_count(), 0, "no group is created");
    // The same for AssociateKmsKey on an existing group.
    ok(&mut lab, "CreateLogGroup", json!({ "logGroupName": GROUP }));
    let e = err(
        &mut lab,
        "AssociateKmsKey",
        json!({ "logGroupName": GROUP, "kmsKeyId": key }),
    );
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message.ends_with(&format!("Arn '{}'", group_arn(GROUP))),
        "{}",
        e.message
    );
    // The denial is the service principal's, kept for "Why?".
    let denial = lab.w.last_denial(&lab.admin.principal_arn).unwrap();
    assert_eq!(denial.principal, "logs.us-east-1.amazonaws.com");
    assert_eq!(denial.action, "kms:GenerateDataKey");
}

#[test]
fn the_global_logs_principal_and_another_group_s_condition_are_not_enough() {
    let mut lab = Lab::new();
    let global = key_with(
        &mut lab,
        &policy(&[logs_statement("logs.amazonaws.com", "arn:aws:logs:*")]),
    );
    let other_group = key_with(
        &mut lab,
        &policy(&[logs_statement(
            "logs.us-east-1.amazonaws.com",
            &group_arn("/app/payments"),
        )]),
    );
    let exact = key_with(
        &mut lab,
        &policy(&[logs_statement(
            "logs.us-east-1.amazonaws.com",
            &group_arn(GROUP),
        )]),
    );
    for key in [&global, &other_group] {
        let e = err(
            &mut lab,
            "CreateLogGroup",
            json!({ "logGroupName": GROUP, "kmsKeyId": key }),
        );
        assert_eq!(e.code, "AccessDeniedException", "{key}");
    }
    ok(
        &mut lab,
        "CreateLogGroup",
        json!({ "logGroupName": GROUP, "kmsKeyId": exact }),
    );
}

#[test]
fn a_disabled_key_stops_ingestion_and_reading_until_it_is_enabled() {
    let mut lab = Lab::new();
    let key = logs_key(&mut lab);
    group_with_stream(&mut lab, Some(&key));
    let now = lab.w.now_ms();
    put(&mut lab, "web-1", &[(now, "before")]).unwrap();
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let e = put(&mut lab, "web-1", &[(now, "while disabled")]).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(e.message.contains(&group_arn(GROUP)));
    let e = get(&mut lab, "web-1").unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    // Associating a disabled key fails with InvalidParameterException, as the reference says.
    ok(
        &mut lab,
        "CreateLogGroup",
        json!({ "logGroupName": "/app/other" }),
    );
    let e = err(
        &mut lab,
        "AssociateKmsKey",
        json!({ "logGroupName": "/app/other", "kmsKeyId": key }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    lab.ok("EnableKey", json!({ "KeyId": key }));
    put(&mut lab, "web-1", &[(now, "after")]).unwrap();
    assert_eq!(get(&mut lab, "web-1").unwrap(), ["before", "after"]);
}

#[test]
fn a_key_that_does_not_exist_is_an_invalid_parameter() {
    let mut lab = Lab::new();
    let missing =
        format!("arn:aws:kms:{REGION}:{PROD_ACCOUNT}:key/11111111-2222-3333-4444-555555555555");
    let e = err(
        &mut lab,
        "CreateLogGroup",
        json!({ "logGroupName": GROUP, "kmsKeyId": missing }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    assert_eq!(
        e.message,
        format!("The specified KMS Key Id could not be found. '{GROUP}'")
    );
}

#[test]
fn associating_and_disassociating_apply_to_events_ingested_minutes_later() {
    let mut lab = Lab::new();
    let key = logs_key(&mut lab);
    group_with_stream(&mut lab, None);
    ok(
        &mut lab,
        "AssociateKmsKey",
        json!({ "logGroupName": GROUP, "kmsKeyId": key }),
    );
    let described = ok(&mut lab, "DescribeLogGroups", json!({}));
    assert_eq!(described["logGroups"][0]["kmsKeyId"], json!(key));
    let now = lab.w.now_ms();
    put(&mut lab, "web-1", &[(now, "plain one")]).unwrap();
    assert_eq!(stored(&lab, "web-1")[0], b"plain one", "not in effect yet");
    lab.w.advance_clock(cloud::logs::ASSOCIATION_DELAY_MS);
    let now = lab.w.now_ms();
    put(&mut lab, "web-1", &[(now, "secret two")]).unwrap();
    assert_ne!(
        stored(&lab, "web-1")[1],
        b"secret two",
        "encrypted once in effect"
    );
    ok(
        &mut lab,
        "DisassociateKmsKey",
        json!({ "logGroupName": GROUP }),
    );
    let described = ok(&mut lab, "DescribeLogGroups", json!({}));
    assert!(described["logGroups"][0].get("kmsKeyId").is_none());
    lab.w.advance_clock(cloud::logs::ASSOCIATION_DELAY_MS);
    let now = lab.w.now_ms();
    put(&mut lab, "web-1", &[(now, "plain three")]).unwrap();
    assert_eq!(stored(&lab, "web-1")[2], b"plain three");
    // The event written under the key still needs it.
    lab.ok("DisableKey", json!({ "KeyId": key }));
    assert_eq!(
        get(&mut lab, "web-1").unwrap_err().code,
        "AccessDeniedException"
    );
    lab.ok("EnableKey", json!({ "KeyId": key }));
    assert_eq!(
        get(&mut lab, "web-1").unwrap(),
        ["plain one", "secret two", "plain three"]
    );
}

#[test]
fn put_log_events_rejects_events_outside_the_time_window() {
    let mut lab = Lab::new();
    let key = logs_key(&mut lab);
    group_with_stream(&mut lab, Some(&key));
    let now = lab.w.now_ms();
    let hour = 3_600_000;
    let out = put(
        &mut lab,
        "web-1",
        &[
            (now - 14 * DAY - hour, "too old"),
            (now - 14 * DAY + hour, "old but kept"),
        ],
    )
    .unwrap();
    assert_eq!(
        out["rejectedLogEventsInfo"],
        json!({ "tooOldLogEventEndIndex": 1 })
    );
    let out = put(
        &mut lab,
        "web-1",
        &[
            (now - 1, "a minute ago"),
            (now, "now"),
            (now + hour, "soon"),
            (now + 3 * hour, "too new"),
        ],
    )
    .unwrap();
    assert_eq!(
        out["rejectedLogEventsInfo"],
        json!({ "tooNewLogEventStartIndex": 3 })
    );
    let out = put(
        &mut lab,
        "web-1",
        &[
            (now - 14 * DAY - 1, "too old"),
            (now - 14 * DAY + 1, "kept"),
        ],
    )
    .unwrap();
    assert_eq!(
        out["rejectedLogEventsInfo"],
        json!({ "tooOldLogEventEndIndex": 1 })
    );
    assert_eq!(
        get(&mut lab, "web-1").unwrap(),
        ["kept", "old but kept", "a minute ago", "now", "soon"]
    );
    // A batch that is all outside the window stores nothing and asks KMS for nothing.
    let before = lab.w.events().count();
    let out = put(&mut lab, "web-1", &[(now + 3 * hour, "too new")]).unwrap();
    assert_eq!(
        out["rejectedLogEventsInfo"],
        json!({ "tooNewLogEventStartIndex": 0 })
    );
    assert!(kms_events(&lab.w, before).is_empty());
    assert_eq!(stored(&lab, "web-1").len(), 5);
}

#[test]
fn put_log_events_checks_order_span_and_existence() {
    let mut lab = Lab::new();
    group_with_stream(&mut lab, None);
    let now = lab.w.now_ms();
    let e = put(&mut lab, "web-1", &[(now, "b"), (now - 1, "a")]).unwrap_err();
    assert_eq!(e.code, "InvalidParameterException");
    assert_eq!(
        e.message,
        "Log events in a single PutLogEvents request must be in chronological order."
    );
    let e = put(
        &mut lab,
        "web-1",
        &[(now - 25 * 3_600_000, "a"), (now, "b")],
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
    );
    let e = put(&mut lab, "nope", &[(now, "a")]).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceNotFoundException",
            "The specified log stream does not exist."
        )
    );
    let e = err(
        &mut lab,
        "CreateLogStream",
        json!({ "logGroupName": GROUP, "logStreamName": "web-1" }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceAlreadyExistsException",
            "The specified log stream already exists"
        )
    );
    let e = err(&mut lab, "CreateLogGroup", json!({ "logGroupName": GROUP }));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceAlreadyExistsException",
            "The specified log group already exists"
        )
    );
    let e = err(
        &mut lab,
        "CreateLogGroup",
        json!({ "logGroupName": "bad name" }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    assert!(
        e.message.contains("regular expression pattern"),
        "{}",
        e.message
    );
    let e = err(&mut lab, "CreateLogGroup", json!({}));
    assert_eq!(e.code, "InvalidParameterException");
    assert!(e.message.contains("'logGroupName'"));
    ok(&mut lab, "DeleteLogGroup", json!({ "logGroupName": GROUP }));
    let e = err(&mut lab, "DeleteLogGroup", json!({ "logGroupName": GROUP }));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceNotFoundException",
            "The specified log group does not exist."
        )
    );
    assert_eq!(
        ok(&mut lab, "DescribeLogGroups", json!({})),
        json!({ "logGroups": [] })
    );
}

#[test]
fn get_log_events_pages_with_forward_and_backward_tokens() {
    let mut lab = Lab::new();
    group_with_stream(&mut lab, None);
    let now = lab.w.now_ms();
    put(
        &mut lab,
        "web-1",
        &[(now - 3, "a"), (now - 2, "b"), (now - 1, "c")],
    )
    .unwrap();
    let admin = lab.admin.clone();
    let newest = logs(
        &mut lab.w,
        &admin,
        "GetLogEvents",
        json!({ "logGroupName": GROUP, "logStreamName": "web-1", "limit": 2 }),
    )
    .unwrap();
    let msgs = |v: &Value| -> Vec<String> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(msgs(&newest), ["b", "c"]);
    let older = logs(
        &mut lab.w,
        &admin,
        "GetLogEvents",
        json!({ "logGroupName": GROUP, "logStreamName": "web-1", "limit": 2, "nextToken": newest["nextBackwardToken"] }),
    )
    .unwrap();
    assert_eq!(msgs(&older), ["a"]);
    let streams = ok(
        &mut lab,
        "DescribeLogStreams",
        json!({ "logGroupName": GROUP }),
    );
    let s = &streams["logStreams"][0];
    assert_eq!(s["logStreamName"], "web-1");
    assert_eq!(s["firstEventTimestamp"], json!(now - 3));
    assert_eq!(s["lastEventTimestamp"], json!(now - 1));
    let e = err(
        &mut lab,
        "GetLogEvents",
        json!({ "logGroupName": GROUP, "logStreamName": "web-1", "nextToken": "x" }),
    );
    assert_eq!(e.code, "InvalidParameterException");
}

#[test]
fn a_caller_without_logs_permissions_is_denied_before_anything_else() {
    let mut lab = Lab::new();
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    let e = logs(
        &mut lab.w,
        &app,
        "CreateLogGroup",
        json!({ "logGroupName": GROUP }),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message.contains("is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:111122223333:log-group:/app/orders:*"),
        "{}",
        e.message
    );
}

#[test]
fn malformed_and_extreme_requests_answer_errors_not_panics() {
    let mut lab = Lab::new();
    group_with_stream(&mut lab, None);
    let admin = lab.admin.clone();
    let cases = [
        (
            "PutLogEvents",
            json!({ "logGroupName": GROUP, "logStreamName": "web-1", "logEvents": [{ "timestamp": i64::MIN, "message": "a" }, { "timestamp": i64::MAX, "message": "b" }] }),
        ),
        (
            "PutLogEvents",
            json!({ "logGroupName": GROUP, "logStreamName": "web-1", "logEvents": [] }),
        ),
        (
            "PutLogEvents",
            json!({ "logGroupName": GROUP, "logStreamName": "web-1", "logEvents": "nope" }),
        ),
        (
            "PutLogEvents",
            json!({ "logGroupName": GROUP, "logStreamName": "web-1", "logEvents": [{ "timestamp": i64::MAX, "message": "far" }] }),
        ),
        (
            "GetLogEvents",
            json!({ "logGroupName": GROUP, "logStreamName": "web-1", "nextToken": format!("f/{}/s", usize::MAX) }),
        ),
        (
            "GetLogEvents",
            json!({ "logGroupName": GROUP, "logStreamName": "web-1", "nextToken": format!("b/{}/s", usize::MAX), "limit": 0 }),
        ),
        (
            "GetLogEvents",
            json!({ "logGroupIdentifier": format!("{}:*", group_arn(GROUP)), "logStreamName": "web-1", "startTime": i64::MAX, "endTime": i64::MIN }),
        ),
        (
            "DescribeLogGroups",
            json!({ "nextToken": usize::MAX.to_string() }),
        ),
        ("DescribeLogGroups", json!({ "limit": -1 })),
        (
            "DescribeLogStreams",
            json!({ "logGroupName": GROUP, "nextToken": usize::MAX.to_string(), "orderBy": "LastEventTime" }),
        ),
        (
            "DescribeLogStreams",
            json!({ "logGroupName": GROUP, "orderBy": "Size" }),
        ),
        (
            "AssociateKmsKey",
            json!({ "logGroupName": GROUP, "kmsKeyId": "" }),
        ),
        (
            "AssociateKmsKey",
            json!({ "resourceIdentifier": "x", "kmsKeyId": "alias/nope" }),
        ),
        (
            "CreateLogStream",
            json!({ "logGroupName": GROUP, "logStreamName": "a:b" }),
        ),
        ("CreateLogGroup", json!({ "logGroupName": "x".repeat(513) })),
        (
            "CreateLogGroup",
            json!({ "logGroupName": "/ok", "logGroupClass": "GOLD" }),
        ),
        ("NoSuchOperation", json!({})),
    ];
    for (op, input) in cases {
        match lab.w.call(&admin, "logs", op, input.clone()) {
            Ok(v) => assert!(v.is_object(), "{op} {input}: {v}"),
            Err(e) => assert!(
                e.code.ends_with("Exception"),
                "{op} {input}: {} {}",
                e.code,
                e.message
            ),
        }
    }
    // The extreme batch is rejected as a whole (it spans more than 24 hours).
    let e = put(&mut lab, "web-1", &[(i64::MIN, "a"), (i64::MAX, "b")]).unwrap_err();
    assert_eq!(e.code, "InvalidParameterException");
}

#[test]
fn a_typed_call_and_a_json_call_record_the_same_events() {
    use cloud::logs::model::{CreateLogGroupRequest, DescribeLogGroupsRequest};
    let mut typed = Lab::new();
    let mut json_lab = Lab::new();
    let t_admin = typed.admin.clone();
    typed
        .w
        .client(&t_admin)
        .logs()
        .create_log_group(CreateLogGroupRequest {
            log_group_name: Some(GROUP.into()),
            ..CreateLogGroupRequest::default()
        })
        .unwrap();
    let listed = typed
        .w
        .client(&t_admin)
        .logs()
        .describe_log_groups(DescribeLogGroupsRequest::default())
        .unwrap();
    assert_eq!(listed.log_groups[0].log_group_name, GROUP);
    ok(
        &mut json_lab,
        "CreateLogGroup",
        json!({ "logGroupName": GROUP }),
    );
    ok(&mut json_lab, "DescribeLogGroups", json!({}));
    let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
    assert_eq!(records(&typed.w), records(&json_lab.w));
}
