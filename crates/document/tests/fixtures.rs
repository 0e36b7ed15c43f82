//! Every state file a released build wrote still loads, with its content intact.

use document::{HostSettings, Keep, LabDocument};

/// Written by the release at commit cb67c52 (`kmslab scenario start key-rotation --seed 5`, then
/// a script creating keys, an alias, rotation, a grant, tags, an RSA key, an S3 bucket with
/// SSE-KMS, an EBS volume, an RDS instance, an IAM inline policy, and 100 days of clock).
const RELEASED_V1: &str = include_str!("fixtures/state-v1-2026-12-06.json");

#[test]
fn a_state_file_from_the_released_build_loads_with_everything_in_it() {
    let doc = LabDocument::load(RELEASED_V1, HostSettings::default()).expect("loads");
    let s = doc.session();
    let mut world = s.world.clone();
    let ctx = world.context_for_profile(None, None).expect("admin");
    let aliases = world
        .call(&ctx, "kms", "ListAliases", serde_json::json!({}))
        .expect("ListAliases");
    assert!(aliases.to_string().contains("alias/fixture"), "{aliases}");
    let key = s.vars.get("K").expect("the script's variable K");
    let rotation = world
        .call(
            &ctx,
            "kms",
            "GetKeyRotationStatus",
            serde_json::json!({ "KeyId": key }),
        )
        .expect("rotation status");
    assert_eq!(rotation["KeyRotationEnabled"], true);
    let buckets = world
        .call(&ctx, "s3", "ListBuckets", serde_json::json!({}))
        .expect("ListBuckets");
    assert!(buckets.to_string().contains("fixture-bucket-111122223333"));
    let dbs = world
        .call(&ctx, "rds", "DescribeDBInstances", serde_json::json!({}))
        .expect("DescribeDBInstances");
    assert!(dbs.to_string().contains("fixture-db"));
    // A blob sealed by the native release build (`ledger.bin`) opens: the header's key, the
    // material and the AES-GCM tag all check (tests/web.rs opens the same blob in the browser).
    let file: serde_json::Value = serde_json::from_str(RELEASED_V1).expect("JSON");
    let ledger = &file["session"]["files"]["ledger.bin"];
    assert!(ledger.is_string(), "the script's ledger.bin, as base64");
    let opened = world
        .call(
            &ctx,
            "kms",
            "Decrypt",
            serde_json::json!({ "CiphertextBlob": ledger }),
        )
        .expect("Decrypt of ledger.bin");
    let key_id = s.vars.get("KEY_ID").expect("the script's variable KEY_ID");
    assert!(
        opened["KeyId"]
            .as_str()
            .is_some_and(|k| k.ends_with(key_id.as_str())),
        "{opened}"
    );
    assert!(
        opened["Plaintext"].as_str().is_some_and(|p| !p.is_empty()),
        "{opened}"
    );
    assert!(
        s.progress.scenarios.contains_key("key-rotation"),
        "scenario progress kept"
    );
    assert!(s.world.events().count() > 10, "CloudTrail history kept");
    // Saved again in today's format, it loads to the same document.
    let again =
        LabDocument::load(&doc.save().expect("saves"), HostSettings::default()).expect("reloads");
    assert_eq!(again.save().expect("saves"), doc.save().expect("saves"));
}

#[test]
fn host_settings_apply_on_load_fresh_and_reset() {
    let host = HostSettings {
        event_retention: Some(3),
    };
    let mut doc = LabDocument::load(RELEASED_V1, host).expect("loads");
    assert!(doc.session().world.events().count() <= 3);
    doc.reset(Keep::Progress, 9, 1_795_377_420_000);
    assert!(
        doc.session()
            .progress
            .scenarios
            .contains_key("key-rotation"),
        "Keep::Progress keeps the learner's record"
    );
    assert!(doc.session().vars.is_empty(), "variables start over");
    let mut world = doc.session().world.clone();
    let ctx = world.context_for_profile(None, None).expect("admin");
    for _ in 0..5 {
        world
            .call(&ctx, "kms", "CreateKey", serde_json::json!({}))
            .expect("CreateKey");
    }
    assert!(world.events().count() <= 3, "retention applied after reset");
    doc.reset(Keep::Nothing, 9, 1_795_377_420_000);
    assert!(doc.session().progress.is_empty());
}

#[test]
fn files_from_elsewhere_are_refused_with_their_reason() {
    assert!(matches!(
        LabDocument::load("{not json", HostSettings::default()),
        Err(document::StateError::Corrupt(_))
    ));
    assert!(matches!(
        LabDocument::load(
            r#"{"schemaVersion": 99, "kind": "kmslab-state", "session": {}}"#,
            HostSettings::default()
        ),
        Err(document::StateError::Newer { .. })
    ));
}
