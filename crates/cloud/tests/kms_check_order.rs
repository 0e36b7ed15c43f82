#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! KMS: AWS's check order and rules (issue #20, item 2), each checked against the KMS API
//! reference and the botocore model.

mod common;
use common::*;
use serde_json::{Value, json};

fn external_key(lab: &mut Lab) -> String {
    lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The key state is checked before the key spec: rotating a disabled RSA key is
/// DisabledException, not UnsupportedOperationException.
#[test]
fn key_state_is_checked_before_key_spec() {
    let mut lab = Lab::new();
    let rsa = create(&mut lab, "RSA_2048", "ENCRYPT_DECRYPT");
    // Enabled: the spec is what is wrong.
    assert_eq!(
        lab.err("EnableKeyRotation", json!({ "KeyId": rsa })).code,
        "UnsupportedOperationException"
    );
    lab.ok("DisableKey", json!({ "KeyId": rsa }));
    for op in [
        "EnableKeyRotation",
        "DisableKeyRotation",
        "RotateKeyOnDemand",
    ] {
        assert_eq!(
            lab.err(op, json!({ "KeyId": rsa })).code,
            "DisabledException",
            "{op}"
        );
    }
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": rsa, "PendingWindowInDays": 7 }),
    );
    for op in ["EnableKeyRotation", "RotateKeyOnDemand"] {
        assert_eq!(
            lab.err(op, json!({ "KeyId": rsa })).code,
            "KMSInvalidStateException",
            "{op}"
        );
    }
}

/// Decrypt naming an HMAC key (symmetric, but not the key of the ciphertext) answers
/// IncorrectKeyException; so does ReEncrypt's SourceKeyId.
#[test]
fn decrypt_naming_an_hmac_key_is_incorrect_key() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let hmac = create(&mut lab, "HMAC_256", "GENERATE_VERIFY_MAC");
    let blob = lab.encrypt(&key, b"secret", Value::Null);
    let e = lab.err("Decrypt", json!({ "CiphertextBlob": blob, "KeyId": hmac }));
    assert_eq!(e.code, "IncorrectKeyException");
    let e = lab.err(
        "ReEncrypt",
        json!({ "CiphertextBlob": blob, "SourceKeyId": hmac, "DestinationKeyId": key }),
    );
    assert_eq!(e.code, "IncorrectKeyException");
    // A signing key is asymmetric: its key usage is what is wrong.
    let signing = create(&mut lab, "ECC_NIST_P256", "SIGN_VERIFY");
    let e = lab.err(
        "Decrypt",
        json!({ "CiphertextBlob": blob, "KeyId": signing }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
}

/// The reserved `aws:` prefix is refused in any letter case, on CreateKey and TagResource.
#[test]
fn reserved_tag_prefix_is_case_insensitive() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    for k in ["aws:x", "AWS:x", "Aws:x", "aWs:x"] {
        let tags = json!([{ "TagKey": k, "TagValue": "v" }]);
        assert_eq!(
            lab.err("CreateKey", json!({ "Tags": tags })).code,
            "TagException",
            "{k}"
        );
        assert_eq!(
            lab.err("TagResource", json!({ "KeyId": key, "Tags": tags }))
                .code,
            "TagException",
            "{k}"
        );
    }
    // Only the prefix is reserved.
    lab.ok(
        "TagResource",
        json!({ "KeyId": key, "Tags": [{ "TagKey": "awsx:y", "TagValue": "v" }] }),
    );
}

/// Tag lengths are the model's constraints: ValidationException in AWS's format.
#[test]
fn tag_length_violations_are_validation_errors() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let long_key = "k".repeat(129);
    let e = lab.err(
        "TagResource",
        json!({ "KeyId": key, "Tags": [{ "TagKey": long_key, "TagValue": "v" }] }),
    );
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        format!(
            "1 validation error detected: Value '{long_key}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128"
        )
    );
    let long_value = "v".repeat(257);
    let e = lab.err(
        "CreateKey",
        json!({ "Tags": [{ "TagKey": "a", "TagValue": "1" }, { "TagKey": "b", "TagValue": long_value }] }),
    );
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        format!(
            "1 validation error detected: Value '{long_value}' at 'tags.2.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256"
        )
    );
    let e = lab.err(
        "TagResource",
        json!({ "KeyId": key, "Tags": [{ "TagKey": "", "TagValue": "v" }, { "TagKey": long_key, "TagValue": "v" }] }),
    );
    assert_eq!(
        e.message,
        format!(
            "2 validation errors detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '{long_key}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128"
        )
    );
    let e = lab.err(
        "UntagResource",
        json!({ "KeyId": key, "TagKeys": ["ok", long_key] }),
    );
    assert_eq!(
        e.message,
        format!(
            "1 validation error detected: Value '{long_key}' at 'tagKeys.2.member' failed to satisfy constraint: Member must have length less than or equal to 128"
        )
    );
    // Validation comes before the key lookup.
    let e = lab.err(
        "TagResource",
        json!({ "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Tags": [{ "TagKey": long_key, "TagValue": "v" }] }),
    );
    assert_eq!(e.code, "ValidationException");
    // Values up to 256 and keys up to 128 characters are fine.
    lab.ok(
        "TagResource",
        json!({ "KeyId": key, "Tags": [{ "TagKey": "k".repeat(128), "TagValue": "v".repeat(256) }] }),
    );
}

/// ImportKeyMaterial's default ExpirationModel is KEY_MATERIAL_EXPIRES, which requires ValidTo.
#[test]
fn import_defaults_to_expiring_material() {
    let mut lab = Lab::new();
    let key = external_key(&mut lab);
    let e = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x11; 32],
        json!({ "ExpirationModel": "KEY_MATERIAL_EXPIRES" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationException");
    let expected = "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES";
    assert_eq!(e.message, expected);
    // Neither given: the default model, the same error.
    let p = lab.ok(
        "GetParametersForImport",
        json!({ "KeyId": key, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048" }),
    );
    let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(1);
    let wrapped = cloud::client::wrap_key_material(
        &unb64(&p["PublicKey"]),
        "RSAES_OAEP_SHA_256",
        &[0x11; 32],
        &mut rng,
    )
    .unwrap();
    let e = lab.err(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped) }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ValidationException", expected)
    );
    // With ValidTo, the default model applies.
    lab.ok(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped),
                "ValidTo": START / 1000 + 86_400 }),
    );
    let m = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
    assert_eq!(m["KeyState"], "Enabled");
}

/// The first import may say NEW_KEY_MATERIAL (its default); afterwards only one
/// NEW_KEY_MATERIAL import may wait for RotateKeyOnDemand at a time.
#[test]
fn one_new_key_material_import_pending_at_a_time() {
    let mut lab = Lab::new();
    let key = external_key(&mut lab);
    let first = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x11; 32],
        json!({ "ImportType": "NEW_KEY_MATERIAL" }),
    )
    .unwrap();
    assert_eq!(lab.state(&key), "Enabled");
    let m = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(m["CurrentKeyMaterialId"], first["KeyMaterialId"]);
    import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x22; 32],
        json!({ "ImportType": "NEW_KEY_MATERIAL" }),
    )
    .unwrap();
    let e = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x33; 32],
        json!({ "ImportType": "NEW_KEY_MATERIAL" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "KMSInvalidStateException");
    // After the rotation, new material can be imported again.
    lab.ok("RotateKeyOnDemand", json!({ "KeyId": key }));
    import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x33; 32],
        json!({ "ImportType": "NEW_KEY_MATERIAL" }),
    )
    .unwrap();
    // ImportType is only for symmetric keys, whatever its value.
    let hmac = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC", "Origin": "EXTERNAL" }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = import(
        &mut lab,
        &hmac,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x44; 32],
        json!({ "ImportType": "EXISTING_KEY_MATERIAL" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "UnsupportedOperationException");
}

/// No ExpirationModel before material is imported; CurrentKeyMaterialId is kept after the
/// material is deleted (and the ExpirationModel with it).
#[test]
fn fields_are_absent_until_they_exist() {
    let mut lab = Lab::new();
    let key = external_key(&mut lab);
    let m = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(m["KeyState"], "PendingImport");
    assert!(m.get("ExpirationModel").is_none(), "{m}");
    assert!(m.get("ValidTo").is_none(), "{m}");
    assert!(m.get("CurrentKeyMaterialId").is_none(), "{m}");
    let r = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x11; 32],
        json!({}),
    )
    .unwrap();
    let id = r["KeyMaterialId"].as_str().unwrap().to_owned();
    let m = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_DOES_NOT_EXPIRE");
    assert_eq!(m["CurrentKeyMaterialId"], id.as_str());
    lab.ok("DeleteImportedKeyMaterial", json!({ "KeyId": key }));
    let m = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"].clone();
    assert_eq!(m["KeyState"], "PendingImport");
    assert_eq!(m["CurrentKeyMaterialId"], id.as_str());
    assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_DOES_NOT_EXPIRE");
    // A key with KMS-generated material has no ExpirationModel at all.
    let own = lab.create_key();
    let m = lab.ok("DescribeKey", json!({ "KeyId": own }))["KeyMetadata"].clone();
    assert!(m.get("ExpirationModel").is_none(), "{m}");
}

/// ReplicateKey answers KeyState Creating with an empty Description; the replica is Enabled
/// (PendingImport for imported material) by the next call.
#[test]
fn replicate_key_answers_creating() {
    let mut lab = Lab::new();
    let id = lab.ok(
        "CreateKey",
        json!({ "MultiRegion": true, "Description": "primary" }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = lab.ok(
        "ReplicateKey",
        json!({ "KeyId": id, "ReplicaRegion": "eu-west-1", "Description": "replica" }),
    );
    let m = &r["ReplicaKeyMetadata"];
    assert_eq!(m["KeyState"], "Creating");
    assert_eq!(m["Enabled"], false);
    assert_eq!(m["Description"], "");
    let mut eu = lab.admin.clone();
    eu.region = "eu-west-1".into();
    let d = lab
        .w
        .call(&eu, "kms", "DescribeKey", json!({ "KeyId": id }))
        .unwrap();
    assert_eq!(d["KeyMetadata"]["KeyState"], "Enabled");
    assert_eq!(d["KeyMetadata"]["Enabled"], true);
    assert_eq!(d["KeyMetadata"]["Description"], "replica");
    // The clock alone also completes the creation.
    let ext = lab.ok(
        "CreateKey",
        json!({ "MultiRegion": true, "Origin": "EXTERNAL" }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = lab.ok(
        "ReplicateKey",
        json!({ "KeyId": ext, "ReplicaRegion": "eu-west-1" }),
    );
    assert_eq!(r["ReplicaKeyMetadata"]["KeyState"], "Creating");
    let state = |lab: &Lab| {
        lab.w
            .kms()
            .key_views("111122223333", "eu-west-1")
            .into_iter()
            .find(|v| v.metadata.key_id == ext)
            .map(|v| v.metadata.key_state)
            .unwrap()
    };
    assert_eq!(state(&lab), "Creating");
    lab.w.advance_clock(1_000);
    assert_eq!(state(&lab), "PendingImport");
}
