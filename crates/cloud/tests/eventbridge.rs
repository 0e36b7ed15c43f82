//! EventBridge on the default bus: rules with validated patterns, SQS and SNS targets that need
//! their resource policies to allow `events.amazonaws.com`, KMS's own events (rotation,
//! imported material expiring, a key really deleted) and `AWS API Call via CloudTrail` events
//! delivered only while a trail logs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, PROD_ACCOUNT};
use common::{DAY, Lab};
use serde_json::{Value, json};

const REGION: &str = "us-east-1";
const BUCKET: &str = "trail-logs-111122223333";

fn rule_arn(name: &str) -> String {
    format!("arn:aws:events:{REGION}:{PROD_ACCOUNT}:rule/{name}")
}

fn queue_arn(name: &str) -> String {
    format!("arn:aws:sqs:{REGION}:{PROD_ACCOUNT}:{name}")
}

fn queue_url(name: &str) -> String {
    format!("https://sqs.{REGION}.amazonaws.com/{PROD_ACCOUNT}/{name}")
}

fn call(lab: &mut Lab, svc: &str, op: &str, input: Value) -> Result<Value, AwsError> {
    let admin = lab.admin.clone();
    lab.w.call(&admin, svc, op, input)
}

fn ok(lab: &mut Lab, svc: &str, op: &str, input: Value) -> Value {
    call(lab, svc, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

/// A queue `name` whose policy lets the rule `rule` send.
fn queue_for(lab: &mut Lab, name: &str, rule: &str, with_policy: bool) {
    let mut attrs = json!({});
    if with_policy {
        attrs["Policy"] = json!(
            json!({ "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "events.amazonaws.com" },
            "Action": "sqs:SendMessage",
            "Resource": queue_arn(name),
            "Condition": { "ArnEquals": { "aws:SourceArn": rule_arn(rule) } } }] })
            .to_string()
        );
    }
    ok(
        lab,
        "sqs",
        "CreateQueue",
        json!({ "QueueName": name, "Attributes": attrs }),
    );
}

/// A rule `name` with `pattern` delivering to the queue `queue`.
fn rule_to_queue(lab: &mut Lab, name: &str, pattern: Value, queue: &str) {
    ok(
        lab,
        "events",
        "PutRule",
        json!({ "Name": name, "EventPattern": pattern.to_string() }),
    );
    ok(
        lab,
        "events",
        "PutTargets",
        json!({ "Rule": name, "Targets": [{ "Id": "q", "Arn": queue_arn(queue) }] }),
    );
}

fn events_in(lab: &mut Lab, queue: &str) -> Vec<Value> {
    let out = ok(
        lab,
        "sqs",
        "ReceiveMessage",
        json!({ "QueueUrl": queue_url(queue), "MaxNumberOfMessages": 10 }),
    );
    out["Messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|m| serde_json::from_str(m["Body"].as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn rules_are_listed_described_and_deleted_after_their_targets() {
    let mut lab = Lab::new();
    queue_for(&mut lab, "alerts", "kms-deletions", true);
    let pattern = json!({ "source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"] });
    rule_to_queue(&mut lab, "kms-deletions", pattern.clone(), "alerts");
    let d = ok(
        &mut lab,
        "events",
        "DescribeRule",
        json!({ "Name": "kms-deletions" }),
    );
    assert_eq!(d["Arn"], rule_arn("kms-deletions"));
    assert_eq!(d["State"], "ENABLED");
    assert_eq!(d["EventBusName"], "default");
    assert_eq!(d["CreatedBy"], PROD_ACCOUNT);
    let listed = ok(
        &mut lab,
        "events",
        "ListRules",
        json!({ "NamePrefix": "kms" }),
    );
    assert_eq!(listed["Rules"][0]["Name"], "kms-deletions");
    let targets = ok(
        &mut lab,
        "events",
        "ListTargetsByRule",
        json!({ "Rule": "kms-deletions" }),
    );
    assert_eq!(targets["Targets"][0]["Arn"], queue_arn("alerts"));
    let e = call(
        &mut lab,
        "events",
        "DeleteRule",
        json!({ "Name": "kms-deletions" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationException");
    assert_eq!(e.message, "Rule can't be deleted since it has targets.");
    ok(
        &mut lab,
        "events",
        "RemoveTargets",
        json!({ "Rule": "kms-deletions", "Ids": ["q"] }),
    );
    ok(
        &mut lab,
        "events",
        "DeleteRule",
        json!({ "Name": "kms-deletions" }),
    );
    let e = call(
        &mut lab,
        "events",
        "DescribeRule",
        json!({ "Name": "kms-deletions" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    assert_eq!(
        e.message,
        "Rule kms-deletions does not exist on EventBus default."
    );
}

#[test]
fn a_bad_pattern_is_refused() {
    let mut lab = Lab::new();
    for (pattern, reason) in [
        (
            r#"{"source": "aws.kms"}"#,
            "\"source\" must be an object or an array",
        ),
        (r#"{"source": []}"#, "Empty arrays are not allowed"),
        (r#"{"detail": {}}"#, "Empty objects are not allowed"),
    ] {
        let e = call(
            &mut lab,
            "events",
            "PutRule",
            json!({ "Name": "bad", "EventPattern": pattern }),
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidEventPatternException");
        assert_eq!(
            e.message,
            format!("Event pattern is not valid. Reason: {reason}")
        );
    }
    let e = call(&mut lab, "events", "PutRule", json!({ "Name": "none" })).unwrap_err();
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn a_key_really_deleted_is_announced_and_the_queue_policy_decides_delivery() {
    let mut lab = Lab::new();
    queue_for(&mut lab, "alerts", "kms-deletions", true);
    queue_for(&mut lab, "closed", "kms-deletions", false);
    let pattern = json!({ "source": ["aws.kms"], "detail-type": ["KMS CMK Deletion"] });
    rule_to_queue(&mut lab, "kms-deletions", pattern, "alerts");
    ok(
        &mut lab,
        "events",
        "PutTargets",
        json!({ "Rule": "kms-deletions", "Targets": [{ "Id": "closed", "Arn": queue_arn("closed") }] }),
    );
    let key = lab.create_key();
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    // Scheduling is not the deletion.
    assert!(events_in(&mut lab, "alerts").is_empty());
    lab.w.advance_clock(7 * DAY + 1000);
    let got = events_in(&mut lab, "alerts");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["detail-type"], "KMS CMK Deletion");
    assert_eq!(got[0]["source"], "aws.kms");
    assert_eq!(got[0]["detail"]["key-id"], key.as_str());
    assert_eq!(
        got[0]["resources"][0],
        format!("arn:aws:kms:{REGION}:{PROD_ACCOUNT}:key/{key}")
    );
    // The queue without the policy got nothing, and the failure is recorded.
    assert!(events_in(&mut lab, "closed").is_empty());
    let inv = lab.w.eventbridge().invocations();
    assert!(
        inv.iter()
            .any(|i| i.target_id == "q" && i.outcome == "Delivered")
    );
    assert!(
        inv.iter()
            .any(|i| i.target_id == "closed" && i.outcome == "AccessDenied")
    );
}

#[test]
fn rotations_automatic_and_on_demand_are_announced() {
    let mut lab = Lab::new();
    queue_for(&mut lab, "rot", "rotations", true);
    rule_to_queue(
        &mut lab,
        "rotations",
        json!({ "source": ["aws.kms"], "detail-type": ["KMS CMK Rotation"] }),
        "rot",
    );
    let key = lab.create_key();
    lab.ok("RotateKeyOnDemand", json!({ "KeyId": key }));
    // Received at once (a queue keeps messages four days by default).
    let mut got = events_in(&mut lab, "rot");
    lab.ok(
        "EnableKeyRotation",
        json!({ "KeyId": key, "RotationPeriodInDays": 90 }),
    );
    lab.w.advance_clock(91 * DAY);
    got.extend(events_in(&mut lab, "rot"));
    let kinds: Vec<&str> = got
        .iter()
        .map(|e| e["detail"]["rotation-type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2, "{got:?}");
    assert!(kinds.iter().any(|k| k.contains("ON_DEMAND")), "{kinds:?}");
    assert!(kinds.iter().any(|k| k.contains("AUTOMATIC")), "{kinds:?}");
    assert_eq!(got[0]["detail"]["key-id"], key.as_str());
    assert_eq!(got[0]["detail"]["key-origin"], "AWS_KMS");
}

#[test]
fn imported_material_expiring_is_announced() {
    let mut lab = Lab::new();
    queue_for(&mut lab, "exp", "expiry", true);
    rule_to_queue(
        &mut lab,
        "expiry",
        json!({ "source": ["aws.kms"], "detail-type": [{ "prefix": "KMS Imported" }] }),
        "exp",
    );
    let key = lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let valid_to = (common::START + 2 * DAY) / 1000;
    common::import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[7u8; 32],
        json!({ "ValidTo": valid_to, "ExpirationModel": "KEY_MATERIAL_EXPIRES" }),
    )
    .unwrap();
    lab.w.advance_clock(3 * DAY);
    let got = events_in(&mut lab, "exp");
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["detail-type"],
        "KMS Imported Key Material Expiration"
    );
    assert_eq!(got[0]["detail"]["key-id"], key.as_str());
}

fn trail(lab: &mut Lab) {
    let policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
          "Action": "s3:GetBucketAcl", "Resource": format!("arn:aws:s3:::{BUCKET}") },
        { "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
          "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{BUCKET}/AWSLogs/{PROD_ACCOUNT}/*"),
          "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control" } } } ] });
    ok(lab, "s3", "CreateBucket", json!({ "Bucket": BUCKET }));
    ok(
        lab,
        "s3",
        "PutBucketPolicy",
        json!({ "Bucket": BUCKET, "Policy": policy.to_string() }),
    );
    ok(
        lab,
        "cloudtrail",
        "CreateTrail",
        json!({ "Name": "main", "S3BucketName": BUCKET }),
    );
}

#[test]
fn api_call_events_arrive_only_while_a_trail_logs() {
    let mut lab = Lab::new();
    queue_for(&mut lab, "audit", "kms-calls", true);
    rule_to_queue(
        &mut lab,
        "kms-calls",
        json!({
            "source": ["aws.kms"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": { "eventSource": ["kms.amazonaws.com"], "eventName": ["ScheduleKeyDeletion", "DisableKey"] }
        }),
        "audit",
    );
    let key = lab.create_key();
    // No trail yet: nothing.
    lab.ok("DisableKey", json!({ "KeyId": key }));
    assert!(events_in(&mut lab, "audit").is_empty());
    trail(&mut lab);
    // A trail that does not log: nothing.
    lab.ok("EnableKey", json!({ "KeyId": key }));
    lab.ok("DisableKey", json!({ "KeyId": key }));
    assert!(events_in(&mut lab, "audit").is_empty());
    ok(
        &mut lab,
        "cloudtrail",
        "StartLogging",
        json!({ "Name": "main" }),
    );
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 30 }),
    );
    // Read-only calls are not delivered, and neither are calls the pattern leaves out.
    lab.ok("DescribeKey", json!({ "KeyId": key }));
    let got = events_in(&mut lab, "audit");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["detail-type"], "AWS API Call via CloudTrail");
    assert_eq!(got[0]["detail"]["eventName"], "ScheduleKeyDeletion");
    assert_eq!(
        got[0]["detail"]["requestParameters"]["pendingWindowInDays"],
        30
    );
    ok(
        &mut lab,
        "cloudtrail",
        "StopLogging",
        json!({ "Name": "main" }),
    );
    lab.ok("CancelKeyDeletion", json!({ "KeyId": key }));
    lab.ok("DisableKey", json!({ "KeyId": key }));
    assert!(events_in(&mut lab, "audit").is_empty());
}

#[test]
fn an_sns_target_needs_the_topic_policy() {
    let mut lab = Lab::new();
    let topic = format!("arn:aws:sns:{REGION}:{PROD_ACCOUNT}:kms-alerts");
    ok(
        &mut lab,
        "sns",
        "CreateTopic",
        json!({ "Name": "kms-alerts" }),
    );
    // The queue subscribed to the topic lets the topic send.
    let policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" },
        "Action": "sqs:SendMessage", "Resource": queue_arn("inbox"),
        "Condition": { "ArnEquals": { "aws:SourceArn": topic } } }] })
    .to_string();
    ok(
        &mut lab,
        "sqs",
        "CreateQueue",
        json!({ "QueueName": "inbox", "Attributes": { "Policy": policy } }),
    );
    ok(
        &mut lab,
        "sns",
        "Subscribe",
        json!({ "TopicArn": topic, "Protocol": "sqs", "Endpoint": queue_arn("inbox"),
                "Attributes": { "RawMessageDelivery": "true" } }),
    );
    ok(
        &mut lab,
        "events",
        "PutRule",
        json!({ "Name": "deletions", "EventPattern": r#"{"source":["aws.kms"],"detail-type":["KMS CMK Deletion"]}"# }),
    );
    ok(
        &mut lab,
        "events",
        "PutTargets",
        json!({ "Rule": "deletions", "Targets": [{ "Id": "t", "Arn": topic }] }),
    );
    let key = lab.create_key();
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    lab.w.advance_clock(8 * DAY);
    // The default topic policy does not let EventBridge publish.
    assert!(events_in(&mut lab, "inbox").is_empty());
    let last = lab.w.eventbridge().invocations().last().unwrap().clone();
    assert_eq!(last.outcome, "AuthorizationError");
    let topic_policy = json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" },
        "Action": "sns:Publish", "Resource": topic,
        "Condition": { "ArnEquals": { "aws:SourceArn": rule_arn("deletions") } } }] })
    .to_string();
    ok(
        &mut lab,
        "sns",
        "SetTopicAttributes",
        json!({ "TopicArn": topic, "AttributeName": "Policy", "AttributeValue": topic_policy }),
    );
    let key = lab.create_key();
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    lab.w.advance_clock(8 * DAY);
    let got = events_in(&mut lab, "inbox");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["detail"]["key-id"], key.as_str());
}

#[test]
fn custom_events_match_patterns() {
    let mut lab = Lab::new();
    queue_for(&mut lab, "orders", "big-orders", true);
    rule_to_queue(
        &mut lab,
        "big-orders",
        json!({ "source": ["shop"], "detail": { "total": [{ "numeric": [">=", 100] }] } }),
        "orders",
    );
    let out = ok(
        &mut lab,
        "events",
        "PutEvents",
        json!({ "Entries": [
            { "Source": "shop", "DetailType": "Order", "Detail": "{\"total\": 250}" },
            { "Source": "shop", "DetailType": "Order", "Detail": "{\"total\": 5}" },
            { "Source": "aws.kms", "DetailType": "KMS CMK Deletion", "Detail": "{}" }
        ] }),
    );
    assert_eq!(out["FailedEntryCount"], 1);
    assert_eq!(
        out["Entries"][2]["ErrorCode"],
        "NotAuthorizedForSourceException"
    );
    let got = events_in(&mut lab, "orders");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["detail"]["total"], 250);
}

#[test]
fn typed_and_json_calls_answer_and_audit_alike() {
    use cloud::eventbridge::model::{PutRuleRequest, RuleNameRequest};
    let mut typed = Lab::new();
    let mut json_lab = Lab::new();
    let admin = typed.admin.clone();
    let pattern = r#"{"source":["aws.kms"]}"#;
    typed
        .w
        .client(&admin)
        .events()
        .put_rule(PutRuleRequest {
            name: Some("r".into()),
            event_pattern: Some(pattern.into()),
            ..PutRuleRequest::default()
        })
        .unwrap();
    let d = typed
        .w
        .client(&admin)
        .events()
        .describe_rule(RuleNameRequest {
            name: Some("r".into()),
            ..RuleNameRequest::default()
        })
        .unwrap();
    assert_eq!(d.arn, rule_arn("r"));
    ok(
        &mut json_lab,
        "events",
        "PutRule",
        json!({ "Name": "r", "EventPattern": pattern }),
    );
    ok(
        &mut json_lab,
        "events",
        "DescribeRule",
        json!({ "Name": "r" }),
    );
    let records = |l: &Lab| l.w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
    assert_eq!(records(&typed), records(&json_lab));
}
