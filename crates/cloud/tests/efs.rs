//! EFS on top of KMS: encryption only at creation (unencrypted unless `Encrypted` through the
//! API, `aws/elasticfilesystem` by default, a customer managed key with `KmsKeyId`), EFS's KMS
//! requests as the caller, a key EFS cannot use, the `elasticfilesystem:Encrypted` condition
//! key, and errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, World};
use common::Lab;
use serde_json::{Value, json};

fn efs(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "efs", op, input)
}

fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    efs(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match efs(w, c, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn kms_events(w: &World, from: usize) -> Vec<Value> {
    w.events()
        .skip(from)
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .map(|e| e.record.clone())
        .collect()
}

#[test]
fn unencrypted_unless_asked_and_no_kms_call() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let fs = ok(
        w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "plain", "Tags": [{ "Key": "Name", "Value": "shared" }] }),
    );
    assert_eq!(fs["Encrypted"], false);
    assert!(fs.get("KmsKeyId").is_none());
    assert_eq!(fs["LifeCycleState"], "creating");
    assert_eq!(fs["Name"], "shared");
    assert_eq!(fs["PerformanceMode"], "generalPurpose");
    let id = fs["FileSystemId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("fs-") && id.len() == 20, "{id}");
    assert_eq!(
        fs["FileSystemArn"],
        format!("arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/{id}")
    );
    assert!(kms_events(w, before).is_empty());
    let ev = w.events().last().unwrap().record.clone();
    assert_eq!(ev["eventSource"], "elasticfilesystem.amazonaws.com");
    assert_eq!(ev["eventName"], "CreateFileSystem");
    let d = ok(
        w,
        &admin,
        "DescribeFileSystems",
        json!({ "FileSystemId": id }),
    );
    assert_eq!(d["FileSystems"][0]["LifeCycleState"], "available");
    assert_eq!(d["FileSystems"][0]["Encrypted"], false);
    // No operation changes encryption: the lab's EFS has none, as AWS.
    assert_eq!(
        err(w, &admin, "UpdateFileSystem", json!({ "FileSystemId": id })).code,
        "UnknownOperationException"
    );
}

#[test]
fn encrypted_defaults_to_the_aws_managed_key_through_efs_as_the_caller() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let fs = ok(
        w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "enc", "Encrypted": true }),
    );
    let kms = kms_events(w, before);
    let names: Vec<&str> = kms
        .iter()
        .map(|e| e["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["DescribeKey", "CreateGrant"]);
    for e in &kms {
        assert_eq!(
            e["userIdentity"]["invokedBy"],
            "elasticfilesystem.amazonaws.com"
        );
        assert_eq!(e["userIdentity"]["arn"], admin.principal_arn.as_str());
    }
    assert_eq!(
        kms[1]["requestParameters"]["granteeServicePrincipal"],
        "elasticfilesystem.amazonaws.com"
    );
    let managed = w
        .call(
            &admin,
            "kms",
            "DescribeKey",
            json!({ "KeyId": "alias/aws/elasticfilesystem" }),
        )
        .unwrap();
    assert_eq!(managed["KeyMetadata"]["KeyManager"], "AWS");
    assert_eq!(fs["Encrypted"], true);
    assert_eq!(fs["KmsKeyId"], managed["KeyMetadata"]["Arn"]);
}

#[test]
fn customer_managed_key_and_what_a_disabled_key_does() {
    let mut lab = Lab::new();
    let meta = lab.ok("CreateKey", json!({}))["KeyMetadata"].clone();
    let id = meta["KeyId"].as_str().unwrap().to_owned();
    let arn = meta["Arn"].as_str().unwrap().to_owned();
    lab.ok(
        "CreateAlias",
        json!({ "AliasName": "alias/efs", "TargetKeyId": id }),
    );
    let admin = lab.admin.clone();
    let fs = ok(
        &mut lab.w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "cmk", "Encrypted": true, "KmsKeyId": "alias/efs" }),
    );
    assert_eq!(fs["KmsKeyId"], arn.as_str());
    // A disabled key cannot protect a new file system…
    lab.ok("DisableKey", json!({ "KeyId": id }));
    let w = &mut lab.w;
    let e = err(
        w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "cmk2", "Encrypted": true, "KmsKeyId": id }),
    );
    assert_eq!(e.code, "BadRequest");
    assert_eq!(
        e.message,
        format!("{arn} is disabled. [error=DisabledException]")
    );
    // …and the existing one still describes as before (the API shows no key state).
    let d = ok(
        w,
        &admin,
        "DescribeFileSystems",
        json!({ "CreationToken": "cmk" }),
    );
    assert_eq!(d["FileSystems"][0]["LifeCycleState"], "available");
    assert_eq!(d["FileSystems"][0]["KmsKeyId"], arn.as_str());
    let e = err(
        w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "x", "Encrypted": true, "KmsKeyId": "alias/none" }),
    );
    assert_eq!(e.code, "BadRequest");
    assert!(
        e.message.ends_with("[error=NotFoundException]"),
        "{}",
        e.message
    );
}

#[test]
fn iam_can_require_encryption_with_the_encrypted_condition_key() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyName": "efs", "PolicyDocument": json!({
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Action": "elasticfilesystem:CreateFileSystem", "Resource": "*",
                    "Condition": { "Bool": { "elasticfilesystem:Encrypted": "true" } } },
                    { "Effect": "Allow", "Action": ["kms:DescribeKey", "kms:CreateGrant"], "Resource": "*" }]
            }).to_string() }),
        )
        .unwrap();
    let w = &mut lab.w;
    let app = w.context_for_profile(Some("app"), None).unwrap();
    let e = err(
        w,
        &app,
        "CreateFileSystem",
        json!({ "CreationToken": "plain" }),
    );
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message.contains("elasticfilesystem:CreateFileSystem"),
        "{}",
        e.message
    );
    let fs = ok(
        w,
        &app,
        "CreateFileSystem",
        json!({ "CreationToken": "enc", "Encrypted": true }),
    );
    assert_eq!(fs["Encrypted"], true);
}

#[test]
fn errors_and_delete() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let fs = ok(
        w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "one" }),
    );
    let id = fs["FileSystemId"].as_str().unwrap().to_owned();
    let cases = [
        ("CreateFileSystem", json!({ "CreationToken": "one" }), "FileSystemAlreadyExists", format!("File system '{id}' already exists with creation token 'one'")),
        ("CreateFileSystem", json!({ "CreationToken": "two", "KmsKeyId": "alias/x" }), "BadRequest", "KmsKeyId can only be specified when Encrypted is true.".to_owned()),
        ("CreateFileSystem", json!({ "CreationToken": "two", "Encrypted": true, "KmsKeyId": "" }), "ValidationException", "1 validation error detected: Value '' at 'kmsKeyId' failed to satisfy constraint: Member must have length greater than or equal to 1".to_owned()),
        ("CreateFileSystem", json!({ "CreationToken": "x".repeat(65) }), "ValidationException", format!("1 validation error detected: Value '{}' at 'creationToken' failed to satisfy constraint: Member must have length less than or equal to 64", "x".repeat(65))),
        ("DescribeFileSystems", json!({ "FileSystemId": "fs-0123456789abcdef0" }), "FileSystemNotFound", "File system 'fs-0123456789abcdef0' does not exist.".to_owned()),
        ("DeleteFileSystem", json!({ "FileSystemId": "fs-0123456789abcdef0" }), "FileSystemNotFound", "File system 'fs-0123456789abcdef0' does not exist.".to_owned()),
    ];
    for (op, input, code, message) in cases {
        let e = err(w, &admin, op, input.clone());
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (code, message.as_str()),
            "{op} {input}"
        );
    }
    ok(
        w,
        &admin,
        "CreateFileSystem",
        json!({ "CreationToken": "two" }),
    );
    let page = ok(w, &admin, "DescribeFileSystems", json!({ "MaxItems": 1 }));
    assert_eq!(page["FileSystems"].as_array().unwrap().len(), 1);
    let next = page["NextMarker"].as_str().unwrap().to_owned();
    let rest = ok(w, &admin, "DescribeFileSystems", json!({ "Marker": next }));
    assert_eq!(rest["FileSystems"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextMarker").is_none());
    assert_eq!(
        ok(w, &admin, "DeleteFileSystem", json!({ "FileSystemId": id })),
        json!({})
    );
    assert_eq!(
        ok(w, &admin, "DescribeFileSystems", json!({}))["FileSystems"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn malformed_requests_get_errors_never_panics() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    for op in [
        "CreateFileSystem",
        "DescribeFileSystems",
        "DeleteFileSystem",
    ] {
        for input in [
            json!(null),
            json!({ "CreationToken": 1, "Encrypted": "yes", "Tags": "x" }),
            json!({ "MaxItems": 0, "Marker": "nope", "FileSystemId": 3 }),
            json!({ "PerformanceMode": "fast", "ThroughputMode": "slow" }),
            json!({ "FileSystemId": "fs-1", "CreationToken": "t" }),
        ] {
            if let Err(e) = efs(w, &admin, op, input.clone()) {
                assert!(
                    ["ValidationException", "BadRequest", "FileSystemNotFound"]
                        .contains(&e.code.as_str()),
                    "{op} {input}: {e:?}"
                );
            }
        }
    }
}
