#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The world's serde form is the lab's state: a round trip keeps keys, material, clock, RNG.

mod common;
use cloud::World;
use common::*;
use serde_json::{Value, json};

#[test]
fn world_round_trip_keeps_everything_working() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/keep", "TargetKeyId": key }),
    );
    lab.ok(
        "EnableKeyRotation",
        json!({ "KeyId": key, "RotationPeriodInDays": 90 }),
    );
    let old = lab.encrypt(&key, b"before save", json!({ "k": "v" }));
    lab.w.advance_clock(100 * DAY);
    let _ = lab.w.context_for_profile(Some("app"), None).unwrap();

    let text = serde_json::to_string(&lab.w).unwrap();
    let mut restored: World = serde_json::from_str(&text).unwrap();
    assert_eq!(
        serde_json::to_string(&restored).unwrap(),
        text,
        "serialisation is stable"
    );
    assert_eq!(restored.now_ms(), lab.w.now_ms());

    // Same future on both sides: the RNG state travelled too.
    let a = lab.ok("GenerateRandom", json!({ "NumberOfBytes": 16 }));
    let admin = lab.admin.clone();
    let b = restored
        .call(
            &admin,
            "kms",
            "GenerateRandom",
            json!({ "NumberOfBytes": 16 }),
        )
        .unwrap();
    assert_eq!(a, b);

    let out = restored
        .call(
            &admin,
            "kms",
            "Decrypt",
            json!({ "CiphertextBlob": old, "EncryptionContext": { "k": "v" } }),
        )
        .unwrap();
    assert_eq!(unb64(&out["Plaintext"]), b"before save");
    let d = restored
        .call(
            &admin,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/keep" }),
        )
        .unwrap();
    assert_eq!(d["KeyMetadata"]["KeyId"], key.as_str());
    // Scheduled work continues after the restore.
    restored.advance_clock(90 * DAY);
    let rot = restored
        .call(&admin, "kms", "ListKeyRotations", json!({ "KeyId": key }))
        .unwrap();
    assert_eq!(rot["Rotations"].as_array().unwrap().len(), 2);
    // Key material is in the state (documented: this is a simulation).
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v.to_string().contains("materials"));
}

#[test]
fn same_seed_same_world() {
    let run = |seed| {
        let mut w = World::new(seed, START);
        let ctx = w.context_for_profile(None, None).unwrap();
        let k = w.call(&ctx, "kms", "CreateKey", json!({})).unwrap();
        k["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned()
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9), run(10));
}
