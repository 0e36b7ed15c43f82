//! The state file a released build wrote, and what must hold of it wherever the engine runs:
//! shared by the native fixtures test (`tests/fixtures.rs`) and the browser's (`tests/web.rs`
//! at the workspace root, which includes this file by path).

#![allow(
    clippy::expect_used,
    reason = "test support called from tests: a failed expectation is the test's failure"
)]

/// Written by the release at commit cb67c52 (`kmslab scenario start key-rotation --seed 5`, then
/// a script creating keys, an alias, rotation, a grant, tags, an RSA key, an S3 bucket with
/// SSE-KMS, an EBS volume, an RDS instance, an IAM inline policy, and 100 days of clock).
pub const RELEASED_V1: &str = include_str!("../fixtures/state-v1-2026-12-06.json");

/// The blob the native release build sealed (`ledger.bin`) opens under the script's `KEY_ID`:
/// the header's key, the material and the AES-GCM tag all check (in the browser, AES-GCM is
/// `cloud`'s own wasm implementation). A copy with one base64 symbol changed does not.
pub fn the_ledger_opens_and_a_tampered_copy_does_not() {
    let doc =
        document::LabDocument::load(RELEASED_V1, document::HostSettings::default()).expect("loads");
    let s = doc.session();
    let mut world = s.world.clone();
    let ctx = world.context_for_profile(None, None).expect("admin");
    let mut decrypt = |blob: &serde_json::Value| {
        world.call(
            &ctx,
            "kms",
            "Decrypt",
            serde_json::json!({ "CiphertextBlob": blob }),
        )
    };
    let file: serde_json::Value = serde_json::from_str(RELEASED_V1).expect("JSON");
    let ledger = file["session"]["files"]["ledger.bin"]
        .as_str()
        .expect("the script's ledger.bin, as base64");
    let opened = decrypt(&ledger.into()).expect("Decrypt of ledger.bin");
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
    let mut symbols: Vec<char> = ledger.chars().collect();
    if let Some(c) = symbols.get_mut(100) {
        *c = if *c == 'A' { 'B' } else { 'A' };
    }
    let tampered: String = symbols.into_iter().collect();
    let err = decrypt(&tampered.into()).expect_err("a changed byte fails");
    assert_eq!(err.code, "InvalidCiphertextException", "{err:?}");
}
