//! ImportKeyMaterial's parsing: the wrapped material (RSA-OAEP, then AES key wrap with padding)
//! and the material itself (32 bytes, HMAC lengths, PKCS#8 DER private keys), then the key in use.
//!
//! Input: byte 0 picks the EXTERNAL key (its spec), byte 1 how the rest is sent:
//! - bits 0–1: 0 and 1 wrap the rest as the material, properly (RSA_AES_KEY_WRAP_SHA_256);
//!   2 sends the rest as `EncryptedKeyMaterial` itself; 3 sends a properly wrapped AES key
//!   followed by the rest as the key-wrapped part;
//! - bits 2–3: the expiration (none, `ValidTo` a number, `ValidTo` a string, a `KeyMaterialId`).
#![no_main]

use std::sync::OnceLock;

use base64::Engine as _;
use cloud::{CallContext, World};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// (KeySpec, KeyUsage, a signing or MAC algorithm to use it with).
const KEYS: &[(&str, &str, &str)] = &[
    ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", ""),
    ("HMAC_256", "GENERATE_VERIFY_MAC", "HMAC_SHA_256"),
    ("ECC_NIST_P256", "SIGN_VERIFY", "ECDSA_SHA_256"),
    ("ECC_NIST_P384", "SIGN_VERIFY", "ECDSA_SHA_384"),
    ("ECC_SECG_P256K1", "SIGN_VERIFY", "ECDSA_SHA_256"),
    ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY", "ED25519_SHA_512"),
    ("RSA_2048", "SIGN_VERIFY", "RSASSA_PSS_SHA_256"),
];

struct Imported {
    key_id: String,
    public_key: Vec<u8>,
    token: Value,
}

struct Fixture {
    world: World,
    admin: CallContext,
    keys: Vec<Imported>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut world = World::new(kmslab_fuzz::SEED, kmslab_fuzz::START_MS);
        let Ok(admin) = world.context_for_profile(None, None) else {
            std::process::abort();
        };
        // Fourteen management calls at one simulated instant would meet the request quotas.
        world.set_request_quotas(false);
        let mut keys = Vec::new();
        for (spec, usage, _) in KEYS {
            let created = world.call(
                &admin,
                "kms",
                "CreateKey",
                json!({ "KeySpec": spec, "KeyUsage": usage, "Origin": "EXTERNAL" }),
            );
            let key_id = created
                .ok()
                .and_then(|v| v["KeyMetadata"]["KeyId"].as_str().map(str::to_owned))
                .unwrap_or_default();
            let p = match world.call(
                &admin,
                "kms",
                "GetParametersForImport",
                json!({ "KeyId": key_id, "WrappingAlgorithm": "RSA_AES_KEY_WRAP_SHA_256",
                        "WrappingKeySpec": "RSA_2048" }),
            ) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("the fixture's GetParametersForImport for {spec} failed: {e:?}");
                    std::process::abort();
                }
            };
            let public_key = p["PublicKey"]
                .as_str()
                .and_then(|s| B64.decode(s).ok())
                .unwrap_or_default();
            keys.push(Imported {
                key_id,
                public_key,
                token: p["ImportToken"].clone(),
            });
        }
        world.set_request_quotas(true);
        world.advance_clock(1000);
        Fixture { world, admin, keys }
    })
}

fn wrap(public_key: &[u8], material: &[u8]) -> Vec<u8> {
    let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(9);
    cloud::client::wrap_key_material(public_key, "RSA_AES_KEY_WRAP_SHA_256", material, &mut rng)
        .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let [which, how, rest @ ..] = data else {
        return;
    };
    let f = fixture();
    let index = usize::from(*which) % KEYS.len();
    let (Some(key), Some((_, _, algorithm))) = (f.keys.get(index), KEYS.get(index)) else {
        return;
    };
    let encrypted = match how & 3 {
        0 | 1 => wrap(&key.public_key, rest),
        2 => rest.to_vec(),
        _ => {
            // A properly wrapped AES key (the first 256 bytes), then the fuzzed key-wrapped part.
            let mut w = wrap(&key.public_key, &[0u8; 32]);
            w.truncate(256);
            w.extend_from_slice(rest);
            w
        }
    };
    let mut input = json!({ "KeyId": key.key_id, "ImportToken": key.token,
                            "EncryptedKeyMaterial": B64.encode(&encrypted) });
    match (how >> 2) & 3 {
        0 => input["ExpirationModel"] = json!("KEY_MATERIAL_DOES_NOT_EXPIRE"),
        1 => input["ValidTo"] = json!(kmslab_fuzz::START_MS / 1000 + 86_400),
        2 => input["ValidTo"] = json!("2026-12-01T00:00:00Z"),
        _ => {
            input["ExpirationModel"] = json!("KEY_MATERIAL_DOES_NOT_EXPIRE");
            input["KeyMaterialId"] = json!(String::from_utf8_lossy(rest));
        }
    }
    let mut world = f.world.clone();
    if world
        .call(&f.admin, "kms", "ImportKeyMaterial", input)
        .is_err()
    {
        return;
    }
    // The imported key in use.
    let id = key.key_id.as_str();
    let message = B64.encode(b"fuzz");
    let _ = world.call(&f.admin, "kms", "DescribeKey", json!({ "KeyId": id }));
    match index {
        0 => {
            if let Ok(v) = world.call(
                &f.admin,
                "kms",
                "Encrypt",
                json!({ "KeyId": id, "Plaintext": message }),
            ) {
                let blob = v["CiphertextBlob"].clone();
                let _ = world.call(
                    &f.admin,
                    "kms",
                    "Decrypt",
                    json!({ "CiphertextBlob": blob }),
                );
            }
        }
        1 => {
            let _ = world.call(
                &f.admin,
                "kms",
                "GenerateMac",
                json!({ "KeyId": id, "Message": message, "MacAlgorithm": algorithm }),
            );
        }
        _ => {
            let _ = world.call(&f.admin, "kms", "GetPublicKey", json!({ "KeyId": id }));
            if let Ok(v) = world.call(
                &f.admin,
                "kms",
                "Sign",
                json!({ "KeyId": id, "Message": message, "SigningAlgorithm": algorithm }),
            ) {
                let _ = world.call(
                    &f.admin,
                    "kms",
                    "Verify",
                    json!({ "KeyId": id, "Message": message, "SigningAlgorithm": algorithm,
                            "Signature": v["Signature"] }),
                );
            }
        }
    }
});
