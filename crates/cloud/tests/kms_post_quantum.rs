//! Post-quantum keys (ML-DSA signing, ML-KEM encapsulation) and Ed25519ph. Signatures, public
//! keys and shared secrets are checked through the `ml-dsa`, `ml-kem` and `ed25519-dalek` crates
//! directly, from the DER SubjectPublicKeyInfo that GetPublicKey returns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use cloud::World;
use common::*;
use serde_json::json;

/// Spec, signature bytes, DER SubjectPublicKeyInfo bytes (AWS answers an ML_DSA_44 key's
/// GetPublicKey with 1334 bytes and signs with 2420-byte signatures).
const DSA: [(&str, usize, usize); 3] = [
    ("ML_DSA_44", 2420, 1334),
    ("ML_DSA_65", 3309, 1974),
    ("ML_DSA_87", 4627, 2614),
];
const KEM: [(&str, usize); 3] = [
    ("ML_KEM_512", 768),
    ("ML_KEM_768", 1088),
    ("ML_KEM_1024", 1568),
];

/// Verifies an ML-DSA signature (pure, empty context) with the `ml-dsa` crate.
fn dsa_verifies(spec: &str, spki: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use ml_dsa::pkcs8::DecodePublicKey;
    fn check<P: ml_dsa::MlDsaParams>(spki: &[u8], msg: &[u8], sig: &[u8]) -> bool
    where
        ml_dsa::VerifyingKey<P>: DecodePublicKey,
    {
        let key = ml_dsa::VerifyingKey::<P>::from_public_key_der(spki).unwrap();
        let sig = ml_dsa::Signature::<P>::try_from(sig).unwrap();
        key.verify_with_context(msg, &[], &sig)
    }
    match spec {
        "ML_DSA_44" => check::<ml_dsa::MlDsa44>(spki, msg, sig),
        "ML_DSA_65" => check::<ml_dsa::MlDsa65>(spki, msg, sig),
        _ => check::<ml_dsa::MlDsa87>(spki, msg, sig),
    }
}

/// The external μ of `msg` (FIPS 204 section 6.2, empty context) for an ML-DSA-65 public key.
fn mu_65(spki: &[u8], msg: &[u8]) -> Vec<u8> {
    use ml_dsa::pkcs8::DecodePublicKey;
    use ml_dsa::signature::digest::Update;
    let key = ml_dsa::VerifyingKey::<ml_dsa::MlDsa65>::from_public_key_der(spki).unwrap();
    key.compute_mu(
        |h| {
            h.update(msg);
            Ok(())
        },
        &[],
    )
    .unwrap()
    .to_vec()
}

#[test]
fn ml_dsa_keys_sign_and_verify_like_aws() {
    let mut lab = Lab::new();
    let msg = b"KMS Lab signs this with ML-DSA";
    for (spec, sig_len, spki_len) in DSA {
        let m = lab.ok(
            "CreateKey",
            json!({ "KeySpec": spec, "KeyUsage": "SIGN_VERIFY" }),
        );
        let meta = &m["KeyMetadata"];
        assert_eq!(meta["KeySpec"], spec);
        assert_eq!(meta["KeyUsage"], "SIGN_VERIFY");
        assert_eq!(meta["SigningAlgorithms"], json!(["ML_DSA_SHAKE_256"]));
        assert!(meta.get("EncryptionAlgorithms").is_none());
        let key = meta["KeyId"].as_str().unwrap().to_owned();
        let sig = sign(&mut lab, &key, "ML_DSA_SHAKE_256", msg, "RAW");
        assert_eq!(sig.len(), sig_len, "{spec}");
        let out = verify(&mut lab, &key, "ML_DSA_SHAKE_256", msg, &sig).unwrap();
        assert_eq!(out["SignatureValid"], true);
        // A changed message fails with AWS's empty-message error.
        let e = verify(&mut lab, &key, "ML_DSA_SHAKE_256", b"another message", &sig).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("KMSInvalidSignatureException", "")
        );
        // GetPublicKey's SPKI verifies with the crate directly.
        let pk = lab.ok("GetPublicKey", json!({ "KeyId": key }));
        assert_eq!(pk["KeySpec"], spec);
        assert_eq!(pk["SigningAlgorithms"], json!(["ML_DSA_SHAKE_256"]));
        let spki = unb64(&pk["PublicKey"]);
        assert_eq!(spki.len(), spki_len, "{spec}");
        assert!(dsa_verifies(spec, &spki, msg, &sig), "{spec}");
        assert!(!dsa_verifies(spec, &spki, b"x", &sig), "{spec}");
    }
}

#[test]
fn ml_dsa_refuses_digest_wrong_algorithms_and_long_messages() {
    let mut lab = Lab::new();
    let key = create(&mut lab, "ML_DSA_44", "SIGN_VERIFY");
    // AWS: `Message type DIGEST is incompatible with key spec ML_DSA_44.`
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(&[1; 64]), "SigningAlgorithm": "ML_DSA_SHAKE_256", "MessageType": "DIGEST" }),
    );
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        "Message type DIGEST is incompatible with key spec ML_DSA_44."
    );
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
    // RAW messages up to 4096 bytes.
    sign(&mut lab, &key, "ML_DSA_SHAKE_256", &[7; 4096], "RAW");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(&[7; 4097]), "SigningAlgorithm": "ML_DSA_SHAKE_256" }),
    );
    assert_eq!(e.code, "ValidationException");
    // ML_DSA_SHAKE_256 on an ECC key, EXTERNAL_MU on a non-ML-DSA key.
    let ec = create(&mut lab, "ECC_NIST_P256", "SIGN_VERIFY");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": ec, "Message": b64(b"m"), "SigningAlgorithm": "ML_DSA_SHAKE_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": ec, "Message": b64(&[0; 64]), "SigningAlgorithm": "ECDSA_SHA_256", "MessageType": "EXTERNAL_MU" }),
    );
    assert_eq!(e.code, "ValidationException");
    // ML-DSA keys are SIGN_VERIFY only.
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "ML_DSA_65", "KeyUsage": "ENCRYPT_DECRYPT" }),
    );
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn ml_dsa_external_mu_signs_what_raw_signs() {
    let mut lab = Lab::new();
    let key = create(&mut lab, "ML_DSA_65", "SIGN_VERIFY");
    let spki = public_key(&mut lab, &key);
    let msg = vec![42u8; 10_000]; // larger than RAW's 4096 bytes
    let mu = mu_65(&spki, &msg);
    let sig = sign(&mut lab, &key, "ML_DSA_SHAKE_256", &mu, "EXTERNAL_MU");
    // The μ signature is a signature of the message itself.
    assert!(dsa_verifies("ML_DSA_65", &spki, &msg, &sig));
    let ok = lab.ok(
        "Verify",
        json!({ "KeyId": key, "Message": b64(&mu), "MessageType": "EXTERNAL_MU",
                "SigningAlgorithm": "ML_DSA_SHAKE_256", "Signature": b64(&sig) }),
    );
    assert_eq!(ok["SignatureValid"], true);
    // A RAW signature verifies through EXTERNAL_MU too.
    let short = b"short message";
    let raw = sign(&mut lab, &key, "ML_DSA_SHAKE_256", short, "RAW");
    lab.ok(
        "Verify",
        json!({ "KeyId": key, "Message": b64(&mu_65(&spki, short)), "MessageType": "EXTERNAL_MU",
                "SigningAlgorithm": "ML_DSA_SHAKE_256", "Signature": b64(&raw) }),
    );
    // μ is 64 bytes.
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(&[0; 32]), "MessageType": "EXTERNAL_MU",
                "SigningAlgorithm": "ML_DSA_SHAKE_256" }),
    );
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn ml_kem_keys_encapsulate_and_decapsulate() {
    use ml_kem::pkcs8::DecodePublicKey;
    let mut lab = Lab::new();
    for (spec, ct_len) in KEM {
        let m = lab.ok(
            "CreateKey",
            json!({ "KeySpec": spec, "KeyUsage": "ENCAPSULATE_DECAPSULATE" }),
        );
        let meta = &m["KeyMetadata"];
        assert_eq!(meta["KeyUsage"], "ENCAPSULATE_DECAPSULATE");
        assert_eq!(meta["EncapsulationAlgorithms"], json!(["ML_KEM"]));
        assert!(meta.get("SigningAlgorithms").is_none());
        let key = meta["KeyId"].as_str().unwrap().to_owned();
        let enc = lab.ok(
            "Encapsulate",
            json!({ "KeyId": key, "EncapsulationAlgorithm": "ML_KEM" }),
        );
        assert_eq!(enc["EncapsulationAlgorithm"], "ML_KEM");
        let secret = unb64(&enc["SharedSecret"]);
        let ct = unb64(&enc["SharedSecretCiphertextBlob"]);
        assert_eq!((secret.len(), ct.len()), (32, ct_len), "{spec}");
        let dec = lab.ok(
            "Decapsulate",
            json!({ "KeyId": key, "EncapsulationAlgorithm": "ML_KEM",
                    "SharedSecretCiphertextBlob": b64(&ct) }),
        );
        assert_eq!(unb64(&dec["SharedSecret"]), secret, "{spec}");
        // Implicit rejection: a changed ciphertext gives another 32-byte secret, no error.
        let mut bad = ct.clone();
        bad[5] ^= 1;
        let dec = lab.ok(
            "Decapsulate",
            json!({ "KeyId": key, "EncapsulationAlgorithm": "ML_KEM",
                    "SharedSecretCiphertextBlob": b64(&bad) }),
        );
        let other = unb64(&dec["SharedSecret"]);
        assert_eq!(other.len(), 32);
        assert_ne!(other, secret);
        // The wrong length is InvalidCiphertextException.
        let e = lab.err(
            "Decapsulate",
            json!({ "KeyId": key, "EncapsulationAlgorithm": "ML_KEM",
                    "SharedSecretCiphertextBlob": b64(&ct[1..]) }),
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("InvalidCiphertextException", "")
        );
        let pk = lab.ok("GetPublicKey", json!({ "KeyId": key }));
        assert_eq!(pk["EncapsulationAlgorithms"], json!(["ML_KEM"]));
        assert_eq!(pk["KeyUsage"], "ENCAPSULATE_DECAPSULATE");
        // Encapsulating outside KMS with the public key: KMS decapsulates the same secret.
        let spki = unb64(&pk["PublicKey"]);
        let m = [9u8; 32];
        let (ct2, k2) = match spec {
            "ML_KEM_512" => {
                let ek = ml_kem::EncapsulationKey512::from_public_key_der(&spki).unwrap();
                let (c, k) = ek.encapsulate_deterministic(&m.into());
                (c.to_vec(), k.to_vec())
            }
            "ML_KEM_768" => {
                let ek = ml_kem::EncapsulationKey768::from_public_key_der(&spki).unwrap();
                let (c, k) = ek.encapsulate_deterministic(&m.into());
                (c.to_vec(), k.to_vec())
            }
            _ => {
                let ek = ml_kem::EncapsulationKey1024::from_public_key_der(&spki).unwrap();
                let (c, k) = ek.encapsulate_deterministic(&m.into());
                (c.to_vec(), k.to_vec())
            }
        };
        let dec = lab.ok(
            "Decapsulate",
            json!({ "KeyId": key, "EncapsulationAlgorithm": "ML_KEM",
                    "SharedSecretCiphertextBlob": b64(&ct2) }),
        );
        assert_eq!(unb64(&dec["SharedSecret"]), k2, "{spec}");
    }
}

#[test]
fn ml_kem_data_key_pairs() {
    use ml_kem::pkcs8::{DecodePrivateKey, EncodePublicKey};
    let mut lab = Lab::new();
    let key = lab.create_key();
    let out = lab.ok(
        "GenerateDataKeyPair",
        json!({ "KeyId": key, "KeyPairSpec": "ML_KEM_768" }),
    );
    assert_eq!(out["KeyPairSpec"], "ML_KEM_768");
    let private = unb64(&out["PrivateKeyPlaintext"]);
    let dk = ml_kem::DecapsulationKey768::from_pkcs8_der(&private).unwrap();
    let spki = dk.encapsulation_key().to_public_key_der().unwrap();
    assert_eq!(unb64(&out["PublicKey"]), spki.as_bytes());
    // The encrypted private key decrypts to the same PKCS#8 document.
    let back = lab.ok(
        "Decrypt",
        json!({ "CiphertextBlob": out["PrivateKeyCiphertextBlob"] }),
    );
    assert_eq!(unb64(&back["Plaintext"]), private);
}

#[test]
fn ml_kem_usage_and_algorithm_rules() {
    let mut lab = Lab::new();
    let e = lab.err(
        "CreateKey",
        json!({ "KeySpec": "ML_KEM_768", "KeyUsage": "ENCRYPT_DECRYPT" }),
    );
    assert_eq!(e.code, "ValidationException");
    let key = create(&mut lab, "ML_KEM_768", "ENCAPSULATE_DECAPSULATE");
    let e = lab.err(
        "Encapsulate",
        json!({ "KeyId": key, "EncapsulationAlgorithm": "RSA" }),
    );
    assert_eq!(e.code, "ValidationException");
    // Encapsulate with a signing key: wrong key usage.
    let sk = create(&mut lab, "ML_DSA_44", "SIGN_VERIFY");
    let e = lab.err(
        "Encapsulate",
        json!({ "KeyId": sk, "EncapsulationAlgorithm": "ML_KEM" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
    let e = lab.err(
        "Sign",
        json!({ "KeyId": key, "Message": b64(b"m"), "SigningAlgorithm": "ML_DSA_SHAKE_256" }),
    );
    assert_eq!(e.code, "InvalidKeyUsageException");
    // Grants name the key usage's operations.
    let role = "arn:aws:iam::111122223333:role/AppRole";
    let g = lab.ok(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": role,
                "Operations": ["Decapsulate", "Encapsulate", "GetPublicKey"] }),
    );
    assert!(g["GrantId"].is_string());
    let e = lab.err(
        "CreateGrant",
        json!({ "KeyId": key, "GranteePrincipal": role, "Operations": ["Encapsulate", "Encrypt"] }),
    );
    assert_eq!(e.code, "ValidationException");
    assert_eq!(
        e.message,
        "Grant operations Encrypt are not valid for a KMS key with KeySpec ML_KEM_768"
    );
    // A disabled key is refused.
    lab.ok("DisableKey", json!({ "KeyId": key }));
    let e = lab.err(
        "Encapsulate",
        json!({ "KeyId": key, "EncapsulationAlgorithm": "ML_KEM" }),
    );
    assert_eq!(e.code, "DisabledException");
}

#[test]
fn ed25519ph_signs_a_sha512_digest() {
    use ed25519_dalek::pkcs8::DecodePublicKey;
    use sha2::{Digest, Sha512};
    let mut lab = Lab::new();
    let m = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "ECC_NIST_EDWARDS25519", "KeyUsage": "SIGN_VERIFY" }),
    );
    assert_eq!(
        m["KeyMetadata"]["SigningAlgorithms"],
        json!(["ED25519_SHA_512", "ED25519_PH_SHA_512"])
    );
    let key = m["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let digest = Sha512::digest(b"a large document").to_vec();
    let sig = sign(&mut lab, &key, "ED25519_PH_SHA_512", &digest, "DIGEST");
    lab.ok(
        "Verify",
        json!({ "KeyId": key, "Message": b64(&digest), "MessageType": "DIGEST",
                "SigningAlgorithm": "ED25519_PH_SHA_512", "Signature": b64(&sig) }),
    );
    // KMS hashes the digest again (Ed25519ph's PH step): the signature is Ed25519ph over the
    // digest, checked with ed25519-dalek.
    let spki = public_key(&mut lab, &key);
    let vk = ed25519_dalek::VerifyingKey::from_public_key_der(&spki).unwrap();
    let s = ed25519_dalek::Signature::from_slice(&sig).unwrap();
    assert!(
        vk.verify_prehashed_strict(Sha512::new_with_prefix(&digest), None, &s)
            .is_ok()
    );
    let mut other = digest.clone();
    other[0] ^= 1;
    let e = lab.err(
        "Verify",
        json!({ "KeyId": key, "Message": b64(&other), "MessageType": "DIGEST",
                "SigningAlgorithm": "ED25519_PH_SHA_512", "Signature": b64(&sig) }),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("KMSInvalidSignatureException", "")
    );
    // ED25519_PH_SHA_512 requires DIGEST, of 64 bytes.
    for (msg, mt) in [(digest.clone(), "RAW"), (vec![1; 32], "DIGEST")] {
        let e = lab.err(
            "Sign",
            json!({ "KeyId": key, "Message": b64(&msg), "MessageType": mt,
                    "SigningAlgorithm": "ED25519_PH_SHA_512" }),
        );
        assert_eq!(e.code, "ValidationException", "{mt}");
    }
}

#[test]
fn post_quantum_keys_survive_a_state_round_trip() {
    let mut lab = Lab::new();
    let dsa = create(&mut lab, "ML_DSA_87", "SIGN_VERIFY");
    let kem = create(&mut lab, "ML_KEM_1024", "ENCAPSULATE_DECAPSULATE");
    let sig = sign(&mut lab, &dsa, "ML_DSA_SHAKE_256", b"before save", "RAW");
    let enc = lab.ok(
        "Encapsulate",
        json!({ "KeyId": kem, "EncapsulationAlgorithm": "ML_KEM" }),
    );
    let text = serde_json::to_string(&lab.w).unwrap();
    let mut restored: World = serde_json::from_str(&text).unwrap();
    assert_eq!(
        serde_json::to_string(&restored).unwrap(),
        text,
        "serialisation is stable"
    );
    let admin = lab.admin.clone();
    let out = restored
        .call(
            &admin,
            "kms",
            "Verify",
            json!({ "KeyId": dsa, "Message": b64(b"before save"),
                    "SigningAlgorithm": "ML_DSA_SHAKE_256", "Signature": b64(&sig) }),
        )
        .unwrap();
    assert_eq!(out["SignatureValid"], true);
    let dec = restored
        .call(
            &admin,
            "kms",
            "Decapsulate",
            json!({ "KeyId": kem, "EncapsulationAlgorithm": "ML_KEM",
                    "SharedSecretCiphertextBlob": enc["SharedSecretCiphertextBlob"] }),
        )
        .unwrap();
    assert_eq!(dec["SharedSecret"], enc["SharedSecret"]);
}
