//! A sample of KMS errors with AWS's exact code and message (issue 20, item 1), from the KMS API
//! reference and recorded aws-cli output: the lab's own explanation of a failure travels apart
//! (`AwsError::hint`), so the message is AWS's even where AWS's is empty.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Lab, b64};
use serde_json::{Value, json};

const ACCOUNT_ARN: &str = "arn:aws:kms:us-east-1:111122223333";

/// The code and message of a failing call.
fn fails(lab: &mut Lab, op: &str, input: Value) -> (String, String, Option<String>) {
    let e = lab.err(op, input);
    (e.code, e.message, e.hint)
}

#[test]
fn messages_match_aws() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let arn = format!("{ACCOUNT_ARN}:key/{key}");
    let cases: Vec<(&str, Value, &str, String)> = vec![
        (
            "DescribeKey",
            json!({ "KeyId": "alias/none" }),
            "NotFoundException",
            format!("Alias {ACCOUNT_ARN}:alias/none is not found."),
        ),
        (
            "DescribeKey",
            json!({ "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab" }),
            "NotFoundException",
            format!("Key '{ACCOUNT_ARN}:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist"),
        ),
        (
            "ScheduleKeyDeletion",
            json!({ "KeyId": key, "PendingWindowInDays": 3 }),
            "ValidationException",
            "1 validation error detected: Value '3' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7".into(),
        ),
        (
            "EnableKeyRotation",
            json!({ "KeyId": key, "RotationPeriodInDays": 30 }),
            "ValidationException",
            "1 validation error detected: Value '30' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90".into(),
        ),
        (
            "GenerateDataKey",
            json!({ "KeyId": key }),
            "ValidationException",
            "Please specify either number of bytes or key spec.".into(),
        ),
        (
            "CreateKey",
            json!({ "KeySpec": "RSA_2048" }),
            "ValidationException",
            "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.".into(),
        ),
        (
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(b"x"), "DryRun": true }),
            "DryRunOperationException",
            "The request would have succeeded, but the DryRun option is set.".into(),
        ),
    ];
    for (op, input, code, message) in cases {
        let (c, m, _) = fails(&mut lab, op, input.clone());
        assert_eq!(
            (c.as_str(), m.as_str()),
            (code, message.as_str()),
            "{op} {input}"
        );
    }
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/x", "TargetKeyId": key }),
    );
    assert_eq!(
        fails(
            &mut lab,
            "CreateAlias",
            json!({ "AliasName": "alias/x", "TargetKeyId": key })
        )
        .1,
        format!("An alias with the name {ACCOUNT_ARN}:alias/x already exists")
    );
    lab.ok("DisableKey", json!({ "KeyId": key }));
    assert_eq!(
        fails(
            &mut lab,
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(b"x") })
        ),
        (
            "DisabledException".into(),
            format!("{arn} is disabled."),
            None
        )
    );
    lab.ok("EnableKey", json!({ "KeyId": key }));
    lab.ok(
        "ScheduleKeyDeletion",
        json!({ "KeyId": key, "PendingWindowInDays": 7 }),
    );
    assert_eq!(
        fails(
            &mut lab,
            "Encrypt",
            json!({ "KeyId": key, "Plaintext": b64(b"x") })
        ),
        (
            "KMSInvalidStateException".into(),
            format!("{arn} is pending deletion."),
            None
        )
    );
}

#[test]
fn empty_messages_keep_the_explanation_as_a_hint() {
    let mut lab = Lab::new();
    let key = lab.create_key();
    let blob = lab.encrypt(&key, b"secret", json!({ "dept": "hr" }));
    let (code, message, hint) = fails(
        &mut lab,
        "Decrypt",
        json!({ "CiphertextBlob": blob, "EncryptionContext": { "dept": "it" } }),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidCiphertextException", "")
    );
    assert!(hint.unwrap().contains("encryption context"));
    let sign = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY" }),
    );
    let sk = sign["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let (code, message, hint) = fails(
        &mut lab,
        "Verify",
        json!({ "KeyId": sk, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256",
                "Signature": b64(&[0x30, 6, 2, 1, 1, 2, 1, 1]) }),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("KMSInvalidSignatureException", "")
    );
    assert!(hint.is_some());
    let mac = lab.ok(
        "CreateKey",
        json!({ "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC" }),
    );
    let mk = mac["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let (code, message, hint) = fails(
        &mut lab,
        "VerifyMac",
        json!({ "KeyId": mk, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_256", "Mac": b64(&[0; 32]) }),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("KMSInvalidMacException", "")
    );
    assert!(hint.is_some());
    // CloudTrail keeps AWS's message, not the lab's explanation.
    let last = lab
        .w
        .events()
        .filter(|e| e.record["eventName"] == "Decrypt")
        .last()
        .unwrap();
    assert_eq!(last.record["errorCode"], "InvalidCiphertextException");
    assert_eq!(last.record["errorMessage"], "");
}
