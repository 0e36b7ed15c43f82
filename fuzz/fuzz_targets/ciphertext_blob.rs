//! The Decrypt path's ciphertext blob parsing: the input (after one selector byte) is the
//! `CiphertextBlob` of a Decrypt (any key; a named symmetric key; an RSA key with RSAES_OAEP) or
//! a ReEncrypt, through `World::call` as every caller reaches it.
//!
//! Selector byte: bits 0–1 pick the call, bit 2 adds an encryption context.
#![no_main]

use std::sync::OnceLock;

use base64::Engine as _;
use cloud::{CallContext, World};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

struct Fixture {
    world: World,
    admin: CallContext,
    symmetric: String,
    rsa: String,
}

fn create(world: &mut World, admin: &CallContext, input: Value) -> String {
    world
        .call(admin, "kms", "CreateKey", input)
        .ok()
        .and_then(|v| v["KeyMetadata"]["KeyId"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut world = World::new(kmslab_fuzz::SEED, kmslab_fuzz::START_MS);
        let Ok(admin) = world.context_for_profile(None, None) else {
            std::process::abort();
        };
        let symmetric = create(&mut world, &admin, json!({}));
        let _mrk = create(&mut world, &admin, json!({ "MultiRegion": true }));
        let rsa = create(
            &mut world,
            &admin,
            json!({ "KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT" }),
        );
        Fixture {
            world,
            admin,
            symmetric,
            rsa,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, blob)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let mut world = f.world.clone();
    let blob = base64::engine::general_purpose::STANDARD.encode(blob);
    let mut input = match selector & 3 {
        0 => json!({ "CiphertextBlob": blob }),
        1 => json!({ "CiphertextBlob": blob, "KeyId": f.symmetric }),
        2 => json!({ "CiphertextBlob": blob, "KeyId": f.rsa,
                     "EncryptionAlgorithm": "RSAES_OAEP_SHA_256" }),
        _ => json!({ "CiphertextBlob": blob, "DestinationKeyId": f.symmetric }),
    };
    if selector & 4 != 0 {
        let context = json!({ "purpose": "fuzz" });
        if selector & 3 == 3 {
            input["SourceEncryptionContext"] = context;
        } else {
            input["EncryptionContext"] = context;
        }
    }
    let operation = if selector & 3 == 3 {
        "ReEncrypt"
    } else {
        "Decrypt"
    };
    let _ = world.call(&f.admin, "kms", operation, input);
});
