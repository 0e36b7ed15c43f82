#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! CloudTrail: one event per call, the record's shape, LookupEvents, retention and counters.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn one_event_per_call_success_or_error() {
    let mut lab = Lab::new();
    let start = lab.w.event_counters().total;
    let key = lab.create_key();
    lab.err("DescribeKey", json!({ "KeyId": "alias/missing" }));
    lab.err("Encrypt", json!({ "KeyId": key }));
    lab.err("NoSuchOperation", json!({}));
    assert_eq!(lab.w.event_counters().total, start + 4);
    assert_eq!(lab.w.event_counters().errors, 3);
    assert_eq!(lab.w.event_counters().by_event_name["CreateKey"], 1);
    assert_eq!(lab.w.kms_request_count("111122223333"), 4);
    let ev = lab.last_event();
    assert_eq!(ev["errorCode"], "UnknownOperationException");
}

#[test]
fn record_shape() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.w.advance_clock(90_061_000); // 1 day, 1 hour, 1 minute, 1 second
    lab.encrypt(&key, b"s3cr3t-plaintext", json!({ "tenant": "t1" }));
    let ev = lab.last_event();
    assert_eq!(ev["eventVersion"], "1.11");
    assert_eq!(ev["eventTime"], "2026-11-23T21:01:01Z");
    assert_eq!(ev["eventSource"], "kms.amazonaws.com");
    assert_eq!(ev["awsRegion"], "us-east-1");
    assert_eq!(ev["eventType"], "AwsApiCall");
    assert_eq!(ev["eventCategory"], "Management");
    assert_eq!(ev["managementEvent"], true);
    assert_eq!(
        ev["readOnly"], true,
        "KMS logs cryptographic operations as read-only"
    );
    assert_eq!(ev["recipientAccountId"], "111122223333");
    assert_eq!(
        ev["userIdentity"]["arn"],
        "arn:aws:iam::111122223333:user/Admin"
    );
    assert_eq!(ev["userIdentity"]["userName"], "Admin");
    assert!(
        ev["userIdentity"]["accessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("AKIA")
    );
    assert_eq!(
        ev["requestParameters"],
        json!({ "keyId": key, "encryptionContext": { "tenant": "t1" }, "encryptionAlgorithm": "SYMMETRIC_DEFAULT" })
    );
    assert_eq!(
        ev["resources"],
        json!([{ "accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": format!("arn:aws:kms:us-east-1:111122223333:key/{key}") }])
    );
    assert_eq!(ev["eventID"].as_str().unwrap().len(), 36);
    assert!(!ev.to_string().contains(&b64(b"s3cr3t-plaintext")));
    let material =
        lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]["CurrentKeyMaterialId"]
            .clone();
    assert_eq!(
        ev["additionalEventData"],
        json!({ "keyMaterialId": material })
    );
    let describe = {
        lab.ok("DescribeKey", json!({ "KeyId": key }));
        lab.last_event()
    };
    assert_eq!(describe["readOnly"], true);
    let created = lab
        .w
        .events()
        .find(|e| e.event_name == "CreateKey")
        .unwrap()
        .record
        .clone();
    assert_eq!(
        created["responseElements"]["keyMetadata"]["aWSAccountId"],
        "111122223333"
    );
    assert_eq!(
        created["responseElements"]["keyMetadata"]["keyId"],
        key.as_str()
    );
}

fn lookup(lab: &mut Lab, input: Value) -> Value {
    let ctx = lab.admin.clone();
    lab.w
        .call(&ctx, "cloudtrail", "LookupEvents", input)
        .unwrap()
}

#[test]
fn lookup_events() {
    let mut lab = Lab::new();
    let k1 = lab.create_key();
    let k2 = lab.create_key();
    for _ in 0..3 {
        lab.encrypt(&k1, b"x", Value::Null);
        lab.w.advance_clock(1000);
    }
    lab.encrypt(&k2, b"x", Value::Null);
    let out = lookup(
        &mut lab,
        json!({ "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "Encrypt" }] }),
    );
    let events = out["Events"].as_array().unwrap();
    assert_eq!(events.len(), 4);
    // Newest first.
    assert_eq!(
        events[0]["Resources"][0]["ResourceName"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{k2}")
    );
    assert_eq!(events[0]["Username"], "Admin");
    assert_eq!(events[0]["ReadOnly"], "true");
    assert_eq!(events[0]["EventSource"], "kms.amazonaws.com");
    let full: Value = serde_json::from_str(events[0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
    assert_eq!(full["eventID"], events[0]["EventId"]);
    let by_key = lookup(
        &mut lab,
        json!({ "LookupAttributes": [{ "AttributeKey": "ResourceName", "AttributeValue": k1 }] }),
    );
    assert_eq!(
        by_key["Events"].as_array().unwrap().len(),
        4,
        "CreateKey + 3 Encrypt"
    );
    let ro = lookup(
        &mut lab,
        json!({ "LookupAttributes": [{ "AttributeKey": "ReadOnly", "AttributeValue": "true" }] }),
    );
    assert!(
        ro["Events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["ReadOnly"] == "true")
    );
    // Paging.
    let p1 = lookup(&mut lab, json!({ "MaxResults": 2 }));
    assert_eq!(p1["Events"].as_array().unwrap().len(), 2);
    let p2 = lookup(
        &mut lab,
        json!({ "MaxResults": 2, "NextToken": p1["NextToken"] }),
    );
    assert_ne!(p1["Events"][0]["EventId"], p2["Events"][0]["EventId"]);
    // Time range.
    let t = (START + 1500) as f64 / 1000.0;
    let after = lookup(
        &mut lab,
        json!({ "StartTime": t, "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "Encrypt" }] }),
    );
    assert_eq!(
        after["Events"].as_array().unwrap().len(),
        2,
        "encrypts at +2s and +3s"
    );
    let iso = lookup(
        &mut lab,
        json!({ "EndTime": "2026-11-22T20:00:00Z", "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "CreateKey" }] }),
    );
    assert_eq!(iso["Events"].as_array().unwrap().len(), 2);
    // Errors.
    let ctx = lab.admin.clone();
    let bad = |lab: &mut Lab, input: Value| {
        lab.w
            .call(&ctx, "cloudtrail", "LookupEvents", input)
            .unwrap_err()
            .code
    };
    assert_eq!(
        bad(&mut lab, json!({ "MaxResults": 51 })),
        "InvalidMaxResultsException"
    );
    assert_eq!(
        bad(&mut lab, json!({ "NextToken": "nope" })),
        "InvalidNextTokenException"
    );
    assert_eq!(
        bad(
            &mut lab,
            json!({ "LookupAttributes": [{ "AttributeKey": "Color", "AttributeValue": "x" }] })
        ),
        "InvalidLookupAttributesException"
    );
    assert_eq!(
        bad(
            &mut lab,
            json!({ "StartTime": "2026-11-23T00:00:00Z", "EndTime": "2026-11-22T00:00:00Z" })
        ),
        "InvalidTimeRangeException"
    );
    // Another account sees only its own events.
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    let theirs = lab.w.call(&partner, "cloudtrail", "LookupEvents", json!({ "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "Encrypt" }] })).unwrap();
    assert_eq!(theirs["Events"], json!([]));
}

#[test]
fn retention_is_bounded_but_counters_are_not() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    for i in 0..(cloud::RETAINED_EVENTS + 20) {
        lab.ok("DescribeKey", json!({ "KeyId": key }));
        // DescribeKey's request quota is 2,000 per second.
        if i % 1000 == 999 {
            lab.w.advance_clock(1000);
        }
    }
    assert_eq!(lab.w.events().count(), cloud::RETAINED_EVENTS);
    assert_eq!(
        lab.w.event_counters().by_event_name["DescribeKey"],
        (cloud::RETAINED_EVENTS + 20) as u64
    );
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    assert_eq!(
        lab.w.event_counters().by_key[&arn],
        (cloud::RETAINED_EVENTS + 21) as u64
    );
    // The oldest (CreateKey) was dropped from the retained window.
    assert!(lab.w.events().all(|e| e.event_name != "CreateKey"));
}

#[test]
fn cross_account_calls_reach_both_trails() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    // Denied across accounts: logged only in the caller's account (KMS developer guide,
    // "Logging AWS KMS API calls with AWS CloudTrail").
    let denied = lab
        .w
        .call(&partner, "kms", "DescribeKey", json!({ "KeyId": arn }))
        .unwrap_err();
    assert_eq!(denied.code, "AccessDeniedException");
    let count = |lab: &mut Lab, ctx: &cloud::CallContext| {
        let out = lab
            .w
            .call(ctx, "cloudtrail", "LookupEvents", json!({ "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "DescribeKey" }] }))
            .unwrap();
        out["Events"].as_array().unwrap().len()
    };
    let admin = lab.admin.clone();
    assert_eq!(
        count(&mut lab, &partner),
        1,
        "the caller's trail has the denial"
    );
    assert_eq!(count(&mut lab, &admin), 0, "the key owner's trail does not");
    // Allowed across accounts: both trails.
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "PolicyName": "default", "Policy": serde_json::to_string(&json!({
            "Version": "2012-10-17",
            "Statement": [
                { "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" },
                { "Sid": "Partner", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::444455556666:root" }, "Action": "kms:DescribeKey", "Resource": "*" }
            ]
        })).unwrap() }),
    );
    lab.w.advance_clock(1_000);
    let before = lab.w.event_counters().total;
    lab.w
        .call(&partner, "kms", "DescribeKey", json!({ "KeyId": arn }))
        .unwrap();
    assert_eq!(
        lab.w.event_counters().total,
        before + 1,
        "one call, counted once"
    );
    let find = |lab: &mut Lab, ctx: &cloud::CallContext| {
        let out = lab
            .w
            .call(ctx, "cloudtrail", "LookupEvents", json!({ "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "DescribeKey" }] }))
            .unwrap();
        let events = out["Events"].as_array().unwrap().clone();
        // The newest first: the allowed call.
        serde_json::from_str::<Value>(events[0]["CloudTrailEvent"].as_str().unwrap()).unwrap()
    };
    let theirs = find(&mut lab, &partner);
    let ours = find(&mut lab, &admin);
    assert_eq!(theirs["recipientAccountId"], "444455556666");
    assert_eq!(
        theirs["userIdentity"]["arn"],
        "arn:aws:iam::444455556666:user/PartnerAdmin"
    );
    assert_eq!(ours["recipientAccountId"], "111122223333");
    assert_eq!(
        ours["userIdentity"],
        json!({ "type": "AWSAccount", "principalId": theirs["userIdentity"]["principalId"], "accountId": "444455556666" })
    );
    assert_eq!(ours["sharedEventID"], theirs["sharedEventID"]);
    assert_ne!(ours["eventID"], theirs["eventID"]);
}

#[test]
fn retention_is_configurable() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    for _ in 0..30 {
        lab.ok("DescribeKey", json!({ "KeyId": key }));
    }
    lab.w.set_event_retention(10);
    assert_eq!(lab.w.events().count(), 10);
    lab.ok("DescribeKey", json!({ "KeyId": key }));
    assert_eq!(lab.w.events().count(), 10);
    assert_eq!(lab.w.events().last().unwrap().event_name, "DescribeKey");
    assert_eq!(lab.w.event_counters().by_event_name["DescribeKey"], 31);
    let restored: cloud::World =
        serde_json::from_str(&serde_json::to_string(&lab.w).unwrap()).unwrap();
    assert_eq!(restored.events().count(), 10);
}
