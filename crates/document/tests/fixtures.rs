//! Every state file a released build wrote still loads, with its content intact.

#[path = "common/released.rs"]
mod released;

use document::{HostSettings, Keep, LabDocument};
use released::RELEASED_V1;

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
fn a_blob_the_released_build_sealed_opens() {
    released::the_ledger_opens_and_a_tampered_copy_does_not();
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
