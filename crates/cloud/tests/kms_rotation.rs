#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Rotation: automatic schedule, on-demand, disabled keys, pending deletion, AWS managed keys.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn old_ciphertext_decrypts_after_three_rotations_and_400_days() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let first = lab.encrypt(&key, b"v1", json!({ "doc": "1" }));
    let m0 = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]["CurrentKeyMaterialId"]
        .clone();
    lab.ok(
        "EnableKeyRotation",
        json!({ "KeyId": key, "RotationPeriodInDays": 90 }),
    );
    let status = lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }));
    assert_eq!(status["KeyRotationEnabled"], true);
    assert_eq!(status["RotationPeriodInDays"], 90);
    assert_eq!(
        status["NextRotationDate"].as_f64(),
        Some((START + 90 * DAY) as f64 / 1000.0)
    );
    lab.w.advance_clock(400 * DAY);
    // 90, 180, 270, 360 days: four automatic rotations.
    let rotations = lab.ok("ListKeyRotations", json!({ "KeyId": key }));
    let list = rotations["Rotations"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert!(list.iter().all(|r| r["RotationType"] == "AUTOMATIC"));
    assert_eq!(
        list[0]["RotationDate"].as_f64(),
        Some((START + 90 * DAY) as f64 / 1000.0)
    );
    assert_eq!(list[3]["KeyMaterialState"], "CURRENT");
    assert_eq!(list[0]["KeyMaterialState"], "NON_CURRENT");
    let all = lab.ok(
        "ListKeyRotations",
        json!({ "KeyId": key, "IncludeKeyMaterial": "ALL_KEY_MATERIAL" }),
    );
    assert_eq!(all["Rotations"].as_array().unwrap().len(), 5);
    assert_eq!(all["Rotations"][0]["KeyMaterialId"], m0);
    assert_eq!(lab.decrypt(&first, json!({ "doc": "1" })).unwrap(), b"v1");
    let out = lab.ok(
        "Decrypt",
        json!({ "CiphertextBlob": first, "EncryptionContext": { "doc": "1" } }),
    );
    assert_eq!(out["KeyMaterialId"], m0);
    // New encryptions use the newest material.
    let new = lab.ok("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"v2") }));
    let out = lab.ok(
        "Decrypt",
        json!({ "CiphertextBlob": new["CiphertextBlob"] }),
    );
    assert_eq!(out["KeyMaterialId"], list[3]["KeyMaterialId"]);
    // KMS logged its own RotateKey events at the due times.
    let times: Vec<i64> = lab
        .w
        .events()
        .filter(|e| e.event_name == "RotateKey")
        .map(|e| e.event_time_ms)
        .collect();
    assert_eq!(
        times,
        vec![
            START + 90 * DAY,
            START + 180 * DAY,
            START + 270 * DAY,
            START + 360 * DAY
        ]
    );
    let ev = lab
        .w
        .events()
        .find(|e| e.event_name == "RotateKey")
        .unwrap()
        .record
        .clone();
    assert_eq!(ev["eventType"], "AwsServiceEvent");
    assert_eq!(
        ev["resources"][0]["ARN"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{key}")
    );
}

#[test]
fn rotation_period_bounds() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let e = lab.err(
        "EnableKeyRotation",
        json!({ "KeyId": key, "RotationPeriodInDays": 89 }),
    );
    assert_eq!(
        e.message,
        "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90"
    );
    assert_eq!(
        lab.err(
            "EnableKeyRotation",
            json!({ "KeyId": key, "RotationPeriodInDays": 2561 })
        )
        .code,
        "ValidationException"
    );
    lab.ok(
        "EnableKeyRotation",
        json!({ "KeyId": key, "RotationPeriodInDays": 2560 }),
    );
    lab.ok("EnableKeyRotation", json!({ "KeyId": key }));
    assert_eq!(
        lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }))["RotationPeriodInDays"],
        365
    );
    let ev = lab
        .w
        .events()
        .filter(|e| e.event_name == "EnableKeyRotation")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(ev["requestParameters"]["rotationPeriodInDays"], 365);
    lab.ok("DisableKeyRotation", json!({ "KeyId": key }));
    let st = lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }));
    assert_eq!(st["KeyRotationEnabled"], false);
    assert!(st.get("NextRotationDate").is_none());
    lab.w.advance_clock(400 * DAY);
    assert_eq!(
        lab.ok("ListKeyRotations", json!({ "KeyId": key }))["Rotations"],
        json!([])
    );
    let ext = lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }))["KeyMetadata"]["KeyId"].clone();
    assert_eq!(
        lab.err("EnableKeyRotation", json!({ "KeyId": ext })).code,
        "UnsupportedOperationException"
    );
}

#[test]
fn disabled_keys_rotate_when_enabled_again() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "EnableKeyRotation",
        json!({ "KeyId": key, "RotationPeriodInDays": 90 }),
    );
    lab.w.advance_clock(30 * DAY);
    lab.ok("DisableKey", json!({ "KeyId": key }));
    lab.w.advance_clock(100 * DAY);
    assert_eq!(
        lab.ok("ListKeyRotations", json!({ "KeyId": key }))["Rotations"],
        json!([])
    );
    lab.ok("EnableKey", json!({ "KeyId": key }));
    let list = lab.ok("ListKeyRotations", json!({ "KeyId": key }))["Rotations"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        list[0]["RotationDate"].as_f64(),
        Some((START + 130 * DAY) as f64 / 1000.0)
    );
    // Next one is a full period later.
    let st = lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }));
    assert_eq!(
        st["NextRotationDate"].as_f64(),
        Some((START + 220 * DAY) as f64 / 1000.0)
    );
    // The rotation event follows the EnableKey event.
    let names: Vec<String> = lab.w.events().map(|e| e.event_name.clone()).collect();
    let i = names.iter().rposition(|n| n == "EnableKey").unwrap();
    assert_eq!(names[i + 1], "RotateKey");
}

#[test]
fn pending_deletion_hides_rotation_status_until_cancelled() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok("EnableKeyRotation", json!({ "KeyId": key }));
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    let st = lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }));
    assert_eq!(st["KeyRotationEnabled"], false);
    lab.ok("CancelKeyDeletion", json!({ "KeyId": key }));
    assert_eq!(
        lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }))["KeyRotationEnabled"],
        true
    );
}

#[test]
fn on_demand_rotation_limit_and_schedule() {
    let mut lab = Lab::new();
    // 26 rotations at one simulated instant (RotateKeyOnDemand's quota is 5 per second).
    lab.w.set_request_quotas(false);
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"keep", Value::Null);
    lab.ok("EnableKeyRotation", json!({ "KeyId": key }));
    let next = lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }))["NextRotationDate"].clone();
    for _ in 0..25 {
        let out = lab.ok("RotateKeyOnDemand", json!({ "KeyId": key }));
        assert_eq!(
            out["KeyId"],
            format!("arn:aws:kms:us-east-1:111122223333:key/{key}")
        );
    }
    let e = lab.err("RotateKeyOnDemand", json!({ "KeyId": key }));
    assert_eq!(e.code, "LimitExceededException");
    assert!(e.message.contains("25"), "{}", e.message);
    // On-demand rotation does not move the automatic schedule.
    assert_eq!(
        lab.ok("GetKeyRotationStatus", json!({ "KeyId": key }))["NextRotationDate"],
        next
    );
    let list = lab.ok("ListKeyRotations", json!({ "KeyId": key, "Limit": 10 }));
    assert_eq!(list["Rotations"].as_array().unwrap().len(), 10);
    assert_eq!(list["Truncated"], true);
    assert_eq!(list["Rotations"][0]["RotationType"], "ON_DEMAND");
    let rest = lab.ok(
        "ListKeyRotations",
        json!({ "KeyId": key, "Limit": 100, "Marker": list["NextMarker"] }),
    );
    assert_eq!(rest["Rotations"].as_array().unwrap().len(), 15);
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), b"keep");
    assert_eq!(
        lab.w
            .events()
            .filter(|e| e.event_name == "RotateKey")
            .count(),
        25
    );
}

#[test]
fn aws_managed_keys() {
    let mut lab = Lab::new();
    let id = lab
        .w
        .aws_managed_key("111122223333", "us-east-1", "s3")
        .unwrap();
    assert_eq!(
        lab.w
            .aws_managed_key("111122223333", "us-east-1", "aws/s3")
            .unwrap(),
        id
    );
    let md = lab.ok("DescribeKey", json!({ "KeyId": "alias/aws/s3" }))["KeyMetadata"].clone();
    assert_eq!(md["KeyId"], id);
    assert_eq!(md["KeyManager"], "AWS");
    assert_eq!(
        md["Description"],
        "Default key that protects my S3 objects when no other key is defined"
    );
    let st = lab.ok("GetKeyRotationStatus", json!({ "KeyId": id }));
    assert_eq!(st["KeyRotationEnabled"], true);
    assert_eq!(st["RotationPeriodInDays"], 365);
    // Describing a predefined alias creates the AWS managed key.
    let ebs = lab.ok("DescribeKey", json!({ "KeyId": "alias/aws/ebs" }))["KeyMetadata"].clone();
    assert_eq!(ebs["KeyManager"], "AWS");
    // They cannot be modified.
    for (op, input) in [
        ("DisableKey", json!({ "KeyId": id })),
        ("ScheduleKeyDeletion", json!({ "KeyId": id })),
        ("DisableKeyRotation", json!({ "KeyId": id })),
        (
            "EnableKeyRotation",
            json!({ "KeyId": id, "RotationPeriodInDays": 100 }),
        ),
        ("RotateKeyOnDemand", json!({ "KeyId": id })),
        (
            "PutKeyPolicy",
            json!({ "KeyId": id, "Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}" }),
        ),
        (
            "TagResource",
            json!({ "KeyId": id, "Tags": [{ "TagKey": "a", "TagValue": "b" }] }),
        ),
        (
            "Encrypt",
            json!({ "KeyId": id, "Plaintext": b64(b"direct use") }),
        ),
    ] {
        let e = lab.err(op, input);
        assert_eq!(e.code, "AccessDeniedException", "{op}");
        assert!(
            e.message.contains(&format!("kms:{op}")),
            "{op}: {}",
            e.message
        );
    }
    let e = lab.err(
        "CreateAlias",
        json!({ "AliasName": "alias/mine", "TargetKeyId": id }),
    );
    assert_eq!(e.code, "AccessDeniedException");
    // Through the service (kms:ViaService) they work.
    let via = lab.admin.via("s3");
    let out = lab
        .w
        .call(
            &via,
            "kms",
            "GenerateDataKey",
            json!({ "KeyId": "alias/aws/s3", "KeySpec": "AES_256" }),
        )
        .unwrap();
    assert_eq!(unb64(&out["Plaintext"]).len(), 32);
    let ev = lab.last_event();
    assert_eq!(ev["userIdentity"]["invokedBy"], "s3.amazonaws.com");
    // aws/ebs is used through the EC2 endpoint.
    let ec2 = lab.admin.via("ec2");
    let out = lab.w.call(
        &ec2,
        "kms",
        "GenerateDataKeyWithoutPlaintext",
        json!({ "KeyId": "alias/aws/ebs", "KeySpec": "AES_256" }),
    );
    assert!(out.is_ok(), "{out:?}");
    let ebs_via = lab.admin.via("ebs");
    let e = lab
        .w
        .call(
            &ebs_via,
            "kms",
            "GenerateDataKeyWithoutPlaintext",
            json!({ "KeyId": "alias/aws/ebs", "KeySpec": "AES_256" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    let policy: Value = serde_json::from_str(
        lab.ok("GetKeyPolicy", json!({ "KeyId": ebs["KeyId"] }))["Policy"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"],
        "ec2.us-east-1.amazonaws.com"
    );
    // Yearly rotation.
    lab.w.advance_clock(366 * DAY);
    let rot = lab.ok("ListKeyRotations", json!({ "KeyId": id }));
    assert_eq!(rot["Rotations"].as_array().unwrap().len(), 1);
    assert_eq!(rot["Rotations"][0]["RotationType"], "AUTOMATIC");
    assert!(
        lab.w
            .aws_managed_key("111122223333", "us-east-1", "nope")
            .is_err()
    );
}
