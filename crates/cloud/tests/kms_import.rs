//! KMS breadth: imported key material (symmetric lifecycle, import tokens) and known-answer
//! tests through imported keys (RFC 8032 Ed25519, RFC 6979 ECDSA P-256).

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn imported_symmetric_material_lifecycle() {
    let mut lab = Lab::new();
    let key = lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(lab.state(&key), "PendingImport");
    let material = [0x11u8; 32];
    let now_s = START / 1000;
    import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &material,
        json!({ "ValidTo": now_s + 2 * 86_400 }),
    )
    .unwrap();
    assert_eq!(lab.state(&key), "Enabled");
    let m = lab.ok("DescribeKey", json!({ "KeyId": key }));
    assert_eq!(m["KeyMetadata"]["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
    let blob = lab.encrypt(&key, b"imported", Value::Null);
    // No automatic rotation for imported material.
    assert_eq!(
        lab.err("EnableKeyRotation", json!({ "KeyId": key })).code,
        "UnsupportedOperationException"
    );
    // Different material is not the same key.
    let e = import(
        &mut lab,
        &key,
        "RSA_AES_KEY_WRAP_SHA_256",
        "RSA_3072",
        &[0x22; 32],
        json!({}),
    )
    .unwrap_err();
    assert_eq!(e.code, "IncorrectKeyMaterialException");
    // ValidTo beyond 365 days.
    let e = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_1",
        "RSA_2048",
        &material,
        json!({ "ValidTo": now_s + 366 * 86_400 }),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationException");
    // Expiry: KMS deletes the material at ValidTo.
    lab.w.advance_clock(3 * DAY);
    assert_eq!(lab.state(&key), "PendingImport");
    assert!(
        lab.w
            .events()
            .any(|e| e.event_name == "DeleteExpiredKeyMaterial")
    );
    assert_eq!(
        lab.decrypt(&blob, Value::Null).unwrap_err().code,
        "KMSInvalidStateException"
    );
    // Re-import the same material (wrapped differently): the old ciphertext decrypts again.
    import(
        &mut lab,
        &key,
        "RSA_AES_KEY_WRAP_SHA_1",
        "RSA_2048",
        &material,
        json!({ "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
    )
    .unwrap();
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), b"imported");
    // NEW_KEY_MATERIAL, then RotateKeyOnDemand makes it current.
    assert_eq!(
        lab.err("RotateKeyOnDemand", json!({ "KeyId": key })).code,
        "KMSInvalidStateException"
    );
    let r = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x33; 32],
        json!({ "ImportType": "NEW_KEY_MATERIAL" }),
    )
    .unwrap();
    let new_id = r["KeyMaterialId"].as_str().unwrap().to_owned();
    lab.ok("RotateKeyOnDemand", json!({ "KeyId": key }));
    let out = lab.ok("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"new") }));
    let back = lab.ok(
        "Decrypt",
        json!({ "CiphertextBlob": out["CiphertextBlob"] }),
    );
    assert_eq!(back["KeyMaterialId"], new_id.as_str());
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), b"imported");
    let rotations = lab.ok("ListKeyRotations", json!({ "KeyId": key }));
    assert_eq!(rotations["Rotations"].as_array().unwrap().len(), 1);
    // DeleteImportedKeyMaterial without a KeyMaterialId deletes the current material only; the
    // key is PendingImport until every one of its materials is back.
    let gone = lab.ok("DeleteImportedKeyMaterial", json!({ "KeyId": key }));
    assert_eq!(gone["KeyMaterialId"], new_id.as_str());
    assert_eq!(lab.state(&key), "PendingImport");
    import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &material,
        json!({}),
    )
    .unwrap();
    assert_eq!(lab.state(&key), "PendingImport");
    import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x33; 32],
        json!({ "KeyMaterialId": new_id }),
    )
    .unwrap();
    assert_eq!(lab.state(&key), "Enabled");
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), b"imported");
    // A named material: only that one goes, and only it needs re-importing.
    let old_id = lab.ok("Decrypt", json!({ "CiphertextBlob": blob }))["KeyMaterialId"]
        .as_str()
        .unwrap()
        .to_owned();
    lab.ok(
        "DeleteImportedKeyMaterial",
        json!({ "KeyId": key, "KeyMaterialId": old_id }),
    );
    assert_eq!(lab.state(&key), "PendingImport");
    let e = import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &[0x33; 32],
        json!({ "KeyMaterialId": old_id }),
    )
    .unwrap_err();
    assert_eq!(e.code, "IncorrectKeyMaterialException");
    import(
        &mut lab,
        &key,
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        &material,
        json!({ "KeyMaterialId": old_id }),
    )
    .unwrap();
    assert_eq!(lab.state(&key), "Enabled");
    assert_eq!(lab.decrypt(&blob, Value::Null).unwrap(), b"imported");
}

#[test]
fn import_tokens_are_checked() {
    let mut lab = Lab::new();
    let key = lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = lab.ok(
        "GetParametersForImport",
        json!({ "KeyId": key, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048" }),
    );
    assert_eq!(
        p["ParametersValidTo"].as_f64(),
        Some(((START + DAY) / 1000) as f64)
    );
    let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(3);
    let wrapped = cloud::client::wrap_key_material(
        &unb64(&p["PublicKey"]),
        "RSAES_OAEP_SHA_256",
        &[1; 32],
        &mut rng,
    )
    .unwrap();
    let e = lab.err(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": b64(b"forged"), "EncryptedKeyMaterial": b64(&wrapped), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
    );
    assert_eq!(e.code, "InvalidImportTokenException");
    let e = lab.err(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&[5; 256]), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
    );
    assert_eq!(e.code, "InvalidCiphertextException");
    lab.w.advance_clock(DAY + 1000);
    let e = lab.err(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped), "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
    );
    assert_eq!(e.code, "ExpiredImportTokenException");
    let sym = lab.create_key();
    let e = lab.err(
        "GetParametersForImport",
        json!({ "KeyId": sym, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048" }),
    );
    assert_eq!(e.code, "UnsupportedOperationException");
}

/// RFC 8032 section 7.1, TEST 2 (one-byte message 0x72), through an imported Ed25519 key.
#[test]
fn ed25519_known_answer_through_import() {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    let mut lab = Lab::new();
    let key = lab.ok("CreateKey", json!({ "KeySpec": "ECC_NIST_EDWARDS25519", "KeyUsage": "SIGN_VERIFY", "Origin": "EXTERNAL" }))
        ["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let secret: [u8; 32] = h("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
        .try_into()
        .unwrap();
    let der = ed25519_dalek::SigningKey::from_bytes(&secret)
        .to_pkcs8_der()
        .unwrap();
    import(
        &mut lab,
        &key,
        "RSA_AES_KEY_WRAP_SHA_256",
        "RSA_2048",
        der.as_bytes(),
        json!({}),
    )
    .unwrap();
    let sig = sign(&mut lab, &key, "ED25519_SHA_512", &[0x72], "RAW");
    assert_eq!(
        sig,
        h(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        )
    );
    let spki = public_key(&mut lab, &key);
    assert!(spki.ends_with(&h(
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
    )));
    // Asymmetric keys take exactly one material.
    let e = import(
        &mut lab,
        &key,
        "RSA_AES_KEY_WRAP_SHA_256",
        "RSA_2048",
        der.as_bytes(),
        json!({ "ImportType": "NEW_KEY_MATERIAL" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "UnsupportedOperationException");
}

/// RFC 6979 A.2.5: P-256, SHA-256, message "sample": KMS's deterministic ECDSA signature with
/// the imported RFC key is exactly the published (r, s).
#[test]
fn ecdsa_p256_known_answer_through_import() {
    use p256::pkcs8::EncodePrivateKey;
    let mut lab = Lab::new();
    let key = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY", "Origin": "EXTERNAL" }),
    )["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let sk = p256::SecretKey::from_slice(&h(
        "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
    ))
    .unwrap();
    let der = sk.to_pkcs8_der().unwrap();
    import(
        &mut lab,
        &key,
        "RSA_AES_KEY_WRAP_SHA_256",
        "RSA_2048",
        der.as_bytes(),
        json!({}),
    )
    .unwrap();
    let sig = sign(&mut lab, &key, "ECDSA_SHA_256", b"sample", "RAW");
    let sig = p256::ecdsa::Signature::from_der(&sig).unwrap();
    let rs = sig.to_bytes();
    assert_eq!(
        rs.as_slice(),
        h("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8").as_slice()
    );
    // The published public key.
    let spki = public_key(&mut lab, &key);
    assert!(spki.ends_with(&h("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")));
}
