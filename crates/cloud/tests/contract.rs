#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The public contract other crates code against.

use cloud::World;
use serde_json::json;

const START: i64 = 1_795_377_600_000; // 2026-11-22T20:00:00Z

#[test]
fn default_profiles_and_identities() {
    let mut w = World::new(1, START);
    assert_eq!(w.default_profile(), "admin");
    let names: Vec<String> = w.profiles().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["admin", "app", "partner-admin", "security-admin"]);
    let admin = w.context_for_profile(None, None).unwrap();
    assert_eq!(admin.principal_arn, "arn:aws:iam::111122223333:user/Admin");
    assert_eq!(admin.region, "us-east-1");
    let id = w
        .call(&admin, "sts", "GetCallerIdentity", json!({}))
        .unwrap();
    assert_eq!(id["Account"], "111122223333");
    assert!(id["UserId"].as_str().unwrap().starts_with("AIDA"));

    let sec = w
        .context_for_profile(Some("security-admin"), Some("eu-west-1"))
        .unwrap();
    assert!(
        sec.principal_arn
            .starts_with("arn:aws:sts::111122223333:assumed-role/SecurityAdmin/botocore-session-")
    );
    assert_eq!(sec.region, "eu-west-1");
    assert!(sec.access_key_id.starts_with("ASIA"));
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    assert_eq!(partner.account, "444455556666");
    assert!(w.context_for_profile(Some("nope"), None).is_err());
}

#[test]
fn unknown_operation_is_an_error_and_logged() {
    let mut w = World::new(1, START);
    let ctx = w.context_for_profile(None, None).unwrap();
    let before = w.event_counters().total;
    let err = w.call(&ctx, "kms", "FrobnicateKey", json!({})).unwrap_err();
    assert!(err.message.contains("FrobnicateKey"), "{err}");
    assert_eq!(w.event_counters().total, before + 1);
}

#[test]
fn root_and_service_contexts() {
    let mut w = World::new(1, START);
    let root = cloud::CallContext::root("111122223333", "us-east-1");
    let id = w
        .call(&root, "sts", "GetCallerIdentity", json!({}))
        .unwrap();
    assert_eq!(id["Arn"], "arn:aws:iam::111122223333:root");
    w.call(&root, "kms", "ListKeys", json!({})).unwrap();
    let ev = w.events().last().unwrap().record.clone();
    assert_eq!(ev["userIdentity"]["type"], "Root");
    assert_eq!(w.events().last().unwrap().username.as_deref(), Some("root"));
    // A service principal acting as itself is authorized by the key policy alone (as the
    // CloudTrail service is by a trail key's policy).
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "Enable IAM User Permissions", "Effect": "Allow",
              "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" },
            { "Sid": "Allow S3", "Effect": "Allow",
              "Principal": { "Service": "s3.amazonaws.com" }, "Action": "kms:GenerateDataKey", "Resource": "*" },
        ],
    });
    let key = w
        .call(
            &root,
            "kms",
            "CreateKey",
            json!({ "Policy": policy.to_string() }),
        )
        .unwrap();
    let s3 = cloud::CallContext::aws_service("s3", "111122223333", "us-east-1");
    w.call(
        &s3,
        "kms",
        "GenerateDataKey",
        json!({ "KeyId": key["KeyMetadata"]["KeyId"], "KeySpec": "AES_256" }),
    )
    .unwrap();
    let ev = w.events().last().unwrap().record.clone();
    assert_eq!(
        ev["userIdentity"],
        json!({ "type": "AWSService", "invokedBy": "s3.amazonaws.com" })
    );
    assert_eq!(ev["sourceIPAddress"], "s3.amazonaws.com");
}

#[test]
fn every_kms_api_operation_is_implemented_or_reported_as_not_modelled() {
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("/work/shared/aws-models/kms-2014-11-01.service-2.json")
            .unwrap_or_else(|_| "{}".into()),
    )
    .unwrap();
    let Some(ops) = model["operations"].as_object() else {
        return;
    };
    let mut w = World::new(1, START);
    let ctx = w.context_for_profile(None, None).unwrap();
    for op in ops.keys() {
        let code = w
            .call(&ctx, "kms", op, json!({ "Bogus": 1 }))
            .unwrap_err()
            .code;
        assert!(
            code == "SerializationException" || code == "UnsupportedOperationException",
            "{op}: {code}"
        );
    }
    assert_eq!(
        w.call(&ctx, "kms", "Frobnicate", json!({}))
            .unwrap_err()
            .code,
        "UnknownOperationException"
    );
}
