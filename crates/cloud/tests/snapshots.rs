#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Snapshots of representative responses and events (the RNG is seeded: nothing is redacted).

mod common;
use common::*;
use serde_json::{Value, json};

fn world() -> Lab {
    let mut lab = Lab::new();
    lab.w.advance_clock(3_723_000);
    lab
}

#[test]
fn create_key_response() {
    let mut lab = world();
    let out = lab.ok(
        "CreateKey",
        json!({ "Description": "orders", "Tags": [{ "TagKey": "env", "TagValue": "prod" }] }),
    );
    insta::assert_json_snapshot!("create_key", out);
}

#[test]
fn describe_key_pending_deletion() {
    let mut lab = world();
    let key = lab.create_key();
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    let out = lab.ok("DescribeKey", json!({ "KeyId": key }));
    insta::assert_json_snapshot!("describe_key_pending_deletion", out);
}

#[test]
fn encrypt_event_and_lookup() {
    let mut lab = world();
    let key = lab.create_key();
    lab.encrypt(&key, b"hello", json!({ "purpose": "snapshot" }));
    insta::assert_json_snapshot!("encrypt_event", lab.last_event());
    let ctx = lab.admin.clone();
    let out = lab
        .w
        .call(&ctx, "cloudtrail", "LookupEvents", json!({ "MaxResults": 1, "LookupAttributes": [{ "AttributeKey": "EventName", "AttributeValue": "Encrypt" }] }))
        .unwrap();
    let mut ev = out["Events"][0].clone();
    // CloudTrailEvent is the record above as a string; keep the snapshot readable.
    ev["CloudTrailEvent"] = Value::String("<the encrypt_event snapshot, as a JSON string>".into());
    insta::assert_json_snapshot!("lookup_events_entry", ev);
}

#[test]
fn rotation_event_and_assumed_role_error_event() {
    let mut lab = world();
    let key = lab.create_key();
    lab.ok("RotateKeyOnDemand", json!({ "KeyId": key }));
    insta::assert_json_snapshot!("rotate_key_service_event", lab.last_event());
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    let _ = lab.w.call(
        &app,
        "kms",
        "Decrypt",
        json!({ "CiphertextBlob": b64(b"garbage") }),
    );
    insta::assert_json_snapshot!("assumed_role_decrypt_error_event", lab.last_event());
}

#[test]
fn explain_denied_disable_key() {
    let mut lab = world();
    let key = lab.create_key();
    let app = lab.w.context_for_profile(Some("app"), None).unwrap();
    let out = lab
        .w
        .explain(&app, "kms", "DisableKey", json!({ "KeyId": key }))
        .unwrap();
    insta::assert_snapshot!("explain_denied_disable_key", out["Text"].as_str().unwrap());
}
