//! Writes the generated part of the seed corpora (run from `fuzz/`:
//! `cargo run --release --example seeds`): real ciphertext blobs from the `ciphertext_blob`
//! fixture's keys, and small saved labs for `state_file` and `embed_message`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use base64::Engine as _;
// Links libFuzzer, which provides the coverage hooks the instrumented crates call.
use libfuzzer_sys as _;
use cloud::World;
use document::LabDocument;
use serde_json::json;

fn main() {
    let b64 = base64::engine::general_purpose::STANDARD;
    // The same keys, in the same order, as fuzz_targets/ciphertext_blob.rs makes them.
    let mut world = World::new(kmslab_fuzz::SEED, kmslab_fuzz::START_MS);
    let admin = world.context_for_profile(None, None).unwrap();
    let mut ids = Vec::new();
    for input in [
        json!({}),
        json!({ "MultiRegion": true }),
        json!({ "KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT" }),
    ] {
        let v = world.call(&admin, "kms", "CreateKey", input).unwrap();
        ids.push(v["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned());
    }
    let dir = "corpus/ciphertext_blob";
    for (n, (key, context, alg)) in [
        (&ids[0], false, None),
        (&ids[0], true, None),
        (&ids[1], false, None),
        (&ids[1], true, None),
        (&ids[2], false, Some("RSAES_OAEP_SHA_256")),
    ]
    .into_iter()
    .enumerate()
    {
        let mut input = json!({ "KeyId": key, "Plaintext": b64.encode(b"hello fuzz") });
        if context {
            input["EncryptionContext"] = json!({ "purpose": "fuzz" });
        }
        if let Some(a) = alg {
            input["EncryptionAlgorithm"] = json!(a);
        }
        let v = world.call(&admin, "kms", "Encrypt", input).unwrap();
        let blob = b64.decode(v["CiphertextBlob"].as_str().unwrap()).unwrap();
        // Selector: Decrypt (0), Decrypt naming the key (1) or the RSA key (2), ReEncrypt (3);
        // bit 2 adds the encryption context.
        let calls: &[u8] = if alg.is_some() { &[2] } else { &[0, 1, 3] };
        for call in calls {
            let selector = call | if context { 4 } else { 0 };
            let mut seed = vec![selector];
            seed.extend_from_slice(&blob);
            fs::write(format!("{dir}/blob-{n}-{selector}"), seed).unwrap();
        }
    }

    // Saved labs: a fresh one, and one after a few commands.
    let mut doc = LabDocument::fresh(kmslab_fuzz::SEED, kmslab_fuzz::START_MS, kmslab_fuzz::HOST);
    let fresh = doc.save().unwrap();
    fs::write("corpus/state_file/fresh.json", &fresh).unwrap();
    kmslab_fuzz::run_terminal(
        doc.session_mut(),
        "K=$(aws kms create-key --description seed --query KeyMetadata.KeyId --output text)\n\
         aws kms create-alias --alias-name alias/seed --target-key-id $K\n\
         aws kms encrypt --key-id alias/seed --plaintext aGVsbG8= --query CiphertextBlob --output text | base64 -d > c.bin\n\
         aws kms enable-key-rotation --key-id $K\n\
         aws kms schedule-key-deletion --key-id $K --pending-window-in-days 7",
    );
    let used = doc.save().unwrap();
    fs::write("corpus/state_file/used.json", &used).unwrap();
    let message = json!({ "kmslab": 1, "type": "load", "id": 10, "state": fresh });
    fs::write("corpus/embed_message/load-fresh.json", message.to_string()).unwrap();
    println!(
        "state files: fresh {} bytes, used {} bytes",
        fresh.len(),
        used.len()
    );
}

// libFuzzer's runtime wants a target; the seeds tool never runs it.
libfuzzer_sys::fuzz_target!(|_data: &[u8]| {});
