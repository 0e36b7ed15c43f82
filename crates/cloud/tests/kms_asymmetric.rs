//! KMS breadth: asymmetric and HMAC keys, data key pairs and ECDH. Signatures and ciphertexts
//! are checked through independent crate paths (the DER SubjectPublicKeyInfo from GetPublicKey
//! parsed by `rsa`/`p256`/...).

mod common;
use common::*;
use serde_json::json;

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
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY" }),
    );
    assert_eq!(e.code, "UnsupportedOperationException");
    assert!(e.message.contains("SM2"), "{e}");
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
