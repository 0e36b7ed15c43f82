//! KMS breadth: multi-Region keys, request quotas, cost, the authorization of the newer
//! operations, and RSA decrypt against key states.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn multi_region_keys_share_material_not_state() {
    let mut lab = Lab::new();
    let m = lab.ok(
        "CreateKey",
        json!({ "MultiRegion": true, "Description": "mrk" }),
    );
    let id = m["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("mrk-") && id.len() == 36, "{id}");
    assert_eq!(m["KeyMetadata"]["MultiRegion"], true);
    assert_eq!(
        m["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "PRIMARY"
    );
    let r = lab.ok(
        "ReplicateKey",
        json!({ "KeyId": id, "ReplicaRegion": "eu-west-1" }),
    );
    let replica_arn = r["ReplicaKeyMetadata"]["Arn"].as_str().unwrap().to_owned();
    assert_eq!(
        replica_arn,
        format!("arn:aws:kms:eu-west-1:111122223333:key/{id}")
    );
    // AWS answers while the replica is being created (issue #20).
    assert_eq!(r["ReplicaKeyMetadata"]["KeyState"], "Creating");
    assert_eq!(
        r["ReplicaKeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "REPLICA"
    );
    assert_eq!(
        lab.err(
            "ReplicateKey",
            json!({ "KeyId": id, "ReplicaRegion": "eu-west-1" })
        )
        .code,
        "AlreadyExistsException"
    );
    let blob = lab.encrypt(&id, b"everywhere", json!({ "k": "v" }));
    let mut eu = lab.admin.clone();
    eu.region = "eu-west-1".into();
    // The ciphertext names the mrk id; the related key in eu-west-1 decrypts it.
    let out = lab
        .w
        .call(
            &eu,
            "kms",
            "Decrypt",
            json!({ "CiphertextBlob": blob, "EncryptionContext": { "k": "v" } }),
        )
        .unwrap();
    assert_eq!(unb64(&out["Plaintext"]), b"everywhere");
    assert_eq!(out["KeyId"], replica_arn.as_str());
    // Independent state and aliases; shared rotation configured on the primary.
    lab.w
        .call(&eu, "kms", "DisableKey", json!({ "KeyId": id }))
        .unwrap();
    assert_eq!(lab.state(&id), "Enabled");
    lab.w
        .call(&eu, "kms", "EnableKey", json!({ "KeyId": id }))
        .unwrap();
    lab.w
        .call(
            &eu,
            "kms",
            "CreateAlias",
            json!({ "AliasName": "alias/eu-only", "TargetKeyId": id }),
        )
        .unwrap();
    assert_eq!(
        lab.err("DescribeKey", json!({ "KeyId": "alias/eu-only" }))
            .code,
        "NotFoundException"
    );
    let e = lab
        .w
        .call(&eu, "kms", "EnableKeyRotation", json!({ "KeyId": id }))
        .unwrap_err();
    assert_eq!(e.code, "UnsupportedOperationException");
    lab.ok("EnableKeyRotation", json!({ "KeyId": id }));
    let st = lab
        .w
        .call(&eu, "kms", "GetKeyRotationStatus", json!({ "KeyId": id }))
        .unwrap();
    assert_eq!(st["KeyRotationEnabled"], true);
    lab.ok("RotateKeyOnDemand", json!({ "KeyId": id }));
    let fresh = lab.encrypt(&id, b"after rotation", Value::Null);
    let out = lab
        .w
        .call(&eu, "kms", "Decrypt", json!({ "CiphertextBlob": fresh }))
        .unwrap();
    assert_eq!(unb64(&out["Plaintext"]), b"after rotation");
    // Single-Region keys cannot be replicated.
    let single = lab.create_key();
    assert_eq!(
        lab.err(
            "ReplicateKey",
            json!({ "KeyId": single, "ReplicaRegion": "eu-west-1" })
        )
        .code,
        "UnsupportedOperationException"
    );
    // UpdatePrimaryRegion.
    lab.ok(
        "UpdatePrimaryRegion",
        json!({ "KeyId": id, "PrimaryRegion": "eu-west-1" }),
    );
    let d = lab
        .w
        .call(&eu, "kms", "DescribeKey", json!({ "KeyId": id }))
        .unwrap();
    assert_eq!(
        d["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "PRIMARY"
    );
    lab.w
        .call(
            &eu,
            "kms",
            "UpdatePrimaryRegion",
            json!({ "KeyId": id, "PrimaryRegion": "us-east-1" }),
        )
        .unwrap();
    // Deleting the primary waits for the replica.
    let s = lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": id, "PendingWindowInDays": 7 }),
    );
    assert_eq!(s["KeyState"], "PendingReplicaDeletion");
    lab.w
        .call(
            &eu,
            "kms",
            "ScheduleKeyDeletion",
            json!({ "KeyId": id, "PendingWindowInDays": 7 }),
        )
        .unwrap();
    lab.w.advance_clock(8 * DAY);
    assert_eq!(lab.state(&id), "PendingDeletion");
    lab.w.advance_clock(8 * DAY);
    assert_eq!(
        lab.err("DescribeKey", json!({ "KeyId": id })).code,
        "NotFoundException"
    );
}

#[test]
fn throttling_at_the_quota_boundary() {
    let mut lab = Lab::new();
    // CreateKey: 5 per second.
    for _ in 0..5 {
        lab.create_key();
    }
    let e = lab.err("CreateKey", json!({}));
    assert_eq!(e.code, "ThrottlingException");
    assert!(e.message.starts_with("Rate exceeded"), "{e}");
    lab.w.advance_clock(1000);
    lab.create_key();
    // The shared symmetric quota of a 10,000/s Region, driven by `load`.
    let mut sa = lab.admin.clone();
    sa.region = "sa-east-1".into();
    let key = lab.w.call(&sa, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    lab.w.advance_clock(1000);
    let r = lab.w.load(&sa, "Encrypt", &key, 10_001, 1000).unwrap();
    assert_eq!((r.requests, r.succeeded, r.throttled), (10_001, 10_000, 1));
    assert_eq!(
        r.quota,
        Some((
            "Cryptographic operations (symmetric) request rate".into(),
            10_000
        ))
    );
    let r = lab.w.load(&sa, "Encrypt", &key, 10_000, 2000).unwrap();
    assert_eq!((r.succeeded, r.throttled), (20_000, 0));
    // us-east-1: 100,000/s; RSA: 1,000/s.
    let key = lab.create_key();
    let r = lab
        .w
        .load(&lab.admin.clone(), "GenerateDataKey", &key, 20_000, 10_000)
        .unwrap();
    assert_eq!((r.requests, r.throttled), (200_000, 0));
    assert!(r.sample_event_ids.len() <= 6);
    let rsa_key = create(&mut lab, "RSA_2048", "SIGN_VERIFY");
    lab.w.advance_clock(1000);
    let r = lab
        .w
        .load(&lab.admin.clone(), "Sign", &rsa_key, 1500, 1000)
        .unwrap();
    assert_eq!((r.succeeded, r.throttled), (1000, 500));
    assert!(
        lab.w
            .events()
            .any(|e| e.error_code.as_deref() == Some("ThrottlingException"))
    );
}

#[test]
fn cost_of_a_simple_month() {
    // 2026-12-01T00:00:00Z.
    let dec1 = START + 8 * DAY + 4 * 3_600_000;
    let mut w = cloud::World::new(7, dec1);
    let admin = w.context_for_profile(None, None).unwrap();
    let key = w.call(&admin, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let doomed = w.call(&admin, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    w.call(
        &admin,
        "kms",
        "ScheduleKeyDeletion",
        json!({ "KeyId": doomed, "PendingWindowInDays": 30 }),
    )
    .unwrap();
    w.advance_clock(30 * DAY);
    // 30,000 symmetric requests: 20,000 free, 10,000 billed at $0.03.
    let r = w.load(&admin, "Encrypt", &key, 1000, 29_996).unwrap();
    assert_eq!(r.succeeded, 29_996);
    let c = w.cost(&admin.account);
    assert_eq!(c.month, "2026-12");
    // One key for 720 hours + 30 s (PendingDeletion is free): 720/730 key-months.
    assert!((c.key_months - 720.0 / 730.0).abs() < 1e-4, "{c:?}");
    let standard = c.requests.iter().find(|l| l.class == "standard").unwrap();
    // 29,996 load requests + 3 CreateKey/ScheduleKeyDeletion + 1 load set-up DescribeKey.
    assert_eq!(standard.requests, 30_000);
    assert_eq!(standard.billed_requests, 10_000);
    assert!((c.request_usd - 0.03).abs() < 1e-9, "{c:?}");
    assert!((c.total_usd - (720.0 / 730.0 + 0.03)).abs() < 1e-4);
    // A rotation adds a key-month per month (prorated); RSA GenerateDataKeyPair is $12/10k.
    w.call(&admin, "kms", "RotateKeyOnDemand", json!({ "KeyId": key }))
        .unwrap();
    w.call(
        &admin,
        "kms",
        "GenerateDataKeyPair",
        json!({ "KeyId": key, "KeyPairSpec": "RSA_2048" }),
    )
    .unwrap();
    w.advance_clock(DAY / 2);
    let c = w.cost(&admin.account);
    assert!(
        (c.key_months - (720.0 + 2.0 * 12.0) / 730.0).abs() < 1e-3,
        "{c:?}"
    );
    let pair = c
        .requests
        .iter()
        .find(|l| l.class == "RSA GenerateDataKeyPair")
        .unwrap();
    assert_eq!(pair.requests, 1);
    assert!((pair.usd - 0.0012).abs() < 1e-9);
}

/// The new operations go through the authorization seam with their condition keys.
#[test]
fn new_operations_are_authorized_with_their_condition_keys() {
    let mut lab = Lab::new();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Sid": "PSS only",
                "Effect": "Deny",
                "Principal": { "AWS": "*" },
                "Action": "kms:Sign",
                "Resource": "*",
                "Condition": { "StringEquals": { "kms:SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256" } }
            },
            {
                "Sid": "No SHA-1 OAEP",
                "Effect": "Deny",
                "Principal": { "AWS": "*" },
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": { "StringEquals": { "kms:EncryptionAlgorithm": "RSAES_OAEP_SHA_1" } }
            }
        ]
    })
    .to_string();
    let key = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "Policy": policy }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    sign(&mut lab, &key, "RSASSA_PSS_SHA_256", b"m", "RAW");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(b"m"), "SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256" }),
    );
    assert_eq!(e.code, "AccessDeniedException", "{e}");
    let enc = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT", "Policy": policy }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let ct = lab.ok(
        "Encrypt",
        json!({ "KeyId": enc, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1" }),
    )["CiphertextBlob"]
        .clone();
    let e = lab.err(
        "Decrypt",
        json!({ "KeyId": enc, "CiphertextBlob": ct, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1" }),
    );
    assert_eq!(e.code, "AccessDeniedException", "{e}");
    // Cross-account: the partner cannot ReplicateKey or import into prod's keys.
    let partner = lab
        .w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap();
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    let e = lab.w.call(&partner, "kms", "GetParametersForImport", json!({ "KeyId": arn, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048" })).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException", "{e}");
}

#[test]
fn rsa_decrypt_with_a_deleted_or_pending_key_names_the_key_state() {
    let mut lab = Lab::new();
    let key = create(&mut lab, "RSA_2048", "ENCRYPT_DECRYPT");
    let alg = "RSAES_OAEP_SHA_256";
    let ct = lab.ok(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"old"), "EncryptionAlgorithm": alg }),
    )["CiphertextBlob"]
        .clone();
    let decrypt = json!({ "KeyId": key, "CiphertextBlob": ct, "EncryptionAlgorithm": alg });
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    assert_eq!(
        lab.err("Decrypt", decrypt.clone()).code,
        "KMSInvalidStateException"
    );
    lab.w.advance_clock(8 * 86_400_000);
    let e = lab.err("Decrypt", decrypt.clone());
    assert_eq!(e.code, "NotFoundException", "{}", e.message);
    // An unknown algorithm is still a validation error first.
    let mut bad = decrypt;
    bad["EncryptionAlgorithm"] = json!("RSA_PLEASE");
    assert_eq!(lab.err("Decrypt", bad).code, "ValidationException");
}

/// A cancelled deletion is billed as though it was never scheduled (AWS KMS pricing); a key
/// that is deleted is not billed for its waiting period.
#[test]
fn a_cancelled_deletion_is_billed_as_if_never_scheduled() {
    // 2026-12-01T00:00:00Z.
    let dec1 = START + 8 * DAY + 4 * 3_600_000;
    let bill = |cancel: bool, schedule: bool| {
        let mut w = cloud::World::new(7, dec1);
        let admin = w.context_for_profile(None, None).unwrap();
        let key = w.call(&admin, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["KeyId"]
            .as_str()
            .unwrap()
            .to_owned();
        if schedule {
            w.call(
                &admin,
                "kms",
                "ScheduleKeyDeletion",
                json!({ "KeyId": key, "PendingWindowInDays": 7 }),
            )
            .unwrap();
        }
        w.advance_clock(5 * DAY);
        if cancel {
            w.call(&admin, "kms", "CancelKeyDeletion", json!({ "KeyId": key }))
                .unwrap();
        }
        w.advance_clock(5 * DAY);
        w.cost("111122223333").key_months
    };
    let never = bill(false, false);
    let cancelled = bill(true, true);
    let deleted = bill(false, true);
    assert!((cancelled - never).abs() < 1e-9, "{cancelled} vs {never}");
    assert!(
        deleted < 1e-9,
        "a deleted key's waiting period is not billed: {deleted}"
    );
}
