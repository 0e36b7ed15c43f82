#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The key-state table: how each operation behaves for Enabled, Disabled, PendingDeletion and
//! PendingImport keys (DisabledException vs KMSInvalidStateException).

mod common;
use common::*;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug)]
enum State {
    Enabled,
    Disabled,
    PendingDeletion,
    PendingImport,
}

/// Builds a fresh key in `state`; returns (key id, a ciphertext made while it was usable).
fn key_in(lab: &mut Lab, state: State) -> (String, Option<String>) {
    match state {
        State::PendingImport => {
            let id = lab.ok("CreateKey", json!({ "Origin": "EXTERNAL" }))["KeyMetadata"]["KeyId"]
                .as_str()
                .unwrap()
                .to_owned();
            (id, None)
        }
        s => {
            let id = lab.create_key();
            let blob = lab.encrypt(&id, b"x", Value::Null);
            match s {
                State::Disabled => {
                    lab.ok("DisableKey", json!({ "KeyId": id }));
                }
                State::PendingDeletion => {
                    lab.ok(
                        "ScheduleKeyDeletion",
                        json!({ "KeyId": id, "PendingWindowInDays": 7 }),
                    );
                }
                _ => {}
            }
            (id, Some(blob))
        }
    }
}

const OK: &str = "ok";
const DIS: &str = "DisabledException";
const INV: &str = "KMSInvalidStateException";
const UNS: &str = "UnsupportedOperationException";

/// (operation, [Enabled, Disabled, PendingDeletion, PendingImport]).
const TABLE: &[(&str, [&str; 4])] = &[
    ("Encrypt", [OK, DIS, INV, INV]),
    ("Decrypt", [OK, DIS, INV, "InvalidCiphertextException"]),
    ("ReEncrypt", [OK, DIS, INV, "InvalidCiphertextException"]),
    ("GenerateDataKey", [OK, DIS, INV, INV]),
    ("GenerateDataKeyWithoutPlaintext", [OK, DIS, INV, INV]),
    ("DescribeKey", [OK, OK, OK, OK]),
    ("EnableKey", [OK, OK, INV, INV]),
    ("DisableKey", [OK, OK, INV, INV]),
    ("ScheduleKeyDeletion", [OK, OK, INV, OK]),
    ("CancelKeyDeletion", [INV, INV, OK, INV]),
    ("UpdateKeyDescription", [OK, OK, INV, OK]),
    ("TagResource", [OK, OK, INV, OK]),
    ("UntagResource", [OK, OK, INV, OK]),
    ("ListResourceTags", [OK, OK, OK, OK]),
    ("PutKeyPolicy", [OK, OK, OK, OK]),
    ("GetKeyPolicy", [OK, OK, OK, OK]),
    ("ListKeyPolicies", [OK, OK, OK, OK]),
    ("EnableKeyRotation", [OK, DIS, INV, UNS]),
    ("DisableKeyRotation", [OK, DIS, INV, UNS]),
    ("GetKeyRotationStatus", [OK, OK, OK, OK]),
    ("RotateKeyOnDemand", [OK, DIS, INV, INV]),
    ("CreateGrant", [OK, DIS, INV, INV]),
    ("ListGrants", [OK, OK, OK, OK]),
    ("CreateAlias", [OK, OK, INV, OK]),
    ("GetKeyLastUsage", [OK, OK, OK, OK]),
];

fn input(op: &str, key: &str, blob: Option<&str>, n: usize) -> Value {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    match op {
        "Encrypt" => json!({ "KeyId": key, "Plaintext": b64(b"p") }),
        "Decrypt" => {
            json!({ "CiphertextBlob": blob.unwrap_or("S0wBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") })
        }
        "ReEncrypt" => {
            json!({ "CiphertextBlob": blob.unwrap_or("S0wBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "DestinationKeyId": key })
        }
        "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
            json!({ "KeyId": key, "KeySpec": "AES_256" })
        }
        "UpdateKeyDescription" => json!({ "KeyId": key, "Description": "d" }),
        "TagResource" => json!({ "KeyId": key, "Tags": [{ "TagKey": "k", "TagValue": "v" }] }),
        "UntagResource" => json!({ "KeyId": key, "TagKeys": ["k"] }),
        "PutKeyPolicy" => json!({ "KeyId": key, "Policy": policy }),
        "ScheduleKeyDeletion" => json!({ "KeyId": key, "PendingWindowInDays": 7 }),
        "CreateGrant" => {
            json!({ "KeyId": key, "GranteePrincipal": "arn:aws:iam::111122223333:role/AppRole", "Operations": ["Decrypt"] })
        }
        "CreateAlias" => json!({ "AliasName": format!("alias/t{n}"), "TargetKeyId": key }),
        _ => json!({ "KeyId": key }),
    }
}

#[test]
fn key_state_table() {
    let mut failures = Vec::new();
    for (n, (op, expected)) in TABLE.iter().enumerate() {
        for (i, state) in [
            State::Enabled,
            State::Disabled,
            State::PendingDeletion,
            State::PendingImport,
        ]
        .into_iter()
        .enumerate()
        {
            let mut lab = Lab::new();
            let (key, blob) = key_in(&mut lab, state);
            let got = match lab.kms(op, input(op, &key, blob.as_deref(), n)) {
                Ok(_) => OK.to_owned(),
                Err(e) => {
                    // The messages name the key ARN and the state.
                    if e.code == DIS {
                        assert!(
                            e.message.ends_with(&format!("key/{key} is disabled.")),
                            "{op}: {}",
                            e.message
                        );
                    }
                    e.code
                }
            };
            if got != expected[i] {
                failures.push(format!(
                    "{op} in {state:?}: expected {}, got {got}",
                    expected[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn state_messages() {
    let mut lab = Lab::new();
    let (key, _) = key_in(&mut lab, State::PendingDeletion);
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    let e = lab.err("Encrypt", json!({ "KeyId": key, "Plaintext": b64(b"p") }));
    assert_eq!(e.message, format!("{arn} is pending deletion."));
    let (key, _) = key_in(&mut lab, State::PendingImport);
    let e = lab.err("EnableKey", json!({ "KeyId": key }));
    assert_eq!(
        e.message,
        format!("arn:aws:kms:us-east-1:111122223333:key/{key} is pending import.")
    );
    let key = lab.create_key();
    let e = lab.err("CancelKeyDeletion", json!({ "KeyId": key }));
    assert_eq!(
        e.message,
        format!("arn:aws:kms:us-east-1:111122223333:key/{key} is not pending deletion.")
    );
}
