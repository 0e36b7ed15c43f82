#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Key management: CreateKey validation, identifiers, listing and pagination, descriptions,
//! deletion lifecycle, key policies, tags, last usage.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn create_key_validation() {
    let mut lab = Lab::new();
    // Many CreateKey calls at one simulated instant: not a quota test.
    lab.w.set_request_quotas(false);
    let e = lab.err("CreateKey", json!({ "KeySpec": "RSA_2048" }));
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("KeyUsage"), "{}", e.message);
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY" }),
    );
    assert_eq!(e.code, "UnsupportedOperationException");
    assert!(
        e.message.contains("SM2") && e.message.contains("does not model"),
        "{}",
        e.message
    );
    let e = lab.err("CreateKey", json!({ "KeySpec": "AES_256" }));
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.starts_with("1 validation error detected: Value 'AES_256' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: ["));
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "SYMMETRIC_DEFAULT", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT" }),
    );
    assert_eq!(e.code, "ValidationException");
    let e = lab.err("CreateKey", json!({ "KeyUsage": "SIGN_VERIFY" }));
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        lab.err("CreateKey", json!({ "Origin": "AWS_CLOUDHSM" }))
            .code,
        "UnsupportedOperationException"
    );
    assert_eq!(
        lab.err("CreateKey", json!({ "Origin": "SOMEWHERE" })).code,
        "ValidationException"
    );
    let e = lab.err("CreateKey", json!({ "Policy": "{not json" }));
    assert_eq!(e.code, "MalformedPolicyDocumentException");
    let e = lab.err(
        "CreateKey",
        json!({ "Policy": "{\"Version\":\"2012-10-17\"}" }),
    );
    assert_eq!(e.code, "MalformedPolicyDocumentException");
    let big = format!(
        "{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Sid\":\"{}\"}}]}}",
        "a".repeat(33_000)
    );
    assert_eq!(
        lab.err("CreateKey", json!({ "Policy": big })).code,
        "LimitExceededException"
    );
    let e = lab.err(
        "CreateKey",
        json!({ "Tags": [{ "TagKey": "aws:x", "TagValue": "v" }] }),
    );
    assert_eq!(e.code, "TagException");
    let e = lab.err(
        "CreateKey",
        json!({ "Tags": [{ "TagKey": "a", "TagValue": "1" }, { "TagKey": "a", "TagValue": "2" }] }),
    );
    assert_eq!(e.code, "TagException");
    let e = lab.err("CreateKey", json!({ "Description": "x".repeat(8193) }));
    assert_eq!(e.code, "ValidationException");
    // Nothing was created by the failures.
    assert_eq!(lab.ok("ListKeys", json!({}))["Keys"], json!([]));
}

#[test]
fn default_key_policy_and_external_keys() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let p = lab.ok("GetKeyPolicy", json!({ "KeyId": key }));
    assert_eq!(p["PolicyName"], "default");
    let doc: Value = serde_json::from_str(p["Policy"].as_str().unwrap()).unwrap();
    assert_eq!(doc["Statement"].as_array().unwrap().len(), 1);
    assert_eq!(doc["Statement"][0]["Sid"], "Enable IAM User Permissions");
    assert_eq!(
        doc["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::111122223333:root"
    );
    assert_eq!(doc["Statement"][0]["Action"], "kms:*");

    let ext = lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }));
    assert_eq!(ext["KeyMetadata"]["KeyState"], "PendingImport");
    assert_eq!(ext["KeyMetadata"]["Enabled"], false);
    assert_eq!(ext["KeyMetadata"]["Origin"], "EXTERNAL");
    assert!(ext["KeyMetadata"].get("CurrentKeyMaterialId").is_none());
}

#[test]
fn key_identifiers() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/app", "TargetKeyId": key }),
    );
    for id in [
        key.as_str(),
        arn.as_str(),
        "alias/app",
        "arn:aws:kms:us-east-1:111122223333:alias/app",
    ] {
        assert_eq!(
            lab.ok("DescribeKey", json!({ "KeyId": id }))["KeyMetadata"]["Arn"],
            arn,
            "{id}"
        );
    }
    // Operations that take only key id or key ARN reject aliases.
    let e = lab.err("EnableKey", json!({ "KeyId": "alias/app" }));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("NotFoundException", "Invalid keyId 'alias/app'")
    );
    assert_eq!(
        lab.err("GetKeyLastUsage", json!({ "KeyId": "alias/app" }))
            .code,
        "NotFoundException"
    );
    let e = lab.err("DescribeKey", json!({ "KeyId": "alias/missing" }));
    assert_eq!(
        e.message,
        "Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found."
    );
    let e = lab.err(
        "DescribeKey",
        json!({ "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab" }),
    );
    assert_eq!(
        e.message,
        "Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist"
    );
    assert_eq!(
        lab.err("DescribeKey", json!({ "KeyId": "not-a-key" })).code,
        "NotFoundException"
    );
    assert_eq!(
        lab.err("DescribeKey", json!({ "KeyId": "arn:aws:s3:::bucket" }))
            .code,
        "InvalidArnException"
    );
    assert_eq!(
        lab.err(
            "DescribeKey",
            json!({ "KeyId": "arn:aws:kms:us-east-1:111122223333:thing/x" })
        )
        .code,
        "InvalidArnException"
    );
    assert_eq!(
        lab.err("DescribeKey", json!({ "KeyId": "" })).code,
        "ValidationException"
    );
    let e = lab.err("DescribeKey", json!({}));
    assert_eq!(
        e.message,
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn list_keys_paginates() {
    let mut lab = Lab::new();
    lab.w.set_request_quotas(false);
    let mut ids: Vec<String> = (0..7).map(|_| lab.create_key()).collect();
    ids.sort();
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut input = json!({ "Limit": 3 });
        if let Some(m) = &marker {
            input["Marker"] = json!(m);
        }
        let out = lab.ok("ListKeys", input);
        pages += 1;
        for k in out["Keys"].as_array().unwrap() {
            seen.push(k["KeyId"].as_str().unwrap().to_owned());
            assert_eq!(
                k["KeyArn"],
                format!(
                    "arn:aws:kms:us-east-1:111122223333:key/{}",
                    k["KeyId"].as_str().unwrap()
                )
            );
        }
        if out["Truncated"] == json!(true) {
            marker = Some(out["NextMarker"].as_str().unwrap().to_owned());
        } else {
            assert!(out.get("NextMarker").is_none());
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids);
    let e = lab.err("ListKeys", json!({ "Limit": 0 }));
    assert_eq!(
        e.message,
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    assert_eq!(
        lab.err("ListKeys", json!({ "Limit": 1001 })).code,
        "ValidationException"
    );
    assert_eq!(
        lab.err("ListKeys", json!({ "Marker": "%%%" })).code,
        "InvalidMarkerException"
    );
    // Other accounts and Regions are invisible.
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    assert_eq!(
        lab.w.call(&partner, "kms", "ListKeys", json!({})).unwrap()["Keys"],
        json!([])
    );
}

#[test]
fn description_enable_disable() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "UpdateKeyDescription",
        json!({ "KeyId": key, "Description": "new" }),
    );
    assert_eq!(
        lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]["Description"],
        "new"
    );
    lab.ok("DisableKey", json!({ "KeyId": key }));
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let md = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(
        (md["KeyState"].as_str(), md["Enabled"].as_bool()),
        (Some("Disabled"), Some(false))
    );
    lab.ok("EnableKey", json!({ "KeyId": key }));
    assert_eq!(lab.state(&key), "Enabled");
}

#[test]
fn deletion_window_and_completion() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/doomed", "TargetKeyId": key }),
    );
    let blob = lab.encrypt(&key, b"old", Value::Null);
    for (days, msg) in [
        (
            6,
            "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
        ),
        (
            31,
            "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30",
        ),
    ] {
        let e = lab.err(
            "ScheduleKeyDeletion",
            json!({ "KeyId": key, "PendingWindowInDays": days }),
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("ValidationException", msg)
        );
    }
    let out = lab.ok("ScheduleKeyDeletion", json!({ "KeyId": key }));
    assert_eq!(out["PendingWindowInDays"], 30);
    assert_eq!(out["KeyState"], "PendingDeletion");
    assert_eq!(
        out["KeyId"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{key}")
    );
    let deletion = out["DeletionDate"].as_f64().unwrap();
    assert_eq!(deletion, (START + 30 * DAY) as f64 / 1000.0);
    let md = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(md["DeletionDate"].as_f64(), Some(deletion));
    assert_eq!(md["PendingDeletionWindowInDays"], 30);

    // Cancel: back to Disabled, must be re-enabled.
    lab.ok("CancelKeyDeletion", json!({ "KeyId": key }));
    assert_eq!(lab.state(&key), "Disabled");
    assert!(
        lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]
            .get("DeletionDate")
            .is_none()
    );

    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    lab.w.advance_clock(7 * DAY - 1);
    assert_eq!(lab.state(&key), "PendingDeletion");
    lab.w.advance_clock(1);
    let e = lab.err("DescribeKey", json!({ "KeyId": key }));
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        lab.err("DescribeKey", json!({ "KeyId": "alias/doomed" }))
            .code,
        "NotFoundException"
    );
    let e = lab.decrypt(&blob, Value::Null).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        e.message,
        format!("Key 'arn:aws:kms:us-east-1:111122223333:key/{key}' does not exist")
    );
    let del = lab
        .w
        .events()
        .find(|e| e.event_name == "DeleteKey")
        .unwrap()
        .record
        .clone();
    assert_eq!(del["eventType"], "AwsServiceEvent");
    assert_eq!(del["userIdentity"]["invokedBy"], "AWS Internal");
    assert_eq!(del["eventTime"], "2026-11-29T20:00:00Z");
}

#[test]
fn key_policies() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    lab.ok("PutKeyPolicy", json!({ "KeyId": key, "Policy": policy }));
    lab.ok(
        "PutKeyPolicy",
        json!({ "KeyId": key, "PolicyName": "default", "Policy": policy }),
    );
    assert_eq!(
        lab.ok(
            "GetKeyPolicy",
            json!({ "KeyId": key, "PolicyName": "default" })
        )["Policy"],
        policy
    );
    assert_eq!(
        lab.ok("ListKeyPolicies", json!({ "KeyId": key }))["PolicyNames"],
        json!(["default"])
    );
    assert_eq!(
        lab.ok("ListKeyPolicies", json!({ "KeyId": key }))["Truncated"],
        false
    );
    assert_eq!(
        lab.err(
            "PutKeyPolicy",
            json!({ "KeyId": key, "PolicyName": "other", "Policy": policy })
        )
        .code,
        "NotFoundException"
    );
    assert_eq!(
        lab.err("PutKeyPolicy", json!({ "KeyId": key, "Policy": "[1,2" }))
            .code,
        "MalformedPolicyDocumentException"
    );
    let no_principal = r#"{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#;
    assert_eq!(
        lab.err(
            "PutKeyPolicy",
            json!({ "KeyId": key, "Policy": no_principal })
        )
        .code,
        "MalformedPolicyDocumentException"
    );
    assert_eq!(
        lab.err("PutKeyPolicy", json!({ "KeyId": key })).code,
        "ValidationException"
    );
    // The event logs the policy text (it is not secret).
    assert_eq!(
        lab.w
            .events()
            .find(|e| e.event_name == "PutKeyPolicy")
            .unwrap()
            .record["requestParameters"]["policy"],
        policy
    );
}

#[test]
fn tags() {
    let mut lab = Lab::new();
    let key = lab.ok(
        "CreateKey",
        json!({ "Tags": [{ "TagKey": "env", "TagValue": "prod" }] }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    lab.ok("TagResource", json!({ "KeyId": key, "Tags": [{ "TagKey": "team", "TagValue": "a" }, { "TagKey": "env", "TagValue": "dev" }] }));
    let tags = lab.ok("ListResourceTags", json!({ "KeyId": key }));
    assert_eq!(
        tags["Tags"],
        json!([{ "TagKey": "env", "TagValue": "dev" }, { "TagKey": "team", "TagValue": "a" }])
    );
    assert_eq!(tags["Truncated"], false);
    lab.ok(
        "UntagResource",
        json!({ "KeyId": key, "TagKeys": ["env", "absent"] }),
    );
    assert_eq!(
        lab.ok("ListResourceTags", json!({ "KeyId": key }))["Tags"],
        json!([{ "TagKey": "team", "TagValue": "a" }])
    );
    let many: Vec<Value> = (0..50)
        .map(|i| json!({ "TagKey": format!("k{i:02}"), "TagValue": "v" }))
        .collect();
    assert_eq!(
        lab.err("TagResource", json!({ "KeyId": key, "Tags": many }))
            .code,
        "LimitExceededException"
    );
    assert_eq!(
        lab.err(
            "TagResource",
            json!({ "KeyId": key, "Tags": [{ "TagKey": "", "TagValue": "v" }] })
        )
        .code,
        // Length limits are model constraints (issue #20).
        "ValidationException"
    );
    assert_eq!(
        lab.err(
            "TagResource",
            json!({ "KeyId": key, "Tags": [{ "TagKey": "k", "TagValue": "v".repeat(257) }] })
        )
        .code,
        "ValidationException"
    );
    let page = lab.ok("ListResourceTags", json!({ "KeyId": key, "Limit": 1 }));
    assert_eq!(page["Truncated"], false);
    assert_eq!(
        lab.err("ListResourceTags", json!({ "KeyId": key, "Limit": 51 }))
            .code,
        "ValidationException"
    );
}

#[test]
fn last_usage_tracks_cryptographic_use() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let out = lab.ok("GetKeyLastUsage", json!({ "KeyId": key }));
    assert!(out.get("KeyLastUsage").is_none());
    assert_eq!(
        out["TrackingStartDate"].as_f64(),
        Some(START as f64 / 1000.0)
    );
    lab.w.advance_clock(DAY);
    lab.encrypt(&key, b"x", Value::Null);
    let enc_event = lab.w.events().last().unwrap().clone();
    let out = lab.ok("GetKeyLastUsage", json!({ "KeyId": key }));
    assert_eq!(out["KeyLastUsage"]["Operation"], "Encrypt");
    assert_eq!(out["KeyLastUsage"]["CloudTrailEventId"], enc_event.event_id);
    assert_eq!(
        out["KeyLastUsage"]["Timestamp"].as_f64(),
        Some((START + DAY) as f64 / 1000.0)
    );
    assert_eq!(
        out["KeyLastUsage"]["KmsRequestId"],
        enc_event.record["requestID"]
    );
}

#[test]
fn key_views_for_user_interfaces_log_nothing() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/view", "TargetKeyId": key }),
    );
    lab.ok("EnableKeyRotation", json!({ "KeyId": key }));
    let doomed = lab.create_key();
    lab.ok("ScheduleKeyDeletion", json!({ "KeyId": doomed }));
    let before = lab.w.event_counters().total;
    let views = lab.w.kms().key_views("111122223333", "us-east-1");
    assert_eq!(lab.w.event_counters().total, before);
    let v = views.iter().find(|v| v.metadata.key_id == key).unwrap();
    assert_eq!(v.aliases, vec!["alias/view".to_owned()]);
    assert!(v.rotation_enabled);
    assert_eq!(v.next_rotation_ms, Some(START + 365 * DAY));
    assert_eq!(v.material_versions, 1);
    assert_eq!(lab.w.kms().billable_keys("111122223333", "us-east-1"), 1);
    assert!(
        lab.w
            .kms()
            .key_views("111122223333", "eu-west-1")
            .is_empty()
    );
}
