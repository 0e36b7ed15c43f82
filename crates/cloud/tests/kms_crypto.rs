#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Encrypt, Decrypt, ReEncrypt, GenerateDataKey*, GenerateRandom: round trips, tampering,
//! encryption context binding, validation and DryRun.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn every_flipped_byte_is_invalid_ciphertext() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"attack at dawn", json!({ "purpose": "test" }));
    let bytes = unb64(&json!(blob));
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut t = bytes.clone();
            t[i] ^= bit;
            let e = lab
                .decrypt(&b64(&t), json!({ "purpose": "test" }))
                .unwrap_err();
            assert_eq!(
                e.code, "InvalidCiphertextException",
                "byte {i} bit {bit:#x}: {e}"
            );
        }
    }
    // Truncation and garbage too.
    for bad in [
        &bytes[..10],
        &bytes[..bytes.len() - 1],
        b"not a kms blob at all, not at all.....................................",
    ] {
        assert_eq!(
            lab.decrypt(&b64(bad), json!({ "purpose": "test" }))
                .unwrap_err()
                .code,
            "InvalidCiphertextException"
        );
    }
    assert_eq!(
        lab.decrypt(&blob, json!({ "purpose": "test" })).unwrap(),
        b"attack at dawn"
    );
}

#[test]
fn encryption_context_is_bound_exactly_and_unambiguously() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"x", json!({ "ab": "c" }));
    assert_eq!(
        lab.decrypt(&blob, json!({ "a": "bc" })).unwrap_err().code,
        "InvalidCiphertextException"
    );
    assert_eq!(
        lab.decrypt(&blob, json!({ "AB": "c" })).unwrap_err().code,
        "InvalidCiphertextException"
    );
    assert_eq!(
        lab.decrypt(&blob, json!({ "ab": "c", "x": "y" }))
            .unwrap_err()
            .code,
        "InvalidCiphertextException"
    );
    assert_eq!(lab.decrypt(&blob, json!({ "ab": "c" })).unwrap(), b"x");
    // Order of pairs does not matter.
    let blob = lab.encrypt(&key, b"y", json!({ "k1": "v1", "k2": "v2" }));
    assert_eq!(
        lab.decrypt(&blob, json!({ "k2": "v2", "k1": "v1" }))
            .unwrap(),
        b"y"
    );
}

#[test]
fn decrypt_with_the_wrong_key_id_is_incorrect_key() {
    let mut lab = Lab::new();
    let k1 = lab.create_key();
    let k2 = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/one", "TargetKeyId": k1 }),
    );
    let blob = lab.encrypt("alias/one", b"data", Value::Null);
    let e = lab.err("Decrypt", json!({ "CiphertextBlob": blob, "KeyId": k2 }));
    assert_eq!(e.code, "IncorrectKeyException");
    assert_eq!(
        e.message,
        "The key ID in the request does not identify a KMS key that can perform this operation."
    );
    let out = lab.ok(
        "Decrypt",
        json!({ "CiphertextBlob": blob, "KeyId": "alias/one" }),
    );
    assert_eq!(
        out["KeyId"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{k1}")
    );
    assert_eq!(out["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
    assert_eq!(out["KeyMaterialId"].as_str().unwrap().len(), 64);
}

#[test]
fn plaintext_and_ciphertext_bounds() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let max = vec![7u8; 4096];
    let blob = lab.encrypt(&key, &max, Value::Null);
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), max);
    let e = lab.err(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(&[0u8; 4097]) }),
    );
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"
    );
    let e = lab.err("Encrypt", json!({ "KeyId": key, "Plaintext": "" }));
    assert_eq!(e.code, "ValidationException");
    let e = lab.err("Encrypt", json!({ "KeyId": key }));
    assert_eq!(
        e.message,
        "1 validation error detected: Value null at 'plaintext' failed to satisfy constraint: Member must not be null"
    );
    let e = lab.err(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": "!!not base64!!" }),
    );
    assert_eq!(e.code, "SerializationException");
    let e = lab.err(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x"), "Bogus": 1 }),
    );
    assert_eq!(e.code, "SerializationException");
    assert!(e.message.contains("Bogus"), "{}", e.message);
    let e = lab.err("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256" }));
    assert_eq!(e.code, "InvalidKeyUsageException");
    let e = lab.err(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "ROT13" }),
    );
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn generate_data_key_rules() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let out = lab.ok(
        "GenerateDataKey",
        json!({ "KeyId": key, "KeySpec": "AES_256", "EncryptionContext": { "a": "b" } }),
    );
    let pt = unb64(&out["Plaintext"]);
    assert_eq!(pt.len(), 32);
    let blob = out["CiphertextBlob"].as_str().unwrap();
    assert_eq!(lab.decrypt(blob, json!({ "a": "b" })).unwrap(), pt);
    let out = lab.ok(
        "GenerateDataKey",
        json!({ "KeyId": key, "KeySpec": "AES_128" }),
    );
    assert_eq!(unb64(&out["Plaintext"]).len(), 16);
    for n in [1, 1024] {
        let out = lab.ok(
            "GenerateDataKey",
            json!({ "KeyId": key, "NumberOfBytes": n }),
        );
        assert_eq!(unb64(&out["Plaintext"]).len(), n);
    }
    let both = lab.err(
        "GenerateDataKey",
        json!({ "KeyId": key, "NumberOfBytes": 32, "KeySpec": "AES_256" }),
    );
    assert_eq!(
        (both.code.as_str(), both.message.as_str()),
        (
            "ValidationException",
            "Please specify either number of bytes or key spec."
        )
    );
    let neither = lab.err("GenerateDataKey", json!({ "KeyId": key }));
    assert_eq!(
        neither.message,
        "Please specify either number of bytes or key spec."
    );
    let e = lab.err(
        "GenerateDataKey",
        json!({ "KeyId": key, "NumberOfBytes": 1025 }),
    );
    assert_eq!(
        e.message,
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"
    );
    assert_eq!(
        lab.err(
            "GenerateDataKey",
            json!({ "KeyId": key, "NumberOfBytes": 0 })
        )
        .code,
        "ValidationException"
    );
    assert_eq!(
        lab.err(
            "GenerateDataKey",
            json!({ "KeyId": key, "KeySpec": "AES_512" })
        )
        .code,
        "ValidationException"
    );

    let out = lab.ok(
        "GenerateDataKeyWithoutPlaintext",
        json!({ "KeyId": key, "KeySpec": "AES_256" }),
    );
    assert!(out.get("Plaintext").is_none());
    let blob = out["CiphertextBlob"].as_str().unwrap();
    assert_eq!(lab.decrypt(blob, Value::Null).unwrap().len(), 32);

    // CloudTrail never holds the data key.
    for ev in lab.w.events() {
        let text = ev.record.to_string();
        assert!(!text.contains(out["CiphertextBlob"].as_str().unwrap()));
        assert!(ev.record["responseElements"].is_null() || ev.event_name == "CreateKey");
    }
}

#[test]
fn generate_random_bounds() {
    let mut lab = Lab::new();
    let out = lab.ok("GenerateRandom", json!({ "NumberOfBytes": 1024 }));
    assert_eq!(unb64(&out["Plaintext"]).len(), 1024);
    let e = lab.err("GenerateRandom", json!({ "NumberOfBytes": 1025 }));
    assert_eq!(e.code, "ValidationException");
    let e = lab.err("GenerateRandom", json!({ "NumberOfBytes": 0 }));
    assert_eq!(
        e.message,
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    assert_eq!(
        lab.err("GenerateRandom", json!({})).code,
        "ValidationException"
    );
    assert_eq!(
        lab.err(
            "GenerateRandom",
            json!({ "NumberOfBytes": 8, "CustomKeyStoreId": "cks-1" })
        )
        .code,
        "UnsupportedOperationException"
    );
}

#[test]
fn re_encrypt_moves_between_keys_and_contexts() {
    let mut lab = Lab::new();
    let k1 = lab.create_key();
    let k2 = lab.create_key();
    let blob = lab.encrypt(&k1, b"payload", json!({ "v": "1" }));
    let out = lab.ok(
        "ReEncrypt",
        json!({ "CiphertextBlob": blob, "SourceEncryptionContext": { "v": "1" }, "DestinationKeyId": k2, "DestinationEncryptionContext": { "v": "2" } }),
    );
    assert_eq!(
        out["SourceKeyId"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{k1}")
    );
    assert_eq!(
        out["KeyId"],
        format!("arn:aws:kms:us-east-1:111122223333:key/{k2}")
    );
    let nb = out["CiphertextBlob"].as_str().unwrap();
    assert_eq!(lab.decrypt(nb, json!({ "v": "2" })).unwrap(), b"payload");
    let e = lab.err(
        "ReEncrypt",
        json!({ "CiphertextBlob": blob, "DestinationKeyId": k2 }),
    );
    assert_eq!(e.code, "InvalidCiphertextException");
    let e = lab.err("ReEncrypt", json!({ "CiphertextBlob": blob, "SourceEncryptionContext": { "v": "1" }, "SourceKeyId": k2, "DestinationKeyId": k2 }));
    assert_eq!(e.code, "IncorrectKeyException");
    // Event names both keys.
    let ev = lab
        .w
        .events()
        .find(|e| e.event_name == "ReEncrypt")
        .unwrap()
        .resources
        .clone();
    assert_eq!(ev.len(), 2);
}

#[test]
fn dry_run_checks_everything_and_changes_nothing() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let dry = |e: cloud::AwsError| {
        assert_eq!(e.code, "DryRunOperationException");
        assert_eq!(
            e.message,
            "The request would have succeeded, but the DryRun option is set."
        );
        assert_eq!(e.status, 412);
    };
    dry(lab.err(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x"), "DryRun": true }),
    ));
    let blob = lab.encrypt(&key, b"x", Value::Null);
    dry(lab.err("Decrypt", json!({ "CiphertextBlob": blob, "DryRun": true })));
    dry(lab.err(
        "GenerateDataKey",
        json!({ "KeyId": key, "KeySpec": "AES_256", "DryRun": true }),
    ));
    dry(lab.err(
        "GenerateDataKeyWithoutPlaintext",
        json!({ "KeyId": key, "KeySpec": "AES_256", "DryRun": true }),
    ));
    dry(lab.err(
        "ReEncrypt",
        json!({ "CiphertextBlob": blob, "DestinationKeyId": key, "DryRun": true }),
    ));
    let grantee = "arn:aws:iam::111122223333:role/AppRole";
    dry(lab.err("CreateGrant", json!({ "KeyId": key, "GranteePrincipal": grantee, "Operations": ["Decrypt"], "DryRun": true })));
    assert_eq!(
        lab.ok("ListGrants", json!({ "KeyId": key }))["Grants"],
        json!([])
    );
    // A DryRun that would fail reports the real failure.
    lab.ok("DisableKey", json!({ "KeyId": key }));
    assert_eq!(
        lab.err(
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(b"x"), "DryRun": true })
        )
        .code,
        "DisabledException"
    );
    assert_eq!(
        lab.err("Decrypt", json!({ "CiphertextBlob": blob, "DryRun": true }))
            .code,
        "DisabledException"
    );
}

#[test]
fn keys_are_regional() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"x", Value::Null);
    let west = lab.w.context_for_profile(None, Some("us-west-2")).unwrap();
    let e = lab
        .w
        .call(&west, "kms", "DescribeKey", json!({ "KeyId": key }))
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        e.message,
        format!("Key 'arn:aws:kms:us-west-2:111122223333:key/{key}' does not exist")
    );
    let e = lab
        .w
        .call(&west, "kms", "Decrypt", json!({ "CiphertextBlob": blob }))
        .unwrap_err();
    assert_eq!(e.code, "InvalidCiphertextException");
    // KMS endpoints are Regional: even the key ARN names nothing in another Region.
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    let e = lab
        .w
        .call(&west, "kms", "DescribeKey", json!({ "KeyId": arn }))
        .unwrap_err();
    assert_eq!(e.message, format!("Key '{arn}' does not exist"));
}
