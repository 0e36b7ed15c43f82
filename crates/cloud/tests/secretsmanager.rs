//! Secrets Manager on top of KMS: every version sealed with a GenerateDataKey data key under
//! the `SecretARN`/`SecretVersionId` encryption context, KMS called as the caller through
//! Secrets Manager, KMS failures as Secrets Manager reports them, staging labels, deletion with
//! a recovery window on the world's clock, resource policies and cross-account reads, tags,
//! random passwords, bad input and CloudTrail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, World};
use common::Lab;
use serde_json::{Value, json};

fn sm(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "secretsmanager", op, input)
}

fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    sm(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn err(w: &mut World, c: &CallContext, op: &str, input: Value) -> AwsError {
    match sm(w, c, op, input.clone()) {
        Ok(v) => panic!("{op} {input} unexpectedly succeeded: {v}"),
        Err(e) => e,
    }
}

fn value(w: &mut World, c: &CallContext, id: &str) -> Result<Value, AwsError> {
    sm(w, c, "GetSecretValue", json!({ "SecretId": id }))
}

fn app(lab: &mut Lab) -> CallContext {
    lab.w.context_for_profile(Some("app"), None).unwrap()
}

fn partner(lab: &mut Lab) -> CallContext {
    lab.w
        .context_for_profile(Some("partner-admin"), None)
        .unwrap()
}

/// Gives AppRole an inline policy.
fn role_policy(lab: &mut Lab, name: &str, doc: Value) {
    let admin = lab.admin.clone();
    lab.w
        .call(
            &admin,
            "iam",
            "PutRolePolicy",
            json!({ "RoleName": "AppRole", "PolicyName": name, "PolicyDocument": doc.to_string() }),
        )
        .unwrap();
}

fn read_secrets(lab: &mut Lab) {
    role_policy(
        lab,
        "SecretsRead",
        json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/*" }] }),
    );
}

/// The KMS events since event number `from`.
fn kms_events(w: &World, from: usize) -> Vec<Value> {
    w.events()
        .skip(from)
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .map(|e| e.record.clone())
        .collect()
}

#[test]
fn a_secret_is_sealed_with_a_data_key_from_kms_via_secrets_manager() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let before = w.events().count();
    let out = ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/db", "SecretString": "{\"password\":\"hunter2\"}", "Description": "db" }),
    );
    let arn = out["ARN"].as_str().unwrap().to_owned();
    let version = out["VersionId"].as_str().unwrap().to_owned();
    // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX
    let suffix = arn
        .strip_prefix("arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-")
        .unwrap();
    assert_eq!(suffix.len(), 6);
    assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(out["Name"], "app/db");
    assert_eq!(version.len(), 36);
    // Secrets Manager asked KMS for a data key, as the caller, through secretsmanager, under the
    // AWS managed key it created on first use, with the documented encryption context.
    let kms = kms_events(w, before);
    let gdk = kms
        .iter()
        .find(|e| e["eventName"] == "GenerateDataKey")
        .unwrap();
    assert_eq!(
        gdk["userIdentity"]["invokedBy"],
        "secretsmanager.amazonaws.com"
    );
    assert_eq!(
        gdk["requestParameters"]["encryptionContext"],
        json!({ "SecretARN": arn, "SecretVersionId": version })
    );
    assert_eq!(
        gdk["requestParameters"]["keyId"],
        "alias/aws/secretsmanager"
    );
    let aliases = w
        .call(&admin, "kms", "ListAliases", json!({}))
        .unwrap()
        .to_string();
    assert!(aliases.contains("alias/aws/secretsmanager"));
    // The world keeps ciphertext only.
    let stored = w.secretsmanager().stored_ciphertexts(&arn);
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains("hunter2"));
    assert!(
        !serde_json::to_string(&w.secretsmanager().stored_ciphertexts("app/db"))
            .unwrap()
            .contains("hunter2")
    );
    // The CreateSecret event never logs the value.
    let created = w
        .events()
        .find(|e| e.record["eventName"] == "CreateSecret")
        .unwrap()
        .record
        .clone();
    assert_eq!(created["eventSource"], "secretsmanager.amazonaws.com");
    assert_eq!(created["readOnly"], false);
    assert!(!created.to_string().contains("hunter2"));
    assert_eq!(created["requestParameters"]["name"], "app/db");
    // Reading decrypts the data key through KMS.
    let mark = w.events().count();
    let got = value(w, &admin, "app/db").unwrap();
    assert_eq!(got["SecretString"], "{\"password\":\"hunter2\"}");
    assert_eq!(got["VersionStages"], json!(["AWSCURRENT"]));
    assert_eq!(got["ARN"], arn.as_str());
    let kms = kms_events(w, mark);
    assert_eq!(kms.len(), 1);
    assert_eq!(kms[0]["eventName"], "Decrypt");
    assert_eq!(
        kms[0]["requestParameters"]["encryptionContext"],
        json!({ "SecretARN": arn, "SecretVersionId": version })
    );
    let read = w
        .events()
        .filter(|e| e.record["eventName"] == "GetSecretValue")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(read["readOnly"], true);
    assert!(!read.to_string().contains("hunter2"));
    // By full ARN and by partial ARN (without the six characters).
    assert!(value(w, &admin, &arn).is_ok());
    assert!(
        value(
            w,
            &admin,
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db"
        )
        .is_ok()
    );
    // A binary secret.
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/bin", "SecretBinary": "AAEC" }),
    );
    assert_eq!(value(w, &admin, "app/bin").unwrap()["SecretBinary"], "AAEC");
    // DescribeSecret leaves out KmsKeyId for aws/secretsmanager and shows the stages.
    let d = ok(w, &admin, "DescribeSecret", json!({ "SecretId": "app/db" }));
    assert!(d.get("KmsKeyId").is_none());
    assert_eq!(d["Description"], "db");
    assert_eq!(d["VersionIdsToStages"][&version], json!(["AWSCURRENT"]));
}

#[test]
fn versions_move_through_the_staging_labels() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let token1 = "11111111-1111-1111-1111-111111111111";
    let token2 = "22222222-2222-2222-2222-222222222222";
    let out = ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/api", "SecretString": "v1", "ClientRequestToken": token1 }),
    );
    assert_eq!(out["VersionId"], token1);
    let out = ok(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/api", "SecretString": "v2", "ClientRequestToken": token2 }),
    );
    assert_eq!(out["VersionStages"], json!(["AWSCURRENT"]));
    assert_eq!(value(w, &admin, "app/api").unwrap()["SecretString"], "v2");
    let prev = ok(
        w,
        &admin,
        "GetSecretValue",
        json!({ "SecretId": "app/api", "VersionStage": "AWSPREVIOUS" }),
    );
    assert_eq!(prev["SecretString"], "v1");
    assert_eq!(prev["VersionId"], token1);
    let by_id = ok(
        w,
        &admin,
        "GetSecretValue",
        json!({ "SecretId": "app/api", "VersionId": token1 }),
    );
    assert_eq!(by_id["SecretString"], "v1");
    // The same token and value again: idempotent; another value: refused.
    ok(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/api", "SecretString": "v2", "ClientRequestToken": token2 }),
    );
    let e = err(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/api", "SecretString": "v3", "ClientRequestToken": token2 }),
    );
    assert_eq!(e.code, "ResourceExistsException");
    // A pending version.
    let out = ok(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/api", "SecretString": "v3", "VersionStages": ["AWSPENDING"] }),
    );
    let pending = out["VersionId"].as_str().unwrap().to_owned();
    assert_eq!(value(w, &admin, "app/api").unwrap()["SecretString"], "v2");
    let versions = ok(
        w,
        &admin,
        "ListSecretVersionIds",
        json!({ "SecretId": "app/api" }),
    );
    assert_eq!(versions["Versions"].as_array().unwrap().len(), 3);
    // Promote the pending version: the old current becomes AWSPREVIOUS, the old previous
    // loses its label (and is listed only with IncludeDeprecated).
    let e = err(
        w,
        &admin,
        "UpdateSecretVersionStage",
        json!({ "SecretId": "app/api", "VersionStage": "AWSCURRENT", "MoveToVersionId": pending }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    assert!(e.message.contains(token2), "{}", e.message);
    ok(
        w,
        &admin,
        "UpdateSecretVersionStage",
        json!({ "SecretId": "app/api", "VersionStage": "AWSCURRENT",
                "MoveToVersionId": pending, "RemoveFromVersionId": token2 }),
    );
    assert_eq!(value(w, &admin, "app/api").unwrap()["SecretString"], "v3");
    let d = ok(
        w,
        &admin,
        "DescribeSecret",
        json!({ "SecretId": "app/api" }),
    );
    assert_eq!(d["VersionIdsToStages"][token2], json!(["AWSPREVIOUS"]));
    assert!(d["VersionIdsToStages"].get(token1).is_none());
    let versions = ok(
        w,
        &admin,
        "ListSecretVersionIds",
        json!({ "SecretId": "app/api", "IncludeDeprecated": true }),
    );
    assert_eq!(versions["Versions"].as_array().unwrap().len(), 3);
    // A missing label and a missing version.
    let e = err(
        w,
        &admin,
        "GetSecretValue",
        json!({ "SecretId": "app/api", "VersionStage": "NOPE" }),
    );
    assert_eq!(e.code, "ResourceNotFoundException");
    assert_eq!(
        e.message,
        "Secrets Manager can't find the specified secret value for staging label: NOPE"
    );
    // A secret created without a value has no AWSCURRENT yet.
    ok(w, &admin, "CreateSecret", json!({ "Name": "app/empty" }));
    let e = value(w, &admin, "app/empty").unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    // UpdateSecret with a value makes a new AWSCURRENT version.
    let out = ok(
        w,
        &admin,
        "UpdateSecret",
        json!({ "SecretId": "app/empty", "SecretString": "now", "Description": "filled" }),
    );
    assert!(out["VersionId"].is_string());
    assert_eq!(
        value(w, &admin, "app/empty").unwrap()["SecretString"],
        "now"
    );
}

#[test]
fn kms_failures_break_get_secret_value_with_aws_errors() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/cmk", "SecretString": "cmk-secret", "KmsKeyId": key }),
    );
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/default", "SecretString": "default-secret" }),
    );
    // DescribeSecret names the key as the request did.
    let d = ok(
        w,
        &admin,
        "DescribeSecret",
        json!({ "SecretId": "app/cmk" }),
    );
    assert_eq!(d["KmsKeyId"], key.as_str());
    // A key that does not exist: EncryptionFailure, nothing stored.
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/none", "SecretString": "x", "KmsKeyId": "alias/none" }),
    );
    assert_eq!(e.code, "EncryptionFailure");
    assert!(value(w, &admin, "app/none").is_err());
    // A disabled key: DecryptionFailure on read, EncryptionFailure on write.
    w.call(&admin, "kms", "DisableKey", json!({ "KeyId": key }))
        .unwrap();
    let e = value(w, &admin, "app/cmk").unwrap_err();
    assert_eq!(e.code, "DecryptionFailure");
    assert!(e.message.contains("DisabledException"), "{}", e.message);
    let e = err(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/cmk", "SecretString": "x" }),
    );
    assert_eq!(e.code, "EncryptionFailure");
    let failed = w
        .events()
        .filter(|e| e.event_source == "kms.amazonaws.com" && e.error_code.is_some())
        .last()
        .unwrap();
    assert_eq!(
        failed.record["userIdentity"]["invokedBy"],
        "secretsmanager.amazonaws.com"
    );
    w.call(&admin, "kms", "EnableKey", json!({ "KeyId": key }))
        .unwrap();
    // The app: no secretsmanager permission at all in the default world.
    let app = app(&mut lab);
    let e = value(&mut lab.w, &app, "app/cmk").unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message.contains("secretsmanager:GetSecretValue"),
        "{}",
        e.message
    );
    read_secrets(&mut lab);
    assert_eq!(
        value(&mut lab.w, &app, "app/cmk").unwrap()["SecretString"],
        "cmk-secret"
    );
    // Without kms:Decrypt on the customer managed key: "Access to KMS is not allowed".
    role_policy(
        &mut lab,
        "AppKeyUse",
        json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:DescribeKey"], "Resource": "*" }] }),
    );
    let e = value(&mut lab.w, &app, "app/cmk").unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(e.message, "Access to KMS is not allowed");
    let denial = lab.w.last_denial(&app.principal_arn).unwrap();
    assert_eq!(denial.action, "kms:Decrypt");
    // aws/secretsmanager's key policy allows every principal of the account through
    // Secrets Manager: no KMS permission needed.
    assert_eq!(
        value(&mut lab.w, &app, "app/default").unwrap()["SecretString"],
        "default-secret"
    );
    // Outside the allowed names: denied by IAM before any KMS call.
    let before = lab.w.events().count();
    ok(
        &mut lab.w,
        &admin,
        "CreateSecret",
        json!({ "Name": "other/x", "SecretString": "x" }),
    );
    let mark = lab.w.events().count();
    let e = value(&mut lab.w, &app, "other/x").unwrap_err();
    assert!(e.message.contains("secretsmanager:GetSecretValue"));
    assert!(kms_events(&lab.w, mark).is_empty());
    assert!(mark > before);
}

#[test]
fn a_new_key_re_encrypts_the_labelled_versions_and_keeps_the_old_envelopes() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/rekey", "SecretString": "one" }),
    );
    ok(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/rekey", "SecretString": "two" }),
    );
    ok(
        w,
        &admin,
        "UpdateSecret",
        json!({ "SecretId": "app/rekey", "KmsKeyId": key }),
    );
    let versions = ok(
        w,
        &admin,
        "ListSecretVersionIds",
        json!({ "SecretId": "app/rekey" }),
    );
    for v in versions["Versions"].as_array().unwrap() {
        let keys = v["KmsKeyIds"].as_array().unwrap();
        assert_eq!(keys.len(), 2, "{v}");
        assert!(keys[0].as_str().unwrap().ends_with(&key));
    }
    // With the new key disabled the versions still open with the old one.
    w.call(&admin, "kms", "DisableKey", json!({ "KeyId": key }))
        .unwrap();
    assert_eq!(
        value(w, &admin, "app/rekey").unwrap()["SecretString"],
        "two"
    );
    // New versions need the new key.
    let e = err(
        w,
        &admin,
        "PutSecretValue",
        json!({ "SecretId": "app/rekey", "SecretString": "three" }),
    );
    assert_eq!(e.code, "EncryptionFailure");
}

#[test]
fn cross_account_reads_need_the_resource_policy_and_a_shared_customer_managed_key() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let key = lab.create_key();
    let key_arn = lab.ok("DescribeKey", json!({ "KeyId": key }))["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let partner = partner(&mut lab);
    let w = &mut lab.w;
    let managed = ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "shared/managed", "SecretString": "m" }),
    )["ARN"]
        .as_str()
        .unwrap()
        .to_owned();
    let cmk = ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "shared/cmk", "SecretString": "c", "KmsKeyId": key_arn }),
    )["ARN"]
        .as_str()
        .unwrap()
        .to_owned();
    // No resource policy: denied, KMS never asked.
    let e = value(w, &partner, &cmk).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(
        e.message.contains("secretsmanager:GetSecretValue"),
        "{}",
        e.message
    );
    // A name always means the caller's own account.
    assert_eq!(
        value(w, &partner, "shared/cmk").unwrap_err().code,
        "ResourceNotFoundException"
    );
    let policy = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
        "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
        "Action": "secretsmanager:GetSecretValue", "Resource": "*" }] })
    .to_string();
    for arn in [&managed, &cmk] {
        ok(
            w,
            &admin,
            "PutResourcePolicy",
            json!({ "SecretId": arn, "ResourcePolicy": policy, "BlockPublicPolicy": true }),
        );
    }
    // The AWS managed key never works across accounts.
    let e = value(w, &partner, &managed).unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(e.message, "Access to KMS is not allowed");
    // The customer managed key's policy does not name the partner yet.
    let e = value(w, &partner, &cmk).unwrap_err();
    assert_eq!(e.message, "Access to KMS is not allowed");
    let key_policy = json!({ "Version": "2012-10-17", "Statement": [
        { "Sid": "Owner", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
          "Action": "kms:*", "Resource": "*" },
        { "Sid": "Partner", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
          "Action": "kms:Decrypt", "Resource": "*",
          "Condition": { "StringEquals": { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } }] })
    .to_string();
    w.call(
        &admin,
        "kms",
        "PutKeyPolicy",
        json!({ "KeyId": key, "PolicyName": "default", "Policy": key_policy }),
    )
    .unwrap();
    assert_eq!(value(w, &partner, &cmk).unwrap()["SecretString"], "c");
    // The partner's Decrypt is in its own CloudTrail, through Secrets Manager.
    let dec = w
        .events()
        .filter(|e| e.record["eventName"] == "Decrypt")
        .last()
        .unwrap()
        .record
        .clone();
    assert_eq!(dec["userIdentity"]["accountId"], "444455556666");
    assert_eq!(
        dec["userIdentity"]["invokedBy"],
        "secretsmanager.amazonaws.com"
    );
    // The policy is readable and removable.
    let got = ok(w, &admin, "GetResourcePolicy", json!({ "SecretId": cmk }));
    assert_eq!(got["ResourcePolicy"], policy.as_str());
    ok(
        w,
        &admin,
        "DeleteResourcePolicy",
        json!({ "SecretId": cmk }),
    );
    assert_eq!(
        value(w, &partner, &cmk).unwrap_err().code,
        "AccessDeniedException"
    );
    // A public policy is blocked when asked, and reported by ValidateResourcePolicy.
    let public = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
        "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*" }] })
    .to_string();
    let e = err(
        w,
        &admin,
        "PutResourcePolicy",
        json!({ "SecretId": cmk, "ResourcePolicy": public, "BlockPublicPolicy": true }),
    );
    assert_eq!(e.code, "PublicPolicyException");
    let v = ok(
        w,
        &admin,
        "ValidateResourcePolicy",
        json!({ "ResourcePolicy": public }),
    );
    assert_eq!(v["PolicyValidationPassed"], false);
    let v = ok(
        w,
        &admin,
        "ValidateResourcePolicy",
        json!({ "ResourcePolicy": policy }),
    );
    assert_eq!(
        v,
        json!({ "PolicyValidationPassed": true, "ValidationErrors": [] })
    );
    let e = err(
        w,
        &admin,
        "PutResourcePolicy",
        json!({ "SecretId": cmk, "ResourcePolicy": "{not json" }),
    );
    assert_eq!(e.code, "MalformedPolicyDocumentException");
}

#[test]
fn deletion_waits_for_the_recovery_window_on_the_world_clock() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/old", "SecretString": "x" }),
    );
    let now = w.now_ms();
    let e = err(
        w,
        &admin,
        "DeleteSecret",
        json!({ "SecretId": "app/old", "RecoveryWindowInDays": 5 }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    let e = err(
        w,
        &admin,
        "DeleteSecret",
        json!({ "SecretId": "app/old", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    let out = ok(w, &admin, "DeleteSecret", json!({ "SecretId": "app/old" }));
    #[allow(clippy::cast_precision_loss)]
    let due = (now + 30 * 86_400_000) as f64 / 1000.0;
    assert_eq!(out["DeletionDate"].as_f64().unwrap(), due);
    // In the recovery window: no value, no new secret of that name, still described.
    let e = value(w, &admin, "app/old").unwrap_err();
    assert_eq!(e.code, "InvalidRequestException");
    assert_eq!(
        e.message,
        "You can't perform this operation on the secret because it was marked for deletion."
    );
    let d = ok(
        w,
        &admin,
        "DescribeSecret",
        json!({ "SecretId": "app/old" }),
    );
    assert_eq!(d["DeletedDate"].as_f64().unwrap(), due);
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/old", "SecretString": "y" }),
    );
    assert_eq!(e.code, "InvalidRequestException");
    let listed = ok(w, &admin, "ListSecrets", json!({}));
    assert_eq!(listed["SecretList"].as_array().unwrap().len(), 0);
    let listed = ok(
        w,
        &admin,
        "ListSecrets",
        json!({ "IncludePlannedDeletion": true }),
    );
    assert_eq!(listed["SecretList"].as_array().unwrap().len(), 1);
    // Restored: readable again.
    ok(w, &admin, "RestoreSecret", json!({ "SecretId": "app/old" }));
    assert_eq!(value(w, &admin, "app/old").unwrap()["SecretString"], "x");
    // Seven days, then eight days later it is gone.
    ok(
        w,
        &admin,
        "DeleteSecret",
        json!({ "SecretId": "app/old", "RecoveryWindowInDays": 7 }),
    );
    w.advance_clock(6 * 86_400_000);
    assert_eq!(
        value(w, &admin, "app/old").unwrap_err().code,
        "InvalidRequestException"
    );
    w.advance_clock(2 * 86_400_000);
    let e = value(w, &admin, "app/old").unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
    assert_eq!(
        e.message,
        "Secrets Manager can't find the specified secret."
    );
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "app/old", "SecretString": "new" }),
    );
    // Forced: gone at once.
    ok(
        w,
        &admin,
        "DeleteSecret",
        json!({ "SecretId": "app/old", "ForceDeleteWithoutRecovery": true }),
    );
    assert_eq!(
        value(w, &admin, "app/old").unwrap_err().code,
        "ResourceNotFoundException"
    );
}

#[test]
fn list_filters_pages_tags_batch_and_passwords() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    for (i, name) in ["prod/a", "prod/b", "dev/c"].iter().enumerate() {
        ok(
            w,
            &admin,
            "CreateSecret",
            json!({ "Name": name, "SecretString": format!("v{i}"),
                    "Tags": [{ "Key": "env", "Value": name.split('/').next().unwrap() }] }),
        );
        w.advance_clock(1000);
    }
    let all = ok(w, &admin, "ListSecrets", json!({ "SortOrder": "asc" }));
    let names: Vec<&str> = all["SecretList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod/a", "prod/b", "dev/c"]);
    assert!(all["SecretList"][0]["SecretVersionsToStages"].is_object());
    let prod = ok(
        w,
        &admin,
        "ListSecrets",
        json!({ "Filters": [{ "Key": "name", "Values": ["prod/"] }] }),
    );
    assert_eq!(prod["SecretList"].as_array().unwrap().len(), 2);
    let not_prod = ok(
        w,
        &admin,
        "ListSecrets",
        json!({ "Filters": [{ "Key": "tag-value", "Values": ["!prod"] }] }),
    );
    assert_eq!(not_prod["SecretList"].as_array().unwrap().len(), 1);
    let page1 = ok(w, &admin, "ListSecrets", json!({ "MaxResults": 2 }));
    assert_eq!(page1["SecretList"].as_array().unwrap().len(), 2);
    let token = page1["NextToken"].as_str().unwrap();
    let page2 = ok(
        w,
        &admin,
        "ListSecrets",
        json!({ "MaxResults": 2, "NextToken": token }),
    );
    assert_eq!(page2["SecretList"].as_array().unwrap().len(), 1);
    assert!(page2.get("NextToken").is_none());
    assert_eq!(
        err(w, &admin, "ListSecrets", json!({ "NextToken": "bogus" })).code,
        "InvalidNextTokenException"
    );
    // Tags.
    ok(
        w,
        &admin,
        "TagResource",
        json!({ "SecretId": "dev/c", "Tags": [{ "Key": "team", "Value": "web" }] }),
    );
    ok(
        w,
        &admin,
        "UntagResource",
        json!({ "SecretId": "dev/c", "TagKeys": ["env"] }),
    );
    let d = ok(w, &admin, "DescribeSecret", json!({ "SecretId": "dev/c" }));
    assert_eq!(d["Tags"], json!([{ "Key": "team", "Value": "web" }]));
    // BatchGetSecretValue: values and per-secret errors.
    let batch = ok(
        w,
        &admin,
        "BatchGetSecretValue",
        json!({ "SecretIdList": ["prod/a", "nope"] }),
    );
    assert_eq!(batch["SecretValues"][0]["SecretString"], "v0");
    assert_eq!(batch["Errors"][0]["ErrorCode"], "ResourceNotFoundException");
    let batch = ok(
        w,
        &admin,
        "BatchGetSecretValue",
        json!({ "Filters": [{ "Key": "name", "Values": ["prod/"] }] }),
    );
    assert_eq!(batch["SecretValues"].as_array().unwrap().len(), 2);
    // Random passwords from the world's RNG.
    let p = ok(w, &admin, "GetRandomPassword", json!({}));
    let p = p["RandomPassword"].as_str().unwrap();
    assert_eq!(p.len(), 32);
    assert!(p.chars().any(|c| c.is_ascii_digit()));
    assert!(p.chars().any(|c| c.is_ascii_uppercase()));
    let p = ok(
        w,
        &admin,
        "GetRandomPassword",
        json!({ "PasswordLength": 12, "ExcludePunctuation": true, "ExcludeCharacters": "abc" }),
    );
    let p = p["RandomPassword"].as_str().unwrap();
    assert_eq!(p.len(), 12);
    assert!(
        p.chars()
            .all(|c| c.is_ascii_alphanumeric() && !"abc".contains(c))
    );
    let none = ok(w, &admin, "GetRandomPassword", json!({}));
    let gp = w
        .events()
        .filter(|e| e.record["eventName"] == "GetRandomPassword")
        .last()
        .unwrap()
        .record
        .clone();
    assert!(
        !gp.to_string()
            .contains(none["RandomPassword"].as_str().unwrap())
    );
    assert_eq!(
        err(
            w,
            &admin,
            "GetRandomPassword",
            json!({ "PasswordLength": 5000 })
        )
        .code,
        "ValidationException"
    );
    // The same seed draws the same ARNs and passwords.
    let mut a = World::new(9, 1_795_377_600_000);
    let mut b = World::new(9, 1_795_377_600_000);
    let ca = a.context_for_profile(None, None).unwrap();
    let cb = b.context_for_profile(None, None).unwrap();
    assert_eq!(
        ok(&mut a, &ca, "CreateSecret", json!({ "Name": "x" }))["ARN"],
        ok(&mut b, &cb, "CreateSecret", json!({ "Name": "x" }))["ARN"]
    );
}

#[test]
fn bad_input_gets_aws_errors() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let e = err(w, &admin, "CreateSecret", json!({ "SecretString": "x" }));
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("'name'"));
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "bad name!", "SecretString": "x" }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    assert!(e.message.starts_with("Invalid name."));
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "big", "SecretString": "x".repeat(65_537) }),
    );
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("65536"), "{}", e.message);
    ok(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "max", "SecretString": "x".repeat(65_536) }),
    );
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "both", "SecretString": "x", "SecretBinary": "AA==" }),
    );
    assert_eq!(e.code, "InvalidParameterException");
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "tok", "SecretString": "x", "ClientRequestToken": "short" }),
    );
    assert_eq!(e.code, "ValidationException");
    let e = err(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "max", "SecretString": "x" }),
    );
    assert_eq!(e.code, "ResourceExistsException");
    assert_eq!(
        e.message,
        "The operation failed because the secret max already exists."
    );
    let e = err(w, &admin, "RotateSecret", json!({ "SecretId": "max" }));
    assert_eq!(e.code, "InvalidRequestException");
    assert_eq!(
        e.message,
        "No Lambda rotation function ARN is associated with this secret."
    );
    let e = err(w, &admin, "GetSecretValue", json!({}));
    assert_eq!(e.code, "ValidationException");
    let e = err(w, &admin, "Nope", json!({}));
    assert_eq!(e.code, "UnknownOperationException");
    // A member of the wrong type is read leniently, never a panic.
    let _ = sm(
        w,
        &admin,
        "CreateSecret",
        json!({ "Name": "t", "Tags": "not a list", "SecretBinary": 7 }),
    );
    let e = err(
        w,
        &admin,
        "GetSecretValue",
        json!({ "SecretId": "max", "VersionId": "00000000-0000-0000-0000-000000000000" }),
    );
    assert_eq!(e.code, "ResourceNotFoundException");
}

#[test]
fn typed_and_json_calls_answer_and_audit_alike() {
    use cloud::secretsmanager::model::{CreateSecretRequest, GetSecretValueRequest};
    let mut typed = World::new(5, 1_795_377_600_000);
    let mut json_world = typed.clone();
    let ctx = typed.context_for_profile(None, None).unwrap();
    let ctx2 = json_world.context_for_profile(None, None).unwrap();
    let mut client = typed.client(&ctx).secretsmanager();
    let created = client
        .create_secret(CreateSecretRequest {
            name: Some("app/db".into()),
            secret_string: Some("s3cr3t".into()),
            ..Default::default()
        })
        .unwrap();
    let got = client
        .get_secret_value(GetSecretValueRequest {
            secret_id: Some("app/db".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(got.secret_string.as_deref(), Some("s3cr3t"));
    let created_json = ok(
        &mut json_world,
        &ctx2,
        "CreateSecret",
        json!({ "Name": "app/db", "SecretString": "s3cr3t" }),
    );
    let got_json = ok(
        &mut json_world,
        &ctx2,
        "GetSecretValue",
        json!({ "SecretId": "app/db" }),
    );
    assert_eq!(serde_json::to_value(&created).unwrap(), created_json);
    assert_eq!(serde_json::to_value(&got).unwrap(), got_json);
    let records = |w: &World| w.events().map(|e| e.record.clone()).collect::<Vec<_>>();
    assert_eq!(records(&typed), records(&json_world));
}
