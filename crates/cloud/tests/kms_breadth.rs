#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 4, "KMS breadth": asymmetric and HMAC keys, imported key material, multi-Region keys,
//! request quotas, load and cost. Signatures and ciphertexts are checked through independent
//! crate paths (the DER SubjectPublicKeyInfo from GetPublicKey parsed by `rsa`/`p256`/...).

mod common;
use common::*;
use serde_json::{Value, json};

fn create(lab: &mut Lab, spec: &str, usage: &str) -> String {
    lab.ok("CreateKey", json!({ "KeySpec": spec, "KeyUsage": usage }))["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn public_key(lab: &mut Lab, key: &str) -> Vec<u8> {
    unb64(&lab.ok("GetPublicKey", json!({ "KeyId": key }))["PublicKey"])
}

fn sign(lab: &mut Lab, key: &str, alg: &str, msg: &[u8], mt: &str) -> Vec<u8> {
    let out = lab.ok(
        "Sign",
        json!({ "KeyId": key, "Message": b64(msg), "SigningAlgorithm": alg, "MessageType": mt }),
    );
    unb64(&out["Signature"])
}

fn verify(
    lab: &mut Lab,
    key: &str,
    alg: &str,
    msg: &[u8],
    sig: &[u8],
) -> Result<Value, cloud::AwsError> {
    lab.kms(
        "Verify",
        json!({ "KeyId": key, "Message": b64(msg), "SigningAlgorithm": alg, "Signature": b64(sig) }),
    )
}

fn h(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn create_key_validation_follows_aws() {
    let mut lab = Lab::new();
    lab.w.set_request_quotas(false);
    let e = lab.err("CreateKey", json!({ "KeySpec": "RSA_2048" }));
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
    );
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "HMAC_256", "KeyUsage": "ENCRYPT_DECRYPT" }),
    );
    assert_eq!(e.code, "ValidationException");
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "ECC_SECG_P256K1", "KeyUsage": "KEY_AGREEMENT" }),
    );
    assert_eq!(e.code, "ValidationException");
    for (spec, usage, word) in [
        ("ML_DSA_65", "SIGN_VERIFY", "ML-DSA"),
        ("ML_KEM_768", "KEY_ENCAPSULATION", "ML-KEM"),
        ("SM2", "SIGN_VERIFY", "SM2"),
    ] {
        let e = lab.err("CreateKey", json!({ "KeySpec": spec, "KeyUsage": usage }));
        assert_eq!(e.code, "UnsupportedOperationException", "{spec}");
        assert!(e.message.contains(word), "{e}");
    }
    let e = lab.err("CreateKey", json!({ "Origin": "EXTERNAL_KEY_STORE" }));
    assert_eq!(e.code, "UnsupportedOperationException");
    assert!(e.message.contains("XKS"), "{e}");
    // Metadata of an asymmetric key.
    let m = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "ECC_NIST_P384", "KeyUsage": "SIGN_VERIFY" }),
    );
    assert_eq!(m["KeyMetadata"]["KeySpec"], "ECC_NIST_P384");
    assert_eq!(
        m["KeyMetadata"]["SigningAlgorithms"],
        json!(["ECDSA_SHA_384"])
    );
    assert!(m["KeyMetadata"].get("EncryptionAlgorithms").is_none());
}

#[test]
fn rsa_signatures_verify_with_the_rsa_crate() {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    let mut lab = Lab::new();
    let key = create(&mut lab, "RSA_2048", "SIGN_VERIFY");
    let spki = public_key(&mut lab, &key);
    let pk = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
    let msg = b"KMS Lab signs this";
    for alg in [
        "RSASSA_PSS_SHA_256",
        "RSASSA_PSS_SHA_384",
        "RSASSA_PSS_SHA_512",
        "RSASSA_PKCS1_V1_5_SHA_256",
        "RSASSA_PKCS1_V1_5_SHA_384",
        "RSASSA_PKCS1_V1_5_SHA_512",
    ] {
        let sig = sign(&mut lab, &key, alg, msg, "RAW");
        assert_eq!(sig.len(), 256);
        verify(&mut lab, &key, alg, msg, &sig).unwrap();
        let ok = match alg {
            "RSASSA_PSS_SHA_256" => rsa::pss::VerifyingKey::<sha2::Sha256>::new(pk.clone())
                .verify(msg, &rsa::pss::Signature::try_from(sig.as_slice()).unwrap())
                .is_ok(),
            "RSASSA_PSS_SHA_384" => rsa::pss::VerifyingKey::<sha2::Sha384>::new(pk.clone())
                .verify(msg, &rsa::pss::Signature::try_from(sig.as_slice()).unwrap())
                .is_ok(),
            "RSASSA_PSS_SHA_512" => rsa::pss::VerifyingKey::<sha2::Sha512>::new(pk.clone())
                .verify(msg, &rsa::pss::Signature::try_from(sig.as_slice()).unwrap())
                .is_ok(),
            "RSASSA_PKCS1_V1_5_SHA_256" => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(pk.clone())
                    .verify(
                        msg,
                        &rsa::pkcs1v15::Signature::try_from(sig.as_slice()).unwrap(),
                    )
                    .is_ok()
            }
            "RSASSA_PKCS1_V1_5_SHA_384" => {
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(pk.clone())
                    .verify(
                        msg,
                        &rsa::pkcs1v15::Signature::try_from(sig.as_slice()).unwrap(),
                    )
                    .is_ok()
            }
            _ => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(pk.clone())
                .verify(
                    msg,
                    &rsa::pkcs1v15::Signature::try_from(sig.as_slice()).unwrap(),
                )
                .is_ok(),
        };
        assert!(ok, "{alg}");
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert_eq!(
            verify(&mut lab, &key, alg, msg, &bad).unwrap_err().code,
            "KMSInvalidSignatureException"
        );
    }
    // DIGEST: the digest is signed as given (not hashed again), so it verifies as RAW.
    use sha2::Digest;
    let digest = sha2::Sha256::digest(msg);
    let sig = sign(
        &mut lab,
        &key,
        "RSASSA_PKCS1_V1_5_SHA_256",
        &digest,
        "DIGEST",
    );
    verify(&mut lab, &key, "RSASSA_PKCS1_V1_5_SHA_256", msg, &sig).unwrap();
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(&digest[..31]), "SigningAlgorithm": "RSASSA_PSS_SHA_256", "MessageType": "DIGEST" }),
    );
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        "Digest is invalid length for algorithm RSASSA_PSS_SHA_256."
    );
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(&[0; 4097]), "SigningAlgorithm": "RSASSA_PSS_SHA_256" }),
    );
    assert_eq!(e.code, "ValidationException");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(msg), "SigningAlgorithm": "ECDSA_SHA_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
    // Encrypt with a SIGN_VERIFY key.
    let e = lab.err("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256" }));
    assert_eq!(e.code, "InvalidKeyUsageException");
}

#[test]
fn ecc_signatures_verify_with_the_curve_crates() {
    use p256::ecdsa::signature::Verifier;
    use p256::pkcs8::DecodePublicKey;
    let mut lab = Lab::new();
    let msg = b"elliptic";
    let cases = [
        ("ECC_NIST_P256", "ECDSA_SHA_256"),
        ("ECC_NIST_P384", "ECDSA_SHA_384"),
        ("ECC_NIST_P521", "ECDSA_SHA_512"),
        ("ECC_SECG_P256K1", "ECDSA_SHA_256"),
        ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512"),
    ];
    for (spec, alg) in cases {
        // CreateKey's quota is 5 per second.
        lab.w.advance_clock(1000);
        let key = create(&mut lab, spec, "SIGN_VERIFY");
        let spki = public_key(&mut lab, &key);
        let sig = sign(&mut lab, &key, alg, msg, "RAW");
        verify(&mut lab, &key, alg, msg, &sig).unwrap();
        let ok = match spec {
            "ECC_NIST_P256" => p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
                .unwrap()
                .verify(msg, &p256::ecdsa::Signature::from_der(&sig).unwrap())
                .is_ok(),
            "ECC_NIST_P384" => p384::ecdsa::VerifyingKey::from_public_key_der(&spki)
                .unwrap()
                .verify(msg, &p384::ecdsa::Signature::from_der(&sig).unwrap())
                .is_ok(),
            "ECC_NIST_P521" => {
                let pk = p521::PublicKey::from_public_key_der(&spki).unwrap();
                p521::ecdsa::VerifyingKey::from_affine(*pk.as_affine())
                    .unwrap()
                    .verify(msg, &p521::ecdsa::Signature::from_der(&sig).unwrap())
                    .is_ok()
            }
            "ECC_SECG_P256K1" => k256::ecdsa::VerifyingKey::from_public_key_der(&spki)
                .unwrap()
                .verify(msg, &k256::ecdsa::Signature::from_der(&sig).unwrap())
                .is_ok(),
            _ => ed25519_dalek::VerifyingKey::from_public_key_der(&spki)
                .unwrap()
                .verify(msg, &ed25519_dalek::Signature::from_slice(&sig).unwrap())
                .is_ok(),
        };
        assert!(ok, "{spec}");
        let e = verify(&mut lab, &key, alg, b"other message", &sig).unwrap_err();
        assert_eq!(e.code, "KMSInvalidSignatureException", "{spec}");
    }
    // Ed25519 takes RAW messages only.
    let key = create(&mut lab, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(&[0; 64]), "SigningAlgorithm": "ED25519_SHA_512", "MessageType": "DIGEST" }),
    );
    assert_eq!(e.code, "ValidationException");
    // Symmetric keys have no public key.
    let sym = lab.create_key();
    let e = lab.err("GetPublicKey", json!({ "KeyId": sym }));
    assert_eq!(e.code, "UnsupportedOperationException");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": sym, "Message": b64(b"x"), "SigningAlgorithm": "ECDSA_SHA_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
}

#[test]
fn rsa_oaep_limits_and_independent_encryption() {
    use rsa::pkcs8::DecodePublicKey;
    let mut lab = Lab::new();
    let key = create(&mut lab, "RSA_2048", "ENCRYPT_DECRYPT");
    for (alg, max) in [("RSAES_OAEP_SHA_256", 190usize), ("RSAES_OAEP_SHA_1", 214)] {
        let out = lab.ok(
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(&vec![7; max]), "EncryptionAlgorithm": alg }),
        );
        assert_eq!(out["EncryptionAlgorithm"], alg);
        let back = lab.ok(
            "Decrypt",
            json!({ "KeyId": key, "CiphertextBlob": out["CiphertextBlob"], "EncryptionAlgorithm": alg }),
        );
        assert_eq!(unb64(&back["Plaintext"]), vec![7; max]);
        let e = lab.err(
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(&vec![7; max + 1]), "EncryptionAlgorithm": alg }),
        );
        assert_eq!(e.code, "ValidationException", "{alg}");
    }
    // Algorithm required; no encryption context.
    let e = lab.err("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"x") }));
    assert_eq!(e.code, "InvalidKeyUsageException");
    let e = lab.err(
        "Encrypt",
        json!({ "KeyId": key, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256", "EncryptionContext": { "a": "b" } }),
    );
    assert_eq!(e.code, "ValidationException");
    // Encrypted outside KMS with the public key, decrypted by KMS.
    let spki = public_key(&mut lab, &key);
    let pk = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(1);
    let ct = pk
        .encrypt(&mut rng, rsa::Oaep::new::<sha2::Sha256>(), b"outside")
        .unwrap();
    let back = lab.ok(
        "Decrypt",
        json!({ "KeyId": key, "CiphertextBlob": b64(&ct), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256" }),
    );
    assert_eq!(unb64(&back["Plaintext"]), b"outside");
    let e = lab.err(
        "Decrypt",
        json!({ "KeyId": key, "CiphertextBlob": b64(&ct), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1" }),
    );
    assert_eq!(e.code, "InvalidCiphertextException");
    // Client helper (lab local rsa-encrypt) round trip.
    let ct =
        cloud::client::rsa_oaep_encrypt(&spki, "RSAES_OAEP_SHA_1", b"helper", &mut rng).unwrap();
    let back = lab.ok(
        "Decrypt",
        json!({ "KeyId": key, "CiphertextBlob": b64(&ct), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1" }),
    );
    assert_eq!(unb64(&back["Plaintext"]), b"helper");
}

#[test]
fn hmac_keys_generate_and_verify() {
    let mut lab = Lab::new();
    for (spec, alg, len) in [
        ("HMAC_224", "HMAC_SHA_224", 28),
        ("HMAC_256", "HMAC_SHA_256", 32),
        ("HMAC_384", "HMAC_SHA_384", 48),
        ("HMAC_512", "HMAC_SHA_512", 64),
    ] {
        let key = create(&mut lab, spec, "GENERATE_VERIFY_MAC");
        let out = lab.ok(
            "GenerateMac",
            json!({ "KeyId": key, "Message": b64(b"m"), "MacAlgorithm": alg }),
        );
        let mac = unb64(&out["Mac"]);
        assert_eq!(mac.len(), len);
        let v = lab.ok(
            "VerifyMac",
            json!({ "KeyId": key, "Message": b64(b"m"), "MacAlgorithm": alg, "Mac": b64(&mac) }),
        );
        assert_eq!(v["MacValid"], true);
        let e = lab.err(
            "VerifyMac",
            json!({ "KeyId": key, "Message": b64(b"n"), "MacAlgorithm": alg, "Mac": b64(&mac) }),
        );
        assert_eq!(e.code, "KMSInvalidMacException");
        let other = if alg == "HMAC_SHA_256" {
            "HMAC_SHA_512"
        } else {
            "HMAC_SHA_256"
        };
        let e = lab.err(
            "GenerateMac",
            json!({ "KeyId": key, "Message": b64(b"m"), "MacAlgorithm": other }),
        );
        assert_eq!(e.code, "InvalidKeyUsageException");
        let e = lab.err("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"m") }));
        assert_eq!(e.code, "InvalidKeyUsageException");
    }
    let hmac = create(&mut lab, "HMAC_256", "GENERATE_VERIFY_MAC");
    let e = lab.err("EnableKeyRotation", json!({ "KeyId": hmac }));
    assert_eq!(e.code, "UnsupportedOperationException");
}

#[test]
fn data_key_pairs_and_ecdh() {
    use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
    let mut lab = Lab::new();
    let sym = lab.create_key();
    for spec in [
        "ECC_NIST_P256",
        "RSA_2048",
        "ECC_NIST_EDWARDS25519",
        "ECC_SECG_P256K1",
    ] {
        let out = lab.ok(
            "GenerateDataKeyPair",
            json!({ "KeyId": sym, "KeyPairSpec": spec, "EncryptionContext": { "use": "pair" } }),
        );
        let private = unb64(&out["PrivateKeyPlaintext"]);
        let back = lab
            .decrypt(
                out["PrivateKeyCiphertextBlob"].as_str().unwrap(),
                json!({ "use": "pair" }),
            )
            .unwrap();
        assert_eq!(back, private, "{spec}");
        if spec == "ECC_NIST_P256" {
            let sk = p256::SecretKey::from_pkcs8_der(&private).unwrap();
            let public = sk.public_key().to_public_key_der().unwrap();
            assert_eq!(public.as_bytes(), unb64(&out["PublicKey"]).as_slice());
        }
        if spec == "RSA_2048" {
            use rsa::pkcs8::DecodePrivateKey as _;
            rsa::RsaPrivateKey::from_pkcs8_der(&private).unwrap();
        }
        let out = lab.ok(
            "GenerateDataKeyPairWithoutPlaintext",
            json!({ "KeyId": sym, "KeyPairSpec": spec }),
        );
        assert!(out.get("PrivateKeyPlaintext").is_none());
        assert!(out.get("PrivateKeyCiphertextBlob").is_some());
    }
    let rsa_key = create(&mut lab, "RSA_2048", "ENCRYPT_DECRYPT");
    let e = lab.err(
        "GenerateDataKeyPair",
        json!({ "KeyId": rsa_key, "KeyPairSpec": "ECC_NIST_P256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
    let e = lab.err(
        "GenerateDataKey",
        json!({ "KeyId": rsa_key, "KeySpec": "AES_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");

    // ECDH: KMS and the peer derive the same secret.
    let key = create(&mut lab, "ECC_NIST_P256", "KEY_AGREEMENT");
    let kms_public = p256::PublicKey::from_public_key_der(&public_key(&mut lab, &key)).unwrap();
    let peer = p256::SecretKey::from_slice(&[0x42; 32]).unwrap();
    let out = lab.ok(
        "DeriveSharedSecret",
        json!({ "KeyId": key, "KeyAgreementAlgorithm": "ECDH", "PublicKey": b64(peer.public_key().to_public_key_der().unwrap().as_bytes()) }),
    );
    let local = p256::ecdh::diffie_hellman(peer.to_nonzero_scalar(), kms_public.as_affine());
    assert_eq!(
        unb64(&out["SharedSecret"]),
        local.raw_secret_bytes().to_vec()
    );
    assert_eq!(out["KeyOrigin"], "AWS_KMS");
    // A P-384 peer key does not fit a P-256 key.
    let p384_peer = p384::SecretKey::from_slice(&[0x42; 48]).unwrap();
    let e = lab.err(
        "DeriveSharedSecret",
        json!({ "KeyId": key, "KeyAgreementAlgorithm": "ECDH", "PublicKey": b64(p384_peer.public_key().to_public_key_der().unwrap().as_bytes()) }),
    );
    assert_eq!(e.code, "ValidationException");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(b"x"), "SigningAlgorithm": "ECDSA_SHA_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
}

/// Imports `material` into an EXTERNAL key; returns the ImportKeyMaterial result.
fn import(
    lab: &mut Lab,
    key: &str,
    alg: &str,
    wrap_spec: &str,
    material: &[u8],
    extra: Value,
) -> Result<Value, cloud::AwsError> {
    let p = lab.ok(
        "GetParametersForImport",
        json!({ "KeyId": key, "WrappingAlgorithm": alg, "WrappingKeySpec": wrap_spec }),
    );
    let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(9);
    let wrapped =
        cloud::client::wrap_key_material(&unb64(&p["PublicKey"]), alg, material, &mut rng).unwrap();
    let mut input = json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped) });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            input[k] = v;
        }
    }
    lab.kms("ImportKeyMaterial", input)
}

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
        json!({ "KeyId": key, "ImportToken": b64(b"forged"), "EncryptedKeyMaterial": b64(&wrapped) }),
    );
    assert_eq!(e.code, "InvalidImportTokenException");
    let e = lab.err(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&[5; 256]) }),
    );
    assert_eq!(e.code, "InvalidCiphertextException");
    lab.w.advance_clock(DAY + 1000);
    let e = lab.err(
        "ImportKeyMaterial",
        json!({ "KeyId": key, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped) }),
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
    assert_eq!(r["ReplicaKeyMetadata"]["KeyState"], "Enabled");
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
